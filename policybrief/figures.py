"""Format sourced figures for print; derive figures from ICE's lists (the agency-level list in
data/agreements/, the counts in data/ice_counts/); say how old each data set is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import re
from dataclasses import dataclass

from .errors import Problem
from .model import Figure, PartialDate, Source

UNIT_NOUNS = {
    "agreements": ("agreement", "agreements"),
    "agencies": ("agency", "agencies"),
    "officers": ("officer", "officers"),
    "states": ("state", "states"),
    "hours": ("hour", "hours"),
}

MODEL_NAMES = {
    "jem": "Jail Enforcement Model",
    "tfm": "Task Force Model",
    "wso": "Warrant Service Officer",
}


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(figure: Figure, *, with_unit: bool = True, messages=None) -> str:
    """'832 agreements', '$675,000', '$3.7 million', '65%', '40 hours', '33 recommendations'; with an
    edition's catalogue (policybrief.i18n) in another language, its units and number style
    ('832 acuerdos', '675 000 dólares', '65 %')."""
    if messages is not None and messages.lang != "en":
        return _format_translated(figure, messages, with_unit)
    value = figure.value
    if figure.unit == "usd":
        if value >= 1_000_000:
            return f"${format_number(round(value / 1_000_000, 2))} million"
        return f"${format_number(value)}"
    if figure.unit == "percent":
        return f"{format_number(value)}%"
    if figure.unit == "times":
        return f"{format_number(round(value, 1))} times"
    number = format_number(value)
    if not with_unit:
        return number
    if figure.noun:
        return f"{number} {figure.noun}"
    if figure.unit in UNIT_NOUNS:
        singular, plural = UNIT_NOUNS[figure.unit]
        return f"{number} {singular if value == 1 else plural}"
    return number


def _format_translated(figure: Figure, messages, with_unit: bool) -> str:
    value = figure.value
    if figure.unit == "usd":
        if value >= 1_000_000:
            return messages("units.usd_million", number=messages.number(round(value / 1_000_000, 2)))
        return messages("units.usd", number=messages.number(value))
    if figure.unit == "percent":
        return messages("units.percent", number=messages.number(value))
    if figure.unit == "times":
        return messages("units.times", number=messages.number(round(value, 1)))
    if not with_unit:
        return messages.number(value)
    if figure.noun:
        # A figure's own noun ('agreements held by county agencies') is translated per figure.
        return messages(f"figure_nouns.{figure.id}", count=value)
    if figure.unit in UNIT_NOUNS:
        return messages(f"units.{figure.unit}", count=value)
    return messages.number(value)


# Citation keys that stand for the lists in data/agreements/ whatever their date: prose and the local section
# cite "the list this brief uses", and a newer list changes no text. Each is an alias of the dated entry
# (ice_list_2025_07_18, ...): notes and the bibliography show that entry, once (cite.Citer).
AGENCY_LIST_SOURCE = "ice_agency_list"
PENDING_LIST_SOURCE = "ice_pending_list"


def agreements_source_id(as_of: dt.date) -> str:
    return f"ice_list_{as_of:%Y_%m_%d}"


def pending_source_id(as_of: dt.date) -> str:
    return f"ice_pending_{as_of:%Y_%m_%d}"


def agreements_source(agreements) -> Source:
    """The bibliography entry for the shipped ICE list, built from its provenance file."""
    provenance = agreements.provenance
    as_of = agreements.as_of
    downloaded = provenance.get("downloaded")
    accessed = None
    if downloaded:
        day = dt.date.fromisoformat(str(downloaded))
        accessed = PartialDate.from_date(day)
    return Source(
        id=agreements_source_id(as_of), type="dataset",
        title=f"287(g) Participating Agencies (list dated {PartialDate.from_date(as_of).long})",
        title_short="287(g) Participating Agencies",
        authors=({"literal": "U.S. Immigration and Customs Enforcement"},),
        publisher="U.S. Immigration and Customs Enforcement",
        issued=PartialDate.from_date(as_of),
        url=str(provenance.get("source_url", "https://www.ice.gov/identify-and-arrest/287g")),
        accessed=accessed, keyword="data", genre="Excel workbook",
        note=f"File {provenance.get('source_file', 'unknown')}, normalised in this project's data/agreements/")




def pending_source(agreements) -> Source | None:
    """The bibliography entry for ICE's pending-applications list, when the data folder ships one."""
    if agreements.pending_as_of is None:
        return None
    provenance = agreements.provenance.get("pending", {})
    as_of = agreements.pending_as_of
    downloaded = provenance.get("downloaded")
    return Source(
        id=pending_source_id(as_of), type="dataset",
        title=f"287(g) Pending Agencies (list dated {PartialDate.from_date(as_of).long})",
        title_short="287(g) Pending Agencies",
        authors=({"literal": "U.S. Immigration and Customs Enforcement"},),
        publisher="U.S. Immigration and Customs Enforcement", issued=PartialDate.from_date(as_of),
        url=str(provenance.get("source_url", "https://www.ice.gov/identify-and-arrest/287g")),
        accessed=PartialDate.from_date(dt.date.fromisoformat(str(downloaded))) if downloaded else None,
        keyword="data", genre="Excel workbook",
        note=f"File {provenance.get('source_file', 'unknown')}, normalised in this project's data/agreements/")


def add_agreement_figures(figures: dict[str, Figure], sources: dict[str, Source], agreements,
                          problems: list[Problem], data_dir: Path) -> None:
    """Add the ice_* figures computed from the list, and its source if the bibliography lacks it."""
    source = agreements_source(agreements)
    sources.setdefault(source.id, source)
    sources[AGENCY_LIST_SOURCE] = sources[source.id]  # the alias names the dated entry
    pending = pending_source(agreements)
    if pending is not None:
        sources.setdefault(pending.id, pending)
        sources[PENDING_LIST_SOURCE] = sources[pending.id]
    as_of = PartialDate.from_date(agreements.as_of)
    by_model = agreements.by_model()
    by_type = agreements.by_agency_type()
    by_state = dict(agreements.by_state())
    computed = {
        "ice_agreements_total": (len(agreements.rows), "agreements", None, "287(g) agreements on ICE's agency-level list"),
        "ice_agreements_jem": (by_model.get(MODEL_NAMES["jem"], 0), "agreements", None, "Jail Enforcement Model agreements"),
        "ice_agreements_tfm": (by_model.get(MODEL_NAMES["tfm"], 0), "agreements", None, "Task Force Model agreements"),
        "ice_agreements_wso": (by_model.get(MODEL_NAMES["wso"], 0), "agreements", None, "Warrant Service Officer agreements"),
        "ice_agencies_total": (len(agreements.agencies()), "agencies", None, "distinct agencies on ICE's list"),
        "ice_states_total": (len(agreements.states()), "states", None, "states with at least one agreement"),
        "ice_agreements_county": (by_type.get("County", 0), "agreements", "agreements held by county agencies", "agreements held by county agencies"),
        "ice_agreements_municipal": (by_type.get("Municipality", 0), "agreements", "agreements held by municipal agencies", "agreements held by municipal agencies"),
        "ice_agreements_state_agency": (by_type.get("State Agency", 0), "agreements", "agreements held by state agencies", "agreements held by state agencies"),
        "ice_agreements_signed_before_2025": (len(agreements.signed_before(dt.date(2025, 1, 1))), "agreements", None, "listed agreements signed before 2025"),
        "ice_agreements_florida": (by_state.get("Florida", 0), "agreements", None, "agreements in Florida"),
        "ice_agreements_texas": (by_state.get("Texas", 0), "agreements", None, "agreements in Texas"),
    }
    for figure_id, (value, unit, noun, label) in computed.items():
        if figure_id in figures:
            problems.append(Problem(f"{data_dir.name}/figures.yaml",
                                    f"figure {figure_id!r} is computed from data/agreements/; remove it from figures.yaml"))
            continue
        figures[figure_id] = Figure(id=figure_id, value=value, unit=unit, as_of=as_of, source=source.id,
                                    label=label, noun=noun, confidence="V", kind=AGENCY_LIST_KINDS.get(figure_id),
                                    data_set=AGENCY_LIST)


# What each figure computed from the agency-level list measures: figures of one kind form a series,
# and an edition that prints an older one must print the newest of its kind too (check.check_currency).
AGENCY_LIST_KINDS = {
    "ice_agreements_total": "agreements_total", "ice_agreements_tfm": "agreements_tfm",
    "ice_agreements_wso": "agreements_wso", "ice_agreements_jem": "agreements_jem",
    "ice_agencies_total": "agencies_total", "ice_states_total": "states_with_agreements",
    "ice_agreements_florida": "agreements_in_florida", "ice_agreements_texas": "agreements_in_texas",
}
# The data sets --check dates one by one (see data_sets()).
AGENCY_LIST = "agreements"
PENDING_LIST = "pending"
STATE_COUNTS = "ice_counts/by_state"
LIST_SERIES = "ice_counts/lists"
ALL_FIGURES = "figures"
# DHS's count at the start of 2025, the baseline the headline's growth is measured from.
BASELINE_FIGURE = "series_2025_01_agreements"


def state_slug(state: str) -> str:
    """'New Hampshire' -> 'new_hampshire' (figure ids and kinds)."""
    return re.sub(r"[^a-z0-9]+", "_", state.lower()).strip("_")


def add_count_figures(figures: dict[str, Figure], sources: dict[str, Source], counts,
                      problems: list[Problem], data_dir: Path) -> None:
    """Add the ice_count_* figures from ICE's state-level list (data/ice_counts/by_state.csv): the
    headline total, by model, states, each state's count, and the growth since DHS's baseline."""
    label = f"{data_dir.name}/ice_counts/provenance.yaml"
    if counts.state_source not in sources:
        problems.append(Problem(label, f"unknown source {counts.state_source!r}: expected an id from sources.yaml",
                                key="by_state.source"))
        return
    for row in counts.lists:
        if row.source not in sources:
            problems.append(Problem(f"{data_dir.name}/ice_counts/lists.csv",
                                    f"unknown source {row.source!r}: expected an id from sources.yaml", key="source"))
            break
    as_of = PartialDate.from_date(counts.state_as_of)
    by_model = counts.state_by_model()
    computed = {
        "ice_count_total": (counts.state_total, "agreements", None, "287(g) agreements on ICE's list", "agreements_total"),
        "ice_count_tfm": (by_model["tfm"], "agreements", None, "Task Force Model agreements", "agreements_tfm"),
        "ice_count_wso": (by_model["wso"], "agreements", None, "Warrant Service Officer agreements", "agreements_wso"),
        "ice_count_jem": (by_model["jem"], "agreements", None, "Jail Enforcement Model agreements", "agreements_jem"),
        "ice_count_states": (len(counts.states), "states", "states and territories", "states and territories with at least one agreement",
                             "states_with_agreements"),
    }
    for row in counts.states:
        slug = state_slug(row.state)
        computed[f"ice_count_{slug}"] = (row.total, "agreements", None, f"agreements in {row.state}", f"agreements_in_{slug}")
    baseline = figures.get(BASELINE_FIGURE)
    if baseline is not None and baseline.value:
        computed["ice_count_growth"] = (counts.state_total / baseline.value, "times", None,
                                        f"ICE's count as a multiple of DHS's {format_number(baseline.value)} "
                                        f"in {baseline.as_of.long}", None)
    pace = monthly_pace(counts.lists)
    if pace is not None:
        older, newer, per_month = pace
        computed["ice_count_monthly_pace"] = (
            per_month, "agreements", None, f"agreements added a month, net and on average, from ICE's list of "
            f"{PartialDate.from_date(older.list_date).long} to its list of {PartialDate.from_date(newer.list_date).long}"
            " (rounded to ten)", None)
    for figure_id, (value, unit, noun, text, kind) in computed.items():
        if figure_id in figures:
            problems.append(Problem(f"{data_dir.name}/figures.yaml",
                                    f"figure {figure_id!r} is computed from data/ice_counts/; remove it from figures.yaml"))
            continue
        figures[figure_id] = Figure(id=figure_id, value=value, unit=unit, as_of=as_of, source=counts.state_source,
                                    label=text, noun=noun, confidence="V", kind=kind, data_set=STATE_COUNTS)


PACE_DAYS = 84  # the pace of ICE's count is measured over at least twelve weeks of its lists


def monthly_pace(lists) -> tuple | None:
    """(older list, newest list, agreements added per 30 days, rounded to ten) over the newest stretch of
    ICE's lists at least PACE_DAYS long; None when the lists span less."""
    dated = sorted(lists, key=lambda row: row.list_date)
    if not dated:
        return None
    newest = dated[-1]
    older = [row for row in dated if (newest.list_date - row.list_date).days >= PACE_DAYS]
    if not older:
        return None
    start = older[-1]
    days = (newest.list_date - start.list_date).days
    return start, newest, int(round((newest.total - start.total) / days * 30, -1))


@dataclass(frozen=True)
class DataSet:
    """One dated data set the briefs rest on: its name (for messages and notices), what it is, its date."""

    name: str
    label: str
    as_of: dt.date
    where: str

    def age(self, today: dt.date) -> int:
        return (today - self.as_of).days


def data_sets(content) -> list[DataSet]:
    """Every dated data set in the folder: ICE's agency-level and pending lists, ICE's state-level
    counts, ICE's list series, and each figure series (kind) whose newest figure is not computed from
    one of those (its date is the newest figure's)."""
    folder = content.data_dir.name
    found = []
    if content.agreements is not None:
        found.append(DataSet(AGENCY_LIST, "ICE's agency-level list", content.agreements.as_of,
                             f"{folder}/agreements/participating.csv"))
        if getattr(content.agreements, "pending_as_of", None) is not None:
            found.append(DataSet(PENDING_LIST, "ICE's pending-applications list", content.agreements.pending_as_of,
                                 f"{folder}/agreements/pending.csv"))
    if content.ice_counts is not None:
        found.append(DataSet(STATE_COUNTS, "ICE's counts by state", content.ice_counts.state_as_of,
                             f"{folder}/ice_counts/by_state.csv"))
        found.append(DataSet(LIST_SERIES, "ICE's counts by list", content.ice_counts.lists_as_of,
                             f"{folder}/ice_counts/lists.csv"))
    for kind, newest in sorted(newest_by_kind(content.figures).items()):
        if newest.data_set is None:
            found.append(DataSet(f"series:{kind}", f"the {kind} series", newest.as_of.last_day(),
                                 f"{folder}/figures.yaml"))
    if not found and content.figures:
        # A folder with no lists and no series: its newest figure dates it.
        found.append(DataSet(ALL_FIGURES, "the newest figure", max(figure.as_of.last_day()
                                                                   for figure in content.figures.values()),
                             f"{folder}/figures.yaml"))
    return found


def newest_by_kind(figures: dict[str, Figure]) -> dict[str, Figure]:
    """The newest figure of each kind (ties: a computed figure, then the first declared)."""
    newest: dict[str, Figure] = {}
    for figure in figures.values():
        if figure.kind is None:
            continue
        current = newest.get(figure.kind)
        if current is None or figure.as_of.last_day() > current.as_of.last_day() or (
                figure.as_of.last_day() == current.as_of.last_day() and figure.data_set and not current.data_set):
            newest[figure.kind] = figure
    return newest


def stale_data_sets(content, today: dt.date) -> dict[str, DataSet]:
    """The data sets older than data/brief.yaml's stale_after_days at `today`, by name."""
    limit = content.meta.stale_after_days
    return {data_set.name: data_set for data_set in data_sets(content) if data_set.age(today) > limit}


def is_stale(content, name: str, today: dt.date) -> bool:
    """Whether the data set called `name` (AGENCY_LIST, PENDING_LIST, STATE_COUNTS, LIST_SERIES or
    'series:<kind>') is older than the freshness limit at the brief's date `today`."""
    return name in stale_data_sets(content, today)


def stale_notice(content, name: str, today: dt.date) -> str | None:
    """The sentence an edition prints when it uses a stale data set (None when it is fresh)."""
    data_set = stale_data_sets(content, today).get(name)
    if data_set is None:
        return None
    when = PartialDate.from_date(data_set.as_of).long
    text = (f"{data_set.label[0].upper()}{data_set.label[1:]} used here is dated {when}, "
            f"{data_set.age(today):,} days before this brief, beyond the {content.meta.stale_after_days}-day "
            f"limit for current data")
    if name in (AGENCY_LIST, PENDING_LIST):
        text += "; update it with generate.py update-agreements and ICE's newest workbook"
    return text + "."


@dataclass(frozen=True)
class EditionDates:
    """What an edition's title block says about the age of what it prints."""

    # (label, text, age note, data set name): the headline count's list, the agency-level list, and any
    # other stale data set; the age note ('16 months before this brief') is empty unless the data set is stale.
    lines: tuple[tuple[str, str, str, str], ...]
    used: frozenset[str]  # names of the data sets the edition prints from
    notices: tuple[tuple[str, str], ...]  # (data set name, notice) for each stale one it prints from


def _months_before(as_of: dt.date, today: dt.date, t) -> str:
    """'16 months before this brief': whole calendar months from `as_of` to `today`."""
    months = (today.year - as_of.year) * 12 + today.month - as_of.month - (today.day < as_of.day)
    if months < 1:
        return t("dates.days_before", count=(today - as_of).days)
    return t("dates.months_before", count=months)


def _list_phrase(as_of: PartialDate, t) -> str:
    return t("dates.list_of", date=t.date(as_of))


def edition_dates(content, printed: set[str], *, today: dt.date, charts: tuple[str, ...] = (),
                  local: bool = False, messages=None) -> EditionDates:
    """The dates a reader needs: the date of the headline count (the newest agreement total the edition
    prints) and, where it differs, the date of the agency-level list behind agency facts; plus a notice
    for each stale data set the edition prints from. `printed` are figure ids, `charts` chart names,
    `local` whether the edition has a local section (which reads the agency-level list); `messages`
    the edition's catalogue (English by default)."""
    from .i18n import catalogue

    t = messages if messages is not None else catalogue("en", content.data_dir)
    figures = [content.figures[figure_id] for figure_id in printed if figure_id in content.figures]
    used = {figure.data_set for figure in figures if figure.data_set}
    used.update(f"series:{figure.kind}" for figure in figures if figure.kind and not figure.data_set)
    if figures and content.ice_counts is None and content.agreements is None and not any(f.kind for f in content.figures.values()):
        used.add(ALL_FIGURES)
    if "agreements_over_time" in charts and content.ice_counts is not None:
        used.add(LIST_SERIES)
    if local and content.agreements is not None:
        used.add(AGENCY_LIST)
    stale = stale_data_sets(content, today)

    def age(name: str | None) -> str:
        # Reader-facing: how long before the brief's date, in months (the freshness limit is a project
        # setting a reader cannot know; the `data-stale` marker still flags the line for the checks).
        if name not in stale or name not in used:
            return ""
        return _months_before(stale[name].as_of, today, t)

    lines: list[tuple[str, str, str, str]] = []
    totals = [figure for figure in figures if figure.kind == "agreements_total"]
    headline = max(totals, key=lambda figure: figure.as_of.last_day(), default=None)
    if headline is not None:
        what = (_list_phrase(headline.as_of, t) if headline.data_set in (STATE_COUNTS, AGENCY_LIST)
                else t.date(headline.as_of))
        lines.append((t("dates.agreement_count"), what, age(headline.data_set), headline.data_set or ""))
    agency_figures = [figure for figure in figures if figure.data_set == AGENCY_LIST]
    if (agency_figures or local) and content.agreements is not None:
        as_of = PartialDate.from_date(content.agreements.as_of)
        if headline is None or headline.data_set != AGENCY_LIST:
            lines.append((t("dates.agency_level"), t("dates.agency_level_text", date=t.date(as_of)),
                          age(AGENCY_LIST), AGENCY_LIST))
    if not lines and figures:
        newest = max(figures, key=lambda figure: figure.as_of.last_day())
        lines.append((t("dates.figures_as_of"), t.date(newest.as_of), age(ALL_FIGURES), ALL_FIGURES))
    shown = {line[3] for line in lines}
    for name in sorted(used):
        if name in stale and name not in shown:
            data_set = stale[name]
            label = t(f"data_sets.{name}") if t.has(f"data_sets.{name}") else data_set.label
            lines.append((t("dates.older_data"), t("dates.older_data_text", label=label, date=t.date(data_set.as_of)),
                          age(name), name))
    notices = tuple((name, stale_notice(content, name, today)) for name in sorted(used) if name in stale)
    return EditionDates(tuple(lines), frozenset(used), notices)


def newest_state_level(content) -> dict:
    """ICE's newest list that gives agreements by state and model: the state-level counts in
    data/ice_counts/ or the agency-level list in data/agreements/, whichever is dated later.
    Returns its date, source id, ICE's file name, total, counts by model and states ranked."""
    counts, agreements = content.ice_counts, content.agreements
    if counts is not None and (agreements is None or counts.state_as_of >= agreements.as_of):
        by_model = counts.state_by_model()
        return {"as_of": counts.state_as_of, "source": counts.state_source, "file": counts.state_file,
                "total": counts.state_total, "data_set": STATE_COUNTS, "figure": "ice_count_total",
                "models": {MODEL_NAMES[key]: by_model[key] for key in ("tfm", "wso", "jem")},
                "states": [(row.state, row.total) for row in counts.ranked_states()]}
    if agreements is None:
        raise ValueError("no ICE list in data/agreements/ or data/ice_counts/")
    by_model = agreements.by_model()
    return {"as_of": agreements.as_of, "source": agreements_source_id(agreements.as_of),
            "file": str(agreements.provenance.get("source_file", "")), "total": len(agreements.rows),
            "data_set": AGENCY_LIST, "figure": "ice_agreements_total",
            "models": {MODEL_NAMES[key]: by_model.get(MODEL_NAMES[key], 0) for key in ("tfm", "wso", "jem")},
            "states": list(agreements.by_state().items())}
