"""An authority's page: facts, peers, the reviews it received and took part in, its
follow-ups, responses, offers of support, council papers and the themes of its findings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ...graph.indexes import Graph, OfferEntry, PeerVisit
from ...records import urls
from ...records.dates import human_date, year
from ...records.vocabulary import AUTHORITY_KINDS
from ..dependencies import newest_offers
from ..extras import visit_summary
from ..page import Anchors, AuthorityRef, Links, PlannedPage
from ..paging import page_count, page_items
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
from .theme import Pager, pager
from .trails import summary_sentences

T = TypeVar("T")

AS_PEER_SHOWN = 20
"""An authority's page lists its newest visits as a peer; past this, its as-peer pages list all."""
OFFERS_SHOWN = 10
"""And its newest offers of support received, and given; past this, its offers pages list all."""
LISTED_PER_PAGE = 100
"""Visits or offers per page of those listings."""


def listings(graph: Graph, authority_id: str) -> dict[str, int]:
    """The authority's lists too long for its page, by listing page kind, with their lengths."""
    received = len(graph.offers_received.get(authority_id, ()))
    given = len(graph.offers_given.get(authority_id, ()))
    visits = len(graph.given.get(authority_id, ()))
    found = {"authority-as-peer": visits} if visits > AS_PEER_SHOWN else {}
    if received > OFFERS_SHOWN or given > OFFERS_SHOWN:
        found["authority-offers"] = received + given
    return found


@dataclass(frozen=True)
class Peers:
    anchor: str
    reviewed_by: tuple[PeerPair, ...]
    reviewed: tuple[PeerPair, ...]
    network: str | None  # the network page's href, when the site has one
    # The first people (by date) it sent as peers, "Name, role" as printed: whom to ask. Each
    # match of "Who else faced it" on a review page links its authority here.
    sent: tuple[str, ...] = ()


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
    as_peer_more: Ref | None = None  # past AS_PEER_SHOWN: "All 83 visits as a peer", to their pages
    offers_more: Ref | None = None  # past OFFERS_SHOWN on either side


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
    long = listings(graph, a.id)
    newest_visits = list(reversed(given))[:AS_PEER_SHOWN] if "authority-as-peer" in long else reversed(given)
    as_peer_listing = Listing(anchors.section("as-a-peer"), peer_visit_views(newest_visits, inputs, link))

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
    if "authority-offers" in long:  # the newest of each
        offers_received_entries = newest_offers(offers_received_entries)[:OFFERS_SHOWN]
        offers_given_entries = newest_offers(offers_given_entries)[:OFFERS_SHOWN]
    offers_received = offers_given = None
    if received or offers_received_entries:
        offers_received = Listing(anchors.section("offers-received"),
                                  tuple(offer_link(e, True, inputs, link) for e in offers_received_entries))
    if given or offers_given_entries:
        offers_given = Listing(anchors.section("offers-given"),
                               tuple(offer_link(e, False, inputs, link) for e in offers_given_entries))

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
        compare=_compare(a.id, inputs, link, anchors),
        as_peer_more=Ref(f"All {long['authority-as-peer']:,} reviews and visits as a peer",
                         link.authority_as_peer(a.id)) if "authority-as-peer" in long else None,
        offers_more=Ref(f"All {long['authority-offers']:,} offers of support, received and given",
                        link.authority_offers(a.id)) if "authority-offers" in long else None)


def peer_visit_views(visits: Iterable[PeerVisit], inputs: Inputs, link: Links) -> tuple[PeerVisitView, ...]:
    archive, found = inputs.archive, []
    for visit in visits:
        r = archive.reviews[visit.review_id]
        follow_up = visit.part == "follow-up"
        found.append(PeerVisitView(
            follow_up, link.review(r.id, visit.part_id) if follow_up else link.review(r.id),
            link.authority_ref(r.host), visit.date if follow_up else r.date, None if follow_up else r.end_date,
            Ref(r.title, link.review(r.id)), people(visit.people, link)))
    return tuple(found)


def offer_link(e: OfferEntry, received: bool, inputs: Inputs, link: Links) -> OfferLink:
    """An offer as the authority's pages list it: from the offering authority, or to the host."""
    return OfferLink(link.authority_ref(e.offer.authority if received else e.host),
                     link.review(e.review_id, e.offer.id), inputs.archive.reviews[e.review_id].title, e.offer.text)


# --- a prolific authority's listings -------------------------------------------------------


@dataclass(frozen=True)
class AuthorityListingView:
    breadcrumbs: Breadcrumbs
    title: str
    position: str  # "83 reviews and follow-up visits as a peer, newest first."
    authority: Ref  # the authority's page
    pager: Pager
    visits: tuple[PeerVisitView, ...]  # as-peer pages
    offers: tuple[tuple[str, OfferLink], ...]  # offers pages: ("From" or "To", the offer)


def build_as_peer(page: PlannedPage, inputs: Inputs) -> AuthorityListingView:
    visits = list(reversed(inputs.graph.given.get(page.subject or "", [])))
    view, listed = _listing(page, inputs, "reviews and follow-up visits as a peer", visits, lambda v: v.date)
    return dataclasses.replace(view, visits=peer_visit_views(listed, inputs, page_links(page, inputs)))


def build_offers(page: PlannedPage, inputs: Inputs) -> AuthorityListingView:
    authority_id, graph = page.subject or "", inputs.graph
    offers = sorted([*((True, e) for e in graph.offers_received.get(authority_id, [])),
                     *((False, e) for e in graph.offers_given.get(authority_id, []))],
                    key=lambda t: (t[1].date, t[1].review_id, t[1].offer.id, t[0]), reverse=True)
    view, listed = _listing(page, inputs, "offers of support, received and given", offers, lambda t: t[1].date)
    link = page_links(page, inputs)
    return dataclasses.replace(view, offers=tuple(
        ("From" if received else "To", offer_link(e, received, inputs, link)) for received, e in listed))


def _listing(page: PlannedPage, inputs: Inputs, what: str, items: list[T],
             when: Callable[[T], str]) -> tuple[AuthorityListingView, Sequence[T]]:
    """The parts both listings share (title, pager by year), and this page's items."""
    a = inputs.archive.authorities[page.subject or ""]
    link = page_links(page, inputs)
    number, pages = page.number, page_count(len(items), LISTED_PER_PAGE)

    def span(n: int) -> str:  # the years a page's items are from, newest first
        on = page_items(items, n, LISTED_PER_PAGE)
        newest_year, oldest_year = year(when(on[0])), year(when(on[-1]))
        return newest_year if newest_year == oldest_year else f"{newest_year} to {oldest_year}"

    at = f", page {number}" * (pages > 1)
    here = link.authority_as_peer if page.kind == "authority-as-peer" else link.authority_offers
    view = AuthorityListingView(
        breadcrumbs=breadcrumbs(link, ("Authorities", link.index("authorities")), (a.name, link.authority(a.id)),
                                (what[0].upper() + what[1:] + at, None)),
        title=f"{a.name}: {what}{at}",
        position=f"{len(items):,} {what}, newest first" + (f"; page {number} of {pages}." if pages > 1 else "."),
        authority=Ref(a.name, link.authority(a.id)), pager=pager(number, pages, lambda n: here(a.id, n), span),
        visits=(), offers=())
    return view, page_items(items, number, LISTED_PER_PAGE)


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
    first = inputs.graph.peers.get(authority_id)

    return Peers(anchors.section("peers"),
                 tuple(PeerPair(link.authority_ref(p.peer), visit_summary(p.visits)) for p in reviewed_by),
                 tuple(PeerPair(link.authority_ref(p.host), visit_summary(p.visits)) for p in reviewed),
                 link.index("network") if "network" in inputs.sections else None,
                 first.people if first else ())
