"""What a report's Python cells use to read the package: figures formatted the way the paper printed
them, each linked to its claim in the appendix and cited in the paper's own notes style.

Every string that comes from the data reaches the page through `md_text`, which escapes it, so
a quote holding `<script>` or `[x](javascript:...)` renders as the literal text it is.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .figures import describe
from .package import Package

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
         9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


class Markdown(str):
    """Trusted Markdown built by this module: inserted as is by Quarto and by the built-in engine."""

    def _repr_markdown_(self) -> str:
        return str(self)


def md_text(text: object) -> Markdown:
    """Escape arbitrary text so that Markdown and HTML read it as literal characters."""
    flat = re.sub(r"\s+", " ", str(text if text is not None else "")).strip()
    return Markdown(_PUNCTUATION.sub(r"\\\1", flat))


def anchor(claim_id: str) -> str:
    return f"claim-{claim_id}"


def count_words(number: int) -> str:
    """Small counts in words, as prose prints them ("three"), larger ones in digits."""
    return WORDS.get(number, f"{number:,}")


@dataclass
class Citation:
    source_id: str
    locator: str | None

    def markdown(self) -> Markdown:
        if not self.source_id:
            return Markdown("")
        locator = f", {md_text(self.locator)}" if self.locator else ""
        return Markdown(f"[@{self.source_id}{locator}]")


class Figures:
    """The package, read for a report."""

    def __init__(self, package: Package):
        self.package = package

    @classmethod
    def load(cls, root: str | Path | None = None) -> Figures:
        """Load the package: root, else $CLAIMPACK_PACKAGE, else the parent of the report directory."""
        return cls(Package.load(root or os.environ.get("CLAIMPACK_PACKAGE") or ".."))

    # ---- tables -------------------------------------------------------------------------------
    @cached_property
    def claims(self) -> dict[str, dict]:
        return {row["id"]: row for row in self.package.rows("claims") if row.get("id")}

    @cached_property
    def events(self) -> list[dict]:
        return sorted((row for row in self.package.rows("events") if row.get("id")),
                      key=lambda row: (row.get("date") or "", row.get("id")))

    @cached_property
    def sources(self) -> dict[str, dict]:
        return {row["id"]: row for row in self.package.rows("sources") if row.get("id")}

    @cached_property
    def footnotes(self) -> dict[int, dict]:
        return {row["number"]: row for row in self.package.rows("footnotes") if row.get("number")}

    @cached_property
    def checks(self):
        from .layers.consistency import results

        return results(self.package)

    @cached_property
    def paper(self):
        return self.package.paper

    def claim(self, claim_id: str) -> dict:
        try:
            return self.claims[claim_id]
        except KeyError:
            raise KeyError(f"no claim {claim_id!r} in {self.package.rel('claims')}") from None

    def count(self, table: str) -> int:
        return len(self.package.rows(table))

    # ---- one figure ---------------------------------------------------------------------------
    def value(self, claim_id: str) -> float:
        return self.claim(claim_id)["value"]

    def text(self, claim_id: str) -> str:
        """The figure as the paper printed it, qualifier first: 'approximately US$236 million'."""
        row = self.claim(claim_id)
        return describe(row["value"], row["figure"], row["qualifier"], language=row.get("language") or "en",
                        value_max=row.get("value_max"))

    def citation(self, claim_id: str) -> Citation:
        row = self.claim(claim_id)
        return Citation(row.get("source_id") or "", row.get("locator"))

    def fig(self, claim_id: str, text: str | None = None) -> Markdown:
        """A figure for prose: formatted as printed, linked to its claim, cited with page."""
        shown = md_text(text if text is not None else self.text(claim_id))
        return Markdown(f"[{shown}](#{anchor(claim_id)}){self.citation(claim_id).markdown()}")

    def plain(self, claim_id: str) -> Markdown:
        """A figure linked to its claim, without a citation (for a second mention)."""
        return Markdown(f"[{md_text(self.text(claim_id))}](#{anchor(claim_id)})")

    def years(self, claim_id: str) -> int:
        row = self.claim(claim_id)
        return row["period_end"] - row["period_start"] + 1

    def period(self, claim_id: str) -> Markdown:
        row = self.claim(claim_id)
        start, end = row.get("period_start"), row.get("period_end")
        if start and end and start != end:
            return Markdown(f"{start}–{end}")
        return Markdown(str(end or start or ""))

    def per_year(self, claim_id: str) -> float:
        return self.value(claim_id) / self.years(claim_id)

    # ---- events -------------------------------------------------------------------------------
    def event(self, event_id: str) -> dict:
        for row in self.events:
            if row["id"] == event_id:
                return row
        raise KeyError(f"no event {event_id!r}")

    def year(self, event_id: str) -> Markdown:
        return Markdown(self.event(event_id)["date"][:4])

    def event_cite(self, event_id: str) -> Markdown:
        row = self.event(event_id)
        return Citation(row.get("source_id") or "", row.get("locator")).markdown()

    # ---- places in the paper -------------------------------------------------------------------
    def place(self, row: dict) -> str:
        section = row.get("section") or ""
        where = "front matter" if section == "front matter" else f"“{section}”"
        return f"{where}, paragraph {row.get('paragraph')}"

    def source_title(self, source_id: str) -> str:
        source = self.sources.get(source_id) or {}
        return source.get("title") or source_id

    def source_short(self, source_id: str) -> str:
        """A short citation: 'Isacson and Kinosian 2017', 'S. Res. 368 2016', 'UNODC 2010'."""
        source = self.sources.get(source_id) or {}
        people = [part.split(",")[0].strip() for part in (source.get("author") or "").split(";") if "," in part]
        if people:
            who = people[0] if len(people) == 1 else (
                f"{people[0]} and {people[1]}" if len(people) == 2 else f"{people[0]} et al.")
        else:
            who = (source.get("author") or "").strip() or (source.get("title") or source_id).split(":")[0]
        if len(who) > 48:
            who = who[:45].rsplit(" ", 1)[0] + "…"
        year = (source.get("issued") or "")[:4]
        return f"{who} {year}".strip()
