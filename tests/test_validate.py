"""Loading and validation: every problem reported once, with file, line, key path, expected and found."""

from __future__ import annotations

from pathlib import Path

import pytest

from policybrief.errors import DataError
from policybrief.validate import load_content


def problems_for(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_content(data)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_data_loads(minimal_data):
    content = load_content(minimal_data)
    assert set(content.sources) == {"statute", "gao", "news"}
    assert content.figures["series_2017_01_agencies"].value == 35
    assert [event.date.iso for event in content.events] == ["1996-09-30", "2021-01-27"]


def test_bad_date_names_file_line_key_expected_and_found(minimal_data):
    figures = minimal_data / "figures.yaml"
    figures.write_text(figures.read_text().replace("as_of: 2017-01", "as_of: July"))
    assert problems_for(minimal_data) == [
        "data/figures.yaml:5: figures.series_2017_01_agencies.as_of: "
        "expected a date like 2025-07-18 (or 2025-07, or 2025), got 'July'"]


def test_unknown_citation_key(minimal_data):
    block = minimal_data / "blocks" / "overview.yaml"
    block.write_text(block.read_text().replace("[@gao]", "[@gao2099]"))
    assert problems_for(minimal_data) == [
        "data/blocks/overview.yaml:7: text.standard: unknown citation key '@gao2099': expected an id from sources.yaml"]


def test_a_data_sets_date_comes_from_its_figure(minimal_data, tmp_path):
    """{asof:id} prints the figure's as-of date: prose names a list's date from the data, so a newer list
    changes the sentence with it; an unknown id is a located problem."""
    from policybrief.render import BriefOptions, render_html
    import datetime as dt

    block = minimal_data / "blocks" / "overview.yaml"
    text = block.read_text()
    block.write_text(text.replace("By January 2017 there were", "By {asof:series_2017_01_agencies} there were"))
    content = load_content(minimal_data)
    html = render_html(content, "council", BriefOptions(date=dt.date(2025, 10, 1)))
    assert "By January 2017 there were 35 agencies with agreements" in html
    figures = minimal_data / "figures.yaml"
    figures.write_text(figures.read_text().replace("as_of: 2017-01", "as_of: 2018-03"))
    html = render_html(load_content(minimal_data), "council", BriefOptions(date=dt.date(2025, 10, 1)))
    assert "By March 2018 there were 35 agencies with agreements" in html
    block.write_text(text.replace("By January 2017 there were", "By {asof:series_2099} there were"))
    assert problems_for(minimal_data) == [
        "data/blocks/overview.yaml:7: text.standard: unknown figure '{asof:series_2099}': expected an id from "
        "figures.yaml"]


def test_figure_without_source(minimal_data):
    figures = minimal_data / "figures.yaml"
    figures.write_text(figures.read_text().replace("    source: news\n", ""))
    assert problems_for(minimal_data) == [
        "data/figures.yaml:14: figures.series_2025_09_02_agreements.source: "
        "expected a source id from sources.yaml, got nothing (every figure needs a source)"]


def test_malformed_yaml_reports_line(minimal_data):
    (minimal_data / "timeline.yaml").write_text("events:\n  - date: 2020-01-01\n    text: [unclosed\n")
    problems = problems_for(minimal_data)
    assert len(problems) == 1
    assert problems[0].startswith("data/timeline.yaml:4: is not valid YAML")


def test_all_problems_reported_in_one_run(minimal_data):
    figures = minimal_data / "figures.yaml"
    figures.write_text(figures.read_text().replace("as_of: 2017-01", "as_of: July").replace("unit: agencies\n    as_of: 2020-09", "unit: parsecs\n    as_of: 2020-09"))
    block = minimal_data / "blocks" / "overview.yaml"
    block.write_text(block.read_text().replace("[@gao]", "[@nope]"))
    problems = problems_for(minimal_data)
    assert len(problems) == 3
    assert any("expected one of agencies, agreements, count, hours, officers, percent, states, usd, got 'parsecs'" in p for p in problems)


def test_raw_html_in_markdown_is_rejected(minimal_data):
    block = minimal_data / "blocks" / "overview.yaml"
    block.write_text(block.read_text().replace("local police [@statute]", "local police <script>alert(1)</script> [@statute]"))
    assert problems_for(minimal_data) == [
        "data/blocks/overview.yaml:5: text.standard: expected Markdown without raw HTML, got '<script>'",
        "data/blocks/overview.yaml:5: text.standard: expected Markdown without raw HTML, got '</script>'"]


def test_source_without_url(minimal_data):
    sources = minimal_data / "sources.yaml"
    sources.write_text(sources.read_text().replace("    URL: https://example.org/news\n", ""))
    assert problems_for(minimal_data) == [
        "data/sources.yaml:20: references[2].URL: expected a non-empty text, got nothing"]


def test_missing_data_folder(tmp_path):
    assert problems_for(tmp_path / "absent") == [f"{tmp_path / 'absent'}: expected a data folder, found none"]


def test_chart_from_ice_list_without_the_list(minimal_data):
    audience = minimal_data / "audiences" / "council.yaml"
    audience.write_text(audience.read_text().replace("  - {chart: agreements_over_time}\n",
                                                     "  - {chart: agreements_over_time}\n  - {chart: agreements_by_model}\n"))
    assert problems_for(minimal_data) == [
        "data/audiences/council.yaml: blocks: expected ICE's list in data/agreements/participating.csv for "
        "'chart:agreements_by_model', found none (run generate.py update-agreements, or remove the chart)"]


def test_an_audience_naming_a_missing_template_is_an_error_listing_the_templates(minimal_data):
    audience = minimal_data / "audiences" / "council.yaml"
    lines = audience.read_text().splitlines()
    lines = [line for line in lines if not line.startswith("template:")] + ["template: school-board"]
    audience.write_text("\n".join(lines) + "\n")
    assert problems_for(minimal_data) == [
        f"data/audiences/council.yaml:{len(lines)}: template: expected one of the project's templates (base, "
        "community, council, grant, law-enforcement), got 'school-board': there is no templates/school-board.html.j2"]
