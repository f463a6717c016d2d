"""A context document's page: a council paper that frames reviews without being one."""

from __future__ import annotations

from dataclasses import dataclass

from ...records import urls
from ..page import Anchors, AuthorityRef, PlannedPage
from .common import (
    Block,
    Breadcrumbs,
    FiguresTable,
    Findings,
    Inputs,
    KindSection,
    Ref,
    SectionView,
    SourcesView,
    blocks,
    breadcrumbs,
    figures,
    page_links,
    sections,
    sources,
)


@dataclass(frozen=True)
class ContextView:
    breadcrumbs: Breadcrumbs
    title: str
    draft: bool  # shown only by `mkdocs serve`, under a banner
    authority: AuthorityRef
    date: str
    frames: tuple[Ref, ...]  # the reviews it frames
    not_in_sources: tuple[str, ...]
    summary_anchor: str | None
    summary: tuple[Block, ...]
    figures_anchor: str | None  # None: no figures
    figures: FiguresTable
    sections: tuple[SectionView, ...]
    findings: tuple[KindSection, ...]
    sources: SourcesView


def build(page: PlannedPage, inputs: Inputs) -> ContextView:
    archive = inputs.archive
    d = archive.context_documents[page.subject or ""]
    link = page_links(page, inputs)
    anchors = Anchors({f.id for f in d.findings} | {urls.source_anchor(s.id) for s in d.sources})
    summary_anchor = anchors.section("summary") if d.summary else None
    figures_anchor = anchors.section("figures") if d.figures else None
    other_sections = sections(d.sections, anchors)
    built = Findings(d.id, d.sources, inputs, link)
    findings = built.kind_sections(d.findings, anchors)
    return ContextView(
        breadcrumbs=breadcrumbs(link, ("Authorities", link.index("authorities")),
                                (inputs.names[d.authority], link.authority(d.authority)), (d.title, None)),
        title=d.title, draft=d.draft, authority=link.authority_ref(d.authority), date=d.date,
        frames=tuple(Ref(archive.reviews[r].title, link.review(r)) for r in d.related_reviews),
        not_in_sources=tuple(d.not_in_sources), summary_anchor=summary_anchor, summary=blocks(d.summary),
        figures_anchor=figures_anchor, figures=figures(d.figures, link), sections=other_sections,
        findings=findings,
        sources=sources(d.sources, anchors.section("sources"), link))
