"""Chart: agreements on ICE's newest list by model (task force, warrant service officer, jail)."""

from __future__ import annotations

from policybrief.figures import MODEL_NAMES, format_number, newest_state_level
from policybrief.model import PartialDate

TITLE = "287(g) agreements by model"


def prepare(content) -> dict:
    """Counts by model from ICE's newest list that has them (data/ice_counts/ or data/agreements/)."""
    newest = newest_state_level(content)
    return {"as_of": PartialDate.from_date(newest["as_of"]).long, "source": newest["source"],
            "file": newest["file"], "figure": newest["figure"],
            "models": [{"name": MODEL_NAMES[key], "count": newest["models"][MODEL_NAMES[key]]}
                       for key in ("tfm", "wso", "jem")],
            "total": newest["total"]}


def draw(data: dict):
    from ._style import GRID, INK, PALETTE, WIDTH_IN, setup

    pyplot = setup()
    figure, axes = pyplot.subplots(figsize=(WIDTH_IN, 1.15))
    names = [model["name"] for model in data["models"]][::-1]
    counts = [model["count"] for model in data["models"]][::-1]
    hatches = ["", "//", ".."][::-1]
    bars = axes.barh(names, counts, color=PALETTE[::-1], edgecolor=INK, linewidth=0.6, height=0.62)
    for bar, hatch in zip(bars, hatches):
        bar.set_hatch(hatch)
    for bar, count in zip(bars, counts):
        share = 100 * count / data["total"] if data["total"] else 0
        axes.text(bar.get_width() + max(counts) * 0.01, bar.get_y() + bar.get_height() / 2,
                  f"{format_number(count)} ({share:.0f}%)", va="center", fontsize=8, color=INK)
    axes.set_xlim(0, max(counts) * 1.22)
    axes.set_xlabel("Agreements")
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    figure.tight_layout(pad=0.4)
    return figure


def caption(data: dict) -> str:
    return (f"Agreements on ICE's participating-agencies list of {data['as_of']} ({data['file']}), by model "
            f"(total {format_number(data['total'])}; one agency may hold several).")


def alt_text(data: dict) -> str:
    parts = [f"{m['name']} {format_number(m['count'])}" for m in data["models"]]
    return (f"Bar chart of the {format_number(data['total'])} agreements on ICE's list dated "
            f"{data['as_of']}, by model: " + ", ".join(parts) + ".")


def table(data: dict) -> tuple[list[str], list[list[str]]]:
    rows = [[m["name"], format_number(m["count"])] for m in data["models"]]
    rows.append(["Total", format_number(data["total"])])
    return ["Model", "Agreements"], rows


def sources(data: dict) -> list[str]:
    return [data["source"]]


def figure_ids(data: dict) -> list[str]:
    return [data["figure"]]
