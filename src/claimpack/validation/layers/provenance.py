"""Layer 3: every record is anchored in the paper.

- each quote is found in the paper (under `paper.normalize`), at the section and paragraph recorded;
- each figure is inside its quote, and its value, bounds, qualifier and unit agree with it;
- each footnote is a marker of the quote's sentence (or the first marker after the quote), exists,
  and cites the recorded work and page, or the sentence cites that work in the text ([3],
  (Smith 2020), [@key]; claimpack.text.cites);
  the author's own figure (kind `own`) cites the paper itself, whatever the footnote after it
  backs, and a reported one another work;
- an event dated by its century names it; one dated relatively ("a decade later") states its
  offset, and its date is its anchor's (or the paper's) year plus that offset;
- footnotes.csv holds every footnote as printed, citations.csv resolves them (Ibid. included),
  and sources.csv holds every bibliography entry as printed;
- each defect (defects.csv) names claims and events of the package and footnotes of the paper.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections import defaultdict
from dataclasses import replace

from ...model.dates import PRECISION_YEARS, century_of, first_year, offset_years, paper_year, resolve, year_of
from ...model.domain import split_list
from ...model.numbers import RATE_UNITS, FigureError, plain_number, reader, unit_of
from ...model.package import Package
from ...model.tables import Table
from ...system.problems import ClaimpackError, Problem
from ...text.cites import Citations
from ...text.counting import NUMBER_WORD, ORDINAL, token_value
from ...text.derivation import BLOCKS_VERSION
from ...text.paper import NUMBER, Paper, normalize
from ...text.tables import Tables

# The fields each record check reads.
ANCHOR_FIELDS = ("quote", "section", "paragraph", "footnote", "source_id", "locator")
CLAIM_FIELDS = (*ANCHOR_FIELDS, "figure", "language", "value", "qualifier", "value_min", "value_max", "unit", "kind")
EVENT_FIELDS = (*ANCHOR_FIELDS, "date", "date_precision", "offset", "anchor")


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _fmt(number: float | None) -> str:
    if number is None:
        return "empty"
    return plain_number(number)


class _Context:
    """What every record check needs, computed once."""

    def __init__(self, package: Package, paper: Paper):
        self.package = package
        self.paper = paper
        self.own = package.config.get("own_source")
        self.event_years: dict[str, int | None] = {}
        if package.has("events"):
            events = package.table("events")
            self.event_years = {key: year_of(date) for key, date in zip(events.column("id"), events.column("date"))
                                if key}
        self.paper_year = paper_year(package)
        self.figures = reader(package.vocabulary)
        # A Figure is immutable and figures repeat ("20%", "$1 million"): each distinct one is read once.
        self.parse = functools.lru_cache(maxsize=65536)(self.figures.parse)
        self.in_text = Citations(row for row, _ in package.table("sources").select(
            "id", "author", "issued", "bibliography_entry")) if package.has("sources") else Citations(())
        self.tables = Tables(paper)  # the scale a table's caption or column head states
        self.cited: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        if package.has("citations"):
            for row, _ in package.table("citations").select("footnote", "source_id", "locator"):
                if row.get("footnote") is not None and row.get("source_id"):
                    self.cited[row["footnote"]][row["source_id"]].append(row.get("locator") or "")


def check(package: Package, derive: bool = True) -> tuple[list[Problem], dict]:
    """Every record against the paper; `derive`: also derive the paper's text again from its original."""
    started = time.perf_counter()
    problems: list[Problem] = []
    try:
        paper = package.paper
    except ClaimpackError as exc:
        return [exc.problem], {"errors": 1}
    if derive:
        problems.extend(_derivation(package))
    context = _Context(package, paper)
    counts = {}
    for name, record_check, fields in (("claims", _claim, CLAIM_FIELDS), ("events", _event, EVENT_FIELDS)):
        if not package.has(name):
            continue
        table = _table(package, name, problems)
        if table is None:
            continue
        counts[name] = len(table)
        for row, number in table.select(*fields):
            record_check(context, table, row, number, problems)
    for name, table_check in (("footnotes", _footnotes), ("citations", _citations), ("sources", _sources),
                              ("defects", _defects)):
        if package.has(name):
            table = _table(package, name, problems)
            if table is not None:
                table_check(context, table, problems)
    problems = [replace(problem, layer="provenance") for problem in problems]
    return problems, {"errors": len(problems), "seconds": round(time.perf_counter() - started, 3), **counts}


def _record(field: str, message: str, expected: str) -> Problem:
    return Problem("datapackage.json", None, f"claimpack.derivation.{field}", message, expected, code="derivation")


def _derivation(package: Package) -> list[Problem]:
    """The paper's text is what its recorded tool derives from the original file, character for character,
    and the record names the tool, version, reader, style and blocks version that derive it.

    The reader and style are checked before anything runs: they choose what reads the original (a
    record naming a Lua file as its reader made pandoc run it)."""
    original = package.config.get("original")
    settings = package.descriptor.get("claimpack")
    record = settings.get("derivation") if isinstance(settings, dict) else None
    if not original:
        if record is not None or package.config.get("paper_style") == "blocks":
            # a text in blocks is derived from an original: without one, nothing could prove the text
            return [Problem("datapackage.json", None, "claimpack.original", "the paper's text is derived (a "
                            "derivation record, or a text in blocks) but the descriptor names no original file",
                            "claimpack.original naming the resource of the original paper (paper-original)",
                            code="derivation")]
        return []
    from ...text.derivation import RECORD_FIELDS, block_count
    from ...text.reading import READERS, STYLES, rederive

    rel = package.rel(package.config["paper"])
    if not isinstance(record, dict):
        return [Problem("datapackage.json", None, "claimpack.derivation", "the record of how the text was "
                        "derived is " + ("missing" if record is None else f"a {type(record).__name__}, not an "
                                         "object"), "an object naming the tool, version, reader, style and "
                        "blocks that derive the text", code="derivation")]
    recorded = record
    reader, style = recorded.get("from"), recorded.get("style")
    refused = [_record(key if isinstance(key, str) else repr(key), "the record names a field claimpack does not "
                       "record", "only " + ", ".join(RECORD_FIELDS))
               for key in recorded if key not in RECORD_FIELDS]
    if reader not in READERS:
        said = "the record names no reader" if reader is None else f"{reader!r} is not a reader claimpack " \
               "derives a text with"
        refused.append(_record("from", said, "one of " + ", ".join(sorted(READERS))))
    if style != "blocks":  # a text kept as it is has no original to derive it from
        refused.append(_record("style", f"{style!r} is not how claimpack derives a text from an original",
                               "blocks" if style in STYLES else "blocks (one block per line)"))
    if refused:
        return refused
    try:
        derived, now = rederive(package.path_of(original), recorded)
    except ClaimpackError as exc:
        return [Problem(rel, None, None, f"cannot derive the text again from {package.rel(original)}: "
                        f"{exc.problem.message}", "an original file claimpack can read", code="derivation")]
    if derived == package.paper_text:
        # the same text: the record must still name what made it
        found = []
        derives = f"{now.describe()} derives the text from {package.rel(original)}"
        for field, says, made, by in (
                ("tool", recorded.get("tool"), now.tool, derives),
                ("version", recorded.get("version"), now.version, derives),
                ("claimpack_blocks", recorded.get("claimpack_blocks"), BLOCKS_VERSION,
                 f"this claimpack writes the text as blocks version {BLOCKS_VERSION}"),
                ("blocks", recorded.get("blocks"), block_count(derived),
                 f"{now.describe()} derives {block_count(derived):,} blocks from {package.rel(original)}")):
            if type(says) is not type(made) or says != made:  # 5.0 or True is not the 5 that made it
                said = "nothing" if says is None else repr(says)
                found.append(_record(field, f"the record says {said}, but {by}", f"{made!r}, what made the text"))
        return found
    said = " ".join(str(recorded[key]) for key in ("tool", "version") if recorded.get(key))
    tool = f"{now.tool} {now.version}"
    if not said:
        tool += " (the record names no tool)"
    elif said != tool:
        tool = f"{said}, recorded; this machine has {tool}"
    if recorded.get("claimpack_blocks", BLOCKS_VERSION) != BLOCKS_VERSION:
        tool += (f"; the text was written by claimpack's blocks version {recorded.get('claimpack_blocks')}, "
                 f"this claimpack writes version {BLOCKS_VERSION}")
    ours, theirs = package.paper_text.split("\n"), derived.split("\n")
    line = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    a = ours[line] if line < len(ours) else ""
    b = theirs[line] if line < len(theirs) else ""
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, at - 20)
    shown = a[start:at + 30] if line < len(ours) else "(end of text)"
    wanted = b[start:at + 30] if line < len(theirs) else "(end of text)"
    return [Problem(rel, line + 1, None, f"the text differs from what {tool} derives from {package.rel(original)}: "
                    f"{shown!r}", f"{wanted!r}; derive it again with claimpack init, or restore the original",
                    code="derivation")]


def _table(package: Package, name: str, problems: list[Problem]) -> Table | None:
    try:
        return package.table(name)
    except ClaimpackError as exc:
        problems.append(exc.problem)
        return None


def _anchor(ctx: _Context, table: Table, row: dict, number: int, problems: list[Problem],
            needle: str | None = None):
    """Locate the quote and check section, paragraph, footnote, source and locator. Return the location.

    `needle`: the quote already normalised, when the caller has it.
    """
    quote, section, paragraph = row.get("quote"), row.get("section"), row.get("paragraph")
    if not quote:
        return None
    if not (needle if needle is not None else normalize(quote)):
        problems.append(Problem(table.rel, number, "quote", f"quote {quote!r} is blank",
                                "text, not only white space", code="quote-blank"))
        return None
    found = ctx.paper.locate(needle, section, paragraph, normalized=True) if needle is not None else \
        ctx.paper.locate(quote, section, paragraph)
    if not found:
        problems.append(Problem(table.rel, number, "quote", "quote is not in the paper",
                                "a verbatim fragment of the paper (white space, escapes and quote marks "
                                "are normalised)", code="quote-not-found"))
        return None
    here = next((loc for loc in found if loc.block.section == section and loc.block.paragraph == paragraph), None)
    if here is None:
        where = found[0].block
        problems.append(Problem(table.rel, number, "section" if where.section != section else "paragraph",
                                f"quote stands in section {where.section!r}, paragraph {where.paragraph}",
                                f"the recorded place: section {section!r}, paragraph {paragraph}",
                                code="quote-misplaced"))
        here = found[0]
    _footnote(ctx, table, row, number, here, problems)
    return here


def _footnote(ctx: _Context, table: Table, row: dict, number: int, location, problems: list[Problem]) -> None:
    """The record's footnote is a marker of its quote's sentence (or, as records were first made, the first
    marker after the quote); its source is a work that note cites, or one its sentence cites in the text."""
    footnote, source = row.get("footnote"), row.get("source_id")
    block = location.block
    first, last = block.sentence_around(location.start, location.end)
    own = [note for note, at in block.markers if first < at <= last]
    # a marker the quote itself carries (within it, or after its closing marks) backs it for certain
    closing = re.match(r"[.!?…;,:\"')\]]*", block.norm[location.end:location.end + 8])
    carried = [note for note, at in block.markers if location.start <= at <= location.end + closing.end()]
    marker = block.marker_after(location.start)
    if block.kind == "note":  # a figure written in a note: that note backs it
        own, carried, marker = [block.note], [block.note], block.note
    if (footnote is None and carried) or (footnote is not None and footnote not in own and footnote != marker):
        if footnote is None:
            message = f"footnote is empty but the quote carries footnote {carried[0]}"
            own = carried
        elif marker is not None and (not own or marker in own):
            message = f"the first footnote marker after this quote is {marker}, not {footnote}"
        elif own:
            message = f"the quote's sentence carries footnote {' and '.join(map(str, own))}, not {footnote}"
        else:
            message = f"the paper gives no footnote marker in or after this quote, not {footnote}"
        wanted = own[0] if own else marker
        problems.append(Problem(table.rel, number, "footnote", message,
                                f"footnote {wanted}" if wanted is not None else "no footnote",
                                code="footnote-mismatch"))
        return
    in_text = {work for cite in ctx.in_text.find(block.norm, first, last) for work, _ in cite.works} \
        if source and source != ctx.own else set()
    if footnote is None:
        if source and ctx.own and source != ctx.own and source not in in_text and own:
            problems.append(Problem(table.rel, number, "footnote", f"footnote is empty but the quote's sentence "
                                    f"carries footnote {own[0]}, and the record cites {source!r}",
                                    f"footnote {own[0]}", code="footnote-mismatch"))
        elif source and ctx.own and source != ctx.own and source not in in_text:
            problems.append(Problem(table.rel, number, "source_id",
                                    f"no footnote or citation in its sentence backs this record, so it cannot "
                                    f"cite {source!r}", f"{ctx.own} (the paper itself) when nothing backs it",
                                    code="source-without-footnote"))
        return
    if source in in_text:
        return  # the work the sentence cites ([3], (Smith 2020), [@key]), its note being of another kind
    if footnote not in ctx.paper.footnotes:
        problems.append(Problem(table.rel, number, "footnote", f"the paper has no footnote {footnote}",
                                "a footnote number printed in the paper", code="footnote-missing"))
        return
    if source and ctx.own and _kind_and_source(ctx, table, row, number, problems):
        return
    if row.get("kind") == "own" and source == ctx.own:
        return  # the author's own count stands before the footnote, which backs something else
    works = ctx.cited.get(footnote, {})
    if source and source not in works:
        cites = ", ".join(sorted(works)) or "nothing in citations.csv"
        problems.append(Problem(table.rel, number, "source_id", f"footnote {footnote} cites {cites}, not {source}",
                                "a work the footnote cites", code="source-not-cited"))
        return
    locators = works.get(source, [])
    locator = row.get("locator") or ""
    if source and locators and locator not in locators:
        problems.append(Problem(table.rel, number, "locator",
                                f"footnote {footnote} cites {source} at {' / '.join(repr(x) for x in locators)}, "
                                f"not {locator!r}", f"the footnote's locator {locators[0]!r}",
                                code="locator-mismatch"))


def _kind_and_source(ctx: _Context, table: Table, row: dict, number: int, problems: list[Problem]) -> bool:
    """The author's own figure cites the paper itself; a reported one the work it is taken from."""
    kind, source = row.get("kind"), row.get("source_id")
    if kind == "own" and source != ctx.own:
        problems.append(Problem(table.rel, number, "source_id", f"source_id {source!r} is not the paper itself for "
                                "kind own", f"the paper's own source id, {ctx.own}", code="own-source"))
        return True
    if kind == "reported" and source == ctx.own:
        problems.append(Problem(table.rel, number, "source_id", f"source_id {source!r} is the paper itself for kind "
                                "reported", "the cited work the figure is taken from", code="reported-source"))
        return True
    return False


def _claim(ctx: _Context, table: Table, row: dict, number: int, problems: list[Problem]) -> None:
    figure, quote = row.get("figure"), row.get("quote")
    norm_quote = normalize(quote) if quote else None
    location = _anchor(ctx, table, row, number, problems, norm_quote)
    if not figure or not quote:
        return
    norm_figure = normalize(figure)
    at = norm_quote.find(norm_figure)
    if at < 0:
        problems.append(Problem(table.rel, number, "figure", f"figure '{figure}' is not in its quote",
                                "the figure exactly as printed inside the quote", code="figure-not-in-quote"))
        return
    try:
        parsed = ctx.parse(figure, row.get("language") or ctx.package.vocabulary.language)
    except FigureError as exc:
        problems.append(Problem(table.rel, number, "figure", f"cannot read the figure: {exc}",
                                "a figure such as '$2.3 billion', '43,000', '88%' or 'two dollars'",
                                code="figure-unreadable"))
        return
    value = row.get("value")
    factor, stated_unit = 1.0, None
    if location is not None and location.block.kind == "table-row":  # "(dollars in millions)" (claimpack.text.tables)
        stated = ctx.tables.scale_at(location.block, location.start + at, location.block.norm)
        factor, stated_unit = stated.factor, stated.unit
    if factor != 1.0 and value is not None and not _same(value, parsed.value) and \
            _same(value, parsed.value * factor):
        parsed = replace(parsed, **{name: None if getattr(parsed, name) is None else
                                                getattr(parsed, name) * factor for name in ("value", "low", "high")})
    if value is not None and not _same(value, parsed.value):
        problems.append(Problem(table.rel, number, "value", f"value {_fmt(value)} disagrees with figure '{figure}'",
                                f"{_fmt(parsed.value)}", code="value-mismatch"))
    # the qualifier: in the figure itself, or in the words just before it
    qualifier = parsed.qualifier if parsed.qualifier != "exact" else None
    if qualifier is None and location is not None:
        block_at = location.start + at
        qualifier = ctx.figures.qualifier_before(location.block.norm[max(0, block_at - 40):block_at])
    if qualifier is None and location is None:
        return  # the words before the figure are unknown until the quote is found
    qualifier = qualifier or "exact"
    recorded = row.get("qualifier")
    if recorded and recorded != qualifier:
        problems.append(Problem(table.rel, number, "qualifier",
                                f"qualifier {recorded!r} disagrees with the text, which reads {qualifier!r}",
                                qualifier, code="qualifier-mismatch"))
    low = parsed.low if parsed.qualifier == "between" else (value if qualifier in ("more-than", "over", "at-least")
                                                            else None)
    high = parsed.high if parsed.qualifier == "between" else (value if qualifier in ("less-than", "up-to")
                                                              else None)
    for name, expected in (("value_min", low), ("value_max", high)):
        if not _same(row.get(name), expected):
            problems.append(Problem(table.rel, number, name,
                                    f"{name} {_fmt(row.get(name))} does not fit qualifier {qualifier!r}",
                                    _fmt(expected), code="bound-mismatch"))
    unit = row.get("unit")
    expected_unit = unit_of(parsed)
    # a unit may refine the figure's own: "percent-change" for "-1.8%", "USD-2015" for "$236 million"
    if unit and expected_unit and unit != expected_unit and not unit.startswith(expected_unit + "-"):
        problems.append(Problem(table.rel, number, "unit", f"unit {unit!r} disagrees with figure '{figure}'",
                                expected_unit, code="unit-mismatch"))
    if unit and (unit == "rank" or unit in RATE_UNITS.values()) and expected_unit is None and unit != stated_unit:
        problems.append(Problem(table.rel, number, "unit", f"unit {unit!r} but the figure '{figure}' does not say so",
                                "a figure printed as a percent, rate or rank", code="unit-mismatch"))


def _event(ctx: _Context, table: Table, row: dict, number: int, problems: list[Problem]) -> None:
    _anchor(ctx, table, row, number, problems)
    date, quote = row.get("date"), row.get("quote")
    if not date or not quote:
        return
    if row.get("offset") or row.get("anchor"):
        _relative_date(ctx, table, row, number, problems)
        return
    precision, year_number = row.get("date_precision"), year_of(date)
    if precision in PRECISION_YEARS and year_number is not None and first_year(year_number, precision) != year_number:
        problems.append(Problem(table.rel, number, "date", f"{date} is not the first year of a {precision}",
                                f"{first_year(year_number, precision)}, the {precision}'s first year",
                                code="date-precision-mismatch"))
        return
    if precision == "century" and year_number is not None:
        century = century_of(year_number)
        if century not in _numbers_in(ctx, normalize(quote), ordinals=True):
            word = ctx.package.vocabulary.ordinal_of(century)
            named = f"the {word} century" if word else f"century {century}"
            problems.append(Problem(table.rel, number, "date", f"the quote does not name {named} "
                                    f"({date} at precision century)", "a quote that names the century "
                                    "('the twentieth century', 'the 21st century')", code="date-not-in-quote"))
        return
    tokens = {m.group() for m in NUMBER.finditer(normalize(quote))}
    year = date[:4]
    if not any(token.startswith(year) for token in tokens):
        problems.append(Problem(table.rel, number, "date", f"year {year} is not in the quote",
                                "a quote that states the event's date", code="date-not-in-quote"))


def _numbers_in(ctx: _Context, text: str, *, ordinals: bool = False) -> set[float]:
    """The numbers a text states in digits or words: cardinals and spans of years, or ordinals
    (compounds whole, as claimpack.text.counting reads them: "twenty-five", "twenty-first")."""
    vocabulary = ctx.package.vocabulary
    found: set[float] = set()
    for match in NUMBER.finditer(text):
        token = match.group()
        is_ordinal = token[-2:].lower() in ("st", "nd", "rd", "th")
        if is_ordinal == ordinals:
            found.add(float(token_value(token)))
    wanted = ORDINAL if ordinals else NUMBER_WORD
    found.update(c.value for c in vocabulary.counter.count(text) if c.kind == wanted and c.value is not None)
    if not ordinals:
        pattern = vocabulary.pattern(tuple(vocabulary.period_words))
        for match in pattern.finditer(text) if pattern else ():
            value = vocabulary.period_words.get(" ".join(match.group().lower().split()))
            if value is not None:
                found.add(float(value))
    return found


def _relative_date(ctx: _Context, table: Table, row: dict, number: int, problems: list[Problem]) -> None:
    """An event dated from another ("a decade later") or from the paper ("the last decade")."""
    offset, anchor, date = row.get("offset"), row.get("anchor"), row.get("date")
    years = offset_years(offset)
    if years is None:
        problems.append(Problem(table.rel, number, "offset",
                                f"offset {offset!r} is not a duration in years" if offset else
                                f"anchor {anchor!r} is given without an offset",
                                "an ISO 8601 duration in years from the anchor, such as P10Y or -P10Y",
                                code="offset-invalid"))
        return
    if anchor:
        base, what = ctx.event_years.get(anchor), f"{anchor}'s year"
        if base is None:
            return  # an unknown anchor is a foreign-key error, reported by frictionless
    else:
        base, what = ctx.paper_year, f"the paper's year ({ctx.own})"
        if base is None:
            problems.append(Problem(table.rel, number, "anchor", "no anchor, and the paper itself has no year",
                                    f"an anchor event, or an issued year for {ctx.own} in sources.csv",
                                    code="anchor-missing"))
            return
    precision = row.get("date_precision") or "year"
    expected = resolve(base, offset, precision)
    if year_of(date) != expected:
        problems.append(Problem(table.rel, number, "date",
                                f"{date} is not {what} {base} {'+' if years >= 0 else '-'} {abs(years)} years "
                                f"at precision {precision}", str(expected), code="date-offset-mismatch"))
    if abs(years) not in _numbers_in(ctx, normalize(row.get("quote") or "")):
        problems.append(Problem(table.rel, number, "offset",
                                f"the quote does not state an offset of {abs(years)} years ({offset})",
                                "a quote that words the offset ('a decade later', 'ten years after')",
                                code="offset-not-in-quote"))


def _defects(ctx: _Context, table: Table, problems: list[Problem]) -> None:
    """Each defect names records of the package and footnotes of the paper."""
    package = ctx.package
    known: set[str] = set()
    for name in ("claims", "events"):
        if package.has(name):
            known.update(key for key in package.table(name).column("id") if key)
    for row, number in table.select("records", "footnotes"):
        for record in split_list(row.get("records")):
            if record not in known:
                problems.append(Problem(table.rel, number, "records", f"{record!r} is neither a claim nor an event",
                                        "ids of claims.csv or events.csv, separated by '; '", code="defect-record"))
        for footnote in split_list(row.get("footnotes")):
            if not footnote.isdigit() or int(footnote) not in ctx.paper.footnotes:
                problems.append(Problem(table.rel, number, "footnotes", f"the paper has no footnote {footnote}",
                                        "footnote numbers printed in the paper, separated by '; '",
                                        code="defect-footnote"))


def _footnotes(ctx: _Context, table: Table, problems: list[Problem]) -> None:
    seen = set()
    for row, number in table.select("number", "text", "section"):
        note = row.get("number")
        if note is None:
            continue
        seen.add(note)
        printed = ctx.paper.footnotes.get(note)
        if printed is None:
            problems.append(Problem(table.rel, number, "number", f"the paper has no footnote {note}",
                                    "a footnote number printed in the paper", code="footnote-missing"))
            continue
        text = row.get("text") or ""
        if normalize(text) != normalize(printed.text):
            a, b = normalize(text), normalize(printed.text)
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            problems.append(Problem(table.rel, number, "text",
                                    f"text differs from footnote {note} as printed from character {at + 1}: "
                                    f"{a[at:at + 30]!r}", f"{b[at:at + 30]!r}", code="footnote-text"))
        if row.get("section") and printed.section and row["section"] != printed.section:
            problems.append(Problem(table.rel, number, "section",
                                    f"section {row['section']!r} is not where footnote {note}'s marker stands",
                                    printed.section, code="footnote-section"))
    for missing in sorted(set(ctx.paper.footnotes) - seen):
        problems.append(Problem(table.rel, None, "number", f"footnote {missing} of the paper has no row",
                                "one row per footnote", code="footnote-unrecorded"))


def _citations(ctx: _Context, table: Table, problems: list[Problem]) -> None:
    texts = {row.get("number"): normalize(row.get("text") or "")
             for row, _ in ctx.package.table("footnotes").select("number", "text")} \
        if ctx.package.has("footnotes") else {}
    covered = set()
    for row, number in table.select("footnote", "cited_as", "ibid", "ibid_of", "source_id"):
        footnote, cited_as = row.get("footnote"), row.get("cited_as")
        covered.add(footnote)
        text = texts.get(footnote)
        if text is not None and cited_as and normalize(cited_as) not in text:
            problems.append(Problem(table.rel, number, "cited_as", f"not in the text of footnote {footnote}",
                                    "the footnote's own words", code="cited-as-not-in-footnote"))
        is_ibid = bool(cited_as) and "ibid" in cited_as.lower()
        if row.get("ibid") is not None and row.get("ibid") != is_ibid:
            problems.append(Problem(table.rel, number, "ibid",
                                    f"ibid is {str(row.get('ibid')).lower()} but the citation "
                                    f"{'says' if is_ibid else 'does not say'} Ibid.",
                                    str(is_ibid).lower(), code="ibid-flag"))
        if row.get("ibid") is False and row.get("ibid_of") is not None:
            problems.append(Problem(table.rel, number, "ibid_of",
                                    f"ibid_of is {row['ibid_of']} but the citation is not an Ibid.", "empty",
                                    code="ibid-of-without-ibid"))
        if row.get("ibid"):
            target = row.get("ibid_of")
            if target is None:
                problems.append(Problem(table.rel, number, "ibid_of", "an Ibid. must name the footnote it repeats",
                                        f"a footnote number before {footnote}", code="ibid-unresolved"))
            elif footnote is not None and target >= footnote:
                problems.append(Problem(table.rel, number, "ibid_of",
                                        f"Ibid. in footnote {footnote} cannot repeat footnote {target}",
                                        f"a footnote before {footnote}", code="ibid-forward"))
            elif row.get("source_id") and row["source_id"] not in ctx.cited.get(target, {}):
                problems.append(Problem(table.rel, number, "source_id",
                                        f"footnote {target} (repeated by this Ibid.) does not cite "
                                        f"{row['source_id']}", "the work of the footnote it repeats",
                                        code="ibid-wrong-source"))
    for missing in sorted(set(texts) - covered - {None}):
        problems.append(Problem(table.rel, None, "footnote", f"footnote {missing} has no citation row",
                                "one row per cited work of every footnote", code="citation-unrecorded"))


def _sources(ctx: _Context, table: Table, problems: list[Problem]) -> None:
    entries = {normalize(b.text): b for b in ctx.paper.blocks if b.kind == "bibliography-entry"}
    listed = set()
    for row, number in table.select("bibliography_entry", "in_bibliography"):
        entry = row.get("bibliography_entry")
        if entry:
            key = normalize(entry)
            if key not in entries:
                problems.append(Problem(table.rel, number, "bibliography_entry",
                                        "not an entry of the paper's bibliography as printed",
                                        "the entry exactly as printed", code="bibliography-entry"))
            listed.add(key)
        if row.get("in_bibliography") is not None and bool(entry) != row["in_bibliography"]:
            problems.append(Problem(table.rel, number, "in_bibliography",
                                    f"in_bibliography is {str(row['in_bibliography']).lower()} but "
                                    f"bibliography_entry is {'set' if entry else 'empty'}",
                                    str(bool(entry)).lower(), code="in-bibliography"))
    for key, block in entries.items():
        if key not in listed:
            problems.append(Problem(table.rel, None, "bibliography_entry",
                                    f"bibliography entry at line {block.line} has no row: {block.text[:60]!r}",
                                    "one row per bibliography entry", code="bibliography-unrecorded"))
