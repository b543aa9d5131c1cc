"""Agreement rows -> the counts briefs print: by model, state and agency type, and subsets.

Input: the ``Agreement`` rows of one ICE list (and its pending applications), with the list's date.
Output: ``AgreementList``, which counts them and hands ``policybrief.ice.lookup`` its search index.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from .places import Placement, county_core, place_agency, place_by_fips
from .rows import Agreement, canonical, name_words, state_code_of



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
        code = state_code_of(state)
        return self._subset([row for row in self.rows if row.state_code == code],
                            [row for row in self.pending if row.state_code == code])

    @cached_property
    def search_list(self) -> AgreementList:
        """The rows ``find_jurisdiction`` searches: agreements, then pending applications (positions from
        ``len(rows)`` on), so both are matched the same way."""
        if not self.pending:
            return self
        return AgreementList(self.rows + self.pending, self.as_of, self.provenance)

    @cached_property
    def words_of(self) -> dict[int, tuple[tuple[str, ...], tuple[str, ...], bool]]:
        """Per row position: the agency's canonical words, the COUNTY core, and whether COUNTY had 'County'."""
        return {index: (canonical(name_words(row.agency)),) + county_core(row.county)
                for index, row in enumerate(self.rows)}

    @cached_property
    def placements(self) -> dict[int, Placement]:
        """Per row position: where the agency is counted (``places.place_agency``, one decision per row).

        A ``county_fips`` stored by the importer is the decision made at import and wins over a new one.
        """
        found = {}
        for index, row in enumerate(self.rows):
            placed = place_agency(row.state_code, row.agency, row.agency_type, row.county)
            stored = tuple(getattr(row, "county_fips", ()) or ())
            if stored and stored != placed.fips:
                counties = tuple(place for place in map(place_by_fips, stored) if place is not None)
                placed = Placement(counties, placed.how if placed.counties else "county-cell", placed.note)
            found[index] = placed
        return found

    def placement(self, row: Agreement) -> Placement:
        """Where `row` is counted: its decision in ``placements`` when it is one of this list's rows."""
        index = self._position.get(id(row))
        if index is not None and self.rows[index] is row:
            return self.placements[index]
        return place_agency(row.state_code, row.agency, row.agency_type, row.county)

    @cached_property
    def _position(self) -> dict[int, int]:
        return {id(row): index for index, row in enumerate(self.rows)}

    @cached_property
    def in_county(self) -> dict[str, list[int]]:
        """Per county FIPS code: the positions of the rows counted in that county."""
        found: dict[str, list[int]] = {}
        for index, placed in self.placements.items():
            for fips in placed.fips:
                found.setdefault(fips, []).append(index)
        return found

    def placed(self, how: str, state_code: str) -> list[Agreement]:
        """Rows of one state whose placement is `how` ('state' for state agencies, 'unplaced', ...)."""
        return [row for index, row in enumerate(self.rows)
                if row.state_code == state_code and self.placements[index].how == how]
