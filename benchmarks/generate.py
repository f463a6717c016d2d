"""A synthetic archive in the real record format, to measure the build at national scale.

The real archive has a handful of reviews; the budgets (DESIGN.md §6) are about 1,000.
This writes that many records, deterministically from a seed, in exactly the format
editors write (so `pra check` passes and the plugin builds them as it would real ones):
real English authority names, the real themes and programmes registries, follow-ups that
address earlier recommendations, council responses, offers of support, context documents,
and prose in sentences of 20-60 words, as the source documents have them.

    python -m benchmarks.generate --out /tmp/archive/reviews            # national scale
    python -m benchmarks.generate --reviews 250 --findings 3750 --out DIR

Importable: `generate_archive(out, authorities=..., reviews=..., findings=...)`.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
REAL_RECORDS = REPO / "reviews"

NATIONAL = {"authorities": 150, "reviews": 1000, "findings": 15000}
DEFAULT_SEED = 2016

# --- the authorities: real English councils with education duties, by region ---------

_REGIONS: dict[str, list[tuple[str, str]]] = {
    "East of England": [
        ("Bedford Borough", "unitary"), ("Cambridgeshire", "county"), ("Central Bedfordshire", "unitary"),
        ("Essex", "county"), ("Hertfordshire", "county"), ("Luton", "unitary"), ("Norfolk", "county"),
        ("Peterborough", "unitary"), ("Southend", "unitary"), ("Suffolk", "county"), ("Thurrock", "unitary"),
    ],
    "South East": [
        ("Bracknell Forest", "unitary"), ("Brighton and Hove", "unitary"), ("Buckinghamshire", "unitary"),
        ("East Sussex", "county"), ("Hampshire", "county"), ("Isle of Wight", "unitary"), ("Kent", "county"),
        ("Medway", "unitary"), ("Milton Keynes", "unitary"), ("Oxfordshire", "county"),
        ("Portsmouth", "unitary"), ("Reading", "unitary"), ("Slough", "unitary"), ("Southampton", "unitary"),
        ("Surrey", "county"), ("West Berkshire", "unitary"), ("West Sussex", "county"),
        ("Windsor and Maidenhead", "unitary"), ("Wokingham", "unitary"),
    ],
    "London": [
        (name, "london-borough") for name in (
            "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "City of London",
            "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey",
            "Harrow", "Havering", "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea",
            "Kingston upon Thames", "Lambeth", "Lewisham", "Merton", "Newham", "Redbridge",
            "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest",
            "Wandsworth", "Westminster",
        )
    ],
    "South West": [
        ("Bath and North East Somerset", "unitary"), ("Bournemouth, Christchurch and Poole", "unitary"),
        ("Bristol", "unitary"), ("Cornwall", "unitary"), ("Devon", "county"), ("Dorset", "unitary"),
        ("Gloucestershire", "county"), ("Isles of Scilly", "unitary"), ("North Somerset", "unitary"),
        ("Plymouth", "unitary"), ("Somerset", "county"), ("South Gloucestershire", "unitary"),
        ("Swindon", "unitary"), ("Torbay", "unitary"), ("Wiltshire", "unitary"),
    ],
    "West Midlands": [
        ("Birmingham", "metropolitan-borough"), ("Coventry", "metropolitan-borough"),
        ("Dudley", "metropolitan-borough"), ("Herefordshire", "unitary"), ("Sandwell", "metropolitan-borough"),
        ("Shropshire", "unitary"), ("Solihull", "metropolitan-borough"), ("Staffordshire", "county"),
        ("Stoke-on-Trent", "unitary"), ("Telford and Wrekin", "unitary"), ("Walsall", "metropolitan-borough"),
        ("Warwickshire", "county"), ("Wolverhampton", "metropolitan-borough"), ("Worcestershire", "county"),
    ],
    "East Midlands": [
        ("Derby", "unitary"), ("Derbyshire", "county"), ("Leicester", "unitary"), ("Leicestershire", "county"),
        ("Lincolnshire", "county"), ("Northamptonshire", "county"), ("Nottingham", "unitary"),
        ("Nottinghamshire", "county"), ("Rutland", "unitary"),
    ],
    "Yorkshire and the Humber": [
        ("Barnsley", "metropolitan-borough"), ("Bradford", "metropolitan-borough"),
        ("Calderdale", "metropolitan-borough"), ("Doncaster", "metropolitan-borough"),
        ("East Riding of Yorkshire", "unitary"), ("Kingston upon Hull", "unitary"),
        ("Kirklees", "metropolitan-borough"), ("Leeds", "metropolitan-borough"),
        ("North East Lincolnshire", "unitary"), ("North Lincolnshire", "unitary"),
        ("North Yorkshire", "county"), ("Rotherham", "metropolitan-borough"),
        ("Sheffield", "metropolitan-borough"), ("Wakefield", "metropolitan-borough"), ("York", "unitary"),
    ],
    "North West": [
        ("Blackburn with Darwen", "unitary"), ("Blackpool", "unitary"), ("Bolton", "metropolitan-borough"),
        ("Bury", "metropolitan-borough"), ("Cheshire East", "unitary"), ("Cheshire West and Chester", "unitary"),
        ("Cumbria", "county"), ("Halton", "unitary"), ("Knowsley", "metropolitan-borough"),
        ("Lancashire", "county"), ("Liverpool", "metropolitan-borough"), ("Manchester", "metropolitan-borough"),
        ("Oldham", "metropolitan-borough"), ("Rochdale", "metropolitan-borough"),
        ("Salford", "metropolitan-borough"), ("Sefton", "metropolitan-borough"),
        ("St Helens", "metropolitan-borough"), ("Stockport", "metropolitan-borough"),
        ("Tameside", "metropolitan-borough"), ("Trafford", "metropolitan-borough"), ("Warrington", "unitary"),
        ("Wigan", "metropolitan-borough"), ("Wirral", "metropolitan-borough"),
    ],
    "North East": [
        ("County Durham", "unitary"), ("Darlington", "unitary"), ("Gateshead", "metropolitan-borough"),
        ("Hartlepool", "unitary"), ("Middlesbrough", "unitary"), ("Newcastle upon Tyne", "metropolitan-borough"),
        ("North Tyneside", "metropolitan-borough"), ("Northumberland", "unitary"),
        ("Redcar and Cleveland", "unitary"), ("South Tyneside", "metropolitan-borough"),
        ("Stockton-on-Tees", "unitary"), ("Sunderland", "metropolitan-borough"),
    ],
}
# Which real programme a region's reviews belong to; other regions' reviews have none.
_PROGRAMME_OF_REGION = {"East of England": "eastern-region-peer-review", "South East": "south-east-peer-challenge"}

# --- prose: sentences of 20-60 words in the register of the source documents ----------

_SUBJECTS = [
    "The local authority", "The LA", "Schools", "Headteachers", "Governors", "The school improvement team",
    "Senior officers", "The peer team", "Teaching school alliances", "School improvement advisers",
    "Primary headteachers", "Secondary academies", "Elected members", "The Director of Children's Services",
    "The partnership board", "System leaders", "Officers and headteachers", "Diocesan colleagues",
    "The council", "Local leaders of education", "The virtual school", "The early years team",
]
_VERBS = [
    "has developed", "needs to clarify", "should strengthen", "has made good progress in",
    "reported improvements in", "would benefit from reviewing", "has recognised the need to improve",
    "is beginning to embed", "needs to set out more clearly", "has invested significantly in",
    "should consider sharing", "spoke positively about", "needs to quality assure", "has refocused",
    "is committed to extending", "needs to evaluate the impact of", "has co-constructed",
    "expressed concern about", "should accelerate", "has begun to monitor",
]
_OBJECTS = [
    "its approach to categorising schools by risk and need", "the quality of support for schools requiring improvement",
    "the use of performance data to target challenge", "the role of the local authority in a self-improving system",
    "the school improvement strategy agreed with headteachers", "training and guidance for governors",
    "the pace of intervention where performance is weak", "school-to-school support through local alliances",
    "outcomes for disadvantaged pupils and children looked after",
    "the traded offer to maintained schools and academies",
    "communication with academies and multi-academy trusts", "its monitoring of standards at Key Stage 2",
    "the programme of leadership development for new headteachers", "the moderation of teacher assessment",
    "the commissioning of support from teaching schools", "the early identification of schools at risk of decline",
    "the termly conversations held with each school", "the impact of advisers' visits on teaching quality",
    "partnership arrangements with the regional schools commissioner", "the evaluation of its own effectiveness",
    "the capacity of its school improvement service", "the transition from primary to secondary school",
    "attendance and exclusions of pupils with special educational needs", "the quality of early years provision",
]
_TAILS = [
    "across the primary phase", "in partnership with headteachers", "within the current financial constraints",
    "over the next academic year", "in every locality of the county", "with greater pace and rigour",
    "as the sources describe", "so that every school knows what to expect", "before the next inspection",
    "through the termly partnership meetings", "alongside the diocesan boards", "at every level of the system",
]
_PLURAL = {
    "Schools", "Headteachers", "Governors", "Senior officers", "Teaching school alliances",
    "School improvement advisers",
    "Primary headteachers", "Secondary academies", "Elected members", "System leaders", "Officers and headteachers",
    "Diocesan colleagues", "Local leaders of education",
}
_CONNECTORS = ["and", "so that", "while", "because", "although", "which means that", "and as a result"]

_FIRST = [
    "Alison", "Andrew", "Catherine", "Chris", "Clare", "David", "Debbie", "Elaine", "Gillian", "Graham",
    "Helen", "Ian", "James", "Jane", "Jo", "John", "Julie", "Karen", "Kevin", "Lesley", "Mark", "Martin",
    "Mary", "Michael", "Nick", "Paul", "Peter", "Rachel", "Richard", "Sally", "Sarah", "Simon", "Sue", "Tim",
]
_LAST = [
    "Adams", "Bailey", "Bennett", "Carter", "Clarke", "Coulson", "Davies", "Edwards", "Evans", "Fletcher",
    "Green", "Hall", "Harris", "Hughes", "Jackson", "Kershaw", "Lancaster", "Leeson", "Marshall", "Morgan",
    "Parker", "Patel", "Roberts", "Rogers", "Rundell", "Shaw", "Snudden", "Taylor", "Turner", "Walker",
    "Ward", "Wilson", "Wright", "Young",
]
_ROLES = [
    "Director of Children's Services", "Assistant Director, Education", "Head of School Improvement",
    "Senior School Improvement Adviser", "Primary Headteacher", "Secondary Headteacher",
    "Chair of Governors", "Head of Standards and Achievement", "Education Consultant",
    "Lead Member for Children's Services",
]
_GROUPS = [
    "Communication and Clarification", "Refining processes", "Quality Assurance", "Use of data",
    "Leadership and governance", "School-to-school support", "Vulnerable groups", "Capacity",
]
_BODIES = [
    "Children's Services Overview and Scrutiny Committee", "Schools Forum", "Cabinet",
    "Education and Skills Policy and Performance Board", "Children and Young People Scrutiny Panel",
]
_FIGURES = [
    "Pupils reaching the expected standard at Key Stage 2", "Primary schools judged good or outstanding",
    "Secondary schools judged good or outstanding", "Pupils achieving a strong pass in English and maths",
    "Gap between disadvantaged pupils and others at Key Stage 2", "Persistent absence, secondary",
]


def _clause(rng: random.Random) -> str:
    """Subject, verb and object, with the verb agreeing with the subject."""
    subject, verb = rng.choice(_SUBJECTS), rng.choice(_VERBS)
    if subject in _PLURAL:
        head, _, rest = verb.partition(" ")
        verb = f"{ {'has': 'have', 'is': 'are', 'needs': 'need'}.get(head, head)} {rest}"
    return f"{subject} {verb} {rng.choice(_OBJECTS)}"


def sentence(rng: random.Random) -> str:
    """One sentence of 20-60 words: clauses joined until the drawn length is reached."""
    target = rng.randint(20, 60)
    words = _clause(rng).split()
    while True:
        if rng.random() < 0.3:
            clause = rng.choice(_TAILS).split()
        else:
            text = _clause(rng)
            text = text if text.startswith(("The LA", "The Director")) else text[0].lower() + text[1:]
            clause = f"{rng.choice(_CONNECTORS)} {text}".split()
        if len(words) + len(clause) > target and len(words) >= 20:
            break
        words += clause
    text = " ".join(words)
    if rng.random() < 0.03:  # the formatting editors may use: emphasis and strong
        text = text.replace(" the ", " the **key** ", 1) if rng.random() < 0.5 else text.replace(" the ", " *the* ", 1)
    return text + "."


def paragraph(rng: random.Random, low: int = 1, high: int = 3) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class Council:
    id: str
    name: str
    kind: str
    region: str


def councils(count: int) -> list[Council]:
    """`count` councils, taken round-robin across regions so that small archives mix regions too."""
    by_region = [[Council(slug(n), n, k, region) for n, k in items] for region, items in _REGIONS.items()]
    ordered: list[Council] = []
    while any(by_region):
        for items in by_region:
            if items:
                ordered.append(items.pop(0))
    for extra in range(len(ordered), count):  # beyond England's 151: invented, clearly so
        ordered.append(Council(f"authority-{extra + 1}", f"Authority {extra + 1}", "unitary", "Elsewhere"))
    return ordered[:count]


# --- records ---------------------------------------------------------------------------


def _person(rng: random.Random, authority: str, named: bool = True) -> dict[str, Any]:
    person: dict[str, Any] = {}
    if named:
        person["name"] = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    if not named or rng.random() < 0.8:
        person["role"] = rng.choice(_ROLES)
    person["authority"] = authority
    return person


def _themes(rng: random.Random, theme_ids: list[str]) -> list[str]:
    return rng.sample(theme_ids, rng.choice((1, 1, 2, 2, 3)))


def _finding(rng: random.Random, fid: str, kind: str, themes: list[str], **extra: Any) -> dict[str, Any]:
    finding: dict[str, Any] = {"id": fid, "kind": kind}
    finding.update({k: v for k, v in extra.items() if v is not None})
    finding["text"] = paragraph(rng, 1, 2)
    finding["themes"] = _themes(rng, themes)
    return finding


def _date_in(rng: random.Random, year: int, precision: float) -> str:
    """A date as the sources give it: mostly a day, sometimes only a month or a year."""
    month, day = rng.randint(1, 12), rng.randint(1, 27)
    if precision < 0.08:
        return f"{year}"
    if precision < 0.2:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _later(date: str, years: int, rng: random.Random) -> str:
    """A date `years` after `date`, at the same precision or better."""
    year = int(date[:4]) + years
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 27):02d}"


def _review(
    rng: random.Random,
    review_id: str,
    host: Council,
    date: str,
    peers: list[Council],
    n_findings: int,
    themes: list[str],
    earlier: str | None,
) -> dict[str, Any]:
    reviewers = rng.sample(peers, min(len(peers), rng.randint(2, 4)))
    programme = _PROGRAMME_OF_REGION.get(host.region)
    kind = "peer-challenge" if programme == "south-east-peer-challenge" else "peer-review"
    source_id = "feedback-report"
    record: dict[str, Any] = {
        "id": review_id,
        "title": f"{host.name} {'Peer Challenge' if kind == 'peer-challenge' else 'School Improvement Peer Review'}",
        "kind": kind,
        "host": host.id,
    }
    if programme:
        record["programme"] = programme
    record["date"] = date
    if len(date) == 10 and rng.random() < 0.6:
        record["end_date"] = f"{date[:8]}{int(date[8:]) + 1:02d}"
    record["reviewers"] = [c.id for c in reviewers]
    team = [_person(rng, c.id, named=rng.random() < 0.9) for c in reviewers for _ in range(rng.randint(1, 2))]
    record["team"] = team
    record["summary"] = [paragraph(rng, 2, 3) for _ in range(rng.randint(1, 2))]
    record["focus"] = {
        "question": sentence(rng),
        "sub_questions": [sentence(rng) for _ in range(rng.randint(2, 4))],
    }
    record["context"] = [paragraph(rng, 2, 4) for _ in range(rng.randint(1, 3))]
    record["figures"] = [
        {"label": label, "value": f"{rng.randint(40, 95)}%"} for label in rng.sample(_FIGURES, rng.randint(0, 4))
    ]
    record["sections"] = [
        {"title": "Process", "paragraphs": [paragraph(rng, 2, 3)], "items": [sentence(rng) for _ in range(3)]}
    ]

    # Split this review's findings between the visit, a follow-up and a response.
    has_follow_up = n_findings >= 6 and rng.random() < 0.4
    has_response = n_findings >= 6 and rng.random() < 0.45
    in_follow_up = max(2, n_findings // 5) if has_follow_up else 0
    in_response = max(2, n_findings // 6) if has_response else 0
    own = n_findings - in_follow_up - in_response

    findings: list[dict[str, Any]] = []
    counts = dict.fromkeys(("strength", "area-for-development", "recommendation", "next-step"), 0)
    groups = rng.sample(_GROUPS, 3)
    for i in range(own):
        share = i / max(own, 1)
        kind_ = ("strength" if share < 0.3 else "area-for-development" if share < 0.65
                 else "recommendation" if share < 0.9 else "next-step")
        counts[kind_] += 1
        n = counts[kind_]
        short = {"area-for-development": "development"}.get(kind_, kind_)
        extra: dict[str, Any] = {}
        if kind_ == "area-for-development":
            extra["group"] = groups[min(2, (n - 1) // 3)]
        if kind_ == "recommendation":
            extra["number"] = str(n)
            if rng.random() < 0.3:
                extra["title"] = rng.choice(_OBJECTS).capitalize()
        findings.append(_finding(rng, f"{short}-{n}", kind_, themes, **extra))
    record["findings"] = findings
    targets = [f["id"] for f in findings if f["kind"] in ("recommendation", "area-for-development")]

    record["offers"] = [
        {"id": f"offer-{i + 1}", "authority": c.id, "text": paragraph(rng, 1, 2), "themes": _themes(rng, themes)}
        for i, c in enumerate(reviewers[: rng.randint(1, len(reviewers))])
    ]
    sources: list[dict[str, Any]] = [{
        "id": source_id,
        "title": f"Feedback from the peer review team for {host.name}",
        "body": rng.choice(_BODIES),
        "authority": host.id,
        "date": date,
        "agenda_item": str(rng.randint(3, 14)),
        "author": "Lead reviewer, on behalf of the peer review team",
        "url": f"https://democracy.{host.id}.example.gov.uk/documents/{review_id}-feedback.pdf",
    }]
    if has_follow_up:
        follow_date = _later(date, 1, rng)
        visitor = reviewers[0]
        sources.append({"id": "follow-up-report", "title": f"{host.name} peer review: follow up visit",
                        "authority": visitor.id, "date": follow_date})
        progress = []
        for i in range(in_follow_up):
            extra = {"group": "Progress since the review"}
            if targets and rng.random() < 0.7:
                extra["addresses"] = rng.sample(targets, 1)  # type: ignore[assignment]
            kind_ = "progress" if i < in_follow_up * 0.7 else "next-step"
            progress.append(_finding(rng, f"{kind_}-{i + 1}" if kind_ == "progress" else f"follow-up-step-{i + 1}",
                                     kind_, themes, **extra))
        record["follow_ups"] = [{
            "id": f"follow-up-{follow_date[:7]}",
            "date": follow_date,
            "title": f"{host.name} peer review follow up visit",
            "visitors": [_person(rng, visitor.id) for _ in range(2)],
            "summary": [paragraph(rng, 2, 3) for _ in range(2)],
            "findings": progress,
            "conclusion": [paragraph(rng, 1, 2)],
            "sources": ["follow-up-report"],
        }]
    if has_response:
        response_date = _later(date, 0, rng) if rng.random() < 0.5 else _later(date, 1, rng)
        response_date = max(response_date, date)
        sources.append({"id": "committee-update", "title": f"Peer review of school improvement: update to {host.name}",
                        "body": rng.choice(_BODIES), "authority": host.id, "date": response_date[:4]})
        actions = []
        for i in range(in_response):
            extra = {"group": "Action plan"}
            if targets and rng.random() < 0.6:
                extra["addresses"] = rng.sample(targets, 1)  # type: ignore[assignment]
            actions.append(_finding(rng, f"action-{i + 1}", "action", themes, **extra))
        record["responses"] = [{
            "id": f"response-{response_date[:4]}",
            "date": response_date,
            "title": "Peer Review of Arrangements for School Improvement",
            "body": rng.choice(_BODIES),
            "summary": [paragraph(rng, 2, 3) for _ in range(rng.randint(1, 3))],
            "committee_recommendations": [sentence(rng) for _ in range(2)],
            "findings": actions,
            "sources": ["committee-update"],
        }]
    if earlier and rng.random() < 0.5:
        record["related_reviews"] = [earlier]
    if not findings:
        record["not_in_sources"] = ["The report of this review is not in the sources; its findings are not published."]
    elif rng.random() < 0.3:
        record["not_in_sources"] = [sentence(rng)]
    record["sources"] = sources
    return {k: v for k, v in record.items() if v != []}


def _context_document(rng: random.Random, doc_id: str, council: Council, date: str, n_findings: int,
                      themes: list[str], related: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": doc_id,
        "title": f"The Vision for Education in {council.name}",
        "authority": council.id,
        "date": date,
        "summary": [paragraph(rng, 2, 3)],
        "sections": [{"title": title, "paragraphs": [paragraph(rng, 2, 4) for _ in range(2)]}
                     for title in ("Background", "Key issues", "Next steps")],
        "findings": [_finding(rng, f"proposal-{i + 1}", "proposal", themes, group="Proposals")
                     for i in range(n_findings)],
        "related_reviews": related,
        "sources": [{"id": "committee-report", "title": f"The Vision for Education in {council.name}",
                     "body": rng.choice(_BODIES), "authority": council.id, "date": date}],
    }
    return {k: v for k, v in record.items() if v != []}


@dataclass(frozen=True)
class Generated:
    """What was written, for callers that report it."""

    records: Path
    authorities: int
    reviews: int
    context_documents: int
    findings: int


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block-style YAML with long lines folded, as editors write it."""


def _write(path: Path, schema: str, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{text}", encoding="utf-8")


def write_registries(out: Path, authorities: int) -> list[Council]:
    """Empty `out`, then write the real themes and programmes and `authorities` councils."""
    if out.exists():
        shutil.rmtree(out)
    (out / "context").mkdir(parents=True)
    shutil.copy(REAL_RECORDS / "themes.yml", out / "themes.yml")
    shutil.copy(REAL_RECORDS / "programmes.yml", out / "programmes.yml")
    people = councils(authorities)
    _write(out / "authorities.yml", "../schema/authorities.schema.json", {"authorities": [
        {"id": c.id, "name": c.name, "official_name": f"{c.name} Council", "kind": c.kind, "region": c.region}
        for c in people
    ]})
    return people


def _split(rng: random.Random, total: int, parts: int, minimum: int) -> list[int]:
    """`total` split into `parts` uneven counts of at least `minimum` that add up exactly."""
    minimum = min(minimum, total // max(parts, 1))
    counts = [minimum] * parts
    for _ in range(total - minimum * parts):
        counts[rng.randrange(parts)] += 1
    return counts


def generate_archive(
    out: Path,
    *,
    authorities: int = NATIONAL["authorities"],
    reviews: int = NATIONAL["reviews"],
    findings: int | None = None,
    findings_per_review: float | None = None,
    context_documents: int | None = None,
    seed: int = DEFAULT_SEED,
) -> Generated:
    """Write a records folder (`out`, like `reviews/`) and return what it holds.

    `findings` is the total over reviews, follow-ups, responses and context documents;
    by default 15 per review, as at national scale. The same arguments always write the
    same bytes. `out` is emptied first, so a smaller run never keeps a larger run's files.
    """
    if authorities < 2 or reviews < 1:
        raise ValueError("need at least 2 authorities (a host and a reviewer) and 1 review")
    if findings is None:
        findings = round(reviews * (findings_per_review if findings_per_review is not None else 15))
    rng = random.Random(seed)
    out = Path(out)
    people = write_registries(out, authorities)
    theme_ids = [t["id"] for t in yaml.safe_load((REAL_RECORDS / "themes.yml").read_text())["themes"]]
    by_region: dict[str, list[Council]] = {}
    for council in people:
        by_region.setdefault(council.region, []).append(council)

    n_context = context_documents if context_documents is not None else max(1, authorities // 10)
    context_findings = min(5 * n_context, findings // 20)
    per_review = _split(rng, findings - context_findings, reviews, minimum=3)
    per_context = _split(rng, context_findings, n_context, minimum=0) if n_context else []

    # Hosts in turns, so every authority hosts about reviews/authorities reviews, years rising.
    hosts = [people[i % authorities] for i in range(reviews)]
    rng.shuffle(hosts)
    taken: set[str] = set()
    last_review: dict[str, str] = {}
    review_ids: dict[str, list[str]] = {}
    for index, host in enumerate(hosts):
        year = 2010 + (len(review_ids.get(host.id, [])) * 2 + rng.randint(0, 1)) % 15
        review_id = f"{host.id}-{year}"
        suffix = 2
        while review_id in taken:
            review_id, suffix = f"{host.id}-{year}-{suffix}", suffix + 1
        taken.add(review_id)
        local = random.Random(f"{seed}:{index}")  # one stream per review: stable under resizing
        region_peers = [c for c in by_region[host.region] if c.id != host.id]
        peers = region_peers if len(region_peers) >= 3 else [c for c in people if c.id != host.id]
        date = _date_in(local, year, local.random())
        record = _review(local, review_id, host, date, peers, per_review[index], theme_ids,
                         last_review.get(host.id))
        _write(out / f"{review_id}.yml", "../schema/review.schema.json", record)
        last_review[host.id] = review_id
        review_ids.setdefault(host.id, []).append(review_id)

    for index in range(n_context):
        council = people[(index * 7) % authorities]
        local = random.Random(f"{seed}:context:{index}")
        year = 2011 + local.randint(0, 12)
        doc_id = f"{council.id}-vision-for-education-{year}"
        if doc_id in taken:
            doc_id = f"{doc_id}-{index}"
        taken.add(doc_id)
        related = review_ids.get(council.id, [])[:1]
        record = _context_document(local, doc_id, council, _date_in(local, year, 1.0), per_context[index],
                                   theme_ids, related)
        _write(out / "context" / f"{doc_id}.yml", "../../schema/context-document.schema.json", record)
    return Generated(out, authorities, reviews, n_context, findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="records folder to write (emptied first)")
    parser.add_argument("--authorities", type=int, default=NATIONAL["authorities"])
    parser.add_argument("--reviews", type=int, default=NATIONAL["reviews"])
    total = parser.add_mutually_exclusive_group()
    total.add_argument("--findings", type=int, help="total findings (default: 15 per review)")
    total.add_argument("--findings-per-review", type=float)
    parser.add_argument("--context-documents", type=int, help="default: one per ten authorities")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    made = generate_archive(args.out, authorities=args.authorities, reviews=args.reviews, findings=args.findings,
                            findings_per_review=args.findings_per_review,
                            context_documents=args.context_documents, seed=args.seed)
    print(f"{made.records}: {made.authorities} authorities, {made.reviews} reviews, "
          f"{made.context_documents} context documents, {made.findings} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
