"""ICE's workbooks -> agreement rows and the problems found in ICE's cells.

Input: an ICE ``participatingAgencies<MMDDYYYY><am|pm>.xlsx`` workbook (``import_workbook``) or its
companion ``pendingAgencies...xlsx`` (``import_pending_workbook``).
Output: an ``ImportResult``: ``Agreement`` rows, one located ``ImportProblem`` per unusable cell, and what
provenance needs (SHA-256, sheet, header row, the list date read from the file name).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .places import census_county, county_core, gazetteer, places_by_state
from .rows import (AGENCY_TYPES, BLANK_COUNTY, EARLIEST_SIGNING, MODELS, STATES, Agreement, AgreementsError,
                   clean_cell, compact, state_code_of)

LOG = logging.getLogger(__name__)

_HEADER_COLUMNS = ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA",
                   "ADDENDUM")
# ICE's workbooks before June 2025 have no ADDENDUM column; it is read as blank there.
_OPTIONAL_COLUMNS = ("ADDENDUM",)
_PENDING_HEADER_COLUMNS = _HEADER_COLUMNS[:5]
# Header spellings of ICE's pending workbooks, mapped to the participating workbook's.
_PENDING_HEADER_ALIASES = {"AGENCY": "LAW ENFORCEMENT AGENCY"}
_HEADER_SEARCH_ROWS = 20
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, serials from 61 on (after Excel's phantom 1900-02-29)


@dataclass(frozen=True)
class ImportProblem:
    """One cell of ICE's workbook that could not be used as it stands."""

    row: int
    column: str
    value: str
    message: str
    file: str = ""
    kept: bool = True  # False when the whole row was left out of the import

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}" if self.file else f"row {self.row}"
        tail = "" if self.kept else " (row left out)"
        return f"{where}: {self.column}: {self.message}{tail}"


@dataclass
class ImportResult:
    """What ``import_workbook`` or ``import_pending_workbook`` read: the usable rows and every problem, plus
    what provenance needs."""

    rows: list[Agreement]
    problems: list[ImportProblem]
    source: Path
    sha256: str
    sheet: str = ""
    header_row: int = 1
    as_of: dt.date | None = None


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
        if re.fullmatch(r"\d+(\.\d+)?", raw):
            try:
                day = date_from_excel_serial(float(raw))
            except (ValueError, OverflowError):
                return None, raw, f"{_EXPECTED_SIGNED}, got {raw!r}"
            described = f"Excel serial {raw} (which is {day.isoformat()})"
        elif match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw):
            month, day_of_month, year = (int(part) for part in match.groups())
            try:
                day = dt.date(year, month, day_of_month)
            except ValueError:
                return None, raw, f"{_EXPECTED_SIGNED}, got {raw!r}, which is not a calendar date"
            described = f"{raw!r} (which is {day.isoformat()})"
        else:
            return None, raw, f"{_EXPECTED_SIGNED}, got {raw!r}"
    if not EARLIEST_SIGNING <= day <= latest:
        return None, raw, (f"expected a signing date from {EARLIEST_SIGNING.isoformat()} to "
                           f"{latest.isoformat()}, got {described}")
    return day, raw, None


# ----------------------------------------------------------------------------------------- import


def as_of_from_filename(name: str) -> dt.date | None:
    """The list date in ICE's file name: 'participatingAgencies07182025pm.xlsx' gives 2025-07-18.

    Returns None when the name carries no MMDDYYYY date after 'participatingAgencies' or 'pendingAgencies'.
    """
    match = re.search(r"(?:participating|pending)Agencies(\d{2})(\d{2})(\d{4})", name, flags=re.IGNORECASE)
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _header_key(value: Any) -> str:
    return " ".join(clean_cell(value).upper().split())


def _find_header(rows: list[tuple[int, tuple]], file: str, wanted: tuple[str, ...] = _HEADER_COLUMNS,
                 aliases: dict[str, str] | None = None) -> tuple[int, dict[str, int]]:
    """The Excel row of the header and the index of each known column; raises if columns are missing."""
    aliases = aliases or {}
    best: tuple[int, int, dict[str, int], tuple] | None = None
    for number, values in rows[:_HEADER_SEARCH_ROWS]:
        columns = {}
        for index, value in enumerate(values):
            key = _header_key(value)
            key = aliases.get(key, key)
            if key in wanted and key not in columns:
                columns[key] = index
        if columns and (best is None or len(columns) > best[1]):
            best = (number, len(columns), columns, values)
    required = [name for name in wanted if name not in _OPTIONAL_COLUMNS]
    expected = ", ".join(required)
    if best is None:
        raise AgreementsError([f"{file}: expected a header row with columns {expected} in the first "
                               f"{_HEADER_SEARCH_ROWS} rows, found none"])
    number, _, columns, values = best
    missing = [name for name in required if name not in columns]
    if missing:
        found = ", ".join(repr(clean_cell(value)) for value in values if clean_cell(value)) or "nothing"
        raise AgreementsError([f"{file}: row {number}: header: expected columns {expected}, got {found}; "
                               f"missing {', '.join(missing)}"])
    return number, columns


def _lookup(table: dict[str, str], raw: str) -> str | None:
    return table.get(" ".join(raw.lower().split()))


_TYPE_NAMES = {name.lower(): name for name in AGENCY_TYPES}
_MODEL_NAMES = {name.lower(): name for name in MODELS}
_MODEL_NAMES.update({"jem": MODELS[0], "tfm": MODELS[1], "wso": MODELS[2]})


def _got(raw: str) -> str:
    return repr(raw) if raw else "a blank cell"


def _closest(raw: str, choices: Iterable[str]) -> str:
    if not raw:
        return ""
    match = difflib.get_close_matches(raw.upper(), [choice.upper() for choice in choices], n=1, cutoff=0.6)
    return f" (closest: {match[0]!r})" if match else ""


def _county_hint(state_code: str, county: str) -> str:
    """What ICE probably meant by a COUNTY cell the Census list lacks; a hint only, never applied."""
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


def import_workbook(path: Path, *, latest: dt.date | None = None) -> ImportResult:
    """Read one of ICE's participatingAgencies*.xlsx workbooks into agreements and located problems.

    `latest` is the last plausible signing date: by default the list date in the file name (a list
    cannot show an agreement signed after it was published), or today when the name has none.
    Raises ``AgreementsError`` when the file cannot be read, has no recognisable header, or holds no
    agreement rows; every other problem is returned in ``ImportResult.problems``.
    """
    path = Path(path)
    latest = latest or as_of_from_filename(path.name) or dt.date.today()
    return _import(path, pending=False, latest=latest)


def import_pending_workbook(path: Path) -> ImportResult:
    """Read one of ICE's pendingAgencies*.xlsx workbooks: applications that ICE lists as not yet signed.

    The rows are ``Agreement`` records with ``signed=None`` and blank ``signed_raw``, ``moa`` and
    ``addendum`` (the pending list has no such columns); STATE, TYPE, SUPPORT TYPE and COUNTY follow the
    same rules as ``import_workbook``. The agency column may be headed LAW ENFORCEMENT AGENCY or AGENCY.
    Raises ``AgreementsError`` when the file cannot be read, has no recognisable header, or holds no rows.
    """
    return _import(Path(path), pending=True, latest=None)


def _read_sheet(path: Path) -> tuple[bytes, list[tuple[int, tuple]], str]:
    """The workbook's bytes, the numbered rows of its first sheet, and that sheet's name."""
    from openpyxl import load_workbook  # imported here so loading the CSV does not need openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    file = path.name
    try:
        content = path.read_bytes()
    except OSError as error:
        raise AgreementsError([f"{path}: cannot read the workbook: {error.strerror or error}"]) from error
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                sheet.reset_dimensions()  # some exporters write a wrong <dimension>; read every row present
                rows = [(number, tuple(values)) for number, values in
                        enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
                sheet_name = sheet.title
            finally:
                workbook.close()
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise AgreementsError([f"{file}: expected an Excel .xlsx workbook, got a file openpyxl cannot read "
                               f"({type(error).__name__}: {error})"]) from error
    for warning in caught:
        LOG.debug("%s: openpyxl: %s", file, warning.message)
    return content, rows, sheet_name


def _import(path: Path, *, pending: bool, latest: dt.date | None) -> ImportResult:
    """The shared reading of ICE's two workbooks; `pending` rows have no SIGNED, MOA or ADDENDUM cell."""
    file = path.name
    content, rows, sheet_name = _read_sheet(path)
    if pending:
        header_row, columns = _find_header(rows, file, _PENDING_HEADER_COLUMNS, _PENDING_HEADER_ALIASES)
    else:
        header_row, columns = _find_header(rows, file)
    result = ImportResult(rows=[], problems=[], source=path, sha256=hashlib.sha256(content).hexdigest(),
                          sheet=sheet_name, header_row=header_row, as_of=as_of_from_filename(file))

    def cell(values: tuple, name: str) -> Any:
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    for number, values in rows:
        if number <= header_row or all(clean_cell(value) == "" for value in values):
            continue
        found: list[ImportProblem] = []

        def problem(column: str, raw: str, message: str, kept: bool) -> None:
            found.append(ImportProblem(number, column, raw, message, file=file, kept=kept))

        raw_state = clean_cell(cell(values, "STATE"))
        code = state_code_of(raw_state) if raw_state else None
        if code is None:
            problem("STATE", raw_state, f"expected a U.S. state or territory name, got {_got(raw_state)}"
                    f"{_closest(raw_state, STATES.values())}", kept=False)
        agency = clean_cell(cell(values, "LAW ENFORCEMENT AGENCY")).replace("\u2019", "'").replace("\u2018", "'")
        if not agency:
            problem("LAW ENFORCEMENT AGENCY", "", "expected an agency name, got a blank cell", kept=False)
        raw_type = clean_cell(cell(values, "TYPE"))
        agency_type = _lookup(_TYPE_NAMES, raw_type)
        if agency_type is None:
            problem("TYPE", raw_type, f"expected one of {', '.join(AGENCY_TYPES)}, got {_got(raw_type)}",
                    kept=False)
        raw_model = clean_cell(cell(values, "SUPPORT TYPE"))
        model = _lookup(_MODEL_NAMES, raw_model)
        if model is None:
            problem("SUPPORT TYPE", raw_model, f"expected one of {', '.join(MODELS)}, got {_got(raw_model)}",
                    kept=False)
        signed, signed_raw = None, ""
        if not pending:
            signed, signed_raw, signed_problem = _parse_signed(cell(values, "SIGNED"), latest)
            if signed_problem:
                problem("SIGNED", signed_raw, signed_problem, kept=True)
        county = clean_cell(cell(values, "COUNTY"))
        if county.lower() in BLANK_COUNTY:
            county = ""
        elif code is not None and not census_county(code, county):
            problem("COUNTY", county, f"expected a county of {STATES[code]}, got {county!r}"
                    f"{_county_hint(code, county)}; kept as written", kept=True)

        if not all(item.kept for item in found):
            # Every problem of a left-out row says so, so nobody reads its SIGNED note as "row kept".
            result.problems.extend(dataclasses.replace(item, kept=False) for item in found)
            continue
        result.problems.extend(found)
        result.rows.append(Agreement(
            state=STATES[code], state_code=code, agency=agency, agency_type=agency_type, county=county,
            model=model, signed=signed, signed_raw=signed_raw, moa=clean_cell(cell(values, "MOA")),
            addendum=clean_cell(cell(values, "ADDENDUM")), row=number))

    what = "pending-application" if pending else "agreement"
    if not result.rows:
        raise AgreementsError([f"{file}: expected {what} rows below the header (row {header_row}), "
                               f"found none"] + [str(item) for item in result.problems])
    for item in result.problems:
        LOG.warning("%s", item)
    LOG.info("read %d %s rows from %s (sheet %r), %d problems", len(result.rows), what, file, sheet_name,
             len(result.problems))
    return result
