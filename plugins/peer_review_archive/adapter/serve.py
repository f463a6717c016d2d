"""Fast serve rebuilds through MkDocs' own incremental protocol: `pra serve`.

`pra serve` is `mkdocs serve --dirty` (MkDocs' `LiveReloadServer`, its file watcher and
its `build(config, dirty=True)`), plus the records folder watched. In a dirty build MkDocs
neither cleans the site folder nor reads, renders or writes a page whose `File` says it is
not modified. Every page and download of ours is a `KeyedFile`: it answers
`is_modified()` from a key, a digest of everything its output is made from (the records
its page declares it shows, `PlannedPage.shows`, the config, the navigation and the theme),
compared with the key of what this session last wrote there. So an edit to one finding
renders the handful of pages that show it, and MkDocs writes nothing else.

Plain `mkdocs serve` (a clean build on every change) and `mkdocs build` use none of this:
their files are always modified, as MkDocs' own are.

Besides the pages, serve keeps:
- each record file's parse and schema check, by the file's bytes (`loading.RecordCache`);
- the search index, made in a background thread from the records and the few pages no
  record describes, and linked into the site when it is ready (search shows the previous
  index until then; nothing rebuilds for it).
Keys are digests of inputs, never timestamps, so a rebuild gives the site a clean build
gives (tests/test_generator.py checks it after every kind of edit).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.structure.files import File

from ..graph.indexes import Graph
from ..records.models import ContextDocument, Review
from ..search.indexer import BUNDLE, html_pages
from ..site import dependencies
from ..site.dependencies import Shows
from ..site.plan import PlannedPage

log = logging.getLogger("mkdocs.plugins.peer_review_archive")


def outline(document: Review | ContextDocument) -> bytes:
    """A digest of a document's `dependencies.outline`."""
    return digest(dependencies.outline(document))


def digest(*parts: object) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\x00")
    return h.digest()


def folder_fingerprint(folder: Path | None) -> bytes:
    """Names, sizes and modification times of every file under `folder` (templates, theme)."""
    if folder is None or not folder.is_dir():
        return b""
    stats = [(p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
             for p in sorted(folder.rglob("*")) if p.is_file()]
    return digest(stats)


def output_context(config: Any, nav: Any) -> bytes:
    """What Material's template reads besides the page itself: config, nav titles, theme."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    config_bytes = config_file.read_bytes() if config_file and config_file.is_file() else b""
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None

    def items(entries: Iterable[Any]) -> list[object]:
        return [(getattr(e, "title", None), getattr(e, "url", None), items(getattr(e, "children", None) or ()))
                for e in entries]

    return digest(config_bytes, config.site_url, config.site_name, items(nav.items), folder_fingerprint(custom_dir))


def text_key(document_id: str) -> str:
    """A source document's text among `PageKeys`' file digests (no document id or registry
    name holds a slash)."""
    return f"sources/{document_id}.txt"


class PageKeys:
    """For one archive: the key of each page's body, made from what the page declares it
    shows (`PlannedPage.shows`, checked by tests/test_dependencies.py) and nothing else."""

    def __init__(self, graph: Graph, file_digests: dict[str, bytes], context: bytes,
                 downloads: bytes = b"", outlines: dict[str, bytes] | None = None,
                 words: dict[int, tuple[object, bytes]] | None = None, previous: PageKeys | None = None):
        """`file_digests` maps each document id and registry name to its file's digest, and
        each source text's `text_key` to its text's;
        `context` is the digest of everything else every body depends on, `downloads` of the
        downloads the data page lists, and `outlines` each document's `outline` (by default
        its file digest: no reuse); `words` keeps each finding's words' digest between
        rebuilds (by the finding object, which stays the same while its record file does);
        `previous`, the last build's keys, whose key of a page is kept when the plan kept the
        page (`SitePlan._kept`) and no file it declares has changed."""
        archive = graph.archive
        self.graph = graph
        self.downloads = downloads
        documents = [*archive.reviews, *archive.context_documents]
        self.digests = file_digests
        self.outlines = outlines if outlines is not None else file_digests
        registries = [(name, file_digests.get(name)) for name in ("authorities", "themes", "programmes", "sources")]
        self.shared = digest(context, registries)
        self.every_outline = digest(sorted((d, self.outlines.get(d)) for d in documents))
        self.full = _Tagged(self.digests.get)
        self.outline = _Tagged(self.outlines.get)
        self.texts = _Tagged(lambda d: file_digests.get(text_key(d)))
        kept = words if words is not None else {}

        def words_digest(key: tuple[str, str]) -> bytes:
            finding = graph.findings[key].finding
            found = kept.get(id(finding))
            if found is None or found[0] is not finding:
                found = kept[id(finding)] = (finding, digest(finding.text.encode()))
            return found[1]

        self.words = _Tagged(words_digest)
        self.made: dict[str, tuple[PlannedPage, bytes]] = {}  # url -> the page and its key
        # Of the last build's keys, only what is needed to keep them (not the keys before those).
        self.kept: dict[str, tuple[PlannedPage, bytes]] = {}
        self.kept_downloads = b""
        self.changed: set[str] = set()
        if previous is not None and (previous.shared, previous.every_outline) == (self.shared, self.every_outline):
            self.kept, self.kept_downloads = previous.made, previous.downloads
            # (an outline changes only with its file, so the files' digests say it all)
            self.changed = {name for name in file_digests.keys() | previous.digests.keys()
                            if file_digests.get(name) != previous.digests.get(name)}

    def key(self, page: PlannedPage) -> bytes:
        kept = self.kept.get(page.url)
        if kept is not None and kept[0] is page and self._unchanged(page.shows):
            self.made[page.url] = kept
            return kept[1]
        made = self._key(page)
        self.made[page.url] = (page, made)
        return made

    def _unchanged(self, shows: Shows) -> bool:
        """Whether nothing a kept declaration names has changed since the last build."""
        changed = self.changed
        return (shows.documents.isdisjoint(changed) and not any(text_key(t) in changed for t in shows.texts)
                and (not shows.downloads or self.downloads == self.kept_downloads))

    def _key(self, page: PlannedPage) -> bytes:
        shows = page.shows
        return digest(
            self.shared, (page.url, page.kind, page.subject, page.title),
            b"".join(map(self.full.__getitem__, sorted(shows.full))),
            b"".join(map(self.outline.__getitem__, sorted(shows.outline))),
            self.every_outline if shows.every_outline else None,
            b"".join(map(self.words.__getitem__, sorted(shows.findings))),
            self.downloads if shows.downloads else None,
            b"".join(map(self.texts.__getitem__, sorted(shows.texts))),
            shows.derived,
        )


_NONE = bytes(16)  # in a key, for a digest of nothing (no such file)


class _Tagged(dict[Any, bytes]):
    """An id (a document's, or a finding's key) followed by its 16-byte digest, made when first
    asked, for joining into a page's key as one run of bytes (ids hold no NUL)."""

    def __init__(self, find: Callable[[Any], bytes | None]) -> None:
        super().__init__()
        self.find = find

    def __missing__(self, name: Any) -> bytes:
        tag = "\x00".join(name) if isinstance(name, tuple) else name
        found = self[name] = f"{tag}\x00".encode() + (self.find(name) or _NONE)
        return found


class TemplateBytecode(BytecodeCache):
    """Compiled templates in memory, for Jinja's `Environment.bytecode_cache`."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class KeyedFile(File):
    """A file that answers MkDocs' `is_modified()` from its key when serve tracks it."""

    tracker: Tracker | None = None

    def is_modified(self) -> bool:
        if self.tracker is None:
            return super().is_modified()
        return self.tracker.modified(self)


class Tracker:
    """What this serve session has written into the site folder, each file under its key.

    `keyer(file)` gives a file's key for this build (None: always write it). A file is
    modified when its key differs from the one it was last written under, or it is gone.
    Keys are only trusted after a build succeeds (`finish`); a failed build forgets them.
    """

    def __init__(self) -> None:
        self.on_disk: dict[str, bytes | None] = {}  # destination -> key it was written under
        self.keyer: Callable[[File], bytes | None] | None = None
        self.decided: dict[str, bool] = {}
        self.pending: dict[str, bytes | None] = {}
        self.last = (0, 0)  # of the last build that finished: files written, files in all

    def start(self, keyer: Callable[[File], bytes | None]) -> None:
        self.keyer, self.decided, self.pending = keyer, {}, {}

    def modified(self, file: File) -> bool:
        dest = file.dest_uri
        found = self.decided.get(dest)
        if found is None:
            key = self.keyer(file) if self.keyer is not None else None
            found = key is None or dest not in self.on_disk or self.on_disk[dest] != key \
                or not os.path.isfile(file.abs_dest_path)
            self.decided[dest] = found
            self.pending[dest] = key
        return found

    @property
    def written(self) -> int:
        """How many of this build's files were (to be) written."""
        return sum(self.decided.values())

    def finish(self, site_dir: Path) -> None:
        """The build succeeded: remember what is on disk, and delete the files it no longer makes."""
        for dest in set(self.on_disk) - set(self.pending):
            (site_dir / dest).unlink(missing_ok=True)
            _remove_empty_parents(site_dir / dest, site_dir)
        self.last = (self.written, len(self.decided))
        self.on_disk = self.pending
        self.pending, self.decided = {}, {}

    def forget(self) -> None:
        """A failed build: nothing on disk is known to be current."""
        self.on_disk = dict.fromkeys(self.on_disk)
        self.pending, self.decided = {}, {}


def _remove_empty_parents(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


class IdleCollector:
    """Python's full garbage collection, run while serve waits for the next edit.

    A serve session holds about half a million objects (the archive, the matches), so a full
    collection takes 0.2-0.3 s; left to itself, Python starts one whenever the objects made
    since the last one reach a quarter of those it holds, which happened inside one rebuild in
    four or five. So serve collects when it is idle: a moment after each rebuild has written
    the site (on a timer thread, once the browser has reloaded), and again as the last step of
    the background search index, which makes as many objects as a rebuild. A rebuild cancels
    a pending collection and none starts while it runs. The collector's settings are not
    touched."""

    DELAY = 0.5  # seconds after a rebuild: the browser has reloaded the page by then

    def __init__(self) -> None:
        self.timer: threading.Timer | None = None
        self.building = False
        self.runs, self.seconds = 0, 0.0  # collections made, and their CPU seconds (the benchmark prints them)

    def busy(self) -> None:
        """A rebuild starts: no collection beside it."""
        self.building = True
        self.cancel()

    def after_build(self) -> None:
        """The rebuild is over (written, or failed): collect in a moment."""
        self.building = False
        self.cancel()
        self.timer = threading.Timer(self.DELAY, self.now)
        self.timer.daemon = True
        self.timer.start()

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def now(self) -> None:
        """Collect in this thread, unless a rebuild runs."""
        if self.building:
            return
        started = time.thread_time()
        gc.collect()
        self.runs += 1
        self.seconds += time.thread_time() - started


class BackgroundIndex:
    """Serve: the search index, made off the rebuild's critical path and linked into the site.

    Pagefind alone takes longer at national scale than a whole rebuild may, so each request
    copies the few built pages the index reads as HTML (home, indexes, hand-written pages;
    record pages are described from the records) into a snapshot, and a thread indexes it
    and then points `site/pagefind` at the result. A newer request replaces one not started.
    """

    def __init__(self, when_done: Callable[[], None] | None = None) -> None:
        """`when_done`: called by the worker after each index it links (serve collects then)."""
        self.when_done = when_done
        self.folder = Path(tempfile.mkdtemp(prefix="pra-serve-index-"))
        self.lock = threading.Lock()
        self.made: bytes | None = None  # the key of the index linked into the site
        self.asked: bytes | None = None
        self.wanted: Callable[[], None] | None = None
        self.worker: threading.Thread | None = None
        self.jobs = 0
        self.errors: list[BaseException] = []

    @property
    def current(self) -> bool:
        with self.lock:
            return self.made is not None and self.made == self.asked

    def request(self, key: bytes, site_dir: Path, covered: set[str], built: Iterable[str],
                make: Callable[[Path], object]) -> None:
        """Index the site as just written (`built`: its pages' paths), unless an index of `key`
        is made or being made."""
        with self.lock:
            if key == self.asked:
                return
            self.asked = key
        self.jobs += 1
        snapshot = self.folder / f"index-{self.jobs}"
        for path in html_pages(site_dir, covered, built).values():
            target = snapshot / path.relative_to(site_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        snapshot.mkdir(parents=True, exist_ok=True)

        def job() -> None:
            try:
                make(snapshot)
            except BaseException:
                shutil.rmtree(snapshot, ignore_errors=True)
                raise
            _link(site_dir / BUNDLE, snapshot / BUNDLE)
            with self.lock:
                old, self.made = self.made, key
            for stale in self.folder.iterdir():  # earlier snapshots: no longer linked
                if stale != snapshot:
                    shutil.rmtree(stale, ignore_errors=True)
            del old
            if self.when_done is not None:
                self.when_done()

        with self.lock:
            self.wanted = job
            if self.worker is not None and self.worker.is_alive():
                return
            self.worker = threading.Thread(target=self._work, name="pra-serve-index", daemon=True)
            self.worker.start()

    def _work(self) -> None:
        while True:
            with self.lock:
                job, self.wanted = self.wanted, None
            if job is None:
                return
            try:
                job()
            except BaseException as error:  # noqa: BLE001 - reported by the next build
                with self.lock:
                    self.asked = None
                self.errors.append(error)

    def wait(self) -> None:
        """Until the background work is done (tests and the benchmark)."""
        while True:
            with self.lock:
                worker = self.worker
            if worker is None or not worker.is_alive():
                return
            worker.join()

    def close(self) -> None:
        self.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _link(link: Path, target: Path) -> None:
    """Point `link` at `target`, replacing what is there in one rename."""
    fresh = link.with_name(f".{link.name}-{os.getpid()}-{threading.get_ident()}")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(target, target_is_directory=True)
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    os.replace(fresh, link)


class _QuietDirty(logging.Filter):
    """MkDocs warns on every dirty build that navigation may be stale; ours is keyed, so say it once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


def serve(config_file: str | None, dev_addr: str | None, open_in_browser: bool = False) -> None:
    """`pra serve`: MkDocs' development server with dirty (incremental) rebuilds."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    logging.getLogger("mkdocs.commands.build").addFilter(_QuietDirty())
    log.info("pra serve: each rebuild writes only the pages and files an edit changes")
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    mkdocs_serve(config_file=config_file, livereload=True, build_type="dirty", watch_theme=True,
                 open_in_browser=open_in_browser, **options)
