"""Pages as laid out: no page but the last left more than a sixth empty, and local editions within budget."""

from __future__ import annotations

import datetime as dt

import pytest

from policybrief.render import BriefOptions, render_html
from policybrief.pages import empty_share
from policybrief.write import lay_out

DATE = dt.date(2026, 12, 1)
MOST_EMPTY = 1 / 6  # of a page's text area
# The local editions with the longest local sections (most agencies, longest state-law entries), which
# were the first to run over their budgets.
LONGEST_LOCAL = [("council", "Alachua County, FL"), ("council", "Brevard County, FL"),
                 ("grant", "Maricopa County, AZ"), ("grant", "Miami-Dade County, FL"),
                 ("law-enforcement", "Maricopa County, AZ")]


def _keeps_whole(page_box) -> bool:
    """Whether the page's first content is a figure or a block that must not split (it moved whole)."""
    from weasyprint.formatting_structure import boxes

    box = next(child for child in page_box.children
               if not isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)))
    while getattr(box, "children", None):
        if box.style["break_inside"] in ("avoid", "avoid-page") or box.element_tag == "figure":
            return True
        box = box.children[0]
    return False


def empty_shares(document) -> list[float]:
    """For each page, the share of its text area that neither text nor notes fill (blank between the last
    line of text and the notes, and below the notes): the measure a local edition's page break rests on."""
    return [empty_share(page) for page in document.pages]


@pytest.mark.parametrize("edition", ["council", "law-enforcement", "community", "grant"])
@pytest.mark.slow
def test_no_page_but_the_last_is_left_more_than_a_sixth_empty(content, edition):
    document = lay_out(render_html(content, edition, BriefOptions(date=DATE, prepared_for="Springfield City Council")))
    shares = empty_shares(document)
    for number, share in enumerate(shares[:-1], 1):
        if share > MOST_EMPTY:
            assert _keeps_whole(document.pages[number]._page_box), \
                f"{edition}: page {number} is {share:.0%} empty and page {number + 1} does not start with " \
                "a figure or a block that must not split"


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
