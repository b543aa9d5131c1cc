"""The Word and text editions (--docx, --txt): read back as a clerk's word processor and a portal's text box get them."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from policybrief import export
from policybrief.export import api_version, convert, export_editions, html_to_document
from policybrief.render import BriefOptions, render_html
from policybrief.validate import load_content

from helpers import run

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 12, 1)
EDITIONS = ("council", "law-enforcement", "community", "grant", "community-es")


def footnote_texts(path_or_bytes) -> list[str]:
    """The text of each real Word footnote (not the separators Word keeps in the same part)."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    xml = zipfile.ZipFile(source).read("word/footnotes.xml").decode("utf-8")
    notes = re.findall(r"<w:footnote\b(?![^>]*w:type=)[^>]*>(.*?)</w:footnote>", xml, re.DOTALL)
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", note)).strip() for note in notes]


def html_headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", heading).strip() for heading in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.DOTALL)]


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "data")


@pytest.fixture(scope="module")
def local_council(content, brief):
    """The council edition for one county, as PDF, Word and text, built once a run."""
    from policybrief.local import resolve_jurisdiction

    options = BriefOptions(date=DATE, prepared_for="Springfield City Council",
                           jurisdiction=resolve_jurisdiction("Harris County, TX", content))
    result = brief("council", date=DATE, prepared_for="Springfield City Council", jurisdiction="Harris County, TX",
                   exports=(".docx", ".txt"))
    html = render_html(content, "council", options)
    return result, html


@pytest.mark.slow
def test_docx_has_the_pdf_notes_headings_tables_and_charts(local_council):
    result, html = local_council
    path = result.pdf.with_suffix(".docx")
    assert result.exports == [path, result.pdf.with_suffix(".txt")]
    document = docx.Document(path)
    paragraphs = [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs]
    # Title, subtitle and the title block's facts at the top, in Word's own styles.
    assert paragraphs[0] == ("Title", "The 287(g) Program: Background and Options for Local Governments: "
                                      "Harris County, Texas")
    assert paragraphs[1][0] == "Subtitle"
    top = [text for _style, text in paragraphs[:12]]
    assert "Prepared for: Springfield City Council" in top
    assert "Date: December 1, 2026" in top
    assert any(text.startswith("Prepared by: ") for text in top)
    assert any("recommends none of them" in text for text in top)  # the edition's neutrality line
    # Every section of the PDF, in order, as a Word heading; the local section among them.
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == html_headings(html)
    assert any(heading.startswith("Here in Harris County") for heading in headings), headings
    assert headings[-1] == "Sources"
    # As many real footnotes as the PDF has notes, in the same order and words.
    notes = footnote_texts(path)
    assert len(notes) == result.notes == html.count('class="footnote"')
    first_pdf_note = re.sub(r"<[^>]+>", "", re.search(r'class="footnote">(.*?)</span>', html)[1])
    assert notes[0] == first_pdf_note.replace("&#39;", "'").replace("&amp;", "&")


def test_docx_tables_and_charts(content):
    html = render_html(content, "council", BriefOptions(date=DATE))
    word = export_editions(html, (".docx",), date=DATE)[0][1]
    document = docx.Document(io.BytesIO(word))
    # The data for the charts as Word tables, with their header rows.
    assert len(document.tables) == html.count("<table") == 2
    assert [cell.text for cell in document.tables[0].rows[0].cells] == ["As of", "Count", "By"]
    # Each chart as a picture whose alt text is the PDF's.
    xml = zipfile.ZipFile(io.BytesIO(word)).read("word/document.xml").decode("utf-8")
    alts = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    pdf_alts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]*)"', html)
    assert len(alts) == len(pdf_alts) == 2
    assert alts == pdf_alts
    assert "data:image" not in xml  # the picture is in the file once, not again as its name
    # As PNG pictures (Word shows an SVG-only picture in recent versions only), drawn from the PDF's SVG.
    media = [name for name in zipfile.ZipFile(io.BytesIO(word)).namelist() if name.startswith("word/media/")]
    assert len(media) == 2 and all(name.endswith(".png") for name in media)
    for name in media:
        assert zipfile.ZipFile(io.BytesIO(word)).read(name)[:8] == b"\x89PNG\r\n\x1a\n"
    # Notes numbered through the document, as in the PDF, not again from 1 on each page or section.
    assert '<w:numRestart w:val="continuous" />' in xml and "eachSect" not in xml and "eachPage" not in xml
    captions = [p.text for p in document.paragraphs if p.style.name == "Image Caption"]
    assert captions[0].startswith("Figure 1. ")


@pytest.mark.slow
def test_txt_numbers_the_same_notes_at_the_end(local_council):
    result, html = local_council
    text = result.pdf.with_suffix(".txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert " ".join(text.split("\n\n")[0].split()) == ("The 287(g) Program: Background and Options for Local "
                                                       "Governments: Harris County, Texas")
    assert "Prepared for: Springfield City Council" in text
    calls = [int(number) for number in re.findall(r"(?<!^)\[(\d+)\]", text, re.MULTILINE)]
    endnotes = [int(number) for number in re.findall(r"^\[(\d+)\] ", text, re.MULTILINE)]
    assert endnotes == list(range(1, result.notes + 1))
    assert sorted(set(calls)) == endnotes
    # Wrapped to paste into a text box without a scroll bar; only an address longer than a line runs over.
    assert [line for line in lines if len(line) > 78 and " " in line.strip()] == []
    assert not re.search(r"</?(p|span|a|i|em|strong|sup|div|section|li)\b", text)  # no markup


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.slow
def test_every_edition_converts_with_all_its_notes(content, edition):
    html = render_html(content, edition, BriefOptions(date=DATE))
    (_, word, document), (_, text, _) = export_editions(html, (".docx", ".txt"), date=DATE)
    assert document.notes == html.count('class="footnote"') > 0
    assert len(footnote_texts(word)) == document.notes
    assert re.findall(r"^\[(\d+)\] ", text.decode("utf-8"), re.MULTILINE)[-1] == str(document.notes)
    # A repeat citation (compact notes) reads "[3]" like every note call, not as a superscript digit.
    assert not re.search("[\u00b9\u00b2\u00b3\u2070-\u2079]|\\^\\(", text.decode("utf-8"))
    headings = [p.text for p in docx.Document(io.BytesIO(word)).paragraphs if p.style.name == "Heading 1"]
    shown = html_headings(html)
    if edition == "grant":  # numbered sections, as the PDF numbers them
        shown = [f"{number}. {heading}" for number, heading in enumerate(shown, start=1)]
    assert headings == shown


@pytest.mark.parametrize("edition, foot, end", [
    ("community", "at the bottom of each page", "listed in the notes at the end"),
    ("community-es", "al pie de cada página", "en las notas del final")])
def test_each_file_says_where_its_notes_are(content, edition, foot, end):
    """Word keeps the notes at the foot of each page, as the PDF does; the text edition lists them at the end."""
    html = render_html(content, edition, BriefOptions(date=DATE))
    (_, word, _), (_, text, _) = export_editions(html, (".docx", ".txt"), date=DATE)
    paragraphs = " ".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    text = " ".join(text.decode("utf-8").split())
    assert foot in paragraphs and end not in paragraphs
    assert end in text and foot not in text


def test_same_inputs_same_word_file(content):
    html = render_html(content, "community", BriefOptions(date=DATE))
    first = export_editions(html, (".docx",), date=DATE)[0][1]
    assert export_editions(html, (".docx",), date=DATE)[0][1] == first


@pytest.mark.slow
def test_word_file_is_dated_and_signed_as_the_brief(local_council):
    result, _html = local_council
    word = docx.Document(str(result.pdf.with_suffix(".docx"))).core_properties
    noon = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)
    assert (word.created, word.modified, word.author) == (noon, noon, "287(g) Brief Project (open-source)")
    assert word.keywords == "287(g), immigration enforcement, ICE, local government, policy brief"


@pytest.mark.slow
def test_markup_in_data_and_options_stays_text(minimal_data, tmp_path):
    """LaTeX in data's prose, Word's own XML and HTML in a command-line value: words in both editions."""
    overview = minimal_data / "blocks" / "overview.yaml"
    overview.write_text(overview.read_text().replace(
        "Section 287(g) lets federal officials", r"Section 287(g) \input{/etc/passwd} lets federal officials"))
    hostile = '<w:p><w:r><w:t>INJECTED</w:t></w:r></w:p><b onclick="x">bold</b>'
    out = tmp_path / "council.pdf"
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--date", "2025-12-01", "--docx", "--txt",
                       "--prepared-for", hostile)
    assert code == 0, err
    paragraphs = [paragraph.text for paragraph in docx.Document(out.with_suffix(".docx")).paragraphs]
    assert f"Prepared for: {hostile}" in paragraphs
    assert any(r"Section 287(g) \input{/etc/passwd} lets" in text for text in paragraphs)
    xml = zipfile.ZipFile(out.with_suffix(".docx")).read("word/document.xml").decode("utf-8")
    assert "<w:t>INJECTED</w:t>" not in xml  # printed as words, never read as Word's markup
    text = out.with_suffix(".txt").read_text()
    assert f"Prepared for: {hostile}" in text
    assert r"\input{/etc/passwd}" in text and "root:" not in text


def test_pandoc_reads_no_file_for_an_image(tmp_path):
    """Run in its sandbox, pandoc cannot put a local file into the Word file, even when asked to."""
    picture = tmp_path / "secret.png"
    picture.write_bytes(base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD"
                                         "hgGAWjR9awAAAABJRU5ErkJggg=="))
    ast = {"pandoc-api-version": api_version(), "meta": {}, "blocks": [
        {"t": "Para", "c": [{"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "x"}], [str(picture), ""]]}]}]}
    word = convert(export.Document(ast, 0, 1, 0), ".docx")
    assert not [name for name in zipfile.ZipFile(io.BytesIO(word)).namelist() if name.startswith("word/media/")]


def test_only_the_charts_become_pictures():
    html = ('<html><body><p>a <img src="file:///etc/passwd" alt="x"> b</p>'
            '<img src="https://example.org/x.png" alt="y"></body></html>')
    document = html_to_document(html, [1, 23])
    assert document.images == 0
    assert "Image" not in str(document.ast)


@pytest.mark.slow
def test_a_failed_conversion_replaces_nothing(minimal_data, tmp_path, monkeypatch):
    out = tmp_path / "council.pdf"
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--date", "2025-12-01", "--docx")
    assert code == 0, err
    previous = out.read_bytes(), out.with_suffix(".docx").read_bytes()
    failing = tmp_path / "pandoc"
    failing.write_text("#!/bin/sh\ncase \"$*\" in *json*docx*) echo 'pandoc: out of paper' >&2; exit 3;; esac\n"
                       "exec " + export.pandoc_path() + " \"$@\"\n")
    failing.chmod(0o755)
    monkeypatch.setattr(export, "pandoc_path", lambda: str(failing))
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--date", "2025-12-02", "--docx")
    assert code == 1
    assert err.splitlines() == ["pandoc: conversion failed (exit 3): pandoc: out of paper",
                                "generate.py: 1 problem(s) found; nothing was written"]
    assert (out.read_bytes(), out.with_suffix(".docx").read_bytes()) == previous


def test_without_pandoc_one_line_and_nothing_written(minimal_data, tmp_path, monkeypatch):
    import pypandoc

    def missing():
        raise OSError("No pandoc was found: either install pandoc or add it to your PATH")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", missing)
    out = tmp_path / "council.pdf"
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--date", "2025-12-01", "--txt")
    assert code == 1
    assert err.splitlines() == [
        "pandoc: --docx and --txt need pandoc: install the pypandoc-binary package (pip install pypandoc-binary); "
        "No pandoc was found: either install pandoc or add it to your PATH",
        "generate.py: 1 problem(s) found; nothing was written"]
    assert list(tmp_path.glob("council.*")) == []


@pytest.mark.slow
def test_every_edition_of_a_run_gets_its_word_and_text_files(minimal_data, tmp_path):
    audiences = minimal_data / "audiences"
    (audiences / "residents.yaml").write_text((audiences / "council.yaml").read_text())
    code, out, err = run("--data", str(minimal_data), "--audience", "all", "--docx", "--txt", "--jobs", "1",
                         "--out", str(tmp_path), "--date", "2025-12-01")
    assert code == 0, err
    for key in ("council", "residents"):
        assert f"{key}: wrote {tmp_path / key}.pdf, {tmp_path / key}.docx and {tmp_path / key}.txt (" in out
        assert len(footnote_texts(tmp_path / f"{key}.docx")) == 5


def test_out_naming_a_word_file_is_a_usage_error(minimal_data, tmp_path):
    code, _, err = run("--data", str(minimal_data), "--out", str(tmp_path / "council.docx"), "--docx")
    assert code == 2
    assert err == (f"generate.py: error: --out: expected a .pdf file or a folder, got '{tmp_path / 'council.docx'}' "
                   "(a .docx file name; --docx writes the Word file beside the PDF)\n")
    assert list(tmp_path.iterdir()) == [minimal_data]
