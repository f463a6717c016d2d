"""A sentence that introduces a list ("... have taken place in:") is printed with its list.

A real build of the tiny site whose follow-up gives its first two progress findings a
lead-in (`items: 2`) and a third finding under the same heading that it does not introduce.
"""

from __future__ import annotations

import re
from pathlib import Path

from support.builds import ROOT, build, make_project

LEAD_IN = "Noticeable improvements have taken place in:"
FINDINGS = """      - id: progress-1
        kind: progress
        group: Progress since 2016
        text: The council now publishes a clear analysis of data.
"""
WITH_LEAD_IN = f"""      - id: progress-1
        kind: progress
        group: Progress since 2016
        lead_in:
          text: "{LEAD_IN}"
          items: 2
        text: The council now publishes a clear analysis of data.
"""
MORE = """      - id: progress-2
        kind: progress
        group: Progress since 2016
        text: Governors are trained.
        themes: [governance]
      - id: progress-3
        kind: progress
        group: Progress since 2016
        text: A separate point the sentence does not introduce.
        themes: [governance]
    conclusion:
"""


def test_lead_in_and_its_list_are_one_block(site_project: Path) -> None:
    record = site_project / "reviews" / "thurrock-2016.yml"
    text = record.read_text()
    assert FINDINGS in text and "    conclusion:\n" in text
    record.write_text(text.replace(FINDINGS, WITH_LEAD_IN).replace("    conclusion:\n", MORE, 1))
    result = build(site_project)
    assert result.ok, result.output
    html = (result.site / "reviews" / "thurrock-2016" / "index.html").read_text()
    blocks = re.findall(r'<div class="pra-introduced">(.*?)\n</div>\n', html, re.S)
    assert len(blocks) == 1
    block = blocks[0]
    # The sentence first, then its list, inside one element; the list holds exactly the items it introduces.
    assert re.match(r'\s*<div class="pra-lead-in"><p>' + re.escape(LEAD_IN) + r'</p></div>\s*<ul class="pra-findings">',
                    block), block[:300]
    assert re.findall(r'<li class="pra-finding [^"]*" id="([^"]+)"', block) == ["progress-1", "progress-2"]
    # The finding after the list stays in the follow-up, outside the block, and the sentence is printed once.
    part = html[html.index('id="follow-up-2017-03"'):html.index('id="committee-2016-12"')]
    assert 'id="progress-3"' in part and 'id="progress-3"' not in block
    assert html.count(LEAD_IN) == 1
    # A theme's pages: its findings listing (first sentences) and its newest findings (in full)
    # keep the sentence introducing an introduced finding, and not the one after the list.
    for page in ("themes/governance/findings/index.html", "themes/governance/index.html"):
        html = (result.site / page).read_text()
        assert _item(html, "Governors are trained.").count(LEAD_IN) == 1, page
        assert LEAD_IN not in _item(html, "A separate point"), page


def _item(html: str, words: str) -> str:
    found = re.search(r'<li class="pra-finding[^"]*">(?:(?!</li>).)*' + re.escape(words) + r"(?:(?!</li>).)*</li>",
                      html, re.S)
    assert found, words
    return found.group(0)


def test_listings_quote_the_sentence_that_introduces_the_list() -> None:
    from peer_review_archive.records.text import last_sentence

    assert last_sentence("Good progress has been made. Improvements have taken place in:") == \
        "… Improvements have taken place in:"
    assert last_sentence(LEAD_IN) == LEAD_IN


def test_bulleted_paragraphs_print_as_one_list_after_their_sentence(tmp_path: Path) -> None:
    """Thurrock's summary: 'which are listed below:' and the three questions the paper bullets."""
    result = build(make_project(tmp_path / "project", ROOT / "reviews"))
    assert result.ok, result.output
    html = (result.site / "reviews" / "thurrock-2016" / "index.html").read_text()
    brief = html[html.index('id="summary"'):html.index("</ul>", html.index('id="summary"'))]
    assert re.search(r"listed below:</p>\s*<ul class=\"pra-bullets\">", brief), brief[-600:]
    assert brief.count("<li>") == 3 and "<li>What is the role of schools and academies" in brief


def test_blocks_group_a_run_of_bullets() -> None:
    from peer_review_archive.site.views.common import Block, blocks

    assert blocks(["Intro:", "- one", "- two", "After.", "- three"]) == (
        Block("Intro:"), Block(None, ("one", "two")), Block("After."), Block(None, ("three",)))
