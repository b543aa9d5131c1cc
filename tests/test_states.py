"""data/states.yaml: every state's entry (measures, or where its law was searched), validated by exact
message, and how the law-enforcement edition and the local sections read it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from policybrief.errors import DataError
from policybrief.model import STATE_STANCES
from policybrief.validate import load_content

from helpers import words

ROOT = Path(__file__).resolve().parent.parent

# The 50 states, D.C. and the five inhabited territories (Guam and the Northern Mariana Islands are
# on ICE's list of October 2026).
EVERY_CODE = set("""AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ
NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP""".split())

GOOD = """\
searched: 2026-12-01
states:
  - state: Georgia
    code: ga
    measures:
      - stance: mandate
        measure: "H.B. 1105"
        date: 2024-05-01
        binds: [jails]
        bars: [decline]
        text:
          standard: "Local agencies must seek agreements [@statute]."
          plain: "Agencies must ask for a deal [@statute]."
      - stance: preempt
        measure: "O.C.G.A. § 36-80-23"
        date: 2009
        binds: [governments]
        bars: [conditions]
        review_by: 2027-01-15
        text: "Local governments may not limit cooperation [@statute]."
  - state: Alabama
    code: AL
    searched:
      sources: "the Code of Alabama (queries: 287(g))"
      review_by: 2027-02-01
      note: "A bill would require agreements [@statute]."
  - state: Maine
    code: ME
    searched:
      date: 2026-11-30
      sources: "Maine statutes"
"""


def write_states(data: Path, text: str) -> Path:
    (data / "states.yaml").write_text(text, encoding="utf-8")
    return data


def problems_for(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_content(data)
    return [str(problem) for problem in caught.value.problems]


def test_entries_load_by_code_with_measures_searches_and_review_dates(minimal_data):
    content = load_content(write_states(minimal_data, GOOD))
    georgia = content.state_entry(" ga ")
    assert georgia is content.state_entry("GA") and georgia.found
    assert [(policy.stance, policy.measure, policy.date.iso) for policy in georgia.measures] == [
        ("mandate", "H.B. 1105", "2024-05-01"), ("preempt", "O.C.G.A. § 36-80-23", "2009")]
    assert georgia.measures[1].review_by == dt.date(2027, 1, 15)
    alabama = content.state_entry("al")
    assert not alabama.found and alabama.search.date.iso == "2026-12-01"  # the file's default date
    assert alabama.search.review_by == dt.date(2027, 2, 1)
    assert content.state_entry("ME").search.date.iso == "2026-11-30"
    assert content.state_entry("WY") is None
    # Content.states keeps the measures that decide participation itself (local sections read it).
    assert [(policy.code, policy.stance) for policy in content.states] == [("GA", "mandate")]
    assert {claim.key for claim in content.claims if claim.file.endswith("states.yaml")} == {
        "states[0].measures[1].review_by", "states[1].searched.review_by"}


def test_summary_states_each_measure_or_what_was_searched(minimal_data):
    content = load_content(write_states(minimal_data, GOOD))
    assert content.state_entry("GA").summary() == (
        "Georgia requires the sheriffs or officials who run county jails to seek or hold agreements: H.B. 1105 (May 1, "
        "2024). Local agencies must seek agreements [@statute].\n\n"
        "Georgia bars local limits on cooperation: O.C.G.A. § 36-80-23 (2009). "
        "Local governments may not limit cooperation [@statute].")
    assert content.state_entry("GA").summary("plain") == (
        "Agencies must ask for a deal [@statute]. Local governments may not limit cooperation [@statute].")
    assert words(content.state_entry("AL").summary()) == (
        "{nocite}No Alabama statute, executive order, attorney general directive or court ruling that requires, "
        "encourages, restricts or bans 287(g) participation, or bars local limits on it, was found in the sources "
        "searched on December 1, 2026: the Code of Alabama (queries: 287(g)).\n\n"
        "A bill would require agreements [@statute].")
    assert words(content.state_entry("ME").summary("plain")) == (
        "{nocite}We found no Maine law or order that requires, limits or bans these deals "
        "(searched November 30, 2026).")


def test_the_first_shape_of_the_file_still_loads_as_one_measure(minimal_data):
    content = load_content(write_states(minimal_data, """\
states:
  - state: Florida
    code: FL
    stance: mandate
    measure: "Fla. Stat. § 908.11"
    date: 2022
    text: "Every county jail must hold an agreement [@statute]."
"""))
    florida = content.state_entry("FL")
    assert [(policy.stance, policy.measure) for policy in florida.measures] == [("mandate", "Fla. Stat. § 908.11")]
    assert florida.search is None


def test_entry_with_neither_measures_nor_search(minimal_data):
    write_states(minimal_data, "searched: 2026-12-01\nstates:\n  - state: Alaska\n    code: AK\n")
    assert problems_for(minimal_data) == [
        "data/states.yaml:3: states[0]: expected measures, or searched: {sources: ...} saying where the law "
        "was looked for, got neither"]


def test_an_empty_list_of_measures_is_not_a_search(minimal_data):
    write_states(minimal_data, "searched: 2026-12-01\nstates:\n  - state: Alaska\n    code: AK\n    measures: []\n")
    assert problems_for(minimal_data) == [
        "data/states.yaml:5: states[0].measures: expected at least one measure (or searched: {sources: ...} "
        "instead), got an empty list"]


def test_codes_must_be_two_letters_and_unique(minimal_data):
    write_states(minimal_data, """\
searched: 2026-12-01
states:
  - state: Alaska
    code: Alask
    searched: {sources: "statutes"}
  - state: Maine
    code: ME
    searched: {sources: "statutes"}
  - state: Maine again
    code: me
    searched: {sources: "statutes"}
""")
    assert problems_for(minimal_data) == [
        "data/states.yaml:4: states[0].code: expected a two-letter code like GA, got 'Alask'",
        "data/states.yaml:10: states[2].code: expected one entry per state, got a second entry for ME"]


def test_unknown_stance_lists_the_vocabulary(minimal_data):
    write_states(minimal_data, GOOD.replace("stance: preempt", "stance: maybe"))
    assert problems_for(minimal_data) == [
        "data/states.yaml:14: states[0].measures[1].stance: "
        "expected one of mandate, encourage, preempt, restrict, ban, got 'maybe'"]
    assert tuple(STATE_STANCES) == ("mandate", "encourage", "preempt", "restrict", "ban")


def test_search_needs_sources_and_a_date(minimal_data):
    write_states(minimal_data, """\
states:
  - state: Alaska
    code: AK
    searched: {sources: "statutes"}
  - state: Maine
    code: ME
    searched: {date: 2026-12-01}
""")
    assert problems_for(minimal_data) == [
        "data/states.yaml:4: states[0].searched.date: expected the date of the search (here, or as the file's "
        "top-level searched:), got nothing",
        "data/states.yaml:7: states[1].searched.sources: expected a non-empty text, got nothing"]


def test_measures_must_be_a_list_of_complete_measures(minimal_data):
    write_states(minimal_data, """\
states:
  - state: Alaska
    code: AK
    measures: "a statute"
  - state: Maine
    code: ME
    measures:
      - stance: ban
        measure: "L.D. 1"
        date: someday
        binds: [local]
        bars: [join]
        text: "Bans agreements [@statute]."
""")
    assert problems_for(minimal_data) == [
        "data/states.yaml:4: states[0].measures: expected a list of measures, got 'a statute'",
        "data/states.yaml:10: states[1].measures[0].date: expected a date like 2025-07-18 (or 2025-07, or 2025), "
        "got 'someday'"]


def test_review_by_needs_a_day(minimal_data):
    write_states(minimal_data, GOOD.replace("review_by: 2027-01-15", "review_by: 2027"))
    assert problems_for(minimal_data) == [
        "data/states.yaml:19: states[0].measures[1].review_by: expected a day like 2026-12-01, got '2027'"]


def test_a_search_note_needs_its_citation_like_any_text(minimal_data):
    write_states(minimal_data, GOOD.replace("[@statute].\"\n  - state: Maine", "[@nope].\"\n  - state: Maine"))
    assert problems_for(minimal_data) == [
        "data/states.yaml:26: states[1].searched.note: unknown citation key '@nope': expected an id from sources.yaml"]


# ------------------------------------------------------------------------------------- shipped data

@pytest.fixture(scope="module")
def shipped():
    return load_content(ROOT / "data")


def test_shipped_data_has_an_entry_for_every_state_dc_and_territory(shipped):
    assert set(shipped.state_entries) == EVERY_CODE
    for entry in shipped.state_entries.values():
        assert entry.found or (entry.search and entry.search.sources), entry.code
        for policy in entry.measures:
            for register in policy.text.registers():
                assert "[@" in policy.text.get(register), (entry.code, register)


def test_shipped_data_records_the_known_measures(shipped):
    def stances(code):
        return [policy.stance for policy in shipped.state_entry(code).measures]

    assert stances("FL") == ["mandate", "preempt"] and stances("TX") == ["mandate", "preempt"]
    assert stances("GA") == ["mandate", "preempt"] and stances("VT") == ["restrict"] and stances("AR") == ["mandate", "preempt"]
    # Arizona: no law requires or bans agreements, but § 11-1051(A) bars local limits on enforcement.
    assert stances("AZ") == ["preempt"]
    assert "found no Arizona law that requires or bans 287(g) agreements" in \
        shipped.state_entry("AZ").measures[0].text.get("standard")
    # 2024-2026: South Carolina, Alabama and Oklahoma direct state officials to seek agreements; Louisiana bars
    # local limits; Oregon's statute bars agreements; each measure says whom it binds.
    assert stances("SC") == ["mandate", "preempt"] and stances("AL") == ["mandate"] and stances("OK") == ["mandate"]
    assert "preempt" in stances("LA")
    for code in ("AL", "SC", "OK"):
        assert shipped.state_entry(code).measures[0].binds == ("state",), code
    assert shipped.state_entry("TX").measures[0].binds == ("jails",) and "decline" in shipped.state_entry("TX").measures[0].bars
    assert stances("TN") == ["encourage", "preempt"] and stances("NC") == ["preempt", "preempt"]
    # California's § 7284.6(a)(1)(G) bars performing an immigration officer's functions under § 1357(g).
    assert {code for code, entry in shipped.state_entries.items() if "ban" in stances(code)} == {
        "CA", "DE", "IL", "MD", "NJ", "NM", "OR", "WA"}
    # No entry tells the reader that a text was not reviewed; it names whose account it relies on.
    for entry in shipped.state_entries.values():
        for policy in entry.measures:
            for register in policy.text.registers():
                assert "text not reviewed" not in policy.text.get(register), entry.code
    # Georgia's duty is to seek an agreement every year (O.C.G.A. § 35-1-17(b)(2)), cited to the code.
    georgia = shipped.state_entry("GA").measures[0]
    assert georgia.text.get("brief") == "Local agencies without an agreement must seek one every year [@st_ga_35_1_17]."
    assert "Groups on both sides" in georgia.text.get("standard")
    # Texas's compliance deadline of December 1, 2026 expires and is marked for review.
    texas = shipped.state_entry("TX").measures[0]
    assert "December 1, 2026" in texas.text.get("standard") and texas.review_by == dt.date(2027, 3, 1)
    assert "has passed" in texas.text.get("standard")


def test_law_enforcement_table_groups_measures_and_lists_the_states_with_none_found(shipped):
    from policybrief.render import BriefOptions, build_context

    context = build_context(shipped, "law-enforcement", BriefOptions(date=dt.date(2026, 12, 1)))
    section = next(section for section in context["sections"] if section.kind == "state_table")
    assert [group["stance"] for group in section.items] == ["mandate", "encourage", "preempt", "restrict", "ban"]
    mandate = section.items[0]["rows"]
    assert [row["state"].split(" (")[0] for row in mandate if row["state"]] == ["Arkansas", "Florida", "Georgia", "Texas"]
    # Mandates on the state's own agencies alone share one row after them (Alabama, Oklahoma, South Carolina).
    assert mandate[-1]["state"] is None and "For the state\u2019s own agencies only" in str(mandate[-1]["html"])
    assert "<strong>South Carolina</strong>" in str(mandate[-1]["html"])
    # Groups that do not decide whether an agency may join print as one row: state, measure, date and the
    # primary sources only (Louisiana's news report is left to its entry).
    for group in section.items[1:4]:
        assert len(group["rows"]) == 1 and group["rows"][0]["state"] is None
    preempt = str(section.items[2]["rows"][0]["html"])
    assert re.match(r"<strong>Arizona( \(\d[\d,]*\))?</strong>, A\.R\.S\. § 11-1051 \(S\.B\. 1070\), 2010; "
                    r"<strong>Arkansas( \(\d[\d,]*\))?</strong>, Ark\. Code § 14-1-103, ", preempt), preempt[:80]
    assert "O.C.G.A. § 36-80-23" in preempt
    encourage = str(section.items[1]["rows"][0]["html"])
    # A measure whose primary text was not read is cited to the report it rests on (Louisiana's order).
    assert "<strong>Louisiana</strong>" in encourage and "Landry announces partnership" in encourage
    # Each measure's own source is cited: Virginia's 2026 directive by the report that quotes it, not only
    # by the 2025 order it followed.
    restrict = section.items[3]["rows"][0]["html"]
    assert "<strong>Virginia</strong>, Governor\u2019s Executive Directive 1 (2026), not a statute" in str(restrict)
    assert "st_vpm_2026" in context["cited"]
    sentence = str(section.chart)
    assert sentence.startswith("No measure was found for Alaska, American Samoa, Guam, ")
    assert "Arizona" not in sentence.split(".")[0]
    assert "Florida" not in sentence and "Alabama" not in sentence and "(searched December 7, 2026)" in sentence


def test_a_category_means_one_thing(minimal_data):
    """A stance says what the measure bars: a ban that bars nothing, a mandate that bars joining, or an
    encouragement that bars anything, is refused with its file, line and key."""
    write_states(minimal_data, GOOD.replace("bars: [decline]", "bars: [join]").replace(
        "bars: [conditions]", "bars: []"))
    assert problems_for(minimal_data) == [
        "data/states.yaml:10: states[0].measures[0].bars: expected bars (a mandate may bar decline, leave), "
        "got join",
        "data/states.yaml:18: states[0].measures[1].bars: expected bars including conditions (a preempt may bar "
        "conditions, decline), got none"]


def test_every_measure_says_whom_it_binds_and_unknown_keys_are_named(minimal_data):
    write_states(minimal_data, GOOD.replace("        binds: [jails]\n", "").replace(
        "binds: [governments]", "binds: [council]").replace("    code: AL\n", "    code: AL\n    decide: x\n"))
    assert problems_for(minimal_data) == [
        "data/states.yaml:6: states[0].measures[0].binds: expected a list of state, jails, local, governments, "
        "got nothing",
        "data/states.yaml:16: states[0].measures[1].binds: expected a list of state, jails, local, governments, "
        "got 'council'",
        "data/states.yaml:22: states[1].decide: unknown key 'decide'; did you mean 'decides'?"]


def test_pending_items_need_their_review_date_and_check_reports_them_when_due(minimal_data):
    from policybrief.build import check_data

    pending = ("    pending:\n      - text: \"A bill would ban agreements [@statute].\"\n"
               "        review_by: 2026-12-01\n")
    write_states(minimal_data, GOOD.replace("    code: AL\n", "    code: AL\n" + pending))
    content = load_content(minimal_data)
    assert [item.review_by for item in content.state_entry("AL").pending] == [dt.date(2026, 12, 1)]
    findings = [str(finding) for finding in check_data(content, today=dt.date(2026, 12, 7))]
    assert any("states[1].pending[0].review_by" in finding and "A bill would ban agreements" in finding
               for finding in findings), findings
    write_states(minimal_data, GOOD.replace("    code: AL\n", "    code: AL\n" + pending.replace(
        "        review_by: 2026-12-01\n", "")))
    assert problems_for(minimal_data) == [
        "data/states.yaml:24: states[1].pending[0].review_by: expected the date by which to re-check it, got nothing"]
