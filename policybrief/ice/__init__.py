"""ICE's 287(g) lists: workbook import, the normalised store, counts, Census places and jurisdiction look-up.

Input: an ICE ``participatingAgencies<MMDDYYYY><am|pm>.xlsx`` workbook (``import_workbook``), or the
normalised ``data/agreements/participating.csv`` with its ``provenance.yaml`` (``load_agreements``).
Output: ``Agreement`` rows with the problems found in ICE's cells, the two files of ``data/agreements/``
(``write_normalised``), counts (``AgreementList``) and ``Jurisdiction`` look-ups (``find_jurisdiction``).

A series of such workbooks -> each agreement's first and last list and whether it left: ``history``
(``load_history`` reads ``data/agreements/history.csv``, built by ``scripts/build_history.py``).

ICE's companion ``pendingAgencies<MMDDYYYY><am|pm>.xlsx`` workbook lists applications not yet signed
(STATE, LAW ENFORCEMENT AGENCY or AGENCY, TYPE, COUNTY, SUPPORT TYPE; no dates). It is optional:
``import_pending_workbook`` reads it with the same rules into ``Agreement`` rows with ``signed=None``,
``write_pending`` writes ``data/agreements/pending.csv`` and a ``pending:`` entry in ``provenance.yaml``,
and ``load_agreements`` loads it, when present, as ``AgreementList.pending``; ``find_jurisdiction`` fills
``Jurisdiction.pending`` by the same matching as ``Jurisdiction.agreements``.

The documents a later sheet links, as the Deportation Data Project's scraper logged them, are kept apart
in ``data/agreements/moa_links.csv`` (``moa_links``, ``load_moa_links``): positive evidence only, since the
sheet links nothing for an agreement whose MOA is "link pending".

Decisions about ICE's data, all reported rather than guessed:

* A row whose SIGNED cell is not a plausible date (text such as ``7/72025``, or a serial outside
  2002-01-01..today such as ``1141572``) is kept with ``signed=None``: the agreement itself is listed by
  ICE, only its date is unreadable. The cell is kept verbatim in ``signed_raw`` and the problem is
  recorded with its Excel row.
* A row whose STATE, TYPE or SUPPORT TYPE is not one of the known values, or whose agency name is blank,
  is left out and recorded as a problem: it cannot be counted under any heading. A typo that is close to
  exactly one known value ('Muncipality', 'Warrant Service Office', 'New Hamsphire') is read as that value
  and recorded; so are ICE's short words 'State' and 'Municipal' for the agency types (without a record).
* A COUNTY that is not a county (or county-equivalent) of the row's state in the Census list shipped
  with ``addfips`` is kept as ICE wrote it and recorded as a problem (ICE's lists misspell several).
* Typographic apostrophes in agency names become ASCII ones, and runs of white space become one space:
  ICE lists some Texas sheriffs twice, once with each apostrophe, and they are one agency.
"""

from .counts import AgreementList
from .history import AgreementHistory, History, load_history
from .lookup import Jurisdiction, find_jurisdiction
from .moa_links import MoaLink, MoaLinks, load_moa_links
from .rows import (AGENCY_TYPES, CSV_COLUMNS, MODELS, PENDING_CSV_COLUMNS, STATES, Agreement, AgreementsError,
                   JurisdictionError)
from .store import load_agreements, write_normalised, write_pending
from .workbook import (ImportProblem, ImportResult, as_of_from_filename, date_from_excel_serial,
                       import_pending_workbook, import_workbook)

__all__ = [
    "Agreement", "AgreementHistory", "AgreementList", "AgreementsError", "History", "ImportProblem",
    "ImportResult", "Jurisdiction", "load_history",
    "JurisdictionError", "CSV_COLUMNS", "PENDING_CSV_COLUMNS", "MODELS", "AGENCY_TYPES", "STATES",
    "as_of_from_filename", "date_from_excel_serial", "find_jurisdiction", "import_pending_workbook",
    "import_workbook", "load_agreements", "write_normalised", "write_pending",
    "MoaLink", "MoaLinks", "load_moa_links",
]
