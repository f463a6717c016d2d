"""A problem found in the records, reported as `path:line:column: field: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.field or '(file)'}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ArchiveError(Exception):
    """Raised when the records have problems; carries every one of them, not just the first."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(set(problems))  # by file, line and column; each once
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"The records have {summary(self.problems)}:\n{lines}")


def summary(problems: Sequence[Problem]) -> str:
    """`3 problems in 2 files`: the last line of a report, however long it is."""
    count, files = len(problems), len({p.path for p in problems})
    return f"{count:,} problem{'s' if count != 1 else ''} in {files:,} file{'s' if files != 1 else ''}"


def field_path(loc: Loc) -> str:
    """`('findings', 3, 'themes', 0)` -> `findings[3].themes[0]`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """The nearest valid value, as a hint; empty when nothing is close."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""
