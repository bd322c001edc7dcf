"""The words a paper counts with: number words, ordinals, number-like words, qualifiers, currencies, units.

English defaults live here, and only here. A package in another language, or with other units,
declares its own in the descriptor's `claimpack` section; a key given there replaces the default
of that key whole (so a French package never half-inherits English qualifiers):

    "claimpack": {
      "language": "fr",
      "number_words": {"un": 1, "deux": 2, "trois": 3},
      "ordinal_words": {"premier": 1, "deuxième": 2},
      "scale_words": {"mille": 3, "million": 6, "milliard": 9},
      "number_like_words": {"décennie": 10, "siècle": 100, "les deux": 2, "seul": 1},
      "period_words": {"décennie": 10, "siècle": 100},
      "qualifiers": {"environ": "about", "plus de": "more-than"},
      "currencies": {"EUR": {"symbols": ["€"], "words": ["euros", "euro"]}},
      "units": {"EUR": "euros", "persons": "people counted"},
      "unit_words": {"kilomètres": "km", "milles marins": "nautical-miles"},
      "fraction_words": {"demi": 2, "tiers": 3, "quart": 4},
      "month_words": {"janvier": 1, "février": 2},
      "abbreviations": ["M.", "Mme", "p. ex.", "c.-à-d."],
      "rank_words": {"premier": 1, "dernier": null},
      "multiplicative_words": {"double": 2, "doublé": 2, "triple": 3},
      "multiplicative_suffixes": "",
      "number_joiners": "et",
      "numbering_words": ["titre", "chapitre", "guerre", "résolution"],
      "roman_numerals": true
    }

`unit_words` are the measure words a figure includes ("100 nautical miles"): what follows a number
and names its unit, each with its unit code. `fraction_words` name a fraction's denominator after
a number word: "one-third" (1/3), "two-thirds", "a quarter".

What coverage counts with these words is `claimpack.text.counting`: compounds are read whole ("twenty-
first", "one hundred and five", joined by `number_joiners`), `rank_words` name a place without an
ordinal ("foremost"), `multiplicative_words` and `multiplicative_suffixes` say how many times
("doubled", "twofold"), `numbering_words` are the words a Roman numeral numbers ("Title IV"), and
`roman_numerals` (true by default) turns Roman numerals on or off.

`number_words` and `number_like_words` may also be a string or list of words (coverage then looks
for them but cannot read their value), and "" turns a list off. `period_words` are the words that
name a span of years ("décennie": 10): "three decades" is one number to coverage, and an event
dated "a decade later" has an offset of ten years.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from ..system.problems import ClaimpackError

CARDINALS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
SCALE_WORDS = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000, "millionth": 10 ** 6,
    "billionth": 10 ** 9, "trillionth": 10 ** 12,
}
# Rank words: a place in an order named without an ordinal ("the foremost recipient": 1), null where
# the place is counted from the end ("the last", "penultimate"). Not rank words: superlatives of
# degree ("the largest", "the most important"), words of importance ("main", "chief", "principal",
# "primary", "major", "premier") and words that point back ("the former", "the latter", "next");
# a package that ranks with one of them declares it.
RANK_WORDS = {"foremost": 1, "topmost": 1, "top": 1, "leading": 1, "runner-up": 2, "last": None,
              "next-to-last": None, "penultimate": None, "antepenultimate": None}
# Multiplicative words and the value they multiply by, in every form a sentence uses them
# ("double", "doubles", "doubled", "doubling"). "-fold" after any number word is one too
# (MULTIPLICATIVE_SUFFIXES): "twofold", "two-fold", "twenty-fivefold", "hundredfold".
_MULTIPLIERS = {"double": 2, "triple": 3, "treble": 3, "quadruple": 4, "quintuple": 5, "sextuple": 6,
                "septuple": 7, "octuple": 8, "nonuple": 9, "decuple": 10, "centuple": 100, "halve": 0.5}


def _forms(verb: str) -> tuple[str, ...]:
    """The forms of a verb that ends in -e: double, doubles, doubled, doubling."""
    return verb, verb + "s", verb + "d", verb[:-1] + "ing"


MULTIPLICATIVE_WORDS = {form: value for verb, value in _MULTIPLIERS.items() for form in _forms(verb)}
MULTIPLICATIVE_SUFFIXES = ("fold",)
# Words that join the parts of a number written in words: "one hundred and five".
NUMBER_JOINERS = ("and",)
# Words a Roman numeral numbers ("Title IV", "World War I", "Chapter XL", "p. xiv"): after one of
# them a single I, V or X, or a numeral with L, C, D or M, is a number (see claimpack.text.counting).
NUMBERING_WORDS = (
    "act", "amendment", "annex", "appendix", "article", "book", "bowl", "chapter", "class", "clause",
    "conference", "congress", "council", "division", "grade", "item", "level", "no.", "p.", "page", "pages",
    "paragraph", "part", "phase", "pillar", "plate", "pp.", "protocol", "resolution", "round", "schedule",
    "section", "series", "session", "stage", "step", "subchapter", "subtitle", "summit", "tier", "title",
    "type", "vol.", "volume", "war")
# Words that count, order or measure time without being a number: what coverage must also see,
# with the value each stands for as a figure ("Both of the representatives": 2) where it has one.
NUMBER_LIKE = {
    "decade": 10, "decades": None, "century": 100, "centuries": None, "millennium": 1000, "millennia": None,
    "both": 2, "single": 1, "only": 1, "one and only": 1, "sole": 1, "once": 1, "twice": 2, "thrice": 3,
    "half": 0.5, "dozens": None, "majority": None, "minority": None, "pair": 2, "couple": 2, "duo": 2,
    "trio": 3, "quartet": 4, "quintet": 5, "sextet": 6, "tens": None, "hundreds": None, "thousands": None,
    "millions": None, "billions": None, "trillions": None,
}
# Words that name a span of years: "three decades" is one number, "a decade later" an offset of 10 years.
PERIOD_WORDS = {"decade": 10, "decades": 10, "century": 100, "centuries": 100, "millennium": 1000,
                "millennia": 1000}
QUALIFIERS = {
    "approximately": "approximately", "an estimated": "approximately", "estimated": "approximately",
    "roughly": "approximately", "around": "approximately", "nearly": "almost", "almost": "almost",
    "some": "some", "about": "about", "more than": "more-than", "over": "over", "at least": "at-least",
    "less than": "less-than", "fewer than": "less-than", "under": "less-than", "up to": "up-to",
    "as long as": "up-to", "as many as": "up-to", "as much as": "up-to",
    "somewhere between": "between", "between": "between", "exactly": "exact",
    # more ways papers write them, and the signs ("<200", "≥ 3", "~40%")
    "approx.": "approximately", "approx": "approximately", "c.": "approximately",
    "ca.": "approximately", "circa": "approximately", "close to": "almost", "just under": "less-than",
    "lower than": "less-than", "smaller than": "less-than", "below": "less-than", "no more than": "up-to",
    "not more than": "up-to", "at most": "up-to", "a maximum of": "up-to", "as high as": "up-to",
    "as large as": "up-to", "as great as": "up-to", "within": "up-to", "within a": "up-to",
    "higher than": "more-than", "greater than": "more-than", "larger than": "more-than", "above": "more-than",
    "upwards of": "more-than", "upward of": "more-than", "in excess of": "more-than", "well over": "over",
    "just over": "over", "no less than": "at-least", "not less than": "at-least", "a minimum of": "at-least",
    "at minimum": "at-least", "<": "less-than", "&lt;": "less-than", "≤": "up-to", "<=": "up-to",
    ">": "more-than", "&gt;": "more-than", "≥": "at-least", ">=": "at-least", "~": "approximately",
    "≈": "approximately", "∼": "approximately",
}
# How a report prints each qualifier before a figure.
QUALIFIER_TEXT = {
    "exact": "", "approximately": "approximately", "some": "some", "about": "about", "almost": "almost",
    "more-than": "more than", "over": "over", "at-least": "at least", "less-than": "less than",
    "up-to": "up to", "between": "between",
}
CURRENCIES = {
    "USD": {"symbols": ["US$", "U.S.$", "USD", "$"], "words": ["US dollars", "U.S. dollars", "dollars", "dollar"]},
    "EUR": {"symbols": ["€", "EUR"], "words": ["euros", "euro"]},
    "GBP": {"symbols": ["£", "GBP"], "words": ["pounds sterling", "pounds", "pound"]},
    "CAD": {"symbols": ["C$", "CA$", "CAD"], "words": ["Canadian dollars"]},
    "AUD": {"symbols": ["A$", "AU$", "AUD"], "words": ["Australian dollars"]},
    "JPY": {"symbols": ["¥", "JPY"], "words": ["yen"]},
    "CHF": {"symbols": ["CHF"], "words": ["Swiss francs"]},
    "CNY": {"symbols": ["CN¥", "RMB", "CNY"], "words": ["yuan", "renminbi"]},
    "INR": {"symbols": ["₹", "INR"], "words": ["rupees"]},
    "MXN": {"symbols": ["MX$", "MXN"], "words": ["Mexican pesos", "pesos"]},
    "BRL": {"symbols": ["R$", "BRL"], "words": ["reais"]},
}
UNITS = {
    "USD": "US dollars", "USD-per-day": "US dollars per day", "EUR": "euros", "GBP": "pounds sterling",
    "CAD": "Canadian dollars", "persons": "people", "jobs": "jobs", "count": "things counted",
    "percent": "percent (0-100)", "per-100k": "a rate per 100,000 people", "nautical-miles": "nautical miles",
    "words": "words", "rank": "a rank (1 = first)", "decades": "decades", "years": "years",
    "fraction": "a fraction written in words (one-third = 0.333...)",
    "percentage-points": "percentage points (the difference of two percentages; may be negative)",
}
# Measure words printed after a number, part of the figure, and the unit each names.
UNIT_WORDS = {
    "nautical miles": "nautical-miles", "miles": "miles", "kilometres": "km", "kilometers": "km", "km": "km",
    "metres": "metres", "meters": "metres", "square kilometres": "km2", "square kilometers": "km2",
    "km²": "km2", "hectares": "hectares", "tonnes": "tonnes", "tons": "tonnes", "kilograms": "kg", "kg": "kg",
    "litres": "litres", "liters": "litres", "cubic metres": "cubic-metres", "cubic meters": "cubic-metres",
    "megawatts": "MW", "MW": "MW", "kilowatt-hours": "kWh", "kWh": "kWh", "degrees": "degrees",
    "kilowatts": "kW", "kW": "kW", "gigawatts": "GW", "GW": "GW", "megawatt-hours": "MWh", "MWh": "MWh",
    "gigawatt-hours": "GWh", "GWh": "GWh", "terawatt-hours": "TWh", "TWh": "TWh",
    "percentage points": "percentage-points", "percentage point": "percentage-points", "pp": "percentage-points",
    "basis points": "basis-points",
    # physical units papers print often (pint's registry reads any other symbol: claimpack.units)
    "seconds": "s", "secs": "s", "sec": "s", "s": "s", "milliseconds": "ms", "ms": "ms", "microseconds": "us",
    "µs": "us", "μs": "us", "nanoseconds": "ns", "ns": "ns", "minutes": "min", "mins": "min", "min": "min",
    "hours": "h", "hrs": "h", "hr": "h", "h": "h", "days": "days", "weeks": "weeks", "years": "years",
    "watts": "W", "W": "W", "milliwatts": "mW", "mW": "mW", "joules": "J", "J": "J", "kilojoules": "kJ", "kJ": "kJ",
    "watt-hours": "Wh", "Wh": "Wh", "volts": "V", "V": "V", "bytes": "B", "kilobytes": "kB", "kB": "kB", "KB": "kB",
    "megabytes": "MB", "MB": "MB", "gigabytes": "GB", "GB": "GB", "terabytes": "TB", "TB": "TB", "KiB": "KiB",
    "MiB": "MiB", "GiB": "GiB", "TiB": "TiB", "hertz": "Hz", "Hz": "Hz", "kHz": "kHz", "megahertz": "MHz",
    "MHz": "MHz", "gigahertz": "GHz", "GHz": "GHz", "°C": "degC", "℃": "degC", "degrees Celsius": "degC",
    "°F": "degF", "℉": "degF", "degrees Fahrenheit": "degF", "grams": "g", "g": "g", "milligrams": "mg",
    "mg": "mg", "millimetres": "mm", "millimeters": "mm", "mm": "mm", "centimetres": "cm", "centimeters": "cm",
    "cm": "cm", "times": "times",
}
# Unit codes whose words follow a figure without being part of it: calendar spans ("paid for
# itself in 6.5 years", "40 hours a week") and multiples ("eight times its average"); the figure
# is the number, its unit read from the word after it. A measured time is a measure like any
# other, part of its figure ("16 seconds", "10 minutes").
UNITS_AFTER = ("h", "days", "weeks", "months", "years", "decades", "times")
# Words pint's registry would read as units that a paper means otherwise after a number ("in 2019",
# "at 5", "30 fps" frames, not feet per second; "4K", "5G", "3D" names).
NOT_UNITS = ("in", "at", "a", "are", "am", "pm", "as", "by", "or", "on", "to", "of", "pt", "pp", "fps", "dpi", "px",
             "point", "points", "K", "G", "D", "P", "T", "ft", "bar", "mil", "cup", "cups", "drop", "pi", "Mbps",
             "Gbps", "kbps", "x", "st", "nd", "rd", "th")
# The denominators of fractions written in words: "one-third", "two-thirds", "a quarter", "one-tenth".
FRACTION_WORDS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5,
    "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100, "thousandth": 1000, "thousandths": 1000,
}
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan.": 1, "feb.": 2, "mar.": 3, "apr.": 4,
    "jun.": 6, "jul.": 7, "aug.": 8, "sep.": 9, "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12, "jan": 1, "feb": 2,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Words that give away a passage's language, for a paper that quotes another (its numbers are
# then read by that language's conventions: "5.154" in French is five thousand one hundred fifty-four).
LANGUAGE_HINTS = {
    "fr": ("le", "la", "les", "des", "du", "et", "est", "une", "pour", "dans", "nombre", "mots", "avec", "sur"),
    "es": ("el", "los", "las", "del", "y", "es", "una", "para", "con", "por", "número", "palabras"),
    "de": ("der", "die", "das", "und", "ist", "eine", "für", "mit", "von", "nicht", "wörter", "anzahl"),
    "pt": ("o", "os", "as", "do", "da", "e", "uma", "para", "com", "não", "número", "palavras"),
    "it": ("il", "gli", "della", "e", "è", "una", "per", "con", "non", "numero", "parole"),
    "en": ("the", "of", "and", "is", "a", "to", "in", "for", "with", "that", "word", "count", "number"),
}
# Abbreviations a sentence does not end at, as printed (the segmenter, claimpack.sentences, knows
# thousands more): titles, Latin, legal and bill citations, figures and tables, months, units.
ABBREVIATIONS = (
    "U.S.", "U.K.", "U.N.", "E.U.", "H.R.", "S.", "P.L.", "U.S.C.", "C.F.R.", "H.Rept.", "S.Rept.", "H.Res.",
    "S.Res.", "H.J.Res.", "S.J.Res.", "H.Con.Res.", "Stat.", "Fed.", "Reg.", "Cong.", "Sess.", "e.g.", "i.e.",
    "et al.", "etc.", "vs.", "cf.", "viz.", "ibid.", "op.", "cit.", "approx.", "est.", "ca.", "c.", "Fig.", "Figs.",
    "Eq.", "Eqs.", "Tab.", "Sect.", "Sec.", "Art.", "Ch.", "Chap.", "Vol.", "Vols.", "No.", "Nos.", "p.", "pp.",
    "para.", "ed.", "eds.", "edn.", "rev.", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Gen.", "Sen.", "Rep.", "Gov.",
    "Lt.", "Col.", "Capt.", "Sgt.", "Hon.", "Messrs.", "Jr.", "Sr.", "St.", "Inc.", "Ltd.", "Co.", "Corp.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "min.",
    "sec.", "hr.", "hrs.", "yr.", "yrs.", "mo.", "approx.", "avg.", "max.", "incl.", "excl.", "dept.", "univ.",
)
# Words after which a number names something rather than counts it, as printed, each with its
# kind (claimpack.init.candidates gives each kind its reason): a law or bill, a numbered part
# of a document, a version or model, a page or volume of a cited work, or another name.
IDENTIFIER_WORDS = {
    **dict.fromkeys(("H.R.", "S.", "H.Res.", "S.Res.", "H.J.Res.", "S.J.Res.", "H.Con.Res.", "S.Con.Res.",
                     "H.Rept.", "S.Rept.", "H.Doc.", "S.Doc.", "S.Hrg.", "H.Hrg.", "S.Prt.", "H.Prt.", "P.L.",
                     "Pub. L.", "Public Law", "Private Law", "Executive Order", "E.O.", "EO", "§", "§§", "Title",
                     "Article", "Art.",
                     "Act", "Law", "Decree", "Resolution", "Res.", "Rule", "Docket", "Case", "Amendment",
                     "Clause", "Protocol", "Directive", "Regulation", "Bill", "No.", "Nos.", "Number",
                     "Articles", "Titles", "Rules", "Amendments", "Clauses"), "law"),
    **dict.fromkeys(("Section", "Sections", "Sec.", "Table", "Tables", "Figure", "Figures", "Fig.", "Figs.", "Eq.",
                     "Eqs.", "Equation",
                     "Equations", "Appendix", "Annex", "Chapter", "Ch.", "Chap.", "Part", "Sect.", "Box", "Item",
                     "Step", "Phase", "Stage", "Level", "Requirement", "Req.", "Question", "RQ", "Hypothesis",
                     "Experiment", "Study", "Group", "Project", "Listing", "Algorithm", "Theorem", "Lemma",
                     "Definition", "Example", "Scenario", "Condition", "Run", "Round", "Session", "Week",
                     "Lecture", "Exercise", "Task", "Milestone", "Sprint", "Wave", "Tier", "Grade", "Class",
                     "Category", "Option", "Line", "Row", "Column", "Chapters", "Parts", "Appendices", "Steps",
                     "Phases", "Stages", "Questions", "Requirements", "Experiments", "Studies", "Groups", "Prompt",
                     "Prompts", "Listings", "Lines", "Rows", "Columns", "Items", "Boxes", "Tasks"), "numbering"),
    **dict.fromkeys(("version", "Version", "v.", "ver.", "Release", "Build", "Model", "Edition", "revision",
                     "Revision", "rev."), "version"),
    **dict.fromkeys(("p.", "pp.", "page", "pages", "Page", "Pages", "vol.", "Vol.", "vols.", "Volume",
                     "no.", "issue", "Issue", "para.", "paragraph", "note", "Note", "notes", "footnote",
                     "Footnote", "ibid.", "Ibid.", "fn.", "n."), "page"),
    **dict.fromkeys(("Route", "Highway", "Interstate", "Flight", "Room", "Suite", "Unit", "Apartment", "Gate",
                     "Platform", "District", "Ward", "Precinct", "Zone", "Region", "Sector", "Division",
                     "Squadron", "Battalion", "Brigade", "Regiment", "Fleet", "JCSP", "PCEMI", "Plan", "#"), "name"),
}
# Words right after a number that make it part of a name: the title of a code or register ("47 U.S.C.
# §606", "16 Federal Register 12452", "92 Stat. 3788").
IDENTIFIER_WORDS_AFTER = {word: "law" for word in (
    "U.S.C.", "USC", "U.S.C.A.", "C.F.R.", "CFR", "Stat.", "Fed. Reg.", "FR", "Federal Register",
    "S. Ct.", "F.2d", "F.3d", "F.4th", "F. Supp.", "L. Ed.")}
# Abbreviations of statistics printed before their value ("CI 2.8–4.1", "OR 1.12", "SD 0.4"): a figure
# after them, where a capitalised name before a bare number is a product's version ("CUDA 12.6").
STATISTIC_WORDS = ("CI", "OR", "RR", "HR", "SD", "SE", "SEM", "IQR", "AUC", "ICC", "M", "Mdn", "N", "n", "df", "p",
                   "r", "R", "t", "F", "z", "U", "d", "g", "RMSE", "MAE", "MSE", "MAPE", "BLEU", "ROUGE", "mAP",
                   "IoU", "F1", "COP", "PUE", "GDP", "CPI", "BMI")
# Vague counts: a figure that says only "more than" the unit it counts in ("millions of users" is more
# than 1,000,000), with that unit as its value and the qualifier more-than.
VAGUE_COUNTS = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "tens of thousands": 10_000,
                "hundreds of thousands": 100_000, "millions": 1_000_000, "tens of millions": 10_000_000,
                "hundreds of millions": 100_000_000, "billions": 1_000_000_000, "trillions": 10**12}
QUALIFIER_CODES = tuple(QUALIFIER_TEXT)
IDENTIFIER_KINDS = ("law", "numbering", "version", "page", "name")
UNIT_CODE = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")
# Languages that write 5.154 for five thousand one hundred fifty-four.
COMMA_DECIMAL = ("fr", "de", "es", "pt", "it", "nl", "pl", "ru", "tr", "id", "da", "sv", "nb", "fi", "cs")

KEYS = ("language", "number_words", "ordinal_words", "scale_words", "number_like_words", "period_words",
        "qualifiers", "currencies", "units", "unit_words", "fraction_words", "month_words", "abbreviations",
        "units_after", "not_units", "identifier_words", "identifier_words_after", "statistic_words",
        "vague_counts", "rank_words", "multiplicative_words", "multiplicative_suffixes", "number_joiners",
        "numbering_words", "roman_numerals")


@dataclass(frozen=True)
class Currency:
    code: str
    symbols: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The words of one package's language; `Vocabulary()` is English with the common currencies."""

    language: str = "en"
    number_words: Mapping[str, int | None] = field(default_factory=lambda: MappingProxyType(CARDINALS))
    ordinal_words: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(ORDINALS))
    scale_words: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(SCALE_WORDS))
    number_like_words: Mapping[str, float | None] = field(default_factory=lambda: MappingProxyType(NUMBER_LIKE))
    period_words: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(PERIOD_WORDS))
    qualifiers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(QUALIFIERS))
    currencies: tuple[Currency, ...] = tuple(Currency(code, tuple(c["symbols"]), tuple(c["words"]))
                                             for code, c in CURRENCIES.items())
    units: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(UNITS))
    unit_words: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(UNIT_WORDS))
    fraction_words: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(FRACTION_WORDS))
    month_words: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(MONTHS))
    abbreviations: tuple[str, ...] = ABBREVIATIONS
    units_after: tuple[str, ...] = UNITS_AFTER
    not_units: tuple[str, ...] = NOT_UNITS
    statistic_words: tuple[str, ...] = STATISTIC_WORDS
    vague_counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(VAGUE_COUNTS))
    identifier_words: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(IDENTIFIER_WORDS))
    identifier_words_after: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(IDENTIFIER_WORDS_AFTER))
    rank_words: Mapping[str, int | None] = field(default_factory=lambda: MappingProxyType(RANK_WORDS))
    multiplicative_words: Mapping[str, float | None] = field(
        default_factory=lambda: MappingProxyType(MULTIPLICATIVE_WORDS))
    multiplicative_suffixes: tuple[str, ...] = MULTIPLICATIVE_SUFFIXES
    number_joiners: tuple[str, ...] = NUMBER_JOINERS
    numbering_words: tuple[str, ...] = NUMBERING_WORDS
    roman_numerals: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> Vocabulary:
        """The vocabulary of a descriptor's `claimpack` section (defaults for what it leaves out)."""
        if not isinstance(settings, dict):
            return cls()
        given: dict[str, Any] = {}
        for key in KEYS:
            if key in settings:
                given[key] = _read(key, settings[key])
        return cls(**given)

    @cached_property
    def _unit_lookup(self) -> tuple[dict[str, str], dict[str, str]]:
        exact = dict(self.unit_words)
        folded = {w.lower(): code for w, code in self.unit_words.items() if len(w) > 3 or not w.isalpha()}
        return exact, folded

    def unit_word(self, token: str) -> str | None:
        """The unit code a measure word names: symbols as printed ("MW", "mW"), words in any case ("Watts")."""
        exact, folded = self._unit_lookup
        found = exact.get(token)
        found = found if found is not None else folded.get(token.lower())
        if found is None and len(token) > 3 and token.isalpha() and not token.lower().endswith("s"):
            found = folded.get(token.lower() + "s")  # the singular of a measure word: "one minute", "a second"
            found = None if found == "times" else found  # "one time" is an occasion, not a multiple
        return found

    @cached_property
    def unit_symbols(self) -> tuple[str, ...]:
        """The measure words that are symbols ("km", "MW", "W"): one word, no more than four letters."""
        return tuple(w for w in self.unit_words if " " not in w and len(w) <= 4)

    @property
    def comma_decimal(self) -> bool:
        return self.language.split("-")[0].lower() in COMMA_DECIMAL

    @cached_property
    def cardinal_words(self) -> tuple[str, ...]:
        """Numbers written as words: the cardinals and the scale words."""
        return tuple(dict.fromkeys(w.lower() for w in (*self.number_words, *self.scale_words) if w))

    @cached_property
    def counting_words(self) -> tuple[str, ...]:
        """Every word coverage looks for: cardinals, scales, ordinals, rank words, multiplicative words,
        fractions and number-like words (compounds and "-fold" words are made of them)."""
        fractions = [w for w in self.fraction_words if w.lower() not in {o.lower() for o in self.ordinal_words}]
        words = [*self.number_words, *self.scale_words, *self.ordinal_words, *self.rank_words,
                 *self.multiplicative_words, *fractions, *self.number_like_words]
        return tuple(dict.fromkeys(w.lower() for w in words if w))

    @cached_property
    def counter(self):
        """The counter of this vocabulary's numbers (claimpack.text.counting), built once."""
        from ..text.counting import Counter

        return Counter(self)

    def pattern(self, words: tuple[str, ...] | None = None, *, editorial: bool = False) -> re.Pattern | None:
        """Whole-word, any-case pattern of `words` (default: the counting words); None when empty.

        Phrases ("les deux") match with any run of white space between their words. With
        `editorial`, a first letter an editor bracketed in a quotation matches too ("[o]nly").
        """
        words = self.counting_words if words is None else words
        if not words:
            return None

        from ..text.counting import words_alternation

        alternatives = words_alternation(words, editorial=editorial)  # a prefix tree: one pass, not a branch a word
        first = "".join(sorted({w[0].lower() for w in words} | {w[0].upper() for w in words}))
        first = re.escape(first + ("[" if editorial else ""))
        # the leading class of first letters lets the scan skip most positions at C speed
        return re.compile(rf"(?=[{first}])(?<![\w-])(?:{alternatives})(?![\w])", re.IGNORECASE)

    def ordinal_of(self, number: int) -> str | None:
        """The ordinal word for a number ("twentieth" for 20), if the vocabulary has one."""
        return next((word for word, value in self.ordinal_words.items() if value == number), None)

    def guess_language(self, text: str) -> str:
        """The language a passage is written in, by its commonest words; this vocabulary's when unsure."""
        words = re.findall(r"[^\W\d_]+", text.lower())
        if len(words) < 2:
            return self.language
        scores = {code: sum(word in hints for word in words) for code, hints in LANGUAGE_HINTS.items()}
        best = max(scores, key=scores.get)
        mine = scores.get(self.language.split("-")[0], 0)
        return best if scores[best] >= 2 and scores[best] > mine else self.language

    def currency_of(self, code: str) -> Currency | None:
        return next((c for c in self.currencies if c.code == code), None)


def _problem(key: str, expected: str) -> ClaimpackError:
    return ClaimpackError(f"claimpack.{key} is not in the expected form", file="datapackage.json",
                          field=f"claimpack.{key}", expected=expected)


def _words(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(w, str) and w.strip() for w in value):
        return tuple(" ".join(w.split()) for w in value)
    raise _problem(key, "a list of words, or one string of words separated by spaces")


def _numbers(key: str, value: Any, *, words_allowed: bool = False) -> Mapping[str, int | None]:
    if words_allowed and isinstance(value, str | list):
        return MappingProxyType(dict.fromkeys(w.lower() for w in _words(key, value)))
    if isinstance(value, dict) and all(isinstance(k, str) and k.strip() and isinstance(v, int)
                                       and not isinstance(v, bool) and v >= 0 for k, v in value.items()):
        return MappingProxyType({k.lower(): v for k, v in value.items()})
    raise _problem(key, "an object of words and their whole-number values" +
                   (", or a string of words" if words_allowed else ""))


def _read(key: str, value: Any) -> Any:
    if key == "language":
        if isinstance(value, str) and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
            return value
        raise _problem(key, "a BCP 47 language tag such as en or fr-CA")
    if key == "number_words":
        return _numbers(key, value, words_allowed=True)
    if key in ("ordinal_words", "scale_words", "month_words", "fraction_words", "vague_counts"):
        return _numbers(key, value)
    if key in ("number_like_words", "rank_words", "multiplicative_words"):
        if isinstance(value, dict):
            if all(isinstance(k, str) and k.strip() and (v is None or (isinstance(v, int | float)
                                                                      and not isinstance(v, bool) and v >= 0))
                   for k, v in value.items()):
                return MappingProxyType({" ".join(k.lower().split()): v for k, v in value.items()})
            raise _problem(key, "a list of words, or an object of words and the value each stands for (or null)")
        return MappingProxyType(dict.fromkeys(w.lower() for w in _words(key, value)))
    if key == "period_words":
        return _numbers(key, value)
    if key in ("abbreviations", "units_after", "not_units", "statistic_words"):
        return _words(key, value)
    if key in ("identifier_words", "identifier_words_after"):
        if isinstance(value, dict) and all(isinstance(k, str) and k.strip() and v in IDENTIFIER_KINDS
                                           for k, v in value.items()):
            return MappingProxyType({" ".join(k.split()): v for k, v in value.items()})
        raise _problem(key, "an object of words and the kind of name each starts (" + ", ".join(IDENTIFIER_KINDS)
                       + ")")
    if key in ("multiplicative_suffixes", "number_joiners", "numbering_words"):
        return tuple(w.lower() for w in _words(key, value))
    if key == "roman_numerals":
        if isinstance(value, bool):
            return value
        raise _problem(key, "true or false")
    if key == "qualifiers":
        if isinstance(value, dict) and all(isinstance(k, str) and k.strip() and v in QUALIFIER_CODES
                                           for k, v in value.items()):
            return MappingProxyType({" ".join(k.lower().split()): v for k, v in value.items()})
        raise _problem(key, "an object of phrases and qualifiers (" + ", ".join(QUALIFIER_CODES) + ")")
    if key == "currencies":
        if isinstance(value, dict):
            found = []
            for code, spec in value.items():
                if not (isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code) and isinstance(spec, dict)):
                    raise _problem(key, 'an object of ISO 4217 codes, each {"symbols": [...], "words": [...]}')
                symbols = spec.get("symbols", [])
                words = spec.get("words", [])
                if not all(isinstance(x, list) and all(isinstance(s, str) and s for s in x) for x in (symbols, words)):
                    raise _problem(key, f'{code}: "symbols" and "words" as lists of text')
                found.append(Currency(code, tuple(symbols), tuple(words)))
            return tuple(found)
        raise _problem(key, 'an object of ISO 4217 codes, each {"symbols": [...], "words": [...]}')
    if key == "units":
        if isinstance(value, dict) and all(isinstance(k, str) and UNIT_CODE.fullmatch(k)
                                           and isinstance(v, str) for k, v in value.items()):
            return MappingProxyType(dict(value))
        raise _problem(key, "an object of unit codes (kebab-case) and their descriptions")
    if key == "unit_words":
        if isinstance(value, dict) and all(isinstance(k, str) and k.strip() and isinstance(v, str)
                                           and re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", v)
                                           for k, v in value.items()):
            return MappingProxyType({" ".join(k.split()): v for k, v in value.items()})
        raise _problem(key, "an object of measure words and their unit codes")
    raise _problem(key, "a known key")


# Plausible range of `value` for each unit of claims: a bad decimal point or a value in the
# wrong unit lands outside. None means unbounded on that side.
UNIT_RANGES = {
    "percent": (0, 100),
    "per-100k": (0, 100_000),
    "rank": (1, None),
    "USD": (0, 1e14),  # magnitude sanity: world GDP is about 1e14 dollars
    "USD-per-day": (0, 1e14),
    "persons": (0, 9e9),
    "jobs": (0, 9e9),
    "count": (0, None),
    "nautical-miles": (0, 10_000),
    "words": (1, 1e6),
    "decades": (0, 100),
    "percentage-points": (None, None),  # a difference of two percentages: either sign
}


def unit_range(unit: str, words: Vocabulary) -> tuple[float | None, float | None]:
    """The plausible range of a claim's value in a unit: its own, else its kind's (a currency, a rate)."""
    if unit in UNIT_RANGES:
        return UNIT_RANGES[unit]
    if unit.endswith("-change"):  # a signed change ("-1.8%", "+3.9"): any sign, and a percent past 100
        return None, None
    rate = re.fullmatch(r"per-(\d+)(k|m)?", unit)
    if rate:
        return 0, int(rate.group(1)) * {"k": 1000, "m": 1_000_000}.get(rate.group(2) or "", 1)
    code = unit.split("-")[0]
    if (re.fullmatch(r"[A-Z]{3}", code) and words.currency_of(code) is not None) or re.fullmatch(r"[A-Z]{3}", unit):
        return 0, 1e14 if code != "JPY" else 1e16
    return 0, None
