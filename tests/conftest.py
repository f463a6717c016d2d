"""Shared test fixtures: real builds of small sites in a temporary folder, and an HTML reader.

A test project is the repository's own mkdocs.yml, content/ and theme/ with a records
folder of the test's choosing (by default the tiny archive in tests/fixtures/site/), so
what is tested is the site as configured, not a stand-in. Builds run the `mkdocs` command
in a subprocess, as an editor or CI would.

    def test_something(build_site, site_project):
        result = build_site(site_project)          # a fresh copy in tmp_path
        assert result.ok, result.output
        page = read_page(result.site / "reviews" / "thurrock-2016" / "index.html")

`tiny_site` is the tiny archive built once per session, for read-only assertions.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE_FIXTURE = Path(__file__).parent / "fixtures" / "site"
TINY_RECORDS = SITE_FIXTURE / "reviews"


# --- projects and builds ---------------------------------------------------------------


def make_project(dest: Path, records: Path = TINY_RECORDS) -> Path:
    """A copy of the site's configuration, pages and theme, with `records` as reviews/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "theme"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copytree(records, dest / "reviews")
    return dest


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def build(project: Path, site: Path | None = None, *, strict: bool = True) -> BuildResult:
    """Run `mkdocs build` on `project` (its mkdocs.yml) into `site` (default project/site)."""
    site = site or project / "site"
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
               "--site-dir", str(site)]
    if strict:
        command.append("--strict")
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          timeout=600)
    return BuildResult(done.returncode, done.stdout + done.stderr, site)


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the tiny project: change its records, then build it."""
    return make_project(tmp_path / "project")


@pytest.fixture
def build_site() -> Callable[..., BuildResult]:
    return build


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny archive, built once with --strict: read it, never change it."""
    project = make_project(tmp_path_factory.mktemp("tiny") / "project")
    result = build(project)
    assert result.ok, result.output
    return result.site


# --- reading built HTML ----------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    in_article: bool
    text: str = ""


@dataclass
class Page:
    """What a test needs from one built HTML page."""

    path: Path
    elements: list[Element] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    article_text: str = ""
    title: str = ""

    def find(self, tag: str, in_article: bool | None = None, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag
                and (in_article is None or e.in_article == in_article)
                and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def links(self, in_article: bool | None = True) -> list[Element]:
        return [e for e in self.find("a", in_article) if "href" in e.attrs]

    def hrefs(self, in_article: bool | None = True) -> list[str]:
        return [e.attrs["href"] for e in self.links(in_article)]


class _Reader(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.article_depth = 0
        self.open: list[Element] = []
        self.in_title = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        element = Element(tag, values, self.article_depth > 0)
        self.page.elements.append(element)
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "article":
            self.article_depth += 1
        if tag == "title":
            self.in_title = True
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.article_depth -= 1
        if tag == "title":
            self.in_title = False
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data
        if self.in_title:
            self.page.title += data
        if self.article_depth:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.page.comments.append(data)


def read_page(path: Path) -> Page:
    page = Page(path)
    reader = _Reader(page)
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    page.article_text = " ".join("".join(reader.text).split())
    return page


@pytest.fixture
def page_reader() -> Callable[[Path], Page]:
    return read_page


def html_files(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def page_url(site: Path, path: Path) -> str:
    """The site-relative URL of a built page: `reviews/x/index.html` -> `reviews/x/`."""
    relative = path.relative_to(site).as_posix()
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


def resolve(site: Path, from_url: str, href: str) -> tuple[Path, str] | None:
    """The file and fragment a relative link points at, or None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    if not parts.path:
        target_url = from_url
    else:
        target_url = posixpath.normpath(posixpath.join(posixpath.dirname(from_url) or ".",
                                                       unquote(parts.path)))
    target = site / target_url
    if target.is_dir() or parts.path.endswith("/") or target_url == ".":
        target = target / "index.html"
    return target, parts.fragment


def broken_links(site: Path, skip: tuple[str, ...] = ("404.html",)) -> list[str]:
    """Every internal link or fragment in the site that does not resolve, as 'page -> href'."""
    pages: dict[Path, Page] = {}

    def load(path: Path) -> Page:
        if path not in pages:
            pages[path] = read_page(path)
        return pages[path]

    broken = []
    for path in html_files(site):
        if path.name in skip:
            continue
        page = load(path)
        here = page_url(site, path)
        for element in page.elements:
            href = element.attrs.get("href") or element.attrs.get("src")
            if not href or element.tag not in ("a", "link", "script", "img"):
                continue
            resolved = resolve(site, here, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.exists():
                broken.append(f"{here} -> {href} (no file)")
            elif fragment and target.suffix == ".html" and fragment not in load(target).ids:
                broken.append(f"{here} -> {href} (no anchor)")
    return broken
