"""The page plan: every page of the site, what it is about, and its rendered body.

Planning is cheap (urls, titles, record files) and happens first, so the MkDocs adapter
can register every page before any is rendered; `SitePlan.render` then renders one body
with Jinja, once, when the page is needed. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..graph.indexes import Graph, build_graph
from ..graph.similarity import Matcher
from ..outputs.memo import Memo
from ..records import urls
from ..records.archive import Archive
from ..records.evidence import SOURCES_FOLDER
from . import views
from .chrome import compact_markup
from .dependencies import Shows, shows, words_edited
from .extras import DataPages
from .page import PageKind, PlannedPage
from .paging import page_count
from .render import render
from .years import REVIEWS_PER_PAGE, reviews_by_year

__all__ = ["Body", "Heading", "PlannedPage", "SitePlan"]

PRINTED_AS_WRITTEN = frozenset({"source"})
"""Page kinds whose body prints record text as written (a source document's lines, white space
kept by CSS): left with the templates' white space. Every other body is compacted."""


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str  # HTML, already escaped
    children: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class Body:
    html: str
    toc: tuple[Heading, ...]
    anchors: frozenset[str]


def _toc(body: str) -> tuple[Heading, ...]:
    """The right-hand contents, read from our own rendered h2/h3 (whose text is escaped)."""
    top: list[tuple[Heading, list[Heading]]] = []
    for level, anchor, inner in _HEADING.findall(body):
        title = " ".join(_TAG.sub("", inner).split())
        if level == "2" or not top:
            top.append((Heading(int(level), anchor, title), []))
        else:
            top[-1][1].append(Heading(3, anchor, title))
    return tuple(Heading(h.level, h.id, h.title, tuple(children)) for h, children in top)


class SitePlan:
    """Every page of the site for one archive, and the renderer of their bodies."""

    def __init__(self, archive: Archive, graph: Graph | None = None, *, site_url: str | None = None,
                 site_name: str = "Peer Review Archive", memo: Memo | None = None,
                 matcher: Matcher | None = None, declare: bool = True, previous: SitePlan | None = None):
        """`previous` (serve): the last build's plan, whose pages are kept where an edit
        cannot have changed them (`_kept`)."""
        self.archive = archive
        # What each page shows (`dependencies.py`) keys it under `pra serve`; a build that
        # keys nothing leaves it undeclared (23 MB of declarations at 1,000 reviews).
        self.declare = declare
        # serve: the documents of which only findings' text changed since the last plan (None: more did)
        self.edited = words_edited(previous.archive, archive) if previous is not None else None
        self.graph = graph or build_graph(archive, matcher=matcher,
                                          previous=previous.graph if previous is not None else None,
                                          reworded=self.edited)
        # Downloads, feeds, pictures and citations (extras.py); site_url makes feeds absolute.
        self.data = DataPages(archive, self.graph, site_url, site_name, memo)
        self.names = {a.id: a.name for a in archive.authorities.values()}
        # Each matched finding as "Who else faced it" lists it, made once a build (views/trails.py);
        # tests/test_dependencies.py empties it before each recorded render.
        self.related: dict[tuple[tuple[str, str], str], views.Related] = {}
        kept = self._kept(previous) if previous is not None else None
        self.kept = kept is not None  # whether the last plan's pages were kept (tests ask)
        self.pages = self._plan() if kept is None else kept

    def _kept(self, previous: SitePlan) -> list[PlannedPage] | None:
        """The last plan's pages, when only findings' words changed since (None otherwise):
        each page is the same object, declaration and all, except the pages of the edited
        documents and of those whose matches changed, which are declared again. Keeping
        them is what lets serve key and compare only what an edit reaches."""
        if not (self.declare and previous.declare):
            return None
        edited = self.edited
        if edited is None:
            return None
        before, after = previous.graph.matches, self.graph.matches
        # (the same findings ask for change: their ids and kinds are part of the outline)
        again = edited | {key[0] for key, found in after.items() if before.get(key) is not found}
        return [replace(page, shows=shows(page.kind, page.subject, self.graph))
                if page.kind in ("review", "context") and page.subject in again else page
                for page in previous.pages]

    def _plan(self) -> list[PlannedPage]:
        files, graph = self.archive.files, self.graph
        declared = shows if self.declare else lambda *_: Shows()

        def index(section: str, title: str, kind: PageKind, url: str | None = None) -> PlannedPage:
            url = urls.INDEX_URLS[section] if url is None else url
            return PlannedPage(url, title, kind, in_nav=True, shows=declared(kind, None, graph))

        def about(url: str, title: str, kind: PageKind, subject: str, record: Path | None) -> PlannedPage:
            return PlannedPage(url, title, kind, subject, record, shows=declared(kind, subject, graph))

        def paged(url: Callable[[str, int], str], title: str, kind: PageKind, theme_id: str,
                  items: int) -> list[PlannedPage]:
            """The numbered pages of a long list (none for an empty one)."""
            return [PlannedPage(url(theme_id, n), title + f", page {n}" * (n > 1), kind, theme_id, files.get("themes"),
                                shows=declared(kind, theme_id, graph, n), number=n)
                    for n in range(1, page_count(items) + 1) if items]

        pages = [index("", "Home", "home", urls.HOME_URL), index("authorities", "Authorities", "authorities"),
                 index("reviews", "Reviews", "reviews"), index("themes", "Themes", "themes"),
                 index("network", "Network", "network"), index("data", "Data", "data"),
                 index("recommendations", "Recommendations", "recommendations")]
        pages.append(PlannedPage(urls.NETWORK_TABLE_URL, "Who reviewed whom, as a table", "network-table",
                                 shows=declared("network-table", None, graph)))  # reached from the network page
        for y, ids in reviews_by_year(self.archive).items():  # every review, a year at a time
            pages += [PlannedPage(urls.reviews_year_url(y, n), f"Reviews in {y}" + f", page {n}" * (n > 1),
                                  "reviews-year", y, shows=declared("reviews-year", y, graph, n), number=n)
                      for n in range(1, page_count(len(ids), REVIEWS_PER_PAGE) + 1)]
        pages.append(PlannedPage(urls.INDEX_URLS["compare"], "Compare two authorities", "compare",
                                 shows=declared("compare", None, graph)))  # reached from authority pages
        pages += [about(urls.authority_url(a.id), a.name, "authority", a.id, files.get("authorities"))
                  for a in sorted(self.archive.authorities.values(), key=lambda a: a.id)]
        for a in self.archive.authorities.values():  # a prolific authority's long lists, a page at a time
            for kind, count in views.authority.listings(graph, a.id).items():
                url = urls.authority_as_peer_url if kind == "authority-as-peer" else urls.authority_offers_url
                title = "as a peer" if kind == "authority-as-peer" else "offers of support"
                pages += [PlannedPage(url(a.id, n), f"{a.name}: {title}" + f", page {n}" * (n > 1), kind, a.id,
                                      files.get("authorities"), shows=declared(kind, a.id, graph, n), number=n)
                          for n in range(1, page_count(count, views.authority.LISTED_PER_PAGE) + 1)]
        pages += [about(urls.review_url(r.id), r.title, "review", r.id, files.get(r.id))
                  for r in self.archive.reviews.values()]
        pages += [about(urls.theme_url(t.id), t.name, "theme", t.id, files.get("themes"))
                  for t in self.archive.themes.values()]
        for t in self.archive.themes.values():  # every finding and offer on it, a page at a time
            findings = len(graph.findings_by_theme.get(t.id, ()))
            offers = len(graph.offers_by_theme.get(t.id, ()))
            pages += paged(urls.theme_findings_url, f"{t.name}: findings", "theme-findings", t.id,
                           findings)
            pages += paged(urls.theme_offers_url, f"{t.name}: offers of support", "theme-offers", t.id,
                           offers if offers > views.theme.OFFERS_SHOWN else 0)
        pages += [about(urls.context_url(d.id), d.title, "context", d.id, files.get(d.id))
                  for d in self.archive.context_documents.values()]
        if self.archive.documents:
            pages.append(PlannedPage(urls.INDEX_URLS["sources"], "Source documents", "sources",
                                     record=files.get("sources"), shows=declared("sources", None, graph)))
            pages += [about(urls.source_document_url(d.id), d.title, "source", d.id,
                            Path(SOURCES_FOLDER) / f"{d.id}.txt")  # the edit button opens the text
                      for d in self.archive.documents.values()]
        return sorted(pages, key=lambda p: p.url)

    def render(self, page: PlannedPage, sections: Iterable[str] = ()) -> Body:
        """The page's body HTML (from its h1 down), its contents and its anchor urls.

        `sections` names the optional site sections that exist (e.g. `recommendations`),
        so that no page links to one that is not there.
        """
        context = self._context(page, frozenset(sections))
        html = render(f"{page.kind}.html", **context)
        if page.kind not in PRINTED_AS_WRITTEN:  # the templates' indentation (about 1 kB a review page)
            html = compact_markup(html)
        return Body(html, _toc(html) if page.kind in ("review", "authority", "theme", "theme-findings", "context",
                                                       "source", "reviews", "reviews-year", "network", "data")
                    else (),
                    frozenset(_ID.findall(html)))

    def _context(self, page: PlannedPage, sections: frozenset[str]) -> dict[str, object]:
        inputs = views.Inputs(self.archive, self.graph, self.names, self.data, sections, self.related)
        return {"view": views.BUILDERS[page.kind](page, inputs)}
