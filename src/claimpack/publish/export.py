"""`claimpack export FORMAT`: the package in the formats other tools read.

- csv, json: every claim flattened with its provenance (the footnote as printed, the words that
  cite the work, the cited work's fields, the latest verdict);
- sqlite: every resource as a table with its primary and foreign keys and column types (the
  paper as a table of lines), ready for Datasette;
- xlsx: one sheet per resource;
- csl-json, bibtex: the bibliography (claimpack.model.bibliography);
- claimreview: schema.org ClaimReview JSON-LD for the claims that have a verdict;
- ro-crate: an RO-Crate 1.1 ro-crate-metadata.json for the package directory.

Spreadsheet cells (csv, xlsx) that begin with = + - @, a tab or a carriage return are prefixed
with an apostrophe, as OWASP recommends against formula injection; numbers are left as numbers.
Files are written atomically: a temporary file in the same directory, renamed into place.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model.domain import Model
from ..model.numbers import whole
from ..model.package import Package
from ..system.problems import ClaimpackError
from . import BINARY_FORMATS, FORMATS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRIMMED = " \n\u00a0\u3000"  # white space a spreadsheet may trim before it reads a cell (tab, CR above)
SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
SOURCE_FIELDS = ("type", "author", "editor", "title", "container_title", "collection_title", "publisher",
                 "publisher_place", "issued", "volume", "issue", "page", "number", "url", "doi", "accessed",
                 "in_bibliography", "bibliography_entry")
VERDICT_FIELDS = ("verdict", "verdict_by", "verdict_note", "verdict_evidence", "verdict_value", "verdict_timestamp",
                  "verifications")


def neutralise(value: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula (OWASP CSV injection): text starting with
    = + - @ tab or CR gets a leading apostrophe, and so does text that starts so after white space
    (Google Sheets and LibreOffice can trim it on import: " =HYPERLINK(...)" would run). Numbers
    and booleans pass unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_START) or value.lstrip(_TRIMMED).startswith(FORMULA_START)):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and whole(value) is not None:
        return whole(value)
    return value


# ---- claims flattened -------------------------------------------------------------------------
def flat_claims(model: Model) -> tuple[list[str], list[dict]]:
    """Every claim as one flat record: its fields, its footnote and citation, the cited work, its verdict."""
    table = model.package.table("claims")
    columns = [f.get("name") for f in table.fields] or list(table.header)
    columns += ["footnote_text", "cited_as", "cited_ibid_of"]
    columns += [f"source_{name}" for name in SOURCE_FIELDS]
    columns += list(VERDICT_FIELDS)
    records = []
    for claim in model.claims:
        record = {name: claim.fields.get(name) for name in columns if name in claim.fields}
        record["footnote_text"] = claim.footnote.text if claim.footnote else None
        record["cited_as"] = claim.citation.cited_as if claim.citation else None
        record["cited_ibid_of"] = claim.citation.ibid_of if claim.citation else None
        source = claim.source.fields if claim.source else {}
        for name in SOURCE_FIELDS:
            record[f"source_{name}"] = source.get(name)
        last = claim.latest
        record.update({"verdict": last.verdict if last else None, "verdict_by": last.by if last else None,
                       "verdict_note": last.note if last else None,
                       "verdict_evidence": last.evidence if last else None,
                       "verdict_value": last.value if last else None,
                       "verdict_timestamp": last.timestamp if last else None, "verifications": len(claim.verdicts)})
        records.append({name: record.get(name) for name in columns})
    return columns, records


def to_csv(model: Model) -> str:
    columns, records = flat_claims(model)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(name) for name in columns])
    for record in records:
        writer.writerow(["" if record[c] is None else neutralise(_cell(record[c])) for c in columns])
    return out.getvalue()


def to_json(model: Model) -> str:
    _, records = flat_claims(model)
    def plain(value: Any) -> Any:  # JSON keeps its booleans; whole numbers print without ".0"
        return value if isinstance(value, bool) else _cell(value)

    return json.dumps([{k: plain(v) for k, v in record.items()} for record in records], indent=2,
                      ensure_ascii=False) + "\n"


# ---- sqlite -----------------------------------------------------------------------------------
def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def tabular(package: Package) -> list[dict]:
    return [r for r in package.descriptor["resources"] if r.get("type") == "table" or isinstance(r.get("schema"), dict)]


def create_statement(resource: dict) -> str:
    schema = resource.get("schema") or {}
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict) and f.get("name")]
    lines = []
    for field in fields:
        sql_type = SQL_TYPES.get(field.get("type", "string"), "TEXT")
        required = " NOT NULL" if (field.get("constraints") or {}).get("required") else ""
        lines.append(f"  {_quote(field['name'])} {sql_type}{required}")
    key = schema.get("primaryKey")
    key = [key] if isinstance(key, str) else list(key or [])
    if key:
        lines.append(f"  PRIMARY KEY ({', '.join(map(_quote, key))})")
    for foreign in schema.get("foreignKeys") or []:
        own = foreign.get("fields")
        own = [own] if isinstance(own, str) else list(own or [])
        reference = foreign.get("reference") or {}
        target = reference.get("resource") or resource["name"]
        theirs = reference.get("fields")
        theirs = [theirs] if isinstance(theirs, str) else list(theirs or [])
        lines.append(f"  FOREIGN KEY ({', '.join(map(_quote, own))}) REFERENCES {_quote(target)} "
                     f"({', '.join(map(_quote, theirs))})")
    return f"CREATE TABLE {_quote(resource['name'])} (\n" + ",\n".join(lines) + "\n)"


def _sql_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    return value


def write_sqlite(package: Package, path: Path) -> None:
    """Every resource as a table (keys, types, indexes on foreign keys), the paper as lines.

    A name SQLite cannot take (one starting sqlite_, one holding a NUL) or rows it refuses are one
    line, exit 2: the export of a package that does not validate, never an internal error.
    """
    try:
        _write_sqlite(package, path)
    except (sqlite3.Error, ValueError) as exc:
        raise ClaimpackError(f"cannot write the package as SQLite: {exc}",
                             expected="a package that validates (claimpack validate), with table and field names "
                                      "SQLite accepts") from None


def _write_sqlite(package: Package, path: Path) -> None:
    with _atomic_target(path) as temporary:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            resources = tabular(package)
            # referenced tables first, so that the foreign keys hold while rows go in
            order = sorted(resources, key=lambda r: _depth(r, {x["name"]: x for x in resources}))
            for resource in order:
                connection.execute(create_statement(resource))
                table = package.table(resource["name"])
                names = [f.get("name") for f in table.fields if f.get("name")]
                placeholders = ", ".join("?" for _ in names)
                # identifiers are quoted by _quote; every value is a bound parameter
                insert = f"INSERT INTO {_quote(resource['name'])} ({', '.join(map(_quote, names))}) "
                connection.executemany(insert + f"VALUES ({placeholders})",
                                       ([_sql_value(row.get(name)) for name in names] for row in table.rows))
                for index, foreign in enumerate((resource.get("schema") or {}).get("foreignKeys") or []):
                    own = foreign.get("fields")
                    own = [own] if isinstance(own, str) else list(own or [])
                    name = _quote(resource["name"] + f"_fk_{index}")
                    connection.execute(f"CREATE INDEX {name} ON {_quote(resource['name'])} "
                                       f"({', '.join(map(_quote, own))})")
            paper = package.config.get("paper") or "paper"
            if package.has(paper):
                connection.execute(f"CREATE TABLE {_quote(paper)} (\n  \"line\" INTEGER NOT NULL,\n"
                                   "  \"text\" TEXT NOT NULL,\n  PRIMARY KEY (\"line\")\n)")
                connection.executemany(f"INSERT INTO {_quote(paper)} VALUES (?, ?)",  # noqa: S608
                                       enumerate(package.paper_text.split("\n"), start=1))
            problems = connection.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                table, rowid, parent, _ = problems[0]
                raise ClaimpackError(f"{table} row {rowid} refers to a missing {parent} row; "
                                     "validate the package first", expected="a package whose foreign keys hold")
            connection.commit()
        finally:
            connection.close()


def _depth(resource: dict, by_name: dict[str, dict], seen: frozenset = frozenset()) -> int:
    targets = [(f.get("reference") or {}).get("resource") for f in (resource.get("schema") or {}).get("foreignKeys")
               or []]
    targets = [t for t in targets if t and t != resource["name"] and t in by_name and t not in seen]
    return 1 + max((_depth(by_name[t], by_name, seen | {resource["name"]}) for t in targets), default=0)


# ---- xlsx -------------------------------------------------------------------------------------
def sheet_title(name: object, used: set[str]) -> str:
    """A sheet name Excel accepts and no reader can mistake: at most 31 characters, not starting like
    a formula (= + - @ get a leading _), none of
    [ ] : * ? / \\ or a control character, no apostrophe at either end, not the reserved 'History',
    and unique without regard to case (as Excel compares them)."""
    from ..system.controls import FORBIDDEN, INVISIBLE

    text = INVISIBLE.sub("", FORBIDDEN.sub("", str(name)))
    text = re.sub(r"[\[\]:*?/\\]", "-", text).strip().strip("'").strip()[:31].strip("'") or "sheet"
    if text.startswith(FORMULA_START):  # no sheet name a reader could take for a formula
        text = ("_" + text)[:31]
    if text.casefold() == "history":
        text = "history-"
    title, number = text, 1
    while title.casefold() in used:
        number += 1
        title = f"{text[:31 - len(str(number)) - 1]}-{number}"
    return title


def _xlsx(value: Any) -> Any:
    """A cell value for a sheet: neutralised, and with no character a workbook cannot hold
    (openpyxl refuses C0 controls; they are written as their escapes, as a terminal would see them)."""
    from ..system.controls import terminal_safe

    value = neutralise(_cell(value))
    return terminal_safe(value, lines=True) if isinstance(value, str) else value


def write_xlsx(package: Package, path: Path) -> None:
    """One sheet per tabular resource: a bold, frozen, filterable header; numbers as numbers."""
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    created = package.descriptor.get("created")
    try:
        stamp = datetime.fromisoformat(str(created).replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        stamp = datetime(2000, 1, 1)
    workbook.properties.created = workbook.properties.modified = stamp  # the same bytes for the same package
    workbook.properties.title = _xlsx(str(package.descriptor.get("title") or ""))[:255]
    used = set()
    for resource in tabular(package):
        table = package.table(resource["name"])
        title = sheet_title(resource["name"], used)
        used.add(title.casefold())
        sheet = workbook.create_sheet(title)
        names = [f.get("name") for f in table.fields if f.get("name")] or table.header
        sheet.append([_xlsx(str(name)) for name in names])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"  # a header is text, never a formula
        for row in table.rows:
            sheet.append([_xlsx(row.get(name)) for name in names])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever it starts with
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    with _atomic_target(path) as temporary:
        workbook.save(temporary)


# ---- writing ----------------------------------------------------------------------------------
class _atomic_target:
    """A temporary path next to `path`, renamed onto it when the block succeeds, removed otherwise."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def __enter__(self) -> str:
        if self.path.is_dir():
            raise ClaimpackError("is a directory", file=str(self.path), expected="a file path for -o")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, self.temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                                  dir=self.path.parent)
        os.close(handle)
        os.unlink(self.temporary)  # sqlite and openpyxl create the file themselves
        return self.temporary

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            os.replace(self.temporary, self.path)
        else:
            Path(self.temporary).unlink(missing_ok=True)


def text_export(package: Package, fmt: str) -> str:
    from ..model import bibliography
    from . import linked_data

    makers: dict[str, Callable[[Model], str]] = {
        "csv": to_csv,
        "json": to_json,
        "csl-json": lambda m: bibliography.csl_json(m.package),
        "bibtex": lambda m: bibliography.biblatex(m.package),
        "claimreview": lambda m: json.dumps(linked_data.claim_review(m), indent=2, ensure_ascii=False) + "\n",
        "ro-crate": lambda m: json.dumps(linked_data.ro_crate(m), indent=2, ensure_ascii=False) + "\n",
    }
    return makers[fmt](Model(package))


def export(package: Package, fmt: str, out: Path | None, *, force: bool = False) -> str | None:
    """Write the package in `fmt` to `out` (atomically), or return the text when out is None.

    `out` must be claimpack's to write (claimpack.publish.outputs.file_target): a new path or a file an
    earlier export wrote, or with `force` any regular file outside the package's files.
    """
    from ..model.integrity import atomic_write
    from .outputs import file_target, mark_file

    if fmt not in FORMATS:
        raise ClaimpackError(f"unknown format {fmt!r}", expected=", ".join(FORMATS))
    target = file_target(package, out, force=force) if out is not None else None
    if fmt in BINARY_FORMATS:
        if target is None:
            raise ClaimpackError(f"{fmt} is a binary format: give a file with -o (claimpack export {fmt} -o FILE)")
        (write_sqlite if fmt == "sqlite" else write_xlsx)(package, target)
    else:
        text = text_export(package, fmt)
        if target is None:
            return text
        atomic_write(target, text)
    mark_file(target)
    return None
