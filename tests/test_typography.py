"""Type sizes as the PDF prints them, margins, large print and the grant edition's PDF/A + PDF/UA claim."""

from __future__ import annotations

import collections
import datetime as dt
import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from policybrief.build import OUTPUT_NAME_MAX, build_brief, output_name
from policybrief.cli import main
from policybrief.render import BriefOptions, render_html
from policybrief.validate import load_content

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("council", "law-enforcement", "community", "grant")
# Least body size each edition may print (council agenda packets and command staff 10.5 pt, residents 11 pt,
# grant attachments 11 pt for every piece of text, as NIH and Grants.gov require).
MIN_BODY = {"council": 10.5, "law-enforcement": 10.5, "community": 11, "grant": 11}
MIN_NOTES = 8  # notes, captions, tables, labels
DATE = dt.date(2026, 12, 1)


def printed_sizes(path: Path) -> collections.Counter:
    """Characters printed at each (size in points, font), from the PDF's text operators. Charts are drawn as
    outlines, so every piece of text in the file is counted."""
    sizes: collections.Counter = collections.Counter()
    for page in PdfReader(path).pages:
        def visit(text, cm, tm, font, size):
            text = text.strip()
            if not text:
                return
            scale = (tm[0] or 1) * (cm[0] or 1)
            name = str(font.get("/BaseFont", "")).split("+")[-1] if font else ""
            sizes[(round(size * scale, 2), name, "digits" if re.fullmatch(r"[\d,]+", text) else "text")] += len(text)
        page.extract_text(visitor_text=visit)
    return sizes


def serif_sizes(sizes: collections.Counter) -> collections.Counter:
    """Characters of running text (the regular serif) at each size."""
    serif: collections.Counter = collections.Counter()
    for (size, font, _kind), count in sizes.items():
        if font == "Brief-Serif":
            serif[size] += count
    return serif


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_text_prints_at_the_audience_files_sizes_and_never_below_the_minimums(built, content, edition):
    typography = content.audiences[edition].typography
    sizes = printed_sizes(built[edition].pdf)
    serif = serif_sizes(sizes)
    # Running text prints at the audience file's three sizes only (body, notes, small text), the body
    # holding a good share of it (notes hold most of a page in some editions, and the law-enforcement
    # edition's Sources list, every state's statutes and orders among them, runs to three pages).
    assert set(serif) <= {typography.body_pt, typography.note_pt, typography.small_pt}, serif
    assert serif[typography.body_pt] > 0.2 * sum(serif.values())
    assert typography.body_pt >= MIN_BODY[edition] and typography.note_pt >= MIN_NOTES
    assert typography.note_pt in serif
    for (size, font, kind), count in sizes.items():
        if edition == "grant":
            assert size >= 11, f"{count} characters at {size} pt in {font}"
        elif not (kind == "digits" and size == typography.call_pt):  # raised note numbers
            assert size >= MIN_NOTES, f"{count} characters at {size} pt in {font}"


def test_templates_and_print_css_set_no_sizes_of_their_own():
    """Sizes come from the audience files only: no template or print rule names a font size in points."""
    files = sorted((ROOT / "templates").glob("*.j2")) + [ROOT / "templates" / "print.css"]
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("html.web"):
                continue  # the HTML edition's screen rules
            found = re.search(r"font(?:-size)?\s*:[^;]*\d(?:pt|px)\b", line)
            assert not found, f"{path.name}:{number}: {line.strip()}"


def test_margins_come_from_the_audience_file_or_the_option(content):
    grant = render_html(content, "grant", BriefOptions())
    assert "@page { margin: 1in;" in grant
    narrow = render_html(content, "grant", BriefOptions(margins="0.75in 1in"))
    assert "@page { margin: 0.75in 1in;" in narrow
    council = render_html(content, "council", BriefOptions())
    assert f"@page {{ margin: {content.audiences['council'].typography.margins};" in council


@pytest.mark.slow
def test_large_print_has_the_same_notes_at_18_pt_within_its_own_budget(content, built, tmp_path):
    result = build_brief("community", out=tmp_path / output_name("community", large_print=True),
                         options=BriefOptions(date=DATE, prepared_for="Springfield City Council", large_print=True),
                         content=content)
    large = content.audiences["community"].large_print
    assert result.pdf.name == "community-large-print.pdf"
    assert large.page_min <= result.pages <= large.page_max
    assert not [finding for finding in result.findings if finding.check == "pages"]
    assert result.notes == built["community"].notes
    sizes = printed_sizes(result.pdf)
    serif = serif_sizes(sizes)
    assert serif.most_common(1)[0][0] == 18


@pytest.mark.slow
def test_grant_edition_is_pdf_a_3a_and_declares_pdf_ua_1(built):
    with pikepdf.open(built["grant"].pdf) as pdf, pdf.open_metadata() as meta:
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance"), meta.get("pdfuaid:part")) == ("3", "A", "1")
        # PDF/A admits the PDF/UA property only with its extension schema.
        assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in pdf.Root.Metadata.read_bytes()
        assert pdf.Root.MarkInfo.Marked


def test_output_names_stay_within_50_characters():
    class Place:
        slug = "consolidated-municipality-of-carson-city-and-its-surroundings-nv"

    name = output_name("law-enforcement", Place(), large_print=True)
    # shortened, with six characters of the full name's hash (no FIPS code tells it apart)
    assert name == "law-enforcement-consolidate-40e918-large-print.pdf" and len(name) <= OUTPUT_NAME_MAX
    assert output_name("grant") == "grant.pdf"


def test_shortened_names_keep_the_state_and_county_code(content):
    from policybrief.local import resolve_jurisdiction

    names = {place: output_name("law-enforcement", resolve_jurisdiction(place, content), large_print=True)
             for place in ("Washington County, PA", "Washington County, OR", "Lewis and Clark County, MT")}
    assert names == {"Washington County, PA": "law-enforcement-42125-washingto-pa-large-print.pdf",
                     "Washington County, OR": "law-enforcement-41067-washingto-or-large-print.pdf",
                     "Lewis and Clark County, MT": "law-enforcement-30049-lewis-and-mt-large-print.pdf"}
    assert output_name("council", resolve_jurisdiction("Harris County, TX", content)) == "council-harris-county-tx.pdf"


def test_a_batch_that_would_write_one_file_twice_is_refused_before_building(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("Washington County, PA\nWashington County, Pennsylvania\n")
    assert main(["--audience", "council", "--jurisdiction-list", str(names), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == (
        "generate.py: error: 'Washington County, PA' and 'Washington County, Pennsylvania' would both be written "
        "to council-42125-washington-county-pa.pdf: list each jurisdiction once")
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("value, message", [
    ("3in", "argument --margins: expected a margin from 0.25in to 2in, got '3in'"),
    ("wide", "argument --margins: expected a length like 1in, 25mm, 2.5cm or 72pt, got 'wide'"),
])
def test_margins_option_is_checked(value, message, capsys):
    assert main(["--audience", "grant", "--margins", value]) == 2
    assert capsys.readouterr().err.strip() == f"generate.py: error: {message}"


@pytest.mark.slow
def test_large_print_builds_one_edition_at_a_time(capsys):
    assert main(["--audience", "all", "--large-print"]) == 2
    assert "--large-print and --margins build one edition at a time" in capsys.readouterr().err


def test_audience_sizes_are_validated_with_their_line(minimal_data, capsys):
    path = minimal_data / "audiences" / "council.yaml"
    lines = path.read_text().splitlines()
    lines += ["note_font_pt: tiny", "margins: 5in", "large_print: {base_font_pt: 18}"]
    path.write_text("\n".join(lines) + "\n")
    count = len(lines)
    assert main(["--data", str(minimal_data), "--audience", "council"]) == 1
    err = capsys.readouterr().err
    assert f"data/audiences/council.yaml:{count - 2}: note_font_pt: expected a number from 6 to 24, got 'tiny'" in err
    assert f"data/audiences/council.yaml:{count - 1}: margins: expected a margin from 0.25in to 2in, got '5in'" in err
    assert (f"data/audiences/council.yaml:{count}: large_print.pages: expected {{min: N, max: M}} with "
            "0 < N <= M, got nothing") in err
    assert load_content(ROOT / "data").audiences["grant"].typography.note_pt == 11  # the project's own pass


@pytest.mark.parametrize("added, message", [
    (["base_font_pt: 6"], "base_font_pt: expected at least 10.5 pt (minimum_sizes: brief), got 6"),
    (["minimum_sizes: grant", "note_font_pt: 9"], "note_font_pt: expected at least 11 pt (minimum_sizes: grant), got 9"),
    (["minimum_sizes: community", "base_font_pt: 10.5"],
     "base_font_pt: expected at least 11 pt (minimum_sizes: community), got 10.5"),
    (["large_print: {base_font_pt: 18, note_font_pt: 7, pages: {min: 2, max: 9}}"],
     "large_print.note_font_pt: expected at least 8 pt (minimum_sizes: brief), got 7"),
    (["base_font_ptt: 12"], "base_font_ptt: unknown key 'base_font_ptt'; did you mean 'base_font_pt'?"),
    (["large_print: {base_font_pt: 18, pages: {min: 2, max: 9}, local_page: {min: 2, max: 9}}"],
     "large_print.local_page: unknown key 'local_page'; did you mean 'local_pages'?"),
    (["minimum_sizes: tiny"], "minimum_sizes: expected one of brief, community, grant, got 'tiny'"),
])
def test_type_below_the_editions_minimums_or_an_unknown_key_is_a_data_error(minimal_data, added, message, capsys,
                                                                             tmp_path):
    path = minimal_data / "audiences" / "council.yaml"
    lines = path.read_text().splitlines() + added
    path.write_text("\n".join(lines) + "\n")
    for argv in (["--audience", "council", "--out", str(tmp_path / "council.pdf")], ["--check", "--audience", "council"]):
        assert main(["--data", str(minimal_data), *argv]) == 1
        assert f"data/audiences/council.yaml:{len(lines)}: {message}" in capsys.readouterr().err.splitlines()
    assert not (tmp_path / "council.pdf").exists()


def test_sizes_left_out_of_an_audience_file_default_to_its_minimums(minimal_data):
    path = minimal_data / "audiences" / "council.yaml"
    path.write_text(path.read_text().replace("register: standard", "register: plain"))
    typography = load_content(minimal_data).audiences["council"].typography
    assert (typography.body_pt, typography.note_pt) == (11, 8)


@pytest.mark.slow
def test_margins_beyond_the_budget_warn_naming_the_option_and_check_measures_them(minimal_data, capsys, tmp_path):
    path = minimal_data / "audiences" / "council.yaml"
    path.write_text(path.read_text().replace("pages: {min: 1, max: 3}", "pages: {min: 1, max: 2}"))
    finding = ("council: 3 pages, outside the budget of 1-2 pages because of --margins 2in (the budget is for "
               "the audience file's margins, 0.72in 0.8in 0.66in 0.8in) [pages]")
    assert main(["--data", str(minimal_data), "--audience", "council", "--margins", "2in",
                 "--out", str(tmp_path / "council.pdf")]) == 0
    out, err = capsys.readouterr()
    assert "council: wrote" in out and "(3 pages, 5 notes)" in out
    assert f"warning: {finding}" in err.splitlines()
    assert main(["--data", str(minimal_data), "--check", "--audience", "council", "--margins", "2in"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "council: 3 pages (budget 1-2), 5 notes" in out and f"finding: {finding}" in out
    main(["--data", str(minimal_data), "--check", "--audience", "council"])
    out = capsys.readouterr().out.splitlines()
    assert "council: 2 pages (budget 1-2), 5 notes" in out and not [line for line in out if "[pages]" in line]


def test_local_large_print_editions_have_their_own_budget(minimal_data, capsys):
    content = load_content(ROOT / "data")
    assert content.audiences["law-enforcement"].budget(large_print=True, local=True) == (15, 23)
    assert content.audiences["law-enforcement"].budget(large_print=True) == (20, 28)
    assert content.audiences["council"].budget(large_print=True, local=True) == (14, 20)  # no local one: the national
    path = minimal_data / "audiences" / "council.yaml"
    path.write_text(path.read_text() + "large_print: {base_font_pt: 18, pages: {min: 4, max: 9}, "
                                       "local_pages: {min: 3, max: 5}}\n")
    audience = load_content(minimal_data).audiences["council"]
    assert (audience.budget(large_print=True, local=True), audience.budget(large_print=True)) == ((3, 5), (4, 9))


@pytest.mark.slow
def test_community_notes_print_whole_addresses_a_reader_can_type(built, content):
    """Each run-in note's address is printed whole on one line (site and path, or the site alone), never
    cut or broken across lines; the link keeps the full address."""
    from policybrief.cite import compact_note

    lines = {line for page in PdfReader(built["community"].pdf).pages for line in page.extract_text().splitlines()}
    html = built["community"].html.read_text(encoding="utf-8")
    shown_addresses = set()
    for source in content.sources.values():
        if f'href="{source.url}"' not in html:
            continue
        shown = re.search(r'">([^<]+)</a>\.$', compact_note(source))[1]
        assert "\u2026" not in shown and " " not in shown
        shown_addresses.add(shown)
        assert any(shown in line for line in lines), f"{shown} is not printed whole on one line"
    assert len(shown_addresses) > 15
