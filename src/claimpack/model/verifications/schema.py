"""The `verifications` resource as a package declares it: its fields, verdicts and patterns."""

from __future__ import annotations

from .. import chained_log

RESOURCE = "verifications"
PATH = "data/verifications.csv"
VERDICTS = ("confirmed", "disputed", "corrected", "unverifiable")
FIELDS = ("number", "record_id", "record_type", "verdict", "by", "note", "evidence", "value", "timestamp",
          "chain_hash")
# An http(s) address of URL characters only (RFC 3986): no space, quote or angle bracket can break out of a link.
EVIDENCE = r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?([/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$"


def resource_descriptor() -> dict:
    """The `verifications` resource as datapackage.json declares it (Data Package v2)."""
    return chained_log.resource_descriptor(
        RESOURCE, PATH, "Verifications",
        "One row per verdict a fact-checker recorded on a claim or event, appended by "
        "`claimpack verify` and never rewritten; each row chains the hash of the one before.",
        [
            {"name": "record_id", "type": "string",
             "description": "The claim or event verified: a claims.id or an events.id.",
             "constraints": {"required": True, "pattern": chained_log.KEBAB}},
            {"name": "record_type", "type": "string",
             "description": "Whether record_id is a claim or an event.",
             "constraints": {"required": True, "enum": ["claim", "event"]}},
            {"name": "verdict", "type": "string",
             "description": "What the fact-checker found: confirmed (the source says what the paper says), "
                            "disputed (the source or other evidence contradicts it), corrected (the right "
                            "value is given in value), unverifiable (the source cannot be checked).",
             "constraints": {"required": True, "enum": list(VERDICTS)}},
            {"name": "by", "type": "string", "description": "Who recorded the verdict: a name or handle.",
             "constraints": {"required": True, "pattern": chained_log.TRIMMED}},
            {"name": "note", "type": "string",
             "description": "What the fact-checker found, in plain words (one line).",
             "constraints": {"required": True, "pattern": chained_log.TRIMMED}},
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
        ],
        number="Position of the verdict in the log, counting from 1; rows are only ever appended.",
        chain_hash="sha256 (hex) of the previous row's chain_hash (empty for the first row) and this "
                   "row's other fields, as a compact JSON array of their text in field order; "
                   "rewriting an earlier row breaks the chain from that row on.")


def add_resource(descriptor: dict) -> None:
    """Declare the log in a descriptor, after its last table resource."""
    chained_log.add_resource(descriptor, resource_descriptor())
