"""What a run leaves behind: no temporary folder after a batch, even when a worker is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = "Bartow County, GA\nCherokee County, GA\nCobb County, GA\n"


def environment(tmp_path: Path) -> dict:
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return dict(os.environ, TMPDIR=str(tmp_path / "tmp"), POLICYBRIEF_CHART_CACHE=str(tmp_path / "cache"))


def test_a_batch_leaves_no_temporary_folder(tmp_path):
    listing = tmp_path / "names.txt"
    listing.write_text(NAMES)
    done = subprocess.run([sys.executable, str(ROOT / "generate.py"), "--jurisdiction-list", str(listing),
                           "--out", str(tmp_path / "out"), "--date", "2026-12-01", "--jobs", "2"],
                          cwd=tmp_path, env=environment(tmp_path), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3
    assert list((tmp_path / "tmp").iterdir()) == []


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_killed_worker_leaves_no_temporary_folder(tmp_path):
    listing = tmp_path / "names.txt"
    listing.write_text(NAMES)
    process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "--jurisdiction-list", str(listing),
                                "--out", str(tmp_path / "out"), "--date", "2026-12-01", "--jobs", "2"],
                               cwd=tmp_path, env=environment(tmp_path), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list((tmp_path / "tmp").glob("**/weasyprint-*")):  # a worker is laying out a brief
            assert time.monotonic() < deadline and process.poll() is None, "no worker started a brief"
            time.sleep(0.05)
        workers = _children(process.pid)
        assert workers
        os.kill(workers[0], signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1 and "internal error" in stderr
    assert list((tmp_path / "tmp").iterdir()) == []
