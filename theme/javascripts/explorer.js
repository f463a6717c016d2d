// The explorer (/recommendations/): search every finding, narrow by facets, sort, page
// through them, download them, share the URL.
//
// Facets combine as readers expect: values of one facet widen (any of them), facets narrow
// each other (all of them). A value's count is the number of findings it gives together
// with the query and the *other* facets' choices, so ticking it never surprises. Facets
// are whatever the page lists (search/records.py FACETS), never named here. The state
// lives in the URL (?q=...&theme=...&sort=newest&page=2), written on every change, read
// on load.

import {
  Engine, MIN_QUERY, afterTyping, el, finding, highlighted, latestOnly, plural, searchTerm, siteUrl,
} from "./search-engine.js";

const PAGE = 20;
// Shown as soon as their fragments arrive (~0.9 kB each, fetched before anything is on
// screen: a screenful); the rest of the page follows.
const FIRST = 4;
const SHORT_LIST = 6; // a facet with more values shows these (and any chosen) until "Show all"
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };
const PARALLEL = 8; // result fragments fetched at once for a download

export function start(root) {
  const form = root.querySelector("form");
  const input = form.querySelector("input[type=search]");
  const sortBox = form.querySelector("select[name=sort]");
  const output = root.querySelector(".pra-explorer__output");
  const heading = output.querySelector("#pra-explorer-results");
  const status = output.querySelector(".pra-explorer__status");
  const progress = output.querySelector(".pra-explorer__progress");
  const list = output.querySelector(".pra-explorer__results");
  const pager = output.querySelector(".pra-explorer__pages");
  const download = output.querySelector(".pra-explorer__download");
  const downloadButton = download.querySelector("[data-download]");
  const downloadHint = download.querySelector("[data-download-hint]");
  const panel = root.querySelector(".pra-explorer__facets");
  const toggle = root.querySelector("[data-filters-toggle]");
  const boxes = [...form.querySelectorAll("input[type=checkbox]")];
  const facets = [...form.querySelectorAll("[data-facet]")].map((node) => node.dataset.facet);
  const labels = Object.fromEntries(boxes.map((box) => [`${box.name}:${box.value}`,
    box.parentElement.querySelector(".pra-facet__label").textContent.trim()]));
  const engine = new Engine("findings");
  let sequence = 0;
  let current = { results: [], term: null, state: null };

  // --- state: form <-> URL --------------------------------------------------------------

  let page = 1;

  function readForm() {
    const filters = Object.fromEntries(facets.map((key) => [key, []]));
    for (const box of boxes) if (box.checked) filters[box.name].push(box.value);
    return { q: input.value.trim(), filters, sort: sortBox.value in SORTS ? sortBox.value : "", page };
  }

  function writeForm(state) {
    input.value = state.q;
    sortBox.value = state.sort;
    page = state.page;
    for (const box of boxes) box.checked = (state.filters[box.name] || []).includes(box.value);
  }

  function fromUrl() {
    const params = new URLSearchParams(window.location.search);
    const known = (key, value) => boxes.some((box) => box.name === key && box.value === value);
    const filters = Object.fromEntries(facets.map((key) => [key, params.getAll(key).filter((v) => known(key, v))]));
    const sort = params.get("sort") in SORTS ? params.get("sort") : "";
    const number = Number.parseInt(params.get("page") || "1", 10);
    return { q: (params.get("q") || "").trim(), filters, sort, page: number > 0 ? number : 1 };
  }

  function toUrl(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const key of facets) for (const value of state.filters[key]) params.append(key, value);
    if (state.sort) params.set("sort", state.sort);
    if (state.page > 1) params.set("page", String(state.page));
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
    let total = 0;
    for (const facet of form.querySelectorAll("[data-facet]")) {
      const count = filters[facet.dataset.facet].length;
      total += count;
      facet.querySelector(".pra-facet__chosen").textContent = count ? ` (${count} chosen)` : "";
    }
    toggle.textContent = total ? `Filters (${total})` : "Filters";
  }

  // --- facets: every value reachable, long lists shortened until "Show all" ----------------

  function shorten(fieldset) {
    const items = [...fieldset.querySelectorAll(".pra-facet__values > li")];
    if (items.length <= SHORT_LIST + 1) return;
    const values = fieldset.querySelector(".pra-facet__values");
    const name = fieldset.querySelector("legend").firstChild.textContent.trim().toLowerCase();
    const button = el("button", { type: "button", class: "pra-facet__all", "aria-expanded": "false",
      "aria-controls": values.id });
    const show = (all) => {
      items.forEach((item, i) => {
        item.hidden = !all && i >= SHORT_LIST && !item.querySelector("input").checked;
      });
      button.setAttribute("aria-expanded", String(all));
      button.textContent = all ? `Show fewer (${name})` : `Show all ${items.length} (${name})`;
    };
    button.addEventListener("click", () => {
      const all = button.getAttribute("aria-expanded") !== "true";
      show(all);
      if (all) items[SHORT_LIST].querySelector("input").focus();
    });
    fieldset.append(button);
    show(false);
  }

  // --- results --------------------------------------------------------------------------

  function item(data, term) {
    const f = finding(data);
    const where = f.part && f.part !== "Review" ? ` (${f.part.charAt(0).toLowerCase()}${f.part.slice(1)})` : "";
    return el("li", { class: "pra-result" },
      el("h3", { class: "pra-result__title" }, el("a", { href: data.url }, `${f.title}, ${f.authority}`)),
      f.heading ? el("p", { class: "pra-result__heading" }, f.heading) : null,
      f.lead_in ? el("p", { class: "pra-result__lead" }, f.lead_in) : null,
      el("p", { class: "pra-result__text" }, highlighted(f.text, term)),
      el("p", { class: "pra-result__meta" },
        `${f.kind} · `, el("a", { href: siteUrl(f.authority_url) }, f.authority), " · ",
        el("a", { href: siteUrl(f.document_url) }, f.document), `${where} · ${f.date}`),
      f.themes.length
        ? el("p", { class: "pra-result__themes" }, "Themes: ",
          f.themes.map(({ name, url }, i) => [i ? ", " : "", el("a", { href: siteUrl(url) }, name)]))
        : null);
  }

  const pages = () => Math.max(1, Math.ceil(current.results.length / PAGE));

  /** Page `page`'s results up to the `upTo`th, appended, unless `stale()` by then. */
  async function render(upTo, stale) {
    const start = (page - 1) * PAGE;
    const slice = current.results.slice(start + list.childElementCount, start + Math.min(upTo, PAGE));
    const data = await Promise.all(slice.map((result) => result.data()));
    if (stale()) return [];
    const items = data.map((d) => item(d, current.term));
    list.append(...items);
    return items;
  }

  function describe(state, count) {
    const parts = [];
    if (count > PAGE) {
      const first = (page - 1) * PAGE + 1;
      parts.push(`${first.toLocaleString("en-GB")}–${Math.min(page * PAGE, count).toLocaleString("en-GB")} of`);
    }
    parts.push(plural(count, "finding", "findings"));
    if (state.q.length >= MIN_QUERY) parts.push(`for “${state.q}”`);
    const filters = chosen(state.filters).flatMap((key) => state.filters[key].map((v) => labels[`${key}:${v}`] || v));
    if (filters.length) parts.push(`filtered by ${filters.join(", ")}`);
    const order = state.sort || (state.q.length >= MIN_QUERY ? "" : "newest");
    if (count > 1) parts.push(order === "newest" ? "(newest first)" : order === "oldest" ? "(oldest first)" : "(best match first)");
    return parts.join(" ");
  }

  function drawPager() {
    const count = pages();
    pager.replaceChildren();
    pager.hidden = count <= 1;
    if (count <= 1) return;
    const button = (label, number, attrs = {}) => {
      const b = el("button", { type: "button", class: "pra-pager__button", "data-page": String(number), ...attrs }, label);
      return el("li", {}, b);
    };
    const numbers = [];
    const near = new Set([1, count, page - 1, page, page + 1].filter((n) => n >= 1 && n <= count));
    let last = 0;
    for (const n of [...near].sort((a, b) => a - b)) {
      if (n - last > 1) numbers.push(el("li", { class: "pra-pager__gap", "aria-hidden": "true" }, "…"));
      numbers.push(button(String(n), n, n === page
        ? { "aria-current": "page", "aria-label": `Page ${n}, this page` } : { "aria-label": `Page ${n}` }));
      last = n;
    }
    pager.append(el("ul", { class: "pra-pager" },
      page > 1 ? button("‹ Previous", page - 1, { "aria-label": `Previous page, ${page - 1} of ${count}` }) : null,
      numbers,
      page < count ? button("Next ›", page + 1, { "aria-label": `Next page, ${page + 1} of ${count}` }) : null));
  }

  let turning = 0; // the latest page turn: an older one's results are dropped

  async function showPage(number) {
    page = Math.min(Math.max(1, number), pages());
    const state = { ...current.state, page };
    toUrl(state);
    const asked = sequence;
    const mine = ++turning;
    const stale = () => mine !== turning || asked !== sequence;
    list.replaceChildren();
    list.setAttribute("aria-busy", "true");
    const items = await render(PAGE, stale);
    if (stale()) return;
    list.setAttribute("aria-busy", "false");
    drawPager();
    status.textContent = describe(state, current.results.length);
    const link = items[0]?.querySelector("a");
    if (link) {
      link.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
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
      current = { results: [], term: null, state };
      list.replaceChildren();
      pager.hidden = true;
      download.hidden = true;
      progress.textContent = "";
      status.textContent = "Type words to search for, or choose from the filters, to see findings.";
      setCounts(null);
      form.dataset.counted = "true";
      return;
    }
    list.setAttribute("aria-busy", "true");
    try {
      const sort = SORTS[state.sort] || (term ? {} : SORTS.newest);
      const options = { filters: pagefindFilters(state.filters), sort };
      const stale = () => mine !== sequence;
      const completed = await engine.search(term, options, async (response, complete) => {
        if (stale()) return;
        turning++;
        current = { results: response.results, term, state };
        page = Math.min(state.page, pages());
        list.replaceChildren();
        list.dataset.query = state.q;
        if (complete && page !== state.page) toUrl({ ...state, page });
        // A later page waits for the complete answer: the first bundle's page 3 is not it.
        if (complete || page === 1) await render(FIRST, stale);
        shown();
        // The rest of the page once typing has paused (the complete answer): a search
        // overtaken by the next key costs only its first results' fragments.
        if (complete && !stale()) await render(PAGE, stale);
        if (mine !== sequence) return;
        if (complete) {
          list.setAttribute("aria-busy", "false");
          status.dataset.count = String(response.results.length);
          progress.textContent = "";
          drawPager();
          download.hidden = !response.results.length;
          downloadButton.textContent = `Download ${response.results.length === 1 ? "this finding"
            : `these ${plural(response.results.length, "finding", "findings")}`} (CSV)`;
          status.textContent = response.results.length
            ? describe({ ...state, page }, response.results.length)
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

  // --- download: the current findings as findings.csv's rows -----------------------------

  /** RFC 4180 records of `text` as [fields, raw] pairs (the raw text keeps quoting as is). */
  function csvRecords(text) {
    const out = [];
    let fields = [];
    let field = "";
    let quoted = false;
    let begin = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') {
          quoted = false;
        } else {
          field += c;
        }
      } else if (c === '"') {
        quoted = true;
      } else if (c === ",") {
        fields.push(field);
        field = "";
      } else if (c === "\r" || c === "\n") {
        fields.push(field);
        out.push([fields, text.slice(begin, i)]);
        if (c === "\r" && text[i + 1] === "\n") i++;
        begin = i + 1;
        fields = [];
        field = "";
      } else {
        field += c;
      }
    }
    if (field || fields.length) {
      fields.push(field);
      out.push([fields, text.slice(begin)]);
    }
    return out;
  }

  /** The text of the one file in a ZIP archive as the build writes it (findings.csv.zip:
   *  deflated, sizes in its local header; outputs/downloads.py `Zipped`). */
  async function unzipOne(buffer) {
    const view = new DataView(buffer);
    if (view.getUint32(0, true) !== 0x04034b50 || view.getUint16(8, true) !== 8) throw new Error("not a deflated ZIP entry");
    const size = view.getUint32(18, true);
    const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    const data = new Blob([new Uint8Array(buffer, start, size)]).stream();
    return new Response(data.pipeThrough(new DecompressionStream("deflate-raw"))).text();
  }

  async function downloadFindings() {
    const results = current.results;
    const state = current.state;
    if (!results.length) return;
    downloadButton.disabled = true;
    const hint = downloadHint.innerHTML;
    downloadHint.setAttribute("role", "status");
    try {
      const keys = new Array(results.length);
      let done = 0;
      for (let i = 0; i < results.length; i += PARALLEL) {
        const data = await Promise.all(results.slice(i, i + PARALLEL).map((r) => r.data()));
        data.forEach((d, j) => { keys[i + j] = finding(d)?.key; });
        done += data.length;
        if (results.length > 100) downloadHint.textContent = `Preparing ${done} of ${results.length} findings…`;
      }
      const response = await fetch(new URL(root.dataset.findingsCsv, window.location.href));
      if (!response.ok) throw new Error(`findings.csv.zip: HTTP ${response.status}`);
      // Decoding drops findings.csv's byte-order mark; the download keeps it, as Excel needs.
      const bom = "\uFEFF";
      const text = (await unzipOne(await response.arrayBuffer())).replace(/^\uFEFF/, "");
      const [header, ...rows] = csvRecords(text);
      const at = (name) => header[0].indexOf(name);
      const [documentAt, findingAt] = [at("document_id"), at("finding_id")];
      const byKey = new Map(rows.map(([fields, raw]) => [`${fields[documentAt]}/${fields[findingAt]}`, raw]));
      const lines = [header[1], ...keys.map((key) => byKey.get(key)).filter((raw) => raw !== undefined)];
      const blob = new Blob([`${bom}${lines.join("\r\n")}\r\n`], { type: "text/csv;charset=utf-8" });
      const words = state.q.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").slice(0, 40);
      const link = el("a", { href: URL.createObjectURL(blob), download: `findings${words ? `-${words}` : ""}${chosen(state.filters).length ? "-filtered" : ""}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      downloadHint.textContent = `Downloaded ${plural(lines.length - 1, "finding", "findings")} as CSV, with the columns of findings.csv.`;
    } catch (error) {
      downloadHint.textContent = "The download did not work. The whole archive is on the Data page.";
      console.warn("explorer download:", error);
    } finally {
      downloadButton.disabled = false;
      setTimeout(() => {
        downloadHint.removeAttribute("role");
        downloadHint.innerHTML = hint;
      }, 8000);
    }
  }

  // --- filters on narrow screens: behind a "Filters (n)" button ----------------------------

  function setFiltersOpen(open, focus = true) {
    root.classList.toggle("pra-explorer--filters-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (!focus) return;
    if (open) panel.querySelector("#pra-explorer-filters").focus();
    else toggle.focus();
  }

  // --- wiring ----------------------------------------------------------------------------

  const search = latestOnly(update);
  const typed = afterTyping(search);
  const fresh = () => {
    page = 1;
  };
  input.addEventListener("input", () => {
    engine.touch();
    fresh();
    typed();
  });
  input.addEventListener("focus", () => engine.warm());
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target === sortBox || (target instanceof HTMLInputElement && target.type === "checkbox")) {
      fresh();
      search();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    fresh();
    search();
  });
  form.querySelector("[data-clear]").addEventListener("click", () => {
    writeForm({ q: "", filters: Object.fromEntries(facets.map((key) => [key, []])), sort: "", page: 1 });
    search();
    input.focus();
  });
  pager.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target.closest("button[data-page]") : null;
    if (target) showPage(Number(target.dataset.page));
  });
  downloadButton.addEventListener("click", downloadFindings);
  toggle.addEventListener("click", () => setFiltersOpen(toggle.getAttribute("aria-expanded") !== "true"));
  panel.querySelector("[data-close-filters]").addEventListener("click", () => {
    setFiltersOpen(false, false);
    heading.focus();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && root.classList.contains("pra-explorer--filters-open")) setFiltersOpen(false);
  });

  form.hidden = false;
  root.classList.add("pra-explorer--ready");
  for (const fieldset of form.querySelectorAll("[data-facet]")) shorten(fieldset);
  writeForm(fromUrl());
  for (const fieldset of form.querySelectorAll("[data-facet]")) {
    // A chosen value past the short list is shown: a shared URL never hides its own filters.
    for (const li of fieldset.querySelectorAll(".pra-facet__values > li")) if (li.querySelector("input").checked) li.hidden = false;
  }
  search();
}
