"""Assemble the checked files into one `Archive`, and check what spans records.

Each file has already matched its schema (`loading.py`); here the files become one
`Archive`, and every reference between them that does not resolve (ids unique, dates in
order) is reported at the position of the referring field. Load everything and check
everything before anything is emitted: one bad record fails the whole load with an
`ArchiveError` listing all problems, so no partial site is ever built.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .archive import Archive
from .dates import certainly_before
from .evidence import check_evidence
from .ids import RESERVED_PREFIX, reserved, resolve_ref
from .lists import introduced_lists
from .loading import LoadedFile, RecordCache, read_record_bytes, read_records, read_yaml
from .models import (
    AuthorityRegistry,
    ContextDocument,
    Finding,
    ProgrammeRegistry,
    Review,
    SourceRegistry,
    ThemeRegistry,
)
from .problems import ArchiveError, Loc, Problem, did_you_mean, field_path
from .vocabulary import ASKS_FOR_CHANGE, KINDS, asks_for_change

REGISTRY_FILES = {
    "authority": "reviews/authorities.yml",
    "theme": "reviews/themes.yml",
    "programme": "reviews/programmes.yml",
    "source document": "reviews/sources.yml",
}


# Each registry's record kind: (the kind in messages, its list field, its name in
# `Archive.files`, the `Archive` dict it fills).
REGISTRY_KINDS: dict[type, tuple[str, str, str, str]] = {
    AuthorityRegistry: ("authority", "authorities", "authorities", "authorities"),
    ThemeRegistry: ("theme", "themes", "themes", "themes"),
    ProgrammeRegistry: ("programme", "programmes", "programmes", "programmes"),
    SourceRegistry: ("source document", "documents", "sources", "documents"),
}


def assemble(loaded: list[LoadedFile], records_dir: Path,
             cache: RecordCache | None = None) -> tuple[Archive, list[Problem]]:
    """Build the archive from schema-valid files and report every cross-record problem.
    With a `cache` (serve), a file's cross-checks are kept while nothing they read changed."""
    archive = Archive()
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str], tuple[LoadedFile, Loc]] = {}
    # Files that failed their own checks still exist: references to them are not errors.
    failed = {file.path.stem for file in loaded if file.partial}

    def register(kind: str, key: str | None, file: LoadedFile, loc: Loc) -> bool:
        if key is None:  # the id itself failed its check, and is reported already
            return False
        if (kind, key) in first_seen:
            first_file, first_loc = first_seen[(kind, key)]  # positions only when reporting
            where = f"{first_file.display}:{first_file.position(first_loc)[0]}"
            problems.append(file.problem(loc, f"duplicate {kind} id `{key}`", f"already defined at {where}"))
            return False
        first_seen[(kind, key)] = (file, loc)
        return True

    for file in loaded:
        record = file.record
        if record is None:
            continue
        relative = file.path.relative_to(records_dir)
        registry = next((kinds for cls, kinds in REGISTRY_KINDS.items() if isinstance(record, cls)), None)
        if registry is not None:
            kind, field, name, target = registry
            kept = getattr(archive, target)
            for i, item in enumerate(getattr(record, field)):
                if register(kind, item.id, file, (field, i, "id")):
                    kept[item.id] = item
            archive.files[name] = relative
        else:
            if record.id is not None and record.id != file.path.stem:
                hint = f"rename the file to {record.id}{file.path.suffix} or set id: {file.path.stem}"
                problems.append(file.problem(("id",), f"id `{record.id}` does not match the file name", hint))
            if not file.partial and register("review or context document", record.id, file, ("id",)):
                target = archive.reviews if isinstance(record, Review) else archive.context_documents
                (archive.drafts if record.draft else target)[record.id] = record
                archive.files[record.id] = relative

    # What the cross-checks read of the other records: the ids of each kind (and which failed).
    ids = (tuple(archive.authorities), tuple(archive.themes), tuple(archive.programmes), tuple(archive.reviews),
           tuple(archive.context_documents), tuple(archive.drafts), frozenset(failed))
    for file in loaded:
        if file.record is None:
            continue
        if cache is None:
            problems += _check_references(file, archive, failed)
            continue
        inputs = (ids, _addressed_documents(file.record, archive))
        kept = cache.checked.get(file.path)
        if kept is None or kept[0] is not file or kept[1] != inputs:
            kept = cache.checked[file.path] = (file, inputs, _check_references(file, archive, failed))
        problems += kept[2]
    problems += check_evidence(loaded, archive, records_dir)
    archive.reviews = dict(sorted(archive.reviews.items()))
    archive.context_documents = dict(sorted(archive.context_documents.items()))
    return archive, problems


def _check_references(file: LoadedFile, archive: Archive, failed: set[str]) -> list[Problem]:
    registries = {
        "authority": archive.authorities,
        "theme": archive.themes,
        "programme": archive.programmes,
    }
    problems: list[Problem] = _reserved_ids(file)

    def ref(kind: str, value: str | None, loc: Loc) -> None:
        known = registries[kind]
        if value is not None and value not in known:
            hint = did_you_mean(value, known) or f"add it to {REGISTRY_FILES[kind]} first"
            problems.append(file.problem(loc, f"unknown {kind} `{value}`", hint))

    record = file.record
    if isinstance(record, AuthorityRegistry):
        for i, authority in enumerate(record.authorities):
            for j, member in enumerate(authority.members):
                ref("authority", member, ("authorities", i, "members", j))
        return problems
    if isinstance(record, SourceRegistry):
        for i, document in enumerate(record.documents):
            ref("authority", document.authority, ("documents", i, "authority"))
        return problems
    if not isinstance(record, Review | ContextDocument):
        return problems
    if isinstance(record, Review) and record.id is not None and record.id.isdigit():
        problems.append(file.problem(("id",), f"review id `{record.id}` is only digits, like a year",
                                     "`reviews/<year>/` lists a year's reviews: name the host too, e.g. "
                                     f"`<host>-{record.id}`"))

    source_ids = _unique(file, problems, "source", [(s.id, ("sources", i, "id")) for i, s in enumerate(record.sources)])
    for i, source in enumerate(record.sources):
        ref("authority", source.authority, ("sources", i, "authority"))

    for i, review_id in enumerate(record.related_reviews):
        if review_id is None:  # a value that failed its schema, reported there
            continue
        if review_id in archive.drafts and not record.draft:
            problems.append(file.problem(("related_reviews", i),
                                         f"review `{review_id}` is a draft, so it is not published",
                                         "finish it first (remove `draft: true`), or leave it out here"))
        elif review_id not in archive.reviews and review_id not in archive.drafts and review_id not in failed:
            problems.append(file.problem(("related_reviews", i), f"unknown review `{review_id}`",
                                         did_you_mean(review_id, archive.reviews) or "name a file in reviews/"))

    findings = list(_findings(record))
    _check_page_ids(file, problems, record, findings)
    parts = {f.id: _part(record, loc) for loc, f in findings if f.id is not None}
    if isinstance(record, Review):  # a response may answer an offer of support, too
        parts.update({o.id: ("review", record.date, ()) for o in record.offers if o.id is not None})

    for loc, finding in findings:
        for j, theme in enumerate(finding.themes):
            ref("theme", theme, (*loc, "themes", j))
        for j, target in enumerate(finding.addresses):
            if target is None:
                continue
            at = (*loc, "addresses", j)
            problem, kind = _address_problem(file, archive, failed, record, finding, target, at,
                                             parts.get(finding.id) if finding.id is not None else None)
            if problem is not None:
                problems.append(problem)
            elif (finding.id is not None and "/" not in target and not _earlier(parts[target], parts[finding.id])
                  and not _before(parts[finding.id][1], record.date)):
                # (a part dated before its review is reported once, below, not again here)
                (target_part, target_date, _), (own_part, own_date, _) = parts[target], parts[finding.id]
                problems.append(file.problem(
                    at,
                    f"`{target}` is not in an earlier document: it is in the {target_part} of {target_date}, "
                    f"this finding in the {own_part} of {own_date}",
                    "`addresses` names findings of earlier documents: put it on the later finding"))
            elif kind is not None and kind != "offer" and not asks_for_change(kind):
                asking = ", ".join(KINDS[k].counted_plural for k in ASKS_FOR_CHANGE)
                problems.append(file.problem(at, f"`{target}` is a {KINDS[kind].counted}, which asks for no change",
                                             f"addresses names what a finding responds to: {asking}"))
        if finding.source is not None and finding.source not in source_ids:
            problems.append(file.problem((*loc, "source"), f"unknown source `{finding.source}`",
                                         did_you_mean(finding.source, source_ids)))

    paragraphs = dict(_paragraphs(record))
    for loc, finding in _findings(record):
        if finding.lead_in is not None and finding.lead_in.text in paragraphs:
            problems.append(file.problem((*loc, "lead_in"), "this lead-in is also printed as a paragraph, at "
                                         f"{field_path(paragraphs[finding.lead_in.text])}",
                                         "write it once: keep it as the lead_in and remove the paragraph"))

    for list_loc, items in _finding_lists(record):
        for found in introduced_lists(items):
            if found.count > found.available:
                same = ("finding of the same kind and group follows it" if found.available == 2
                        else "findings of the same kind and group follow it")
                problems.append(file.problem(
                    (*list_loc, found.start, "lead_in", "items"),
                    f"the lead-in introduces {found.count} findings, but only {found.available - 1} {same}",
                    "count this finding and the ones after it that the sentence introduces"))
        numbers: dict[str, int] = {}
        for i, finding in enumerate(items):
            if finding.number is None:
                continue
            key = f"{finding.kind}:{finding.group}:{finding.number}"  # lists under other headings restart
            if key in numbers:
                problems.append(file.problem((*list_loc, i, "number"),
                                             f"number {finding.number!r} is used twice in this list of findings",
                                             f"first at {field_path((*list_loc, numbers[key]))}"))
            numbers.setdefault(key, i)

    if isinstance(record, ContextDocument):
        ref("authority", record.authority, ("authority",))
        return problems

    if _before(record.end_date, record.date):
        problems.append(file.problem(("end_date",), f"end_date {record.end_date} is before date {record.date}",
                                     "a range must end on or after the day it starts"))
    ref("authority", record.host, ("host",))
    ref("programme", record.programme, ("programme",))
    for i, reviewer in enumerate(record.reviewers):
        ref("authority", reviewer, ("reviewers", i))
        if reviewer is not None and reviewer == record.host:
            problems.append(file.problem(("reviewers", i), "the host cannot review itself"))
    for i, person in enumerate(record.team):
        ref("authority", person.authority, ("team", i, "authority"))
    for i, offer in enumerate(record.offers):
        ref("authority", offer.authority, ("offers", i, "authority"))
        for j, theme in enumerate(offer.themes):
            ref("theme", theme, ("offers", i, "themes", j))
    for kind, visits in (("follow-up", record.follow_ups), ("response", record.responses)):
        key = "follow_ups" if kind == "follow-up" else "responses"
        for i, visit in enumerate(visits):
            if _before(visit.date, record.date):
                problems.append(file.problem((key, i, "date"),
                                             f"{kind} dated {visit.date}, before the review ({record.date})"))
            for j, source in enumerate(visit.sources):
                if source is not None and source not in source_ids:
                    problems.append(file.problem((key, i, "sources", j), f"unknown source `{source}`",
                                                 did_you_mean(source, source_ids) or "name a source id from this file"))
        if kind == "follow-up":
            for i, visit in enumerate(record.follow_ups):
                for j, person in enumerate(visit.visitors):
                    ref("authority", person.authority, ("follow_ups", i, "visitors", j, "authority"))
    return problems


def _check_page_ids(file: LoadedFile, problems: list[Problem], record: Review | ContextDocument,
                    findings: list[tuple[Loc, Finding]]) -> None:
    """Every HTML id the record puts on its page, unique: findings, offers, follow-ups,
    responses and `source-<id>` anchors all share one page (section ids give way to them)."""
    ids = [(f.id, loc + ("id",)) for loc, f in findings]
    if isinstance(record, Review):
        ids += [(o.id, ("offers", i, "id")) for i, o in enumerate(record.offers)]
        ids += [(f.id, ("follow_ups", i, "id")) for i, f in enumerate(record.follow_ups)]
        ids += [(r.id, ("responses", i, "id")) for i, r in enumerate(record.responses)]
    ids += [(urls.source_anchor(s.id), ("sources", i, "id")) for i, s in enumerate(record.sources) if s.id]
    seen: dict[str, Loc] = {}
    for value, loc in ids:
        if value is None:  # failed its own check, reported already
            continue
        first = seen.setdefault(value, loc)
        if first is loc:
            continue
        line = file.position(first)[0]
        if loc[0] == "sources":
            problems.append(file.problem(
                loc, f"source `{value.removeprefix('source-')}` would give its page the HTML id `{value}` twice",
                f"{field_path(first[:-1])} at line {line} has it already; rename one of them"))
        else:
            problems.append(file.problem(loc, f"duplicate anchor id `{value}` in this file",
                                         f"first used at line {line}"))


def _part(record: Review | ContextDocument, loc: Loc) -> tuple[str, str, Loc]:
    """The part of its document a finding sits in (in words), that part's date, and where it is."""
    if isinstance(record, Review) and loc[0] == "follow_ups":
        return "follow-up", record.follow_ups[int(loc[1])].date, loc[:2]
    if isinstance(record, Review) and loc[0] == "responses":
        return "response", record.responses[int(loc[1])].date, loc[:2]
    return ("review" if isinstance(record, Review) else "context document"), record.date, ()


def _earlier(target: tuple[str, str, Loc], own: tuple[str, str, Loc]) -> bool:
    """Whether an addressed finding's part is another, dated on or before the addressing one's
    (a response may go to committee on the day of the review it answers)."""
    return target[2] != own[2] and not _before(own[1], target[1])


def _before(later: str | None, earlier: str | None) -> bool:
    """`certainly_before`, False when either date is missing (a record that failed its schema)."""
    return later is not None and earlier is not None and certainly_before(later, earlier)


def _address_problem(file: LoadedFile, archive: Archive, failed: set[str], record: Review | ContextDocument,
                     finding: Finding, target: str, loc: Loc, own: tuple[str, str, Loc] | None,
                     ) -> tuple[Problem | None, str | None]:
    """Whether an `addresses` entry names a finding, of this file or another (which must be
    dated on or before the addressing finding's part, `own`), and the kind of what it names."""
    document_id, target_id = resolve_ref(target, record.id)
    if document_id == record.id:
        if target_id == finding.id:
            return file.problem(loc, "a finding cannot address itself"), None
        document: Review | ContextDocument | None = record
        hint = "name a finding id from this file"
    else:
        document = archive.reviews.get(document_id) or archive.context_documents.get(document_id)
        if document is None:
            if document_id in failed:
                return None, None
            return file.problem(loc, f"unknown review or context document `{document_id}`",
                                did_you_mean(document_id, [*archive.reviews, *archive.context_documents])
                                or "write `<document-id>/<finding-id>`, e.g. `thurrock-2016/recommendation-1-1`"), None
        hint = f"name a finding id from {document_id}"
    found: dict[str, tuple[str, Loc]] = {f.id: (f.kind, where) for where, f in _findings(document) if f.id is not None}
    if document is record and isinstance(record, Review):  # a response may answer an offer of support, too
        found.update({o.id: ("offer", ("offers", i)) for i, o in enumerate(record.offers) if o.id is not None})
        hint = "name a finding or offer id from this file"
    if target_id not in found:
        return file.problem(loc, f"unknown finding `{target}`", did_you_mean(target_id, found) or hint), None
    kind, where = found[target_id]
    if document is not record:
        target_part, target_date, _ = _part(document, where)
        if own is not None and _before(own[1], target_date):
            return file.problem(loc, f"`{target}` is not in an earlier document: it is in the {target_part} of "
                                f"{target_date}, this finding in the {own[0]} of {own[1]}",
                                "`addresses` names findings of earlier documents: put it on the later finding"), kind
    return None, kind


def _unique(file: LoadedFile, problems: list[Problem], kind: str, items: list[tuple[str | None, Loc]]) -> set[str]:
    seen: dict[str, Loc] = {}
    for value, loc in items:
        if value is None:
            continue
        if value in seen:
            problems.append(file.problem(loc, f"duplicate {kind} id `{value}` in this file",
                                         f"first used at line {file.position(seen[value])[0]}"))
        else:
            seen[value] = loc
    return set(seen)


def _ids(file: LoadedFile) -> Iterator[tuple[str | None, Loc]]:
    """Every id a file gives (its own, its entries', its findings' and anchors'), with its place."""
    record = file.record
    for key in ("authorities", "themes", "programmes"):
        for i, item in enumerate(getattr(record, key, None) or ()):
            yield item.id, (key, i, "id")
    if not isinstance(record, Review | ContextDocument):
        return
    yield record.id, ("id",)
    for i, source in enumerate(record.sources):
        yield source.id, ("sources", i, "id")
    for loc, finding in _findings(record):
        yield finding.id, (*loc, "id")
    if isinstance(record, Review):
        for key in ("offers", "follow_ups", "responses"):
            for i, item in enumerate(getattr(record, key)):
                yield item.id, (key, i, "id")


def _addressed_documents(record: object, archive: Archive) -> tuple[object, ...]:
    """The other documents a record's `addresses` name, as they are now (the cross-checks read
    their findings and dates)."""
    if not isinstance(record, Review | ContextDocument):
        return ()
    named = {resolve_ref(target, record.id)[0] for _, finding in _findings(record)
             for target in finding.addresses if target is not None and "/" in target}
    return tuple((d, archive.reviews.get(d) or archive.context_documents.get(d)) for d in sorted(named))


def _reserved_ids(file: LoadedFile) -> list[Problem]:
    """Ids become HTML ids: none may be one the site's own markup or scripts use."""
    return [file.problem(loc, f"`{value}` is an id the site itself uses",
                         f"choose another id; ids starting with `{RESERVED_PREFIX}` and the ids "
                         "listed on the record-format page are reserved")
            for value, loc in _ids(file) if reserved(value)]


def _finding_lists(record: Review | ContextDocument) -> Iterator[tuple[Loc, list[Finding]]]:
    yield ("findings",), record.findings
    if isinstance(record, Review):
        for i, visit in enumerate(record.follow_ups):
            yield ("follow_ups", i, "findings"), visit.findings
        for i, response in enumerate(record.responses):
            yield ("responses", i, "findings"), response.findings


def _paragraphs(record: Review | ContextDocument) -> Iterator[tuple[str, Loc]]:
    """Every paragraph of prose a document prints outside its findings, with where it is."""
    parts: list[tuple[Loc, list[str]]] = [(("summary",), record.summary)]
    parts += [(("sections", i, "paragraphs"), s.paragraphs) for i, s in enumerate(record.sections)]
    if isinstance(record, Review):
        parts.append((("context",), record.context))
        for i, visit in enumerate(record.follow_ups):
            parts += [(("follow_ups", i, "summary"), visit.summary),
                      (("follow_ups", i, "conclusion"), visit.conclusion)]
        parts += [(("responses", i, "summary"), r.summary) for i, r in enumerate(record.responses)]
    for loc, texts in parts:
        for j, text in enumerate(texts):
            yield text, (*loc, j)


def _findings(record: Review | ContextDocument) -> Iterator[tuple[Loc, Finding]]:
    for list_loc, items in _finding_lists(record):
        for i, finding in enumerate(items):
            yield (*list_loc, i), finding


def load_archive(
    records_dir: Path, display_root: Path | None = None, cache: RecordCache | None = None
) -> Archive:
    """Load, validate and cross-check every record; raise `ArchiveError` listing all problems.

    With a `cache` (kept by the plugin across `mkdocs serve` rebuilds), unchanged files
    are not parsed or validated again; the result and the problems are the same.
    """
    loaded, problems = read_records(Path(records_dir), display_root, cache)
    archive, cross_problems = assemble(loaded, Path(records_dir), cache)
    problems += cross_problems
    if problems:
        raise ArchiveError(problems)
    return archive


def check(records_dir: Path, display_root: Path | None = None) -> list[Problem]:
    """Every problem in the records, sorted; empty when they are clean."""
    return survey(records_dir, display_root).problems


@dataclass(frozen=True)
class Survey:
    """What `pra check` reports: every problem (sorted), the drafts it checked, and how many
    evidence locations it verified against how many source documents."""

    problems: list[Problem]
    drafts: list[str]  # the files marked `draft: true`
    evidence_checked: int
    source_documents: int


def survey(records_dir: Path, display_root: Path | None = None) -> Survey:
    """Every problem in the records, the files marked `draft: true` (checked too), and the evidence checked."""
    loaded, problems = read_records(Path(records_dir), display_root)
    archive, cross_problems = assemble(loaded, Path(records_dir))
    drafts = [file.display for file in loaded if _is_draft(file)]
    return Survey(sorted(problems + cross_problems), sorted(drafts), archive.evidence_checked, len(archive.documents))


def _is_draft(file: LoadedFile) -> bool:
    """Marked `draft: true`; a file too broken to validate is read again, with the same
    bounded, plain-data reader, for the mark alone."""
    if file.record is not None and not file.partial:
        return bool(getattr(file.record, "draft", False))
    raw = read_record_bytes(file.path, file.root or file.path.parent)
    if not isinstance(raw, bytes):
        return False
    read = read_yaml(file.display, raw)
    return isinstance(read, tuple) and isinstance(read[0], dict) and read[0].get("draft") is True
