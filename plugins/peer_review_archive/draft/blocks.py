"""Lines -> blocks: headings, paragraphs and list items, each with the lines it spans.

Papers break lines anywhere: inside a word (hyphenated), inside a bullet (a blank line
and then lowercase text), or a bullet's second line without a marker. The rules here
join those back, and tell a numbered paragraph ("2.1", or "3." when the numbers run on
across headings) from a numbered list item ("1." after a lead-in ending in a colon).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cleaning import Paper

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
BULLET = re.compile(r"^- +")
NUMBER = re.compile(rf"^(?:(\d{{1,2}}(?:\.\d{{1,2}})+)\.?|(\d{{1,2}})[.)]|\(?([a-z]|[ivx]+)\)|([A-H])\.)\s+(?!(?:{MONTHS})\b)(?=\S)",  # noqa: E501
                    re.I)
TERMINAL = (".", "?", "!", ":", ";")


@dataclass
class Block:
    kind: str  # "heading", "para" or "item"
    text: str
    first: int  # 1-based line numbers in the paper's text
    last: int
    indent: int = 0
    bullet: bool = False
    number: str | None = None
    dotted: bool = False  # the number is a paragraph number such as 2.1
    bold: bool = False
    cell: bool = False  # read from a cell of a printed table: its lines wrap at the cell's width
    children: list[Block] = field(default_factory=list)

    @property
    def lines(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    @property
    def lead_in(self) -> bool:
        return self.text.rstrip().endswith((":", ":-", " -", "–", "—", ": ."))


def split_marker(line: str) -> tuple[str, bool, str | None, bool]:
    """(text, has a bullet, number as printed, number is dotted) of one stripped line."""
    text = line.strip()
    bullet = False
    if BULLET.match(text):
        bullet, text = True, BULLET.sub("", text)
    bold = text.startswith("**")
    core = text.strip("*") if bold else text
    match = NUMBER.match(core)
    if match:
        number = next(g for g in match.groups() if g)
        return core[match.end():].strip(), bullet, number, bool(match.group(1))
    return text, bullet, None, False


def build_blocks(paper: Paper) -> list[Block]:
    words = _vocabulary(paper.lines)
    blocks: list[Block] = []
    current: Block | None = None
    gap = False
    previous = ""

    def feed(number: int, raw: str, cell: bool = False) -> None:
        nonlocal current, gap, previous
        if not raw.strip():
            gap = True
            return
        indent = 0 if cell else len(raw) - len(raw.lstrip())
        text, bullet, num, dotted = split_marker(raw)
        stacked = not cell and _stacked(previous, raw)
        previous = raw
        bold = raw.strip().startswith("**") or raw.strip().startswith("- **")
        text = text.replace("**", "")
        marked = bullet or num is not None
        if current is not None and marked and bullet and num is None and not current.text.endswith(TERMINAL) \
                and re.match(r"(?:and|or|but|to|of|in|with|for|which|that|who)\b", text):
            current.text = _join(current.text, text, words)  # "- and support to ..." goes on
            current.last = number
            gap = False
            return
        if current is not None and not marked and not stacked and (not gap or (
                text[:1].islower() and not current.text.endswith(TERMINAL))):
            current.text = _join(current.text, text, words)
            current.last = number
            gap = False
            return
        kind = "item" if (bullet or num is not None) and not dotted else "para"
        current = Block(kind, text, number, number, indent, bullet, num, dotted, bold, cell=cell)
        blocks.append(current)
        gap = False

    number = 0
    while number < len(paper.lines):
        number += 1
        raw = paper.lines[number - 1]
        if number in paper.noise:
            continue
        width = paper.columns[number - 1] if paper.columns else 0
        if width:  # a printed table with wrapped cells: read it column by column
            rows = [number]
            while rows[-1] < len(paper.lines) and paper.columns[rows[-1]] == width:
                rows.append(rows[-1] + 1)
            for column in range(width):
                current, gap = None, True
                for row in rows:
                    cells = paper.lines[row - 1].split("\t")
                    feed(row, cells[column] if column < len(cells) else "", cell=True)
            current, gap, number = None, True, rows[-1]
            continue
        if re.search(r"<(?:p|ul|u|li)\b", raw) or raw.count(" • ") >= 2:
            current = None
            blocks += _markup_row(raw, number)
            gap = True
            continue
        feed(number, raw)
    for block in blocks:  # a hyphenated break that reached us inside one line ("commun- ity")
        block.text = re.sub(r"(\w+)- ([a-z]\w*)", lambda m: _join(m.group(1) + "-", m.group(2), words), block.text)
    _number_paragraphs(blocks)
    for i, block in enumerate(blocks):
        if _is_heading(block) and not _in_marked_run(blocks, i):
            block.kind = "heading"
    return _nest(blocks)


def _style(block: Block | None) -> str | None:
    if block is None or not block.bullet or block.number is None or block.dotted:
        return None
    return "letter" if block.number.isalpha() else "digit"


def _in_marked_run(blocks: list[Block], i: int) -> bool:
    """'- D. Key recommendations' between '- C. ...' and '- E. ...' is a list item, not a heading."""
    style = _style(blocks[i])
    if style is None:
        return False
    neighbours = [blocks[i - 1] if i else None, blocks[i + 1] if i + 1 < len(blocks) else None]
    return any(_style(b) == style for b in neighbours)


def _stacked(previous: str, line: str) -> bool:
    """A short unpunctuated line over a capitalised one: a cover, a title, a signature; not one paragraph."""
    previous, line = previous.strip(), line.strip()
    if re.match(r"^appendix\s+\w+\b", line, re.I):
        return True
    if not previous or previous.endswith(TERMINAL) or previous.endswith((",", "-", "–")):
        return False
    return len(previous.split()) <= 10 and (line[:1].isupper() or line[:1].isdigit()) and not re.search(r"\b(?:and|of|the|to|for|in)$",  # noqa: E501
                                                                                 previous, re.I)


def _join(left: str, right: str, words: set[str]) -> str:
    """Join a broken line; a hyphen at the break stays only if the paper spells the word so."""
    match = re.search(r"(\w+)-$", left)
    if match and right[:1].islower():
        head = match.group(1)
        tail = re.match(r"\w+", right)
        whole = (head + tail.group()).lower() if tail else ""
        if whole in words or not tail or f"{head}-{tail.group()}".lower() not in words:
            return left[:-1] + right
        return left + right
    return f"{left} {right}"


def _vocabulary(lines: list[str]) -> set[str]:
    return {w.lower() for line in lines for w in re.findall(r"\w+(?:-\w+)*", line)}


def _number_paragraphs(blocks: list[Block]) -> None:
    """Plain numbers that run on across the paper ("3.", "4." ... "32.") number paragraphs."""
    next_paragraph = 1
    in_list = 0
    for i, block in enumerate(blocks):
        if block.number is None or not block.number.isdigit() or block.bullet:
            if block.kind == "para" and block.number is None and not block.lead_in:
                in_list = 0
            continue
        n = int(block.number)
        previous = blocks[i - 1] if i else None
        if n == 1 and previous is not None and previous.lead_in:
            in_list = 2
            continue
        if in_list and n == in_list:
            in_list += 1
            continue
        if n == next_paragraph or (n > next_paragraph and n <= next_paragraph + 2):
            block.kind, block.dotted = "para", True
            next_paragraph = n + 1
            in_list = 0


def _is_heading(block: Block) -> bool:
    text = block.text.strip()
    limit = 20 if re.match(r"^appendix\s+\w+\b", text, re.I) else 12
    if (block.first != block.last and not block.cell) or not text or len(text.split()) > limit:
        return False
    if block.bullet and block.number is None and not block.bold:
        return False
    if text.endswith((".", ",", ";", "?", "!")) and not block.bold:
        return False
    if text.endswith(":") and len(text.split()) > 5:
        return False
    if block.number is not None and len(text.split()) > (8 if block.bullet else 12):
        return False
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "‘'\"“"


def _nest(blocks: list[Block]) -> list[Block]:
    """An indented bullet under an item that ends in a colon is part of that item."""
    out: list[Block] = []
    for block in blocks:
        parent = out[-1] if out else None
        if (parent is not None and block.kind == "item" and parent.kind == "item"
                and block.indent > parent.indent and (parent.lead_in or parent.children)):
            parent.children.append(block)
            parent.text = f"{parent.text} {block.text}"
            parent.last = block.last
            continue
        out.append(block)
    return out


def _markup_row(raw: str, number: int) -> list[Block]:
    """A table row pasted with its HTML (cells split by tabs): each cell's title and bullets."""
    blocks: list[Block] = []
    for cell in re.split(r"\t|(?=<p>\s*<u>)", raw):
        title = re.search(r"<u>(.*?)</u>", cell)
        plain = re.sub(r"<[^>]+>", " ", cell)
        if title:
            blocks.append(Block("heading", re.sub(r"\s+", " ", title.group(1)).strip(), number, number))
            plain = plain.replace(title.group(1), "", 1)
        plain = re.sub(r"^\s*-\s+", "", plain)
        for piece in plain.split("•"):
            piece = re.sub(r"\s+", " ", piece).strip()
            if piece and not re.fullmatch(r"[-\s]+", piece):
                blocks.append(Block("item", piece, number, number, bullet=True))
    return blocks
