"""The reviews index and each year's pages.

The index summarises (a picture and a table of reviews per year and programme, the
newest reviews, each programme's years) and links to a page per year, paged when a year
is long, which lists every review: so the index stays the same size as the archive grows,
and every review is a plain link or two from it, without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...outputs.pictures import review_timeline
from ..page import Anchors, Links, PlannedPage
from ..paging import page_count, page_items, page_of
from ..years import REVIEWS_PER_PAGE
from .common import Breadcrumbs, Inputs, Listing, Ref, ReviewRow, breadcrumbs, page_links, plural, review_rows
from .sentences import NO_REVIEW_IN_PROGRAMME, NO_REVIEW_YET
from .theme import Pager, pager

NEWEST_REVIEWS = 10
"""The reviews index lists the newest this many in full; the year pages list every one."""

OTHER_NAME = "Reviews outside a named programme"


def _other(inputs: Inputs) -> str:
    """The anchor (and key) of reviews outside a named programme: `other-reviews`, unless a
    programme took that id."""
    return Anchors(inputs.archive.programmes).section("other-reviews")


@dataclass(frozen=True)
class Count:
    number: int
    href: str | None  # where the year's page lists them; None for none


@dataclass(frozen=True)
class YearRow:
    year: Ref  # to the year's first page
    counts: tuple[Count, ...]  # in the columns' order
    total: int


@dataclass(frozen=True)
class ProgrammeSection:
    anchor: str  # the programme's id: reviews link to it
    name: str
    description: str
    count: str  # "12 reviews, from 2014 to 2016."
    years: tuple[tuple[Ref, int], ...]  # each year with reviews in it, newest first, and how many
    missing: str


@dataclass(frozen=True)
class ReviewsView:
    count: str  # "12 reviews"
    by_year_anchor: str | None  # None: no review, said by `missing`
    timeline: Markup  # the picture (pictures.py)
    columns: tuple[str, ...]  # programmes with reviews, then reviews outside one
    years: tuple[YearRow, ...]  # newest first
    newest: Listing[ReviewRow] | None
    missing: str
    programmes: tuple[ProgrammeSection, ...]
    other: ProgrammeSection | None  # reviews outside a named programme, when any


def _sections(ids: tuple[str, ...], inputs: Inputs) -> list[tuple[str, list[str]]]:
    """A year's reviews as (section anchor, ids) runs, in the year's order (years.py)."""
    out: list[tuple[str, list[str]]] = []
    other = _other(inputs)
    for review_id in ids:
        key = inputs.archive.reviews[review_id].programme or other
        if not out or out[-1][0] != key:
            out.append((key, []))
        out[-1][1].append(review_id)
    return out


def _where(year: str, ids: tuple[str, ...], inputs: Inputs, link: Links) -> dict[str, str]:
    """Each section's first place on the year's pages: `reviews/2016/2/#<programme>`."""
    found: dict[str, str] = {}
    other = _other(inputs)
    for index, review_id in enumerate(ids):
        key = inputs.archive.reviews[review_id].programme or other
        if key not in found:
            found[key] = link.reviews_year(year, page_of(index, REVIEWS_PER_PAGE), key)
    return found


def build(page: PlannedPage, inputs: Inputs) -> ReviewsView:
    archive, link = inputs.archive, page_links(page, inputs)
    anchors = Anchors(archive.programmes)
    other = anchors.section("other-reviews")
    years = inputs.data.review_years
    where = {y: _where(y, ids, inputs, link) for y, ids in years.items()}
    keys = [p for p in archive.programmes if any(p in w for w in where.values())]
    keys += [other] if any(other in w for w in where.values()) else []
    counted = {y: {key: len(ids) for key, ids in _sections(ids, inputs)} for y, ids in years.items()}
    rows = tuple(YearRow(Ref(y, link.reviews_year(y)),
                         tuple(Count(counted[y].get(k, 0), where[y].get(k)) for k in keys), len(ids))
                 for y, ids in years.items())

    def section(key: str, name: str, description: str) -> ProgrammeSection:
        found = [(Ref(y, where[y][key]), counted[y][key]) for y in years if key in where[y]]
        total = sum(n for _, n in found)
        span = (f", in {found[0][0].label}" if len(found) == 1
                else f", from {found[-1][0].label} to {found[0][0].label}") if found else ""
        return ProgrammeSection(key, name, description, plural(total, "review") + span + ".", tuple(found),
                                NO_REVIEW_IN_PROGRAMME)

    newest = sorted(archive.reviews.values(), key=lambda r: (r.date, r.id), reverse=True)[:NEWEST_REVIEWS]
    return ReviewsView(
        count=plural(len(archive.reviews), "review"),
        by_year_anchor=anchors.section("by-year") if years else None,
        timeline=Markup(review_timeline(archive, link.to)),
        columns=tuple(archive.programmes[k].name if k != other else "No programme named" for k in keys),
        years=rows,
        newest=Listing(anchors.section("newest"), review_rows([r.id for r in newest], inputs, link))
        if newest else None,
        missing=NO_REVIEW_YET,
        programmes=tuple(section(p.id, p.name, p.description) for p in archive.programmes.values()),
        other=section(other, OTHER_NAME, "") if other in keys else None)


# --- a year's reviews ------------------------------------------------------------------


@dataclass(frozen=True)
class YearSection:
    anchor: str  # the programme's id, or `other-reviews`
    name: str
    continued: bool  # its reviews began on the page before
    rows: tuple[ReviewRow, ...]


@dataclass(frozen=True)
class ReviewsYearView:
    breadcrumbs: Breadcrumbs
    title: str
    position: str  # "31 reviews began in 2016, by programme then date."
    earlier: Ref | None  # the year before with reviews
    later: Ref | None
    index: str
    pager: Pager
    sections: tuple[YearSection, ...]


def build_year(page: PlannedPage, inputs: Inputs) -> ReviewsYearView:
    archive, link, y = inputs.archive, page_links(page, inputs), page.subject or ""
    years = inputs.data.review_years
    ids = years[y]
    number, pages = page.number, page_count(len(ids), REVIEWS_PER_PAGE)
    listed = tuple(page_items(ids, number, REVIEWS_PER_PAGE))
    start = (number - 1) * REVIEWS_PER_PAGE
    other = _other(inputs)
    before = (archive.reviews[ids[start - 1]].programme or other) if start else None

    def name(key: str) -> str:
        return archive.programmes[key].name if key != other else OTHER_NAME

    def span(n: int) -> str:  # the programmes a page lists
        on = page_items(ids, n, REVIEWS_PER_PAGE)
        first, last = (name(archive.reviews[r].programme or other) for r in (on[0], on[-1]))
        return first if first == last else f"{first} to {last}"

    order = list(years)  # newest first
    at = order.index(y)
    shown = f"; these are {start + 1:,} to {start + len(listed):,}, page {number} of {pages}" if pages > 1 else ""
    position = f"{plural(len(ids), 'review')} began in {y}{shown}, by programme then date."
    return ReviewsYearView(
        breadcrumbs=breadcrumbs(link, ("Reviews", link.index("reviews")),
                                (y, link.reviews_year(y) if number > 1 else None),
                                *((f"Page {number}", None),) * (number > 1)),
        title=f"Reviews in {y}" + f", page {number}" * (number > 1), position=position,
        earlier=Ref(order[at + 1], link.reviews_year(order[at + 1])) if at + 1 < len(order) else None,
        later=Ref(order[at - 1], link.reviews_year(order[at - 1])) if at else None,
        index=link.index("reviews"),
        pager=pager(number, pages, lambda n: link.reviews_year(y, n), span),
        sections=tuple(YearSection(key, name(key), key == before, review_rows(section, inputs, link))
                       for key, section in _sections(listed, inputs)))
