"""Chart: 287(g) participation over time, agencies (GAO/CRS/MPI era) and agreements (ICE/DHS era)."""

from __future__ import annotations

import datetime as dt

from policybrief.figures import format_number
from policybrief.model import PartialDate

TITLE = "287(g) participation over time"
UNIT_LABELS = {"agencies": "Agencies with agreements", "agreements": "Agreements"}


def prepare(content) -> dict:
    """Counts read in primary sources (`series_*` figures marked V), the count from the shipped ICE list,
    and the newest count of all (labelled secondary where it is); events flagged for the chart.

    Earlier ICE lists are left out: the shipped list stands for them, and each would add a source."""
    candidates = [figure for figure in content.figures.values()
                  if figure.id.startswith("series_") or figure.id == "ice_agreements_total"]
    newest = max(candidates, key=lambda figure: figure.as_of)
    points = []
    for figure in candidates:
        shipped_list = figure.id == "ice_agreements_total"
        if figure.source.startswith("ice_list_") and not shipped_list:
            continue
        if figure.confidence == "V" or figure is newest or shipped_list:
            points.append({"id": figure.id, "date": figure.as_of.iso, "value": figure.value,
                           "unit": figure.unit, "source": figure.source, "confidence": figure.confidence})
    seen = set()
    unique = []
    for point in sorted(points, key=lambda p: (p["date"], p["unit"])):
        if (point["date"], point["unit"]) not in seen:
            seen.add((point["date"], point["unit"]))
            unique.append(point)
    events = [{"date": event.date.iso, "label": event.label}
              for event in content.events if event.on_chart and event.label]
    return {"points": unique, "events": events}


def _as_date(iso: str) -> dt.date:
    parts = [int(p) for p in iso.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)


def _long(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    return PartialDate(*parts).long


GAP_YEARS = 3  # points further apart than this are not joined: there is no data in between


def segments(points: list[dict]) -> list[list[dict]]:
    """Split a series where consecutive points are more than GAP_YEARS apart."""
    runs: list[list[dict]] = []
    for point in points:
        if runs and (_as_date(point["date"]) - _as_date(runs[-1][-1]["date"])).days <= GAP_YEARS * 366:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _when(iso: str) -> str:
    """'on September 1, 2007', 'in September 2020' or 'in 2009'."""
    return f"{'on' if iso.count('-') == 2 else 'in'} {_long(iso)}"


def series(data: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for point in data["points"]:
        grouped.setdefault(point["unit"], []).append(point)
    return grouped


def draw(data: dict):
    from matplotlib.ticker import FixedLocator, NullLocator

    from ._style import GRID, INK, PALETTE, WIDTH_IN, setup

    pyplot = setup()
    figure, axes = pyplot.subplots(figsize=(WIDTH_IN, 2.05))
    styles = {"agencies": dict(color=PALETTE[1], marker="o", linestyle="--", markerfacecolor="white"),
              "agreements": dict(color=PALETTE[0], marker="s", linestyle="-")}
    # A log scale: the counts span two orders of magnitude (tens of agencies to thousands of agreements).
    axes.set_yscale("log")
    ticks = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
    axes.yaxis.set_major_locator(FixedLocator(ticks))
    axes.yaxis.set_minor_locator(NullLocator())
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{int(value):,}")
    axes.set_ylim(10, 6000)
    for unit, points in series(data).items():
        for run in segments(points):
            axes.plot([_as_date(p["date"]) for p in run], [p["value"] for p in run],
                      linewidth=1.4, markersize=4, **styles.get(unit, {}))
        last = points[-1]
        axes.annotate(format_number(last["value"]), xy=(_as_date(last["date"]), last["value"]),
                      xytext=(5, -3), textcoords="offset points", fontsize=8, color=INK)
        # Direct label beside the line's first recent run instead of a legend.
        anchor = segments(points)[-1][0] if unit == "agreements" else points[len(points) // 2]
        axes.annotate(UNIT_LABELS.get(unit, unit), xy=(_as_date(anchor["date"]), anchor["value"]),
                      xytext=(-6, 6) if unit == "agreements" else (0, 12), textcoords="offset points",
                      ha="right" if unit == "agreements" else "center", fontsize=8, fontweight="semibold",
                      color=styles.get(unit, {}).get("color", INK))
    for number, event in enumerate(data["events"], start=1):
        when = _as_date(event["date"])
        axes.axvline(when, color=GRID, linewidth=0.8, zorder=0)
        axes.annotate(str(number), xy=(when, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                      textcoords="offset points", ha="center", va="bottom", fontsize=7.5, color=INK,
                      bbox=dict(boxstyle="circle,pad=0.2", facecolor="white", edgecolor=INK, linewidth=0.6))
    axes.set_xlim(dt.date(2006, 1, 1), dt.date(2027, 6, 30))
    axes.set_ylabel("Count (log scale)")
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    figure.tight_layout(pad=0.4)
    return figure


def caption(data: dict) -> str:
    events = "; ".join(f"({number}) {event['label']}, {_long(event['date'])}"
                       for number, event in enumerate(data["events"], start=1))
    return ("Agencies with 287(g) agreements (dashed line, open circles) and 287(g) agreements (solid line, "
            "squares), on a logarithmic scale. One agency can hold agreements for up to three models, so "
            "the two units are not comparable; gaps mean no count was found. Numbered lines: " + events + ".")


def alt_text(data: dict) -> str:
    sentences = ["Line chart of 287(g) participation over time."]
    for unit, points in series(data).items():
        first, last = points[0], points[-1]
        text = f"{UNIT_LABELS.get(unit, unit)}: {format_number(first['value'])} {_when(first['date'])}"
        middle = points[1:-1]
        if middle:
            dip = min(middle, key=lambda p: p["value"])
            before = points[:points.index(dip)]
            peak = max(before, key=lambda p: p["value"])
            if peak is not first and dip["value"] < peak["value"]:
                text += (f", rising to {format_number(peak['value'])} {_when(peak['date'])}, falling to "
                         f"{format_number(dip['value'])} {_when(dip['date'])},")
        text += f" and {format_number(last['value'])} {_when(last['date'])}."
        gaps = len(segments(points)) - 1
        if gaps:
            text += f" The line has {gaps} gap{'s' if gaps > 1 else ''} where no count was found."
        sentences.append(text)
    if data["events"]:
        sentences.append("Marked events: " + "; ".join(
            f"{e['label']} ({_long(e['date'])})" for e in data["events"]) + ".")
    return " ".join(sentences)


def table(data: dict) -> tuple[list[str], list[list[str]]]:
    rows = [[_long(p["date"]), format_number(p["value"]), p["unit"],
             "secondary source" if p["confidence"] == "S" else "primary source"]
            for p in data["points"]]
    return ["As of", "Count", "Unit", "Basis"], rows


def sources(data: dict) -> list[str]:
    return sorted({point["source"] for point in data["points"]})


def figure_ids(data: dict) -> list[str]:
    return [point["id"] for point in data["points"]]
