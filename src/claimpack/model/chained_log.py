"""An append-only CSV log whose rows chain their hashes: what data/verifications.csv and
data/reviews.csv have in common.

Each row carries `chain_hash`, the sha256 of the previous row's chain_hash (GENESIS for the first
row) and this row's other fields as a compact JSON array of their text in field order. Rewriting,
removing or moving a row after it was written shows as a broken link from that row on. Rows are
only ever appended; cells are kept as the text of the CSV.

A log is a `ChainedLog`: its resource name, path, fields and the class of its entries. The two logs
differ only in their fields and in what their entries know (a verdict's value, a review's action);
`claimpack.model.verifications` and `claimpack.model.reviews` declare them.
Standard library only: `claimpack show` and `find` read the logs fast.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..system.problems import ClaimpackError
from .package import Package

GENESIS = ""  # the "previous chain_hash" of the first row
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
KEBAB = "^[a-z0-9]+(-[a-z0-9]+)*$"
TRIMMED = r"^\S(.*\S)?$"  # one line's text, no space at either end (who acted, a note)


@dataclass
class Entry:
    """One row of a log: every field as the text of its CSV cell."""

    row: int  # frictionless row number (header is row 1)
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass(frozen=True)
class ChainedLog:
    """One hash-chained log of a package: where it lives, its fields, and how its rows are read."""

    resource: str
    path: str
    fields: tuple[str, ...]
    entry: type[Entry] = Entry

    def chain_payload(self, previous: str, cells: dict[str, str]) -> bytes:
        """The bytes a row's chain_hash is the sha256 of."""
        values = [previous, *(cells.get(name, "") for name in self.fields if name != "chain_hash")]
        return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def chain_hash(self, previous: str, cells: dict[str, str]) -> str:
        return hashlib.sha256(self.chain_payload(previous, cells)).hexdigest()

    def parse(self, text: str) -> tuple[list[str], list[Entry]]:
        """Header and rows of the log's text (a leading byte-order mark ignored), cells kept as text."""
        reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
        header: list[str] = []
        found: list[Entry] = []
        try:
            for index, cells in enumerate(reader):
                if index == 0:
                    header = cells
                elif cells:
                    found.append(self.entry(reader.line_num, dict(zip(header, cells))))
        except csv.Error as exc:
            raise ClaimpackError(f"malformed CSV: {exc}", file=self.path, row=reader.line_num,
                                 expected="well-formed CSV") from None
        return header, found

    def entries(self, package: Package) -> list[Entry]:
        """Every row of the package's log, in log order (none when the package has no log yet)."""
        if not package.has(self.resource):
            return []
        path = package.path_of(self.resource)
        if not path.is_file():
            return []
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ClaimpackError(f"not UTF-8 (byte {exc.start})", file=package.rel(self.resource),
                                 expected="UTF-8 text") from None
        return self.parse(text)[1]

    def broken_links(self, log: list[Entry]) -> Iterator[tuple[Entry, str]]:
        """Rows whose chain_hash is not the hash of the row before and their own fields, with the hash expected."""
        previous = GENESIS
        for entry in log:
            expected = self.chain_hash(previous, entry.cells)
            if entry["chain_hash"] != expected:
                yield entry, expected
            previous = entry["chain_hash"]

    def row_line(self, cells: dict[str, str]) -> bytes:
        """One row as a line of the log."""
        return _line([cells.get(name, "") for name in self.fields])

    def header_bytes(self) -> bytes:
        """The log's header line."""
        return _line(list(self.fields))


def _line(values: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue().encode("utf-8")


def add_resource(descriptor: dict, resource: dict) -> None:
    """Declare a log (`resource`, its descriptor) in a package descriptor, after its last table resource."""
    resources = descriptor["resources"]
    tables = [index for index, each in enumerate(resources) if each.get("type") == "table"]
    resources.insert(tables[-1] + 1 if tables else len(resources), resource)


def resource_descriptor(name: str, path: str, title: str, description: str, fields: list[dict], *,
                        number: str, chain_hash: str) -> dict:
    """A log as datapackage.json declares it (Data Package v2): CSV of UTF-8, CC-BY-4.0, keyed by `number`.

    `fields` are the log's own fields between `number` and `chain_hash`; `number` and `chain_hash` are the
    descriptions of those two, which every log has."""
    return {
        "name": name,
        "type": "table",
        "path": path,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "description": description,
        "dialect": {"$schema": "https://datapackage.org/profiles/2.0/tabledialect.json", "delimiter": ",",
                    "quoteChar": "\"", "header": True},
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "schema": {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "fields": [
                {"name": "number", "type": "integer", "description": number,
                 "constraints": {"required": True, "unique": True, "minimum": 1}},
                *fields,
                {"name": "chain_hash", "type": "string", "description": chain_hash,
                 "constraints": {"required": True, "pattern": "^[0-9a-f]{64}$"}},
            ],
            "primaryKey": ["number"],
            "missingValues": [""],
        },
    }
