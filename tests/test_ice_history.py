"""Each agreement's history over a series of ICE's lists: policybrief.ice.history and scripts/build_history.py.

Every list is built here: small synthetic lists for the derivation, and small workbooks (openpyxl) for
reading a folder the way the archive of 2021-2026 holds it.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from policybrief.ice import AgreementsError
from policybrief.ice.history import (HISTORY_COLUMNS, agreement_id, derive_history, load_history, read_series,
                                     seen_list, workbook_paths, write_history)

REPO = Path(__file__).resolve().parents[1]
HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"]
PENDING_HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"]
TFM, WSO, JEM = "Task Force Model", "Warrant Service Officer", "Jail Enforcement Model"
D1, D2, D3, D4 = dt.date(2026, 1, 5), dt.date(2026, 2, 2), dt.date(2026, 3, 2), dt.date(2026, 4, 6)


def row(state_code: str, agency: str, model: str = TFM) -> SimpleNamespace:
    return SimpleNamespace(state_code=state_code, agency=agency, model=model)


def listed(day: dt.date, *rows, kind: str = "participating", file: str = ""):
    return seen_list(kind, day, file or f"{kind}Agencies{day:%m%d%Y}am.xlsx", rows)


def by_agency(rows) -> dict:
    return {item.agency: item for item in rows}


# ---------------------------------------------------------------------------------------------- key


@pytest.mark.parametrize("state, names", [
    ("TX", ["Kerr County Sheriff’s Office ", "KERR COUNTY SHERIFF'S OFFICE", "Kerr Co. Sheriffs Office",
            "Kerr County Sheriff's Department", "Kerr County Sheriff Office"]),
    ("TX", ["Texas Department of Public Safety", "Department of Public Safety", "Texas DPS", "DPS"]),
    ("MT", ["MT Dept of Justice", "Montana Department of Justice", "Department of Justice"]),
    ("FL", ["City of Melbourne Police Department", "Melbourne PD", "Melbourne Police Dept."]),
    ("FL", ["Pasco County BOCC", "Pasco County Board of County Commissioners"]),
])
def test_spellings_of_one_agency_share_one_key(state, names):
    assert len({agreement_id(state, name, TFM) for name in names}) == 1


def test_the_key_keeps_agencies_and_models_apart():
    assert agreement_id("TX", "Kerr County Sheriff's Office", TFM) == "TX:kerr-county-sheriffs-office:TFM"
    keys = {agreement_id("FL", name, TFM) for name in ("Melbourne Police Department",
                                                       "West Melbourne Police Department",
                                                       "Florida Highway Patrol", "Highway Patrol")}
    assert len(keys) == 4  # a state name is dropped only before Department, Office, Division or State
    kerr = "Kerr County Sheriff's Office"
    assert agreement_id("TX", kerr, WSO) != agreement_id("TX", kerr, TFM) != agreement_id("GA", kerr, TFM)
    assert agreement_id("TX", "City of Houston", TFM) == "TX:city-of-houston:TFM"  # too short to drop 'City of'


# --------------------------------------------------------------------------------------- derivation


def test_first_and_last_list_and_the_first_list_without_it():
    kerr, hays, bexar = row("TX", "Kerr County Sheriff's Office"), row("TX", "Hays County Sheriff's Office"), \
        row("TX", "Bexar County Sheriff's Office", WSO)
    history = by_agency(derive_history([listed(D3, kerr, bexar), listed(D1, kerr, hays), listed(D2, kerr, hays),
                                        listed(D4, kerr, bexar)]))  # out of order on purpose
    assert (history["Kerr County Sheriff's Office"].first_seen, history["Kerr County Sheriff's Office"].last_seen,
            history["Kerr County Sheriff's Office"].first_absent,
            history["Kerr County Sheriff's Office"].dates_listed) == (D1, D4, None, 4)
    hays_row = history["Hays County Sheriff's Office"]
    assert (hays_row.first_seen, hays_row.last_seen, hays_row.first_absent, hays_row.left) == (D1, D2, D3, True)
    assert (history["Bexar County Sheriff's Office"].first_seen, history["Bexar County Sheriff's Office"].model) == (
        D3, WSO)
    assert not history["Kerr County Sheriff's Office"].left


def test_a_list_that_omits_an_agreement_once_makes_a_gap_not_a_departure():
    kerr, hays = row("TX", "Kerr County Sheriff's Office"), row("TX", "Hays County Sheriff's Office")
    history = by_agency(derive_history([listed(D1, kerr, hays), listed(D2, kerr), listed(D3, kerr, hays)]))
    hays_row = history["Hays County Sheriff's Office"]
    assert (hays_row.first_seen, hays_row.last_seen, hays_row.first_absent, hays_row.gaps,
            hays_row.dates_listed) == (D1, D3, None, 1, 2)


def test_lists_of_one_day_are_ordered_morning_midday_evening():
    kerr, hays = row("TX", "Kerr County Sheriff's Office"), row("TX", "Hays County Sheriff's Office")
    morning = listed(D1, kerr, hays, file="participatingAgencies01052026am.xlsx")
    midday = listed(D1, kerr, hays, file="participatingAgencies01052026mid.xlsx")
    evening = listed(D1, kerr, file="participatingAgencies01052026pm.xlsx")
    for lists in ([evening, midday, morning], [midday, evening, morning]):
        hays_row = by_agency(derive_history(lists))["Hays County Sheriff's Office"]
        assert (hays_row.last_seen, hays_row.first_absent, hays_row.gaps) == (D1, D1, 0)


def test_pending_applications_join_the_agreement_they_became():
    kerr, hays = row("TX", "Kerr County Sheriff's Office"), row("TX", "Hays County Sheriff's Office", JEM)
    history = by_agency(derive_history([
        listed(D1, kerr), listed(D1, hays, kind="pending"), listed(D2, hays, kind="pending"),
        listed(D3, kerr, hays), listed(D3, kind="pending")]))
    hays_row = history["Hays County Sheriff's Office"]
    assert (hays_row.pending_first_seen, hays_row.pending_last_seen, hays_row.first_seen) == (D1, D2, D3)
    assert history["Kerr County Sheriff's Office"].pending_first_seen is None
    only_pending = derive_history([listed(D1, kerr), listed(D1, hays, kind="pending")])
    assert [(item.agency, item.first_seen, item.dates_listed, item.left) for item in only_pending] == [
        ("Hays County Sheriff's Office", None, 0, False), ("Kerr County Sheriff's Office", D1, 1, False)]


def test_a_name_ice_corrected_is_followed():
    typo, fixed = row("TX", "Dimmit Couny Sheriff's Office"), row("TX", "Dimmit County Sheriff's Office")
    longer = row("FL", "Gulf County Board of County Commissioners /Detention Facility", WSO)
    short = row("FL", "Gulf County BOCC", WSO)
    history = derive_history([listed(D1, typo, short), listed(D2, typo, short), listed(D3, fixed, longer),
                              listed(D4, fixed, longer)])
    assert [(item.agency, item.first_seen, item.last_seen, item.first_absent, item.dates_listed, item.earlier_ids)
            for item in history] == [
        ("Gulf County Board of County Commissioners /Detention Facility", D1, D4, None, 4,
         ("FL:gulf-county-board-of-county-commissioners:WSO",)),
        ("Dimmit County Sheriff's Office", D1, D4, None, 4, ("TX:dimmit-couny-sheriffs-office:TFM",))]


@pytest.mark.parametrize("before, after", [
    (["Madison County Sheriff's Office"], ["Marion County Sheriff's Office"]),  # two letters: two counties
    (["Melbourne Police Department"], ["West Melbourne Police Department"]),  # words added in front
    (["Pinal County Sheriff's Office"], ["Pinal County Attorney's Office"]),
    (["Lyons County Sheriff's Office", "Lyon County Sheriff's Offices"], ["Lyon County Sheriff's Office"]),
])
def test_a_change_of_name_that_may_be_another_agency_is_not_followed(before, after):
    first = listed(D1, *(row("KS", name) for name in before))
    second = listed(D2, *(row("KS", name) for name in after))
    history = derive_history([first, second])
    assert len(history) == len(before) + len(after)
    assert all(not item.earlier_ids for item in history)
    assert sorted(item.agency for item in history if item.left) == sorted(before)


# ----------------------------------------------------------------------------------- reading a folder


def make_workbook(path: Path, rows: list[list], *, header: list[str] = HEADER) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


KERR = ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model", 46000, "link"]
HAYS = ["TEXAS", "Hays County Sheriff's Office", "County", "Hays County", "Warrant Service Officer", 46000, "link"]
LATE = ["TEXAS", "Bexar County Sheriff's Office", "County", "Bexar County", "Task Force Model", 46100, "link"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small archive shaped like the one of 2021-2026: dated lists, Wayback captures, an archive's own table
    of ICE's HTML page, a misdated pair, a copy under a later name, and files that are no list."""
    root = tmp_path / "workbooks"
    (root / "participatingAgencies").mkdir(parents=True)
    (root / "pendingAgencies").mkdir()
    listed, waiting = root / "participatingAgencies", root / "pendingAgencies"
    make_workbook(listed / "ParticipatingEntities-20250110120000.xlsx",
                  [["TEXAS", "Kerr County Sheriff's Office", "Task Force Model", "2025-01-02", ""]],
                  header=["STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED", "MOA"])
    make_workbook(listed / "participatingAgencies-20250221214937.xlsx", [KERR[:5] + [45600, "link"],
                                                                          HAYS[:5] + [45600, "link"]])
    make_workbook(waiting / "pendingAgencies-20250221214937.xlsx", [LATE[:5]], header=PENDING_HEADER)
    first = make_workbook(listed / "participatingAgencies01052026am.xlsx", [KERR, HAYS])
    make_workbook(listed / "participatingAgencies02022026am.xlsx", [KERR])
    shutil.copy(first, listed / "participatingAgencies03022026am.xlsx")  # the January list, saved again later
    make_workbook(listed / "participatingAgencies04062026am.xlsx", [KERR, LATE])
    # A May 2026 list named as if of 2025 (its signing dates say otherwise), and its pending companion.
    make_workbook(listed / "participatingAgencies05042025am.xlsx", [KERR, LATE])
    make_workbook(waiting / "pendingAgencies05042025am.xlsx", [HAYS[:5]], header=PENDING_HEADER)
    make_workbook(waiting / "combined_result.xlsx", [LATE[:5]], header=PENDING_HEADER)
    (listed / "~$participatingAgencies04062026am.xlsx").write_bytes(b"lock")
    (listed / "notes.txt").write_text("not a workbook", encoding="utf-8")
    return root


def test_read_series_reads_what_can_be_dated_and_says_why_it_skipped_the_rest(folder):
    series = read_series(workbook_paths(folder), today=dt.date(2026, 5, 18))
    read = sorted((item.as_of.isoformat(), item.kind, item.origin, item.file) for item in series.lists)
    assert read == [
        ("2025-01-10", "participating", "derived", "ParticipatingEntities-20250110120000.xlsx"),
        ("2025-02-21", "participating", "ice", "participatingAgencies-20250221214937.xlsx"),
        ("2025-02-21", "pending", "ice", "pendingAgencies-20250221214937.xlsx"),
        ("2026-01-05", "participating", "ice", "participatingAgencies01052026am.xlsx"),
        ("2026-02-02", "participating", "ice", "participatingAgencies02022026am.xlsx"),
        ("2026-04-06", "participating", "ice", "participatingAgencies04062026am.xlsx")]
    assert dict(series.skipped) == {
        "combined_result.xlsx": "no list date: its name is not one of ICE's (participatingAgencies... or "
                                "pendingAgencies...) and carries no date",
        "participatingAgencies05042025am.xlsx": "no list date: its name reads 2025-05-04, earlier than the newest "
                                                "signing date in the list (2026-03-19, row 3)",
        "pendingAgencies05042025am.xlsx": "no list date: saved with participatingAgencies05042025am.xlsx, whose "
                                          "name's date was refused (its name reads 2025-05-04, earlier than the "
                                          "newest signing date in the list (2026-03-19, row 3)); the two share "
                                          "their name's date",
        "participatingAgencies03022026am.xlsx": "same bytes as participatingAgencies01052026am.xlsx (2026-01-05), "
                                                "with lists of other content between the two: a copy of that list "
                                                "saved under a later name, not read as a list of 2026-03-02",
    }
    history = by_agency(derive_history(series.lists))
    hays = history["Hays County Sheriff's Office"]
    assert (hays.first_seen, hays.last_seen, hays.first_absent, hays.gaps) == (
        dt.date(2025, 2, 21), dt.date(2026, 1, 5), dt.date(2026, 2, 2), 0)
    kerr = history["Kerr County Sheriff's Office"]
    assert (kerr.first_seen, kerr.first_absent, kerr.dates_listed) == (dt.date(2025, 1, 10), None, 5)
    bexar = history["Bexar County Sheriff's Office"]
    assert (bexar.pending_first_seen, bexar.first_seen) == (dt.date(2025, 2, 21), dt.date(2026, 4, 6))


def test_a_folder_without_workbooks_is_refused(tmp_path):
    with pytest.raises(AgreementsError) as caught:
        workbook_paths(tmp_path / "absent")
    assert caught.value.problems == ["absent: expected a folder of ICE's workbooks, found none"]
    with pytest.raises(AgreementsError) as caught:
        write_history(read_series([]), tmp_path / "data", source="nothing", command="test")
    assert caught.value.problems == ["history: expected at least one participating list with a date, got none"]


# ------------------------------------------------------------------------------------- write and load


def build(folder: Path, data: Path):
    series = read_series(workbook_paths(folder), today=dt.date(2026, 5, 18))
    return write_history(series, data, source="a test folder", command="python scripts/build_history.py FOLDER")


def test_history_files_round_trip(folder, tmp_path):
    data = tmp_path / "data"
    csv_path, yaml_path, rows = build(folder, data)
    loaded = load_history(data)
    assert [item.__dict__ | {"line": 0} for item in loaded] == [item.__dict__ for item in rows]
    assert [item.line for item in loaded] == [2, 3, 4]
    provenance = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    assert provenance["participating"] == {
        "files": 5, "distinct_files": 5, "dates": 5, "first_list": dt.date(2025, 1, 10),
        "newest_list": dt.date(2026, 4, 6), "newest_file": "participatingAgencies04062026am.xlsx",
        "newest_agreements": 2, "files_by_origin": {"ice": 4, "derived": 1}}
    assert (provenance["agreements"], provenance["agreements_left"], provenance["pending_only"]) == (3, 1, 0)
    assert provenance["lists"][0] == "2025-01-10 participating derived 1 ParticipatingEntities-20250110120000.xlsx"
    assert len(provenance["skipped"]) == 4
    assert loaded.newest_list == dt.date(2026, 4, 6)
    assert [item.agency for item in loaded.left_between(dt.date(2026, 1, 1), dt.date(2026, 1, 31))] == [
        "Hays County Sheriff's Office"]
    with csv_path.open(encoding="utf-8", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == HISTORY_COLUMNS


def edited(data: Path, line: int, **cells) -> None:
    path = data / "agreements" / "history.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for column, value in cells.items():
        rows[line - 1][HISTORY_COLUMNS.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_load_history_reports_every_problem_with_its_line(folder, tmp_path):
    data = tmp_path / "data"
    build(folder, data)
    edited(data, 2, first_seen="2026-02-30")
    edited(data, 3, last_seen="2024-01-01", agency="Hays County Jail")
    edited(data, 4, earlier_ids="GA:kerr-county-sheriffs-office:TFM", model="TFM")
    with pytest.raises(AgreementsError) as caught:
        load_history(data)
    assert caught.value.problems == [
        "history.csv:2: first_seen: expected an ISO date like 2026-05-18 or a blank cell, got '2026-02-30'",
        "history.csv:3: agreement_id: expected 'TX:hays-county-jail:WSO' (the key of its state_code, agency and "
        "model), got 'TX:hays-county-sheriffs-office:WSO'",
        "history.csv:3: last_seen: expected a date on or after first_seen (2025-02-21), got '2024-01-01'",
        "history.csv:4: model: expected one of Jail Enforcement Model, Task Force Model, Warrant Service Officer, "
        "got 'TFM'",
        "history.csv:4: earlier_ids: expected keys of the same state and model, other than agreement_id, "
        "separated by ';', got 'GA:kerr-county-sheriffs-office:TFM'",
    ]


def test_load_history_checks_dates_against_the_newest_list_and_keys_once(folder, tmp_path):
    data = tmp_path / "data"
    build(folder, data)
    edited(data, 4, first_absent="2026-05-01")
    path = data / "agreements" / "history.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_history(data)
    assert caught.value.problems == [
        "history.csv:4: first_absent: expected a date no later than the newest list (2026-04-06, history.yaml), "
        "got '2026-05-01'",
        "history.csv:5: agreement_id: expected a key not used before (line 3 has it), got "
        "'TX:hays-county-sheriffs-office:WSO'"]


def test_load_history_refuses_missing_or_malformed_files(folder, tmp_path):
    data = tmp_path / "data"
    with pytest.raises(AgreementsError) as caught:
        load_history(data)
    assert caught.value.problems == ["history.csv: expected the agreements' history here, found no file; build it "
                                     "with scripts/build_history.py"]
    build(folder, data)
    (data / "agreements" / "history.yaml").write_text("source: x\ngenerated_by: y\nparticipating: 3\n",
                                                      encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_history(data)
    assert caught.value.problems == ["history.yaml:3: participating: expected a mapping (files, first_list, "
                                     "newest_list, ...), got 3"]
    (data / "agreements" / "history.csv").write_text("id,agency\n", encoding="utf-8")
    with pytest.raises(AgreementsError) as caught:
        load_history(data)
    assert caught.value.problems[-1] == (f"history.csv:1: header: expected columns {','.join(HISTORY_COLUMNS)}, "
                                         "got 'id,agency'")


def test_build_history_script(folder, tmp_path):
    spec = importlib.util.spec_from_file_location("build_history", REPO / "scripts" / "build_history.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out, err = io.StringIO(), io.StringIO()
    data = tmp_path / "data"
    assert script.main([str(folder), "--data", str(data), "--source", "a test folder"], out, err) == 0
    assert out.getvalue() == ("read 6 lists (4 files skipped); 3 agreements ever listed, 1 of them off the newest "
                              "list; wrote history.csv and history.yaml\n")
    assert err.getvalue().splitlines()[0].startswith("skipped combined_result.xlsx: no list date")
    provenance = load_history(data).provenance
    assert (provenance["source"], provenance["generated_by"]) == (
        "a test folder", "python scripts/build_history.py FOLDER --data DIR --source TEXT")
    assert script.main([str(tmp_path / "absent"), "--data", str(data)], out, err) == 1
    assert err.getvalue().splitlines()[-1] == ("scripts/build_history.py: absent: expected a folder of ICE's "
                                               "workbooks, found none")


def test_a_history_linked_out_of_the_data_folder_is_refused_unread(tmp_path):
    """history.csv is data: a symbolic link out of the folder is refused with one line, and nothing it
    points to is read (or echoed in a message)."""
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "agreements", data / "agreements")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the brief\n", encoding="utf-8")
    (data / "agreements" / "history.csv").unlink()
    (data / "agreements" / "history.csv").symlink_to(secret)
    with pytest.raises(AgreementsError) as caught:
        load_history(data)
    assert [str(problem) for problem in caught.value.problems] == [
        "data/agreements/history.csv: resolves outside the data folder (a symbolic link out of it); data files "
        "must live inside it"]


def test_a_broken_history_is_reported_at_its_path_in_the_data_folder(tmp_path):
    """One located line per problem, the file named by its path in the data folder (not the folder, then the
    file again)."""
    from helpers import problems_of

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    (data / "agreements" / "history.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    assert problems_of(data) == [
        f"data/agreements/history.csv:1: header: expected columns {','.join(HISTORY_COLUMNS)}, got 'x,y'"]
