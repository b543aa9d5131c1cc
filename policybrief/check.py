"""Editorial checks on the content model and on rendered editions: sourcing, balance, voice, freshness."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from .cite import citations_in
from .markup import plain_text
from .model import Content

BALANCE_TOLERANCE = 0.15
# A hand-typed quantity: money, a percentage, or a number followed by a counted unit.
QUANTITY_RE = re.compile(
    r"\$\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:%|percent\b)|"
    r"\b\d[\d,]*\s+(?:agreements?|agencies|agency|officers?|deputies|hours?|states|counties|"
    r"jurisdictions|recommendations|localities|partners(?:hips)?|people|detainers|arrests)\b",
    re.IGNORECASE)
QUOTED_RE = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
FIGURE_RE = re.compile(r"\{fig:([A-Za-z0-9_]+)\}")


@dataclass(frozen=True)
class Finding:
    """One editorial problem; `where` names the file and key path (or the edition)."""

    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.check}]"


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


def loaded_terms_in(text: str, terms: tuple[str, ...], official_titles: tuple[str, ...]) -> list[str]:
    """Loaded terms used in the authors' own voice: outside quotation marks and official titles."""
    text = re.sub(r"\[@[^\]]*\]", "", text)
    for title in official_titles:
        text = re.sub(re.escape(title), " ", text, flags=re.IGNORECASE)
    text = QUOTED_RE.sub(" ", text)
    found = []
    for term in terms:
        for match in _term_pattern(term).finditer(text):
            found.append(match[0])
    return found


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
    return [(f"{where_file}: {key_path}", body) for where_file, key_path, body in content.extra.get("texts", [])]


def check_sourcing(content: Content, audiences: list[str]) -> list[Finding]:
    findings = []
    for where, body in _texts(content):
        # An argument's claim is a view attributed to someone; its evidence carries the citations.
        is_claim = ".claim" in where
        for paragraph in _paragraphs(body):
            if not is_claim and _is_factual(paragraph) and not citations_in(paragraph) and not FIGURE_RE.search(paragraph):
                first = " ".join(paragraph.split()[:8])
                findings.append(Finding("sourcing", where, f"paragraph without a citation: '{first} ...'"))
            prose = QUOTED_RE.sub(" ", FIGURE_RE.sub(" ", re.sub(r"\[@[^\]]*\]", " ", paragraph)))
            for quantity in QUANTITY_RE.findall(prose):
                findings.append(Finding("sourcing", where,
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
    for source in content.sources.values():
        # ICE list sources are built from data/agreements/ and cited by charts and local editions.
        if source.id not in cited and not source.id.startswith(("ice_list_", "ice_pending_")):
            findings.append(Finding("sourcing", f"{content.data_dir.name}/sources.yaml", f"source {source.id!r} is never cited"))
        missing = [name for name, value in (("title", source.title), ("issuer", source.authors or source.publisher),
                                            ("date", source.issued), ("URL", source.url)) if not value]
        if missing:
            findings.append(Finding("sourcing", f"{content.data_dir.name}/sources.yaml", f"source {source.id!r} lacks {', '.join(missing)}"))
    return findings


def side_words(content: Content, register: str, limit: int | None = None) -> dict[str, int]:
    """Words (claim + evidence) per side in one register, over the first `limit` arguments of each."""
    words = {}
    for side in ("supporting", "opposing"):
        words[side] = sum(len(plain_text(text.get(register), content.figures).split())
                          for argument in content.side(side, limit)
                          for text in (argument.claim, argument.evidence))
    return words


def perspective_selections(content: Content, audiences: list[str]) -> dict[tuple[str, int | None], list[str]]:
    """Which (register, arguments per side) each edition prints, and the editions that print it."""
    selections: dict[tuple[str, int | None], list[str]] = {}
    for key in audiences:
        audience = content.audiences[key]
        for ref in audience.blocks:
            if ref.id == "perspectives":
                selection = (ref.register or audience.register, audience.arguments_per_side)
                selections.setdefault(selection, []).append(key)
    return selections


def check_balance(content: Content, audiences: list[str]) -> list[Finding]:
    findings = []
    where = f"{content.data_dir.name}/perspectives.yaml"
    supporting, opposing = content.side("supporting"), content.side("opposing")
    if len(supporting) != len(opposing):
        findings.append(Finding("balance", where,
                                f"unequal numbers of arguments: {len(supporting)} supporting, {len(opposing)} opposing"))
    for argument in content.arguments:
        if not argument.attribution.strip():
            findings.append(Finding("balance", where, f"argument {argument.id!r} has no attribution"))
    for (register, limit), editions in sorted(perspective_selections(content, audiences).items(),
                                              key=lambda item: (item[0][0], item[0][1] or 0)):
        words = side_words(content, register, limit)
        low = min(words.values())
        heavier = max(words, key=words.get)
        if low == 0 or words[heavier] > low * (1 + BALANCE_TOLERANCE):
            scope = f"first {limit} per side, " if limit else ""
            findings.append(Finding("balance", where,
                                    f"{register} register ({scope}{', '.join(editions)}): {heavier} side has "
                                    f"{words[heavier]} words against {low} (more than {BALANCE_TOLERANCE:.0%} apart)"))
    return findings


def check_voice(content: Content, audiences: list[str]) -> list[Finding]:
    findings = []
    for where, body in _texts(content):
        for term in loaded_terms_in(body, content.terms.loaded, content.terms.official_titles):
            findings.append(Finding("voice", where, f"loaded term {term!r} in the authors' voice "
                                    "(quote it and attribute it, or use a neutral term)"))
    return findings


def check_freshness(content: Content, today: dt.date) -> list[Finding]:
    newest = max(figure.as_of.last_day() for figure in content.figures.values())
    age = (today - newest).days
    limit = content.meta.stale_after_days
    if age > limit:
        return [Finding("freshness", f"{content.data_dir.name}/figures.yaml",
                        f"newest figure is from {newest.isoformat()}, {age} days before the brief's date "
                        f"{today.isoformat()} (limit {limit} days): update the data")]
    return []


def check_content(content: Content, *, today: dt.date, audiences: list[str] | None = None) -> list[Finding]:
    audiences = audiences or sorted(content.audiences)
    return (check_sourcing(content, audiences) + check_balance(content, audiences)
            + check_voice(content, audiences) + check_freshness(content, today))


def reading_grade(text: str) -> float:
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def check_rendered(content: Content, audience_key: str, pdf: bytes, pages: int) -> list[Finding]:
    """Checks that need the finished edition: its page budget."""
    audience = content.audiences[audience_key]
    findings = []
    if not audience.page_min <= pages <= audience.page_max:
        findings.append(Finding("pages", audience_key,
                                f"{pages} pages, outside the budget of {audience.page_min}-{audience.page_max}"))
    return findings


def edition_reading_grade(content: Content, audience_key: str) -> float:
    """Flesch-Kincaid grade of the prose an edition prints (body text, not notes or sources)."""
    audience = content.audiences[audience_key]
    texts = []
    for ref in audience.blocks:
        register = ref.register or audience.register
        if ref.id in content.blocks:
            texts.append(content.blocks[ref.id].text.get(register))
        elif ref.id == "perspectives":
            for side in ("supporting", "opposing"):
                for argument in content.side(side, audience.arguments_per_side):
                    texts += [argument.claim.get(register), argument.evidence.get(register)]
        elif ref.id == "timeline":
            texts += [event.text.get(register) for event in content.events]
        elif ref.id == "state_table":
            texts += [policy.text.get(register) for policy in content.states]
    return reading_grade(" ".join(plain_text(text, content.figures) for text in texts))


def check_reading_level(content: Content, audiences: list[str]) -> list[Finding]:
    findings = []
    for key in audiences:
        target = content.audiences[key].reading_grade_max
        if target is None:
            continue
        grade = edition_reading_grade(content, key)
        if grade > target:
            findings.append(Finding("reading-level", key,
                                    f"Flesch-Kincaid grade {grade:.1f}, above the target of {target:g}"))
    return findings


def source_report(content: Content, audiences: list[str]) -> list[str]:
    """A short editor's report: sources by type, arguments and words per side, data age."""
    lines = []
    by_type = Counter(source.keyword for source in content.sources.values())
    lines.append("Sources by type: " + ", ".join(f"{kind} {count}" for kind, count in sorted(by_type.items())))
    lines.append(f"Arguments: {len(content.side('supporting'))} supporting, {len(content.side('opposing'))} opposing")
    for (register, limit), editions in perspective_selections(content, audiences).items():
        words = side_words(content, register, limit)
        scope = f", first {limit} per side" if limit else ""
        lines.append(f"Words per side ({register}{scope}: {', '.join(editions)}): "
                     f"supporting {words['supporting']}, opposing {words['opposing']}")
    dates = sorted(figure.as_of for figure in content.figures.values())
    lines.append(f"Data: oldest figure {dates[0].iso}, newest {dates[-1].iso}")
    return lines
