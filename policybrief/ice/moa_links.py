"""The documents ICE's 287(g) sheet links, as the Deportation Data Project logged them -> dated positive evidence.

Input: a ``download_path_log.csv`` written by the Deportation Data Project's scraper (repository
``deportationdata/ice-287g``; this module was written against
``agreements/agreements_20260914_014027/download_path_log.csv`` at commit
``24908f3043e3757f268ad6efa222fde930c57b7d``), or the normalised ``data/agreements/moa_links.csv`` with
its ``moa_links.yaml``.
Output: ``MoaLink`` rows (state, agency as ICE's sheet names it, model and signing date read from the
linked document's file name, document type, file name, address, the log's line), the log lines that
gave no row with the reason (``parse_log``), the two files (``write_moa_links``), and ``MoaLinks``
(``load_moa_links``): look-ups by state and by agency, and the linked agreements an agency-level list
lacks (``MoaLinks.not_on_list``).

What the log is, from the repository's ``README.md``, ``code/0-287g-scraper.R`` and
``code/0-287g-build-manifests.R``: the scraper reads ICE's participating-agencies workbook, follows the
hyperlinks of its MOA column (``document_type`` "MOA") and ADDENDUM column ("addendum"), and logs one
line per document it downloaded: ``state`` and ``agency_name`` as the sheet has them, ``hyperlink`` (the
link as the sheet has it, Outlook "safelinks" wrappers included), ``document_type``, the state and
agency folder names before and after sanitising, ``original_filename`` (the server's file name, or the
link's last path part), ``sanitized_filename``, ``saved_path`` (the copy in that repository) and
``file_hash`` (SHA-256 of the copy). A link that failed to download is not logged. The folder's name,
``agreements_<YYYYMMDD>_<HHMMSS>``, is the moment of the scrape; the log does not state its time zone.

Limits of the evidence, which every use must keep:

* It shows only what the sheet linked. ICE writes "link pending" where an agreement's MOA is not yet
  published, and those agreements have no line here; a failed download has none either. So the log
  supports positive sentences only ("ICE's sheet of September 2026 links a Task Force Model agreement
  for X, signed ..."), never an absence ("X has no agreement"), and never a count of all agreements.
* The model and the date come from file names that ICE's staff typed, not from the documents. A file
  name that names no model (``LantanaPDFL_041425.pdf``), or more than one (``..._TFM_WSO_...``), gives
  no row; the word "TaskForce" spelled out is not read as a model. The date is read only when the
  digits name one plausible day (2002-01-01 up to the scrape's day): ``09222025``, ``02.28.25``,
  ``06-09-2020``, ``2020-06-09``, ``021026`` (MMDDYY), and seven-digit runs such as ``0992025`` when
  only one split is a real day. ``052025`` (May 20, 2025 or May 2025?), ``1162025`` (January 16 or
  November 6?), nine-digit runs and conflicting dates leave it blank. An addendum's file name often
  repeats its MOA's date, so an addendum row has no ``signed`` date.
* A document linked for more than one agency (ICE pasted one link twice) is left out for all of them:
  the log cannot say whose it is.
* The agency name is the sheet's, single-spaced and with ASCII apostrophes (as the workbook import does);
  ``MoaLinks.for_agency`` and ``not_on_list`` compare names as ``rows.name_words``, ``rows.canonical``
  and ``rows.compact`` make them, so "Sheriff’s" and "Sheriffs", "Co" and "County" compare equal, but a
  sheet that renames an agency ("Sheriff's Department" for "Sheriff's Office") does not.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from ..errors import Problem
from .rows import (EARLIEST_SIGNING, MODELS, STATES, Agreement, AgreementsError, canonical, clean_cell, compact,
                   name_words, state_code_of)
from .places import Placement, place_agency
from .store import check_no_formulas, check_state_and_agency, csv_rows
from .workbook import corrected_state, neutralised

LOG = logging.getLogger(__name__)

SOURCE_REPOSITORY = "deportationdata/ice-287g"
SOURCE_PATH = "agreements/agreements_20260914_014027/download_path_log.csv"
SOURCE_COMMIT = "24908f3043e3757f268ad6efa222fde930c57b7d"

# The scraper's columns; logs written before document_type existed lack it (every link was an MOA).
LOG_COLUMNS = ("state", "agency_name", "hyperlink", "document_type", "original_state_folder",
               "sanitized_state_folder", "original_agency_folder", "sanitized_agency_folder", "original_filename",
               "sanitized_filename", "saved_path", "file_hash")
REQUIRED_LOG_COLUMNS = ("state", "agency_name", "hyperlink")
DOCUMENT_TYPES = ("MOA", "addendum")
CSV_COLUMNS = ("line", "state", "state_code", "agency", "model", "signed", "document_type", "file_name", "url",
               "saved_path")
MODEL_CODES = {"JEM": MODELS[0], "TFM": MODELS[1], "TF": MODELS[1], "WSO": MODELS[2]}

CSV_NAME = "moa_links.csv"
YAML_NAME = "moa_links.yaml"
_MAX_LOG_BYTES = 64_000_000

# Reasons a log line gives no row (the keys of ParseResult.skipped_by_reason and of moa_links.yaml).
NO_MODEL = "the file name names no model (JEM, TFM, TF or WSO)"
TWO_MODELS = "the file name names more than one model"
SHARED = "the same document is linked for more than one agency"
REPEATED = "the same document is logged again for the same agency"
NO_STATE = "the state is not a U.S. state or territory"
NO_AGENCY = "the agency name is blank"
NO_LINK = "the link is blank or not an http(s) address"
OTHER_TYPE = "the document type is neither MOA nor addendum"

# A model's letters stand alone or start a CamelCase word ('287gJEMRockwallCoTX'), never inside a word.
_MODEL_RE = re.compile(r"(?<![A-Z])(JEM|TFM|WSO|TF)(?![a-z])(?![A-Z](?![a-z]))")
_YMD_RE = re.compile(r"(?<!\d)(\d{4})([-._])(\d{1,2})\2(\d{1,2})(?!\d)")
_MDY_RE = re.compile(r"(?<!\d)(\d{1,2})([-._])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_RUN_RE = re.compile(r"(?<!\d)\d{6,8}(?!\d)")
_STAMP_RE = re.compile(r"agreements_(\d{8})_(\d{6})(?:/|$)")
_SAFELINKS_RE = re.compile(r"(?:^|\.)safelinks\.protection\.outlook\.com$", re.IGNORECASE)


# ------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class MoaLink:
    """One document ICE's sheet linked for one agency, with what its file name says.

    ``line``: the log's line (the CSV's line once loaded: ``source_line`` keeps the log's). ``signed``:
    the date in the file name, or None (none, ambiguous, or an addendum). ``url``: the link as logged,
    an Outlook safelinks wrapper replaced by the address it wraps. ``saved_path``: the copy in the
    Deportation Data Project's repository, as logged.
    """

    source_line: int
    state: str
    state_code: str
    agency: str
    model: str
    signed: dt.date | None
    document_type: str
    file_name: str
    url: str
    saved_path: str
    line: int = 0

    @property
    def agency_key(self) -> tuple[str, str]:
        """What makes two names the same agency here: its state and ``name_key`` of its name."""
        return self.state_code, name_key(self.agency)


@dataclass(frozen=True)
class Skipped:
    """A log line that gave no row, and why."""

    line: int
    reason: str
    agency: str
    file_name: str


@dataclass
class ParseResult:
    """What ``parse_log`` made of one log: rows, skipped lines, and the scrape's moment from the folder name."""

    rows: list[MoaLink]
    skipped: list[Skipped]
    log_lines: int
    scraped: dt.datetime | None
    notes: list[str] = field(default_factory=list)

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        return dict(Counter(item.reason for item in self.skipped).most_common())


# ------------------------------------------------------------------------------------ file names


def name_key(name: str) -> str:
    """An agency name as look-ups compare it (``rows.name_words``, ``canonical``, ``compact``)."""
    return compact(canonical(name_words(name)))


def document_url(hyperlink: str) -> str:
    """The address a logged link points to: a safelinks wrapper's ``url=`` target, else the link as logged."""
    link = hyperlink.strip()
    try:
        parts = urlsplit(link)
    except ValueError:
        return link
    if parts.scheme.lower() in ("http", "https") and _SAFELINKS_RE.search(parts.hostname or ""):
        wrapped = parse_qs(parts.query.replace("&amp;", "&")).get("url")
        if wrapped:
            return wrapped[0].strip()
    return link


def file_name_of(url: str) -> str:
    """The document's file name: the address's last path part, percent-decoded."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = url
    return unquote(posixpath.basename(path)).strip()


def model_of(file_name: str) -> tuple[str | None, str | None]:
    """(model, None) when the file name names exactly one model, else (None, the reason)."""
    found = {MODEL_CODES[code] for code in _MODEL_RE.findall(file_name)}
    if not found:
        return None, NO_MODEL
    if len(found) > 1:
        return None, TWO_MODELS
    return found.pop(), None


def _day(year: int, month: int, day: int, latest: dt.date) -> dt.date | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if EARLIEST_SIGNING <= date <= latest else None


def _run_dates(digits: str, latest: dt.date) -> set[dt.date | None]:
    """The days a run of 6 to 8 digits can name; {None} when it is ambiguous or names none."""
    if len(digits) == 8:
        found = {_day(int(digits[4:]), int(digits[:2]), int(digits[2:4]), latest),
                 _day(int(digits[:4]), int(digits[4:6]), int(digits[6:]), latest)} - {None}
    elif len(digits) == 7:
        found = {_day(int(digits[3:]), int(digits[0]), int(digits[1:3]), latest),
                 _day(int(digits[3:]), int(digits[:2]), int(digits[2]), latest)} - {None}
    else:
        if digits[2:4] == "20" and 1 <= int(digits[:2]) <= 12:
            return {None}  # '052025': May 20, 2025, or May 2025?
        found = {_day(2000 + int(digits[4:]), int(digits[:2]), int(digits[2:4]), latest)} - {None}
    return found if len(found) == 1 else {None}


def date_of(file_name: str, latest: dt.date) -> dt.date | None:
    """The one plausible day the file name's digits name (see the module's notes), else None."""
    stem = file_name
    found: set[dt.date | None] = set()
    for match in _YMD_RE.finditer(stem):
        found.add(_day(int(match[1]), int(match[3]), int(match[4]), latest))
    for match in _MDY_RE.finditer(stem):
        year = int(match[4]) + (2000 if len(match[4]) == 2 else 0)
        found.add(_day(year, int(match[1]), int(match[3]), latest))
    for match in _RUN_RE.finditer(stem):
        found |= _run_dates(match[0], latest)
    return found.pop() if len(found) == 1 else None


def scrape_moment(saved_paths: Iterable[str]) -> dt.datetime | None:
    """The moment in the ``agreements_<YYYYMMDD>_<HHMMSS>`` folder the saved paths name, when they name one."""
    stamps = {match.groups() for path in saved_paths if (match := _STAMP_RE.search(path))}
    if len(stamps) != 1:
        return None
    day, time = stamps.pop()
    try:
        return dt.datetime.strptime(day + time, "%Y%m%d%H%M%S")
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------- log


def read_log(path: Path) -> ParseResult:
    """``parse_log`` of a local copy of the log; an unreadable file is an ``AgreementsError``."""
    path = Path(path)
    label = path.name
    try:
        size = os.stat(path).st_size
        if size > _MAX_LOG_BYTES:
            raise AgreementsError([Problem(label, f"expected at most {_MAX_LOG_BYTES:,} bytes, got {size:,}")])
        data = path.read_bytes()
    except OSError as error:
        raise AgreementsError([Problem(label, f"cannot be read: {error.strerror or error}")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise AgreementsError([Problem(label, f"expected UTF-8 text, got the byte 0x{data[error.start]:02x}",
                                       line=line)]) from None
    return parse_log(text, label)


def _agency_name(raw: str) -> str:
    return clean_cell(raw.replace("\u2019", "'").replace("\u2018", "'"))


def parse_log(text: str, label: str = "download_path_log.csv", *, latest: dt.date | None = None) -> ParseResult:
    """The rows one log gives, and each line that gives none with its reason.

    `latest` is the last plausible signing date: by default the day of the folder the saved paths name,
    else today. A log without the state, agency_name and hyperlink columns is an ``AgreementsError``.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise AgreementsError([Problem(label, f"expected CSV text, got {error}", line=1)]) from None
    missing = [name for name in REQUIRED_LOG_COLUMNS if header is None or name not in header]
    if header is None or missing:
        got = "an empty file" if header is None else "no " + ", ".join(missing)
        raise AgreementsError([Problem(label, f"expected the scraper's columns ({', '.join(LOG_COLUMNS)}), got {got}",
                                       line=1, key="header")])
    index = {name: header.index(name) for name in LOG_COLUMNS if name in header}
    records: list[tuple[int, dict[str, str]]] = []
    end = reader.line_num
    try:
        for values in reader:
            start, end = end + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            records.append((start, {name: values[position] if position < len(values) else ""
                                    for name, position in index.items()}))
    except csv.Error as error:
        raise AgreementsError([Problem(label, f"expected CSV text, got {error}", line=reader.line_num)]) from None

    scraped = scrape_moment(record.get("saved_path", "") for _, record in records)
    latest = latest or (scraped.date() if scraped else dt.date.today())
    notes: list[str] = []
    skipped: list[Skipped] = []
    candidates: list[MoaLink] = []
    for line, record in records:
        agency = _agency_name(record["agency_name"])
        url = document_url(record["hyperlink"])
        file_name = file_name_of(url) if url else ""

        def skip(reason: str) -> None:
            skipped.append(Skipped(line, reason, agency, file_name))

        raw_state = clean_cell(record["state"])
        code = state_code_of(raw_state)
        if code is None and (code := corrected_state(raw_state)) is not None:
            notes.append(f"line {line}: state {raw_state!r} read as {STATES[code]}")
        document_type = record.get("document_type", "MOA").strip()
        if code is None:
            skip(NO_STATE)
            continue
        if not agency:
            skip(NO_AGENCY)
            continue
        if not url.lower().startswith(("http:/", "https:/")) or any(char.isspace() for char in url):
            skip(NO_LINK)
            continue
        if document_type not in DOCUMENT_TYPES:
            skip(OTHER_TYPE)
            continue
        model, why = model_of(file_name)
        if model is None:
            skip(why)
            continue
        signed = date_of(file_name, latest) if document_type == "MOA" else None
        candidates.append(MoaLink(source_line=line, state=STATES[code], state_code=code, agency=agency,
                                  model=model, signed=signed, document_type=document_type, file_name=file_name,
                                  url=url, saved_path=record.get("saved_path", "").strip(), line=line))

    owners: dict[str, set[tuple[str, str]]] = {}
    for row in candidates:
        owners.setdefault(row.url, set()).add(row.agency_key)
    rows: list[MoaLink] = []
    seen: set[tuple[tuple[str, str], str]] = set()
    for row in candidates:
        if len(owners[row.url]) > 1:
            skipped.append(Skipped(row.source_line, SHARED, row.agency, row.file_name))
        elif (row.agency_key, row.url) in seen:
            skipped.append(Skipped(row.source_line, REPEATED, row.agency, row.file_name))
        else:
            seen.add((row.agency_key, row.url))
            rows.append(row)
    skipped.sort(key=lambda item: item.line)
    return ParseResult(rows=rows, skipped=skipped, log_lines=len(records), scraped=scraped, notes=notes)


# --------------------------------------------------------------------------------------------- write


def csv_text(rows: Iterable[MoaLink]) -> str:
    """The rows as ``moa_links.csv`` (no cell a spreadsheet would run as a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = (str(row.source_line), row.state, row.state_code, row.agency, row.model,
                  row.signed.isoformat() if row.signed else "", row.document_type, row.file_name, row.url,
                  row.saved_path)
        writer.writerow([neutralised(value) for value in values])
    return buffer.getvalue()


def summary(rows: list[MoaLink]) -> dict[str, Any]:
    """Counts of the rows, for the provenance file and reports."""
    return {
        "rows": len(rows),
        "by_document_type": dict(Counter(row.document_type for row in rows).most_common()),
        "by_model": {model: sum(row.model == model for row in rows) for model in MODELS},
        "agencies": len({row.agency_key for row in rows}),
        "states": len({row.state_code for row in rows}),
        "moa_with_signed_date": sum(row.signed is not None for row in rows),
        "moa_without_signed_date": sum(row.signed is None and row.document_type == "MOA" for row in rows),
    }


CAN_SHOW = ("which agencies ICE's participating-agencies sheet linked an MOA or addendum for, under which "
            "model, and (from the file name) often the signing date, as of the scrape")
CANNOT_SHOW = ("that an agency has no agreement or no agreement of a model: the sheet links no document for "
               "an agreement whose MOA is 'link pending', and the scraper logs no link that failed to "
               "download; nor a total of agreements; nor anything the documents say but their file names")


def provenance(result: ParseResult, *, source_repository: str = SOURCE_REPOSITORY, source_path: str = SOURCE_PATH,
               source_commit: str = SOURCE_COMMIT, retrieved_via: str | None = None) -> dict[str, Any]:
    """The mapping ``moa_links.yaml`` holds for `result`."""
    entry: dict[str, Any] = {
        "title": "Documents linked from ICE's 287(g) participating-agencies sheet, as logged by the "
                 "Deportation Data Project's scraper",
        "source": BIBLIOGRAPHY_ID if result.scraped is None else f"ddp_moa_links_{result.scraped:%Y_%m_%d}",
        "source_repository": source_repository,
        "source_path": source_path,
        "source_commit": source_commit,
        "scraped": result.scraped.strftime("%Y-%m-%d %H:%M:%S") if result.scraped else None,
        "scraped_note": "the moment in the log's folder name (agreements_<YYYYMMDD>_<HHMMSS>); its time zone "
                        "is not stated",
        "as_of": result.scraped.date() if result.scraped else None,
    }
    if retrieved_via:
        entry["retrieved_via"] = retrieved_via
    entry.update({
        "can_show": CAN_SHOW,
        "cannot_show": CANNOT_SHOW,
        "log_lines": result.log_lines,
        **summary(result.rows),
        "skipped": result.skipped_by_reason,
        "skipped_lines": {reason: [item.line for item in result.skipped if item.reason == reason]
                          for reason in result.skipped_by_reason},
        "notes": result.notes,
        "regenerate": f"python scripts/import_moa_links.py <a copy of {posixpath.basename(source_path)}>",
    })
    return entry


def _yaml_text(entry: dict[str, Any]) -> str:
    header = ("# Documents ICE's 287(g) sheet linked, from the Deportation Data Project's download log.\n"
              "# Positive evidence only: see can_show and cannot_show. Written by scripts/import_moa_links.py.\n")
    # Lists and mappings of plain values on one line each (the skipped lines' numbers stay short).
    return header + yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)


def write_moa_links(result: ParseResult, data_dir: Path, **source: Any) -> tuple[Path, Path]:
    """Write ``data_dir/agreements/moa_links.csv`` and ``moa_links.yaml``, both or neither.

    `source` may give ``source_repository``, ``source_path``, ``source_commit`` and ``retrieved_via``
    (``provenance``). The agency-level list's files in the same folder are not touched.
    """
    from ..files import write_outputs

    folder = Path(data_dir) / "agreements"
    csv_path, yaml_path = folder / CSV_NAME, folder / YAML_NAME
    write_outputs([(csv_path, csv_text(result.rows).encode("utf-8")),
                   (yaml_path, _yaml_text(provenance(result, **source)).encode("utf-8"))])
    LOG.info("wrote %d linked documents to %s and %s", len(result.rows), csv_path, yaml_path)
    return csv_path, yaml_path


# ---------------------------------------------------------------------------------------------- load


@dataclass
class MoaLinks:
    """The rows of ``moa_links.csv`` with their provenance, and the look-ups a brief needs."""

    rows: list[MoaLink]
    provenance: dict[str, Any]

    @property
    def as_of(self) -> dt.date | None:
        return self.provenance.get("as_of")

    def in_state(self, state: str) -> list[MoaLink]:
        """The rows of one state (a USPS code or a name in any case)."""
        code = state_code_of(state)
        return [row for row in self.rows if row.state_code == code]

    def for_agency(self, state: str, agency: str) -> list[MoaLink]:
        """The rows of one agency of one state, its name compared as ``name_key`` makes it."""
        code, key = state_code_of(state), name_key(agency)
        return [row for row in self.rows if row.agency_key == (code, key)]

    def not_on_list(self, agreements: Iterable[Agreement], state: str | None = None) -> list[MoaLink]:
        """The rows whose (state, agency, model) no row of `agreements` has: agreements the sheet links
        that the agency-level list lacks (or names differently). Only `state`'s when given."""
        listed = {(row.state_code, name_key(row.agency), row.model) for row in agreements}
        code = state_code_of(state) if state is not None else None
        return [row for row in self.rows if (row.state_code, name_key(row.agency), row.model) not in listed
                and (code is None or row.state_code == code)]


BIBLIOGRAPHY_ID = "ddp_moa_links"  # the entry in sources.yaml a brief cites for these rows (dated when known)
_COUNTY_NAME_RE = re.compile(r"^(.+? (?:County|Parish|Borough))\b", re.IGNORECASE)


def place_link(row) -> Placement:
    """Where an agency known only by its state and name (a linked document's, or a departed agreement's in
    history.csv) is counted, as ICE's list would place it: a name that starts with a county
    ("Kanawha County Sheriff's Office") in that county; otherwise the town its name starts with ("Navasota
    Police Department"), or its state when the name is the state's. The sheet's log gives no county cell and
    no agency type, so these come from the name alone."""
    match = _COUNTY_NAME_RE.match(row.agency)
    if match:
        placed = place_agency(row.state_code, row.agency, "County", match[1])
        if placed.counties:
            return placed
    return place_agency(row.state_code, row.agency, "Municipality", "")


def _problem_text(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:60] + "\u2026")


def _read_provenance(path: Path, root: Path, problems: list[Problem]) -> dict[str, Any]:
    from ..load import read_yaml

    raw, found = read_yaml(path, root, real_dates=True)
    if raw is None:
        problems.extend(found)
        return {}
    data = raw.data
    if not isinstance(data, dict):
        problems.append(Problem(raw.label, f"expected a mapping of keys (source_repository, as_of, rows, ...), "
                                           f"got {type(data).__name__}", line=1))
        return {}
    for key in ("source_repository", "source_path", "source_commit"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(raw.problem(key, f"expected text naming where the log came from, got "
                                             f"{data.get(key)!r}"))
    as_of = data.get("as_of")
    try:
        data["as_of"] = dt.date.fromisoformat(str(as_of)) if as_of is not None else None
    except ValueError:
        problems.append(raw.problem("as_of", f"expected a date like 2026-09-14, got {as_of!r}"))
    if not isinstance(data.get("rows"), int) or isinstance(data.get("rows"), bool):
        problems.append(raw.problem("rows", f"expected the number of rows of {CSV_NAME}, got {data.get('rows')!r}"))
    data["_rows_line"] = raw.line_of("rows")
    return data


def load_moa_links(data_dir: Path) -> MoaLinks | None:
    """Read ``data_dir/agreements/moa_links.csv`` and ``moa_links.yaml``; None when there is no CSV.

    Every problem is located ('data/agreements/moa_links.csv:7: signed: expected ..., got ...') and
    all are raised together as an ``AgreementsError`` (a ``DataError``).
    """
    from ..load import LIMITS, check_csv, label_of, read_data_text

    root = Path(data_dir)
    csv_path, yaml_path = root / "agreements" / CSV_NAME, root / "agreements" / YAML_NAME
    if not os.path.lexists(csv_path):
        return None
    label = label_of(csv_path, root)
    problems: list[Problem] = check_csv(csv_path, root)
    text = None
    if not problems:
        text, problems = read_data_text(csv_path, root, max_bytes=LIMITS.csv_bytes)
    if text is None:
        raise AgreementsError(problems)
    info = _read_provenance(yaml_path, root, problems)
    rows = _read_rows(text, label, info.get("as_of"), problems)
    declared = info.get("rows")
    if isinstance(declared, int) and rows is not None and declared != len(rows) and not problems:
        problems.append(Problem(label_of(yaml_path, root), f"expected {len(rows)} (the rows of {CSV_NAME}), "
                                                           f"got {declared}", line=info.get("_rows_line"),
                                key="rows"))
    if problems:
        raise AgreementsError(problems)
    info.pop("_rows_line", None)
    LOG.info("loaded %d linked documents (scraped %s) from %s", len(rows), info.get("scraped"), csv_path)
    return MoaLinks(rows=rows or [], provenance=info)


def _read_rows(text: str, label: str, as_of: dt.date | None, problems: list[Problem]) -> list[MoaLink] | None:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(header) != CSV_COLUMNS:
        got = _problem_text(",".join(header)) if header else "an empty file"
        problems.append(Problem(label, f"expected columns {','.join(CSV_COLUMNS)}, got {got}", line=1, key="header"))
        return None
    latest = as_of or dt.date.today()
    rows: list[MoaLink] = []
    seen: dict[tuple[tuple[str, str], str], int] = {}
    for line, values in csv_rows(reader, len(CSV_COLUMNS),
                                 lambda at, text: problems.append(Problem(label, text, line=at))):
        record = dict(zip(CSV_COLUMNS, values))
        before = len(problems)

        def bad(column: str, expected: str) -> None:
            problems.append(Problem(label, f"expected {expected}, got {_problem_text(record[column])}", line=line,
                                    key=column))

        check_no_formulas(record, CSV_COLUMNS, bad)
        if not record["line"].isdigit() or int(record["line"]) < 2:
            bad("line", "the log's line number, 2 or more")
        check_state_and_agency(record, bad)
        if record["model"] not in MODELS:
            bad("model", f"one of {', '.join(MODELS)}")
        if record["document_type"] not in DOCUMENT_TYPES:
            bad("document_type", f"one of {', '.join(DOCUMENT_TYPES)}")
        signed = None
        if record["signed"]:
            try:
                signed = dt.date.fromisoformat(record["signed"])
            except ValueError:
                bad("signed", "an ISO date like 2025-09-22 or a blank cell")
            else:
                if not EARLIEST_SIGNING <= signed <= latest:
                    bad("signed", f"a date from {EARLIEST_SIGNING.isoformat()} to the scrape's day "
                                  f"{latest.isoformat()}")
                elif record["document_type"] == "addendum":
                    bad("signed", "a blank cell for an addendum (its file name's date may be its MOA's)")
        if not record["file_name"].strip():
            bad("file_name", "the linked document's file name")
        url = record["url"]
        if not url.lower().startswith(("http:/", "https:/")) or any(char.isspace() for char in url):
            bad("url", "the document's http(s) address")
        if len(problems) > before:
            continue
        row = MoaLink(source_line=int(record["line"]), state=record["state"], state_code=record["state_code"],
                      agency=record["agency"], model=record["model"], signed=signed,
                      document_type=record["document_type"], file_name=record["file_name"], url=url,
                      saved_path=record["saved_path"], line=line)
        key = (row.agency_key, url)
        if key in seen:
            problems.append(Problem(label, f"expected each document once per agency, got this one again (first on "
                                           f"line {seen[key]})", line=line, key="url"))
            continue
        seen[key] = line
        rows.append(row)
    return rows
