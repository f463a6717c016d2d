"""The reviews index, the year pages, the network pages and a prolific authority's pages on
a real build of a generated archive: the index summarises and links to a page per year,
which together link every review exactly once; neither index nor network page grows with
the reviews, nor an authority's page with its visits and offers (checked by structure at a
small scale: what they list is bounded by years, programmes, authorities and fixed counts);
and the listings stay out of the header search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from peer_review_archive.graph.indexes import build_graph
from peer_review_archive.records import urls
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.search.indexer import html_pages
from peer_review_archive.site import plan as plan_module
from peer_review_archive.site.plan import SitePlan
from peer_review_archive.site.views import reviews as reviews_view
from peer_review_archive.site.views.authority import AS_PEER_SHOWN, LISTED_PER_PAGE, OFFERS_SHOWN
from peer_review_archive.site.views.reviews import NEWEST_REVIEWS
from peer_review_archive.site.years import REVIEWS_PER_PAGE, reviews_by_year
from support.builds import build_generated
from support.pages import read_page, resolve

from benchmarks.generate import generate_archive

REVIEW_PAGE = re.compile(r"^reviews/(?![0-9]+/)[a-z0-9-]+/$")
YEAR_PAGE = re.compile(r"^reviews/[0-9]{4}/([0-9]+/)?$")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A site with more reviews in a year than the timeline names (120 over 15 years)."""
    return build_generated(tmp_path_factory.mktemp("listing"), authorities=12, reviews=120, findings=600)


def targets(site: Path, url: str) -> list[str]:
    """Where a page's article links go, as site URLs (with #anchor), in order."""
    found = []
    for href in read_page(site / url / "index.html").hrefs():
        resolved = resolve(site, url, href)
        if resolved:
            path, anchor = resolved
            target = path.parent.relative_to(site).as_posix() + "/"
            found.append(f"{target}#{anchor}" if anchor else target)
    return found


def test_every_review_is_reached_from_the_index_through_its_year(generated: tuple[Path, Path]) -> None:
    records, site = generated
    archive = load_archive(records)
    years = reviews_by_year(archive)
    from_index = {t.split("#")[0] for t in targets(site, "reviews/")}
    assert {urls.reviews_year_url(y) for y in years} <= from_index
    listed: list[str] = []
    for y, ids in years.items():
        on_page = [t for t in dict.fromkeys(targets(site, urls.reviews_year_url(y))) if REVIEW_PAGE.match(t)]
        assert sorted(on_page) == sorted(urls.review_url(r) for r in ids), y  # that year's, and only those
        listed += on_page
    assert sorted(listed) == sorted(urls.review_url(r) for r in archive.reviews)  # each exactly once
    # Each count in the index's table links to where its programme starts on the year's page.
    for target in targets(site, "reviews/"):
        page, _, anchor = target.partition("#")
        if YEAR_PAGE.match(page) and anchor:
            assert anchor in read_page(site / page / "index.html").ids, target


def test_the_index_and_the_network_pages_do_not_grow_with_the_reviews(generated: tuple[Path, Path]) -> None:
    records, site = generated
    archive = load_archive(records)
    on_index = {t.split("#")[0] for t in targets(site, "reviews/") if REVIEW_PAGE.match(t.split("#")[0])}
    assert len(on_index) == NEWEST_REVIEWS < len(archive.reviews)  # the newest, not all
    index = (site / "reviews/index.html").read_text(encoding="utf-8")
    timeline = re.search(r'<svg[^>]*pra-chart--timeline.*?</svg>', index, re.S).group(0)
    assert "reviews/" in timeline and not any(f"/{r}/" in timeline for r in archive.reviews)
    network = (site / "network/index.html").read_text(encoding="utf-8")
    picture = re.search(r'<svg[^>]*pra-chart--network.*?</svg>', network, re.S).group(0)
    assert not re.search(r"/reviews/", picture), "cells link to no review"
    assert "<table" not in network.split('class="md-content"')[-1].split("</article>")[0]
    table = (site / "network/table/index.html").read_text(encoding="utf-8")
    assert not re.search(r"\d{4}, \d{4}", table), "no list of every visit's year"


def test_a_long_year_is_paged_and_its_pages_link_each_other(tmp_path: Path, monkeypatch) -> None:
    """At REVIEWS_PER_PAGE (200) a year of 4,000-review scale takes two pages; the same paging
    at 3 a page, rendered in process: each review of the year once, in order, and the index's
    counts point at the page where each programme starts."""
    monkeypatch.setattr(plan_module, "REVIEWS_PER_PAGE", 3)
    monkeypatch.setattr(reviews_view, "REVIEWS_PER_PAGE", 3)
    assert REVIEWS_PER_PAGE == 200
    records = generate_archive(tmp_path / "reviews", authorities=12, reviews=60, findings=300).records
    archive = load_archive(records)
    plan = SitePlan(archive)
    pages = {p.url: p for p in plan.pages}
    year, ids = max(reviews_by_year(archive).items(), key=lambda item: len(item[1]))
    count = -(-len(ids) // 3)
    assert count > 1
    listed, bodies = [], {}
    for n in range(1, count + 1):
        url = urls.reviews_year_url(year, n)
        body = bodies[url] = plan.render(pages[url]).html
        listed += [r for r in dict.fromkeys(re.findall(r'href="\.\./\.\./(?:\.\./)?reviews/([a-z0-9-]+)/"', body))
                   if not r.isdigit()]
        assert ('rel="next"' in body) == (n < count) and ('rel="prev"' in body) == (n > 1)
    assert listed == list(ids)
    assert urls.reviews_year_url(year, count + 1) not in pages
    index = plan.render(pages["reviews/"]).html
    for n, anchor in re.findall(rf'href="\.\./reviews/{year}/(?:(\d+)/)?#([a-z0-9-]+)"', index):
        assert f'id="{anchor}"' in bodies[urls.reviews_year_url(year, int(n or 1))]


def test_listings_stay_out_of_the_header_search(generated: tuple[Path, Path]) -> None:
    _, site = generated
    found = html_pages(site, set())
    assert "/reviews/" in found and "/network/" in found
    assert not [u for u in found if YEAR_PAGE.match(u.lstrip("/")) or u == "/network/table/"]


def test_a_prolific_authority_lists_its_newest_and_links_to_all(generated: tuple[Path, Path]) -> None:
    records, site = generated
    graph = build_graph(load_archive(records))
    authority, visits = max(graph.given.items(), key=lambda item: len(item[1]))
    assert AS_PEER_SHOWN < len(visits) <= LISTED_PER_PAGE, "the archive must give one authority many visits"
    url = urls.authority_url(authority)
    page = read_page(site / url / "index.html")
    listed = page.find("ul", in_article=True, class_="pra-visits")
    assert len(listed) == 1 and listed[0].text.count("Sent:") + listed[0].text.count("not named") == AS_PEER_SHOWN
    assert urls.authority_as_peer_url(authority) in targets(site, url)
    every = {urls.review_url(v.review_id) + (f"#{v.part_id}" if v.part == "follow-up" else "") for v in visits}
    assert every <= set(targets(site, urls.authority_as_peer_url(authority)))  # each of its visits
    offers = [*graph.offers_received.get(authority, []), *graph.offers_given.get(authority, [])]
    offer_targets = {urls.anchor_url(urls.review_url(e.review_id), e.offer.id) for e in offers}
    on_page = [t for t in targets(site, url) if t in offer_targets]
    if len(graph.offers_received.get(authority, [])) > OFFERS_SHOWN or len(
            graph.offers_given.get(authority, [])) > OFFERS_SHOWN:
        assert len(on_page) <= 2 * OFFERS_SHOWN < len(offers)
        assert urls.authority_offers_url(authority) in targets(site, url)
        assert set(targets(site, urls.authority_offers_url(authority))) >= offer_targets
    else:
        assert set(on_page) == offer_targets
