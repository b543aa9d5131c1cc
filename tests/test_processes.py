"""What a run starts and leaves behind: no compiler or ldconfig processes while WeasyPrint imports, no
temporary folder after a batch (even when a worker is killed), and the same bytes out of the fast exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policybrief.native import library_stem

from helpers import children

ROOT = Path(__file__).resolve().parent.parent
NAMES = "Bartow County, GA\nCherokee County, GA\nCobb County, GA\n"

# Every process the child starts (through subprocess, os.system, exec or spawn) is recorded by an audit hook.
SPAWNS = """
import sys
started = []
def hook(event, args):
    if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"):
        started.append(repr(args[:2]))
sys.addaudithook(hook)
from policybrief.write import make_url_fetcher
make_url_fetcher()
import weasyprint.text.ffi
print(len(started))
print("\\n".join(started))
print("fontTools.subset loaded:", type(sys.modules["fontTools.subset"]).__name__ != "_LazyModule")
"""


def environment(tmp_path: Path) -> dict:
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return dict(os.environ, TMPDIR=str(tmp_path / "tmp"), POLICYBRIEF_CHART_CACHE=str(tmp_path / "cache"))


@pytest.mark.slow
def test_importing_weasyprint_starts_no_process_and_loads_no_unused_subsetter(tmp_path):
    done = subprocess.run([sys.executable, "-c", SPAWNS], cwd=ROOT, env=environment(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, *rest = done.stdout.splitlines()
    assert count == "0", f"processes started while WeasyPrint imported:\n{done.stdout}"
    assert rest[-1] == "fontTools.subset loaded: False"


def test_every_name_weasyprint_tries_maps_to_its_libraries_soname():
    assert {library_stem(name) for name in ("libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0",
                                            "libpango-1.0.dylib", "libpango-1.0-0.dll")} == {"pango-1.0"}
    assert {library_stem(name) for name in ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0",
                                            "libharfbuzz.0.dylib", "libharfbuzz-0.dll")} == {"harfbuzz"}
    assert {library_stem(name) for name in ("libfontconfig-1", "fontconfig-1", "fontconfig", "libfontconfig.so.1",
                                            "libfontconfig.1.dylib")} == {"fontconfig"}
    assert {library_stem(name) for name in ("libgobject-2.0-0", "gobject-2.0", "libgobject-2.0.so.0",
                                            "libgobject-2.0.0.dylib")} == {"gobject-2.0"}
    assert library_stem("libharfbuzz-subset-0") == "harfbuzz-subset" != library_stem("libharfbuzz-0")


@pytest.mark.slow
def test_a_batch_leaves_no_temporary_folder(tmp_path):
    listing = tmp_path / "names.txt"
    listing.write_text(NAMES)
    done = subprocess.run([sys.executable, str(ROOT / "generate.py"), "--jurisdiction-list", str(listing),
                           "--out", str(tmp_path / "out"), "--date", "2026-12-01", "--jobs", "2"],
                          cwd=tmp_path, env=environment(tmp_path), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow
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
        workers = children(process.pid)
        assert workers
        os.kill(workers[0], signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1 and "internal error" in stderr
    assert list((tmp_path / "tmp").iterdir()) == []


FAST = """
import os, runpy, sys
real_exit = os._exit
def exit_(status):
    sys.stderr.write(f"os._exit({status})\\n")
    sys.stderr.flush()
    real_exit(status)
os._exit = exit_
sys.argv = ["generate.py", *sys.argv[1:]]
runpy.run_path("generate.py", run_name="__main__")
"""
SLOW = "import sys; from policybrief.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.slow
def test_the_fast_exit_writes_the_same_bytes_and_cleans_up_first(tmp_path):
    runs = {}
    for name, script in (("fast", FAST), ("slow", SLOW)):
        out = tmp_path / name / "council.pdf"
        done = subprocess.run([sys.executable, "-c", script, "--audience", "council", "--date", "2026-12-01",
                               "--out", str(out)], cwd=ROOT, env=environment(tmp_path),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        runs[name] = (out.read_bytes(), done.stdout.replace(f"{os.sep}{name}{os.sep}", "/RUN/"), done.stderr)
        assert list((tmp_path / "tmp").iterdir()) == [], f"{name}: a temporary folder was left"
    assert runs["fast"][2].endswith("os._exit(0)\n")
    assert "os._exit" not in runs["slow"][2]
    assert runs["fast"][0] == runs["slow"][0]
    assert runs["fast"][1] == runs["slow"][1]
