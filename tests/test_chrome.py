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
