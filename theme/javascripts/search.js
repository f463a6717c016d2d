// Header search on every page: type, and the best matches from the whole site appear
// below the box (pages first, findings as their bundles arrive). Down arrow moves into the
// results, Escape goes back; "/" from anywhere focuses the box. On the explorer page it
// also starts the explorer, which uses the same engine and the same result fields.

import {
  Engine, MIN_QUERY, afterTyping, el, excerptNodes, finding, highlighted, latestOnly, plural, searchTerm, siteUrl,
} from "./search-engine.js";

const SHOWN = 8;
// Of those, what the newest findings' first answer shows: each result costs its fragment
// (~0.9 kB) before anything is on screen; the complete answer shows all SHOWN.
const FIRST = 4;

function findingItem(f, query) {
  return el("li", { class: "pra-search__result" },
    el("a", { href: f.url, class: "pra-search__link" },
      el("span", { class: "pra-search__title" }, `${f.title} · ${f.authority}`),
      el("span", { class: "pra-search__text" }, highlighted(f.text, query)),
      el("span", { class: "pra-search__where" }, `${f.document} · ${f.date}`)));
}

function pageItem(data) {
  return el("li", { class: "pra-search__result" },
    el("a", { href: data.url, class: "pra-search__link" },
      el("span", { class: "pra-search__title" }, data.meta.title || data.url),
      el("span", { class: "pra-search__text" }, excerptNodes(data.excerpt))));
}

function setUp(root) {
  const box = root.querySelector(".pra-search__box");
  const toggle = root.querySelector(".pra-search__toggle");
  const form = root.querySelector("form");
  const input = root.querySelector("input");
  const panel = root.querySelector(".pra-search__panel");
  const status = root.querySelector(".pra-search__status");
  const list = root.querySelector(".pra-search__results");
  const explorer = root.querySelector("#pra-search-explorer");
  const explorerBase = explorer.getAttribute("href");
  const engine = new Engine("site");
  let sequence = 0;

  toggle.hidden = false;
  root.classList.add("pra-search--ready");

  const setOpen = (open) => {
    root.classList.toggle("pra-search--open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (!open) panel.hidden = true;
  };

  async function run(query, shown) {
    const mine = ++sequence;
    explorer.href = `${explorerBase}?q=${encodeURIComponent(query)}`;
    explorer.textContent = `Search and filter every finding for “${query}” in the explorer`;
    panel.hidden = false;
    try {
      await engine.search(searchTerm(query), {}, async (response, complete) => {
        const items = await Promise.all(response.results.slice(0, complete ? SHOWN : FIRST).map((r) => r.data()));
        if (mine !== sequence) return;
        list.replaceChildren(...items.map((data) => {
          const found = finding(data);
          return found ? findingItem(found, query) : pageItem(data);
        }));
        list.dataset.query = query;
        shown();
        const count = response.results.length;
        list.setAttribute("aria-busy", String(!complete));
        if (complete) {
          status.textContent = count ? `${plural(count, "result", "results")} for “${query}”` : `No results for “${query}”`;
        } else {
          status.textContent = "Searching…";
        }
      });
    } catch (error) {
      if (mine === sequence) status.textContent = "Search is not available right now.";
      console.warn("search:", error);
    }
  }

  const search = latestOnly((shown) => {
    const query = input.value.trim();
    if (query.length < MIN_QUERY) {
      sequence++;
      panel.hidden = true;
      list.replaceChildren();
      return undefined;
    }
    return run(query, shown);
  });
  const typed = afterTyping(search);
  input.addEventListener("input", () => {
    engine.touch();
    typed();
  });

  form.addEventListener("submit", (event) => {
    if (!input.value.trim()) event.preventDefault();
  });

  const links = () => [...list.querySelectorAll("a"), explorer];
  root.addEventListener("keydown", (event) => {
    const items = links();
    const at = items.indexOf(document.activeElement);
    if (event.key === "Escape") {
      panel.hidden = true;
      input.focus();
      if (window.matchMedia("(max-width: 59.984375em)").matches && document.activeElement === input && !input.value) setOpen(false);
    } else if (event.key === "ArrowDown" && (list.childElementCount || !panel.hidden)) {
      event.preventDefault();
      panel.hidden = false;
      items[Math.min(at + 1, items.length - 1)]?.focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : items[at - 1]).focus();
    }
  });

  input.addEventListener("focus", () => engine.warm());
  input.addEventListener("click", () => {
    if (input.value.trim() && list.childElementCount) panel.hidden = false;
  });

  document.addEventListener("click", (event) => {
    if (!root.contains(event.target)) panel.hidden = true;
  });

  toggle.addEventListener("click", () => {
    const open = !root.classList.contains("pra-search--open");
    setOpen(open);
    if (open) input.focus();
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      setOpen(true);
      input.focus();
    }
  });

  return box;
}

const root = document.querySelector("[data-pra-search]");
if (root) setUp(root);

if (document.getElementById("pra-explorer")) {
  import("./explorer.js").then((module) => module.start(document.getElementById("pra-explorer")));
}
if (document.getElementById("pra-compare")) {
  import("./compare.js").then((module) => module.start(document.getElementById("pra-compare")));
}

export { siteUrl };
