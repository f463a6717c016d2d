"""The /data/ downloads: every file read back and compared with the records it was made from."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from peer_review_archive.graph.indexes import build_graph, review_findings, reviewing_authorities
from peer_review_archive.outputs.downloads import (
    ARCHIVE_JSON,
    AUTHORITIES_CSV,
    AUTHORITY_COLUMNS,
    FINDING_COLUMNS,
    FINDINGS_CSV,
    FINDINGS_ZIP,
    LINK_KEYS,
    LIST_SEPARATOR,
    REVIEW_COLUMNS,
    REVIEWS_CSV,
    build_exports,
    csv_bytes,
    data_files,
    write_archive_json,
)
from peer_review_archive.outputs.downloads import Column as C
from peer_review_archive.records import urls
from peer_review_archive.records.archive import Archive
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.records.schema import schema_texts
from support.builds import ROOT, TINY_RECORDS
from support.hostile import FORMULA, MULTILINE, NASTY_NAME, hostile_records
from support.pages import page_url, read_page, resolve

SITE_URL = "https://archive.example.org/pra/"


def exports_of(records: Path, site_url: str | None = SITE_URL) -> tuple[Archive, dict[str, bytes]]:
    archive = load_archive(records)
    return archive, build_exports(archive, build_graph(archive), site_url)


def findings_csv(files: dict[str, bytes]) -> bytes:
    """findings.csv as a spreadsheet user gets it: the one file in findings.csv.zip."""
    with zipfile.ZipFile(io.BytesIO(files[urls.data_file_url(FINDINGS_ZIP)])) as packed:
        assert packed.namelist() == [FINDINGS_CSV]
        return packed.read(FINDINGS_CSV)


def compare_file(files: dict[str, bytes], authority_id: str) -> dict:
    """An authority's file for the compare page, as its script reads it (gzipped JSON)."""
    return json.loads(gzip.decompress(files[urls.authority_data_url(authority_id)]))


def read_csv(content: bytes) -> list[dict[str, str]]:
    """Read a download as a spreadsheet user's program would, undoing the formula guard."""
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [{k: v[1:] if v.startswith("'") else v for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, dict[str, bytes]]:
    return exports_of(hostile_records(tmp_path_factory.mktemp("hostile")))


@pytest.fixture(scope="module", params=["real", "tiny", "hostile"])
def any_archive(request, tmp_path_factory) -> tuple[Archive, dict[str, bytes]]:
    records = {"real": ROOT / "reviews", "tiny": TINY_RECORDS}.get(request.param)
    return exports_of(records or hostile_records(tmp_path_factory.mktemp("any")))


# --- the files ---------------------------------------------------------------------------


def test_every_described_file_is_written_and_nothing_else(any_archive) -> None:
    archive, files = any_archive
    compare = {urls.authority_data_url(a) for a in archive.authorities}  # the compare page's, one per authority
    assert set(files) - compare == {f.url for f in data_files()}
    assert compare <= set(files)
    assert all(url.startswith("data/") for url in files)


def test_each_authority_file_has_what_the_compare_page_shows(any_archive) -> None:
    archive, files = any_archive
    if "thurrock" not in archive.authorities or "thurrock-2016" not in archive.reviews:
        return
    data = compare_file(files, "thurrock")
    assert data["name"] == "Thurrock" and data["reviews"][0]["id"] == "thurrock-2016"
    assert {r["id"] for r in data["reviews"][0]["reviewers"]} >= {"norfolk", "cambridgeshire"}
    assert all(set(p) == {"name", "role", "authority"} for r in data["reviews"] for p in r["team"])
    assert data["follow_through"] and all(k["sentence"].startswith("Of ") for k in data["follow_through"])
    themes = {t["id"]: t for t in data["themes"]}
    assert all(f["url"].startswith("reviews/") for t in themes.values() for f in t["praised"] + t["to_improve"])


def test_authority_files_are_gzipped_with_no_clock(any_archive) -> None:
    archive, files = any_archive
    for authority_id in archive.authorities:
        packed = files[urls.authority_data_url(authority_id)]
        assert urls.authority_data_url(authority_id).endswith(".json.gz") and packed[:2] == b"\x1f\x8b"
        assert packed[4:8] == b"\0\0\0\0"  # mtime 0: two builds give the same bytes
        assert compare_file(files, authority_id)["id"] == authority_id


def test_schema_files_are_the_published_schemas(any_archive) -> None:
    _, files = any_archive
    for name, text in schema_texts().items():
        assert files[urls.schema_file_url(name)].decode() == text
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text


def test_exports_are_deterministic() -> None:
    _, first = exports_of(ROOT / "reviews")
    _, second = exports_of(ROOT / "reviews")
    assert first == second


# --- archive.json ------------------------------------------------------------------------


def _strip_links(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip_links(v) for k, v in value.items() if k not in LINK_KEYS}
    if isinstance(value, list):
        return [_strip_links(v) for v in value]
    return value


def test_archive_json_holds_every_record_exactly(any_archive) -> None:
    archive, files = any_archive
    data = json.loads(gzip.decompress(files[urls.data_file_url(ARCHIVE_JSON)]))
    assert data["licence"]["spdx"] == "OGL-UK-3.0"
    assert data["site_url"] == SITE_URL
    reviews = {r["id"]: r for r in data["reviews"]}
    assert set(reviews) == set(archive.reviews)
    for review in archive.reviews.values():
        assert _strip_links(reviews[review.id]) == review.model_dump(mode="json")
    documents = {d["id"]: d for d in data["context_documents"]}
    assert set(documents) == set(archive.context_documents)
    for document in archive.context_documents.values():
        assert _strip_links(documents[document.id]) == document.model_dump(mode="json")
    for kind in ("authorities", "themes", "programmes"):
        records = getattr(archive, kind)
        assert [_strip_links(x) for x in data[kind]] == [
            records[x["id"]].model_dump(mode="json") for x in data[kind]]
        assert {x["id"] for x in data[kind]} == set(records)


def test_archive_json_is_published_gzipped_with_no_clock_and_its_name_inside(any_archive) -> None:
    archive, files = any_archive
    packed = files[urls.data_file_url(ARCHIVE_JSON)]
    assert ARCHIVE_JSON == "archive.json.gz" and packed[:2] == b"\x1f\x8b"
    assert packed[4:8] == b"\0\0\0\0"  # mtime 0: two builds give the same bytes
    assert packed[10:10 + len(b"archive.json\0")] == b"archive.json\0"  # what gunzip restores
    plain = io.BytesIO()
    write_archive_json(plain, archive, build_graph(archive), SITE_URL)
    assert gzip.decompress(packed) == plain.getvalue()
    assert urls.data_file_url("archive.json") not in files  # published once, compressed


def test_archive_json_links_every_object_to_its_page(any_archive) -> None:
    archive, files = any_archive
    data = json.loads(gzip.decompress(files[urls.data_file_url(ARCHIVE_JSON)]))
    url = SITE_URL.rstrip("/") + "/"
    for review in data["reviews"]:
        page = f"{url}reviews/{review['id']}/"
        assert review["page_url"] == page
        for finding in review["findings"]:
            assert finding["page_url"] == f"{page}#{finding['id']}"
        for part in review["follow_ups"] + review["responses"]:
            assert part["page_url"] == f"{page}#{part['id']}"
            assert all(f["page_url"] == f"{page}#{f['id']}" for f in part["findings"])
        assert all(o["page_url"] == f"{page}#{o['id']}" for o in review["offers"])
        assert all(s["page_url"] == f"{page}#source-{s['id']}" for s in review["sources"])
        record = archive.reviews[review["id"]]
        assert review["reviewing_authorities"] == reviewing_authorities(record)
    graph = build_graph(archive)
    for authority in data["authorities"]:
        assert authority["page_url"] == f"{url}authorities/{authority['id']}/"
        assert authority["feed_url"] == f"{url}authorities/{authority['id']}/feed.xml"
        assert authority["reviews_received"] == graph.received.get(authority["id"], [])
    for theme in data["themes"]:
        assert theme["finding_count"] == len(graph.findings_by_theme.get(theme["id"], []))


def test_archive_json_links_findings_to_what_addressed_them() -> None:
    _, files = exports_of(TINY_RECORDS)
    data = json.loads(gzip.decompress(files[urls.data_file_url(ARCHIVE_JSON)]))
    thurrock = next(r for r in data["reviews"] if r["id"] == "thurrock-2016")
    by_id = {f["id"]: f for f in thurrock["findings"]}
    assert by_id["recommendation-1-1"]["key"] == "thurrock-2016/recommendation-1-1"
    assert by_id["recommendation-1-1"]["addressed_by"] == ["thurrock-2016/progress-1"]
    assert by_id["recommendation-1-1"]["follow_through"] == {
        "status": "progress-reported", "label": "progress reported at follow-up (March 2017)",
        "latest_evidence_date": "2017-03"}
    assert by_id["strength-1"]["addressed_by"] == [] and "follow_through" not in by_id["strength-1"]
    follow_up = next(f for f in thurrock["follow_ups"] if f["id"] == "follow-up-2017-03")
    assert follow_up["findings"][0]["addresses"] == ["recommendation-1-1"]  # as the record has it
    assert follow_up["findings"][0]["addresses_keys"] == ["thurrock-2016/recommendation-1-1"]


def test_without_a_site_url_links_are_site_relative() -> None:
    _, files = exports_of(TINY_RECORDS, site_url=None)
    data = json.loads(gzip.decompress(files[urls.data_file_url(ARCHIVE_JSON)]))
    assert data["site_url"] is None
    assert data["reviews"][0]["page_url"].startswith("reviews/")


# --- CSV ---------------------------------------------------------------------------------


def test_csv_is_rfc_4180(any_archive) -> None:
    _, files = any_archive
    for content, columns in ((findings_csv(files), FINDING_COLUMNS),
                             (files[urls.data_file_url(REVIEWS_CSV)], REVIEW_COLUMNS),
                             (files[urls.data_file_url(AUTHORITIES_CSV)], AUTHORITY_COLUMNS)):
        text = content.decode("utf-8-sig")
        assert text.endswith("\r\n")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == [c.name for c in columns]
        assert all(len(row) == len(columns) for row in rows)
        # Every record ends in CRLF: outside quoted fields there is no bare LF or CR.
        outside, quoted = [], False
        for char in text:
            if char == '"':
                quoted = not quoted
            elif not quoted:
                outside.append(char)
        assert "\n" not in "".join(outside).replace("\r\n", "")


def test_findings_csv_has_one_row_per_finding_matching_the_records(any_archive) -> None:
    archive, files = any_archive
    rows = read_csv(findings_csv(files))
    expected = []
    for review in archive.reviews.values():
        for part, part_id, when, finding in review_findings(review):
            expected.append((review.id, part, part_id or "", when, finding, review))
    for document in archive.context_documents.values():
        expected += [(document.id, "context", "", document.date, f, document) for f in document.findings]
    assert len(rows) == len(expected)
    by_key = {(r["document_id"], r["finding_id"]): r for r in rows}
    for doc_id, part, part_id, when, finding, doc in expected:
        row = by_key[(doc_id, finding.id)]
        assert row["text"] == finding.text  # multi-line text, commas and quotes survive
        assert (row["part"], row["part_id"], row["date"], row["kind"]) == (part, part_id, when, finding.kind)
        assert row["number"] == (finding.number or "") and row["group"] == (finding.group or "")
        assert row["themes"].split(LIST_SEPARATOR) == finding.themes
        assert row["theme_names"].split(LIST_SEPARATOR) == [archive.themes[t].name for t in finding.themes]
        assert row["finding_key"] == f"{doc_id}/{finding.id}"
        assert row["addresses"] == LIST_SEPARATOR.join(a if "/" in a else f"{doc_id}/{a}" for a in finding.addresses)
        page = urls.review_url(doc_id) if part != "context" else urls.context_url(doc_id)
        assert row["url"] == urls.absolute_url(SITE_URL, urls.anchor_url(page, finding.id))
        if part == "context":
            assert (row["document_type"], row["host_authority"]) == ("context-document", doc.authority)
            assert row["reviewing_authorities"] == ""
        else:
            assert (row["document_type"], row["host_authority"]) == ("review", doc.host)
            assert row["host_authority_name"] == archive.authorities[doc.host].name
            assert row["reviewing_authorities"].split(LIST_SEPARATOR) == (reviewing_authorities(doc) or [""])
            assert row["programme"] == (doc.programme or "")


def test_reviews_and_authorities_csv_match_the_records(any_archive) -> None:
    archive, files = any_archive
    reviews = read_csv(files[urls.data_file_url(REVIEWS_CSV)])
    assert [r["review_id"] for r in reviews] == sorted(archive.reviews, key=lambda i: (archive.reviews[i].date, i))
    for row in reviews:
        review = archive.reviews[row["review_id"]]
        assert (row["title"], row["host_authority"], row["date"], row["end_date"]) == (
            review.title, review.host, review.date, review.end_date or "")
        kinds = [f.kind for f in review.findings]
        assert int(row["recommendations"]) == kinds.count("recommendation")
        assert int(row["findings"]) == len(list(review_findings(review)))
        assert row["follow_up_dates"] == LIST_SEPARATOR.join(v.date for v in review.follow_ups)
        assert row["url"] == urls.absolute_url(SITE_URL, urls.review_url(review.id))
    authorities = read_csv(files[urls.data_file_url(AUTHORITIES_CSV)])
    assert [r["authority_id"] for r in authorities] == sorted(archive.authorities)
    graph = build_graph(archive)
    for row in authorities:
        authority = archive.authorities[row["authority_id"]]
        assert (row["name"], row["kind"], row["region"]) == (authority.name, authority.kind, authority.region or "")
        assert int(row["reviews_received"]) == len(graph.received.get(authority.id, []))
        assert row["members"] == LIST_SEPARATOR.join(authority.members)


def test_hostile_text_round_trips_and_never_becomes_a_formula(hostile) -> None:
    archive, files = hostile
    raw = findings_csv(files).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(raw, newline="")) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], "a cell a spreadsheet would run"
    assert "'" + FORMULA in cells and "''Already starts with an apostrophe" in cells
    rows = {r["finding_id"]: r for r in read_csv(findings_csv(files))
            if r["document_id"] == "nasty-2018"}
    assert rows["recommendation-1"]["text"] == FORMULA
    assert rows["area-2"]["text"] == MULTILINE
    assert rows["recommendation-1"]["number"] == "1.10"
    assert NASTY_NAME in rows["area-1"]["reviewing_authority_names"]
    data = json.loads(gzip.decompress(files[urls.data_file_url(ARCHIVE_JSON)]))
    review = next(r for r in data["reviews"] if r["id"] == "nasty-2018")
    assert review["title"] == archive.reviews["nasty-2018"].title


def test_findings_csv_is_published_zipped_as_every_unzipper_reads_it(any_archive, tmp_path) -> None:
    """One deflated file with its sizes and checksum in its header, dated 1 January 1980 (no
    clock: identical builds), readable by all once unpacked; no plain findings.csv beside it."""
    import shutil
    import subprocess

    _, files = any_archive
    assert urls.data_file_url(FINDINGS_CSV) not in files
    packed = files[urls.data_file_url(FINDINGS_ZIP)]
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert archive.testzip() is None
        [info] = archive.infolist()
        assert (info.filename, info.compress_type, info.date_time) == (FINDINGS_CSV, zipfile.ZIP_DEFLATED,
                                                                       (1980, 1, 1, 0, 0, 0))
        assert info.external_attr >> 16 == 0o100644
        # Written in pieces, each pointing back into the 32 kB before it: as small as in one piece.
        assert info.compress_size <= 1.03 * len(zlib.compress(archive.read(FINDINGS_CSV), 6)) + 100
    target = tmp_path / FINDINGS_ZIP
    target.write_bytes(packed)
    if shutil.which("unzip"):
        subprocess.run(["unzip", "-q", str(target), "-d", str(tmp_path / "out")], check=True)
        assert (tmp_path / "out" / FINDINGS_CSV).read_bytes() == findings_csv(files)


def test_csv_writer_rejects_a_row_of_the_wrong_width() -> None:
    with pytest.raises(ValueError):
        csv_bytes([C("a", ""), C("b", "")], [["only one"]])


# --- on the built site -------------------------------------------------------------------


def test_downloads_are_on_the_site_and_the_data_page_describes_them(tiny_site: Path) -> None:
    for file in data_files():
        assert (tiny_site / file.url).is_file(), file.url
    page = read_page(tiny_site / "data" / "index.html")
    here = page_url(tiny_site, tiny_site / "data" / "index.html")
    targets = set()
    for href in page.hrefs():
        resolved = resolve(tiny_site, here, href)
        if resolved:
            assert resolved[0].exists(), href
            targets.add(resolved[0].relative_to(tiny_site).as_posix())
    assert {f.url for f in data_files()} <= targets
    text = page.article_text
    for file in data_files():
        for column in file.columns:
            assert column.name in text, f"{file.name}: column {column.name} is not described"
    assert "Open Government Licence v3.0" in text and "RFC 4180" in text and "utf-8-sig" in text


def test_built_archive_json_matches_the_records(tiny_site: Path) -> None:
    archive = load_archive(TINY_RECORDS)
    with gzip.open(tiny_site / "data" / "archive.json.gz") as packed:
        data = json.load(packed)
    assert {r["id"] for r in data["reviews"]} == set(archive.reviews)
    # The site's own URL (mkdocs.yml's site_url) makes every page_url absolute and resolvable.
    base = data["site_url"].rstrip("/") + "/"
    for review in data["reviews"]:
        for finding in review["findings"]:
            path, _, anchor = finding["page_url"].removeprefix(base).partition("#")
            assert anchor in read_page(tiny_site / path / "index.html").ids


def test_archive_json_gz_is_one_gzip_member_gunzip_reads(any_archive, tmp_path) -> None:
    """Written a document at a time (serve compresses again only the documents that changed),
    it is still one ordinary gzip file."""
    import shutil
    import subprocess

    _, files = any_archive
    packed = tmp_path / "archive.json.gz"
    packed.write_bytes(files[urls.data_file_url(ARCHIVE_JSON)])
    assert zlib.decompressobj(31).decompress(packed.read_bytes()) == gzip.decompress(packed.read_bytes())
    assert len(packed.read_bytes()) <= 1.03 * len(gzip.compress(gzip.decompress(packed.read_bytes()))) + 100
    if shutil.which("gzip"):
        subprocess.run(["gzip", "-t", str(packed)], check=True)


def test_downloads_kept_in_pieces_give_the_clean_bytes(tmp_path, monkeypatch) -> None:
    """With a memo (serve), an edit recompresses one piece, and the file is the clean build's."""
    import shutil

    from peer_review_archive.outputs.memo import Memo
    from peer_review_archive.records.loading import RecordCache

    records = tmp_path / "reviews"
    shutil.copytree(ROOT / "reviews", records)
    memo, cache = Memo(), RecordCache()
    archive = load_archive(records, cache=cache)
    build_exports(archive, build_graph(archive), SITE_URL, memo)
    review = records / "thurrock-2016.yml"
    review.write_text(review.read_text().replace("\ntitle: ", "\ntitle: Edited. ", 1))
    archive = load_archive(records, cache=cache)
    from peer_review_archive.outputs import downloads

    deflated = []
    deflate = downloads._deflate
    monkeypatch.setattr(downloads, "_deflate", lambda data, window: deflated.append(data) or deflate(data, window))
    kept = build_exports(archive, build_graph(archive), SITE_URL, memo)
    documents = [data for data in deflated if data.lstrip(b",").startswith(b'{"id"')]
    # Compressed again: the edited review, and the reviews whose 32 kB window reaches back into it.
    assert b"Edited. " in documents[0] and len(documents) < len(archive.reviews)
    reached = 0
    for data in documents[1:-1]:  # each of them but the last starts within the window
        reached += len(data)
        assert reached < downloads.WINDOW
    # findings.csv.zip likewise, but the review's title is in none of its rows: no document's
    # rows (each starts with its first finding's key) were compressed again.
    assert not [data for data in deflated if re.match(rb"[a-z0-9-]+/[a-z0-9-]+,", data)]
    clean = build_exports(archive, build_graph(archive), SITE_URL)
    for name in (ARCHIVE_JSON, FINDINGS_ZIP):
        assert kept[urls.data_file_url(name)] == clean[urls.data_file_url(name)], name
