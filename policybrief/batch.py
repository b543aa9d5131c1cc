"""Build one brief per jurisdiction across processes; bad names are reported at the end, not fatal."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TextIO

from .errors import DataError, UsageError

LOG = logging.getLogger(__name__)
_WORKER: dict = {}


def _start_worker(data_dir: Path) -> None:
    """Load the data and import the heavy libraries once per worker process, not once per brief."""
    import weasyprint  # noqa: F401 - imported for its start-up cost
    from .validate import load_content

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    _WORKER["content"] = load_content(data_dir)


def _build(name: str, audience: str, out_dir: Path, date, prepared_for, write_html: bool):
    from .build import build_brief, output_name
    from .local import resolve_jurisdiction
    from .render import BriefOptions

    content = _WORKER["content"]
    jurisdiction = resolve_jurisdiction(name, content)
    options = BriefOptions(date=date, prepared_for=prepared_for, jurisdiction=jurisdiction)
    result = build_brief(audience, data_dir=content.data_dir, out=out_dir / output_name(audience, jurisdiction),
                         options=options, write_html=write_html, content=content)
    return str(result.pdf), result.pages


def run_batch(content, audiences: list[str], names: list[str], args, date, stdout: TextIO,
              stderr: TextIO) -> int:
    """One brief per (audience, jurisdiction); a progress bar on stdout; exit status 1 if any failed."""
    if not names:
        raise UsageError("the jurisdiction list is empty")
    out_dir = args.out or Path(content.data_dir).resolve().parent / "briefs"
    if out_dir.suffix == ".pdf":
        raise UsageError("with a batch, --out names a folder, not a PDF file")
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = [(name, audience) for name in names for audience in audiences]
    failures: list[str] = []
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), initializer=_start_worker,
                             initargs=(content.data_dir,)) as pool:
        futures = {pool.submit(_build, name, audience, out_dir, date, args.prepared_for, args.html): (name, audience)
                   for name, audience in tasks}
        for done, future in enumerate(as_completed(futures), start=1):
            name, audience = futures[future]
            try:
                pdf, pages = future.result()
                status = f"{Path(pdf).name} ({pages} pages)"
            except (UsageError, DataError) as error:
                failures.append(f"{name!r} ({audience}): {str(error).splitlines()[0]}")
                status = f"FAILED {name!r}"
            filled = int(30 * done / len(tasks))
            stdout.write(f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{len(tasks)} {status}\n")
            stdout.flush()
    elapsed = time.perf_counter() - started
    stdout.write(f"built {len(tasks) - len(failures)} of {len(tasks)} briefs in {elapsed:.1f} s into {out_dir}\n")
    for failure in failures:
        stderr.write(f"failed: {failure}\n")
    return 1 if failures else 0
