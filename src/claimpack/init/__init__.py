"""`claimpack init`: a complete package of candidate records for any paper.

- writer: the package written whole (`init`);
- candidates: candidate claims, events and exclusions for every number of the paper;
- suites: the Great Expectations suites generated from the package's schemas.
"""
