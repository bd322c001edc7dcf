"""The figure parser reads every form the paper prints, and printing a value then reading it gives it back."""

from __future__ import annotations

import contextlib
import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimpack.model.numbers import FigureError, FigureStyle, describe, parse_figure, qualifier_before, style_of
from conftest import ROOT

FORMS = [
    ("\\$2 trillion", "en", 2_000_000_000_000, None, None, "exact"),
    ("\\$2.3 billion", "en", 2_300_000_000, None, None, "exact"),
    ("2.5 million", "en", 2_500_000, None, None, "exact"),
    ("43,000", "en", 43_000, None, None, "exact"),
    ("5.154", "fr", 5154, None, None, "exact"),
    ("5.154", "en", 5.154, None, None, "exact"),
    ("88%", "en", 88, None, None, "exact"),
    ("some 90 percent", "en", 90, None, None, "some"),
    ("62 per 100,000", "en", 62, None, None, "exact"),
    ("between 50,000 and 100,000", "en", 50_000, 50_000, 100_000, "between"),
    ("somewhere between 50,000 and 100,000", "en", 50_000, 50_000, 100_000, "between"),
    ("two dollars", "en", 2, None, None, "exact"),
    ("thirty", "en", 30, None, None, "exact"),
    ("more than 43,000", "en", 43_000, 43_000, None, "more-than"),
    ("less than 300", "en", 300, None, 300, "less-than"),
    ("Approximately \\$236 million US dollars", "en", 236_000_000, None, None, "approximately"),
    ("an estimated 80%", "en", 80, None, None, "approximately"),
    ("as long as 100 nautical miles", "en", 100, None, 100, "up-to"),
    ("second-largest", "en", 2, None, None, "exact"),
    ("one hundred fifty", "en", 150, None, None, "exact"),
    ("twenty-one", "en", 21, None, None, "exact"),
    ("236m", "en", 236_000_000, None, None, "exact"),
    ("$236,000,000", "en", 236_000_000, None, None, "exact"),
    ("Both", "en", 2, None, None, "exact"),
    ("single", "en", 1, None, None, "exact"),
    ("one and only", "en", 1, None, None, "exact"),
    ("half", "en", 0.5, None, None, "exact"),
    ("only Colombia", "en", 1, None, None, "exact"),
    ("[o]nly Mexico and Brazil", "en", 2, None, None, "exact"),
    ("both Bolivia, Peru, and Colombia", "en", 3, None, None, "exact"),
    # other authors' forms: signs, fractions, glued scales and units, ranges written "X to Y"
    ("−0.4", "en", -0.4, None, None, "exact"),
    ("-1.8 per cent", "en", -1.8, None, None, "exact"),
    ("+3.9", "en", 3.9, None, None, "exact"),
    ("−€5m", "en", -5_000_000, None, None, "exact"),
    ("one-third", "en", 1 / 3, None, None, "exact"),
    ("Two thirds", "en", 2 / 3, None, None, "exact"),
    ("a quarter", "en", 0.25, None, None, "exact"),
    ("about half", "en", 0.5, None, None, "about"),
    ("£120m", "en", 120_000_000, None, None, "exact"),
    ("€4.5bn", "en", 4_500_000_000, None, None, "exact"),
    ("10km", "en", 10, None, None, "exact"),
    ("187\u202f412", "en", 187_412, None, None, "exact"),
    ("15 to 20 per 100,000", "en", 15, 15, 20, "between"),
    ("2.8–4.1", "en", 2.8, 2.8, 4.1, "between"),
    ("3.9 percentage points", "en", 3.9, None, None, "exact"),
    ("€180 per megawatt-hour", "en", 180, None, None, "exact"),
]


@pytest.mark.parametrize(("text", "language", "value", "low", "high", "qualifier"), FORMS)
def test_parse_every_form_the_paper_uses(text, language, value, low, high, qualifier):
    figure = parse_figure(text, language)
    assert (figure.value, figure.low, figure.high, figure.qualifier) == (value, low, high, qualifier)


def test_parse_says_what_kind_of_quantity():
    assert parse_figure("\\$2.3 billion").currency
    assert parse_figure("88%").percent and parse_figure("90 percent").percent
    assert parse_figure("62 per 100,000").per == 100_000
    assert parse_figure("second-largest").ordinal
    assert parse_figure("less than two dollars per day").per_day
    assert parse_figure("one-tenth").unit == "fraction" and parse_figure("half").unit == "fraction"
    assert parse_figure("60MW").unit == "MW" and parse_figure("0.4 percentage points").unit == "percentage-points"
    assert parse_figure("€180 per megawatt-hour").per_unit == "megawatt-hour"
    assert parse_figure("5 euros per litre").per_unit == "litre" and not parse_figure("5 per cent").per_unit


@pytest.mark.parametrize("text", ["", "   ", "many", "the first", "12,34,5", "between 9 and 3", "1.2.3",
                                  "between 5", "x" * 300, "only the drug cartels", "both strategic and operational"])
def test_parse_refuses_what_is_not_a_figure(text):
    with pytest.raises(FigureError):
        parse_figure(text)


@pytest.mark.parametrize(("before", "qualifier"), [
    ("amounting more than", "more-than"), ("were accounted for almost", "almost"), ("Some", "some"),
    ("conducting about", "about"), ("at distances as long as", "up-to"), ("in the period", None),
])
def test_qualifier_before_a_figure(before, qualifier):
    assert qualifier_before(before) == qualifier


def test_every_figure_of_the_package_prints_back_as_printed():
    """style_of(figure).format(value) reproduces the paper's own figure for every claim."""
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        language = row["language"] or "en"
        figure = row["figure"].replace("\\$", "$")
        if figure.startswith("between "):
            continue  # a range prints as two values; covered below
        printed = style_of(row["figure"], language).format(float(row["value"]))
        if row["unit"] == "nautical-miles":  # the unit is left to the prose: "up to 100 nautical miles"
            figure = figure.removesuffix(" nautical miles")
        assert printed.lower() == figure.lower(), (row["id"], printed, figure)


def test_describe_prints_the_qualifier_and_us_dollars():
    assert describe(236e6, "\\$236 million", "approximately") == "approximately US$236 million"
    assert describe(43000, "43,000", "more-than") == "more than 43,000"
    assert describe(50000, "between 50,000 and 100,000", "between", value_max=100000) == \
        "between 50,000 and 100,000"
    assert describe(5154, "5.154", "exact", language="fr") == "5.154"


# ---- property: print a value in any style, read it back, get the value ----------------------
integers = st.integers(min_value=0, max_value=10**15)
styles = st.sampled_from([
    FigureStyle(), FigureStyle(currency="$"), FigureStyle(currency="US$"), FigureStyle(percent="%"),
    FigureStyle(percent=" percent"), FigureStyle(per=" per 100,000"), FigureStyle(language="fr"),
    FigureStyle(suffix=" dollars"), FigureStyle(grouping=False),
])


@given(integers, styles)
def test_format_then_parse_gives_the_value(value, style):
    text = style.format(value)
    assert parse_figure(text, style.language).value == value


@given(st.integers(min_value=0, max_value=999))
def test_number_words_round_trip(value):
    text = FigureStyle(words=True).format(value)
    assert parse_figure(text).value == value


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["thousand", "million", "billion", "trillion"]),
       st.integers(min_value=0, max_value=3), st.sampled_from(["", "$", "US$"]))
def test_scaled_figures_round_trip(mantissa, scale, decimals, currency):
    from decimal import Decimal

    value = float(Decimal(mantissa).scaleb(-decimals) * Decimal(10) ** {"thousand": 3, "million": 6,
                                                                        "billion": 9, "trillion": 12}[scale])
    text = FigureStyle(currency=currency, scale=scale, decimals=decimals).format(value)
    assert parse_figure(text).value == value, text


@given(st.integers(min_value=1, max_value=200))
def test_ordinals_round_trip(rank):
    text = FigureStyle(ordinal_words=True).format(rank)
    assert parse_figure(text).value == rank


@given(st.text(max_size=60))
def test_parser_never_escapes_with_anything_but_figure_error(text):
    with contextlib.suppress(FigureError):
        parse_figure(text)


def test_words_that_count_print_as_printed_and_other_values_as_numbers():
    style = style_of("[o]nly Mexico and Brazil")
    assert style.format(2) == "[o]nly Mexico and Brazil" and style.format(3) == "three"
    assert describe(1, "single", "exact") == "single"


@pytest.mark.parametrize(("figure", "value", "printed", "other", "other_printed"), [
    ("two-thirds", 2 / 3, "two-thirds", 0.75, "three-quarters"),
    ("one-quarter", 0.25, "one-quarter", 0.2, "one-fifth"),
    ("two thirds", 2 / 3, "two thirds", 0.5, "one half"),
    ("a third", 1 / 3, "a third", 0.1, "one tenth"),
    ("three-quarters", 0.75, "three-quarters", 0.4166, "0.417"),  # no fraction of a small denominator fits
    ("13th-largest", 13, "13th-largest", 4, "4th-largest"),
    ("2nd", 2, "2nd", 11, "11th"),
    ("21st-highest", 21, "21st-highest", 102, "102nd-highest"),
])
def test_fractions_and_ranks_print_as_the_paper_printed_them(figure, value, printed, other, other_printed):
    """'two-thirds', never 0.6666666666666666; '13th-largest', never 13; another value in the same form."""
    style = style_of(figure)
    assert style.format(value) == printed
    assert style.format(other) == other_printed
    assert describe(value, figure, "approximately") == f"approximately {printed}"
