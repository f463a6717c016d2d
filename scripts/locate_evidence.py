#!/usr/bin/env python3
"""Find where each text item of a record comes from in its source text, and say so in the record.

An editor's tool (notes/TRANSCRIBING.md, "Evidence locations"). For every text-bearing item of a
review or context document (findings, offers, figures, focus questions, response items) that has
no `evidence:` yet, it looks for the item's words in `reviews/sources/<document>.txt` after the
archive's normalisation (whitespace, line-end hyphenation, ligatures, quotes, bullet glyphs) and
prints the line span it found. With `--write` it inserts the `evidence:` block into the YAML
*as text*, so the record keeps its hand-written layout and comments (a YAML dumper would not).

Items it cannot place, or can place more than once, are reported: fix them by hand (they often
show a transcription difference to correct, or one to explain in `evidence.note`). Items that
already have `evidence:` are checked instead, so the tool also verifies a finished record.

    python scripts/locate_evidence.py reviews/thurrock-2016.yml            # report only
    python scripts/locate_evidence.py --write reviews/thurrock-2016.yml    # insert blocks
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # the archive's own rule, so the tool and `pra check` cannot disagree
    from peer_review_archive.records.evidence import normalise as archive_normalise
except ImportError:  # pragma: no cover - before the evidence module exists
    archive_normalise = None

try:
    from peer_review_archive.records.text import plain
except ImportError:  # pragma: no cover
    def plain(text: str | None) -> str:
        return " ".join((text or "").split())


ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "reviews" / "sources"

QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
                        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"})
# A list marker at the start of a source line: "- " or "* " as text extraction prints them.
LIST_MARKER = re.compile(r"^[ \t]*[-*](?=[ \t])", re.MULTILINE)
# Bullet glyphs and private-use glyphs (PDF symbol fonts), wherever they are.
GLYPHS = re.compile(r"[\u2022\u2023\u2043\u25aa\u25cf\u25e6\ue000-\uf8ff]")
HYPHEN = re.compile(r"(?<=\w)-[ \t]*(?:\n[ \t]*)?(?=\w)")


def fallback_normalise(text: str) -> str:
    """The rule EVIDENCE-FORM.md gives `pra check`, for use before its module exists."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    text = GLYPHS.sub(" ", LIST_MARKER.sub(" ", text))
    text = HYPHEN.sub("", text)
    return " ".join(text.split())


def normalise(text: str) -> str:
    return (archive_normalise or fallback_normalise)(text)


class SourceText:
    """A source document's lines and their normalised join, with a map back to line numbers."""

    def __init__(self, path: Path) -> None:
        self.lines = path.read_text(encoding="utf-8").splitlines()
        self.starts: list[tuple[int, int]] = []  # (offset in joined text, line number)
        joined = ""
        for number, line in enumerate(self.lines, 1):
            piece = normalise(line)
            if not piece:
                continue
            if re.search(r"\w-$", joined) and re.match(r"\w", piece):
                joined = joined[:-1]  # a word hyphenated at the line end: mend it
            elif joined:
                joined += " "
            self.starts.append((len(joined), number))
            joined += piece
        self.joined = joined

    def line_at(self, offset: int) -> int:
        low, high = 0, len(self.starts) - 1
        while low < high:
            mid = (low + high + 1) // 2
            if self.starts[mid][0] <= offset:
                low = mid
            else:
                high = mid - 1
        return self.starts[low][1]

    def find(self, words: str) -> list[tuple[int, int]]:
        """Every (first line, last line) where the normalised words occur."""
        spans, start = [], 0
        while (at := self.joined.find(words, start)) >= 0:
            spans.append((self.line_at(at), self.line_at(at + len(words) - 1)))
            start = at + 1
        return spans

    def span_text(self, first: int, last: int) -> str:
        return normalise("\n".join(self.lines[first - 1:last]))


@dataclass
class Item:
    path: str          # e.g. findings[3] or focus.sub_questions[1]
    words: str         # the text the evidence must carry
    node: yaml.Node    # the item's node (a mapping, or a scalar for plain-text items)
    evidence: dict | None
    listed: bool = False  # a sequence entry (`- …`) rather than a mapping value


def _get(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for k, v in node.value:
        if k.value == key:
            return v
    return None


def _evidence_of(node: yaml.Node) -> dict | None:
    if isinstance(node, yaml.MappingNode):
        ev = _get(node, "evidence")
        if ev is not None:
            return yaml.safe_load(yaml.serialize(ev))
    return None


def _text_of(node: yaml.Node, key: str) -> str | None:
    value = _get(node, key) if isinstance(node, yaml.MappingNode) else node
    return value.value if isinstance(value, yaml.ScalarNode) else None


def items_of(root: yaml.MappingNode) -> list[Item]:
    """The text-bearing items of a review or context document, in file order."""
    found: list[Item] = []

    def listed(seq: yaml.Node | None, prefix: str, key: str) -> None:
        if not isinstance(seq, yaml.SequenceNode):
            return
        for i, node in enumerate(seq.value):
            words = _text_of(node, key)
            if words:
                found.append(Item(f"{prefix}[{i}]", words, node, _evidence_of(node), True))

    focus = _get(root, "focus")
    if isinstance(focus, yaml.MappingNode):
        question = _get(focus, "question")
        if question is not None:
            words = _text_of(question, "text")
            if words:
                found.append(Item("focus.question", words, question, _evidence_of(question)))
        for key in ("sub_questions", "further_questions", "areas"):
            listed(_get(focus, key), f"focus.{key}", "text")
    listed(_get(root, "figures"), "figures", "value")
    listed(_get(root, "findings"), "findings", "text")
    listed(_get(root, "offers"), "offers", "text")
    for part in ("follow_ups", "responses"):
        seq = _get(root, part)
        if isinstance(seq, yaml.SequenceNode):
            for i, node in enumerate(seq.value):
                listed(_get(node, "findings"), f"{part}[{i}].findings", "text")
                listed(_get(node, "committee_recommendations"),
                       f"{part}[{i}].committee_recommendations", "text")
    return found


def default_document(root: yaml.MappingNode) -> str | None:
    """The record's first source's `document`, if the record names one."""
    sources = _get(root, "sources")
    if isinstance(sources, yaml.SequenceNode) and sources.value:
        return _text_of(sources.value[0], "document")
    return None


def lines_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def parse_lines(label: str) -> tuple[int, int]:
    first, _, last = str(label).partition("-")
    return int(first), int(last or first)


def block_end(text_lines: list[str], node: yaml.Node) -> int:
    """Index of the line after the item's last content line.

    The parser's end mark for a mapping is where the *next* token starts (which may be the
    next item's `- `), so this measures from the item's last value instead: a block scalar
    (`>-`, `|`) runs while lines are blank or indented deeper than its first line's key.
    """
    last = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node
    while isinstance(last, (yaml.MappingNode, yaml.SequenceNode)) and last.value and last.flow_style is not True:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    start = last.start_mark.line
    if isinstance(last, yaml.ScalarNode) and last.style in (">", "|"):
        key_indent = len(text_lines[start]) - len(text_lines[start].lstrip())
        end = start + 1
        while end < len(text_lines) and (
            not text_lines[end].strip()
            or len(text_lines[end]) - len(text_lines[end].lstrip()) > key_indent
        ):
            end += 1
    else:
        end = last.end_mark.line + 1
    while end > start + 1 and (
        not text_lines[end - 1].strip() or text_lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1
    return end


def evidence_block(indent: str, document: str, first: int, last: int) -> list[str]:
    return [f"{indent}evidence:\n",
            f"{indent}  document: {document}\n",
            f'{indent}  lines: "{lines_label(first, last)}"\n']


Edit = tuple[int, int, list[str]]  # replace lines [start, end) with these


def add_evidence(text_lines: list[str], item: Item, block: list[str] | None = None,
                 document: str = "", first: int = 0, last: int = 0) -> Edit:
    """The edit that gives the item an `evidence:` block, keeping the file's layout.

    A mapping item gets the block after its last line. A plain string (a focus question, a
    committee recommendation) becomes `text: …` plus the block: the string's lines are kept
    and moved two columns right where YAML needs it.
    """
    node = item.node
    end = block_end(text_lines, node)
    if isinstance(node, yaml.MappingNode):
        indent = " " * node.start_mark.column
        return end, end, evidence_block(indent, document, first, last)
    start, column = node.start_mark.line, node.start_mark.column
    head, rest = text_lines[start][:column], text_lines[start][column:]
    tail = ["  " + line if line.strip() else line for line in text_lines[start + 1:end]]
    if item.listed:  # "    - words" -> "    - text: words"
        key_indent = " " * column
        lines = [head + "text: " + rest, *tail]
    else:  # "  question: words" -> "  question:\n    text: words"
        key_indent = " " * (len(head) - len(head.lstrip()) + 2)
        lines = [head.rstrip() + "\n", key_indent + "text: " + rest, *tail]
    return start, end, lines + evidence_block(key_indent, document, first, last)


def run(record: Path, document: str | None, write: bool) -> int:
    text = record.read_text(encoding="utf-8")
    root = yaml.compose(text)
    document = document or default_document(root)
    items = items_of(root)
    problems = 0
    cursor = 0
    sources: dict[str, SourceText] = {}

    def source(doc: str) -> SourceText:
        if doc not in sources:
            sources[doc] = SourceText(SOURCES / f"{doc}.txt")
        return sources[doc]

    text_lines = text.splitlines(keepends=True)
    edits: list[Edit] = []
    for item in items:
        words = normalise(plain(item.words))
        where = f"{record.name}:{item.node.start_mark.line + 1}: {item.path}"
        if item.evidence:
            doc = item.evidence.get("document") or document
            first, last = parse_lines(item.evidence.get("lines", "0"))
            cursor = first
            span = source(doc).span_text(first, last)
            if words not in span and not item.evidence.get("note"):
                problems += 1
                print(f"{where}: the words are not in {doc} lines {first}-{last}")
            continue
        if not document:
            print(f"{where}: no document: pass --document", file=sys.stderr)
            return 2
        spans = source(document).find(words)
        if not spans:
            problems += 1
            print(f"{where}: not found in {document}: {item.words[:70]!r}")
            continue
        after = [s for s in spans if s[0] >= cursor]
        first, last = (after or spans)[0]
        if len(set(spans)) > 1:
            print(f"{where}: {len(set(spans))} places, chose lines {lines_label(first, last)}"
                  f" (others: {', '.join(lines_label(*s) for s in sorted(set(spans)) if s != (first, last))})")
        cursor = first
        edits.append(add_evidence(text_lines, item, document=document, first=first, last=last))
    if write and edits:
        for start, end, lines in sorted(edits, reverse=True):
            text_lines[start:end] = lines
        record.write_text("".join(text_lines), encoding="utf-8")
        print(f"{record}: gave {len(edits)} items their evidence")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="+", type=Path)
    parser.add_argument("--document", help="source text id, when the record does not name one")
    parser.add_argument("--write", action="store_true", help="insert the evidence blocks")
    args = parser.parse_args(argv)
    status = 0
    for record in args.records:
        status = max(status, run(record, args.document, args.write))
    return status


if __name__ == "__main__":
    sys.exit(main())
