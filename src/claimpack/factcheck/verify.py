"""`claimpack verify`: append a fact-checker's verdict to the package's verifications log.

Rows are only ever appended:
- a writer takes an exclusive lock (claimpack.model.verifications.lock), so two writers at once never
  lose a row;
- the new file is the old file's bytes plus one line, written to a temporary file and renamed
  into place, and the descriptor's hash and bytes for the resource are then updated the same way;
- the row's `chain_hash` continues the log's hash chain (claimpack.model.verifications.log).

A writer refuses to append to a log that no longer matches the hash recorded in datapackage.json
(it was edited by hand) or whose chain is broken: appending would launder the change.

Standard library only: `claimpack verify` answers fast.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from ..model.chained_log import GENESIS, TIMESTAMP_FORMAT
from ..model.domain import Model
from ..model.integrity import atomic_write_all, descriptor_text, sha256
from ..model.package import Package
from ..model.paths import DESCRIPTOR, read_json
from ..model.verifications.input import check_evidence, check_text, check_value, check_verdict
from ..model.verifications.lock import locked
from ..model.verifications.log import LOG, Entry, instant, latest_credible
from ..model.verifications.schema import FIELDS, RESOURCE, add_resource
from ..system import fault_points
from ..system.problems import ClaimpackError


def now() -> str:
    return datetime.now(UTC).strftime(TIMESTAMP_FORMAT)


def append(root: str | Path, record_id: str, verdict: str, by: str, note: str, evidence: str | None = None,
           value: str | float | None = None, *, clock=now) -> dict:
    """Validate one verdict and append it to the package's log. Returns the row written.

    Bad input raises ClaimpackError before anything is written or locked.
    """
    root = Path(root)
    verdict = check_verdict(verdict)
    by, note = check_text("by", by), check_text("note", note)
    evidence, value_text = check_evidence(evidence), check_value(value)
    package = Package.load(root)
    kind = Model(package).record(record_id).type
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
            old = LOG.header_bytes()
        try:
            header, log = LOG.parse(old.decode("utf-8"))
        except UnicodeDecodeError:
            raise ClaimpackError("not UTF-8; nothing appended", file=rel, expected="UTF-8 text") from None
        if tuple(header) != FIELDS:
            raise ClaimpackError(f"header is {','.join(header)}; nothing appended", file=rel,
                                 expected=",".join(FIELDS))
        for entry, _ in LOG.broken_links(log):
            raise ClaimpackError("chain_hash does not match: the row was changed after it was recorded; "
                                 "nothing appended", file=rel, row=entry.row, field="chain_hash",
                                 expected="an untouched log")
        stamp = settled_stamp(clock(), log)
        previous = log[-1]["chain_hash"] if log else GENESIS
        number = (int(log[-1]["number"]) + 1) if log and log[-1]["number"].isdigit() else len(log) + 1
        cells = {"number": str(number), "record_id": record_id, "record_type": kind, "verdict": verdict,
                 "by": by, "note": note, "evidence": evidence, "value": value_text, "timestamp": stamp}
        cells["chain_hash"] = LOG.chain_hash(previous, cells)
        if not old.endswith(b"\n"):
            old += b"\n"  # a hand-written last line without its newline: complete it, never rewrite it
        new = old + LOG.row_line(cells)
        assert new.startswith(old)
        resource["hash"], resource["bytes"] = f"sha256:{hashlib.sha256(new).hexdigest()}", len(new)
        # both files written before either is renamed: a full disk or a size limit changes neither
        atomic_write_all([(path, new), (root / DESCRIPTOR, descriptor_text(descriptor))])
        fault_points.point("verify:appended")
    return Entry(len(log) + 2, cells).to_dict()


def settled_stamp(now: str, log: list[Entry]) -> str:
    """The timestamp a new row gets: the clock's, or the latest credible stamp of the log when the
    clock is slightly behind it (another machine's clock a little ahead), so the log never goes
    back in time. A stamp further ahead than the allowed skew is not credible: validation reports
    that row, and it never holds back a later verdict."""
    latest = latest_credible(log, instant(now))
    return latest if latest is not None and instant(latest) > instant(now) else now


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
