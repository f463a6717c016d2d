"""Who reviewed whom: the peer network as pairs of authorities, for /network/ and authority pages.

The graph lists visits per authority; readers ask about pairs ("has Kent reviewed East
Sussex, and when?") and about regions, where most peer reviewing happens. Pairs are
computed once here so that the picture, its table and each authority's peers agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..records.archive import Archive
from .indexes import Graph, PeerVisit

NO_REGION = "Region not recorded"


@dataclass(frozen=True)
class Pair:
    """Every visit of one peer authority to one host, oldest first."""

    host: str
    peer: str
    visits: tuple[PeerVisit, ...]

    @property
    def reviews(self) -> int:
        return sum(1 for v in self.visits if v.part == "review")

    @property
    def years(self) -> list[str]:
        return list(dict.fromkeys(v.date[:4] for v in self.visits))


@dataclass(frozen=True)
class Network:
    """The authorities that took part in any review (as host or peer), in reading order."""

    authorities: tuple[str, ...]  # by region, then name
    regions: tuple[tuple[str, tuple[str, ...]], ...]
    pairs: dict[tuple[str, str], Pair]  # (host, peer) -> pair
    reviewed_by: dict[str, tuple[Pair, ...]]  # host -> pairs, by peer order
    reviewed: dict[str, tuple[Pair, ...]]  # peer -> pairs, by host order

    def peers_of(self, authority_id: str) -> tuple[tuple[Pair, ...], tuple[Pair, ...]]:
        """(who reviewed this authority, whom it reviewed)."""
        return self.reviewed_by.get(authority_id, ()), self.reviewed.get(authority_id, ())


def build_network(archive: Archive, graph: Graph) -> Network:
    """Every (host, peer) pair from the graph's peer visits, in a stable reading order."""
    visits: dict[tuple[str, str], list[PeerVisit]] = defaultdict(list)
    for peer, peer_visits in graph.given.items():
        for v in peer_visits:
            host = archive.reviews[v.review_id].host
            if host != peer:
                visits[(host, peer)].append(v)
    taking_part = {a for pair in visits for a in pair} | set(graph.received)

    def region(authority_id: str) -> str:
        return archive.authorities[authority_id].region or NO_REGION

    def order(authority_id: str) -> tuple[bool, str, str, str]:
        name = archive.authorities[authority_id].name
        return (region(authority_id) == NO_REGION, region(authority_id), name.casefold(), authority_id)

    authorities = tuple(sorted(taking_part, key=order))
    position = {a: i for i, a in enumerate(authorities)}
    regions: dict[str, list[str]] = {}
    for authority_id in authorities:
        regions.setdefault(region(authority_id), []).append(authority_id)
    pairs = {key: Pair(*key, tuple(sorted(v, key=lambda x: (x.date, x.review_id, x.part_id or ""))))
             for key, v in visits.items()}
    reviewed_by: dict[str, list[Pair]] = defaultdict(list)
    reviewed: dict[str, list[Pair]] = defaultdict(list)
    for pair in sorted(pairs.values(), key=lambda p: (position[p.host], position[p.peer])):
        reviewed_by[pair.host].append(pair)
    for pair in sorted(pairs.values(), key=lambda p: (position[p.peer], position[p.host])):
        reviewed[pair.peer].append(pair)
    return Network(
        authorities=authorities,
        regions=tuple((name, tuple(members)) for name, members in regions.items()),
        pairs=dict(sorted(pairs.items(), key=lambda kv: (position[kv[0][0]], position[kv[0][1]]))),
        reviewed_by={k: tuple(v) for k, v in reviewed_by.items()},
        reviewed={k: tuple(v) for k, v in reviewed.items()},
    )
