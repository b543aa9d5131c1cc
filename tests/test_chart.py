"""Charts: vector SVG, text as outlines in the headings' font, cached by input hash, alt text from data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policybrief.chart import render_chart
from policybrief.validate import load_content

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "data")


@pytest.mark.parametrize("name", ["agreements_over_time", "agreements_by_model", "participation_by_state"])
@pytest.mark.slow
def test_chart_is_svg_with_caption_alt_and_table(content, name, tmp_path):
    chart = render_chart(name, content, cache_dir=tmp_path)
    assert chart.svg.lstrip().startswith(b"<?xml") and b"<svg" in chart.svg
    assert b"<image" not in chart.svg  # vector only, no embedded bitmaps
    assert chart.caption and chart.title
    assert len(chart.alt) > 60 and "chart" in chart.alt.lower()
    assert chart.table_headers and chart.table_rows
    assert list(tmp_path.glob(f"{name}-*.svg"))


def test_alt_text_states_end_points_from_the_data(content, tmp_path):
    by_model = render_chart("agreements_by_model", content, cache_dir=tmp_path)
    assert by_model.alt == ("Bar chart of the 2,654 agreements on ICE's list dated October 9, 2026, by model: "
                            "Task Force Model 1,902, Warrant Service Officer 569, Jail Enforcement Model 183.")
    over_time = render_chart("agreements_over_time", content, cache_dir=tmp_path)
    assert "Agencies with agreements: 29 on September 1, 2007, rising to 72 in 2011, falling to 35 in January 2017" in over_time.alt


def test_same_inputs_give_identical_svg(content, tmp_path):
    first = render_chart("agreements_by_model", content, cache_dir=tmp_path / "a").svg
    second = render_chart("agreements_by_model", content, cache_dir=tmp_path / "b").svg
    assert first == second


@pytest.mark.slow
def test_cached_chart_does_not_import_matplotlib(tmp_path):
    code = f"""
import sys
from pathlib import Path
from policybrief.chart import render_chart
from policybrief.validate import load_content
content = load_content(Path({str(ROOT / 'data')!r}))
render_chart('agreements_by_model', content, cache_dir=Path({str(tmp_path)!r}))
print('matplotlib' in sys.modules)
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    again = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    assert again.stdout.strip() == "False"


def test_grayscale_palette_is_distinct():
    from policybrief.charts._style import PALETTE

    def luminance(colour):
        red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    levels = sorted(luminance(colour) for colour in PALETTE)
    assert all(later - earlier > 40 for earlier, later in zip(levels, levels[1:]))


def test_by_model_and_by_state_use_the_newest_list_that_counts_them(content, tmp_path):
    by_model = render_chart("agreements_by_model", content, cache_dir=tmp_path)
    assert by_model.caption == ("Agreements on ICE's participating-agencies list of October 9, 2026 "
                                "(participatingAgencies10092026.xlsx), by model (total 2,654; one agency may "
                                "hold several).")
    assert by_model.table_rows == [["Task Force Model", "1,902"], ["Warrant Service Officer", "569"],
                                   ["Jail Enforcement Model", "183"], ["Total", "2,654"]]
    assert by_model.sources == ("ice_list_2026_10_09",) and by_model.figure_ids == ("ice_count_total",)
    by_state = render_chart("participation_by_state", content, cache_dir=tmp_path)
    assert by_state.caption.startswith("Agreements on ICE's participating-agencies list of October 9, 2026 "
                                       "(participatingAgencies10092026.xlsx), for the 10 states with the most")
    assert by_state.table_rows[:3] == [["Texas", "549"], ["Florida", "353"], ["Arkansas", "179"]]
    assert by_state.table_rows[-2:] == [["Other 30 states and territories", "646"], ["Total", "2,654"]]


def test_over_time_draws_ices_lists_by_month_and_agency_counts_apart(content, tmp_path):
    from policybrief.charts import agreements_over_time as chart

    data = chart.prepare(content)
    lists = chart.series(data)["ice_lists"]
    assert (lists[0]["date"], lists[0]["value"]) == ("2021-01-16", 148)  # January 2021's last list
    assert (lists[-1]["date"], lists[-1]["value"], lists[-1]["id"]) == ("2026-10-09", 2654, "ice_count_total")
    months = [point["date"][:7] for point in lists]
    assert len(months) == len(set(months)), "one point per month"
    # Breaks: the web-page table (to December 2024) and the workbooks (from May 2025); no list kept
    # between July 2025 and June 2026.
    runs = chart.segments(lists, chart.GAP_DAYS["ice_lists"])
    assert [(run[0]["date"][:7], run[-1]["date"][:7]) for run in runs] == [
        ("2021-01", "2024-12"), ("2025-05", "2025-07"), ("2026-06", "2026-10")]
    agencies = chart.series(data)["agencies"]
    assert [p["by"] for p in agencies][:3] == ["GAO", "GAO", "CRS"]
    assert [p["value"] for p in chart.series(data)["dhs"]] == [135, 958, 1001]
    rendered = render_chart("agreements_over_time", content, cache_dir=tmp_path)
    assert rendered.table_headers == ["As of", "Count", "By"]
    assert ["Oct. 9, 2026", "2,654", "ICE list"] in rendered.table_rows
    assert ["Sept. 1, 2007", "29", "GAO, agencies"] in rendered.table_rows
    assert ["2011", "72", "CRS, agencies"] in rendered.table_rows
    assert "Newest list: ICE's of October 9, 2026 (participatingAgencies10092026.xlsx)." in rendered.caption


def test_over_time_series_differ_in_marker_and_line_not_only_colour():
    from policybrief.charts.agreements_over_time import STYLES

    assert len({style["marker"] for style in STYLES.values()}) == 3
    assert len({style["linestyle"] for style in STYLES.values()}) == 3


def test_by_model_falls_back_to_the_agency_level_list_when_it_is_newer(content):
    import dataclasses
    import datetime as dt

    from policybrief.charts import agreements_by_model

    newer = dataclasses.replace(content.ice_counts, state_as_of=dt.date(2025, 1, 1))
    older_counts = type(content)(**{**vars(content), "ice_counts": newer})
    data = agreements_by_model.prepare(older_counts)
    assert (data["as_of"], data["source"], data["figure"], data["total"]) == \
        ("May 18, 2026", "ice_list_2026_05_18", "ice_agreements_total", len(content.agreements.rows))
