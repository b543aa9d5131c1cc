"""A batch's local editions with the national part laid out once.

In an edition with `local_insert`, a local brief is a front part (title block, the sections before "Here
in ...", and that section) and the national part, which starts on a page of its own and is the same for
every county of a state. A single build lays the whole brief out at once. A batch lays out only the front
of each county, and the national part once for each (pages before it, notes before it, sections before
it) it meets; the brief is then WeasyPrint's document of the front's pages followed by the national part's,
written by WeasyPrint in one pass. So the file is the one a single build writes (one outline, one tagged
structure tree in reading order, the brief's own title, language and metadata, notes numbered on through
the brief and "Page X of Y" right), which the tests check byte for byte.

How each part is laid out so that its pages are those of the whole brief:
- the front is followed by as many blank pages as the national part has (so "of Y" counts them);
- the national part is preceded by as many blank pages as the front has, its notes counter starts after
  the front's notes, its section counter after the front's sections, and the title block's running head
  is set on its first blank page.
The blank pages are laid out and never written. A part whose notes do not all print on the page of their
call, or a brief outside its page budget, is built whole instead (`write.lay_out_with_notes_in_place`).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

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
    limit: int = 24  # laid-out documents kept; a state needs a few (pages x notes before the national part)
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


def lay_out_spliced(html: str, parts: NationalParts, lay_out, *, misplaced, fits=None, label: str = "brief"):
    """The laid-out brief from its front and a shared national part, or None where it must be built whole
    (a note off its page in either part, or the brief outside `fits`)."""
    national_pages = parts.last_national_pages or 1
    for _attempt in range(3):
        front = lay_out(front_html(html, national_pages))
        front_pages = len(front.pages) - national_pages
        front_doc_pages = front.pages[:front_pages]
        notes = count_notes_in(front_doc_pages)
        national = parts.get(national_html(html, front_pages=front_pages, front_notes=notes), lay_out)
        pages = len(national.pages) - front_pages
        if pages == national_pages:
            break
        national_pages = pages  # the front's "of Y" was wrong: lay it out again with the right count
    else:
        return None
    parts.last_national_pages = national_pages
    combined = front.copy(front_doc_pages + national.pages[front_pages:])
    if misplaced(combined) or (fits is not None and not fits(len(combined.pages))):
        LOG.info("%s: built whole (a note off its page, or outside the budget, when laid out in parts)", label)
        return None
    return combined


def count_notes_in(pages) -> int:
    from .write import _boxes

    calls = set()
    for page in pages:
        for box, in_notes in _boxes(page._page_box):
            if not in_notes and getattr(box.style, "pseudo_type", None) == "footnote-call" and box.element is not None:
                calls.add(id(box.element))
    return len(calls)
