"""Benchmark: wall time and peak memory of `generate.py --audience council` against bare WeasyPrint.

Each run is a fresh process. Generator runs and floor runs (bare WeasyPrint rendering the brief's own
HTML) alternate, so machine noise hits both alike. Also times a batch of local editions.

Usage: python bench/benchmark.py [--runs 7] [--batch 50] [--skip-batch]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FLOOR = """
import sys, weasyprint
from policybrief.write import make_url_fetcher
html, base, out = sys.argv[1:4]
weasyprint.HTML(filename=html, base_url=base, url_fetcher=make_url_fetcher()).write_pdf(
    out, pdf_variant="pdf/ua-1", pdf_identifier=b"floor")
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Run `command` in a fresh process; return (seconds, peak resident MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--only-batch", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="policybrief-bench-"))
    try:
        if args.only_batch:
            run_batch(args.batch, scratch)
            return 0
        pdf = scratch / "council.pdf"
        generate = [PYTHON, "generate.py", "--audience", "council", "--out", str(pdf), "--date", "2026-12-01"]
        # One warm-up run draws the charts into the cache and writes the HTML the floor renders.
        subprocess.run(generate + ["--html"], cwd=ROOT, check=True, capture_output=True)
        floor = [PYTHON, "-c", FLOOR, str(scratch / "council.html"), (ROOT / "templates").as_uri() + "/",
                 str(scratch / "floor.pdf")]
        ours, bare = [], []
        for _ in range(args.runs):
            ours.append(timed(generate))
            bare.append(timed(floor))
        median_ours = statistics.median(t for t, _ in ours)
        median_bare = statistics.median(t for t, _ in bare)
        peak = max(m for _, m in ours)
        print(f"machine: {machine()}")
        print(f"command: python generate.py --audience council ({args.runs} fresh-process runs, chart cache warm)")
        print(f"  median wall time: {median_ours:.2f} s   (runs: {', '.join(f'{t:.2f}' for t, _ in ours)})")
        print(f"  peak memory:      {peak:.0f} MB")
        print("floor: bare WeasyPrint on the same HTML, fresh process, alternated with the runs above")
        print(f"  median wall time: {median_bare:.2f} s   (runs: {', '.join(f'{t:.2f}' for t, _ in bare)})")
        print(f"ratio to floor: {median_ours / median_bare:.2f}x   (targets: <= 1.3x, < 2.5 s, < 300 MB)")
        cache = scratch / "cold-cache"
        cold = timed(["env", f"POLICYBRIEF_CHART_CACHE={cache}", *generate])
        print(f"one run with an empty chart cache (matplotlib drawing): {cold[0]:.2f} s, {cold[1]:.0f} MB")
        if not args.skip_batch:
            run_batch(args.batch, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def run_batch(count: int, scratch: Path) -> None:
    names = batch_names(count)
    listing = scratch / "jurisdictions.txt"
    listing.write_text("\n".join(names) + "\n")
    seconds, memory = timed([PYTHON, "generate.py", "--audience", "council", "--jurisdiction-list",
                             str(listing), "--out", str(scratch / "batch"), "--date", "2026-12-01"])
    print(f"batch: {len(names)} local council briefs in {seconds:.1f} s = {60 * len(names) / seconds:.0f} "
          f"briefs per minute on {os.cpu_count()} cores (target >= 60), peak {memory:.0f} MB in the parent process")


def batch_names(count: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from policybrief.local import jurisdictions_in_state
    from policybrief.validate import load_content

    content = load_content(ROOT / "data")
    names: list[str] = []
    for state in content.agreements.by_state():
        code = content.agreements.for_state(state).rows[0].state_code
        names += [name for name in jurisdictions_in_state(code, content) if "County" in name][:5]
        if len(names) >= count:
            break
    return names[:count]


if __name__ == "__main__":
    sys.exit(main())
