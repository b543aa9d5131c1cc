"""Rendered brief HTML -> pandoc's document model (JSON) -> Word (.docx) and plain-text (.txt) editions.

The Word and text editions are converted from the very HTML the PDF is laid out from, so they carry the
same sections, the same notes in the same order, the same charts and tables. The HTML comes from the
project's templates with every data text escaped; this module reads it into pandoc's own document model
(headings, paragraphs, notes, lists, tables, figures) and hands that to pandoc, run in its sandbox:

- data text only ever becomes pandoc text (`Str`), never raw HTML, LaTeX or OOXML, so nothing in data
  can pass through to the output as markup;
- pandoc reads nothing but its standard input (`--sandbox`: no file, no network); the charts travel as
  `data:` URLs inside the document (the PDF's own SVG, drawn as a PNG for Word, which shows an SVG-only
  picture in recent versions only), and any other image is left out;
- it runs with a time limit and a memory limit, and its failure is one line, not a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .errors import DataError, Problem, printable

LOG = logging.getLogger(__name__)
# File suffix -> pandoc's output format.
EXPORT_FORMATS = {".docx": "docx", ".txt": "plain"}
PANDOC_TIMEOUT = 120  # seconds; the largest edition converts in well under one
PANDOC_MEMORY = "1024m"  # pandoc's own heap limit (+RTS -M)
TEXT_COLUMNS = 78
CHART_ZOOM = 2.5  # a chart 6.5 in wide becomes a PNG of about 1,560 px: sharp when printed from Word

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIPPED = {"head", "style", "script", "template", "title", "svg", "noscript"}
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "figure", "section",
               "header", "main", "aside", "div", "blockquote", "hr", "body", "html", "footer", "nav",
               "article", "figcaption", "caption"}
# ASCII white space only: a no-break space stays inside a word, as in the PDF.
_SPACE_RE = re.compile(r"[ \t\n\r\f]+")


# ---------------------------------------------------------------------------------------- HTML tree

@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)  # _Node or str

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> _Node | None:
        for child in self.children:
            if isinstance(child, _Node):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None


class _TreeBuilder(HTMLParser):
    """The templates' HTML as a tree (they are well formed; an unclosed element ends with its parent)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# ------------------------------------------------------------------------------ pandoc's document model

def _el(kind: str, content=None) -> dict:
    return {"t": kind} if content is None else {"t": kind, "c": content}


def _attr(identifier: str = "", classes=(), pairs=()) -> list:
    return [identifier, list(classes), [list(pair) for pair in pairs]]


def _text_inlines(text: str) -> list[dict]:
    inlines = []
    for index, piece in enumerate(_SPACE_RE.split(text)):
        if index:
            inlines.append(_el("Space"))
        if piece:
            inlines.append(_el("Str", piece))
    return inlines


def _tidy(inlines: list[dict]) -> list[dict]:
    """No space at either end, none doubled, none before a note call (as the PDF sets them)."""
    tidy: list[dict] = []
    for inline in inlines:
        if inline["t"] in ("Space", "SoftBreak") and (not tidy or tidy[-1]["t"] in ("Space", "LineBreak")):
            continue
        if inline["t"] == "Note" and tidy and tidy[-1]["t"] == "Space":
            tidy.pop()
        tidy.append(inline)
    while tidy and tidy[-1]["t"] in ("Space", "SoftBreak"):
        tidy.pop()
    return tidy


def _plain_text(node) -> str:
    if isinstance(node, str):
        return node
    if node.tag in _SKIPPED:
        return ""
    return "".join(_plain_text(child) for child in node.children)


@dataclass
class Document:
    """A brief in pandoc's document model, with what was counted on the way."""

    ast: dict
    notes: int
    images: int
    tables: int


class _Converter:
    """The templates' HTML elements as pandoc blocks and inlines; counts notes, charts and tables."""

    def __init__(self, numbered: bool):
        self.numbered = numbered
        self.section_number = 0
        self.notes = 0
        self.images = 0
        self.tables = 0
        self.title: list[dict] = []
        self.subtitle: list[dict] = []

    # ---------------------------------------------------------------- inlines
    def inlines(self, node: _Node) -> list[dict]:
        out: list[dict] = []
        for child in node.children:
            out.extend(self.inline(child))
        return out

    def inline(self, node) -> list[dict]:
        if isinstance(node, str):
            return _text_inlines(node)
        tag, classes = node.tag, node.classes
        if tag in _SKIPPED:
            return []
        if tag == "span" and "footnote" in classes:
            self.notes += 1
            return [_el("Note", [_el("Para", _tidy(self.inlines(node)))])]
        if tag in ("em", "i", "cite"):
            return [_el("Emph", self.inlines(node))]
        if tag in ("strong", "b"):
            return [_el("Strong", self.inlines(node))]
        if tag == "sup" and "note-ref" in classes:  # a repeat citation: the number of the note it repeats
            return [_el("Span", [_attr(classes=["note-ref"]), [_el("Superscript", self.inlines(node))]])]
        if tag == "sup":
            return [_el("Superscript", self.inlines(node))]
        if tag == "sub":
            return [_el("Subscript", self.inlines(node))]
        if tag == "code":
            return [_el("Code", [_attr(), _plain_text(node)])]
        if tag == "br":
            return [_el("LineBreak")]
        if tag == "a":
            href = node.attrs.get("href", "")
            if re.match(r"(?i)^(https?:|mailto:)", href):
                return [_el("Link", [_attr(), self.inlines(node), [href, ""]])]
            return self.inlines(node)  # an in-page anchor: its words only
        if tag == "img":
            image = self.image(node)
            return [image] if image else []
        if tag in _BLOCK_TAGS:  # a block inside inline content: its words, run on
            return [_el("Space")] + self.inlines(node) + [_el("Space")]
        return self.inlines(node)

    def image(self, node: _Node) -> dict | None:
        """A chart, from the data: URL the PDF draws; any other source is not loaded."""
        source = node.attrs.get("src", "").strip()
        if not re.match(r"(?i)^data:image/(svg\+xml|png|jpeg|gif);base64,", source):
            LOG.info("left out an image that is not one of the edition's charts: %s", printable(source, 80))
            return None
        self.images += 1
        alt = node.attrs.get("alt", "")
        return _el("Image", [_attr(pairs=[("width", "100%")]), _text_inlines(alt), [source, ""]])

    # ---------------------------------------------------------------- blocks
    def blocks(self, node: _Node) -> list[dict]:
        out: list[dict] = []
        run: list[dict] = []

        def flush():
            inlines = _tidy(run)
            if inlines:
                out.append(_el("Para", inlines))
            run.clear()

        for child in node.children:
            if isinstance(child, _Node) and (child.tag in _BLOCK_TAGS or child.tag == "img" and
                                             node.tag not in ("p", "li", "td", "th", "dd")):
                flush()
                out.extend(self.block(child))
            else:
                run.extend(self.inline(child))
        flush()
        return out

    def block(self, node: _Node) -> list[dict]:
        tag, classes = node.tag, node.classes
        if tag in _SKIPPED:
            return []
        if tag == "p":
            inlines = _tidy(self.inlines(node))
            return [_el("Para", inlines)] if inlines else []
        if tag == "h1" and not self.title:
            self.title = _tidy(self.inlines(node))
            return []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = max(1, int(tag[1]) - 1)  # the title is the document's; h2 sections are level 1
            inlines = _tidy(self.inlines(node))
            if tag == "h2" and self.numbered:
                self.section_number += 1
                inlines = [_el("Str", f"{self.section_number}."), _el("Space")] + inlines
            return [_el("Header", [level, _attr(node.attrs.get("id", "")), inlines])]
        if tag == "header" and "title-block" in classes:
            return self.title_block(node)
        if tag in ("ul", "ol"):
            items = [self.blocks(child) or [_el("Plain", [])] for child in node.children
                     if isinstance(child, _Node) and child.tag == "li"]
            if not items:
                return []
            if tag == "ul":
                return [_el("BulletList", items)]
            start = int(node.attrs.get("start", "1") or 1) if node.attrs.get("start", "1").isdigit() else 1
            return [_el("OrderedList", [[start, _el("Decimal"), _el("Period")], items])]
        if tag == "dl":
            return self.definitions(node)
        if tag == "table":
            return self.table(node)
        if tag == "figure":
            return self.figure(node)
        if tag == "blockquote":
            return [_el("BlockQuote", self.blocks(node))]
        if tag == "hr":
            return [_el("HorizontalRule")]
        if tag == "img":
            image = self.image(node)
            return [_el("Para", [image])] if image else []
        return self.blocks(node)

    def title_block(self, node: _Node) -> list[dict]:
        out = []
        for child in node.children:
            if not isinstance(child, _Node):
                continue
            if "subtitle" in child.classes and not self.subtitle:
                self.subtitle = _tidy(self.inlines(child))
            elif "data-endnotes" in child.attrs:
                # A line that says where the notes are: the print wording for Word (page-foot notes), the
                # endnotes wording kept beside it for the text edition.
                out.append(_el("Div", [_attr(classes=["where-notes"], pairs=[("endnotes", child.attrs["data-endnotes"])]),
                                       self.block(child)]))
            else:
                out.extend(self.block(child))
        return out

    def definitions(self, node: _Node) -> list[dict]:
        """A list of terms (the title block's facts, a key-figures box) as "term: text" lines."""
        out = []
        groups = [child for child in node.children if isinstance(child, _Node) and child.tag == "div"] or [node]
        for group in groups:
            inlines: list[dict] = []
            for child in group.children:
                if not isinstance(child, _Node):
                    continue
                if child.tag == "dt":
                    inlines.append(_el("Strong", _tidy(self.inlines(child)) + [_el("Str", ":")]))
                    inlines.append(_el("Space"))
                elif child.tag == "dd":
                    inlines.extend(self.inlines(child))
                    inlines.append(_el("Space"))
            inlines = _tidy(inlines)
            if inlines:
                out.append(_el("Para", inlines))
        return out

    def figure(self, node: _Node) -> list[dict]:
        caption: list[dict] = []
        images: list[dict] = []
        after: list[dict] = []
        for child in node.children:
            if not isinstance(child, _Node):
                continue
            if child.tag == "figcaption":
                caption = [_el("Plain", _tidy(self.inlines(child)))]
            elif child.tag == "img":
                image = self.image(child)
                if image:
                    images.append(image)
            else:
                after.extend(self.block(child))
        if not images:
            return ([_el("Para", caption[0]["c"])] if caption else []) + after
        figure = _el("Figure", [_attr(node.attrs.get("id", "")), [None, caption], [_el("Plain", images)]])
        return [figure] + after

    def table(self, node: _Node) -> list[dict]:
        caption: list[dict] = []
        head_rows: list[list[list[dict]]] = []
        body_rows: list[list[list[dict]]] = []
        row_heads = 0
        for part in node.children:
            if not isinstance(part, _Node):
                continue
            if part.tag == "caption":
                caption = [_el("Plain", _tidy(self.inlines(part)))]
                continue
            rows = [part] if part.tag == "tr" else [row for row in part.children
                                                     if isinstance(row, _Node) and row.tag == "tr"]
            for row in rows:
                cells = [cell for cell in row.children if isinstance(cell, _Node) and cell.tag in ("th", "td")]
                if part.tag == "thead":
                    head_rows.append([self.blocks(cell) for cell in cells])
                else:
                    if cells and cells[0].tag == "th":
                        row_heads = 1
                    body_rows.append([self.blocks(cell) for cell in cells])
        columns = max((len(row) for row in head_rows + body_rows), default=0)
        if not columns:
            return []
        self.tables += 1

        def row(cells):
            cells = cells + [[] for _ in range(columns - len(cells))]
            return [_attr(), [[_attr(), _el("AlignDefault"), 1, 1, blocks] for blocks in cells]]

        return [_el("Table", [
            _attr(), [None, caption],
            [[_el("AlignDefault"), width] for width in _column_widths(head_rows + body_rows, columns)],
            [_attr(), [row(cells) for cells in head_rows]],
            [[_attr(), row_heads, [], [row(cells) for cells in body_rows]]],
            [_attr(), []]])]


def _as_png(source: str) -> str:
    """A chart's SVG data: URL as a PNG data: URL of the same drawing (its text is already outlines)."""
    header, _, payload = source.partition(",")
    if not header.lower().startswith("data:image/svg+xml"):
        return source
    import base64

    import resvg_py

    try:
        png = resvg_py.svg_to_bytes(svg_string=base64.b64decode(payload).decode("utf-8"), dpi=96, zoom=CHART_ZOOM,
                                    skip_system_fonts=True, background="#ffffff")
    except (ValueError, UnicodeDecodeError) as error:
        LOG.warning("a chart could not be drawn as a PNG (%s); the Word file keeps its SVG", printable(error, 120))
        return source
    return "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")


def _pictures_as_png(value):
    """The document with every SVG picture drawn as a PNG (for Word)."""
    if isinstance(value, list):
        return [_pictures_as_png(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("t") == "Image":
        attr, alt, (source, title) = value["c"]
        return _el("Image", [attr, alt, [_as_png(source), title]])
    return {key: _pictures_as_png(item) for key, item in value.items()}


def _column_widths(rows, columns: int) -> list[dict]:
    """Pandoc's default widths set each row on one line, however long (a text edition then runs to
    hundreds of characters a line): a table wider than a text line gets widths shared by the length
    of each column's longest cell, a long column counting as at most 30 characters, and a column at
    least as wide as its longest word and a margin (a row label such as "Supervision" is not split)."""
    longest = [0] * columns
    longest_word = [0] * columns
    for row in rows:
        for index, blocks in enumerate(row):
            text = _blocks_text(blocks)
            longest[index] = max(longest[index], len(text))
            longest_word[index] = max([longest_word[index]] + [len(word) for word in text.split()])
    if sum(longest) + 3 * columns <= TEXT_COLUMNS:
        return [_el("ColWidthDefault") for _ in range(columns)]
    shares = [max(min(max(length, 4), 30), word + 4) for length, word in zip(longest, longest_word)]
    return [_el("ColWidth", share / sum(shares)) for share in shares]


def _blocks_text(value) -> str:
    if isinstance(value, dict):
        if value.get("t") == "Str":
            return value["c"]
        if value.get("t") == "Space":
            return " "
        if value.get("t") == "Note":
            return "[00]"
        return _blocks_text(value.get("c", []))
    if isinstance(value, list):
        return "".join(_blocks_text(item) for item in value)
    return ""


def for_text(ast: dict) -> dict:
    """The document as a text edition sets it: title and subtitle as its first lines, each chart's title
    above its description (pandoc's plain text prints a figure's image only), a repeat citation as
    "[3]", like the note calls around it (a superscript digit would read as part of the text), and a line
    that says where the notes are in its endnotes wording."""
    def calls(value):
        if isinstance(value, list):
            return [calls(item) for item in value]
        if not isinstance(value, dict):
            return value
        if value.get("t") == "Span" and "note-ref" in value["c"][0][1]:
            numbers = re.findall(r"\d+", _blocks_text(value["c"][1]))
            return _el("Str", "".join(f"[{number}]" for number in numbers))
        return {key: calls(item) for key, item in value.items()}

    def blocks(items):
        out = []
        for block in items:
            if block["t"] == "Div" and "where-notes" in block["c"][0][1]:
                out.append(_el("Para", _text_inlines(dict(block["c"][0][2])["endnotes"])))
            elif block["t"] == "Figure":
                _attr_, (_short, caption), content = block["c"]
                out.extend(_el("Para", item["c"]) for item in caption if item["t"] in ("Plain", "Para"))
                out.extend(_el("Para", item["c"]) for item in content if item["t"] in ("Plain", "Para"))
            else:
                out.append(block)
        return out

    meta = ast["meta"]
    top = [_el("Para", meta[key]["c"]) for key in ("title", "subtitle") if key in meta]
    return {**ast, "meta": {}, "blocks": calls(top + blocks(ast["blocks"]))}


def html_to_document(html: str, api_version: list[int]) -> Document:
    """The brief's HTML as pandoc's document model: title and subtitle as the document's, sections as
    headings, each page-foot note as a note, charts as figures with their alt text, tables as tables."""
    root = parse_html(html)
    page = root.find("html") or root
    body = root.find("body") or page
    converter = _Converter(numbered="numbered" in page.classes)
    blocks = converter.blocks(body)
    meta: dict = {}
    if converter.title:
        meta["title"] = _el("MetaInlines", converter.title)
    if converter.subtitle:
        meta["subtitle"] = _el("MetaInlines", converter.subtitle)
    if page.attrs.get("lang"):
        meta["lang"] = _el("MetaString", page.attrs["lang"])
    facts = _head_meta(root.find("head"))
    if facts.get("author"):  # the Word file's author (dc:creator), as the PDF's
        meta["author"] = _el("MetaList", [_el("MetaInlines", _text_inlines(facts["author"]))])
    if facts.get("keywords"):
        meta["keywords"] = _el("MetaList", [_el("MetaInlines", _text_inlines(word.strip()))
                                            for word in facts["keywords"].split(",") if word.strip()])
    if facts.get("dcterms.created"):
        meta["date"] = _el("MetaString", facts["dcterms.created"])
    ast = {"pandoc-api-version": api_version, "meta": meta, "blocks": blocks}
    return Document(ast, converter.notes, converter.images, converter.tables)


# ------------------------------------------------------------------------------------------- pandoc

def _head_meta(head: _Node | None) -> dict[str, str]:
    """The <meta name=... content=...> pairs of the HTML's head."""
    found = {}
    for child in head.children if head is not None else ():
        if isinstance(child, _Node) and child.tag == "meta" and child.attrs.get("name"):
            found[child.attrs["name"]] = child.attrs.get("content", "")
    return found


class PandocMissing(DataError):
    """pandoc is not installed or cannot be started (one line, exit 1, nothing written)."""


def pandoc_path() -> str:
    """The pandoc that the pypandoc-binary wheel ships (or one pypandoc finds)."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:
        raise PandocMissing([Problem("pandoc", "--docx and --txt need pandoc: install the pypandoc-binary "
                                               f"package (pip install pypandoc-binary); {printable(error, 120)}")]) \
            from None


_API_VERSION: dict[str, list[int]] = {}


def _run_pandoc(arguments: list[str], data: bytes, *, date: dt.date | None = None) -> bytes:
    pandoc = pandoc_path()
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    if date is not None:  # the file's own dates: the brief's, so identical inputs give identical files
        epoch = dt.datetime.combine(date, dt.time(12), tzinfo=dt.timezone.utc).timestamp()
        environment["SOURCE_DATE_EPOCH"] = str(int(epoch))
    command = [pandoc, "+RTS", f"-M{PANDOC_MEMORY}", "-RTS", "--sandbox", *arguments]
    try:
        finished = subprocess.run(command, input=data, capture_output=True, timeout=PANDOC_TIMEOUT,
                                  env=environment, cwd=os.path.dirname(pandoc) or None)
    except subprocess.TimeoutExpired:
        raise DataError([Problem("pandoc", f"expected the conversion to finish within {PANDOC_TIMEOUT} s; "
                                           "it did not, and nothing was written")]) from None
    except OSError as error:
        raise PandocMissing([Problem("pandoc", f"cannot run pandoc: {error.strerror or error}")]) from None
    if finished.returncode != 0:
        message = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DataError([Problem("pandoc", f"conversion failed (exit {finished.returncode}): "
                                           f"{printable(message[0] if message else 'no message', 200)}")])
    return finished.stdout


def api_version() -> list[int]:
    """The version of pandoc's document model that this pandoc reads (asked once per process)."""
    if "version" not in _API_VERSION:
        output = _run_pandoc(["-f", "markdown", "-t", "json"], b"")
        _API_VERSION["version"] = json.loads(output)["pandoc-api-version"]
    return _API_VERSION["version"]


def convert(document: Document, suffix: str, *, date: dt.date | None = None) -> bytes:
    """One edition's bytes in the format named by its file suffix (.docx or .txt)."""
    target = EXPORT_FORMATS[suffix]
    arguments = ["-f", "json", "-t", target, "-o", "-"]
    ast = document.ast
    if target == "docx":
        ast = _pictures_as_png(ast)
    if target == "plain":
        arguments += [f"--columns={TEXT_COLUMNS}", "--wrap=auto"]
        ast = for_text(ast)
    output = _run_pandoc(arguments, json.dumps(ast).encode("utf-8"), date=date)
    if target == "docx":
        output = _finish_docx(output, created=date or _document_date(document))
    return output


def _document_date(document: Document) -> dt.date | None:
    stamp = document.ast["meta"].get("date", {}).get("c")
    try:
        return dt.date.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


def _finish_docx(docx: bytes, *, created: dt.date | None = None) -> bytes:
    """Three touches to pandoc's Word file. pandoc names each picture by its source, which for a chart is
    its whole data: URL: it is named by its alt text, as its description already is, so the file does
    not carry every chart twice. Notes are numbered continuously through the document, as in the PDF
    (pandoc's "each section" restarts them on every page in LibreOffice). And the file is created and
    modified on the brief's date (pandoc's sandbox leaves 1970-01-01), so identical inputs give identical
    files."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                names = iter(re.findall(r'<wp:docPr\b[^>]*?\bdescr="([^"]*)"', text))
                text = re.sub(r'(<pic:cNvPr\b[^>]*?\bdescr=")data:[^"]*(")',
                              lambda match: match[1] + next(names, "") + match[2], text)
                text = text.replace('<w:numRestart w:val="eachSect" />', '<w:numRestart w:val="continuous" />')
                data = text.encode("utf-8")
            elif info.filename == "docProps/core.xml" and created is not None:
                stamp = f"{created.isoformat()}T12:00:00Z"
                data = re.sub(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda match: match[1] + stamp.encode() + match[3], data)
            target.writestr(info, data)
    return out.getvalue()


def export_editions(html: str, suffixes, *, date: dt.date | None = None) -> list[tuple[str, bytes, Document]]:
    """Each requested edition (suffix, bytes, the document it came from), from the PDF's own HTML."""
    suffixes = list(dict.fromkeys(suffixes))
    if not suffixes:
        return []
    document = html_to_document(html, api_version())
    editions = []
    for suffix in suffixes:
        editions.append((suffix, convert(document, suffix, date=date), document))
        LOG.info("converted the edition to %s (%d notes, %d tables, %d charts)", suffix, document.notes,
                 document.tables, document.images)
    return editions
