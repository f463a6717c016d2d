"""The search budget of DESIGN.md §6, measured in headless Chromium. Prints; asserts nothing.

1. Generates the national-scale archive (150 authorities, 1,000 reviews, 15,000 findings,
   with benchmarks/generate.py) and builds it with our plugin: build seconds, and how many
   of them the Pagefind index took (the plugin logs it).
2. Serves the site on 127.0.0.1 twice: plainly (Python's http.server) and gzip-compressing
   text files as GitHub Pages does.
3. In a fresh headless Chromium per measurement, opens a page, types a query into the
   header search (on a review page) or the explorer, and measures the bytes received from
   the keystroke until the first results are on screen (all requests, headers included),
   the milliseconds from the keystroke to the first results, and to the complete results.

    python -m benchmarks.search_bench                    # national scale, about 3 minutes
    python -m benchmarks.search_bench --reviews 250      # smaller
    python -m benchmarks.search_bench --site DIR         # measure an already built site

Budget (DESIGN.md §6, as served, so judged on the gzip rows): at most 120 kB before the
first results, shown within 200 ms. The plain rows show what compression saves.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .bench import env, generate, make_project
from .generate import NATIONAL

REPO = Path(__file__).resolve().parents[1]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUERIES = ("vulnerable groups", "governors", "quality assurance of support")
BUDGET_BYTES = 120_000  # as served (gzip)
BUDGET_MS = 200
GZIP_TYPES = (".html", ".js", ".css", ".json", ".xml", ".svg", ".txt")
# What each request before the first results is, by its URL (first match wins).
KINDS = (("pagefind.js", r"/pagefind/pagefind\.js"), ("entry JSON", r"pagefind-entry\.json"),
         ("manifest", r"archive-search\.json"), ("WASM", r"\.pagefind$"), ("meta", r"\.pf_meta$"),
         ("index chunks", r"\.pf_index$"), ("filter chunks", r"\.pf_filter$"),
         ("fragments", r"\.pf_fragment$"), ("our JS", r"/javascripts/.*\.js"),
         ("facet data", r"\.json$"))


def kind(url: str) -> str:
    """What a fetched URL is, for the breakdown of the bytes before first results."""
    path = url.split("?", 1)[0]
    return next((name for name, pattern in KINDS if re.search(pattern, path)), "other")


def breakdown(files: list[tuple[str, int]]) -> str:
    """`kind n×kB` for each kind of request, largest first."""
    totals: dict[str, list[int]] = {}
    for url, size in files:
        totals.setdefault(kind(url), []).append(size)
    return ", ".join(f"{name} {len(sizes)}× {sum(sizes) / 1000:.1f}"
                     for name, sizes in sorted(totals.items(), key=lambda item: -sum(item[1])))


# --- build ---------------------------------------------------------------------------------


def build(work: Path, reviews: int, seed: int) -> tuple[Path, float, float, float]:
    """Generate and build; return the site, the build seconds, the index seconds (it runs
    beside the page build) and the seconds of it after the pages were built."""
    project = make_project(work / "project", generate(work, reviews, seed))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
                           "-d", str(project / "site")], cwd=project, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"build failed:\n{done.stdout}{done.stderr}")
    logged = re.search(r"Search index: .* in ([\d.]+) s, ([\d.]+) s of it after", done.stdout + done.stderr)
    if not logged:
        return project / "site", seconds, float("nan"), float("nan")
    return project / "site", seconds, float(logged.group(1)), float(logged.group(2))


# --- serving -------------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


class _Gzip(_Quiet):
    """Compress text files when the browser accepts it, as GitHub Pages does."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in GZIP_TYPES or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
        """A browser context closed mid-download (after its results were measured): not news."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path, compress: bool) -> Iterator[str]:
    handler = functools.partial(_Gzip if compress else _Quiet, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- measuring in Chromium -----------------------------------------------------------------

# Set up in the page before typing: note when the first results for the whole query
# appear (the list says which query it shows), and when they are complete (the status
# says so), against the time of the last input event.
WATCH = """([results, query]) => {
  window.__bench = {};
  const list = document.querySelector(results);
  new MutationObserver(() => {
    if (!window.__bench.first && list.dataset.query === query && list.querySelector("li")) {
      window.__bench.first = performance.now();
    }
    if (!window.__bench.complete && done()) window.__bench.complete = performance.now();
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  document.addEventListener("input", () => { window.__bench.typed = performance.now(); }, true);
}"""


@dataclass
class Measure:
    where: str
    query: str
    served: str
    typing: int
    bytes_first: int
    requests_first: int
    ms_first: float
    ms_complete: float
    bytes_complete: int
    page_bytes: int
    files: list[tuple[str, int]] = field(default_factory=list)


def measure(browser, base: str, where: str, query: str, served: str, review: str,  # type: ignore[no-untyped-def]
            typing: int) -> Measure:
    """One cold-cache search: a fresh context, the page loaded, the box focused, the query typed.

    With `typing` 0 the query is filled in at once, the moment the box gets focus, so
    nothing can be fetched ahead; otherwise it is typed key by key, `typing` ms apart, and
    times run from the last key. Bytes count everything from the focus on.
    """
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    received: list[tuple[float, str, int]] = []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: received.append(
        (time.perf_counter(), urls.get(e["requestId"], "?"), int(e["encodedDataLength"]))))
    if where == "header":
        page.goto(f"{base}reviews/{review}/", wait_until="networkidle")
        results, box = "#pra-search-results", "#pra-search-input"
        done = "() => document.querySelector('#pra-search-status').textContent.includes(`“${query}”`)"
    else:
        page.goto(base + "recommendations/", wait_until="networkidle")
        results, box = ".pra-explorer__results", "#pra-explorer-q"
        done = ("() => document.querySelector('.pra-explorer__results').getAttribute('aria-busy') === 'false'"
                " && document.querySelector('.pra-explorer__status').textContent.includes(`“${query}”`)")
    page.evaluate(WATCH.replace("done()", f"({done})()"), [results, query])
    page_bytes = sum(size for _, _, size in received)
    loaded = len(received)
    typed_at = time.perf_counter()
    if typing:
        page.focus(box)
        page.keyboard.type(query, delay=typing)
    else:
        page.fill(box, query)
    page.wait_for_function("() => window.__bench.first", timeout=30_000)
    first_at = time.perf_counter()
    page.wait_for_function("() => window.__bench.complete", timeout=60_000)
    page.wait_for_load_state("networkidle")
    times = page.evaluate("() => window.__bench")
    after = received[loaded:]
    before_first = [(url, size) for at, url, size in after if typed_at <= at <= first_at]
    context.close()
    return Measure(where, query, served, typing, sum(s for _, s in before_first), len(before_first),
                   times["first"] - times["typed"], times["complete"] - times["typed"],
                   sum(size for _, _, size in after), page_bytes, before_first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=NATIONAL["reviews"])
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out" / "search")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--runs", type=int, default=3, help="cold-cache runs per query (median shown)")
    parser.add_argument("--typing", type=int, nargs="*", default=[0, 80],
                        help="ms between keys; 0 fills the box at once (default: 0 80)")
    parser.add_argument("--queries", nargs="*", default=list(QUERIES), help="the queries typed")
    parser.add_argument("--where", nargs="*", default=["header", "explorer"], choices=["header", "explorer"])
    parser.add_argument("--served", nargs="*", default=["plain", "gzip"], choices=["plain", "gzip"],
                        help="how to serve (default: plain gzip; the budget is judged on gzip)")
    parser.add_argument("--verbose", action="store_true", help="list the files fetched before first results")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    if args.site:
        site = args.site
        print(f"site: {site}")
    else:
        print(f"building {args.reviews} reviews, {args.reviews * 15:,} findings ...", flush=True)
        site, seconds, index, after = build(args.work, args.reviews, args.seed)
        print(f"build: {seconds:.1f} s; the search index took {index:.1f} s beside the page build, "
              f"{after:.1f} s of it after the pages ({after / seconds:.0%} of the build)")
    pagefind = site / "pagefind"
    size = sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file())
    print(f"index: {size / 1e6:.1f} MB in {sum(1 for _ in pagefind.rglob('*'))} files")

    review = next(p.name for p in sorted((site / "reviews").iterdir()) if p.is_dir())
    rows: list[Measure] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for served, compress in (("plain", False), ("gzip", True)):
            if served not in args.served:
                continue
            with serve(site, compress) as base:
                for where in args.where:
                    for typing in args.typing:
                        for query in args.queries:
                            runs = [measure(browser, base, where, query, served, review, typing)
                                    for _ in range(args.runs)]
                            rows.append(sorted(runs, key=lambda m: m.ms_first)[len(runs) // 2])
        browser.close()

    print(f"\n{'search':9} {'served':6} {'typing':>6} {'query':30} {'kB first':>8} {'req':>4} {'ms first':>8} "
          f"{'ms all':>7} {'kB all':>7} {'page kB':>7}")
    for m in rows:
        print(f"{m.where:9} {m.served:6} {m.typing:6} {m.query:30} {m.bytes_first / 1000:8.1f} {m.requests_first:4d} "
              f"{m.ms_first:8.0f} {m.ms_complete:7.0f} {m.bytes_complete / 1000:7.1f} {m.page_bytes / 1000:7.1f}")
        print(f"{'':9} before first: {breakdown(m.files)}")
        if args.verbose:
            for url, size in m.files:
                print(f"    {size / 1000:7.1f} kB  {url.split('/', 3)[-1]}")
    judged = [m for m in rows if m.served == "gzip"] or rows
    worst_bytes = max(judged, key=lambda m: m.bytes_first)
    worst_ms = max(judged, key=lambda m: m.ms_first)
    print(f"\nworst ({judged[0].served}): {worst_bytes.bytes_first / 1000:.1f} kB before first results "
          f"(budget {BUDGET_BYTES / 1000:.0f}; {worst_bytes.where}, “{worst_bytes.query}”), "
          f"{worst_ms.ms_first:.0f} ms to first results (budget {BUDGET_MS}; {worst_ms.where}, “{worst_ms.query}”); "
          f"median {statistics.median(m.ms_first for m in judged):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
