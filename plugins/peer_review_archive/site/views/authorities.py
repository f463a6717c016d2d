"""The authorities index: one sortable row per authority, by name."""

from __future__ import annotations

from dataclasses import dataclass

from ...records.vocabulary import AUTHORITY_KINDS
from ..page import AuthorityRef, PlannedPage
from .common import Inputs, page_links


@dataclass(frozen=True)
class LatestReview:
    href: str
    date: str
    end_date: str | None


@dataclass(frozen=True)
class AuthorityRow:
    authority: AuthorityRef
    kind: str  # "London borough"
    region: str  # empty when not recorded
    received: int
    as_peer: int
    findings: int
    latest_sort: str  # the latest review's date, empty without one
    latest: LatestReview | None


@dataclass(frozen=True)
class AuthoritiesView:
    rows: tuple[AuthorityRow, ...]


def build(page: PlannedPage, inputs: Inputs) -> AuthoritiesView:
    archive, graph, link = inputs.archive, inputs.graph, page_links(page, inputs)
    rows = []
    for a in sorted(archive.authorities.values(), key=lambda a: a.name.lower()):
        received = graph.received.get(a.id, [])
        latest = archive.reviews[received[-1]] if received else None
        rows.append(AuthorityRow(
            link.authority_ref(a.id), AUTHORITY_KINDS[a.kind], a.region or "", len(received),
            len(graph.peer_reviews(a.id)), graph.finding_counts.get(a.id, 0), latest.date if latest else "",
            LatestReview(link.review(latest.id), latest.date, latest.end_date) if latest else None))
    return AuthoritiesView(tuple(rows))
