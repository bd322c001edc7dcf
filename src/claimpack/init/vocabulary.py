"""Declare a unit once, in the descriptor, and write what is generated from it.

`add_unit(root, code, description, words)` adds a unit to the package's `claimpack.units` (and its
measure words to `claimpack.unit_words`) with the claims schema's unit enum and the claims suite
generated from them; `sync` writes the enum and every suite from the descriptor. `claimpack
vocabulary add-unit` and `claimpack vocabulary sync` are this module. Both go through
`claimpack.model.mutation.Mutation` (the review workbench declares a unit a reviewer types the
same way, `Mutation.declare_unit`): every file is written at once, all or none.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from ..model.mutation import Mutation
from ..model.package import DESCRIPTOR, safe_path
from ..model.units import declared, generate
from . import suites


@dataclass(frozen=True)
class Added:
    code: str
    description: str
    words: tuple[str, ...]
    changed: tuple[str, ...]  # the files written, relative to the package (none: it was declared already)


def _written(change: Mutation) -> tuple[str, ...]:
    """Write a change at once; the files it wrote, the descriptor first."""
    files = change.commit()
    return tuple(sorted(files, key=lambda rel: rel != DESCRIPTOR))


def sync(root: Path) -> tuple[str, ...]:
    """Write the claims unit enum and the Great Expectations suites from claimpack.units; the files changed."""
    change = Mutation(Path(root))
    change.descriptor = generate(copy.deepcopy(change.descriptor))
    gx_rel = change.package.config.get("expectations")
    if isinstance(gx_rel, str) and gx_rel:
        gx_dir = safe_path(change.root, gx_rel, DESCRIPTOR, "claimpack.expectations", kind="directory")
        if (gx_dir / "great_expectations.yml").is_file():
            change.regenerate_suites(suites)
    return _written(change)


def add_unit(root: Path | str, code: str, description: str = "", words: tuple[str, ...] = ()) -> Added:
    """Declare a unit in the package at root (claimpack.units, and its measure words in
    claimpack.unit_words), with the schema enum and the claims suite generated from it.

    Raises ClaimpackError, writing nothing, for a code that is not kebab-case or a word another
    unit already has.
    """
    change = Mutation(Path(root))
    change.declare_unit(code, description, words, suites)
    units = declared(change.descriptor) or {}
    kept = tuple(" ".join(word.split()) for word in words if word.strip())
    return Added(code, units.get(code, description), kept, _written(change))
