"""A national-scale archive of the real records, cloned: real text at the generated scale.

The generated archive's prose comes from a small vocabulary in sentences of 20-60 words;
the budgets must hold for the text editors really transcribe, too (longer findings, long
context documents, tables of figures). This clones every real review and context document
in `reviews/` in turn, under new ids, with hosts drawn in turns from the same 150
authorities as the generated archive (`generate.councils`), until there are `reviews`
reviews. What an editor wrote stays as written: every text field, finding, number, group,
offer, source and response. Only these change, the same way throughout one clone:

- the ids of the review (`<host>-<year>`) and the authorities it names (host, reviewers,
  team, visitors, offers, sources), each real one given a distinct generated authority;
- the years, all shifted by one number per clone (so dates keep their order and precision);
- people's names, replaced with invented ones (a real officer is never put on a review
  they did not take part in), and the host's name in titles;
- `related_reviews`, pointed at the newest clone of the review they named (or dropped),
  and the programme, kept only where the new host's region has one.

    python -m benchmarks.clones --out /tmp/clones/reviews          # 1,000 reviews
    python -m benchmarks.clones --reviews 250 --out DIR

Importable: `clone_archive(out, reviews=...)`; its output passes `pra check`.
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from .generate import (
    _FIRST,
    _LAST,
    _PROGRAMME_OF_REGION,
    DEFAULT_SEED,
    NATIONAL,
    REAL_RECORDS,
    Council,
    Generated,
    _write,
    write_registries,
)

_AUTHORITY_KEYS = ("host", "authority")  # a single authority id
_DATE_KEYS = ("date", "end_date")


def _real(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The real reviews and context documents, in file-name order."""

    def read(path: Path) -> dict[str, Any]:
        return _without_evidence(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))

    registries = {"authorities.yml", "themes.yml", "programmes.yml", "sources.yml"}
    reviews = [read(p) for p in sorted(folder.glob("*.yml")) if p.name not in registries]
    context = [read(p) for p in sorted((folder / "context").glob("*.yml"))]
    return reviews, context


def _without_evidence(value: Any) -> Any:
    """The record without evidence locations or its sources' `document`: a clone's words are
    changed (names, years) and its folder holds no source texts, so none would verify."""
    if isinstance(value, dict):
        return {k: _without_evidence(v) for k, v in value.items() if k not in ("evidence", "document")}
    if isinstance(value, list):
        return [_without_evidence(v) for v in value]
    return value


def _strings(value: Any) -> Any:
    """YAML dates as the ISO strings the record format has (in case one is unquoted)."""
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _authorities_named(record: dict[str, Any]) -> list[str]:
    """Every authority id a record names, in the order it first names them."""
    found: list[str] = []

    def walk(value: Any, key: str | None = None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in (*_AUTHORITY_KEYS, "reviewers") and value not in found:
            found.append(value)

    walk(record)
    return found


def _shift(date: str, years: int) -> str:
    year, rest = int(date[:4]) + years, date[4:]
    if rest == "-02-29" and not calendar.isleap(year):
        rest = "-02-28"
    return f"{year}{rest}"


class _Cloner:
    """One clone of one record: maps authorities, years and names as it copies."""

    def __init__(self, rng: random.Random, authorities: dict[str, str], years: int, real_names: set[str]) -> None:
        self.rng, self.authorities, self.years, self.real_names = rng, authorities, years, real_names
        self.names: dict[str, str] = {}

    def copy(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: self.copy(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.copy(v, key) for v in value]
        if not isinstance(value, str):
            return value
        if key in (*_AUTHORITY_KEYS, "reviewers"):
            return self.authorities[value]
        if key in _DATE_KEYS:
            return _shift(value, self.years)
        if key == "name":
            while value not in self.names:  # invented, and never a real person's name
                name = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"
                if name not in self.real_names:
                    self.names[value] = name
            return self.names[value]
        return value


def clone_archive(
    out: Path,
    *,
    authorities: int = NATIONAL["authorities"],
    reviews: int = NATIONAL["reviews"],
    context_documents: int | None = None,
    seed: int = DEFAULT_SEED,
    real: Path = REAL_RECORDS,
) -> Generated:
    """Write a records folder (`out`, like `reviews/`) of clones of the real records.

    Context documents: by default one clone per 200 reviews (the real archive has one
    context document to five reviews, but it is a long one: 130 findings). The same
    arguments always write the same bytes; `out` is emptied first.
    """
    real_reviews, real_context = _real(real)
    if not real_reviews:
        raise ValueError(f"no review records in {real}")
    names = {a["id"]: a["name"] for a in yaml.safe_load((real / "authorities.yml").read_text())["authorities"]}
    real_names = set(_people(real_reviews + real_context))
    out = Path(out)
    people = write_registries(out, authorities)
    by_region: dict[str, list[Council]] = {}
    for council in people:
        by_region.setdefault(council.region, []).append(council)
    rng = random.Random(seed)
    hosts = [people[i % authorities] for i in range(reviews)]
    rng.shuffle(hosts)

    taken: set[str] = set()
    newest: dict[str, str] = {}  # real review id -> the id of its newest clone
    findings = 0

    def unique(base: str) -> str:
        made, suffix = base, 2
        while made in taken:
            made, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(made)
        return made

    def cloner(local: random.Random, record: dict[str, Any], home: Council, home_key: str) -> _Cloner:
        others = [a for a in _authorities_named(record) if a != record[home_key]]
        region = [c for c in by_region[home.region] if c.id != home.id]
        pool = region if len(region) >= len(others) else [c for c in people if c.id != home.id]
        mapping = {record[home_key]: home.id} | dict(zip(others, (c.id for c in local.sample(pool, len(others))),
                                                         strict=True))
        return _Cloner(local, mapping, local.randint(-2, 8), real_names)

    def related(record: dict[str, Any]) -> list[str]:
        return [newest[r] for r in record.get("related_reviews", []) if r in newest]

    for index, host in enumerate(hosts):
        original = real_reviews[index % len(real_reviews)]
        local = random.Random(f"{seed}:clone:{index}")
        copier = cloner(local, original, host, "host")
        record = copier.copy(original)
        record["id"] = unique(f"{host.id}-{record['date'][:4]}")
        old_name = names.get(original["host"], original["host"])
        record["title"] = original["title"].replace(old_name, host.name)
        if "programme" in record:
            programme = _PROGRAMME_OF_REGION.get(host.region)
            if programme:
                record["programme"] = programme
            else:
                del record["programme"]
        links = related(original)
        if links:
            record["related_reviews"] = links
        else:
            record.pop("related_reviews", None)
        findings += _count_findings(record)
        newest[original["id"]] = record["id"]
        _write(out / f"{record['id']}.yml", "../schema/review.schema.json", record)

    n_context = context_documents if context_documents is not None else max(1, reviews // 200)
    for index in range(n_context if real_context else 0):
        original = real_context[index % len(real_context)]
        council = people[(index * 7) % authorities]
        local = random.Random(f"{seed}:clone-context:{index}")
        copier = cloner(local, original, council, "authority")
        record = copier.copy(original)
        old_prefix = f"{original['authority']}-"
        rest = original["id"][len(old_prefix):] if original["id"].startswith(old_prefix) else original["id"]
        record["id"] = unique(f"{council.id}-{rest}")
        links = related(original)
        if links:
            record["related_reviews"] = links
        else:
            record.pop("related_reviews", None)
        findings += _count_findings(record)
        _write(out / "context" / f"{record['id']}.yml", "../../schema/context-document.schema.json", record)
    return Generated(out, authorities, reviews, n_context if real_context else 0, findings)


def _people(records: list[dict[str, Any]]) -> list[str]:
    """Every person's name the real records give (under any `name` key but authorities')."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "name" and isinstance(v, str):
                    found.append(v)
                else:
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for record in records:
        walk(record)
    return found


def _count_findings(record: dict[str, Any]) -> int:
    visits = record.get("follow_ups", []) + record.get("responses", [])
    return len(record.get("findings", [])) + sum(len(v.get("findings", [])) for v in visits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="records folder to write (emptied first)")
    parser.add_argument("--authorities", type=int, default=NATIONAL["authorities"])
    parser.add_argument("--reviews", type=int, default=NATIONAL["reviews"])
    parser.add_argument("--context-documents", type=int, help="default: one per 200 reviews")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    made = clone_archive(args.out, authorities=args.authorities, reviews=args.reviews,
                         context_documents=args.context_documents, seed=args.seed)
    print(f"{made.records}: {made.authorities} authorities, {made.reviews} reviews, "
          f"{made.context_documents} context documents, {made.findings} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
