"""Chart: 287(g) participation over time: agreements on ICE's own lists (2021-2026, one point per month),
DHS's 2025 counts, and the earlier agency counts of GAO, CRS and MPI as a separate series."""

from __future__ import annotations

import datetime as dt

from policybrief.figures import AGENCY_LIST, format_number
from policybrief.model import PartialDate

TITLE = "287(g) participation over time"
SERIES = ("ice_lists", "dhs", "agencies")
SERIES_LABELS = {"ice_lists": "Agreements on ICE's lists", "dhs": "Agreements counted by DHS",
                 "agencies": "Agencies with agreements"}
ISSUERS = {"U.S. Government Accountability Office": "GAO", "Congressional Research Service": "CRS",
           "U.S. Department of Homeland Security": "DHS", "Migration Policy Institute": "MPI",
           "U.S. Immigration and Customs Enforcement": "ICE"}
# Points further apart than this are not joined: nothing was counted in between. (The archive keeps
# a 2021-2024 capture only when the table changed, so months apart there still mean one unchanged list.)
GAP_DAYS = {"ice_lists": 250, "dhs": 0, "agencies": 3 * 366}
# ICE's web-page table (to December 2024) and its workbooks (from 2025) are not joined: the first
# workbooks of 2025 were overwritten before anyone archived them.
HTML_TABLE_SOURCE = "ice_lists_2021_2024"


def _issuer(content, source_id: str) -> str:
    source = content.sources.get(source_id)
    if source is None:
        return source_id
    issuer = source.publisher or next((a.get("literal") for a in source.authors if a.get("literal")), "")
    return ISSUERS.get(issuer, issuer or source_id)


def prepare(content) -> dict:
    """ICE's lists from data/ice_counts/lists.csv (the newest list of each month); DHS's counts of
    agreements (series_* figures from DHS, primary); agencies counted by GAO, CRS and MPI (series_*
    agency figures marked V) and on ICE's agency-level list; and the events flagged for the chart."""
    points = []
    if content.ice_counts is not None:
        counts = content.ice_counts
        for row in counts.per_month():
            # The state-level list's total is a figure of its own (the headline): name it.
            same = row.list_date == counts.state_as_of and row.total == counts.state_total
            points.append({"series": "ice_lists", "date": row.list_date.isoformat(), "value": row.total,
                           "source": row.source, "by": "ICE list", "id": "ice_count_total" if same else None,
                           "file": row.ice_file})
    for figure in content.figures.values():
        if not figure.id.startswith("series_") or figure.confidence != "V":
            continue
        by = _issuer(content, figure.source)
        if figure.unit == "agreements" and by == "DHS":
            points.append({"series": "dhs", "date": figure.as_of.iso, "value": figure.value,
                           "source": figure.source, "by": by, "id": figure.id, "file": None})
        elif figure.unit == "agencies":
            points.append({"series": "agencies", "date": figure.as_of.iso, "value": figure.value,
                           "source": figure.source, "by": by, "id": figure.id, "file": None})
    agencies = content.figures.get("ice_agencies_total")
    if agencies is not None and agencies.data_set == AGENCY_LIST:
        points.append({"series": "agencies", "date": agencies.as_of.iso, "value": agencies.value,
                       "source": agencies.source, "by": "ICE", "id": agencies.id, "file": None})
    points.sort(key=lambda p: (_as_date(p["date"]), SERIES.index(p["series"])))
    events = [{"date": event.date.iso, "label": event.label}
              for event in content.events if event.on_chart and event.label]
    newest = max((p for p in points if p["series"] == "ice_lists"), key=lambda p: p["date"], default=None)
    return {"points": points, "events": events, "newest_list": newest["date"] if newest else None,
            "newest_file": newest["file"] if newest else None}


def _as_date(iso: str) -> dt.date:
    parts = [int(p) for p in iso.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)


def _long(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    return PartialDate(*parts).long


SHORT_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


def _short(iso: str) -> str:
    """'Sept. 30, 2026', 'Feb. 2009' or '2011' (AP-style months, for the narrow data table)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = SHORT_MONTHS[parts[1] - 1]
    return f"{month} {parts[2]}, {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def series(data: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for point in data["points"]:
        grouped.setdefault(point["series"], []).append(point)
    return {name: grouped[name] for name in SERIES if name in grouped}


def segments(points: list[dict], gap_days: int) -> list[list[dict]]:
    """Split a series where consecutive points are more than `gap_days` apart, or where ICE's lists
    change from the web-page table to the workbooks."""
    runs: list[list[dict]] = []
    for point in points:
        if runs:
            previous = runs[-1][-1]
            near = (_as_date(point["date"]) - _as_date(previous["date"])).days <= gap_days
            same_format = (previous["source"] == HTML_TABLE_SOURCE) == (point["source"] == HTML_TABLE_SOURCE)
            if near and same_format:
                runs[-1].append(point)
                continue
        runs.append([point])
    return runs


def _when(iso: str) -> str:
    """'on September 1, 2007', 'in September 2020' or 'in 2009'."""
    return f"{'on' if iso.count('-') == 2 else 'in'} {_long(iso)}"


STYLES = {
    "ice_lists": dict(color="#1f3b5a", marker="s", linestyle="-", markersize=2.6, linewidth=1.4),
    "dhs": dict(color="#1a1a1a", marker="^", linestyle="none", markersize=5, markerfacecolor="white",
                markeredgewidth=1.0),
    "agencies": dict(color="#5f7f9e", marker="o", linestyle="--", markersize=3.6, markerfacecolor="white",
                     linewidth=1.3),
}


def draw(data: dict):
    from matplotlib.ticker import FixedLocator, NullLocator

    from ._style import GRID, INK, WIDTH_IN, setup

    pyplot = setup()
    figure, axes = pyplot.subplots(figsize=(WIDTH_IN, 2.0))
    # A log scale: the counts span two orders of magnitude (tens of agencies to thousands of agreements).
    axes.set_yscale("log")
    ticks = [20, 50, 100, 200, 500, 1000, 2000, 5000]
    axes.yaxis.set_major_locator(FixedLocator(ticks))
    axes.yaxis.set_minor_locator(NullLocator())
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{int(value):,}")
    axes.set_ylim(20, 6000)
    handles = []
    for name, points in series(data).items():
        style = STYLES[name]
        for index, run in enumerate(segments(points, GAP_DAYS[name])):
            line, = axes.plot([_as_date(p["date"]) for p in run], [p["value"] for p in run], **style)
            if index == 0:
                line.set_label(SERIES_LABELS[name])
                handles.append(line)
        if name == "ice_lists":  # the newest count, labelled; the table gives every value
            last = points[-1]
            axes.annotate(format_number(last["value"]), xy=(_as_date(last["date"]), last["value"]),
                          xytext=(5, -3), textcoords="offset points", fontsize=8, color=INK)
    for number, event in enumerate(data["events"], start=1):
        when = _as_date(event["date"])
        axes.axvline(when, color=GRID, linewidth=0.8, zorder=0)
        axes.annotate(str(number), xy=(when, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                      textcoords="offset points", ha="center", va="bottom", fontsize=7.5, color=INK,
                      bbox=dict(boxstyle="circle,pad=0.2", facecolor="white", edgecolor=INK, linewidth=0.6))
    axes.legend(handles=handles, loc="upper left", fontsize=7.5, frameon=True, framealpha=1,
                edgecolor=GRID, handlelength=2.6)
    axes.set_xlim(dt.date(2006, 1, 1), dt.date(2027, 6, 30))
    axes.set_ylabel("Count (log scale)")
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    figure.tight_layout(pad=0.4)
    return figure


def caption(data: dict) -> str:
    events = "; ".join(f"({number}) {event['label']}, {_long(event['date'])}"
                       for number, event in enumerate(data["events"], start=1))
    newest = (f" Newest list: ICE's of {_long(data['newest_list'])} ({data['newest_file']})."
              if data["newest_list"] else "")
    text = ("Solid line, squares: agreements on ICE's own lists, one point per month (the month's last list), "
            "from the table on ICE's 287(g) page (2021\u20132024) and ICE's workbooks (from May 2025), broken "
            "where no list was kept. Triangles: DHS's counts of agreements, 2025. Dashed line, open circles: "
            "agencies with agreements (GAO, CRS, MPI; ICE's agency-level list). Log scale; one agency can hold "
            "up to three agreements, so the units differ." + newest)
    return text + (" Numbered lines: " + events + "." if events else "")


def alt_text(data: dict) -> str:
    sentences = ["Line chart of 287(g) participation over time."]
    for name, points in series(data).items():
        first, last = points[0], points[-1]
        text = f"{SERIES_LABELS[name]}: {format_number(first['value'])} {_when(first['date'])}"
        middle = points[1:-1]
        if middle:
            low = min(middle, key=lambda p: p["value"])
            high = max(points[:points.index(low)] or [first], key=lambda p: p["value"])
            if high is not first and low["value"] < high["value"]:
                text += (f", rising to {format_number(high['value'])} {_when(high['date'])}, falling to "
                         f"{format_number(low['value'])} {_when(low['date'])},")
            elif low["value"] < first["value"]:
                text += f", falling to {format_number(low['value'])} {_when(low['date'])},"
        text += f" and {format_number(last['value'])} {_when(last['date'])}."
        sentences.append(text)
    if data["events"]:
        sentences.append("Marked events: " + "; ".join(
            f"{e['label']} ({_long(e['date'])})" for e in data["events"]) + ".")
    return " ".join(sentences)


def table(data: dict) -> tuple[list[str], list[list[str]]]:
    """One row per point: its date, the count, and who counted what (agreements unless 'agencies')."""
    rows = []
    for point in data["points"]:
        what = f"{point['by']}, agencies" if point["series"] == "agencies" else point["by"]
        rows.append([_short(point["date"]), format_number(point["value"]), what])
    return ["As of", "Count", "By"], rows


def sources(data: dict) -> list[str]:
    return sorted({point["source"] for point in data["points"]})


def figure_ids(data: dict) -> list[str]:
    return [point["id"] for point in data["points"] if point["id"]]
