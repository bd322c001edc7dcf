"""Layer 4: every relation in checks.csv holds within its tolerance (evaluated by a parser, never eval)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..expressions import ExpressionError, Outcome, evaluate, identifiers, parse
from ..package import Package
from ..problems import ClaimpackError, Problem


@dataclass
class CheckResult:
    """One check's outcome, for the report and `claimpack show`."""

    id: str
    relation: str | None
    expression: str
    description: str | None
    claims: list[str]
    holds: bool | None  # None: could not be evaluated
    detail: str
    row: int


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
    for row, number in table.select("id", "relation", "expression", "tolerance", "description"):
        expression = row.get("expression") or ""
        try:
            node = parse(expression)
            used = identifiers(node)
            outcome: Outcome = evaluate(node, values, row.get("tolerance") or 0.0)
            out.append(CheckResult(row.get("id") or "", row.get("relation"), expression, row.get("description"),
                                   used, outcome.holds, outcome.detail(), number))
        except ExpressionError as exc:
            out.append(CheckResult(row.get("id") or "", row.get("relation"), expression, row.get("description"),
                                   [], None, str(exc), number))
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
        elif not result.holds:
            problems.append(Problem(rel, result.row, "expression",
                                    f"check {result.id} fails: {result.detail}",
                                    result.description or result.expression, layer="consistency",
                                    code="check-failed"))
    return problems, {"errors": len(problems), "checks": len(outcomes),
                      "seconds": round(time.perf_counter() - started, 3)}
