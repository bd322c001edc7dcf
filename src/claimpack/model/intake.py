"""What claimpack's reader makes of a package before any validation layer judges it.

Every table and the paper are read once. The reader owns the problems frictionless does not see:
- a file it cannot read at all (missing, not UTF-8, malformed CSV, a header that does not line
  up with the schema): one problem for the whole file;
- what frictionless accepts but no claim can use: a byte-order mark, NaN or infinity, a cell
  longer than 100,000 characters, a control character (an invisible one is a warning), and what
  claimpack asks of the descriptor beyond Data Package (a plain name, a version number).
What else it notices (a cell of the wrong type, a misspelled header label, a short or long row)
is frictionless's to report, and the reader's when frictionless does not run. What the reader
could not read (a file, a cell, the cells missing from a short row) is left out of every later
layer's judgement: those layers see an empty stand-in, and reporting it would say the same
defect twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..system.problems import ClaimpackError, Problem
from .package import TABLES, Package, descriptor_problems
from .units import drift

UNREADABLE = "unreadable"  # the code of a file the reader could not read at all
FRICTIONLESS_REPORTS = {"type", "label", "missing-cell", "extra-cell"}  # the reader notices them too
UNREAD_CELLS = {"type", "not-finite", "cell-too-long"}  # cells read as empty
SHORT_ROW = "missing-cell"


@dataclass
class Intake:
    """The reader's own problems, and the files, cells and rows it could not read."""

    problems: list[Problem] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    cells: set[tuple[str, int | None, str | None]] = field(default_factory=set)
    rows: set[tuple[str, int | None]] = field(default_factory=set)

    @classmethod
    def read(cls, package: Package, frictionless: bool = True) -> Intake:
        """Read every table of the package and its paper; `frictionless`: whether frictionless runs."""
        intake = cls(descriptor_problems(package.descriptor) + drift(package.descriptor))
        # every table the package has, not only claimpack's own: the verifications log and any
        # resource a package adds are text a terminal or a report may show
        tables = [r["name"] for r in package.descriptor["resources"] if isinstance(r.get("schema"), dict)]
        for name in dict.fromkeys((*TABLES, *tables)):
            if not package.has(name):
                continue
            try:
                table = package.table(name)
            except ClaimpackError as exc:
                intake.unreadable(exc)
                continue
            for problem in [*table.problems, *_unreadable_datetimes(table)]:
                if not frictionless or problem.code not in FRICTIONLESS_REPORTS:
                    intake.problems.append(problem)
                if problem.code in UNREAD_CELLS:
                    intake.cells.add((problem.file, problem.row, problem.field))
                elif problem.code == SHORT_ROW:
                    intake.rows.add((problem.file, problem.row))
        try:
            text = package.paper_text
        except ClaimpackError as exc:
            intake.unreadable(exc)
        else:
            intake.problems.extend(hidden_in_text(text, package.rel(package.config["paper"])))
        return intake

    def unreadable(self, error: ClaimpackError) -> None:
        self.problems.append(replace(error.problem, code=UNREADABLE))
        self.files.add(error.problem.file)

    def admits(self, problem: Problem) -> bool:
        """True unless the problem judges a file, cell or short row the reader could not read."""
        return (problem.file not in self.files and (problem.file, problem.row, problem.field) not in self.cells
                and (problem.file, problem.row) not in self.rows)


def _unreadable_datetimes(table) -> list[Problem]:
    """A type problem for each cell of a datetime field (default format) that is no date and time, read as
    frictionless reads it (ISO 8601 by dateutil): the 30th of February is unread, not judged by a later layer."""
    fields = [f["name"] for f in table.fields if f.get("type") == "datetime" and f.get("format", "default") ==
              "default" and f.get("name") in table.columns]
    if not fields:
        return []
    from dateutil.parser import isoparse

    problems = []
    for name in fields:
        for value, number in zip(table.column(name), table.row_numbers):
            if isinstance(value, str):
                try:
                    isoparse(value)
                except (ValueError, OverflowError):
                    problems.append(Problem(table.rel, number, name, f"{value!r} is not a date and time",
                                            "type datetime", code="type"))
    return problems


def hidden_in_text(text: str, rel: str) -> list[Problem]:
    """A problem for each line of the paper's text holding a control, terminal-escape or bidi-override
    character, and a warning for each holding an invisible one (claimpack.system.controls): a quote can be
    matched against text that displays in another order than it reads."""
    from ..system.controls import FORBIDDEN, INVISIBLE, describe

    if not (FORBIDDEN.search(text) or INVISIBLE.search(text)):
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        bad = FORBIDDEN.search(line.rstrip("\r"))
        hidden = None if bad else INVISIBLE.search(line)
        if bad:
            problems.append(Problem(rel, number, None, f"text holds {describe(bad.group())} at character "
                                    f"{bad.start() + 1}", "printable text: no control characters, terminal escapes "
                                    "or bidirectional overrides", code="control-character"))
        elif hidden:
            problems.append(Problem(rel, number, None, f"text holds the invisible {describe(hidden.group())} at "
                                    f"character {hidden.start() + 1}", "only characters a reader can see",
                                    code="invisible-character", severity="warning"))
    return problems
