"""Golden tests for the loader: one bad record per mistake, with the exact report expected.

Each case in tests/fixtures/records/bad/<case>/ holds `record.yml`, the file name it
replaces or adds in a copy of the valid fixture archive (`target`), optionally a file to
delete (`remove`), and `expected`, the exact output of `pra check`. Regenerate after an
intended change with UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from peer_review_archive.cli import main
from peer_review_archive.records import vocabulary
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.records.evidence import SourceText, evidence_slots, normalise
from peer_review_archive.records.problems import field_path

FIXTURES = Path(__file__).parent / "fixtures" / "records"
CASES = sorted(p.name for p in (FIXTURES / "bad").iterdir())


def records_with(tmp_path: Path, case: str) -> Path:
    records = tmp_path / "reviews"
    shutil.copytree(FIXTURES / "valid", records)
    case_dir = FIXTURES / "bad" / case
    target = (case_dir / "target").read_text().strip()
    shutil.copy(case_dir / "record.yml", records / target)
    if (case_dir / "remove").exists():
        (records / (case_dir / "remove").read_text().strip()).unlink()
    return records


def test_valid_fixture_loads():
    archive = load_archive(FIXTURES / "valid")
    assert list(archive.reviews) == ["alpha-2016"]
    assert list(archive.context_documents) == ["alpha-vision-2015"]
    review = archive.reviews["alpha-2016"]
    assert review.follow_ups[0].findings[0].addresses == ["recommendation-1-1"]
    assert review.date == "2016-06-28"  # dates stay strings: years and months are allowed
    assert archive.files["alpha-vision-2015"] == Path("context/alpha-vision-2015.yml")


@pytest.mark.parametrize("case", CASES)
def test_bad_record_is_reported(case, tmp_path, monkeypatch, capsys):
    records_with(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    status = main(["check", "reviews"])
    output = capsys.readouterr().out
    expected_file = FIXTURES / "bad" / case / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(output)
    assert status == 1
    assert output == expected_file.read_text()
    for line in output.splitlines():
        path, line_no, column, rest = line.split(":", 3)
        assert path.startswith("reviews/") and int(line_no) >= 1 and int(column) >= 1, line
        assert "Traceback" not in rest


def test_every_problem_in_one_run(tmp_path, monkeypatch, capsys):
    records_with(tmp_path, "several-problems")
    monkeypatch.chdir(tmp_path)
    main(["check", "reviews"])
    output = capsys.readouterr().out
    assert "unknown field `colour`" in output
    assert "unknown authority `alfa`" in output
    assert "unknown theme `governence`" in output


def test_exit_statuses(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "valid", tmp_path / "reviews")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "reviews"]) == 0
    assert main(["check", "no-such-folder"]) == 2
    run = subprocess.run([sys.executable, "-m", "peer_review_archive.cli", "check", "--bogus"],
                         capture_output=True, text=True)
    assert run.returncode == 2


def test_unsafe_yaml_tags_are_refused(tmp_path, monkeypatch, capsys):
    records = tmp_path / "reviews"
    shutil.copytree(FIXTURES / "valid", records)
    (records / "evil-2016.yml").write_text("id: !!python/object/apply:os.system ['echo pwned']\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "reviews"]) == 1
    out = capsys.readouterr().out
    assert "reviews/evil-2016.yml:1:5: id: the type tag `!!python/object/apply:os.system` is not allowed" in out


def test_real_records_are_valid():
    root = Path(__file__).parent.parent
    assert load_archive(root / "reviews").reviews is not None


def test_real_records_cite_their_source_documents_on_every_item():
    """Once a record names a source document, every item it could cite evidence for does so."""
    archive = load_archive(Path(__file__).parent.parent / "reviews")
    missing = []
    for record in [*archive.reviews.values(), *archive.context_documents.values()]:
        if any(source.document for source in record.sources):
            missing += [f"{record.id}: {field_path(loc)}" for loc, item, _, _ in evidence_slots(record)
                        if item.evidence is None]
    assert missing == []


def test_evidence_is_found_through_typography_and_layout():
    """What a PDF's text does to words is not a difference; a changed word is."""
    source = SourceText.of("1.1 The LA\u2019s \ufb01rst re-\nview of per-\n\n  formance.\n\uf0b7 School-led\n")
    assert list(source.find(normalise("The LA's first review of performance."))) == [(1, 4)]
    assert list(source.find(normalise("School\u2013led"))) == [(5, 5)]
    assert list(SourceText.of("in these roles:\n - brokering support;\n").find("roles: brokering")) == [(1, 2)]
    assert list(source.find(normalise("The LA's first review of perfomance."))) == []
    assert source.closest(normalise("The LA's first review of perfomance."))[3] == (
        "the record has 'perfomance.' where the source has 'performance.'")


def test_every_finding_kind_has_a_label_a_place_in_every_order_and_a_side():
    """The one vocabulary: a kind added to the record format is listed everywhere it is shown."""
    kinds = set(typing.get_args(vocabulary.FindingKind))
    assert {"area-for-consideration", "key-issue"} <= kinds
    assert set(vocabulary.KINDS) == kinds
    for order in (vocabulary.PAGE_ORDER, vocabulary.COUNT_ORDER, vocabulary.EXPLORER_ORDER):
        assert sorted(order) == sorted(kinds)
    assert vocabulary.side("key-issue") == vocabulary.side("area-for-consideration") == "to_improve"


def test_the_sources_folder_holds_texts_not_records(tmp_path: Path) -> None:
    """`reviews/sources/` is read as texts: its .txt files are not reported as records in a
    subfolder, a .yml put there is, and a text is read only as a record file would be."""
    from peer_review_archive.records.assembly import check

    records = tmp_path / "reviews"
    shutil.copytree(FIXTURES / "valid", records)
    assert check(records, tmp_path) == []
    (records / "sources" / "stray.yml").write_text("id: stray\n", encoding="utf-8")
    text = next((records / "sources").glob("*.txt"))
    text.write_text(text.read_text(encoding="utf-8") + "A bell\a rang.\n", encoding="utf-8")
    found = [f"{p.path}:{p.line}: {p.message}" for p in check(records, tmp_path)]
    assert any("stray.yml" in f and "a record in a subfolder is not read" in f for f in found), found
    assert any(f"{text.name}:" in f and "U+0007 (bell), which is not text" in f for f in found), found
    assert not any(f.endswith(".txt: a record in a subfolder is not read") for f in found), found
    outside = tmp_path / "outside.txt"
    outside.write_text(text.read_text(encoding="utf-8").replace("\a", ""), encoding="utf-8")
    text.unlink()
    text.symlink_to(outside)
    found = [f"{p.path}: {p.message}" for p in check(records, records)]
    assert any(f"{text.name}: a symbolic link to a file outside the repository" in f for f in found), found


def test_kept_cross_checks_follow_the_records_they_read(tmp_path):
    """Serve keeps each file's cross-checks (`RecordCache.checked`) while nothing they read
    changed: an unchanged file is checked again when a document it addresses, or a registry,
    changes under it."""
    from peer_review_archive.records.assembly import ArchiveError
    from peer_review_archive.records.loading import RecordCache

    records = shutil.copytree(Path(__file__).parent / "fixtures" / "site" / "reviews", tmp_path / "reviews")
    thurrock = records / "thurrock-2016.yml"
    text = thurrock.read_text(encoding="utf-8")
    thurrock.write_text(text.replace("addresses: [recommendation-1-1]",
                                     "addresses: [recommendation-1-1, cambridgeshire-2014/development-1]", 1),
                        encoding="utf-8")
    cache = RecordCache()
    load_archive(records, cache=cache)
    load_archive(records, cache=cache)  # kept: nothing changed

    cambridgeshire = records / "cambridgeshire-2014.yml"
    original = cambridgeshire.read_text(encoding="utf-8")
    cambridgeshire.write_text(original.replace("- id: development-1", "- id: development-one"), encoding="utf-8")
    with pytest.raises(ArchiveError) as raised:
        load_archive(records, cache=cache)
    assert "thurrock-2016.yml" in str(raised.value)
    assert "unknown finding `cambridgeshire-2014/development-1`" in str(raised.value)

    cambridgeshire.write_text(original, encoding="utf-8")
    load_archive(records, cache=cache)  # fixed: the kept problem is not reported again
    themes = records / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("id: use-of-data", "id: data-use"), encoding="utf-8")
    with pytest.raises(ArchiveError) as raised:
        load_archive(records, cache=cache)
    assert "thurrock-2016.yml" in str(raised.value) and "unknown theme `use-of-data`" in str(raised.value)


def test_a_record_that_grows_while_it_is_read_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record is read up to the size it had when looked at, and on past it if it grew
    meanwhile (an editor still saving): never cut at its old size, never past the limit."""
    from peer_review_archive.records import loading

    record = tmp_path / "kent-2015.yml"
    record.write_bytes(b"id: kent-2015\n" + b"# note\n" * 1000)
    looked_at = os.stat_result((*record.lstat()[:6], 10, *record.lstat()[7:]))  # st_size 10: before it grew
    monkeypatch.setattr(Path, "lstat", lambda self: looked_at)
    assert loading.read_record_bytes(record, tmp_path) == record.read_bytes()
    small = dataclasses.replace(loading.LIMITS, file_bytes=1000)
    assert isinstance(loading.read_record_bytes(record, tmp_path, small), tuple)  # too big, as it now is
