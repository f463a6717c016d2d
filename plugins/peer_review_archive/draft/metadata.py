"""What a paper says about itself and its review: title, committee, dates, authorities.

Authorities are matched by name against `reviews/authorities.yml` ("Norfolk County
Council" -> `norfolk`); a name that matches none is proposed as a new entry, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"], 1)}
MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
RANGE_RE = re.compile(rf"\b{DAY}(?:\s*(?:and|&|-|–|to)\s*{DAY})?(?:\s+{MONTH})?(?:\s*(?:and|&|-|–|to)\s*{DAY})?\s+{MONTH}\s+(\d{{4}})\b",  # noqa: E501
                      re.I)
MONTH_YEAR_RE = re.compile(rf"\b{MONTH}\s+(\d{{4}})\b", re.I)
BARE_MONTH_RE = re.compile(rf"\b(?:in|during)\s+{MONTH}\b(?!\s+\d{{4}})", re.I)
YEAR_RE = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
# Common short forms councils use for each other.
ALIASES = {"herts": "hertfordshire", "beds": "bedfordshire", "cambs": "cambridgeshire", "bucks": "buckinghamshire",
           "hants": "hampshire", "notts": "nottinghamshire", "lancs": "lancashire", "leics": "leicestershire",
           "lincs": "lincolnshire", "northants": "northamptonshire", "oxon": "oxfordshire", "wilts": "wiltshire",
           "glos": "gloucestershire", "worcs": "worcestershire", "southend-on-sea": "southend"}
COUNCIL_WORDS = r"(?:County|City|Borough|District|Metropolitan Borough|Unitary)?\s*Council"


@dataclass
class Registry:
    """The archive's authorities and programmes, as names to match."""

    names: dict[str, str] = field(default_factory=dict)  # lowercased name -> id
    regions: dict[str, str | None] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    programmes: list[dict] = field(default_factory=list)
    themes: list[dict] = field(default_factory=list)

    @classmethod
    def load(cls, records: Path) -> Registry:
        registry = cls()
        authorities = _registry(records / "authorities.yml", "authorities")
        for authority in authorities:
            aid = authority["id"]
            registry.display[aid] = authority.get("name", aid)
            registry.regions[aid] = authority.get("region")
            if authority.get("kind") == "group":
                continue
            for name in (authority.get("name"), authority.get("official_name"), aid.replace("-", " ")):
                if name:
                    registry.names[name.lower()] = aid
        for alias, target in ALIASES.items():
            if target in registry.display:
                registry.names.setdefault(alias, target)
        registry.programmes = _registry(records / "programmes.yml", "programmes")
        registry.themes = _registry(records / "themes.yml", "themes")
        return registry

    def pattern(self) -> re.Pattern[str]:
        names = sorted(self.names, key=len, reverse=True)
        return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?:'s|’s)?(?![\w-])", re.I)

    def match(self, name: str) -> str | None:
        name = re.sub(rf"\s+{COUNCIL_WORDS}$", "", name.strip(), flags=re.I).strip().lower()
        name = re.sub(r"^the\s+", "", name)
        return self.names.get(name) or self.names.get(name + " council")

    def mentions(self, text: str) -> list[str]:
        if not self.names:
            return []
        return [self.names[m.group(1).lower()] for m in self.pattern().finditer(text)]


def _registry(path: Path, key: str) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    items = data.get(key) if isinstance(data, dict) else None
    return [i for i in items or [] if isinstance(i, dict) and "id" in i]


def iso(day: str | None, month: str | None, year: str) -> str:
    if month is None:
        return year
    value = f"{year}-{MONTHS[month.lower()]:02d}"
    return f"{value}-{int(day):02d}" if day else value


def date_range(text: str) -> tuple[str, str | None] | None:
    """'20 and 21 March 2012' -> ('2012-03-20', '2012-03-21'); '18 June 2013' -> ('2013-06-18', None)."""
    match = RANGE_RE.search(text)
    if match:
        first, second, month1, third, month2, year = match.groups()
        end_day = second or third
        start = iso(first, month1 or month2, year)
        return start, iso(end_day, month2, year) if end_day else None
    match = MONTH_YEAR_RE.search(text)
    if match:
        return iso(None, match.group(1), match.group(2)), None
    return None


def title_case(text: str) -> str:
    """An ALL-CAPS line as a title ('THE VISION FOR EDUCATION' -> 'The Vision for Education')."""
    if not text.isupper():
        return text
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    words = text.lower().split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def host_and_reviewers(text: str, main_text: str, registry: Registry) -> tuple[str | None, list[str], list[str]]:
    """The host, the reviewing authorities, and names of reviewers that match no authority."""
    host = None
    for pattern in (rf"([A-Z][\w’' -]+?)\s+{COUNCIL_WORDS}\s+(?:invited|commissioned|asked|requested)",
                    rf"\bof\s+([A-Z][\w’' -]+?)\s+{COUNCIL_WORDS}\s+commissioned",
                    rf"\bfor\s+([A-Z][\w’' -]+?)\s+{COUNCIL_WORDS}\b"):
        for match in re.finditer(pattern, text):
            found = registry.match(match.group(1).split(" of ")[-1])
            if found:
                host = found
                break
        if host:
            break
    reviewers: list[str] = []
    unknown: list[str] = []
    sentences = re.split(r"(?<=[.!?])\s+", text)
    cues = [r"consist(?:ed|s|ing) of", r"formed the (?:review )?team", r"conducted by", r"colleagues (?:in|from)",
            r"officers from", r"professionals from", r"team (?:was )?(?:made up of|drawn from)"]
    for cue in cues:
        for sentence in sentences:
            if not re.search(cue, sentence, re.I):
                continue
            tail = re.split(cue, sentence, maxsplit=1, flags=re.I)[-1]
            if re.search(r"formed the", cue):
                tail = re.split(r"formed the", sentence, flags=re.I)[0]
            found = [a for a in registry.mentions(tail) if a != host]
            names = _listed_names(tail)
            for name in names:
                if registry.match(name) is None and name not in unknown:
                    unknown.append(name)
            if found or names:
                reviewers = list(dict.fromkeys(found))
                break
        if reviewers:
            break
    if host is None:
        counts = Counter(a for a in registry.mentions(main_text) if a not in reviewers)
        host = counts.most_common(1)[0][0] if counts else None
    reviewers = [r for r in reviewers if r != host]
    return host, reviewers, unknown


def _listed_names(tail: str) -> list[str]:
    """'Kent, Hampshire, Portsmouth and Medway' -> the four names (capitalised words only)."""
    tail = re.sub(r"^[^A-Z(]*", "", tail)
    inner = re.search(r"\(([^)]*)\)", tail)
    if inner and re.search(r"[A-Z]", inner.group(1)):
        tail = inner.group(1)
    tail = re.split(r"[.;:]|\b(?:which|who|and the|to)\b", tail)[0]
    names = []
    for piece in re.split(r",|\band\b|&", tail):
        piece = piece.strip()
        generic = {"local authorities", "las", "the", "senior officers", "school improvement"}
        if re.fullmatch(r"(?:[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*){0,3}", piece) and piece.lower() not in generic:
            names.append(piece)
    return names
