"""How records read for a person: one formatter for the report, `show` and `find`.

Numbers are grouped in full (236,000,000, never 2.36e+08); a claim's headline is its figure as
the paper printed it with its qualifier ("less than 300", "approximately US$236 million"); dates
are written out at their precision ("2 December 1823", "December 1823", "1823", "the 1820s");
text from the data loses its Markdown escapes; a sentence ends with one stop, never "?.".
The output is plain text: the report escapes it for Markdown (claimpack.system.escape).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from ..model import vocabulary
from ..model.dates import century_of, offset_years
from ..model.numbers import (
    LOWER_BOUND,
    QUALIFIER_WORDS,
    SCALES,
    UPPER_BOUND,
    describe,
    display_style,
    number_words,
    ordinal_text,
    style_of,
)
from ..system.escape import unescape_markdown

# The month names of claimpack.model.vocabulary (the longest of each month: no abbreviation), January first.
MONTHS = tuple(max((name for name, number in vocabulary.MONTHS.items() if number == month), key=len).capitalize()
               for month in range(1, 13))
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})")
# A sentence's last mark, perhaps followed by closing quotes, brackets or emphasis.
_ENDS_SENTENCE = re.compile(r"[.?!…][\"'”’)\]*_]*\s*\Z")
_SPACE = re.compile(r"\s+")


def number(value: float | int | None) -> str:
    """A value grouped in full: 236,000,000; 2,000,000,000,000; 62.5; 0.000001 ('' for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    try:
        return format(Decimal(repr(float(value))).normalize(), ",f")
    except (InvalidOperation, ValueError):  # an infinite or NaN value from an invalid package
        return str(value)


def text(value: object) -> str:
    """Text from the data as a reader sees it: no Markdown escapes, white space made single."""
    return _SPACE.sub(" ", unescape_markdown(str(value if value is not None else ""))).strip()


def headline(claim) -> str:
    """A claim's figure as the paper printed it, with its qualifier: 'approximately US$236 million'."""
    try:
        return describe(claim.value, claim.figure, claim.qualifier or "exact", language=claim.language or "en",
                        value_max=claim.value_max)
    except (TypeError, ValueError, ArithmeticError, KeyError):  # an invalid claim: its figure as printed
        return text(claim.figure)


def base_value(claim) -> str:
    """A claim's value in base units, grouped, with its bound or range: 'less than 300', '50,000 to 100,000';
    a recurring fraction to four places ('0.6667', never 0.6666666666666666)."""
    low, high = claim.value_min, claim.value_max
    if claim.qualifier == "between" and high is not None:
        return f"{stored(low if low is not None else claim.value)} to {stored(high)}"
    bound = low if claim.qualifier in LOWER_BOUND else high if claim.qualifier in UPPER_BOUND else None
    if bound is not None:
        return f"{QUALIFIER_WORDS[claim.qualifier]} {stored(bound)}"
    return stored(claim.value)


def stored(value: float | int | None) -> str:
    """A stored value for a reader: grouped in full, but a value a division left with a long tail of
    digits (two-thirds) to four significant places."""
    if isinstance(value, float) and not value.is_integer() and math.isfinite(value):
        digits = repr(abs(value)).lstrip("0.").replace(".", "").split("e")[0]
        if len(digits) >= 12:
            return number(float(f"{value:.4g}"))
    return number(value)


def derived(value: float, like, qualifier: str = "approximately", significant: int = 3) -> str:
    """A number computed from claims, printed in the style of the claim `like`, rounded sensibly:
    'approximately US$13.1 million' (383 million, not 0.383 billion)."""
    if value:
        digits = significant - 1 - math.floor(math.log10(abs(value)))
        value = round(value, digits)
    style = display_style(style_of(like.figure, like.language or "en"))
    if style.scale:  # the scale word that suits this value, not the claim's
        fitting = [word for word, power in SCALES.items() if power >= 6 and abs(value) >= 10 ** power]
        style = replace(style, scale=fitting[-1] if fitting else "", decimals=0)
    return f"{QUALIFIER_WORDS.get(qualifier, '')} {style.format(value)}".strip()


def written_date(iso: str | None, precision: str | None = None) -> str:
    """An ISO 8601 date written out at its precision: '2 December 1823', 'December 1823', '1823'.

    The precision is read from the date when none is given; a decade is 'the 1820s', a century
    'the twentieth century'. Text that
    is not an ISO date is returned as it is.
    """
    found = _ISO_DATE.fullmatch((iso or "").strip())
    if not found:
        return iso or ""
    year, month, day = found.groups()
    try:
        if day:
            date(int(year), int(month), int(day))
        if month and not 1 <= int(month) <= 12:
            raise ValueError(month)
    except ValueError:
        return iso or ""
    if precision == "decade":
        return f"the {int(year) // 10 * 10}s"
    if precision == "century":
        century = century_of(int(year))
        return f"the {ordinal_text(century)} century"
    if precision == "year" or not month:
        return str(int(year))
    if precision == "month" or not day:
        return f"{MONTHS[int(month) - 1]} {int(year)}"
    return f"{int(day)} {MONTHS[int(month) - 1]} {int(year)}"


def date_span(start: str | None, end: str | None = None, precision: str | None = None) -> str:
    """A date, or a span whose shared year is written once: '22 June to 15 July 1826'."""
    first = written_date(start, precision)
    if not end or end == start:
        return first
    last = written_date(end, precision)
    same_year = (start or "")[:4] == end[:4] and first != start and last != end
    if same_year and " " in first and precision != "decade":
        first = first.rsplit(" ", 1)[0]
    return f"{first} to {last}"


def relative_date(offset: str | None, anchor: str | None) -> str:
    """How an event the paper dates only relatively stands to what it is dated from: 'ten years
    after plan-colombia', 'ten years before the paper' ('' for an absolute date)."""
    years = offset_years(offset)
    if not years:
        return ""
    count = number_words(abs(years)) if abs(years) < 1000 else number(abs(years))
    return (f"{count} year{'s' if abs(years) != 1 else ''} {'after' if years > 0 else 'before'} "
            f"{anchor or 'the paper'}")


def series(items: list[str]) -> str:
    """Items joined as a list is written: 'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def timestamp(stamp: str | None) -> str:
    """A UTC timestamp of the log written out: '1 May 2024, 12:00 UTC'."""
    found = _TIMESTAMP.match(stamp or "")
    if not found:
        return stamp or ""
    day = written_date(found.group(1))
    return f"{day}, {found.group(2)}:{found.group(3)} UTC" if day != found.group(1) else stamp or ""


def period(start: int | None, end: int | None) -> str:
    """The years a figure covers: '2000–2017', or one year."""
    if start and end and start != end:
        return f"{start}–{end}"
    return str(end or start or "")


def place_in_paper(section: str | None, paragraph: int | None) -> str:
    """Where a quote stands: '“Section”, paragraph 7' ('front matter, paragraph 23')."""
    where = "front matter" if section == "front matter" else f"“{section or ''}”"
    return f"{where}, paragraph {paragraph}"


def where_in_paper(paragraph: int | None, note: int | None = None) -> str:
    """A record's place for a table cell: 'paragraph 7', 'paragraph 7, note 12'."""
    where = [f"paragraph\u00a0{paragraph}"] if paragraph is not None else []
    where += [f"note\u00a0{note}"] if note is not None else []
    return ", ".join(where)


def excerpt(quote: str | None, figure: str | None, width: int = 110) -> str:
    """The words of a quote around its figure, at most about `width` characters, cut at words with an
    ellipsis: what a table row shows of a long quote."""
    words = text(quote)
    if len(words) <= width:
        return words
    at = max(0, words.find(text(figure))) if figure else 0
    start = max(0, min(at - width // 3, len(words) - width))
    end = min(len(words), start + width)
    if start:
        start = words.find(" ", start) + 1 or start
    if end < len(words):
        end = words.rfind(" ", start, end) if words.rfind(" ", start, end) > at else end
    return ("…" if start else "") + words[start:end].strip() + ("…" if end < len(words) else "")


def ends_sentence(words: str) -> bool:
    """Does the text already end with a full stop, question or exclamation mark?"""
    return bool(_ENDS_SENTENCE.search(words))


def sentence(words: str) -> str:
    """The text ending with exactly one stop: 'Hegemony?' stays, 'Paper' becomes 'Paper.'."""
    words = words.rstrip()
    return words if not words or ends_sentence(words) else words + "."


def stop(words: str) -> str:
    """The stop that ends a sentence closing with these words: '.' or nothing."""
    return "" if ends_sentence(words.rstrip()) else "."
