"""Everything about one claim or event on one screen: `claimpack show ID`.

The figure and its value; the quote highlighted inside its paragraph, with the section, the
paragraph and the paper's line; the footnote as printed; the cited work in full with page and
URL or DOI; the checks the claim takes part in with their results; the defects of the paper that
concern it (defects.csv) and the cross-check warnings no defect records yet; and its verification
history.

Standard library only (no frictionless, no pandas): it must answer in well under half a second.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from typing import Any

from ..model.defects import BASES, kind_label
from ..model.domain import Claim, Model, Record, Source
from ..report import prose
from ..system.problems import ClaimpackError
from ..text import csl

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
ANSI = {"quote": "\x1b[1;33m", "figure": "\x1b[1;4;33m", "label": "\x1b[1m", "dim": "\x1b[2m",
        "good": "\x1b[32m", "bad": "\x1b[31m", "reset": "\x1b[0m"}
# Sentinels mark the highlight while the text is wrapped; they become ANSI codes or « » after.
OPEN, CLOSE, FIG_OPEN, FIG_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"


# ---- the paragraph ----------------------------------------------------------------------------
def paragraph(model: Model, record: Record) -> dict | None:
    """The quote's paragraph: its text with footnote markers, and where the quote and figure stand in it."""
    if not record.quote:
        return None
    paper = model.package.paper
    found = paper.locate(record.quote, record.section, record.paragraph)
    if not found:
        return None
    location = found[0]
    block = location.block
    markers = sorted(block.markers, key=lambda marker: marker[1])

    def shifted(offset: int, inclusive: bool) -> int:
        return offset + sum(len(str(number)) for number, at in markers if (at <= offset if inclusive else at < offset))

    text, last = [], 0
    for number, at in markers:
        text.append(block.norm[last:at])
        text.append(str(number).translate(SUPERSCRIPT))
        last = at
    text.append(block.norm[last:])
    display = "".join(text)
    start, end = shifted(location.start, True), shifted(location.end, False)
    figure_span = None
    figure = record.figure if isinstance(record, Claim) else None
    if figure:
        from ..text.paper import normalize

        at = display[start:end].find(normalize(figure))
        if at >= 0:
            figure_span = [start + at, start + at + len(normalize(figure))]
    return {"section": block.section, "paragraph": block.paragraph, "kind": block.kind,
            "line": paper.line_of(block, location.start), "text": display, "quote_span": [start, end],
            "figure_span": figure_span, "footnote_after_quote": block.marker_after(location.start)}


# ---- the cited work ---------------------------------------------------------------------------
def full_citation(source: Source) -> str:
    """A work in full from its CSL fields: authors, title, container, publisher, date, pages."""
    parts = []
    people = [p.strip() for p in (source.author or "").split(";") if p.strip()]
    if people:
        parts.append(prose.sentence("; ".join(people)))
    title = source.title or source.id
    quoted = source.type in csl.QUOTED
    parts.append(f"“{prose.sentence(title)}”" if quoted else prose.sentence(title))
    if source.container_title:
        container = source.container_title
        if source.volume:
            container += f" {source.volume}"
        if source.issue:
            container += f", no. {source.issue}"
        parts.append(prose.sentence(("In " if source.type == "chapter" else "") + container))
    where = ": ".join(x for x in (source.publisher_place, source.publisher) if x)
    if where:
        parts.append(prose.sentence(where))
    if source.issued:
        parts.append(prose.sentence(prose.written_date(str(source.issued))))
    if source.page:
        parts.append(f"Pages {source.page}.")
    return " ".join(parts)


def cited_work(model: Model, record: Record) -> dict | None:
    if not record.source_id or not model.package.has("sources"):
        return None
    source = record.source
    if source is None:
        return {"id": record.source_id, "missing": True}
    own = model.package.config.get("own_source") == source.id
    return {"id": source.id, "own": own, "citation": full_citation(source), "page": record.locator,
            "url": source.url, "doi": source.doi, "link": source.link,
            "bibliography_entry": source.bibliography_entry, "note": source.note,
            "fields": {k: v for k, v in source.fields.items() if v not in (None, "")}}


def footnote(model: Model, record: Record) -> dict | None:
    number = record.footnote_number
    if number is None or not model.package.has("footnotes"):
        return None
    note = record.footnote
    cites = [{"position": c.position, "source_id": c.source_id, "locator": c.locator, "cited_as": c.cited_as,
              "ibid_of": c.ibid_of} for c in (note.citations if note else ())]
    return {"number": number, "text": note.text if note else None, "note": note.note if note else None,
            "citations": cites}


# ---- checks and warnings ----------------------------------------------------------------------
def checks(model: Model, record_id: str) -> list[dict]:
    return [{"id": result.id, "kind": result.kind, "relation": result.relation, "expression": result.expression,
             "holds": result.holds, "detail": result.detail, "description": result.description}
            for result in model.checks_of(record_id)]


def related_warnings(model: Model, record: Record) -> list[str]:
    """The cross-checks' warnings about this record, its footnote or its cited work."""
    from ..validation.validate import layer_result

    problems, _ = layer_result(model.package, "crosscheck")
    table_rel = model.rel(record.table)
    source_row = record.source.row if record.source is not None else None
    found = []
    for problem in problems:
        if problem.severity == "recorded":
            continue  # shown with the defect that records it
        named = re.search(r"footnotes? ([\d, ]+)", problem.message)
        notes = {int(n) for n in re.findall(r"\d+", named.group(1))} if named else set()
        mine = ((problem.file == table_rel and problem.row == record.row)
                or (record.footnote_number is not None and record.footnote_number in notes
                    and problem.file.endswith("citations.csv"))
                or (source_row is not None and problem.file == model.rel("sources") and problem.row == source_row)
                or (isinstance(record, Claim) and record.id
                    and re.search(rf"\b{re.escape(record.id)}\b", problem.message)))
        if mine:
            found.append(problem.line())
    return found


# ---- one record -------------------------------------------------------------------------------
def record(model: Model, record_id: str) -> dict[str, Any]:
    """Everything about one claim or event, as plain data (what `show --json` prints)."""
    found = model.record(record_id)
    data: dict[str, Any] = {"id": record_id, "type": found.type, "file": model.rel(found.table), "row": found.row,
                            "fields": {k: v for k, v in found.fields.items() if v not in (None, "")}}
    if isinstance(found, Claim):
        data["as_printed"] = prose.headline(found)
        data["base_value"] = prose.base_value(found)
    try:
        data["paragraph"] = paragraph(model, found)
    except ClaimpackError as exc:
        data["paragraph"] = None
        data["paper_error"] = str(exc)
    data["footnote"] = footnote(model, found)
    data["cited_work"] = cited_work(model, found)
    data["checks"] = checks(model, record_id) if isinstance(found, Claim) else []
    data["derived_from"] = found.fields.get("derived_from")
    data["warnings"] = related_warnings(model, found)
    data["defects"] = [defect.to_dict() for defect in model.defects_of(found)]
    data["verifications"] = [verdict.to_dict() for verdict in found.verdicts]
    data["latest_verdict"] = found.latest.verdict if found.latest else None
    return data


# ---- printing ---------------------------------------------------------------------------------
def render(data: dict, *, color: bool = False, width: int | None = None) -> str:
    """The record as text for a terminal (ANSI when color, « » markers otherwise)."""
    width = width or min(100, shutil.get_terminal_size((100, 24)).columns)
    fields = data["fields"]
    lines: list[str] = []

    def paint(text: str, style: str) -> str:
        return f"{ANSI[style]}{text}{ANSI['reset']}" if color else text

    def label(name: str, value: str) -> None:
        head = f"{name:<12}"
        wrapped = textwrap.wrap(value, width - 13, break_on_hyphens=False, break_long_words=False) or [""]
        lines.append(paint(head, "label") + " " + wrapped[0])
        lines.extend(" " * 13 + rest for rest in wrapped[1:])

    title = f"{data['type']} {data['id']}"
    lines.append(paint(title, "label") + paint(f"  ({data['file']}, row {data['row']})", "dim"))
    if fields.get("status") == "candidate":
        label("Status", paint("CANDIDATE", "bad") + ": proposed by `claimpack init`, not yet reviewed by a person")
    elif fields.get("status"):
        label("Status", str(fields["status"]))
    if data["type"] == "claim":
        label("Figure", f"{data['as_printed']}  =  {data['base_value']} {fields.get('unit', '')} "
                        f"({fields.get('qualifier', 'exact')}; {fields.get('kind', '')})")
        label("Measure", fields.get("measure", ""))
        period = prose.period(fields.get("period_start"), fields.get("period_end"))
        label("Where, when", f"{fields.get('place', '')}" + (f", {period}" if period else "")
              + f"; topic {fields.get('topic', '')}")
    else:
        label("Date", prose.date_span(fields.get("date"), fields.get("end_date"), fields.get("date_precision")))
        label("Event", fields.get("event", ""))
        label("Place", fields.get("place", ""))
    place = data.get("paragraph")
    if place:
        label("In the paper", f"{prose.place_in_paper(place['section'], place['paragraph'])} ({place['kind']}), "
                              f"line {place['line']}")
        lines.append("")
        text = place["text"]
        start, end = place["quote_span"]
        marks = [(start, OPEN), (end, CLOSE)]
        if place.get("figure_span"):
            marks += [(place["figure_span"][0], FIG_OPEN), (place["figure_span"][1], FIG_CLOSE)]
        for at, mark in sorted(marks, key=lambda m: m[0], reverse=True):
            text = text[:at] + mark + text[at:]
        state = ""
        for line in textwrap.wrap(text, width - 4, break_on_hyphens=False):
            painted, state = _highlight(line, color, state)
            lines.append("    " + painted)
        lines.append("")
    elif data.get("paper_error"):
        label("In the paper", data["paper_error"])
    else:
        label("In the paper", f"quote not found: {fields.get('quote', '')}")
    note = data.get("footnote")
    if note:
        label(f"Footnote {note['number']}", prose.text(note.get("text")) or "(not in footnotes.csv)")
        for cite in note.get("citations") or []:
            ibid = f" (Ibid. of footnote {cite['ibid_of']})" if cite.get("ibid_of") else ""
            page = f" at {cite['locator']}" if cite.get("locator") else ""
            label("", f"Cites {cite['source_id']}{page}{ibid}")
        if note.get("note"):
            label("", f"Printing: {note['note']}")
    else:
        label("Footnote", "none: the paper gives no footnote here")
    work = data.get("cited_work")
    if work and work.get("missing"):
        label("Cited work", f"{work['id']} (not in sources.csv)")
    elif work:
        label("Cited work", f"{work['id']}{' (the paper itself)' if work.get('own') else ''}: {work['citation']}")
        details = []
        if work.get("page"):
            plural = re.search(r"[-–,]", str(work["page"]))
            details.append(f"page{'s' if plural else ''} {work['page']}")
        if work.get("link"):
            details.append(work["link"])
        if work.get("doi") and work.get("url") and "doi.org" not in work["url"]:
            details.append(f"doi:{work['doi']}")
        if details:
            label("", " · ".join(details))
        if work.get("bibliography_entry"):
            label("", f"Bibliography, as printed: {prose.text(work['bibliography_entry'])}")
        if work.get("note"):
            label("", f"Note on the work: {work['note']}")
    if data.get("derived_from"):
        label("Derived from", data["derived_from"])
    if data["type"] == "claim":
        if data["checks"]:
            for index, check in enumerate(data["checks"]):
                mark = (paint("holds", "good") if check["holds"] else paint("cannot be evaluated", "bad")
                        if check["holds"] is None else paint("FAILS", "bad"))
                label("Checks" if index == 0 else "", f"{check['id']}: {mark} ({check['detail']})")
        else:
            label("Checks", "none in checks.csv")
    for index, defect in enumerate(data.get("defects") or []):
        kind = kind_label(defect["kind"])
        label("Defects" if index == 0 else "", f"{kind} ({defect['id']}): {defect['says']} Right: "
                                               f"{defect['correction']} Evidence "
                                               f"({BASES.get(defect['evidence_basis'] or '', '')}): "
                                               f"{defect['evidence']}")
    for index, warning in enumerate(data.get("warnings") or []):
        label("Warnings" if index == 0 else "", warning)
    if data["verifications"]:
        for index, entry in enumerate(data["verifications"]):
            extra = "".join([f"; value {prose.number(entry['value'])}" if entry.get("value") is not None else "",
                             f"; evidence {entry['evidence']}" if entry.get("evidence") else ""])
            label("Verified" if index == 0 else "",
                  f"{prose.timestamp(entry['timestamp'])}: {entry['verdict']} by {entry['by']}: "
                  f"{entry['note']}{extra}")
    else:
        label("Verified", "not yet (claimpack verify records a verdict)")
    if fields.get("note"):
        label("Note", fields["note"])
    return "\n".join(lines) + "\n"


def _highlight(line: str, color: bool, state: str) -> tuple[str, str]:
    """Replace the sentinels of one wrapped line; `state` is the style open at its start."""
    if not color:
        return line.replace(OPEN, "«").replace(CLOSE, "»").replace(FIG_OPEN, "").replace(FIG_CLOSE, ""), ""
    out = [ANSI[state]] if state else []
    for char in line:
        if char == OPEN:
            state = "quote"
        elif char == FIG_OPEN:
            state = "figure"
        elif char == FIG_CLOSE:
            state = "quote"
        elif char == CLOSE:
            state = ""
        else:
            out.append(char)
            continue
        out.append(ANSI["reset"] + (ANSI[state] if state else ""))
    if state:
        out.append(ANSI["reset"])  # each line ends plain; the next reopens the style
    return "".join(out), state
