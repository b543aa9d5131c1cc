"""Source quality under --check: each rule trips on a small data set made to break it, and passes once fixed."""

from __future__ import annotations

import datetime as dt
import io

from policybrief.build import check_data
from policybrief.check import primary_note_share
from policybrief.cite import compact_note
from policybrief.cli import main
from policybrief.validate import load_content

DATE = dt.date(2025, 12, 1)


def quality_findings(data):
    return [str(finding) for finding in check_data(load_content(data), today=DATE)
            if finding.check == "source-quality"]


def run_check(data):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--check", "--data", str(data), "--date", DATE.isoformat()], stdout=out, stderr=err)
    return code, out.getvalue()


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def add_source(data, entry):
    edit(data / "sources.yaml", "references:\n", "references:\n" + entry)


def cite_in_overview(data, sentence):
    edit(data / "blocks" / "overview.yaml", "  plain: |", f"\n    {sentence}\n  plain: |")


def test_clean_fixture_has_no_source_quality_findings(minimal_data):
    assert quality_findings(minimal_data) == []


def test_source_without_an_identified_publisher(minimal_data):
    add_source(minimal_data, "  - id: aggregator\n    type: article-newspaper\n    title: A Copied Story\n"
               "    publisher: Unidentified news outlet\n    issued: {date-parts: [[2026]]}\n"
               "    URL: https://example.org/copy\n    keyword: news\n")
    cite_in_overview(minimal_data, "Reporters described the program's growth [@aggregator].")
    assert quality_findings(minimal_data) == [
        "data/sources.yaml: source 'aggregator': expected an identified author or publisher, got "
        "'Unidentified news outlet': name who published it, or cut the source [source-quality]"]
    code, out = run_check(minimal_data)
    assert code == 1 and "check: 1 finding(s)" in out


def test_bracketed_descriptive_title(minimal_data):
    edit(minimal_data / "sources.yaml", 'title: "A fixture article"', 'title: "[Report on the program]"')
    assert quality_findings(minimal_data) == [
        "data/sources.yaml: source 'news': title is a bracketed description '[Report on the program]': "
        "give the real headline, or cut the source [source-quality]"]


def test_mirror_needs_read_via(minimal_data):
    edit(minimal_data / "sources.yaml", "URL: https://example.org/gao", "URL: https://www.scribd.com/document/1/")
    assert quality_findings(minimal_data) == [
        "data/sources.yaml: source 'gao': URL is a mirror (www.scribd.com) but the note does not say "
        "'read via ...': cite the official host, or say where it was read [source-quality]"]
    edit(minimal_data / "sources.yaml", "URL: https://www.scribd.com/document/1/",
         "URL: https://www.scribd.com/document/1/\n    note: Read via Scribd.")
    assert quality_findings(minimal_data) == []


def test_legal_claim_needs_a_primary_source(minimal_data):
    cite_in_overview(minimal_data, "A federal court ruled for the sheriff in 2015 [@news].")
    assert quality_findings(minimal_data) == [
        "data/blocks/overview.yaml: text.standard: legal claim ('court') cites no primary source: "
        "'A federal court ruled for the sheriff in ...': cite the statute, court record or directive, or tell "
        "it as the source's account ('..., WMAR reported') [source-quality]"]
    edit(minimal_data / "blocks" / "overview.yaml", "in 2015 [@news].", "in 2015 [@news; @statute].")
    assert quality_findings(minimal_data) == []


def test_a_legal_claim_told_as_its_secondary_sources_account_passes(minimal_data):
    """Where the primary text cannot be read, the claim names who tells it: its outlet beside an attribution
    verb. A verb without the outlet's name, or the name without a verb, is still a finding."""
    cite_in_overview(minimal_data, "A federal court ruled for the sheriff in 2015, the Example Times reported [@news].")
    assert quality_findings(minimal_data) == []
    cite_in_overview(minimal_data, "A federal court ruled for the sheriff in 2015, a newspaper reported [@news].")
    assert len(quality_findings(minimal_data)) == 1


def test_legal_words_inside_a_quotation_are_not_the_authors_claim(minimal_data):
    cite_in_overview(minimal_data, 'A reporter called it "a court fight" [@news].')
    assert quality_findings(minimal_data) == []


def test_number_in_a_summary_needs_a_primary_source(minimal_data):
    (minimal_data / "blocks" / "summary.yaml").write_text(
        "id: summary\ntitle: Summary\ntext:\n  standard: |\n"
        "    Reporters counted {fig:series_2025_09_02_agreements} in September 2025 [@news].\n")
    edit(minimal_data / "audiences" / "council.yaml", "blocks:\n", "blocks:\n  - {id: summary, heading: Summary}\n")
    assert quality_findings(minimal_data) == [
        "data/blocks/summary.yaml: text.standard: number in a summary cites no primary source: "
        "'Reporters counted N in September 2025 ...' [source-quality]"]
    edit(minimal_data / "blocks" / "summary.yaml", "[@news]", "[@news; @gao]")
    assert quality_findings(minimal_data) == []


def test_key_figure_needs_a_primary_source(minimal_data):
    edit(minimal_data / "audiences" / "council.yaml", "blocks:\n",
         "key_figures: [series_2025_09_02_agreements]\nblocks:\n")
    assert quality_findings(minimal_data) == [
        "data/audiences/council.yaml: key_figures[0]: key figure 'series_2025_09_02_agreements' rests on 'news' "
        "(news): expected a primary source (court, data, government, legislature) [source-quality]"]


def test_report_gives_each_editions_share_of_notes_citing_primary_sources(minimal_data):
    # Overview (2 notes) and timeline (2) cite the statute and GAO; the arguments cite GAO and a newspaper.
    assert primary_note_share(load_content(minimal_data), "council") == (5, 6)
    code, out = run_check(minimal_data)
    assert code == 0 and "Notes citing a primary source: council 83% (5 of 6)" in out
    edit(minimal_data / "blocks" / "overview.yaml", "local police [@statute].", "local police [@news].")
    assert primary_note_share(load_content(minimal_data), "council") == (4, 6)


def test_run_in_note_prints_a_site_not_a_cut_off_address(minimal_data):
    sources = load_content(minimal_data).sources
    short = compact_note(sources["gao"])
    assert short.endswith('<a href="https://example.org/gao">example.org/gao</a>.')
    long_url = "https://www.example.org/press-releases/a-very-long-address-that-would-not-fit-in-a-note"
    long = compact_note(sources["gao"].__class__(**{**sources["gao"].__dict__, "url": long_url}))
    assert long.endswith(f'<a href="{long_url}">example.org</a>.')
    assert "\u2026" not in long
