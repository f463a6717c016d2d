"""Make the matching's reference table (`word_frequencies.tsv`): in how many findings of an
archive each stem occurs.

    python -m peer_review_archive.graph.reference reviews > plugins/peer_review_archive/graph/word_frequencies.tsv

The table shipped was counted over the archive's first records (the five council papers).
Count it again only on purpose: every match on the site may move (README, "Matching").
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ..records.assembly import load_archive
from .indexes import build_graph
from .similarity import terms, words_of


def frequencies(records: Path) -> tuple[int, Counter[str]]:
    """How many findings the archive in `records` holds, and in how many each stem occurs."""
    graph = build_graph(load_archive(records), matching=False)
    counts: Counter[str] = Counter()
    for entry in graph.findings.values():
        counts.update(set(terms(words_of(entry))))
    return len(graph.findings), counts


def table(total: int, counts: Counter[str]) -> str:
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join([f"findings\t{total}\n", *(f"{stem}\t{n}\n" for stem, n in rows)])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sys.stdout.write(table(*frequencies(Path(args[0] if args else "reviews"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
