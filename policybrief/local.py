"""The "Here in <jurisdiction>" section: ICE's list and state law, for one county, city or agency."""

from __future__ import annotations

import logging
from collections import Counter

from .errors import UsageError
from .figures import agreements_source_id, format_number, pending_source_id
from .model import Content, PartialDate

LOG = logging.getLogger(__name__)
STANCE_WORDS = {"mandate": "requires participation", "encourage": "encourages participation",
                "restrict": "restricts participation", "ban": "bans 287(g) agreements"}


def resolve_jurisdiction(name: str, content: Content):
    """Find `name` on ICE's list or in the county gazetteer; unknown or ambiguous names are usage errors."""
    from .ice import JurisdictionError, find_jurisdiction

    if content.agreements is None:
        raise UsageError("--jurisdiction needs ICE's list in data/agreements/ (run update-agreements first)")
    try:
        return find_jurisdiction(name, content.agreements)
    except JurisdictionError as error:  # its message already names the closest candidates
        raise UsageError(str(error)) from None


def jurisdictions_in_state(code: str, content: Content) -> list[str]:
    """One name per county on ICE's list in a state, plus each state agency, for --state batches."""
    if content.agreements is None:
        raise UsageError("--state needs ICE's list in data/agreements/ (run update-agreements first)")
    code = code.strip().upper()
    rows = content.agreements.for_state(code)
    if not rows:
        states = sorted({row.state_code for row in content.agreements.rows})
        raise UsageError(f"no agreements listed for state {code!r}; states on the list: {', '.join(states)}")
    names = []
    for row in rows:
        if row.agency_type == "State Agency":
            names.append(f"{row.agency}, {code}")
        elif row.county:
            county = row.county if row.county.lower().endswith(("county", "parish", "borough")) else f"{row.county} County"
            names.append(f"{county}, {code}")
    # ICE's COUNTY cells include misspellings and wrong states (see provenance.yaml): keep only
    # names that resolve, so a --state batch never fails on ICE's typos.
    from .ice import JurisdictionError, find_jurisdiction

    resolved = []
    for name in dict.fromkeys(names):
        try:
            find_jurisdiction(name, content.agreements)
        except JurisdictionError:
            LOG.warning("%s: skipped %r from ICE's list: it names no county of that state", code, name)
            continue
        resolved.append(name)
    return resolved


def _model_phrase(rows) -> str:
    parts = []
    for row in sorted(rows, key=lambda r: (r.model, r.signed or PartialDate(1900).first_day())):
        signed = f"signed {PartialDate.from_date(row.signed).long}" if row.signed else "signing date not given on ICE's list"
        parts.append(f"{row.model} ({signed})")
    return "; ".join(parts)


def local_markdown(jurisdiction, content: Content, register: str = "standard") -> str:
    """Markdown for the local section; every statement cites ICE's list or a state measure."""
    agreements = content.agreements
    list_key = agreements_source_id(agreements.as_of)
    as_of = PartialDate.from_date(agreements.as_of).long
    paragraphs = []
    rows = list(jurisdiction.agreements)
    if rows:
        by_agency: dict[str, list] = {}
        for row in rows:
            by_agency.setdefault(row.agency, []).append(row)
        sentences = [f"ICE's list dated {as_of} shows {format_number(len(rows))} agreement"
                     f"{'s' if len(rows) != 1 else ''} held by {format_number(len(by_agency))} "
                     f"agenc{'ies' if len(by_agency) != 1 else 'y'} in {jurisdiction.name} [@{list_key}]."]
        if jurisdiction.kind == "state":
            # A whole state can have a hundred agencies: summarise by type instead of listing them.
            types = Counter(row.agency_type for row in rows)
            sentences[0] = sentences[0][:-len(f" [@{list_key}].")] + (
                "; by agency type: " + ", ".join(f"{format_number(count)} {kind.lower()}"
                                                 for kind, count in types.most_common())
                + f" [@{list_key}].")
        else:
            for agency, agency_rows in sorted(by_agency.items()):
                sentences.append(f"- **{agency}**: {_model_phrase(agency_rows)}.")
        paragraphs.append(sentences[0])
        if len(sentences) > 1:
            paragraphs.append("\n".join(sentences[1:]))
    else:
        paragraphs.append(f"No agency in {jurisdiction.name} appears on ICE's list of participating "
                          f"agencies dated {as_of}: there is no 287(g) agreement here as of that date [@{list_key}].")
    state_rows = agreements.for_state(jurisdiction.state_code)
    ranking = list(agreements.by_state())
    total = len(agreements.rows)
    if state_rows:
        rank = ranking.index(jurisdiction.state) + 1 if jurisdiction.state in ranking else None
        models = Counter(row.model for row in state_rows)
        model_text = ", ".join(f"{format_number(count)} {model}" for model, count in models.most_common())
        share = 100 * len(state_rows) / total
        paragraphs.append(
            f"Statewide, {jurisdiction.state} accounts for {format_number(len(state_rows))} of the "
            f"{format_number(total)} agreements on the list ({share:.1f} percent), ranking {rank} of "
            f"{len(ranking)} states with any agreement; by model: {model_text} [@{list_key}].")
    else:
        paragraphs.append(f"No agency in {jurisdiction.state} appears on the list, which covers "
                          f"{format_number(len(ranking))} states [@{list_key}].")
    policies = [policy for policy in content.states if policy.code == jurisdiction.state_code]
    if policies:
        for policy in policies:
            paragraphs.append(f"**State law or policy:** {jurisdiction.state} {STANCE_WORDS[policy.stance]} "
                              f"({policy.measure}, {policy.date.long}). {policy.text.get(register)}")
    else:
        paragraphs.append(f"**State law or policy:** the sources reviewed for this brief record no {jurisdiction.state} "
                          "statute or executive order that requires, restricts or bans 287(g) participation. "
                          "{nocite}")
    paragraphs.append(_pending_sentence(jurisdiction, agreements))
    return "\n\n".join(paragraphs)


def _pending_sentence(jurisdiction, agreements) -> str:
    if agreements.pending_as_of is None:
        return ("ICE also publishes a list of pending applications; this brief's data does not include it, "
                "so pending applications here, if any, are not shown. {nocite}")
    key = pending_source_id(agreements.pending_as_of)
    as_of = PartialDate.from_date(agreements.pending_as_of).long
    pending = list(jurisdiction.pending)
    if not pending:
        return f"ICE's list of pending applications dated {as_of} shows none from {jurisdiction.name} [@{key}]."
    if jurisdiction.kind == "state" or len(pending) > 3:
        models = Counter(row.model for row in pending)
        listed = "by model, " + ", ".join(f"{format_number(count)} {model}" for model, count in models.most_common())
    else:
        listed = "; ".join(f"{row.agency} ({row.model})" for row in pending)
    return (f"ICE's list of pending applications dated {as_of} shows {format_number(len(pending))} from "
            f"{jurisdiction.name}: {listed} [@{key}].")


def plain_local_markdown(jurisdiction, content: Content) -> str:
    """The local section in plain language, short enough for the two-page community edition."""
    agreements = content.agreements
    list_key = agreements_source_id(agreements.as_of)
    as_of = PartialDate.from_date(agreements.as_of).long
    rows = list(jurisdiction.agreements)
    if not rows:
        lines = [f"ICE's list from {as_of} shows no 287(g) deal here [@{list_key}]."]
    elif jurisdiction.kind == "state" or len({row.agency for row in rows}) > 3:
        lines = [f"ICE's list from {as_of} shows {format_number(len(rows))} deals here [@{list_key}]."]
    else:
        deals = "; ".join(f"{row.agency}, {row.model}" for row in rows)
        lines = [f"ICE's list from {as_of} shows {format_number(len(rows))} "
                 f"deal{'s' if len(rows) != 1 else ''} here: {deals} [@{list_key}]."]
    state_rows = agreements.for_state(jurisdiction.state_code)
    lines.append(f"{jurisdiction.state} has {format_number(len(state_rows))} of the "
                 f"{format_number(len(agreements.rows))} deals in the country [@{list_key}].")
    policies = [policy for policy in content.states if policy.code == jurisdiction.state_code]
    if agreements.pending_as_of is not None and jurisdiction.pending:
        count = len(jurisdiction.pending)
        lines.append(f"{format_number(count)} more request{'s' if count != 1 else ''} from here "
                     f"{'are' if count != 1 else 'is'} waiting [@{pending_source_id(agreements.pending_as_of)}].")
    for policy in policies:
        lines.append(f"State rule: {policy.text.get('plain')}")
    return " ".join(lines)


def local_section_text(jurisdiction, content: Content, register: str, heading: str | None) -> tuple[str, str]:
    """The "Here in ..." section of `jurisdiction` as (heading, Markdown with citations) in `register`.

    ``render`` turns the Markdown into HTML and places it; this module never imports ``render``.
    """
    if register == "plain":
        markdown = plain_local_markdown(jurisdiction, content)
    else:
        markdown = local_markdown(jurisdiction, content, register)
    heading = heading or f"Here in {jurisdiction.name}"
    return heading.replace("{name}", jurisdiction.name), markdown
