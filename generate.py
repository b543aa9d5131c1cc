#!/usr/bin/env python3
"""Generate a 287(g) policy brief: `python generate.py --audience council` writes briefs/council.pdf."""

import sys

from policybrief.cli import main

if __name__ == "__main__":
    sys.exit(main())
