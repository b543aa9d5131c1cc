"""Every edition as a reader and a clerk get it: sections, notes on their call's page, tags, fonts, metadata."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from policybrief.build import build_brief
from policybrief.check import edition_reading_grade
from policybrief.render import BriefOptions
from policybrief.validate import load_content

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("council", "law-enforcement", "community", "grant")
DATE = dt.date(2026, 12, 1)


# `content`, `built` (each edition built once a run) and `brief` are in conftest.py, shared with other files.


def page_texts(path: Path) -> list[str]:
    """The text of each page; read once per file as written (several tests read each shared edition)."""
    stat = path.stat()
    return list(_page_texts(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=None)
def _page_texts(path: Path, _mtime_ns: int, _size: int) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in PdfReader(path).pages)


def note_numbers_by_page(path: Path, marker_size_max: float = 15) -> list[tuple[list[int], list[int]]]:
    """(note calls, note markers) per page, told apart by their fonts: calls are small regular sans digits,
    markers at the page foot are semibold 'N. '. Repeat citations in the compact style point back to an
    earlier note in italic serif, so they are not calls."""
    result = []
    for page in PdfReader(path).pages:
        calls, markers = [], []

        def visit(text, cm, tm, font, size):
            name = str(font.get("/BaseFont", "")) if font else ""
            if name.endswith("+Brief-Sans") and re.fullmatch(r"\d+", text):  # any size: 11 pt in the grant edition
                calls.append(int(text))
            elif (name.endswith("+Brief-Sans-Semi-Bold") and re.fullmatch(r"\d+\.[ \u2002]*", text)
                  and size <= marker_size_max):  # larger semibold numbers are numbered headings ("1. Summary")
                markers.append(int(text.strip(". \u2002")))

        page.extract_text(visitor_text=visit)
        result.append((calls, markers))
    return result


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_edition_has_required_parts_notes_and_sources(built, edition):
    text = "\n".join(page_texts(built[edition].pdf))
    flat = re.sub(r"\s+", " ", text)
    for part in ("Overview", "History", "Oversight", "Pros and cons"):
        assert part.lower() in flat.lower(), f"{edition}: no {part} section"
    assert "Prepared for" not in flat  # none asked for: no empty label (test_cli prints one asked for)
    assert "December 1, 2026" in flat
    if edition != "community":
        assert ("References" if edition == "grant" else "Sources") in flat
    assert built[edition].notes >= (20 if edition == "community" else 30)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_page_count_within_budget(built, content, edition):
    audience = content.audiences[edition]
    assert audience.page_min <= built[edition].pages <= audience.page_max


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_every_note_sits_on_the_page_of_its_call(built, edition):
    pages = note_numbers_by_page(built[edition].pdf)
    seen = []
    for number, (calls, markers) in enumerate(pages, start=1):
        assert sorted(calls) == sorted(markers), f"{edition} page {number}: calls {calls} vs notes {markers}"
        seen += markers
    assert sorted(seen) == list(range(1, built[edition].notes + 1))


@pytest.mark.slow
def test_law_enforcement_state_laws_give_each_states_agreements(built, content):
    from policybrief.figures import newest_state_level

    newest = dict(newest_state_level(content)["states"])
    flat = re.sub(r"\s+", " ", "\n".join(page_texts(built["law-enforcement"].pdf)))
    # The by-state chart is left out: every state's count prints beside its law instead.
    assert "agreements by state" not in flat and "Data for the charts" not in flat
    assert "Agreements by state on ICE" in flat
    assert f"Texas {newest['Texas']:,}, Florida {newest['Florida']:,}," in flat
    assert "none in" in flat and "Illinois" not in newest


@pytest.mark.slow
def test_local_editions_leave_out_the_national_material_their_local_section_replaces(content, brief):
    from policybrief.local import resolve_jurisdiction
    from policybrief.render import build_context

    options = BriefOptions(date=DATE, jurisdiction=resolve_jurisdiction("Harris County, TX", content))
    kinds = {key: [(section.kind, section.id) for section in build_context(content, key, options)["sections"]]
             for key in ("law-enforcement", "council")}
    # Law enforcement: the local section prints Texas's own entry and count; no fifty-state section or chart.
    assert not any(kind in ("state_table", "chart", "chart_data") for kind, _id in kinds["law-enforcement"])
    # Council: the local section names each agency with its model and the state's count and change; the
    # national key figures and charts (and so their data tables) are left out, the history keeps the counts.
    assert not any(kind in ("key_figures", "chart", "chart_data") for kind, _id in kinds["council"])
    assert ("prose", "history") in kinds["council"]
    result = brief("law-enforcement", date=DATE, jurisdiction="Harris County, TX")
    flat = re.sub(r"\s+", " ", "\n".join(page_texts(result.pdf)))
    assert "State law or policy: Texas" in flat and "State laws and orders" not in flat
    seen = []
    for number, (calls, markers) in enumerate(note_numbers_by_page(result.pdf), start=1):
        assert sorted(calls) == sorted(markers), f"page {number}: calls {calls} vs notes {markers}"
        seen += markers
    assert sorted(seen) == list(range(1, result.notes + 1))


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_tagged_accessible_metadata(built, edition):
    with pikepdf.open(built[edition].pdf) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en-US"
        assert bool(root.MarkInfo.Marked)
        assert "/StructTreeRoot" in root
        assert root.ViewerPreferences.DisplayDocTitle
        meta = pdf.open_metadata()
        assert meta["dc:title"].startswith("The 287(g) Program") or meta["dc:title"].startswith("287(g)")
        assert meta["dc:creator"]
        assert "287(g)" in str(meta.get("pdf:Keywords", ""))
        xmp = str(meta)
        if edition == "grant":
            assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
        else:
            assert 'pdfuaid:part="1"' in xmp
        def flatten(items):
            for item in items:
                yield item.title
                yield from flatten(item.children)

        with pdf.open_outline() as outline:
            titles = list(flatten(outline.root))
        assert any(title.startswith("Overview") for title in titles), titles
        assert any("Oversight" in title for title in titles)
        assert len(titles) >= 6


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_all_fonts_embedded_and_subset(built, edition):
    with pikepdf.open(built[edition].pdf) as pdf:
        fonts = {}
        for page in pdf.pages:
            for name, font in page.Resources.get("/Font", {}).items():
                fonts[str(font.BaseFont)] = font
        assert fonts
        for base_name, font in fonts.items():
            assert re.match(r"/[A-Z]{6}\+", base_name), f"{base_name} is not a subset"
            descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), base_name


def _figures_with_alt(pdf) -> list[str]:
    alts = []

    def walk(node, depth=0):
        if depth > 60 or not isinstance(node, pikepdf.Dictionary):
            return
        if node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                walk(kid, depth + 1)
        elif isinstance(kids, pikepdf.Dictionary):
            walk(kids, depth + 1)

    walk(pdf.Root.StructTreeRoot)
    return alts


@pytest.mark.parametrize("edition", ["council"])
@pytest.mark.slow
def test_charts_carry_alt_text_stating_what_they_show(built, edition):
    with pikepdf.open(built[edition].pdf) as pdf:
        alts = _figures_with_alt(pdf)
    assert alts and all(len(alt) > 40 for alt in alts)
    assert any("chart" in alt.lower() for alt in alts)


@pytest.mark.slow
def test_links_in_notes_are_live(built):
    with pikepdf.open(built["council"].pdf) as pdf:
        uris = [str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A]
    assert len(uris) >= 20
    assert all(uri.startswith(("https://", "http://")) for uri in uris)


def test_community_edition_reading_level(content):
    grade = edition_reading_grade(content, "community")
    assert grade <= content.audiences["community"].reading_grade_max


@pytest.mark.slow
def test_editions_differ_materially(built):
    def shingles(path):
        words = re.findall(r"[a-z]+", " ".join(page_texts(path)).lower())
        return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}

    sets = {key: shingles(built[key].pdf) for key in EDITIONS}
    for first in EDITIONS:
        for second in EDITIONS:
            if first < second:
                overlap = len(sets[first] & sets[second]) / len(sets[first] | sets[second])
                assert overlap < 0.6, f"{first} and {second} share {overlap:.0%} of their phrases"


@pytest.mark.slow
def test_same_inputs_give_byte_identical_pdf(built, content, tmp_path):
    again = build_brief("council", out=tmp_path / "again.pdf", content=content, options=BriefOptions(date=DATE))
    digest = lambda path: hashlib.sha256(path.read_bytes()).hexdigest()  # noqa: E731
    assert digest(again.pdf) == digest(built["council"].pdf)


@pytest.mark.slow
def test_html_version_is_self_contained(built):
    html = built["council"].html.read_text()
    assert '<html lang="en-US"' in html
    assert "data:image/svg+xml;base64," in html
    assert 'alt="' in html and "<table" in html
    # Browsers have no page-foot notes: calls link to a numbered Notes list, and back.
    calls = re.findall(r'id="call-(\d+)"', html)
    notes = re.findall(r'<li id="note-(\d+)"', html)
    assert calls == notes == [str(n) for n in range(1, built["council"].notes + 1)]
    assert 'class="footnote"' not in html
    # Nothing is loaded from elsewhere: no remote images, stylesheets or fonts.
    assert not re.search(r'(src|href)="https?://[^"]*\.(css|js|png|jpe?g|svg|woff2?|ttf|otf)"', html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "<script" not in html


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_pdfua_checker_finds_nothing(built, edition):
    """pdfua (PyPI) runs the machine-checkable subset of PDF/UA-1; it is not a full conformance check
    (that needs veraPDF, which no package registry here provides)."""
    import json
    import shutil
    import subprocess
    import sys

    checker = shutil.which("pdfua") or str(Path(sys.executable).with_name("pdfua"))
    result = subprocess.run([checker, "check", "--format", "json", str(built[edition].pdf)],
                            capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    rules = [finding["rule_id"] for finding in report["findings"]]
    assert rules == [], report["findings"]  # the grant edition's PDF/A-3a declares PDF/UA-1 too
