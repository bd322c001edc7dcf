"""Change a package's files in memory, then write them all at once: the package-mutation API.

A `Mutation` reads the files it changes once, keeps their bytes before and after, and writes
every changed file in one all-or-nothing step (claimpack.integrity.atomic_write_all), with the
descriptor's sha256 and size of each changed resource recorded in the same step (what
`claimpack rehash` records, for the files this change wrote and no other). Nothing reaches the
disk before `commit`, so a change can be staged elsewhere and validated first (`stage`).

Tables are edited record by record: every other record of a CSV file keeps its bytes, quoting
and line ends; the record changed is written as claimpack writes CSV (minimal quoting), with the
file's own line terminator. Append-only logs gain whole lines (`append_line`).

`declare_unit` adds a unit to the package's vocabulary: the descriptor's `claimpack.units`, the
claims schema's `unit` enumeration, and the Great Expectations suites generated from them
(claimpack.suites), in the same change.

Standard library only, apart from regenerating the suites.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..system.problems import ClaimpackError
from .integrity import atomic_write_all, descriptor_text
from .package import DESCRIPTOR, Package, read_json, safe_path

EXCLUSIONS_HEADER = ("number", "context", "reason")


@dataclass
class Record:
    """One record of a CSV text: its cells by column and where it stands in the text."""

    cells: dict[str, str]
    start: int  # character offsets of the record, its line terminator included
    end: int
    line: int  # frictionless row number (the header is 1)


class CsvText:
    """A CSV file's text, its header and records, each record with its span in the text."""

    def __init__(self, text: str, label: str):
        self.text = text
        self.label = label
        first = text.find("\n")
        self.terminator = "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"
        lines = io.StringIO(text, newline="").readlines()
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        reader = csv.reader(lines, strict=True)
        self.header: list[str] = []
        self.records: list[Record] = []
        consumed, number = 0, 1
        try:
            for cells in reader:
                start, consumed = offsets[consumed], reader.line_num
                if not self.header:
                    self.header = cells
                    continue
                number += 1
                if cells:
                    self.records.append(Record(dict(zip(self.header, cells)), start, offsets[consumed], number))
        except csv.Error as exc:
            raise ClaimpackError(f"malformed CSV: {exc}", file=label, row=reader.line_num,
                                 expected="well-formed CSV") from None
        if not self.header:
            raise ClaimpackError("file is empty", file=label, expected="a header row")

    def line_of(self, cells: dict[str, str]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator=self.terminator).writerow([cells.get(name, "") for name in self.header])
        return out.getvalue()

    def find(self, column: str, value: str) -> Record | None:
        return next((record for record in self.records if record.cells.get(column) == value), None)

    def replaced(self, record: Record, cells: dict[str, str] | None) -> str:
        """The text with one record replaced by `cells` (removed when None)."""
        new = "" if cells is None else self.line_of(cells)
        return self.text[:record.start] + new + self.text[record.end:]

    def appended(self, cells: dict[str, str]) -> str:
        text = self.text if not self.text or self.text.endswith(("\n", "\r")) else self.text + self.terminator
        return text + self.line_of(cells)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Mutation:
    """Changes to one package's files, made in memory and written at once by `commit`."""

    def __init__(self, root: str | Path, descriptor: dict | None = None):
        self.root = Path(root)
        raw = descriptor if descriptor is not None else read_json(self.root / DESCRIPTOR, DESCRIPTOR)
        self.descriptor: dict = copy.deepcopy(raw)
        self.before: dict[str, bytes | None] = {}  # rel -> bytes on disk before the change (None: no file)
        self.after: dict[str, bytes | None] = {}  # rel -> bytes after the change (None: removed)
        self._descriptor_before = (self.root / DESCRIPTOR).read_bytes() if (self.root / DESCRIPTOR).is_file() \
            else None

    # ---- files ----------------------------------------------------------------------------------
    @property
    def package(self) -> Package:
        return Package(self.root, self.descriptor)

    def path(self, rel: str) -> Path:
        return safe_path(self.root, rel, DESCRIPTOR, "path")

    def read(self, rel: str) -> bytes | None:
        """The file's bytes as this change leaves them (None when it does not exist)."""
        if rel in self.after:
            return self.after[rel]
        if rel not in self.before:
            path = self.path(rel)
            self.before[rel] = path.read_bytes() if path.is_file() else None
        return self.before[rel]

    def write(self, rel: str, data: bytes) -> None:
        self.read(rel)  # remember what it was
        self.after[rel] = data

    def remove(self, rel: str) -> None:
        self.read(rel)
        self.after[rel] = None

    def text(self, rel: str) -> str:
        data = self.read(rel)
        if data is None:
            raise ClaimpackError("file is missing", file=rel)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ClaimpackError(f"not UTF-8 (byte {exc.start})", file=rel, expected="UTF-8 text") from None

    # ---- tables ---------------------------------------------------------------------------------
    def rel(self, resource: str) -> str:
        return self.package.rel(resource)

    def table(self, resource: str) -> CsvText:
        rel = self.rel(resource)
        return CsvText(self.text(rel), rel)

    def record(self, resource: str, key: str, column: str = "id") -> Record:
        found = self.table(resource).find(column, key)
        if found is None:
            raise ClaimpackError(f"no row with {column} {key!r}", file=self.rel(resource))
        return found

    def update_row(self, resource: str, key: str, cells: dict[str, str], column: str = "id") -> None:
        """Set cells of the row whose `column` is `key`; its other cells, and every other row, are kept."""
        table = self.table(resource)
        record = table.find(column, key)
        if record is None:
            raise ClaimpackError(f"no row with {column} {key!r}", file=table.label)
        unknown = sorted(set(cells) - set(table.header))
        if unknown:
            raise ClaimpackError(f"no column {unknown[0]!r}", file=table.label, expected=", ".join(table.header))
        merged = {**record.cells, **cells}
        self.write(table.label, table.replaced(record, merged).encode("utf-8"))

    def remove_row(self, resource: str, key: str, column: str = "id") -> dict[str, str]:
        """Remove the row whose `column` is `key`; return its cells."""
        table = self.table(resource)
        record = table.find(column, key)
        if record is None:
            raise ClaimpackError(f"no row with {column} {key!r}", file=table.label)
        self.write(table.label, table.replaced(record, None).encode("utf-8"))
        return record.cells

    def insert_row(self, resource: str, cells: dict[str, str], *, after: str | None = None,
                   column: str = "id") -> None:
        """Add a row: after the row whose `column` is `after`, or at the end."""
        table = self.table(resource)
        unknown = sorted(set(cells) - set(table.header))
        if unknown:
            raise ClaimpackError(f"no column {unknown[0]!r}", file=table.label, expected=", ".join(table.header))
        anchor = table.find(column, after) if after is not None else None
        if anchor is None:
            text = table.appended(cells)
        else:
            text = table.text[:anchor.end] + table.line_of(cells) + table.text[anchor.end:]
        self.write(table.label, text.encode("utf-8"))

    def append_line(self, rel: str, line: bytes, header: bytes) -> None:
        """Append one line to an append-only log (its header first when the file is new or empty)."""
        old = self.read(rel) or b""
        if not old:
            old = header
        if not old.endswith(b"\n"):
            old += b"\n"  # a hand-written last line without its newline: complete it, never rewrite it
        self.write(rel, old + line)

    # ---- coverage exclusions --------------------------------------------------------------------
    @property
    def exclusions_rel(self) -> str | None:
        return self.package.config.get("exclusions")

    def exclusions(self) -> CsvText:
        rel = self.exclusions_rel
        if not rel:
            raise ClaimpackError("the package keeps no coverage exclusions", file=DESCRIPTOR,
                                 field="claimpack.exclusions", expected="a path such as "
                                 "validation/coverage-exclusions.csv")
        data = self.read(rel)
        if not data:
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerow(EXCLUSIONS_HEADER)
            return CsvText(out.getvalue(), rel)
        return CsvText(self.text(rel), rel)

    def add_exclusion(self, number: str, context: str, reason: str) -> dict[str, str]:
        table = self.exclusions()
        cells = {"number": number, "context": context, "reason": reason}
        self.write(table.label, table.appended(cells).encode("utf-8"))
        return cells

    def remove_exclusion_row(self, line: int) -> bool:
        """Remove the exclusion at a row number of its file (the header is row 1); False when there is none."""
        table = self.exclusions()
        for record in table.records:
            if record.line == line:
                self.write(table.label, table.replaced(record, None).encode("utf-8"))
                return True
        return False

    def remove_exclusion(self, cells: dict[str, str]) -> bool:
        """Remove the first exclusion row with these cells; False when there is none."""
        table = self.exclusions()
        for record in table.records:
            if all(record.cells.get(key, "").strip() == value.strip() for key, value in cells.items()):
                self.write(table.label, table.replaced(record, None).encode("utf-8"))
                return True
        return False

    # ---- vocabulary -----------------------------------------------------------------------------
    def declare_unit(self, unit: str, description: str, suites=None) -> bool:
        """Add a unit to the package's vocabulary (`claimpack.units`) and the claims schema's enumeration,
        and write the Great Expectations suites `suites` generates from the descriptor (claimpack.init.suites,
        passed in: the model knows no suite generator).

        Returns False when the package knows the unit already (nothing changes).
        """
        settings = self.descriptor.setdefault("claimpack", {})
        units = settings.get("units")
        known = set(units) if isinstance(units, dict) else set()
        field = next((f for f in self._fields("claims") if f.get("name") == "unit"), None)
        enum = (field or {}).get("constraints", {}).get("enum") if field else None
        if unit in known and (not isinstance(enum, list) or unit in enum):
            return False
        if isinstance(units, dict) or units is None:
            settings["units"] = {**(units or {}), unit: description}
        if isinstance(enum, list) and unit not in enum:
            enum.append(unit)
        if suites is not None:
            self.regenerate_suites(suites, ("claims",))  # units enter the claims suite only
        return True

    def _fields(self, resource: str) -> list[dict]:
        for item in self.descriptor.get("resources", []):
            if item.get("name") == resource:
                schema = item.get("schema")
                return [f for f in schema.get("fields", []) if isinstance(f, dict)] if isinstance(schema, dict) \
                    else []
        return []

    def regenerate_suites(self, suites, names: tuple[str, ...] | None = None) -> list[str]:
        """Write the Great Expectations suites the descriptor now generates; the files whose text changes are
        part of this change. `suites` is the generator's module (claimpack.init.suites): its `outputs`, `build`
        and `suite_json`, and the `GENERATED` line that ends the hand-written head of great_expectations.yml.
        `names`: only the suites of these resources (what a change to their schema alone can alter)."""
        outputs, generated = suites.outputs, suites.GENERATED
        gx_rel = str(self.package.config.get("expectations") or "validation/gx")
        safe_path(self.root, gx_rel, DESCRIPTOR, "claimpack.expectations", kind="directory")
        required = []
        for name in [r.get("name") for r in self.descriptor.get("resources", [])]:
            data = self.read(f"{gx_rel}/expectations/{name}.json")
            if data and b"expect_table_row_count_to_be_between" in data:
                required.append(name)
        changed = []
        if names is not None:
            gx = suites.gx_modules()[0]
            built = suites.build(self.descriptor, tuple(required))
            made = {Path(gx_rel) / "expectations" / f"{name}.json": suites.suite_json(gx, name, built[name])
                    for name in names if name in built and self.package.has(name)}
        else:
            head = self.text(f"{gx_rel}/great_expectations.yml").split(generated)[0]
            made = outputs(Path(gx_rel), self.descriptor, tuple(required), head)
        for path, text in made.items():
            rel = str(path)
            data = text.encode("utf-8")
            if self.read(rel) != data:
                self.write(rel, data)
                changed.append(rel)
        return changed

    # ---- writing --------------------------------------------------------------------------------
    def resources_changed(self) -> list[str]:
        return [r["name"] for r in self.descriptor.get("resources", [])
                if isinstance(r.get("path"), str) and r["path"] in self.after]

    def files(self) -> dict[str, bytes | None]:
        """Every file this change writes, the descriptor last, with the sha256 and size of each changed
        resource recorded in it."""
        for resource in self.descriptor.get("resources", []):
            rel = resource.get("path")
            if isinstance(rel, str) and rel in self.after and self.after[rel] is not None:
                data = self.after[rel]
                resource["hash"], resource["bytes"] = f"sha256:{sha256_bytes(data)}", len(data)
        changed = {rel: data for rel, data in self.after.items() if data != self.before.get(rel)}
        descriptor = descriptor_text(self.descriptor).encode("utf-8")
        if descriptor != self._descriptor_before:
            changed[DESCRIPTOR] = descriptor
        return changed

    def files_before(self) -> dict[str, bytes | None]:
        """What each file `files` writes held before (None: it did not exist)."""
        found = {rel: self.before.get(rel) for rel in self.files()}
        if DESCRIPTOR in found:
            found[DESCRIPTOR] = self._descriptor_before
        return found

    def commit(self) -> dict[str, bytes | None]:
        """Write every changed file at once (all or none); return what was written."""
        return write_files(self.root, self.files())


def write_files(root: Path, files: dict[str, bytes | None]) -> dict[str, bytes | None]:
    """Write files of a package at once (all or none, the descriptor last); None removes a file."""
    ordered = sorted(files.items(), key=lambda item: item[0] == DESCRIPTOR)
    writes = [(safe_path(root, rel, DESCRIPTOR, "path"), data) for rel, data in ordered if data is not None]
    atomic_write_all(writes)
    for rel, data in ordered:
        if data is None:
            safe_path(root, rel, DESCRIPTOR, "path").unlink(missing_ok=True)
    return files


def stage(root: Path, target: Path, files: dict[str, bytes | None], rels: Iterable[str]) -> None:
    """Mirror a package into `target` for validating a change before it is written: every file of
    `rels` (resources, the exclusions, the GX project) as it is in `root`, then `files` over them."""
    import shutil

    for rel in rels:
        source = root / rel
        place = target / rel
        if source.is_dir():
            shutil.copytree(source, place, dirs_exist_ok=True, ignore=shutil.ignore_patterns("uncommitted",
                                                                                              "__pycache__"))
        elif source.is_file():
            place.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, place)
    for rel, data in files.items():
        place = target / rel
        if data is None:
            place.unlink(missing_ok=True)
        else:
            place.parent.mkdir(parents=True, exist_ok=True)
            place.write_bytes(data)


def as_json(cells: dict[str, str]) -> str:
    return json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
