"""ICE's workbooks as ICE publishes them, and as an attacker might: `generate.py update-agreements`.

Every workbook is built here with openpyxl (and, for broken or hostile files, rewritten part by part);
the one real ICE workbook is tested in tests/test_ice.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from policybrief.cli import main
from policybrief.ice import AgreementsError, load_agreements, write_normalised
from policybrief.ice import workbook as workbook_module
from policybrief.ice.workbook import Limits, checked_link, import_list, read_list_name

HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"]
PENDING_HEADER = ["STATE", "AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"]
KERR = ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model", 45800, "link pending"]
HARRIS = ["GEORGIA", "Harris County Sheriff's Office", "County", "Harris County", "Warrant Service Officer", 45000,
          "link pending"]
TODAY = dt.date.today()


def make_workbook(path: Path, rows: list[list], *, header: list[str] = HEADER, title_rows: int = 0,
                  links: dict[str, str] | None = None, sheet_title: str | None = None,
                  before: list[str] = ()) -> Path:
    """A workbook shaped like ICE's: optional sheets before the data sheet, title rows, cell hyperlinks."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    sheets = [first] + [book.create_sheet() for _ in before]
    for sheet, title in zip(sheets, before):
        sheet.title = title
        sheet.append(["notes about the list"])
    sheet = sheets[-1] if before else first
    if sheet_title:
        sheet.title = sheet_title
    for number in range(title_rows):
        sheet.append([f"287(g) participating agencies, title line {number + 1}"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as in a hostile workbook
    for ref, target in (links or {}).items():
        sheet[ref].hyperlink = target
    book.save(path)
    return path


def rewrite(path: Path, part: str, change, *, drop: bool = False) -> Path:
    """Rewrite one part of a workbook's zip (or drop it), keeping every other entry as it is."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == part:
                if drop:
                    continue
                data = change(data)
            target.writestr(info.filename, data)
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["update-agreements", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def rows_of(data: Path, name: str = "participating.csv") -> list[dict[str, str]]:
    with (data / "agreements" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------------------------ file names


@pytest.mark.parametrize("name, kind, date, ice_name", [
    ("participatingAgencies07182025pm.xlsx", "participating", dt.date(2025, 7, 18), None),
    ("sheets_20250719_151637__participatingAgencies07182025pm.xlsx", "participating", dt.date(2025, 7, 18),
     "participatingAgencies07182025pm.xlsx"),
    ("participatingAgencies05232025PM.xlsx", "participating", dt.date(2025, 5, 23), None),
    ("participatingAgencies06062025mid.xlsx", "participating", dt.date(2025, 6, 6), None),
    ("participatingAgencies06202025am_b.xlsx", "participating", dt.date(2025, 6, 20), None),
    ("participatingAgencies07032025pmB.xlsx", "participating", dt.date(2025, 7, 3), None),
    ("participatingAgencies07032025pm2.xlsx", "participating", dt.date(2025, 7, 3), None),
    ("participatingAgencies10092026.xlsx", "participating", dt.date(2026, 10, 9), None),
    ("ParticipatingAgencies08282026am.xlsx", "participating", dt.date(2026, 8, 28), None),
    ("287gParticipatingAgencies091526pm.xlsx", "participating", dt.date(2026, 9, 15), None),
    ("ParticipatingAgency091826am.xlsx", "participating", dt.date(2026, 9, 18), None),
    ("participatingAgencies04212026am 12.15.07 AM.xlsx", "participating", dt.date(2026, 4, 21), None),
    ("participatingAgencies10092026'.xlsx", "participating", dt.date(2026, 10, 9), None),
    ("participatingAgencies060920263pm.xlsx", "participating", dt.date(2026, 6, 9), None),
    ("participatingAgencies03113025am.xlsx", "participating", dt.date(3025, 3, 11), None),
    ("pendingAgencies07182025pm.xlsx", "pending", dt.date(2025, 7, 18), None),
    ("PendingAgencies021026am.xlsx", "pending", dt.date(2026, 2, 10), None),
])
def test_read_list_name(name, kind, date, ice_name):
    listed = read_list_name(name)
    assert (listed.kind, listed.date, listed.reason, listed.ice_name) == (kind, date, "", ice_name or name)


@pytest.mark.parametrize("name, kind, reason", [
    ("participatingAgencies.xlsx", "participating", "its name carries no date"),
    ("participatingAgencies13402025am.xlsx", "participating",
     "its digits '13402025' are not a calendar date (MMDDYYYY or MMDDYY)"),
    ("participatingAgencies7182025pm.xlsx", "participating",
     "its digits '7182025' do not read as MMDDYYYY or MMDDYY"),
    ("participatingAgencies0609202613pm.xlsx", "participating",
     "its digits '0609202613' do not read as MMDDYYYY or MMDDYY"),
    ("download.xlsx", None, "its name is not one of ICE's (participatingAgencies... or pendingAgencies...) "
                            "and carries no date"),
    ("my pending notes.xlsx", None, "its name is not one of ICE's (participatingAgencies... or "
                                    "pendingAgencies...) and carries no date"),
])
def test_read_list_name_without_a_date(name, kind, reason):
    listed = read_list_name(name)
    assert (listed.kind, listed.date, listed.reason) == (kind, None, reason)


@pytest.mark.parametrize("name, as_of", [
    ("participatingAgencies05232025PM.xlsx", "2025-05-23"),
    ("participatingAgencies06062025mid.xlsx", "2025-06-06"),
    ("participatingAgencies06202025am_b.xlsx", "2025-06-20"),
    ("participatingAgencies07032025pmB.xlsx", "2025-07-03"),
    ("participatingAgencies07032025pm2.xlsx", "2025-07-03"),
    ("participatingAgencies10092026.xlsx", "2026-10-09"),
    ("ParticipatingAgencies08282026am.xlsx", "2026-08-28"),
    ("287gParticipatingAgencies091526pm.xlsx", "2026-09-15"),
    ("ParticipatingAgency091826am.xlsx", "2026-09-18"),
    ("participatingAgencies04212026am 12.15.07 AM.xlsx", "2026-04-21"),
    ("participatingAgencies10092026'.xlsx", "2026-10-09"),
    ("participatingAgencies060920263pm.xlsx", "2026-06-09"),
])
def test_every_name_variant_imports_with_its_date(tmp_path, data, name, as_of):
    path = make_workbook(tmp_path / name, [KERR, HARRIS])
    code, out, err = run(str(path), "--data", str(data))
    assert (code, err) == (0, "")
    assert out == (f"imported 2 agreements as of {as_of} from {name} into {data / 'agreements'}; "
                   "0 problem(s) in 0 row(s) reported above\n")
    provenance = yaml.safe_load((data / "agreements" / "provenance.yaml").read_text(encoding="utf-8"))
    assert (provenance["source_file"], provenance["as_of"]) == (name, dt.date.fromisoformat(as_of))


def test_undated_name_asks_for_as_of(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies.xlsx", [KERR])
    assert run(str(path), "--data", str(data)) == (2, "", (
        "generate.py: error: cannot tell the list's date from 'participatingAgencies.xlsx': its name carries "
        "no date; pass --as-of YYYY-MM-DD (the date ICE published the list)\n"))
    assert not (data / "agreements").exists()
    code, out, _ = run(str(path), "--data", str(data), "--as-of", "2025-07-18")
    assert code == 0 and "imported 1 agreements as of 2025-07-18" in out


def test_download_without_a_name_is_read_by_its_header(tmp_path, data):
    listed = make_workbook(tmp_path / "download.xlsx", [KERR])
    code, out, _ = run(str(listed), "--data", str(data), "--as-of", "2025-07-18")
    assert code == 0 and out.startswith("imported 1 agreements as of 2025-07-18 from download.xlsx")
    # 'pending' in a name does not make a participating list pending: the header decides.
    pending_word = make_workbook(tmp_path / "pending review (1).xlsx", [KERR, HARRIS])
    code, out, _ = run(str(pending_word), "--data", str(data), "--as-of", "2025-07-18")
    assert code == 0 and "imported 2 agreements" in out
    waiting = make_workbook(tmp_path / "download (2).xlsx", [KERR[:5]], header=PENDING_HEADER)
    code, out, _ = run(str(waiting), "--data", str(data), "--as-of", "2025-07-18")
    assert code == 0 and out.startswith("imported 1 pending applications as of 2025-07-18")
    assert len(rows_of(data)) == 2 and len(rows_of(data, "pending.csv")) == 1


def test_a_pending_name_over_a_participating_header_is_refused(tmp_path, data):
    path = make_workbook(tmp_path / "pendingAgencies07182025pm.xlsx", [KERR])
    assert run(str(path), "--data", str(data)) == (1, "", (
        "pendingAgencies07182025pm.xlsx: row 1: header: expected the columns of ICE's pending list (STATE, "
        "LAW ENFORCEMENT AGENCY, TYPE, COUNTY, SUPPORT TYPE), got a SIGNED column too, as in the participating "
        "list; check which list the file is\n"
        "generate.py: 1 problem(s) found; nothing was written\n"))


def test_year_3025_in_the_name_is_refused(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies03113025am.xlsx", [KERR])
    assert run(str(path), "--data", str(data)) == (2, "", (
        "generate.py: error: cannot tell the list's date from 'participatingAgencies03113025am.xlsx': its name "
        f"reads 3025-03-11, which is after today ({TODAY.isoformat()}); pass --as-of YYYY-MM-DD (the date ICE "
        "published the list)\n"))


def test_a_name_older_than_the_newest_signing_date_is_refused(tmp_path, data):
    # A January 2026 list that ICE named ...01062025pm: its rows were signed after 2025-01-06.
    late = ["FLORIDA", "Cocoa Police Department", "Municipality", "Brevard County", "Task Force Model",
            "12/17/2025", "link pending"]
    path = make_workbook(tmp_path / "participatingAgencies01062025pm.xlsx", [KERR, late])
    assert run(str(path), "--data", str(data)) == (2, "", (
        "generate.py: error: cannot tell the list's date from 'participatingAgencies01062025pm.xlsx': its name "
        "reads 2025-01-06, earlier than the newest signing date in the list (2025-12-17, row 3); pass --as-of "
        "YYYY-MM-DD (the date ICE published the list)\n"))
    code, out, err = run(str(path), "--data", str(data), "--as-of", "2026-01-06")
    assert (code, err) == (0, "") and "as of 2026-01-06" in out


def test_as_of_in_the_future_is_refused(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    tomorrow = TODAY + dt.timedelta(days=1)
    assert run(str(path), "--data", str(data), "--as-of", tomorrow.isoformat()) == (2, "", (
        f"generate.py: error: --as-of: expected a date no later than today ({TODAY.isoformat()}), got "
        f"{tomorrow.isoformat()}\n"))


def test_as_of_bounds_the_signing_dates(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies.xlsx", [KERR, HARRIS])  # 2025-05-23 and 2023-03-15
    code, out, err = run(str(path), "--data", str(data), "--as-of", "2024-01-01")
    assert code == 0
    assert err == ("participatingAgencies.xlsx: row 2: SIGNED: expected a signing date from 2002-01-01 to "
                   "2024-01-01, got Excel serial 45800 (which is 2025-05-23)\n")
    assert [row["signed"] for row in rows_of(data)] == ["", "2023-03-15"]


# ------------------------------------------------------------------------------ sheets and cells


def test_data_sheet_header_row_and_older_spellings(tmp_path, data):
    rows = [["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "TASK FORCE", 45800, ""],
            ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "WARRANT SERVICES OFFICER", 45800, ""],
            ["GEORGIA", "Harris County Sheriff's Office", "County", "Harris County", "Task Force Officer", 45000, ""],
            ["New Hamsphire", "Hudson Police Department", "Municipality", "Hillsborough County",
             "Task Force Model", 45000, ""],
            ["CAROLINA", "Horry County Sheriff's Office", "County", "Horry County", "Task Force Model", 45000, ""]]
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", rows, title_rows=2,
                         sheet_title="Data", before=["Notes", "Sheet1"])
    result = import_list(path)
    assert (result.sheet, result.header_row) == ("Data", 3)
    assert [(row.state_code, row.model) for row in result.rows] == [
        ("TX", "Task Force Model"), ("TX", "Warrant Service Officer"), ("GA", "Task Force Model"),
        ("NH", "Task Force Model")]
    assert [str(problem) for problem in result.problems] == [
        f"{path.name}: row 7: STATE: expected a U.S. state or territory name, got 'New Hamsphire'; read as "
        "New Hampshire",
        f"{path.name}: row 8: STATE: expected a U.S. state or territory name, got 'CAROLINA' (closest: "
        "'SOUTH CAROLINA') (row left out)"]


def test_sheet1_is_read_before_the_first_sheet(tmp_path):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR], sheet_title="Sheet1",
                         before=["Summary"])
    assert import_list(path).sheet == "Sheet1"


def test_links_come_from_hyperlinks_and_stay_in_the_csv(tmp_path, data):
    rows = [KERR[:6] + ["link", "link"], HARRIS[:6] + ["link", ""], KERR[:4] + ["Jail Enforcement Model", 45800,
            "link", ""], KERR[:4] + ["Warrant Service Officer", 45800, "https://www.ice.gov/doclib/text.pdf", ""]]
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", rows, links={
        "G2": "https://www.ice.gov/doclib/287gMOA/kerr_TFM_MOA.pdf",
        "H2": "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2Fdoclib%2Fadd.pdf"
              "&data=05",
        "G3": "javascript:alert(1)",
        "G4": "file:///etc/passwd"})
    code, _, err = run(str(path), "--data", str(data))
    assert code == 0
    assert err == (
        f"{path.name}: row 3: MOA: hyperlink: expected an http(s) link, got 'javascript:alert(1)'; left out\n"
        f"{path.name}: row 4: MOA: hyperlink: expected an http(s) link, got 'file:///etc/passwd'; left out\n")
    assert [(row["moa"], row["addendum"]) for row in rows_of(data)] == [
        ("https://www.ice.gov/doclib/287gMOA/kerr_TFM_MOA.pdf", "https://www.ice.gov/doclib/add.pdf"),
        ("link", ""), ("link", ""), ("https://www.ice.gov/doclib/text.pdf", "")]


def test_a_hyperlink_over_a_range_of_cells(tmp_path):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR, KERR[:4] + [
        "Warrant Service Officer", 45800, "link"], HARRIS], links={"G2": "https://www.ice.gov/doclib/kerr.pdf"})
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'ref="G2"', b'ref="G2:G3"'))
    assert [row.moa for row in import_list(path).rows] == [
        "https://www.ice.gov/doclib/kerr.pdf", "https://www.ice.gov/doclib/kerr.pdf", "link pending"]


@pytest.mark.parametrize("target, expected", [
    ("https://www.ice.gov/a.pdf", ("https://www.ice.gov/a.pdf", None)),
    ("http://www.ice.gov/a.pdf", ("http://www.ice.gov/a.pdf", None)),
    ("mailto:x@example.org", ("", "expected an http(s) link, got 'mailto:x@example.org'; left out")),
    ("https://", ("", "expected an http(s) link, got 'https://'; left out")),
    ("https://www.ice.gov/a b.pdf", ("", "expected an http(s) link without spaces or control characters, got "
                                         "'https://www.ice.gov/a b.pdf'; left out")),
])
def test_checked_link(target, expected):
    assert checked_link(target) == expected


def test_formula_cells_are_reported_and_neutralised(tmp_path, data):
    rows = [["TEXAS", "=cmd|' /C calc'!A0", "County", "Kerr County", "Task Force Model", 45800, "link pending"],
            ["TEXAS", "@SUM(1+1)", "County", "+Kerr County", "Task Force Model", 45800, '=HYPERLINK("x","y")'],
            ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model", "=DATE(2025,1,1)",
             "-2+3"]]
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", rows)
    code, _, err = run(str(path), "--data", str(data))
    assert code == 0
    tail = ", which a spreadsheet would run as a formula; written with an apostrophe in front"
    assert err.splitlines() == [
        f"{path.name}: row 2: LAW ENFORCEMENT AGENCY: expected text, got \"=cmd|' /C calc'!A0\"{tail}",
        f"{path.name}: row 3: LAW ENFORCEMENT AGENCY: expected text, got '@SUM(1+1)'{tail}",
        f"{path.name}: row 3: COUNTY: expected text, got '+Kerr County'{tail}",
        f"{path.name}: row 3: MOA: expected text, got '=HYPERLINK(\"x\",\"y\")'{tail}",
        f"{path.name}: row 4: SIGNED: expected an Excel date serial or M/D/YYYY date, got '=DATE(2025,1,1)'",
        f"{path.name}: row 4: SIGNED: expected text, got '=DATE(2025,1,1)'{tail}",
        f"{path.name}: row 4: MOA: expected text, got '-2+3'{tail}",
    ]
    text = (data / "agreements" / "participating.csv").read_text(encoding="utf-8")
    fields = [field for row in csv.reader(io.StringIO(text)) for field in row]
    assert not [field for field in fields if field[:1] in ("=", "+", "-", "@")]
    assert [row["agency"] for row in rows_of(data)] == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)",
                                                         "Kerr County Sheriff's Office"]
    assert len(load_agreements(data)) == 3


def test_a_formula_in_a_loaded_csv_is_a_problem(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    assert run(str(path), "--data", str(data))[0] == 0
    csv_path = data / "agreements" / "participating.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("Kerr County Sheriff's Office", "=1+1"),
                        encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_agreements(data)
    assert caught.value.problems == [
        "participating.csv:2: agency: expected text a spreadsheet will not run as a formula (write it with an "
        "apostrophe in front), got '=1+1'"]


# ---------------------------------------------------------------------------- replacing a list


def test_problems_print_once_and_changes_are_recorded(tmp_path, data):
    first = make_workbook(tmp_path / "participatingAgencies06172025pm.xlsx", [
        KERR, HARRIS, ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Warrant Service Officer",
                       "7/72025", ""]])
    code, _, err = run(str(first), "--data", str(data), "--downloaded", "2025-06-18")
    assert code == 0
    assert err == ("participatingAgencies06172025pm.xlsx: row 4: SIGNED: expected an Excel date serial or "
                   "M/D/YYYY date, got '7/72025'\n")
    provenance_path = data / "agreements" / "provenance.yaml"
    provenance_path.write_text(provenance_path.read_text(encoding="utf-8") + "note: checked against ICE's page\n",
                               encoding="utf-8")

    again = run(str(first), "--data", str(data))
    assert again[0] == 0 and again[1].startswith(
        "same workbook as the list it replaces (participatingAgencies06172025pm.xlsx): no agreement added or removed\n")
    kept = yaml.safe_load(provenance_path.read_text(encoding="utf-8"))
    assert (kept["downloaded"], kept["note"]) == (dt.date(2025, 6, 18), "checked against ICE's page")

    newer = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [
        KERR, ["FLORIDA", "Cocoa Police Department", "Municipality", "Brevard County", "Task Force Model", 45800, ""],
        ["FLORIDA", "Flagler County Sheriff's Office", "County", "Flagler County", "Jail Enforcement Model", 45800,
         ""]])
    code, out, err = run(str(newer), "--data", str(data))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "changes against participatingAgencies06172025pm.xlsx (ICE's list of 2025-06-17): 2 agreement(s) added, "
        "2 removed (3 -> 3 rows)",
        "  by state: Florida +2 -0; Georgia +0 -1; Texas +0 -1",
        "  by model: Jail Enforcement Model +1 -0; Task Force Model +1 -0; Warrant Service Officer +0 -2",
        f"imported 3 agreements as of 2025-07-18 from participatingAgencies07182025pm.xlsx into "
        f"{data / 'agreements'}; 0 problem(s) in 0 row(s) reported above"]
    provenance = yaml.safe_load(provenance_path.read_text(encoding="utf-8"))
    assert provenance["changes"] == {
        "against": "participatingAgencies06172025pm.xlsx", "against_as_of": dt.date(2025, 6, 17),
        "rows_before": 3, "rows_after": 3, "added": 2, "removed": 2,
        "by_state": {"Florida": {"added": 2, "removed": 0}, "Georgia": {"added": 0, "removed": 1},
                     "Texas": {"added": 0, "removed": 1}},
        "by_model": {"Jail Enforcement Model": {"added": 1, "removed": 0},
                     "Task Force Model": {"added": 1, "removed": 0},
                     "Warrant Service Officer": {"added": 0, "removed": 2}}}
    # A new workbook has its own download date; the hand-written note stays.
    assert (provenance["downloaded"], provenance["note"]) == (None, "checked against ICE's page")

    older = run(str(first), "--data", str(data))
    assert older == (2, "", (
        "generate.py: error: data/agreements holds ICE's participating list of 2025-07-18 "
        "(participatingAgencies07182025pm.xlsx), newer than this one (2025-06-17, "
        "participatingAgencies06172025pm.xlsx); pass --force to replace it with the older list\n"))
    assert load_agreements(data).as_of == dt.date(2025, 7, 18)
    code, out, _ = run(str(first), "--data", str(data), "--force")
    assert code == 0 and "2 agreement(s) added, 2 removed" in out
    assert load_agreements(data).as_of == dt.date(2025, 6, 17)


def test_pending_list_is_not_replaced_by_an_older_one(tmp_path, data):
    assert run(str(make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])), "--data",
               str(data))[0] == 0
    newer = make_workbook(tmp_path / "pendingAgencies07182025pm.xlsx", [KERR[:5]], header=PENDING_HEADER)
    older = make_workbook(tmp_path / "pendingAgencies07012025pm.xlsx", [HARRIS[:5]], header=PENDING_HEADER)
    assert run(str(newer), "--data", str(data))[0] == 0
    assert run(str(older), "--data", str(data)) == (2, "", (
        "generate.py: error: data/agreements holds ICE's pending list of 2025-07-18 "
        "(pendingAgencies07182025pm.xlsx), newer than this one (2025-07-01, pendingAgencies07012025pm.xlsx); "
        "pass --force to replace it with the older list\n"))


# --------------------------------------------------------------------------------- county_fips


def test_county_fips_written_and_read_back(tmp_path, data):
    cocoa = ["FLORIDA", "Cocoa Police Department", "Municipality", "#N/A", "Task Force Model", 45800, ""]
    flagler = ["FLORIDA", "Flagler County Sheriff's Office", "County", "Flagere County", "Task Force Model", 45800, ""]
    patrol = ["FLORIDA", "Florida Highway Patrol", "State Agency", "#N/A", "Task Force Model", 45800, ""]
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR, cocoa, flagler, patrol])
    code, _, err = run(str(path), "--data", str(data))
    assert code == 0
    assert err == (f"{path.name}: row 4: COUNTY: expected a county of Florida, got 'Flagere County'; read as "
                   "Flagler County (12035); ICE's cell kept as written\n")
    assert [(row["county"], row["county_fips"]) for row in rows_of(data)] == [
        ("Kerr County", "48265"), ("", "12009"), ("Flagere County", "12035"), ("", "")]
    assert [row.county_fips for row in load_agreements(data).rows] == [("48265",), ("12009",), ("12035",), ()]


def test_a_csv_without_county_fips_is_placed_at_load(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR, HARRIS])
    assert run(str(path), "--data", str(data))[0] == 0
    csv_path = data / "agreements" / "participating.csv"
    old = [row[:10] for row in csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8")))]
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(old)
    assert [row.county_fips for row in load_agreements(data).rows] == [("48265",), ("13145",)]


# ------------------------------------------------------------------------------ hostile workbooks


@pytest.fixture
def small_limits(monkeypatch):
    def use(**limits):
        monkeypatch.setattr(workbook_module, "DEFAULT_LIMITS", Limits(**limits))
    return use


def refused(path: Path, data: Path, message: str) -> None:
    """The import fails with exit 1 and exactly one problem line, nothing written, no traceback."""
    assert run(str(path), "--data", str(data)) == (
        1, "", f"{message}\ngenerate.py: 1 problem(s) found; nothing was written\n")
    assert not (data / "agreements").exists()


def test_uncompressed_size_is_bounded_by_the_zips_own_sizes(tmp_path, data, small_limits):
    padding = ["A" * 30_000] * 10  # openpyxl writes at most 32,767 characters a cell
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR + padding] * 2)
    with zipfile.ZipFile(path) as archive:
        total = sum(info.file_size for info in archive.infolist())
    small_limits(uncompressed_bytes=100_000)
    refused(path, data, f"{path.name}: expected a workbook of at most 100,000 bytes uncompressed, got {total:,} "
                        "(by the zip's own sizes); refused unread")


def test_entry_count_and_file_size_are_bounded(tmp_path, data, small_limits):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    with zipfile.ZipFile(path) as archive:
        entries = len(archive.infolist())
    small_limits(entries=5)
    refused(path, data, f"{path.name}: expected a workbook of at most 5 zip entries, got {entries}")
    small_limits(file_bytes=1_000)
    refused(path, data, f"{path.name}: expected a workbook of at most 1,000 bytes, got {path.stat().st_size:,}")


def test_a_workbook_of_long_cells_only_is_refused(tmp_path, data, small_limits):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR[:1] + ["x" * 300] + KERR[2:]])
    small_limits(cell_chars=100)
    assert run(str(path), "--data", str(data)) == (1, "", (
        f"{path.name}: expected agreement rows below the header (row 1), found none\n"
        f"{path.name}: row 2: LAW ENFORCEMENT AGENCY: expected a cell of at most 100 characters, got 300 "
        "(row left out)\n"
        "generate.py: 2 problem(s) found; nothing was written\n"))


def test_row_and_cell_counts_are_bounded(tmp_path, data, small_limits):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR] * 10)
    small_limits(rows=5)
    refused(path, data, f"{path.name}: sheet 'Sheet': expected at most 5 rows, got more; refused")
    small_limits(cells=30)
    refused(path, data, f"{path.name}: sheet 'Sheet': expected at most 30 cells, got more; refused")


def test_a_long_cell_leaves_its_row_out(tmp_path, data, small_limits):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [
        KERR, KERR[:1] + ["x" * 300] + KERR[2:]])
    small_limits(cell_chars=100)
    code, out, err = run(str(path), "--data", str(data))
    assert code == 0 and "imported 1 agreements" in out
    assert err == (f"{path.name}: row 3: LAW ENFORCEMENT AGENCY: expected a cell of at most 100 characters, "
                   "got 300 (row left out)\n")


def test_a_hyperlink_over_the_whole_sheet_is_refused(tmp_path, data, small_limits):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR], links={"G2": "https://x.org/"})
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'ref="G2"', b'ref="A1:XFD1048576"'))
    small_limits(hyperlinks=1_000)
    refused(path, data, f"{path.name}: sheet 'Sheet': expected at most 1,000 hyperlinked cells, got more; refused")


def _with_doctype(doctype: bytes):
    def change(xml: bytes) -> bytes:
        declaration_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
        return xml[:declaration_end] + doctype + xml[declaration_end:]
    return change


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
])
def test_xxe_and_entity_bombs_are_refused_unread(tmp_path, data, doctype):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    rewrite(path, "xl/worksheets/sheet1.xml", _with_doctype(doctype))
    refused(path, data, f"{path.name}: xl/worksheets/sheet1.xml: expected plain XML, got a document type or "
                        "entity declaration (DTDForbidden); refused unread")


def test_truncated_xml_and_missing_parts(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    with zipfile.ZipFile(path) as archive:
        size = len(archive.read("xl/worksheets/sheet1.xml"))
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml[:size // 2])
    message = refused_message(path, data)
    assert re.fullmatch(rf"{re.escape(path.name)}: xl/worksheets/sheet1\.xml: expected well-formed XML, got an "
                        r"error at line \d+, column \d+ \(truncated, or not UTF-8 text\?\)", message)
    rewrite(path, "xl/worksheets/sheet1.xml", None, drop=True)
    refused(path, data, f"{path.name}: expected the workbook part xl/worksheets/sheet1.xml, found none; the "
                        "workbook is incomplete")
    rewrite(path, "xl/workbook.xml", None, drop=True)
    refused(path, data, f"{path.name}: expected the workbook part xl/workbook.xml, found none; the workbook is "
                        "incomplete")


def refused_message(path: Path, data: Path) -> str:
    code, out, err = run(str(path), "--data", str(data))
    lines = err.splitlines()
    assert (code, out, len(lines), lines[-1]) == (1, "", 2, "generate.py: 1 problem(s) found; nothing was written")
    return lines[0]


def test_non_utf8_xml_is_one_line(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"Kerr County Sheriff", b"Kerr \xff\xfe County"))
    assert "expected well-formed XML, got an error at line" in refused_message(path, data)


def test_not_a_zip(tmp_path, data):
    path = tmp_path / "participatingAgencies07182025pm.xlsx"
    path.write_bytes(b"STATE,AGENCY\n" * 10)
    refused(path, data, f"{path.name}: expected an Excel .xlsx workbook (a zip file), got a file that is not one "
                        "(File is not a zip file)")


def test_a_nan_cell_is_one_reported_row(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR, HARRIS])
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<v>45800</v>", b"<v>NaN</v>"))
    code, out, err = run(str(path), "--data", str(data))
    assert code == 0 and "imported 2 agreements" in out
    assert err == (f"{path.name}: row 2: SIGNED: expected an Excel date serial or M/D/YYYY date, got 'NaN'\n")


def test_a_huge_state_cell_gets_no_slow_hint(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR, ["TEXAS" * 700] + KERR[1:]])
    started = time.monotonic()
    code, out, err = run(str(path), "--data", str(data))
    assert time.monotonic() - started < 5
    assert code == 0 and "imported 1 agreements" in out
    assert err == (f"{path.name}: row 3: STATE: expected a U.S. state or territory name, got "
                   f"'{'TEXAS' * 12}\u2026' (3,500 characters) (row left out)\n")


def test_a_csv_field_over_the_csv_limit_is_one_line(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    assert run(str(path), "--data", str(data))[0] == 0
    csv_path = data / "agreements" / "participating.csv"
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(text.replace("link pending", '"' + "x" * 200_000 + '"'), encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_agreements(data)
    assert caught.value.problems[0] == (
        f"participating.csv:2: expected CSV text, got a field longer than {csv.field_size_limit():,} characters; "
        "stopped reading")


def test_a_fifo_as_the_csv_is_one_line(tmp_path, data):
    import os

    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    assert run(str(path), "--data", str(data))[0] == 0
    csv_path = data / "agreements" / "participating.csv"
    csv_path.unlink()
    os.mkfifo(csv_path)
    with pytest.raises(AgreementsError) as caught:
        load_agreements(data)
    assert caught.value.problems == ["participating.csv: expected a regular file, got a folder, FIFO or device"]


def test_downloaded_must_fit_the_list(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    tomorrow = TODAY + dt.timedelta(days=1)
    assert run(str(path), "--data", str(data), "--downloaded", tomorrow.isoformat()) == (2, "", (
        f"generate.py: error: --downloaded: expected a date no later than today ({TODAY.isoformat()}), got "
        f"{tomorrow.isoformat()}\n"))
    assert run(str(path), "--data", str(data), "--downloaded", "2025-07-17") == (2, "", (
        "generate.py: error: --downloaded: expected a date no earlier than the list's (2025-07-18), got "
        "2025-07-17\n"))


def test_empty_rows_by_the_million_stay_cheap(tmp_path, data, small_limits):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    junk = b"".join(b'<row r="%d"/>' % number for number in range(3, 200_003))
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", junk + b"</sheetData>"))
    small_limits(cells=100_000)
    started = time.monotonic()
    refused(path, data, f"{path.name}: sheet 'Sheet': expected at most 100,000 rows (empty ones included), got "
                        "more; refused")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("change, problem", [
    (lambda text: text.replace("as_of: 2025-07-18", "as_of: 2025-02-30"),
     "provenance.yaml:10: expected a real date, got '2025-02-30'"),
    (lambda text: text + "bomb: &a [x, x]\nmore: &b [*a, *a]\n",
     "provenance.yaml:19: expected no YAML aliases ('*name'): write the value out in full"),
    (lambda text: text + "rows: 5\n", "provenance.yaml:18: rows: duplicate key 'rows': first on line 13, again on line 18"),
    (lambda text: text.encode("utf-8") + b"note: \xff\n", "data/agreements/provenance.yaml:18: expected UTF-8 text, got the byte 0xff"),
])
def test_an_unusable_provenance_is_one_line_and_not_silently_replaced(tmp_path, data, change, problem):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    assert run(str(path), "--data", str(data))[0] == 0
    provenance = data / "agreements" / "provenance.yaml"
    changed = change(provenance.read_text(encoding="utf-8"))
    (provenance.write_bytes if isinstance(changed, bytes) else provenance.write_text)(changed)
    with pytest.raises(AgreementsError) as caught:
        load_agreements(data)
    assert caught.value.problems == [problem]
    assert run(str(path), "--data", str(data)) == (1, "", (
        f"{problem}\nprovenance.yaml: expected the provenance of the list being replaced, got one that cannot be "
        "used; fix it, or pass --force to replace it\ngenerate.py: 2 problem(s) found; nothing was written\n"))
    code, _, err = run(str(path), "--data", str(data), "--force")
    assert code == 0 and err.startswith("WARNING: ") and problem in err
    assert len(load_agreements(data)) == 1


def test_an_unreadable_download_date_in_provenance(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    assert run(str(path), "--data", str(data), "--downloaded", "2025-07-19")[0] == 0
    provenance = data / "agreements" / "provenance.yaml"
    provenance.write_text(provenance.read_text(encoding="utf-8").replace("downloaded: 2025-07-19",
                                                                          "downloaded: yesterday"), encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_agreements(data)
    assert caught.value.problems == [
        "provenance.yaml:11: downloaded: expected a date like 2025-07-19 or null, got 'yesterday'"]
    assert run(str(path), "--data", str(data))[0] == 0  # the same workbook again: the bad date is dropped
    assert load_agreements(data).provenance["downloaded"] is None


def test_invisible_and_bidi_characters_are_removed_and_reported(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [
        ["TEXAS", "Kerr County\u200b Sheriff's \u202eOffice", "County", "Kerr County", "Task Force Model", 45800, ""]])
    code, _, err = run(str(path), "--data", str(data))
    assert code == 0
    assert err == (f"{path.name}: row 2: LAW ENFORCEMENT AGENCY: expected plain text, got \"Kerr County\\u200b "
                   "Sheriff's \\u202eOffice\" with invisible, control or direction-changing characters (U+200B, "
                   "U+202E); they were removed\n")
    assert load_agreements(data).rows[0].agency == "Kerr County Sheriff's Office"


def test_the_list_and_its_provenance_are_written_together_or_not_at_all(tmp_path, data):
    first = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR])
    assert run(str(first), "--data", str(data))[0] == 0
    before = (data / "agreements" / "participating.csv").read_bytes()
    provenance = data / "agreements" / "provenance.yaml"
    provenance.unlink()
    provenance.mkdir()  # the second of the two writes must fail
    newer = make_workbook(tmp_path / "participatingAgencies07202025pm.xlsx", [KERR, HARRIS])
    code, out, err = run(str(newer), "--data", str(data), "--force")
    assert (code, out) == (1, "")
    assert err.splitlines()[-2:] == [
        f"{provenance}: cannot write the output: it is a folder; name a file, or remove the folder",
        "generate.py: 1 problem(s) found; nothing was written"]
    assert (data / "agreements" / "participating.csv").read_bytes() == before


def test_a_zip_that_understates_its_sizes_is_refused(tmp_path, data):
    import struct

    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR] * 50)
    content = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):  # central and local headers
        start = 0
        while (start := content.find(signature, start)) != -1:
            struct.pack_into("<I", content, start + offset, 100)  # claims 100 bytes uncompressed
            start += 4
    path.write_bytes(bytes(content))
    message = refused_message(path, data)
    assert re.fullmatch(rf"{re.escape(path.name)}: \S+: cannot decompress it \(Bad CRC-32 for file '\S+'\)", message)


@pytest.mark.slow
def test_fuzzed_workbooks_fail_in_one_line_or_import(tmp_path):
    """Seeded mutations of a small workbook: raw zip bytes, decompressed XML bytes and cell text. Each run
    imports (exit 0) or is refused (exit 1 or 2, one line a problem); never an exception."""
    import random

    source = make_workbook(tmp_path / "source.xlsx", [KERR, HARRIS], links={"G2": "https://www.ice.gov/a.pdf"})
    original = source.read_bytes()
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    generator = random.Random(287)
    junk = [b"\x00", b"\xff", b"<", b"&", b"]]>", b"<!DOCTYPE x>", b'"', b"NaN", b"=1+1", b"\xe2\x80\xae",
            b'r="XFD1048576"', b'r="0"', b"99999999999", b"-1", b"</row>", b"<c>", b"t=\"s\""]
    for attempt in range(120):
        path = tmp_path / f"participatingAgencies07182025pm_{attempt}.xlsx"
        how = attempt % 3
        if how == 0:  # flip bytes of the zip itself
            content = bytearray(original)
            for _ in range(generator.randint(1, 8)):
                content[generator.randrange(len(content))] = generator.randrange(256)
            path.write_bytes(bytes(content[:generator.randint(len(content) // 2, len(content))]
                                   if generator.random() < 0.2 else content))
        else:  # splice junk into one XML part and zip it up again
            name = generator.choice(sorted(parts))
            xml = bytearray(parts[name])
            for _ in range(generator.randint(1, 4)):
                spot = generator.randrange(len(xml) + 1)
                if how == 1:
                    xml[spot:spot] = generator.choice(junk)
                else:
                    del xml[spot:spot + generator.randint(1, 20)]
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
                for part, data in parts.items():
                    target.writestr(part, bytes(xml) if part == name else data)
        data = tmp_path / f"data_{attempt}"
        code, out, err = run(str(path), "--data", str(data))
        assert code in (0, 1, 2), (attempt, code, err)
        assert "Traceback" not in err
        if code == 1:
            assert err.endswith("nothing was written\n") and not (data / "agreements").exists()
        if code == 0:
            assert len(load_agreements(data)) >= 1


@pytest.mark.slow
def test_fuzzed_normalised_files_load_or_fail_in_lines(tmp_path, data):
    """Seeded mutations of participating.csv, pending.csv and provenance.yaml: load_agreements returns a list
    or raises AgreementsError with one line a problem; never another exception."""
    import random

    listed = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR, HARRIS])
    waiting = make_workbook(tmp_path / "pendingAgencies07182025pm.xlsx", [HARRIS[:5]], header=PENDING_HEADER)
    assert run(str(listed), "--data", str(data))[0] == 0 and run(str(waiting), "--data", str(data))[0] == 0
    folder = data / "agreements"
    originals = {name: (folder / name).read_bytes() for name in ("participating.csv", "pending.csv", "provenance.yaml")}
    generator = random.Random(12)
    junk = [b",", b'"', b"\n", b"\x00", b"\xff", b"=", b";x", b": [", b"&a", b"*a", b"2025-02-30", b"\r", b"'"]
    for attempt in range(300):
        name = generator.choice(sorted(originals))
        content = bytearray(originals[name])
        for _ in range(generator.randint(1, 3)):
            spot = generator.randrange(len(content) + 1)
            if generator.random() < 0.6:
                content[spot:spot] = generator.choice(junk)
            else:
                del content[spot:spot + generator.randint(1, 30)]
        (folder / name).write_bytes(bytes(content))
        try:
            load_agreements(data)
        except AgreementsError as error:
            assert error.problems and all("\n" not in str(problem) for problem in error.problems), attempt
        (folder / name).write_bytes(originals[name])


def test_a_file_name_with_control_characters_is_printed_escaped(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm\n\u202e.xlsx", [
        ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model", "7/72025", ""]])
    code, out, err = run(str(path), "--data", str(data))
    assert code == 0
    assert err == ("participatingAgencies07182025pm\\n\\u202e.xlsx: row 2: SIGNED: expected an Excel date serial "
                   "or M/D/YYYY date, got '7/72025'\n")
    assert load_agreements(data).provenance["source_file"] == "participatingAgencies07182025pm\\n\\u202e.xlsx"


def test_a_morning_list_does_not_replace_the_evening_list_of_the_same_day(tmp_path, data):
    evening = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [KERR, HARRIS])
    morning = make_workbook(tmp_path / "participatingAgencies07182025am.xlsx", [KERR])
    assert run(str(evening), "--data", str(data))[0] == 0
    assert run(str(morning), "--data", str(data)) == (2, "", (
        "generate.py: error: data/agreements holds ICE's participating list of 2025-07-18 "
        "(participatingAgencies07182025pm.xlsx), newer than this one (2025-07-18, "
        "participatingAgencies07182025am.xlsx); pass --force to replace it with the older list\n"))
    again = make_workbook(tmp_path / "participatingAgencies07182025pm2.xlsx", [KERR, HARRIS, KERR[:4] + [
        "Warrant Service Officer", 45800, ""]])
    code, out, _ = run(str(again), "--data", str(data))  # ICE's second evening list of the day
    assert code == 0 and "1 agreement(s) added, 0 removed" in out


def test_a_list_without_county_or_moa_columns_is_read_and_says_so(tmp_path, data):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx",
                         header=["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE", "SIGNED"],
                         rows=[["FLORIDA", "Cocoa Police Department", "Municipality", "Task Force Model", 45800]])
    code, out, err = run(str(path), "--data", str(data))
    assert code == 0 and "imported 1 agreements" in out
    assert err == (f"{path.name}: row 1: COUNTY: expected a COUNTY column in the header, found none; counties are "
                   "placed from agency names only\n"
                   f"{path.name}: row 1: MOA: expected a MOA column in the header, found none; no agreement links "
                   "are read\n")
    assert [(row["county"], row["county_fips"], row["moa"]) for row in rows_of(data)] == [("", "12009", "")]


# ---------------------------------------------------------------- defects met in ICE's lists of 2021-2026


@pytest.mark.parametrize("name, kind, date, captured", [
    ("participatingAgencies-20250221214937.xlsx", "participating", dt.date(2025, 2, 21),
     dt.datetime(2025, 2, 21, 21, 49, 37)),
    ("pendingAgencies-20250419231031.xlsx", "pending", dt.date(2025, 4, 19), dt.datetime(2025, 4, 19, 23, 10, 31)),
    # an archive's own table of ICE's HTML page, named by its capture: the header says which list it is
    ("ParticipatingEntities-20210113002027.xlsx", None, dt.date(2021, 1, 13), dt.datetime(2021, 1, 13, 0, 20, 27)),
])
def test_a_wayback_capture_name_reads_as_the_day_of_the_capture(name, kind, date, captured):
    listed = read_list_name(name)
    assert (listed.kind, listed.date, listed.reason, listed.captured) == (kind, date, "", captured)


@pytest.mark.parametrize("name, reason", [
    ("participatingAgencies-20251341000000.xlsx", "its digits '20251341000000' do not read as MMDDYYYY or MMDDYY"),
    ("Entities-20251341000000.xlsx", "its name is not one of ICE's (participatingAgencies... or "
                                     "pendingAgencies...) and carries no date"),
])
def test_fourteen_digits_that_are_no_capture_time_are_refused(name, reason):
    listed = read_list_name(name)
    assert (listed.date, listed.reason, listed.captured) == (None, reason, None)


def test_short_words_and_typos_in_type_and_support_type_are_read_and_reported(tmp_path):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", [
        ["MICHIGAN", "Michigan State Police", "State", "#N/A", "Task Force Model ", 45800, "link"],
        ["ALABAMA", "Semmes Police Department ", "Muncipality ", "Mobile County", "Task Force Model", 45800, ""],
        ["ARKANSAS", "Pope County Sheriff's Office", "County", "Pope County", "Warrant Service Office", 45800, ""],
        ["TEXAS", "Kerr County Sheriff's Office", "Municipal", "Kerr County", "Jail Enforcment Model ", 45800, ""],
        ["TEXAS", "Hays County Sheriff's Office", "County", "Hays County", "Hybrid Model", 45800, ""],
    ])
    result = import_list(path)
    assert [(row.agency_type, row.model) for row in result.rows] == [
        ("State Agency", "Task Force Model"), ("Municipality", "Task Force Model"),
        ("County", "Warrant Service Officer"), ("Municipality", "Jail Enforcement Model")]
    name = path.name
    assert [str(problem) for problem in result.problems] == [
        f"{name}: row 3: TYPE: expected one of County, Municipality, State Agency, got 'Muncipality'; read as "
        "Municipality",
        f"{name}: row 4: SUPPORT TYPE: expected one of Jail Enforcement Model, Task Force Model, Warrant Service "
        "Officer, got 'Warrant Service Office'; read as Warrant Service Officer",
        f"{name}: row 5: SUPPORT TYPE: expected one of Jail Enforcement Model, Task Force Model, Warrant Service "
        "Officer, got 'Jail Enforcment Model'; read as Jail Enforcement Model",
        f"{name}: row 6: SUPPORT TYPE: expected one of Jail Enforcement Model, Task Force Model, Warrant Service "
        "Officer, got 'Hybrid Model' (row left out)",
    ]


def test_a_row_without_a_readable_type_is_kept_untyped_only_when_asked(tmp_path, data):
    rows = [KERR, ["FLORIDA", "Criminal Investigation Division, Department of Financial Services ", "#NA", "#NA",
                   "Task Force Model", 45800, "link pending "],
            ["NEW HAMPSHIRE", "Grafton County Sheriff's Office", None, "Grafton County ", "Task Force Model", 45800]]
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", rows)
    assert [row.agency for row in import_list(path).rows] == ["Kerr County Sheriff's Office"]
    kept = import_list(path, keep_untyped=True)
    assert [(row.agency_type, row.model) for row in kept.rows] == [
        ("County", "Task Force Model"), ("", "Task Force Model"), ("", "Task Force Model")]
    assert [str(problem) for problem in kept.problems] == [
        f"{path.name}: row 3: TYPE: expected one of County, Municipality, State Agency, got '#NA'; kept without "
        "an agency type",
        f"{path.name}: row 4: TYPE: expected one of County, Municipality, State Agency, got a blank cell; kept "
        "without an agency type"]
    with pytest.raises(AgreementsError) as caught:
        write_normalised(kept, data, source_file=path.name)
    assert caught.value.problems[0] == (
        f"{path.name}: row 3: TYPE: expected one of County, Municipality, State Agency, got none (the list was "
        "read for its history only); re-import it without keep_untyped")
    assert not (data / "agreements").exists()


def test_a_list_without_a_type_column_is_read_for_its_history_only(tmp_path):
    # The archive's table of ICE's HTML page (2021 - Feb 2025): no TYPE or COUNTY, ISO dates as text.
    path = make_workbook(tmp_path / "ParticipatingEntities-20210113002027.xlsx", sheet_title="287(g) Agreements",
                         header=["STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED", "MOA"],
                         rows=[["ALABAMA", "Etowah County Sheriff's Office", "Jail Enforcement Model", "2016-06-08",
                                "https://web.archive.org/web/20210113002027/https://www.ice.gov/doclib/x.pdf"],
                               ["ALASKA", "Department of Corrections", "Warrant Service Officer", "2020-02-30", ""]])
    with pytest.raises(AgreementsError) as caught:
        import_list(path)
    assert caught.value.problems[0].endswith("missing TYPE")
    result = import_list(path, keep_untyped=True, place=False)
    assert (result.kind, result.as_of) == ("participating", dt.date(2021, 1, 13))
    assert [(row.agency_type, row.signed, row.signed_raw) for row in result.rows] == [
        ("", dt.date(2016, 6, 8), "2016-06-08"), ("", None, "2020-02-30")]
    assert [str(problem) for problem in result.problems] == [
        f"{path.name}: row 1: COUNTY: expected a COUNTY column in the header, found none; counties are placed "
        "from agency names only",
        f"{path.name}: row 1: TYPE: expected a TYPE column in the header, found none; rows kept without an agency "
        "type",
        f"{path.name}: row 3: SIGNED: expected an Excel date serial or M/D/YYYY date, got '2020-02-30', which is "
        "not a calendar date"]


def test_with_header_decides_a_swapped_name_is_read_by_its_header(tmp_path):
    # An archive saved ICE's two lists of one evening under each other's name.
    signed = make_workbook(tmp_path / "pendingAgencies09222025pm.xlsx", [KERR, HARRIS])
    waiting = make_workbook(tmp_path / "participatingAgencies09222025pm.xlsx", [KERR[:5]], header=[
        "STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"])
    with pytest.raises(AgreementsError):
        import_list(signed)  # by default the name decides, and the header contradicts it
    with pytest.raises(AgreementsError):
        import_list(waiting)
    first, second = import_list(signed, header_decides=True), import_list(waiting, header_decides=True)
    assert (first.kind, len(first.rows), second.kind, len(second.rows)) == ("participating", 2, "pending", 1)
    assert str(first.problems[0]) == (
        f"{signed.name}: row 1: header: expected the columns of ICE's pending list, as the file name says, got "
        "those of the participating list (a SIGNED column); read as the participating list")
    assert str(second.problems[0]) == (
        f"{waiting.name}: row 1: header: expected the columns of ICE's participating list, as the file name says, "
        "got those of the pending list (no SIGNED column); read as the pending list")


def test_an_empty_pending_list_is_a_list(tmp_path, data):
    listed = make_workbook(tmp_path / "participatingAgencies11062025pm.xlsx", [KERR])
    empty = make_workbook(tmp_path / "pendingAgencies11062025pm.xlsx", [[None] * 5, [None] * 5],
                          header=PENDING_HEADER)
    assert import_list(empty).rows == []
    assert run(str(listed), "--data", str(data))[0] == 0
    code, out, err = run(str(empty), "--data", str(data))
    assert (code, err) == (0, "")
    assert out.startswith("imported 0 pending applications as of 2025-11-06")
    assert len(load_agreements(data).pending) == 0
    # An empty participating list, or a pending list whose every row was left out, is still refused.
    bad = make_workbook(tmp_path / "pendingAgencies11072025pm.xlsx", [["TEXAS", "X", "County", "Kerr County", ""]],
                        header=PENDING_HEADER)
    with pytest.raises(AgreementsError):
        import_list(bad)
    with pytest.raises(AgreementsError):
        import_list(make_workbook(tmp_path / "participatingAgencies11072025pm.xlsx", [[None] * 8]))
