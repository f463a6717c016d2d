"""Pieces of page views that several pages print: findings, people, sources, review rows.

A view holds everything its template prints, already resolved: hrefs relative to the
page, names, labels, counts, lists grouped and in order. Record text stays the raw
string; the template prints it through `prose`/`inline`, which sanitise it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ...graph.indexes import FindingEntry, Graph
from ...records import urls
from ...records.archive import Archive
from ...records.evidence import lines_text
from ...records.ids import resolve_ref
from ...records.labels import finding_label, short_label
from ...records.lists import introduced_by
from ...records.models import Evidence, Figure, Finding, Person, Review, Section, Source
from ...records.vocabulary import COMPARATORS, SPEAKERS, kind_label, kind_slug, page_kinds, side
from ..extras import DataPages
from ..page import Anchors, AuthorityRef, Links, PlannedPage
from ..render import safe_url
from .trails import Elsewhere, FollowThrough, Related, elsewhere, follow_through, where

__all__ = ["AuthorityRef", "Inputs", "Ref", "page_links"]


@dataclass(frozen=True)
class Inputs:
    """What every view is built from: the archive, its graph, and the build's extras."""

    archive: Archive
    graph: Graph
    names: dict[str, str]  # authority id -> name
    data: DataPages
    sections: frozenset[str]  # optional site sections that exist, e.g. "recommendations"
    # the build's matched findings as listed, by key and `Links.base` (`trails.elsewhere`)
    related: dict[tuple[tuple[str, str], str], Related] = field(default_factory=dict)


def page_links(page: PlannedPage, inputs: Inputs) -> Links:
    return Links(page.url, inputs.names)


@dataclass(frozen=True)
class Ref:
    """Something linked to by its name: a theme, a review, a source, a section."""

    label: str
    href: str


T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A section of a page that lists things: its anchor and its items, in order."""

    anchor: str
    items: tuple[T, ...]


def evidence_ref(evidence: Evidence | None, link: Links, prefix: str = "source, ") -> Ref | None:
    """A link to the lines an item's words are in, on its source document's page."""
    if evidence is None:
        return None
    return Ref(prefix + lines_text(evidence.first, evidence.last), link.evidence(evidence.document, evidence.first))


@dataclass(frozen=True)
class Breadcrumbs:
    home: str
    trail: tuple[tuple[str, str | None], ...]  # (label, href); None for the page itself


def breadcrumbs(link: Links, *trail: tuple[str, str | None]) -> Breadcrumbs:
    return Breadcrumbs(link.home(), tuple(trail))


@dataclass(frozen=True)
class PeerPair:
    """Another authority in a peer pair, and the years of their visits."""

    authority: AuthorityRef
    visits: str  # "2012, 2013 follow-up"


@dataclass(frozen=True)
class PersonView:
    name: str | None
    role: str | None
    note: str | None
    authority: AuthorityRef | None


def person(p: Person, link: Links) -> PersonView:
    return PersonView(p.name, p.role, p.note, link.authority_ref(p.authority) if p.authority else None)


def people(found: Iterable[Person], link: Links) -> tuple[PersonView, ...]:
    return tuple(person(p, link) for p in found)


@dataclass(frozen=True)
class LaterRef:
    """A later finding that reports on this one, and where it sits."""

    label: str
    href: str
    part: str


@dataclass(frozen=True)
class FindingView:
    """One finding in its document: permalink, themes, source, and links both ways."""

    id: str
    kind: str
    kind_label: str
    number: str | None
    number_inferred: bool  # the number is not printed in the source
    title: str | None
    text: str
    themes: tuple[Ref, ...]
    source: Ref | None
    speaker: str | None  # "In the peer team’s words"; None: the source does not make it clear
    evidence: Ref | None  # "source, lines 9–10", to the source document's page
    permalink_label: str
    reports_on: tuple[Ref, ...]
    addressed_later: tuple[LaterRef, ...]
    follow_through: FollowThrough | None = None  # for a finding that asks for change (views/trails.py)
    elsewhere: Elsewhere | None = None


@dataclass(frozen=True)
class LeadIn:
    """The source's sentence introducing a list of findings ("... have taken place in:")."""

    text: str
    evidence: Ref | None


@dataclass(frozen=True)
class FindingList:
    """A run of a group's findings: the list one lead-in introduces (or a run before any)."""

    lead_in: LeadIn | None
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class FindingGroup:
    """Consecutive findings under one heading (None: no heading printed)."""

    heading: str | None
    findings: tuple[FindingView, ...]
    # Only when a finding of the group has a lead-in: the group cut into the lists the
    # lead-ins introduce, so that each sentence is printed with its list, in one block.
    lists: tuple[FindingList, ...] = ()


@dataclass(frozen=True)
class KindSection:
    """A document's section of findings of one kind; `missing` when it has none."""

    anchor: str
    heading: str
    groups: tuple[FindingGroup, ...]
    missing: str | None


class Findings:
    """Builds the finding views of one document (a review or a context document)."""

    def __init__(self, document_id: str, sources: Sequence[Source], inputs: Inputs, link: Links):
        self.document_id = document_id
        self.sources = {s.id: s for s in sources}
        self.inputs = inputs
        self.link = link

    def themes(self, theme_ids: Iterable[str]) -> tuple[Ref, ...]:
        themes = self.inputs.archive.themes
        return tuple(Ref(themes[t].name, self.link.theme(t)) for t in theme_ids)

    def one(self, f: Finding) -> FindingView:
        graph = self.inputs.graph
        source = self.sources.get(f.source) if f.source else None
        here, key = self.document_id, (self.document_id, f.id)
        reports_on = []
        for target in f.addresses:
            resolved = resolve_ref(target, here)
            earlier = graph.findings.get(resolved)
            if earlier is None:  # an offer of support in this file
                reports_on.append(Ref("Offer of support", f"#{resolved[1]}"))
            elif earlier.owner_id == here:
                reports_on.append(Ref(finding_label(earlier.finding), f"#{earlier.finding.id}"))
            else:
                reports_on.append(Ref(f"{finding_label(earlier.finding)} ({where(earlier, here, graph.archive)})",
                                      self.link.finding(earlier)))
        later = tuple(LaterRef(finding_label(entry.finding),
                               f"#{entry.finding.id}" if entry.owner_id == here else self.link.finding(entry),
                               where(entry, here, graph.archive))
                      for entry in graph.addressed_by.get(key, []))
        return FindingView(f.id, f.kind, kind_label(f.kind), f.number, bool(f.number_inferred), f.title, f.text,
                           self.themes(f.themes), Ref(source.title, self.link.source(source.id)) if source else None,
                           SPEAKERS[f.speaker][1] if f.speaker else None, evidence_ref(f.evidence, self.link),
                           finding_label(f), tuple(reports_on), later,
                           follow_through(graph, key, self.link), elsewhere(graph, key, self.link, self.inputs.related))

    def groups(self, findings: Sequence[Finding], by_kind_heading: bool = False,
               member_of: dict[str, str] | None = None) -> tuple[FindingGroup, ...]:
        """Consecutive findings under the same source heading (`group`), in source order;
        with `by_kind_heading`, a run without one is headed by its kind's plural.
        `member_of`: which lead-in introduces each finding, when `findings` is part of a list."""
        member_of = introduced_by(findings) if member_of is None else member_of
        runs: list[tuple[str | None, list[Finding]]] = []
        for finding in findings:
            if runs and runs[-1][0] == finding.group:
                runs[-1][1].append(finding)
            else:
                runs.append((finding.group, [finding]))
        out = []
        for heading, items in runs:
            views = tuple(self.one(f) for f in items)
            out.append(FindingGroup(heading or (kind_label(items[0].kind, True) if by_kind_heading else None),
                                    views, self.lists(items, views, member_of)))
        return tuple(out)

    def lists(self, items: Sequence[Finding], views: Sequence[FindingView],
              member_of: dict[str, str]) -> tuple[FindingList, ...]:
        """A group's findings cut into the lists its lead-ins introduce (`records/lists.py`)
        and the runs between them."""
        if not any(f.lead_in for f in items):
            return ()
        lists: list[tuple[LeadIn | None, str | None, list[FindingView]]] = []
        for finding, view in zip(items, views, strict=True):
            owner = member_of.get(finding.id)
            if finding.lead_in is not None:
                lead_in = LeadIn(finding.lead_in.text, evidence_ref(finding.lead_in.evidence, self.link))
                lists.append((lead_in, owner, []))
            elif not lists or lists[-1][1] != owner:
                lists.append((None, None, []))
            lists[-1][2].append(view)
        return tuple(FindingList(lead_in, tuple(found)) for lead_in, _, found in lists)

    def kind_sections(self, findings: Sequence[Finding], anchors: Anchors,
                      expected: Iterable[str] = ()) -> tuple[KindSection, ...]:
        """One section per kind the document has, in page order, and one saying so for
        each expected kind it lacks."""
        member_of = introduced_by(findings)
        by_kind: dict[str, list[Finding]] = {}
        for finding in findings:
            by_kind.setdefault(finding.kind, []).append(finding)
        out = []
        for kind in page_kinds(by_kind, expected):
            heading = kind_label(kind, True)
            anchor = anchors.section(kind_slug(kind))
            if kind in by_kind:
                out.append(KindSection(anchor, heading, self.groups(by_kind[kind], member_of=member_of), None))
            else:
                out.append(KindSection(anchor, heading, (), f"{heading}: not published in the sources."))
        return tuple(out)


@dataclass(frozen=True)
class Block:
    """A paragraph, or a bulleted list: record paragraphs written "- ..." one after another."""

    text: str | None
    items: tuple[str, ...] = ()


def blocks(paragraphs: Iterable[str]) -> tuple[Block, ...]:
    """Record paragraphs as printed: a run of paragraphs that each begin "- " is one list
    (the source prints them as bullets), every other paragraph is itself."""
    out: list[Block] = []
    for text in paragraphs:
        if text.startswith("- "):
            item = text[2:].strip()
            if out and out[-1].items:
                out[-1] = Block(None, (*out[-1].items, item))
            else:
                out.append(Block(None, (item,)))
        else:
            out.append(Block(text))
    return tuple(out)


@dataclass(frozen=True)
class SectionView:
    """One of a document's other sections (e.g. the process), as the source has it."""

    anchor: str
    title: str
    paragraphs: tuple[Block, ...]
    items: tuple[str, ...]


def sections(found: Iterable[Section], anchors: Anchors) -> tuple[SectionView, ...]:
    return tuple(SectionView(anchors.section(f"section-{i}"), s.title, blocks(s.paragraphs), tuple(s.items))
                 for i, s in enumerate(found, 1))


@dataclass(frozen=True)
class SourceView:
    anchor: str
    title: str
    url: str | None  # only http(s)
    body: str | None
    date: str | None
    agenda_item: str | None
    author: str | None
    authority: AuthorityRef | None
    reference: str | None
    full_text: str | None  # href of its source document's page, when the archive holds the text
    note: str | None


@dataclass(frozen=True)
class SourcesView:
    anchor: str
    items: tuple[SourceView, ...]


def sources(found: Iterable[Source], anchor: str, link: Links) -> SourcesView:
    return SourcesView(anchor, tuple(
        SourceView(urls.source_anchor(s.id), s.title, safe_url(s.url), s.body, s.date, s.agenda_item, s.author,
                   link.authority_ref(s.authority) if s.authority else None, s.reference,
                   link.source_document(s.document) if s.document else None, s.note)
        for s in found))


def source_refs(source_ids: Iterable[str], found: Iterable[Source], link: Links) -> tuple[Ref, ...]:
    titles = {s.id: s.title for s in found}
    return tuple(Ref(titles[s], link.source(s)) for s in source_ids)


@dataclass(frozen=True)
class FigureView:
    label: str
    value: str
    year: str | None
    comparator: str | None  # whose figure, in words: "National"
    note: str | None
    evidence: Ref | None  # "lines 9–10"


@dataclass(frozen=True)
class FiguresTable:
    """A document's figures, and which optional columns any of them fills."""

    rows: tuple[FigureView, ...]
    with_year: bool
    with_comparator: bool
    with_evidence: bool


def figures(found: Iterable[Figure], link: Links) -> FiguresTable:
    rows = tuple(FigureView(f.label, f.value, f.year, COMPARATORS[f.comparator] if f.comparator else None, f.note,
                            evidence_ref(f.evidence, link, prefix=""))
                 for f in found)
    return FiguresTable(rows, any(r.year for r in rows), any(r.comparator for r in rows),
                        any(r.evidence for r in rows))


@dataclass(frozen=True)
class ReviewRow:
    """A review as a row of a table of reviews."""

    title: str
    href: str
    date: str
    end_date: str | None
    host: AuthorityRef
    reviewed_by: tuple[AuthorityRef, ...]
    findings: int
    follow_ups: int
    later_findings: int = 0  # in its follow-ups and the council's responses: "0" alone misleads


def review_rows(review_ids: Iterable[str], inputs: Inputs, link: Links) -> tuple[ReviewRow, ...]:
    reviews, graph = inputs.archive.reviews, inputs.graph
    return tuple(review_row(reviews[r], graph, link) for r in review_ids)


def review_row(r: Review, graph: Graph, link: Links) -> ReviewRow:
    later = sum(len(v.findings) for v in r.follow_ups) + sum(len(x.findings) for x in r.responses)
    return ReviewRow(r.title, link.review(r.id), r.date, r.end_date, link.authority_ref(r.host),
                     link.authority_refs(graph.reviewed_by(r)), len(r.findings), len(r.follow_ups), later)


@dataclass(frozen=True)
class Sides:
    """Findings split as a theme page shows them: praised, told to improve, the rest."""

    praised: tuple[FindingEntry, ...]
    to_improve: tuple[FindingEntry, ...]
    other: tuple[FindingEntry, ...]


def split_sides(entries: Iterable[FindingEntry]) -> Sides:
    out: dict[str, list[FindingEntry]] = {"praised": [], "to_improve": [], "other": []}
    for entry in entries:
        out[side(entry.finding.kind)].append(entry)
    return Sides(tuple(out["praised"]), tuple(out["to_improve"]), tuple(out["other"]))


def theme_finding_label(entry: FindingEntry) -> str:
    return short_label(entry.finding)


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 review`, `3 reviews`: a count in words."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
