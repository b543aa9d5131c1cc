"""Orchestrate one edition: data folder -> content model -> HTML -> PDF file (plus checks)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import resources
from .check import PrintedEdition, check_content, check_rendered, rendered_audiences
from .errors import Problem
from .model import Content
from .render import BriefOptions, render_edition, render_html
from .files import write_outputs
from .validate import load_content
from .write import apply_resource_policy, render_pdf

LOG = logging.getLogger(__name__)
PROJECT_ROOT = resources.ROOT
DEFAULT_DATA = resources.DEFAULT_DATA
DEFAULT_OUT = resources.DEFAULT_OUT  # installed: briefs/ in the current folder


@dataclass
class BuildResult:
    audience: str
    pdf: Path
    pages: int
    notes: int
    html: Path | None = None
    findings: list[Problem] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)  # the Word and text editions written beside it


class Editions:
    """The national print editions of one content rendered in this run, by audience and date: the content
    checks read what they print, and a build that follows (--check, then the brief) takes the same HTML
    instead of rendering it again. A jurisdiction changes what prints and the web edition how notes print;
    a preparer's name, large print and margins change neither the figures an edition prints nor its
    stale-data markers, so only the plain national print edition is kept."""

    def __init__(self, content: Content):
        self.content = content
        self._kept: dict[tuple[str, object], tuple[str, dict, BriefOptions]] = {}

    def rendered(self, audience: str, options: BriefOptions) -> str:
        """The edition's HTML with these options, rendered now or earlier in this run."""
        key = (audience, options.date)
        kept = self._kept.get(key)
        if kept is not None and kept[2] == options:
            return kept[0]
        html, context = render_edition(self.content, audience, options)
        if options.jurisdiction is None and not options.for_web:
            self._kept.setdefault(key, (html, context, options))
        return html

    def printed(self, audiences: list[str], date) -> dict[str, PrintedEdition]:
        """What each of `audiences` prints on `date` (each rendered once, if it had not been)."""
        found = {}
        for audience in audiences:
            key = (audience, date)
            if key not in self._kept:
                options = BriefOptions(date=date)
                html, context = render_edition(self.content, audience, options)
                self._kept[key] = (html, context, options)
            html, context, _options = self._kept[key]
            found[audience] = PrintedEdition(html, frozenset(context["printed_figures"]),
                                             frozenset(context["data_sets_used"]))
        return found


def check_data(content: Content, *, today, audiences: list[str] | None = None, notes: bool = False,
               editions: Editions | None = None) -> list[Problem]:
    """The content checks of `audiences` (default: all), with the editions they read rendered here."""
    editions = editions if editions is not None and editions.content is content else Editions(content)
    audiences = audiences or sorted(content.audiences)
    printed = editions.printed(rendered_audiences(content, audiences), today)
    return check_content(content, today=today, audiences=audiences, notes=notes, editions=printed)


OUTPUT_NAME_MAX = 50  # characters: some grant portals refuse longer attachment names


def output_name(audience: str, jurisdiction=None, *, large_print: bool = False, with_fips: bool = False) -> str:
    """'council.pdf', 'grant-harris-county-tx.pdf', 'council-large-print.pdf' ('council-13015-bartow-county-ga.pdf'
    `with_fips`): at most 50 characters. A long place name is shortened, never what tells places apart: the
    state code stays and the county's FIPS code joins it ('law-enforcement-42125-washington-pa-large-print.pdf')."""
    suffix = "-large-print" if large_print else ""
    if jurisdiction is None:
        return f"{audience}{suffix}.pdf"
    fips = getattr(jurisdiction, "fips", None)
    lead = f"{audience}-{fips}" if with_fips and fips else audience
    name = f"{lead}-{jurisdiction.slug}{suffix}.pdf"
    if len(name) <= OUTPUT_NAME_MAX:
        return name
    lead = f"{audience}-{fips}" if fips else audience
    state = (getattr(jurisdiction, "state_code", None) or "").lower()
    base = jurisdiction.slug.removesuffix(f"-{state}") if state else jurisdiction.slug
    tail = f"-{state}" if state else ""
    # Without a FIPS code (a state agency, an agency no county brief covers) a shortened name carries six
    # characters of its full name's hash, so two long names that begin alike never share a file.
    mark = "" if fips else "-" + hashlib.sha256(jurisdiction.slug.encode()).hexdigest()[:6]
    room = OUTPUT_NAME_MAX - len(f"{lead}-{mark}{tail}{suffix}.pdf")
    if len(base) > room:
        for word in ("-county", "-parish", "-borough"):  # the FIPS code already says which kind of place
            base = base.replace(word, "") if fips else base
        cut = base[:room]
        base = cut.rsplit("-", 1)[0] if "-" in cut and len(base) > room and base[room:room + 1] != "-" else cut
    base = base.strip("-")
    return f"{lead}{'-' + base if base else ''}{mark}{tail}{suffix}.pdf"


def build_brief(audience: str, *, data_dir: Path = DEFAULT_DATA, out: Path | None = None,
                options: BriefOptions | None = None, write_html: bool = False,
                content: Content | None = None, exports: tuple[str, ...] = (),
                content_findings: dict | None = None, national_parts=None,
                editions: Editions | None = None) -> BuildResult:
    """Build one edition and write it; returns where it went and what the checks found. `exports`
    names further editions by suffix (".docx", ".txt"), converted from the PDF's own HTML.
    `content_findings` keeps the content checks by edition and date for the next brief of a batch:
    they read the content model only, never the jurisdiction. `national_parts` (a batch's
    `splice.NationalParts`) lends a local edition the national part laid out for an earlier brief; `editions`
    the editions rendered earlier in this run (by --check)."""
    options = options or BriefOptions()
    content = content or load_content(data_dir)
    out = Path(out) if out else DEFAULT_OUT / output_name(audience, options.jurisdiction, large_print=options.large_print)
    if editions is None or editions.content is not content:
        editions = Editions(content)
    html = editions.rendered(audience, options)  # --check may have rendered it for its own checks
    variant = content.audiences[audience].pdf_variant
    # The file identifier derives from the content: identical inputs, identical bytes; any difference
    # (another jurisdiction, another date), another identifier.
    page_min, page_max = content.audiences[audience].budget(large_print=options.large_print,
                                                             local=options.jurisdiction is not None)
    # The budget holds at the audience file's margins; with --margins it is a warning (check_rendered), so a
    # layout that keeps every note in place is taken at any length.
    fits = None if options.margins else (lambda count: page_min <= count <= page_max)
    pdf, pages, loose = render_pdf(html, pdf_variant=variant, fits=fits, label=audience,
                                   national_parts=national_parts)
    checked = (audience, options.date)
    found = content_findings.get(checked) if content_findings is not None else None
    if found is None:
        found = check_data(content, today=options.date, audiences=[audience], editions=editions)
        if content_findings is not None:
            content_findings[checked] = found
    findings = list(found)
    findings += check_rendered(content, audience, pdf, pages, large_print=options.large_print,
                               local=options.jurisdiction is not None, margins=options.margins, loose=loose)
    outputs = [(out, pdf)]
    html_path = None
    if write_html:
        web = render_html(content, audience, BriefOptions(date=options.date, prepared_for=options.prepared_for,
                                                           jurisdiction=options.jurisdiction, for_web=True))
        html_path = out.with_suffix(".html")
        # The web edition follows the PDF's resource policy: nothing remote, nothing outside the project.
        outputs.append((html_path, apply_resource_policy(web).encode("utf-8")))
    exported = []
    if exports:
        from .export import export_editions

        for suffix, data, _document in export_editions(html, exports, date=options.date):
            exported.append(out.with_suffix(suffix))
            outputs.append((out.with_suffix(suffix), data))
    write_outputs(outputs)  # every file or none
    notes = html.count('class="footnote"')
    LOG.info("%s: wrote %s (%d pages, %d notes)", audience, out, pages, notes)
    return BuildResult(audience, out, pages, notes, html_path, findings, exported)
