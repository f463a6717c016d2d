"""The record format: what an editor may write in `reviews/`, and nothing else.

These pydantic models are the single source of truth for the record format: the loader
validates against them, and the published JSON Schema files are generated from them
(`pra schema`), so the two cannot drift. Every model forbids unknown keys, because a
typo that silently dropped a field would lose data without anyone noticing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .ids import FINDING_REF_PATTERN, SLUG_PATTERN
from .vocabulary import FindingKind, Speaker

# --- shared value types -------------------------------------------------------------

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# UK numbers as councils print them (these are Ofcom's drama numbers): 01632 960001, 020 7946 0958,
# +44 1632 960002.
PHONE_RE = re.compile(r"(?<![\w.])(?:\+44\s?\(?0?\)?\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)")


_DIGIT_RE = re.compile(r"\d")


def _no_contact_details(value: str) -> str:
    """The archive publishes names and roles, never e-mail addresses or phone numbers."""
    # The cheap tests first: an address needs an @ and a number a digit (most text has neither).
    if "@" in value and EMAIL_RE.search(value):
        raise ValueError("text contains an e-mail address; the archive never publishes them")
    if _DIGIT_RE.search(value) and PHONE_RE.search(value):
        raise ValueError("text contains a phone number; the archive never publishes them")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Text = Annotated[
    str,
    AfterValidator(_not_blank),
    AfterValidator(_no_contact_details),
    Field(description="Plain text; *emphasis*, **strong** and [links](https://…) are allowed."),
]
Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        description="A lowercase slug: letters a-z, digits and hyphens, starting with a "
        "letter or digit. Ids become URLs and file names.",
    ),
]

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _real_date(value: str) -> str:
    """Accept a year, an ISO month or an ISO date, and only ones that exist."""
    parts = [int(p) for p in value.split("-")]
    year, month, day = parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    try:
        date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from None
    return value


PartialDate = Annotated[
    str,
    Field(
        pattern=PARTIAL_DATE_PATTERN,
        description="An ISO date (2016-06-28), month (2016-06) or year (2016): as much as "
        "the sources say.",
    ),
    AfterValidator(_real_date),
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- registries ---------------------------------------------------------------------

AuthorityKind = Literal[
    "county", "unitary", "metropolitan-borough", "london-borough", "district", "group", "other"
]


class Authority(Record):
    """A council (or a regional group of councils) that hosts or takes part in reviews."""

    id: Slug = Field(description="The authority's common name as a slug, e.g. `bedford-borough`.")
    name: Text = Field(description="The name as people say it, e.g. 'Bedford Borough'.")
    official_name: Text | None = Field(None, description="The full name, e.g. 'Bedford Borough Council'.")
    kind: AuthorityKind
    region: Text | None = Field(None, description="English region, e.g. 'East of England'.")
    members: list[Slug] = Field(
        default_factory=list,
        description="For a group: the authorities the sources name as its members.",
    )
    note: Text | None = None


class Theme(Record):
    """A cross-authority topic from the controlled vocabulary, with its entry in the theme guide."""

    id: Slug
    name: Text
    description: Text
    scope: Text | None = Field(None, description="What the theme covers, in a sentence or two (the theme guide).")
    include: Text | None = Field(
        None, description="The rule an editor applies: when to tag a finding with this theme, and when not."
    )


class Programme(Record):
    """A programme of reviews, e.g. the Eastern Region peer review."""

    id: Slug
    name: Text
    description: Text
    region: Text | None = None


class SourceDocument(Record):
    """A committee paper held in full in `reviews/sources/<id>.txt`: what evidence cites."""

    id: Slug = Field(description="Stable and meaningful, e.g. `east-sussex-2013-06-18-peer-challenge-update`; "
                     "the text is `reviews/sources/<id>.txt`.")
    title: Text = Field(description="The document's title as printed.")
    body: Text | None = Field(None, description="The committee or body it went to, as printed.")
    authority: Slug | None = Field(None, description="The council that published it.")
    date: PartialDate | None = None
    agenda_item: Text | None = Field(None, description="As printed, e.g. '9'.")
    author: Text | None = Field(None, description="Author's role (and name) as printed.")
    url: Annotated[str, Field(pattern=r"^https?://")] | None = None
    licence: Text = Field(description="The licence the text is published under, e.g. 'Open Government Licence v3.0'.")
    note: Text | None = None


class AuthorityRegistry(Record):
    authorities: list[Authority]


class ThemeRegistry(Record):
    themes: list[Theme]


class ProgrammeRegistry(Record):
    programmes: list[Programme]


class SourceRegistry(Record):
    documents: list[SourceDocument]


# --- parts of a review --------------------------------------------------------------

class Source(Record):
    """The document a record comes from. Every review and context document cites one."""

    id: Slug = Field(description="Referred to from follow-ups, responses and findings.")
    title: Text = Field(description="The document's title as printed.")
    body: Text | None = Field(None, description="The committee or body it went to, as printed.")
    authority: Slug | None = Field(None, description="The council that published it.")
    date: PartialDate | None = None
    agenda_item: Text | None = Field(None, description="As printed, e.g. '9'.")
    author: Text | None = Field(None, description="Author's role (and name) as printed.")
    url: Annotated[str, Field(pattern=r"^https?://")] | None = None
    reference: Text | None = Field(None, description="Where the archive's copy came from, when it is not a document.")
    document: Slug | None = Field(None, description="The source document (`reviews/sources.yml`) that holds this "
                                  "source's text; several sources may be parts of one document.")
    note: Text | None = None


LINES_PATTERN = r"^[1-9]\d*(-[1-9]\d*)?$"


class Evidence(Record):
    """Where an item's words are in a source document: checked by `pra check`."""

    document: Slug = Field(description="A source document id from `reviews/sources.yml`.")
    lines: Annotated[str, Field(pattern=LINES_PATTERN)] = Field(
        description="The 1-based line, or first and last lines, of the document's text, e.g. '101-103' or '101'.")
    note: Text | None = Field(None, description="Required when the item's words differ from the span (e.g. a typo "
                              "repaired); says what was changed.")

    @property
    def first(self) -> int:
        return int(self.lines.split("-")[0])

    @property
    def last(self) -> int:
        return int(self.lines.split("-")[-1])

    @model_validator(mode="after")
    def _in_order(self) -> Evidence:
        if self.last < self.first:
            raise ValueError(f"lines {self.lines!r} run backwards; write the first line first")
        return self


def _as_passage(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class Passage(Record):
    """A question or listed item in the source's words; written as plain text or `{text, evidence}`."""

    text: Text
    evidence: Evidence | None = None


PassageItem = Annotated[Passage, BeforeValidator(_as_passage, json_schema_input_type=str | Passage)]


class Person(Record):
    """A team member or visitor: name and role as printed, no contact details."""

    name: Text | None = Field(None, description="As printed; leave out when the source names only the role.")
    role: Text | None = None
    authority: Slug | None = Field(None, description="The authority the person came from.")
    note: Text | None = None

    @model_validator(mode="after")
    def _named_or_roled(self) -> Person:
        if self.name is None and self.role is None:
            raise ValueError("a person needs a name, a role, or both")
        return self


FindingRef = Annotated[
    str,
    Field(
        pattern=FINDING_REF_PATTERN,
        description="A finding id from the same file (`recommendation-1-1`), or another document's "
        "finding as `<document-id>/<finding-id>` (`thurrock-2016/recommendation-1-6`).",
    ),
]

LEAD_IN_ENDINGS = (":", "-", "\u2013", "\u2014")  # colon, hyphen, en dash, em dash: as councils print them


class LeadIn(Record):
    """The source's sentence introducing a list of findings; written as plain text or `{text, evidence, items}`."""

    text: Text = Field(description="As printed, ending in ':' or a dash.")
    evidence: Evidence | None = None
    items: int | None = Field(None, ge=1, description="How many findings it introduces, this one included, when "
                              "the list ends before the next lead-in or the end of the run of findings of the "
                              "same kind and group.")

    @model_validator(mode="after")
    def _introduces(self) -> LeadIn:
        if not self.text.endswith(LEAD_IN_ENDINGS):
            raise ValueError(f"a lead-in ends as printed with ':' or a dash, not {self.text[-1]!r}: it "
                             "introduces the list that follows (a sentence that does not end so belongs in a summary "
                             "or section)")
        return self


LeadInItem = Annotated[LeadIn, BeforeValidator(_as_passage, json_schema_input_type=str | LeadIn)]

Assessment = Literal["met", "partly-met", "not-met", "superseded"]


class Finding(Record):
    """One item of a review, follow-up, response or context document. Has a permalink."""

    id: Slug = Field(description="Unique within its file; the finding's permalink anchor. Never renumber.")
    kind: FindingKind
    text: Text
    number: str | None = Field(None, description="The number as printed, e.g. '1.6'.")
    group: Text | None = Field(None, description="The heading the source puts it under, e.g. 'Quality Assurance'.")
    title: Text | None = Field(None, description="A short heading the source gives the item, if any.")
    lead_in: LeadInItem | None = Field(
        None, description="The sentence (or paragraph) the source prints just before this finding to introduce "
        "the list it starts, as printed, e.g. 'Noticeable improvements have taken place in:'. Pages print the "
        "sentence and its list together. Written once, here, not also in a summary or section.",
    )
    themes: list[Slug] = Field(min_length=1, description="Theme ids; at least one.")
    addresses: list[FindingRef] = Field(
        default_factory=list,
        description="Earlier findings that ask for change (recommendations, areas for development, next "
        "steps...), or offers of support, which this one responds to or reports progress on: an id from the "
        "same file, or `<document-id>/<finding-id>` for another review or context document's finding.",
    )
    assessment: Assessment | None = Field(
        None, description="The source's own judgement of progress on what this finding addresses, only where "
        "the source states one: `met`, `partly-met`, `not-met` or `superseded`. Never inferred.",
    )
    assessment_words: Text | None = Field(
        None, description="The source's words that state the `assessment`, as printed. Required with it.",
    )
    source: Slug | None = Field(None, description="Source id, when not the record's first source.")
    number_inferred: bool = Field(False, description="True when the source does not print `number` and the "
                                  "archive inferred it (e.g. from the item's place in a numbered list).")
    speaker: Speaker | None = Field(None, description="Whose words these are, where the source makes it clear: "
                                    "the peer team's, the council's or the committee's. Absent: not stated.")
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _inferred_needs_number(self) -> Finding:
        if self.number_inferred and self.number is None:
            raise ValueError("number_inferred is set but there is no number")
        return self

    @model_validator(mode="after")
    def _assessment_is_sourced(self) -> Finding:
        if self.assessment is not None and not self.addresses:
            raise ValueError("an assessment judges what a finding addresses: add `addresses` or remove it")
        if (self.assessment is None) != (self.assessment_words is None):
            raise ValueError("`assessment` and `assessment_words` go together: the judgement and the "
                             "source's words that state it")
        return self


class Offer(Record):
    """An offer of support from a named peer authority to the host."""

    id: Slug
    authority: Slug = Field(description="The authority making the offer.")
    text: Text
    themes: list[Slug] = Field(default_factory=list)
    evidence: Evidence | None = None


class Focus(Record):
    """What the review set out to examine, in the source's words."""

    question: PassageItem | None = Field(None, description="The overarching question or focus.")
    sub_questions: list[PassageItem] = Field(default_factory=list, description="Underpinning or sub-questions.")
    areas: list[PassageItem] = Field(default_factory=list, description="Focus areas, where the source lists them.")
    further_questions: list[PassageItem] = Field(
        default_factory=list, description="Further questions the team or council added."
    )


FigureUnit = Literal["percent", "percentage-points", "number", "rank", "score"]
Comparator = Literal["national", "england", "region", "statistical-neighbours"]


class Figure(Record):
    """A context figure as printed, e.g. 'KS2 level 4+ in reading, writing and maths': '72%'."""

    label: Text
    value: Text = Field(description="As printed; with `evidence`, these words must be in the span.")
    year: Annotated[str, Field(pattern=r"^\d{4}(/\d{2}|-\d{2}(-\d{2})?)?$")] | None = Field(
        None, description="The year, month or academic year the figure is for, where given: 2013, 2016-06, 2012/13.")
    unit: FigureUnit | None = Field(None, description="What the value counts, where it is a number.")
    comparator: Comparator | None = Field(
        None, description="Whose figure this is when it is a comparison value rather than the host's own "
        "(the national average, statistical neighbours, the region).")
    note: Text | None = None
    evidence: Evidence | None = None


MethodKind = Literal["focus-group", "interview", "school-visit", "document-review", "data-analysis", "survey", "other"]


class Method(Record):
    """How the review gathered its evidence, e.g. focus groups and who was in them."""

    kind: MethodKind
    who: list[Text] = Field(default_factory=list, description="Who took part, as the source lists them.")
    number: int | None = Field(None, ge=0, description="How many (groups, interviews, schools), where printed.")
    note: Text | None = None
    evidence: Evidence | None = None


class FollowUp(Record):
    """A later visit that reports progress on the review."""

    id: Slug = Field(description="Anchor on the review page, e.g. `follow-up-2013-03`.")
    date: PartialDate
    title: Text | None = None
    visitors: list[Person] = Field(default_factory=list)
    summary: list[Text] = Field(default_factory=list, description="Paragraphs.")
    findings: list[Finding] = Field(default_factory=list)
    conclusion: list[Text] = Field(default_factory=list, description="Paragraphs.")
    sources: list[Slug] = Field(min_length=1, description="Ids of the review's sources.")


class Response(Record):
    """The host council's own report back: committee update, action plan."""

    id: Slug
    date: PartialDate
    title: Text
    body: Text | None = Field(None, description="Committee or meeting it went to.")
    summary: list[Text] = Field(default_factory=list, description="Paragraphs.")
    committee_recommendations: list[PassageItem] = Field(
        default_factory=list, description="What the report asked its committee to do."
    )
    findings: list[Finding] = Field(default_factory=list, description="Actions and key issues.")
    sources: list[Slug] = Field(min_length=1)


class Section(Record):
    """A titled block of source text that has no more specific home (e.g. 'Process')."""

    title: Text
    paragraphs: list[Text] = Field(default_factory=list)
    items: list[Text] = Field(default_factory=list, description="A list, where the source has one.")


# --- documents ----------------------------------------------------------------------


class Review(Record):
    """One peer review or peer challenge of a host authority. One file: `reviews/<id>.yml`."""

    id: Slug = Field(description="Must match the file name, e.g. `thurrock-2016`.")
    draft: bool = Field(
        False,
        description="A draft is checked like any record but never published: `mkdocs build`, the "
        "downloads, search and feeds leave it out; `mkdocs serve` shows it with a banner. "
        "`pra draft` writes `draft: true`; remove it when the record is finished.",
    )
    title: Text
    kind: Literal["peer-review", "peer-challenge"] = "peer-review"
    host: Slug = Field(description="The authority reviewed.")
    programme: Slug | None = None
    date: PartialDate = Field(description="When the review took place (first day).")
    end_date: PartialDate | None = Field(None, description="Last day, for a visit over several days.")
    reviewers: list[Slug] = Field(default_factory=list, description="Peer authorities that reviewed.")
    team: list[Person] = Field(default_factory=list)
    summary: list[Text] = Field(default_factory=list, description="Paragraphs: the review in brief.")
    focus: Focus | None = None
    context: list[Text] = Field(default_factory=list, description="Paragraphs of context.")
    figures: list[Figure] = Field(default_factory=list, description="Context figures as printed.")
    methods: list[Method] = Field(default_factory=list, description="How the review gathered evidence.")
    sections: list[Section] = Field(default_factory=list, description="Other source sections, e.g. the process.")
    findings: list[Finding] = Field(default_factory=list)
    offers: list[Offer] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    responses: list[Response] = Field(default_factory=list)
    related_reviews: list[Slug] = Field(
        default_factory=list, description="Ids of other reviews the sources mention alongside this one."
    )
    not_in_sources: list[Text] = Field(
        default_factory=list,
        description="What the sources leave unknown, said plainly (e.g. 'The final report, "
        "Appendix 1, is not included in the source.').",
    )
    sources: list[Source] = Field(min_length=1)


class ContextDocument(Record):
    """A council paper that frames reviews without being one. `reviews/context/<id>.yml`."""

    id: Slug
    draft: bool = Field(
        False,
        description="A draft is checked like any record but never published: `mkdocs build`, the "
        "downloads, search and feeds leave it out; `mkdocs serve` shows it with a banner. "
        "`pra draft` writes `draft: true`; remove it when the record is finished.",
    )
    title: Text
    authority: Slug
    date: PartialDate
    summary: list[Text] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list, description="Context figures as printed.")
    sections: list[Section] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    related_reviews: list[Slug] = Field(default_factory=list, description="Ids of reviews this document frames.")
    not_in_sources: list[Text] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)


RECORD_KINDS: dict[str, type[Record]] = {
    "authorities": AuthorityRegistry,
    "themes": ThemeRegistry,
    "programmes": ProgrammeRegistry,
    "sources": SourceRegistry,
    "review": Review,
    "context-document": ContextDocument,
}
