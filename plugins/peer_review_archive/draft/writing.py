"""A draft -> YAML in the archive's own format, with comments where the editor must look.

Written as text, not dumped, so that each finding can carry its evidence (the lines of
the paper's text, and the PDF page as a comment) and each suggestion says it is one.
"""

from __future__ import annotations

import re
import textwrap

import yaml

from ..records import models
from ..records.ids import SLUG_PATTERN
from .blocks import Block
from .classify import Draft, Item
from .cleaning import Paper

SLUG_RE = re.compile(SLUG_PATTERN)
EVIDENCE_FIELD = "evidence" in models.Finding.model_fields


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "").replace("'", "")).strip("-")
    return value[:60].rstrip("-") or "paper"


def scalar(text: str, indent: int) -> str:
    """A YAML scalar for `text`: plain or quoted when short, folded (`>-`) when long."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= 80:
        dumped = yaml.safe_dump(text, allow_unicode=True, width=10_000, default_style=None).strip()
        return dumped[:-4].rstrip() if dumped.endswith("\n...") else dumped.removesuffix("...").rstrip()
    pad = " " * (indent + 2)
    lines = textwrap.wrap(text, width=max(40, 92 - len(pad)), break_long_words=False, break_on_hyphens=False)
    if any(line.startswith(("#", " ")) for line in lines) or text.startswith((" ", "\t")):
        return yaml.safe_dump(text, allow_unicode=True, width=10_000, default_style='"').strip()
    return ">-\n" + "\n".join(pad + line for line in lines)


class Writer:
    def __init__(self) -> None:
        self.out: list[str] = []

    def line(self, text: str = "") -> None:
        self.out.append(text)

    def field(self, indent: int, key: str, value: str | None, comment: str | None = None) -> None:
        if value is None:
            return
        suffix = f"  # {comment}" if comment else ""
        rendered = scalar(value, indent)
        if rendered.startswith(">-"):
            head, rest = rendered.split("\n", 1)
            self.out.append(f"{' ' * indent}{key}: {head}{suffix}\n{rest}")
        else:
            self.out.append(f"{' ' * indent}{key}: {rendered}{suffix}")

    def item(self, indent: int, value: str) -> None:
        rendered = scalar(value, indent + 2)
        if rendered.startswith(">-"):
            head, rest = rendered.split("\n", 1)
            self.out.append(f"{' ' * indent}- {head}\n{rest}")
        else:
            self.out.append(f"{' ' * indent}- {rendered}")

    def text(self) -> str:
        return "\n".join(self.out) + "\n"


def write_draft(draft: Draft, paper: Paper, paper_name: str, registry_themes: list[dict]) -> tuple[str, str, str]:
    """The draft as YAML, its record id and its source's id."""
    w = Writer()
    year = (draft.date or draft.source.get("date") or "0000")[:4]
    doc_id = f"{draft.host or 'unknown'}-{year}"
    source_id = slug(f"{draft.source.get('title') or paper_name} {draft.source.get('date') or year}")
    schema = "review" if draft.is_review else "context-document"
    w.line(f"# yaml-language-server: $schema=../{'../' if not draft.is_review else ''}schema/{schema}.schema.json")
    w.line(f"# Draft made by `pra draft` from {paper_name} ({paper.format}, {paper.page_count} "
           f"page{'s' if paper.page_count != 1 else ''}, {len(paper.lines)} lines of text).")
    w.line("# Check every field against the paper, choose each finding's themes, sort `unclassified`,")
    w.line("# then delete `draft: true` and run `pra check`. Evidence lines are lines of the paper's text")
    w.line(f"# (save it as reviews/sources/{source_id}.txt).")
    contacts = sum(n for _, n in paper.contacts)
    if contacts:
        where = ", ".join(f"line {n}" + (f" (page {paper.page(n)})" if paper.format == "pdf" else "")
                          for n, _ in paper.contacts)
        w.line(f"# Contact details removed: {contacts} e-mail address{'es' if contacts != 1 else ''} or phone "
               f"number{'s' if contacts != 1 else ''}, at {where}.")
    if paper.dropped:
        w.line(f"# Left out of the text: {paper.dropped} running header, footer or page-number lines.")
    for what in draft.missing:
        w.line(f"# Not found in the paper: {what}.")
    w.line(f"id: {doc_id}")
    w.line("draft: true")
    if draft.is_review:
        host_name = (draft.host or "Unknown").replace("-", " ").title()
        kind_name = "Peer Challenge" if draft.kind == "peer-challenge" else "Peer Review"
        w.field(0, "title", draft.title or f"{host_name} {kind_name}", "a name for the review: check")
        w.line(f"kind: {draft.kind}")
        w.line(f"host: {draft.host or 'unknown'}" + ("" if draft.host else "  # no authority matched: set it"))
        if draft.programme:
            w.line(f"programme: {draft.programme}" + (f"  # inferred: {draft.inferred['programme']}"
                                                       if "programme" in draft.inferred else ""))
        w.field(0, "date", draft.date, f"inferred: {draft.inferred['date']}" if "date" in draft.inferred else None)
        w.field(0, "end_date", draft.end_date)
        if draft.reviewers:
            w.line("reviewers:")
            for reviewer in draft.reviewers:
                w.line(f"  - {reviewer}")
        _focus(w, draft)
    else:
        w.field(0, "title", draft.source.get("title") or paper_name)
        w.line(f"authority: {draft.host or 'unknown'}")
        w.field(0, "date", draft.source.get("date") or year)
    review_items = [i for i in draft.items if i.where in ("review", "context")]
    _findings(w, 0, review_items, source_id, paper, registry_themes)
    if draft.is_review and draft.offers:
        w.line("offers:")
        for n, offer in enumerate(draft.offers, 1):
            w.line(f"  - id: offer-{n}")
            w.line(f"    authority: {offer.authority or slug(offer.name)}"
                   + ("" if offer.authority else f"  # {offer.name!r} is not in authorities.yml: see the end"))
            w.field(4, "text", offer.text)
            _evidence(w, 4, offer.block, source_id, paper)
    follow = [i for i in draft.items if i.where == "follow_up"]
    if draft.is_review and (follow or draft.follow_up):
        info = draft.follow_up or {}
        date = info.get("date") or year
        w.line("follow_ups:")
        w.line(f"  - id: follow-up-{date}")
        w.field(4, "date", date)
        w.field(4, "title", info.get("title"))
        _findings(w, 4, follow, source_id, paper, registry_themes)
        w.line("    sources:")
        w.line(f"      - {source_id}")
    response = [i for i in draft.items if i.where == "response"]
    if draft.is_review and (response or draft.committee_recommendations) and (
            draft.source.get("body") or draft.source.get("agenda_item") or response):
        date = draft.source.get("date") or year
        w.line("responses:")
        w.line(f"  - id: response-{date}")
        w.field(4, "date", date)
        w.field(4, "title", draft.source.get("title") or "Committee report")
        w.field(4, "body", draft.source.get("body"))
        if draft.committee_recommendations:
            w.line("    committee_recommendations:")
            for text in draft.committee_recommendations:
                w.item(6, text)
        _findings(w, 4, response, source_id, paper, registry_themes)
        w.line("    sources:")
        w.line(f"      - {source_id}")
    elif draft.committee_recommendations:
        w.line("# What the paper asked its committee to do:")
        for text in draft.committee_recommendations:
            w.line("#   " + re.sub(r"\s+", " ", text))
    w.line("sources:")
    w.line(f"  - id: {source_id}")
    for key in ("title", "body"):
        w.field(4, key, draft.source.get(key) or (paper_name if key == "title" else None),
                f"inferred: {draft.inferred[key]}" if key in draft.inferred else None)
    if draft.host:
        w.line(f"    authority: {draft.host}")
    for key in ("date", "agenda_item", "author"):
        w.field(4, key, draft.source.get(key))
    w.field(4, "reference", paper_name)
    if EVIDENCE_FIELD:  # the findings' evidence names the paper's text, registered in sources.yml
        w.line(f"    document: {source_id}  # add it to reviews/sources.yml, its text as sources/{source_id}.txt")
    if draft.unclassified:
        w.line("# Everything below could not be classified: move each piece where it belongs (summary,")
        w.line("# context, sections, a finding) or delete it. `pra check` refuses this list on purpose.")
        w.line("unclassified:")
        for block, under in draft.unclassified:
            page = f"  # page {paper.page(block.first)}" if paper.format == "pdf" else ""
            w.line(f"  - lines: \"{block.lines}\"{page}")
            if under:
                w.field(4, "under", re.sub(r"\s+", " ", under)[:120])
            w.field(4, "text", block.text)
    if draft.new_authorities:
        w.line("# New authorities: these names match nothing in reviews/authorities.yml. Add each (and")
        w.line("# check it is a council), or correct the name above:")
        for name in draft.new_authorities:
            w.line(f"#   - id: {slug(name)}")
            w.line(f"#     name: {name}")
            w.line("#     kind: county  # or unitary, metropolitan-borough, london-borough, district")
    return w.text(), doc_id, source_id


def _focus(w: Writer, draft: Draft) -> None:
    if not (draft.question or draft.sub_questions or draft.areas or draft.further_questions):
        return
    w.line("focus:")
    w.field(2, "question", draft.question)
    for key, values in (("sub_questions", draft.sub_questions), ("areas", draft.areas),
                        ("further_questions", draft.further_questions)):
        if values:
            w.line(f"  {key}:")
            for value in values:
                w.item(4, value)


def _findings(w: Writer, indent: int, items: list[Item], source_id: str, paper: Paper, themes: list[dict]) -> None:
    if not items:
        return
    pad = " " * indent
    w.line(f"{pad}findings:")
    used: set[str] = set()
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
        base = item.kind if item.kind != "area-for-development" else "development"
        fid = f"{base}-{slug(item.number)}" if item.number else f"{base}-{counts[item.kind]}"
        while fid in used:
            fid += "-b"
        used.add(fid)
        w.line(f"{pad}  - id: {fid}")
        w.line(f"{pad}    kind: {item.kind}")
        if item.number:
            w.field(indent + 4, "number", item.number)
        w.field(indent + 4, "group", item.group)
        w.field(indent + 4, "title", item.title)
        w.field(indent + 4, "text", item.text)
        suggested = suggest_themes(item.text, themes)
        w.line(f"{pad}    themes: []" + (f"  # suggested, check: {', '.join(suggested)}" if suggested else
                                        "  # choose from reviews/themes.yml"))
        _evidence(w, indent + 4, item.block, source_id, paper)


def _evidence(w: Writer, indent: int, block: Block, source_id: str, paper: Paper) -> None:
    pad = " " * indent
    page = f"  # page {paper.page(block.first)}" if paper.format == "pdf" else ""
    if EVIDENCE_FIELD:
        w.line(f"{pad}evidence:")
        w.line(f"{pad}  document: {source_id}")
        w.line(f"{pad}  lines: \"{block.lines}\"{page}")
    else:
        w.line(f"{pad}# evidence: document {source_id}, lines {block.lines}{page.replace('  #', ',')}")


STOP = {"the", "and", "of", "to", "a", "in", "for", "with", "on", "by", "is", "are", "be", "that", "this", "their",
        "its", "from", "as", "all", "at", "an", "or", "it", "has", "have", "will", "more", "school", "schools", "support",  # noqa: E501
        "improvement", "local", "authority", "council"}


def suggest_themes(text: str, themes: list[dict]) -> list[str]:
    """Up to two themes whose name or description shares the most words with the text."""
    words = {w[:6] for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP and len(w) > 3}
    scored = []
    for theme in themes:
        name = {w[:6] for w in re.findall(r"[a-z]+", str(theme.get("name", "")).lower()) if w not in STOP}
        description = {w[:6] for w in re.findall(r"[a-z]+", str(theme.get("description", "")).lower())
                       if w not in STOP and len(w) > 3}
        score = 2 * len(words & name) + len(words & description)
        if score >= 2:
            scored.append((-score, theme["id"]))
    return [tid for _, tid in sorted(scored)[:2]]
