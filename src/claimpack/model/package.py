"""Load a claims package: the descriptor, its tables and the paper, with no heavy dependency.

Everything here is the standard library so that `show` and `find` answer fast; frictionless
and Great Expectations are used by the validation layers only.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import itertools
import json
import math
import operator
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from ..system.problems import ClaimpackError, Problem

DESCRIPTOR = "datapackage.json"
MAX_DESCRIPTOR_BYTES = 5_000_000
MAX_JSON_DEPTH = 64
MAX_CELL_CHARS = 100_000  # the longest real cell (a footnote, a bibliography entry) is a few thousand
# Table Schema v2 field types: a schema that names another cannot be read.
FIELD_TYPES = {"string", "number", "integer", "boolean", "object", "array", "list", "date", "time", "datetime",
               "year", "yearmonth", "duration", "geopoint", "geojson", "any"}
# Settings in the descriptor's `claimpack` object that name files or directories of the package.
CONFIG_PATHS = {"exclusions": "file", "expectations": "directory", "report": "file"}
# The resources every claims package has (the README's Data section), and the paper's defects when
# it records them; a package may add more.
TABLES = ("claims", "events", "sources", "footnotes", "citations", "checks", "defects")
DEFAULT_CONFIG = {
    "paper": "paper",
    "paper_style": "pages",  # how the paper's text is written: pages or blocks (claimpack.text.paper)
    "original": None,  # the resource of the original file the text was derived from, if any
    "body_start": None,
    "bibliography": "BIBLIOGRAPHY",
    "own_source": None,
    "exclusions": "validation/coverage-exclusions.csv",
    "expectations": "validation/gx",
    "report": "report/index.qmd",
}

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


def _check_depth(value: Any, depth: int = 0) -> None:
    stack = [(value, depth)]
    while stack:
        node, level = stack.pop()
        if level > MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)


def read_json(path: Path, label: str) -> Any:
    """Read a JSON file we were handed, refusing oversized or pathologically nested input."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=label) from None
    if size > MAX_DESCRIPTOR_BYTES:
        raise ClaimpackError(f"file is {size:,} bytes", file=label, expected=f"at most {MAX_DESCRIPTOR_BYTES:,}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimpackError(f"not UTF-8 (byte {exc.start})", file=label, expected="UTF-8 text") from None
    return parse_json(text, label)


def parse_json(text: str, label: str, expected: str = "a JSON object") -> Any:
    """JSON text we were handed, refusing what is malformed or nested deeper than MAX_JSON_DEPTH."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ClaimpackError("JSON nested too deeply", file=label,
                             expected=f"at most {MAX_JSON_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise ClaimpackError(f"invalid JSON: {exc.msg}", file=label, row=exc.lineno, expected=expected) from None
    try:
        _check_depth(data)
    except ValueError as exc:
        raise ClaimpackError(f"JSON {exc}", file=label, expected=f"at most {MAX_JSON_DEPTH} levels") from None
    return data


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def safe_path(root: Path, rel: Any, label: str, field_name: str = "path", kind: str = "file") -> Path:
    """Resolve a package path, refusing anything but a relative path to a real file inside the package.

    Refused before anything is read: a URL, an absolute path, a NUL, a path that leaves the
    package, a symbolic link anywhere on the way (a link is followed by every reader, so one inside
    the package can still lead out of it, and its target is never echoed), and a path that exists
    but is not a `kind` ("file": a regular file; "directory"): a FIFO would make a reader wait
    forever, a device would never end.
    """
    if not isinstance(rel, str) or not rel:
        raise ClaimpackError("resource path is missing or not a string", file=label, field=field_name,
                             expected="a relative path inside the package")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", rel) or rel.startswith("//"):
        raise ClaimpackError(f"remote path {rel!r} is not allowed", file=label, field=field_name,
                             expected="a local file inside the package")
    if os.path.isabs(rel) or rel.startswith("\\") or re.match(r"^[A-Za-z]:", rel):
        raise ClaimpackError(f"absolute path {rel!r} is not allowed", file=label, field=field_name,
                             expected="a relative path inside the package")
    if "\x00" in rel:
        raise ClaimpackError(f"path {rel!r} holds a NUL character", file=label, field=field_name,
                             expected="a relative path inside the package")
    inside = os.path.normpath(rel)
    if inside == ".." or inside.startswith(".." + os.sep) or inside == ".":
        raise ClaimpackError(f"path {rel!r} leaves the package", file=label, field=field_name,
                             expected="a relative path inside the package")
    current = root
    for part in Path(inside).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            break  # a missing file is the layers' to report
        except OSError as exc:
            raise ClaimpackError(f"path {rel!r} cannot be inspected: {exc.strerror}", file=label, field=field_name,
                                 expected="a readable path inside the package") from None
        if stat.S_ISLNK(mode):
            link = current.relative_to(root)
            raise ClaimpackError(f"path {rel!r} goes through a symbolic link ({link})", file=label,
                                 field=field_name, expected="a real file inside the package, with no symbolic link "
                                 "on its way")
        if current != root / inside and not stat.S_ISDIR(mode):
            raise ClaimpackError(f"path {rel!r} goes through {current.relative_to(root)}, which is not a directory",
                                 file=label, field=field_name, expected="a relative path inside the package")
    else:
        wanted = stat.S_ISDIR if kind == "directory" else stat.S_ISREG
        if not wanted(mode):
            raise ClaimpackError(f"path {rel!r} is {_kind(mode)}", file=label, field=field_name,
                                 expected="a directory" if kind == "directory" else "a regular file")
    return (root / inside).absolute()


# Profiles frictionless knows without fetching them: the official names and URLs. Any other
# profile or $schema would be fetched (a URL) or read (a local path) by frictionless.
OFFICIAL_PROFILES = re.compile(
    r"(data-package|tabular-data-package|fiscal-data-package|data-resource|tabular-data-resource|table-schema"
    r"|table-dialect|csv-dialect"
    r"|https://datapackage\.org/profiles/(1\.0|2\.0)/(datapackage|dataresource|tableschema|tabledialect)\.json"
    r"|https://specs\.frictionlessdata\.io/schemas/(data-package|tabular-data-package|data-resource"
    r"|tabular-data-resource|table-schema|csv-dialect)\.json)")
_PROFILE_KEYS = ("profile", "$schema")


def _label(item: Any, index: int) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) and name else str(index)


def _check_offline(node: Any, where: str) -> None:
    """Refuse every property frictionless or a JSON Schema validator would dereference: a custom
    profile or $schema, a $ref that is not a local fragment, a jsonSchema constraint given by address."""
    stack = [(node, where)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                here = f"{at}.{key}" if at else str(key)
                if key in _PROFILE_KEYS and not (isinstance(child, str) and OFFICIAL_PROFILES.fullmatch(child)):
                    raise ClaimpackError(f"{key} {str(child)[:80]!r} is not an official Data Package profile; "
                                         "claimpack never fetches or reads a custom one", file=DESCRIPTOR,
                                         field=here, expected="an official profile, or no " + key)
                if key == "$ref" and not (isinstance(child, str) and child.startswith("#")):
                    raise ClaimpackError(f"$ref {str(child)[:80]!r} points outside the descriptor", file=DESCRIPTOR,
                                         field=here, expected="a local reference (#/...), or none")
                if key == "jsonSchema" and not isinstance(child, dict):
                    raise ClaimpackError("jsonSchema is given by address, not inline", file=DESCRIPTOR, field=here,
                                         expected="the JSON Schema as an object")
                stack.append((child, here))
        elif isinstance(value, list):
            stack.extend((child, f"{at}[{_label(child, index) if at == 'resources' else index}]")
                         for index, child in enumerate(value))


def check_descriptor(root: Path, descriptor: dict) -> None:
    """Refuse a descriptor that would make any reader leave the package, wait, fetch or guess at a schema.

    Every resource path (a list of parts and frictionless's `extrapaths` included), and every path
    of the `claimpack` settings, must be a relative path to a real file inside the package (see
    safe_path). Schemas and dialects must be inline objects, profiles official (frictionless fetches
    a custom one), and every field must have a Table Schema type. Validation never reaches the
    network.
    """
    from .shapes import check_shapes

    _check_offline(descriptor, "")
    check_shapes(descriptor)
    for resource in descriptor["resources"]:
        name = resource["name"]
        if "path" in resource:
            parts = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
            for index, part in enumerate(parts or [None]):
                at = f"[{index}]" if isinstance(resource["path"], list) else ""
                safe_path(root, part, DESCRIPTOR, f"resources[{name}].path{at}")
        if "extrapaths" in resource:
            extra = resource["extrapaths"]
            for index, part in enumerate(extra if isinstance(extra, list) else [extra]):
                safe_path(root, part, DESCRIPTOR, f"resources[{name}].extrapaths[{index}]")
        for key in ("schema", "dialect"):
            if key in resource and not isinstance(resource[key], dict):
                raise ClaimpackError(f"{key} is given as {resource[key]!r}, not inline", file=DESCRIPTOR,
                                     field=f"resources[{name}].{key}", expected=f"the {key} as a JSON object")
        fields = resource.get("schema", {}).get("fields", [])
        for index, field_ in enumerate(fields if isinstance(fields, list) else []):
            type_ = field_.get("type", "string") if isinstance(field_, dict) else None
            if type_ not in FIELD_TYPES:
                label = field_.get("name", index) if isinstance(field_, dict) else index
                raise ClaimpackError(f"field type {type_!r} is not a Table Schema type", file=DESCRIPTOR,
                                     field=f"resources[{name}].schema.fields[{label}].type",
                                     expected="one of " + ", ".join(sorted(FIELD_TYPES)))
    settings = descriptor.get("claimpack")
    if isinstance(settings, dict):
        for key in CONFIG_PATHS:
            if settings.get(key) is not None:
                safe_path(root, settings[key], DESCRIPTOR, f"claimpack.{key}", kind=CONFIG_PATHS[key])


PACKAGE_NAME = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?")
VERSION = re.compile(r"[0-9]+(?:\.[0-9]+){0,2}(?:[-+][0-9A-Za-z.-]+)?")


def descriptor_problems(descriptor: dict) -> list[Problem]:
    """What claimpack asks of a descriptor beyond Data Package v2.

    - `name` names the data zip, the report's links and the exports, so it must be a plain name:
      lowercase letters, digits, '.', '_' and '-', as Data Package v1 required (v2 puts no pattern
      on it); `version` is a version number (1.1.0).
    - No string of the descriptor may hold a control character, a terminal escape or a bidi
      override; an invisible character is a warning (claimpack.system.controls).
    """
    from ..system.controls import describe, forbidden_in, invisible_in

    problems = []
    name, version = descriptor.get("name"), descriptor.get("version")
    if name is not None and not (isinstance(name, str) and PACKAGE_NAME.fullmatch(name)):
        problems.append(Problem(DESCRIPTOR, None, "name", f"name {str(name)[:80]!r} is not a plain package name",
                                "lowercase letters, digits, '.', '_' and '-', starting and ending with a letter or "
                                "digit, at most 100 characters (claimpack names the data zip and links after it)",
                                code="package-name"))
    if version is not None and not (isinstance(version, str) and VERSION.fullmatch(version)):
        problems.append(Problem(DESCRIPTOR, None, "version", f"version {str(version)[:80]!r} is not a version number",
                                "a version such as 1.1.0", code="package-version"))
    stack: list[tuple[Any, str]] = [(descriptor, "")]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            stack.extend((child, f"{at}.{key}" if at else str(key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, f"{at}[{_label(child, index)}]") for index, child in enumerate(value))
        elif isinstance(value, str):
            bad = forbidden_in(value)
            hidden = None if bad else invisible_in(value)
            if bad:
                problems.append(Problem(DESCRIPTOR, None, at, f"text holds {describe(bad[1])} at character {bad[0]}",
                                        "printable text: no control characters, terminal escapes or "
                                        "bidirectional overrides", code="control-character"))
            elif hidden:
                problems.append(Problem(DESCRIPTOR, None, at, f"text holds the invisible {describe(hidden[1])} at "
                                        f"character {hidden[0]}", "only characters a reader can see",
                                        code="invisible-character", severity="warning"))
    return sorted(problems, key=lambda p: (p.field or "", p.message))


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


class Package:
    """A claims package on disk: its descriptor, tables and paper."""

    def __init__(self, root: Path, descriptor: dict):
        self.root = root
        self.descriptor = descriptor
        self._tables: dict[str, Table] = {}
        self._unreadable: dict[str, ClaimpackError] = {}
        self._preflown: set[str] = set()

    @classmethod
    def load(cls, root: str | Path = ".") -> Package:
        root = Path(root)
        path = root / DESCRIPTOR
        if not root.is_dir():
            raise ClaimpackError("not a directory", file=str(root), expected="a package directory")
        if not path.is_file():
            raise ClaimpackError("file is missing", file=str(path),
                                 expected="the package descriptor; is this a package directory?")
        data = read_json(path, DESCRIPTOR)
        if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
            raise ClaimpackError("descriptor has no resources list", file=DESCRIPTOR, field="resources",
                                 expected="a JSON object with a resources array")
        for index, resource in enumerate(data["resources"]):
            if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
                raise ClaimpackError(f"resource {index} has no name", file=DESCRIPTOR,
                                     field=f"resources[{index}]", expected="an object with a name")
        check_descriptor(root, data)
        return cls(root, data)

    # ---- descriptor -------------------------------------------------------------------------
    @cached_property
    def config(self) -> dict:
        config = dict(DEFAULT_CONFIG)
        custom = self.descriptor.get("claimpack")
        if isinstance(custom, dict):
            config.update({k: v for k, v in custom.items() if isinstance(v, str | None)})
        return config

    @cached_property
    def vocabulary(self):
        """The words the paper counts with (claimpack.model.vocabulary), from the descriptor's `claimpack` section."""
        from .vocabulary import Vocabulary

        return Vocabulary.from_settings(self.descriptor.get("claimpack"))

    def resource(self, name: str) -> dict:
        for resource in self.descriptor["resources"]:
            if resource.get("name") == name:
                return resource
        raise ClaimpackError(f"no resource named {name!r}", file=DESCRIPTOR, field="resources",
                             expected=f"a resource {name!r}")

    def has(self, name: str) -> bool:
        return any(r.get("name") == name for r in self.descriptor["resources"])

    def path_of(self, name: str) -> Path:
        resource = self.resource(name)
        return safe_path(self.root, resource.get("path"), DESCRIPTOR, f"resources[{name}].path")

    def rel(self, name: str) -> str:
        return str(self.resource(name).get("path"))

    # ---- content ----------------------------------------------------------------------------
    @cached_property
    def paper_text(self) -> str:
        name = self.config["paper"]
        check_size(self.path_of(name), self.rel(name), Limits.of(self.descriptor))
        return read_text(self.path_of(name), self.rel(name), "the paper's text")

    def preflight(self) -> None:
        """Refuse, before anything reads them, files too large to read (claimpack.limits): a file
        over its size limit, a table line over its length limit or a row over its cell limit."""
        limits = Limits.of(self.descriptor)
        for resource in self.descriptor["resources"]:
            name = resource["name"]
            try:
                path = self.path_of(name)
            except ClaimpackError:
                continue  # reported where the resource is read
            check_size(path, self.rel(name), limits)
            if isinstance(resource.get("schema"), dict) and path.is_file():
                dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
                delimiter = dialect.get("delimiter", ",")
                check_rows(path, self.rel(name), delimiter if isinstance(delimiter, str) else ",", limits)
                self._preflown.add(name)

    @cached_property
    def paper(self):
        from ..text.paper import Paper

        if self.config["paper_style"] == "blocks":
            return Paper.parse_blocks(self.paper_text, bibliography=self.config["bibliography"])
        return Paper.parse(self.paper_text, body_start=self.config["body_start"],
                           bibliography=self.config["bibliography"])

    @property
    def derivation(self) -> dict | None:
        """How the paper's text was derived from its original file (claimpack.text.reading), if it was."""
        settings = self.descriptor.get("claimpack")
        found = settings.get("derivation") if isinstance(settings, dict) else None
        return found if isinstance(found, dict) else None

    def forget_paper(self) -> None:
        """Let go of the paper's text and model (read again on next use): its memory, for what follows."""
        self.__dict__.pop("paper", None)
        self.__dict__.pop("paper_text", None)

    def table(self, name: str) -> Table:
        """The table, read once; one that cannot be read raises the same ClaimpackError each time."""
        if name in self._unreadable:
            raise self._unreadable[name]
        if name not in self._tables:
            try:
                self._tables[name] = read_table(self.root, self.resource(name), self.descriptor,
                                                checked=name in self._preflown)
            except ClaimpackError as exc:
                self._unreadable[name] = exc
                raise
        return self._tables[name]

    def rows(self, name: str) -> list[dict[str, Any]]:
        return self.table(name).rows


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


def read_text(path: Path, rel: str, what: str) -> str:
    """A file of the package as UTF-8 text, or one ClaimpackError saying why it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ClaimpackError("file is missing", file=rel, expected=what) from None
    except IsADirectoryError:
        raise ClaimpackError("is a directory, not a file", file=rel, expected=what) from None
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=rel, expected=what) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ClaimpackError(f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}", file=rel,
                             row=line, expected="UTF-8 text") from None


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
