"""Local editions: look-ups on ICE's list, the state's law, file names, batches, and the importer CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from policybrief.cli import main
from policybrief.local import local_markdown, resolve_jurisdiction
from policybrief.validate import load_content

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = (ROOT.parent / "shared" / "reference" / "data" / "appelson_Tracking_287g" / "ice_sheets"
            / "sheets_20250719_151637__participatingAgencies07182025pm.xlsx")


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "data")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def text_of(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


def test_county_with_an_agreement(content):
    jurisdiction = resolve_jurisdiction("harris co., ga", content)
    markdown = local_markdown(jurisdiction, content)
    assert "agreement held by 1 agency in Harris County, Georgia" in markdown
    assert "Warrant Service Officer" in markdown
    assert "Statewide, Georgia accounts for 31 of the 832 agreements" in markdown


def test_county_without_an_agreement_says_so_plainly(content):
    jurisdiction = resolve_jurisdiction("Harris County, Texas", content)
    markdown = local_markdown(jurisdiction, content)
    assert markdown.startswith("No agency in Harris County, Texas appears on ICE's list of participating agencies "
                               "dated July 18, 2025: there is no 287(g) agreement here as of that date")


def test_mandate_state_law_text(content):
    markdown = local_markdown(resolve_jurisdiction("Harris County, TX", content), content)
    assert "**State law or policy:** Texas requires participation (SB 8" in markdown


def test_ban_state_law_text(content):
    markdown = local_markdown(resolve_jurisdiction("Montgomery County, MD", content), content)
    assert "**State law or policy:** Maryland bans 287(g) agreements" in markdown


def test_ambiguous_name_exits_2_with_candidates():
    code, _, err = run("--jurisdiction", "Washington County")
    assert code == 2
    assert err.startswith("generate.py: error: 'Washington County' is ambiguous: it matches 31 jurisdictions "
                          "(Washington County, Florida; Washington County, Maryland;")
    assert "write one of them, with its state" in err


def test_unknown_name_exits_2_with_closest_candidates():
    code, _, err = run("--jurisdiction", "Springfeld County, IL")
    assert code == 2
    assert err == ("generate.py: error: no county, city, state agency or state matches 'Springfeld County, IL' "
                   "(looked in the Census county list and ICE's list of 2025-07-18); closest: Saline County, "
                   "Illinois; Pike County, Illinois; Richland County, Illinois; Shelby County, Illinois; "
                   "Peoria County, Illinois\n")


def test_local_brief_file_name_and_title(tmp_path):
    code, out, err = run("--jurisdiction", "Hillsborough Co., FL", "--out", str(tmp_path), "--date", "2026-12-01")
    assert code == 0, err
    pdf = tmp_path / "council-hillsborough-county-fl.pdf"
    text = text_of(pdf)
    assert "Here in Hillsborough County, Florida" in text
    assert "Hillsborough County, Florida" in text.split("Summary")[0]
    assert "Florida requires participation" in text
    assert len(PdfReader(pdf).pages) <= 6  # the local section fits the council's page budget


def test_small_batch_continues_past_a_bad_name(tmp_path):
    listing = tmp_path / "names.txt"
    listing.write_text("Harris County, GA\nNowhere County, ZZ\nMontgomery County, MD\n")
    code, out, err = run("--jurisdiction-list", str(listing), "--out", str(tmp_path / "out"), "--date", "2026-12-01")
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "council-harris-county-ga.pdf", "council-montgomery-county-md.pdf"]
    assert "3/3" in out and "built 2 of 3 briefs" in out
    assert "failed: 'Nowhere County, ZZ' (council):" in err


@pytest.mark.skipif(not WORKBOOK.exists(), reason="shared reference workbooks not present")
def test_update_agreements_imports_real_workbook(tmp_path):
    data = tmp_path / "data"
    code, out, err = run("update-agreements", str(WORKBOOK), "--data", str(data), "--downloaded", "2025-07-19")
    assert code == 0
    assert "imported 832 agreements as of 2025-07-18" in out
    assert "row 775: SIGNED: expected an Excel date serial or M/D/YYYY date, got '7/72025'" in err
    assert "row 639: SIGNED:" in err and "1141572" in err
    assert (data / "agreements" / "participating.csv").read_text() == (ROOT / "data" / "agreements" / "participating.csv").read_text()


def test_update_agreements_missing_file():
    code, _, err = run("update-agreements", "no-such.xlsx")
    assert code == 2
    assert err == "generate.py: error: no such workbook: no-such.xlsx\n"


def test_pending_applications_are_shown(content):
    markdown = local_markdown(resolve_jurisdiction("Denton County, TX", content), content)
    assert ("ICE's list of pending applications dated July 18, 2025 shows 1 from Denton County, Texas: "
            "Denton County Sheriff's Office (Jail Enforcement Model)") in markdown
    none = local_markdown(resolve_jurisdiction("Harris County, GA", content), content)
    assert "ICE's list of pending applications dated July 18, 2025 shows none from Harris County, Georgia" in none


PENDING = WORKBOOK.with_name("sheets_20250719_151637__pendingAgencies07182025pm.xlsx")


@pytest.mark.skipif(not PENDING.exists(), reason="shared reference workbooks not present")
def test_update_agreements_imports_pending_workbook(tmp_path):
    data = tmp_path / "data"
    assert run("update-agreements", str(WORKBOOK), "--data", str(data))[0] == 0
    code, out, err = run("update-agreements", str(PENDING), "--data", str(data), "--downloaded", "2025-07-19")
    assert code == 0, err
    assert "imported 26 pending applications as of 2025-07-18" in out
    assert "row 10: COUNTY" in err


@pytest.mark.parametrize("edition", ["council", "law-enforcement", "community", "grant"])
def test_local_editions_keep_their_page_budget(content, edition, tmp_path):
    from policybrief.build import build_brief
    from policybrief.render import BriefOptions

    options = BriefOptions(date=dt.date(2026, 12, 1), jurisdiction=resolve_jurisdiction("Harris County, TX", content))
    result = build_brief(edition, out=tmp_path / f"{edition}.pdf", options=options, content=content)
    audience = content.audiences[edition]
    assert audience.page_min <= result.pages <= audience.page_max
    assert "Here in Harris County, Texas" in text_of(result.pdf)
