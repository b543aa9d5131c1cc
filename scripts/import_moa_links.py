"""Regenerate data/agreements/moa_links.csv and moa_links.yaml from a local copy of the Deportation Data
Project's download log (policybrief.ice.moa_links). Nothing is downloaded.

Input: a copy of download_path_log.csv (by default the one at agreements/agreements_20260914_014027/ in
deportationdata/ice-287g, commit 24908f3043e3757f268ad6efa222fde930c57b7d; name another with --path and
--commit). Output: the two files in DATA/agreements/ (participating.csv, pending.csv and provenance.yaml
are left alone), and a summary of rows and skipped lines on standard output.

Usage: python scripts/import_moa_links.py LOG [--data DATA] [--path PATH] [--commit COMMIT]
                                              [--repository OWNER/NAME] [--retrieved-via TEXT]
"""

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policybrief.errors import DataError  # noqa: E402
from policybrief.ice import moa_links  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, help="a local copy of download_path_log.csv")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder (default: data/)")
    parser.add_argument("--repository", default=moa_links.SOURCE_REPOSITORY)
    parser.add_argument("--path", default=moa_links.SOURCE_PATH, help="the log's path in the repository")
    parser.add_argument("--commit", default=moa_links.SOURCE_COMMIT, help="the repository commit the copy is of")
    parser.add_argument("--retrieved-via", default=None, help="how the copy was obtained, when not cloned")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        result = moa_links.read_log(args.log)
        csv_path, yaml_path = moa_links.write_moa_links(
            result, args.data, source_repository=args.repository, source_path=args.path,
            source_commit=args.commit, retrieved_via=args.retrieved_via)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    counts = moa_links.summary(result.rows)
    print(f"{result.log_lines} log lines -> {counts['rows']} rows ({counts['agencies']} agencies, "
          f"{counts['states']} states) in {csv_path} and {yaml_path}")
    for reason, count in result.skipped_by_reason.items():
        print(f"  skipped {count}: {reason}")
    for note in result.notes:
        print(f"  note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
