"""What counts as a number (claimpack.text.counting), tested by class: every English cardinal and ordinal to
a million, every Roman numeral to 3999, every "-fold" word, every multiplicative and fraction form.

The spellings and numerals are generated here, independently of claimpack, so a word the vocabulary
misses or a compound the grammar misreads fails by name.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimpack.model.vocabulary import Vocabulary
from claimpack.text.counting import (
    FRACTION,
    MULTIPLICATIVE,
    NUMBER_LIKE,
    NUMBER_WORD,
    ORDINAL,
    RANK,
    ROMAN,
    count_numbers,
    key_of,
    roman_value,
)

ENGLISH = Vocabulary()
UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
             "nine": "ninth", "twelve": "twelfth"}


def spell(n: int, *, hyphen: str = "-", conjunction: bool = True) -> str:
    """English words for 0 <= n < 10**9: 'one hundred and five', 'twenty-one', 'two million three'."""
    if n < 20:
        return UNITS[n]
    if n < 100:
        return TENS[n // 10] + (hyphen + UNITS[n % 10] if n % 10 else "")
    for size, name in ((10 ** 6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            head, rest = divmod(n, size)
            words = f"{spell(head, hyphen=hyphen, conjunction=conjunction)} {name}"
            if not rest:
                return words
            joiner = " and " if conjunction and rest < 100 else " "
            return words + joiner + spell(rest, hyphen=hyphen, conjunction=conjunction)
    raise AssertionError(n)


def ordinal(n: int) -> str:
    """English ordinal words: 'twenty-first', 'one hundred and first', 'two thousandth'."""
    words = spell(n)
    head, sep, last = max(((words[:i], words[i], words[i + 1:]) for i in range(len(words)) if words[i] in " -"),
                          default=("", "", words), key=lambda part: len(part[0]))
    if last in IRREGULAR:
        last = IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def roman(n: int) -> str:
    table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
             (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    found = ""
    for value, letters in table:
        while n >= value:
            found, n = found + letters, n - value
    return found


def counted(text: str) -> list[tuple[str, str, float | None]]:
    return [(c.kind, text[c.start:c.end], c.value) for c in count_numbers(text, ENGLISH)]


def one(text: str, words: str):
    """The one number `text` holds, which must be exactly `words`."""
    found = counted(text)
    assert len(found) == 1 and found[0][1] == words, (text, found)
    return found[0]


# ---- number words and ordinals of any value ---------------------------------------------------------
SAMPLE = sorted({*range(0, 130), *random.Random(21).sample(range(130, 10 ** 6), 150), 1000, 2000, 10 ** 6})


@pytest.mark.parametrize("n", SAMPLE)
def test_every_cardinal_in_words_is_one_number_of_its_value(n):
    for words in {spell(n), spell(n, conjunction=False)}:
        kind, _, value = one(f"They counted {words} delegates.", words)
        assert (kind, value) == (NUMBER_WORD, n)


@pytest.mark.parametrize("n", [n for n in SAMPLE if n > 0])
def test_every_ordinal_in_words_is_one_ordinal_of_its_value(n):
    words = ordinal(n)
    kind, _, value = one(f"It was the {words} meeting.", words)
    assert (kind, value) == (ORDINAL, n)
    kind, _, value = one(f"It is the {words}-largest economy.", words)  # "thirteenth-largest"
    assert (kind, value) == (ORDINAL, n)
    if n < 1000:
        hyphenated = words.replace(" ", "-")  # "one-hundred-and-first"
        kind, _, value = one(f"the {hyphenated} session", hyphenated)
        assert (kind, value) == (ORDINAL, n)


def test_ordinals_in_digits_are_numbers():
    for n in (1, 2, 3, 4, 11, 12, 13, 17, 21, 22, 101, 111, 1001):
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        assert counted(f"ranked {n}{suffix} and the {n}{suffix}-largest") == [
            ("number", f"{n}{suffix}", n), ("number", f"{n}{suffix}", n)]


def test_two_numbers_side_by_side_stay_two():
    assert counted("two three-year terms, one two") == [
        (NUMBER_WORD, "two", 2), (NUMBER_WORD, "three", 3), (NUMBER_WORD, "one", 1), (NUMBER_WORD, "two", 2)]
    assert counted("the first and second") == [(ORDINAL, "first", 1), (ORDINAL, "second", 2)]
    assert counted("ninety, one") == [(NUMBER_WORD, "ninety", 90), (NUMBER_WORD, "one", 1)]


def test_a_span_or_scale_word_after_a_number_is_part_of_it():
    assert counted("three decades, the twentieth century, the twenty-first-century, 236 million, a million") == [
        (NUMBER_WORD, "three", 3), (ORDINAL, "twentieth", 20), (ORDINAL, "twenty-first", 21),
        ("number", "236", 236), (NUMBER_WORD, "million", 10 ** 6)]
    # but not after a rank or a count: "the last decade" is a rank word and a span
    assert counted("in the last decade") == [(RANK, "last", None), (NUMBER_LIKE, "decade", 10)]


def test_vague_counts_are_counted():
    for word in ("dozens", "hundreds", "thousands", "millions", "billions", "tens"):
        assert one(f"{word.capitalize()} of people came.", word.capitalize())[0] == NUMBER_LIKE


# ---- rank words -------------------------------------------------------------------------------------
@pytest.mark.parametrize("word", ["foremost", "topmost", "top", "leading", "runner-up", "last", "next-to-last",
                                  "penultimate", "antepenultimate"])
def test_rank_words_are_counted(word):
    assert one(f"Colombia was the {word} recipient.", word)[0] == RANK


def test_superlatives_and_words_of_importance_are_not_rank_words():
    assert counted("the largest, the most important, the main, chief, principal and primary donor; the former "
                   "and the latter") == []


# ---- multiplicative words and fractions --------------------------------------------------------------
@pytest.mark.parametrize("n", [*range(2, 100), 100, 1000, 250, 1500])
def test_fold_after_any_number_word_is_multiplicative(n):
    words = spell(n)
    for written in (words + "fold", words + "-fold"):
        if " " in written:
            continue  # "two hundred fiftyfold" is not written
        kind, _, value = one(f"a {written} rise", written)
        assert (kind, value) == (MULTIPLICATIVE, n)


def test_fold_in_digits_is_a_number():
    assert counted("a 10-fold rise, 2.5-fold") == [("number", "10", 10), ("number", "2.5", 2.5)]


def test_manifold_is_not_a_number():
    assert counted("manifold concerns, a manyfold rise") == []


@pytest.mark.parametrize(("base", "value"), [("double", 2), ("triple", 3), ("treble", 3), ("quadruple", 4),
                                             ("quintuple", 5), ("sextuple", 6), ("septuple", 7), ("octuple", 8),
                                             ("decuple", 10), ("halve", 0.5)])
def test_every_form_of_a_multiplicative_verb_counts(base, value):
    for form in (base, base + "s", base + "d", base[:-1] + "ing"):
        kind, _, found = one(f"Exports {form} the year after.", form)
        assert (kind, found) == (MULTIPLICATIVE, value)


@pytest.mark.parametrize("numerator", range(1, 10))
@pytest.mark.parametrize(("name", "denominator"), [("third", 3), ("quarter", 4), ("fourth", 4), ("fifth", 5),
                                                   ("sixth", 6), ("seventh", 7), ("eighth", 8), ("ninth", 9),
                                                   ("tenth", 10)])
def test_fractions_in_words(numerator, name, denominator):
    plural = name + "s" if numerator > 1 else name
    for written in (f"{UNITS[numerator]}-{plural}", f"{UNITS[numerator]} {plural}"):
        kind, _, value = one(f"about {written} of the budget", written)
        assert kind == FRACTION and value == pytest.approx(numerator / denominator)


def test_a_hundredth_is_one_number_either_way():
    """"one hundredth" is an ordinal or a fraction by its sense; one number to account for either way."""
    assert one("the one hundredth anniversary", "one hundredth")[2] == 100
    assert one("two hundredths of the budget", "two hundredths")[:2] == (FRACTION, "two hundredths")


def test_half_and_quarter_alone_are_fractions():
    assert counted("half of them and a quarter of the rest") == [(FRACTION, "half", 0.5), (FRACTION, "quarter", 0.25)]


# ---- Roman numerals ----------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [n for n in (*range(1, 120), *random.Random(15).sample(range(120, 4000), 80), 3999)
                               if roman(n) not in ("C", "D", "L", "M")])  # a single C, D, L or M is a letter
def test_every_roman_numeral_after_a_numbering_word_is_counted(n):
    numeral = roman(n)
    for text in (f"Under Title {numeral} of the act, funds rose.", f"during World War {numeral}, troops",
                 f"Chapter {numeral}: the means"):
        kind, _, value = one(text, numeral)
        assert (kind, value) == (ROMAN, n)


@given(st.integers(min_value=2, max_value=39).map(roman).filter(lambda r: len(r) >= 2))
def test_two_or_more_of_i_v_x_are_a_numeral_anywhere(numeral):
    assert counted(f"the {numeral} meeting") == [(ROMAN, numeral, roman_value(numeral))]


@pytest.mark.parametrize("n", [n for n in range(1, 4000, 7) if len(roman(n)) >= 4])
def test_a_long_numeral_is_counted_without_context(n):
    assert counted(f"in the year {roman(n)} it rained") == [(ROMAN, roman(n), n)]


@pytest.mark.parametrize("text", [
    "I think so, and I said it; then I left. As I wrote, I am sure I was right.",  # the pronoun
    "Jorge I. Dominguez, Franklin D. Roosevelt and Harry S. Truman, David C. LaFevor",  # initials
    "Appendix C, Medicare Part D, vitamin D, grade C, size L, the M-18 gang, an X-ray, C-130s",  # letters
    "mix, civil, did, vivid, mild, dim, lid, mid, ill, MIX, DID, CIVIL, Mix",  # words of Roman letters
    "Washington, DC; a CD; an MD program; her CV; the CI pipeline; the ML workload; C/C++ and I/O; AT&T",
    "WWII and WWI, MS-13, MCMXCIVX, IIII, VV, IC, XM radio",  # glued or not canonical
    "the a) b) c) d) items; (c) there occurred",  # letters that enumerate
])
def test_what_only_looks_like_a_roman_numeral_is_not_counted(text):
    assert [c for c in counted(text) if c[0] == ROMAN] == []


def test_a_single_numeral_after_a_capitalised_word_or_numbering_a_heading():
    assert [c[1] for c in counted("as Henry V and Louis XIV and Pope John Paul II")] == ["V", "XIV", "II"]
    assert counted("I. Introduction") == [(ROMAN, "I", 1)]
    assert counted("- IV) Findings") == [(ROMAN, "IV", 4)]
    assert counted("- iv) items and (ii) and p. xiv") == [(ROMAN, "iv", 4), (ROMAN, "ii", 2), (ROMAN, "xiv", 14)]
    assert counted("Title XL, Super Bowl LIV, Annex D") == [(ROMAN, "XL", 40), (ROMAN, "LIV", 54)]


def test_roman_numerals_are_keyed_in_capitals():
    assert key_of("II") == "II" and key_of("iv") == "IV" and key_of("Twenty-One") == "twenty-one"
    assert key_of("[o]nly") == "only" and key_of("43,000") == "43000" and key_of("mix") == "mix"
    assert roman_value("MCMXC") == 1990 and roman_value("IIII") is None and roman_value("Mix") is None


# ---- the vocabulary is the package's -----------------------------------------------------------------
def test_a_package_declares_its_own_ranks_multiples_and_numbering_words():
    words = Vocabulary.from_settings({"rank_words": {"premier": 1, "principal": None},
                                      "multiplicative_words": {"doble": 2}, "multiplicative_suffixes": "",
                                      "numbering_words": ["Tome"], "roman_numerals": True})
    found = [(c.kind, c.key) for c in count_numbers("the premier and principal donor; doble; twofold; Tome V; "
                                                   "the foremost; Title V", words)]
    assert found == [(RANK, "premier"), (RANK, "principal"), (MULTIPLICATIVE, "doble"), (ROMAN, "V")]


def test_roman_numerals_can_be_turned_off():
    words = Vocabulary.from_settings({"roman_numerals": False})
    assert count_numbers("World War II and Resolution XV", words) == []


@given(st.lists(st.sampled_from(sorted(ENGLISH.counting_words)), min_size=1, max_size=40, unique=True),
       st.lists(st.sampled_from([*ENGLISH.counting_words, "the", "tens", "twelfths", "[o]nly", "one  and only",
                                 "Twenty", "tenfold", "x"]), max_size=30))
def test_the_prefix_tree_matches_what_a_plain_alternation_matches(words, text):
    """The shared beginnings change how fast the words are found, never which."""
    import re

    from claimpack.text.counting import words_alternation

    sentence = " ".join(text)
    def plain_word(word: str) -> str:
        rest = r"\s+".join(map(re.escape, word[1:].split(" ")))
        return rf"(?:{re.escape(word[0])}|\[{re.escape(word[0])}\]){rest}"

    plain = "|".join(plain_word(w) for w in sorted(words, key=len, reverse=True))
    tree = words_alternation(words, editorial=True)
    found = [m.group() for m in re.finditer(rf"(?<![\w-])(?:{plain})(?![\w])", sentence, re.I)]
    assert [m.group() for m in re.finditer(rf"(?<![\w-])(?:{tree})(?![\w])", sentence, re.I)] == found
