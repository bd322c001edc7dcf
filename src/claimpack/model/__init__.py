"""The package and its domain: loading, the typed records, and the vocabulary they are read with.

- package: the descriptor, its tables and the paper, loaded with the standard library only;
- intake, shapes, integrity: what the reader makes of a package, the descriptor's shape, its hashes;
- domain: `Model`, the package read once into typed records, every join done there;
- vocabulary, numbers, dates, expressions: the words a paper counts with, figures as printed, event
  dates, and checks.csv's arithmetic;
- defects, bibliography, verifications: the paper's own defects, its sources as a bibliography, and
  the fact-checkers' log.
"""
