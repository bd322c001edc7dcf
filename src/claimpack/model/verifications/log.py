"""Read the verifications log: its entries and their hash chain (a `claimpack.model.chained_log`).

The domain model (claimpack.model.domain) joins the verdicts to their records.
Standard library only: `claimpack show` and `find` read it fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import chained_log
from ..chained_log import TIMESTAMP
from .schema import FIELDS, PATH, RESOURCE

SKEW = timedelta(minutes=5)  # how far ahead of a clock another machine's stamp may credibly be


@dataclass
class Entry(chained_log.Entry):
    """One verdict as stored: every field as the text of its CSV cell."""

    @property
    def value(self) -> float | None:
        try:
            return float(self["value"]) if self["value"] else None
        except ValueError:
            return None

    def to_dict(self) -> dict:
        data: dict = {key: self.cells.get(key, "") or None for key in FIELDS}
        data["number"] = int(self["number"]) if self["number"].isdigit() else self["number"]
        data["value"] = self.value
        return data


LOG = chained_log.ChainedLog(RESOURCE, PATH, FIELDS, Entry)  # its reading, chain and rows


def instant(stamp: str) -> datetime:
    """A stored timestamp as an aware datetime (for comparing stamps of different precision)."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def is_timestamp(stamp: str) -> bool:
    """A UTC timestamp of the log's form that names a real instant (not the 30th of February, not 24:00)."""
    if not TIMESTAMP.match(stamp):
        return False
    try:
        instant(stamp)
    except ValueError:
        return False
    return True


def is_future(stamp: str, now: datetime) -> bool:
    """Is a well-formed stamp further ahead of `now` than any clock skew explains?"""
    return is_timestamp(stamp) and instant(stamp) > now + SKEW


def latest_credible(log: list[Entry], now: datetime) -> str | None:
    """The latest well-formed timestamp of the log that is not in the future of `now`."""
    stamps = [e["timestamp"] for e in log if is_timestamp(e["timestamp"]) and not is_future(e["timestamp"], now)]
    return max(stamps, key=instant, default=None)
