"""The report's generated blocks: the claims appendix, the dated events, the checks, the
paper's defects, the cross-checks' findings, the changes recomputed, the verdicts and the downloads."""

from __future__ import annotations

from .. import prose
from ..defects import BASES, KINDS, kind_label
from ..escape import Markdown, markdown, markdown_code, markdown_link
from ..figures import display_style, style_of
from ..model import Claim, Defect
from ..outputs import archive_name
from ..verifications.schema import VERDICTS
from .citations import anchor, candidate_mark, cite, dataset_citation
from .figures import Figures


class Sections:
    """Blocks of Markdown a report prints with `#| output: asis` or inline."""

    def __init__(self, figures: Figures):
        self.figures = figures
        self.model = figures.model

    # ---- the claims appendix --------------------------------------------------------------------
    def appendix(self) -> Markdown:
        """Every claim, grouped by topic: topics in the order the paper raises them, each heading once."""
        by_topic: dict[str | None, list[Claim]] = {}
        for claim in self.model.claims:
            if claim.id:
                by_topic.setdefault(claim.topic, []).append(claim)
        parts = []
        for topic, claims in by_topic.items():
            parts.append(f"### {markdown(str(topic or 'other').capitalize())}\n")
            parts.extend(self.claim(claim.id) for claim in claims)
        return Markdown("\n".join(parts))

    def claim(self, claim_id: str) -> Markdown:
        """One claim for the appendix, with its anchor: figure, quote, place, footnote, cited work, verdict."""
        claim = self.model.claim(claim_id)
        lines = [f"::: {{#{anchor(claim_id)} .claim}}",
                 f"**{markdown(prose.headline(claim))}**{candidate_mark(claim)}: {markdown(claim.measure)} "
                 f"({markdown_code(claim_id)}; value {markdown(prose.base_value(claim))} {markdown(claim.unit)}, "
                 f"{markdown(claim.qualifier)}, {markdown(claim.kind)})",
                 "",
                 f"> {markdown(prose.text(claim.quote), emphasis=True)}",
                 "",
                 f"In the paper: {markdown(prose.sentence(prose.place_in_paper(claim.section, claim.paragraph)))}"]
        if claim.footnote_number is not None:
            text = claim.footnote.text if claim.footnote else None
            lines.append(f"Footnote {claim.footnote_number}: {markdown(prose.text(text), emphasis=True)}")
        lines.append(self._cited_work(claim))
        if claim.note:
            lines.append(f"Note: {markdown(prose.sentence(claim.note))}")
        defects = self.model.defects_of(claim)
        if defects:
            lines.append("Defects of the paper here: " + ", ".join(
                f"{markdown(kind_label(d.kind).lower())} ({markdown_code(d.id or '')})" for d in defects) + ".")
        lines.append(self.verdict(claim_id))
        lines.append(":::")
        return Markdown("\n\n".join(lines) + "\n")

    def by_section(self) -> Markdown:
        """Every claim, section by section in the paper's order, as tables: figure, what it counts,
        paragraph, footnote, status."""
        order = [block.section for block in self.model.package.paper.blocks if block.kind == "heading"]
        by_section: dict[str, list[Claim]] = {}
        for claim in self.model.claims:
            if claim.id:
                by_section.setdefault(claim.section or "", []).append(claim)
        parts = []
        for section in sorted(by_section, key=lambda name: (order.index(name) + 1) if name in order else 0):
            parts += [f"### {markdown(section[:1].upper() + section[1:])}", "",
                      "| Figure | What it counts | Paragraph | Footnote | Status |", "|:--|:--|--:|--:|:--|"]
            for claim in sorted(by_section[section], key=lambda claim: claim.paragraph or 0):
                parts.append(f"| {self.figures.plain(claim.id)} | {markdown(claim.measure)} | "
                             f"{markdown(claim.paragraph)} | {markdown(claim.footnote_number or '')} | "
                             f"{markdown(claim.status or 'reviewed')} |")
            parts.append("")
        return Markdown("\n".join(parts) + "\n")

    def review(self) -> Markdown:
        """A callout while records are still candidates; one sentence once every one is reviewed."""
        status = self.figures.status_counts()
        if not status["candidate"]:
            return markdown(f"Every one of the {status['reviewed']} claims and events has been reviewed by a person.")
        return Markdown(
            '::: {.callout-warning title="Candidates to review"}\n'
            f"{status['candidate']} claims and events are still **candidates**: `claimpack init` proposed them "
            "from the paper and no person has checked them yet. Each is marked *(candidate)* below. Review each "
            "one (its measure, unit, place and period), set its `status` to `reviewed`, and run "
            "`claimpack validate`; `claimpack build --release` publishes only a package without candidates.\n"
            ":::\n")

    def _cited_work(self, claim: Claim) -> str:
        """'Cited work: *Title*, page 104 <link>.', ending with one stop whatever the title ends with."""
        source = claim.source
        title = prose.text((source.title if source else None) or claim.source_id)
        page = f", page {claim.locator}" if claim.locator else ""
        url = source.url if source else None
        last = url or page or title
        link = f" {markdown_link(url)}" if url else ""
        return f"Cited work: *{markdown(title)}*{markdown(page)}{link}{prose.stop(last)}"

    # ---- verdicts -------------------------------------------------------------------------------
    def verdict(self, record_id: str) -> Markdown:
        """The latest verdict on a claim or event: what, by whom, when, and on what evidence."""
        entry = self.model.latest.get(record_id)
        if entry is None:
            return Markdown("Fact-check: not yet verified.")
        found = ""
        if entry.value is not None:
            try:
                claim = self.model.claim(record_id)
                shown = display_style(style_of(claim.figure, claim.language or "en")).format(entry.value)
            except (KeyError, TypeError, ValueError):
                shown = prose.number(entry.value)
            found = f" (value found: {markdown(shown)})"
        evidence = f" Evidence: {markdown_link(entry.evidence)}." if entry.evidence else ""
        return Markdown(f"Fact-check: **{markdown(entry.verdict)}** by {markdown(entry.by)} on "
                        f"{markdown(prose.written_date(entry.timestamp[:10]))}: {markdown(entry.note)}{found}"
                        f"{prose.stop(found or entry.note)}{evidence}")

    def verdict_counts(self, table: str = "claims") -> dict[str, int]:
        """How many claims (or events) have each verdict as their latest, and how many none."""
        records = self.model.claims if table == "claims" else self.model.events
        ids = [record.id for record in records if record.id]
        latest = self.model.latest
        counts = dict.fromkeys(VERDICTS, 0)
        for record_id in ids:
            if record_id in latest:
                counts[latest[record_id].verdict] = counts.get(latest[record_id].verdict, 0) + 1
        counts["not yet verified"] = sum(1 for record_id in ids if record_id not in latest)
        return counts

    def verdict_summary(self) -> Markdown:
        """A sentence for the report: the claims and events by latest verdict."""
        package = self.model.package
        if not self.model.latest:
            totals = [f"the {len(package.table(t))} {t}" for t in ("claims", "events") if package.has(t)]
            return markdown("No fact-checker has recorded a verdict yet on any of " + " or ".join(totals) + ".")
        parts = []
        for table, noun in (("claims", "claim"), ("events", "event")):
            if not package.has(table):
                continue
            counts = self.verdict_counts(table)
            total = sum(counts.values())
            shown = [f"{number} {verdict}" for verdict, number in counts.items() if number]
            plural = "s" if total != 1 else ""
            listed = (", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0] if shown
                      else "none")
            parts.append(f"of the {total} {noun}{plural}, {listed}")
        return markdown("By their latest verdict: " + "; ".join(parts) + ".")

    # ---- the other blocks -----------------------------------------------------------------------
    def events(self) -> Markdown:
        """Every dated event as a list, oldest first, each with its date written out and its citation."""
        events = sorted((event for event in self.model.events if event.id), key=lambda e: (e.date or "", e.id))
        items = [f"- **{markdown(prose.date_span(event.date, event.end_date, event.date_precision))}**: "
                 f"{markdown(event.event)}{cite(event.source_id, event.locator)}" for event in events]
        return Markdown("\n".join(items) + "\n")

    def checks(self) -> Markdown:
        """The consistency checks as a table: what each proves, of what kind, and whether it holds."""
        # the dashes give the columns' widths in print, 7:2:10:4:3
        lines = ["| Check | Kind | What it proves | Evaluated | Result |", "|:-------|:--|:----------|:----|:---|"]
        for check in self.model.checks:
            verdict = "holds" if check.holds else ("cannot be evaluated" if check.holds is None else "FAILS")
            lines.append(f"| {markdown(check.id)} | {markdown(check.kind or '')} | "
                         f"{markdown(check.description or '')} | {markdown(check.detail)} | **{verdict}** |")
        return Markdown("\n".join(lines) + "\n")

    def warnings(self) -> Markdown:
        """The cross-checks' findings that no defect of the paper records yet, one item each."""
        from ..results import layer_result

        problems = [p for p in layer_result(self.model.package, "crosscheck")[0] if p.severity == "warning"]
        if not problems:
            return Markdown("The cross-checks found nothing that the defects above do not record.\n")
        return Markdown("\n".join(f"- {markdown(p.message)} ({markdown(p.file)}, row {p.row})." for p in problems)
                        + "\n")

    def changes(self) -> Markdown:
        """Every change the checks relate, recomputed: the difference, the percentage and the ratio."""
        from ..layers.crosschecks import changes

        items = []
        for change in changes(self.model.package):
            direction = "a decline" if change.percent < 0 else "an increase"
            difference = self.figures.derived(abs(change.after_value - change.before_value), change.after, "exact")
            ratio = f", {change.after_value / change.before_value:.2f} times" if change.before_value else ""
            items.append(f"- {self.figures.plain(change.before)} to {self.figures.plain(change.after)}: "
                         f"{direction} of {difference} ({abs(change.percent):.1f}%{ratio}; "
                         f"check {markdown_code(change.check)}).")
        return Markdown("\n".join(items) + "\n")

    # ---- the paper's defects --------------------------------------------------------------------
    def defects_summary(self) -> Markdown:
        """A sentence: how many defects of the paper are recorded, found how."""
        defects = self.model.defects
        if not defects:
            return Markdown("No defect of the paper is recorded.")
        crosschecked = sum(d.origin == "cross-check" for d in defects)
        unverified = sum(d.evidence_basis == "unverified" for d in defects)
        return markdown(f"{len(defects)} defects of the paper are recorded: {crosschecked} found by the "
                        f"cross-checks, {len(defects) - crosschecked} by review"
                        + (f"; {unverified} cannot be settled from the paper or what was at hand" if unverified
                           else "") + ".")

    def defect(self, defect: Defect) -> Markdown:
        """One defect: what the paper says, what is right, and the evidence with where it lies."""
        where = [markdown(f"footnote{'s' if len(defect.footnotes) > 1 else ''} "
                          + ", ".join(str(n) for n in defect.footnotes))] if defect.footnotes else []
        claims = [f"[{markdown(r)}](#{anchor(r)})" if self._is_claim(r) else markdown_code(r) for r in defect.records]
        concerns = "; ".join(where + ([", ".join(claims)] if claims else []))
        origin = "found by the cross-checks" if defect.origin == "cross-check" else "found by review"
        source = f" Source: {markdown(defect.evidence_source)}" if defect.evidence_source else ""
        basis = BASES.get(defect.evidence_basis or "", defect.evidence_basis or "")
        return Markdown(f"- **{markdown(kind_label(defect.kind))}** ({markdown_code(defect.id or '')}, {origin}"
                        + (f"; {concerns}" if concerns else "") + f"). The paper: {markdown(defect.says)} "
                        f"Right: {markdown(defect.correction)} Evidence ({markdown(basis)}): "
                        f"{markdown(defect.evidence)}{source}")

    def defects(self) -> Markdown:
        """Every defect of the paper, one item each, grouped by kind."""
        if not self.model.defects:
            return Markdown("No defect of the paper is recorded.\n")
        order = {kind: index for index, kind in enumerate(KINDS)}
        ranked = sorted(self.model.defects, key=lambda d: order.get(d.kind or "", len(order)))
        return Markdown("\n".join(self.defect(d) for d in ranked) + "\n")

    def _is_claim(self, record_id: str) -> bool:
        try:
            self.model.claim(record_id)
        except KeyError:
            return False
        return True

    def downloads(self) -> Markdown:
        """Links to what `claimpack build` publishes beside the report: the data zip and the Data Docs."""
        archive = archive_name(self.model.package.descriptor)
        return Markdown(f"[The data package as a zip](<{archive}>) (the descriptor and every file, with their "
                        "checksums) and [the Great Expectations Data Docs](validation/index.html) "
                        "(every expectation and its result).")

    def dataset_citation(self) -> Markdown:
        """How to cite the package, from its descriptor."""
        return dataset_citation(self.model.package.descriptor)
