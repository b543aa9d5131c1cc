"""Interrupts and faults: a real SIGINT or SIGTERM in a subprocess, a failing second output, a full disk.

Whatever moment a signal arrives, the previous PDF is either kept or replaced by a complete new one,
no temporary file or `weasyprint-*` folder is left, no worker survives, and the exit status is 130
(SIGINT) or 143 (SIGTERM) with one line, never a traceback.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from policybrief.cli import main

from helpers import children

ROOT = Path(__file__).resolve().parent.parent
OLD = b"%PDF-1.4 the previous brief, kept intact\n"


def run(*args: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


# generate.py, except that every brief but the first (council.pdf) is held just before its file is moved into
# place, until a signal's handler raises out of the wait as it would anywhere else in the job (or, should no
# signal come, for five minutes, so that a test failing before its signal leaves no process behind).
HOLDING = """
import os, runpy, sys, time
real_replace = os.replace
held_until = time.monotonic() + 300
def replace(source, target, *args, **kwargs):
    name = os.path.basename(os.fspath(target))
    while name.endswith(".pdf") and name != "council.pdf" and time.monotonic() < held_until:
        time.sleep(0.05)
    return real_replace(source, target, *args, **kwargs)
os.replace = replace
sys.path.insert(0, sys.argv[1])
sys.argv = ["generate.py", *sys.argv[2:]]
runpy.run_path(os.path.join(sys.path[0], "generate.py"), run_name="__main__")
"""


def start(tmp_path: Path, *args: str, hold_all_but_the_first: bool = False) -> subprocess.Popen:
    environment = dict(os.environ, TMPDIR=str(tmp_path / "tmp"), POLICYBRIEF_CHART_CACHE=str(tmp_path / "cache"),
                       PYTHONUNBUFFERED="1")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    command = ["-c", HOLDING, str(ROOT)] if hold_all_but_the_first else [str(ROOT / "generate.py")]
    return subprocess.Popen([sys.executable, *command, *args], cwd=tmp_path, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            bufsize=0)  # unbuffered: communicate() would lose what readline() read ahead


def wait_for_start(process: subprocess.Popen, seconds: float) -> bytes:
    """Wait for the first log line (--verbose: the handlers are installed by then), then `seconds`."""
    first = process.stderr.readline()
    time.sleep(seconds)
    return first


def wait_for_exit(pids: list[int], seconds: float = 60) -> None:
    """Return once each of `pids` has ended (or `seconds` have passed): woken by the end of each process."""
    import select

    for pid in pids:
        try:
            handle = os.pidfd_open(pid)
        except ProcessLookupError:
            continue  # already ended and reaped
        try:
            select.select([handle], [], [], seconds)
        finally:
            os.close(handle)


def survivors(marker: str) -> list[int]:
    """Processes still running whose command line mentions `marker` (our workers are forks of it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def assert_clean(tmp_path: Path, out: Path) -> None:
    assert not list((tmp_path / "tmp").iterdir()), "temporary files or weasyprint-* folders were left"
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".")], "a temporary output was left"


def is_complete_pdf(path: Path) -> bool:
    try:
        return len(PdfReader(path).pages) > 0
    except Exception:
        return False


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.slow
def test_signal_during_a_build_never_replaces_the_brief_with_a_damaged_one(minimal_data, tmp_path, signum, status):
    out = tmp_path / "out" / "council.pdf"
    out.parent.mkdir()
    interrupted = 0
    for delay in (0.0, 0.3, 0.6, 1.0, 1.5):
        out.write_bytes(OLD)
        out.with_suffix(".html").write_bytes(b"old html")
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)  # the chart is drawn: WeasyPrint draws its SVG
        process = start(tmp_path, "--data", str(minimal_data), "--out", str(out), "--html", "--date", "2025-10-01",
                        "--verbose")
        first = wait_for_start(process, delay)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
        err = (first + stderr).decode()
        assert "Traceback" not in err
        assert process.returncode in (0, status), err
        if process.returncode == status:
            interrupted += 1
            assert err.splitlines()[-1] == (f"generate.py: interrupted by {signal.Signals(signum).name}; no file "
                                            "was left half-written and no previous brief was replaced by an "
                                            "unfinished one")
        kept = out.read_bytes() == OLD
        assert kept or is_complete_pdf(out)
        # Both files or neither: the HTML edition is the old one exactly when the PDF is.
        assert (out.with_suffix(".html").read_bytes() == b"old html") == kept
        assert_clean(tmp_path, out)
    assert interrupted, "no run was interrupted before it finished"


def test_swallowed_interrupt_is_raised_before_anything_is_replaced(minimal_data, tmp_path, monkeypatch):
    """WeasyPrint's SVG drawing catches BaseException: a Ctrl-C there must still stop the write."""
    from policybrief import interrupt, write

    real = write._weasyprint

    def swallowing():
        weasyprint = real()

        class HTML(weasyprint.HTML):
            def render(self, *args, **kwargs):
                try:
                    interrupt._handler(signal.SIGINT, None)  # what a Ctrl-C inside SVGImage.draw does
                except BaseException:
                    pass  # ... and what SVGImage.draw then does with it
                return super().render(*args, **kwargs)

        return type("W", (), {"HTML": HTML, "URLFetcher": weasyprint.URLFetcher, "urls": weasyprint.urls})

    monkeypatch.setattr(write, "_weasyprint", swallowing)
    out = tmp_path / "council.pdf"
    out.write_bytes(OLD)
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--date", "2025-10-01")
    assert code == 130
    assert err.startswith("generate.py: interrupted by SIGINT;")
    assert out.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def many_editions(data: Path, count: int = 4) -> None:
    source = (data / "audiences" / "council.yaml").read_text()
    for index in range(count - 1):
        (data / "audiences" / f"edition-{index}.yaml").write_text(source)


@pytest.mark.parametrize("signum, status, group", [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)])
@pytest.mark.slow
def test_signal_stops_a_parallel_run_and_keeps_what_was_built(minimal_data, tmp_path, signum, status, group):
    many_editions(minimal_data, 16)
    out = tmp_path / "out"
    # The two workers start their first briefs together and finish them together, so when the first is
    # reported the second may be just being written: a signal then found it on disk, but not reported
    # (the run's own race). Here the other briefs are held before they are written until the signal comes.
    process = start(tmp_path, "--data", str(minimal_data), "--audience", "all", "--jobs", "2", "--out", str(out),
                    "--date", "2025-10-01", hold_all_but_the_first=True)
    first = process.stdout.readline().decode()  # the first brief is written
    assert first.startswith("[1/16] council: wrote ")
    workers = children(process.pid)
    if group:  # Ctrl-C: the terminal signals the whole process group, workers included
        os.killpg(process.pid, signum)
    else:  # kill PID: only the parent hears it, and must stop its workers itself
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    stdout, err = first + stdout.decode(), stderr.decode()
    assert process.returncode == status, err
    assert "Traceback" not in err
    name = signal.Signals(signum).name
    assert err.splitlines()[-1].startswith(f"generate.py: interrupted by {name}")
    built = [line for line in stdout.splitlines() if ": wrote " in line]
    assert f"built {len(built)} of 16 briefs" in stdout
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(built) and all(is_complete_pdf(pdf) for pdf in pdfs)
    assert any(line.startswith(f"{name}: not built: ") for line in err.splitlines()), err
    wait_for_exit(workers)  # the run stops its workers before it ends; a worker that outlived it ends here
    assert survivors(str(minimal_data)) == []
    assert_clean(tmp_path, out / "x.pdf")


def test_html_step_failing_keeps_the_previous_pdf(minimal_data, tmp_path):
    out = tmp_path / "council.pdf"
    out.write_bytes(OLD)
    (tmp_path / "council.html").mkdir()  # the HTML edition cannot be written
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--html", "--date", "2025-10-01")
    assert code == 1
    assert err.splitlines()[0] == (f"{tmp_path / 'council.html'}: cannot write the output: it is a folder; name a "
                                   "file, or remove the folder")
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["council.html", "council.pdf"]


def test_second_move_failing_puts_the_first_back(tmp_path, monkeypatch):
    from policybrief import files
    from policybrief.errors import DataError

    pdf, html = tmp_path / "b.pdf", tmp_path / "b.html"
    pdf.write_bytes(b"old pdf")
    html.write_bytes(b"old html")
    real = os.replace

    def failing(source, target):
        if str(target).endswith(".html"):
            raise OSError(errno.EACCES, "Permission denied")
        return real(source, target)

    monkeypatch.setattr(files.os, "replace", failing)
    with pytest.raises(DataError, match="permission denied"):
        files.write_outputs([(pdf, b"new pdf"), (html, b"new html")])
    monkeypatch.setattr(files.os, "replace", real)
    assert pdf.read_bytes() == b"old pdf" and html.read_bytes() == b"old html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.html", "b.pdf"]


@pytest.mark.slow
def test_disk_full_is_one_line(minimal_data, tmp_path, monkeypatch):
    from policybrief import files

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_temporary", full)
    out = tmp_path / "council.pdf"
    out.write_bytes(OLD)
    code, _, err = run("--data", str(minimal_data), "--out", str(out), "--date", "2025-10-01")
    assert code == 1
    assert err == (f"{out}: cannot write the output: the disk is full; the previous file, if any, is left as it "
                   "was\ngenerate.py: 1 problem(s) found; nothing was written\n")
    assert out.read_bytes() == OLD


def test_real_disk_full_on_a_tiny_file_system(tmp_path):
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    from policybrief import files

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with pytest.raises(OSError) as caught:
        with open("/dev/full", "wb") as stream:
            stream.write(b"x" * 10)
            stream.flush()
    assert files.cannot_write(tmp_path / "b.pdf", caught.value).problems[0].message.startswith(
        "cannot write the output: the disk is full")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.slow
def test_progress_bar_on_a_terminal_and_plain_lines_otherwise(minimal_data, tmp_path):
    import datetime as dt

    from policybrief.cli import _Progress
    from policybrief.pool import Job, Settings, run_jobs

    many_editions(minimal_data, 2)
    settings = Settings(data_dir=minimal_data, date=dt.date(2025, 10, 1), out_dir=tmp_path / "out")
    jobs = [Job("council"), Job("edition-0")]
    terminal, log = Terminal(), io.StringIO()
    progress = _Progress(terminal, io.StringIO())
    with progress.started(len(jobs)):
        summary = run_jobs(jobs, settings, workers=1, on_outcome=progress)
    assert len(summary.built) == 2
    assert "2/2 [" in terminal.getvalue() and "[1/2] council: wrote " in terminal.getvalue()
    progress = _Progress(log, io.StringIO())
    with progress.started(len(jobs)):
        run_jobs(jobs, settings, workers=1, on_outcome=progress)
    assert [line.split(":")[0] for line in log.getvalue().splitlines()] == ["[1/2] council", "[2/2] edition-0"]


@pytest.mark.slow
def test_a_forked_worker_never_removes_its_parents_font_folder(minimal_data, tmp_path):
    """Building in this process, then in a pool forked from it, then here again."""
    code, _, err = run("--data", str(minimal_data), "--out", str(tmp_path / "a.pdf"), "--date", "2025-10-01")
    assert code == 0, err
    many_editions(minimal_data, 3)
    code, _, err = run("--data", str(minimal_data), "--audience", "all", "--jobs", "2", "--out", str(tmp_path / "all"),
                       "--date", "2025-10-01")
    assert code == 0, err
    code, _, err = run("--data", str(minimal_data), "--out", str(tmp_path / "b.pdf"), "--date", "2025-10-01")
    assert code == 0, err
