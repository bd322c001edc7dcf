"""The `verifications` resource as a package declares it: its fields, verdicts and patterns."""

from __future__ import annotations

import re

RESOURCE = "verifications"
PATH = "data/verifications.csv"
VERDICTS = ("confirmed", "disputed", "corrected", "unverifiable")
FIELDS = ("number", "record_id", "record_type", "verdict", "by", "note", "evidence", "value", "timestamp",
          "chain_hash")
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
# An http(s) address of URL characters only (RFC 3986): no space, quote or angle bracket can break out of a link.
EVIDENCE = r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?([/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$"


def resource_descriptor() -> dict:
    """The `verifications` resource as datapackage.json declares it (Data Package v2)."""
    return {
        "name": RESOURCE,
        "type": "table",
        "path": PATH,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "Verifications",
        "description": "One row per verdict a fact-checker recorded on a claim or event, appended by "
                       "`claimpack verify` and never rewritten; each row chains the hash of the one before.",
        "dialect": {"$schema": "https://datapackage.org/profiles/2.0/tabledialect.json", "delimiter": ",",
                    "quoteChar": "\"", "header": True},
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "schema": {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "fields": [
                {"name": "number", "type": "integer",
                 "description": "Position of the verdict in the log, counting from 1; rows are only ever appended.",
                 "constraints": {"required": True, "unique": True, "minimum": 1}},
                {"name": "record_id", "type": "string",
                 "description": "The claim or event verified: a claims.id or an events.id.",
                 "constraints": {"required": True, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}},
                {"name": "record_type", "type": "string",
                 "description": "Whether record_id is a claim or an event.",
                 "constraints": {"required": True, "enum": ["claim", "event"]}},
                {"name": "verdict", "type": "string",
                 "description": "What the fact-checker found: confirmed (the source says what the paper says), "
                                "disputed (the source or other evidence contradicts it), corrected (the right "
                                "value is given in value), unverifiable (the source cannot be checked).",
                 "constraints": {"required": True, "enum": list(VERDICTS)}},
                {"name": "by", "type": "string", "description": "Who recorded the verdict: a name or handle.",
                 "constraints": {"required": True, "pattern": r"^\S(.*\S)?$"}},
                {"name": "note", "type": "string",
                 "description": "What the fact-checker found, in plain words (one line).",
                 "constraints": {"required": True, "pattern": r"^\S(.*\S)?$"}},
                {"name": "evidence", "type": "string",
                 "description": "An http or https address of the evidence; empty when none is given.",
                 "constraints": {"pattern": EVIDENCE}},
                {"name": "value", "type": "number",
                 "description": "The value the fact-checker found, in the claim's base units (as for claims.value); "
                                "empty when none is given.", "bareNumber": True},
                {"name": "timestamp", "type": "datetime",
                 "description": "When the verdict was recorded: UTC, ISO 8601 with Z "
                                "(2024-05-01T12:00:00.000000Z); never earlier than the row before.",
                 "constraints": {"required": True}},
                {"name": "chain_hash", "type": "string",
                 "description": "sha256 (hex) of the previous row's chain_hash (empty for the first row) and this "
                                "row's other fields, as a compact JSON array of their text in field order; "
                                "rewriting an earlier row breaks the chain from that row on.",
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
