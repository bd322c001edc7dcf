"""A record's quote and id as init writes them: markers left out, a slug of its words."""

from __future__ import annotations

import re

from ..text.paper import NOTE_REF, normalize

SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def clean_quote(text: str) -> str:
    """A quote for the CSV: its footnote markers left out, white space made single."""
    return " ".join(SUPERSCRIPT_RUN.sub("", NOTE_REF.sub("", text)).split())


def slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", normalize(text).lower().replace("%", " percent "))
    found = ""
    for word in words:
        if len(found) + len(word) + 1 > limit:
            break
        found = f"{found}-{word}" if found else word
    return found or "x"
