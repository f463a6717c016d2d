"""What the site's search knows: one record per finding, with its facets, from the archive.

Pure data, no MkDocs and no search engine: `finding_records` turns the linked archive into
plain records (permalink, text, what to show in a result, facet values), and
`pagefind_index` hands them to the engine. Facet values are record ids, never display
names, so that a shared explorer URL keeps working when an authority's name is edited;
`facets` gives each value its label and count, for the explorer page and its no-JS form.

Records are ordered newest first and split into shards (`shard`): the browser searches the
newest shard before the rest arrive, which keeps the bytes before the first results small
at national scale (see DESIGN.md section 6).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..graph.indexes import FindingEntry, Graph, part_label, reviewing_authorities
from ..graph.trails import STATUSES, Trail
from ..records import urls
from ..records.archive import Archive
from ..records.dates import human_date
from ..records.labels import finding_label
from ..records.models import Review
from ..records.text import last_sentence, plain
from ..records.vocabulary import EXPLORER_ORDER, kind_label
from .record import SHARD_SIZES, SearchRecord, shard

__all__ = ["SHARD_SIZES", "SearchRecord", "shard"]  # also from here: record.py holds them

FACETS: tuple[tuple[str, str], ...] = (
    ("host", "Host authority"),
    ("reviewer", "Reviewing authority"),
    ("theme", "Theme"),
    ("kind", "Kind of finding"),
    ("year", "Year"),
    ("programme", "Programme"),
    ("document", "Kind of document"),
    ("next", "What happened next"),
)
"""Facet keys (as in explorer URLs: `?theme=governance&host=thurrock`) and their labels."""

DOCUMENT_KINDS: dict[str, str] = {
    "review": "Review",
    "follow-up": "Follow-up visit",
    "response": "Council response",
    "context": "Context paper (not a review)",
}
"""The `document` facet: where a finding was written (a finding's `part`), in reading order.
A context paper frames reviews without being one, so a reader can leave it out."""

@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


def _reviewers(entry: FindingEntry, review: Review | None) -> list[str]:
    """Who reviewed: the visitors of a follow-up, else the review's peer authorities."""
    if review is None:
        return []
    if entry.part == "follow-up":
        visit = next(v for v in review.follow_ups if v.id == entry.part_id)
        visitors = list(dict.fromkeys(p.authority for p in visit.visitors if p.authority))
        if visitors:
            return visitors
    return reviewing_authorities(review)


def finding_filters(entry: FindingEntry, archive: Archive,
                    trails: Mapping[tuple[str, str], Trail] | None = None) -> dict[str, list[str]]:
    """The facet values of one finding (record ids); facets it has no value for are left out.
    With `trails`, a finding that asks for change has its follow-through status (`next`)."""
    review = archive.reviews.get(entry.owner_id) if entry.owner_kind == "review" else None
    trail = trails.get(entry.key) if trails is not None else None
    filters = {
        "host": [entry.authority],
        "reviewer": _reviewers(entry, review),
        "theme": list(dict.fromkeys(entry.finding.themes)),
        "kind": [entry.finding.kind],
        "year": [entry.date[:4]],
        "programme": [review.programme] if review and review.programme else [],
        "document": [entry.part],
        "next": [trail.status] if trail is not None else [],
    }
    return {key: values for key, values in filters.items() if values}


def finding_record(entry: FindingEntry, archive: Archive,
                   trails: Mapping[tuple[str, str], Trail] | None = None,
                   lead_in: str | None = None) -> SearchRecord:
    """The search record of one finding: its permalink, words, result fields and facets
    (`lead_in`: the sentence introducing the list it is in, shown before its words)."""
    finding = entry.finding
    document = (archive.reviews[entry.owner_id] if entry.owner_kind == "review"
                else archive.context_documents[entry.owner_id])
    host = archive.authorities[entry.authority].name
    themes = [(t, archive.themes[t].name) for t in dict.fromkeys(finding.themes)]
    heading = " · ".join(plain(part) for part in (finding.group, finding.title) if part)
    # What a reader searches for, each once (Pagefind indexes content and every meta field):
    # the finding's words as the content; its label, heading, authority, document and
    # theme names as meta fields, which a result shows as they are.
    meta = {
        "title": finding_label(finding),
        "authority": host,
        "document": document.title,
        "themes": json.dumps([name for _, name in themes], ensure_ascii=False),
    }
    if heading:
        meta["heading"] = heading
    # What a result shows but no one searches for, never split into words (see SearchRecord).
    # Links are not sent: the browser makes them from the permalink (its page) and the
    # filters' ids (the authority's and themes' pages, by the manifest's `links`), and the
    # explorer's download picks findings.csv's rows by permalink.
    display = {"kind": kind_label(finding.kind), "part": _capitalised(part_label(entry)),
               "date": human_date(entry.date)}
    if lead_in:
        display["lead_in"] = last_sentence(lead_in)
    return SearchRecord(
        url="/" + entry.url,
        content=plain(finding.text),
        meta=meta,
        filters=finding_filters(entry, archive, trails),
        sort={"date": entry.date},
        display=display,
    )


def finding_records(graph: Graph) -> Iterator[SearchRecord]:
    """Every finding of every review, follow-up, response and context document, newest first.

    An iterator: at 4,000 reviews the records take hundreds of MB, so the index takes them
    a shard at a time."""
    entries = sorted(graph.findings.values(), key=lambda e: (e.date, e.owner_id, -e.order), reverse=True)
    return (finding_record(entry, graph.archive, graph.trails, graph.lead_ins.get(entry.key)) for entry in entries)


def _words(*parts: str | None) -> str:
    return "\n".join(plain(part) for part in parts if part)


def _review_words(review: Review, names: dict[str, str], archive: Archive) -> str:
    """What a review page is about: who, when, under which programme, its summary and focus."""
    programme = archive.programmes.get(review.programme or "")
    return _words(
        review.title, names.get(review.host), programme.name if programme else None,
        " ".join(names.get(a, a) for a in reviewing_authorities(review)),
        *review.summary, review.focus.question.text if review.focus and review.focus.question else None,
    )


def page_records(graph: Graph) -> list[SearchRecord]:
    """The record pages (authority, review, theme, context document) for the header search.

    Built from the records, not by parsing the pages' HTML: at national scale a theme page
    carries thousands of findings, and reading 200 MB of HTML was most of the index time.
    A page's record says what the page is about (names, titles, summary); its findings are
    records of their own, and long prose would make every search fetch larger index chunks.
    """
    archive = graph.archive
    names = {a.id: a.name for a in archive.authorities.values()}
    out: list[SearchRecord] = []

    def page(url: str, kind: str, title: str, words: str) -> None:
        out.append(SearchRecord(url="/" + url, content=words, meta={"title": title, "type": kind},
                                filters={}, sort={}))

    for a in archive.authorities.values():
        hosted = [archive.reviews[r].title for r in graph.received.get(a.id, [])]
        page(urls.authority_url(a.id), "Authority", a.name,
             _words(a.name, a.official_name, a.region, a.note, *(names.get(m, m) for m in a.members), *hosted))
    for r in archive.reviews.values():
        page(urls.review_url(r.id), "Review", r.title, _review_words(r, names, archive))
    for t in archive.themes.values():
        page(urls.theme_url(t.id), "Theme", t.name, _words(t.name, t.description))
    for d in archive.context_documents.values():
        page(urls.context_url(d.id), "Context document", d.title, _words(
            d.title, names.get(d.authority), *d.summary, *(section.title for section in d.sections)))
    return out


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def facets(graph: Graph) -> list[Facet]:
    """Every facet with its values, labels and counts over all findings, in a reader's order."""
    archive = graph.archive
    counts: dict[str, Counter[str]] = {key: Counter() for key, _ in FACETS}
    for entry in graph.findings.values():
        for key, values in finding_filters(entry, archive, graph.trails).items():
            counts[key].update(values)
    names = {a.id: a.name for a in archive.authorities.values()}
    labels: dict[str, dict[str, str]] = {
        "host": names,
        "reviewer": names,
        "theme": {t.id: t.name for t in archive.themes.values()},
        "kind": {k: kind_label(k) for k in counts["kind"]},
        "year": {y: y for y in counts["year"]},
        "programme": {p.id: p.name for p in archive.programmes.values()},
        "document": DOCUMENT_KINDS,
        "next": {status.id: status.label for status in STATUSES.values()},
    }
    out = []
    for key, label in FACETS:
        values = [FacetValue(v, labels[key].get(v, v), n) for v, n in counts[key].items()]
        if key == "year":
            values.sort(key=lambda f: f.value, reverse=True)
        elif key == "document":
            values.sort(key=lambda f: list(DOCUMENT_KINDS).index(f.value) if f.value in DOCUMENT_KINDS
                        else len(DOCUMENT_KINDS))
        elif key == "kind":
            values.sort(key=lambda f: EXPLORER_ORDER.index(f.value) if f.value in EXPLORER_ORDER
                        else len(EXPLORER_ORDER))
        elif key == "next":
            values.sort(key=lambda f: list(STATUSES).index(f.value))
        else:
            values.sort(key=lambda f: f.label.casefold())
        out.append(Facet(key, label, values))
    return out

