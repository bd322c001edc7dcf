"""Read the verifications log: its entries and their hash chain.

Every row carries `chain_hash`, the sha256 of the previous row's chain_hash and this row's other
fields (`chain_payload`), so rewriting, removing or reordering an earlier row shows as a broken
link from that row on. The domain model (claimpack.model.domain) joins the verdicts to their records.
Standard library only: `claimpack show` and `find` read it fast.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...system.problems import ClaimpackError
from ..package import Package
from .schema import FIELDS, PATH, RESOURCE, TIMESTAMP

GENESIS = ""  # the "previous chain_hash" of the first row
SKEW = timedelta(minutes=5)  # how far ahead of a clock another machine's stamp may credibly be


@dataclass
class Entry:
    """One verdict as stored: every field as the text of its CSV cell."""

    row: int  # frictionless row number (header is row 1)
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")

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


def chain_payload(previous: str, cells: dict[str, str]) -> bytes:
    """The bytes a row's chain_hash is the sha256 of."""
    values = [previous, *(cells.get(name, "") for name in FIELDS if name != "chain_hash")]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def chain_hash(previous: str, cells: dict[str, str]) -> str:
    return hashlib.sha256(chain_payload(previous, cells)).hexdigest()


def parse_log(text: str) -> tuple[list[str], list[Entry]]:
    """Header and rows of a verifications log, cells kept as text."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []
    entries: list[Entry] = []
    try:
        for index, cells in enumerate(reader):
            if index == 0:
                header = cells
                continue
            if not cells:
                continue
            entries.append(Entry(reader.line_num, dict(zip(header, cells))))
    except csv.Error as exc:
        raise ClaimpackError(f"malformed CSV: {exc}", file=PATH, row=reader.line_num,
                             expected="well-formed CSV") from None
    return header, entries


def entries(package: Package) -> list[Entry]:
    """Every verdict of the package, in log order (none when the package has no log)."""
    if not package.has(RESOURCE):
        return []
    path = package.path_of(RESOURCE)
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimpackError(f"not UTF-8 (byte {exc.start})", file=package.rel(RESOURCE),
                             expected="UTF-8 text") from None
    return parse_log(text.removeprefix("\ufeff"))[1]


def broken_links(log: list[Entry]) -> Iterator[tuple[Entry, str]]:
    """Rows whose chain_hash is not the hash of the row before and their own fields."""
    previous = GENESIS
    for entry in log:
        expected = chain_hash(previous, entry.cells)
        if entry["chain_hash"] != expected:
            yield entry, expected
        previous = entry["chain_hash"]


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


def row_line(cells: dict[str, str]) -> bytes:
    """One entry as a line of the log."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cells[name] for name in FIELDS])
    return out.getvalue().encode("utf-8")


def header_bytes() -> bytes:
    """The log's header line."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(FIELDS)
    return out.getvalue().encode("utf-8")


def is_future(stamp: str, now: datetime) -> bool:
    """Is a well-formed stamp further ahead of `now` than any clock skew explains?"""
    return is_timestamp(stamp) and instant(stamp) > now + SKEW


def latest_credible(log: list[Entry], now: datetime) -> str | None:
    """The latest well-formed timestamp of the log that is not in the future of `now`."""
    stamps = [e["timestamp"] for e in log if is_timestamp(e["timestamp"]) and not is_future(e["timestamp"], now)]
    return max(stamps, key=instant, default=None)
