"""The "Here in <jurisdiction>" section, and the job list of --state batches.

Input: a ``Jurisdiction`` (``policybrief.ice.find_jurisdiction``) and the loaded ``Content``.
Output: the section as data (``local_section_text``: a ``ComposedSection`` of catalogue sentences with
their values, ICE's cells as ``Verbatim``), the per-state paragraph that replaces the fixed "State law."
paragraph of a local edition, and the state's rule and barred choices in its options (``block_markdown``), the notices a
batch manifest records (``local_notices``), and the names a ``--state`` batch builds
(``jurisdictions_in_state``). The words are the catalogue's (data/i18n, under ``local.``), in every
register and language; ``render`` composes them (``markup.compose``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import UsageError
from .ice.history import agreement_id
from .ice.rows import ICE_PAGE, name_words
from .validate import HISTORY_SOURCE
from .figures import AGENCY_LIST_SOURCE, PENDING_LIST_SOURCE
from .model import (DEFAULT_LANGUAGE, PARTICIPATION_STANCES, ComposedSection, Content, Joined, Message, Ordinal,
                    PartialDate, Series, Verbatim)

LOG = logging.getLogger(__name__)


def resolve_jurisdiction(name: str, content: Content):
    """Find `name` on ICE's list or in the county gazetteer; unknown or ambiguous names are usage errors."""
    from .ice import JurisdictionError, find_jurisdiction

    if content.agreements is None:
        raise UsageError("--jurisdiction needs ICE's list in data/agreements/ (run update-agreements first)")
    try:
        return find_jurisdiction(name, content.agreements)
    except JurisdictionError as error:  # its message already names the closest candidates
        raise UsageError(str(error)) from None


def state_code_argument(text: str) -> str:
    """A --state value as a USPS code ('tx', 'TX'), or a usage error naming what is accepted."""
    from .ice import STATES

    code = (text or "").strip().upper()
    if code not in STATES:
        raise UsageError(f"--state: expected a two-letter state code such as TX (one of the 50 states, DC or a "
                         f"territory: {', '.join(sorted(STATES))}), got {text!r}")
    return code


def current_counties(code: str) -> list:
    """The counties and county-equivalents of a state, one per FIPS code, by name.

    The Census list that ``addfips`` ships keeps a renamed county under both names (Shannon and Oglala
    Lakota County share 46102); the name not in its 2010 vintage is the current one.
    """
    from .ice.places import places_by_state

    old_names = _vintage_2010_names()
    by_fips: dict[str, object] = {}
    for place in places_by_state().get(code, ()):
        kept = by_fips.get(place.fips)
        if kept is None or (kept.fips, kept.name) in old_names:
            by_fips[place.fips] = place
    return sorted(by_fips.values(), key=lambda place: place.name)


def _vintage_2010_names() -> set[tuple[str, str]]:
    import csv
    from importlib import resources

    try:
        with resources.files("addfips").joinpath("data", "counties_2010.csv").open(encoding="utf-8") as handle:
            return {(row["statefp"] + row["countyfp"], row["name"]) for row in csv.DictReader(handle)}
    except (OSError, KeyError):
        return set()


def jurisdictions_in_state(code: str, content: Content, *, agencies_only: bool = False) -> list[str]:
    """The names a --state batch builds, each resolving to exactly one jurisdiction.

    One per county or county-equivalent of the state (Census list), whether or not it holds an
    agreement, then one per agency that no county brief covers: state agencies, and agencies whose county
    could not be decided. With `agencies_only`, only the counties holding an agreement on ICE's list.
    The District of Columbia, which has no counties, is one brief.
    """
    if content.agreements is None:
        raise UsageError("--state needs ICE's list in data/agreements/ (run update-agreements first)")
    code = state_code_argument(code)
    agreements = content.agreements
    if code == "DC":
        return ["District of Columbia"]
    names = [place.candidate for place in current_counties(code)
             if not agencies_only or agreements.in_county.get(place.fips)]
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(agreements.rows):
        if row.state_code != code or agreements.placements[index].counties or row.agency_key in seen:
            continue
        seen.add(row.agency_key)
        names.append(f"{row.agency}, {code}")
    LOG.info("--state %s: %d briefs (%d agencies no county brief covers)", code, len(names), len(seen))
    return names


# ------------------------------------------------------------------------------------ the section
# The section is data (model.Message and friends): each sentence is a key of the message catalogue
# (data/i18n/<lang>.yaml, under local.*) with its values, composed in the edition's language by the
# renderer (markup.compose). ICE's cells and place names travel as Verbatim: printed as written.

LIST_CAP = 8          # agencies named one by one before "and N more"
OTHER_CAP = 4         # statewide or unplaced agencies named before "and N more"
PLAIN_CAP = 3         # the same in the two-page residents' guide
UPDATE_COMMAND = "generate.py update-agreements --download"  # for the preparer (the manifest), never printed
_URL_RE = re.compile(r"^https?://[A-Za-z0-9.\-]+(?:/[A-Za-z0-9._~%!$&'*+,;=:@/\-]*)?$")
M = Message.of


def _place(jurisdiction) -> Verbatim:
    """The place's own name ('Fulton County' of 'Fulton County, GA'), as the Census writes it."""
    return Verbatim(jurisdiction.name.split(",")[0] if jurisdiction.kind != "state" else jurisdiction.name)


def list_age(content: Content, date: dt.date | None) -> int | None:
    """Days between ICE's agency-level list and the brief's date, or None without a date."""
    if date is None or content.agreements is None:
        return None
    return (date - content.agreements.as_of).days


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def stale_notice(content: Content, date: dt.date | None, register: str = "standard") -> Message | None:
    """A visible notice, written for the reader, when the agency-level list is older than the freshness
    limit at the brief's date, with the address where the current list is."""
    age = list_age(content, date)
    if age is None or age <= content.meta.stale_after_days:
        return None
    months = _months_between(content.agreements.as_of, date)
    age_text = M("local.age_months", count=months) if months >= 2 else M("local.age_days", count=age)
    if register == "plain":
        return M("local.plain.stale", age=age_text, url=ice_page(content))
    return M("local.stale", age=age_text, date=content.agreements.as_of, url=ice_page(content))


def ice_page(content: Content) -> str:
    """The address of ICE's 287(g) page, where a reader can check the current list (from the list's
    provenance; ICE's page when it names none)."""
    url = str(content.agreements.provenance.get("source_url") or "") if content.agreements is not None else ""
    return url if _URL_RE.match(url) else ICE_PAGE


def state_growth(jurisdiction, content: Content) -> tuple[int, int] | None:
    """(agreements in the state on the agency-level list, on ICE's newer state-level count) when the newer
    count is higher: agencies may have signed since the list that names them. None otherwise."""
    counts = getattr(content, "ice_counts", None)
    if counts is None or content.agreements is None or counts.state_as_of <= content.agreements.as_of:
        return None
    older = len(_state_rows(content, jurisdiction.state_code))
    newer_row = counts.state_count(jurisdiction.state)
    newer = newer_row.total if newer_row else 0
    return (older, newer) if newer > older else None


def _list_line(content: Content, register: str) -> Message:
    agreements = content.agreements
    if register == "plain":
        return M("local.plain.list_used", date=agreements.as_of, key=AGENCY_LIST_SOURCE)
    name = agreements.provenance.get("source_file", "")
    if name:
        return M("local.list_read_file", date=agreements.as_of, file=Verbatim(str(name)), key=AGENCY_LIST_SOURCE)
    return M("local.list_read", date=agreements.as_of, key=AGENCY_LIST_SOURCE)


def _state_rows(content: Content, code: str):
    return [row for row in content.agreements.rows if row.state_code == code]


def newer_state_count(jurisdiction, content: Content, register: str = "standard") -> Message | None:
    """The state's count on ICE's newer state-level list and the change since the agency-level list."""
    counts = getattr(content, "ice_counts", None)
    agreements = content.agreements
    if counts is None or counts.state_as_of <= agreements.as_of:
        return None
    older = len(_state_rows(content, jurisdiction.state_code))
    newer_row = counts.state_count(jurisdiction.state)
    newer = newer_row.total if newer_row else 0
    key, old_key = counts.state_source, AGENCY_LIST_SOURCE
    state = jurisdiction.state
    if register == "plain":
        newer_text = (M("local.plain.newer_some", state=state, deals=M("local.plain.deals", count=newer))
                      if newer else M("local.plain.newer_none", state=state))
        older_text = M("local.plain.older_some", count=older) if older else M("local.plain.older_none")
        return M("local.plain.newer_count", date=counts.state_as_of, newer=newer_text,
                 old_date=agreements.as_of, older=older_text, key=key, old_key=old_key)
    if newer:
        # The rank on the newer list itself (ties share a rank), so it reads as current.
        ahead = sum(1 for row in counts.states if row.total > newer)
        listed = sum(1 for row in counts.states if row.total)
        counted = M("local.newer_ranked", count=newer, state=state, rank=Ordinal(ahead + 1), listed=listed)
    else:
        counted = M("local.newer_none", state=state)
    if older:
        direction = "up" if newer > older else "down" if newer < older else "unchanged"
        earlier = M(f"local.older_{direction}", older=older, total=len(agreements.rows), date=agreements.as_of)
    else:
        earlier = M("local.older_none", date=agreements.as_of)
    return M("local.newer_count", date=counts.state_as_of, counted=counted, earlier=earlier, key=key, old_key=old_key)


# The catalogue's short name of each model, for links and histories ('jail model agreement').
MODEL_SHORT = {"Jail Enforcement Model": "local.model_short.jail", "Task Force Model": "local.model_short.task_force",
               "Warrant Service Officer": "local.model_short.warrant"}


def _short_model(model: str):
    return M(MODEL_SHORT[model]) if model in MODEL_SHORT else Verbatim(model)


def _model_phrase(rows) -> Joined:
    parts = [M("local.model_signed", model=Verbatim(row.model), date=row.signed) if row.signed
             else M("local.model_undated", model=Verbatim(row.model))
             for row in sorted(rows, key=lambda r: (r.model, r.signed or dt.date.min))]
    return Joined(tuple(parts), "; ")


def _documents(rows) -> Message | None:
    """Links to the agreement documents ICE publishes (MOA and addendum), where ICE links one."""
    links, seen = [], set()
    for row in sorted(rows, key=lambda r: r.model):
        for label, url in (("local.document.agreement", row.moa), ("local.document.addendum", row.addendum)):
            url = (url or "").strip()
            if _URL_RE.match(url) and (row.model if len(rows) > 1 else "", label, url) not in seen:
                seen.add((row.model if len(rows) > 1 else "", label, url))
                name = (M("local.document.of_model", model=_short_model(row.model), document=M(label))
                        if len(rows) > 1 else M(label))
                links.append(M("local.document.link", label=name, url=url))
    if any((row.moa or "").strip().lower() == "link pending" for row in rows):
        links.append(M("local.document.pending"))
    return M("local.document.links", links=Joined(tuple(links), ", ")) if links else None


def _history(rows, content: Content) -> Message:
    """What the data can say of this jurisdiction's agreements over time: from history.csv, when each was
    first on ICE's lists; else the signing dates alone, and what one list cannot show."""
    history = content.history
    if history is not None:
        known = history.by_id()
        parts = []
        for row in sorted(rows, key=lambda row: (row.agency, row.model)):
            found = known.get(agreement_id(row.state_code, row.agency, row.model))
            if found is not None and found.first_seen is not None:
                since = "local.listed_by" if found.first_seen <= history.first_list else "local.listed_since"
                parts.append(M(since, agency=Verbatim(row.agency), model=_short_model(row.model), date=found.first_seen))
        if parts:
            return M("local.on_lists", date=history.newest_list, agreements=Series(tuple(parts), LIST_CAP),
                     key=HISTORY_SOURCE)
    dated = sorted((row for row in rows if row.signed), key=lambda row: row.signed)
    if not dated:
        first = M("local.first_undated")
    else:
        models = {}
        for row in dated:
            models.setdefault(row.model, row.signed)
        added = [M("local.model_added", model=Verbatim(model), date=day)
                 for model, day in models.items() if day > dated[0].signed]
        first = M("local.first_signed", date=dated[0].signed, model=Verbatim(dated[0].model))
        if added:
            first = M("local.first_signed_added", first=first, added=Joined(tuple(added), "; "))
    return M("local.history", first=first, date=content.agreements.as_of, key=AGENCY_LIST_SOURCE)


def departed_here(jurisdiction, content: Content) -> list:
    """The agreements of agencies based here that were on ICE's lists and are not on the newest
    (history.csv)."""
    history = content.history
    if history is None:
        return []
    return _based_here(jurisdiction, [row for row in history.for_state(jurisdiction.state_code) if row.left])


def _based_here(jurisdiction, rows: list) -> list:
    """The rows of the jurisdiction's state (each with a state and an agency name, no county cell) whose
    agency is based here: a state's, all of them; a county's, those place_link puts in it; a city's, those
    whose name starts with the city's."""
    from .ice.moa_links import place_link

    if jurisdiction.kind == "state":
        return rows
    if jurisdiction.kind == "county" and jurisdiction.fips:
        return [row for row in rows if any(county.fips == jurisdiction.fips for county in place_link(row).counties)]
    if jurisdiction.kind == "city":
        words = tuple(name_words(jurisdiction.name.split(",")[0]))
        return [row for row in rows if tuple(name_words(row.agency))[:len(words)] == words]
    return []


def _departed_block(jurisdiction, content: Content) -> list[Message]:
    """Agreements here that left ICE's lists, with the two list dates between which each left."""
    rows = departed_here(jurisdiction, content)
    if not rows:
        return []
    if jurisdiction.kind == "state" or len(rows) > LIST_CAP:
        years = Counter(row.last_seen.year for row in rows)
        by_year = Joined(tuple(M("local.last_listed_in", count=count, year=str(year))
                               for year, count in sorted(years.items())), ", ")
        return [M("local.departed_many", count=len(rows), name=Verbatim(jurisdiction.name),
                  date=content.history.first_list, by_year=by_year, key=HISTORY_SOURCE)]
    items = [M("local.departed_item", agency=Verbatim(row.agency), model=_short_model(row.model),
               last_seen=row.last_seen, first_absent=row.first_absent)
             for row in sorted(rows, key=lambda row: (row.last_seen, row.agency))]
    return [M("local.departed", items=Joined(tuple(items), "; "), key=HISTORY_SOURCE)]


def _placement_notes(jurisdiction, rows) -> list:
    """How the rows of a county's or city's section were placed there, where that is not ICE's own
    COUNTY cell: corrected spellings, towns in several counties, and city departments (one sentence)."""
    notes, by_town = [], []
    for row in rows:
        placed = jurisdiction.placement(row) if hasattr(jurisdiction, "placement") else None
        if placed is None or not placed.note:
            continue
        if placed.how == "city" and len(placed.counties) == 1 and not row.county.strip():
            if jurisdiction.kind == "county":  # ICE gave no county: placed by its town
                by_town.append(row.agency)
        elif placed.how in ("corrected", "city", "county-cell", "source") and Verbatim(placed.note) not in notes:
            notes.append(Verbatim(placed.note))  # the gazetteer's English, quoting ICE's cells
    if by_town:
        names = sorted(set(by_town))
        notes.insert(0, M("local.placed_by_town", count=len(names),
                          names=Series(tuple(Verbatim(name) for name in names), OTHER_CAP), place=_place(jurisdiction)))
    return notes


def _statewide_agencies(jurisdiction) -> dict[str, list]:
    by_agency: dict[str, list] = {}
    for row in getattr(jurisdiction, "statewide", []) or []:
        by_agency.setdefault(row.agency, []).append(row)
    return by_agency


def no_local_agency_sentence(jurisdiction, content: Content) -> Message:
    """The opening of a county's or city's section when no agency based there is on ICE's list. It never says
    'no agreement here': a state agency's agreement may reach every county, and an agency ICE lists
    without a county may be based here."""
    key = AGENCY_LIST_SOURCE
    place, as_of = _place(jurisdiction), content.agreements.as_of
    if jurisdiction.kind == "state":
        return M("local.none_based_state", place=place, date=as_of, key=key)
    statewide = _statewide_agencies(jurisdiction)
    # A town: its own (municipal) agencies here; its county's follow (_county_block).
    prefix = "city_none" if _a_town(jurisdiction) else "none_based"
    if statewide:
        named = Series(tuple(_agency_models(agency, rows) for agency, rows in sorted(statewide.items())), OTHER_CAP)
        single = len(statewide) == 1 and len(next(iter(statewide.values()))) == 1
        sentence = M(f"local.{prefix}_statewide_single" if single else f"local.{prefix}_statewide",
                     count=len(statewide), place=place, date=as_of, state=jurisdiction.state, names=named, key=key)
    else:
        sentence = M(f"local.{prefix}", place=place, date=as_of, state=jurisdiction.state, key=key)
    return Joined((sentence, _may_have_joined(jurisdiction, content, place)))


def _may_have_joined(jurisdiction, content: Content, place: Verbatim) -> Message | None:
    """What a newer count says against a negative: the state's agreements grew after the list that names
    agencies, so an agency here may be among them; where the reader can check. None when no newer data
    set disagrees."""
    linked = linked_here(jurisdiction, content)
    if linked:
        links = content.moa_links
        agencies = len({row.agency_key for row in linked})
        return M("local.linked_here", count=len(linked), date=links.as_of,
                 whose=M("local.whose_one" if agencies == 1 else "local.whose_many"), key=links.provenance["source"])
    growth = state_growth(jurisdiction, content)
    if growth is None:
        return None
    older, newer = growth
    counts = content.ice_counts
    return M("local.may_have_joined", date=counts.state_as_of, difference=newer - older, state=jurisdiction.state,
             place=place, url=ice_page(content), key=counts.state_source)


def _in_a_county(jurisdiction) -> bool:
    """A city or town within a county (or counties) that has a government of its own: not an independent
    city, a county-equivalent, or a city whose counties have none (New York City)."""
    return (_a_town(jurisdiction) and not getattr(jurisdiction, "consolidated", False)
            and jurisdiction.state_code not in NO_COUNTY_GOVERNMENTS)


# States whose counties have no governments, so no county agency to name: Connecticut (whose counties the
# Census now replaces by planning regions) and Rhode Island.
NO_COUNTY_GOVERNMENTS = frozenset({"CT", "RI"})


def _a_town(jurisdiction) -> bool:
    """A city or town of the gazetteer or of ICE's list, not a county-equivalent (an independent city)."""
    return jurisdiction.kind == "city" and not jurisdiction.fips and bool(getattr(jurisdiction, "counties", ()))


def _unit(counties) -> str:
    """'parish' (Louisiana), 'borough' (Alaska) or 'county': what the place's counties are called."""
    for suffix, unit in ((" Parish", "parish"), (" Borough", "borough")):
        if all(place.name.endswith(suffix) for place in counties):
            return unit
    return "county"


def _agency_models(agency: str, rows) -> Message:
    """'Harris County Sheriff's Office (Jail Enforcement Model, Task Force Model)'."""
    return M("local.agency_models", agency=Verbatim(agency),
             models=Verbatim(", ".join(sorted({row.model for row in rows}))))


def _agency_items(rows) -> Joined:
    by_agency: dict[str, list] = {}
    for row in rows:
        by_agency.setdefault(row.agency, []).append(row)
    return Joined(tuple(_agency_models(agency, agency_rows)
                        for agency, agency_rows in sorted(by_agency.items())[:LIST_CAP]), "; ")


def _county_block(jurisdiction, content: Content) -> list[Message]:
    """A town's county: the county agencies on ICE's list that serve it too (a sheriff's office, a jail),
    or that there are none; other towns' agencies there; and that the county's agreements are its own.
    A county the gazetteer gives by the town's centre is said to be that, not the whole town's."""
    if not _in_a_county(jurisdiction):
        return []
    key, as_of = AGENCY_LIST_SOURCE, content.agreements.as_of
    counties = Series(tuple(Verbatim(place.name) for place in jurisdiction.counties))
    count, unit, place = len(jurisdiction.counties), _unit(jurisdiction.counties), _place(jurisdiction)
    values = dict(place=place, counties=counties, count=count, date=as_of, key=key,
                  title=M(f"local.unit_title.{unit}", count=count), unit=M(f"local.unit.{unit}", count=1),
                  units=M(f"local.unit.{unit}", count=2))
    if jurisdiction.county_agencies:
        sentences = [M("local.city_county", items=_agency_items(jurisdiction.county_agencies), **values)]
        held = {fips for row in jurisdiction.county_agencies for fips in jurisdiction.placement(row).fips}
        without = [county for county in jurisdiction.counties if county.fips not in held]
        if without and count > 1:  # 'No county agency of Harris County was on the list'
            sentences.append(M("local.city_county_none_of", key=key,
                               counties=Series(tuple(Verbatim(county.name) for county in without))))
    else:
        sentences = [M("local.city_county_none", **values)]
    if jurisdiction.other_towns:
        names = sorted({row.agency for row in jurisdiction.other_towns})
        sentences.append(M("local.city_other_towns", counties=counties, key=key,
                           items=Series(tuple(Verbatim(name) for name in names), OTHER_CAP)))
    if jurisdiction.county_agencies:
        holders = sorted({row.agency for row in jurisdiction.county_agencies})
        sentences.append(M("local.city_who_holds", place=place,
                           holders=Series(tuple(Verbatim(name) for name in holders), OTHER_CAP)))
    return [Joined(tuple(sentences))]


def _agency_block(jurisdiction, content: Content) -> list:
    agreements = content.agreements
    key = AGENCY_LIST_SOURCE
    rows = list(jurisdiction.agreements)
    if not rows:
        return [no_local_agency_sentence(jurisdiction, content)] + _county_block(jurisdiction, content)
    by_agency: dict[str, list] = {}
    for row in rows:
        by_agency.setdefault(row.agency, []).append(row)
    lead = M("local.agencies_here", date=agreements.as_of, agreements=M("local.agreements", count=len(rows)),
             agencies=M("local.agencies", count=len(by_agency)), name=Verbatim(jurisdiction.name))
    if jurisdiction.kind == "state":
        types = Counter(row.agency_type for row in rows)
        return [M("local.by_type", lead=lead, key=key, types=Joined(tuple(
            M("local.type_count", count=count, type=Verbatim(kind.lower())) for kind, count in types.most_common()), ", "))]
    paragraphs: list = [M("local.lead", lead=lead, key=key)]
    lines = [M("local.agency_item", agency=Verbatim(agency),
               details=Joined((_model_phrase(agency_rows), _documents(agency_rows))))
             for agency, agency_rows in sorted(by_agency.items())[:LIST_CAP]]
    if len(by_agency) > LIST_CAP:
        lines.append(M("local.more_agencies", count=len(by_agency) - LIST_CAP))
    paragraphs.append(Joined(tuple(lines), "\n"))
    notes = _placement_notes(jurisdiction, rows)
    placed = None
    if notes:
        shown = Joined(tuple(notes[:OTHER_CAP]), "; ")
        placed = (M("local.placed_more", notes=shown, count=len(notes) - OTHER_CAP) if len(notes) > OTHER_CAP
                  else M("local.placed", notes=shown))
    paragraphs.append(Joined((placed, _history(rows, content))))
    return paragraphs + _county_block(jurisdiction, content)


def linked_here(jurisdiction, content: Content) -> list:
    """The agreements ICE's newer sheet links documents for (data/agreements/moa_links.csv) in this place
    that the agency-level list lacks: a county's agencies as place_link places them, a city's own agencies
    (their names start with the city's), or a state's. Positive evidence only: absence proves nothing."""
    links, agreements = content.moa_links, content.agreements
    if links is None or agreements is None:
        return []
    return _based_here(jurisdiction, [row for row in links.not_on_list(agreements.rows, jurisdiction.state_code)
                                      if row.document_type == "MOA"])


def _linked_block(jurisdiction, content: Content) -> list[Message]:
    """The newer sheet's agreements here, with the limits of that evidence."""
    rows = linked_here(jurisdiction, content)
    if not rows:
        return []
    links = content.moa_links
    key = links.provenance["source"]
    lead = M("local.linked_lead", date=links.as_of)
    if jurisdiction.kind == "state" or len(rows) > LIST_CAP:
        models = Counter(row.model for row in rows)
        listed = Joined(tuple(M("local.model_count", count=count, model=Verbatim(model))
                              for model, count in models.most_common()), ", ")
        return [M("local.linked_many", lead=lead, agreements=M("local.agreements", count=len(rows)),
                  agencies=M("local.agencies", count=len({row.agency_key for row in rows})),
                  name=Verbatim(jurisdiction.name), listed=listed, key=key)]
    items = [M("local.linked_item", agency=Verbatim(row.agency), model=Verbatim(row.model), date=row.signed)
             if row.signed else M("local.linked_item_undated", agency=Verbatim(row.agency), model=Verbatim(row.model))
             for row in sorted(rows, key=lambda row: (row.agency, row.model))]
    return [M("local.linked_items", lead=lead, items=Joined(tuple(items), "; "), key=key)]


def _others_block(jurisdiction, content: Content) -> list[Message]:
    """State agencies and unplaced agencies of the state: listed in every local section of the state."""
    statewide = sorted({row.agency for row in getattr(jurisdiction, "statewide", [])})
    if not list(jurisdiction.agreements):
        statewide = []  # already named in the section's opening (no_local_agency_sentence)
    unplaced = sorted({row.agency for row in getattr(jurisdiction, "unplaced", [])})
    parts = []
    if statewide:
        parts.append(M("local.others_statewide", count=len(statewide),
                       names=Series(tuple(Verbatim(name) for name in statewide), OTHER_CAP)))
    if unplaced:
        parts.append(M("local.others_unplaced", count=len(unplaced),
                       names=Series(tuple(Verbatim(name) for name in unplaced), OTHER_CAP)))
    if not parts:
        return []
    return [M("local.others", state=jurisdiction.state, key=AGENCY_LIST_SOURCE,
              parts=Joined((parts[0], *(M("local.others_and", part=part) for part in parts[1:])), "; "))]


def _statewide_paragraph(jurisdiction, content: Content) -> Message:
    agreements = content.agreements
    key = AGENCY_LIST_SOURCE
    state_rows = _state_rows(content, jurisdiction.state_code)
    ranking = list(agreements.by_state())
    if not state_rows:
        return M("local.state_none", state=jurisdiction.state, states=len(ranking), key=key)
    models = Counter(row.model for row in state_rows)
    return M("local.state_share", state=jurisdiction.state, count=len(state_rows), total=len(agreements.rows),
             share=f"{100 * len(state_rows) / len(agreements.rows):.1f}",
             rank=ranking.index(jurisdiction.state) + 1, states=len(ranking), key=key,
             models=Joined(tuple(M("local.model_count", count=count, model=Verbatim(model))
                                 for model, count in models.most_common()), ", "))


def state_entry_text(jurisdiction, content: Content, register: str, lang: str = DEFAULT_LANGUAGE):
    """The jurisdiction's own state's entry in data/states.yaml: Markdown with its citations (or, for a
    state with no entry, the sentence that says so)."""
    accessor = getattr(content, "state_entry", None)
    entry = accessor(jurisdiction.state_code) if callable(accessor) else None
    if entry is None:
        return M("local.no_entry", state=jurisdiction.state)
    # The two-page guide and the condensed local paragraph: the measures on participation itself
    # (a state's bar on local limits is in the options sentence and the state table).
    if register in ("plain", "brief"):
        kept = tuple(m for m in entry.measures if m.stance in PARTICIPATION_STANCES)
        if kept:
            entry = replace(entry, measures=kept)
    return entry.summary(register, lang)


def state_law_paragraph(jurisdiction, content: Content, register: str, lang: str = DEFAULT_LANGUAGE) -> Message:
    """'**State law in Georgia.** ...': the state's entry, for the paragraph a local edition localises."""
    return M("local.state_law", state=jurisdiction.state, text=state_entry_text(jurisdiction, content, register, lang))


OPTIONS_HOOK = "The local section gives this state's rule."


def state_rule_sentence(jurisdiction, content: Content, register: str) -> Message:
    """'**In Georgia:** state law requires agencies to seek or hold an agreement (...), so declining ...': the
    jurisdiction's own state's rule, for the options of a local edition."""
    accessor = getattr(content, "state_entry", None)
    entry = accessor(jurisdiction.state_code) if callable(accessor) else None
    state = jurisdiction.state
    if entry is None or not entry.measures:
        searched = entry.search.date if entry is not None and entry.search else None
        plain = "plain" if register == "plain" else "standard"
        if searched is None:
            return M(f"local.rule.none_{plain}", state=state)
        return M(f"local.rule.none_searched_{plain}", state=state, date=searched)
    parts = []
    for policy in entry.measures:
        words = (M("local.rule.mandate_whom", whom=_whom([policy]))
                 if policy.stance == "mandate" and policy.binds else M(f"local.rule.{policy.stance}"))
        parts.append(M("local.rule.part", words=words, measure=policy.measure,
                       consequence=M(f"local.rule.consequence.{policy.stance}")))
    keys = _keys(entry.measures, register)
    rule = Joined((parts[0], *(M("local.rule.also", part=part) for part in parts[1:])), "; ")
    if keys:
        return M("local.rule.cited", state=state, rule=rule, keys=keys)
    return M("local.rule.uncited", state=state, rule=rule)


def localise_block(block_id: str, text: str, jurisdiction, content: Content, register: str,
                   lang: str = DEFAULT_LANGUAGE):
    """A block's Markdown for a local edition, as a composed value: its fixed '**State law.**' paragraph
    becomes the jurisdiction's own state's entry, and the options block states the jurisdiction's own
    state's rule (in place of its pointer to the local section, or after its first paragraph). Other
    blocks are returned unchanged (their Markdown)."""
    if jurisdiction is None:
        return text
    if block_id == "options":
        rule = Joined((state_rule_sentence(jurisdiction, content, register), _who_decides(jurisdiction, content, register, lang)))
        if OPTIONS_HOOK in text:
            before, after = text.split(OPTIONS_HOOK, 1)
            return Joined((before, rule, after), "")
        paragraphs = re.split(r"\n\s*\n", text.strip())
        return Joined((Joined((paragraphs[0], rule)), *paragraphs[1:]), "\n\n")
    if "**State law.**" not in text:
        return text
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return Joined(tuple(state_law_paragraph(jurisdiction, content, register, lang)
                        if paragraph.lstrip().startswith("**State law.**") else paragraph
                        for paragraph in paragraphs), "\n\n")


def block_markdown(block, jurisdiction, content: Content, register: str, lang: str = DEFAULT_LANGUAGE):
    """A block as the edition prints it (a composed value): its text, localised for a local edition
    (localise_block), then its choices, each marked where the jurisdiction's state bars it."""
    text = localise_block(block.id, block.text.get(register, lang), jurisdiction, content, register, lang)
    if not block.choices:
        return text
    choices = [_choice_here(choice, choice.text.get(register, lang), jurisdiction, content)
               for choice in block.choices]
    # List items ('- **Decline.** ...') make one list; paragraphs stay paragraphs.
    listed = all(choice.text.get(register, lang).startswith("- ") for choice in block.choices)
    return Joined((text, Joined(tuple(choices), "\n" if listed else "\n\n")), "\n\n")


_CHOICE_TITLE_RE = re.compile(r"^((?:- )?\*\*[^*]+\*\*)")


def _barring(entry, kind: str) -> list:
    return [policy for policy in entry.measures if kind in policy.bars]


def _whom(measures) -> Series:
    """Whom the measures bind, each once, in the catalogue's words ('the sheriffs or officials who run county jails')."""
    return Series(tuple(dict.fromkeys(M(f"options.bound.{bound}") for policy in measures for bound in policy.binds)))


def _keys(measures, register: str = "brief") -> str:
    from .cite import citations_in

    keys = [item.key for policy in measures for item in citations_in(policy.text.get("brief") or policy.text.get(register))]
    return "; @".join(dict.fromkeys(keys))


def _choice_here(choice, text: str, jurisdiction, content: Content):
    """A choice as a local edition prints it: unchanged where the state bars nothing of it; where a measure
    that binds the city or county bars it, its title and 'Not open in <state>' with the measure and its
    citation; where a measure bars it only for others (the sheriffs who run jails, the state's agencies),
    the text followed by whom it binds."""
    entry = content.state_entry(jurisdiction.state_code) if jurisdiction is not None else None
    if entry is None:
        return text
    barring = _barring(entry, choice.kind)
    banned = [policy for policy in _barring(entry, "join") if "local" in policy.binds]
    if not barring and banned and choice.kind in ("conditions", "leave"):
        # Where no agreement may be signed, there is none to attach conditions to or to leave.
        keys = _keys(banned)
        return Joined((text, M("options.moot" if keys else "options.moot_uncited", state=jurisdiction.state, keys=keys)))
    if not barring:
        return text
    # "Not open" where a measure binds the place's own agencies (local); one that binds only the governing
    # body (a town may not impede its agency's agreement), the jails or the state says whom it binds.
    local = [policy for policy in barring if "local" in policy.binds]
    state = jurisdiction.state
    if choice.kind == "conditions":
        # A bar on local limits rules out conditions that limit cooperation, not every condition (public
        # reporting, an audit): the choice stays, with the limit and its citation.
        keys = _keys(barring)
        return Joined((text, M("options.limits" if keys else "options.limits_uncited", state=state, keys=keys,
                               measures=Joined(tuple(policy.measure for policy in barring), "; "))))
    if local:
        title, keys = _CHOICE_TITLE_RE.match(text)[1], _keys(local)
        if not re.search(r"[.?!:]\*\*$", title):  # a title that ran on into its sentence ends here
            title = title[:-2] + ".**"
        return M("options.barred" if keys else "options.barred_uncited", title=title, state=state, keys=keys,
                 measures=Joined(tuple(policy.measure for policy in local), "; "))
    whom = _whom(barring)
    keys = _keys(barring)
    return Joined((text, M("options.bars_for" if keys else "options.bars_for_uncited", state=state, whom=whom,
                           keys=keys, measures=Joined(tuple(policy.measure for policy in barring), "; "))))


def _who_decides(jurisdiction, content: Content, register: str, lang: str):
    """'**Who decides in <state>:** ...' from the state's entry (who signs, who must approve, penalties), and
    what a mandate that binds others leaves to a council. None when the entry records neither."""
    entry = content.state_entry(jurisdiction.state_code)
    if entry is None:
        return None
    parts = []
    if entry.decides is not None:
        # The condensed registers take the decides' plain version when it has no brief one: a paragraph of
        # options has room for one sentence on it.
        wanted = "plain" if register == "brief" and "brief" not in entry.decides.registers() else register
        parts.append(M("options.who_decides", state=jurisdiction.state, text=entry.decides.get(wanted, lang)))
    mandates = [policy for policy in entry.measures if policy.stance == "mandate"]
    if mandates and not any(policy.binds_localities for policy in mandates):
        whom = _whom(mandates)
        keys = _keys(mandates)
        # A mandate on the state's own agencies leaves every local agency free; one on the jails leaves
        # city police departments (what an attorney general makes of a council's refusal is the entry's
        # `decides`, printed before this).
        name = "still_decides_state" if all(set(policy.binds) == {"state"} for policy in mandates) else "still_decides"
        parts.append(M(f"options.{name}" if keys else f"options.{name}_uncited", state=jurisdiction.state,
                       whom=whom, keys=keys))
    return Joined(tuple(parts)) if parts else None


def _jurisdiction_fips(jurisdiction) -> set[str]:
    codes = {jurisdiction.fips} if getattr(jurisdiction, "fips", None) else set()
    codes.update(place.fips for place in getattr(jurisdiction, "counties", ()) or ())
    if jurisdiction.kind in ("state", "state-agency"):
        codes.add(jurisdiction.state_code)
    return codes


def tagged_facts(jurisdiction, content: Content, register: str) -> list[Message]:
    """Figures and dated events of data/ tagged (`places:`) with this jurisdiction's county or state."""
    codes = _jurisdiction_fips(jurisdiction)
    if not codes:
        return []
    lines = []
    for figure in sorted(content.figures.values(), key=lambda figure: (figure.as_of, figure.id)):
        if codes & set(getattr(figure, "places", ()) or ()):
            lines.append(M("local.fact_figure", label=figure.label[:1].upper() + figure.label[1:],
                           figure=f"{{fig:{figure.id}}}", date=figure.as_of))
    for event in content.events:
        if codes & set(getattr(event, "places", ()) or ()):
            lines.append(M("local.fact_event", date=event.date, text=event.text.get(register)))
    return lines


@dataclass(frozen=True)
class LocalFact:
    """One fact a preparer added with --local-facts: a figure (printed with its value and source note) or
    a dated event (printed with its own citations)."""

    label: str
    markdown: str       # '{fig:jail_population}' or the event's text
    as_of: PartialDate


LOCAL_FACTS_KEYS = ("references", "figures", "events")


def with_local_facts(path: Path, content: Content, audience_key: str | None = None) -> Content:
    """`content` with a --local-facts file's sources, figures and events added (a new Content; the given one is
    left as it was).

    The file has the layout of the data folder's own files, and is checked by the same code with the
    same 'file:line: key: expected ..., got ...' messages: `references:` as in sources.yaml (for sources
    not already there), `figures:` as in figures.yaml (each with value, unit, as_of, source, label),
    `events:` as in timeline.yaml (date and text with [@source] citations). For an edition in another
    language (`audience_key`), each figure needs its label there (`es: {label: ...}`) and each event its
    text (`text: {es: {plain: ...}}`): a fact without one is an error, never English in that edition.
    Raises ``DataError``.
    """
    from .errors import DataError
    from .load import read_yaml
    from .validate import Collector, cross_references, parse_events, parse_figures, parse_sources

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"--local-facts: no such file: {path}")
    import dataclasses

    raw, problems = read_yaml(path, path.resolve().parent)
    # Problems name the file as the user wrote it ('facts.yaml:14: ...').
    problems = [dataclasses.replace(problem, file=str(path)) for problem in problems]
    if raw is None:
        raise DataError(problems)
    raw.label = str(path)
    collector = Collector()
    collector.problems.extend(problems)
    data = raw.data
    if not isinstance(data, dict):
        collector.add(raw, "", f"expected a mapping with {', '.join(LOCAL_FACTS_KEYS)}, got "
                               f"{type(data).__name__ if data is not None else 'nothing'}")
        raise DataError(collector.problems)
    for key in data:
        if key not in LOCAL_FACTS_KEYS:
            collector.add(raw, str(key), f"expected one of {', '.join(LOCAL_FACTS_KEYS)}, got {key!r}")
    sources = parse_sources(collector, raw) if "references" in data else {}
    figures = parse_figures(collector, raw) if "figures" in data else {}
    events = parse_events(collector, raw) if "events" in data else []
    if "figures" not in data and "events" not in data:
        collector.add(raw, "", "expected at least one of figures or events, got neither")
    for index, entry in enumerate(data.get("references") or []):
        if isinstance(entry, dict) and entry.get("id") in content.sources:
            collector.add(raw, f"references[{index}].id", f"expected an id not already in sources.yaml, got "
                                                           f"{entry.get('id')!r}")
    for figure_id in (data.get("figures") or {}) if isinstance(data.get("figures"), dict) else {}:
        if figure_id in content.figures:
            collector.add(raw, f"figures.{figure_id}", f"expected a figure id not already in figures.yaml, got "
                                                       f"{figure_id!r}")
    cross_references(collector, {**content.sources, **sources}, {**content.figures, **figures}, raw)
    lang = content.audiences[audience_key].lang if audience_key in content.audiences else DEFAULT_LANGUAGE
    figures, texts = _facts_in_language(collector, raw, data, figures, events, lang, audience_key)
    if collector.problems:
        raise DataError(collector.problems)
    facts = [LocalFact(figure.label, f"{{fig:{figure.id}}}", figure.as_of) for figure in figures.values()]
    facts += [LocalFact(event.label or "", text, event.date) for event, text in zip(events, texts)]
    LOG.info("--local-facts %s: %d figures, %d events, %d new sources", path, len(figures), len(events), len(sources))
    return dataclasses.replace(content, sources={**content.sources, **sources}, figures={**content.figures, **figures},
                               local_facts=tuple(facts))


def _facts_in_language(collector, raw, data: dict, figures: dict, events: list, lang: str, audience_key):
    """The figures (with their labels) and event texts an edition in `lang` prints; a fact with no version
    in that language is a problem naming its key ('events[0].text.es.plain')."""
    import dataclasses

    from .i18n import LANGUAGE_NAMES
    from .model import MissingTranslation

    if lang == DEFAULT_LANGUAGE:
        return figures, [event.text.get("standard") for event in events]
    wanted = f"expected a {LANGUAGE_NAMES.get(lang, lang)} text for the {audience_key} edition, found none"
    entries = data.get("figures") if isinstance(data.get("figures"), dict) else {}
    translated = {}
    for figure_id, figure in figures.items():
        version = entries.get(figure_id, {}).get(lang)
        label = version.get("label") if isinstance(version, dict) else None
        if not (isinstance(label, str) and label.strip()):
            collector.add(raw, f"figures.{figure_id}.{lang}.label", wanted)
            continue
        translated[figure_id] = dataclasses.replace(figure, label=label.strip())
    texts = []
    for index, event in enumerate(events):
        try:
            texts.append(event.text.get("plain", lang))
        except MissingTranslation:
            collector.add(raw, f"events[{index}].text.{lang}.plain", wanted)
    return translated, texts


def clerk_facts_block(content: Content, register: str) -> Message | None:
    """The facts a preparer supplied with --local-facts, in their own labelled block (in the preparer's
    words: a Spanish edition prints them as written, with its own heading and dates)."""
    facts = content.local_facts
    if not facts:
        return None
    lines = []
    for fact in facts:
        if fact.markdown.startswith("{fig:"):
            lines.append(M("local.fact_figure", label=Verbatim(fact.label[:1].upper() + fact.label[1:]),
                           figure=fact.markdown, date=fact.as_of))
        else:
            lines.append(M("local.fact_event", date=fact.as_of, text=fact.markdown))
    heading = M("local.plain.clerk_heading" if register == "plain" else "local.clerk_heading")
    return M("local.clerk_block", heading=heading, lines=Joined(tuple(lines), "\n"))


def local_section(jurisdiction, content: Content, register: str = "standard", *, date: dt.date | None = None,
                  state_law_shown: bool = False, lang: str = DEFAULT_LANGUAGE) -> tuple:
    """The local section's paragraphs (composed values); every statement cites ICE's list, a figure or a
    state measure. `date` is the brief's date (for the out-of-date notice); `state_law_shown` says the
    edition already printed the state's entry, so the section does not repeat it."""
    if register == "plain":
        return _plain_section(jurisdiction, content, date=date, lang=lang)
    newer = newer_state_count(jurisdiction, content, register)
    # One opening paragraph: which list, how old, and what ICE's newer count says of the state.
    paragraphs: list = [Joined((_list_line(content, register), stale_notice(content, date, register), newer))]
    block = _agency_block(jurisdiction, content)
    pending = _pending_sentence(jurisdiction, content.agreements)
    if pending:
        block[0] = Joined((block[0], pending))
    paragraphs += block + _linked_block(jurisdiction, content) + _departed_block(jurisdiction, content)
    if jurisdiction.kind != "state":
        paragraphs += _others_block(jurisdiction, content)
    if not newer:
        paragraphs.append(_statewide_paragraph(jurisdiction, content))
    if not state_law_shown:
        # The condensed register of the state's entry: the full measures are in the edition's state table.
        law_register = "brief" if register in ("standard", "technical") else register
        paragraphs.append(M("local.state_law_or_policy", text=state_entry_text(jurisdiction, content, law_register, lang)))
    facts = tagged_facts(jurisdiction, content, register)
    if facts:
        paragraphs.append(M("local.on_record", facts=Joined(tuple(facts[:LIST_CAP]), "\n")))
    clerk = clerk_facts_block(content, register)
    if clerk:
        paragraphs.append(clerk)
    return tuple(paragraphs)


def _pending_sentence(jurisdiction, agreements) -> Message | None:
    if agreements.pending_as_of is None:
        return None  # no pending list ships (ICE has published none of the list's date): nothing to say
    key, as_of = PENDING_LIST_SOURCE, agreements.pending_as_of
    pending = list(jurisdiction.pending)
    name = Verbatim(jurisdiction.name)
    if not pending:
        return M("local.pending_none", date=as_of, name=name, key=key)
    if jurisdiction.kind == "state" or len(pending) > 3:
        models = Counter(row.model for row in pending)
        listed = M("local.by_model", models=Joined(tuple(M("local.model_count", count=count, model=Verbatim(model))
                                                          for model, count in models.most_common()), ", "))
    else:
        listed = Joined(tuple(M("local.agency_models", agency=Verbatim(row.agency), models=Verbatim(row.model))
                              for row in pending), "; ")
    return M("local.pending", date=as_of, count=len(pending), name=name, listed=listed, key=key)


def _plain_section(jurisdiction, content: Content, *, date: dt.date | None = None,
                   lang: str = DEFAULT_LANGUAGE) -> tuple:
    """The local section in plain language, short enough for the two-page community edition. Place and
    agency names stay as ICE and the Census write them."""
    agreements = content.agreements
    list_key = AGENCY_LIST_SOURCE
    rows = list(jurisdiction.agreements)
    agencies = sorted({row.agency for row in rows})
    statewide = _statewide_agencies(jurisdiction) if jurisdiction.kind != "state" else {}

    def capped(names) -> Series:  # the two-page guide names fewer agencies one by one
        return Series(tuple(Verbatim(name) for name in names), PLAIN_CAP, PLAIN_CAP - 1)

    city = _a_town(jurisdiction)
    if not rows and statewide:
        lines = [M("local.plain.city_none_here_statewide" if city else "local.plain.none_here_statewide",
                   count=len(statewide), state=jurisdiction.state, names=capped(sorted(statewide)),
                   place=_place(jurisdiction))]
    elif not rows:
        lines = [M("local.plain.city_none_here", place=_place(jurisdiction)) if city else M("local.plain.none_here")]
    elif jurisdiction.kind == "state" or len(agencies) > 3:
        lines = [M("local.plain.deals_held", deals=M("local.plain.deals", count=len(rows)),
                   agencies=M("local.plain.agencies", count=len(agencies)))]
    else:
        deals = Joined(tuple(M("local.plain.deal", agency=Verbatim(row.agency), model=Verbatim(row.model))
                             for row in rows), "; ")
        lines = [M("local.plain.deals_listed", deals=M("local.plain.deals", count=len(rows)), list=deals)]
    linked = linked_here(jurisdiction, content)
    if linked and jurisdiction.kind != "state":
        # ICE's newer sheet links deals here that the list lacks: name them (positive evidence only).
        names = sorted({row.agency for row in linked})
        lines.append(M("local.plain.linked", count=len(names), date=content.moa_links.as_of,
                       names=capped(names), key=content.moa_links.provenance["source"]))
    elif not rows and jurisdiction.kind != "state" and state_growth(jurisdiction, content) is not None:
        # A newer count disagrees with "none here": say so.
        lines.append(M("local.plain.may_have_joined", state=jurisdiction.state, key=content.ice_counts.state_source))
    if rows and statewide:
        # A state agency's deal can reach every county: name those agencies too (capped).
        lines.append(M("local.plain.statewide_also", count=len(statewide), names=capped(sorted(statewide))))
    if _in_a_county(jurisdiction):  # the county agencies that serve a town too
        counties = Series(tuple(Verbatim(place.name) for place in jurisdiction.counties))
        served = sorted({row.agency for row in jurisdiction.county_agencies})
        lines.append(M("local.plain.county", place=_place(jurisdiction), counties=counties, count=len(counties.items),
                       names=capped(served), key=list_key) if served else
                     M("local.plain.county_none", place=_place(jurisdiction), counties=counties,
                       count=len(counties.items), key=list_key))
        towns = {row.agency for row in jurisdiction.other_towns}
        if towns:
            lines.append(M("local.plain.other_towns", count=len(towns), key=list_key))
    newer = newer_state_count(jurisdiction, content, "plain")
    if newer:
        lines.append(newer)
    else:
        lines.append(M("local.plain.state_share", state=jurisdiction.state,
                       count=len(_state_rows(content, jurisdiction.state_code)), total=len(agreements.rows),
                       key=list_key))
    others = len({row.agency for row in getattr(jurisdiction, "unplaced", [])})
    if others:
        lines.append(M("local.plain.unplaced", count=others, key=list_key))
    if agreements.pending_as_of is not None and jurisdiction.pending:
        lines.append(M("local.plain.pending", count=len(jurisdiction.pending), key=PENDING_LIST_SOURCE))
    paragraphs = [Joined((_list_line(content, "plain"), stale_notice(content, date, "plain"))), Joined(tuple(lines)),
                  M("local.plain.state_rule", text=state_entry_text(jurisdiction, content, "plain", lang))]
    clerk = clerk_facts_block(content, "plain")
    if clerk:
        paragraphs.append(clerk)
    return tuple(paragraphs)


def local_section_text(jurisdiction, content: Content, register: str, heading: str | None, *,
                       date: dt.date | None = None, state_law_shown: bool = False,
                       lang: str = DEFAULT_LANGUAGE) -> ComposedSection:
    """The "Here in ..." section of `jurisdiction` in `register`, as data: its heading (the audience's,
    or the catalogue's) and its paragraphs. ``render`` composes and places it; this module never
    imports ``render``."""
    paragraphs = local_section(jurisdiction, content, register, date=date, state_law_shown=state_law_shown, lang=lang)
    name = Verbatim(jurisdiction.name)
    if heading:  # the audience's own heading, with {name} where the place goes
        pieces = heading.split("{name}")
        title = Joined(tuple(piece for part in pieces[:-1] for piece in (part, name)) + (pieces[-1],), "")
    else:
        title = M("headings.local", name=name)
    return ComposedSection(title, paragraphs)


def _english():
    from .i18n import catalogue

    return catalogue(DEFAULT_LANGUAGE)


def section_markdown(paragraphs, messages=None) -> str:
    """The section's Markdown as a reader's words (ICE's names inserted as written): for word counts,
    notices and tests. The renderer composes the same paragraphs with its own markers instead."""
    from .markup import compose

    return compose(Joined(tuple(paragraphs), "\n\n"), messages or _english())


def local_markdown(jurisdiction, content: Content, register: str = "standard", *, date: dt.date | None = None,
                   state_law_shown: bool = False, messages=None) -> str:
    """The local section as Markdown in the language of `messages` (English by default)."""
    lang = messages.lang if messages is not None else DEFAULT_LANGUAGE
    return section_markdown(local_section(jurisdiction, content, register, date=date,
                                          state_law_shown=state_law_shown, lang=lang), messages)


def plain_local_markdown(jurisdiction, content: Content, *, date: dt.date | None = None, messages=None) -> str:
    """The plain-language local section as Markdown in the language of `messages` (English by default)."""
    return local_markdown(jurisdiction, content, "plain", date=date, messages=messages)


def local_notices(jurisdiction, content: Content, date: dt.date | None) -> list[str]:
    """One line per notice a batch manifest records for this jurisdiction's brief (English, for the preparer)."""
    from .markup import compose

    notices = []
    age = list_age(content, date)
    if age is not None and age > content.meta.stale_after_days:
        notices.append(f"ICE's agency-level list of {content.agreements.as_of.isoformat()} is {age} days old "
                       f"(limit {content.meta.stale_after_days}); update with: {UPDATE_COMMAND}")
    counts = getattr(content, "ice_counts", None)
    if counts is not None and counts.state_as_of > content.agreements.as_of:
        notices.append(f"state count from ICE's list of {counts.state_as_of.isoformat()} shown beside the "
                       f"agencies of {content.agreements.as_of.isoformat()}")
    notices += [compose(note, _english()) for note in _placement_notes(jurisdiction, list(jurisdiction.agreements))]
    unplaced = {row.agency for row in getattr(jurisdiction, "unplaced", [])}
    if unplaced:
        count = len(unplaced)
        notices.append(f"{count} {'agency' if count == 1 else 'agencies'} of {jurisdiction.state} not placed in a "
                       "county (listed)")
    return notices
