"""Escape untrusted text for pandoc's Markdown reader."""

from __future__ import annotations

import re
import string

_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(text: str) -> str:
    """Return Markdown that pandoc reads back as exactly `text`, as inert literal characters.

    Every ASCII punctuation character is backslash-escaped (pandoc's `all_symbols_escapable`), so
    no HTML tag, link, emphasis, citation, math, shortcode or footnote can start; runs of white
    space, line breaks included, become one space so the text cannot open a new block.
    """
    text = _WHITESPACE.sub(" ", str(text).replace("\x00", ""))
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)
