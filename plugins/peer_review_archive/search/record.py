"""The search record and its shards, in a module of their own: the indexer's child process
unpickles records, and importing only this (not the graph, pydantic or numpy) keeps that
process about 45 MB smaller beside the build."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

SHARD_SIZES = (1000, 4000)
"""The newest 1,000 findings, then shards of 4,000: small first, fewer requests after."""


DISPLAY = "display"
"""The meta field carrying a record's `display` data, in a form Pagefind finds no words in."""
_SHIFT = 0xE000  # the Private Use Area: neither letters nor digits


@dataclass(frozen=True)
class SearchRecord:
    """One finding as the search engine indexes it. `url` is site-relative, from the root.

    Pagefind indexes every word of `content` and of every `meta` field, so each searchable
    word is in one of them, once; `display` is what a result shows but no one searches for
    (links, keys, dates, labels), sent in a form Pagefind finds no words in (`hidden`)."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]
    display: dict[str, Any] = field(default_factory=dict)

    def pagefind_meta(self) -> dict[str, str]:
        """The meta fields Pagefind gets: `meta`, and `display` as one field it cannot split."""
        if not self.display:
            return self.meta
        return {**self.meta, DISPLAY: hidden(json.dumps(self.display, ensure_ascii=True, separators=(",", ":")))}


def hidden(ascii_text: str) -> str:
    """`ascii_text` with every character moved into the Private Use Area (U+E000 + code).

    Pagefind 1.5 indexes the letters and digits of each whitespace-separated word of a meta
    field (`get_indexable_words`, pagefind/src/fossick/splitting.rs); this has neither, nor
    whitespace, so it adds no word to the index. The browser moves it back
    (`shown` in theme/javascripts/search-engine.js). ASCII only: JSON with `ensure_ascii`."""
    if not ascii_text.isascii():
        raise ValueError("hidden() takes ASCII text (JSON made with ensure_ascii)")
    return "".join(chr(_SHIFT + ord(c)) for c in ascii_text)


def unhidden(text: str) -> str:
    """What `hidden` hid (for tests and tools; the browser has its own copy)."""
    return "".join(chr(ord(c) - _SHIFT) for c in text)


def shard(records: Iterable[SearchRecord], sizes: Sequence[int] = SHARD_SIZES) -> Iterator[list[SearchRecord]]:
    """Split newest-first records: the first `sizes[0]`, then chunks of the last size (at
    least one shard, empty if there are no records). Lazy: one shard in memory at a time."""
    records = iter(records)
    number = 0
    while True:
        part = list(islice(records, sizes[min(number, len(sizes) - 1)]))
        if part or number == 0:
            yield part
        if not part:
            return
        number += 1
