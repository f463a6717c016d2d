"""The site in real headless Chromium: search, the explorer, and accessibility (issue 4).

The real archive (reviews/) is built once per session with the repository's config and
served on 127.0.0.1; every test drives Debian's Chromium through Playwright. Expected
counts come from the records themselves, never from the page. Outside CI the module skips
(saying why) when Chromium or Playwright is missing; with CI set it fails instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peer_review_archive.graph.indexes import build_graph
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.search.records import finding_filters
from support.builds import ROOT, build, make_project

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[test]')"
    return None


REASON = _missing()
if REASON and not os.environ.get("CI"):
    print(f"\ntests/test_browser.py skipped: {REASON}")
    pytest.skip(REASON, allow_module_level=True)

# --- the site, served ------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page for missing paths, as GitHub Pages does."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert REASON is None, f"browser tests cannot run with CI set: {REASON}"
    project = make_project(tmp_path_factory.mktemp("browser") / "project", ROOT / "reviews")
    result = build(project)
    assert result.ok, result.output
    return result.site


@pytest.fixture(scope="session")
def base(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A page with its console errors collected; the outside world answered empty, offline."""

    def __init__(self, browser: Any, base: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), self._offline)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.known: list[str] = []
        self.failed: list[str] = []  # URLs answered with an error status, in order
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(r.url))

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and self.failed:
            url = self.failed.pop(0)
            if url == self.page.url and url.endswith("/no-such-page/"):
                return  # the not-found page itself: its 404 status is the point
            if url.endswith("/sitemap.xml") and url != self.base + "sitemap.xml":
                # Known, not search's: Material fetches sitemap.xml beside every
                # <link rel="alternate">, and the per-page Atom feeds are such links.
                self.known.append(url)
                return
            self.errors.append(f"{self.page.url}: {message.text}: {url}")
            return
        self.errors.append(f"{self.page.url}: {message.text}")


    @staticmethod
    def _offline(route: Any) -> None:
        """Google Fonts and the GitHub API (Material's repository facts): nothing, quietly."""
        url = route.request.url
        kind = "application/json" if "api.github.com" in url else "text/css"
        route.fulfill(status=200, content_type=kind, body="{}" if kind == "application/json" else "")

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page


@pytest.fixture
def tab(browser: Any, base: str) -> Iterator[Tab]:
    opened = Tab(browser, base)
    yield opened
    opened.context.close()


# --- expected values, from the records ---------------------------------------------------


@pytest.fixture(scope="session")
def filters() -> list[dict[str, list[str]]]:
    """Every finding's facet values, as the index is given them."""
    graph = build_graph(load_archive(ROOT / "reviews"))
    return [finding_filters(entry, graph.archive) for entry in graph.findings.values()]


def expected(filters: list[dict[str, list[str]]], **chosen: list[str]) -> list[dict[str, list[str]]]:
    """Findings matching every chosen facet (any of its values)."""
    return [f for f in filters if all(set(values) & set(f.get(key, [])) for key, values in chosen.items())]


def counts(found: list[dict[str, list[str]]], key: str) -> Counter[str]:
    return Counter(value for f in found for value in f.get(key, []))


# --- the explorer ------------------------------------------------------------------------


def settled(page: Any) -> None:
    """Wait until the explorer has shown complete results and their facet counts."""
    page.wait_for_function("() => document.querySelector('#pra-explorer-form').dataset.counted === 'true'"
                           " && (document.querySelector('.pra-explorer__status').dataset.count !== undefined"
                           "     || !document.querySelector('.pra-explorer__results').childElementCount)")


def shown_count(page: Any) -> int:
    return int(page.locator(".pra-explorer__status").get_attribute("data-count"))


def facet_counts(page: Any, key: str) -> dict[str, int]:
    return page.evaluate("""key => Object.fromEntries([...document.querySelectorAll(`input[name="${key}"]`)]
        .map(box => [box.value, Number(box.closest('label').querySelector('.pra-facet__count')
        .textContent.replace(/[()]/g, ''))]))""", key)


THURROCK_16 = "reviews/thurrock-2016/#recommendation-1-6"


def test_search_finds_thurrock_recommendation_and_lands_on_it(tab: Tab) -> None:
    page = tab.open("recommendations/")
    page.fill("#pra-explorer-q", "vulnerable groups")
    link = page.locator(f'.pra-explorer__results a[href$="{THURROCK_16}"]')
    link.wait_for()
    result = link.locator("xpath=ancestor::li[1]")
    assert "Develop a cross-service strategy to improve outcomes for vulnerable groups." in result.inner_text()
    assert "Thurrock" in result.inner_text() and "28 June 2016" in result.inner_text()
    themes = result.locator(".pra-result__themes a")
    assert [a.inner_text() for a in themes.all()] == ["Vulnerable groups", "Strategy and priorities"]
    assert themes.first.get_attribute("href").endswith("themes/vulnerable-groups/")
    link.click()
    page.wait_for_url(re.compile(r"/reviews/thurrock-2016/#recommendation-1-6$"))
    target = page.locator("#recommendation-1-6")
    assert target.is_visible()
    assert page.evaluate("() => document.querySelector(':target')?.id") == "recommendation-1-6"
    assert target.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    assert not tab.errors


def test_theme_and_authority_facets_narrow_with_correct_counts(tab: Tab, filters: list[dict[str, list[str]]]) -> None:
    page = tab.open("recommendations/")
    settled(page)
    assert facet_counts(page, "theme") == {k: v for k, v in counts(filters, "theme").items()}

    page.check('input[name="theme"][value="vulnerable-groups"]')
    settled(page)
    by_theme = expected(filters, theme=["vulnerable-groups"])
    assert shown_count(page) == len(by_theme)
    hosts = facet_counts(page, "host")
    assert {k: v for k, v in hosts.items() if v} == dict(counts(by_theme, "host"))
    assert "theme=vulnerable-groups" in page.url

    page.check('input[name="host"][value="thurrock"]')
    settled(page)
    both = expected(filters, theme=["vulnerable-groups"], host=["thurrock"])
    assert 0 < shown_count(page) == len(both) < len(by_theme)
    # A facet's own counts ignore its own choice: themes are counted over Thurrock's findings.
    themes = facet_counts(page, "theme")
    assert {k: v for k, v in themes.items() if v} == dict(counts(expected(filters, host=["thurrock"]), "theme"))
    kinds = facet_counts(page, "kind")
    assert {k: v for k, v in kinds.items() if v} == dict(counts(both, "kind"))
    assert len(page.locator(".pra-explorer__results > li").all()) == min(20, len(both))

    page.check('input[name="theme"][value="use-of-data"]')  # one facet's values widen
    settled(page)
    assert shown_count(page) == len(expected(filters, theme=["vulnerable-groups", "use-of-data"], host=["thurrock"]))
    assert not tab.errors


def test_a_shared_url_restores_query_and_filters(tab: Tab) -> None:
    page = tab.open("recommendations/")
    page.fill("#pra-explorer-q", "vulnerable groups")
    page.check('input[name="host"][value="thurrock"]')
    settled(page)
    shared = page.url
    assert "q=vulnerable+groups" in shared and "host=thurrock" in shared

    for visit in ("open the shared URL", "reload"):
        page = tab.open(shared.removeprefix(tab.base)) if visit.startswith("open") else page
        if visit == "reload":
            page.reload(wait_until="networkidle")
        settled(page)
        assert page.input_value("#pra-explorer-q") == "vulnerable groups", visit
        assert page.is_checked('input[name="host"][value="thurrock"]'), visit
        assert page.locator(f'.pra-explorer__results a[href$="{THURROCK_16}"]').count() == 1, visit
        hosts = {a.inner_text() for a in page.locator(".pra-result__meta a:first-of-type").all()}
        assert hosts == {"Thurrock"}, visit
    assert not tab.errors


def test_explorer_searches_nothing_for_one_letter(tab: Tab) -> None:
    """One letter narrows nothing: the explorer asks for words and fetches no index for it."""
    page = tab.open("recommendations/")
    page.fill("#pra-explorer-q", "vulnerable groups")
    settled(page)
    assert page.locator(".pra-explorer__results li").count() > 0
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.fill("#pra-explorer-q", "v")
    settled(page)
    assert page.locator(".pra-explorer__results li").count() == 0
    assert page.locator(".pra-explorer__status").inner_text().startswith("Type words to search for")
    assert [url for url in fetched if "/pagefind/" in url] == []
    assert not tab.errors


def test_explorer_works_from_the_keyboard(tab: Tab) -> None:
    page = tab.open("recommendations/")
    page.focus("#pra-explorer-q")
    page.keyboard.type("vulnerable groups")
    page.locator(f'.pra-explorer__results a[href$="{THURROCK_16}"]').wait_for()
    status = page.locator(".pra-explorer__status")
    assert status.get_attribute("role") == "status"
    settled(page)
    assert re.match(r"\d+ findings? for “vulnerable groups”", status.inner_text())
    page.keyboard.press("Tab")  # into the first facet's first checkbox
    assert page.evaluate("() => document.activeElement.type") == "checkbox"
    page.keyboard.press("Space")
    settled(page)
    assert "host=" in page.url
    assert not tab.errors


def test_explorer_without_javascript_links_to_the_findings(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "recommendations/")
    assert not page.locator("#pra-explorer-form").is_visible()
    themes = page.locator(".pra-explorer__themes a")
    assert themes.count() > 5
    assert page.locator('a[href$="reviews/"]').count() >= 1
    with page.expect_navigation(wait_until="load"):
        themes.first.click()
    assert "/themes/" in page.url and page.locator("li.pra-finding").count() > 0
    context.close()


# --- the header search -----------------------------------------------------------------------


def test_header_search_on_a_review_page(tab: Tab) -> None:
    page = tab.open("reviews/east-sussex-2012/")
    page.fill("#pra-search-input", "vulnerable groups")
    link = page.locator(f'#pra-search-results a[href$="{THURROCK_16}"]')
    link.wait_for()
    page.wait_for_function("() => /results? for/.test(document.querySelector('#pra-search-status').textContent)")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('#pra-search-results') !== null")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == "pra-search-input"
    assert page.locator("#pra-search-panel").is_hidden()

    page.fill("#pra-search-input", "Thurrock")  # pages too, once the rest of the index is in
    page.locator('#pra-search-results a[href$="authorities/thurrock/"]').wait_for()
    explorer = page.locator("#pra-search-explorer")
    assert explorer.get_attribute("href").endswith("recommendations/?q=Thurrock")
    page.locator('#pra-search-results a[href$="authorities/thurrock/"]').click()
    page.wait_for_url(re.compile(r"/authorities/thurrock/$"))
    assert not tab.errors


def test_header_search_without_javascript_goes_to_the_explorer(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "themes/")
    page.fill("#pra-search-input", "governors")
    page.press("#pra-search-input", "Enter")
    page.wait_for_url(re.compile(r"/recommendations/\?q=governors$"))
    context.close()


# --- every page kind: no console errors, no axe violations -----------------------------------

PAGES = {
    "home": "",
    "authority index": "authorities/",
    "authority": "authorities/thurrock/",
    "review index": "reviews/",
    "review": "reviews/thurrock-2016/",
    "follow-up anchor": "reviews/east-sussex-2012/#follow-up-2013-03-06",
    "theme index": "themes/",
    "theme": "themes/vulnerable-groups/",
    "theme findings": "themes/vulnerable-groups/findings/",
    "context document": "context/peterborough-vision-for-education-2013/",
    "explorer": "recommendations/",
    "explorer with results": "recommendations/?q=vulnerable+groups&theme=vulnerable-groups",
    "network": "network/",
    "data": "data/",
    "record format": "record-format/",
    "about": "about/",
    "accessibility statement": "accessibility/",
    "not found": "no-such-page/",
}


def test_no_console_errors_on_any_page_kind(tab: Tab) -> None:
    for path in PAGES.values():
        page = tab.open(path)
        if path.startswith("recommendations/?"):
            settled(page)
    page = tab.open("reviews/thurrock-2016/")
    page.fill("#pra-search-input", "governors")
    page.wait_for_function("() => /for “governors”/.test(document.querySelector('#pra-search-status').textContent)")
    if tab.known:
        print("known, outside search (Material x feed links):", *sorted(set(tab.known)), sep="\n  ")
    assert not tab.errors, "\n".join(tab.errors)


def scheme_of(page: Any, scheme: str) -> None:
    """Switch Material's colour scheme, as its palette toggle does, with no transition
    left running (axe would otherwise measure colours half-way)."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)


def _axe(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG)
    return result["violations"]


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_axe_violations(tab: Tab, kind: str, scheme: str) -> None:
    page = tab.open(PAGES[kind])
    scheme_of(page, scheme)
    if kind == "explorer with results":
        settled(page)
    violations = _axe(page)
    assert not violations, f"{kind}, {scheme}:\n{_report(violations)}"


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_axe_violations_with_header_results_open(tab: Tab, scheme: str) -> None:
    page = tab.open("reviews/thurrock-2016/")
    scheme_of(page, scheme)
    page.fill("#pra-search-input", "vulnerable groups")
    page.wait_for_function(
        "() => /for “vulnerable groups”/.test(document.querySelector('#pra-search-status').textContent)")
    violations = _axe(page)
    assert not violations, f"header results, {scheme}:\n{_report(violations)}"
