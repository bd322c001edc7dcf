"""A package's tables: CSV read by the standard library's csv module and cast by the Table Schema,
column by column, leniently (a bad cell becomes None and a problem), within the package's limits.

Why not frictionless's reader, measured by benchmarks/csv_reader.py on a synthetic package of
100,000 claims (126,736 rows in all): 57.5 s to read and cast them against 12.2 s here, and 3.3 s
to import frictionless, which the verbs that only read (show, find, export, the report) would pay;
frictionless still reads every table in its own layer, in a child process. The cells are parsed
by the standard library's csv; what is claimpack's own is the caster, which keeps a table column
by column (a million claims are never a million dicts) in the time csv.DictReader with the same
caster per row takes (12.1 s).
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import itertools
import math
import operator
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from ..system.problems import ClaimpackError, Problem
from .paths import DESCRIPTOR, read_text, safe_path

MAX_CELL_CHARS = 100_000  # the longest real cell (a footnote, a bibliography entry) is a few thousand
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class Table:
    """A tabular resource read as text and cast by its schema, stored column by column.

    `columns` maps each field of the header to its values, row by row (None where the cell is
    empty or missing). `rows` (one dict per row) is built from them on first use: the validation
    layers read columns, so a table of a million claims is never turned into a million dicts.
    """

    def __init__(self, name: str, path: Path, rel: str, fields: list[dict], header: list[str],
                 columns: dict[str, list], row_numbers: list[int], problems: list[Problem] | None = None):
        self.name = name
        self.path = path
        self.rel = rel
        self.fields = fields
        self.header = header
        self.columns = columns
        self.row_numbers = row_numbers
        self.problems = problems if problems is not None else []

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {self.rel!r}, {len(self.row_numbers)} rows)"

    def __len__(self) -> int:
        return len(self.row_numbers)

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """One dict per row, keyed by the header's names in order."""
        names = list(self.columns)
        return [dict(zip(names, values)) for values in zip(*self.columns.values())] if names else \
            [{} for _ in self.row_numbers]

    def column(self, name: str) -> list:
        """One field's values, row by row (None where empty, or for a field the header lacks)."""
        found = self.columns.get(name)
        return found if found is not None else [None] * len(self.row_numbers)

    def select(self, *names: str) -> Iterator[tuple[dict[str, Any], int]]:
        """(row, row number) for every row, each row holding only the named fields.

        What the validation layers iterate: as `zip(table.rows, table.row_numbers)`, without
        building a dict of every field of every row.
        """
        columns = [self.column(name) for name in names]
        for values, number in zip(zip(*columns), self.row_numbers):
            yield dict(zip(names, values)), number

    def field(self, name: str) -> dict | None:
        return next((f for f in self.fields if f.get("name") == name), None)

    def by(self, key: str) -> dict[Any, dict]:
        """Index rows by one field (the last row wins on duplicates)."""
        return {row.get(key): row for row in self.rows}


class NotFinite(ValueError):
    """A number cell that frictionless reads (NaN, Infinity) but no claim can hold."""


TRUE = {"true", "True", "TRUE", "1", "yes"}
FALSE = {"false", "False", "FALSE", "0", "no"}


def cast(value: str, type_: str) -> Any:
    """Cast one CSV cell by its Table Schema type; raise ValueError when it does not fit."""
    if type_ in ("string", "any", None):
        return value
    if type_ in ("integer", "year"):
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(f"{value!r} is not an integer")
        return int(value)
    if type_ == "number":
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise NotFinite(f"{value!r} is not a finite number")
        return number
    if type_ == "boolean":
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise ValueError(f"{value!r} is not a boolean")
    return value


@dataclass(frozen=True)
class Limits:
    """How big a package's files may be before claimpack refuses to read them.

    The defaults are far beyond any paper (the Samanez package's largest file is 60 kB; the
    benchmark's million claims fit) and far below what would take a machine down. A package
    that needs more says so in its descriptor: `"claimpack": {"limits": {"file_bytes": ...}}`.
    """

    file_bytes: int = 1 << 30  # any one file of the package
    columns: int = 10_000  # cells in one row of a table
    line_bytes: int = 16 << 20  # one line of a table (a cell longer than MAX_CELL_CHARS is reported, not refused)

    @classmethod
    def of(cls, descriptor: dict) -> Limits:
        given = (descriptor.get("claimpack") or {}).get("limits") if isinstance(descriptor.get("claimpack"),
                                                                                 dict) else None
        if given is None:
            return cls()
        names = {f.name for f in fields(cls)}
        if not isinstance(given, dict) or not all(k in names and isinstance(v, int) and not isinstance(v, bool)
                                                  and v > 0 for k, v in given.items()):
            raise ClaimpackError("claimpack.limits is not in the expected form", file=DESCRIPTOR,
                                 field="claimpack.limits",
                                 expected="an object of " + ", ".join(sorted(names)) + " as positive whole numbers")
        # a package may ask for more, but the descriptor is the package's own word: never without bound
        for name, value in given.items():
            ceiling = getattr(CEILING, name)
            if value > ceiling:
                raise ClaimpackError(f"{value:,} is more than claimpack ever reads", file=DESCRIPTOR,
                                     field=f"claimpack.limits.{name}", expected=f"at most {ceiling:,}")
        return cls(**given)


CEILING = Limits(file_bytes=8 << 30, columns=100_000, line_bytes=256 << 20)  # what a package may ask for at most
_SCAN_BLOCK = 1 << 20


def check_size(path: Path, rel: str, limits: Limits) -> int:
    """Refuse a file larger than the limit (before a byte of it is read); return its size."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return 0  # reported where it is read
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=rel) from None
    if size > limits.file_bytes:
        raise ClaimpackError(f"file is {size:,} bytes", file=rel,
                             expected=f"at most {limits.file_bytes:,} (claimpack.limits.file_bytes)")
    return size


def check_rows(path: Path, rel: str, delimiter: str, limits: Limits) -> None:
    """Refuse a table with a line longer than the limit or a row with more cells than the limit.

    A block-wise scan at C speed: only a line long enough to hold more cells than the limit
    (one byte a cell) has its delimiters counted, so ordinary tables cost one pass of `split`.
    Quoted cells are not parsed here: a quoted delimiter counts, which only ever over-counts.
    """
    separator = delimiter.encode("utf-8") or b","
    number, carry = 1, b""
    if not path.is_file():
        return  # a missing file is reported where it is read
    try:
        with open(path, "rb") as handle:
            while True:
                block = handle.read(_SCAN_BLOCK)
                lines = (carry + block).split(b"\n")
                carry = lines.pop() if block else b""
                if not block:
                    lines = [line for line in lines if line]
                longest = max(map(len, lines), default=0)
                if longest >= limits.columns or len(carry) > limits.line_bytes:
                    for offset, line in enumerate([*lines, carry] if len(carry) > limits.line_bytes else lines):
                        if len(line) > limits.line_bytes:
                            raise ClaimpackError(f"line is more than {limits.line_bytes:,} bytes long",
                                                 file=rel, row=number + offset,
                                                 expected=f"lines of at most {limits.line_bytes:,} bytes "
                                                          "(claimpack.limits.line_bytes)")
                        if len(line) >= limits.columns and line.count(separator) >= limits.columns:
                            raise ClaimpackError(f"row has more than {limits.columns:,} cells", file=rel,
                                                 row=number + offset,
                                                 expected=f"at most {limits.columns:,} cells in a row "
                                                          "(claimpack.limits.columns)")
                number += len(lines)
                if not block:
                    return
    except FileNotFoundError:
        return  # reported where it is read
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=rel) from None


def read_table(root: Path, resource: dict, descriptor: dict | None = None, *, checked: bool = False) -> Table:
    """Read a CSV resource leniently: bad cells become None and are recorded as problems."""
    name = resource["name"]
    rel = str(resource.get("path"))
    path = safe_path(root, resource.get("path"), DESCRIPTOR, f"resources[{name}].path")
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict)]
    types = {f.get("name"): f.get("type", "string") for f in fields}
    missing = set(schema.get("missingValues", [""]))
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    delimiter = dialect.get("delimiter", ",") if isinstance(dialect.get("delimiter", ","), str) else ","
    problems: list[Problem] = []
    if not checked:  # Package.preflight has not already done it
        limits = Limits.of(descriptor or {})
        check_size(path, rel, limits)
        check_rows(path, rel, delimiter, limits)
    text = read_text(path, rel, "the resource's CSV file")
    if text.startswith("\ufeff"):
        problems.append(Problem(rel, 1, None, "file starts with a byte-order mark", "UTF-8 without BOM",
                                code="bom"))
        text = text[1:]
    if not text.strip():
        raise ClaimpackError("file is empty", file=rel, expected="a header row, then one row per record")
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    # Nothing read here makes a reference cycle: collecting while a million rows are allocated
    # would only walk them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            header = _header(next(reader, []), [str(f.get("name")) for f in fields], rel, delimiter, problems)
            loader = _Loader(rel, header, types, missing, problems)
            number = 2  # of the first record after the header, counting the header as 1
            while True:
                read = reader.line_num
                records = list(itertools.islice(reader, _CHUNK))
                if not records:
                    break
                # A cell is no longer than its record; a record of one line no longer than the longest line.
                short = reader.line_num - read == len(records) and lines.longest <= MAX_CELL_CHARS
                loader.add(records, number, short)
                number += len(records)
        except csv.Error as exc:
            raise ClaimpackError(f"malformed CSV: {_csv_error(exc)}", file=rel, row=reader.line_num,
                                 expected="well-formed CSV (quotes closed, one record per row)") from None
    finally:
        if collecting:
            gc.enable()
    problems.extend(_hidden_characters(rel, loader.columns, loader.numbers))
    return Table(name, path, rel, fields, header, loader.columns, loader.numbers, problems)


def _hidden_characters(rel: str, columns: dict[str, list], numbers: list[int]) -> list[Problem]:
    """A problem for each text cell holding a control, terminal-escape or bidi-override character,
    and a warning for each holding an invisible one (claimpack.system.controls). Each column is searched
    as one string first, so a clean table costs two regex scans a column."""
    from ..system.controls import FORBIDDEN, INVISIBLE, describe, forbidden_in, invisible_in

    found: list[tuple[int, int, Problem]] = []
    for at, (key, values) in enumerate(columns.items()):
        texts = [v for v in values if type(v) is str]
        if not texts:
            continue
        joined = "\n".join(texts)
        if not (FORBIDDEN.search(joined) or INVISIBLE.search(joined)):
            continue
        for number, value in zip(numbers, values):
            if type(value) is not str:
                continue
            bad = forbidden_in(value)
            if bad:
                found.append((number, at, Problem(rel, number, key, f"text holds {describe(bad[1])} at character "
                                                  f"{bad[0]}", "printable text: no control characters, terminal "
                                                  "escapes or bidirectional overrides", code="control-character")))
                continue
            hidden = invisible_in(value)
            if hidden:
                found.append((number, at, Problem(rel, number, key, f"text holds the invisible {describe(hidden[1])} "
                                                  f"at character {hidden[0]}", "only characters a reader can see",
                                                  code="invisible-character", severity="warning")))
    found.sort(key=lambda item: (item[0], item[1]))
    return [problem for _, _, problem in found]


_CHUNK = 8192  # records cast at a time, column by column
_PIECE = 1 << 20  # characters split into lines at a time
_MEMO = 65536  # distinct cells of a column remembered across chunks


class _Lines:
    """Iterate the text's lines a piece at a time, noting the longest line so far.

    Lines end only at \\n, \\r or \\r\\n, as in a file opened with newline="" (what the csv module
    expects): str.splitlines would also break a record at a form feed, \\x85 or \\u2028 inside a cell.
    """

    def __init__(self, text: str):
        self.text = text
        self.longest = 0

    def __iter__(self) -> Iterator[str]:
        text, start, size = self.text, 0, len(self.text)
        while start < size:
            end = text.find("\n", start + _PIECE)  # every piece ends after a newline
            end = size if end < 0 else end + 1
            lines = io.StringIO(text[start:end], newline="").readlines()
            self.longest = max(self.longest, max(map(len, lines), default=0))
            yield from lines
            start = end


class _Bad:
    """A cell that does not cast: the message and code its problem gives."""

    __slots__ = ("code", "message")

    def __init__(self, error: ValueError):
        self.message = str(error)
        self.code = cast_code(error)


def cast_code(error: ValueError) -> str:
    """The problem code of a cell that does not cast: frictionless reports a type error, not a non-finite number."""
    return "not-finite" if isinstance(error, NotFinite) else "type"


class _Loader:
    """Cast records into columns a chunk at a time.

    Chunks whose rows all have the header's length are cast column by column, each distinct
    cell once (equal cells then share one object); any other chunk goes row by row. Problems
    come out in the order a row-by-row reader gives them: by row, then by the cell's position.
    """

    def __init__(self, rel: str, header: list[str], types: dict, missing: set, problems: list[Problem]):
        self.rel, self.header, self.types, self.missing, self.problems = rel, header, types, missing, problems
        self.columns: dict[str, list] = {key: [] for key in header}
        self.numbers: list[int] = []
        # the last position of each name wins, as in a dict built cell by cell
        self.position = {key: at for at, key in enumerate(header)}
        # distinct cells and what they cast to, per position, while there are few of them
        self.memo: list[dict | None] = [{} for _ in header]
        self.bad: list[set[str]] = [set() for _ in header]  # cells that did not cast, per position

    def add(self, records: list[list[str]], first: int, short: bool) -> None:
        """Add records numbered from `first`; `short`: no cell can be longer than MAX_CELL_CHARS."""
        numbers = range(first, first + len(records))
        if not all(map(any, records)):  # frictionless reports blank rows
            kept = [(number, cells) for number, cells in zip(numbers, records) if any(cells)]
            numbers, records = [n for n, _ in kept], [cells for _, cells in kept]
            if not records:
                return
        if self.header and set(map(len, records)) == {len(self.header)}:
            self._by_column(records, list(numbers), short)
        else:
            self._by_row(records, numbers)

    def _by_column(self, records: list[list[str]], numbers: list[int], short: bool) -> None:
        self.numbers.extend(numbers)
        found: list[tuple[int, int, Problem]] = []
        cast_columns = []
        for at, (key, values) in enumerate(zip(self.header, zip(*records))):
            kind = self.types.get(key, "string")
            if not short and max(map(len, values)) > MAX_CELL_CHARS:
                cast_columns.append(self._long_cells(at, key, kind, values, numbers, found))
            else:
                cast_columns.append(self._cast(at, key, kind, values, numbers, found))
        for key, at in self.position.items():
            self.columns[key].extend(cast_columns[at])
        found.sort(key=lambda item: (item[0], item[1]))
        self.problems.extend(problem for _, _, problem in found)

    def _long_cells(self, at: int, key: str, kind: Any, values: tuple[str, ...], numbers: list[int],
                    found: list[tuple[int, int, Problem]]) -> list:
        out = []
        for offset, cell in enumerate(values):
            if cell not in self.missing and len(cell) > MAX_CELL_CHARS:
                found.append((numbers[offset], at, self._too_long(numbers[offset], key, cell)))
                out.append(None)
            else:
                out.extend(self._cast(at, key, kind, (cell,), numbers[offset:offset + 1], found))
        return out

    def _cast(self, at: int, key: str, kind: Any, values: tuple[str, ...], numbers: list[int],
              found: list[tuple[int, int, Problem]]) -> list:
        missing, memo = self.missing, self.memo[at]
        text = kind not in _CASTS  # a string, or a type read as text
        if memo is not None and len(memo) * 2 > len(self.numbers) - len(values) and (text or len(memo) > _MEMO):
            memo = self.memo[at] = None  # mostly distinct cells: remembering them saves nothing
        if memo is None:
            if text:
                if missing == _EMPTY:
                    return [cell or None for cell in values]
                return [None if cell in missing else cell for cell in values]
            if kind == "number":
                try:  # every cell a finite number (a non-finite one makes the sum so), as `cast` wants
                    out = [None if cell in missing else float(cell) for cell in values]
                    if math.isfinite(math.fsum(filter(_not_none, out))):
                        return out
                except (ValueError, OverflowError):
                    pass
            memo = {}  # this chunk's distinct cells only
        new = set(values).difference(memo, missing)
        if text:
            memo.update(zip(new, new))
        else:
            for cell in new:
                try:
                    memo[cell] = cast(cell, kind)
                except ValueError as exc:
                    memo[cell] = _Bad(exc)
                    self.bad[at].add(cell)
        get = memo.get
        out = [get(cell) for cell in values]  # a missing cell is never in memo: None
        if self.bad[at] and not self.bad[at].isdisjoint(values):
            for offset, value in enumerate(out):
                if type(value) is _Bad:
                    out[offset] = None
                    found.append((numbers[offset], at, Problem(self.rel, numbers[offset], key, value.message,
                                                               f"type {self.types.get(key)}", code=value.code)))
        return out

    def _too_long(self, number: int, key: str, cell: str) -> Problem:
        return Problem(self.rel, number, key, f"cell is {len(cell):,} characters long",
                       f"at most {MAX_CELL_CHARS:,}", code="cell-too-long")

    def _by_row(self, records: list[list[str]], numbers) -> None:
        header, missing, types, rel = self.header, self.missing, self.types, self.rel
        for number, cells in zip(numbers, records):
            if len(cells) != len(header):
                self.problems.append(Problem(rel, number, None,
                                             f"row has {len(cells)} cells", f"{len(header)} as in the header",
                                             code="missing-cell" if len(cells) < len(header) else "extra-cell"))
            row: dict[str, Any] = {}
            for key, cell in zip(header, cells):
                if cell in missing:
                    row[key] = None
                    continue
                if len(cell) > MAX_CELL_CHARS:
                    row[key] = None
                    self.problems.append(self._too_long(number, key, cell))
                    continue
                try:
                    row[key] = cast(cell, types.get(key, "string"))
                except ValueError as exc:
                    row[key] = None
                    self.problems.append(Problem(rel, number, key, str(exc), f"type {types.get(key)}",
                                                 code=cast_code(exc)))
            for key in header[len(cells):]:
                row.setdefault(key, None)
            for key, column in self.columns.items():
                column.append(row[key])
            self.numbers.append(number)


_CASTS = ("integer", "year", "number", "boolean")  # the types `cast` converts; any other is text
_EMPTY = {""}
_not_none = functools.partial(operator.is_not, None)


def _csv_error(exc: csv.Error) -> str:
    """The csv module's complaint in a reader's words."""
    text = str(exc)
    if text == "unexpected end of data":
        return "a quoted cell is never closed (unexpected end of data)"
    if text.endswith("expected after '\"'"):
        return f"a quoted cell closes before the cell ends ({text}); is a quote unclosed or not doubled?"
    if "field larger than field limit" in text:
        return f"a cell is larger than {csv.field_size_limit():,} bytes"
    return text


def _header(labels: list[str], names: list[str], rel: str, delimiter: str, problems: list[Problem]) -> list[str]:
    """The column names to read rows with: the schema's, when the header lines up with them.

    As frictionless does, columns are matched by position, so a misspelled label is one problem
    (reported once) rather than a missing column in every layer. A header with a different number
    of columns cannot be matched: the table is unreadable, and the message says why.
    """
    if not names or labels == names:
        return labels
    if len(labels) == len(names):
        for label, name in zip(labels, names):
            if label != name:
                problems.append(Problem(rel, 1, name, f"header says {label!r} where the schema names the field "
                                        f"{name!r}", name, code="label"))
        return names
    where = f"header has {len(labels)} column(s) where the schema has {len(names)}"
    if len(labels) == 1:
        for other in (";", "\t", "|", ","):
            if other != delimiter and labels[0].split(other) == names:
                raise ClaimpackError(f"{where}: the cells are separated by {other!r}", file=rel, row=1,
                                     expected=f"cells separated by {delimiter!r}, as the resource's dialect says")
    missing = [n for n in names if n not in labels]
    unexpected = [label for label in labels if label not in names]
    detail = "; ".join(part for part in (
        f"missing {', '.join(missing)}" if missing else "",
        f"not in the schema: {', '.join(repr(u) for u in unexpected)}" if unexpected else "") if part)
    raise ClaimpackError(f"{where}" + (f" ({detail})" if detail else ""), file=rel, row=1,
                         expected="the schema's columns: " + ", ".join(names))
