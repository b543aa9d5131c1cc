"""Census geography: the counties and county-equivalents of every state, from the list ``addfips`` ships.

Input: a state code and a county name as ICE or a person writes it.
Output: ``Place`` records (name, FIPS code, kind) and the Census places a COUNTY cell names.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .rows import STATES, AgreementsError, canonical, compact, name_words, slug

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
    """ICE's COUNTY cell as canonical words without its county word, and whether it had one."""
    words = canonical(name_words(county))
    if words and words[-1] in COUNTY_WORDS:
        return words[:-1], True
    return words, False


def census_county(state_code: str, county: str) -> list[Place]:
    """The Census places of a state that ICE's COUNTY cell names."""
    core, has_word = county_core(county)
    key = compact(core)
    return [place for place in places_by_state().get(state_code, ())
            if compact(place.core) == key and (place.kind == "county" or not has_word)]
