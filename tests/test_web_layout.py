"""The HTML edition on a phone: laid out 360 px wide, nothing is wider than the screen.

Browsers are not needed: WeasyPrint lays the HTML edition out on pages 360 px wide (the width of a small
phone) with the edition's own CSS, and every box must end inside the page, except inside a box that
scrolls (overflow other than visible), which must itself fit. A table or chart that widens the page,
so the whole page scrolls sideways and its text runs off the screen, fails here."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from policybrief.render import BriefOptions, render_html
from policybrief.validate import load_content
from policybrief.write import apply_resource_policy, make_url_fetcher

pytestmark = pytest.mark.slow  # every test here lays out web editions (with WeasyPrint or Chromium)

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("council", "law-enforcement", "community", "grant", "community-es")
PHONE = 360  # CSS px
PAGE = f"<style>@page {{ size: {PHONE}px 2000px; margin: 0; }}</style></head>"


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "data")


def boxes_past_the_edge(html: str, width: float = PHONE) -> list[str]:
    """Every box whose right edge is past `width` (a box that scrolls counts by its own edge only)."""
    import weasyprint

    document = weasyprint.HTML(string=html.replace("</head>", PAGE, 1), base_url=str(ROOT / "templates") + "/",
                               url_fetcher=make_url_fetcher()).render()
    found: list[str] = []

    def visit(box):
        right = box.border_box_x() + box.border_width() if hasattr(box, "border_width") else box.position_x
        element = getattr(box, "element_tag", None) or type(box).__name__
        if right > width + 0.5:
            classes = (box.element.get("class") or "") if getattr(box, "element", None) is not None else ""
            found.append(f"{element}.{classes.replace(' ', '.')} ends at {right:.0f} px")
        if box.style["overflow"] != "visible":
            return
        for child in getattr(box, "children", []):
            visit(child)

    for page in document.pages:
        visit(page._page_box)
    return found


def web_edition(content, edition: str) -> str:
    html = render_html(content, edition, BriefOptions(date=dt.date(2026, 12, 1), for_web=True))
    return apply_resource_policy(html)


@pytest.mark.parametrize("edition", EDITIONS)
def test_html_edition_fits_a_phone(content, edition):
    assert boxes_past_the_edge(web_edition(content, edition))[:5] == []


def test_the_check_sees_a_table_wider_than_the_screen(content):
    """The same check fails on the HTML edition as it was: the data for the charts in three columns, in a
    box that does not scroll (518 px wide in a 500 px window)."""
    html = web_edition(content, "council").replace("</style>", "html.web .chart-data .columns-3 { columns: 3 !important; }"
                                                   " html.web .chart-data > div { overflow: visible !important; }</style>", 1)
    past = boxes_past_the_edge(html)
    assert past and any(line.startswith(("table", "tr", "td", "th", "TableBox")) for line in past), past


CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(name)), None)
# A headless window is at least 500 px wide: the edition is laid out in a frame of the width wanted, and
# the frame's page reports how wide its document is.
MEASURE = """<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{name}" style="border:0;width:{width}px;height:800px"></iframe>
<script>window.onload = function () {{ var d = document.getElementById("f").contentDocument.documentElement;
var p = document.createElement("pre"); p.id = "measure"; p.textContent = d.scrollWidth + " " + d.clientWidth;
document.body.appendChild(p); }};</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("width", (360, 1280))
def test_html_edition_in_chromium_never_scrolls_sideways(content, tmp_path, width):
    import re
    import subprocess

    for edition in ("council", "law-enforcement"):
        (tmp_path / f"{edition}.html").write_text(web_edition(content, edition), encoding="utf-8")
        wrapper = tmp_path / f"measure-{edition}.html"
        wrapper.write_text(MEASURE.format(name=f"{edition}.html", width=width), encoding="utf-8")
        dom = subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update",
                              "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
                              "--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom",
                              wrapper.as_uri()], capture_output=True, text=True, timeout=120).stdout
        measured = re.search(r'<pre id="measure">(\d+) (\d+)</pre>', dom)
        assert measured, f"{edition}: Chromium did not report the layout"
        scroll_width, client_width = int(measured[1]), int(measured[2])
        assert scroll_width <= client_width, f"{edition} at {width} px: {scroll_width} px wide in {client_width} px"
