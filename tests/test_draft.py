"""`pra draft`: golden drafts of a small paper as text, PDF and HTML, and every bad input.

The papers are in tests/fixtures/papers/: `small-review.txt` (a ligature, private-use
bullets, a hyphenated line end, a "Page 1 of 2" footer, contact details, an authority
the registry lacks), the PDF headless Chromium printed from it (running header and
footer), and the HTML page a committee system would serve; `table-review.pdf`, a PDF with
a printed table whose cells wrap; two committee-system pages whose covers are read from
label cells, metadata, h1 and <title>; then an encrypted PDF, a PDF
with no text layer, an HTML page without a paper, an empty and a binary file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.builds import ROOT

PAPERS = Path(__file__).parent / "fixtures" / "papers"


def pra_draft(paper: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "peer_review_archive.cli", "draft", str(paper),
                           "--records", str(ROOT / "reviews"), *args], capture_output=True, text=True, cwd=ROOT)


def test_text_paper_gives_the_golden_draft() -> None:
    done = pra_draft(PAPERS / "small-review.txt")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (PAPERS / "small-review.expected.yml").read_text(encoding="utf-8")


def parts(draft: dict) -> dict:
    """What must not depend on the format: every finding, offer and metadata field."""
    found = [(f["kind"], f.get("number"), f["text"]) for f in draft.get("findings", [])]
    for response in draft.get("responses", []):
        found += [(f["kind"], f.get("number"), f["text"]) for f in response.get("findings", [])]
    source = {k: v for k, v in draft["sources"][0].items() if k != "reference" and k != "id"}
    facts = {k: draft.get(k) for k in ("host", "reviewers", "date", "end_date", "programme", "focus")}
    return {"findings": found, "offers": [(o["authority"], o["text"]) for o in draft.get("offers", [])],
            "source": source, "facts": facts}


@pytest.mark.parametrize("paper", ["small-review.pdf", "small-review.html"])
def test_pdf_and_html_give_the_same_draft_as_the_text(paper: str) -> None:
    done = pra_draft(PAPERS / paper)
    assert done.returncode == 0, done.stderr
    got = yaml.safe_load(done.stdout)
    want = yaml.safe_load((PAPERS / "small-review.expected.yml").read_text(encoding="utf-8"))
    assert parts(got) == parts(want)
    assert got["draft"] is True


def test_the_draft_reads_the_paper_as_an_editor_would() -> None:
    draft = yaml.safe_load((PAPERS / "small-review.expected.yml").read_text(encoding="utf-8"))
    texts = [f["text"] for f in draft["findings"]]
    assert "Quality assure the financial support that is commissioned for schools." in texts  # ﬁ
    assert any("the wider community of partners." in t for t in texts)  # commun-/ity
    assert [f["kind"] for f in draft["findings"]] == ["strength", "strength", "area-for-development",
                                                       "area-for-development", "recommendation"]
    assert [f.get("number") for f in draft["findings"]][2:] == ["1", "2", "3.1"]
    assert (draft["host"], draft["reviewers"], draft["date"], draft["end_date"]) == \
        ("norfolk", ["essex", "suffolk"], "2017-11-06", "2017-11-07")
    assert draft["offers"][1]["authority"] == "rutland"
    assert draft["responses"][0]["findings"][0]["kind"] == "action"
    assert all(f["themes"] == [] for f in draft["findings"])  # themes are the editor's to choose


def test_pdf_table_with_wrapped_cells_gives_the_golden_draft(tmp_path: Path) -> None:
    """table-review.pdf: Chromium printed table-review.print.html, a three-column bordered table of
    strengths, areas for development and recommendations whose bullets (and one heading) wrap."""
    done = pra_draft(PAPERS / "table-review.pdf", "--text", str(tmp_path / "paper.txt"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (PAPERS / "table-review.expected.yml").read_text(encoding="utf-8")
    draft = yaml.safe_load(done.stdout)
    assert [(f["kind"], f["group"], f["text"]) for f in draft["findings"]] == [
        ("strength", "Strengths", "Headteachers trust the council’s advisers and value their visits to schools"),
        ("strength", "Strengths", "Data on pupils’ progress is shared with every school each term"),
        ("strength", "Strengths", "Governors are well trained"),
        ("area-for-development", "Areas for development and improvement",
         "Agree with schools how the council will challenge those that are coasting"),
        ("area-for-development", "Areas for development and improvement",
         "Check the impact of the support the council buys from teaching schools"),
        ("recommendation", "Recommendations",
         "Publish a school improvement strategy written with headteachers and governors"),
        ("recommendation", "Recommendations", "Review the categorisation of schools every term"),
    ]
    lines = (tmp_path / "paper.txt").read_text(encoding="utf-8").split("\n")
    first, last = map(int, draft["findings"][3]["evidence"]["lines"].split("-"))
    column = " ".join(line.split("\t")[1] for line in lines[first - 1:last])
    assert column.startswith("- Agree with schools") and column.endswith("are coasting")


def test_a_cover_of_complete_rows_is_not_read_as_a_wrapped_table() -> None:
    from peer_review_archive.draft.reading import _tidy_layout

    cover = "Date:          7 May 2019\nAgenda item:   5\nReport of:     Director of Children’s Services"
    assert _tidy_layout(cover) == (
        ["Date:\t7 May 2019", "Agenda item:\t5", "Report of:\tDirector of Children’s Services"], [0, 0, 0])
    table = "Strengths        Areas\n- Good data      - Check the\nand advice       impact\n- Trusted"
    lines, columns = _tidy_layout(table)
    assert columns == [2, 2, 2, 2] and lines[-1] == "- Trusted" and lines[2] == "and advice\timpact"


@pytest.mark.parametrize(("paper", "source"), [
    # label cells in a cover table, the title only in <title> before the site's name
    ("cover-labels.html", {"title": "Peer Review of School Improvement", "body": "Children’s Services Scrutiny Panel",
                           "date": "2018-11-07", "agenda_item": "7", "author": "Head of School Improvement"}),
    # Dublin Core title and an "Agenda item - " h1; the committee in capitals; "Report of the <role>"
    ("cover-meta.html", {"title": "Review of School Improvement Support",
                         "body": "Education and Skills Overview and Scrutiny Committee", "date": "2019-01-15",
                         "author": "Director of Children’s Services"}),
])
def test_committee_system_page_cover(paper: str, source: dict) -> None:
    done = pra_draft(PAPERS / paper)
    assert done.returncode == 0, done.stderr
    got = yaml.safe_load(done.stdout)["sources"][0]
    assert {k: v for k, v in got.items() if k in ("title", "body", "date", "agenda_item", "author")} == source


def test_contact_details_are_removed_and_counted() -> None:
    text = (PAPERS / "small-review.expected.yml").read_text(encoding="utf-8")
    assert "@" not in text and "01234" not in text
    assert "# Contact details removed: 2 e-mail addresses or phone numbers, at line 13." in text


def test_unknown_authority_is_proposed_never_guessed() -> None:
    text = (PAPERS / "small-review.expected.yml").read_text(encoding="utf-8")
    assert "#   - id: rutland\n#     name: Rutland" in text
    assert "rutland" not in yaml.safe_load(text)["reviewers"]


def test_evidence_cites_lines_and_pdf_pages(tmp_path: Path) -> None:
    done = pra_draft(PAPERS / "small-review.pdf", "--text", str(tmp_path / "paper.txt"))
    lines = (tmp_path / "paper.txt").read_text(encoding="utf-8").split("\n")
    assert "Page 1 of" not in "\n".join(lines) and "Norfolk County Council\n" not in "\n".join(lines)
    evidence = re.findall(r'lines: "(\d+)(?:-(\d+))?"  # page (\d+)', done.stdout)
    assert evidence
    first = int(evidence[0][0])
    assert "Schools value the council's termly data packs." in lines[first - 1]


def test_unclassified_text_is_kept_for_the_editor() -> None:
    draft = yaml.safe_load((PAPERS / "small-review.expected.yml").read_text(encoding="utf-8"))
    assert any("Norfolk County Council invited the peer review" in u["text"] for u in draft["unclassified"])


@pytest.mark.parametrize(("paper", "message"), [
    ("encrypted.pdf", "the PDF is encrypted"),
    ("scanned.pdf", "no text layer (2 pages of images, probably a scan): run OCR first, e.g. `ocrmypdf"),
    ("no-paper.html", "no paper in this HTML page"),
    ("empty.txt", "the file is empty"),
    ("binary.doc", "this is a binary file"),
    ("missing.pdf", "cannot read the file"),
])
def test_bad_input_is_one_line_and_exit_1(paper: str, message: str) -> None:
    done = pra_draft(PAPERS / paper)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"pra draft: {PAPERS / paper}: ") and message in done.stderr


def test_a_paper_without_a_review_says_so_and_drafts_what_it_found() -> None:
    done = pra_draft(PAPERS / "no-review.txt")
    assert done.returncode == 1
    assert "no review found" in done.stderr and "context-document draft" in done.stderr
    draft = yaml.safe_load(done.stdout)
    assert draft["draft"] is True and "host" not in draft
    assert [f["text"] for f in draft["findings"]] == ["funding for growth is held centrally;",
                                                       "the falling rolls fund is closed."]


def test_output_file_and_its_text(tmp_path: Path) -> None:
    records = tmp_path / "reviews"
    records.mkdir()
    for name in ("authorities.yml", "themes.yml", "programmes.yml"):
        (records / name).write_bytes((ROOT / "reviews" / name).read_bytes())
    done = subprocess.run([sys.executable, "-m", "peer_review_archive.cli", "draft", str(PAPERS / "small-review.txt"),
                           "--records", str(records), "-o", str(records / "norfolk-2017.yml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (records / "norfolk-2017.yml").read_text(encoding="utf-8").startswith("# yaml-language-server")
    saved = records / "sources" / "peer-review-of-school-improvement-2018-11-07.txt"
    assert saved.read_text(encoding="utf-8").split("\n")[12].startswith("Tel: [contact details removed]")
    assert "@" not in saved.read_text(encoding="utf-8")


def test_draft_package_imports_records_only() -> None:
    for path in (ROOT / "plugins" / "peer_review_archive" / "draft").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:import|from)\s+mkdocs", source, re.M), path
        for relative in re.findall(r"from \.\.(\w+)", source):
            assert relative == "records", (path, relative)
