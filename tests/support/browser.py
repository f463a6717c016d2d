"""The browser tests' shared machinery (tests/test_browser.py, tests/test_browser_quality.py).

The real archive (reviews/) is built once per session and served on 127.0.0.1; one
Chromium (Debian's, through Playwright) serves every browser test. The fixtures are made
known to every test module by tests/conftest.py: Playwright's sync API allows one running
instance, so two modules may not each start their own.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.builds import ROOT, build, make_project

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


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
"""Why the browser tests cannot run here, or None. Outside CI they skip; in CI they fail."""

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
    """A page with its console errors, error responses and requests to other hosts collected.

    No page of the site may ask any host but its own for anything (issue 14): every such
    request is recorded in `foreign` and refused, as an offline reader's browser would."""

    def __init__(self, browser: Any, base: str, **context: Any):
        self.context = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | context))
        self.context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|blob:|data:)"), self._foreign)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.foreign: list[str] = []  # requests to any other host, refused
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
            self.errors.append(f"{self.page.url}: {message.text}: {url}")
            return
        if message.text.startswith("Failed to load resource") and self.foreign:
            return  # a refused request to another host: counted in `foreign`
        self.errors.append(f"{self.page.url}: {message.text}")

    def _foreign(self, route: Any) -> None:
        self.foreign.append(f"{self.page.url}: {route.request.url}")
        route.abort()

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page


@pytest.fixture
def tab(browser: Any, base: str) -> Iterator[Tab]:
    opened = Tab(browser, base)
    yield opened
    opened.context.close()



# --- page kinds and helpers ------------------------------------------------------------

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
    "compare": "compare/?a=thurrock&b=cambridgeshire",
    "network": "network/",
    "data": "data/",
    "record format": "record-format/",
    "about": "about/",
    "accessibility statement": "accessibility/",
    "not found": "no-such-page/",
}


def settled(page: Any) -> None:
    """Wait until the explorer has shown complete results and their facet counts."""
    page.wait_for_function("() => document.querySelector('#pra-explorer-form').dataset.counted === 'true'"
                           " && (document.querySelector('.pra-explorer__status').dataset.count !== undefined"
                           "     || !document.querySelector('.pra-explorer__results').childElementCount)")


def scheme_of(page: Any, scheme: str) -> None:
    """Switch Material's colour scheme, as its palette toggle does, with no transition
    left running (axe would otherwise measure colours half-way)."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)


