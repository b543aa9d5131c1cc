"""A batch's local editions with the national part laid out once.

In an edition with `local_insert`, a local brief is a front part (title block, the sections before "Here
in ...", and that section) and the national part, which starts on a page of its own and is the same for
every county of a state. A single build lays the whole brief out at once. A batch lays out only the front
of each county, and the national part once for each (pages before it, notes before it, sections before
it) it meets; the brief is then WeasyPrint's document of the front's pages followed by the national part's,
written by WeasyPrint in one pass. So the file is the one a single build writes (one outline, one tagged
structure tree in reading order, the brief's own title, language and metadata, notes numbered on through
the brief and "Page X of Y" right), which the tests check byte for byte.

The page break costs a blank area at the foot of the local section's last page. Where that page would be
more than a sixth empty, there is no break: the national part runs on after the local section, and the
brief is laid out whole, in a batch as in a single build.

How each part is laid out so that its pages are those of the whole brief:
- the front is followed by as many blank pages as the national part has (so "of Y" counts them);
- the national part is preceded by as many blank pages as the front has, its notes counter starts after
  the front's notes, its section counter after the front's sections, and the title block's running head
  is set on its first blank page.
The blank pages are laid out and never written. Where the joined pages put a note off the page of its
call, the brief is laid out whole instead (`write.lay_out_with_notes_in_place`), as a single build does;
where the break takes a brief outside its page budget, the national part runs on.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

from .pages import MOST_EMPTY, empty_share, note_calls

LOG = logging.getLogger(__name__)
MARKER = "<!--policybrief:national-part-->"
_BLANK = '<div class="splice-blank"></div>'
_END = "\n</main>\n</body>\n</html>\n"
_HEAD_FIELDS_RE = re.compile(r"<title>.*?</title>\n|<meta name=\"[^\"]*\" content=\"[^\"]*\">\n", re.DOTALL)
_KICKER_RE = re.compile(r'<p class="kicker">.*?</p>', re.DOTALL)
_SECTION_HEADING_RE = re.compile(r"<h2[ >]")
_HTML_TAG_RE = re.compile(r"<html [^>]*>")


def splits(html: str) -> bool:
    """Whether `html` is a local edition whose national part starts on a page of its own."""
    return html.count(MARKER) == 1 and "<main>" in html


@dataclass
class NationalParts:
    """The national parts laid out so far in one process, by their HTML (which holds their offsets)."""
    documents: dict[str, object] = field(default_factory=dict)
    limit: int = 8  # laid-out national parts kept (each some megabytes); a state needs one to three
    laid_out: int = 0  # how many were laid out (for the benchmark and the tests)
    reused: int = 0
    last_national_pages: int = 0  # the national part's length in the last brief: the next front's first guess

    def get(self, html: str, lay_out):
        key = hashlib.sha256(html.encode()).hexdigest()
        document = self.documents.get(key)
        if document is None:
            document = lay_out(html)
            self.laid_out += 1
            if len(self.documents) >= self.limit:
                self.documents.pop(next(iter(self.documents)))
            self.documents[key] = document
        else:
            self.reused += 1
        return document


def front_html(html: str, national_pages: int) -> str:
    """The brief up to the end of its local section, then `national_pages` blank pages."""
    return html[:html.index(MARKER)] + _BLANK * national_pages + _END


def national_html(html: str, *, front_pages: int, front_notes: int) -> str:
    """The national part after `front_pages` blank pages, its notes numbered on from `front_notes`, its
    sections from the front's; without the brief's title and metadata, which are the front's."""
    head, body = html.split("<body>", 1)
    before, rest = body.split("<main>", 1)
    front, national = rest.split(MARKER, 1)
    numbered = _HTML_TAG_RE.search(head)
    sections = len(_SECTION_HEADING_RE.findall(front)) if numbered and " numbered" in numbered[0] else 0
    kicker = _KICKER_RE.search(before)
    blanks = [_BLANK] * front_pages
    if kicker:  # the running head of the pages after the first is the title block's kicker
        blanks[0] = f'<div class="splice-blank title-block">{kicker[0]}</div>'
    counters = f"footnote {front_notes}" + (f" section {sections}" if sections else "")
    return (_HEAD_FIELDS_RE.sub("", head) + f'<body>\n<main style="counter-reset: {counters}">'
            + "".join(blanks) + national)


BREAK_CSS = "section.local + *, "  # in the template's rule that starts the national part on a new page


def flowing(html: str) -> str:
    """`html` with the national part running on after the local section, on the same page: the rule that
    breaks the page goes from the style sheet, the marker from the body (data text can hold neither)."""
    end = html.find("</style>")
    return html[:end].replace(BREAK_CSS, "", 1) + html[end:].replace(MARKER, "")


def lay_out_local(html: str, parts: NationalParts | None, lay_out, *, whole, misplaced, fits=None,
                  label: str = "brief"):
    """Lay out a local edition whose national part may start on a page of its own.

    The front is laid out first. Where its last page would be more than a sixth empty, the page break is
    dropped and the brief is laid out whole (`whole`, a function of the HTML), so no brief has a large
    blank area. Otherwise the national part starts on a new page: a single build (`parts` None) lays the
    brief out whole; a batch joins the front's pages to a national part laid out once for its offsets
    (laid out whole instead where that puts a note off its page). A brief the page break takes outside
    `fits` (its page budget) runs on without it."""
    national_pages = (parts.last_national_pages if parts is not None else 0) or 1
    front = lay_out(front_html(html, national_pages))
    front_pages = len(front.pages) - national_pages
    if front_pages < 1 or empty_share(front.pages[front_pages - 1]) > MOST_EMPTY:
        LOG.info("%s: the national part runs on after the local section (its last page would be part empty)", label)
        return whole(flowing(html))
    laid_out = whole(html) if parts is None else _spliced(html, parts, lay_out, front, front_pages, national_pages,
                                                          whole=whole, misplaced=misplaced, label=label)
    if fits is not None and not fits(len(laid_out.pages)):  # the break cost a page the budget has not got
        LOG.info("%s: the national part runs on after the local section (outside the page budget)", label)
        return whole(flowing(html))
    return laid_out


def _spliced(html, parts, lay_out, front, front_pages, national_pages, *, whole, misplaced, label):
    asked, national = None, None
    for _attempt in range(3):
        notes = len(note_calls(front.pages[:front_pages]))
        part = national_html(html, front_pages=front_pages, front_notes=notes)
        if part != asked:  # the front laid out again has the same offsets: the same national part
            asked, national = part, parts.get(part, lay_out)
        pages = len(national.pages) - front_pages
        if pages == national_pages:
            break
        national_pages = pages  # the front's "of Y" counted other pages: lay it out again with the right count
        front = lay_out(front_html(html, national_pages))
    else:
        return whole(html)
    parts.last_national_pages = national_pages
    combined = front.copy(front.pages[:front_pages] + national.pages[front_pages:])
    if misplaced(combined):
        LOG.info("%s: laid out whole (a note off its page when laid out in parts)", label)
        return whole(html)
    return combined
