"""What `claimpack init` writes for a person to fill in, and how it is recognised again.

init proposes; a person decides. Every word init cannot know is written as a placeholder a
reader sees at once, and the same constants say here what a placeholder looks like, so that:
- validate compares only claims a person reviewed and gave a real measure ("same quantity"
  cross-checks on init's guesses are noise, not findings);
- `build --release` refuses a package that still carries any of them: a candidate record, a
  measure or note init wrote, no licence, or an author init could not name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .package import Package

TO_REVIEW = " (to review)"  # after the measure words init read after a figure
UNKNOWN_MEASURE = "(what is counted)"  # the measure when init read no words after the figure
INIT_NOTE = "Proposed by claimpack init:"  # how every note init writes begins
UNKNOWN_AUTHOR = "The paper's author (to fill in)"


def proposed_measure(words: str) -> str:
    """The measure init proposes from the words after a figure (or none)."""
    return (words or UNKNOWN_MEASURE) + TO_REVIEW


def proposed_note(what: str) -> str:
    """The note init writes on a record: what a reviewer should check."""
    return f"{INIT_NOTE} {what}"


def is_placeholder_measure(measure: object) -> bool:
    """Is this measure init's guess, not a person's words?"""
    text = " ".join(str(measure or "").split())
    return not text or text.endswith(TO_REVIEW.strip()) or text == UNKNOWN_MEASURE


def is_placeholder_note(note: object) -> bool:
    return str(note or "").lstrip().startswith(INIT_NOTE)


def is_placeholder_author(name: object) -> bool:
    text = " ".join(str(name or "").split())
    return not text or text == UNKNOWN_AUTHOR or text.endswith("(to fill in)")


def compared(status: object, measure: object) -> bool:
    """Is a claim one that cross-checks compare: reviewed (or from a package without statuses) and measured?"""
    return status in (None, "", "reviewed") and not is_placeholder_measure(measure)


@dataclass(frozen=True)
class Blocker:
    """One kind of thing that stops a release: where it is first found and how many there are."""

    file: str
    row: int | None
    field: str
    message: str
    expected: str
    count: int = 1

    def line(self) -> str:
        place = self.file + (f":{self.row}" if self.row is not None else "")
        more = f"; {self.count - 1} more like it" if self.count > 1 else ""
        return f"{place}: {self.field}: {self.message}{more} (expected {self.expected})"


def _first(found: Iterable[tuple[int, str]], file: str, field: str, message, expected: str) -> list[Blocker]:
    hits = list(found)
    if not hits:
        return []
    row, value = hits[0]
    return [Blocker(file, row, field, message(value), expected, len(hits))]


def release_blockers(package: Package) -> list[Blocker]:
    """Everything init left for a person that is still there: placeholders, no licence, no author."""
    blockers: list[Blocker] = []
    for name, what in (("claims", "claim"), ("events", "event")):
        if not package.has(name):
            continue
        table = package.table(name)
        rel = table.rel
        rows = list(table.select(*(c for c in ("measure", "note") if name == "claims" or c == "note")))
        if name == "claims":
            blockers += _first(((number, row.get("measure")) for row, number in rows
                                if is_placeholder_measure(row.get("measure"))), rel, "measure",
                               lambda value: f"{value!r} is claimpack init's placeholder",
                               f"what the {what} counts, in a reviewer's plain words")
        blockers += _first(((number, row.get("note")) for row, number in rows if is_placeholder_note(row.get("note"))),
                           rel, "note", lambda value: f"{value!r} is claimpack init's note",
                           f"the reviewer's own note on the {what}, or none")
    licenses = package.descriptor.get("licenses")
    if not isinstance(licenses, list) or not licenses:
        blockers.append(Blocker("datapackage.json", None, "licenses", "no licence is set",
                                "a licence for the records, such as {\"name\": \"CC-BY-4.0\"}"))
    contributors = package.descriptor.get("contributors")
    authors = [c for c in contributors if isinstance(c, dict)] if isinstance(contributors, list) else []
    named = [c for c in authors if not is_placeholder_author(c.get("title"))]
    placeholder = next((c for c in authors if is_placeholder_author(c.get("title"))), None)
    if placeholder is not None or not named:
        shown = placeholder.get("title") if placeholder is not None else None
        blockers.append(Blocker("datapackage.json", None, "contributors",
                                f"{shown!r} is claimpack init's placeholder" if shown else "no author is named",
                                "each author of the records by name"))
    return blockers
