"""Blocks -> the parts of a draft record: metadata, focus, findings, offers, response.

The rules read the paper as an editor does: a heading names the kind of what follows
("Current Strengths", "Areas for development", "Recommendation(s)", "Progress since
2012", "Next steps"), a lead-in sentence says what a list is ("The Peer Challenge looked
at:", "The agreed sub questions were:"), and an appendix that is a follow-up report holds
the follow-up's findings. Whatever no rule claims goes to `unclassified`, never away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block
from .cleaning import Paper
from .metadata import (
    BARE_MONTH_RE,
    MONTH_YEAR_RE,
    RANGE_RE,
    YEAR_RE,
    Registry,
    date_range,
    host_and_reviewers,
    title_case,
)

REVIEW_RE = re.compile(r"\bpeer[- ](?:review|challenge)s?\b", re.I)
HEADING_KINDS = [  # first match wins
    (re.compile(r"\breasons? for (?:the )?recommendation", re.I), "none"),
    (re.compile(r"\bkey issues?\b", re.I), "key-issue"),
    (re.compile(r"\bactions? (?:taken|plan)\b|\bresponse to\b", re.I), "action"),
    (re.compile(r"offers? of support|follow[- ]up offers", re.I), "offer"),
    (re.compile(r"\bstrengths?\b", re.I), "strength"),
    (re.compile(r"\bareas? for consideration\b", re.I), "area-for-consideration"),
    (re.compile(r"\bnext steps?\b", re.I), "next-step"),
    (re.compile(r"\bareas? for (?:development|improvement)\b|\bdevelopment areas?\b", re.I), "area-for-development"),
    (re.compile(r"\brecommendations?\b|\brecommendation\(s\)", re.I), "recommendation"),
    (re.compile(r"\bprogress\b|\bimprovements\b", re.I), "progress"),
]
RESET_RE = re.compile(r"\b(?:introduction|background|context|conclusions?|implications?|appendix|appendices|"
                      r"purpose|summary|risks?|financial|legal|equalit|priorities|consultation)\b", re.I)
SKIP_LIST_RE = re.compile(r"following sections|\boutlined?\b|\bheadings\b|specific themes|key dates|timescales?|"
                          r"background papers|appendices|\bcontents\b", re.I)
QUESTION_RE = re.compile(r"\bquestions?\b", re.I)
AREAS_RE = re.compile(r"\blooked at\b|\bfocus(?:ed)? (?:of|on) the (?:review|peer)|\bthe focus of the review\b", re.I)
COMMITTEE_RE = re.compile(r"\b(?:committee|members?|cabinet|panel|board|lead members?)\b.{0,20}\b(?:is|are) "
                          r"(?:asked|recommended|invited)", re.I)
ACTION_LEAD_RE = re.compile(r"\bprogress (?:we|made|has been)|\bwe had made\b|\bunderway\b|\baddress(?:ing)? (?:these|the)\b|"  # noqa: E501
                            r"\bactions? (?:being|taken)\b", re.I)
PROGRESS_LEAD_RE = re.compile(r"\b(?:review|visit|team|report|peers?)\b[^.]{0,30}"
                              r"\b(?:recogni[sz]ed|acknowledged|praised)\b[^.]{0,20}\bprogress\b", re.I)
# A paragraph of the council's own response: what it did because of the review.
ACTION_PARA_RE = re.compile(r"\bfollowing the (?:outcomes? of the )?peer (?:review|challenge)\b"
                            r"|\bas a result,? (?:we|the council)\b|\b(?:we|the council) (?:have|has) since\b"
                            r"|\bthe peer (?:review|challenge) (?:also )?(?:informed|led to)\b", re.I)
ACTION_NEXT_RE = re.compile(r"^(?:the council (?:is|has|will)|we (?:will|are|have)|this means)\b", re.I)
REGION_LEAD_RE = re.compile(r"\b(?:in|across) the region\b|\bregional (?:meeting|group|programme)\b", re.I)
NEXT_LEAD_RE = re.compile(r"\bwill be (?:held|taking place)\b|\banticipated\b|\bplanned\b|\bwill take place\b", re.I)
PROPOSAL_RE = re.compile(r"propos|in the future will|will be to\b|key features|retained|devolved|commissioning|"
                         r"trading|\bactions\b|programmes are running|\boption\b", re.I)
OBSERVATION_RE = re.compile(r"recommendations (?:from|of) the (?:peer )?review", re.I)
FUTURE_RE = re.compile(r"\bwill\b", re.I)
DONE_RE = re.compile(r"\b(?:has|have)(?: also)? been\b|\bis progressing\b|\b(?:is|are) being\b|\bhave agreed\b", re.I)
EXCLUDED_SECTIONS = re.compile(r"purpose|recommendation|summary|background", re.I)
FINDING_KINDS = {"strength", "area-for-development", "area-for-consideration", "key-issue", "recommendation",
                 "next-step", "progress", "action"}


@dataclass
class Item:
    kind: str
    text: str
    block: Block
    number: str | None = None
    group: str | None = None
    title: str | None = None
    where: str = "review"  # "review", "follow_up", "response" or "context"


@dataclass
class Offer:
    authority: str | None
    name: str
    text: str
    block: Block


@dataclass
class Part:
    kind: str  # "review", "follow_up", "response" or "appendix"
    title: str | None
    blocks: list[Block] = field(default_factory=list)
    appendix: str | None = None


@dataclass
class Draft:
    is_review: bool = True
    source: dict[str, str | None] = field(default_factory=dict)
    inferred: dict[str, str] = field(default_factory=dict)  # field -> why it is inferred
    kind: str = "peer-review"
    title: str | None = None
    host: str | None = None
    reviewers: list[str] = field(default_factory=list)
    new_authorities: list[str] = field(default_factory=list)
    date: str | None = None
    end_date: str | None = None
    programme: str | None = None
    question: str | None = None
    sub_questions: list[str] = field(default_factory=list)
    further_questions: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    committee_recommendations: list[str] = field(default_factory=list)
    follow_up: dict[str, str | None] | None = None
    unclassified: list[tuple[Block, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    evidence_lines: dict[int, str] = field(default_factory=dict)


def classify(paper: Paper, blocks: list[Block], registry: Registry) -> Draft:
    draft = Draft()
    full = "\n".join(b.text for b in blocks)
    draft.is_review = bool(REVIEW_RE.search(full))
    parts = _parts(blocks, paper)
    main = parts[0]
    end = parts[1].blocks[0].first - 1 if len(parts) > 1 else len(paper.lines)
    cover = [line for n, line in enumerate(paper.lines[:end], 1) if line.strip() and n not in paper.noise][:40]
    _cover(cover, main.blocks, draft, paper)
    committee = bool(draft.source.get("body") or draft.source.get("agenda_item")) or _committee_report(main.blocks)
    if committee and main.kind == "review":
        main.kind = "response"
    headings = [_words(b.text) for b in blocks if b.kind == "heading"]
    for part in parts:
        _read_part(part, draft, registry, headings, committee)
    if draft.is_review:
        _review_facts(draft, blocks, parts, registry, full)
    else:
        draft.host = _most_mentioned(registry, full)
    return draft


# --- parts -------------------------------------------------------------------------------

APPENDIX_RE = re.compile(r"^appendix\s+(\d+|[a-z])\b\s*[-–—:.]?\s*(.*)$", re.I)


def _parts(blocks: list[Block], paper: Paper) -> list[Part]:
    parts = [Part("review", None)]
    in_appendices = False
    for i, block in enumerate(blocks):
        match = APPENDIX_RE.match(block.text) if block.kind == "heading" else None
        if block.kind == "heading" and re.fullmatch(r"(?:\d+\.?\s*)?appendices(?: to the report)?", block.text.strip(),
                                                    re.I):
            in_appendices = True
        elif not match:
            in_appendices = False  # the list of appendices is over
        if match and not in_appendices:
            name = f"Appendix {match.group(1)}"
            if parts[-1].appendix == name:  # the appendix's own first line repeats its name
                parts[-1].blocks.append(block)
                continue
            title = match.group(2).strip() or None
            following = " ".join(b.text for b in blocks[i + 1:i + 4])
            probe = f"{title or ''} {following}"
            kind = ("follow_up" if re.search(r"follow[- ]?up", probe, re.I)
                    else "review" if re.search(r"peer (?:review|challenge)|feedback", probe, re.I) else "appendix")
            parts.append(Part(kind, title, [block], name))
            continue
        parts[-1].blocks.append(block)
    return parts


# --- the cover -----------------------------------------------------------------------------

LABELS = {
    "body": r"committee|meeting|to|report to",
    "date": r"date(?: of meeting)?|meeting date",
    "title": r"title(?: of report)?|subject|report title",
    "author": r"by|report of|report by|from|author|report author",
    "agenda_item": r"agenda item(?: no\.?)?|item(?: no\.?)?",
}
BODY_RE = re.compile(r"\b(?:committee|cabinet|board|panel|council meeting|scrutiny|lead members?)\b", re.I)


def _committee_report(blocks: list[Block]) -> bool:
    """A report to a committee without a cover sheet: it calls itself 'this report' and names 'the Committee'."""
    return bool(re.search(r"\bthis report\b", " ".join(b.text for b in blocks[:6]), re.I)
                and re.search(r"\bthe committee\b", " ".join(b.text for b in blocks), re.I))


def _cover(cover: list[str], blocks: list[Block], draft: Draft, paper: Paper) -> None:
    """The cover sheet: labelled fields ("Date: ..."), or a committee system's unlabelled lines.

    The title, in order: the cover's own; the title a committee system's page gives the
    paper (its metadata, h1 or <title>, or a copied "Agenda item - <title>" line); the
    review's name in the first paragraphs (inferred); the paper's first heading.
    """
    source: dict[str, str | None] = {"title": None, "body": None, "date": None, "agenda_item": None, "author": None}
    lines: list[tuple[None, str]] = []
    for line in cover:
        pieces = [p.strip() for p in re.split(r"\t+", line) if p.strip()]
        for n, piece in enumerate(pieces):
            if n and re.fullmatch(r"[A-Za-z ()]{2,30}:", pieces[n - 1]):
                continue  # taken with its label
            if re.fullmatch(r"[A-Za-z ()]{2,30}:", piece) and n + 1 < len(pieces) \
                    and not pieces[n + 1].endswith(":"):
                piece = f"{piece} {pieces[n + 1]}"  # a cover table's label cell and its value: "Date: 7 May 2019"
            lines.append((None, re.sub(r"^- +", "", piece).replace("**", "")))
    body_at = None
    sections = False  # past the cover: the paper's numbered sections have begun
    page_title: str | None = paper.page_title
    for index, (_, text) in enumerate(lines):
        sections = sections or bool(re.match(r"\d+(?:\.\d+)*\.\s+[A-Z]|\d+\.\d+\s+[A-Z]", text))  # "1. Introduction"
        agenda = re.search(r"\b(?:agenda\s+)?item(?:\s+no\.?)?\s*[:.]?\s*(\d+[a-z]?)\b", text, re.I)
        if agenda and source["agenda_item"] is None and len(text.split()) <= 5:
            source["agenda_item"] = agenda.group(1)
            continue
        label = re.match(r"^([A-Za-z ()]+?)\s*[:–-]\s*(.+)$", text)
        if label:
            name = label.group(1).strip()
            key = next((k for k, pattern in LABELS.items() if re.fullmatch(pattern, name, re.I)), None)
            if key == "agenda_item" and not re.match(r"\d", label.group(2).strip()):
                page_title = page_title or label.group(2).strip()  # a committee system's "Agenda item - <title>"
                continue
            if key and source[key] is None:
                value = label.group(2).strip()
                if key == "date":
                    found = date_range(value)
                    value = found[0] if found else None
                if key == "author":
                    value = _author_with_next(value, lines, index)
                source[key] = value
                continue
        if source["date"] is None and RANGE_RE.match(text):
            source["date"] = date_range(text)[0] if date_range(text) else None
            continue
        report_of = re.match(r"^report of the\s+(.+)$", text, re.I)
        if report_of and source["author"] is None:
            source["author"] = report_of.group(1).strip()
            continue
        if (source["body"] is None and BODY_RE.search(text) and len(text.split()) <= 12
                and not text.endswith((".", ":")) and not re.match(r"the\b", text, re.I) and index < 12):
            source["body"] = title_case(text)
            body_at = index
            continue
        if (source["title"] is None and body_at is not None and not sections
                and len(text.split()) <= 15 and not re.search(r"contact|this report is|public report|wards|key decision",  # noqa: E501
                                                                text, re.I)
                and ":" not in text and not text.endswith(".") and not RANGE_RE.match(text)):
            source["title"] = title_case(text)
    own = [b for b in blocks if not _page_line(b.text, paper)]  # the paper's blocks, not the page's heading
    if source["title"] is None and page_title:
        source["title"] = page_title
    if source["title"] is None:
        text = "\n".join(b.text for b in own[:12])
        phrase = re.search(r"\b(Peer (?:Review|Challenge) of (?:[A-Z][\w’']* ?)+(?:(?:of|for|and|in|on|the) "
                           r"(?:[A-Z][\w’']* ?)+)*)", text)  # within one block: spaces, not line breaks
        first = next((b for b in own if b.kind in ("heading", "para")), None)
        if phrase:
            source["title"] = phrase.group(1).strip()
            draft.inferred["title"] = "no title is printed; this is the review's name in the paper's first paragraphs"
        elif first is not None and len(first.text.split()) <= 20 and not first.text.endswith("."):
            source["title"] = title_case(first.text)
    if source["date"] is None and _committee_report(blocks):
        years = YEAR_RE.findall(" ".join(b.text for b in blocks))
        if years:
            source["date"] = max(years)
            draft.inferred["date_source"] = "no meeting date is printed; the latest year the report names"
    if source["author"] is None:
        for block in blocks:
            signed = re.search(r"^(.{3,80}?\bon behalf of the .{3,40}?)$", block.text)
            if signed:
                source["author"] = signed.group(1).strip()
    draft.source = source


def _page_line(text: str, paper: Paper) -> bool:
    """The committee system's heading over the paper ("Agenda item - <title>"), not a line of the paper."""
    text = text.strip()
    return bool(paper.page_heading and text.startswith(paper.page_heading)) or bool(
        re.match(r"^agenda item\s*[-–—:]\s*\D", text, re.I))


def _author_with_next(value: str, lines: list[tuple[None, str]], index: int) -> str:
    """'Report of: A - role' may go on for a second name and role on the next line."""
    if index + 1 < len(lines):
        nxt = lines[index + 1][1]
        if re.match(r"^[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)+ [–-] [A-Z]", nxt) and ":" not in nxt:
            return f"{value}; {nxt}"
    return value


# --- reading each part ------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    text = re.sub(r"^(?:[A-Z]|\d+(?:\.\d+)*)[.)]\s+", "", text.strip())
    return frozenset(w for w in re.findall(r"[a-z]+", text.lower()) if w not in {"the", "and", "of", "a"})


def _group(text: str) -> str:
    text = re.sub(r"^(?:[A-Z]|\d+(?:\.\d+)*)[.)]?\s+", "", text.strip())
    return re.sub(r"\s*[:–-]+\s*$", "", text).strip()


def _read_part(part: Part, draft: Draft, registry: Registry, headings: list[frozenset[str]], committee: bool) -> None:
    kind: str | None = None
    group: str | None = None
    section = ""
    announced: set[frozenset[str]] = set()
    lead: Block | None = None
    blocks = part.blocks
    offer_authority: tuple[str | None, str] | None = None
    question_next = False
    acting = False  # the paragraph before was the council's response to the review
    where = {"follow_up": "follow_up", "response": "response"}.get(part.kind, "review")
    if not draft.is_review:
        where = "context"
    if part.kind == "follow_up" and draft.follow_up is None:
        text = " ".join(b.text for b in blocks[:6])
        when = date_range(text)
        title = next((b.text for b in blocks[1:5] if b.kind == "heading" and not APPENDIX_RE.match(b.text)
                      and not RANGE_RE.match(b.text)), part.title)
        draft.follow_up = {"date": when[0] if when else None, "title": title}
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "heading" and where == "response" and ACTION_PARA_RE.search(block.text):
            block.kind = "para"  # a short sentence without a full stop, not a heading
        if block.kind == "heading":
            section = block.text
            cue = next((k for pattern, k in HEADING_KINDS if pattern.search(block.text)), None)
            if cue == "recommendation" and nxt is not None and COMMITTEE_RE.search(nxt.text):
                cue = "committee"
            if cue == "none":
                kind, group = None, _group(block.text)
            elif cue:
                kind, group, announced = cue, _group(block.text), set()
            elif _words(block.text) in announced:
                group = _group(block.text)
            else:
                kind, group = None, _group(block.text)
            if cue in FINDING_KINDS and kind == cue and block.kind == "heading" and where == "context":
                kind = None
            lead = block
            offer_authority = None
            if re.search(r"overarching question", block.text, re.I) and block.text.rstrip().endswith((":", ":-")):
                question_next = True
            continue
        if question_next and block.kind == "para":
            draft.question = draft.question or block.text
            question_next = False
            draft.evidence_lines[id(block)] = "question"
            lead = block
            continue
        if block.kind == "para":
            inline = re.search(r"overarching question (?:was|is) (?:agreed as|as follows)?\s*:\s*(.+)$", block.text, re.I)  # noqa: E501
            if inline:
                draft.question = inline.group(1).strip()
                lead = block
                continue
            if re.search(r"overarching question (?:for the review )?(?:was|is)\s*:-?\s*$", block.text, re.I):
                question_next = True
                lead = block
                continue
            focus = re.search(r"\bthe focus of the (?:peer )?review was (?:on )?(.+)$", block.text, re.I)
            if focus and draft.question is None and not block.lead_in:
                draft.question = block.text if len(block.text.split()) < 40 else focus.group(0)
        if kind == "offer" and block.kind in ("para", "item"):
            offer = _offer(block, registry, offer_authority)
            if offer is not None:
                draft.offers.append(offer)
                offer_authority = (offer.authority, offer.name)
                continue
            if len(draft.offers) and offer_authority is not None:
                kind = None
        if block.kind == "item" or (block.kind == "para" and block.number and kind in FINDING_KINDS
                                    and not (part.kind == "response" and kind == "next-step")):
            if _list_item(block, lead, kind, group, part, draft, headings, where, section):
                announced.add(_words(block.text))
            continue
        if block.kind == "para" and part.kind == "response" and kind == "next-step":
            _sentences(block, draft, group, where)
            lead = block
            continue
        if (block.kind == "para" and where == "response" and not EXCLUDED_SECTIONS.search(section)
                and (ACTION_PARA_RE.search(block.text) or (acting and ACTION_NEXT_RE.search(block.text)))):
            draft.items.append(Item("action", block.text, block, None, group, None, "response"))
            lead, acting = block, True
            continue
        acting = False
        if (block.kind == "para" and where in ("response",) and OBSERVATION_RE.search(block.text)
                and not EXCLUDED_SECTIONS.search(section)):
            draft.items.append(Item("observation", block.text, block, group=group, where=where))
            lead = block
            continue
        if (block.kind == "para" and where == "response" and block.number and not EXCLUDED_SECTIONS.search(section)
                and FUTURE_RE.search(block.text) and not block.lead_in):
            for sentence in _split_sentences(block.text):
                if FUTURE_RE.search(sentence):
                    draft.items.append(Item("next-step", sentence, block, group=group, where=where))
            lead = block
            continue
        if block.kind == "para" and re.search(r"the following offers have been made|offers? (?:of support )?(?:were|have been) made",  # noqa: E501
                                              block.text, re.I):
            kind = "offer"
        if block.kind == "para" and kind == "committee" or (block.kind == "para" and COMMITTEE_RE.search(block.text)
                                                              and EXCLUDED_SECTIONS.search(section)):
            draft.committee_recommendations.append(block.text)
            lead = block
            continue
        if block.kind in ("para", "item") and block.text.strip():
            draft.unclassified.append((block, section))
        lead = block


def _list_item(block: Block, lead: Block | None, kind: str | None, group: str | None, part: Part, draft: Draft,
               headings: list[frozenset[str]], where: str, section: str) -> bool:
    """File one list item; True when it only names a heading of the paper (a list of contents)."""
    lead_text = lead.text if lead is not None else ""
    if _words(block.text) in headings and len(block.text.split()) <= 8:
        draft.unclassified.append((block, "a list of the paper's own headings"))
        return True
    if SKIP_LIST_RE.search(lead_text):
        draft.unclassified.append((block, lead_text))
        return False
    if COMMITTEE_RE.search(lead_text) or COMMITTEE_RE.search(block.text) or kind == "committee":
        draft.committee_recommendations.append(block.text)
        return False
    if QUESTION_RE.search(lead_text) and kind not in FINDING_KINDS:
        further = re.search(r"\bfurther\b", lead_text, re.I)
        target = draft.further_questions if further else draft.sub_questions
        known = {q.lower() for q in target + (draft.sub_questions if further else [])}
        if block.text.lower() not in known:
            target.append(block.text)
        return False
    if AREAS_RE.search(lead_text) and kind not in FINDING_KINDS:
        draft.areas.append(block.text.rstrip(":;"))
        return False
    number = block.number  # as printed: "1" under paragraph 4.3, not "4.3 (1)"
    text, title = block.text, None
    if where == "context" and block.number and not block.dotted:
        split = re.match(r"^([A-Z][\w/&’' ]{2,60}?)\s+[–—-]\s+(\S.*)$", text)
        if split and len(split.group(1).split()) <= 5:
            title, text = split.group(1).strip(), split.group(2).strip()
    item_group = group  # a heading the paper prints, never a lead-in sentence
    if where == "context":
        cues = f"{_last_sentence(lead_text)} {section} {part.title or ''}"
        kind_here = "proposal" if PROPOSAL_RE.search(cues) else "observation"
        if part.appendix and item_group and part.appendix not in item_group:
            item_group = f"{part.appendix} – {item_group}"
        draft.items.append(Item(kind_here, text, block, number, item_group, title, "context"))
        return False
    if kind in FINDING_KINDS:
        target = where
        if kind in ("strength", "area-for-development", "recommendation"):
            target = "review"
        elif kind == "action":
            target = "response"
        draft.items.append(Item(kind, text, block, number, item_group, title, target))
        return False
    if REGION_LEAD_RE.search(lead_text):
        draft.unclassified.append((block, "the region's plans, not findings about the host: " + lead_text))
        return False
    if PROGRESS_LEAD_RE.search(lead_text):
        draft.items.append(Item("progress", text, block, number, item_group, title, where))
        return False
    if NEXT_LEAD_RE.search(lead_text):
        draft.items.append(Item("next-step", text, block, number, item_group, title, where))
        return False
    if part.kind == "response" and ACTION_LEAD_RE.search(lead_text):
        draft.items.append(Item("action", text, block, number, item_group, title, "response"))
        return False
    draft.unclassified.append((block, lead_text or section))
    return False


def _last_sentence(text: str) -> str:
    pieces = [p for p in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip()) if p]
    return pieces[-1] if pieces else text


def _split_sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


def _sentences(block: Block, draft: Draft, group: str | None, where: str) -> None:
    """A response's 'next steps' paragraph: what is done is an action, what will be is a next step."""
    claimed = False
    for sentence in _split_sentences(block.text):
        if re.search(r"\bis attached\b|\bare attached\b", sentence, re.I):
            continue
        kind = "action" if DONE_RE.search(sentence) else "next-step" if FUTURE_RE.search(sentence) else "action"
        draft.items.append(Item(kind, sentence, block, None, group, None, "response"))
        claimed = True
    if not claimed:
        draft.unclassified.append((block, group or ""))


def _offer(block: Block, registry: Registry, previous: tuple[str | None, str] | None) -> Offer | None:
    match = re.match(r"^([A-Z][\w’' -]{1,40}?)\s*:\s*(\S.+)$", block.text)
    if match:
        name = match.group(1).strip()
        authority = registry.match(name)
        if authority is not None or len(name.split()) <= 3:
            return Offer(authority, name, match.group(2).strip(), block)
    if previous is not None and len(block.text.split()) <= 20 and not block.text.startswith("The "):
        return Offer(previous[0], previous[1], block.text, block)
    return None


# --- the review's own facts --------------------------------------------------------------------


def _review_facts(draft: Draft, blocks: list[Block], parts: list[Part], registry: Registry, full: str) -> None:
    main_text = "\n".join(b.text for p in parts if p.kind != "follow_up" for b in p.blocks)
    host, reviewers, unknown = host_and_reviewers(main_text, main_text, registry)
    draft.host, draft.reviewers = host, reviewers
    draft.new_authorities = [n for n in unknown]
    for offer in draft.offers:
        if offer.authority is None and offer.name not in draft.new_authorities:
            draft.new_authorities.append(offer.name)
    challenges = len(re.findall(r"peer[- ]challenge", full, re.I))
    reviews = len(re.findall(r"peer[- ]review", full, re.I))
    draft.kind = "peer-challenge" if challenges > reviews else "peer-review"
    _review_date(draft, blocks)
    _programme(draft, registry, full)
    if not draft.reviewers:
        draft.missing.append("the reviewing authorities (no sentence names the team's councils)")
    if draft.date is None:
        draft.missing.append("the date of the review")
    if not any(i.where in ("review", "follow_up") for i in draft.items):
        draft.missing.append("the review's own findings (strengths, areas for development, recommendations)")


def _review_date(draft: Draft, blocks: list[Block]) -> None:
    cue = re.compile(r"took place|was undertaken|undertaken on|was held|were held|visit(?:ed)? on", re.I)
    year_before = None
    for block in blocks:
        if cue.search(block.text) and REVIEW_RE.search(block.text + " peer review"):
            sentence = next((s for s in _split_sentences(block.text) if cue.search(s)), block.text)
            found = RANGE_RE.search(sentence)
            if found:
                draft.date, draft.end_date = date_range(sentence[found.start():])
                return
            month = MONTH_YEAR_RE.search(sentence)
            if month:
                draft.date = date_range(month.group(0))[0]
                return
            bare = BARE_MONTH_RE.search(sentence)
            if bare and year_before:
                draft.date = date_range(f"{bare.group(1)} {year_before}")[0]
                draft.inferred["date"] = (f"the paper gives the month only; the year is that of the last date "
                                          f"before it ({year_before})")
                return
        years = MONTH_YEAR_RE.findall(block.text)
        if years:
            year_before = years[-1][1]
    years = [int(y) for y in YEAR_RE.findall("\n".join(b.text for b in blocks))]
    if years and draft.date is None:
        guess = str(max(years) + 1)
        draft.date = guess
        draft.inferred["date"] = (f"no date of the review is printed; guessed as the year after the latest year "
                                  f"the paper cites ({max(years)}): check")


def _programme(draft: Draft, registry: Registry, full: str) -> None:
    lowered = re.sub(r"\s+", " ", full.lower())
    for programme in registry.programmes:
        name = str(programme.get("name", "")).lower()
        if name and name in lowered:
            draft.programme = programme["id"]
            return
    region = registry.regions.get(draft.host or "")
    word = "challenge" if draft.kind == "peer-challenge" else "review"
    for programme in registry.programmes:
        if region and programme.get("region") == region and word in str(programme.get("name", "")).lower():
            draft.programme = programme["id"]
            draft.inferred["programme"] = (f"not named in the paper; the programme of {region} for a peer {word}, "
                                           "where the host is")
            return


def _most_mentioned(registry: Registry, text: str) -> str | None:
    from collections import Counter

    counts = Counter(registry.mentions(text))
    return counts.most_common(1)[0][0] if counts else None
