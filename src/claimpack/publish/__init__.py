"""Publishing a package: `claimpack build`, `export` and `rehash`, and where claimpack may write.

- build: validate, write the bibliography, render the report, swap the site in atomically;
- export, linked_data: the package in the formats other tools read (CSV, SQLite, XLSX, CSL, BibTeX,
  ClaimReview, RO-Crate);
- outputs: output paths that are claimpack's own, never the package's;
- rehash: record the resource files' hashes, deliberately.
"""

TEXT_FORMATS = ("csv", "json", "csl-json", "bibtex", "claimreview", "ro-crate")
BINARY_FORMATS = ("sqlite", "xlsx")  # written to a file (-o), never to standard output
FORMATS = TEXT_FORMATS[:2] + BINARY_FORMATS + TEXT_FORMATS[2:]  # `claimpack export FORMAT`
