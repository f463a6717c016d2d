"""Record text: the small markup it may carry (*emphasis*, **strong**, [links](https://…)),
and the same text without it, for excerpts, search, feeds and citations.

Turning it into HTML is the site's job (`site/render.py`); this module never makes markup.
"""

from __future__ import annotations

import re

LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()<>\"'`]+)\)")
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")


def plain(text: str | None) -> str:
    """Record text without its formatting marks, for excerpts and link labels (escaped later)."""
    if not text:
        return ""
    if "*" not in text and "](" not in text:  # no mark to take out (most text): spaces only
        return " ".join(text.split())
    text = LINK.sub(r"\1", text)
    text = STRONG.sub(r"\1", text)
    return " ".join(EMPHASIS.sub(r"\1", text).split())


def excerpt(text: str | None, words: int = 12) -> str:
    parts = plain(text).split(maxsplit=words)
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + "…"


SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])")
"""Where a sentence ends: `.`, `!` or `?` (and any closing quote), a space, then a capital."""


def last_sentence(text: str | None, words: int = 40) -> str:
    """The sentence a lead-in ends with (the one that introduces the list), for the same
    pages: `…` before it when the lead-in says more, and cut to `words` from its end."""
    flat = plain(text)
    ends = [m.end() for m in SENTENCE_END.finditer(flat) if m.end() < len(flat.rstrip())]
    sentence = flat[ends[-1]:].strip() if ends else flat
    kept = sentence.split()
    if len(kept) > words:
        sentence = " ".join(kept[-words:])
    return sentence if len(sentence) == len(flat.strip()) else "… " + sentence


def first_sentence(text: str | None, words: int = 40) -> str:
    """A finding's first sentence, without its formatting marks, for pages that list findings
    to scan and link to their full words; `…` marks anything left out, and a first sentence
    longer than `words` is cut there too."""
    flat = plain(text)
    end = SENTENCE_END.search(flat)
    sentence = flat[:end.end()].rstrip() if end else flat
    cut = excerpt(sentence, words)
    return cut if cut.endswith("…") or len(sentence) == len(flat) else cut + " …"
