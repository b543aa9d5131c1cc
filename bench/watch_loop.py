"""Time the --watch editing loop: from saving a data file to the new PDF being in place.

Starts `generate.py --watch --audience council` on a copy of data/, waits for the first build, then saves
one of the edition's block files (a changed sentence) again and again, timing each save until the PDF
file is replaced. After each save, a fresh `generate.py` process builds the same edition from the same
data, for comparison on a machine whose load changes from minute to minute. Prints each time and the
medians.

    .venv/bin/python bench/watch_loop.py --saves 7
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=7, help="saves to time (default 7)")
    parser.add_argument("--audience", default="council")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        data = scratch / "data"
        shutil.copytree(ROOT / "data", data)
        out = scratch / f"{args.audience}.pdf"
        process = subprocess.Popen([sys.executable, "-u", str(ROOT / "generate.py"), "--watch", "--audience",
                                    args.audience, "--data", str(data), "--out", str(out)],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=scratch)
        built = threading.Event()

        def read() -> None:
            for line in process.stdout:
                if line.startswith("watch: built in"):
                    built.set()

        threading.Thread(target=read, daemon=True).start()
        try:
            if not built.wait(180):
                print("the first build did not finish in 180 s", file=sys.stderr)
                return 1
            block = data / "blocks" / "overview.yaml"
            original = block.read_text(encoding="utf-8")
            times, fresh = [], []
            for number in range(args.saves):
                time.sleep(1.0)
                before = os.stat(out)
                # A changed sentence each time: the text the brief prints differs after every save.
                text = original.replace("ICE offers three models", "ICE offers three models" if number % 2
                                        else "ICE now offers three models", 1)
                built.clear()
                started = time.monotonic()
                block.write_text(text, encoding="utf-8")
                while True:
                    now = os.stat(out)
                    if (now.st_ino, now.st_mtime_ns) != (before.st_ino, before.st_mtime_ns):
                        break
                    if time.monotonic() - started > 120:
                        print("no new PDF within 120 s", file=sys.stderr)
                        return 1
                    time.sleep(0.01)
                times.append(time.monotonic() - started)
                built.wait(30)
                started = time.monotonic()
                subprocess.run([sys.executable, str(ROOT / "generate.py"), "--audience", args.audience, "--data",
                                str(data), "--out", str(scratch / "fresh.pdf")], check=True, cwd=scratch,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                fresh.append(time.monotonic() - started)
                print(f"save {number + 1}: new PDF after {times[-1]:.2f} s (a fresh build: {fresh[-1]:.2f} s)")
            print(f"median {statistics.median(times):.2f} s from save to new PDF (min {min(times):.2f}, max "
                  f"{max(times):.2f}) over {len(times)} saves; a fresh build {statistics.median(fresh):.2f} s; "
                  f"{args.audience} edition, {os.cpu_count()} cores")
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
