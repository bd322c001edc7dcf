"""The report's generated blocks: the claims appendix, the dated events, the checks, the
paper's defects, the cross-checks' findings, the changes recomputed, the verdicts and the downloads."""

from __future__ import annotations

from ..model.defects import BASES, KINDS, kind_label
from ..model.domain import Claim, Defect
from ..model.numbers import display_style, style_of
from ..model.package import archive_name
from ..model.placeholders import is_placeholder_measure, is_placeholder_note
from ..model.verifications.schema import VERDICTS
from ..render.quarto_output import raw_block
from ..system.escape import Markdown, html, markdown, markdown_code, markdown_link, markdown_with_links, typst_string
from ..text.paper import NOTES
from . import prose
from .citations import anchor, candidate_mark, cite, dataset_citation, defect_anchor, event_anchor
from .figures import Figures

# In print, a defect's lines stand inside a rule down their left, as its block has on the page
# (report/claimpack.css), and its first line never ends a page alone; the HTML writers drop raw Typst.
PRINT_RULE_OPEN = ("```{=typst}\n#block(stroke: (left: 1.5pt + luma(78%)), inset: (left: 8pt, y: 3pt), "
                   "above: 1.1em, below: 1.1em, breakable: true)[\n#block(sticky: true)[\n```")
PRINT_HEADING_CLOSE = "```{=typst}\n]\n```"
PRINT_RULE_CLOSE = "```{=typst}\n]\n```"


class Sections:
    """Blocks of Markdown a report prints with `#| output: asis` or inline."""

    def __init__(self, figures: Figures):
        self.figures = figures
        self.model = figures.model

    # ---- the claims appendix --------------------------------------------------------------------
    def appendix(self, by: str = "topic") -> Markdown:
        """Every claim, grouped by topic (topics in the order the paper raises them) or by the paper's
        section (in the paper's order), each heading once."""
        parts = []
        for group, claims in (self._by_section() if by == "section" else self._by_topic()).items():
            parts.append(f"### {markdown(_capital(group or 'other'))}\n")
            parts.extend(self.claim(claim.id) for claim in claims)
        return Markdown("\n".join(parts))

    def _by_topic(self) -> dict[str, list[Claim]]:
        by_topic: dict[str, list[Claim]] = {}
        for claim in self.model.claims:
            if claim.id:
                by_topic.setdefault(claim.topic or "", []).append(claim)
        return by_topic

    def _by_section(self) -> dict[str, list[Claim]]:
        """The claims of each section, sections in the paper's order and claims in their paragraph's."""
        order = [block.section for block in self.model.package.paper.blocks if block.kind == "heading"]
        by_section: dict[str, list[Claim]] = {}
        for claim in self.model.claims:
            if claim.id:
                by_section.setdefault(claim.section or "", []).append(claim)
        # the figures written in notes (section NOTES) come after the body's, as the notes do
        ranked = sorted(by_section, key=lambda name: (order.index(name) + 1) if name in order else
                        len(order) + 1 if name == NOTES else 0)
        return {name: sorted(by_section[name], key=lambda claim: claim.paragraph or 0) for name in ranked}

    def claim(self, claim_id: str) -> Markdown:
        """One claim for the appendix, with its anchor: figure, quote, place, footnote, cited work, verdict.

        What init wrote for a person to fill in (a placeholder measure, its note to the reviewer) is left
        out: the report says once what is still to review (`review`), never in every record."""
        claim = self.model.claim(claim_id)
        measure = "" if is_placeholder_measure(claim.measure) else f": {markdown(claim.measure)}"
        head = [f"::: {{#{anchor(claim_id)} .claim}}",
                f"**{markdown(prose.headline(claim))}**{candidate_mark(claim)}{measure} "
                f"({markdown_code(claim_id)}; value {markdown(prose.base_value(claim))} {markdown(claim.unit)}, "
                f"{markdown(claim.qualifier)}, {markdown(claim.kind)})",
                f"> {markdown(prose.text(claim.quote), emphasis=True)}"]
        lines = [f"In the paper: {markdown(prose.sentence(prose.place_in_paper(claim.section, claim.paragraph)))}"]
        if claim.footnote_number is not None:
            text = claim.footnote.text if claim.footnote else None
            lines.append(f"Footnote {claim.footnote_number}: {markdown_with_links(prose.text(text), emphasis=True)}")
        lines.append(self._cited_work(claim))
        if claim.note and not is_placeholder_note(claim.note):
            lines.append(f"Note: {markdown(prose.sentence(claim.note))}")
        lines.extend(self._defects_of(claim))
        lines.append(self.verdict(claim_id))
        # the lines after the quote are one paragraph, a line each: a record reads as one block
        return Markdown("\n\n".join([*head, "\\\n".join(lines), ":::"]) + "\n")

    def by_section(self, collapsed: bool = False) -> Markdown:
        """Every claim, section by section in the paper's order, as tables of two columns, which a phone
        holds: the figure (linked to its claim in the appendix) with where it stands (paragraph and
        note), and what it counts.

        While no claim has a measure a person wrote (a package fresh from `claimpack init`), the middle
        column gives the paper's words around the figure instead, what a reviewer reads first. A table
        sits in a region that scrolls sideways on its own, never the page, should a cell hold a word
        wider than a phone. collapsed=True puts each section's table in a part the reader opens
        (`collapsible`), titled with the section and its count, so that a paper of five hundred
        figures reads as its list of sections."""
        claims = [claim for claim in self.model.claims if claim.id]
        all_candidates = all(claim.status == "candidate" for claim in claims)
        measured = any(not is_placeholder_measure(claim.measure) for claim in claims)
        parts = []
        for section, rows in self._by_section().items():
            name = _capital(section or "front matter")
            table = [f"| Figure, and where it stands | {'What it counts' if measured else 'In the paper'} |",
                     "|:--------|:-------------|"]
            for claim in rows:
                mark = "" if all_candidates else candidate_mark(claim)
                if measured:
                    words = "" if is_placeholder_measure(claim.measure) else markdown(claim.measure)
                else:
                    words = markdown(prose.excerpt(claim.quote, claim.figure), emphasis=True)
                where = prose.where_in_paper(claim.paragraph, claim.footnote_number)
                where = f" [({markdown(where)})]{{.cp-where}}" if where else ""
                table.append(f"| {self.figures.plain(claim.id)}{mark}{where} | {words} |")
            body = "\n".join([f"::: {{.cp-table role=\"region\" aria-label=\"{_attribute(f'Claims in {name}')}\" "
                              "tabindex=\"0\"}", "", *table, "", ":::"]) + "\n"
            count = f"{len(rows)} figure{'s' if len(rows) != 1 else ''}"
            if collapsed:
                parts.append(collapsible(f"{name} ({count})", body))
            else:
                parts += [f"### {markdown(name)}", "", body]
        return Markdown("\n".join(parts) + "\n")

    def measures_to_review(self) -> Markdown:
        """One sentence on the measures init left for a person to write (none: the empty string)."""
        claims = [claim for claim in self.model.claims if claim.id]
        left = sum(is_placeholder_measure(claim.measure) for claim in claims)
        if not left:
            return Markdown("")
        if left == len(claims):
            return markdown("No claim has a measure yet (what its figure counts): the tables give the paper's "
                            "words around each figure until a person writes the measures in data/claims.csv.")
        return markdown(f"{left} of the {len(claims)} claims have no measure yet (what the figure counts): "
                        "their cell is blank until a person writes it in data/claims.csv.")

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
        """'Cited work: *Title*, page 104, <link>.'; a figure the paper gives on its own authority says so."""
        if claim.source_id and claim.source_id == self.model.package.config.get("own_source") and not claim.locator:
            return "Cited work: none; the figure is the paper's own."
        return self._work(claim)

    def _work(self, claim: Claim) -> str:
        """'Cited work: *Title*, page 104, <link>.', ending with one stop whatever the title ends with."""
        source = claim.source
        title = prose.text((source.title if source else None) or claim.source_id)
        page = f", page {claim.locator}" if claim.locator else ""
        url = source.url if source else None
        last = url or page or title
        link = f"{' ' if prose.ends_sentence(page or title) else ', '}{markdown_link(url)}" if url else ""
        return f"Cited work: *{markdown(title)}*{markdown(page)}{link}{prose.stop(last)}"

    def _defects_of(self, claim: Claim) -> list[str]:
        """The defects of the paper that name the claim, and those it meets only through its footnote,
        each linked to its entry in the notes for fact-checkers."""
        named, by_footnote = [], []
        for defect in self.model.defects_of(claim):
            entry = (f"{markdown(kind_label(defect.kind).lower())} "
                     f"([{markdown_code(defect.id or '')}](#{defect_anchor(defect.id or '')}))")
            (named if claim.id in defect.records else by_footnote).append(entry)
        lines = []
        if named:
            lines.append(f"Defects of the paper in this record: {', '.join(named)}.")
        if by_footnote:
            lines.append(f"Defects at its footnote {claim.footnote_number} that are not about this figure: "
                         f"{', '.join(by_footnote)}.")
        return lines

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
        return Markdown("\n".join(self._event_item(event) for event in events) + "\n")

    def _event_item(self, event) -> str:
        """An event with its anchor and date written out; a relative date says what it is counted from."""
        date = prose.date_span(event.date, event.end_date, event.date_precision)
        anchor_id = event.fields.get("anchor")
        relative = markdown(prose.relative_date(event.fields.get("offset"), anchor_id))
        if relative and anchor_id:  # the event it is counted from, as a link to its item
            relative = relative[:-len(markdown(anchor_id))] + f"[{markdown(anchor_id)}](#{event_anchor(anchor_id)})"
        relative = f" (dated relatively: {relative})" if relative else ""
        return (f"- [**{markdown(date)}**]{{#{event_anchor(event.id or '')}}}: {markdown(event.event)}"
                f"{relative}{cite(event.source_id, event.locator)}")

    def checks(self) -> Markdown:
        """The consistency checks as a table: what each proves, of what kind, and whether it holds.

        Its block's class lets a phone show each check as a card (report/claimpack.css)."""
        # the dashes give the columns' widths in print, 7:2:11:4:2
        lines = ["::: {.cp-checks}", "", "| Check | Kind | What it proves | Evaluated | Result |",
                 "|:-------|:--|:-----------|:----|:--|"]
        for check in self.model.checks:
            verdict = "holds" if check.holds else ("cannot be evaluated" if check.holds is None else "FAILS")
            lines.append(f"| {markdown(check.id)} | {markdown(check.kind or '')} | "
                         f"{markdown(check.description or '')} | {markdown(check.detail)} | **{verdict}** |")
        return Markdown("\n".join([*lines, "", ":::"]) + "\n")

    def warnings(self) -> Markdown:
        """The cross-checks' findings that no defect of the paper records yet, one item each."""
        from ..validation.validate import layer_result

        problems = [p for p in layer_result(self.model.package, "crosscheck")[0] if p.severity == "warning"]
        if not problems:
            return Markdown("The cross-checks found nothing that the defects above do not record.\n")
        return Markdown("\n".join(f"- {markdown(p.message)} ({markdown(p.file)}, row {p.row})." for p in problems)
                        + "\n")

    def changes(self) -> Markdown:
        """Every change the checks relate, recomputed: the difference, the percentage and the ratio."""
        from ..model.checks import changes

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
        """A sentence: how many defects of the paper are recorded, found how, of which kinds."""
        defects = self.model.defects
        if not defects:
            return Markdown("No defect of the paper is recorded.")
        crosschecked = sum(d.origin == "cross-check" for d in defects)
        unverified = sum(d.evidence_basis == "unverified" for d in defects)
        kinds = [f"{kind_label(kind).lower()} {len(found)}" for kind, found in self._defects_by_kind().items()]
        return markdown(f"{len(defects)} defects of the paper are recorded: {crosschecked} found by the "
                        f"cross-checks, {len(defects) - crosschecked} by review"
                        + (f"; {unverified} cannot be settled from the paper or what was at hand" if unverified
                           else "") + f". By kind: {', '.join(kinds)}.")

    def defect(self, defect: Defect) -> Markdown:
        """One defect, with its anchor: what it concerns, what the paper says, what is right, and the
        evidence with where it lies, each on its own line."""
        origin = "found by the cross-checks" if defect.origin == "cross-check" else "found by review"
        where = ([f"footnote{'s' if len(defect.footnotes) > 1 else ''} "
                  + prose.series([str(n) for n in defect.footnotes])] if defect.footnotes else [])
        records = [self._record_link(r) for r in defect.records]
        concerns = markdown(", ".join(where)) + ("; " if where and records else "") + ", ".join(records)
        basis = markdown(BASES.get(defect.evidence_basis or "", defect.evidence_basis or ""))
        lines = [f"::: {{#{defect_anchor(defect.id or '')} .cp-defect}}", PRINT_RULE_OPEN,
                 f"**{markdown_code(defect.id or '')}**, {origin}" + (f". Concerns {concerns}." if concerns else "."),
                 PRINT_HEADING_CLOSE,
                 f"*The paper says:* {markdown(prose.sentence(prose.text(defect.says)))}",
                 f"*What is right:* {markdown(prose.sentence(prose.text(defect.correction)))}",
                 f"*Evidence, {'not verified' if defect.evidence_basis == 'unverified' else 'from ' + basis}:* "
                 f"{markdown(prose.sentence(prose.text(defect.evidence)))}"]
        if defect.evidence_source:
            lines.append(f"*Source:* {markdown(prose.sentence(prose.text(defect.evidence_source)))}")
        return Markdown("\n\n".join([*lines, PRINT_RULE_CLOSE, ":::"]) + "\n")

    def defects(self) -> Markdown:
        """Every defect of the paper, grouped by kind under a heading each."""
        if not self.model.defects:
            return Markdown("No defect of the paper is recorded.\n")
        parts = []
        for kind, defects in self._defects_by_kind().items():
            parts.append(f"#### {markdown(kind_label(kind))} ({len(defects)}) {{#defects-{kind}}}\n")
            parts.extend(self.defect(d) for d in defects)
        return Markdown("\n".join(parts))

    def _defects_by_kind(self) -> dict[str, list[Defect]]:
        order = {kind: index for index, kind in enumerate(KINDS)}
        grouped: dict[str, list[Defect]] = {}
        for defect in sorted(self.model.defects, key=lambda d: order.get(d.kind or "", len(order))):
            grouped.setdefault(defect.kind or "defect", []).append(defect)
        return grouped

    def _record_link(self, record_id: str) -> Markdown:
        """A link to a claim in the appendix or an event in the list of events; inert text for neither."""
        if self._is_claim(record_id):
            return Markdown(f"[{markdown(record_id)}](#{anchor(record_id)})")
        if any(event.id == record_id for event in self.model.events):
            return Markdown(f"[{markdown(record_id)}](#{event_anchor(record_id)})")
        return markdown_code(record_id)

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


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _attribute(text: str) -> str:
    """Text for a quoted attribute of a Markdown div: no quote or backslash to end it early."""
    return " ".join(text.replace("\\", " ").replace('"', "'").split())


def collapsible(title: str, body: str) -> Markdown:
    """A part the reader opens on demand: a closed <details> disclosure in HTML, whose title a keyboard
    reaches and which a link or a search of the page opens, printed open under its title in the PDF.

    Written as raw HTML and raw Typst blocks, which Quarto and the built-in engine pass through alike:
    Quarto's own collapsed callout is a <div> no keyboard can open."""
    return Markdown(raw_block("html", f'<details class="cp-part"><summary>{html(title)}</summary>') + "\n"
                    + raw_block("typst", f"#block(sticky: true, above: 1.4em, below: 0.8em)"
                                         f"[#strong({typst_string(title)})]")
                    + "\n" + body + "\n" + raw_block("html", "</details>"))
