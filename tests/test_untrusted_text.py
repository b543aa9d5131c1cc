"""Text a data folder brings is checked after YAML, JSON or CSV has decoded it, and a file that cannot be
read (or holds nothing) is reported once, not once per reference into it.

Each test builds its own data folder from tests/fixtures/minimal in tmp_path and breaks it in one way."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from policybrief.validate import load_content

from helpers import line_of, problems_of, run

ZOTERO = Path(__file__).resolve().parent / "fixtures" / "zotero" / "sources.json"
BIDI = "expected no bidirectional control characters, got U+{:04X} (it reorders the text a reader sees)"
CONTROL = "expected no control characters, got U+{:04X} (only tab and line breaks may appear in text)"
SURROGATE = "expected no lone surrogates, got U+{:04X} (half of a UTF-16 pair: write the character itself)"
NONCHARACTER = "expected no Unicode noncharacters, got U+{:04X} (they are reserved for programs' internal use)"


@pytest.fixture
def json_data(minimal_data: Path) -> Path:
    """The small data set with Zotero's CSL JSON export beside its sources.yaml (different keys)."""
    shutil.copy(ZOTERO, minimal_data / "sources.json")
    return minimal_data


# ------------------------------------------------------------------------------- escapes, decoded


@pytest.mark.parametrize("escape, message", [
    ("\\u202e", BIDI.format(0x202E)), ("\\u2066", BIDI.format(0x2066)),
    ("\\u0000", CONTROL.format(0)), ("\\u001b", CONTROL.format(0x1B)), ("\\u0085", CONTROL.format(0x85)),
    ("\\u007f", CONTROL.format(0x7F)), ("\\ud800", SURROGATE.format(0xD800)), ("\\udfff", SURROGATE.format(0xDFFF)),
    ("\\ufdd0", NONCHARACTER.format(0xFDD0)), ("\\uffff", NONCHARACTER.format(0xFFFF)),
    ("\\udbff\\udfff", NONCHARACTER.format(0x10FFFF)),  # a pair: U+10FFFF, the last noncharacter
])
def test_json_escape_of_a_forbidden_character_is_refused(json_data, escape, message):
    path = json_data / "sources.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Napolitano Cuts", f"Napolitano {escape}Cuts", 1),
                    encoding="utf-8")
    assert problems_of(json_data) == [f"data/sources.json:{line_of(path, 'Napolitano')}: [2].title: {message}"]


def test_json_escapes_of_allowed_characters_still_load(json_data):
    path = json_data / "sources.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Napolitano Cuts", "Napolitano\\t\\u00e9\\ud83d\\ude00 Cuts", 1), encoding="utf-8")
    assert load_content(json_data).sources["TZ4HW8NC"].title.startswith("Napolitano\t\u00e9\U0001f600 Cuts")


def test_json_key_with_an_escape_is_refused_and_shown_escaped(json_data):
    path = json_data / "sources.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"title-short"', '"title\\u001b-short"', 1),
                    encoding="utf-8")
    line = line_of(path, "title\\u001b-short")
    assert problems_of(json_data) == [f"data/sources.json:{line}: [0].title\\u001b-short: {CONTROL.format(0x1B)}"]


@pytest.mark.parametrize("escape, message", [
    ("\\u202E", BIDI.format(0x202E)), ("\\x1b", CONTROL.format(0x1B)), ("\\0", CONTROL.format(0)),
    ("\\x9b", CONTROL.format(0x9B)), ("\\uFDEF", NONCHARACTER.format(0xFDEF)),
])
def test_yaml_double_quoted_escape_of_a_forbidden_character_is_refused(minimal_data, escape, message):
    path = minimal_data / "blocks" / "overview.yaml"
    path.write_text(path.read_text().replace("title: Overview", f'title: "Over{escape}view"', 1))
    assert problems_of(minimal_data) == [f"data/blocks/overview.yaml:2: title: {message}"]


def test_yaml_key_with_an_escape_is_refused(minimal_data):
    path = minimal_data / "blocks" / "overview.yaml"
    path.write_text(path.read_text() + '"note\\u202e": x\n')
    line = len(path.read_text().splitlines())
    assert problems_of(minimal_data) == [f"data/blocks/overview.yaml:{line}: note\\u202e: {BIDI.format(0x202E)}"]


@pytest.mark.parametrize("raw, message", [("\x1b[2J", CONTROL.format(0x1B)), ("\x85", CONTROL.format(0x85)),
                                          ("\ufffe", NONCHARACTER.format(0xFFFE))])
def test_raw_forbidden_character_in_a_yaml_file_names_its_line(minimal_data, raw, message):
    path = minimal_data / "blocks" / "overview.yaml"
    path.write_text(path.read_text().replace("Section 287(g)", f"Section {raw}287(g)", 1), encoding="utf-8")
    assert problems_of(minimal_data) == [f"data/blocks/overview.yaml:5: {message}"]


def test_control_character_in_a_csv_cell_is_refused(minimal_data):
    folder = minimal_data / "agreements"
    folder.mkdir()
    (folder / "participating.csv").write_text("state,agency\nTX,Harris\x00 County\n", encoding="utf-8")
    assert f"data/agreements/participating.csv:2: {CONTROL.format(0)}" in problems_of(minimal_data)


def test_escaped_surrogate_ends_in_one_line_and_writes_nothing(json_data, tmp_path):
    path = json_data / "sources.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Acceptance of", "Accep\\ud800tance of", 1),
                    encoding="utf-8")
    out = tmp_path / "out" / "council.pdf"
    code, _, err = run("--data", str(json_data), "--out", str(out), "--html", "--date", "2025-12-01")
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [f"data/sources.json:{line_of(path, 'Accep')}: [0].title: {SURROGATE.format(0xD800)}",
                                "generate.py: 1 problem(s) found; nothing was written"]
    assert not out.exists() and not out.with_suffix(".html").exists()


# ------------------------------------------------------------------------------- one problem, not a cascade


@pytest.mark.parametrize("text, message", [
    ('[\n\t{"id": "a",}\n]\n', "data/sources.json:2: is not valid JSON: expected a key in double quotes"),
    ('[\n\t{"id": "a", "id": "b"}\n]\n', "data/sources.json:2: [0].id: duplicate key 'id': first on line 2, "
                                        "again on line 2"),
    ('{"references": []}\n', "data/sources.json:1: expected a JSON list of sources (CSL JSON, as Zotero's \"CSL "
                             "JSON\" export writes it), got a mapping of 1 key"),
    ('[{"title": "\\u0000"}]\n', f"data/sources.json:1: [0].title: {CONTROL.format(0)}"),
])
def test_unreadable_bibliography_is_one_problem(minimal_data, text, message):
    (minimal_data / "sources.yaml").unlink()
    (minimal_data / "sources.json").write_text(text, encoding="utf-8")
    assert problems_of(minimal_data) == [message]


def test_bad_byte_in_sources_yaml_is_one_problem(minimal_data):
    path = minimal_data / "sources.yaml"
    path.write_bytes(path.read_bytes().replace(b"title:", b"ti\xfftle:", 1))
    [problem] = problems_of(minimal_data)
    assert re.fullmatch(r"data/sources\.yaml:\d+: expected UTF-8 text, got the byte 0xff", problem), problem


def test_unreadable_json_beside_a_good_yaml_silences_unknown_keys(json_data):
    (json_data / "sources.json").write_text("[\n", encoding="utf-8")
    blocks = json_data / "blocks" / "overview.yaml"
    blocks.write_text(blocks.read_text().replace("[@gao]", "[@TZ4HW8NC]", 1))  # a key the broken file held
    assert problems_of(json_data) == ["data/sources.json:2: is not valid JSON: expected a value, got the end of "
                                      "the file"]


@pytest.mark.parametrize("name, text, key", [("sources.json", "[]\n", ""),
                                             ("sources.yaml", "references: []\n", "references: ")])
def test_empty_bibliography_says_so_once(minimal_data, name, text, key):
    (minimal_data / "sources.yaml").unlink()
    (minimal_data / name).write_text(text, encoding="utf-8")
    [problem] = problems_of(minimal_data)
    match = re.fullmatch(rf"data/{re.escape(name)}:1: {key}expected at least one source, got none \((\d+) references "
                         r"to sources in the data are not checked until it has some\)", problem)
    assert match and int(match[1]) >= 3, problem  # the fixture's prose cites @statute, @gao, @news; figures too


def test_empty_json_beside_a_full_yaml_is_fine(minimal_data):
    (minimal_data / "sources.json").write_text("[]\n", encoding="utf-8")
    assert {"statute", "gao", "news"} <= set(load_content(minimal_data).sources)


def test_unreadable_figures_file_is_one_problem(minimal_data):
    path = minimal_data / "figures.yaml"
    path.write_bytes(b"figures:\n  \xff: 1\n")
    assert problems_of(minimal_data) == ["data/figures.yaml:2: expected UTF-8 text, got the byte 0xff"]


def test_empty_figures_file_says_so_once(minimal_data):
    (minimal_data / "figures.yaml").write_text("figures: {}\n")
    [problem] = problems_of(minimal_data)
    assert re.fullmatch(r"data/figures\.yaml:1: figures: expected at least one figure, got none \(\d+ references "
                        r"to figures in the data are not checked until it has some\)", problem), problem


def test_unreadable_block_is_not_reported_again_by_its_audience(minimal_data):
    (minimal_data / "blocks" / "overview.yaml").write_bytes(b"id: overview\ntitle: Over\xffview\n")
    assert problems_of(minimal_data) == ["data/blocks/overview.yaml:2: expected UTF-8 text, got the byte 0xff"]


def test_ice_counts_csv_is_read_as_safely_as_any_data_file(minimal_data, tmp_path):
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "ice_counts", minimal_data / "ice_counts")
    secret = tmp_path / "secret.csv"
    secret.write_text("AWS_SECRET=hunter2\n")
    states = minimal_data / "ice_counts" / "by_state.csv"
    states.unlink()
    states.symlink_to(secret)
    lists = minimal_data / "ice_counts" / "lists.csv"
    lists.write_text(lists.read_text(encoding="utf-8").replace(",", ",\u202e", 1), encoding="utf-8")
    found = problems_of(minimal_data)
    assert "hunter2" not in "\n".join(found)
    assert ("data/ice_counts/by_state.csv: resolves outside the data folder (a symbolic link out of it); data "
            "files must live inside it") in found
    assert f"data/ice_counts/lists.csv:1: {BIDI.format(0x202E)}" in found
