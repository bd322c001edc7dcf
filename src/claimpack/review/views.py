"""What the workbench's pages show, as plain data for the Jinja2 templates (which escape every value)."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..model.package import DESCRIPTOR
from ..model.vocabulary import MONTHS
from ..system.problems import ClaimpackError
from ..text.paper import normalize
from ..validation.warm import key_of, numbers_in, read_exclusions, unrecorded
from .reasons import LABELS, REASONS, guess
from .workbench import Row, Workbench

HERE = Path(__file__).resolve().parent
# The fields of the edit form, in order; the others of a row are kept as they are.
CLAIM_FIELDS = ("figure", "value", "value_min", "value_max", "qualifier", "unit", "measure", "topic", "place",
                "period_start", "period_end", "kind", "section", "paragraph", "footnote", "source_id", "locator",
                "quote", "note", "status")
EVENT_FIELDS = ("date", "end_date", "date_precision", "event", "place", "section", "paragraph", "footnote",
                "source_id", "locator", "quote", "note", "status")
CLOSED = ("qualifier", "kind", "status", "date_precision")  # drop-downs: the schema's enumeration
OPEN = ("unit", "place", "topic", "source_id")  # text with suggestions: the package's vocabulary
VERDICTS = ("confirmed", "disputed", "corrected", "unverifiable")


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def common(workbench: Workbench, url, token: str, full_check: dict | None) -> dict:
    counts = workbench.counts()
    log = workbench.log()
    return {"url": url, "token": token, "counts": counts, "full_check": full_check,
            "title": workbench.package.descriptor.get("title") or workbench.root.name,
            "by": workbench.by, "last_action": max((e.action or 0 for e in log), default=0),
            "ready": workbench.ready.is_set(),
            "baseline_errors": [p.line() for p in workbench.baseline if p.severity == "error"][:20]}


def enum(workbench: Workbench, table: str, name: str) -> list[str]:
    try:
        resource = workbench.package.resource(table)
    except ClaimpackError:
        return []
    for field in (resource.get("schema") or {}).get("fields", []):
        if isinstance(field, dict) and field.get("name") == name:
            found = (field.get("constraints") or {}).get("enum")
            return [str(v) for v in found] if isinstance(found, list) else []
    return []


def suggestions(workbench: Workbench, table: str, name: str) -> list[str]:
    """The values a field may take: its enumeration, the package's vocabulary, the values already used."""
    found = dict.fromkeys(enum(workbench, table, name))
    if name == "unit":
        found.update(dict.fromkeys(workbench.package.vocabulary.units))
    if name == "source_id":
        found.update(dict.fromkeys(workbench.model.sources))
    for row in workbench.rows.values():
        if row.table == table and row.cells.get(name):
            found[row.cells[name]] = None
    return sorted(found)


def marked(text: str, start: int, end: int) -> dict:
    return {"before": text[:start], "mark": text[start:end], "after": text[end:]}


def card(workbench: Workbench, key: str, url) -> dict:
    """Everything the card of one record shows."""
    row = workbench.rows[key]
    place = workbench.locate(row)
    cells = row.cells
    record = workbench.model.record(key)
    quote = normalize(cells.get("quote", ""))
    sentence = None
    paragraph = None
    reason = "not-a-figure"
    if place is not None:
        block, quote_start, quote_end, figure_start, figure_end = place
        if figure_end > figure_start:
            sentence = marked(block.norm[quote_start:quote_end], figure_start - quote_start, figure_end - quote_start)
            paragraph = marked(block.norm, figure_start, figure_end)
            reason = guess(workbench.proposer, block.norm, figure_start, figure_end)
        else:  # an event: its date's words are marked where they stand in the quote
            start, end = date_span(block.norm[quote_start:quote_end], cells)
            sentence = marked(block.norm[quote_start:quote_end], start, end)
            paragraph = marked(block.norm, quote_start + start, quote_start + end)
            reason = "date"
    if sentence is None:
        figure = cells.get("figure") or cells.get("date") or ""
        at = quote.find(normalize(figure)) if figure else -1
        sentence = marked(quote, at, at + len(normalize(figure))) if at >= 0 else marked(quote, 0, 0)
    footnote = record.footnote
    source = record.source
    fields = CLAIM_FIELDS if row.table == "claims" else EVENT_FIELDS
    form = []
    for name in fields:
        if name not in cells and name != "status":
            continue
        value = cells.get(name, "")
        if name == "status":
            value = "reviewed"
        entry = {"name": name, "value": value, "label": name.replace("_", " ")}
        if name in CLOSED:
            entry["options"] = enum(workbench, row.table, name) or [value]
            if value not in entry["options"]:
                entry["options"] = [value, *entry["options"]]
        elif name in OPEN:
            entry["list"] = suggestions(workbench, row.table, name)
        form.append(entry)
    verdicts = [{"number": v.number, "verdict": v.verdict, "by": v.by, "note": v.note, "evidence": v.evidence
                 if (v.evidence or "").startswith(("https://", "http://")) else None, "value": v.value_text,
                 "timestamp": v.timestamp, "chain": v.fields.get("chain_hash", "")[:12]} for v in record.verdicts]
    chain_ok = True
    try:
        from ..model.verifications.log import LOG

        chain_ok = not any(True for _ in LOG.broken_links(LOG.entries(workbench.package)))
    except ClaimpackError:
        chain_ok = False
    position = workbench.order.index(key) + 1 if key in workbench.order else 0
    return {
        "row": row, "id": key, "type": row.type, "status": row.status, "version": row.version,
        "figure": cells.get("figure") or cells.get("date") or "", "sentence": sentence, "paragraph": paragraph,
        "section": cells.get("section", ""), "paragraph_number": cells.get("paragraph", ""),
        "footnote": {"number": footnote.number, "text": footnote.text} if footnote else None,
        "source": {"id": source.id, "title": source.title, "author": source.author, "issued": source.issued,
                   "entry": source.bibliography_entry, "own": source.id == workbench.package.config.get("own_source")}
        if source else None,
        "locator": cells.get("locator", ""),
        "form": form, "reasons": [{"key": k, "label": LABELS[k], "text": REASONS[k]} for k in REASONS],
        "reason": reason, "problems": workbench.problems_of(key),
        "verdicts": verdicts, "chain_ok": chain_ok, "verdict_options": VERDICTS,
        "pdf": is_pdf(workbench) and place is not None,
        "next": workbench.neighbour(key, 1), "previous": workbench.neighbour(key, -1),
        "next_candidate": workbench.next_candidate(key), "position": position, "of": len(workbench.order),
    }


def date_span(quote: str, cells: dict) -> tuple[int, int]:
    """Where an event's date stands in its quote: from the first to the last of its parts found."""
    parts = [p.lstrip("0") for date in (cells.get("date"), cells.get("end_date")) if date for p in date.split("-")]
    spans = [m.span() for p in parts if p for m in re.finditer(rf"(?<!\d){re.escape(p)}(?!\d)", quote)]
    if not spans:
        return 0, 0
    year = [s for s in spans if s[1] - s[0] == 4]
    first = min(s[0] for s in spans)
    last = max(s[1] for s in spans)
    if year and last - first > 60:
        return year[0]
    month = re.search(r"\b[A-Z][a-z]{2,8}\.?\s+\Z", quote[max(0, first - 12):first])
    if month and normalize(month.group()).strip(". ").lower() in MONTHS:
        first -= len(month.group())
    return first, last


def is_pdf(workbench: Workbench) -> bool:
    original = workbench.package.config.get("original")
    if not original:
        return False
    try:
        return workbench.package.rel(original).lower().endswith(".pdf")
    except ClaimpackError:
        return False


def summary(workbench: Workbench, row: Row, url) -> dict:
    """A record as one line of a list: its id, version and figure in its sentence."""
    place = workbench.locate(row)
    if place is not None and place[4] > place[3]:
        block, quote_start, quote_end, start, end = place
        left = max(quote_start, start - 60)
        right = min(quote_end, end + 60)
        sentence = marked(block.norm[left:right], start - left, end - left)
    else:
        sentence = marked(normalize(row.cells.get("quote", ""))[:140], 0, 0)
    return {"id": row.id, "version": row.version, "section": row.cells.get("section", ""), "sentence": sentence,
            "href": url("record", row.id)}


def paper_view(workbench: Workbench, url) -> dict:
    """The paper's text, block by block, every number in it with its state: candidate, reviewed, excluded
    or unrecorded (and the record it belongs to)."""
    package = workbench.package
    paper = package.paper
    counter = package.vocabulary.counter
    exclusions, _ = read_exclusions(package)
    covering: dict[int, list[tuple[int, int, str, str, frozenset | None]]] = {}
    for key, row in workbench.rows.items():
        place = workbench.locate(row)
        if place is None:
            continue
        block, quote_start, quote_end, figure_start, figure_end = place
        state = "reviewed" if row.status == "reviewed" else "candidate"
        if figure_end > figure_start:
            covering.setdefault(id(block), []).append((figure_start, figure_end, state, key, None))
        values = set()
        for name in ("period_start", "period_end"):
            if row.cells.get(name):
                values.add(row.cells[name].lstrip("0"))
        for name in ("date", "end_date"):
            if row.cells.get(name):
                values.update(part.lstrip("0") or "0" for part in row.cells[name].split("-"))
        if values:
            covering.setdefault(id(block), []).append((quote_start, quote_end, state, key, frozenset(values)))
    for exclusion in exclusions:
        for location in paper.search(exclusion.context):
            value = frozenset({key_of(exclusion.number)})
            covering.setdefault(id(location.block), []).append(
                (location.start, location.end, "excluded", exclusion.reason, value))
    # what coverage itself finds unrecorded (its own rules: dates, periods, centuries, offsets, exclusions)
    missing = {(id(block), number.start) for block, number in unrecorded(package, paper, exclusions)}
    blocks = []
    counts = {"candidate": 0, "reviewed": 0, "excluded": 0, "unrecorded": 0}
    for index, block in enumerate(paper.blocks):
        if block.kind == "bibliography-entry":
            continue
        norm = block.norm
        pieces = []
        at = 0
        mark = re.match(r"(?:[-*+>|]\s+)+", norm) if block.kind in ("list-item", "blockquote", "table-row") else None
        if mark:  # the block's mark in the text ("- " of a list item): kept for the offsets, not shown
            pieces.append({"text": mark.group(), "hidden": True})
            at = mark.end()
        spans = covering.get(id(block), [])
        for number in numbers_in(block, counter):
            start, end, value = number.start, number.end, number.key
            if start < at:
                continue  # inside a number already shown
            found = next((s for s in spans if s[4] is None and s[0] <= start and end <= s[1]), None) or \
                next((s for s in spans if s[4] is not None and s[0] <= start and end <= s[1] and value in s[4]), None)
            if (id(block), start) in missing:
                found = None
            elif found is None:  # covered by a record's words coverage reads ("a decade later"): the record's quote
                found = next((s for s in spans if s[2] != "excluded" and s[4] is not None and s[0] <= start
                              and end <= s[1]), None) or (0, 0, "reviewed", None, None)
            state = found[2] if found else "unrecorded"
            counts[state] += 1
            if start > at:
                pieces.append({"text": norm[at:start]})
            target = found[3] if found and state in ("candidate", "reviewed") else None
            pieces.append({"text": norm[start:end], "state": state, "start": start, "end": end, "kind": number.kind,
                           "record": target, "href": url("record", target) if target else None,
                           "why": found[3] if found and state == "excluded" else None})
            at = end
        if at < len(norm):
            pieces.append({"text": norm[at:]})
        blocks.append({"index": index, "kind": block.kind, "section": block.section, "pieces": pieces,
                       "level": "h2" if block.kind == "heading" else None})
    return {"blocks": blocks, "counts": counts}


def about_view(workbench: Workbench, url) -> dict:
    """The package's title, licence and authors as its form shows them, and what `build --release` still needs."""
    from ..model.about import COMMON_LICENCES
    from ..model.placeholders import is_placeholder_author, release_blockers
    from .outcomes import about_cells, version_of

    about = workbench.about_now()
    try:
        found = release_blockers(workbench.package)
    except ClaimpackError as error:
        found = []
        blockers = [{"label": "", "text": str(error), "href": None, "here": False}]
    else:
        lines = {(workbench.package.rel(row.table), row.line): key for key, row in workbench.rows.items()}
        blockers = []
        for blocker in found:
            key = lines.get((blocker.file, blocker.row))
            here = blocker.file == DESCRIPTOR
            if here:  # the package's own fields, in the form below
                label = {"licenses": "Licence", "contributors": "Authors"}.get(blocker.field, blocker.field)
                text = f": {blocker.message} (below)"
            else:
                kind = "event" if blocker.file.endswith("events.csv") else "claim"
                many = blocker.count != 1
                label = f"{blocker.count} {kind}{'s' if many else ''}"
                text = (f"still {'have' if many else 'has'} claimpack init's {blocker.field}: accept (a) checks off "
                        "what init read, edit (e) says it in your words" if blocker.field == "measure" else
                        f"still {'have' if many else 'has'} claimpack init's {blocker.field}: accept (a) or edit (e) "
                        "checks it off")
            blockers.append({"label": label, "text": text, "record": key, "href": url("record", key) if key else None,
                             "field": blocker.field, "here": here})
    candidates = workbench.counts()["candidate"]
    authors = [{"name": "" if is_placeholder_author(a.name) else a.name, "organization": a.organization,
                "placeholder": is_placeholder_author(a.name)} for a in about.authors] or \
        [{"name": "", "organization": "", "placeholder": True}]
    dated = bool(workbench.package.config.get("own_source")) and workbench.package.has("sources")
    return {"title": about.title, "date": about.date, "dated": dated, "licence": about.licence or "",
            "licences": COMMON_LICENCES,
            "other": about.licence if about.licence and about.licence not in COMMON_LICENCES else "",
            "authors": authors, "version": version_of(about_cells(about)), "blockers": blockers,
            "candidates": candidates, "first_candidate": workbench.next_candidate()}
