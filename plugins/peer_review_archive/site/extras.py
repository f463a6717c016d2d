"""What the downloads, feeds, pictures and citations add to the site, gathered for the page plan.

The page plan asks `DataPages` for the extra context of a page (a picture, an authority's
peers, a review's citations) and the MkDocs adapter asks it for the extra files (the
/data/ downloads and the Atom feeds) and each page's feed links. Everything is computed
at most once per build, and only when first needed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from ..graph.indexes import Graph, PeerVisit
from ..graph.network import Network, build_network
from ..outputs.citations import ReviewCitations, review_citations
from ..outputs.downloads import FORMAT_NAMES, LIST_SEPARATOR, OGL, build_exports, data_files, exports
from ..outputs.feeds import MAX_ENTRIES, FeedLink, build_feeds, feed_links, site_feed_link
from ..outputs.memo import Memo
from ..outputs.pictures import network_matrix, review_timeline, theme_counts, theme_matrix
from ..records import urls
from ..records.archive import Archive

Link = Callable[[str], str]


def visit_summary(pair_visits: tuple[PeerVisit, ...]) -> str:
    """`2012, 2013 follow-up`: the years of a pair's visits, follow-ups marked."""
    return ", ".join(v.date[:4] + (" follow-up" if v.part == "follow-up" else "") for v in pair_visits)


class DataPages:
    """The archive's downloads, feeds, pictures and citations, for one build."""

    def __init__(self, archive: Archive, graph: Graph, site_url: str | None, site_name: str,
                 memo: Memo | None = None):
        self.memo = memo  # serve: each document's share of the downloads, kept between rebuilds
        self.archive = archive
        self.graph = graph
        # Feeds and citations need absolute URLs: without a site_url they are left out.
        self.site_url = site_url if site_url and site_url.startswith(("http://", "https://")) else None
        self.site_name = site_name
        self.sizes: dict[str, int] | None = None  # of the downloads, once written to files

    @cached_property
    def network(self) -> Network:
        return build_network(self.archive, self.graph)

    @cached_property
    def exports(self) -> dict[str, bytes]:
        return build_exports(self.archive, self.graph, self.site_url, self.memo)

    @cached_property
    def feeds(self) -> dict[str, bytes]:
        if not self.site_url:
            return {}
        return build_feeds(self.archive, self.graph, self.site_url, self.site_name, self.memo)

    @cached_property
    def _page_feeds(self) -> dict[str, list[FeedLink]]:
        return feed_links(self.archive, self.site_name) if self.site_url else {}

    def files(self) -> dict[str, bytes]:
        """Every extra file's site path and bytes: downloads, then feeds."""
        return {**self.exports, **self.feeds}

    def write_files(self, folder: Path) -> dict[str, Path]:
        """The same files written under `folder`, by site path: a build need not hold the
        downloads in memory (120 MB at 4,000 reviews)."""
        written = {}
        for path, write in exports(self.archive, self.graph, self.site_url).items():
            written[path] = target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as stream:
                write(stream)
        self.sizes = {path: target.stat().st_size for path, target in written.items()}
        for path, content in self.feeds.items():
            written[path] = target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        return written

    def feed_links(self, page_url: str) -> list[FeedLink]:
        """The feeds a page announces in its head: its own (if any), then the archive's."""
        if not self.site_url:
            return []
        return [*self._page_feeds.get(page_url, []), site_feed_link(self.site_name)]

    def citations(self, review_id: str) -> ReviewCitations | None:
        """A review's ready-made citations; none without an absolute site_url."""
        if not self.site_url:
            return None
        return review_citations(self.archive.reviews[review_id], self.archive, self.site_url, self.site_name)

    def context(self, kind: str, subject: str | None, link: Link) -> dict[str, object]:
        """Extra template context for one page; `link` makes a site path relative to it."""
        extra: dict[str, object] = {}
        if kind == "network":
            extra |= {"network": self.network, "visit_summary": visit_summary,
                      "network_svg": Markup(network_matrix(self.network, self.archive, link))}
        elif kind == "themes":
            table = theme_counts(self.archive, self.graph)
            extra |= {"theme_table": table, "theme_matrix": Markup(theme_matrix(self.archive, table, link))}
        elif kind == "reviews":
            extra["review_timeline"] = Markup(review_timeline(self.archive, link))
        elif kind == "data":
            sizes = self.sizes or {path: len(content) for path, content in self.exports.items()}
            extra |= {"data_files": data_files(), "sizes": sizes, "format_names": FORMAT_NAMES, "licence": OGL,
                      "list_separator": LIST_SEPARATOR, "feed_url": urls.FEED_URL if self.site_url else None,
                      "max_entries": MAX_ENTRIES, "site_name": self.site_name,
                      "record_format_url": urls.RECORD_FORMAT_URL}
            authority = next(iter(sorted(self.archive.authorities)), None)
            theme = next(iter(self.archive.themes), None)
            extra |= {"example_authority": authority, "example_theme": theme,
                      "example_authority_feed": urls.authority_feed_url(authority) if authority else None,
                      "example_theme_feed": urls.theme_feed_url(theme) if theme else None}
        return extra
