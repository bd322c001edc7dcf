"""The domain model: a package read once into typed records, with every join done here.

A claim (or event) points at its footnote by number, the footnote cites works (citations, every
Ibid. resolved), the claim names one of them (source_id), and fact-checkers record verdicts on
it; the paper's own defects name the records and footnotes they concern. `Model` makes those
links once, so that `show`, `find`, the exports, the report and its charts all read
`claim.footnote.text`, `claim.citation.cited_as`, `claim.source.title`, `claim.latest.verdict`
and `model.defects_of(claim)` rather than joining tables themselves.

Records keep every cell of their row in `fields` (a package may add columns), and tolerate an
invalid package: a missing cell is None, a dangling reference is None. `Package` stays the raw
loader the validation layers use; the model is built on it. Standard library only.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..system.problems import ClaimpackError
from .package import Package
from .verifications.log import LOG
from .verifications.schema import FIELDS

if TYPE_CHECKING:
    from .checks import CheckResult


@dataclass(frozen=True, slots=True)
class Source:
    """A cited work (sources.csv), in CSL fields."""

    id: str
    type: str | None
    author: str | None
    title: str | None
    container_title: str | None
    publisher: str | None
    publisher_place: str | None
    issued: str | None
    volume: str | None
    issue: str | None
    page: str | None
    url: str | None
    doi: str | None
    bibliography_entry: str | None
    note: str | None
    row: int
    fields: Mapping[str, Any]

    @property
    def link(self) -> str | None:
        """Where to read the work: its address, else its DOI as an address."""
        return self.url or (f"https://doi.org/{self.doi}" if self.doi else None)


@dataclass(frozen=True, slots=True)
class Citation:
    """One work a footnote cites (citations.csv), with its Ibid. resolved."""

    footnote_number: int | None
    position: int | None
    source_id: str | None
    locator: str | None
    cited_as: str | None
    ibid: bool | None
    ibid_of: int | None
    source: Source | None
    row: int
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote as printed (footnotes.csv) and the works it cites (citations.csv), in file order."""

    number: int
    text: str | None
    section: str | None
    note: str | None
    citations: tuple[Citation, ...]
    row: int
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Verdict:
    """One fact-checker's verdict from the verifications log."""

    number: int | None
    record_id: str
    record_type: str
    verdict: str
    by: str
    note: str
    evidence: str | None
    value: float | None
    value_text: str  # the value as stored, for a reader who wants the exact text
    timestamp: str
    row: int
    fields: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        """The verdict as plain data, as `show --json` prints it."""
        data: dict[str, Any] = {key: self.fields.get(key) or None for key in FIELDS}
        data["number"] = self.number if self.number is not None else self.fields.get("number", "")
        data["value"] = self.value
        return data


@dataclass(frozen=True, slots=True)
class Claim:
    """A quantitative claim (claims.csv) joined to its footnote, citation, cited work and verdicts."""

    type: ClassVar[str] = "claim"
    table: ClassVar[str] = "claims"

    id: str | None
    topic: str | None
    measure: str | None
    figure: str | None
    value: float | None
    value_min: float | None
    value_max: float | None
    qualifier: str | None
    unit: str | None
    place: str | None
    period_start: int | None
    period_end: int | None
    quote: str | None
    language: str | None
    section: str | None
    paragraph: int | None
    footnote_number: int | None
    source_id: str | None
    locator: str | None
    kind: str | None
    derived_from: str | None
    note: str | None
    status: str | None  # candidate (proposed by init) or reviewed
    row: int
    fields: Mapping[str, Any]
    footnote: Footnote | None
    citation: Citation | None
    source: Source | None
    verdicts: tuple[Verdict, ...]

    @property
    def latest(self) -> Verdict | None:
        return self.verdicts[-1] if self.verdicts else None

    @property
    def years(self) -> int | None:
        """How many years the figure covers, both ends counted (None without a period)."""
        if self.period_start is None or self.period_end is None:
            return None
        return self.period_end - self.period_start + 1

    @property
    def per_year(self) -> float | None:
        """The value spread evenly over its years (a derived figure; None without a period)."""
        return self.value / self.years if self.value is not None and self.years else None


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event (events.csv) joined to its footnote, citation, cited work and verdicts."""

    type: ClassVar[str] = "event"
    table: ClassVar[str] = "events"

    id: str | None
    date: str | None
    end_date: str | None
    date_precision: str | None
    event: str | None
    place: str | None
    quote: str | None
    section: str | None
    paragraph: int | None
    footnote_number: int | None
    source_id: str | None
    locator: str | None
    note: str | None
    status: str | None  # candidate (proposed by init) or reviewed
    row: int
    fields: Mapping[str, Any]
    footnote: Footnote | None
    citation: Citation | None
    source: Source | None
    verdicts: tuple[Verdict, ...]

    @property
    def latest(self) -> Verdict | None:
        return self.verdicts[-1] if self.verdicts else None


@dataclass(frozen=True, slots=True)
class Defect:
    """A defect of the paper itself (defects.csv): what it says, what is right, and the evidence."""

    id: str | None
    kind: str | None
    origin: str | None  # cross-check (a finding of validate's cross-checks) or review
    crosscheck: str | None
    records: tuple[str, ...]  # the claims and events it concerns
    footnotes: tuple[int, ...]
    source_id: str | None
    says: str | None
    correction: str | None
    evidence: str | None
    evidence_basis: str | None  # paper, cited-work, outside or unverified
    evidence_source: str | None
    row: int
    fields: Mapping[str, Any]
    source: Source | None

    def concerns(self, record: Claim | Event) -> bool:
        """Is this defect about the record: named in its records, or about the record's footnote?"""
        return bool((record.id and record.id in self.records)
                    or (record.footnote_number is not None and record.footnote_number in self.footnotes))

    def to_dict(self) -> dict[str, Any]:
        """The defect as plain data, as `show --json` prints it."""
        return {"id": self.id, "kind": self.kind, "origin": self.origin, "crosscheck": self.crosscheck,
                "records": list(self.records), "footnotes": list(self.footnotes), "source_id": self.source_id,
                "says": self.says, "correction": self.correction, "evidence": self.evidence,
                "evidence_basis": self.evidence_basis, "evidence_source": self.evidence_source}


def split_list(text: str | None) -> tuple[str, ...]:
    """'a; b' -> ('a', 'b'): the lists of defects.csv."""
    return tuple(part.strip() for part in (text or "").split(";") if part.strip())


Record = Claim | Event
# The attributes the model fills by joining, not from the record's own row.
_JOINED = {"row", "fields", "footnote", "citation", "source", "verdicts", "citations", "records", "footnotes"}
# A column whose name the model gives to the joined record: claims.footnote is footnote_number.
_COLUMNS = {"footnote_number": "footnote"}


@functools.cache
def _own_columns(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, column) for each attribute a record takes from its row."""
    return tuple((f.name, _COLUMNS.get(f.name, f.name)) for f in dataclasses.fields(cls) if f.name not in _JOINED)


def _cells(cls: type, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's cells for the record's own attributes (a column the row lacks is None)."""
    return {name: row.get(column) for name, column in _own_columns(cls)}


class Model:
    """A package's records, read once, joined once."""

    def __init__(self, package: Package):
        self.package = package

    @classmethod
    def load(cls, root: str | Path = ".") -> Model:
        return cls(Package.load(root))

    def _rows(self, table: str):
        if not self.package.has(table):
            return []
        loaded = self.package.table(table)
        return zip(loaded.rows, loaded.row_numbers)

    def rel(self, table: str) -> str:
        """The file a table is read from, as the descriptor names it."""
        return self.package.rel(table)

    # ---- the records --------------------------------------------------------------------------
    @cached_property
    def sources(self) -> dict[str, Source]:
        """Every cited work by id (the first row wins over a duplicate)."""
        found: dict[str, Source] = {}
        for row, number in self._rows("sources"):
            if row.get("id"):
                found.setdefault(row["id"], Source(**_cells(Source, row), row=number, fields=row))
        return found

    @cached_property
    def citations(self) -> list[Citation]:
        """Every (footnote, cited work) pair, in file order."""
        return [Citation(**_cells(Citation, row), source=self.sources.get(row.get("source_id")), row=number,
                         fields=row)
                for row, number in self._rows("citations")]

    @cached_property
    def _cited(self) -> dict[int | None, list[Citation]]:
        """The citations of each footnote number, in file order."""
        found: dict[int | None, list[Citation]] = {}
        for citation in self.citations:
            found.setdefault(citation.footnote_number, []).append(citation)
        return found

    @cached_property
    def footnotes(self) -> dict[int, Footnote]:
        """Every footnote by number, with the works it cites (the first row wins over a duplicate)."""
        found: dict[int, Footnote] = {}
        for row, number in self._rows("footnotes"):
            if row.get("number") is not None:
                found.setdefault(row["number"], Footnote(**_cells(Footnote, row),
                                                         citations=tuple(self._cited.get(row["number"], ())),
                                                         row=number, fields=row))
        return found

    @cached_property
    def verdicts(self) -> list[Verdict]:
        """Every verdict of the verifications log, in log order."""
        found = []
        for entry in LOG.entries(self.package):
            number = entry["number"]
            found.append(Verdict(int(number) if number.isdigit() else None, entry["record_id"],
                                 entry["record_type"], entry["verdict"], entry["by"], entry["note"],
                                 entry["evidence"] or None, entry.value, entry["value"], entry["timestamp"],
                                 entry.row, entry.cells))
        return found

    @cached_property
    def claims(self) -> list[Claim]:
        """Every claim, in file order."""
        return [self._record(Claim, row, number) for row, number in self._rows("claims")]

    @cached_property
    def events(self) -> list[Event]:
        """Every event, in file order."""
        return [self._record(Event, row, number) for row, number in self._rows("events")]

    def _record(self, cls: type[Claim] | type[Event], row: dict[str, Any], number: int):
        note = row.get("footnote")
        footnote = self.footnotes.get(note) if note is not None else None
        cited = self._cited.get(note, ()) if note is not None else ()
        citation = next((c for c in cited if c.source_id == row.get("source_id")), None)
        verdicts = tuple(self._verdicts_by_record.get(row.get("id"), ())) if row.get("id") else ()
        return cls(**_cells(cls, row), row=number, fields=row, footnote=footnote, citation=citation,
                   source=self.sources.get(row.get("source_id")), verdicts=verdicts)

    @cached_property
    def _verdicts_by_record(self) -> dict[str, list[Verdict]]:
        found: dict[str, list[Verdict]] = {}
        for verdict in self.verdicts:
            found.setdefault(verdict.record_id, []).append(verdict)
        return found

    @cached_property
    def defects(self) -> list[Defect]:
        """Every defect of the paper (none when the package records none), in file order."""
        found = []
        for row, number in self._rows("defects"):
            footnotes = tuple(int(part) for part in split_list(row.get("footnotes")) if part.isdigit())
            found.append(Defect(**_cells(Defect, row), records=split_list(row.get("records")), footnotes=footnotes,
                                row=number, fields=row, source=self.sources.get(row.get("source_id"))))
        return found

    def defects_of(self, record: Record) -> list[Defect]:
        """The defects of the paper about a claim or event (named in their records, or about its footnote)."""
        return [defect for defect in self.defects if defect.concerns(record)]

    @cached_property
    def checks(self) -> list[CheckResult]:
        """Every check of checks.csv, evaluated."""
        from .checks import evaluate_checks

        return evaluate_checks(self.package)

    # ---- looking records up -------------------------------------------------------------------
    @cached_property
    def _by_id(self) -> dict[str, Record]:
        found: dict[str, Record] = {}
        for record in [*self.claims, *self.events]:
            if record.id:
                found.setdefault(record.id, record)
        return found

    def claim(self, claim_id: str) -> Claim:
        record = self._by_id.get(claim_id)
        if not isinstance(record, Claim):
            raise KeyError(f"no claim {claim_id!r} in {self.rel('claims')}")
        return record

    def event(self, event_id: str) -> Event:
        record = self._by_id.get(event_id)
        if not isinstance(record, Event):
            raise KeyError(f"no event {event_id!r} in {self.rel('events') if self.package.has('events') else 'events'}")
        return record

    def record(self, record_id: str) -> Record:
        """The claim or event with this id; a ClaimpackError naming the closest ids otherwise."""
        found = self._by_id.get(record_id)
        if found is None:
            raise unknown_record(record_id, list(self._by_id))
        return found

    @cached_property
    def latest(self) -> dict[str, Verdict]:
        """The latest verdict on each record that has one, in the order of the log."""
        return {record_id: verdicts[-1] for record_id, verdicts in self._verdicts_by_record.items()}

    def checks_of(self, claim_id: str) -> list[CheckResult]:
        """The checks a claim takes part in."""
        return [check for check in self.checks if claim_id in check.claims]

    @property
    def own_source(self) -> Source | None:
        """The paper itself as a cited work (the descriptor's claimpack.own_source)."""
        return self.sources.get(self.package.config.get("own_source") or "")


def unknown_record(record_id: str, known: list[str]) -> ClaimpackError:
    """The error for an id that is neither a claim nor an event, naming the closest ids."""
    close = difflib.get_close_matches(record_id, known, n=3, cutoff=0.5)
    if not close:  # a fragment of an id ("kidnappings") is closer to a human than a spelling match
        close = [candidate for candidate in known if record_id and record_id.lower() in candidate][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `claimpack find` searches them"
    return ClaimpackError(f"no claim or event {record_id!r}{hint}")
