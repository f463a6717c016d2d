"""Read a committee paper as lines of text with the page each is on.

PDF through pypdf's layout mode (it keeps vertical gaps as blank lines, so paragraphs
survive), HTML through selectolax (one line per block element), text as it is. Every
refusal is a `PaperError` with one line for the editor; nothing here raises otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class PaperError(Exception):
    """A paper that cannot be read: the message is the one line the editor sees."""


@dataclass
class RawPaper:
    format: str  # "pdf", "html" or "text"
    lines: list[str]
    pages: list[int]  # the page of each line (1 for HTML and text)
    page_count: int
    columns: list[int] = field(default_factory=list)  # per line: the columns of a printed table it is a row of, or 0
    page_title: str | None = None  # an HTML page's own title for the paper (meta, h1 or <title>)
    page_heading: str | None = None  # the page's h1 as printed, a line of the text that is not the paper's

    def __post_init__(self) -> None:
        self.columns = self.columns or [0] * len(self.lines)


def read_paper(path: Path) -> RawPaper:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PaperError(f"cannot read the file ({error.strerror})") from None
    if not raw.strip():
        raise PaperError("the file is empty")
    if raw.lstrip()[:5] == b"%PDF-":
        return _read_pdf(path)
    text = _decode(raw)
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(body|div|p|table|h[1-6])\b", head):
        return _read_html(text)
    lines = text.split("\n")
    return RawPaper("text", lines, [1] * len(lines), 1)


def _decode(raw: bytes) -> str:
    sample = raw[:65536]
    if b"\x00" in sample:
        raise PaperError("this is a binary file, not a paper as PDF, HTML or text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > len(text[:65536]) / 100:
        raise PaperError("this is a binary file, not a paper as PDF, HTML or text")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")


def _read_pdf(path: Path) -> RawPaper:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PaperError("the PDF is encrypted: ask the council for an unprotected copy, "
                             "or save it without a password first")
        pages = list(reader.pages)
    except PaperError:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file
        if isinstance(error, PdfReadError | ValueError | KeyError | OSError | TypeError):
            raise PaperError(f"the PDF cannot be read ({type(error).__name__}: {error})") from None
        raise PaperError(f"the PDF cannot be read ({type(error).__name__})") from None
    lines: list[str] = []
    numbers: list[int] = []
    columns: list[int] = []
    for number, page in enumerate(pages, 1):
        try:
            text = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
        except Exception:  # a page pypdf cannot lay out: take its plain text instead
            try:
                text = page.extract_text() or ""
            except Exception:
                text = ""
        page_lines, page_columns = _tidy_layout(text)
        lines += page_lines
        numbers += [number] * len(page_lines)
        columns += page_columns
    if not any(line.strip() for line in lines):
        raise PaperError(f"the PDF has no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''} "
                         "of images, probably a scan): run OCR first, e.g. `ocrmypdf paper.pdf paper-ocr.pdf`, "
                         "then `pra draft paper-ocr.pdf`")
    return RawPaper("pdf", lines, numbers, len(pages), columns)


SEGMENT_RE = re.compile(r"\S+(?: {1,2}\S+)*")  # text between gaps of three spaces or more


def _tidy_layout(text: str) -> tuple[list[str], list[int]]:
    """Layout text -> lines: columns as tabs, the page's left margin removed, one blank between blocks.

    A printed table whose cells wrap (a row of the layout with fewer pieces than the table
    has columns) keeps every piece under its own column: "\t\t- text" is a line of the third
    column only, and the line is marked with the table's number of columns.
    """
    rows = [line.rstrip() for line in text.replace("\r", "").split("\n")]
    indents = [len(r) - len(r.lstrip(" ")) for r in rows if r.strip()]
    margin = min(indents) if indents else 0
    rows = [row[margin:] for row in rows]
    tables = _wrapped_tables(rows)
    out: list[str] = []
    columns: list[int] = []
    for index, row in enumerate(rows):
        if index in tables:
            starts = tables[index]
            cells = [""] * len(starts)
            for match in SEGMENT_RE.finditer(row):
                cells[_column(match.start(), starts)] += match.group()
            out.append("\t".join(cells).rstrip("\t"))
            columns.append(len(starts))
            continue
        row = re.sub(r" {3,}", "\t", row) if row.strip() else ""
        row = re.sub(r"^\t+", lambda m: " " * len(m.group()), row)  # an indent, not a column
        if row or (out and out[-1]):
            out.append(row)
            columns.append(0)
    while out and not out[-1]:
        out.pop()
        columns.pop()
    return out, columns


def _column(start: int, starts: list[int]) -> int:
    return max(i for i, s in enumerate(starts) if start >= s - 2) if start >= starts[0] - 2 else 0


def _wrapped_tables(rows: list[str]) -> dict[int, list[int]]:
    """Row index -> the table's column starts, for runs of rows that are a table with wrapped cells.

    A run starts at a row of two or more pieces and goes on while each row's pieces start
    under the run's columns and none runs into the next column (one blank row is allowed
    inside). It is a wrapped table when it has three rows or more and some row lacks a
    piece; a cover's "Date    22 April 2013" rows, each complete, stay as they are.
    """
    found: dict[int, list[int]] = {}
    i = 0
    while i < len(rows):
        pieces = [(m.start(), m.end()) for m in SEGMENT_RE.finditer(rows[i])]
        if len(pieces) < 2:
            i += 1
            continue
        starts = [start for start, _ in pieces]
        run, j, blank = [i], i + 1, 0
        while j < len(rows):
            spans = [(m.start(), m.end()) for m in SEGMENT_RE.finditer(rows[j])]
            if not spans:
                blank += 1
                if blank > 1:
                    break
                j += 1
                continue
            if not _fits(spans, starts) or (blank and len(spans) < 2):
                break
            blank = 0
            run.append(j)
            j += 1
        partial = any(len(SEGMENT_RE.findall(rows[k])) < len(starts) for k in run)
        if len(run) >= 3 and partial:
            for k in range(run[0], run[-1] + 1):
                found[k] = starts
            i = run[-1] + 1
        else:
            i += 1
    return found


def _fits(spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Each piece starts under a column and ends before the next column begins."""
    for start, end in spans:
        if not any(abs(start - s) <= 2 for s in starts):
            return False
        nxt = [s for s in starts if s > start + 2]
        if nxt and end > nxt[0] - 1:
            return False
    return True


BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "caption",
          "blockquote", "pre", "section", "article", "td", "th", "table", "ul", "ol", "br", "hr"}
DROP = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
        "svg", "iframe", "template", "select"]


def _read_html(text: str) -> RawPaper:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(text)
    page_title, page_heading = _page_title(tree)
    for selector in DROP:
        for node in tree.css(selector):
            node.decompose()
    for node in tree.css('[role="navigation"], [role="banner"], [role="contentinfo"], [hidden], '
                         '[id*="readcrumb"], [class*="readcrumb"]'):
        node.decompose()
    root = (tree.css_first("main") or tree.css_first("article") or tree.css_first('[role="main"]')
            or tree.css_first("#content") or tree.body)
    lines: list[str] = []
    if root is not None:
        _walk(root, lines, [])
    while lines and not lines[-1]:
        lines.pop()
    words = sum(len(line.split()) for line in lines)
    if words < 60:
        raise PaperError(f"no paper in this HTML page (only {words} words of text outside its "
                         "navigation, header and footer): save the page that holds the report itself")
    return RawPaper("html", lines, [1] * len(lines), 1, page_title=page_title, page_heading=page_heading)


ITEM_PREFIX_RE = re.compile(r"^(?:agenda\s+)?item(?:\s+no\.?)?\s*(?:\d+[a-z]?)?\s*[-–—:.]\s*", re.I)
TITLE_META = ('meta[name="DC.title" i]', 'meta[name="dcterms.title" i]', 'meta[property="og:title"]')


def _page_title(tree) -> tuple[str | None, str | None]:  # noqa: ANN001
    """The title a committee system gives the paper, and its h1 as printed.

    Dublin Core or Open Graph metadata first (set from the agenda), then the h1, then the
    <title> without the site's name after its last " - " or " | "; "Agenda item - " is
    the system's label, not the paper's.
    """
    def tidy(value: str | None) -> str | None:
        value = ITEM_PREFIX_RE.sub("", re.sub(r"\s+", " ", value or "").strip())
        return value or None

    h1 = tree.css_first("h1")
    heading = re.sub(r"\s+", " ", h1.text()).strip() if h1 is not None else None
    for selector in TITLE_META:
        node = tree.css_first(selector)
        if node is not None and tidy(node.attributes.get("content")):
            return tidy(node.attributes.get("content")), heading
    if heading and tidy(heading):
        return tidy(heading), heading
    node = tree.css_first("title")
    if node is None:
        return None, heading
    title = re.sub(r"\s+", " ", node.text()).strip()
    site = re.search(r"\s+[-–|]\s+([^-–|]+)$", title)
    if site and len(site.group(1).split()) <= 4:
        title = title[:site.start()]
    return tidy(title), heading


def _walk(node, lines: list[str], buffer: list[str], depth: int = 0) -> None:  # noqa: ANN001
    """Each block element becomes its own line, list items get a bullet or their number."""

    def flush() -> None:
        joined = "".join(buffer)
        buffer.clear()
        stripped = joined.lstrip(" ")
        lead = " " * min(len(joined) - len(stripped), 8) if stripped.startswith(("- ",)) else ""
        text = re.sub(r"\s+", " ", stripped).strip()
        if text:
            lines.append(lead + text)

    def blank() -> None:
        if lines and lines[-1]:
            lines.append("")

    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            buffer.append(child.text(deep=False))
            continue
        if tag not in BLOCKS:
            if tag in ("strong", "b") and child.text(strip=True):
                buffer.append(child.text(deep=True))
                continue
            _walk(child, lines, buffer, depth)  # inline: its text joins the line
            continue
        flush()
        if tag in ("br",):
            continue
        if tag == "li":
            parent = child.parent
            prefix = "- "
            if parent is not None and parent.tag == "ol":
                items = [c for c in parent.iter() if c.tag == "li"]
                start = int(parent.attributes.get("start") or 1)
                prefix = f"{start + items.index(child)}. " if child in items else "- "
            buffer.append(" " * depth + prefix)
            _walk(child, lines, buffer, depth + 1)
            flush()
            continue
        if tag in ("td", "th"):
            cell: list[str] = []
            _walk(child, cell, [], depth)
            cell = [line for line in cell if line.strip()]
            if len(cell) == 1 and lines and lines[-1] and _has_cell_before(child):
                lines[-1] += "\t" + cell[0].strip()  # a row of short cells is one line: "Date:<tab>7 May"
            else:
                lines += cell  # a cell of paragraphs or lists keeps its lines
            continue
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "caption", "dt", "dd"):
            blank()
            _walk(child, lines, buffer, depth)
            flush()
            blank()
            continue
        if tag in ("ul", "ol"):
            blank()
            _walk(child, lines, buffer, depth if tag and depth == 0 else depth)
            flush()
            blank()
            continue
        _walk(child, lines, buffer, depth)
        flush()
        if tag in ("tr", "table", "div", "section", "article"):
            blank()
    flush()


def _has_cell_before(cell) -> bool:  # noqa: ANN001
    node = cell.prev
    while node is not None:
        if node.tag in ("td", "th"):
            return True
        node = node.prev
    return False
