"""Drafts (`draft: true`) are checked like every record and never published.

A real `mkdocs build` of the tiny site with one draft review and one draft context document
must leave both out of every page, download, feed, the sitemap and the search index; `pra
check` reports a draft's problems and says how many drafts it saw; `mkdocs serve` shows a
draft with its banner.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.builds import ROOT, TINY_RECORDS, build, make_project

from benchmarks.serve import ServeSession

MARK = "Quillwort"  # a word no other record of the tiny site uses


def add_drafts(records: Path, valid: bool = True) -> None:
    review = yaml.safe_load((records / "thurrock-2016.yml").read_text(encoding="utf-8"))
    review.update(id="thurrock-2018", draft=True, title=f"{MARK} School Improvement Peer Review")
    review.pop("related_reviews", None)
    review["findings"][0]["text"] = f"{MARK} recommendation: analyse the data."
    review["findings"][0].pop("evidence", None)  # its words are no longer the source's
    if not valid:
        review["findings"][0]["themes"] = []
    (records / "thurrock-2018.yml").write_text(yaml.safe_dump(review, sort_keys=False), encoding="utf-8")
    document = yaml.safe_load((records / "context" / "thurrock-vision-2015.yml").read_text(encoding="utf-8"))
    document.update(id="thurrock-vision-2018", draft=True, title=f"{MARK} vision for education")
    (records / "context" / "thurrock-vision-2018.yml").write_text(yaml.safe_dump(document, sort_keys=False),
                                                                   encoding="utf-8")


def pra_check(records: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "peer_review_archive.cli", "check", str(records)],
                          capture_output=True, text=True, cwd=records.parent)


def test_pra_check_counts_drafts(tmp_path: Path) -> None:
    records = tmp_path / "reviews"
    shutil.copytree(TINY_RECORDS, records)
    add_drafts(records)
    done = pra_check(records)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 drafts (not published): reviews/context/thurrock-vision-2018.yml, reviews/thurrock-2018.yml" \
        in done.stdout


def test_pra_check_reports_a_drafts_problems(tmp_path: Path) -> None:
    records = tmp_path / "reviews"
    shutil.copytree(TINY_RECORDS, records)
    add_drafts(records, valid=False)
    done = pra_check(records)
    assert done.returncode == 1
    assert "reviews/thurrock-2018.yml:" in done.stdout and "findings[0].themes" in done.stdout
    assert "2 drafts (not published)" in done.stderr


def test_a_published_record_cannot_name_a_draft(tmp_path: Path) -> None:
    records = tmp_path / "reviews"
    shutil.copytree(TINY_RECORDS, records)
    add_drafts(records)
    path = records / "cambridgeshire-2014.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["related_reviews"] = ["thurrock-2018"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    done = pra_check(records)
    assert done.returncode == 1
    assert "related_reviews[0]: review `thurrock-2018` is a draft, so it is not published" in done.stdout


def _every_text(site: Path) -> dict[str, str]:
    """Every file of the built site as text; Pagefind's fragments and indexes are gzipped."""
    texts = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        texts[path.relative_to(site).as_posix()] = raw.decode("utf-8", errors="replace")
    return texts


def test_build_leaves_drafts_out_of_every_output(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    add_drafts(project / "reviews")
    result = build(project)
    assert result.ok, result.output
    texts = _every_text(result.site)
    assert not (result.site / "reviews" / "thurrock-2018").exists()
    assert not (result.site / "context" / "thurrock-vision-2018").exists()
    leaked = sorted(name for name, text in texts.items() if MARK in text or "thurrock-2018" in text
                    or "thurrock-vision-2018" in text)
    assert leaked == []
    # the published records are all there: the exclusion is of drafts only
    archive = json.loads(texts["data/archive.json.gz"])
    assert {r["id"] for r in archive["reviews"]} == {"cambridgeshire-2014", "thurrock-2016"}
    assert all(r["draft"] is False for r in archive["reviews"])
    assert any(name.endswith(".pf_fragment") and "Thurrock" in text for name, text in texts.items())
    assert "Thurrock School Improvement Peer Review" in texts["feed.xml"]


def test_serve_shows_a_draft_with_its_banner(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    add_drafts(project / "reviews")
    session = ServeSession(project, tmp_path / "serve")
    try:
        session.build()
        page = (tmp_path / "serve" / "reviews" / "thurrock-2018" / "index.html").read_text(encoding="utf-8")
        assert "Draft: not published" in page and MARK in page
        context = (tmp_path / "serve" / "context" / "thurrock-vision-2018" / "index.html").read_text(encoding="utf-8")
        assert "Draft: not published" in context
        published = (tmp_path / "serve" / "reviews" / "thurrock-2016" / "index.html").read_text(encoding="utf-8")
        assert "Draft: not published" not in published
    finally:
        session.close()


@pytest.mark.parametrize("kind", ["review", "context-document"])
def test_draft_is_in_the_schema(kind: str) -> None:
    schema = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["draft"]["type"] == "boolean"
