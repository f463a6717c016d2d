"""Partial dates (a year, an ISO month or an ISO date), compared and said in words."""

from __future__ import annotations

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def human_date(value: str | None) -> str:
    """`2012-03-20` -> `20 March 2012`; `2012-03` -> `March 2012`; `2012` -> `2012`."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def date_range(start: str, end: str | None) -> str:
    """`2012-03-20`..`2012-03-21` -> `20–21 March 2012`; else both dates in full."""
    if not end or end == start:
        return human_date(start)
    if len(start) == len(end) == 10 and start[:7] == end[:7]:
        return f"{int(start[8:])}–{human_date(end)}"
    return f"{human_date(start)} – {human_date(end)}"


def year(value: str) -> str:
    return value[:4]


def certainly_before(later: str, earlier: str) -> bool:
    """True when a partial date certainly falls before another (2016-06 vs 2016: unknown)."""
    width = min(len(later), len(earlier))
    return later[:width] < earlier[:width]
