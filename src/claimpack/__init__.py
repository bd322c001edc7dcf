"""claimpack: turn a paper's figures into a verifiable data package and a report rebuilt from it.

The Python API, for a notebook, a Quarto document or a script (the `claimpack` command is a thin
layer over it):

    import claimpack

    model = claimpack.load("path/to/package")       # the package model: claims, events, sources, ...
    model.claim("imet-training-funding-latam-2000-2017").figure

    report = claimpack.validate("path/to/package")  # or claimpack.validate(model)
    report.valid                                    # True when no layer found an error
    for problem in report.problems:                 # code, message, file, row, field, subject
        print(problem.code, problem.line())

Importing claimpack is cheap: each function imports what it needs when it is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from os import PathLike
    from pathlib import Path

    from .model.domain import Model
    from .model.package import Package
    from .system.problems import Report

__version__ = "0.1.0"
__all__ = ["__version__", "load", "validate"]


def load(path: str | PathLike[str] = ".") -> Model:
    """Load the package at path into its model: every record read once, every join made once.

    Raises claimpack.system.problems.ClaimpackError (one line naming the file) when there is no
    package to read there.
    """
    from .model.domain import Model

    return Model.load(path)


def validate(package: str | PathLike[str] | Model | Package = ".", *, skip: Iterable[str] = (),
             docs_dir: Path | None = None, progress: Callable[[str], None] | None = None) -> Report:
    """Validate a package with every layer: frictionless, Great Expectations, provenance, consistency,
    coverage and the cross-checks; every problem of every layer is in the report.

    `package` is a path, or a package already loaded (`claimpack.load`). `skip` names layers to
    leave out; `docs_dir` is where Great Expectations' Data Docs are built; `progress` is told
    each step. The report's `.valid` is True when no layer found an error; `.problems` holds
    every problem (errors, warnings and the findings the package records as defects), each with
    its code, message, file, row, field and subject. Validation reads the package as it is on
    disk: a result saved for these very inputs is returned without validating again.
    """
    from .model.domain import Model
    from .model.package import Package
    from .validation.validate import validate as run

    if isinstance(package, Model):
        package = package.package
    root = package.root if isinstance(package, Package) else package
    return run(root, skip=skip, docs_dir=docs_dir, progress=progress)


def __getattr__(name: str):
    # `from claimpack import charts` in the reports of packages made before the charts moved
    # into claimpack.report
    if name == "charts":
        from .report import charts

        return charts
    raise AttributeError(f"module 'claimpack' has no attribute {name!r}")
