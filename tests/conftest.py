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
