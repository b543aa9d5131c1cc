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
    from charts._style import PALETTE

    def luminance(colour):
        red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    levels = sorted(luminance(colour) for colour in PALETTE)
    assert all(later - earlier > 40 for earlier, later in zip(levels, levels[1:]))
