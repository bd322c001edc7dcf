"""Declare a unit once, in the descriptor, and write what is generated from it.

`add_unit(root, code, description, words)` adds a unit to the package's `claimpack.units` (and its
measure words to `claimpack.unit_words`), then `sync` writes the claims schema's unit enum and
the Great Expectations suites from the descriptor. `claimpack vocabulary add-unit` and
`claimpack vocabulary sync` are this module; the review workbench calls `add_unit` when a
reviewer types a unit the package does not have yet.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..model.integrity import write_descriptor
from ..model.package import DESCRIPTOR, Package, safe_path
from ..model.units import _unit_field, declared, describe, generate
from ..model.vocabulary import UNIT_CODE
from ..system.problems import ClaimpackError
from .suites import RESOURCES, outputs


@dataclass(frozen=True)
class Added:
    code: str
    description: str
    words: tuple[str, ...]
    changed: tuple[str, ...]  # the files written, relative to the package


def sync(root: Path) -> tuple[str, ...]:
    """Write the claims unit enum and the Great Expectations suites from claimpack.units; the files changed."""
    package = Package.load(root)
    descriptor = generate(json.loads(json.dumps(package.descriptor)))
    changed = []
    if descriptor != package.descriptor:
        write_descriptor(package.root, descriptor)
        changed.append(DESCRIPTOR)
    gx_rel = package.config.get("expectations")
    if isinstance(gx_rel, str) and gx_rel:
        gx_dir = safe_path(package.root, gx_rel, DESCRIPTOR, "claimpack.expectations", kind="directory")
        if (gx_dir / "great_expectations.yml").is_file():
            required = tuple(name for name in RESOURCES if _requires_rows(gx_dir / "expectations" / f"{name}.json"))
            for path, text in outputs(gx_dir, descriptor, required).items():
                current = path.read_text(encoding="utf-8") if path.is_file() else None
                if current != text:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
                    changed.append(os.path.relpath(path, package.root.resolve()))
    return tuple(changed)


def _requires_rows(suite: Path) -> bool:
    """Does this suite (as written) require at least one row? init leaves it out for an empty table."""
    try:
        return "expect_table_row_count_to_be_between" in suite.read_text(encoding="utf-8")
    except OSError:
        return False


def add_unit(root: Path | str, code: str, description: str = "", words: tuple[str, ...] = ()) -> Added:
    """Declare a unit in the package at root (claimpack.units, and its measure words in
    claimpack.unit_words), then generate the schema enum and the suites from it.

    Raises ClaimpackError, writing nothing, for a code that is not kebab-case or a word another
    unit already has.
    """
    if not isinstance(code, str) or not UNIT_CODE.fullmatch(code):
        raise ClaimpackError(f"unit code {code!r} is not a unit code", field="code",
                             expected="letters and digits joined by single hyphens (GiB, kWh, elo-points)")
    words = tuple(" ".join(word.split()) for word in words if word.strip())
    package = Package.load(Path(root))
    descriptor = json.loads(json.dumps(package.descriptor))
    settings = descriptor.setdefault("claimpack", {})
    if not isinstance(settings, dict):
        raise ClaimpackError("the claimpack section is not an object", file="datapackage.json", field="claimpack",
                             expected="an object")
    vocabulary = package.vocabulary
    units = declared(descriptor)
    if units is None:  # a package that declared none: its schema's enum was its list, described by the defaults
        item = _unit_field(descriptor)
        enum = (item or {}).get("constraints", {}).get("enum") or list(vocabulary.units)
        units = {unit: vocabulary.units.get(unit, describe(unit)) for unit in enum}
    for word in words:
        other = vocabulary.unit_word(word)
        if other is not None and other != code:
            raise ClaimpackError(f"the word {word!r} already names unit {other}", field="word",
                                 expected="a word no other unit of claimpack.unit_words has")
    units[code] = description or units.get(code) or describe(code)
    settings["units"] = units
    if words:
        unit_words = dict(settings.get("unit_words") or vocabulary.unit_words)
        unit_words.update({word: code for word in words})
        settings["unit_words"] = unit_words
    write_descriptor(package.root, generate(descriptor))
    changed = ("datapackage.json", *(path for path in sync(package.root) if path != "datapackage.json"))
    return Added(code, units[code], words, changed)


