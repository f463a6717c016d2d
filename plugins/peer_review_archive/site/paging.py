"""Long lists cut into static pages of a fixed size, so that no page grows with the archive.

Pure arithmetic, shared by the page plan (how many pages), the dependency declarations
(which findings a page shows) and the views (what a page lists), so all three agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

FINDINGS_PER_PAGE = 200
"""A theme's findings per listing page: about 300 kB of HTML with their words."""

T = TypeVar("T")


def page_count(items: int, size: int = FINDINGS_PER_PAGE) -> int:
    """Pages needed for `items` (at least one, which may then say there is nothing)."""
    return max(1, -(-items // size))


def page_items(items: Sequence[T], number: int, size: int = FINDINGS_PER_PAGE) -> Sequence[T]:
    """The items on page `number` (from 1), in the list's own order."""
    return items[(number - 1) * size:number * size]


def page_of(index: int, size: int = FINDINGS_PER_PAGE) -> int:
    """The page (from 1) on which the item at `index` (from 0) is listed."""
    return index // size + 1
