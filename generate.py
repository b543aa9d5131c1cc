#!/usr/bin/env python3
"""Generate a 287(g) policy brief: `python generate.py --audience council` writes briefs/council.pdf."""

import os
import signal
import sys


def _stopped_while_starting(signum, frame):
    # Until policybrief.cli installs its own handlers nothing has been written: one line, no traceback.
    name = "interrupted" if signum == signal.SIGINT else "terminated"
    os.write(2, f"generate.py: {name} while starting; nothing was written\n".encode())
    os._exit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, _stopped_while_starting)
    signal.signal(signal.SIGTERM, _stopped_while_starting)

from policybrief.cli import run  # noqa: E402  (after the handlers: importing takes a while)

if __name__ == "__main__":
    run()  # on success, ends without the interpreter's teardown once every output is written
