"""The published JSON Schema files, generated from the record models so they never drift."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .models import AuthorityRegistry, ContextDocument, ProgrammeRegistry, Review, SourceRegistry, ThemeRegistry

SCHEMAS = {
    "authorities.schema.json": AuthorityRegistry,
    "themes.schema.json": ThemeRegistry,
    "programmes.schema.json": ProgrammeRegistry,
    "sources.schema.json": SourceRegistry,
    "review.schema.json": Review,
    "context-document.schema.json": ContextDocument,
}


def schema_texts() -> dict[str, str]:
    """Each schema file's name and its exact text (stable: sorted keys, trailing newline)."""
    return dict(_schema_texts())


@cache  # the models do not change while a process runs; serve asks on every rebuild
def _schema_texts() -> tuple[tuple[str, str], ...]:
    texts = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": name,
            **schema,
        }
        texts[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return tuple(texts.items())


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
