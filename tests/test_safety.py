"""Hostile data folders: no code execution, no disclosure, bounded resources, one-line errors.

Each test builds its own data folder from tests/fixtures/minimal in tmp_path and breaks it in one way.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from policybrief import load
from policybrief.errors import excerpt, printable
from policybrief.validate import load_content

from helpers import problems_of, run

PROBLEM_LINE = re.compile(r"^[^\s:][^:]*(:\d+)?: .+$")


def assert_one_line_problems(err: str) -> None:
    lines = err.splitlines()
    assert lines and lines[-1].startswith("generate.py: ")
    assert "Traceback" not in err
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), line


# ------------------------------------------------------------------------------- code execution


def test_data_folder_templates_are_ignored(minimal_data, tmp_path):
    templates = minimal_data / "templates"
    templates.mkdir()
    (templates / "council.html.j2").write_text('{{ cycler.__init__.__globals__.os.popen("echo PWNED").read() }}')
    (templates / "base.html.j2").write_text("{% include '/etc/passwd' %}")
    out = tmp_path / "out" / "council.pdf"
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--html", "--date", "2025-10-01")
    assert code == 0, err
    html = out.with_suffix(".html").read_text()
    assert "PWNED" not in html and "root:" not in html
    assert "Fixture: Background for Councils" in html
    assert "data/templates is ignored: a data folder holds content" in err


# ------------------------------------------------------------------------------- file kinds and places


def test_symlink_out_of_the_data_folder_is_refused_without_echoing_it(minimal_data, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("AWS_SECRET=hunter2\n" * 10)
    target = minimal_data / "blocks" / "overview.yaml"
    target.unlink()
    target.symlink_to(secret)
    agreements = minimal_data / "agreements"
    agreements.mkdir()
    (agreements / "participating.csv").symlink_to(secret)
    code, _, err = run("--data", str(minimal_data))
    assert code == 1
    assert "hunter2" not in err
    assert ("data/blocks/overview.yaml: resolves outside the data folder (a symbolic link out of it); "
            "data files must live inside it") in err.splitlines()
    assert ("data/agreements/participating.csv: resolves outside the data folder (a symbolic link out of it); "
            "data files must live inside it") in err.splitlines()
    assert_one_line_problems(err)


def test_symlinked_folder_out_of_the_data_folder_is_refused(minimal_data, tmp_path):
    outside = tmp_path / "elsewhere"
    (minimal_data / "blocks").rename(outside)
    (minimal_data / "blocks").symlink_to(outside, target_is_directory=True)
    assert ("data/blocks: resolves outside the data folder (a symbolic link out of it); data files must live "
            "inside it") in problems_of(minimal_data)


def test_symlink_inside_the_data_folder_is_allowed(minimal_data):
    original = minimal_data / "blocks" / "overview.yaml"
    kept = minimal_data / "overview-source.yaml"
    original.rename(kept)
    original.symlink_to(kept)
    assert "overview" in load_content(minimal_data).blocks


def test_symlink_loop_is_one_line(minimal_data):
    loop = minimal_data / "blocks" / "loop.yaml"
    loop.symlink_to(minimal_data / "blocks" / "loop.yaml")
    assert "data/blocks/loop.yaml: is a symbolic link that cannot be followed (a loop)" in problems_of(minimal_data)


def test_fifo_is_refused_without_hanging(minimal_data):
    os.mkfifo(minimal_data / "blocks" / "pipe.yaml")
    started = time.monotonic()
    found = problems_of(minimal_data)
    assert time.monotonic() - started < 5
    assert "data/blocks/pipe.yaml: expected a regular file, got a FIFO (named pipe)" in found


def test_device_is_refused(minimal_data):
    device = minimal_data / "timeline.yaml"
    device.unlink()
    try:
        os.mknod(device, 0o644 | __import__("stat").S_IFCHR, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("creating a device node needs privileges")
    assert "data/timeline.yaml: expected a regular file, got a device" in problems_of(minimal_data)


def test_file_over_the_size_limit_is_refused_before_reading(minimal_data, monkeypatch):
    monkeypatch.setattr(load.LIMITS, "yaml_bytes", 2_000)
    path = minimal_data / "blocks" / "big.yaml"
    path.write_text("id: big\ntitle: Big\ntext: |\n" + "  word\n" * 1_000)
    size = path.stat().st_size
    assert f"data/blocks/big.yaml: expected at most 2,000 bytes, got {size:,}" in problems_of(minimal_data)


def test_non_utf8_file_names_its_line(minimal_data):
    path = minimal_data / "blocks" / "overview.yaml"
    path.write_bytes(path.read_bytes().replace(b"Overview", b"Over\xffview", 1))
    assert "data/blocks/overview.yaml:2: expected UTF-8 text, got the byte 0xff" in problems_of(minimal_data)


# ------------------------------------------------------------------------------- YAML


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused_quickly(minimal_data):
    (minimal_data / "blocks" / "bomb.yaml").write_text(alias_bomb())
    started = time.monotonic()
    found = problems_of(minimal_data)
    assert time.monotonic() - started < 5
    assert "data/blocks/bomb.yaml:2: expected no YAML aliases ('*name'): write the value out in full" in found


def test_yaml_recursive_alias_is_refused(minimal_data):
    (minimal_data / "blocks" / "loop.yaml").write_text("id: &x [*x]\n")
    assert any(line.startswith("data/blocks/loop.yaml:1: expected no YAML aliases") for line in problems_of(minimal_data))


def test_duplicate_key_names_both_lines(minimal_data):
    path = minimal_data / "figures.yaml"
    text = path.read_text()
    path.write_text(text.replace("figures:\n", "figures:\n  series_2017_01_agencies:\n    value: 99999\n", 1))
    found = problems_of(minimal_data)
    again = text.splitlines().index("  series_2017_01_agencies:") + 1 + 2
    assert (f"data/figures.yaml:{again}: figures.series_2017_01_agencies: duplicate key "
            f"'series_2017_01_agencies': first on line 2, again on line {again}") in found


def test_deep_nesting_is_refused(minimal_data, monkeypatch):
    monkeypatch.setattr(load.LIMITS, "yaml_depth", 10)
    (minimal_data / "blocks" / "deep.yaml").write_text("id: " + "[" * 20 + "]" * 20 + "\n")
    assert "data/blocks/deep.yaml:1: expected lists and mappings nested at most 10 deep, got deeper" in problems_of(minimal_data)


def test_too_many_values_are_refused(minimal_data, monkeypatch):
    monkeypatch.setattr(load.LIMITS, "yaml_nodes", 50)
    (minimal_data / "blocks" / "wide.yaml").write_text("id: [" + ", ".join(["x"] * 100) + "]\n")
    assert any(line.startswith("data/blocks/wide.yaml:1: expected at most 50 values")
               for line in problems_of(minimal_data))


def test_top_level_problem_has_a_line_number(minimal_data):
    (minimal_data / "blocks" / "overview.yaml").write_text("\n\n- just\n- a list\n")
    found = problems_of(minimal_data)
    assert "data/blocks/overview.yaml:3: expected a mapping with id, title, text" in found


# ------------------------------------------------------------------------------- ids and classes


@pytest.mark.parametrize("name", ["x visually-hidden", "footnote x", "Overview", "a.b", "-x"])
def test_block_file_name_must_be_a_safe_id(minimal_data, name):
    source = minimal_data / "blocks" / "overview.yaml"
    (minimal_data / "blocks" / f"{name}.yaml").write_text(source.read_text().replace("id: overview", f"id: {name}"))
    found = problems_of(minimal_data)
    assert (f"data/blocks/{name}.yaml:1: expected a block file name of lower-case letters and digits, words "
            f"joined by '-' or '_' (it becomes an HTML id), got {excerpt(name)}") in found


def test_section_ids_are_checked_where_classes_are_built():
    from policybrief.render import Section

    with pytest.raises(ValueError):
        Section("x visually-hidden", "prose", "Heading")


# ------------------------------------------------------------------------------- text


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidi_controls_are_refused_with_their_line(minimal_data, char):
    path = minimal_data / "blocks" / "overview.yaml"
    path.write_text(path.read_text().replace("Section 287(g)", f"Section {char}287(g)", 1))
    code = ord(char)
    assert (f"data/blocks/overview.yaml:5: expected no bidirectional control characters, got U+{code:04X} "
            "(it reorders the text a reader sees)") in problems_of(minimal_data)


@pytest.mark.parametrize("hidden", ["ill\u200begal alien", "ille\u00adgal alien", "illegal\u2060 alien",
                                    "\uff49\uff4c\uff4c\uff45\uff47\uff41\uff4c alien"])
def test_invisible_characters_cannot_hide_a_loaded_term(minimal_data, hidden):
    from policybrief.check import check_voice

    path = minimal_data / "blocks" / "overview.yaml"
    path.write_text(path.read_text().replace("local police [@statute]", f"local police and {hidden}s [@statute]", 1))
    content = load_content(minimal_data)
    text = content.blocks["overview"].text.get("standard")
    assert "\u200b" not in text and "\u00ad" not in text and "\u2060" not in text
    findings = [str(finding) for finding in check_voice(content, ["council"])]
    assert any("loaded term 'illegal aliens'" in finding for finding in findings), findings


def test_markdown_images_are_refused(minimal_data):
    path = minimal_data / "blocks" / "overview.yaml"
    path.write_text(path.read_text().replace("local police [@statute]",
                                             "local police ![x](http://example.org/x.png) [@statute]", 1))
    assert ("data/blocks/overview.yaml:5: text.standard: expected Markdown without images (charts come from "
            "charts/), got '![x]('") in problems_of(minimal_data)


def _english_renderer():
    from policybrief.cite import Citer
    from policybrief.i18n import catalogue
    from policybrief.markup import ProseRenderer

    return ProseRenderer(Citer({}, style="full", urls_in_notes=True), {}, messages=catalogue("en"))


def test_ice_cells_are_plain_text():
    """An agency name is Verbatim: printed as written wherever the sentence puts it, never read as Markdown,
    a citation, a figure or HTML."""
    from policybrief.model import Message, Verbatim

    agency = "**Bold** ![x](http://example.org/x.png) [@x] {fig:y} <b>Sheriff's</b> & Co"
    html = str(_english_renderer().render_composed(
        Message.of("local.agency_item", agency=Verbatim(agency), details="Jail Enforcement Model")))
    assert "<img" not in html and "<em>" not in html and "<b>" not in html
    assert ("<strong>**Bold** ![x](http://example.org/x.png) [@x] {fig:y} &lt;b&gt;Sheriff\u2019s&lt;/b&gt; "
            "&amp; Co</strong>") in html


def test_an_agency_named_like_a_word_of_the_sentence_changes_nothing_else():
    """Names go where the sentence puts them, not wherever their text occurs: an agency called "list" or
    "Task Force Model", or one carrying the renderer's private-use markers, leaves the rest as written."""
    from policybrief.model import Joined, Message, Verbatim

    for name in ("list", "Task Force Model", "ICE", "\ue004" + "0\ue005 list", "**"):
        html = str(_english_renderer().render_composed(Joined((
            Message.of("local.agency_item", agency=Verbatim(name), details=Verbatim("Task Force Model")),
            Message.of("local.first_undated")), "\n\n")))
        assert "no readable signing date on ICE\u2019s list" in html, name
        assert "\ue004" not in html and "\ue005" not in html
        assert html.count("Task Force Model") == 1 + (name == "Task Force Model")


# ------------------------------------------------------------------------------- messages


def test_messages_never_carry_more_than_a_short_escaped_excerpt():
    long = "A" * 10_000 + "\x1b[2J"
    shown = excerpt(long)
    assert len(shown) < 100 and "10,004 characters" in shown
    assert excerpt("x\x1b[31my\u202e") == "'x\\u001b[31my\\u202e'"
    assert len(printable("y" * 5_000)) == 400


def test_wrong_types_are_one_line_problems(minimal_data):
    path = minimal_data / "audiences" / "council.yaml"
    path.write_text(path.read_text().replace("pages: {min: 1, max: 3}", "pages: 4-6")
                    + "colour: \"false\"\nbase_font_pt: big\nomit_when_local: 5\nreading_grade_max: .nan\n")
    found = problems_of(minimal_data)
    assert "data/audiences/council.yaml:5: pages: expected {min: N, max: M} with 0 < N <= M, got '4-6'" in found
    assert "data/audiences/council.yaml:14: colour: expected true or false, got 'false'" in found
    assert "data/audiences/council.yaml:15: base_font_pt: expected a number from 6 to 24, got 'big'" in found
    assert "data/audiences/council.yaml:16: omit_when_local: expected a list of block ids, got 5" in found
    assert "data/audiences/council.yaml:17: reading_grade_max: expected a number from 0 to 30, got nan" in found


@pytest.mark.parametrize("value, message", [
    ("1" * 400, "expected a finite number below 1,000,000,000,000,000, got a 400-digit number"),
    (".inf", "expected a finite number below 1,000,000,000,000,000, got inf"),
    (".nan", "expected a finite number below 1,000,000,000,000,000, got nan"),
    ("-5", "expected a count of zero or more agencies, got -5"),
])
def test_impossible_figure_values(minimal_data, value, message):
    path = minimal_data / "figures.yaml"
    path.write_text(path.read_text().replace("value: 35", f"value: {value}", 1))
    assert f"data/figures.yaml:3: figures.series_2017_01_agencies.value: {message}" in problems_of(minimal_data)


@pytest.mark.parametrize("field", ["label", "locator"])
def test_citation_in_a_figure_label_or_locator(minimal_data, field):
    path = minimal_data / "figures.yaml"
    text = path.read_text().replace("    label: agencies with agreements\n",
                                    f"    label: agencies with agreements\n    {field}: see [@x]\n", 1)
    if field == "label":
        text = text.replace("    label: agencies with agreements\n    label: see [@x]\n", "    label: see [@x]\n", 1)
    path.write_text(text)
    found = problems_of(minimal_data)
    assert any(f"figures.series_2017_01_agencies.{field}: expected plain text without citations, brackets or "
               f"braces, got 'see [@x]'" in line for line in found), found


def test_keywords_and_heading_of_wrong_type(minimal_data):
    brief = minimal_data / "brief.yaml"
    brief.write_text(re.sub(r"(?m)^keywords:.*$", "keywords: 5", brief.read_text()) if "keywords:" in brief.read_text()
                     else brief.read_text() + "keywords: 5\n")
    audience = minimal_data / "audiences" / "council.yaml"
    audience.write_text(audience.read_text().replace('heading: "Overview"', "heading: [a, b]"))
    found = problems_of(minimal_data)
    assert any(line.endswith("keywords: expected a list of keywords, got 5") for line in found), found
    assert "data/audiences/council.yaml:8: blocks[0].heading: expected a heading text, got a list of 2" in found


@pytest.mark.parametrize("blocks", ["5", "[[overview]]", "[{id: [a]}]", "[{id: {a: 1}}]"])
def test_audience_blocks_of_wrong_type(minimal_data, blocks):
    path = minimal_data / "audiences" / "council.yaml"
    text = path.read_text()
    start = text.index("blocks:")
    path.write_text(text[:start] + f"blocks: {blocks}\n")
    found = problems_of(minimal_data)
    assert any(line.startswith("data/audiences/council.yaml:") and "blocks" in line for line in found), found


# ------------------------------------------------------------------------------- ICE's files (pre-flight)


def test_csv_cell_over_the_limit_is_one_line(minimal_data, monkeypatch):
    monkeypatch.setattr(load.LIMITS, "csv_field", 100)
    folder = minimal_data / "agreements"
    folder.mkdir()
    (folder / "participating.csv").write_text("state,agency\nTexas,ok\nTexas," + "x" * 200 + "\n")
    assert ("data/agreements/participating.csv:3: expected CSV cells of at most 100 characters, got a cell "
            "longer than the limit") in problems_of(minimal_data)


def test_csv_cell_over_the_csv_module_limit_is_one_line(minimal_data):
    folder = minimal_data / "agreements"
    folder.mkdir()
    (folder / "participating.csv").write_text("state,agency\nTexas," + "x" * 140_000 + "\n")
    found = problems_of(minimal_data)
    assert any(line.startswith("data/agreements/participating.csv:2: expected CSV cells of at most") for line in found)


@pytest.mark.parametrize("content, message", [
    (b"as_of: 2025-02-30\n", "data/agreements/provenance.yaml:1: expected a real date, got '2025-02-30'"),
    (b"as_of: 2025-07-18\ndownloaded: 2025-13-01\n",
     "data/agreements/provenance.yaml:2: expected a real date, got '2025-13-01'"),
    (b"as_of: 2025-07-18\nsource_file: \xff\n", "data/agreements/provenance.yaml:2: expected UTF-8 text, got the byte 0xff"),
    (b"as_of: 2025-07-18\nas_of: 2025-07-19\n",
     "data/agreements/provenance.yaml:2: as_of: duplicate key 'as_of': first on line 1, again on line 2"),
    (b"", "data/agreements/provenance.yaml:1: expected a mapping of keys (as_of, source_file, source_url, ...), "
          "got nothing"),
    (b"- as_of\n", "data/agreements/provenance.yaml:1: expected a mapping of keys (as_of, source_file, "
                   "source_url, ...), got a list of 1"),
])
def test_broken_provenance_is_one_line(minimal_data, content, message):
    folder = minimal_data / "agreements"
    folder.mkdir()
    (folder / "participating.csv").write_text("state\n")
    (folder / "provenance.yaml").write_bytes(content)
    assert message in problems_of(minimal_data)


# ------------------------------------------------------------------------------- command line


def test_non_utf8_prepared_for_is_a_usage_error(minimal_data):
    code, _, err = run("--data", str(minimal_data), "--prepared-for", "Spring\udcfffield")
    assert code == 2
    assert err == "generate.py: error: --prepared-for: expected UTF-8 text, got 'Spring\\xfffield' (bytes that are not UTF-8)\n"


def test_control_characters_in_options_are_usage_errors(minimal_data):
    code, _, err = run("--data", str(minimal_data), "--prepared-for", "a\x1b[2Jb")
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err


def test_binary_jurisdiction_list_is_a_usage_error(minimal_data, tmp_path):
    listing = tmp_path / "names.txt"
    listing.write_bytes(b"Harris County, TX\n\x89PNG\r\n\x1a\n\x00\x00")
    code, _, err = run("--data", str(minimal_data), "--jurisdiction-list", str(listing))
    assert code == 2
    assert err == f"generate.py: error: --jurisdiction-list: {listing}:2: expected UTF-8 text, got the byte 0x89\n"


def test_oversized_jurisdiction_list_is_a_usage_error(minimal_data, tmp_path, monkeypatch):
    monkeypatch.setattr("policybrief.cli.JURISDICTION_LIST_BYTES", 100)
    listing = tmp_path / "names.txt"
    listing.write_text("Harris County, TX\n" * 20)
    code, _, err = run("--data", str(minimal_data), "--jurisdiction-list", str(listing))
    assert code == 2 and "expected at most 100 bytes of names, got more" in err


# ------------------------------------------------------------------------------- resources and layout


def test_html_edition_applies_the_pdf_resource_policy(caplog):
    import logging

    from policybrief.write import apply_resource_policy

    html = ('<p>a<img src="http://example.org/track.png" alt="x">b<img src="data:image/svg+xml;base64,AA==" alt="c">'
            '<link rel="stylesheet" href="https://example.org/x.css"><img srcset="a.png 1x, http://e/b.png 2x">'
            '<iframe src="file:///etc/passwd"></iframe><a href="https://example.org/">a link stays</a></p>')
    with caplog.at_level(logging.INFO, logger="policybrief.write"):
        cleaned = apply_resource_policy(html)
    assert "example.org/track.png" not in cleaned and "x.css" not in cleaned and "/etc/passwd" not in cleaned
    assert "http://e/b.png" not in cleaned
    assert 'src="data:image/svg+xml;base64,AA=="' in cleaned and 'href="https://example.org/">a link stays' in cleaned
    refused = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("refused img http://example.org/track.png in the HTML edition") for message in refused)


def test_refused_resources_are_logged_under_verbose(minimal_data, tmp_path):
    out = tmp_path / "council.pdf"
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--html", "--verbose", "--date", "2025-10-01")
    assert code == 0, err
    html = out.with_suffix(".html").read_text()
    assert "http://" not in re.sub(r'href="[^"]*"', "", html)  # links only, nothing fetched


@pytest.mark.slow
def test_long_words_and_urls_wrap_in_print(minimal_data, tmp_path):
    from pypdf import PdfReader

    url = "https://example.org/" + "a" * 200 + "/" + "b" * 200
    path = minimal_data / "blocks" / "overview.yaml"
    path.write_text(path.read_text().replace("local police [@statute]", f"local police, see {url} [@statute]", 1))
    out = tmp_path / "council.pdf"
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--date", "2025-10-01")
    assert code == 0, err
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    lines = [line for line in text.splitlines() if "aaaa" in line or "bbbb" in line]
    assert len(lines) >= 3  # the 424-character address is broken over several lines
    assert all(len(line) < 130 for line in lines)


# ------------------------------------------------------------------------------- chart cache


def test_planted_or_altered_chart_is_ignored_and_redrawn(minimal_data, tmp_path, monkeypatch):
    from policybrief import chart

    monkeypatch.delenv("POLICYBRIEF_CHART_CACHE", raising=False)
    content = load_content(minimal_data)
    cache = tmp_path / "cache"
    first = chart.render_chart("agreements_over_time", content, cache_dir=cache)
    [entry] = cache.glob("agreements_over_time-*.svg")
    assert len(entry.stem.split("-")[-1]) == 64  # the full SHA-256 of the inputs
    assert (cache / ".secret").stat().st_mode & 0o077 == 0
    planted = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><text>FAKE 999,999</text></svg>'
    for forged in (planted, entry.read_bytes().replace(b"<svg", b"<svg data-x='1'", 1),
                   b"0" * 64 + b"\n" + planted):
        entry.write_bytes(forged)
        again = chart.render_chart("agreements_over_time", content, cache_dir=cache)
        assert b"FAKE" not in again.svg and again.svg == first.svg
    # An intact entry is reused without drawing.
    monkeypatch.setattr("policybrief.charts.agreements_over_time.draw", lambda data: (_ for _ in ()).throw(AssertionError("drew")))
    assert chart.render_chart("agreements_over_time", content, cache_dir=cache).svg == first.svg


@pytest.mark.slow
def test_ice_agency_name_with_markdown_prints_as_written(minimal_data, tmp_path):
    """A hostile agency name on ICE's list: no image, no emphasis, no citation, no crash."""
    import shutil

    from pypdf import PdfReader

    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "agreements", minimal_data / "agreements",
                    ignore=shutil.ignore_patterns("history.*", "moa_links.*"))  # their sources are not in this folder's
    listing = minimal_data / "agreements" / "participating.csv"
    hostile = "**Bold** Sheriff ![x](http://example.org/x.png) [@x] {fig:y} <b>hi</b>"
    lines = listing.read_text().splitlines(keepends=True)
    row = next(index for index, line in enumerate(lines) if line.startswith("Alabama,AL,Cherokee County Sheriff"))
    lines[row] = lines[row].replace("Cherokee County Sheriff's Office", hostile, 1)
    listing.write_text("".join(lines))
    audience = minimal_data / "audiences" / "council.yaml"
    audience.write_text(audience.read_text().replace("  - sources", "  - local\n  - sources"))
    out = tmp_path / "c.pdf"
    code, _, err = run("--data", str(minimal_data), "--jurisdiction", "Cherokee County, AL", "--out", str(out),
                       "--html", "--date", "2025-10-01")
    assert code == 0, err
    html = out.with_suffix(".html").read_text()
    assert ("<strong>**Bold** Sheriff ![x](http://example.org/x.png) [@x] {fig:y} &lt;b&gt;hi&lt;/b&gt;</strong>"
            in html)
    assert "<img src=\"http" not in html
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "**Bold** Sheriff" in text


def test_a_file_where_a_folder_belongs(minimal_data):
    import shutil

    shutil.rmtree(minimal_data / "blocks")
    (minimal_data / "blocks").write_text("not a folder")
    assert "data/blocks: expected a folder, got a file" in problems_of(minimal_data)


@pytest.mark.parametrize("yaml_text, message", [
    ("id: !!python/object/apply:os.system ['echo PWNED']\n", "is not valid YAML"),
    ("? [a, b]\n: c\n", "expected a text key, got a list or mapping"),
    ("base: &b {id: x}\n<<: *b\n", "expected no"),
])
def test_yaml_tags_and_odd_keys(minimal_data, yaml_text, message):
    (minimal_data / "blocks" / "odd.yaml").write_text(yaml_text)
    assert any(line.startswith("data/blocks/odd.yaml:") and message in line for line in problems_of(minimal_data))


def test_link_swapped_in_after_the_check_is_still_refused(minimal_data, tmp_path, monkeypatch):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: TOPSECRET\n")
    path = minimal_data / "blocks" / "overview.yaml"
    path.unlink()
    path.symlink_to(secret)
    monkeypatch.setattr(load, "check_path", lambda path, root: None)  # the check ran before the swap
    text, found = load.read_data_text(path, minimal_data)
    assert text is None
    assert [str(problem) for problem in found] == [
        "data/blocks/overview.yaml: resolves outside the data folder (a symbolic link out of it); data files "
        "must live inside it"]
