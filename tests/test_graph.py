"""Pure tests of the archive graph: the reverse indexes the pages are built from."""

from __future__ import annotations

import pytest
from peer_review_archive.graph.indexes import Graph, authorities_named, build_graph
from peer_review_archive.records.archive import Archive
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.records.models import Authority, Finding, Review, Source, Theme
from support.builds import TINY_RECORDS


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(load_archive(TINY_RECORDS))


def test_reviews_received_and_given(graph: Graph) -> None:
    assert graph.received == {"cambridgeshire": ["cambridgeshire-2014"], "thurrock": ["thurrock-2016"]}
    norfolk = [(v.review_id, v.part, v.part_id) for v in graph.given["norfolk"]]
    assert norfolk == [
        ("cambridgeshire-2014", "review", None),
        ("thurrock-2016", "review", None),
        ("thurrock-2016", "follow-up", "follow-up-2017-03"),
    ]


def test_peer_visits_carry_the_people_sent(graph: Graph) -> None:
    visits = {(v.review_id, v.part): v for v in graph.given["norfolk"]}
    assert [p.name for p in visits[("cambridgeshire-2014", "review")].people] == ["Chris Example"]
    assert [p.role for p in visits[("thurrock-2016", "review")].people] == ["Senior officers"]
    assert [p.name for p in visits[("thurrock-2016", "follow-up")].people] == ["Pat Visitor"]
    # A reviewer the sources name without naming anyone it sent: present, with nobody.
    cambridgeshire = graph.given["cambridgeshire"]
    assert [(v.review_id, v.people) for v in cambridgeshire] == [("thurrock-2016", ())]


def test_follow_ups_responses_and_offers(graph: Graph) -> None:
    assert [(e.review_id, e.follow_up.id) for e in graph.follow_ups["thurrock"]] == [
        ("thurrock-2016", "follow-up-2017-03")]
    assert [e.response.id for e in graph.responses["thurrock"]] == ["committee-2016-12"]
    assert [(e.review_id, e.host) for e in graph.offers_given["norfolk"]] == [
        ("cambridgeshire-2014", "cambridgeshire")]
    assert [e.offer.authority for e in graph.offers_received["cambridgeshire"]] == ["norfolk"]
    assert [e.offer.id for e in graph.offers_by_theme["use-of-data"]] == ["offer-norfolk"]


def test_context_documents_and_related_reviews(graph: Graph) -> None:
    assert graph.context_documents == {"thurrock": ["thurrock-vision-2015"]}
    assert graph.context_for_review == {"thurrock-2016": ["thurrock-vision-2015"]}


def test_findings_by_theme_in_authority_then_date_order(graph: Graph) -> None:
    found = [(e.owner_id, e.finding.id) for e in graph.findings_by_theme["use-of-data"]]
    assert found == [
        ("cambridgeshire-2014", "development-1"),
        ("thurrock-2016", "recommendation-1-1"),
        ("thurrock-2016", "strength-1"),
        ("thurrock-2016", "progress-1"),
    ]
    governance = [(e.owner_kind, e.finding.id) for e in graph.findings_by_theme["governance"]]
    assert ("context", "proposal-1") in governance


def test_finding_permalinks_come_from_record_ids(graph: Graph) -> None:
    entry = graph.findings[("thurrock-2016", "progress-1")]
    assert entry.url == "reviews/thurrock-2016/#progress-1"
    assert (entry.part, entry.part_id, entry.date) == ("follow-up", "follow-up-2017-03", "2017-03")
    context = graph.findings[("thurrock-vision-2015", "proposal-1")]
    assert context.url == "context/thurrock-vision-2015/#proposal-1"


def test_what_later_addressed_each_finding(graph: Graph) -> None:
    later = graph.addressed_by
    assert [e.finding.id for e in later[("thurrock-2016", "recommendation-1-1")]] == ["progress-1"]
    assert [e.finding.id for e in later[("thurrock-2016", "recommendation-1-2")]] == ["action-1"]
    assert ("cambridgeshire-2014", "strength-1") not in later


def test_counts_and_themes_by_authority(graph: Graph) -> None:
    counts = graph.counts
    assert (counts.authorities, counts.reviews, counts.follow_ups, counts.responses) == (6, 2, 1, 1)
    assert (counts.findings, counts.themes, counts.context_documents) == (10, 3, 1)
    assert graph.themes_by_authority["thurrock"] == {"use-of-data": 3, "school-to-school-support": 2,
                                                     "governance": 1}
    assert graph.finding_counts == {"cambridgeshire": 4, "thurrock": 6}


def test_groups_and_named_authorities(graph: Graph) -> None:
    assert graph.groups["norfolk"] == ["eastern-leads"]
    review = graph.archive.reviews["cambridgeshire-2014"]
    assert authorities_named(review) == {"cambridgeshire", "essex", "norfolk"}


def test_reviewed_by_adds_team_authorities_not_listed_as_reviewers() -> None:
    review = Review(
        id="x-2020", title="X", host="x", date="2020", reviewers=["y"],
        team=[{"name": "A", "authority": "z"}, {"name": "B", "authority": "y"}],
        sources=[Source(id="s", title="S")],
    )
    archive = Archive(
        authorities={i: Authority(id=i, name=i.upper(), kind="county") for i in "xyz"},
        reviews={review.id: review},
    )
    graph = build_graph(archive)
    assert graph.reviewed_by(review) == ["y", "z"]
    assert [v.review_id for v in graph.given["z"]] == ["x-2020"]


def test_linking_is_pure_and_deterministic() -> None:
    archive = load_archive(TINY_RECORDS)
    before = {k: r.model_dump() for k, r in archive.reviews.items()}
    first, second = build_graph(archive), build_graph(archive)
    assert first == second
    assert {k: r.model_dump() for k, r in archive.reviews.items()} == before


def test_empty_archive_links() -> None:
    graph = build_graph(Archive(themes={"t": Theme(id="t", name="T", description="D")}))
    assert graph.counts.reviews == 0 and graph.findings_by_theme == {}
    assert graph.latest_reviews(5) == []


def test_a_finding_in_two_themes_is_listed_under_both() -> None:
    finding = Finding(id="f-1", kind="strength", text="T", themes=["a", "b", "a"])
    review = Review(id="h-2020", title="H", host="h", date="2020", findings=[finding],
                    sources=[Source(id="s", title="S")])
    graph = build_graph(Archive(reviews={review.id: review}))
    assert [e.finding.id for e in graph.findings_by_theme["a"]] == ["f-1"]
    assert [e.finding.id for e in graph.findings_by_theme["b"]] == ["f-1"]
    assert graph.themes_by_authority["h"] == {"a": 1, "b": 1}


def test_peer_reviews_and_follow_up_visits_are_told_apart(graph: Graph) -> None:
    assert graph.peer_reviews("norfolk") == ["cambridgeshire-2014", "thurrock-2016"]
    assert [v.part_id for v in graph.peer_follow_ups("norfolk")] == ["follow-up-2017-03"]
    assert graph.peer_reviews("luton") == [] and graph.peer_follow_ups("luton") == []
