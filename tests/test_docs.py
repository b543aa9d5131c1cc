"""The README documents every command-line option (a missing one fails here, not in a user's hands)."""

from __future__ import annotations

from pathlib import Path

from policybrief.cli import make_import_parser, make_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_option_is_in_the_readme():
    for parser in (make_parser(), make_import_parser()):
        for action in parser._actions:
            long_options = [option for option in action.option_strings if option.startswith("--")]
            if long_options and long_options[0] != "--help":
                assert long_options[0] in README, f"{long_options[0]} is not documented in README.md"


def test_quick_start_is_two_commands():
    quick = README.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in quick.splitlines()[1:] if line.strip()]
    assert [command.split("#")[0].strip() for command in commands] == ["make brief", "make test"]
