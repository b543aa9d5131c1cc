"""Shared fixtures: copies of the small data set that tests may break on purpose, and the shipped
editions, each built once per test run.

The suite runs in several processes (pytest-xdist). A value that takes seconds to make, such as a laid-out
edition, is made once per run by whichever process asks first and kept in a folder that every process of
the run shares (`run_cache`); the others wait for it under a file lock and read it from there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"

T = TypeVar("T")


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/minimal."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test: rendering must never touch the network."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class RunCache:
    """Values made once per test run and shared by its processes through files in `root`.

    `get(key, make)` returns the value for `key`: made here by `make(folder)` (which may write files into
    `folder` and returns a picklable value) when no process of the run has made it yet, read back otherwise.
    A file lock per key makes a second process wait for the first instead of making the value again."""

    def __init__(self, root: Path):
        self.root = root
        self._values: dict[str, object] = {}

    def get(self, key: str, make: Callable[[Path], T]) -> T:
        if key in self._values:
            return self._values[key]  # type: ignore[return-value]
        from filelock import FileLock

        readable = re.sub(r"[^A-Za-z0-9.-]+", "-", key).strip("-")[:60]
        folder = self.root / f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
        stored = folder / "value.pickle"
        with FileLock(f"{folder}.lock"):
            if stored.exists():
                value = pickle.loads(stored.read_bytes())
            else:
                shutil.rmtree(folder, ignore_errors=True)  # left by a process whose `make` failed
                folder.mkdir(parents=True)
                value = make(folder)
                partial = stored.with_suffix(".partial")
                partial.write_bytes(pickle.dumps(value))
                partial.replace(stored)
        self._values[key] = value
        return value


@pytest.fixture(scope="session")
def run_cache(tmp_path_factory) -> RunCache:
    """The run's shared cache: under pytest-xdist, each worker's temporary folder lies in the run's own,
    which is where the cache goes; a run in one process keeps it in its own temporary folder."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = tmp_path_factory.getbasetemp().parent / "shared"
        root.mkdir(exist_ok=True)
    else:
        root = tmp_path_factory.mktemp("shared")
    return RunCache(root)


EDITIONS = ("council", "law-enforcement", "community", "grant")
EDITION_DATE = dt.date(2026, 12, 1)


@pytest.fixture(scope="session")
def shipped_content():
    """The shipped data (data/), loaded once per process. The builds below use it under this name, so that a
    test file defining a `content` fixture of its own can still ask for them."""
    from policybrief.validate import load_content

    return load_content(ROOT / "data")


@pytest.fixture(scope="session")
def content(shipped_content):
    return shipped_content


@pytest.fixture(scope="session")
def brief(shipped_content, run_cache):
    """`brief(audience, date=..., prepared_for=..., jurisdiction="Harris County, TX", large_print=...,
    write_html=..., exports=...)`: the edition `build_brief` writes from the shipped data with those options
    (its `BuildResult`), built once per run for each set of options (the slow part of the suite)."""
    from policybrief.build import build_brief
    from policybrief.local import resolve_jurisdiction
    from policybrief.render import BriefOptions

    def build(audience: str, *, date: dt.date = EDITION_DATE, prepared_for: str | None = None,
              jurisdiction: str | None = None, large_print: bool = False, write_html: bool = False,
              exports: tuple[str, ...] = ()):
        def make(folder: Path):
            place = resolve_jurisdiction(jurisdiction, shipped_content) if jurisdiction else None
            options = BriefOptions(date=date, prepared_for=prepared_for, jurisdiction=place, large_print=large_print)
            return build_brief(audience, out=folder / f"{audience}.pdf", options=options, content=shipped_content,
                               write_html=write_html, exports=tuple(exports))

        key = repr(("brief", audience, date.isoformat(), prepared_for, jurisdiction, large_print, write_html,
                    tuple(exports)))
        return run_cache.get(key, make)

    return build


class Editions(Mapping):
    """The four national editions as the README's quick start builds them (no --prepared-for), each with its
    HTML edition, built (or read from the run's cache) the first time a test asks for it. The same builds
    serve the tests of note placement and page fill, so each edition is laid out once a run."""

    def __init__(self, brief):
        self._brief = brief

    def __getitem__(self, key: str):
        if key not in EDITIONS:
            raise KeyError(key)
        return self._brief(key, write_html=True)

    def __iter__(self):
        return iter(EDITIONS)

    def __len__(self) -> int:
        return len(EDITIONS)


@pytest.fixture(scope="session")
def built(brief) -> Editions:
    """Each edition built once for the whole run, with its HTML edition (`built["council"].pdf`)."""
    return Editions(brief)
