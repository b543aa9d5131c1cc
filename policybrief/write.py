"""Turn rendered HTML into a PDF with WeasyPrint, offline, and write it atomically."""

from __future__ import annotations

import atexit
import hashlib
import html as html_module
import logging
import mimetypes
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from . import interrupt, resources
from .errors import DataError, Problem, printable
from .pages import loose_pages, note_calls, notes_by_page

LOG = logging.getLogger(__name__)
PROJECT_ROOT = resources.ROOT
ALLOWED_ROOTS = (resources.TEMPLATE_DIR, resources.FONT_DIR)


def _weasyprint():
    # The first import looks libraries up with ctypes, which may run the compiler with temporary
    # files: a signal during it would orphan them, so it waits for the import to finish.
    with interrupt.deferred():
        from .native import import_weasyprint

        return import_weasyprint()


class FetchRefused(ValueError):
    """A resource outside the project's templates and fonts, or on the network."""


def make_url_fetcher(allowed_roots=ALLOWED_ROOTS):
    """A WeasyPrint URL fetcher that serves only data: URLs and files under `allowed_roots`."""
    weasyprint = _weasyprint()
    roots = tuple(Path(root).resolve() for root in allowed_roots)

    class RestrictedFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                LOG.info("refused %s: rendering never uses the network", printable(url, 120))
                raise FetchRefused(f"refused to fetch {printable(url, 120)!r}: rendering never uses the network")
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                LOG.info("refused %s: outside the project's templates and fonts", printable(url, 120))
                raise FetchRefused(f"refused to read {printable(url, 120)!r}: outside the project's templates and fonts")
            body = path.read_bytes()
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})

    return RestrictedFetcher(allowed_protocols=("file", "data"))


_SHARED: dict = {}


def _shared(name: str, make):
    """One font configuration and resource cache per process, reused by every brief it builds. A forked
    worker makes its own: what it inherited belongs to its parent (and so does the font folder)."""
    if _SHARED.get("pid") != os.getpid():
        inherited = _SHARED.get("fonts")
        if inherited is not None:  # its destructor would remove the parent's font folder
            inherited._folder = None
        _SHARED.clear()
        _SHARED["pid"] = os.getpid()
    if name not in _SHARED:
        _SHARED[name] = make()
    return _SHARED[name]


def lay_out(html: str, *, policy_applied: bool = False):
    """Lay out `html` (after the resource policy, unless already applied) into WeasyPrint's pages, offline."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    base_url = resources.TEMPLATE_DIR.as_uri() + "/"
    font_config = _shared("fonts", FontConfiguration)
    fetcher = _shared("fetcher", make_url_fetcher)
    cache = _shared("cache", dict)
    html = html if policy_applied else apply_resource_policy(html)
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        font_config=font_config, cache=cache)


# WeasyPrint can misplace a page-foot note: under some page breaks (run-in notes especially) a note prints
# on the next page, away from its call, or not at all. A layout that does so is never written; these
# variants, tried in order, change only how paragraphs may split and whether a note's whole paragraph
# moves with it (footnote-policy: block), which moves the page breaks.
_SPLITS = ("p, li, dd { orphans: 3 !important; widows: 3 !important; }",
           "p, li, dd { orphans: 1 !important; widows: 1 !important; }",
           "p, li, dd { orphans: 4 !important; widows: 4 !important; }")
_WHOLE_PARAGRAPH = ".footnote { footnote-policy: block !important; }"
NOTE_LAYOUT_VARIANTS = (*_SPLITS, _WHOLE_PARAGRAPH, *(f"{split}\n{_WHOLE_PARAGRAPH}" for split in _SPLITS))


def misplaced_notes(document) -> list[tuple[int, int, int | None]]:
    """Notes not printed on the page of their call, as (note number, page of the call, page printed on or
    None when the note printed nowhere), from WeasyPrint's laid-out pages."""
    called = note_calls(document.pages)
    printed = notes_by_page(document.pages, "footnote-marker", in_notes=True)
    return [(index, page, printed.get(key)) for index, (key, page) in enumerate(called.items(), start=1)
            if printed.get(key) != page]


def _misplaced_problem(label: str, misplaced) -> Problem:
    number, call_page, note_page = misplaced[0]
    where = f"on page {note_page}" if note_page else "nowhere"
    return Problem(label, f"note {number} (called on page {call_page}) would print {where}, and no layout tried "
                          "keeps every note on the page of its call; nothing was written. Shorten the text near "
                          "it, or change --prepared-for or --date")


def lay_out_with_notes_in_place(html: str, *, fits=None, label: str = "brief"):
    """Lay out `html` (resource policy applied) so that every note prints on the page of its call, within
    `fits(page_count)` when given: the layout as styled, else the first variant of NOTE_LAYOUT_VARIANTS that
    keeps every note in place and fits. A DataError when none does."""
    document = lay_out(html, policy_applied=True)
    misplaced = misplaced_notes(document)
    if not misplaced:
        return document
    for css in NOTE_LAYOUT_VARIANTS:
        interrupt.check()
        candidate = lay_out(html.replace("</style>", css + "\n</style>", 1), policy_applied=True)
        if not misplaced_notes(candidate) and (fits is None or fits(len(candidate.pages))):
            LOG.info("%s: notes kept on the pages of their calls by the layout variant %r", label, css)
            return candidate
    raise DataError([_misplaced_problem(label, misplaced)])


class RenderedPdf(NamedTuple):
    pdf: bytes
    pages: int
    loose: tuple[tuple[int, float], ...]  # pages left part empty for no reason (pages.loose_pages)


def render_pdf(html: str, *, pdf_variant: str | None, identifier: str | None = None, fits=None,
               label: str = "brief", national_parts=None) -> RenderedPdf:
    """Lay out `html` and return the PDF's bytes, its page count and its loose pages; no file is touched. Every note prints on the page
    of its call (lay_out_with_notes_in_place), within `fits(page_count)` when a variant is needed. With
    `national_parts` (a batch's `splice.NationalParts`), a local edition whose national part starts on a
    page of its own reuses that part as laid out for an earlier brief; the file is the one a single build
    writes (policybrief.splice)."""
    html = apply_resource_policy(html)
    from . import splice

    def whole(text: str):
        return lay_out_with_notes_in_place(text, fits=fits, label=label)

    if splice.splits(html):
        document = splice.lay_out_local(html, national_parts, lambda part: lay_out(part, policy_applied=True),
                                        whole=whole, misplaced=misplaced_notes, fits=fits, label=label)
    else:  # not a local edition with one local section: no page break after it either
        document = whole(splice.flowing(html))
    identifier = identifier or hashlib.sha256(html.encode()).hexdigest()[:32]
    options = {"pdf_identifier": identifier.encode(), "uncompressed_pdf": False}
    # WeasyPrint writes one variant per file: "pdf/a-3a+ua-1" is its PDF/A-3a (tagged, like its PDF/UA-1)
    # with the PDF/UA-1 identification added to the metadata afterwards.
    also_ua = pdf_variant == "pdf/a-3a+ua-1"
    weasyprint_variant = "pdf/a-3a" if also_ua else pdf_variant
    if weasyprint_variant and weasyprint_variant != "none":
        options["pdf_variant"] = weasyprint_variant
    pdf = document.write_pdf(**options)
    if weasyprint_variant and weasyprint_variant != "none":
        pdf = add_header_scopes(pdf, declare_ua=also_ua)
    # WeasyPrint swallows BaseException while drawing SVG images: a Ctrl-C there is only in the flag.
    interrupt.check()
    return RenderedPdf(pdf, len(document.pages), loose_pages(document.pages))


# The PDF/UA identification, and the extension schema PDF/A requires for a namespace it does not predefine
# (ISO 19005-3, 6.6.2.3), as the PDF Association's guide to conforming to both standards gives them.
PDFUA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
"""


def _declare_ua(document) -> None:
    """Add the PDF/UA-1 identification to the XMP metadata of a tagged PDF/A file."""
    import pikepdf

    stream = document.Root.Metadata
    xmp = stream.read_bytes()
    if b"pdfuaid:part" in xmp:
        return
    end = xmp.rindex(b"</rdf:RDF>")
    stream.write(xmp[:end] + PDFUA_XMP + xmp[end:])
    stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML


def add_header_scopes(pdf: bytes, *, declare_ua: bool = False) -> bytes:
    """Give every tagged table header cell a /Scope (Column in a THead, Row in a TBody), so screen
    readers can associate headers with data cells (PDF/UA-1 7.5); WeasyPrint does not write it. With
    `declare_ua`, the metadata also declares PDF/UA-1 (for a PDF/A-3a file, tagged the same way)."""
    import io

    with interrupt.deferred():  # a native extension: never interrupted while it initialises
        import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        changed = declare_ua
        if declare_ua:
            _declare_ua(document)
        pending = [(document.Root.StructTreeRoot, None)]
        while pending:
            node, section = pending.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            kind = node.get("/S")
            if kind in ("/THead", "/TBody", "/TFoot"):
                section = kind
            if kind == "/TH" and section is not None:
                attributes = node.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    node.A = attributes
                if "/Scope" not in attributes:
                    attributes.Scope = pikepdf.Name.Column if section == "/THead" else pikepdf.Name.Row
                    changed = True
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                pending.extend((kid, section) for kid in kids)
            elif isinstance(kids, pikepdf.Dictionary):
                pending.append((kids, section))
        if not changed:
            return pdf
        out = io.BytesIO()
        # A content-derived file identifier keeps identical inputs byte-identical.
        document.save(out, deterministic_id=True)
        return out.getvalue()


# ------------------------------------------------------------------------------- resource policy

_RESOURCE_TAG_RE = re.compile(r"<(img|image|source|video|audio|iframe|embed|object|link|script|input|track|frame)\b"
                              r"[^>]*>", re.IGNORECASE)
_URL_ATTRIBUTE_RE = re.compile(r"\s(?:src|srcset|href|data|poster|xlink:href)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)",
                               re.IGNORECASE)


def resource_allowed(url: str, allowed_roots=ALLOWED_ROOTS) -> bool:
    """The policy of both editions: data: URLs, and files under the project's templates and fonts."""
    url = html_module.unescape(url).strip()
    scheme = urlsplit(url).scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    path = Path(unquote(urlsplit(url).path)).resolve()
    return any(path.is_relative_to(Path(root).resolve()) for root in allowed_roots)


def apply_resource_policy(html: str) -> str:
    """Remove every element that would load a resource the PDF's fetcher refuses (for the HTML edition,
    which a browser would otherwise fetch); each removal is logged (shown with --verbose)."""

    def check(match: re.Match) -> str:
        tag = match[0]
        for attribute in _URL_ATTRIBUTE_RE.finditer(tag):
            value = attribute[1].strip("\"'")
            urls = [part.split()[0] for part in value.split(",") if part.split()] if "srcset" in attribute[0].lower() \
                else [value]
            for url in urls:
                if not resource_allowed(url):
                    LOG.info("refused %s %s in the HTML edition: it never loads remote or outside resources",
                             match[1].lower(), printable(url, 120))
                    return ""
        return tag

    return _RESOURCE_TAG_RE.sub(check, html)


def cleanup() -> None:
    """Remove the temporary folder WeasyPrint's shared font configuration keeps its fonts in
    (`weasyprint-*` under the temporary directory); it is otherwise removed only by a destructor."""
    if _SHARED.get("pid") != os.getpid():  # inherited through fork: the parent removes its own
        return
    fonts = _SHARED.pop("fonts", None)
    folder = getattr(fonts, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        fonts._folder = None


atexit.register(cleanup)
