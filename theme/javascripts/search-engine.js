// The archive's search engine in the browser: Pagefind, started small and completed after.
//
// Pagefind reads a bundle's whole page list before its first search; at national scale
// the 15,000 findings' list alone is ~90 kB. So every search starts on one small bundle,
// the newest 1,000 findings, and shows those results; once typing pauses it merges the
// other bundles (older findings; for the header, the site's pages too) and searches
// again (layout: plugins/peer_review_archive/search/indexer.py). Nothing is fetched
// until the search box gets focus.

const config = JSON.parse(document.getElementById("__config")?.textContent || '{"base": "."}');
export const siteRoot = new URL(`${config.base.replace(/\/$/, "")}/`, window.location.href);
const bundleRoot = new URL("pagefind/", siteRoot);

let pagefindModule = null;
let manifest = null;
let links = {}; // the manifest's URL rules by filter: {"host": "authorities/{id}/", ...}

function loadPagefind() {
  pagefindModule ??= import(new URL("pagefind.js", bundleRoot).href);
  return pagefindModule;
}

function loadManifest() {
  manifest ??= fetch(new URL("archive-search.json", bundleRoot)).then((response) => {
    if (!response.ok) throw new Error(`search manifest: HTTP ${response.status}`);
    return response.json();
  }).then((loaded) => {
    links = loaded.links || {};
    return loaded;
  });
  return manifest;
}

/** A URL on this site for a site-relative path (`reviews/x/#y`) or a Pagefind URL. */
export function siteUrl(path) {
  return new URL(path.replace(/^\//, ""), siteRoot).href;
}

const findings0 = "findings/0/";
const SETTLE = 250; // ms without a new search before the other bundles are fetched
const PAGE_WEIGHT = 4; // how much more a page's record counts than a finding's (see merge)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Engine {
  /** @param {"site" | "findings"} scope the header's whole site, or the explorer's findings */
  constructor(scope) {
    this.scope = scope;
    this.instance = null;
    this.starting = null;
    this.rest = null;
    this.pagesPaths = new Set();
    this.merging = null;
    this.filtersLoaded = null;
    this.generation = 0;
  }

  /** Note a keystroke: the other bundles wait until typing pauses. */
  touch() {
    this.generation++;
  }

  /** Fetch the engine and the first bundle's page list now (when the box gets focus). */
  warm() {
    this.start().then((instance) => instance.preload("")).catch(() => {});
    // Pagefind splits each query with Intl.Segmenter, whose first use loads ICU's rules
    // (~8 ms, more on a busy phone): done now, while the engine downloads, not after it.
    setTimeout(() => {
      try {
        [...new Intl.Segmenter(document.documentElement.lang || "en", { granularity: "grapheme" }).segment("a")];
      } catch {
        // no Intl.Segmenter: Pagefind does without it too
      }
    }, 0);
  }

  /** The one Pagefind instance: made once, however many calls (focus, then a key) await it. */
  start() {
    this.starting ??= (async () => {
      this.rest = loadManifest().then(({ pages, findings }) => {
        this.pagesPaths = new Set(pages);
        return [...(this.scope === "site" ? pages : []), ...findings.slice(1)];
      });
      const pagefind = await loadPagefind();
      this.instance = pagefind.createInstance({
        basePath: new URL(findings0, bundleRoot).pathname,
        baseUrl: siteRoot.pathname,
        noWorker: true, // a worker would cost one more 40 kB script before the first results
      });
      return this.instance;
    })();
    return this.starting;
  }

  merge() {
    this.merging ??= this.rest.then((rest) => Promise.all(rest.map((path) => this.instance.mergeIndex(
      new URL(path, bundleRoot).pathname, {
        baseUrl: siteRoot.pathname,
        // A page's record says what the page is about (its name, its summary); a finding
        // names its authority only as context. So "Thurrock" puts Thurrock's page first.
        indexWeight: this.pagesPaths.has(path) ? PAGE_WEIGHT : 1,
      }))));
    return this.merging;
  }

  /**
   * Search, awaiting `show(response, complete)`. Until the other bundles are merged, the
   * first bundle answers at once (complete = false); once typing has paused, the rest is
   * fetched and the search runs again over everything. `term` null lists by filters only.
   * True once complete results were shown; false when a newer search took over.
   */
  async search(term, options, show) {
    const generation = ++this.generation;
    const instance = await this.start();
    if (!this.merging) {
      const [first, rest] = await Promise.all([instance.search(term, options), this.rest]);
      if (!rest.length) this.merging = Promise.resolve();
      await show(first, !rest.length);
      if (!rest.length) return true;
      await sleep(SETTLE);
      if (generation !== this.generation) return false; // typed on: a newer search finishes the job
    }
    await this.merge();
    if (generation !== this.generation) return false;
    await show(await instance.search(term, options), true);
    return true;
  }

  /** Every bundle's filter values, once: needed for facet counts, fetched after results. */
  async loadFilters() {
    await this.start();
    await this.merge();
    this.filtersLoaded ??= this.instance.filters();
    return this.filtersLoaded;
  }

  async searchAll(term, options) {
    await this.start();
    await this.merge();
    return this.instance.search(term, options);
  }
}

/**
 * Run `task` now or, while one is still getting its first results on screen, once it has:
 * only the latest request waits, so typing never queues a search per key and needs no
 * fixed delay. `task(shown)` calls `shown()` when its first results are on screen.
 */
export function latestOnly(task) {
  let busy = false;
  let again = false;
  const trigger = () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    let released = false;
    const shown = () => {
      if (released) return;
      released = true;
      busy = false;
      if (again) {
        again = false;
        trigger();
      }
    };
    Promise.resolve().then(() => task(shown)).catch((error) => console.warn("search:", error)).finally(shown);
  };
  return trigger;
}

/** The fewest letters searched for: one letter narrows nothing and costs index chunks. */
export const MIN_QUERY = 2;

/**
 * Call `run` at once for a key pressed after a pause, else once the keys stop for `pause`
 * ms: a typist's intermediate words ("vu", "vul"...) each cost index chunks and result
 * fragments, while a key after a pause, or a pasted query, is searched without delay.
 */
export function afterTyping(run, pause = 120) {
  let last = -Infinity;
  let timer = null;
  return () => {
    const now = performance.now();
    clearTimeout(timer);
    if (now - last >= pause) run();
    else timer = setTimeout(run, pause);
    last = now;
  };
}

// Words every finding has: each costs Pagefind one index chunk (~15 kB) and narrows nothing.
const STOP_WORDS = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it",
  "its", "of", "on", "or", "the", "to", "with"]);

/** The query as sent to Pagefind: stop words dropped unless it is a "quoted phrase". */
export function searchTerm(query) {
  const trimmed = query.trim();
  if (/^".+"$/.test(trimmed)) return trimmed;
  const words = trimmed.split(/\s+/);
  const kept = words.filter((word) => !STOP_WORDS.has(word.toLowerCase()));
  return (kept.length ? kept : words).join(" ");
}

/** Pagefind's excerpt as DOM nodes: the page's text exactly as written, with Pagefind's marks.
 *
 * The excerpt is the page's text as Pagefind keeps it (already decoded, never escaped again)
 * with `<mark>` and `</mark>` put around the matching words. So it is split on those two
 * strings and everything else stays text: parsing it as HTML would decode `&lt;b&gt;` that a
 * record wrote as text into `<b>`, and drop a `<i>` it wrote as text. */
export function excerptNodes(excerpt) {
  const out = [];
  let marked = false;
  for (const part of (excerpt || "").split(/(<mark>|<\/mark>)/)) {
    if (part === "<mark>" || part === "</mark>") {
      marked = part === "<mark>";
    } else if (part && marked) {
      const mark = document.createElement("mark");
      mark.textContent = part;
      out.push(mark);
    } else if (part) {
      out.push(document.createTextNode(part));
    }
  }
  return out;
}

/** `text` as nodes with the query's words marked (prefix match, as Pagefind stems). */
export function highlighted(text, query) {
  const words = (query || "").toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) || [];
  if (!words.length) return [document.createTextNode(text)];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join("|")})[\\p{L}\\p{N}]*`, "giu");
  const out = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out.push(document.createTextNode(text.slice(last, match.index)));
    const mark = document.createElement("mark");
    mark.textContent = match[0];
    out.push(mark);
    last = match.index + match[0].length;
  }
  out.push(document.createTextNode(text.slice(last)));
  return out;
}

/** An element with text (never HTML) and optional attributes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function plural(count, one, many) {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;
}

const HIDDEN_SHIFT = 0xe000; // search/record.py `hidden`: each character moved into the Private Use Area
const parseJson = (text, fallback) => {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
};

/** A finding result's fields, or null for a page's: what the indexer sent (search/records.py).
 *
 * Pagefind makes words of every meta field, so a finding carries only what a reader
 * searches for as meta (label, heading, authority, document, theme names), its words as
 * the content, and what a result only shows (kind, part, date, lead-in) in one `display`
 * field whose characters Pagefind does not index; here they are moved back. Links come
 * from the permalink and the filters' ids (the manifest's rules, loaded before any result). */
export function finding(data) {
  const meta = data.meta || {};
  if (meta.display === undefined) return null;
  const display = parseJson(
    String.fromCharCode(...Array.from(meta.display, (c) => c.charCodeAt(0) - HIDDEN_SHIFT)), {});
  const filters = data.filters || {};
  const link = (key, id) => (links[key] && id ? links[key].replace("{id}", id) : "");
  const names = parseJson(meta.themes || "[]", []);
  // The permalink is its document's page (`reviews/<id>/`, `context/<id>/`) with the
  // finding's id as the anchor (records/urls.py): findings.csv's finding_key is those ids.
  const permalink = new URL(data.url, window.location.href);
  const page = new URL(permalink.pathname, permalink);
  return {
    ...display,
    url: data.url,
    title: meta.title,
    heading: meta.heading || "",
    authority: meta.authority,
    authority_url: link("host", (filters.host || [])[0]),
    document: meta.document,
    document_url: page.href,
    key: `${permalink.pathname.split("/").filter(Boolean).pop()}/${permalink.hash.slice(1)}`,
    text: data.content,
    themes: names.map((name, i) => ({ name, url: link("theme", (filters.theme || [])[i]) })),
  };
}
