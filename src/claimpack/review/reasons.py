"""Why a number is not a figure: the reasons a reviewer picks from when rejecting a candidate, and a guess.

A rejected candidate becomes coverage exclusions (validation/coverage-exclusions.csv) whose
`reason` is one of these sentences. The guess reads the words around the figure with the same
patterns `claimpack init` classifies numbers by (claimpack.candidates): an identifier before it
("Article 51", "MS-13"), a citation around it, a year; and a few of its own: a version, a list
item's number, a page, a note marker.
"""

from __future__ import annotations

import re

# What claimpack init classified numbers by (claimpack.init.candidates before claimpack.init.names):
# a citation around the number, an identifier's word or capitals before it, a year.
_CITATION = re.compile(r"\((?:[^()]*?\b[A-Z][^\s(),]+(?: et al\.)?,? (?:1[5-9]|20)\d\d[a-z]?\b[^()]*)\)"
                       r"|\[@[^\]]*\]|\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\](?:\s*[–-]\s*\[\d{1,3}\])?")
_IDENTIFIER_BEFORE = re.compile(
    r"(?:\b(?:Article|Art\.|Section|Sec\.|Chapter|Ch\.|No\.|Nos\.|Number|Resolution|Res\.|Act|Law|Decree|Table|"
    r"Figure|Fig\.|Appendix|Annex|Part|Volume|Vol\.|Page|p\.|pp\.|Rule|Protocol|Item|Box|Phase|Level|Title|"
    r"Route|Highway|Flight|Class|Grade|Step|Stage|Model|Version)|§|[A-Za-z]-|#)\s?\Z")
_UPPER_IDENTIFIER = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]+)?\s\Z")
_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)s?")

REASONS = {
    "version": "a version number, not a figure",
    "list-number": "a list item's number, not a figure",
    "identifier": "part of a name or identifier, not a figure",
    "date": "a date (a year, a month or a day), not a figure",
    "page": "a page number, not a figure",
    "note-marker": "a note marker, not a figure",
    "not-a-figure": "not a figure",
}
LABELS = {
    "version": "version", "list-number": "list number", "identifier": "identifier", "date": "date",
    "page": "page", "note-marker": "note marker", "not-a-figure": "not a figure",
}
_VERSION_BEFORE = re.compile(r"(?:\b(?:version|release|v|ver\.?|python|node|java|ubuntu|windows|macos|ios|"
                             r"android|gpt|llama|api)\s?-?)\Z", re.I)
_VERSION = re.compile(r"\d+\.\d+(?:\.\d+)+|v\d+(?:\.\d+)*", re.I)
_PAGE_BEFORE = re.compile(r"(?:\b(?:p|pp|page|pages|pg)\.?\s?)\Z", re.I)
_LIST_START = re.compile(r"\A\s*(?:[-*+]\s+)?\(?\Z")
_MONTHS = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                     r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?", re.I)


def guess(text: str, start: int, end: int, block_kind: str = "paragraph") -> str:
    """The reason most likely for the number text[start:end] of a block (a key of REASONS)."""
    token = text[start:end]
    before = text[max(0, start - 16):start]
    after = text[end:end + 12]
    if _VERSION.fullmatch(token) or _VERSION_BEFORE.search(before):
        return "version"
    if block_kind == "list-item" and _LIST_START.match(text[:start]) and re.match(r"[.)]\s", after):
        return "list-number"
    if re.match(r"\A\s*\(?\Z", text[:start]) and re.match(r"[.)]\s", after) and token.isdigit():
        return "list-number"
    if _PAGE_BEFORE.search(before):
        return "page"
    if start > 0 and (text[start - 1] in ".,;:!?\"'”’)" or text[start - 1].isalpha()) and token.isdigit() \
            and len(token) <= 3 and (not after or after[:1].isspace() or after[:1] in ".,;"):
        return "note-marker"  # "arrested."2 The ...: a marker glued to the words before it
    if any(a <= start < b for a, b in (m.span() for m in _CITATION.finditer(text))):
        return "page" if not _YEAR.fullmatch(token) else "date"
    if _IDENTIFIER_BEFORE.search(text[max(0, start - 14):start]) or _UPPER_IDENTIFIER.search(
            text[max(0, start - 12):start]) or (after[:1] == "-" and after[1:2].isalpha()):
        return "identifier"
    if _YEAR.fullmatch(token) or _MONTHS.search(text[max(0, start - 12):end + 12]):
        return "date"
    return "not-a-figure"
