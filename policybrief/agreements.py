"""ICE's participating-agencies list: import from ICE's workbook, load the normalised CSV, count, and look up jurisdictions.

Input: an ICE ``participatingAgencies<MMDDYYYY><am|pm>.xlsx`` workbook (``import_workbook``), or the
normalised ``data/agreements/participating.csv`` with its ``provenance.yaml`` (``load_agreements``).
Output: ``Agreement`` rows with the problems found in ICE's cells, the two files of ``data/agreements/``
(``write_normalised``), counts (``AgreementList``) and ``Jurisdiction`` look-ups (``find_jurisdiction``).

ICE's companion ``pendingAgencies<MMDDYYYY><am|pm>.xlsx`` workbook lists applications not yet signed
(STATE, LAW ENFORCEMENT AGENCY or AGENCY, TYPE, COUNTY, SUPPORT TYPE; no dates). It is optional:
``import_pending_workbook`` reads it with the same rules into ``Agreement`` rows with ``signed=None``,
``write_pending`` writes ``data/agreements/pending.csv`` and a ``pending:`` entry in ``provenance.yaml``,
and ``load_agreements`` loads it, when present, as ``AgreementList.pending``; ``find_jurisdiction`` fills
``Jurisdiction.pending`` by the same matching as ``Jurisdiction.agreements``.

Decisions about ICE's data, all reported rather than guessed:

* A row whose SIGNED cell is not a plausible date (text such as ``7/72025``, or a serial outside
  2002-01-01..today such as ``1141572``) is kept with ``signed=None``: the agreement itself is listed by
  ICE, only its date is unreadable. The cell is kept verbatim in ``signed_raw`` and the problem is
  recorded with its Excel row.
* A row whose STATE, TYPE or SUPPORT TYPE is not one of the known values, or whose agency name is blank,
  is left out and recorded as a problem: it cannot be counted under any heading.
* A COUNTY that is not a county (or county-equivalent) of the row's state in the Census list shipped
  with ``addfips`` is kept as ICE wrote it and recorded as a problem (ICE's lists misspell several).
* Typographic apostrophes in agency names become ASCII ones, and runs of white space become one space:
  ICE lists some Texas sheriffs twice, once with each apostrophe, and they are one agency.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import difflib
import hashlib
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from .errors import DataError, UsageError

LOG = logging.getLogger(__name__)

__all__ = [
    "Agreement", "AgreementList", "AgreementsError", "ImportProblem", "ImportResult", "Jurisdiction",
    "JurisdictionError", "CSV_COLUMNS", "PENDING_CSV_COLUMNS", "MODELS", "AGENCY_TYPES", "STATES",
    "as_of_from_filename", "date_from_excel_serial", "find_jurisdiction", "import_pending_workbook",
    "import_workbook", "load_agreements", "write_normalised", "write_pending",
]

ICE_PAGE = "https://www.ice.gov/identify-and-arrest/287g"
PUBLISHER = "U.S. Immigration and Customs Enforcement"
LICENCE = ("U.S. government work (17 U.S.C. 105): not subject to copyright in the United States; "
           "free to redistribute.")

MODELS = ("Jail Enforcement Model", "Task Force Model", "Warrant Service Officer")
AGENCY_TYPES = ("County", "Municipality", "State Agency")
CSV_COLUMNS = ("state", "state_code", "agency", "agency_type", "county", "model", "signed", "signed_raw",
               "moa", "addendum")
# pending.csv: ICE's pending list has no SIGNED, MOA or ADDENDUM column.
PENDING_CSV_COLUMNS = CSV_COLUMNS[:6]

# USPS codes of the 50 states, the District of Columbia and the inhabited territories.
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}
_STATE_ALIASES = {
    "washington dc": "DC", "washington d c": "DC", "d c": "DC",
    "virgin islands": "VI", "us virgin islands": "VI", "united states virgin islands": "VI",
    "commonwealth of the northern mariana islands": "MP",
}

EARLIEST_SIGNING = dt.date(2002, 1, 1)  # the first 287(g) agreement (Florida) dates from July 2002

_HEADER_COLUMNS = ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA",
                   "ADDENDUM")
# ICE's workbooks before June 2025 have no ADDENDUM column; it is read as blank there.
_OPTIONAL_COLUMNS = ("ADDENDUM",)
_PENDING_HEADER_COLUMNS = _HEADER_COLUMNS[:5]
# Header spellings of ICE's pending workbooks, mapped to the participating workbook's.
_PENDING_HEADER_ALIASES = {"AGENCY": "LAW ENFORCEMENT AGENCY"}
_HEADER_SEARCH_ROWS = 20
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, serials from 61 on (after Excel's phantom 1900-02-29)
_BLANK_COUNTY = {"", "#n/a", "n/a", "#na", "na", "none", "-"}


# --------------------------------------------------------------------------------------------- errors


class AgreementsError(DataError):
    """The workbook or the normalised files are unusable; ``.problems`` holds one located message each."""

    def __init__(self, problems: list[str]):
        super().__init__([str(problem) for problem in problems])


class JurisdictionError(UsageError):
    """A jurisdiction name matched nothing, or more than one place; ``.candidates`` says what would match."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates)


# ------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Agreement:
    """One row of ICE's list: one agency's agreement under one model.

    ``row`` is the Excel row for imported rows and the CSV line for loaded ones; ``signed`` is None when
    ICE's SIGNED cell is unreadable (``signed_raw`` keeps it: the 1900-system serial of a date cell, or
    the text of a text cell); ``county`` is blank where ICE wrote ``#N/A``.
    """

    state: str
    state_code: str
    agency: str
    agency_type: str
    county: str
    model: str
    signed: dt.date | None
    signed_raw: str
    moa: str
    addendum: str
    row: int

    @property
    def agency_key(self) -> tuple[str, str]:
        """What makes two rows the same agency: its state and its lower-cased name."""
        return self.state_code, self.agency.lower()


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


# ------------------------------------------------------------------------------------- text helpers


def _clean(value: Any) -> str:
    """A cell as single-spaced text (non-breaking spaces included), or '' for an empty cell."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\u00a0", " ").split())


def _words(text: str) -> list[str]:
    """Lower-case ASCII words of `text`: accents, apostrophes and punctuation dropped, '&' read as 'and'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['`]", "", text.lower().replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", " ", text).split()


# Abbreviations people type for place names, mapped to one spelling so both sides compare equal.
_WORD_CANON = {"co": "county", "cnty": "county", "cty": "county", "par": "parish", "saint": "st",
               "sainte": "ste", "ft": "fort", "mt": "mount", "twp": "township"}


def _canon(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(_WORD_CANON.get(word, word) for word in words)


def _compact(words: Iterable[str]) -> str:
    """Words joined without spaces, so 'De Kalb' and 'DeKalb' compare equal."""
    return "".join(words)


def _slug(text: str) -> str:
    return "-".join(_words(text))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return size > 0 and any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))


@lru_cache(maxsize=1)
def _state_keys() -> dict[str, str]:
    keys = {" ".join(_words(name)): code for code, name in STATES.items()}
    keys.update({code.lower(): code for code in STATES})
    keys.update(_STATE_ALIASES)
    return keys


def _state_code(text: str) -> str | None:
    """USPS code for a state name or code in any case ('TEXAS', 'tx', 'Texas'), else None."""
    return _state_keys().get(" ".join(_words(text)))


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
        raw = _clean(value)
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


# --------------------------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class _Place:
    """A county or county-equivalent from the Census list that ``addfips`` ships."""

    state_code: str
    name: str           # as the Census writes it: 'Harris County', 'Orleans Parish', 'Baltimore city'
    fips: str
    kind: str           # 'county' or 'city' (an independent city such as Alexandria, Virginia)
    core: tuple[str, ...]  # canonical words without the county word: ('harris',)

    @property
    def display(self) -> str:
        state = STATES[self.state_code]
        if self.kind == "city":
            return f"{self.city_name}, {state}"
        return f"{self.name}, {state}"

    @property
    def candidate(self) -> str:
        """How to write this place so that ``find_jurisdiction`` resolves it unambiguously."""
        if self.kind == "city":
            return f"City of {self.city_name}, {STATES[self.state_code]}"
        return self.display

    @property
    def city_name(self) -> str:
        return self.name[: -len(" city")] if self.name.endswith(" city") else self.name

    @property
    def slug(self) -> str:
        base = self.city_name if self.kind == "city" else self.name
        return f"{_slug(base)}-{self.state_code.lower()}"


# Longest first, so 'City and Borough' is removed before 'Borough'.
_COUNTY_SUFFIXES = ((" City and Borough", "county"), (" Census Area", "county"), (" Municipality", "county"),
                    (" Municipio", "county"), (" County", "county"), (" Parish", "county"),
                    (" Borough", "county"), (" city", "city"))
_COUNTY_WORDS = ("county", "parish", "borough")


def _place_from_census(state_code: str, name: str, fips: str) -> _Place:
    kind, core = "city", name  # county-equivalents with no suffix: Carson City, District of Columbia
    for suffix, suffix_kind in _COUNTY_SUFFIXES:
        if name.endswith(suffix):
            kind, core = suffix_kind, name[: -len(suffix)]
            break
    return _Place(state_code, name, fips, kind, _canon(_words(core)))


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[_Place, ...]:
    """Every county and county-equivalent in the newest Census vintage that ``addfips`` ships."""
    package = resources.files("addfips")
    data = package.joinpath("data")
    vintages = sorted(entry.name for entry in data.iterdir() if re.fullmatch(r"counties_\d{4}\.csv", entry.name))
    if not vintages:
        raise AgreementsError([f"{data}: expected the addfips package's counties_<year>.csv files, found none; "
                               "reinstall it with `pip install addfips`"])
    with data.joinpath("states.csv").open(encoding="utf-8") as handle:
        code_of_fips = {}
        for row in csv.DictReader(handle):
            code_of_fips.setdefault(row["fips"], row["postal"])
    places = []
    with data.joinpath(vintages[-1]).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = code_of_fips.get(row["statefp"])
            if code in STATES and code != "DC":  # the District is looked up as a state
                places.append(_place_from_census(code, row["name"], row["statefp"] + row["countyfp"]))
    LOG.debug("read %d counties from addfips %s", len(places), vintages[-1])
    return tuple(places)


@lru_cache(maxsize=1)
def _places_by_state() -> dict[str, list[_Place]]:
    by_state: dict[str, list[_Place]] = {}
    for place in _gazetteer():
        by_state.setdefault(place.state_code, []).append(place)
    return by_state


def _county_core(county: str) -> tuple[tuple[str, ...], bool]:
    """ICE's COUNTY cell as canonical words without its county word, and whether it had one."""
    words = _canon(_words(county))
    if words and words[-1] in _COUNTY_WORDS:
        return words[:-1], True
    return words, False


def _census_county(state_code: str, county: str) -> list[_Place]:
    """The Census places of a state that ICE's COUNTY cell names."""
    core, has_word = _county_core(county)
    key = _compact(core)
    return [place for place in _places_by_state().get(state_code, ())
            if _compact(place.core) == key and (place.kind == "county" or not has_word)]


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
    return " ".join(_clean(value).upper().split())


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
        found = ", ".join(repr(_clean(value)) for value in values if _clean(value)) or "nothing"
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
    core, _ = _county_core(county)
    places = _places_by_state().get(state_code, ())
    cities = [place.name for place in places if place.kind == "city" and _compact(place.core) == _compact(core)]
    if cities:
        return f" ({cities[0]!r} is an independent city of {STATES[state_code]})"
    close = difflib.get_close_matches(county, [place.name for place in places], n=1, cutoff=0.85)
    if close:
        return f" (closest: {close[0]!r})"
    elsewhere = sorted({STATES[place.state_code] for place in _gazetteer()
                        if place.kind == "county" and _compact(place.core) == _compact(core)})
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
        if number <= header_row or all(_clean(value) == "" for value in values):
            continue
        found: list[ImportProblem] = []

        def problem(column: str, raw: str, message: str, kept: bool) -> None:
            found.append(ImportProblem(number, column, raw, message, file=file, kept=kept))

        raw_state = _clean(cell(values, "STATE"))
        code = _state_code(raw_state) if raw_state else None
        if code is None:
            problem("STATE", raw_state, f"expected a U.S. state or territory name, got {_got(raw_state)}"
                    f"{_closest(raw_state, STATES.values())}", kept=False)
        agency = _clean(cell(values, "LAW ENFORCEMENT AGENCY")).replace("\u2019", "'").replace("\u2018", "'")
        if not agency:
            problem("LAW ENFORCEMENT AGENCY", "", "expected an agency name, got a blank cell", kept=False)
        raw_type = _clean(cell(values, "TYPE"))
        agency_type = _lookup(_TYPE_NAMES, raw_type)
        if agency_type is None:
            problem("TYPE", raw_type, f"expected one of {', '.join(AGENCY_TYPES)}, got {_got(raw_type)}",
                    kept=False)
        raw_model = _clean(cell(values, "SUPPORT TYPE"))
        model = _lookup(_MODEL_NAMES, raw_model)
        if model is None:
            problem("SUPPORT TYPE", raw_model, f"expected one of {', '.join(MODELS)}, got {_got(raw_model)}",
                    kept=False)
        signed, signed_raw = None, ""
        if not pending:
            signed, signed_raw, signed_problem = _parse_signed(cell(values, "SIGNED"), latest)
            if signed_problem:
                problem("SIGNED", signed_raw, signed_problem, kept=True)
        county = _clean(cell(values, "COUNTY"))
        if county.lower() in _BLANK_COUNTY:
            county = ""
        elif code is not None and not _census_county(code, county):
            problem("COUNTY", county, f"expected a county of {STATES[code]}, got {county!r}"
                    f"{_county_hint(code, county)}; kept as written", kept=True)

        if not all(item.kept for item in found):
            # Every problem of a left-out row says so, so nobody reads its SIGNED note as "row kept".
            result.problems.extend(dataclasses.replace(item, kept=False) for item in found)
            continue
        result.problems.extend(found)
        result.rows.append(Agreement(
            state=STATES[code], state_code=code, agency=agency, agency_type=agency_type, county=county,
            model=model, signed=signed, signed_raw=signed_raw, moa=_clean(cell(values, "MOA")),
            addendum=_clean(cell(values, "ADDENDUM")), row=number))

    what = "pending-application" if pending else "agreement"
    if not result.rows:
        raise AgreementsError([f"{file}: expected {what} rows below the header (row {header_row}), "
                               f"found none"] + [str(item) for item in result.problems])
    for item in result.problems:
        LOG.warning("%s", item)
    LOG.info("read %d %s rows from %s (sheet %r), %d problems", len(result.rows), what, file, sheet_name,
             len(result.problems))
    return result


# ------------------------------------------------------------------------------------------ write


def _write_atomically(target: Path, text: str) -> None:
    """Replace `target` only once the new content is fully on disk (the writer every stage uses)."""
    from .write import write_atomically

    write_atomically(target, text.encode("utf-8"))


def _provenance_text(provenance: dict[str, Any]) -> str:
    header = ("# ICE's 287(g) participating-agencies list, normalised by policybrief.agreements.\n"
              "# Rows with an unreadable SIGNED cell are kept with a blank `signed` (see problems);\n"
              "# rows with an unknown STATE, TYPE or SUPPORT TYPE are left out (see problems).\n")
    if "pending" in provenance:
        header += ("# `pending` describes pending.csv, ICE's companion list of applications not yet signed\n"
                   "# (its own file and date; same rules, no signing dates).\n")
    return header + yaml.safe_dump(provenance, sort_keys=False, allow_unicode=True, width=1000)


def _existing_provenance(path: Path) -> dict[str, Any] | None:
    """The mapping in an existing provenance.yaml, or None when there is none or it is unreadable."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def write_normalised(result: ImportResult, data_dir: Path, *, as_of: dt.date | None = None,
                     source_file: str, source_url: str = ICE_PAGE, downloaded: dt.date | None = None,
                     retrieved_via: str | None = None) -> tuple[Path, Path]:
    """Write ``data_dir/agreements/participating.csv`` and ``provenance.yaml``; return both paths.

    `as_of` defaults to the date in `source_file` (see ``as_of_from_filename``). `retrieved_via` says how
    the workbook was obtained when it was not downloaded from ICE directly. A ``pending:`` entry already
    in ``provenance.yaml`` is kept (``pending.csv`` is untouched; re-run ``write_pending`` to renew it).
    """
    as_of = as_of or as_of_from_filename(source_file) or result.as_of
    if as_of is None:
        raise AgreementsError([f"{source_file}: expected a file name like participatingAgencies07182025pm.xlsx "
                               "to tell the list date, got none; pass as_of"])
    folder = Path(data_dir) / "agreements"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in result.rows:
        writer.writerow([row.state, row.state_code, row.agency, row.agency_type, row.county, row.model,
                         row.signed.isoformat() if row.signed else "", row.signed_raw, row.moa, row.addendum])
    csv_path = folder / "participating.csv"
    yaml_path = folder / "provenance.yaml"
    previous = _existing_provenance(yaml_path) or {}
    _write_atomically(csv_path, buffer.getvalue())

    provenance = _provenance_entry("287(g) Participating Agencies", result, source_file=source_file,
                                   source_url=source_url, as_of=as_of, downloaded=downloaded,
                                   retrieved_via=retrieved_via, publisher=PUBLISHER, licence=LICENCE)
    if isinstance(previous.get("pending"), dict):
        provenance["pending"] = previous["pending"]
        if previous["pending"].get("as_of") != as_of:
            LOG.warning("%s: kept the pending list of %s, which is not of this list's date %s; import the "
                        "matching pendingAgencies workbook", yaml_path, previous["pending"].get("as_of"), as_of)
    _write_atomically(yaml_path, _provenance_text(provenance))
    LOG.info("wrote %d agreements to %s and %s", len(result.rows), csv_path, yaml_path)
    return csv_path, yaml_path


def _provenance_entry(title: str, result: ImportResult, *, source_file: str, source_url: str,
                      as_of: dt.date, downloaded: dt.date | None, retrieved_via: str | None,
                      **extra: str) -> dict[str, Any]:
    """Where one imported list came from, in the key order provenance.yaml has always used."""
    entry: dict[str, Any] = {"title": title}
    if "publisher" in extra:
        entry["publisher"] = extra.pop("publisher")
    entry.update({
        "source_url": source_url, "source_file": source_file, "as_of": as_of, "downloaded": downloaded,
        "sha256": result.sha256, "rows": len(result.rows),
        "problems": [str(dataclasses.replace(item, file=source_file)) for item in result.problems],
    })
    entry.update(extra)
    if retrieved_via:
        entry["retrieved_via"] = retrieved_via
    return entry


def write_pending(result: ImportResult, data_dir: Path, *, as_of: dt.date | None = None,
                  source_file: str, source_url: str = ICE_PAGE, downloaded: dt.date | None = None,
                  retrieved_via: str | None = None) -> tuple[Path, Path]:
    """Write ``data_dir/agreements/pending.csv`` and the ``pending:`` entry of ``provenance.yaml``.

    The participating list must be written first (``write_normalised``): its keys in ``provenance.yaml``
    are kept as they are. `as_of` defaults to the date in `source_file` (``pendingAgencies07182025pm.xlsx``).
    """
    as_of = as_of or as_of_from_filename(source_file) or result.as_of
    if as_of is None:
        raise AgreementsError([f"{source_file}: expected a file name like pendingAgencies07182025pm.xlsx "
                               "to tell the list date, got none; pass as_of"])
    folder = Path(data_dir) / "agreements"
    yaml_path = folder / "provenance.yaml"
    provenance = _existing_provenance(yaml_path)
    if provenance is None:
        raise AgreementsError([f"{yaml_path.name}: expected the participating list's provenance in {folder} "
                               "(write it first with write_normalised / generate.py update-agreements), "
                               "found no readable file"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PENDING_CSV_COLUMNS)
    for row in result.rows:
        writer.writerow([row.state, row.state_code, row.agency, row.agency_type, row.county, row.model])
    csv_path = folder / "pending.csv"
    _write_atomically(csv_path, buffer.getvalue())

    provenance["pending"] = _provenance_entry("287(g) Pending Agencies", result, source_file=source_file,
                                              source_url=source_url, as_of=as_of, downloaded=downloaded,
                                              retrieved_via=retrieved_via)
    _write_atomically(yaml_path, _provenance_text(provenance))
    LOG.info("wrote %d pending applications to %s and %s", len(result.rows), csv_path, yaml_path)
    return csv_path, yaml_path


# ------------------------------------------------------------------------------------------- load


@dataclass
class AgreementList:
    """The agreements of one ICE list, with its date and provenance, and the counts briefs print.

    ``pending`` holds ICE's pending applications (``pending.csv``) when the data folder has them, else
    it is empty; they are not agreements, so ``len``, iteration and the counts cover ``rows`` only.
    Their list date is ``pending_as_of`` and their provenance ``provenance['pending']``.
    """

    rows: list[Agreement]
    as_of: dt.date
    provenance: dict[str, Any] = field(default_factory=dict)
    pending: list[Agreement] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Agreement]:
        return iter(self.rows)

    def _subset(self, rows: list[Agreement], pending: list[Agreement] | None = None) -> AgreementList:
        return AgreementList(rows, self.as_of, self.provenance, list(pending or []))

    @property
    def pending_as_of(self) -> dt.date | None:
        """The date of ICE's pending list, or None when no pending list is loaded."""
        entry = self.provenance.get("pending")
        return entry.get("as_of") if isinstance(entry, dict) and self.pending else None

    def pending_by_model(self) -> dict[str, int]:
        """Pending applications per model, largest first."""
        return self._ranked(Counter(row.model for row in self.pending))

    @staticmethod
    def _ranked(counter: Counter) -> dict[str, int]:
        return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))

    def by_model(self) -> dict[str, int]:
        """Agreements per model, largest first."""
        return self._ranked(Counter(row.model for row in self.rows))

    def by_state(self) -> dict[str, int]:
        """Agreements per state name, largest first (ties by name)."""
        return self._ranked(Counter(row.state for row in self.rows))

    def by_agency_type(self) -> dict[str, int]:
        """Agreements per ICE TYPE (County, Municipality, State Agency), largest first."""
        return self._ranked(Counter(row.agency_type for row in self.rows))

    def agencies(self) -> list[tuple[str, str]]:
        """Distinct agencies as (state code, name as first listed), by state and name."""
        first: dict[tuple[str, str], str] = {}
        for row in self.rows:
            first.setdefault(row.agency_key, row.agency)
        return sorted((code, name) for (code, _), name in first.items())

    def states(self) -> list[str]:
        """Names of the states with at least one agreement, alphabetically."""
        return sorted({row.state for row in self.rows})

    def signed_before(self, day: dt.date) -> AgreementList:
        """Agreements with a readable signing date strictly before `day` (no pending application has one)."""
        return self._subset([row for row in self.rows if row.signed is not None and row.signed < day])

    def for_state(self, state: str) -> AgreementList:
        """Agreements (and pending applications) in one state, given by USPS code or name."""
        code = _state_code(state)
        return self._subset([row for row in self.rows if row.state_code == code],
                            [row for row in self.pending if row.state_code == code])

    @cached_property
    def _lookup(self) -> AgreementList:
        """The rows ``find_jurisdiction`` searches: agreements, then pending applications (positions from
        ``len(rows)`` on), so both are matched the same way."""
        if not self.pending:
            return self
        return AgreementList(self.rows + self.pending, self.as_of, self.provenance)

    @cached_property
    def _words_of(self) -> dict[int, tuple[tuple[str, ...], tuple[str, ...], bool]]:
        """Per row position: the agency's canonical words, the COUNTY core, and whether COUNTY had 'County'."""
        return {index: (_canon(_words(row.agency)),) + _county_core(row.county)
                for index, row in enumerate(self.rows)}


def _yaml_lines(text: str) -> dict[str, int]:
    """Line of each top-level key of a YAML mapping, for error messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in node.value}


def _load_provenance(path: Path, problems: list[str]) -> dict[str, Any]:
    label = path.name
    if not path.exists():
        problems.append(f"{label}: expected the provenance of participating.csv here, found no file; "
                        "re-run the import (generate.py update-agreements)")
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{label}:{mark.line + 1}" if mark else label
        problems.append(f"{where}: expected YAML, got a syntax error: {getattr(error, 'problem', error)}")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{label}:1: expected a mapping of keys (as_of, source_file, ...), got {type(data).__name__}")
        return {}
    lines = _yaml_lines(text)
    as_of = _as_date(data.get("as_of"))
    if not isinstance(as_of, dt.date):
        where = f"{label}:{lines['as_of']}" if "as_of" in lines else label
        problems.append(f"{where}: as_of: expected a date like 2025-07-18, got {data.get('as_of')!r}")
    else:
        data["as_of"] = as_of
    for key in ("source_file", "source_url"):
        if not data.get(key):
            where = f"{label}:{lines[key]}" if key in lines else label
            problems.append(f"{where}: {key}: expected text naming where the list came from, got {data.get(key)!r}")
    data["_lines"] = lines
    return data


def _read_rows(label: str, text: str, columns: tuple[str, ...], problems: list[str]) -> list[Agreement] | None:
    """The valid rows of a normalised CSV (`columns` wide); each bad cell is added to `problems`.

    Returns None when the header is not `columns`. Columns absent from `columns` (a pending list has no
    signed, signed_raw, moa or addendum) are read as blank.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(header) != columns:
        got = ",".join(header) if header else "an empty file"
        problems.append(f"{label}:1: header: expected columns {','.join(columns)}, got {got}")
        return None

    rows: list[Agreement] = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            problems.append(f"{label}:{line}: expected {len(columns)} columns, got {len(values)}")
            continue
        record = dict.fromkeys(CSV_COLUMNS, "")
        record.update(zip(columns, values))
        before = len(problems)

        def bad(column: str, expected: str) -> None:
            problems.append(f"{label}:{line}: {column}: expected {expected}, got {record[column]!r}")

        code = record["state_code"]
        if code not in STATES:
            bad("state_code", "a USPS state code such as TX")
        elif record["state"] != STATES[code]:
            bad("state", f"{STATES[code]!r} (the state of code {code})")
        if not record["agency"].strip():
            bad("agency", "an agency name")
        if record["agency_type"] not in AGENCY_TYPES:
            bad("agency_type", f"one of {', '.join(AGENCY_TYPES)}")
        if record["model"] not in MODELS:
            bad("model", f"one of {', '.join(MODELS)}")
        signed = None
        if record["signed"]:
            try:
                signed = dt.date.fromisoformat(record["signed"])
            except ValueError:
                bad("signed", "an ISO date like 2025-07-18 or a blank cell")
        if len(problems) == before:
            rows.append(Agreement(state=record["state"], state_code=code, agency=record["agency"],
                                  agency_type=record["agency_type"], county=record["county"],
                                  model=record["model"], signed=signed, signed_raw=record["signed_raw"],
                                  moa=record["moa"], addendum=record["addendum"], row=line))
    return rows


def _read_text(path: Path, missing: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgreementsError([f"{path.name}: {missing}"]) from None
    except UnicodeDecodeError as error:
        raise AgreementsError([f"{path.name}: expected UTF-8 text, got undecodable bytes at offset "
                               f"{error.start}"]) from None


def _as_date(value: Any) -> Any:
    """A provenance as_of as a date when it reads as one; anything else is returned for the caller to report."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _check_pending_provenance(entry: Any, line: int | None, problems: list[str]) -> dict[str, Any]:
    """The ``pending:`` entry of provenance.yaml, checked like the top level; problems name its line."""
    where = f"provenance.yaml:{line}" if line else "provenance.yaml"
    if not isinstance(entry, dict):
        problems.append(f"{where}: pending: expected the provenance of pending.csv (source_file, as_of, rows, "
                        f"...), got {entry!r}")
        return {}
    as_of = _as_date(entry.get("as_of"))
    if isinstance(as_of, dt.date):
        entry["as_of"] = as_of
    else:
        problems.append(f"{where}: pending.as_of: expected a date like 2025-07-18, got {entry.get('as_of')!r}")
    for key in ("source_file", "source_url"):
        if not entry.get(key):
            problems.append(f"{where}: pending.{key}: expected text naming where the list came from, "
                            f"got {entry.get(key)!r}")
    return entry


def load_agreements(data_dir: Path) -> AgreementList:
    """Read ``data_dir/agreements/participating.csv`` and ``provenance.yaml`` and check them in full.

    ``pending.csv`` is read too when it exists (it needs a ``pending:`` entry in ``provenance.yaml``);
    without it ``AgreementList.pending`` is empty.
    Raises ``AgreementsError`` listing every problem, each as 'file:line: column: expected ..., got ...'.
    """
    folder = Path(data_dir) / "agreements"
    csv_path = folder / "participating.csv"
    problems: list[str] = []
    text = _read_text(csv_path, f"expected ICE's normalised list in {folder}, found no file; "
                                "run the import (generate.py update-agreements)")
    provenance = _load_provenance(folder / "provenance.yaml", problems)
    rows = _read_rows(csv_path.name, text, CSV_COLUMNS, problems)
    if rows is None:
        raise AgreementsError(problems)

    lines = provenance.pop("_lines", {})
    declared = provenance.get("rows")
    if provenance and declared is not None and declared != len(rows) and not problems:
        where = f"provenance.yaml:{lines['rows']}" if "rows" in lines else "provenance.yaml"
        problems.append(f"{where}: rows: expected {len(rows)} (the rows of participating.csv), got {declared!r}")

    pending: list[Agreement] = []
    pending_path = folder / "pending.csv"
    if pending_path.exists():
        pending_text = _read_text(pending_path, "expected ICE's normalised pending list, found no file")
        before = len(problems)
        if provenance and "pending" not in provenance:
            problems.append("provenance.yaml: pending: expected the provenance of pending.csv (source_file, "
                            "as_of, rows, ...), found no such key; re-run the pending import")
        elif "pending" in provenance:
            provenance["pending"] = _check_pending_provenance(provenance["pending"], lines.get("pending"),
                                                              problems)
        pending = _read_rows(pending_path.name, pending_text, PENDING_CSV_COLUMNS, problems) or []
        declared = provenance.get("pending", {}).get("rows")
        if declared is not None and declared != len(pending) and len(problems) == before:
            where = f"provenance.yaml:{lines['pending']}" if "pending" in lines else "provenance.yaml"
            problems.append(f"{where}: pending.rows: expected {len(pending)} (the rows of pending.csv), "
                            f"got {declared!r}")
    elif "pending" in provenance:
        LOG.info("%s describes a pending list but %s is absent; loading no pending applications",
                 folder / "provenance.yaml", pending_path)
    if problems:
        raise AgreementsError(problems)
    LOG.info("loaded %d agreements (ICE list of %s) and %d pending applications from %s", len(rows),
             provenance["as_of"], len(pending), folder)
    return AgreementList(rows=rows, as_of=provenance["as_of"], provenance=provenance, pending=pending)


# ------------------------------------------------------------------------------------ jurisdictions


@dataclass(frozen=True)
class Jurisdiction:
    """A place or state agency a brief can be written for, with the agreements on ICE's list in it.

    For a county: rows whose COUNTY names it or whose agency name contains it (e.g. 'Harris County').
    For a city: agencies whose name starts with the city's name ('Cocoa Police Department', not
    'Cocoa Beach Police Department'), plus rows whose COUNTY names an independent city.
    ``pending`` holds the rows of ICE's pending list matched the same way (empty when there are none,
    or when no pending list is loaded).
    """

    name: str
    kind: str  # 'county', 'city', 'state-agency' or 'state'
    state: str
    state_code: str
    agreements: list[Agreement]
    slug: str
    fips: str | None = None
    pending: list[Agreement] = field(default_factory=list)


# Words that may follow a city's name in an agency's name ("Cocoa Police Department").
_CITY_AGENCY_WORDS = {"police", "department", "dept", "public", "marshal", "marshals", "metropolitan", "metro",
                      "city", "village", "town", "township", "borough", "constable", "constables", "sheriff",
                      "sheriffs"}
_SHERIFF_SUFFIXES = (("sheriffs", "office"), ("sheriff", "office"), ("sheriffs", "department"),
                     ("sheriffs", "dept"), ("sheriff",))
_EXAMPLE = "'Harris County, TX'"


@dataclass(frozen=True)
class _Candidate:
    kind: str
    state_code: str
    name: str          # display name
    candidate: str     # how to type it unambiguously
    slug: str
    rows: tuple[int, ...] = ()  # positions in AgreementList.rows
    fips: str | None = None
    bare_county: bool = False   # a county reached by its name without 'County'


def _state_parses(words: list[str]) -> list[tuple[str | None, list[str]]]:
    """Ways to read the words: with a state at the end (longest state name first), then without."""
    keys = _state_keys()
    parses: list[tuple[str | None, list[str]]] = []
    for size in range(min(5, len(words)), 0, -1):
        code = keys.get(" ".join(words[-size:]))
        if code:
            parses.append((code, words[:-size]))
            break
    parses.append((None, words))
    return parses


def _rows_of_place(place: _Place, agreements: AgreementList) -> tuple[int, ...]:
    full = _canon(_words(place.name if place.kind == "county" else place.city_name))
    key = _compact(place.core)
    ambiguous_core = sum(1 for other in _places_by_state()[place.state_code]
                         if _compact(other.core) == key) > 1
    found = []
    for index, row in enumerate(agreements.rows):
        if row.state_code != place.state_code:
            continue
        agency_words, county_core, county_word = agreements._words_of[index]
        same_county = county_core and _compact(county_core) == key and (
            place.kind == "county" or not county_word or not ambiguous_core)
        if same_county:
            found.append(index)
        elif place.kind == "county" and _contains(agency_words, full):
            found.append(index)
        elif place.kind == "city" and _starts_city(agency_words, full):
            found.append(index)
    return tuple(found)


def _starts_city(agency_words: tuple[str, ...], city: tuple[str, ...]) -> bool:
    size = len(city)
    return (size > 0 and agency_words[:size] == city and len(agency_words) > size
            and agency_words[size] in _CITY_AGENCY_WORDS)


def _place_candidate(place: _Place, agreements: AgreementList, *, bare: bool = False) -> _Candidate:
    return _Candidate(place.kind, place.state_code, place.display, place.candidate, place.slug,
                      _rows_of_place(place, agreements), place.fips, bare_county=bare and place.kind == "county")


def _city_candidates(words: tuple[str, ...], state_code: str | None,
                     agreements: AgreementList) -> list[_Candidate]:
    """Cities known from agency names on the list ('Cocoa Police Department' gives Cocoa, Florida)."""
    by_city: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for index, row in enumerate(agreements.rows):
        if state_code and row.state_code != state_code:
            continue
        agency_words = agreements._words_of[index][0]
        if _starts_city(agency_words, words):
            by_city.setdefault(row.state_code, []).append(index)
            names.setdefault(row.state_code, _leading_words(row.agency, len(words)))
    found = []
    for code, rows in by_city.items():
        city = names[code]
        found.append(_Candidate("city", code, f"{city}, {STATES[code]}", f"City of {city}, {STATES[code]}",
                                f"{_slug(city)}-{code.lower()}", tuple(rows)))
    return found


def _leading_words(text: str, count: int) -> str:
    """The start of `text` that spells its first `count` normalised words ('St. Augustine Police ...', 2)."""
    taken: list[str] = []
    seen = 0
    for word in text.split():
        if seen >= count:
            break
        taken.append(word)
        seen += len(_words(word))
    return " ".join(taken).rstrip(",.")


def _agency_candidates(words: tuple[str, ...], state_code: str | None,
                       agreements: AgreementList) -> list[_Candidate]:
    """Agencies named by the words: an exact name first, else names containing every word."""
    exact: dict[tuple[str, str], list[int]] = {}
    partial: dict[tuple[str, str], list[int]] = {}
    wanted = set(words)
    for index, row in enumerate(agreements.rows):
        if state_code and row.state_code != state_code:
            continue
        agency_words = agreements._words_of[index][0]
        if agency_words == words:
            exact.setdefault(row.agency_key, []).append(index)
        elif wanted <= set(agency_words):
            partial.setdefault(row.agency_key, []).append(index)
    chosen = exact or partial
    found = []
    for indexes in chosen.values():
        first = agreements.rows[indexes[0]]
        found.append(_agency_candidate(first, tuple(indexes), agreements))
    return found


def _agency_candidate(row: Agreement, indexes: tuple[int, ...], agreements: AgreementList) -> _Candidate:
    """A named agency: a county agency stands for its county, a state agency for itself."""
    if row.agency_type == "County" and row.county:
        places = [place for place in _census_county(row.state_code, row.county) if place.kind == "county"]
        if len(places) == 1:
            return _place_candidate(places[0], agreements)
    kind = {"State Agency": "state-agency", "Municipality": "city"}.get(row.agency_type, "county")
    # 'Florida Department of Law Enforcement' needs no ', Florida'; 'Kodiak Police Department' does.
    names_state = _contains(tuple(_words(row.agency)), tuple(_words(row.state)))
    named = row.agency if names_state else f"{row.agency}, {row.state}"
    return _Candidate(kind, row.state_code, named, f"{row.agency}, {row.state_code}",
                      f"{_slug(row.agency)}-{row.state_code.lower()}", indexes)


def _resolve(words: list[str], state_code: str | None, agreements: AgreementList) -> list[_Candidate]:
    canon = _canon(words)
    city_only = canon[:2] == ("city", "of")
    if city_only:
        canon = canon[2:]
    for suffix in _SHERIFF_SUFFIXES:
        if len(canon) > len(suffix) and canon[-len(suffix):] == suffix:
            canon = canon[:-len(suffix)]
            break
    if not canon:
        return []
    places = [place for code, group in _places_by_state().items() if state_code in (None, code)
              for place in group]
    if canon[-1] in _COUNTY_WORDS and not city_only:
        key = _compact(canon[:-1])
        found = [_place_candidate(place, agreements) for place in places
                 if place.kind == "county" and _compact(place.core) == key]
        if found:
            return found
    elif canon[-1] not in _COUNTY_WORDS:
        key = _compact(canon)
        named = [place for place in places if _compact(place.core) == key
                 and (place.kind == "city" or not city_only)]
        cities = _city_candidates(canon, state_code, agreements)
        found = [_place_candidate(place, agreements, bare=True) for place in named]
        census_cities = {(item.state_code, item.slug) for item in found if item.kind == "city"}
        found += [city for city in cities if (city.state_code, city.slug) not in census_cities]
        if found:
            return found
    return _agency_candidates(canon, state_code, agreements)


def _state_jurisdiction(code: str, agreements: AgreementList) -> Jurisdiction:
    return Jurisdiction(STATES[code], "state", STATES[code], code,
                        [row for row in agreements.rows if row.state_code == code], _slug(STATES[code]),
                        pending=[row for row in agreements.pending if row.state_code == code])


def _closest_candidates(words: list[str], state_code: str | None, agreements: AgreementList) -> list[str]:
    """Up to five names that look like `words`, from the Census counties, the list's agencies and cities."""
    pool: dict[str, list[str]] = {}

    def add(key_words: Iterable[str], candidate: str) -> None:
        entries = pool.setdefault(" ".join(key_words), [])
        if candidate not in entries:
            entries.append(candidate)

    for code, group in _places_by_state().items():
        if state_code in (None, code):
            for place in group:
                add(_canon(_words(place.name)), place.candidate)
                if place.kind == "city":
                    add(_canon(_words(place.city_name)), place.candidate)
    for index, row in enumerate(agreements.rows):
        if state_code in (None, row.state_code):
            add(agreements._words_of[index][0], f"{row.agency}, {row.state_code}")
    if state_code is None:
        for name in STATES.values():
            add(_words(name), name)
    query = " ".join(_canon(words))
    found: list[str] = []
    for key in difflib.get_close_matches(query, list(pool), n=5, cutoff=0.6):
        found.extend(pool[key])
    return found[:5]


def find_jurisdiction(name: str, agreements: AgreementList) -> Jurisdiction:
    """The county, city, state agency or state that `name` means, with its agreements on the list.

    Forgiving about case, punctuation, 'Co.'/'Cnty', 'Parish', state names or codes and a trailing
    "Sheriff's Office"; never silent: raises ``JurisdictionError`` with candidates when `name` matches
    nothing, several places, or only a county whose 'County' was left out. Agencies and cities known
    only from ICE's pending list are found too; their ``Jurisdiction.agreements`` is empty.
    """
    listed = len(agreements.rows)
    lookup = agreements._lookup  # agreements, then pending applications from position `listed` on
    words = _words(name or "")
    if not words:
        raise JurisdictionError(f"expected a jurisdiction such as {_EXAMPLE}, got {name!r}", [])
    parses = _state_parses(words)
    found: list[_Candidate] = []
    for state_code, rest in parses:
        if state_code and not rest:
            return _state_jurisdiction(state_code, agreements)
        found = list({(item.kind, item.state_code, item.slug): item
                      for item in _resolve(rest, state_code, lookup)}.values())
        if found:
            break
    if not found:
        state_code, rest = parses[0]
        candidates = _closest_candidates(rest, state_code, lookup)
        hint = f"; closest: {'; '.join(candidates)}" if candidates else f"; check the spelling, e.g. {_EXAMPLE}"
        raise JurisdictionError(f"no county, city, state agency or state matches {name!r} (looked in the "
                                f"Census county list and ICE's list of {agreements.as_of.isoformat()}){hint}",
                                candidates)
    if len(found) > 1:
        # Places holding agreements first, then those with pending applications: the likelier meanings.
        found.sort(key=lambda item: (not any(index < listed for index in item.rows), not item.rows,
                                     item.state_code, item.name))
        shown = [item.candidate for item in found[:5]]
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise JurisdictionError(f"{name!r} is ambiguous: it matches {len(found)} jurisdictions "
                                f"({'; '.join(shown)}{more}); write one of them, with its state", shown)
    match = found[0]
    if match.bare_county:
        raise JurisdictionError(f"{name!r} names no city on ICE's list of {agreements.as_of.isoformat()}, and "
                                f"there is no list of cities without agreements to check it against; "
                                f"for the county write {match.candidate!r}", [match.candidate])
    rows = [lookup.rows[index] for index in match.rows if index < listed]
    pending = [lookup.rows[index] for index in match.rows if index >= listed]
    LOG.debug("jurisdiction %r is %s %r with %d agreements and %d pending applications", name, match.kind,
              match.name, len(rows), len(pending))
    return Jurisdiction(match.name, match.kind, STATES[match.state_code], match.state_code, rows, match.slug,
                        match.fips, pending)
