"""Which findings a lead-in introduces: the rule the checks and every page share.

A finding's `lead_in` is the source's sentence introducing a list ("Noticeable improvements
have taken place in:"). The list is that finding and the ones after it in the record that
share its kind and group: `lead_in.items` of them, or, without it, up to the next lead-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .models import Finding


@dataclass(frozen=True)
class IntroducedList:
    start: int  # index of the finding carrying the lead-in
    count: int  # how many findings it introduces, itself included
    available: int  # how many could be: the run of the same kind and group from `start`


def introduced_lists(findings: Sequence[Finding]) -> list[IntroducedList]:
    """Every list a lead-in introduces in one list of findings, in order."""
    out = []
    for i, finding in enumerate(findings):
        if finding.lead_in is None:
            continue
        available = 1
        while (i + available < len(findings) and findings[i + available].kind == finding.kind
               and findings[i + available].group == finding.group):
            available += 1
        until_next = next((n for n in range(1, available) if findings[i + n].lead_in is not None), available)
        count = finding.lead_in.items if finding.lead_in.items is not None else until_next
        out.append(IntroducedList(i, count, available))
    return out


def introduced_by(findings: Sequence[Finding]) -> dict[str, str]:
    """Finding id -> id of the finding whose lead-in introduces it (itself for the first)."""
    members: dict[str, str] = {}
    for found in introduced_lists(findings):
        owner = findings[found.start].id
        for finding in findings[found.start:found.start + min(found.count, found.available)]:
            members.setdefault(finding.id, owner)
    return members
