"""A paper read: the text quotes are matched against, and how it was derived from the original file.

`claimpack.text.reading` (pandoc) and `claimpack.text.pdf` (PDFium, through pypdfium2) both make a `Reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# The version of the `blocks` text claimpack writes: a change to how text is derived bumps it,
# so a package derived by an older claimpack says so rather than failing on a changed character.
# 2: a no-break or thin space between digit groups ("187 412") is kept.
# 3: an HTML paper's notes are notes, numbered as printed (claimpack.text.html_notes).
# 4: PDF read from PDFium's glyphs: word gaps, columns, accents, scripts, page-foot notes and endnotes.
# 5: an HTML note keeps a number its text starts with ("47 U.S.C. §606"): only its own number is its label.
# 6: a site generator's summary (Jekyll, Hugo) is the abstract, in the text after the date; a number raised
#    after a number in HTML, Word or ODT is its exponent: 10<sup>6</sup> is "10^6", not "106".
BLOCKS_VERSION = 6
# A space that groups digits ("187\u202f412", "12\u00a0500"): no-break, narrow no-break, thin,
# six-per-em (what pandoc reads LaTeX's \, as), figure and punctuation spaces.
DIGIT_GROUP_SPACE = "\u00a0\u202f\u2009\u2006\u2007\u2008"
_GROUPING = re.compile(rf"(?<=\d)[{DIGIT_GROUP_SPACE}](?=\d{{3}}(?!\d))")
# A run of letters this long, outside an address or an identifier, is words run together (English words
# stop near twenty letters: "internationalization" has 20)
_LONG_RUN = re.compile(r"(?<![\w/.@:-])[^\W\d_]{26,}(?![\w/@])")
_LETTERS = re.compile(r"[^\W\d_]")
_HUMP = re.compile(r"(?<=[a-z])[A-Z]")
UNMAPPED = "\ufffd"  # a glyph the PDF maps to no character, where it could stand for a figure's part


def doubtful(text: str) -> str | None:
    """Why a derived text is not to be trusted as printed, or None: glyphs mapped to no character (U+FFFD,
    pdfminer's "(cid:88)"), or letters run together for want of word gaps: one run of 40 letters or more,
    or runs of 26 or more that make a tenth of the text's letters (a macro's long name in a manual does
    not; a paragraph read without its word gaps does). Digits inside such a run are neither read as
    figures nor seen by coverage."""
    at = min((i for i in (text.find(UNMAPPED), text.find("(cid:")) if i >= 0), default=-1)
    if at >= 0:
        return f"glyphs the PDF maps to no character ({text[max(0, at - 20):at + 20].strip()!r})"
    # (a run in capitals, or in camel case with three humps or more, is a name of code: "DisplayStyleShiftDown")
    runs = [run for run in _LONG_RUN.findall(text) if not run.isupper() and len(_HUMP.findall(run)) < 3]
    if not runs:
        return None
    longest = max(runs, key=len)
    if len(longest) >= 40 or (len(runs) >= 2 and sum(map(len, runs)) >= 0.1 * len(_LETTERS.findall(text))):
        return f"words run together ({longest[:40]!r})"
    return None


def single_spaced(text: str) -> str:
    """White space made single spaces, but for a no-break or thin space that groups digits."""
    if _GROUPING.search(text) is None:
        return " ".join(text.split())
    kept = _GROUPING.sub("\x00", text)
    return " ".join(kept.split()).replace("\x00", "\u202f")


def block_count(text: str) -> int:
    """The blocks of a derived text: its lines that hold anything (one block per line)."""
    return sum(1 for line in text.split("\n") if line.strip())


# What a derivation record holds (claimpack.derivation): validate refuses a record with anything else
RECORD_FIELDS = ("tool", "version", "from", "style", "claimpack_blocks", "blocks")


@dataclass
class Derivation:
    """How the text quotes are matched against was made from the original file."""

    tool: str  # "pandoc", "pypdfium2", or "" for a text kept as it is
    version: str
    reader: str  # pandoc's reader (docx, markdown, ...) or "pdf"
    style: str  # "blocks" or "pages"

    def to_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "version": self.version, "from": self.reader, "style": self.style,
                "claimpack_blocks": BLOCKS_VERSION}

    def describe(self) -> str:
        return f"{self.tool} {self.version} ({self.reader})" if self.tool else "kept as is"


@dataclass
class Reading:
    """A paper read: its derived text and what its metadata says."""

    text: str
    derivation: Derivation
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    references: list[dict] = field(default_factory=list)  # CSL items from the paper's metadata or .bib
    citations: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # footnote -> [(key, locator)]
    keys: list[tuple[int, str, str]] = field(default_factory=list)  # (block index, key, locator) cited in the body
    links: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # footnote -> [(link text, address)]
    warnings: list[str] = field(default_factory=list)  # what the reader could not read, for init to say
