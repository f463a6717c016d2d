"""One small JSON file per authority, for the compare page (`/compare/?a=<id>&b=<id>`).

A page per pair of authorities would be quadratic (150 authorities: 11,175 pages), so the
compare page is one page whose script fetches the two authorities' files and sets them
side by side: their reviews and the peers each had, their findings per theme (praised /
told to improve), and how the findings that ask for change were followed through. The
authority pages carry the same facts and are the fallback without JavaScript.

Text is plain (record markup removed): the script inserts it as text, never as HTML.
URLs are site-relative paths, the script resolves them against the site root. The files are
gzip-compressed (67 MB of JSON at 4,000 reviews, a tenth of that compressed; only the script
reads them, with the browser's `DecompressionStream`), without a time in their header, so
that builds give the same bytes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from ..graph.indexes import FindingEntry, Graph, reviewing_authorities
from ..graph.trails import STATUSES, summarise
from ..records import urls
from ..records.dates import human_date
from ..records.labels import finding_label
from ..records.models import Person
from ..records.text import plain
from ..records.vocabulary import kind_label, side
from .memo import Memo

GZIP_LEVEL = 6  # zlib's default, as archive.json.gz's


def _person(person: Person) -> dict[str, str | None]:
    """Names and roles as printed; never contact details (the record format refuses them)."""
    return {"name": person.name, "role": person.role, "authority": person.authority}


def _finding(entry: FindingEntry, graph: Graph) -> dict[str, Any]:
    trail = graph.trails.get(entry.key)
    return {"key": entry.finding_key, "label": finding_label(entry.finding), "text": plain(entry.finding.text),
            "url": entry.url, "date": entry.date,
            **({"follow_through": trail.status, "follow_through_label": trail.label} if trail else {})}


def authority_data(graph: Graph, authority_id: str, own: list[FindingEntry] | None = None) -> dict[str, Any]:
    """What the compare page shows of one authority (`own`: its findings, if already gathered)."""
    archive = graph.archive
    names = {a.id: a.name for a in archive.authorities.values()}
    authority = archive.authorities[authority_id]
    reviews = []
    for review_id in graph.received.get(authority_id, []):
        review = archive.reviews[review_id]
        reviews.append({
            "id": review.id, "title": review.title, "date": review.date, "date_label": human_date(review.date),
            "url": urls.review_url(review.id),
            "reviewers": [{"id": a, "name": names[a], "url": urls.authority_url(a)}
                          for a in reviewing_authorities(review)],
            "team": [_person(p) for p in review.team],
            "follow_ups": [{"date": v.date, "date_label": human_date(v.date),
                            "url": urls.anchor_url(urls.review_url(review.id), v.id),
                            "visitors": [_person(p) for p in v.visitors]} for v in review.follow_ups],
        })
    if own is None:
        own = [entry for entry in graph.findings.values() if entry.authority == authority_id]
    own = sorted(own, key=lambda e: (e.date, e.owner_id, e.order))
    themes: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for entry in own:
        where = side(entry.finding.kind)
        if where == "other":
            continue
        for theme in dict.fromkeys(entry.finding.themes):
            themes.setdefault(theme, {"praised": [], "to_improve": []})[where].append(_finding(entry, graph))
    trails = [graph.trails[e.key] for e in own if e.key in graph.trails]
    return {
        "id": authority.id, "name": authority.name, "url": urls.authority_url(authority.id),
        "region": authority.region,
        "reviews": reviews,
        "themes": [{"id": t, "name": archive.themes[t].name, "url": urls.theme_url(t), **themes[t]}
                   for t in sorted(themes, key=lambda t: archive.themes[t].name.casefold())],
        "follow_through": [{"kind": s.kind, "label": kind_label(s.kind, plural=True), "total": s.total,
                            "sentence": s.sentence,
                            "statuses": [{"id": k, "label": STATUSES[k].label, "count": n} for k, n in s.statuses]}
                           for s in summarise(trails)],
    }


def authority_files(graph: Graph, memo: Memo | None = None) -> Iterator[tuple[str, Callable[[BinaryIO], None]]]:
    """Each authority's file: its site path and what writes its bytes (compact UTF-8 JSON, gzipped).
    With a `memo` (serve), a file is made again only when something it prints changed: the
    authority's documents, the registries' names or its findings' follow-through."""
    archive = graph.archive
    by_authority: dict[str, list[FindingEntry]] = {}
    for entry in graph.findings.values():
        by_authority.setdefault(entry.authority, []).append(entry)
    names = memo.registry_names(archive) if memo is not None else ()
    for authority_id in sorted(archive.authorities):
        own = by_authority.get(authority_id, [])

        def make(authority_id: str = authority_id, own: list[FindingEntry] = own) -> bytes:
            data = authority_data(graph, authority_id, own)
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            return gzip.compress(text.encode(), compresslevel=GZIP_LEVEL, mtime=0)

        def write(stream: BinaryIO, authority_id: str = authority_id, own: list[FindingEntry] = own,
                  make: Callable[[], bytes] = make) -> None:
            if memo is None:
                stream.write(make())
                return
            documents = sorted({*graph.received.get(authority_id, ()), *(e.owner_id for e in own)})
            trails = tuple(t.shown if (t := graph.trails.get(e.key)) else None for e in own)
            inputs = (archive.authorities[authority_id], names,
                      tuple(archive.reviews.get(d) or archive.context_documents[d] for d in documents), trails)
            stream.write(memo.get_for("compare", authority_id, inputs, make))
        yield urls.authority_data_url(authority_id), write
