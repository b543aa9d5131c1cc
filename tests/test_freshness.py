"""Truth over time: ICE's counts as dated data sets, freshness per data set, the newest figure of each
kind, and claims that expire (review_by). Each rule trips on a small data set made to fail it."""

from __future__ import annotations

import datetime as dt
import io
import textwrap

import pytest

from policybrief.build import check_data
from policybrief.cli import main
from policybrief.errors import DataError
from policybrief.figures import data_sets, is_stale, stale_notice
from policybrief.validate import load_content

DATE = dt.date(2025, 12, 1)

PROVENANCE = """\
by_state:
  file: by_state.csv
  as_of: 2025-11-20
  source: ice_list_fixture
  ice_file: participatingAgencies11202025.xlsx
lists:
  file: lists.csv
"""
BY_STATE = "state,tfm,wso,jem,total\nTexas,10,5,2,17\nFlorida,6,3,1,10\n"
LISTS = ("list_date,ice_file,jem,wso,tfm,total,states,source,archive_path,archive_commit\n"
         "2021-01-13,web table,4,6,0,10,2,ice_list_fixture,a.csv,abc\n"
         "2025-11-20,participatingAgencies11202025.xlsx,3,8,16,27,2,ice_list_fixture,README.md,def\n")
SOURCE = """\
  - id: ice_list_fixture
    type: dataset
    title: "287(g) Participating Agencies (list dated November 20, 2025)"
    author:
      - literal: U.S. Immigration and Customs Enforcement
    issued: {date-parts: [[2025, 11, 20]]}
    URL: https://example.org/ice
    keyword: data
"""


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def counts_data(minimal_data):
    """The minimal fixture plus ICE's counts (data/ice_counts/) and a kind on its agreement figure."""
    folder = minimal_data / "ice_counts"
    folder.mkdir()
    (folder / "provenance.yaml").write_text(PROVENANCE)
    (folder / "by_state.csv").write_text(BY_STATE)
    (folder / "lists.csv").write_text(LISTS)
    edit(minimal_data / "sources.yaml", "references:\n", "references:\n" + SOURCE)
    edit(minimal_data / "figures.yaml", "    label: agreements reported\n",
         "    label: agreements reported\n    kind: agreements_total\n")
    return minimal_data


def findings(data, today=DATE, *, notes=False):
    return [str(finding) for finding in check_data(load_content(data), today=today, notes=notes)]


def problems(data):
    with pytest.raises(DataError) as error:
        load_content(data)
    return [str(problem) for problem in error.value.problems]


def run_check(data, date=DATE):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--check", "--data", str(data), "--date", date.isoformat()], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- ICE's counts as data

def test_counts_become_dated_figures(counts_data):
    content = load_content(counts_data)
    total = content.figures["ice_count_total"]
    assert (total.value, total.unit, total.as_of.iso, total.source, total.kind) == \
        (27, "agreements", "2025-11-20", "ice_list_fixture", "agreements_total")
    assert content.figures["ice_count_tfm"].value == 16
    assert content.figures["ice_count_texas"].value == 17
    assert content.figures["ice_count_states"].value == 2
    assert [row.list_date.isoformat() for row in content.ice_counts.per_month()] == ["2021-01-13", "2025-11-20"]


def test_state_row_whose_total_does_not_add_up(counts_data):
    edit(counts_data / "ice_counts" / "by_state.csv", "Florida,6,3,1,10", "Florida,6,3,1,11")
    assert problems(counts_data) == ["data/ice_counts/by_state.csv:3: total: expected total 10 (tfm + wso + jem), got 11"]


def test_list_with_a_bad_date_and_a_count_that_is_not_a_number(counts_data):
    edit(counts_data / "ice_counts" / "lists.csv", "2021-01-13,web table,4,", "2021-13-13,web table,four,")
    assert problems(counts_data) == [
        "data/ice_counts/lists.csv:2: list_date: expected a date like 2026-10-09, got '2021-13-13'",
        "data/ice_counts/lists.csv:2: jem: expected a whole number of agreements, got 'four'"]


def test_list_dated_in_the_future_is_rejected(counts_data):
    edit(counts_data / "ice_counts" / "lists.csv", "2021-01-13,", "2999-01-13,")
    assert problems(counts_data) == [
        f"data/ice_counts/lists.csv:2: list_date: expected a list date not after today "
        f"({dt.date.today().isoformat()}), got 2999-01-13"]


def test_state_counts_and_the_same_days_list_must_agree(counts_data):
    edit(counts_data / "ice_counts" / "lists.csv", "3,8,16,27,2", "3,8,17,28,2")
    assert problems(counts_data) == [
        "data/ice_counts/lists.csv: total: expected the list of 2025-11-20 to total 27 as in by_state.csv, got 28"]


def test_unknown_source_and_wrong_columns(counts_data):
    edit(counts_data / "ice_counts" / "provenance.yaml", "source: ice_list_fixture", "source: nowhere")
    edit(counts_data / "ice_counts" / "by_state.csv", "state,tfm,wso,jem,total", "state,tfm,wso,total")
    assert problems(counts_data) == [
        "data/ice_counts/by_state.csv:1: expected the columns state,tfm,wso,jem,total, got state,tfm,wso,total"]
    edit(counts_data / "ice_counts" / "by_state.csv", "state,tfm,wso,total", "state,tfm,wso,jem,total")
    assert problems(counts_data) == [
        "data/ice_counts/provenance.yaml: by_state.source: unknown source 'nowhere': expected an id from sources.yaml"]


# ---------------------------------------------------------------- freshness per data set

def test_each_data_set_has_its_own_date(counts_data):
    content = load_content(counts_data)
    assert [(d.name, d.as_of.isoformat(), d.where) for d in data_sets(content)] == [
        ("ice_counts/by_state", "2025-11-20", "data/ice_counts/by_state.csv"),
        ("ice_counts/lists", "2025-11-20", "data/ice_counts/lists.csv")]
    assert not is_stale(content, "ice_counts/by_state", DATE)
    assert is_stale(content, "ice_counts/by_state", dt.date(2026, 6, 1))
    assert stale_notice(content, "ice_counts/by_state", DATE) is None
    assert stale_notice(content, "ice_counts/by_state", dt.date(2026, 6, 1)) == (
        "ICE's counts by state used here is dated November 20, 2025, 193 days before this brief, "
        "beyond the 180-day limit for current data.")


@pytest.mark.slow
def test_stale_data_set_disclosed_by_every_edition_is_a_note(counts_data):
    assert findings(counts_data, dt.date(2026, 6, 1)) == []
    assert findings(counts_data, dt.date(2026, 6, 1), notes=True) == [
        "data/ice_counts/by_state.csv: ICE's counts by state is dated 2025-11-20, 193 days before the brief's "
        "date 2026-06-01 (limit 180 days); every edition that prints from it (council) says so [freshness]",
        "data/ice_counts/lists.csv: ICE's counts by list is dated 2025-11-20, 193 days before the brief's "
        "date 2026-06-01 (limit 180 days); every edition that prints from it (council) says so [freshness]"]
    code, out, _ = run_check(counts_data, dt.date(2026, 6, 1))
    assert code == 0, out
    assert "note: data/ice_counts/by_state.csv: ICE's counts by state is dated 2025-11-20" in out
    assert "check: 0 finding(s)" in out


def test_stale_data_set_printed_without_its_notice_is_a_finding(counts_data, monkeypatch):
    from policybrief import figures, render

    def without_notices(*args, **kwargs):
        dates = figures.edition_dates(*args, **kwargs)
        return figures.EditionDates(tuple((label, text, "", name) for label, text, _age, name in dates.lines),
                                    dates.used, dates.notices)

    monkeypatch.setattr(render, "edition_dates", without_notices)
    assert findings(counts_data, dt.date(2026, 6, 1))[0] == (
        "data/ice_counts/by_state.csv: ICE's counts by state is dated 2025-11-20, 193 days before the brief's "
        "date 2026-06-01 (limit 180 days), and council prints from it without a notice: update the data [freshness]")


def test_title_block_names_the_headline_count_and_its_age(counts_data):
    from policybrief.render import BriefOptions, render_html

    content = load_content(counts_data)
    fresh = render_html(content, "council", BriefOptions(date=DATE))
    assert "<dt>Agreement count</dt><dd>ICE&#39;s list of November 20, 2025</dd>" in fresh
    assert "(newest)" not in fresh and "data-stale" not in fresh
    stale = render_html(content, "council", BriefOptions(date=dt.date(2026, 6, 1)))
    assert ('<div class="stale" data-stale="ice_counts/by_state"><dt>Agreement count</dt><dd>ICE&#39;s list of '
            'November 20, 2025 <strong>(6 months before this brief)</strong></dd></div>') in stale


def test_folder_without_lists_is_dated_by_its_newest_figure(minimal_data):
    assert findings(minimal_data, dt.date(2026, 6, 1), notes=True) == [
        "data/figures.yaml: the newest figure is dated 2025-09-02, 272 days before the brief's date 2026-06-01 "
        "(limit 180 days); every edition that prints from it (council) says so [freshness]"]


# ---------------------------------------------------------------- the newest figure of each kind

def test_older_figure_without_the_newest_of_its_kind_is_a_finding(counts_data):
    # Without the chart (whose last point is the newest count) nothing prints ICE's count.
    edit(counts_data / "audiences" / "council.yaml", "  - {chart: agreements_over_time}\n", "")
    edit(counts_data / "blocks" / "overview.yaml", "By January 2017 there were {fig:series_2017_01_agencies}",
         "DHS reported {fig:series_2025_09_02_agreements}; by January 2017 there were {fig:series_2017_01_agencies}")
    assert findings(counts_data) == [
        "council: prints series_2025_09_02_agreements (agreements_total, as of 2025-09-02) but not the newest "
        "figure of that kind, ice_count_total (as of 2025-11-20): print the newest beside it, or leave the "
        "older one out [currency]"]


def test_older_figure_beside_the_newest_is_history(counts_data):
    edit(counts_data / "blocks" / "overview.yaml", "By January 2017 there were {fig:series_2017_01_agencies}",
         "ICE's list counts {fig:ice_count_total}, up from {fig:series_2025_09_02_agreements}; by January 2017 "
         "there were {fig:series_2017_01_agencies}")
    assert findings(counts_data) == []


def test_headline_never_rests_on_a_secondary_source(counts_data):
    edit(counts_data / "audiences" / "council.yaml", "blocks:\n", "key_figures: [ice_count_total, series_2025_09_02_agreements]\nblocks:\n  - key_figures\n")
    assert [finding for finding in findings(counts_data) if finding.endswith("[currency]")] == [
        "council: key figure series_2025_09_02_agreements rests on a secondary source (news): the headline uses "
        "primary figures [currency]"]


# ---------------------------------------------------------------- claims that expire

def test_passed_review_date_on_a_figure_is_reported_with_its_text(counts_data):
    edit(counts_data / "figures.yaml", "    label: agencies with agreements\n",
         "    label: agencies with agreements\n    review_by: 2025-11-30\n")
    assert findings(counts_data, dt.date(2025, 11, 29)) == []
    assert findings(counts_data) == [
        "data/figures.yaml:8: figures.series_2017_01_agencies.review_by: review date 2025-11-30 reached by the "
        "brief's date 2025-12-01: revisit 'series_2017_01_agencies: agencies with agreements' [dated-claim]"]


def test_timeline_event_due_on_the_briefs_date_is_reported(counts_data):
    edit(counts_data / "timeline.yaml", "    label: GAO report\n", "    label: GAO report\n    review_by: 2025-12-01\n")
    assert findings(counts_data) == [
        "data/timeline.yaml:8: events[1].review_by: review date 2025-12-01 reached by the brief's date "
        "2025-12-01: revisit 'GAO reports on the program [@gao].' [dated-claim]"]


def test_block_paragraph_review_and_its_revisit(counts_data):
    overview = counts_data / "blocks" / "overview.yaml"
    overview.write_text(overview.read_text() + textwrap.dedent("""\
        review_by:
          - text: "sign written agreements with local police"
            date: 2025-10-01
        """))
    assert findings(counts_data) == [
        "data/blocks/overview.yaml:5: review_by[0].date: review date 2025-10-01 reached by the brief's "
        "date 2025-12-01: revisit 'sign written agreements with local police' [dated-claim]"]
    edit(overview, "    date: 2025-10-01\n", "    date: 2025-10-01\n    reviewed: 2025-10-02\n")
    assert findings(counts_data) == []


def test_review_phrase_must_be_in_the_block_and_dates_must_be_days(counts_data):
    overview = counts_data / "blocks" / "overview.yaml"
    overview.write_text(overview.read_text() + textwrap.dedent("""\
        review_by:
          - text: "a sentence that was reworded"
            date: 2025-10-01
          - text: "written agreements"
            date: 2025-10
        """))
    assert problems(counts_data) == [
        "data/blocks/overview.yaml:11: review_by[0].text: expected a phrase found in the block's text, "
        "got 'a sentence that was reworded'",
        "data/blocks/overview.yaml:14: review_by[1].date: expected a day like 2026-12-01, got '2025-10'"]


def test_reviewed_without_review_by_is_rejected(counts_data):
    edit(counts_data / "timeline.yaml", "    label: GAO report\n", "    label: GAO report\n    reviewed: 2025-12-01\n")
    assert problems(counts_data) == [
        "data/timeline.yaml:8: events[1].reviewed: expected a review_by date beside reviewed, got none"]


def test_prose_naming_another_lists_date_than_its_figure_is_a_finding(counts_data):
    edit(counts_data / "blocks" / "overview.yaml", "By January 2017 there were {fig:series_2017_01_agencies}",
         "ICE's list of October 9, 2026, counts {fig:ice_count_total}; by January 2017 there were "
         "{fig:series_2017_01_agencies}. ICE's list of October 9, 2026, names {fig:ice_count_texas} in Texas "
         "and {fig:ice_count_florida} in Florida")
    assert findings(counts_data) == [
        "data/blocks/overview.yaml: text.standard: names ICE's list of October 9, 2026 but {fig:ice_count_total} "
        "comes from the list of November 20, 2025: reword the date or use that list's figures [currency]",
        "data/blocks/overview.yaml: text.standard: names ICE's list of October 9, 2026 but {fig:ice_count_texas}, "
        "{fig:ice_count_florida} come from the list of November 20, 2025: reword the date or use that list's "
        "figures [currency]"]
    overview = counts_data / "blocks" / "overview.yaml"
    overview.write_text(overview.read_text().replace("list of October 9, 2026", "list of November 20, 2025"))
    assert findings(counts_data) == []


# ---------------------------------------------------------------- the shipped data

@pytest.fixture(scope="module")
def shipped():
    from pathlib import Path

    return load_content(Path(__file__).resolve().parent.parent / "data")


def test_every_edition_leads_with_ices_newest_count_and_its_date(shipped):
    from policybrief.build import Editions

    newest = shipped.figures["ice_count_total"]
    assert (newest.value, newest.as_of.iso, newest.source) == (2654, "2026-10-09", "ice_list_2026_10_09")
    title_line = {"en": "<dt>Agreement count</dt><dd>ICE&#39;s list of October 9, 2026</dd>",
                  "es": "<dt>Número de acuerdos</dt><dd>lista de ICE del 9 de octubre de 2026</dd>"}
    editions = Editions(shipped).printed(sorted(shipped.audiences), dt.date(2026, 12, 1))
    for key, edition in editions.items():
        assert "ice_count_total" in edition.printed, key
        assert title_line[shipped.audiences[key].lang] in edition.html, key
        assert "(newest)" not in edition.html, key


def test_shipped_data_is_current_and_honestly_dated_on_2026_12_01(shipped):
    results = check_data(shipped, today=dt.date(2026, 12, 1), notes=True)
    truth = [finding for finding in results if finding.check in ("freshness", "currency", "dated-claim")]
    assert [str(finding) for finding in truth if not finding.note] == []
    notes = [str(finding) for finding in truth if finding.note]
    assert any(note.startswith("data/agreements/participating.csv: ICE's agency-level list is dated 2026-05-18, "
                               "197 days before the brief's date 2026-12-01 (limit 180 days); every edition that "
                               "prints from it") for note in notes), notes


def test_a_local_section_dates_the_agency_level_list_it_reads(shipped):
    from policybrief.figures import edition_dates

    today = dt.date(2026, 12, 1)
    assert edition_dates(shipped, {"ice_count_total"}, today=today).lines == (
        ("Agreement count", "ICE's list of October 9, 2026", "", "ice_counts/by_state"),)
    local = edition_dates(shipped, {"ice_count_total"}, today=today, local=True)
    assert local.lines[1] == ("Agency-level facts",
                              "ICE's list of May 18, 2026, the newest agency-level list in this brief's data",
                              "6 months before this brief", "agreements")
    assert "agreements" in local.used
