"""Problems found in a package, and how they are printed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .controls import json_safe, terminal_safe

MAX_TEXT = 1000  # characters of a problem's message, expectation or field name that are printed
MAX_LINE = 4000  # characters of one line of a refusal


@dataclass(frozen=True, order=True)
class Subject:
    """What a problem is about beyond the cell it was found in: the records, footnotes and cited work.

    Read by whoever needs to know which claim or footnote a finding concerns (the defects that
    record findings, `show`, the report), so that no one parses a message for it.
    """

    records: tuple[str, ...] = ()  # claim, event, check or defect ids
    footnotes: tuple[int, ...] = ()
    source: str | None = None  # a cited work's id

    @classmethod
    def from_dict(cls, data: dict | None) -> Subject:
        data = data or {}
        return cls(tuple(data.get("records") or ()), tuple(data.get("footnotes") or ()), data.get("source"))


NOTHING = Subject()  # a problem about no record, footnote or work beyond its cell


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
    subject: Subject = NOTHING

    def __post_init__(self) -> None:
        # a problem quotes the cell it is about; a 50 MB cell must not make a 50 MB line
        for name in ("message", "expected", "field"):
            value = getattr(self, name)
            if isinstance(value, str) and len(value) > MAX_TEXT:
                object.__setattr__(self, name, f"{value[:MAX_TEXT // 2]}… ({len(value):,} characters in all)")

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
        return terminal_safe(text)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        """A problem as `to_dict` wrote it."""
        return cls(**{**data, "subject": Subject.from_dict(data.get("subject"))})


class ClaimpackError(Exception):
    """Bad input or usage that stops a command: printed as one line, exit 2."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 field: str | None = None, expected: str | None = None):
        self.problem = Problem(file or "", row, field, message, expected)
        text = self.problem.line() if file else message + (f" (expected {expected})" if expected else "")
        # a refusal that quotes a 100 kB argument is still short lines
        super().__init__("\n".join(line if len(line) <= MAX_LINE else f"{line[:MAX_LINE // 2]}… ({len(line):,} "
                                   "characters in all)" for line in text.split("\n")))


@dataclass
class Report:
    """Every problem of every layer, and what each layer did."""

    problems: list[Problem] = field(default_factory=list)
    layers: dict[str, dict] = field(default_factory=dict)
    candidates: dict[str, int] = field(default_factory=dict)  # records still `candidate`, by table
    saved: str | None = None  # when this report was saved, if it was read back rather than computed

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

    def review_line(self) -> str:
        """One line: how many candidates (claims and events proposed by init) are left to review."""
        parts = [f"{count} candidate {table[:-1] if count == 1 else table}" for table, count in self.candidates.items()
                 if count]
        if not parts:
            return "nothing to review: every claim and event is reviewed"
        return f"to review: {' and '.join(parts)} (status candidate; set it to reviewed once checked)"

    def to_json(self) -> str:
        return json_safe(json.dumps({"valid": self.valid, "errors": len(self.errors), "warnings": len(self.warnings),
                                     "recorded": len(self.recorded), "candidates": self.candidates,
                                     "layers": self.layers,
                                     "problems": [p.to_dict() for p in self.problems]},
                                    indent=2, ensure_ascii=False))


class EnvironmentFault(ClaimpackError):
    """The machine, not the data, stopped a command (a full disk, a read-only file system, a file
    size limit): printed as one line with its cause, exit 3. Nothing was changed."""

    exit_code = 3


INPUT_ERRNOS = {"EACCES", "EPERM", "ENOENT", "EISDIR", "ENOTDIR", "ELOOP", "ENAMETOOLONG", "ENXIO"}


def fault_from(error: OSError) -> ClaimpackError:
    """An OSError as claimpack reports it: a file it cannot read or reach is bad input (exit 2);
    anything else the system refused is an environment fault (exit 3)."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    where = error.filename if isinstance(error.filename, str) else None
    cause = error.strerror or str(error) or type(error).__name__
    if name in INPUT_ERRNOS:
        return ClaimpackError(f"cannot use this path: {cause}", file=where,
                              expected="a path claimpack can read and write")
    return EnvironmentFault(f"environment fault, not a defect of the data: {cause}"
                            + (f" ({where})" if where else "") + "; nothing was changed")
