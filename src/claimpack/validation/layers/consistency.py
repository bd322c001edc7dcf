"""Layer 4: every check in checks.csv holds within its tolerance (evaluated by a parser, never eval).

A check is a relation between claims, or a bound on single claims; its `kind` must say which.
"""

from __future__ import annotations

import time

from ...model.checks import evaluate_checks
from ...model.package import Package
from ...system.problems import ClaimpackError, Problem


def check(package: Package) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    try:
        outcomes = evaluate_checks(package)
        rel = package.table("checks").rel if package.has("checks") else "data/checks.csv"
    except ClaimpackError as exc:
        return [exc.problem], {"errors": 1}
    problems = []
    for result in outcomes:
        if result.holds is None:
            problems.append(Problem(rel, result.row, "expression", f"cannot evaluate: {result.detail}",
                                    "arithmetic over claim ids with a comparison", layer="consistency",
                                    code="check-invalid"))
            continue
        if result.kind in ("relation", "bound") and result.bound is not None \
                and (result.kind == "bound") != result.bound:
            what = "a bound: each comparison holds one claim against constants" if result.bound else \
                "a relation: it compares claims with each other"
            problems.append(Problem(rel, result.row, "kind", f"check {result.id} is recorded as a {result.kind}, "
                                    f"but its expression is {what}", "bound" if result.bound else "relation",
                                    layer="consistency", code="check-kind"))
        if not result.holds:
            problems.append(Problem(rel, result.row, "expression",
                                    f"check {result.id} fails: {result.detail}",
                                    result.description or result.expression, layer="consistency",
                                    code="check-failed"))
    return problems, {"errors": len(problems), "checks": len(outcomes),
                      "seconds": round(time.perf_counter() - started, 3)}
