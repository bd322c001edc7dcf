"""Layer 5: no number in the paper is left unrecorded.

Every number written in digits, every number word ("three countries", "more than thirty"), every
ordinal ("the fourth conference", "twentieth") and every number-like word ("both delegations",
"the only member", "a decade later", "half"), in the front matter and body (not the footnotes or
the bibliography), must be accounted for, occurrence by occurrence:
- it lies inside a claim's figure, where that claim's quote stands; or
- it is a claim's period_start/period_end year inside that claim's quote; or
- it is a part (year, month, day) of an event's date or end_date inside that event's quote, or
  the words of its century ("the twentieth century", precision century), its decade ("the decade
  mentioned above", precision decade) or its offset ("a decade later", offset P10Y); or
- it is the `number` of a row of the exclusions file whose `context` surrounds it, with a reason
  (a word is excluded as the word itself: `one,the one and only,...`).

A paragraph whose text is doubtful (letters run together for want of word gaps, or glyphs mapped
to no character: `claimpack.text.derivation.doubtful`) is an error of its own: the numbers inside
such a run cannot be told apart, so coverage fails closed rather than count them as none.

A scale or span word right after a number is part of it ("236 million", "three decades", "the
21st century"), and a letter an editor bracketed in a quotation hides nothing ("[o]nly").
Messages name the word, its kind (number, number word, ordinal, number-like word), its section,
paragraph and line. The words are claimpack.model.vocabulary's English defaults unless the descriptor's
`claimpack` section names its own (`number_words`, `ordinal_words`, `number_like_words`,
`period_words`; "" turns a list off).
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
from ...text.derivation import doubtful
from ...text.paper import NUMBER, Block, Paper, normalize

EXCLUSION_FIELDS = ("number", "context", "reason")
_NONE = object()
_EDITORIAL = re.compile(r"[\[\]]")
_SPACES = re.compile(r"\s+")
_AFTER_DIGITS = re.compile(r"\d(?:st|nd|rd|th|s)? \Z")


def number_words(package: Package) -> re.Pattern | None:
    """The package's counting words as one pattern (whole words, any case, "[o]nly" too), or None."""
    return package.vocabulary.pattern(editorial=True)


def number_value(token: str) -> str:
    """What an occurrence is compared by: a digit token's digits, a word in lower case without brackets."""
    if token[:1].isdigit():
        return token_value(token)
    return _SPACES.sub(" ", _EDITORIAL.sub("", token).lower())


def word_kind(vocabulary: Vocabulary, word: str) -> str:
    """How a message names a counting word: number word, ordinal or number-like word."""
    if word in vocabulary.ordinal_words:
        return "ordinal"
    if word in vocabulary.number_words or word in vocabulary.scale_words:
        return "number word"
    return "number-like word"


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
    once, under each number it allows, and dropped once the numbers have passed it, so a block of
    twenty thousand numbers and as many spans costs a look-up each, not a scan. The answer is the
    span added first among those that cover it (the exclusion that is counted as used)."""

    def __init__(self, spans: list[tuple[int, int, Collection[str], object]]):
        self.spans = sorted(((a, b, order, values, source) for order, (a, b, values, source) in enumerate(spans)),
                            key=lambda span: span[0])
        self.restart()

    def restart(self) -> None:
        self.taken, self.last = 0, -1
        self.open: dict[str, list[tuple[int, int, object]]] = {}

    def source(self, start: int, end: int, value: str) -> object:
        """The first-added span holding [start, end) that allows value (its exclusion, or None), or _NONE.
        Numbers come in order and do not overlap; one that starts before the last one ended starts a new pass."""
        if start < self.last:
            self.restart()
        self.last = end
        while self.taken < len(self.spans) and self.spans[self.taken][0] <= start:
            _a, b, order, values, source = self.spans[self.taken]
            for allowed in values:
                heapq.heappush(self.open.setdefault(allowed, []), (order, b, source))
            self.taken += 1
        waiting = self.open.get(value)
        while waiting and waiting[0][1] < end:
            heapq.heappop(waiting)  # it ends before this number, and so before every later one
        return waiting[0][2] if waiting else _NONE


def token_value(token: str) -> str:
    """The digits of a number token without separators, letters or leading zeros ("1980s" -> "1980")."""
    if token.isdecimal():  # digits only (as \d matches them): nothing to strip but leading zeros
        return token.lstrip("0") or "0"
    digits = _SUFFIX.sub("", token)
    digits = _NON_DIGIT.sub("", digits) if _GROUPED.fullmatch(digits) else digits
    return digits.lstrip("0") or "0"


_SUFFIX = re.compile(r"(?<=\d)[^\W\d_]+\Z")  # 21st, 1980s, £120m, 10km
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")
_NON_DIGIT = re.compile(r"[^0-9]")


def read_exclusions(package: Package, words: re.Pattern | None = None) -> tuple[list[Exclusion], list[Problem]]:
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
            tokens = {value for m in NUMBER.finditer(normalized) for value in (m.group(), token_value(m.group()))}
            tokens |= {number_value(m.group()) for m in words.finditer(normalized)} if words else set()
            if number and context and number not in tokens and number_value(number) not in tokens:
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


def event_numbers(vocabulary: Vocabulary, row: dict) -> frozenset[str]:
    """The numbers an event's quote may state: its dates' parts, and the words of its century or offset.

    "the twentieth century" (precision century), "the decade mentioned above" (precision decade)
    and "a decade later" (offset P10Y) are the event's date, written in words.
    """
    parts = set()
    for date in (row.get("date"), row.get("end_date")):
        if date:
            parts.update(part.lstrip("0") or "0" for part in date.split("-"))
    spans = []
    precision, year = row.get("date_precision"), year_of(row.get("date"))
    if precision == "century" and year is not None:
        century = century_of(year)
        parts.add(str(century))
        parts.update(word for word, value in vocabulary.ordinal_words.items() if value == century)
    if precision in PRECISION_YEARS:
        spans.append(PRECISION_YEARS[precision])
    years = offset_years(row.get("offset"))
    if years is not None:
        years = abs(years)
        spans.append(years)
        parts.add(str(years))
        parts.update(word for word, value in vocabulary.number_words.items() if value == years)
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
    for exclusion in exclusions:
        for location in paper.search(exclusion.context):
            found[id(location.block)].add_allowed(location.start, location.end,
                                                  frozenset({number_value(exclusion.number)}), exclusion)
    return found


def numbers_in(block: Block, words: re.Pattern | None,
               attached: Collection[str] = ()) -> Iterator[tuple[int, int, str, bool]]:
    """Every number coverage counts in a block, as (start, end, value, is_word) in `block.norm`.

    A scale word right after digits ("236 million") is part of that number, not a second one, and
    so is any word of `attached` (scales and spans of years) right after a number in digits or
    words ("three decades", "the 21st century").
    """
    norm = block.norm
    for match in NUMBER.finditer(norm):
        yield match.start(), match.end(), token_value(match.group()), False
    if words is not None:
        previous_end = -1
        for match in words.finditer(norm):
            start, end = match.span()
            value = number_value(match.group())
            after_word, previous_end = previous_end == start - 1, end
            if (value in attached and start >= 2 and norm[start - 1] == " "
                    and (after_word or _AFTER_DIGITS.search(norm, max(0, start - 8), start))):
                continue  # "236 million", "three decades": one number; "in 2018 twelve countries": two
            yield start, end, value, True


@dataclass
class Tally:
    """How many numbers a scan saw: all of them, and those written as words."""

    numbers: int = 0
    words: int = 0


def unrecorded(package: Package, paper: Paper, words: re.Pattern | None, exclusions: list[Exclusion],
               tally: Tally | None = None) -> Iterator[tuple[Block, int, int, bool]]:
    """Every number of the paper's text no record covers: (block, start, end, is_word).

    Counts each number seen in `tally`, and each use of an exclusion in the exclusion.
    """
    covered = spans(package, paper, exclusions)
    tally = tally if tally is not None else Tally()
    vocabulary = package.vocabulary
    attached = {w.lower() for w in (*vocabulary.scale_words, *vocabulary.period_words)}
    for block in paper.text_blocks():
        block_spans = covered.get(id(block))
        # figure spans by start, with the furthest end reached so far: a number [start, end) lies
        # inside some figure when the figures starting at or before it reach `end`
        figures = sorted(block_spans.figures) if block_spans else []
        cover = _Cover(block_spans.allowed) if block_spans and block_spans.allowed_values else None
        starts = [a for a, _ in figures]
        reach = list(itertools.accumulate((b for _, b in figures), max))
        for start, end, value, is_word in numbers_in(block, words, attached):
            tally.numbers += 1
            tally.words += is_word
            at = bisect.bisect_right(starts, start) - 1
            if at >= 0 and reach[at] >= end:
                continue
            if cover is not None:
                hit = cover.source(start, end, value)
                if hit is not _NONE:  # a period, a date or an exclusion covers it
                    if isinstance(hit, Exclusion):
                        hit.used += 1
                    continue
            yield block, start, end, is_word


def check(package: Package) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    try:
        paper = package.paper
        words = number_words(package)
        exclusions, problems = read_exclusions(package, words)
        if any(p.code in ("exclusions-unreadable", "exclusions-header") for p in problems):
            return problems, {"errors": len(problems)}  # every number would look unrecorded: say why once
        tally = Tally()
        missing = list(unrecorded(package, paper, words, exclusions, tally))
        rel = package.rel(package.config["paper"])
    except ClaimpackError as exc:
        return [exc.problem], {"errors": 1}
    numbers, worded = tally.numbers, tally.words
    for block in paper.text_blocks():  # numbers inside words run together are not seen: fail closed
        why = doubtful(block.norm)
        if why is not None:
            where = "the front matter" if block.section == "front matter" else f"section {block.section!r}"
            problems.append(Problem(rel, paper.line_of(block, 0), None,
                                    f"the text of {where}, paragraph {block.paragraph} is doubtful: {why}",
                                    "a text that reads as printed, so that its numbers can be counted: derive it "
                                    "again from a file whose text spaces its words and maps its glyphs",
                                    layer="coverage", code="text-doubtful"))
    for block, start, end, is_word in missing:
        norm = block.norm
        around = norm[max(0, start - 30):end + 30]
        where = "the front matter" if block.section == "front matter" else f"section {block.section!r}"
        kind = word_kind(package.vocabulary, number_value(norm[start:end])) if is_word else "number"
        problems.append(Problem(rel, paper.line_of(block, start), None,
                                f"{kind} {norm[start:end]!r} "
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
                      "digits": numbers - worded, "words": worded, "exclusions": len(exclusions),
                      "seconds": round(time.perf_counter() - started, 3)}
