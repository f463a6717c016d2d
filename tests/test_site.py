"""Real builds of small sites: the HTML of each page kind, the links between them, and the
build's contract (strict on the real records, deterministic, no partial site on bad records).
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from peer_review_archive.adapter.plugin import ArchivePlugin
from peer_review_archive.cli import main as pra
from peer_review_archive.graph.indexes import authorities_named
from peer_review_archive.records.assembly import load_archive
from support.builds import ROOT, TINY_RECORDS, build, make_project
from support.pages import broken_links, html_files, page_url, read_page, resolve

REPO = "https://github.com/peer-review-archive/peer-review-archive/edit/main/"


def page(site: Path, url: str):
    return read_page(site / url / "index.html")


def target_url(site: Path, from_url: str, href: str) -> str:
    resolved = resolve(site, from_url, href)
    assert resolved is not None, href
    path, fragment = resolved
    url = page_url(site, path)
    return f"{url}#{fragment}" if fragment else url


def link_targets(site: Path, url: str) -> set[str]:
    return {target_url(site, url, href) for href in page(site, url).hrefs()
            if resolve(site, url, href) is not None}


# --- every page kind -------------------------------------------------------------------


def test_every_page_kind_is_built(tiny_site: Path) -> None:
    for url in ["", "authorities/", "authorities/norfolk/", "authorities/eastern-leads/",
                "reviews/", "reviews/2016/", "reviews/2014/", "reviews/thurrock-2016/", "reviews/cambridgeshire-2014/",
                "network/", "network/table/",
                "themes/", "themes/use-of-data/", "themes/use-of-data/findings/",
                "context/thurrock-vision-2015/", "sources/",
                "sources/thurrock-2016-12-20-school-improvement-peer-review/",
                "about/", "contribute/", "record-format/", "accessibility/"]:
        assert (tiny_site / url / "index.html").is_file(), url


def test_every_internal_link_and_anchor_resolves(tiny_site: Path) -> None:
    assert broken_links(tiny_site) == []


def test_no_page_carries_one_id_twice(tiny_site: Path) -> None:
    """Records, sections, the theme and the scripts share each page's ids (DESIGN.md section 6)."""
    repeated = {page_url(tiny_site, path): read_page(path).repeated_ids for path in html_files(tiny_site)}
    assert {url: ids for url, ids in repeated.items() if ids} == {}


def test_no_markup_is_escaped_twice(tiny_site: Path) -> None:
    """Our own links and tags never show as text (a str joined to Markup gets escaped)."""
    for path in html_files(tiny_site):
        text = read_page(path).article_text
        assert "<a " not in text and "</" not in text and "&lt;" not in text, path


def test_review_page(tiny_site: Path) -> None:
    url = "reviews/thurrock-2016/"
    review = page(tiny_site, url)
    assert review.title.startswith("Thurrock School Improvement Peer Review - Peer Review Archive")
    crumbs = review.find("nav", in_article=True, **{"aria-label": "Breadcrumb"})
    assert crumbs and "Home" in crumbs[0].text and "Reviews" in crumbs[0].text
    targets = link_targets(tiny_site, url)
    assert {"", "reviews/", "authorities/thurrock/", "authorities/norfolk/",
            "authorities/cambridgeshire/", "reviews/#eastern-region-peer-review",
            "themes/use-of-data/", "context/thurrock-vision-2015/"} <= targets
    # Finding, follow-up and response anchors are the record's ids; each shows what
    # later addressed it, and the later item links back.
    assert {"recommendation-1-1", "recommendation-1-2", "strength-1", "progress-1", "action-1",
            "follow-up-2017-03", "committee-2016-12", "source-committee-report"} <= review.ids
    assert f"{url}#progress-1" in targets and f"{url}#recommendation-1-1" in targets
    text = review.article_text
    assert "What happened next: Progress reported at follow-up (March 2017)" in text
    assert "Progress: The council now publishes a clear analysis" in text
    assert "Reports on: Recommendation 1.1" in text
    assert "Follow-up visit, March 2017" in text and "Pat Visitor" in text
    assert "28–29 June 2016" in text
    # What the sources do not say is said, not left as an empty section.
    assert "Areas for development: not published in the sources." in text
    assert "Offers of support: none recorded in the sources." in text
    # Edit button: the YAML record, not a generated Markdown file.
    edit = review.find("a", rel="edit")
    assert edit and edit[0].attrs["href"] == REPO + "reviews/thurrock-2016.yml"
    # A right-hand table of contents, from the page's sections.
    toc = [e.attrs["href"] for e in review.find("a", in_article=False) if "md-nav__link" in
           e.attrs.get("class", "")]
    assert "#follow-ups" in toc and "#follow-up-2017-03" in toc and "#sources" in toc


def test_review_without_recommendations_says_so(tiny_site: Path) -> None:
    review = page(tiny_site, "reviews/cambridgeshire-2014/")
    text = review.article_text
    assert "Recommendations: not published in the sources." in text
    assert "The exact dates of the visit are not in the source." in text
    groups = [e.text for e in review.find("h3", in_article=True, class_="pra-group")]
    assert groups == ["Quality Assurance"]
    # Record text keeps its allowed formatting, and nothing else.
    assert review.find("strong", in_article=True) and review.find("em", in_article=True)
    assert "https://example.org/report" in review.hrefs()
    team = review.find("dl", in_article=True, class_="pra-team")[0].text
    assert "Chris Example, Head of School Improvement" in " ".join(team.split())


def test_every_authority_named_in_a_review_links_to_its_page(tiny_site: Path) -> None:
    archive = load_archive(TINY_RECORDS)
    for review in archive.reviews.values():
        url = f"reviews/{review.id}/"
        targets = link_targets(tiny_site, url)
        for authority in authorities_named(review):
            assert f"authorities/{authority}/" in targets, (review.id, authority)


def test_norfolk_page_shows_whom_it_reviewed_and_who_it_sent(tiny_site: Path) -> None:
    url = "authorities/norfolk/"
    norfolk = page(tiny_site, url)
    text = norfolk.article_text
    targets = link_targets(tiny_site, url)
    assert {"reviews/cambridgeshire-2014/", "reviews/thurrock-2016/",
            "authorities/cambridgeshire/", "authorities/thurrock/",
            "reviews/thurrock-2016/#follow-up-2017-03",
            "reviews/cambridgeshire-2014/#offer-norfolk", "authorities/eastern-leads/"} <= targets
    assert "reviewed Cambridgeshire" in text and "reviewed Thurrock" in text
    assert "Sent: Chris Example, Head of School Improvement" in text
    assert "Sent: Senior officers" in text and "Pat Visitor" in text
    assert "No review of Norfolk is recorded in the sources." in text
    assert norfolk.find("a", rel="edit")[0].attrs["href"] == REPO + "reviews/authorities.yml"


def test_host_authority_page(tiny_site: Path) -> None:
    url = "authorities/thurrock/"
    targets = link_targets(tiny_site, url)
    assert {"reviews/thurrock-2016/", "reviews/thurrock-2016/#follow-up-2017-03",
            "reviews/thurrock-2016/#committee-2016-12", "context/thurrock-vision-2015/",
            "themes/use-of-data/", "authorities/norfolk/"} <= targets
    text = page(tiny_site, url).article_text
    assert "The sources record no review of another council in which Thurrock took part." in text


def test_theme_page_summarises_and_reaches_each_finding_in_two_clicks(tiny_site: Path) -> None:
    url = "themes/use-of-data/"
    theme = page(tiny_site, url)
    targets = link_targets(tiny_site, url)
    assert "../../recommendations/?theme=use-of-data" in theme.hrefs()
    assert {"themes/use-of-data/findings/", "themes/use-of-data/findings/#thurrock",
            "themes/use-of-data/findings/#cambridgeshire",
            "reviews/cambridgeshire-2014/#offer-norfolk"} <= targets
    assert [e.text for e in theme.find("h2", in_article=True)] == [
        "Newest findings", "By year", "By authority", "Offers of support on this theme"]
    # The newest findings, praised beside told to improve.
    sides = theme.find("div", in_article=True, class_="pra-sides")
    praised, improve = " ".join(sides[0].text.split()).split("Told to improve")
    assert "Data is shared openly" in praised and "Recommendation 1.1" in improve
    assert theme.find("a", rel="edit")[0].attrs["href"] == REPO + "reviews/themes.yml"


def test_theme_findings_page_reaches_each_finding_in_one_click(tiny_site: Path) -> None:
    url = "themes/use-of-data/findings/"
    listing = page(tiny_site, url)
    assert {"reviews/cambridgeshire-2014/#development-1",
            "reviews/thurrock-2016/#recommendation-1-1", "reviews/thurrock-2016/#strength-1",
            "reviews/thurrock-2016/#progress-1", "themes/use-of-data/"} <= link_targets(tiny_site, url)
    assert "../../../recommendations/?theme=use-of-data" in listing.hrefs()
    # Per authority and document, one list: praised, then told to improve (its label says which).
    assert [e.text for e in listing.find("h2", in_article=True)] == ["Cambridgeshire", "Thurrock"]
    lists = listing.find("ul", in_article=True, class_="pra-findings")
    assert len(lists) == 2
    thurrock = " ".join(lists[1].text.split())
    praised, improve = thurrock.split("Recommendation 1.1")
    assert "Data is shared openly" in praised and "publishes a clear analysis" in praised
    assert "Strength" in praised and "Progress" in praised
    # Each document in one line: its title, its dates and its reviewers, linked once on the page.
    heading = " ".join(listing.find("h3", in_article=True)[1].text.split())
    assert heading.startswith("2016: ") and "reviewed by Norfolk and Cambridgeshire" in heading
    assert {"authorities/norfolk/", "authorities/cambridgeshire/"} <= link_targets(tiny_site, url)
    assert not listing.find("nav", in_article=True, class_="pra-pager")  # one page: no pager


def test_context_document_page(tiny_site: Path) -> None:
    url = "context/thurrock-vision-2015/"
    document = page(tiny_site, url)
    assert {"", "authorities/", "authorities/thurrock/", "reviews/thurrock-2016/",
            "themes/governance/"} <= link_targets(tiny_site, url)
    assert "proposal-1" in document.ids
    assert "More academies." in document.article_text
    assert document.find("a", rel="edit")[0].attrs["href"] == REPO + "reviews/context/thurrock-vision-2015.yml"


SOURCE = "sources/thurrock-2016-12-20-school-improvement-peer-review/"


def test_source_document_page_numbers_its_lines_and_links_back(tiny_site: Path) -> None:
    source = page(tiny_site, SOURCE)
    assert source.title.startswith("School Improvement Peer Review - Peer Review Archive")
    text_file = ROOT / "tests/fixtures/site/reviews/sources/thurrock-2016-12-20-school-improvement-peer-review.txt"
    count = len(text_file.read_text(encoding="utf-8").splitlines())
    assert {f"L{n}" for n in range(1, count + 1)} <= source.ids and f"L{count + 1}" not in source.ids
    text = source.article_text
    assert "Open Government Licence v3.0" in text and "Agenda item" in text
    assert "[contact details removed]" in text
    assert "\uf0b7" not in text and "• Data is shared openly with schools." in text  # a PDF's bullet, shown
    # Each cited range links back to the item quoting it, and the line numbers to themselves.
    targets = link_targets(tiny_site, SOURCE)
    assert {"reviews/thurrock-2016/#recommendation-1-1", "reviews/thurrock-2016/#action-1",
            f"{SOURCE}#L9", "reviews/thurrock-2016/", "sources/"} <= targets
    assert "Thurrock School Improvement Peer Review: Recommendation 1.1 (lines 9–10)" in text
    cited = [row for row in source.find("tr", in_article=True) if "pra-cited" in row.attrs.get("class", "")]
    assert {row.attrs["id"] for row in cited} == {"L9", "L10", "L12", "L16", "L24"}
    assert source.find("a", rel="edit")[0].attrs["href"] == (
        REPO + "reviews/sources/thurrock-2016-12-20-school-improvement-peer-review.txt")


def test_findings_link_to_their_lines_in_the_source(tiny_site: Path) -> None:
    url = "reviews/thurrock-2016/"
    review = page(tiny_site, url)
    evidence = {target_url(tiny_site, url, link.attrs["href"]): link.text.strip()
                for link in review.links() if "pra-evidence" in link.attrs.get("class", "")}
    assert evidence == {f"{SOURCE}#L9": "source, lines 9–10", f"{SOURCE}#L12": "source, line 12",
                        f"{SOURCE}#L16": "source, line 16", f"{SOURCE}#L24": "source, line 24"}
    text = review.article_text
    assert "In the peer team’s words" in text and "In the council’s words" in text
    assert "Full text, with numbered lines" in text and "seeds/" not in text
    index = page(tiny_site, "sources/")
    assert {SOURCE, url} <= link_targets(tiny_site, "sources/")
    assert "School Improvement Peer Review" in index.article_text


def test_index_pages_have_sortable_tables(tiny_site: Path) -> None:
    authorities = page(tiny_site, "authorities/")
    assert authorities.find("table", class_="pra-sortable")
    assert {f"authorities/{a}/" for a in ("cambridgeshire", "eastern-leads", "essex", "luton",
                                          "norfolk", "thurrock")} <= link_targets(tiny_site, "authorities/")
    reviews = page(tiny_site, "reviews/")
    assert "eastern-region-peer-review" in reviews.ids and reviews.find("table", class_="pra-sortable")
    assert {"reviews/thurrock-2016/", "reviews/cambridgeshire-2014/", "reviews/2016/", "reviews/2014/",
            "reviews/2016/#eastern-region-peer-review"} <= link_targets(tiny_site, "reviews/")
    year = page(tiny_site, "reviews/2016/")
    assert year.find("table", class_="pra-sortable") and "eastern-region-peer-review" in year.ids
    assert {"reviews/thurrock-2016/", "reviews/2014/", "reviews/"} <= link_targets(tiny_site, "reviews/2016/")
    assert "reviews/cambridgeshire-2014/" not in link_targets(tiny_site, "reviews/2016/")
    assert page(tiny_site, "themes/").find("table", class_="pra-sortable")
    assert {"themes/use-of-data/", "themes/governance/",
            "themes/school-to-school-support/"} <= link_targets(tiny_site, "themes/")
    assert not authorities.find("a", rel="edit")  # index pages have no single record
    for path in html_files(tiny_site):
        scripts = {e.attrs.get("src", "") for e in read_page(path).find("script")}
        if path.name != "404.html":
            assert any(s.endswith("javascripts/sortable-tables.js") for s in scripts), path


def test_home_page(tiny_site: Path) -> None:
    home = page(tiny_site, "")
    text = home.article_text
    assert "2 reviews" in text and "6 authorities" in text and "10 findings" in text
    assert "1 follow-up visit" in text and "3 themes" in text
    assert "Latest reviews" in text
    assert {"reviews/thurrock-2016/", "reviews/cambridgeshire-2014/", "themes/",
            "about/"} <= link_targets(tiny_site, "")
    assert not any("peer-review-archive" in c for c in home.comments)


def test_navigation_lists_sections_never_records(tiny_site: Path) -> None:
    for url in ("", "reviews/thurrock-2016/"):
        nav = {target_url(tiny_site, url, e.attrs["href"]) for e in page(tiny_site, url).links(False)
               if resolve(tiny_site, url, e.attrs["href"]) is not None}
        assert {"authorities/", "reviews/", "themes/"} <= nav
        others = {u.split("#")[0] for u in nav} - {url}
        assert not [u for u in others if u.split("/")[0] in ("reviews", "authorities", "themes",
                                                              "context") and u.count("/") > 1]


# --- the build's contract --------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    first = build(project, tmp_path / "one")
    second = build(project, tmp_path / "two")
    assert first.ok and second.ok, first.output + second.output
    compared = filecmp.dircmp(first.site, second.site)
    files = [p.relative_to(first.site) for p in first.site.rglob("*") if p.is_file()]
    assert files == [p.relative_to(second.site) for p in second.site.rglob("*") if p.is_file()]
    different = [f for f in files if (first.site / f).read_bytes() != (second.site / f).read_bytes()]
    assert different == [], compared.report()


def test_a_record_error_fails_the_build_like_check(site_project: Path, capsys, monkeypatch) -> None:
    record = site_project / "reviews" / "thurrock-2016.yml"
    text = record.read_text().replace("reviewers: [norfolk, cambridgeshire]",
                                      "reviewers: [norfok, cambridgeshire]")
    record.write_text(text.replace("themes: [use-of-data]", "themes: [use-of-dta]", 1))
    monkeypatch.chdir(site_project)
    assert pra(["check", "reviews"]) == 1
    expected = capsys.readouterr().out.splitlines()
    assert len(expected) == 2 and "did you mean `norfolk`?" in expected[0] + expected[1]
    result = build(site_project)
    assert not result.ok
    for line in expected:
        assert line in result.output.splitlines() or f"ERROR   -  {line}" in result.output
    assert "Traceback" not in result.output
    assert not result.site.exists()


def test_an_old_site_is_not_replaced_by_a_partial_one(site_project: Path) -> None:
    first = build(site_project)
    assert first.ok, first.output
    before = sorted(p.relative_to(first.site) for p in first.site.rglob("*"))
    (site_project / "reviews" / "broken.yml").write_text("id: broken\ntitle: [\n")
    assert not build(site_project).ok
    assert sorted(p.relative_to(first.site) for p in first.site.rglob("*")) == before


def test_serve_keeps_the_last_good_archive(site_project: Path, caplog) -> None:
    config = load_config(str(site_project / "mkdocs.yml"))
    plugin = ArchivePlugin()
    plugin.load_config({})
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)
    assert plugin.plan is not None and not plugin.stale
    good = plugin.plan.archive
    (site_project / "reviews" / "thurrock-2016.yml").write_text("id: thurrock-2016\nhost: nowhere\n")
    plugin.on_config(config)  # does not raise: the server keeps running
    assert plugin.stale and plugin.plan.archive is good
    assert "reviews/thurrock-2016.yml:" in caplog.text
    shutil.copy(TINY_RECORDS / "thurrock-2016.yml", site_project / "reviews" / "thurrock-2016.yml")
    plugin.on_config(config)
    assert not plugin.stale and plugin.plan.archive is not good


def test_mkdocs_build_of_a_plain_command_raises_on_errors(site_project: Path) -> None:
    from mkdocs.exceptions import PluginError

    config = load_config(str(site_project / "mkdocs.yml"))
    plugin = ArchivePlugin()
    plugin.load_config({})
    plugin.on_startup(command="build", dirty=False)
    (site_project / "reviews" / "thurrock-2016.yml").write_text("id: thurrock-2016\n")
    with pytest.raises(PluginError, match=r"reviews/thurrock-2016.yml:\d+:\d+: "):
        plugin.on_config(config)


@pytest.mark.skipif(not any((ROOT / "reviews").glob("*.yml")), reason="no records yet")
def test_the_real_records_build_strict(tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site")
    assert result.ok, result.output
    assert broken_links(result.site) == []
    repeated = {page_url(result.site, path): read_page(path).repeated_ids for path in html_files(result.site)}
    assert {url: ids for url, ids in repeated.items() if ids} == {}
    archive = load_archive(ROOT / "reviews")
    for review_id in archive.reviews:
        assert (result.site / "reviews" / review_id / "index.html").is_file()


def test_links_from_hand_written_pages_to_anchors_of_generated_pages_are_checked(site_project: Path) -> None:
    # Generated pages keep only the anchors other pages link to (memory): the check is unchanged.
    about = site_project / "content" / "about.md"
    text = about.read_text()
    about.write_text(text + "\n[A finding](reviews/thurrock-2016/index.md#recommendation-1-2)\n")
    good = build(site_project)
    assert good.ok, good.output
    about.write_text(text + "\n[A finding](reviews/thurrock-2016/index.md#recommendation-1-99)\n")
    bad = build(site_project)
    assert not bad.ok
    assert "does not contain an anchor '#recommendation-1-99'" in bad.output, bad.output
