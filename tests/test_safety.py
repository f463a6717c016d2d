"""Text from records never becomes live markup.

Two layers: the one text formatter (`render.prose`/`inline`) against a corpus of hostile
payloads, and a real build of the tiny archive with every payload put into every kind of
text field, whose HTML is parsed and searched for anything live.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from peer_review_archive.site.render import inline, plain, prose
from support.builds import build
from support.pages import html_files, read_page

MARK = "PRAX"
PAYLOADS = [
    f"<script>alert('{MARK}1')</script>",
    f"<img src=x onerror=alert('{MARK}2')>",
    f"<svg onload=alert('{MARK}3')>",
    f"\"><script>alert('{MARK}4')</script>",
    f"'><img src=x onerror=alert('{MARK}5')>",
    f"</title><script>alert('{MARK}6')</script>",
    f"</textarea></style><script>alert('{MARK}7')</script>",
    f"<a href=\"javascript:alert('{MARK}8')\">x</a>",
    f"[click {MARK}9](javascript:alert(1))",
    f"[click {MARK}10](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"[{MARK}11](https://example.org/\" onmouseover=\"alert(1))",
    f"[{MARK}12](https://example.org/\"><script>alert(1)</script>)",
    f"<!-- {MARK}13 --><script>alert(1)</script>",
    f"<iframe src=\"javascript:alert('{MARK}14')\"></iframe>",
    f"<style>body{{background:url(\"javascript:alert('{MARK}15')\")}}</style>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{MARK}16')>",
    f"<a href=\"&#106;avascript:alert('{MARK}17')\">x</a>",
    f"<base href=\"javascript:alert('{MARK}18')//\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('{MARK}19')\">",
    f"{{{{ 7*7 }}}} {{% raw %}}{MARK}20{{% endraw %}}",
    f"<form action=\"javascript:alert('{MARK}21')\"><input type=submit></form>",
    f"**<script>alert('{MARK}22')</script>**",
    f"*<img src=x onerror=alert('{MARK}23')>*",
    f"[<img src=x onerror=alert('{MARK}24')>](https://example.org)",
    f"<a href=\"https://example.org\" onclick=\"alert('{MARK}25')\">x</a>",
    f"javascript:alert('{MARK}26')",
    f"<object data=\"data:text/html,{MARK}27\"></object>",
    f"<details open ontoggle=alert('{MARK}28')>",
    f"<scr<script>ipt>alert('{MARK}29')</script>",
    f"<![CDATA[<script>alert('{MARK}30')</script>]]>",
    f"[{MARK}31](https://example.org)<script>alert(1)</script>[x](vbscript:msgbox(1))",
]

# Fields that hold ids, references, dates or choices, not text: left as they are.
NOT_TEXT = {"id", "kind", "host", "programme", "date", "end_date", "reviewers", "authority",
            "themes", "addresses", "source", "members", "related_reviews", "url", "document",
            "lines", "speaker", "year", "unit", "comparator"}
# Evidence says where an item's words are in its source text. A finding keeps its location and
# the payloads are written into its cited lines too (so the source page shows them); every other
# item's location is left out (its poisoned words are in no source: pra check would refuse them).
# Our own markup inside a page body: anything else there came from a record.
ALLOWED_TAGS = {"nav", "ol", "ul", "li", "a", "span", "h1", "h2", "h3", "h4", "dl", "dt", "dd",
                "p", "div", "table", "thead", "tbody", "tr", "th", "td", "time", "em", "strong",
                "blockquote", "section", "cite", "code", "br", "svg", "path",
                # citations and pictures (citations.py, pictures.py): drawn by code, not records
                "pre", "details", "summary", "figure", "figcaption", "g", "rect", "line", "circle",
                "text", "tspan", "title", "desc", "polyline", "polygon", "defs", "marker",
                "ellipse",
                # the authority page's "Compare with" form and the compare page's (views/authority.py, compare.py)
                "form", "label", "select", "option", "input", "button"}
GENERATED = ("reviews/", "authorities/", "themes/", "context/", "compare/")
LIVE_SCHEME = re.compile(r"^\s*(javascript|data|vbscript):", re.I)


# --- the formatter ---------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("formatter", [prose, inline])
def test_formatter_never_emits_live_markup(formatter, payload: str) -> None:
    out = str(formatter(payload))
    parsed = _Tags()
    parsed.feed(out)
    parsed.close()
    assert {tag for tag, _ in parsed.tags} <= {"p", "a", "em", "strong"}, out
    for tag, attrs in parsed.tags:
        assert set(attrs) <= ({"href", "rel"} if tag == "a" else set()), out
        href = attrs.get("href") or ""
        assert not href or href.startswith(("http://", "https://")), out
    assert not parsed.comments, out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def test_formatter_keeps_the_allowed_subset() -> None:
    assert str(prose("A *b* **c** [d](https://e.org/f?g=1&h=2).\n\nNext.")) == (
        '<p>A <em>b</em> <strong>c</strong> '
        '<a href="https://e.org/f?g=1&amp;h=2" rel="noopener noreferrer">d</a>.</p><p>Next.</p>'
    )
    assert str(inline("2 * 3 * 4 and a_b_c")) == "2 * 3 * 4 and a_b_c"
    assert str(inline("Tom & Jerry <3")) == "Tom &amp; Jerry &lt;3"
    assert plain("**A** [b](https://c.org)") == "A b"


# --- a hostile archive, built ----------------------------------------------------------


def _poison(value: Any, key: str | None, counter: list[int]) -> Any:
    """Every text field gets every payload; ids, references and dates stay valid."""
    if key in NOT_TEXT or (key == "sources" and all(isinstance(v, str) for v in value)):
        return value
    if isinstance(value, dict):
        return {k: _poison(v, k, counter) for k, v in value.items() if k != "evidence" or key == "findings"}
    if isinstance(value, list):
        return [_poison(v, key, counter) for v in value]
    if isinstance(value, str):
        counter[0] += 1
        return f"{value} " + " ".join(PAYLOADS)
    return value


def _poison_cited_lines(records: Path, data: dict[str, Any]) -> None:
    """The payloads, as plain text, also end each line a finding cites: its poisoned words
    are still found there, and the source page shows them too."""
    findings = [*data.get("findings", []), *(f for part in (*data.get("follow_ups", []), *data.get("responses", []))
                                             for f in part.get("findings", []))]
    for finding in findings:
        if "evidence" in finding:
            text_file = records / "sources" / f"{finding['evidence']['document']}.txt"
            lines = text_file.read_text(encoding="utf-8").splitlines()
            last = int(str(finding["evidence"]["lines"]).split("-")[-1])
            lines[last - 1] += " " + plain(" ".join(PAYLOADS))
            text_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from support.builds import make_project

    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    counter = [0]
    for path in sorted((project / "reviews").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "sources" in data:  # a URL that passes the model's pattern but is still hostile
            data["sources"][0]["url"] = "https://example.org/\"><script>alert('PRAXURL')</script>"
        path.write_text(yaml.safe_dump(_poison(data, None, counter), allow_unicode=True),
                        encoding="utf-8")
        _poison_cited_lines(project / "reviews", data)
    assert counter[0] > 50
    result = build(project)
    assert result.ok, result.output
    return result.site


def test_the_hostile_site_has_no_live_markup(hostile_site: Path) -> None:
    pages = list(html_files(hostile_site))
    assert len(pages) > 15
    for path in pages:
        page = read_page(path)
        relative = path.relative_to(hostile_site).as_posix()
        generated = relative == "index.html" or relative.startswith(GENERATED)
        for element in page.elements:
            where = f"{path.relative_to(hostile_site)}: <{element.tag} {element.attrs}>"
            assert not [a for a in element.attrs if a.startswith("on")], where
            for attribute in ("href", "src", "action", "formaction", "data", "xlink:href"):
                assert not LIVE_SCHEME.match(element.attrs.get(attribute, "")), where
            if element.in_article and generated and element.tag == "style":
                # A picture's own style sheet (pictures.py): fixed rules, never record text.
                assert MARK not in element.text and "url(" not in element.text, where
            elif element.in_article and generated:
                assert element.tag in ALLOWED_TAGS, where
            if element.tag == "script":
                assert not element.in_article, where
                assert MARK not in element.text and "alert(" not in element.text, where
                src = element.attrs.get("src", "")
                assert not src or "javascripts/" in src, where
            assert element.tag not in ("iframe", "object", "embed", "base", "math"), where
        assert not [c for c in page.comments if MARK in c], path
        assert page.find("meta", **{"http-equiv": "refresh"}) == [], path


def test_the_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    review = read_page(hostile_site / "reviews" / "thurrock-2016" / "index.html")
    assert f"<script>alert('{MARK}1')</script>" in review.article_text
    assert f"<script>alert('{MARK}1')</script>" in review.title
    assert "{{ 7*7 }}" in review.article_text and " 49 " not in review.article_text
    theme = read_page(hostile_site / "themes" / "use-of-data" / "index.html")
    assert f"<img src=x onerror=alert('{MARK}2')>" in theme.article_text
    norfolk = read_page(hostile_site / "authorities" / "norfolk" / "index.html")
    assert f"onerror=alert('{MARK}5')" in norfolk.article_text
