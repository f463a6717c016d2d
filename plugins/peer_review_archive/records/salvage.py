"""What is still valid in a record that failed its schema: so that one run reports every problem.

A record with one bad field is still checked for its references (an unknown authority is
reported in the same run as a missing `text`), and a registry with one bad entry still
registers every id in it (one typo in a theme must not make every reference to every theme
"unknown"). So each field is validated on its own: a field that fails becomes None (a
list, empty), and a list keeps its length, so that every index still names the entry the
editor wrote. The result is built without validation (`model_construct`) and is only ever
read by the cross-record checks, never published: a file with problems fails the build.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError


def salvage(model: type[BaseModel], data: Any) -> BaseModel:
    """`model` from `data`, keeping every field that is valid on its own; the others None or []."""
    if isinstance(data, dict):
        try:
            return model.model_validate(data)
        except ValidationError:
            pass
    else:
        data = {}
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in data:
            values[name] = _field(model, name, data[name])
        elif not info.is_required():
            values[name] = info.get_default(call_default_factory=True)
        else:
            values[name] = [] if _list_item(info.annotation) is not None else None
    return model.model_construct(**values)


def _field(model: type[BaseModel], name: str, value: Any) -> Any:
    annotation = model.model_fields[name].annotation
    item = _list_item(annotation)
    if item is not None:
        if not isinstance(value, list):
            return []
        item_model = _model_of(item)
        if item_model is not None:
            return [salvage(item_model, entry) for entry in value]
        return [_valid_or_none(_adapter(model, item), entry) for entry in value]
    inner = _model_of(annotation)
    if inner is not None:
        return salvage(inner, value) if isinstance(value, dict) else None
    return _valid_or_none(_field_adapter(model, name), value)


def _valid_or_none(adapter: TypeAdapter[Any], value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


def _config(model: type[BaseModel]) -> ConfigDict:
    return ConfigDict(str_strip_whitespace=bool(model.model_config.get("str_strip_whitespace")))


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation, config=_config(model))


@functools.cache
def _adapter(model: type[BaseModel], annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation, config=_config(model))


def _list_item(annotation: Any) -> Any:
    """X for list[X] (or list[X] | None); None for anything else."""
    for candidate in _alternatives(annotation):
        if typing.get_origin(candidate) is list:
            return typing.get_args(candidate)[0]
    return None


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """X for a model X (or X | None); None for anything else."""
    for candidate in _alternatives(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _alternatives(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)
