// The archive's search engine in the browser: Pagefind, started small and completed after.
//
// Pagefind reads a bundle's whole page list before its first search; at national scale
// the 15,000 findings' list alone is ~90 kB. So each search starts on one small bundle
// (the site's pages for the header, the newest findings for the explorer), shows those
// results, then merges the other bundles and searches again (site/pagefind/, see
// plugins/peer_review_archive/pagefind_index.py). Nothing is fetched until a search.

const config = JSON.parse(document.getElementById("__config")?.textContent || '{"base": "."}');
export const siteRoot = new URL(`${config.base.replace(/\/$/, "")}/`, window.location.href);
const bundleRoot = new URL("pagefind/", siteRoot);

let pagefindModule = null;
let manifest = null;

function loadPagefind() {
  pagefindModule ??= import(new URL("pagefind.js", bundleRoot).href);
  return pagefindModule;
}

function loadManifest() {
  manifest ??= fetch(new URL("archive-search.json", bundleRoot)).then((response) => {
    if (!response.ok) throw new Error(`search manifest: HTTP ${response.status}`);
    return response.json();
  });
  return manifest;
}

/** A URL on this site for a site-relative path (`reviews/x/#y`) or a Pagefind URL. */
export function siteUrl(path) {
  return new URL(path.replace(/^\//, ""), siteRoot).href;
}

export class Engine {
  /** @param {"site" | "findings"} scope the header's whole site, or the explorer's findings */
  constructor(scope) {
    this.scope = scope;
    this.instance = null;
    this.merging = null;
    this.filtersLoaded = null;
    this.complete = false;
  }

  async start() {
    if (!this.instance) {
      const pagefind = await loadPagefind();
      const first = this.scope === "findings" ? new URL("findings/0/", bundleRoot) : bundleRoot;
      this.instance = pagefind.createInstance({
        basePath: first.pathname,
        baseUrl: siteRoot.pathname,
        noWorker: true, // a worker would cost one more 40 kB script before the first results
      });
    }
    return this.instance;
  }

  merge() {
    this.merging ??= (async () => {
      const { findings } = await loadManifest();
      const rest = this.scope === "findings" ? findings.slice(1) : findings;
      await Promise.all(rest.map((path) => this.instance.mergeIndex(new URL(path, bundleRoot).pathname, {
        baseUrl: siteRoot.pathname,
      })));
      this.complete = true;
    })();
    return this.merging;
  }

  /**
   * Search, calling `show(response, complete)`: first with the small bundle's results
   * when the others are not merged yet, then with everything. `term` null lists by filters.
   */
  async search(term, options, show) {
    const instance = await this.start();
    if (!this.merging) {
      const first = await instance.search(term, options);
      const rest = this.merge();
      show(first, false);
      await rest;
    } else {
      await this.merging;
    }
    show(await instance.search(term, options), true);
  }

  /** Every bundle's filter values, once: needed for facet counts, fetched after results. */
  async loadFilters() {
    await this.merge();
    this.filtersLoaded ??= this.instance.filters();
    return this.filtersLoaded;
  }

  async searchAll(term, options) {
    await this.merge();
    return this.instance.search(term, options);
  }
}

/** Pagefind's excerpt (escaped text with <mark>) as DOM nodes, keeping only text and marks. */
export function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  const out = [];
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
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
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function plural(count, one, many) {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;
}
