"""What each page shows of the records, declared once: the serve key of a page is made from
this declaration and nothing else, and a test renders every page against a recording
archive to prove that no render reads a document its page did not declare.

Three depths: a document shown *in full* (any field, findings' words included), *in
outline* (everything but its findings' words: titles, dates, names, counts, offers), and
single findings whose words are shown (a theme page quotes the findings on its theme).
Registries (authorities, themes, programmes, source documents) are shown by every page;
a source document's text only by the pages that print it (`texts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..graph.indexes import FindingEntry, Graph, OfferEntry, review_findings
from ..records.archive import Archive
from ..records.models import ContextDocument, Review
from ..records.vocabulary import side
from .paging import page_items
from .years import reviews_by_year


@dataclass(frozen=True)
class Shows:
    """The records one page shows, beyond the registries."""

    full: frozenset[str] = frozenset()  # document ids
    outline: frozenset[str] = frozenset()  # document ids
    every_outline: bool = False  # index pages: something of every document, never a finding's words
    findings: frozenset[tuple[str, str]] = frozenset()  # (document id, finding id) whose words are shown
    downloads: bool = False  # the data page lists the downloads as written (their sizes)
    texts: frozenset[str] = frozenset()  # source document ids whose text (reviews/sources/<id>.txt) is printed
    # What the page shows that is computed from every finding's words (the matches, in their
    # order): part of its key, since an edit anywhere may reorder them.
    derived: tuple[object, ...] = ()

    @cached_property
    def documents(self) -> frozenset[str]:
        """Every document the page shows something of (computed once: a serve rebuild keeps
        the declarations that cannot have changed, and asks each whether an edit reaches it)."""
        return self.full | self.outline | {d for d, _ in self.findings}

    def allows(self, document_id: str, words: bool, finding_id: str | None = None) -> bool:
        """Whether reading a document's field (its findings' `words`, or not) is declared."""
        if document_id in self.full:
            return True
        if words:
            return finding_id is not None and (document_id, finding_id) in self.findings
        return self.every_outline or document_id in self.outline or any(d == document_id for d, _ in self.findings)



_WITHOUT_TEXT = {"__all__": {"text"}}
_OUTLINE = {"findings": _WITHOUT_TEXT, "follow_ups": {"__all__": {"findings": _WITHOUT_TEXT}},
            "responses": {"__all__": {"findings": _WITHOUT_TEXT}}}


def outline(document: Review | ContextDocument) -> dict[str, Any]:
    """A document without its findings' words: what a page showing it in outline shows."""
    return document.model_dump(mode="json", exclude=_OUTLINE if isinstance(document, Review)
                               else {"findings": _WITHOUT_TEXT})


def words_edited(before: Archive, after: Archive) -> set[str] | None:
    """The documents of which only findings' words changed between two archives; None when
    anything else did (a registry, a source text, a document added, removed or changed in
    outline). Then every declaration stays what it was except those made from the matches,
    which follow the words: `SitePlan` keeps the others (the loader gives back the same
    object for a record file whose bytes are unchanged, so most are found equal at once)."""
    registries = ("authorities", "themes", "programmes", "documents", "files", "source_lines")
    if any(getattr(before, name) != getattr(after, name) for name in registries):
        return None
    edited = set()
    for old, new in ((before.reviews, after.reviews), (before.context_documents, after.context_documents)):
        if old.keys() != new.keys() or list(old) != list(new):
            return None
        for document_id, document in new.items():
            was = old[document_id]
            if document is not was:
                if outline(document) != outline(was):
                    return None
                edited.add(document_id)
    return edited


NEWEST_FINDINGS = 10
"""A theme page quotes its newest findings on each side (praised, told to improve)."""


def newest(entries: list[FindingEntry], limit: int = NEWEST_FINDINGS) -> list[FindingEntry]:
    """The newest `limit` of some findings: by date, then document and source order."""
    return sorted(entries, key=lambda e: (e.date, e.owner_id, -e.order), reverse=True)[:limit]


def newest_offers(offers: list[OfferEntry]) -> list[OfferEntry]:
    """A theme's offers of support as its pages list them: newest first."""
    return sorted(offers, key=lambda e: (e.date, e.review_id, e.offer.id), reverse=True)


def shows(kind: str, subject: str | None, graph: Graph, number: int = 1) -> Shows:
    """The declaration of one page, from the graph's `mentions` of its subject."""
    if subject is None:
        return Shows(every_outline=True, downloads=kind == "data")
    mentioned = frozenset(graph.mentions.get((kind, subject), ()))
    archive = graph.archive
    if kind in ("review", "context"):
        document = archive.reviews[subject] if kind == "review" else archive.context_documents[subject]
        named = frozenset(document.related_reviews)
        words, derived = _trails_and_matches(graph, subject)
        outline = (mentioned | named | {d for d, _ in words}) - {subject}
        return Shows(full=frozenset({subject}), outline=outline, findings=frozenset(words), derived=derived)
    if kind == "source":  # its text, and the items citing it: their labels, some findings' words
        return Shows(outline=mentioned, findings=_citing_findings(subject, mentioned, graph),
                     texts=frozenset({subject}))
    if kind == "theme":  # counts of all its findings; the words of the newest on each side
        entries = graph.findings_by_theme.get(subject, [])
        quoted = [e for found in theme_sides(entries).values() for e in newest(found)]
        return Shows(outline=mentioned, findings=frozenset(e.key for e in quoted))
    if kind == "theme-findings":  # one page of the listing, in full
        listed = page_items(graph.findings_by_theme.get(subject, []), number)
        return Shows(outline=frozenset(e.owner_id for e in listed), findings=frozenset(e.key for e in listed))
    if kind == "reviews-year":  # every review of the year (counts, pager), and which years have a page
        years = reviews_by_year(archive)
        return Shows(outline=frozenset(years.get(subject, ())), derived=tuple(years))
    if kind == "theme-offers":
        listed = page_items(newest_offers(graph.offers_by_theme.get(subject, [])), number)
        return Shows(outline=frozenset(e.review_id for e in listed))
    if kind == "authority-as-peer":  # every visit (the pager's years), in outline
        return Shows(outline=frozenset(v.review_id for v in graph.given.get(subject, ())))
    if kind == "authority-offers":
        offers = [*graph.offers_received.get(subject, ()), *graph.offers_given.get(subject, ())]
        return Shows(outline=frozenset(e.review_id for e in offers))
    # An authority: names, dates, counts and offers, and the follow-through of its findings,
    # which later documents (of any host) may change by addressing them.
    documents = [*graph.received.get(subject, ()), *graph.context_documents.get(subject, ())]
    addressing = {step.owner_id for d in documents for key in graph.trails_of.get(d, ())
                  for step in graph.trails[key].steps}
    # and the first people it sent as peers (a visit added elsewhere, earlier, changes who)
    first = graph.peers.get(subject)
    sent = first.reviews if first else frozenset()
    return Shows(outline=mentioned | frozenset(addressing) | sent, derived=(first.people if first else (),))


def _trails_and_matches(graph: Graph, document_id: str,
                        ) -> tuple[set[tuple[str, str]], tuple[object, ...]]:
    """What a document's page quotes of other documents: the later findings on its trails and
    the other authorities' findings matched with its own (their words), and the matches in
    their order.
    Matches depend on other findings' words (any may come nearer), so they are declared
    themselves: when an edit elsewhere changes or reorders them, the page's key changes."""
    words: set[tuple[str, str]] = set()
    derived = []
    for key in graph.trails_of.get(document_id, ()):
        words.update([step.key for step in graph.trails[key].steps])
        matches = graph.matches.get(key)
        if matches is not None:
            praised, told = [m.key for m in matches.praised], [m.key for m in matches.told]
            words.update(praised, told)
            derived.append((key, *praised, "", *told))
    return {k for k in words if k[0] != document_id}, tuple(derived)


def theme_sides(entries: list[FindingEntry]) -> dict[str, list[FindingEntry]]:
    """Findings as a theme page splits them: praised, told to improve, the rest."""
    out: dict[str, list[FindingEntry]] = {"praised": [], "to_improve": [], "other": []}
    for entry in entries:
        out[side(entry.finding.kind)].append(entry)
    return out


def _citing_findings(document_id: str, citing: frozenset[str], graph: Graph) -> frozenset[tuple[str, str]]:
    """The findings whose evidence is in the source document: its page names each (a finding
    with neither number nor title is named by its first words)."""
    archive, found = graph.archive, set()
    for owner_id in citing:
        record = archive.reviews.get(owner_id) or archive.context_documents[owner_id]
        items = [f for *_, f in review_findings(record)] if isinstance(record, Review) else record.findings
        found |= {(owner_id, f.id) for f in items if f.evidence is not None and f.evidence.document == document_id}
    return frozenset(found)
