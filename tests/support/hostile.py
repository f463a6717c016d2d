"""A valid archive whose text tries every trick on CSV, XML, SVG and BibTeX: for the export tests.

The tiny site fixture, plus an authority whose name is markup and a review whose text has
commas, quotes, line breaks, a formula, a leading apostrophe, markup, a CDATA end and a
tab (through a YAML escape: the one control character text may hold; the loader refuses the
others). Everything must survive a round trip or be escaped; nothing may break a file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .builds import TINY_RECORDS

NASTY_NAME = 'Ampersand & <b>Bold</b> "Borough"'
FORMULA = '=HYPERLINK("http://evil.example","click")'
MULTILINE = 'First line, with a comma\nsecond line with "quotes"\nthird line; and a semicolon'

AUTHORITY = f"""
  - id: nasty-borough
    name: '{NASTY_NAME}'
    kind: unitary
    region: "East of England"
"""

REVIEW = r"""id: nasty-2018
title: "<script>alert('x')</script> & \"quotes\", commas ]]>"
host: luton
programme: eastern-region-peer-review
date: "2018-02"
reviewers: [nasty-borough, essex]
summary:
  - "Summary with <b>tags</b> & ampersands\nand a line break"
findings:
  - id: recommendation-1
    kind: recommendation
    number: "1.10"
    group: "Group, with a comma"
    text: "=HYPERLINK(\"http://evil.example\",\"click\")"
    themes: [use-of-data, governance]
  - id: area-1
    kind: area-for-development
    text: "'Already starts with an apostrophe"
    themes: [use-of-data]
  - id: area-2
    kind: area-for-development
    text: "First line, with a comma\nsecond line with \"quotes\"\nthird line; and a semicolon"
    themes: [governance]
  - id: strength-1
    kind: strength
    text: "Tab\tcharacter, ]]> and </svg><script>alert(1)</script> {braces} 100% #1 $x_y"
    themes: [use-of-data]
offers:
  - id: offer-1
    authority: nasty-borough
    text: "An offer & <i>more</i>"
sources:
  - id: report
    title: "Report & <Appendix> {1}"
    authority: nasty-borough
    date: "2018-03-01"
"""


def hostile_records(dest: Path) -> Path:
    """A copy of the tiny fixture records with the hostile authority and review added."""
    records = dest / "reviews"
    shutil.copytree(TINY_RECORDS, records)
    registry = records / "authorities.yml"
    registry.write_text(registry.read_text(encoding="utf-8").rstrip("\n") + "\n" + AUTHORITY.lstrip("\n"),
                        encoding="utf-8")
    (records / "nasty-2018.yml").write_text(REVIEW, encoding="utf-8")
    return records
