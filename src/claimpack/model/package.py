"""Load a claims package: the descriptor, its tables and the paper, with no heavy dependency.

Everything here is the standard library so that `show` and `find` answer fast; frictionless
and Great Expectations are used by the validation layers only.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

from ..system.problems import ClaimpackError, Problem
from .paths import DESCRIPTOR, read_json, read_text, safe_path
from .tables import Limits, Table, check_rows, check_size, read_table

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
    # "counted": the notes' text is the paper's too (its figures recorded, its numbers counted by coverage);
    # "apart": notes are only what backs the body's figures (packages made before init read notes' figures)
    "notes": "apart",
    "own_source": None,
    "exclusions": "validation/coverage-exclusions.csv",
    "expectations": "validation/gx",
    "report": "report/index.qmd",
}



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
            return Paper.parse_blocks(self.paper_text, bibliography=self.config["bibliography"],
                                      note_blocks=self.config["notes"] == "counted")
        return Paper.parse(self.paper_text, body_start=self.config["body_start"],
                           bibliography=self.config["bibliography"], note_blocks=self.config["notes"] == "counted")

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


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def archive_name(descriptor: dict) -> str:
    """The data zip's file name, from the package's name and version made safe as one file name."""
    parts = []
    for key, default in (("name", "package"), ("version", "")):
        value = descriptor.get(key)
        text = _SAFE_NAME.sub("-", value if isinstance(value, str) else "").strip(".-_")[:80]
        parts.append(text or default)
    stem = "-".join(part for part in parts if part) or "package"
    return f"{stem}.zip"
