"""A series of ICE's lists -> each agreement's history: when it was first and last listed, and whether it left.

Input: ICE's workbooks, participating agencies and pending applications, one file per capture (``read_series``
reads them with ``workbook.import_list``), or the ``data/agreements/history.csv`` and ``history.yaml`` they
were summed up in (``load_history``).
Output: one ``AgreementHistory`` per agreement ever listed (``derive_history``), the two files
(``write_history``), or a checked ``History`` (every problem as 'file:line: column: expected ..., got ...').

What identifies an agreement across lists (``agreement_id``): its state, its agency and its model, written
``TX:kerr-county-sheriffs-office:TFM``. The agency part is ICE's name reduced to lower-case ASCII words
(``agency_words``): accents, apostrophes and punctuation dropped, '&' read as 'and', abbreviations spelt out
(co, cnty, saint, ft, mt, twp, dept, pd, dps, bocc), a leading 'City of', 'Town of' or 'Village of' and a
leading state name (or USPS code) before 'Department', 'Office', 'Division' or 'State' dropped, and
"Sheriff's Department" read as "Sheriff's Office" (a county has one sheriff). So "Kerr County Sheriff’s
Office ", "KERR COUNTY SHERIFF'S DEPT" and "Kerr Co. Sheriffs Office" are one agreement on every list, and
"Texas Department of Public Safety" is the "Department of Public Safety" of Texas' older lists.
ICE also corrects names between lists ("Dimmit Couny" to "Dimmit County", "Idaho State Police" to "Idaho
State Police Department"). ``derive_history`` follows such a correction when one agreement leaves a list on
the very date another of the same state and model arrives, their names are one letter apart or one name is
the other with words added at its end, and neither has another such partner; the agreement then keeps
one row, under the key of its newest name, with the keys it had before in ``earlier_ids``. A renaming
beyond that ("Cambria County Sheriff's Office" to "Cambria County Prison") reads as one agreement leaving
and another arriving on the same list.

What the dates mean: ``first_seen`` is the date of the first list of the series that holds the agreement (for
the agreements on the series' first list: "on or before" that date); ``last_seen`` the date of the last one;
``first_absent`` the date of the first list after ``last_seen`` (blank while the agreement is on the newest
list): the agreement left ICE's list between ``last_seen`` and ``first_absent``. ``gaps`` counts the times it
was missing from a list and listed again later (a list's omission, or a renaming back and forth).
``pending_first_seen`` and ``pending_last_seen`` are the same dates on ICE's pending-applications lists.
A list's date is the date its file name carries, or for a Wayback Machine capture the day of the capture.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .rows import MODELS, STATES, AgreementsError, canonical, name_words
from .workbook import PARTICIPATING, PENDING, Limits, import_list, read_list_name

LOG = logging.getLogger(__name__)

HISTORY_COLUMNS = ("agreement_id", "state_code", "agency", "model", "first_seen", "last_seen", "first_absent",
                   "dates_listed", "gaps", "pending_first_seen", "pending_last_seen", "earlier_ids")
MODEL_CODES = {MODELS[0]: "JEM", MODELS[1]: "TFM", MODELS[2]: "WSO"}
_MODELS_BY_CODE = {code: model for model, code in MODEL_CODES.items()}
_PART_OF_DAY = {"am": 0, "mid": 1, "": 1, "pm": 2}
_MAX_FILES = 10_000  # workbooks one series may hold (the archive of 2021-2026 has 1,291)
_MAX_BYTES = 16_000_000  # history.csv (about 0.3 MB for 2021-2026)
_ID_RE = re.compile(r"(?P<state>[A-Z]{2}):(?P<agency>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<model>JEM|TFM|WSO)")


# Abbreviations in ICE's agency names, spelt out for the key (rows.canonical does co, saint, ft, mt, twp).
_KEY_WORDS = {"dept": ("department",), "pd": ("police", "department"), "sheriff": ("sheriffs",),
              "dps": ("department", "of", "public", "safety"), "bocc": ("board", "of", "county", "commissioners")}
_LEADING = (("city", "of"), ("town", "of"), ("village", "of"))
_AFTER_STATE = {"department", "office", "division", "state"}


def agency_words(state_code: str, agency: str) -> tuple[str, ...]:
    """The words of an agency's name that identify it within its state (see the module's docstring)."""
    raw = name_words(agency)
    state = name_words(STATES.get(state_code, ""))
    if len(raw) > 2 and raw[0] == state_code.lower():  # 'MT Dept of Justice': the state's code, not 'Mount'
        raw = state + raw[1:]
    words: list[str] = []
    for word in canonical(raw):
        words.extend(_KEY_WORDS.get(word, (word,)))
    if tuple(words[:2]) in _LEADING and len(words) > 3:
        words = words[2:]
    if state and words[:len(state)] == state and len(words) > len(state) + 1 and words[len(state)] in _AFTER_STATE:
        words = words[len(state):]
    for index in range(len(words) - 1):
        if words[index] == "sheriffs" and words[index + 1] == "department":
            words[index + 1] = "office"
    return tuple(words)


def agreement_id(state_code: str, agency: str, model: str) -> str:
    """The key that follows one agreement across lists: 'TX:kerr-county-sheriffs-office:TFM'."""
    return f"{state_code}:{'-'.join(agency_words(state_code, agency))}:{MODEL_CODES[model]}"


# ------------------------------------------------------------------------------------------ lists


@dataclass(frozen=True)
class SeenList:
    """One of ICE's lists as the history needs it: which agreements it holds, and when it was seen.

    ``agreements`` maps each ``agreement_id`` to the agency's name as this list writes it. ``origin`` is
    'ice' for ICE's own workbook (downloaded, or captured by the Wayback Machine) and 'derived' for another
    party's file (such as an archive's table of ICE's HTML page): the header of the file says which.
    """

    kind: str
    as_of: dt.date
    file: str
    agreements: dict[str, str]
    sha256: str = ""
    origin: str = "ice"
    rank: tuple = ()

    @property
    def order(self) -> tuple:
        return (self.as_of, self.rank, self.file)


@dataclass
class Series:
    """What ``read_series`` read: the lists with a date, and each file left out with the reason."""

    lists: list[SeenList] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: int = 0  # cell problems found in the lists read (typos read as, rows left out, ...)
    rows_left_out: int = 0


def _rank(name: str) -> tuple:
    """Where a list falls within its day: am, mid(day) or no part of day, pm; a capture by its time."""
    listed = read_list_name(name)
    if listed.captured is not None:
        return (listed.captured.hour * 60 + listed.captured.minute,)
    return ({0: 9 * 60, 1: 12 * 60, 2: 17 * 60}[_PART_OF_DAY.get(listed.part_of_day, 1)],)


def seen_list(kind: str, as_of: dt.date, file: str, rows: Iterable, *, sha256: str = "",
              origin: str = "ice") -> SeenList:
    """A ``SeenList`` from agreement rows (anything with state_code, agency and model)."""
    agreements: dict[str, str] = {}
    for row in rows:
        agreements.setdefault(agreement_id(row.state_code, row.agency, row.model), row.agency)
    return SeenList(kind=kind, as_of=as_of, file=file, agreements=agreements, sha256=sha256, origin=origin,
                    rank=_rank(file))


def workbook_paths(folder: Path) -> list[Path]:
    """The .xlsx files under `folder` (its sub-folders included), by name; at most 10,000."""
    folder = Path(folder)
    if not folder.is_dir():
        raise AgreementsError([f"{folder.name}: expected a folder of ICE's workbooks, found none"])
    paths = []
    for path in sorted(folder.rglob("*.xlsx"), key=lambda item: (item.name, str(item))):
        if path.name.startswith(("~$", ".")):
            continue  # Excel's lock files and hidden files are no lists
        paths.append(path)
        if len(paths) > _MAX_FILES:
            raise AgreementsError([f"{folder.name}: expected at most {_MAX_FILES:,} workbooks, got more"])
    return paths


def read_series(paths: Iterable[Path], *, today: dt.date | None = None, limits: Limits | None = None) -> Series:
    """Read every workbook of a series; a file that cannot be a dated list is skipped with its reason.

    Each file is read with ``import_list`` as a history needs it: rows without an agency type are kept
    (the agreement is the same), the header says which list a file is when its name says otherwise, and no
    agency is placed in a county. Rows left out of a list (an unknown STATE or SUPPORT TYPE, a blank agency)
    are left out of its history too, and counted in ``Series.rows_left_out``.
    """
    series = Series()
    refused_dates: dict[str, tuple[str, str]] = {}  # the part of a name after ICE's token -> (file, why)
    problems: dict[str, tuple[int, int]] = {}
    for path in paths:
        path = Path(path)
        try:
            result = import_list(path, today=today, limits=limits, keep_untyped=True, header_decides=True,
                                 place=False)
        except AgreementsError as error:
            series.skipped.append((path.name, _reason(error.problems[0], path.name)))
            continue
        listed = read_list_name(path.name)
        if result.as_of is None:
            series.skipped.append((path.name, f"no list date: {result.as_of_problem}"))
            if listed.kind and listed.date is not None:
                refused_dates[_name_tail(listed)] = (path.name, result.as_of_problem)
            continue
        origin = "ice" if listed.kind else "derived"
        series.lists.append(seen_list(result.kind, result.as_of, path.name, result.rows, sha256=result.sha256,
                                      origin=origin))
        problems[path.name] = (len(result.problems), len({item.row for item in result.problems if not item.kept}))
    _drop_misdated(series, refused_dates)
    series.problems = sum(problems[item.file][0] for item in series.lists)
    series.rows_left_out = sum(problems[item.file][1] for item in series.lists)
    LOG.info("read %d lists, skipped %d files", len(series.lists), len(series.skipped))
    return series


def _name_tail(listed) -> str:
    """What follows ICE's token in a file name ('01052025pm.xlsx'): the same for the two lists of a capture."""
    name = listed.ice_name
    match = re.search(r"agenc(?:y|ies)", name, flags=re.IGNORECASE)
    return name[match.end():].lower() if match else name.lower()


def _drop_misdated(series: Series, refused_dates: dict[str, tuple[str, str]]) -> None:
    """Leave out the lists whose date is in doubt, each with its reason.

    * A list saved with a companion whose name's date was refused (a participating list named
      ``...01052025pm`` whose signing dates run to December 2025): archives name a capture's participating
      and pending lists alike, and a pending list has no signing dates to check its own name by.
    * A list whose bytes equal those of a list of an earlier date, with other lists between the two: a copy
      of the earlier list saved under a later name, not what ICE published on the later date.
    """
    kept: list[SeenList] = []
    for item in sorted(series.lists, key=lambda entry: entry.order):
        companion = refused_dates.get(_name_tail(read_list_name(item.file)))
        if companion and read_list_name(item.file).kind:
            series.skipped.append((item.file, f"no list date: saved with {companion[0]}, whose name's date was "
                                              f"refused ({companion[1]}); the two share their name's date"))
            continue
        kept.append(item)
    series.lists = []
    for kind in (PARTICIPATING, PENDING):
        first_by_bytes: dict[str, tuple[SeenList, int]] = {}  # sha256 -> (first list, content version then)
        version, previous = 0, None
        for item in (entry for entry in kept if entry.kind == kind):
            original, then = first_by_bytes.get(item.sha256, (None, 0)) if item.sha256 else (None, 0)
            if original is not None and then != version and original.as_of < item.as_of:
                series.skipped.append((item.file, f"same bytes as {original.file} ({original.as_of.isoformat()}), "
                                                  "with lists of other content between the two: a copy of that "
                                                  "list saved under a later name, not read as a list of "
                                                  f"{item.as_of.isoformat()}"))
                continue
            content = frozenset(item.agreements)
            if previous is not None and content != previous:
                version += 1
            previous = content
            first_by_bytes.setdefault(item.sha256, (item, version))
            series.lists.append(item)


def _reason(problem: str, name: str) -> str:
    return problem[len(name) + 2:] if problem.startswith(name + ": ") else problem


# ---------------------------------------------------------------------------------------- history


@dataclass(frozen=True)
class AgreementHistory:
    """One agreement's appearances on ICE's lists (see the module's docstring for what each date means).

    ``agency`` is the name as the newest list that holds the agreement writes it. Dates are None where the
    agreement never was on that kind of list; ``first_absent`` is None while it is on the newest list.
    ``line`` is the CSV line for loaded rows.
    """

    agreement_id: str
    state_code: str
    agency: str
    model: str
    first_seen: dt.date | None
    last_seen: dt.date | None
    first_absent: dt.date | None
    dates_listed: int
    gaps: int
    pending_first_seen: dt.date | None = None
    pending_last_seen: dt.date | None = None
    earlier_ids: tuple[str, ...] = ()
    line: int = 0

    @property
    def left(self) -> bool:
        """True when the agreement was listed and is absent from the newest list of the series."""
        return self.first_seen is not None and self.first_absent is not None


@dataclass
class _Track:
    first: dt.date
    last: dt.date
    agency: str
    dates: set = field(default_factory=set)
    gaps: int = 0
    absent_since: dt.date | None = None
    earlier: tuple[str, ...] = ()


def _tracks(lists: list[SeenList]) -> dict[str, _Track]:
    """Each agreement's first and last list, in list order; lists of one kind only."""
    tracks: dict[str, _Track] = {}
    for listed in lists:
        for key, agency in listed.agreements.items():
            track = tracks.get(key)
            if track is None:
                tracks[key] = track = _Track(listed.as_of, listed.as_of, agency)
            elif track.absent_since is not None:
                track.gaps += 1
                track.absent_since = None
            track.last, track.agency = listed.as_of, agency
            track.dates.add(listed.as_of)
        for key, track in tracks.items():
            if track.absent_since is None and key not in listed.agreements:
                track.absent_since = listed.as_of
    return tracks


def _renamed(old: str, new: str) -> bool:
    """Whether two keys of one state and model can be one agency's name before and after ICE corrected it:
    one letter apart (added, dropped, changed or two swapped: 'Dimmit Couny', 'Mantiowoc'), or one name is
    the other with words added at its end ('... Board of County Commissioners/ Department of Corrections').
    Two letters would join Madison and Marion counties; words added in front, West Melbourne and Melbourne."""
    from rapidfuzz.distance import OSA

    before, after = old.split(":")[1], new.split(":")[1]
    if abs(len(before) - len(after)) <= 1 and OSA.distance(before, after) <= 1:
        return True
    short, long = sorted((before.split("-"), after.split("-")), key=len)
    return 2 <= len(short) < len(long) and long[:len(short)] == short


def _link_renames(tracks: dict[str, _Track]) -> dict[str, str]:
    """Join each track that ends where exactly one matching track begins (``_renamed``; same state and
    model; it left on the date the other arrived); returns {earlier key: the key it now goes by}."""
    starts: dict[tuple[str, str, dt.date], list[str]] = {}
    for key, track in tracks.items():
        state_code, _, code = key.split(":")
        starts.setdefault((state_code, code, track.first), []).append(key)
    partners: dict[str, list[str]] = {}
    for key, track in tracks.items():
        if track.absent_since is None:
            continue
        state_code, _, code = key.split(":")
        found = [other for other in starts.get((state_code, code, track.absent_since), ())
                 if other != key and _renamed(key, other)]
        if len(found) == 1:
            partners[key] = found
    claimed: dict[str, int] = {}
    for found in partners.values():
        claimed[found[0]] = claimed.get(found[0], 0) + 1
    aliases: dict[str, str] = {}
    for key in sorted(partners, key=lambda item: tracks[item].absent_since):
        new = partners[key][0]
        if claimed[new] != 1:
            continue  # two agreements left where one arrived: which one was renamed cannot be told
        old_track, new_track = tracks.pop(key), tracks[new]
        new_track.first = old_track.first
        new_track.dates |= old_track.dates
        new_track.gaps += old_track.gaps
        new_track.earlier = old_track.earlier + (key,) + new_track.earlier
        aliases[key] = new
    for key, target in list(aliases.items()):  # a chain A -> B -> C points A at C
        while target in aliases:
            target = aliases[target]
        aliases[key] = target
    return aliases


def derive_history(lists: Iterable[SeenList]) -> list[AgreementHistory]:
    """Every agreement of the lists, with its first and last list and the first list it was absent from.

    Lists are put in order by date, then part of day (am, mid, pm) or capture time, then file name; lists
    of one date both count ("listed on that date"). Participating and pending lists are followed apart;
    names ICE corrected are followed as the module's docstring says, and a pending application under an
    agreement's earlier name joins that agreement's row.
    """
    ordered = sorted(lists, key=lambda item: item.order)
    listed = _tracks([item for item in ordered if item.kind == PARTICIPATING])
    aliases = _link_renames(listed)
    pending = _tracks([item for item in ordered if item.kind == PENDING])
    aliases.update(_link_renames(pending))
    for key in list(pending):
        target = aliases.get(key)
        if target in listed and target not in pending:
            pending[target] = pending.pop(key)
    rows = []
    for key in sorted(set(listed) | set(pending)):
        state_code, _, code = key.split(":")
        track, waiting = listed.get(key), pending.get(key)
        earlier = tuple(dict.fromkeys((track.earlier if track else ()) + (waiting.earlier if waiting else ())))
        rows.append(AgreementHistory(
            agreement_id=key, state_code=state_code, agency=(track or waiting).agency, model=_MODELS_BY_CODE[code],
            first_seen=track.first if track else None, last_seen=track.last if track else None,
            first_absent=track.absent_since if track else None, dates_listed=len(track.dates) if track else 0,
            gaps=track.gaps if track else 0, pending_first_seen=waiting.first if waiting else None,
            pending_last_seen=waiting.last if waiting else None, earlier_ids=earlier))
    return rows


# ------------------------------------------------------------------------------------------ write


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def history_csv_text(rows: Iterable[AgreementHistory]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HISTORY_COLUMNS)
    for row in rows:
        writer.writerow([row.agreement_id, row.state_code, _safe(row.agency), row.model, _day(row.first_seen),
                         _day(row.last_seen), _day(row.first_absent), row.dates_listed, row.gaps,
                         _day(row.pending_first_seen), _day(row.pending_last_seen), ";".join(row.earlier_ids)])
    return buffer.getvalue()


def _safe(text: str) -> str:
    from .workbook import neutralised

    return neutralised(text)


def _kind_summary(lists: list[SeenList]) -> dict[str, Any]:
    if not lists:
        return {"files": 0}
    newest = lists[-1]
    dates = sorted({item.as_of for item in lists})
    origins = {origin: sum(1 for item in lists if item.origin == origin) for origin in ("ice", "derived")}
    return {"files": len(lists), "distinct_files": len({item.sha256 or item.file for item in lists}),
            "dates": len(dates), "first_list": dates[0], "newest_list": newest.as_of, "newest_file": newest.file,
            "newest_agreements": len(newest.agreements), "files_by_origin": origins}


def history_provenance(series: Series, rows: list[AgreementHistory], *, source: str, command: str) -> dict[str, Any]:
    """What ``history.yaml`` says: where the lists came from, which were read or skipped, what was derived."""
    ordered = sorted(series.lists, key=lambda item: item.order)
    digest = hashlib.sha256("\n".join(f"{item.file} {item.sha256}" for item in ordered).encode("utf-8"))
    listed = [row for row in rows if row.first_seen]
    return {
        "title": "Each 287(g) agreement's first and last appearance on ICE's lists",
        "publisher": "U.S. Immigration and Customs Enforcement (the lists); derived by policybrief.ice.history",
        "source": source,
        "generated_by": command,
        "key": "agreement_id = USPS state code : the agency's name as lower-case words : model (JEM, TFM, WSO); "
               "see policybrief/ice/history.py",
        "agreements": len(listed),
        "agreements_on_newest_list": sum(1 for row in listed if row.first_absent is None),
        "agreements_left": sum(1 for row in listed if row.first_absent is not None),
        "agreements_with_gaps": sum(1 for row in listed if row.gaps),
        "pending_only": sum(1 for row in rows if not row.first_seen),
        "participating": _kind_summary([item for item in ordered if item.kind == PARTICIPATING]),
        "pending": _kind_summary([item for item in ordered if item.kind == PENDING]),
        "series_sha256": digest.hexdigest(),
        "cell_problems": series.problems,
        "rows_left_out": series.rows_left_out,
        "skipped": [f"{name}: {reason}" for name, reason in series.skipped],
        "lists": [f"{item.as_of.isoformat()} {item.kind} {item.origin} {len(item.agreements)} {item.file}"
                  for item in ordered],
    }


_YAML_HEADER = """\
# Provenance of history.csv: each 287(g) agreement's first and last appearance on ICE's lists.
# history.csv columns: agreement_id (state:agency words:model), state_code, agency (as the newest list
# holding it writes it), model, first_seen and last_seen (dates of the first and last participating list
# holding it; first_seen on the series' first list means "on or before"), first_absent (the first list
# after last_seen: the agreement left between last_seen and first_absent; blank while listed),
# dates_listed (list dates on which it was listed), gaps (times it was missing and listed again),
# pending_first_seen and pending_last_seen (the same on ICE's pending-applications lists).
# `lists`: every list read, as "date kind origin agreements file"; origin 'derived' is another party's
# table (not ICE's workbook). `skipped`: files that could not be a dated list, with the reason.
# `series_sha256`: SHA-256 of the lines "file sha256" of the lists read, in order.
"""


class _NoAliases(yaml.SafeDumper):
    """A data folder refuses YAML aliases, and one date can stand in two places (first_list, newest_list)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_history(series: Series, data_dir: Path, *, source: str,
                  command: str) -> tuple[Path, Path, list[AgreementHistory]]:
    """Derive the history of `series` and write ``data_dir/agreements/history.csv`` and ``history.yaml``
    (both or neither); returns their paths and the rows."""
    if not any(item.kind == PARTICIPATING for item in series.lists):
        raise AgreementsError(["history: expected at least one participating list with a date, got none"
                               + (f" ({len(series.skipped)} file(s) skipped)" if series.skipped else "")])
    rows = derive_history(series.lists)
    provenance = history_provenance(series, rows, source=source, command=command)
    folder = Path(data_dir) / "agreements"
    csv_path, yaml_path = folder / "history.csv", folder / "history.yaml"
    text = _YAML_HEADER + yaml.dump(provenance, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=1000)
    from ..files import write_outputs

    write_outputs([(csv_path, history_csv_text(rows).encode("utf-8")), (yaml_path, text.encode("utf-8"))])
    LOG.info("wrote the history of %d agreements to %s and %s", len(rows), csv_path, yaml_path)
    return csv_path, yaml_path, rows


# ------------------------------------------------------------------------------------------- load


@dataclass
class History:
    """The agreements' histories as loaded, with ``history.yaml``'s keys (dates as dates)."""

    rows: list[AgreementHistory]
    provenance: dict[str, Any]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    @property
    def newest_list(self) -> dt.date:
        return self.provenance["participating"]["newest_list"]

    @property
    def first_list(self) -> dt.date:
        """The series' first participating list: an agreement first seen there was listed on or before it."""
        return self.provenance["participating"]["first_list"]

    def by_id(self) -> dict[str, AgreementHistory]:
        return {row.agreement_id: row for row in self.rows}

    def for_state(self, state_code: str) -> list[AgreementHistory]:
        return [row for row in self.rows if row.state_code == state_code]

    def left_between(self, start: dt.date, end: dt.date) -> list[AgreementHistory]:
        """Agreements whose last list fell in [start, end] and that are off the newest list."""
        return [row for row in self.rows if row.left and start <= row.last_seen <= end]


def _date_cell(record: dict[str, str], column: str, bad) -> dt.date | None:
    value = record[column]
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        bad(column, "an ISO date like 2026-05-18 or a blank cell")
        return None


def _int_cell(record: dict[str, str], column: str, bad) -> int:
    value = record[column]
    if not re.fullmatch(r"\d{1,6}", value):
        bad(column, "a whole number of at least 0")
        return 0
    return int(value)


def _check_row(record: dict[str, str], bad) -> AgreementHistory:
    """One history.csv row, every cell and the order of its dates checked (each problem passed to `bad`)."""
    match = _ID_RE.fullmatch(record["agreement_id"])
    if record["state_code"] not in STATES:
        bad("state_code", "a USPS state code such as TX")
    if record["model"] not in MODEL_CODES:
        bad("model", f"one of {', '.join(MODELS)}")
    if not record["agency"].strip():
        bad("agency", "an agency name")
    if not match:
        bad("agreement_id", "state:agency words:model, like TX:kerr-county-sheriffs-office:TFM")
    elif record["state_code"] in STATES and record["model"] in MODEL_CODES and record["agency"].strip():
        expected = agreement_id(record["state_code"], record["agency"], record["model"])
        if expected != record["agreement_id"]:
            bad("agreement_id", f"{expected!r} (the key of its state_code, agency and model)")
    unreadable: list[str] = []

    def bad_cell(column: str, expected: str) -> None:
        unreadable.append(column)
        bad(column, expected)

    dates = {column: _date_cell(record, column, bad_cell) for column in
             ("first_seen", "last_seen", "first_absent", "pending_first_seen", "pending_last_seen")}
    listed, gaps = _int_cell(record, "dates_listed", bad_cell), _int_cell(record, "gaps", bad_cell)
    first, last, absent = dates["first_seen"], dates["last_seen"], dates["first_absent"]
    if unreadable:
        pass  # the order of dates is checked once every date reads
    elif (first is None) != (last is None):
        bad("last_seen" if first else "first_seen", "a date with first_seen and last_seen both, or neither")
    elif first and last and first > last:
        bad("last_seen", f"a date on or after first_seen ({first.isoformat()})")
    elif first and (listed < 1 or listed > (last - first).days + 1):
        bad("dates_listed", f"1 to {(last - first).days + 1} (the days from first_seen to last_seen)")
    waiting_first, waiting_last = dates["pending_first_seen"], dates["pending_last_seen"]
    if not unreadable:
        if absent and (last is None or absent < last):
            bad("first_absent", "a date on or after last_seen, or a blank cell")
        if first is None and (absent or listed or gaps):
            bad("first_seen", "a date (first_absent, dates_listed or gaps are given)")
        if (waiting_first is None) != (waiting_last is None) or (waiting_first and waiting_first > waiting_last):
            bad("pending_last_seen", "a date on or after pending_first_seen, with both or neither given")
        if first is None and waiting_first is None:
            bad("first_seen", "a date on a participating or a pending list")
    earlier = tuple(record["earlier_ids"].split(";")) if record["earlier_ids"] else ()
    for other in earlier:
        found = _ID_RE.fullmatch(other)
        if not found or not match or (found["state"], found["model"]) != (match["state"], match["model"]) \
                or other == record["agreement_id"]:
            bad("earlier_ids", "keys of the same state and model, other than agreement_id, separated by ';'")
            break
    return AgreementHistory(
        agreement_id=record["agreement_id"], state_code=record["state_code"], agency=record["agency"],
        model=record["model"], first_seen=first, last_seen=last, first_absent=absent, dates_listed=listed,
        gaps=gaps, pending_first_seen=waiting_first, pending_last_seen=waiting_last, earlier_ids=earlier)


def load_history(data_dir: Path) -> History:
    """Read ``data_dir/agreements/history.csv`` and ``history.yaml`` and check them in full.

    Raises ``AgreementsError`` listing every problem, each as 'file:line: column: expected ..., got ...'.
    """
    from ..load import read_data_text
    from .store import checked_yaml, csv_rows, shown_value, yaml_lines

    folder = Path(data_dir) / "agreements"
    csv_path, yaml_path = folder / "history.csv", folder / "history.yaml"
    problems: list[str] = []
    if not os.path.lexists(csv_path):
        raise AgreementsError(["history.csv: expected the agreements' history here, found no file; build it with "
                               "scripts/build_history.py"])
    # The data folder's own reader: a regular file inside the folder (no link out of it), bounded, UTF-8.
    text, found = read_data_text(csv_path, Path(data_dir), max_bytes=_MAX_BYTES)
    if text is None:
        raise AgreementsError([str(problem) for problem in found])
    provenance = _load_history_provenance(yaml_path, problems, checked_yaml, yaml_lines)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise AgreementsError([f"history.csv:1: header: expected CSV text, got {str(error)[:120]}"]) from None
    if header is None or tuple(header) != HISTORY_COLUMNS:
        got = shown_value(",".join(header)) if header else "an empty file"
        raise AgreementsError(problems + [f"history.csv:1: header: expected columns {','.join(HISTORY_COLUMNS)}, "
                                          f"got {got}"])
    rows: list[AgreementHistory] = []
    lines: dict[str, int] = {}
    for line, values in csv_rows(reader, len(HISTORY_COLUMNS),
                                 lambda at, text: problems.append(f"history.csv:{at}: {text}")):
        record = dict(zip(HISTORY_COLUMNS, values))
        before = len(problems)

        def bad(column: str, expected: str) -> None:
            problems.append(f"history.csv:{line}: {column}: expected {expected}, got {shown_value(record[column])}")

        row = _check_row(record, bad)
        if record["agreement_id"] in lines:
            bad("agreement_id", f"a key not used before (line {lines[record['agreement_id']]} has it)")
        lines.setdefault(record["agreement_id"], line)
        newest = (provenance.get("participating") or {}).get("newest_list")
        if isinstance(newest, dt.date) and len(problems) == before:
            for column in ("last_seen", "first_absent", "pending_last_seen"):
                value = getattr(row, column)
                if value and value > newest:
                    bad(column, f"a date no later than the newest list ({newest.isoformat()}, history.yaml)")
            if row.first_seen and row.first_absent is None and row.last_seen != newest:
                bad("first_absent", f"a date: last_seen is before the newest list ({newest.isoformat()})")
        if len(problems) == before:
            rows.append(AgreementHistory(**{**row.__dict__, "line": line}))
    declared = provenance.get("agreements")
    if isinstance(declared, int) and not problems:
        counted = sum(1 for row in rows if row.first_seen)
        if declared != counted:
            where = f"history.yaml:{provenance['_lines'].get('agreements', 1)}"
            problems.append(f"{where}: agreements: expected {counted} (the listed agreements of history.csv), "
                            f"got {declared}")
    if problems:
        raise AgreementsError(problems)
    provenance.pop("_lines", None)
    LOG.info("loaded the history of %d agreements from %s", len(rows), folder)
    return History(rows=rows, provenance=provenance)


def _load_history_provenance(path: Path, problems: list[str], checked_yaml, yaml_lines) -> dict[str, Any]:
    import os

    if not os.path.lexists(path):
        problems.append("history.yaml: expected the provenance of history.csv here, found no file; build both "
                        "with scripts/build_history.py")
        return {"_lines": {}}
    data = checked_yaml(path, problems)
    if data is None:
        return {"_lines": {}}
    if not isinstance(data, dict):
        problems.append(f"history.yaml:1: expected a mapping of keys (source, participating, ...), got "
                        f"{type(data).__name__}")
        return {"_lines": {}}
    lines = yaml_lines(path.read_text(encoding="utf-8"))
    data["_lines"] = lines
    for key in ("source", "generated_by"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"history.yaml:{lines.get(key, 1)}: {key}: expected text saying where the lists came "
                            f"from and how the file was made, got {data.get(key)!r}"[:300])
    entry = data.get("participating")
    if not isinstance(entry, dict):
        problems.append(f"history.yaml:{lines.get('participating', 1)}: participating: expected a mapping "
                        f"(files, first_list, newest_list, ...), got {entry!r}"[:300])
        data["participating"] = {}
        return data
    for key in ("first_list", "newest_list"):
        value = entry.get(key)
        if isinstance(value, str):
            try:
                value = entry[key] = dt.date.fromisoformat(value)
            except ValueError:
                pass
        if not isinstance(value, dt.date):
            problems.append(f"history.yaml:{lines.get('participating', 1)}: participating.{key}: expected a date "
                            f"like 2026-05-18, got {value!r}"[:300])
    return data
