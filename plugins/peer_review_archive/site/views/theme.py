"""A theme's page: every finding tagged with it, by authority then document, each
document's findings split into what councils were praised for and told to improve."""

from __future__ import annotations

from dataclasses import dataclass

from ...graph.indexes import FindingEntry, part_label
from ...records.dates import year
from ...records.labels import short_label
from ...records.vocabulary import SIDES_HINT
from ..page import Anchors, AuthorityRef, Links, PlannedPage
from .common import Breadcrumbs, Inputs, breadcrumbs, page_links, plural, split_sides

_PARTS_SHOWN = ("follow-up", "response")


@dataclass(frozen=True)
class GlanceRow:
    """One authority's line in the "At a glance" table; it links to its section below."""

    name: str
    href: str
    praised: int
    to_improve: int
    other: int
    peers: tuple[AuthorityRef, ...]


@dataclass(frozen=True)
class ThemeFinding:
    kind: str
    href: str  # its permalink in its document
    label: str
    part: str | None  # where in the document, when not the review itself
    text: str


@dataclass(frozen=True)
class ThemeDocument:
    """One document's findings on the theme (a serve fragment: it depends on it alone)."""

    id: str
    is_review: bool
    year: str
    title: str
    href: str
    date: str
    end_date: str | None
    reviewed_by: tuple[AuthorityRef, ...]
    praised: tuple[ThemeFinding, ...]
    to_improve: tuple[ThemeFinding, ...]
    other: tuple[ThemeFinding, ...]


@dataclass(frozen=True)
class ThemeAuthority:
    anchor: str
    name: str
    href: str
    documents: tuple[ThemeDocument, ...]


@dataclass(frozen=True)
class ThemeOffer:
    authority: AuthorityRef
    host: AuthorityRef
    href: str
    review: str  # the review's title
    text: str


@dataclass(frozen=True)
class ThemeView:
    breadcrumbs: Breadcrumbs
    name: str
    description: str
    scope: str | None  # the theme guide: what it covers
    include: str | None  # the theme guide: when a finding is tagged with it
    counts: str | None  # "12 findings on this theme, from 3 authorities."; None: no finding
    glance_anchor: str | None
    glance: tuple[GlanceRow, ...]
    sides_hint: str
    offers_anchor: str | None
    offers: tuple[ThemeOffer, ...]
    authorities: tuple[ThemeAuthority, ...]


def build(page: PlannedPage, inputs: Inputs) -> ThemeView:
    archive, graph = inputs.archive, inputs.graph
    theme = archive.themes[page.subject or ""]
    link = page_links(page, inputs)
    anchors = Anchors(())
    entries = graph.findings_by_theme.get(theme.id, [])
    grouped = by_authority(entries)
    counts = glance_anchor = None
    glance: tuple[GlanceRow, ...] = ()
    if entries:
        counts = (f"{plural(len(entries), 'finding')} on this theme, "
                  f"from {plural(len(grouped), 'authority', 'authorities')}.")
        glance_anchor = anchors.section("at-a-glance")
        glance = tuple(_glance(authority_id, documents, inputs, anchors, link)
                       for authority_id, documents in grouped)
    offers = graph.offers_by_theme.get(theme.id, [])
    offers_anchor = anchors.section("offers") if offers else None
    return ThemeView(
        breadcrumbs=breadcrumbs(link, ("Themes", link.index("themes")), (theme.name, None)),
        name=theme.name, description=theme.description, scope=theme.scope, include=theme.include, counts=counts,
        glance_anchor=glance_anchor,
        glance=glance, sides_hint=SIDES_HINT, offers_anchor=offers_anchor,
        offers=tuple(ThemeOffer(link.authority_ref(e.offer.authority), link.authority_ref(e.host),
                                link.review(e.review_id, e.offer.id), archive.reviews[e.review_id].title,
                                e.offer.text) for e in offers),
        authorities=tuple(
            ThemeAuthority(anchors.section(authority_id), inputs.names[authority_id], link.authority(authority_id),
                           tuple(_document(document_id, items, inputs, link) for document_id, items in documents))
            for authority_id, documents in grouped))


def by_authority(entries: list[FindingEntry]) -> list[tuple[str, list[tuple[str, list[FindingEntry]]]]]:
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


def _glance(authority_id: str, documents: list[tuple[str, list[FindingEntry]]], inputs: Inputs, anchors: Anchors,
            link: Links) -> GlanceRow:
    reviews = inputs.archive.reviews
    split = split_sides(entry for _, items in documents for entry in items)
    peers = [peer for document_id, _ in documents if document_id in reviews
             for peer in inputs.graph.reviewed_by(reviews[document_id])]
    return GlanceRow(inputs.names[authority_id], f"#{anchors.section(authority_id)}", len(split.praised),
                     len(split.to_improve), len(split.other), link.authority_refs(dict.fromkeys(peers)))


def _document(document_id: str, items: list[FindingEntry], inputs: Inputs, link: Links) -> ThemeDocument:
    split = split_sides(items)

    def findings(entries: tuple[FindingEntry, ...]) -> tuple[ThemeFinding, ...]:
        return tuple(ThemeFinding(e.finding.kind, link.finding(e), short_label(e.finding),
                                  part_label(e) if e.part in _PARTS_SHOWN else None, e.finding.text)
                     for e in entries)

    review = inputs.archive.reviews.get(document_id)
    if review is not None:
        return ThemeDocument(document_id, True, year(review.date), review.title, link.review(review.id),
                             review.date, review.end_date, link.authority_refs(inputs.graph.reviewed_by(review)),
                             findings(split.praised), findings(split.to_improve), findings(split.other))
    d = inputs.archive.context_documents[document_id]
    return ThemeDocument(document_id, False, year(d.date), d.title, link.context(d.id), d.date, None, (),
                         findings(split.praised), findings(split.to_improve), findings(split.other))
