"""Id and URL rules, in one place: ids become URLs and file names, so they are checked here."""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_RE = re.compile(SLUG_PATTERN)


def is_slug(value: object) -> bool:
    return isinstance(value, str) and bool(SLUG_RE.match(value))


def _checked(value: str) -> str:
    """Refuse anything that could leave its folder before it becomes part of a path."""
    if not is_slug(value):
        raise ValueError(f"not a lowercase slug: {value!r}")
    return value


# Site paths, relative to the site root, always ending in "/" (MkDocs' directory URLs).


def authority_url(authority_id: str) -> str:
    return f"authorities/{_checked(authority_id)}/"


def review_url(review_id: str) -> str:
    return f"reviews/{_checked(review_id)}/"


def context_url(document_id: str) -> str:
    return f"context/{_checked(document_id)}/"


def theme_url(theme_id: str) -> str:
    return f"themes/{_checked(theme_id)}/"


def programme_anchor(programme_id: str) -> str:
    return f"reviews/#{_checked(programme_id)}"


def anchor_url(page_url: str, anchor: str) -> str:
    """A permalink to something on a page: a finding, a follow-up, a response."""
    return f"{page_url}#{_checked(anchor)}"


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
}
