"""Sentences as a careful reader sees them (claimpack.text.sentences), and quotes of a sensible length."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimpack.model.vocabulary import Vocabulary
from claimpack.text.paper import normalize
from claimpack.text.sentences import QUOTE_LIMIT, punkt_forms, window
from claimpack.text.sentences import spans as text_spans


def spans(text: str, words: Vocabulary | None = None) -> list[tuple[int, int]]:
    """The sentences init reads, with a vocabulary's abbreviations and unit symbols (English by default)."""
    words = words if words is not None else Vocabulary()
    return text_spans(text, words.abbreviations, words.unit_symbols)

GOLD = Path(__file__).parents[1] / "fixtures" / "sentences" / "gold.txt"
# What a reader needs the paragraph's sense for: an abbreviation that also ends its sentence.
AMBIGUOUS = {"The conference was held Oct. 10-12, 2023, in Washington, D.C."}


def gold_cases() -> list[list[str]]:
    return [line.split(" || ") for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("sentences", gold_cases(), ids=lambda parts: parts[0][:40])
def test_the_gold_paragraphs_split_where_a_reader_splits_them(sentences):
    text = " ".join(sentences)
    found = [text[a:b] for a, b in spans(text)]
    if sentences[0] in AMBIGUOUS:
        assert found == [text]  # never split inside: one quote too long beats a quote cut at "D.C."
    else:
        assert found == sentences


def test_a_packages_own_abbreviations_are_abbreviations():
    words = Vocabulary.from_settings({"abbreviations": ["Zzq.", "et al."]})
    assert punkt_forms(words.abbreviations) == ("al", "zzq")
    text = "It rose 4% in Zzq. Bloggs's sample. It fell 2% elsewhere."
    assert [text[a:b] for a, b in spans(text, words)] == ["It rose 4% in Zzq. Bloggs's sample.",
                                                           "It fell 2% elsewhere."]
    assert len(text_spans(text)) == 3


def test_spans_leave_out_white_space_and_cover_every_sentence():
    text = "  First 1.   Second 2 (Fig. 3).\tThird 4.  "
    assert [text[a:b] for a, b in spans(text)] == ["First 1.", "Second 2 (Fig. 3).", "Third 4."]
    assert spans("   ") == []


@pytest.mark.parametrize("length", [50, QUOTE_LIMIT, QUOTE_LIMIT + 1, 1467, 20_000])
def test_a_long_sentence_is_quoted_as_a_window_around_the_figure_that_is_still_verbatim(length):
    words = ("word " * (length // 5 + 1))[:length]
    at = len(words) // 2
    at = words.find(" ", at) + 1
    text = words[:at] + "$4.2 million " + words[at:]
    focus = (at, at + len("$4.2 million"))
    low, high = window(text, 0, len(text), *focus)
    assert low <= focus[0] and focus[1] <= high
    if len(text) <= QUOTE_LIMIT:
        assert (low, high) == (0, len(text))
    else:
        assert high - low <= QUOTE_LIMIT
        assert text[low - 1] == " " and (high == len(text) or text[high] == " ")  # whole words
        assert normalize(text[low:high]) in normalize(text)


def test_the_window_keeps_a_figure_at_either_end_of_a_long_sentence():
    text = "$4.2 million " + "word " * 200 + "ends with 88%"
    assert window(text, 0, len(text), 0, 12)[0] == 0
    low, high = window(text, 0, len(text), len(text) - 3, len(text))
    assert high == len(text) and high - low <= QUOTE_LIMIT
