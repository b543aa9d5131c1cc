"""Chart: agreements on ICE's newest state-level list by state, ranked (the largest, the rest summed)."""

from __future__ import annotations

from policybrief.figures import format_number, newest_state_level
from policybrief.model import PartialDate

TITLE = "287(g) agreements by state"
SHOWN = 10


def prepare(content) -> dict:
    """States ranked by agreements on ICE's newest list that counts them (data/ice_counts/ or data/agreements/)."""
    newest = newest_state_level(content)
    return {"as_of": PartialDate.from_date(newest["as_of"]).long, "source": newest["source"],
            "file": newest["file"], "figure": newest["figure"],
            "states": [{"state": state, "count": count} for state, count in newest["states"]],
            "total": newest["total"]}


def draw(data: dict):
    from ._style import GRID, INK, PALETTE, WIDTH_IN, setup

    pyplot = setup()
    shown = data["states"][:SHOWN]
    figure, axes = pyplot.subplots(figsize=(WIDTH_IN, 0.16 * len(shown) + 0.5))
    names = [row["state"] for row in shown][::-1]
    counts = [row["count"] for row in shown][::-1]
    bars = axes.barh(names, counts, color=PALETTE[0], edgecolor=INK, linewidth=0.4, height=0.7)
    for bar, count in zip(bars, counts):
        axes.text(bar.get_width() + max(counts) * 0.008, bar.get_y() + bar.get_height() / 2,
                  format_number(count), va="center", fontsize=7.5, color=INK)
    axes.set_xlim(0, max(counts) * 1.1)
    axes.set_xlabel("Agreements")
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    figure.tight_layout(pad=0.4)
    return figure


def _rest(data: dict) -> tuple[int, int]:
    rest = data["states"][SHOWN:]
    return len(rest), sum(row["count"] for row in rest)


def caption(data: dict) -> str:
    states, count = _rest(data)
    return (f"Agreements on ICE's participating-agencies list of {data['as_of']} ({data['file']}), for the "
            f"{min(SHOWN, len(data['states']))} states with the most; the other {states} states and territories "
            f"listed hold {format_number(count)} (total {format_number(data['total'])}).")


def alt_text(data: dict) -> str:
    top = data["states"][:5]
    states, count = _rest(data)
    return (f"Ranked bar chart of agreements by state on ICE's list of {data['as_of']}. "
            f"{len(data['states'])} states and territories have at least one agreement. The largest are "
            + ", ".join(f"{row['state']} ({format_number(row['count'])})" for row in top)
            + f". The {states} states not shown hold {format_number(count)} together.")


def table(data: dict) -> tuple[list[str], list[list[str]]]:
    """The bars as drawn, plus one row for the states not shown."""
    rows = [[row["state"], format_number(row["count"])] for row in data["states"][:SHOWN]]
    states, count = _rest(data)
    if states:
        rows.append([f"Other {states} states and territories", format_number(count)])
    rows.append(["Total", format_number(data["total"])])
    return ["State", "Agreements"], rows


def sources(data: dict) -> list[str]:
    return [data["source"]]


def figure_ids(data: dict) -> list[str]:
    return [data["figure"]]
