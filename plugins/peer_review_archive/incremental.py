"""Work reused across `mkdocs serve` rebuilds, so that editing one record rebuilds quickly.

`mkdocs serve` rebuilds the whole site on every change: it reloads the config and builds
again with the same plugin instance (MkDocs keeps plugins that define `on_startup`) into
a cleaned site folder; its --dirty mode skips nothing for generated pages. So the plugin
keeps, between rebuilds:

- each record file's parse and schema check, by the file's bytes (`loader.RecordCache`);
- each generated page's body, keyed by the bytes of every record file the page shows;
- each record page's finished HTML (Material's template around the body), keyed by the
  body's key and by everything else that template reads (config, nav, theme, URLs).

Keys are digests of inputs, never timestamps: nothing is reused unless what it was made
from is byte-for-byte the same, so a rebuild gives the same site as a clean build (which
tests/test_generator.py checks). `mkdocs build` uses none of this.

Which records a page shows follows the graph: a page about an authority, a theme, a
review or a context document shows the documents that *touch* it (name the authority,
tag a finding with the theme, name the review as related), and a document's own page
also shows the documents it names. Index pages (home, reviews, network, data...) show
everything and are always rendered again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .archive import Archive
from .graph import authorities_named, review_findings
from .models import ContextDocument, Review
from .pages import Body, PlannedPage

Entity = tuple[str, str]  # ("review" | "context" | "authority" | "theme", id)
CACHED_TEMPLATE = "pra-cached-page.html"
CACHED_TEMPLATE_SOURCE = "{{ page.pra_output }}"
_PAGE_ENTITY_KINDS = ("review", "context", "authority", "theme")


def touches(document: Review | ContextDocument) -> set[Entity]:
    """Every page subject a document's data can appear on, besides its own page."""
    if isinstance(document, Review):
        found: set[Entity] = {("review", document.id)}
        authorities = authorities_named(document)
        themes = {t for *_, finding in review_findings(document) for t in finding.themes}
        themes |= {t for offer in document.offers for t in offer.themes}
    else:
        found = {("context", document.id)}
        authorities = {document.authority} | {s.authority for s in document.sources if s.authority}
        themes = {t for finding in document.findings for t in finding.themes}
    found |= {("authority", a) for a in authorities}
    found |= {("theme", t) for t in themes}
    found |= {("review", r) for r in document.related_reviews}
    return found


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
    """For one archive: the key of each page's body, from the digests of its records."""

    def __init__(self, archive: Archive, file_digests: dict[str, bytes], context: bytes):
        """`file_digests` maps each document id and registry name to its file's digest;
        `context` is the digest of everything else every body depends on."""
        self.context = context
        self.documents: dict[str, Review | ContextDocument] = {**archive.reviews, **archive.context_documents}
        self.digests = file_digests
        self.touching: dict[Entity, set[str]] = defaultdict(set)
        self.named: dict[str, set[str]] = {}
        for doc_id, document in self.documents.items():
            entities = touches(document)
            for entity in entities:
                self.touching[entity].add(doc_id)
            self.named[doc_id] = {i for kind, i in entities if kind in ("review", "context") and i != doc_id}
        registries = [(name, file_digests.get(name)) for name in ("authorities", "themes", "programmes")]
        self.everything = digest(context, registries, sorted((d, file_digests.get(d)) for d in self.documents))
        self.shared = digest(context, registries)

    def key(self, page: PlannedPage) -> bytes:
        identity = (page.url, page.kind, page.subject, page.title)
        if page.kind not in _PAGE_ENTITY_KINDS or page.subject is None:
            return digest(self.everything, identity)
        shown = set(self.touching.get((page.kind, page.subject), ()))
        if page.subject in self.documents:
            shown |= {page.subject} | self.named.get(page.subject, set())
        return digest(self.shared, identity, sorted((d, self.digests.get(d)) for d in shown))


class PageCache:
    """Bodies and finished pages kept between serve rebuilds, each under its key."""

    def __init__(self) -> None:
        self.bodies: dict[str, tuple[bytes, Body]] = {}
        self.outputs: dict[str, tuple[bytes, str]] = {}
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

    def body_key(self, page: PlannedPage) -> bytes | None:
        kept = self.bodies.get(page.url)
        return kept[0] if kept is not None and self.keys is not None else None

    def output(self, url: str, key: bytes) -> str | None:
        kept = self.outputs.get(url)
        return kept[1] if kept is not None and kept[0] == key else None

    def keep_output(self, url: str, key: bytes, output: str) -> None:
        self.outputs[url] = (key, output)

    def forget(self, urls: Iterable[str]) -> None:
        """Drop pages that no longer exist, so the cache does not grow with every rename."""
        keep = set(urls)
        for url in set(self.bodies) - keep:
            del self.bodies[url]
        for url in set(self.outputs) - keep:
            del self.outputs[url]


def output_context(config: Any, nav: Any) -> bytes:
    """What Material's template reads besides the page itself: config, nav titles, theme."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    config_bytes = config_file.read_bytes() if config_file and config_file.is_file() else b""
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None

    def items(entries: Iterable[Any]) -> list[object]:
        return [(getattr(e, "title", None), getattr(e, "url", None), items(getattr(e, "children", None) or ()))
                for e in entries]

    return digest(config_bytes, config.site_url, config.site_name, items(nav.items), folder_fingerprint(custom_dir))
