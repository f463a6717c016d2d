"""The reviews index: every review by year (a picture and a list), then by programme."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...outputs.pictures import review_timeline
from ...records.dates import year
from ..page import Anchors, PlannedPage
from .common import Inputs, Listing, Ref, ReviewRow, page_links, plural, review_rows
from .sentences import NO_REVIEW_IN_PROGRAMME, NO_REVIEW_YET


@dataclass(frozen=True)
class Year:
    year: str
    reviews: tuple[Ref, ...]  # each named by its host, newest first


@dataclass(frozen=True)
class ProgrammeSection:
    anchor: str  # the programme's id: reviews link to it
    name: str
    description: str
    rows: tuple[ReviewRow, ...]  # newest first
    missing: str


@dataclass(frozen=True)
class ReviewsView:
    count: str  # "12 reviews"
    by_year_anchor: str | None  # None: no review, said by `missing`
    timeline: Markup  # the picture (pictures.py)
    years: tuple[Year, ...]  # newest first
    missing: str
    programmes: tuple[ProgrammeSection, ...]
    other: Listing[ReviewRow] | None  # reviews outside a named programme, when any


def build(page: PlannedPage, inputs: Inputs) -> ReviewsView:
    archive, link = inputs.archive, page_links(page, inputs)
    anchors = Anchors(archive.programmes)
    newest_first = sorted(archive.reviews.values(), key=lambda r: r.date, reverse=True)
    years: dict[str, list[Ref]] = {}
    for r in newest_first:
        years.setdefault(year(r.date), []).append(Ref(inputs.names[r.host], link.review(r.id)))
    by_year_anchor = anchors.section("by-year") if years else None
    programmes = tuple(
        ProgrammeSection(p.id, p.name, p.description,
                         review_rows([r.id for r in newest_first if r.programme == p.id], inputs, link),
                         NO_REVIEW_IN_PROGRAMME)
        for p in archive.programmes.values())
    other_ids = [r.id for r in newest_first if r.programme is None]
    other = Listing(anchors.section("other-reviews"), review_rows(other_ids, inputs, link)) if other_ids else None
    return ReviewsView(
        count=plural(len(archive.reviews), "review"), by_year_anchor=by_year_anchor,
        timeline=Markup(review_timeline(archive, link.to)),
        years=tuple(Year(y, tuple(refs)) for y, refs in sorted(years.items(), reverse=True)),
        missing=NO_REVIEW_YET, programmes=programmes, other=other)
