"""Check raw data files in full and build the typed content model, or raise every problem at once."""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .cite import CITATION_RE, parse_citation
from .markup import AS_OF_RE, FIGURE_RE
from . import resources

from .errors import DataError, Problem, excerpt
from .load import RawFile, check_csv, data_files, label_of, read_json, read_yaml
from .model import (DEFAULT_LANGUAGE, LANGUAGES, REGISTERS, RESERVED_BLOCK_IDS, SPECIAL_BLOCKS, Argument, Audience,
                    Block, BlockRef, BriefMeta, Content, DatedClaim, EnforcementModel, Event, Figure, PartialDate, Source, StateEntry, StatePolicy,
                    StatePending, StateSearch, BOUND, CHOICES, CHOICE_IDS, STANCE_BARS, Choice, Terms, Text, Typography, PARTICIPATION_STANCES, STATE_STANCES, TRANSLATED_META)

TEMPLATE_DIR = resources.TEMPLATE_DIR  # the project's own; data brings none
CHART_NAMES = resources.chart_package().CHARTS
LOG = logging.getLogger(__name__)

SOURCE_TYPES = {"report", "legislation", "bill", "legal_case", "article-journal", "article-newspaper",
                "article-magazine", "webpage", "post-weblog", "thesis", "dataset", "speech", "book",
                "hearing", "document"}
SOURCE_KEYWORDS = {"government", "court", "legislature", "academic", "think-tank", "law-enforcement",
                   "advocacy-restrictive", "advocacy-immigrant-rights", "news", "data"}
FIGURE_UNITS = {"agreements", "agencies", "officers", "states", "usd", "percent", "hours", "count"}
STANCES = tuple(STATE_STANCES)  # mandate, encourage, preempt, restrict, ban
STATE_CODE_RE = re.compile(r"^[A-Za-z]{2}$")
PDF_VARIANTS = {"pdf/ua-1", "pdf/a-3a", "pdf/a-3a+ua-1", "pdf/a-3u", "pdf/a-2b", "none"}
RAW_HTML_RE = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>|<!--")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
OPTIONAL_FILES = {"timeline", "perspectives", "states", "terms", "models"}
ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.\-]*$")
# Block and audience file names become HTML ids and CSS classes: lower-case words joined by '-' or '_'.
NAME_RE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\s*\(")
FIGURE_ID_RE = re.compile(r"^[A-Za-z0-9_]+$")
MAX_NUMBER = 10 ** 15  # a figure larger than a quadrillion is a typo, not a statistic
HISTORY_SOURCE = "ice_lists_history"  # the bibliography entry of the lists data/agreements/history.csv follows
COUNT_UNITS = {"agreements", "agencies", "officers", "states", "hours", "count", "usd"}


def _is_number(value: Any) -> bool:
    """A real, finite number below MAX_NUMBER (not a bool, not .inf or .nan, not 400 digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return abs(value) < MAX_NUMBER


class Collector:
    """Collects problems while typed objects are built, so one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # (file, key path, text) of every prose field, for citation and figure checks.
        self.texts: list[tuple[RawFile, str, str]] = []
        self.translated_texts: list[tuple[RawFile, str, str, str]] = []  # (file, key, text, language)
        # Ids declared even when their entry is invalid, so one bad source is one problem.
        self.declared_sources: set[str] = set()
        self.declared_figures: set[str] = set()
        # Files others refer to that could not be read or are not shaped as expected ('sources',
        # 'figures'): their problem is reported once, and references into them are not reported again.
        self.unread: set[str] = set()
        self.entries: dict[str, int] = {"sources": 0, "figures": 0}  # entries found, valid or not
        self.empty: dict[str, RawFile] = {}  # a file others refer to that holds no entries
        self.declared_blocks: set[str] = set()  # every block file's name, even one that cannot be read
        self.declared_audiences: set[str] = set()
        self.bibliography = "sources.yaml"  # the file(s) an unknown citation key is looked for in
        # Prose that expires (review_by:), for --check once the brief's date reaches it.
        self.claims: list[DatedClaim] = []

    def add(self, raw: RawFile, key: str, message: str) -> None:
        self.problems.append(raw.problem(key, message))

    def silenced(self, name: str) -> bool:
        """Whether references into `name` ('sources', 'figures') go unchecked: its file could not be
        read, or holds no entries."""
        return name in self.unread or (name in self.empty and not self.entries[name])

    def string(self, raw: RawFile, node: dict, key: str, path: str, *, required: bool = True,
               default: str | None = None) -> str | None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None or value == "":
            if required:
                self.add(raw, f"{path}.{key}", "expected a non-empty text, got nothing")
            return default
        if _is_number(value):
            return str(value)
        if not isinstance(value, str):
            self.add(raw, f"{path}.{key}", f"expected a text, got {excerpt(value)}")
            return default
        return value.strip()

    def flag(self, raw: RawFile, node: dict, key: str, default: bool) -> bool:
        """A yes/no field: true or false, never a text like "false" (which Python would read as true)."""
        value = node.get(key, default) if isinstance(node, dict) else default
        if not isinstance(value, bool):
            self.add(raw, key, f"expected true or false, got {excerpt(value)}")
            return default
        return value

    def number(self, raw: RawFile, node: dict, key: str, default: float | None, *, low: float = 0,
               high: float = MAX_NUMBER) -> float | None:
        """A finite number from `low` to `high` (None when absent and no default)."""
        value = node.get(key, default) if isinstance(node, dict) else default
        if value is None:
            return None
        if not _is_number(value) or not low <= value <= high:
            self.add(raw, key, f"expected a number from {low:g} to {high:g}, got {excerpt(value)}")
            return default
        return value

    def date(self, raw: RawFile, value: Any, path: str) -> PartialDate | None:
        text = str(value).strip() if value is not None else ""
        match = DATE_RE.match(text)
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            try:
                dt.date(year, month or 1, day or 1)
                return PartialDate(year, month, day)
            except ValueError:
                pass
        self.add(raw, path, f"expected a date like 2025-07-18 (or 2025-07, or 2025), got {excerpt(text)}")
        return None

    def full_date(self, raw: RawFile, value: Any, path: str) -> dt.date | None:
        """A day (2026-12-01), as review dates need; a month or a year alone is not enough."""
        text = str(value).strip() if value is not None else ""
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        self.add(raw, path, f"expected a day like 2026-12-01, got {excerpt(text)}")
        return None

    def dated_claim(self, raw: RawFile, entry: dict, path: str, text: str, *,
                    line: int | None = None) -> DatedClaim | None:
        """Record the entry's `review_by:` date (and `reviewed:`, when it was revisited) for `text`,
        the claim to revisit. Any entry with prose that expires can call this (figures, events,
        state entries); returns the claim, or None when the entry has no (valid) review_by."""
        if not isinstance(entry, dict) or entry.get("review_by") in (None, ""):
            if isinstance(entry, dict) and entry.get("reviewed") not in (None, ""):
                self.add(raw, f"{path}.reviewed", "expected a review_by date beside reviewed, got none")
            return None
        review_by = self.full_date(raw, entry.get("review_by"), f"{path}.review_by")
        reviewed = (self.full_date(raw, entry.get("reviewed"), f"{path}.reviewed")
                    if entry.get("reviewed") not in (None, "") else None)
        if review_by is None:
            return None
        claim = DatedClaim(raw.label, line or raw.line_of(f"{path}.review_by"), f"{path}.review_by", review_by,
                           " ".join(str(text).split()), reviewed)
        self.claims.append(claim)
        return claim

    def csl_date(self, raw: RawFile, value: Any, path: str) -> PartialDate | None:
        parts = value.get("date-parts") if isinstance(value, dict) else None
        first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else None
        # CSL JSON allows digit strings too, and Zotero writes the year as one: [["2021", 1, 27]].
        numbers = [int(p) if isinstance(p, str) and re.fullmatch(r"[0-9]{1,4}", p.strip()) else p
                   for p in first] if first is not None else []
        if 1 <= len(numbers) <= 3 and all(isinstance(p, int) and not isinstance(p, bool) for p in numbers):
            return self.date(raw, "-".join(f"{p:02d}" if i else f"{p:04d}"
                                           for i, p in enumerate(numbers)), path)
        literal = value.get("literal") if isinstance(value, dict) and not parts else None
        hint = (" (a date Zotero could not read is exported as text: write it as 2021-01-27 in Zotero)"
                if isinstance(literal, str) else "")
        self.add(raw, path, f"expected a CSL date like {{date-parts: [[2021, 1, 27]]}}, got {excerpt(value)}{hint}")
        return None

    def text(self, raw: RawFile, value: Any, path: str, *, required: bool = True) -> Text | None:
        if value is None or value == "":
            if required:
                self.add(raw, path, "expected a text or a mapping of registers, got nothing")
            return None
        translations: dict[str, dict[str, str]] = {}
        if isinstance(value, str):
            variants = {"standard": value.strip()}
        elif isinstance(value, dict):
            variants = self._registers(raw, [(key, body) for key, body in value.items() if key not in LANGUAGES], path)
            translations = {lang: self._translation(raw, body, f"{path}.{lang}", lang)
                            for lang, body in value.items() if lang in LANGUAGES}
            if not variants:
                return None
        else:
            self.add(raw, path, f"expected a text or a mapping of registers, got {excerpt(value)}")
            return None
        for register, body in variants.items():
            key = path if isinstance(value, str) else f"{path}.{register}"
            self.texts.append((raw, key, body))
        return Text(variants, translations, origin=(raw.label, path, raw.line_of(path)))

    def _registers(self, raw: RawFile, items: list[tuple[Any, Any]], path: str) -> dict[str, str]:
        """The registers of one language's text (`standard: ...`, `plain: ...`), each a non-empty text."""
        versions = {}
        for register, body in items:
            if register not in REGISTERS:
                self.add(raw, f"{path}.{register}",
                         f"expected one of the registers {', '.join(REGISTERS)}, got {excerpt(register)}")
            elif not isinstance(body, str) or not body.strip():
                self.add(raw, f"{path}.{register}", "expected a non-empty text")
            else:
                versions[register] = body.strip()
        return versions

    def _translation(self, raw: RawFile, value: Any, path: str, lang: str) -> dict[str, str]:
        """A text's registers in another language (`es: {plain: ...}`); recorded in translated_texts."""
        if not isinstance(value, dict) or not value:
            self.add(raw, path, f"expected a mapping of registers ({', '.join(REGISTERS)}), got {excerpt(value)}")
            return {}
        versions = self._registers(raw, list(value.items()), path)
        for register, body in versions.items():
            self.translated_texts.append((raw, f"{path}.{register}", body, lang))
        return versions


def _items(collector: Collector, raw: RawFile, key: str, kind: type) -> Any:
    value = raw.data.get(key) if isinstance(raw.data, dict) else None
    if not isinstance(value, kind):
        collector.add(raw, key, f"expected a {'list' if kind is list else 'mapping'} under '{key}', "
                                f"got {type(value).__name__ if value is not None else 'nothing'}")
        collector.unread.add(Path(raw.label).stem)
        return kind()
    return value


# Prose cites an address id (Zotero's item URI, http://zotero.org/users/.../items/ABCD2345) by its last
# path segment: [@ABCD2345]. An address ending in '/' names no item.
URI_ID_RE = re.compile(r"^https?://[^\s/]+/(?:[^\s]*/)?([^/\s]+)$", re.IGNORECASE)
ADDRESS_RE = re.compile(r"^https?://", re.IGNORECASE)
# A line 'keyword: government' in a CSL note: what Zotero exports from a line 'Keyword: government' in
# an item's Extra field (CSL variables travel in the note, as citeproc-js reads them).
NOTE_KEYWORD_RE = re.compile(r"^[ \t]*keyword[ \t]*:[ \t]*(\S.*?)[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A line 'Citation Key: gao2021' in the same place: the key Better BibTeX and Zotero 7 keep in Extra
# (Better BibTeX reads it with /^(?:Citation Key|bibtex)\s*:\s*([^\s]*)\s*$/i).
NOTE_CITATION_KEY_RE = re.compile(r"^[ \t]*(?:citation[ \t]+key|bibtex)[ \t]*:[ \t]*(\S*)[ \t]*$",
                                  re.IGNORECASE | re.MULTILINE)


def _note_values(entry: dict, pattern: re.Pattern) -> list[str]:
    """The distinct values of the note's lines that `pattern` reads, in order (none for no note)."""
    note = entry.get("note")
    values = pattern.findall(note) if isinstance(note, str) else []
    return list(dict.fromkeys(value for value in values if value))


def _given(entry: dict, key: str) -> bool:
    return entry.get(key) not in (None, "")


def citation_key(entry: Any) -> str | None:
    """The key prose cites a source by: its `citation-key` (CSL 1.0.2, as Better BibTeX writes it), else its
    `id`; an id that is an address (Zotero's item URI) by the address's last path segment."""
    if not isinstance(entry, dict):
        return None
    in_note = _note_values(entry, NOTE_CITATION_KEY_RE)
    if _given(entry, "citation-key"):
        value = entry["citation-key"]
    elif in_note:
        return in_note[0]
    else:
        value = entry.get("id")
    if _is_number(value):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = URI_ID_RE.match(value)
    return match[1] if match and not _given(entry, "citation-key") else value


def _zotero_fields(collector: Collector, raw: RawFile, entry: dict, path: str) -> dict:
    """A CSL entry as Zotero exports it, read into this project's fields: the tier from a `Keyword:`
    line of the note and the key from a `Citation Key:` line when the entry has no `keyword` or
    `citation-key` (those lines are then not printed), and `shortTitle` (older Zotero) as `title-short`.
    Two different values for one of them (two lines, or a line and the field) are reported: the tier
    decides which checks a source gets, the key which citations it answers."""
    entry = dict(entry)
    for field, pattern, allowed in (("keyword", NOTE_KEYWORD_RE, f"; keep one of {', '.join(sorted(SOURCE_KEYWORDS))}"),
                                    ("citation-key", NOTE_CITATION_KEY_RE, "; keep one")):
        in_note = _note_values(entry, pattern)
        given = entry.get(field) if isinstance(entry.get(field), str) and entry[field].strip() else None
        values = list(dict.fromkeys([*([str(given).strip()] if given is not None else []), *in_note]))
        label = "Keyword:" if field == "keyword" else "Citation Key:"
        if len(values) > 1:
            where = f"the {field} field and the note's '{label}' line" if given is not None else \
                f"{len(in_note)} '{label}' lines in the note"
            collector.add(raw, f"{path}.{field if given is not None else 'note'}",
                          f"expected one {'source-quality tier' if field == 'keyword' else 'citation key'}, got "
                          f"{' and '.join(excerpt(value) for value in values)} ({where}){allowed}")
            entry[field] = None
            entry[f"_{field}_conflict"] = values
        elif in_note and not _given(entry, field):  # a field of the wrong type is reported as it is
            entry[field] = in_note[0]
            entry[f"_{field}_field"] = "note"  # where a problem with it is reported
        if in_note:
            entry["note"] = re.sub(r"\n{2,}", "\n", pattern.sub("", entry["note"])).strip() or None
    if entry.get("title-short") in (None, "") and isinstance(entry.get("shortTitle"), str):
        entry["title-short"] = entry["shortTitle"]
    return entry


def parse_sources(collector: Collector, raw: RawFile, *, csl_json: bool = False) -> dict[str, Source]:
    """The sources of sources.yaml (`references:`) or, with `csl_json`, of sources.json (a list of CSL
    items, as Zotero's "CSL JSON" export writes them)."""
    sources: dict[str, Source] = {}
    first_path: dict[str, str] = {}  # each id's first entry, valid or not, for a duplicate's message
    if csl_json and not isinstance(raw.data, list):
        collector.add(raw, "", "expected a JSON list of sources (CSL JSON, as Zotero's \"CSL JSON\" export writes "
                               f"it), got {excerpt(raw.data)}")
        collector.unread.add("sources")
    entries = (raw.data if isinstance(raw.data, list) else []) if csl_json else _items(collector, raw, "references", list)
    collector.entries["sources"] += len(entries)
    if not entries and "sources" not in collector.unread:
        collector.empty.setdefault("sources", raw)
    for index, entry in enumerate(entries):
        path = f"[{index}]" if csl_json else f"references[{index}]"
        if not isinstance(entry, dict):
            collector.add(raw, path, "expected a mapping describing one source")
            collector.unread.add("sources")  # its key, and so the citations meaning it, cannot be known
            continue
        entry = _zotero_fields(collector, raw, entry, path)
        if entry.get("_citation-key_conflict"):
            # Reported once; prose citing either key, or the address's, is not reported again.
            collector.declared_sources.update(entry["_citation-key_conflict"])
            collector.declared_sources.add(citation_key({"id": entry.get("id")}))
            continue
        key_field = "citation-key" if _given(entry, "citation-key") else "id"
        source_id = collector.string(raw, entry, key_field, path) and citation_key(entry)
        key_where = f"{path}.{entry.get('_citation-key_field', key_field)}"
        if source_id and ADDRESS_RE.match(source_id):
            collector.add(raw, key_where, "expected an address ending in the item's key (as Zotero writes it: "
                                          "http://zotero.org/users/12345678/items/ABCD2345), or a 'Citation Key:' "
                                          f"line in the note, got {excerpt(source_id)}")
        elif source_id and not ID_RE.match(source_id):
            collector.add(raw, key_where, f"expected letters, digits, '_', '-', ':' or '.' (or an address "
                                          f"ending in them), got {excerpt(source_id)}")
        if not source_id or not ID_RE.match(source_id):
            # Which citations meant this entry cannot be known: they are not reported one by one.
            collector.unread.add("sources")
        if source_id in first_path:
            first = raw.line_of(f"{first_path[source_id]}.{key_field}")
            collector.add(raw, f"{path}.id", f"duplicate source id {source_id!r}: first on line {first}")
        elif source_id:
            first_path[source_id] = path
        source_type = collector.string(raw, entry, "type", path)
        if source_type and source_type not in SOURCE_TYPES:
            collector.add(raw, f"{path}.type", f"expected one of {', '.join(sorted(SOURCE_TYPES))}, got {excerpt(source_type)}")
        title = collector.string(raw, entry, "title", path)
        authors = entry.get("author") or []
        if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
            collector.add(raw, f"{path}.author", "expected a list of {literal: ...} or {family: ..., given: ...}")
            authors = []
        publisher = collector.string(raw, entry, "publisher", path, required=False)
        if not authors and not publisher:
            collector.add(raw, path, "expected an issuer: an 'author' list or a 'publisher', got neither")
        issued = collector.csl_date(raw, entry.get("issued"), f"{path}.issued")
        url = collector.string(raw, entry, "URL", path)
        if url and not url.startswith(("https://", "http://")):
            collector.add(raw, f"{path}.URL", f"expected an http(s) URL, got {excerpt(url)}")
        accessed = (collector.csl_date(raw, entry["accessed"], f"{path}.accessed")
                    if "accessed" in entry else None)
        keyword = collector.string(raw, entry, "keyword", path, required=False)
        if entry.get("_keyword_conflict"):
            pass  # reported by _zotero_fields
        elif not keyword and entry.get("keyword") in (None, ""):  # a list or a mapping was reported above
            hint = ("; Zotero exports none: add the line 'Keyword: government' (say) to the item's Extra field "
                    "and export again, or a \"keyword\" to this entry") if csl_json else ""
            collector.add(raw, f"{path}.keyword", f"expected a source-quality tier, one of "
                                                  f"{', '.join(sorted(SOURCE_KEYWORDS))}, got nothing{hint}")
        elif keyword and keyword not in SOURCE_KEYWORDS:
            collector.add(raw, f"{path}.{entry.get('_keyword_field', 'keyword')}",
                          f"expected one of {', '.join(sorted(SOURCE_KEYWORDS))}, got {excerpt(keyword)}")
        if source_id:
            collector.declared_sources.add(source_id)
        if not (source_id and source_type and title and issued and url and keyword):
            continue
        optional = {name: collector.string(raw, entry, name, path, required=False)
                    for name in ("number", "container-title", "volume", "issue", "page", "genre",
                                 "authority", "note", "title-short")}
        sources[source_id] = Source(
            id=source_id, type=source_type, title=title, title_short=optional["title-short"],
            authors=tuple({k: str(v) for k, v in a.items()} for a in authors), publisher=publisher,
            issued=issued, url=url, accessed=accessed, keyword=keyword, number=optional["number"],
            container=optional["container-title"], volume=optional["volume"], issue=optional["issue"],
            page=optional["page"], genre=optional["genre"], authority=optional["authority"],
            note=optional["note"])
    return sources


def _merged_sources(collector: Collector, data_dir: Path, raws: dict[str, RawFile | None],
                    sources: dict[str, Source]) -> dict[str, Source]:
    """Add data/sources.json (CSL JSON, as Zotero exports it), beside or instead of sources.yaml; a key
    in both files is an error naming both."""
    path = data_dir / "sources.json"
    if not os.path.lexists(path):
        return sources
    raw, problems = read_json(path, data_dir)
    collector.problems.extend(problems)
    raws["sources_json"] = raw
    if raw is None:
        collector.unread.add("sources")
        return sources
    from_json = parse_sources(collector, raw, csl_json=True)
    yaml_raw = raws.get("sources")
    in_yaml = {}
    if yaml_raw is not None and isinstance(yaml_raw.data, dict) and isinstance(yaml_raw.data.get("references"), list):
        for index, entry in enumerate(yaml_raw.data["references"]):
            in_yaml.setdefault(citation_key(entry), yaml_raw.line_of(f"references[{index}]"))
    for index, entry in enumerate(raw.data if isinstance(raw.data, list) else []):
        key = citation_key(entry)
        if key is not None and key in in_yaml:
            collector.add(raw, f"[{index}].id", f"duplicate source id {key!r}: also in {yaml_raw.label}:{in_yaml[key]}; "
                                                "keep it in one of the two files")
    return {**sources, **{key: source for key, source in from_json.items() if key not in sources}}


def parse_figures(collector: Collector, raw: RawFile) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    entries = _items(collector, raw, "figures", dict)
    collector.entries["figures"] += len(entries)
    if not entries and "figures" not in collector.unread:
        collector.empty.setdefault("figures", raw)
    for figure_id, entry in entries.items():
        path = f"figures.{figure_id}"
        if not isinstance(figure_id, str) or not FIGURE_ID_RE.match(figure_id):
            collector.add(raw, path, f"expected a figure id of letters, digits and '_', got {excerpt(figure_id)}")
            continue
        collector.declared_figures.add(figure_id)
        if not isinstance(entry, dict):
            collector.add(raw, path, "expected a mapping with value, unit, as_of, source")
            continue
        value = entry.get("value")
        unit = collector.string(raw, entry, "unit", path)
        if unit and unit not in FIGURE_UNITS:
            collector.add(raw, f"{path}.unit", f"expected one of {', '.join(sorted(FIGURE_UNITS))}, got {excerpt(unit)}")
            unit = None
        if not _is_number(value):
            collector.add(raw, f"{path}.value", f"expected a finite number below {MAX_NUMBER:,}, got {excerpt(value)}")
            value = None
        elif unit in COUNT_UNITS and value < 0:
            collector.add(raw, f"{path}.value", f"expected a count of zero or more {unit}, got {excerpt(value)}")
            value = None
        if entry.get("as_of") in (None, ""):
            collector.add(raw, f"{path}.as_of", "expected a date like 2025-07-18, got nothing (every figure needs an as-of date)")
            as_of = None
        else:
            as_of = collector.date(raw, entry.get("as_of"), f"{path}.as_of")
        source = entry.get("source")
        if not source:
            collector.add(raw, f"{path}.source", "expected a source id from sources.yaml, got nothing (every figure needs a source)")
        if source is not None and (not isinstance(source, str) or not ID_RE.match(source)):
            collector.add(raw, f"{path}.source", f"expected a source id from sources.yaml, got {excerpt(source)}")
            source = None
        label = collector.string(raw, entry, "label", path)
        noun = collector.string(raw, entry, "noun", path, required=False)
        locator = collector.string(raw, entry, "locator", path, required=False)
        for name, text in (("label", label), ("noun", noun), ("locator", locator)):
            # The label and locator are printed inside a generated citation: no brackets of their own.
            if text and re.search(r"[\[\]{}]", text):
                collector.add(raw, f"{path}.{name}", f"expected plain text without citations, brackets or "
                                                     f"braces, got {excerpt(text)}")
                label = None
        confidence = entry.get("confidence", "V")
        if confidence not in ("V", "S"):
            collector.add(raw, f"{path}.confidence", f"expected V or S (never use unverified facts), got {excerpt(confidence)}")
        kind = collector.string(raw, entry, "kind", path, required=False)
        if kind and not FIGURE_ID_RE.match(kind):
            collector.add(raw, f"{path}.kind", f"expected a kind of letters, digits and '_' (like agreements_total), "
                                               f"got {excerpt(kind)}")
            kind = None
        collector.dated_claim(raw, entry, path, f"{figure_id}: {label or ''}")
        places = _places(collector, raw, entry, path)
        if value is None or not unit or not as_of or not source or not label:
            continue
        figures[figure_id] = Figure(
            id=figure_id, value=value, unit=unit, as_of=as_of, source=str(source), label=label,
            noun=noun, locator=locator, confidence=confidence, kind=kind, places=places)
    return figures


def parse_events(collector: Collector, raw: RawFile) -> list[Event]:
    events = []
    for index, entry in enumerate(_items(collector, raw, "events", list)):
        path = f"events[{index}]"
        if not isinstance(entry, dict):
            collector.add(raw, path, "expected a mapping with date and text")
            continue
        date = collector.date(raw, entry.get("date"), f"{path}.date")
        text = collector.text(raw, entry.get("text"), f"{path}.text")
        if text:
            collector.dated_claim(raw, entry, path, text.get("standard"))
        if date and text:
            on_chart = entry.get("chart", False)
            if not isinstance(on_chart, bool):
                collector.add(raw, f"{path}.chart", f"expected true or false, got {excerpt(on_chart)}")
                on_chart = False
            events.append(Event(date, text, collector.string(raw, entry, "label", path, required=False),
                                on_chart=on_chart, places=_places(collector, raw, entry, path)))
    return sorted(events, key=lambda event: event.date)


def _places(collector: Collector, raw: RawFile, entry: dict, path: str) -> tuple[str, ...]:
    """A figure's or event's `places:`: county FIPS codes from the Census list, or state codes."""
    from .ice.places import place_by_fips
    from .ice.rows import STATES

    value = entry.get("places")
    if value is None:
        return ()
    expected = "a five-digit county FIPS code from the Census list (such as '13135') or a state code (such as GA)"
    if not isinstance(value, list):
        collector.add(raw, f"{path}.places", f"expected a list of {expected[2:]}s, got {excerpt(value)}")
        return ()
    kept = []
    for index, item in enumerate(value):
        text = item.strip() if isinstance(item, str) else ""
        if re.fullmatch(r"\d{5}", text) and place_by_fips(text) is not None:
            kept.append(text)
        elif text.upper() in STATES and len(text) == 2:
            kept.append(text.upper())
        else:
            collector.add(raw, f"{path}.places[{index}]", f"expected {expected}, got {excerpt(item)}")
    return tuple(dict.fromkeys(kept))


def _arguments(collector: Collector, raw: RawFile) -> list[Argument]:
    arguments = []
    for side in ("supporting", "opposing"):
        for index, entry in enumerate(_items(collector, raw, side, list)):
            path = f"{side}[{index}]"
            if not isinstance(entry, dict):
                collector.add(raw, path, "expected a mapping with id, attribution, claim, evidence")
                continue
            argument_id = collector.string(raw, entry, "id", path)
            attribution_text = None
            if isinstance(entry.get("attribution"), dict):
                # A mapping carries the attribution's translations ({standard: ..., es: {standard: ...}}).
                attribution_text = collector.text(raw, entry["attribution"], f"{path}.attribution")
                attribution = attribution_text.get("standard") if attribution_text else None
            else:
                attribution = collector.string(raw, entry, "attribution", path)
            claim = collector.text(raw, entry.get("claim"), f"{path}.claim")
            evidence = collector.text(raw, entry.get("evidence"), f"{path}.evidence")
            contested = collector.text(raw, entry.get("contested"), f"{path}.contested", required=False)
            if argument_id and attribution and claim and evidence:
                arguments.append(Argument(argument_id, side, attribution, claim, evidence, contested,
                                          attribution_text))
    return arguments


def _states(collector: Collector, raw: RawFile) -> dict[str, StateEntry]:
    """Every state's entry: its measures, or where its law was searched for and when."""
    entries: dict[str, StateEntry] = {}
    data = raw.data if isinstance(raw.data, dict) else {}
    default_date = (collector.date(raw, data.get("searched"), "searched")
                    if data.get("searched") not in (None, "") else None)
    for index, entry in enumerate(_items(collector, raw, "states", list)):
        path = f"states[{index}]"
        if not isinstance(entry, dict):
            collector.add(raw, path, "expected a mapping with state, code, and measures or searched")
            continue
        state = collector.string(raw, entry, "state", path)
        code = collector.string(raw, entry, "code", path)
        if code is not None and not STATE_CODE_RE.match(code):
            collector.add(raw, f"{path}.code", f"expected a two-letter code like GA, got {excerpt(code)}")
            code = None
        elif code is not None:
            code = code.upper()
            if code in entries:
                collector.add(raw, f"{path}.code", f"expected one entry per state, got a second entry for {code}")
                code = None
        # The first shape of this file put one measure's fields on the entry itself.
        if "measures" in entry:
            raw_measures, measures_path = entry["measures"], f"{path}.measures"
        elif "stance" in entry:
            raw_measures, measures_path = [entry], None
        else:
            raw_measures, measures_path = [], None
        if not isinstance(raw_measures, list):
            collector.add(raw, measures_path, f"expected a list of measures, got {excerpt(raw_measures)}")
            raw_measures = []
        measures = [measure for position, item in enumerate(raw_measures)
                    if (measure := _state_measure(collector, raw, item, state, code,
                                                  f"{measures_path}[{position}]" if measures_path else path))]
        search = None
        if entry.get("searched") not in (None, ""):
            search = _state_search(collector, raw, entry["searched"], f"{path}.searched", default_date)
        elif not raw_measures and "measures" not in entry:
            collector.add(raw, path, "expected measures, or searched: {sources: ...} saying where the "
                                     "law was looked for, got neither")
        elif not raw_measures and isinstance(entry["measures"], list):
            collector.add(raw, measures_path, "expected at least one measure (or searched: {sources: ...} "
                                              "instead), got an empty list")
        _unknown_keys(collector, raw, entry, STATE_KEYS, path)
        decides = collector.text(raw, entry.get("decides"), f"{path}.decides", required=False)
        pending = _state_pending(collector, raw, entry.get("pending"), f"{path}.pending")
        if state and code and (measures or search) and len(measures) == len(raw_measures):
            entries[code] = StateEntry(state, code, tuple(measures), search, decides, pending)
    return entries


MEASURE_KEYS = ("stance", "measure", "date", "effective", "binds", "bars", "review_by", "reviewed", "text")
STATE_KEYS = ("state", "code", "measures", "searched", "decides", "pending") + MEASURE_KEYS  # + the first shape's
PENDING_KEYS = ("text", "review_by", "reviewed")


def _names(collector: Collector, raw: RawFile, entry: dict, key: str, path: str, allowed, *,
           required: bool) -> tuple[str, ...]:
    """A list of names from `allowed` (binds: [jails], bars: [decline])."""
    value = entry.get(key)
    if value in (None, "", []):
        if required:
            collector.add(raw, f"{path}.{key}", f"expected a list of {', '.join(allowed)}, got nothing")
        return ()
    if not isinstance(value, list):
        collector.add(raw, f"{path}.{key}", f"expected a list of {', '.join(allowed)}, got {excerpt(value)}")
        return ()
    wrong = [item for item in value if not (isinstance(item, str) and item in allowed)]
    if wrong:
        collector.add(raw, f"{path}.{key}", f"expected a list of {', '.join(allowed)}, got {excerpt(wrong[0])}")
        return ()
    return tuple(dict.fromkeys(value))


def _state_measure(collector: Collector, raw: RawFile, entry: Any, state: str | None, code: str | None,
                   path: str) -> StatePolicy | None:
    if not isinstance(entry, dict):
        collector.add(raw, path, "expected a mapping with stance, measure, date, binds, text")
        return None
    # The file's first shape put one measure's keys on the entry itself: those are the entry's keys.
    if ".measures[" in path:
        _unknown_keys(collector, raw, entry, MEASURE_KEYS, path)
    stance = collector.string(raw, entry, "stance", path)
    if stance and stance not in STANCES:
        collector.add(raw, f"{path}.stance", f"expected one of {', '.join(STANCES)}, got {excerpt(stance)}")
        stance = None
    measure = collector.string(raw, entry, "measure", path)
    date = collector.date(raw, entry.get("date"), f"{path}.date")
    effective = (collector.date(raw, entry.get("effective"), f"{path}.effective")
                 if entry.get("effective") not in (None, "") else None)
    # Required in the measures list; the file's first shape (one measure on the entry) predates it.
    binds = _names(collector, raw, entry, "binds", path, tuple(BOUND), required=".measures[" in path)
    bars = _names(collector, raw, entry, "bars", path, CHOICES, required=False)
    if stance:  # a category means one thing: what a stance bars (model.STANCE_BARS)
        rule = STANCE_BARS[stance]
        missing, extra = rule["required"] - set(bars), set(bars) - rule["allowed"]
        if missing or extra:
            wanted = (f"bars including {', '.join(sorted(rule['required']))}" if rule["required"] else "bars")
            allowed = ", ".join(sorted(rule["allowed"])) or "nothing"
            collector.add(raw, f"{path}.bars", f"expected {wanted} (a {stance} may bar {allowed}), got "
                                               f"{', '.join(bars) or 'none'}")
    text = collector.text(raw, entry.get("text"), f"{path}.text")
    claim = collector.dated_claim(raw, entry, path, text.get("standard")) if text else None
    if state and code and stance and measure and date and text:
        return StatePolicy(state, code, stance, measure, date, text, claim.review_by if claim else None,
                           binds, bars, effective)
    return None


def _state_pending(collector: Collector, raw: RawFile, value: Any, path: str) -> tuple[StatePending, ...]:
    """A state's pending bills, deadlines and cases, each with the date to re-check it by."""
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        collector.add(raw, path, f"expected a list of {{text, review_by}}, got {excerpt(value)}")
        return ()
    pending = []
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            collector.add(raw, where, f"expected a mapping with text and review_by, got {excerpt(item)}")
            continue
        _unknown_keys(collector, raw, item, PENDING_KEYS, where)
        text = collector.text(raw, item.get("text"), f"{where}.text")
        if item.get("review_by") in (None, ""):
            collector.add(raw, f"{where}.review_by", "expected the date by which to re-check it, got nothing")
            continue
        claim = collector.dated_claim(raw, item, where, text.get("standard") if text else "")
        if text and claim:
            pending.append(StatePending(text, claim.review_by))
    return tuple(pending)


def _state_search(collector: Collector, raw: RawFile, entry: Any, path: str,
                  default_date: PartialDate | None) -> StateSearch | None:
    if not isinstance(entry, dict):
        collector.add(raw, path, f"expected a mapping with sources (and date, note), got {excerpt(entry)}")
        return None
    sources = collector.string(raw, entry, "sources", path)
    if entry.get("date") not in (None, ""):
        date = collector.date(raw, entry.get("date"), f"{path}.date")
    elif default_date is not None:
        date = default_date
    else:
        collector.add(raw, f"{path}.date", "expected the date of the search (here, or as the file's "
                                           "top-level searched:), got nothing")
        date = None
    note = collector.text(raw, entry.get("note"), f"{path}.note", required=False)
    claim = collector.dated_claim(raw, entry, path, (note.get("standard") if note else sources) or "")
    if sources and date:
        return StateSearch(date, sources, note, claim.review_by if claim else None)
    return None


def _models(collector: Collector, raw: RawFile) -> list[EnforcementModel]:
    models = []
    for index, entry in enumerate(_items(collector, raw, "models", list)):
        path = f"models[{index}]"
        if not isinstance(entry, dict):
            collector.add(raw, path, "expected a mapping describing one model")
            continue
        model_id = collector.string(raw, entry, "id", path)
        name = collector.string(raw, entry, "name", path)
        fields = {}
        for field_name in ("authority", "where", "training", "supervision", "reporting"):
            text = collector.text(raw, entry.get(field_name), f"{path}.{field_name}")
            if text:
                fields[field_name] = text
        if model_id and name and len(fields) == 5:
            models.append(EnforcementModel(model_id, name, fields))
    return models


def _block(collector: Collector, raw: RawFile, expected_id: str) -> Block | None:
    data = raw.data if isinstance(raw.data, dict) else {}
    if not isinstance(raw.data, dict):
        collector.add(raw, "", "expected a mapping with id, title, text")
    block_id = collector.string(raw, data, "id", "")
    if block_id and block_id != expected_id:
        collector.add(raw, "id", f"expected {expected_id!r} (the file name), got {excerpt(block_id)}")
    title = collector.text(raw, data.get("title"), "title")
    text = collector.text(raw, data.get("text"), "text")
    choices = _choices(collector, raw, data.get("choices"))
    _block_claims(collector, raw, data.get("review_by"),
                  [("text", text), *((f"choices[{index}].text", choice.text) for index, choice in enumerate(choices))])
    return Block(expected_id, title, text, choices) if title and text else None


CHOICE_TITLE_RE = re.compile(r"^(?:- )?\*\*([^*]+)\*\*")  # a choice opens with its title in bold


def _choices(collector: Collector, raw: RawFile, value: Any) -> tuple[Choice, ...]:
    """A block's `choices:` (the options a council has), each {id, text}; its text, in every register, opens
    with the choice's title in bold, which a local edition keeps when its state bars the choice."""
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        collector.add(raw, "choices", f"expected a list of {{id, text}}, got {excerpt(value)}")
        return ()
    choices, seen = [], set()
    for index, item in enumerate(value):
        path = f"choices[{index}]"
        if not isinstance(item, dict):
            collector.add(raw, path, f"expected a mapping with id and text, got {excerpt(item)}")
            continue
        choice_id = collector.string(raw, item, "id", path)
        if choice_id is not None and (choice_id not in CHOICE_IDS or choice_id in seen):
            collector.add(raw, f"{path}.id", f"expected one of {', '.join(CHOICE_IDS)}, each once, got "
                                             f"{excerpt(choice_id)}")
            choice_id = None
        seen.add(choice_id)
        text = collector.text(raw, item.get("text"), f"{path}.text")
        for register in text.registers() if text else ():
            if not CHOICE_TITLE_RE.match(text.get(register)):
                collector.add(raw, f"{path}.text.{register}", f"expected the choice's title in bold first "
                                                              f"('**Decline.** ...'), got {excerpt(text.get(register))}")
                text = None
                break
        if choice_id and text:
            choices.append(Choice(choice_id, text))
    return tuple(choices)


def _block_claims(collector: Collector, raw: RawFile, entries: Any, texts: list[tuple[str, Text | None]]) -> None:
    """A block's `review_by:` list: each {text: a phrase of the paragraph that expires, date, reviewed};
    the phrase must appear in the block's prose (its text or a choice's, in some register), so a reworded
    claim is noticed. `texts`: (key path, text) of each."""
    if entries is None:
        return
    if not isinstance(entries, list):
        collector.add(raw, "review_by", f"expected a list of {{text, date}}, got {excerpt(entries)}")
        return
    for index, entry in enumerate(entries):
        path = f"review_by[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not entry["text"].strip():
            collector.add(raw, path, f"expected {{text: a phrase of the block, date: 2026-12-01}}, got {excerpt(entry)}")
            continue
        phrase = " ".join(entry["text"].split())
        bodies = [" ".join(text.get(register).split()) for _key, text in texts if text for register in text.registers()]
        if bodies and not any(phrase in body for body in bodies):
            collector.add(raw, f"{path}.text", f"expected a phrase found in the block's text, got {excerpt(phrase)}")
            continue
        line = None
        for prefix, text in texts:
            for register, body in (text.variants.items() if text else ()):
                if phrase in " ".join(body.split()):
                    # The line of the paragraph that holds the phrase (its first word), in the block file.
                    offset = body.find(phrase) if phrase in body else body.find(phrase.split()[0])
                    single = prefix == "text" and len(text.variants) == 1 and isinstance(raw.data.get("text"), str)
                    line = raw.problem(prefix if single else f"{prefix}.{register}", "", text=body,
                                       offset=max(offset, 0)).line
                    break
            if line is not None:
                break
        review_by = collector.full_date(raw, entry.get("date"), f"{path}.date")
        reviewed = (collector.full_date(raw, entry.get("reviewed"), f"{path}.reviewed")
                    if entry.get("reviewed") not in (None, "") else None)
        if review_by is not None:
            collector.claims.append(DatedClaim(raw.label, line or raw.line_of(path), f"{path}.date", review_by,
                                               phrase, reviewed))


MARGIN_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)(in|mm|cm|pt)\s*$")
MARGIN_POINTS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0}
MARGIN_RANGE = (0.25 * 72, 2 * 72)  # a quarter inch to two inches
TYPE_FIELDS = (("base_font_pt", "body_pt", 6, 24), ("note_font_pt", "note_pt", 6, 24),
               ("small_font_pt", "small_pt", 6, 24), ("call_font_pt", "call_pt", 4, 24),
               ("line_height", "line_height", 1, 2))


def margins_problem(text) -> str | None:
    """Why `text` is not a margin setting (one to four lengths in in, mm, cm or pt, each from 0.25in to
    2in, in CSS order: top, right, bottom, left), or None when it is one."""
    parts = text.split() if isinstance(text, str) else []
    if not 1 <= len(parts) <= 4:
        return f"expected one to four lengths like 1in or '0.75in 1in', got {excerpt(text)}"
    for part in parts:
        match = MARGIN_RE.match(part)
        if not match:
            return f"expected a length like 1in, 25mm, 2.5cm or 72pt, got {excerpt(part)}"
        points = float(match[1]) * MARGIN_POINTS[match[2]]
        if not MARGIN_RANGE[0] <= points <= MARGIN_RANGE[1]:
            return f"expected a margin from 0.25in to 2in, got {excerpt(part)}"
    return None


def _budget(collector: Collector, raw: RawFile, node: dict, key: str) -> tuple[int, int] | None:
    pages = node.get(key) if isinstance(node, dict) else None
    page_min, page_max = (pages.get("min"), pages.get("max")) if isinstance(pages, dict) else (None, None)
    if not (isinstance(page_min, int) and isinstance(page_max, int) and not isinstance(page_min, bool)
            and not isinstance(page_max, bool) and 0 < page_min <= page_max <= 1000):
        return None
    return page_min, page_max


def _typography(collector: Collector, raw: RawFile, node: dict, path: str, base: Typography,
                budget: tuple[int, int] | None) -> Typography:
    """An edition's sizes (every one the templates print) and margins, each checked with its line."""
    values = {}
    for name, attribute, low, high in TYPE_FIELDS:
        value = node.get(name, getattr(base, attribute))
        if not _is_number(value) or not low <= value <= high:
            collector.add(raw, f"{path}.{name}" if path else name,
                          f"expected a number from {low:g} to {high:g}, got {excerpt(value)}")
            value = getattr(base, attribute)
        values[attribute] = float(value)
    margins = node.get("margins", base.margins)
    problem = margins_problem(margins)
    if problem:
        collector.add(raw, f"{path}.margins" if path else "margins", problem)
        margins = base.margins
    page_min, page_max = budget or (base.page_min, base.page_max)
    return replace(base, margins=" ".join(margins.split()), page_min=page_min, page_max=page_max, **values)


# Every key an audience file may hold; another is reported with the nearest one ('base_font_ptt').
AUDIENCE_KEYS = ("name", "title", "subtitle", "description", "register", "notes", "arguments_per_side",
                 "show_contested", "template", "pages", "local_pages", "reading_grade_max", "reading_ease_min",
                 "pdf_variant", "numbered_sections", "colour", "base_font_pt", "note_font_pt", "small_font_pt",
                 "call_font_pt", "line_height", "margins", "large_print", "minimum_sizes", "tone",
                 "omit_when_local", "local_insert", "key_figures", "blocks", "lang", "translates")
LARGE_PRINT_KEYS = ("base_font_pt", "note_font_pt", "small_font_pt", "call_font_pt", "line_height", "margins",
                    "pages", "local_pages")
# The least size of each kind of text, by the `minimum_sizes` an audience file names (by default: community
# for the plain register, else brief): council and command-staff briefs 10.5 pt body, residents' guides
# 11 pt, notes, captions and labels 8 pt; a grant attachment 11 pt for every piece of text.
MINIMUM_SIZES = {
    "brief": {"base_font_pt": 10.5, "note_font_pt": 8, "small_font_pt": 8},
    "community": {"base_font_pt": 11, "note_font_pt": 8, "small_font_pt": 8},
    "grant": {"base_font_pt": 11, "note_font_pt": 11, "small_font_pt": 11, "call_font_pt": 11},
}
_TYPE_ATTRIBUTES = {name: attribute for name, attribute, _low, _high in TYPE_FIELDS}


def _unknown_keys(collector: Collector, raw: RawFile, node: dict, known: tuple[str, ...], path: str = "") -> None:
    import difflib

    for name in node:
        if name not in known:
            close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(known)}"
            collector.add(raw, f"{path}.{name}" if path else str(name), f"unknown key {excerpt(name)}{hint}")


def _minimum_sizes(collector: Collector, raw: RawFile, data: dict, register: str | None) -> str:
    kind = data.get("minimum_sizes", "community" if register == "plain" else "brief")
    if kind not in MINIMUM_SIZES:
        collector.add(raw, "minimum_sizes", f"expected one of {', '.join(MINIMUM_SIZES)}, got {excerpt(kind)}")
        return "brief"
    return kind


def _check_minimums(collector: Collector, raw: RawFile, typography: Typography, kind: str, path: str) -> None:
    """Sizes below the edition's minimums are data errors, not only test failures."""
    for name, least in MINIMUM_SIZES[kind].items():
        size = getattr(typography, _TYPE_ATTRIBUTES[name])
        if size < least:
            collector.add(raw, f"{path}.{name}" if path else name,
                          f"expected at least {least:g} pt (minimum_sizes: {kind}), got {size:g}")


def _audience(collector: Collector, raw: RawFile, key: str, blocks: dict[str, Block]) -> Audience | None:
    data = raw.data if isinstance(raw.data, dict) else {}
    _unknown_keys(collector, raw, data, AUDIENCE_KEYS)
    strings = {name: collector.string(raw, data, name, "") for name in ("name", "title", "subtitle")}
    register = collector.string(raw, data, "register", "")
    if register and register not in REGISTERS:
        collector.add(raw, "register", f"expected one of {', '.join(REGISTERS)}, got {excerpt(register)}")
    pages = data.get("pages") if isinstance(data.get("pages"), dict) else {}
    page_min, page_max = pages.get("min"), pages.get("max")
    if not (isinstance(page_min, int) and isinstance(page_max, int) and not isinstance(page_min, bool)
            and not isinstance(page_max, bool) and 0 < page_min <= page_max <= 1000):
        collector.add(raw, "pages", f"expected {{min: N, max: M}} with 0 < N <= M, got {excerpt(data.get('pages'))}")
        page_min = page_max = None
    variant = data.get("pdf_variant", "pdf/ua-1")
    if not isinstance(variant, str) or variant not in PDF_VARIANTS:
        collector.add(raw, "pdf_variant", f"expected one of {', '.join(sorted(PDF_VARIANTS))}, got {excerpt(variant)}")
        variant = "pdf/ua-1"
    grade = collector.number(raw, data, "reading_grade_max", None, low=0, high=30)
    minimums = _minimum_sizes(collector, raw, data, register)
    # A size the file leaves out is the edition's least (11 pt for a community guide), never below it.
    defaults = Typography()
    defaults = replace(defaults, **{_TYPE_ATTRIBUTES[name]: max(least, getattr(defaults, _TYPE_ATTRIBUTES[name]))
                                    for name, least in MINIMUM_SIZES[minimums].items()})
    typography = _typography(collector, raw, data, "", defaults,
                             (page_min, page_max) if page_min is not None else None)
    base_font = typography.body_pt
    _check_minimums(collector, raw, typography, minimums, "")
    large_print = None
    if "large_print" in data:
        large = data["large_print"]
        if not isinstance(large, dict):
            collector.add(raw, "large_print", f"expected a mapping of sizes and pages, got {excerpt(large)}")
        else:
            _unknown_keys(collector, raw, large, LARGE_PRINT_KEYS, "large_print")
            large_budget = _budget(collector, raw, large, "pages")
            if large_budget is None:
                collector.add(raw, "large_print.pages",
                              f"expected {{min: N, max: M}} with 0 < N <= M, got {excerpt(large.get('pages'))}")
            large_print = _typography(collector, raw, large, "large_print", typography, large_budget)
            if "local_pages" in large:  # a local large-print edition (its own section) runs to other lengths
                large_local = _budget(collector, raw, large, "local_pages")
                if large_local is None:
                    collector.add(raw, "large_print.local_pages", f"expected {{min: N, max: M}} with 0 < N <= M, "
                                                                  f"got {excerpt(large.get('local_pages'))}")
                large_print = replace(large_print, local_pages=large_local)
            _check_minimums(collector, raw, large_print, minimums, "large_print")
    local_pages = None
    if "local_pages" in data:
        local_pages = _budget(collector, raw, data, "local_pages")
        if local_pages is None:
            collector.add(raw, "local_pages",
                          f"expected {{min: N, max: M}} with 0 < N <= M, got {excerpt(data.get('local_pages'))}")
    refs = []
    listed = data.get("blocks") or []
    if not isinstance(listed, list):
        collector.add(raw, "blocks", f"expected a list of block ids, got {excerpt(listed)}")
        listed = []
    placed: dict[str, int] = {}  # each block's first place in the list: a section prints once
    for index, entry in enumerate(listed):
        entry = {"id": entry} if isinstance(entry, str) else entry
        name = (f"chart:{entry['chart']}" if "chart" in entry else entry.get("id")) if isinstance(entry, dict) else None
        if isinstance(name, str) and name in placed:
            collector.add(raw, f"blocks[{index}]", f"expected each block once, got {excerpt(name)} again "
                                                   f"(first at blocks[{placed[name]}])")
            continue
        if isinstance(name, str):
            placed[name] = index
        if isinstance(entry, dict) and "chart" in entry:
            if not isinstance(entry["chart"], str) or entry["chart"] not in CHART_NAMES:
                collector.add(raw, f"blocks[{index}].chart",
                              f"expected one of {', '.join(CHART_NAMES)}, got {excerpt(entry['chart'])}")
            else:
                refs.append(BlockRef(f"chart:{entry['chart']}"))
            continue
        block_id = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(block_id, str) and block_id not in blocks and block_id in collector.declared_blocks:
            continue  # its own file's problem is reported
        if not isinstance(block_id, str) or (block_id not in blocks and block_id not in SPECIAL_BLOCKS):
            collector.add(raw, f"blocks[{index}]",
                          f"expected a block in data/blocks/ or one of {', '.join(sorted(SPECIAL_BLOCKS))}, "
                          f"got {excerpt(block_id)}")
            continue
        register_override = entry.get("register")
        if register_override is not None and register_override not in REGISTERS:
            collector.add(raw, f"blocks[{index}].register",
                          f"expected one of {', '.join(REGISTERS)}, got {excerpt(register_override)}")
            register_override = None
        heading = entry.get("heading")
        if heading is not None and not (isinstance(heading, str) and heading.strip()):
            collector.add(raw, f"blocks[{index}].heading", f"expected a heading text, got {excerpt(heading)}")
            heading = None
        refs.append(BlockRef(block_id, heading.strip() if heading else None, register_override))
    if not refs:
        collector.add(raw, "blocks", "expected a non-empty list of blocks")
    notes = data.get("notes", "full")
    if notes not in ("full", "short", "compact"):
        collector.add(raw, "notes", f"expected 'full', 'short' or 'compact', got {excerpt(notes)}")
        notes = "full"
    per_side = data.get("arguments_per_side")
    if per_side is not None and (not isinstance(per_side, int) or isinstance(per_side, bool) or not 1 <= per_side <= 1000):
        collector.add(raw, "arguments_per_side", f"expected a positive whole number, got {excerpt(per_side)}")
        per_side = None
    template = data.get("template", "base")
    if not isinstance(template, str) or not NAME_RE.match(template):
        collector.add(raw, "template", f"expected a template name like 'council', got {excerpt(template)}")
        template = "base"
    elif not (TEMPLATE_DIR / f"{template}.html.j2").is_file():
        available = sorted(path.name[: -len(".html.j2")] for path in TEMPLATE_DIR.glob("*.html.j2"))
        collector.add(raw, "template", f"expected one of the project's templates ({', '.join(available)}), got "
                                       f"{excerpt(template)}: there is no templates/{template}.html.j2")
        template = "base"
    key_figures = data.get("key_figures") or []
    if not isinstance(key_figures, list) or not all(isinstance(k, str) and FIGURE_ID_RE.match(k) for k in key_figures):
        collector.add(raw, "key_figures", f"expected a list of figure ids, got {excerpt(key_figures)}")
        key_figures = []
    omit = data.get("omit_when_local") or []
    if not isinstance(omit, list) or not all(isinstance(block, str) for block in omit):
        collector.add(raw, "omit_when_local", f"expected a list of block ids, got {excerpt(omit)}")
        omit = []
    flags = {name: collector.flag(raw, data, name, default)
             for name, default in (("numbered_sections", False), ("colour", True), ("show_contested", True),
                                      ("local_insert", False))}
    tone, description = (collector.string(raw, data, name, "", required=False, default="")
                         for name in ("tone", "description"))
    lang = data.get("lang", DEFAULT_LANGUAGE)
    if lang not in (DEFAULT_LANGUAGE, *LANGUAGES):
        collector.add(raw, "lang", f"expected one of {', '.join((DEFAULT_LANGUAGE, *LANGUAGES))}, got {excerpt(lang)}")
        lang = DEFAULT_LANGUAGE
    translates = data.get("translates")
    if translates is not None and not (isinstance(translates, str) and NAME_RE.match(translates)):
        collector.add(raw, "translates", f"expected the key of the edition this one translates, got {excerpt(translates)}")
        translates = None
    ease = collector.number(raw, data, "reading_ease_min", None, low=0, high=120)
    for index, figure_id in enumerate(key_figures):
        collector.texts.append((raw, f"key_figures[{index}]", f"{{fig:{figure_id}}}"))
    if not (all(strings.values()) and register in REGISTERS and refs and isinstance(page_min, int)
            and isinstance(page_max, int)):
        return None
    return Audience(
        key=key, name=strings["name"], title=strings["title"], subtitle=strings["subtitle"],
        register=register, blocks=tuple(refs), page_min=page_min, page_max=page_max,
        pdf_variant=variant, template=template, reading_grade_max=grade,
        numbered_sections=flags["numbered_sections"], colour=flags["colour"], base_font_pt=float(base_font),
        tone=tone, description=description, key_figures=tuple(key_figures), notes=notes,
        arguments_per_side=per_side, show_contested=flags["show_contested"], omit_when_local=tuple(omit),
        local_insert=flags["local_insert"], typography=typography, large_print=large_print, local_pages=local_pages,
        lang=lang, translates=translates, reading_ease_min=ease)


def _meta(collector: Collector, raw: RawFile) -> BriefMeta | None:
    data = raw.data if isinstance(raw.data, dict) else {}
    fields = {name: collector.string(raw, data, name, "")
              for name in ("title", "short_title", "issuer", "language", "subject")}
    keywords = data.get("keywords") or []
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        collector.add(raw, "keywords", f"expected a list of keywords, got {excerpt(keywords)}")
        keywords = []
    stale = data.get("stale_after_days", 180)
    if not isinstance(stale, int) or isinstance(stale, bool) or not 0 < stale <= 100_000:
        collector.add(raw, "stale_after_days", f"expected a positive number of days, got {excerpt(stale)}")
        stale = 180
    translations: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        if lang in data:  # es: {title: ..., short_title: ..., issuer: ..., subject: ...}
            node = data[lang] if isinstance(data[lang], dict) else {}
            if not isinstance(data[lang], dict):
                collector.add(raw, lang, f"expected a mapping of {', '.join(TRANSLATED_META)}, got {excerpt(data[lang])}")
            translations[lang] = {name: text for name in TRANSLATED_META if name != "keywords"
                                  if (text := collector.string(raw, node, name, lang, required=False))}
            if "keywords" in node:  # the PDF's /Keywords and the HTML's <meta name="keywords"> in that language
                words = node["keywords"]
                if isinstance(words, list) and words and all(isinstance(k, str) and k.strip() for k in words):
                    translations[lang]["keywords"] = tuple(k.strip() for k in words)
                else:
                    collector.add(raw, f"{lang}.keywords", f"expected a list of keywords, got {excerpt(words)}")
    if not all(fields.values()):
        return None
    return BriefMeta(keywords=tuple(k.strip() for k in keywords), stale_after_days=stale,
                     translations=translations, **fields)


def _terms(collector: Collector, raw: RawFile) -> Terms:
    data = raw.data if isinstance(raw.data, dict) else {}
    loaded = data.get("loaded_terms") or []
    titles = data.get("official_titles") or []
    if not isinstance(loaded, list) or not all(isinstance(t, str) for t in loaded):
        collector.add(raw, "loaded_terms", "expected a list of terms")
        loaded = []
    if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
        collector.add(raw, "official_titles", "expected a list of titles")
        titles = []
    translations = {}
    for lang in LANGUAGES:
        if lang in data:  # es: {loaded_terms: [...], official_titles: [...]}
            node = data[lang]
            if not isinstance(node, dict):
                collector.add(raw, lang, f"expected a mapping with loaded_terms and official_titles, got {excerpt(node)}")
                continue
            other = _terms(collector, _Nested(raw, node, lang))
            translations[lang] = other
    return Terms(tuple(loaded), tuple(titles), translations)


class _Nested:
    """A mapping inside a raw file, read as if it were the file (its problems keep the outer file's lines)."""

    def __init__(self, raw: RawFile, data: dict, prefix: str):
        self.raw, self.data, self.prefix = raw, data, prefix

    def problem(self, key: str, message: str, **kwargs):
        return self.raw.problem(f"{self.prefix}.{key}" if key else self.prefix, message, **kwargs)


def cross_references(collector: Collector, sources: dict[str, Source], figures: dict[str, Figure],
                      figures_raw: RawFile | None) -> None:
    def report(raw: RawFile, path: str, body: str, offset: int, message: str) -> None:
        collector.problems.append(raw.problem(path, message, text=body, offset=offset))

    # A file that could not be read has said so; one that holds nothing says so once, below. Either way
    # the references into it are not reported one by one.
    empty = {name: raw for name, raw in collector.empty.items()
             if collector.silenced(name) and name not in collector.unread and not (name == "figures" and figures)}
    silenced = collector.unread | set(empty)
    unchecked = {"sources": 0, "figures": 0}

    def known(name: str, key: str, found: dict) -> bool:
        declared = collector.declared_sources if name == "sources" else collector.declared_figures
        if key in found or key in declared:
            return True
        unchecked[name] += name in silenced
        return name in silenced

    # Translations are checked like the English: an unknown citation key or figure is an error in any language.
    translated = [(raw, path, body) for raw, path, body, _lang in collector.translated_texts]
    for raw, path, body in collector.texts + translated:
        for match in CITATION_RE.finditer(body):
            items = parse_citation(match[1])
            if items is None:
                report(raw, path, body, match.start(),
                       f"expected a citation like [@source_id] or [@source_id, p. 12], got {excerpt(match[0])}")
                continue
            for item in items:
                if not known("sources", item.key, sources):
                    report(raw, path, body, match.start(),
                           f"unknown citation key '@{item.key}': expected an id from {collector.bibliography}")
        for pattern, kind in ((FIGURE_RE, "fig"), (AS_OF_RE, "asof")):
            for match in pattern.finditer(body):
                if not known("figures", match[1], figures):
                    report(raw, path, body, match.start(),
                           f"unknown figure '{{{kind}:{match[1]}}}': expected an id from figures.yaml")
        for match in RAW_HTML_RE.finditer(body):
            report(raw, path, body, match.start(), f"expected Markdown without raw HTML, got {excerpt(match[0])}")
        for match in IMAGE_RE.finditer(body):
            report(raw, path, body, match.start(), "expected Markdown without images (charts come from charts/), "
                                                   f"got {excerpt(match[0])}")
    if figures_raw is not None:
        for figure in figures.values():
            if not known("sources", figure.source, sources):
                collector.add(figures_raw, f"figures.{figure.id}.source",
                              f"unknown source {figure.source!r}: expected an id from {collector.bibliography}")
    for name, raw in empty.items():
        if unchecked[name]:
            what = {"sources": "source", "figures": "figure"}[name]
            collector.add(raw, "" if isinstance(raw.data, list) else {"sources": "references"}.get(name, name),
                          f"expected at least one {what}, got none ({unchecked[name]:,} references to "
                          f"{name} in the data are not checked until it has some)")


def _named(collector: Collector, paths: list[Path], data_dir: Path, kind: str) -> list[Path]:
    """The files whose names may become HTML ids and CSS classes; the others are reported."""
    kept = []
    for path in paths:
        if NAME_RE.match(path.stem) and len(path.stem) <= 64:
            kept.append(path)
        else:
            collector.problems.append(Problem(label_of(path, data_dir),
                                              f"expected a {kind} file name of lower-case letters and digits, "
                                              f"words joined by '-' or '_' (it becomes an HTML id), "
                                              f"got {excerpt(path.stem)}", line=1))
    return kept


def _unreserved(collector: Collector, paths: list[Path], data_dir: Path) -> list[Path]:
    """The block files whose names are not reserved for the brief's own parts (model.RESERVED_BLOCK_IDS);
    the others are reported, so that a data file names data and never a part of the program."""
    kept = []
    for path in paths:
        if path.stem in RESERVED_BLOCK_IDS:
            collector.problems.append(Problem(label_of(path, data_dir),
                                              f"expected a block name not reserved for the brief's own parts "
                                              f"({', '.join(sorted(SPECIAL_BLOCKS))} and the renderer's names), "
                                              f"got {excerpt(path.stem)}: rename the file and its id", line=1, key="id"))
        else:
            kept.append(path)
    return kept


def _agreements_preflight(data_dir: Path) -> list[Problem]:
    """Check ICE's files before the list is parsed: inside the folder, regular, bounded, UTF-8, no cell
    over the limit, and a provenance.yaml without aliases, duplicate keys or impossible dates."""
    folder = data_dir / "agreements"
    _, problems = data_files(folder, data_dir, "*.csv")
    if problems:
        return problems
    for name in ("participating.csv", "pending.csv"):
        problems += check_csv(folder / name, data_dir)
    if os.path.lexists(folder / "provenance.yaml"):
        raw, found = read_yaml(folder / "provenance.yaml", data_dir, real_dates=True)
        problems += found
        if raw is not None and not isinstance(raw.data, dict):
            problems.append(raw.problem("", "expected a mapping of keys (as_of, source_file, source_url, ...), "
                                            f"got {excerpt(raw.data)}"))
    return problems


class _EveryKey(dict):
    """A bibliography that could not be read, as a lookup: it holds whatever is asked for."""

    def __contains__(self, key: object) -> bool:
        return True


_NAMED_LINE_RE = re.compile(r"^(?P<file>[^:/\\\s]+\.(?:csv|ya?ml|xlsx))(?::(?P<line>\d+))?: (?P<rest>.+)$", re.DOTALL)


def _in_agreements(data_dir: Path, problem) -> Problem:
    """A problem of data/agreements/ as one located line: the readers there name their file by its own
    name ('history.csv:1: header: ...'), which becomes its path in the data folder
    ('data/agreements/history.csv:1: header: ...'); a located Problem keeps its place."""
    if isinstance(problem, Problem):
        return problem
    match = _NAMED_LINE_RE.match(str(problem))
    if match is None:
        return Problem(f"{data_dir.name}/agreements", str(problem))
    line = int(match["line"]) if match["line"] else None
    return Problem(f"{data_dir.name}/agreements/{match['file']}", match["rest"], line=line)


def load_content(data_dir: Path) -> Content:
    """Load and validate a whole data folder; raise DataError listing every problem found."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), "expected a data folder, found none")])
    collector = Collector()
    raws: dict[str, RawFile | None] = {}
    for name in ("brief", "sources", "figures", "timeline", "perspectives", "states", "terms", "models"):
        path = data_dir / f"{name}.yaml"
        optional = name in OPTIONAL_FILES or name == "sources" and os.path.lexists(data_dir / "sources.json")
        if optional and not os.path.lexists(path):
            raws[name] = None
            continue
        raw, problems = read_yaml(path, data_dir)
        collector.problems.extend(problems)
        raws[name] = raw
        if raw is None:
            collector.unread.add(name)

    def parse(name: str, builder, default):
        return builder(collector, raws[name]) if raws[name] is not None else default

    meta = parse("brief", _meta, None)
    sources = _merged_sources(collector, data_dir, raws, parse("sources", parse_sources, {}))
    collector.bibliography = " or ".join(name for name in ("sources.yaml", "sources.json")
                                         if os.path.lexists(data_dir / name)) or "sources.yaml"
    figures = parse("figures", parse_figures, {})
    events = parse("timeline", parse_events, [])
    arguments = parse("perspectives", _arguments, [])
    state_entries = parse("states", _states, {})
    states = [measure for entry in state_entries.values() for measure in entry.measures
              if measure.stance in PARTICIPATION_STANCES]
    terms = parse("terms", _terms, Terms((), ()))
    models = parse("models", _models, [])

    blocks: dict[str, Block] = {}
    block_files, problems = data_files(data_dir / "blocks", data_dir)
    collector.problems.extend(problems)
    named_blocks = _unreserved(collector, _named(collector, block_files, data_dir, "block"), data_dir)
    collector.declared_blocks.update(path.stem for path in named_blocks)
    for path in named_blocks:
        raw, problems = read_yaml(path, data_dir)
        collector.problems.extend(problems)
        if raw is not None and (block := _block(collector, raw, path.stem)):
            blocks[block.id] = block

    audiences: dict[str, Audience] = {}
    audience_files, problems = data_files(data_dir / "audiences", data_dir)
    collector.problems.extend(problems)
    if not audience_files and not problems:
        collector.problems.append(Problem(f"{data_dir.name}/audiences", "expected at least one audience file, found none"))
    named_audiences = _named(collector, audience_files, data_dir, "audience")
    collector.declared_audiences.update(path.stem for path in named_audiences)
    for path in named_audiences:
        raw, problems = read_yaml(path, data_dir)
        collector.problems.extend(problems)
        if raw is not None and (audience := _audience(collector, raw, path.stem, blocks)):
            audiences[audience.key] = audience

    for audience in audiences.values():
        if audience.translates is not None and audience.translates not in collector.declared_audiences:
            collector.problems.append(Problem(f"{data_dir.name}/audiences/{audience.key}.yaml",
                                              f"expected the key of an edition in audiences/, got "
                                              f"{excerpt(audience.translates)}", key="translates"))

    agreements = None
    preflight = _agreements_preflight(data_dir)
    collector.problems.extend(preflight)
    if os.path.lexists(data_dir / "agreements" / "participating.csv") and not preflight:
        from .ice import AgreementsError, load_agreements
        try:
            agreements = load_agreements(data_dir)
        except AgreementsError as error:
            collector.problems.extend(_in_agreements(data_dir, problem) for problem in error.problems)
        else:
            from .figures import add_agreement_figures
            add_agreement_figures(figures, sources, agreements, collector.problems, data_dir)

    history = None
    if agreements is not None and os.path.lexists(data_dir / "agreements" / "history.csv"):
        from .ice import AgreementsError as HistoryError
        from .ice.history import load_history
        try:
            history = load_history(data_dir)
        except HistoryError as error:
            collector.problems.extend(_in_agreements(data_dir, problem) for problem in error.problems)
        else:
            if HISTORY_SOURCE not in sources:
                collector.problems.append(Problem(f"{data_dir.name}/agreements/history.yaml",
                                                  f"expected an entry {HISTORY_SOURCE!r} in {collector.bibliography} "
                                                  "for the lists the history is derived from, found none"))

    moa_links = None
    if os.path.lexists(data_dir / "agreements" / "moa_links.csv"):
        from .ice.moa_links import load_moa_links
        try:
            moa_links = load_moa_links(data_dir)
        except DataError as error:
            collector.problems.extend(error.problems)
        else:
            source = moa_links.provenance.get("source") if moa_links is not None else None
            if moa_links is not None and source not in sources:
                collector.problems.append(Problem(f"{data_dir.name}/agreements/moa_links.yaml",
                                                  f"expected the id of its entry in {collector.bibliography}, got "
                                                  f"{excerpt(source)}", key="source"))

    ice_counts = None
    if (data_dir / "ice_counts").is_dir():
        from .ice.totals import load_counts
        from .figures import add_count_figures
        ice_counts, count_problems = load_counts(data_dir, today=dt.date.today())
        collector.problems.extend(count_problems)
        if ice_counts is not None:
            # With no bibliography to look in, the counts' sources are not checked either (it is reported once).
            known = _EveryKey(sources) if collector.silenced("sources") else sources
            add_count_figures(figures, known, ice_counts, collector.problems, data_dir)

    if agreements is None and ice_counts is None:
        # Charts drawn from ICE's list cannot be drawn without it: say so before rendering starts.
        for audience in audiences.values():
            for ref in audience.blocks:
                if ref.id in ("chart:agreements_by_model", "chart:participation_by_state"):
                    collector.problems.append(Problem(
                        f"{data_dir.name}/audiences/{audience.key}.yaml",
                        f"expected ICE's list in {data_dir.name}/agreements/participating.csv for "
                        f"{ref.id!r}, found none (run generate.py update-agreements, or remove the chart)",
                        key="blocks"))
    cross_references(collector, sources, figures, raws["figures"])
    if collector.problems:
        raise DataError(collector.problems)
    LOG.info("loaded %d sources, %d figures, %d blocks, %d audiences from %s",
             len(sources), len(figures), len(blocks), len(audiences), data_dir)
    return Content(data_dir=data_dir, meta=meta, sources=sources, figures=figures, events=events,
                   arguments=arguments, states=states, state_entries=state_entries, models=models,
                   blocks=blocks,
                   audiences=audiences, terms=terms, agreements=agreements, ice_counts=ice_counts, moa_links=moa_links, history=history,
                   claims=list(collector.claims),
                   texts=tuple((raw.label, path, body) for raw, path, body in collector.texts),
                   translated_texts=tuple((raw.label, path, body, lang)
                                          for raw, path, body, lang in collector.translated_texts),
                   raws=raws)


# Outline entries whose words are not in the message catalogues yet (render.py's tables and charts).
ENGLISH_ONLY_BLOCKS = {"state_table", "models_table", "sources", "suggested_citation", "chart_data", "key_figures"}


def translation_problems(content: Content, audience_key: str, jurisdiction=None) -> list[Problem]:
    """Every text an edition in another language prints that has no version in that language, and every
    key its message catalogue lacks, one problem each ('data/blocks/overview.yaml:3: text.es.plain:
    expected a Spanish text for the community-es edition, found none'). Run when the edition is built or
    checked, not at load, so the English editions build while a translation is under way."""
    from .i18n import LANGUAGE_NAMES, catalogue_problems
    from .model import MissingTranslation

    audience = content.audiences[audience_key]
    lang = audience.lang
    if lang == DEFAULT_LANGUAGE:
        return []
    language = LANGUAGE_NAMES.get(lang, lang)
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    from .i18n import catalogue

    messages = catalogue(lang, content.data_dir)

    def need(text: Text | None, register: str, fallback: str = "") -> None:
        if text is None:
            return
        try:
            body = text.get(register, lang)
        except MissingTranslation:
            file, path, line = text.origin or (f"{content.data_dir.name}/?", fallback, None)
            key = f"{path}.{lang}.{register}"
            if (file, key) not in seen:
                seen.add((file, key))
                problems.append(Problem(file, f"expected a {language} text for the {audience_key} edition, "
                                              "found none", line=line, key=key))
            return
        for figure_id in FIGURE_RE.findall(body):
            # A figure with its own noun ('counties') prints the noun of the edition's catalogue.
            figure = content.figures.get(figure_id)
            if figure is not None and figure.noun and not messages.has(f"figure_nouns.{figure_id}") \
                    and (messages.file, figure_id) not in seen:
                seen.add((messages.file, figure_id))
                problems.append(Problem(messages.file, f"expected a {language} noun for {{fig:{figure_id}}} "
                                                       f"({figure.noun!r}; plural forms one/other), found none",
                                        key=f"figure_nouns.{figure_id}"))

    # What the catalogue does not cover yet prints English words: an edition in another language may not
    # use it (the local section in the plain register only; compact notes; no bibliography or tables).
    audience_file = f"{content.data_dir.name}/audiences/{audience_key}.yaml"
    if audience.notes != "compact":
        problems.append(Problem(audience_file, f"expected notes: compact in a {language} edition (full and short "
                                               f"notes and the Sources list are in English only), got {audience.notes!r}",
                                key="notes"))
    for index, ref in enumerate(audience.blocks):
        register = ref.register or audience.register
        if ref.id in ENGLISH_ONLY_BLOCKS or ref.id.startswith("chart:"):
            problems.append(Problem(audience_file, f"expected blocks a {language} edition can print, got "
                                                   f"{ref.id!r} (its sentences and labels are in English only)",
                                    key=f"blocks[{index}]"))
        elif ref.id == "local" and register != "plain":
            problems.append(Problem(audience_file, f"expected the local section in the plain register in a "
                                                   f"{language} edition (the other registers are in English only), "
                                                   f"got {register!r}", key=f"blocks[{index}]"))
    meta_fields = content.meta.translations.get(lang, {})
    for name in TRANSLATED_META:
        if name not in meta_fields:
            wanted = f"{language} keywords" if name == "keywords" else f"a {language} text"
            problems.append(Problem(f"{content.data_dir.name}/brief.yaml", f"expected {wanted} for the "
                                    f"{audience_key} edition, found none", key=f"{lang}.{name}"))
    local = jurisdiction is not None
    for ref in audience.blocks:
        if local and ref.id in audience.omit_when_local:
            continue
        register = ref.register or audience.register
        if ref.id in content.blocks:
            block = content.blocks[ref.id]
            for text in block.texts:
                need(text, register)
            if not ref.heading:
                need(block.title, register)
        elif ref.id == "perspectives":
            for side in ("supporting", "opposing"):
                for argument in content.side(side, audience.arguments_per_side):
                    if argument.attribution_text is None:
                        file, claim_path, line = argument.claim.origin or (
                            f"{content.data_dir.name}/perspectives.yaml", f"{side}[?].claim", None)
                        problems.append(Problem(file, f"expected a {language} text for the {audience_key} edition "
                                                      f"(attribution: {{standard: ..., {lang}: {{standard: ...}}}}), "
                                                      "found none", line=line,
                                                key=f"{claim_path.rsplit('.', 1)[0]}.attribution.{lang}.standard"))
                    else:
                        need(argument.attribution_text, "standard")
                    for text in (argument.claim, argument.evidence):
                        need(text, register)
                    if audience.show_contested:
                        need(argument.contested, register)
        elif ref.id == "timeline":
            for event in content.events:
                need(event.text, register)
        elif ref.id == "state_table":
            for entry in content.state_entries.values():
                for policy in entry.measures:
                    need(policy.text, register)
        elif ref.id == "models_table":
            for model in content.models:
                for text in model.fields.values():
                    need(text, register)
        elif ref.id == "local" and local:
            entry = content.state_entry(jurisdiction.state_code)
            if entry is not None:
                # As local.state_entry_text prints it: the participation measures, else every measure.
                kept = [policy for policy in entry.measures if policy.stance in PARTICIPATION_STANCES]
                for policy in kept or entry.measures:
                    need(policy.text, register)
                if not entry.measures and entry.search is not None:
                    need(entry.search.note, register)
    return problems + catalogue_problems(lang, content.data_dir, audience_key)
