"""The archive as a graph: every reverse index the pages need, computed once and pure.

Records point one way (a review names its host, reviewers and team; a follow-up names
the findings it reports on). Readers go the other way too: from Norfolk to the reviews
it took part in, from a theme to every finding on it, from a recommendation to what
later addressed it. `build_graph` builds those indexes once, in a stable order, so that
pages can be rendered in any order and two builds give the same site.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..records.archive import Archive
from ..records.dates import human_date
from ..records.ids import resolve_ref
from ..records.lists import introduced_by
from ..records.models import ContextDocument, Finding, FollowUp, Offer, Person, Response, Review
from .entries import FindingEntry, PartKind
from .similarity import Matcher, Matches
from .trails import Trail, build_trails

Subject = tuple[str, str]  # ("authority" | "theme" | "review" | "context" | "source", id): what a page is about


def part_label(entry: FindingEntry) -> str:
    """Where in its document a finding sits, in words: 'follow-up visit, 6 March 2013'."""
    if entry.part == "follow-up":
        return f"follow-up visit, {human_date(entry.date)}"
    if entry.part == "response":
        return f"council response, {human_date(entry.date)}"
    if entry.part == "context":
        return "context document"
    return "review"


FIRST_PEERS = 3
"""How many of the people an authority sent as peers its page names first: whom to ask about
its findings that other pages match."""


@dataclass(frozen=True)
class FirstPeers:
    """The first people (by date) an authority sent as peers, and the reviews naming them."""

    people: tuple[str, ...]  # "Name, role" as printed; never contact details
    reviews: frozenset[str]


def first_peers(visits: list[PeerVisit], limit: int = FIRST_PEERS) -> FirstPeers:
    found: dict[str, None] = {}
    reviews = set()
    for visit in visits:
        if len(found) >= limit:
            break
        reviews.add(visit.review_id)
        for person in visit.people:
            if person.name:  # a role alone ("Senior officers") names no one to call
                found[", ".join(p for p in (person.name, person.role) if p)] = None
    return FirstPeers(tuple(found)[:limit], frozenset(reviews))


@dataclass(frozen=True)
class PeerVisit:
    """One time an authority took part as a peer: a review or a follow-up, and who it sent."""

    review_id: str
    part: Literal["review", "follow-up"]
    part_id: str | None
    date: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class OfferEntry:
    review_id: str
    offer: Offer
    host: str
    date: str


@dataclass(frozen=True)
class FollowUpEntry:
    review_id: str
    follow_up: FollowUp


@dataclass(frozen=True)
class ResponseEntry:
    review_id: str
    response: Response


@dataclass(frozen=True)
class Counts:
    authorities: int
    reviews: int
    follow_ups: int
    responses: int
    findings: int
    themes: int
    context_documents: int


@dataclass
class Graph:
    """Reverse indexes over one `Archive`. Every list is in a stable, documented order."""

    archive: Archive
    # authority id -> review ids it hosted, oldest first
    received: dict[str, list[str]] = field(default_factory=dict)
    # authority id -> reviews and follow-ups it took part in as a peer, oldest first
    given: dict[str, list[PeerVisit]] = field(default_factory=dict)
    peers: dict[str, FirstPeers] = field(default_factory=dict)  # authority -> the first people it sent
    # finding key -> the sentence introducing the list it is in (records/lists.py), as printed
    lead_ins: dict[tuple[str, str], str] = field(default_factory=dict)
    follow_ups: dict[str, list[FollowUpEntry]] = field(default_factory=dict)
    responses: dict[str, list[ResponseEntry]] = field(default_factory=dict)
    offers_given: dict[str, list[OfferEntry]] = field(default_factory=dict)
    offers_received: dict[str, list[OfferEntry]] = field(default_factory=dict)
    context_documents: dict[str, list[str]] = field(default_factory=dict)
    # authority id -> group authorities that list it as a member
    groups: dict[str, list[str]] = field(default_factory=dict)
    # theme id -> findings, by host authority name, then date, then source order
    findings_by_theme: dict[str, list[FindingEntry]] = field(default_factory=dict)
    offers_by_theme: dict[str, list[OfferEntry]] = field(default_factory=dict)
    # (document id, finding id) -> later findings that address it, oldest first
    addressed_by: dict[tuple[str, str], list[FindingEntry]] = field(default_factory=dict)
    # (document id, finding id) of each finding that asks for change -> its trail and status
    trails: dict[tuple[str, str], Trail] = field(default_factory=dict)
    # document id -> the keys of its trails, in source order
    trails_of: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # (document id, finding id) of each finding that asks for change -> other authorities' nearest
    # findings (empty when built with matching=False)
    matches: dict[tuple[str, str], Matches] = field(default_factory=dict)
    # (document id, finding id) -> the finding itself, with its place
    findings: dict[tuple[str, str], FindingEntry] = field(default_factory=dict)
    # document id -> its findings' entries, in source order
    entries_of: dict[str, list[FindingEntry]] = field(default_factory=dict)
    # authority id -> theme id -> number of findings about that authority
    themes_by_authority: dict[str, Counter[str]] = field(default_factory=dict)
    # authority id -> number of findings about it (its reviews, follow-ups, responses, papers)
    finding_counts: dict[str, int] = field(default_factory=dict)
    # review id -> context documents that frame it; review id -> reviews naming it as related
    context_for_review: dict[str, list[str]] = field(default_factory=dict)
    related_from: dict[str, list[str]] = field(default_factory=dict)
    # (subject kind, id) -> documents whose data can appear on that subject's page, sorted:
    # ("authority", id) for every authority a document names, ("theme", id) for every theme it
    # tags, ("review" | "context", id) for itself and every review it names as related
    mentions: dict[Subject, tuple[str, ...]] = field(default_factory=dict)
    # document id -> the document and its `subjects_of` (serve: kept while it is the same object)
    subjects: dict[str, tuple[Review | ContextDocument, set[Subject]]] = field(default_factory=dict)
    counts: Counts = field(default_factory=lambda: Counts(0, 0, 0, 0, 0, 0, 0))

    def reviewed_by(self, review: Review) -> list[str]:
        """The peer authorities of a review: its reviewers, then any team authority not listed."""
        return reviewing_authorities(review)

    def peer_reviews(self, authority_id: str) -> list[str]:
        """Reviews (not follow-up visits) the authority took part in as a peer, oldest first."""
        return list(dict.fromkeys(v.review_id for v in self.given.get(authority_id, [])
                                  if v.part == "review"))

    def peer_follow_ups(self, authority_id: str) -> list[PeerVisit]:
        return [v for v in self.given.get(authority_id, []) if v.part == "follow-up"]

    def latest_reviews(self, limit: int) -> list[Review]:
        reviews = sorted(self.archive.reviews.values(), key=lambda r: (r.date, r.id), reverse=True)
        return reviews[:limit]


def reviewing_authorities(review: Review) -> list[str]:
    found = list(review.reviewers)
    for person in review.team:
        if person.authority and person.authority not in found and person.authority != review.host:
            found.append(person.authority)
    return found


def authorities_named(review: Review) -> set[str]:
    """Every authority a review mentions anywhere: each must link to its page."""
    named = {review.host, *review.reviewers}
    named |= {p.authority for p in review.team if p.authority}
    named |= {o.authority for o in review.offers}
    named |= {p.authority for f in review.follow_ups for p in f.visitors if p.authority}
    named |= {s.authority for s in review.sources if s.authority}
    return named


def review_findings(review: Review) -> Iterator[tuple[PartKind, str | None, str, Finding]]:
    """Every finding of a review in source order: its own, then each follow-up's and response's."""
    for finding in review.findings:
        yield "review", None, review.date, finding
    for visit in review.follow_ups:
        for finding in visit.findings:
            yield "follow-up", visit.id, visit.date, finding
    for response in review.responses:
        for finding in response.findings:
            yield "response", response.id, response.date, finding


def subjects_of(document: Review | ContextDocument) -> set[Subject]:
    """Every page subject whose page can show something of `document`."""
    if isinstance(document, Review):
        found: set[Subject] = {("review", document.id)}
        authorities = authorities_named(document)
        themes = {t for *_, finding in review_findings(document) for t in finding.themes}
        themes |= {t for offer in document.offers for t in offer.themes}
    else:
        found = {("context", document.id)}
        authorities = {document.authority} | {s.authority for s in document.sources if s.authority}
        themes = {t for finding in document.findings for t in finding.themes}
    found |= {("authority", a) for a in authorities}
    found |= {("theme", t) for t in themes}
    found |= {("review", r) for r in document.related_reviews}
    found |= {("source", s.document) for s in document.sources if s.document}  # its text's page cites it
    return found


def _document_entries(document: Review | ContextDocument) -> list[FindingEntry]:
    if isinstance(document, Review):
        parts = review_findings(document)
        return [
            FindingEntry(finding, "review", document.id, part, part_id, document.host, when, i)
            for i, (part, part_id, when, finding) in enumerate(parts)
        ]
    return [
        FindingEntry(finding, "context", document.id, "context", None, document.authority,
                     document.date, i)
        for i, finding in enumerate(document.findings)
    ]


def _lead_ins(archive: Archive) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    parts = [(r.id, found) for r in archive.reviews.values()
             for found in (r.findings, *(v.findings for v in r.follow_ups), *(p.findings for p in r.responses))]
    parts += [(d.id, d.findings) for d in archive.context_documents.values()]
    for document_id, findings in parts:
        if any(f.lead_in for f in findings):
            by_id = {f.id: f for f in findings}
            for member, owner in introduced_by(findings).items():
                lead_in = by_id[owner].lead_in
                if lead_in is not None:
                    out[(document_id, member)] = lead_in.text
    return out


def build_graph(archive: Archive, *, matching: bool = True, matcher: Matcher | None = None,
                previous: Graph | None = None, reworded: set[str] | None = None) -> Graph:
    """Build every reverse index of `archive`. Pure: reads the archive, changes nothing.

    `matching=False` leaves out the cross-authority matches (`similarity.py`), the one
    index whose cost grows faster than the archive; the benchmark times it that way too.
    `matcher` (serve) keeps the matches between calls and matches again only what changed;
    `previous` (serve), the last graph, whose entries of a document still the same object are
    kept (fewer new objects a rebuild, so fewer full collections by Python's collector).
    `reworded` (serve, with `previous`): the documents of which only findings' text changed
    since (`site.dependencies.words_edited`); the last graph is then kept and only what holds
    their findings is made again (`_reworded`).
    """
    if previous is not None and reworded is not None:
        return _reworded(archive, previous, reworded, matching, matcher)
    graph = Graph(archive=archive)
    name = {a.id: a.name for a in archive.authorities.values()}
    reviews = sorted(archive.reviews.values(), key=lambda r: (r.date, r.id))
    documents = sorted(archive.context_documents.values(), key=lambda d: (d.date, d.id))

    received: dict[str, list[str]] = defaultdict(list)
    given: dict[str, list[PeerVisit]] = defaultdict(list)
    follow_ups: dict[str, list[FollowUpEntry]] = defaultdict(list)
    responses: dict[str, list[ResponseEntry]] = defaultdict(list)
    offers_given: dict[str, list[OfferEntry]] = defaultdict(list)
    offers_received: dict[str, list[OfferEntry]] = defaultdict(list)
    offers_by_theme: dict[str, list[OfferEntry]] = defaultdict(list)
    context_docs: dict[str, list[str]] = defaultdict(list)
    context_for_review: dict[str, list[str]] = defaultdict(list)
    related_from: dict[str, list[str]] = defaultdict(list)
    entries: list[FindingEntry] = []
    entries_of: dict[str, list[FindingEntry]] = {}
    before = previous.archive if previous is not None else None

    def document_entries(document: Review | ContextDocument) -> list[FindingEntry]:
        found = None
        if previous is not None and before is not None:
            kept = before.reviews if isinstance(document, Review) else before.context_documents
            if kept.get(document.id) is document:
                found = previous.entries_of.get(document.id)
        entries_of[document.id] = found = found if found is not None else _document_entries(document)
        return found

    for review in reviews:
        received[review.host].append(review.id)
        for authority in reviewing_authorities(review):
            people = tuple(p for p in review.team if p.authority == authority)
            given[authority].append(PeerVisit(review.id, "review", None, review.date, people))
        for visit in review.follow_ups:
            follow_ups[review.host].append(FollowUpEntry(review.id, visit))
            visiting = dict.fromkeys(p.authority for p in visit.visitors if p.authority)
            for authority in visiting:
                people = tuple(p for p in visit.visitors if p.authority == authority)
                given[authority].append(PeerVisit(review.id, "follow-up", visit.id, visit.date, people))
        for response in review.responses:
            responses[review.host].append(ResponseEntry(review.id, response))
        for offer in review.offers:
            entry = OfferEntry(review.id, offer, review.host, review.date)
            offers_given[offer.authority].append(entry)
            offers_received[review.host].append(entry)
            for theme in dict.fromkeys(offer.themes):
                offers_by_theme[theme].append(entry)
        for other in review.related_reviews:
            related_from[other].append(review.id)
        entries += document_entries(review)

    for document in documents:
        context_docs[document.authority].append(document.id)
        for review_id in document.related_reviews:
            context_for_review[review_id].append(document.id)
        entries += document_entries(document)

    findings: dict[tuple[str, str], FindingEntry] = {entry.key: entry for entry in entries}
    addressed_by: dict[tuple[str, str], list[FindingEntry]] = defaultdict(list)
    by_theme: dict[str, list[FindingEntry]] = defaultdict(list)
    themes_by_authority: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        for target in entry.finding.addresses:
            addressed_by[resolve_ref(target, entry.owner_id)].append(entry)
        for theme in dict.fromkeys(entry.finding.themes):
            by_theme[theme].append(entry)
            themes_by_authority[entry.authority][theme] += 1

    # by host's name, then the document's date and id: each document's part of the key once
    document_order = {d.id: (name.get(d.host, d.host).casefold(), d.host, d.date, d.id) for d in reviews}
    document_order.update((d.id, (name.get(d.authority, d.authority).casefold(), d.authority, d.date, d.id))
                          for d in documents)

    def theme_order(entry: FindingEntry) -> tuple[tuple[str, str, str, str], int]:
        return (document_order[entry.owner_id], entry.order)

    for theme_entries in by_theme.values():
        theme_entries.sort(key=theme_order)

    def by_date(visit: PeerVisit) -> tuple[str, str, str]:
        return (visit.date, visit.review_id, visit.part_id or "")

    graph.received = dict(received)
    graph.given = {k: sorted(v, key=by_date) for k, v in given.items()}
    graph.peers = {k: first_peers(visits) for k, visits in graph.given.items()}
    graph.lead_ins = _lead_ins(archive)
    graph.follow_ups = {k: sorted(v, key=lambda e: (e.follow_up.date, e.review_id))
                        for k, v in follow_ups.items()}
    graph.responses = {k: sorted(v, key=lambda e: (e.response.date, e.review_id))
                       for k, v in responses.items()}
    graph.offers_given = dict(offers_given)
    graph.offers_received = dict(offers_received)
    graph.offers_by_theme = dict(offers_by_theme)
    graph.context_documents = dict(context_docs)
    graph.context_for_review = dict(context_for_review)
    graph.related_from = dict(related_from)
    graph.groups = _groups(archive)
    mentions: dict[Subject, list[str]] = defaultdict(list)
    subjects: dict[str, tuple[Review | ContextDocument, set[Subject]]] = {}
    for document_id, document in sorted([*archive.reviews.items(), *archive.context_documents.items()]):
        kept = previous.subjects.get(document_id) if previous is not None else None
        subjects[document_id] = kept if kept is not None and kept[0] is document else (document,
                                                                                         subjects_of(document))
        for subject in subjects[document_id][1]:
            mentions[subject].append(document_id)
    graph.subjects = subjects
    graph.mentions = {subject: tuple(ids) for subject, ids in mentions.items()}
    graph.findings = findings
    graph.entries_of = entries_of
    graph.addressed_by = {k: sorted(v, key=lambda e: (e.date, e.owner_id, e.order)) for k, v in addressed_by.items()}
    graph.trails = build_trails(findings, graph.addressed_by)
    trails_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in graph.trails:
        trails_of[key[0]].append(key)
    graph.trails_of = dict(trails_of)
    graph.matches = (matcher or Matcher(remember=False)).match(entries) if matching else {}
    graph.findings_by_theme = dict(by_theme)
    graph.themes_by_authority = dict(themes_by_authority)
    graph.finding_counts = dict(Counter(entry.authority for entry in entries))
    graph.counts = Counts(
        authorities=len(archive.authorities),
        reviews=len(archive.reviews),
        follow_ups=sum(len(r.follow_ups) for r in reviews),
        responses=sum(len(r.responses) for r in reviews),
        findings=len(entries),
        themes=len(archive.themes),
        context_documents=len(documents),
    )
    return graph


def _reworded(archive: Archive, previous: Graph, reworded: set[str], matching: bool,
              matcher: Matcher | None) -> Graph:
    """`build_graph` after an edit of findings' text alone: every index is the last graph's
    but those holding the edited documents' findings, whose entries are made again and put
    in the same places (their ids, kinds, themes, dates and addresses are unchanged, and so
    is every order). tests/test_generator.py compares the result with a graph built afresh."""
    graph = copy.copy(previous)
    graph.archive = archive
    graph.entries_of = dict(previous.entries_of)
    graph.subjects = dict(previous.subjects)
    graph.follow_ups, graph.responses = dict(previous.follow_ups), dict(previous.responses)
    new: dict[tuple[str, str], FindingEntry] = {}
    for document_id in sorted(reworded):
        document = archive.reviews.get(document_id) or archive.context_documents[document_id]
        graph.entries_of[document_id] = entries = _document_entries(document)
        new.update((entry.key, entry) for entry in entries)
        graph.subjects[document_id] = (document, previous.subjects[document_id][1])  # an outline's
        if isinstance(document, Review):  # their visits and responses hold findings too
            visits, responses = {v.id: v for v in document.follow_ups}, {r.id: r for r in document.responses}
            if document.follow_ups:
                graph.follow_ups[document.host] = [FollowUpEntry(e.review_id, visits[e.follow_up.id])
                                                   if e.review_id == document_id else e
                                                   for e in graph.follow_ups[document.host]]
            if document.responses:
                graph.responses[document.host] = [ResponseEntry(e.review_id, responses[e.response.id])
                                                  if e.review_id == document_id else e
                                                  for e in graph.responses[document.host]]

    def renewed(entries: list[FindingEntry]) -> list[FindingEntry]:
        return [new.get(entry.key, entry) for entry in entries]

    graph.findings = {key: new.get(key, entry) for key, entry in previous.findings.items()}
    graph.findings_by_theme = dict(previous.findings_by_theme)
    for theme in {t for entry in new.values() for t in entry.finding.themes}:
        graph.findings_by_theme[theme] = renewed(previous.findings_by_theme[theme])
    targets = {resolve_ref(target, entry.owner_id) for entry in new.values() for target in entry.finding.addresses}
    graph.addressed_by = dict(previous.addressed_by)
    for target in targets:
        graph.addressed_by[target] = renewed(previous.addressed_by[target])
    graph.trails = dict(previous.trails)
    graph.trails.update(build_trails({k: graph.findings[k] for k in (new.keys() | targets) & previous.trails.keys()},
                                     graph.addressed_by))
    graph.matches = (matcher or Matcher(remember=False)).match(list(graph.findings.values())) if matching else {}
    return graph


def _groups(archive: Archive) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for authority in archive.authorities.values():
        for member in authority.members:
            groups[member].append(authority.id)
    return {k: sorted(v) for k, v in groups.items()}
