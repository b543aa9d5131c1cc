"""Read ICE's published counts (data/ice_counts/: by_state.csv, lists.csv, provenance.yaml) into
validated, dated tables: agreements by state and model on one list, and totals by model per list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..load import LIMITS, read_data_text, read_yaml

FOLDER = "ice_counts"
MODELS = ("tfm", "wso", "jem")


@dataclass(frozen=True)
class StateCount:
    state: str
    tfm: int
    wso: int
    jem: int

    @property
    def total(self) -> int:
        return self.tfm + self.wso + self.jem


@dataclass(frozen=True)
class ListCount:
    """One of ICE's published lists: its date, ICE's file name, agreements by model, its source."""

    list_date: dt.date
    ice_file: str
    tfm: int
    wso: int
    jem: int
    states: int | None
    source: str
    archive_path: str
    archive_commit: str

    @property
    def total(self) -> int:
        return self.tfm + self.wso + self.jem


@dataclass
class IceCounts:
    """ICE's counts as shipped: one list by state (with its date and source) and a series of lists."""

    state_as_of: dt.date
    state_source: str
    state_file: str
    states: list[StateCount]
    lists: list[ListCount]
    provenance: dict

    @property
    def state_total(self) -> int:
        return sum(row.total for row in self.states)

    def state_by_model(self) -> dict[str, int]:
        return {model: sum(getattr(row, model) for row in self.states) for model in MODELS}

    def ranked_states(self) -> list[StateCount]:
        return sorted(self.states, key=lambda row: (-row.total, row.state))

    @property
    def lists_as_of(self) -> dt.date:
        return max(row.list_date for row in self.lists)

    def per_month(self) -> list[ListCount]:
        """The newest list of each month, oldest month first (one point per month for charts)."""
        newest: dict[tuple[int, int], ListCount] = {}
        for row in sorted(self.lists, key=lambda row: row.list_date):
            newest[(row.list_date.year, row.list_date.month)] = row
        return list(newest.values())

    def state_count(self, state: str) -> StateCount | None:
        """The named state's counts on the state-level list, or None when ICE lists none there."""
        wanted = state.strip().lower()
        return next((row for row in self.states if row.state.lower() == wanted), None)


def _integer(text: str, label: str, line: int, column: str, problems: list[Problem]) -> int | None:
    value = (text or "").strip()
    if value.isdigit():
        return int(value)
    problems.append(Problem(label, f"expected a whole number of agreements, got {value!r}", line=line, key=column))
    return None


def _date(text, label: str, line: int | None, key: str, problems: list[Problem]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        problems.append(Problem(label, f"expected a date like 2026-10-09, got {str(text).strip()!r}", line=line, key=key))
        return None


def _rows(path: Path, label: str, columns: tuple[str, ...], problems: list[Problem]) -> list[tuple[int, dict]]:
    # Read as every data file is: a regular file inside the data folder, bounded, UTF-8, and free of
    # control and bidirectional characters (CSV has no escapes, so its cells are checked as raw text).
    text, found = read_data_text(path, path.parent.parent, max_bytes=LIMITS.csv_bytes)
    if text is None:
        problems.extend(found)
        return []
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = tuple(reader.fieldnames or ())
        if header != columns:
            problems.append(Problem(label, f"expected the columns {','.join(columns)}, got {','.join(header)}", line=1))
            return []
        return [(number, row) for number, row in enumerate(reader, start=2)]
    except csv.Error as error:
        problems.append(Problem(label, f"cannot be read as UTF-8 CSV: {error}"))
    return []


STATE_COLUMNS = ("state", "tfm", "wso", "jem", "total")
LIST_COLUMNS = ("list_date", "ice_file", "jem", "wso", "tfm", "total", "states", "source", "archive_path",
                "archive_commit")


def load_counts(data_dir: Path, *, today: dt.date | None = None) -> tuple[IceCounts | None, list[Problem]]:
    """Load data/ice_counts/ in full; every problem is reported with its file and line."""
    folder = Path(data_dir) / FOLDER
    problems: list[Problem] = []
    raw, yaml_problems = read_yaml(folder / "provenance.yaml", Path(data_dir))
    problems += yaml_problems
    prefix = f"{Path(data_dir).name}/{FOLDER}"
    provenance = raw.data if raw is not None and isinstance(raw.data, dict) else {}
    if raw is not None and not isinstance(raw.data, dict):
        problems.append(Problem(f"{prefix}/provenance.yaml", "expected a mapping with by_state and lists"))
    state_meta = provenance.get("by_state") or {}
    for key in ("as_of", "source", "ice_file"):
        if raw is not None and not state_meta.get(key):
            problems.append(raw.problem(f"by_state.{key}", "expected a value, got nothing"))
    state_as_of = (_date(state_meta.get("as_of"), f"{prefix}/provenance.yaml",
                         raw.line_of("by_state.as_of") if raw else None, "by_state.as_of", problems)
                   if state_meta.get("as_of") else None)
    if state_as_of and today and state_as_of > today:
        problems.append(raw.problem("by_state.as_of", f"expected a date not after today ({today.isoformat()}), "
                                                      f"got {state_as_of.isoformat()}"))

    states: list[StateCount] = []
    label = f"{prefix}/by_state.csv"
    seen: set[str] = set()
    for line, row in _rows(folder / "by_state.csv", label, STATE_COLUMNS, problems):
        name = (row.get("state") or "").strip()
        if not name:
            problems.append(Problem(label, "expected a state name, got nothing", line=line, key="state"))
            continue
        if name.lower() in seen:
            problems.append(Problem(label, f"duplicate state {name!r}", line=line, key="state"))
            continue
        seen.add(name.lower())
        values = {column: _integer(row.get(column), label, line, column, problems) for column in STATE_COLUMNS[1:]}
        if None in values.values():
            continue
        count = StateCount(name, values["tfm"], values["wso"], values["jem"])
        if count.total != values["total"]:
            problems.append(Problem(label, f"expected total {count.total} (tfm + wso + jem), got {values['total']}",
                                    line=line, key="total"))
            continue
        states.append(count)

    lists: list[ListCount] = []
    label = f"{prefix}/lists.csv"
    dates: set[dt.date] = set()
    for line, row in _rows(folder / "lists.csv", label, LIST_COLUMNS, problems):
        list_date = _date(row.get("list_date"), label, line, "list_date", problems)
        values = {column: _integer(row.get(column), label, line, column, problems)
                  for column in ("jem", "wso", "tfm", "total")}
        states_text = (row.get("states") or "").strip()
        state_number = _integer(states_text, label, line, "states", problems) if states_text else None
        source = (row.get("source") or "").strip()
        if not source:
            problems.append(Problem(label, "expected a source id from sources.yaml, got nothing", line=line, key="source"))
        if list_date is None or None in values.values() or not source or (states_text and state_number is None):
            continue
        if list_date in dates:
            problems.append(Problem(label, f"duplicate list date {list_date.isoformat()} (keep the day's last list)",
                                    line=line, key="list_date"))
            continue
        if today and list_date > today:
            problems.append(Problem(label, f"expected a list date not after today ({today.isoformat()}), "
                                           f"got {list_date.isoformat()}", line=line, key="list_date"))
            continue
        dates.add(list_date)
        count = ListCount(list_date, (row.get("ice_file") or "").strip(), values["tfm"], values["wso"],
                          values["jem"], state_number, source, (row.get("archive_path") or "").strip(),
                          (row.get("archive_commit") or "").strip())
        if count.total != values["total"]:
            problems.append(Problem(label, f"expected total {count.total} (jem + wso + tfm), got {values['total']}",
                                    line=line, key="total"))
            continue
        lists.append(count)
    if not lists and not any(p.file == label for p in problems):
        problems.append(Problem(label, "expected at least one list, found none"))

    if state_as_of and states and lists and not problems:
        same_day = next((row for row in lists if row.list_date == state_as_of), None)
        if same_day is not None and same_day.total != sum(row.total for row in states):
            problems.append(Problem(label, f"expected the list of {state_as_of.isoformat()} to total "
                                           f"{sum(row.total for row in states)} as in by_state.csv, got {same_day.total}",
                                    key="total"))
    if problems:
        return None, problems
    return IceCounts(state_as_of=state_as_of, state_source=str(state_meta["source"]),
                     state_file=str(state_meta["ice_file"]), states=states,
                     lists=sorted(lists, key=lambda row: row.list_date), provenance=provenance), []
