"""Read the YAML files of a data folder into raw documents that remember each key's line number."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem


@dataclass
class RawFile:
    """One parsed YAML file: its data plus the line on which each key path starts."""

    path: Path
    label: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key_path: str) -> int | None:
        """Return the line of `key_path`, or of its nearest parent that has one."""
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path.rpartition(".")[0] if "." in key_path else ""
        return None

    def problem(self, key_path: str, message: str, *, text: str | None = None,
                offset: int | None = None) -> Problem:
        """A problem at `key_path`; with `text` and `offset`, at the line inside the text."""
        line = self.line_of(key_path)
        if text is not None and offset is not None and f"{key_path}#text" in self.lines:
            line = self.lines[f"{key_path}#text"] + text.count("\n", 0, offset)
        return Problem(self.label, message, line=line, key=key_path or None)


class _DateAsTextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader (libyaml's when available) that leaves dates as text, so validation can
    report them with their line."""


_DateAsTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str) -> tuple[yaml.Node | None, object]:
    """Compose the node tree once (for line numbers) and construct the data from it."""
    loader = _DateAsTextLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _index_lines(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines[path] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.ScalarNode):
                # Block scalars ('|', '>') start on the line after their indicator.
                first = value_node.start_mark.line + (2 if value_node.style in ("|", ">") else 1)
                lines[f"{path}#text"] = first
            _index_lines(value_node, path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            lines[path] = item.start_mark.line + 1
            _index_lines(item, path, lines)


def read_yaml(path: Path, root: Path) -> tuple[RawFile | None, list[Problem]]:
    """Parse one YAML file; a syntax error becomes a located problem instead of an exception."""
    label = _label(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(label, "file is missing")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(label, f"cannot be read as UTF-8 text: {error}")]
    try:
        node, data = _parse(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(label, f"is not valid YAML: {reason}",
                              line=mark.line + 1 if mark else None)]
    lines: dict[str, int] = {}
    if node is not None:
        _index_lines(node, "", lines)
    return RawFile(path, label, data, lines), []


def _label(path: Path, root: Path) -> str:
    """Name a data file the way a user sees it: relative to the data folder's parent."""
    try:
        return path.resolve().relative_to(root.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()
