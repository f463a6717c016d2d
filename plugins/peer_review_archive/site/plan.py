"""The page plan: every page of the site, what it is about, and its rendered body.

Planning is cheap (urls, titles, record files) and happens first, so the MkDocs adapter
can register every page before any is rendered; `SitePlan.render` then renders one body
with Jinja, once, when the page is needed. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from markupsafe import Markup, escape

from ..graph.indexes import FindingEntry, Graph, build_graph, part_label, reviewing_authorities
from ..records import urls
from ..records.archive import Archive
from ..records.dates import human_date
from ..records.evidence import SOURCES_FOLDER, Citation, citations, lines_text
from ..records.labels import finding_label, short_label
from ..records.models import Evidence, Finding, Review
from ..records.vocabulary import (
    AUTHORITY_KINDS,
    COMPARATORS,
    EXPECTED_KINDS,
    METHOD_KINDS,
    PAGE_ORDER,
    SPEAKERS,
    kind_label,
    side,
)
from ..search.records import facets
from .dependencies import Shows, shows
from .extras import DataPages
from .render import render

# (page url, fragment name, document id, render) -> the fragment's HTML; see SitePlan._fragment.
FragmentStore = Callable[[str, str, str, Callable[[], Markup]], Markup]

PageKind = Literal["home", "authorities", "authority", "reviews", "review", "themes", "theme", "network", "data",
                   "context", "recommendations", "sources", "source"]

SECTION_TITLES = {"authorities": "Authorities", "reviews": "Reviews", "themes": "Themes",
                  "recommendations": "Recommendations", "network": "Network", "data": "Data",
                  "sources": "Source documents"}
LATEST_REVIEWS = 5

_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class PlannedPage:
    """One page: where it goes, what it is called, and which record an editor changes."""

    url: str
    title: str
    kind: PageKind
    subject: str | None = None
    record: Path | None = None  # relative to the records folder; None for index pages
    in_nav: bool = False
    shows: Shows = Shows()  # what it shows of the records: its serve key is made from this

    @property
    def src_uri(self) -> str:
        return urls.page_file(self.url) if self.url else "index.md"


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


class Links:
    """URLs as written on one page: every target comes from `ids`, made relative here."""

    def __init__(self, here: str, names: dict[str, str]):
        self.here = here
        self.names = names
        self._authority_links: dict[str, Markup] = {}

    def to(self, url: str) -> str:
        return urls.relative_url(self.here, url)

    def home(self) -> str:
        return self.to(urls.HOME_URL)

    def index(self, section: str) -> str:
        return self.to(urls.INDEX_URLS[section])

    def authority(self, authority_id: str) -> str:
        return self.to(urls.authority_url(authority_id))

    def authority_link(self, authority_id: str) -> Markup:
        """An authority's name linking to its page: on most rows of most pages, so in Python."""
        found = self._authority_links.get(authority_id)
        if found is None:
            url, name = escape(self.authority(authority_id)), escape(self.names[authority_id])
            found = Markup(f'<a class="pra-authority" href="{url}">{name}</a>')
            self._authority_links[authority_id] = found
        return found

    def authority_list(self, authority_ids: Iterable[str]) -> Markup:
        """'A, B and C', each linked."""
        links = [self.authority_link(a) for a in authority_ids]
        if len(links) < 2:
            return Markup("".join(links))
        return Markup(", ").join(links[:-1]) + Markup(" and ") + links[-1]

    def review(self, review_id: str, anchor: str | None = None) -> str:
        url = urls.review_url(review_id)
        return self.to(urls.anchor_url(url, anchor) if anchor else url)

    def theme(self, theme_id: str) -> str:
        return self.to(urls.theme_url(theme_id))

    def context(self, document_id: str) -> str:
        return self.to(urls.context_url(document_id))

    def programme(self, programme_id: str) -> str:
        return self.to(urls.programme_anchor(programme_id))

    def finding(self, entry: FindingEntry) -> str:
        return self.to(entry.url)

    def source(self, source_id: str) -> str:
        return f"#{urls.source_anchor(source_id)}"

    def source_document(self, document_id: str) -> str:
        return self.to(urls.source_document_url(document_id))

    def evidence(self, evidence: Evidence) -> str:
        """The cited lines on their source document's page."""
        return self.to(urls.source_lines_url(evidence.document, evidence.first))


class Anchors:
    """Section ids on a page that never collide with the record's own anchors."""

    def __init__(self, taken: Iterable[str]):
        self.taken = set(taken)
        self.given: dict[str, str] = {}

    def section(self, name: str) -> str:
        if name not in self.given:
            anchor = name
            while anchor in self.taken:
                anchor += "-section"
            self.taken.add(anchor)
            self.given[name] = anchor
        return self.given[name]


def group_runs(findings: Iterable[Finding], key: str = "group") -> list[tuple[str | None, list[Finding]]]:
    """Consecutive findings under the same heading, in source order (`group` or `kind`)."""
    runs: list[tuple[str | None, list[Finding]]] = []
    for finding in findings:
        heading = getattr(finding, key)
        if runs and runs[-1][0] == heading:
            runs[-1][1].append(finding)
        else:
            runs.append((heading, [finding]))
    return runs


def by_kind(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {kind: [] for kind in PAGE_ORDER}
    for finding in findings:
        grouped[finding.kind].append(finding)
    return {kind: items for kind, items in grouped.items() if items}


def sides(entries: Iterable[FindingEntry]) -> dict[str, list[FindingEntry]]:
    """A theme page's columns: what councils were praised for, told to improve, and the rest."""
    out: dict[str, list[FindingEntry]] = {"praised": [], "to_improve": [], "other": []}
    for entry in entries:
        out[side(entry.finding.kind)].append(entry)
    return out


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
                 site_name: str = "Peer Review Archive", fragments: FragmentStore | None = None):
        self.archive = archive
        self.fragments = fragments
        self.graph = graph or build_graph(archive)
        # Downloads, feeds, pictures and citations (datapages.py); site_url makes feeds absolute.
        self.data = DataPages(archive, self.graph, site_url, site_name)
        self.names = {a.id: a.name for a in archive.authorities.values()}
        self.pages = self._plan()

    def _plan(self) -> list[PlannedPage]:
        files, graph = self.archive.files, self.graph

        def index(section: str, title: str, kind: PageKind, url: str | None = None) -> PlannedPage:
            url = urls.INDEX_URLS[section] if url is None else url
            return PlannedPage(url, title, kind, in_nav=True, shows=shows(kind, None, graph))

        def about(url: str, title: str, kind: PageKind, subject: str, record: Path | None) -> PlannedPage:
            return PlannedPage(url, title, kind, subject, record, shows=shows(kind, subject, graph))

        pages = [index("", "Home", "home", urls.HOME_URL), index("authorities", "Authorities", "authorities"),
                 index("reviews", "Reviews", "reviews"), index("themes", "Themes", "themes"),
                 index("network", "Network", "network"), index("data", "Data", "data"),
                 index("recommendations", "Recommendations", "recommendations")]
        pages += [about(urls.authority_url(a.id), a.name, "authority", a.id, files.get("authorities"))
                  for a in sorted(self.archive.authorities.values(), key=lambda a: a.id)]
        pages += [about(urls.review_url(r.id), r.title, "review", r.id, files.get(r.id))
                  for r in self.archive.reviews.values()]
        pages += [about(urls.theme_url(t.id), t.name, "theme", t.id, files.get("themes"))
                  for t in self.archive.themes.values()]
        pages += [about(urls.context_url(d.id), d.title, "context", d.id, files.get(d.id))
                  for d in self.archive.context_documents.values()]
        if self.archive.documents:
            pages.append(PlannedPage(urls.INDEX_URLS["sources"], "Source documents", "sources",
                                     record=files.get("sources"), shows=shows("sources", None, graph)))
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
        return Body(html, _toc(html) if page.kind in ("review", "authority", "theme", "context", "source",
                                                       "reviews", "network", "data") else (),
                    frozenset(_ID.findall(html)))

    def _context(self, page: PlannedPage, sections: frozenset[str]) -> dict[str, object]:
        archive, graph = self.archive, self.graph
        context: dict[str, object] = {
            "page": page, "archive": archive, "graph": graph, "names": self.names,
            "link": Links(page.url, self.names), "sections": sections, "section_titles": SECTION_TITLES,
            "kind_label": kind_label, "finding_label": finding_label,
            "short_label": short_label, "group_runs": group_runs,
            "by_kind": by_kind, "sides": sides, "kind_order": PAGE_ORDER,
            "expected_kinds": EXPECTED_KINDS, "authority_kinds": AUTHORITY_KINDS,
            "human_date": human_date, "part_label": part_label,
            "source_anchor": urls.source_anchor, "sources_by_id": {}, "lines_text": lines_text,
            "speaker_phrase": speaker_phrase, "comparators": COMPARATORS, "method_kinds": METHOD_KINDS,
            "fragment": lambda name, document_id, macro, *args: self._fragment(page, name, document_id, macro, *args),
        }
        subject = page.subject
        if page.kind == "review" and subject:
            review = archive.reviews[subject]
            context["review"] = review
            context["sources_by_id"] = {s.id: s for s in review.sources}
            context["anchors"] = Anchors(self._record_anchors(review))
        elif page.kind == "context" and subject:
            document = archive.context_documents[subject]
            context["document"] = document
            context["sources_by_id"] = {s.id: s for s in document.sources}
            taken = {f.id for f in document.findings} | {urls.source_anchor(s.id) for s in document.sources}
            context["anchors"] = Anchors(taken)
        elif page.kind == "authority" and subject:
            context["authority"] = archive.authorities[subject]
            context["anchors"] = Anchors(())
        elif page.kind == "theme" and subject:
            context["theme"] = archive.themes[subject]
            entries = graph.findings_by_theme.get(subject, [])
            context["entries"] = entries
            context["by_authority"] = _by_authority(entries)
            context["glance"] = _glance(archive, context["by_authority"])  # type: ignore[arg-type]
            context["anchors"] = Anchors(())
        elif page.kind == "source" and subject:
            context["document"] = archive.documents[subject]
            cited_in = self._records_citing(subject)
            records = [archive.reviews[i] if kind == "review" else archive.context_documents[i] for kind, i in cited_in]
            context["rows"] = source_rows(archive.source_lines.get(subject, ()), citations(records, subject),
                                          context["link"])  # type: ignore[arg-type]
            context["cited_in"] = cited_in
        elif page.kind == "sources":
            context["documents"] = sorted(archive.documents.values(), key=lambda d: (d.date or "", d.id))
            context["cited_in"] = {d: self._records_citing(d) for d in archive.documents}
        elif page.kind == "home":
            context["latest"] = graph.latest_reviews(LATEST_REVIEWS)
        elif page.kind == "reviews":
            context["anchors"] = Anchors(archive.programmes)
        elif page.kind == "recommendations":
            context["facets"] = facets(graph)
            context["total"] = graph.counts.findings
        context.update(self.data.context(page.kind, page.subject, context["link"].to))
        return context

    def _fragment(self, page: PlannedPage, name: str, document_id: str, macro: Callable[..., Markup],
                  *args: object) -> Markup:
        """Part of a page made from one document only (a template macro's output).

        Without a store this is just the macro call; `mkdocs serve` passes a store that
        keeps each fragment between rebuilds until its document's file changes.
        """
        if self.fragments is None:
            return macro(*args)
        return self.fragments(page.url, name, document_id, lambda: macro(*args))

    def _records_citing(self, document_id: str) -> list[tuple[str, str]]:
        """The reviews and context documents whose sources name the document: (kind, id)."""
        ids = self.graph.mentions.get(("source", document_id), ())
        return [("review" if i in self.archive.reviews else "context", i) for i in ids]

    @staticmethod
    def _record_anchors(review: Review) -> set[str]:
        taken = {f.id for f in review.findings} | {o.id for o in review.offers}
        for visit in review.follow_ups:
            taken |= {visit.id} | {f.id for f in visit.findings}
        for response in review.responses:
            taken |= {response.id} | {f.id for f in response.findings}
        return taken | {urls.source_anchor(s.id) for s in review.sources}



def speaker_phrase(speaker: str | None) -> str:
    return SPEAKERS[speaker][1] if speaker else ""


@dataclass(frozen=True)
class CitingLink:
    url: str
    label: str
    lines: str  # "lines 101–103"


@dataclass(frozen=True)
class SourceRow:
    """One line of a source document's page: its number, its words, and who cites it."""

    number: int
    text: str
    cited: bool
    citing: tuple[CitingLink, ...]  # the items whose cited lines start here


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # Symbol-font bullets from PDFs: shown as bullets


def source_rows(lines: tuple[str, ...], cites: list[Citation], link: Links) -> list[SourceRow]:
    starting: dict[int, list[CitingLink]] = {}
    cited: set[int] = set()
    for c in cites:
        page = urls.review_url(c.owner_id) if c.owner_kind == "review" else urls.context_url(c.owner_id)
        url = link.to(urls.anchor_url(page, c.anchor) if c.anchor else page)
        starting.setdefault(c.first, []).append(CitingLink(url, c.label, lines_text(c.first, c.last)))
        cited.update(range(c.first, c.last + 1))
    return [SourceRow(n, _PRIVATE_USE.sub("•", line), n in cited, tuple(starting.get(n, ())))
            for n, line in enumerate(lines, 1)]


@dataclass(frozen=True)
class GlanceRow:
    """One authority's line in a theme page's "At a glance" table."""

    authority: str
    praised: int
    to_improve: int
    other: int
    peers: list[str]


def _glance(archive: Archive, documents_by_authority: list[tuple[str, list[tuple[str, list[FindingEntry]]]]],
            ) -> list[GlanceRow]:
    rows = []
    for authority_id, documents in documents_by_authority:
        split = sides([entry for _, items in documents for entry in items])
        peers = [peer for document_id, _ in documents if document_id in archive.reviews
                 for peer in reviewing_authorities(archive.reviews[document_id])]
        rows.append(GlanceRow(authority_id, len(split["praised"]), len(split["to_improve"]), len(split["other"]),
                              list(dict.fromkeys(peers))))
    return rows


def _by_authority(entries: list[FindingEntry]) -> list[tuple[str, list[tuple[str, list[FindingEntry]]]]]:
    """Theme findings as authority -> document -> findings, keeping the graph's order."""
    out: list[tuple[str, list[tuple[str, list[FindingEntry]]]]] = []
    for entry in entries:
        if not out or out[-1][0] != entry.authority:
            out.append((entry.authority, []))
        documents = out[-1][1]
        if not documents or documents[-1][0] != entry.owner_id:
            documents.append((entry.owner_id, []))
        documents[-1][1].append(entry)
    return out
