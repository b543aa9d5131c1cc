"""Editorial checks on the content model and on rendered editions: sourcing, balance, voice, freshness."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlsplit

from .cite import CitedItem, citations_in, is_mirror
from .errors import Problem, finding
from .figures import data_sets, newest_by_kind, stale_data_sets
from .i18n import catalogue
from .load import clean_text
from .markup import FIGURE_RE, plain_text
from .model import Content, Source
from .validate import HISTORY_SOURCE, citation_key, translation_problems

BALANCE_TOLERANCE = 0.15
# A hand-typed quantity: money, a percentage, or a number followed by a counted unit.
_DIGIT_QUANTITY = (
    r"\$\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:%|percent\b)|"
    r"\b\d[\d,]*\s+(?:agreements?|agencies|agency|officers?|deputies|hours?|states|counties|"
    r"jurisdictions|recommendations|localities|partners(?:hips)?|people|detainers|arrests|dollars)\b|"
    r"\b\d[\d,.]*\s+(?:thousand|million|billion)\b")
# Numbers written out ("ten thousand officers", "eighty-five hundred", "a million dollars") are typed too.
_SCALE_WORDS = r"(?:hundred|thousand|million|billion)"
_WORDS_QUANTITY = (
    r"\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|a)[\s-]+)+" + _SCALE_WORDS + r"\b(?:\s+dollars\b)?")
QUANTITY_RE = re.compile(_DIGIT_QUANTITY + "|" + _WORDS_QUANTITY, re.IGNORECASE)
_DIGIT_QUANTITY_RE = re.compile(_DIGIT_QUANTITY, re.IGNORECASE)
_SCALE_WORD_RE = re.compile(_SCALE_WORDS, re.IGNORECASE)
QUOTED_RE = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"|\u00ab[^\u00bb]*\u00bb")  # English and Spanish marks


def typed_quantities(prose: str) -> list[str]:
    """QUANTITY_RE.findall(prose). Its written-out branch ends in a scale word, so where no scale word
    occurs it can match nowhere and the digit branches alone find the same (at a third of the cost)."""
    return (QUANTITY_RE if _SCALE_WORD_RE.search(prose) else _DIGIT_QUANTITY_RE).findall(prose)


def _term_pattern(term: str) -> re.Pattern:
    """Match a loaded term with its inflections: plural -s/-es, y -> ies, and -ed/-ing forms."""
    words = term.lower().split()
    last = words[-1]
    if last.endswith("y"):
        tail = re.escape(last[:-1]) + r"(?:y|ies)"
    elif last.endswith("e"):
        tail = re.escape(last[:-1]) + r"(?:e|es|ed|ing)"
    else:
        tail = re.escape(last) + r"(?:s|es|ed|ing)?"
    head = r"[\s-]+".join(re.escape(word) + r"s?" for word in words[:-1])
    body = (head + r"[\s-]+" + tail) if head else tail
    return re.compile(r"\b" + body + r"\b", re.IGNORECASE)


def _fold_accents(text: str) -> str:
    """'invasión' -> 'invasion', one character for one, so positions in the folded text are the original's."""
    if text.isascii():
        return text
    return text.translate({ord(char): unicodedata.normalize("NFD", char)[0] for char in set(text) if not char.isascii()})


def _spanish_term_pattern(term: str) -> re.Pattern:
    """Match a Spanish loaded term in any number ('santuario', 'santuarios'; 'invasión', 'invasiones';
    'inmigrantes ilegales'), compared without accents (a missing accent cannot hide a term)."""
    words = _fold_accents(term.lower()).split()
    body = r"[\s-]+".join(re.escape(word) + r"(?:s|es)?" for word in words)
    return re.compile(r"\b" + body + r"\b", re.IGNORECASE)


def loaded_terms_in(text: str, terms: tuple[str, ...], official_titles: tuple[str, ...],
                    lang: str = "en") -> list[str]:
    """Loaded terms used in the authors' own voice: outside quotation marks and official titles.

    Text, terms and titles are compared NFKC-normalised and without invisible characters, so a
    zero-width space, a soft hyphen or full-width letters cannot hide a term the PDF prints."""
    title_patterns, term_patterns, any_term = _voice_patterns(tuple(terms), tuple(official_titles), lang)
    text = CITATION_MARK_RE.sub("", _normal(text))
    for title in title_patterns:
        text = title.sub(" ", text)
    text = QUOTED_RE.sub(" ", text)
    searched = text if lang == "en" else _fold_accents(text)  # Spanish terms match without accents
    if any_term is None or not any_term.search(searched):
        return []
    found = []
    for pattern in term_patterns:
        found += [text[match.start():match.end()] for match in pattern.finditer(searched)]
    return found


CITATION_MARK_RE = re.compile(r"\[@[^\]]*\]")


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", clean_text(value))


@functools.lru_cache(maxsize=16)
def _voice_patterns(terms: tuple[str, ...], official_titles: tuple[str, ...],
                    lang: str) -> tuple[list[re.Pattern], list[re.Pattern], re.Pattern | None]:
    """The compiled patterns loaded_terms_in applies to every text: each official title (removed in
    order), each loaded term, and all the terms as one alternation (it matches where any of them does,
    so one scan clears a text that has none). Built once per term list, not once per text."""
    titles = [re.compile(re.escape(_normal(title)), re.IGNORECASE) for title in official_titles]
    term_pattern = _term_pattern if lang == "en" else _spanish_term_pattern
    patterns = [term_pattern(_normal(term)) for term in terms]
    any_term = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns), re.IGNORECASE) \
        if patterns else None
    return titles, patterns, any_term


def _paragraphs(text: str) -> list[str]:
    return [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]


def _is_factual(paragraph: str) -> bool:
    if paragraph.startswith("{nocite}"):
        return False
    if paragraph.startswith("#") and "\n" not in paragraph:
        return False  # a heading on its own
    return len(re.findall(r"[A-Za-z]+", paragraph)) >= 6


def _texts(content: Content) -> list[tuple[str, str]]:
    """(where, text) for every prose field in the data."""
    return [(f"{where_file}: {key_path}", body) for where_file, key_path, body in content.texts]


def _source_file(content: Content, source_id: str) -> str:
    """The bibliography a source comes from: sources.json (CSL JSON from Zotero) or sources.yaml."""
    raw = content.raws.get("sources_json")
    if raw is not None and isinstance(raw.data, list) and any(citation_key(entry) == source_id for entry in raw.data):
        return raw.label
    return f"{content.data_dir.name}/sources.yaml"


def check_sourcing(content: Content, audiences: list[str]) -> list[Problem]:
    findings = []
    for where, body in _texts(content):
        # An argument's claim is a view attributed to someone, and its attribution names who holds it;
        # its evidence carries the citations.
        is_claim = ".claim" in where or ".attribution" in where
        for paragraph in _paragraphs(body):
            if not is_claim and _is_factual(paragraph) and not citations_in(paragraph) and not FIGURE_RE.search(paragraph):
                first = " ".join(paragraph.split()[:8])
                findings.append(finding("sourcing", where, f"paragraph without a citation: '{first} ...'"))
            prose = QUOTED_RE.sub(" ", FIGURE_RE.sub(" ", re.sub(r"\[@[^\]]*\]", " ", paragraph)))
            for quantity in typed_quantities(prose):
                findings.append(finding("sourcing", where,
                                        f"number {quantity!r} typed into prose: put it in figures.yaml and use {{fig:ID}}"))
    cited = set()
    for _where, body in _texts(content):
        cited.update(item.key for item in citations_in(body))
        for figure_id in FIGURE_RE.findall(body):
            if figure_id in content.figures:
                cited.add(content.figures[figure_id].source)
    for figure in content.figures.values():
        if figure.id.startswith("series_"):
            cited.add(figure.source)
    if content.ice_counts is not None:  # the over-time chart cites each list's source
        cited.update(row.source for row in content.ice_counts.lists)
        cited.add(content.ice_counts.state_source)
    # A source kept only as the provenance of a figure no edition prints is not an orphan.
    provenance = {figure.source for figure in content.figures.values()}
    if content.moa_links is not None:  # cited by the local sections it adds to
        provenance.add(content.moa_links.provenance.get("source"))
    if content.history is not None:  # cited by the local sections
        provenance.add(HISTORY_SOURCE)
    for source in content.sources.values():
        # ICE list sources are built from data/agreements/ and cited by charts and local editions.
        if source.id not in cited | provenance and not source.id.startswith(("ice_list_", "ice_pending_")):
            findings.append(finding("sourcing", _source_file(content, source.id), f"source {source.id!r} is never cited"))
        missing = [name for name, value in (("title", source.title), ("issuer", source.authors or source.publisher),
                                            ("date", source.issued), ("URL", source.url)) if not value]
        if missing:
            findings.append(finding("sourcing", _source_file(content, source.id), f"source {source.id!r} lacks {', '.join(missing)}"))
    return findings


def side_words(content: Content, register: str, limit: int | None = None, lang: str = "en") -> dict[str, int]:
    """Words (claim + evidence) per side in one register and language, over the first `limit` arguments of each."""
    words = {}
    for side in ("supporting", "opposing"):
        words[side] = sum(len(plain_text(text.get(register, lang), content.figures).split())
                          for argument in content.side(side, limit)
                          for text in (argument.claim, argument.evidence))
    return words


def perspective_selections(content: Content, audiences: list[str],
                           lang: str = "en") -> dict[tuple[str, int | None], list[str]]:
    """Which (register, arguments per side) each edition in `lang` prints, and the editions that print it."""
    selections: dict[tuple[str, int | None], list[str]] = {}
    for key in audiences:
        audience = content.audiences[key]
        if audience.lang != lang:
            continue
        for ref in audience.blocks:
            if ref.id == "perspectives":
                selection = (ref.register or audience.register, audience.arguments_per_side)
                selections.setdefault(selection, []).append(key)
    return selections


def edition_languages(content: Content, audiences: list[str]) -> list[str]:
    """The languages of the editions checked, English first."""
    return sorted({content.audiences[key].lang for key in audiences}, key=lambda lang: (lang != "en", lang))


def check_balance(content: Content, audiences: list[str]) -> list[Problem]:
    findings = []
    where = f"{content.data_dir.name}/perspectives.yaml"
    supporting, opposing = content.side("supporting"), content.side("opposing")
    if len(supporting) != len(opposing):
        findings.append(finding("balance", where,
                                f"unequal numbers of arguments: {len(supporting)} supporting, {len(opposing)} opposing"))
    for argument in content.arguments:
        if not argument.attribution.strip():
            findings.append(finding("balance", where, f"argument {argument.id!r} has no attribution"))
    for lang in edition_languages(content, audiences):
        for (register, limit), editions in sorted(perspective_selections(content, audiences, lang).items(),
                                                  key=lambda item: (item[0][0], item[0][1] or 0)):
            words = side_words(content, register, limit, lang)
            low = min(words.values())
            heavier = max(words, key=words.get)
            if low == 0 or words[heavier] > low * (1 + BALANCE_TOLERANCE):
                scope = f"first {limit} per side, " if limit else ""
                language = "" if lang == "en" else f"{lang}."
                findings.append(finding("balance", where,
                                        f"{language}{register} register ({scope}{', '.join(editions)}): {heavier} side "
                                        f"has {words[heavier]} words against {low} (more than "
                                        f"{BALANCE_TOLERANCE:.0%} apart)"))
    return findings


def check_voice(content: Content, audiences: list[str]) -> list[Problem]:
    findings = []
    for where_file, key_path, body, lang in content.translated_texts:
        terms = content.terms.for_language(lang)
        for term in loaded_terms_in(body, terms.loaded, terms.official_titles, lang):
            findings.append(finding("voice", f"{where_file}: {key_path}",
                                    f"loaded term {term!r} in the authors' voice (quote it and attribute it, or "
                                    "use a neutral term)"))
    for where, body in _texts(content):
        for term in loaded_terms_in(body, content.terms.loaded, content.terms.official_titles):
            findings.append(finding("voice", where, f"loaded term {term!r} in the authors' voice "
                                    "(quote it and attribute it, or use a neutral term)"))
    return findings


@dataclass(frozen=True)
class PrintedEdition:
    """What one rendered edition prints, as the checks read it: its HTML, the figures it prints and the data
    sets those figures come from. The orchestrator renders it (build.Editions); the checks never render."""

    html: str
    printed: frozenset[str]
    used: frozenset[str]


def check_freshness(content: Content, today: dt.date, editions: Mapping[str, PrintedEdition]) -> list[Problem]:
    """Each data set against the brief's date: older than the limit is a finding, or a note when every
    edition that prints from it shows the stale-data notice (figures.stale_notice) in its HTML."""
    findings = []
    limit = content.meta.stale_after_days
    for name, data_set in stale_data_sets(content, today).items():
        users = [key for key, edition in editions.items() if name in edition.used]
        silent = [key for key in users if f'data-stale="{name}"' not in editions[key].html]
        message = (f"{data_set.label} is dated {data_set.as_of.isoformat()}, {data_set.age(today)} days before "
                   f"the brief's date {today.isoformat()} (limit {limit} days)")
        if silent:
            findings.append(finding("freshness", data_set.where,
                                    f"{message}, and {', '.join(silent)} print{'s' if len(silent) == 1 else ''} "
                                    f"from it without a notice: update the data"))
        else:
            shown = f"every edition that prints from it ({', '.join(users)}) says so" if users else \
                "no edition checked prints from it"
            findings.append(finding("freshness", data_set.where, f"{message}; {shown}", note=True))
    return findings


def check_currency(content: Content, editions: Mapping[str, PrintedEdition]) -> list[Problem]:
    """No edition prints a figure as the present state when a newer one of the same kind is in data/:
    an older figure is history only beside the newest of its kind, and key figures (the headline)
    rest on primary sources."""
    newest = newest_by_kind(content.figures)
    findings = []
    for key, edition in editions.items():
        printed = edition.printed
        for figure_id in sorted(printed):
            figure = content.figures.get(figure_id)
            if figure is None or figure.kind is None:
                continue
            top = newest[figure.kind]
            if top.id not in printed and top.as_of.last_day() > figure.as_of.last_day():
                findings.append(finding("currency", key,
                                        f"prints {figure_id} ({figure.kind}, as of {figure.as_of.iso}) but not the "
                                        f"newest figure of that kind, {top.id} (as of {top.as_of.iso}): print the "
                                        f"newest beside it, or leave the older one out"))
        for figure_id in content.audiences[key].key_figures:
            figure = content.figures.get(figure_id)
            if figure is not None and figure.confidence != "V":
                findings.append(finding("currency", key, f"key figure {figure_id} rests on a secondary source "
                                                         f"({figure.source}): the headline uses primary figures"))
    return findings


LIST_DATE_RE = re.compile(r"\blist (?:of|dated) ((?:January|February|March|April|May|June|July|August|September|"
                          r"October|November|December) \d{1,2}, \d{4})")


def check_list_dates(content: Content) -> list[Problem]:
    """Prose that names ICE's list by its date must print that list's figures: a sentence saying "ICE's
    list of October 9, 2026" around a figure computed from another list is out of date."""
    findings = []
    for where, body in _texts(content):
        for sentence in re.split(r"(?<=[.;])\s+", body):
            dates = LIST_DATE_RE.findall(sentence)
            if not dates:
                continue
            stale: dict[str, list[str]] = {}
            for figure_id in dict.fromkeys(FIGURE_RE.findall(sentence)):
                figure = content.figures.get(figure_id)
                if figure is not None and figure.data_set is not None and figure.as_of.long not in dates:
                    stale.setdefault(figure.as_of.long, []).append(f"{{fig:{figure_id}}}")
            for as_of, ids in stale.items():
                verb = "comes" if len(ids) == 1 else "come"
                findings.append(finding("currency", where,
                                        f"names ICE's list of {' and '.join(dates)} but {', '.join(ids)} {verb} "
                                        f"from the list of {as_of}: reword the date or use that list's figures"))
    return findings


def check_claims(content: Content, today: dt.date) -> list[Problem]:
    """Dated claims (review_by:) whose date the brief's date has reached, unless revisited since."""
    findings = []
    for claim in content.claims:
        if claim.review_by <= today and not claim.settled:
            where = f"{claim.file}:{claim.line}" if claim.line else claim.file
            text = claim.text if len(claim.text) <= 120 else claim.text[:119] + "\u2026"
            findings.append(finding("dated-claim", where,
                                    f"{claim.key}: review date {claim.review_by.isoformat()} reached by the brief's "
                                    f"date {today.isoformat()}: revisit '{text}'"))
    return findings


def translation_complete(content: Content, audience_key: str) -> bool:
    """Whether an edition in another language has every text and message it prints."""
    return not translation_problems(content, audience_key)


def check_translations(content: Content, audiences: list[str]) -> list[Problem]:
    """Each text or catalogue entry an edition in another language prints but lacks, one finding each."""
    findings = []
    for key in audiences:
        for problem in translation_problems(content, key):
            where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
            findings.append(finding("translation", where, f"{problem.key}: {problem.message}"))
    return findings


# A quantity typed into Spanish prose (the English QUANTITY_RE's counterpart).
ES_QUANTITY_RE = re.compile(
    r"\$\s?\d[\d,.]*|\b\d+(?:[.,\u202f]\d+)*\s?(?:%|por\s+ciento\b)|"
    r"\b\d+(?:[.,\u202f]\d+)*\s+(?:acuerdos?|agencias?|agentes?|oficiales|ayudantes|horas?|estados|condados|"
    r"jurisdicciones|recomendaciones|personas|órdenes|arrestos|dólares|mil|millones?)\b", re.IGNORECASE)


def check_translated_numbers(content: Content, audiences: list[str]) -> list[Problem]:
    """Numbers typed into translated prose instead of {fig:ID} (the translation must print the figures)."""
    findings = []
    for where_file, key_path, body, _lang in content.translated_texts:
        prose = QUOTED_RE.sub(" ", FIGURE_RE.sub(" ", re.sub(r"\[@[^\]]*\]", " ", body)))
        for quantity in ES_QUANTITY_RE.findall(prose):
            findings.append(finding("sourcing", f"{where_file}: {key_path}",
                                    f"number {quantity!r} typed into prose: use the figure's {{fig:ID}}"))
    return findings


def check_quotation_marks(content: Content, audiences: list[str]) -> list[Problem]:
    """A Spanish edition quotes with « » (its catalogue's typography.quotes: « » first, “ ” inside them, as
    the RAE recommends): typed “ ” outside « » in a text it prints would mix the two conventions. Straight
    quotes ("...") are fine: they print as the edition's marks."""
    findings = []
    for key in audiences:
        audience = content.audiences[key]
        if audience.lang != "es":
            continue
        for text, register in _printed_fields(content, key):
            try:
                body = text.get(register, audience.lang)
            except KeyError:
                continue
            outside = re.sub(r"\u00ab[^\u00bb]*\u00bb", " ", body)
            if "\u201c" in outside:
                file, path, line = text.origin or (content.data_dir.name, "?", None)
                where = f"{file}:{line}" if line else file
                quoted = re.search(r"\u201c[^\u201d]*\u201d?", outside)[0]
                findings.append(finding("typography", where, f"{path}.{audience.lang}.{register}: {quoted!r} is quoted "
                                                             "with “ ”: a Spanish edition quotes with « » (or type "
                                                             "straight quotes, which print as « »)"))
    return findings


PARITY_FIELDS = (("blocks", lambda audience: tuple(ref.id for ref in audience.blocks)),
                 ("arguments_per_side", lambda audience: audience.arguments_per_side),
                 ("show_contested", lambda audience: audience.show_contested),
                 ("notes", lambda audience: audience.notes),
                 ("register", lambda audience: audience.register),
                 ("pages", lambda audience: (audience.page_min, audience.page_max)),
                 ("omit_when_local", lambda audience: audience.omit_when_local))


def check_parity(content: Content, audiences: list[str]) -> list[Problem]:
    """A translated edition says what its English edition says: the same outline, arguments and budget
    (its audience file), and in every text the same citation keys and figures as the English text it
    translates (no fact dropped or added in translation)."""
    findings = []
    for key in audiences:
        audience = content.audiences[key]
        if audience.translates is None or audience.translates not in content.audiences:
            continue
        english = content.audiences[audience.translates]
        for name, value in PARITY_FIELDS:
            if value(audience) != value(english):
                findings.append(finding("parity", f"{content.data_dir.name}/audiences/{key}.yaml",
                                        f"{name}: expected {value(english)!r}, as in {english.key}, got "
                                        f"{value(audience)!r}"))
        for text, register in _printed_fields(content, key):
            try:
                translated = text.get(register, audience.lang)
            except KeyError:
                continue  # a missing translation is check_translations' finding
            original = text.get(register)
            file, path, line = text.origin or (f"{content.data_dir.name}", "?", None)
            where = f"{file}:{line}" if line else file
            field_key = f"{path}.{audience.lang}.{register}"
            for kind, found_in in (("citation", lambda body: {f"@{item.key}" for item in citations_in(body)}),
                                   ("figure", lambda body: {f"{{fig:{fid}}}" for fid in FIGURE_RE.findall(body)})):
                before, after = found_in(original), found_in(translated)
                for missing in sorted(before - after):
                    findings.append(finding("parity", where, f"{field_key}: drops the {kind} {missing} of the "
                                                             f"English text (a fact lost in translation)"))
                for extra in sorted(after - before):
                    findings.append(finding("parity", where, f"{field_key}: adds the {kind} {extra}, which the "
                                                             "English text does not have (a fact added in translation)"))
    return findings


def rendered_audiences(content: Content, audiences: list[str]) -> list[str]:
    """The editions among `audiences` that can be rendered: English ones, and those whose translation is
    complete (an incomplete one is reported by check_translations instead)."""
    return [key for key in audiences if content.audiences[key].lang == "en" or translation_complete(content, key)]


def check_content(content: Content, *, today: dt.date, editions: Mapping[str, PrintedEdition],
                  audiences: list[str] | None = None, notes: bool = False) -> list[Problem]:
    """Every content check of `audiences` (default: all); `editions` holds what each renderable one prints
    (rendered_audiences). With `notes`, also the notes (reported, never failing)."""
    audiences = audiences or sorted(content.audiences)
    rendered = [key for key in audiences if key in editions]
    shown = {key: editions[key] for key in rendered}
    findings = (check_sourcing(content, audiences) + check_balance(content, rendered)
                + check_voice(content, audiences) + check_freshness(content, today, shown)
                + check_currency(content, shown) + check_list_dates(content)
                + check_claims(content, today)
                + check_source_quality(content, audiences)
                + check_translations(content, audiences) + check_translated_numbers(content, audiences)
                + check_parity(content, audiences) + check_quotation_marks(content, rendered))
    return findings if notes else [finding for finding in findings if not finding.note]


def reading_grade(text: str) -> float:
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def check_rendered(content: Content, audience_key: str, pdf: bytes, pages: int, *, large_print: bool = False,
                   local: bool = False, margins: str | None = None, loose=()) -> list[Problem]:
    """Checks that need the finished edition: its page budget (the large-print or local one where the
    audience file sets one), and, for the national edition at its own type and margins, its `loose` pages
    (`pages.loose_pages`: a page left more than a sixth empty although the next one starts with text that
    could have split). The budget is set for the audience file's margins: with --margins, the finding
    names the option, so the user knows what moved the length."""
    audience = content.audiences[audience_key]
    page_min, page_max = audience.budget(large_print=large_print, local=local)
    findings = []
    if not page_min <= pages <= page_max:
        message = f"{pages} pages, outside the budget of {page_min}-{page_max}"
        own = audience.type_for(large_print=large_print).margins
        if margins and " ".join(margins.split()) != own:
            message += f" pages because of --margins {margins} (the budget is for the audience file's margins, {own})"
        findings.append(finding("pages", audience_key, message))
    if not (local or large_print or margins):  # what the data's editor lays out; a local section runs on
        for number, share in loose:
            findings.append(finding("pages", audience_key, f"page {number} is {share:.0%} empty (more than "
                                    f"a sixth) and page {number + 1} does not start with a figure or a "
                                    "block kept whole: move or shorten the text before the break"))
    return findings


def edition_reading_grade(content: Content, audience_key: str) -> float:
    """Flesch-Kincaid grade of the prose an edition prints (body text, not notes, sources or tables of models)."""
    texts = _printed_texts(content, audience_key, body_only=True)
    return reading_grade(" ".join(plain_text(text, content.figures) for text in texts))


def reading_ease_es(text: str) -> float:
    """Fernández Huerta's reading ease of a Spanish text (textstat, syllables from Pyphen's Spanish
    dictionary, offline): 206.84 - 60 x syllables per word - 1.02 x words per sentence. 60-70 is
    'normal' (grades 7-8 in the formula's table), 70-80 'fairly easy', 80 and over 'easy'."""
    import textstat

    textstat.set_lang("es")
    try:
        return float(textstat.fernandez_huerta(text))
    finally:
        textstat.set_lang("en_US")  # textstat's language is global: leave it as the English checks expect


def edition_reading_ease(content: Content, audience_key: str) -> float:
    """Fernández Huerta reading ease of the Spanish prose an edition prints (body text, as for the grade)."""
    audience = content.audiences[audience_key]
    messages = _catalogue(content, audience.lang)
    texts = _printed_texts(content, audience_key, body_only=True)
    return reading_ease_es(" ".join(plain_text(text, content.figures, messages) for text in texts))


def _catalogue(content: Content, lang: str):
    return catalogue(lang, content.data_dir)


def check_reading_level(content: Content, audiences: list[str]) -> list[Problem]:
    findings = []
    for key in audiences:
        audience = content.audiences[key]
        if audience.lang != "en" and not translation_complete(content, key):
            continue  # its missing texts are findings of their own (check_translations)
        if audience.lang == "es" and audience.reading_ease_min is not None:
            ease = edition_reading_ease(content, key)
            if ease < audience.reading_ease_min:
                findings.append(finding("reading-level", key,
                                        f"Fernández Huerta reading ease {ease:.1f}, below the target of "
                                        f"{audience.reading_ease_min:g} (shorter sentences and words raise it)"))
            continue
        target = audience.reading_grade_max
        if target is None or audience.lang != "en":
            continue
        grade = edition_reading_grade(content, key)
        if grade > target:
            findings.append(finding("reading-level", key,
                                    f"Flesch-Kincaid grade {grade:.1f}, above the target of {target:g}"))
    return findings


def source_report(content: Content, audiences: list[str]) -> list[str]:
    """A short editor's report: sources by type, arguments and words per side, data age."""
    lines = []
    by_type = Counter(source.keyword for source in content.sources.values())
    lines.append("Sources by type: " + ", ".join(f"{kind} {count}" for kind, count in sorted(by_type.items())))
    lines.append(f"Arguments: {len(content.side('supporting'))} supporting, {len(content.side('opposing'))} opposing")
    complete = rendered_audiences(content, audiences)
    for lang in edition_languages(content, complete):
        for (register, limit), editions in perspective_selections(content, complete, lang).items():
            words = side_words(content, register, limit, lang)
            scope = f", first {limit} per side" if limit else ""
            language = "" if lang == "en" else f"{lang}."
            lines.append(f"Words per side ({language}{register}{scope}: {', '.join(editions)}): "
                         f"supporting {words['supporting']}, opposing {words['opposing']}")
    shares = []
    for key in audiences:
        if key not in complete:
            shares.append(f"{key} translation incomplete")
            continue
        primary, total = primary_note_share(content, key)
        shares.append(f"{key} {primary / total:.0%} ({primary} of {total})" if total else f"{key} no notes")
    lines.append("Notes citing a primary source: " + ", ".join(shares))
    eases = [f"{key} {edition_reading_ease(content, key):.1f} (target {content.audiences[key].reading_ease_min:g} or more)"
             for key in complete if content.audiences[key].lang == "es" and content.audiences[key].reading_ease_min]
    if eases:
        lines.append("Reading ease (Fernández Huerta, Spanish): " + ", ".join(eases))
    dates = sorted(figure.as_of for figure in content.figures.values())
    lines.append(f"Data: oldest figure {dates[0].iso}, newest {dates[-1].iso}")
    for data_set in data_sets(content):
        lines.append(f"Data set {data_set.name}: {data_set.label}, dated {data_set.as_of.isoformat()}")
    if content.claims:
        settled = sum(claim.settled for claim in content.claims)
        lines.append(f"Dated claims: {len(content.claims)} (review_by), {settled} revisited")
    return lines


# ---------------------------------------------------------------- source quality
# A source's `keyword` sets its tier: government, court, legislature and ICE's data are primary sources;
# news, think tanks, academic work, law-enforcement associations and advocacy groups are secondary.
PRIMARY_KEYWORDS = frozenset({"government", "court", "legislature", "data"})
PLACEHOLDER_ISSUER_RE = re.compile(r"\b(?:unidentified|unknown|anonymous|not identified|n/a)\b", re.IGNORECASE)
# Words that make a passage a legal claim: a statute, a court or a directive.
LEGAL_CLAIM_RE = re.compile(
    r"U\.S\.C\.|\bStat\.|\u00a7|\bstatutes?\b|\bGov't Code\b|\b[SH]\.?B\.? \d+|\bP\.A\. \d|\bexecutive order\b|"
    r"\bdirective\b|\bcourts?\b|\bjudges?\b|\bruled\b|\benjoin(?:ed|s)?\b|\binjunction\b|\bv\. [A-Z]|"
    r"\blaws? (?:requires?|required|bars?|barred|bans?|banned|forbids?)\b", re.IGNORECASE)
_CITATION_SPLIT_RE = re.compile(r"\[@[^\[\]]+\]")
# A claim told as someone's account ("..., WMAR reported"; "according to the Idaho Capital Sun"): where the
# primary text cannot be read, a secondary source may carry a legal claim if the sentence names it as the teller.
ATTRIBUTION_RE = re.compile(r"\b(?:reported|reports|according to|described|describes|said|say|says|wrote|announced|"
                            r"summari[sz]ed|summari[sz]es)\b", re.IGNORECASE)
# Words that do not name an outlet on their own ("The Parkersburg News and Sentinel" is named by "Parkersburg").
_GENERIC_NAME_WORDS = {"the", "of", "and", "news", "daily", "times", "post", "press", "public", "radio", "online",
                       "local", "from", "state", "office", "for"}


def _attributed(text: str, sources) -> bool:
    """Whether `text` tells its claim as the account of one of `sources`, naming it (by a distinctive word
    of its outlet, publisher or author: "Parkersburg", "ACLU", "Searchlight") beside an attribution verb."""
    if not ATTRIBUTION_RE.search(text):
        return False
    flat = " ".join(text.split()).lower()
    for source in sources:
        if source is None:
            continue
        for name in (source.container, source.publisher, *(author.get("literal") for author in source.authors or ())):
            words = [word for word in re.findall(r"[A-Za-z0-9]+", name or "")
                     if len(word) >= 3 and word.lower() not in _GENERIC_NAME_WORDS]
            if words and re.search(rf"\b{re.escape(words[0].lower())}\b", flat):
                return True
    return False


def is_primary(source: Source | None) -> bool:
    return source is not None and source.keyword in PRIMARY_KEYWORDS


def cited_segments(body: str) -> list[tuple[str, list[CitedItem]]]:
    """The prose each citation supports: the text since the previous citation (or paragraph start), with
    the items of the citation that closes it. Text after a paragraph's last citation has none, and a
    paragraph marked {nocite} (questions, placeholders) supports no claim."""
    segments = []
    for paragraph in _paragraphs(body):
        if paragraph.startswith("{nocite}"):
            continue
        start = 0
        for match in _CITATION_SPLIT_RE.finditer(paragraph):
            segments.append((paragraph[start:match.start()], citations_in(match[0])))
            start = match.end()
        if paragraph[start:].strip():
            segments.append((paragraph[start:], []))
    return segments


def sources_in_print(content: Content) -> set[str]:
    """Sources an edition can print: cited in prose, behind a figure the prose prints, or behind a chart."""
    printed = set()
    for _where, body in _texts(content):
        printed.update(item.key for item in citations_in(body))
        printed.update(content.figures[figure_id].source for figure_id in FIGURE_RE.findall(body)
                       if figure_id in content.figures)
    # The over-time chart plots the verified series figures (charts/agreements_over_time.py).
    printed.update(figure.source for figure in content.figures.values()
                   if figure.id.startswith("series_") and figure.confidence == "V")
    if content.ice_counts is not None:
        printed.update(row.source for row in content.ice_counts.lists)
        printed.add(content.ice_counts.state_source)
    return printed


def _issuer(source: Source) -> str:
    names = [author.get("literal") or " ".join(filter(None, (author.get("given"), author.get("family"))))
             for author in source.authors]
    return "; ".join(filter(None, names + [source.publisher or "", source.container or ""]))


def _excerpt(text: str, words: int = 8) -> str:
    return " ".join(FIGURE_RE.sub("N", text).split()[:words])


def check_source_quality(content: Content, audiences: list[str]) -> list[Problem]:
    """Who published each printed source, its real title, mirrors named as such; and every key figure,
    legal claim and summary number resting on at least one primary source (see PRIMARY_KEYWORDS)."""
    findings = []
    where_sources = f"{content.data_dir.name}/sources.yaml"
    printed = sources_in_print(content)
    for source in content.sources.values():
        if source.id not in printed:
            continue
        issuer = _issuer(source)
        if not issuer or PLACEHOLDER_ISSUER_RE.search(issuer):
            findings.append(finding("source-quality", where_sources,
                                    f"source {source.id!r}: expected an identified author or publisher, got "
                                    f"{issuer!r}: name who published it, or cut the source"))
        for field, title in (("title", source.title), ("title-short", source.title_short)):
            if title and title.startswith("[") and title.endswith("]"):
                findings.append(finding("source-quality", where_sources,
                                        f"source {source.id!r}: {field} is a bracketed description {title!r}: "
                                        "give the real headline, or cut the source"))
        host = (urlsplit(source.url).hostname or "").lower()
        if is_mirror(host) \
                and "read via" not in (source.note or "").lower():
            findings.append(finding("source-quality", where_sources,
                                    f"source {source.id!r}: URL is a mirror ({host}) but the note does not say "
                                    "'read via ...': cite the official host, or say where it was read"))
    for where, body in _texts(content):
        where_file, _, key_path = where.partition(": ")
        key_figure = key_path.startswith("key_figures[")  # an audience's headline figures
        summary = where_file.endswith("blocks/summary.yaml")
        for text, items in cited_segments(body):
            figure_ids = [figure_id for figure_id in FIGURE_RE.findall(text) if figure_id in content.figures]
            backing = [content.sources.get(item.key) for item in items]
            backing += [content.sources.get(content.figures[figure_id].source) for figure_id in figure_ids]
            if any(is_primary(source) for source in backing) or not (items or key_figure):
                continue  # uncited trailing text is the authors' own (the paragraph rule covers sourcing)
            prose = QUOTED_RE.sub(" ", FIGURE_RE.sub(" ", text))
            legal = LEGAL_CLAIM_RE.search(prose)
            if key_figure:
                for figure_id in figure_ids:
                    source = content.sources.get(content.figures[figure_id].source)
                    kind = source.keyword if source else "unknown"
                    findings.append(finding("source-quality", where,
                                            f"key figure {figure_id!r} rests on {content.figures[figure_id].source!r} "
                                            f"({kind}): expected a primary source ({', '.join(sorted(PRIMARY_KEYWORDS))})"))
            elif legal and not _attributed(text, backing):
                findings.append(finding("source-quality", where,
                                        f"legal claim ({legal[0]!r}) cites no primary source: "
                                        f"'{_excerpt(text)} ...': cite the statute, court record or directive, or "
                                        "tell it as the source's account ('..., WMAR reported')"))
            elif summary and (figure_ids or QUANTITY_RE.search(prose)):
                findings.append(finding("source-quality", where,
                                        f"number in a summary cites no primary source: '{_excerpt(text)} ...'"))
    return findings


def _printed_fields(content: Content, audience_key: str, *, body_only: bool = False) -> list[tuple[object, str]]:
    """(text, register) of every prose field an edition prints (blocks, arguments, timeline, state and model
    tables); `body_only` leaves out what is not running text (arguments' "Contested" lines, the models table)."""
    audience = content.audiences[audience_key]
    fields = []
    for ref in audience.blocks:
        register = ref.register or audience.register
        if ref.id in content.blocks:
            fields += [(text, register) for text in content.blocks[ref.id].texts]
        elif ref.id == "perspectives":
            for side in ("supporting", "opposing"):
                for argument in content.side(side, audience.arguments_per_side):
                    contested = audience.show_contested and not body_only
                    texts = [argument.claim, argument.evidence] + ([argument.contested] if contested else [])
                    fields += [(text, register) for text in texts if text is not None]
        elif ref.id == "timeline":
            fields += [(event.text, register) for event in content.events]
        elif ref.id == "state_table":
            fields += [(policy.text, register) for policy in content.states]
        elif ref.id == "models_table" and not body_only:
            fields += [(value, register) for model in content.models for value in model.fields.values()]
    return fields


def _printed_texts(content: Content, audience_key: str, *, body_only: bool = False) -> list[str]:
    """The prose an edition prints, in its language (see _printed_fields)."""
    lang = content.audiences[audience_key].lang
    texts = [text.get(register, lang) for text, register in _printed_fields(content, audience_key, body_only=body_only)]
    return [text for text in texts if text]


def primary_note_share(content: Content, audience_key: str) -> tuple[int, int]:
    """(notes citing at least one primary source, all notes) in an edition's prose: one note per citation,
    and one per printed figure whose source the citation that follows it does not name."""
    primary = total = 0
    for body in _printed_texts(content, audience_key):
        for text, items in cited_segments(body):
            keys = {item.key for item in items}
            if items:
                total += 1
                primary += any(is_primary(content.sources.get(key)) for key in keys)
            for figure_id in FIGURE_RE.findall(text):
                figure = content.figures.get(figure_id)
                if figure is not None and figure.source not in keys:
                    keys.add(figure.source)
                    total += 1
                    primary += is_primary(content.sources.get(figure.source))
    return primary, total
