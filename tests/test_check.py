"""Editorial checks: each trips on a small data set made to fail it, and the clean fixture passes."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from policybrief.build import check_data
from policybrief.check import loaded_terms_in
from policybrief.cli import main
from policybrief.validate import load_content

DATE = dt.date(2025, 12, 1)


def findings(data, today=DATE):
    return [str(finding) for finding in check_data(load_content(data), today=today)]


def run_check(data, *extra):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--check", "--data", str(data), "--date", DATE.isoformat(), *extra], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


@pytest.mark.slow
def test_clean_fixture_passes_check(minimal_data):
    code, out, _ = run_check(minimal_data)
    assert code == 0, out
    assert "check: 0 finding(s)" in out
    assert "Sources by type: government 1, legislature 1, news 1" in out
    assert "Arguments: 1 supporting, 1 opposing" in out
    assert "Data: oldest figure 2017-01, newest 2025-09-02" in out


def test_paragraph_without_citation(minimal_data):
    edit(minimal_data / "blocks" / "overview.yaml", "local police [@statute].", "local police since the law passed.")
    assert findings(minimal_data) == [
        "minimal/blocks/overview.yaml: text.standard: paragraph without a citation: "
        "'Section 287(g) lets federal officials sign written agreements ...' [sourcing]"
        .replace("minimal/", "data/")]


def test_number_typed_into_prose(minimal_data):
    edit(minimal_data / "blocks" / "overview.yaml", "By January 2017 there were", "Some 40 agencies joined. By January 2017 there were")
    assert findings(minimal_data) == [
        "data/blocks/overview.yaml: text.standard: number '40 agencies' typed into prose: "
        "put it in figures.yaml and use {fig:ID} [sourcing]"]



@pytest.mark.parametrize("typed", ["80,000 dollars", "ten thousand officers", "eighty-five hundred", "$3.7 million",
                                   "a million dollars"])
def test_numbers_written_out_in_prose_are_typed_numbers_too(minimal_data, typed):
    edit(minimal_data / "blocks" / "overview.yaml", "By January 2017 there were",
         f"It cost {typed} in all. By January 2017 there were")
    found = {"ten thousand officers": "ten thousand", "$3.7 million": "$3.7"}.get(typed, typed)
    assert findings(minimal_data) == [
        f"data/blocks/overview.yaml: text.standard: number {found!r} typed into prose: "
        "put it in figures.yaml and use {fig:ID} [sourcing]"]

def test_source_never_cited(minimal_data):
    edit(minimal_data / "sources.yaml", "references:\n", "references:\n  - id: orphan\n    type: webpage\n    title: Orphan\n"
         "    publisher: Nobody\n    issued: {date-parts: [[2020]]}\n    URL: https://example.org/o\n    keyword: news\n")
    assert findings(minimal_data) == ["data/sources.yaml: source 'orphan' is never cited [sourcing]"]


def test_unequal_argument_counts(minimal_data):
    edit(minimal_data / "perspectives.yaml", "opposing:\n", "  - id: pro2\n    attribution: Another supporter\n"
         "    claim: Supporters also say it is cheap.\n    evidence: \"They cite a report [@gao].\"\nopposing:\n")
    result = findings(minimal_data)
    assert "data/perspectives.yaml: unequal numbers of arguments: 2 supporting, 1 opposing [balance]" in result


def test_one_side_more_than_15_percent_longer(minimal_data):
    edit(minimal_data / "perspectives.yaml", "Critics say the program costs local police time and trust.",
         "Critics say the program costs local police a great deal of time, money and the trust of residents.")
    assert findings(minimal_data) == [
        "data/perspectives.yaml: standard register (council): opposing side has 28 words against 19 "
        "(more than 15% apart) [balance]"]


def test_argument_without_attribution_is_rejected(minimal_data):
    edit(minimal_data / "perspectives.yaml", "attribution: A critic", "attribution: ''")
    code, _, err = run_check(minimal_data)
    assert code == 1
    assert "data/perspectives.yaml:8: opposing[0].attribution: expected a non-empty text, got nothing" in err


@pytest.mark.parametrize("sentence, expected", [
    ("Officials call it an invasion.", ["invasion"]),
    ("Several sanctuary cities objected.", ["sanctuary"]),
    ("Sanctuaries and amnesties were debated.", ["Sanctuaries", "amnesties"]),
    ("Critics describe a deportation machine.", ["deportation machine"]),
    ("It targets criminal aliens, they said.", ["criminal aliens"]),
    ("The order is titled \"Protecting the American People Against Invasion\".", []),
    ("Supporters said the bill stops an \u201cinvasion\u201d.", []),
    ("Executive Order 14159, Protecting the American People Against Invasion, was signed.", []),
    ("Residents sought sanctuary? No: the word appears in a quotation only \"sanctuary\".", ["sanctuary"]),
])
def test_loaded_terms_outside_quotes_and_titles(sentence, expected):
    terms = ("illegal alien", "invasion", "sanctuary", "criminal alien", "amnesty", "deportation machine")
    titles = ("Protecting the American People Against Invasion",)
    assert loaded_terms_in(sentence, terms, titles) == expected


def test_loaded_term_in_data_is_a_finding(minimal_data):
    edit(minimal_data / "blocks" / "overview.yaml", "sign written agreements", "sign written agreements with sanctuary-free")
    assert findings(minimal_data) == [
        "data/blocks/overview.yaml: text.standard: loaded term 'sanctuary' in the authors' voice "
        "(quote it and attribute it, or use a neutral term) [voice]"]


def test_stale_data(minimal_data):
    # Every edition names the stale data set in its title block, so it is a note (tests/test_freshness.py).
    assert findings(minimal_data, today=dt.date(2026, 6, 1)) == []
    assert [str(finding) for finding in check_data(load_content(minimal_data), today=dt.date(2026, 6, 1),
                                                      notes=True)] == [
        "data/figures.yaml: the newest figure is dated 2025-09-02, 272 days before the brief's date 2026-06-01 "
        "(limit 180 days); every edition that prints from it (council) says so [freshness]"]


def test_stale_threshold_is_configurable(minimal_data):
    code, out, _ = run_check(minimal_data, "--stale-days", "30")
    assert code == 0, out
    assert ("note: data/figures.yaml: the newest figure is dated 2025-09-02, 90 days before the brief's date "
            "2025-12-01 (limit 30 days)") in out


def test_a_build_warns_of_exactly_what_check_finds(minimal_data, monkeypatch, tmp_path):
    # A build checks the edition it renders from that very rendering (its printed figures and stale-data
    # notices), not from a second one as --check does: the two must agree, finding for finding.
    from policybrief import figures, render

    def without_notices(*args, **kwargs):
        dates = figures.edition_dates(*args, **kwargs)
        return figures.EditionDates(tuple((label, text, "", name) for label, text, _age, name in dates.lines),
                                    dates.used, dates.notices)

    monkeypatch.setattr(render, "edition_dates", without_notices)  # a stale figure printed without its notice
    for label in ("    label: agencies with agreements\n", "    label: agreements reported\n"):
        edit(minimal_data / "figures.yaml", label, label + "    kind: agencies_total\n")  # 2017 and 2020 are old
    edit(minimal_data / "audiences" / "council.yaml", "  - {chart: agreements_over_time}\n", "")
    edit(minimal_data / "blocks" / "overview.yaml", "sign written agreements", "sign written sanctuary agreements")
    edit(minimal_data / "blocks" / "overview.yaml", "By January 2017", "Some 40 agencies joined. By January 2017")
    edit(minimal_data / "perspectives.yaml", "Critics say the program costs local police time and trust.",
         "Critics say the program costs local police a great deal of time, money and the trust of residents.")
    date = "2026-06-01"
    out, err = io.StringIO(), io.StringIO()
    assert main(["--check", "--data", str(minimal_data), "--date", date], stdout=out, stderr=err) == 1
    checked = [line.removeprefix("finding: ") for line in out.getvalue().splitlines() if line.startswith("finding: ")]
    out, err = io.StringIO(), io.StringIO()
    assert main(["--audience", "council", "--data", str(minimal_data), "--date", date, "--out",
                 str(tmp_path / "council.pdf"), "--prepared-for", "Springfield City Council"],
                stdout=out, stderr=err) == 0
    warned = [line.removeprefix("warning: ") for line in err.getvalue().splitlines()]
    assert warned == checked
    assert [finding.rsplit(" [", 1)[1] for finding in warned] == [
        "sourcing]", "balance]", "voice]", "freshness]", "currency]", "currency]"]
    assert ("data/figures.yaml: the agencies_total series is dated 2025-09-02, 272 days before the brief's date "
            "2026-06-01 (limit 180 days), and council prints from it without a notice: update the data "
            "[freshness]") in warned
