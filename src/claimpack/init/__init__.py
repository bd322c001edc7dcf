"""`claimpack init`: a complete package of candidate records for any paper.

- writer: the package written whole (`init`);
- candidates: candidate claims, events and exclusions for every number of the paper;
- events: candidate events, and the dates a note gives (excluded);
- quoting: a record's quote and id as written;
- backing: the note, cited work and page that back each candidate;
- suites: the Great Expectations suites generated from the package's schemas;
- examples: the example papers that ship inside claimpack (`claimpack example`).
"""
