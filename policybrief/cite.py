"""Turn pandoc-style citations into Chicago notes (full first, short after) and a bibliography."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from .model import Source

COMPACT_ADDRESS_MAX = 46  # characters of an address a run-in note prints in full (site and path)
_READ_VIA = re.compile(r"\bread via\b", re.IGNORECASE)  # a source note saying its text was read in a copy

# [@key], [@key, p. 12], [@a; @b, table 3]
CITATION_RE = re.compile(r"\[(@[^\[\]]+)\]")
_ITEM_RE = re.compile(r"^\s*@([A-Za-z0-9_][A-Za-z0-9_:.\-]*)\s*(?:,\s*(.+?))?\s*$")


@dataclass(frozen=True)
class NoteWords:
    """The words a note prints besides the source's own (titles stay in their language): English by
    default, an edition's catalogue otherwise (``from_catalogue``)."""

    conjunction: str = "and"
    et_al: str = "et al."
    read_via: str = "read via"
    open_quote: str = "\u201c"
    close_quote: str = "\u201d"

    @classmethod
    def from_catalogue(cls, messages) -> NoteWords:
        """The words as HTML-safe text (a data folder may bring its own catalogue)."""
        quotes = messages("typography.quotes")
        return cls(*(escape(word) for word in (messages("words.and"), messages("words.et_al"),
                                                messages("words.read_via"), quotes[0], quotes[1])))


ENGLISH_WORDS = NoteWords()


@dataclass(frozen=True)
class CitedItem:
    key: str
    locator: str | None = None


def parse_citation(body: str) -> list[CitedItem] | None:
    """Parse the inside of `[...]`; return None when it is not a well-formed citation."""
    items = []
    for part in body.split(";"):
        match = _ITEM_RE.match(part)
        if not match:
            return None
        items.append(CitedItem(match[1], match[2]))
    return items


def citations_in(text: str) -> list[CitedItem]:
    """Every cited item in a Markdown text, in order."""
    found: list[CitedItem] = []
    for match in CITATION_RE.finditer(text):
        found.extend(parse_citation(match[1]) or [])
    return found


def _author_names(source: Source, *, inverted_first: bool) -> str:
    names = []
    for index, author in enumerate(source.authors):
        if "literal" in author:
            names.append(author["literal"])
        elif inverted_first and index == 0:
            names.append(f"{author.get('family', '')}, {author.get('given', '')}".strip(", "))
        else:
            names.append(f"{author.get('given', '')} {author.get('family', '')}".strip())
    if not names:
        return source.publisher or ""
    if len(names) == 1:
        return names[0]
    if len(names) > 3 and not inverted_first:
        return f"{names[0]} et al."
    serial_comma = len(names) > 2 or inverted_first  # "Forrester, Andrew, and Alex Nowrasteh"
    return ", ".join(names[:-1]) + (", and " if serial_comma else " and ") + names[-1]


def _short_author(source: Source, words: NoteWords = ENGLISH_WORDS) -> str:
    if not source.authors:
        return source.publisher or ""
    first = source.authors[0]
    name = first.get("family") or first.get("literal", "")
    if len(source.authors) == 2:
        second = source.authors[1]
        return f"{name} {words.conjunction} {second.get('family') or second.get('literal', '')}"
    if len(source.authors) > 2:
        return f"{name} {words.et_al}"
    return name


_ITALIC_TITLE_TYPES = {"report", "book", "thesis", "dataset", "legal_case", "legislation", "bill"}


def _descriptive(title: str) -> bool:
    """A bracketed description stands in for a title that was not captured: never quoted."""
    return title.startswith("[") and title.endswith("]")


def _title_html(source: Source, title: str, *, linked: bool = False, comma: bool = True) -> str:
    """The title as a note prints it; `linked` makes it a live link to the source. A quoted title
    carries the comma that follows it inside the quotation marks (not after ? or !)."""
    text = escape(title)
    if linked:
        text = f'<a href="{escape(source.url, quote=True)}">{text}</a>'
    if source.type in _ITALIC_TITLE_TYPES:
        return f"<i>{text}</i>"
    if _descriptive(title):
        return text + ("," if comma else "")
    mark = "," if comma and not title.endswith(("?", "!")) else ""
    return f"\u201c{text}{mark}\u201d"


def _link(url: str) -> str:
    """A live link that prints the address without its scheme (the address itself is unchanged)."""
    safe = escape(url, quote=True)
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return f'<a href="{safe}">{escape(shown)}</a>'


def _publication_facts(source: Source) -> str:
    """The parenthesis or trailing facts of a full note: container, number, publisher, date."""
    date = source.issued.long
    if source.type in ("article-journal",):
        container = f"<i>{escape(source.container or '')}</i>"
        volume = f" {escape(source.volume)}" if source.volume else ""
        issue = f", no. {escape(source.issue)}" if source.issue else ""
        page = f": {escape(source.page)}" if source.page else ""
        return f"{container}{volume}{issue} ({source.issued.year}){page}"
    if source.type in ("article-newspaper", "webpage", "post-weblog", "article-magazine"):
        container = escape(source.container or source.publisher or "")
        return f"<i>{container}</i>, {date}" if container else date
    if source.type == "legal_case":
        number = f"{escape(source.number)} " if source.number else ""
        court = escape(source.authority or source.publisher or "")
        return f"{number}({court} {date})".replace("( ", "(")
    pieces = []
    if source.genre:
        pieces.append(escape(source.genre))
    issuer = _author_names(source, inverted_first=False)
    if source.publisher and source.publisher != issuer:
        pieces.append(escape(source.publisher))
    pieces.append(date)
    number = f"{escape(source.number)} " if source.number else ""
    return f"{number}({', '.join(pieces)})"


def full_note(source: Source, locator: str | None = None, *, with_url: bool = True) -> str:
    """Chicago full note, as HTML. Without `with_url` the title links to the source and the
    address is printed only in the edition's Sources list (it halves the length of most notes)."""
    parts = []
    author = _author_names(source, inverted_first=False)
    if author and source.type not in ("legal_case", "legislation", "bill"):
        parts.append(escape(author))
    facts = _publication_facts(source)
    title = _title_html(source, source.title, linked=not with_url, comma=not facts.startswith("("))
    quoted = title.endswith("\u201d") or (_descriptive(source.title) and source.type not in _ITALIC_TITLE_TYPES)
    body = f"{title} {facts}" if quoted or facts.startswith("(") else f"{title}, {facts}"
    parts.append(body)
    if locator:
        parts.append(escape(locator))
    # Remarks on a source (e.g. "read via a mirror") go in the bibliography, not in every note.
    if not with_url:
        return ", ".join(parts) + "."
    return ", ".join(parts) + ", " + _link(source.url) + "."


def short_note(source: Source, locator: str | None = None, *, words: NoteWords = ENGLISH_WORDS) -> str:
    """Chicago shortened note: author, short title, locator."""
    title = source.title_short or source.title
    if source.type in _ITALIC_TITLE_TYPES:
        title_html = f"<i>{escape(title)}</i>"
    elif _descriptive(title):
        title_html = escape(title)
    else:
        title_html = f"{words.open_quote}{escape(title)}{words.close_quote}"
    parts = [] if source.type in ("legal_case", "legislation", "bill") else [escape(_short_author(source, words))]
    parts.append(title_html)
    if locator:
        parts.append(escape(locator))
    text = ", ".join(part for part in parts if part)
    ends_in_mark = not locator and title.endswith(("?", "!"))
    return text + ("" if ends_in_mark and source.type in _ITALIC_TITLE_TYPES else ".")


# Hosts that re-publish other people's documents. A source read there names its original and says so
# in its note ("read via ...").
MIRROR_HOSTS = ("scribd.com", "fdocuments.us", "fdocuments.net", "vdocument.in", "vdocuments.site", "docslib.org",
                "readkong.com", "einpresswire.com", "findlaw.com", "justia.com", "casetext.com", "documentcloud.org",
                "heinonline.org", "wikisource.org", "webarchive.library.unt.edu", "web.archive.org", "archive.org",
                "prisonlegalnews.org", "lawsdocbox.com", "pdfslide.us", "pdfslide.net", "studylib.net", "yumpu.com",
                "immigrationwatchcanada.org", "iaproject.org", "justiceroundtable.org", "pcpatriot.com")


def is_mirror(host: str) -> bool:
    """Whether `host` (lower case) is, or is under, a site that re-publishes other people's documents."""
    return any(host == mirror or host.endswith("." + mirror) for mirror in MIRROR_HOSTS)


def _read_at_copy(source: Source) -> bool:
    """True when the source's address is a copy someone else published (a mirror, a reprint), not the
    author's own: its note says the text was "read via" a copy, and the address is a known mirror or
    the site the note names. Compact notes then say "read via" before the address, as the
    bibliography's note does, so a mirror never passes for the author's site."""
    if not source.note or not _READ_VIA.search(source.note):
        return False
    host = (urlsplit(source.url).hostname or "").lower()
    if is_mirror(host):
        return True
    labels = [label for label in host.split(".")[:-1] if label not in ("www", "web")]
    named = re.sub(r"[^a-z0-9]", "", source.note.lower())
    return any(len(label) > 3 and label in named for label in labels)


def compact_note(source: Source, locator: str | None = None, *, words: NoteWords = ENGLISH_WORDS) -> str:
    """For editions without a bibliography: short note, year and a linked address, on one line.
    The address prints as site and path, which a reader can type from paper; one too long for that, or
    one with a query, prints as its site (the link keeps the full address): a reader can type the site
    and find the title, which a cut-off address would not let them do."""
    short = short_note(source, locator, words=words).rstrip(".")
    shown = re.sub(r"^https?://(www\.)?", "", source.url).rstrip("/")
    if len(shown) > COMPACT_ADDRESS_MAX or urlsplit(source.url).query or "%" in shown:
        shown = re.sub(r"^(www\.)?", "", urlsplit(source.url).hostname or shown)
    safe = escape(source.url, quote=True)
    via = f"{words.read_via} " if _read_at_copy(source) else ""
    return f'{short} ({source.issued.year}), {via}<a href="{safe}">{escape(shown)}</a>.'


def bibliography_entry(source: Source) -> str:
    """Chicago bibliography entry, as HTML (author inverted, periods between elements)."""
    pieces = []
    author = _author_names(source, inverted_first=True)
    if author and source.type not in ("legal_case", "legislation", "bill"):
        pieces.append(escape(author.rstrip(".")) + ".")
    title = source.title.rstrip(".")
    stop = "" if title.endswith(("?", "!")) else "."
    if source.type in _ITALIC_TITLE_TYPES:
        pieces.append(f"<i>{escape(title)}</i>{stop}")
    else:
        pieces.append(f"\u201c{escape(title)}{stop}\u201d")
    if source.type == "article-journal":
        volume = f" {escape(source.volume)}" if source.volume else ""
        issue = f", no. {escape(source.issue)}" if source.issue else ""
        page = f": {escape(source.page)}" if source.page else ""
        pieces.append(f"<i>{escape(source.container or '')}</i>{volume}{issue} ({source.issued.year}){page}.")
    else:
        if source.number:
            pieces.append(escape(source.number.rstrip(".")) + ".")
        venue = source.container or (source.publisher if source.publisher != author else None)
        if source.type == "legal_case" and source.authority:
            venue = source.authority
        tail = f"{escape(venue)}, {source.issued.long}." if venue else f"{source.issued.long}."
        pieces.append(tail)
    pieces.append(_link(source.url) + ".")
    if source.note:
        pieces.append(escape(source.note.rstrip(".")) + ".")
    return " ".join(pieces)


def sort_key(source: Source) -> tuple[str, str]:
    author = _author_names(source, inverted_first=True)
    if source.type in ("legal_case", "legislation", "bill") or not author:
        author = source.title
    return (author.lower().lstrip("\u201c\"'"), source.title.lower())


class Citer:
    """Numbers notes in the order they are called and remembers which sources were cited."""

    def __init__(self, sources: dict[str, Source], *, style: str = "full", urls_in_notes: bool = True,
                 messages=None):
        self.sources = sources
        # An edition's catalogue (policybrief.i18n) gives its note words; English without one.
        self.words = NoteWords.from_catalogue(messages) if messages is not None else ENGLISH_WORDS
        self.style = style
        self.urls_in_notes = urls_in_notes
        self.cited: list[str] = []
        self.note_count = 0
        self.first_note: dict[str, int] = {}  # source id -> number of the note that first cited it
        self.last_items: tuple[CitedItem, ...] = ()  # what the latest note cited

    def canonical(self, key: str) -> str:
        """The id of the entry `key` cites: itself, or for an alias (figures.AGENCY_LIST_SOURCE) the dated
        entry it stands for, so that both are one source in notes and the bibliography."""
        source = self.sources.get(key)
        return source.id if source is not None else key

    def _canonical_items(self, items) -> list[CitedItem]:
        return [CitedItem(self.canonical(item.key), item.locator) for item in items]

    def repeat_of(self, items: list[CitedItem]) -> list[int] | None:
        """In compact style, a citation of already-noted sources points back to their notes
        instead of printing new ones (a two-page edition has no room for repeats)."""
        items = self._canonical_items(items)
        if self.style != "compact" or any(item.locator or item.key not in self.first_note for item in items):
            return None
        return sorted({self.first_note[item.key] for item in items})

    def split_repeats(self, items: list[CitedItem]) -> tuple[list[CitedItem], list[int]]:
        """In compact style, the sources of a citation that still need a note, and the numbers of the
        earlier notes that already gave the others (a two-page edition gives each source once; a
        repeat with a locator gets a note of its own). Other styles: a citation of exactly what the
        note before it cited points back to that note instead of repeating it."""
        items = self._canonical_items(items)
        if self.style != "compact":
            if self.note_count and tuple(items) == self.last_items:
                return [], [self.note_count]
            return list(items), []
        fresh = [item for item in items if item.locator or item.key not in self.first_note]
        earlier = sorted({self.first_note[item.key] for item in items if item not in fresh})
        return fresh, earlier

    def note(self, items: list[CitedItem]) -> str:
        """HTML for one footnote citing `items`; full note the first time a source is cited."""
        items = self._canonical_items(items)
        rendered = []
        for item in items:
            source = self.sources[item.key]
            first = item.key not in self.cited
            if first:
                self.cited.append(item.key)
            if self.style == "compact":
                rendered.append(compact_note(source, item.locator, words=self.words))
            elif first and self.style == "full":
                rendered.append(full_note(source, item.locator, with_url=self.urls_in_notes))
            else:
                rendered.append(short_note(source, item.locator, words=self.words))
        self.note_count += 1
        self.last_items = tuple(items)
        for item in items:
            self.first_note.setdefault(item.key, self.note_count)
        return " ".join(rendered) if len(rendered) == 1 else "; ".join(
            text.rstrip(".") for text in rendered) + "."

    def cited_sources(self) -> list[Source]:
        return sorted((self.sources[key] for key in self.cited), key=sort_key)
