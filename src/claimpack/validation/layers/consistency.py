"""Layer 4: every check in checks.csv holds within its tolerance (evaluated by a parser, never eval).

A check is a relation between claims, or a bound on single claims; its `kind` must say which.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ...model.expressions import ExpressionError, Outcome, evaluate, identifiers, is_bound, parse
from ...model.package import Package
from ...system.problems import ClaimpackError, Problem


@dataclass
class CheckResult:
    """One check's outcome, for the report and `claimpack show`."""

    id: str
    kind: str | None  # relation or bound, as recorded
    relation: str | None
    expression: str
    description: str | None
    claims: list[str]
    holds: bool | None  # None: could not be evaluated
    detail: str
    row: int
    bound: bool | None = None  # what the expression is: a bound on single claims (None: unparsable)


def results(package: Package) -> list[CheckResult]:
    """Evaluate every check of the package."""
    if not package.has("checks"):
        return []
    values: dict[str, float | None] = {}
    claims = package.table("claims")
    for key, value in zip(claims.column("id"), claims.column("value")):
        if key:
            values.setdefault(key, value)  # a duplicated id keeps its first value
    table = package.table("checks")
    out = []
    for row, number in table.select("id", "kind", "relation", "expression", "tolerance", "description"):
        expression = row.get("expression") or ""
        head = (row.get("id") or "", row.get("kind"), row.get("relation"), expression, row.get("description"))
        try:
            node = parse(expression)
            used = identifiers(node)
            outcome: Outcome = evaluate(node, values, row.get("tolerance") or 0.0)
            out.append(CheckResult(*head, used, outcome.holds, outcome.detail(), number, is_bound(node)))
        except ExpressionError as exc:
            out.append(CheckResult(*head, [], None, str(exc), number))
    return out


def check(package: Package) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    try:
        outcomes = results(package)
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
