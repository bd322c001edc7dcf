"""What a report's Python cells use to read the package: figures formatted the way the paper printed
them, each linked to its claim in the appendix and cited in the paper's own notes style.

Every string that comes from the data reaches the page through `md_text`, which escapes it, so
a quote holding `<script>` or `[x](javascript:...)` renders as the literal text it is.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from .figures import QUALIFIER_WORDS, SCALES, describe, display_style, style_of
from .package import Package

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


class Markdown(str):
    """Trusted Markdown built by this module: inserted as is by Quarto and by the built-in engine."""

    def _repr_markdown_(self) -> str:
        return str(self)


def md_text(text: object, *, emphasis: bool = False) -> Markdown:
    """Escape arbitrary text so that Markdown and HTML read it as literal characters.

    With emphasis=True, asterisks stay live so that a footnote's *italic titles* print as
    italics; an asterisk cannot open a link, raw HTML or anything else.
    """
    flat = re.sub(r"\s+", " ", str(text if text is not None else "")).strip()
    escaped = _PUNCTUATION.sub(r"\\\1", flat)
    if emphasis:
        escaped = re.sub(r"\\\*([^\s*\\](?:[^*]*?[^\s*\\])?)\\\*", r"*\1*", escaped)
    return Markdown(escaped)


_URL_SAFE = re.compile(r"^(?:https?://)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def md_link(url: str | None, text: str | None = None) -> Markdown:
    """A link only to http(s) or doi addresses; anything else is printed as inert text."""
    if not url:
        return Markdown("")
    target = f"https://doi.org/{url[4:]}" if url.startswith("doi:") else url
    if not _URL_SAFE.match(target):
        return md_text(url)
    return Markdown(f"[{md_text(text or url)}](<{target}>)")


def code(text: str) -> Markdown:
    """A code span; code spans are literal, so only backticks need keeping out."""
    return Markdown("`" + str(text).replace("`", "'") + "`")


def anchor(claim_id: str) -> str:
    return f"claim-{claim_id}"


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
        shown = md_text(shown[:1].upper() + shown[1:] if capital else shown)
        return Markdown(f"[{shown}](#{anchor(claim_id)}){self.candidate_mark(claim_id)}"
                        f"{self.citation(claim_id).markdown()}")

    def candidate_mark(self, record_id: str) -> Markdown:
        """A visible mark after a figure no person has reviewed yet (status candidate)."""
        row = self.claims.get(record_id) or next((e for e in self.events if e.get("id") == record_id), {})
        return Markdown(" [(candidate)]{.candidate}" if row.get("status") == "candidate" else "")

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

    # ---- derived numbers (computed here from the package, never typed) --------------------------
    def derived(self, value: float, like: str, qualifier: str = "approximately", significant: int = 3) -> Markdown:
        """A number computed from claims, printed in the style of claim `like`, rounded sensibly."""
        return md_text(self.derived_plain(value, like, qualifier, significant))

    def derived_plain(self, value: float, like: str, qualifier: str = "approximately", significant: int = 3) -> str:
        """`derived` as plain text, for charts."""
        if value:
            digits = significant - 1 - math.floor(math.log10(abs(value)))
            value = round(value, digits)
        row = self.claim(like)
        style = display_style(style_of(row["figure"], row.get("language") or "en"))
        if style.scale:  # the scale word that suits this value, not the claim's: 383 million, not 0.383 billion
            fitting = [word for word, power in SCALES.items() if power >= 6 and abs(value) >= 10 ** power]
            style = replace(style, scale=fitting[-1] if fitting else "", decimals=0)
        text = style.format(value)
        words = QUALIFIER_WORDS.get(qualifier, "")
        return f"{words} {text}".strip()

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

    # ---- generated sections -----------------------------------------------------------------------
    def checks_markdown(self) -> Markdown:
        """The consistency checks as a table: what each proves, and whether it holds."""
        # the dashes give the columns' widths in print, 7:2:10:4:3
        lines = ["| Check | Kind | What it proves | Evaluated | Result |", "|:-------|:--|:----------|:----|:---|"]
        for check in self.checks:
            verdict = "holds" if check.holds else ("cannot be evaluated" if check.holds is None else "FAILS")
            lines.append(f"| {md_text(check.id)} | {md_text(check.kind or '')} | {md_text(check.description or '')} | "
                         f"{md_text(check.detail)} | **{verdict}** |")
        return Markdown("\n".join(lines) + "\n")

    def checks_holding(self) -> int:
        return sum(1 for check in self.checks if check.holds)

    def events_markdown(self) -> Markdown:
        """Every dated event as a list, oldest first, each with its citation."""
        items = []
        for event in self.events:
            date = event["date"] + (f" to {event['end_date']}" if event.get("end_date") else "")
            cite = Citation(event.get("source_id") or "", event.get("locator")).markdown()
            items.append(f"- **{md_text(date)}**: {md_text(event['event'])}{cite}")
        return Markdown("\n".join(items) + "\n")

    def claim_markdown(self, claim_id: str) -> Markdown:
        """One claim for the appendix, with its anchor: figure, quote, place, footnote, cited work."""
        row = self.claim(claim_id)
        source = self.sources.get(row.get("source_id") or "", {})
        footnote = self.footnotes.get(row.get("footnote")) if row.get("footnote") else None
        unit = row.get("unit") or ""
        lines = [f"::: {{#{anchor(claim_id)} .claim}}",
                 f"**{md_text(self.text(claim_id))}**{self.candidate_mark(claim_id)}: {md_text(row.get('measure'))} "
                 f"({code(claim_id)}; value {md_text(format(row['value'], ',g'))} {md_text(unit)}, "
                 f"{md_text(row.get('qualifier'))}, {md_text(row.get('kind'))})",
                 "",
                 f"> {md_text(row.get('quote'))}",
                 "",
                 f"In the paper: {md_text(self.place(row))}."]
        if footnote:
            lines.append(f"Footnote {row['footnote']}: {md_text(footnote.get('text'), emphasis=True)}")
        work = md_text(source.get("title") or row.get("source_id"))
        page = f", page {md_text(row['locator'])}" if row.get("locator") else ""
        link = f" {md_link(source.get('url'))}" if source.get("url") else ""
        lines.append(f"Cited work: *{work}*{page}{link}.")
        if row.get("note"):
            lines.append(f"Note: {md_text(row['note'])}")
        defects = self.defects_of(claim_id)
        if defects:
            lines.append("Defects of the paper here: " + ", ".join(f"{md_text(d.kind_label.lower())} "
                                                                   f"({code(d.id)})" for d in defects) + ".")
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
            found = f" (value found: {md_text(shown)})"
        evidence = f" Evidence: {md_link(entry['evidence'])}." if entry["evidence"] else ""
        return Markdown(f"Fact-check: **{md_text(entry['verdict'])}** by {md_text(entry['by'])} on "
                        f"{md_text(entry['timestamp'][:10])}: {md_text(entry['note'])}{found}.{evidence}")

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
            return md_text("No fact-checker has recorded a verdict yet on any of " + " or ".join(totals) + ".")
        return md_text("By their latest verdict: " + "; ".join(parts) + ".")

    def appendix_markdown(self) -> Markdown:
        """Every claim, grouped by topic in the order the paper first raises each topic."""
        by_topic: dict[str, list[str]] = {}
        for claim_id, row in self.claims.items():
            by_topic.setdefault(str(row.get("topic")), []).append(claim_id)
        parts = []
        for topic, claim_ids in by_topic.items():
            parts.append(f"### {md_text(topic.capitalize())}\n")
            parts.extend(self.claim_markdown(claim_id) for claim_id in claim_ids)
        return Markdown("\n".join(parts))

    # ---- the paper's defects ---------------------------------------------------------------------
    @cached_property
    def defects(self) -> list:
        """The paper's defects (claimpack.defects.Defect), in the order defects.csv lists them."""
        from .defects import read

        return read(self.package)

    def defects_summary(self) -> Markdown:
        """A sentence: how many defects, found how."""
        if not self.defects:
            return Markdown("No defect of the paper is recorded.")
        crosschecked = sum(d.origin == "cross-check" for d in self.defects)
        reviewed = len(self.defects) - crosschecked
        unverified = sum(d.evidence_basis == "unverified" for d in self.defects)
        return md_text(f"{len(self.defects)} defects of the paper are recorded: {crosschecked} found by the "
                       f"cross-checks, {reviewed} by review" + (f"; {unverified} cannot be settled from the paper "
                                                                 "or what was at hand" if unverified else "") + ".")

    def defect_markdown(self, defect) -> Markdown:
        """One defect: what the paper says, what is right, and the evidence with where it lies."""
        from .defects import BASES

        where = [f"footnote{'s' if len(defect.footnotes) > 1 else ''} "
                 + ", ".join(str(n) for n in defect.footnotes)] if defect.footnotes else []
        claims = [f"[{md_text(r)}](#{anchor(r)})" if r in self.claims else code(r) for r in defect.records]
        concerns = "; ".join([md_text(w) for w in where] + ([", ".join(claims)] if claims else []))
        origin = "found by the cross-checks" if defect.origin == "cross-check" else "found by review"
        source = f" Source: {md_text(defect.evidence_source)}" if defect.evidence_source else ""
        basis = BASES.get(defect.evidence_basis or "", defect.evidence_basis)
        return Markdown(f"- **{md_text(defect.kind_label)}** ({code(defect.id)}, {origin}"
                        + (f"; {concerns}" if concerns else "") + f"). The paper: {md_text(defect.says)} "
                        f"Right: {md_text(defect.correction)} Evidence ({md_text(basis)}): "
                        f"{md_text(defect.evidence)}{source}")

    def defects_markdown(self) -> Markdown:
        """Every defect of the paper, one item each, grouped by kind."""
        if not self.defects:
            return Markdown("No defect of the paper is recorded.\n")
        from .defects import KINDS

        order = {kind: index for index, kind in enumerate(KINDS)}
        ranked = sorted(self.defects, key=lambda d: order.get(d.kind or "", len(order)))
        return Markdown("\n".join(self.defect_markdown(d) for d in ranked) + "\n")

    def defects_of(self, record_id: str) -> list:
        """The defects about a claim or event: named in their records, or about its footnote."""
        row = self.claims.get(record_id) or next((e for e in self.events if e.get("id") == record_id), {})
        return [d for d in self.defects if d.concerns(record_id, row.get("footnote"))]

    def sections_markdown(self) -> Markdown:
        """Every claim, section by section in the paper's order: figure, what it counts, quote, footnote."""
        order = [block.section for block in self.paper.blocks if block.kind == "heading"]
        by_section: dict[str, list[dict]] = {}
        for row in self.claims.values():
            by_section.setdefault(row.get("section") or "", []).append(row)
        sections = sorted(by_section, key=lambda name: (order.index(name) + 1) if name in order else 0)
        parts = []
        for section in sections:
            rows = sorted(by_section[section], key=lambda row: (row.get("paragraph") or 0))
            parts += [f"### {md_text(section[:1].upper() + section[1:])}", "",
                      "| Figure | What it counts | Paragraph | Footnote | Status |", "|:--|:--|--:|--:|:--|"]
            for row in rows:
                parts.append(f"| {self.plain(row['id'])} | {md_text(row.get('measure'))} | "
                             f"{md_text(row.get('paragraph'))} | {md_text(row.get('footnote') or '')} | "
                             f"{md_text(row.get('status') or 'reviewed')} |")
            parts.append("")
        return Markdown("\n".join(parts) + "\n")

    def status_counts(self) -> dict[str, int]:
        """Claims and events still candidates, and reviewed, over both tables."""
        rows = [*self.claims.values(), *self.events]
        candidates = sum(row.get("status") == "candidate" for row in rows)
        return {"candidate": candidates, "reviewed": len(rows) - candidates}

    def review_markdown(self) -> Markdown:
        """A callout while records are still candidates; one sentence once every one is reviewed."""
        status = self.status_counts()
        if not status["candidate"]:
            return md_text(f"Every one of the {status['reviewed']} claims and events has been reviewed by a person.")
        return Markdown(
            '::: {.callout-warning title="Candidates to review"}\n'
            f"{status['candidate']} claims and events are still **candidates**: `claimpack init` proposed them "
            "from the paper and no person has checked them yet. Each is marked *(candidate)* below. Review each "
            "one (its measure, unit, place and period), set its `status` to `reviewed`, and run "
            "`claimpack validate`; `claimpack build --release` publishes only a package without candidates.\n"
            ":::\n")

    def warnings_markdown(self) -> Markdown:
        """The cross-checks' findings that no defect records yet, one item each."""
        from .layers.crosschecks import check

        problems = [p for p in check(self.package)[0] if p.severity == "warning"]
        if not problems:
            return Markdown("The cross-checks found nothing that the defects above do not record.\n")
        return Markdown("\n".join(f"- {md_text(p.message)} ({md_text(p.file)}, row {p.row})." for p in problems)
                        + "\n")

    def changes_markdown(self) -> Markdown:
        """Every change the checks relate, recomputed: the difference, the percentage and the ratio."""
        from .layers.crosschecks import changes

        items = []
        for change in changes(self.package):
            direction = "a decline" if change.percent < 0 else "an increase"
            difference = change.after_value - change.before_value
            ratio = f", {change.after_value / change.before_value:.2f} times" if change.before_value else ""
            items.append(f"- {self.plain(change.before)} to {self.plain(change.after)}: "
                         f"{direction} of {self.derived(abs(difference), change.after, 'exact')}"
                         f" ({abs(change.percent):.1f}%{ratio}; check {code(change.check)}).")
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
        return md_text(f"{', '.join(people) or 'The authors'}. {descriptor.get('title', '')}. "
                       f"Version {descriptor.get('version', '')}. Data package. {descriptor.get('homepage', '')}")
