"""`pra`: check the records, write the published JSON Schema files, draft a record from a paper,
serve the site.

Exit status: 0 when clean, 1 when the records have problems (or `pra draft` refused a paper,
or found no review in it), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .records.assembly import survey
from .records.problems import summary
from .records.schema import write_schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pra", description="Peer Review Archive tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate every record and report all problems")
    check_cmd.add_argument("path", nargs="?", default="reviews", help="records folder (default: reviews)")
    schema_cmd = commands.add_parser("schema", help="write the JSON Schema files of the record format")
    schema_cmd.add_argument("out", nargs="?", default="schema", help="folder (default: schema)")
    draft_cmd = commands.add_parser("draft", help="draft a record from a committee paper (PDF, HTML or text)")
    draft_cmd.add_argument("paper", help="the paper: .pdf, .html or .txt")
    draft_cmd.add_argument("-o", "--output", help="write the draft here (default: standard output)")
    draft_cmd.add_argument("--records", default="reviews",
                           help="records folder with authorities.yml (default: reviews)")
    draft_cmd.add_argument("--text", help="also write the paper's numbered text here (with -o: beside the "
                           "records as sources/<source id>.txt, unless that file exists)")
    serve_cmd = commands.add_parser("serve", help="serve the site, rebuilding only what an edit changes")
    serve_cmd.add_argument("-f", "--config-file", default=None, help="mkdocs.yml (default: ./mkdocs.yml)")
    serve_cmd.add_argument("-a", "--dev-addr", default=None, help="IP:PORT (default: 127.0.0.1:8000)")
    serve_cmd.add_argument("-o", "--open", action="store_true", help="open the site in a browser")
    args = parser.parse_args(argv)

    if args.command == "draft":
        return _draft(args)

    if args.command == "serve":
        from .adapter.serve import serve  # MkDocs is imported only to serve

        serve(args.config_file, args.dev_addr, args.open)
        return 0

    if args.command == "schema":
        for path in write_schemas(Path(args.out)):
            print(path)
        return 0

    records = Path(args.path)
    if not records.is_dir():
        print(f"pra check: {records}: no such folder of records", file=sys.stderr)
        return 2
    root = Path.cwd() if records.resolve().is_relative_to(Path.cwd()) else records.parent
    found = survey(records, root)
    problems, drafts = found.problems, found.drafts
    for problem in problems:
        print(problem)
    # Drafts are checked like every record, and said, because the site will leave them out.
    seen = f"{len(drafts)} draft{'s' if len(drafts) != 1 else ''} (not published)"
    if drafts:
        seen += ": " + ", ".join(drafts)
    if problems:
        print(f"{summary(problems)}; {seen}.", file=sys.stderr)
        return 1
    checked, documents = found.evidence_checked, found.source_documents
    print(f"{records}: all records are valid; {seen}; {checked} evidence location{'s' if checked != 1 else ''} "
          f"checked against {documents} source document{'s' if documents != 1 else ''}.")
    return 0


def _draft(args: argparse.Namespace) -> int:
    from .draft.command import PaperError, make_draft

    paper = Path(args.paper)
    try:
        result = make_draft(paper, Path(args.records))
    except PaperError as error:
        print(f"pra draft: {paper}: {error}", file=sys.stderr)
        return 1
    if args.output:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(result.yaml, encoding="utf-8")
    else:
        sys.stdout.write(result.yaml)
    text_path = Path(args.text) if args.text else None
    if text_path is None and args.output:
        text_path = Path(args.records) / "sources" / f"{result.source_id}.txt"
        if text_path.exists():
            text_path = None
    if text_path is not None:
        text_path.parent.mkdir(parents=True, exist_ok=True)
        text_path.write_text(result.text, encoding="utf-8")
    draft = result.draft
    counted = f"{len(draft.items)} findings, {len(draft.offers)} offers, {len(draft.unclassified)} unclassified"
    where = f" to {args.output}" if args.output else ""
    if not draft.is_review:
        print(f"pra draft: {paper}: no review found (no peer review or peer challenge is named); wrote a "
              f"context-document draft{where} ({counted})", file=sys.stderr)
        return 1
    if draft.missing:
        print(f"pra draft: {paper}: wrote a draft{where} ({counted}); not found: " + "; ".join(draft.missing),
              file=sys.stderr)
        return 1 if not any(i.where in ("review", "follow_up", "response") for i in draft.items) else 0
    print(f"pra draft: {paper}: wrote a draft{where} ({counted})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
