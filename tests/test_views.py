"""Page views (site/views/): pure functions from the archive to what a template prints.

Built here from the tiny archive without Jinja or MkDocs. The last tests keep the rule
that templates only print views: none reads the archive, the graph or builds a list.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from markupsafe import escape
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.records.vocabulary import KINDS, PRAISED_KINDS, SIDES_HINT, TO_IMPROVE_KINDS
from peer_review_archive.site import views
from peer_review_archive.site.page import and_list
from peer_review_archive.site.plan import SitePlan
from peer_review_archive.site.render import TEMPLATES
from peer_review_archive.site.views.reviews import NEWEST_REVIEWS
from support.builds import TINY_RECORDS


@pytest.fixture(scope="module")
def plan() -> SitePlan:
    return SitePlan(load_archive(TINY_RECORDS))


def view(plan: SitePlan, url: str, sections: frozenset[str] = frozenset({"network"})) -> object:
    page = next(p for p in plan.pages if p.url == url)
    return views.BUILDERS[page.kind](page, views.Inputs(plan.archive, plan.graph, plan.names, plan.data, sections))


def test_a_review_view_resolves_links_labels_and_missing_sections(plan: SitePlan):
    review = view(plan, "reviews/thurrock-2016/")
    assert (review.host.name, review.host.href) == ("Thurrock", "../../authorities/thurrock/")
    assert [a.name for a in review.reviewed_by] == ["Norfolk", "Cambridgeshire"]
    # The team by authority; Cambridgeshire reviewed but the sources name nobody it sent.
    assert [g.authority.name for g in review.team.groups] == ["Norfolk"]
    assert [a.name for a in review.team.unnamed] == ["Cambridgeshire"]
    # Every expected kind has a section, in page order, said plainly when empty.
    sections = [(s.anchor, s.heading, s.missing) for s in review.findings]
    assert sections == [("strengths", "Strengths", None),
                        ("areas-for-development", "Areas for development",
                         "Areas for development: not published in the sources."),
                        ("recommendations", "Recommendations", None)]
    recommendation = review.findings[2].groups[0].findings[0]
    assert recommendation.permalink_label == "Recommendation 1.1"
    assert [(t.label, t.href) for t in recommendation.themes] == [("Use of data", "../../themes/use-of-data/")]
    assert [(later.href, later.part) for later in recommendation.addressed_later] == [
        ("#progress-1", "follow-up visit, March 2017")]
    progress = review.follow_ups[0].groups[0]
    assert progress.heading == "Progress since 2016"
    assert [(r.label, r.href) for r in progress.findings[0].reports_on] == [("Recommendation 1.1",
                                                                            "#recommendation-1-1")]
    # A response's run with no source heading is headed by its kind.
    assert [g.heading for g in review.responses[0].groups] == ["Actions"]


def test_an_authority_view_lists_its_part_as_a_peer_newest_first(plan: SitePlan):
    norfolk = view(plan, "authorities/norfolk/")
    assert norfolk.in_archive == "0 reviews received; a peer in 2 reviews and 1 follow-up visit"
    visits = [(v.follow_up, v.href) for v in norfolk.as_peer.items]
    assert visits == [(True, "../../reviews/thurrock-2016/#follow-up-2017-03"),
                      (False, "../../reviews/thurrock-2016/"), (False, "../../reviews/cambridgeshire-2014/")]
    assert [(p.authority.name, p.visits) for p in norfolk.peers.reviewed] == [
        ("Cambridgeshire", "2014"), ("Thurrock", "2016, 2017 follow-up")]
    assert norfolk.peers.network == "../../network/"
    # No review received: no follow-up or response sections at all.
    assert norfolk.follow_ups is None and norfolk.responses is None
    # Without a network page, no link to it.
    assert view(plan, "authorities/norfolk/", frozenset()).peers.network is None


def test_a_theme_view_summarises_and_links_to_every_finding(plan: SitePlan):
    theme = view(plan, "themes/use-of-data/", frozenset({"network", "recommendations"}))
    assert theme.counts == "4 findings on this theme, from 2 authorities."
    assert theme.listing.label == "All 4 findings, by authority"
    assert theme.listing.href == "../../themes/use-of-data/findings/"
    assert theme.explorer == "../../recommendations/?theme=use-of-data"
    assert [(r.label, r.href, r.praised, r.to_improve) for r in theme.authorities] == [
        ("Cambridgeshire", "../../themes/use-of-data/findings/#cambridgeshire", 0, 1),
        ("Thurrock", "../../themes/use-of-data/findings/#thurrock", 2, 1)]
    assert sum(r.praised + r.to_improve + r.other for r in theme.years) == 4
    # The newest first on each side: the follow-up visit (2017) before the review (2016).
    assert [n.finding.part for n in theme.newest_praised] == ["follow-up visit, March 2017", None]
    assert [n.document.href for n in theme.newest_to_improve] == ["../../reviews/thurrock-2016/",
                                                                  "../../reviews/cambridgeshire-2014/"]
    assert [o.href for o in theme.offers] == ["../../reviews/cambridgeshire-2014/#offer-norfolk"]
    assert theme.all_offers is None  # only a few: no page of their own
    # Without an explorer, no link to it.
    assert view(plan, "themes/use-of-data/").explorer is None


def test_a_theme_findings_page_splits_each_document_into_sides(plan: SitePlan):
    listing = view(plan, "themes/use-of-data/findings/")
    assert listing.position == "All 4 findings, by authority then date."
    assert listing.pager.pages == () and listing.summary == "../../../themes/use-of-data/"
    thurrock = listing.authorities[1].documents[0]
    assert listing.authorities[1].anchor == "thurrock" and not listing.authorities[1].continued
    assert [f.kind for f in thurrock.praised] == ["strength", "progress"]
    assert [f.part for f in thurrock.praised] == [None, "follow-up visit, March 2017"]
    assert [f.href for f in thurrock.to_improve] == ["../../../reviews/thurrock-2016/#recommendation-1-1"]


def test_index_views_count_and_name_from_the_vocabulary(plan: SitePlan):
    explorer = view(plan, "recommendations/")
    assert explorer.kinds == ("strengths, areas for development, areas for consideration, key issues, "
                              "recommendations, next steps and progress found")
    assert explorer.total == plan.graph.counts.findings
    reviews = view(plan, "reviews/")
    assert reviews.count == f"{len(plan.archive.reviews)} reviews"
    newest = [row.date for row in reviews.newest.items]
    assert newest == sorted(newest, reverse=True)
    assert len(newest) == min(NEWEST_REVIEWS, len(plan.archive.reviews))
    assert sum(row.total for row in reviews.years) == len(plan.archive.reviews)
    assert sum(n for p in (*reviews.programmes, reviews.other) if p for _, n in p.years) == len(plan.archive.reviews)


def test_views_are_frozen(plan: SitePlan):
    review = view(plan, "reviews/thurrock-2016/")
    with pytest.raises(dataclasses.FrozenInstanceError):
        review.title = "changed"  # type: ignore[misc]


def test_an_authority_list_prints_escaped_links():
    from peer_review_archive.site.page import AuthorityRef
    refs = [AuthorityRef("a", "A & B", "../a/"), AuthorityRef("b", "<b>", "../b/"), AuthorityRef("c", "C", "../c/")]
    assert str(and_list(refs)) == ('<a class="pra-authority" href="../a/">A &amp; B</a>, '
                                   '<a class="pra-authority" href="../b/">&lt;b&gt;</a> and '
                                   '<a class="pra-authority" href="../c/">C</a>')
    assert str(and_list(["x<"])) == str(escape("x<"))


def test_the_sides_hint_names_every_kind_on_its_side():
    praised, rest = SIDES_HINT.split("Told to improve:")
    improve, other = rest.split("Other:")
    for kind in KINDS.values():
        part = praised if kind.id in PRAISED_KINDS else improve if kind.id in TO_IMPROVE_KINDS else other
        assert kind.plural.lower() in part, kind.id


# Templates only print views: these would mean a template is querying the records again.
FORBIDDEN = {
    "reads the archive": re.compile(r"\barchive\."),
    "reads the graph": re.compile(r"\bgraph\."),
    "builds a list": re.compile(r"\.append\("),
}

_JINJA = re.compile(r"{[{%](.*?)[}%]}", re.S)


def lookups(template: str) -> list[str]:
    """What a template's Jinja code does that only a view should (its prose may say `archive.json`)."""
    code = " ".join(_JINJA.findall(template))
    return [what for what, pattern in FORBIDDEN.items() if pattern.search(code)]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_do_not_query_the_records(template: str):
    found = lookups((TEMPLATES / template).read_text(encoding="utf-8"))
    assert found == [], f"{template} {', '.join(found)}"


def test_the_template_check_catches_a_lookup():
    text = '<code>archive.json</code>{{ archive.reviews[r].title }}{% set _ = xs.append(1) %}'
    assert lookups(text) == ["reads the archive", "builds a list"]
    assert lookups("<p>archive.json, graph.svg</p>{{ view.title }}") == []


def test_first_sentence_marks_what_it_leaves_out():
    from peer_review_archive.records.text import first_sentence
    assert first_sentence("Data is shared openly with schools.") == "Data is shared openly with schools."
    assert first_sentence("The council *must* act. Schools agree.") == "The council must act. …"
    assert first_sentence("They said “act now.” Then it did.") == "They said “act now.” …"
    assert first_sentence("Use data, e.g. the 2.5 per cent rise. More.") == "Use data, e.g. the 2.5 per cent rise. …"
    assert first_sentence(" ".join(["word"] * 50) + ". Next.") == " ".join(["word"] * 40) + "…"
    assert first_sentence(None) == ""


def test_who_else_faced_it_links_each_match_and_its_authority_whose_page_names_its_peers(tmp_path):
    """Each match is named by its title or its first words, linking to its permalink; its
    authority links to the authority's page, which names the first people it sent as peers."""
    from benchmarks.generate import generate_archive
    generate_archive(tmp_path / "reviews", authorities=12, reviews=30, findings=420)
    plan = SitePlan(load_archive(tmp_path / "reviews"))
    graph = plan.graph
    pages = [p for p in plan.pages if p.kind in ("review", "context")]
    named: set[str] = set()
    for page in pages:
        built = view(plan, page.url)
        for f in _finding_views(built):
            if not f.elsewhere:
                continue
            for r in (*f.elsewhere.praised, *f.elsewhere.told):
                document, anchor = r.href.rsplit("/#", 1)
                entry = graph.findings[(document.split("/")[-1], anchor)]
                assert r.label == (entry.finding.title or r.label)
                assert entry.finding.title or len(r.label.split()) <= 10
                assert r.authority_href == f"../../authorities/{entry.authority}/"
                assert r.made.endswith(entry.date[:4])
                named.add(entry.authority)
    assert named
    for authority in named:
        peers = view(plan, f"authorities/{authority}/").peers
        first = graph.peers.get(authority)
        assert peers.sent == (first.people if first else ())
    assert any(view(plan, f"authorities/{a}/").peers.sent for a in named)


def _finding_views(built: object):
    """Every finding view of a review or context page: its sections, follow-ups and responses."""
    groups = [g for s in built.findings for g in s.groups]
    for part in (*getattr(built, "follow_ups", ()), *getattr(built, "responses", ())):
        groups.extend(part.groups)
    return [f for g in groups for f in g.findings]
