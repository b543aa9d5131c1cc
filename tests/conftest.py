"""Shared fixtures: copies of the small data set that tests may break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"


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


EDITIONS = ("council", "law-enforcement", "community", "grant")
EDITION_DATE = __import__("datetime").date(2026, 12, 1)


@pytest.fixture(scope="session")
def content():
    from policybrief.validate import load_content

    return load_content(ROOT / "data")


@pytest.fixture(scope="session")
def built(content, tmp_path_factory):
    """Build each edition once for the whole session (the slow part of the suite)."""
    from policybrief.build import build_brief
    from policybrief.render import BriefOptions

    out = tmp_path_factory.mktemp("editions")
    options = BriefOptions(date=EDITION_DATE, prepared_for="Springfield City Council")
    return {key: build_brief(key, out=out / f"{key}.pdf", options=options, content=content, write_html=True)
            for key in EDITIONS}
