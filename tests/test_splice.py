"""A batch lays a local edition's national part out once and joins each county's front pages to it: the file
must be the one a single build writes, byte for byte (same text in the same order, notes, outline, tags,
page numbers, title and metadata), and pass the PDF/UA checker."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from policybrief.build import build_brief
from policybrief.local import resolve_jurisdiction
from policybrief.render import BriefOptions, render_html
from policybrief.splice import MARKER, NationalParts, national_html
from policybrief.write import apply_resource_policy, render_pdf

DATE = dt.date(2026, 12, 1)
# Two Illinois counties without an agreement, whose local section fills its page (the national part starts
# on the next page and is laid out once for both), and two Georgia counties whose section ends high on a page
# (one city agreement; local facts), where the national part runs on after it. (On ICE's list of May 2026,
# Georgia's counties without an agreement run a few lines onto a second page.)
PLACES = ["Cook County, IL", "Bartow County, GA", "Cobb County, GA", "DuPage County, IL"]
SPLICED, RUN_ON = ["Cook County, IL", "DuPage County, IL"], ["Bartow County, GA", "Cobb County, GA"]


def _pdf(content, edition: str, place: str, parts=None, *, large_print: bool = False, fits=None) -> tuple[bytes, int]:
    html = render_html(content, edition, BriefOptions(date=DATE, jurisdiction=resolve_jurisdiction(place, content),
                                                     large_print=large_print))
    pdf, pages, _loose = render_pdf(html, pdf_variant=content.audiences[edition].pdf_variant, national_parts=parts,
                                    fits=fits)
    return pdf, pages


@pytest.fixture(scope="module")
def georgia(content, run_cache):
    """Each county's council brief built alone and built in a batch's order with shared parts (the
    parts' counts kept, the laid-out documents let go), once a run."""
    def make(_folder):
        parts = NationalParts()
        alone = {place: _pdf(content, "council", place) for place in PLACES}
        spliced = {place: _pdf(content, "council", place, parts) for place in PLACES}
        return alone, spliced, dataclasses.replace(parts, documents={})

    return run_cache.get("splice: Georgia council briefs", make)


@pytest.mark.slow
def test_a_spliced_brief_is_the_brief_built_alone(georgia):
    alone, spliced, _parts = georgia
    for place in PLACES:
        assert spliced[place] == alone[place], f"{place}: the spliced file differs from the one built alone"


@pytest.mark.slow
def test_the_national_part_is_laid_out_once_per_offset_and_reused(georgia):
    _alone, _spliced, parts = georgia
    assert (parts.laid_out, parts.reused) == (1, 1)  # once for Cook and DuPage; none for the run-on two


@pytest.mark.slow
def test_spliced_brief_reads_like_a_single_build(georgia):
    """What the issue asks the comparison to show, read from the files: text, notes, outline, page footers."""
    alone, spliced, _parts = georgia
    for place in PLACES:
        one, other = pypdf.PdfReader(io.BytesIO(alone[place][0])), pypdf.PdfReader(io.BytesIO(spliced[place][0]))
        texts = [page.extract_text() for page in other.pages]
        assert [page.extract_text() for page in one.pages] == texts
        assert [item.title for item in _flat(one.outline)] == [item.title for item in _flat(other.outline)]
        total = len(texts)
        assert all(text.rstrip().endswith(f"Page {number} of {total}") for number, text in enumerate(texts, 1))
        assert other.trailer["/Root"]["/Lang"] == "en-US"
        assert place.split(",")[0] in other.metadata.title


def _flat(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def _page_starts(pdf: bytes) -> list[str]:
    return [page.extract_text().split("\n", 1)[0] for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.slow
def test_the_national_part_starts_a_page_where_the_local_section_fills_its_own(georgia):
    alone, _spliced, _parts = georgia
    for place in SPLICED:
        assert _page_starts(alone[place][0])[1] == "Overview: what 287(g) is", place


@pytest.mark.slow
def test_the_national_part_runs_on_where_a_break_would_leave_a_page_part_empty(georgia):
    alone, _spliced, _parts = georgia
    for place in RUN_ON:
        assert "Overview: what 287(g) is" not in _page_starts(alone[place][0]), place


@pytest.mark.slow
def test_spliced_brief_passes_the_pdfua_checker(georgia, tmp_path):
    _alone, spliced, _parts = georgia
    path = tmp_path / "spliced.pdf"
    path.write_bytes(spliced["DuPage County, IL"][0])
    checker = shutil.which("pdfua") or str(Path(sys.executable).with_name("pdfua"))
    result = subprocess.run([checker, "check", "--format", "json", str(path)], capture_output=True, text=True,
                            check=False)
    assert [finding["rule_id"] for finding in json.loads(result.stdout)["findings"]] == []


@pytest.mark.parametrize("edition, place, large_print", [
    ("law-enforcement", "Harris County, TX", False),   # runs on
    ("council", "Alachua County, FL", True),           # large print, runs on
    ("council", "Cook County, IL", False),             # spliced
])
@pytest.mark.slow
def test_every_edition_with_a_local_insert_builds_in_a_batch_as_alone(content, edition, place, large_print):
    parts = NationalParts()
    _pdf(content, edition, place, parts, large_print=large_print)
    again = _pdf(content, edition, place, parts, large_print=large_print)  # with the national part laid out
    assert again == _pdf(content, edition, place, large_print=large_print)


@pytest.mark.slow
def test_a_brief_outside_its_budget_when_spliced_is_built_whole(content):
    """The spliced layout is only taken where it passes the checks a single build's layout passes."""
    parts = NationalParts()
    refused = _pdf(content, "council", "Bartow County, GA", parts, fits=lambda pages: False)
    assert refused == _pdf(content, "council", "Bartow County, GA", fits=lambda pages: False)


def test_national_part_numbers_notes_and_sections_on_from_the_front(content):
    html = apply_resource_policy(render_html(content, "council", BriefOptions(
        date=DATE, jurisdiction=resolve_jurisdiction("Bartow County, GA", content))))
    html = html.replace('class="audience-council', 'class="audience-council numbered', 1)  # as in numbered editions
    part = national_html(html, front_pages=3, front_notes=17)
    front = html[html.index("<main>"):html.index(MARKER)]
    assert f'counter-reset: footnote 17 section {front.count("<h2")}"' in part
    assert part.count('class="splice-blank') == 3 and "<title>" not in part
    assert part.endswith(html[html.index(MARKER) + len(MARKER):])


@pytest.mark.slow
def test_a_batch_writes_the_files_single_builds_write(content, tmp_path):
    from helpers import run

    names = tmp_path / "counties.txt"
    names.write_text("Appling County, GA\nBartow County, GA\nAtkinson County, GA\n", encoding="utf-8")
    code, _out, err = run("--jurisdiction-list", str(names), "--date", DATE.isoformat(), "--out",
                          str(tmp_path / "batch"), "--jobs", "1")
    assert code == 0, err
    written = tmp_path / "batch" / "council-13015-bartow-county-ga.pdf"
    result = build_brief("council", content=content, out=tmp_path / "alone.pdf",
                         options=BriefOptions(date=DATE, jurisdiction=resolve_jurisdiction("Bartow County, GA", content)))
    assert result.pdf.read_bytes() == written.read_bytes()


def test_a_block_listed_twice_is_refused_with_its_line(minimal_data):
    """A section printed twice (two "Here in ..." sections would also defeat the page break's logic)."""
    from helpers import problems_of

    audience = minimal_data / "audiences" / "council.yaml"
    audience.write_text(audience.read_text(encoding="utf-8") + "  - {chart: agreements_over_time}\n  - sources\n",
                        encoding="utf-8")
    last = len(audience.read_text(encoding="utf-8").splitlines())
    assert problems_of(minimal_data) == [
        f"data/audiences/council.yaml:{last - 1}: blocks[6]: expected each block once, got "
        "'chart:agreements_over_time' again (first at blocks[2])",
        f"data/audiences/council.yaml:{last}: blocks[7]: expected each block once, got 'sources' again "
        "(first at blocks[5])",
    ]


def test_the_html_edition_never_breaks_the_page_after_the_local_section(content):
    html = render_html(content, "council", BriefOptions(date=DATE, for_web=True,
                                                        jurisdiction=resolve_jurisdiction("Appling County, GA", content)))
    assert "Here in Appling County" in html
    assert MARKER not in html and "splice-blank" not in html and "break-before: page" not in html
