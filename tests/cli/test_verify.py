"""`claimpack verify` and the verifications log, run for real on copies of the real package."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from claimpack.model.chained_log import GENESIS
from claimpack.model.package import Package
from claimpack.model.verifications.log import LOG as VERIFICATIONS
from claimpack.model.verifications.schema import FIELDS
from claimpack.validation.layers import verifications as layer
from conftest import ROOT, copy_package, invoke_claimpack, rehash_copy, run_claimpack, snapshot

LOG = "data/verifications.csv"
CLAIM, EVENT = "fms-sales-latam-2010-2015", "monroe-doctrine-speech-1823"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def verify(root: Path, record: str = CLAIM, *extra: str, verdict: str = "confirmed", by: str = "R. Checker",
           note: str = "Isacson and Kinosian, page 81, give the same figure"):
    return invoke_claimpack("verify", record, "--verdict", verdict, "--by", by, "--note", note, *extra, cwd=root)


def rows(root: Path) -> list[dict]:
    return [entry.cells for entry in VERIFICATIONS.parse((root / LOG).read_text(encoding="utf-8"))[1]]


def documented_chain_hash(root: Path, previous: str, row: dict) -> str:
    """The rule as documented, computed here from the log's own header, not with claimpack's code:
    sha256 of the compact JSON array [previous row's chain_hash, then the row's other cells in column order]."""
    import csv

    with (root / LOG).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    values = [previous, *(row[name] for name in header if name != "chain_hash")]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def recorded(root: Path) -> dict:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == "verifications")


def log_problems(root: Path) -> list[str]:
    problems, _ = layer.check(Package.load(root))
    return [p.line() for p in problems]


# ---- the shipped log --------------------------------------------------------------------------
def test_the_package_ships_an_empty_log_declared_with_a_full_schema():
    assert (ROOT / LOG).read_bytes() == VERIFICATIONS.header_bytes()
    resource = recorded(ROOT)
    assert resource["path"] == LOG and resource["schema"]["primaryKey"] == ["number"]
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == list(FIELDS)
    assert all(f.get("description") for f in fields)
    verdict = next(f for f in fields if f["name"] == "verdict")
    assert verdict["constraints"]["enum"] == ["confirmed", "disputed", "corrected", "unverifiable"]
    assert resource["hash"] == "sha256:" + hashlib.sha256(VERIFICATIONS.header_bytes()).hexdigest()
    assert resource["bytes"] == len(VERIFICATIONS.header_bytes())


# ---- appending --------------------------------------------------------------------------------
def test_verify_appends_one_row_and_updates_the_descriptor(package):
    before = (package / LOG).read_bytes()
    result = verify(package, CLAIM, "--evidence", "https://www.wola.org/analysis/", "--value", "2.3e9")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"recorded verdict 1: {CLAIM} confirmed by R. Checker at ")
    after = (package / LOG).read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    [row] = rows(package)
    assert {k: row[k] for k in ("number", "record_id", "record_type", "verdict", "by", "evidence", "value")} == {
        "number": "1", "record_id": CLAIM, "record_type": "claim", "verdict": "confirmed", "by": "R. Checker",
        "evidence": "https://www.wola.org/analysis/", "value": "2300000000"}
    assert STAMP.match(row["timestamp"])
    assert row["chain_hash"] == documented_chain_hash(package, "", row)
    resource = recorded(package)
    assert resource["hash"] == "sha256:" + hashlib.sha256(after).hexdigest() and resource["bytes"] == len(after)

    second = verify(package, EVENT, verdict="unverifiable", note="Gilderhus page 9 not available")
    assert second.returncode == 0, second.stderr
    first, event = rows(package)
    assert (event["number"], event["record_type"], event["value"]) == ("2", "event", "")
    assert event["chain_hash"] == documented_chain_hash(package, first["chain_hash"], event)
    assert event["timestamp"] >= first["timestamp"]
    assert (package / LOG).read_bytes().startswith(after)


@pytest.mark.slow
def test_a_package_with_verdicts_validates(package):
    assert verify(package).returncode == 0
    assert verify(package, EVENT, verdict="disputed", note="The speech was on December 2, 1823").returncode == 0
    result = invoke_claimpack("validate", "--json", cwd=package)
    report = json.loads(result.stdout)
    assert result.returncode == 0, [p for p in report["problems"] if p["severity"] == "error"]
    assert report["layers"]["provenance"]["verifications"] == 2


BAD = [
    (["no-such-claim"], {}, "claimpack: no claim or event 'no-such-claim'; `claimpack find` searches them"),
    ([CLAIM], {"verdict": "true"},
     "claimpack: --verdict 'true' is not one of confirmed, disputed, corrected, unverifiable"),
    ([CLAIM, "--evidence", "javascript:alert(1)"], {},
     "claimpack: --evidence 'javascript:alert(1)' is not an http or https address "
     "(such as https://example.org/report.pdf)"),
    ([CLAIM, "--evidence", "ftp://example.org/x"], {},
     "claimpack: --evidence 'ftp://example.org/x' is not an http or https address "
     "(such as https://example.org/report.pdf)"),
    ([CLAIM, "--evidence", "https://ok.example/a><script>alert(1)</script>"], {},
     "claimpack: --evidence 'https://ok.example/a><script>alert(1)</script>' is not an http or https address "
     "(such as https://example.org/report.pdf)"),
    ([CLAIM, "--evidence", "https://"], {},
     "claimpack: --evidence 'https://' is not an http or https address (such as https://example.org/report.pdf)"),
    ([CLAIM, "--value", "nan"], {}, "claimpack: --value 'nan' is not a finite number (give one such as 236000000)"),
    ([CLAIM, "--value", "inf"], {}, "claimpack: --value 'inf' is not a finite number (give one such as 236000000)"),
    ([CLAIM, "--value", "2.3 billion"], {},
     "claimpack: --value '2.3 billion' is not a number (give one such as 236000000)"),
    ([CLAIM], {"by": "   "}, "claimpack: --by is empty: give a non-empty by"),
    ([CLAIM], {"note": ""}, "claimpack: --note is empty: give a non-empty note"),
    ([CLAIM], {"note": "two\nlines"}, "claimpack: --note contains the control character U+000A: give one line of text"),
    ([EVENT, "--value", "1823"], {},
     "claimpack: --value is given for event 'monroe-doctrine-speech-1823', but only a claim has a value"),
]


@pytest.mark.parametrize(("args", "options", "line"), BAD, ids=[line[11:60] for _, _, line in BAD])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(package, args, options, line):
    before = snapshot(package)
    result = verify(package, *args, **options)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [line]
    assert snapshot(package) == before


def test_verify_refuses_a_log_edited_by_hand(package):
    assert verify(package).returncode == 0
    path = package / LOG
    path.write_bytes(path.read_bytes().replace(b"page 81", b"page 18"))
    before = snapshot(package)
    result = verify(package, EVENT, verdict="confirmed", note="ok")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "claimpack: data/verifications.csv: changed outside `claimpack verify`: its sha256 is not the one recorded "
        "in datapackage.json; nothing appended (expected an untouched log (run `claimpack validate` to see what "
        "changed))"]
    assert snapshot(package) == before


def test_verify_rolls_forward_a_descriptor_left_behind_by_a_killed_writer(package):
    """Killed between renaming the log and the descriptor: the log has the row, the descriptor not."""
    assert verify(package, note="first finding").returncode == 0
    descriptor = (package / "datapackage.json").read_bytes()
    assert verify(package, note="second finding").returncode == 0
    (package / "datapackage.json").write_bytes(descriptor)  # the descriptor as the killed writer left it
    result = verify(package, note="third finding")
    assert result.returncode == 0, result.stderr
    assert [row["note"] for row in rows(package)] == ["first finding", "second finding", "third finding"]
    data = (package / LOG).read_bytes()
    assert recorded(package)["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert log_problems(package) == []


def test_a_stale_descriptor_does_not_excuse_an_edited_row(package):
    assert verify(package, note="first finding").returncode == 0
    descriptor = (package / "datapackage.json").read_bytes()
    assert verify(package, note="second finding").returncode == 0
    (package / "datapackage.json").write_bytes(descriptor)
    path = package / LOG
    path.write_bytes(path.read_bytes().replace(b"first finding", b"final finding"))
    before = snapshot(package)
    assert verify(package, note="third finding").returncode == 2
    assert snapshot(package) == before


# ---- validation of the log --------------------------------------------------------------------
def test_a_rewritten_earlier_row_is_an_error_naming_the_row(package):
    for note in ("first finding", "second finding", "third finding"):
        assert verify(package, note=note).returncode == 0
    path = package / LOG
    path.write_bytes(path.read_bytes().replace(b"second finding", b"a better finding"))
    rehash_copy(package)  # even with the descriptor's hash updated, the chain tells
    assert log_problems(package) == [
        "data/verifications.csv:3: chain_hash: row 2 does not follow the hash chain: it, or the row before it, "
        "was changed, removed or moved after it was recorded (expected an append-only log: the sha256 of the "
        "previous chain_hash and this row's fields)"]
    refused = verify(package, note="fourth finding")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "claimpack: data/verifications.csv:3: chain_hash: chain_hash does not match: the row was changed after it "
        "was recorded; nothing appended (expected an untouched log)"]
    result = invoke_claimpack("validate", "--skip", "expectations", cwd=package)
    assert result.returncode == 1
    assert ("data/verifications.csv:3: chain_hash: row 2 does not follow the hash chain: it, or the row before it, "
            "was changed, removed or moved after it was recorded (expected an append-only log: the sha256 of the "
            "previous chain_hash and this row's fields)") in result.stdout.splitlines()


def test_a_removed_row_breaks_the_chain_and_the_count(package):
    for note in ("first finding", "second finding", "third finding"):
        assert verify(package, note=note).returncode == 0
    path = package / LOG
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2] + lines[3:]))
    rehash_copy(package)  # the hand edit's hashes recorded: only the chain can tell
    assert log_problems(package) == [
        "data/verifications.csv:3: chain_hash: row 3 does not follow the hash chain: it, or the row before it, "
        "was changed, removed or moved after it was recorded (expected an append-only log: the sha256 of the "
        "previous chain_hash and this row's fields)",
        "data/verifications.csv:3: number: number 3 breaks the count (expected 2)"]


def _write_log(root: Path, rows_: list[dict]) -> None:
    """A log written by hand with a correct chain: only the other checks can object."""
    text, previous = VERIFICATIONS.header_bytes(), GENESIS
    for number, cells in enumerate(rows_, start=1):
        cells = {"number": str(number), "record_type": "claim", "verdict": "confirmed", "by": "X", "note": "n",
                 "evidence": "", "value": "", **cells}
        cells["chain_hash"] = previous = VERIFICATIONS.chain_hash(previous, cells)
        text += (",".join(cells[name] for name in FIELDS) + "\n").encode("utf-8")
    (root / LOG).write_bytes(text)
    rehash_copy(root)


def test_unknown_records_wrong_types_and_decreasing_timestamps(package):
    _write_log(package, [
        {"record_id": CLAIM, "timestamp": "2024-05-01T12:00:00.000000Z"},
        {"record_id": "no-such-claim", "timestamp": "2024-05-01T12:00:01.000000Z"},
        {"record_id": EVENT, "timestamp": "2024-05-01T12:00:02Z"},
        {"record_id": CLAIM, "timestamp": "2024-05-01T11:59:59.000000Z"},
        {"record_id": CLAIM, "timestamp": "2024-05-01 12:00:03"},
    ])
    assert log_problems(package) == [
        "data/verifications.csv:3: record_id: 'no-such-claim' is neither a claim nor an event "
        "(expected a claims.id or events.id)",
        "data/verifications.csv:4: record_type: monroe-doctrine-speech-1823 is an event, not a claim (expected event)",
        "data/verifications.csv:5: timestamp: 2024-05-01T11:59:59.000000Z is earlier than the row before "
        "(2024-05-01T12:00:02Z) (expected timestamps that never decrease)",
        "data/verifications.csv:6: timestamp: '2024-05-01 12:00:03' is not a UTC timestamp "
        "(expected ISO 8601 in UTC with Z, such as 2024-05-01T12:00:00.000000Z)"]


# ---- two writers at once ----------------------------------------------------------------------
WRITER = """
import sys
from claimpack.factcheck.verify import append
root, writer = sys.argv[1], sys.argv[2]
for index in range(int(sys.argv[3])):
    append(root, "fms-sales-latam-2010-2015", "confirmed", f"writer {writer}", f"row {index} of writer {writer}")
"""


@pytest.mark.slow
def test_writers_at_once_lose_no_row(package):
    writers, each = 6, 8
    children = [subprocess.Popen([sys.executable, "-c", WRITER, str(package), str(w), str(each)], cwd=ROOT,
                                 stderr=subprocess.PIPE, text=True) for w in range(writers)]
    for child in children:
        assert child.wait(timeout=180) == 0, child.stderr.read()
    log = rows(package)
    assert len(log) == writers * each
    assert [row["number"] for row in log] == [str(n) for n in range(1, writers * each + 1)]
    assert {row["note"] for row in log} == {f"row {i} of writer {w}" for w in range(writers) for i in range(each)}
    assert log_problems(package) == []
    data = (package / LOG).read_bytes()
    assert recorded(package)["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert not list((package / "data").glob(".*.tmp")), "no temporary file is left behind"


@pytest.mark.slow
def test_concurrent_cli_writers_lose_no_row(package):
    children = [subprocess.Popen([sys.executable, "-m", "claimpack", "verify", CLAIM, "--verdict", "confirmed",
                                  "--by", f"checker {n}", "--note", f"finding {n}"], cwd=package,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(8)]
    for child in children:
        assert child.wait(timeout=120) == 0, child.stderr.read()
    assert sorted(row["by"] for row in rows(package)) == sorted(f"checker {n}" for n in range(8))
    assert log_problems(package) == []


def test_verify_adds_the_log_to_a_package_that_has_none(tmp_path):
    root = copy_package(tmp_path / "package")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "verifications"]
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    (root / LOG).unlink()
    assert verify(root).returncode == 0
    assert [row["record_id"] for row in rows(root)] == [CLAIM]
    assert recorded(root)["schema"]["primaryKey"] == ["number"]
    assert log_problems(root) == []


# ---- time: future rows fail validation and never hold back a later verdict ---------------------
def test_a_future_row_fails_validation_but_never_locks_the_log(package):
    from datetime import UTC, datetime, timedelta

    soon = (datetime.now(UTC) + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    _write_log(package, [
        {"record_id": CLAIM, "timestamp": "2024-05-01T12:00:00.000000Z"},
        {"record_id": CLAIM, "timestamp": "2099-01-01T00:00:00.000000Z"},
        {"record_id": CLAIM, "timestamp": soon},
    ])
    [problem] = log_problems(package)
    assert problem.startswith("data/verifications.csv:3: timestamp: 2099-01-01T00:00:00.000000Z is in the future "
                              f"(the clock reads {datetime.now(UTC):%Y-%m-%d}")
    assert problem.endswith("(expected a time no more than 5 minutes ahead of now)")
    result = run_claimpack("verify", CLAIM, "--verdict", "confirmed", "--by", "A. Checker", "--note", "after",
                           "-p", ".", cwd=package)
    assert result.returncode == 0, result.stderr
    _header, log = VERIFICATIONS.parse((package / LOG).read_text(encoding="utf-8"))
    assert log[-1]["timestamp"] == soon, "a clock slightly behind the last credible row keeps the log in order"
    assert len(log_problems(package)) == 1, "the new row is in order; only the 2099 row is reported"


@pytest.mark.parametrize("text", ["\u200b", "\u200d\u200d", " \u2060 ", "\ufeff"])
def test_verify_refuses_a_by_or_note_made_only_of_invisible_characters(package, text):
    before = snapshot(package)
    for option in ("--by", "--note"):
        values = {"--by": "A. Checker", "--note": "found it", option: text}
        result = run_claimpack("verify", CLAIM, "--verdict", "confirmed", "--by", values["--by"], "--note",
                               values["--note"], "-p", ".", cwd=package)
        assert result.returncode == 2, result.stdout + result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert snapshot(package) == before


def test_a_file_size_limit_changes_neither_the_log_nor_the_descriptor(package):
    import resource

    before = snapshot(package)
    size = max((package / "datapackage.json").stat().st_size, (package / LOG).stat().st_size)

    def limit():  # room for the new log, not for the new descriptor
        resource.setrlimit(resource.RLIMIT_FSIZE, (size - 10, size - 10))

    result = subprocess.run([sys.executable, "-m", "claimpack", "verify", CLAIM, "--verdict", "confirmed", "--by",
                             "A. Checker", "--note", "n", "-p", "."], cwd=package, capture_output=True, text=True,
                            timeout=120, preexec_fn=limit)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "environment fault" in result.stderr and len(result.stderr.splitlines()) == 1
    after = snapshot(package)
    assert {k: v for k, v in after.items() if not k.startswith(".claimpack/")} == before


def test_an_impossible_timestamp_is_one_problem_and_never_stops_a_later_verdict(package):
    """The 30th of February matches the log's pattern but names no instant: one line (frictionless's,
    or the reader's without it), never an internal error in validate or verify."""
    _write_log(package, [
        {"record_id": CLAIM, "timestamp": "2024-05-01T12:00:00.000000Z"},
        {"record_id": CLAIM, "timestamp": "2024-02-30T12:00:00.000000Z"},
    ])
    lines = ["data/verifications.csv:3: timestamp: '2024-02-30T12:00:00.000000Z' is not of type datetime "
             "(expected a value of type datetime)"]
    validated = invoke_claimpack("validate", "--skip", "expectations", cwd=package)
    assert validated.returncode == 1 and "internal error" not in validated.stderr, validated.stderr
    assert [line for line in validated.stdout.splitlines() if "[recorded" not in line] == lines
    alone = invoke_claimpack("validate", "--skip", "expectations", "--skip", "frictionless", cwd=package)
    assert [line for line in alone.stdout.splitlines() if "[recorded" not in line] == [
        "data/verifications.csv:3: timestamp: '2024-02-30T12:00:00.000000Z' is not a date and time "
        "(expected type datetime)"]
    result = verify(package)
    assert result.returncode == 0, result.stderr
    assert rows(package)[-1]["number"] == "3"


def test_hidden_characters_in_the_log_fail_validation(package):
    """The log is text a terminal and the report show: the reader judges it like every other table."""
    _write_log(package, [{"record_id": CLAIM, "timestamp": "2024-05-01T12:00:00.000000Z",
                          "note": "see \x1b]8;;https://evil.example\x07here\x1b]8;;\x07 \u202e"}])
    result = invoke_claimpack("validate", "--skip", "expectations", cwd=package)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if "[recorded" not in line] == [
        "data/verifications.csv:2: note: text holds U+001B (ESCAPE) at character 5 (expected printable text: no "
        "control characters, terminal escapes or bidirectional overrides)"]
