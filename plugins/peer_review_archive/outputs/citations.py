"""Ready-made citations of a review and of its source documents, for each review page.

Councillors, officers and researchers quote these reports in their own papers; a
citation they can copy saves them reconstructing committee, date and agenda item by
hand. Plain text in a common author-date style, plus BibTeX for reference managers.
No access date: it would come from the clock, and two builds must be identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..graph.indexes import reviewing_authorities
from ..records import urls
from ..records.archive import Archive
from ..records.dates import date_range, human_date
from ..records.models import Review, Source
from ..records.text import plain

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass(frozen=True)
class SourceCitation:
    source_id: str
    text: str


@dataclass(frozen=True)
class ReviewCitations:
    """What a review page offers to copy."""

    review: str
    bibtex: str
    sources: tuple[SourceCitation, ...]


def _names_list(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def bibtex_escape(text: str) -> str:
    """Record text as a BibTeX field value: no brace or command in it can break the entry."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), text)


def review_citations(review: Review, archive: Archive, site_url: str, site_name: str) -> ReviewCitations:
    """The review's citation (plain and BibTeX) and one for each of its source documents."""
    names = {a.id: a.name for a in archive.authorities.values()}
    page = urls.review_url(review.id)
    url = urls.absolute_url(site_url, page)
    peers = [names[p] for p in reviewing_authorities(review)]
    what = "Peer challenge" if review.kind == "peer-challenge" else "Peer review"
    title = plain(review.title)
    year = review.date[:4]
    author = f"{_names_list(peers)} (peer review team)" if peers else site_name
    details = f"{what} of {names[review.host]}, {date_range(review.date, review.end_date)}"
    if review.programme:
        details += f", {archive.programmes[review.programme].name}"
    text = f"{author} ({year}) {_sentence(title)} {details}. {site_name}. Available at: {url}"

    authors = [bibtex_escape(p) for p in peers] or [bibtex_escape(site_name)]
    fields = [
        ("title", bibtex_escape(title)),
        ("author", " and ".join("{" + a + "}" for a in authors)),  # braced: councils, not people
        ("year", year),
        ("howpublished", bibtex_escape(f"{details}. {site_name}")),
        ("url", url),
    ]
    lines = [f"@misc{{{review.id},", *(f"  {key} = {{{value}}}," for key, value in fields)]
    lines.append("}")
    sources = tuple(SourceCitation(s.id, source_citation(s, names, site_url, page, site_name))
                    for s in review.sources)
    return ReviewCitations(text, "\n".join(lines), sources)


def source_citation(source: Source, names: dict[str, str], site_url: str, page: str, site_name: str) -> str:
    """A source document as it would be cited: publisher, year, title, meeting, where to find it."""
    publisher = names[source.authority] if source.authority else None
    year = f" ({source.date[:4]})" if source.date else " (n.d.)"
    publisher = publisher or (plain(source.body) if source.body else None)
    title = _sentence(plain(source.title))
    # Author-date style: with no publisher known, the title takes the author's place.
    parts = [f"{publisher}{year} {title}" if publisher else f"{title.removesuffix('.')}{year}."]
    meeting = []
    if source.body and source.authority:
        meeting.append(plain(source.body))
    if source.date and len(source.date) > 4:
        meeting.append(human_date(source.date))
    if source.agenda_item:
        meeting.append(f"agenda item {plain(source.agenda_item)}")
    if meeting:
        parts.append(_sentence(", ".join(meeting)))
    if source.author:
        parts.append(_sentence(f"Report of {plain(source.author)}"))
    if source.url:
        parts.append(f"Available at: {source.url}")
    anchor = urls.absolute_url(site_url, urls.anchor_url(page, urls.source_anchor(source.id)))
    parts.append(f"Transcribed in {site_name}: {anchor}")
    return " ".join(parts)
