"""The fact-checkers' append-only log, data/verifications.csv: its schema, reading it and its
hash chain, the lock its writers share, and the checks a new verdict must pass.

`claimpack.verify` appends to it; `claimpack.layers.verifications` validates it; the domain
model (`claimpack.model`) reads its verdicts.
"""
