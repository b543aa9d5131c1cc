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
from pathlib import Path
from typing import Any

import yaml

from .counts import AgreementList
from .rows import (AGENCY_TYPES, CSV_COLUMNS, ICE_PAGE, LICENCE, MODELS, PENDING_CSV_COLUMNS, PUBLISHER, STATES,
                   Agreement, AgreementsError)
from .workbook import ImportResult, as_of_from_filename

LOG = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------------ write


def _write_atomically(target: Path, text: str) -> None:
    """Replace `target` only once the new content is fully on disk (the writer every stage uses)."""
    from ..write import write_atomically

    write_atomically(target, text.encode("utf-8"))


def _provenance_text(provenance: dict[str, Any]) -> str:
    header = ("# ICE's 287(g) participating-agencies list, normalised by policybrief.ice.\n"
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
