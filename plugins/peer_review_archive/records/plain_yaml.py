"""Plain, bounded YAML: what a record may be written in, read so that no input can hang or exhaust us.

Records are plain data: mappings, lists, text, numbers, booleans and null. A pull request
is untrusted input, so every YAML feature beyond that is refused where it is written,
before any value is built: anchors and aliases (a 500-byte "billion laughs" file expands to
gigabytes), merge keys, type tags other than the plain scalar ones (`!!set`, `!!binary`,
`!!timestamp`, `!!python/...`), lists or mappings as keys, more than one document. Sizes
are bounded too (`Limits`): the depth of nesting (libyaml's own composer recurses in C and
crashes the process at 100,000 levels), the number of values, the length of a text or a
number. Characters that are not text (control characters other than tab and newline,
surrogates, non-characters, bidirectional overrides) are reported, and the rest of the file
is still checked.

The data is built here straight from the parser's events, in a loop: no node tree, no
recursion on the input's depth, and the checks cost next to nothing. The parser is
libyaml's when PyYAML has it (fast), else PyYAML's own; both give the same events.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

Loc = tuple[str | int, ...]
_YAML = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT, MERGE = (_YAML + name for name in ("str", "null", "bool", "int", "float", "merge"))
PLAIN_HINT = "records are plain YAML: write the value out as text, a list or a mapping"


@dataclass(frozen=True)
class Limits:
    """The bounds on one record file, documented in content/record-format.md."""

    file_bytes: int = 1_048_576  # 1 MiB; the largest real record is 58 kB
    depth: int = 8  # lists and mappings inside each other; the format needs 6
    values: int = 200_000  # texts, numbers, lists and mappings in one file
    items: int = 10_000  # entries in one list or mapping
    text_chars: int = 50_000  # characters in one text; the longest real one has 1,609
    number_chars: int = 20  # characters in one number


LIMITS = Limits()


# Not text: control characters but tab and newline, surrogates, non-characters, and the
# bidirectional embeddings and overrides (which can make text read other than it is).
_ASCII_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_BMP_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                           "\u202a-\u202e\u2066-\u2069]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def first_not_text(value: str) -> str | None:
    """The first character of `value` that is not text, if any (fast for ASCII, the usual case)."""
    if value.isascii():
        found = _ASCII_NOT_TEXT.search(value)
        return found.group() if found else None
    found = _BMP_NOT_TEXT.search(value)
    if found:
        return found.group()
    for astral in _ASTRAL.finditer(value):  # the non-characters U+1FFFE, U+1FFFF ... U+10FFFF
        if ord(astral.group()) & 0xFFFE == 0xFFFE:
            return astral.group()
    return None


_CONTROL_NAMES = {0x00: "null", 0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
                  0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete"}


def character_name(char: str) -> str:
    """`U+001B (escape)`: the code point, and a name when there is one."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    elif code & 0xFFFE == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        name = "a non-character"
    else:
        name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "").lower() or "a control character"
    return f"U+{code:04X} ({name})"


class Refused(Exception):
    """The file uses something records may not: reported where it is written; nothing is read."""

    def __init__(self, mark: Any, message: str, hint: str = PLAIN_HINT):
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else 1
        self.column = mark.column + 1 if mark is not None else 1
        self.message = message
        self.hint = hint
        self.loc: Loc = ()


@dataclass(frozen=True)
class TextProblem:
    """A text holding a character that is not text: reported, and the file checked on."""

    loc: Loc
    line: int
    column: int
    message: str
    hint: str = "delete it; write the text as plain characters"


_NO_KEY = object()
EMPTY = object()  # what `load` gives for a file with no document at all


class _Reader:
    """One document's data from a loader's events (see the module's docstring)."""

    def __init__(self, loader: Any, limits: Limits, check_all_text: bool, positions: dict | None):
        self.loader = loader
        self.limits = limits
        self.check_all_text = check_all_text  # False: only double-quoted texts (escapes) need it
        self.positions = positions
        self.text_problems: list[TextProblem] = []
        # One entry per open list or mapping, innermost last.
        self.containers: list[Any] = []
        self.is_map: list[bool] = []
        self.pending: list[Any] = []  # a mapping's key awaiting its value (_NO_KEY: none)
        self.names: list[Any] = []  # the container's key or index in its parent
        self.key_lines: list[dict | None] = []  # a mapping's keys, for repeated ones

    def loc(self, name: Any = _NO_KEY) -> Loc:
        """The field path of the container being read (and of `name` in it)."""
        path = tuple(self.names[1:])
        return path if name is _NO_KEY else (*path, name)

    def here(self, value: str | None = None) -> Loc:
        """The field path of the value about to be added to the innermost container."""
        if not self.containers:
            return ()
        if not self.is_map[-1]:
            return self.loc(len(self.containers[-1]))
        key = self.pending[-1]
        if key is not _NO_KEY:
            return self.loc(key)
        return self.loc(value) if value else self.loc()

    def refuse(self, mark: Any, message: str, hint: str = PLAIN_HINT, value: str | None = None) -> Refused:
        refused = Refused(mark, message, hint)
        refused.loc = self.here(value)
        return refused

    def read(self) -> Any:
        loader, limits, positions = self.loader, self.limits, self.positions
        containers, is_map, pending, names, key_lines = (self.containers, self.is_map, self.pending,
                                                          self.names, self.key_lines)
        resolvers = loader.yaml_implicit_resolvers
        get_event = loader.get_event
        get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return EMPTY
        get_event()  # document start
        root: Any = EMPTY
        count = 0
        while True:
            event = get_event()
            kind = event.__class__
            if kind is yaml.ScalarEvent:
                self._check_event(event)
                count += 1
                value = event.value
                if len(value) > limits.text_chars:
                    raise self.refuse(event.start_mark, f"a text of {len(value):,} characters; "
                                      f"the limit is {limits.text_chars:,}", "split it into paragraphs", value)
                tag = STR
                if event.implicit[0]:  # plain: the resolvers say whether it is text
                    for candidate, pattern in resolvers.get(value[:1], ()):
                        if pattern.match(value):
                            tag = candidate
                            break
                item: Any = value if tag == STR else self._scalar(event, tag)
                if self.check_all_text or event.style == '"':  # escapes, or raw characters YAML lets by
                    bad = first_not_text(value)
                    if bad is not None:
                        self._not_text(event, value, bad)
                mark = event.start_mark
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._check_event(event)
                count += 1
                if count > limits.values:
                    raise self.refuse(event.start_mark, f"the file holds more than {limits.values:,} values",
                                      "split it: see the record-format page for the limits")
                if len(containers) >= limits.depth:
                    raise self.refuse(event.start_mark, f"lists and mappings are nested more than {limits.depth} deep",
                                      "no record needs this depth: see the record-format page")
                if containers:
                    if is_map[-1]:
                        if pending[-1] is _NO_KEY:
                            raise self.refuse(event.start_mark, "a key is a list or a mapping",
                                              "a key is a field name: plain text followed by a colon")
                        name = pending[-1]
                    else:
                        name = len(containers[-1])
                else:
                    name = None
                if positions is not None and not (containers and is_map[-1]):
                    positions[self.loc(name) if containers else ()] = _point(event.start_mark)
                mapping = kind is yaml.MappingStartEvent
                containers.append({} if mapping else [])
                is_map.append(mapping)
                pending.append(_NO_KEY)
                names.append(name)
                key_lines.append({} if mapping else None)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                item = containers.pop()
                is_map.pop()
                pending.pop()
                names.pop()
                key_lines.pop()
                mark = None
                tag = None
            elif kind is yaml.AliasEvent:
                raise self.refuse(event.start_mark, f"an alias (*{event.anchor}) repeats another value",
                                  "write the value out where it is needed: records do not use anchors or aliases")
            elif kind is yaml.DocumentEndEvent:
                break
            else:  # nothing else comes inside a document
                raise self.refuse(event.start_mark, f"unexpected YAML ({kind.__name__})")
            if count > limits.values:
                raise self.refuse(event.start_mark, f"the file holds more than {limits.values:,} values",
                                  "split it: see the record-format page for the limits")
            if not containers:
                root = item
                if positions is not None and mark is not None:
                    positions[()] = _point(mark)
                continue
            parent = containers[-1]
            if len(parent) >= limits.items:
                raise self.refuse(event.start_mark, f"more than {limits.items:,} entries in one list or mapping",
                                  "see the record-format page for the limits")
            if not is_map[-1]:
                if positions is not None and mark is not None:
                    positions[self.loc(len(parent))] = _point(mark)
                parent.append(item)
                continue
            key = pending[-1]
            if key is not _NO_KEY:
                parent[key] = item
                pending[-1] = _NO_KEY
                continue
            # `item` is a key: always a scalar (lists and mappings as keys are refused above)
            if tag == MERGE:
                raise self.refuse(mark, "a merge key (<<) copies another mapping",
                                  "write the fields out: records do not use merge keys")
            seen = key_lines[-1]
            if item in seen:
                raise self.refuse(mark, f"found the key {item!r} twice (first on line {seen[item] + 1})",
                                  "delete one of them", event.value)
            seen[item] = mark.line
            pending[-1] = item
            if positions is not None:
                positions[self.loc(event.value)] = _point(mark)
        if not loader.check_event(yaml.StreamEndEvent):
            raise Refused(loader.peek_event().start_mark, "a second YAML document in the file",
                          "a record file holds one document: remove the `---` line")
        return root

    def _check_event(self, event: Any) -> None:
        if event.anchor is not None:
            raise self.refuse(event.start_mark, f"an anchor (&{event.anchor}) names a value to repeat",
                              "records do not use anchors or aliases: remove it")
        if event.tag is not None:  # even `!!str`: a text is written as text, quoted if need be
            tag = event.tag
            written = "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag
            raise self.refuse(event.start_mark, f"the type tag `{written}` is not allowed", PLAIN_HINT)

    def _scalar(self, event: Any, tag: str) -> Any:
        """A plain scalar that is not text: null, a boolean or a number."""
        value = event.value
        if tag == NULL:
            return None
        if tag == BOOL:
            return self.loader.bool_values[value.lower()]
        if tag in (INT, FLOAT):
            if len(value) > self.limits.number_chars:
                raise self.refuse(event.start_mark, f"a number of {len(value):,} characters",
                                  "quote it if it is text; no number in a record is this long", value)
            node = yaml.ScalarNode(tag, value)
            return self.loader.construct_yaml_int(node) if tag == INT else self.loader.construct_yaml_float(node)
        return value  # `<<` as a value, and anything else: text

    def _not_text(self, event: Any, value: str, bad: str) -> None:
        mark = event.start_mark
        self.text_problems.append(TextProblem(self.here(value), mark.line + 1, mark.column + 1,
                                              f"the text holds {character_name(bad)}, which is not text"))


def _point(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def load(loader: Any, text: str, limits: Limits = LIMITS,
         positions: dict[Loc, tuple[int, int]] | None = None) -> tuple[Any, list[TextProblem]]:
    """The single document's data (`EMPTY` for none) and its text problems, or `Refused`.

    `loader` is a PyYAML loader made over `text`: only its parser's events, its implicit
    resolvers (which decide what a plain scalar is) and its number constructors are used.
    Syntax errors are the parser's own `YAMLError`s. With `positions`, the line and column
    of every field path are put in it too (for reporting problems).
    """
    # YAML's reader refuses raw control characters; raw non-characters and bidi controls
    # get through it, so a file that holds any has every text checked, not just the escaped.
    check_all = not text.isascii() and first_not_text(text) is not None
    reader = _Reader(loader, limits, check_all, positions)
    return reader.read(), reader.text_problems
