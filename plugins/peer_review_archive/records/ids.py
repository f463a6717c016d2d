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
