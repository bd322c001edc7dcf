"""Figures for a report's prose: each printed the way the paper printed it, linked to its claim in
the appendix and cited in the paper's own notes style; derived numbers computed, never typed."""

from __future__ import annotations

import os
from pathlib import Path

from ..model.domain import Claim, Event, Model
from ..system.escape import Markdown, markdown
from . import prose
from .citations import anchor, candidate_mark, cite


class Figures:
    """The package's figures, read for a report's inline expressions."""

    def __init__(self, model: Model):
        self.model = model

    @classmethod
    def load(cls, root: str | Path | None = None) -> Figures:
        """Load the package: root, else $CLAIMPACK_PACKAGE, else the parent of the report directory."""
        return cls(Model.load(root or os.environ.get("CLAIMPACK_PACKAGE") or ".."))

    def count(self, table: str) -> int:
        """How many rows a table has."""
        return len(self.model.package.table(table))

    # ---- one figure ---------------------------------------------------------------------------
    def claim(self, claim_id: str) -> Claim:
        return self.model.claim(claim_id)

    def value(self, claim_id: str) -> float:
        return self.claim(claim_id).value

    def text(self, claim_id: str) -> str:
        """The figure as the paper printed it, qualifier first: 'approximately US$236 million'."""
        return prose.headline(self.claim(claim_id))

    def fig(self, claim_id: str, text: str | None = None, capital: bool = False) -> Markdown:
        """A figure for prose: formatted as printed, linked to its claim, cited with page.

        capital=True starts it with a capital letter, for the start of a sentence.
        """
        claim = self.claim(claim_id)
        shown = text if text is not None else prose.headline(claim)
        shown = markdown(shown[:1].upper() + shown[1:] if capital else shown)
        return Markdown(f"[{shown}](#{anchor(claim_id)}){candidate_mark(claim)}{cite(claim.source_id, claim.locator)}")

    def plain(self, claim_id: str) -> Markdown:
        """A figure linked to its claim, without a citation (for a second mention)."""
        return Markdown(f"[{markdown(self.text(claim_id))}](#{anchor(claim_id)})")

    def years(self, claim_id: str) -> int:
        return self.claim(claim_id).years

    def period(self, claim_id: str) -> Markdown:
        claim = self.claim(claim_id)
        return Markdown(prose.period(claim.period_start, claim.period_end))

    def per_year(self, claim_id: str) -> float:
        return self.claim(claim_id).per_year

    # ---- derived numbers (computed here from the package, never typed) --------------------------
    def derived(self, value: float, like: str, qualifier: str = "approximately", significant: int = 3) -> Markdown:
        """A number computed from claims, printed in the style of claim `like`, rounded sensibly."""
        return markdown(prose.derived(value, self.claim(like), qualifier, significant))

    def per_year_text(self, claim_id: str) -> Markdown:
        return self.derived(self.per_year(claim_id), claim_id)

    def change(self, before: str, after: str) -> Markdown:
        """The percent change between two claims, e.g. '56.5%'."""
        a, b = self.value(before), self.value(after)
        return Markdown(f"{abs(b - a) / a * 100:.1f}%") if a else Markdown("")

    def ratio(self, numerator: str, denominator: str) -> Markdown:
        """How many times one claim's value is another's, to two decimals ('1.88')."""
        a, b = self.value(numerator), self.value(denominator)
        return Markdown(f"{a / b:.2f}") if b else Markdown("")

    def percent_of(self, part: str, whole: str) -> Markdown:
        """One claim's value as a percentage of another's ('60%'; '56.5%' where a tenth matters)."""
        a, b = self.value(part), self.value(whole)
        if not b:
            return Markdown("")
        percent = round(a / b * 100, 1)
        return Markdown(f"{percent:.0f}%" if percent.is_integer() else f"{percent:.1f}%")

    def share_of(self, share_id: str, total_id: str) -> float:
        """The part of a total that a percent claim names (a derived count)."""
        return self.value(share_id) / 100 * self.value(total_id)

    # ---- events -------------------------------------------------------------------------------
    def event(self, event_id: str) -> Event:
        return self.model.event(event_id)

    def year(self, event_id: str) -> Markdown:
        return markdown((self.event(event_id).date or "")[:4])

    def date(self, event_id: str) -> Markdown:
        """An event's date written out at its precision: '2 December 1823', '22 June to 15 July 1826'."""
        event = self.event(event_id)
        return markdown(prose.date_span(event.date, event.end_date, event.date_precision))

    def event_cite(self, event_id: str) -> Markdown:
        event = self.event(event_id)
        return cite(event.source_id, event.locator)

    # ---- the package as a whole -----------------------------------------------------------------
    def status_counts(self) -> dict[str, int]:
        """Claims and events still candidates, and reviewed, over both tables."""
        records = [record for record in [*self.model.claims, *self.model.events] if record.id]
        candidates = sum(record.status == "candidate" for record in records)
        return {"candidate": candidates, "reviewed": len(records) - candidates}

    def checks_holding(self) -> int:
        return sum(1 for check in self.model.checks if check.holds)

    def coverage(self) -> dict:
        """What the coverage layer counts (from the saved validation result when it is current)."""
        from ..validation.validate import layer_result

        problems, info = layer_result(self.model.package, "coverage")
        return {**info, "unrecorded": len([p for p in problems if p.severity == "error"])}
