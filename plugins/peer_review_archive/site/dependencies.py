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

from ..graph.indexes import Graph, review_findings
from ..records.models import Review


@dataclass(frozen=True)
class Shows:
    """The records one page shows, beyond the registries."""

    full: frozenset[str] = frozenset()  # document ids
    outline: frozenset[str] = frozenset()  # document ids
    every_outline: bool = False  # index pages: something of every document, never a finding's words
    findings: frozenset[tuple[str, str]] = frozenset()  # (document id, finding id) whose words are shown
    downloads: bool = False  # the data page lists the downloads as written (their sizes)
    texts: frozenset[str] = frozenset()  # source document ids whose text (reviews/sources/<id>.txt) is printed

    def allows(self, document_id: str, words: bool, finding_id: str | None = None) -> bool:
        """Whether reading a document's field (its findings' `words`, or not) is declared."""
        if document_id in self.full:
            return True
        if words:
            return finding_id is not None and (document_id, finding_id) in self.findings
        return self.every_outline or document_id in self.outline or any(d == document_id for d, _ in self.findings)



def shows(kind: str, subject: str | None, graph: Graph) -> Shows:
    """The declaration of one page, from the graph's `mentions` of its subject."""
    if subject is None:
        return Shows(every_outline=True, downloads=kind == "data")
    mentioned = frozenset(graph.mentions.get((kind, subject), ()))
    archive = graph.archive
    if kind == "review":
        named = frozenset(archive.reviews[subject].related_reviews)
        return Shows(full=frozenset({subject}), outline=(mentioned | named) - {subject})
    if kind == "context":
        named = frozenset(archive.context_documents[subject].related_reviews)
        return Shows(full=frozenset({subject}), outline=(mentioned | named) - {subject})
    if kind == "source":  # its text, and the items citing it: their labels, some findings' words
        return Shows(outline=mentioned, findings=_citing_findings(subject, mentioned, graph),
                     texts=frozenset({subject}))
    if kind == "theme":
        words = frozenset(entry.key for entry in graph.findings_by_theme.get(subject, ()))
        return Shows(outline=mentioned, findings=words)
    return Shows(outline=mentioned)  # an authority: names, dates, counts and offers


def _citing_findings(document_id: str, citing: frozenset[str], graph: Graph) -> frozenset[tuple[str, str]]:
    """The findings whose evidence is in the source document: its page names each (a finding
    with neither number nor title is named by its first words)."""
    archive, found = graph.archive, set()
    for owner_id in citing:
        record = archive.reviews.get(owner_id) or archive.context_documents[owner_id]
        items = [f for *_, f in review_findings(record)] if isinstance(record, Review) else record.findings
        found |= {(owner_id, f.id) for f in items if f.evidence is not None and f.evidence.document == document_id}
    return frozenset(found)
