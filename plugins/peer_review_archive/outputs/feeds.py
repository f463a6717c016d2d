"""Atom 1.0 feeds of reviews, follow-ups and responses: the whole archive, each authority, each theme.

A reader subscribes to "anything new about Thurrock" or "anything on governance". Each
entry is built and serialised once, then copied into every feed it belongs to, so the
cost grows with the number of entries and their memberships, not feeds times entries.
Each feed carries the latest `MAX_ENTRIES`; the full history is in /data/archive.json.gz.
Times come from record dates (a month or a year stands for its first day), never from
the clock, so two builds are byte-identical. Every text and attribute is escaped by
`xml.sax.saxutils` (and stripped of characters XML cannot hold) in one helper, `_tag`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from ..graph.indexes import Graph, reviewing_authorities
from ..records import urls
from ..records.archive import Archive
from ..records.dates import date_range, human_date
from ..records.models import Finding, FollowUp, Response, Review
from ..records.text import excerpt
from ..records.vocabulary import COUNT_ORDER, KINDS, REVIEW_KINDS
from .downloads import OGL, xml_text
from .memo import Memo

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
MAX_ENTRIES = 20
SUMMARY_WORDS = 60
EntryKind = Literal["review", "follow-up", "response"]
KIND_ORDER: dict[str, int] = {"response": 0, "follow-up": 1, "review": 2}


@dataclass(frozen=True)
class FeedLink:
    """A feed as a page's `<link rel="alternate">` names it."""

    title: str
    url: str  # site path, e.g. `authorities/thurrock/feed.xml`
    media_type: str = ATOM_MEDIA_TYPE


@dataclass(frozen=True)
class Entry:
    """One entry, already serialised, and the feeds it belongs to besides the archive's."""

    kind: EntryKind
    updated: str
    url: str
    xml: str
    authorities: tuple[str, ...]
    themes: tuple[str, ...]


def _tag(name: str, text: str | None = None, **attrs: str) -> str:
    """One element, every text and attribute escaped by saxutils (cheaper than a tree per entry)."""
    attributes = "".join(f" {key}={quoteattr(xml_text(value))}" for key, value in attrs.items())
    if text is None:
        return f"<{name}{attributes}/>"
    return f"<{name}{attributes}>{escape(xml_text(text))}</{name}>"


def atom_time(value: str) -> str:
    """A record date as an RFC 3339 time: `2016-06` -> `2016-06-01T00:00:00Z`."""
    parts = value.split("-")
    year, month, day = parts[0], parts[1] if len(parts) > 1 else "01", parts[2] if len(parts) > 2 else "01"
    return f"{year}-{month}-{day}T00:00:00Z"


def names_list(names: list[str]) -> str:
    """`['A', 'B', 'C']` -> `A, B and C`."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _themes_of(findings: Iterable[Finding], extra: Iterable[str] = ()) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(t for f in findings for t in f.themes), *extra]))


def _counts(findings: list[Finding]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    parts = []
    for kind in COUNT_ORDER:
        n = counts.get(kind, 0)
        if n:
            parts.append(f"{n} {KINDS[kind].counted if n == 1 else KINDS[kind].counted_plural}")
    return (names_list(parts) + ".") if parts else ""


def _sentences(*parts: str) -> str:
    return " ".join(p for p in parts if p)


class _Builder:
    """Builds every entry of one archive; knows the site's absolute URLs and names."""

    def __init__(self, archive: Archive, graph: Graph, site_url: str, site_name: str, memo: Memo | None = None):
        self.memo = memo
        self.extra = (memo.registry_names(archive), site_url, site_name) if memo is not None else None
        self.archive = archive
        self.graph = graph
        self.site_url = site_url
        self._absolute = urls.absolute_urls(site_url)
        self.site_name = site_name
        self.names = {a.id: a.name for a in archive.authorities.values()}
        # Category elements repeat across thousands of entries: escape each one once.
        authorities_scheme = self.url(urls.INDEX_URLS["authorities"])
        themes_scheme = self.url(urls.INDEX_URLS["themes"])
        self.categories = {
            **{kind: _tag("category", term=kind, label=kind.replace("-", " ").capitalize()) for kind in KIND_ORDER},
            **{f"authority:{a.id}": _tag("category", term=f"authority:{a.id}", label=a.name,
                                         scheme=authorities_scheme) for a in archive.authorities.values()},
            **{f"theme:{t.id}": _tag("category", term=f"theme:{t.id}", label=t.name, scheme=themes_scheme)
               for t in archive.themes.values()},
        }

    def url(self, path: str) -> str:
        return self._absolute(path)

    def entry(self, kind: EntryKind, title: str, date: str, path: str, summary: str,
              authorities: Iterable[str], themes: tuple[str, ...]) -> Entry:
        url = self.url(path)
        updated = atom_time(date)
        unique_authorities = tuple(dict.fromkeys(authorities))
        parts = [
            "<entry>",
            _tag("title", title, type="text"),
            _tag("id", url),
            _tag("link", rel="alternate", type="text/html", href=url),
            _tag("updated", updated),
            _tag("summary", summary, type="text"),
            self.categories[kind],
            *(self.categories[f"authority:{a}"] for a in unique_authorities),
            *(self.categories[f"theme:{t}"] for t in themes),
            "</entry>",
        ]
        return Entry(kind, updated, path, "".join(parts), unique_authorities, themes)

    def review(self, review: Review) -> Entry:
        peers = reviewing_authorities(review)
        lead = f"{REVIEW_KINDS[review.kind]} of {self.names[review.host]}"
        if peers:
            lead += " by " + names_list([self.names[p] for p in peers])
        lead += f", {date_range(review.date, review.end_date)}."
        first = excerpt(review.summary[0], SUMMARY_WORDS) if review.summary else ""
        summary = _sentences(lead, _counts(review.findings), first)
        themes = _themes_of(review.findings, (t for o in review.offers for t in o.themes))
        return self.entry("review", review.title, review.date, urls.review_url(review.id), summary,
                          [review.host, *peers], themes)

    def follow_up(self, review: Review, visit: FollowUp) -> Entry:
        visitors = list(dict.fromkeys(p.authority for p in visit.visitors if p.authority))
        lead = f"Follow-up visit to {self.names[review.host]}"
        if visitors:
            lead += " by " + names_list([self.names[v] for v in visitors])
        lead += f", {human_date(visit.date)}, on the {review.title} of {date_range(review.date, review.end_date)}."
        first = excerpt(visit.summary[0], SUMMARY_WORDS) if visit.summary else ""
        summary = _sentences(lead, _counts(visit.findings), first)
        title = visit.title or f"Follow-up visit: {review.title}"
        path = urls.anchor_url(urls.review_url(review.id), visit.id)
        return self.entry("follow-up", title, visit.date, path, summary, [review.host, *visitors],
                          _themes_of(visit.findings))

    def response(self, review: Review, response: Response) -> Entry:
        lead = f"{self.names[review.host]}'s report back on the {review.title}"
        if response.body:
            lead += f", to {response.body}"
        lead += f", {human_date(response.date)}."
        # What the report asked its committee to do says more than its boilerplate headings.
        opening = [*(item.text for item in response.committee_recommendations), *response.summary]
        first = excerpt(opening[0], SUMMARY_WORDS) if opening else ""
        summary = _sentences(lead, _counts(response.findings), first)
        path = urls.anchor_url(urls.review_url(review.id), response.id)
        return self.entry("response", f"{response.title} ({self.names[review.host]})", response.date, path,
                          summary, [review.host], _themes_of(response.findings))

    def review_entries(self, review: Review) -> list[Entry]:
        """A review's entries: the review, each follow-up visit, each response."""
        return [self.review(review), *(self.follow_up(review, visit) for visit in review.follow_ups),
                *(self.response(review, response) for response in review.responses)]

    def entries(self) -> list[Entry]:
        """Every entry, newest first; ties broken by kind and URL so the order is stable."""
        found: list[Entry] = []
        for review in self.archive.reviews.values():
            if self.memo is None:
                found += self.review_entries(review)
            else:
                found += self.memo.get("feed-entries", review, self.extra, lambda r=review: self.review_entries(r))
        found.sort(key=lambda e: (e.url, KIND_ORDER[e.kind]))
        found.sort(key=lambda e: e.updated, reverse=True)
        return found

    def feed(self, path: str, page: str, title: str, subtitle: str, entries: list[Entry],
             fallback_updated: str) -> bytes:
        head = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<feed xmlns={quoteattr(ATOM_NS)} xml:lang="en-GB">',
            _tag("title", title, type="text"),
            _tag("subtitle", subtitle, type="text"),
            _tag("id", self.url(path)),
            _tag("link", rel="self", type=ATOM_MEDIA_TYPE, href=self.url(path)),
            _tag("link", rel="alternate", type="text/html", href=self.url(page)),
            _tag("updated", entries[0].updated if entries else fallback_updated),
            "<author>" + _tag("name", self.site_name) + _tag("uri", self.url(urls.HOME_URL)) + "</author>",
            _tag("rights", f"Contains public sector information licensed under the {OGL.name}.", type="text"),
        ]
        body = [e.xml for e in entries[:MAX_ENTRIES]]
        return ("\n".join([*head, *body, "</feed>"]) + "\n").encode()


def site_feed_link(site_name: str) -> FeedLink:
    return FeedLink(f"{site_name}: reviews, follow-ups and responses", urls.FEED_URL)


def feed_links(archive: Archive, site_name: str) -> dict[str, list[FeedLink]]:
    """For each page that has its own feed, that feed (the archive's feed is on every page)."""
    links: dict[str, list[FeedLink]] = {}
    for authority in archive.authorities.values():
        links[urls.authority_url(authority.id)] = [
            FeedLink(f"{site_name}: {authority.name}", urls.authority_feed_url(authority.id))]
    for theme in archive.themes.values():
        links[urls.theme_url(theme.id)] = [FeedLink(f"{site_name}: {theme.name}", urls.theme_feed_url(theme.id))]
    return links


def build_feeds(archive: Archive, graph: Graph, site_url: str, site_name: str,
                memo: Memo | None = None) -> dict[str, bytes]:
    """Every feed's site path and exact bytes: the archive's, one per authority, one per theme.

    `site_url` must be absolute: feed readers resolve nothing against a page.
    """
    builder = _Builder(archive, graph, site_url, site_name, memo)
    entries = builder.entries()
    newest = entries[0].updated if entries else "1970-01-01T00:00:00Z"
    by_authority: dict[str, list[Entry]] = defaultdict(list)
    by_theme: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for authority_id in entry.authorities:
            if len(by_authority[authority_id]) < MAX_ENTRIES:
                by_authority[authority_id].append(entry)
        for theme_id in entry.themes:
            if len(by_theme[theme_id]) < MAX_ENTRIES:
                by_theme[theme_id].append(entry)

    feeds = {urls.FEED_URL: builder.feed(
        urls.FEED_URL, urls.HOME_URL, site_feed_link(site_name).title,
        "New peer reviews, follow-up visits and councils' responses, newest first.", entries, newest)}
    for authority in sorted(archive.authorities.values(), key=lambda a: a.id):
        path = urls.authority_feed_url(authority.id)
        feeds[path] = builder.feed(
            path, urls.authority_url(authority.id), f"{site_name}: {authority.name}",
            f"Reviews of {authority.name}, reviews it took part in as a peer, follow-ups and responses.",
            by_authority.get(authority.id, []), newest)
    for theme in archive.themes.values():
        path = urls.theme_feed_url(theme.id)
        feeds[path] = builder.feed(
            path, urls.theme_url(theme.id), f"{site_name}: {theme.name}",
            f"Reviews, follow-ups and responses with findings on {theme.name.lower()}.",
            by_theme.get(theme.id, []), newest)
    return feeds
