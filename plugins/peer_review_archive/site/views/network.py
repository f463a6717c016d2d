"""The network page: who reviewed whom, as a picture (pictures.py); and its table page, with
the same pairs (network.py), each in words of fixed length, so neither grows with the visits."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...outputs.pictures import network_matrix
from ...records import urls
from ..extras import visit_span
from ..page import AuthorityRef, PlannedPage
from .common import Breadcrumbs, Inputs, PeerPair, breadcrumbs, page_links, plural
from .sentences import NO_NAMED_PEERS, NO_PEER, NO_REGION


@dataclass(frozen=True)
class NetworkRow:
    authority: AuthorityRef
    region: str
    reviewed_by: tuple[PeerPair, ...]
    visits_as_peer: int  # reviews and follow-ups of others


@dataclass(frozen=True)
class NetworkView:
    breadcrumbs: Breadcrumbs
    authorities: str  # "12 authorities"
    pairs: str  # "30 pairs of authorities, 41 visits"
    picture: Markup | None  # None: no named peers, said by `missing`
    table: str
    missing: str


def build(page: PlannedPage, inputs: Inputs) -> NetworkView:
    network, link = inputs.data.network, page_links(page, inputs)
    visits = sum(len(p.visits) for p in network.pairs.values())
    return NetworkView(
        breadcrumbs=breadcrumbs(link, ("Network", None)),
        authorities=plural(len(network.authorities), "authority", "authorities"),
        pairs=f"{plural(len(network.pairs), 'pair')} of host and peer, {plural(visits, 'visit')}",
        picture=Markup(network_matrix(network, inputs.archive, link.to)) if network.authorities else None,
        table=link.to(urls.NETWORK_TABLE_URL), missing=NO_NAMED_PEERS)


@dataclass(frozen=True)
class NetworkTableView:
    breadcrumbs: Breadcrumbs
    authorities: str  # "12 authorities"
    picture: str
    rows: tuple[NetworkRow, ...]  # empty: no named peers, said by `missing`
    no_peer: str
    missing: str


def build_table(page: PlannedPage, inputs: Inputs) -> NetworkTableView:
    archive, network, link = inputs.archive, inputs.data.network, page_links(page, inputs)
    rows = []
    for authority_id in network.authorities:
        reviewed_by, reviewed = network.peers_of(authority_id)
        rows.append(NetworkRow(
            link.authority_ref(authority_id), archive.authorities[authority_id].region or NO_REGION,
            tuple(PeerPair(link.authority_ref(p.peer), visit_span(p.visits)) for p in reviewed_by),
            sum(len(p.visits) for p in reviewed)))
    return NetworkTableView(
        breadcrumbs=breadcrumbs(link, ("Network", link.index("network")), ("Table", None)),
        authorities=plural(len(network.authorities), "authority", "authorities"),
        picture=link.index("network"), rows=tuple(rows), no_peer=NO_PEER, missing=NO_NAMED_PEERS)
