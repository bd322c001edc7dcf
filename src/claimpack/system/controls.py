"""Characters that must never hide in a package's text, and text made safe for a terminal.

Refused in any text cell (validation fails, naming the cell):
- C0 controls other than tab, line feed and carriage return, DEL, and C1 controls: NUL, the
  ESC that starts a terminal's CSI and OSC sequences, and their one-byte C1 forms (U+009B, U+009D);
- the Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
  which make text display in an order other than the one it is stored in.

Reported as a warning: invisible characters that change no meaning a reader can see but can
make two equal-looking texts differ (zero-width space, joiners, word joiner, a byte-order mark
inside text, the left-to-right and right-to-left marks).
"""

from __future__ import annotations

import re
import unicodedata

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u061c\u180e]")
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff\u061c]")
# the same, and the line feed (and line and paragraph separators): for a line that must stay one line
_TERMINAL_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f"
                            "\u2060-\u2064\ufeff\u061c]")


CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\x1b": "ESCAPE", "\x7f": "DELETE",
                 "\x85": "NEXT LINE", "\x90": "DEVICE CONTROL STRING", "\x9b": "CONTROL SEQUENCE INTRODUCER",
                 "\x9d": "OPERATING SYSTEM COMMAND"}


def describe(char: str) -> str:
    """'U+001B (ESCAPE)' for a character."""
    name = unicodedata.name(char, "") or CONTROL_NAMES.get(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def forbidden_in(text: str) -> tuple[int, str] | None:
    """(position from 1, character) of the first forbidden character, or None."""
    found = FORBIDDEN.search(text)
    return (found.start() + 1, found.group()) if found else None


def invisible_in(text: str) -> tuple[int, str] | None:
    """(position from 1, character) of the first invisible character, or None."""
    found = INVISIBLE.search(text)
    return (found.start() + 1, found.group()) if found else None


def only_invisible(text: str) -> bool:
    """True when text holds nothing a reader can see (empty, white space, invisible or control characters)."""
    return not FORBIDDEN.sub("", INVISIBLE.sub("", text)).strip()


def terminal_safe(text: str, *, lines: bool = False) -> str:
    """Text that cannot drive a terminal: every control, bidi or invisible character (tab kept) is shown as
    its escape, \\x1b or \\u202e, instead of being sent.

    A line feed is escaped too (\\x0a), so that a line claimpack prints stays one line: a file or
    directory name, an argument or a cell holding one cannot forge another ("claimpack: valid").
    `lines`: the text is many lines of claimpack's own making (a table, a CSV), and its line feeds stay.
    """
    if text.isascii() and text.isprintable():
        return text
    return (_TERMINAL if lines else _TERMINAL_LINE).sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_safe(text: str) -> str:
    """JSON text with the same characters escaped as \\uXXXX (it parses to the same value)."""
    return _TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def terminal_safe_data(value):
    """A JSON-like value with every string made terminal_safe (dict keys included)."""
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, dict):
        return {terminal_safe_data(k): terminal_safe_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(terminal_safe_data(v) for v in value)
    return value
