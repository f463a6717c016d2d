"""Atom feeds: valid Atom 1.0 (RFC 4287), the right entries in each, escaped, announced by pages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from peer_review_archive.graph.indexes import build_graph, reviewing_authorities
from peer_review_archive.outputs.feeds import MAX_ENTRIES, atom_time, build_feeds
from peer_review_archive.records import urls
from peer_review_archive.records.assembly import load_archive
from support.builds import ROOT, TINY_RECORDS
from support.hostile import NASTY_NAME, hostile_records
from support.pages import html_files, page_url, read_page, resolve

A = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://archive.example.org/pra/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feeds_of(records: Path) -> tuple[object, dict[str, bytes]]:
    archive = load_archive(records)
    return archive, build_feeds(archive, build_graph(archive), SITE_URL, "Peer Review Archive")


@pytest.fixture(scope="module", params=["real", "tiny", "hostile"])
def any_feeds(request, tmp_path_factory):
    records = {"real": ROOT / "reviews", "tiny": TINY_RECORDS}.get(request.param)
    return feeds_of(records or hostile_records(tmp_path_factory.mktemp("feeds")))


def _one(parent: ET.Element, tag: str) -> ET.Element:
    found = parent.findall(A + tag)
    assert len(found) == 1, f"exactly one atom:{tag} expected, found {len(found)}"
    return found[0]


def _absolute(iri: str) -> bool:
    parts = urlsplit(iri)
    return parts.scheme in ("http", "https", "tag") and bool(parts.netloc or parts.scheme == "tag")


def assert_valid_atom(content: bytes, self_url: str) -> ET.Element:
    """The RFC 4287 rules a feed must meet (section 4.1.1 and 4.1.2), checked one by one."""
    assert content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    feed = ET.fromstring(content)
    assert feed.tag == A + "feed"
    for tag in ("id", "title", "updated"):
        _one(feed, tag)
    assert _absolute(_one(feed, "id").text or "")
    assert RFC3339.match(_one(feed, "updated").text or "")
    assert feed.findall(A + "author"), "a feed-level author covers every entry"
    assert all(a.find(A + "name") is not None for a in feed.findall(A + "author"))
    links = feed.findall(A + "link")
    assert [link.get("href") for link in links if link.get("rel") == "self"] == [self_url]
    alternates = [(link.get("type"), link.get("hreflang")) for link in links
                  if link.get("rel", "alternate") == "alternate"]
    assert len(alternates) == len(set(alternates)), "at most one alternate link per type and language"
    for text in feed.iter():
        if text.get("type") is not None and text.tag in (A + "title", A + "subtitle", A + "summary", A + "rights"):
            assert text.get("type") in ("text", "html", "xhtml")
    seen = set()
    previous = None
    for entry in feed.findall(A + "entry"):
        for tag in ("id", "title", "updated"):
            _one(entry, tag)
        entry_id = _one(entry, "id").text or ""
        assert _absolute(entry_id) and entry_id not in seen
        seen.add(entry_id)
        updated = _one(entry, "updated").text or ""
        assert RFC3339.match(updated)
        assert updated <= (_one(feed, "updated").text or "")
        assert previous is None or updated <= previous, "newest first"
        previous = updated
        alternate = [link for link in entry.findall(A + "link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternate) == 1 and _absolute(alternate[0].get("href") or "")
        assert entry.find(A + "content") is None and entry.find(A + "summary") is not None
        for category in entry.findall(A + "category"):
            assert category.get("term")
    return feed


def test_every_feed_is_valid_atom(any_feeds) -> None:
    _, feeds = any_feeds
    for path, content in feeds.items():
        assert_valid_atom(content, urls.absolute_url(SITE_URL, path))


def test_one_feed_for_the_archive_each_authority_and_each_theme(any_feeds) -> None:
    archive, feeds = any_feeds
    expected = {urls.FEED_URL}
    expected |= {urls.authority_feed_url(a) for a in archive.authorities}
    expected |= {urls.theme_feed_url(t) for t in archive.themes}
    assert set(feeds) == expected


def _entries(content: bytes) -> list[tuple[str, str]]:
    feed = ET.fromstring(content)
    return [(e.find(A + "id").text or "", e.find(A + "updated").text or "") for e in feed.findall(A + "entry")]


def test_archive_feed_has_every_review_follow_up_and_response_by_date(any_feeds) -> None:
    archive, feeds = any_feeds
    expected = []
    for review in archive.reviews.values():
        page = urls.review_url(review.id)
        expected.append((urls.absolute_url(SITE_URL, page), atom_time(review.date)))
        for part in [*review.follow_ups, *review.responses]:
            expected.append((urls.absolute_url(SITE_URL, urls.anchor_url(page, part.id)), atom_time(part.date)))
    entries = _entries(feeds[urls.FEED_URL])
    assert len(entries) == min(len(expected), MAX_ENTRIES)
    assert set(entries) <= set(expected)
    newest = sorted(expected, key=lambda e: e[1], reverse=True)[:MAX_ENTRIES]
    assert sorted(u for _, u in entries) == sorted(u for _, u in newest)


def test_authority_feed_has_what_it_hosted_and_took_part_in() -> None:
    archive, feeds = feeds_of(TINY_RECORDS)
    for authority_id in archive.authorities:
        got = {url for url, _ in _entries(feeds[urls.authority_feed_url(authority_id)])}
        want = set()
        for review in archive.reviews.values():
            page = urls.review_url(review.id)
            if authority_id == review.host or authority_id in reviewing_authorities(review):
                want.add(urls.absolute_url(SITE_URL, page))
            for visit in review.follow_ups:
                if authority_id == review.host or authority_id in {p.authority for p in visit.visitors}:
                    want.add(urls.absolute_url(SITE_URL, urls.anchor_url(page, visit.id)))
            if authority_id == review.host:
                want |= {urls.absolute_url(SITE_URL, urls.anchor_url(page, r.id)) for r in review.responses}
        assert got == want, authority_id
    norfolk = ET.fromstring(feeds[urls.authority_feed_url("norfolk")])
    assert "Norfolk" in (_one(norfolk, "title").text or "")
    assert [link.get("href") for link in norfolk.findall(A + "link") if link.get("rel") == "alternate"] == [
        urls.absolute_url(SITE_URL, urls.authority_url("norfolk"))]


def test_theme_feed_has_the_entries_with_findings_on_it() -> None:
    archive, feeds = feeds_of(TINY_RECORDS)
    for theme_id in archive.themes:
        feed = ET.fromstring(feeds[urls.theme_feed_url(theme_id)])
        for entry in feed.findall(A + "entry"):
            terms = {c.get("term") for c in entry.findall(A + "category")}
            assert f"theme:{theme_id}" in terms
    use_of_data = {u for u, _ in _entries(feeds[urls.theme_feed_url("use-of-data")])}
    assert urls.absolute_url(SITE_URL, urls.review_url("thurrock-2016")) in use_of_data


def test_feeds_keep_the_latest_entries_only(tmp_path: Path) -> None:
    records = hostile_records(tmp_path)
    text = (records / "nasty-2018.yml").read_text(encoding="utf-8")
    for year in range(1990, 1990 + MAX_ENTRIES + 5):
        (records / f"extra-{year}.yml").write_text(
            text.replace("nasty-2018", f"extra-{year}").replace('"2018-02"', f'"{year}"'), encoding="utf-8")
    archive, feeds = feeds_of(records)
    entries = _entries(feeds[urls.FEED_URL])
    assert len(entries) == MAX_ENTRIES
    assert entries[0][1].startswith("2018-02"), "the newest is kept"
    assert len(_entries(feeds[urls.authority_feed_url("nasty-borough")])) == MAX_ENTRIES


def test_record_text_is_escaped_never_markup(tmp_path: Path) -> None:
    archive, feeds = feeds_of(hostile_records(tmp_path))
    feed = assert_valid_atom(feeds[urls.FEED_URL], urls.absolute_url(SITE_URL, urls.FEED_URL))
    entry = next(e for e in feed.findall(A + "entry") if "nasty-2018" in (e.find(A + "id").text or ""))
    assert entry.find(A + "title").text == archive.reviews["nasty-2018"].title
    assert list(entry.find(A + "title")) == [], "no child elements: the title is text"
    labels = {c.get("label") for c in entry.findall(A + "category")}
    assert NASTY_NAME in labels
    for content in feeds.values():
        assert b"<script" not in content and b"\x07" not in content


def test_feeds_are_deterministic() -> None:
    assert feeds_of(ROOT / "reviews")[1] == feeds_of(ROOT / "reviews")[1]


def test_feeds_need_an_absolute_site_url() -> None:
    archive = load_archive(TINY_RECORDS)
    with pytest.raises(ValueError):
        build_feeds(archive, build_graph(archive), "/relative/", "x")


# --- on the built site -------------------------------------------------------------------


def _feed_links(page_path: Path) -> list[dict[str, str]]:
    page = read_page(page_path)
    return [e.attrs for e in page.find("link", in_article=False)
            if e.attrs.get("rel") == "alternate" and e.attrs.get("type") == "application/atom+xml"]


def test_pages_announce_their_feeds_and_the_feeds_exist(tiny_site: Path) -> None:
    for path in html_files(tiny_site):
        if path.name == "404.html":
            continue
        here = page_url(tiny_site, path)
        links = _feed_links(path)
        assert links, f"{here}: no feed autodiscovery link"
        for link in links:
            target, _ = resolve(tiny_site, here, link["href"])
            assert target.is_file(), f"{here}: {link['href']}"
            assert link["title"]
        own = {urls.authority_url(a): urls.authority_feed_url(a) for a in ("norfolk", "thurrock")}
        own |= {urls.theme_url("use-of-data"): urls.theme_feed_url("use-of-data")}
        if here in own:
            first, _ = resolve(tiny_site, here, links[0]["href"])
            assert first == tiny_site / own[here], "a page's own feed comes first"
        assert resolve(tiny_site, here, links[-1]["href"])[0] == tiny_site / urls.FEED_URL


def test_built_feeds_are_valid(tiny_site: Path) -> None:
    feeds = [p for p in tiny_site.rglob("feed.xml")]
    assert tiny_site / "feed.xml" in feeds and len(feeds) > 3
    for path in feeds:
        feed = ET.fromstring(path.read_bytes())
        self_url = next(link.get("href") for link in feed.findall(A + "link") if link.get("rel") == "self")
        assert self_url.endswith("/" + path.relative_to(tiny_site).as_posix())
        assert_valid_atom(path.read_bytes(), self_url)
