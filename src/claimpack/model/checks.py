"""checks.csv evaluated: each check's outcome, and the changes the paper states between two claims.

The consistency layer reports the checks that fail; the report, `show` and the domain model
(`Model.checks`) read the same outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .expressions import ExpressionError, Outcome, evaluate, identifiers, is_bound, parse
from .package import Package


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


def evaluate_checks(package: Package) -> list[CheckResult]:
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


@dataclass
class Change:
    """A change between two claims the paper states ('from 62 ... to 27')."""

    check: str
    before: str
    after: str
    before_value: float
    after_value: float

    @property
    def percent(self) -> float:
        return (self.after_value - self.before_value) / self.before_value * 100 if self.before_value else 0.0


def changes(package: Package) -> list[Change]:
    """Percent changes for every `change` check between two claims (for fact-checkers' notes)."""
    if not package.has("checks"):
        return []
    claims = package.table("claims")
    values = {key: value for key, value in zip(claims.column("id"), claims.column("value")) if key}
    periods = {key: end or start or 0 for key, start, end in
               zip(claims.column("id"), claims.column("period_start"), claims.column("period_end"))}
    found = []
    for row in package.rows("checks"):
        if row.get("relation") != "change" or not row.get("expression"):
            continue
        try:
            node = parse(row["expression"])
        except ExpressionError:
            continue
        ids = [child.value for child in node.children if child.kind == "id"] if node.kind == "compare" else []
        if len(ids) == 2 and all(values.get(i) is not None for i in ids):
            first, second = sorted(ids, key=lambda i: periods.get(i, 0))
            found.append(Change(row["id"], first, second, values[first], values[second]))
    return found
