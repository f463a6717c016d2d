"""The MkDocs adapter: hands the archive core its config and turns planned pages into pages.

Thin on purpose (DESIGN.md section 5): loading, linking, planning and rendering live in
the core, which knows nothing of MkDocs. Here we only
- load the records in `on_config` (a bad record aborts the build before the site folder
  is touched, with the same lines `pra check` prints; under `mkdocs serve` it is logged
  and the last good archive is kept, so the server stays up),
- register one generated file per planned page in `on_files`, each backed by an
  `ArchivePage` whose body is the core's pre-rendered HTML: no Markdown is run over
  generated pages, which is what keeps big archives fast,
- point each page's edit button at its YAML record, and watch `reviews/` and `theme/`.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..records import urls
from ..records.archive import Archive
from ..records.assembly import load_archive
from ..records.loading import RecordCache
from ..records.problems import ArchiveError
from ..search.indexer import BUNDLE, PagefindError, SiteIndex, finish_site_index, index_site, start_site_index
from ..site.extras import DataPages
from ..site.plan import Body, Heading, PlannedPage, SitePlan
from ..site.render import TEMPLATES
from .serve import (
    CACHED_TEMPLATE,
    CACHED_TEMPLATE_SOURCE,
    Derived,
    PageCache,
    PageKeys,
    SiteFolder,
    digest,
    folder_fingerprint,
    outline,
    output_context,
)

log = logging.getLogger("mkdocs.plugins.peer_review_archive")

# Where a hand-written page (e.g. content/index.md) wants the generated part of itself.
MARKER = "<!-- peer-review-archive -->"
STALE_BANNER = (
    '<div class="admonition warning"><p class="admonition-title">The records have errors</p>'
    "<p>This preview shows the last records that loaded cleanly. The terminal running "
    "<code>mkdocs serve</code> lists the problems.</p></div>"
)


class ArchiveConfig(base.Config):
    records = c.Type(str, default="reviews")
    """The records folder, relative to mkdocs.yml."""


class ArchivePage(Page):
    """A page whose body the archive core has rendered: MkDocs only wraps it in the theme."""

    def __init__(self, planned: PlannedPage, file: File, config: MkDocsConfig, plugin: ArchivePlugin):
        # MkDocs and Material print page titles as HTML: record text is escaped here.
        super().__init__(html.escape(planned.title), file, config)
        self.planned = planned
        self._plugin = plugin

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # Rendered just before it is written (`fill`, from on_page_context) and dropped just
        # after (`empty`), so one generated body at a time is in memory, not every one.
        self.content = ""

    def fill(self) -> None:
        body = self._plugin.body(self.planned)
        self.present_anchor_ids = set(body.anchors)  # what other pages' anchor links are checked against
        if hasattr(self, "pra_output"):  # serve: written from its kept HTML, which needs nothing more
            return
        self.content = (STALE_BANNER if self._plugin.stale else "") + body.html
        self.toc = get_toc([_toc_token(h) for h in body.toc])

    def empty(self) -> None:
        self.content, self.toc = None, get_toc([])


def _toc_token(heading: Heading) -> Any:
    return {"level": heading.level, "id": heading.id, "name": heading.title,
            "children": [_toc_token(h) for h in heading.children]}


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    """`peer-review-archive`: the archive's pages, generated from the records."""

    def __init__(self) -> None:
        self.command = "build"
        self.last_good: Archive | None = None
        self.stale = False
        self.plan: SitePlan | None = None
        self.records_dir = Path("reviews")
        self.sections: frozenset[str] = frozenset()
        self.merged: dict[str, PlannedPage] = {}
        # Work reused across `mkdocs serve` rebuilds (incremental.py); None in `mkdocs build`.
        self.records_cache: RecordCache | None = None
        self.pages_cache: PageCache | None = None
        self.derived: Derived | None = None
        self.site_folder: SiteFolder | None = None
        self.made: set[str] = set()  # src_uri of every file this build's on_files added
        self.made_destinations: list[str] = []
        self.records_key = b""
        self.files_current = True
        self.search_current = True
        self.nav: Navigation | None = None
        self.output_context = b""
        self.outlines: dict[str, tuple[bytes, bytes]] = {}  # serve: document id -> (file digest, outline)
        self.search_job: SiteIndex | None = None  # `mkdocs build`: findings indexed beside pages
        self.downloads: Path | None = None  # `mkdocs build`: the downloads and feeds, until copied

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds,
        # which is what lets a broken record fall back to the last good archive.
        self.command = command
        if command == "serve":
            self.records_cache, self.pages_cache, self.derived = RecordCache(), PageCache(), Derived()
            self.site_folder = SiteFolder()

    def on_shutdown(self) -> None:
        if self.derived is not None:
            self.derived.close()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("peer-review-archive: the archive's URLs need use_directory_urls: true")
        root = Path(config.config_file_path or ".").resolve().parent
        self.records_dir = root / self.config.records
        gc.unfreeze()  # serve: the last build's archive may be garbage now
        try:
            archive = load_archive(self.records_dir, display_root=root, cache=self.records_cache)
        except ArchiveError as error:
            if self.command != "serve":
                raise PluginError(str(error)) from None
            log.error(str(error))
            self.stale = True
            archive = self.last_good or Archive()
        else:
            self.last_good, self.stale = archive, False
        if not config.site_url:
            log.warning("peer-review-archive: no site_url in mkdocs.yml: feeds and citations are left out")
        self.plan = SitePlan(archive, site_url=config.site_url, site_name=config.site_name,
                             fragments=self.pages_cache.fragment if self.pages_cache else None)
        # The archive lives as long as the build and holds millions of objects: exempt them
        # from the cyclic garbage collector, which would otherwise scan them again and again
        # (a quarter of the time of building the graph, at national scale).
        gc.freeze()
        if self.search_job is not None:  # a config loaded again before its build ran
            self.search_job.cancel()
        if self.derived is None:
            # `mkdocs build`: findings need only the archive, so index them while pages build
            # (on_post_build adds the pages; on_build_error stops it if the build fails).
            self.search_job = start_site_index(self.plan.graph)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.plan is not None
        self.merged, self.made = {}, set()
        docs_dir = Path(config.docs_dir).resolve()
        for planned in self.plan.pages:
            if files.get_file_from_path(planned.src_uri) is not None:
                self.merged[planned.src_uri] = planned  # hand-written: body goes in at MARKER
                continue
            inclusion = InclusionLevel.INCLUDED if planned.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, planned.src_uri, content="", inclusion=inclusion)
            file.edit_uri = self._edit_path(planned, docs_dir)
            files.append(file)
            self.made.add(file.src_uri)
            ArchivePage(planned, file, config, self)
        # The /data/ downloads and the Atom feeds: plain files, copied to the site as they are.
        if self.derived is None:  # `mkdocs build`: written to files first, not held in memory
            self._forget_downloads()
            self.downloads = Path(tempfile.mkdtemp(prefix="pra-data-"))
            extra = {path: File.generated(config, path, abs_src_path=str(source))
                     for path, source in self.plan.data.write_files(self.downloads).items()}
        else:
            extra = {path: File.generated(config, path, content=content)
                     for path, content in self._data_files(config).items()}
        for path, file in extra.items():
            if files.get_file_from_path(path) is None:
                files.append(file)
                self.made.add(path)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Optional sections (the explorer, downloads) are linked only once their pages exist.
        page_urls = {file.url for file in files.documentation_pages()}
        self.sections = frozenset(key for key, url in urls.INDEX_URLS.items() if url in page_urls)
        self.nav = nav
        if self.pages_cache is not None and self.plan is not None:
            self.pages_cache.start(self._page_keys(config))
            self.pages_cache.forget(planned.url for planned in self.plan.pages)
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # Serve rebuilds only: MkDocs has cleaned the site folder and is about to write it.
        cache, folder = self.pages_cache, self.site_folder
        if cache is None or folder is None:
            return env
        env.bytecode_cache = cache.bytecode
        keyed = cache.keys is not None and self.nav is not None
        if keyed:
            env.loader = ChoiceLoader([DictLoader({CACHED_TEMPLATE: CACHED_TEMPLATE_SOURCE}), env.loader])
            self.output_context = output_context(config, self.nav)
        ours = [file for file in files if file.src_uri in self.made]
        self.made_destinations = [file.dest_uri for file in ours]
        folder.plan(Path(config.site_dir), [file.dest_uri for file in ours],
                    [file.dest_uri for file in files if file.src_uri not in self.made])
        for file in ours:
            page, key = file.page, None
            if file.page is None:  # a download or a feed
                key = digest(file.content_bytes)
            elif keyed and isinstance(page, ArchivePage) and file.inclusion.is_not_in_nav():
                # A record page whose finished HTML is kept under the same key is written
                # from the cache by a one-line template, instead of Material's.
                key = self._output_key(page)
                output = cache.output(page.url, key)
                if output is not None:
                    page.meta = {"template": CACHED_TEMPLATE}
                    page.pra_output = output  # type: ignore[attr-defined]
            destination = folder.destination(file.dest_uri, key)
            if destination is not None:
                file.abs_dest_path = destination
        return env

    @event_priority(100)  # first: keep the template's output before any plugin changes it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        cache = self.pages_cache
        if (cache is not None and cache.keys is not None and isinstance(page, ArchivePage)
                and page.file.inclusion.is_not_in_nav() and page.meta.get("template") != CACHED_TEMPLATE):
            cache.keep_output(page.url, self._output_key(page), output)
        if isinstance(page, ArchivePage):
            page.empty()
        return output

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.merged.get(page.file.src_uri)
        if planned is None:
            return html
        body = self.body(planned)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= body.anchors
        if MARKER in html:
            return html.replace(MARKER, body.html, 1)
        return html + body.html

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        if isinstance(page, ArchivePage):
            page.fill()
        # Feed autodiscovery: theme/main.html writes these as <link rel="alternate"> in the head.
        context["pra_feeds"] = self.plan.data.feed_links(page.url) if self.plan else []
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Search last, over the written site: pages plus one record per finding (issue 4).
        assert self.plan is not None
        if self.derived is not None:
            if self.site_folder is not None:
                self.site_folder.finish(self.made_destinations)
            if self.stale:  # the last good archive's pages: keep the latest index with them
                self.derived.place_index(b"", Path(config.site_dir), BUNDLE)
            else:
                self._serve_search(config)
            return
        self._forget_downloads()  # MkDocs has copied them
        job, self.search_job = self.search_job, None
        try:
            site = Path(config.site_dir)
            report = finish_site_index(job, site, self.plan.graph) if job else index_site(site, self.plan.graph)
        except PagefindError as error:
            raise PluginError(f"peer-review-archive: search index: {error}") from None
        log.info(f"Search index: {report.pages} pages and {report.findings} findings "
                 f"in {report.seconds:.1f} s, {report.after_pages:.1f} s of it after the pages")

    def on_build_error(self, *, error: Exception) -> None:
        self._forget_downloads()
        if self.site_folder is not None:
            self.site_folder.forget()
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.records_dir))
        if self.derived is not None:
            server.watch(str(self.derived.signal))  # downloads or search index made afresh
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server

    def _forget_downloads(self) -> None:
        if self.downloads is not None:
            shutil.rmtree(self.downloads, ignore_errors=True)
            self.downloads = None

    def body(self, planned: PlannedPage) -> Body:
        plan = self.plan
        assert plan is not None
        if self.pages_cache is None:
            return plan.render(planned, self.sections)
        return self.pages_cache.body(planned, lambda: plan.render(planned, self.sections))

    def _data_files(self, config: MkDocsConfig) -> dict[str, bytes]:
        """Serve: the latest downloads and feeds made, renewed in the background."""
        plan = self.plan
        assert plan is not None and self.derived is not None
        if self.stale or self.records_cache is None:
            return plan.data.files()
        on_disk = sorted((str(path), value) for path, value in self.records_cache.digests().items())
        self.records_key = digest(on_disk, config.site_url, config.site_name)
        (exports, feeds), self.files_current = self.derived.data_files(self.records_key, self._make_data(config))
        plan.data.exports, plan.data.feeds = exports, feeds  # what the data page lists is what is served
        return plan.data.files()

    def _make_data(self, config: MkDocsConfig) -> Callable[[], tuple[dict[str, bytes], dict[str, bytes]]]:
        assert self.plan is not None
        data = DataPages(self.plan.archive, self.plan.graph, config.site_url, config.site_name)
        return lambda: (data.exports, data.feeds)

    def _serve_search(self, config: MkDocsConfig) -> None:
        """Serve: link the latest search index into the site; make a new one if it is stale.

        The downloads come first: the pages indexed must be the ones that show them."""
        derived, plan = self.derived, self.plan
        assert derived is not None and plan is not None
        if derived.errors:
            raise PluginError(f"peer-review-archive: {derived.errors.pop()}")
        site = Path(config.site_dir)
        custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        key = digest(self.records_key, output_context(config, self.nav) if self.nav else b"",
                     folder_fingerprint(Path(config.docs_dir)), folder_fingerprint(custom_dir),
                     folder_fingerprint(TEMPLATES))
        current = self.search_current = derived.place_index(key, site, BUNDLE)
        if not self.files_current:
            derived.make_files(self.records_key, self._make_data(config))
        elif not current:
            graph = plan.graph
            first = derived.index is None
            derived.make_index(key, site, BUNDLE, lambda folder: index_site(folder, graph))
            if first:  # the first build of a session is complete, as `mkdocs build` is
                derived.wait()
                if derived.errors:
                    raise PluginError(f"peer-review-archive: search index: {derived.errors.pop()}")
                self.search_current = derived.place_index(key, site, BUNDLE)

    def _page_keys(self, config: MkDocsConfig) -> PageKeys | None:
        """Body keys for this build's archive; None (reuse nothing) when it is stale."""
        if self.stale or self.records_cache is None or self.plan is None:
            return None
        on_disk = self.records_cache.digests()
        archive = self.plan.archive
        files = {name: on_disk.get(self.records_dir / relative, b"") for name, relative in archive.files.items()}
        context = digest(config.site_url, config.site_name, sorted(self.sections), folder_fingerprint(TEMPLATES))
        served = self.derived.files[0] if self.derived is not None and self.derived.files else None
        # Source pages show their text and every item citing it: keyed on both.
        sources = digest(files.get("sources"), sorted(archive.source_lines.items()), self.plan.citations)
        by_kind = {"data": digest(served), "source": sources, "sources": sources}
        return PageKeys(archive, files, context, by_kind=by_kind, outlines=self._outlines(files))

    def _outlines(self, files: dict[str, bytes]) -> dict[str, bytes]:
        """Each document's `outline`, made again only for the files that changed."""
        assert self.plan is not None
        archive, kept = self.plan.archive, self.outlines
        self.outlines = {}
        for doc_id, document in [*archive.reviews.items(), *archive.context_documents.items()]:
            key = files.get(doc_id, b"")
            made = kept.get(doc_id)
            self.outlines[doc_id] = made if made is not None and made[0] == key else (key, outline(document))
        return {doc_id: made[1] for doc_id, made in self.outlines.items()}

    def _output_key(self, page: ArchivePage) -> bytes:
        assert self.pages_cache is not None and self.plan is not None
        return digest(self.output_context, self.pages_cache.body_key(page.planned), page.title, page.url,
                      page.canonical_url, page.edit_url, self.plan.data.feed_links(page.url))

    def _edit_path(self, planned: PlannedPage, docs_dir: Path) -> str | None:
        """The record's path relative to docs_dir: MkDocs joins it to repo_url + edit_uri."""
        if planned.record is None:
            return None
        record = self.records_dir / planned.record
        return Path(os.path.relpath(record, docs_dir)).as_posix()
