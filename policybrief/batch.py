"""Batches of local editions: the job list for `--jurisdiction-list` and `--state`.

The jobs run on the one executor in `policybrief.pool` (shared with `--audience all`); a bad name is
reported at the end, not fatal."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import UsageError
from .resources import DEFAULT_DATA, DEFAULT_OUT
from .pool import Job, Outcome, Settings, Summary, run_jobs

LOG = logging.getLogger(__name__)


def batch_jobs(audiences: list[str], names: list[str], content=None, out_dir: Path | None = None) -> list[Job]:
    """One job per (jurisdiction, audience), in list order; each file is named after its jurisdiction.

    With `content` and `out_dir`, each name is resolved here once so that a county's or independent
    city's file name starts with its FIPS code (``council-13015-bartow-county-ga.pdf``); a name that does
    not resolve keeps the default path and fails in its job, where the problem is reported.
    """
    if not names:
        raise UsageError("the jurisdiction list is empty")
    jobs = []
    writers: dict[Path, str] = {}  # a file name -> the jurisdiction whose brief it holds
    for name in names:
        jurisdiction = _resolved(name, content) if content is not None and out_dir is not None else None
        for audience in audiences:
            out = out_dir / batch_file_name(audience, jurisdiction) if jurisdiction is not None else None
            if out in writers:  # checked before anything is built: the second brief would overwrite the first
                raise UsageError(f"{writers[out]!r} and {name!r} would both be written to {out.name}: "
                                 "list each jurisdiction once")
            if out is not None:
                writers[out] = name
            jobs.append(Job(audience, name, out))
    return jobs


def _resolved(name: str, content):
    from .local import resolve_jurisdiction

    try:
        return resolve_jurisdiction(name, content)
    except UsageError:
        return None


def batch_file_name(audience: str, jurisdiction) -> str:
    """'council-13015-bartow-county-ga.pdf': the FIPS code first where the jurisdiction has one (at most 50
    characters, shortened as `build.output_name` does)."""
    from .build import output_name

    return output_name(audience, jurisdiction, with_fips=True)


MANIFEST_COLUMNS = ("file", "audience", "jurisdiction", "kind", "county_fips", "agreements", "pending", "notices")


def manifest_rows(summary, content, date) -> list[dict]:
    """One row per job of a finished batch: the file written (or '' when it failed), the jurisdiction, its
    county FIPS code(s), the agreements found on ICE's list, and the notices its local section prints."""
    from .local import local_notices

    rows = []
    for outcome in summary.outcomes:
        job = outcome.job
        jurisdiction = _resolved(job.jurisdiction, content) if job.jurisdiction else None
        notices = list(outcome.problems) if not outcome.ok else []
        if jurisdiction is not None:
            notices += local_notices(jurisdiction, content, date)
            fips = jurisdiction.fips or ";".join(place.fips for place in getattr(jurisdiction, "counties", ()))
        else:
            fips = ""
        rows.append({
            "file": outcome.pdf.name if outcome.ok else "",
            "audience": job.audience,
            "jurisdiction": jurisdiction.name if jurisdiction is not None else job.jurisdiction,
            "kind": jurisdiction.kind if jurisdiction is not None else "",
            "county_fips": fips,
            "agreements": len(jurisdiction.agreements) if jurisdiction is not None else 0,
            "pending": len(jurisdiction.pending) if jurisdiction is not None else 0,
            "notices": notices,
        })
    return sorted(rows, key=lambda row: (row["county_fips"] == "", row["county_fips"], row["jurisdiction"],
                                         row["audience"]))


def write_manifest(out_dir: Path, rows: list[dict]) -> tuple[Path, Path]:
    """manifest.csv and manifest.json beside the PDFs (notices joined by ' | ' in the CSV)."""
    import csv
    import io
    import json

    from .files import write_atomically

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "notices": " | ".join(row["notices"])})
    csv_path, json_path = out_dir / "manifest.csv", out_dir / "manifest.json"
    write_atomically(csv_path, buffer.getvalue().encode("utf-8"))
    write_atomically(json_path, (json.dumps(rows, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return csv_path, json_path


def batch_folder(content, out: Path | None) -> Path:
    out_dir = out or (DEFAULT_OUT if Path(content.data_dir).resolve() == DEFAULT_DATA.resolve()
                      else Path(content.data_dir).resolve().parent / "briefs")  # never into an installation
    if out_dir.suffix.lower() == ".pdf":
        raise UsageError("with a batch, --out names a folder, not a PDF file")
    return out_dir


@dataclass(frozen=True)
class BatchResult:
    """A finished batch: what was built and not, and the manifest written beside the briefs."""

    summary: Summary
    manifest: tuple[Path, Path]


def run_batch(content, audiences: list[str], names: list[str], args, date,
              on_outcome: Callable[[Outcome], None] | None = None) -> BatchResult:
    """One brief per (audience, jurisdiction), `on_outcome` told of each as it finishes, then the manifest."""
    out_dir = batch_folder(content, args.out)
    jobs = batch_jobs(audiences, names, content, out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out: cannot create the folder {out_dir}: {error.strerror or error}") from None
    exports = tuple(suffix for suffix, wanted in ((".docx", getattr(args, "docx", False)),
                                                  (".txt", getattr(args, "txt", False))) if wanted)
    settings = Settings(data_dir=content.data_dir, date=date, prepared_for=args.prepared_for,
                        write_html=args.html, out_dir=out_dir, exports=exports)
    summary = run_jobs(jobs, settings, workers=max(1, args.jobs), content=content, on_outcome=on_outcome)
    return BatchResult(summary, write_manifest(out_dir, manifest_rows(summary, content, date)))
