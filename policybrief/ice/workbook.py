"""ICE's workbooks -> agreement rows and the problems found in ICE's cells.

Input: one of ICE's workbooks, participating agencies (signed agreements) or pending applications, under
any of the file names ICE has used (``read_list_name``): ``participatingAgencies07182025pm.xlsx``,
``ParticipatingAgency091826am.xlsx``, ``287gParticipatingAgencies091526pm.xlsx``, a name with no date, an
archive's Wayback Machine capture ``participatingAgencies-20250221214937.xlsx``.
Output: an ``ImportResult``: ``Agreement`` rows, one located ``ImportProblem`` per unusable cell, and what
provenance needs (SHA-256, sheet, header row, the list date when the file name tells it plausibly).

The workbook is read by this module, not by openpyxl: the zip's own sizes are checked against ``Limits``
before any part is decompressed, XML is parsed with DTDs and entities forbidden (``defusedxml``), and
rows, cells, cell lengths and hyperlinks are counted as they stream, so a hostile or broken file fails
with one line (``AgreementsError``) instead of a traceback or gigabytes of memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import io
import logging
import math
import os
import posixpath
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from rapidfuzz.distance import OSA  # optimal string alignment: insertions, deletions, substitutions, swaps

from ..errors import Problem, printable
from .places import census_county, county_core, gazetteer, place_agency, places_by_state
from .rows import (AGENCY_TYPES, BLANK_COUNTY, EARLIEST_SIGNING, MODELS, STATES, Agreement, AgreementsError,
                   clean_cell, compact, name_words, state_code_of, state_keys)

LOG = logging.getLogger(__name__)

_HEADER_COLUMNS = ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA",
                   "ADDENDUM")
# ICE's workbooks before June 2025 have no ADDENDUM column; it is read as blank there. A list without COUNTY
# or MOA is still read (as the Deportation Data Project reads ICE's older lists), with one problem saying so.
_OPTIONAL_COLUMNS = ("COUNTY", "MOA", "ADDENDUM")
_REPORTED_MISSING = ("COUNTY", "MOA")
_PENDING_HEADER_COLUMNS = _HEADER_COLUMNS[:5]
# Header spellings of ICE's pending workbooks, mapped to the participating workbook's.
_HEADER_ALIASES = {"AGENCY": "LAW ENFORCEMENT AGENCY"}
_HEADER_SEARCH_ROWS = 20
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, serials from 61 on (after Excel's phantom 1900-02-29)
PARTICIPATING, PENDING = "participating", "pending"


# ------------------------------------------------------------------------------------------ limits


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold before it is refused. ICE's lists of 2025-2026 are under 200 KB with
    fewer than 3,000 rows and cells under 300 characters, so the defaults leave a wide margin."""

    file_bytes: int = 20_000_000          # the .xlsx file itself
    uncompressed_bytes: int = 64_000_000  # all zip entries, by the sizes the zip declares
    entries: int = 500                    # zip entries
    rows: int = 50_000                    # rows with at least one cell, per sheet
    cells: int = 1_000_000                # cells per sheet
    cell_chars: int = 4_000               # characters of one cell (a shared string included)
    hyperlinks: int = 100_000             # hyperlinked cells per sheet, ranges counted cell by cell
    columns: int = 64                     # columns read per row (cells further right are ignored)


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class ImportProblem(Problem):
    """One cell of ICE's workbook that could not be used as it stands: the package's one Problem, whose line
    is the workbook's row and whose key its column, with the cell's value and whether the row was kept.
    Printed 'file: row 5: COUNTY: ...', since a spreadsheet's row is not a line of text."""

    value: str = ""
    kept: bool = True  # False when the whole row was left out of the import

    @classmethod
    def at(cls, row: int, column: str, value: str, message: str, *, file: str = "", kept: bool = True) -> ImportProblem:
        return cls(file, message, line=row, key=column, value=value, kept=kept)

    @property
    def row(self) -> int:
        return self.line

    @property
    def column(self) -> str:
        return self.key

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}" if self.file else f"row {self.row}"
        tail = "" if self.kept else " (row left out)"
        return printable(f"{where}: {self.column}: {self.message}{tail}")


@dataclass
class ImportResult:
    """What ``import_list`` read: the usable rows and every problem, plus what provenance needs.

    ``as_of`` is the list date: the one asked for, else the file name's when it is plausible, else None
    with the reason in ``as_of_problem``. ``kind`` is 'participating' or 'pending'.
    """

    rows: list[Agreement]
    problems: list[ImportProblem]
    source: Path
    sha256: str
    sheet: str = ""
    header_row: int = 1
    as_of: dt.date | None = None
    kind: str = PARTICIPATING
    as_of_problem: str = ""
    newest_signed: Agreement | None = None
    links: int = 0


# -------------------------------------------------------------------------------------- Excel dates


def date_from_excel_serial(serial: float) -> dt.date:
    """The date of an Excel 1900-date-system serial (45833 is 2025-06-25); the time of day is dropped.

    Serials 1..59 are January and February 1900; 60 is Excel's nonexistent 1900-02-29 and is refused.
    """
    day = int(serial)
    if day < 1 or day == 60:
        raise ValueError(f"expected an Excel date serial of at least 1 (and not 60), got {serial!r}")
    if day < 60:
        return dt.date(1899, 12, 31) + dt.timedelta(days=day)
    return _EXCEL_EPOCH + dt.timedelta(days=day)


def _serial_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


_EXPECTED_SIGNED = "expected an Excel date serial or M/D/YYYY date"


def _shown(raw: str, limit: int = 60) -> str:
    """A cell for a message: quoted, control characters escaped, cut at `limit` characters."""
    if len(raw) > limit:  # repr escapes what is not printable (controls, bidi, zero-width)
        return repr(raw[:limit] + "\u2026") + f" ({len(raw):,} characters)"
    return repr(raw)


def _parse_signed(value: Any, latest: dt.date) -> tuple[dt.date | None, str, str | None]:
    """Read a SIGNED cell: (date or None, the raw cell as text, problem message or None)."""
    if isinstance(value, dt.datetime):
        day = value.date()
        serial = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        raw = _serial_text(serial) if day >= dt.date(1900, 3, 1) else day.isoformat()
        described = f"Excel serial {raw} (which is {day.isoformat()})"
    elif isinstance(value, dt.date):
        day, raw = value, value.isoformat()
        described = repr(raw)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = _serial_text(value)
        try:
            day = date_from_excel_serial(value)
        except (ValueError, OverflowError):
            return None, raw, f"{_EXPECTED_SIGNED}, got {raw!r}"
        described = f"Excel serial {raw} (which is {day.isoformat()})"
    else:
        raw = clean_cell(value)
        if not raw:
            return None, "", f"{_EXPECTED_SIGNED}, got a blank cell"
        if re.fullmatch(r"\d{1,7}(\.\d{1,12})?", raw):
            try:
                day = date_from_excel_serial(float(raw))
            except (ValueError, OverflowError):
                return None, raw, f"{_EXPECTED_SIGNED}, got {raw!r}"
            described = f"Excel serial {raw} (which is {day.isoformat()})"
        elif match := (re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
                       or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw)):
            # M/D/YYYY as ICE types it; YYYY-MM-DD as an archive's table of ICE's HTML page writes it
            numbers = [int(part) for part in match.groups()]
            month, day_of_month, year = numbers if "/" in raw else numbers[1:] + numbers[:1]
            try:
                day = dt.date(year, month, day_of_month)
            except ValueError:
                return None, raw, f"{_EXPECTED_SIGNED}, got {raw!r}, which is not a calendar date"
            described = f"{raw!r} (which is {day.isoformat()})"
        else:
            return None, raw, f"{_EXPECTED_SIGNED}, got {_shown(raw)}"
    if not EARLIEST_SIGNING <= day <= latest:
        return None, raw, (f"expected a signing date from {EARLIEST_SIGNING.isoformat()} to "
                           f"{latest.isoformat()}, got {described}")
    return day, raw, None


# ------------------------------------------------------------------------------------ file names


# ICE's token: an optional '287g', 'participating' or 'pending', 'Agency' or 'Agencies', in any case.
_LIST_NAME_RE = re.compile(r"(?P<name>(?:287g)?(?P<kind>participating|pending)[ _-]?agenc(?:y|ies))"
                           r"[ _-]*(?P<digits>\d*)(?P<after>.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ListName:
    """What one of ICE's file names says: which list, its date, and ICE's part of the name.

    ``date`` is None when the name carries no readable date, with the reason in ``reason``. ``ice_name``
    is the name from ICE's token on ('sheets_20250719_151637__participatingAgencies07182025pm.xlsx' gives
    'participatingAgencies07182025pm.xlsx'), or the whole name when it has no token.
    """

    kind: str | None
    date: dt.date | None
    reason: str
    ice_name: str
    part_of_day: str = ""
    captured: dt.datetime | None = None  # a Wayback Machine capture time: `date` is the day it was captured


def _calendar(month: int, day: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _capture_time(digits: str) -> dt.datetime | None:
    """A Wayback Machine timestamp, YYYYMMDDhhmmss (from 1996 on), as a time; None when it is not one."""
    if len(digits) != 14 or not "1996" <= digits[:4] <= "2999":
        return None
    try:
        return dt.datetime.strptime(digits, "%Y%m%d%H%M%S")
    except ValueError:
        return None


# An archive's name for a Wayback Machine capture of ICE's list: '...-20250221214937.xlsx'.
_CAPTURE_RE = re.compile(r"-(\d{14})(?=\D|$)")


def read_list_name(name: str) -> ListName:
    """Read ICE's file name: 'participatingAgencies07182025pm.xlsx' is the participating list of 2025-07-18.

    Accepted dates: MMDDYYYY or MMDDYY right after the token, then anything (am, pm, PM, mid, _b, pmB,
    pm2, ' 12.15.07 AM', a quote). Nine or ten digits directly before am/pm are MMDDYYYY and the hour
    ('060920263pm' is 2026-06-09, 3 pm). A hyphen and 14 digits are a Wayback Machine capture time
    ('participatingAgencies-20250221214937.xlsx', or an archive's own name such as
    'ParticipatingEntities-20210113002027.xlsx'): the date is the day of the capture, ``captured`` its time.
    Any other run of digits is refused, never guessed.
    """
    name = Path(name).name
    match = _LIST_NAME_RE.search(name)
    if not match:
        capture = _CAPTURE_RE.search(name)
        when = _capture_time(capture[1]) if capture else None
        if when is not None:
            return ListName(None, when.date(), "", name, captured=when)
        return ListName(None, None, "its name is not one of ICE's (participatingAgencies... or "
                                    "pendingAgencies...) and carries no date", name)
    kind = match["kind"].lower()
    ice_name = name[match.start("name"):]
    digits, after = match["digits"], match["after"]
    part = re.match(r"(am|pm|mid)", after, flags=re.IGNORECASE)
    part_of_day = part[1].lower() if part else ""
    if not digits:
        return ListName(kind, None, "its name carries no date", ice_name, part_of_day)
    date = None
    when = _capture_time(digits) if name[match.end("name"):match.start("digits")] == "-" else None
    if when is not None:
        return ListName(kind, when.date(), "", ice_name, captured=when)
    if len(digits) == 8:
        date = _calendar(int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    elif len(digits) == 6:
        date = _calendar(int(digits[:2]), int(digits[2:4]), 2000 + int(digits[4:]))
    elif len(digits) in (9, 10) and part_of_day in ("am", "pm") and 1 <= int(digits[8:]) <= 12:
        date = _calendar(int(digits[:2]), int(digits[2:4]), int(digits[4:8]))
    else:
        return ListName(kind, None, f"its digits {digits[:20]!r} do not read as MMDDYYYY or MMDDYY",
                        ice_name, part_of_day)
    if date is None:
        return ListName(kind, None, f"its digits {digits!r} are not a calendar date (MMDDYYYY or MMDDYY)",
                        ice_name, part_of_day)
    return ListName(kind, date, "", ice_name, part_of_day)


def as_of_from_filename(name: str) -> dt.date | None:
    """The date ICE's file name carries ('participatingAgencies07182025pm.xlsx' gives 2025-07-18), or None.

    Only the name is read; ``import_list`` also checks that the date is plausible for the list's rows.
    """
    return read_list_name(name).date


def plausible_list_date(listed: ListName, *, today: dt.date,
                        newest_signed: Agreement | None) -> tuple[dt.date | None, str]:
    """The file name's date when it can be the list's date: (date, '') or (None, why not)."""
    if listed.date is None:
        return None, listed.reason
    day = listed.date.isoformat()
    if listed.date > today:
        return None, f"its name reads {day}, which is after today ({today.isoformat()})"
    if listed.date < EARLIEST_SIGNING:
        return None, f"its name reads {day}, before the first 287(g) agreement ({EARLIEST_SIGNING.isoformat()})"
    if newest_signed is not None and newest_signed.signed and listed.date < newest_signed.signed:
        return None, (f"its name reads {day}, earlier than the newest signing date in the list "
                      f"({newest_signed.signed.isoformat()}, row {newest_signed.row})")
    return listed.date, ""


# ------------------------------------------------------------------------------ reading the zip


@dataclass
class _Sheet:
    """One worksheet as read: rows of cell values and the hyperlinks of its cells."""

    name: str
    part: str
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> target

    def link(self, row: int, column: int) -> str | None:
        return self.links.get((row, column))


class _TooLong(str):
    """A cell longer than ``Limits.cell_chars``: only its length is kept."""

    length = 0

    def __new__(cls, length: int):
        value = super().__new__(cls, "")
        value.length = length
        return value


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError,
               NotImplementedError, OSError, ValueError)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rel_id(element) -> str | None:
    for key, value in element.attrib.items():
        if key.startswith("{") and key.endswith("}id") and "relationships" in key:
            return value
    return None


def _cell_ref(ref: str) -> tuple[int, int] | None:
    """'G12' as (row 12, column index 6); None when it is not a cell reference."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})", ref.strip())
    if not match:
        return None
    column = 0
    for char in match[1].upper():
        column = column * 26 + ord(char) - 64
    return int(match[2]), column - 1


class _Workbook:
    """ICE's .xlsx as a zip whose declared sizes were checked before anything is decompressed."""

    def __init__(self, path: Path, file: str, limits: Limits):
        self.file, self.limits = file, limits
        try:
            info = os.stat(path)
        except OSError as error:
            raise AgreementsError([f"{file}: cannot read the workbook: {error.strerror or error}"]) from None
        if not stat.S_ISREG(info.st_mode):
            raise AgreementsError([f"{file}: expected a regular file, got something else (a folder, FIFO or "
                                   "device)"])
        if info.st_size > limits.file_bytes:
            raise AgreementsError([f"{file}: expected a workbook of at most {limits.file_bytes:,} bytes, got "
                                   f"{info.st_size:,}"])
        try:
            self.content = path.read_bytes()
        except OSError as error:
            raise AgreementsError([f"{file}: cannot read the workbook: {error.strerror or error}"]) from None
        self.sha256 = hashlib.sha256(self.content).hexdigest()
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(self.content))
            entries = self.zip.infolist()
        except _ZIP_ERRORS as error:
            raise AgreementsError([f"{file}: expected an Excel .xlsx workbook (a zip file), got a file that is "
                                   f"not one ({_error_text(error)})"]) from None
        if len(entries) > limits.entries:
            raise AgreementsError([f"{file}: expected a workbook of at most {limits.entries:,} zip entries, "
                                   f"got {len(entries):,}"])
        total = sum(entry.file_size for entry in entries)
        if total > limits.uncompressed_bytes:
            raise AgreementsError([f"{file}: expected a workbook of at most {limits.uncompressed_bytes:,} bytes "
                                   f"uncompressed, got {total:,} (by the zip's own sizes); refused unread"])
        self.names = {entry.filename for entry in entries}

    def has(self, part: str) -> bool:
        return part in self.names

    def elements(self, part: str, tags: set[str]):
        """Stream the elements named `tags` (local names) of one XML part; one-line errors for bad XML."""
        if part not in self.names:
            raise AgreementsError([f"{self.file}: expected the workbook part {part}, found none; the workbook "
                                   "is incomplete"])
        try:
            with self.zip.open(part) as handle:
                ancestors = []
                for event, element in iterparse(handle, events=("start", "end"), forbid_dtd=True):
                    if event == "start":
                        ancestors.append(element)
                        continue
                    ancestors.pop()
                    if _local(element.tag) in tags:
                        yield element
                        if ancestors:  # done with it: memory stays flat however many rows the part has
                            ancestors[-1].remove(element)
        except DefusedXmlException as error:
            raise AgreementsError([f"{self.file}: {part}: expected plain XML, got a document type or entity "
                                   f"declaration ({type(error).__name__}); refused unread"]) from None
        except ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            raise AgreementsError([f"{self.file}: {part}: expected well-formed XML, got an error at line "
                                   f"{line}, column {column} (truncated, or not UTF-8 text?)"]) from None
        except _ZIP_ERRORS as error:
            raise AgreementsError([f"{self.file}: {part}: cannot decompress it ({_error_text(error)})"]) from None

    def relationships(self, part: str) -> dict[str, tuple[str, str, str]]:
        """Relationships of a part: id -> (type, target, target mode)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.names:
            return {}
        found = {}
        for element in self.elements(rels, {"Relationship"}):
            found[element.get("Id", "")] = (element.get("Type", ""), element.get("Target", ""),
                                            element.get("TargetMode", ""))
            if len(found) > self.limits.hyperlinks:
                raise AgreementsError([f"{self.file}: {rels}: expected at most {self.limits.hyperlinks:,} "
                                       "relationships, got more"])
        return found

    @staticmethod
    def resolve(source: str, target: str) -> str:
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

    def sheets(self) -> tuple[list[tuple[str, str]], str | None]:
        """[(sheet name, part)] in workbook order, and the shared-strings part if any."""
        workbook_part = "xl/workbook.xml"
        for kind, target, _ in self.relationships("").values():
            if kind.endswith("/officeDocument"):
                workbook_part = self.resolve("", target)
        rels = self.relationships(workbook_part)
        sheets = []
        for element in self.elements(workbook_part, {"sheet"}):
            rel = rels.get(_rel_id(element) or "")
            if rel:
                sheets.append((element.get("name", ""), self.resolve(workbook_part, rel[1])))
        shared = next((self.resolve(workbook_part, target) for kind, target, _ in rels.values()
                       if kind.endswith("/sharedStrings")), None)
        if shared is None and self.has("xl/sharedStrings.xml"):
            shared = "xl/sharedStrings.xml"
        if not sheets:
            raise AgreementsError([f"{self.file}: {workbook_part}: expected at least one worksheet, found none"])
        return sheets, shared

    def shared_strings(self, part: str | None) -> list[str]:
        if part is None:
            return []
        strings: list[str] = []
        for element in self.elements(part, {"si"}):
            texts = []
            for child in element:
                name = _local(child.tag)
                if name == "t":
                    texts.append(child.text or "")
                elif name == "r":
                    texts.extend(item.text or "" for item in child if _local(item.tag) == "t")
            strings.append(self._bounded("".join(texts)))
            element.clear()
            if len(strings) > self.limits.cells:
                raise AgreementsError([f"{self.file}: {part}: expected at most {self.limits.cells:,} shared "
                                       "strings, got more"])
        return strings

    def _bounded(self, text: str) -> str:
        return _TooLong(len(text)) if len(text) > self.limits.cell_chars else text

    def sheet(self, name: str, part: str, strings: list[str]) -> _Sheet:
        """Every row with a value, and the sheet's hyperlinks, counted against the limits as they stream."""
        sheet = _Sheet(name, part)
        limits, file = self.limits, self.file
        rels = self.relationships(part)
        cells = row_elements = linked = 0
        current: dict[int, Any] = {}
        next_row = 1
        next_column = 0
        for element in self.elements(part, {"c", "row", "hyperlink"}):
            tag = _local(element.tag)
            if tag == "c":
                cells += 1
                if cells > limits.cells:
                    raise AgreementsError([f"{file}: sheet {name!r}: expected at most {limits.cells:,} cells, "
                                           "got more; refused"])
                ref = _cell_ref(element.get("r", ""))
                column = ref[1] if ref else next_column
                next_column = column + 1
                if column < limits.columns:
                    value = self._value(element, strings, name)
                    if value is not None:
                        current[column] = value
                element.clear()
            elif tag == "row":
                row_elements += 1
                if row_elements > limits.cells:
                    raise AgreementsError([f"{file}: sheet {name!r}: expected at most {limits.cells:,} rows "
                                           "(empty ones included), got more; refused"])
                try:
                    number = int(element.get("r", next_row))
                except ValueError:
                    number = next_row
                next_row, next_column = number + 1, 0
                if current:
                    if len(sheet.rows) >= limits.rows:
                        raise AgreementsError([f"{file}: sheet {name!r}: expected at most {limits.rows:,} rows, "
                                               "got more; refused"])
                    width = max(current) + 1
                    sheet.rows.append((number, tuple(current.get(index) for index in range(width))))
                current = {}
                element.clear()
            else:  # hyperlink
                target = self._link_target(element, rels)
                refs = element.get("ref", "").split(":")
                first = _cell_ref(refs[0])
                last = _cell_ref(refs[-1]) if len(refs) == 2 else first
                if first is None or last is None or len(refs) > 2:
                    continue
                rows = range(min(first[0], last[0]), max(first[0], last[0]) + 1)
                columns = range(min(first[1], last[1]), max(first[1], last[1]) + 1)
                linked += len(rows) * len(columns)  # a range links each of its cells
                if linked > limits.hyperlinks:
                    raise AgreementsError([f"{file}: sheet {name!r}: expected at most {limits.hyperlinks:,} "
                                           "hyperlinked cells, got more; refused"])
                for row in rows:
                    for column in columns:
                        sheet.links.setdefault((row, column), target)
        return sheet

    @staticmethod
    def _link_target(element, rels: dict[str, tuple[str, str, str]]) -> str:
        rel = rels.get(_rel_id(element) or "")
        if rel:
            return rel[1]
        location = element.get("location")
        return f"#{location}" if location else ""

    def _value(self, element, strings: list[str], sheet: str) -> Any:
        kind = element.get("t", "n")
        value_text = None
        inline = []
        for child in element:
            name = _local(child.tag)
            if name == "v":
                value_text = child.text or ""
            elif name == "is":
                inline.extend(item.text or "" for item in child.iter() if _local(item.tag) == "t")
        if kind == "inlineStr":
            return self._bounded("".join(inline))
        if value_text is None:
            return None
        if kind == "s":
            try:
                return strings[int(value_text)]
            except (ValueError, IndexError):
                raise AgreementsError([f"{self.file}: sheet {sheet!r}: cell {element.get('r', '?')}: expected a "
                                       f"shared-string index below {len(strings):,}, got "
                                       f"{_shown(value_text, 20)}"]) from None
        if kind in ("str", "e"):
            return self._bounded(value_text)
        if kind == "b":
            return value_text.strip() in ("1", "true")
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(value_text.strip())
            except ValueError:
                return self._bounded(value_text)
        text = value_text.strip()
        if re.fullmatch(r"-?\d{1,15}", text):
            return int(text)
        if len(text) <= 40:
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                return number
        return self._bounded(value_text)  # 'NaN', 'inf' or junk: kept as text, reported by its column


def _error_text(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 120 else text[:119] + "\u2026"


# ----------------------------------------------------------------------------------------- header


def _header_key(value: Any) -> str:
    return " ".join(clean_cell(value).upper().split())[:60]


def _header_candidates(rows: list[tuple[int, tuple]]) -> tuple[int, dict[str, int], tuple] | None:
    """The row among the first few with the most known column names, and where each column is."""
    best: tuple[int, dict[str, int], tuple] | None = None
    for number, values in rows[:_HEADER_SEARCH_ROWS]:
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            key = _HEADER_ALIASES.get(_header_key(value), _header_key(value))
            if key in _HEADER_COLUMNS and key not in columns:
                columns[key] = index
        if columns and (best is None or len(columns) > len(best[1])):
            best = (number, columns, values)
    return best


def _check_header(found: tuple[int, dict[str, int], tuple] | None, file: str,
                  wanted: tuple[str, ...], optional: tuple[str, ...] = _OPTIONAL_COLUMNS) -> tuple[int, dict[str, int]]:
    required = [name for name in wanted if name not in optional]
    expected = ", ".join(required)
    if found is None:
        raise AgreementsError([f"{file}: expected a header row with columns {expected} in the first "
                               f"{_HEADER_SEARCH_ROWS} rows, found none"])
    number, columns, values = found
    missing = [name for name in required if name not in columns]
    if missing:
        shown = ", ".join(_shown(clean_cell(value), 40) for value in values[:20] if clean_cell(value)) or "nothing"
        raise AgreementsError([f"{file}: row {number}: header: expected columns {expected}, got {shown}; "
                               f"missing {', '.join(missing)}"])
    return number, {name: index for name, index in columns.items() if name in wanted}


# ------------------------------------------------------------------------------------------ cells


def _lookup(table: dict[str, str], raw: str) -> str | None:
    return table.get(" ".join(raw.lower().split()))


_TYPE_NAMES = {name.lower(): name for name in AGENCY_TYPES}
# Shorter words ICE's lists use for the same types (2025: 'State' for 'State Agency', 'Municipal').
_TYPE_NAMES.update({"state": AGENCY_TYPES[2], "municipal": AGENCY_TYPES[1]})
_MODEL_NAMES = {name.lower(): name for name in MODELS}
_MODEL_NAMES.update({"jem": MODELS[0], "tfm": MODELS[1], "wso": MODELS[2],
                     # spellings of ICE's older lists
                     "task force": MODELS[1], "task force officer": MODELS[1], "task force officers": MODELS[1],
                     "warrant services officer": MODELS[2], "warrant service officers": MODELS[2],
                     "warrant services officers": MODELS[2], "jail enforcement": MODELS[0]})
_HINT_CHARS = 40  # longer cells get no "closest" hint: difflib's cost grows with the square of the length


def _got(raw: str) -> str:
    return _shown(raw) if raw else "a blank cell"


def _choice(table: dict[str, str], names: Iterable[str], raw: str) -> tuple[str | None, bool]:
    """(canonical name, corrected) of a TYPE or SUPPORT TYPE cell: an exact or known spelling, else the one
    name within a typo's reach ('Muncipality', 'Warrant Service Office', 'Jail Enforcment Model': at most one
    edit per 8 letters, and no other name as close), else (None, False)."""
    found = _lookup(table, raw)
    if found is not None or not raw:
        return found, False
    key = " ".join(raw.lower().split())
    if not 6 <= len(key) <= _HINT_CHARS:
        return None, False
    allowed = max(1, len(key) // 8)
    near = {name for name in names
            if abs(len(name) - len(key)) <= allowed and OSA.distance(key, name.lower()) <= allowed}
    return (near.pop(), True) if len(near) == 1 else (None, False)


def _closest(raw: str, choices: Iterable[str]) -> str:
    if not raw or len(raw) > _HINT_CHARS:
        return ""
    match = difflib.get_close_matches(raw.upper(), [choice.upper() for choice in choices], n=1, cutoff=0.6)
    return f" (closest: {match[0]!r})" if match else ""


def corrected_state(raw: str) -> str | None:
    """The state a misspelt STATE cell means when exactly one state is that close ('New Hamsphire')."""
    key = " ".join(name_words(raw))
    if not 4 <= len(key) <= _HINT_CHARS:
        return None
    allowed = 1 if len(key) < 10 else 2
    near = {code for name, code in state_keys().items()
            if len(name) >= 4 and abs(len(name) - len(key)) <= allowed and OSA.distance(key, name) <= allowed}
    return near.pop() if len(near) == 1 else None


def _county_hint(state_code: str, county: str) -> str:
    """What ICE probably meant by a COUNTY cell the Census list lacks; a hint only, never applied."""
    if len(county) > _HINT_CHARS:
        return ""
    core, _ = county_core(county)
    places = places_by_state().get(state_code, ())
    cities = [place.name for place in places if place.kind == "city" and compact(place.core) == compact(core)]
    if cities:
        return f" ({cities[0]!r} is an independent city of {STATES[state_code]})"
    close = difflib.get_close_matches(county, [place.name for place in places], n=1, cutoff=0.85)
    if close:
        return f" (closest: {close[0]!r})"
    elsewhere = sorted({STATES[place.state_code] for place in gazetteer()
                        if place.kind == "county" and compact(place.core) == compact(core)})
    if elsewhere:
        more = " and others" if len(elsewhere) > 3 else ""
        return f" ({county} is in {', '.join(elsewhere[:3])}{more})"
    return ""


def _plain(text: str) -> tuple[str, list[str]]:
    """`text` without control, format (zero-width, bidi), private-use or surrogate characters, and the code
    points removed ('U+202E'); a data folder refuses bidi controls, and none belongs in ICE's names."""
    removed = sorted({f"U+{ord(char):04X}" for char in text if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs")})
    if not removed:
        return text, []
    kept = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf", "Co", "Cs"))
    return " ".join(kept.split()), removed[:5]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """`text` made safe for a spreadsheet: a leading =, +, -, @, tab or CR gets an apostrophe in front."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


_SAFELINKS_RE = re.compile(r"(?:^|\.)safelinks\.protection\.outlook\.com$", re.IGNORECASE)


def checked_link(target: str) -> tuple[str, str | None]:
    """An http(s) URL from a hyperlink target: (url, None), or ('', why it was refused).

    Outlook 'safelinks' wrappers are unwrapped to the address they wrap.
    """
    target = target.strip()
    if not target:
        return "", None
    for _ in range(2):
        try:
            parts = urlsplit(target)
        except ValueError:
            return "", "expected an http(s) link, got one that does not parse"
        if parts.scheme.lower() in ("http", "https") and _SAFELINKS_RE.search(parts.hostname or ""):
            wrapped = parse_qs(parts.query).get("url")
            if wrapped:
                target = wrapped[0].strip()
                continue
        break
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "", f"expected an http(s) link, got {_shown(target)}; left out"
    if any(not char.isprintable() or char.isspace() for char in target):
        return "", f"expected an http(s) link without spaces or control characters, got {_shown(target)}; left out"
    return target, None


# ---------------------------------------------------------------------------------- county placement


def placement(state_code: str, agency: str, agency_type: str, county: str) -> tuple[tuple, str, str]:
    """(Census counties, how, note) of one agency, as ``places.place_agency`` places it."""
    placed = place_agency(state_code, agency, agency_type, county)
    return tuple(placed.counties), placed.how, placed.note


# ----------------------------------------------------------------------------------------- import


def _pick_sheet(book: _Workbook) -> tuple[_Sheet, tuple[int, dict[str, int], tuple] | None]:
    """The data sheet: 'Data', then 'Sheet1', then the others in order; the first with a header wins."""
    sheets, shared_part = book.sheets()
    strings = book.shared_strings(shared_part)
    order = sorted(range(len(sheets)), key=lambda index: (
        {"data": 0, "sheet1": 1}.get(sheets[index][0].strip().lower(), 2), index))
    first: tuple[_Sheet, Any] | None = None
    for index in order:
        name, part = sheets[index]
        sheet = book.sheet(name, part, strings)
        found = _header_candidates(sheet.rows)
        if first is None:
            first = (sheet, found)
        if found and {"STATE", "SUPPORT TYPE"} <= set(found[1]):
            return sheet, found
    assert first is not None
    return first


def import_list(path: Path, *, kind: str | None = None, as_of: dt.date | None = None,
                today: dt.date | None = None, limits: Limits | None = None, keep_untyped: bool = False,
                header_decides: bool = False, place: bool = True) -> ImportResult:
    """Read one of ICE's workbooks, participating or pending, into rows and located problems.

    `kind` is 'participating' or 'pending'; by default the file name's token says, else the header
    (a SIGNED column means the participating list). With `header_decides` the header says even when the
    name says otherwise (archives have swapped the two lists' names), and the disagreement is reported.
    `as_of` is the list's date and the last plausible signing date; without it the file name's date is
    used when plausible (``plausible_list_date``: not after `today`, not before the newest signing date in
    the list), else ``ImportResult.as_of`` is None and ``as_of_problem`` says why, and signing dates are
    bounded by `today`.
    `keep_untyped` keeps rows whose TYPE is unreadable, and reads lists without a TYPE column (the pre-2025
    HTML list had none), with ``agency_type`` '': enough to follow an agreement over time
    (``history``), not to count it by type; ``write_normalised`` refuses such rows. Without `place` no
    agency is placed in a county (faster; COUNTY cells are then not checked against the Census list).
    Raises ``AgreementsError`` (one line each) when the file cannot be read safely, has no recognisable
    header, or holds no rows (a pending list may be empty); every other problem is returned in
    ``ImportResult.problems``.
    """
    path = Path(path)
    today = today or dt.date.today()
    limits = limits or DEFAULT_LIMITS
    listed = read_list_name(path.name)
    file = printable(path.name.encode("utf-8", "backslashreplace").decode("utf-8"), 200)
    book = _Workbook(path, file, limits)
    sheet, found = _pick_sheet(book)
    has_signed = bool(found) and "SIGNED" in found[1]
    by_header = PARTICIPATING if has_signed or found is None else PENDING
    swapped = ""
    if kind is None and header_decides and listed.kind not in (None, by_header):
        swapped = (f"expected the columns of ICE's {listed.kind} list, as the file name says, got those of the "
                   f"{by_header} list ({'a' if has_signed else 'no'} SIGNED column); read as the {by_header} list")
        kind = by_header
    if kind is None:  # the name's token decides, else the header: only the participating list has SIGNED
        kind = listed.kind or by_header
    if kind == PENDING and has_signed:
        raise AgreementsError([f"{file}: row {found[0]}: header: expected the columns of ICE's pending list "
                               f"({', '.join(_PENDING_HEADER_COLUMNS)}), got a SIGNED column too, as in the "
                               "participating list; check which list the file is"])
    wanted = _PENDING_HEADER_COLUMNS if kind == PENDING else _HEADER_COLUMNS
    optional = _OPTIONAL_COLUMNS + (("TYPE",) if keep_untyped else ())
    header_row, columns = _check_header(found, file, wanted, optional)

    def read(latest: dt.date) -> ImportResult:
        read_rows = _rows(sheet, columns, header_row, file, kind=kind, latest=latest,
                          cell_chars=limits.cell_chars, keep_untyped=keep_untyped, place=place)
        read_rows.source, read_rows.sha256, read_rows.sheet = path, book.sha256, sheet.name
        if swapped:
            read_rows.problems.insert(0, ImportProblem.at(header_row, "header", "", swapped, file=file))
        return read_rows

    bound = as_of or today
    result = read(bound)
    if as_of is None:
        newest = max((row for row in result.rows if row.signed), key=lambda row: row.signed, default=None)
        result.newest_signed = newest
        result.as_of, result.as_of_problem = plausible_list_date(listed, today=today, newest_signed=newest)
        if result.as_of is not None and result.as_of != bound:
            # The list's own date bounds its signing dates (no row is newer: that was just checked).
            again = read(result.as_of)
            again.as_of, again.newest_signed = result.as_of, newest
            result = again
    else:
        result.as_of = as_of
        if listed.date and listed.date != as_of:
            LOG.info("%s: its name reads %s; using the date given, %s", file, listed.date, as_of)
    what = "pending-application" if kind == PENDING else "agreement"
    LOG.info("read %d %s rows from %s (sheet %r, header row %d, %d links), %d problems", len(result.rows),
             what, file, sheet.name, header_row, result.links, len(result.problems))
    return result


def import_workbook(path: Path, *, latest: dt.date | None = None, today: dt.date | None = None,
                    limits: Limits | None = None) -> ImportResult:
    """Read ICE's participating-agencies workbook (see ``import_list``); `latest` is the list's date."""
    return import_list(path, kind=PARTICIPATING, as_of=latest, today=today, limits=limits)


def import_pending_workbook(path: Path, *, as_of: dt.date | None = None, today: dt.date | None = None,
                            limits: Limits | None = None) -> ImportResult:
    """Read ICE's pending-applications workbook: rows with ``signed=None`` and blank ``signed_raw``, ``moa``
    and ``addendum`` (the pending list has no such columns); the agency column may be headed AGENCY."""
    return import_list(path, kind=PENDING, as_of=as_of, today=today, limits=limits)


def _rows(sheet: _Sheet, columns: dict[str, int], header_row: int, file: str, *, kind: str,
          latest: dt.date, cell_chars: int, keep_untyped: bool = False, place: bool = True) -> ImportResult:
    """The agreement rows below the header, each cell checked; problems located by Excel row."""
    pending = kind == PENDING
    result = ImportResult(rows=[], problems=[], source=Path(file), sha256="", header_row=header_row, kind=kind)
    for name in _REPORTED_MISSING + ("TYPE",):
        if name not in columns and not (pending and name == "MOA"):
            consequence = {"COUNTY": "counties are placed from agency names only",
                           "MOA": "no agreement links are read",
                           "TYPE": "rows kept without an agency type"}[name]
            result.problems.append(ImportProblem.at(header_row, name, "", f"expected a {name} column in the header, "
                                                 f"found none; {consequence}", file=file))

    def cell(values: tuple, name: str) -> Any:
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    for number, values in sheet.rows:
        if number <= header_row or all(clean_cell(value) == "" and not isinstance(value, _TooLong)
                                       for value in values):
            continue
        found: list[ImportProblem] = []

        def problem(column: str, raw: str, message: str, kept: bool) -> None:
            found.append(ImportProblem.at(number, column, raw[:200], message, file=file, kept=kept))

        too_long = [name for name in columns if isinstance(cell(values, name), _TooLong)]
        if too_long:
            result.problems.extend(
                ImportProblem.at(number, name, "", f"expected a cell of at most {cell_chars:,} characters, got "
                              f"{cell(values, name).length:,}", file=file, kept=False) for name in too_long)
            continue

        def text(name: str) -> str:
            value = clean_cell(cell(values, name))
            plain, removed = _plain(value)
            if removed:
                problem(name, value, f"expected plain text, got {_shown(value)} with invisible, control or "
                        f"direction-changing characters ({', '.join(removed)}); they were removed", kept=True)
            return plain

        raw_state = text("STATE")
        code = state_code_of(raw_state) if raw_state else None
        if code is None and (code := corrected_state(raw_state)) is not None:
            problem("STATE", raw_state, f"expected a U.S. state or territory name, got {_got(raw_state)}; "
                    f"read as {STATES[code]}", kept=True)
        elif code is None:
            problem("STATE", raw_state, f"expected a U.S. state or territory name, got {_got(raw_state)}"
                    f"{_closest(raw_state, STATES.values())}", kept=False)
        agency = text("LAW ENFORCEMENT AGENCY").replace("\u2019", "'").replace("\u2018", "'")
        if not agency:
            problem("LAW ENFORCEMENT AGENCY", "", "expected an agency name, got a blank cell", kept=False)
        raw_type = text("TYPE")
        agency_type, corrected = _choice(_TYPE_NAMES, AGENCY_TYPES, raw_type)
        if corrected:
            problem("TYPE", raw_type, f"expected one of {', '.join(AGENCY_TYPES)}, got {_got(raw_type)}; "
                    f"read as {agency_type}", kept=True)
        elif agency_type is None and keep_untyped and "TYPE" in columns:
            agency_type = ""
            problem("TYPE", raw_type, f"expected one of {', '.join(AGENCY_TYPES)}, got {_got(raw_type)}; "
                    "kept without an agency type", kept=True)
        elif agency_type is None and keep_untyped:
            agency_type = ""  # no TYPE column: reported once, on the header row
        elif agency_type is None:
            problem("TYPE", raw_type, f"expected one of {', '.join(AGENCY_TYPES)}, got {_got(raw_type)}",
                    kept=False)
        raw_model = text("SUPPORT TYPE")
        model, corrected = _choice(_MODEL_NAMES, MODELS, raw_model)
        if corrected:
            problem("SUPPORT TYPE", raw_model, f"expected one of {', '.join(MODELS)}, got {_got(raw_model)}; "
                    f"read as {model}", kept=True)
        elif model is None:
            problem("SUPPORT TYPE", raw_model, f"expected one of {', '.join(MODELS)}, got {_got(raw_model)}",
                    kept=False)
        signed, signed_raw = None, ""
        if not pending:
            signed, signed_raw, signed_problem = _parse_signed(cell(values, "SIGNED"), latest)
            if signed_problem:
                problem("SIGNED", signed_raw, signed_problem, kept=True)
        county = text("COUNTY")
        if county.lower() in BLANK_COUNTY:
            county = ""
        links: dict[str, str] = {}
        if not pending:
            for name in ("MOA", "ADDENDUM"):
                links[name] = _link_cell(sheet, number, columns.get(name), name, text(name), problem)

        # Cells that a spreadsheet would run as formulas are written with an apostrophe in front.
        for name, value in (("LAW ENFORCEMENT AGENCY", agency), ("COUNTY", county), ("SIGNED", signed_raw),
                            ("MOA", links.get("MOA", "")), ("ADDENDUM", links.get("ADDENDUM", ""))):
            if value.startswith(FORMULA_STARTS):
                problem(name, value, f"expected text, got {_shown(value)}, which a spreadsheet would run as a "
                        "formula; written with an apostrophe in front", kept=True)
        agency, county, signed_raw = neutralised(agency), neutralised(county), neutralised(signed_raw)
        links = {name: neutralised(value) for name, value in links.items()}

        fips: tuple[str, ...] = ()
        if place and code is not None and agency and agency_type:
            places, how, note = placement(code, agency, agency_type, county)
            fips = tuple(place.fips for place in places)
            if county and (how == "corrected" or not census_county(code, county)):
                hint = ""
                if places:
                    where = ("read as " + " and ".join(f"{place.name} ({place.fips})" for place in places)
                             + "; ICE's cell kept as written")
                elif how == "state":
                    where = "kept as written; a state agency, counted statewide"
                else:
                    hint = _county_hint(code, county)
                    where = "kept as written, not placed in a county" + (f" ({note})" if note and not hint else "")
                problem("COUNTY", county, f"expected a county of {STATES[code]}, got {_shown(county)}{hint}; "
                        f"{where}", kept=True)

        if not all(item.kept for item in found):
            # Every problem of a left-out row says so, so nobody reads its SIGNED note as "row kept".
            result.problems.extend(dataclasses.replace(item, kept=False) for item in found)
            continue
        result.problems.extend(found)
        result.links += sum(1 for value in links.values() if value.startswith(("http://", "https://")))
        result.rows.append(Agreement(
            state=STATES[code], state_code=code, agency=agency, agency_type=agency_type, county=county,
            model=model, signed=signed, signed_raw=signed_raw, moa=links.get("MOA", ""),
            addendum=links.get("ADDENDUM", ""), row=number, county_fips=fips))

    what = "pending-application" if pending else "agreement"
    if pending and not result.rows and all(item.kept for item in result.problems):
        LOG.info("%s: no pending application below the header (row %d): an empty list", file, header_row)
    elif not result.rows:
        raise AgreementsError([f"{file}: expected {what} rows below the header (row {header_row}), "
                               f"found none"] + [str(item) for item in result.problems[:20]])
    return result


def _link_cell(sheet: _Sheet, row: int, column: int | None, name: str, text: str, problem) -> str:
    """An MOA or ADDENDUM cell: the URL of its hyperlink, else an http(s) address it holds as text, else its
    text as ICE wrote it (such as 'link pending'). Targets that are not http(s) are reported and left out."""
    if column is None:
        return ""
    target = sheet.link(row, column)
    if target:
        url, refused = checked_link(target)
        if not refused:
            return url
        problem(name, target, f"hyperlink: {refused}", kept=True)
    if text.lower().startswith(("http://", "https://")):
        url, refused = checked_link(text)
        if refused:
            problem(name, text, refused, kept=True)
        return url
    return text
