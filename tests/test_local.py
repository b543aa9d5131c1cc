"""Local editions: look-ups on ICE's list, the local section, --state job lists and manifests, --local-facts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from policybrief.cli import main
from policybrief.ice import JurisdictionError, find_jurisdiction
from policybrief.local import (jurisdictions_in_state, local_markdown, local_notices, localise_block,
                               plain_local_markdown, resolve_jurisdiction,
                               state_rule_sentence)
from policybrief.validate import load_content

from helpers import words

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DAY = dt.date(2026, 12, 1)
WORKBOOK = (ROOT.parent / "shared" / "reference" / "data" / "appelson_Tracking_287g" / "ice_sheets"
            / "sheets_20250719_151637__participatingAgencies07182025pm.xlsx")


@pytest.fixture(scope="module")
def content():
    return load_content(DATA)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def text_of(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


def agencies(name, content):
    return {row.agency for row in resolve_jurisdiction(name, content).agreements}


# ------------------------------------------------------------------- golden look-ups on the shipped list


@pytest.mark.parametrize("name, expected", [
    ("Maricopa County, AZ", {"Mesa Police Department"}),
    ("Bartow County, GA", {"Euharlee Police Department"}),
    ("Lexington County, SC", {"Batesburg-Leesville Police Department", "Gaston Police Department",
                              "Lexington County Sheriff's Department", "Pelion Police Department",
                              "Pine Ridge Police Department"}),  # ICE: 'Lexignton County'
    ("Allegheny County, PA", {"Springdale Borough Police Department", "Stowe Township Police Department"}),
    ("Flagler County, FL", {"Flagler County Sheriff's Office", "Bunnell Police Department",
                            "Flagler Beach Police Department"}),  # ICE: 'Flager County' for Bunnell
    ("Mifflin County, PA", {"Lewistown Borough Constable's Office"}),  # ICE: 'Miffin County'
    ("Miami-Dade County, FL", {"City of Miami Police Department", "Coral Gables Police Department",
                               "Doral Police Department", "Hialeah Police Department",
                               "Indian Creek Village Department of Public Safety",  # placed by a source
                               "Miami-Dade Corrections and Rehabilitation", "Miami-Dade Sheriff's Office",
                               "Miami Springs Police Department", "North Bay Village Police Department",
                               "Sunny Isles Police Department", "Sweetwater Police Department",
                               "West Miami Police Department"}),
])
def test_a_county_includes_every_agency_placed_in_it(content, name, expected):
    assert agencies(name, content) == expected


def test_no_local_section_says_no_agreement_where_a_placed_agency_holds_one(content):
    markdown = local_markdown(resolve_jurisdiction("Maricopa County, AZ", content), content)
    assert "there is no 287(g) agreement here" not in markdown
    assert "- **Mesa Police Department**: Jail Enforcement Model, signed June 8, 2020" in markdown
    assert ("Mesa Police Department is counted here because the GeoNames gazetteer places its town in Maricopa "
            "County") in markdown


def test_a_city_in_two_counties_counts_in_each_and_says_so(content):
    for county in ("Gonzales County, TX", "Wilson County, TX"):
        jurisdiction = resolve_jurisdiction(county, content)
        assert "Nixon Police Department" in {row.agency for row in jurisdiction.agreements}
        assert ("Nixon, Texas lies in 2 counties (Gonzales County and Wilson County); counted in each"
                in local_markdown(jurisdiction, content))
    city = resolve_jurisdiction("Nixon, TX", content)
    assert [place.fips for place in city.counties] == ["48177", "48493"]


def test_a_state_agency_is_its_own_jurisdiction_and_listed_in_its_state(content):
    agency = resolve_jurisdiction("Georgia Department of Corrections, GA", content)
    assert (agency.kind, len(agency.agreements)) == ("state-agency", len(agency.agreements))
    assert agency.agreements and all(row.agency_type == "State Agency" for row in agency.agreements)
    markdown = local_markdown(resolve_jurisdiction("Bartow County, GA", content), content)
    assert ("**Not counted in any county:** Georgia's agreements on the list also include 2 state agencies "
            "(Georgia Department of Corrections and Georgia Department of Public Safety)") in markdown


def test_a_county_with_no_agency_of_its_own_names_the_statewide_agreements(content):
    # Never "no agreement here" when a state agency holds one; the state agencies are named once.
    markdown = local_markdown(resolve_jurisdiction("Fulton County, GA", content), content)
    assert ("No county or city agency based in Fulton County was on ICE's list of May 18, 2026; 2 statewide agencies of "
            "Georgia held agreements: Georgia Department of Corrections (Jail Enforcement Model) and Georgia "
            "Department of Public Safety (Task Force Model) [@ice_agency_list].") in markdown
    assert "no 287(g) agreement here" not in markdown and "Not counted in any county" not in markdown
    plain = plain_local_markdown(resolve_jurisdiction("Fulton County, GA", content), content)
    assert ("It shows no county or city agency based here, but 2 state agencies of Georgia have deals: Georgia Department of "
            "Corrections and Georgia Department of Public Safety.") in plain


def test_unplaced_rows_are_listed_in_their_state_never_dropped(content, tmp_path):
    """A row no rule or source places is named in every local section of its state (a copy of the list with
    an invented agency); one a source places is counted in its county (Greenwood, Caddo Parish)."""
    import shutil

    from policybrief.validate import load_content

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    csv_path = data / "agreements" / "participating.csv"
    with csv_path.open("a", encoding="utf-8") as handle:
        handle.write("Florida,FL,Tinyexampleville Police Department,Municipality,,Task Force Model,2025-07-02,"
                     "45840,,,\n")
    provenance = data / "agreements" / "provenance.yaml"
    provenance.write_text(provenance.read_text(encoding="utf-8").replace("rows: 1843", "rows: 1844"), encoding="utf-8")
    copy = load_content(data)
    jurisdiction = resolve_jurisdiction("Brevard County, FL", copy)
    assert {row.agency for row in jurisdiction.unplaced} == {"Tinyexampleville Police Department"}
    markdown = local_markdown(jurisdiction, copy)
    assert "1 agency that could not be placed in a county, so whether it is here is not known" in markdown
    caddo = resolve_jurisdiction("Caddo Parish, LA", content)  # two Greenwoods in Louisiana: a source decides
    assert "Greenwood Police Department" in {row.agency for row in caddo.agreements}
    assert ("ICE's list gives no county for Greenwood Police Department; a secondary source "
            "(arklatexhomepage.com) places it in Caddo Parish") in local_markdown(caddo, content)


def test_a_county_in_a_ban_state(content):
    markdown = local_markdown(resolve_jurisdiction("Frederick County, MD", content), content)
    assert "**State law or policy:** Maryland bans agreements: H.B. 444 / S.B. 245" in markdown
    # Maryland's agreements left ICE's list between February and May 2026 (data/agreements/history.csv).
    assert agencies("Frederick County, MD", content) == set()


def test_a_county_without_agreements_in_a_state_that_restricts_them(content):
    markdown = local_markdown(resolve_jurisdiction("Los Angeles County, CA", content), content)
    assert ("No county or city agency based in Los Angeles County was on ICE's list of May 18, 2026, nor was any state "
            "agency of California [@ice_agency_list].") in markdown
    assert "**State law or policy:** California bans agreements" in markdown


def test_county_with_an_agreement(content):
    markdown = local_markdown(resolve_jurisdiction("harris co., ga", content), content)
    assert "shows 2 agreements held by 1 agency in Harris County, Georgia" in markdown
    assert "Warrant Service Officer" in markdown


def test_mandate_state_law_text(content):
    markdown = local_markdown(resolve_jurisdiction("Harris County, TX", content), content)
    assert ("**State law or policy:** Texas requires the sheriffs or officials who run county jails to seek or hold "
            "agreements: S.B. 8") in markdown


# ----------------------------------------------------------------------------------------- hints


def test_miami_is_offered_as_each_state_s_city_largest_first(content):
    with pytest.raises(JurisdictionError) as caught:
        find_jurisdiction("Miami", content.agreements)
    assert caught.value.candidates[0] == "City of Miami, Florida"
    assert "Miami County, Indiana" in str(caught.value)
    assert len(caught.value.candidates) == len(set(caught.value.candidates))
    assert [county.name for county in resolve_jurisdiction("City of Miami, Florida", content).counties] == ["Miami-Dade County"]


@pytest.mark.parametrize("name, fips", [("Baltimore city, MD", "24510"), ("Richmond city, VA", "51760"),
                                        ("Anchorage Municipality, AK", "02020"),
                                        ("Juneau City and Borough, AK", "02110")])
def test_census_names_match(content, name, fips):
    assert resolve_jurisdiction(name, content).fips == fips


@pytest.mark.parametrize("name", ["County Harris", "Harris County Harris County", "County Harris, TX"])
def test_word_order_and_count_matter(content, name):
    with pytest.raises(JurisdictionError) as caught:
        find_jurisdiction(name, content.agreements)
    assert str(caught.value).startswith(f"no county, city, state agency or state matches {name!r}")
    assert len(caught.value.candidates) == len(set(caught.value.candidates))


def test_every_census_county_name_resolves_to_itself(content):
    from policybrief.ice.places import gazetteer

    wrong = []
    for place in gazetteer():
        try:
            found = find_jurisdiction(place.candidate, content.agreements)
        except JurisdictionError as error:
            wrong.append((place.candidate, str(error)))
            continue
        if found.fips != place.fips:
            wrong.append((place.candidate, found.fips))
    assert wrong == []


@pytest.mark.slow
def test_ambiguous_name_exits_2_with_candidates():
    code, _, err = run("--jurisdiction", "Washington County")
    assert code == 2
    assert err.startswith("generate.py: error: 'Washington County' is ambiguous: it matches 31 jurisdictions "
                          "(Washington County, Alabama; Washington County, Arkansas;")


# ------------------------------------------------------------------------------- --state job lists


def test_state_ga_builds_one_brief_per_county_plus_uncovered_agencies(content, tmp_path):
    from policybrief.batch import batch_jobs

    names = jurisdictions_in_state("GA", content)
    counties = [resolve_jurisdiction(name, content) for name in names[:159]]
    assert {j.kind for j in counties} == {"county"} and len({j.fips for j in counties}) == 159
    assert names[159:] == ["Georgia Department of Corrections, GA", "Georgia Department of Public Safety, GA"]
    placed = {row.agency for j in counties for row in j.agreements}
    listed = {row.agency for row in content.agreements.rows if row.state_code == "GA"}
    assert listed - placed == {"Georgia Department of Corrections", "Georgia Department of Public Safety"}
    jobs = batch_jobs(["council"], names, content, tmp_path)
    assert jobs[0].out == tmp_path / "council-13001-appling-county-ga.pdf"
    assert jobs[-1].out == tmp_path / "council-georgia-department-of-public-safety-ga-ga.pdf" or \
        jobs[-1].out.name.startswith("council-georgia-department-of-public-safety")
    assert len({job.out for job in jobs}) == len(jobs) == 161


def test_agencies_only_keeps_the_counties_holding_an_agreement(content):
    names = jurisdictions_in_state("GA", content, agencies_only=True)
    counties = [resolve_jurisdiction(name, content) for name in names if not name.endswith(", GA")]
    assert counties and all(j.agreements for j in counties)
    assert "Bartow County, Georgia" in names  # Euharlee PD, a city department, is in Bartow County


@pytest.mark.parametrize("code, count", [("CA", 58), ("WA", 39), ("DC", 1)])
def test_state_batches_work_in_states_without_agreements(content, code, count):
    names = jurisdictions_in_state(code, content)
    assert len(names) == count
    for name in names:
        resolve_jurisdiction(name, content)


def test_unknown_state_code_is_a_usage_error():
    code, _, err = run("--state", "ZZ")
    assert code == 2
    assert err.startswith("generate.py: error: --state: expected a two-letter state code such as TX (one of "
                          "the 50 states, DC or a territory: AK, AL, AR, AS, AZ, CA,")
    assert err.endswith(", got 'ZZ'\n")


def test_manifest_rows_and_files(content, tmp_path):
    from policybrief.batch import manifest_rows, write_manifest
    from policybrief.pool import Job, Outcome, Summary

    outcomes = [Outcome(Job("council", "Bartow County, GA"), pdf=tmp_path / "council-13015-bartow-county-ga.pdf"),
                Outcome(Job("council", "Nowhere County, ZZ"), problems=["no county matches"])]
    rows = manifest_rows(Summary(outcomes, [], 1.0), content, DAY)
    bartow = next(row for row in rows if row["county_fips"] == "13015")
    assert (bartow["file"], bartow["jurisdiction"], bartow["agreements"]) == (
        "council-13015-bartow-county-ga.pdf", "Bartow County, Georgia", 1)
    assert bartow["notices"][0].startswith("ICE's agency-level list of 2026-05-18 is 197 days old (limit 180)")
    failed = next(row for row in rows if row["county_fips"] == "")
    assert (failed["file"], failed["notices"]) == ("", ["no county matches"])
    csv_path, json_path = write_manifest(tmp_path, rows)
    with open(csv_path, encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["file", "audience", "jurisdiction", "kind", "county_fips", "agreements", "pending",
                              "notices"]
    assert table[0]["county_fips"] == "13015" and " | " in table[0]["notices"]
    assert json.loads(json_path.read_text(encoding="utf-8"))[0]["jurisdiction"] == "Bartow County, Georgia"


@pytest.mark.slow
def test_small_batch_renders_with_fips_names_and_a_manifest(tmp_path):
    listing = tmp_path / "names.txt"
    listing.write_text("Bartow County, GA\nNowhere County, ZZ\nGeorgia Department of Corrections, GA\n")
    out = tmp_path / "out"
    code, stdout, err = run("--jurisdiction-list", str(listing), "--out", str(out), "--date", "2026-12-01")
    assert code == 1
    assert sorted(path.name for path in out.glob("*.pdf")) == [
        "council-13015-bartow-county-ga.pdf", "council-georgia-department-of-corrections-ga.pdf"]
    assert "built 2 of 3 briefs" in stdout and "manifest:" in stdout
    with open(out / "manifest.csv", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [row["county_fips"] for row in table] == ["13015", "", ""]
    text = text_of(out / "council-13015-bartow-county-ga.pdf")
    assert "Here in Bartow County, Georgia" in text and "Euharlee Police Department" in text
    assert "List read: ICE’s list of participating agencies dated May 18, 2026" in text


# ------------------------------------------------------------------------------ the section's content


def test_list_date_stale_notice_and_newer_state_count(content):
    markdown = local_markdown(resolve_jurisdiction("Bartow County, GA", content), content, "brief", date=DAY)
    first = markdown.split("\n\n")[0]
    assert first.startswith("**List read:** ICE's list of participating agencies dated May 18, 2026 "
                            "(participatingAgencies05182026am.xlsx)")
    # Written for the reader: the list's age in months, no command and no internal limit.
    assert ("**Out of date:** it is the newest list naming agencies in this brief's data, but 6 months older than this brief; "
            "agreements signed or ended since May 18, 2026 are not shown (ICE's current list: "
            "<https://www.ice.gov/identify-and-arrest/287g>). {nocite}") in first
    assert "generate.py" not in markdown and "limit" not in first
    # Every number names the list it comes from.
    assert ("**Newer state count:** ICE's list of October 9, 2026, of which this brief has only the state totals: 137 agreements in "
            "Georgia on that list (seventh of 40 listed), up from 65 of 1,843 on the list of "
            "May 18, 2026 "
            "[@ice_list_2026_10_09; @ice_agency_list].") in first
    fresh = local_markdown(resolve_jurisdiction("Bartow County, GA", content), content, date=dt.date(2026, 6, 1))
    assert "Out of date" not in fresh


def test_plain_section_has_the_list_and_its_age(content):
    markdown = plain_local_markdown(resolve_jurisdiction("Bartow County, GA", content), content, date=DAY)
    assert markdown.startswith("**List used:** ICE's list of May 18, 2026 [@ice_agency_list]. "
                               "**An old list:** it is the newest list naming agencies in this guide's data, but it is 6 months "
                               "older than this guide, so newer deals are not shown.")
    assert ("ICE's count of October 9, 2026 gives Georgia 137 deals; its list of May 18, 2026 gave 65 "
            "[@ice_list_2026_10_09; @ice_agency_list].") in markdown


def _options(content, name: str) -> str:
    """The options block of a local council edition, as the Markdown it prints."""
    from policybrief.local import block_markdown

    jurisdiction = resolve_jurisdiction(name, content) if name else None
    return words(block_markdown(content.blocks["options"], jurisdiction, content, "brief"))


def test_options_of_a_local_edition_state_the_jurisdictions_own_rule(content):
    text = content.blocks["options"].text.get("brief")
    georgia = _options(content, "Fulton County, GA")
    # A duty to seek an agreement is not a duty to hold one (ICE decides): "may be out of compliance".
    assert "**In Georgia:** state law or policy requires" in georgia and "O.C.G.A. § 35-1-17" in georgia
    assert "so an agency it covers that does not apply may be out of compliance (ICE still decides" in georgia
    assert "it also bars local limits on cooperation (O.C.G.A. § 36-80-23)" in georgia
    assert "**In Illinois:** state law or policy bans agreements (P.A. 101-0019" in _options(content, "Cook County, IL")
    alaska = _options(content, "Anchorage Municipality, AK")
    assert ("**In Alaska:** no statute, executive order, attorney general directive or court ruling that "
            "requires, restricts or bans 287(g) participation, or bars local limits on it, was found in the "
            "sources searched on December 7, 2026. {nocite}") in alaska
    # The national edition: the introduction and the choices, as written.
    national = _options(content, None)
    assert national.startswith(text.strip()) and "Not open in" not in national
    # The pointer to the local section, where a block has one, becomes the state's rule.
    pointed = words(localise_block("options", "Intro. The local section gives this state's rule.\n\nMore.",
                                   resolve_jurisdiction("Cook County, IL", content), content, "standard"))
    assert pointed.startswith("Intro. **In Illinois:** state law or policy bans agreements") and "local section" not in pointed


def test_a_ban_state_offers_no_open_join(content):
    """California bars agreements: joining, and joining through the WSO model, are shown as not open, with
    the statute and its note, instead of their trade-offs; declining stays open."""
    california = _options(content, "Los Angeles County, CA")
    assert ("- **Join, choosing a model.** *Not open in California:* state law or policy bars it (Gov't Code § 7284.6 "
            "(SB 54)) [@st_ca_7284_6].") in california
    # Where no agreement may be signed, conditions and leaving are moot, and the edition says so.
    assert california.count("no agreement may be signed, so there is none to attach conditions to or to leave") == 2
    assert "- **Limit participation to the Warrant Service Officer model.** *Not open in California:*" in california
    assert "DHS announced ICE would reimburse" not in california  # the join choice's trade-offs are gone
    assert "- **Decline.** Federal law requires no locality to join" in california


def test_a_mandate_state_says_whom_it_binds_and_what_the_council_still_decides(content):
    """Texas binds the sheriffs who run jails: the rule names them, declining is ruled out for them only, a
    city's police department's joining stays a local choice, and conditions that limit cooperation are
    barred (not every condition)."""
    texas = _options(content, "Harris County, TX")
    assert "requires the sheriffs or officials who run county jails to seek or hold an agreement" in texas
    assert ("*In Texas:* S.B. 8 (2025), Gov't Code ch. 753 rules this out for the sheriffs or officials who run "
            "county jails") in texas
    assert ("Texas's mandate binds the sheriffs or officials who run county jails; it does not itself require a "
            "city's police department to join") in texas
    assert "- **Attach conditions** such as public reporting" in texas
    assert "bars conditions that limit cooperation with federal immigration enforcement" in texas
    assert "**Who decides in Texas:**" in texas


def test_agreement_history_and_documents(content):
    markdown = local_markdown(resolve_jurisdiction("Gonzales County, TX", content), content)
    # When each agreement was first on ICE's lists (history.csv), not what one list cannot show.
    assert ("**On ICE's lists (to May 18, 2026):** Gonzales County Sheriff's Office (jail model) since February 11, 2026, Gonzales County "
            "Sheriff's Office (task force) since February 11, 2026, Gonzales County Sheriff's Office (warrant service) "
            "since April 3, 2025, Nixon Police Department (task force) since March 6, 2025 and Smiley City Marshal's "
            "Office (task force) since November 4, 2025 [@ice_lists_history].") in markdown
    assert "cannot be shown" not in markdown
    assert ("[task force agreement](https://www.ice.gov/doclib/287gMOA/GonzalesCoSOTX_TFM_MOA_021026.pdf)"
            in markdown)  # an agency with several agreements names each document by its model
    assert "[agreement](https://www.ice.gov/doclib/287gMOA/NixonPoliceDept_TFM_MOA_02.28.25.pdf)" in markdown


def test_facts_tagged_with_the_county_are_printed(content):
    markdown = local_markdown(resolve_jurisdiction("Gwinnett County, GA", content), content)
    assert "**On record here:**" in markdown and "{fig:gwinnett_cost}" in markdown
    maricopa = local_markdown(resolve_jurisdiction("Maricopa County, AZ", content), content)
    assert "{fig:maricopa_deficit}" in maricopa and "Maricopa County (Arizona) Sheriff's Office" in maricopa


def test_manifest_notices_name_corrections(content):
    notices = local_notices(resolve_jurisdiction("Steuben County, IN", content), content, DAY)
    assert "ICE wrote 'Stueben County'; read as Steuben County, Indiana" in notices


@pytest.mark.slow
def test_ice_cells_print_literally(tmp_path):
    """An agency name with Markdown or a citation in it prints as written, in every list of the section."""
    from policybrief.build import render_html
    from policybrief.render import BriefOptions

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    csv_path = data / "agreements" / "participating.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(state="Georgia", state_code="GA", agency="Evil [@x] **Bold** Agency", agency_type="State Agency",
               model="Task Force Model", signed="2025-03-01", signed_raw="45717", moa="link pending")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([row[name] for name in header])
    csv_path.write_text("\n".join(lines) + "\n" + buffer.getvalue(), encoding="utf-8")
    provenance = data / "agreements" / "provenance.yaml"
    provenance.write_text(re.sub(r"^rows: (\d+)$", lambda m: f"rows: {int(m[1]) + 1}",
                                 provenance.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    content = load_content(data)
    options = BriefOptions(date=DAY, jurisdiction=resolve_jurisdiction("Cobb County, GA", content))
    html = render_html(content, "council", options)
    assert "Evil [@x] **Bold** Agency" in html


# ---------------------------------------------------------------------------------- --local-facts

FACTS = """\
references:
  - id: bartow_jail_2026
    type: report
    title: "Bartow County Jail Population Report, October 2026"
    publisher: Bartow County Sheriff's Office
    issued: {date-parts: [[2026, 11, 2]]}
    URL: https://example.org/bartow-jail-report.pdf
    accessed: {date-parts: [[2026, 11, 20]]}
    keyword: government
figures:
  bartow_jail_population:
    value: 412
    unit: count
    as_of: 2026-10-31
    source: bartow_jail_2026
    label: average daily jail population, October 2026
events:
  - date: 2026-12-15
    text:
      standard: "The county commission holds a public hearing on a 287(g) application [@bartow_jail_2026]."
"""


@pytest.mark.slow
def test_local_facts_print_in_their_own_block(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    code, out, err = run("--jurisdiction", "Bartow County, GA", "--local-facts", str(facts), "--date", "2026-12-01",
                         "--out", str(tmp_path))
    assert code == 0, err
    text = text_of(tmp_path / "council-bartow-county-ga.pdf")
    assert "Added by this brief’s preparer (with their sources; not reviewed by the brief’s authors):" in text
    assert "Average daily jail population, October 2026: 412 (October 31, 2026)." in text
    assert "December 15, 2026: The county commission holds a public hearing on a 287(g) application." in text


FACTS_ES = FACTS.replace(
    "    label: average daily jail population, October 2026\n",
    "    label: average daily jail population, October 2026\n"
    "    es: {label: \"población media diaria de la cárcel, octubre de 2026\"}\n").replace(
    "application [@bartow_jail_2026].\"\n",
    "application [@bartow_jail_2026].\"\n      es:\n        plain: \"La comisión del condado celebra una audiencia "
    "pública sobre una solicitud de 287(g) [@bartow_jail_2026].\"\n")


@pytest.mark.slow
def test_local_facts_in_a_spanish_edition_need_their_spanish_texts(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    code, out, err = run("--audience", "community-es", "--jurisdiction", "Bartow County, GA", "--local-facts",
                         str(facts), "--date", "2026-12-01", "--out", str(tmp_path))
    assert code == 1
    assert err.splitlines()[-3:] == [
        f"{facts}:11: figures.bartow_jail_population.es.label: expected a Spanish text for the community-es "
        "edition, found none",
        f"{facts}:19: events[0].text.es.plain: expected a Spanish text for the community-es edition, found none",
        "generate.py: 2 problem(s) found; nothing was written"]
    assert not list(tmp_path.glob("*.pdf"))
    facts.write_text(FACTS_ES, encoding="utf-8")
    code, out, err = run("--audience", "community-es", "--jurisdiction", "Bartow County, GA", "--local-facts",
                         str(facts), "--date", "2026-12-01", "--out", str(tmp_path))
    assert code == 0, err
    text = text_of(tmp_path / "community-es-bartow-county-ga.pdf")
    assert "Población media diaria de la cárcel, octubre de 2026: 412 (31 de octubre de 2026)." in text
    assert "15 de diciembre de 2026: La comisión del condado celebra una audiencia pública sobre una solicitud" in text
    assert "Average daily jail population" not in text and "The county commission" not in text


@pytest.mark.parametrize("body, message", [
    (FACTS.replace("source: bartow_jail_2026\n", "source: nowhere_2026\n"),
     "facts.yaml:15: figures.bartow_jail_population.source: unknown source 'nowhere_2026': expected an id from "
     "sources.yaml"),
    (FACTS.replace("    value: 412\n", "    value: lots\n"),
     "facts.yaml:12: figures.bartow_jail_population.value: expected a finite number below 1,000,000,000,000,000, "
     "got 'lots'"),
    (FACTS.replace("    as_of: 2026-10-31\n", ""),
     "facts.yaml:11: figures.bartow_jail_population.as_of: expected a date like 2025-07-18, got nothing (every "
     "figure needs an as-of date)"),
    (FACTS.replace("bartow_jail_population:", "gwinnett_cost:"),
     "facts.yaml:11: figures.gwinnett_cost: expected a figure id not already in figures.yaml, got 'gwinnett_cost'"),
    (FACTS.replace("[@bartow_jail_2026]", "[@no_such_source]"),
     "facts.yaml:20: events[0].text.standard: unknown citation key '@no_such_source': expected an id from "
     "sources.yaml"),
    ("notes: hello\n", "facts.yaml:1: notes: expected one of references, figures, events, got 'notes'"),
])
@pytest.mark.slow
def test_local_facts_errors_by_exact_message(tmp_path, body, message):
    facts = tmp_path / "facts.yaml"
    facts.write_text(body, encoding="utf-8")
    code, out, err = run("--jurisdiction", "Bartow County, GA", "--local-facts", str(facts), "--out", str(tmp_path))
    assert code == 1
    assert f"{tmp_path}/{message}" in err.splitlines()
    assert not list(tmp_path.glob("*.pdf"))


def test_local_facts_usage_errors(tmp_path):
    code, _, err = run("--local-facts", str(tmp_path / "missing.yaml"))
    assert (code, err) == (2, "generate.py: error: --local-facts goes with --jurisdiction and one --audience "
                              "(it adds to one brief)\n")
    code, _, err = run("--jurisdiction", "Bartow County, GA", "--local-facts", str(tmp_path / "missing.yaml"))
    assert (code, err) == (2, f"generate.py: error: --local-facts: no such file: {tmp_path / 'missing.yaml'}\n")


# ------------------------------------------------------------------------------ files and editions


@pytest.mark.slow
def test_local_brief_file_name_and_title(tmp_path):
    code, out, err = run("--jurisdiction", "Hillsborough Co., FL", "--out", str(tmp_path), "--date", "2026-12-01")
    assert code == 0, err
    pdf = tmp_path / "council-hillsborough-county-fl.pdf"
    text = text_of(pdf)
    assert "Here in Hillsborough County, Florida" in text
    assert "Florida requires the sheriffs or officials who run county jails to seek or hold agreements" in " ".join(text.split())


@pytest.mark.skipif(not WORKBOOK.exists(), reason="shared reference workbooks not present")
def test_update_agreements_imports_real_workbook(tmp_path):
    data = tmp_path / "data"
    code, out, err = run("update-agreements", str(WORKBOOK), "--data", str(data), "--downloaded", "2025-07-19")
    assert code == 0, err
    assert "imported 832 agreements as of 2025-07-18" in out


def test_pending_applications_are_shown(content, tmp_path):
    # The shipped data has no pending list (ICE's newest, of February 2026, is not of its list's date): the
    # section says nothing of pending applications. A data folder with one shows it; this one is built here.
    markdown = local_markdown(resolve_jurisdiction("Denton County, TX", content), content)
    assert "pending" not in markdown
    from openpyxl import Workbook

    from policybrief.ice import import_pending_workbook, write_pending

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    book = Workbook()
    book.active.append(["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"])
    book.active.append(["TEXAS", "Denton County Sheriff's Office", "County", "Denton County", "Jail Enforcement Model"])
    book.save(tmp_path / "pendingAgencies05182026am.xlsx")
    write_pending(import_pending_workbook(tmp_path / "pendingAgencies05182026am.xlsx"), data,
                  source_file="pendingAgencies05182026am.xlsx")
    with_pending = load_content(data)
    markdown = local_markdown(resolve_jurisdiction("Denton County, TX", with_pending), with_pending)
    assert ("ICE's list of pending applications dated May 18, 2026 shows 1 from Denton County, Texas: "
            "Denton County Sheriff's Office (Jail Enforcement Model)") in markdown


@pytest.mark.parametrize("edition", ["council", "law-enforcement", "community", "grant"])
@pytest.mark.slow
def test_local_editions_keep_their_page_budget(content, edition, brief):
    result = brief(edition, date=DAY, jurisdiction="Harris County, TX")
    low, high = content.audiences[edition].budget(local=True)  # a local budget where the audience sets one
    assert low <= result.pages <= high
    text = " ".join(text_of(result.pdf).split())
    assert "Here in Harris County, Texas" in text
    if edition == "council":  # the options as the council member reads them: whom Texas's mandate binds
        assert "does not itself require a city\u2019s police department to join" in text and "rules this out for the sheriffs" in text


def test_ice_foia_counts_print_in_their_county(content):
    markdown = local_markdown(resolve_jurisdiction("Cobb County, GA", content), content)
    assert "{fig:foia_cobb_identified}" in markdown and "{fig:foia_cobb_removed}" in markdown
    assert content.figures["foia_cobb_identified"].value == 11491
    assert content.figures["foia_cobb_removed"].value == 6826
    assert content.figures["foia_cobb_identified"].confidence == "S"


@pytest.mark.parametrize("edition", ["council", "community"])
@pytest.mark.slow
def test_a_long_local_section_adds_at_most_one_page(edition, brief):
    """Miami-Dade (12 agencies, 21 state agencies) stays capped: one page at most."""
    national = brief(edition, date=DAY)
    local = brief(edition, date=DAY, jurisdiction="Miami-Dade County, FL")
    assert local.pages <= national.pages + 1
    text = text_of(local.pdf)
    assert "and 4 more agencies on the list" in text or edition == "community"  # 12 agencies, 8 named


def test_the_fixed_state_law_paragraph_becomes_the_jurisdictions_own_state(content):
    from policybrief.local import localise_block

    text = content.blocks["decision"].text.get("standard")
    assert "**State law.**" in text
    local = words(localise_block("decision", text, resolve_jurisdiction("Bartow County, GA", content), content, "standard"))
    assert "**State law.**" not in local
    assert ("**State law in Georgia.** Georgia requires local police, sheriffs and local governments to seek or hold "
            "agreements: O.C.G.A. § 35-1-17 (H.B. 1105)") in local
    assert localise_block("decision", text, None, content, "standard") == text


def test_plain_section_names_statewide_agencies_beside_local_ones(content):
    """A state agency's deal can reach every county: the residents' guide names it, as the council edition does."""
    markdown = plain_local_markdown(resolve_jurisdiction("Maricopa County, AZ", content), content, date=DAY)
    assert ("It shows 1 deal here: Mesa Police Department, Jail Enforcement Model. A statewide agency also has "
            "a deal: Arizona Department of Corrections.") in markdown


def test_no_line_for_the_preparer_in_what_is_handed_out(content):
    """The brief is public: it gives the reader ICE's page, never a command for whoever built it."""
    from policybrief.local import local_section_text, section_markdown

    jurisdiction = resolve_jurisdiction("Bartow County, GA", content)
    for register in ("standard", "brief", "technical", "plain"):
        markdown = section_markdown(local_section_text(jurisdiction, content, register, None, date=DAY).paragraphs)
        assert "preparer" not in markdown.lower() and "generate.py" not in markdown and "update-agreements" not in markdown
        assert "<https://www.ice.gov/identify-and-arrest/287g>" in markdown, register


def test_a_negative_that_a_newer_count_contradicts_says_so(content):
    """'No agency based in X' only stands alone when every data set agrees: where ICE's newer state count is
    higher than the list that names agencies, the section says an agency here may have signed since, and
    where to check; where the newer count is not higher (California: none on either), the negative stands."""
    fulton = local_markdown(resolve_jurisdiction("Fulton County, GA", content), content, date=DAY)
    assert ("No county or city agency based in Fulton County was on ICE's list of May 18, 2026; 2 statewide agencies of Georgia "
            "held agreements: Georgia Department of Corrections (Jail Enforcement Model) and Georgia Department of "
            "Public Safety (Task Force Model) [@ice_agency_list]. ICE's count of October 9, 2026 is 72 higher for "
            "Georgia (this brief has only its state totals), so an agency based in Fulton County may have signed since; ICE's current "
            "list is at <https://www.ice.gov/identify-and-arrest/287g> [@ice_list_2026_10_09].") in fulton
    plain = plain_local_markdown(resolve_jurisdiction("Fulton County, GA", content), content, date=DAY)
    assert ("ICE's newer count gives Georgia more deals (this guide has only its state totals), so an agency here may have "
            "joined since [@ice_list_2026_10_09].") in plain
    los_angeles = local_markdown(resolve_jurisdiction("Los Angeles County, CA", content), content, date=DAY)
    assert los_angeles.split("\n\n")[1] == ("No county or city agency based in Los Angeles County was on ICE's list of May 18, 2026, "
                                            "nor was any state agency of California [@ice_agency_list].")
    assert "may have signed since" not in los_angeles


def test_the_condensed_state_paragraph_keeps_participation_and_the_options_keep_the_rest(content):
    """Georgia: the local paragraph prints the duty to seek an agreement; the bar on local limits
    (§ 36-80-23) is in the options sentence and the state table, so the grant edition keeps its budget."""
    fulton = resolve_jurisdiction("Fulton County, GA", content)
    markdown = local_markdown(fulton, content, "standard", date=DAY)
    assert "O.C.G.A. § 35-1-17 (H.B. 1105)" in markdown and "36-80-23" not in markdown
    assert "O.C.G.A. § 36-80-23" in words(state_rule_sentence(fulton, content, "brief"))
    # A state whose only measure bars local limits still prints it (Arizona).
    assert "A.R.S. § 11-1051" in local_markdown(resolve_jurisdiction("Maricopa County, AZ", content), content,
                                                "standard", date=DAY)


def test_the_newer_sheet_names_agencies_the_list_lacks_and_never_an_absence(content):
    """ICE's sheet as the Deportation Data Project copied it (data/agreements/moa_links.csv) adds agencies the
    agency-level list lacks, as positive evidence with its limits; a negative then points to them."""
    kanawha = local_markdown(resolve_jurisdiction("Kanawha County, WV", content), content, date=DAY)
    assert ("ICE's sheet as copied on September 14, 2026 links 1 agreement of an agency based here that the list lacks, named below "
            "[@ddp_moa_links_2026_09_14].") in kanawha
    assert ("**On ICE's newer sheet:** ICE's participating-agencies sheet, as the Deportation Data Project copied it "
            "on September 14, 2026, links agreements that the list above lacks: Kanawha County Sheriff's Office "
            "(Task Force Model, signed May 31, 2026). It lists only documents ICE had posted, so it cannot show that an agency has no "
            "agreement, and the model and date are read from each document's file name "
            "[@ddp_moa_links_2026_09_14].") in kanawha
    assert "may have signed since" not in kanawha  # the named agencies answer the newer count
    plain = plain_local_markdown(resolve_jurisdiction("Kanawha County, WV", content), content, date=DAY)
    assert ("ICE's sheet as copied on September 14, 2026 links a deal for Kanawha County Sheriff's Office, not on "
            "that list [@ddp_moa_links_2026_09_14].") in plain
    # A place the sheet names nothing for keeps the list's negative and the count's caveat, never "none on the sheet".
    los_angeles = local_markdown(resolve_jurisdiction("Los Angeles County, CA", content), content, date=DAY)
    assert "newer sheet" not in los_angeles


def test_history_says_when_an_agreement_was_listed_and_when_it_left(content):
    """history.csv (ICE's lists of 2021-2026): a listed agreement is 'on ICE's lists since ...'; one that left
    is named with the two list dates between which it was removed (Maryland's, after its 2026 ban)."""
    cecil = local_markdown(resolve_jurisdiction("Cecil County, MD", content), content, date=DAY)
    assert ("**No longer on ICE's list:** Cecil County Sheriff's Office (jail model), removed between February 17, "
            "2026 and February 27, 2026 [@ice_lists_history].") in cecil
    maryland = local_markdown(resolve_jurisdiction("Maryland", content), content, date=DAY)
    assert ("9 agreements of Maryland on ICE's lists since January 13, 2021 are not on the newest (9 last listed in "
            "2026) [@ice_lists_history].") in maryland
    bartow = local_markdown(resolve_jurisdiction("Bartow County, GA", content), content, date=DAY)
    assert "**On ICE's lists (to May 18, 2026):** Euharlee Police Department (task force) since May 19, 2025 [@ice_lists_history]." in bartow


def test_agencies_that_first_appear_on_icess_2026_lists_are_named(content):
    """A county sheriff and a city department that signed in 2026 are named, with model, signing date and
    the list's date (ICE's list of May 18, 2026)."""
    grimes = local_markdown(resolve_jurisdiction("Grimes County, TX", content), content, date=DAY)
    assert "ICE's list dated May 18, 2026 shows 1 agreement held by 1 agency in Grimes County, Texas" in grimes
    assert "- **Grimes County Sheriff's Office**: Warrant Service Officer, signed February 25, 2026 (" in grimes
    baldwin = local_markdown(resolve_jurisdiction("Baldwin County, AL", content), content, date=DAY)
    assert "- **Foley Police Department**: Task Force Model, signed March 25, 2026 (" in baldwin
    assert "Foley Police Department (task force) since April 1, 2026" in baldwin
