"""Errors raised by the built-in render engine."""

from __future__ import annotations


class RenderError(Exception):
    """A document that cannot be rendered; the message reads `file:line: what is wrong (expected ...)`."""

    def __init__(self, where: str, what: str, expected: str | None = None):
        self.where = where
        self.what = what
        self.expected = expected
        message = f"{where}: {what}" if where else what
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)


class UnsupportedFeature(RenderError):
    """A Quarto feature the built-in engine does not support (Quarto itself would render it)."""

    def __init__(self, where: str, what: str, expected: str | None = None):
        super().__init__(where, f"{what} is not supported by the built-in engine", expected)
