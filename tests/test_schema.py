"""The published JSON Schema files match the validator, and validate the real records."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from peer_review_archive.records import models
from peer_review_archive.records.schema import SCHEMAS, schema_texts

ROOT = Path(__file__).parent.parent


def test_published_schemas_are_in_sync_with_the_models():
    for name, text in schema_texts().items():
        published = ROOT / "schema" / name
        assert published.read_text(encoding="utf-8") == text, (
            f"schema/{name} is out of date: run `pra schema` and commit the result"
        )


def test_every_field_is_documented_for_editors():
    page = (ROOT / "content" / "record-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", page))
    classes = [m for m in vars(models).values() if isinstance(m, type) and issubclass(m, models.Record)]
    missing = {f"{m.__name__}.{f}" for m in classes for f in m.model_fields if f not in documented}
    assert not missing, f"fields not explained on the record-format page: {sorted(missing)}"


def test_real_records_pass_the_published_schema():
    """Editors' tools see the same rules: check-jsonschema accepts every real record."""
    assert shutil.which("check-jsonschema"), "check-jsonschema is a test dependency"
    reviews = sorted((ROOT / "reviews").glob("*.yml"))
    registries = [name for name in ("authorities", "themes", "programmes", "sources")
                  if (ROOT / "reviews" / f"{name}.yml").exists()]
    plain = [p for p in reviews if p.stem not in registries]
    for registry in registries:
        run = subprocess.run(["check-jsonschema", "--schemafile", ROOT / "schema" / f"{registry}.schema.json",
                              ROOT / "reviews" / f"{registry}.yml"], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
    context = sorted((ROOT / "reviews" / "context").glob("*.yml"))
    for schema, files in (("review", plain), ("context-document", context)):
        assert files
        run = subprocess.run(["check-jsonschema", "--schemafile", ROOT / "schema" / f"{schema}.schema.json", *files],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_schema_forbids_unknown_keys():
    schema = json.loads(schema_texts()["review.schema.json"])
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values() if d.get("type") == "object")
    assert set(SCHEMAS) == {p.name for p in (ROOT / "schema").glob("*.json")}
    assert yaml  # the records are YAML; the schema describes their parsed form
