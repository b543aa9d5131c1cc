"""The Spanish community edition: language per edition, catalogues, Spanish dates and numbers, the
per-language checks (loaded terms, parity) and a local Spanish edition."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from policybrief.build import check_data
from policybrief.check import loaded_terms_in
from policybrief.i18n import catalogue, catalogue_problems, format_date, format_number
from policybrief.model import PartialDate
from policybrief.validate import load_content

from helpers import run, words

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 12, 1)


# ---------------------------------------------------------------- a small Spanish data folder

GUIDE = """name: Fixture guide
title: "Fixture guide"
subtitle: "A small guide"
register: plain
notes: compact
pages: {min: 1, max: 2}
pdf_variant: pdf/ua-1
blocks:
  - {id: overview, heading: "Overview"}
  - {id: perspectives, heading: "Pros and cons"}
"""
GUIDE_ES = """name: Guía de prueba
title: "Guía de prueba"
subtitle: "Una guía pequeña"
lang: es
translates: guide
register: plain
notes: compact
pages: {min: 1, max: 2}
pdf_variant: pdf/ua-1
reading_ease_min: 60
blocks:
  - {id: overview, heading: "¿Qué es?"}
  - {id: perspectives, heading: "A favor y en contra"}
"""
OVERVIEW = """id: overview
title: Overview
text:
  plain: |
    A law from 1996 lets local police help with immigration work [@statute].

    By January 2017 there were {fig:series_2017_01_agencies} with agreements [@gao].
  es:
    plain: |
      Una ley de 1996 permite a la policía local ayudar en tareas de inmigración [@statute].

      En enero de 2017 había {fig:series_2017_01_agencies} con acuerdos [@gao].
"""
PERSPECTIVES = """supporting:
  - id: pro
    attribution:
      standard: A supporter
      es:
        standard: Un partidario
    claim:
      standard: Supporters say the program helps local police identify people.
      es:
        plain: Sus partidarios dicen que el programa ayuda a la policía a identificar a personas.
    evidence:
      standard: "They point to agency counts that rose to {fig:series_2020_09_agencies} [@gao]."
      es:
        plain: "Señalan que las agencias llegaron a {fig:series_2020_09_agencies} [@gao]."
opposing:
  - id: con
    attribution:
      standard: A critic
      es:
        standard: Un crítico
    claim:
      standard: Critics say the program costs local police time and trust.
      es:
        plain: Sus críticos dicen que el programa cuesta tiempo y confianza a la policía.
    evidence:
      standard: "They point to reporting on agreements that rose after 2025 [@news]."
      es:
        plain: "Citan noticias sobre acuerdos que crecieron después de 2025 [@news]."
"""
BRIEF_ES = """es:
  title: "Informe de prueba"
  short_title: "Prueba"
  issuer: "Emisor de prueba"
  subject: "Un conjunto de datos pequeño para las pruebas."
  keywords: ["prueba", "inmigración"]
"""


@pytest.fixture
def spanish_data(minimal_data: Path) -> Path:
    """The minimal data folder with an English guide and its Spanish translation."""
    (minimal_data / "audiences" / "guide.yaml").write_text(GUIDE, encoding="utf-8")
    (minimal_data / "audiences" / "guide-es.yaml").write_text(GUIDE_ES, encoding="utf-8")
    (minimal_data / "blocks" / "overview.yaml").write_text(OVERVIEW, encoding="utf-8")
    (minimal_data / "perspectives.yaml").write_text(PERSPECTIVES, encoding="utf-8")
    with open(minimal_data / "brief.yaml", "a", encoding="utf-8") as brief:
        brief.write(BRIEF_ES)
    return minimal_data


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---------------------------------------------------------------- the shipped edition

@pytest.fixture(scope="module")
def shipped_spanish(content, brief):
    """briefs/community-es.pdf and a local one (Harris County, TX), each built once a run from the shipped data."""
    national = brief("community-es", date=DAY)
    local = brief("community-es", date=DAY, jurisdiction="Harris County, TX")
    return content, national, local


def _pdf_text(path: Path) -> tuple[object, str]:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.slow
def test_spanish_edition_builds_within_its_budget_in_spanish(shipped_spanish):
    content, national, _local = shipped_spanish
    audience = content.audiences["community-es"]
    assert (audience.lang, audience.translates) == ("es", "community")
    assert audience.page_min <= national.pages <= audience.page_max == 2
    assert [finding for finding in national.findings if finding.check == "pages"] == []
    reader, text = _pdf_text(national.pdf)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert "Página 1 de 2" in text and "Página 2 de 2" in text
    assert "Fecha: 1 de diciembre de 2026" in text
    assert "Argumentos a favor" in text and "Argumentos en contra" in text
    # No English label of the templates in the Spanish edition.
    for english in ("Page 1", "Prepared by", "Arguments made in", "Agreement count", "read via"):
        assert english not in text, english
    assert "Vaughan y Edwards" in text  # the notes' own words are Spanish; titles stay as published


@pytest.mark.slow
def test_spanish_edition_prints_figures_in_the_rae_style(shipped_spanish):
    _content, national, _local = shipped_spanish
    _reader, text = _pdf_text(national.pdf)
    assert "2654 acuerdos" in text  # four digits: no separator
    assert "2,654" not in text and "2.654" not in text


@pytest.mark.slow
def test_spanish_fonts_carry_the_spanish_letters(shipped_spanish):
    from fontTools.ttLib import TTFont

    spanish = "áéíóúÁÉÍÓÚñÑüÜ¿¡«»\u202f"
    for font in sorted((ROOT / "fonts").glob("Brief*.[ot]tf")):
        cmap = TTFont(font).getBestCmap()
        assert [char for char in spanish if ord(char) not in cmap] == [], font.name
    _content, national, _local = shipped_spanish
    _reader, text = _pdf_text(national.pdf)
    assert "ñ" in text and "¿" in text and "«" in text


@pytest.mark.slow
def test_a_local_spanish_edition(shipped_spanish):
    _content, _national, local = shipped_spanish
    assert local.pages == 2
    _reader, text = _pdf_text(local.pdf)
    assert "Aquí en Harris County, Texas" in text  # the place name as the Census writes it
    assert "Lista usada: la lista de ICE del 18 de mayo de 2026" in text
    assert "Norma del estado:" in text
    assert "List used" not in text and "State rule" not in text


def test_list_audiences_shows_the_spanish_edition(spanish_data):
    code, out, _ = run("--list-audiences", "--data", str(spanish_data))
    assert code == 0
    assert "guide-es         Guía de prueba (1-2 pages, pdf/ua-1)" in out


# ---------------------------------------------------------------- catalogues, dates and numbers

def test_spanish_dates_and_numbers():
    assert format_date(dt.date(2026, 12, 1), "es") == "1 de diciembre de 2026"
    assert format_date(PartialDate(2025, 7), "es") == "julio de 2025"
    assert format_date(PartialDate(2021), "es") == "2021"
    assert format_date(dt.date(2026, 12, 1), "en") == "December 1, 2026"
    assert format_number(2654, "es") == "2654"
    assert format_number(12345, "es") == "12\u202f345"
    assert format_number(675000, "es") == "675\u202f000"
    assert format_number(3.7, "es") == "3.7"
    assert format_number(2654, "en") == "2,654"
    spanish = catalogue("es")
    assert spanish("units.agreements", count=1) == "1 acuerdo"
    assert spanish("units.agreements", count=2654) == "2654 acuerdos"
    assert spanish("page.footer", page=1, pages=2) == "Página 1 de 2"


def test_the_spanish_catalogue_has_every_english_key():
    assert catalogue_problems("es", edition="community-es") == []


def test_a_missing_catalogue_key_fails_with_its_name(spanish_data, tmp_path):
    shutil.copytree(ROOT / "data" / "i18n", spanish_data / "i18n")
    _replace(spanish_data / "i18n" / "es.yaml", '  prepared_by: Preparado por\n', "")
    code, _, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide-es.pdf"))
    assert code == 1
    assert ("data/i18n/es.yaml: title_block.prepared_by: expected a Spanish text for the guide-es edition, "
            "found none") in err.splitlines()
    assert not (tmp_path / "guide-es.pdf").exists()


def test_a_catalogue_entry_that_drops_a_placeholder_is_an_error(spanish_data, tmp_path):
    shutil.copytree(ROOT / "data" / "i18n", spanish_data / "i18n")
    _replace(spanish_data / "i18n" / "es.yaml", 'footer: "Página {page} de {pages}"', 'footer: "Página {page}"')
    problems = [str(problem) for problem in catalogue_problems("es", spanish_data, "guide-es")]
    assert len(problems) == 1 and problems[0].startswith("data/i18n/es.yaml:")
    assert problems[0].endswith("page.footer: expected the placeholders of the English entry (page, pages), got page")


def test_a_missing_spanish_text_is_named_by_file_line_and_key(spanish_data, tmp_path):
    text = (spanish_data / "blocks" / "overview.yaml").read_text(encoding="utf-8")
    (spanish_data / "blocks" / "overview.yaml").write_text(text[: text.index("  es:")], encoding="utf-8")
    code, _, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide-es.pdf"))
    assert code == 1
    assert ("data/blocks/overview.yaml:3: text.es.plain: expected a Spanish text for the guide-es edition, "
            "found none") in err.splitlines()
    # The English editions still build, and --audience all leaves the incomplete edition out, saying so.
    code, out, err = run("--data", str(spanish_data), "--audience", "all", "--date", "2026-12-01",
                         "--out", str(tmp_path / "all"), "--jobs", "1")
    assert code == 0, err
    assert "warning: guide-es not built: its translation is incomplete" in err
    assert sorted(path.name for path in (tmp_path / "all").glob("*.pdf")) == ["council.pdf", "guide.pdf"]


def test_a_spanish_edition_without_spanish_keywords_is_an_error(spanish_data, tmp_path):
    _replace(spanish_data / "brief.yaml", '  keywords: ["prueba", "inmigración"]\n', "")
    code, _, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide-es.pdf"))
    assert code == 1
    assert "data/brief.yaml: es.keywords: expected Spanish keywords for the guide-es edition, found none" \
        in err.splitlines()


def test_an_unknown_citation_key_in_a_spanish_text_is_an_error(spanish_data):
    from policybrief.errors import DataError

    _replace(spanish_data / "blocks" / "overview.yaml", "inmigración [@statute]", "inmigración [@estatuto]")
    with pytest.raises(DataError) as caught:
        load_content(spanish_data)
    assert any("text.es.plain: unknown citation key '@estatuto'" in str(problem)
               for problem in caught.value.problems)


def test_the_fixture_guide_builds_in_spanish(spanish_data, tmp_path):
    code, out, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                         "--out", str(tmp_path / "guide-es.pdf"), "--html")
    assert code == 0, err
    html = (tmp_path / "guide-es.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in html
    assert '<meta name="keywords" content="prueba, inmigración">' in html  # brief.yaml's Spanish keywords
    assert "<strong>Un partidario:</strong>" in html or "Un partidario:" in html
    assert "35 agencias" in html  # the figure's unit in Spanish
    findings = check_data(load_content(spanish_data), today=DAY, audiences=["guide", "guide-es"])
    assert [str(finding) for finding in findings if finding.check in ("voice", "parity", "translation")] == []


# ---------------------------------------------------------------- per-language checks

def test_spanish_loaded_terms_outside_quotation_marks():
    terms, titles = ("santuario", "ilegales", "invasión"), ("Protecting the American People Against Invasion",)
    assert loaded_terms_in("Las ciudades santuario y los ilegales.", terms, titles, "es") == ["santuario", "ilegales"]
    assert loaded_terms_in("Los santuarios; una invasion; las invasiones.", terms, titles, "es") == [
        "santuarios", "invasion", "invasiones"]
    assert loaded_terms_in("Lo llamó «santuario». La orden «Protecting the American People Against Invasion».",
                           terms, titles, "es") == []
    assert loaded_terms_in("Una detención ilegal.", terms, titles, "es") == []  # the adjective is not the noun


def test_a_spanish_loaded_term_trips_the_voice_check(spanish_data):
    (spanish_data / "terms.yaml").write_text(
        (spanish_data / "terms.yaml").read_text(encoding="utf-8") + "es:\n  loaded_terms: [santuario]\n",
        encoding="utf-8")
    _replace(spanish_data / "blocks" / "overview.yaml", "ayudar en tareas", "ayudar en ciudades santuario con tareas")
    findings = [str(finding) for finding in check_data(load_content(spanish_data), today=DAY,
                                                          audiences=["guide-es"]) if finding.check == "voice"]
    assert findings == ["data/blocks/overview.yaml: text.es.plain: loaded term 'santuario' in the authors' voice "
                        "(quote it and attribute it, or use a neutral term) [voice]"]


def test_parity_finds_a_fact_dropped_or_added_in_translation(spanish_data):
    _replace(spanish_data / "blocks" / "overview.yaml", "inmigración [@statute].", "inmigración.")
    _replace(spanish_data / "perspectives.yaml", "crecieron después de 2025 [@news].",
             "crecieron después de 2025, hasta {fig:series_2017_01_agencies} [@news].")
    findings = [str(finding) for finding in check_data(load_content(spanish_data), today=DAY,
                                                          audiences=["guide", "guide-es"]) if finding.check == "parity"]
    assert findings == [
        "data/blocks/overview.yaml:3: text.es.plain: drops the citation @statute of the English text "
        "(a fact lost in translation) [parity]",
        "data/perspectives.yaml:25: opposing[0].evidence.es.plain: adds the figure {fig:series_2017_01_agencies}, "
        "which the English text does not have (a fact added in translation) [parity]",
    ]


def test_parity_finds_an_outline_that_differs_from_the_english(spanish_data):
    _replace(spanish_data / "audiences" / "guide-es.yaml", "pages: {min: 1, max: 2}", "pages: {min: 1, max: 3}")
    findings = [str(finding) for finding in check_data(load_content(spanish_data), today=DAY,
                                                          audiences=["guide-es"]) if finding.check == "parity"]
    assert findings == ["data/audiences/guide-es.yaml: pages: expected (1, 2), as in guide, got (1, 3) [parity]"]


def test_spanish_reading_ease_and_balance(spanish_data):
    from policybrief.check import check_reading_level, edition_reading_ease, reading_ease_es, side_words

    content = load_content(spanish_data)
    assert edition_reading_ease(content, "guide-es") == pytest.approx(reading_ease_es(
        "Una ley de 1996 permite a la policía local ayudar en tareas de inmigración. En enero de 2017 había "
        "35 agencias con acuerdos. Sus partidarios dicen que el programa ayuda a la policía a identificar a "
        "personas. Señalan que las agencias llegaron a 150 agencias. Sus críticos dicen que el programa "
        "cuesta tiempo y confianza a la policía. Citan noticias sobre acuerdos que crecieron después de 2025."),
        abs=0.5)
    assert side_words(content, "plain", None, "es") == {"supporting": 22, "opposing": 22}
    assert [f for f in check_reading_level(content, ["guide-es"])] == []
    hard = "La administración intergubernamental institucionaliza procedimientos extraordinariamente complejos."
    assert reading_ease_es(hard) < 60


def test_the_local_section_in_spanish_counts_and_lists(content):
    from policybrief.i18n import catalogue
    from policybrief.local import plain_local_markdown, resolve_jurisdiction

    collier = resolve_jurisdiction("Collier County, FL", content)
    text = plain_local_markdown(collier, content, date=DAY, messages=catalogue("es"))
    assert "Muestra 4 acuerdos aquí: Collier County Sheriff" in text
    assert "Además, 21 agencias estatales tienen acuerdos: " in text and " y 19 más." in text
    assert "{count}" not in text and " and " not in text
    english = plain_local_markdown(collier, content, date=DAY)
    assert "It shows 4 deals here: Collier County Sheriff" in english and " and 19 more." in english


def test_a_spanish_edition_cannot_ask_for_what_exists_in_english_only(spanish_data, tmp_path):
    _replace(spanish_data / "audiences" / "guide-es.yaml", "notes: compact", "notes: short")
    _replace(spanish_data / "audiences" / "guide-es.yaml", '  - {id: perspectives, heading: "A favor y en contra"}',
             '  - {id: perspectives, heading: "A favor y en contra"}\n  - sources')
    code, _, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide-es.pdf"))
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith("data/audiences/guide-es.yaml:") and "notes: expected notes: compact in a Spanish "
               "edition" in line for line in lines), err
    assert any("blocks[2]: expected blocks a Spanish edition can print, got 'sources'" in line for line in lines), err


@pytest.mark.slow
def test_spanish_edition_is_tagged_in_spanish_and_passes_the_pdfua_checker(shipped_spanish):
    import json
    import shutil as shell
    import subprocess
    import sys

    import pikepdf

    _content, national, _local = shipped_spanish
    with pikepdf.open(national.pdf) as pdf:
        assert str(pdf.Root.Lang) == "es"
        assert bool(pdf.Root.MarkInfo.Marked)
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "287(g): qué es y qué dice la gente sobre el programa"
        assert meta["dc:creator"] == ["287(g) Brief Project (proyecto de código abierto)"]
        keywords = "287(g), control migratorio, ICE, gobierno local, informe de política pública"
        assert (str(pdf.docinfo["/Keywords"]), meta["pdf:Keywords"]) == (keywords, keywords)
        with pdf.open_outline() as outline:
            titles = [item.title for top in outline.root for item in [top, *top.children]]
        assert "¿Qué es 287(g)?" in titles and "¿Quién vigila el programa?" in titles, titles
    checker = shell.which("pdfua") or str(Path(sys.executable).with_name("pdfua"))
    result = subprocess.run([checker, "check", "--format", "json", str(national.pdf)],
                            capture_output=True, text=True, check=False)
    assert json.loads(result.stdout)["findings"] == []


def test_the_spanish_local_section_says_none_as_spanish_does(content):
    from policybrief.i18n import catalogue
    from policybrief.local import newer_state_count, resolve_jurisdiction

    dc = resolve_jurisdiction("District of Columbia", content)
    assert words(newer_state_count(dc, content, "plain"), "es") == (
        "Según el recuento de ICE del 9 de octubre de 2026, District of Columbia no tiene ningún acuerdo; según su "
        "lista del 18 de mayo de 2026, no tenía ninguno [@ice_list_2026_10_09; @ice_agency_list].")


def test_a_spanish_edition_keeps_one_quotation_convention(spanish_data, tmp_path):
    _replace(spanish_data / "blocks" / "overview.yaml", "ayudar en tareas de inmigración",
             "ayudar en “tareas de inmigración”")
    findings = [str(finding) for finding in check_data(load_content(spanish_data), today=DAY,
                                                          audiences=["guide-es"]) if finding.check == "typography"]
    assert findings == ["data/blocks/overview.yaml:3: text.es.plain: '“tareas de inmigración”' is quoted with “ ”: "
                        "a Spanish edition quotes with « » (or type straight quotes, which print as « ») [typography]"]
    _replace(spanish_data / "blocks" / "overview.yaml", "“tareas de inmigración”", '"tareas de inmigración"')
    assert [f for f in check_data(load_content(spanish_data), today=DAY, audiences=["guide-es"])
            if f.check == "typography"] == []
    code, _, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide-es.pdf"), "--html")
    assert code == 0, err
    assert "«tareas de inmigración»" in (tmp_path / "guide-es.html").read_text(encoding="utf-8")


def test_a_data_folders_catalogue_is_text_not_html(spanish_data, tmp_path):
    from policybrief.cite import NoteWords

    shutil.copytree(ROOT / "data" / "i18n", spanish_data / "i18n")
    _replace(spanish_data / "i18n" / "es.yaml", 'and: "y"', 'and: "<b>y</b>"')
    _replace(spanish_data / "i18n" / "es.yaml", "prepared_by: Preparado por", 'prepared_by: "<script>x</script>"')
    words = NoteWords.from_catalogue(catalogue("es", spanish_data))
    assert words.conjunction == "&lt;b&gt;y&lt;/b&gt;"
    code, _, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide-es.pdf"), "--html")
    assert code == 0, err
    html = (tmp_path / "guide-es.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    _replace(spanish_data / "i18n" / "es.yaml", 'quotes: "\\u00ab\\u00bb\\u201c\\u201d"', 'quotes: "«»"')
    code, _, err = run("--data", str(spanish_data), "--audience", "guide-es", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide-es.pdf"))
    assert code == 1
    assert "typography.quotes: expected four quotation marks" in err, err


def test_a_catalogue_entry_of_the_wrong_shape_is_an_error_not_a_traceback(spanish_data, tmp_path):
    shutil.copytree(ROOT / "data" / "i18n", spanish_data / "i18n")
    _replace(spanish_data / "i18n" / "en.yaml", "  prepared_by: Prepared by\n",
             "  prepared_by: {one: Prepared by, other: Prepared by}\n")
    code, _, err = run("--data", str(spanish_data), "--audience", "guide", "--date", "2026-12-01",
                       "--out", str(tmp_path / "guide.pdf"))
    assert code == 1
    assert "data/i18n/en.yaml:" in err and "title_block.prepared_by: expected a text, as in the English entry" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("edition, print_words, web_words", [
    ("community", "at the bottom of each page", "in the notes at the end"),
    ("community-es", "al pie de cada página", "en las notas del final"),
])
def test_the_web_edition_says_where_its_notes_are(content, edition, print_words, web_words):
    from policybrief.render import BriefOptions, render_html

    def line(html):  # the neutrality line's printed words (its data-endnotes attribute is for --txt)
        return re.search(r'<p class="neutrality"[^>]*>(.*?)</p>', html, re.DOTALL).group(1)

    printed = line(render_html(content, edition, BriefOptions(date=DAY)))
    web = line(render_html(content, edition, BriefOptions(date=DAY, for_web=True)))
    assert print_words in printed and web_words not in printed
    assert web_words in web and print_words not in web
