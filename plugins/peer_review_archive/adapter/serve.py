"""Work reused across `mkdocs serve` rebuilds, so that editing one record rebuilds quickly.

`mkdocs serve` rebuilds the whole site on every change: it reloads the config and builds
again with the same plugin instance (MkDocs keeps plugins that define `on_startup`) into
a cleaned site folder; its --dirty mode skips nothing for generated pages. So the plugin
keeps, between rebuilds:

- each record file's parse and schema check, by the file's bytes (`loader.RecordCache`);
- each generated page's body, keyed by the bytes of every record file the page shows;
- each record page's finished HTML (Material's template around the body), keyed by the
  body's key and by everything else that template reads (config, nav, theme, URLs);
- the files it wrote (`SiteFolder`): a page whose key is unchanged is not written again.

Keys are digests of inputs, never timestamps: nothing is reused unless what it was made
from is byte-for-byte the same, so a rebuild gives the same site as a clean build (which
tests/test_generator.py checks). `mkdocs build` uses none of this.

Which records a page shows is declared once, by the page plan (`site/dependencies.py`):
documents in full, in outline (without their findings' words) and single findings' words.
A page's key is made from that declaration, so editing what a finding says leaves index
and authority pages as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
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
from markupsafe import Markup

from ..graph.indexes import Graph
from ..records.models import ContextDocument, Review
from ..site.plan import Body, PlannedPage

CACHED_TEMPLATE = "pra-cached-page.html"
CACHED_TEMPLATE_SOURCE = "{{ page.pra_output }}"


_WITHOUT_TEXT = {"__all__": {"text"}}
_OUTLINE = {"findings": _WITHOUT_TEXT, "follow_ups": {"__all__": {"findings": _WITHOUT_TEXT}},
            "responses": {"__all__": {"findings": _WITHOUT_TEXT}}}


def outline(document: Review | ContextDocument) -> bytes:
    """A digest of a document without its findings' text: all that index pages show of it."""
    fields = _OUTLINE if isinstance(document, Review) else {"findings": _WITHOUT_TEXT}
    return digest(document.model_dump(mode="json", exclude=fields))


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


class PageKeys:
    """For one archive: the key of each page's body, made from what the page declares it
    shows (`PlannedPage.shows`, checked by tests/test_dependencies.py) and nothing else."""

    def __init__(self, graph: Graph, file_digests: dict[str, bytes], context: bytes,
                 downloads: bytes = b"", outlines: dict[str, bytes] | None = None):
        """`file_digests` maps each document id and registry name to its file's digest;
        `context` is the digest of everything else every body depends on, `downloads` of the
        downloads the data page lists, and `outlines` each document's `outline` (by default
        its file digest: no reuse)."""
        archive = graph.archive
        self.graph = graph
        self.downloads = downloads
        self.documents: dict[str, Review | ContextDocument] = {**archive.reviews, **archive.context_documents}
        self.digests = file_digests
        self.outlines = outlines if outlines is not None else file_digests
        registries = [(name, file_digests.get(name)) for name in ("authorities", "themes", "programmes")]
        self.shared = digest(context, registries)
        self.every_outline = digest(sorted((d, self.outlines.get(d)) for d in self.documents))
        self._keys: dict[str, bytes] = {}

    def fragment_key(self, page_url: str, name: str, document_id: str) -> bytes:
        """A fragment shows one document on one page (its links are relative to the page)."""
        return digest(self.shared, page_url, name, document_id, self.digests.get(document_id))

    def key(self, page: PlannedPage) -> bytes:
        """Asked up to three times per page and build (output key, body, kept output): made once."""
        made = self._keys.get(page.url)
        if made is None:
            made = self._keys[page.url] = self._key(page)
        return made

    def _key(self, page: PlannedPage) -> bytes:
        shows, findings = page.shows, self.graph.findings
        return digest(
            self.shared, (page.url, page.kind, page.subject, page.title),
            sorted((d, self.digests.get(d)) for d in shows.full),
            sorted((d, self.outlines.get(d)) for d in shows.outline),
            self.every_outline if shows.every_outline else None,
            [(key, findings[key].finding.text) for key in sorted(shows.findings)],
            self.downloads if shows.downloads else None,
        )


class TemplateBytecode(BytecodeCache):
    """Compiled theme templates kept in memory: MkDocs makes a new Jinja environment for
    every build, which would compile Material's templates again on each serve rebuild.
    Jinja checks each template's source checksum, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class PageCache:
    """Bodies and finished pages kept between serve rebuilds, each under its key."""

    def __init__(self) -> None:
        self.bodies: dict[str, tuple[bytes, Body]] = {}
        self.outputs: dict[str, tuple[bytes, Markup]] = {}  # Markup once: wrapping copies the string
        self.fragments: dict[tuple[str, str, str], tuple[bytes, Markup]] = {}
        self.bytecode = TemplateBytecode()
        self.keys: PageKeys | None = None
        self.reused = 0
        self.rendered = 0

    def start(self, keys: PageKeys | None) -> None:
        """A new build: keys for this archive (None: reuse nothing, e.g. stale records)."""
        self.keys = keys
        self.reused = self.rendered = 0
        if keys is None:
            self.bodies.clear()
            self.outputs.clear()
            self.fragments.clear()

    def body(self, page: PlannedPage, render: Callable[[], Body]) -> Body:
        if self.keys is None:
            return render()
        key = self.keys.key(page)
        kept = self.bodies.get(page.url)
        if kept is not None and kept[0] == key:
            self.reused += 1
            return kept[1]
        body = render()
        self.rendered += 1
        self.bodies[page.url] = (key, body)
        return body

    def fragment(self, page_url: str, name: str, document_id: str, render: Callable[[], Markup]) -> Markup:
        """`pages.FragmentStore`: a fragment kept under its document's digest."""
        if self.keys is None:
            return render()
        key = self.keys.fragment_key(page_url, name, document_id)
        kept = self.fragments.get((page_url, name, document_id))
        if kept is not None and kept[0] == key:
            return kept[1]
        html = render()
        self.fragments[(page_url, name, document_id)] = (key, html)
        return html

    def body_key(self, page: PlannedPage) -> bytes | None:
        """The key of this build's body of `page` (known before the body is rendered)."""
        return self.keys.key(page) if self.keys is not None else None

    def output(self, url: str, key: bytes) -> Markup | None:
        kept = self.outputs.get(url)
        return kept[1] if kept is not None and kept[0] == key else None

    def keep_output(self, url: str, key: bytes, output: str) -> None:
        self.outputs[url] = (key, Markup(output))

    def forget(self, urls: Iterable[str]) -> None:
        """Drop pages that no longer exist, so the cache does not grow with every rename."""
        keep = set(urls)
        for url in set(self.bodies) - keep:
            del self.bodies[url]
        for url in set(self.outputs) - keep:
            del self.outputs[url]
        documents = self.keys.documents if self.keys is not None else {}
        for place in [place for place in self.fragments if place[0] not in keep or place[2] not in documents]:
            del self.fragments[place]


def output_context(config: Any, nav: Any) -> bytes:
    """What Material's template reads besides the page itself: config, nav titles, theme."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    config_bytes = config_file.read_bytes() if config_file and config_file.is_file() else b""
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None

    def items(entries: Iterable[Any]) -> list[object]:
        return [(getattr(e, "title", None), getattr(e, "url", None), items(getattr(e, "children", None) or ()))
                for e in entries]

    return digest(config_bytes, config.site_url, config.site_name, items(nav.items), folder_fingerprint(custom_dir))


class SiteFolder:
    """Serve: the files this plugin makes live in a hidden folder of the site, linked from
    their sections, so that a rebuild writes only the ones that changed.

    MkDocs empties the site folder before each build and writes every file again: at
    national scale 1,200 folders and pages, over a second on an ordinary disk, for an edit
    that changes a handful. It leaves hidden entries alone, so each file of ours in a
    top-level folder that holds nothing else (`reviews/`, `themes/`...) is written under
    `site/.pra-site/` instead (or not at all, when the same bytes are already there), and
    the folder itself is a link into it, made again after every build.
    """

    HIDDEN = ".pra-site"

    def __init__(self) -> None:
        self.site: Path | None = None
        self.sections: frozenset[str] = frozenset()
        self.on_disk: dict[str, bytes | None] = {}  # destination -> key of what is there (None: unknown)
        self.links = False

    def plan(self, site_dir: Path, ours: Iterable[str], theirs: Iterable[str]) -> None:
        """A new build, after MkDocs' clean: `ours` and `theirs` are destination paths."""
        if self.site != site_dir:
            self.site, self.sections, self.on_disk = site_dir, frozenset(), {}
            self.links = _can_link(site_dir)
        if not self.links:  # e.g. Windows without the right to make links: MkDocs writes all
            return
        taken = {_top(dest) for dest in theirs}
        sections = frozenset(_top(dest) for dest in ours if "/" in dest) - taken
        for section in self.sections - sections:  # no longer ours alone: MkDocs writes it as usual
            link = site_dir / section
            if link.is_symlink():
                link.unlink()
            shutil.rmtree(site_dir / self.HIDDEN / section, ignore_errors=True)
            self.on_disk = {dest: key for dest, key in self.on_disk.items() if _top(dest) != section}
        self.sections = sections

    def destination(self, dest: str, key: bytes | None) -> str | None:
        """Where MkDocs should write one of our files: None for its own place, `os.devnull`
        when what `key` names is already there."""
        if self.site is None or _top(dest) not in self.sections:
            return None
        path = self.site / self.HIDDEN / dest
        if key is not None and self.on_disk.get(dest) == key and path.is_file():
            return os.devnull
        if path.is_file():  # a new file, not the old one rewritten: search snapshots link the old
            path.unlink()
        self.on_disk[dest] = key
        return str(path)

    def finish(self, current: Iterable[str]) -> None:
        """After the build: delete files no longer made, and link each section."""
        if self.site is None:
            return
        hidden = self.site / self.HIDDEN
        for dest in set(self.on_disk) - set(current):
            del self.on_disk[dest]
            (hidden / dest).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # a page's folder, once its page is gone
                (hidden / dest).parent.rmdir()
        for section in self.sections:
            link = self.site / section
            if not link.is_symlink():
                (hidden / section).mkdir(parents=True, exist_ok=True)
                link.symlink_to(Path(self.HIDDEN) / section, target_is_directory=True)

    def forget(self) -> None:
        """A failed build: nothing on disk is known to be current."""
        self.on_disk = dict.fromkeys(self.on_disk)


def _top(dest: str) -> str:
    return dest.split("/", 1)[0]


def _can_link(folder: Path) -> bool:
    probe = folder / f"{SiteFolder.HIDDEN}-probe"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.unlink(missing_ok=True)
        probe.symlink_to(SiteFolder.HIDDEN, target_is_directory=True)
    except OSError:
        return False
    probe.unlink()
    return True


class Derived:
    """The downloads and the search index under `mkdocs serve`, made off the critical path.

    Both cover the whole archive, and Pagefind alone takes longer at national scale than
    the whole rebuild may. So a serve rebuild uses the latest ones made (current when the
    records are unchanged, otherwise one edit behind), and a background thread makes new
    ones: first the downloads, then, once a rebuild has written pages that agree with
    them, the search index. Each time one is ready the thread touches a file that serve
    watches, and serve rebuilds again (reusing every page), until all is current and the
    site is the one `mkdocs build` writes. `mkdocs build` never uses this class.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pra-serve-"))
        self.signal = self.folder / "signal"
        self.signal.mkdir()
        self.snapshots: Path | None = None  # beside the site folder, so that hard links work
        self.lock = threading.Lock()
        self.files: tuple[bytes, Any] | None = None  # key, downloads and feeds
        self.index: tuple[bytes, Path] | None = None  # key, a folder holding pagefind/
        self.wanted: Callable[[], None] | None = None
        self.worker: threading.Thread | None = None
        self.jobs = 0
        self.errors: list[BaseException] = []

    def data_files(self, key: bytes, make: Callable[[], Any]) -> tuple[Any, bool]:
        """The latest downloads and feeds, and whether they are current (made only if none)."""
        with self.lock:
            kept = self.files
        if kept is None:
            files = make()
            with self.lock:
                self.files = (key, files)
            return files, True
        return kept[1], kept[0] == key

    def place_index(self, key: bytes, site_dir: Path, bundle: str) -> bool:
        """Link the latest search index into the site; True if it is current."""
        with self.lock:
            kept = self.index
        if kept is None:
            return False
        link = site_dir / bundle
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.exists():
            shutil.rmtree(link)
        link.symlink_to(kept[1] / bundle, target_is_directory=True)
        return kept[0] == key

    def make_files(self, key: bytes, make: Callable[[], Any]) -> None:
        def job() -> None:
            files = make()
            with self.lock:
                self.files = (key, files)
        self._start(job)

    def make_index(self, key: bytes, site_dir: Path, bundle: str, make: Callable[[Path], object]) -> None:
        """Index a snapshot of the pages just written (hard links: the next build may clean)."""
        self.jobs += 1
        if self.snapshots is None:
            self.snapshots = Path(tempfile.mkdtemp(prefix="pra-serve-index-", dir=site_dir.parent))
        snapshot = self.snapshots / f"index-{self.jobs}"
        # The site as served: through SiteFolder's links, without its hidden folder.
        shutil.copytree(site_dir, snapshot, copy_function=_link_or_copy,
                        ignore=lambda folder, names: [bundle, SiteFolder.HIDDEN] if Path(folder) == site_dir else [])

        def job() -> None:
            try:
                make(snapshot)
            except BaseException:
                shutil.rmtree(snapshot, ignore_errors=True)
                raise
            with self.lock:
                old, self.index = self.index, (key, snapshot)
            if old is not None:
                shutil.rmtree(old[1], ignore_errors=True)
        self._start(job)

    def _start(self, job: Callable[[], None]) -> None:
        """Run `job` after the current one; a newer request replaces one not yet started."""
        with self.lock:
            self.wanted = job
            if self.worker is not None and self.worker.is_alive():
                return
            self.worker = threading.Thread(target=self._work, name="pra-serve-derived", daemon=True)
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
                self.errors.append(error)
            (self.signal / "ready").write_text(str(time.time_ns()))  # serve rebuilds

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
        if self.snapshots is not None:
            shutil.rmtree(self.snapshots, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)
