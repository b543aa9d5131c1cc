"""Pages as laid out: no page but the last left more than a sixth empty, and local editions within budget."""

from __future__ import annotations

import datetime as dt

import pytest

from policybrief.pages import empty_share
from policybrief.write import lay_out

DATE = dt.date(2026, 12, 1)
# The local editions with the longest local sections (most agencies, longest state-law entries), which
# were the first to run over their budgets.
LONGEST_LOCAL = [("council", "Alachua County, FL"), ("council", "Brevard County, FL"),
                 ("grant", "Maricopa County, AZ"), ("grant", "Miami-Dade County, FL"),
                 ("law-enforcement", "Maricopa County, AZ")]


def empty_shares(document) -> list[float]:
    """For each page, the share of its text area that neither text nor notes fill (blank between the last
    line of text and the notes, and below the notes): the measure a local edition's page break rests on."""
    return [empty_share(page) for page in document.pages]


@pytest.mark.parametrize("edition", ["council", "law-enforcement", "community", "grant", "community-es"])
@pytest.mark.slow
def test_no_page_but_the_last_is_left_more_than_a_sixth_empty(brief, edition):
    """The build measures each page it lays out (pages.loose_pages) and reports a page left more than a
    sixth empty before a page that starts with text that could have split; the shipped editions have none."""
    result = brief(edition, write_html=True)
    assert [str(f) for f in result.findings if "empty" in str(f)] == []


def test_a_loose_page_is_a_finding_of_the_build():
    """A page break that leaves a page nearly empty before a paragraph is named; one before a figure, or a
    block that must stay whole, is not (it moved whole and took the space with it)."""
    from policybrief.pages import loose_pages

    filler = "<p>" + "A line of text that fills the page. " * 600 + "</p>"
    document = lay_out("<p>One line.</p><p style='break-before: page'>Next page.</p>" + filler)
    assert [number for number, _share in loose_pages(document.pages)] == [1]
    kept = lay_out("<p>One line.</p><div style='break-before: page; break-inside: avoid'><p>Kept.</p></div>" + filler)
    assert loose_pages(kept.pages) == ()


def test_empty_share_measures_the_blank_of_a_page():
    """The measure itself: a page holding one line is nearly all blank; a full one is not."""
    filler = "<p>" + "A line of text that fills the page. " * 600 + "</p>"
    document = lay_out("<p>One line.</p><p style='break-before: page'>Next page.</p>" + filler)
    shares = empty_shares(document)
    assert shares[0] > 0.9 and shares[1] < 0.05


@pytest.mark.parametrize("edition, place", LONGEST_LOCAL)
@pytest.mark.slow
def test_local_editions_keep_their_page_budget(content, brief, edition, place):
    result = brief(edition, date=DATE, jurisdiction=place)
    low, high = content.audiences[edition].budget(local=True)
    assert low <= result.pages <= high, f"{edition} for {place}: {result.pages} pages, budget {low}-{high}"
