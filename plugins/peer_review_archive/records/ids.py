"""Id rules: ids become URLs, file names and HTML ids, so they are checked once, here."""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_RE = re.compile(SLUG_PATTERN)


def is_slug(value: object) -> bool:
    return isinstance(value, str) and bool(SLUG_RE.match(value))


def checked(value: str) -> str:
    """Refuse anything that could leave its folder before it becomes part of a path."""
    if not is_slug(value):
        raise ValueError(f"not a lowercase slug: {value!r}")
    return value


# Ids the site's own markup uses, which no record id may take: the theme's (the header's
# search box is on every page, the 404 page has its own), and those the scripts look up.
# Every id of the theme and the scripts starts with `pra-`, so the whole prefix is reserved;
# the few that do not are listed. Section anchors the page plan makes (`summary`, `team`,
# `sources`...) need no reserving: `site.plan.Anchors` steps around record ids.
RESERVED_PREFIX = "pra-"
RESERVED_IDS = frozenset({
    "page-not-found", "search-the-archive", "browse-the-archive",  # theme/404.html
    "main-content",  # theme/main.html: the skip link's target on every page
})


def reserved(value: object) -> bool:
    """True for an id the site itself uses (see RESERVED_IDS)."""
    return isinstance(value, str) and (value.startswith(RESERVED_PREFIX) or value in RESERVED_IDS)


FINDING_REF_PATTERN = r"^([a-z0-9][a-z0-9-]*/)?[a-z0-9][a-z0-9-]*$"
"""What `addresses` may name: a finding id of the same file, or `<document-id>/<finding-id>`."""


def finding_key(document_id: str, finding_id: str) -> str:
    """A finding's key, unique across the archive and stable: `thurrock-2016/recommendation-1-6`."""
    return f"{checked(document_id)}/{checked(finding_id)}"


def resolve_ref(ref: str, here: str) -> tuple[str, str]:
    """`addresses` entry -> (document id, finding id); a bare id names a finding of `here`."""
    document, _, finding = ref.rpartition("/")
    return (document or here, finding)
