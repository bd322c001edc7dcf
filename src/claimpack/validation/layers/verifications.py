"""Part of layer 3 (provenance): the fact-checkers' log, data/verifications.csv, is intact.

- every verdict names a claim or event of the package, of the recorded record_type;
- the hash chain holds: a row changed after it was recorded is an error naming that row, and so is
  a row removed or moved (the next row no longer follows the chain);
- numbers count up from 1 and timestamps (UTC, with Z) never decrease; a timestamp further in
  the future than a clock's skew (5 minutes) is an error, and later rows are not held to it.

Types, enumerations and patterns are frictionless's to report (layer 1).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from ...model.package import Package
from ...model.verifications.log import LOG, SKEW, instant, is_future, is_timestamp
from ...model.verifications.schema import FIELDS, RESOURCE
from ...system.problems import ClaimpackError, Problem

LAYER = "provenance"


def _problem(rel: str, row: int | None, field: str | None, message: str, expected: str, code: str) -> Problem:
    return Problem(rel, row, field, message, expected, layer=LAYER, code=code)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def check(package: Package) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    if not package.has(RESOURCE):
        return [], {"verifications": 0}
    try:
        rel = package.rel(RESOURCE)
        if not package.path_of(RESOURCE).is_file():
            return [_problem(rel, None, None, "file is missing", "the verifications log (header only when empty)",
                             "verifications-missing")], {"errors": 1}
        log = LOG.entries(package)
        header = package.table(RESOURCE).header
    except ClaimpackError as exc:
        return [exc.problem], {"errors": 1}
    problems: list[Problem] = []
    if tuple(header) != FIELDS:
        problems.append(_problem(rel, 1, None, f"header is {','.join(header)}", ",".join(FIELDS),
                                 "verifications-header"))
        return problems, {"errors": len(problems)}
    known = dict.fromkeys(filter(None, package.table("claims").column("id")), "claim")
    if package.has("events"):
        known.update(dict.fromkeys(filter(None, package.table("events").column("id")), "event"))
    for entry, _expected in LOG.broken_links(log):
        which = f"row {entry['number']}" if entry["number"] else "a row with no number"
        problems.append(_problem(rel, entry.row, "chain_hash",
                                 f"{which} does not follow the hash chain: it, or the row "
                                 "before it, was changed, removed or moved after it was recorded",
                                 "an append-only log: the sha256 of the previous chain_hash and this row's fields",
                                 "verification-chain"))
    now = datetime.now(UTC)
    previous_stamp, expected_number = "", 1  # the latest well-formed, credible timestamp so far
    for entry in log:
        record = entry["record_id"]
        if record and record not in known:
            problems.append(_problem(rel, entry.row, "record_id", f"{record!r} is neither a claim nor an event",
                                     "a claims.id or events.id", "verification-unknown-record"))
        elif record and entry["record_type"] and known[record] != entry["record_type"]:
            problems.append(_problem(rel, entry.row, "record_type",
                                     f"{record} is {_a(known[record])}, not {_a(entry['record_type'])}",
                                     known[record], "verification-record-type"))
        if entry["number"] != str(expected_number):
            problems.append(_problem(rel, entry.row, "number", f"number {entry['number'] or 'empty'} breaks the count",
                                     str(expected_number), "verification-number"))
        expected_number = int(entry["number"]) + 1 if entry["number"].isdigit() else expected_number + 1
        stamp = entry["timestamp"]
        if stamp and not is_timestamp(stamp):
            problems.append(_problem(rel, entry.row, "timestamp", f"{stamp!r} is not a UTC timestamp",
                                     "ISO 8601 in UTC with Z, such as 2024-05-01T12:00:00.000000Z",
                                     "verification-timestamp"))
        elif stamp and is_future(stamp, now):
            problems.append(_problem(rel, entry.row, "timestamp",
                                     f"{stamp} is in the future (the clock reads {now:%Y-%m-%dT%H:%M:%SZ})",
                                     f"a time no more than {SKEW.seconds // 60} minutes ahead of now",
                                     "verification-future"))
        elif stamp and previous_stamp and instant(stamp) < instant(previous_stamp):
            problems.append(_problem(rel, entry.row, "timestamp",
                                     f"{stamp} is earlier than the row before ({previous_stamp})",
                                     "timestamps that never decrease", "verification-timestamp-order"))
        elif stamp:
            previous_stamp = stamp
    return problems, {"verifications": len(log), "errors": len(problems),
                      "seconds": round(time.perf_counter() - started, 3)}
