// The explorer (/recommendations/): search every finding, narrow by facets, share the URL.
//
// Facets combine as readers expect: values of one facet widen (any of them), facets narrow
// each other (all of them). A value's count is the number of findings it gives together
// with the query and the *other* facets' choices, so ticking it never surprises. The state
// lives in the URL (?q=...&theme=...&host=...), written on every change, read on load.

import {
  Engine, MIN_QUERY, afterTyping, el, highlighted, latestOnly, plural, searchTerm, siteUrl,
} from "./search-engine.js";

const PAGE = 20;
const FIRST = 8; // shown as soon as their fragments arrive; the rest of the page follows

export function start(root) {
  const form = root.querySelector("form");
  const input = form.querySelector("input[type=search]");
  const output = root.querySelector(".pra-explorer__output");
  const status = output.querySelector(".pra-explorer__status");
  const progress = output.querySelector(".pra-explorer__progress");
  const list = output.querySelector(".pra-explorer__results");
  const more = output.querySelector("[data-more]");
  const boxes = [...form.querySelectorAll("input[type=checkbox]")];
  const facets = [...form.querySelectorAll("[data-facet]")].map((node) => node.dataset.facet);
  const labels = Object.fromEntries(boxes.map((box) => [`${box.name}:${box.value}`,
    box.parentElement.querySelector(".pra-facet__label").textContent.trim()]));
  const engine = new Engine("findings");
  let sequence = 0;
  let current = { results: [], term: null, shown: 0 };

  // --- state: form <-> URL --------------------------------------------------------------

  function readForm() {
    const filters = Object.fromEntries(facets.map((key) => [key, []]));
    for (const box of boxes) if (box.checked) filters[box.name].push(box.value);
    return { q: input.value.trim(), filters };
  }

  function writeForm(state) {
    input.value = state.q;
    for (const box of boxes) box.checked = (state.filters[box.name] || []).includes(box.value);
  }

  function fromUrl() {
    const params = new URLSearchParams(window.location.search);
    const known = (key, value) => boxes.some((box) => box.name === key && box.value === value);
    const filters = Object.fromEntries(facets.map((key) => [key, params.getAll(key).filter((v) => known(key, v))]));
    return { q: (params.get("q") || "").trim(), filters };
  }

  function toUrl(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const key of facets) for (const value of state.filters[key]) params.append(key, value);
    const query = params.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }

  const chosen = (filters) => facets.filter((key) => filters[key].length);

  function pagefindFilters(filters, except = null) {
    const out = {};
    for (const key of chosen(filters)) if (key !== except) out[key] = { any: filters[key] };
    return out;
  }

  function showChosen(filters) {
    for (const facet of form.querySelectorAll("[data-facet]")) {
      const count = filters[facet.dataset.facet].length;
      facet.querySelector(".pra-facet__chosen").textContent = count ? ` (${count} chosen)` : "";
    }
  }

  // --- results --------------------------------------------------------------------------

  function item(data, term) {
    const meta = data.meta;
    let themes = [];
    try {
      themes = JSON.parse(meta.themes || "[]");
    } catch {
      themes = [];
    }
    const where = meta.part && meta.part !== "Review" ? ` (${meta.part.charAt(0).toLowerCase()}${meta.part.slice(1)})` : "";
    return el("li", { class: "pra-result" },
      el("h3", { class: "pra-result__title" }, el("a", { href: data.url }, `${meta.title}, ${meta.authority}`)),
      meta.heading ? el("p", { class: "pra-result__heading" }, meta.heading) : null,
      el("p", { class: "pra-result__text" }, highlighted(meta.text, term)),
      el("p", { class: "pra-result__meta" },
        `${meta.kind} · `, el("a", { href: siteUrl(meta.authority_url) }, meta.authority), " · ",
        el("a", { href: siteUrl(meta.document_url) }, meta.document), `${where} · ${meta.date}`),
      themes.length
        ? el("p", { class: "pra-result__themes" }, "Themes: ",
          themes.map(([, name, url], i) => [i ? ", " : "", el("a", { href: siteUrl(url) }, name)]))
        : null);
  }

  async function render(upTo, mine) {
    const slice = current.results.slice(list.childElementCount, upTo);
    const data = await Promise.all(slice.map((result) => result.data()));
    if (mine !== sequence) return [];
    const items = data.map((d) => item(d, current.term));
    list.append(...items);
    current.shown = list.childElementCount;
    more.hidden = current.shown >= current.results.length;
    return items;
  }

  function describe(state, count) {
    const parts = [plural(count, "finding", "findings")];
    if (state.q.length >= MIN_QUERY) parts.push(`for “${state.q}”`);
    const filters = chosen(state.filters).flatMap((key) => state.filters[key].map((v) => labels[`${key}:${v}`] || v));
    if (filters.length) parts.push(`filtered by ${filters.join(", ")}`);
    return parts.join(" ");
  }

  // --- counts ---------------------------------------------------------------------------

  function setCounts(counts) {
    for (const box of boxes) {
      const count = counts ? counts[box.name]?.[box.value] ?? 0 : Number(box.dataset.total);
      const label = box.parentElement;
      label.querySelector(".pra-facet__count").textContent = `(${count})`;
      label.classList.toggle("pra-facet--empty", count === 0 && !box.checked);
    }
  }

  async function updateCounts(term, state, mine) {
    if (!term && !chosen(state.filters).length) {
      setCounts(null);
      form.dataset.counted = "true";
      return;
    }
    await engine.loadFilters();
    if (mine !== sequence) return;
    const base = await engine.searchAll(term, { filters: pagefindFilters(state.filters) });
    const counts = {};
    for (const key of facets) {
      if (!state.filters[key].length) {
        counts[key] = base.filters[key] || {};
        continue;
      }
      const others = pagefindFilters(state.filters, key);
      if (!term && !Object.keys(others).length) {
        counts[key] = Object.fromEntries(boxes.filter((b) => b.name === key).map((b) => [b.value, Number(b.dataset.total)]));
      } else {
        counts[key] = (await engine.searchAll(term, { filters: others })).filters[key] || {};
      }
      if (mine !== sequence) return;
    }
    if (mine === sequence) {
      setCounts(counts);
      form.dataset.counted = "true";
    }
  }

  // --- running a search -----------------------------------------------------------------

  async function update(shown = () => {}) {
    const state = readForm();
    toUrl(state);
    showChosen(state.filters);
    const mine = ++sequence;
    delete status.dataset.count; // set again, with the counts' `counted`, when this search is done
    delete form.dataset.counted;
    const term = state.q.length >= MIN_QUERY ? searchTerm(state.q) : null;
    if (!term && !chosen(state.filters).length) {
      list.replaceChildren();
      more.hidden = true;
      progress.textContent = "";
      status.textContent = "Type words to search for, or choose from the lists, to see findings.";
      setCounts(null);
      form.dataset.counted = "true";
      return;
    }
    list.setAttribute("aria-busy", "true");
    try {
      const options = { filters: pagefindFilters(state.filters), sort: term ? {} : { date: "desc" } };
      const completed = await engine.search(term, options, async (response, complete) => {
        if (mine !== sequence) return;
        current = { results: response.results, term, shown: 0 };
        list.replaceChildren();
        list.dataset.query = state.q;
        await render(FIRST, mine);
        shown();
        // The rest of the page once typing has paused (the complete answer): a search
        // overtaken by the next key costs only its first results' fragments.
        if (complete && mine === sequence) await render(PAGE, mine);
        if (mine !== sequence) return;
        if (complete) {
          list.setAttribute("aria-busy", "false");
          status.dataset.count = String(response.results.length);
          progress.textContent = "";
          status.textContent = response.results.length
            ? describe(state, response.results.length)
            : `No findings ${describe(state, 0).replace(/^0 findings ?/, "")}. Try fewer words or filters.`;
        } else {
          progress.textContent = "Showing the newest findings first; searching the rest of the archive…";
        }
      });
      // Counts need every bundle's filters: only once this search is complete and current.
      if (completed && mine === sequence) await updateCounts(term, state, mine);
    } catch (error) {
      if (mine === sequence) status.textContent = "Search is not available right now. Browse the findings below instead.";
      console.warn("explorer:", error);
    }
  }

  const search = latestOnly(update);
  const typed = afterTyping(search);
  input.addEventListener("input", () => {
    engine.touch();
    typed();
  });
  input.addEventListener("focus", () => engine.warm());
  form.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === "checkbox") search();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  form.querySelector("[data-clear]").addEventListener("click", () => {
    writeForm({ q: "", filters: Object.fromEntries(facets.map((key) => [key, []])) });
    search();
    input.focus();
  });
  more.addEventListener("click", async () => {
    const before = list.childElementCount;
    const items = await render(before + PAGE, sequence);
    items[0]?.querySelector("a")?.focus();
  });

  form.hidden = false;
  output.hidden = false;
  writeForm(fromUrl());
  search();
}
