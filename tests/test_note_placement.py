"""Every note prints on the page of its call, whatever the title block says: WeasyPrint can push a page-foot
note to the next page or drop it under some page breaks, and such a layout is never written."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from policybrief import write
from policybrief.cli import main
from policybrief.render import BriefOptions, render_html
from policybrief.write import lay_out, misplaced_notes

from conftest import EDITION_DATE
from test_pdf import note_numbers_by_page

pytestmark = pytest.mark.slow  # every test here lays out a whole brief

# The shipped editions as the README's quick start builds them (no --prepared-for): on 2 December 2026 the
# community and grant editions' first layouts put a note off its page (the community edition's note 15
# printed nowhere). They are the builds the other tests of the shipped editions read (conftest's `built`).
PLAIN = BriefOptions(date=EDITION_DATE)


@pytest.mark.parametrize("edition", ("council", "law-enforcement", "community", "grant", "community-es"))
def test_every_note_prints_on_the_page_of_its_call_without_a_prepared_for_line(content, brief, edition):
    result = brief(edition, write_html=True)
    pages = note_numbers_by_page(result.pdf)
    for number, (calls, markers) in enumerate(pages, start=1):
        assert sorted(calls) == sorted(markers), f"{edition} page {number}: calls {calls} vs notes {markers}"
    assert sorted(marker for _calls, markers in pages for marker in markers) == list(range(1, result.notes + 1))
    audience = content.audiences[edition]
    assert audience.page_min <= result.pages <= audience.page_max


def test_misplaced_notes_reads_the_layout(content):
    html = render_html(content, "council", PLAIN)
    document = lay_out(html)
    assert misplaced_notes(document) == []
    # Take the note area off the first page: its notes now print nowhere.
    first = document.pages[0]._page_box
    first.children = [child for child in first.children if type(child).__name__ != "FootnoteAreaBox"]
    missing = misplaced_notes(document)
    assert missing and all(page == 1 and printed is None for _number, page, printed in missing)
    assert [number for number, _page, _printed in missing] == list(range(1, len(missing) + 1))


def test_a_brief_whose_notes_cannot_all_stay_in_place_is_not_written(minimal_data, tmp_path, monkeypatch):
    out = tmp_path / "council.pdf"
    out.write_bytes(b"%PDF- the previous good brief")
    monkeypatch.setattr(write, "misplaced_notes", lambda document: [(3, 1, 2)])
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["--audience", "council", "--data", str(minimal_data), "--out", str(out), "--date", "2026-12-01"],
                stdout=stdout, stderr=stderr)
    assert code == 1
    assert stderr.getvalue().splitlines() == [
        "council: note 3 (called on page 1) would print on page 2, and no layout tried keeps every note on the "
        "page of its call; nothing was written. Shorten the text near it, or change --prepared-for or --date",
        "generate.py: 1 problem(s) found; nothing was written"]
    assert out.read_bytes() == b"%PDF- the previous good brief"


def test_a_variant_is_used_only_when_the_first_layout_misplaces_a_note(minimal_data, content, monkeypatch):
    html = write.apply_resource_policy(render_html(content, "council", PLAIN))
    calls = []

    def first_misplaced(document):
        calls.append(len(document.pages))
        return [(1, 1, None)] if len(calls) == 1 else []

    monkeypatch.setattr(write, "misplaced_notes", first_misplaced)
    document = write.lay_out_with_notes_in_place(html, fits=lambda count: True, label="council")
    assert len(calls) == 2 and document is not None
    # A variant that breaks the budget is passed over for the next one.
    calls.clear()
    seen = []
    document = write.lay_out_with_notes_in_place(html, fits=lambda count: seen.append(count) or len(seen) > 1,
                                                 label="council")
    assert len(calls) == 3 and len(seen) == 2


def test_a_local_large_print_edition_keeps_every_note_on_its_page(content, brief):
    """Harris County's law-enforcement large print: no split of paragraphs alone kept note 25 on page 6;
    moving the note's whole paragraph with it does."""
    result = brief("law-enforcement", date=dt.date(2026, 12, 1), large_print=True, jurisdiction="Harris County, TX")
    pages = note_numbers_by_page(result.pdf, marker_size_max=20)  # large-print note numbers: 14 pt drawn at 18.7
    assert all(sorted(calls) == sorted(markers) for calls, markers in pages)
    assert sorted(marker for _calls, markers in pages for marker in markers) == list(range(1, result.notes + 1))
    page_min, page_max = content.audiences["law-enforcement"].budget(large_print=True, local=True)
    assert page_min <= result.pages <= page_max
