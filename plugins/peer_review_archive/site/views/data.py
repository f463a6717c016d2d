"""The data page: the downloads, described from the same column definitions that write
them (downloads.py), so the page and the files cannot drift; the licence; the feeds."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...outputs.downloads import FORMAT_NAMES, LIST_SEPARATOR, OGL, Licence, data_files
from ...outputs.feeds import MAX_ENTRIES
from ...records import urls
from ..page import PlannedPage
from .common import Breadcrumbs, Inputs, Ref, breadcrumbs, page_links


@dataclass(frozen=True)
class Span:
    """Part of a description: descriptions mark code with backticks."""

    text: str
    code: bool


Described = tuple[Span, ...]


def described(text: str) -> Described:
    return tuple(Span(part, i % 2 == 1) for i, part in enumerate(text.split("`")))


@dataclass(frozen=True)
class ColumnView:
    name: str
    description: Described


@dataclass(frozen=True)
class FileView:
    """One download: its link, format, size in words, and (for CSV) its columns."""

    name: str
    href: str
    path: str  # under data/, as the table names it
    format: str
    size: str  # "1.2 MB"
    description: Described
    anchor: str  # of its columns' table
    title: str  # lower case, after its name
    columns: tuple[ColumnView, ...]
    inside: str | None  # the CSV a ZIP holds: its columns' table is named by it


@dataclass(frozen=True)
class Feeds:
    href: str  # the whole archive's
    max_entries: int
    example_authority: Ref | None
    example_theme: Ref | None


@dataclass(frozen=True)
class DataView:
    breadcrumbs: Breadcrumbs
    licence: Licence
    site_name: str
    files: tuple[FileView, ...]
    described_files: tuple[FileView, ...]  # those with columns
    list_separator: str
    record_format: str
    feeds: Feeds | None  # None without an absolute site_url


def size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1000:
        return f"{math.ceil(n / 1000)} kB"
    return f"{n} bytes"


def build(page: PlannedPage, inputs: Inputs) -> DataView:
    archive, data, link = inputs.archive, inputs.data, page_links(page, inputs)
    sizes = data.download_sizes()
    files = tuple(
        FileView(f.name, link.to(f.url), f.url.removeprefix("data/"), FORMAT_NAMES.get(f.media_type, f.media_type),
                 size(sizes.get(f.url, 0)), described(f.description), f.anchor, f.title.lower(),
                 tuple(ColumnView(c.name, described(c.description)) for c in f.columns), f.inside)
        for f in data_files())
    feeds = None
    if data.site_url:
        authority = next(iter(sorted(archive.authorities)), None)
        theme = next(iter(archive.themes), None)
        feeds = Feeds(
            link.to(urls.FEED_URL), MAX_ENTRIES,
            Ref(inputs.names[authority], link.to(urls.authority_feed_url(authority))) if authority else None,
            Ref(archive.themes[theme].name, link.to(urls.theme_feed_url(theme))) if theme else None)
    return DataView(
        breadcrumbs=breadcrumbs(link, ("Data", None)), licence=OGL, site_name=data.site_name, files=files,
        described_files=tuple(f for f in files if f.columns), list_separator=LIST_SEPARATOR,
        record_format=link.to(urls.RECORD_FORMAT_URL), feeds=feeds)
