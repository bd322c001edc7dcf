"""Event dates as a paper gives them: at a precision, by century, or relative to another event.

An event's `date` is ISO 8601 at its `date_precision` (day, month, year, decade, century); a
decade is its first year (1980 for the 1980s) and a century its first year (1901 for the
twentieth). An event the paper dates only relatively ("a decade later") records its `offset`, an
ISO 8601 duration in years (P10Y, -P10Y), from its `anchor` event, or from the paper's own date
when it has no anchor ("the last decade"); its `date` is the anchor's year plus the offset, cut to
its precision.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .package import Package

_OFFSET = re.compile(r"(-?)P(\d{1,4})Y")
_YEAR = re.compile(r"\d{4}")
PRECISION_YEARS = {"decade": 10, "century": 100}


def offset_years(offset: str | None) -> int | None:
    """The years of an ISO 8601 duration in years ("P10Y" -> 10, "-P10Y" -> -10); None if it is not one."""
    match = _OFFSET.fullmatch(offset or "")
    if not match:
        return None
    return -int(match.group(2)) if match.group(1) else int(match.group(2))


def year_of(date: str | None) -> int | None:
    """The year an ISO 8601 date starts with, or None."""
    match = _YEAR.match(date or "")
    return int(match.group()) if match else None


def century_of(year: int) -> int:
    """The ordinal century of a year: 1901-2000 is the twentieth (20)."""
    return (year - 1) // 100 + 1


def first_year(year: int, precision: str) -> int:
    """The year an event of this precision is recorded as: a decade's or a century's first year."""
    if precision == "decade":
        return year - year % 10
    if precision == "century":
        return (century_of(year) - 1) * 100 + 1
    return year


def resolve(anchor_year: int, offset: str | None, precision: str) -> int | None:
    """The year of an event dated `offset` from a year, cut to its precision; None for a bad offset."""
    years = offset_years(offset)
    if years is None:
        return None
    return first_year(anchor_year + years, precision)


def paper_year(package: Package) -> int | None:
    """The year the paper appeared, the one answer every reader uses: the year its own row in
    sources gives as issued (the descriptor's claimpack.own_source), else a four-digit version of
    the descriptor's sources entry; None when neither says."""
    from ..system.problems import ClaimpackError

    own = package.config.get("own_source")
    if own and package.has("sources"):
        try:
            sources = package.table("sources")
        except ClaimpackError:
            sources = None
        if sources is not None:
            for key, issued in zip(sources.column("id"), sources.column("issued")):
                if key == own:
                    year = year_of(issued if isinstance(issued, str) else None)
                    if year is not None:
                        return year
                    break
    for source in package.descriptor.get("sources") or []:
        if isinstance(source, dict) and _YEAR.fullmatch(str(source.get("version", ""))):
            return int(source["version"])
    return None
