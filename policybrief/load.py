"""Read the files of a data folder safely into raw documents that remember each key's line number.

A data folder is content, never code, and may be hostile. Every file is read through `read_data_text`:
it must be a regular file that resolves inside the data folder (a symbolic link out of it, a FIFO, a
device or a loop is refused), no larger than `LIMITS`, UTF-8, and free of characters no text may carry
(`unsafe_character`). The same check runs again on every key and value once YAML, JSON or CSV has decoded
it, so a character written as an escape (JSON's "\\u202e", YAML's "\\x1b") is refused like the raw one.
Invisible default-ignorable characters (zero-width spaces, soft hyphens, word joiners...) are removed, so
the text every check sees is the text the PDF prints. YAML is parsed once, here: aliases and duplicate
keys are errors, and so is a document with too many nodes or too deep a nesting.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, excerpt


@dataclass
class Limits:
    """Upper bounds on what one data folder may ask of the tool (tests lower them)."""

    yaml_bytes: int = 2_000_000  # one YAML file
    csv_bytes: int = 32_000_000  # one normalised CSV of ICE's list (the shipped one is about 0.1 MB)
    yaml_nodes: int = 200_000  # scalars, lists and mappings in one YAML file
    yaml_depth: int = 40  # nesting of lists and mappings
    csv_field: int = 10_000  # characters in one CSV cell
    files: int = 2_000  # YAML files in one folder (blocks/, audiences/)


LIMITS = Limits()

# Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt): characters that render as
# nothing. The bidirectional embeddings, overrides and isolates among them are refused instead, because
# they reorder what a reader sees.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
BIDI_RE = re.compile(f"[{_BIDI_CONTROLS}]")
_IGNORABLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u2065\u206a-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]")
# Characters the renderer uses as its own markers (Unicode private use): never meaningful in data.
_PRIVATE_RE = re.compile("[\ue000-\uf8ff]")
# What no key or value may carry, raw or decoded from an escape: bidirectional controls; C0 and C1 control
# characters but tab, line feed and carriage return (each format reads CR as a line break, and Markdown and
# HTML read it as space); lone UTF-16 surrogates (JSON's "\\ud800", which no encoder can write out); and
# Unicode's 66 noncharacters (U+FDD0-U+FDEF and the last two of each plane), reserved for internal use.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
                                         for plane in range(17))
_UNSAFE_RE = re.compile(f"[{_BIDI_CONTROLS}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")


def unsafe_character(text: str, start: int = 0) -> tuple[int, str] | None:
    """The offset of the first character in `text` (from `start`) that no data may carry, and the message
    saying why (None when there is none). Every reader calls it: on a file's raw text and on each decoded
    key and value."""
    match = _UNSAFE_RE.search(text, start)
    if match is None:
        return None
    code = ord(match[0])
    if BIDI_RE.match(match[0]):
        reason = "no bidirectional control characters, got U+%04X (it reorders the text a reader sees)"
    elif 0xD800 <= code <= 0xDFFF:
        reason = "no lone surrogates, got U+%04X (half of a UTF-16 pair: write the character itself)"
    elif code <= 0x9F:
        reason = "no control characters, got U+%04X (only tab and line breaks may appear in text)"
    else:
        reason = "no Unicode noncharacters, got U+%04X (they are reserved for programs' internal use)"
    return match.start(), "expected " + reason % code


def clean_text(text: str) -> str:
    """Text as printed and checked: without default-ignorable or private-use characters."""
    return _PRIVATE_RE.sub("", _IGNORABLE_RE.sub("", text))


def comparable(text: str) -> str:
    """Text as checks compare it: cleaned, NFKC-normalised (full-width, ligatures) and case-folded."""
    return unicodedata.normalize("NFKC", clean_text(text)).casefold()


@dataclass
class RawFile:
    """One parsed YAML file: its data plus the line on which each key path starts."""

    path: Path
    label: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key_path: str) -> int | None:
        """Return the line of `key_path`, or of its nearest parent that has one (the document's first
        line for a top-level problem)."""
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            if "." in key_path or "[" in key_path:
                key_path = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", key_path)
            else:
                key_path = ""
        return self.lines.get("")

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
_TIMESTAMP_RE = next(regexp for resolvers in yaml.SafeLoader.yaml_implicit_resolvers.values()
                     for tag, regexp in resolvers if tag == "tag:yaml.org,2002:timestamp")


def label_of(path: Path, root: Path) -> str:
    """Name a data file the way a user sees it: relative to the data folder's parent."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root)).parent).as_posix()
    except ValueError:
        return Path(path).as_posix()


_KINDS = ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_path(path: Path, root: Path) -> str | None:
    """Why `path` may not be read as a data file of `root` (None when it may, or does not exist)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    try:
        real = Path(path).resolve(strict=True)
    except FileNotFoundError:
        return "is a symbolic link to a file that does not exist"
    except (OSError, RuntimeError):
        return "is a symbolic link that cannot be followed (a loop)"
    if not real.is_relative_to(Path(root).resolve()):
        return "resolves outside the data folder (a symbolic link out of it); data files must live inside it"
    mode = os.stat(real).st_mode
    if not stat.S_ISREG(mode):
        return f"expected a regular file, got {_kind(mode)}"
    return None


def _opened_inside(descriptor: int, root: Path) -> bool:
    """Whether the file actually opened lies inside `root` (Linux names it in /proc/self/fd)."""
    try:
        opened = Path(os.readlink(f"/proc/self/fd/{descriptor}"))
    except OSError:
        return True  # no /proc: the check before opening stands
    return opened.is_relative_to(Path(root).resolve())


def read_data_text(path: Path, root: Path, *, max_bytes: int | None = None) -> tuple[str | None, list[Problem]]:
    """The text of one data file, or the problems that prevent reading it (missing: a problem too).

    Refuses anything but a regular file inside `root`, reads at most `max_bytes` (YAML's limit by
    default), requires UTF-8 and rejects bidirectional control characters, each with its line."""
    label = label_of(path, root)
    limit = LIMITS.yaml_bytes if max_bytes is None else max_bytes
    if not os.path.lexists(path):
        return None, [Problem(label, "file is missing")]
    refused = check_path(path, root)
    if refused:
        return None, [Problem(label, refused)]
    try:
        # O_NONBLOCK: a FIFO swapped in after the check cannot hang the open; fstat re-checks the kind.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        return None, [Problem(label, f"cannot be read: {error.strerror or error}")]
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(label, f"expected a regular file, got {_kind(info.st_mode)}")]
        if not _opened_inside(stream.fileno(), root):  # swapped for a link out after the check
            return None, [Problem(label, "resolves outside the data folder (a symbolic link out of it); data "
                                         "files must live inside it")]
        if info.st_size > limit:
            return None, [Problem(label, f"expected at most {limit:,} bytes, got {info.st_size:,}")]
        data = stream.read(limit + 1)
    if len(data) > limit:
        return None, [Problem(label, f"expected at most {limit:,} bytes, got more")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [Problem(label, f"expected UTF-8 text, got the byte 0x{data[error.start]:02x}", line=line)]
    if text.startswith("\ufeff"):
        text = text[1:]
    problems = []
    offset = 0
    while len(problems) < 5 and (found := unsafe_character(text, offset)):
        offset, message = found
        problems.append(Problem(label, message, line=text.count("\n", 0, offset) + 1))
        offset += 1
    if problems:
        return None, problems
    return text, []


def data_files(folder: Path, root: Path, pattern: str = "*.yaml") -> tuple[list[Path], list[Problem]]:
    """The files of a data sub-folder (`blocks/`, `audiences/`), refusing a folder that leaves `root`."""
    if not os.path.lexists(folder):
        return [], []
    refused = None
    try:
        real = Path(folder).resolve(strict=True)
        if not real.is_relative_to(Path(root).resolve()):
            refused = "resolves outside the data folder (a symbolic link out of it); data files must live inside it"
        elif not real.is_dir():
            refused = f"expected a folder, got {_kind(os.stat(real).st_mode)}"
    except (OSError, RuntimeError):
        refused = "is a symbolic link that cannot be followed (a loop or a missing target)"
    if refused:
        return [], [Problem(label_of(folder, root), refused)]
    paths = sorted(Path(folder).glob(pattern))
    if len(paths) > LIMITS.files:
        return [], [Problem(label_of(folder, root), f"expected at most {LIMITS.files:,} files, got {len(paths):,}")]
    return paths, []


# ------------------------------------------------------------------------------------------ YAML


class _Walk:
    """One pass over a composed node tree: line numbers, duplicate keys, aliases, size and depth."""

    def __init__(self, label: str, text: str):
        self.label = label
        self.text = text
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.nodes = 0

    def run(self, root: yaml.Node) -> None:
        self.lines[""] = root.start_mark.line + 1
        seen: set[int] = set()
        pending: list[tuple[yaml.Node, str, int]] = [(root, "", 1)]
        while pending and len(self.problems) < 20:
            node, prefix, depth = pending.pop()
            if id(node) in seen:
                self._alias()
                return
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                self._scalar(node, prefix)
            self.nodes += 1
            if self.nodes > LIMITS.yaml_nodes:
                self.problems.append(Problem(self.label, f"expected at most {LIMITS.yaml_nodes:,} values, got more",
                                             line=node.start_mark.line + 1))
                return
            if depth > LIMITS.yaml_depth and not isinstance(node, yaml.ScalarNode):
                self.problems.append(Problem(self.label, f"expected lists and mappings nested at most "
                                                         f"{LIMITS.yaml_depth} deep, got deeper",
                                             line=node.start_mark.line + 1))
                return
            if isinstance(node, yaml.MappingNode):
                first: dict[str, int] = {}
                children = []
                for key_node, value_node in node.value:
                    line = key_node.start_mark.line + 1
                    if not isinstance(key_node, yaml.ScalarNode):
                        self.problems.append(Problem(self.label, "expected a text key, got a list or mapping",
                                                     line=line))
                        continue
                    key = clean_text(str(key_node.value))
                    if key == "<<":
                        self.problems.append(Problem(self.label, "expected no merge keys ('<<'): write each "
                                                                 "key out", line=line))
                        continue
                    path = f"{prefix}.{key}" if prefix else key
                    self._scalar(key_node, path)  # the key, shown escaped
                    if key in first:
                        self.problems.append(Problem(self.label, f"duplicate key {excerpt(key)}: first on line "
                                                                 f"{first[key]}, again on line {line}",
                                                     line=line, key=path))
                        continue
                    first[key] = line
                    self.lines[path] = line
                    if isinstance(value_node, yaml.ScalarNode):
                        # Block scalars ('|', '>') start on the line after their indicator.
                        start = value_node.start_mark.line + (2 if value_node.style in ("|", ">") else 1)
                        self.lines[f"{path}#text"] = start
                    children.append((value_node, path, depth + 1))
                pending.extend(reversed(children))
            elif isinstance(node, yaml.SequenceNode):
                children = []
                for index, item in enumerate(node.value):
                    path = f"{prefix}[{index}]"
                    self.lines[path] = item.start_mark.line + 1
                    children.append((item, path, depth + 1))
                pending.extend(reversed(children))

    def _scalar(self, node: yaml.ScalarNode, path: str) -> None:
        """Refuse what an escape ('\\x1b', '\\u202e' in double quotes) decoded into a key or a value."""
        found = unsafe_character(node.value)
        if found is None or len(self.problems) >= 20:
            return
        offset, message = found
        line = node.start_mark.line + 1
        if node.style in ("|", ">"):  # block scalars start on the line after their indicator
            line += 1 + node.value.count("\n", 0, offset)
        self.problems.append(Problem(self.label, message, line=line, key=path or None))

    def _alias(self) -> None:
        """Name the first alias's line (the composed tree only shows that a node is shared)."""
        line = None
        try:
            for event in yaml.parse(self.text, Loader=_DateAsTextLoader):
                if isinstance(event, yaml.AliasEvent):
                    line = event.start_mark.line + 1
                    break
        except yaml.YAMLError:
            pass
        self.problems.append(Problem(self.label, "expected no YAML aliases ('*name'): write the value out "
                                                 "in full", line=line))


def _clean_data(value: Any) -> Any:
    """Remove invisible characters from every text in a constructed document (keys included)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean_data(key): _clean_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_data(item) for item in value]
    return value


def _impossible_dates(node: yaml.Node, label: str) -> list[Problem]:
    """Plain scalars that look like YAML timestamps but name no real day (2025-02-30)."""
    import datetime as dt

    problems = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.MappingNode):
            pending.extend(value for pair in current.value for value in pair)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, yaml.ScalarNode) and not current.style and _TIMESTAMP_RE.match(current.value):
            match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", current.value)
            try:
                dt.date(*(int(part) for part in match.groups()))
            except (ValueError, AttributeError):
                problems.append(Problem(label, f"expected a real date, got {excerpt(current.value)}",
                                        line=current.start_mark.line + 1))
    return problems


def parse_yaml(text: str, label: str, *, real_dates: bool = False) -> tuple[RawFile | None, list[Problem]]:
    """Parse YAML text: compose once, check the tree (aliases, duplicates, size), then construct."""
    loader = _DateAsTextLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            reason = getattr(error, "problem", None) or str(error).splitlines()[0]
            return None, [Problem(label, f"is not valid YAML: {reason}", line=mark.line + 1 if mark else None)]
        except RecursionError:
            return None, [Problem(label, f"expected lists and mappings nested at most {LIMITS.yaml_depth} deep, "
                                         "got deeper")]
        if node is None:
            return RawFile(Path(label), label, None, {"": 1}), []
        walk = _Walk(label, text)
        walk.run(node)
        if real_dates:
            walk.problems.extend(_impossible_dates(node, label))
        if walk.problems:
            return None, walk.problems
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            reason = getattr(error, "problem", None) or str(error).splitlines()[0]
            return None, [Problem(label, f"is not valid YAML: {reason}", line=mark.line + 1 if mark else None)]
        except (ValueError, TypeError, OverflowError) as error:  # e.g. an unhashable key
            return None, [Problem(label, f"is not valid YAML: {excerpt(str(error))}")]
    finally:
        loader.dispose()
    return RawFile(Path(label), label, _clean_data(data), walk.lines), []


def read_yaml(path: Path, root: Path, *, real_dates: bool = False) -> tuple[RawFile | None, list[Problem]]:
    """Read and parse one YAML data file; every failure becomes a located problem, never an exception."""
    text, problems = read_data_text(path, root)
    if text is None:
        return None, problems
    raw, problems = parse_yaml(text, label_of(path, root), real_dates=real_dates)
    if raw is not None:
        raw.path = Path(path)
    return raw, problems


def check_csv(path: Path, root: Path) -> list[Problem]:
    """Pre-flight for a normalised CSV: readable (as `read_data_text`), and no cell over the limit."""
    if not os.path.lexists(path):
        return []
    text, problems = read_data_text(path, root, max_bytes=LIMITS.csv_bytes)
    if text is None:  # CSV has no escapes: its cells are refused by read_data_text's check of the raw text
        return problems
    label = label_of(path, root)
    previous = csv.field_size_limit()
    csv.field_size_limit(LIMITS.csv_field)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            for _ in reader:
                pass
        except csv.Error as error:
            reason = ("a cell longer than the limit" if "field larger" in str(error) else excerpt(str(error)))
            return [Problem(label, f"expected CSV cells of at most {LIMITS.csv_field:,} characters, got {reason}"
                            if "field larger" in str(error) else f"is not valid CSV: {reason}",
                            line=reader.line_num or 1)]
    finally:
        csv.field_size_limit(previous)
    return []


# ------------------------------------------------------------------------------------------ JSON

_JSON_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_JSON_SPACE_RE = re.compile(r"[ \t\n\r]*")
_JSON_WORDS = {"true": True, "false": False, "null": None}


class _JsonError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


class _JsonScan:
    """Strict JSON (RFC 8259) parsed by hand so that every key and item keeps its line, with the limits
    YAML has: nesting depth, number of values, duplicate keys (an error, not the last one winning).

    Written here because no kept library does all of it: the standard library's parser gives no positions
    and lets a duplicate key win silently; json-source-map (last released in 2022) maps positions after a
    second, unbounded parse. Strings are still decoded by the standard library (json.decoder.scanstring)."""

    def __init__(self, text: str, label: str):
        import json.decoder

        self._scanstring = json.decoder.scanstring
        self.text = text
        self.label = label
        self.lines: dict[str, int] = {"": 1}
        self.problems: list[Problem] = []
        self.nodes = 0
        self._newlines = [index for index, char in enumerate(text) if char == "\n"]

    def line(self, offset: int) -> int:
        import bisect

        return bisect.bisect_left(self._newlines, offset) + 1

    def _space(self, offset: int) -> int:
        return _JSON_SPACE_RE.match(self.text, offset).end()

    def document(self) -> Any:
        offset = self._space(0)
        self.lines[""] = self.line(offset)
        value, offset = self._value(offset, "", 1)
        offset = self._space(offset)
        if offset != len(self.text):
            raise _JsonError("expected the end of the document after the first value", offset)
        return value

    def _value(self, offset: int, path: str, depth: int) -> tuple[Any, int]:
        self.nodes += 1
        if self.nodes > LIMITS.yaml_nodes:
            raise _JsonError(f"expected at most {LIMITS.yaml_nodes:,} values, got more", offset)
        if offset >= len(self.text):
            raise _JsonError("expected a value, got the end of the file", offset)
        char = self.text[offset]
        if char in "[{":
            if depth > LIMITS.yaml_depth:
                raise _JsonError(f"expected lists and mappings nested at most {LIMITS.yaml_depth} deep, got "
                                 "deeper", offset)
            return (self._object if char == "{" else self._array)(offset + 1, path, depth)
        if char == '"':
            value, end = self._string(offset)
            self._check_text(value, offset, path)
            return value, end
        match = _JSON_NUMBER_RE.match(self.text, offset)
        if match:
            number = match[0]
            if len(number) > 400:
                raise _JsonError("expected a number of at most 400 characters, got more", offset)
            return (float(number) if match[1] or match[2] else int(number)), match.end()
        for word, value in _JSON_WORDS.items():
            if self.text.startswith(word, offset):
                return value, offset + len(word)
        raise _JsonError(f"expected a value, got {excerpt(self.text[offset:offset + 12])}", offset)

    def _check_text(self, value: str, offset: int, path: str) -> None:
        """Refuse what an escape such as \\u202e, \\u0000 or \\ud800 decoded into a key or a value."""
        found = unsafe_character(value)
        if found is not None and len(self.problems) < 20:
            self.problems.append(Problem(self.label, found[1], line=self.line(offset), key=path or None))

    def _string(self, offset: int) -> tuple[str, int]:
        try:
            value, end = self._scanstring(self.text, offset + 1, True)
        except ValueError as error:  # json's own messages: "Invalid control character at: ...", ...
            reason = str(error)
            message = ("expected a string without raw control characters or line breaks (write \\n), got one"
                       if "control character" in reason else
                       "expected an escape such as \\n, \\\" or \\u00e9 in a string, got another"
                       if "escape" in reason else "expected a string closed by '\"', got the end of the file")
            raise _JsonError(message, getattr(error, "pos", offset)) from None
        return value, end

    def _array(self, offset: int, path: str, depth: int) -> tuple[list, int]:
        items: list = []
        offset = self._space(offset)
        if self.text.startswith("]", offset):
            return items, offset + 1
        while True:
            item_path = f"{path}[{len(items)}]"
            self.lines[item_path] = self.line(offset)
            value, offset = self._value(offset, item_path, depth + 1)
            items.append(value)
            offset = self._space(offset)
            if self.text.startswith(",", offset):
                offset = self._space(offset + 1)
            elif self.text.startswith("]", offset):
                return items, offset + 1
            else:
                raise _JsonError("expected ',' or ']' after an item of a list", offset)

    def _object(self, offset: int, path: str, depth: int) -> tuple[dict, int]:
        mapping: dict = {}
        first: dict[str, int] = {}
        offset = self._space(offset)
        if self.text.startswith("}", offset):
            return mapping, offset + 1
        while True:
            if not self.text.startswith('"', offset):
                raise _JsonError("expected a key in double quotes", offset)
            line = self.line(offset)
            key, end = self._string(offset)
            key_path = f"{path}.{clean_text(key)}" if path else clean_text(key)
            self._check_text(key, offset, key_path)  # the key, shown escaped
            key, offset = clean_text(key), end
            offset = self._space(offset)
            if not self.text.startswith(":", offset):
                raise _JsonError(f"expected ':' after the key {excerpt(key)}", offset)
            offset = self._space(offset + 1)
            if key in first:
                self.problems.append(Problem(self.label, f"duplicate key {excerpt(key)}: first on line {first[key]}, "
                                                         f"again on line {line}", line=line, key=key_path))
            else:
                first[key] = line
                self.lines[key_path] = line
                self.lines[f"{key_path}#text"] = self.line(offset)
            value, offset = self._value(offset, key_path, depth + 1)
            mapping.setdefault(key, value)
            offset = self._space(offset)
            if self.text.startswith(",", offset):
                offset = self._space(offset + 1)
            elif self.text.startswith("}", offset):
                return mapping, offset + 1
            else:
                raise _JsonError("expected ',' or '}' after a value of a mapping", offset)


def parse_json(text: str, label: str) -> tuple[RawFile | None, list[Problem]]:
    """Parse JSON text into a raw document whose keys and list items remember their lines."""
    scan = _JsonScan(text, label)
    try:
        data = scan.document()
    except _JsonError as error:
        return None, [Problem(label, f"is not valid JSON: {error}", line=scan.line(error.offset))]
    except RecursionError:
        return None, [Problem(label, f"expected lists and mappings nested at most {LIMITS.yaml_depth} deep, got deeper")]
    if scan.problems:
        return None, scan.problems[:20]
    return RawFile(Path(label), label, _clean_data(data), scan.lines), []


def read_json(path: Path, root: Path) -> tuple[RawFile | None, list[Problem]]:
    """Read and parse one JSON data file (CSL JSON as Zotero exports it) as safely as a YAML one: the
    same checks before and while reading, the same limits, located problems instead of exceptions."""
    text, problems = read_data_text(path, root)
    if text is None:
        return None, problems
    raw, problems = parse_json(text, label_of(path, root))
    if raw is not None:
        raw.path = Path(path)
    return raw, problems
