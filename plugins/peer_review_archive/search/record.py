"""The search record and its shards, in a module of their own: the indexer's child process
unpickles records, and importing only this (not the graph, pydantic or numpy) keeps that
process about 45 MB smaller beside the build."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

SHARD_SIZES = (1000, 4000)
"""The newest 1,000 findings, then shards of 4,000: small first, fewer requests after."""


@dataclass(frozen=True)
class SearchRecord:
    """One finding as the search engine indexes it. `url` is site-relative, from the root."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]


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
