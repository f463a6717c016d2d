"""Page views: for each kind of page, `build(page, inputs)` returns a frozen view holding
everything its template prints, resolved (hrefs relative to the page, names, labels,
counts, "missing" sentences, lists grouped and in order). Templates only print a view.
"""

from __future__ import annotations

from collections.abc import Callable

from ..page import PageKind, PlannedPage
from . import (
    authorities,
    authority,
    compare,
    context,
    data,
    home,
    network,
    recommendations,
    review,
    reviews,
    source,
    theme,
    themes,
)
from .common import Inputs
from .trails import Related

Builder = Callable[[PlannedPage, Inputs], object]

BUILDERS: dict[PageKind, Builder] = {
    "home": home.build,
    "authorities": authorities.build,
    "reviews": reviews.build,
    "reviews-year": reviews.build_year,
    "themes": themes.build,
    "network": network.build,
    "network-table": network.build_table,
    "data": data.build,
    "recommendations": recommendations.build,
    "review": review.build,
    "theme": theme.build,
    "theme-findings": theme.build_findings,
    "theme-offers": theme.build_offers,
    "authority": authority.build,
    "authority-as-peer": authority.build_as_peer,
    "authority-offers": authority.build_offers,
    "context": context.build,
    "source": source.build,
    "sources": source.build_index,
    "compare": compare.build,
}
"""Each page kind's view builder; its template is `<kind>.html`, given `view`."""

__all__ = ["BUILDERS", "Builder", "Inputs", "Related"]
