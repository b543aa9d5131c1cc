"""Turn rendered HTML into a PDF with WeasyPrint, offline, and write it atomically."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import DataError, Problem

LOG = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ALLOWED_ROOTS = (PROJECT_ROOT / "templates", PROJECT_ROOT / "fonts")


def _weasyprint():
    import weasyprint

    return weasyprint


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
                raise FetchRefused(f"refused to fetch {url!r}: rendering never uses the network")
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise FetchRefused(f"refused to read {url!r}: outside the project's templates and fonts")
            body = path.read_bytes()
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})

    return RestrictedFetcher(allowed_protocols=("file", "data"))


_SHARED: dict = {}


def _shared(name: str, make):
    """One font configuration and resource cache per process, reused by every brief it builds."""
    if name not in _SHARED:
        _SHARED[name] = make()
    return _SHARED[name]


def render_pdf(html: str, *, pdf_variant: str | None, identifier: str | None = None):
    """Lay out `html` and return (pdf_bytes, page_count); no file is touched."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    base_url = (PROJECT_ROOT / "templates").as_uri() + "/"
    font_config = _shared("fonts", FontConfiguration)
    fetcher = _shared("fetcher", make_url_fetcher)
    cache = _shared("cache", dict)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        font_config=font_config, cache=cache)
    identifier = identifier or hashlib.sha256(html.encode()).hexdigest()[:32]
    options = {"pdf_identifier": identifier.encode(), "uncompressed_pdf": False}
    if pdf_variant and pdf_variant != "none":
        options["pdf_variant"] = pdf_variant
    pdf = document.write_pdf(**options)
    if pdf_variant and pdf_variant != "none":
        pdf = add_header_scopes(pdf)
    return pdf, len(document.pages)


def add_header_scopes(pdf: bytes) -> bytes:
    """Give every tagged table header cell a /Scope (Column in a THead, Row in a TBody), so screen
    readers can associate headers with data cells (PDF/UA-1 7.5); WeasyPrint does not write it."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        changed = False
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


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` only once the new bytes are fully on disk; a failure leaves the old file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise DataError([Problem(str(path), f"cannot write the output: {error.strerror or error}")]) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
