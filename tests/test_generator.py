"""The benchmark's synthetic archive: valid records, the size asked for, the same bytes every time.

The build budgets are measured on this archive, so it must be what an editor could have
written (it passes every check the real records pass) and reproducible from its seed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from peer_review_archive.graph import link_archive
from peer_review_archive.loader import check, load_archive

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import councils, generate_archive, sentence  # noqa: E402

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
    counts = link_archive(archive).counts
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


def test_sentences_are_as_long_as_the_sources(small: Path) -> None:
    rng = random.Random(1)
    lengths = [len(sentence(rng).split()) for _ in range(500)]
    assert min(lengths) >= 20 and max(lengths) <= 60


def test_national_scale_names_real_councils() -> None:
    names = councils(150)
    assert len({c.id for c in names}) == 150
    assert {"bedford-borough", "east-sussex", "thurrock"} <= {c.id for c in names}
