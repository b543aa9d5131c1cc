"""Any city, town, borough or consolidated government a council governs is a jurisdiction: its own agencies,
the county agencies that serve it, and one answer per agency between a town's brief and its county's.

Expected agencies come from ICE's list as shipped (data/agreements/participating.csv, read here with the
csv module), not from the code's own placement."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from policybrief.ice import JurisdictionError, find_jurisdiction
from policybrief.local import local_markdown, plain_local_markdown, resolve_jurisdiction

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 12, 1)


def ice_rows(state: str, *, county: str | None = None, starts: str | None = None, kind: str | None = None):
    """Rows of ICE's list as shipped, by state and ICE's own COUNTY cell or agency-name start."""
    with open(ROOT / "data" / "agreements" / "participating.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sorted({row["agency"] for row in rows if row["state_code"] == state
                   and (county is None or row["county"] == county)
                   and (starts is None or re.match(rf"(City of )?{starts} (Police|Marshal|Department|Public)", row["agency"]))
                   and (kind is None or row["agency_type"] == kind)})


@pytest.mark.parametrize("name, kind, display, fips, counties", [
    # a city in several counties, where a source names them (places.MULTI_COUNTY_CITIES)
    ("Houston, TX", "city", "Houston, Texas", None, ["Harris County", "Fort Bend County", "Montgomery County"]),
    ("Carrollton, Texas", "city", "Carrollton, Texas", None, ["Dallas County", "Denton County", "Collin County"]),
    ("Springdale, AR", "city", "Springdale, Arkansas", None, ["Washington County", "Benton County"]),
    ("Dallas, TX", "city", "Dallas, Texas", None, ["Dallas County"]),  # no source found here for its others
    ("New York City", "city", "New York City, New York", None,
     ["Bronx County", "Kings County", "New York County", "Queens County", "Richmond County"]),
    ("Chicago", "city", "Chicago, Illinois", None, ["Cook County"]),
    ("New Orleans", "city", "New Orleans, Louisiana", None, ["Orleans Parish"]),
    ("Town of Cary, NC", "city", "Cary, North Carolina", None, ["Wake County"]),
    # one government with its borough or municipality: the county-equivalent itself
    ("Anchorage, AK", "county", "Anchorage Municipality, Alaska", "02020", []),
    ("Juneau, AK", "county", "Juneau City and Borough, Alaska", "02110", []),
    # independent cities, written as users write them
    ("Richmond, VA", "city", "Richmond, Virginia", "51760", []),
    ("Baltimore, MD", "city", "Baltimore, Maryland", "24510", []),
    ("St. Louis, MO", "city", "St. Louis, Missouri", "29510", []),
    ("Carson City", "city", "Carson City, Nevada", "32510", []),
    # parishes, and a Puerto Rico municipio without its Census suffix
    ("Orleans Parish", "county", "Orleans Parish, Louisiana", "22071", []),
    ("San Juan, PR", "county", "San Juan Municipio, Puerto Rico", "72127", []),
])
def test_a_place_is_a_jurisdiction_as_users_write_it(content, name, kind, display, fips, counties):
    place = resolve_jurisdiction(name, content)
    assert (place.kind, place.name, place.fips) == (kind, display, fips)
    assert [county.name for county in place.counties] == counties


def test_a_city_without_an_agreement_names_its_county_agencies_or_none(content):
    """Houston's police hold no agreement on ICE's list of May 2026, nor does any Harris County agency; the
    sheriffs of Fort Bend and Montgomery counties, where parts of the city lie, do."""
    assert ice_rows("TX", starts="Houston") == []
    assert ice_rows("TX", county="Harris County", kind="County") == []
    assert ice_rows("TX", county="Fort Bend County", kind="County") == ["Fort Bend County Sheriff's Office"]
    assert ice_rows("TX", county="Montgomery County", kind="County") == ["Montgomery County Sheriff's Office"]
    text = local_markdown(resolve_jurisdiction("Houston, TX", content), content, date=DATE)
    assert "No municipal agency of Houston was on ICE's list of May 18, 2026" in text
    assert ("**The counties:** Houston lies in Harris County, Fort Bend County and Montgomery County. Their agencies "
            "on ICE's list of May 18, 2026: Fort Bend County Sheriff's Office (Jail Enforcement Model, Warrant "
            "Service Officer); Montgomery County Sheriff's Office (Jail Enforcement Model)") in text
    assert "Texas Department of Public Safety - Texas Highway Patrol" in text
    # a town's police in the county is not a county agency, and is named as another town's
    assert ice_rows("TX", county="Harris County") == ["Southside Place Police Department"]
    assert "Southside Place Police Department" in text.split("Other towns' agencies in")[1]


def test_a_county_given_by_the_town_s_centre_is_said_to_be_that(content):
    assert ice_rows("TX", county="Dallas County", kind="County") == []
    text = local_markdown(resolve_jurisdiction("Dallas, TX", content), content, date=DATE)
    assert ("**The county:** Dallas is counted in Dallas County, where its centre lies; a city can reach into a "
            "neighbouring county, which has a brief of its own. No county agency of Dallas County, such as the "
            "sheriff's office or the jail, was on ICE's list of May 18, 2026") in text


@pytest.mark.parametrize("name, state, town, county", [("Cocoa, FL", "FL", "Cocoa", "Brevard County"),
                                                       ("City of Livingston, KY", "KY", "Livingston", "Rockcastle County")])
def test_a_city_brief_names_its_own_agencies_and_its_countys(content, name, state, town, county):
    own, county_agencies = ice_rows(state, starts=town), ice_rows(state, county=county, kind="County")
    assert own and county_agencies
    place = resolve_jurisdiction(name, content)
    assert sorted({row.agency for row in place.agreements}) == own
    assert sorted({row.agency for row in place.county_agencies}) == county_agencies
    text = local_markdown(place, content, date=DATE)
    assert f"**The county:** {town} is counted in {county}, where its centre lies" in text
    assert f"Agencies of {county} on ICE's list of May 18, 2026: " in text
    assert f"not {town}'s police, who could take part only under an agreement of their own" in text
    for agency in own + county_agencies:
        assert agency in text
    plain = plain_local_markdown(place, content, date=DATE)
    assert all(agency in plain for agency in own)


def test_the_county_and_the_town_agree_on_every_agency(content):
    """One answer per agency: every city department ICE lists that is placed by its town (Texarkana's
    included, whose COUNTY cell names Bowie County, Texas) is counted in each county its town's brief says
    the town lies in."""
    agreements = content.agreements
    checked = 0
    for index, row in enumerate(agreements.rows):
        placed = agreements.placements[index]
        if row.state_code not in ("AR", "TX", "FL", "KY") or row.agency_type != "Municipality" or placed.how != "city":
            continue
        try:
            town = find_jurisdiction(f"{row.agency}, {row.state_code}", agreements)
        except JurisdictionError:  # 'City of Miami Police Department' also matches Miami Springs's
            continue
        assert town.counties, row.agency
        for county in town.counties:
            assert row in find_jurisdiction(county.candidate, agreements).agreements, (row.agency, county.name)
        checked += 1
    assert checked >= 10


def test_texarkana_is_in_miller_county_on_both_briefs(content):
    assert ice_rows("AR", starts="Texarkana") == ["Texarkana Police Department"]
    miller = resolve_jurisdiction("Miller County, AR", content)
    assert "Texarkana Police Department" in {row.agency for row in miller.agreements}
    assert "Texarkana Police Department" not in {row.agency for row in miller.unplaced}
    town = resolve_jurisdiction("Texarkana, AR", content)
    assert [county.name for county in town.counties] == ["Miller County"]


def test_an_ambiguous_name_lists_each_place_and_each_resolves(content):
    with pytest.raises(JurisdictionError) as caught:
        find_jurisdiction("Livingston, KY", content.agreements)
    assert caught.value.candidates == ["City of Livingston, Kentucky", "Livingston County, Kentucky"]
    assert [resolve_jurisdiction(name, content).fips for name in caught.value.candidates] == [None, "21139"]


def test_same_named_towns_of_one_state_are_each_offered_with_their_county(content):
    """Two Greenwoods in Louisiana: the one with a police department on ICE's list, and each town by its
    parish, which the preparer can name."""
    place = resolve_jurisdiction("Greenwood, Caddo Parish, LA", content)
    assert (place.kind, [county.name for county in place.counties]) == ("city", ["Caddo Parish"])


@pytest.mark.slow
def test_a_city_council_brief_builds_within_its_budget(brief, content):
    from pypdf import PdfReader

    result = brief("council", jurisdiction="Houston, TX")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(result.pdf).pages)
    assert "Here in Houston, Texas" in text or "Houston, Texas" in text
    assert "Houston lies in Harris County, Fort Bend County and Montgomery County" in text
    budget = content.audiences["council"].budget(local=True)
    assert budget[0] <= result.pages <= budget[1]
    assert "update-agreements" not in text and "For the preparer" not in text


def test_every_state_s_batch_names_each_brief_a_file_of_its_own(content, tmp_path):
    """`--state XX` for every state, D.C. and territory: each job's file name is unique (FIPS codes for
    places, a hash of the full name for a shortened agency name), checked without laying anything out."""
    from policybrief.batch import batch_jobs
    from policybrief.ice.rows import STATES
    from policybrief.local import jurisdictions_in_state

    audiences = list(content.audiences)
    total = 0
    for code in STATES:
        names = jurisdictions_in_state(code, content)
        jobs = batch_jobs(audiences, names, content, tmp_path)  # raises UsageError on a shared file name
        files = [job.out.name for job in jobs if job.out is not None]
        assert len(files) == len(set(files)) == len(names) * len(audiences), code
        assert all(len(name) <= 50 for name in files), code
        total += len(names)
    assert total > 3000


def test_two_long_agency_names_that_begin_alike_get_two_files():
    from types import SimpleNamespace

    from policybrief.build import output_name

    first = SimpleNamespace(slug="florida-department-of-highway-safety-and-motor-vehicles-division-of-highway-patrol-fl",
                            state_code="FL", fips=None)
    second = SimpleNamespace(slug="florida-department-of-highway-safety-and-motor-vehicles-office-of-motorist-services-fl",
                             state_code="FL", fips=None)
    names = {output_name("law-enforcement", place, with_fips=True) for place in (first, second)}
    assert len(names) == 2 and all(len(name) <= 50 and name.endswith("-fl.pdf") for name in names)


def test_county_agencies_are_known_by_name_as_well_as_by_ice_s_type(content):
    """ICE types Haskell County's sheriff 'Municipality' and Shirley's police 'County': Stigler's brief
    names the sheriff as its county's agency, Greenfield's names Shirley's police as another town's."""
    assert ice_rows("OK", county="Haskell County", kind="Municipality") == ["Haskell County Sheriff's Office",
                                                                           "Keota Police Department",
                                                                           "Stigler Police Department"]
    stigler = resolve_jurisdiction("Stigler, OK", content)
    assert [row.agency for row in stigler.county_agencies] == ["Haskell County Sheriff's Office"]
    assert [row.agency for row in stigler.other_towns] == ["Keota Police Department"]
    assert "Shirley Police Department" in ice_rows("IN", kind="County")
    greenfield = resolve_jurisdiction("Greenfield, IN", content)
    assert (greenfield.county_agencies, [row.agency for row in greenfield.other_towns]) == (
        [], ["Shirley Police Department"])


def test_new_york_city_has_no_county_governments_to_name(content):
    text = local_markdown(resolve_jurisdiction("New York City", content), content, date=DATE)
    assert "No municipal agency of New York City was on ICE's list of May 18, 2026" in text
    assert "**The counties:**" not in text and "sheriff" not in text


def test_a_town_in_a_state_without_county_governments_names_no_county_agency(content):
    """Connecticut's and Rhode Island's counties have no governments: a Hartford brief names its own
    agencies and the state's, and no county sheriff or jail."""
    place = resolve_jurisdiction("Hartford, CT", content)
    assert (place.kind, [county.name for county in place.counties]) == ("city", ["Hartford County"])
    text = local_markdown(place, content, date=DATE)
    assert "No municipal agency of Hartford was on ICE's list of May 18, 2026" in text
    assert "**The county:**" not in text and "sheriff" not in text
