"""Run every validation layer on a package; all layers run, every problem is reported.

frictionless validates in a child process on one core while the other layers run here;
Great Expectations (slow to import) runs last, unless `--skip expectations` leaves it out.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from .package import TABLES, Package, descriptor_problems
from .problems import ClaimpackError, Problem, Report

LAYERS = ("frictionless", "expectations", "provenance", "consistency", "coverage", "crosscheck")
LAYER_ORDER = {name: index for index, name in enumerate(("input", *LAYERS))}
UNREADABLE = "unreadable"  # the code of a table the loader could not read at all
# frictionless errors about a whole file that could not be opened or decoded; frictionless also
# raises them against every table whose foreign keys point at such a file
SOURCE_ERRORS = {"encoding-error", "scheme-error", "source-error", "format-error", "io-error"}
HASH_ERRORS = {"hash-count", "byte-count"}
UNREAD_CELLS = {"type", "cell-too-long", "type-error"}
PAIRED = {"expect_column_pair_values_a_to_be_greater_than_b", "expect_compound_columns_to_be_unique",
          "expect_select_column_values_to_be_unique_within_record", "expect_multicolumn_sum_to_equal"}
UNIQUE = {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}
# Plausible ranges: no other layer knows them, so they are kept beside another layer's finding
RANGES = {"expect_column_values_to_be_between", "expect_column_values_to_be_iso_dates_not_after_year",
          "expect_column_values_to_be_integer_valued"}


def _run(report: Report, name: str, function: Callable[[], tuple[list[Problem], dict]]) -> None:
    started = time.perf_counter()
    try:
        problems, info = function()
    except ClaimpackError as exc:
        problems, info = [exc.problem], {}
    except Exception as exc:  # a bug in claimpack must not hide the other layers' findings
        problems = [Problem("claimpack", None, None, f"internal error in the {name} layer: "
                            f"{type(exc).__name__}: {exc}", "no internal error; please report this bug",
                            layer=name, code="internal-error")]
        info = {}
    info.setdefault("errors", sum(p.severity == "error" for p in problems))
    info.setdefault("seconds", round(time.perf_counter() - started, 3))
    report.layers[name] = info
    report.add(problems)


def validate(root: str | Path = ".", *, skip: Iterable[str] = (), docs_dir: Path | None = None,
             progress: Callable[[str], None] | None = None) -> Report:
    """Validate the package at root. Raises ClaimpackError only when there is no package to read.

    Validation never reaches the network (claimpack.offline), here or in the frictionless child.
    """
    from .offline import offline

    with offline():
        return _validate(root, skip=skip, docs_dir=docs_dir, progress=progress)


def _validate(root: str | Path = ".", *, skip: Iterable[str] = (), docs_dir: Path | None = None,
              progress: Callable[[str], None] | None = None) -> Report:
    root = Path(root)
    skip = set(skip)
    unknown = skip - set(LAYERS)
    if unknown:
        raise ClaimpackError(f"unknown layer {sorted(unknown)[0]!r}", expected=", ".join(LAYERS))
    say = progress or (lambda message: None)
    package = Package.load(root)
    package.preflight()  # a file too large to read is refused before any layer starts reading it
    report = Report()
    report.add(descriptor_problems(package.descriptor))
    started = time.perf_counter()
    child = None
    if "frictionless" not in skip:
        from .layers import frictionless_layer

        say("frictionless: validating in a child process")
        child = frictionless_layer.start(root, _data_bytes(package))
    # read every table once; a table that cannot be read is one problem, reported once, and so is
    # each cell the loader could not read (frictionless misses a byte-order mark, NaN, a 10 MB cell)
    for name in TABLES:
        if package.has(name):
            try:
                report.add(package.table(name).problems)
            except ClaimpackError as exc:
                report.add([replace(exc.problem, code=UNREADABLE)])
    try:
        package.paper_text  # noqa: B018 - read once; a paper that cannot be read is one problem
    except ClaimpackError as exc:
        report.add([replace(exc.problem, code=UNREADABLE)])
    # Garbage collection: the tables are never garbage, and claimpack's own layers make no
    # reference cycles, yet every full collection would walk each of a million cells again, so
    # those layers run without it; GX (which does make cycles) runs with it, but what is already
    # in memory is frozen (left out of its collections) until validation ends.
    collecting = gc.isenabled()
    gc.freeze()
    try:
        gc.disable()
        try:
            _own_layers(report, package, skip, say)
        finally:
            if collecting:
                gc.enable()
        package.forget_paper()  # GX reads only the tables
        gc.freeze()
        if "expectations" not in skip:
            from .layers import expectations

            say("expectations: Great Expectations suites")
            _run(report, "expectations", lambda: expectations.check(package, docs_dir))
    finally:
        gc.unfreeze()
    if child is not None:
        from .layers import frictionless_layer

        keys = {}
        for resource in package.descriptor["resources"]:
            schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
            key = schema.get("primaryKey")
            keys[resource.get("name")] = [key] if isinstance(key, str) else list(key or [])
        say("frictionless: waiting for the child process")
        _run(report, "frictionless", lambda: frictionless_layer.finish(child, started, keys))
    report.candidates = candidates(package)
    report.problems = settle(_deduplicate(report.problems))
    report.problems.sort(key=lambda p: (p.severity != "error", LAYER_ORDER.get(p.layer, 99), p.file,
                                        p.row or 0, p.field or "", p.message))
    report.layers = {name: report.layers[name] for name in LAYERS if name in report.layers}
    return report


def _data_bytes(package: Package) -> int:
    """The size of the resource files on disk (what frictionless will read)."""
    total = 0
    for resource in package.descriptor["resources"]:
        try:
            total += package.path_of(resource["name"]).stat().st_size
        except (ClaimpackError, OSError):
            continue
    return total


def candidates(package: Package) -> dict[str, int]:
    """How many claims and events are still candidates (status `candidate`), by table."""
    found = {}
    for name in ("claims", "events"):
        if package.has(name):
            try:
                found[name] = sum(status == "candidate" for status in package.table(name).column("status"))
            except ClaimpackError:
                continue
    return found


def _own_layers(report: Report, package: Package, skip: set[str], say: Callable[[str], None]) -> None:
    """claimpack's own layers: provenance (with the verifications log), consistency, coverage, cross-checks."""
    if "provenance" not in skip:
        from .layers import provenance, verifications

        def provenance_and_log() -> tuple[list[Problem], dict]:
            problems, info = provenance.check(package)
            log_problems, log_info = verifications.check(package)
            info = {**info, "verifications": log_info.get("verifications", 0)}
            if "errors" in info:
                info["errors"] += log_info.get("errors", 0)
            return problems + log_problems, info

        say("provenance: quotes, figures, footnotes and sources against the paper; the verifications log")
        _run(report, "provenance", provenance_and_log)
    if "consistency" not in skip:
        from .layers import consistency

        say("consistency: checks.csv")
        _run(report, "consistency", lambda: consistency.check(package))
    if "coverage" not in skip:
        from .layers import coverage

        say("coverage: every number of the paper")
        _run(report, "coverage", lambda: coverage.check(package))
    if "crosscheck" not in skip:
        from .layers import crosschecks

        say("cross-checks: footnotes against the bibliography, repeated figures, derived claims")
        _run(report, "crosscheck", lambda: crosschecks.check(package))


def _deduplicate(problems: list[Problem]) -> list[Problem]:
    seen, unique = set(), []
    for problem in problems:
        key = (problem.file, problem.row, problem.field, problem.message)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def settle(problems: list[Problem]) -> list[Problem]:
    """One defect, one line: drop what a layer only repeats, or derives from a cell no layer could read.

    - A table the loader cannot read at all is one problem: every other problem about that file
      goes (its hash and size excepted), and so do frictionless's whole-file errors, which it also
      raises against each table whose foreign keys point at the unreadable one.
    - The loader speaks about a cell only where frictionless is silent (a byte-order mark, NaN,
      infinity, a 10 MB cell).
    - A cell that could not be read (wrong type, too long, missing from a short row) is reported
      once: no later layer judges the empty value that stands in for it.
    - Great Expectations is the second opinion: it yields to any other layer that reports the same
      cell (the same row, for an expectation about two columns, or one whose message names the
      other layer's cell, as a row condition does), but for a plausible range (percent within
      0-100, a date not after the paper's), which only it knows; and its duplicate-value findings
      yield to frictionless's primary-key and unique errors.
    """
    unreadable = {p.file for p in problems if p.code == UNREADABLE}
    if unreadable:
        problems = [p for p in problems if p.code == UNREADABLE or p.code in HASH_ERRORS
                    or (p.file not in unreadable and not (p.layer == "frictionless" and p.code in SOURCE_ERRORS))]
    frictionless_cells = {(p.file, p.row, p.field) for p in problems if p.layer == "frictionless"}
    problems = [p for p in problems if not (p.layer == "input" and p.code != UNREADABLE
                                            and (p.file, p.row, p.field) in frictionless_cells)]
    unread = {(p.file, p.row, p.field) for p in problems if p.code in UNREAD_CELLS and p.field}
    short = {(p.file, p.row) for p in problems if p.code == "missing-cell" and p.layer in ("input", "frictionless")}
    problems = [p for p in problems if p.layer in ("input", "frictionless")
                or ((p.file, p.row, p.field) not in unread and (p.file, p.row) not in short)]
    others = [p for p in problems if p.layer != "expectations"]
    cells = {(p.file, p.row, p.field): p.layer for p in others}
    rows = {(p.file, p.row) for p in others}
    row_fields: dict[tuple, set[str]] = {}
    for p in others:
        if p.field:
            row_fields.setdefault((p.file, p.row), set()).add(p.field)
    keys = {(p.file, p.field) for p in others
            if p.layer == "frictionless" and p.code in ("primary-key", "unique-error")}

    def repeated(p: Problem) -> bool:
        if p.row is None:
            return False
        layer = cells.get((p.file, p.row, p.field))
        if layer is not None and (p.code not in RANGES or layer in ("input", "frictionless")):
            return True
        if (p.code in PAIRED and (p.file, p.row) in rows) or (p.code in UNIQUE and (p.file, p.field) in keys):
            return True
        # a conditional expectation ("... where in_bibliography is false") is about its condition's cell too
        named = {field for field in row_fields.get((p.file, p.row), ()) if re.search(rf"\b{re.escape(field)}\b",
                                                                                     p.message)}
        return p.code not in RANGES and bool(named)

    return [p for p in problems if p.layer != "expectations" or not repeated(p)]
