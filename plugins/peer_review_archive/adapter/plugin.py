"""The MkDocs plugin `peer-review-archive`: the archive's pages, downloads, feeds and search.

Loading, assembling, planning and rendering live in the layers below, which know nothing
of MkDocs. Here we
- load the records in `on_config` (a bad record aborts the build before the site folder
  is touched, with the same lines `pra check` prints; under `mkdocs serve` the last good
  archive is kept, so the server stays up, and every page says what is wrong:
  `problems_page.py`);
- have `mkdocs build` write into a staging folder that replaces the site folder only once
  the build is complete, search index included (`publish.py`);
- register one generated file per planned page in `on_files`, each backed by an
  `ArchivePage` whose body is the site layer's HTML (no Markdown is run over generated
  pages), and the downloads and feeds as generated files; point each page's edit button
  at its YAML record;
- put a planned body into a hand-written page at its marker (`on_page_content`);
- index the site for search once it is written (`on_post_build`; under `mkdocs build` the
  findings are indexed by a child process while the pages are written);
- under dirty serve builds (`pra serve`, `mkdocs serve --dirty`), give MkDocs a key per file
  so it writes only what changed (`serve.py`), and watch the records and the theme.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import gc
import html
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment
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
from mkdocs.utils import get_build_date

from ..graph.similarity import Matcher
from ..outputs.memo import Memo
from ..records import urls
from ..records.archive import Archive
from ..records.assembly import load_archive
from ..records.loading import RecordCache
from ..records.problems import ArchiveError, Problem
from ..search.indexer import PagefindError, SiteIndex, index_site, start_site_index
from ..site.chrome import compact
from ..site.plan import Body, Heading, PlannedPage, SitePlan
from ..site.render import TEMPLATES, forget_rendered_text
from .problems_page import BANNER_LINES, pages_for_files, problems_body, problems_html
from .publish import StagedSite, WarningCount, stop_cleanly_on_sigterm
from .serve import (
    BackgroundIndex,
    IdleCollector,
    KeyedFile,
    PageKeys,
    TemplateBytecode,
    Tracker,
    digest,
    folder_fingerprint,
    outline,
    output_context,
    text_key,
)

log = logging.getLogger("mkdocs.plugins.peer_review_archive")

# Where a hand-written page (e.g. content/index.md) wants the generated part of itself.
MARKER = "<!-- peer-review-archive -->"


class ArchiveConfig(base.Config):
    records = c.Type(str, default="reviews")
    """The records folder, relative to mkdocs.yml."""


class ArchivePage(Page):
    """A page whose body the archive core has rendered: MkDocs only wraps it in the theme."""

    def __init__(self, planned: PlannedPage, file: File, config: MkDocsConfig, plugin: ArchivePlugin):
        # MkDocs and Material print page titles as HTML: record text is escaped here.
        super().__init__(html.escape(planned.title), file, config)
        self.planned: PlannedPage | None = planned
        self._plugin = plugin

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # Rendered just before it is written (`fill`, from on_page_context) and dropped just
        # after (`empty`), so one generated body at a time is in memory, not every one.
        self.content = ""

    def fill(self) -> None:
        assert self.planned is not None
        body = self._plugin.body(self.planned)
        # What other pages' anchor links are checked against: only the anchors they link to
        # (all pages are read before any is written), not every finding's of every page.
        self.present_anchor_ids = self._plugin.linked_anchors.get(self.file.src_uri, set()) & body.anchors
        self.content = self._plugin.banner(generated=True) + body.html
        self.toc = get_toc([_toc_token(h) for h in body.toc])

    def empty(self) -> None:
        self.content, self.toc = None, get_toc([])
        if self._plugin.command == "build":  # nothing asks again: let the plan's pages go with the plan
            self.planned = None

    def again(self) -> None:
        """Serve: this page in the next build, as MkDocs makes a page anew (the same file, the
        same planned page, the same configuration; MkDocs sets the rest as it builds)."""
        self.update_date = get_build_date()
        self.active, self.previous_page, self.next_page = False, None, None
        self.content, self.toc = None, get_toc([])
        self.present_anchor_ids = self.links_to_anchors = None  # a page not rendered has none


def _give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc only): Python frees its big
    objects' memory with `free`, which keeps it for the process otherwise."""
    with contextlib.suppress(AttributeError, OSError):  # not glibc: the memory stays with the process
        ctypes.CDLL(None).malloc_trim(0)


def _toc_token(heading: Heading) -> Any:
    return {"level": heading.level, "id": heading.id, "name": heading.title,
            "children": [_toc_token(h) for h in heading.children]}


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    """`peer-review-archive`: the archive's pages, generated from the records."""

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False  # --dirty: MkDocs writes only what changed, into the site folder itself
        self.last_good: Archive | None = None
        self.stale = False  # serve: the records have problems; the last good archive is shown
        self.problems: list[Problem] = []  # serve: what those problems are
        self.cold = False  # serve: ... and there is no last good archive: pages list the problems
        self.staged: StagedSite | None = None  # `mkdocs build`: the folder being written
        self.warnings: WarningCount | None = None
        self.plan: SitePlan | None = None
        self.records_dir = Path("reviews")
        self.sections: frozenset[str] = frozenset()
        self.merged: dict[str, PlannedPage] = {}
        self.linked_anchors: dict[str, set[str]] = {}  # page -> its anchors other pages link to
        self.pages_written = 0
        self.records_cache: RecordCache | None = None  # serve: each record file's parse, by its bytes
        # Dirty serve builds only (`pra serve`): what is on disk under which key, and the search index.
        self.tracker: Tracker | None = None
        self.bytecode = TemplateBytecode()
        self.memo: Memo | None = None  # each document's share of the downloads
        self.matcher: Matcher | None = None  # the matches, matched again only where an edit reaches
        self.words: dict[int, tuple[object, bytes]] = {}  # serve: a digest of each finding's words, by finding
        self.untitled: set[str] = set()
        self.built: list[str] = []  # this build's pages (and any other index.html), as paths in the site
        self.index: BackgroundIndex | None = None
        self.collector: IdleCollector | None = None  # dirty serve: full garbage collections between rebuilds
        self.keys: PageKeys | None = None
        # serve: last build's generated pages' files, and the configuration they were made from
        self.generated: tuple[bytes, dict[str, KeyedFile]] = (b"", {})
        self.output_context = b""
        self.records_key = b""
        self.outlines: dict[str, tuple[bytes, bytes]] = {}  # document id -> (file digest, outline)
        self.search_job: SiteIndex | None = None  # `mkdocs build`: findings indexed beside pages
        self.downloads: Path | None = None  # `mkdocs build`: the downloads and feeds, until copied

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds,
        # which is what lets a broken record fall back to the last good archive.
        self.command, self.dirty = command, dirty
        if command == "serve":
            self.records_cache = RecordCache()
            if dirty:
                self.matcher, self.collector = Matcher(), IdleCollector()
                self.tracker, self.index, self.memo = Tracker(), BackgroundIndex(self.collector.now), Memo()
            stop_cleanly_on_sigterm(KeyboardInterrupt)  # serve shuts down, then on_shutdown
        else:
            stop_cleanly_on_sigterm(lambda: PluginError("peer-review-archive: stopped (SIGTERM); "
                                                        "the site folder is as it was"))
        atexit.register(self._clean_up)  # every other way out

    def on_shutdown(self) -> None:
        self._clean_up()

    def _clean_up(self) -> None:
        """Remove every temporary folder this plugin made (idempotent)."""
        if self.collector is not None:
            self.collector.cancel()
        if self.index is not None:
            self.index.close()
        self._forget_downloads()
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None
        if self.staged is not None:
            self.staged.discard()
            self.staged = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("peer-review-archive: the archive's URLs need use_directory_urls: true")
        if self.collector is not None:
            self.collector.busy()
        root = Path(config.config_file_path or ".").resolve().parent
        self.records_dir = root / self.config.records
        archive = self._load(root)
        if not config.site_url:
            log.warning("peer-review-archive: no site_url in mkdocs.yml: feeds and citations are left out")
        serving = self.tracker is not None  # a dirty serve: pages keyed, the last plan kept where it can be
        self.plan = SitePlan(archive, site_url=config.site_url, site_name=config.site_name, memo=self.memo,
                             matcher=self.matcher, declare=serving, previous=self.plan if serving else None)
        if self.command == "build":
            # `mkdocs build` only: the archive lives as long as the build and holds millions of
            # objects, so exempt them from the cyclic garbage collector, which would otherwise
            # scan them again and again (a quarter of the time of building the graph).
            gc.freeze()
        if self.search_job is not None:  # a config loaded again before its build ran
            self.search_job.cancel()
        if self.index is None:
            # Findings need only the archive, so index them while pages build (on_post_build
            # adds the pages; on_build_error stops it if the build fails).
            self.search_job = start_site_index(self.plan.graph)
        if self.command == "build" and not self.dirty:
            self._stage(config)
        _give_back_freed_memory()  # what loading, matching and the finding records used for a while
        return config

    def _load(self, root: Path) -> Archive:
        """The archive; under serve, with problems, the last good one (or an empty one).

        Any failure at all counts as problems here, not just the ones the checks name: a
        serve that raised would stop answering, and a build must end with one clear line."""
        try:
            archive = load_archive(self.records_dir, display_root=root, cache=self.records_cache)
        except ArchiveError as error:
            problems, message = error.problems, str(error)
        except Exception as error:  # noqa: BLE001 - a bug or the file system: reported, never a traceback
            problems = [Problem(str(self.config.records), 1, 1, "",
                                f"the records could not be loaded ({type(error).__name__}: {error})",
                                "this is a bug in the archive's loader: please report it")]
            message = str(problems[0])
        else:
            if self.command == "serve":  # drafts are shown, under a banner, only to an editor serving them
                archive = archive.with_drafts()
            self.last_good, self.stale, self.cold, self.problems = archive, False, False, []
            return archive
        if self.command != "serve":
            raise PluginError(message) from None
        log.error(message)
        self.stale, self.problems = True, problems
        self.cold = self.last_good is None
        return self.last_good or Archive()

    def _stage(self, config: MkDocsConfig) -> None:
        """`mkdocs build`: write into a staging folder, swapped in by on_post_build."""
        if self.staged is not None:
            self.staged.discard()
        self.staged = StagedSite(Path(config.site_dir))
        config.site_dir = str(self.staged.staging)
        if self.warnings is None:
            self.warnings = WarningCount()
            logging.getLogger("mkdocs").addHandler(self.warnings)
        self.warnings.count = 0

    def banner(self, generated: bool) -> str:
        """Serve, while the records have problems: the list, atop every page (an error page
        of a cold start is that list already)."""
        if not self.stale or (generated and self.cold):
            return ""
        return problems_html(self.problems, BANNER_LINES, stale=not self.cold)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.plan is not None
        self.merged = {}
        docs_dir = Path(config.docs_dir).resolve()
        pages = self.plan.pages
        if self.cold:  # a page at each record's own address, saying what is wrong
            pages = [*pages, *pages_for_files(self.records_dir, {planned.url for planned in pages})]
        made_for = digest(config.site_url, config.repo_url, config.edit_uri, config.edit_uri_template,
                          config.use_directory_urls, str(docs_dir), config.site_dir)
        kept = self.generated[1] if self.generated[0] == made_for else {}
        generated: dict[str, KeyedFile] = {}
        for planned in pages:
            if files.get_file_from_path(planned.src_uri) is not None:
                self.merged[planned.src_uri] = planned  # hand-written: body goes in at MARKER
                continue
            file = generated[planned.src_uri] = self._generated_file(planned, config, docs_dir,
                                                                     kept.get(planned.src_uri))
            files.append(file)
        if self.tracker is not None:
            self.generated = (made_for, generated)
        if self.tracker is not None:
            # Hand-written pages answer too (always "modified"): by modification time, MkDocs'
            # own answer, an unchanged page is not read, and the navigation loses its title.
            files = Files([self._keyed(file) if file.is_documentation_page() else file for file in files])
        # The /data/ downloads and the Atom feeds: plain files, copied to the site as they are.
        if self.tracker is None:  # written to files first, not held in memory through the build
            self._forget_downloads()
            self.downloads = Path(tempfile.mkdtemp(prefix="pra-data-"))
            extra = [KeyedFile.generated(config, path, abs_src_path=str(source))
                     for path, source in self.plan.data.write_files(self.downloads).items()]
        else:
            extra = [KeyedFile.generated(config, path, content=content)
                     for path, content in self.plan.data.files().items()]
        for file in extra:
            if files.get_file_from_path(file.src_uri) is None:
                self._track(file)
                files.append(file)
        _give_back_freed_memory()  # what writing the downloads took
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Optional sections (the explorer, downloads) are linked only once their pages exist.
        page_urls = {file.url for file in files.documentation_pages()}
        self.sections = frozenset(key for key, url in urls.INDEX_URLS.items() if url in page_urls)
        if self.tracker is not None:
            self.built = [file.dest_uri for file in files if file.dest_uri.rsplit("/", 1)[-1] == "index.html"]
            self.output_context = output_context(config, nav)
            self.keys = self._page_keys(config)
            # A hand-written page that takes its title from its first heading must be read on
            # every build: the navigation of every page needs the title (mkdocs.yml names them).
            self.untitled = {page.file.src_uri for page in nav.pages if page.title is None}
            self.tracker.start(self._file_key)
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # Every page is read now, none written: which anchors of each page do pages link to?
        self.linked_anchors = {}
        for file in files.documentation_pages():
            for target, links in ((file.page.links_to_anchors or {}) if file.page else {}).items():
                self.linked_anchors.setdefault(target.src_uri, set()).update(links)
        # Dirty serve builds: MkDocs makes a new Jinja environment for every build; keep the
        # compiled theme templates between them (Jinja's own bytecode cache, which checks
        # each template's source, so an edited template is compiled anew).
        if self.tracker is not None:
            env.bytecode_cache = self.bytecode
        return env

    @event_priority(100)  # first: nothing of this page is needed once it is written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if isinstance(page, ArchivePage):
            page.empty()
            self.pages_written += 1
            # What rendering took stays with the process: give it back after a long page (a
            # 3.7 MB reviews index left 37 MB) and every 250 pages (~3 ms each time).
            if len(output) > 500_000 or self.pages_written % 250 == 0:
                _give_back_freed_memory()
        return compact(output)  # Material's indentation around the article (site/chrome.py)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.merged.get(page.file.src_uri)
        if not isinstance(page, ArchivePage):  # hand-written pages say it too
            html = self.banner(generated=planned is not None) + html
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

    @event_priority(-100)  # last: the site is published once nothing more is written to it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Search last, over the written site: pages plus one record per finding (issue 4).
        assert self.plan is not None
        site = Path(config.site_dir)
        if self.tracker is not None and self.index is not None:
            log.info(f"peer-review-archive: {self.tracker.written} of {len(self.tracker.decided)} files written")
            self.tracker.finish(site)
            self._serve_search(config)
            if self.collector is not None:
                self.collector.after_build()
            return
        self._forget_downloads()  # MkDocs has copied them
        job, self.search_job = self.search_job, None
        try:
            if job is None:
                report = index_site(site, self.plan.graph)
            else:
                if self.command == "build":
                    self._release()
                report = job.finish(site)
        except (PagefindError, OSError, ValueError) as error:  # ValueError: a garbled answer
            raise PluginError(f"peer-review-archive: the search indexer (pagefind) failed: {error}; "
                              "the site folder is as it was") from None
        log.info(f"Search index: {report.pages} pages and {report.findings} findings "
                 f"in {report.seconds:.1f} s, {report.after_pages:.1f} s of it after the pages")
        self._publish(config)

    def _release(self) -> None:
        """`mkdocs build`, once the pages are written: give back the archive, the graph and the
        rendered text before waiting for the search index, whose last Pagefind processes are
        the build's peak. Serve keeps them: they are its last good archive."""
        self.plan = self.last_good = None
        self.merged = {}
        forget_rendered_text()
        gc.unfreeze()  # frozen in on_config; what is still reachable stays, the rest is freed
        gc.collect()
        _give_back_freed_memory()

    def _publish(self, config: MkDocsConfig) -> None:
        """Swap the finished site into place; not when --strict is about to fail the build."""
        staged, self.staged = self.staged, None
        if staged is None:
            return
        if config.strict and self.warnings is not None and self.warnings.count:
            staged.discard()
            log.error("peer-review-archive: warnings under --strict: the site folder is as it was")
            return
        staged.publish()
        config.site_dir = str(staged.site)  # for what runs after the build (e.g. gh-deploy)

    def on_build_error(self, *, error: Exception) -> None:
        if self.staged is not None:  # nothing of this build is published
            self.staged.discard()
            self.staged = None
        self._forget_downloads()
        if self.tracker is not None:
            self.tracker.forget()
        if self.collector is not None:
            self.collector.after_build()
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.records_dir))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server

    def _forget_downloads(self) -> None:
        if self.downloads is not None:
            shutil.rmtree(self.downloads, ignore_errors=True)
            self.downloads = None

    def body(self, planned: PlannedPage) -> Body:
        assert self.plan is not None
        if self.cold:
            return problems_body(self.problems)
        return self.plan.render(planned, self.sections)

    def _track(self, file: KeyedFile) -> None:
        file.tracker = self.tracker

    def _keyed(self, file: File) -> File:
        if isinstance(file, KeyedFile):
            return file
        keyed = KeyedFile(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls,
                          dest_uri=file.dest_uri, inclusion=file.inclusion)
        self._track(keyed)
        return keyed

    def _serve_search(self, config: MkDocsConfig) -> None:
        """Dirty serve: ask for a search index of this site, unless one is made or being made."""
        index, plan = self.index, self.plan
        assert index is not None and plan is not None
        if index.errors:
            raise PluginError(f"peer-review-archive: search index: {index.errors.pop()}")
        if self.stale:  # the last good archive's pages: keep the latest index with them
            return
        custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        key = digest(self.records_key, self.output_context, folder_fingerprint(Path(config.docs_dir)),
                     folder_fingerprint(custom_dir), folder_fingerprint(TEMPLATES))
        graph = plan.graph
        covered = {"/" + page.url for page in plan.pages if page.subject is not None}
        index.request(key, Path(config.site_dir), covered, self.built, lambda folder: index_site(folder, graph))

    def _page_keys(self, config: MkDocsConfig) -> PageKeys | None:
        """Body keys for this build's archive; None (write everything) when it is stale."""
        if self.stale or self.records_cache is None or self.plan is None:
            return None
        on_disk = self.records_cache.digests()
        archive = self.plan.archive
        # A source page prints its document's text: each text's digest is keyed like a record file's.
        texts = {text_key(doc_id): digest(lines) for doc_id, lines in archive.source_lines.items()}
        self.records_key = digest(sorted((str(path), value) for path, value in on_disk.items()), sorted(texts.items()),
                                  config.site_url, config.site_name)
        files = {name: on_disk.get(self.records_dir / relative, b"") for name, relative in archive.files.items()}
        files.update(texts)
        context = digest(config.site_url, config.site_name, sorted(self.sections), folder_fingerprint(TEMPLATES))
        downloads = digest(sorted((path, len(content)) for path, content in self.plan.data.files().items()))
        current = {id(entry.finding) for entry in self.plan.graph.findings.values()}
        self.words = {k: v for k, v in self.words.items() if k in current}  # an edited record's old findings go
        return PageKeys(self.plan.graph, files, context, downloads=downloads, outlines=self._outlines(files),
                        words=self.words, previous=self.keys)

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

    def _file_key(self, file: File) -> bytes | None:
        """What a file's output is made from, for this build (None: write it)."""
        if self.keys is None:
            return None
        page = file.page
        if isinstance(page, ArchivePage):
            return digest(self.output_context, self.keys.key(page.planned), page.title, page.url,
                          page.canonical_url, page.edit_url, self.plan.data.feed_links(page.url) if self.plan else None)
        if file.is_documentation_page():  # hand-written: its source, the site around it, any body put in it
            if file.src_uri in self.untitled or not file.abs_src_path:
                return None
            planned = self.merged.get(file.src_uri)
            return digest(self.output_context, Path(file.abs_src_path).read_bytes(), file.url,
                          self.keys.key(planned) if planned else None,
                          self.plan.data.feed_links(file.url) if self.plan else None)
        return digest(file.content_bytes)

    def _generated_file(self, planned: PlannedPage, config: MkDocsConfig, docs_dir: Path,
                        kept: KeyedFile | None) -> KeyedFile:
        """A generated page's file and page. Serve keeps last build's (`kept`, made from the same
        configuration) while the plan kept the page (`SitePlan._kept`): making 1,600 of each
        again was a tenth of a rebuild at national scale."""
        if kept is not None and isinstance(page := kept.page, ArchivePage) and page.planned is planned:
            page.again()
            return kept
        inclusion = InclusionLevel.INCLUDED if planned.in_nav else InclusionLevel.NOT_IN_NAV
        file = KeyedFile.generated(config, planned.src_uri, content="", inclusion=inclusion)
        file.edit_uri = self._edit_path(planned, docs_dir)
        self._track(file)
        ArchivePage(planned, file, config, self)
        return file

    def _edit_path(self, planned: PlannedPage, docs_dir: Path) -> str | None:
        """The record's path relative to docs_dir: MkDocs joins it to repo_url + edit_uri."""
        if planned.record is None:
            return None
        return _relative(str(self.records_dir / planned.record), str(docs_dir))


@functools.lru_cache(maxsize=65536)  # serve asks again for every page on every rebuild
def _relative(path: str, start: str) -> str:
    return Path(os.path.relpath(path, start)).as_posix()
