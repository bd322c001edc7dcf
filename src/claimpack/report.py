"""What a report's Python cells use to read the package: figures formatted the way the paper printed
them, each linked to its claim in the appendix and cited in the paper's own notes style.

Every string that comes from the data reaches the page through claimpack.escape.markdown.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from .escape import Markdown, markdown, markdown_code, markdown_link
from .figures import QUALIFIER_WORDS, SCALES, describe, display_style, style_of
from .package import Package


def anchor(claim_id: str) -> str:
    return f"claim-{claim_id}"


@dataclass
class Citation:
    source_id: str
    locator: str | None

    def markdown(self) -> Markdown:
        if not self.source_id:
            return Markdown("")
        locator = f", {markdown(self.locator)}" if self.locator else ""
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
    def verdicts(self) -> dict:
        """The latest verdict on each claim or event that has one (claimpack.verify.Entry by id)."""
        from .verify import latest

        return latest(self.package)

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

    def fig(self, claim_id: str, text: str | None = None, capital: bool = False) -> Markdown:
        """A figure for prose: formatted as printed, linked to its claim, cited with page.

        capital=True starts it with a capital letter, for the start of a sentence.
        """
        shown = text if text is not None else self.text(claim_id)
        shown = markdown(shown[:1].upper() + shown[1:] if capital else shown)
        return Markdown(f"[{shown}](#{anchor(claim_id)}){self.citation(claim_id).markdown()}")

    def plain(self, claim_id: str) -> Markdown:
        """A figure linked to its claim, without a citation (for a second mention)."""
        return Markdown(f"[{markdown(self.text(claim_id))}](#{anchor(claim_id)})")

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

    # ---- derived numbers (computed here from the package, never typed) --------------------------
    def derived(self, value: float, like: str, qualifier: str = "approximately", significant: int = 3) -> Markdown:
        """A number computed from claims, printed in the style of claim `like`, rounded sensibly."""
        if value:
            digits = significant - 1 - math.floor(math.log10(abs(value)))
            value = round(value, digits)
        row = self.claim(like)
        style = display_style(style_of(row["figure"], row.get("language") or "en"))
        if style.scale:  # the scale word that suits this value, not the claim's: 383 million, not 0.383 billion
            fitting = [word for word, power in SCALES.items() if abs(value) >= 10 ** power]
            style = replace(style, scale=fitting[-1] if fitting else "", decimals=0)
        text = style.format(value)
        words = QUALIFIER_WORDS.get(qualifier, "")
        return markdown(f"{words} {text}".strip())

    def per_year_text(self, claim_id: str) -> Markdown:
        return self.derived(self.per_year(claim_id), claim_id)

    def change(self, before: str, after: str) -> Markdown:
        """The percent change between two claims, e.g. '56.5%'."""
        a, b = self.value(before), self.value(after)
        return Markdown(f"{abs(b - a) / a * 100:.1f}%") if a else Markdown("")

    def share_of(self, share_id: str, total_id: str) -> float:
        """The part of a total that a percent claim names (a derived count)."""
        return self.value(share_id) / 100 * self.value(total_id)

    # ---- generated sections -----------------------------------------------------------------------
    def checks_markdown(self) -> Markdown:
        """The consistency checks as a table: what each proves, and whether it holds."""
        lines = ["| Check | What it proves | Evaluated | Result |", "|:--|:--|:--|:--|"]
        for check in self.checks:
            verdict = "holds" if check.holds else ("cannot be evaluated" if check.holds is None else "FAILS")
            lines.append(f"| {markdown(check.id)} | {markdown(check.description or '')} | "
                         f"{markdown(check.detail)} | **{verdict}** |")
        return Markdown("\n".join(lines) + "\n")

    def checks_holding(self) -> int:
        return sum(1 for check in self.checks if check.holds)

    def events_markdown(self) -> Markdown:
        """Every dated event as a list, oldest first, each with its citation."""
        items = []
        for event in self.events:
            date = event["date"] + (f" to {event['end_date']}" if event.get("end_date") else "")
            cite = Citation(event.get("source_id") or "", event.get("locator")).markdown()
            items.append(f"- **{markdown(date)}**: {markdown(event['event'])}{cite}")
        return Markdown("\n".join(items) + "\n")

    def claim_markdown(self, claim_id: str) -> Markdown:
        """One claim for the appendix, with its anchor: figure, quote, place, footnote, cited work."""
        row = self.claim(claim_id)
        source = self.sources.get(row.get("source_id") or "", {})
        footnote = self.footnotes.get(row.get("footnote")) if row.get("footnote") else None
        unit = row.get("unit") or ""
        lines = [f"::: {{#{anchor(claim_id)} .claim}}",
                 f"**{markdown(self.text(claim_id))}**: {markdown(row.get('measure'))} "
                 f"({markdown_code(claim_id)}; value {markdown(format(row['value'], ',g'))} {markdown(unit)}, "
                 f"{markdown(row.get('qualifier'))}, {markdown(row.get('kind'))})",
                 "",
                 f"> {markdown(row.get('quote'))}",
                 "",
                 f"In the paper: {markdown(self.place(row))}."]
        if footnote:
            lines.append(f"Footnote {row['footnote']}: {markdown(footnote.get('text'), emphasis=True)}")
        work = markdown(source.get("title") or row.get("source_id"))
        page = f", page {markdown(row['locator'])}" if row.get("locator") else ""
        link = f" {markdown_link(source.get('url'))}" if source.get("url") else ""
        lines.append(f"Cited work: *{work}*{page}{link}.")
        if row.get("note"):
            lines.append(f"Note: {markdown(row['note'])}")
        lines.append(self.verdict_markdown(claim_id))
        lines.append(":::")
        return Markdown("\n\n".join(lines) + "\n")

    def verdict_markdown(self, record_id: str) -> Markdown:
        """The latest verdict on a claim or event: what, by whom, when, and on what evidence."""
        entry = self.verdicts.get(record_id)
        if entry is None:
            return Markdown("Fact-check: not yet verified.")
        found = ""
        if entry.value is not None:
            row = self.claims.get(record_id) or {}
            try:
                shown = display_style(style_of(row["figure"], row.get("language") or "en")).format(entry.value)
            except (KeyError, TypeError, ValueError):
                shown = entry["value"]
            found = f" (value found: {markdown(shown)})"
        evidence = f" Evidence: {markdown_link(entry['evidence'])}." if entry["evidence"] else ""
        return Markdown(f"Fact-check: **{markdown(entry['verdict'])}** by {markdown(entry['by'])} on "
                        f"{markdown(entry['timestamp'][:10])}: {markdown(entry['note'])}{found}.{evidence}")

    def verdict_counts(self, table: str = "claims") -> dict[str, int]:
        """How many claims (or events) have each verdict as their latest, and how many none."""
        from .verify import VERDICTS

        ids = [row["id"] for row in self.package.rows(table) if row.get("id")]
        counts = dict.fromkeys(VERDICTS, 0)
        for record_id in ids:
            if record_id in self.verdicts:
                verdict = self.verdicts[record_id]["verdict"]
                counts[verdict] = counts.get(verdict, 0) + 1
        counts["not yet verified"] = sum(1 for record_id in ids if record_id not in self.verdicts)
        return counts

    def verdict_summary(self) -> Markdown:
        """A sentence for the report: the claims and events by latest verdict."""
        parts = []
        for table, noun in (("claims", "claim"), ("events", "event")):
            if not self.package.has(table):
                continue
            counts = self.verdict_counts(table)
            total = sum(counts.values())
            shown = [f"{number} {verdict}" for verdict, number in counts.items() if number]
            plural = "s" if total != 1 else ""
            parts.append(f"of the {total} {noun}{plural}, " + (", ".join(shown[:-1]) + " and " + shown[-1]
                                                                  if len(shown) > 1 else shown[0] if shown else "none"))
        if not self.verdicts:
            totals = [f"the {len(self.package.rows(t))} {t}" for t in ("claims", "events") if self.package.has(t)]
            return markdown("No fact-checker has recorded a verdict yet on any of " + " or ".join(totals) + ".")
        return markdown("By their latest verdict: " + "; ".join(parts) + ".")

    def appendix_markdown(self) -> Markdown:
        """Every claim, grouped by topic in the order the paper raises them."""
        parts, topic = [], None
        for claim_id, row in self.claims.items():
            if row.get("topic") != topic:
                topic = row.get("topic")
                parts.append(f"### {markdown(str(topic).capitalize())}\n")
            parts.append(self.claim_markdown(claim_id))
        return Markdown("\n".join(parts))

    def warnings_markdown(self) -> Markdown:
        """The cross-checks' findings, one item each."""
        from .layers.crosschecks import check

        problems, _ = check(self.package)
        if not problems:
            return Markdown("The cross-checks found nothing.\n")
        return Markdown("\n".join(f"- {markdown(p.message)} ({markdown(p.file)}, row {p.row})." for p in problems)
                        + "\n")

    def changes_markdown(self) -> Markdown:
        """Every change the checks relate, recomputed as a percentage."""
        from .layers.crosschecks import changes

        items = []
        for change in changes(self.package):
            direction = "a decline" if change.percent < 0 else "an increase"
            items.append(f"- {self.plain(change.before)} to {self.plain(change.after)}: "
                         f"{direction} of {abs(change.percent):.1f}% (check {markdown_code(change.check)}).")
        return Markdown("\n".join(items) + "\n")

    def coverage(self) -> dict:
        from .layers.coverage import check

        problems, info = check(self.package)
        return {**info, "unrecorded": len([p for p in problems if p.severity == "error"])}

    def downloads(self) -> Markdown:
        """Links to what `claimpack build` publishes beside the report: the data zip and the Data Docs."""
        descriptor = self.package.descriptor
        archive = f"{descriptor.get('name', 'package')}-{descriptor.get('version', '0')}.zip"
        return Markdown(f"[The data package as a zip]({archive}) (the descriptor and every file, with their "
                        "checksums) and [the Great Expectations Data Docs](validation/index.html) "
                        "(every expectation and its result).")

    def dataset_citation(self) -> Markdown:
        """How to cite the package, from its descriptor."""
        descriptor = self.package.descriptor
        people = [c.get("title") for c in descriptor.get("contributors", []) if "creator" in (c.get("roles") or [])]
        return markdown(f"{', '.join(people) or 'The authors'}. {descriptor.get('title', '')}. "
                       f"Version {descriptor.get('version', '')}. Data package. {descriptor.get('homepage', '')}")
