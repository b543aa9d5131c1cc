"""Domain errors: problems found in data (exit 1) and in how the tool was asked to run (exit 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MESSAGE_LIMIT = 400  # characters of one printed problem (a message never carries a whole file)
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                             "\u2060-\u206f\ufeff\ue000-\uf8ff\ufff9-\ufffb]")


def printable(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` safe for a terminal line: control, bidi and invisible characters escaped, at most `limit`
    characters (with a mark when cut)."""
    text = str(text).replace("\n", "\\n").replace("\r", "\\r").replace("\t", " ")
    text = _UNPRINTABLE_RE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def excerpt(value: Any, limit: int = 60) -> str:
    """A short, quoted, escaped excerpt of something a user wrote, for 'got ...' in a message."""
    if isinstance(value, str):
        shown = printable(value, limit=10 ** 9)
        if len(shown) > limit:
            return f"'{shown[:limit]}\u2026' ({len(value):,} characters)"
        return repr(shown) if "\\" not in shown else f"'{shown}'"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}" if value else "an empty list"
    if isinstance(value, dict):
        return f"a mapping of {len(value)} key{'s' if len(value) != 1 else ''}" if value else "an empty mapping"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int) and abs(value) >= 10 ** 15:
        return f"a {len(str(abs(value)))}-digit number"
    return printable(repr(value), limit)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as precisely as we can: a data file's problem (file, line, key path and the
    message, 'expected ..., got ...'), or an editorial check's finding (`check` names the check; a `note` is
    reported but does not fail --check). The one problem type of the package."""

    file: str
    message: str
    line: int | None = None
    key: str | None = None
    check: str | None = None
    note: bool = False

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        return printable(text + (f" [{self.check}]" if self.check else ""))


def finding(check: str, where: str, message: str, *, note: bool = False) -> Problem:
    """An editorial check's problem: `where` names the file and key path, or the edition."""
    return Problem(where, message, check=check, note=note)


class DataError(Exception):
    """The data folder has one or more problems; each is reported on its own line. Exit status 1."""

    exit_status = 1

    def __init__(self, problems: list[Problem] | list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class UsageError(Exception):
    """The command line asked for something that does not exist (unknown audience, bad option). Exit status 2."""

    exit_status = 2


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: stop, write nothing more, exit 128 + the signal's number.

    A BaseException, like KeyboardInterrupt, so `except Exception` handlers let it through."""

    def __init__(self, signum: int):
        self.signum = signum
        self.partial = None  # what a run of several briefs had done when it arrived (pool.Summary)
        super().__init__(signum)

    @property
    def exit_status(self) -> int:
        return 128 + self.signum
