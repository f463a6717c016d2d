"""Read every record file in `reviews/` and check it against its schema, with positions.

Each file on its own: checks across files are `assembly.py`'s. Only regular files inside
the repository are read, up to a size limit (`read_record_bytes`), and YAML only as plain,
bounded data (`plain_yaml`); positions are found again, by a second read, only to report a
problem. No file that looks like a record is skipped without saying so (`_record_files`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .models import (
    AuthorityRegistry,
    ContextDocument,
    ProgrammeRegistry,
    Record,
    Review,
    SourceRegistry,
    ThemeRegistry,
)
from .plain_yaml import EMPTY, LIMITS, Limits, Refused, TextProblem, character_name, load
from .problems import Loc, Problem, did_you_mean, field_path
from .salvage import salvage

REGISTRIES: dict[str, type[Record]] = {
    "authorities.yml": AuthorityRegistry,
    "themes.yml": ThemeRegistry,
    "programmes.yml": ProgrammeRegistry,
    "sources.yml": SourceRegistry,
}
OPTIONAL_REGISTRIES = {"sources.yml"}  # an archive may hold no source documents
CONTEXT_FOLDER = "context"


@dataclass
class LoadedFile:
    """One record file: where it is, what it says, and where each field sits in it."""

    path: Path
    display: str
    record: Any
    # Field positions are needed only to report a problem: found then, by parsing again
    # (None until first needed), rather than mapped for every field of every file.
    positions: dict[Loc, tuple[int, int]] | None = None
    partial: bool = False  # the record has problems; only its valid fields were kept
    root: Path | None = None  # the repository: the file is read again only from inside it

    def position(self, loc: Loc) -> tuple[int, int]:
        """The line and column of `loc`, or of its nearest enclosing field that exists."""
        if self.positions is None:
            self.positions = _file_positions(self.path, self.root or self.path.parent)
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, hint: str = "") -> Problem:
        line, column = self.position(loc)
        return Problem(self.display, line, column, field_path(loc), message, hint)


class _PurePythonLoader(yaml.SafeLoader):
    """PyYAML's own parser: its messages and positions are the ones editors see for syntax errors."""


class _FastLoader(getattr(yaml, "CSafeLoader", _PurePythonLoader)):  # type: ignore[misc]
    """libyaml's parser (about 10x faster, when PyYAML has it).

    Used for files that parse; a file with any YAML error is parsed again by
    `_PurePythonLoader`, so that its message and position are PyYAML's, as always.
    """


# Plain scalars are only text, numbers, booleans and null: dates stay strings (the record
# format allows years and months, and 2016-02-30 must be reported as an impossible date
# by the validator, not as a YAML error), and `=` is text, not YAML's "value" key.
_NOT_RESOLVED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")
for _loader in (_PurePythonLoader, _FastLoader):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in _NOT_RESOLVED]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _parse(text: str, positions: dict[Loc, tuple[int, int]] | None = None) -> tuple[Any, list[TextProblem]]:
    """The document's data (plain and bounded: `plain_yaml.load`) and its text problems."""
    for loader_class in (_FastLoader, _PurePythonLoader):
        loader = loader_class(text)
        try:
            return load(loader, text, positions=positions)
        except yaml.YAMLError:
            if loader_class is _PurePythonLoader:
                raise  # PyYAML's own message and position
            if positions is not None:
                positions.clear()
        finally:
            loader.dispose()
    raise AssertionError("unreachable")


def _file_positions(path: Path, root: Path) -> dict[Loc, tuple[int, int]]:
    """Where each field of a file that parsed is written (the file is read again)."""
    raw = read_record_bytes(path, root)
    positions: dict[Loc, tuple[int, int]] = {}
    if isinstance(raw, bytes):
        # Changed since it was read, it may no longer parse: the problems keep their field paths.
        with contextlib.suppress(UnicodeDecodeError, yaml.YAMLError, Refused):
            _parse(raw.decode("utf-8"), positions)
    return positions


_SYNTAX_HINT = "check indentation, and quote text that contains ': ' or starts with a symbol"


def read_yaml(display: str, raw: bytes) -> tuple[Any, list[Problem]] | Problem:
    """The file's data and any text problems in it, or the problem that stops it being read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_column(raw[: exc.start].decode("utf-8", "replace"))
        return Problem(display, line, column, "", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
    try:
        data, text_problems = _parse(text)
    except Refused as exc:
        return Problem(display, exc.line, exc.column, field_path(exc.loc), exc.message, exc.hint)
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text[: exc.position])
        return Problem(display, line, column, "", f"the file holds {character_name(chr(exc.character))}"
                       if isinstance(exc.character, int) else f"YAML error: {exc.reason}",
                       "delete it; a record holds only plain text characters")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return Problem(display, line, column, "", f"YAML syntax error: {message}", _SYNTAX_HINT)
    except yaml.YAMLError as exc:
        return Problem(display, 1, 1, "", f"YAML error: {exc}")
    if data is EMPTY:
        return Problem(display, 1, 1, "", "the file is empty", "every record file holds one mapping")
    return data, [Problem(display, p.line, p.column, field_path(p.loc), p.message, p.hint) for p in text_problems]


def _line_column(before: str) -> tuple[int, int]:
    """The 1-based line and column just after `before`, the text that precedes a position."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _shown(value: object) -> str:
    """A value as written, cut short: a message quotes the value, never a whole file's worth."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the field at `loc` (for 'did you mean' on unknown keys)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap list[X], X | None and Annotated[X, ...] down to X."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation


def _validation_problems(
    loaded: LoadedFile, model: type[Record], error: ValidationError
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc: Loc = tuple(item["loc"])
        kind = item["type"]
        value = item.get("input")
        hint = ""
        if kind == "extra_forbidden":
            holder = _model_at(model, loc[:-1])
            allowed = sorted(holder.model_fields) if holder else []
            message = f"unknown field `{loc[-1]}`"
            hint = did_you_mean(loc[-1], allowed) or (
                f"allowed fields: {', '.join(allowed)}" if allowed else ""
            )
        elif kind == "missing":
            message = f"required field `{loc[-1]}` is missing"
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            message = f"{_shown(value)} is not one of the allowed values"
            choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
            hint = did_you_mean(value, choices) or f"allowed: {expected}"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("date", "end_date"):
            message = f"{_shown(value)} is not an ISO date, month or year"
            hint = "write 2016-06-28, 2016-06 or 2016"
        elif kind == "string_pattern_mismatch" and "addresses" in loc:
            message = f"{value!r} is not a finding id"
            hint = "name a finding of this file, e.g. `recommendation-1-1`, or of another as " \
                "`thurrock-2016/recommendation-1-1`"
        elif kind == "string_pattern_mismatch":
            message = f"{_shown(value)} is not a lowercase slug"
            hint = "use letters a-z, digits and hyphens, e.g. `bedford-borough`"
        elif kind == "too_short":
            message = "needs at least one item"
            hint = "see the record-format page for what belongs here"
        elif kind == "value_error":
            message = str(item["msg"]).removeprefix("Value error, ")
        else:
            message = f"{item['msg']}" + (f" (got {_shown(value)})" if not isinstance(value, dict | list) else "")
        problems.append(loaded.problem(loc, message, hint))
    return problems


_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def read_record_bytes(path: Path, root: Path, limits: Limits = LIMITS) -> bytes | tuple[str, str]:
    """The bytes of a record file, or why it may not be read (a message and a hint).

    Only a regular file inside `root` (the repository) is read, and only up to the size
    limit: a link out of the repository, a named pipe (which would block for ever), a
    device (which never ends) or a folder is an error, not something to open.
    """
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                return "a symbolic link to nothing", "point it at a record file in the repository, or delete it"
            except (RuntimeError, OSError):
                return "a symbolic link that loops", "delete it"
            if not target.is_relative_to(root.resolve()):
                return ("a symbolic link to a file outside the repository",
                        "records must be files in the repository: copy the record in")
            info = target.stat()
        else:
            target = path
        if not stat.S_ISREG(info.st_mode):
            what = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            return f"{what}, not a record file", "a record is a regular YAML file: delete or rename this"
        if info.st_size > limits.file_bytes:
            return _too_big(info.st_size, limits)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        descriptor = os.open(target, flags)
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # replaced since it was looked at
                return "not a regular file, not a record file", "a record is a regular YAML file"
            with os.fdopen(descriptor, "rb", closefd=False) as stream:
                # As much as the file holds: asking for the whole limit costs a buffer of that
                # size for every file (30 ms a serve rebuild at national scale).
                want = min(info.st_size, limits.file_bytes) + 1
                raw = stream.read(want)
                if len(raw) == want:  # it grew since it was looked at: read on, up to the limit
                    raw += stream.read(limits.file_bytes + 1 - want)
        finally:
            os.close(descriptor)
    except PermissionError:
        return "the file cannot be read (permission denied)", "make it readable, e.g. chmod a+r"
    except OSError as exc:
        return f"the file cannot be read ({exc.strerror or exc})", ""
    if len(raw) > limits.file_bytes:
        return _too_big(len(raw), limits)
    return raw


def _too_big(size: int, limits: Limits) -> tuple[str, str]:
    return (f"the file is {size:,} bytes; a record file may be at most {limits.file_bytes:,}",
            "split it: see the record-format page for the limits")


def _record_files(records_dir: Path, root: Path) -> tuple[list[tuple[Path, type[Record]]], list[Problem]]:
    """Every record file and the model it must match, in a stable order; and every file
    that looks like a record but will not be read (so that none is skipped silently).

    Records are `*.yml` or `*.yaml` in `reviews/` and `reviews/context/`. Names that
    start with a dot (editors' lock and swap files) are not records and are passed over.
    """
    files: list[tuple[Path, type[Record]]] = []
    problems: list[Problem] = []

    def report(path: Path, message: str, hint: str) -> None:
        problems.append(Problem(_display(path, root), 1, 1, "", message, hint))

    folders: list[tuple[Path, int]] = [(records_dir, 0)]
    while folders:  # a loop, not recursion: a hostile tree may be deep
        folder, depth = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            report(folder, f"the folder cannot be read ({exc.strerror or exc})", "")
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            suffix = path.suffix
            named_like_record = suffix.lower() in (".yml", ".yaml")
            if entry.is_dir(follow_symlinks=False):
                if depth == 0 and entry.name == CONTEXT_FOLDER:
                    folders.append((path, 1))
                elif named_like_record:
                    report(path, "a folder named like a record file", "rename it, or move its files into reviews/")
                else:
                    folders.append((path, depth + 2))  # only to report the records in it
                continue
            if entry.is_symlink() and not named_like_record and path.is_dir():
                report(path, "a symbolic link to a folder: record folders are not followed",
                       "move the records into reviews/ itself")
                continue
            if not named_like_record:
                continue
            if suffix not in (".yml", ".yaml"):
                report(path, f"the extension `{suffix}` is not lowercase, so the record is not read",
                       f"rename it to {path.stem}{suffix.lower()}")
            elif depth > 1:
                report(path, "a record in a subfolder is not read",
                       f"move it to reviews/ (a review) or reviews/{CONTEXT_FOLDER}/ (a context document)")
            elif depth == 1:
                files.append((path, ContextDocument))
            else:
                files.append((path, REGISTRIES.get(entry.name, Review)))
    files.sort(key=lambda item: (item[0].parent != records_dir, str(item[0])))
    return files, problems


class RecordCache:
    """Each file's parse and schema check, kept across loads (`mkdocs serve`) by content.

    A file whose bytes are unchanged gives back the same `LoadedFile` and problems, so
    a rebuild after editing one record parses and validates only that record. Each file's
    checks across records (`assembly.assemble`) are kept too, while the file and what they
    read of the others (the ids of each kind, the documents it addresses) are unchanged.
    """

    def __init__(self) -> None:
        # (digest, file, problems, bytes): the bytes are compared, quicker than hashing them again
        self.entries: dict[tuple[Path, str], tuple[bytes, LoadedFile | None, list[Problem], bytes]] = {}
        self.checked: dict[Path, tuple[LoadedFile, tuple[object, ...], list[Problem]]] = {}

    def get(self, path: Path, display: str, raw: bytes) -> tuple[LoadedFile | None, list[Problem]] | None:
        entry = self.entries.get((path, display))
        if entry is None or entry[3] != raw:
            return None
        return entry[1], entry[2]

    def put(self, path: Path, display: str, raw: bytes, file: LoadedFile | None, problems: list[Problem]) -> None:
        self.entries[(path, display)] = (hashlib.blake2b(raw, digest_size=16).digest(), file, problems, raw)

    def digests(self) -> dict[Path, bytes]:
        """Each cached file's content digest, by path: page keys are built from these."""
        return {path: entry[0] for (path, _), entry in self.entries.items()}

    def keep_only(self, seen: set[tuple[Path, str]]) -> None:
        for key in set(self.entries) - seen:
            del self.entries[key]
        for path in set(self.checked) - {path for path, _ in seen}:
            del self.checked[path]


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_records(
    records_dir: Path, display_root: Path | None = None, cache: RecordCache | None = None
) -> tuple[list[LoadedFile], list[Problem]]:
    """Parse and schema-check every file; return them all and every problem found.

    A file that failed keeps `partial=True` (and `record=None` when nothing of it could be
    read), so that references to it are not reported a second time as unknown. Only files
    inside `display_root` (the repository) are read.
    """
    display_root = display_root or records_dir.parent
    loaded: list[LoadedFile] = []
    if not records_dir.is_dir():
        return [], [Problem(str(records_dir), 1, 1, "", "records folder not found")]
    record_files, problems = _record_files(records_dir, display_root)
    seen: set[tuple[Path, str]] = set()
    for name in REGISTRIES:
        path = records_dir / name
        if name not in OPTIONAL_REGISTRIES and not path.exists() and not path.is_symlink():
            hint = "every archive needs authorities, themes and programmes"
            display = _display(records_dir / name, display_root)
            problems.append(Problem(display, 1, 1, "", "registry file not found", hint))
    for path, model in record_files:
        display = _display(path, display_root)
        raw = read_record_bytes(path, display_root)
        if not isinstance(raw, bytes):
            problems.append(Problem(display, 1, 1, "", *raw))
            loaded.append(LoadedFile(path, display, None, {}, partial=True, root=display_root))
            continue
        seen.add((path, display))
        cached = cache.get(path, display, raw) if cache is not None else None
        if cached is None:
            cached = _read_file(path, display, model, raw, display_root)
            if cache is not None:
                cache.put(path, display, raw, *cached)
        file, file_problems = cached
        problems += file_problems
        if file is not None:
            loaded.append(file)
    if cache is not None:
        cache.keep_only(seen)
    return loaded, problems


class _GivenFields(set[str]):
    """A model's set of given fields, shared by every model given the same fields: read-only."""

    __slots__ = ()

    def _refuse(self, *args: object) -> None:
        raise TypeError("a record's given fields are shared between records: assign to no field")

    add = discard = remove = pop = clear = update = _refuse  # type: ignore[assignment]
    difference_update = intersection_update = symmetric_difference_update = _refuse  # type: ignore[assignment]
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse  # type: ignore[assignment]

    def __copy__(self) -> set[str]:  # `model_copy(update=...)` adds to its copy: a set of its own
        return set(self)

    def __deepcopy__(self, memo: object) -> set[str]:
        return set(self)


_GIVEN: dict[frozenset[str], _GivenFields] = {}


def share_fields_sets(record: Any) -> Any:
    """Give every model in `record` one shared, read-only copy of its set of given fields.

    Pydantic keeps a set of the fields given per model instance, for `exclude_unset`, which
    the archive never uses: at 1,000 reviews those 35,000 sets were 14 MB of the 46 MB the
    records take. Read-only, so that assigning to a field (which would add to the set)
    fails loudly instead of changing other records' sets."""
    if isinstance(record, BaseModel):
        given = frozenset(record.__pydantic_fields_set__)
        shared = _GIVEN.get(given)
        if shared is None:
            shared = _GIVEN[given] = _GivenFields(given)
        object.__setattr__(record, "__pydantic_fields_set__", shared)
        for value in record.__dict__.values():
            share_fields_sets(value)
    elif isinstance(record, (list, tuple)):
        for item in record:
            share_fields_sets(item)
    elif isinstance(record, dict):
        for item in record.values():
            share_fields_sets(item)
    return record


def _read_file(
    path: Path, display: str, model: type[Record], raw: bytes, root: Path
) -> tuple[LoadedFile | None, list[Problem]]:
    """One file, parsed and schema-checked: what `read_records` keeps of it, and its problems."""
    result = read_yaml(display, raw)
    if isinstance(result, Problem):
        return LoadedFile(path, display, None, {}, partial=True, root=root), [result]
    data, problems = result
    holder = LoadedFile(path, display, None, root=root)
    if not isinstance(data, dict):
        return None, [*problems, holder.problem((), "a record file must hold a mapping of fields")]
    try:
        holder.record = share_fields_sets(model.model_validate(data))
    except ValidationError as exc:
        problems += _validation_problems(holder, model, exc)
    if problems:
        # Still check this file's references, so one run reports every problem: every
        # field that is valid on its own is kept (`salvage`).
        if holder.record is None:
            holder.record = salvage(model, data)
        holder.partial = True
    return holder, problems
