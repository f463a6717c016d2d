"""Each document's share of an output (downloads, feeds), kept between `pra serve` rebuilds."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..records.archive import Archive
from ..records.models import ContextDocument, Review

T = TypeVar("T")


class Memo:
    """A document's share is reused while its document is the same object (the loader gives
    back the same object while the record file's bytes are unchanged) and everything else
    it shows is equal (`extra`: the registries' names, the site's URL, links from other
    documents). `mkdocs build` makes every output once and passes no memo."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], tuple[tuple[object, ...], object]] = {}
        self.hits = 0
        self.names: tuple[object, ...] | None = None

    def registry_names(self, archive: Archive) -> tuple[object, ...]:
        """`registry_names`, the same object as last build's while equal: every share compares
        it, and the same object compares at once (not 300 names for each of 3,000 shares)."""
        names, kept = registry_names(archive), self.names
        if kept is None or kept != names:
            kept = self.names = names
        return kept

    def get(self, name: str, document: Review | ContextDocument, extra: object, make: Callable[[], T]) -> T:
        """One document's share, made from it and `extra`."""
        return self.get_for(name, document.id, (document, extra), make)

    def get_for(self, name: str, subject: str, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
        """A share made from several documents and values (`inputs`, compared element by
        element: a document is found equal at once when it is the same object)."""
        found = self.kept.get((name, subject))
        if found is not None and found[0] == inputs:
            self.hits += 1
            return found[1]  # type: ignore[return-value]
        value = make()
        self.kept[(name, subject)] = (inputs, value)
        return value


def registry_names(archive: Archive) -> tuple[object, ...]:
    """What any share may print of the registries: the names of authorities, themes, programmes."""
    return (tuple((a.id, a.name) for a in archive.authorities.values()),
            tuple((t.id, t.name) for t in archive.themes.values()),
            tuple((p.id, p.name) for p in archive.programmes.values()))
