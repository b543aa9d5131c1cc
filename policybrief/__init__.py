"""Generate balanced, footnoted PDF briefs on the federal 287(g) program from curated data."""

__version__ = "0.1.0"
