"""The /data/ downloads: the whole archive as JSON, CSV and JSON Schema, written at build time.

Researchers take the data away, so the files must stand on their own: every object
carries its page URL, every column is described here (the data page is rendered from
these descriptions, so the two cannot drift), and two builds give identical bytes.

CSV follows RFC 4180 (comma, double quotes, CRLF) in UTF-8 *with* a byte-order mark, and
also quotes a cell holding `;` or a tab, which some spreadsheets split on:
without it Excel on Windows reads UTF-8 as ANSI and mangles curly quotes and names.
Python readers should open the files with `encoding="utf-8-sig"`. A cell that a
spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
carriage return) is written with a leading apostrophe, and so is a cell that already
starts with one, so that reading back is lossless: drop one leading `'` if present.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any, BinaryIO

from ..graph.indexes import Graph, review_findings, reviewing_authorities
from ..graph.trails import STATUSES
from ..records import urls
from ..records.archive import Archive
from ..records.ids import finding_key, resolve_ref
from ..records.models import ContextDocument, Evidence, Finding, Review
from ..records.schema import schema_texts
from ..records.vocabulary import COUNT_ORDER, EXPECTED_KINDS, REVIEW_KINDS
from .compare import authority_files
from .memo import Memo

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LIST_SEPARATOR = "; "
CSV_BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


@dataclass(frozen=True)
class Licence:
    name: str
    short_name: str
    url: str
    spdx: str


OGL = Licence(
    name="Open Government Licence v3.0",
    short_name="OGL v3.0",
    url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    spdx="OGL-UK-3.0",
)
"""The records transcribe councils' public committee papers, published under the OGL."""


def _either(values: Iterable[str]) -> str:
    """`a`, `b` or `c`: the values a column may hold, as its description names them."""
    codes = [f"`{v}`" for v in values]
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " or " + codes[-1]


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class DataFile:
    """One download: where it goes, what it is, and (for CSV) its columns."""

    name: str
    url: str
    media_type: str
    title: str
    description: str
    columns: tuple[Column, ...] = ()
    inside: str | None = None  # the file a ZIP holds, which `columns` describe

    @property
    def anchor(self) -> str:
        """The id of its columns on the data page: the CSV's name (`findings-csv`), zipped or not."""
        return (self.inside or self.name).replace(".", "-")


FINDING_COLUMNS = (
    Column("finding_key", "The finding's key, unique across the archive and stable: its document's id and "
           "its own, `<document-id>/<finding-id>` (e.g. `thurrock-2016/recommendation-1-6`). `addresses` and "
           "`addressed_by` name findings by it."),
    Column("finding_id", "The finding's id, unique within its document (not across the archive: use "
           "`finding_key`); the anchor of its permalink."),
    Column("document_type", "`review` or `context-document` (a council paper that frames reviews)."),
    Column("document_id", "The review's id (e.g. `thurrock-2016`) or the context document's id."),
    Column("part", "Where in the document: `review` (the review's own findings), `follow-up`, "
           "`response` (the council's report back) or `context`."),
    Column("part_id", "The follow-up's or response's id; empty for the review's own findings."),
    Column("host_authority", "Id of the authority reviewed (or that wrote the context document)."),
    Column("host_authority_name", "Its name."),
    Column("reviewing_authorities", "Ids of the peer authorities that carried out the review, separated by `; `."),
    Column("reviewing_authority_names", "Their names, in the same order."),
    Column("programme", "Id of the programme of reviews, if known."),
    Column("programme_name", "Its name."),
    Column("date", "When the finding was made: the date of the review, follow-up, response or "
           "document, as an ISO date, month (`2016-06`) or year, as precisely as the sources say."),
    Column("kind", f"{_either(COUNT_ORDER)}."),
    Column("number", "The number as printed in the source (e.g. `1.6`), if any. Text, not a number."),
    Column("group", "The heading the source puts the finding under (e.g. `Quality Assurance`), if any."),
    Column("title", "A short heading the source gives the finding, if any."),
    Column("themes", "Theme ids, separated by `; `."),
    Column("theme_names", "Theme names, in the same order."),
    Column("addresses", "Keys of the earlier findings (or offers of support) this one responds to or reports on, "
           "separated by `; `."),
    Column("assessment", "Where the source judges progress on what this finding addresses: `met`, "
           "`partly-met`, `not-met` or `superseded`; empty where it does not (nothing is inferred)."),
    Column("assessment_words", "The source's words that state the assessment."),
    Column("follow_through", "For a finding that asks for change (area for development, recommendation, next "
           "step): what the archive holds about what happened next, one of "
           + ", ".join(f"`{s.id}`" for s in STATUSES.values()) + " (see the record format page). "
           "Empty for other kinds."),
    Column("follow_through_label", "The same in words, with the date of the record it rests on, e.g. "
           "`council action reported (20 December 2016)`."),
    Column("addressed_by", "Keys of the later findings that address this one, oldest first, separated by `; `."),
    Column("latest_evidence_date", "The date of the latest finding that addresses this one; empty if none."),
    Column("speaker", "Whose words the finding is in, where the source makes it clear: `peer-team`, `council` "
           "or `committee`; empty when the source does not say."),
    Column("number_inferred", "`true` when the archive inferred `number` (the source does not print it)."),
    Column("evidence_document", "Id of the source document the finding's words are in, if cited."),
    Column("evidence_lines", "The lines of that document's text (`101-103` or `101`)."),
    Column("evidence_note", "What was changed from the source's words (e.g. a typo repaired), if anything."),
    Column("evidence_url", "The cited lines on the source document's page."),
    Column("text", "The finding's text as transcribed. It may span several lines and keep "
           "light Markdown: `*emphasis*`, `**strong**`, `[label](https://…)`."),
    Column("url", "The finding's permalink."),
)

REVIEW_COLUMNS = (
    Column("review_id", "The review's id; also the name of its record file."),
    Column("title", "The review's title as printed."),
    Column("kind", f"{_either(REVIEW_KINDS)}."),
    Column("host_authority", "Id of the authority reviewed."),
    Column("host_authority_name", "Its name."),
    Column("programme", "Id of the programme of reviews, if known."),
    Column("programme_name", "Its name."),
    Column("date", "First day of the review: ISO date, month or year, as precisely as the sources say."),
    Column("end_date", "Last day, for a visit over several days."),
    Column("reviewing_authorities", "Ids of the peer authorities, separated by `; `."),
    Column("reviewing_authority_names", "Their names, in the same order."),
    Column("team_size", "Team members named or described in the sources."),
    Column("focus_question", "The overarching question or focus, if the sources give one."),
    Column("strengths", "Number of strengths the review reported."),
    Column("areas_for_development", "Number of areas for development."),
    Column("recommendations", "Number of recommendations."),
    Column("findings", "Number of findings of every kind, including follow-ups' and responses'."),
    Column("offers", "Number of offers of support from peer authorities."),
    Column("follow_up_dates", "Dates of follow-up visits, separated by `; `."),
    Column("response_dates", "Dates of the council's responses, separated by `; `."),
    Column("sources", "Titles of the source documents, separated by `; `."),
    Column("url", "The review's page."),
)

AUTHORITY_COLUMNS = (
    Column("authority_id", "The authority's id: its common name as a slug."),
    Column("name", "The name as people say it."),
    Column("official_name", "The council's full name, if recorded."),
    Column("kind", "`county`, `unitary`, `metropolitan-borough`, `london-borough`, `district`, "
           "`group` (of authorities) or `other`."),
    Column("region", "English region, if recorded."),
    Column("members", "For a group: ids of its member authorities, separated by `; `."),
    Column("member_of", "Ids of groups that list this authority as a member."),
    Column("reviews_received", "Number of reviews of this authority."),
    Column("reviews_as_peer", "Number of reviews this authority took part in as a peer."),
    Column("follow_up_visits", "Number of follow-up visits this authority made to another."),
    Column("findings", "Number of findings about this authority (reviews, follow-ups, responses "
           "and its context documents)."),
    Column("offers_given", "Offers of support it made to other authorities."),
    Column("offers_received", "Offers of support it received."),
    Column("url", "The authority's page."),
)

FINDINGS_CSV = "findings.csv"
FINDINGS_ZIP = "findings.csv.zip"
"""findings.csv is published in a ZIP archive, always (its address does not change as the
archive grows): it is the one download that grows with the findings (48 MB of text at 4,000
reviews, 4 MB zipped), and Windows and macOS open a ZIP with a double click. The CSV inside
is byte for byte the file described below."""
REVIEWS_CSV = "reviews.csv"
AUTHORITIES_CSV = "authorities.csv"
ARCHIVE_JSON = "archive.json.gz"
"""The whole archive as JSON, published gzip-compressed: programs read it (every language
opens gzip in a line), it is the largest download (107 MB of JSON at 4,000 reviews, 10 MB
compressed), and findings.csv already carries every finding for spreadsheets."""
ARCHIVE_JSON_INSIDE = "archive.json"  # the name the compressed file restores (`gunzip -k`)
GZIP_LEVEL = 6  # zlib's default: level 9 is a third slower for about 1% smaller files


def data_files() -> list[DataFile]:
    """Every download, in the order the data page lists them."""
    files = [
        DataFile(ARCHIVE_JSON, urls.data_file_url(ARCHIVE_JSON), "application/gzip", "The whole archive",
                 "One JSON object, gzip-compressed (see below). Every record (authorities, themes, "
                 "programmes, reviews with their findings, "
                 "offers, follow-ups and responses, and context documents) exactly as validated, "
                 "each object with its `page_url`, plus the links between records that the site "
                 "shows (reviews an authority received and took part in, findings that later "
                 "findings address). Each finding has its `key` (and `addresses_keys`: its `addresses` as "
                 "keys); one that asks for change has its "
                 "`follow_through` (`status`, `label`, `latest_evidence_date`) and the keys of the "
                 "nearest findings of other authorities (`praised_elsewhere`, `told_elsewhere`)."),
        DataFile(FINDINGS_ZIP, urls.data_file_url(FINDINGS_ZIP), "application/zip", "Findings",
                 "One row per finding: every strength, area for development, recommendation, "
                 "next step, progress report and action, of every review, follow-up, response "
                 f"and context document. A ZIP archive holding one file, `{FINDINGS_CSV}`.", FINDING_COLUMNS,
                 inside=FINDINGS_CSV),
        DataFile(REVIEWS_CSV, urls.data_file_url(REVIEWS_CSV), "text/csv", "Reviews",
                 "One row per review.", REVIEW_COLUMNS),
        DataFile(AUTHORITIES_CSV, urls.data_file_url(AUTHORITIES_CSV), "text/csv", "Authorities",
                 "One row per authority or group of authorities.", AUTHORITY_COLUMNS),
    ]
    files += [
        DataFile(name, urls.schema_file_url(name), "application/schema+json",
                 f"JSON Schema: {name.removesuffix('.schema.json').replace('-', ' ')}",
                 SCHEMA_DESCRIPTIONS.get(name, "Part of the record format."))
        for name in schema_texts()
    ]
    return files


SCHEMA_DESCRIPTIONS = {
    "authorities.schema.json": "The registry of authorities, `reviews/authorities.yml`.",
    "themes.schema.json": "The registry of themes, `reviews/themes.yml`.",
    "programmes.schema.json": "The registry of programmes, `reviews/programmes.yml`.",
    "sources.schema.json": "The registry of source documents held in full, `reviews/sources.yml`.",
    "review.schema.json": "A review with its follow-ups and responses, `reviews/<id>.yml`.",
    "context-document.schema.json": "A context document, `reviews/context/<id>.yml`.",
}
FORMAT_NAMES = {"application/json": "JSON", "application/gzip": "JSON, gzip-compressed", "text/csv": "CSV",
                "application/zip": "CSV in a ZIP archive", "application/schema+json": "JSON Schema"}


# --- helpers -------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """Text that XML 1.0 can hold. A YAML escape (`"\\a"`) can put a control character in a
    record, and neither ElementTree nor saxutils drops it: feeds and pictures do, here."""
    return _NOT_XML.sub("", text)


def _url_maker(site_url: str | None) -> Callable[[str], str]:
    """Absolute URLs when the site has a `site_url`; site-relative paths otherwise."""
    if site_url:
        return urls.absolute_urls(site_url)
    return lambda path: path


def spreadsheet_safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula; lossless (see the module doc)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# Quoted: what RFC 4180 requires (comma, quote, line breaks), and the other separators a
# spreadsheet may split on (`;` in much of Europe, tab), so that no part of a cell can be
# read as a cell of its own, which might start with `=`.
_QUOTED = re.compile('[",;\t\r\n]')


def csv_cell(value: str) -> str:
    """One cell as written: quoted (quotes doubled) when it holds a separator or a line break."""
    return '"' + value.replace('"', '""') + '"' if _QUOTED.search(value) else value


def write_csv(stream: BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> None:
    """RFC 4180 CSV with a header row, CRLF line ends, UTF-8 with a byte-order mark."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    text.write(_csv_head(columns))
    try:
        for row in rows:
            if len(row) != len(columns):
                raise ValueError(f"row has {len(row)} cells for {len(columns)} columns")
            text.write(",".join("" if v is None else csv_cell(spreadsheet_safe(str(v))) for v in row) + "\r\n")
    finally:
        text.flush()
        text.detach()


def _csv_head(columns: Sequence[Column]) -> str:
    """The byte-order mark and the header row."""
    return CSV_BOM + ",".join(csv_cell(c.name) for c in columns) + "\r\n"


def _csv_rows(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> str:
    """Rows as `write_csv` writes them, without the header and byte-order mark."""
    buffer = io.BytesIO()
    write_csv(buffer, columns, rows)
    return buffer.getvalue().decode("utf-8").removeprefix(CSV_BOM).split("\r\n", 1)[1]


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.BytesIO()
    write_csv(buffer, columns, rows)
    return buffer.getvalue()


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


@dataclass(frozen=True)
class _Context:
    archive: Archive
    graph: Graph
    url: Callable[[str], str]
    memo: Memo | None = None
    site_url: str | None = None

    def share(self, name: str, document: Review | ContextDocument, extra: object,
              make: Callable[[], str]) -> str:
        """One document's share of a download: made, or kept by the memo."""
        if self.memo is None:
            return make()
        return self.memo.get(name, document, (self.registries, self.site_url, extra), make)

    @cached_property
    def registries(self) -> tuple[object, ...]:
        return self.memo.registry_names(self.archive) if self.memo is not None else ()  # only `share` reads it

    @cached_property
    def _trails_shown(self) -> dict[str, tuple[object, ...]]:
        return {}

    def trail_links(self, document_id: str) -> tuple[object, ...]:
        """`_trail_links`, once a build for all the downloads (only the memo compares them)."""
        found = self._trails_shown.get(document_id)
        if found is None:
            found = self._trails_shown[document_id] = _trail_links(self.graph, document_id)
        return found

    def name(self, authority_id: str) -> str:
        return self.archive.authorities[authority_id].name

    def programme_name(self, programme_id: str | None) -> str:
        return self.archive.programmes[programme_id].name if programme_id else ""


def _reviews(archive: Archive) -> list[Review]:
    return sorted(archive.reviews.values(), key=lambda r: (r.date, r.id))


def _documents(archive: Archive) -> list[ContextDocument]:
    return sorted(archive.context_documents.values(), key=lambda d: (d.date, d.id))


# --- CSV -----------------------------------------------------------------------------


def _finding_pieces(ctx: _Context) -> Iterator[tuple[str, str]]:
    """findings.csv's rows a document at a time: its key in the memo and its rows as written
    (kept by the memo under serve, with their compressed bytes: `Zipped`)."""
    themes = ctx.archive.themes

    def row(finding: Finding, doc_type: str, doc_id: str, part: str, part_id: str | None,
            host: str, peers: list[str], programme: str | None, when: str, page: str) -> list[object]:
        trail = ctx.graph.trails.get((doc_id, finding.id))
        return [
            finding_key(doc_id, finding.id), finding.id, doc_type, doc_id, part, part_id, host, ctx.name(host),
            _joined(peers), _joined(ctx.name(p) for p in peers), programme, ctx.programme_name(programme),
            when, finding.kind, finding.number, finding.group, finding.title,
            _joined(finding.themes), _joined(themes[t].name for t in finding.themes),
            _joined(finding_key(*resolve_ref(ref, doc_id)) for ref in finding.addresses),
            finding.assessment, finding.assessment_words,
            trail.status if trail else None, trail.label if trail else None,
            _joined(step.finding_key for step in ctx.graph.addressed_by.get((doc_id, finding.id), [])),
            trail.latest_date if trail else None,
            finding.speaker, "true" if finding.number_inferred else "",
            *_evidence_cells(ctx, finding.evidence), finding.text, ctx.url(urls.anchor_url(page, finding.id)),
        ]

    def review_rows(review: Review) -> Iterator[list[object]]:
        peers = reviewing_authorities(review)
        page = urls.review_url(review.id)
        for part, part_id, when, finding in review_findings(review):
            yield row(finding, "review", review.id, part, part_id, review.host, peers, review.programme,
                      when, page)

    def document_rows(document: ContextDocument) -> Iterator[list[object]]:
        page = urls.context_url(document.id)
        for finding in document.findings:
            yield row(finding, "context-document", document.id, "context", None, document.authority,
                      [], None, document.date, page)

    def links(document_id: str) -> tuple[object, ...]:  # only the memo compares them
        return ctx.trail_links(document_id) if ctx.memo is not None else ()

    for review in _reviews(ctx.archive):
        yield f"reviews/{review.id}", ctx.share(
            "finding-rows", review, links(review.id),
            lambda review=review: _csv_rows(FINDING_COLUMNS, review_rows(review)))
    for document in _documents(ctx.archive):
        yield f"context_documents/{document.id}", ctx.share(
            "finding-rows", document, links(document.id),
            lambda document=document: _csv_rows(FINDING_COLUMNS, document_rows(document)))


def write_findings_zip(stream: BinaryIO, ctx: _Context) -> None:
    """findings.csv.zip: findings.csv (the bytes `write_csv` would write) zipped a document at a time."""
    packed = Zipped(stream, FINDINGS_CSV, ctx.memo)
    packed.write(_csv_head(FINDING_COLUMNS))
    for key, text in _finding_pieces(ctx):
        packed.write(text, key)
    packed.close()


def _evidence_cells(ctx: _Context, evidence: Evidence | None) -> list[object]:
    if evidence is None:
        return [None, None, None, None]
    return [evidence.document, evidence.lines, evidence.note,
            ctx.url(urls.source_lines_url(evidence.document, evidence.first))]


def _trail_links(graph: Graph, document_id: str) -> tuple[object, ...]:
    """What a document's share shows from other documents: its findings' trails (what later
    addressed them, the status) and their matches, which any edit elsewhere may change."""
    out = []
    for key in graph.trails_of.get(document_id, ()):
        trail = graph.trails[key]
        out.append((key, trail.shown, graph.matches.get(key)))
    return tuple(out)


def _review_row(ctx: _Context, review: Review) -> list[object]:
    peers = reviewing_authorities(review)
    kinds = [f.kind for f in review.findings]
    total = sum(1 for _ in review_findings(review))
    return [
        review.id, review.title, review.kind, review.host, ctx.name(review.host), review.programme,
        ctx.programme_name(review.programme), review.date, review.end_date, _joined(peers),
        _joined(ctx.name(p) for p in peers), len(review.team),
        review.focus.question.text if review.focus and review.focus.question else None,
        *(kinds.count(kind) for kind in EXPECTED_KINDS),
        total, len(review.offers), _joined(v.date for v in review.follow_ups),
        _joined(r.date for r in review.responses), _joined(s.title for s in review.sources),
        ctx.url(urls.review_url(review.id)),
    ]


def write_reviews_csv(stream: BinaryIO, ctx: _Context) -> None:
    """reviews.csv; under serve, each row kept while its review is unchanged (a row shows no
    other document), joined into the same bytes."""
    reviews = _reviews(ctx.archive)
    if ctx.memo is None:
        write_csv(stream, REVIEW_COLUMNS, (_review_row(ctx, r) for r in reviews))
        return
    rows = (ctx.share("review-row", r, (), lambda r=r: _csv_rows(REVIEW_COLUMNS, [_review_row(ctx, r)]))
            for r in reviews)
    stream.write((_csv_head(REVIEW_COLUMNS) + "".join(rows)).encode())


def _peer_reviews(graph: Graph, authority_id: str) -> list[str]:
    return list(dict.fromkeys(v.review_id for v in graph.given.get(authority_id, []) if v.part == "review"))


def _follow_up_visits(graph: Graph, authority_id: str) -> list[dict[str, str]]:
    return [{"review": v.review_id, "follow_up": v.part_id or ""}
            for v in graph.given.get(authority_id, []) if v.part == "follow-up"]


def _authority_rows(ctx: _Context) -> Iterator[list[object]]:
    graph = ctx.graph
    for authority in sorted(ctx.archive.authorities.values(), key=lambda a: a.id):
        aid = authority.id
        yield [
            aid, authority.name, authority.official_name, authority.kind, authority.region,
            _joined(authority.members), _joined(graph.groups.get(aid, [])),
            len(graph.received.get(aid, [])), len(_peer_reviews(graph, aid)),
            len(_follow_up_visits(graph, aid)), _finding_count(ctx, aid),
            len(graph.offers_given.get(aid, [])), len(graph.offers_received.get(aid, [])),
            ctx.url(urls.authority_url(aid)),
        ]


def _finding_count(ctx: _Context, authority_id: str) -> int:
    reviews = (ctx.archive.reviews[r] for r in ctx.graph.received.get(authority_id, []))
    documents = (ctx.archive.context_documents[d] for d in ctx.graph.context_documents.get(authority_id, []))
    return sum(sum(1 for _ in review_findings(r)) for r in reviews) + sum(len(d.findings) for d in documents)


# --- JSON ----------------------------------------------------------------------------


def _with_url(data: dict[str, Any], url: str) -> dict[str, Any]:
    data["page_url"] = url
    return data


def _findings_json(ctx: _Context, doc_id: str, page: str, findings: list[Finding],
                   dumped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    graph = ctx.graph
    for finding, data in zip(findings, dumped, strict=True):
        _with_url(data, ctx.url(urls.anchor_url(page, finding.id)))
        key = (doc_id, finding.id)
        data["key"] = finding_key(doc_id, finding.id)
        data["addresses_keys"] = [finding_key(*resolve_ref(ref, doc_id)) for ref in finding.addresses]
        data["addressed_by"] = [entry.finding_key for entry in graph.addressed_by.get(key, [])]
        trail = graph.trails.get(key)
        if trail is not None:
            data["follow_through"] = {"status": trail.status, "label": trail.label,
                                      "latest_evidence_date": trail.latest_date}
            matches = graph.matches.get(key)
            if matches is not None:
                data["praised_elsewhere"] = [finding_key(*m.key) for m in matches.praised]
                data["told_elsewhere"] = [finding_key(*m.key) for m in matches.told]
    return dumped


def _sources_json(ctx: _Context, page: str, dumped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for data in dumped:
        _with_url(data, ctx.url(urls.anchor_url(page, urls.source_anchor(data["id"]))))
    return dumped


def _review_json(ctx: _Context, review: Review) -> dict[str, Any]:
    page = urls.review_url(review.id)
    data = _with_url(review.model_dump(mode="json"), ctx.url(page))
    _findings_json(ctx, review.id, page, review.findings, data["findings"])
    for offer, offer_data in zip(review.offers, data["offers"], strict=True):
        _with_url(offer_data, ctx.url(urls.anchor_url(page, offer.id)))
    for part_name, parts in (("follow_ups", review.follow_ups), ("responses", review.responses)):
        for part, part_data in zip(parts, data[part_name], strict=True):
            _with_url(part_data, ctx.url(urls.anchor_url(page, part.id)))
            _findings_json(ctx, review.id, page, part.findings, part_data["findings"])
    _sources_json(ctx, page, data["sources"])
    data["reviewing_authorities"] = reviewing_authorities(review)
    data["context_documents"] = ctx.graph.context_for_review.get(review.id, [])
    data["related_from"] = ctx.graph.related_from.get(review.id, [])
    return data


def _document_json(ctx: _Context, document: ContextDocument) -> dict[str, Any]:
    page = urls.context_url(document.id)
    data = _with_url(document.model_dump(mode="json"), ctx.url(page))
    _findings_json(ctx, document.id, page, document.findings, data["findings"])
    _sources_json(ctx, page, data["sources"])
    return data


def archive_json(archive: Archive, graph: Graph, site_url: str | None = None) -> dict[str, Any]:
    """The whole archive as one JSON-ready value: records as validated, plus URLs and links.

    Keys added to the records are `page_url` on every object with a page or anchor, and
    the reverse links listed in `LINK_KEYS`; everything else is the record as written.
    """
    ctx = _Context(archive, graph, _url_maker(site_url))
    return {**_archive_head(ctx, archive, graph, site_url),
            **{key: list(items) for key, items in _archive_documents(ctx, archive)}}


def write_archive_json(stream: BinaryIO, archive: Archive, graph: Graph, site_url: str | None = None,
                       memo: Memo | None = None) -> None:
    """`archive_json` as compact JSON, written one review at a time: the same bytes as
    dumping the whole value, without holding it (about 300 MB at 4,000 reviews)."""
    for _, text in _archive_json_pieces(archive, graph, site_url, memo):
        stream.write(text.encode())


def write_archive_json_gz(stream: BinaryIO, archive: Archive, graph: Graph, site_url: str | None = None,
                          memo: Memo | None = None, ctx: _Context | None = None) -> None:
    """The same JSON, gzip-compressed a document at a time (`Deflated`); `ctx`, the other
    downloads' (what they share is then worked out once)."""
    packed = Deflated(stream, ARCHIVE_JSON_INSIDE, memo)
    for key, text in _archive_json_pieces(archive, graph, site_url, memo, ctx):
        packed.write(text, key)
    packed.close()


def _archive_json_pieces(archive: Archive, graph: Graph, site_url: str | None,
                         memo: Memo | None, ctx: _Context | None = None) -> Iterator[tuple[str | None, str]]:
    """archive.json in pieces: each document's (under its id) and the text between them."""
    ctx = ctx or _Context(archive, graph, _url_maker(site_url), memo, site_url)
    yield None, _dumps(_archive_head(ctx, archive, graph, site_url))[:-1]
    for key, items in _archive_items(ctx, archive):
        yield None, f",{_dumps(key)}:["
        for number, (document_id, item) in enumerate(items):
            yield f"{key}/{document_id}", ("," if number else "") + item
        yield None, "]"
    yield None, "}\n"


class Deflated:
    """A gzip file written in pieces, each compressed on its own (a fresh deflate segment,
    ended by a full flush), so that `pra serve` compresses again only the pieces that
    changed (kept in the memo by key) and a build gives the same bytes. One valid gzip
    member: `gunzip`, Python, R and browsers read it as any other.

    Each piece is compressed with the 32 kB before it as its dictionary, as `pigz` does: an
    inflater keeps those bytes anyway, so the piece may point back into them, and pieces
    cost almost nothing in size (without it, 79% more at 4,000 generated reviews, whose
    pieces are small and much alike). A piece is therefore compressed again when it or the
    pieces in its window changed (under serve, an edit recompresses its document's piece
    and the one or two after it)."""

    memo_name = "deflated"

    def __init__(self, stream: BinaryIO, name: str, memo: Memo | None) -> None:
        self._begin(stream, memo)
        # magic, deflate, FNAME; mtime 0 (no clock: identical builds); no extra flags; OS unknown
        stream.write(b"\x1f\x8b\x08\x08" + b"\0\0\0\0" + b"\x00\xff" + name.encode("latin-1") + b"\0")

    def _begin(self, stream: BinaryIO, memo: Memo | None) -> None:
        self.stream, self.memo = stream, memo
        self.crc, self.size = 0, 0
        self.recent: deque[tuple[str, bytes]] = deque()  # the pieces the window reaches into (text, bytes)
        self.recent_size = 0

    def _window(self) -> bytes:
        """The last WINDOW bytes written, uncompressed: joined only for a piece compressed again."""
        return b"".join(data for _, data in self.recent)[-WINDOW:]

    def write(self, text: str, key: str | None = None) -> None:
        data = text.encode()
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        if key is None or self.memo is None:
            self._put(_deflate(data, self._window()))
        else:  # the window as the texts it is made of: the same objects while unchanged, quick to compare
            inputs = (text, *(t for t, _ in self.recent))
            self._put(self.memo.get_for(self.memo_name, key, inputs, lambda: _deflate(data, self._window())))
        self.recent.append((text, data))
        self.recent_size += len(data)
        while self.recent_size - len(self.recent[0][1]) >= WINDOW:  # the oldest is out of the window
            self.recent_size -= len(self.recent.popleft()[1])

    def _put(self, packed: bytes) -> None:
        self.stream.write(packed)

    def close(self) -> None:
        self._put(_LAST_BLOCK)
        self.stream.write(struct.pack("<II", self.crc, self.size & 0xFFFFFFFF))


class Zipped(Deflated):
    """A ZIP archive of one file, its deflated data made in pieces as `Deflated`'s. The
    compressed pieces are held (4 MB for findings.csv at 4,000 reviews) so that the file's
    header can carry its checksum and sizes, as every unzipper expects; the date is fixed
    (1 January 1980, ZIP's first), so that builds give the same bytes. Python's `zipfile`
    and the explorer's script read it; Windows and macOS open it with a double click."""

    memo_name = "zipped"
    DOS_TIME, DOS_DATE = 0, (1 << 5) | 1  # 00:00:00, 1980-01-01
    UNIX_FILE = 0o100644 << 16  # a regular file, readable by all: what `unzip` restores

    def __init__(self, stream: BinaryIO, name: str, memo: Memo | None) -> None:
        self._begin(stream, memo)
        self.name = name.encode("ascii")
        self.packed: list[bytes] = []

    def _put(self, packed: bytes) -> None:
        self.packed.append(packed)

    def close(self) -> None:
        self._put(_LAST_BLOCK)
        packed = sum(len(p) for p in self.packed)
        if max(packed, self.size) >= 0xFFFFFFFF:
            raise ValueError(f"{self.name.decode()}: over 4 GB, which needs ZIP64")
        # version 2.0 (deflate), no flags, deflate, time, date, CRC-32, sizes, name's length
        fields = struct.pack("<HHHHHIIIH", 20, 0, 8, self.DOS_TIME, self.DOS_DATE, self.crc, packed, self.size,
                             len(self.name))
        local = b"PK\x03\x04" + fields + struct.pack("<H", 0) + self.name
        self.stream.write(local)
        self.stream.writelines(self.packed)
        # made by version 2.0 on Unix (3); no extra field, comment, disk or internal attributes
        central = (b"PK\x01\x02" + struct.pack("<H", (3 << 8) | 20) + fields
                   + struct.pack("<HHHHI", 0, 0, 0, 0, self.UNIX_FILE) + struct.pack("<I", 0) + self.name)
        self.stream.write(central)
        # end of central directory: one entry, where the directory is, no comment
        self.stream.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + packed, 0))


_LAST_BLOCK = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty, final block


WINDOW = 32768  # how far back deflate may point


def _deflate(data: bytes, window: bytes = b"") -> bytes:
    """One piece, raw deflate ended by a full flush (byte-aligned: pieces join), referring back
    into `window`, the bytes just before it."""
    packer = (zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15, zdict=window) if window
              else zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15))
    return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)


def _dumps(value: object) -> str:
    # Compact: without `indent` the json module uses its C encoder, several times faster.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _archive_documents(ctx: _Context, archive: Archive) -> list[tuple[str, Iterator[dict[str, Any]]]]:
    return [("reviews", (_review_json(ctx, r) for r in _reviews(archive))),
            ("context_documents", (_document_json(ctx, d) for d in _documents(archive)))]


def _archive_items(ctx: _Context, archive: Archive) -> list[tuple[str, Iterator[tuple[str, str]]]]:
    """`_archive_documents` as JSON text, each review's through the memo under serve (a review's
    object also shows the context documents framing it and the reviews naming it)."""
    graph = ctx.graph

    def review_item(review: Review) -> tuple[str, str]:
        extra = (tuple(graph.context_for_review.get(review.id, [])), tuple(graph.related_from.get(review.id, [])),
                 ctx.trail_links(review.id))
        return review.id, ctx.share("archive-json", review, extra, lambda: _dumps(_review_json(ctx, review)))

    return [("reviews", (review_item(r) for r in _reviews(archive))),
            ("context_documents", ((d.id, ctx.share("archive-json", d, ctx.trail_links(d.id),
                                                    lambda d=d: _dumps(_document_json(ctx, d))))
                                   for d in _documents(archive)))]


def _archive_head(ctx: _Context, archive: Archive, graph: Graph, site_url: str | None) -> dict[str, Any]:
    """Everything in archive.json before the reviews: licence, registries."""
    authorities = []
    for authority in sorted(archive.authorities.values(), key=lambda a: a.id):
        aid = authority.id
        data = _with_url(authority.model_dump(mode="json"), ctx.url(urls.authority_url(aid)))
        data["feed_url"] = ctx.url(urls.authority_feed_url(aid))
        data["member_of"] = graph.groups.get(aid, [])
        data["reviews_received"] = list(graph.received.get(aid, []))
        data["reviews_as_peer"] = _peer_reviews(graph, aid)
        data["follow_up_visits"] = _follow_up_visits(graph, aid)
        data["context_documents"] = list(graph.context_documents.get(aid, []))
        authorities.append(data)
    themes = []
    for theme in archive.themes.values():
        data = _with_url(theme.model_dump(mode="json"), ctx.url(urls.theme_url(theme.id)))
        data["feed_url"] = ctx.url(urls.theme_feed_url(theme.id))
        data["finding_count"] = len(graph.findings_by_theme.get(theme.id, []))
        themes.append(data)
    programmes = [_with_url(p.model_dump(mode="json"), ctx.url(urls.programme_anchor(p.id)))
                  for p in archive.programmes.values()]
    return {
        "licence": {"name": OGL.name, "url": OGL.url, "spdx": OGL.spdx},
        "site_url": site_url or None,
        "authorities": authorities,
        "themes": themes,
        "programmes": programmes,
        "source_documents": [
            {**_with_url(d.model_dump(mode="json"), ctx.url(urls.source_document_url(d.id))),
             "line_count": len(archive.source_lines.get(d.id, ()))}
            for d in archive.documents.values()],
    }


LINK_KEYS = frozenset({"page_url", "feed_url", "member_of", "reviews_received", "reviews_as_peer",
                       "follow_up_visits", "context_documents", "finding_count", "addressed_by",
                       "reviewing_authorities", "related_from", "line_count", "key", "addresses_keys",
                       "follow_through", "praised_elsewhere", "told_elsewhere"})
"""Keys `archive_json` adds to the records (a review's `context_documents` is one of them)."""


# --- everything ----------------------------------------------------------------------


def build_exports(archive: Archive, graph: Graph, site_url: str | None = None,
                  memo: Memo | None = None) -> dict[str, bytes]:
    """Every download's site path and exact bytes. Pure and deterministic: no clock, no I/O.
    With a `memo` (serve), documents unchanged since the last call are not written again."""
    out = {}
    for path, write in exports(archive, graph, site_url, memo).items():
        buffer = io.BytesIO()
        write(buffer)
        out[path] = buffer.getvalue()
    return out


def exports(archive: Archive, graph: Graph, site_url: str | None = None,
            memo: Memo | None = None) -> dict[str, Callable[[BinaryIO], None]]:
    """Every download's site path and what writes its bytes to a stream (`build_exports`
    holds them in memory; a build writes them to files)."""
    ctx = _Context(archive, graph, _url_maker(site_url), memo, site_url)
    out: dict[str, Callable[[BinaryIO], None]] = {
        urls.data_file_url(ARCHIVE_JSON):
            lambda stream: write_archive_json_gz(stream, archive, graph, site_url, memo, ctx),
        urls.data_file_url(FINDINGS_ZIP): lambda stream: write_findings_zip(stream, ctx),
        urls.data_file_url(REVIEWS_CSV): lambda stream: write_reviews_csv(stream, ctx),
        urls.data_file_url(AUTHORITIES_CSV): lambda stream: write_csv(stream, AUTHORITY_COLUMNS, _authority_rows(ctx)),
    }
    for name, text in schema_texts().items():
        out[urls.schema_file_url(name)] = partial(_write_bytes, text.encode())
    out.update(authority_files(graph, memo))  # the compare page's data (outputs/compare.py)
    return out


def _write_bytes(data: bytes, stream: BinaryIO) -> None:
    stream.write(data)
