"""Material's page around the article, without its indentation.

Material's templates indent every line they write, and blank lines where a block is empty:
about a quarter of the 23 kB of header, tabs, navigation, contents and footer that every one
of the site's pages carries (25 MB at 4,000 reviews). A run of white space that holds a line
break renders as one space wherever it stands in HTML, so it is written as one line break:
the page, its links, ids and text are the same. Left exactly as written: the article (the
page's own content, which may print text as it is, e.g. a source document's lines) and every
`pre`, `textarea`, `script`, `style`, `code` and `kbd`, whose white space can matter
(Material prints `code` and `kbd` with `white-space: pre-wrap`).
"""

from __future__ import annotations

import re

_AS_WRITTEN = re.compile(r"<(pre|textarea|script|style|code|kbd)\b.*?</\1\s*>", re.S | re.I)
_BREAK = re.compile(r"[ \t\r\n\f]*\n[ \t\r\n\f]*")
_ARTICLE, _ARTICLE_END = "<article", "</article>"


def compact(page: str) -> str:
    """The page with each run of white space holding a line break outside the article (and
    outside pre, textarea, script, style, code and kbd) written as one line break."""
    start = page.find(_ARTICLE)
    end = page.find(_ARTICLE_END, start) if start >= 0 else -1
    if end < 0:
        return _compact(page)
    end += len(_ARTICLE_END)
    return _compact(page[:start]) + page[start:end] + _compact(page[end:])


def compact_markup(chrome: str) -> str:
    """Markup with each run of white space holding a line break written as one line break,
    except inside pre, textarea, script, style, code and kbd: for markup whose other elements
    no CSS prints as written (every generated page body but a source document's)."""
    return _compact(chrome)


def _compact(chrome: str) -> str:
    out, done = [], 0
    for kept in _AS_WRITTEN.finditer(chrome):
        out += (_BREAK.sub("\n", chrome[done:kept.start()]), kept.group())
        done = kept.end()
    out.append(_BREAK.sub("\n", chrome[done:]))
    return "".join(out)
