"""The "Here in <jurisdiction>" section, and the job list of --state batches.

Input: a ``Jurisdiction`` (``policybrief.ice.find_jurisdiction``) and the loaded ``Content``.
Output: the section as Markdown with citations (``local_section_text``), the per-state paragraph that
replaces the fixed "State law." paragraph of a local edition (``localise_block``), the literal texts the
renderer must print as plain text (``local_literals``), the notices a batch manifest records
(``local_notices``), and the names a ``--state`` batch builds (``jurisdictions_in_state``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .ice.history import agreement_id
from .ice.rows import ICE_PAGE, name_words
from .validate import HISTORY_SOURCE
from .figures import AGENCY_LIST_SOURCE, PENDING_LIST_SOURCE, format_number
from .i18n import plural_category
from .model import DEFAULT_LANGUAGE, Content, PartialDate

LOG = logging.getLogger(__name__)
STANCE_WORDS = {"mandate": "requires agencies to seek or hold agreements", "encourage": "encourages participation",
                "restrict": "restricts participation", "ban": "bans 287(g) agreements"}


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

LIST_CAP = 8          # agencies named one by one before "and N more"
OTHER_CAP = 4         # statewide or unplaced agencies named before "and N more"
PLAIN_CAP = 3         # the same in the two-page residents' guide
UPDATE_COMMAND = "generate.py update-agreements --download"  # for the preparer (the manifest), never printed
_URL_RE = re.compile(r"^https?://[A-Za-z0-9.\-]+(?:/[A-Za-z0-9._~%!$&'*+,;=:@/\-]*)?$")


def _plural(count: int, one: str, many: str | None = None) -> str:
    """'1 agency', '3 agencies': the count and the noun in the form CLDR's English plural rule picks (Babel)."""
    return f"{format_number(count)} {one if plural_category(count, DEFAULT_LANGUAGE) == 'one' else (many or one + 's')}"


def _series(names: list[str]) -> str:
    if len(names) < 3:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _capped(names: list[str], cap: int) -> str:
    if len(names) <= cap:
        return _series(names)
    return f"{', '.join(names[:cap])} and {format_number(len(names) - cap)} more"


def _long(day: dt.date) -> str:
    return PartialDate.from_date(day).long


def list_age(content: Content, date: dt.date | None) -> int | None:
    """Days between ICE's agency-level list and the brief's date, or None without a date."""
    if date is None or content.agreements is None:
        return None
    return (date - content.agreements.as_of).days


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _age_phrase(content: Content, date: dt.date) -> str:
    """'16 months' or '45 days': the agency-level list's age at the brief's date, for a reader."""
    age = list_age(content, date)
    months = _months_between(content.agreements.as_of, date)
    return _plural(months, "month") if months >= 2 else _plural(age, "day")


def stale_notice(content: Content, date: dt.date | None, register: str = "standard", messages=None) -> str | None:
    """A visible notice, written for the reader, when the agency-level list is older than the freshness
    limit at the brief's date, with the address where the current list is."""
    age = list_age(content, date)
    limit = content.meta.stale_after_days
    if age is None or age <= limit:
        return None
    as_of = _long(content.agreements.as_of)
    age_text = _age_phrase(content, date)
    if register == "plain":
        t = _messages(messages, content)
        months = _months_between(content.agreements.as_of, date)
        age_text = (t("local.plain.age_months", count=months) if months >= 2
                    else t("local.plain.age_days", count=age))
        return t("local.plain.stale", age=age_text, url=ice_page(content))
    return (f"**Out of date:** it is the newest list naming agencies in this brief's data, but {age_text} older than this "
            f"brief; agreements signed or ended since {as_of} are not shown (ICE's current list: "
            f"<{ice_page(content)}>). {{nocite}}")


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


def _list_line(content: Content, register: str, messages=None) -> str:
    agreements = content.agreements
    key = AGENCY_LIST_SOURCE
    name = agreements.provenance.get("source_file", "")
    file_part = f" ({name})" if name and register != "plain" else ""
    if register == "plain":
        t = _messages(messages, content)
        return t("local.plain.list_used", date=t.date(agreements.as_of), key=key)
    return f"**List read:** ICE's list of participating agencies dated {_long(agreements.as_of)}{file_part} [@{key}]."


def _state_rows(content: Content, code: str):
    return [row for row in content.agreements.rows if row.state_code == code]


def newer_state_count(jurisdiction, content: Content, register: str = "standard", messages=None) -> str | None:
    """The state's count on ICE's newer state-level list and the change since the agency-level list."""
    counts = getattr(content, "ice_counts", None)
    agreements = content.agreements
    if counts is None or counts.state_as_of <= agreements.as_of:
        return None
    older = len(_state_rows(content, jurisdiction.state_code))
    newer_row = counts.state_count(jurisdiction.state)
    newer = newer_row.total if newer_row else 0
    change = newer - older
    key, old_key = counts.state_source, AGENCY_LIST_SOURCE
    if register == "plain":
        t = _messages(messages, content)
        newer_text = (t("local.plain.newer_some", state=jurisdiction.state, deals=t("local.plain.deals", count=newer))
                      if newer else t("local.plain.newer_none", state=jurisdiction.state))
        older_text = t("local.plain.older_some", count=older) if older else t("local.plain.older_none")
        return t("local.plain.newer_count", date=t.date(counts.state_as_of), newer=newer_text,
                 old_date=t.date(agreements.as_of), older=older_text, key=key, old_key=old_key)
    counted = f"{_plural(newer, 'agreement') if newer else 'no agreement'} in {jurisdiction.state} on that list"
    if newer:
        # The rank on the newer list itself (ties share a rank), so it reads as current.
        ahead = sum(1 for row in counts.states if row.total > newer)
        listed = sum(1 for row in counts.states if row.total)
        counted += f" ({_ordinal(ahead + 1)} of {listed} listed)"
    if older:
        earlier = (f"{'up' if change > 0 else 'down' if change < 0 else 'unchanged'} from "
                   f"{format_number(older)} of {format_number(len(agreements.rows))} on the list of "
                   f"{_long(agreements.as_of)}")
    else:
        earlier = f"none on the list of {_long(agreements.as_of)}"
    return (f"**Newer state count:** ICE's list of {_long(counts.state_as_of)}, of which this brief has only the state totals: "
            f"{counted}, {earlier} [@{key}; @{old_key}].")


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _ordinal(number: int) -> str:
    """'third', '23rd': a rank as a reader says it. Written here: Babel formats numbers but does not spell
    ordinals out, and ten words do not justify another dependency."""
    if 1 <= number <= len(_ORDINALS):
        return _ORDINALS[number - 1]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _model_phrase(rows) -> str:
    parts = []
    for row in sorted(rows, key=lambda r: (r.model, r.signed or dt.date.min)):
        signed = f"signed {_long(row.signed)}" if row.signed else "no readable signing date"
        parts.append(f"{row.model}, {signed}")
    return "; ".join(parts)


def _documents(rows) -> str:
    """Links to the agreement documents ICE publishes (MOA and addendum), where ICE links one."""
    links = []
    for row in sorted(rows, key=lambda r: r.model):
        short = MODEL_SHORT.get(row.model, row.model) if len(rows) > 1 else ""
        for label, url in (("agreement", row.moa), ("addendum", row.addendum)):
            url = (url or "").strip()
            if _URL_RE.match(url):
                links.append(f"[{(short + ' ' + label).strip()}]({url})")
    pending = sum(1 for row in rows if (row.moa or "").strip().lower() == "link pending")
    parts = list(dict.fromkeys(links))
    if pending:
        parts.append("ICE: link pending")
    return f" ({', '.join(parts)})" if parts else ""


MODEL_SHORT = {"Jail Enforcement Model": "jail model", "Task Force Model": "task force",
               "Warrant Service Officer": "warrant service"}


def _history(rows, content: Content) -> str:
    """What the data can say of this jurisdiction's agreements over time: from history.csv, when each was
    first on ICE's lists; else the signing dates alone, and what one list cannot show."""
    history = content.history
    if history is not None:
        known = history.by_id()
        parts = []
        for row in sorted(rows, key=lambda row: (row.agency, row.model)):
            found = known.get(agreement_id(row.state_code, row.agency, row.model))
            if found is not None and found.first_seen is not None:
                since = (f"on or before {_long(found.first_seen)}" if found.first_seen <= history.first_list
                         else f"since {_long(found.first_seen)}")
                parts.append(f"{row.agency} ({MODEL_SHORT.get(row.model, row.model)}) {since}")
        if parts:
            return (f"**On ICE's lists (to {_long(history.newest_list)}):** {_capped(parts, LIST_CAP)} "
                    f"[@{HISTORY_SOURCE}].")
    dated = sorted((row for row in rows if row.signed), key=lambda row: row.signed)
    if not dated:
        first = "no readable signing date on ICE's list"
    else:
        first = f"first signed {_long(dated[0].signed)} ({dated[0].model})"
        models = {}
        for row in dated:
            models.setdefault(row.model, row.signed)
        added = [f"{model} {_long(day)}" for model, day in models.items() if day > dated[0].signed]
        if added:
            first += f"; models added later: {'; '.join(added)}"
    return (f"**History:** {first}. One agency-level list is held here, so agreements that ended before "
            f"{_long(content.agreements.as_of)}, and renewals, cannot be shown [@{AGENCY_LIST_SOURCE}].")


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


def _departed_block(jurisdiction, content: Content) -> list[str]:
    """Agreements here that left ICE's lists, with the two list dates between which each left."""
    rows = departed_here(jurisdiction, content)
    if not rows:
        return []
    lead = "**No longer on ICE's list:**"
    if jurisdiction.kind == "state" or len(rows) > LIST_CAP:
        years = Counter(row.last_seen.year for row in rows)
        by_year = ", ".join(f"{format_number(count)} last listed in {year}" for year, count in sorted(years.items()))
        return [f"{lead} {_plural(len(rows), 'agreement')} of {jurisdiction.name} on ICE's lists since "
                f"{_long(content.history.first_list)} are not on the newest ({by_year}) "
                f"[@{HISTORY_SOURCE}]."]
    items = [f"{row.agency} ({MODEL_SHORT.get(row.model, row.model)}), removed between {_long(row.last_seen)} and "
             f"{_long(row.first_absent)}" for row in sorted(rows, key=lambda row: (row.last_seen, row.agency))]
    return [f"{lead} {'; '.join(items)} [@{HISTORY_SOURCE}]."]


def _placement_notes(jurisdiction, rows) -> list[str]:
    """How the rows of a county's or city's section were placed there, where that is not ICE's own
    COUNTY cell: corrected spellings, towns in several counties, and city departments (one sentence)."""
    notes, by_town = [], []
    for row in rows:
        placed = jurisdiction.placement(row) if hasattr(jurisdiction, "placement") else None
        if placed is None or not placed.note:
            continue
        if placed.how == "city" and len(placed.counties) == 1:
            if jurisdiction.kind == "county":
                by_town.append(row.agency)
        elif placed.how in ("corrected", "city", "county-cell"):
            notes.append(placed.note)
    if by_town:
        names = sorted(set(by_town))
        notes.insert(0, f"ICE gives no county for city departments; {_capped(names, OTHER_CAP)} "
                        f"{'is' if len(names) == 1 else 'are'} counted here because the GeoNames gazetteer places "
                        f"{'its town' if len(names) == 1 else 'their towns'} in {jurisdiction.name.split(',')[0]}")
    return list(dict.fromkeys(notes))


def _statewide_agencies(jurisdiction) -> dict[str, list]:
    by_agency: dict[str, list] = {}
    for row in getattr(jurisdiction, "statewide", []) or []:
        by_agency.setdefault(row.agency, []).append(row)
    return by_agency


def no_local_agency_sentence(jurisdiction, content: Content) -> str:
    """The opening of a county's or city's section when no agency based there is on ICE's list. It never says
    'no agreement here': a state agency's agreement may reach every county, and an agency ICE lists
    without a county may be based here."""
    key = AGENCY_LIST_SOURCE
    place = jurisdiction.name.split(",")[0] if jurisdiction.kind != "state" else jurisdiction.name
    sentence = (f"No {'' if jurisdiction.kind == 'state' else 'county or city '}agency based in {place} was on ICE's list "
                f"of {_long(content.agreements.as_of)}")
    statewide = _statewide_agencies(jurisdiction)
    if jurisdiction.kind == "state":
        return f"{sentence} [@{key}]."
    if statewide:
        named = [f"{agency} ({', '.join(sorted({row.model for row in rows}))})"
                 for agency, rows in sorted(statewide.items())]
        count = len(statewide)
        single = count == 1 and len(next(iter(statewide.values()))) == 1
        sentence = (f"{sentence}; {_plural(count, 'statewide agency', 'statewide agencies')} of {jurisdiction.state} "
                    f"held {'an agreement' if single else 'agreements'}: {_capped(named, OTHER_CAP)} [@{key}].")
    else:
        sentence = f"{sentence}, nor was any state agency of {jurisdiction.state} [@{key}]."
    return sentence + _may_have_joined(jurisdiction, content, place)


def _may_have_joined(jurisdiction, content: Content, place: str) -> str:
    """What a newer count says against a negative: the state's agreements grew after the list that names
    agencies, so an agency here may be among them; where the reader can check. Empty when no newer data
    set disagrees."""
    if linked_here(jurisdiction, content):
        links = content.moa_links
        linked = linked_here(jurisdiction, content)
        whose = "an agency" if len({row.agency_key for row in linked}) == 1 else "agencies"
        return (f" ICE's sheet as copied on {_long(links.as_of)} links {_plural(len(linked), 'agreement')} of {whose} "
                f"based here that the list lacks, named below [@{links.provenance['source']}].")
    growth = state_growth(jurisdiction, content)
    if growth is None:
        return ""
    older, newer = growth
    counts = content.ice_counts
    return (f" ICE's count of {_long(counts.state_as_of)} is {format_number(newer - older)} higher for "
            f"{jurisdiction.state} (this brief has only its state totals), so an agency based in {place} may have signed since; "
            f"ICE's current list is at <{ice_page(content)}> [@{counts.state_source}].")


def _agency_block(jurisdiction, content: Content, register: str) -> list[str]:
    agreements = content.agreements
    key = AGENCY_LIST_SOURCE
    rows = list(jurisdiction.agreements)
    paragraphs = []
    if not rows:
        paragraphs.append(no_local_agency_sentence(jurisdiction, content))
        return paragraphs
    by_agency: dict[str, list] = {}
    for row in rows:
        by_agency.setdefault(row.agency, []).append(row)
    lead = (f"ICE's list dated {_long(agreements.as_of)} shows {_plural(len(rows), 'agreement')} held by "
            f"{_plural(len(by_agency), 'agency', 'agencies')} in {jurisdiction.name}")
    if jurisdiction.kind == "state":
        types = Counter(row.agency_type for row in rows)
        paragraphs.append(lead + "; by agency type: " + ", ".join(
            f"{format_number(count)} {kind.lower()}" for kind, count in types.most_common()) + f" [@{key}].")
        return paragraphs
    paragraphs.append(lead + f" [@{key}].")
    lines = []
    for agency, agency_rows in sorted(by_agency.items())[:LIST_CAP]:
        lines.append(f"- **{agency}**: {_model_phrase(agency_rows)}{_documents(agency_rows)}.")
    if len(by_agency) > LIST_CAP:
        lines.append(f"- and {_plural(len(by_agency) - LIST_CAP, 'more agency', 'more agencies')} on the list.")
    paragraphs.append("\n".join(lines))
    notes = _placement_notes(jurisdiction, rows)
    placed = ""
    if notes:
        placed = ("**How agencies were placed here:** " + "; ".join(notes[:OTHER_CAP])
                  + (f"; and {format_number(len(notes) - OTHER_CAP)} more" if len(notes) > OTHER_CAP else "") + ". ")
    paragraphs.append(placed + _history(rows, content))
    return paragraphs


def linked_here(jurisdiction, content: Content) -> list:
    """The agreements ICE's newer sheet links documents for (data/agreements/moa_links.csv) in this place
    that the agency-level list lacks: a county's agencies as place_link places them, a city's own agencies
    (their names start with the city's), or a state's. Positive evidence only: absence proves nothing."""
    links, agreements = content.moa_links, content.agreements
    if links is None or agreements is None:
        return []
    return _based_here(jurisdiction, [row for row in links.not_on_list(agreements.rows, jurisdiction.state_code)
                                      if row.document_type == "MOA"])


def _linked_block(jurisdiction, content: Content) -> list[str]:
    """The newer sheet's agreements here, with the limits of that evidence."""
    rows = linked_here(jurisdiction, content)
    if not rows:
        return []
    links = content.moa_links
    key = links.provenance["source"]
    lead = (f"**On ICE's newer sheet:** ICE's participating-agencies sheet, as the Deportation Data Project copied "
            f"it on {_long(links.as_of)}, links agreements that the list above lacks")
    limits = ("It lists only documents ICE had posted, so it cannot show that an agency has no agreement, and the "
              "model and date are read from each document's file name")
    if jurisdiction.kind == "state" or len(rows) > LIST_CAP:
        models = Counter(row.model for row in rows)
        agencies = len({row.agency_key for row in rows})
        listed = ", ".join(f"{format_number(count)} {model}" for model, count in models.most_common())
        return [f"{lead}: {_plural(len(rows), 'agreement')} of {_plural(agencies, 'agency', 'agencies')} in "
                f"{jurisdiction.name} (by model, {listed}). {limits} [@{key}]."]
    items = []
    for row in sorted(rows, key=lambda row: (row.agency, row.model)):
        signed = f", signed {_long(row.signed)}" if row.signed else ""
        items.append(f"{row.agency} ({row.model}{signed})")
    return [f"{lead}: {'; '.join(items)}. {limits} [@{key}]."]


def _others_block(jurisdiction, content: Content) -> list[str]:
    """State agencies and unplaced agencies of the state: listed in every local section of the state."""
    key = AGENCY_LIST_SOURCE
    paragraphs = []
    statewide = sorted({row.agency for row in getattr(jurisdiction, "statewide", [])})
    if not list(jurisdiction.agreements):
        statewide = []  # already named in the section's opening (no_local_agency_sentence)
    unplaced = sorted({row.agency for row in getattr(jurisdiction, "unplaced", [])})
    parts = []
    if statewide:
        parts.append(f"{_plural(len(statewide), 'state agency', 'state agencies')} ({_capped(statewide, OTHER_CAP)})")
    if unplaced:
        parts.append(f"{_plural(len(unplaced), 'agency', 'agencies')} that could not be placed in a county, so "
                     f"whether {'it is' if len(unplaced) == 1 else 'any is'} here is not known "
                     f"({_capped(unplaced, OTHER_CAP)})")
    if parts:
        paragraphs.append(f"**Not counted in any county:** {jurisdiction.state}'s agreements on the list also "
                          f"include {'; and '.join(parts)} [@{key}].")
    return paragraphs


def _statewide_paragraph(jurisdiction, content: Content) -> str:
    agreements = content.agreements
    key = AGENCY_LIST_SOURCE
    state_rows = _state_rows(content, jurisdiction.state_code)
    ranking = list(agreements.by_state())
    total = len(agreements.rows)
    if not state_rows:
        return (f"No agency in {jurisdiction.state} appears on the list, which covers "
                f"{format_number(len(ranking))} states [@{key}].")
    rank = ranking.index(jurisdiction.state) + 1 if jurisdiction.state in ranking else None
    models = Counter(row.model for row in state_rows)
    model_text = ", ".join(f"{format_number(count)} {model}" for model, count in models.most_common())
    share = 100 * len(state_rows) / total
    return (f"Statewide, {jurisdiction.state} accounts for {format_number(len(state_rows))} of the "
            f"{format_number(total)} agreements on the list ({share:.1f} percent), ranking {rank} of "
            f"{len(ranking)} states with any agreement; by model: {model_text} [@{key}].")


def state_entry_text(jurisdiction, content: Content, register: str, messages=None) -> str:
    """The jurisdiction's own state's entry in data/states.yaml, as Markdown with its citations."""
    accessor = getattr(content, "state_entry", None)
    entry = accessor(jurisdiction.state_code) if callable(accessor) else None
    if entry is not None:
        # The two-page guide and the condensed local paragraph: the measures on participation itself
        # (a state's bar on local limits is in the options sentence and the state table).
        if register in ("plain", "brief"):
            from dataclasses import replace
            from .model import PARTICIPATION_STANCES

            kept = tuple(m for m in entry.measures if m.stance in PARTICIPATION_STANCES)
            if kept:
                entry = replace(entry, measures=kept)
        if messages is not None:
            return entry.summary(register, messages.lang, messages)
        return entry.summary(register)
    policies = [policy for policy in content.states if policy.code == jurisdiction.state_code]
    if policies:
        return "\n\n".join(f"{jurisdiction.state} {STANCE_WORDS.get(policy.stance, policy.stance)} "
                           f"({policy.measure}, {policy.date.long}). {policy.text.get(register)}"
                           for policy in policies)
    return (f"The sources reviewed for this brief record no {jurisdiction.state} statute or executive order "
            "that requires, restricts or bans 287(g) participation. {nocite}")


def state_law_paragraph(jurisdiction, content: Content, register: str) -> str:
    """'**State law in Georgia.** ...': the state's entry, for the paragraph a local edition localises."""
    text = state_entry_text(jurisdiction, content, register)
    return f"**State law in {jurisdiction.state}.** {text}"


OPTIONS_HOOK = "The local section gives this state's rule."
# How the options sentence words a mandate: the laws range from a duty to seek an agreement every year
# (Georgia, Arkansas) to a duty to hold one (Florida); ICE decides whether to sign.
RULE_WORDS = {"mandate": "requires agencies to seek or hold an agreement"}
STANCE_CONSEQUENCES = {
    "mandate": "so an agency it covers that does not apply may be out of compliance (ICE still decides whether to sign)",
    "ban": "so joining is not a lawful option",
    "preempt": "so a local policy that limits or restricts cooperation, including conditions that do, may be unlawful",
    "restrict": "which limits who may sign or what participating officers may do",
    "encourage": "without requiring local agencies to join",
}


def state_rule_sentence(jurisdiction, content: Content, register: str) -> str:
    """'**In Georgia:** state law requires agencies to seek or hold an agreement (...), so declining ...': the
    jurisdiction's own state's rule, for the options of a local edition."""
    from .cite import citations_in
    from .model import STATE_STANCES

    accessor = getattr(content, "state_entry", None)
    entry = accessor(jurisdiction.state_code) if callable(accessor) else None
    state = jurisdiction.state
    if entry is None or not entry.measures:
        searched = entry.search.date.long if entry is not None and entry.search else None
        when = f" in the sources searched on {searched}" if searched else ""
        if register == "plain":
            return f"**In {state}:** we found no state rule that requires, limits or bans these deals{when}. {{nocite}}"
        return (f"**In {state}:** no statute, executive order, attorney general directive or court ruling that "
                f"requires, restricts or bans 287(g) participation, or bars local limits on it, was found{when}. "
                "{nocite}")
    parts, keys = [], []
    for policy in entry.measures:
        words = RULE_WORDS.get(policy.stance, STATE_STANCES[policy.stance])
        parts.append(f"{words} ({policy.measure}), {STANCE_CONSEQUENCES[policy.stance]}")
        keys += [item.key for item in citations_in(policy.text.get("brief") or policy.text.get(register))]
    keys = list(dict.fromkeys(keys))
    cites = f" [@{'; @'.join(keys)}]" if keys else " {nocite}"
    return f"**In {state}:** state law {'; it also '.join(parts)}{cites}."


def localise_block(block_id: str, text: str, jurisdiction, content: Content, register: str) -> str:
    """A block's Markdown for a local edition: its fixed '**State law.**' paragraph becomes the
    jurisdiction's own state's entry, and the options block states the jurisdiction's own state's rule
    (in place of its pointer to the local section, or after its first paragraph). Other blocks are
    returned unchanged."""
    if jurisdiction is None:
        return text
    if block_id == "options":
        rule = state_rule_sentence(jurisdiction, content, register)
        if OPTIONS_HOOK in text:
            return text.replace(OPTIONS_HOOK, rule, 1)
        paragraphs = re.split(r"\n\s*\n", text.strip())
        return "\n\n".join([paragraphs[0] + " " + rule] + paragraphs[1:])
    if "**State law.**" not in text:
        return text
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(state_law_paragraph(jurisdiction, content, register)
                       if paragraph.lstrip().startswith("**State law.**") else paragraph
                       for paragraph in paragraphs)


def _jurisdiction_fips(jurisdiction) -> set[str]:
    codes = {jurisdiction.fips} if getattr(jurisdiction, "fips", None) else set()
    codes.update(place.fips for place in getattr(jurisdiction, "counties", ()) or ())
    if jurisdiction.kind in ("state", "state-agency"):
        codes.add(jurisdiction.state_code)
    return codes


def tagged_facts(jurisdiction, content: Content, register: str) -> list[str]:
    """Figures and dated events of data/ tagged (`places:`) with this jurisdiction's county or state."""
    codes = _jurisdiction_fips(jurisdiction)
    if not codes:
        return []
    lines = []
    for figure in sorted(content.figures.values(), key=lambda figure: (figure.as_of, figure.id)):
        if codes & set(getattr(figure, "places", ()) or ()):
            lines.append(f"- {figure.label[:1].upper()}{figure.label[1:]}: {{fig:{figure.id}}} "
                         f"({figure.as_of.long}).")
    for event in content.events:
        if codes & set(getattr(event, "places", ()) or ()):
            lines.append(f"- {event.date.long}: {event.text.get(register)}")
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


def clerk_facts_block(content: Content, register: str, messages=None) -> str | None:
    """The facts a preparer supplied with --local-facts, in their own labelled block (in the preparer's
    words: a Spanish edition prints them as written, with its own heading and dates)."""
    facts = content.local_facts
    if not facts:
        return None
    t = _messages(messages, content)
    lines = []
    for fact in facts:
        if fact.markdown.startswith("{fig:"):
            lines.append(f"- {fact.label[:1].upper()}{fact.label[1:]}: {fact.markdown} ({t.date(fact.as_of)}).")
        else:
            lines.append(f"- {t.date(fact.as_of)}: {fact.markdown}")
    heading = ("**Added by this brief's preparer** (with their sources; not reviewed by the brief's authors):"
               if register != "plain" else t("local.plain.clerk_heading"))
    return heading + "\n" + "\n".join(lines)


def local_markdown(jurisdiction, content: Content, register: str = "standard", *, date: dt.date | None = None,
                   state_law_shown: bool = False) -> str:
    """Markdown for the local section; every statement cites ICE's list, a figure or a state measure."""
    notice = stale_notice(content, date, register)
    newer = newer_state_count(jurisdiction, content, register)
    # One opening paragraph: which list, how old, and what ICE's newer count says of the state.
    paragraphs = [" ".join(part for part in (_list_line(content, register), notice, newer) if part)]
    block = _agency_block(jurisdiction, content, register)
    pending = _pending_sentence(jurisdiction, content.agreements)
    if pending:
        block[0] += " " + pending
    paragraphs += block + _linked_block(jurisdiction, content) + _departed_block(jurisdiction, content)
    if jurisdiction.kind != "state":
        paragraphs += _others_block(jurisdiction, content)
    if not newer:
        paragraphs.append(_statewide_paragraph(jurisdiction, content))
    if not state_law_shown:
        # The condensed register of the state's entry: the full measures are in the edition's state table.
        law_register = "brief" if register in ("standard", "technical") else register
        paragraphs.append(f"**State law or policy:** {state_entry_text(jurisdiction, content, law_register)}")
    facts = tagged_facts(jurisdiction, content, register)
    if facts:
        paragraphs.append("**On record here:**\n" + "\n".join(facts[:LIST_CAP]))
    clerk = clerk_facts_block(content, register)
    if clerk:
        paragraphs.append(clerk)
    return "\n\n".join(paragraphs)


def _pending_sentence(jurisdiction, agreements) -> str:
    if agreements.pending_as_of is None:
        return ""  # no pending list ships (ICE has published none of the list's date): nothing to say
    key = PENDING_LIST_SOURCE
    as_of = _long(agreements.pending_as_of)
    pending = list(jurisdiction.pending)
    if not pending:
        return f"ICE's list of pending applications dated {as_of} shows none from {jurisdiction.name} [@{key}]."
    if jurisdiction.kind == "state" or len(pending) > 3:
        models = Counter(row.model for row in pending)
        listed = "by model, " + ", ".join(f"{format_number(count)} {model}" for model, count in models.most_common())
    else:
        listed = "; ".join(f"{row.agency} ({row.model})" for row in pending)
    return (f"ICE's list of pending applications dated {as_of} shows {format_number(len(pending))} from "
            f"{jurisdiction.name}: {listed} [@{key}].")


def plain_local_markdown(jurisdiction, content: Content, *, date: dt.date | None = None, messages=None) -> str:
    """The local section in plain language, short enough for the two-page community edition, in the
    language of `messages` (the edition's catalogue; English by default). Place and agency names stay as
    ICE and the Census write them."""
    t = _messages(messages, content)
    agreements = content.agreements
    list_key = AGENCY_LIST_SOURCE
    rows = list(jurisdiction.agreements)
    agencies = sorted({row.agency for row in rows})
    statewide = _statewide_agencies(jurisdiction) if jurisdiction.kind != "state" else {}

    def capped(names: list[str]) -> str:  # the two-page guide names fewer agencies one by one
        if len(names) <= PLAIN_CAP:
            return t.series(names)
        return t("local.more", names=", ".join(names[:PLAIN_CAP - 1]), count=len(names) - PLAIN_CAP + 1)

    if not rows and statewide:
        lines = [t("local.plain.none_here_statewide", count=len(statewide), state=jurisdiction.state,
                   names=capped(sorted(statewide)))]
    elif not rows:
        lines = [t("local.plain.none_here")]
    elif jurisdiction.kind == "state" or len(agencies) > 3:
        lines = [t("local.plain.deals_held", deals=t("local.plain.deals", count=len(rows)),
                   agencies=t("local.plain.agencies", count=len(agencies)))]
    else:
        deals = "; ".join(f"{row.agency}, {row.model}" for row in rows)
        lines = [t("local.plain.deals_listed", deals=t("local.plain.deals", count=len(rows)), list=deals)]
    linked = linked_here(jurisdiction, content)
    if linked and jurisdiction.kind != "state":
        # ICE's newer sheet links deals here that the list lacks: name them (positive evidence only).
        names = sorted({row.agency for row in linked})
        lines.append(t("local.plain.linked", count=len(names), date=t.date(content.moa_links.as_of),
                       names=capped(names), key=content.moa_links.provenance["source"]))
    elif not rows and jurisdiction.kind != "state" and state_growth(jurisdiction, content) is not None:
        # A newer count disagrees with "none here": say so.
        lines.append(t("local.plain.may_have_joined", state=jurisdiction.state, key=content.ice_counts.state_source))
    if rows and statewide:
        # A state agency's deal can reach every county: name those agencies too (capped).
        lines.append(t("local.plain.statewide_also", count=len(statewide), names=capped(sorted(statewide))))
    newer = newer_state_count(jurisdiction, content, "plain", messages=t)
    if newer:
        lines.append(newer)
    else:
        state_rows = _state_rows(content, jurisdiction.state_code)
        lines.append(t("local.plain.state_share", state=jurisdiction.state, count=len(state_rows),
                       total=t.number(len(agreements.rows)), key=list_key))
    others = len({row.agency for row in getattr(jurisdiction, "unplaced", [])})
    if others:
        lines.append(t("local.plain.unplaced", count=others, key=list_key))
    if agreements.pending_as_of is not None and jurisdiction.pending:
        lines.append(t("local.plain.pending", count=len(jurisdiction.pending),
                       key=PENDING_LIST_SOURCE))
    notice = stale_notice(content, date, "plain", messages=t)
    paragraphs = [_list_line(content, "plain", messages=t) + (f" {notice}" if notice else ""), " ".join(lines)]
    paragraphs.append(t("local.plain.state_rule", text=state_entry_text(jurisdiction, content, "plain", messages=t)))
    clerk = clerk_facts_block(content, "plain", messages=t)
    if clerk:
        paragraphs.append(clerk)
    return "\n\n".join(paragraphs)


def _messages(messages, content: Content):
    """The edition's catalogue, or the English one."""
    if messages is not None:
        return messages
    from .i18n import catalogue

    return catalogue("en", content.data_dir)


def local_section_text(jurisdiction, content: Content, register: str, heading: str | None, *,
                       date: dt.date | None = None, state_law_shown: bool = False,
                       messages=None) -> tuple[str, str]:
    """The "Here in ..." section of `jurisdiction` as (heading, Markdown with citations) in `register`.

    `date` is the brief's date (for the out-of-date notice); `state_law_shown` says the edition already
    printed the state's entry (in "What joining would mean"), so the section does not repeat it.
    ``render`` turns the Markdown into HTML and places it; this module never imports ``render``.
    """
    if register == "plain":
        markdown = plain_local_markdown(jurisdiction, content, date=date, messages=messages)
    else:
        markdown = local_markdown(jurisdiction, content, register, date=date, state_law_shown=state_law_shown)
    heading = heading or _messages(messages, content)("headings.local", name=jurisdiction.name)
    return heading.replace("{name}", jurisdiction.name), markdown


def local_literals(jurisdiction, content: Content) -> set[str]:
    """Text from outside the data folder that the section prints and that must stay plain text: ICE's
    cells (agency names, COUNTY cells, placement notes quoting them) and the preparer's own facts."""
    texts = {jurisdiction.name}
    rows = (list(jurisdiction.agreements) + list(getattr(jurisdiction, "pending", []) or [])
            + list(getattr(jurisdiction, "statewide", []) or []) + list(getattr(jurisdiction, "unplaced", []) or []))
    for row in rows:
        texts.update((row.agency, row.county, row.model, row.agency_type))
        placed = jurisdiction.placement(row) if hasattr(jurisdiction, "placement") else None
        if placed is not None and placed.note:
            texts.add(placed.note)
            texts.add(f"{row.agency} ({placed.note})")
    for fact in content.local_facts:
        if fact.label:
            texts.add(fact.label[:1].upper() + fact.label[1:])
    texts.update(row.agency for row in linked_here(jurisdiction, content))
    return {text for text in texts if isinstance(text, str) and len(text) >= 2}


def local_notices(jurisdiction, content: Content, date: dt.date | None) -> list[str]:
    """One line per notice a batch manifest records for this jurisdiction's brief."""
    notices = []
    age = list_age(content, date)
    if age is not None and age > content.meta.stale_after_days:
        notices.append(f"ICE's agency-level list of {content.agreements.as_of.isoformat()} is {age} days old "
                       f"(limit {content.meta.stale_after_days}); update with: {UPDATE_COMMAND}")
    counts = getattr(content, "ice_counts", None)
    if counts is not None and counts.state_as_of > content.agreements.as_of:
        notices.append(f"state count from ICE's list of {counts.state_as_of.isoformat()} shown beside the "
                       f"agencies of {content.agreements.as_of.isoformat()}")
    notices += _placement_notes(jurisdiction, list(jurisdiction.agreements))
    unplaced = {row.agency for row in getattr(jurisdiction, "unplaced", [])}
    if unplaced:
        notices.append(f"{_plural(len(unplaced), 'agency', 'agencies')} of {jurisdiction.state} not placed in a county (listed)")
    return notices
