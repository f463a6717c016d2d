// The compare page (/compare/?a=<id>&b=<id>): two authorities side by side, from the two
// small files the build writes for each authority (data/authorities/<id>.json.gz, gzipped JSON; see
// plugins/peer_review_archive/outputs/compare.py). Nothing else is fetched, and no other
// host. Record text arrives as plain text and goes in as text nodes, never as HTML. The
// choice lives in the address, so a comparison can be shared; the authority pages are the
// way in without JavaScript. Started by search.js, which every page loads.

import { el, plural, siteUrl } from "./search-engine.js";

const cache = new Map();

function load(option) {
  const url = new URL(option.dataset.file, window.location.href).href;
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${option.textContent.trim()}: HTTP ${response.status}`);
      return unzipped(response);
    }));
  }
  return cache.get(url);
}

/** The JSON of a gzipped file. A server that sends it with `Content-Encoding: gzip` has had
 *  the browser inflate it already: the bytes then no longer start with gzip's magic number. */
async function unzipped(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).json();
}

const link = (url, text) => el("a", { href: siteUrl(url) }, text);
const list = (items, empty) => (items.length ? el("ul", {}, items.map((item) => el("li", {}, item))) : el("p", {}, empty));

function person(p, names) {
  const who = [p.name, p.role].filter(Boolean).join(", ");
  return p.authority && names[p.authority] ? `${who} (${names[p.authority]})` : who;
}

function table(caption, headings, rows) {
  return el("div", { class: "md-typeset__scrollwrap" }, el("div", { class: "md-typeset__table" },
    el("table", { class: "pra-compare__table" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, el("td", {}), headings().map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map(([label, cells]) => el("tr", {}, el("th", { scope: "row" }, label),
        cells.map((cell) => el("td", {}, cell))))))));
}

function reviewsRows(sides, names) {
  const reviews = sides.map((s) => list(s.reviews.map((r) => [link(r.url, r.title), `, ${r.date_label}`]),
    "No review of this authority in the archive."));
  const peers = sides.map((s) => {
    const seen = new Map();
    for (const r of s.reviews) for (const a of r.reviewers) seen.set(a.id, a);
    return list([...seen.values()].map((a) => link(a.url, a.name)), "None recorded.");
  });
  const people = sides.map((s) => {
    const found = [];
    for (const r of s.reviews) {
      for (const p of r.team) found.push(`${person(p, names)}, ${r.date_label.slice(-4)} review`);
      for (const v of r.follow_ups) for (const p of v.visitors) found.push(`${person(p, names)}, follow-up ${v.date_label}`);
    }
    return list(found, "No one is named in the sources.");
  });
  return [["Reviews received", reviews], ["Peer authorities", peers], ["People sent as peers", people]];
}

function followRows(sides) {
  const kinds = [];
  for (const s of sides) for (const k of s.follow_through) if (!kinds.some((x) => x.kind === k.kind)) kinds.push(k);
  return kinds.map((k) => [k.label, sides.map((s) => {
    const found = s.follow_through.find((x) => x.kind === k.kind);
    return found ? found.sentence : "None in the archive.";
  })]);
}

function findings(items, noun) {
  if (!items.length) return null;
  return el("details", {}, el("summary", {}, plural(items.length, noun, `${noun}s`)),
    el("ul", {}, items.map((f) => el("li", {}, link(f.url, f.label), `: ${f.text}`,
      f.follow_through_label ? el("span", { class: "pra-status" }, ` (${f.follow_through_label})`) : null))));
}

function themeRows(sides) {
  const themes = new Map();
  for (const s of sides) for (const t of s.themes) themes.set(t.id, t);
  const ordered = [...themes.values()].sort((x, y) => x.name.localeCompare(y.name, "en-GB"));
  return ordered.map((t) => [link(t.url, t.name), sides.map((s) => {
    const found = s.themes.find((x) => x.id === t.id);
    if (!found) return "Nothing on this theme.";
    return [
      el("p", {}, `Praised ${found.praised.length}, told to improve ${found.to_improve.length}`),
      findings(found.praised, "praised finding"), findings(found.to_improve, "finding to improve"),
    ];
  })]);
}

function render(output, sides, names) {
  const headings = () => sides.map((s) => link(s.url, s.name)); // new nodes for each table
  output.replaceChildren(
    el("h2", { id: "compared" }, `${sides[0].name} and ${sides[1].name}`),
    table("Reviews and the peers each had", headings, reviewsRows(sides, names)),
    table("What happened next to the findings that asked for change", headings, followRows(sides)),
    table("Findings per theme: praised and told to improve", headings, themeRows(sides)),
  );
}

export function start(root) {
  const form = root.querySelector("form");
  const status = root.querySelector(".pra-compare__status");
  const output = root.querySelector(".pra-compare__output");
  const selects = [...form.querySelectorAll("select")];
  const names = Object.fromEntries([...selects[0].options].filter((o) => o.value).map((o) => [o.value, o.textContent.trim()]));
  root.querySelector(".pra-compare__fallback").hidden = true;
  form.hidden = false;

  async function compare(focus) {
    const chosen = selects.map((s) => s.selectedOptions[0]).filter((o) => o && o.value);
    const params = new URLSearchParams();
    selects.forEach((s) => s.value && params.set(s.name, s.value));
    const query = params.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
    if (chosen.length < 2) {
      output.replaceChildren();
      status.textContent = chosen.length ? `${chosen[0].textContent.trim()} chosen: choose a second authority.` : "";
      return;
    }
    if (chosen[0].value === chosen[1].value) {
      output.replaceChildren();
      status.textContent = "Choose two different authorities.";
      return;
    }
    status.textContent = "Loading…";
    try {
      const sides = await Promise.all(chosen.map(load));
      render(output, sides, names);
      status.textContent = `${sides[0].name} and ${sides[1].name} side by side.`;
      if (focus) output.focus();
    } catch (error) {
      output.replaceChildren();
      status.textContent = `The comparison could not be loaded (${error.message}).`;
    }
  }

  const params = new URLSearchParams(window.location.search);
  selects.forEach((s) => {
    const wanted = params.get(s.name);
    if (wanted && names[wanted]) s.value = wanted;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    compare(true);
  });
  compare(false);
  if (selects[0].value && !selects[1].value) selects[1].focus();
}
