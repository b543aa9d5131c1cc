"""Chart: agreements on ICE's list by state, ranked (the largest states, the rest summed)."""

from __future__ import annotations

from policybrief.figures import agreements_source_id, format_number
from policybrief.model import PartialDate

TITLE = "287(g) agreements by state"
SHOWN = 10


def prepare(content) -> dict:
    agreements = content.agreements
    ranked = [{"state": state, "count": count} for state, count in agreements.by_state().items()]
    return {"as_of": PartialDate.from_date(agreements.as_of).long,
            "source": agreements_source_id(agreements.as_of), "states": ranked,
            "total": len(agreements.rows)}


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
    return (f"Agreements on ICE's list dated {data['as_of']}, for the {min(SHOWN, len(data['states']))} "
            f"states with the most; the other {states} states listed hold {format_number(count)}.")


def alt_text(data: dict) -> str:
    top = data["states"][:5]
    states, count = _rest(data)
    return (f"Ranked bar chart of agreements by state on ICE's list dated {data['as_of']}. "
            f"{len(data['states'])} states have at least one agreement. The largest are "
            + ", ".join(f"{row['state']} ({format_number(row['count'])})" for row in top)
            + f". The {states} states not shown hold {format_number(count)} together.")


def table(data: dict) -> tuple[list[str], list[list[str]]]:
    """The bars as drawn, plus one row for the states not shown."""
    rows = [[row["state"], format_number(row["count"])] for row in data["states"][:SHOWN]]
    states, count = _rest(data)
    if states:
        rows.append([f"Other {states} states", format_number(count)])
    return ["State", "Agreements"], rows


def sources(data: dict) -> list[str]:
    return [data["source"]]


def figure_ids(data: dict) -> list[str]:
    return ["ice_agreements_total"]
