"""Every page's declared dependencies match what its render reads (DESIGN.md section 5).

`mkdocs serve` keeps a page while the records it declares are unchanged, so a render that
reads an undeclared document would show stale data after an edit. Each page of the real
archive, the tiny fixture and a generated archive is rendered twice: once to fill the
build's shared, derived structures (the graph, the network, the theme table, which are pure
functions of the whole archive), then against a recording archive, and every read of a
document is checked against the page's `Shows`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.site.dependencies import Shows
from peer_review_archive.site.plan import SitePlan
from support.builds import ROOT, TINY_RECORDS
from support.recording import TEXT, Read, instrument, recording

from benchmarks.generate import generate_archive


def undeclared(records: Path) -> dict[str, list[Read]]:
    archive = load_archive(records)
    plan = SitePlan(archive, site_url="https://example.org/")
    sections = {"recommendations", "network", "data", "authorities", "reviews", "themes"}
    for page in plan.pages:
        plan.render(page, sections)
    instrument(archive)
    found: dict[str, list[Read]] = {}
    for page in plan.pages:
        plan.related.clear()  # made once a build for all pages: each page must make its own here
        with recording() as log:
            plan.render(page, sections)
        assert log.reads or page.kind not in ("review", "context"), f"{page.url}: the recording saw nothing"
        bad = [read for read in log.reads
               if not (read.document in page.shows.texts if read.field == TEXT
                       else page.shows.allows(read.document, read.words, read.finding))]
        if bad:
            found[page.url] = sorted(set(bad), key=lambda r: (r.document, r.field))[:5]
    return found


@pytest.mark.parametrize("records", ["real", "tiny", "generated", "prolific"])
def test_every_render_reads_only_what_its_page_declares(records: str, tmp_path: Path) -> None:
    """`prolific`: authorities with more visits and offers than their page lists (their
    listing pages), and years of more reviews than the timeline names."""
    folder = {"real": ROOT / "reviews", "tiny": TINY_RECORDS}.get(records)
    if folder is None:
        folder = tmp_path / "reviews"
        size = {"generated": (12, 30, 420), "prolific": (6, 60, 300)}[records]
        generate_archive(folder, authorities=size[0], reviews=size[1], findings=size[2])
    assert undeclared(folder) == {}


def test_an_undeclared_read_is_caught() -> None:
    """The check can fail: a review page that declares nothing is caught reading its review."""
    archive = load_archive(TINY_RECORDS)
    plan = SitePlan(archive)
    page = next(p for p in plan.pages if p.kind == "review")
    plan.render(page)
    instrument(archive)
    with recording() as log:
        plan.render(page)
    assert any(not Shows().allows(r.document, r.words, r.finding) for r in log.reads)
    assert any(r.words and r.document == page.subject for r in log.reads)


def test_a_source_page_reads_its_text_and_declares_it() -> None:
    """A source page's render reads its document's text (the recording sees it), and declares it."""
    archive = load_archive(ROOT / "reviews")
    plan = SitePlan(archive)
    page = next(p for p in plan.pages if p.kind == "source")
    plan.render(page)
    instrument(archive)
    with recording() as log:
        plan.render(page)
    assert Read(page.subject, False, None, TEXT) in log.reads
    assert page.shows.texts == {page.subject}
