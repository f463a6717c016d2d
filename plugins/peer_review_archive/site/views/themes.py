"""The themes index: every theme with its counts, and the findings-by-authority picture
with the same numbers as a table."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...outputs.pictures import theme_counts, theme_matrix
from ..page import AuthorityRef, PlannedPage
from .common import Inputs, Ref, page_links, split_sides


@dataclass(frozen=True)
class ThemeRow:
    theme: Ref
    findings: int
    praised: int
    to_improve: int
    authorities: int
    description: str


@dataclass(frozen=True)
class MatrixRow:
    """One authority's findings on each theme, in the columns' order."""

    authority: AuthorityRef
    counts: tuple[int, ...]
    findings: int  # in all (a finding with several themes counts once)


@dataclass(frozen=True)
class ThemesView:
    rows: tuple[ThemeRow, ...]
    matrix: Markup  # the picture (pictures.py)
    columns: tuple[str, ...]  # theme names, most findings first
    matrix_rows: tuple[MatrixRow, ...]  # empty: no finding, no picture


def build(page: PlannedPage, inputs: Inputs) -> ThemesView:
    archive, graph, link = inputs.archive, inputs.graph, page_links(page, inputs)
    rows = []
    for t in archive.themes.values():
        entries = graph.findings_by_theme.get(t.id, [])
        split = split_sides(entries)
        rows.append(ThemeRow(Ref(t.name, link.theme(t.id)), len(entries), len(split.praised),
                             len(split.to_improve), len({e.authority for e in entries}), t.description))
    table = theme_counts(archive, graph)
    return ThemesView(
        rows=tuple(rows), matrix=Markup(theme_matrix(archive, table, link.to)),
        columns=tuple(archive.themes[t].name for t in table.columns),
        matrix_rows=tuple(MatrixRow(link.authority_ref(a), tuple(table.counts[a].get(t, 0) for t in table.columns),
                                    table.findings[a]) for a in table.rows))
