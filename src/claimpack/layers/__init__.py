"""The validation layers: frictionless, Great Expectations, provenance, consistency, coverage, cross-checks."""
