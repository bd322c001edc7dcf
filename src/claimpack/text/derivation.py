"""A paper read: the text quotes are matched against, and how it was derived from the original file.

`claimpack.text.reading` (pandoc) and `claimpack.text.pdf` (pdfplumber) both make a `Reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# The version of the `blocks` text claimpack writes: a change to how text is derived bumps it,
# so a package derived by an older claimpack says so rather than failing on a changed character.
# 2: a no-break or thin space between digit groups ("187 412") is kept.
# 3: an HTML paper's notes are notes, numbered as printed (claimpack.text.html_notes).
BLOCKS_VERSION = 3
# A space that groups digits ("187\u202f412", "12\u00a0500"): no-break, narrow no-break, thin,
# six-per-em (what pandoc reads LaTeX's \, as), figure and punctuation spaces.
DIGIT_GROUP_SPACE = "\u00a0\u202f\u2009\u2006\u2007\u2008"
_GROUPING = re.compile(rf"(?<=\d)[{DIGIT_GROUP_SPACE}](?=\d{{3}}(?!\d))")


def single_spaced(text: str) -> str:
    """White space made single spaces, but for a no-break or thin space that groups digits."""
    if _GROUPING.search(text) is None:
        return " ".join(text.split())
    kept = _GROUPING.sub("\x00", text)
    return " ".join(kept.split()).replace("\x00", "\u202f")


@dataclass
class Derivation:
    """How the text quotes are matched against was made from the original file."""

    tool: str  # "pandoc", "pdfplumber", or "" for a text kept as it is
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
