"""Command line: parse arguments, call the pipeline, map errors to exit codes (0 ok, 1 data, 2 usage)."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from . import resources
from .errors import DataError, Interrupted, UsageError

LOG = logging.getLogger("policybrief")
PROJECT_ROOT = resources.ROOT
EXAMPLES = """examples:
  python generate.py --audience council
  python generate.py --audience council --prepared-for "Springfield City Council" --date 2026-12-01
  python generate.py --audience all --html
  python generate.py --audience council --jurisdiction "Harris County, TX"
  python generate.py --audience council --state TX --out briefs/texas/
  python generate.py --check
  python generate.py update-agreements participatingAgencies07182025pm.xlsx

exit status: 0 success, 1 problems in the data or the checks, 2 usage errors"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit; the outermost layer decides instead
        raise UsageError(message)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-12-01, got {text!r}") from None


NAME_BYTES = 200  # of one --out name: the file systems' limit is 255, and a temporary name beside it adds some


def _out_path(text: str) -> Path:
    """--out as a path whose every name fits the file system, with the temporary file written beside it."""
    for part in Path(text).parts:
        size = len(os.fsencode(part))
        if size > NAME_BYTES:
            raise argparse.ArgumentTypeError(f"expected names of at most {NAME_BYTES} bytes, got one of {size:,} "
                                             f"({_short(part)!r})")
    return Path(text)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes from 1 to {MAX_JOBS}, "
                                         f"got {text!r}") from None
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes from 1 to {MAX_JOBS}, got {value}")
    return value


MAX_JOBS = 64


def _margins(text: str) -> str:
    from .validate import margins_problem

    problem = margins_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return " ".join(text.split())


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="generate.py",
        description="Generate balanced, footnoted PDF briefs on the federal 287(g) program.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--audience",
                        help="edition: council, law-enforcement, community, community-es, grant, or all "
                             "(default: council; with --check, all)")
    parser.add_argument("--out", type=_out_path, help="output PDF (default briefs/<audience>.pdf); a folder for several briefs")
    parser.add_argument("--data", type=Path, default=resources.DEFAULT_DATA,
                        help="data folder with the same layout as data/ (default: the project's data/)")
    parser.add_argument("--list-audiences", action="store_true", help="list the editions and exit")
    parser.add_argument("--version", action="store_true", help="print the tool's version and exit")
    parser.add_argument("--html", action="store_true", help="also write an accessible HTML version beside the PDF")
    parser.add_argument("--docx", action="store_true",
                        help="also write a Word file of the same edition beside the PDF (real footnotes, "
                             "heading styles, tables, charts with their alt text)")
    parser.add_argument("--txt", action="store_true",
                        help="also write a plain-text version beside the PDF, its notes numbered at the end")
    parser.add_argument("--large-print", action="store_true",
                        help="large print: 18 pt text (the audience file's large-print sizes and page budget), "
                             "same content and notes; written as <audience>-large-print.pdf")
    parser.add_argument("--margins", type=_margins, metavar="LENGTHS",
                        help="page margins instead of the audience file's, e.g. 1in or '0.75in 1in' "
                             "(top, right, bottom, left as in CSS)")
    parser.add_argument("--check", action="store_true",
                        help="check sourcing, balance, voice, freshness, page budgets and reading level; exit 1 on findings")
    parser.add_argument("--stale-days", type=int, help="as-of dates older than this many days are stale (default: data/brief.yaml)")
    parser.add_argument("--date", type=_date, help="the brief's date, YYYY-MM-DD (default: today)")
    parser.add_argument("--prepared-for", help='printed on the title block, e.g. "Springfield City Council"')
    where = parser.add_mutually_exclusive_group()  # one local brief, a list of them, or a whole state
    where.add_argument("--jurisdiction", help='add a local section, e.g. "Harris County, TX"')
    where.add_argument("--jurisdiction-list", type=Path, help="file with one jurisdiction a line: one brief each")
    where.add_argument("--state", help="build one brief per county (or county-equivalent) of a state, e.g. TX, "
                                        "plus one per agency no county brief covers (state agencies)")
    parser.add_argument("--local-facts", type=Path, metavar="FILE.yaml",
                        help="with --jurisdiction: the preparer's own sourced facts (figures, events, references) "
                             "for the local section")
    parser.add_argument("--agencies-only", action="store_true",
                        help="with --state: only the counties that hold an agreement on ICE's list, and the "
                             "agencies no county brief covers")
    parser.add_argument("--jobs", type=_jobs, default=min(2, os.cpu_count() or 1),
                        help=f"parallel processes for --audience all and batches, 1 to {MAX_JOBS}")
    parser.add_argument("--watch", action="store_true",
                        help="build, then build again whenever a file under the data folder or templates/ "
                             "changes (problems are printed and the watch goes on); Ctrl-C stops it")
    parser.add_argument("--verbose", "-v", action="store_true", help="log each stage")
    return parser


def make_import_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="generate.py update-agreements",
                     description="Import one of ICE's 287(g) workbooks (participating agencies or pending "
                                 "applications) into data/agreements/.")
    parser.add_argument("workbook", type=Path, nargs="?",
                        help="ICE's workbook as downloaded, e.g. participatingAgencies10092026.xlsx (or --download)")
    parser.add_argument("--download", action="store_true",
                        help="download ICE's current workbook from its 287(g) page and import it, instead of a file")
    parser.add_argument("--from", dest="from_url", metavar="URL",
                        help="with --download: the page to read (default: ICE's, "
                             "https://www.ice.gov/identify-and-arrest/287g)")
    parser.add_argument("--data", type=Path, default=resources.DEFAULT_DATA, metavar="DIR",
                        help="data folder to update (default: the project's data/)")
    parser.add_argument("--as-of", type=_date, metavar="DATE",
                        help="the list's date, YYYY-MM-DD (default: from the file name when it is plausible); "
                             "also the latest plausible signing date")
    parser.add_argument("--downloaded", type=_date, metavar="DATE", help="when the workbook was downloaded")
    parser.add_argument("--source-file", metavar="NAME", help="ICE's file name, when the file was renamed (default: the name "
                                              "from 'participatingAgencies' or 'pendingAgencies' on)")
    parser.add_argument("--retrieved-via", metavar="TEXT", help='how the file was obtained when not from ICE directly, e.g. '
                                                '"as archived by appelson/Tracking_287g"')
    parser.add_argument("--force", action="store_true",
                        help="replace a newer list with this older one, or an unreadable provenance.yaml")
    parser.add_argument("--verbose", "-v", action="store_true", help="log what the import reads and writes")
    return parser


def _setup_logging(verbose: bool, stream: TextIO) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    LOG.handlers[:] = [handler]
    LOG.setLevel(logging.INFO if verbose else logging.WARNING)
    LOG.propagate = False
    # WeasyPrint warns about every resource our fetcher refuses; surface those only when asked.
    logging.getLogger("weasyprint").setLevel(logging.INFO if verbose else logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING)


def _interrupted_line(signum: int) -> str:
    import signal

    return (f"generate.py: interrupted by {signal.Signals(signum).name}; no file was left half-written "
            "and no previous brief was replaced by an unfinished one\n")


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    as_program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    from . import interrupt
    from .errors import Interrupted, printable

    restore = interrupt.install()  # SIGINT and SIGTERM: clean up, replace nothing, exit 130 or 143
    try:
        if argv[:1] == ["update-agreements"]:
            return _update_agreements(argv[1:], stdout, stderr)
        return _generate(argv, stdout, stderr)
    except UsageError as error:
        stderr.write(f"generate.py: error: {printable(error, 2000)}\n")
        return error.exit_status
    except DataError as error:
        for problem in error.problems:
            stderr.write(f"{printable(problem)}\n")  # one short line each, whatever the data held
        stderr.write(f"generate.py: {len(error.problems)} problem(s) found; nothing was written\n")
        return error.exit_status
    except (Interrupted, KeyboardInterrupt) as stop:
        import signal
        signum = getattr(stop, "signum", signal.SIGINT)
        stderr.write(_interrupted_line(signum))
        return 128 + signum  # WeasyPrint's font folder goes at exit (policybrief.write.cleanup, atexit)
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)
    finally:
        if as_program:
            # Every output is complete: a signal while the interpreter exits changes nothing, so it is
            # ignored (Python would otherwise restore the default action halfway through exiting).
            import signal
            for number in interrupt.SIGNALS:
                signal.signal(number, signal.SIG_IGN)
        else:
            restore()


def _generate(argv: list[str], stdout: TextIO, stderr: TextIO, *, watching: bool = False) -> int:
    from .build import build_brief
    from .render import BriefOptions
    from .validate import load_content

    parser = make_parser()
    if {"-h", "--help"} & set(argv):
        parser.print_help(stdout)
        return 0
    if "--version" in argv:
        from . import __version__

        stdout.write(f"policybrief {__version__}\n")
        return 0
    args = parser.parse_args(argv)
    for option in ("prepared_for", "jurisdiction", "state"):
        setattr(args, option, _option_text(option, getattr(args, option)))
    _setup_logging(args.verbose, stderr)
    if args.watch and not watching:
        return _watch(argv, args, stdout, stderr)
    content = load_content(args.data)
    if args.stale_days is not None:
        if args.stale_days <= 0:
            raise UsageError(f"--stale-days: expected a positive number of days, got {args.stale_days}")
        from dataclasses import replace
        content = replace(content, meta=replace(content.meta, stale_after_days=args.stale_days))
    if args.list_audiences:
        for key, audience in sorted(content.audiences.items()):
            stdout.write(f"{key:16} {audience.name} ({audience.page_min}-{audience.page_max} pages, {audience.pdf_variant})\n")
        return 0
    audience = _audience_key(("all" if args.check else "council") if args.audience is None else args.audience,
                             content.audiences)
    audiences = sorted(content.audiences) if audience == "all" else [audience]
    if audience == "all" and not args.check:
        audiences = _complete_editions(content, audiences, stderr)
    date = args.date or dt.date.today()
    _warn_about_date(date, content, stderr)
    if args.check:  # judged at the sizes and margins the same options build
        return _check(content, audiences, date, stdout, stderr, large_print=args.large_print, margins=args.margins)

    batch = _batch_jurisdictions(args, content)
    if (args.large_print or args.margins) and (batch is not None or len(audiences) > 1):
        raise UsageError("--large-print and --margins build one edition at a time: name one --audience (and at "
                         "most one --jurisdiction)")
    if batch is not None and args.local_facts is not None:
        raise UsageError("--local-facts goes with --jurisdiction and one --audience (it adds to one brief)")
    if batch is not None:
        from .batch import run_batch
        progress = _Progress(stdout, stderr)
        with progress.started(len(audiences) * len(batch)):
            result = run_batch(content, audiences, batch, args, date, on_outcome=progress)
        _print_summary(result.summary, stdout, stderr)
        csv_path, json_path = result.manifest
        stdout.write(f"manifest: {_shown(csv_path)} and {_shown(json_path)}\n")
        return 1 if result.summary.failed else 0

    jurisdiction = None
    if args.jurisdiction:
        from .local import resolve_jurisdiction
        jurisdiction = resolve_jurisdiction(args.jurisdiction, content)
    if args.local_facts is not None:
        if jurisdiction is None or len(audiences) != 1:
            raise UsageError("--local-facts goes with --jurisdiction and one --audience (it adds to one brief)")
        from .local import with_local_facts
        content = with_local_facts(args.local_facts, content, audiences[0])
    options = BriefOptions(date=date, prepared_for=args.prepared_for, jurisdiction=jurisdiction,
                           large_print=args.large_print, margins=args.margins)
    if len(audiences) == 1:
        out = args.out
        if out is not None and _names_folder(out):
            from .build import output_name
            out = out / output_name(audiences[0], jurisdiction, large_print=args.large_print)
        result = build_brief(audiences[0], data_dir=args.data, out=out, options=options,
                             write_html=args.html, content=content, exports=_exports(args))
        _report(result, stdout, stderr)
        return 0
    return _build_all(audiences, args, options, stdout, stderr)


def _complete_editions(content, audiences: list[str], stderr: TextIO) -> list[str]:
    """The editions `--audience all` builds: an edition in another language joins once its translation is
    complete; until then it is named in a warning (building it alone lists what it lacks)."""
    from .check import translation_complete

    kept = []
    for key in audiences:
        if content.audiences[key].lang == "en" or translation_complete(content, key):
            kept.append(key)
        else:
            stderr.write(f"warning: {key} not built: its translation is incomplete (generate.py --audience {key} "
                         "lists each missing text)\n")
    return kept


def _watch(argv: list[str], args, stdout: TextIO, stderr: TextIO) -> int:
    """--watch: this command's build, then the same build after every change (policybrief.watch)."""
    if args.check or args.list_audiences or args.jurisdiction_list or args.state:
        raise UsageError("--watch rebuilds editions: not with --check, --list-audiences, --jurisdiction-list "
                         "or --state")
    from .errors import printable
    from .watch import watch

    def report(event) -> None:
        if event.kind == "built":
            stdout.write(f"watch: built in {event.seconds:.1f} s; waiting for changes (Ctrl-C to stop)\n")
        elif event.kind == "changed":
            stdout.write(f"watch: {event.files} changed; building\n")
        elif isinstance(event.error, DataError):
            for problem in event.error.problems:
                stderr.write(f"{printable(problem)}\n")
            stderr.write(f"watch: {len(event.error.problems)} problem(s) found; nothing was written, the previous "
                         "brief is unchanged; waiting for the next change\n")
        else:
            stderr.write(f"generate.py: error: {printable(event.error, 2000)}\nwatch: waiting for the next change\n")
        stdout.flush()
        stderr.flush()

    return watch(lambda: _generate(argv, stdout, stderr, watching=True), args.data, on_event=report,
                 files=[args.local_facts] if args.local_facts is not None else [])


def _audience_key(name: str, audiences) -> str:
    """The edition `name` means, in any case ('Council'); a near miss gets a 'did you mean'."""
    import difflib

    key = name.strip().lower()
    if key == "all" or key in audiences:
        return key
    known = sorted(audiences)
    close = difflib.get_close_matches(key, known + ["all"], n=1, cutoff=0.6)
    available = f"{', '.join(known)}, all"
    if close:
        raise UsageError(f"unknown audience {_short(name)!r}; did you mean {close[0]!r}? Available: {available}")
    raise UsageError(f"unknown audience {_short(name)!r}; available: {available}")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _names_folder(out: Path) -> bool:
    """Whether --out for one brief names a folder: an existing folder, or a name with no suffix.

    A file name must end in .pdf: `--out briefs/grant.html` is a usage error, not a folder of that name.
    """
    if out.is_dir():
        return True
    if out.suffix.lower() == ".pdf":
        return False
    if out.suffix and not out.suffix[1:].isdigit():
        beside = {".docx": "--docx writes the Word file", ".txt": "--txt writes the text file"}.get(
            out.suffix.lower(), "--html writes the HTML version")
        raise UsageError(f"--out: expected a .pdf file or a folder, got {_short(str(out), 200)!r} (a {out.suffix} "
                         f"file name; {beside} beside the PDF)")
    return True


def _warn_about_date(date: dt.date, content, stderr: TextIO) -> None:
    """--date in the future, or before the data the brief prints: a warning, since figures keep their own dates."""
    today = dt.date.today()
    dated = [figure.as_of.first_day() for figure in content.figures.values() if figure.as_of is not None]
    newest = max(dated) if dated else None
    if date > today:
        stderr.write(f"warning: --date {date.isoformat()} is after today ({today.isoformat()}); the brief's "
                     "figures are as of their own dates and may not match that date\n")
    elif newest is not None and date < newest:
        stderr.write(f"warning: --date {date.isoformat()} is before the newest figure in the data "
                     f"({newest.isoformat()}); the brief's figures may not match that date\n")


def _option_text(option: str, value: str | None) -> str | None:
    """A text option as printed: valid UTF-8, no control or bidirectional characters, invisible ones
    removed, at most 300 characters."""
    if value is None:
        return None
    from .errors import excerpt
    from .load import BIDI_RE, clean_text

    flag = "--" + option.replace("_", "-")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{flag}: expected UTF-8 text, got {excerpt(value.encode('utf-8', 'surrogateescape').decode('ascii', 'backslashreplace'))} "
                         "(bytes that are not UTF-8)") from None
    if BIDI_RE.search(value) or any(ord(char) < 32 or 127 <= ord(char) < 160 for char in value):
        raise UsageError(f"{flag}: expected plain text, got control or bidirectional characters in {excerpt(value)}")
    value = clean_text(value).strip()
    if len(value) > 300:
        raise UsageError(f"{flag}: expected at most 300 characters, got {len(value):,}")
    return value


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _exports(args) -> tuple[str, ...]:
    """The further editions asked for, by file suffix (written beside the PDF)."""
    return tuple(suffix for suffix, wanted in ((".docx", args.docx), (".txt", args.txt)) if wanted)


def _report(result, stdout: TextIO, stderr: TextIO, prefix: str = "") -> None:
    others = ([result.html] if result.html else []) + list(getattr(result, "exports", []))
    extra = "".join(f"{',' if index < len(others) - 1 else ' and'} {_shown(path)}"
                    for index, path in enumerate(others))
    stdout.write(f"{prefix}{result.audience}: wrote {_shown(result.pdf)}{extra} "
                 f"({result.pages} pages, {result.notes} notes)\n")
    stdout.flush()
    for finding in result.findings:
        stderr.write(f"warning: {finding}\n")


def _build_all(audiences, args, options, stdout: TextIO, stderr: TextIO) -> int:
    """Every edition, on the one executor batches use; a progress line as each finishes."""
    from .pool import Job, Settings, run_jobs

    out_dir = args.out
    if out_dir is not None and out_dir.suffix == ".pdf":
        raise UsageError("--out must name a folder when building several editions")
    settings = Settings(data_dir=args.data, date=options.date, prepared_for=options.prepared_for,
                        write_html=args.html, out_dir=out_dir, exports=_exports(args))
    jobs = [Job(key, args.jurisdiction if options.jurisdiction is not None else None) for key in audiences]
    progress = _Progress(stdout, stderr)
    with progress.started(len(jobs)):
        summary = run_jobs(jobs, settings, workers=max(1, args.jobs), on_outcome=progress)
    return 1 if summary.failed else 0


class _Progress:
    """A progress line per brief as each finishes ('[3/5] council: wrote ...'), its problems and warnings
    below it; on a terminal, a tqdm bar (count, elapsed, ETA) above them. A signal prints the summary of
    what was built and what was not."""

    def __init__(self, stdout: TextIO, stderr: TextIO):
        self.stdout, self.stderr = stdout, stderr
        self.total = self.done = 0
        self.bar = None

    @contextlib.contextmanager
    def started(self, total: int):
        self.total, self.done = total, 0
        self.bar = _progress_bar(total, self.stdout)
        try:
            yield self
        except Interrupted as stop:
            self._close()
            if stop.partial is not None:
                _print_summary(stop.partial, self.stdout, self.stderr)
            raise
        self._close()

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __call__(self, outcome) -> None:
        self.done += 1
        line = _outcome_line(outcome, self.done, self.total)
        if self.bar is not None:
            self.bar.write(line, file=self.stdout)
            self.bar.update(1)
        else:
            self.stdout.write(line + "\n")
            self.stdout.flush()
        for problem in outcome.problems:
            self.stderr.write(f"  {problem}\n")
        for finding in outcome.findings:
            self.stderr.write(f"warning: {finding}\n")


def _outcome_line(outcome, done: int, total: int) -> str:
    if not outcome.ok:
        return f"[{done}/{total}] {outcome.job.label}: failed"
    others = ([outcome.html] if outcome.html else []) + outcome.exports
    extra = "".join(f"{',' if index < len(others) - 1 else ' and'} {_shown(path)}" for index, path in enumerate(others))
    return (f"[{done}/{total}] {outcome.job.label}: wrote {_shown(outcome.pdf)}{extra} "
            f"({outcome.pages} pages, {outcome.notes} notes)")


def _progress_bar(total: int, stdout: TextIO):
    """A tqdm bar on a terminal with several briefs to build; None otherwise (a CI log gets one plain line
    per brief)."""
    isatty = getattr(stdout, "isatty", None)
    if total < 2 or not (isatty and isatty()):
        return None
    from tqdm import tqdm

    return tqdm(total=total, file=stdout, unit="brief", dynamic_ncols=True, leave=False,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]")


def _print_summary(summary, stdout: TextIO, stderr: TextIO) -> None:
    """'built 159 of 161 briefs in 80.2 s into briefs', then each failure, and after a signal what was kept."""
    import signal

    total = len(summary.outcomes) + len(summary.not_built)
    folders = {outcome.pdf.parent for outcome in summary.built}
    where = f" into {_shown(next(iter(folders)))}" if len(folders) == 1 else ""
    stdout.write(f"built {len(summary.built)} of {total} briefs in {summary.elapsed:.1f} s{where}\n")
    for outcome in summary.failed:
        first = outcome.problems[0] if outcome.problems else "failed"
        stderr.write(f"failed: {outcome.job.label}: {first}\n")
    if summary.interrupted is not None:
        name = signal.Signals(summary.interrupted).name
        if summary.built:
            stderr.write(f"{name}: kept {', '.join(_shown(o.pdf) for o in summary.built)}\n")
        if summary.not_built:
            stderr.write(f"{name}: not built: {', '.join(job.label for job in summary.not_built)}\n")
    stdout.flush()


def _check(content, audiences, date, stdout: TextIO, stderr: TextIO, *, large_print: bool = False,
           margins: str | None = None) -> int:
    from .build import Editions, build_brief, check_data
    from .check import check_reading_level, source_report, translation_complete
    from .render import BriefOptions
    import tempfile

    editions = Editions(content)
    findings = check_data(content, today=date, audiences=audiences, notes=True, editions=editions)
    notes = [finding for finding in findings if finding.note]
    findings = [finding for finding in findings if not finding.note]
    findings += check_reading_level(content, audiences)
    with tempfile.TemporaryDirectory() as scratch:
        for key in audiences:
            if content.audiences[key].lang != "en" and not translation_complete(content, key):
                stdout.write(f"{key}: not built: its translation is incomplete (findings below)\n")
                continue
            result = build_brief(key, data_dir=content.data_dir, out=Path(scratch) / f"{key}.pdf",
                                 options=BriefOptions(date=date, large_print=large_print, margins=margins),
                                 content=content, editions=editions)
            findings += [f for f in result.findings if f.check == "pages"]
            page_min, page_max = content.audiences[key].budget(large_print=large_print)
            stdout.write(f"{key}: {result.pages} pages (budget {page_min}-{page_max}), {result.notes} notes\n")
    for line in source_report(content, audiences):
        stdout.write(line + "\n")
    unique = list(dict.fromkeys(str(finding) for finding in findings))
    for note in dict.fromkeys(str(note) for note in notes):
        stdout.write(f"note: {note}\n")
    for finding in unique:
        stdout.write(f"finding: {finding}\n")
    stdout.write(f"check: {len(unique)} finding(s)\n")
    return 1 if unique else 0


def _batch_jurisdictions(args, content):
    if args.jurisdiction_list and args.state:
        raise UsageError("use either --jurisdiction-list or --state, not both")
    if args.jurisdiction_list:
        return _read_jurisdiction_list(args.jurisdiction_list)
    if args.state:
        from .local import jurisdictions_in_state
        return jurisdictions_in_state(args.state, content, agencies_only=args.agencies_only)
    if args.agencies_only:
        raise UsageError("--agencies-only goes with --state")
    return None


JURISDICTION_LIST_BYTES = 1_000_000


def _read_jurisdiction_list(path: Path) -> list[str]:
    """The names in a --jurisdiction-list file: UTF-8 text, one name a line, '#' comments, at most 1 MB."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(JURISDICTION_LIST_BYTES + 1)
    except OSError as error:
        raise UsageError(f"--jurisdiction-list: cannot read {path}: {error.strerror or error}") from None
    if len(data) > JURISDICTION_LIST_BYTES:
        raise UsageError(f"--jurisdiction-list: expected at most {JURISDICTION_LIST_BYTES:,} bytes of names, got more")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UsageError(f"--jurisdiction-list: {path}:{line}: expected UTF-8 text, got the byte "
                         f"0x{data[error.start]:02x}") from None
    names = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            names.append(_option_text("jurisdiction", line))
        except UsageError as error:
            raise UsageError(f"--jurisdiction-list: {path}:{number}: {str(error).split(': ', 1)[1]}") from None
    return names


def _update_agreements(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    from .ice import AgreementsError, write_normalised, write_pending
    from .ice.store import describe_changes
    from .ice.workbook import PENDING, import_list, read_list_name

    parser = make_import_parser()
    if {"-h", "--help"} & set(argv):
        parser.print_help(stdout)
        return 0
    args = parser.parse_args(argv)
    _setup_logging(args.verbose, stderr)
    if not resources.IN_CHECKOUT and args.data.resolve() == resources.DEFAULT_DATA.resolve():
        raise UsageError(f"the installed tool's data folder ({resources.DEFAULT_DATA}) is part of the installation: "
                         "copy it to a folder of your own and pass --data DIR")
    today = dt.date.today()
    for option, value in (("--as-of", args.as_of), ("--downloaded", args.downloaded)):
        if value and value > today:
            raise UsageError(f"{option}: expected a date no later than today ({today.isoformat()}), "
                             f"got {value.isoformat()}")
    from .errors import printable

    if args.download or args.from_url is not None:  # update-agreements --download [--from URL] [--force]
        from .ice.download import DownloadError, download_agreements

        given = [name for name, value in (("a workbook file", args.workbook), ("--as-of", args.as_of),
                                          ("--downloaded", args.downloaded), ("--source-file", args.source_file),
                                          ("--retrieved-via", args.retrieved_via)) if value]
        if not args.download or given:
            raise UsageError("--from: only with --download" if not args.download else
                             f"--download: not with {', '.join(given)} (ICE's page and file tell them)")
        try:
            report = download_agreements(args.data, page_url=args.from_url, force=args.force)
        except DownloadError as error:
            stderr.write(f"generate.py: {printable(error, 2000)}\n")
            return 1
        stderr.writelines(f"{line}\n" for line in report.problems)
        stdout.writelines(f"{line}\n" for line in report.lines)
        return 0
    if args.workbook is None:
        raise UsageError("expected ICE's workbook (a file such as participatingAgencies10092026.xlsx), or "
                         "--download to fetch it from ICE's page")
    shown = printable(str(args.workbook).encode("utf-8", "backslashreplace").decode("utf-8"), 300)
    if not args.workbook.is_file():
        raise UsageError(f"no such workbook: {shown}")
    try:
        # Which list it is comes from ICE's name (participating.../pending...) or else the header row.
        result = import_list(args.workbook, as_of=args.as_of, today=today)
    except AgreementsError as error:
        raise DataError(error.problems) from None
    if result.as_of is None:
        raise UsageError(f"cannot tell the list's date from {args.workbook.name!r}: {result.as_of_problem}; "
                         "pass --as-of YYYY-MM-DD (the date ICE published the list)")
    if args.downloaded and args.downloaded < result.as_of:
        raise UsageError(f"--downloaded: expected a date no earlier than the list's ({result.as_of.isoformat()}), "
                         f"got {args.downloaded.isoformat()}")
    pending = result.kind == PENDING
    source_file = args.source_file or read_list_name(args.workbook.name).ice_name
    source_file = printable(source_file.encode("utf-8", "backslashreplace").decode("utf-8"), 200)
    try:
        write = write_pending if pending else write_normalised
        written = write(result, args.data, as_of=result.as_of, source_file=source_file,
                        downloaded=args.downloaded, retrieved_via=args.retrieved_via, force=args.force)
    except AgreementsError as error:
        raise DataError(error.problems) from None
    for problem in result.problems:  # once each (the importer itself only logs a summary)
        stderr.write(f"{problem}\n")
    if written.changes:
        for line in describe_changes(written.changes):
            stdout.write(line + "\n")
    elif written.replaced is not None and written.replaced.get("sha256") == result.sha256:
        stdout.write(f"same workbook as the list it replaces ({written.replaced.get('source_file')}): "
                     "no agreement added or removed\n")
    what = "pending applications" if pending else "agreements"
    rows = len({problem.row for problem in result.problems})
    stdout.write(f"imported {len(result.rows)} {what} as of {result.as_of.isoformat()} from {source_file} into "
                 f"{_shown(args.data / 'agreements')}; {len(result.problems)} problem(s) in {rows} row(s) "
                 "reported above\n")
    return 0


def run() -> None:
    """The `policybrief` command and `python generate.py`: main(), then, once every output is written, an
    exit without the interpreter's slow teardown (_exit_after_writing)."""
    status = main()
    if status == 0:
        _exit_after_writing(status)
    sys.exit(status)


def _exit_after_writing(status: int) -> None:
    """End the process once every output is on disk: run the exit handlers first (write.cleanup's,
    logging's and multiprocessing's), flush stdout and stderr, then leave without the interpreter's
    teardown of every module and object, which writes nothing and costs a cold council brief about
    0.3 s. Returns (and the normal exit follows) where Python offers no way to run the handlers."""
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:
        return
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(status)
