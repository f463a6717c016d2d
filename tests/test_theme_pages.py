"""A theme's pages at more than one page of findings (a real build of a generated archive):
the theme page summarises and links to its static findings pages and to the explorer, and
those pages together list every finding on the theme exactly once, in the graph's order."""

from __future__ import annotations

from pathlib import Path

import pytest
from peer_review_archive.graph.indexes import build_graph
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.records.text import first_sentence, plain
from peer_review_archive.site.paging import page_count, page_items
from peer_review_archive.site.views.theme import OFFERS_SHOWN
from support.builds import build_generated
from support.pages import read_page, resolve


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A site whose busiest theme takes more than one page of findings."""
    return build_generated(tmp_path_factory.mktemp("paged"), authorities=12, reviews=50, findings=2500)


def listed_findings(site: Path, url: str) -> list[str]:
    """The permalinks a findings page lists (links into a review or context document with
    an anchor), in order, as site URLs."""
    found = []
    for href in read_page(site / url / "index.html").hrefs():
        resolved = resolve(site, url, href)
        if resolved and resolved[1]:
            target = resolved[0].parent.relative_to(site).as_posix()
            if target.split("/")[0] in ("reviews", "context"):
                found.append(f"{target}/#{resolved[1]}")
    return found


def test_findings_pages_list_every_finding_of_a_theme_exactly_once(paged: tuple[Path, Path]) -> None:
    records, site = paged
    graph = build_graph(load_archive(records))
    theme, entries = max(graph.findings_by_theme.items(), key=lambda item: len(item[1]))
    pages = page_count(len(entries))
    assert pages > 1, "the archive must be big enough to page a theme"
    listed: list[str] = []
    for number in range(1, pages + 1):
        url = f"themes/{theme}/findings/" + (f"{number}/" if number > 1 else "")
        on_page = listed_findings(site, url)
        # The graph's order page by page (within a document, praised then told to improve).
        assert set(on_page) == {e.url for e in page_items(entries, number)}, url
        listed += on_page
    assert len(listed) == len(set(listed)) == len(entries)  # each exactly once
    assert not (site / f"themes/{theme}/findings/{pages + 1}").exists()


def test_findings_pages_quote_each_first_sentence_and_link_to_the_words(paged: tuple[Path, Path]) -> None:
    """A findings page is a list to scan: each finding by its first sentence, its label
    linking to its permalink, where its document prints its words in full."""
    records, site = paged
    graph = build_graph(load_archive(records))
    by_url = {e.url: e for e in graph.findings_by_theme["use-of-data"]}
    url = "themes/use-of-data/findings/"
    listing = read_page(site / url / "index.html")
    extracts = [e.text for e in listing.find("p", in_article=True, class_="pra-finding__text pra-finding__extract")]
    permalinks = listed_findings(site, url)
    assert len(extracts) == len(permalinks) > 0
    assert extracts == [first_sentence(by_url[p].finding.text) for p in permalinks]
    cut = [p for p, text in zip(permalinks, extracts, strict=True) if text.endswith("…")]
    assert cut, "the generated words have findings of more than one sentence"
    for permalink in cut[:5]:  # the whole words are one click away, at the permalink
        document, anchor = permalink.split("/#")
        target = read_page(site / document / "index.html")
        assert anchor in target.ids
        assert " ".join(plain(by_url[permalink].finding.text).split()) in " ".join(target.article_text.split())


def test_findings_pages_link_to_each_other(paged: tuple[Path, Path]) -> None:
    _, site = paged
    first = read_page(site / "themes/use-of-data/findings/index.html")
    nexts = [e.attrs["href"] for e in first.find("a", in_article=True, rel="next")]
    assert nexts and resolve(site, "themes/use-of-data/findings/", nexts[0])[0] == \
        site / "themes/use-of-data/findings/2/index.html"
    second = read_page(site / "themes/use-of-data/findings/2/index.html")
    previous = [e.attrs["href"] for e in second.find("a", in_article=True, rel="prev")]
    assert previous and resolve(site, "themes/use-of-data/findings/2/", previous[0])[0] == \
        site / "themes/use-of-data/findings/index.html"


def test_the_theme_page_summarises_and_links_to_its_findings_and_the_explorer(paged: tuple[Path, Path]) -> None:
    records, site = paged
    graph = build_graph(load_archive(records))
    entries = graph.findings_by_theme["use-of-data"]
    summary = read_page(site / "themes/use-of-data/index.html")
    hrefs = summary.hrefs()
    assert "../../recommendations/?theme=use-of-data" in hrefs
    assert "../../themes/use-of-data/findings/" in hrefs
    # It quotes only the newest findings, not all of them.
    assert 0 < len(summary.find("p", in_article=True, class_="pra-finding__head")) <= 20 < len(entries)
    assert f"{len(entries)} findings on this theme" in summary.article_text
    # Each authority in the table links to where its findings start on the findings pages.
    table_links = [h for h in hrefs if "/findings/" in h and "#" in h]
    assert len(table_links) == len({e.authority for e in entries})
    for href in table_links:
        target, anchor = resolve(site, "themes/use-of-data/", href)
        assert anchor in read_page(target).ids


def test_many_offers_have_a_page_of_their_own(paged: tuple[Path, Path]) -> None:
    records, site = paged
    graph = build_graph(load_archive(records))
    theme, offers = max(graph.offers_by_theme.items(), key=lambda item: len(item[1]))
    assert len(offers) > OFFERS_SHOWN
    offers_url = f"themes/{theme}/offers/"
    summary = read_page(site / f"themes/{theme}/index.html")
    assert f"../../{offers_url}" in summary.hrefs()

    def offer_links(url: str) -> list[str]:
        found = (resolve(site, url, href) for href in read_page(site / url / "index.html").hrefs())
        return [f"{t.parent.relative_to(site).as_posix()}/#{a}" for t, a in (r for r in found if r) if a]

    every = sorted(f"reviews/{e.review_id}/#{e.offer.id}" for e in offers)
    assert len(set(offer_links(f"themes/{theme}/")) & set(every)) == OFFERS_SHOWN
    assert sorted(offer_links(offers_url)) == every
