"""Citations on review pages: complete, escaped for BibTeX, and shown on every review page."""

from __future__ import annotations

import re
from pathlib import Path

from peer_review_archive.outputs.citations import bibtex_escape, review_citations
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.site.plan import SitePlan
from support.builds import ROOT, TINY_RECORDS
from support.hostile import hostile_records
from support.pages import read_page

SITE = "https://archive.example.org/pra/"


def test_review_citation_names_peers_year_title_dates_programme_and_page() -> None:
    archive = load_archive(ROOT / "reviews")
    cite = review_citations(archive.reviews["thurrock-2016"], archive, SITE, "Peer Review Archive")
    assert cite.review == (
        "Norfolk, Cambridgeshire and Bedford Borough (peer review team) (2016) Thurrock School Improvement "
        "Peer Review. Peer review of Thurrock, 28–29 June 2016, Eastern Region peer review. Peer Review "
        "Archive. Available at: https://archive.example.org/pra/reviews/thurrock-2016/")
    (source,) = cite.sources
    assert source.text.startswith("Thurrock (2016) School Improvement Peer Review. Children's Services Overview "
                                  "and Scrutiny Committee, 20 December 2016, agenda item 9.")
    assert source.text.endswith("#source-overview-and-scrutiny-2016-12-20")


def test_a_source_without_publisher_or_date_is_cited_by_title() -> None:
    archive = load_archive(ROOT / "reviews")
    cite = review_citations(archive.reviews["east-sussex-2012"], archive, SITE, "Peer Review Archive")
    follow_up = next(s for s in cite.sources if s.source_id == "follow-up-visit-report")
    assert follow_up.text.startswith("East Sussex Peer Challenge Follow Up Visit, 6 March 2013 (n.d.).")


def test_bibtex_is_escaped_and_balanced(tmp_path: Path) -> None:
    archive = load_archive(hostile_records(tmp_path))
    cite = review_citations(archive.reviews["nasty-2018"], archive, SITE, "Peer Review Archive")
    body = cite.bibtex
    assert body.startswith("@misc{nasty-2018,\n") and body.endswith("\n}")
    unescaped = re.sub(r"\\[{}&%$#_]", "", body)
    assert unescaped.count("{") == unescaped.count("}")
    assert r"\&" in body and "&" not in body.replace(r"\&", "")
    assert bibtex_escape("100% {x} #1 $y_z ~^\\") == (
        r"100\% \{x\} \#1 \$y\_z \textasciitilde{}\textasciicircum{}\textbackslash{}")


def test_every_review_page_offers_its_citations(tiny_site: Path) -> None:
    archive = load_archive(TINY_RECORDS)
    for review_id in archive.reviews:
        page = read_page(tiny_site / "reviews" / review_id / "index.html")
        assert "cite" in page.ids
        codes = [" ".join(e.text.split()) for e in page.find("code", in_article=True)]
        review = archive.reviews[review_id]
        assert any(c.startswith(f"@misc{{{review_id},") for c in codes)
        cited = [c for c in codes if "Available at: " in c and f"reviews/{review_id}/" in c]
        assert cited, review_id
        assert len([c for c in codes if "Transcribed in" in c]) == len(review.sources)


def test_without_a_site_url_pages_render_without_citations_or_feeds() -> None:
    plan = SitePlan(load_archive(TINY_RECORDS), site_url=None)
    review = next(p for p in plan.pages if p.kind == "review")
    assert 'id="cite"' not in plan.render(review, ["network", "data"]).html
    assert plan.data.feeds == {} and plan.data.feed_links("") == []
    assert plan.data.files() == plan.data.exports
