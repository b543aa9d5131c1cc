"""Tests for policybrief.ice: ICE's workbook in, normalised CSV out, counts and jurisdiction look-ups."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from policybrief.ice import (
    CSV_COLUMNS,
    PENDING_CSV_COLUMNS,
    AgreementsError,
    JurisdictionError,
    as_of_from_filename,
    date_from_excel_serial,
    find_jurisdiction,
    import_pending_workbook,
    import_workbook,
    load_agreements,
    write_normalised,
    write_pending,
)
from policybrief.errors import DataError, UsageError

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
ICE_SHEETS = (Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "data"
              / "appelson_Tracking_287g" / "ice_sheets")
WORKBOOK_NAME = "sheets_20250719_151637__participatingAgencies07182025pm.xlsx"
PENDING_WORKBOOK_NAME = "sheets_20250719_151637__pendingAgencies07182025pm.xlsx"
# The list data/agreements/ ships: ICE's participating list of 18 May 2026, from the archive of 2021-2026.
SHIPPED_WORKBOOK = (Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "data"
                    / "relevantresearch_ice_workbooks" / "participatingAgencies" / "participatingAgencies05182026am.xlsx")
APPELSON_VIA = ("as archived by appelson/Tracking_287g (github.com/appelson/Tracking_287g, commit "
                "1946c799ae59af836cbc5b0b5c063237546f9a86, download folder 20250719_151637)")
HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"]


@pytest.fixture(scope="module")
def workbook() -> Path:
    path = ICE_SHEETS / WORKBOOK_NAME
    if not path.exists():
        pytest.skip(f"ICE's 2025-07-18 workbook is not available at {path} (the shared reference folder "
                    "sits next to the repository only in the project's workspace)")
    return path


@pytest.fixture(scope="module")
def imported(workbook):
    return import_workbook(workbook)


@pytest.fixture(scope="module")
def shipped():
    return load_agreements(DATA)


def make_workbook(path: Path, rows: list[list], *, header: list[str] = HEADER, title_rows: int = 0) -> Path:
    """Write a small workbook shaped like ICE's, with `title_rows` of preamble above the header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for number in range(title_rows):
        sheet.append([f"287(g) participating agencies, title line {number + 1}"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# ------------------------------------------------------------------------------ ICE's real workbook


def test_real_workbook_counts(imported):
    rows = imported.rows
    assert len(rows) == 832
    models = {}
    for row in rows:
        models[row.model] = models.get(row.model, 0) + 1
    assert models == {"Jail Enforcement Model": 117, "Task Force Model": 415, "Warrant Service Officer": 300}
    assert len({row.state for row in rows}) == 40
    assert imported.as_of == dt.date(2025, 7, 18)
    assert imported.header_row == 1


def test_real_workbook_links_and_counties(imported):
    # ICE's MOA and ADDENDUM cells say 'link'; the addresses are in the cells' hyperlinks.
    by_row = {row.row: row for row in imported.rows}
    assert by_row[4].moa == "https://www.ice.gov/doclib/287gMOA/ColbertCoSheriffsOfficeAL_WSO_MOA_05.08.25.pdf"
    assert (by_row[2].moa, by_row[2].addendum) == ("link pending", "")
    assert imported.links == 642
    assert sum(row.moa.startswith(("http://", "https://")) for row in imported.rows) == 603
    assert sum(row.addendum.startswith("https://") for row in imported.rows) == 39
    assert not [row for row in imported.rows if row.moa.lower() == "link"]
    # row 48: Texarkana, Arkansas's police, whose COUNTY cell names Bowie County, Texas: placed by its town
    assert (by_row[2].county_fips, by_row[75].county_fips, by_row[48].county_fips) == (("01019",), ("12035",),
                                                                                        ("05091",))
    assert imported.sheet == "Sheet1"


def test_real_workbook_malformed_signed_rows_are_reported_and_kept(imported):
    signed = [str(problem) for problem in imported.problems if problem.column == "SIGNED"]
    name = WORKBOOK_NAME
    assert signed == [
        f"{name}: row 639: SIGNED: expected a signing date from 2002-01-01 to 2025-07-18, "
        "got Excel serial 1141572 (which is 5025-07-07)",
        f"{name}: row 775: SIGNED: expected an Excel date serial or M/D/YYYY date, got '7/72025'",
        f"{name}: row 785: SIGNED: expected an Excel date serial or M/D/YYYY date, got '05/082025'",
    ]
    by_row = {row.row: row for row in imported.rows}
    assert (by_row[639].agency, by_row[639].signed, by_row[639].signed_raw) == (
        "Grundy County Sheriff's Office", None, "1141572")
    assert (by_row[775].agency, by_row[775].signed, by_row[775].signed_raw) == (
        "Tooele County Sheriff's Office", None, "7/72025")
    assert (by_row[785].agency, by_row[785].signed, by_row[785].signed_raw) == (
        "Campbell County Sheriff's Office", None, "05/082025")
    assert [row.row for row in imported.rows if row.signed is None] == [639, 775, 785]
    assert by_row[2].signed == dt.date(2025, 6, 25) and by_row[2].signed_raw == "45833"


def test_real_workbook_misspelt_counties_are_reported_not_corrected(imported):
    counties = {problem.row: problem.value for problem in imported.problems if problem.column == "COUNTY"}
    assert counties == {11: "Frankin County", 42: "Layafette County", 48: "Bowie County", 75: "Flagere County",
                        456: "Berrian County", 517: "Albemarle County", 591: "Alleghany County",
                        595: "Alleghany County", 617: "McCorkmick County", 712: "Lampass County",
                        790: "Hopewell County", 791: "Hopewell County", 792: "Hopewell County"}
    assert all(problem.kept for problem in imported.problems)
    assert {row.row: row.county for row in imported.rows}[75] == "Flagere County"


def test_write_normalised_matches_shipped_files(tmp_path):
    if not SHIPPED_WORKBOOK.exists():
        pytest.skip(f"ICE's 2026-05-18 workbook is not available at {SHIPPED_WORKBOOK} (the shared reference "
                    "folder sits next to the repository only in the project's workspace)")
    write_normalised(import_workbook(SHIPPED_WORKBOOK), tmp_path, source_file=SHIPPED_WORKBOOK.name,
                     downloaded=dt.date(2026, 5, 18))
    written = (tmp_path / "agreements" / "participating.csv").read_text(encoding="utf-8")
    assert written == (DATA / "agreements" / "participating.csv").read_text(encoding="utf-8")
    reloaded = load_agreements(tmp_path)
    assert reloaded.as_of == dt.date(2026, 5, 18)  # from the file name
    assert reloaded.provenance["sha256"] == hashlib.sha256(SHIPPED_WORKBOOK.read_bytes()).hexdigest()
    assert reloaded.provenance["sha256"] == load_agreements(DATA).provenance["sha256"]
    assert reloaded.provenance["problems"] == load_agreements(DATA).provenance["problems"]


# ----------------------------------------------------------------------------- Excel serials, cells


@pytest.mark.parametrize("serial, expected", [
    (45833, dt.date(2025, 6, 25)),
    (45833.75, dt.date(2025, 6, 25)),
    (37257, dt.date(2002, 1, 1)),
    (61, dt.date(1900, 3, 1)),
    (59, dt.date(1900, 2, 28)),
    (1, dt.date(1900, 1, 1)),
])
def test_excel_serial_to_date(serial, expected):
    assert date_from_excel_serial(serial) == expected


@pytest.mark.parametrize("serial", [0, 60, -5])
def test_excel_serial_refuses_non_dates(serial):
    with pytest.raises(ValueError):
        date_from_excel_serial(serial)


def test_import_reads_every_form_of_cell_and_reports_the_rest(tmp_path):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", title_rows=2, header=[
        " state ", "Law  Enforcement Agency", "type", "County", "SUPPORT TYPE", "Signed", "MOA"], rows=[
        ["TEXAS", "Galveston County Sheriff\u2019s Office", "County", "Galveston County ", "Task Force Model",
         45833, "link"],
        ["Texas", "Galveston County Sheriff's Office", "county", "Galveston County", "warrant service  officer",
         "45800", "link pending "],
        ["FLORIDA", "Cocoa Police Department", "Municipality", "#N/A", "Task Force Model ",
         dt.datetime(2025, 2, 26), "link\u00a0|\u00a0addendum"],
        [None, None, None, None, None, None, None],
        ["UT", "Tooele County Sheriff's Office", "County", "Tooele County", "Jail Enforcement Model",
         "7/7/2025", "link"],
        ["UTAH", "Tooele County Sheriff's Office", "County", "Tooele County", "Warrant Service Officer",
         "7/72025", "link"],
        ["TENNESSEE", "Grundy County Sheriff's Office", "County", "Grundy County", "Warrant Service Officer",
         1141572, "link"],
        ["VIRGINIA", "Campbell County Sheriff's Office", "County", "Campbell County", "Task Force Model",
         None, "link"],
        ["UTAHJ", "Box Elder County Sheriff's Office", "County", "Box Elder County", "Task Force Model",
         45800, "link"],
        ["GEORGIA", "Harris County Sheriff's Office", "", "Harris County", "Hybrid Model", 45799, "link"],
    ])
    result = import_workbook(path)
    assert result.header_row == 3
    assert [(row.row, row.state_code, row.agency_type, row.model, row.signed, row.signed_raw)
            for row in result.rows] == [
        (4, "TX", "County", "Task Force Model", dt.date(2025, 6, 25), "45833"),
        (5, "TX", "County", "Warrant Service Officer", dt.date(2025, 5, 23), "45800"),
        (6, "FL", "Municipality", "Task Force Model", dt.date(2025, 2, 26), "45714"),
        (8, "UT", "County", "Jail Enforcement Model", dt.date(2025, 7, 7), "7/7/2025"),
        (9, "UT", "County", "Warrant Service Officer", None, "7/72025"),
        (10, "TN", "County", "Warrant Service Officer", None, "1141572"),
        (11, "VA", "County", "Task Force Model", None, ""),
        (12, "UT", "County", "Task Force Model", dt.date(2025, 5, 23), "45800"),
    ]
    first, _, cocoa = result.rows[:3]
    assert (first.state, first.agency, first.county) == ("Texas", "Galveston County Sheriff's Office",
                                                          "Galveston County")
    assert (cocoa.county, cocoa.moa, cocoa.addendum) == ("", "link | addendum", "")
    name = path.name
    assert [str(problem) for problem in result.problems] == [
        f"{name}: row 9: SIGNED: expected an Excel date serial or M/D/YYYY date, got '7/72025'",
        f"{name}: row 10: SIGNED: expected a signing date from 2002-01-01 to 2025-07-18, got Excel serial "
        "1141572 (which is 5025-07-07)",
        f"{name}: row 11: SIGNED: expected an Excel date serial or M/D/YYYY date, got a blank cell",
        f"{name}: row 12: STATE: expected a U.S. state or territory name, got 'UTAHJ'; read as Utah",
        f"{name}: row 13: TYPE: expected one of County, Municipality, State Agency, got a blank cell "
        "(row left out)",
        f"{name}: row 13: SUPPORT TYPE: expected one of Jail Enforcement Model, Task Force Model, "
        "Warrant Service Officer, got 'Hybrid Model' (row left out)",
    ]
    problem = result.problems[0]
    assert (problem.row, problem.column, problem.value, problem.kept) == (9, "SIGNED", "7/72025", True)


def test_import_refuses_a_header_without_the_expected_columns(tmp_path):
    path = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx",
                         header=["STATE", "AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "MOA"],
                         rows=[["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model",
                                "link"]])
    with pytest.raises(AgreementsError) as caught:
        import_workbook(path)
    assert caught.value.problems == [
        "participatingAgencies07182025pm.xlsx: row 1: header: expected columns STATE, LAW ENFORCEMENT AGENCY, "
        "TYPE, SUPPORT TYPE, SIGNED, got 'STATE', 'AGENCY', 'TYPE', 'COUNTY', 'SUPPORT TYPE', "
        "'MOA'; missing SIGNED"]
    assert isinstance(caught.value, DataError)


def test_import_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "participatingAgencies07182025pm.xlsx"
    path.write_text("STATE,LAW ENFORCEMENT AGENCY\n", encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        import_workbook(path)
    assert caught.value.problems[0].startswith(
        "participatingAgencies07182025pm.xlsx: expected an Excel .xlsx workbook (a zip file), got a file that "
        "is not one (File is not a zip file)")


@pytest.mark.parametrize("name, expected", [
    ("participatingAgencies07182025pm.xlsx", dt.date(2025, 7, 18)),
    ("sheets_20250519_024922__participatingAgencies05162025am.xlsx", dt.date(2025, 5, 16)),
    ("participatingAgencies13402025am.xlsx", None),
    ("agencies.xlsx", None),
])
def test_as_of_from_filename(name, expected):
    assert as_of_from_filename(name) == expected


def test_write_normalised_needs_a_list_date(tmp_path):
    path = make_workbook(tmp_path / "list.xlsx", rows=[
        ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model", 45800, "link"]])
    result = import_workbook(path)
    with pytest.raises(AgreementsError) as caught:
        write_normalised(result, tmp_path, source_file="list.xlsx", downloaded=None)
    assert caught.value.problems == [
        "list.xlsx: expected a file name like participatingAgencies07182025pm.xlsx to tell the list date, "
        "got none; pass as_of"]
    write_normalised(result, tmp_path, as_of=dt.date(2025, 7, 18), source_file="list.xlsx", downloaded=None)
    loaded = load_agreements(tmp_path)
    assert (len(loaded), loaded.as_of, loaded.rows[0].signed) == (1, dt.date(2025, 7, 18), dt.date(2025, 5, 23))
    assert loaded.provenance["publisher"] == "U.S. Immigration and Customs Enforcement"
    assert not list((tmp_path / "agreements").glob(".*.tmp"))


# ------------------------------------------------------------------------------- the shipped CSV


def test_shipped_list_loads_with_its_provenance(shipped):
    assert len(shipped) == 1843
    assert shipped.as_of == dt.date(2026, 5, 18)
    provenance = shipped.provenance
    assert provenance["source_file"] == "participatingAgencies05182026am.xlsx"
    assert provenance["source_url"] == "https://www.ice.gov/identify-and-arrest/287g"
    assert provenance["downloaded"] == dt.date(2026, 5, 18)
    assert provenance["rows"] == 1843
    assert "not subject to copyright" in provenance["licence"]
    assert "RelevantResearch/287g-DetentionData" in provenance["retrieved_via"]
    assert sum("SIGNED" in problem for problem in provenance["problems"]) == 0
    assert (provenance["changes"]["against"], provenance["changes"]["rows_before"]) == (
        "participatingAgencies07182025pm.xlsx", 832)


def test_shipped_data_has_no_pending_list(shipped):
    # ICE's last pending list (27 February 2026, two rows, both signed by May) is not of the shipped list's
    # date, and the older one of July 2025 would show applications long since signed or dropped.
    assert (shipped.pending, shipped.pending_as_of, "pending" in shipped.provenance) == ([], None, False)
    assert not (DATA / "agreements" / "pending.csv").exists()


def test_shipped_list_counts(shipped):
    assert shipped.by_model() == {"Task Force Model": 1162, "Warrant Service Officer": 499,
                                  "Jail Enforcement Model": 182}
    assert shipped.by_agency_type() == {"County": 1095, "Municipality": 670, "State Agency": 78}
    assert list(shipped.by_state().items())[:5] == [("Texas", 387), ("Florida", 348), ("Missouri", 103),
                                                    ("Pennsylvania", 102), ("Arkansas", 86)]
    assert len(shipped.states()) == 40
    # 1,557 names as ICE spells them; six sheriffs (Galveston, DeWitt, Lavaca, Smith, Victoria, Refugio or
    # Laramie among them) appear with a typographic apostrophe on one row and a straight one on another,
    # and the import makes them one agency each.
    assert len(shipped.agencies()) == 1551
    before_2025 = shipped.signed_before(dt.date(2025, 1, 1))
    assert len(before_2025) == 131
    assert before_2025.by_model() == {"Warrant Service Officer": 74, "Jail Enforcement Model": 56,
                                      "Task Force Model": 1}
    task_force = [row for row in shipped.rows if row.model == "Task Force Model" and row.signed]
    earliest = min(task_force, key=lambda row: row.signed)
    # ICE's SIGNED cell says 2016 for an agreement under a model ICE re-opened only in 2025; kept as ICE wrote it.
    assert (earliest.signed, earliest.agency) == (dt.date(2016, 3, 19), "Mohawk Village Police Department")
    assert len(shipped.for_state("TX")) == 387 == len(shipped.for_state("Texas"))


def test_load_reports_every_malformed_cell_with_its_line(tmp_path):
    folder = tmp_path / "agreements"
    folder.mkdir()
    shutil.copy(DATA / "agreements" / "provenance.yaml", folder / "provenance.yaml")
    rows = [list(CSV_COLUMNS),
            ["Texas", "TX", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model",
             "2025-05-23", "45800", "link", "", "48265"],
            ["Texas", "TX", "Kerr County Sheriff's Office", "County", "Kerr County", "Hybrid",
             "7/72025", "7/72025", "link", "", "48265;x"],
            ["Texas", "FL", "", "County", "", "Task Force Model", "", "", "", "", ""],
            ["Texas", "TX", "short row"]]
    with (folder / "participating.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with pytest.raises(AgreementsError) as caught:
        load_agreements(tmp_path)
    assert caught.value.problems == [
        "participating.csv:3: model: expected one of Jail Enforcement Model, Task Force Model, "
        "Warrant Service Officer, got 'Hybrid'",
        "participating.csv:3: signed: expected an ISO date like 2025-07-18 or a blank cell, got '7/72025'",
        "participating.csv:3: county_fips: expected county FIPS codes such as 48201, separated by ';', or a "
        "blank cell, got '48265;x'",
        "participating.csv:4: state: expected 'Florida' (the state of code FL), got 'Texas'",
        "participating.csv:4: agency: expected an agency name, got ''",
        "participating.csv:5: expected 11 columns, got 3",
    ]


def test_load_reports_a_bad_header_and_missing_provenance(tmp_path):
    folder = tmp_path / "agreements"
    folder.mkdir()
    (folder / "participating.csv").write_text("STATE,AGENCY\nTexas,Kerr\n", encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_agreements(tmp_path)
    assert caught.value.problems == [
        "provenance.yaml: expected the provenance of participating.csv here, found no file; "
        "re-run the import (generate.py update-agreements)",
        "participating.csv:1: header: expected columns state,state_code,agency,agency_type,county,model,signed,"
        "signed_raw,moa,addendum,county_fips, got 'STATE,AGENCY'",
    ]


def test_load_reports_a_provenance_date_that_is_not_a_date(tmp_path):
    folder = tmp_path / "agreements"
    folder.mkdir()
    shutil.copy(DATA / "agreements" / "participating.csv", folder / "participating.csv")
    text = (DATA / "agreements" / "provenance.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(number for number, value in enumerate(lines, 1) if value.startswith("as_of:"))
    (folder / "provenance.yaml").write_text(text.replace("as_of: 2026-05-18", "as_of: July", 1), encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_agreements(tmp_path)
    assert caught.value.problems == [f"provenance.yaml:{line}: as_of: expected a date like 2025-07-18, got 'July'"]


# ------------------------------------------------------------------------------ jurisdiction look-up


@pytest.mark.parametrize("name", ["Harris County, GA", "harris co ga", "Harris County, Georgia",
                                  "HARRIS COUNTY SHERIFF'S OFFICE, GEORGIA", "Harris Cnty., Ga."])
def test_county_with_an_agreement(shipped, name):
    place = find_jurisdiction(name, shipped)
    assert (place.name, place.kind, place.state, place.state_code, place.slug, place.fips) == (
        "Harris County, Georgia", "county", "Georgia", "GA", "harris-county-ga", "13145")
    assert [(row.agency, row.model) for row in place.agreements] == [
        ("Harris County Sheriff's Office", "Task Force Model"), ("Harris County Sheriff's Office", "Warrant Service Officer")]


def test_county_rows_with_both_apostrophes_are_one_agency(shipped):
    place = find_jurisdiction("Galveston County, TX", shipped)
    sheriff = [row for row in place.agreements if "Sheriff" in row.agency]
    # ICE writes the Jail Enforcement Model row with a typographic apostrophe, the others with a straight one.
    assert {row.agency for row in sheriff} == {"Galveston County Sheriff's Office"}
    assert len(sheriff) == 3


@pytest.mark.parametrize("name", ["Travis County, TX", "travis co tx", "Travis County, Texas"])
def test_real_county_without_an_agreement(shipped, name):
    # Travis County, Texas (Austin) is not on ICE's list of 2026-05-18; the Census list still knows it.
    place = find_jurisdiction(name, shipped)
    assert (place.name, place.kind, place.state_code, place.slug, place.fips, place.agreements) == (
        "Travis County, Texas", "county", "TX", "travis-county-tx", "48453", [])


def test_county_found_through_agency_names_when_ice_misspells_county(shipped):
    place = find_jurisdiction("Flagler County, FL", shipped)  # ICE writes 'Flager County' for Bunnell PD
    assert {row.agency for row in place.agreements} == {
        "Flagler County Sheriff's Office", "Bunnell Police Department", "Flagler Beach Police Department"}
    city = find_jurisdiction("Hopewell, VA", shipped)  # ICE writes 'Hopewell County' for the independent city
    assert (city.kind, city.name, len(city.agreements)) == ("city", "Hopewell, Virginia", 1)


def test_ambiguous_county_name(shipped):
    with pytest.raises(JurisdictionError) as caught:
        find_jurisdiction("Washington County", shipped)
    # Counties holding an agreement come first (Maryland's left ICE's list in 2026).
    assert caught.value.candidates == ["Washington County, Alabama", "Washington County, Arkansas",
                                       "Washington County, Florida", "Washington County, Idaho",
                                       "Washington County, Missouri"]
    assert str(caught.value) == (
        "'Washington County' is ambiguous: it matches 31 jurisdictions (Washington County, Alabama; "
        "Washington County, Arkansas; Washington County, Florida; Washington County, Idaho; "
        "Washington County, Missouri and 26 more); write one of them, with its state")
    assert isinstance(caught.value, UsageError)
    place = find_jurisdiction(caught.value.candidates[3], shipped)
    assert (place.slug, len(place.agreements)) == ("washington-county-id", 1)


def test_unknown_name(shipped):
    with pytest.raises(JurisdictionError) as caught:
        find_jurisdiction("Harriss County, TX", shipped)
    assert str(caught.value) == (
        "no county, city, state agency or state matches 'Harriss County, TX' (looked in the Census county "
        "list and ICE's list of 2026-05-18); closest: Harris County, Texas; Harrison County, Texas; "
        "Morris County, Texas; Hardin County, Texas; Hays County, Texas")
    assert caught.value.candidates == ["Harris County, Texas", "Harrison County, Texas", "Morris County, Texas",
                                       "Hardin County, Texas", "Hays County, Texas"]


def test_a_large_city_is_taken_before_the_county_of_its_name(shipped):
    """'Houston, TX' is the city (in Harris County), not Houston County; a small town sharing a county's
    name is ambiguous, and both are offered."""
    houston = find_jurisdiction("Houston, TX", shipped)
    assert (houston.kind, houston.name, houston.slug) == ("city", "Houston, Texas", "houston-tx")
    assert [county.fips for county in houston.counties] == ["48201", "48157", "48339"]
    assert find_jurisdiction("Houston County, TX", shipped).fips == "48225"
    with pytest.raises(JurisdictionError) as caught:
        find_jurisdiction("Livingston, KY", shipped)
    assert str(caught.value) == ("'Livingston, KY' is ambiguous: it matches 2 jurisdictions (City of Livingston, "
                                 "Kentucky; Livingston County, Kentucky); write one of them, with its state")


def test_city_state_agency_and_state(shipped):
    city = find_jurisdiction("Cocoa, FL", shipped)
    assert (city.name, city.kind, city.slug) == ("Cocoa, Florida", "city", "cocoa-fl")
    assert [row.agency for row in city.agreements] == ["Cocoa Police Department"]  # not Cocoa Beach

    agency = find_jurisdiction("Florida Highway Patrol", shipped)
    assert (agency.kind, agency.state_code) == ("state-agency", "FL")
    assert agency.name == "Florida Department of Highway Safety and Motor Vehicles, Division of Highway Patrol"

    state = find_jurisdiction("Texas", shipped)
    assert (state.name, state.kind, state.state_code, state.slug, len(state.agreements)) == (
        "Texas", "state", "TX", "texas", 387)


def test_empty_name(shipped):
    with pytest.raises(JurisdictionError) as caught:
        find_jurisdiction("  ", shipped)
    assert str(caught.value) == "expected a jurisdiction such as 'Harris County, TX', got '  '"


# ------------------------------------------------------------------------- ICE's pending applications


PENDING_HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"]


@pytest.fixture(scope="module")
def pending_workbook() -> Path:
    path = ICE_SHEETS / PENDING_WORKBOOK_NAME
    if not path.exists():
        pytest.skip(f"ICE's 2025-07-18 pending workbook is not available at {path} (the shared reference "
                    "folder sits next to the repository only in the project's workspace)")
    return path


@pytest.fixture(scope="module")
def pending_imported(pending_workbook):
    return import_pending_workbook(pending_workbook)


def test_real_pending_workbook(pending_imported):
    rows = pending_imported.rows
    assert len(rows) == 26
    models = {}
    for row in rows:
        models[row.model] = models.get(row.model, 0) + 1
    assert models == {"Warrant Service Officer": 13, "Task Force Model": 9, "Jail Enforcement Model": 4}
    assert (pending_imported.as_of, pending_imported.header_row) == (dt.date(2025, 7, 18), 1)
    assert all((row.signed, row.signed_raw, row.moa, row.addendum) == (None, "", "", "") for row in rows)
    by_row = {row.row: row for row in rows}
    # ICE's trailing spaces ('County ', "Texas County's Sheriff's Office ") are dropped; '#N/A' and '#NA' are blank.
    assert (by_row[14].agency, by_row[14].agency_type, by_row[14].county) == (
        "Texas County's Sheriff's Office", "County", "Texas County")
    assert (by_row[16].agency, by_row[16].county) == ("Highspire Police Department", "")
    assert (by_row[24].agency, by_row[24].county) == ("Southside Place Police Department", "")


def test_real_pending_workbook_malformed_rows_are_reported(pending_imported):
    assert [str(problem) for problem in pending_imported.problems] == [
        f"{PENDING_WORKBOOK_NAME}: row 10: COUNTY: expected a county of Louisiana, got 'German Coast County'; "
        "kept as written, not placed in a county (ICE wrote 'German Coast County', which is not a county of "
        "Louisiana, and no county's name is close to it)"]
    assert all(problem.kept for problem in pending_imported.problems)
    kept = {row.row: row for row in pending_imported.rows}[10]
    assert (kept.agency, kept.county) == ("St. Charles Place Sheriff's Office", "German Coast County")


@pytest.fixture(scope="module")
def july_2025(imported, pending_imported, tmp_path_factory) -> Path:
    """ICE's participating and pending lists of 18 July 2025 as a data folder (what data/agreements/ held
    before the list of May 2026, which has no pending list of its date to go with it)."""
    data = tmp_path_factory.mktemp("july_2025")
    write_normalised(imported, data, source_file="participatingAgencies07182025pm.xlsx",
                     downloaded=dt.date(2025, 7, 19), retrieved_via=APPELSON_VIA)
    write_pending(pending_imported, data, source_file="pendingAgencies07182025pm.xlsx",
                  downloaded=dt.date(2025, 7, 19), retrieved_via=APPELSON_VIA)
    return data


@pytest.fixture(scope="module")
def july(july_2025):
    return load_agreements(july_2025)


def test_write_pending_writes_the_list_and_its_provenance(july_2025):
    folder = july_2025 / "agreements"
    with (folder / "pending.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert (tuple(rows[0]), len(rows)) == (PENDING_CSV_COLUMNS, 27)
    text = (folder / "provenance.yaml").read_text(encoding="utf-8")
    assert "# `pending` describes pending.csv" in text
    assert text.index("\npending:\n") > text.index("\nsource_file: participatingAgencies07182025pm.xlsx\n")
    assert not list(folder.glob(".*.tmp"))


def test_pending_list_loads(july):
    assert len(july.pending) == 26
    assert july.pending_as_of == dt.date(2025, 7, 18)
    assert july.pending_by_model() == {"Warrant Service Officer": 13, "Task Force Model": 9,
                                       "Jail Enforcement Model": 4}
    pending = july.provenance["pending"]
    assert (pending["source_file"], pending["rows"], pending["downloaded"]) == (
        "pendingAgencies07182025pm.xlsx", 26, dt.date(2025, 7, 19))
    assert len(pending["problems"]) == 1
    # The participating list's own keys and counts are untouched by the pending list.
    assert (len(july), july.provenance["rows"], july.provenance["source_file"]) == (
        832, 832, "participatingAgencies07182025pm.xlsx")
    texas = july.for_state("TX")
    assert (len(texas), len(texas.pending)) == (118, 7)
    assert july.signed_before(dt.date(2025, 1, 1)).pending == []


def test_jurisdictions_with_pending_applications(july):
    marion = find_jurisdiction("Marion County, AL", july)
    assert [(row.agency, row.model) for row in marion.agreements] == [
        ("Marion County Sheriff's Office", "Task Force Model")]
    assert [(row.agency, row.model) for row in marion.pending] == [
        ("Marion County Sheriff's Office", "Warrant Service Officer"),
        ("Marion County Sheriff's Office", "Jail Enforcement Model")]
    denton = find_jurisdiction("Denton County, TX", july)
    assert (denton.name, denton.fips, denton.agreements) == ("Denton County, Texas", "48121", [])
    assert [(row.agency, row.model) for row in denton.pending] == [
        ("Denton County Sheriff's Office", "Jail Enforcement Model")]
    # A city known only from the pending list is still a jurisdiction, with no agreements.
    city = find_jurisdiction("Southside Place, TX", july)
    assert (city.kind, city.name, city.agreements, len(city.pending)) == ("city", "Southside Place, Texas", [], 1)
    state = find_jurisdiction("Louisiana", july)
    assert (len(state.agreements), len(state.pending)) == (14, 2)


@pytest.mark.parametrize("name", ["Dallas County, TX", "Harris County, GA", "Cocoa, FL"])
def test_jurisdictions_without_pending_applications(july, name):
    assert find_jurisdiction(name, july).pending == []


def test_pending_list_is_optional(july_2025, tmp_path):
    folder = tmp_path / "agreements"
    folder.mkdir()
    for name in ("participating.csv", "provenance.yaml"):  # the provenance still has its pending: entry
        shutil.copy(july_2025 / "agreements" / name, folder / name)
    loaded = load_agreements(tmp_path)
    assert (len(loaded), loaded.pending, loaded.pending_as_of) == (832, [], None)
    place = find_jurisdiction("Marion County, AL", loaded)
    assert (len(place.agreements), place.pending) == (1, [])
    assert find_jurisdiction("Texas", loaded).pending == []


def test_load_reports_pending_problems(tmp_path):
    folder = tmp_path / "agreements"
    folder.mkdir()
    shutil.copy(DATA / "agreements" / "participating.csv", folder / "participating.csv")
    text = (DATA / "agreements" / "provenance.yaml").read_text(encoding="utf-8")
    assert "\npending:" not in text  # the shipped list has no pending list (test_shipped_data_has_no_pending_list)
    (folder / "provenance.yaml").write_text(text, encoding="utf-8")
    rows = [list(PENDING_CSV_COLUMNS),
            ["Texas", "TX", "Denton County Sheriff's Office", "County", "Denton County", "Jail Enforcement Model",
             "48121"],
            ["Texas", "TX", "Kerr County Sheriff's Office", "County", "Kerr County", "Hybrid", "48265"],
            ["Texas", "TX", "short row"]]
    with (folder / "pending.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with pytest.raises(AgreementsError) as caught:
        load_agreements(tmp_path)
    assert caught.value.problems == [
        "provenance.yaml: pending: expected the provenance of pending.csv (source_file, as_of, rows, ...), "
        "found no such key; re-run the pending import",
        "pending.csv:3: model: expected one of Jail Enforcement Model, Task Force Model, "
        "Warrant Service Officer, got 'Hybrid'",
        "pending.csv:4: expected 7 columns, got 3",
    ]


def test_import_pending_reads_agency_header_and_reports_bad_rows(tmp_path):
    path = make_workbook(tmp_path / "pendingAgencies07182025pm.xlsx", header=[
        "STATE", "AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"], rows=[
        ["TEXAS", "Denton County Sheriff\u2019s Office ", "County ", "Denton County", "JEM"],
        ["PENNSYLVANIA", "Highspire Police Department", "Municipality", "#N/A", "Task Force Model"],
        ["LOUISIANA", "St. Charles Place Sheriff's Office", "County", "German Coast County", "Task Force Model"],
        ["CAROLINA", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model"],
        ["TEXAS", "", "County", "Kerr County", "Hybrid"],
    ])
    result = import_pending_workbook(path)
    assert [(row.row, row.state_code, row.agency, row.agency_type, row.county, row.model, row.signed)
            for row in result.rows] == [
        (2, "TX", "Denton County Sheriff's Office", "County", "Denton County", "Jail Enforcement Model", None),
        (3, "PA", "Highspire Police Department", "Municipality", "", "Task Force Model", None),
        (4, "LA", "St. Charles Place Sheriff's Office", "County", "German Coast County", "Task Force Model", None),
    ]
    name = path.name
    assert [str(problem) for problem in result.problems] == [
        f"{name}: row 4: COUNTY: expected a county of Louisiana, got 'German Coast County'; kept as written, "
        "not placed in a county (ICE wrote 'German Coast County', which is not a county of Louisiana, and no "
        "county's name is close to it)",
        f"{name}: row 5: STATE: expected a U.S. state or territory name, got 'CAROLINA' (closest: "
        "'SOUTH CAROLINA') (row left out)",
        f"{name}: row 6: LAW ENFORCEMENT AGENCY: expected an agency name, got a blank cell (row left out)",
        f"{name}: row 6: SUPPORT TYPE: expected one of Jail Enforcement Model, Task Force Model, "
        "Warrant Service Officer, got 'Hybrid' (row left out)",
    ]
    assert result.as_of == dt.date(2025, 7, 18)


def test_import_pending_refuses_a_participating_header_without_its_columns(tmp_path):
    path = make_workbook(tmp_path / "pendingAgencies07182025pm.xlsx", header=["STATE", "AGENCY", "COUNTY"],
                         rows=[["TEXAS", "Kerr County Sheriff's Office", "Kerr County"]])
    with pytest.raises(AgreementsError) as caught:
        import_pending_workbook(path)
    assert caught.value.problems == [
        "pendingAgencies07182025pm.xlsx: row 1: header: expected columns STATE, LAW ENFORCEMENT AGENCY, TYPE, "
        "SUPPORT TYPE, got 'STATE', 'AGENCY', 'COUNTY'; missing TYPE, SUPPORT TYPE"]


def test_write_pending_and_rewriting_the_participating_list_keep_each_other(tmp_path):
    listed = make_workbook(tmp_path / "participatingAgencies07182025pm.xlsx", rows=[
        ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model", 45800, "link"]])
    waiting = make_workbook(tmp_path / "pendingAgencies07182025pm.xlsx", header=PENDING_HEADER, rows=[
        ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Warrant Service Officer"],
        ["TEXAS", "Denton County Sheriff's Office", "County", "Denton County", "Jail Enforcement Model"]])
    pending = import_pending_workbook(waiting)
    with pytest.raises(AgreementsError) as caught:
        write_pending(pending, tmp_path, source_file=waiting.name)
    assert caught.value.problems[0].startswith("provenance.yaml: expected the participating list's provenance")
    participating = import_workbook(listed)
    write_normalised(participating, tmp_path, source_file=listed.name)
    write_pending(pending, tmp_path, source_file=waiting.name, downloaded=dt.date(2025, 7, 19))
    write_normalised(participating, tmp_path, source_file=listed.name)  # a later re-import keeps pending:
    loaded = load_agreements(tmp_path)
    assert (len(loaded), len(loaded.pending), loaded.pending_as_of) == (1, 2, dt.date(2025, 7, 18))
    assert loaded.provenance["pending"]["source_file"] == "pendingAgencies07182025pm.xlsx"
    kerr = find_jurisdiction("Kerr County, TX", loaded)
    assert ([row.model for row in kerr.agreements], [row.model for row in kerr.pending]) == (
        ["Task Force Model"], ["Warrant Service Officer"])


def test_as_of_from_pending_filename():
    assert as_of_from_filename("sheets_20250719_151637__pendingAgencies07182025pm.xlsx") == dt.date(2025, 7, 18)
