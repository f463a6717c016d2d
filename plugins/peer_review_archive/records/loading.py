"""Read every record file in `reviews/` and check it against its schema, with positions.

Each file on its own: checks across files are `assembly.py`'s. YAML is read with the
safe loader only; positions come from its node tree, found again only to report a problem.
"""

from __future__ import annotations

import copy
import hashlib
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
from .problems import Loc, Problem, did_you_mean, field_path

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
    partial: bool = False  # the record failed its schema; only its valid fields were kept

    def position(self, loc: Loc) -> tuple[int, int]:
        """The line and column of `loc`, or of its nearest enclosing field that exists."""
        if self.positions is None:
            self.positions = _file_positions(self.path)
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, hint: str = "") -> Problem:
        line, column = self.position(loc)
        return Problem(self.display, line, column, field_path(loc), message, hint)


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, but a repeated key is an error instead of silently overwriting."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found the key {key!r} twice (first on line {seen[key].start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


class _FastUniqueKeyLoader(getattr(yaml, "CSafeLoader", _UniqueKeyLoader)):  # type: ignore[misc]
    """The same rules on libyaml's parser (about 10x faster, when PyYAML has it).

    Used for files that parse; a file with any YAML error is parsed again by
    `_UniqueKeyLoader`, so that its message and position are PyYAML's, as always.
    """


for _loader in (_UniqueKeyLoader, _FastUniqueKeyLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    # Dates stay strings: the record format allows years and months, and 2016-02-30 must be
    # reported as an impossible date by the validator, not as a YAML error.
    _loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _parse(text: str, loader_class: type) -> tuple[yaml.Node | None, Any]:
    """Compose the node tree once and build the data from it: one parse, not two."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _positions(node: yaml.Node, loc: Loc = ()) -> dict[Loc, tuple[int, int]]:
    """Map each field path to the 1-based line and column where it is written."""
    found = {loc: (node.start_mark.line + 1, node.start_mark.column + 1)}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*loc, key_node.value)
            found.update(_positions(value_node, child))
            found[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.update(_positions(item, (*loc, index)))
    return found


def _file_positions(path: Path) -> dict[Loc, tuple[int, int]]:
    """Where each field of a file that parsed is written (the file is read again)."""
    text = path.read_text(encoding="utf-8")
    try:
        node, _ = _parse(text, _FastUniqueKeyLoader)
    except yaml.YAMLError:
        node, _ = _parse(text, _UniqueKeyLoader)
    return _positions(node) if node is not None else {}


def _read_yaml(path: Path, display: str, raw: bytes | None = None) -> Any | Problem:
    """The file's data, or the problem that stops it being read."""
    try:
        text = (raw if raw is not None else path.read_bytes()).decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(display, 1, 1, "", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
    try:
        try:
            node, data = _parse(text, _FastUniqueKeyLoader)
        except yaml.YAMLError:
            node, data = _parse(text, _UniqueKeyLoader)  # PyYAML's own message and position
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return Problem(display, line, column, "", f"YAML syntax error: {message}",
                       "check indentation, and quote text that contains ': ' or starts with a symbol")
    except yaml.YAMLError as exc:
        return Problem(display, 1, 1, "", f"YAML error: {exc}")
    if node is None:
        return Problem(display, 1, 1, "", "the file is empty", "every record file holds one mapping")
    return data


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
            message = f"{value!r} is not one of the allowed values"
            choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
            hint = did_you_mean(value, choices) or f"allowed: {expected}"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("date", "end_date"):
            message = f"{value!r} is not an ISO date, month or year"
            hint = "write 2016-06-28, 2016-06 or 2016"
        elif kind == "string_pattern_mismatch":
            message = f"{value!r} is not a lowercase slug"
            hint = "use letters a-z, digits and hyphens, e.g. `bedford-borough`"
        elif kind == "too_short":
            message = "needs at least one item"
            hint = "see the record-format page for what belongs here"
        elif kind == "value_error":
            message = str(item["msg"]).removeprefix("Value error, ")
        else:
            message = f"{item['msg']}" + (f" (got {value!r})" if not isinstance(value, dict | list) else "")
        problems.append(loaded.problem(loc, message, hint))
    return problems


def _without_bad_fields(model: type[Record], data: dict, error: ValidationError) -> Record | None:
    """The record minus every field that failed, if what is left is valid; else None."""
    pruned = copy.deepcopy(data)
    for item in error.errors():
        if not item["loc"]:
            continue
        *parents, last = item["loc"]
        holder: Any = pruned
        for part in parents:
            try:
                holder = holder[part]
            except (KeyError, IndexError, TypeError):
                holder = None
                break
        if isinstance(holder, dict):
            holder.pop(last, None)
    try:
        return model.model_validate(pruned)
    except ValidationError:
        return None


def _record_files(records_dir: Path) -> list[tuple[Path, type[Record]]]:
    """Every record file and the model it must match, in a stable order."""
    files: list[tuple[Path, type[Record]]] = []
    for path in sorted(records_dir.iterdir()):
        if path.is_dir() or path.suffix not in (".yml", ".yaml"):
            continue
        files.append((path, REGISTRIES.get(path.name, Review)))
    context_dir = records_dir / CONTEXT_FOLDER
    if context_dir.is_dir():
        files += [
            (path, ContextDocument)
            for path in sorted(context_dir.iterdir())
            if path.suffix in (".yml", ".yaml")
        ]
    return files


class RecordCache:
    """Each file's parse and schema check, kept across loads (`mkdocs serve`) by content.

    A file whose bytes are unchanged gives back the same `LoadedFile` and problems, so
    a rebuild after editing one record parses and validates only that record. Checks
    across records (`checks.link`) always run again over every file.
    """

    def __init__(self) -> None:
        self.entries: dict[tuple[Path, str], tuple[bytes, LoadedFile | None, list[Problem]]] = {}

    def get(self, path: Path, display: str, raw: bytes) -> tuple[LoadedFile | None, list[Problem]] | None:
        entry = self.entries.get((path, display))
        if entry is None or entry[0] != hashlib.blake2b(raw, digest_size=16).digest():
            return None
        return entry[1], entry[2]

    def put(self, path: Path, display: str, raw: bytes, file: LoadedFile | None, problems: list[Problem]) -> None:
        self.entries[(path, display)] = (hashlib.blake2b(raw, digest_size=16).digest(), file, problems)

    def digests(self) -> dict[Path, bytes]:
        """Each cached file's content digest, by path: page keys are built from these."""
        return {path: entry[0] for (path, _), entry in self.entries.items()}

    def keep_only(self, seen: set[tuple[Path, str]]) -> None:
        for key in set(self.entries) - seen:
            del self.entries[key]


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
    read), so that references to it are not reported a second time as unknown.
    """
    display_root = display_root or records_dir.parent
    loaded: list[LoadedFile] = []
    problems: list[Problem] = []
    if not records_dir.is_dir():
        return [], [Problem(str(records_dir), 1, 1, "", "records folder not found")]
    seen: set[tuple[Path, str]] = set()
    for name in REGISTRIES:
        if name not in OPTIONAL_REGISTRIES and not (records_dir / name).is_file():
            hint = "every archive needs authorities, themes and programmes"
            display = _display(records_dir / name, display_root)
            problems.append(Problem(display, 1, 1, "", "registry file not found", hint))
    for path, model in _record_files(records_dir):
        try:
            display = str(path.relative_to(display_root))
        except ValueError:
            display = str(path)
        raw = path.read_bytes()
        seen.add((path, display))
        cached = cache.get(path, display, raw) if cache is not None else None
        if cached is None:
            cached = _read_file(path, display, model, raw)
            if cache is not None:
                cache.put(path, display, raw, *cached)
        file, file_problems = cached
        problems += file_problems
        if file is not None:
            loaded.append(file)
    if cache is not None:
        cache.keep_only(seen)
    return loaded, problems


def _read_file(path: Path, display: str, model: type[Record], raw: bytes) -> tuple[LoadedFile | None, list[Problem]]:
    """One file, parsed and schema-checked: what `read_records` keeps of it, and its problems."""
    result = _read_yaml(path, display, raw)
    if isinstance(result, Problem):
        return LoadedFile(path, display, None, {}, partial=True), [result]
    holder = LoadedFile(path, display, None)
    if not isinstance(result, dict):
        return None, [holder.problem((), "a record file must hold a mapping of fields")]
    try:
        holder.record = model.model_validate(result)
    except ValidationError as exc:
        problems = _validation_problems(holder, model, exc)
        # Still check this file's references, so one run reports every problem:
        # without the bad fields, the rest of the record may validate.
        holder.record = _without_bad_fields(model, result, exc)
        holder.partial = True
        return holder, problems
    return holder, []
