"""Draw the charts an edition needs as SVG (vector), cached on disk by a hash of their inputs.

The cache is never trusted blindly: each entry is named by the full SHA-256 of the chart's inputs (its
data, its module's source and the shared style) and carries an HMAC-SHA256 of that key and the SVG,
made with a secret kept beside the cache (created on first use, readable by its owner only). A planted,
altered or truncated SVG fails the check and is drawn again."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import inspect
import io
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from . import resources

LOG = logging.getLogger(__name__)
PROJECT_ROOT = resources.ROOT
DEFAULT_CACHE = resources.DEFAULT_CHART_CACHE  # never inside an installation


@dataclass(frozen=True)
class RenderedChart:
    name: str
    title: str
    svg: bytes
    caption: str
    alt: str
    table_headers: list[str]
    table_rows: list[list[str]]
    sources: tuple[str, ...] = ()  # ids of the sources the chart's data comes from
    figure_ids: tuple[str, ...] = ()  # the sourced figures it plots, for the edition's "as of" date

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def _fingerprint(module, data: dict) -> str:
    style = resources.chart_module("_style")
    digest = hashlib.sha256()
    digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    digest.update(inspect.getsource(module).encode())
    digest.update(inspect.getsource(style).encode())
    return digest.hexdigest()


SECRET_NAME = ".secret"
MAX_SVG_BYTES = 5_000_000


def _secret(cache_dir: Path, *, create: bool) -> bytes | None:
    """The cache's HMAC key: 32 random bytes in `cache_dir/.secret`, owner-only (None if unusable)."""
    path = cache_dir / SECRET_NAME
    try:
        info = os.lstat(path)
        if not (os.path.isfile(path) and not os.path.islink(path)) or info.st_mode & 0o077 \
                or info.st_uid != os.getuid():
            LOG.warning("chart cache secret %s is not a private file of this user; not using the cache", path)
            return None
        secret = path.read_bytes()
        return secret if len(secret) == 32 else None
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(os.urandom(32))
    except FileExistsError:
        pass
    except OSError as error:
        LOG.warning("chart cache not written (%s)", error)
        return None
    return _secret(cache_dir, create=False)


def _seal(secret: bytes, key: str, svg: bytes) -> bytes:
    return hmac.new(secret, key.encode() + b"\0" + svg, hashlib.sha256).hexdigest().encode()


def _read_cached(path: Path, key: str, secret: bytes | None) -> bytes | None:
    """The cached SVG for `key` if its seal verifies; None (draw again) otherwise."""
    if secret is None or not os.path.isfile(path) or os.path.islink(path):
        return None
    try:
        if os.path.getsize(path) > MAX_SVG_BYTES + 200:
            return None
        blob = path.read_bytes()
    except OSError:
        return None
    seal, _, svg = blob.partition(b"\n")
    if hmac.compare_digest(seal, _seal(secret, key, svg)) and svg.lstrip().startswith((b"<?xml", b"<svg")):
        return svg
    LOG.warning("chart cache entry %s failed its check (altered or not made here); drawing it again", path.name)
    return None


def render_chart(name: str, content, *, cache_dir: Path | None = None) -> RenderedChart:
    """Prepare a chart's data, then draw it, or reuse the SVG drawn for identical inputs."""
    module = resources.chart_module(name)
    data = module.prepare(content)
    cache_dir = Path(os.environ.get("POLICYBRIEF_CHART_CACHE", cache_dir or DEFAULT_CACHE))
    key = f"{name}-{_fingerprint(module, data)}"
    cached = cache_dir / f"{key}.svg"
    secret = _secret(cache_dir, create=True)
    svg = _read_cached(cached, key, secret)
    if svg is not None:
        LOG.debug("chart %s: reused %s", name, cached.name)
    else:
        LOG.info("chart %s: drawing", name)
        from . import interrupt

        with interrupt.deferred():  # matplotlib's first import may build its font cache in a subprocess
            figure = module.draw(data)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
            import matplotlib.pyplot

            matplotlib.pyplot.close(figure)
        svg = buffer.getvalue()
        if secret is not None and len(svg) <= MAX_SVG_BYTES:
            temporary = cached.with_suffix(f".{os.getpid()}.tmp")
            try:
                temporary.write_bytes(_seal(secret, key, svg) + b"\n" + svg)
                temporary.replace(cached)
            except OSError as error:  # a read-only checkout still builds, just without the cache
                LOG.warning("chart cache not written (%s)", error)
            finally:
                temporary.unlink(missing_ok=True)
    headers, rows = module.table(data)
    return RenderedChart(name=name, title=module.TITLE, svg=svg, caption=module.caption(data),
                         alt=module.alt_text(data), table_headers=headers, table_rows=rows,
                         sources=tuple(module.sources(data)), figure_ids=tuple(module.figure_ids(data)))
