"""ICE's vocabulary: models, agency types, states, one agreement row, and name normalisation.

Input: text as ICE or a person writes it (state names, agency names, COUNTY cells).
Output: canonical words for comparing names, USPS state codes, and the ``Agreement`` record every other
module of ``policybrief.ice`` passes around; the two errors the subpackage raises.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from ..errors import DataError, UsageError

ICE_PAGE = "https://www.ice.gov/identify-and-arrest/287g"
PUBLISHER = "U.S. Immigration and Customs Enforcement"
LICENCE = ("U.S. government work (17 U.S.C. 105): not subject to copyright in the United States; "
           "free to redistribute.")


MODELS = ("Jail Enforcement Model", "Task Force Model", "Warrant Service Officer")
AGENCY_TYPES = ("County", "Municipality", "State Agency")
CSV_COLUMNS = ("state", "state_code", "agency", "agency_type", "county", "model", "signed", "signed_raw",
               "moa", "addendum", "county_fips")
# pending.csv: ICE's pending list has no SIGNED, MOA or ADDENDUM column.
PENDING_CSV_COLUMNS = CSV_COLUMNS[:6] + ("county_fips",)

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
STATE_ALIASES = {
    "washington dc": "DC", "washington d c": "DC", "d c": "DC",
    "virgin islands": "VI", "us virgin islands": "VI", "united states virgin islands": "VI",
    "commonwealth of the northern mariana islands": "MP",
}

EARLIEST_SIGNING = dt.date(2002, 1, 1)  # the first 287(g) agreement (Florida) dates from July 2002

BLANK_COUNTY = {"", "#n/a", "n/a", "#na", "na", "none", "-"}



# --------------------------------------------------------------------------------------------- errors


class AgreementsError(DataError):
    """The workbook or the normalised files are unusable; ``.problems`` holds each problem as it was given
    (a located ``Problem``, or one located line of text)."""


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
    the text of a text cell); ``county`` is blank where ICE wrote ``#N/A``. ``moa`` and ``addendum`` are
    the http(s) URLs of ICE's hyperlinks, or ICE's cell text where there is none ('link pending').
    ``county_fips``: the Census counties the agency serves (``places.place_agency``); empty when unplaced.
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
    county_fips: tuple[str, ...] = ()

    @property
    def agency_key(self) -> tuple[str, str]:
        """What makes two rows the same agency: its state and its lower-cased name."""
        return self.state_code, self.agency.lower()



# ------------------------------------------------------------------------------------- text helpers


def clean_cell(value: Any) -> str:
    """A cell as single-spaced text (non-breaking spaces included), or '' for an empty cell."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\u00a0", " ").split())


def name_words(text: str) -> list[str]:
    """Lower-case ASCII words of `text`: accents, apostrophes and punctuation dropped, '&' read as 'and'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['`]", "", text.lower().replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", " ", text).split()


# Abbreviations people type for place names, mapped to one spelling so both sides compare equal.
WORD_CANON = {"co": "county", "cnty": "county", "cty": "county", "par": "parish", "saint": "st",
               "sainte": "ste", "ft": "fort", "mt": "mount", "twp": "township"}


def canonical(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(WORD_CANON.get(word, word) for word in words)


def compact(words: Iterable[str]) -> str:
    """Words joined without spaces, so 'De Kalb' and 'DeKalb' compare equal."""
    return "".join(words)


def slug(text: str) -> str:
    return "-".join(name_words(text))


def contains_run(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return size > 0 and any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))


@lru_cache(maxsize=1)
def state_keys() -> dict[str, str]:
    keys = {" ".join(name_words(name)): code for code, name in STATES.items()}
    keys.update({code.lower(): code for code in STATES})
    keys.update(STATE_ALIASES)
    return keys


def state_code_of(text: str) -> str | None:
    """USPS code for a state name or code in any case ('TEXAS', 'tx', 'Texas'), else None."""
    return state_keys().get(" ".join(name_words(text)))
