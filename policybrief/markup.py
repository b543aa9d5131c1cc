"""Render data Markdown (with [@citations], {fig:ids} and {asof:ids}) to safe HTML with page-foot notes."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from markdown_it import MarkdownIt
from markupsafe import Markup

from .cite import CITATION_RE, CitedItem, Citer, parse_citation
from .figures import format_figure
from .i18n import fill
from .model import Figure, Joined, Message, Ordinal, PartialDate, Series, Verbatim

# Private-use characters survive Markdown untouched: notes and figures get different brackets,
# because only a note call moves after the punctuation that follows it.
_OPEN, _CLOSE = "\ue000", "\ue001"
_FIG_OPEN, _FIG_CLOSE = "\ue002", "\ue003"
_MARKER_RE = re.compile(f"[{_OPEN}{_FIG_OPEN}](\\d+)[{_CLOSE}{_FIG_CLOSE}]")
# Plain-text cells from outside the data folder (ICE's agency names: model.Verbatim) are composed into
# the Markdown as these markers, and swapped for their escaped text after Markdown.
_LIT_OPEN, _LIT_CLOSE = "\ue004", "\ue005"
_LITERAL_RE = re.compile(f"{_LIT_OPEN}(\\d+){_LIT_CLOSE}")
_PRIVATE_RE = re.compile("[\ue000-\uf8ff]")
FIGURE_RE = re.compile(r"\{fig:([A-Za-z0-9_]+)\}")  # a figure's value, with its unit and note
# A figure's as-of date, in the edition's language and without a note ("ICE's list of {asof:ice_agreements_total}"):
# prose names a data set's date from the data, so that a newer list in data/ changes the sentence with it.
AS_OF_RE = re.compile(r"\{asof:([A-Za-z0-9_]+)\}")
_NOCITE = "{nocite}"

# Raw HTML is off: any tag in data is printed as text, never interpreted. Images are off too: an
# edition loads no picture but its own charts (the validator reports '![...](...)' in data).
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["replacements", "smartquotes"]).disable("image")
_MARKDOWN_BY_QUOTES: dict[str, MarkdownIt] = {}


def _markdown_for(quotes: str | None) -> MarkdownIt:
    """The parser whose smart quotes are an edition's (its catalogue's typography.quotes: double open,
    double close, single open, single close), one per set of quotes."""
    if not quotes or quotes == "\u201c\u201d\u2018\u2019":
        return _MARKDOWN
    if quotes not in _MARKDOWN_BY_QUOTES:
        _MARKDOWN_BY_QUOTES[quotes] = MarkdownIt("commonmark", {"html": False, "typographer": True,
                                                                "quotes": quotes}).enable(
            ["replacements", "smartquotes"]).disable("image")
    return _MARKDOWN_BY_QUOTES[quotes]


def literal_html(text: str) -> str:
    """Plain text as HTML: escaped, never Markdown; an apostrophe inside a word becomes a typographic one."""
    text = _PRIVATE_RE.sub("", str(text))
    return re.sub(r"(?<=\w)&#x27;(?=\w)", "\u2019", escape(text))


def _footnote(note_html: str) -> str:
    return f'<span class="footnote">{note_html}</span>'


class ProseRenderer:
    """Renders prose in document order, so the first citation of a source gets the full note.

    For print, a note is a span that WeasyPrint floats to the foot of the page. For the web (`web`),
    browsers have no page-foot notes: the call becomes a numbered link and the note is collected
    into `endnotes`, which the template lists at the end."""

    def __init__(self, citer: Citer, figures: dict[str, Figure], *, web: bool = False, messages=None):
        self.citer = citer
        self.figures = figures
        self.web = web
        self.messages = messages  # the edition's catalogue (policybrief.i18n): figures' units, quotation marks
        self.markdown = _markdown_for(messages("typography.quotes") if messages is not None else None)
        self.endnotes: list[tuple[int, Markup]] = []
        self.printed_figures: set[str] = set()  # for the edition's "figures as of" date

    def _word(self, key: str, english: str, **values) -> str:
        """A label from the edition's catalogue (the English form when rendering without one)."""
        if self.messages is None:
            return english.format(**values)
        return self.messages(key, **values)

    def _note(self, note_html: str) -> str:
        if not self.web:
            return _footnote(note_html)
        number = self.citer.note_count
        self.endnotes.append((number, Markup(note_html)))
        return (f'<sup class="note-call"><a href="#note-{number}" id="call-{number}" '
                f'aria-label="{escape(self._word("labels.note", "note {number}", number=number))}">{number}</a></sup>')

    def _as_of(self, figure_id: str) -> str:
        as_of = self.figures[figure_id].as_of
        return self.messages.date(as_of) if self.messages is not None else as_of.long

    def render(self, text: str, *, inline: bool = False) -> Markup:
        """Markdown `text` (from the data folder or the catalogue) as HTML."""
        # Private-use characters are this renderer's markers: never taken from the text.
        return self._render(_PRIVATE_RE.sub("", text), [], inline=inline)

    def render_composed(self, value) -> Markup:
        """A composed value (model.Message, Joined, ...) as HTML in the edition's language: its Verbatim
        texts (ICE's agency names, place names) printed exactly as written, escaped, never read as
        Markdown, a citation or a figure, wherever the sentence puts them."""
        verbatim_html: list[str] = []

        def mark(text: str) -> str:
            verbatim_html.append(literal_html(text))
            return f"{_LIT_OPEN}{len(verbatim_html) - 1}{_LIT_CLOSE}"

        return self._render(compose(value, self.messages, mark), verbatim_html)

    def _render(self, text: str, literal_html_of: list[str], *, inline: bool = False) -> Markup:
        replacements: list[str] = []

        def marker(html: str, *, note: bool = True) -> str:
            replacements.append(html)
            if note:
                return f"{_OPEN}{len(replacements) - 1}{_CLOSE}"
            return f"{_FIG_OPEN}{len(replacements) - 1}{_FIG_CLOSE}"

        chunks = re.split(r"\n\s*\n", text.replace(_NOCITE, "").strip())
        prepared = []
        for chunk in chunks:
            cited_here = {self.citer.canonical(item.key) for match in CITATION_RE.finditer(chunk)
                          for item in (parse_citation(match[1]) or [])}
            # Replace citations and figures left to right, so notes are numbered in reading order.
            pieces = []
            position = 0
            for match in re.finditer(f"{CITATION_RE.pattern}|{FIGURE_RE.pattern}", chunk):
                pieces.append(chunk[position:match.start()])
                position = match.end()
                if match[0].startswith("["):
                    items = parse_citation(match[1])
                    fresh, repeat = self.citer.split_repeats(items) if items else ([], [])
                    html = self._note(self.citer.note(fresh)) if fresh else ""
                    if repeat:  # sources an earlier note already gave: that note's number, not a new note
                        numbers = ",".join(str(number) for number in repeat)
                        see = escape(self._word("labels.see_note", "see note {number}", number=numbers))
                        html += (f'<sup class="note-ref" title="{see}">'
                                 f'{"," if fresh else ""}{numbers}</sup>')
                    pieces.append(marker(html) if items else match[0])
                else:
                    figure = self.figures[match[2]]
                    self.printed_figures.add(figure.id)
                    shown = escape(format_figure(figure, messages=self.messages))
                    if figure.source not in cited_here:
                        note = self.citer.note([CitedItem(figure.source, figure.locator)])
                        shown += self._note(note)
                    pieces.append(marker(shown, note=False))
            pieces.append(chunk[position:])
            prepared.append("".join(pieces))
        source = AS_OF_RE.sub(lambda match: marker(escape(self._as_of(match[1])), note=False), "\n\n".join(prepared))
        html = self.markdown.renderInline(source) if inline else self.markdown.render(source)
        # No space before a note call; Chicago puts it after the punctuation that ends the clause.
        html = re.sub(f"\\s+({_OPEN}\\d+{_CLOSE})", r"\1", html)
        html = re.sub(f"({_OPEN}\\d+{_CLOSE}(?:\\s*{_OPEN}\\d+{_CLOSE})*)([.,;:])", r"\2\1", html)
        html = _MARKER_RE.sub(lambda match: replacements[int(match[1])], html)
        if literal_html_of:
            html = _LITERAL_RE.sub(lambda match: literal_html_of[int(match[1])], html)
        return Markup(html)


def plain_text(text: str, figures: dict[str, Figure], messages=None) -> str:
    """The words a reader sees, without citations or markup (for word counts and reading level)."""
    text = CITATION_RE.sub("", text.replace(_NOCITE, ""))
    text = FIGURE_RE.sub(lambda match: format_figure(figures[match[1]], messages=messages) if match[1] in figures
                          else match[0], text)
    text = AS_OF_RE.sub(lambda match: (messages.date(figures[match[1]].as_of) if messages is not None
                                       else figures[match[1]].as_of.long) if match[1] in figures else match[0], text)
    text = re.sub(r"[*_`#>]+", "", text)
    text = re.sub(r"^\s*[-+]\s+", "", text, flags=re.MULTILINE)
    return re.sub(r"\s+([.,;:])", r"\1", text)


def compose(value, messages, verbatim=lambda text: text) -> str:
    """A composed value (model.Message, Joined, Series, ...) as Markdown in the language of `messages`
    (an i18n.Catalogue). Each Verbatim text passes through `verbatim`: the renderer's marker, or the text
    itself where only the words matter (a word count, a test). Markdown from the data folder or the
    catalogue loses any private-use character, which are the renderer's own markers."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _PRIVATE_RE.sub("", value)
    if isinstance(value, Verbatim):
        return verbatim(value.text)
    if isinstance(value, bool):
        raise TypeError(f"cannot compose a truth value: {value!r}")
    if isinstance(value, (int, float)):
        return messages.number(value)
    if isinstance(value, (dt.date, PartialDate)):
        return messages.date(value)
    if isinstance(value, Ordinal):
        return messages.ordinal(value.number)
    if isinstance(value, Joined):
        separator = compose(value.separator, messages, verbatim)
        return separator.join(part for part in (compose(item, messages, verbatim) for item in value.parts) if part)
    if isinstance(value, Series):
        names = [compose(item, messages, verbatim) for item in value.items]
        if value.cap is None or len(names) <= value.cap:
            return messages.series(names)
        shown = value.cap if value.shown is None else value.shown
        return messages("local.more", names=", ".join(names[:shown]), count=len(names) - shown)
    if isinstance(value, Message):
        template = _PRIVATE_RE.sub("", messages.template(value.key, value.count))
        values = {name: compose(item, messages, verbatim) for name, item in value.values}
        if value.count is not None:
            values.setdefault("count", messages.number(value.count))
        return fill(template, values)
    raise TypeError(f"cannot compose {type(value).__name__}")
