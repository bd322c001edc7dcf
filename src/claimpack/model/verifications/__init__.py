"""The fact-checkers' append-only log, data/verifications.csv: its schema, reading it and its
hash chain, the lock its writers share, and the checks a new verdict must pass.

`claimpack.factcheck.verify` appends to it; `claimpack.validation.layers.verifications` validates it; the domain
model (`claimpack.model.domain`) reads its verdicts.
"""
