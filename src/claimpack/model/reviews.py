"""The reviewers' append-only log, data/reviews.csv: its schema, reading it and its hash chain.

Every action of `claimpack review` (accept, reject, edit, add, verdict, undo) appends one row per
record it touched: who, when, the record, the action, and the record's fields before and after as
JSON. A batch (reject every candidate of a section) is one action of several rows, sharing its
`action` number. Rows are never rewritten: an undo is a new row naming the action it undoes.

Each row carries `chain_hash`, the sha256 of the previous row's chain_hash and this row's other
fields, exactly as data/verifications.csv does (claimpack.verifications.log), so a row changed,
removed or moved after it was written shows as a broken link from that row on.
Standard library only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass

from ..system.problems import ClaimpackError
from .package import Package

RESOURCE = "reviews"
PATH = "data/reviews.csv"
KINDS = ("accept", "reject", "edit", "add", "verdict", "undo")
FIELDS = ("number", "action", "kind", "record_id", "record_type", "by", "timestamp", "before", "after", "reason",
          "undoes", "chain_hash")
GENESIS = ""
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


@dataclass
class Entry:
    """One row of the log: every field as the text of its CSV cell."""

    row: int  # frictionless row number (header is row 1)
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")

    @property
    def action(self) -> int | None:
        return int(self["action"]) if self["action"].isdigit() else None

    @property
    def undoes(self) -> int | None:
        return int(self["undoes"]) if self["undoes"].isdigit() else None

    def fields(self, which: str) -> dict | None:
        """The record's fields before or after the action (None when the cell is empty or not a JSON object)."""
        try:
            value = json.loads(self[which]) if self[which] else None
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


def chain_hash(previous: str, cells: dict[str, str]) -> str:
    """sha256 of the previous row's chain_hash and this row's other fields, as a compact JSON array."""
    values = [previous, *(cells.get(name, "") for name in FIELDS if name != "chain_hash")]
    payload = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def parse_log(text: str) -> tuple[list[str], list[Entry]]:
    """Header and rows of a reviews log, cells kept as text."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    header: list[str] = []
    found: list[Entry] = []
    try:
        for index, cells in enumerate(reader):
            if index == 0:
                header = cells
            elif cells:
                found.append(Entry(reader.line_num, dict(zip(header, cells))))
    except csv.Error as exc:
        raise ClaimpackError(f"malformed CSV: {exc}", file=PATH, row=reader.line_num,
                             expected="well-formed CSV") from None
    return header, found


def entries(package: Package) -> list[Entry]:
    """Every row of the package's reviews log (none when the package has none yet)."""
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
    return parse_log(text)[1]


def broken_links(log: list[Entry]):
    """Rows whose chain_hash is not the hash of the row before and their own fields."""
    previous = GENESIS
    for entry in log:
        if entry["chain_hash"] != chain_hash(previous, entry.cells):
            yield entry
        previous = entry["chain_hash"]


def row_line(cells: dict[str, str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cells.get(name, "") for name in FIELDS])
    return out.getvalue().encode("utf-8")


def header_bytes() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(FIELDS)
    return out.getvalue().encode("utf-8")


def undone(log: list[Entry]) -> set[int]:
    """The actions an undo row has undone."""
    return {entry.undoes for entry in log if entry["kind"] == "undo" and entry.undoes is not None}


def resource_descriptor() -> dict:
    """The `reviews` resource as datapackage.json declares it (Data Package v2)."""
    kebab = "^[a-z0-9]+(-[a-z0-9]+)*$"
    return {
        "name": RESOURCE,
        "type": "table",
        "path": PATH,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "Reviews",
        "description": "One row per record each action of `claimpack review` touched (accept, reject, edit, add, "
                       "verdict, undo): who, when, and the record's fields before and after. Appended, never "
                       "rewritten; each row chains the hash of the one before.",
        "dialect": {"$schema": "https://datapackage.org/profiles/2.0/tabledialect.json", "delimiter": ",",
                    "quoteChar": "\"", "header": True},
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "schema": {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "fields": [
                {"name": "number", "type": "integer",
                 "description": "Position of the row in the log, counting from 1; rows are only ever appended.",
                 "constraints": {"required": True, "unique": True, "minimum": 1}},
                {"name": "action", "type": "integer",
                 "description": "The action the row belongs to, counting from 1: a batch (every candidate of a "
                                "section rejected at once) is one action of several rows.",
                 "constraints": {"required": True, "minimum": 1}},
                {"name": "kind", "type": "string",
                 "description": "accept (the record became reviewed), reject (it left claims or events and became "
                                "coverage exclusions), edit (its fields changed), add (a record the paper's "
                                "reader missed), verdict (a fact-checker's verdict, appended to verifications.csv), "
                                "undo (the files of an earlier action restored).",
                 "constraints": {"required": True, "enum": list(KINDS)}},
                {"name": "record_id", "type": "string",
                 "description": "The claim or event acted on (its id before the action).",
                 "constraints": {"required": True, "pattern": kebab}},
                {"name": "record_type", "type": "string", "description": "Whether record_id is a claim or an event.",
                 "constraints": {"required": True, "enum": ["claim", "event"]}},
                {"name": "by", "type": "string", "description": "Who acted: a name or handle.",
                 "constraints": {"required": True, "pattern": r"^\S(.*\S)?$"}},
                {"name": "timestamp", "type": "datetime",
                 "description": "When: UTC, ISO 8601 with Z (2024-05-01T12:00:00.000000Z).",
                 "constraints": {"required": True}},
                {"name": "before", "type": "string",
                 "description": "The record's fields before the action, as a JSON object of their text; empty for "
                                "an added record."},
                {"name": "after", "type": "string",
                 "description": "The record's fields after the action, as a JSON object of their text; for a "
                                "rejection the coverage exclusions written; for a verdict the verdict's row."},
                {"name": "reason", "type": "string",
                 "description": "Why: a rejection's reason (the exclusions' reason), an undo's summary."},
                {"name": "undoes", "type": "integer",
                 "description": "For an undo, the action whose files it restored.", "constraints": {"minimum": 1}},
                {"name": "chain_hash", "type": "string",
                 "description": "sha256 (hex) of the previous row's chain_hash (empty for the first row) and this "
                                "row's other fields, as a compact JSON array of their text in field order.",
                 "constraints": {"required": True, "pattern": "^[0-9a-f]{64}$"}},
            ],
            "primaryKey": ["number"],
            "missingValues": [""],
        },
    }


def add_resource(descriptor: dict) -> None:
    """Declare the log in a descriptor, after its last table resource."""
    resources = descriptor["resources"]
    tables = [index for index, resource in enumerate(resources) if resource.get("type") == "table"]
    resources.insert(tables[-1] + 1 if tables else len(resources), resource_descriptor())
