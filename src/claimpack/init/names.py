"""Numbers that name rather than count: why each is no figure, by the class of name it is part of.

A number is part of a law or bill ("H.R. 8800", "P.L. 119-21", "50 U.S.C. §1701"), a numbered part
of a document ("Table 2", "Sections 4 and 5", "(1)"), a version or model ("Stockfish 14.1", "CUDA
12.6", "10.0.19045"), a page or note ("pp. 1711-1744"), a date or time in digits ("03/03/2022",
"14:30"), an address (URLs, e-mail, DOIs, ISBNs, phone numbers) or a block of code. The words that
start or end such names are the vocabulary's (`identifier_words`, `identifier_words_after`,
`statistic_words`); the forms of digits are patterns here. claimpack.init.candidates asks `Names`
about each number before it reads it as a figure, and excludes a name's numbers with its reason.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable

from ..model.vocabulary import Vocabulary

# Why a number is no figure, by the kind of name it is part of (the vocabulary's identifier_words
# give a word's kind) or the kind of thing it writes.
REASONS = {
    "law": "a legal or bill identifier (a bill, law, order, code section or register), not a figure",
    "numbering": "the number of a section, table, figure, equation, list item or other part, not a figure",
    "version": "a version or model number, not a figure",
    "page": "a page, volume, issue or note number, not a figure",
    "name": "part of a name or identifier, not a figure",
    "date": "a date or a time of day, not a figure",
    "address": "part of a web address, e-mail address, DOI, ISBN or phone number, not a figure",
    "code": "a number in code or program output (a block of quoted keys and values), not a figure",
    # where init finds a number rather than the name it is part of (Names.not_a_figure)
    "citation": "a page or number in a citation, not a figure",
    "citation-year": "a year in a citation, not a figure",
    "ordinal": "an ordinal (a century, an anniversary), not a figure",
}
# Letters glued to digits: a name's ("4G", "3D"), unless an ordinal's or a decade's
LETTERS = re.compile(r"(?<=\d)[^\W\d_]+\Z")
ORDINAL_OR_DECADE = re.compile(r"st|nd|rd|th|s", re.I)  # the letters after the digits of "21st" or "1990s"
# A numbered citation: [1], [2, 3], [4–6]
NUMBERED = r"\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]"
# A citation: (Author 2019, 4), [@key], or a numbered one, [1], [2, 3], [4–6], [5]–[7]
CITATION = re.compile(r"\((?:[^()]*?\b[A-Z][^\s(),]+(?: et al\.)?,? (?:1[5-9]|20)\d\d[a-z]?\b[^()]*)\)"
                      rf"|\[@[^\]]*\]|{NUMBERED}(?:\s*[–-]\s*\[\d{{1,3}}\])?")
# A number joined to the lower-case noun it counts, before what it qualifies: "a 360-character limit" (not
# "4-H", "3-D", "F-35": a name's)
MEASURE_COMPOUND = re.compile(r"-[a-z]{4,}(?=\s+[a-z])")
# An identifier in capitals before a number: "MS 13"
UPPER_IDENTIFIER = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]+)?\s\Z")
# What makes an ordinal a rank, a figure: a superlative after it, "out of", a place; "ranked" before it
RANKED_AFTER = re.compile(r"\s+(?:(?:most|least)\s+[a-z]|(?:largest|biggest|highest|lowest|smallest|greatest|"
                          r"fastest|slowest|richest|poorest|best|worst|strongest|weakest|busiest|leading)\b|"
                          r"out\s+of\s+\d|of\s+\d{1,3}\b|place\b|position\b)", re.I)
RANKED_BEFORE = re.compile(r"\b(?:ranked|ranks|ranking|placed|placing|finished|came|rated)\s+(?:the\s+)?\Z", re.I)
RANK_SUFFIX = re.compile(r"-(?:largest|biggest|highest|lowest|smallest|most \w+|least \w+)", re.I)
# Code or program output read as a paragraph (a fenced block flattened by the reader): braces and
# quoted keys with values, '{ "time": { "mean": 154.8, ...'. Prose statistics ("p = 0.03") have neither.
_CODE_PAIR = re.compile(r"[\"'“”‘’][\w.-]+[\"'“”‘’]\s*:\s*[-+]?\d")
# Web and e-mail addresses, DOIs, ISBNs, arXiv ids, phone numbers: every digit in them is no figure (an
# e-mail address is tried only where a run of its characters starts: tried at every letter of a long word,
# it read the word to its end each time, and a 100,000-letter author took minutes)
_ADDRESS = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"')\]]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bdoi:\s?[^\s\"<>]+"
    r"|\b10\.\d{4,9}/[^\s\"<>]+|\bISBN(?:-1[03])?:?\s*[\dXx][\d\s-]{8,16}[\dXx]\b"
    r"|\b(?:arXiv:\s?|abs/)\d{4}\.\d{4,5}(?:v\d+)?"
    r"|(?<![\w.,/])(?:\+\d{1,3}[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[.-]\d{4}(?!\w|\.\d)", re.I)
# Pages written without a space: "pp.637-658", "p.12"; a journal's volume(issue) and pages: "Sensors, 23(2), 734"
_PAGES = re.compile(r"(?<![\w.])pp?\.\d+(?:\s*[-–]\s*\d+)?"
                    r"|(?<![\w.,])\d{1,4}\(\d{1,4}(?:[-–]\d{1,4})?\)(?:,\s*(?:pp?\.\s*)?\d+(?:\s*[-–]\s*\d+)?)?(?![\w%])")
# A time of day ("14:30", "9:15 a.m."), a date in digits ("03/03/2022", "01.03.2024"), a version or
# section in three or more parts ("10.0.19045", "3.1.2")
_CLOCK = re.compile(r"(?<![\w.:])\d{1,2}:\d{2}(?::\d{2})?(?:\s?[aApP]\.?[mM]\.?)?(?![\w:])")
_NUMERIC_DATE = re.compile(r"(?<![\w./-])\d{1,4}([/.-])\d{1,2}\1\d{2,4}(?![\w/.-]|\.\d)")
_DOTTED = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}(?![\w]|\.\d)")
# An enumerator: "(1)", "(ii)", "(b)" in a sentence; "1.", "2)", "1.1" opening a block
_ENUMERATOR = re.compile(r"(?<![\w)])\((?:\d|[ivx]{1,4}|[a-z])\)(?=\s+[^\W\d_])")
_BLOCK_NUMBER = re.compile(r"\s*(?:[-*+>|]\s+)*(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)])(?=\s+\S|\Z)")
# What continues an identifier's number: "P.L. 109-347", "H.Rept. 119-698", "§606(c)", "§153(11)"
_IDENTIFIER_TAIL = re.compile(r"(?:[-–:]\d+[A-Za-z]?|\.\d+(?:\.\d+)*|\((?:\d{1,4}|[A-Za-z]{1,4})\))*")
# More numbers after a plural name: "Sections 4 and 5", "Tables 2, 3 and 5", "pp. 12, 14"
_LISTED = re.compile(r"(?:(?:\s*,\s*|,?\s+(?:and|or|to|through|&)\s+)\d+(?:\.\d+)*[A-Za-z]?)+")
# A capitalised word before a number names a product or standard ("Stockfish 14.1", "Python 3.11",
# "Windows 10") unless the number measures something (a unit, percent or scale follows) or stands in a
# row of numbers (a table read as text: "Ollama 4.41 0.02 74.46")
_MEASURED_AFTER = re.compile(r"\s?%|[-–]\w|\s+[-+−]?\d[\d.,]*(?![\w])|"
                             r"\s*[,;:)]?\s*(?:per|percent|million|billion|thousand)\b", re.I)
_EQUATION_NUMBER = re.compile(r"\(\d{1,3}\)(?=\s*(?:\||\Z|\d|\n))")
_PLAIN = re.compile(r"[\d.,]+")
_PROPER_BEFORE = re.compile(r"(?<![\w.-])([A-Z][A-Za-z]+)\s\Z")


class Names:
    """The classes of names one vocabulary knows."""

    def __init__(self, words: Vocabulary):
        self.words = words
        names = "|".join(map(re.escape, sorted(words.identifier_words, key=len, reverse=True)))
        # "E.O. 10312", and "Executive Order (E.O.) 10312" as CRS writes it
        self.before = re.compile(rf"(?:(?<![\w.])({names})\)?|(§§?|#)|(?<![\w.])[A-Za-z]\w*-)\s?\Z"
                                 if names else r"(?:(§§?|#)|(?<![\w.])[A-Za-z]\w*-)\s?\Z")
        # "16 Federal Register 12452" also as printed in emphasis, "16 *Federal* *Register*" (the emphasis marks
        # are blanked in the text Names reads)
        after = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in
                         sorted(words.identifier_words_after, key=len, reverse=True))
        self.after = re.compile(rf"\s{{0,3}}({after})(?![\w])") if after else None
        self._after_words = {" ".join(word.split()): kind for word, kind in words.identifier_words_after.items()}
        self.not_proper = {w.lower() for w in (*words.month_words, *words.qualifiers, *words.number_words,
                                               *words.number_like_words, *words.ordinal_words,
                                               *(w for c in words.currencies for w in (*c.symbols, *c.words)))}

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Stretches of a block whose digits are never figures: code, addresses, times, dates and versions
        in digits, enumerators and the number that opens a block, sorted and not overlapping."""
        if text.count("{") >= 2 and sum(1 for _ in itertools.islice(_CODE_PAIR.finditer(text), 3)) >= 3:
            return [(0, len(text), "code")]
        found = [(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
        found += [(m.start(), m.end(), "page") for m in _PAGES.finditer(text)]
        found += [(m.start(), m.end(), "date") for m in _CLOCK.finditer(text)]
        found += [(m.start(), m.end(), "date") for m in _NUMERIC_DATE.finditer(text)]
        found += [(m.start(), m.end(), "version") for m in _DOTTED.finditer(text)]
        found += [(m.start(), m.end(), "numbering") for m in _ENUMERATOR.finditer(text)]
        opening = _BLOCK_NUMBER.match(text)
        if opening and (re.match(r"\s+[A-Z(\"“]", text[opening.end():]) or opening.end() == len(text)
                        or opening.group(1).endswith(")")):  # "1) 500": an item's number, whatever follows
            found.append((*opening.span(1), "numbering"))
        if "=" in text or "≈" in text:  # a display equation's number: "E = P × t (1)", "| ≈ 76.69 | (2) |"
            found += [(m.start(), m.end(), "numbering") for m in _EQUATION_NUMBER.finditer(text)
                      if re.search(r"[=≈]", text[max(0, m.start() - 160):m.start()])]
        found.sort()
        kept: list[tuple[int, int, str]] = []
        for start, end, kind in found:
            if kept and start < kept[-1][1]:
                continue
            kept.append((start, end, kind))
        return kept

    def named(self, text: str, start: int, end: int, sentence_start: int, sentence_end: int,
              spans: list[tuple[int, int, str]], figure_end: Callable[[str, int, bool], int],
              is_year: Callable[[str, int, int], bool]) -> tuple[str, int] | None:
        """Why the number at [start, end) is part of a name, and where that name's numbers end; or None."""
        at = bisect.bisect_right(spans, (start, len(text) + 1, "")) - 1
        if at >= 0 and spans[at][0] <= start < spans[at][1]:
            return spans[at][2], spans[at][1]
        tail = _IDENTIFIER_TAIL.match(text, end, sentence_end)
        stop = tail.end() if tail else end
        before = self.before.search(text, max(0, start - 30), start)
        if before:
            word = before.group(1)
            if word and (word.endswith("s") or word.endswith("s.") or word in ("pp.", "§§", "p.")):
                listed = _LISTED.match(text, stop, sentence_end)  # "Sections 4 and 5", "Figures 3 and 4"
                stop = listed.end() if listed else stop
            kind = self.words.identifier_words.get(word, "name") if word else \
                ("law" if (before.group(2) or "").startswith("§") else "name")
            return kind, stop
        if self.after is not None:
            after = self.after.match(text, stop, min(len(text), stop + 24))
            if after:  # the code's or register's section or page after its title is the name's too: "12452"
                section = re.match(r"\s*(?:§§?\s?)?\d[\d,]*(?:\.\d+)?(?:\s*[-–]\s*\d+)?(?:\(\w{1,4}\))*",
                                   text[after.end():sentence_end])
                return self._after_words.get(" ".join(after.group(1).split()), "law"), \
                    after.end() + (section.end() if section else 0)
        proper = _PROPER_BEFORE.search(text, max(sentence_start, start - 30), start)
        # (digits alone: "TDP 35W" measures in watts, a unit glued on; the caller reads other letters)
        if proper and proper.group(1).lower() not in self.not_proper and _PLAIN.fullmatch(text, start, end) and \
                proper.group(1) not in self.words.statistic_words and not is_year(text, start, end) and \
                (re.search(r"[\w|]", text[sentence_start:proper.start()]) or text[stop:stop + 1] == ":") and \
                figure_end(text, end, False) == end and not _MEASURED_AFTER.match(text, end, end + 12):
            return "version", stop  # "Stockfish 14.1", "CUDA 12.6", "Prompt 1: a for-loop", a cell "Variant 1"
        if re.fullmatch(r"\s*\d{1,2}\.\s*", text[sentence_start:sentence_end]) or \
                (re.search(r":\s*\Z", text[max(sentence_start, start - 3):start]) and \
                re.fullmatch(r"\.\s*", text[end:sentence_end])):
            return "numbering", stop  # a list's number on its own: "research questions: 1." "2."
        return None

    def not_a_figure(self, text: str, start: int, end: int, is_word: bool, sentence: tuple[int, int],
                     citations: list[tuple[int, int]], spans: list[tuple[int, int, str]],
                     reader) -> tuple[str, int | None] | None:
        """Why the number at [start, end) of a block's text is no figure, by the class of name or place it stands
        in: (a key of REASONS, where the name's numbers end or None for this number alone), or None.

        `sentence`: its sentence's span; `citations`: the spans of the block's citations; `spans`: this
        class's `spans` of the block; `reader`: the claimpack.init.candidates.Proposer reading it (where a
        figure ends, what a year is, a unit joined or glued to digits, the currencies' letter symbols).
        init excludes by it, and the review workbench guesses a rejected figure's reason with it.
        """
        token = text[start:end]
        if any(a <= start < b for a, b in citations):
            return ("citation-year" if re.fullmatch(r"(?:1[5-9]\d\d|20\d\d)[a-z]?", token) else "citation"), None
        named = None if is_word else self.named(text, start, end, *sentence, spans, reader._figure_end,
                                                reader._is_year)
        if named is not None:
            return named[0], min(named[1], sentence[1])
        if is_word:
            return None
        if (text[end:end + 1] == "-" and text[end + 1:end + 2].isalpha()) and \
                not RANK_SUFFIX.match(text, end) and not reader._hyphen_unit(text, end) and \
                not MEASURE_COMPOUND.match(text, end):
            return "name", None
        letters = LETTERS.search(token)
        if letters and not ORDINAL_OR_DECADE.fullmatch(letters.group()) and not reader._unit_glued(token) \
                and letters.group() != "x":  # "12x": a multiple
            return "name", None  # "4G", "3D", "9am"
        upper = UPPER_IDENTIFIER.search(text[max(0, start - 12):start])
        # an identifier's number is whole: "MS 13"; "CI 2.8–4.1" and "OR 1.12" are figures
        if upper and upper.group().strip() not in reader._alpha_symbols and not re.search(r"[.,]\d", token) \
                and not reader._unit_glued(token):
            return "name", None
        if re.fullmatch(r"\d+(?:st|nd|rd|th)", token) and not RANK_SUFFIX.match(text, end) \
                and not RANKED_AFTER.match(text, end, end + 40) and \
                not RANKED_BEFORE.search(text, max(0, start - 12), start):
            return "ordinal", None
        return None
