"""The sentences of a paragraph, as a careful reader sees them.

The segmenter is nupunkt's Punkt model (Kiss and Strunk's unsupervised method, trained on legal
and financial English: it knows "U.S.", "H.R.", "e.g.", "Fig.", "No.", "Jan." and thousands more),
chosen by measuring it against claimpack's former home-made splitter, pysbd, syntok and
sentencex (benchmarks/sentences.py; the README gives the figures). Two rules are added, for what
claimpack quotes:
- the package's own abbreviations (the descriptor's `claimpack.abbreviations`, English defaults
  in claimpack.model.vocabulary) are abbreviations too;
- a note marker, a numbered citation or a closing bracket or quote after the stop belongs to the
  sentence it ends ("rose 8%.[12] Margins fell"), and a unit symbol's stop after a number ends a
  sentence when a capital follows ("0.89 W. This"), which Punkt takes for an initial.

Spans are (start, end) in the text given, without the white space between sentences. A quote is
the sentence that holds a figure; `window` cuts a very long one to a stretch around the figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# What may follow a sentence's stop and still belong to it: closing quotes and brackets, a note
# marker of the blocks style ("[^3]"), superscript digits, a numbered citation ("[12]", "[2, 3]")
_TRAILING = re.compile(r"(?:[\"'”’)\]]|\[\^\d{1,5}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\])+(?=\s|\Z)")


@lru_cache(maxsize=8)
def _tokenizer(abbreviations: tuple[str, ...]):
    import nupunkt

    tokenizer = nupunkt.load_default_model()
    tokenizer.add_abbreviations(list(abbreviations))
    return tokenizer


def punkt_forms(abbreviations: Iterable[str]) -> tuple[str, ...]:
    """Abbreviations as printed ("U.S.", "et al.") in the form Punkt looks them up ("u.s", "al")."""
    return tuple(sorted({word.split()[-1].lower().rstrip(".") for word in abbreviations if word.strip(". ")}))


@lru_cache(maxsize=8)
def _unit_stop(symbols: tuple[str, ...]) -> re.Pattern | None:
    if not symbols:
        return None
    names = "|".join(map(re.escape, sorted(symbols, key=len, reverse=True)))
    # "0.89 W. This", "took 2.3 s. Loading": a unit symbol after digits, its stop, a capital next
    return re.compile(rf"(?<=\d)\s?(?:{names})\.(?=\s+[\"“(]?[A-Z])")


def spans(text: str, abbreviations: Iterable[str] = (), unit_symbols: Iterable[str] = ()) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) spans, in order, white space between them left out.

    `abbreviations` as printed ("U.S.", "et al.") and `unit_symbols` ("W", "s") come from the
    package's vocabulary (claimpack.model.vocabulary).
    """
    if not text.strip():
        return []
    tokenizer = _tokenizer(punkt_forms(abbreviations))
    found = [span for _, span in tokenizer.tokenize_with_spans(text)]
    unit_stop = _unit_stop(tuple(sorted(symbol for symbol in unit_symbols if len(symbol) <= 4)))
    cut: list[tuple[int, int]] = []
    for start, end in found:
        if unit_stop is not None:
            for match in unit_stop.finditer(text, start, end):
                cut.append((start, match.end()))
                start = match.end()
        cut.append((start, end))
    merged: list[list[int]] = []
    for start, end in cut:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        trailing = _TRAILING.match(text, start, end)
        if merged and trailing:  # a marker or closing mark the segmenter put at this sentence's start
            merged[-1][1] = trailing.end()
            start = trailing.end()
            while start < end and text[start].isspace():
                start += 1
            if start >= end:
                continue
        merged.append([start, end])
    return [(start, end) for start, end in merged]


QUOTE_LIMIT = 320  # characters: a longer sentence is quoted as a window of it around the figure


def window(text: str, start: int, end: int, focus_start: int, focus_end: int, limit: int = QUOTE_LIMIT) \
        -> tuple[int, int]:
    """The stretch of the sentence [start, end) a quote of the words at [focus_start, focus_end) keeps.

    A sentence up to `limit` characters is kept whole; a longer one is cut at spaces to about
    `limit` characters around the focus, never inside a word, so the quote is still a verbatim
    part of the paper under the provenance layer's normalisation.
    """
    if end - start <= limit:
        return start, end
    room = max(0, limit - (focus_end - focus_start))
    low = max(start, focus_start - room // 2)
    high = min(end, focus_end + (room - (focus_start - low)))
    low = max(start, min(low, high - limit))
    if low > start:
        space = text.find(" ", low, focus_start)
        low = space + 1 if space >= 0 else focus_start
    if high < end:
        space = text.rfind(" ", focus_end, high)
        high = space if space >= 0 else focus_end
        while high > focus_end and text[high - 1] in ",;:(–-":
            high -= 1
    return low, high
