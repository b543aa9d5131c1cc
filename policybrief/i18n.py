"""Message catalogues (data/i18n/<lang>.yaml) -> the words, dates and numbers an edition prints in its language.

Every string the templates and the pipeline print (headings, labels, the page footer, note forms, the
local section's sentences) is a catalogue entry; English and Spanish each have one catalogue with the
same keys. An entry is a text with `{placeholders}`, or, where the sentence depends on a count, a mapping
of CLDR plural categories (`one`, `other`; Babel decides which applies to a number in a language).
A key missing from an edition's catalogue is a validation error naming the file and the key
(``catalogue_problems``), never English text in a Spanish brief.

Dates and numbers come from Babel (CLDR), not from tables written here. English keeps the project's
Chicago forms ('December 1, 2026', '2,654'). Spanish follows the Real Academia Española's
*Ortografía de la lengua española* (2010), as Fundéu summarises it: dates as '1 de diciembre de 2026';
no separator in numbers of four digits ('2654'); groups of three separated by a (narrow, non-breaking)
space from five digits on ('675 000'); and the point as decimal sign ('3.7'), which the Ortografía
recommends and which Babel's es-US locale, the Spanish of this brief's readers, uses.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, excerpt
from .model import DEFAULT_LANGUAGE, PartialDate

from . import resources

CATALOGUE_DIR = resources.DEFAULT_DATA / "i18n"  # the project's catalogues (a checkout or an installation)
LOCALES = {"en": "en_US", "es": "es_US"}  # the Babel locale of each edition language
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
NARROW_NBSP = "\u202f"
RAE_GROUPING_FROM = 10_000  # RAE: four-digit numbers take no separator
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


class MissingMessage(KeyError):
    """A catalogue has no entry for a key a template or the pipeline asked for."""

    def __init__(self, lang: str, key: str, file: str):
        super().__init__(key)
        self.lang, self.key, self.file = lang, key, file

    def __str__(self) -> str:
        return (f"{self.file}: {self.key}: expected a {LANGUAGE_NAMES.get(self.lang, self.lang)} text for this "
                "key, found none")


@dataclass
class Catalogue:
    """One language's messages, flattened to dotted keys ('local.plain.none_here'), with their lines."""

    lang: str
    file: str
    messages: dict[str, str | dict[str, str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def __call__(self, key: str, /, count: float | None = None, **values) -> str:
        """The message `key` with its placeholders filled; with `count`, the plural form for that number
        (and `{count}` is the number as the language writes it)."""
        message = self.template(key, count)
        if count is not None:
            values.setdefault("count", self.number(count))
        return fill(message, values)

    def template(self, key: str, count: float | None = None) -> str:
        """The message `key` as written, its placeholders unfilled (with `count`, that number's plural form)."""
        if key not in self.messages:
            raise MissingMessage(self.lang, key, self.file)
        message = self.messages[key]
        if isinstance(message, dict):
            if count is None:
                raise MissingMessage(self.lang, f"{key} (a count)", self.file)
            message = message.get(plural_category(count, self.lang)) or message["other"]
        return message

    def ordinal(self, number: int) -> str:
        """A rank as a reader says it: English spells out the first ten ('third') and writes '23rd' after
        that; Spanish writes '3.º'. Written here: Babel formats numbers but does not spell ordinals out."""
        if self.lang != DEFAULT_LANGUAGE:
            return f"{self.number(number)}.\u00ba"
        if 1 <= number <= len(_ORDINALS):
            return _ORDINALS[number - 1]
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix}"

    def has(self, key: str) -> bool:
        return key in self.messages

    def number(self, value: float) -> str:
        return format_number(value, self.lang)

    def date(self, value: PartialDate | dt.date) -> str:
        return format_date(value, self.lang)

    def series(self, names: list[str]) -> str:
        """'A', 'A and B', 'A, B and C' (no serial comma in either language)."""
        names = list(names)
        if len(names) < 3:
            return f" {self('words.and')} ".join(names)
        return f"{', '.join(names[:-1])} {self('words.and')} {names[-1]}"


def fill(message: str, values: dict) -> str:
    """Put `values` into a message's `{placeholders}`; other braces (`{nocite}`, `{fig:id}`) stay."""
    return PLACEHOLDER_RE.sub(lambda match: str(values[match[1]]) if match[1] in values else match[0], message)


def plural_category(count: float, lang: str) -> str:
    """CLDR's plural category of `count` in `lang` ('one', 'many', 'other'), by Babel."""
    return _locale(lang).plural_form(abs(count))


@functools.lru_cache(maxsize=8)
def _locale(lang: str):
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, lang))


def format_number(value: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """'2,654' in English; '2654', '12 345' and '3.7' in Spanish (RAE, see the module's docstring)."""
    if lang == DEFAULT_LANGUAGE:
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    from babel.numbers import format_decimal, get_group_symbol

    locale = LOCALES.get(lang, lang)
    number = int(value) if float(value).is_integer() else round(value, 2)
    text = format_decimal(number, locale=locale, group_separator=abs(number) >= RAE_GROUPING_FROM)
    return text.replace(get_group_symbol(locale), NARROW_NBSP)


def format_date(value: PartialDate | dt.date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date known to the day, month or year, as the language writes it ('1 de diciembre de 2026',
    'diciembre de 2026', '2026'; English keeps Chicago's 'December 1, 2026')."""
    if isinstance(value, dt.date):
        value = PartialDate.from_date(value)
    if lang == DEFAULT_LANGUAGE:
        return value.long
    from babel.dates import format_date as babel_date, format_skeleton

    locale = LOCALES.get(lang, lang)
    if value.day:
        return babel_date(dt.date(value.year, value.month, value.day), format="long", locale=locale)
    if value.month:
        return format_skeleton("yMMMM", dt.date(value.year, value.month, 1), locale=locale)
    return str(value.year)


def _flatten(node, prefix: str, raw, catalogue: Catalogue, problems: list[Problem]) -> None:
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value and set(value) <= PLURAL_CATEGORIES:
            if "other" not in value or not all(isinstance(v, str) and v.strip() for v in value.values()):
                problems.append(raw.problem(path, "expected plural forms with an 'other' text, each non-empty, "
                                                  f"got {excerpt(value)}"))
                continue
            catalogue.messages[path] = {category: text.strip() for category, text in value.items()}
        elif isinstance(value, dict):
            _flatten(value, path, raw, catalogue, problems)
            continue
        elif isinstance(value, str) and value.strip():
            catalogue.messages[path] = value.strip()
        else:
            problems.append(raw.problem(path, f"expected a text or plural forms (one, other), got {excerpt(value)}"))
            continue
        catalogue.lines[path] = raw.line_of(path) or 1


def catalogue_dir(data_dir: Path | None) -> Path:
    """A data folder's own i18n/ when it has one, else the project's catalogues."""
    if data_dir is not None and (Path(data_dir) / "i18n").is_dir():
        return Path(data_dir) / "i18n"
    return CATALOGUE_DIR


@functools.lru_cache(maxsize=16)
def _load(folder: str, lang: str, mtime: float) -> tuple[Catalogue, tuple[Problem, ...]]:
    from .load import read_yaml

    path = Path(folder) / f"{lang}.yaml"
    root = Path(folder).parent
    raw, problems = read_yaml(path, root)
    catalogue = Catalogue(lang, raw.label if raw is not None else f"i18n/{lang}.yaml")
    problems = list(problems)
    if raw is not None:
        if not isinstance(raw.data, dict):
            problems.append(raw.problem("", f"expected a mapping of message keys, got {excerpt(raw.data)}"))
        else:
            _flatten(raw.data, "", raw, catalogue, problems)
    return catalogue, tuple(problems)


def load_catalogue(lang: str, data_dir: Path | None = None) -> tuple[Catalogue, list[Problem]]:
    """The catalogue of `lang` and the problems found reading it."""
    folder = catalogue_dir(data_dir)
    path = folder / f"{lang}.yaml"
    if not path.is_file():
        return Catalogue(lang, f"i18n/{lang}.yaml"), [Problem(f"i18n/{lang}.yaml", f"expected the "
                                                            f"{LANGUAGE_NAMES.get(lang, lang)} message catalogue, found none")]
    catalogue, problems = _load(str(folder), lang, path.stat().st_mtime)
    return catalogue, list(problems)


def catalogue(lang: str, data_dir: Path | None = None) -> Catalogue:
    """The catalogue of `lang` (problems are reported by ``catalogue_problems`` at validation)."""
    return load_catalogue(lang, data_dir)[0]


def catalogue_problems(lang: str, data_dir: Path | None = None, edition: str | None = None) -> list[Problem]:
    """Every key of the project's English catalogue (the reference: every key the code asks for) that the
    catalogue `lang` of the data folder lacks, every entry whose placeholders or shape (a text, or plural
    forms) differ from the English one (a translation that drops `{count}` would drop a fact), and
    quotation marks that are not four characters; one problem each."""
    reference, problems = _load(str(CATALOGUE_DIR), DEFAULT_LANGUAGE, _mtime(CATALOGUE_DIR, DEFAULT_LANGUAGE))
    problems = list(problems)
    target, found = load_catalogue(lang, data_dir)
    if target is reference:
        return problems
    problems = found
    quotes = target.messages.get("typography.quotes")
    if isinstance(quotes, str) and len(quotes) != 4:
        problems.append(Problem(target.file, "expected four quotation marks (double open, double close, single "
                                             f"open, single close), got {excerpt(quotes)}",
                                line=target.lines.get("typography.quotes"), key="typography.quotes"))
    name = LANGUAGE_NAMES.get(lang, lang)
    for_edition = f" for the {edition} edition" if edition else ""
    for key, english in reference.messages.items():
        if key not in target.messages:
            problems.append(Problem(target.file, f"expected a {name} text{for_edition}, found none",
                                    line=None, key=key))
            continue
        translated = target.messages[key]
        if isinstance(english, dict) != isinstance(translated, dict):
            shape = "plural forms (one, other)" if isinstance(english, dict) else "a text"
            problems.append(Problem(target.file, f"expected {shape}, as in the English entry, got "
                                                 f"{excerpt(translated)}", line=target.lines.get(key), key=key))
        elif _placeholders(english) != _placeholders(translated):
            problems.append(Problem(target.file, f"expected the placeholders of the English entry "
                                                 f"({', '.join(sorted(_placeholders(english))) or 'none'}), got "
                                                 f"{', '.join(sorted(_placeholders(translated))) or 'none'}",
                                    line=target.lines.get(key), key=key))
    return problems


def _mtime(folder: Path, lang: str) -> float:
    path = Path(folder) / f"{lang}.yaml"
    return path.stat().st_mtime if path.is_file() else 0.0


def _placeholders(message: str | dict[str, str]) -> set[str]:
    texts = message.values() if isinstance(message, dict) else [message]
    found = set()
    for text in texts:
        found |= set(PLACEHOLDER_RE.findall(text))
    if isinstance(message, dict):
        found.add("count")  # a plural entry may leave the number to the words ('un acuerdo')
    return found
