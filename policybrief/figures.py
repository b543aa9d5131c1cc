"""Format sourced figures for print, and derive figures from ICE's participating-agencies list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def format_figure(figure: Figure, *, with_unit: bool = True) -> str:
    """'832 agreements', '$675,000', '$3.7 million', '65%', '40 hours', '33 recommendations'."""
    value = figure.value
    if figure.unit == "usd":
        if value >= 1_000_000:
            return f"${format_number(round(value / 1_000_000, 2))} million"
        return f"${format_number(value)}"
    if figure.unit == "percent":
        return f"{format_number(value)}%"
    number = format_number(value)
    if not with_unit:
        return number
    if figure.noun:
        return f"{number} {figure.noun}"
    if figure.unit in UNIT_NOUNS:
        singular, plural = UNIT_NOUNS[figure.unit]
        return f"{number} {singular if value == 1 else plural}"
    return number


def agreements_source_id(as_of: dt.date) -> str:
    return f"ice_list_{as_of:%Y_%m_%d}"


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


def pending_source_id(as_of: dt.date) -> str:
    return f"ice_pending_{as_of:%Y_%m_%d}"


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
    pending = pending_source(agreements)
    if pending is not None:
        sources.setdefault(pending.id, pending)
    as_of = PartialDate.from_date(agreements.as_of)
    by_model = agreements.by_model()
    by_type = agreements.by_agency_type()
    by_state = dict(agreements.by_state())
    computed = {
        "ice_agreements_total": (len(agreements.rows), "agreements", None, "287(g) agreements on ICE's list"),
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
                                    label=label, noun=noun, confidence="V")
