"""--watch: build, then build again after each change; a broken file is reported and the watch goes on,
the previous PDF intact; Ctrl-C ends it with 130."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
WAIT = 60  # seconds for one build on a busy machine (the first one imports WeasyPrint and matplotlib)


class Watch:
    """`generate.py --watch` in a subprocess, its output lines read as they come."""

    def __init__(self, *argv: str, cwd: Path, env: dict):
        self.process = subprocess.Popen([sys.executable, "-u", str(ROOT / "generate.py"), "--watch", *argv], cwd=cwd,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        for name in ("stdout", "stderr"):
            threading.Thread(target=self._read, args=(name,), daemon=True).start()

    def _read(self, name: str) -> None:
        for line in getattr(self.process, name):
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, pattern: str, stream: str = "stdout", timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                name, line = self.lines.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append((name, line))
            if name == stream and re.search(pattern, line):
                return line
        raise AssertionError(f"no {stream} line matching {pattern!r} within {timeout} s; seen: {self.seen}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.mark.slow
def test_watch_rebuilds_on_change_reports_broken_data_and_stops_on_sigint(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    out = tmp_path / "council.pdf"
    env = {**os.environ, "POLICYBRIEF_CHART_CACHE": str(tmp_path / "cache")}
    watch = Watch("--data", str(data), "--out", str(out), "--date", "2025-12-01", cwd=tmp_path, env=env)
    try:
        watch.wait_for(r"^council: wrote council\.pdf \(\d+ pages, \d+ notes\)$")
        watch.wait_for(r"^watch: built in \d+\.\d s; waiting for changes \(Ctrl-C to stop\)$")
        assert "written agreements with local police" in pdf_text(out)
        assert "Watched wording" not in pdf_text(out)

        block = data / "blocks" / "overview.yaml"
        block.write_text(block.read_text(encoding="utf-8").replace(
            "Section 287(g) lets federal officials sign", "Watched wording: section 287(g) lets federal officials sign"),
            encoding="utf-8")
        watch.wait_for(r"^watch: data/blocks/overview\.yaml changed; building$")
        watch.wait_for(r"^council: wrote council\.pdf ")
        assert "Watched wording: section 287(g)" in pdf_text(out)

        good = out.read_bytes()
        figures = data / "figures.yaml"
        figures.write_text(figures.read_text(encoding="utf-8").replace("as_of: 2017-01", "as_of: July", 1),
                           encoding="utf-8")
        line = next(number for number, text in enumerate(figures.read_text().splitlines(), 1) if "July" in text)
        assert watch.wait_for(r"series_2017_01_agencies", stream="stderr") == (
            f"data/figures.yaml:{line}: figures.series_2017_01_agencies.as_of: expected a date like 2025-07-18 "
            "(or 2025-07, or 2025), got 'July'")
        watch.wait_for(r"^watch: 1 problem\(s\) found; nothing was written, the previous brief is unchanged; "
                       r"waiting for the next change$", stream="stderr")
        time.sleep(0.5)
        assert watch.process.poll() is None  # still watching
        assert out.read_bytes() == good  # the previous PDF, untouched

        watch.process.send_signal(signal.SIGINT)
        assert watch.process.wait(timeout=WAIT) == 130
        watch.wait_for(r"^generate\.py: interrupted by SIGINT; ", stream="stderr", timeout=5)
        assert out.read_bytes() == good
    finally:
        watch.stop()


def test_watch_does_not_combine_with_check_or_batches(minimal_data, capsys):
    from policybrief.cli import main

    for extra in (["--check"], ["--state", "TX"], ["--list-audiences"]):
        assert main(["--watch", "--data", str(minimal_data), *extra]) == 2
        assert capsys.readouterr().err == ("generate.py: error: --watch rebuilds editions: not with --check, "
                                           "--list-audiences, --jurisdiction-list or --state\n")


@pytest.mark.slow
def test_watch_rebuilds_when_the_local_facts_file_changes(minimal_data, tmp_path):
    """The --local-facts file is an input wherever it lies: saving it (as an editor does, by replacing it)
    rebuilds; another file beside it does not."""

    from policybrief.watch import watch

    class Done(Exception):
        pass

    facts = tmp_path / "notes" / "facts.yaml"
    facts.parent.mkdir()
    facts.write_text("figures: {}\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(time.monotonic())
        if len(builds) == 1:
            (facts.parent / "other.yaml").write_text("x: 1\n", encoding="utf-8")  # not an input
            time.sleep(2.5)
            replaced = facts.with_name("facts.yaml.new")
            replaced.write_text("figures: {}\nevents: []\n", encoding="utf-8")
            replaced.replace(facts)
            return 0
        raise Done

    events = []
    with pytest.raises(Done):
        watch(build, minimal_data, on_event=events.append, files=[facts], debounce_ms=300)
    assert [(event.kind, event.files) for event in events][-1] == ("changed", "facts.yaml")
    assert len(builds) == 2

