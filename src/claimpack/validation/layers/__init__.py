"""The validation layers: frictionless, Great Expectations, provenance, consistency, coverage, cross-checks.

`LAYERS` declares them in the order validate runs them, each with the checks it owns.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    """One validation layer: its name, the module of this package that implements it, and the checks it owns."""

    name: str
    module: str
    owns: str


LAYERS = (
    Layer("frictionless", "frictionless_layer",
          "the schema: types, required fields, enums, patterns, bounds, keys, foreign keys, the header and the row "
          "shape, and each file's recorded sha256 and size"),
    Layer("expectations", "expectations",
          "the suites' expectations that restate no other layer's check: plausible ranges per unit, dates not after "
          "the paper, conditional fields, orderings, blank text"),
    Layer("provenance", "provenance",
          "each record against the paper: quotes, figures, values, bounds, qualifiers, units, footnotes, cited works "
          "and pages, Ibid., the bibliography, and the verifications log"),
    Layer("consistency", "consistency", "every relation of checks.csv, and every expression in it"),
    Layer("coverage", "coverage", "every number of the paper's body, and the coverage exclusions"),
    Layer("crosscheck", "crosschecks",
          "warnings: footnotes against the bibliography, repeated figures, derived claims"),
)
NAMES = tuple(layer.name for layer in LAYERS)
BY_NAME = {layer.name: layer for layer in LAYERS}
