"""A name a person types -> a jurisdiction (county, city, state agency or state) and its agreements.

Input: text such as 'Harris County, TX', 'City of Cocoa, FL' or "Bexar County Sheriff's Office", and an
``AgreementList``. Output: a ``Jurisdiction``, or a ``JurisdictionError`` naming the closest candidates.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from typing import Iterable

from .counts import AgreementList
from .places import COUNTY_WORDS, Place, census_county, city_counties, cities_by_state, find_city, place_by_fips, places_by_state
from .rows import (STATES, Agreement, JurisdictionError, canonical, compact, contains_run, name_words, slug,
                   state_keys)

LOG = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------ jurisdictions


@dataclass(frozen=True)
class Jurisdiction:
    """A place or state agency a brief can be written for, with the agreements on ICE's list in it.

    For a county: rows whose COUNTY names it or whose agency name contains it (e.g. 'Harris County').
    For a city: agencies whose name starts with the city's name ('Cocoa Police Department', not
    'Cocoa Beach Police Department'), plus rows whose COUNTY names an independent city.
    ``pending`` holds the rows of ICE's pending list matched the same way (empty when there are none,
    or when no pending list is loaded).
    """

    name: str
    kind: str  # 'county', 'city', 'state-agency' or 'state'
    state: str
    state_code: str
    agreements: list[Agreement]
    slug: str
    fips: str | None = None
    pending: list[Agreement] = field(default_factory=list)
    # For a county or city: rows of the same state that hold an agreement but no county brief covers,
    # listed so that a state's local sections never drop them: state agencies ('state') and rows whose
    # county could not be decided ('unplaced'), each with ``placements``' note.
    statewide: list[Agreement] = field(default_factory=list)
    unplaced: list[Agreement] = field(default_factory=list)
    # Where each listed row (agreements, pending, statewide, unplaced) is counted and why; by id(row).
    placements: dict[int, object] = field(default_factory=dict, repr=False)
    counties: tuple[Place, ...] = ()  # for a city: the Census counties it lies in, when known
    # For a city in a county (not an independent city): the county agencies of its counties on ICE's list
    # (a sheriff's office, a county jail or corrections department, a regional jail), which serve it too.
    county_agencies: list[Agreement] = field(default_factory=list)
    other_towns: list[Agreement] = field(default_factory=list)  # other towns' agencies in those counties
    consolidated: bool = False  # its counties have no governments of their own (New York City)

    def placement(self, row: Agreement):
        """The ``places.Placement`` of one of this jurisdiction's rows."""
        return self.placements.get(id(row))


# Words that may follow a city's name in an agency's name ("Cocoa Police Department").
_CITY_AGENCY_WORDS = {"police", "department", "dept", "public", "marshal", "marshals", "metropolitan", "metro",
                      "city", "village", "town", "township", "borough", "constable", "constables", "sheriff",
                      "sheriffs"}
_SHERIFF_SUFFIXES = (("sheriffs", "office"), ("sheriff", "office"), ("sheriffs", "department"),
                     ("sheriffs", "dept"), ("sheriff",))
_EXAMPLE = "'Harris County, TX'"
# 'City of Houston', 'Town of Cary', 'Village of Oak Park': a municipality, never the county of that name.
_MUNICIPAL_PREFIXES = {(word, "of") for word in ("city", "town", "village", "borough", "township")}
# A town whose name is also a county's ('Houston, TX') means the town when it is this large; a smaller
# one ('Livingston, KY') is ambiguous, and both are offered.
TOWN_OVER_COUNTY = 100_000
# Census county-equivalents that are one government with the city of the same name (Alaska's).
_CONSOLIDATED = (" City and Borough", " Municipality")


@dataclass(frozen=True)
class _Candidate:
    kind: str
    state_code: str
    name: str          # display name
    candidate: str     # how to type it unambiguously
    slug: str
    rows: tuple[int, ...] = ()  # positions in AgreementList.rows
    fips: str | None = None
    bare_county: bool = False   # a county reached by its name without 'County'
    town: str | None = None     # a town of the gazetteer with no agency on ICE's list ('Houston, Texas')
    population: int = 0         # the town's, to rank 'Miami' (Florida) before Miami, Oklahoma
    counties: tuple[str, ...] = ()  # the town's counties (FIPS), main one first
    consolidated: bool = False      # a city whose counties have no governments of their own (New York City)


def _state_parses(words: list[str]) -> list[tuple[str | None, list[str]]]:
    """Ways to read the words: with a state at the end (longest state name first), then without."""
    keys = state_keys()
    parses: list[tuple[str | None, list[str]]] = []
    for size in range(min(5, len(words)), 0, -1):
        code = keys.get(" ".join(words[-size:]))
        if code:
            parses.append((code, words[:-size]))
            break
    parses.append((None, words))
    return parses


def _rows_of_place(place: Place, agreements: AgreementList) -> tuple[int, ...]:
    """Rows counted in a county (or independent city): every agency placed in it (``places.place_agency``:
    its COUNTY cell, ICE's corrected spelling, or the county its city lies in); for an independent city
    also the departments whose names start with the city's name."""
    found = set(agreements.in_county.get(place.fips, ()))
    if place.kind == "city":
        full = canonical(name_words(place.city_name))
        for index, row in enumerate(agreements.rows):
            if row.state_code == place.state_code and _starts_city(agreements.words_of[index][0], full) \
                    and not agreements.placements[index].counties:
                found.add(index)
    return tuple(sorted(found))


def _starts_city(agency_words: tuple[str, ...], city: tuple[str, ...]) -> bool:
    size = len(city)
    return (size > 0 and agency_words[:size] == city and len(agency_words) > size
            and agency_words[size] in _CITY_AGENCY_WORDS)


_COUNTY_AGENCY_WORDS = frozenset({"sheriff", "sheriffs", "jail", "jails", "corrections", "correctional",
                                  "detention", "constable", "constables"})


def is_county_agency(row: Agreement, placed) -> bool:
    """A county's own agency (a sheriff's office, a county jail or corrections department, a county
    constable, county police, a regional jail), by ICE's type and its name together: ICE types some
    sheriffs 'Municipality' (Haskell County, Oklahoma) and some town departments 'County'."""
    words = set(canonical(name_words(row.agency)))
    if placed.how == "city":  # placed by its town's name: a town's department, whatever ICE's type
        return bool(words & _COUNTY_AGENCY_WORDS) and bool(words & set(COUNTY_WORDS))
    if words & _COUNTY_AGENCY_WORDS or words & set(COUNTY_WORDS):
        return True
    return row.agency_type == "County" and "police" not in words


def _place_candidate(place: Place, agreements: AgreementList, *, bare: bool = False) -> _Candidate:
    # A Puerto Rico municipio is the local government: 'San Juan, PR' means it, with no 'Municipio'.
    bare = bare and place.kind == "county" and not place.name.endswith(" Municipio")
    return _Candidate(place.kind, place.state_code, place.display, place.candidate, place.slug,
                      _rows_of_place(place, agreements), place.fips, bare_county=bare)


def _city_candidates(words: tuple[str, ...], state_code: str | None,
                     agreements: AgreementList) -> list[_Candidate]:
    """Cities known from agency names on the list ('Cocoa Police Department' gives Cocoa, Florida)."""
    by_city: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for index, row in enumerate(agreements.rows):
        if state_code and row.state_code != state_code:
            continue
        agency_words = agreements.words_of[index][0]
        if _starts_city(agency_words, words):
            by_city.setdefault(row.state_code, []).append(index)
            names.setdefault(row.state_code, _leading_words(row.agency, len(words)))
    found = []
    for code, rows in by_city.items():
        city = names[code]
        found.append(_Candidate("city", code, f"{city}, {STATES[code]}", f"City of {city}, {STATES[code]}",
                                f"{slug(city)}-{code.lower()}", tuple(rows)))
    return found


def _leading_words(text: str, count: int) -> str:
    """The start of `text` that spells its first `count` normalised words ('St. Augustine Police ...', 2)."""
    taken: list[str] = []
    seen = 0
    for word in text.split():
        if seen >= count:
            break
        taken.append(word)
        seen += len(name_words(word))
    return " ".join(taken).rstrip(",.")


def _agency_candidates(words: tuple[str, ...], state_code: str | None,
                       agreements: AgreementList) -> list[_Candidate]:
    """Agencies named by the words: an exact name first, else names containing every word."""
    exact: dict[tuple[str, str], list[int]] = {}
    partial: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(agreements.rows):
        if state_code and row.state_code != state_code:
            continue
        agency_words = agreements.words_of[index][0]
        if agency_words == words:
            exact.setdefault(row.agency_key, []).append(index)
        elif _in_order(words, agency_words):
            partial.setdefault(row.agency_key, []).append(index)
    chosen = exact or partial
    found = []
    for indexes in chosen.values():
        first = agreements.rows[indexes[0]]
        found.append(_agency_candidate(first, tuple(indexes), agreements))
    return found


def _in_order(words: tuple[str, ...], agency_words: tuple[str, ...]) -> bool:
    """Every word of `words`, each once and in the same order, among `agency_words` ('Bexar Sheriff' is in
    'Bexar County Sheriffs Office'; 'County Harris' and 'Harris County Harris County' are not in
    'Harris County Sheriffs Office')."""
    remaining = iter(agency_words)
    return all(any(word == other for other in remaining) for word in words)


def _agency_candidate(row: Agreement, indexes: tuple[int, ...], agreements: AgreementList) -> _Candidate:
    """A named agency: a county agency stands for the county it is placed in, a state agency for itself."""
    if row.agency_type == "County":
        placed = agreements.placements[indexes[0]]
        if len(placed.counties) == 1 and placed.counties[0].kind == "county":
            return _place_candidate(placed.counties[0], agreements)
    kind = {"State Agency": "state-agency", "Municipality": "city"}.get(row.agency_type, "county")
    # 'Florida Department of Law Enforcement' needs no ', Florida'; 'Kodiak Police Department' does.
    names_state = contains_run(tuple(name_words(row.agency)), tuple(name_words(row.state)))
    named = row.agency if names_state else f"{row.agency}, {row.state}"
    return _Candidate(kind, row.state_code, named, f"{row.agency}, {row.state_code}",
                      f"{slug(row.agency)}-{row.state_code.lower()}", indexes)


def _resolve(words: list[str], state_code: str | None, agreements: AgreementList) -> list[_Candidate]:
    canon = canonical(words)
    city_only = canon[:2] in _MUNICIPAL_PREFIXES
    if city_only:
        canon = canon[2:]
    for suffix in _SHERIFF_SUFFIXES:
        if len(canon) > len(suffix) and canon[-len(suffix):] == suffix:
            canon = canon[:-len(suffix)]
            break
    if not canon:
        return []
    in_county = _town_in_county(canon, state_code, agreements)
    if in_county:
        return in_county
    places = [place for code, group in places_by_state().items() if state_code in (None, code)
              for place in group]
    if not city_only and canon[-1] not in COUNTY_WORDS:
        # The Census's full name, suffix included ('Anchorage Municipality', 'Wade Hampton Census Area',
        # 'Adjuntas Municipio', 'Baltimore city'); a FIPS code known under two names is one place.
        whole = compact(canon)
        exact = {place.fips: place for place in places if compact(canonical(name_words(place.name))) == whole}
        if exact:
            return [_place_candidate(place, agreements) for place in exact.values()]
    if canon[-1] in COUNTY_WORDS and not city_only:
        key = compact(canon[:-1])
        whole = compact(canon)
        matches = {place.fips: place for place in places if place.kind == "county" and compact(place.core) == key}
        typed = {place.fips: place for place in matches.values() if place.name.lower().endswith(" " + canon[-1])}
        if typed and canon[-1] != "county":  # 'Orleans Parish' is the parish, not Orleans County, Vermont
            matches = typed
        same = {fips: place for fips, place in matches.items()
                if compact(canonical(name_words(place.name))) == whole}
        # 'Petersburg Borough' is the borough, not also the census area of the same FIPS code.
        found = [_place_candidate(place, agreements) for place in (same or matches).values()] \
            if len(same) == 1 and len(matches) > 1 and len({p.fips for p in matches.values()}) == 1 else \
            [_place_candidate(place, agreements) for place in matches.values()]
        if not found:  # 'Juneau City and Borough'
            exact = {place.fips: place for place in places if compact(canonical(name_words(place.name))) == whole}
            found = [_place_candidate(place, agreements) for place in exact.values()]
        if found:
            return found
    elif canon[-1] not in COUNTY_WORDS:
        key = compact(canon)
        named = [place for place in places if compact(place.core) == key
                 and (place.kind == "city" or not city_only)]
        if not named and len(canon) > 1 and canon[-1] == "city":  # 'Baltimore city': the Census's own name
            named = [place for place in places if place.kind == "city" and compact(place.core) == compact(canon[:-1])]
        cities = _city_candidates(canon, state_code, agreements)
        # A department ICE lists with no county, in a state with several towns of its name (Greenwood,
        # Louisiana): each town is offered, with the department, rather than a city of no county.
        unplaced = [city for city in cities if all(not agreements.placements[index].counties for index in city.rows)]
        cities = [city for city in cities if city not in unplaced]
        found = [_place_candidate(place, agreements, bare=True) for place in named]
        census_cities = {(item.state_code, item.slug) for item in found if item.kind == "city"}
        found += [city for city in cities if (city.state_code, city.slug) not in census_cities]
        listed_states = {city.state_code for city in cities} | census_cities_states(found)
        towns = [town for town in _town_candidates(canon, state_code, agreements)
                 if town.state_code not in listed_states]
        found += towns
        found += [city for city in unplaced if city.state_code not in {town.state_code for town in towns}]
        if found:
            return found
    return _agency_candidates(canon, state_code, agreements)


def census_cities_states(found: list[_Candidate]) -> set[str]:
    return {item.state_code for item in found if item.kind == "city"}


def _town_in_county(canon: tuple[str, ...], state_code: str | None,
                    agreements: AgreementList) -> list[_Candidate]:
    """'Greenwood, Caddo Parish, LA': a town named with the county it lies in, where the state has towns
    of that name in several counties."""
    if state_code is None or len(canon) < 3 or canon[-1] not in COUNTY_WORDS:
        return []
    found = []
    for cut in range(1, len(canon) - 1):
        counties = census_county(state_code, " ".join(canon[cut:]))
        if not counties:
            continue
        for candidate in _town_candidates(canon[:cut], state_code, agreements, any_county=True):
            if counties[0].fips in candidate.counties:
                found.append(candidate)
    return found


def _town_candidates(words: tuple[str, ...], state_code: str | None,
                     agreements: AgreementList, *, any_county: bool = False) -> list[_Candidate]:
    """Towns of the gazetteer named by the words whose own police are not on ICE's list: each is a city
    jurisdiction in the county or counties it lies in ('Houston, TX' in Harris County, not Houston County;
    'Miami' in Miami-Dade County). Same-named towns of one state in different counties are each offered."""
    found = []
    for code in ([state_code] if state_code else sorted(cities_by_state())):
        towns = find_city(code, tuple(words))
        if not towns:
            continue
        counties, ambiguous = city_counties(towns)
        ambiguous = ambiguous or (any_county and len({town.counties for town in towns}) > 1)
        choices = [towns[0]] if not ambiguous else list({town.counties: town for town in towns}.values())
        for town in choices:
            fips = counties if not ambiguous else town.counties
            places = [place for place in map(place_by_fips, fips) if place]
            if not places:
                continue
            if len(places) == 1 and places[0].name.endswith(_CONSOLIDATED) and compact(places[0].core) == compact(words):
                # Juneau, Sitka, Anchorage: the city is its borough or municipality (one government)
                found.append(_place_candidate(places[0], agreements))
                continue
            state = STATES[town.state_code]
            name = f"{town.name}, {state}"
            candidate = (f"City of {town.name}, {state}" if not ambiguous
                         else f"City of {town.name}, {places[0].name}, {state}")
            fips_here = {place.fips for place in places}
            words_here = canonical(name_words(town.name))
            own = tuple(index for index, row in enumerate(agreements.rows)
                        if row.state_code == code and _starts_city(agreements.words_of[index][0], words_here)
                        and (not agreements.placements[index].counties
                             or fips_here & set(agreements.placements[index].fips)))
            found.append(_Candidate("city", code, name, candidate,
                                    f"{slug(town.name)}-{code.lower()}" + (f"-{places[0].fips}" if ambiguous else ""),
                                    own, town=name, population=town.population,
                                    counties=tuple(place.fips for place in places),
                                    consolidated=town.consolidated))
    return found


def _state_jurisdiction(code: str, agreements: AgreementList) -> Jurisdiction:
    return Jurisdiction(STATES[code], "state", STATES[code], code,
                        [row for row in agreements.rows if row.state_code == code], slug(STATES[code]),
                        pending=[row for row in agreements.pending if row.state_code == code])


def _closest_candidates(words: list[str], state_code: str | None, agreements: AgreementList) -> list[str]:
    """Up to five names that look like `words`, from the Census counties, the list's agencies and cities."""
    pool: dict[str, list[str]] = {}

    def add(key_words: Iterable[str], candidate: str) -> None:
        entries = pool.setdefault(" ".join(key_words), [])
        if candidate not in entries:
            entries.append(candidate)

    for code, group in places_by_state().items():
        if state_code in (None, code):
            for place in group:
                add(canonical(name_words(place.name)), place.candidate)
                if place.kind == "city":
                    add(canonical(name_words(place.city_name)), place.candidate)
    for index, row in enumerate(agreements.rows):
        if state_code in (None, row.state_code):
            add(agreements.words_of[index][0], f"{row.agency}, {row.state_code}")
    if state_code is None:
        for name in STATES.values():
            add(name_words(name), name)
    query = " ".join(canonical(words))
    found: list[str] = []
    for key in difflib.get_close_matches(query, list(pool), n=5, cutoff=0.6):
        found.extend(pool[key])
    return list(dict.fromkeys(found))[:5]


def find_jurisdiction(name: str, agreements: AgreementList) -> Jurisdiction:
    """The county, city, state agency or state that `name` means, with its agreements on the list.

    Forgiving about case, punctuation, 'Co.'/'Cnty', 'Parish', state names or codes and a trailing
    "Sheriff's Office"; never silent: raises ``JurisdictionError`` with candidates when `name` matches
    nothing, several places, or only a county whose 'County' was left out. Agencies and cities known
    only from ICE's pending list are found too; their ``Jurisdiction.agreements`` is empty.
    """
    listed = len(agreements.rows)
    lookup = agreements.search_list  # agreements, then pending applications from position `listed` on
    words = name_words(name or "")
    if not words:
        raise JurisdictionError(f"expected a jurisdiction such as {_EXAMPLE}, got {name!r}", [])
    parses = _state_parses(words)
    found: list[_Candidate] = []
    for state_code, rest in parses:
        if state_code and not rest:
            return _state_jurisdiction(state_code, agreements)
        found = list({(item.kind, item.state_code, item.slug): item
                      for item in _resolve(rest, state_code, lookup)}.values())
        if found:
            break
    if not found:
        state_code, rest = parses[0]
        candidates = _closest_candidates(rest, state_code, lookup)
        hint = f"; closest: {'; '.join(candidates)}" if candidates else f"; check the spelling, e.g. {_EXAMPLE}"
        raise JurisdictionError(f"no county, city, state agency or state matches {name!r} (looked in the "
                                f"Census county list and ICE's list of {agreements.as_of.isoformat()}){hint}",
                                candidates)
    towns = [item for item in found if item.town]
    if len(towns) == 1 and towns[0].population >= TOWN_OVER_COUNTY \
            and all(item.bare_county for item in found if item is not towns[0]):
        found = towns  # 'Houston, TX': the city, not the county that shares its name, is what a reader means
    independent = [item for item in found if item.kind == "city" and item.fips and not item.town]
    if len(independent) == 1 and all(item.bare_county or item.town for item in found if item is not independent[0]):
        found = independent  # 'Richmond, VA': the independent city; the county is written with 'County'
    if len(found) > 1:
        # Places holding agreements first, then those with pending applications, then towns by size: the
        # likelier meanings first.
        found.sort(key=lambda item: (item.town is None or item.population < TOWN_OVER_COUNTY,
                                     not any(index < listed for index in item.rows), not item.rows,
                                     -item.population, item.state_code, item.name))
        shown = list(dict.fromkeys(item.candidate for item in found))
        more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
        raise JurisdictionError(f"{name!r} is ambiguous: it matches {len(shown)} jurisdictions "
                                f"({'; '.join(shown[:5])}{more}); write one of them, with its state", shown[:5])
    match = found[0]
    if match.bare_county:
        raise JurisdictionError(f"{name!r} names no city on ICE's list of {agreements.as_of.isoformat()} or in "
                                f"the gazetteer of towns; for the county write {match.candidate!r}",
                                [match.candidate])
    return _jurisdiction(match, lookup, listed)


def _jurisdiction(match: _Candidate, lookup: AgreementList, listed: int) -> Jurisdiction:
    """The Jurisdiction of a resolved candidate, with the placement of every row it lists."""
    rows = [lookup.rows[index] for index in match.rows if index < listed]
    pending = [lookup.rows[index] for index in match.rows if index >= listed]
    placements = {id(lookup.rows[index]): lookup.placements[index] for index in match.rows}
    statewide: list[Agreement] = []
    unplaced: list[Agreement] = []
    if match.kind in ("county", "city"):
        for index, row in enumerate(lookup.rows[:listed]):
            if row.state_code != match.state_code or index in match.rows:
                continue
            how = lookup.placements[index].how
            if how in ("state", "unplaced"):
                (statewide if how == "state" else unplaced).append(row)
                placements[id(row)] = lookup.placements[index]
    counties: tuple[Place, ...] = ()
    county_agencies: list[Agreement] = []
    other_towns: list[Agreement] = []
    if match.kind == "city" and match.fips is None:  # a city in a county, not an independent city
        seen: dict[str, Place] = {place.fips: place for place in map(place_by_fips, match.counties) if place}
        for index in match.rows:
            for place in lookup.placements[index].counties:
                seen.setdefault(place.fips, place)
        counties = tuple(seen.values())
        for index, row in enumerate(lookup.rows[:listed]):
            placed = lookup.placements[index]
            if index not in match.rows and any(place.fips in seen for place in placed.counties):
                (county_agencies if is_county_agency(row, placed) else other_towns).append(row)
                placements[id(row)] = placed
    LOG.debug("jurisdiction %s %r: %d agreements, %d pending, %d statewide, %d unplaced", match.kind,
              match.name, len(rows), len(pending), len(statewide), len(unplaced))
    return Jurisdiction(match.name, match.kind, STATES[match.state_code], match.state_code, rows, match.slug,
                        match.fips, pending, statewide=statewide, unplaced=unplaced, placements=placements,
                        counties=counties, county_agencies=county_agencies, other_towns=other_towns,
                        consolidated=match.consolidated)
