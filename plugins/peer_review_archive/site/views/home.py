"""The home page: the archive in numbers, the latest reviews, and the ways in."""

from __future__ import annotations

from dataclasses import dataclass

from ..page import AuthorityRef, PlannedPage
from .common import Inputs, Ref, page_links
from .sentences import NO_REVIEW_YET

LATEST_REVIEWS = 5
SECTION_TITLES = {"network": "Network", "data": "Data"}
"""The optional sections the home page lists by their title alone, in this order."""


@dataclass(frozen=True)
class Count:
    """One of the archive's numbers, linking to its index page when it has one."""

    number: int
    words: str  # "follow-up visits"
    href: str | None


@dataclass(frozen=True)
class LatestReview:
    title: str
    href: str
    host: AuthorityRef
    date: str
    end_date: str | None
    reviewed_by: tuple[AuthorityRef, ...]


@dataclass(frozen=True)
class HomeView:
    counts: tuple[Count, ...]
    latest: tuple[LatestReview, ...]  # newest first
    latest_missing: str
    recommendations: str | None  # the explorer's href, when the site has one
    themes: str
    authorities: str
    more: tuple[Ref, ...]  # the other optional sections that exist


def build(page: PlannedPage, inputs: Inputs) -> HomeView:
    graph, link = inputs.graph, page_links(page, inputs)
    c = graph.counts
    counts = (Count(c.authorities, "authorities", link.index("authorities")),
              Count(c.reviews, "reviews", link.index("reviews")),
              Count(c.follow_ups, "follow-up visit" if c.follow_ups == 1 else "follow-up visits", None),
              Count(c.findings, "findings", None),
              Count(c.themes, "themes", link.index("themes")))
    latest = tuple(LatestReview(r.title, link.review(r.id), link.authority_ref(r.host), r.date, r.end_date,
                                link.authority_refs(graph.reviewed_by(r)))
                   for r in graph.latest_reviews(LATEST_REVIEWS))
    return HomeView(
        counts=counts, latest=latest, latest_missing=NO_REVIEW_YET,
        recommendations=link.index("recommendations") if "recommendations" in inputs.sections else None,
        themes=link.index("themes"), authorities=link.index("authorities"),
        more=tuple(Ref(title, link.index(key)) for key, title in SECTION_TITLES.items() if key in inputs.sections))
