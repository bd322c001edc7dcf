"""What the workbench's actions act on and answer: a record's row and version, an action's outcome, a refusal.

A record's version is the sha256 of its cells as the page showed them: a write based on another
version is a `Conflict` (another tab or person changed it). The package's own title, licence and
authors are versioned the same way, as the text cells the reviews log keeps (`about_cells`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..model.chained_log import TIMESTAMP_FORMAT
from ..model.mutation import as_json
from ..system.problems import ClaimpackError, Problem

TABLES = {"claims": "claim", "events": "event"}


class Refused(ClaimpackError):
    """An action that was not written: the reason, and the problems it would have added."""

    def __init__(self, message: str, problems: list[Problem] | None = None, status: int = 422):
        super().__init__(message)
        self.problems = problems or []
        self.status = status


class Conflict(Refused):
    """An action based on a stale view of a record or of the package."""

    def __init__(self, message: str):
        super().__init__(message, status=409)


@dataclass
class Row:
    """A claim or event as its CSV row holds it."""

    id: str
    table: str
    cells: dict[str, str]
    line: int

    @property
    def type(self) -> str:
        return TABLES.get(self.table, self.table)  # claim, event, or the package itself

    @property
    def status(self) -> str:
        return self.cells.get("status", "")

    @property
    def version(self) -> str:
        return version_of(self.cells)


def version_of(cells: dict[str, str]) -> str:
    return hashlib.sha256(as_json(cells).encode("utf-8")).hexdigest()[:20]


@dataclass
class Outcome:
    """What an action did: its number, the records it touched, what the warm validation found."""

    action: int
    kind: str
    records: list[str]
    message: str
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    go: str | None = None  # the record to show next

    def to_dict(self) -> dict:
        return {"ok": True, "action": self.action, "kind": self.kind, "records": self.records,
                "message": self.message, "problems": [problem_dict(p) for p in self.problems],
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}, "go": self.go}


def problem_dict(problem: Problem) -> dict:
    return {"line": problem.line(), "severity": problem.severity, "layer": problem.layer, "field": problem.field,
            "message": problem.message, "expected": problem.expected}


def now() -> str:
    return datetime.now(UTC).strftime(TIMESTAMP_FORMAT)


def key_of(problem: Problem) -> tuple:
    """A problem without its row: rows move when a record is removed."""
    return (problem.layer, problem.code, problem.file, problem.field, re.sub(r"\brow \d+", "row", problem.message))


def about_cells(about) -> dict[str, str]:
    """The package's title, licence, authors and the paper's date as the reviews log keeps a record's fields:
    text."""
    return {"title": about.title, "licence": about.licence or "",
            "authors": "; ".join(a.name + (f" ({a.organization})" if a.organization else "") for a in about.authors),
            "date": about.date}
