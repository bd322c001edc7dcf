"""Problems found in a package, and how they are printed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a package, located as precisely as the layer can.

    `row` follows frictionless: the header is row 1, the first record row 2.
    For text files (the paper) `row` is a line number.
    """

    file: str
    row: int | None
    field: str | None
    message: str
    expected: str | None = None
    layer: str = "input"
    code: str = "error"
    severity: str = "error"  # "error" fails validation; "warning" is reported only; "recorded": a known defect
    recorded_as: str | None = None  # for a recorded finding, the id of the defect that records it

    def line(self) -> str:
        """Format as `file:row: field: what is wrong (what was expected)`."""
        place = self.file + (f":{self.row}" if self.row is not None else "")
        text = f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        if self.severity == "warning":
            text += " [warning]"
        elif self.severity == "recorded":
            text += f" [recorded as defect {self.recorded_as}]"
        return text

    def to_dict(self) -> dict:
        return asdict(self)


class ClaimpackError(Exception):
    """Bad input or usage that stops a command: printed as one line, exit 2."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 field: str | None = None, expected: str | None = None):
        self.problem = Problem(file or "", row, field, message, expected)
        super().__init__(self.problem.line() if file else message + (f" (expected {expected})" if expected else ""))


@dataclass
class Report:
    """Every problem of every layer, and what each layer did."""

    problems: list[Problem] = field(default_factory=list)
    layers: dict[str, dict] = field(default_factory=dict)

    def add(self, problems) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def recorded(self) -> list[Problem]:
        """Findings a package already records as defects of the paper (defects.csv)."""
        return [p for p in self.problems if p.severity == "recorded"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        ran = ", ".join(f"{name} {'ok' if info.get('errors', 0) == 0 else 'FAILED'}"
                        for name, info in self.layers.items())
        verdict = "valid" if self.valid else "INVALID"
        recorded = f", {len(self.recorded)} recorded as defects" if self.recorded else ""
        return (f"{verdict}: {len(self.errors)} error(s), {len(self.warnings)} warning(s){recorded}"
                + (f" [{ran}]" if ran else ""))

    def to_json(self) -> str:
        return json.dumps({"valid": self.valid, "errors": len(self.errors), "warnings": len(self.warnings),
                           "recorded": len(self.recorded),
                           "layers": self.layers, "problems": [p.to_dict() for p in self.problems]},
                          indent=2, ensure_ascii=False)
