"""The ground floor: how claimpack says what is wrong, and the plumbing every other part stands on.

- problems, codes: `Problem` (with its subject), `Report` and `ClaimpackError`, the one way a
  defect or a refusal is told, and the registry of every problem code;
- controls and escape: characters that must never hide in text, and text made safe for a terminal,
  Markdown, HTML, Typst and BibTeX;
- bounded, offline: untrusted input read in a child within a budget, and validation kept off the network;
- state, processes, files, fault_points, deferred: claimpack's own state in a package, live
  writers, what a path is in words, the points where tests kill a command, and modules imported
  only when first used.

Nothing here imports any other part of claimpack.
"""
