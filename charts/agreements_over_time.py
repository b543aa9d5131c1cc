"""Chart: 287(g) participation over time, agencies (GAO/CRS/MPI era) and agreements (ICE/DHS era)."""

from __future__ import annotations

import datetime as dt

from policybrief.figures import format_number
from policybrief.model import PartialDate

TITLE = "287(g) participation over time"
UNIT_LABELS = {"agencies": "Agencies with agreements", "agreements": "Agreements"}


def prepare(content) -> dict:
    """Every `series_*` figure plus the count from the shipped ICE list; events flagged for the chart."""
    points = []
    for figure in content.figures.values():
        if figure.id.startswith("series_") or figure.id == "ice_agreements_total":
            points.append({"date": figure.as_of.iso, "value": figure.value, "unit": figure.unit,
                           "source": figure.source, "confidence": figure.confidence})
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


def series(data: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for point in data["points"]:
        grouped.setdefault(point["unit"], []).append(point)
    return grouped


def draw(data: dict):
    from ._style import GRID, INK, PALETTE, WIDTH_IN, setup

    pyplot = setup()
    figure, axes = pyplot.subplots(figsize=(WIDTH_IN, 2.9))
    styles = {"agencies": dict(color=PALETTE[1], marker="o", linestyle="--", markerfacecolor="white"),
              "agreements": dict(color=PALETTE[0], marker="s", linestyle="-")}
    top = max(point["value"] for point in data["points"])
    for unit, points in series(data).items():
        xs = [_as_date(p["date"]) for p in points]
        ys = [p["value"] for p in points]
        axes.plot(xs, ys, linewidth=1.4, markersize=4, **styles.get(unit, {}))
        # Direct label at the end of each line instead of a legend.
        axes.annotate(f"{UNIT_LABELS.get(unit, unit)}", xy=(xs[-1], ys[-1]),
                      xytext=(-4, 8 if unit == "agreements" else 10), textcoords="offset points",
                      ha="right" if unit == "agreements" else "left",
                      fontsize=8, fontweight="semibold", color=styles.get(unit, {}).get("color", INK))
        for x, y in ((xs[-1], ys[-1]),):
            axes.annotate(format_number(y), xy=(x, y), xytext=(5, -3), textcoords="offset points",
                          fontsize=8, color=INK)
    for event in data["events"]:
        when = _as_date(event["date"])
        axes.axvline(when, color=GRID, linewidth=0.8, zorder=0)
        axes.text(when, top * 1.02, event["label"], rotation=90, va="bottom", ha="right",
                  fontsize=7.5, color=INK)
    axes.set_ylim(0, top * 1.45)
    axes.set_xlim(dt.date(2006, 1, 1), dt.date(2027, 6, 30))
    axes.set_ylabel("Count (unit as labelled)")
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{int(value):,}")
    figure.tight_layout(pad=0.4)
    return figure


def caption(data: dict) -> str:
    return ("Agencies with 287(g) agreements (dashed line, circles; counts from GAO, CRS and MPI) and "
            "287(g) agreements (solid line, squares; ICE's list, DHS releases and a reconstruction of "
            "ICE's lists). One agency can hold agreements for up to three models, so the two units "
            "are not comparable. Vertical lines mark policy events.")


def alt_text(data: dict) -> str:
    sentences = ["Line chart of 287(g) participation over time."]
    for unit, points in series(data).items():
        first, last = points[0], points[-1]
        peak = max(points, key=lambda p: p["value"])
        text = (f"{UNIT_LABELS.get(unit, unit)} went from {format_number(first['value'])} in "
                f"{_long(first['date'])}")
        if peak is not last and peak is not first:
            text += f" to a high of {format_number(peak['value'])} in {_long(peak['date'])}"
        text += f" and stood at {format_number(last['value'])} in {_long(last['date'])}."
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
