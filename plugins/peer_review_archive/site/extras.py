"""What the downloads, feeds, pictures and citations add to the site, gathered for the page plan.

The page views (views/) ask `DataPages` for what a page shows of them (the network, a
review's citations, the downloads' sizes) and the MkDocs adapter asks it for the extra
files (the /data/ downloads and the Atom feeds) and each page's feed links. Everything is computed
at most once per build, and only when first needed.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from ..graph.indexes import Graph, PeerVisit
from ..graph.network import Network, build_network
from ..outputs.citations import ReviewCitations, review_citations
from ..outputs.downloads import build_exports, exports
from ..outputs.feeds import FeedLink, build_feeds, feed_links, site_feed_link
from ..outputs.memo import Memo
from ..records.archive import Archive
from .years import reviews_by_year


def visit_summary(pair_visits: tuple[PeerVisit, ...]) -> str:
    """`2012, 2013 follow-up`: the years of a pair's visits, follow-ups marked."""
    return ", ".join(v.date[:4] + (" follow-up" if v.part == "follow-up" else "") for v in pair_visits)


def visit_span(visits: tuple[PeerVisit, ...]) -> str:
    """A pair's visits in words of fixed length: `2016 review` or `13 visits, 2010 to 2024`
    (the network's table; listing every visit would grow it with the archive, and each
    authority's page lists them)."""
    if len(visits) == 1:
        return f"{visits[0].date[:4]} {'review' if visits[0].part == 'review' else 'follow-up'}"
    first, last = min(v.date[:4] for v in visits), max(v.date[:4] for v in visits)
    return f"{len(visits)} visits, {first}" + (f" to {last}" if last != first else "")


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
    def review_years(self) -> dict[str, tuple[str, ...]]:
        """Review ids by the year they began (years.py), for the reviews index and year pages."""
        return reviews_by_year(self.archive)

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
        del self.feeds  # written: not held through the build (9 MB at 4,000 reviews)
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

    def download_sizes(self) -> dict[str, int]:
        """Each download's size in bytes: as written, or as it would be."""
        return self.sizes or {path: len(content) for path, content in self.exports.items()}
