"""Escape untrusted text for each output language claimpack writes: Markdown, HTML, Typst and BibTeX.

Every string that comes from the data reaches a page through one of these, so a quote holding
`<script>` or `[x](javascript:...)` prints as the literal text it is.
"""

from __future__ import annotations

import functools
import html as _html
import re
import string

_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_PUNCTUATION = frozenset(string.punctuation)
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LIVE_EMPHASIS = re.compile(r"\\\*([^\s*\\](?:[^*]*?[^\s*\\])?)\\\*")
# An http(s) address of URL characters only (RFC 3986): nothing in it can close the link.
_URL_SAFE = re.compile(r"^(?:https?://)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
# A Markdown inline link [text](address) or autolink <address> in text from a Markdown source.
_SOURCE_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\s]+)\)|<(https?://[^<>\s]+)>")


# ---- Markdown (pandoc's reader) ------------------------------------------------------------------
class Markdown(str):
    """Trusted Markdown built by claimpack: inserted as is by Quarto and by the built-in engine."""

    def _repr_markdown_(self) -> str:
        return str(self)


def markdown(text: object, *, emphasis: bool = False) -> Markdown:
    """Return Markdown that pandoc reads back as exactly `text`, as inert literal characters.

    Every ASCII punctuation character is backslash-escaped (pandoc's `all_symbols_escapable`), so
    no HTML tag, link, emphasis, citation, math, shortcode or footnote can start; runs of white
    space, line breaks included, become one space so the text cannot open a new block. With
    emphasis=True, pairs of asterisks stay live so that a footnote's *italic titles* print as
    italics; an asterisk cannot open a link, raw HTML or anything else.
    """
    flat = _WHITESPACE.sub(" ", str(text if text is not None else "").replace("\x00", ""))
    escaped = "".join("\\" + char if char in _PUNCTUATION else char for char in flat)
    if emphasis:
        escaped = _LIVE_EMPHASIS.sub(r"*\1*", escaped)
    return Markdown(escaped)


def markdown_link(url: str | None, text: str | None = None) -> Markdown:
    """A link only to http(s) or doi addresses; anything else is printed as inert text."""
    if not url:
        return Markdown("")
    target = f"https://doi.org/{url[4:]}" if url.startswith("doi:") else url
    if not _URL_SAFE.match(target):
        return markdown(url)
    return Markdown(f"[{markdown(text or url)}](<{target}>)")


def markdown_with_links(text: str, *, emphasis: bool = False) -> Markdown:
    """Text from a Markdown source (a footnote of the paper) as a reader saw it: its links and
    autolinks to http(s) addresses stay links, showing their text; everything else is inert, and
    a link to any other address shows only its text."""
    parts, done = [], 0
    for found in _SOURCE_LINK.finditer(text):
        label, url, auto = found.groups()
        parts.append(markdown(text[done:found.start()], emphasis=emphasis))
        target = auto or url
        parts.append(markdown_link(target, auto or label) if _URL_SAFE.match(target) else markdown(label or ""))
        done = found.end()
    parts.append(markdown(text[done:], emphasis=emphasis))
    return Markdown("".join(parts))


def markdown_code(text: object) -> Markdown:
    """A code span; code spans are literal, so only backticks need keeping out."""
    return Markdown("`" + str(text).replace("`", "'") + "`")


def unescape_markdown(text: str) -> str:
    """Text without the backslash escapes of Markdown (the paper's `\\$236` reads `$236`)."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text) if "\\" in text else text


# ---- identifiers ------------------------------------------------------------------------------------
_ID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def element_id(prefix: str, key: object) -> str:
    """An element id (and #fragment) made from a record's id: letters, digits and hyphens kept, any
    other character written _hex_. A record's id is data (the descriptor's pattern is the package's
    own, not a guarantee), so none can close the attribute or link it stands in, or add another."""
    return prefix + "".join(c if c in _ID_SAFE else f"_{ord(c):x}_" for c in str(key))


# ---- HTML ---------------------------------------------------------------------------------------
def html(text: object) -> str:
    """Text for an HTML element or a quoted attribute value."""
    return _html.escape(str(text), quote=True)


# ---- Typst --------------------------------------------------------------------------------------
def typst_string(text: str) -> str:
    """A Typst string literal, quotes included, holding text exactly (line breaks included)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


# ---- BibTeX -------------------------------------------------------------------------------------
def bibtex(text: str) -> str:
    """Text for a BibTeX field value: every character with a meaning in BibTeX or LaTeX encoded.

    Braces become \\textbraceleft{} and \\textbraceright{}: a BibTeX reader counts braces even
    after a backslash, so \\{ or \\} could still close a field and let the rest of the text add
    fields or entries.
    """
    return _bibtex_encoder().unicode_to_latex(text)


@functools.cache
def _bibtex_encoder():
    from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

    braces = UnicodeToLatexConversionRule(RULE_DICT, {ord("{"): r"\textbraceleft{}", ord("}"): r"\textbraceright{}",
                                                      ord('"'): '"'})
    return UnicodeToLatexEncoder(conversion_rules=[braces, "defaults"], replacement_latex_protection="braces-all",
                                 unknown_char_policy="keep")
