"""A theme's pages. The theme page summarises: counts by year and by authority, praised
beside told to improve, the newest findings on each side (in full), the newest offers. Every
finding is listed on the theme's static findings pages (paging.py), by authority then
document, each document in one line and its findings in one list (praised, then told to
improve, other), each by its first sentence and a link to its words in its document (a list
to scan: the words in full were 124 MB of pages at 4,000 reviews; the documents' headings,
reviewers' links and two columns per document were 60 kB of a 200 kB page); the explorer,
filtered to the theme, searches them. No page grows with the
archive beyond its fixed number of findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...graph.indexes import FindingEntry, Graph, OfferEntry, part_label
from ...records.dates import date_range, human_date, year
from ...records.labels import short_label
from ...records.text import first_sentence, last_sentence, plain
from ...records.vocabulary import SIDES_HINT, side
from ..dependencies import newest, newest_offers, theme_sides
from ..page import Anchors, AuthorityRef, Links, PlannedPage
from ..paging import FINDINGS_PER_PAGE, page_count, page_items, page_of
from .common import Breadcrumbs, Inputs, Ref, breadcrumbs, page_links, plural, split_sides

_PARTS_SHOWN = ("follow-up", "response")
OFFERS_SHOWN = 10
"""Offers on the theme page, newest first; more than this and they have a page of their own."""


@dataclass(frozen=True)
class CountRow:
    """One line of a table of counts: a year, or an authority linking to its findings."""

    label: str
    href: str | None
    praised: int
    to_improve: int
    other: int


@dataclass(frozen=True)
class ThemeFinding:
    kind: str
    href: str  # its permalink in its document
    label: str
    part: str | None  # where in the document, when not the review itself
    text: str  # its words: the theme page quotes its newest findings in full
    extract: str  # its first sentence: the findings pages list them to scan, linking to the words
    lead_in: str | None  # the lead-in introducing the list it is in, plain ("... achieved by:")
    lead_in_end: str | None  # its last sentence, the one introducing the list, for the listings


@dataclass(frozen=True)
class NewestFinding:
    """A finding quoted on the theme page, with where it comes from."""

    finding: ThemeFinding
    authority: str
    year: str
    document: Ref


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
    listing: Ref | None  # the first findings page
    explorer: str | None  # the explorer filtered to this theme, when the site has one
    sides_hint: str
    years_anchor: str
    years: tuple[CountRow, ...]  # newest first
    authorities_anchor: str
    authorities: tuple[CountRow, ...]
    newest_anchor: str
    newest_praised: tuple[NewestFinding, ...]
    newest_to_improve: tuple[NewestFinding, ...]
    offers_anchor: str | None
    offers: tuple[ThemeOffer, ...]  # the newest OFFERS_SHOWN
    all_offers: Ref | None  # their own page, when there are more


def build(page: PlannedPage, inputs: Inputs) -> ThemeView:
    archive, graph = inputs.archive, inputs.graph
    theme = archive.themes[page.subject or ""]
    link = page_links(page, inputs)
    anchors = Anchors(())
    entries = graph.findings_by_theme.get(theme.id, [])
    counts = listing = None
    if entries:
        hosts = len({e.authority for e in entries})
        counts = f"{plural(len(entries), 'finding')} on this theme, from {plural(hosts, 'authority', 'authorities')}."
        pages = page_count(len(entries))
        listing = Ref(f"All {plural(len(entries), 'finding')}, by authority"
                      + (f" ({pages} pages of {FINDINGS_PER_PAGE})" if pages > 1 else ""),
                      link.theme_findings(theme.id))
    sides = theme_sides(entries)
    offers = newest_offers(graph.offers_by_theme.get(theme.id, []))
    return ThemeView(
        breadcrumbs=breadcrumbs(link, ("Themes", link.index("themes")), (theme.name, None)),
        name=theme.name, description=theme.description, scope=theme.scope, include=theme.include,
        counts=counts, listing=listing,
        explorer=link.explorer(theme=theme.id) if entries and "recommendations" in inputs.sections else None,
        sides_hint=SIDES_HINT,
        years_anchor=anchors.section("by-year"), years=_by_year(entries),
        authorities_anchor=anchors.section("by-authority"), authorities=_by_authority(theme.id, entries, inputs, link),
        newest_anchor=anchors.section("newest"),
        newest_praised=tuple(_newest(e, inputs, link) for e in newest(sides["praised"])),
        newest_to_improve=tuple(_newest(e, inputs, link) for e in newest(sides["to_improve"])),
        offers_anchor=anchors.section("offers") if offers else None,
        offers=offer_views(offers[:OFFERS_SHOWN], inputs, link),
        all_offers=Ref(f"All {plural(len(offers), 'offer')} of support on this theme", link.theme_offers(theme.id))
        if len(offers) > OFFERS_SHOWN else None)


def _sides_count(entries: Sequence[FindingEntry]) -> tuple[int, int, int]:
    found = Counter(side(e.finding.kind) for e in entries)
    return found["praised"], found["to_improve"], found["other"]


def _by_year(entries: list[FindingEntry]) -> tuple[CountRow, ...]:
    years: dict[str, list[FindingEntry]] = {}
    for entry in entries:
        years.setdefault(year(entry.date), []).append(entry)
    return tuple(CountRow(y, None, *_sides_count(years[y])) for y in sorted(years, reverse=True))


def _by_authority(theme_id: str, entries: list[FindingEntry], inputs: Inputs, link: Links) -> tuple[CountRow, ...]:
    """Each host authority, linking to where its findings start on the findings pages."""
    first: dict[str, int] = {}
    found: dict[str, list[FindingEntry]] = {}
    for index, entry in enumerate(entries):
        first.setdefault(entry.authority, index)
        found.setdefault(entry.authority, []).append(entry)
    return tuple(CountRow(inputs.names[a], link.theme_findings(theme_id, page_of(first[a]), a), *_sides_count(found[a]))
                 for a in found)


def _finding(e: FindingEntry, link: Links, graph: Graph) -> ThemeFinding:
    lead_in = graph.lead_ins.get(e.key)
    return ThemeFinding(e.finding.kind, link.finding(e), short_label(e.finding),
                        part_label(e) if e.part in _PARTS_SHOWN else None, e.finding.text,
                        first_sentence(e.finding.text), plain(lead_in) if lead_in else None,
                        last_sentence(lead_in) if lead_in else None)


def _newest(e: FindingEntry, inputs: Inputs, link: Links) -> NewestFinding:
    review = inputs.archive.reviews.get(e.owner_id)
    document = (Ref(review.title, link.review(review.id)) if review is not None else
                Ref(inputs.archive.context_documents[e.owner_id].title, link.context(e.owner_id)))
    return NewestFinding(_finding(e, link, inputs.graph), inputs.names[e.authority], year(e.date), document)


def offer_views(offers: Sequence[OfferEntry], inputs: Inputs, link: Links) -> tuple[ThemeOffer, ...]:
    reviews = inputs.archive.reviews
    return tuple(ThemeOffer(link.authority_ref(e.offer.authority), link.authority_ref(e.host),
                            link.review(e.review_id, e.offer.id), reviews[e.review_id].title, e.offer.text)
                 for e in offers)


# --- the findings pages ----------------------------------------------------------------


@dataclass(frozen=True)
class ThemeDocument:
    """One document's findings on the theme (those of them on this page), under one line
    naming it: its year and title (the link), its date and its reviewers, by name only (a
    page lists about 100 documents: their reviewers' links were a fifth of its bytes, so the
    page links each reviewing authority once, `ThemeFindingsView.peers`)."""

    id: str
    year: str
    title: str
    href: str
    about: str  # "27 April 2011, reviewed by Doncaster and Leeds"; "context document, March 2015"
    praised: tuple[ThemeFinding, ...]
    to_improve: tuple[ThemeFinding, ...]
    other: tuple[ThemeFinding, ...]


@dataclass(frozen=True)
class ThemeAuthority:
    anchor: str  # the authority's id: the theme page links to it
    name: str
    continued: bool  # its findings began on the page before
    href: str
    documents: tuple[ThemeDocument, ...]


@dataclass(frozen=True)
class PageLink:
    number: int
    href: str | None  # None: this page
    span: str  # "Barnet to Bury": the authorities it lists


@dataclass(frozen=True)
class Pager:
    previous: str | None
    next: str | None
    pages: tuple[PageLink, ...]  # empty when there is only one


@dataclass(frozen=True)
class ThemeFindingsView:
    breadcrumbs: Breadcrumbs
    title: str
    position: str  # "Findings 201 to 400 of 4,512, by authority then date."
    summary: str  # the theme page
    explorer: str | None
    sides_hint: str
    pager: Pager
    authorities: tuple[ThemeAuthority, ...]
    peers: tuple[AuthorityRef, ...]  # every authority that reviewed a document on this page, by name


def build_findings(page: PlannedPage, inputs: Inputs) -> ThemeFindingsView:
    theme = inputs.archive.themes[page.subject or ""]
    link = page_links(page, inputs)
    entries = inputs.graph.findings_by_theme.get(theme.id, [])
    number, pages = page.number, page_count(len(entries))
    listed = list(page_items(entries, number))
    start = (number - 1) * FINDINGS_PER_PAGE
    before = entries[start - 1].authority if start else None
    position = (f"Findings {start + 1:,} to {start + len(listed):,} of {len(entries):,}, page {number} of {pages}"
                if pages > 1 else f"All {plural(len(entries), 'finding')}")
    title = f"{theme.name}: findings" + (f", page {number}" if pages > 1 else "")
    return ThemeFindingsView(
        breadcrumbs=breadcrumbs(link, ("Themes", link.index("themes")), (theme.name, link.theme(theme.id)),
                                ("Findings" if pages == 1 else f"Findings, page {number}", None)),
        title=title, position=position + ", by authority then date.", summary=link.theme(theme.id),
        explorer=link.explorer(theme=theme.id) if "recommendations" in inputs.sections else None,
        sides_hint=SIDES_HINT, pager=_findings_pager(theme.id, entries, number, pages, inputs, link),
        authorities=tuple(
            ThemeAuthority(authority_id, inputs.names[authority_id], authority_id == before,
                           link.authority(authority_id),
                           tuple(_document(document_id, items, inputs, link) for document_id, items in documents))
            for authority_id, documents in by_authority(listed)),
        peers=_peers(listed, inputs, link))


def _peers(listed: list[FindingEntry], inputs: Inputs, link: Links) -> tuple[AuthorityRef, ...]:
    reviews = (inputs.archive.reviews.get(e.owner_id) for e in listed)
    found = {a for review in reviews if review is not None for a in inputs.graph.reviewed_by(review)}
    return link.authority_refs(sorted(found, key=lambda a: (inputs.names[a].casefold(), a)))


def _findings_pager(theme_id: str, entries: list[FindingEntry], number: int, pages: int, inputs: Inputs,
                    link: Links) -> Pager:
    def span(n: int) -> str:  # the authorities a page lists
        on = page_items(entries, n)
        first, last = inputs.names[on[0].authority], inputs.names[on[-1].authority]
        return first if first == last else f"{first} to {last}"

    return pager(number, pages, lambda n: link.theme_findings(theme_id, n), span)


def pager(number: int, pages: int, href: Callable[[int], str], span: Callable[[int], str]) -> Pager:
    return Pager(href(number - 1) if number > 1 else None, href(number + 1) if number < pages else None,
                 tuple(PageLink(n, None if n == number else href(n), span(n)) for n in range(1, pages + 1))
                 if pages > 1 else ())


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


def _document(document_id: str, items: list[FindingEntry], inputs: Inputs, link: Links) -> ThemeDocument:
    split = split_sides(items)

    def findings(entries: tuple[FindingEntry, ...]) -> tuple[ThemeFinding, ...]:
        return tuple(_finding(e, link, inputs.graph) for e in entries)

    sides = findings(split.praised), findings(split.to_improve), findings(split.other)
    review = inputs.archive.reviews.get(document_id)
    if review is not None:
        peers = [inputs.names[a] for a in inputs.graph.reviewed_by(review)]
        dates = date_range(review.date, review.end_date) if review.date != year(review.date) else ""
        about = ", ".join(filter(None, (dates, f"reviewed by {and_words(peers)}" if peers else "")))
        return ThemeDocument(document_id, year(review.date), review.title, link.review(review.id), about, *sides)
    d = inputs.archive.context_documents[document_id]
    return ThemeDocument(document_id, year(d.date), d.title, link.context(d.id),
                         f"context document, {human_date(d.date)}", *sides)


def and_words(names: Sequence[str]) -> str:
    """'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- all offers on a theme -------------------------------------------------------------


@dataclass(frozen=True)
class ThemeOffersView:
    breadcrumbs: Breadcrumbs
    title: str
    count: str
    pager: Pager
    offers: tuple[ThemeOffer, ...]  # this page's, newest first


def build_offers(page: PlannedPage, inputs: Inputs) -> ThemeOffersView:
    theme = inputs.archive.themes[page.subject or ""]
    link = page_links(page, inputs)
    offers = newest_offers(inputs.graph.offers_by_theme.get(theme.id, []))
    number, pages = page.number, page_count(len(offers))

    def span(n: int) -> str:  # the years a page's offers were made in
        on = page_items(offers, n)
        newest_year, oldest_year = year(on[0].date), year(on[-1].date)
        return newest_year if newest_year == oldest_year else f"{newest_year} to {oldest_year}"

    return ThemeOffersView(
        breadcrumbs=breadcrumbs(link, ("Themes", link.index("themes")), (theme.name, link.theme(theme.id)),
                                ("Offers of support" + (f", page {number}" * (pages > 1)), None)),
        title=f"{theme.name}: offers of support" + (f", page {number}" * (pages > 1)),
        count=f"{plural(len(offers), 'offer')} of support on this theme, newest first"
              + (f"; page {number} of {pages}." if pages > 1 else "."),
        pager=pager(number, pages, lambda n: link.theme_offers(theme.id, n), span),
        offers=offer_views(page_items(offers, number), inputs, link))
