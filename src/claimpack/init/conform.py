"""What init takes from a paper's metadata, made to pass the checks `claimpack validate` applies.

The paper's text is checked where it is read (a control character in it refuses the paper: its
quotes would carry it). Its metadata is not part of the text, and reaches the package by other
ways: a PDF's Title and Author, a DOCX's properties, the references of its YAML front matter or
its .bib file become the descriptor's title and contributors, README.md, CITATION.cff and the
rows of data/sources.csv. Here, before any file is written:

- every metadata string loses its control, terminal-escape, bidirectional and invisible
  characters (ESC, BEL, U+202E, U+200B ...) and its line breaks, with a warning that names them;
- a metadata string longer than METADATA_CHARS is cut there, with a warning (a 100 KB author
  once made a 100,005-character source id, and a cell validate refuses);
- each row of data/sources.csv is made to fit its schema: a value its field's pattern or list
  refuses (a `javascript:` URL, a DOI that is none, an issued date that is no date) is dropped,
  with a warning naming the work and the field.

The package init writes is then validated before it is moved into place (claimpack.init.writer).
"""

from __future__ import annotations

import re
from typing import Any

from ..system.controls import FORBIDDEN, INVISIBLE, describe
from ..text.derivation import Reading

METADATA_CHARS = 2_000  # a title, an author, any field of a reference; the longest real one is a few hundred
_HIDDEN = re.compile(f"(?:{FORBIDDEN.pattern}|{INVISIBLE.pattern})")
_DEPTH = 8  # how deep a reference's fields are walked (CSL nests names and dates two levels down)
WARNINGS = 8  # warnings of one kind named one by one; the rest are counted


class _Notes:
    """Warnings gathered while cleaning: the first few by name, the rest counted."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.more: dict[str, int] = {}

    def add(self, kind: str, line: str) -> None:
        if sum(1 for found in self.lines if found.startswith(kind)) < WARNINGS:
            self.lines.append(line)
        else:
            self.more[kind] = self.more.get(kind, 0) + 1

    def result(self) -> list[str]:
        return self.lines + [f"{kind} {count} more field(s) as well" for kind, count in self.more.items()]


def clean_text(value: str, where: str, notes: _Notes) -> str:
    """A metadata string as one line of printable text, at most METADATA_CHARS long."""
    hidden = _HIDDEN.search(value)
    if hidden is not None:
        characters = sorted(set(_HIDDEN.findall(value)))
        shown = ", ".join(describe(c) for c in characters[:3]) + (" and others" if len(characters) > 3 else "")
        notes.add("the paper's metadata:", f"the paper's metadata: {where} held {shown}: removed")
        value = _HIDDEN.sub("", value)
    value = " ".join(value.split())
    if len(value) > METADATA_CHARS:
        notes.add("the paper's metadata:", f"the paper's metadata: {where} is {len(value):,} characters long: cut to "
                                           f"{METADATA_CHARS:,}")
        value = value[:METADATA_CHARS].rstrip()
    return value


def _clean(value: Any, where: str, notes: _Notes, depth: int = 0) -> Any:
    if isinstance(value, str):
        return clean_text(value, where, notes)
    if depth >= _DEPTH:
        return None  # deeper than any CSL field: nothing of it is used
    if isinstance(value, dict):
        return {key: _clean(item, f"{where}.{key}", notes, depth + 1) for key, item in value.items()
                if isinstance(key, str)}
    if isinstance(value, list):
        return [_clean(item, f"{where}[{index}]", notes, depth + 1) for index, item in enumerate(value)]
    return value


def clean_metadata(reading: Reading) -> list[str]:
    """Clean the reading's title, authors, date and references in place; the warnings to show."""
    notes = _Notes()
    reading.title = clean_text(reading.title or "", "the title", notes)
    reading.authors = [text for text in (clean_text(a, f"author {i}", notes) for i, a in
                                         enumerate(reading.authors or [], start=1)) if text]
    reading.date = clean_text(reading.date or "", "the date", notes)
    references = []
    for index, item in enumerate(reading.references or [], start=1):
        if isinstance(item, dict):
            label = item.get("id") if isinstance(item.get("id"), str) and len(item["id"]) <= 40 else index
            references.append(_clean(item, f"reference {label}", notes))
    reading.references = references
    # the text's citation keys cut as the references' ids are, so that each still finds its work
    cut = lambda key: " ".join(key.split())[:METADATA_CHARS].rstrip() if len(key) > METADATA_CHARS else key  # noqa: E731
    reading.citations = {note: [(cut(key), locator) for key, locator in keys]
                         for note, keys in (reading.citations or {}).items()}
    reading.keys = [(block, cut(key), locator) for block, key, locator in reading.keys or []]
    # the addresses a note links to (an HTML note's href): no part of the text either
    reading.links = {note: [(clean_text(text, f"note {note}'s link text", notes),
                             clean_text(address, f"note {note}'s link", notes)) for text, address in pairs]
                     for note, pairs in (getattr(reading, "links", None) or {}).items()}
    return notes.result()


def conform(rows: list[dict], fields: list[dict], rel: str, label: str = "id") -> list[str]:
    """Drop each value a field's pattern or list of values refuses, from rows of a table init writes
    (in place), where the field may be empty; the warnings to show. A required field that does not fit
    is left for validation to refuse."""
    notes = _Notes()
    checks = []
    for field in fields:
        constraints = field.get("constraints") or {}
        if constraints.get("required"):
            continue
        pattern = re.compile(constraints["pattern"]) if constraints.get("pattern") else None
        allowed = set(constraints["enum"]) if constraints.get("enum") else None
        if pattern is not None or allowed is not None:
            checks.append((field["name"], pattern, allowed))
    for row in rows:
        for name, pattern, allowed in checks:
            value = row.get(name)
            if value in (None, "") or not isinstance(value, str):
                continue
            if (pattern is not None and not pattern.fullmatch(value)) or (allowed is not None and value not in allowed):
                what = {"url": "an http(s) address or a DOI", "doi": "a DOI (10.NNNN/...)",
                        "issued": "a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                        "accessed": "a date (YYYY-MM-DD)"}.get(name, f"a value its {name} field allows")
                shown = value if len(value) <= 60 else value[:57] + "..."
                work = str(row.get(label))
                work = work if len(work) <= 60 else work[:57] + "..."
                notes.add(f"{rel}:", f"{rel}: {name} {shown!r} of {work} is not {what}: left out (review it)")
                row[name] = ""
    return notes.result()
