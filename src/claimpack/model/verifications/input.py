"""Check a verdict given on the command line before anything is locked or written.

Each check returns the text to store, or raises ClaimpackError naming the option and what it
should hold.
"""

from __future__ import annotations

import math
import re
import unicodedata
from urllib.parse import urlsplit

from ...system.controls import only_invisible
from ...system.problems import ClaimpackError
from ..numbers import plain_number
from .schema import EVIDENCE, VERDICTS

MAX_TEXT = 2000


def check_verdict(verdict: str | None) -> str:
    if verdict not in VERDICTS:
        raise ClaimpackError(f"--verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    return verdict


def check_text(name: str, value: str | None) -> str:
    """One line of text for --by or --note: not empty, not too long, no control characters."""
    text = (value or "").strip()
    if not text:
        raise ClaimpackError(f"--{name} is empty: give a non-empty {name}")
    if only_invisible(text):
        raise ClaimpackError(f"--{name} is made only of invisible characters: give a {name} a reader can see")
    if len(text) > MAX_TEXT:
        raise ClaimpackError(f"--{name} is {len(text):,} characters long, more than {MAX_TEXT:,}")
    bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != "\u200d"), None)
    if bad is not None:
        raise ClaimpackError(f"--{name} contains the control character U+{ord(bad):04X}: give one line of text")
    return text


def check_evidence(url: str | None) -> str:
    if url is None or url == "":
        return ""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not re.fullmatch(EVIDENCE, url):
        raise ClaimpackError(f"--evidence {url!r} is not an http or https address "
                             "(such as https://example.org/report.pdf)")
    return url


def check_value(value: str | float | None) -> str:
    """The value as it is stored: the shortest text that reads back as the same number."""
    if value is None or value == "":
        return ""
    try:
        text = str(value).strip()
        if "_" in text:
            raise ValueError(text)
        number = float(text)
    except ValueError:
        raise ClaimpackError(f"--value {value!r} is not a number (give one such as 236000000)") from None
    if not math.isfinite(number):
        raise ClaimpackError(f"--value {value!r} is not a finite number (give one such as 236000000)")
    return plain_number(number)
