"""The search index alone, at scale: what Pagefind costs and writes. Prints; asserts nothing.

Loads a records folder (e.g. one `benchmarks.generate` wrote), makes the finding and page
records as a build does, and writes the index into a scratch folder with `write_index`
(no HTML pages: the few hand-written pages add little). Prints the CPU seconds of the
indexing processes (our child process and its Pagefind processes, from getrusage, which
do not depend on the load of a shared host), the wall seconds, the bytes and files
written, and the word locations of the first bundle's index by where Pagefind found them
(a record's content or its meta fields).

    python -m benchmarks.generate --out /tmp/national/reviews
    python -m benchmarks.index_bench /tmp/national/reviews
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from peer_review_archive.graph.indexes import build_graph
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.search import stable
from peer_review_archive.search.indexer import write_index
from peer_review_archive.search.records import finding_records, page_records


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def word_locations(bundle: Path) -> dict[str, int]:
    """A bundle's index: its words, and its word locations in content and in meta."""
    counts = {"words": 0, "meta-only words": 0, "content": 0, "meta": 0}
    for path in sorted((bundle / "index").iterdir()):
        (words,) = stable.read(path.read_bytes(), path.name)
        for _, pages, _ in words:
            counts["words"] += 1
            counts["meta-only words"] += all(not locs for _, locs, _ in pages)
            counts["content"] += sum(len(locs) for _, locs, _ in pages)
            counts["meta"] += sum(len(meta_locs) for _, _, meta_locs in pages)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("--keep", type=Path, help="write the site's index here (default: a scratch folder)")
    args = parser.parse_args()
    graph = build_graph(load_archive(args.records))
    pages = page_records(graph)
    with tempfile.TemporaryDirectory(prefix="pra-index-bench-") as scratch:
        site = args.keep or Path(scratch)
        site.mkdir(parents=True, exist_ok=True)
        cpu, wall = _children_cpu(), time.perf_counter()
        report = write_index(site, finding_records(graph), pages)
        cpu, wall = _children_cpu() - cpu, time.perf_counter() - wall
        root = site / "pagefind"
        files = [p for p in root.rglob("*") if p.is_file()]
        print(f"{report.findings} findings in {report.shards} shards, {report.pages} pages")
        print(f"indexing: {cpu:.1f} s CPU (child and Pagefind processes), {wall:.1f} s wall")
        print(f"index: {sum(p.stat().st_size for p in files) / 1e6:.1f} MB in {len(files)} files")
        for bundle in ("findings/0", "findings/1"):
            if (root / bundle).is_dir():
                counts = word_locations(root / bundle)
                fragments = sorted(p.stat().st_size for p in (root / bundle / "fragment").iterdir())
                print(f"{bundle}: " + ", ".join(f"{value:,} {key}" for key, value in counts.items())
                      + f"; fragments median {fragments[len(fragments) // 2]:,} B")


if __name__ == "__main__":
    main()
