"""The baseline: our built pages written back as hand-written Markdown, for plain MkDocs.

The build budget compares our plugin with what the same site would cost without it: the
same pages, with the same text, headings, anchors, lists, tables and links, written as
Markdown and built by plain MkDocs + Material with its own search plugin, under the same
nav policy (sections only). Rather than a second renderer of the records, which could
drift, this reads each page's article from our built site (every page we write, paged
lists included) and writes it out as Markdown; hand-written pages in `content/` are copied
as they are. Links become links to `.md` files, as an editor would write them, so MkDocs
resolves and validates them as it would in a hand-written site. `same_text` checks that
both sites show the same words.

Why Markdown and not our HTML embedded as raw blocks: a plain MkDocs site is written in
Markdown, and turning it into HTML (with the toc, anchors and tables) is the work MkDocs
does per page that our plugin replaces by rendering bodies from the records. Raw HTML
blocks would be stashed and passed through by Python-Markdown untouched: the baseline
would then be a site nobody writes, credited with our renderer's output for free. Search
on: Material's search plugin indexes every page, as Pagefind does for us.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

MARKER = "<!-- peer-review-archive -->"
_SKIP = {"svg", "script", "style", "template", "button", "input"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {"p", "ul", "ol", "dl", "table", "blockquote", "pre", "hr", "div", "section", "article", "nav",
           "header", "footer", "figure", "details", "summary", "main", "aside", "li", "dt", "dd", *_HEADINGS}
_SPACE = re.compile(r"\s+")
_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    """A forgiving DOM of one page's article, enough to write it as Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def article_html(page_html: str) -> str:
    """The page body as the theme shows it: Material's `<article>` minus its edit button."""
    start = page_html.find("<article")
    end = page_html.rfind("</article>")
    return page_html[start:end] if start >= 0 and end > start else ""


class Writer:
    """Markdown for one page; `links` maps a site URL to the Markdown file that builds it."""

    def __init__(self, page_url: str, page_src: str, sources: dict[str, str]):
        self.page_url = page_url
        self.page_dir = posixpath.dirname(page_src)
        self.sources = sources

    # --- links ---------------------------------------------------------------------

    def href(self, href: str) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("/", "#", "mailto:")):
            return href
        target = posixpath.normpath(posixpath.join(self.page_url or ".", parts.path))
        target = "" if target == "." else target.rstrip("/") + "/"
        source = self.sources.get(target)
        if source is None:  # a file, not a page (a download, a feed): link as it is
            return href
        link = posixpath.relpath(source, self.page_dir or ".")
        return f"{link}#{parts.fragment}" if parts.fragment else link

    # --- inline --------------------------------------------------------------------

    def inline(self, node: Node | str, table: bool = False) -> str:
        if isinstance(node, str):
            return _ESCAPE.sub(r"\\\1", _SPACE.sub(" ", node))
        if node.tag in _SKIP or _skipped(node):
            return ""
        inner = "".join(self.inline(child, table) for child in node.children)
        if node.tag == "br":
            return " "
        if node.tag == "a" and "href" in node.attrs:
            text = inner.strip() or _ESCAPE.sub(r"\\\1", node.attrs.get("title", "link"))
            return f"[{text}]({self.href(node.attrs['href'])})"
        if node.tag in ("em", "i") and inner.strip():
            return f"*{inner.strip()}*"
        if node.tag in ("strong", "b") and inner.strip():
            return f"**{inner.strip()}**"
        if node.tag == "code":
            return f"`{inner}`"
        if node.tag in _BLOCKS:
            return f" {inner} "
        return inner

    def text(self, nodes: list[Node | str], table: bool = False) -> str:
        return " ".join("".join(self.inline(n, table) for n in nodes).split())

    # --- blocks --------------------------------------------------------------------

    def blocks(self, node: Node, pending: str | None = None) -> list[str]:
        """Markdown blocks (each possibly several lines) for the children of `node`."""
        out: list[str] = []
        run: list[Node | str] = []

        def flush() -> None:
            nonlocal pending
            text = self.text(run)
            run.clear()
            if text:
                out.append(self._with_id(text, pending))
                pending = None

        for child in node.children:
            if isinstance(child, str) or child.tag not in _BLOCKS:
                if not (isinstance(child, Node) and (child.tag in _SKIP or _skipped(child))):
                    run.append(child)
                continue
            flush()
            made = self.block(child, pending if not child.attrs.get("id") else None)
            if made:
                pending = None
            out += made
        flush()
        return out

    def _with_id(self, text: str, anchor: str | None) -> str:
        return f"{text}\n{{: #{anchor} }}" if anchor else text

    def block(self, node: Node, pending: str | None = None) -> list[str]:
        tag, anchor = node.tag, node.attrs.get("id") or pending
        if _skipped(node):
            return []
        if tag in _HEADINGS:
            text = self.text(node.children)
            text = re.sub(r"\s*¶$", "", text)
            return [f"{'#' * _HEADINGS[tag]} {text}" + (f" {{#{anchor}}}" if anchor else "")] if text else []
        if tag == "p":
            text = self.text(node.children)
            return [self._with_id(text, anchor)] if text else []
        if tag in ("ul", "ol"):
            return [self.list(node, ordered=tag == "ol")]
        if tag == "dl":
            return [self.definitions(node)]
        if tag == "table":
            return [self.table(node)]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node, anchor))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.splitlines())]
        if tag == "pre":
            return ["```\n" + "".join(_plain(node)).rstrip("\n") + "\n```"]
        if tag == "hr":
            return ["* * *"]
        return self.blocks(node, anchor)  # a container: div, section, nav, li and the like

    def list(self, node: Node, ordered: bool) -> str:
        items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
        lines: list[str] = []
        loose = any(len(self.blocks(item)) > 1 for item in items)
        for number, item in enumerate(items, 1):
            parts = self.blocks(item, item.attrs.get("id"))
            if not parts:
                parts = ["&nbsp;"]
            marker = f"{number}. " if ordered else "- "
            body = "\n\n".join(parts).splitlines()
            lines.append(marker + body[0])
            lines += [f"    {line}" if line else "" for line in body[1:]]
            if loose:
                lines.append("")
        return "\n".join(lines).rstrip("\n")

    def definitions(self, node: Node) -> str:
        lines: list[str] = []
        for child in node.children:
            if not isinstance(child, Node):
                continue
            text = self.text(child.children)
            if child.tag == "dt":
                lines += ["", text or "&nbsp;"]
            elif child.tag == "dd":
                lines.append(f":   {text or '&nbsp;'}")
        return "\n".join(lines).strip("\n")

    def table(self, node: Node) -> str:
        rows: list[list[str]] = []
        for row in _find(node, "tr"):
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("th", "td")]
            rows.append([self.text(cell.children, table=True) or " " for cell in cells])
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [" "] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)


def _skipped(node: Node) -> bool:
    """Theme chrome inside the article: the edit button, the toc's heading permalinks, and
    the "On this page" list our theme's content.html adds to a long page (the baseline's
    pages get it from the same theme, so it is not written into their Markdown)."""
    classes = node.attrs.get("class", "").split()
    return "md-content__button" in classes or "headerlink" in classes or "pra-contents" in classes


def _find(node: Node, tag: str) -> list[Node]:
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            else:
                found += _find(child, tag)
    return found


def _plain(node: Node) -> list[str]:
    return [c if isinstance(c, str) else "".join(_plain(c)) for c in node.children]


def to_markdown(page_html: str, page_url: str, page_src: str, sources: dict[str, str]) -> str:
    tree = _Tree()
    tree.feed(article_html(page_html))
    tree.close()
    writer = Writer(page_url, page_src, sources)
    return "\n\n".join(b for b in writer.blocks(tree.root) if b.strip()) + "\n"


def page_urls(site: Path) -> list[str]:
    """Every page of a built site as a site-relative URL ('' for home), not 404 or assets."""
    urls = []
    for path in sorted(site.rglob("index.html")):
        relative = path.relative_to(site).parent.as_posix()
        if relative.startswith(("assets/", "pagefind/", "search/")):
            continue
        urls.append("" if relative == "." else f"{relative}/")
    return urls


def write_baseline_docs(site: Path, content: Path, docs: Path) -> int:
    """Write `docs` for the baseline from our built `site` and hand-written `content`.

    Returns the number of Markdown pages written.
    """
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    hand_written: dict[str, str] = {}
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content).as_posix()
        if path.is_dir():
            continue
        if path.suffix != ".md":
            (docs / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, docs / relative)
            continue
        stem = relative[: -len(".md")]
        url = "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else f"{stem}/")
        hand_written[url] = relative
    sources = {url: hand_written.get(url, f"{url}index.md") for url in page_urls(site)}
    count = 0
    for url, src in sources.items():
        original = content / src if url in hand_written else None
        target = docs / src
        target.parent.mkdir(parents=True, exist_ok=True)
        if original is not None and MARKER not in original.read_text(encoding="utf-8"):
            shutil.copy(original, target)  # hand-written: the very same Markdown
        else:
            page = (site / url / "index.html").read_text(encoding="utf-8")
            target.write_text(to_markdown(page, url, src, sources), encoding="utf-8")
        count += 1
    return count


def article_words(page_html: str) -> list[str]:
    """The words a reader sees in a page's article, for checking the two sites say the same."""
    tree = _Tree()
    tree.feed(article_html(page_html))
    tree.close()

    def words(node: Node | str) -> list[str]:
        if isinstance(node, str):
            return node.split()
        if node.tag in _SKIP or _skipped(node):
            return []
        return [w for child in node.children for w in words(child)]

    return words(tree.root)


def same_text(ours: Path, theirs: Path, sample: int = 60) -> tuple[int, int, list[str]]:
    """How many of a sample of pages show the same article text in both sites."""
    urls = page_urls(ours)
    step = max(1, len(urls) // sample)
    checked, same, different = 0, 0, []
    for url in urls[::step]:
        mine, other = ours / url / "index.html", theirs / url / "index.html"
        if not other.exists():
            different.append(url)
            continue
        checked += 1
        # Compared without whitespace: "Kershaw</span>," and "Kershaw," read the same.
        if "".join(article_words(mine.read_text(encoding="utf-8"))) == "".join(
            article_words(other.read_text(encoding="utf-8"))
        ):
            same += 1
        else:
            different.append(url)
    return checked, same, different
