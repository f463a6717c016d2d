"""Write the site's search index with Pagefind: the built pages, and one record per finding.

No MkDocs here: it takes a folder and records. The findings and the record pages' records
need only the archive, so a child process indexes them while the pages are written, and
adds the built pages no record describes once they are (`SiteIndex`). Layout:

    site/pagefind/pagefind.js      Pagefind's browser API, one copy
    site/pagefind/pages/<n>/       the site's pages, `PAGE_SHARD` page records a bundle; the
                                   last also holds the pages indexed from their HTML
    site/pagefind/findings/<n>/    finding records, newest first, one shard per folder; every
                                   search starts on findings/0/ (which keeps the WASM)
    site/pagefind/archive-search.json   which bundles exist, for the browser

Bundles are siblings, never nested: Pagefind skips merging an index whose path is a
prefix of the first one's.

We talk to the `pagefind --service` binary ourselves rather than through the `pagefind`
package's asyncio wrapper: that wrapper waits 100 ms between responses, so 15,000 records
took minutes; pipelining the same protocol takes seconds. The binary comes from
`pagefind-bin`, found through the `pagefind` package (or `PAGEFIND_BINARY_PATH`).
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pagefind.service import get_executable

from ..records import urls
from .record import SHARD_SIZES, SearchRecord, shard
from .stable import stabilise

if TYPE_CHECKING:  # the child process imports neither the graph nor what it needs (see record.py)
    from ..graph.indexes import Graph

BUNDLE = "pagefind"
PAGES = "pages"
FINDINGS = "findings"
MANIFEST = "archive-search.json"
LANGUAGE = "en"
# Pages list findings too, but each finding is its own record with a permalink: index the
# page around them (titles, summaries, context), not each finding a second time.
EXCLUDE_SELECTORS = (".pra-finding", "[data-pagefind-ignore]", ".md-sidebar", ".md-header",
                     ".md-footer", ".md-tabs", ".pra-breadcrumbs", ".headerlink")
# Pagefind bundles its ready-made UIs; the site uses its own small UI over pagefind.js.
UNUSED_ASSETS = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                 "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                 "pagefind-highlight.js", "pagefind-worker.js", "wasm.unknown.pagefind")
WASM = f"wasm.{LANGUAGE}.pagefind"
# Every search starts on findings/0/ and fetches one index chunk per word of its query.
# Pagefind closes a chunk once it holds 20,000 word locations (13-15 kB gzipped); for the
# first bundle it is told 2,000 (about 1.8 kB), so a three-word query fetches some 5-10 kB of
# index instead of 36-45 kB. The page list grows by the longer chunk list (9.5 -> 10.9 kB at
# 1,000 findings). Pagefind reads the size from its environment (PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE,
# since 1.5.0; its own tests use it); a test checks the chunks it writes.
FIRST_CHUNK_SIZE = 2000
CHUNK_SIZE_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
_SHARDS = "shards.json"  # with shard-<n>.pickle and pages-<n>.pickle, what the parent hands the child
PAGE_SHARD = 2000
"""Page records per pages bundle. Pagefind's memory grows with a bundle's words: the 4,186
page records of 4,000 reviews took one process to 370 MB, which on top of the build was its
peak. Every bundle but the last is indexed while the pages build, beside the findings; the
last waits for the built site, to take the few pages no record describes (a bundle of their
own would cost every header search one more index chunk)."""


class PagefindError(RuntimeError):
    """The Pagefind binary is missing or refused a request."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    findings: int
    shards: int
    seconds: float  # from the start of indexing to the end
    bytes: int
    after_pages: float = 0.0  # of those, the seconds after the pages were built: what the build waited


class _Service:
    """A `pagefind --service` process: requests are pipelined, responses matched by id."""

    def __init__(self, chunk_size: int | None = None) -> None:
        binary = get_executable()
        if binary is None:
            raise PagefindError("the Pagefind binary was not found: install `pagefind-bin`")
        environment = {key: value for key, value in os.environ.items() if key != CHUNK_SIZE_VARIABLE}
        if chunk_size is not None:
            environment[CHUNK_SIZE_VARIABLE] = str(chunk_size)
        try:
            self._process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                             env=environment)
        except OSError as error:
            raise PagefindError(f"cannot run the Pagefind binary {binary}: {error.strerror}") from None
        self._next = 0
        self._responses: dict[int | None, dict[str, Any]] = {}
        self._ready = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        parts: list[bytes] = []  # of the message being received: GetFiles sends megabytes
        # 64 kB reads: a 1 MB buffer per read (most bring one short response) made the
        # kernel map and unmap memory on every read, which cost more than Pagefind's work.
        while chunk := os.read(self._process.stdout.fileno(), 1 << 16):
            *ends, rest = chunk.split(b",")
            messages = []
            for end in ends:
                messages.append(b"".join([*parts, end]))
                parts = []
            parts.append(rest)
            with self._ready:
                for message in messages:
                    response = json.loads(base64.b64decode(message))
                    self._responses[response.get("message_id")] = response["payload"]
                self._ready.notify_all()
        with self._ready:
            self._responses[None] = {"type": "Error", "message": "the Pagefind service stopped"}
            self._ready.notify_all()

    def send(self, payload: dict[str, Any]) -> int:
        assert self._process.stdin is not None
        self._next += 1
        message = json.dumps({"message_id": self._next, "payload": payload}).encode()
        self._process.stdin.write(base64.b64encode(message) + b",")
        return self._next

    def wait(self, message_id: int) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.flush()
        with self._ready:
            self._ready.wait_for(lambda: message_id in self._responses or None in self._responses,
                                 timeout=600)
            response = self._responses.pop(message_id, None) or self._responses.get(None)
        if response is None or response.get("type") == "Error":
            message = (response or {}).get("message", "no response")
            raise PagefindError(f"Pagefind: {message}")
        return response

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self.wait(self.send(payload))

    def new_index(self, **config: Any) -> int:
        config = {"force_language": LANGUAGE, **config}
        return int(self.request({"type": "NewIndex", "config": config})["index_id"])

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


# pagefind.js waits for its engine by polling every 50 ms (`getPtr`, and `mergeIndex` for the
# WASM), so a search asked for while the engine starts lost up to 50 ms (25 on average) after
# it was ready; polled every 4 ms (a browser's shortest timer), the wait all but goes.
SLOW_POLL, QUICK_POLL = b"await asyncSleep(50);", b"await asyncSleep(4);"


def engine_script(data: bytes) -> bytes:
    """pagefind.js as shipped: the same code, polling for its engine every 4 ms, not 50."""
    return data.replace(SLOW_POLL, QUICK_POLL)


_LINK_ID = "link-id"  # any valid id: where the id goes in a URL rule


def link_patterns() -> dict[str, str]:
    """For the browser, the URL rules of the pages a finding's result links by id (its
    host authority, its themes), by filter: the rule with `{id}` where the id goes."""
    rules = {"host": urls.authority_url, "theme": urls.theme_url}
    return {key: rule(_LINK_ID).replace(_LINK_ID, "{id}") for key, rule in rules.items()}


def _keep(path: str, first: bool) -> bool:
    """Pagefind's ready-made UIs are not used; pagefind.js and the WASM are kept once."""
    if path in UNUSED_ASSETS:
        return False
    return first or path not in ("pagefind.js", WASM)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def html_pages(site_dir: Path, covered: set[str], built: Iterable[str] | None = None) -> dict[str, Path]:
    """The built pages no record describes (home, indexes, hand-written pages), by URL.

    Listings are left out (a theme's findings and offers pages, a year's reviews, the
    network's table): the header search finds the theme, review or network page, and each
    finding is a record of its own. `built` (serve, which knows them): the pages' paths in
    the site, instead of looking for every `index.html` in it."""
    found = {}
    pages = site_dir.rglob("index.html") if built is None else (site_dir / dest for dest in built)
    for path in sorted(pages):
        relative = path.parent.relative_to(site_dir).as_posix()
        url = "/" if relative == "." else f"/{relative}/"
        if url not in covered and not relative.startswith(BUNDLE) and not urls.is_listing(url):
            found[url] = path
    return found


@dataclass
class _Bundle:
    """One Pagefind bundle to write: a folder, its records (or the file of a findings shard,
    read only when the bundle is written), and any HTML pages."""

    folder: Path
    records: Sequence[SearchRecord] | Path
    pages: dict[str, Path]
    first: bool = False

    def write(self, finishing: threading.Lock) -> None:
        """Index on a Pagefind process of its own, which exits once the files are out.

        Pagefind's memory peaks while it makes the files (about 330 MB for 4,000 findings)
        and is not given back when an index is deleted, so each bundle gets a fresh process,
        and `finishing` lets one process at a time make its files."""
        records = pickle.loads(self.records.read_bytes()) if isinstance(self.records, Path) else self.records
        service = _Service(FIRST_CHUNK_SIZE if self.first else None)
        try:
            files = self._index(service, records, finishing)
        finally:
            service.close()
        for path, data in stabilise(files).items():
            if _keep(path, self.first):
                if path == "pagefind.js":
                    data = engine_script(data)
                target = self.folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)

    def _index(self, service: _Service, records: Sequence[SearchRecord], finishing: threading.Lock,
               ) -> dict[str, bytes]:
        index = service.new_index(exclude_selectors=list(EXCLUDE_SELECTORS))
        sent = [service.send({"type": "AddFile", "index_id": index, "url": url, "file_path": None,
                              "file_contents": path.read_text(encoding="utf-8")})
                for url, path in self.pages.items()]
        sent += [service.send({"type": "AddRecord", "index_id": index, "url": record.url,
                               "content": record.content, "language": LANGUAGE, "meta": record.pagefind_meta(),
                               "filters": record.filters, "sort": record.sort})
                 for record in records]
        for message_id in sent:  # all in flight at once; an error on any of them is raised here
            service.wait(message_id)
        # Files come back in memory, so they are written once, complete and in a stable form.
        with finishing:
            files = service.request({"type": "GetFiles", "index_id": index})["files"]
            service.close()
        return {f["path"]: base64.b64decode(f["content"]) for f in files}


def _worker(take: Callable[[], _Bundle | None], errors: list[BaseException], finishing: threading.Lock) -> None:
    """Write bundles until there are none left."""
    try:
        while (bundle := take()) is not None:
            bundle.write(finishing)
    except BaseException as error:  # noqa: BLE001 - raised again by SiteIndex.finish
        errors.append(error)


class _Indexer:
    """The index being written, in the child process: finding shards first, then the pages.

    One Pagefind process works on the findings while the parent builds the pages; `finish`
    queues the built pages first, adds a process for every idle core, waits for the queue
    to empty, and moves the whole index into `site_dir/pagefind/`.
    """

    def __init__(self, folder: Path, shards: Sequence[Path], counts: Sequence[int], page_shards: Sequence[Path]):
        self._folder = folder
        self.findings, self.counts = sum(counts), list(counts)
        # Newest first: the explorer starts from findings/0/, which keeps the WASM.
        self._queue = deque(_Bundle(folder / FINDINGS / str(number), part, {}, first=number == 0)
                            for number, part in enumerate(shards))
        self._queue.extend(_Bundle(folder / PAGES / str(number), part, {}) for number, part in enumerate(page_shards))
        self.page_bundles = len(page_shards) + 1  # and the last, with the built pages, from `finish`
        self._lock = threading.Lock()
        self._errors: list[BaseException] = []
        self._threads: list[threading.Thread] = []
        self._finishing = threading.Lock()
        self._add_workers(1)

    def _take(self) -> _Bundle | None:
        with self._lock:
            return self._queue.popleft() if self._queue and not self._errors else None

    def _add_workers(self, count: int) -> None:
        for _ in range(count):
            thread = threading.Thread(target=_worker, args=(self._take, self._errors, self._finishing),
                                      name="pra-search")
            thread.start()
            self._threads.append(thread)

    def finish(self, site_dir: Path, pages: Sequence[SearchRecord], covered: set[str]) -> dict[str, int]:
        """`pages`: the last bundle's page records; `covered`: the URLs of all the page records
        (those pages are described, not read as HTML)."""
        html = html_pages(site_dir, covered)
        with self._lock:
            self._queue.appendleft(_Bundle(self._folder / PAGES / str(self.page_bundles - 1), pages, html))
        busy = sum(thread.is_alive() for thread in self._threads)
        self._add_workers(max(1, (os.cpu_count() or 1) - busy))
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise self._errors[0]
        shutil.move(self._folder / FINDINGS / "0" / "pagefind.js", self._folder / "pagefind.js")
        folders = [f"{FINDINGS}/{number}/" for number in range(len(self.counts))]
        manifest = {"pages": [f"{PAGES}/{number}/" for number in range(self.page_bundles)], "findings": folders,
                    "counts": self.counts, "links": link_patterns()}
        (self._folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        root = site_dir / BUNDLE
        if root.is_symlink() or root.is_file():
            root.unlink()
        elif root.exists():
            shutil.rmtree(root)
        shutil.move(self._folder, root)
        return {"pages": len(covered) + len(html), "findings": self.findings, "shards": len(self.counts),
                "bytes": _size(root)}


def _child(work: Path) -> int:
    """The child process: index the findings and pages now, the built pages when the parent sends them."""
    shards = json.loads((work / _SHARDS).read_text(encoding="utf-8"))
    counts = shards["findings"]
    indexer = _Indexer(work / BUNDLE, [work / f"shard-{number}.pickle" for number in range(len(counts))], counts,
                       [work / f"pages-{number}.pickle" for number in range(shards["pages"])])
    request = sys.stdin.buffer.read()  # until the parent's `finish` (or its end: cancelled)
    if not request:  # the build failed or was stopped: leave nothing behind
        shutil.rmtree(work, ignore_errors=True)
        os._exit(1)  # without waiting for the Pagefind workers
    site_dir, pages, covered = pickle.loads(request)
    try:
        answer: dict[str, Any] = {"report": indexer.finish(Path(site_dir), pages, covered)}
    except Exception as error:  # noqa: BLE001 - one line for the build to report
        answer = {"error": str(error) if isinstance(error, PagefindError) else f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer))
    return 0 if "report" in answer else 1


class SiteIndex:
    """The site's search index, written by a child process while the pages build.

    Finding and page records need only the archive, so `SiteIndex(findings, pages)` hands
    them at once to a child process, which indexes them with Pagefind beside the
    (single-threaded) page build, all but the last pages bundle; `finish(site_dir)` sends it
    that bundle, to index with the built pages no record describes, waits, and returns its
    report.
    A process, not a thread: a thread writing 16,000 index files had to win the GIL back
    from the page build for every one, so at national scale the index used to finish
    9 s after the pages.
    """

    def __init__(self, findings: Iterable[SearchRecord], pages: Sequence[SearchRecord] = (),
                 shard_sizes: Sequence[int] = SHARD_SIZES, page_shard: int = PAGE_SHARD):
        self.started = time.perf_counter()
        self._work = Path(tempfile.mkdtemp(prefix="pra-search-"))
        counts = []  # one shard of records in memory at a time, here and in the child
        for number, part in enumerate(shard(findings, shard_sizes)):
            (self._work / f"shard-{number}.pickle").write_bytes(pickle.dumps(part))
            counts.append(len(part))
        *early, self._last_pages = shard(pages, (page_shard,))
        for number, part in enumerate(early):
            (self._work / f"pages-{number}.pickle").write_bytes(pickle.dumps(part))
        self._covered = {record.url for record in pages}
        (self._work / _SHARDS).write_text(json.dumps({"findings": counts, "pages": len(early)}), encoding="utf-8")
        package_root = str(Path(__file__).resolve().parents[1])
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [package_root, *filter(None, [os.environ.get("PYTHONPATH")])])}
        self._child = subprocess.Popen([sys.executable, "-m", __name__, str(self._work)],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)

    def finish(self, site_dir: Path) -> IndexReport:
        """Index the built pages of `site_dir`, then put the whole index in `site_dir/pagefind/`."""
        waiting = time.perf_counter()
        try:
            request = pickle.dumps((str(Path(site_dir).resolve()), self._last_pages, self._covered))
            out, _ = self._child.communicate(request)
            answer = json.loads(out or b"{}")
            if "report" not in answer:
                raise PagefindError(answer.get("error") or f"the indexer stopped (exit {self._child.returncode})")
            now = time.perf_counter()
            return IndexReport(**answer["report"], seconds=now - self.started, after_pages=now - waiting)
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the child (a failed build started it) and clean up."""
        if self._child.poll() is None:
            self._child.kill()
        self._child.communicate()
        shutil.rmtree(self._work, ignore_errors=True)


def write_index(site_dir: Path, findings: Iterable[SearchRecord], pages: Sequence[SearchRecord] = (),
                shard_sizes: Sequence[int] = SHARD_SIZES, page_shard: int = PAGE_SHARD) -> IndexReport:
    """Index `site_dir`'s built pages and the finding records into `site_dir/pagefind/` now.

    `pages` describe record pages; every other built page is indexed from its HTML.
    """
    return SiteIndex(findings, pages, shard_sizes, page_shard).finish(site_dir)


def start_site_index(graph: Graph) -> SiteIndex:
    """Begin the index of `graph`'s findings and record pages; finish it with `finish(site_dir)`
    once the pages are built."""
    from .records import finding_records, page_records  # here: the child process never needs them

    return SiteIndex(finding_records(graph), page_records(graph))


def index_site(site_dir: Path, graph: Graph) -> IndexReport:
    """The whole site's search, now: its built pages and every finding of `graph`."""
    from .records import finding_records, page_records  # here: the child process never needs them

    return write_index(site_dir, finding_records(graph), page_records(graph))


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))
