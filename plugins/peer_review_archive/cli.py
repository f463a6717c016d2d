"""`pra`: check the records, write the published JSON Schema files, serve the site.

Exit status: 0 when clean, 1 when the records have problems, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .records.assembly import check
from .records.problems import summary
from .records.schema import write_schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pra", description="Peer Review Archive tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate every record and report all problems")
    check_cmd.add_argument("path", nargs="?", default="reviews", help="records folder (default: reviews)")
    schema_cmd = commands.add_parser("schema", help="write the JSON Schema files of the record format")
    schema_cmd.add_argument("out", nargs="?", default="schema", help="folder (default: schema)")
    serve_cmd = commands.add_parser("serve", help="serve the site, rebuilding only what an edit changes")
    serve_cmd.add_argument("-f", "--config-file", default=None, help="mkdocs.yml (default: ./mkdocs.yml)")
    serve_cmd.add_argument("-a", "--dev-addr", default=None, help="IP:PORT (default: 127.0.0.1:8000)")
    serve_cmd.add_argument("-o", "--open", action="store_true", help="open the site in a browser")
    args = parser.parse_args(argv)

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
    problems = check(records, Path.cwd() if records.resolve().is_relative_to(Path.cwd()) else records.parent)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{summary(problems)}.", file=sys.stderr)
        return 1
    print(f"{records}: all records are valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
