"""Agreement rows <-> ``data/agreements/``: the normalised CSVs and ``provenance.yaml``.

Input: an ``ImportResult`` to write (``write_normalised``, ``write_pending``), or a data folder to read
(``load_agreements``). Output: the files, or an ``AgreementList`` checked in full (every problem as
'file:line: column: expected ..., got ...').
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import logging
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from ..errors import UsageError
from .counts import AgreementList
from .places import agency_source
from .rows import (AGENCY_TYPES, CSV_COLUMNS, ICE_PAGE, LICENCE, MODELS, PENDING_CSV_COLUMNS, PUBLISHER, STATES,
                   Agreement, AgreementsError)
from .workbook import FORMULA_STARTS, ImportResult, neutralised, placement, read_list_name

LOG = logging.getLogger(__name__)

# Keys the importer writes in a provenance entry; any other key was written by hand and is kept.
_IMPORTER_KEYS = ("title", "publisher", "source_url", "file_url", "source_file", "as_of", "last_modified",
                  "downloaded", "downloaded_at", "sha256", "rows", "problems", "unplaced", "placed_by_source", "licence",
                  "retrieved_via", "changes", "pending")
# What ``update-agreements --download`` adds: the workbook's own address, the server's Last-Modified and the
# moment of the download (UTC, ISO 8601).
DOWNLOAD_KEYS = ("file_url", "last_modified", "downloaded_at")
_MAX_CSV_BYTES = 64_000_000


@dataclass
class Written:
    """What ``write_normalised`` or ``write_pending`` wrote, and how the list differs from the one it
    replaced (``changes``: None when there was none, or it was the same workbook)."""

    csv_path: Path
    yaml_path: Path
    changes: dict[str, Any] | None = None
    replaced: dict[str, Any] | None = None

    def __iter__(self):  # `csv_path, yaml_path = write_normalised(...)` keeps working
        return iter((self.csv_path, self.yaml_path))

# ------------------------------------------------------------------------------------------ write


def _provenance_text(provenance: dict[str, Any]) -> str:
    header = ("# ICE's 287(g) participating-agencies list, normalised by policybrief.ice.\n"
              "# Rows with an unreadable SIGNED cell are kept with a blank `signed` (see problems);\n"
              "# rows with an unknown STATE, TYPE or SUPPORT TYPE are left out (see problems).\n")
    header += ("# `changes`: agreements added and removed against the list this one replaced.\n"
               "# Keys not written by the importer are kept on re-import.\n")
    if "pending" in provenance:
        header += ("# `pending` describes pending.csv, ICE's companion list of applications not yet signed\n"
                   "# (its own file and date; same rules, no signing dates).\n")
    return header + yaml.safe_dump(provenance, sort_keys=False, allow_unicode=True, width=1000)


def checked_yaml(path: Path, problems: list[str]) -> Any:
    """A provenance.yaml read the safe way (``load.read_data_text``: a regular file inside the data folder,
    bounded, UTF-8; ``load.parse_yaml``: no aliases, duplicate keys or impossible dates), then loaded with
    its dates; problems are added to `problems`. Returns None when it cannot be used."""
    from ..load import parse_yaml, read_data_text

    root = path.parent.parent
    text, found = read_data_text(path, root)
    if text is None:
        problems.extend(str(problem) for problem in found)
        return None
    _, found = parse_yaml(text, path.name, real_dates=True)  # before anything expands an alias
    if found:
        problems.extend(str(problem) for problem in found)
        return None
    try:
        # Checked above for aliases and duplicates: libyaml's safe loader, where PyYAML has it, reads it fast.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        problems.append(f"{path.name}: expected YAML, got {type(error).__name__}: {str(error)[:120]}")
        return None


def existing_provenance(path: Path, *, force: bool = True) -> dict[str, Any] | None:
    """The mapping in an existing provenance.yaml, or None when there is none. One that cannot be used is
    an error unless `force` (then it is replaced): it may describe a newer list, or hand-written keys."""
    if not os.path.lexists(path):
        return None
    problems: list[str] = []
    data = checked_yaml(path, problems)
    if not problems and not isinstance(data, dict):
        problems.append(f"{path.name}:1: expected a mapping of keys (as_of, source_file, ...), got "
                        f"{type(data).__name__}")
    if problems and not force:
        raise AgreementsError(problems + [f"{path.name}: expected the provenance of the list being replaced, "
                                          "got one that cannot be used; fix it, or pass --force to replace it"])
    if problems:
        LOG.warning("%s: replaced, unread (%s)", path, problems[0])
        return None
    return data


def _csv_text(columns: tuple[str, ...], rows: list[Agreement]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        record = {"state": row.state, "state_code": row.state_code, "agency": row.agency,
                  "agency_type": row.agency_type, "county": row.county, "model": row.model,
                  "signed": row.signed.isoformat() if row.signed else "", "signed_raw": row.signed_raw,
                  "moa": row.moa, "addendum": row.addendum, "county_fips": ";".join(row.county_fips)}
        # Never a live formula in the CSV, whoever built the rows (the importer already reports them).
        writer.writerow([neutralised(record[name]) for name in columns])
    return buffer.getvalue()


def agreement_key(row: Agreement) -> tuple[str, str, str]:
    """What makes two rows of two lists the same agreement: state, agency (case-blind) and model."""
    return row.state_code, " ".join(row.agency.lower().split()), row.model


def compare_lists(before: list[Agreement], after: list[Agreement]) -> dict[str, Any]:
    """Agreements added and removed between two lists, in all and by state and by model."""
    old, new = Counter(map(agreement_key, before)), Counter(map(agreement_key, after))
    added, removed = new - old, old - new

    def tally(index: int, names: dict[str, str] | None = None) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for counter, word in ((added, "added"), (removed, "removed")):
            for key, count in counter.items():
                label = names[key[index]] if names else key[index]
                table.setdefault(label, {"added": 0, "removed": 0})[word] += count
        return dict(sorted(table.items()))

    return {"rows_before": len(before), "rows_after": len(after), "added": sum(added.values()),
            "removed": sum(removed.values()), "by_state": tally(0, STATES), "by_model": tally(2)}


def describe_changes(changes: dict[str, Any]) -> list[str]:
    """The lines ``update-agreements`` prints for a ``changes`` entry."""
    lines = [f"changes against {changes['against']} (ICE's list of {changes['against_as_of']}): "
             f"{changes['added']} agreement(s) added, {changes['removed']} removed "
             f"({changes['rows_before']} -> {changes['rows_after']} rows)"]
    for heading in ("by_state", "by_model"):
        parts = [f"{name} +{entry['added']} -{entry['removed']}" for name, entry in changes[heading].items()]
        if parts:
            lines.append(f"  {heading.replace('_', ' ')}: " + "; ".join(parts))
    return lines


def previous_rows(path: Path, columns: tuple[str, ...]) -> list[Agreement] | None:
    """The rows of the list about to be replaced, or None when there is none or it is unreadable."""
    if not path.exists():
        return None
    problems: list[str] = []
    try:
        text = read_text(path, "")
    except AgreementsError:
        return None
    rows = _read_rows(path.name, text, columns, problems, place=False)
    if rows is None or problems:
        LOG.warning("%s: the list it replaces has problems; changes are counted over its valid rows only", path)
    return rows


def _merged_entry(new: dict[str, Any], old: dict[str, Any] | None, *, given: dict[str, Any]) -> dict[str, Any]:
    """`new` plus what a person wrote in `old`: keys the importer does not write are kept, and for the
    same workbook (same SHA-256) so are `downloaded`, `retrieved_via`, `source_url`, `changes` and the
    ``DOWNLOAD_KEYS`` unless given anew."""
    if not isinstance(old, dict):
        return new
    same = old.get("sha256") == new.get("sha256")
    if same:
        for key in ("downloaded", "retrieved_via", "source_url", "changes", *DOWNLOAD_KEYS):
            if given.get(key) is None and old.get(key) is not None:
                if key == "downloaded" and not isinstance(_as_date(old[key]), dt.date):
                    continue  # not a date: dropped rather than carried forward
                new[key] = _as_date(old[key]) if key == "downloaded" else old[key]
    kept = {key: value for key, value in old.items() if key not in _IMPORTER_KEYS}
    if kept:
        LOG.info("kept hand-written provenance keys: %s", ", ".join(map(str, kept)))
    ordered = {key: new[key] for key in _IMPORTER_KEYS if key in new and key != "pending"}
    ordered.update({key: value for key, value in new.items() if key not in ordered and key != "pending"})
    ordered.update(kept)
    if "pending" in new:
        ordered["pending"] = new["pending"]
    return ordered


def check_not_older(kind: str, as_of: dt.date, source_file: str, previous: dict[str, Any] | None,
                    force: bool, folder: Path) -> None:
    """Raise ``UsageError`` when `previous` (the provenance of the `kind` list in `folder`) is of a later
    list than `as_of` and `source_file` say, unless `force`."""
    if not isinstance(previous, dict) or force:
        return
    before = _as_date(previous.get("as_of"))
    if not isinstance(before, dt.date):
        return
    # Lists of one day: ICE's names say am, mid(day) or pm; a morning list does not replace the evening's.
    order = {"am": 0, "mid": 1, "pm": 2}
    then = order.get(read_list_name(str(previous.get("source_file", ""))).part_of_day)
    now = order.get(read_list_name(source_file).part_of_day)
    if as_of < before or (as_of == before and then is not None and now is not None and now < then):
        raise UsageError(f"{folder.parent.name}/{folder.name} holds ICE's {kind} list of {before.isoformat()} "
                         f"({previous.get('source_file')}), newer than this one ({as_of.isoformat()}, "
                         f"{source_file}); pass --force to replace it with the older list")


def _write_list(result: ImportResult, data_dir: Path, *, pending: bool, as_of: dt.date | None, source_file: str,
                source_url: str, downloaded: dt.date | None, retrieved_via: str | None,
                force: bool, download: dict[str, Any] | None = None) -> Written:
    example = "pendingAgencies07182025pm.xlsx" if pending else "participatingAgencies07182025pm.xlsx"
    as_of = as_of or result.as_of  # the import read the file name's date, when plausible
    if as_of is None:
        raise AgreementsError([f"{source_file}: expected a file name like {example} to tell the list date, "
                               "got none; pass as_of"])
    untyped = [row for row in result.rows if row.agency_type not in AGENCY_TYPES]
    if untyped:  # read with keep_untyped (for the history): such a list cannot be counted by type
        raise AgreementsError([f"{source_file}: row {row.row}: TYPE: expected one of {', '.join(AGENCY_TYPES)}, "
                               "got none (the list was read for its history only); re-import it without "
                               "keep_untyped" for row in untyped[:20]])
    folder = Path(data_dir) / "agreements"
    yaml_path = folder / "provenance.yaml"
    csv_path = folder / ("pending.csv" if pending else "participating.csv")
    columns = PENDING_CSV_COLUMNS if pending else CSV_COLUMNS
    existing = existing_provenance(yaml_path, force=force)
    if pending and existing is None:
        raise AgreementsError([f"{yaml_path.name}: expected the participating list's provenance in {folder} "
                               "(write it first with write_normalised / generate.py update-agreements), "
                               "found no readable file"])
    previous = (existing or {}).get("pending") if pending else existing
    previous = previous if isinstance(previous, dict) else None
    check_not_older("pending" if pending else "participating", as_of, source_file, previous, force, folder)

    title = "287(g) Pending Agencies" if pending else "287(g) Participating Agencies"
    extra = {} if pending else {"publisher": PUBLISHER, "licence": LICENCE}
    entry = _provenance_entry(title, result, source_file=source_file, source_url=source_url, as_of=as_of,
                              downloaded=downloaded, retrieved_via=retrieved_via, download=download, **extra)
    changes = None
    before_rows = previous_rows(csv_path, columns) if previous is not None else None
    if before_rows is not None and previous.get("sha256") != result.sha256:
        changes = {"against": str(previous.get("source_file")),
                   "against_as_of": _as_date(previous.get("as_of")), **compare_lists(before_rows, result.rows)}
        entry["changes"] = changes
    entry = _merged_entry(entry, previous, given={"downloaded": downloaded, "retrieved_via": retrieved_via,
                                                  "source_url": None if source_url == ICE_PAGE else source_url,
                                                  **(download or {})})

    text = _csv_text(columns, result.rows)
    from ..load import LIMITS

    if len(text.encode("utf-8")) > LIMITS.csv_bytes:
        raise AgreementsError([f"{csv_path.name}: expected at most {LIMITS.csv_bytes:,} bytes (what a data folder "
                               f"may hold), would write {len(text.encode('utf-8')):,}; refused"])
    if pending:
        provenance = dict(existing or {})
        provenance["pending"] = entry
    else:
        provenance = entry
        if isinstance((existing or {}).get("pending"), dict):
            provenance["pending"] = existing["pending"]
            if existing["pending"].get("as_of") != as_of:
                LOG.warning("%s: kept the pending list of %s, which is not of this list's date %s; import the "
                            "matching pendingAgencies workbook", yaml_path, existing["pending"].get("as_of"), as_of)
    from ..files import write_outputs

    # Both files or neither: a list without its provenance (or the other way round) would not load.
    write_outputs([(csv_path, text.encode("utf-8")), (yaml_path, _provenance_text(provenance).encode("utf-8"))])
    LOG.info("wrote %d %s to %s and %s", len(result.rows), "pending applications" if pending else "agreements",
             csv_path, yaml_path)
    return Written(csv_path, yaml_path, changes, previous)


def write_normalised(result: ImportResult, data_dir: Path, *, as_of: dt.date | None = None,
                     source_file: str, source_url: str = ICE_PAGE, downloaded: dt.date | None = None,
                     retrieved_via: str | None = None, force: bool = False,
                     download: dict[str, Any] | None = None) -> Written:
    """Write ``data_dir/agreements/participating.csv`` and ``provenance.yaml``; return what was written.

    `as_of` defaults to the list date the import read (``ImportResult.as_of``). `retrieved_via` says how
    the workbook was obtained when it was not downloaded from ICE directly. Keys written by hand in the
    old ``provenance.yaml`` are kept (for the same workbook also its ``downloaded`` and ``retrieved_via``),
    a ``pending:`` entry is kept (``pending.csv`` is untouched), and the agreements added and removed
    against the replaced list are recorded under ``changes``. `download` holds the ``DOWNLOAD_KEYS`` of a
    workbook fetched from ICE's page (``ice.download``). Raises ``UsageError`` when the folder holds a
    newer list, unless `force`.
    """
    return _write_list(result, data_dir, pending=False, as_of=as_of, source_file=source_file,
                       source_url=source_url, downloaded=downloaded, retrieved_via=retrieved_via, force=force,
                       download=download)


def _provenance_entry(title: str, result: ImportResult, *, source_file: str, source_url: str,
                      as_of: dt.date, downloaded: dt.date | None, retrieved_via: str | None,
                      download: dict[str, Any] | None = None, **extra: str) -> dict[str, Any]:
    """Where one imported list came from, in the key order provenance.yaml has always used."""
    entry: dict[str, Any] = {"title": title}
    if "publisher" in extra:
        entry["publisher"] = extra.pop("publisher")
    entry.update({
        "source_url": source_url, "source_file": source_file, "as_of": as_of, "downloaded": downloaded,
        "sha256": result.sha256, "rows": len(result.rows),
        "problems": [str(dataclasses.replace(item, file=source_file)) for item in result.problems],
        "unplaced": _unplaced(result),
        "placed_by_source": _unplaced(result, how="source"),
    })
    entry.update(extra)
    entry.update({key: value for key, value in (download or {}).items() if key in DOWNLOAD_KEYS})
    if retrieved_via:
        entry["retrieved_via"] = retrieved_via
    return {key: entry[key] for key in _IMPORTER_KEYS if key in entry}


def _unplaced(result: ImportResult, how: str = "unplaced") -> list[str]:
    """The agencies no county brief counts, other than state agencies, each with why (for the record; every
    local section of their state lists them); with how='source', those placed only by a source outside
    ICE's list (places.agency_source), each with that source."""
    found = {}
    for row in result.rows:
        _counties, placed_how, note = placement(row.state_code, row.agency, row.agency_type, row.county)
        if placed_how != how:
            continue
        if how == "source":
            note = agency_source(row.state_code, row.agency)[1]
        found.setdefault(f"{row.agency}, {row.state_code}: {note}", None)
    return sorted(found)


def write_pending(result: ImportResult, data_dir: Path, *, as_of: dt.date | None = None,
                  source_file: str, source_url: str = ICE_PAGE, downloaded: dt.date | None = None,
                  retrieved_via: str | None = None, force: bool = False,
                  download: dict[str, Any] | None = None) -> Written:
    """Write ``data_dir/agreements/pending.csv`` and the ``pending:`` entry of ``provenance.yaml``.

    The participating list must be written first (``write_normalised``): its keys in ``provenance.yaml``
    are kept as they are. `as_of` defaults to the list date the import read (``ImportResult.as_of``);
    hand-written keys, changes and the newer-list rule work as in ``write_normalised``.
    """
    return _write_list(result, data_dir, pending=True, as_of=as_of, source_file=source_file,
                       source_url=source_url, downloaded=downloaded, retrieved_via=retrieved_via, force=force,
                       download=download)


def yaml_lines(text: str) -> dict[str, int]:
    """Line of each top-level key of a YAML mapping, for error messages."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
    data = checked_yaml(path, problems)
    if data is None:
        return {}
    text = path.read_text(encoding="utf-8")
    if not isinstance(data, dict):
        problems.append(f"{label}:1: expected a mapping of keys (as_of, source_file, ...), got {type(data).__name__}")
        return {}
    lines = yaml_lines(text)
    as_of = _as_date(data.get("as_of"))
    if not isinstance(as_of, dt.date):
        where = f"{label}:{lines['as_of']}" if "as_of" in lines else label
        problems.append(f"{where}: as_of: expected a date like 2025-07-18, got {data.get('as_of')!r}")
    else:
        data["as_of"] = as_of
    downloaded = _as_date(data.get("downloaded"))
    if downloaded is not None and not isinstance(downloaded, dt.date):
        where = f"{label}:{lines['downloaded']}" if "downloaded" in lines else label
        problems.append(f"{where}: downloaded: expected a date like 2025-07-19 or null, got {data.get('downloaded')!r}"[:300])
    for key in ("source_file", "source_url"):
        if not data.get(key):
            where = f"{label}:{lines[key]}" if key in lines else label
            problems.append(f"{where}: {key}: expected text naming where the list came from, got {data.get(key)!r}")
    data["_lines"] = lines
    return data


def shown_value(value: str) -> str:
    """A CSV cell for a message: quoted, control characters escaped, cut at 60 characters."""
    if len(value) > 60:  # repr escapes what is not printable (controls, bidi, zero-width)
        return repr(value[:60] + "\u2026") + f" ({len(value):,} characters)"
    return repr(value)


_FIPS_RE = re.compile(r"\d{5}")


def _read_rows(label: str, text: str, columns: tuple[str, ...], problems: list[str], *,
               place: bool = True) -> list[Agreement] | None:
    """The valid rows of a normalised CSV (`columns` wide); each bad cell is added to `problems`.

    Returns None when the header is neither `columns` nor the columns of files written before
    ``county_fips`` existed; for those the counties are placed now (``places.place_agency``) unless not
    `place`. Columns absent from `columns` (a pending list has no signed, signed_raw, moa or addendum) are
    read as blank.
    """
    old_columns = tuple(name for name in columns if name != "county_fips")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        problems.append(f"{label}:1: header: expected CSV text, got {_csv_error(error)}")
        return None
    if header is None or tuple(header) not in (columns, old_columns):
        found = shown_value(",".join(header)) if header else "an empty file"
        problems.append(f"{label}:1: header: expected columns {','.join(columns)}, got {found}")
        return None
    placed_at_load = tuple(header) == old_columns
    if placed_at_load:
        columns = old_columns
        if place:
            LOG.info("%s has no county_fips column (written by an older importer): placing its agencies in "
                     "counties now; re-run generate.py update-agreements to store them", label)

    rows: list[Agreement] = []
    for line, values in csv_rows(reader, len(columns), lambda at, text: problems.append(f"{label}:{at}: {text}")):
        record = dict.fromkeys(CSV_COLUMNS, "")
        record.update(zip(columns, values))
        before = len(problems)

        def bad(column: str, expected: str) -> None:
            problems.append(f"{label}:{line}: {column}: expected {expected}, got {shown_value(record[column])}")

        check_no_formulas(record, columns, bad)
        check_state_and_agency(record, bad)
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
        fips = tuple(record["county_fips"].split(";")) if record["county_fips"] else ()
        if not all(_FIPS_RE.fullmatch(county) for county in fips):
            bad("county_fips", "county FIPS codes such as 48201, separated by ';', or a blank cell")
        if len(problems) == before:
            code = record["state_code"]
            if placed_at_load and place:
                places, _, _ = placement(code, record["agency"], record["agency_type"], record["county"])
                fips = tuple(item.fips for item in places)
            rows.append(Agreement(state=record["state"], state_code=code, agency=record["agency"],
                                  agency_type=record["agency_type"], county=record["county"],
                                  model=record["model"], signed=signed, signed_raw=record["signed_raw"],
                                  moa=record["moa"], addendum=record["addendum"], row=line, county_fips=fips))
    return rows


def _csv_error(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a field longer than {csv.field_size_limit():,} characters"
    return "a NUL byte" if "NUL" in text else text[:120]


def csv_rows(reader, width: int, report: Callable[[int, str], None]) -> Iterator[tuple[int, list[str]]]:
    """The rows a csv reader gives after its header, each with its line, skipping blank ones; a row of
    another width is reported and skipped, and text the csv module cannot read is reported once and ends
    the reading. `report(line, message)` records a problem in the caller's own form."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            report(reader.line_num, f"expected CSV text, got {_csv_error(error)}; stopped reading")
            return
        if not any(value.strip() for value in values):
            continue
        if len(values) != width:
            report(reader.line_num, f"expected {width} columns, got {len(values)}")
            continue
        yield reader.line_num, values


def check_no_formulas(record: dict[str, str], columns, bad: Callable[[str, str], None]) -> None:
    """A normalised row's cells: none a spreadsheet would run as a formula (the writers neutralise them)."""
    for column in columns:
        if record[column].startswith(FORMULA_STARTS):
            bad(column, "text a spreadsheet will not run as a formula (write it with an apostrophe in front)")


def check_state_and_agency(record: dict[str, str], bad: Callable[[str, str], None]) -> None:
    """A normalised row's state_code, state and agency cells: a USPS code, its state's name, a name."""
    code = record["state_code"]
    if code not in STATES:
        bad("state_code", "a USPS state code such as TX")
    elif record["state"] != STATES[code]:
        bad("state", f"{STATES[code]!r} (the state of code {code})")
    if not record["agency"].strip():
        bad("agency", "an agency name")


def read_text(path: Path, missing: str) -> str:
    """A data file's text; a folder, FIFO or device, an oversized file or bytes that are not UTF-8 are
    refused with one line."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise AgreementsError([f"{path.name}: {missing}"]) from None
    except OSError as error:
        raise AgreementsError([f"{path.name}: cannot read it: {error.strerror or error}"]) from None
    if not stat.S_ISREG(info.st_mode):
        raise AgreementsError([f"{path.name}: expected a regular file, got a folder, FIFO or device"])
    if info.st_size > _MAX_CSV_BYTES:
        raise AgreementsError([f"{path.name}: expected at most {_MAX_CSV_BYTES:,} bytes, got {info.st_size:,}"])
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        raise AgreementsError([f"{path.name}: cannot read it: {error.strerror or error}"]) from None
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
        problems.append(f"{where}: pending.as_of: expected a date like 2025-07-18, got {entry.get('as_of')!r}"[:300])
    downloaded = _as_date(entry.get("downloaded"))
    if downloaded is not None and not isinstance(downloaded, dt.date):
        problems.append(f"{where}: pending.downloaded: expected a date like 2025-07-19 or null, got "
                        f"{entry.get('downloaded')!r}"[:300])
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
    text = read_text(csv_path, f"expected ICE's normalised list in {folder}, found no file; "
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
        pending_text = read_text(pending_path, "expected ICE's normalised pending list, found no file")
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
