"""Benchmark: wall time and peak memory of `generate.py --audience council` against bare WeasyPrint.

Each run is a fresh process. Generator runs and floor runs (bare WeasyPrint rendering the brief's own
HTML) alternate, so machine noise hits both alike. Also times a batch of local editions, and with
--state a whole state's batch alternated with cold single briefs: the wall time per brief of the batch as
a share of one cold brief, briefs per minute, and the time every county of the country would take.

Usage: python bench/benchmark.py [--runs 7] [--batch 50] [--skip-batch] [--state GA --state-runs 3]
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
PRINT_HTML = """
import datetime, sys
from pathlib import Path
from policybrief.render import BriefOptions, render_html
from policybrief.validate import load_content
from policybrief.write import apply_resource_policy
html = render_html(load_content(Path("data")), "council", BriefOptions(date=datetime.date(2026, 12, 1)))
Path(sys.argv[1]).write_text(apply_resource_policy(html), encoding="utf-8")
"""
FLOOR = """
import sys, weasyprint
from policybrief.write import make_url_fetcher
html, base, out = sys.argv[1:4]
weasyprint.HTML(filename=html, base_url=base, url_fetcher=make_url_fetcher()).write_pdf(
    out, pdf_variant="pdf/ua-1", pdf_identifier=b"floor")
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Run `command` in a fresh process; return (seconds, peak resident MB). The CPU seconds it and its
    workers used go to CPU_SECONDS (on a shared machine they vary less than the wall time)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    before = os.times()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    after = os.times()  # children's times: the workers the run waited for count too
    CPU_SECONDS.append(after.children_user - before.children_user + after.children_system
                       - before.children_system)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


CPU_SECONDS: list[float] = []


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
    parser.add_argument("--state", help="also time `--state CODE` batches, alternated with cold briefs")
    parser.add_argument("--state-runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the --state batches")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="policybrief-bench-"))
    try:
        if args.state:
            run_state(args.state, args.state_runs, args.jobs, scratch)
            return 0
        if args.only_batch:
            run_batch(args.batch, scratch)
            return 0
        pdf = scratch / "council.pdf"
        generate = [PYTHON, "generate.py", "--audience", "council", "--out", str(pdf), "--date", "2026-12-01"]
        # One warm-up run draws the charts into the cache; the floor renders the very HTML the PDF is made
        # from (not the --html web edition, which has no page-foot notes).
        subprocess.run(generate, cwd=ROOT, check=True, capture_output=True)
        subprocess.run([PYTHON, "-c", PRINT_HTML, str(scratch / "council.html")], cwd=ROOT, check=True)
        floor = [PYTHON, "-c", FLOOR, str(scratch / "council.html"), (ROOT / "templates").as_uri() + "/",
                 str(scratch / "floor.pdf")]
        ours, bare, ours_cpu, bare_cpu = [], [], [], []
        for _ in range(args.runs):
            ours.append(timed(generate))
            ours_cpu.append(CPU_SECONDS[-1])
            bare.append(timed(floor))
            bare_cpu.append(CPU_SECONDS[-1])
        median_ours = statistics.median(t for t, _ in ours)
        median_bare = statistics.median(t for t, _ in bare)
        peak = max(m for _, m in ours)
        print(f"machine: {machine()}")
        print(f"command: python generate.py --audience council ({args.runs} fresh-process runs, chart cache warm)")
        print(f"  median wall time: {median_ours:.2f} s   (runs: {', '.join(f'{t:.2f}' for t, _ in ours)})")
        print(f"  peak memory:      {peak:.0f} MB")
        print("floor: bare WeasyPrint on the same HTML, fresh process, alternated with the runs above")
        print(f"  median wall time: {median_bare:.2f} s   (runs: {', '.join(f'{t:.2f}' for t, _ in bare)})")
        print(f"ratio to floor: {median_ours / median_bare:.2f}x wall   (target <= 0.9x)")
        print(f"CPU seconds: ours {statistics.median(ours_cpu):.2f}, floor {statistics.median(bare_cpu):.2f}, "
              f"ratio {statistics.median(ours_cpu) / statistics.median(bare_cpu):.2f}x; ratio of each alternated "
              f"pair, median: {statistics.median(o / b for o, b in zip(ours_cpu, bare_cpu)):.2f}x")
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


def run_state(code: str, runs: int, jobs: int, scratch: Path) -> None:
    """A whole state's batch against one cold brief of the same edition and date, alternated."""
    cold = [PYTHON, "generate.py", "--audience", "council", "--out", str(scratch / "cold.pdf"),
            "--date", "2026-12-01"]
    batch = [PYTHON, "generate.py", "--audience", "council", "--state", code, "--out", str(scratch / "state"),
             "--date", "2026-12-01", "--jobs", str(jobs)]
    subprocess.run(cold, cwd=ROOT, check=True, capture_output=True)  # the chart cache, warm
    briefs = len(state_names(code))
    singles, batches, single_cpu, batch_cpu = [], [], [], []
    for _ in range(runs):
        singles.append(timed(cold)[0])
        single_cpu.append(CPU_SECONDS[-1])
        batches.append(timed(batch)[0])
        batch_cpu.append(CPU_SECONDS[-1])
    singles.append(timed(cold)[0])
    single_cpu.append(CPU_SECONDS[-1])
    single, whole = statistics.median(singles), statistics.median(batches)
    per_brief = whole / briefs
    country = sum(len(state_names(state)) for state in all_state_codes())
    print(f"machine: {machine()}")
    print(f"command: python generate.py --audience council --state {code} --jobs {jobs} --date 2026-12-01 "
          f"({briefs} briefs; {runs} runs alternated with {runs + 1} cold single briefs)")
    print(f"  median batch wall time: {whole:.1f} s   (runs: {', '.join(f'{t:.1f}' for t in batches)})")
    print(f"  median cold brief:      {single:.2f} s   (runs: {', '.join(f'{t:.2f}' for t in singles)})")
    print(f"  per brief: {per_brief:.2f} s = {per_brief / single:.2f}x one cold brief (target <= 0.15x); "
          f"{60 / per_brief:.0f} briefs per minute")
    cpu_per_brief = statistics.median(batch_cpu) / briefs
    print(f"  CPU per brief: {cpu_per_brief:.2f} s = {cpu_per_brief / statistics.median(single_cpu):.2f}x the CPU "
          f"of one cold brief ({statistics.median(single_cpu):.2f} s)")
    print(f"  every county and uncovered agency of the country ({country} briefs, --state for each state, "
          f"D.C. and territory): about {country * per_brief / 3600:.1f} h at this rate")


def _content():
    sys.path.insert(0, str(ROOT))
    from policybrief.validate import load_content

    return load_content(ROOT / "data")


def state_names(code: str) -> list[str]:
    from policybrief.local import jurisdictions_in_state

    if "content" not in _CACHE:
        _CACHE["content"] = _content()
    return jurisdictions_in_state(code, _CACHE["content"])


def all_state_codes() -> list[str]:
    from policybrief.ice.rows import STATES

    return sorted(STATES)


_CACHE: dict = {}


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
