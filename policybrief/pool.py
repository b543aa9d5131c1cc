"""One executor for every run of several briefs (`--audience all`, `--jurisdiction-list`, `--state`).

The caller makes the job list (`Job`: an edition, an optional jurisdiction and where its PDF goes);
`run_jobs` builds them, in worker processes when there are several and `workers > 1`, and reports each
as it finishes. SIGINT or SIGTERM cancels the jobs not yet started, stops the workers (each removes its
temporary files and leaves every PDF already written intact), and `run_jobs` raises `Interrupted` with
the summary of what was built and what was not already printed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import signal
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import interrupt
from .errors import DataError, Interrupted, UsageError, printable
from .splice import NationalParts

LOG = logging.getLogger(__name__)
_WORKER: dict = {}


@dataclass(frozen=True)
class Job:
    """One brief to build: an edition, a jurisdiction to resolve (or None) and its output PDF (or None
    for the default path)."""

    audience: str
    jurisdiction: str | None = None
    out: Path | None = None

    @property
    def label(self) -> str:
        if self.jurisdiction is None:
            return self.audience
        return f"{printable(repr(self.jurisdiction), 120)} ({self.audience})"


@dataclass(frozen=True)
class Settings:
    """What every job of a run shares."""

    data_dir: Path
    date: dt.date
    prepared_for: str | None = None
    write_html: bool = False
    exports: tuple[str, ...] = ()  # further editions by suffix: ".docx", ".txt"
    out_dir: Path | None = None  # a jurisdiction's file name goes here when its job has no `out`


@dataclass
class Outcome:
    """A finished job: the brief written, or the problems that stopped it (one line each)."""

    job: Job
    pdf: Path | None = None
    html: Path | None = None
    pages: int = 0
    notes: int = 0
    findings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.pdf is not None


@dataclass
class Summary:
    outcomes: list[Outcome]
    not_built: list[Job]
    elapsed: float
    interrupted: int | None = None  # the signal that stopped the run

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.ok]

    @property
    def built(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.ok]


def _build(job: Job, settings: Settings, content, content_findings: dict | None = None,
           national_parts=None) -> Outcome:
    """Build one job in this process; data and usage problems become the outcome's problems.
    `content_findings` carries the content checks from one brief of the run to the next, and
    `national_parts` (a `splice.NationalParts`) the national parts laid out so far."""
    from .build import build_brief, output_name
    from .local import resolve_jurisdiction
    from .render import BriefOptions

    try:
        jurisdiction = resolve_jurisdiction(job.jurisdiction, content) if job.jurisdiction else None
        out = job.out
        if out is None and settings.out_dir is not None:
            out = settings.out_dir / output_name(job.audience, jurisdiction)
        options = BriefOptions(date=settings.date, prepared_for=settings.prepared_for, jurisdiction=jurisdiction)
        result = build_brief(job.audience, data_dir=settings.data_dir, out=out, options=options,
                             write_html=settings.write_html, content=content,
                             content_findings=content_findings, exports=settings.exports,
                             national_parts=national_parts)
    except UsageError as error:
        return Outcome(job, problems=[str(error)])
    except DataError as error:
        return Outcome(job, problems=[str(problem) for problem in error.problems])
    return Outcome(job, pdf=result.pdf, html=result.html, pages=result.pages, notes=result.notes,
                   findings=[str(finding) for finding in result.findings], exports=list(result.exports))


def _leave(signum: int) -> None:
    """A worker between jobs: remove WeasyPrint's font folder and exit at once."""
    from .write import cleanup

    for number in interrupt.SIGNALS:  # the parent's SIGTERM after a Ctrl-C must not cut the clean-up short
        signal.signal(number, signal.SIG_IGN)
    cleanup()
    interrupt.exit_now(signum)


def _start_worker(settings: Settings, scratch: str) -> None:
    """Load the data and import the heavy libraries once per worker process, not once per brief.

    The worker's temporary files (WeasyPrint's font folder) go into `scratch`, a folder of the run that
    the parent removes once every worker has stopped, however a worker ended."""
    import multiprocessing.util

    from .write import cleanup

    tempfile.tempdir = scratch
    interrupt.install(worker=True, on_idle=_leave)
    # A worker leaves through os._exit (no atexit): multiprocessing's own finalizers still run.
    multiprocessing.util.Finalize(None, cleanup, exitpriority=10)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    # Still with SIGINT and SIGTERM blocked (by the parent, around the fork): native extensions such as
    # pikepdf's cannot survive an exception raised while they initialise, so a signal waits for them.
    import pikepdf  # noqa: F401 - imported for its start-up cost

    from .native import import_weasyprint

    import_weasyprint()

    from .validate import load_content

    _WORKER["settings"] = settings
    _WORKER["content"] = load_content(settings.data_dir)
    _WORKER["content_findings"] = {}
    _WORKER["national_parts"] = NationalParts()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupt.SIGNALS)  # a pending signal arrives here


def _work(job: Job) -> Outcome:
    """A job in a worker; an interrupt (SIGINT, or SIGTERM from the parent) ends the process once the
    job's temporary files are gone, so it never starts another job."""
    try:
        with interrupt.job():
            return _build(job, _WORKER["settings"], _WORKER["content"], _WORKER["content_findings"],
                          _WORKER["national_parts"])
    except Interrupted as stop:
        _leave(stop.signum)
        raise  # not reached


def run_jobs(jobs: list[Job], settings: Settings, *, workers: int, content=None,
             on_outcome: Callable[[Outcome], None] | None = None) -> Summary:
    """Build every job; `on_outcome` hears of each as it finishes (in completion order).

    `content` (already loaded) serves the jobs run in this process. When SIGINT or SIGTERM arrives, raises
    `Interrupted` whose `partial` is the `Summary` of what was built and what was not."""
    started = time.perf_counter()
    outcomes: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    try:
        if workers <= 1 or len(jobs) <= 1:
            if content is None:
                from .validate import load_content
                content = load_content(settings.data_dir)
            content_findings: dict = {}
            national_parts = NationalParts()
            for job in jobs:
                interrupt.check()
                report(_build(job, settings, content, content_findings, national_parts))
        else:
            _run_pool(jobs, settings, workers, report)
    except Interrupted as stop:
        built = {id(outcome.job) for outcome in outcomes}
        stop.partial = Summary(outcomes, [job for job in jobs if id(job) not in built],
                               time.perf_counter() - started, interrupted=stop.signum)
        raise
    return Summary(outcomes, [], time.perf_counter() - started)


def _run_pool(jobs: list[Job], settings: Settings, workers: int, report: Callable[[Outcome], None]) -> None:
    # The workers' temporary folder goes once they have all stopped: one that was killed (out of memory,
    # SIGKILL) leaves nothing behind either.
    scratch = tempfile.mkdtemp(prefix="policybrief-workers-")
    try:
        _run_workers(jobs, settings, workers, report, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_workers(jobs: list[Job], settings: Settings, workers: int, report: Callable[[Outcome], None],
                 scratch: str) -> None:
    # Workers are forked with SIGINT and SIGTERM blocked, so a signal cannot reach one before its
    # initializer has installed the worker's handlers; the parent's pending signals arrive after.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, interrupt.SIGNALS)
    try:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_start_worker,
                                   initargs=(settings, scratch))
        futures: dict[Future, Job] = {pool.submit(_work, job): job for job in jobs}
        processes = list(getattr(pool, "_processes", {}).values())
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    try:
        # A signal stops the workers at once; the check below then raises in this loop, not in the pool's code.
        with interrupt.polled(lambda signum: _signal_workers(processes)):
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                if interrupt.pending() is not None:
                    # Briefs finished before the signal are on disk: report them, then stop.
                    for future in done:
                        if not future.cancelled() and future.exception() is None:
                            outcome = future.result()
                            outcome.job = futures[future]
                            report(outcome)
                    interrupt.check()
                for future in done:
                    job = futures[future]
                    try:
                        outcome = future.result()
                        outcome.job = job  # the parent's own object (the worker's came back as a copy)
                        report(outcome)
                    except Interrupted:
                        raise
                    except BaseException as error:  # a worker died (killed, out of memory) or a bug
                        interrupt.check()
                        report(Outcome(job, problems=[printable(f"internal error: {type(error).__name__}: "
                                                                f"{error}")]))
            pool.shutdown(wait=True)
            interrupt.check()
    except BaseException:
        _stop(pool, processes or list(getattr(pool, "_processes", None) or {}))
        raise


def _signal_workers(processes) -> None:
    """SIGTERM to every live worker (each cleans up and exits); safe to call from a signal handler."""
    for process in processes:
        try:
            if process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        except OSError:
            pass


def _stop(pool: ProcessPoolExecutor, processes) -> None:
    """Cancel what has not started and stop the workers; each one cleans up before it exits."""
    processes = list(processes) + [process for process in (getattr(pool, "_processes", None) or {}).values()
                                   if process not in processes]
    pool.shutdown(wait=False, cancel_futures=True)
    _signal_workers([process for process in processes if process.is_alive()])
    deadline = time.monotonic() + 15
    for process in processes:
        process.join(timeout=max(0.1, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
