"""The pictures: well-formed SVG, escaped text, links that resolve, readable at national scale.

How they look was checked by eye in Chromium (see the README section on the data pages);
here: structure, content, links, contrast of every heat colour, and size at scale.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from peer_review_archive.graph.indexes import build_graph
from peer_review_archive.graph.network import build_network
from peer_review_archive.outputs.pictures import (
    HEAT_DARK,
    HEAT_LIGHT,
    PROGRAMME_COLOURS,
    contrast,
    network_matrix,
    review_timeline,
    text_on,
    theme_counts,
    theme_matrix,
)
from peer_review_archive.records import urls
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.site.extras import visit_span
from support.builds import ROOT, TINY_RECORDS
from support.hostile import NASTY_NAME, hostile_records
from support.pages import page_url, read_page, resolve

from benchmarks.generate import generate_archive

S = "{http://www.w3.org/2000/svg}"


def pictures_of(records: Path) -> dict[str, str]:
    archive = load_archive(records)
    graph = build_graph(archive)
    link = lambda url: "/" + url  # noqa: E731 - site paths, to check against the records
    return {
        "network": network_matrix(build_network(archive, graph), archive, link),
        "themes": theme_matrix(archive, theme_counts(archive, graph), link),
        "timeline": review_timeline(archive, link),
    }


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == S + "svg"
    return root


def hrefs(root: ET.Element) -> list[str]:
    return [a.get("href") or "" for a in root.iter(S + "a")]


@pytest.fixture(scope="module", params=["real", "tiny", "hostile"])
def any_pictures(request, tmp_path_factory):
    records = {"real": ROOT / "reviews", "tiny": TINY_RECORDS}.get(request.param)
    records = records or hostile_records(tmp_path_factory.mktemp("pictures"))
    return load_archive(records), pictures_of(records)


def test_pictures_are_well_formed_and_described(any_pictures) -> None:
    _, pictures = any_pictures
    for key, svg in pictures.items():
        root = parse(svg)
        title, desc = root.find(S + "title"), root.find(S + "desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby") == title.get("id")
        assert root.get("aria-describedby") == desc.get("id")
        assert root.get("role") == "group", "links inside stay reachable (role=img would hide them)"
        width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
        assert (float(root.get("width")), float(root.get("height"))) == (width, height)
        for element in root.iter():
            for name in ("x", "y", "width", "height"):
                if element.get(name) is not None:
                    assert float(element.get(name)) <= max(width, height), (key, element.tag, name)


def test_every_link_goes_to_a_page_of_the_archive(any_pictures) -> None:
    archive, pictures = any_pictures
    pages = {"/" + urls.authority_url(a) for a in archive.authorities}
    pages |= {"/" + urls.review_url(r) for r in archive.reviews}
    pages |= {"/" + urls.theme_url(t) for t in archive.themes}
    pages |= {"/" + urls.reviews_year_url(r.date[:4]) for r in archive.reviews.values()}
    for key, svg in pictures.items():
        for href in hrefs(parse(svg)):
            assert href.split("#")[0] in pages, (key, href)


def test_hidden_links_stay_out_of_the_tab_order(any_pictures) -> None:
    _, pictures = any_pictures
    for svg in pictures.values():
        root = parse(svg)
        for group in root.iter(S + "g"):
            if group.get("aria-hidden") == "true":
                assert all(a.get("tabindex") == "-1" for a in group.iter(S + "a"))
        shown = [a for a in root.iter(S + "a") if a.get("tabindex") != "-1"]
        assert all("".join(a.itertext()).strip() for a in shown), "every focusable link has a name"


def test_network_shows_every_pair_and_labels_every_authority() -> None:
    archive = load_archive(ROOT / "reviews")
    network = build_network(archive, build_graph(archive))
    root = parse(pictures_of(ROOT / "reviews")["network"])
    cells = next(g for g in root.iter(S + "g") if g.get("class") == "cells")
    # A cell per pair, drawn, not linked (the picture would grow with the pairs' links).
    assert len(cells.findall(S + "rect")) == len(network.pairs) and not cells.findall(S + "a")
    several = sorted(str(len(p.visits)) for p in network.pairs.values() if len(p.visits) > 1)
    assert sorted(t.text or "" for t in cells.findall(S + "text")) == several
    labels = [a for a in root.iter(S + "a") if a.get("tabindex") != "-1"]
    targets = [a.get("href") for a in labels]
    for authority_id in network.authorities:
        assert targets.count("/" + urls.authority_url(authority_id)) == 2, "a row and a column label"
    # East Sussex was visited twice by Kent: the review and the follow-up.
    assert network.pairs[("east-sussex", "kent")].reviews == 1
    assert len(network.pairs[("east-sussex", "kent")].visits) == 2
    assert visit_span(network.pairs[("east-sussex", "kent")].visits) == "2 visits, 2012 to 2013"  # however many


def test_theme_matrix_counts_match_the_graph() -> None:
    archive = load_archive(ROOT / "reviews")
    graph = build_graph(archive)
    columns = theme_counts(archive, graph).columns
    root = parse(pictures_of(ROOT / "reviews")["themes"])
    rows = {(row.find(S + "title").text or ""): [t.text for t in row.iter(S + "text")]
            for row in root.iter(S + "g") if row.find(S + "title") is not None}
    for authority_id, counts in graph.themes_by_authority.items():
        name = archive.authorities[authority_id].name
        # A row's tooltip names its authority; its cells count each theme, in column order.
        assert rows[name] == [str(counts[t]) for t in columns if counts.get(t)], name


def test_timeline_has_a_block_per_review_and_a_row_per_year() -> None:
    """While years are short (the real archive), each review is a named block linking to it,
    and each year with reviews links to its page."""
    archive = load_archive(ROOT / "reviews")
    root = parse(pictures_of(ROOT / "reviews")["timeline"])
    years_with = {r.date[:4] for r in archive.reviews.values()}
    assert sorted(hrefs(root)) == sorted([*("/" + urls.review_url(r) for r in archive.reviews),
                                          *("/" + urls.reviews_year_url(y) for y in years_with)])
    years = [t.text for t in root.iter(S + "text") if t.text and re.fullmatch(r"\d{4}", t.text)]
    first, last = min(years_with), max(years_with)
    assert years == [str(y) for y in range(int(first), int(last) + 1)], "every year, even one with no review"


def test_a_busy_timeline_draws_a_bar_per_year_not_a_block_per_review(tmp_path: Path) -> None:
    """More reviews than fit in a year: the picture counts them (bounded by years and
    programmes) and links only to the year pages, which name the reviews."""
    records = generate_archive(tmp_path / "reviews", authorities=12, reviews=120, findings=600).records
    archive = load_archive(records)
    root = parse(pictures_of(records)["timeline"])
    years_with = {r.date[:4] for r in archive.reviews.values()}
    assert max(sum(r.date[:4] == y for r in archive.reviews.values()) for y in years_with) > 6
    assert sorted(hrefs(root)) == sorted("/" + urls.reviews_year_url(y) for y in years_with)
    assert len(list(root.iter(S + "rect"))) <= len(years_with) * (len(archive.programmes) + 1) + 2


def test_record_text_is_escaped(tmp_path: Path) -> None:
    pictures = pictures_of(hostile_records(tmp_path))
    for svg in pictures.values():
        assert "<script" not in svg and "<b>" not in svg and "\x07" not in svg
    root = parse(pictures["network"])
    assert NASTY_NAME in {t.text for t in root.iter(S + "title")}, "the full name, on hover"
    assert NASTY_NAME[:20] in "".join(t.text or "" for t in root.iter(S + "text"))


def test_every_cell_colour_has_readable_text() -> None:
    for fill in (*HEAT_LIGHT, *HEAT_DARK, *PROGRAMME_COLOURS):
        assert contrast(fill, text_on(fill)) >= 4.5, fill


def test_pictures_are_deterministic() -> None:
    assert pictures_of(ROOT / "reviews") == pictures_of(ROOT / "reviews")


# --- on the built site -------------------------------------------------------------------


def test_pictures_are_on_their_pages_with_links_that_resolve(tiny_site: Path) -> None:
    for url, key in (("network/", "network"), ("themes/", "themes"), ("reviews/", "timeline")):
        path = tiny_site / url / "index.html"
        html = path.read_text(encoding="utf-8")
        match = re.search(rf'<svg xmlns="http://www.w3.org/2000/svg" class="pra-chart pra-chart--{key}".*?</svg>',
                          html, re.S)
        assert match, f"{url}: no {key} picture"
        root = parse(match.group(0))
        here = page_url(tiny_site, path)
        for href in hrefs(root):
            target, anchor = resolve(tiny_site, here, href)
            assert target.is_file(), f"{url}: {href}"
            if anchor:
                assert anchor in read_page(target).ids, f"{url}: {href}"


def test_network_table_says_what_the_picture_shows(tiny_site: Path) -> None:
    """The table has a page of its own, one row per authority, each pair's visits in words
    of fixed length (a year, or a count and a span); the picture links only its names."""
    archive = load_archive(TINY_RECORDS)
    network = build_network(archive, build_graph(archive))
    page = read_page(tiny_site / "network" / "table" / "index.html")
    rows = [e for e in page.find("tr", in_article=True)][1:]
    assert len(rows) == len(network.authorities)
    for row, authority_id in zip(rows, network.authorities, strict=True):
        reviewed_by, _ = network.peers_of(authority_id)
        for pair in reviewed_by:
            name = archive.authorities[pair.peer].name
            assert re.search(re.escape(name) + r" \((\d{4} (review|follow-up)|\d+ visits, \d{4}( to \d{4})?)\)",
                             " ".join(row.text.split())), row.text
    assert "../network/table/" in read_page(tiny_site / "network" / "index.html").hrefs()
    assert not read_page(tiny_site / "network" / "index.html").find("table", in_article=True)
    root = parse(pictures_of(TINY_RECORDS)["network"])
    assert sorted(hrefs(root)) == sorted(2 * ["/" + urls.authority_url(a) for a in network.authorities])


def test_authority_page_shows_its_peers(tiny_site: Path) -> None:
    page = read_page(tiny_site / "authorities" / "thurrock" / "index.html")
    assert "peers" in page.ids
    text = page.article_text
    assert "Reviewed by Cambridgeshire (2016); Norfolk (2016, 2017 follow-up) Reviewed No other" in text
    norfolk = read_page(tiny_site / "authorities" / "norfolk" / "index.html").article_text
    assert "Thurrock (2016, 2017 follow-up)" in norfolk


# --- national scale ----------------------------------------------------------------------


def _generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (ROOT / "benchmarks" / "generate.py").exists(), reason="no archive generator")
def test_pictures_stay_readable_and_small_at_national_scale(tmp_path: Path) -> None:
    records = tmp_path / "reviews"
    _generator().generate_archive(records)
    archive = load_archive(records)
    graph = build_graph(archive)
    start = time.perf_counter()
    network = build_network(archive, graph)
    pictures = {
        "network": network_matrix(network, archive, lambda u: u),
        "themes": theme_matrix(archive, theme_counts(archive, graph), lambda u: u),
        "timeline": review_timeline(archive, lambda u: u),
    }
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"pictures took {elapsed:.1f}s"
    limits = {"network": 700_000, "themes": 600_000, "timeline": 300_000}
    for key, svg in pictures.items():
        assert len(svg.encode()) < limits[key], f"{key}: {len(svg.encode())} bytes"
        root = parse(svg)
        font = 12
        cell = min((float(r.get("height")) for r in root.iter(S + "rect")
                    if (r.get("class") or "").startswith("h")), default=font)
        assert cell >= 10, f"{key}: cells of {cell}px are too small to point at"
    root = parse(pictures["network"])
    width = float(root.get("width"))
    assert width < 150 * 14 + 700, "one narrow column per authority, not a hairball"
    shown_rows = {a.get("href") for a in root.iter(S + "a") if a.get("tabindex") != "-1"}
    assert len(shown_rows) == len(network.authorities) <= 150
