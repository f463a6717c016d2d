"""The network page: who reviewed whom, as a picture (pictures.py) and as a table with
the same pairs (network.py)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...outputs.pictures import network_matrix
from ..extras import visit_summary
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
    picture: Markup
    rows: tuple[NetworkRow, ...]  # empty: no named peers, said by `missing`
    no_peer: str
    missing: str


def build(page: PlannedPage, inputs: Inputs) -> NetworkView:
    archive, network, link = inputs.archive, inputs.data.network, page_links(page, inputs)
    rows = []
    for authority_id in network.authorities:
        reviewed_by, reviewed = network.peers_of(authority_id)
        rows.append(NetworkRow(
            link.authority_ref(authority_id), archive.authorities[authority_id].region or NO_REGION,
            tuple(PeerPair(link.authority_ref(p.peer), visit_summary(p.visits)) for p in reviewed_by),
            sum(len(p.visits) for p in reviewed)))
    return NetworkView(
        breadcrumbs=breadcrumbs(link, ("Network", None)),
        authorities=plural(len(network.authorities), "authority", "authorities"),
        picture=Markup(network_matrix(network, archive, link.to)), rows=tuple(rows), no_peer=NO_PEER,
        missing=NO_NAMED_PEERS)
