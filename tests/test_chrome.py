"""Material's page around the article is written without its indentation (site/chrome.py):
the same elements, attributes, text and links; the article, and pre, textarea, script and
style, exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

from peer_review_archive.site.chrome import compact
from support.pages import read_page


def test_compact_keeps_the_article_and_preformatted_text_as_written() -> None:
    page = ("<html>\n  <head>\n    <script>\n  var a = 1;\n    </script>\n  </head>\n  <body>\n"
            "    <nav>\n      <a href='x'>\n        One\n      </a>\n    </nav>\n"
            "    <article class='md-typeset'>\n      <p>Kept\n\n   as is</p>\n    </article>\n"
            "    <pre>\n  code\n    here</pre>\n    <textarea>\n  typed\n</textarea>\n  </body>\n</html>\n")
    assert compact(page) == (
        "<html>\n<head>\n<script>\n  var a = 1;\n    </script>\n</head>\n<body>\n"
        "<nav>\n<a href='x'>\nOne\n</a>\n</nav>\n"
        "<article class='md-typeset'>\n      <p>Kept\n\n   as is</p>\n    </article>\n"
        "<pre>\n  code\n    here</pre>\n<textarea>\n  typed\n</textarea>\n</body>\n</html>\n")
    assert compact("a  b\tc") == "a  b\tc"  # white space without a line break is left alone


def test_built_pages_carry_the_same_chrome_without_its_indentation(tiny_site: Path) -> None:
    for url in ("", "reviews/thurrock-2016/", "themes/use-of-data/findings/", "data/", "about/"):
        path = tiny_site / url / "index.html"
        html = path.read_text(encoding="utf-8")
        assert compact(html) == html, url  # nothing left to take out
        chrome = re.sub(r"<script\b.*?</script>", "<script></script>", html.split("<article", 1)[0], flags=re.S)
        assert "\n " not in chrome and "\n\n" not in chrome, url  # no indented or blank line
        page = read_page(path)
        assert page.repeated_ids == [] and "main-content" in page.ids
        # Navigation is all there: the tabs, the skip links, the search form, the footer's links.
        hrefs = page.hrefs(in_article=False)
        assert {"#main-content"} <= set(hrefs) and any(h.endswith("accessibility/") for h in hrefs)
        assert page.find("nav", in_article=False, class_="md-tabs")
        assert page.find("form", in_article=False, role="search")


def test_compact_markup_keeps_code_as_written() -> None:
    from peer_review_archive.site.chrome import compact_markup
    markup = "<ul>\n  <li>\n    <code>a\n   b</code> <kbd>c\n  d</kbd>\n  </li>\n</ul>"
    assert compact_markup(markup) == "<ul>\n<li>\n<code>a\n   b</code> <kbd>c\n  d</kbd>\n</li>\n</ul>"


def test_chrome_icons_come_from_one_stylesheet(tiny_site: Path) -> None:
    """The header, drawer, palette, search, edit and back-to-top icons are empty <svg>s that
    stylesheets/icons.css draws, not paths repeated on every page; each one it defines."""
    defined = set(re.findall(r"\.(pra-i--[\w-]+) \{", (tiny_site / "stylesheets" / "icons.css").read_text()))
    for url in ("", "reviews/thurrock-2016/", "authorities/thurrock/", "about/"):
        html = (tiny_site / url / "index.html").read_text(encoding="utf-8")
        start, end = html.index("<article"), html.index("</article>")
        chrome = html[:start] + html[end:]
        assert "<path" not in chrome and "<path" not in html[start:html.index("<h1", start)], url
        used = set(re.findall(r'class="pra-i (pra-i--[\w-]+)"', html))
        assert len(used) >= 7 and used <= defined, url


def test_a_review_body_is_written_without_the_templates_indentation(tiny_site: Path) -> None:
    html = (tiny_site / "reviews" / "thurrock-2016" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    article = re.sub(r"<pre\b.*?</pre>", "<pre></pre>", article, flags=re.S)
    assert "\n " not in article.strip() and "\n\n\n" not in article.split('<h1')[1]
