"""Tests for policybrief.ice.moa_links: the Deportation Data Project's download log in, linked agreements out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from policybrief.errors import DataError
from policybrief.ice.moa_links import (CSV_COLUMNS, LOG_COLUMNS, NO_MODEL, NO_STATE, SHARED, TWO_MODELS, MoaLink,
                                       date_of, document_url, load_moa_links, model_of, parse_log, read_log,
                                       write_moa_links)
from policybrief.ice.rows import Agreement

STAMP = "agreements/agreements_20260914_014027"
ICE = "https://www.ice.gov/doclib/287gMOA/"
SAFE = ("https://gcc02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2Fdoclib%2F287gMOA%2F"
        "{name}&amp;data=05%7C02%7Cx&amp;reserved=0")
ADAIR = "https:/www.ice.gov/doclib/287gMOA/AdairPDOK_TFM_MOA_0992025.pdf"  # one slash, as ICE's sheet has it
LATEST = dt.date(2026, 9, 14)


def log_line(state: str, agency: str, link: str, kind: str = "MOA") -> list[str]:
    """One line as the scraper writes it (folder and file names as its sanitising makes them)."""
    name = link.rsplit("/", 1)[-1] if "safelinks" not in link else "gcc02.safelinks.protection.outlook.com"
    folder = "_".join(agency.split())
    return [state, agency, link, kind, state, state.strip().replace(" ", "_"), agency, folder, name,
            f"{kind}_{name}", f"{STAMP}/{state.strip()}/{folder}/{kind}_{name}", "0" * 64]


def log_text(lines: list[list[str]], header: tuple[str, ...] = LOG_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue()


SYNTHETIC = [
    log_line("TEXAS", "Navasota Police Department", ICE + "NavasotaPoliceDeptTX_TFM_MOA_06222026.pdf"),  # 2
    log_line("TEXAS", "Nueces County Sheriff\u2019s Office ", ICE + "287gJEM_NuecesCoTx2020-06-09.pdf"),  # 3
    log_line("TEXAS", "Nueces County Sheriff\u2019s Office ", ICE + "287gJEM_NuecesCoTx_06-09-2020_addendum.pdf",
             "addendum"),  # 4
    log_line("UTAH", "Utah Department of Corrections", SAFE.format(name="UtahDoC_WSO_MOA_05.13.2025.pdf")),  # 5
    log_line("FLORIDA", "Lantana Police Department", ICE + "LantanaPDFL_041425.pdf"),  # 6: no model
    log_line("ALABAMA", "Summerdale Police Department", ICE + "SummerdalePDAL_TFM_WSO_12102025.pdf"),  # 7: two
    log_line("GEORGIA", "Georgia Department of Public Safety", ICE + "georgiaDPS_TFM_MOA_03.10.25.pdf"),  # 8
    log_line("GEORGIA", "Gilmer County Sheriff's Office", ICE + "georgiaDPS_TFM_MOA_03.10.25.pdf"),  # 9: shared
    log_line("NEW HAMSPHIRE", "Troy Police Department", ICE + "TroyPDNH_TFM_MOA_052025.pdf"),  # 10: misspelt
    log_line("ATLANTIS", "Poseidon Police Department", ICE + "PoseidonPD_TFM_MOA_01012026.pdf"),  # 11: no state
    ["", "", "", "", "", "", "", "", "", "", "", ""],  # 12: blank
    # 13-15: a name with a line break, in two quoted cells
    log_line("OKLAHOMA ", "Adair Police\nDepartment", ADAIR),
    log_line("TEXAS", "Rockwall County Sheriff's Office", ICE + "287gJEMRockwallCoTX_06-09-2020.pdf"),  # 16
    log_line("FLORIDA", "Osceola County Sheriff's Office", ICE + "OsceolaSO_TF_MOA_022625.pdf"),  # 17
    log_line("FLORIDA", "St. Johns County Sheriff's Office", ICE + "StJohnsTaskForce-287g-MOA-07302025.pdf"),  # 18
]


@pytest.fixture(scope="module")
def parsed():
    return parse_log(log_text(SYNTHETIC))


def test_the_log_gives_one_row_per_document_that_names_one_model(parsed):
    assert [(row.source_line, row.state_code, row.agency, row.model, row.signed, row.document_type)
            for row in parsed.rows] == [
        (2, "TX", "Navasota Police Department", "Task Force Model", dt.date(2026, 6, 22), "MOA"),
        (3, "TX", "Nueces County Sheriff's Office", "Jail Enforcement Model", dt.date(2020, 6, 9), "MOA"),
        (4, "TX", "Nueces County Sheriff's Office", "Jail Enforcement Model", None, "addendum"),
        (5, "UT", "Utah Department of Corrections", "Warrant Service Officer", dt.date(2025, 5, 13), "MOA"),
        (10, "NH", "Troy Police Department", "Task Force Model", None, "MOA"),
        (13, "OK", "Adair Police Department", "Task Force Model", dt.date(2025, 9, 9), "MOA"),
        (16, "TX", "Rockwall County Sheriff's Office", "Jail Enforcement Model", dt.date(2020, 6, 9), "MOA"),
        (17, "FL", "Osceola County Sheriff's Office", "Task Force Model", dt.date(2025, 2, 26), "MOA"),
    ]
    assert parsed.log_lines == 14 and parsed.scraped == dt.datetime(2026, 9, 14, 1, 40, 27)
    assert parsed.notes == ["line 10: state 'NEW HAMSPHIRE' read as New Hampshire"]


def test_each_line_that_gives_no_row_is_counted_with_its_reason(parsed):
    assert [(item.line, item.reason) for item in parsed.skipped] == [
        (6, NO_MODEL), (7, TWO_MODELS), (8, SHARED), (9, SHARED), (11, NO_STATE), (18, NO_MODEL)]
    assert parsed.skipped_by_reason == {NO_MODEL: 2, SHARED: 2, TWO_MODELS: 1, NO_STATE: 1}


def test_links_are_unwrapped_and_kept_as_logged(parsed):
    utah, adair = parsed.rows[3], parsed.rows[5]
    assert utah.url == ICE + "UtahDoC_WSO_MOA_05.13.2025.pdf" and utah.file_name == "UtahDoC_WSO_MOA_05.13.2025.pdf"
    assert adair.url == ADAIR
    assert document_url(ICE + "a%20b_TFM.pdf") == ICE + "a%20b_TFM.pdf"


@pytest.mark.parametrize(("name", "expected"), [
    ("X_TFM_MOA_09222025.pdf", dt.date(2025, 9, 22)),
    ("X_TFM_MOA_02.28.25.pdf", dt.date(2025, 2, 28)),
    ("287gJEM_XCoTX_06-09-2020.pdf", dt.date(2020, 6, 9)),
    ("287gWSO_XCoWi2020-02-27.pdf", dt.date(2020, 2, 27)),
    ("X_TFM_MOA_021026.pdf", dt.date(2026, 2, 10)),
    ("X_TFM_MOA_0992025.pdf", dt.date(2025, 9, 9)),
    ("X_TFM_MOA_9222025.pdf", dt.date(2025, 9, 22)),
    ("X_TFM_MOA_1162025.pdf", None),  # January 16 or November 6
    ("X_JEM_MOA_052025.pdf", None),  # May 20, 2025 or May 2025
    ("X_TFM_MOA_062632026.pdf", None),  # nine digits
    ("X_TFM_MOA_0611025.pdf", None),  # no split is a real day
    ("X_TFM_MOA_12312026.pdf", None),  # after the scrape
    ("X_WSO_MOA.pdf", None),
    ("X_TFM_MOA_01.02.2025_03042025.pdf", None),  # two different days
])
def test_a_date_is_read_only_when_the_digits_name_one_plausible_day(name, expected):
    assert date_of(name, LATEST) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("A_TFM_MOA_1.pdf", "Task Force Model"), ("A-TF-MOA.pdf", "Task Force Model"),
    ("287g_JEM_A.pdf", "Jail Enforcement Model"), ("2878gJEM_A.pdf", "Jail Enforcement Model"),
    ("ATaskForce287g.pdf", None), ("JEMS_A.pdf", None), ("A_TFMOA.pdf", None), ("A_WSOs.pdf", None),
])
def test_a_model_is_read_from_its_letters_only(name, expected):
    assert model_of(name)[0] == expected


def test_a_log_without_the_scrapers_columns_is_refused(tmp_path):
    path = tmp_path / "download_path_log.csv"
    path.write_text('"state","agency"\n"TEXAS","X"\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_log(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"download_path_log.csv:1: header: expected the scraper's columns ({', '.join(LOG_COLUMNS)}), got no "
        "agency_name, hyperlink"]


def test_an_older_log_without_document_type_reads_every_link_as_an_moa():
    header = tuple(name for name in LOG_COLUMNS if name != "document_type")
    line = log_line("TEXAS", "Navasota Police Department", ICE + "NavasotaPoliceDeptTX_TFM_MOA_06222026.pdf")
    del line[3]
    result = parse_log(log_text([line], header))
    assert [(row.document_type, row.signed) for row in result.rows] == [("MOA", dt.date(2026, 6, 22))]


# ------------------------------------------------------------------------------------- write and load


@pytest.fixture()
def data_dir(tmp_path, parsed) -> Path:
    data = tmp_path / "data"
    (data / "agreements").mkdir(parents=True)
    (data / "agreements" / "participating.csv").write_text("kept\n", encoding="utf-8")
    write_moa_links(parsed, data, source_commit="0" * 40)
    return data


def test_written_files_load_back_with_their_provenance(data_dir, parsed):
    links = load_moa_links(data_dir)
    assert [(row.source_line, row.agency, row.model, row.signed, row.url) for row in links.rows] == [
        (row.source_line, row.agency, row.model, row.signed, row.url) for row in parsed.rows]
    assert links.as_of == dt.date(2026, 9, 14)
    assert links.provenance["scraped"] == "2026-09-14 01:40:27" and links.provenance["source_commit"] == "0" * 40
    assert links.provenance["rows"] == 8 and links.provenance["skipped"][NO_MODEL] == 2
    assert (data_dir / "agreements" / "participating.csv").read_text() == "kept\n"


def test_no_file_is_no_evidence(tmp_path):
    assert load_moa_links(tmp_path / "data") is None


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


GOOD = ["2", "Texas", "TX", "Navasota Police Department", "Task Force Model", "2026-06-22", "MOA",
        "NavasotaPoliceDeptTX_TFM_MOA_06222026.pdf", ICE + "NavasotaPoliceDeptTX_TFM_MOA_06222026.pdf", ""]


def test_every_bad_cell_is_reported_with_its_file_line_and_column(data_dir):
    def variant(**changes: str) -> list[str]:
        row = dict(zip(CSV_COLUMNS, GOOD))
        row.update(changes)
        return list(row.values())

    rows = [GOOD, variant(state_code="TZ"), variant(state="Utah"), variant(model="Task Force"),
            variant(signed="2026-02-30"), variant(signed="2027-01-01"), variant(document_type="addendum"),
            variant(agency="=HYPERLINK(1)"), variant(url="ftp://example.org/a.pdf"), GOOD[:3], variant(line="x"),
            GOOD]
    (data_dir / "agreements" / "moa_links.csv").write_text(_csv(rows), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_moa_links(data_dir)
    label = "data/agreements/moa_links.csv"
    assert [str(problem) for problem in caught.value.problems] == [
        f"{label}:3: state_code: expected a USPS state code such as TX, got 'TZ'",
        f"{label}:4: state: expected 'Texas' (the state of code TX), got 'Utah'",
        f"{label}:5: model: expected one of Jail Enforcement Model, Task Force Model, Warrant Service Officer, "
        "got 'Task Force'",
        f"{label}:6: signed: expected an ISO date like 2025-09-22 or a blank cell, got '2026-02-30'",
        f"{label}:7: signed: expected a date from 2002-01-01 to the scrape's day 2026-09-14, got '2027-01-01'",
        f"{label}:8: signed: expected a blank cell for an addendum (its file name's date may be its MOA's), "
        "got '2026-06-22'",
        f"{label}:9: agency: expected text a spreadsheet will not run as a formula (write it with an apostrophe "
        "in front), got '=HYPERLINK(1)'",
        f"{label}:10: url: expected the document's http(s) address, got 'ftp://example.org/a.pdf'",
        f"{label}:11: expected 10 columns, got 3",
        f"{label}:12: line: expected the log's line number, 2 or more, got 'x'",
        f"{label}:13: url: expected each document once per agency, got this one again (first on line 2)",
    ]


def test_a_wrong_header_and_a_missing_provenance_are_reported(data_dir):
    (data_dir / "agreements" / "moa_links.csv").write_text("line,state\n2,Texas\n", encoding="utf-8")
    (data_dir / "agreements" / "moa_links.yaml").unlink()
    with pytest.raises(DataError) as caught:
        load_moa_links(data_dir)
    assert [str(problem) for problem in caught.value.problems] == [
        "data/agreements/moa_links.yaml: file is missing",
        f"data/agreements/moa_links.csv:1: header: expected columns {','.join(CSV_COLUMNS)}, got 'line,state'",
    ]


def test_the_declared_row_count_must_match(data_dir):
    path = data_dir / "agreements" / "moa_links.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nrows: 8\n", "\nrows: 9\n"), encoding="utf-8")
    line = text.splitlines().index("rows: 8") + 1
    with pytest.raises(DataError) as caught:
        load_moa_links(data_dir)
    assert [str(problem) for problem in caught.value.problems] == [
        f"data/agreements/moa_links.yaml:{line}: rows: expected 8 (the rows of moa_links.csv), got 9"]


# --------------------------------------------------------------------------------------------- look-up


def agreement(state_code: str, agency: str, model: str) -> Agreement:
    return Agreement(state="", state_code=state_code, agency=agency, agency_type="County", county="", model=model,
                     signed=None, signed_raw="", moa="", addendum="", row=2)


def test_rows_are_found_by_state_and_by_agency_name_as_people_write_it(data_dir):
    links = load_moa_links(data_dir)
    assert [row.source_line for row in links.in_state("texas")] == [2, 3, 4, 16]
    assert [row.source_line for row in links.in_state("TX")] == [2, 3, 4, 16]
    assert [row.source_line for row in links.for_agency("Texas", "Nueces Co. Sheriffs Office")] == [3, 4]
    assert [row.source_line for row in links.for_agency("TX", "nueces county sheriff\u2019s office")] == [3, 4]
    assert links.for_agency("Texas", "Nueces County Sheriff's Department") == []


def test_linked_agreements_the_agency_level_list_lacks(data_dir):
    links = load_moa_links(data_dir)
    listed = [agreement("TX", "Nueces County Sheriff's Office", "Jail Enforcement Model"),
              agreement("TX", "Navasota Police Department", "Warrant Service Officer"),
              agreement("UT", "Utah Department of Corrections", "Warrant Service Officer")]
    missing = links.not_on_list(listed)
    assert [(row.state_code, row.agency, row.model) for row in missing] == [
        ("TX", "Navasota Police Department", "Task Force Model"),
        ("NH", "Troy Police Department", "Task Force Model"),
        ("OK", "Adair Police Department", "Task Force Model"),
        ("TX", "Rockwall County Sheriff's Office", "Jail Enforcement Model"),
        ("FL", "Osceola County Sheriff's Office", "Task Force Model"),
    ]
    assert [row.source_line for row in links.not_on_list(listed, state="Texas")] == [2, 16]
    assert isinstance(missing[0], MoaLink)
