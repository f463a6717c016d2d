"""How good are `pra draft`'s drafts? Each seed paper as text, PDF and HTML, against its record.

For every hand-made record in the records folder (default `reviews/`) whose
`sources[].document` is held in `sources/<id>.txt` and was made from a seed paper (the same
lines bar removed contact details), the seed paper is drafted three ways: as the text
itself; as a PDF that headless Chromium prints from it as the council would (wrapped lines,
a running header, a "Page N of M" footer, and a table the seed holds as HTML cells printed
as a bordered table); and as the HTML page a council's committee system would serve
(navigation, breadcrumbs and footer around the paper, lists as <ul>, the cover as table
rows, the page titled by the paper's own title). Each draft is compared with the record
(focus items may be plain text or {text, evidence}):

- findings: a draft finding matches a record finding of the same kind whose text is the
  same after normalisation (case, punctuation, spacing and hyphens ignored; 90% similar
  by difflib, for the editor's small corrections) and, where the draft prints a number,
  the same number. Recall = matched / the record's findings; precision = matched / the
  draft's findings. Fields added to records later (evidence, notes) are ignored.
- metadata: the source's title, committee, meeting date, agenda item and author's role;
  the review's host, reviewers, dates, programme, question and sub-questions (for a
  context document: title, committee, date, agenda item, author, authority). A field is
  right when draft and record agree, or when both leave it out.

    python -m benchmarks.draft_quality [--records reviews] [--seeds ../shared/seeds] [--formats text,pdf,html]
                                       [--verbose] [--timing]

Prints one line per document and format and the metadata fields that came out wrong;
exits 0 (figures, not a test). The last run is in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import difflib
import html
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.9


def normalise(text: object) -> str:
    if isinstance(text, dict):  # a focus item with its evidence: {text: ..., evidence: ...}
        text = text.get("text")
    text = str(text or "").lower().replace("’", "'")
    return re.sub(r"[^a-z0-9]+", "", text)


def findings(record: dict) -> list[tuple[str, str, str | None, str | None]]:
    out = []
    parts = [record] + list(record.get("follow_ups") or []) + list(record.get("responses") or [])
    for part in parts:
        for f in part.get("findings") or []:
            out.append((f.get("kind"), f.get("text") or "", f.get("number"), f.get("title")))
    return out


def same_text(a: tuple, b: tuple) -> bool:
    left, right = normalise(a[1]), normalise(b[1])
    options = [right, normalise((b[3] or "") + (b[1] or ""))]
    lefts = [left, normalise((a[3] or "") + (a[1] or ""))]
    return any(x == y or (x and y and difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= TARGET)
               for x in lefts for y in options)


def same_number(draft_number: str | None, record_number: str | None) -> bool:
    return draft_number is None or record_number is None or normalise(draft_number) == normalise(record_number)


def score(draft: dict, record: dict) -> tuple[int, int, int, list[str]]:
    wanted = findings(record)
    got = findings(draft)
    free = list(range(len(wanted)))
    matched = 0
    misses = []
    for item in got:
        hit = next((i for i in free if wanted[i][0] == item[0] and same_text(item, wanted[i])
                    and same_number(item[2], wanted[i][2])), None)
        if hit is None:
            misses.append(f"extra {item[0]} {item[2] or ''}: {item[1][:70]}")
            continue
        free.remove(hit)
        matched += 1
    misses += [f"missed {wanted[i][0]} {wanted[i][2] or ''}: {wanted[i][1][:70]}" for i in free]
    return matched, len(wanted), len(got), misses


def metadata(draft: dict, record: dict) -> dict[str, bool]:
    ds, rs = (draft.get("sources") or [{}])[0], _source_for(record)
    checks: dict[str, bool] = {}

    def eq(name: str, left: object, right: object) -> None:
        if isinstance(left, list) or isinstance(right, list):
            checks[name] = sorted(map(normalise, left or [])) == sorted(map(normalise, right or []))
        else:
            checks[name] = normalise(left) == normalise(right)

    for key in ("title", "body", "date", "agenda_item"):
        eq(f"source.{key}", ds.get(key), rs.get(key))
    author, wanted = normalise(ds.get("author")), normalise(rs.get("author"))
    checks["source.author"] = (not author and not wanted) or bool(author and wanted and author in wanted)
    if "host" in record:
        for key in ("host", "date", "end_date", "programme"):
            eq(key, draft.get(key), record.get(key))
        eq("reviewers", draft.get("reviewers"), record.get("reviewers"))
        focus, wanted_focus = draft.get("focus") or {}, record.get("focus") or {}
        eq("focus.question", focus.get("question"), wanted_focus.get("question"))
        eq("focus.sub_questions", focus.get("sub_questions"), wanted_focus.get("sub_questions"))
    else:
        for key in ("title", "authority", "date"):
            eq(key, draft.get(key), record.get(key))
    return checks


def _source_for(record: dict) -> dict:
    """The record's source for the paper as a whole: the first that has a committee or a date, else the first."""
    sources = record.get("sources") or [{}]
    return next((s for s in sources if s.get("body") or s.get("agenda_item")), sources[0])


# --- the paper in other formats ------------------------------------------------------------


def as_html(text: str, title: str) -> str:
    """The paper as a committee system's page: the cover as a table, paragraphs, lists as <ul>.

    `title` is the agenda item's title, which the committee system shows as the page's
    <title> and heading: the paper's own title, as the record's source gives it.
    """
    body: list[str] = []
    lines = text.split("\n")
    i = 0
    bullet = re.compile(r"^\s*(?:[-•\uf0b7\uf0a7*])\s+")
    numbered = re.compile(r"^\s*\d{1,2}\.\s+(?=[A-Za-z])")
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if "<p>" in line or "<ul" in line:  # a table the paper already holds as markup
            cells = "".join(f"<td>{cell}</td>" for cell in line.split("\t") if cell.strip())
            body.append(f"<table class=\"mgTable\"><tr>{cells}</tr></table>")
            i += 1
            continue
        if "\t" in line:  # a cover table: each line a row, even one whose last cells are empty
            rows = []
            while i < len(lines) and "\t" in lines[i] and lines[i].strip():
                rows.append("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in lines[i].split("\t")
                                             if c.strip()) + "</tr>")
                i += 1
            body.append("<table class=\"mgCoverTable\">" + "".join(rows) + "</table>")
            continue
        previous = next((x.strip() for x in reversed(lines[:i]) if x.strip()), "")
        if bullet.match(line) or (numbered.match(line) and previous.endswith((":", "–", "-", ":-"))):
            marker = bullet if bullet.match(line) else numbered
            tag = "ul" if marker is bullet else "ol"
            items: list[list[str]] = []
            nested: dict[int, list[str]] = {}
            while i < len(lines) and marker.match(lines[i]):
                if marker is bullet and lines[i].startswith((" ", "\t")) and items and items[-1][-1].endswith(":"):
                    nested.setdefault(len(items) - 1, []).append(bullet.sub("", lines[i]).strip())
                    i += 1
                    continue
                item = [marker.sub("", lines[i]).strip()]
                i += 1
                while (i < len(lines) and lines[i].strip() and not bullet.match(lines[i])
                       and not numbered.match(lines[i])):
                    item.append(lines[i].strip())
                    i += 1
                items.append(item)
                while i < len(lines) and not lines[i].strip() and i + 1 < len(lines) and marker.match(lines[i + 1]):
                    i += 1
            rendered = []
            for n, it in enumerate(items):
                inner = "".join(f"<li>{html.escape(x)}</li>" for x in nested.get(n, []))
                rendered.append(f"<li>{html.escape(' '.join(it))}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>")
            body.append(f"<{tag}>" + "".join(rendered) + f"</{tag}>")
            continue
        block = []
        while i < len(lines) and lines[i].strip() and not bullet.match(lines[i]) and (
                not block or not numbered.match(lines[i]) or not block[-1].endswith((":", "–", "-"))):
            block.append(lines[i].strip())
            i += 1
        joined = " ".join(block)
        if len(block) == 1 and len(joined.split()) <= 10 and not joined.endswith("."):
            body.append(f"<h3>{html.escape(joined)}</h3>")
        else:
            body.append(f"<p>{html.escape(joined)}</p>")
    nav = "".join(f'<li><a href="/mgListCommittees.aspx?n={n}">{html.escape(n)}</a></li>'
                  for n in ("Councillors", "Committees", "Meetings", "Decisions", "Search documents"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} - Modern.Gov</title>
<style>body{{font-family:Arial,sans-serif}} table td{{padding:2px 8px}}</style></head>
<body><header id="masthead"><a href="/">Council home</a> <form><input name="q"><button>Search</button></form></header>
<nav id="mgNavigation"><ul>{nav}</ul></nav>
<div id="mgBreadcrumbs"><a href="/">Home</a> &gt; <a href="/mgListCommittees.aspx">Committees</a> &gt; Document</div>
<div id="modgov"><div class="mgContent">
<h1 class="mgMainTitleTxt">Agenda item - {html.escape(title)}</h1>
{chr(10).join(body)}
</div></div>
<footer id="mgFooter"><p>Democratic Services, Civic Centre. Copyright the Council. Privacy and cookies.</p></footer>
</body></html>
"""


def as_pdf(text: str, out: Path, header: str, font_size: str = "11pt") -> None:
    """The paper printed to PDF by headless Chromium, as a council prints it.

    Wrapped lines, a running header and a "Page N of M" footer; a table the paper holds as
    markup (the seed keeps Word's table as HTML cells, one row a line split by tabs) is
    printed as a real table with borders, each bullet on its own line in its cell.
    """
    from playwright.sync_api import sync_playwright

    source = out.with_suffix(".print.html")
    source.write_text(print_html(text, font_size), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(source.resolve().as_uri())
        page.pdf(path=str(out), display_header_footer=True, format="A4",
                 header_template=f"<div style='font-size:8px;width:100%;text-align:center'>{html.escape(header)}</div>",
                 footer_template="<div style='font-size:8px;width:100%;text-align:center'>Page "
                                 "<span class='pageNumber'></span> of <span class='totalPages'></span></div>",
                 margin={"top": "2cm", "bottom": "2cm", "left": "2.2cm", "right": "2.2cm"})
        browser.close()
    source.unlink()


def print_html(text: str, font_size: str = "11pt") -> str:
    """The page Chromium prints: the text as it is, markup table rows as a bordered table."""
    parts: list[str] = []
    plain: list[str] = []
    rows: list[str] = []

    def flush_plain() -> None:
        if plain:
            parts.append("<pre>" + html.escape("\n".join(plain)) + "</pre>")
            plain.clear()

    def flush_rows() -> None:
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
            rows.clear()

    for line in text.split("\n"):
        if re.search(r"<(?:p|ul|li)\b", line):
            flush_plain()
            rows.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in line.split("\t") if c.strip()) + "</tr>")
            continue
        if rows and re.fullmatch(r"[-\s\t]*", line):  # the separator row a text export leaves under a table
            continue
        flush_rows()
        plain.append(line)
    flush_rows()
    flush_plain()
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
            "body{font-family:serif;font-size:" + font_size + "}"
            "pre{white-space:pre-wrap;font-family:inherit;margin:0}"
            "table{border-collapse:collapse;width:100%;margin:1em 0;page-break-inside:avoid}"
            "td{border:1px solid #000;vertical-align:top;padding:4pt 8pt;width:33%}"
            "td p{margin:0 0 6pt}td ul{list-style:none;margin:0;padding:0}td li{margin:0 0 3pt}"
            "</style></head><body>" + "".join(parts) + "</body></html>")


def _cell(markup: str) -> str:
    """A cell's markup as Word printed it: its heading paragraph, then one line per '•' bullet."""
    heading = "".join(f"<p><u>{html.escape(m)}</u></p>" for m in re.findall(r"<u>(.*?)</u>", markup))
    rest = re.sub(r"<p>.*?</p>", " ", markup) if heading else markup
    rest = re.sub(r"<[^>]+>", " ", rest)
    items = [re.sub(r"\s+", " ", piece).strip() for piece in rest.split("•")]
    bullets = "".join(f"<li>• {html.escape(item)}</li>" for item in items if item)
    return heading + (f"<ul>{bullets}</ul>" if bullets else "")


def _seeds_by_document(records: Path, seeds: Path) -> dict[str, str]:
    """Archive document id -> the seed paper it was made from (the same text bar contact details)."""
    out: dict[str, str] = {}
    papers = {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(seeds.glob("*.txt"))}
    for held in sorted((records / "sources").glob("*.txt")):
        lines = held.read_text(encoding="utf-8").splitlines()
        best = max(papers, key=lambda n: difflib.SequenceMatcher(None, papers[n], lines, autojunk=False).ratio(),
                   default=None)
        if best and difflib.SequenceMatcher(None, papers[best], lines, autojunk=False).ratio() > 0.9:
            out[held.stem] = best
    return out


def draft(paper: Path, records: Path) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, "-m", "peer_review_archive.cli", "draft", str(paper),
                           "--records", str(records)], capture_output=True, text=True)
    try:
        return yaml.safe_load(done.stdout) or {}, done.stderr.strip()
    except yaml.YAMLError as error:
        return {}, f"draft is not YAML: {error}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", default=str(ROOT / "reviews"))
    parser.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    parser.add_argument("--formats", default="text,pdf,html")
    parser.add_argument("--verbose", action="store_true", help="list every missed and extra finding")
    parser.add_argument("--timing", action="store_true",
                        help="also time `pra draft` on a PDF of 200 pages or more (the seeds printed over and over)")
    args = parser.parse_args(argv)
    records, seeds = Path(args.records), Path(args.seeds)
    by_seed: dict[str, tuple[Path, dict]] = {}
    seed_of = _seeds_by_document(records, seeds)
    for path in sorted([*records.glob("*.yml"), *records.glob("context/*.yml")]):
        record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(record, dict) or "sources" not in record:
            continue
        for source in record["sources"]:
            name = seed_of.get(str(source.get("document") or ""), "")
            # a paper behind two records (one only mentions the other review): the one with its findings
            if (seeds / name).is_file() and (name not in by_seed
                                             or len(findings(record)) > len(findings(by_seed[name][1]))):
                    by_seed[name] = (path, record)
    formats = args.formats.split(",")
    print(f"{'document':<44} {'format':<6} {'recall':>7} {'precision':>9} {'findings':>9} {'metadata':>9}")
    worst = 1.0
    all_meta = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, (path, record) in sorted(by_seed.items()):
            text = (seeds / name).read_text(encoding="utf-8")
            stem = Path(name).stem
            papers = {"text": seeds / name}
            if "html" in formats:
                papers["html"] = Path(tmp) / f"{stem}.html"
                item_title = _source_for(record).get("title") or record.get("title", stem)
                papers["html"].write_text(as_html(text, item_title), encoding="utf-8")
            if "pdf" in formats:
                papers["pdf"] = Path(tmp) / f"{stem}.pdf"
                as_pdf(text, papers["pdf"], record.get("title", stem))
            for fmt in formats:
                got, said = draft(papers[fmt], records)
                matched, wanted, drafted = score(got, record)[:3]
                recall = matched / wanted if wanted else 1.0
                precision = matched / drafted if drafted else (1.0 if not wanted else 0.0)
                meta = metadata(got, record)
                wrong = [k for k, ok in meta.items() if not ok]
                worst = min(worst, recall, precision)
                all_meta = all_meta and not wrong
                counts, right = f"{matched}/{wanted}/{drafted}", f"{len(meta) - len(wrong)}/{len(meta)}"
                print(f"{path.stem:<44} {fmt:<6} {recall:>7.1%} {precision:>9.1%} {counts:>9} {right:>9}"
                      + (f"  wrong: {', '.join(wrong)}" if wrong else ""))
                if args.verbose:
                    for miss in score(got, record)[3]:
                        print("      ", miss)
                    if not got:
                        print("      ", said)
    print(f"\nworst recall or precision: {worst:.1%} (target {TARGET:.0%}); metadata all right: {all_meta}")
    print("findings column: matched/in the record/in the draft")
    if args.timing:
        timing(seeds, records)
    return 0


def timing(seeds: Path, records: Path) -> None:
    """A long paper: every seed printed one after another until the PDF has 200 pages; figures, not a test."""
    import resource
    import time

    from pypdf import PdfReader

    papers = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "long.pdf"
        copies = 4
        while True:
            as_pdf("\n\n".join(papers * copies), pdf, "A long committee paper")
            pages = len(PdfReader(pdf).pages)
            if pages >= 200:
                break
            copies = int(copies * 200 / pages) + 1
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        got, said = draft(pdf, records)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    load = os.getloadavg()[0]
    print(f"200-page paper: {pages} pages drafted in {seconds:.1f} s wall, {cpu:.1f} s CPU "
          f"(load {load:.1f}; {len(findings(got))} findings; target under 30 s)")


if __name__ == "__main__":
    sys.exit(main())
