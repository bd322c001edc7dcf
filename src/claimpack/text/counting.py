"""What counts as a number in a paper's text: the one definition coverage and init share.

`count_numbers(text, vocabulary)` finds, in reading order:
- **numbers in digits**: 43,000  2.5  1980s  17th  £120m (`claimpack.paper.NUMBER`);
- **number words** of any value, compounds whole: "nine", "twenty-one", "one hundred and five",
  "two thousand"; vague counts ("dozens", "thousands", "hundreds");
- **ordinals** of any value: "fourth", "twenty-first", "hundredth", "one hundred and first",
  "two-thousandth"; in a compound ("thirteenth-largest") the ordinal counts;
- **rank words**: a place in an order without an ordinal ("the foremost recipient", "the top
  donor", "the leading supplier", "the runner-up", "the last", "penultimate");
- **multiplicative words**: "double", "tripled", "quadrupling", "halved", and "-fold" after any
  number word ("twofold", "two-fold", "twenty-fivefold", "hundredfold");
- **fractions**: "half", "a quarter", "one-third", "two thirds", "three-quarters", "tenths";
- **number-like words**: "both", "only", "single", "twice", "a decade", "a pair", "majority";
- **Roman numerals** of any value: "World War II", "Resolution XV", "Title IV", "Louis XIV",
  "MCMXC", "(iv)". Only real ones: the pronoun "I", an initial ("Jorge I. Dominguez"), a single
  C, D, L or M (a letter: "Appendix C", "vitamin D"), words such as "mix", "civil" or "did", and
  acronyms such as "ML", "CI" or "DC" are not numbers. The rule, by what a numeral looks like:
  * two or more of I, V and X (II, IV, XV, XXXIII): always a numeral;
  * a single I, V or X: after a numbering word ("Title V", "Part I", "World War I") or a
    capitalised word that does not start its sentence ("Henry V", "Subtitle I"), or numbering a
    heading or list item ("I. Introduction"), but not as an initial ("Jorge I. Dominguez");
  * a numeral with L, C, D or M: of four letters or more (MCMXC, LXXIV), or after a numbering
    word ("Chapter XL", "Super Bowl LIV"), or numbering a heading or list item;
  * in lower case, only I, V and X, in parentheses ("(ii)") or numbering a list item ("iv)").

A scale or span word right after a number is part of it, not a second number ("236 million",
"three decades", "the 21st century"), and a letter an editor bracketed in a quotation hides
nothing ("[o]nly"). Every word list comes from the package's vocabulary (`claimpack.model.vocabulary`):
the descriptor's `claimpack` section may replace any of them, English by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from .paper import NUMBER

# What a message calls each kind of number.
DIGITS = "number"
NUMBER_WORD = "number word"
ORDINAL = "ordinal"
RANK = "rank word"
MULTIPLICATIVE = "multiplicative word"
FRACTION = "fraction"
NUMBER_LIKE = "number-like word"
ROMAN = "Roman numeral"
KINDS = (DIGITS, NUMBER_WORD, ORDINAL, RANK, MULTIPLICATIVE, FRACTION, NUMBER_LIKE, ROMAN)

_EDITORIAL = re.compile(r"[\[\]]")
_SPACES = re.compile(r"\s+")
_SUFFIX = re.compile(r"(?<=\d)[^\W\d_]+\Z")  # 21st, 1980s, £120m, 10km
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")
_NON_DIGIT = re.compile(r"[^0-9]")
_AFTER_DIGITS = re.compile(r"\d(?:st|nd|rd|th|s)? \Z")
_CANONICAL_ROMAN = re.compile(r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\Z")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
# A run of Roman letters standing alone: not glued to letters, digits or the marks of a compound
# name ("C/C++", "I/O", "AT&T", "MS-13"); a hyphen after it is allowed ("XIV-3", "Title IV-E").
_UPPER_ROMAN = re.compile(r"(?<![\w/+&'’\-])[IVXLCDM]+(?![\w/+&'’])")
_LOWER_ROMAN = re.compile(r"(?<![\w/+&'’\-])[ivx]+(?![\w/+&'’\-])")
_PREVIOUS_WORD = re.compile(r"([^\W\d_][\w'’.]*)[ \t\u00a0]\Z")
_BLOCK_START = re.compile(r"(?:[-*+][ \t]+)?[(\[]?\Z")  # what may stand before a heading's or item's numbering
_SENTENCE_END = re.compile(r"(?:\A|[.!?:;][\"'”’)\]]*\s+)[\"'“‘(\[]*\Z")


def token_value(token: str) -> str:
    """The digits of a number token without separators, letters or leading zeros ("1980s" -> "1980")."""
    if token.isdecimal():  # digits only (as \d matches them): nothing to strip but leading zeros
        return token.lstrip("0") or "0"
    digits = _SUFFIX.sub("", token)
    digits = _NON_DIGIT.sub("", digits) if _GROUPED.fullmatch(digits) else digits
    return digits.lstrip("0") or "0"


def roman_value(token: str) -> int | None:
    """The value of a Roman numeral in canonical form ("XIV" -> 14; "iv" -> 4), else None ("IIII", "MIXED")."""
    upper = token.upper()
    if not upper or not (token.isupper() or token.islower()) or not _CANONICAL_ROMAN.match(upper):
        return None
    total = 0
    for letter, following in zip(upper, [*upper[1:], ""]):
        value = _ROMAN_VALUES[letter]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def key_of(token: str) -> str:
    """What an occurrence is compared by (and an exclusion names it by): a digit token's digits, a
    Roman numeral in capitals, a word in lower case without an editor's brackets."""
    if token[:1].isdigit():
        return token_value(token)
    if roman_value(token) is not None and (token.isupper() or set(token) <= set("ivx")):
        return token.upper()
    return _SPACES.sub(" ", _EDITORIAL.sub("", token).lower())


@dataclass(frozen=True, slots=True)
class Counted:
    """One number of a text: where it stands, how it is compared, its value where known, and its kind."""

    start: int
    end: int
    key: str
    value: float | None
    kind: str

    @property
    def is_word(self) -> bool:
        return self.kind != DIGITS

    @property
    def value_key(self) -> str | None:
        """The value as a dates or a period names it ("twenty-first" -> "21"), or None."""
        if self.value is None:
            return None
        return str(int(self.value)) if float(self.value).is_integer() else repr(float(self.value))


@dataclass(frozen=True, slots=True)
class _Word:
    """One word of a run of number words, as the grammar of compounds reads it."""

    text: str
    role: str  # cardinal | scale | ordinal | fraction | other
    value: float | None  # a cardinal's or ordinal's value, a scale's multiplier, a fraction's denominator
    kind: str
    fold: bool = False  # "-fold" after it ("twofold")
    fraction: bool = False  # an ordinal that also names a fraction's denominator ("third", "fifth")


class Counter:
    """Counts the numbers of texts with one vocabulary (build once, use for every block)."""

    def __init__(self, vocabulary) -> None:
        self.vocabulary = vocabulary
        lower = _lower_keys
        self.cardinals = lower(vocabulary.number_words)
        self.scales = {w: 10 ** p for w, p in lower(vocabulary.scale_words).items()}
        self.ordinals = lower(vocabulary.ordinal_words)
        self.ranks = lower(vocabulary.rank_words)
        self.multiples = lower(vocabulary.multiplicative_words)
        ordinals = set(self.ordinals)
        # fractions that are not ordinals: "half", "quarter", "thirds" ("third" is an ordinal, and a
        # fraction only after a number word: "one-third")
        self.fractions = {w: d for w, d in lower(vocabulary.fraction_words).items() if w not in ordinals}
        self.denominators = lower(vocabulary.fraction_words)
        self.like = lower(vocabulary.number_like_words)
        self.attached = {*self.scales, *lower(vocabulary.period_words)}
        self.suffixes = tuple(s.lower() for s in vocabulary.multiplicative_suffixes)
        self.joiners = tuple(w.lower() for w in vocabulary.number_joiners)
        self.numbering = {w.lower().rstrip(".") for w in vocabulary.numbering_words}
        self.roman = vocabulary.roman_numerals
        atoms = {*self.cardinals, *self.scales, *self.ordinals, *self.ranks, *self.multiples, *self.fractions,
                 *self.like}
        atoms.discard("")
        self.words = _words_pattern(atoms, self.suffixes, self.joiners)
        joiners = "|".join(map(re.escape, self.joiners))
        self._gap = re.compile(rf"\s+(?:({joiners})\s+)?\Z" if joiners else r"\s+()\Z", re.I)

    # ---- the whole text ----------------------------------------------------------------------
    def count(self, text: str) -> list[Counted]:
        """Every number of `text`, in reading order."""
        found = [Counted(m.start(), m.end(), token_value(m.group()), _digit_value(m.group()), DIGITS)
                 for m in NUMBER.finditer(text)]
        digits_end = {c.end for c in found}
        found.extend(self._word_numbers(text, digits_end))
        if self.roman:
            found.extend(self._romans(text))
        found.sort(key=lambda c: c.start)
        return found

    # ---- words ---------------------------------------------------------------------------------
    def _word_numbers(self, text: str, digits_end: set[int]) -> list[Counted]:
        if self.words is None:
            return []
        found: list[Counted] = []
        run: list[tuple[int, int, _Word]] = []  # the words of one possible compound, with their spans
        previous_end = -1
        for match in self.words.finditer(text):
            start, end = match.span()
            pieces = self._pieces(match.group(), start)
            if not pieces:
                continue
            if run:
                gap = self._gap.match(text, run[-1][1], start)
                if gap and _continues(run[-1][2], pieces[0][2], joined_by_and=bool(gap.group(1))):
                    run.extend(pieces)
                    previous_end = end if pieces[-1][2].role in ("cardinal", "scale", "ordinal") else -1
                    continue
            found.extend(self._compounds(run, text))
            run = []
            after_number = start >= 2 and text[start - 1] == " " and (
                previous_end == start - 1 or (start - 1) in digits_end or
                bool(_AFTER_DIGITS.search(text, max(0, start - 8), start)))
            # a span word joins only a number ("three decades"), not a rank or a count ("the last decade")
            previous_end = end if pieces[-1][2].role in ("cardinal", "scale", "ordinal") else -1
            if pieces[0][2].text in self.attached and after_number and len(pieces) == 1:
                continue  # "236 million", "three decades": one number; "in 2018 twelve countries": two
            run = pieces
        found.extend(self._compounds(run, text))
        return found

    def _pieces(self, token: str, start: int) -> list[tuple[int, int, _Word]]:
        """The words of a hyphenated run ("twenty-first", "two-fold"), each with its span."""
        whole = self._word(token) if "-" in token else None
        if whole is not None:
            return [(start, start + len(token), whole)]  # "runner-up"
        pieces: list[tuple[int, int, _Word]] = []
        offset = start
        for part in token.split("-"):
            end = offset + len(part)
            word = self._word(part)
            if word is None and pieces and part.lower() in self.suffixes:
                last = pieces[-1]
                pieces[-1] = (last[0], end, _fold(last[2]))
            elif word is not None:
                pieces.append((offset, end, word))
            offset = end + 1
        return pieces

    def _word(self, text: str) -> _Word | None:
        """One word's role in a compound ("twenty": cardinal 20), "fold" after it noted."""
        plain = _SPACES.sub(" ", _EDITORIAL.sub("", text).lower())
        for suffix in self.suffixes:
            if plain.endswith(suffix) and plain != suffix and plain not in self.like:
                base = self._word(text[: len(text) - len(suffix)])
                return _fold(base) if base is not None and base.role in ("cardinal", "scale") else None
        if plain in self.ordinals:
            return _Word(plain, "ordinal", self.ordinals[plain], ORDINAL, fraction=plain in self.denominators)
        if plain in self.ranks:
            return _Word(plain, "other", self.ranks[plain], RANK)
        if plain in self.multiples:
            return _Word(plain, "other", self.multiples[plain], MULTIPLICATIVE)
        if plain in self.fractions:
            denominator = self.fractions[plain]
            return _Word(plain, "fraction", denominator, FRACTION)
        if plain in self.scales:
            return _Word(plain, "scale", self.scales[plain], NUMBER_WORD)
        if plain in self.cardinals:
            value = self.cardinals[plain]
            return _Word(plain, "cardinal" if value is not None else "other", value, NUMBER_WORD)
        if plain in self.like:
            return _Word(plain, "other", self.like[plain], NUMBER_LIKE)
        return None

    def _compounds(self, run: list[tuple[int, int, _Word]], text: str) -> list[Counted]:
        """Read a run of number words as numbers, longest compounds first ("one hundred and first"); a span
        word right after one is part of it ("twenty-first-century")."""
        found: list[Counted] = []
        index = 0
        while index < len(run):
            if found and run[index][2].text in self.attached and run[index][0] - found[-1].end <= 1:
                index += 1
                continue
            length, value, kind = _longest_compound([word for _, _, word in run[index:]])
            start, end = run[index][0], run[index + length - 1][1]
            found.append(Counted(start, end, key_of(text[start:end]), value, kind))
            index += length
        return found

    # ---- Roman numerals ------------------------------------------------------------------------
    def _romans(self, text: str) -> list[Counted]:
        found = []
        for match in _UPPER_ROMAN.finditer(text):
            if self._is_upper_numeral(text, match.start(), match.end()):
                found.append(Counted(match.start(), match.end(), match.group(), roman_value(match.group()), ROMAN))
        for match in _LOWER_ROMAN.finditer(text):
            if self._is_lower_numeral(text, match.start(), match.end()):
                found.append(Counted(match.start(), match.end(), match.group().upper(),
                                     roman_value(match.group()), ROMAN))
        return found

    def _is_upper_numeral(self, text: str, start: int, end: int) -> bool:
        token = text[start:end]
        if roman_value(token) is None:
            return False
        after = text[end:end + 3]
        if after[:1] == "-" and len(token) == 1:
            return False  # "M-18", "X-ray", "C-130": a letter of a name
        numbering = self._numbers_a_block(text, start, after)
        if len(token) >= 2 and set(token) <= {"I", "V", "X"}:
            return True  # II, IV, XV, XXXIII
        if len(token) == 1:
            if token in {"C", "D", "L", "M"}:
                return False  # a letter ("Appendix C", "Part D", "vitamin D"), never 100, 500, 50, 1000
            if re.match(r"\.\s+[A-Z]", after) and not numbering:
                return False  # an initial: "Jorge I. Dominguez", "Harry S. Truman"
            return numbering or self._after_numbering_word(text, start, capitalised=True)
        return len(token) >= 4 or numbering or self._after_numbering_word(text, start, capitalised=False)

    def _is_lower_numeral(self, text: str, start: int, end: int) -> bool:
        if roman_value(text[start:end]) is None:
            return False
        if text[start - 1:start] == "(" and text[end:end + 1] == ")":
            return True  # "(ii)"
        if self._after_numbering_word(text, start, capitalised=False):
            return True  # "p. xiv", "vol. ii"
        return text[end:end + 1] in (")", ".") and text[end + 1:end + 2] in (" ", "") and \
            bool(_BLOCK_START.fullmatch(text, 0, start))  # "- iv) ..." numbering an item

    def _numbers_a_block(self, text: str, start: int, after: str) -> bool:
        """A heading or list item numbered with it: "I. Introduction", "- IV) Findings"."""
        return after[:1] in (".", ")", ":") and after[1:2] in (" ", "") and bool(_BLOCK_START.fullmatch(text, 0, start))

    def _after_numbering_word(self, text: str, start: int, *, capitalised: bool) -> bool:
        """After a numbering word ("Title", "War", "Chapter"), or with `capitalised`, after a capitalised
        word that does not start its sentence ("Henry V"; not "Then I", and not in a heading in capitals)."""
        match = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
        if not match:
            return False
        word = match.group(1)
        if word.lower().rstrip(".") in self.numbering:
            return True
        if not capitalised or not word[:1].isupper() or word.isupper() or word.endswith("."):
            return False
        return not _SENTENCE_END.search(text, max(0, match.start() - 8), match.start())


def _lower_keys(words) -> dict:
    return {" ".join(str(w).lower().split()): v for w, v in words.items()}


def _fold(word: _Word) -> _Word:
    return _Word(word.text, word.role, word.value, MULTIPLICATIVE, fold=True, fraction=word.fraction)


def _digit_value(token: str) -> float | None:
    digits = token_value(token)
    try:
        return float(digits)
    except ValueError:
        return None


def _continues(previous: _Word, word: _Word, *, joined_by_and: bool = False) -> bool:
    """Whether `word` continues the compound that `previous` ends: "twenty-one", "three hundred",
    "hundred and five", "one hundred and first", "two thirds", "one-third"."""
    if previous.fold or previous.value is None or word.value is None:
        return False
    if word.role == "scale" or (word.role == "ordinal" and word.value >= 100):  # "three hundred", "two-thousandth"
        return not joined_by_and and (previous.role == "cardinal" or
                                      (previous.role == "scale" and previous.value < word.value))
    if previous.role == "scale":  # "hundred and five", "thousand two", "hundred and first"
        return word.role in ("cardinal", "ordinal") and word.value < previous.value
    if previous.role != "cardinal" or joined_by_and:
        return False
    if word.role in ("cardinal", "ordinal") and 20 <= previous.value < 100 and previous.value % 10 == 0:
        return 0 < word.value < 10  # "twenty-one", "twenty first"
    if word.role == "fraction":
        return True  # "two thirds", "three-quarters"
    return word.role == "ordinal" and word.fraction and previous.value < 20  # "one-third", "three fifth"


def _names_a_fraction(index: int, previous: _Word | None, word: _Word) -> bool:
    """A fraction, not an ordinal: a denominator right after a small number that starts the compound
    ("one-third", "two fifths"); "eight hundredth" after a scale, or alone, is an ordinal."""
    if word.role == "fraction":
        return True
    return (word.role == "ordinal" and word.fraction and index == 1 and previous is not None
            and previous.role == "cardinal" and previous.value < 20 and word.value < 100)


def _longest_compound(words: list[_Word]) -> tuple[int, float | None, str]:
    """The longest compound at the start of `words`: (how many words, its value, its kind)."""
    first = words[0]
    if first.role not in ("cardinal", "scale") or first.fold or first.value is None:
        return 1, _value_of(first), first.kind
    total, current = Fraction(0), Fraction(0)
    count, kind = 0, NUMBER_WORD
    for index, word in enumerate(words):
        previous = words[index - 1] if index else None
        if previous is not None and not _continues(previous, word):
            break
        count += 1
        value = Fraction(word.value)
        if _names_a_fraction(index, previous, word):
            return count, float((total + current) / value), FRACTION  # "two thirds", "one-third"
        if word.role == "scale" or (word.role == "ordinal" and word.value >= 100):
            if value >= 1000:
                total, current = total + (current or 1) * value, Fraction(0)
            else:
                current = (current or 1) * value
        else:
            current += value
        if word.role == "ordinal":
            kind = ORDINAL
            break
        if word.fold:
            kind = MULTIPLICATIVE
            break
    return count, float(total + current), kind


def _value_of(word: _Word) -> float | None:
    if word.role == "fraction":
        return 1 / word.value if word.value else None
    return None if word.value is None else float(word.value)


def _words_pattern(atoms: set[str], suffixes: tuple[str, ...], joiners: tuple[str, ...] = ()) -> re.Pattern | None:
    """Whole words of `atoms` in any case, hyphenated runs of them whole ("twenty-first", "hundred-and-first"),
    "-fold" after them, and a first letter an editor bracketed ("[o]nly")."""
    if not atoms:
        return None

    words = words_alternation(atoms, editorial=True)
    fold = "|".join(map(re.escape, suffixes))
    atom = rf"(?:{words})(?:-?(?:{fold}))?" if fold else rf"(?:{words})"
    first = "".join(sorted({w[0].lower() for w in atoms} | {w[0].upper() for w in atoms}))
    # the leading class of first letters lets the scan skip most positions at C speed
    joined = "".join(f"(?:{re.escape(joiner)}-)?" for joiner in joiners[:1]) if joiners else ""
    if len(joiners) > 1:
        joined = "(?:(?:" + "|".join(map(re.escape, joiners)) + ")-)?"
    return re.compile(rf"(?=[{re.escape(first + '[')}])(?<![\w-]){atom}(?:-{joined}{atom})*(?![\w])", re.IGNORECASE)


def words_alternation(words: Iterable[str], *, editorial: bool = False) -> str:
    """One regular expression for many words, their common beginnings shared ("t(?:en(?:th)?|wo|...)"):
    Python's engine tries an alternation's branches one by one, a prefix tree only the branches that fit.
    A space matches any run of white space; with `editorial`, a first letter may be bracketed ("[o]nly")."""
    root: dict = {}
    for word in words:
        node = root
        for char in " ".join(word.lower().split()):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict, depth: int) -> str:
        branches = []
        for char in sorted(key for key in node if key):
            if char == " ":
                piece = r"\s+"
            elif editorial and depth == 0 and char.isalpha():
                piece = rf"(?:{re.escape(char)}|\[{re.escape(char)}\])"
            else:
                piece = re.escape(char)
            branches.append(piece + emit(node[char], depth + 1))
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here, or goes on (the longer first: the match is greedy)
            return f"(?:{group})?" if len(branches) == 1 else group + "?"
        return group

    return emit(root, 0)


def count_numbers(text: str, vocabulary) -> list[Counted]:
    """Every number coverage counts in `text` (see the module docstring), in reading order."""
    return vocabulary.counter.count(text)
