"""Run every validation layer on a package; all layers run, every problem is reported.

frictionless validates in a child process on one core while the other layers run here;
Great Expectations (slow to import) runs last, and only when asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .package import TABLES, Package
from .problems import ClaimpackError, Problem, Report

LAYERS = ("frictionless", "expectations", "provenance", "consistency", "coverage", "crosscheck")
LAYER_ORDER = {name: index for index, name in enumerate(("input", *LAYERS))}


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
    """Validate the package at root. Raises ClaimpackError only when there is no package to read."""
    root = Path(root)
    skip = set(skip)
    unknown = skip - set(LAYERS)
    if unknown:
        raise ClaimpackError(f"unknown layer {sorted(unknown)[0]!r}", expected=", ".join(LAYERS))
    say = progress or (lambda message: None)
    package = Package.load(root)
    report = Report()
    started = time.perf_counter()
    child = None
    if "frictionless" not in skip:
        from .layers import frictionless_layer

        say("frictionless: validating in a child process")
        child = frictionless_layer.start(root)
    # read every table once; a table that cannot be read is one problem, reported once
    for name in TABLES:
        if package.has(name):
            try:
                package.table(name)
            except ClaimpackError as exc:
                report.add([exc.problem])
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
    if "expectations" not in skip:
        from .layers import expectations

        say("expectations: Great Expectations suites")
        _run(report, "expectations", lambda: expectations.check(package, docs_dir))
    if child is not None:
        from .layers import frictionless_layer

        keys = {}
        for resource in package.descriptor["resources"]:
            schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
            key = schema.get("primaryKey")
            keys[resource.get("name")] = [key] if isinstance(key, str) else list(key or [])
        say("frictionless: waiting for the child process")
        _run(report, "frictionless", lambda: frictionless_layer.finish(child, started, keys))
    report.problems = _deduplicate(report.problems)
    report.problems.sort(key=lambda p: (p.severity != "error", LAYER_ORDER.get(p.layer, 99), p.file,
                                        p.row or 0, p.field or "", p.message))
    report.layers = {name: report.layers[name] for name in LAYERS if name in report.layers}
    return report


def _deduplicate(problems: list[Problem]) -> list[Problem]:
    seen, unique = set(), []
    for problem in problems:
        key = (problem.file, problem.row, problem.field, problem.message)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique
