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

from policybrief.cli import main  # noqa: E402  (after the handlers: importing takes a while)

if __name__ == "__main__":
    status = main()
    if status == 0:  # every brief is written and its temporary files are removed: no slow teardown
        from policybrief.write import exit_after_writing

        exit_after_writing(status)
    sys.exit(status)
