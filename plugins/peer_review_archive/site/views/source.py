"""A source document's page (its text, line by line, each cited line linked back to the
items quoting it) and the index of source documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...records import urls
from ...records.evidence import Citation, citations, lines_text
from ...records.models import ContextDocument, Review
from ..page import AuthorityRef, Links, PlannedPage
from ..render import safe_url
from .common import Breadcrumbs, Inputs, Ref, breadcrumbs, page_links

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # Symbol-font bullets from PDFs: shown as bullets


@dataclass(frozen=True)
class CitingLink:
    """An item quoting lines that start on this one: 'Thurrock …: Recommendation 2' (lines 101–103)."""

    href: str
    label: str
    lines: str


@dataclass(frozen=True)
class SourceRow:
    """One line of the text: its number, its words, and the items whose cited lines start here."""

    number: int
    text: str
    cited: bool
    citing: tuple[CitingLink, ...]


@dataclass(frozen=True)
class SourceView:
    breadcrumbs: Breadcrumbs
    title: str
    authority: AuthorityRef | None
    body: str | None
    date: str | None
    agenda_item: str | None
    author: str | None
    url: str | None  # only http(s)
    licence: str
    records: tuple[Ref, ...]  # the reviews and context documents whose sources name it
    note: str | None
    rows: tuple[SourceRow, ...]


@dataclass(frozen=True)
class SourceListing:
    title: str
    href: str
    body: str | None
    authority: str | None  # its name
    date: str | None
    records: tuple[Ref, ...]


@dataclass(frozen=True)
class SourcesView:
    breadcrumbs: Breadcrumbs
    documents: tuple[SourceListing, ...]


def _citing(document_id: str, inputs: Inputs) -> list[Review | ContextDocument]:
    """The reviews and context documents whose sources name the document, in the graph's order."""
    archive = inputs.archive
    return [archive.reviews.get(i) or archive.context_documents[i]
            for i in inputs.graph.mentions.get(("source", document_id), ())]


def _record_refs(records: list[Review | ContextDocument], link: Links) -> tuple[Ref, ...]:
    return tuple(Ref(r.title, link.review(r.id) if isinstance(r, Review) else link.context(r.id)) for r in records)


def rows(lines: tuple[str, ...], cites: list[Citation], link: Links) -> tuple[SourceRow, ...]:
    starting: dict[int, list[CitingLink]] = {}
    cited: set[int] = set()
    for c in cites:
        page = urls.review_url(c.owner_id) if c.owner_kind == "review" else urls.context_url(c.owner_id)
        href = link.to(urls.anchor_url(page, c.anchor) if c.anchor else page)
        starting.setdefault(c.first, []).append(CitingLink(href, c.label, lines_text(c.first, c.last)))
        cited.update(range(c.first, c.last + 1))
    return tuple(SourceRow(n, _PRIVATE_USE.sub("•", line), n in cited, tuple(starting.get(n, ())))
                 for n, line in enumerate(lines, 1))


def build(page: PlannedPage, inputs: Inputs) -> SourceView:
    archive = inputs.archive
    d = archive.documents[page.subject or ""]
    link = page_links(page, inputs)
    records = _citing(d.id, inputs)
    return SourceView(
        breadcrumbs=breadcrumbs(link, ("Source documents", link.index("sources")), (d.title, None)),
        title=d.title, authority=link.authority_ref(d.authority) if d.authority else None, body=d.body,
        date=d.date, agenda_item=d.agenda_item, author=d.author, url=safe_url(d.url), licence=d.licence,
        records=_record_refs(records, link), note=d.note,
        rows=rows(archive.source_lines.get(d.id, ()), citations(records, d.id), link))


def build_index(page: PlannedPage, inputs: Inputs) -> SourcesView:
    link = page_links(page, inputs)
    documents = sorted(inputs.archive.documents.values(), key=lambda d: (d.date or "", d.id))
    return SourcesView(
        breadcrumbs=breadcrumbs(link, ("Source documents", None)),
        documents=tuple(SourceListing(d.title, link.source_document(d.id), d.body,
                                      inputs.names[d.authority] if d.authority else None, d.date,
                                      _record_refs(_citing(d.id, inputs), link))
                        for d in documents))
