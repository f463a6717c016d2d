"""What a finding that asks for change shows of what came after it and of who else faced it:
its trail and follow-through status (graph/trails.py), and other authorities' nearest
findings, praised and told the same (graph/similarity.py), with the people each sent."""

from __future__ import annotations

from dataclasses import dataclass

from ...graph.indexes import FindingEntry, Graph, part_label
from ...graph.similarity import Match
from ...graph.trails import STATUSES, summarise
from ...records.archive import Archive
from ...records.dates import human_date
from ...records.labels import finding_label, short_label
from ...records.text import excerpt
from ...records.vocabulary import kind_label
from ..page import AuthorityRef, Links

EXCERPT_WORDS = 24


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
    """Another authority's finding like this one, where it was made, and whom it sent as peers."""

    label: str
    href: str
    authority: AuthorityRef
    document: str
    document_href: str
    year: str
    excerpt: str
    peers: tuple[str, ...]  # "Name, role" as printed; never contact details


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


def elsewhere(graph: Graph, key: tuple[str, str], link: Links) -> Elsewhere | None:
    matches = graph.matches.get(key)
    if matches is None:
        return None
    archive = graph.archive

    def related(match: Match) -> Related:
        entry = graph.findings[match.key]
        page = link.to(entry.page_url)
        return Related(short_label(entry.finding), link.finding(entry), link.authority_ref(entry.authority),
                       _document(archive, entry), page, entry.date[:4],
                       excerpt(entry.finding.text, EXCERPT_WORDS),
                       found.people if (found := graph.peers.get(entry.authority)) else ())

    return Elsewhere(tuple(related(m) for m in matches.praised), tuple(related(m) for m in matches.told))


def summary_sentences(graph: Graph, authority_id: str) -> tuple[str, ...]:
    """'Of 6 recommendations, 3 with a reported council action and 3 with no later record...'."""
    documents = [*graph.received.get(authority_id, ()), *graph.context_documents.get(authority_id, ())]
    trails = [graph.trails[k] for d in documents for k in graph.trails_of.get(d, ())]
    return tuple(s.sentence for s in summarise(trails))
