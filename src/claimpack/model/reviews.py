"""The reviewers' append-only log, data/reviews.csv: its schema, reading it and its hash chain.

Every action of `claimpack review` (accept, reject, edit, add, verdict, undo) appends one row per
record it touched (an edit of the package's title, licence or authors is one row for the
package): who, when, the record, the action, and the record's fields before and after as JSON.
A batch (reject every candidate of a section) is one action of several rows, sharing its
`action` number. Rows are never rewritten: an undo is a new row naming the action it undoes.

Each row carries `chain_hash`, the sha256 of the previous row's chain_hash and this row's other
fields, exactly as data/verifications.csv does (claimpack.model.chained_log), so a row changed,
removed or moved after it was written shows as a broken link from that row on.
Standard library only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import chained_log

RESOURCE = "reviews"
PATH = "data/reviews.csv"
KINDS = ("accept", "reject", "edit", "add", "verdict", "undo")
RECORD_TYPES = ("claim", "event", "package")
PACKAGE_ID = "package"  # the record_id of an edit of the package's own title, licence and authors
FIELDS = ("number", "action", "kind", "record_id", "record_type", "by", "timestamp", "before", "after", "reason",
          "undoes", "chain_hash")


@dataclass
class Entry(chained_log.Entry):
    """One row of the log: every field as the text of its CSV cell."""

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


LOG = chained_log.ChainedLog(RESOURCE, PATH, FIELDS, Entry)  # its reading, chain and rows


def undone(log: list[Entry]) -> set[int]:
    """The actions an undo row has undone."""
    return {entry.undoes for entry in log if entry["kind"] == "undo" and entry.undoes is not None}


def resource_descriptor() -> dict:
    """The `reviews` resource as datapackage.json declares it (Data Package v2)."""
    return chained_log.resource_descriptor(
        RESOURCE, PATH, "Reviews",
        "One row per record each action of `claimpack review` touched (accept, reject, edit, add, "
        "verdict, undo; an edit of the package's title, licence or authors is one row for the "
        "package): who, when, and the fields before and after. Appended, never rewritten; each row "
        "chains the hash of the one before.",
        [
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
             "description": "The claim or event acted on (its id before the action), or `package` for the "
                            "package's title, licence and authors.",
             "constraints": {"required": True, "pattern": chained_log.KEBAB}},
            {"name": "record_type", "type": "string",
             "description": "Whether record_id is a claim, an event or the package itself.",
             "constraints": {"required": True, "enum": list(RECORD_TYPES)}},
            {"name": "by", "type": "string", "description": "Who acted: a name or handle.",
             "constraints": {"required": True, "pattern": chained_log.TRIMMED}},
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
        ],
        number="Position of the row in the log, counting from 1; rows are only ever appended.",
        chain_hash="sha256 (hex) of the previous row's chain_hash (empty for the first row) and this "
                   "row's other fields, as a compact JSON array of their text in field order.")


def ensure_resource(descriptor: dict) -> None:
    """Declare the log in a descriptor as this claimpack writes it: added after the last table resource, or
    its schema brought up to date (a log an earlier claimpack declared knew fewer record types)."""
    for resource in descriptor.get("resources", []):
        if isinstance(resource, dict) and resource.get("name") == RESOURCE:
            current = resource_descriptor()
            if resource.get("schema") != current["schema"]:
                resource["schema"] = current["schema"]
                resource["description"] = current["description"]
            return
    add_resource(descriptor)


def add_resource(descriptor: dict) -> None:
    """Declare the log in a descriptor, after its last table resource."""
    chained_log.add_resource(descriptor, resource_descriptor())
