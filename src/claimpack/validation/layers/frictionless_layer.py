"""Layer 1: the verdict of `frictionless validate datapackage.json`, as Problems.

The official CLI runs in a child process, so it validates on one core while claimpack's own
layers run on the other; its JSON report is translated into Problems when it finishes.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ...system.problems import Problem

DESCRIPTOR = "datapackage.json"
HASH_ERRORS = {"hash-count", "byte-count"}
# errors about a whole file that could not be opened or decoded
SOURCE_ERRORS = {"encoding-error", "scheme-error", "source-error", "format-error", "io-error"}
MEMORY_BUDGET = 4 << 30  # bytes of address space for the child
ERROR_LIMIT = 1000  # frictionless stops after this many errors: the verdict is made, the rest is noise
ARGUMENTS = ("validate", "--json", "--limit-errors", str(ERROR_LIMIT), DESCRIPTOR)  # frictionless's own


@dataclass(frozen=True)
class Budget:
    """What the frictionless child may spend: CPU seconds, then a wall-clock allowance on top."""

    cpu_seconds: int
    wall_seconds: float
    memory_bytes: int = MEMORY_BUDGET

    @classmethod
    def for_bytes(cls, size: int) -> Budget:
        """60 s of CPU, and one more per megabyte of data (frictionless reads about 5 MB a second here)."""
        cpu = 60 + size // 1_000_000
        return cls(cpu, cpu * 2 + 30)


class Child:
    """The running `frictionless validate` and its budget."""

    def __init__(self, process: subprocess.Popen, budget: Budget):
        self.process = process
        self.budget = budget


def start(root: Path, data_bytes: int = 0, budget: Budget | None = None) -> Child:
    """Start `frictionless validate --json` on the package in a child process, offline and on a budget.

    `data_bytes`: the size of the package's files, which sets the default budget.
    """
    budget = budget or Budget.for_bytes(data_bytes)
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    # -P: the package's own folder (the child's working directory) is not put on sys.path, so a
    # package holding a claimpack/ or resource.py of its own runs none of it
    command = [sys.executable, "-P", "-m", "claimpack.validation.layers.frictionless_child", str(budget.memory_bytes),
               str(budget.cpu_seconds), *ARGUMENTS]
    return Child(subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                  stdin=subprocess.DEVNULL), budget)


class InProcess(Child):
    """The same `frictionless validate`, run in this process (on no budget) when its output is asked for.

    For running many small validations in one process (the known-bad corpus): it saves a
    child's start and frictionless's import per package, and gives up the second core. It
    changes the working directory while it runs, so it is for one thread at a time.
    """

    def __init__(self, root: Path, data_bytes: int = 0, budget: Budget | None = None):
        super().__init__(self, budget or Budget.for_bytes(data_bytes))
        self.root = root
        self.returncode: int | None = None

    def communicate(self, timeout: float | None = None) -> tuple[bytes, bytes]:
        import contextlib
        import warnings

        from frictionless.console import console
        from typer.testing import CliRunner

        with contextlib.chdir(self.root), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = CliRunner().invoke(console, list(ARGUMENTS))
        self.returncode = result.exit_code
        return result.stdout_bytes, result.stderr_bytes

    def kill(self) -> None:
        """Nothing runs apart from this process."""


def finish(child: Child, started: float, keys: dict[str, list[str]] | None = None,
           unreadable: set[str] | frozenset[str] = frozenset()) -> tuple[list[Problem], dict]:
    """Wait for the child process (within its budget) and translate its report (see `translate` for keys
    and unreadable)."""
    process, budget = child.process, child.budget
    try:
        out, err = process.communicate(timeout=budget.wall_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return _stopped(f"it ran longer than its budget of {budget.wall_seconds:.0f} s", started)
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return _stopped(f"it used more than its budget of {budget.cpu_seconds} s of CPU time", started)
    if b"MemoryError" in err[-4000:]:
        return _stopped(f"it needed more than its budget of {budget.memory_bytes >> 20:,} MB of memory", started)
    seconds = round(time.perf_counter() - started, 3)
    try:
        report = json.loads(out.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        problem = Problem(DESCRIPTOR, None, None, f"frictionless could not validate the package: {tail[0]}",
                          layer="frictionless", code="frictionless-failed")
        return [problem], {"errors": 1, "seconds": seconds}
    problems = translate(report, keys or {}, unreadable)
    if sum(len(task.get("errors", [])) for task in report.get("tasks", [])) >= ERROR_LIMIT:
        problems.append(Problem(DESCRIPTOR, None, None, f"frictionless stopped after {ERROR_LIMIT:,} errors; "
                                "fix these and validate again to see the rest", layer="frictionless",
                                code="error-limit"))
    return problems, {"errors": len(problems), "seconds": seconds, "valid": report.get("valid"),
                      "rows": sum(t.get("stats", {}).get("rows", 0) or 0 for t in report.get("tasks", []))}


def _stopped(why: str, started: float) -> tuple[list[Problem], dict]:
    problem = Problem(DESCRIPTOR, None, None, f"frictionless was stopped: {why}",
                      "a package frictionless can validate within its budget", layer="frictionless",
                      code="frictionless-budget")
    return [problem], {"errors": 1, "seconds": round(time.perf_counter() - started, 3)}


def check(root: Path, keys: dict[str, list[str]] | None = None) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    return finish(start(root), started, keys)


def translate(report: dict, keys: dict[str, list[str]], unreadable: set[str] | frozenset[str] = frozenset(),
              ) -> list[Problem]:
    """Problems from a frictionless JSON report; `keys` maps resource names to primary keys.

    `unreadable`: files claimpack's reader could not read at all, and reports. Of those files only
    the recorded sha256 and size are frictionless's to judge; and frictionless's errors about a
    source it could not open are left out everywhere, as it also raises them against each table
    whose foreign keys point at an unreadable file.
    """
    problems = [_problem(DESCRIPTOR, error) for error in report.get("errors", [])]
    for task in report.get("tasks", []):
        place = task.get("place") or DESCRIPTOR
        if isinstance(place, str) and place.startswith(os.sep):
            place = DESCRIPTOR
        errors = task.get("errors", [])
        if unreadable:
            errors = [e for e in errors if e.get("type") in HASH_ERRORS
                      or (place not in unreadable and e.get("type") not in SOURCE_ERRORS)]
        missing: dict[int, list[str]] = {}
        for error in errors:
            if error.get("type") == "missing-cell":
                name = error.get("fieldName") or f"cell {error.get('fieldNumber')}"
                missing.setdefault(error.get("rowNumber"), []).append(name)
        key_rows = {e.get("rowNumber") for e in errors if e.get("type") == "primary-key"}
        blank_rows = {e.get("rowNumber") for e in errors if e.get("type") == "blank-row"}
        reported_rows = set()
        for error in errors:
            kind, row = error.get("type"), error.get("rowNumber")
            cascade = kind == "constraint-error" and error.get("fieldName") in missing.get(row, ())
            if kind == "missing-cell" or cascade:
                # one line per short row, not one per missing cell and its required constraint
                if row not in reported_rows:
                    reported_rows.add(row)
                    names = missing[row]
                    problems.append(Problem(place, row, None,
                                            f"row is short: {len(names)} cell(s) missing ({', '.join(names)})",
                                            "as many cells as the header has", layer="frictionless",
                                            code="missing-cell"))
                continue
            if kind == "unique-error" and row in key_rows:
                continue  # the primary-key error already says it
            if kind == "primary-key" and row in blank_rows:
                continue  # a blank row has an empty key: "row is blank" says it
            problem = _problem(place, error)
            if kind == "primary-key" and keys.get(task.get("name")):
                problem = replace(problem, field=", ".join(keys[task["name"]]))
            problems.append(problem)
    return problems


def _problem(place: str, error: dict) -> Problem:
    kind = error.get("type", "error")
    note = error.get("note") or ""
    cell = error.get("cell")
    row = error.get("rowNumber")
    field = error.get("fieldName") or None
    quoted = _quoted(note)
    if kind in HASH_ERRORS:
        what = "sha256" if kind == "hash-count" else "size in bytes"
        expected, actual = quoted[:2] if len(quoted) >= 2 else ("the recorded value", "different")
        return Problem(place, None, "hash" if kind == "hash-count" else "bytes",
                       f"file changed since the descriptor recorded it ({what} is {actual})",
                       f"{expected}; review the change, then run `claimpack rehash`",
                       layer="frictionless", code=kind)
    if kind == "type-error":
        type_ = quoted[0].split("/")[0] if quoted else "the field's type"
        message, expected = f"{cell!r} is not of type {type_}", f"a value of type {type_}"
    elif kind == "constraint-error":
        name, value = [*quoted, "", ""][:2]
        if name == "required":
            message, expected = "value is required but empty", "a value"
        else:
            message, expected = f"{cell!r} breaks the {name} constraint", f"{name} {value}".strip()
    elif kind == "unique-error":
        message, expected = f"{cell!r} is not unique: {note}", "unique values"
    elif kind == "foreign-key":
        field = ", ".join(error.get("fieldNames") or []) or field
        target = f"{error.get('referenceName')}.{','.join(error.get('referenceFieldNames') or [])}"
        values = ", ".join(repr(v) for v in error.get("fieldCells") or [])
        message, expected = f"{values} not found in {target}", f"a value present in {target}"
    elif kind == "primary-key":
        first = note.rsplit(" ", 1)[-1]
        message = f"duplicate primary key: same as row {first}" if "same as" in note else "primary key is empty"
        expected = "unique, non-empty primary key values"
    elif kind == "extra-cell":
        message = f"extra cell {cell!r} at position {error.get('fieldNumber')}"
        expected = "as many cells as the header has"
    elif kind == "missing-cell":
        message, expected = "cell is missing", "as many cells as the header has"
    elif kind == "blank-row":
        message, expected = "row is blank", "no blank rows"
    elif kind == "incorrect-label":
        row = 1  # the header
        message, expected = f"header says {error.get('label')!r} where the schema names the field {field!r}", field
    elif kind in SOURCE_ERRORS and (system := re.match(r"\[Errno (\d+)\] ([^:]+)", note)):
        # a resource's file frictionless could not open (its raw "could not be successfully loaded: [Errno 2]")
        missing = int(system.group(1)) == errno.ENOENT
        message = "file is missing" if missing else f"cannot read the file: {system.group(2)}"
        expected = "the resource's file, where the descriptor says it is"
    elif kind in SOURCE_ERRORS:
        message = f"cannot read the file: {' '.join(note.split())[:200] or kind}"
        expected = "a file of the format and encoding the descriptor declares"
    else:
        text = error.get("message") or note or kind
        message, expected = text[:1].lower() + text[1:], None
    return Problem(place, row, field, message, expected, layer="frictionless", code=kind)


def _quoted(note: str) -> list[str]:
    """The double-quoted parts of a frictionless note, in order."""
    return note.split('"')[1::2]
