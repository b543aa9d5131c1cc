"""The command line: exit codes, messages, options, atomic output, --help with an example."""

from __future__ import annotations

import io

import pytest

from policybrief.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_help_shows_an_example():
    code, out, _ = run("--help")
    assert code == 0
    assert "python generate.py --audience council" in out


def test_unknown_audience_is_a_usage_error_listing_the_audiences(minimal_data):
    code, _, err = run("--audience", "mayor", "--data", str(minimal_data))
    assert code == 2
    assert err == "generate.py: error: unknown audience 'mayor'; available: council, all\n"


@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_audience_is_a_usage_error_not_the_default(minimal_data, name):
    code, _, err = run("--audience", name, "--data", str(minimal_data))
    assert code == 2
    assert err == f"generate.py: error: unknown audience {name!r}; available: council, all\n"


def test_unknown_option_is_a_usage_error():
    code, _, err = run("--colour", "red")
    assert code == 2
    assert err.startswith("generate.py: error: unrecognized arguments: --colour red")


def test_bad_date_is_a_usage_error(minimal_data):
    code, _, err = run("--date", "next week", "--data", str(minimal_data))
    assert code == 2
    assert "expected a date like 2026-12-01, got 'next week'" in err


def test_list_audiences(minimal_data):
    code, out, _ = run("--list-audiences", "--data", str(minimal_data))
    assert code == 0
    assert out.startswith("council ")


def test_data_error_exits_1_with_one_line_per_problem_and_keeps_old_pdf(minimal_data, tmp_path):
    out_pdf = tmp_path / "council.pdf"
    code, _, _ = run("--data", str(minimal_data), "--out", str(out_pdf), "--date", "2025-12-01")
    assert code == 0
    good = out_pdf.read_bytes()
    figures = minimal_data / "figures.yaml"
    figures.write_text(figures.read_text().replace("as_of: 2017-01", "as_of: July").replace("source: news", "source: nowhere"))
    code, _, err = run("--data", str(minimal_data), "--out", str(out_pdf))
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines == [
        "data/figures.yaml:5: figures.series_2017_01_agencies.as_of: expected a date like 2025-07-18 (or 2025-07, or 2025), got 'July'",
        "data/figures.yaml:18: figures.series_2025_09_02_agreements.source: unknown source 'nowhere': expected an id from sources.yaml",
        "generate.py: 2 problem(s) found; nothing was written",
    ]
    assert out_pdf.read_bytes() == good


def test_html_option_writes_html_beside_pdf(minimal_data, tmp_path):
    out_pdf = tmp_path / "brief.pdf"
    code, out, _ = run("--data", str(minimal_data), "--out", str(out_pdf), "--html", "--date", "2025-12-01",
                       "--prepared-for", "Springfield City Council")
    assert code == 0
    html = (tmp_path / "brief.html").read_text()
    assert "Springfield City Council" in html
    assert "<img src=\"data:image/svg+xml;base64," in html
    assert "wrote" in out


def test_audience_names_are_case_insensitive(minimal_data, tmp_path):
    code, out, err = run("--audience", "Council", "--data", str(minimal_data), "--out", str(tmp_path / "c.pdf"))
    assert code == 0, err
    assert (tmp_path / "c.pdf").exists()


def test_a_near_miss_audience_gets_a_suggestion(minimal_data):
    code, _, err = run("--audience", "councl", "--data", str(minimal_data))
    assert code == 2
    assert err == "generate.py: error: unknown audience 'councl'; did you mean 'council'? Available: council, all\n"


def test_out_with_another_suffix_is_a_usage_error_and_creates_nothing(minimal_data, tmp_path):
    target = tmp_path / "grant.html"
    code, _, err = run("--data", str(minimal_data), "--out", str(target))
    assert code == 2
    assert err == (f"generate.py: error: --out: expected a .pdf file or a folder, got '{target}' (a .html file "
                   "name; --html writes the HTML version beside the PDF)\n")
    assert not target.exists()


def test_out_naming_an_existing_folder_writes_into_it(minimal_data, tmp_path):
    folder = tmp_path / "briefs.d"
    folder.mkdir()
    code, out, err = run("--data", str(minimal_data), "--out", str(folder))
    assert code == 0, err
    assert (folder / "council.pdf").exists()


def test_one_place_option_at_a_time():
    code, _, err = run("--jurisdiction", "Harris County, TX", "--state", "GA")
    assert code == 2
    assert err == "generate.py: error: argument --state: not allowed with argument --jurisdiction\n"


def test_jobs_must_be_a_positive_number():
    for value, found in (("0", "0"), ("-3", "-3"), ("many", "'many'")):
        code, _, err = run("--jobs", value)
        assert code == 2
        assert err == (f"generate.py: error: argument --jobs: expected a whole number of processes from 1 to 64, "
                       f"got {found}\n")


@pytest.mark.slow
def test_a_date_after_today_or_before_the_data_is_a_warning(minimal_data, tmp_path):
    import datetime as dt

    future = dt.date.today() + dt.timedelta(days=30)
    code, _, err = run("--data", str(minimal_data), "--out", str(tmp_path / "f.pdf"), "--date", future.isoformat())
    assert code == 0
    assert (f"warning: --date {future.isoformat()} is after today ({dt.date.today().isoformat()}); the brief's "
            "figures are as of their own dates and may not match that date\n") in err
    code, _, err = run("--data", str(minimal_data), "--out", str(tmp_path / "p.pdf"), "--date", "1999-01-01")
    assert code == 0
    assert "warning: --date 1999-01-01 is before the newest figure in the data (" in err
    assert "); the brief's figures may not match that date\n" in err


def test_version_and_an_over_long_out_name():
    assert run("--version") == (0, "policybrief 0.1.0\n", "")
    code, out, err = run("--out", "x" * 300 + ".pdf")
    assert (code, out) == (2, "")
    assert err == ("generate.py: error: argument --out: expected names of at most 200 bytes, got one of 304 "
                   f"('{'x' * 60}...')\n")
