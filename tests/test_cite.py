"""Citations: parsing, Chicago full-then-short notes, numbering in reading order, bibliography."""

from __future__ import annotations

from dataclasses import replace

from policybrief.cite import Citer, CitedItem, bibliography_entry, citations_in, compact_note, parse_citation
from policybrief.markup import ProseRenderer
from policybrief.model import Figure, PartialDate, Source

GAO = Source(id="gao", type="report", title="ICE Can Further Enhance Its Planning and Oversight",
             title_short="ICE Can Further Enhance", authors=({"literal": "U.S. Government Accountability Office"},),
             publisher="U.S. Government Accountability Office", issued=PartialDate(2021, 1, 27),
             url="https://www.gao.gov/products/gao-21-186", accessed=None, keyword="government", number="GAO-21-186")
PAPER = Source(id="cato", type="article-journal", title="Do Immigration Enforcement Programs Reduce Crime?",
               title_short="Do Immigration Enforcement Programs Reduce Crime?",
               authors=({"family": "Forrester", "given": "Andrew"}, {"family": "Nowrasteh", "given": "Alex"}),
               publisher=None, issued=PartialDate(2018, 4, 11), url="https://example.org/cato", accessed=None,
               keyword="think-tank", container="Cato Working Paper", volume="52")
SOURCES = {"gao": GAO, "cato": PAPER}


def test_parse_citation_with_locators_and_several_keys():
    assert parse_citation("@gao, p. 12; @cato") == [CitedItem("gao", "p. 12"), CitedItem("cato", None)]
    assert parse_citation("not a citation") is None
    assert [item.key for item in citations_in("A [@gao]. B [@cato; @gao, p. 3].")] == ["gao", "cato", "gao"]


def test_first_note_is_full_and_later_notes_are_short():
    citer = Citer(SOURCES)
    first = citer.note([CitedItem("gao", "p. 12")])
    second = citer.note([CitedItem("gao", "p. 14")])
    assert first == ('U.S. Government Accountability Office, <i>ICE Can Further Enhance Its Planning and '
                     'Oversight</i>, GAO-21-186 (January 27, 2021), p. 12, '
                     '<a href="https://www.gao.gov/products/gao-21-186">gao.gov/products/gao-21-186</a>.')
    assert second == "U.S. Government Accountability Office, <i>ICE Can Further Enhance</i>, p. 14."
    assert citer.note_count == 2


def test_full_note_without_url_links_its_title():
    citer = Citer(SOURCES, urls_in_notes=False)
    assert citer.note([CitedItem("gao")]) == (
        'U.S. Government Accountability Office, <i><a href="https://www.gao.gov/products/gao-21-186">ICE Can '
        'Further Enhance Its Planning and Oversight</a></i>, GAO-21-186 (January 27, 2021).')


def test_compact_style_points_repeats_back_to_the_first_note():
    citer = Citer(SOURCES, style="compact")
    citer.note([CitedItem("cato")])
    citer.note([CitedItem("gao")])
    assert citer.repeat_of([CitedItem("gao")]) == [2]
    assert citer.repeat_of([CitedItem("gao", "p. 3")]) is None


def test_journal_article_note_and_bibliography():
    citer = Citer(SOURCES)
    assert citer.note([CitedItem("cato")]).startswith(
        "Andrew Forrester and Alex Nowrasteh, \u201cDo Immigration Enforcement Programs Reduce Crime?\u201d "
        "<i>Cato Working Paper</i> 52 (2018)")
    assert bibliography_entry(PAPER).startswith("Forrester, Andrew, and Alex Nowrasteh. \u201cDo Immigration Enforcement Programs Reduce Crime?\u201d")


def test_notes_are_numbered_in_reading_order_and_calls_follow_punctuation():
    citer = Citer(SOURCES)
    figures = {"f": Figure("f", 35, "agencies", PartialDate(2017, 1), "gao", "agencies")}
    html = str(ProseRenderer(citer, figures).render("Crime fell [@cato]. There were {fig:f} [@gao, p. 3]."))
    assert html.index("Forrester") < html.index("GAO-21-186")
    assert "fell.<span class=\"footnote\">" in html
    # The figure's source is cited in the same paragraph, so the figure adds no note of its own.
    assert html.count('class="footnote"') == 2
    assert "35 agencies" in html


def test_markdown_cannot_inject_html():
    html = str(ProseRenderer(Citer(SOURCES), {}).render('Text <img src="http://x/y.png"> [link](javascript:alert(1))'))
    assert "<img" not in html and "&lt;img" in html
    assert 'href="javascript' not in html


def test_descriptive_titles_are_not_quoted():
    from dataclasses import replace
    news = replace(PAPER, id="news", type="article-newspaper", title="[Warrant officer program]",
                   title_short="[Warrant officer program]", container="Orlando Sentinel")
    assert Citer({"news": news}).note([CitedItem("news")]).startswith(
        "Andrew Forrester and Alex Nowrasteh, [Warrant officer program], <i>Orlando Sentinel</i>")


def test_compact_note_says_read_via_before_a_mirror_address_only():
    release = replace(GAO, id="dhs", type="webpage", title="New Reimbursement Opportunities",
                      title_short="New Reimbursement Opportunities",
                      authors=({"literal": "U.S. Department of Homeland Security"},),
                      url="https://www.einpresswire.com/article/845414058/", number=None,
                      note="Text read via a mirror (EIN Presswire).")
    assert compact_note(release) == (
        'U.S. Department of Homeland Security, \u201cNew Reimbursement Opportunities\u201d (2021), read via '
        '<a href="https://www.einpresswire.com/article/845414058/">einpresswire.com/article/845414058</a>.')
    # A site the note names as the copy read counts too; the author's own address never does.
    reprint = replace(release, url="https://police1.com/x", note="Statement read via Police1's reprint.")
    assert ", read via <a " in compact_note(reprint)
    official = replace(release, url="https://www.govinfo.gov/app/details/X", note="Page images read via Wikisource.")
    assert "read via" not in compact_note(official)
    assert "read via" not in compact_note(GAO)
