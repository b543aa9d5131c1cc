"""The typed content model every later stage reads: sources, figures, prose, arguments, audiences."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

REGISTERS = ("standard", "brief", "technical", "plain")
DEFAULT_LANGUAGE = "en"  # the language of a text's top-level registers
LANGUAGES = ("es",)      # other languages a text may carry, each a mapping of registers under its code

# The registry of outline entries the brief draws itself from the content (render.SPECIAL_SECTIONS draws
# each); an audience's `blocks:` names these or a data block.
SPECIAL_BLOCKS = frozenset({"key_figures", "timeline", "perspectives", "state_table", "models_table", "sources",
                            "local", "suggested_citation", "chart_data"})
# Names a data block may not take: the special blocks, and the names of the render stage's own parts
# (render.EditionBuilder's methods, which tests/test_architecture.py keeps listed here), so that no block
# file can stand for, or be mistaken for, a part of the program.
RESERVED_BLOCK_IDS = SPECIAL_BLOCKS | frozenset({
    "section", "heading", "text", "chart_section", "printed_figures", "measure_keys", "primary_keys",
    "key_figures_section", "timeline_section", "perspectives_section", "state_table_section",
    "models_table_section", "local_section", "chart_data_section", "sources_section", "suggested_citation_section",
    "summary_row",
    "chart"})


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, as sources give them."""

    year: int
    month: int | None = None
    day: int | None = None

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        return self._key() < other._key()

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def long(self) -> str:
        """Chicago style: 'January 27, 2021', 'January 2021' or '2021'."""
        if not self.month:
            return str(self.year)
        if not self.day:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{MONTHS[self.month - 1]} {self.day}, {self.year}"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day the date could mean (for freshness checks)."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)


class MissingTranslation(KeyError):
    """A text has no version in the language (and register) an edition asks for."""

    def __init__(self, lang: str, register: str):
        super().__init__(f"{lang}.{register}")
        self.lang = lang
        self.register = register


@dataclass(frozen=True)
class Text:
    """Prose in one or more registers; a missing register falls back to `standard`.

    `translations` holds the same prose in other languages, by language code and then register
    (`{"es": {"plain": "..."}}`). A translation never falls back to English: a missing one raises
    MissingTranslation, so a Spanish edition cannot print an English paragraph."""

    variants: dict[str, str]
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    # (file, key path, line) of the text in its data file, for "no Spanish text" problems.
    origin: tuple[str, str, int | None] | None = field(default=None, compare=False)

    def get(self, register: str, lang: str = DEFAULT_LANGUAGE) -> str:
        """The text in `register`, else in `standard` (every register condenses or adapts standard)."""
        if lang != DEFAULT_LANGUAGE:
            return self.translated(register, lang)
        if register in self.variants:
            return self.variants[register]
        return self.variants.get("standard") or next(iter(self.variants.values()))

    def translated(self, register: str, lang: str) -> str:
        """The text in `lang` and `register`, else in `lang`'s `standard`; MissingTranslation if neither."""
        versions = self.translations.get(lang, {})
        if register in versions:
            return versions[register]
        if "standard" in versions:
            return versions["standard"]
        raise MissingTranslation(lang, register)

    def registers(self) -> list[str]:
        return list(self.variants)


@dataclass(frozen=True)
class Source:
    id: str
    type: str
    title: str
    title_short: str | None
    authors: tuple[dict[str, str], ...]
    publisher: str | None
    issued: PartialDate
    url: str
    accessed: PartialDate | None
    keyword: str
    number: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    genre: str | None = None
    authority: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Figure:
    id: str
    value: float
    unit: str
    as_of: PartialDate
    source: str
    label: str
    noun: str | None = None
    locator: str | None = None
    confidence: str = "V"
    kind: str | None = None  # what it measures (e.g. agreements_total); figures of one kind form a series
    data_set: str | None = None  # the data set a computed figure comes from (see figures.data_sets)
    places: tuple[str, ...] = ()  # county FIPS codes or state codes it concerns (printed in their local sections)


@dataclass(frozen=True)
class DatedClaim:
    """Prose that can expire (a deadline, a pending appeal, a bill, an "upcoming" event): once the
    brief's date reaches `review_by`, --check asks for it to be revisited, unless `reviewed` records
    that it was revisited on or after that date."""

    file: str
    line: int | None
    key: str
    review_by: dt.date
    text: str
    reviewed: dt.date | None = None

    @property
    def settled(self) -> bool:
        return self.reviewed is not None and self.reviewed >= self.review_by


@dataclass(frozen=True)
class Event:
    date: PartialDate
    text: Text
    label: str | None = None
    on_chart: bool = False
    places: tuple[str, ...] = ()  # county FIPS codes or state codes it concerns (printed in their local sections)


@dataclass(frozen=True)
class Argument:
    id: str
    side: str  # "supporting" or "opposing"
    attribution: str
    claim: Text
    evidence: Text
    contested: Text | None = None
    # The attribution with its translations, when perspectives.yaml gives it as a text mapping
    # (`attribution: {standard: ..., es: {standard: ...}}`); `attribution` is its English text.
    attribution_text: Text | None = None

    def attribution_in(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Who makes the argument, in `lang`; MissingTranslation when it has no version there."""
        if lang == DEFAULT_LANGUAGE:
            return self.attribution
        if self.attribution_text is None:
            raise MissingTranslation(lang, "standard")
        return self.attribution_text.get("standard", lang)


@dataclass(frozen=True)
class StatePolicy:
    """One state measure (statute, executive order, directive, ruling) and what it does."""

    state: str
    code: str
    stance: str  # mandate, encourage, preempt, restrict, ban (see STATE_STANCES)
    measure: str
    date: PartialDate
    text: Text
    review_by: dt.date | None = None  # a deadline, appeal or bill that makes the text expire
    binds: tuple[str, ...] = ()  # whom it binds: state, jails, local, governments (see BOUND)
    bars: tuple[str, ...] = ()   # the council options it makes unlawful for those it binds (see CHOICES)
    effective: PartialDate | None = None

    def stance_words(self) -> str:
        """What the measure does, in the words of a sentence: 'requires the sheriffs or officials who run county
        jails to seek or hold agreements' (a mandate names whom it binds), 'bans agreements'."""
        if self.stance == "mandate" and self.binds:
            whom = [BOUND[bound] for bound in self.binds]
            named = whom[0] if len(whom) == 1 else f"{', '.join(whom[:-1])} and {whom[-1]}"
            return f"requires {named} to seek or hold agreements"
        return STATE_STANCES[self.stance]

    @property
    def binds_localities(self) -> bool:
        """Whether it binds a city's or county's own choices (its police, its governing body), not only the
        state's agencies or the officials who run county jails."""
        return bool({"local", "governments"} & set(self.binds))


# Whom a state measure binds (states.yaml `binds:`), in the words of a sentence ("binds the state's agencies").
BOUND = {
    "state": "the state's own agencies",
    "jails": "the sheriffs or officials who run county jails",
    "local": "local police, sheriffs and local governments",
    "governments": "city and county governing bodies",
}
# The choices a council has, as the options block names them (blocks/options.yaml `choices:`), that a state
# measure can bar (`bars:`); limiting participation to the WSO model is a way of joining.
CHOICES = ("join", "decline", "conditions", "leave")
# What each stance may bar, so a category means one thing (validate checks each measure against it):
# a ban bars joining; a mandate, declining or leaving; a bar on local limits, conditions that limit
# cooperation (and so declining, where the law says so); a restriction, joining for some or conditions;
# encouragement bars nothing.
STANCE_BARS = {
    "ban": {"required": {"join"}, "allowed": {"join"}},
    "mandate": {"required": set(), "allowed": {"decline", "leave"}},
    "preempt": {"required": {"conditions"}, "allowed": {"conditions", "decline"}},
    "restrict": {"required": set(), "allowed": {"join", "conditions"}},
    "encourage": {"required": set(), "allowed": set()},
}


@dataclass(frozen=True)
class StatePending:
    """A bill, deadline or case that would change a state's entry, with the date to re-check it by."""

    text: Text
    review_by: dt.date


# What each stance means, in the words a sentence or a table uses ("Florida requires agencies to seek or hold agreements").
STATE_STANCES = {
    "mandate": "requires agencies to seek or hold agreements",
    "encourage": "encourages participation",
    "preempt": "bars local limits on cooperation",
    "restrict": "restricts participation",
    "ban": "bans agreements",
}
# The stances that decide participation itself; `preempt` laws bar local limits on cooperation
# without requiring an agreement (Content.states lists the participation measures only).
PARTICIPATION_STANCES = ("mandate", "encourage", "restrict", "ban")


@dataclass(frozen=True)
class StateSearch:
    """The record behind "searched, none found": what was searched, when, and what came close."""

    date: PartialDate
    sources: str
    note: Text | None = None  # a cited finding short of a measure (a pending bill, a related law)
    review_by: dt.date | None = None


@dataclass(frozen=True)
class StateEntry:
    """Everything data/states.yaml says about one state, D.C. or territory."""

    state: str
    code: str
    measures: tuple[StatePolicy, ...] = ()
    search: StateSearch | None = None
    decides: Text | None = None              # who signs, who must approve, penalties for limiting cooperation
    pending: tuple[StatePending, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.measures)

    def summary(self, register: str = "standard", lang: str = DEFAULT_LANGUAGE):
        """For a reader, with its citations (a composed value, see Message): one paragraph per measure
        ("Florida requires participation: Fla. Stat. § 908.11 ... (2022). ..."; in plain language, and
        in other languages, the measures' own texts run together), or, where none was found, a paragraph
        saying what was searched and when, followed by any cited note."""
        if self.measures and (register == "plain" or lang != DEFAULT_LANGUAGE):
            # Plain language: what the law does, in one short paragraph (the texts name the law).
            return " ".join(policy.text.get(register, lang) for policy in self.measures)
        if self.measures:
            return "\n\n".join(f"{self.state} {policy.stance_words()}: {policy.measure} ({policy.date.long}). "
                                 f"{policy.text.get(register)}" for policy in self.measures)
        search = self.search
        date = search.date if search else None
        if register == "plain" or lang != DEFAULT_LANGUAGE:
            paragraph = Message.of("state.none_found_plain", state=self.state, date=date)
        elif search and search.sources:
            paragraph = Message.of("state.none_found_where", state=self.state, date=date, sources=search.sources)
        else:
            paragraph = Message.of("state.none_found", state=self.state, date=date)
        if search and search.note:
            return Joined((paragraph, search.note.get(register, lang)), "\n\n")
        return paragraph


@dataclass(frozen=True)
class EnforcementModel:
    """One of the three current 287(g) models, described field by field."""

    id: str
    name: str
    fields: dict[str, Text]


@dataclass(frozen=True)
class Choice:
    """One of the options a block lays out (blocks/options.yaml `choices:`): its id, and its paragraph or list
    item, which opens with its title in bold. A local edition marks a choice its state bars."""

    id: str
    text: Text

    @property
    def kind(self) -> str:
        """The choice a state measure bars it with: limiting participation to the WSO model is joining."""
        return CHOICE_KINDS.get(self.id, self.id)


# The ids a block's choices may take: the choices a state can bar (CHOICES), and ways of making one of them.
CHOICE_KINDS = {"wso": "join"}
CHOICE_IDS = ("join", "decline", "wso", "conditions", "leave")


@dataclass(frozen=True)
class Block:
    id: str
    title: Text
    text: Text
    choices: tuple[Choice, ...] = ()

    @property
    def texts(self) -> tuple[Text, ...]:
        """Every prose field the block prints: its text, then its choices'."""
        return (self.text, *(choice.text for choice in self.choices))


@dataclass(frozen=True)
class BlockRef:
    """One entry of an audience's outline: which block, an optional heading and register override."""

    id: str
    heading: str | None = None
    register: str | None = None


@dataclass(frozen=True)
class Typography:
    """Every size an edition prints, from its audience file: the templates derive headings from the body
    size and use these for the rest, and never set a size of their own."""

    body_pt: float = 10.5
    note_pt: float = 8.0  # page-foot notes and the Sources list
    small_pt: float = 8.0  # captions, tables, labels, running heads
    call_pt: float = 6.5  # the raised note numbers in the text
    line_height: float = 1.32
    margins: str = "0.72in 0.8in 0.66in 0.8in"  # CSS order: top, right, bottom, left
    page_min: int = 1
    page_max: int = 1000
    local_pages: tuple[int, int] | None = None  # a local edition's budget at these sizes, when it differs


@dataclass(frozen=True)
class Audience:
    key: str
    name: str
    title: str
    subtitle: str
    register: str
    blocks: tuple[BlockRef, ...]
    page_min: int
    page_max: int
    pdf_variant: str
    template: str = "base"
    reading_grade_max: float | None = None
    numbered_sections: bool = False
    colour: bool = True
    base_font_pt: float = 10.5
    tone: str = ""
    description: str = ""
    key_figures: tuple[str, ...] = ()
    notes: str = "full"  # full (full first, short after), short (with a bibliography), compact (no bibliography)
    arguments_per_side: int | None = None  # None: all; else the first N of each side, in file order
    show_contested: bool = True  # print each argument's "Contested:" note (else the evidence block carries it)
    omit_when_local: tuple[str, ...] = ()  # blocks a local edition leaves out to make room for "Here in ..."
    lang: str = DEFAULT_LANGUAGE  # the edition's language: its texts, catalogue, dates, numbers, checks
    translates: str | None = None  # the English edition this one translates (--check compares the two)
    reading_ease_min: float | None = None  # Spanish: lowest Fernandez Huerta score (higher reads easier)
    typography: Typography = field(default_factory=Typography)
    large_print: Typography | None = None  # the --large-print edition's sizes and page budget
    local_pages: tuple[int, int] | None = None  # a local edition's page budget, when it differs
    # Where a local edition's "Here in ..." section fills its last page, the national part after it starts on
    # a page of its own, so a batch lays that part out once for every county of a state (policybrief.splice).
    local_insert: bool = False

    def type_for(self, *, large_print: bool = False, margins: str | None = None) -> Typography:
        """The sizes one build prints at: the audience's, or its large-print set; `margins` replaces
        the audience's margins (a funder's rule, e.g. 1in)."""
        chosen = self.large_print if large_print and self.large_print else self.typography
        return replace(chosen, margins=margins) if margins else chosen

    def budget(self, *, large_print: bool = False, local: bool = False) -> tuple[int, int]:
        """The page budget of one build (min, max)."""
        if large_print and self.large_print:
            if local and self.large_print.local_pages:
                return self.large_print.local_pages
            return self.large_print.page_min, self.large_print.page_max
        if local and self.local_pages:
            return self.local_pages
        return self.page_min, self.page_max


@dataclass(frozen=True)
class Terms:
    loaded: tuple[str, ...]
    official_titles: tuple[str, ...]
    # Other languages' loaded terms and titles (terms.yaml's `es:`), by language code.
    translations: dict[str, Terms] = field(default_factory=dict)

    def for_language(self, lang: str) -> Terms:
        """The terms a text in `lang` must avoid; titles of sources stay in their own language, so the
        English official titles are exempt in every language."""
        if lang == DEFAULT_LANGUAGE:
            return self
        other = self.translations.get(lang, Terms((), ()))
        return Terms(other.loaded, other.official_titles + self.official_titles)


@dataclass(frozen=True)
class BriefMeta:
    title: str
    short_title: str
    issuer: str
    language: str
    keywords: tuple[str, ...]
    subject: str
    stale_after_days: int = 180
    # The printed fields in other languages: {"es": {"short_title": ..., "subject": ..., "issuer": ...,
    # "keywords": (...)}}.
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def in_language(self, lang: str) -> BriefMeta:
        """The brief's facts as an edition in `lang` prints them (English: as they are)."""
        if lang == DEFAULT_LANGUAGE:
            return self
        fields = self.translations.get(lang, {})
        missing = [name for name in TRANSLATED_META if name not in fields]
        if missing:
            raise MissingTranslation(lang, missing[0])
        return replace(self, language=lang, **fields)


TRANSLATED_META = ("title", "short_title", "issuer", "subject", "keywords")


# ------------------------------------------------------------------ composed text (the local section)
# The local section is data: sentences named by their catalogue key, with values, that the renderer
# composes in the edition's language (markup.compose). Text from outside the data folder (ICE's cells,
# place names, a preparer's labels) travels as Verbatim and is printed escaped, never read as Markdown.


@dataclass(frozen=True)
class Verbatim:
    """Text from outside the data folder, printed exactly as written: never Markdown, a citation or a figure."""

    text: str


@dataclass(frozen=True)
class Message:
    """One sentence (or phrase) from the edition's message catalogue and the values of its {placeholders}.

    A value is Markdown from the data folder or the catalogue (str), a number or a date (written as the
    edition's language writes them), an Ordinal, a Verbatim text, or another composed value. With `count`,
    the catalogue's plural form for that number is used, and {count} is the number."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()
    count: float | None = None

    @classmethod
    def of(cls, message_key: str, /, count: float | None = None, **values) -> Message:
        return cls(message_key, tuple(values.items()), count)


@dataclass(frozen=True)
class Series:
    """Names in a run ('A, B and C'); beyond `cap` of them, the first `shown` (default `cap`) and 'and N more'."""

    items: tuple[Any, ...]
    cap: int | None = None
    shown: int | None = None


@dataclass(frozen=True)
class Joined:
    """Composed values run together with `separator` (sentences of a paragraph, items of a list)."""

    parts: tuple[Any, ...]
    separator: str = " "


@dataclass(frozen=True)
class Ordinal:
    """A rank as a reader says it ('third', '23rd'; '3.º' in Spanish)."""

    number: int


@dataclass(frozen=True)
class ComposedSection:
    """A section built as data: its heading and paragraphs, each a composed value (Message, Joined, ...)."""

    heading: Any
    paragraphs: tuple[Any, ...]


@dataclass(frozen=True)
class Content:
    """Everything in a data folder, validated and cross-referenced. Frozen once loaded: a stage that adds
    to it (the preparer's --local-facts) makes a new one, and caches belong to whoever orchestrates."""

    data_dir: Path
    meta: BriefMeta
    sources: dict[str, Source]
    figures: dict[str, Figure]
    events: list[Event]
    arguments: list[Argument]
    states: list[StatePolicy]
    models: list[EnforcementModel]
    blocks: dict[str, Block]
    audiences: dict[str, Audience]
    terms: Terms
    agreements: Any = None  # policybrief.ice.AgreementList when data/agreements/ exists
    ice_counts: Any = None  # policybrief.ice.totals.IceCounts when data/ice_counts/ exists
    moa_links: Any = None  # policybrief.ice.moa_links.MoaLinks when data/agreements/moa_links.csv exists
    history: Any = None  # policybrief.ice.history.History when data/agreements/history.csv exists
    claims: list[DatedClaim] = field(default_factory=list)  # every review_by in the data
    # Every prose field as written, for the checks: (file label, key path, body) and, in another language,
    # (file label, key path, body, language); the raw files by name, for checks that read them again.
    texts: tuple[tuple[str, str, str], ...] = ()
    translated_texts: tuple[tuple[str, str, str, str], ...] = ()
    raws: dict[str, Any] = field(default_factory=dict)
    local_facts: tuple[Any, ...] = ()  # local.LocalFact: the preparer's own facts (--local-facts)
    # Every state's entry by two-letter code (measures and searches), from data/states.yaml.
    state_entries: dict[str, StateEntry] = field(default_factory=dict)

    def state_entry(self, code: str) -> StateEntry | None:
        """The entry for a state, D.C. or territory by its two-letter code ('ga', 'GA'), or None."""
        return self.state_entries.get(code.strip().upper())

    def side(self, side: str, limit: int | None = None) -> list[Argument]:
        """One side's arguments in file order; `limit` keeps the first N (an edition's selection)."""
        return [argument for argument in self.arguments if argument.side == side][:limit]
