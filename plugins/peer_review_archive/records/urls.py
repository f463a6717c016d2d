"""URL rules, in one place: every page, anchor, download and feed path of the site."""

from __future__ import annotations

import re
from collections.abc import Callable

from .ids import checked as _checked

# Site paths, relative to the site root, always ending in "/" (MkDocs' directory URLs).


def authority_url(authority_id: str) -> str:
    return f"authorities/{_checked(authority_id)}/"


def authority_as_peer_url(authority_id: str, number: int = 1) -> str:
    """A page of the reviews and visits an authority took part in as a peer, newest first:
    `authorities/<id>/as-peer/`, then `.../as-peer/2/`."""
    return _numbered(f"{authority_url(authority_id)}as-peer/", number)


def authority_offers_url(authority_id: str, number: int = 1) -> str:
    """A page of the offers of support an authority received and gave, newest first."""
    return _numbered(f"{authority_url(authority_id)}offers/", number)


def review_url(review_id: str) -> str:
    return f"reviews/{_checked(review_id)}/"


_YEAR_RE = re.compile(r"^[0-9]{4}$")


def reviews_year_url(year: str, number: int = 1) -> str:
    """A page of the reviews that began in a year: `reviews/2016/`, then `reviews/2016/2/` on.

    Review ids are never only digits (records/assembly.py), so these never meet a review's page."""
    if not _YEAR_RE.match(year):
        raise ValueError(f"not a year: {year!r}")
    return _numbered(f"{INDEX_URLS['reviews']}{year}/", number)


def context_url(document_id: str) -> str:
    return f"context/{_checked(document_id)}/"


def source_document_url(document_id: str) -> str:
    """A source document's page: its full text with numbered lines."""
    return f"sources/{_checked(document_id)}/"


def source_line_anchor(line: int) -> str:
    """A line's id on its source document's page, e.g. `L101` (a number, so never a slug clash)."""
    if not isinstance(line, int) or line < 1:
        raise ValueError(f"not a line number: {line!r}")
    return f"L{line}"


def source_lines_url(document_id: str, first: int) -> str:
    """Where cited lines start on their source document's page."""
    return f"{source_document_url(document_id)}#{source_line_anchor(first)}"


def theme_url(theme_id: str) -> str:
    return f"themes/{_checked(theme_id)}/"


def theme_findings_url(theme_id: str, number: int = 1) -> str:
    """A page of a theme's findings: `themes/<id>/findings/`, then `.../findings/2/` on."""
    return _numbered(f"{theme_url(theme_id)}findings/", number)


def theme_offers_url(theme_id: str, number: int = 1) -> str:
    """A page of a theme's offers of support, newest first: `themes/<id>/offers/`, `.../2/`."""
    return _numbered(f"{theme_url(theme_id)}offers/", number)


def is_listing(url: str) -> bool:
    """Whether a site path is a listing of records found on pages of their own: a theme's
    findings or offers pages, an authority's visits as a peer or offers, a year's reviews,
    the network's table."""
    parts = url.strip("/").split("/")
    return ((len(parts) >= 3 and parts[0] == "themes" and parts[2] in ("findings", "offers"))
            or (len(parts) >= 3 and parts[0] == "authorities" and parts[2] in ("as-peer", "offers"))
            or (len(parts) >= 2 and parts[0] == "reviews" and bool(_YEAR_RE.match(parts[1])))
            or f"{url.strip('/')}/" == NETWORK_TABLE_URL)


def _numbered(first: str, number: int) -> str:
    if number < 1:
        raise ValueError(f"pages are numbered from 1, not {number}")
    return first if number == 1 else f"{first}{number}/"


_FACET_KEY_RE = re.compile(r"^[a-z]+$")


def explorer_url(**facets: str) -> str:
    """The explorer filtered by facet values, as its own URLs write them: `?theme=<id>`."""
    for key in facets:
        if not _FACET_KEY_RE.match(key):
            raise ValueError(f"not a facet key: {key!r}")
    query = "&".join(f"{key}={_checked(value)}" for key, value in facets.items())
    return f"{INDEX_URLS['recommendations']}?{query}" if query else INDEX_URLS["recommendations"]


def programme_anchor(programme_id: str) -> str:
    return f"reviews/#{_checked(programme_id)}"


def anchor_url(page_url: str, anchor: str) -> str:
    """A permalink to something on a page: a finding, a follow-up, a response."""
    return f"{page_url}#{_checked(anchor)}"


def source_anchor(source_id: str) -> str:
    """Sources share a page with findings, whose ids may look alike: prefix them."""
    return f"source-{_checked(source_id)}"


HOME_URL = ""
NETWORK_TABLE_URL = "network/table/"  # who reviewed whom, as a table (the network page draws it)


def relative_url(from_url: str, to_url: str) -> str:
    """`to_url` as a link written on the page at `from_url` (both site-relative).

    Generated bodies bypass MkDocs' link rewriting, so they link relatively themselves:
    the site then works under any `site_url` path and straight from the file system.
    """
    path, _, anchor = to_url.partition("#")
    if anchor and path == from_url:
        return f"#{anchor}"
    target = link_base(from_url) + path or "./"
    return f"{target}#{anchor}" if anchor else target


def link_base(from_url: str) -> str:
    """What every link on the page at `from_url` to another page starts with (the way back
    to the site's root): two pages with the same base write the same links to a third."""
    return "../" * from_url.count("/")


def page_file(url: str) -> str:
    """The Markdown source path MkDocs will turn into `url` (`reviews/x/` -> `reviews/x.md`)."""
    return f"{url}index.md"


INDEX_URLS = {
    "authorities": "authorities/",
    "reviews": "reviews/",
    "themes": "themes/",
    "recommendations": "recommendations/",
    "network": "network/",
    "data": "data/",
    "sources": "sources/",
    "compare": "compare/",
}


# Downloads and feeds: files, not pages, so their paths end in a file name.

_FILE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)+$")
DATA_FOLDER = "data/"
RECORD_FORMAT_URL = "record-format/"  # a hand-written page (content/record-format.md)
FEED_FILE = "feed.xml"
FEED_URL = FEED_FILE


def data_file_url(name: str) -> str:
    """A download on the data page, e.g. `data/findings.csv`; the name is checked like an id."""
    if not _FILE_NAME_RE.match(name):
        raise ValueError(f"not a plain file name: {name!r}")
    return f"{DATA_FOLDER}{name}"


def schema_file_url(name: str) -> str:
    """A published JSON Schema file, e.g. `data/schema/review.schema.json`."""
    return f"{DATA_FOLDER}schema/{data_file_url(name).removeprefix(DATA_FOLDER)}"


def authority_feed_url(authority_id: str) -> str:
    """An authority's Atom feed sits beside its page: `authorities/<id>/feed.xml`."""
    return f"{authority_url(authority_id)}{FEED_FILE}"


def theme_feed_url(theme_id: str) -> str:
    return f"{theme_url(theme_id)}{FEED_FILE}"


def authority_data_url(authority_id: str) -> str:
    """An authority's file for the compare page: `data/authorities/<id>.json.gz` (gzip-compressed JSON)."""
    return f"{DATA_FOLDER}authorities/{_checked(authority_id)}.json.gz"


def compare_url(first: str, second: str | None = None) -> str:
    """The compare page with one or two authorities chosen: `compare/?a=<id>&b=<id>` (its script reads them)."""
    query = f"?a={_checked(first)}" + (f"&b={_checked(second)}" if second else "")
    return INDEX_URLS["compare"] + query


def absolute_url(site_url: str, url: str) -> str:
    """A site path as an absolute URL under `site_url` (feeds and downloads leave the site)."""
    return absolute_urls(site_url)(url)


def absolute_urls(site_url: str) -> Callable[[str], str]:
    """`absolute_url` for many paths: `site_url` is checked once, not once per finding."""
    if not re.match(r"^https?://[^\s<>\"']+$", site_url):
        raise ValueError(f"site_url must be an absolute http(s) URL, not {site_url!r}")
    base = site_url.rstrip("/") + "/"
    return lambda url: base + url
