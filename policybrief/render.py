"""Select an audience's blocks from the content model and render them to one HTML document."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import resources
from .chart import render_chart
from .cite import Citer, bibliography_entry, citations_in, short_note
from .errors import DataError, Problem, UsageError
from .figures import edition_dates, format_figure, format_number, newest_state_level
from .local import block_markdown, local_section_text
from .i18n import LANGUAGE_NAMES, MissingMessage, catalogue, catalogue_problems
from .markup import ProseRenderer, compose
from .model import DEFAULT_LANGUAGE, Audience, Content, Joined, PartialDate, Typography

LOG = logging.getLogger(__name__)
PROJECT_ROOT = resources.ROOT
TEMPLATE_DIR = resources.TEMPLATE_DIR
# Groups printed as one row (state, measure, date; primary sources only): their laws read alike or leave
# joining open, and a row each would cost the law-enforcement edition a page. Mandates and bans, which
# decide whether an agency may join, keep a row each with what the measure does.
SUMMARISED_STANCES = {"encourage", "preempt", "restrict"}
PRIMARY_KEYWORDS = frozenset({"government", "court", "legislature", "data"})
STANCE_LABELS = {"mandate": "Requires agencies to seek or hold agreements", "encourage": "Encourages participation",
                 "preempt": "Bars local limits on cooperation", "restrict": "Restricts participation",
                 "ban": "Bans agreements"}
MODEL_FIELDS = (("authority", "What officers may do"), ("where", "Where it applies"),
                ("training", "Training"), ("supervision", "Supervision"), ("reporting", "Reporting"))


@dataclass
class BriefOptions:
    """What the caller chose beyond the audience: date, who it is prepared for, a local focus."""

    date: dt.date = field(default_factory=dt.date.today)
    prepared_for: str | None = None
    jurisdiction: Any = None  # policybrief.ice.Jurisdiction
    for_web: bool = False
    large_print: bool = False  # the audience's large-print sizes (18 pt text) and page budget
    margins: str | None = None  # replaces the audience's page margins, e.g. "1in"


# A section's id becomes an HTML id and CSS classes ("block-<id>"): never anything but these characters.
SECTION_ID_RE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")


@dataclass
class Section:
    id: str
    kind: str
    heading: str | None
    html: Markup | None = None
    items: list[Any] = field(default_factory=list)
    chart: Any = None
    number: int = 0  # figure number, for charts
    after: Markup | None = None  # a paragraph after a table's closing sentence (the state laws' participation)

    def __post_init__(self) -> None:
        if not SECTION_ID_RE.match(self.id):
            raise ValueError(f"section id {self.id!r} is not a safe HTML id")


def _series(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' (no serial comma, as the brief's prose has it)."""
    if len(names) < 3:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _shift_headings(html: Markup, by: int = 2) -> Markup:
    """Markdown '#' inside a block is a sub-heading of that block's section."""
    return Markup(re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m[1]}h{min(int(m[2]) + by, 6)}>", str(html)))


class EditionBuilder:
    """One edition's sections, rendered in reading order from the content and the audience's outline."""

    def __init__(self, content: Content, audience: Audience, options: BriefOptions):
        self.content = content
        self.audience = audience
        self.options = options
        self.register = audience.register
        self.lang = audience.lang
        self.t = catalogue(audience.lang, content.data_dir)  # the edition's words, dates and numbers
        # With a Sources list in the edition, its entries carry the addresses; notes link their titles.
        has_sources_list = any(ref.id == "sources" for ref in audience.blocks)
        self.citer = Citer(content.sources, style=audience.notes, urls_in_notes=not has_sources_list,
                           messages=self.t)
        self.prose = ProseRenderer(self.citer, content.figures, web=options.for_web, messages=self.t)
        self.charts: list[Any] = []

    def printed_figures(self) -> set[str]:
        ids = set(self.prose.printed_figures)
        for chart in self.charts:
            ids.update(chart.figure_ids)
        return ids

    def text(self, text, *, inline: bool = False) -> Markup:
        return self.prose.render(text.get(self.register, self.lang), inline=inline)

    def section(self, ref) -> Section | None:
        """Render one outline entry, in the register the audience (or this entry) asks for."""
        self.register = ref.register or self.audience.register
        return self._section(ref)

    def heading(self, ref, default: str) -> str:
        return ref.heading or default

    def _section(self, ref) -> Section | None:
        kind = ref.id
        if kind.startswith("chart:"):
            return self.chart_section(kind.split(":", 1)[1])
        if kind in SPECIAL_SECTIONS:
            return SPECIAL_SECTIONS[kind](self, ref)
        block = self.content.blocks[kind]
        text = block_markdown(block, self.options.jurisdiction, self.content, self.register,
                              self.lang)  # a local edition prints its own state's law and what it bars
        html = _shift_headings(self.prose.render_composed(text))
        heading = ref.heading or block.title.get(self.register, self.lang)
        return Section(kind, "prose", heading, html=html)

    def chart_section(self, name: str) -> Section:
        chart = render_chart(name, self.content)
        self.charts.append(chart)
        sources = set(chart.sources)
        for key in sorted(sources):
            if key not in self.citer.cited:
                self.citer.cited.append(key)
        notes = "; ".join(short_note(self.content.sources[key], words=self.citer.words).rstrip(".")
                          for key in sorted(sources))
        label = "labels.source_many" if len(sources) > 1 else "labels.source_one"
        # The catalogue's words are text, the notes HTML: escape the one, then put the other in.
        sentence = str(escape(self.t(label, notes="\ue010"))).replace("\ue010", notes)
        return Section(f"chart-{name}", "chart", None, chart=chart, html=Markup(sentence))

    def key_figures_section(self, ref) -> Section:
        items = []
        for figure_id in self.audience.key_figures:
            figure = self.content.figures[figure_id]
            items.append({"value": format_figure(figure, messages=self.t),
                          "label": self.prose.render(
                              f"{figure.label} [@{figure.source}{', ' + figure.locator if figure.locator else ''}]",
                              inline=True),
                          "as_of": self.t.date(figure.as_of)})
        return Section("key-figures", "key_figures", self.heading(ref, self.t("headings.key_figures")), items=items)

    def timeline_section(self, ref) -> Section:
        items = [{"date": self.t.date(event.date), "html": self.text(event.text, inline=True)}
                 for event in self.content.events]
        return Section("timeline", "timeline", self.heading(ref, self.t("headings.timeline")), items=items)

    def perspectives_section(self, ref) -> Section:
        items = []
        for side in ("supporting", "opposing"):
            label = self.t(f"perspectives.{side}")
            arguments = []
            for argument in self.content.side(side, self.audience.arguments_per_side):
                arguments.append({
                    "attribution": argument.attribution_in(self.lang),
                    "claim": self.text(argument.claim, inline=True),
                    "evidence": self.text(argument.evidence, inline=True),
                    "contested": (self.text(argument.contested, inline=True)
                                  if argument.contested and self.audience.show_contested else None),
                })
            items.append({"side": side, "label": label, "arguments": arguments})
        return Section("perspectives", "perspectives", self.heading(ref, self.t("headings.perspectives")), items=items)

    def state_table_section(self, ref) -> Section:
        """Measures grouped by stance, one row each; the states where none was found in one sentence."""
        entries = sorted(self.content.state_entries.values(), key=lambda entry: entry.state)
        items = []
        for stance, label in STANCE_LABELS.items():
            measures = [(entry, policy) for entry in entries for policy in entry.measures if policy.stance == stance]
            if not measures:
                continue
            if stance in SUMMARISED_STANCES:
                rows = [self._summary_row("", measures)]
            else:
                # A mandate on the state's own agencies alone (a duty to seek an agreement for the state) does
                # not decide what a county or city may do: those share one summary row after the others.
                own = [(entry, policy) for entry, policy in measures if set(policy.binds) != {"state"}]
                state_only = [(entry, policy) for entry, policy in measures if set(policy.binds) == {"state"}]
                rows = [{"state": entry.state, "stance": label, "measure": policy.measure, "date": policy.date.long,
                         "html": self.text(policy.text, inline=True)} for entry, policy in own]
                if state_only:
                    rows.append(self._summary_row(self.t("labels.state_agencies_only"), state_only))
            items.append({"stance": stance, "label": label, "rows": rows})
        intro = self.content.blocks.get("states")
        html = self.text(intro.text) if intro else None
        searched = [entry for entry in entries if not entry.found]
        none_found = None
        if searched:
            dates = sorted({entry.search.date.long for entry in searched if entry.search})
            none_found = Markup(escape(
                f"No measure was found for {_series([entry.state for entry in searched])} "
                f"(searched {_series(dates)}); each state's entry in the data lists the sources searched."))
        # Every state's participation beside the laws (the edition carries no by-state chart): agreements on
        # ICE's newest state-level list, most first, and the states and territories with none.
        newest = newest_state_level(self.content)
        counts = [(state, count) for state, count in newest["states"] if count]
        without = sorted(entry.state for entry in entries if entry.state not in dict(counts))
        as_of = PartialDate.from_date(newest["as_of"]).long
        listed = ", ".join(f"{state} {format_number(count)}" for state, count in counts)
        participation = (f"**Agreements by state** on ICE's list of {as_of} ({format_number(newest['total'])} in all): "
                         f"{listed}" + (f"; none in {_series(without)}" if without else "")
                         + f" [@{newest['source']}].")
        counted = self.prose.render(participation, inline=True)

        return Section("state-table", "state_table", self.heading(ref, self.t("headings.state_table")),
                       items=items, html=html, chart=none_found,  # chart: the sentence after the table
                       after=counted)

    def _summary_row(self, label: str, measures: list) -> dict:
        """One row for a group of measures: each state, measure and date, with one note for the group (a
        note per line would cost the edition most of a page), citing each measure's own sources in the order
        the lines are listed: its first-cited source, then its primary ones, so no line goes without the
        source of its measure."""
        keys = list(dict.fromkeys(key for _entry, policy in measures for key in self._measure_keys(policy)))
        listed = "; ".join(f"**{entry.state}**, {policy.measure}, {policy.date.long}" for entry, policy in measures)
        summary = f"{label}: {listed} [@{'; @'.join(keys)}]." if label else f"{listed} [@{'; @'.join(keys)}]."
        return {"state": None, "stance": label, "measure": None, "date": None,
                "html": self.prose.render(summary, inline=True)}

    def _measure_keys(self, policy) -> list[str]:
        """The sources a compact line cites: the measure's own (first-cited) source, then its primary ones."""
        keys = list(dict.fromkeys(item.key for item in citations_in(policy.text.get(self.register))))
        return list(dict.fromkeys(keys[:1] + self._primary_keys(policy)))

    def _primary_keys(self, policy) -> list[str]:
        """The sources a measure's text cites, primary ones only where it cites any (a one-row group's note)."""
        keys = list(dict.fromkeys(item.key for item in citations_in(policy.text.get(self.register))))
        primary = [key for key in keys if key in self.content.sources and
                   self.content.sources[key].keyword in PRIMARY_KEYWORDS]
        return primary or keys

    def models_table_section(self, ref) -> Section:
        rows = []
        for field_name, label in MODEL_FIELDS:
            rows.append({"label": label, "cells": [self.text(model.fields[field_name], inline=True)
                                                    for model in self.content.models]})
        return Section("models-table", "models_table", self.heading(ref, self.t("headings.models_table")),
                       items=rows, chart=[model.name for model in self.content.models])

    def local_section(self, ref) -> Section | None:
        if self.options.jurisdiction is None:
            return None
        jurisdiction = self.options.jurisdiction
        state_law_shown = any(
            other.id in self.content.blocks and "**State law.**" in
            self.content.blocks[other.id].text.get(other.register or self.audience.register)
            for other in self.audience.blocks)
        section = local_section_text(jurisdiction, self.content, self.register, ref.heading,
                                     date=self.options.date, state_law_shown=state_law_shown, lang=self.lang)
        html = self.prose.render_composed(Joined(section.paragraphs, "\n\n"))
        return Section("local", "local", compose(section.heading, self.t), html=Markup(html))

    def chart_data_section(self, ref) -> Section | None:
        """The data behind each chart drawn so far, as tables (for readers who cannot see the charts)."""
        if not self.charts:
            return None
        return Section("chart-data", "chart_data", self.heading(ref, self.t("headings.chart_data")),
                       items=list(self.charts))

    def sources_section(self, ref) -> Section:
        # Rendered last, from everything cited above it.
        return Section("sources", "sources", self.heading(ref, self.t("headings.sources")))

    def suggested_citation_section(self, ref) -> Section:
        return Section("suggested-citation", "suggested_citation",
                       self.heading(ref, self.t("headings.suggested_citation")))


# The outline entries the renderer draws itself, by their id in an audience's `blocks:` (model.SPECIAL_BLOCKS).
# Dispatch is by this table alone: an id from a data file never names a method.
SPECIAL_SECTIONS = {
    "key_figures": EditionBuilder.key_figures_section,
    "timeline": EditionBuilder.timeline_section,
    "perspectives": EditionBuilder.perspectives_section,
    "state_table": EditionBuilder.state_table_section,
    "models_table": EditionBuilder.models_table_section,
    "local": EditionBuilder.local_section,
    "chart_data": EditionBuilder.chart_data_section,
    "sources": EditionBuilder.sources_section,
    "suggested_citation": EditionBuilder.suggested_citation_section,
}


def newest_as_of(content: Content, printed: set[str] | None = None) -> PartialDate:
    """The newest as-of date among the figures an edition prints (all figures if none are known)."""
    ids = printed or set(content.figures)
    return max(content.figures[figure_id].as_of for figure_id in ids)


def build_context(content: Content, audience_key: str, options: BriefOptions) -> dict[str, Any]:
    """Everything the templates need, with every prose fragment already rendered in reading order."""
    if audience_key not in content.audiences:
        raise UsageError(f"unknown audience {audience_key!r}; available: {', '.join(sorted(content.audiences))}")
    audience = content.audiences[audience_key]
    if audience.lang != DEFAULT_LANGUAGE:
        from .validate import translation_problems

        problems = translation_problems(content, audience_key, options.jurisdiction)
    else:  # a data folder's own English catalogue must have every key too
        problems = catalogue_problems(DEFAULT_LANGUAGE, content.data_dir, audience_key)
    if problems:  # never English text in an edition of another language, nor a blank where a word goes
        raise DataError(problems)
    builder = EditionBuilder(content, audience, options)
    t = builder.t
    refs = [ref for ref in audience.blocks
            if not (options.jurisdiction is not None and ref.id in audience.omit_when_local)]
    sections = [section for ref in refs if (section := builder.section(ref)) is not None]
    chart_number = 0
    for section in sections:
        if section.kind == "chart":
            chart_number += 1
            section.number = chart_number
        if section.kind == "sources":
            section.items = [Markup(bibliography_entry(source)) for source in builder.citer.cited_sources()]
    meta = content.meta.in_language(audience.lang)
    title = audience.title
    if options.jurisdiction is not None:
        title = t("title_block.title_local", title=title, name=options.jurisdiction.name)
    date = PartialDate.from_date(options.date)
    suggested = (f"{meta.issuer}, \u201c{title},\u201d {audience.subtitle}, {date.long}. "
                 f"Prepared with the open-source 287(g) brief generator.")
    printed = builder.printed_figures()
    dates = edition_dates(content, printed, today=options.date, charts=tuple(chart.name for chart in builder.charts),
                          local=options.jurisdiction is not None, messages=t)
    return {
        "lang": meta.language if audience.lang == DEFAULT_LANGUAGE else audience.lang,
        "t": t, "date_long": t.date(date), "page_footer": page_footer_css(t), "title": title,
        "short_title": meta.short_title,
        "subtitle": audience.subtitle, "audience": audience, "issuer": meta.issuer,
        "subject": meta.subject, "keywords": ", ".join(meta.keywords),
        "prepared_for": options.prepared_for, "date": date, "date_iso": options.date.isoformat(),
        "figures_as_of": t.date(newest_as_of(content, printed)), "sections": sections,
        "data_dates": dates.lines, "stale_notices": dates.notices, "data_sets_used": dates.used,
        "printed_figures": frozenset(printed),
        "note_count": builder.citer.note_count, "cited": list(builder.citer.cited),
        "charts": builder.charts, "suggested_citation": suggested, "for_web": options.for_web,
        "jurisdiction": options.jurisdiction, "endnotes": builder.prose.endnotes,
        "has_sources": any(section.kind == "sources" for section in sections),
    }


def template_environment() -> jinja2.Environment:
    """The project's templates only: a data folder is content, never code, so it cannot add or override
    a template (a `templates/` folder inside one is ignored, with a warning)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True,
                                     undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["css_string"] = css_string
    return environment


def page_footer_css(messages) -> Markup:
    """The catalogue's 'Page {page} of {pages}' as the CSS content of the page footer."""
    parts = re.split(r"(\{pages?\})", messages("page.footer"))
    return Markup(" ".join("counter(page)" if part == "{page}" else "counter(pages)" if part == "{pages}"
                           else f'"{css_string(part)}"' for part in parts if part))


def css_string(text: str) -> Markup:
    """Text for inside a double-quoted CSS string: every character outside [A-Za-z0-9] escaped
    (the space after each escape ends it and is not part of the text)."""
    return Markup("".join(char if char.isalnum() and char.isascii() else f"\\{ord(char):x} "
                          for char in str(text)))


LARGE_TABLE_PT = 12  # table text from this size up sets the chart-data tables in one column


def type_css(typography: Typography) -> str:
    """The edition's sizes and margins as CSS, set before print.css, which uses them and sets none."""
    sizes = (f":root {{ --body: {typography.body_pt:g}pt; --note: {typography.note_pt:g}pt; "
             f"--small: {typography.small_pt:g}pt; --call: {typography.call_pt:g}pt; "
             f"--line: {typography.line_height:g}; }}\n")
    small = f"font-size: {typography.small_pt:g}pt;"
    if typography.small_pt >= LARGE_TABLE_PT:  # large print: a data table's columns no longer fit side by side
        sizes += "html .chart-data div.columns, html .chart-data div.columns-3 { columns: 1; }\n"
    return sizes + (f"@page {{ margin: {typography.margins}; @top-left {{ {small} }} @top-right {{ {small} }} "
                    f"@bottom-center {{ {small} }} @footnote {{ font-size: {typography.note_pt:g}pt; }} }}\n")


def render_html(content: Content, audience_key: str, options: BriefOptions) -> str:
    """Render one edition to a complete HTML document (CSS inlined, charts inline as SVG)."""
    return render_edition(content, audience_key, options)[0]


def render_edition(content: Content, audience_key: str, options: BriefOptions) -> tuple[str, dict[str, Any]]:
    """Render one edition to HTML, and return the context it was rendered from (for the checks)."""
    try:
        context = build_context(content, audience_key, options)
    except MissingMessage as missing:  # validation names every key it can foresee; this is the rest
        raise DataError([Problem(missing.file, f"expected a {LANGUAGE_NAMES.get(missing.lang, missing.lang)} "
                                               f"text for the {audience_key} edition, found none",
                                 key=missing.key)]) from None
    if os.path.lexists(Path(content.data_dir) / "templates"):
        LOG.warning("%s is ignored: a data folder holds content; templates come from the project's "
                    "templates/ only", Path(content.data_dir).name + "/templates")
    environment = template_environment()
    name = f"{context['audience'].template}.html.j2"
    template = environment.get_template(name)  # validate checked that the audience's template exists
    typography = context["audience"].type_for(large_print=options.large_print, margins=options.margins)
    css = type_css(typography) + (TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")
    if options.for_web:  # the screen's rules, after the print rules they adapt
        css += (TEMPLATE_DIR / "web.css").read_text(encoding="utf-8")
    html = template.render(css=Markup(css), **context)
    LOG.info("%s: rendered HTML with %d notes and %d sources", audience_key, context["note_count"],
             len(context["cited"]))
    return html, context
