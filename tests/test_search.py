"""The search core (records and facets from the archive) and the Pagefind bundle it writes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from peer_review_archive.graph.indexes import Graph, build_graph
from peer_review_archive.graph.trails import STATUSES
from peer_review_archive.records import urls
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.records.vocabulary import asks_for_change
from peer_review_archive.search import stable
from peer_review_archive.search.indexer import FIRST_CHUNK_SIZE, QUICK_POLL, SLOW_POLL, link_patterns, write_index
from peer_review_archive.search.record import DISPLAY, hidden, unhidden
from peer_review_archive.search.records import FACETS, SearchRecord, facets, finding_records, page_records, shard
from support.builds import ROOT


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(load_archive(ROOT / "reviews"))


def test_one_record_per_finding_at_its_permalink(graph: Graph) -> None:
    records = list(finding_records(graph))
    assert len(records) == graph.counts.findings == len({r.url for r in records})
    assert {r.url for r in records} == {"/" + entry.url for entry in graph.findings.values()}
    dates = [r.sort["date"] for r in records]
    assert dates == sorted(dates, reverse=True), "newest first: the first shard is the newest"


def test_thurrock_recommendation_1_6(graph: Graph) -> None:
    url = "/" + urls.anchor_url(urls.review_url("thurrock-2016"), "recommendation-1-6")
    record = next(r for r in finding_records(graph) if r.url == url)
    # Its words as the content; what a reader searches for besides, as meta fields, once each.
    assert record.content.startswith("Develop a cross-service strategy to improve outcomes for vulnerable groups.")
    # The group heading: the source prints 1.1-1.6 under "1. Recommendation(s)".
    assert record.meta == {"title": "Recommendation 1.6", "heading": "Recommendation(s)", "authority": "Thurrock",
                           "document": "Thurrock School Improvement Peer Review",
                           "themes": '["Vulnerable groups", "Strategy and priorities"]'}
    # Shown, not searched for; links are made in the browser from the permalink and the ids.
    assert record.display == {"date": "28 June 2016", "kind": "Recommendation", "part": "Review"}
    patterns = link_patterns()
    assert patterns["host"].replace("{id}", record.filters["host"][0]) == urls.authority_url("thurrock")
    assert patterns["theme"].replace("{id}", "vulnerable-groups") == urls.theme_url("vulnerable-groups")
    assert record.filters == {
        "host": ["thurrock"], "reviewer": ["norfolk", "cambridgeshire", "bedford-borough"],
        "theme": ["vulnerable-groups", "strategy-and-priorities"], "kind": ["recommendation"],
        "year": ["2016"], "programme": ["eastern-region-peer-review"], "document": ["review"],
        "next": ["no-later-record"],
    }
    sent = record.pagefind_meta()
    assert json.loads(unhidden(sent.pop(DISPLAY))) == record.display and sent == record.meta


def test_what_happened_next_counts_the_findings_that_ask_for_change(graph: Graph) -> None:
    found = {v.value: v for v in next(f for f in facets(graph) if f.key == "next").values}
    asking = [e for e in graph.findings.values() if asks_for_change(e.finding.kind)]
    assert sum(v.count for v in found.values()) == len(asking) == len(graph.trails)
    assert found["council-action"].label == "Council action reported"
    thurrock = [graph.trails[("thurrock-2016", f"recommendation-1-{i}")].status for i in range(1, 7)]
    assert thurrock == ["council-action", "no-later-record", "council-action", "council-action",
                        "no-later-record", "no-later-record"]
    assert list(found) == [s for s in STATUSES if s in found]  # in the vocabulary's order


def test_facets_count_every_finding(graph: Graph) -> None:
    found = {facet.key: facet for facet in facets(graph)}
    assert list(found) == [key for key, _ in FACETS]
    assert sum(v.count for v in found["host"].values) == graph.counts.findings
    assert sum(v.count for v in found["kind"].values) == graph.counts.findings
    # Every finding has one kind of document, in reading order, context papers last.
    documents = found["document"].values
    assert sum(v.count for v in documents) == graph.counts.findings
    assert [v.value for v in documents] == [k for k in ("review", "follow-up", "response", "context")
                                            if k in {v.value for v in documents}]
    assert found["document"].label == "Kind of document"
    themes = {v.value: v.count for v in found["theme"].values}
    assert themes == {t: len(entries) for t, entries in graph.findings_by_theme.items()}
    assert [v.label for v in found["host"].values] == sorted(v.label for v in found["host"].values)


def test_page_records_describe_record_pages_not_their_findings(graph: Graph) -> None:
    pages = {r.url: r for r in page_records(graph)}
    assert "/authorities/thurrock/" in pages and "/themes/vulnerable-groups/" in pages
    review = pages["/reviews/thurrock-2016/"]
    assert review.meta == {"title": "Thurrock School Improvement Peer Review", "type": "Review"}
    assert "Develop a cross-service strategy" not in review.content


def test_shards_are_newest_first_and_small_first() -> None:
    records = [SearchRecord(f"/r/#{i}", "", {}, {}, {}) for i in range(9500)]
    assert [len(s) for s in shard(records)] == [1000, 4000, 4000, 500]
    assert next(shard(records))[0].url == "/r/#0"
    assert [len(s) for s in shard(records[:5000])] == [1000, 4000]
    assert [len(s) for s in shard([])] == [0]


@pytest.fixture(scope="module")
def written(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> list[dict[Path, bytes]]:
    """The index of the real records written twice, in shards of 100: each run's files."""
    outputs = []
    for run in ("one", "two"):
        site = tmp_path_factory.mktemp(run)
        (site / "about").mkdir(parents=True)
        (site / "about" / "index.html").write_text("<html lang='en'><body><h1>About</h1></body></html>")
        report = write_index(site, finding_records(graph), page_records(graph), shard_sizes=(100, 100))
        assert report.findings == graph.counts.findings and report.pages == len(page_records(graph)) + 1
        outputs.append({p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()})
    return outputs


def test_written_index_layout_and_byte_identical_rebuilds(graph: Graph, written: list[dict[Path, bytes]]) -> None:
    one, two = written
    assert one == two, "Pagefind's output must not change between builds of the same records"
    manifest = json.loads(one[Path("pagefind/archive-search.json")])
    assert manifest["pages"] == ["pages/0/"] and manifest["findings"][0] == "findings/0/"
    assert manifest["links"] == link_patterns()
    assert sum(manifest["counts"]) == graph.counts.findings
    names = {p.as_posix() for p in one}
    assert "pagefind/pagefind.js" in names and "pagefind/findings/0/wasm.en.pagefind" in names
    assert sum(n.endswith(".pagefind") or n.endswith("/pagefind.js") for n in names) == 2, "one engine, one URL"
    assert not any("pagefind-ui" in n for n in names)


def _fragment_urls(files: dict[Path, bytes], bundle: str) -> list[str]:
    """The URL of each record `bundle` holds (Pagefind writes one fragment per record)."""
    found = []
    for path, data in files.items():
        if path.parent == Path("pagefind", bundle, "fragment"):
            raw = gzip.decompress(data)
            assert raw.startswith(stable.SIGNATURE)
            found.append(json.loads(raw[len(stable.SIGNATURE):])["url"])
    return sorted(found)


def test_page_records_are_indexed_in_bundles_the_last_with_the_built_pages(graph: Graph, tmp_path: Path) -> None:
    """Pagefind's memory grows with a bundle's words (370 MB for the page records of 4,000
    reviews): the page records go in bundles of `page_shard`, all but the last indexed while
    the pages build; the last takes the pages read as HTML too, once they are built."""
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text("<html lang='en'><body><h1>About</h1></body></html>")
    pages = page_records(graph)
    assert len(pages) > 20
    write_index(tmp_path, finding_records(graph), pages, shard_sizes=(100, 100), page_shard=10)
    files = {p.relative_to(tmp_path): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    manifest = json.loads(files[Path("pagefind/archive-search.json")])
    sizes = [10] * (len(pages) // 10) + ([len(pages) % 10] if len(pages) % 10 else [])
    assert manifest["pages"] == [f"pages/{n}/" for n in range(len(sizes))]
    held = [_fragment_urls(files, folder.rstrip("/")) for folder in manifest["pages"]]
    assert [len(urls) for urls in held[:-1]] == sizes[:-1] and len(held[-1]) == sizes[-1] + 1
    assert "/about/" in held[-1], "the pages read as HTML go in the last bundle"
    assert sorted(url for urls in held for url in urls) == sorted([*(r.url for r in pages), "/about/"]), "each once"


def _chunk_locations(files: dict[Path, bytes], bundle: str) -> list[list[int]]:
    """Each index chunk of `bundle`: the word locations Pagefind counted per word, in order."""
    chunks = []
    for path, data in files.items():
        if path.parent == Path("pagefind", bundle, "index"):
            (words,) = stable.read(data, path.name)
            chunks.append([sum(len(locs) + len(meta_locs) + 1 for _, locs, meta_locs in pages)
                           for _, pages, _ in words])
    return chunks


def test_the_first_bundle_is_cut_in_small_index_chunks(written: list[dict[Path, bytes]]) -> None:
    """Every search starts on findings/0/ and fetches one chunk per word: Pagefind closes a
    chunk there once it holds FIRST_CHUNK_SIZE word locations, elsewhere at its own 20,000."""
    first, other = _chunk_locations(written[0], "findings/0"), _chunk_locations(written[0], "findings/1")
    assert len(first) > len(other) >= 1
    for chunks, limit in ((first, FIRST_CHUNK_SIZE), (other, 20_000)):
        assert all(sum(words[:-1]) < limit for words in chunks), "a chunk went on past its size"
    assert max(sum(words) for words in first) < 20_000 / 2


def test_pagefind_js_waits_for_its_engine_in_short_polls(written: list[dict[Path, bytes]]) -> None:
    """pagefind.js polls for its engine; shipped, it polls every 4 ms, not 50 (the pinned
    Pagefind's two polls: if this fails after an upgrade, see indexer.engine_script)."""
    script = written[0][Path("pagefind/pagefind.js")]
    assert SLOW_POLL not in script and script.count(QUICK_POLL) == 2


def test_a_finding_a_lead_in_introduces_carries_its_sentence_to_the_explorer(graph: Graph) -> None:
    """East Sussex's follow-up: 'Noticeable improvements have taken place in:' introduces its
    progress list; the explorer prints that sentence above each item's words."""
    records = {r.url: r for r in finding_records(graph)}
    first = records["/reviews/east-sussex-2012/#progress-1"]
    assert first.display["lead_in"] == "… Noticeable improvements have taken place in:"
    assert records["/reviews/east-sussex-2012/#progress-2"].display["lead_in"] == first.display["lead_in"]
    assert "lead_in" not in records["/reviews/thurrock-2016/#recommendation-1-6"].display


def _indexed_words(files: dict[Path, bytes], bundle: str) -> dict[str, tuple[int, int]]:
    """Every word of `bundle`'s index: its locations in content and in meta fields."""
    found: dict[str, tuple[int, int]] = {}
    for path, data in files.items():
        if path.parent == Path("pagefind", bundle, "index"):
            (words,) = stable.read(data, path.name)
            for word, pages, _ in words:
                found[word] = (sum(len(locs) for _, locs, _ in pages), sum(len(m) for _, _, m in pages))
    return found


def test_a_finding_is_found_by_its_words_and_names_never_by_its_links_keys_or_json(
        graph: Graph, written: list[dict[Path, bytes]]) -> None:
    """Product rule: a reader finds a finding by its words, label, heading, authority, theme
    names and document title; URLs, keys, ids and JSON are carried for the results, not
    searchable. Read from the index Pagefind wrote, all finding bundles."""
    bundles = sorted({p.parent.parent.relative_to("pagefind").as_posix() for p in written[0]
                      if p.parent.name == "index" and p.parts[1] == "findings"})
    words: dict[str, tuple[int, int]] = {}
    for bundle in bundles:
        for word, (content, meta) in _indexed_words(written[0], bundle).items():
            before = words.get(word, (0, 0))
            words[word] = (before[0] + content, before[1] + meta)
    # an authority's name, a theme's name, a label, a document title's word: searchable
    for word in ("thurrock", "vulner", "recommend", "improv"):
        assert word in words, word
    assert words["thurrock"][1] > 0 and words["vulner"][1] > 0  # the authority and theme meta fields
    # never: URL parts, keys, ids and JSON (themes/..., authorities/..., reviews/...#...)
    for token in ("authorities", "themes", "reviews", "thurrock2016", "recommendation16", "http",
                  "authority_url", "theme_urls", "document_url", "vulnerablegroups"):
        assert token not in words, token
    # a date is shown, not searched for: "June" is only in findings' own words, never in meta
    assert words.get("june", (0, 0))[1] == 0


def test_hidden_display_data_has_no_letters_or_digits() -> None:
    text = hidden(json.dumps({"key": "thurrock-2016/recommendation-1-6", "date": "28 June 2016"}))
    assert not any(c.isalnum() or c.isspace() for c in text)
    assert json.loads(unhidden(text))["date"] == "28 June 2016"
    with pytest.raises(ValueError):
        hidden("café")
