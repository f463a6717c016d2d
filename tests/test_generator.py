"""The benchmark's synthetic archive: valid records, the size asked for, the same bytes every time.

The build budgets are measured on this archive, so it must be what an editor could have
written (it passes every check the real records pass) and reproducible from its seed.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from peer_review_archive.graph.indexes import build_graph
from peer_review_archive.records.assembly import check, load_archive
from peer_review_archive.site.dependencies import shows

from benchmarks.clones import clone_archive
from benchmarks.generate import REAL_RECORDS, councils, generate_archive, sentence

SMALL = {"authorities": 12, "reviews": 30, "findings": 420}


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yml"))}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_archive(tmp_path_factory.mktemp("gen") / "reviews", **SMALL).records


def test_generated_records_pass_every_check(small: Path) -> None:
    assert check(small) == []


def test_generated_archive_has_the_size_asked_for(small: Path) -> None:
    archive = load_archive(small)
    counts = build_graph(archive).counts
    assert len(archive.authorities) == SMALL["authorities"]
    assert counts.reviews == SMALL["reviews"]
    assert counts.findings == SMALL["findings"]
    assert counts.context_documents >= 1
    assert counts.follow_ups > 0 and counts.responses > 0
    assert any(r.offers for r in archive.reviews.values())
    assert any(f.addresses for r in archive.reviews.values() for v in r.follow_ups for f in v.findings)
    assert set(archive.themes) == {t for r in archive.reviews.values() for f in r.findings for t in f.themes}


def test_generation_is_deterministic(small: Path, tmp_path: Path) -> None:
    again = generate_archive(tmp_path / "again", **SMALL).records
    assert files_of(again) == files_of(small)
    other = generate_archive(tmp_path / "other", seed=7, **SMALL).records
    assert files_of(other) != files_of(small)


def test_cloned_real_records_pass_every_check_and_keep_the_real_text(tmp_path: Path) -> None:
    made = clone_archive(tmp_path / "clones", authorities=20, reviews=12, context_documents=2)
    assert check(made.records) == []
    archive, real = load_archive(made.records), load_archive(REAL_RECORDS)
    assert len(archive.reviews) == 12 and len(archive.context_documents) == 2
    assert not set(archive.reviews) & set(real.reviews), "clones have new ids"
    real_texts = {f.text for r in real.reviews.values() for f in r.findings}
    cloned_texts = {f.text for r in archive.reviews.values() for f in r.findings}
    assert cloned_texts == real_texts
    real_people = {p.name for r in real.reviews.values() for p in r.team if p.name}
    assert not real_people & {p.name for r in archive.reviews.values() for p in r.team if p.name}
    again = clone_archive(tmp_path / "again", authorities=20, reviews=12, context_documents=2)
    assert files_of(again.records) == files_of(made.records)


def test_sentences_are_as_long_as_the_sources(small: Path) -> None:
    rng = random.Random(1)
    lengths = [len(sentence(rng).split()) for _ in range(500)]
    assert min(lengths) >= 20 and max(lengths) <= 60


def test_national_scale_names_real_councils() -> None:
    names = councils(150)
    assert len({c.id for c in names}) == 150
    assert {"bedford-borough", "east-sussex", "thurrock"} <= {c.id for c in names}


# --- serve rebuilds give the site a clean build gives ----------------------------------

import yaml  # noqa: E402
from support.builds import build, make_project  # noqa: E402

from benchmarks.serve import ServeSession  # noqa: E402


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _reviews(records: Path) -> list[Path]:
    registries = {"authorities.yml", "themes.yml", "programmes.yml"}
    return sorted(p for p in records.glob("*.yml") if p.name not in registries)


def edit_finding_text(records: Path) -> None:
    path = _reviews(records)[5]
    _edit_yaml(path, lambda d: d["findings"][0].update(text="Edited in serve. " + d["findings"][0]["text"]))


def edit_another_finding_text(records: Path) -> None:
    """A second words-only edit in a row: the plan kept last time is kept again."""
    path = _reviews(records)[11]
    _edit_yaml(path, lambda d: d["findings"][-1].update(text=d["findings"][-1]["text"] + " Edited again."))


def copy_words_from_another_authority(records: Path) -> None:
    """A finding takes the words of another authority's finding on the same theme: the two
    now match, so other pages' lists of matches change (and are declared again)."""
    paths = _reviews(records)
    first = yaml.safe_load(paths[3].read_text(encoding="utf-8"))
    for other in paths:
        data = yaml.safe_load(other.read_text(encoding="utf-8"))
        if data["host"] == first["host"]:
            continue
        for finding in data["findings"]:
            same = [f for f in first["findings"] if set(f["themes"]) & set(finding["themes"])]
            if same:
                target = same[0]["id"]

                def change(d: dict, text: str = finding["text"], target: str = target) -> None:
                    next(f for f in d["findings"] if f["id"] == target).update(text=text)
                _edit_yaml(paths[3], change)
                return
    raise AssertionError("no two authorities share a theme")


def edit_later_findings_text(records: Path) -> None:
    """Words of a follow-up visit's and a council response's findings: the authority's page and
    the trails of the findings they address show those records."""
    def change(part: str) -> None:
        path = next(p for p in _reviews(records)
                    if any(v.get("findings") for v in yaml.safe_load(p.read_text()).get(part, [])))
        _edit_yaml(path, lambda d: next(v for v in d[part] if v.get("findings"))["findings"][0].update(
            text="Edited later in serve. " + next(v for v in d[part] if v.get("findings"))["findings"][0]["text"]))
    change("follow_ups")
    change("responses")


def edit_related_title(records: Path) -> None:
    """A title shown on other reviews' pages (they name it as related) and on theme pages."""
    named = {r for p in _reviews(records) for r in yaml.safe_load(p.read_text()).get("related_reviews", [])}
    _edit_yaml(records / f"{sorted(named)[0]}.yml", lambda d: d.update(title=d["title"] + " (renamed)"))


def move_review_to_another_host(records: Path) -> None:
    """The review leaves one authority's page and joins another's."""
    authorities = [a["id"] for a in yaml.safe_load((records / "authorities.yml").read_text())["authorities"]]

    def change(data: dict) -> None:
        data["host"] = next(a for a in authorities if a != data["host"] and a not in data["reviewers"])
    _edit_yaml(_reviews(records)[9], change)


def add_review(records: Path) -> None:
    source = _reviews(records)[2]
    data = yaml.safe_load(source.read_text())
    data["id"] = "added-in-serve-2024"
    data.pop("related_reviews", None)
    (records / "added-in-serve-2024.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def delete_review(records: Path) -> None:
    named = {r for p in records.rglob("*.yml")
             for r in (yaml.safe_load(p.read_text()) or {}).get("related_reviews", [])}
    next(p for p in reversed(_reviews(records)) if p.stem not in named).unlink()


def rename_authority(records: Path) -> None:
    _edit_yaml(records / "authorities.yml", lambda d: d["authorities"][1].update(name="Renamed Borough"))


EDITS = [edit_finding_text, edit_another_finding_text, copy_words_from_another_authority, edit_later_findings_text,
         edit_related_title, move_review_to_another_host, add_review, delete_review, rename_authority]
WORDS_ONLY = {edit_finding_text, edit_another_finding_text, copy_words_from_another_authority,
              edit_later_findings_text}
"""The edits after which serve keeps the last plan's pages (`SitePlan._kept`)."""


@contextmanager
def serving(tmp_path: Path, authorities: int = 6, reviews: int = 8, findings: int = 80,
            dirty: bool = True) -> Iterator[ServeSession]:
    """A serve session over a generated archive, in a project of its own."""
    records = generate_archive(tmp_path / "records", authorities=authorities, reviews=reviews,
                               findings=findings).records
    session = ServeSession(make_project(tmp_path / "project", records), tmp_path / "serve", dirty=dirty)
    try:
        yield session
    finally:
        session.close()


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a site as served (through links; no hidden folder) but the search
    bundle, whose file names Pagefind varies."""
    found = {}
    for folder, folders, names in os.walk(site, followlinks=True):
        if Path(folder) == site:
            folders[:] = [f for f in folders if not f.startswith(".") and f != "pagefind"]
        for name in names:
            path = Path(folder) / name
            found[path.relative_to(site).as_posix()] = path.read_bytes()
    return dict(sorted(found.items()))


def test_serve_rebuilds_match_clean_builds(tmp_path: Path) -> None:
    """Files kept across `pra serve` rebuilds are never stale: after each kind of edit, the
    rebuilt site is byte for byte the one a clean `mkdocs build` writes, pages and downloads
    at once, the search index once the background work has linked it in."""
    with serving(tmp_path, authorities=10, reviews=24, findings=240) as session:
        project = session.project
        session.build()
        session.settle()
        kept = 0
        for number, edit in enumerate(EDITS):
            edit(project / "reviews")
            session.build()
            plan = session.plugin.plan
            assert plan.kept == (edit in WORDS_ONLY), edit.__name__
            assert plan.graph == build_graph(plan.archive), edit.__name__  # kept in part after words only
            written, total = session.plugin.tracker.last
            kept += total - written
            # Every page and download is current straight after the rebuild.
            pages = site_files(session.site)
            session.settle()
            clean = build(project, tmp_path / f"clean-{number}")
            assert clean.ok, clean.output
            ours, theirs = site_files(session.site), site_files(clean.site)
            assert sorted(ours) == sorted(theirs), edit.__name__
            assert [f for f in ours if ours[f] != theirs[f]] == [], edit.__name__
            assert [f for f in pages if pages[f] != theirs.get(f)] == [], f"{edit.__name__}: stale before settling"
            assert (session.site / "pagefind" / "pagefind.js").is_file()
        assert kept > 0  # the comparison above is of kept files, not of a full rebuild


def test_serve_writes_again_only_the_pages_an_edit_changes(tmp_path: Path) -> None:
    """Editing a finding's words rewrites its review's page and its themes' pages (and the
    pages of reviews named with it); every other record page stays the file it was."""
    with serving(tmp_path) as session:
        project = session.project
        session.build()
        session.settle()

        def stamps() -> dict[str, tuple[int, int]]:
            found = {}
            for section in ("authorities", "reviews", "themes"):
                for page in (session.site / section).glob("*/index.html"):
                    found[page.relative_to(session.site).as_posix()] = (page.stat().st_ino, page.stat().st_mtime_ns)
            return found

        before = stamps()
        files = dict(session.plugin.generated[1])
        path = _reviews(project / "reviews")[5]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        graph_before = build_graph(load_archive(project / "reviews"))
        edit_finding_text(project / "reviews")
        session.build()
        graph_after = build_graph(load_archive(project / "reviews"))
        # Review pages that quote the edited finding among their matches, or whose matches it moved.
        edited = (data["id"], data["findings"][0]["id"])
        quoting = {r for r in graph_after.archive.reviews
                   if edited in shows("review", r, graph_after).findings
                   or shows("review", r, graph_before).derived != shows("review", r, graph_after).derived}
        after = stamps()
        assert sorted(after) == sorted(before)
        rewritten = {page for page in before if after[page] != before[page]}
        review = data["id"]
        related = {review, *data.get("related_reviews", [])} | {
            p.stem for p in _reviews(project / "reviews")
            if review in (yaml.safe_load(p.read_text(encoding="utf-8")).get("related_reviews") or [])}
        expected = ({f"reviews/{r}/index.html" for r in related | quoting}
                    | {f"themes/{t}/index.html" for t in data["findings"][0]["themes"]})
        assert f"reviews/{review}/index.html" in rewritten
        assert rewritten <= expected, sorted(rewritten - expected)
        assert len(before) - len(rewritten) > 10
        # The pages the plan kept keep their MkDocs file and page too (making them again was a
        # tenth of a national rebuild); the rebuilds above are checked against clean builds.
        again = [uri for uri, file in session.plugin.generated[1].items() if files.get(uri) is file]
        assert len(again) > len(files) * 3 // 4, (len(again), len(files))


def test_plain_mkdocs_serve_is_still_correct(tmp_path: Path) -> None:
    """Plain `mkdocs serve` (a clean build on every change, no keys) gives the same site."""
    with serving(tmp_path, dirty=False) as session:
        project = session.project
        session.build()
        assert session.plugin.tracker is None
        edit_finding_text(project / "reviews")
        session.build()
        clean = build(project, tmp_path / "clean")
        assert clean.ok, clean.output
        assert site_files(session.site) == site_files(clean.site)


def test_serve_collects_garbage_only_while_idle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's full collection (0.2-0.3 s at national scale) runs after each rebuild and again
    as the background index's last step (it makes as many objects), never beside a rebuild:
    else the objects made since the last one start it inside a rebuild, one in four or five."""
    from peer_review_archive.adapter.serve import IdleCollector

    monkeypatch.setattr(IdleCollector, "DELAY", 0.01)
    with serving(tmp_path) as session:
        collector = session.plugin.collector
        session.build()
        session.settle()
        time.sleep(0.3)
        before = collector.runs
        edit_finding_text(session.project / "reviews")
        session.build()
        session.settle()
        time.sleep(0.3)
        assert collector.runs - before == 2  # after the rebuild, after its index
        collector.busy()  # a rebuild starts
        collector.now()  # the index of the last one finishes meanwhile
        assert collector.runs - before == 2 and collector.timer is None
        collector.after_build()
        time.sleep(0.3)
        assert collector.runs - before == 3


def test_serve_keeps_the_last_good_site_through_a_bad_record(tmp_path: Path) -> None:
    with serving(tmp_path) as session:
        project = session.project
        session.build()
        path = _reviews(project / "reviews")[0]
        good = path.read_text()
        path.write_text(good.replace("host:", "hots:", 1))
        session.build()
        assert session.plugin.stale
        path.write_text(good.replace("\n  text: ", "\n  text: Fixed. ", 1))
        session.build()
        session.settle()
        clean = build(project, tmp_path / "clean")
        assert clean.ok, clean.output
        assert site_files(session.site) == site_files(clean.site)


def test_serve_rewrites_a_source_page_when_its_text_changes(tmp_path: Path) -> None:
    """A source text is not a record file, but its page prints it: editing it rewrites that
    page (and the downloads and search that hold it), not the pages citing it, and the site
    equals a clean build."""
    session = ServeSession(make_project(tmp_path / "project"), tmp_path / "serve")
    try:
        session.build()
        session.settle()
        sources = session.site / "sources"
        pages = {p.parent.name: p for p in sources.glob("*/index.html")}
        assert pages, "the tiny site has a source page"
        document, page = sorted(pages.items())[0]
        reviews = {p: p.stat().st_mtime_ns for p in (session.site / "reviews").glob("*/index.html")}
        text = session.project / "reviews" / "sources" / f"{document}.txt"
        text.write_text(text.read_text(encoding="utf-8") + "A line added in serve.\n", encoding="utf-8")
        before = page.stat().st_mtime_ns
        session.build()
        assert "A line added in serve." in page.read_text(encoding="utf-8")
        assert page.stat().st_mtime_ns != before
        assert {p: p.stat().st_mtime_ns for p in reviews} == reviews
        session.settle()
        clean = build(session.project, tmp_path / "clean")
        assert clean.ok, clean.output
        ours, theirs = site_files(session.site), site_files(clean.site)
        assert [f for f in sorted(set(ours) | set(theirs)) if ours.get(f) != theirs.get(f)] == []
    finally:
        session.close()
