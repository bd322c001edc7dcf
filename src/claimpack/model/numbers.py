"""Read figures as printed ("\\$2.3 billion", "more than 43,000", "two dollars", "5.154") and print them back.

`parse_figure` turns text into a `Figure` (value, bounds, qualifier, and what kind of quantity
the words say it is). `FigureStyle` captures how a figure was printed, so that a value can be
printed again the same way: `style_of("\\$236 million").format(236e6) == "$236 million"`.
Arithmetic is decimal, so "2.3 billion" is exactly 2300000000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from ..system.escape import unescape_markdown
from ..text import counting
from . import vocabulary
from .units import read_unit
from .vocabulary import CARDINALS, ORDINALS, QUALIFIER_TEXT, SCALE_WORDS, Vocabulary

QUALIFIER_PHRASES = dict(vocabulary.QUALIFIERS)  # the English phrases (a package may declare its own)
LOWER_BOUND = {"more-than", "over", "at-least"}
UPPER_BOUND = {"less-than", "up-to"}
QUALIFIER_WORDS = dict(QUALIFIER_TEXT)  # how the report prints a qualifier
SCALES = {word: power for word, power in SCALE_WORDS.items() if power > 2}
SCALE_ABBREVIATIONS = {"k": 3, "m": 6, "mn": 6, "mm": 6, "bn": 9, "b": 9, "tn": 12, "t": 12}
UNITS_WORDS = {word: value for word, value in CARDINALS.items() if value < 20 and word != "dozen"}
TENS_WORDS = {word: value for word, value in CARDINALS.items() if value >= 20}
ORDINAL_WORDS = dict(ORDINALS)
COMMA_DECIMAL = set(vocabulary.COMMA_DECIMAL)

_WORD_BREAK = re.compile(r"[\s-]+")
_PER_DAY = re.compile(r"\s*(?:per|a) day\Z", re.I)
_PER_UNIT = re.compile(r"\s+(?:per|an?)\s+(?!cent\Z)([^\W\d_][\w-]*)\Z", re.I)  # "€180 per megawatt-hour"
_RATE = re.compile(r"\s+per\s+([0-9][0-9,.]*|hundred|thousand)\Z", re.I)
_ORDINAL_WORD = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*?)(?:-(?:largest|biggest|highest|most \w+))?", re.I)
_ORDINAL_DIGITS_PRINTED = re.compile(r"\d+(?:st|nd|rd|th)(-[^\W\d_]+)?", re.I)  # "13th-largest", "2nd"
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)(?:-(?:largest|biggest|highest))?", re.I)
_DIGIT_OR_LETTER = re.compile(r"\d|[^\W\d_]", re.I)
_ENDS_WITH_DIGIT = re.compile(r"\d\Z")
_UNIT_WORD = re.compile(r"[^\W\d_][\w'-]*")
_BARE_DIGITS = re.compile(r"[0-9][0-9.,\s'\u00a0\u202f]*")
_EDITORIAL_LETTER = re.compile(r"\[(\w)\]")  # "[o]nly": a letter an editor changed in a quotation
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_SPAN = re.compile(r"(?:from\s+)?(.+?)\s+(?:and|to|through|-|–)\s+(.+)", re.I)
_DASHED = re.compile(r"(.*?\d)\s*[-–]\s*(\d.*)")  # 60-75, 10–15%, $2-3 million
_TO = re.compile(r"(.*?\d)\s+(?:to|through)\s+(\S*\d.*)", re.I)  # 15 to 20 per 100,000
_SIGN = re.compile(r"[+\-−]")  # a sign printed before a figure: +3.9, -1.8, −0.4 (U+2212, the minus sign)
_SCIENTIFIC = re.compile(r"([0-9][0-9.,]*)\s?[×x]\s?10(?:\s?\^\s?)?([−-]?\d{1,3})")
# "1.065e-84", "3.2E5": a computer's power of ten; "10^6" alone
_E_NOTATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)[eE]([−+-]?\d{1,3})|()10\s?\^\s?([−-]?\d{1,3})")
_POWER = re.compile(r"([0-9][0-9.,]*)\s?\^\s?([−-]?\d{1,2})")  # a power written with its exponent raised: 10^6
_GLUED_LETTERS = re.compile(r"(?<=\d)[^\d\s.,]+\Z")
_DECADE = re.compile(r"(?:\d*0)s\Z")  # "1990s", "80s": a decade; "4s", "0.60s", "15s": seconds
_SIGN_PHRASE = re.compile(r"[^\w\s]+")  # a qualifier written as signs ("<", "≥", "~"): glued to its figure
_HYPHEN_UNIT = re.compile(r"(?<=[^\W_])-([^\W\d_]+)\Z")
_UNIT_AFTER_DIGITS = re.compile(r"(?<=\d)( ?)([^\d\s][^\s]*)\Z")  # "1.80GHz", "7.6 GiB", "12 gCO2eq/kWh"


def hyphen_unit(word: str, words: Vocabulary) -> str | None:
    """The unit a word joined to a number by a hyphen names, singular as such adjectives are
    ("60-second", "two-minute", "10-year"), or a multiple ("4-fold"); None for a name ("COVID-19")."""
    if word.lower() == "fold":
        return "times"
    found = words.unit_word(word + "s") or (words.unit_word(word) if len(word) > 3 else None)
    return None if found == "times" else found  # "one-time", "two-time": occasions, not a multiple


class FigureError(ValueError):
    """Text that is not a figure this parser understands."""


@dataclass(frozen=True)
class Figure:
    """A parsed figure. For a range, `value` is the lower bound."""

    value: float
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    currency: str = ""  # the ISO 4217 code the figure is written in ("USD"), or ""
    percent: bool = False
    per: int | None = None  # "62 per 100,000" -> 100000
    ordinal: bool = False
    per_day: bool = False
    unit: str = ""  # the unit code a measure word names ("100 nautical miles" -> nautical-miles)
    per_unit: str = ""  # what a price is per ("€180 per megawatt-hour" -> megawatt-hour)


def clean(text: str) -> str:
    """Remove Markdown escapes and emphasis, straighten white space (no-break spaces included)."""
    text = unescape_markdown(text)
    # str.split() splits on exactly the characters \s matches (U+00A0 and U+202F among them)
    return " ".join(text.replace("*", "").split())


def _decimal_digits(token: str, language: str) -> Decimal:
    """Digits with separators -> Decimal, by the language's conventions."""
    token = token.strip().replace(" ", "").replace("'", "").replace("\u00a0", "").replace("\u202f", "")
    comma_decimal = language.split("-")[0].lower() in COMMA_DECIMAL
    thousands, decimal = (".", ",") if comma_decimal else (",", ".")
    if thousands in token:
        groups = token.split(decimal)[0].split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise FigureError(f"{token!r} has misplaced digit group separators")
    if token.count(decimal) > 1:
        raise FigureError(f"{token!r} has more than one decimal mark")
    normal = token.replace(thousands, "").replace(decimal, ".")
    try:
        return Decimal(normal)
    except InvalidOperation:
        raise FigureError(f"{token!r} is not a number") from None


def _split_words(text: str) -> list[str]:
    return [w for w in _WORD_BREAK.split(text) if w]


@dataclass
class _Amount:
    value: Decimal
    currency: str = ""
    percent: bool = False
    per: int | None = None
    ordinal: bool = False
    per_day: bool = False
    unit: str = ""
    per_unit: str = ""


class FigureReader:
    """Reads figures with one package's words: its number words, scales, ordinals, qualifiers,
    currencies and measure units (claimpack.model.vocabulary)."""

    def __init__(self, words: Vocabulary):
        self.vocabulary = words
        self.qualifiers = {" ".join(k.lower().split()): v for k, v in words.qualifiers.items()}
        # Qualifier phrases longest first, as matching wants them, by their first and last three letters:
        # a phrase can only match text that starts or ends the same way.
        self._by_start: dict[str, list[str]] = {}
        self._by_end: dict[str, list[str]] = {}
        for phrase in sorted(self.qualifiers, key=len, reverse=True):
            self._by_start.setdefault(phrase[:3], []).append(phrase)
            self._by_end.setdefault(phrase[-3:], []).append(phrase)
        numbers = {w: v for w, v in words.number_words.items() if v is not None}
        self.units = {w: v for w, v in numbers.items() if v < 20 and w != "dozen"}
        self.tens = {w: v for w, v in numbers.items() if v >= 20 and v % 10 == 0 and v < 100}
        self.dozen = {w for w, v in numbers.items() if w == "dozen"}
        self.scales = {w.lower(): p for w, p in words.scale_words.items()}
        self.big_scales = {w: p for w, p in self.scales.items() if p > 2}
        self.hundred = {w for w, p in self.scales.items() if p == 2}
        self.ordinals = {w.lower(): v for w, v in words.ordinal_words.items()}
        scale_names = "|".join(sorted(map(re.escape, [*self.big_scales, *SCALE_ABBREVIATIONS]), key=len,
                                      reverse=True))
        self._scaled = re.compile(rf"(.*?)[\s-]*({scale_names})", re.I) if scale_names else None
        self._scale_end = re.compile(rf"\b({'|'.join(map(re.escape, self.big_scales))})\Z", re.I) \
            if self.big_scales else None
        # currency marks: symbols before the number, words after it (longest first)
        self.symbols = sorted(((s, c.code) for c in words.currencies for s in c.symbols), key=lambda x: -len(x[0]))
        self.currency_words = sorted(((w.lower(), c.code) for c in words.currencies for w in c.words),
                                     key=lambda x: -len(x[0]))
        self.unit_words = sorted(((w.lower(), code) for w, code in words.unit_words.items()), key=lambda x: -len(x[0]))
        self.fractions = {w.lower(): v for w, v in words.fraction_words.items()}

    # ---- qualifiers
    def read_qualifier(self, text: str) -> tuple[str | None, str]:
        """Split a leading qualifier phrase off `text`: ("more-than", "43,000"), ("less-than", "200") for "<200"."""
        lowered = text.lower()
        for key in (lowered[:3], lowered[:2], lowered[:1]):
            for phrase in self._by_start.get(key, ()):
                if lowered.startswith(phrase + " ") or (_SIGN_PHRASE.fullmatch(phrase) and lowered.startswith(phrase)
                                                        and len(lowered) > len(phrase)):
                    return self.qualifiers[phrase], text[len(phrase):].lstrip()
        return None, text

    def qualifier_before(self, text: str) -> str | None:
        """The qualifier a phrase ends with ("... amounting more than" -> "more-than", "(<" -> "less-than"), if any."""
        glued = clean(text).lower() if text[-1:].strip() else ""  # no space between it and the figure
        lowered = clean(text).lower().rstrip(" \"'“‘")
        for key in (lowered[-3:], lowered[-2:], lowered[-1:]):
            for phrase in self._by_end.get(key, ()):
                if _SIGN_PHRASE.fullmatch(phrase):
                    # "<200", "(≥ 3", "~40%"; "<" and ">" only glued to the figure: "> 4,000" opens a quotation
                    if (glued if phrase.strip("=") in ("<", ">", "&lt;", "&gt;") else lowered).endswith(phrase):
                        return self.qualifiers[phrase]
                elif lowered == phrase or lowered.endswith(" " + phrase) or lowered.endswith("\"" + phrase):
                    return self.qualifiers[phrase]
        return None

    # ---- numbers
    def words_number(self, words: list[str]) -> Decimal | None:
        """Number words -> Decimal ("one hundred fifty" -> 150), or None if not number words."""
        total, current, seen = 0, 0, False
        for word in words:
            word = word.lower()
            if word == "and" and seen:
                continue
            if word in self.units or word in self.tens:
                current += self.units.get(word, self.tens.get(word, 0))
            elif word == "a" and not seen:
                current += 1
            elif word in self.dozen:
                current = (current or 1) * 12
            elif word in self.hundred:
                current = (current or 1) * 100
            elif word in self.big_scales:
                total += (current or 1) * 10 ** self.big_scales[word]
                current = 0
            else:
                return None
            seen = True
        return Decimal(total + current) if seen else None

    def bare_number(self, text: str, language: str) -> Decimal | None:
        """Digits or number words alone, or None."""
        if _BARE_DIGITS.fullmatch(text):
            return _decimal_digits(text, language)
        return self.words_number(_split_words(text))

    def fraction(self, text: str) -> Decimal | None:
        """A fraction in words ("one-third", "two thirds", "a quarter"), or None."""
        words = _split_words(text)
        if len(words) < 2 or words[-1].lower() not in self.fractions:
            return None
        numerator = self.words_number(words[:-1])
        return numerator / Decimal(self.fractions[words[-1].lower()]) if numerator else None

    def amount(self, text: str, language: str) -> _Amount:
        """One amount: "$2.3 billion", "43,000", "88%", "two dollars", "62 per 100,000", "second-largest"."""
        original = text
        text = text.strip()
        sign = _SIGN.match(text)
        if (sign and text[1:2].isdigit()) or (sign and any(text[1:].startswith(s) for s, _ in self.symbols)):
            found = self.amount(text[1:], language)
            return replace_amount(found, value=-found.value) if sign.group() != "+" else found
        currency = ""
        for symbol, code in self.symbols:
            if text.startswith(symbol) and (not symbol[-1:].isalpha() or text[len(symbol):][:1] in (" ", "")
                                            or text[len(symbol):][:1].isdigit()):
                currency, text = code, text[len(symbol):].lstrip()
                break
        per_day = False
        day = _PER_DAY.search(text)
        if day:
            per_day, text = True, text[: day.start()]
        per_unit = ""
        price = None if per_day else _PER_UNIT.search(text)
        if price and (currency or any(text[:price.start()].lower().endswith(" " + word)
                                      for word, _ in self.currency_words)):
            per_unit, text = re.sub(r"[^a-z0-9]+", "-", price.group(1).lower()).strip("-"), text[:price.start()]
        lowered = text.lower()
        for word, code in self.currency_words:
            if lowered.endswith(" " + word):
                currency, text = currency or code, text[: -len(word) - 1]
                break
        for symbol, code in self.symbols:
            if symbol[:1].isalpha() and lowered.endswith(" " + symbol.lower()):
                currency, text = currency or code, text[: -len(symbol) - 1]
                break
        percent = False
        if text.endswith("%"):
            percent, text = True, text[:-1].rstrip()
        else:
            for suffix in (" percent", " per cent", " pct"):
                if text.lower().endswith(suffix):
                    percent, text = True, text[: -len(suffix)]
                    break
        per = None
        rate = _RATE.search(text)
        if rate:
            base = rate.group(1).lower()
            per = 100 if base == "hundred" else 1000 if base == "thousand" else int(_decimal_digits(base, "en"))
            text = text[: rate.start()]
        unit = ""
        joined = _HYPHEN_UNIT.search(text)
        if joined and hyphen_unit(joined.group(1), self.vocabulary):  # "60-second", "two-minute", "4-fold"
            unit, text = hyphen_unit(joined.group(1), self.vocabulary), text[:joined.start()]
        elif re.fullmatch(r".*\d\s?[x×]", text):  # "12x", "2x faster": a multiple
            unit, text = "times", text.rstrip()[:-1]
        if not unit:  # the measure words it ends with, longest first; a symbol as printed ("mW" is not "MW")
            words = text.rsplit(" ", 3)
            for count in range(min(3, len(words) - 1), 0, -1):
                phrase = " ".join(words[-count:])
                code = self.vocabulary.unit_word(phrase)
                if code is not None:
                    unit, text = code, text[: -len(phrase) - 1]
                    break
        if not unit:
            glued = _GLUED_LETTERS.search(text)  # glued to the number: "10km", "60MW" (not the 1990s, not 5G)
            code = self.vocabulary.unit_word(glued.group()) if glued and (
                glued.group() != "s" or not _DECADE.search(text) or "." in text) else None
            if code is not None:
                unit, text = code, text[:glued.start()]
        if not unit:
            symbol = _UNIT_AFTER_DIGITS.search(text)
            found = read_unit(symbol.group(2), self.vocabulary, glued=not symbol.group(1)) if symbol else None
            if found is not None:  # a symbol pint's registry knows: "1.80GHz", "3 mAh", "400 MB/s"
                unit, text = found[0], text[:symbol.start()]
        text = text.strip()
        if not text:
            raise FigureError(f"no number in {original!r}")
        fraction = self.fraction(text)
        if fraction is not None:
            return _Amount(fraction, currency, percent, per, per_day=per_day, unit=unit or "fraction")
        # ordinals and ranks: "second-largest", "first", "twenty-first", "foremost", "21st"
        ordinal_match = _ORDINAL_WORD.fullmatch(text)
        if ordinal_match and ordinal_match.group(1).lower() in self.ordinals:
            return _Amount(Decimal(self.ordinals[ordinal_match.group(1).lower()]), ordinal=True)
        for words in (text, ordinal_match.group(1) if ordinal_match else None):
            counted = self.one_number(words) if words else None
            if counted is not None and counted.kind in (counting.ORDINAL, counting.RANK) and counted.value is not None:
                return _Amount(_decimal(counted.value), ordinal=True)  # "one hundred and first", "foremost"
            if counted is not None and counted.kind == counting.MULTIPLICATIVE and counted.value is not None:
                return _Amount(_decimal(counted.value), unit=unit)  # "twofold", "doubled"
        numeric_ordinal = _ORDINAL_DIGITS.fullmatch(text)
        if numeric_ordinal:
            return _Amount(Decimal(numeric_ordinal.group(1)), ordinal=True)
        scientific = _SCIENTIFIC.fullmatch(text) or _E_NOTATION.fullmatch(text)
        if scientific and scientific.lastindex == 4:  # "10^6": a power of ten alone
            scientific = _E_NOTATION.fullmatch("1e" + scientific.group(4))
        if scientific:  # "1.24×10−5", "3.6 × 10^6", "17.8×109" (a PDF flattens the exponent: 10^9)
            exponent = int(scientific.group(2).replace("−", "-"))
            value = _decimal_digits(scientific.group(1), language).scaleb(exponent)
            if not -300 <= value.adjusted() <= 300:
                raise FigureError(f"{original!r} is beyond what a figure holds (a power of ten over 300)")
            return _Amount(value, currency, percent, per, per_day=per_day, unit=unit, per_unit=per_unit)
        power = _POWER.fullmatch(text)
        if power:  # "10^6" (10<sup>6</sup> of an HTML or Word paper), "2^10"
            base, exponent = _decimal_digits(power.group(1), language), int(power.group(2).replace("−", "-"))
            if base != 0 and abs(exponent) <= 30:
                return _Amount(base ** exponent, currency, percent, per, per_day=per_day, unit=unit, per_unit=per_unit)
        scale = 0
        scaled = self._scaled.fullmatch(text) if self._scaled else None
        if scaled and scaled.group(1) and _DIGIT_OR_LETTER.search(scaled.group(1)):
            word = scaled.group(2).lower()
            if word in self.big_scales or _ENDS_WITH_DIGIT.search(scaled.group(1)):
                scale = self.big_scales.get(word, SCALE_ABBREVIATIONS.get(word, 0))
                text = scaled.group(1).strip()
        value = self.bare_number(text, language)
        if value is None and not scale:
            # a noun after the number: "three countries", "12 rotations"
            words = text.split()
            for cut in range(len(words) - 1, max(0, len(words) - 4), -1):
                tail = words[cut:]
                if all(_UNIT_WORD.fullmatch(word) for word in tail):
                    inner = " ".join(words[:cut])
                    if self.bare_number(inner, language) is not None or (
                            self._scale_end and self._scale_end.search(inner)):
                        found = self.amount(inner, language)
                        return replace_amount(found, currency=found.currency or currency, unit=found.unit or unit)
        if value is None:
            value = self.counted(text)
            if value is not None and value < 1:
                unit = unit or "fraction"  # "half"
        if value is None:
            raise FigureError(f"{original!r} is not a figure (no number in digits or words)")
        return _Amount(value.scaleb(scale) if scale else value, currency, percent, per, per_day=per_day, unit=unit,
                       per_unit=per_unit)

    def one_number(self, text: str) -> counting.Counted | None:
        """The one number `text` is, as coverage counts it ("twenty-first", "foremost"), or None."""
        found = self.vocabulary.counter.count(text)
        return found[0] if len(found) == 1 and found[0].start == 0 and found[0].end == len(text) else None

    def counted(self, text: str) -> Decimal | None:
        """A number-like word ("both", "single") or a count of named items ("[o]nly Mexico and Brazil": 2)."""
        plain = _EDITORIAL_LETTER.sub(r"\1", text)
        counting = self.vocabulary.number_like_words
        value = counting.get(" ".join(plain.lower().split()))
        if value is not None:
            return Decimal(str(value))
        lead, _, rest = plain.partition(" ")
        if lead.lower() in counting and rest:
            names = [name for name in _LIST_SEPARATOR.split(rest.strip()) if name]
            if names and all(name[:1].isupper() for name in names):
                return Decimal(len(names))
        return None

    def parse(self, text: str, language: str = "en") -> Figure:
        """Parse a figure as printed. Raises FigureError for text that is not one."""
        if not isinstance(text, str):
            raise FigureError("figure is not text")
        text = clean(text)
        if not text:
            raise FigureError("figure is empty")
        if len(text) > 200:
            raise FigureError("figure is longer than 200 characters")
        vague = self.vocabulary.vague_counts.get(" ".join(text.lower().split()))
        if vague is not None:  # "millions", "dozens", "tens of thousands": more than the unit they count in
            return Figure(float(vague), float(vague), None, "more-than")
        qualifier, rest = self.read_qualifier(text)
        rest = rest.rstrip(".,;:")
        span = _SPAN.fullmatch(rest) if (qualifier == "between" or rest.lower().startswith("from ")) else None
        if span is None and qualifier is None:
            span = _TO.fullmatch(rest)
        if span is None and qualifier in (None, "between"):
            dashed = _DASHED.fullmatch(rest)
            if dashed and not re.search(r"\d\s*[-–]\s*\d.*[-–]", rest):
                span = dashed
        if qualifier == "between" or span is not None:
            if not span:
                raise FigureError(f"{text!r}: 'between' needs two amounts ('between 50,000 and 100,000')")
            low, high = self.amount(span.group(1), language), self.amount(span.group(2), language)
            if low.value > high.value:
                raise FigureError(f"{text!r}: the range runs backwards")
            for attr in ("currency", "percent", "per", "per_day", "unit", "per_unit"):
                if getattr(high, attr) and not getattr(low, attr):
                    setattr(low, attr, getattr(high, attr))
            if high.value.adjusted() - low.value.adjusted() >= 3 and low.value < 1000 and not low.percent:
                # "$2-3 million": the scale written once applies to both
                scaled = self.amount(span.group(1) + " " + span.group(2).split()[-1], language) \
                    if len(span.group(2).split()) > 1 else None
                if scaled is not None and scaled.value <= high.value:
                    low = replace_amount(scaled, currency=scaled.currency or low.currency)
            return Figure(_number(low.value), _number(low.value), _number(high.value), "between",
                          low.currency, low.percent, low.per, False, low.per_day, low.unit, low.per_unit)
        amount = self.amount(rest, language)
        value = _number(amount.value)
        qualifier = qualifier or "exact"
        return Figure(value, value if qualifier in LOWER_BOUND else None,
                      value if qualifier in UPPER_BOUND else None, qualifier,
                      amount.currency, amount.percent, amount.per, amount.ordinal, amount.per_day, amount.unit,
                      amount.per_unit)


def replace_amount(amount: _Amount, **changes) -> _Amount:
    return _Amount(**{**amount.__dict__, **changes})


def _decimal(value: float) -> Decimal:
    """A counted value as a Decimal: whole numbers exactly, fractions to 12 places."""
    return Decimal(int(value)) if float(value).is_integer() else Decimal(repr(value)).quantize(Decimal("1e-12"))


def _number(value: Decimal) -> float:
    return float(value)


_READERS: dict[int, tuple[Vocabulary, FigureReader]] = {}


def reader(words: Vocabulary | None = None) -> FigureReader:
    """The figure reader of a vocabulary (English with the common currencies by default), built once."""
    words = words if words is not None else _DEFAULT
    found = _READERS.get(id(words))
    if found is None or found[0] is not words:
        found = _READERS[id(words)] = (words, FigureReader(words))
    return found[1]


_DEFAULT = Vocabulary()


def read_qualifier(text: str, words: Vocabulary | None = None) -> tuple[str | None, str]:
    """Split a leading qualifier phrase off `text`: ("more-than", "43,000")."""
    return reader(words).read_qualifier(text)


def qualifier_before(text: str, words: Vocabulary | None = None) -> str | None:
    """The qualifier a phrase ends with ("... amounting more than" -> "more-than"), if any."""
    return reader(words).qualifier_before(text)


def parse_figure(text: str, language: str = "en", words: Vocabulary | None = None) -> Figure:
    """Parse a figure as printed ("$2.3 billion", "more than 43,000", "two dollars", "5.154" in French)."""
    return reader(words).parse(text, language)


# ---- printing figures back ------------------------------------------------------------------
_WORDS_BY_VALUE = {v: k for k, v in {**UNITS_WORDS, **TENS_WORDS}.items()}
_ORDINALS_BY_VALUE = {v: k for k, v in ORDINAL_WORDS.items()}


def number_words(value: int) -> str:
    """0..999 in English words ("thirty", "one hundred fifty")."""
    if value < 0 or value >= 1000:
        raise ValueError("number words are printed for 0..999 only")
    if value in _WORDS_BY_VALUE:
        return _WORDS_BY_VALUE[value]
    if value < 100:
        return f"{_WORDS_BY_VALUE[value - value % 10]}-{_WORDS_BY_VALUE[value % 10]}"
    rest = value % 100
    head = f"{_WORDS_BY_VALUE[value // 100]} hundred"
    return head if not rest else f"{head} {number_words(rest)}"


@dataclass(frozen=True)
class FigureStyle:
    """How a figure was printed: enough to print another value the same way."""

    currency: str = ""  # "$" or "US$"
    scale: str = ""  # "million", "billion", ...
    decimals: int = 0
    grouping: bool = True  # 43,000 rather than 43000
    percent: str = ""  # "%" or " percent"
    per: str = ""  # " per 100,000"
    words: bool = False  # "two", "thirty"
    ordinal: str = ""  # "-largest" suffix for an ordinal, or "" with ordinal_words
    ordinal_words: bool = False
    ordinal_digits: bool = False  # "13th-largest": digits and their suffix, with `ordinal` after them
    fraction: str = ""  # a fraction in words ("two-thirds"): what joins its two words, "-" or " "
    language: str = "en"
    suffix: str = ""  # " dollars"
    counted: str = ""  # a figure of words that count ("both", "only Mexico and Brazil"), printed as is
    counted_value: float | None = None  # the value it stands for

    def format(self, value: float) -> str:
        """Print value in this style."""
        if self.counted and value == self.counted_value:
            return self.counted
        if self.ordinal_digits:
            return _ordinal_suffix(round(value)) + self.ordinal
        if self.fraction and 0 < value < 1:
            return fraction_words(value, self.fraction)
        if self.ordinal_words:
            number = round(value)
            word = _ORDINALS_BY_VALUE.get(number)
            return (word if word else _ordinal_suffix(number)) + self.ordinal
        if self.words and float(value).is_integer() and 0 <= value < 1000:
            body = number_words(int(value))
        else:
            scaled = Decimal(repr(float(value))).scaleb(-SCALES[self.scale]) if self.scale else Decimal(
                repr(float(value)))
            body = _digits(scaled, self.decimals, self.grouping, self.language)
            if self.scale:
                body += " " + self.scale
        return f"{self.currency}{body}{self.suffix}{self.percent}{self.per}"


def ordinal_text(number: int) -> str:
    """An ordinal in words below a hundred ('twentieth', 'twenty-first'), else in digits ('121st')."""
    if number in _ORDINALS_BY_VALUE:
        return _ORDINALS_BY_VALUE[number]
    tens, units = divmod(number, 10)
    if 20 < number < 100 and tens * 10 in _WORDS_BY_VALUE and units in _ORDINALS_BY_VALUE:
        return f"{_WORDS_BY_VALUE[tens * 10]}-{_ORDINALS_BY_VALUE[units]}"
    return _ordinal_suffix(number)


# A denominator's names, singular and plural ("third", "thirds"): the first two the English
# vocabulary lists for it ("quarter", "quarters" before "fourth", "fourths").
_FRACTION_NAMES: dict[int, tuple[str, str]] = {}
for _name, _denominator in vocabulary.FRACTION_WORDS.items():
    _names = _FRACTION_NAMES.get(_denominator)
    if _names is None:
        _FRACTION_NAMES[_denominator] = (_name, _name)
    elif _names[0] == _names[1]:
        _FRACTION_NAMES[_denominator] = (_names[0], _name)


def fraction_words(value: float, joiner: str = "-") -> str:
    """A value between 0 and 1 as a fraction in words where one fits ('two-thirds', 'one-quarter'),
    else in digits to three significant places ('0.417')."""
    for denominator, (one, many) in sorted(_FRACTION_NAMES.items()):
        numerator = round(value * denominator)
        if 0 < numerator < denominator and abs(numerator / denominator - value) < 1e-9 and numerator < 1000:
            return f"{number_words(numerator)}{joiner}{one if numerator == 1 else many}"
    return f"{value:.3g}"


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _digits(value: Decimal, decimals: int, grouping: bool, language: str) -> str:
    decimals = max(decimals, _needed_decimals(value))
    text = f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
    if language.split("-")[0].lower() in COMMA_DECIMAL:
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _needed_decimals(value: Decimal) -> int:
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def style_of(figure: str, language: str = "en") -> FigureStyle:
    """Infer the printing style of a figure as printed."""
    text = clean(figure)
    _, text = read_qualifier(text)
    words = reader()
    if not re.search(r"[0-9]", text) and words.words_number(_split_words(text)) is None:
        counted = words.counted(text)
        if counted is not None:  # "Both", "[o]nly Mexico and Brazil": printed as the paper printed them
            return FigureStyle(words=True, language=language, counted=text, counted_value=float(counted))
        one = words.one_number(text)  # a rank or multiplicative word ("foremost", "twofold"), printed as is
        if one is not None and one.kind in (counting.RANK, counting.MULTIPLICATIVE) and one.value is not None:
            return FigureStyle(words=True, language=language, counted=text, counted_value=float(one.value))
    span = re.fullmatch(r"(.+?)\s+(?:and|to)\s+(.+)", text)
    if span:
        text = span.group(1)
    ranked = _ORDINAL_DIGITS_PRINTED.fullmatch(text.strip())
    if ranked:  # "13th-largest" prints as a rank, never as 13
        return FigureStyle(ordinal_digits=True, ordinal=ranked.group(1) or "", language=language)
    fraction = words.fraction(text.strip())
    if fraction is not None and not re.search(r"[0-9%$]", text):  # "two-thirds" prints as printed, never 0.666...
        return FigureStyle(words=True, fraction="-" if "-" in text else " ", counted=text.strip(),
                           counted_value=float(fraction), language=language)
    currency = next((symbol for symbol, _ in words.symbols if text.startswith(symbol) and not symbol[-1].isalpha()),
                    "$" if "$" in text else "")
    suffix = ""
    lowered = text.lower()
    for word, _ in words.currency_words:
        at = lowered.find(" " + word)
        if at >= 0 and not lowered[at + len(word) + 1:at + len(word) + 2].isalpha():
            suffix = text[at:at + len(word) + 1]
            break
    percent = "%" if text.rstrip().endswith("%") else (" percent" if re.search(r"\bpercent\b", text) else "")
    per = ""
    rate = re.search(r"\s+per\s+[0-9][0-9,]*", text)
    if rate:
        per = rate.group(0)
    scale = next((word for word in SCALES if re.search(rf"\b{word}\b", text)), "")
    digits = re.search(r"[0-9][0-9.,]*", text)
    ordinal_match = re.match(r"([a-z]+)(-[a-z]+)?", text.strip(), re.I)
    if not digits and ordinal_match and ordinal_match.group(1).lower() in ORDINAL_WORDS:
        return FigureStyle(ordinal_words=True, ordinal=ordinal_match.group(2) or "", language=language)
    if not digits:
        return FigureStyle(currency=currency, words=True, percent=percent, per=per, language=language,
                           suffix=" dollars" if "dollar" in text else "")
    token = digits.group().rstrip(".,")
    comma_decimal = language.split("-")[0].lower() in COMMA_DECIMAL
    decimal_mark = "," if comma_decimal else "."
    decimals = len(token.split(decimal_mark)[1]) if decimal_mark in token else 0
    return FigureStyle(currency=currency, scale=scale, decimals=decimals, grouping=True, percent=percent,
                       per=per, language=language, suffix=suffix)


def display_style(style: FigureStyle) -> FigureStyle:
    """The report's style: US dollars are written US$ (the paper's '$236 million US dollars')."""
    if style.currency or style.suffix in (" US dollars",):
        return replace(style, currency="US$", suffix="")
    return style


def describe(value: float, figure: str, qualifier: str, *, language: str = "en",
             value_max: float | None = None) -> str:
    """Print a claim's value the way the paper printed it, qualifier first: 'approximately US$236 million'."""
    style = display_style(style_of(figure, language))
    if qualifier == "between" and value_max is not None:
        return f"between {style.format(value)} and {style.format(value_max)}"
    words = QUALIFIER_WORDS.get(qualifier, "")
    text = style.format(value)
    return f"{words} {text}" if words else text


# The unit a rate names: per 100 is a percent.
RATE_UNITS = {100: "percent", 1000: "per-1k", 10_000: "per-10k", 100_000: "per-100k", 1_000_000: "per-1m"}


def unit_of(parsed: Figure) -> str | None:
    """The unit a figure's own words name (percent, a rate, a currency, a rank, a measure), or None."""
    if parsed.percent:
        return "percent"
    if parsed.per:
        return RATE_UNITS.get(parsed.per, f"per-{parsed.per}")
    if parsed.currency:
        if parsed.per_day or parsed.per_unit:
            return f"{parsed.currency}-per-{parsed.per_unit or 'day'}"
        return parsed.currency
    if parsed.ordinal:
        return "rank"
    return parsed.unit or None


def whole(value: float) -> int | None:
    """The value as an int when it is a whole number a float holds exactly (below 1e15), else None."""
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 1e15 else None


def plain_number(value: float) -> str:
    """A number as a machine writes it, without a trailing .0: 236000000, 62.5, 1e-06."""
    integer = whole(value)
    return str(integer) if integer is not None else repr(float(value))
