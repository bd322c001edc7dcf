"""Validate a package: the reader, then every layer; all layers run, every problem is reported once.

Each check has one owner, so no finding needs settling afterwards:
- the reader (claimpack.model.intake) owns files it cannot read and cells frictionless accepts but no
  claim can use (and what frictionless would say of the rest, when it does not run); no later
  layer judges a file, cell or short row it could not read;
- each layer owns what `LAYERS` says it checks. Great Expectations runs every expectation of the
  suites, and reports those whose check no other running layer owns (a suite may restate the
  schema, or a check of provenance or consistency: that layer reports it).

frictionless validates in a child process on one core while claimpack's own layers run on the
other; Great Expectations (slow to import) runs after them, unless `--skip expectations` leaves
it out.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..model.intake import Intake
from ..model.package import Package
from ..system import fault_points
from ..system.problems import ClaimpackError, Problem, Report
from . import results
from .layers import NAMES

ORDER = {name: index for index, name in enumerate(("input", *NAMES))}


def _run(report: Report, name: str, function: Callable[[], tuple[list[Problem], dict]],
         admits: Callable[[Problem], bool] | None = None) -> None:
    started = time.perf_counter()
    try:
        problems, info = function()
    except ClaimpackError as exc:
        problems, info = [exc.problem], {}
    except (OSError, MemoryError):
        raise  # the machine refused (a full disk, an I/O error, no memory): a fault, never a finding about the data
    except Exception as exc:  # a bug in claimpack must not hide the other layers' findings
        problems = [Problem("claimpack", None, None, f"internal error in the {name} layer: "
                            f"{type(exc).__name__}: {exc}", "no internal error; please report this bug",
                            layer=name, code="internal-error")]
        info = {}
    if admits is not None:
        problems = [p for p in problems if admits(p)]
    info["errors"] = sum(p.severity == "error" for p in problems)
    info.setdefault("seconds", round(time.perf_counter() - started, 3))
    report.layers[name] = info
    report.add(problems)


def validate(root: str | Path = ".", *, skip: Iterable[str] = (), docs_dir: Path | None = None,
             progress: Callable[[str], None] | None = None) -> Report:
    """Validate the package at root, or answer from the result saved for these very inputs.

    Raises ClaimpackError only when there is no package to read. Validation never reaches the
    network (claimpack.system.offline), here or in the frictionless child.
    """
    from ..system.offline import offline

    skip = set(skip)
    unknown = skip - set(NAMES)
    if unknown:
        raise ClaimpackError(f"unknown layer {sorted(unknown)[0]!r}", expected=", ".join(NAMES))
    say = progress or (lambda message: None)
    package = Package.load(root)
    package.preflight()  # a file too large to read is refused before anything reads it
    before = results.fingerprint(package)
    key = results.key_of(results.inputs(package, tuple(sorted(skip))))
    if docs_dir is None:  # Data Docs need Great Expectations to run
        saved = results.load(package, key)
        if saved is not None:
            say(f"every input is as it was when this result was saved ({saved.saved}): not validating again")
            return saved
    if "expectations" not in skip:
        # Imported before the network guard goes up: the guard is an audit hook, and importing GX
        # raises half a million audit events (builtins.id) it would otherwise inspect one by one.
        # Importing reads no data; GX's analytics are off.
        from .gx_project import import_gx

        say("expectations: importing Great Expectations")
        import_gx()
    with offline():
        report = _validate(package, [name for name in NAMES if name not in skip], docs_dir, say)
    if results.fingerprint(package) == before:  # what was validated is what the key names
        results.save(package, key, report)
    return report


def _validate(package: Package, running: list[str], docs_dir: Path | None, say: Callable[[str], None]) -> Report:
    report = Report()
    started = time.perf_counter()
    child = None
    if "frictionless" in running:
        from .layers import frictionless_layer

        say("frictionless: validating in a child process")
        child = frictionless_layer.start(package.root, _data_bytes(package))
    intake = Intake.read(package, frictionless="frictionless" in running)
    report.add(intake.problems)
    # Garbage collection: the tables are never garbage, and claimpack's own layers make no
    # reference cycles, yet every full collection would walk each of a million cells again, so
    # those layers run without it; GX (which does make cycles) runs with it, but what is already
    # in memory is frozen (left out of its collections) until validation ends.
    collecting = gc.isenabled()
    gc.freeze()
    try:
        gc.disable()
        try:
            _own_layers(report, package, running, intake, say)
        finally:
            if collecting:
                gc.enable()
        package.forget_paper()  # GX reads only the tables
        gc.freeze()
        if "expectations" in running:
            from .layers import expectations

            say("expectations: Great Expectations suites")
            fault_points.point("validate:expectations")
            _run(report, "expectations", lambda: expectations.check_bounded(package, docs_dir, _data_bytes(package)),
                 intake.admits)
    finally:
        gc.unfreeze()
    if child is not None:
        from .layers import frictionless_layer

        say("frictionless: waiting for the child process")
        _run(report, "frictionless", lambda: frictionless_layer.finish(child, started, _primary_keys(package),
                                                                       unreadable=intake.files))
    report.candidates = candidates(package)
    report.problems = with_subjects(package, report.problems)
    report.problems.sort(key=lambda p: (p.severity != "error", ORDER.get(p.layer, 99), p.file, p.row or 0,
                                        p.field or "", p.message))
    report.layers = {name: report.layers[name] for name in NAMES if name in report.layers}
    return report


def _primary_keys(package: Package) -> dict[str, list[str]]:
    keys = {}
    for resource in package.descriptor["resources"]:
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
        key = schema.get("primaryKey")
        keys[resource.get("name")] = [key] if isinstance(key, str) else list(key or [])
    return keys


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


def _own_layers(report: Report, package: Package, running: list[str], intake: Intake,
                say: Callable[[str], None]) -> None:
    """claimpack's own layers: provenance (with the verifications log), consistency, coverage, cross-checks."""
    if "provenance" in running:
        from .layers import provenance, reviews, verifications

        def provenance_and_log() -> tuple[list[Problem], dict]:
            problems, info = provenance.check(package)
            log_problems, log_info = verifications.check(package)
            review_problems, review_info = reviews.check(package)
            counts = {"verifications": log_info.get("verifications", 0), "reviews": review_info.get("reviews", 0)}
            return problems + log_problems + review_problems, {**info, **counts}

        say("provenance: quotes, figures, footnotes and sources against the paper; the verifications and reviews logs")
        _run(report, "provenance", provenance_and_log, intake.admits)
    if "consistency" in running:
        from .layers import consistency

        say("consistency: checks.csv")
        _run(report, "consistency", lambda: consistency.check(package), intake.admits)
    if "coverage" in running:
        from .layers import coverage

        say("coverage: every number of the paper")
        _run(report, "coverage", lambda: coverage.check(package), intake.admits)
    if "crosscheck" in running:
        from .layers import crosschecks

        say("cross-checks: footnotes against the bibliography, repeated figures, derived claims")
        _run(report, "crosscheck", lambda: settled(package, *crosschecks.check(package)), intake.admits)


def settled(package: Package, problems: list[Problem], info: dict) -> tuple[list[Problem], dict]:
    """The cross-checks' findings settled against the defects the package records (defects.csv):
    a recorded finding is reported as recorded, and a defect whose finding is no longer made is a
    warning."""
    from ..model.defects import settle_findings

    problems = settle_findings(package, problems)
    warnings = sum(p.severity == "warning" for p in problems)
    return problems, {**info, "warnings": warnings, "recorded": len(problems) - warnings}


def layer_result(package: Package, name: str) -> tuple[list[Problem], dict]:
    """One layer's problems and summary for the package as it is: from a saved validation that ran it
    when there is one, else computed now (and not saved: only a whole validation is)."""
    report = results.current(package, name)
    if report is not None and name in report.layers:
        return [p for p in report.problems if p.layer == name], report.layers[name]
    if name not in ("coverage", "crosscheck"):
        raise ValueError(f"no layer result for {name!r}: coverage or crosscheck")
    from importlib import import_module

    from .layers import BY_NAME

    problems, info = import_module(f".layers.{BY_NAME[name].module}", __package__).check(package)
    return settled(package, problems, info) if name == "crosscheck" else (problems, info)


# For each table: the columns that name what a row is about (its id, its footnote, its cited work).
SUBJECT_COLUMNS = {"claims": ("id", "footnote", "source_id"), "events": ("id", "footnote", "source_id"),
                   "checks": ("id", None, None), "defects": ("id", None, "source_id"),
                   "citations": (None, "footnote", "source_id"), "footnotes": (None, "number", None),
                   "sources": (None, None, "id")}


def with_subjects(package: Package, problems: list[Problem]) -> list[Problem]:
    """Every problem found in a row of a record's table, with its subject: the record, its footnote,
    its cited work, read from the row's cells (a layer that named a subject keeps its own)."""
    import bisect
    from dataclasses import replace

    from ..system.problems import NOTHING, Subject

    tables = {}
    for name in SUBJECT_COLUMNS:
        if package.has(name):
            try:
                table = package.table(name)
            except ClaimpackError:
                continue
            tables[table.rel] = (table, SUBJECT_COLUMNS[name])
    out = []
    for problem in problems:
        found = tables.get(problem.file)
        if problem.subject != NOTHING or found is None or problem.row is None:
            out.append(problem)
            continue
        table, (record, footnote, source) = found
        at = bisect.bisect_left(table.row_numbers, problem.row)
        if at == len(table.row_numbers) or table.row_numbers[at] != problem.row:
            out.append(problem)
            continue
        ids, note, cited = (_cell(table, column, at) for column in (record, footnote, source))
        subject = Subject(records=(ids,) if isinstance(ids, str) and ids else (),
                          footnotes=(note,) if isinstance(note, int) else (),
                          source=cited if isinstance(cited, str) and cited else None)
        out.append(problem if subject == NOTHING else replace(problem, subject=subject))
    return out


def _cell(table, column: str | None, at: int):
    values = table.columns.get(column) if column else None
    return values[at] if values is not None and at < len(values) else None


# ---- what `claimpack init` asks of two layers while it settles its candidates ------------------
def provenance_findings(package: Package) -> list[Problem]:
    """Provenance's findings on the package, its paper's text taken as derived (init derived it a moment ago)."""
    from .layers import provenance

    return provenance.check(package, derive=False)[0]


def coverage_gaps(package: Package) -> tuple[list, set[int]]:
    """The numbers of the paper that no record or exclusion accounts for, each (block, the number as
    claimpack.text.counting counts it), and the rows of the exclusions that match no number or that
    coverage refuses as written (a context that does not hold its number as coverage counts it: "one"
    in "the one and only")."""
    from .layers import coverage

    exclusions, refused = coverage.read_exclusions(package)
    missing = list(coverage.unrecorded(package, package.paper, exclusions))
    return missing, {exclusion.row for exclusion in exclusions if exclusion.used == 0} | {
        problem.row for problem in refused if problem.row is not None}
