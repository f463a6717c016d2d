"""The archive's one vocabulary of finding kinds, and of authority kinds.

Pages, search, downloads and feeds all name kinds from here: the record value, the
label and plural a reader sees, the word used in a running sentence, which side of a
theme page a kind falls on, and the orders in which pages and the explorer list them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

FindingKind = Literal[
    "strength",
    "area-for-development",
    "recommendation",
    "next-step",
    "progress",
    "action",
    "observation",
    "proposal",
    "area-for-consideration",
    "key-issue",
]

Speaker = Literal["peer-team", "council", "committee"]
"""Whose words a finding is in, where the source makes it clear."""

SPEAKERS: dict[str, tuple[str, str]] = {
    "peer-team": ("Peer team", "In the peer team’s words"),
    "council": ("Council", "In the council’s words"),
    "committee": ("Committee", "In the committee’s words"),
}
"""Each speaker's label (downloads, facets) and the phrase a finding shows."""


@dataclass(frozen=True)
class Kind:
    """One kind of finding, in every form the site writes it."""

    id: FindingKind
    label: str  # "Area for development"
    plural: str  # "Areas for development"
    counted: str  # in a sentence that counts: "3 areas for development" (singular form)
    counted_plural: str


KINDS: dict[str, Kind] = {kind.id: kind for kind in (
    Kind("strength", "Strength", "Strengths", "strength", "strengths"),
    Kind("area-for-development", "Area for development", "Areas for development",
         "area for development", "areas for development"),
    Kind("recommendation", "Recommendation", "Recommendations", "recommendation", "recommendations"),
    Kind("next-step", "Next step", "Next steps", "next step", "next steps"),
    Kind("observation", "Observation", "Observations", "observation", "observations"),
    Kind("progress", "Progress", "Progress found", "progress report", "progress reports"),
    Kind("action", "Action", "Actions", "action", "actions"),
    Kind("proposal", "Proposal", "Proposals", "proposal", "proposals"),
    Kind("area-for-consideration", "Area for consideration", "Areas for consideration",
         "area for consideration", "areas for consideration"),
    Kind("key-issue", "Key issue", "Key issues", "key issue", "key issues"),
)}

PAGE_ORDER: tuple[FindingKind, ...] = ("strength", "area-for-development", "area-for-consideration", "key-issue",
                                       "recommendation", "next-step", "observation", "progress", "action",
                                       "proposal")
"""The order of a document's sections of findings."""

COUNT_ORDER: tuple[FindingKind, ...] = ("strength", "area-for-development", "area-for-consideration", "key-issue",
                                        "recommendation", "next-step", "progress", "action", "observation",
                                        "proposal")
"""The order in which a feed entry counts a document's findings."""

EXPLORER_ORDER: tuple[FindingKind, ...] = ("recommendation", "area-for-development", "area-for-consideration",
                                           "key-issue", "strength", "next-step", "progress", "observation",
                                           "action", "proposal")
"""The explorer's kind facet: what readers search for most, first."""

EXPECTED_KINDS: tuple[FindingKind, ...] = ("strength", "area-for-development", "recommendation")
"""A review's own findings: these are always shown, and said plainly when absent."""

PRAISED_KINDS: tuple[FindingKind, ...] = ("strength", "progress")
TO_IMPROVE_KINDS: tuple[FindingKind, ...] = ("area-for-development", "area-for-consideration", "key-issue",
                                             "recommendation", "next-step")
"""Which side of a theme page a finding belongs on: praised, told to improve, or neither."""

SIDES_HINT = ("Praised: strengths and progress found. Told to improve: areas for development, areas for "
              "consideration, key issues, recommendations and next steps. Other: council actions, observations "
              "and proposals.")
"""The sides in words, under a theme page's table (a test checks it names every kind)."""

ASKS_FOR_CHANGE: tuple[FindingKind, ...] = TO_IMPROVE_KINDS
"""The kinds that ask a council for change: each has a trail of what later addressed it
(graph/trails.py), and only findings of these kinds may be named by `addresses`."""


def asks_for_change(kind: str) -> bool:
    return kind in ASKS_FOR_CHANGE


def kind_label(kind: str, plural: bool = False) -> str:
    found = KINDS[kind]
    return found.plural if plural else found.label


def kind_slug(kind: str) -> str:
    """The section id of a kind on a document's page: `areas-for-development`."""
    return KINDS[kind].plural.lower().replace(" ", "-")


def page_kinds(present: Iterable[str], expected: Iterable[str] = ()) -> list[FindingKind]:
    """The kinds a document's page has a section for, in page order: those it has, and
    those it is expected to have (said plainly when absent)."""
    shown = {*present, *expected}
    return [kind for kind in PAGE_ORDER if kind in shown]


def kinds_in_words(kinds: Iterable[str]) -> str:
    """`strengths, areas for development and recommendations`: kinds named in a sentence."""
    words = [KINDS[kind].plural.lower() for kind in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def side(kind: str) -> Literal["praised", "to_improve", "other"]:
    if kind in PRAISED_KINDS:
        return "praised"
    return "to_improve" if kind in TO_IMPROVE_KINDS else "other"


SIDED_KINDS: tuple[FindingKind, ...] = tuple(k for k in COUNT_ORDER if k in PRAISED_KINDS or k in TO_IMPROVE_KINDS)
"""What councils were praised for or told to improve, in counting order: what readers search."""

COMPARATORS = {"national": "National", "england": "England", "region": "Region",
               "statistical-neighbours": "Statistical neighbours"}
"""Whose figure a comparison value is, as a figures table says it."""

METHOD_KINDS = {"focus-group": "Focus groups", "interview": "Interviews", "school-visit": "School visits",
                "document-review": "Documents read", "data-analysis": "Data analysed", "survey": "Survey",
                "other": "Other"}
"""How a review gathered evidence, as its page says it."""

REVIEW_KINDS = {"peer-review": "Peer review", "peer-challenge": "Peer challenge"}

AUTHORITY_KINDS = {
    "county": "County council", "unitary": "Unitary authority",
    "metropolitan-borough": "Metropolitan borough", "london-borough": "London borough",
    "district": "District council", "group": "Group of authorities", "other": "Other",
}
