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

from .defects import BASES, KINDS
from .defects import read as read_defects
from .package import Package
from .problems import ClaimpackError
from .verify import history

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
ANSI = {"quote": "\x1b[1;33m", "figure": "\x1b[1;4;33m", "label": "\x1b[1m", "dim": "\x1b[2m",
        "good": "\x1b[32m", "bad": "\x1b[31m", "reset": "\x1b[0m"}
# Sentinels mark the highlight while the text is wrapped; they become ANSI codes or « » after.
OPEN, CLOSE, FIG_OPEN, FIG_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def find_record(package: Package, record_id: str) -> tuple[str, dict, int]:
    """('claim' or 'event', row, row number) for an id; a ClaimpackError with close matches otherwise."""
    from .verify import unknown_record

    known = []
    for kind, table_name in (("claim", "claims"), ("event", "events")):
        if not package.has(table_name):
            continue
        table = package.table(table_name)
        for row, number in zip(table.rows, table.row_numbers):
            if row.get("id") == record_id:
                return kind, row, number
            if row.get("id"):
                known.append(row["id"])
    raise unknown_record(record_id, known)


# ---- the paragraph ----------------------------------------------------------------------------
def paragraph(package: Package, row: dict) -> dict | None:
    """The quote's paragraph: its text with footnote markers, and where the quote and figure stand in it."""
    quote = row.get("quote")
    if not quote:
        return None
    paper = package.paper
    found = paper.locate(quote, row.get("section"), row.get("paragraph"))
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
    if row.get("figure"):
        from .paper import normalize

        at = display[start:end].find(normalize(row["figure"]))
        if at >= 0:
            figure_span = [start + at, start + at + len(normalize(row["figure"]))]
    return {"section": block.section, "paragraph": block.paragraph, "kind": block.kind,
            "line": paper.line_of(block, location.start), "text": display, "quote_span": [start, end],
            "figure_span": figure_span, "footnote_after_quote": block.marker_after(location.start)}


# ---- the cited work ---------------------------------------------------------------------------
def full_citation(source: dict) -> str:
    """A work in full from its CSL fields: authors, title, container, publisher, date, pages, URL, DOI."""
    def sentence(text: str) -> str:
        return text if re.search(r"[.?!]\W*$", text) else text + "."

    parts = []
    people = [p.strip() for p in (source.get("author") or "").split(";") if p.strip()]
    if people:
        parts.append(sentence("; ".join(people)))
    title = source.get("title") or source.get("id")
    quoted = source.get("type") in ("article-journal", "article-magazine", "chapter", "webpage", "speech",
                                    "entry-encyclopedia")
    parts.append(f"“{sentence(title)}”" if quoted else sentence(title))
    if source.get("container_title"):
        container = source["container_title"]
        if source.get("volume"):
            container += f" {source['volume']}"
        if source.get("issue"):
            container += f", no. {source['issue']}"
        parts.append(sentence(("In " if source.get("type") == "chapter" else "") + container))
    where = ": ".join(x for x in (source.get("publisher_place"), source.get("publisher")) if x)
    if where:
        parts.append(where + ".")
    if source.get("issued"):
        parts.append(str(source["issued"]) + ".")
    if source.get("page"):
        parts.append(f"Pages {source['page']}.")
    return " ".join(parts)


def cited_work(package: Package, row: dict) -> dict | None:
    source_id = row.get("source_id")
    if not source_id or not package.has("sources"):
        return None
    source = package.table("sources").by("id").get(source_id)
    if source is None:
        return {"id": source_id, "missing": True}
    link = source.get("url") or (f"https://doi.org/{source['doi']}" if source.get("doi") else None)
    own = package.config.get("own_source") == source_id
    return {"id": source_id, "own": own, "citation": full_citation(source), "page": row.get("locator"),
            "url": source.get("url"), "doi": source.get("doi"), "link": link,
            "bibliography_entry": source.get("bibliography_entry"), "note": source.get("note"),
            "fields": {k: v for k, v in source.items() if v not in (None, "")}}


def footnote(package: Package, row: dict) -> dict | None:
    number = row.get("footnote")
    if number is None or not package.has("footnotes"):
        return None
    note = package.table("footnotes").by("number").get(number) or {}
    cites = []
    if package.has("citations"):
        cites = [{"position": c.get("position"), "source_id": c.get("source_id"), "locator": c.get("locator"),
                  "cited_as": c.get("cited_as"), "ibid_of": c.get("ibid_of")}
                 for c in package.rows("citations") if c.get("footnote") == number]
    return {"number": number, "text": note.get("text"), "note": note.get("note"), "citations": cites}


# ---- checks and warnings ----------------------------------------------------------------------
def checks(package: Package, record_id: str) -> list[dict]:
    from .layers.consistency import results

    found = []
    for result in results(package):
        if record_id in result.claims:
            found.append({"id": result.id, "kind": result.kind, "relation": result.relation,
                          "expression": result.expression,
                          "holds": result.holds, "detail": result.detail, "description": result.description})
    return found


def related_warnings(package: Package, kind: str, row: dict, row_number: int) -> list[str]:
    """The cross-checks' warnings about this record, its footnote or its cited work."""
    from .layers.crosschecks import check

    problems, _ = check(package)
    table_rel = package.rel("claims" if kind == "claim" else "events")
    source_row = None
    if row.get("source_id") and package.has("sources"):
        sources = package.table("sources")
        source_row = next((n for r, n in zip(sources.rows, sources.row_numbers) if r.get("id") == row["source_id"]),
                          None)
    found = []
    for problem in problems:
        if problem.severity == "recorded":
            continue  # shown with the defect that records it
        named = re.search(r"footnotes? ([\d, ]+)", problem.message)
        notes = {int(n) for n in re.findall(r"\d+", named.group(1))} if named else set()
        mine = ((problem.file == table_rel and problem.row == row_number)
                or (row.get("footnote") is not None and row["footnote"] in notes
                    and problem.file.endswith("citations.csv"))
                or (source_row is not None and problem.file == package.rel("sources") and problem.row == source_row)
                or (kind == "claim" and row.get("id") and re.search(rf"\b{re.escape(row['id'])}\b", problem.message)))
        if mine:
            found.append(problem.line())
    return found


# ---- one record -------------------------------------------------------------------------------
def record(package: Package, record_id: str) -> dict[str, Any]:
    """Everything about one claim or event, as plain data (what `show --json` prints)."""
    kind, row, row_number = find_record(package, record_id)
    table = "claims" if kind == "claim" else "events"
    data: dict[str, Any] = {"id": record_id, "type": kind, "file": package.rel(table), "row": row_number,
                            "fields": {k: v for k, v in row.items() if v not in (None, "")}}
    if kind == "claim":
        from .figures import describe

        try:
            data["as_printed"] = describe(row["value"], row["figure"], row.get("qualifier") or "exact",
                                          language=row.get("language") or "en", value_max=row.get("value_max"))
        except (KeyError, TypeError, ValueError):
            data["as_printed"] = row.get("figure")
    try:
        data["paragraph"] = paragraph(package, row)
    except ClaimpackError as exc:
        data["paragraph"] = None
        data["paper_error"] = str(exc)
    data["footnote"] = footnote(package, row)
    data["cited_work"] = cited_work(package, row)
    data["checks"] = checks(package, record_id) if kind == "claim" else []
    data["derived_from"] = row.get("derived_from")
    data["warnings"] = related_warnings(package, kind, row, row_number)
    data["defects"] = [defect.to_dict() for defect in read_defects(package)
                       if defect.concerns(record_id, row.get("footnote"))]
    data["verifications"] = [entry.to_dict() for entry in history(package, record_id)]
    data["latest_verdict"] = data["verifications"][-1]["verdict"] if data["verifications"] else None
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
    if data["type"] == "claim":
        value = number_text(fields.get("value"))
        bounds = ""
        if fields.get("qualifier") == "between" and fields.get("value_max") is not None:
            value = f"{number_text(fields.get('value_min', fields.get('value')))} to {number_text(fields['value_max'])}"
        elif fields.get("value_min") is not None or fields.get("value_max") is not None:
            bounds = (f", at least {number_text(fields['value_min'])}" if fields.get("value_min") is not None
                      else f", at most {number_text(fields['value_max'])}")
        label("Figure", f"{fields.get('figure', '').replace(chr(92), '')}  =  {value} {fields.get('unit', '')} "
                        f"({fields.get('qualifier', 'exact')}{bounds}; {fields.get('kind', '')})")
        label("Measure", fields.get("measure", ""))
        period = "–".join(dict.fromkeys(str(fields[k]) for k in ("period_start", "period_end") if fields.get(k)))
        label("Where, when", f"{fields.get('place', '')}" + (f", {period}" if period else "")
              + f"; topic {fields.get('topic', '')}")
    else:
        date = fields.get("date", "") + (f" to {fields['end_date']}" if fields.get("end_date") else "")
        label("Date", f"{date} (precision: {fields.get('date_precision', '')})")
        label("Event", fields.get("event", ""))
        label("Place", fields.get("place", ""))
    place = data.get("paragraph")
    if place:
        section = "front matter" if place["section"] == "front matter" else f"“{place['section']}”"
        label("In the paper", f"{section}, paragraph {place['paragraph']} ({place['kind']}), line {place['line']}")
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
        label(f"Footnote {note['number']}", note.get("text") or "(not in footnotes.csv)")
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
            label("", f"Bibliography, as printed: {work['bibliography_entry']}")
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
        kind = KINDS.get(defect["kind"] or "", defect["kind"] or "defect")
        label("Defects" if index == 0 else "", f"{kind} ({defect['id']}): {defect['says']} Right: "
                                               f"{defect['correction']} Evidence "
                                               f"({BASES.get(defect['evidence_basis'] or '', '')}): "
                                               f"{defect['evidence']}")
    for index, warning in enumerate(data.get("warnings") or []):
        label("Warnings" if index == 0 else "", warning)
    if data["verifications"]:
        for index, entry in enumerate(data["verifications"]):
            extra = "".join([f"; value {number_text(entry['value'])}" if entry.get("value") is not None else "",
                             f"; evidence {entry['evidence']}" if entry.get("evidence") else ""])
            label("Verified" if index == 0 else "",
                  f"{entry['timestamp']} {entry['verdict']} by {entry['by']}: {entry['note']}{extra}")
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
