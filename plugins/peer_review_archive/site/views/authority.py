"""An authority's page: facts, peers, the reviews it received and took part in, its
follow-ups, responses, offers of support, council papers and the themes of its findings."""

from __future__ import annotations

from dataclasses import dataclass

from ...records import urls
from ...records.dates import human_date
from ...records.vocabulary import AUTHORITY_KINDS
from ..extras import visit_summary
from ..page import Anchors, AuthorityRef, Links, PlannedPage
from .common import (
    Breadcrumbs,
    Inputs,
    Listing,
    PeerPair,
    PersonView,
    Ref,
    ReviewRow,
    breadcrumbs,
    page_links,
    people,
    plural,
    review_rows,
)
from .trails import summary_sentences


@dataclass(frozen=True)
class Peers:
    anchor: str
    reviewed_by: tuple[PeerPair, ...]
    reviewed: tuple[PeerPair, ...]
    network: str | None  # the network page's href, when the site has one


@dataclass(frozen=True)
class PeerVisitView:
    """A review or follow-up visit the authority took part in as a peer."""

    follow_up: bool
    href: str  # the review, or the follow-up's place in it
    host: AuthorityRef
    date: str
    end_date: str | None
    review: Ref
    people: tuple[PersonView, ...]


@dataclass(frozen=True)
class FollowUpLink:
    href: str
    date: str  # in words
    review: Ref
    visiting: tuple[AuthorityRef, ...]


@dataclass(frozen=True)
class ResponseLink:
    href: str
    title: str
    date: str
    body: str | None
    review: Ref


@dataclass(frozen=True)
class OfferLink:
    """An offer of support: from (or to) another authority, made in a review."""

    authority: AuthorityRef
    href: str
    review: str  # the review's title
    text: str


@dataclass(frozen=True)
class DocumentLink:
    title: str
    href: str
    date: str


@dataclass(frozen=True)
class ThemeCount:
    theme: Ref
    findings: str  # "3 findings"


@dataclass(frozen=True)
class CompareForm:
    """'Compare with': a form that opens the compare page with this authority and another."""

    anchor: str
    action: str  # the compare page
    authority: str  # this authority's id, sent as `a`
    href: str  # the compare page with this authority chosen (a link, for those who prefer one)
    others: tuple[tuple[str, str], ...]  # (id, name) of every other authority, by name


@dataclass(frozen=True)
class AuthorityView:
    breadcrumbs: Breadcrumbs
    name: str
    official_name: str | None
    kind: str
    region: str | None
    member_of: tuple[AuthorityRef, ...]
    members: tuple[AuthorityRef, ...]
    in_archive: str  # "2 reviews received; a peer in 1 review"
    note: str | None
    peers: Peers | None
    received: Listing[ReviewRow]  # newest first
    received_missing: str
    as_peer: Listing[PeerVisitView]  # newest first
    as_peer_missing: str
    follow_ups: Listing[FollowUpLink] | None  # None: no review received, no section
    responses: Listing[ResponseLink] | None
    offers_received: Listing[OfferLink] | None
    offers_given: Listing[OfferLink] | None
    context_documents: Listing[DocumentLink] | None
    themes: Listing[ThemeCount] | None
    follow_through: Listing[str] | None = None  # a sentence per kind that asks for change
    compare: CompareForm | None = None


def build(page: PlannedPage, inputs: Inputs) -> AuthorityView:
    archive, graph = inputs.archive, inputs.graph
    a = archive.authorities[page.subject or ""]
    link = page_links(page, inputs)
    anchors = Anchors(())
    received = graph.received.get(a.id, [])
    given = graph.given.get(a.id, [])
    as_peer, visits = len(graph.peer_reviews(a.id)), len(graph.peer_follow_ups(a.id))
    in_archive = f"{plural(len(received), 'review')} received; a peer in {plural(as_peer, 'review')}"
    if visits:
        in_archive += f" and {plural(visits, 'follow-up visit')}"
    peers = _peers(a.id, inputs, anchors, link)

    def review_ref(review_id: str) -> Ref:
        return Ref(archive.reviews[review_id].title, link.review(review_id))

    received_rows = Listing(anchors.section("reviews-received"),
                            review_rows(reversed(received), inputs, link))
    peer_visits = []
    for visit in reversed(given):
        r = archive.reviews[visit.review_id]
        follow_up = visit.part == "follow-up"
        peer_visits.append(PeerVisitView(
            follow_up, link.review(r.id, visit.part_id) if follow_up else link.review(r.id),
            link.authority_ref(r.host), visit.date if follow_up else r.date, None if follow_up else r.end_date,
            review_ref(r.id), people(visit.people, link)))
    as_peer_listing = Listing(anchors.section("as-a-peer"), tuple(peer_visits))

    follow_ups = responses = None
    if received:
        follow_ups = Listing(anchors.section("follow-ups"), tuple(
            FollowUpLink(link.review(e.review_id, e.follow_up.id), human_date(e.follow_up.date),
                         review_ref(e.review_id),
                         link.authority_refs(dict.fromkeys(p.authority for p in e.follow_up.visitors
                                                           if p.authority)))
            for e in graph.follow_ups.get(a.id, [])))
        responses = Listing(anchors.section("responses"), tuple(
            ResponseLink(link.review(e.review_id, e.response.id), e.response.title, e.response.date,
                         e.response.body, review_ref(e.review_id))
            for e in graph.responses.get(a.id, [])))

    offers_received_entries = graph.offers_received.get(a.id, [])
    offers_given_entries = graph.offers_given.get(a.id, [])
    offers_received = offers_given = None
    if received or offers_received_entries:
        offers_received = Listing(anchors.section("offers-received"), tuple(
            OfferLink(link.authority_ref(e.offer.authority), link.review(e.review_id, e.offer.id),
                      archive.reviews[e.review_id].title, e.offer.text) for e in offers_received_entries))
    if given or offers_given_entries:
        offers_given = Listing(anchors.section("offers-given"), tuple(
            OfferLink(link.authority_ref(e.host), link.review(e.review_id, e.offer.id),
                      archive.reviews[e.review_id].title, e.offer.text) for e in offers_given_entries))

    documents = [archive.context_documents[d] for d in graph.context_documents.get(a.id, [])]
    context_documents = (Listing(anchors.section("context-documents"), tuple(
        DocumentLink(d.title, link.context(d.id), d.date) for d in documents)) if documents else None)

    counted = graph.themes_by_authority.get(a.id)
    themes = (Listing(anchors.section("themes"), tuple(
        ThemeCount(Ref(archive.themes[t].name, link.theme(t)), plural(n, "finding"))
        for t, n in sorted(counted.items(), key=lambda item: item[0].lower()))) if counted else None)

    return AuthorityView(
        breadcrumbs=breadcrumbs(link, ("Authorities", link.index("authorities")), (a.name, None)),
        name=a.name, official_name=a.official_name, kind=AUTHORITY_KINDS[a.kind], region=a.region,
        member_of=link.authority_refs(graph.groups.get(a.id, [])), members=link.authority_refs(a.members),
        in_archive=in_archive, note=a.note, peers=peers,
        received=received_rows, received_missing=f"No review of {a.name} is recorded in the sources.",
        as_peer=as_peer_listing,
        as_peer_missing=f"The sources record no review of another council in which {a.name} took part.",
        follow_ups=follow_ups, responses=responses, offers_received=offers_received, offers_given=offers_given,
        context_documents=context_documents, themes=themes,
        follow_through=(Listing(anchors.section("what-happened-next"), sentences)
                        if (sentences := summary_sentences(graph, a.id)) else None),
        compare=_compare(a.id, inputs, link, anchors))


def _compare(authority_id: str, inputs: Inputs, link: Links, anchors: Anchors) -> CompareForm | None:
    if "compare" not in inputs.sections:
        return None
    others = sorted((x for x in inputs.archive.authorities.values() if x.id != authority_id),
                    key=lambda x: (x.name.casefold(), x.id))
    return CompareForm(anchors.section("compare-with"), link.index("compare"), authority_id,
                       link.to(urls.compare_url(authority_id)), tuple((x.id, x.name) for x in others))


def _peers(authority_id: str, inputs: Inputs, anchors: Anchors, link: Links) -> Peers | None:
    """Who reviewed it and whom it reviewed (network.py's pairs), when either is known."""
    reviewed_by, reviewed = inputs.data.network.peers_of(authority_id)
    if not reviewed_by and not reviewed:
        return None

    return Peers(anchors.section("peers"),
                 tuple(PeerPair(link.authority_ref(p.peer), visit_summary(p.visits)) for p in reviewed_by),
                 tuple(PeerPair(link.authority_ref(p.host), visit_summary(p.visits)) for p in reviewed),
                 link.index("network") if "network" in inputs.sections else None)
