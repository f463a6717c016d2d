"""How a finding is named where it is linked to or listed: kind, number, title, first words."""

from __future__ import annotations

from .models import Finding
from .text import excerpt
from .vocabulary import kind_label


def finding_label(finding: Finding) -> str:
    """How a finding is named in a link: its printed number, its title, or its first words."""
    label = kind_label(finding.kind)
    if finding.number:
        return f"{label} {finding.number}"
    if finding.title:
        return f"{label}: {finding.title}"
    return f"{label}: {excerpt(finding.text, 8)}"


def short_label(finding: Finding) -> str:
    """A finding's name where its text follows at once: kind, number and title as printed."""
    label = kind_label(finding.kind)
    label = f"{label} {finding.number}" if finding.number else label
    return f"{label}: {finding.title}" if finding.title else label
