"""Draw the charts an edition needs as SVG (vector), cached on disk by a hash of their inputs."""

from __future__ import annotations

import base64
import hashlib
import importlib
import inspect
import io
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

LOG = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = PROJECT_ROOT / ".cache" / "charts"


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
    style = importlib.import_module("charts._style")
    digest = hashlib.sha256()
    digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    digest.update(inspect.getsource(module).encode())
    digest.update(inspect.getsource(style).encode())
    return digest.hexdigest()[:20]


def render_chart(name: str, content, *, cache_dir: Path | None = None) -> RenderedChart:
    """Prepare a chart's data, then draw it, or reuse the SVG drawn for identical inputs."""
    module = importlib.import_module(f"charts.{name}")
    data = module.prepare(content)
    cache_dir = Path(os.environ.get("POLICYBRIEF_CHART_CACHE", cache_dir or DEFAULT_CACHE))
    cached = cache_dir / f"{name}-{_fingerprint(module, data)}.svg"
    if cached.exists():
        LOG.debug("chart %s: reused %s", name, cached.name)
        svg = cached.read_bytes()
    else:
        LOG.info("chart %s: drawing", name)
        figure = module.draw(data)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        import matplotlib.pyplot

        matplotlib.pyplot.close(figure)
        svg = buffer.getvalue()
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(svg)
            temporary.replace(cached)
        except OSError as error:  # a read-only checkout still builds, just without the cache
            LOG.warning("chart cache not written (%s)", error)
    headers, rows = module.table(data)
    return RenderedChart(name=name, title=module.TITLE, svg=svg, caption=module.caption(data),
                         alt=module.alt_text(data), table_headers=headers, table_rows=rows,
                         sources=tuple(module.sources(data)), figure_ids=tuple(module.figure_ids(data)))
