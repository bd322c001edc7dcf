"""The scale and unit a table states once for its cells: "(dollars in millions)", "($ millions)",
"(in billions of dollars)", "in thousands", "(%)".

Reports print a table's amounts bare ("$88.0") and say once, in its caption, the line under it or a
column's head, what they are counted in. A cell's figure is then the printed number times that
scale, in that unit: "$88.0" under "(dollars in millions)" is 88,000,000 USD. The statement is read
from the table's own words only: the caption and the lines between it and the first row (up to
three short blocks after the last heading), and each column's head. A scale word in running text
("the 2 Million Homes Program") is no statement: it must stand in parentheses, or as "in millions",
"millions of dollars", "$ millions", "$m", "'000s".

init proposes a cell's value with its table's scale (claimpack.init.candidates), and provenance
accepts the value the same reading gives (claimpack.validation.layers.provenance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .paper import Block, Paper

SCALES = {"thousand": 1e3, "thousands": 1e3, "000": 1e3, "000s": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6,
          "mn": 1e6, "m": 1e6, "mil": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9,
          "trillion": 1e12, "trillions": 1e12, "tn": 1e12}
# What a statement counts in: a currency, by its word or sign
CURRENCIES = {"dollars": "USD", "dollar": "USD", "$": "USD", "usd": "USD", "us$": "USD", "euros": "EUR",
              "euro": "EUR", "€": "EUR", "eur": "EUR", "pounds": "GBP", "£": "GBP", "gbp": "GBP", "yen": "JPY",
              "¥": "JPY", "francs": "CHF", "chf": "CHF"}
_WORD = r"thousands?|millions?|billions?|trillions?"
_MONEY = r"dollars?|euros?|pounds|yen|francs|usd|eur|gbp|chf|us\$|\$|€|£|¥"
_STATEMENTS = [
    # "(dollars in millions)", "(in millions of dollars)", "(amounts in thousands)", "($ millions)", "(%)"
    re.compile(rf"\(\s*(?:(?P<money>{_MONEY})\s+)?(?:[a-z ]{{0,30}}\s)?in\s+(?P<word>{_WORD})"
               rf"(?:\s+of\s+(?P<money2>{_MONEY}))?\s*\)", re.I),
    re.compile(rf"\(\s*(?P<money>{_MONEY})\s*(?P<word>{_WORD}|mn|bn|m|b|k|tn|000s?)\s*\)", re.I),
    re.compile(rf"\(\s*(?P<word>{_WORD})\s+(?:of\s+)?(?P<money>{_MONEY})\s*\)", re.I),
    # without parentheses, a statement of its own: "Dollars in millions", "in thousands of euros", "$ millions"
    re.compile(rf"(?:^|[,;:]\s*|\b(?:(?P<money>dollars|euros|pounds)|amounts?|figures?|values?|funding)\s+)"
               rf"in\s+(?P<word>{_WORD})(?:\s+of\s+(?P<money2>{_MONEY}))?\b", re.I),
    re.compile(rf"(?:^|\s)(?P<money>\$|€|£|¥|US\$)\s?(?P<word>{_WORD}|mn|bn|m|k|tn|'?000s?)(?![\w])", re.I),
    re.compile(rf"\b(?P<word>{_WORD})\s+of\s+(?P<money>{_MONEY})(?![\w])", re.I),
]
_PERCENT = re.compile(r"\(\s*(?:%|percent|per\s?cent|percentages?)\s*\)|^\s*(?:%|percent|per\s?cent)\s*$|"
                      r"\b(?:in|as)\s+(?:percent|per\s?cent|%)(?![\w])", re.I)
_CAPTION_BLOCKS = 3  # how many short blocks before a table's first row may state its scale
_CAPTION_CHARS = 400


@dataclass(frozen=True)
class Scale:
    """What a table's cells are counted in: a factor and a unit ("USD", "percent"), either may be absent."""

    factor: float = 1.0
    unit: str | None = None

    def __bool__(self) -> bool:
        return self.factor != 1.0 or self.unit is not None


NONE = Scale()


def stated(text: str) -> Scale:
    """The scale and unit a caption, a line under it or a column head states, or NONE."""
    text = " ".join(text.replace("*", " ").split())
    for pattern in _STATEMENTS:
        found = pattern.search(text)
        if found is None:
            continue
        groups = found.groupdict()
        word = (groups.get("word") or "").lower().lstrip("'")
        factor = SCALES.get(word)
        if factor is None:
            continue
        money = (groups.get("money") or groups.get("money2") or "").lower()
        return Scale(factor, CURRENCIES.get(money))
    if _PERCENT.search(text):
        return Scale(1.0, "percent")
    return NONE


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.strip().strip("|").split("|")]


class Tables:
    """Each table's statement of scale in a paper, found once per table."""

    def __init__(self, paper: Paper):
        self.paper = paper
        self._index: dict[int, int] | None = None
        self._tables: dict[int, tuple[Scale, list[Scale]]] = {}

    def _table_of(self, at: int) -> tuple[int, tuple[Scale, list[Scale]]]:
        blocks = self.paper.blocks
        first = at
        while first > 0 and blocks[first - 1].kind == "table-row":
            first -= 1
        if first not in self._tables:
            caption = NONE
            for back in range(first - 1, max(-1, first - 1 - _CAPTION_BLOCKS), -1):
                block = blocks[back]
                if block.kind not in ("paragraph", "heading") or len(block.text) > _CAPTION_CHARS:
                    break
                caption = stated(block.text)
                if caption or block.kind == "heading":
                    break
            head = _cells(blocks[first].text)
            self._tables[first] = (caption, [stated(cell) if not re.fullmatch(r"[-\s]*", cell) else NONE
                                             for cell in head])
        return first, self._tables[first]

    def scale(self, block: Block, column: int) -> Scale:
        """The scale of the cell in `column` (from 0) of a table row: its column head's, else the table's."""
        if block.kind != "table-row":
            return NONE
        if self._index is None:
            self._index = {id(b): i for i, b in enumerate(self.paper.blocks)}
        at = self._index.get(id(block))
        if at is None:
            return NONE
        first, (caption, heads) = self._table_of(at)
        if at == first:
            return NONE  # the head row itself
        column_scale = heads[column] if 0 <= column < len(heads) else NONE
        return column_scale or caption

    def scale_at(self, block: Block, offset: int, text: str | None = None) -> Scale:
        """The scale of the cell holding an offset of a table row's raw text (or of `text`, its `norm`)."""
        text = block.text if text is None else text
        column = text.count("|", 0, offset) - (1 if text.lstrip().startswith("|") else 0)
        return self.scale(block, column)
