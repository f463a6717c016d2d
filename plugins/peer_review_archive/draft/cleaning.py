"""Make extracted lines into the paper's text: the lines `pra draft` numbers and cites.

Line for line (so that line numbers stay those of the text an editor saves as
`reviews/sources/<id>.txt`): ligatures spelled out, private-use and other bullet glyphs
made "- ", running headers and footers ("Page 3 of 12") and page numbers dropped, and
every e-mail address and phone number replaced by "[contact details removed]".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..records.models import EMAIL_RE, PHONE_RE
from .reading import RawPaper

REMOVED = "[contact details removed]"
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st",
             # fonts without a proper ToUnicode map put fi and fl where Adobe's encodings did
             "\uf001": "fi", "\uf002": "fl"}
# Word's Symbol and Wingdings bullets land in the private-use area (U+F0B7, U+F0A7, ...).
BULLET_RE = re.compile(r"^(\s*)(?:[\x00\ufffd\uE000-\uF8FF•●▪■◦○·‣⁃∙➢➤►✓✔]|-(?=\s)|\*(?=\s))+\s*")
PAGE_RE = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$|^\s*-\s*\d{1,4}\s*-\s*$", re.I)
BLANK_PAGE_RE = re.compile(r"^\s*this page (?:is )?(?:intentionally )?left blank\.?\s*$", re.I)
LABELLED_CONTACT_RE = re.compile(r"\b(?:tel(?:ephone)?|phone|mobile|fax|e-?mail)\s*[:.]?\s*$", re.I)


@dataclass
class Paper:
    format: str
    lines: list[str]
    pages: list[int]
    page_count: int
    contacts: list[tuple[int, int]] = field(default_factory=list)  # (line number, how many removed)
    dropped: int = 0  # running headers, footers and page numbers left out of a PDF's text
    noise: set[int] = field(default_factory=set)  # lines kept in a text's numbering but not read
    columns: list[int] = field(default_factory=list)  # per line: columns of the wrapped table it is in, or 0
    page_title: str | None = None  # an HTML page's title for the paper (see reading._page_title)
    page_heading: str | None = None

    def page(self, line: int) -> int:
        return self.pages[line - 1]


def clean(raw: RawPaper) -> Paper:
    lines, pages, columns, noise = _running_lines(raw)
    paper = Paper(raw.format, [], [], raw.page_count, dropped=len(raw.lines) - len(lines), noise=noise,
                  columns=columns, page_title=raw.page_title, page_heading=raw.page_heading)
    for line, page in zip(lines, pages, strict=True):
        for bad, good in LIGATURES.items():
            line = line.replace(bad, good)
        line = line.replace("\u00ad", "").replace("\u00a0", " ").replace("\u200b", "")
        line = "\t".join(BULLET_RE.sub(lambda m: m.group(1) + "- ", cell) for cell in line.split("\t"))  # each cell
        line = re.sub(r"[\x00-\x08\x0b-\x1f\ufffd]", "", line)  # glyphs with no text behind them
        line, count = _without_contacts(line)
        paper.lines.append(line.rstrip())
        paper.pages.append(page)
        if count:
            paper.contacts.append((len(paper.lines), count))
    return paper


def _without_contacts(line: str) -> tuple[str, int]:
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return REMOVED

    line = EMAIL_RE.sub(swap, line)
    line = PHONE_RE.sub(swap, line)
    line = re.sub(re.escape(REMOVED) + r"(\s*(?:/|,|;|or|and)\s*" + re.escape(REMOVED) + ")+", REMOVED, line)
    return line, count


def _running_lines(raw: RawPaper) -> tuple[list[str], list[int], list[int], set[int]]:
    """Page numbers always; in a PDF, also lines that repeat at the top or bottom of pages.

    A PDF's text is our own extraction, so they are left out of it; a text or HTML paper
    keeps its own numbering, so there they are only marked (`noise`) and not read.
    """
    repeated: set[str] = set()
    edge: set[int] = set()  # the first and last three lines of text of each page
    if raw.format == "pdf" and raw.page_count > 1:
        edges: Counter[str] = Counter()
        by_page: dict[int, list[int]] = {}
        for i, page in enumerate(raw.pages):
            if raw.lines[i].strip():
                by_page.setdefault(page, []).append(i)
        for content in by_page.values():
            edge.update({*content[:3], *content[-3:]})
            for shape in {_shape(raw.lines[i]) for i in {*content[:3], *content[-3:]}}:
                edges[shape] += 1
        repeated = {shape for shape, n in edges.items() if n >= max(2, raw.page_count // 2)}
    lines: list[str] = []
    pages: list[int] = []
    columns: list[int] = []
    noise: set[int] = set()
    for i, (line, page, width) in enumerate(zip(raw.lines, raw.pages, raw.columns, strict=True)):
        # a running header repeats at the page's edge; the same words in the body (the title) stay
        running = bool(line.strip()) and bool(PAGE_RE.match(line) or BLANK_PAGE_RE.match(line)
                                              or (i in edge and _shape(line) in repeated))
        if raw.format == "pdf":
            if running or (not line.strip() and lines and not lines[-1].strip()):
                continue  # a dropped header leaves one blank, not two
        elif running:
            noise.add(len(lines) + 1)
        lines.append(line)
        pages.append(page)
        columns.append(width)
    return lines, pages, columns, noise


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def contact_label_lines(paper: Paper) -> list[int]:
    """Lines that are only a contact label after removal ("Tel: [contact details removed]")."""
    return [n for n, _ in paper.contacts
            if LABELLED_CONTACT_RE.search(paper.lines[n - 1].replace(REMOVED, "").strip())]
