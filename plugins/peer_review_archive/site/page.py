"""One planned page, and the helpers its view is built with: links relative to it, and
section anchors that never collide with its record's own.

Apart from `plan.py` so that the page views (views/) can use them without importing the
plan that calls them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from markupsafe import Markup, escape

from ..graph.indexes import FindingEntry
from ..records import urls
from .dependencies import Shows

PageKind = Literal["home", "authorities", "authority", "authority-as-peer", "authority-offers", "reviews",
                   "reviews-year", "review", "themes", "theme", "theme-findings", "theme-offers", "network",
                   "network-table", "data", "context", "recommendations", "sources", "source", "compare"]


@dataclass(frozen=True)
class PlannedPage:
    """One page: where it goes, what it is called, and which record an editor changes."""

    url: str
    title: str
    kind: PageKind
    subject: str | None = None
    record: Path | None = None  # relative to the records folder; None for index pages
    in_nav: bool = False
    shows: Shows = Shows()  # what it shows of the records: its serve key is made from this
    number: int = 1  # which page of a paged listing (paging.py)

    @property
    def src_uri(self) -> str:
        return urls.page_file(self.url) if self.url else "index.md"


@dataclass(frozen=True)
class AuthorityRef:
    """An authority as a page names it: its name, linking to its page.

    Printed as the link itself (`{{ ref }}`): it is on most rows of most pages, and one
    macro call per row would cost more than the rest of the row."""

    id: str
    name: str
    href: str

    def __html__(self) -> str:
        return f'<a class="pra-authority" href="{escape(self.href)}">{escape(self.name)}</a>'


class Links:
    """URLs as written on one page: every target comes from `urls`, made relative here."""

    def __init__(self, here: str, names: dict[str, str]):
        self.here = here
        self.names = names
        self._authorities: dict[str, AuthorityRef] = {}

    def to(self, url: str) -> str:
        return urls.relative_url(self.here, url)

    @property
    def base(self) -> str:
        """`urls.link_base` of this page: pages sharing it link alike to any other page."""
        return urls.link_base(self.here)

    def home(self) -> str:
        return self.to(urls.HOME_URL)

    def index(self, section: str) -> str:
        return self.to(urls.INDEX_URLS[section])

    def authority(self, authority_id: str) -> str:
        return self.to(urls.authority_url(authority_id))

    def authority_as_peer(self, authority_id: str, number: int = 1) -> str:
        return self.to(urls.authority_as_peer_url(authority_id, number))

    def authority_offers(self, authority_id: str, number: int = 1) -> str:
        return self.to(urls.authority_offers_url(authority_id, number))

    def authority_ref(self, authority_id: str) -> AuthorityRef:
        found = self._authorities.get(authority_id)
        if found is None:
            found = AuthorityRef(authority_id, self.names[authority_id], self.authority(authority_id))
            self._authorities[authority_id] = found
        return found

    def authority_refs(self, authority_ids: Iterable[str]) -> tuple[AuthorityRef, ...]:
        return tuple(self.authority_ref(a) for a in authority_ids)

    def review(self, review_id: str, anchor: str | None = None) -> str:
        url = urls.review_url(review_id)
        return self.to(urls.anchor_url(url, anchor) if anchor else url)

    def reviews_year(self, year: str, number: int = 1, anchor: str | None = None) -> str:
        url = urls.reviews_year_url(year, number)
        return self.to(urls.anchor_url(url, anchor) if anchor else url)

    def theme(self, theme_id: str) -> str:
        return self.to(urls.theme_url(theme_id))

    def theme_findings(self, theme_id: str, number: int = 1, anchor: str | None = None) -> str:
        url = urls.theme_findings_url(theme_id, number)
        return self.to(urls.anchor_url(url, anchor) if anchor else url)

    def theme_offers(self, theme_id: str, number: int = 1) -> str:
        return self.to(urls.theme_offers_url(theme_id, number))

    def explorer(self, **facets: str) -> str:
        return self.to(urls.explorer_url(**facets))

    def context(self, document_id: str) -> str:
        return self.to(urls.context_url(document_id))

    def programme(self, programme_id: str) -> str:
        return self.to(urls.programme_anchor(programme_id))

    def finding(self, entry: FindingEntry) -> str:
        return self.to(entry.url)

    def source(self, source_id: str) -> str:
        return f"#{urls.source_anchor(source_id)}"

    def source_document(self, document_id: str) -> str:
        return self.to(urls.source_document_url(document_id))

    def evidence(self, document_id: str, first_line: int) -> str:
        """The cited lines on their source document's page."""
        return self.to(urls.source_lines_url(document_id, first_line))


def and_list(items: Iterable[object]) -> Markup:
    """'A, B and C', each item escaped (an `AuthorityRef` prints as its link)."""
    parts = [escape(item) for item in items]
    if len(parts) < 2:
        return Markup("").join(parts)
    return Markup(", ").join(parts[:-1]) + Markup(" and ") + parts[-1]


class Anchors:
    """Section ids on a page that never collide with the record's own anchors."""

    def __init__(self, taken: Iterable[str]):
        self.taken = set(taken)
        self.given: dict[str, str] = {}

    def section(self, name: str) -> str:
        if name not in self.given:
            anchor = name
            while anchor in self.taken:
                anchor += "-section"
            self.taken.add(anchor)
            self.given[name] = anchor
        return self.given[name]
