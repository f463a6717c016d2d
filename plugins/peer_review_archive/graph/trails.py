"""What became of each finding that asks for change: its trail, and a status read from it.

A recommendation (or area for development, next step...) is followed by whatever later
record `addresses` it: a follow-up visit's findings, the council's response items, a later
review or council paper. The trail lists them in date order; the status says what the
archive holds about them in a small vocabulary, and nothing more. Where the source itself
judges progress, the addressing item carries it (`assessment`) and the status repeats it;
otherwise the status names only the kind of the latest record ("council action reported"),
never whether the council did what it was asked. Pure: reads entries, changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ..records.dates import human_date
from ..records.vocabulary import ASKS_FOR_CHANGE, KINDS, asks_for_change
from .entries import FindingEntry

StatusId = Literal["met", "partly-met", "not-met", "superseded", "progress-reported", "followed-up",
                   "council-action", "later-review", "no-later-record"]


@dataclass(frozen=True)
class Status:
    """One value of the follow-through vocabulary, in every form the site writes it."""

    id: StatusId
    label: str  # a facet value or table cell: "Council action reported"
    counted: str  # after a number in a summary: "3 with a reported council action"
    description: str  # what it means, for the data and record-format pages


STATUSES: dict[str, Status] = {s.id: s for s in (
    Status("met", "Assessed as met", "assessed as met",
           "A later record addresses it and the source states that it was met."),
    Status("partly-met", "Assessed as partly met", "assessed as partly met",
           "A later record addresses it and the source states that it was partly met."),
    Status("not-met", "Assessed as not met", "assessed as not met",
           "A later record addresses it and the source states that it was not met."),
    Status("superseded", "Reported as superseded", "reported as superseded",
           "A later record addresses it and the source states that it was overtaken by something else."),
    Status("progress-reported", "Progress reported at follow-up", "with progress reported at a follow-up",
           "The latest record addressing it is a progress finding of a follow-up visit; "
           "the source gives no judgement of whether it was met."),
    Status("followed-up", "Reported on at follow-up", "reported on at a follow-up",
           "The latest record addressing it is another finding of a follow-up visit (a further next step)."),
    Status("council-action", "Council action reported", "with a reported council action",
           "The latest record addressing it is an item of the council's own response or a council paper; "
           "the archive does not judge whether the action met it."),
    Status("later-review", "Taken up by a later review", "taken up by a later review",
           "The latest record addressing it is a finding of a later review."),
    Status("no-later-record", "No later record in this archive", "with no later record in this archive",
           "Nothing in the archive addresses it. That says what the archive holds, not that nothing was done."),
)}
"""The follow-through vocabulary, in the order the explorer and summaries list it."""

ASSESSED: frozenset[str] = frozenset({"met", "partly-met", "not-met", "superseded"})


@dataclass(frozen=True)
class Trail:
    """A finding that asks for change and every later record that addresses it, oldest first."""

    finding: FindingEntry
    steps: tuple[FindingEntry, ...]
    status: StatusId
    basis: FindingEntry | None  # the step the status is read from; None with no later record

    @property
    def latest_date(self) -> str | None:
        """The date of the latest evidence: the last step's, whatever the status rests on."""
        return self.steps[-1].date if self.steps else None

    @cached_property
    def shown(self) -> tuple[object, ...]:
        """What the outputs print of this trail, cheap to compare (serve's memo compares it on
        every rebuild, and a trail kept from the last graph gives the same tuple): the status,
        what `label` is made of, and each step's key and date."""
        basis = self.basis
        return (self.status, None if basis is None else (basis.date, basis.part),
                tuple((step.key, step.date) for step in self.steps))

    @property
    def label(self) -> str:
        """The status as a phrase: 'assessed as met at follow-up (6 March 2013)'."""
        basis = self.basis
        if basis is None:
            return "no later record in this archive"
        when = human_date(basis.date)
        if self.status in ASSESSED:
            verb = "reported as superseded" if self.status == "superseded" else STATUSES[self.status].counted
            return f"{verb} {_where(basis)} ({when})"
        return {"progress-reported": f"progress reported at follow-up ({when})",
                "followed-up": f"reported on at follow-up ({when})",
                "council-action": f"council action reported ({when})",
                "later-review": f"taken up by a later review ({when})"}[self.status]


def _where(entry: FindingEntry) -> str:
    return {"follow-up": "at follow-up", "response": "in the council's response",
            "review": "in a later review", "context": "in a council paper"}[entry.part]


def _order(entry: FindingEntry) -> tuple[str, str, int]:
    return (entry.date, entry.owner_id, entry.order)


def status_of(steps: Iterable[FindingEntry]) -> tuple[StatusId, FindingEntry | None]:
    """The status a trail's steps support, and the step it rests on.

    The latest step that carries the source's own `assessment` wins (a stated judgement is
    the most the archive can say); with none, the latest step's part names the status.
    """
    ordered = sorted(steps, key=_order)
    if not ordered:
        return "no-later-record", None
    assessed = [step for step in ordered if step.finding.assessment is not None]
    if assessed:
        step = assessed[-1]
        return step.finding.assessment, step  # type: ignore[return-value]
    step = ordered[-1]
    if step.part == "follow-up":
        return ("progress-reported" if step.finding.kind == "progress" else "followed-up"), step
    if step.part == "review":
        return "later-review", step
    return "council-action", step  # a response item, or a council paper's


def build_trails(findings: dict[tuple[str, str], FindingEntry],
                 addressed_by: dict[tuple[str, str], list[FindingEntry]]) -> dict[tuple[str, str], Trail]:
    """The trail of every finding that asks for change, keyed like `Graph.findings`."""
    trails = {}
    for key, entry in findings.items():
        if not asks_for_change(entry.finding.kind):
            continue
        steps = tuple(sorted(addressed_by.get(key, ()), key=_order))
        status, basis = status_of(steps)
        trails[key] = Trail(entry, steps, status, basis)
    return trails


@dataclass(frozen=True)
class KindSummary:
    """How the findings of one kind fared: 'Of 6 recommendations, 3 with a reported council action...'."""

    kind: str
    total: int
    statuses: tuple[tuple[StatusId, int], ...]  # in vocabulary order, only those present

    @property
    def sentence(self) -> str:
        kind = KINDS[self.kind]
        noun = kind.counted if self.total == 1 else kind.counted_plural
        parts = [f"{'all ' if n == self.total > 1 else ''}{n} {STATUSES[s].counted}" for s, n in self.statuses]
        if len(parts) > 1:
            parts = [", ".join(parts[:-1]) + " and " + parts[-1]]
        return f"Of {self.total} {noun}, {parts[0]}."


def summarise(trails: Iterable[Trail]) -> list[KindSummary]:
    """Per kind that asks for change, in vocabulary order: how many, and how many per status."""
    by_kind: dict[str, Counter[str]] = {}
    for trail in trails:
        by_kind.setdefault(trail.finding.finding.kind, Counter())[trail.status] += 1
    out = []
    for kind in ASKS_FOR_CHANGE:
        counts = by_kind.get(kind)
        if counts:
            statuses = tuple((s, counts[s]) for s in STATUSES if counts[s])
            out.append(KindSummary(kind, sum(counts.values()), statuses))  # type: ignore[arg-type]
    return out
