"""The shipped data: complete sources, resolvable citations, balance, neutral voice, and a passing --check."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from policybrief.build import check_data
from policybrief.check import side_words
from policybrief.cite import citations_in
from policybrief.cli import main
from policybrief.validate import load_content

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "data")


def test_every_source_has_url_date_issuer_and_type(content):
    for source in content.sources.values():
        assert source.url.startswith("https://") or source.url.startswith("http://"), source.id
        assert source.issued.year >= 1990, source.id
        assert source.authors or source.publisher, source.id
        assert source.keyword, source.id


def test_every_citation_key_resolves_and_every_figure_is_sourced(content):
    for _where, _path, body in content.texts:
        for item in citations_in(body):
            assert item.key in content.sources
    for figure in content.figures.values():
        assert figure.source in content.sources and figure.as_of


def test_perspectives_are_balanced_and_attributed(content):
    supporting, opposing = content.side("supporting"), content.side("opposing")
    assert len(supporting) == len(opposing) >= 6
    assert all(argument.attribution for argument in content.arguments)
    for register in ("standard", "brief", "plain"):
        words = side_words(content, register)
        assert max(words.values()) <= 1.15 * min(words.values()), (register, words)


def test_required_blocks_exist_for_every_edition(content):
    for audience in content.audiences.values():
        ids = {ref.id for ref in audience.blocks}
        assert {"overview", "history", "oversight", "perspectives"} <= ids, audience.key


def test_states_cover_mandates_and_bans(content):
    stances = {policy.code: policy.stance for policy in content.states}
    assert stances["FL"] == "mandate" and stances["TX"] == "mandate"
    assert stances["MD"] == "ban" and stances["WA"] == "ban"


def test_shipped_data_passes_check_content(content):
    import datetime as dt
    assert [str(f) for f in check_data(content, today=dt.date(2026, 12, 1))] == []


@pytest.mark.slow
def test_shipped_data_passes_strict_check():
    out, err = io.StringIO(), io.StringIO()
    code = main(["--check", "--date", "2026-12-01"], stdout=out, stderr=err)
    assert code == 0, out.getvalue()
    report = out.getvalue()
    assert "Sources by type:" in report and "Arguments: 7 supporting, 7 opposing" in report


def _segments_citing(content, key):
    from policybrief.check import cited_segments

    for where, path, body in content.texts:
        for text, items in cited_segments(body):
            if any(item.key == key for item in items):
                yield f"{where}: {path}", text


def test_pinheiro_is_never_summarised_as_less_crime_alone(content):
    """Her abstract: jail agreements reduce crime, city agreements raise property crime and cancel it out."""
    passages = list(_segments_citing(content, "pinheiro_2009"))
    assert passages
    for where, text in passages:
        assert "city" in text.lower(), where


def test_the_nationwide_nij_study_is_in_every_register_of_the_evidence(content):
    evidence = content.blocks["evidence"].text
    for register in ("standard", "brief", "plain"):
        assert "[@nij_2022" in evidence.get(register), register


def test_inspector_general_reports_are_inspections_not_audits(content):
    for key in ("oig_10_63", "oig_12_130"):
        for where, text in _segments_citing(content, key):
            assert "audit" not in text.lower().replace("audits and inspections", ""), where


def test_no_edition_says_joining_is_a_local_choice_in_most_states(content):
    for where, _path, body in content.texts:
        assert "local choice in most states" not in body, where


def test_options_say_who_signs_and_that_state_law_can_rule_options_out(content):
    options = content.blocks["options"].text
    for register in ("standard", "brief"):
        text = options.get(register)
        assert '"a State, or any political subdivision' in text, register
        # The kinds of state rule, each with whom it binds: a mandate on sheriffs does not bind a city's police.
        assert "sheriffs who run" in text and "bar agreements" in text and "does not bind a city's police" in text \
            or "binds the sheriff, not a city's police department" in text \
            or "mandates bind jail-running sheriffs, not city police" in text, register
    assert [choice.id for choice in content.blocks["options"].choices] == ["join", "decline", "wso", "conditions", "leave"]


def test_community_edition_says_agencies_apply(content):
    plain = content.blocks["summary"].text.get("plain")
    assert "police department asks ICE" in plain and "city, county, or state signs" not in plain
