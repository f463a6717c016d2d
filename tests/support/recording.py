"""A recording archive: every record object logs, while a page renders, which document
it belongs to and whether a finding's words were read, so that a test can compare what a
render touched with what its page declared (`site/dependencies.py`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from peer_review_archive.records.archive import Archive
from peer_review_archive.records.models import Finding
from pydantic import BaseModel

_OWNERS: dict[int, tuple[str, str | None]] = {}  # id(model object) -> (document id, finding id)
_LOG: list[Read] | None = None
_CLASSES: dict[type, type] = {}


@dataclass(frozen=True)
class Read:
    document: str
    words: bool  # a finding's text
    finding: str | None
    field: str


def _recording_class(cls: type[BaseModel]) -> type[BaseModel]:
    made = _CLASSES.get(cls)
    if made is None:
        fields = frozenset(cls.model_fields)
        is_finding = issubclass(cls, Finding)

        def __getattribute__(self, name):  # noqa: N807 - the hook itself
            if _LOG is not None and name in fields:
                owner = _OWNERS.get(id(self))
                if owner is not None:
                    words = is_finding and name == "text"
                    _LOG.append(Read(owner[0], words, owner[1], name))
            return object.__getattribute__(self, name)

        made = _CLASSES[cls] = type(f"Recording{cls.__name__}", (cls,), {"__getattribute__": __getattribute__})
    return made


def _walk(value: object, document: str, finding: str | None = None) -> None:
    if isinstance(value, BaseModel):
        if isinstance(value, Finding):
            finding = value.id
        _OWNERS[id(value)] = (document, finding)
        for name in type(value).model_fields:
            _walk(object.__getattribute__(value, name), document, finding)
        object.__setattr__(value, "__class__", _recording_class(type(value)))
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, document, finding)


TEXT = "source text"  # the `field` of a read of a source document's text


class _RecordingTexts(dict):
    """`archive.source_lines`, logging which document's text is read."""

    def __getitem__(self, document_id):
        if _LOG is not None:
            _LOG.append(Read(document_id, False, None, TEXT))
        return super().__getitem__(document_id)

    def get(self, document_id, default=None):
        return self[document_id] if document_id in self else default  # noqa: SIM401 (self.get is this)


def instrument(archive: Archive) -> None:
    """Make every review and context document of `archive` (in place) log what is read of it,
    and its source texts log which is read."""
    for document_id, document in [*archive.reviews.items(), *archive.context_documents.items()]:
        _walk(document, document_id)
    archive.source_lines = _RecordingTexts(archive.source_lines)


@dataclass
class Recording:
    reads: list[Read] = field(default_factory=list)


@contextlib.contextmanager
def recording() -> Iterator[Recording]:
    global _LOG
    found = Recording()
    _LOG = found.reads
    try:
        yield found
    finally:
        _LOG = None
