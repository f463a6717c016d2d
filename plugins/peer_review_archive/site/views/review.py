"""A review's page: facts, team, questions, context, findings, offers, follow-up visits,
council responses, related documents, sources and citations."""

from __future__ import annotations

from dataclasses import dataclass

from ...records import urls
from ...records.dates import human_date
from ...records.models import Review
from ...records.vocabulary import EXPECTED_KINDS, METHOD_KINDS, REVIEW_KINDS
from ..page import Anchors, Links, PlannedPage
from .common import (
    AuthorityRef,
    Block,
    Breadcrumbs,
    FiguresTable,
    FindingGroup,
    Findings,
    Inputs,
    KindSection,
    PersonView,
    Ref,
    SectionView,
    SourcesView,
    blocks,
    breadcrumbs,
    evidence_ref,
    figures,
    page_links,
    people,
    sections,
    source_refs,
    sources,
)


@dataclass(frozen=True)
class DateRef:
    """A dated part of the page (a follow-up visit, a response) linked by its anchor."""

    href: str
    date: str


@dataclass(frozen=True)
class TeamGroup:
    authority: AuthorityRef | None  # None: the sources do not say where they came from
    people: tuple[PersonView, ...]


@dataclass(frozen=True)
class Team:
    anchor: str
    groups: tuple[TeamGroup, ...]  # empty: no member named
    unnamed: tuple[AuthorityRef, ...]  # reviewing authorities whose people are not named
    reviewers: tuple[AuthorityRef, ...]  # the review's reviewers, said when no member is named


@dataclass(frozen=True)
class Questions:
    anchor: str
    question: str | None
    lists: tuple[tuple[str, tuple[str, ...]], ...]  # (label, items), only lists with items
    published: bool


@dataclass(frozen=True)
class MethodView:
    """One way the review gathered evidence: "Focus groups (4): headteachers; governors"."""

    kind: str  # in words
    number: int | None
    who: tuple[str, ...]
    note: str | None
    evidence: Ref | None


@dataclass(frozen=True)
class Methods:
    anchor: str
    items: tuple[MethodView, ...]


@dataclass(frozen=True)
class ContextSection:
    anchor: str
    paragraphs: tuple[Block, ...]
    figures: FiguresTable


@dataclass(frozen=True)
class OfferView:
    id: str
    authority: AuthorityRef
    text: str
    themes: tuple[Ref, ...]


@dataclass(frozen=True)
class FollowUpView:
    id: str
    date: str  # in words: 6 March 2013
    title: str | None
    visitors: tuple[PersonView, ...]
    summary: tuple[Block, ...]
    groups: tuple[FindingGroup, ...]
    conclusion: tuple[Block, ...]
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class ResponseView:
    id: str
    title: str
    date: str  # in words
    body: str | None
    summary: tuple[Block, ...]
    committee_recommendations: tuple[str, ...]
    groups: tuple[FindingGroup, ...]
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class RelatedDocument:
    title: str
    href: str
    date: str


@dataclass(frozen=True)
class RelatedReview:
    title: str
    href: str
    host: AuthorityRef
    date: str


@dataclass(frozen=True)
class Related:
    anchor: str
    documents: tuple[RelatedDocument, ...]
    reviews: tuple[RelatedReview, ...]


@dataclass(frozen=True)
class Citations:
    anchor: str
    sources_anchor: str
    review: str
    bibtex: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ReviewView:
    breadcrumbs: Breadcrumbs
    title: str
    draft: bool  # shown only by `mkdocs serve`, under a banner
    host: AuthorityRef
    kind: str  # "Peer review"
    date: str
    end_date: str | None
    several_days: bool
    programme: Ref | None
    reviewed_by: tuple[AuthorityRef, ...]
    follow_up_dates: tuple[DateRef, ...]
    response_dates: tuple[DateRef, ...]
    not_in_sources: tuple[str, ...]
    summary_anchor: str | None
    summary: tuple[Block, ...]
    team: Team
    questions: Questions
    methods: Methods | None  # None: the record does not say how the review gathered evidence
    context: ContextSection
    sections: tuple[SectionView, ...]
    findings: tuple[KindSection, ...]
    offers_anchor: str
    offers: tuple[OfferView, ...]
    follow_ups_anchor: str
    follow_ups: tuple[FollowUpView, ...]
    responses_anchor: str
    responses: tuple[ResponseView, ...]
    related: Related | None
    sources: SourcesView
    citations: Citations | None


def record_anchors(review: Review) -> set[str]:
    """Every id the review's own records put on its page."""
    taken = {f.id for f in review.findings} | {o.id for o in review.offers}
    for visit in review.follow_ups:
        taken |= {visit.id} | {f.id for f in visit.findings}
    for response in review.responses:
        taken |= {response.id} | {f.id for f in response.findings}
    return taken | {urls.source_anchor(s.id) for s in review.sources}


def build(page: PlannedPage, inputs: Inputs) -> ReviewView:
    archive, graph = inputs.archive, inputs.graph
    review = archive.reviews[page.subject or ""]
    link = page_links(page, inputs)
    anchors = Anchors(record_anchors(review))
    findings = Findings(review.id, review.sources, inputs, link)
    summary_anchor = anchors.section("summary") if review.summary else None
    reviewed_by = graph.reviewed_by(review)
    team = _team(review, anchors.section("team"), reviewed_by, link)
    questions = _questions(review, anchors.section("questions"))
    methods = None
    if review.methods:
        methods = Methods(anchors.section("methods"), tuple(
            MethodView(METHOD_KINDS[m.kind], m.number, tuple(m.who), m.note, evidence_ref(m.evidence, link))
            for m in review.methods))
    context = ContextSection(anchors.section("context"), blocks(review.context), figures(review.figures, link))
    other_sections = sections(review.sections, anchors)
    kind_sections = findings.kind_sections(review.findings, anchors, EXPECTED_KINDS)
    offers = tuple(OfferView(o.id, link.authority_ref(o.authority), o.text, findings.themes(o.themes))
                   for o in review.offers)
    offers_anchor = anchors.section("offers")
    follow_ups = tuple(
        FollowUpView(v.id, human_date(v.date), v.title, people(v.visitors, link), blocks(v.summary),
                     findings.groups(v.findings, by_kind_heading=True), blocks(v.conclusion),
                     source_refs(v.sources, review.sources, link))
        for v in review.follow_ups)
    follow_ups_anchor = anchors.section("follow-ups")
    responses = tuple(
        ResponseView(r.id, r.title, human_date(r.date), r.body, blocks(r.summary),
                     tuple(item.text for item in r.committee_recommendations),
                     findings.groups(r.findings, by_kind_heading=True), source_refs(r.sources, review.sources, link))
        for r in review.responses)
    responses_anchor = anchors.section("response")
    framing = graph.context_for_review.get(review.id, [])
    related_ids = list(dict.fromkeys(review.related_reviews + graph.related_from.get(review.id, [])))
    related = None
    if framing or related_ids:
        documents = [archive.context_documents[d] for d in framing]
        reviews = [archive.reviews[r] for r in related_ids]
        related = Related(anchors.section("related"),
                          tuple(RelatedDocument(d.title, link.context(d.id), d.date) for d in documents),
                          tuple(RelatedReview(r.title, link.review(r.id), link.authority_ref(r.host), r.date)
                                for r in reviews))
    sources_view = sources(review.sources, anchors.section("sources"), link)
    citations = None
    cited = inputs.data.citations(review.id)
    if cited:
        citations = Citations(anchors.section("cite"), anchors.section("cite-sources"), cited.review,
                              cited.bibtex, tuple(s.text for s in cited.sources))
    programme = (Ref(archive.programmes[review.programme].name, link.programme(review.programme))
                 if review.programme else None)
    return ReviewView(
        breadcrumbs=breadcrumbs(link, ("Reviews", link.index("reviews")), (review.title, None)),
        title=review.title, draft=review.draft, host=link.authority_ref(review.host), kind=REVIEW_KINDS[review.kind],
        date=review.date, end_date=review.end_date,
        several_days=bool(review.end_date and review.end_date != review.date),
        programme=programme, reviewed_by=link.authority_refs(reviewed_by),
        follow_up_dates=tuple(DateRef(f"#{v.id}", v.date) for v in review.follow_ups),
        response_dates=tuple(DateRef(f"#{r.id}", r.date) for r in review.responses),
        not_in_sources=tuple(review.not_in_sources), summary_anchor=summary_anchor, summary=blocks(review.summary),
        team=team, questions=questions, methods=methods, context=context, sections=other_sections,
        findings=kind_sections,
        offers_anchor=offers_anchor, offers=offers, follow_ups_anchor=follow_ups_anchor, follow_ups=follow_ups,
        responses_anchor=responses_anchor, responses=responses,
        related=related, sources=sources_view,
        citations=citations)


def _team(review: Review, anchor: str, reviewed_by: list[str], link: Links) -> Team:
    """The team by the authority each member came from, in the order the record names them."""
    authorities = list(dict.fromkeys(p.authority for p in review.team))
    groups = tuple(
        TeamGroup(link.authority_ref(a) if a else None, people([p for p in review.team if p.authority == a], link))
        for a in authorities)
    unnamed = link.authority_refs(a for a in reviewed_by if a not in authorities) if review.team else ()
    return Team(anchor, groups, unnamed, link.authority_refs(review.reviewers))


def _questions(review: Review, anchor: str) -> Questions:
    focus = review.focus
    if focus is None:
        return Questions(anchor, None, (), False)
    lists = tuple((label, tuple(item.text for item in items)) for label, items in (
        ("Sub-questions", focus.sub_questions), ("Focus areas", focus.areas),
        ("Further questions", focus.further_questions)) if items)
    question = focus.question.text if focus.question else None
    return Questions(anchor, question, lists, bool(question or lists))
