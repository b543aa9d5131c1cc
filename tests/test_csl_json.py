"""Sources as Zotero exports them: data/sources.json (CSL JSON) beside or instead of sources.yaml."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from policybrief.validate import SOURCE_KEYWORDS, load_content

from helpers import line_of, problems_of, run

ZOTERO = Path(__file__).resolve().parent / "fixtures" / "zotero" / "sources.json"
# The fixture's keys: Zotero exports an item's "Citation Key:" (Extra) as its id, and otherwise the
# item's URI, which prose cites by its last segment.
KEYS = {"statute": "iirira1996", "gao": "Q7XK2M9P", "news": "TZ4HW8NC"}
TIERS = ", ".join(sorted(SOURCE_KEYWORDS))


@pytest.fixture
def zotero_data(minimal_data: Path) -> Path:
    """The small data set with its bibliography replaced by Zotero's CSL JSON export, cited by its keys."""
    (minimal_data / "sources.yaml").unlink()
    shutil.copy(ZOTERO, minimal_data / "sources.json")
    for path in [*minimal_data.glob("*.yaml"), *minimal_data.glob("blocks/*.yaml")]:
        text = path.read_text(encoding="utf-8")
        for old, new in KEYS.items():
            text = re.sub(rf"@{old}\b", f"@{new}", text)
            text = re.sub(rf"(source: ){old}\b", rf"\g<1>{new}", text)
        path.write_text(text, encoding="utf-8")
    return minimal_data


def test_zotero_export_loads_with_keys_tiers_and_dates(zotero_data):
    sources = load_content(zotero_data).sources
    assert set(sources) == set(KEYS.values())
    gao = sources["Q7XK2M9P"]  # the URI http://zotero.org/users/12345678/items/Q7XK2M9P, by its last segment
    assert (gao.type, gao.number, gao.keyword) == ("report", "GAO-21-186", "government")
    assert (gao.issued.year, gao.issued.month, gao.issued.day) == (2021, 1, 27)  # date-parts [["2021", 1, 27]]
    assert gao.note == "Publicly released February 26, 2021."  # the Extra field's 'keyword:' line is read, not printed
    assert gao.title_short == "ICE Can Further Enhance Its Planning"
    news = sources["TZ4HW8NC"]
    assert (news.issued.year, news.issued.month, news.issued.day) == (2011, 12, 15)  # all parts as strings
    assert (news.accessed.year, news.keyword, news.note) == (2026, "news", None)
    assert sources["iirira1996"].keyword == "legislature"


def test_brief_cites_zotero_sources_in_its_notes_and_sources_list(zotero_data, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "council.pdf"
    code, stdout, err = run("--data", str(zotero_data), "--out", str(out), "--date", "2025-12-01")
    assert code == 0, err
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "ICE Can Further Enhance Its Planning" in text
    assert "GAO-21-186" in text and "Tucson Sentinel" in text and "Acceptance of State Services" in text
    assert "Publicly released February 26, 2021" in text
    assert "keyword" not in text.lower() and "zotero.org" not in text


def test_unknown_key_in_prose_is_reported_with_its_line(zotero_data):
    block = zotero_data / "blocks" / "overview.yaml"
    block.write_text(block.read_text(encoding="utf-8").replace("@Q7XK2M9P", "@Q7XK2M9Q", 1), encoding="utf-8")
    line = line_of(block, "@Q7XK2M9Q")
    assert f"data/blocks/overview.yaml:{line}: text.standard: unknown citation key '@Q7XK2M9Q': expected an id " \
           "from sources.json" in problems_of(zotero_data)


def test_missing_tier_is_asked_for_once_with_the_allowed_values(zotero_data):
    path = zotero_data / "sources.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    del items[2]["note"]  # Zotero exports no tier unless the item's Extra field has a 'Keyword:' line
    path.write_text(json.dumps(items, indent="\t") + "\n", encoding="utf-8")
    entry_line = line_of(path, '"id": "http://zotero.org/users/12345678/items/TZ4HW8NC"') - 1  # its '{'
    found = problems_of(zotero_data)
    assert found == [f"data/sources.json:{entry_line}: [2].keyword: expected a source-quality tier, one of {TIERS}, "
                     "got nothing; Zotero exports none: add the line 'Keyword: government' (say) to the item's "
                     "Extra field and export again, or a \"keyword\" to this entry"]


def test_field_errors_name_the_json_line(zotero_data):
    path = zotero_data / "sources.json"
    text = path.read_text(encoding="utf-8")
    text = text.replace('"type": "report"', '"type": "reprot"').replace('"keyword: news"', '"keyword: blog"')
    text = text.replace('"URL": "https://gao.gov/products/gao-21-186"', '"URL": "gao.gov/products/gao-21-186"')
    path.write_text(text, encoding="utf-8")
    found = problems_of(zotero_data)
    assert f"data/sources.json:{line_of(path, 'reprot')}: [1].type: expected one of" in found[0]
    assert found[0].endswith("got 'reprot'")
    url_line = line_of(path, '"URL": "gao.gov')
    assert f"data/sources.json:{url_line}: [1].URL: expected an http(s) URL, got " \
           "'gao.gov/products/gao-21-186'" in found
    assert any(problem.startswith(f"data/sources.json:{line_of(path, 'keyword: blog')}: [2].note: expected one of ")
               and problem.endswith("got 'blog'") for problem in found), found


def test_dates_zotero_could_not_read_are_reported(zotero_data):
    path = zotero_data / "sources.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    items[1]["issued"] = {"literal": "Winter 2021"}
    path.write_text(json.dumps(items, indent="\t") + "\n", encoding="utf-8")
    [problem] = problems_of(zotero_data)
    issued_line = next(number for number, line in enumerate(path.read_text().splitlines(), 1)
                       if '"issued"' in line and number > line_of(path, "Q7XK2M9P"))
    assert problem == (f"data/sources.json:{issued_line}: [1].issued: expected a CSL date like "
                       "{date-parts: [[2021, 1, 27]]}, got a mapping of 1 key (a date Zotero could not read is "
                       "exported as text: write it as 2021-01-27 in Zotero)")


@pytest.mark.parametrize("text, message, line", [
    ('[\n\t{\n\t\t"id": "a",\n\t\t"type": "report",\n\t}\n]\n', "is not valid JSON: expected a key in double quotes", 5),
    ('[\n\t{"id": "a", "id": "b"}\n]\n', "duplicate key 'id': first on line 2, again on line 2", 2),
    ('{"references": []}\n', "expected a JSON list of sources (CSL JSON, as Zotero's \"CSL JSON\" export writes it), "
                             "got a mapping of 1 key", 1),
    ('[\n\t"one",\n\t"two"\n]\n', "expected a mapping describing one source", 2),
])
def test_malformed_json_is_one_located_line(minimal_data, text, message, line):
    (minimal_data / "sources.json").write_text(text, encoding="utf-8")
    found = problems_of(minimal_data)
    assert any(re.fullmatch(rf"data/sources\.json:{line}: (\S+: )?{re.escape(message)}", problem)
               for problem in found), found


def test_json_is_read_as_safely_as_yaml(zotero_data, tmp_path):
    path = zotero_data / "sources.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Napolitano Cuts", "Napolitano \u202eCuts", 1), encoding="utf-8")
    assert problems_of(zotero_data)[0] == (f"data/sources.json:{line_of(path, 'Napolitano')}: expected no "
                                           "bidirectional control characters, got U+202E (it reorders the text a "
                                           "reader sees)")
    # Invisible characters are removed, as in YAML: the title prints and is checked as written.
    path.write_text(text.replace("Napolitano Cuts", "Napo\u200blitano Cuts", 1), encoding="utf-8")
    assert load_content(zotero_data).sources["TZ4HW8NC"].title.startswith("Napolitano Cuts")
    outside = tmp_path / "elsewhere.json"
    outside.write_text(text, encoding="utf-8")
    path.unlink()
    os.symlink(outside, path)
    assert problems_of(zotero_data)[0] == ("data/sources.json: resolves outside the data folder (a symbolic link "
                                           "out of it); data files must live inside it")


def test_both_files_are_merged_and_a_key_in_both_names_both(minimal_data):
    items = json.loads(ZOTERO.read_text(encoding="utf-8"))
    (minimal_data / "sources.json").write_text(json.dumps(items, indent="\t") + "\n", encoding="utf-8")
    sources = load_content(minimal_data).sources
    assert set(sources) == {"statute", "gao", "news", *KEYS.values()}  # YAML and JSON together
    items[1]["id"] = "http://zotero.org/users/12345678/items/gao"  # the YAML file's key 'gao'
    (minimal_data / "sources.json").write_text(json.dumps(items, indent="\t") + "\n", encoding="utf-8")
    json_line = line_of(minimal_data / "sources.json", "items/gao")
    yaml_line = line_of(minimal_data / "sources.yaml", "- id: gao")
    assert problems_of(minimal_data) == [f"data/sources.json:{json_line}: [1].id: duplicate source id 'gao': also in "
                                         f"data/sources.yaml:{yaml_line}; keep it in one of the two files"]


def test_citation_key_field_wins_over_the_id(zotero_data):
    path = zotero_data / "sources.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    items[1]["citation-key"] = "gao_21_186"  # as Better BibTeX writes it, beside Zotero's URI id
    path.write_text(json.dumps(items, indent="\t") + "\n", encoding="utf-8")
    for file in [*zotero_data.glob("*.yaml"), *zotero_data.glob("blocks/*.yaml")]:
        file.write_text(file.read_text(encoding="utf-8").replace("Q7XK2M9P", "gao_21_186"), encoding="utf-8")
    assert "gao_21_186" in load_content(zotero_data).sources


def test_check_names_the_json_file_of_a_source_never_cited(zotero_data):
    from policybrief.check import check_sourcing

    path = zotero_data / "sources.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    items.append({**items[1], "id": "http://zotero.org/users/12345678/items/3NWJ8VZB"})
    path.write_text(json.dumps(items, indent="\t") + "\n", encoding="utf-8")
    content = load_content(zotero_data)
    found = [str(finding) for finding in check_sourcing(content, ["council"]) if "never cited" in str(finding)]
    assert len(found) == 1 and found[0].startswith("data/sources.json") and "'3NWJ8VZB'" in found[0], found


def rewrite(path: Path, change) -> list[dict]:
    items = json.loads(path.read_text(encoding="utf-8"))
    change(items)
    path.write_text(json.dumps(items, indent="\t") + "\n", encoding="utf-8")
    return items


def test_citation_key_line_in_the_note_is_the_key(zotero_data):
    # Better BibTeX and Zotero 7 keep the key as a line 'Citation Key: ...' in Extra, exported in the note.
    rewrite(zotero_data / "sources.json",
            lambda items: items[1].update(note="Citation Key: gao_21_186\n" + items[1]["note"]))
    for file in [*zotero_data.glob("*.yaml"), *zotero_data.glob("blocks/*.yaml")]:
        file.write_text(file.read_text(encoding="utf-8").replace("Q7XK2M9P", "gao_21_186"), encoding="utf-8")
    sources = load_content(zotero_data).sources
    assert "Q7XK2M9P" not in sources
    gao = sources["gao_21_186"]
    assert (gao.keyword, gao.note) == ("government", "Publicly released February 26, 2021.")  # neither line printed


def test_address_id_without_a_key_is_reported(zotero_data):
    path = zotero_data / "sources.json"
    rewrite(path, lambda items: items[1].update(id="http://zotero.org/users/12345678/items/"))
    line = line_of(path, '"id": "http://zotero.org/users/12345678/items/"')
    assert problems_of(zotero_data) == [
        f"data/sources.json:{line}: [1].id: expected an address ending in the item's key (as Zotero writes it: "
        "http://zotero.org/users/12345678/items/ABCD2345), or a 'Citation Key:' line in the note, got "
        "'http://zotero.org/users/12345678/items/'"]


def test_two_keyword_lines_are_a_conflict(zotero_data):
    path = zotero_data / "sources.json"
    rewrite(path, lambda items: items[1].update(note="Keyword: government\nKeyword: news"))
    line = line_of(path, '"note": "Keyword: government')
    assert problems_of(zotero_data) == [
        f"data/sources.json:{line}: [1].note: expected one source-quality tier, got 'government' and 'news' "
        f"(2 'Keyword:' lines in the note); keep one of {TIERS}"]


def test_keyword_field_and_note_line_that_differ_are_a_conflict(zotero_data):
    path = zotero_data / "sources.json"
    rewrite(path, lambda items: items[1].update(keyword="news"))  # the note says 'keyword: government'
    line = line_of(path, '"keyword": "news"')
    assert problems_of(zotero_data) == [
        f"data/sources.json:{line}: [1].keyword: expected one source-quality tier, got 'news' and 'government' "
        f"(the keyword field and the note's 'Keyword:' line); keep one of {TIERS}"]


def test_same_tier_twice_is_not_a_conflict(zotero_data):
    rewrite(zotero_data / "sources.json",
            lambda items: items[1].update(keyword="government", note="Keyword: government\nkeyword: government"))
    assert load_content(zotero_data).sources["Q7XK2M9P"].keyword == "government"


def test_citation_key_field_and_note_line_that_differ_are_one_problem(zotero_data):
    path = zotero_data / "sources.json"
    rewrite(path, lambda items: items[1].update({"citation-key": "gao2021", "note": "Citation Key: gao_21_186"}))
    line = line_of(path, '"citation-key": "gao2021"')
    # Reported once: prose citing either key (or the address's Q7XK2M9P) is not reported again.
    assert problems_of(zotero_data) == [
        f"data/sources.json:{line}: [1].citation-key: expected one citation key, got 'gao2021' and 'gao_21_186' "
        "(the citation-key field and the note's 'Citation Key:' line); keep one"]


def test_unknown_key_names_both_bibliographies_when_both_exist(minimal_data):
    shutil.copy(ZOTERO, minimal_data / "sources.json")
    block = minimal_data / "blocks" / "overview.yaml"
    block.write_text(block.read_text(encoding="utf-8").replace("[@gao]", "[@gao2099]", 1), encoding="utf-8")
    line = line_of(block, "@gao2099")
    assert problems_of(minimal_data) == [f"data/blocks/overview.yaml:{line}: text.standard: unknown citation key "
                                         "'@gao2099': expected an id from sources.yaml or sources.json"]


def test_duplicate_id_in_the_json_names_the_first_line(zotero_data):
    path = zotero_data / "sources.json"
    rewrite(path, lambda items: items.append({**items[0]}))
    first = line_of(path, '"id": "iirira1996"')
    again = [number for number, line in enumerate(path.read_text().splitlines(), 1) if '"id": "iirira1996"' in line][1]
    assert problems_of(zotero_data) == [f"data/sources.json:{again}: [3].id: duplicate source id 'iirira1996': "
                                        f"first on line {first}"]


def test_a_list_of_tiers_is_one_problem(zotero_data):
    path = zotero_data / "sources.json"
    rewrite(path, lambda items: items[1].update(keyword=["government", "news"]))
    line = line_of(path, '"keyword": [')
    assert problems_of(zotero_data) == [f"data/sources.json:{line}: [1].keyword: expected a text, got a list of 2"]
