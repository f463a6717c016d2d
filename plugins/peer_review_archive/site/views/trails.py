"""What a finding that asks for change shows of what came after it and of who else faced it:
its trail and follow-through status (graph/trails.py), and other authorities' nearest
findings, praised and told the same (graph/similarity.py)."""

from __future__ import annotations

from dataclasses import dataclass

from ...graph.indexes import FindingEntry, Graph, part_label
from ...graph.similarity import Match
from ...graph.trails import STATUSES, summarise
from ...records.archive import Archive
from ...records.dates import human_date
from ...records.labels import finding_label
from ...records.text import excerpt
from ...records.vocabulary import REVIEW_KINDS, kind_label
from ..page import Links

EXCERPT_WORDS = 10
"""A match untitled is named by its first words, the label of its link: enough to tell what
it is about; its permalink has the rest."""


@dataclass(frozen=True)
class Step:
    """One later record on a finding's trail: what it is, when, and its words."""

    label: str
    href: str
    where: str  # "council response, 20 December 2016"
    kind: str
    text: str  # record text: printed through `inline`
    assessment: str | None  # "Assessed as met", only where the source says so
    assessment_words: str | None


@dataclass(frozen=True)
class FollowThrough:
    status: str
    label: str  # "Council action reported (20 December 2016)"
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Related:
    """Another authority's finding like this one: what it says (its title, or its first words)
    linking to its permalink, its authority (linking to its page, where the people it sent as
    peers are listed), and the kind of document and year."""

    label: str  # its title, or its first words: "Diocesan colleagues should accelerate the pace…"
    href: str
    authority: str
    authority_href: str  # the authority's page
    made: str  # "peer review, 2014", "follow-up visit, 2013", "<context document's title>, 2013"


@dataclass(frozen=True)
class Elsewhere:
    praised: tuple[Related, ...]
    told: tuple[Related, ...]

    @property
    def summary(self) -> str:
        count = len(self.praised) + len(self.told)
        return f"Who else faced it: {count} related finding{'' if count == 1 else 's'} from other authorities"

    @property
    def lists(self) -> tuple[tuple[str, tuple[Related, ...], str], ...]:
        """Each list's heading, items, and what to say when it is empty."""
        return (("Praised elsewhere for this", self.praised, "No other authority is praised for this in the archive."),
                ("Told the same elsewhere", self.told, "No other authority’s finding in the archive is close to this."))


def _document(archive: Archive, entry: FindingEntry) -> str:
    if entry.owner_kind == "review":
        return archive.reviews[entry.owner_id].title
    return archive.context_documents[entry.owner_id].title


def where(entry: FindingEntry, document_id: str, archive: Archive) -> str:
    """Where a finding sits, said from the page of `document_id`."""
    if entry.owner_id == document_id:
        return part_label(entry)
    label = part_label(entry)
    if entry.part in ("review", "context"):
        label = f"{label}, {human_date(entry.date)}"
    return f"{_document(archive, entry)}: {label}"


def follow_through(graph: Graph, key: tuple[str, str], link: Links) -> FollowThrough | None:
    trail = graph.trails.get(key)
    if trail is None:
        return None
    steps = []
    for step in trail.steps:
        f = step.finding
        assessed = STATUSES[f.assessment].label if f.assessment else None
        href = f"#{f.id}" if step.owner_id == key[0] else link.finding(step)
        steps.append(Step(finding_label(f), href, where(step, key[0], graph.archive), kind_label(f.kind), f.text,
                          assessed, f.assessment_words))
    label = trail.label
    return FollowThrough(trail.status, label[:1].upper() + label[1:], tuple(steps))


def _first_words(text: str) -> str:
    cut = excerpt(text, EXCERPT_WORDS)
    return cut[:-1].rstrip(".,;:") + "…" if cut.endswith("…") else cut


def _made(archive: Archive, entry: FindingEntry) -> str:
    """Where and when a matched finding was made, said briefly: its authority is named beside it."""
    year = entry.date[:4]
    if entry.part == "follow-up":
        return f"follow-up visit, {year}"
    if entry.part == "response":
        return f"council response, {year}"
    if entry.owner_kind == "review":
        return f"{REVIEW_KINDS[archive.reviews[entry.owner_id].kind].lower()}, {year}"
    return f"{archive.context_documents[entry.owner_id].title}, {year}"


def elsewhere(graph: Graph, key: tuple[str, str], link: Links,
              made: dict[tuple[tuple[str, str], str], Related] | None = None) -> Elsewhere | None:
    """`made`: the build's matches as listed, by key and the listing page's `Links.base` (a
    match is another authority's, so never on the page itself): a finding is listed on about
    six pages, each making it alike."""
    matches = graph.matches.get(key)
    if matches is None:
        return None
    archive = graph.archive
    kept = made if made is not None else {}
    base = link.base

    def related(match: Match) -> Related:
        found = kept.get((match.key, base))
        if found is None:
            entry = graph.findings[match.key]
            f = entry.finding
            found = kept[(match.key, base)] = Related(f.title or _first_words(f.text), link.finding(entry),
                                                       link.names[entry.authority], link.authority(entry.authority),
                                                       _made(archive, entry))
        return found

    return Elsewhere(tuple(related(m) for m in matches.praised), tuple(related(m) for m in matches.told))


def summary_sentences(graph: Graph, authority_id: str) -> tuple[str, ...]:
    """'Of 6 recommendations, 3 with a reported council action and 3 with no later record...'."""
    documents = [*graph.received.get(authority_id, ()), *graph.context_documents.get(authority_id, ())]
    trails = [graph.trails[k] for d in documents for k in graph.trails_of.get(d, ())]
    return tuple(s.sentence for s in summarise(trails))
