"""`pra`: check the records, and write the published JSON Schema files.

Exit status: 0 when clean, 1 when the records have problems, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .records.assembly import load_archive
from .records.problems import ArchiveError
from .records.schema import write_schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pra", description="Peer Review Archive tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate every record and report all problems")
    check_cmd.add_argument("path", nargs="?", default="reviews", help="records folder (default: reviews)")
    schema_cmd = commands.add_parser("schema", help="write the JSON Schema files of the record format")
    schema_cmd.add_argument("out", nargs="?", default="schema", help="folder (default: schema)")
    args = parser.parse_args(argv)

    if args.command == "schema":
        for path in write_schemas(Path(args.out)):
            print(path)
        return 0

    records = Path(args.path)
    if not records.is_dir():
        print(f"pra check: {records}: no such folder of records", file=sys.stderr)
        return 2
    try:
        archive = load_archive(records, Path.cwd() if records.resolve().is_relative_to(Path.cwd()) else records.parent)
    except ArchiveError as error:
        for problem in error.problems:
            print(problem)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return 1
    checked = archive.evidence_checked
    print(f"{records}: all records are valid; {checked} evidence location{'s' if checked != 1 else ''} "
          f"checked against {len(archive.documents)} source document{'s' if len(archive.documents) != 1 else ''}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
