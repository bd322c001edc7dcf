"""Layer 5: no number in the paper is left unrecorded.

Every number of the front matter and body (and of the notes, where the descriptor's `claimpack.notes`
is "counted", as init writes it; never the bibliography), as
`claimpack.text.counting` defines them (digits; number words of any value; ordinals and rank words;
multiplicative words and fractions; number-like words; Roman numerals), must be accounted for,
occurrence by occurrence:
- it lies inside a claim's figure, where that claim's quote stands; or
- it is a claim's period_start/period_end year inside that claim's quote; or
- it is a part (year, month, day) of an event's date or end_date inside that event's quote, or
  the words of its century ("the twentieth century", precision century), its decade ("the decade
  mentioned above", precision decade) or its offset ("a decade later", offset P10Y); or
- it is the `number` of a row of the exclusions file whose `context` surrounds it, with a reason
  (a word is excluded as the word itself: `one,the one and only,...`; a Roman numeral in
  capitals: `II,World War II,...`).

A paragraph whose text is doubtful (letters run together for want of word gaps, or glyphs mapped
to no character: `claimpack.text.derivation.doubtful`) is an error of its own: the numbers inside
such a run cannot be told apart, so coverage fails closed rather than count them as none.

Messages name the number, its kind (number, number word, ordinal, rank word, multiplicative word,
fraction, number-like word, Roman numeral), its section, paragraph and line. The words are
claimpack.model.vocabulary's English defaults unless the descriptor's `claimpack` section names its
own ("" turns a list off).
"""

from __future__ import annotations

import bisect
import csv
import heapq
import io
import itertools
import re
import time
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...model.dates import PRECISION_YEARS, century_of, offset_years, year_of
from ...model.package import Package
from ...model.paths import read_text, safe_path
from ...model.vocabulary import Vocabulary
from ...system.problems import ClaimpackError, Problem
from ...text.counting import ROMAN, Counted, Counter, key_of
from ...text.derivation import doubtful
from ...text.paper import Block, Paper, normalize

EXCLUSION_FIELDS = ("number", "context", "reason")
_NONE = object()


def counter(package: Package) -> Counter:
    """What counts as a number in this package's paper (its vocabulary's claimpack.text.counting.Counter)."""
    return package.vocabulary.counter


def by_value(value: float | int) -> str:
    """How an allowed set names a number written in words by its value: "=21" for "twenty-first"."""
    return f"={int(value)}" if float(value).is_integer() else f"={float(value)!r}"


@dataclass
class Exclusion:
    number: str
    context: str
    reason: str
    row: int
    used: int = 0


@dataclass
class _Spans:
    """What covers the numbers of one block, kept compact (a million claims have a span each)."""

    figure_at: array = field(default_factory=lambda: array("q"))  # start, end, start, end, ...
    allowed_at: array = field(default_factory=lambda: array("q"))
    allowed_values: list[Collection[str]] = field(default_factory=list)  # the numbers each span allows
    allowed_by: list[object] = field(default_factory=list)  # its exclusion, or None

    def add_figure(self, start: int, end: int) -> None:
        self.figure_at.extend((start, end))

    def add_allowed(self, start: int, end: int, values: Collection[str], exclusion: object = None) -> None:
        """A date, period or exclusion: the numbers `values` may stand in [start, end)."""
        self.allowed_at.extend((start, end))
        self.allowed_values.append(values)
        self.allowed_by.append(exclusion)

    @property
    def figures(self) -> list[tuple[int, int]]:
        at = self.figure_at
        return list(zip(at[::2], at[1::2]))

    @property
    def allowed(self) -> list[tuple[int, int, Collection[str], object]]:
        at = self.allowed_at
        return list(zip(at[::2], at[1::2], self.allowed_values, self.allowed_by))


class _Cover:
    """Which allowed span covers a number, for numbers met in order of position: each span is taken up
    once, under each value it allows, and dropped once the numbers have passed it, so a block of
    twenty thousand numbers and as many spans costs a look-up each, not a scan (issue 22). The answer
    is the span added first among those that cover the number: by its key, or by its value in words
    when the span is no exclusion (an exclusion names the word itself)."""

    def __init__(self, spans: list[tuple[int, int, Collection[str], object]]):
        self.spans = sorted(((a, b, order, values, source) for order, (a, b, values, source) in enumerate(spans)),
                            key=lambda span: span[0])
        self.restart()

    def restart(self) -> None:
        self.taken, self.last = 0, -1
        self.any: dict[str, list[tuple[int, int, object]]] = {}  # value -> (order, end, source) of every span
        self.plain: dict[str, list[tuple[int, int, object]]] = {}  # the same, of the spans no exclusion made

    def source(self, start: int, end: int, key: str, worded: str | None = None) -> object:
        """The first-added span holding [start, end) that allows key (or worded, when no exclusion made it):
        its exclusion, or None; _NONE when there is none. Numbers come in order and do not overlap; one
        that starts before the last one ended starts a new pass."""
        if start < self.last:
            self.restart()
        self.last = end
        while self.taken < len(self.spans) and self.spans[self.taken][0] <= start:
            _a, b, order, values, source = self.spans[self.taken]
            for allowed in values:
                heapq.heappush(self.any.setdefault(allowed, []), (order, b, source))
                if not isinstance(source, Exclusion):
                    heapq.heappush(self.plain.setdefault(allowed, []), (order, b, source))
            self.taken += 1
        found = [self._first(self.any, key, end)]
        if worded is not None:
            found.append(self._first(self.plain, worded, end))
        found = [entry for entry in found if entry is not None]
        return min(found, key=lambda entry: entry[0])[2] if found else _NONE

    @staticmethod
    def _first(heaps: dict, value: str, end: int) -> tuple[int, int, object] | None:
        waiting = heaps.get(value)
        while waiting and waiting[0][1] < end:
            heapq.heappop(waiting)  # it ends before this number, and so before every later one
        return waiting[0] if waiting else None


def read_exclusions(package: Package) -> tuple[list[Exclusion], list[Problem]]:
    rel = package.config.get("exclusions")
    if not rel:
        return [], []
    try:
        path: Path = safe_path(package.root, rel, "datapackage.json", "claimpack.exclusions")
    except ClaimpackError as exc:
        return [], [exc.problem]
    if not path.exists():
        return [], []
    problems, exclusions = [], []
    try:
        text = read_text(path, rel, "a UTF-8 CSV with number,context,reason")
    except ClaimpackError as exc:
        return [], [replace(exc.problem, layer="coverage", code="exclusions-unreadable")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        if [h.strip() for h in header] != list(EXCLUSION_FIELDS):
            return [], [Problem(rel, 1, None, f"header is {','.join(header)!r}", ",".join(EXCLUSION_FIELDS),
                                layer="coverage", code="exclusions-header")]
        for index, cells in enumerate(reader, start=2):
            if not cells:
                continue
            if len(cells) != 3:
                problems.append(Problem(rel, index, None, f"row has {len(cells)} cells", "3 cells",
                                        layer="coverage", code="exclusions-row"))
                continue
            number, context, reason = (c.strip() for c in cells)
            for name, value in zip(EXCLUSION_FIELDS, (number, context, reason)):
                if not value:
                    problems.append(Problem(rel, index, name, f"{name} is empty", f"a {name}",
                                            layer="coverage", code="exclusions-empty"))
            normalized = normalize(context)
            tokens = {key for c in counter(package).count(normalized)
                      for key in (c.key, normalized[c.start:c.end])}
            if number and context and number not in tokens and key_of(number) not in tokens and \
                    not _stands_in(number, normalized):
                problems.append(Problem(rel, index, "context", f"context {context!r} does not contain {number!r}",
                                        "a context around the excluded number", layer="coverage",
                                        code="exclusions-context"))
                continue
            if number and context and reason:
                exclusions.append(Exclusion(number, normalize(context), reason, index))
    except csv.Error as exc:
        return [], [Problem(rel, reader.line_num, None, f"malformed CSV: {exc}", "a CSV with number,context,reason",
                            layer="coverage", code="exclusions-unreadable")]
    return exclusions, problems


def _stands_in(number: str, context: str) -> bool:
    """A number written as a whole word of its context (a Roman numeral cut from the words that make it one)."""
    return bool(re.search(rf"(?<![\w-]){re.escape(normalize(number))}(?![\w])", context))


def event_numbers(vocabulary: Vocabulary, row: dict) -> frozenset[str]:
    """The numbers an event's quote may state: its dates' parts, and the words of its century or offset.

    "the twentieth century" (precision century), "the decade mentioned above" (precision decade)
    and "a decade later" (offset P10Y) are the event's date, written in words. A number in words
    is allowed by its value (`by_value`), so "the twenty-first century" is as good as "the 21st".
    """
    parts = set()
    for date in (row.get("date"), row.get("end_date")):
        if date:
            parts.update(part.lstrip("0") or "0" for part in date.split("-"))
    spans = []
    precision, year = row.get("date_precision"), year_of(row.get("date"))
    if precision == "century" and year is not None:
        century = century_of(year)
        parts.update((str(century), by_value(century)))
    if precision in PRECISION_YEARS:
        spans.append(PRECISION_YEARS[precision])
    years = offset_years(row.get("offset"))
    if years is not None:
        years = abs(years)
        spans.append(years)
        parts.update((str(years), by_value(years)))
    parts.update(word for word, value in vocabulary.period_words.items() if value in spans)
    return frozenset(parts)


def spans(package: Package, paper: Paper, exclusions: list[Exclusion]) -> dict[int, _Spans]:
    """What each block's numbers may be covered by, keyed by id(block)."""
    found: dict[int, _Spans] = defaultdict(_Spans)
    if package.has("claims"):
        table = package.table("claims")
        claims = zip(*(table.column(name) for name in ("quote", "figure", "section", "paragraph", "period_start",
                                                        "period_end")))
    else:
        claims = iter(())
    years: dict = {}
    for quote, figure, section, paragraph, first, last in claims:
        if not quote or not figure:
            continue
        for location in paper.locate(quote, section, paragraph)[:1]:
            block_spans = found[id(location.block)]
            needle = normalize(figure)
            start = location.block.norm.find(needle, location.start, location.end)
            if start >= 0:
                block_spans.add_figure(start, start + len(needle))
            if first is not None or last is not None:
                # the years as text, one string per distinct year (a million claims share a few)
                periods = tuple(years[year] if year in years else years.setdefault(year, str(year))
                                for year in (first, last) if year is not None)
                block_spans.add_allowed(location.start, location.end, periods)
    events = package.table("events").select("quote", "section", "paragraph", "date", "end_date", "date_precision",
                                            "offset") if package.has("events") else ()
    for row, _ in events:
        if not row.get("quote"):
            continue
        for location in paper.locate(row["quote"], row.get("section"), row.get("paragraph"))[:1]:
            parts = event_numbers(package.vocabulary, row)
            found[id(location.block)].add_allowed(location.start, location.end, parts)
    searched: set[tuple[str, str]] = set()
    for exclusion in exclusions:
        # a second exclusion of the same number in the same words finds the same places, where the first
        # (added first) always answers: it covers nothing, and is reported unused. Not searched again, so
        # repeated text ("§1 §1 §1 ...") costs a search per distinct exclusion, not one per row.
        if (key_of(exclusion.number), exclusion.context) in searched:
            continue
        searched.add((key_of(exclusion.number), exclusion.context))
        for location in paper.search(exclusion.context):
            found[id(location.block)].add_allowed(location.start, location.end,
                                                  frozenset({key_of(exclusion.number)}), exclusion)
    return found


def numbers_in(block: Block, numbers: Counter) -> list[Counted]:
    """Every number coverage counts in a block, in `block.norm` (see claimpack.text.counting)."""
    return numbers.count(block.norm)


@dataclass
class Tally:
    """How many numbers a scan saw: all of them, those written as words, and the Roman numerals."""

    numbers: int = 0
    words: int = 0
    numerals: int = 0


def unrecorded(package: Package, paper: Paper, exclusions: list[Exclusion],
               tally: Tally | None = None) -> Iterator[tuple[Block, Counted]]:
    """Every number of the paper's text no record covers: (block, the number as counted).

    Counts each number seen in `tally`, and each use of an exclusion in the exclusion.
    """
    covered = spans(package, paper, exclusions)
    tally = tally if tally is not None else Tally()
    numbers = counter(package)
    for block in paper.text_blocks():
        block_spans = covered.get(id(block))
        # figure spans by start, with the furthest end reached so far: a number [start, end) lies
        # inside some figure when the figures starting at or before it reach `end`
        figures = sorted(block_spans.figures) if block_spans else []
        cover = _Cover(block_spans.allowed) if block_spans and block_spans.allowed_values else None
        starts = [a for a, _ in figures]
        reach = list(itertools.accumulate((b for _, b in figures), max))
        for number in numbers_in(block, numbers):
            start, end, key = number.start, number.end, number.key
            tally.numbers += 1
            tally.numerals += number.kind == ROMAN
            tally.words += number.is_word and number.kind != ROMAN
            at = bisect.bisect_right(starts, start) - 1
            if at >= 0 and reach[at] >= end:
                continue
            if cover is not None:
                # a word may be allowed by its value too ("twenty-first" for the 21st century), but an
                # exclusion names the word itself
                worded = by_value(number.value) if number.is_word and number.value is not None else None
                hit = cover.source(start, end, key, worded)
                if hit is not _NONE:  # a period, a date or an exclusion covers it
                    if isinstance(hit, Exclusion):
                        hit.used += 1
                    continue
            yield block, number


def check(package: Package) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    try:
        paper = package.paper
        exclusions, problems = read_exclusions(package)
        if any(p.code in ("exclusions-unreadable", "exclusions-header") for p in problems):
            return problems, {"errors": len(problems)}  # every number would look unrecorded: say why once
        tally = Tally()
        missing = list(unrecorded(package, paper, exclusions, tally))
        rel = package.rel(package.config["paper"])
    except ClaimpackError as exc:
        return [exc.problem], {"errors": 1}
    numbers, worded, numerals = tally.numbers, tally.words, tally.numerals
    for block in paper.text_blocks():  # numbers inside words run together are not seen: fail closed
        why = doubtful(block.norm)
        if why is not None:
            where = "the front matter" if block.section == "front matter" else f"section {block.section!r}"
            problems.append(Problem(rel, paper.line_of(block, 0), None,
                                    f"the text of {where}, paragraph {block.paragraph} is doubtful: {why}",
                                    "a text that reads as printed, so that its numbers can be counted: derive it "
                                    "again from a file whose text spaces its words and maps its glyphs",
                                    layer="coverage", code="text-doubtful"))
    for block, number in missing:
        norm, start, end = block.norm, number.start, number.end
        around = norm[max(0, start - 30):end + 30]
        where = "the front matter" if block.section == "front matter" else f"section {block.section!r}"
        problems.append(Problem(rel, paper.line_of(block, start), None,
                                f"{number.kind} {norm[start:end]!r} "
                                f"in {where}, paragraph {block.paragraph} "
                                f"has no record: \"…{around}…\"",
                                "a claim or event that records it, or a row in "
                                f"{package.config.get('exclusions')} with a reason",
                                layer="coverage", code="number-unrecorded"))
    for exclusion in exclusions:
        if exclusion.used == 0:
            problems.append(Problem(package.config["exclusions"], exclusion.row, "context",
                                    f"exclusion of {exclusion.number!r} in {exclusion.context!r} matches no "
                                    "uncovered number of the paper", "a context still in the paper; "
                                    "delete the row if the number is recorded elsewhere",
                                    layer="coverage", code="exclusion-unused"))
    return problems, {"errors": sum(p.severity == "error" for p in problems), "numbers": numbers,
                      "digits": numbers - worded - numerals, "words": worded, "numerals": numerals,
                      "exclusions": len(exclusions),
                      "seconds": round(time.perf_counter() - started, 3)}
