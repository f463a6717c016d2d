"""Reading built HTML: elements, ids, links, and resolving a link to the file it points at."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
    repeated_ids: list[str] = field(default_factory=list)  # ids that occur more than once
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
            if values["id"] in self.page.ids:
                self.page.repeated_ids.append(values["id"])
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
