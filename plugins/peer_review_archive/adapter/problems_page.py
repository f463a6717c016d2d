"""What `mkdocs serve` shows while the records have problems: the problems themselves.

The terminal is not where an editor looks. So while the records do not load, every page
carries a banner listing the problems (file, line, column, field, message), and on a cold
start, when there is no last good archive to show, every generated page is that list
(`pages_for_files` gives each record file its own page, at the URL it would have), so the
address the editor has open shows what is wrong instead of a 404. Problem messages quote
record text: everything here is escaped.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from ..records import urls
from ..records.ids import is_slug
from ..records.loading import CONTEXT_FOLDER, REGISTRIES
from ..records.problems import Problem, summary
from ..site.plan import Body, PlannedPage

BANNER_LINES = 10  # problems listed in the banner; the error pages list them all (up to PAGE_LINES)
PAGE_LINES = 500


def problems_html(problems: list[Problem], limit: int, stale: bool) -> str:
    """An admonition listing `problems` (at most `limit`), for the top of a page or as its body."""
    items = [f"<li><code>{html.escape(f'{p.path}:{p.line}:{p.column}')}</code> "
             f"{html.escape(p.field or '(file)')}: {html.escape(p.message)}"
             + (f" <em>({html.escape(p.hint)})</em>" if p.hint else "") + "</li>"
             for p in problems[:limit]]
    if len(problems) > limit:
        items.append(f"<li>… and {len(problems) - limit:,} more: <code>pra check</code> lists them all</li>")
    shown = ("This preview shows the last records that loaded cleanly."
             if stale else "Nothing can be shown until they are fixed.")
    return (f'<div class="admonition failure pra-problems" role="alert">'
            f'<p class="admonition-title">The records have {html.escape(summary(problems))}</p>'
            f"<p>{shown} The page reloads once they are fixed.</p>"
            f'<ul>{"".join(items)}</ul></div>')


def problems_body(problems: list[Problem]) -> Body:
    return Body(problems_html(problems, PAGE_LINES, stale=False), (), frozenset())


def pages_for_files(records_dir: Path, taken: set[str]) -> list[PlannedPage]:
    """A page at the URL of every review and context document file, for a cold start."""
    found: list[PlannedPage] = []
    for folder, url_of in ((records_dir, urls.review_url), (records_dir / CONTEXT_FOLDER, urls.context_url)):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            stem, suffix = os.path.splitext(name)
            if suffix not in (".yml", ".yaml") or name in REGISTRIES or not is_slug(stem):
                continue
            url = url_of(stem)
            if url not in taken:
                taken.add(url)
                found.append(PlannedPage(url, f"{stem}: the records have problems", "review",
                                         record=(folder / name).relative_to(records_dir)))
    return found
