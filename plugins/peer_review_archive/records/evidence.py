"""Evidence: every item's words found again in the source document it cites.

A record item may say where its words are (`evidence: {document, lines, note}`). Here the
documents' texts (`reviews/sources/<id>.txt`) are read once, normalised once (whitespace,
hyphenation, ligatures, quotes and dashes, so that a PDF's typography does not count as
a difference), and each item's text is looked up in its span. A mismatch is reported at
the item's `evidence` field with the closest span found, so the editor can fix it.
"""

from __future__ import annotations

import bisect
import difflib
import re
import typing
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .archive import Archive
from .labels import finding_label
from .loading import LoadedFile, read_record_bytes
from .models import (
    EMAIL_RE,
    PHONE_RE,
    ContextDocument,
    Evidence,
    Figure,
    Finding,
    LeadIn,
    Method,
    Offer,
    Passage,
    Review,
    SourceRegistry,
)
from .plain_yaml import character_name, first_not_text
from .problems import Loc, Problem, did_you_mean
from .text import excerpt, plain

SOURCES_FOLDER = "sources"
REGISTRY_FILE = "sources.yml"
NOTED_LIKENESS = 0.8  # with a note, this much of the item's text must be found, in order, in the span
CONTACT_MARKER = "[contact details removed]"

_TYPOGRAPHY = str.maketrans({
    **dict.fromkeys("‘’‚‛′`", "'"), **dict.fromkeys("“”„‟″", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("•◦▪▫■□●○‣⁃∙·", " "),
})
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # Symbol-font bullets from PDFs (U+F0B7)
_WORD_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_SPACE = re.compile(r"\s+")
_LIST_DASH = re.compile(r"^- ")  # a dash that opens a line of a source is a list's bullet


def normalise(text: str) -> str:
    """Text as compared: the words and punctuation, without typography or layout."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    text = _PRIVATE_USE.sub(" ", text)
    return _SPACE.sub(" ", _WORD_HYPHEN.sub("", text)).strip()


@dataclass(frozen=True)
class SourceText:
    """A document's text normalised once, with where each line starts in it.

    Besides `normalise`, a dash opening a line is taken for a list's bullet, and a word
    hyphenated at a line's end is joined again.
    """

    lines: tuple[str, ...]
    text: str
    starts: tuple[int, ...]  # offset in `text` of each line's first character

    @classmethod
    def of(cls, raw: str) -> SourceText:
        lines = tuple(raw.splitlines())
        out: list[str] = []
        size = 0
        starts: list[int] = []
        for line in lines:
            words = _LIST_DASH.sub("", normalise(line))
            if not words:
                starts.append(size)
                continue
            if out and out[-1].endswith("-") and len(out[-1]) > 1 and out[-1][-2].isalnum() and words[0].isalnum():
                out[-1] = out[-1][:-1]  # a word broken across lines: join it again
                size -= 1
            elif out:
                out.append(" ")
                size += 1
            starts.append(size)
            out.append(words)
            size += len(words)
        return cls(lines, "".join(out), tuple(starts))

    def line_at(self, offset: int) -> int:
        """The 1-based line that the character at `offset` comes from."""
        return bisect.bisect_right(self.starts, offset)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets in `text` of lines `first`..`last`."""
        end = self.starts[last] if last < len(self.starts) else len(self.text)
        return self.starts[first - 1], end

    def find(self, needle: str) -> Iterator[tuple[int, int]]:
        """Every place `needle` occurs, as (first line, last line)."""
        at = self.text.find(needle)
        while at >= 0:
            yield self.line_at(at), self.line_at(at + len(needle) - 1)
            at = self.text.find(needle, at + 1)

    def closest(self, needle: str) -> tuple[int, int, float, str]:
        """The run of words most like `needle`: (first line, last line, likeness, first difference).

        Only called for a mismatch, so it may be slow-ish: every word of the document is
        tried as a start, with a cheap bound first.
        """
        words = needle.split()
        places = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", self.text)]
        theirs = [word for _, _, word in places]
        best = (1, 1, 0.0, "")
        best_score = (0.0, 0.0)  # alike in words, then (to break ties) in characters
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq1(words)
        for at in range(max(1, len(places) - len(words) + 1)):
            window = theirs[at:at + len(words)]
            matcher.set_seq2(window)
            if matcher.real_quick_ratio() < best_score[0] or matcher.quick_ratio() < best_score[0]:
                continue
            ratio = matcher.ratio()
            if ratio < best_score[0]:
                continue
            score = (ratio, difflib.SequenceMatcher(None, needle, " ".join(window), autojunk=False).ratio())
            if score > best_score:
                best_score = score
                last = places[min(at + len(words), len(places)) - 1][1] - 1
                best = (self.line_at(places[at][0]), self.line_at(last), ratio,
                        _first_difference(matcher, words, window))
        return best


def _first_difference(matcher: difflib.SequenceMatcher, ours: list[str], theirs: list[str]) -> str:
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        mine, source = " ".join(ours[i1:i2][:6]), " ".join(theirs[j1:j2][:6])
        if tag == "replace":
            return f"the record has {mine!r} where the source has {source!r}"
        if tag == "delete":
            return f"the record has {mine!r}, which the source does not"
        if tag == "insert":
            return f"the source has {source!r}, which the record does not"
    return ""


def lines_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def lines_text(first: int, last: int) -> str:
    """Cited lines as a reader sees them: 'lines 101–103' or 'line 101'."""
    return f"line {first}" if first == last else f"lines {first}–{last}"


def _lines_words(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def read_sources(loaded: list[LoadedFile], records_dir: Path) -> tuple[dict[str, SourceText], list[Problem]]:
    """Every registered document's text, and the problems with the texts themselves.

    `reviews/sources/` is a folder of texts, not records: its `.txt` files are read as the
    loader reads a record (only regular files inside the repository, up to its size limit),
    and a link to a folder is not followed (the loader reports it)."""
    texts: dict[str, SourceText] = {}
    problems: list[Problem] = []
    registry = next((f for f in loaded if isinstance(f.record, SourceRegistry)), None)
    root = next((f.root for f in loaded if f.root is not None), records_dir.parent)
    folder = records_dir / SOURCES_FOLDER
    display_folder = _display_folder(loaded, records_dir)
    listed = folder.is_dir() and not folder.is_symlink()
    on_disk = {p.stem: p for p in sorted(folder.glob("*.txt")) if not p.name.startswith(".")} if listed else {}
    registered = set()
    if registry is not None:
        for i, document in enumerate(registry.record.documents):
            if document.id is None:  # salvaged from a broken registry: reported there
                continue
            registered.add(document.id)
            path = on_disk.get(document.id)
            if path is None:
                problems.append(registry.problem(("documents", i, "id"), f"no text for source document `{document.id}`",
                                                 f"add {display_folder}/{document.id}.txt"))
                continue
            text, text_problems = _read_text(path, f"{display_folder}/{path.name}", root)
            problems += text_problems
            if text is not None:
                texts[document.id] = SourceText.of(text)
    for stem, path in on_disk.items():
        if stem not in registered:
            problems.append(Problem(f"{display_folder}/{path.name}", 1, 1, "",
                                    "source text with no entry in the registry",
                                    f"add a document with id `{stem}` to {REGISTRY_FILE}"))
    return texts, problems


def _display_folder(loaded: list[LoadedFile], records_dir: Path) -> str:
    for file in loaded:
        if file.path.parent == records_dir:
            return str(Path(file.display).parent / SOURCES_FOLDER)
    return str(records_dir / SOURCES_FOLDER)


_LINE_BREAKS = frozenset("\u2028\u2029\x85")


def _read_text(path: Path, display: str, root: Path) -> tuple[str | None, list[Problem]]:
    raw = read_record_bytes(path, root)
    if not isinstance(raw, bytes):
        return None, [Problem(display, 1, 1, "", raw[0].replace("record file", "source text"),
                              "a source text is a regular UTF-8 file in the repository")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 1, 1, "", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")]
    problems = []
    hint = f"replace it with {CONTACT_MARKER}"
    # Lines as an editor numbers them (at each newline): a character that would split a line
    # elsewhere (form feed, U+2028), or any other that is not text, is reported where it is.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        bad = first_not_text(line.replace("\t", " ")) or next((c for c in line if c in _LINE_BREAKS), None)
        if bad is not None:
            problems.append(Problem(display, number, line.index(bad) + 1, "",
                                    f"the text holds {character_name(bad)}, which is not text",
                                    "delete it, or save the paper's text again"))
        for pattern, what in ((EMAIL_RE, "an e-mail address"), (PHONE_RE, "a phone number")):
            found = pattern.search(line)
            if found:
                problems.append(Problem(display, number, found.start() + 1, "",
                                        f"source text contains {what}; the archive never publishes them", hint))
    return text, problems


def check_evidence(loaded: list[LoadedFile], archive: Archive, records_dir: Path) -> list[Problem]:
    """Read the source texts into `archive` and check every evidence location against them."""
    texts, problems = read_sources(loaded, records_dir)
    archive.source_lines = {doc_id: text.lines for doc_id, text in texts.items()}
    checked = 0
    for file in loaded:
        record = file.record
        if not isinstance(record, Review | ContextDocument):
            continue
        cited = set()
        for i, source in enumerate(record.sources):
            if source.document is None:
                continue
            cited.add(source.document)
            if source.document not in archive.documents:
                problems.append(_unknown(file, ("sources", i, "document"), source.document, archive))
        for loc, evidence, text, kind in evidence_items(record):
            if file.partial and not _whole(evidence, text):
                continue  # salvaged from a record that failed its schema: its problem is reported there
            checked += 1
            where = (*loc, "evidence")
            if evidence.document not in archive.documents:
                problems.append(_unknown(file, (*where, "document"), evidence.document, archive))
                continue
            if evidence.document not in cited:
                message = f"source document `{evidence.document}` is not one of this record's sources"
                problems.append(file.problem((*where, "document"), message,
                                             "add `document:` to the entry in `sources:` that it is"))
            source = texts.get(evidence.document)
            if source is not None:
                found = _check_one(evidence, text, kind, source)
                if found:
                    problems.append(file.problem((*where, "lines"), *found))
    archive.evidence_checked = checked
    return problems


def _whole(evidence: Evidence, words: list[str]) -> bool:
    """Whether a salvaged item's evidence and words are valid as written (salvage keeps
    each field valid on its own, not the rules across fields, such as first line <= last)."""
    if not all(isinstance(w, str) for w in words):
        return False
    try:
        Evidence.model_validate(evidence.model_dump())
    except ValidationError:
        return False
    return True


def _unknown(file: LoadedFile, loc: Loc, document: str, archive: Archive) -> Problem:
    hint = did_you_mean(document, archive.documents) or f"add it to {REGISTRY_FILE} first"
    return file.problem(loc, f"unknown source document `{document}`", hint)


EvidenceItem = Finding | Offer | Figure | Method | Passage | LeadIn


def evidence_slots(record: Review | ContextDocument) -> Iterator[tuple[Loc, EvidenceItem, str, str]]:
    """Every item that can cite evidence: where it is, the item, the field holding its words,
    and what it is (the field is named, not read: a source page reads only the items citing it).

    The kind decides the rule: `text` must fill its span (first line to last line),
    `value` (a figure) and `who` (a method's people) must only be somewhere in it.
    """
    parts: list[tuple[Loc, list[Finding]]] = [(("findings",), record.findings)]
    if isinstance(record, Review):
        parts += [(("follow_ups", i, "findings"), v.findings) for i, v in enumerate(record.follow_ups)]
        parts += [(("responses", i, "findings"), r.findings) for i, r in enumerate(record.responses)]
    for list_loc, findings in parts:
        for i, finding in enumerate(findings):
            yield (*list_loc, i), finding, "text", "text"
            if finding.lead_in is not None:
                yield (*list_loc, i, "lead_in"), finding.lead_in, "text", "text"
    for i, figure in enumerate(record.figures):
        yield ("figures", i), figure, "value", "value"
    if isinstance(record, ContextDocument):
        return
    for i, offer in enumerate(record.offers):
        yield ("offers", i), offer, "text", "text"
    for i, method in enumerate(record.methods):
        yield ("methods", i), method, "who", "who"
    focus = record.focus
    if focus is not None:
        if focus.question is not None:
            yield ("focus", "question"), focus.question, "text", "text"
        for name in ("sub_questions", "areas", "further_questions"):
            for i, passage in enumerate(getattr(focus, name)):
                yield ("focus", name, i), passage, "text", "text"
    for i, response in enumerate(record.responses):
        for j, passage in enumerate(response.committee_recommendations):
            yield ("responses", i, "committee_recommendations", j), passage, "text", "text"


def evidence_items(record: Review | ContextDocument) -> Iterator[tuple[Loc, Evidence, list[str], str]]:
    """The items that do cite evidence, with their citation and their words."""
    for loc, item, field, kind in evidence_slots(record):
        if item.evidence is not None:
            words = getattr(item, field)
            yield loc, item.evidence, list(words) if isinstance(words, list) else [words], kind


def _check_one(evidence: Evidence, texts: list[str], kind: str, source: SourceText) -> tuple[str, str] | None:
    """The problem (message, hint) with one evidence location, or None when it holds."""
    first, last = evidence.first, evidence.last
    cited = _lines_words(first, last)
    if last > len(source.lines):
        verb = "is" if first == last else "are"
        return (f"{cited} {verb} past the end of `{evidence.document}` ({len(source.lines)} lines)",
                "the line numbers are those of the document's .txt file, counting from 1")
    start, end = source.span(first, last)
    for text in texts:
        needle = normalise(plain(text))
        if not needle:
            continue
        places = list(source.find(needle))
        inside = [p for p in places if first <= p[0] and p[1] <= last]
        if inside:
            if kind == "text" and (first, last) not in inside:
                tight = lines_label(*inside[0])
                return (f"the text is in {cited} but does not fill them", f'write lines: "{tight}"')
            continue
        if places:
            nearest = min(places, key=lambda p: abs(p[0] - first))
            return (f"the text is not in {cited} of `{evidence.document}`",
                    f'it is on {_lines_words(*nearest)}: write lines: "{lines_label(*nearest)}"')
        if evidence.note and _likeness(needle, source.text[start:end]) >= NOTED_LIKENESS:
            continue
        near_first, near_last, ratio, difference = source.closest(needle)
        closest = f"closest: {_lines_words(near_first, near_last)}, {round(ratio * 100)}% alike"
        if difference:
            closest += f"; {difference}"
        if evidence.note:
            return (f"the text differs too much from {cited} of `{evidence.document}`, even with a note", closest)
        return (f"the text is not in {cited} of `{evidence.document}`",
                f"{closest}; if the words were changed on purpose, say how in evidence.note")
    return None


def _likeness(needle: str, span: str) -> float:
    """How much of `needle` is found, in order, in `span` (case aside): 1.0 when all of it."""
    matcher = difflib.SequenceMatcher(None, needle.casefold(), span.casefold(), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(needle)


@dataclass(frozen=True)
class Citation:
    """One item citing a span of a source document: what the source page links back to."""

    first: int
    last: int
    owner_id: str
    owner_kind: str  # "review" or "context"
    anchor: str | None  # the item's permalink anchor, when it has one
    label: str


def citations(records: Iterable[Review | ContextDocument], document_id: str) -> list[Citation]:
    """Every item of `records` that cites the source document, in line order."""
    found = []
    for record in records:
        owner_kind = "review" if isinstance(record, Review) else "context"
        for loc, item, _, _ in evidence_slots(record):
            evidence = item.evidence
            if evidence is not None and evidence.document == document_id:
                anchor, label = _anchor_and_label(record, loc)
                found.append(Citation(evidence.first, evidence.last, record.id, owner_kind, anchor, label))
    return sorted(found, key=lambda c: (c.first, c.last, c.owner_id))


_ITEM_NAMES = {"offers": "Offer of support", "figures": "Figure", "methods": "Method", "focus": "Question",
               "responses": "Committee recommendation"}


def _anchor_and_label(record: Review | ContextDocument, loc: Loc) -> tuple[str | None, str]:
    """The citing item's permalink anchor (if it has one) and its name: 'Thurrock …: Recommendation 2'."""
    item = _at(record, loc)
    if isinstance(item, Finding):
        return item.id, f"{record.title}: {finding_label(item)}"
    if loc[-1] == "lead_in":  # the sentence introducing a list: it shares its first finding's anchor
        finding = typing.cast(Finding, _at(record, loc[:-1]))
        return finding.id, f"{record.title}: the words introducing {finding_label(finding)}"
    words = getattr(item, "label", None) or getattr(item, "text", None) or str(getattr(item, "kind", ""))
    name = _ITEM_NAMES.get(str(loc[0]), "Item")
    return getattr(item, "id", None), f"{record.title}: {name}: {excerpt(words, 8)}"


def _at(record: Review | ContextDocument, loc: Loc) -> object:
    item: object = record
    for part in loc:
        item = item[part] if isinstance(part, int) else getattr(item, str(part))  # type: ignore[index]
    return item
