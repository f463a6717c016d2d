"""The explorer (/recommendations/): the search form's facets with the archive's totals,
so the first view needs no download, and the ways to browse without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

from ...outputs.downloads import FINDINGS_CSV, FINDINGS_ZIP
from ...records import urls
from ...records.vocabulary import SIDED_KINDS, kinds_in_words
from ...search.records import facets
from ..page import PlannedPage
from .common import Inputs, page_links, plural


@dataclass(frozen=True)
class Choice:
    value: str  # a record id (or a year)
    label: str
    count: int  # findings over the whole archive


@dataclass(frozen=True)
class FacetView:
    key: str
    label: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class ThemeLink:
    label: str
    href: str
    findings: str  # "3 findings"


@dataclass(frozen=True)
class RecommendationsView:
    total: int
    total_words: str  # "1,234"
    kinds: str  # the kinds readers search, in words
    facets: tuple[FacetView, ...]
    themes: tuple[ThemeLink, ...]  # the theme facet's choices, as links to their pages
    reviews: str
    authorities: str
    themes_index: str
    findings_csv: str = ""  # findings.csv.zip: the explorer's download picks the current findings' rows from it
    findings_csv_help: str = ""  # where the data page explains its columns


def build(page: PlannedPage, inputs: Inputs) -> RecommendationsView:
    graph, link = inputs.graph, page_links(page, inputs)
    found = tuple(FacetView(f.key, f.label, tuple(Choice(v.value, v.label, v.count) for v in f.values))
                  for f in facets(graph))
    themes = next((f for f in found if f.key == "theme"), None)
    total = graph.counts.findings
    return RecommendationsView(
        total=total, total_words=f"{total:,}", kinds=kinds_in_words(SIDED_KINDS), facets=found,
        themes=tuple(ThemeLink(c.label, link.theme(c.value), plural(c.count, "finding"))
                     for c in themes.choices) if themes else (),
        reviews=link.index("reviews"), authorities=link.index("authorities"), themes_index=link.index("themes"),
        findings_csv=link.to(urls.data_file_url(FINDINGS_ZIP)),
        findings_csv_help=link.index("data") + "#" + FINDINGS_CSV.replace(".", "-"))
