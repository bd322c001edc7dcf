"""Event dates: centuries, decades and dates relative to another event or to the paper."""

from __future__ import annotations

import pytest

from claimpack.model.dates import century_of, first_year, offset_years, resolve, year_of


@pytest.mark.parametrize(("offset", "years"), [("P10Y", 10), ("-P10Y", -10), ("P1Y", 1), ("P0Y", 0),
                                               ("P10M", None), ("10Y", None), ("", None), (None, None),
                                               ("P10Y ", None), ("+P10Y", None)])
def test_an_offset_is_a_duration_in_years(offset, years):
    assert offset_years(offset) == years


@pytest.mark.parametrize(("year", "century"), [(1901, 20), (2000, 20), (2001, 21), (1800, 18), (1, 1)])
def test_centuries_count_from_their_year_one(year, century):
    assert century_of(year) == century


def test_a_date_at_a_precision_is_its_first_year():
    assert first_year(1987, "decade") == 1980 and first_year(1987, "century") == 1901
    assert first_year(2000, "century") == 1901 and first_year(1987, "year") == 1987


def test_a_relative_date_is_its_anchor_plus_the_offset_cut_to_its_precision():
    assert resolve(2001, "P10Y", "decade") == 2010  # "a decade later" than the beginning of the 21st century
    assert resolve(2020, "-P10Y", "decade") == 2010  # "the last decade" of a 2020 paper
    assert resolve(1904, "P30Y", "year") == 1934
    assert resolve(2001, "ten years", "decade") is None


def test_the_year_of_a_date():
    assert year_of("1826-06-22") == 1826 and year_of("1980") == 1980 and year_of("") is None
