"""The paper's own defects (defects.csv; `claimpack.model.domain.Defect`), and which of the cross-checks'
findings each records.

A defect of origin `cross-check` records a finding of validate's cross-checks (its `crosscheck`
code, with the cited work and footnotes it is about); validate then reports that finding as
recorded, not as a warning, and warns when a recorded finding is no longer made. The report's
notes for fact-checkers, `show` and the ClaimReview export read the same rows.

Standard library only: `show` reads it and must stay fast.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from ..system.problems import ClaimpackError, Problem
from .domain import Defect, Model
from .package import Package
from .tables import Table

RESOURCE = "defects"
KINDS = {
    "citation": "Citation", "misreported": "Misreported figure or fact", "name-or-role": "Name or role",
    "order-of-events": "Order of events", "conclusion-against-body": "Conclusion against body",
    "quotation": "Quotation", "misprint": "Misprint", "ambiguity": "Ambiguity", "arithmetic": "Arithmetic",
}
FORM_KINDS = ("citation", "misprint")  # defects of form: what a claim says stands
BASES = {"paper": "the paper itself", "cited-work": "the cited work", "outside": "a work outside the paper",
         "unverified": "unverified"}


def kind_label(kind: str | None) -> str:
    """How a report names a defect's kind ('Misreported figure or fact')."""
    return KINDS.get(kind or "", kind or "defect")


def read(package: Package) -> list[Defect]:
    """The package's defects (none when it has no defects resource or its table cannot be read)."""
    try:
        return Model(package).defects
    except ClaimpackError:
        return []  # validate reports the unreadable table


@dataclass(frozen=True)
class _Subject:
    """What a cross-check finding is about: a cited work, footnotes, a claim."""

    source_id: str | None
    footnotes: frozenset[int]
    record_id: str | None


def _subject(package: Package, problem: Problem, tables: dict[str, Table]) -> _Subject:
    """What a finding is about: the subject its layer gave it (footnotes, cited work), completed from
    the cells of the row it was found in."""
    footnotes = set(problem.subject.footnotes)
    table = tables.get(problem.file)
    row = _row(table, problem.row) if table is not None and problem.row is not None else {}
    if row.get("footnote") is not None:
        footnotes.add(row["footnote"])
    if problem.file == _rel(package, "sources"):
        return _Subject(problem.subject.source or row.get("id"), frozenset(footnotes), None)
    record = row.get("id") if problem.file == _rel(package, "claims") else None
    return _Subject(problem.subject.source or row.get("source_id"), frozenset(footnotes), record)


def _row(table: Table, number: int) -> dict:
    """The cells a finding is matched by, of one row (found by its number, without reading every row)."""
    at = bisect.bisect_left(table.row_numbers, number)
    if at == len(table.row_numbers) or table.row_numbers[at] != number:
        return {}
    return {name: table.column(name)[at] for name in ("id", "footnote", "source_id")}


def _rel(package: Package, name: str) -> str | None:
    return package.rel(name) if package.has(name) else None


def records_finding(defect: Defect, problem: Problem, subject: _Subject) -> bool:
    """Does a cross-check defect record this finding: the same check about the same work, footnotes or claim?"""
    if defect.origin != "cross-check" or defect.crosscheck != problem.code:
        return False
    compared = []
    if defect.source_id and subject.source_id:
        compared.append(defect.source_id == subject.source_id)
    if defect.footnotes and subject.footnotes:
        compared.append(bool(subject.footnotes & set(defect.footnotes)))
    if defect.records and subject.record_id:
        compared.append(subject.record_id in defect.records)
    return bool(compared) and all(compared)


def settle_findings(package: Package, problems: list[Problem]) -> list[Problem]:
    """The cross-checks' findings with those defects.csv records marked as recorded, plus stale defects.

    A recorded finding keeps its line, says which defect records it and is no longer a warning; a
    cross-check defect that records no finding is one warning (the paper or the data changed).
    """
    defects = [d for d in read(package) if d.origin == "cross-check"]
    if not defects:
        return problems
    tables: dict[str, Table] = {}
    for name in ("citations", "sources", "claims"):
        if package.has(name):
            try:
                table = package.table(name)
            except ClaimpackError:
                continue
            tables[table.rel] = table
    used: set[str] = set()
    settled = []
    for problem in problems:
        subject = _subject(package, problem, tables)
        defect = next((d for d in defects if records_finding(d, problem, subject)), None)
        if defect is None:
            settled.append(problem)
            continue
        used.add(defect.id)
        settled.append(replace(problem, severity="recorded", recorded_as=defect.id))
    for defect in defects:
        if defect.id not in used:
            settled.append(Problem(package.rel(RESOURCE), defect.row, "crosscheck",
                                   f"defect {defect.id} records the cross-check finding {defect.crosscheck!r}, "
                                   "which the cross-checks no longer make", "a finding still made; otherwise "
                                   "correct the row, or give it origin review", layer="crosscheck",
                                   code="defect-stale", severity="warning"))
    return settled
