"""Domain errors: problems found in data (exit 1) and in how the tool was asked to run (exit 2)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class DataError(Exception):
    """The data folder has one or more problems; each is reported on its own line."""

    def __init__(self, problems: list[Problem] | list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class UsageError(Exception):
    """The command line asked for something that does not exist (unknown audience, bad option)."""
