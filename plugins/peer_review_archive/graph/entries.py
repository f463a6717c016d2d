"""A finding with its place in the archive: the unit the graph, trails and matching work on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..records import urls
from ..records.ids import finding_key
from ..records.models import Finding

OwnerKind = Literal["review", "context"]
PartKind = Literal["review", "follow-up", "response", "context"]



@dataclass(frozen=True, slots=True)
class FindingEntry:
    """A finding with where it lives: its document, the part of it, the host and the date."""

    finding: Finding
    owner_kind: OwnerKind
    owner_id: str
    part: PartKind
    part_id: str | None
    authority: str
    date: str
    order: int  # position in its document, only to keep source order when sorting

    @property
    def page_url(self) -> str:
        if self.owner_kind == "review":
            return urls.review_url(self.owner_id)
        return urls.context_url(self.owner_id)

    @property
    def url(self) -> str:
        """The finding's permalink: its record id as the anchor, never its position."""
        return urls.anchor_url(self.page_url, self.finding.id)

    @property
    def key(self) -> tuple[str, str]:
        return (self.owner_id, self.finding.id)

    @property
    def finding_key(self) -> str:
        """Unique across the archive and stable: `thurrock-2016/recommendation-1-6`."""
        return finding_key(self.owner_id, self.finding.id)
