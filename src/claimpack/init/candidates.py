"""Propose records for every number of a paper: candidate claims, candidate events, and exclusions.

Each number of the front matter and body (as `claimpack.validation.layers.coverage` counts them) becomes:
- a **claim** when it is a figure: the figure as printed (its currency, scale, percent sign,
  rate or measure words, a range written "between 50 and 75" or "60-75"), its value and bounds
  (`claimpack.model.numbers` with the package's vocabulary), the qualifier written before it, the
  sentence it stands in as quote, its section, paragraph and footnote, and the cited work and
  page that footnote gives; years in the same quote become its period;
- an **event** when it is a date: a year, a month and year, a day, month and year (a span
  "June 22 to July 15, 1826" has an end date) in a sentence that states no figure;
- an **exclusion** with its reason otherwise: numbers in headings, years and pages in
  citations, identifiers (MS-13, Article 51), ordinals, "one" as a pronoun, years of the front
  matter.

Every record is marked `candidate`: a person reviews it (and sets `reviewed`) before publishing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model.numbers import FigureError, FigureReader, hyphen_unit, plain_number, reader, unit_of
from ..model.placeholders import proposed_measure, proposed_note
from ..model.units import describe, read_unit
from ..model.vocabulary import Vocabulary, unit_range
from ..text import counting
from ..text.cites import Citations
from ..text.paper import FRONT_MATTER, NOTE_REF, Block, Paper, normalize
from ..text.sentences import spans as sentence_spans
from ..text.sentences import window
from ..text.tables import Tables
from .backing import Backing
from .events import NOTE_DATE, OWN_DATE, Events
from .names import CITATION, LETTERS, NUMBERED, RANK_SUFFIX, RANKED_AFTER, RANKED_BEFORE, REASONS, Names
from .quoting import SUPERSCRIPT_RUN as _SUPERSCRIPT_RUN
from .quoting import clean_quote, slug
from .word_numbers import WordNumbers

# A number in digits: grouped by narrow no-break spaces ("187 412", as claimpack.text.derivation keeps them), or
# with separators, perhaps with letters glued on: an ordinal or a decade ("21st", "1990s"), a scale
# ("£120m"), a unit ("10km"), or a name's ("4G").
_DIGITS = re.compile(r"(?<![\w.,\u202f])\d{1,3}(?:\u202f\d{3})+(?:\.\d+)?(?![\w])"
                     r"|(?<![\w.,])\d+(?:[.,]\d+)*(?:[^\W\d_]{1,3})?(?![\w])")
# A power of ten as a computer prints it: "1.065e-84", "3.2E5" (not "2e" of a name: digits must follow)
_E_NOTATION = re.compile(r"(?<![\w.,])\d+(?:\.\d+)?[eE][−+-]?\d{1,3}(?![\w.])"
                         r"|(?<![\w.,^×])10\s?\^\s?[−-]?\d{1,3}(?![\w.])")
# A unit's definition, "(1 metric ton = 10^6 g)", "1 kWh = 3.6 MJ": a conversion, not a figure of the paper
_DEFINITION = re.compile(r"(?<![\w.,])1\s+(?:[^\W\d_][\w/-]*\s+){0,2}?[^\W\d_][\w/-]*\s*=\s*[^=;,)]{1,40}")
_DECADE = re.compile(r"(?:1[5-9]\d|20\d|[1-9])0s|'\d0s")  # "1990s", "80s": a decade, not seconds
_SHORT_SCALE = re.compile(r"k|m|mn|bn|tn", re.I)  # and "b" after a currency sign: "$3b" (not "Smith 2019b")
_SIGNS = "+-−"
# Words before "X to Y" that make it a change ("rose from 14 to 9", "fell 5 to 3"), not a range
_CHANGE_WORDS = re.compile(r"\b(?:from|rose|risen|fell|fallen|increased|decreased|grew|grown|dropped|declined|"
                           r"went|changed|climbed|jumped|cut|reduced|raised|up|down)\b", re.I)
_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)s?")
_SPACED_SYMBOL = re.compile(r" ([^\W\d_][^\s,;:()]{0,19}?)[.,;:)]*(?=\s|\Z)")  # "7.6 GiB.", "12 gCO2eq/kWh,"
_NEXT_WORDS = re.compile(r" ([^\s,;:()]+(?: [^\s,;:()]+){0,2})")
_TITLE = re.compile(r"(?<![\w*])\*(?=[^\s*])[^*\n]*?\s[^*\n]*?[^\s*]\*(?![\w*])")  # "*A Title*", two words or more
_SUPERLATIVE = re.compile(r"\s+(?:most|least|[a-z]+est)\b", re.I)
_TIMES_TEN = re.compile(r"\s?[×x]\s?10(?:\s?\^\s?)?[−-]?\d{1,3}(?![\d.,]\d)")
# A page a note's citation gives: after a comma, "at" or "Ibid.", before the citation's end or the range's other end
_CITED_PAGE_BEFORE = re.compile(r"(?:,|\bat|\b[Ii]bid\.,?|\bId\.,?\s+at|\d\s*[-–])\s*\Z")  # "88–90": both ends
# A journal's volume in a note's citation: "*Journal of Water Policy* 12, no. 3"
_VOLUME_BEFORE_ISSUE = re.compile(r",?\s*(?:no|nos|iss|issue)\.?\s*\d", re.I)
_CITED_PAGE_AFTER = re.compile(r"\s*(?:[-–]\s*\d+\s*)?(?:[.;,)]|\Z)")
_POWER_AFTER = re.compile(r"\s?\^\s?[−-]?\d{1,2}(?![\d.,]\d)")
_GLUED_SIGN = re.compile(r"([°℃℉µμΩ][^\s,;:()]{0,9}?)[.,;:)]*(?=\s|\Z)")  # a unit sign glued on: "22°C"
_HYPHEN_WORD = re.compile(r"-([^\W\d_]+)(?![\w-])")
_HEADER_UNIT = re.compile(r"[(\[]([^()\[\]]{1,20})[)\]]\s*\Z")  # a column's unit: "Energy (J)", "Time [s]"
_TIMES_TEN = re.compile(r"\s?[×x]\s?10(?:\s?\^\s?)?[−-]?\d{1,3}(?![\d.,]\d)")
_MULTIPLE = re.compile(r"\s+(?:more|less|fewer|as|the|its|their|his|her|our|that|than|[a-z]+er)\b", re.I)
# How far around a number its reading looks (a currency sign, "between", a scale, a unit), and how long a
# sentence may be before it is cut at a comma or space: each number costs the same in a paragraph of
# twenty thousand, so proposing records is linear in the text's length
_NEAR = 200
SENTENCE_CHARS = 1000


@dataclass
class Candidate:
    """A proposed claim or event, or an exclusion, before it becomes a CSV row."""

    kind: str  # claim | event | exclusion
    block: Block
    start: int  # the number's position in the block's raw text (start of the figure)
    end: int
    row: dict = field(default_factory=dict)


@dataclass
class Proposal:
    claims: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    exclusions: list[dict] = field(default_factory=list)


_YEAR_THEN_NUMBER = re.compile(rf"(\((?:1[5-9]|20)\d\d[a-z]?\))\s*{NUMBERED}")


def _mask(text: str) -> str:
    """The raw text with footnote markers blanked (same length), so their digits are never numbers, and
    emphasis marks too ("16 *Federal* *Register* 12452" reads as the register it names)."""
    if "*" in text:
        text = text.replace("*", " ")
    text = NOTE_REF.sub(lambda m: " " * len(m.group()), text)
    return _SUPERSCRIPT_RUN.sub(lambda m: " " * len(m.group()), text)


def sentences(text: str, words: Vocabulary | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences of a raw text (claimpack.text.sentences), a very long one in pieces."""
    words = words if words is not None else Vocabulary()
    return [piece for span in sentence_spans(text, words.abbreviations, words.unit_symbols)
            for piece in _cut(text, *span)]


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence longer than SENTENCE_CHARS as pieces that are not (cut after a comma or semicolon, else at
    a space, else anywhere): a quote is a readable fragment, and no sentence costs the square of its length."""
    pieces = []
    while end - start > SENTENCE_CHARS:
        limit = start + SENTENCE_CHARS
        cut = max(text.rfind(", ", start + SENTENCE_CHARS // 2, limit), text.rfind("; ", start + SENTENCE_CHARS // 2,
                                                                                   limit))
        cut = cut + 1 if cut > 0 else text.rfind(" ", start + SENTENCE_CHARS // 2, limit)
        cut = cut if cut > start else limit
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    return [*pieces, (start, end)] if start < end else pieces


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether a position falls in one of spans (sorted, not overlapping), found by bisection."""
    index = bisect.bisect_right(spans, (position, len(spans) and spans[-1][1] + 1)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _cells(row: str) -> list[str]:
    """The cells of a table row as the derived text writes it: '| Town | Households |'."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]



_WORDS_ON = 16  # the steps a figure may go on by: its number words, a power of ten


class Proposer(WordNumbers, Events):
    """Classify every number of a paper and build its record."""

    def __init__(self, paper: Paper, words: Vocabulary, citations: dict[int, list[tuple[str, str]]],
                 own_source: str, number_words: re.Pattern | None, paper_year: int = 9999,
                 in_text: Citations | None = None, printed: dict[int, list[str]] | None = None,
                 paper_date: str = ""):
        self.paper = paper
        self.words = words
        self.figures: FigureReader = reader(words)
        self.citations = citations  # footnote -> [(source id, locator)]
        self.backing = Backing(citations, in_text, own_source, printed)  # a figure's note, source and page
        self.tables = Tables(paper)  # what each table's caption or column head says its cells count in
        self.own = own_source
        self.number_words = number_words
        self.scales = {word.lower() for word in self.words.scale_words}
        self.paper_year = paper_year
        self.paper_date = paper_date  # ISO 8601, as precise as init is sure of it; "" when unknown
        self.proposal = Proposal()
        self._excluded: set[tuple[str, str]] = set()  # (number, context) of every exclusion proposed
        self.headers: dict[int, list[str]] = {}
        self.ids: set[str] = set()
        self._next: dict[str, int] = {}
        self.ordinals = words.pattern(tuple(words.ordinal_words))
        self.like_words = words.pattern(tuple(words.number_like_words), editorial=True)
        self.vague = words.pattern(tuple(words.vague_counts))  # "millions of users", "dozens of towns"
        # words that count without a number ("both", "the only", "the single"): those with a value
        self.counting = words.pattern(tuple(w for w, v in words.number_like_words.items()
                                            if v in (1, 2) or (v is not None and 0 < v < 1)), editorial=True)
        numerators = "|".join(sorted(map(re.escape, ["a", *(w for w, v in words.number_words.items()
                                                          if v is not None and 0 < v < 100)]), key=len, reverse=True))
        denominators = "|".join(sorted(map(re.escape, words.fraction_words), key=len, reverse=True))
        # "one-third", "two thirds", "a quarter of": a number word and a fraction word
        self._fraction = re.compile(rf"(?<![\w-])(?:{numerators})(?:-|\s+)(?:{denominators})(?![\w-])", re.I) \
            if denominators and numerators else None
        cardinals = "|".join(sorted(map(re.escape, words.cardinal_words), key=len, reverse=True))
        self._more_words = re.compile(rf"(?:\s+and\s+|[\s-]+)(?:{cardinals})\b", re.I) if cardinals else None
        self._alpha_symbols = {symbol for c in words.currencies for symbol in c.symbols if symbol[:1].isalpha()}
        self.names = Names(words)
        months = "|".join(sorted(map(re.escape, words.month_words), key=len, reverse=True))
        day = r"(\d{1,2})(?:st|nd|rd|th)?"
        self.dates = [
            re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),  # 2021-03-04
            # June 22 to July 15, 1826 / from June 22 to July 15, 1826
            re.compile(rf"\b({months})\s+{day}\s*(?:to|-|–|through|until)\s*(?:({months})\s+)?{day},?\s+(\d{{4}})\b",
                       re.I),
            re.compile(rf"\b({months}),?\s+{day},?\s+(\d{{4}})\b", re.I),  # December 2, 1823; "October, 4, 2023"
            # 14 June to 2 July 2021 / 14-16 June 2021
            re.compile(rf"\b{day}(?:\s+({months}))?\s*(?:to|-|–|until)\s*{day}\s+({months})\s+(\d{{4}})\b", re.I),
            re.compile(rf"\b{day}\s+({months})\s+(\d{{4}})\b", re.I),  # 12 May 2015
            re.compile(rf"\b({months})\s+(?:of\s+)?(\d{{4}})\b", re.I),  # May 2015
        ][: None if months else 1]

    # ---- the whole paper ------------------------------------------------------------------------
    def propose(self) -> Proposal:
        header: list[str] | None = None
        for block in self.paper.text_blocks():
            # a table's first row names its columns: a cell's measure is its column's and its row's name
            header = (header or _cells(block.text)) if block.kind == "table-row" else None
            self.headers[id(block)] = header or []
            if block.kind == "heading":
                self._heading(block)
            else:
                self._block(block)
        return self.proposal

    def _new_id(self, base: str) -> str:
        base = base.strip("-") or "record"
        found, number = base, self._next.get(base, 2)
        while found in self.ids:
            found, number = f"{base}-{number}", number + 1
        self._next[base] = number  # a thousand "a-5-people" cost one step each, not a thousand
        self.ids.add(found)
        return found

    def exclude(self, block: Block, text: str, start: int, end: int, reason: str) -> None:
        """An exclusion: the number as written and enough of its words around it to find it again."""
        token = text[start:end]
        left = text.rfind(" ", 0, max(0, start - 18))
        right = text.find(" ", min(len(text), end + 18))
        context = clean_quote(text[left + 1 if left >= 0 else 0: right if right >= 0 else len(text)])
        if not context or normalize(token) not in normalize(context):
            context = clean_quote(token)
        if (token, context) in self._excluded:
            return  # the same words again ("§1 §1 §1", repeated): one exclusion finds them all
        self._excluded.add((token, context))
        self.proposal.exclusions.append({"number": token, "context": context, "reason": reason})

    def _exclude_each(self, block: Block, raw: str, text: str, start: int, end: int, reason: str) -> None:
        """Exclude every number of a span ("369–75", a page range read as a backward range) one by one,
        as coverage counts them."""
        for a, b, _ in self._numbers(text[start:end], whole=False):
            self.exclude(block, raw, start + a, start + b, reason)

    def _heading(self, block: Block) -> None:
        text = _mask(block.text)
        for start, end, _ in self._numbers(text):
            self.exclude(block, block.text, start, end, "a number in a heading (a section number or a title's "
                                                        "words), not a figure")

    def _numbers(self, text: str, whole: bool = True) -> list[tuple[int, int, bool]]:
        """(start, end, is_word) of every number in digits or words, in order.

        A short scale glued to digits ("£120m", "4.5bn") is left after the number, for the figure to take;
        with `whole`, a power of ten is one number ("1.065e-84", "10^6"), else its digits as coverage counts.
        """
        # "1.065e-84", "10^6": one number
        found = [(m.start(), m.end(), False) for m in _E_NOTATION.finditer(text)] if whole else []
        powers = [(a, b) for a, b, _ in found]
        for match in _DIGITS.finditer(text):
            if powers and any(a <= match.start() < b for a, b in powers):
                continue
            letters = LETTERS.search(match.group())
            end = match.end()
            if letters and (_SHORT_SCALE.fullmatch(letters.group()) or (
                    letters.group().lower() == "b" and
                    re.search(r"[$€£¥₹]\\?\s?\Z", text[max(0, match.start() - 3):match.start()])) or (
                    letters.group() == "B" and not _YEAR.fullmatch(match.group()[:letters.start()]))):
                end = match.start() + letters.start()  # "14B parameters": billions (not "Smith 2019b")
            found.append((match.start(), end, False))
        if self.number_words is not None:
            for match in self.number_words.finditer(text):
                start = match.start()
                if (match.group().lower() in self.scales and start >= 2 and text[start - 1] == " "
                        and text[start - 2].isdigit()):
                    continue  # the scale of the number before it ("236 million"), not "2018 twelve"
                found.append((start, match.end(), True))
        return sorted(found)

    # ---- one block ------------------------------------------------------------------------------
    def _block(self, block: Block) -> None:
        raw = block.text
        text = _mask(raw)
        language = self.words.guess_language(normalize(raw)) if not raw.isascii() or "." in raw else \
            self.words.language
        citations = self._citations(text)
        spans = self.names.spans(text)
        if spans and spans[0][2] == "code":
            self._exclude_each(block, raw, text, 0, len(text), REASONS["code"])
            return
        front = block.section == FRONT_MATTER
        # a note's titles (set in emphasis) name the works it cites: "*... over 10 Years of Operation*"
        titles = [m.span() for m in _TITLE.finditer(raw)] if block.kind == "note" else []
        # the pages a note's citations give ("Ibid., 24.", "(Oslo: Agency, 2019), 14."): as its citations read them
        pages = {page for _, locator in self.citations.get(block.note) or [] for page in re.findall(r"\d+", locator)} \
            if block.kind == "note" else set()
        for sentence_start, sentence_end in sentences(text, self.words):
            numbers = [n for n in self._numbers(text[sentence_start:sentence_end])]
            numbers = [(a + sentence_start, b + sentence_start, w) for a, b, w in numbers]
            used: set[int] = set()
            dates = self._dates(text, sentence_start, sentence_end)
            date_tokens = {start for _, spans in dates for start in spans}
            for definition in _DEFINITION.finditer(text, sentence_start, sentence_end):
                used.update(a for a, _, _ in numbers if definition.start() <= a < definition.end())
                self._exclude_each(block, raw, text, *definition.span(), "a unit's definition (1 metric ton = "
                                                                         "10^6 g), not a figure of the paper")
            fractions = self._fractions(text, sentence_start, sentence_end)
            claims: list[tuple[int, int]] = list(fractions)
            for index, (start, end, is_word) in enumerate(numbers):
                if start in used or any(a <= start < b for a, b in fractions):
                    continue
                token = text[start:end]
                if start in date_tokens and not _inside(citations, start):
                    continue
                if pages and token in pages and _CITED_PAGE_BEFORE.search(text, max(0, start - 12), start) and \
                        _CITED_PAGE_AFTER.match(text, end):
                    self.exclude(block, raw, start, end, REASONS["page"])
                    continue
                if block.kind == "note" and not is_word and _VOLUME_BEFORE_ISSUE.match(text, end, end + 12):
                    self.exclude(block, raw, start, end, REASONS["page"])
                    continue
                if titles and _inside(titles, start):
                    used.add(start)
                    self.exclude(block, raw, start, end, "a number in the title of a work a note cites, not a figure")
                    continue
                why = self.names.not_a_figure(text, start, end, is_word, (sentence_start, sentence_end), citations,
                                              spans, self)
                if why is not None:
                    reason, stop = why
                    if stop is None:
                        self.exclude(block, raw, start, end, REASONS[reason])
                    else:  # a name's numbers, all of them: "P.L. 119-21", "Sections 4 and 5"
                        used.update(a for a, _, _ in numbers[index:] if a < stop)  # no year of an event either
                        self._exclude_each(block, raw, text, start, stop, REASONS[reason])
                    continue
                letters = None if is_word else LETTERS.search(token)
                if not is_word and letters and letters.group() == "s" and _DECADE.fullmatch(token) and \
                        not self._is_year(text, start, end):
                    self.exclude(block, raw, start, end, "a decade (\"the 80s\"), not a figure")
                    continue
                if not is_word and self._is_year(text, start, end) and \
                        not self._counts_not_years(text, start, end, sentence_start):
                    if int(token.rstrip("s")) > self.paper_year:
                        used.add(start)
                        self.exclude(block, raw, start, end, "a year after the paper's own date (a projection or "
                                                             "a target?), not a period or an event")
                    continue  # a period of a claim, a date of an event, or excluded below
                if is_word and self._pronoun(text, start, end):
                    self.exclude(block, raw, start, end, f"'{token}' as a pronoun or article, not a figure")
                    continue
                if is_word and self._one_as_article(text, start, end, sentence_end, sentence_start):
                    self.exclude(block, raw, start, end, f"'{token}' as an article ('one study', 'in one "
                                                         "package'), not a count")
                    continue
                if any(a <= start < b for a, b in claims):
                    continue  # part of the figure before it ("62 per 100,000")
                span = self._figure(text, start, end, numbers[index + 1:], used)
                claims.append(span)
            # "millions of users", and each of "thousands or millions of predictions"
            vague = [m.span() for m in self.vague.finditer(text, sentence_start, sentence_end)
                     if re.match(r"\s+of\b", text[m.end():m.end() + 4]) or (
                        (other := re.match(r"\s+(?:or|and|to)\s+(\S+)\s+of\b", text[m.end():m.end() + 60]))
                        and self.vague.fullmatch(other.group(1)))] if self.vague else []
            for start, end in [*self._ranks(text, sentence_start, sentence_end),
                               *self._counts(text, sentence_start, sentence_end), *vague]:
                if not any(a <= start < b for a, b in claims):
                    claims.append((start, end))
            words_here = self._word_numbers(text, sentence_start, sentence_end, claims)
            claims.extend(words_here[0])
            for match in self.like_words.finditer(text, sentence_start, sentence_end) if self.like_words else ():
                if not any(a <= match.start() < b for a, b in claims):  # "once", "a single passenger", "both X and Y"
                    self.exclude(block, raw, match.start(), match.end(),
                                 f"'{match.group()}' used as a word here, not a count")
            for start, end, reason in words_here[1]:
                if not any(a <= start < b for a, b in claims):
                    self.exclude(block, raw, start, end, reason)
            years = [(start, end) for start, end, w in numbers if not w and start not in used
                     and self._is_year(text, start, end) and not _inside(citations, start)
                     and start not in date_tokens]
            note = block.kind == "note"  # a note's dates are its cited works' (and laws'), not events
            if claims:
                if dates and not front and not note:
                    self._events(block, raw, text, sentence_start, sentence_end, [], dates)
                elif note:
                    self._exclude_dates(block, raw, dates)
                claims.sort()
                windows = [window(raw, sentence_start, sentence_end, start, end) for start, end in claims]
                periods = self._periods(text, claims, years, windows)
                for (start, end), period, (quote_from, quote_to) in zip(claims, periods, windows):
                    self._claim(block, raw, text, quote_from, quote_to, start, end, period, language)
                for start, end in years:
                    if not any(int(text[start:end].rstrip("s")) in period[:1] + period[-1:] for period in periods):
                        self.exclude(block, raw, start, end, "a year in a sentence whose figures have their own "
                                                             "periods (review: a period, or an event?)")
            elif front:
                for start, end in years:
                    self.exclude(block, raw, start, end, "a year of the front matter (the paper's own dates), "
                                                         "not a figure")
                for start, end, _ in [(s, e, 0) for _, spans in dates for s, e in spans.items()]:
                    self.exclude(block, raw, start, end, "a date of the front matter, not a figure")
            elif note:
                for start, end in years:
                    self.exclude(block, raw, start, end, NOTE_DATE)
                self._exclude_dates(block, raw, dates)
            elif self._date_line(text[sentence_start:sentence_end], dates):
                for start, end in years:
                    self.exclude(block, raw, start, end, OWN_DATE)
                self._exclude_dates(block, raw, dates, OWN_DATE)
            else:
                self._events(block, raw, text, sentence_start, sentence_end, years, dates)

    def reason_for(self, text: str, start: int, end: int) -> str | None:
        """Why init would exclude the number at [start, end) of a block's text: a key of REASONS ("date" for a
        date or a year), or None (a figure, or a number init reads otherwise). The review workbench's guess."""
        text = _mask(text)
        spans = self.names.spans(text)
        if spans and spans[0][2] == "code":
            return "code"
        sentence = next(((a, b) for a, b in sentences(text, self.words) if a <= start < b), (0, len(text)))
        citations = self._citations(text)
        token = text[start:end]
        is_word = not token[:1].isdigit()
        if not _inside(citations, start) and any(start in found for _, found in self._dates(text, *sentence)):
            return "date"
        why = self.names.not_a_figure(text, start, end, is_word, sentence, citations, spans, self)
        if why is not None:
            return why[0]
        return "date" if not is_word and self._is_year(text, start, end) else None

    def _periods(self, text: str, claims: list[tuple[int, int]], years: list[tuple[int, int]],
                 windows: list[tuple[int, int]]) -> list[list[int]]:
        """Each figure's period: the years after it up to the next figure, else those before it; only
        years inside the figure's quote."""
        periods = []
        for index, (start, end) in enumerate(claims):
            low, high = windows[index]
            years_here = [(a, b) for a, b in years if low <= a and b <= high]
            limit = claims[index + 1][0] if index + 1 < len(claims) else len(text)
            found = [int(text[a:b].rstrip("s")) for a, b in years_here if end <= a < limit]
            if not found:
                previous = claims[index - 1][1] if index else 0
                found = [int(text[a:b].rstrip("s")) for a, b in years_here if previous <= a < start]
            found = sorted(set(found))
            periods.append([found[0], found[-1]] if found else [])
        return periods

    def _citations(self, text: str) -> list[tuple[int, int]]:
        """The spans of a block's citations: bracketed and parenthetical ones by their form, and any other that
        names a work of the paper's sources ("Hassan et al. (2024)", "Cruz and Abreu (2020)"): the year of a
        cited work, not a figure or an event of the paper's."""
        found = [m.span() for m in CITATION.finditer(text)]
        # "Cruz and Abreu (2020) [5]", "Hindle's Green Mining (2015) [9]": a year in parentheses that a numbered
        # citation follows is the cited work's, whatever the list says of it
        found += [m.span(1) for m in _YEAR_THEN_NUMBER.finditer(text) if not any(a <= m.start() < b for a, b in found)]
        if self.backing.in_text is not None:
            found += [(cite.start, cite.end) for cite in self.backing.in_text.find(text)
                      if not any(a <= cite.start < b for a, b in found)]
        return sorted(found)

    def _is_year(self, text: str, start: int, end: int) -> bool:
        token = text[start:end]
        if not _YEAR.fullmatch(token):
            return False
        before, after = text[max(0, start - 3):start], text[end:end + 12].lower()
        return not (re.search(r"[$€£¥₹]\\?\s?\Z|\\\Z", before)
                    or re.match(r"\s*(?:%|percent|per cent|million|billion|people|persons|members|km|miles)", after))

    def _ranks(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Ordinal words that rank something: 'the second-largest', 'the first trading partner of'."""
        if self.ordinals is None:
            return []
        found = []
        for match in self.ordinals.finditer(text, start, end):
            if match.group()[:1].isupper() and re.search(r"[\w,;]\s+\Z", text[max(start, match.start() - 3):
                                                                             match.start()]):
                continue  # a name's, mid-sentence: "the Eighth Circuit", "the Fifth Amendment"
            suffix = RANK_SUFFIX.match(text, match.end())
            if suffix:
                found.append((match.start(), suffix.end()))
                continue
            if RANKED_BEFORE.search(text, max(start, match.start() - 12), match.start()) or \
                    RANKED_AFTER.match(text, match.end(), end):
                found.append(match.span())  # "the fourth most popular", "ranked third", "fifth out of 30"
                continue
            if not re.search(r"\bthe\s\Z", text[max(0, match.start() - 4):match.start()], re.I) or \
                    re.match(r"\s+\d", text[match.end():match.end() + 3]):
                continue  # "the first 173 lines": which lines, not a rank
            after = text[match.end():end]
            words = re.match(r"((?:\s+[\w'-]+){1,3}?)(\s+of\b|\s+in the world\b|\s*[,.;])", after)
            if words and not re.search(r"\b(?:one|time|step|attempt|half|place)\b", words.group(1), re.I):
                found.append((match.start(), match.end()))
        return found

    def _fractions(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Fractions in words: 'one-third', 'two thirds', 'a quarter of' (not 'a third time', an ordinal)."""
        if self._fraction is None:
            return []
        found = []
        for match in self._fraction.finditer(text, start, end):
            words = re.split(r"[\s-]+", match.group())
            denominator = words[-1].lower()
            plural = self.words.fraction_words.get(denominator) == self.words.fraction_words.get(
                denominator.rstrip("s")) and denominator.endswith("s")
            if "-" in match.group() or plural or re.match(r"\s*(?:of\b|[,.;:)])", text[match.end():end]):
                found.append(match.span())
        return found

    def _unit_glued(self, token: str) -> bool:
        """A unit glued to the digits: '10km', '60MW', '1.80GHz', '16GB' (not '4G', '3D', '9am')."""
        letters = LETTERS.search(token)
        return bool(letters) and read_unit(letters.group(), self.words, glued=True) is not None

    # ---- figures and claims -----------------------------------------------------------------------
    def _figure(self, text: str, start: int, end: int, following: list[tuple[int, int, bool]],
                used: set[int]) -> tuple[int, int]:
        """The span of the figure around the number at [start, end): currency, scale, percent, range, unit."""
        begin = start
        near = max(0, start - _NEAR)
        before = text[near:start]
        for symbol, _ in self.figures.symbols:
            if symbol[-1:].isalpha():
                candidate = re.search(rf"\b{re.escape(symbol)}\s?\Z", before)
            else:
                candidate = re.search(rf"(?:\\)?{re.escape(symbol)}\s?\Z", before)
            if candidate:
                begin = near + candidate.start()
                break
        if begin and text[begin - 1] in _SIGNS and (begin == 1 or text[begin - 2] in " (|[/") and \
                not (text[begin - 1] == "-" and re.search(r"\d\s*\Z", text[max(0, begin - 1 - _NEAR):begin - 1])):
            begin -= 1  # a signed figure: "−0.4", "+3.9", "-1.8 per cent" (not the hyphen of "60 -75")
        stop = self._figure_end(text, end, begin != start)
        # a range: "between 50 and 75", "60-75 percent", "10 to 15 percent" (not "from 57 to 107")
        near = max(0, begin - _NEAR)
        before = text[near:begin]
        lowered = before.lower()
        qualifier = self.figures.qualifier_before(normalize(before[-40:])) if before else None
        link = re.match(r"\s*(?:-|–|and|to|through)\s*", text[stop:]) if stop == end or qualifier == "between" \
            else None
        if link is None and qualifier == "between":
            link = re.match(r"\s*(?:and|to)\s*", text[stop:])
        if link and following:
            other_start, other_end, _ = following[0]
            gap = text[stop:other_start]
            joined = re.fullmatch(r"\s*(?:-|–|and|to|through)\s*(?:\\?[$€£¥₹])?", gap)
            ranged = qualifier == "between" or (not re.search(r"\bfrom\s+\S*\Z", lowered)
                                                and re.fullmatch(r"\s*(?:-|–)\s*", gap)) or (
                # "rates of 15 to 20 per 100,000", not "rose from 14 to 9"
                re.fullmatch(r"\s+(?:to|through)\s+", gap) and not _CHANGE_WORDS.search(" ".join(
                    lowered.split()[-4:])) and not self._is_year(text, other_start, other_end))
            if joined and ranged and not self._is_year(text, start, end):
                used.add(other_start)
                stop = self._figure_end(text, other_end, begin != start)
                if qualifier == "between":
                    word = re.search(r"between\s*\Z", before, re.I)
                    if word:
                        begin = near + word.start()
        return begin, stop

    def _hyphen_unit(self, text: str, end: int) -> int:
        """The length of a unit joined by a hyphen ("60-second delay", "two-minute limit", "4-fold"), or 0."""
        match = _HYPHEN_WORD.match(text, end, end + 40)
        return match.end() - end if match and hyphen_unit(match.group(1), self.words) else 0

    def _figure_end(self, text: str, end: int, has_symbol: bool) -> int:
        """Where the figure that ends its digits or words at `end` ends: its scale, unit, percent or the number
        words that go on. A figure goes on for at most _WORDS_ON steps ("nine hundred ninety-nine thousand
        ..."): a run of thousands of number words once recursed once a word, past Python's limit."""
        for _ in range(_WORDS_ON):
            end, going_on = self._figure_step(text, end, has_symbol)
            if not going_on:
                break
        return end

    def _figure_step(self, text: str, end: int, has_symbol: bool) -> tuple[int, bool]:
        joined = self._hyphen_unit(text, end)
        if joined:
            return end + joined, False
        scientific = _TIMES_TEN.match(text, end, end + 16)
        if scientific:  # "1.24×10−5", "3.6 × 10^6 J": the power of ten is the figure's, and so is a unit after
            return scientific.end(), True
        power = _POWER_AFTER.match(text, end, end + 8)
        if power:  # "10^6" (10<sup>6</sup>): the exponent is the figure's
            return power.end(), True
        rest = text[end:end + _NEAR]
        short = re.match(r"(?:[.,]\d+)?(?:k|m|mn|bn|b|tn)\b", rest, re.I)  # £4.2m, $3bn, 120m
        if short and (has_symbol or rest[:1] in ".," or rest[:1].isalpha()):
            return end + short.end(), False
        scale = re.match(r"[\s-]?(" + "|".join(sorted(map(re.escape, self.figures.big_scales), key=len, reverse=True))
                         + r")\b", rest, re.I) if self.figures.big_scales else None
        if scale:
            end += scale.end()
            rest = text[end:end + _NEAR]
        suffix = RANK_SUFFIX.match(rest)
        if suffix:
            return end + suffix.end(), False
        percent = re.match(r"\s?%|\s(?:percent|per cent)\b", rest, re.I)
        if percent:
            return end + percent.end(), False
        rate = re.match(r"\sper\s(?:\d{1,3}(?:,\d{3})+|\d+|hundred|thousand)\b", rest, re.I)
        if rate:
            return end + rate.end(), False
        if not has_symbol:
            for word, _ in self.figures.currency_words:
                if rest[:len(word) + 1].lower() == " " + word and not rest[len(word) + 1:len(word) + 2].isalpha():
                    return end + len(word) + 1, False
            for symbol, _ in self.figures.symbols:
                if symbol[:1].isalpha() and rest[:len(symbol) + 1] == " " + symbol and \
                        not rest[len(symbol) + 1:len(symbol) + 2].isalpha():
                    return end + len(symbol) + 1, False
        following = _NEXT_WORDS.match(rest)  # the measure words after it, looked up longest first
        if following:
            words = following.group(1).split(" ")
            for count in range(min(3, len(words)), 0, -1):
                phrase = " ".join(words[:count]).rstrip(".!?\"'”’]")  # "0.4 percentage points."
                code = self.words.unit_word(phrase)
                if code is not None and not rest[len(phrase) + 1:len(phrase) + 2].isalpha():
                    if code in self.words.units_after:
                        return end, False  # a calendar span or a multiple: "6.5 years" is the figure 6.5 in years
                    return end + len(phrase) + 1, False
        glued = _GLUED_SIGN.match(rest)
        if glued and (found := read_unit(glued.group(1), self.words, glued=True)) and \
                found[0] not in self.words.units_after:
            return end + glued.end(1), False  # "22°C", "5℃"
        symbol = _SPACED_SYMBOL.match(rest)
        if symbol and (found := read_unit(symbol.group(1), self.words)) and found[0] not in self.words.units_after:
            return end + symbol.end(1), False  # a unit pint's registry knows: "3 mAh", "400 MB/s"
        # number words go on: "one hundred fifty", "twenty-five"
        more = self._more_words.match(rest) if self._more_words is not None else None
        if more and text[end - 1:end].isalpha():
            return end + more.end(), True
        return end, False

    def _claim(self, block: Block, raw: str, text: str, sentence_start: int, sentence_end: int, start: int,
               end: int, period: list[int], language: str) -> None:
        figure = raw[start:end].strip()
        # the quote: the sentence, from after the last footnote marker before the figure
        quote_start = sentence_start
        for marker in list(NOTE_REF.finditer(raw, sentence_start, start)) + \
                list(_SUPERSCRIPT_RUN.finditer(raw, sentence_start, start)):
            quote_start = max(quote_start, marker.end())
        while quote_start < start and raw[quote_start] in " \t\n,;:":
            quote_start += 1
        mark = re.match(r"(?:[-*+>|]\s+)+", raw[quote_start:start])  # a list, quote or table mark
        if mark:
            quote_start += mark.end()
        if normalize(figure) in normalize(raw[quote_start:start] + figure[:-1]):
            quote_start = start  # the figure's text also stands earlier ("14 ... and 4"): quote from the figure
        quote = clean_quote(raw[quote_start:sentence_end])
        try:
            parsed = self.figures.parse(figure, language)
        except FigureError:
            self._exclude_each(block, raw, text, start, end, "not a figure claimpack can read (review it)")
            return
        located = self.paper.locate(quote, block.section, block.paragraph)
        here = next((loc for loc in located if loc.block is block), None)
        if here is None:
            self._exclude_each(block, raw, text, start, end, "not a figure claimpack can place (review it)")
            return
        at = here.start + normalize(quote).find(normalize(figure))
        qualifier = parsed.qualifier if parsed.qualifier != "exact" else (
            self.figures.qualifier_before(block.norm[max(0, at - 40):at]) or "exact")
        value = parsed.value
        low = parsed.low if qualifier == "between" else value if qualifier in ("more-than", "over", "at-least") \
            else None
        high = parsed.high if qualifier == "between" else value if qualifier in ("less-than", "up-to") else None
        unit = unit_of(parsed) or self._unit_after(raw, end) or ("times" if self._multiple_word(figure) else "count")
        if unit == "count" and block.kind == "table-row":
            unit = self._column_unit(raw, start, self.headers.get(id(block)) or []) or unit  # "Energy (J)"
        scale = self.tables.scale_at(block, start) if block.kind == "table-row" else None
        if scale:  # "$88.0" in a table "(dollars in millions)": 88,000,000 USD
            value, low, high = (None if v is None else v * scale.factor for v in (value, low, high))
            if scale.unit and unit in ("count", scale.unit):
                unit = scale.unit
        low_unit, high_unit = unit_range(unit, self.words)
        if figure[:1] in _SIGNS or (low_unit is not None and value < low_unit) or (
                high_unit is not None and value > high_unit):
            unit += "-change"  # "−1.8 per cent", "+3.9", "rose by 150%": a change, of either sign
        measure = re.match(r"[\s\"”’)]*((?:[^\W\d_][\w'’-]*\s*){1,5})", raw[end:sentence_end])
        measure_text = clean_quote(measure.group(1)) if measure else ""
        if block.kind == "table-row":
            cells, column = _cells(raw), raw.count("|", 0, start) - (1 if raw.lstrip().startswith("|") else 0)
            header = self.headers.get(id(block)) or []
            named = [header[column] if 0 <= column < len(header) and header[column].strip("- ") else "",
                     cells[0] if column > 0 and cells else ""]
            measure_text = ", ".join(clean_quote(name) for name in named if name.strip("- ")) or measure_text
        if not measure_text and unit != "count":
            measure_text = self.words.units.get(unit) or describe(unit)  # "3,400 metres": a length in metres
        row = {
            "id": self._new_id(f"{slug(block.part if block.part != FRONT_MATTER else 'front-matter', 24)}-"
                               f"{slug(figure, 24)}"),
            "topic": slug(block.part, 30) if block.part and block.part != FRONT_MATTER else "front-matter",
            "measure": proposed_measure(measure_text),
            "figure": clean_quote(figure), "value": _number(value), "value_min": _number(low),
            "value_max": _number(high), "qualifier": qualifier, "unit": unit, "place": "ZZ",
            "period_start": period[0] if period else "", "period_end": period[-1] if period else "",
            "quote": quote, "language": "" if language == "en" or language == self.words.language else language,
            "section": block.section, "paragraph": block.paragraph,
        }
        row.update(self.backing(block, sentence_start, sentence_end, start, end))
        row["kind"] = "own" if row["source_id"] == self.own else "reported"
        row["derived_from"] = ""
        row["note"] = proposed_note("check the measure, unit, place and period.")
        row["status"] = "candidate"
        self.proposal.claims.append(row)

    def _column_unit(self, raw: str, start: int, header: list[str]) -> str | None:
        """The unit a table's column names in its header, in brackets at its end: "Energy (J)", "Time [s]";
        not in the header row itself."""
        column = raw.count("|", 0, start) - (1 if raw.lstrip().startswith("|") else 0)
        if not 0 <= column < len(header) or _cells(raw) == header:
            return None
        named = _HEADER_UNIT.search(header[column])
        if named is None:
            return None
        symbol = named.group(1).strip()  # ("%" stays with the figure: a percent is printed with its sign)
        found = self.words.unit_word(symbol) or (read_unit(symbol, self.words) or (None,))[0]
        return found if found and found not in self.words.units_after else None

    def _multiple_word(self, figure: str) -> bool:
        """A multiple in words: "twofold", "doubled", "twice" (a number-like word of 2 or more, said of a size)."""
        counted = self.figures.one_number(figure)
        if counted is not None and counted.kind == counting.MULTIPLICATIVE and (counted.value or 0) > 1:
            return True
        value = self.words.number_like_words.get(figure.lower())
        return figure.lower().endswith("ce") and value is not None and value >= 2  # twice, thrice

    def _unit_after(self, raw: str, end: int) -> str | None:
        """The unit a word right after the figure names without being part of it: '16 seconds', '6.5 years'."""
        symbol = _SPACED_SYMBOL.match(raw, end)
        if symbol is None:
            return None
        words = re.match(r" ((?:[^\W\d_]+ ){0,2}[^\W\d_]+)", raw[end:end + 40])
        for text in ([words.group(1).rsplit(" ", n)[0] for n in (0, 1, 2)] if words else []):
            code = self.words.unit_word(text)  # "degrees Celsius", "nautical miles"
            if code == "times" and not _MULTIPLE.match(raw, end + 1 + len(text)):
                return None  # "cycled 290 times a year": a count; "eight times its average": a multiple
            if code is not None:
                return code
        found = read_unit(symbol.group(1), self.words)
        return found[0] if found else None


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return plain_number(value)


def propose(paper: Paper, words: Vocabulary, citations: dict[int, list[tuple[str, str]]], own_source: str,
            number_words: re.Pattern | None, paper_year: int = 9999, in_text: Citations | None = None,
            printed: dict[int, list[str]] | None = None, paper_date: str = "") -> Proposal:
    """Candidate claims and events, and exclusions, for every number of the paper (`printed`: each note's
    citations as printed, in the order of `citations`; `paper_date`: the paper's own date, ISO 8601)."""
    return Proposer(paper, words, citations, own_source, number_words, paper_year, in_text, printed,
                    paper_date).propose()


def unique(rows: Iterable[dict], key) -> list[dict]:
    seen, kept = set(), []
    for row in rows:
        if key(row) not in seen:
            seen.add(key(row))
            kept.append(row)
    return kept
