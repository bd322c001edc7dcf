"""Fact-checkers' verdicts: the append-only `verifications` resource (data/verifications.csv).

Each row records one verdict on one claim or event. Rows are only ever appended:
- a writer takes an exclusive lock (fcntl.flock on `.claimpack/verify.lock` in the package), so
  two writers at once never lose a row;
- the new file is the old file's bytes plus one line, written to a temporary file and renamed
  into place, and the descriptor's hash and bytes for the resource are then updated the same way;
- every row carries `chain_hash`, the sha256 of the previous row's chain_hash and this row's
  other fields (`chain_payload`), so rewriting, removing or reordering an earlier row is detected
  by `claimpack validate`, row by row.

A writer refuses to append to a log that no longer matches the hash recorded in datapackage.json
(it was edited by hand) or whose chain is broken: appending would launder the change.

Standard library only: `claimpack verify` and `claimpack show` answer fast.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from . import fault_points
from .package import DESCRIPTOR, Package, read_json
from .problems import ClaimpackError

RESOURCE = "verifications"
PATH = "data/verifications.csv"
VERDICTS = ("confirmed", "disputed", "corrected", "unverifiable")
FIELDS = ("number", "record_id", "record_type", "verdict", "by", "note", "evidence", "value", "timestamp",
          "chain_hash")
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# An http(s) address of URL characters only (RFC 3986): no space, quote or angle bracket can break out of a link.
EVIDENCE = r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?([/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
LOCK = ".claimpack/verify.lock"
MAX_TEXT = 2000
GENESIS = ""  # the "previous chain_hash" of the first row


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


# ---- reading ----------------------------------------------------------------------------------
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


def history(package: Package, record_id: str) -> list[Entry]:
    """The verdicts on one record, oldest first."""
    return [entry for entry in entries(package) if entry["record_id"] == record_id]


def latest(package: Package) -> dict[str, Entry]:
    """The latest verdict on each record that has one."""
    found: dict[str, Entry] = {}
    for entry in entries(package):
        found[entry["record_id"]] = entry
    return found


def broken_links(log: list[Entry]) -> Iterator[tuple[Entry, str]]:
    """Rows whose chain_hash is not the hash of the row before and their own fields."""
    previous = GENESIS
    for entry in log:
        expected = chain_hash(previous, entry.cells)
        if entry["chain_hash"] != expected:
            yield entry, expected
        previous = entry["chain_hash"]


# ---- checking a new verdict -------------------------------------------------------------------
def record_type(package: Package, record_id: str) -> str:
    """'claim' or 'event' for a known id; a ClaimpackError naming close matches otherwise."""
    claims = [row.get("id") for row in package.rows("claims") if row.get("id")]
    events = [row.get("id") for row in package.rows("events") if row.get("id")] if package.has("events") else []
    if record_id in claims:
        return "claim"
    if record_id in events:
        return "event"
    raise unknown_record(record_id, claims + events)


def unknown_record(record_id: str, known: list[str]) -> ClaimpackError:
    import difflib

    close = difflib.get_close_matches(record_id, known, n=3, cutoff=0.5)
    if not close:  # a fragment of an id ("kidnappings") is closer to a human than a spelling match
        close = [candidate for candidate in known if record_id and record_id.lower() in candidate][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `claimpack find` searches them"
    return ClaimpackError(f"no claim or event {record_id!r}{hint}")


def _text(name: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ClaimpackError(f"--{name} is empty: give a non-empty {name}")
    if len(text) > MAX_TEXT:
        raise ClaimpackError(f"--{name} is {len(text):,} characters long, more than {MAX_TEXT:,}")
    bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != "\u200d"), None)
    if bad is not None:
        raise ClaimpackError(f"--{name} contains the control character U+{ord(bad):04X}: give one line of text")
    return text


def check_evidence(url: str | None) -> str:
    if url is None or url == "":
        return ""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not re.fullmatch(EVIDENCE, url):
        raise ClaimpackError(f"--evidence {url!r} is not an http or https address "
                             "(such as https://example.org/report.pdf)")
    return url


def check_value(value: str | float | None) -> str:
    """The value as it is stored: the shortest text that reads back as the same number."""
    if value is None or value == "":
        return ""
    try:
        text = str(value).strip()
        if "_" in text:
            raise ValueError(text)
        number = float(text)
    except ValueError:
        raise ClaimpackError(f"--value {value!r} is not a number (give one such as 236000000)") from None
    if not math.isfinite(number):
        raise ClaimpackError(f"--value {value!r} is not a finite number (give one such as 236000000)")
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def check_verdict(verdict: str | None) -> str:
    if verdict not in VERDICTS:
        raise ClaimpackError(f"--verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    return verdict


def instant(stamp: str) -> datetime:
    """A stored timestamp as an aware datetime (for comparing stamps of different precision)."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def now() -> str:
    return datetime.now(UTC).strftime(TIMESTAMP_FORMAT)


# ---- appending --------------------------------------------------------------------------------
@contextmanager
def locked(root: Path):
    """Hold the package's verification lock (blocking until it is free)."""
    import fcntl

    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _row_line(cells: dict[str, str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cells[name] for name in FIELDS])
    return out.getvalue().encode("utf-8")


def header_bytes() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(FIELDS)
    return out.getvalue().encode("utf-8")


def append(root: str | Path, record_id: str, verdict: str, by: str, note: str, evidence: str | None = None,
           value: str | float | None = None, *, clock=now) -> dict:
    """Validate one verdict and append it to the package's log. Returns the row written.

    Bad input raises ClaimpackError before anything is written or locked.
    """
    from .integrity import atomic_write, sha256, write_descriptor

    root = Path(root)
    verdict = check_verdict(verdict)
    by, note = _text("by", by), _text("note", note)
    evidence, value_text = check_evidence(evidence), check_value(value)
    package = Package.load(root)
    kind = record_type(package, record_id)
    if kind == "event" and value_text:
        raise ClaimpackError(f"--value is given for event {record_id!r}, but only a claim has a value")
    if package.has(RESOURCE):
        package.path_of(RESOURCE)  # refuse a resource path outside the package before locking

    with locked(root):
        fault_points.point("verify:locked")
        descriptor = read_json(root / DESCRIPTOR, DESCRIPTOR)
        package = Package(root, descriptor)
        if not package.has(RESOURCE):
            add_resource(descriptor)
        resource = package.resource(RESOURCE)
        rel = str(resource.get("path"))
        path = package.path_of(RESOURCE)
        if path.is_file():
            old = path.read_bytes()
            recorded = resource.get("hash")
            if recorded and recorded != f"sha256:{sha256(path)}" and not lags_behind(old, recorded,
                                                                                      resource.get("bytes")):
                raise ClaimpackError("changed outside `claimpack verify`: its sha256 is not the one recorded in "
                                     "datapackage.json; nothing appended", file=rel,
                                     expected="an untouched log (run `claimpack validate` to see what changed)")
        else:
            old = b""
        if not old:
            old = header_bytes()
        try:
            header, log = parse_log(old.decode("utf-8"))
        except UnicodeDecodeError:
            raise ClaimpackError("not UTF-8; nothing appended", file=rel, expected="UTF-8 text") from None
        if tuple(header) != FIELDS:
            raise ClaimpackError(f"header is {','.join(header)}; nothing appended", file=rel,
                                 expected=",".join(FIELDS))
        for entry, _ in broken_links(log):
            raise ClaimpackError("chain_hash does not match: the row was changed after it was recorded; "
                                 "nothing appended", file=rel, row=entry.row, field="chain_hash",
                                 expected="an untouched log")
        stamp = clock()
        if log and TIMESTAMP.match(log[-1]["timestamp"]) and instant(log[-1]["timestamp"]) > instant(stamp):
            raise ClaimpackError(f"the clock reads {stamp}, before the last verdict's {log[-1]['timestamp']}",
                                 file=rel, expected="a clock that does not run backwards")
        previous = log[-1]["chain_hash"] if log else GENESIS
        number = (int(log[-1]["number"]) + 1) if log and log[-1]["number"].isdigit() else len(log) + 1
        cells = {"number": str(number), "record_id": record_id, "record_type": kind, "verdict": verdict,
                 "by": by, "note": note, "evidence": evidence, "value": value_text, "timestamp": stamp}
        cells["chain_hash"] = chain_hash(previous, cells)
        if not old.endswith(b"\n"):
            old += b"\n"  # a hand-written last line without its newline: complete it, never rewrite it
        new = old + _row_line(cells)
        assert new.startswith(old)
        atomic_write(path, new)
        fault_points.point("verify:appended")
        resource["hash"], resource["bytes"] = f"sha256:{hashlib.sha256(new).hexdigest()}", len(new)
        write_descriptor(root, descriptor)
    return Entry(len(log) + 2, cells).to_dict()


def add_resource(descriptor: dict) -> None:
    """Declare the log in a descriptor, after its last table resource."""
    resources = descriptor["resources"]
    tables = [index for index, resource in enumerate(resources) if resource.get("type") == "table"]
    resources.insert(tables[-1] + 1 if tables else len(resources), resource_descriptor())


def lags_behind(data: bytes, recorded: str, size: object) -> bool:
    """Is the recorded hash that of a prefix of the log ending at a row, with whole rows after it?

    That is what a writer killed between renaming the log and renaming the descriptor leaves: the
    log gained rows, and the descriptor still describes the log before them. Appending then rolls
    the descriptor forward (the chain is checked over the whole log before anything is written);
    any other difference is an edit by hand, and is refused.
    """
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size < len(data):
        return False
    if data[size - 1:size] != b"\n" or not data.endswith(b"\n"):
        return False
    return f"sha256:{hashlib.sha256(data[:size]).hexdigest()}" == recorded


def create_log(root: str | Path) -> bool:
    """Add an empty `verifications` resource (header only) to a package that has none."""
    from .integrity import atomic_write, sha256, write_descriptor

    root = Path(root)
    with locked(root):
        descriptor = read_json(root / DESCRIPTOR, DESCRIPTOR)
        package = Package(root, descriptor)
        if package.has(RESOURCE):
            return False
        add_resource(descriptor)
        path = package.path_of(RESOURCE)
        if not path.exists():
            atomic_write(path, header_bytes())
        resource = package.resource(RESOURCE)
        resource["hash"], resource["bytes"] = f"sha256:{sha256(path)}", path.stat().st_size
        write_descriptor(root, descriptor)
    return True
