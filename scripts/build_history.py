"""Rebuild data/agreements/history.csv and history.yaml from a folder of ICE's 287(g) workbooks.

Input: a folder of ICE's participating-agencies and pending-agencies workbooks, one file per capture
(sub-folders included), e.g. the archive described in the project's reference data.
Output: data/agreements/history.csv (each agreement's first and last list, and when it left) and
history.yaml (which files, which dates, what was skipped and why); a summary on stdout, and the files
skipped on stderr.

Usage: python scripts/build_history.py FOLDER [--data DIR] [--source TEXT] [--verbose]

The workbooks themselves are never copied into the data folder.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policybrief.errors import printable  # noqa: E402
from policybrief.ice import AgreementsError  # noqa: E402
from policybrief.ice.history import read_series, workbook_paths, write_history  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def main(argv: list[str] | None = None, stdout=None, stderr=None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="scripts/build_history.py", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="folder of ICE's workbooks (participatingAgencies*.xlsx, ...)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR",
                        help="data folder to write agreements/history.csv into (default: the project's data/)")
    parser.add_argument("--source", metavar="TEXT", default="",
                        help="where the workbooks came from, recorded in history.yaml (default: the folder's name)")
    parser.add_argument("--verbose", "-v", action="store_true", help="log each file read")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=stderr,
                        format="%(levelname)s: %(message)s")
    source = args.source or f"ICE's workbooks in a folder named {args.folder.name}"
    command = "python scripts/build_history.py FOLDER --data DIR" + (" --source TEXT" if args.source else "")
    try:
        series = read_series(workbook_paths(args.folder))
        csv_path, yaml_path, rows = write_history(series, args.data, source=source, command=command)
    except AgreementsError as error:
        for problem in error.problems:
            stderr.write(printable(f"scripts/build_history.py: {problem}") + "\n")
        return 1
    for name, reason in series.skipped:
        stderr.write(printable(f"skipped {name}: {reason}") + "\n")
    listed = [row for row in rows if row.first_seen]
    stdout.write(f"read {len(series.lists)} lists ({len(series.skipped)} files skipped); "
                 f"{len(listed)} agreements ever listed, {sum(1 for row in listed if row.left)} of them off the "
                 f"newest list; wrote {csv_path.name} and {yaml_path.name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
