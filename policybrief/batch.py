"""Batches of local editions: the job list for `--jurisdiction-list` and `--state`.

The jobs run on the one executor in `policybrief.pool` (shared with `--audience all`); a bad name is
reported at the end, not fatal."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TextIO

from .errors import UsageError
from .pool import Job, Settings, print_summary, run_jobs

LOG = logging.getLogger(__name__)


def batch_jobs(audiences: list[str], names: list[str]) -> list[Job]:
    """One job per (jurisdiction, audience), in list order; each file is named after its jurisdiction."""
    if not names:
        raise UsageError("the jurisdiction list is empty")
    return [Job(audience, name) for name in names for audience in audiences]


def batch_folder(content, out: Path | None) -> Path:
    out_dir = out or Path(content.data_dir).resolve().parent / "briefs"
    if out_dir.suffix.lower() == ".pdf":
        raise UsageError("with a batch, --out names a folder, not a PDF file")
    return out_dir


def run_batch(content, audiences: list[str], names: list[str], args, date, stdout: TextIO,
              stderr: TextIO, shown=str) -> int:
    """One brief per (audience, jurisdiction); a progress line each; exit status 1 if any failed."""
    jobs = batch_jobs(audiences, names)
    out_dir = batch_folder(content, args.out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out: cannot create the folder {out_dir}: {error.strerror or error}") from None
    settings = Settings(data_dir=content.data_dir, date=date, prepared_for=args.prepared_for,
                        write_html=args.html, out_dir=out_dir)
    summary = run_jobs(jobs, settings, workers=max(1, args.jobs), content=content, stdout=stdout,
                       stderr=stderr, shown=shown)
    print_summary(summary, stdout, stderr, shown)
    return 1 if summary.failed else 0
