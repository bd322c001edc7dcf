"""Why a number is not a figure: the reasons a reviewer picks from when rejecting a candidate, and a guess.

A rejected candidate becomes coverage exclusions (validation/coverage-exclusions.csv) whose
`reason` is one of these sentences: the classes `claimpack init` excludes numbers by
(claimpack.init.names.REASONS: a law, a numbered part, a version, a page, a name, a date, an
address, code, a citation, an ordinal), and two of the reviewer's own, a note marker and "not a
figure". The guess is init's own classification of the number where it stands
(claimpack.init.candidates.Proposer.reason_for), so that a figure init proposed by mistake is
rejected for the reason init gives the numbers it excludes; else a digit glued to the words before
it is a note marker, and anything else "not a figure".
"""

from __future__ import annotations

from ..init.names import REASONS as INIT_REASONS

# The menu, in the order shown: init's classes, the most common first, then the reviewer's own.
_OWN = {"note-marker": "a note marker, not a figure", "not-a-figure": "not a figure"}
MENU = ("date", "version", "numbering", "name", "law", "page", "citation", "citation-year", "ordinal", "address",
        "code", "note-marker", "not-a-figure")
REASONS = {key: INIT_REASONS.get(key) or _OWN[key] for key in MENU}
LABELS = {
    "date": "date", "version": "version", "numbering": "list or part number", "name": "identifier",
    "law": "law or bill", "page": "page", "citation": "in a citation", "citation-year": "citation year",
    "ordinal": "ordinal", "address": "address", "code": "code", "note-marker": "note marker",
    "not-a-figure": "not a figure",
}


def guess(proposer, text: str, start: int, end: int) -> str:
    """The reason most likely for the number text[start:end] of a block (a key of REASONS). `proposer`: a
    claimpack.init.candidates.Proposer of the package's paper and vocabulary."""
    found = proposer.reason_for(text, start, end)
    if found is not None:
        return found
    token, after = text[start:end], text[end:end + 12]
    if start > 0 and (text[start - 1] in ".,;:!?\"'”’)" or text[start - 1].isalpha()) and token.isdigit() \
            and len(token) <= 3 and (not after or after[:1].isspace() or after[:1] in ".,;"):
        return "note-marker"  # "arrested."2 The ...: a marker glued to the words before it
    return "not-a-figure"
