"""Helpers the tests share: run the command line in-process, collect a data folder's problems, find a line,
list a process's children, read a composed value's words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.errors import DataError
from policybrief.validate import load_content


def words(value, lang: str = "en") -> str:
    """A composed value (model.Message, Joined, a local section's paragraph) as the Markdown an edition in
    `lang` prints, ICE's names as written."""
    from policybrief.i18n import catalogue
    from policybrief.markup import compose

    return compose(value, catalogue(lang))


def run(*argv: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `generate.py *argv`."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def problems_of(data: Path) -> list[str]:
    """The one-line problems loading `data` reports (the load must fail)."""
    with pytest.raises(DataError) as raised:
        load_content(data)
    return [str(problem) for problem in raised.value.problems]


def line_of(path: Path, needle: str) -> int:
    """The number of the first line of `path` containing `needle`."""
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux: read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found
