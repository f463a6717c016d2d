"""The reviews by the year they began: what the reviews index counts and each year's pages list.

One pure function of the archive, shared by the page plan (which year pages), the
dependency declarations (which reviews a year's page shows) and the views, so that the
three agree; the views read it through `DataPages.review_years`, made once per build.
"""

from __future__ import annotations

from ..records.archive import Archive
from ..records.dates import year

REVIEWS_PER_PAGE = 200
"""A year's reviews per page: about 100 kB of table rows at national scale."""


def reviews_by_year(archive: Archive) -> dict[str, tuple[str, ...]]:
    """Review ids by the year they began, newest year first; within a year by programme (the
    registry's order, reviews outside a named programme last), then date and host."""
    order = {p: i for i, p in enumerate(archive.programmes)}
    names = {a.id: a.name.casefold() for a in archive.authorities.values()}
    ranked = sorted(archive.reviews.values(), key=lambda r: (
        order.get(r.programme or "", len(order)), r.date, names[r.host], r.id))
    years: dict[str, list[str]] = {}
    for r in ranked:
        years.setdefault(year(r.date), []).append(r.id)
    return {y: tuple(years[y]) for y in sorted(years, reverse=True)}
