"""The loaded archive: every record, validated and cross-checked, keyed by id."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .models import Authority, ContextDocument, Programme, Review, SourceDocument, Theme


@dataclass
class Archive:
    """Everything in `reviews/`, after every check has passed.

    `files` maps each review and context document id, and each registry name, to the
    record's path relative to the records folder, so that pages can link to their source.
    `drafts` holds the records marked `draft: true`, checked like the others but kept
    aside, so that nothing built from `reviews` and `context_documents` publishes them.
    """

    authorities: dict[str, Authority] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    context_documents: dict[str, ContextDocument] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    # Each source document's text, one string per line (line n is `source_lines[id][n - 1]`).
    source_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    evidence_checked: int = 0  # how many evidence locations `pra check` verified
    drafts: dict[str, Review | ContextDocument] = field(default_factory=dict)

    def with_drafts(self) -> Archive:
        """The archive with its drafts in place, for `mkdocs serve` to show (never to publish)."""
        reviews = {**self.reviews, **{k: v for k, v in self.drafts.items() if isinstance(v, Review)}}
        documents = {**self.context_documents,
                     **{k: v for k, v in self.drafts.items() if isinstance(v, ContextDocument)}}
        return replace(self, reviews=dict(sorted(reviews.items())),
                       context_documents=dict(sorted(documents.items())), drafts={})
