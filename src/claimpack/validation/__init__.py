"""`claimpack validate`: the reader, then every layer, each a leaf that only validation imports.

- validate: the run (every layer, every problem reported once);
- layers/: frictionless, Great Expectations, provenance, consistency, coverage, cross-checks,
  the verifications log;
- results: a validation saved once per content hash; data_docs and gx_project: Great
  Expectations' Data Docs published offline, and the project claimpack runs suites in.
"""

from .layers import NAMES as LAYER_NAMES

__all__ = ["LAYER_NAMES"]
