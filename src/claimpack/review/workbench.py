"""The review workbench's model: the records to review, and every action on them, written at once.

Each action (accept, reject, edit, add, verdict, a batch of rejections, undo) is one
`claimpack.mutation.Mutation`: the records changed, the coverage exclusions a rejection writes,
a unit the package did not know (declared with its schema enumeration and suites), and one row
per record in data/reviews.csv (claimpack.review.log), with the descriptor's sha256 and size of
every file written recorded in the same step. Before anything is written the change is staged
and validated warm (claimpack.review.checker); a change that adds an error is refused and
nothing is written. Then every file is replaced at once, and the bytes each file held before are
kept in .claimpack/review/undo/, so an undo puts them back exactly.

A write carries the version of each record it is based on (the sha256 of the record's cells as
the page showed them): a stale page, another tab or another person's, is refused with a message
that the record changed. Files changed on disk by anything else are noticed before every action:
the workbench reads the package again and refuses the action.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from pathlib import Path

from ..model import reviews
from ..model.chained_log import GENESIS
from ..model.domain import Model
from ..model.mutation import CsvText, Mutation, as_json, sha256_bytes, write_files
from ..model.package import DESCRIPTOR, Package
from ..model.vocabulary import UNIT_CODE
from ..system.problems import ClaimpackError, Problem
from ..text.paper import Block, normalize
from ..validation.warm import Checked, Checker, package_files
from . import snapshots
from .outcomes import TABLES, Conflict, Outcome, Refused, Row, about_cells, key_of, now, version_of
from .reasons import REASONS, guess

EXCLUSIONS_KEY = "exclusions"
STATE = ("review",)


class Workbench:
    """One package under review."""

    def __init__(self, root: str | Path, by: str, *, checker: Checker | None = None, clock=now):
        self.root = Path(root).resolve()
        self.by = by.strip() or "reviewer"
        self.clock = clock
        self.lock = threading.RLock()
        self.checker = checker or Checker(self.root)
        self.baseline: list[Problem] = []
        self.last: Outcome | None = None
        self.outcomes: dict[int, Outcome] = {}
        self.before_action: dict[int, list[Problem]] = {}  # the package's problems before each action
        self.ready = threading.Event()
        self.started: dict[str, float] = {}
        self.load()

    def start(self) -> None:
        """Warm the validation (frictionless's child, Great Expectations) and read the package's problems as
        they stand: what an action is judged against. Seconds, once; every action waits for it."""
        try:
            with self.lock:
                began = time.perf_counter()
                self.checker.frictionless.start()
                checked = self.checker.check({})
                self.baseline = checked.problems
                self.started = {"seconds": time.perf_counter() - began, **checked.seconds}
        finally:
            self.ready.set()

    # ---- reading the package ------------------------------------------------------------------
    def load(self) -> None:
        """Read the package (again): its records, its paper, and what is on disk."""
        self.package = Package.load(self.root)
        self.model = Model(self.package)
        self.rows: dict[str, Row] = {}
        for table in TABLES:
            if not self.package.has(table):
                continue
            rel = self.package.rel(table)
            data = CsvText(self.package.path_of(table).read_text(encoding="utf-8"), rel)
            for record in data.records:
                key = record.cells.get("id", "")
                if key and key not in self.rows:
                    self.rows[key] = Row(key, table, record.cells, record.line)
        self.order = self._reading_order()
        self.seen = self._fingerprint()
        self._proposer = None

    @property
    def proposer(self):
        """`claimpack init`'s reader of the package's paper and vocabulary (its classes of numbers guess a
        rejection's reason; it reads a figure the reviewer adds), built once per reading of the package."""
        if self._proposer is None:
            self._proposer = self._new_proposer()
        return self._proposer

    def _new_proposer(self):
        from ..init.candidates import Proposer

        vocabulary = self.package.vocabulary
        citations = {number: [(c.source_id or "", c.locator or "") for c in note.citations]
                     for number, note in self.model.footnotes.items()}
        return Proposer(self.package.paper, vocabulary, citations, self.package.config.get("own_source") or "",
                        vocabulary.pattern(vocabulary.cardinal_words))

    def _fingerprint(self) -> dict[str, tuple]:
        found = {}
        for rel in package_files(self.root):
            path = self.root / rel
            paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for item in paths:
                with contextlib.suppress(OSError):
                    info = item.stat()
                    found[str(item.relative_to(self.root))] = (info.st_mtime_ns, info.st_size, info.st_ino)
        return found

    def _reading_order(self) -> list[str]:
        """Every record in the order the paper reads: by block, then by place in it."""
        try:
            paper = self.package.paper
        except ClaimpackError:
            return list(self.rows)
        index = {id(block): number for number, block in enumerate(paper.blocks)}
        places = {}
        for key, row in self.rows.items():
            located = self.locate(row)
            places[key] = (index.get(id(located[0]), len(index)), located[1]) if located else (len(index), 0)
        return sorted(self.rows, key=lambda key: places[key])

    def locate(self, row: Row) -> tuple[Block, int, int, int, int] | None:
        """(block, quote start, quote end, figure start, figure end) in the block's normalised text."""
        quote = row.cells.get("quote", "")
        if not quote:
            return None
        paragraph = row.cells.get("paragraph", "")
        try:
            places = self.package.paper.locate(quote, row.cells.get("section") or None,
                                               int(paragraph) if paragraph.isdigit() else None)
        except ClaimpackError:
            return None
        if not places:
            return None
        place = places[0]
        figure = normalize(row.cells.get("figure", "")) if row.table == "claims" else ""
        start = place.block.norm.find(figure, place.start, place.end) if figure else -1
        if start < 0:
            return place.block, place.start, place.end, place.start, place.start
        return place.block, place.start, place.end, start, start + len(figure)

    def refresh(self) -> bool:
        """Read the package again if it changed on disk since the workbench read or wrote it (another
        program or person edited it): a page shown afterwards shows the package as it is. Whether it had."""
        self.ready.wait()
        with self.lock:
            if self._fingerprint() == self.seen:
                return False
            self.load()
            self.checker.sync()
            self.baseline = self.checker.check({}).problems
            return True

    def ensure_current(self) -> None:
        """Refuse to act on a package that changed on disk since the workbench read or wrote it."""
        if self.refresh():
            raise Conflict("the package changed on disk since this page was shown (another program or "
                           "person); it has been read again: look at the record again, then act")

    # ---- what the page shows ------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        candidates = sum(row.status == "candidate" for row in self.rows.values())
        reviewed = sum(row.status == "reviewed" for row in self.rows.values())
        rejected = len(self.rejected())
        return {"candidate": candidates, "reviewed": reviewed, "rejected": rejected,
                "total": candidates + reviewed + rejected, "done": reviewed + rejected}

    def rejected(self) -> list[str]:
        """Records rejected in the workbench (and not undone)."""
        log = self.log()
        undone = reviews.undone(log)
        return [e["record_id"] for e in log if e["kind"] == "reject" and e.action not in undone]

    def log(self) -> list[reviews.Entry]:
        try:
            return reviews.LOG.entries(self.package)
        except ClaimpackError:
            return []

    def next_candidate(self, after: str | None = None, step: int = 1) -> str | None:
        """The next (or previous, step -1) candidate in reading order after a record, wrapping around; never
        that record itself (the last candidate, accepted, leads to none)."""
        order = self.order
        if not order:
            return None
        start = order.index(after) if after in order else (-1 if step > 0 else 0)
        for offset in range(1, len(order) + (0 if after in order else 1)):
            key = order[(start + step * offset) % len(order)]
            if self.rows[key].status == "candidate":
                return key
        return None

    def neighbour(self, record_id: str, step: int) -> str | None:
        """The record before or after one in reading order (any state), wrapping around."""
        if record_id not in self.order:
            return self.order[0] if self.order else None
        return self.order[(self.order.index(record_id) + step) % len(self.order)]

    def problems_of(self, record_id: str, problems: list[Problem] | None = None) -> list[Problem]:
        """The problems about one record: on its row, or naming it (a cross-check names both records)."""
        if record_id == reviews.PACKAGE_ID:
            return [problem for problem in (self.baseline if problems is None else problems)
                    if problem.file == DESCRIPTOR]
        row = self.rows.get(record_id)
        rel = self.package.rel(row.table) if row is not None else None
        named = re.compile(rf"(?<![\w-]){re.escape(record_id)}(?![\w-])")
        return [problem for problem in (self.baseline if problems is None else problems)
                if (row is not None and problem.file == rel and problem.row == row.line)
                or named.search(problem.message)]

    # ---- position --------------------------------------------------------------------------------
    def _state_file(self, name: str, create: bool) -> Path | None:
        from ..system.state import directory

        place = directory(self.root, *STATE, create=create)
        return place / name if place is not None else None

    def remember(self, record_id: str) -> None:
        path = self._state_file("position.json", create=True)
        if path is not None:
            with contextlib.suppress(OSError):
                path.write_text(json.dumps({"record": record_id}), encoding="utf-8")

    def resume(self) -> str | None:
        """Where the reviewer left off: the record last shown while it is a candidate, else the next candidate."""
        path = self._state_file("position.json", create=False)
        last = None
        if path is not None and path.is_file():
            with contextlib.suppress(OSError, ValueError, AttributeError):
                last = json.loads(path.read_text(encoding="utf-8")).get("record")
        if last in self.rows and self.rows[last].status == "candidate":
            return last
        return self.next_candidate(last if last in self.rows else None) or (self.order[0] if self.order else None)

    # ---- actions -------------------------------------------------------------------------------
    def _row(self, record_id: str, version: str | None) -> Row:
        row = self.rows.get(record_id)
        if row is None:
            raise Conflict(f"{record_id} is no longer a claim or event of the package (changed by another tab "
                           "or person?): reload the page")
        if version is not None and version != row.version:
            raise Conflict(f"{record_id} changed since this page showed it (another tab or person changed it): "
                           "nothing was written; reload to see it as it is now")
        return row

    def accept(self, record_id: str, version: str | None) -> Outcome:
        with self.lock:
            self.ensure_current()
            row = self._row(record_id, version)
            from ..model.placeholders import TO_REVIEW, UNKNOWN_MEASURE, is_placeholder_measure, is_placeholder_note

            cells = {"status": "reviewed"}
            if is_placeholder_note(row.cells.get("note")):
                cells["note"] = ""  # init's "check the measure..." note: checked
            measure = row.cells.get("measure", "")
            words = measure.removesuffix(TO_REVIEW).strip()
            if measure.endswith(TO_REVIEW) and words and words != UNKNOWN_MEASURE:
                cells["measure"] = words  # the words init read, accepted as they are
            still = " (its measure is still init's placeholder: e says what it counts, as a release needs)" \
                if "measure" in row.cells and is_placeholder_measure(cells.get("measure", measure)) else ""
            change = Mutation(self.root)
            change.update_row(row.table, row.id, cells)
            after = {**row.cells, **cells}
            return self._apply(change, "accept", [(row, row.cells, after, "")], tables=[row.table],
                               message=f"accepted {row.id}: now reviewed{still}", go=self.next_candidate(row.id))

    def edit(self, record_id: str, version: str | None, fields: dict[str, str]) -> Outcome:
        with self.lock:
            self.ensure_current()
            row = self._row(record_id, version)
            change = Mutation(self.root)
            table = change.table(row.table)
            cells = {name: " ".join(str(value).split()) if name != "quote" else str(value).strip()
                     for name, value in fields.items() if name in table.header}
            cells.setdefault("status", "reviewed")
            if cells["status"] == "reviewed":  # what init left for a person, left as it was, is checked off too
                from ..model.placeholders import TO_REVIEW, UNKNOWN_MEASURE, is_placeholder_note

                if is_placeholder_note(cells.get("note", row.cells.get("note"))):
                    cells["note"] = ""
                measure = cells.get("measure", row.cells.get("measure", ""))
                words = measure.removesuffix(TO_REVIEW).strip()
                if measure.endswith(TO_REVIEW) and words and words != UNKNOWN_MEASURE:
                    cells["measure"] = words
            notes = []
            if "unit" in cells:  # a unit is a code: "widgets per hour" is widgets-per-hour
                cells["unit"] = re.sub(r"\s+", "-", cells["unit"].strip())
            unit = cells.get("unit", "")
            if row.table == "claims" and unit and UNIT_CODE.fullmatch(unit):
                if change.declare_unit(unit, suites=suites()):
                    notes.append(f"the unit {unit} is new: declared in the package's vocabulary, the claims "
                                 "schema and the suites")
                if re.fullmatch(r"[A-Z]{3}", unit) and declare_currency(change, unit):
                    notes.append(f"{unit} added to the package's currencies")
            new_id = cells.get("id", row.id) or row.id
            if new_id != row.id and self.model.record(row.id).verdicts:
                raise Refused(f"{row.id} has fact-checkers' verdicts: its id cannot change")
            change.update_row(row.table, row.id, cells)
            after = {**row.cells, **cells}
            changed = sorted(k for k in after if after[k] != row.cells.get(k))
            message = f"saved {new_id}: " + (", ".join(changed) + " changed" if changed else "nothing changed")
            message += "".join(f"; {note}" for note in notes)
            return self._apply(change, "edit", [(row, row.cells, after, "")], tables=[row.table], message=message,
                               go=self.next_candidate(row.id) if after.get("status") == "reviewed" else new_id)

    def reject(self, record_id: str, version: str | None, reason: str) -> Outcome:
        return self.reject_many([(record_id, version)], reason, "reject")

    def reject_many(self, records: list[tuple[str, str | None]], reason: str, label: str = "reject") -> Outcome:
        if reason not in REASONS:
            raise Refused(f"unknown reason {reason!r}: one of {', '.join(REASONS)}", status=400)
        with self.lock:
            self.ensure_current()
            rows = [self._row(key, version) for key, version in records]
            if not rows:
                raise Refused("nothing to reject", status=400)
            for row in rows:
                if self.model.record(row.id).verdicts:
                    raise Refused(f"{row.id} has fact-checkers' verdicts: a record they checked cannot be rejected")
            change = Mutation(self.root)
            places = {row.id: self.locate(row) for row in rows}
            for row in rows:
                change.remove_row(row.table, row.id)
            excluded = self._exclusions_for(change, rows, places, reason)
            entries = [(row, row.cells, {"exclusions": excluded.get(row.id, [])}, REASONS[reason]) for row in rows]
            shown = ", ".join(f"{e['number']} ({e['reason']})" for row in rows for e in excluded.get(row.id, []))
            what = rows[0].id if len(rows) == 1 else f"{len(rows)} records"
            return self._apply(change, "reject", entries, tables=sorted({row.table for row in rows}),
                               message=f"rejected {what}: now coverage exclusions: {shown or 'none needed'}",
                               go=self.next_candidate(rows[-1].id))

    def _exclusions_for(self, change: Mutation, rows: list[Row], places: dict, reason: str) -> dict[str, list]:
        """Exclude every number of the rejected records' quotes that nothing covers any more: the figure's
        numbers with the reason given, any other (a period's year) with the reason guessed for it."""
        from ..validation.warm import read_exclusions, unrecorded

        files = change.files()
        self.checker.put(files)  # stage the removal (not judged yet: the exclusions follow)
        try:
            staged = Package.load(self.checker.stage)
            exclusions, _ = read_exclusions(staged)
            missing = list(unrecorded(staged, staged.paper, exclusions))
        finally:
            self.checker.restore(change.files_before())
        found: dict[str, list] = {}
        for row in rows:
            place = places.get(row.id)
            if place is None:
                continue
            block, quote_start, quote_end, figure_start, figure_end = place
            for gap_block, number in missing:
                start, end = number.start, number.end
                if gap_block.line != block.line or gap_block.norm != block.norm:
                    continue
                if not quote_start <= start < max(quote_end, figure_end):
                    continue
                inside = figure_start <= start < figure_end
                why = REASONS[reason] if inside else REASONS[guess(self.proposer, block.norm, start, end)]
                cells = change.add_exclusion(block.norm[start:end], unique_context(self.package, block, start, end),
                                             why)
                found.setdefault(row.id, []).append(cells)
        return found

    def add(self, block_index: int, start: int, end: int) -> Outcome:
        """A claim the paper's reader missed: the figure at [start, end) of a block's normalised text,
        proposed as `claimpack init` proposes one, then reviewed by whoever adds it."""
        from ..init.candidates import _mask, sentences

        with self.lock:
            self.ensure_current()
            paper = self.package.paper
            if not 0 <= block_index < len(paper.blocks):
                raise Refused("no such block of the paper", status=400)
            block = paper.blocks[block_index]
            if not 0 <= start < end <= len(block.norm) or not block.norm[start:end].strip():
                raise Refused("select the figure in the paper's text", status=400)
            raw_start, raw_end = raw_offset(block, start), raw_offset(block, end)
            raw = block.text
            masked = _mask(raw)
            sentence = next(((a, b) for a, b in sentences(masked) if a <= raw_start < b), (0, len(raw)))
            proposer = self._new_proposer()
            proposer.ids.update(self.rows)
            proposer._claim(block, raw, masked, sentence[0], sentence[1], raw_start, raw_end, [],
                            self.package.vocabulary.language)
            if not proposer.proposal.claims:
                raise Refused(f"{block.norm[start:end]!r} is not a figure claimpack can read or place: select the "
                              "figure as printed, with its currency, scale or percent sign", status=400)
            cells = {k: "" if v is None else str(v) for k, v in proposer.proposal.claims[-1].items()}
            cells["status"] = "reviewed"
            cells["note"] = f"Added in the review workbench by {self.by}: init had not proposed it."
            change = Mutation(self.root)
            table = change.table("claims")
            previous = next((key for key in reversed(self.order[:self._insert_at(block_index, start)])
                             if self.rows[key].table == "claims"), None)
            change.insert_row("claims", {k: cells.get(k, "") for k in table.header}, after=previous)
            # the exclusions that covered the figure's numbers (and its period's years) are no longer needed:
            # those coverage no longer uses once the claim is in (a word, a rank, a Roman numeral alike)
            unused = sorted(self._unused_after(change), key=lambda exclusion: -exclusion.row)  # last first: rows
            removed = [exclusion.number for exclusion in unused if change.remove_exclusion_row(exclusion.row)][::-1]
            row = Row(cells["id"], "claims", cells, 0)
            note = f"; exclusions of {', '.join(removed)} removed" if removed else ""
            return self._apply(change, "add", [(row, {}, cells, "")], tables=["claims"],
                               message=f"added {cells['id']} ({cells['figure']}){note}", go=cells["id"])

    def _unused_after(self, change: Mutation) -> list:
        """The exclusions coverage uses now and would no longer use after `change` (staged, not judged)."""
        from ..validation.warm import read_exclusions, unrecorded

        unused_now = {p.row for p in self.baseline if p.code == "exclusion-unused"}
        self.checker.put(change.files())
        try:
            staged = Package.load(self.checker.stage)
            exclusions, _ = read_exclusions(staged)
            for _ in unrecorded(staged, staged.paper, exclusions):
                pass
        finally:
            self.checker.restore(change.files_before())
        return [e for e in exclusions if e.used == 0 and e.row not in unused_now]

    def _insert_at(self, block_index: int, start: int) -> int:
        """How many records stand before a place of the paper."""
        paper = self.package.paper
        index = {id(block): number for number, block in enumerate(paper.blocks)}
        count = 0
        for key in self.order:
            place = self.locate(self.rows[key])
            if place is not None and (index.get(id(place[0]), 0), place[3]) < (block_index, start):
                count += 1
        return count

    def verdict(self, record_id: str, version: str | None, verdict: str, note: str, evidence: str = "",
                value: str = "") -> Outcome:
        """A fact-checker's verdict, appended to data/verifications.csv as `claimpack verify` appends it."""
        from ..factcheck.verify import settled_stamp
        from ..model.verifications.input import check_evidence, check_text, check_value, check_verdict
        from ..model.verifications.lock import locked
        from ..model.verifications.log import LOG
        from ..model.verifications.schema import FIELDS, RESOURCE, add_resource

        try:
            verdict = check_verdict(verdict)
            by, note = check_text("by", self.by), check_text("note", note)
            evidence, value_text = check_evidence(evidence or None), check_value(value or None)
        except ClaimpackError as error:  # the CLI's checks, which name its options
            raise Refused(str(error).replace("--", "the "), status=400) from None
        with self.lock, locked(self.root):
            self.ensure_current()
            row = self._row(record_id, version)
            if row.status != "reviewed":
                raise Refused(f"{row.id} is a candidate: review it (accept or edit) before recording a verdict")
            if row.type == "event" and value_text:
                raise Refused("a value is given for an event, but only a claim has a value", status=400)
            change = Mutation(self.root)
            if not change.package.has(RESOURCE):
                add_resource(change.descriptor)
            rel = change.rel(RESOURCE)
            old = change.read(rel) or LOG.header_bytes()
            header, log = LOG.parse(old.decode("utf-8"))
            if tuple(header) != FIELDS or any(True for _ in LOG.broken_links(log)):
                raise Refused(f"{rel} is not an intact log: `claimpack validate` says why; nothing appended")
            number = (int(log[-1]["number"]) + 1) if log and log[-1]["number"].isdigit() else len(log) + 1
            cells = {"number": str(number), "record_id": row.id, "record_type": row.type, "verdict": verdict,
                     "by": by, "note": note, "evidence": evidence, "value": value_text,
                     "timestamp": settled_stamp(self.clock(), log)}
            cells["chain_hash"] = LOG.chain_hash(log[-1]["chain_hash"] if log else GENESIS, cells)
            change.append_line(rel, LOG.row_line(cells), LOG.header_bytes())
            return self._apply(change, "verdict", [(row, {}, cells, "")], tables=[],
                               message=f"recorded verdict {number} on {row.id}: {verdict}", go=row.id)

    def paper_issued(self) -> str:
        """The paper's date: the `issued` of its own row in sources (claimpack.own_source), or ""."""
        own = self.package.config.get("own_source")
        if not own or not self.package.has("sources"):
            return ""
        with contextlib.suppress(ClaimpackError):
            for record in Mutation(self.root, self.package.descriptor).table("sources").records:
                if record.cells.get("id") == own:
                    return record.cells.get("issued", "")
        return ""

    def about_now(self):
        """The package's title, licence, authors and the paper's date as the files say now."""
        from ..model.about import About

        return About.of(self.package.descriptor, self.paper_issued())

    def about(self, version: str | None, title: str, licence: str, authors: list[tuple[str, str]],
              date: str | None = None) -> Outcome:
        """Set the package's title, its records' licence, its authors in order and the paper's date
        (claimpack.model.about), with the CITATION.cff and README init wrote beside it: what `build --release`
        asks of a person beyond the records. A new year of the paper is also the latest a claim's period may
        name (the claims schema and its suite regenerated). One row of data/reviews.csv, for the package.
        `date` None keeps the paper's date."""
        from ..model.about import About, Author, citation_with, readme_with

        with self.lock:
            self.ensure_current()
            current = self.about_now()
            if version is not None and version != version_of(about_cells(current)):
                raise Conflict("the package's title, licence, authors or date changed since this page showed them "
                               "(another tab or person changed them): nothing was written; reload to see them")
            wanted = About(title, licence, tuple(Author(name, organization) for name, organization in authors),
                           current.date if date is None else date.strip())
            change = Mutation(self.root)
            columns: dict[str, set[str]] = {}
            try:
                if current.date and not wanted.date:
                    raise ClaimpackError("the paper's date is empty", field="date",
                                         expected="the paper's date as YYYY, YYYY-MM or YYYY-MM-DD")
                change.descriptor = wanted.applied(change.descriptor)
                date_after = wanted.checked().date
                if date_after and date_after != current.date:
                    columns = self._date_applied(change, date_after, current.date)
            except ClaimpackError as error:
                raise Refused(f"not saved: {error}", status=400) from None
            after = About.of(change.descriptor, date_after)
            if after == current:
                raise Refused("nothing changed: the package says this already", status=409)
            for rel, rewrite in (("CITATION.cff", citation_with), ("README.md", readme_with)):
                try:
                    old = change.read(rel)
                except ClaimpackError:
                    continue
                if old is not None:
                    new = rewrite(old.decode("utf-8", "replace"), after)
                    if new is not None and new.encode("utf-8") != old:
                        change.write(rel, new.encode("utf-8"))
            before_cells, after_cells = about_cells(current), about_cells(after)
            changed = [name for name in after_cells if after_cells[name] != before_cells.get(name)]
            row = Row(reviews.PACKAGE_ID, "package", before_cells, 0)
            return self._apply(change, "edit", [(row, before_cells, after_cells, "")], tables=[],
                               message=f"saved the package's {', '.join(changed)}", go=None, columns=columns)

    def _date_applied(self, change: Mutation, date: str, before: str) -> dict[str, set[str]]:
        """Write the paper's new date in its own row of sources; a new year is also the latest a claim's
        period may name (the claims schema's maximum and its suite). The columns each table changed."""
        own = self.package.config.get("own_source")
        if not own or not change.package.has("sources"):
            raise ClaimpackError("the package names no row of sources for the paper itself (claimpack.own_source)",
                                 field="date", expected="a package claimpack init made")
        change.update_row("sources", str(own), {"issued": date})
        columns = {"sources": {"issued"}}
        if date[:4] != before[:4]:
            bounded = False
            for item in change._fields("claims"):
                constraints = item.get("constraints")
                if item.get("name") in ("period_start", "period_end") and isinstance(constraints, dict) and \
                        "maximum" in constraints:
                    constraints["maximum"] = int(date[:4])
                    bounded = True
            if bounded:
                change.regenerate_suites(suites(), ("claims",))
                columns["claims"] = {"period_start", "period_end"}
        return columns

    def undo(self, expected: int | None) -> Outcome:
        """Put back exactly the files the last action wrote (its rows of reviews.csv stay: an undo is appended)."""
        with self.lock:
            self.ensure_current()
            log = self.log()
            undone = reviews.undone(log)
            actions = [e for e in log if e["kind"] != "undo" and e.action not in undone]
            if not actions:
                raise Refused("nothing to undo", status=409)
            last = actions[-1].action
            if expected is not None and expected != last:
                raise Conflict(f"the last action is now {last}, not {expected} (another tab or person acted "
                               "since): reload before undoing")
            if actions[-1]["kind"] == "verdict":
                raise Refused("the last action recorded a fact-checker's verdict: verdicts are never removed "
                              "(record another verdict to correct it)", status=409)
            snapshot = self._snapshot(last)
            if snapshot is None:
                raise Refused(f"the files action {last} replaced were not kept (.claimpack/review/undo/{last}.json "
                              "is missing): it cannot be undone exactly", status=409)
            change = Mutation(self.root)
            for rel, saved in snapshot["files"].items():
                if rel == DESCRIPTOR:
                    continue
                current = change.read(rel)
                if (sha256_bytes(current) if current is not None else None) != saved["after"]:
                    raise Conflict(f"{rel} changed since action {last}: it cannot be undone exactly")
                before = saved["before"]
                if before is None:
                    change.remove(rel)
                else:
                    change.write(rel, snapshots.unpack(before))
            descriptor_before = snapshot["files"].get(DESCRIPTOR, {}).get("before")
            if descriptor_before is not None:
                restored = json.loads(snapshots.unpack(descriptor_before))
                current = {r.get("name"): r for r in change.descriptor.get("resources", [])}
                if current.get(reviews.RESOURCE) is not None:  # the log is never restored: its declaration follows it
                    reviews.ensure_resource(restored)
                change.descriptor = restored
            rows = [entry for entry in log if entry.action == last]
            entries = []
            for entry in rows:
                table = {"claim": "claims", "event": "events"}.get(entry["record_type"], entry["record_type"])
                row = self.rows.get(entry["record_id"]) or Row(entry["record_id"], table, {}, 0)
                entries.append((row, entry.fields("after") or {}, entry.fields("before") or {},
                                f"undoes action {last} ({entry['kind']})"))
            first = rows[0]["record_id"] if rows else None
            return self._apply(change, "undo", entries, tables=list(TABLES),
                               message=f"undid action {last} ({rows[0]['kind'] if rows else '?'} of "
                                       f"{', '.join(e['record_id'] for e in rows)})",
                               go=first, undoes=last, judge=False)

    # ---- writing -----------------------------------------------------------------------------------
    def _apply(self, change: Mutation, kind: str, entries: list[tuple[Row, dict, dict, str]], *, tables: list[str],
               message: str, go: str | None, undoes: int | None = None, judge: bool = True,
               columns: dict[str, set[str]] | None = None) -> Outcome:
        """Log the action, stage and validate its files, and write them all at once if it adds no error.

        `tables`: the tables whose rows the action changed. Only what a change can alter is judged
        again (claimpack.validation.warm): the columns changed in place (accept, edit), or everything
        of a table whose rows came or went (reject, add, undo), or whose schema changed (a new unit).
        `columns`: the columns the action changed in tables beyond its entries' (the package's date).
        """
        changes: dict[str, set[str] | None] = {name: set(found) for name, found in (columns or {}).items()}
        removed: dict[str, list[int]] = {}
        touched: dict[str, list[tuple[int, dict, dict]]] = {}  # the rows rewritten in place

        def schemas(descriptor: dict) -> dict:
            return {r.get("name"): r.get("schema") for r in descriptor.get("resources", []) if r.get("name") in TABLES}

        schema_changed = schemas(change.descriptor) != schemas(self.package.descriptor)
        for row, before, after, _ in entries:
            if row.table not in tables:
                continue
            if kind in ("accept", "edit") and before and after:
                columns = changes.get(row.table, set())
                if columns is not None:
                    changes[row.table] = columns | {k for k in after if after.get(k) != before.get(k)} | (
                        {"id"} if after.get("id") != before.get("id") else set())
                    if row.line:
                        touched.setdefault(row.table, []).append((row.line, before, after))
            else:
                changes[row.table] = None
                if kind == "reject" and row.line:
                    removed.setdefault(row.table, []).append(row.line)
        if schema_changed or kind != "reject":
            removed = {}
        # a schema changed in the same step (a unit declared): frictionless validates the whole package, and
        # Great Expectations runs the expectations its regenerated suites hold anew (claimpack.validation.warm)
        if kind == "undo" and undoes in self.before_action:
            changes, known = {}, self.before_action[undoes]  # the problems the restored files had
        else:
            known = self.baseline
        log = self.log()
        action = max((e.action or 0 for e in log), default=0) + 1
        reviews.ensure_resource(change.descriptor)
        rel = change.rel(reviews.RESOURCE)
        previous = log[-1]["chain_hash"] if log else GENESIS
        number = len(log)
        stamp = self.clock()
        for row, before, after, reason in entries:
            number += 1
            cells = {"number": str(number), "action": str(action), "kind": kind, "record_id": row.id,
                     "record_type": row.type, "by": self.by, "timestamp": stamp,
                     "before": as_json(before) if before else "", "after": as_json(after) if after else "",
                     "reason": reason, "undoes": str(undoes) if undoes else ""}
            cells["chain_hash"] = previous = reviews.LOG.chain_hash(previous, cells)
            change.append_line(rel, reviews.LOG.row_line(cells), reviews.LOG.header_bytes())
        files = change.files()
        before_files = change.files_before()
        touched = {table: found for table, found in touched.items() if changes.get(table) is not None}
        checked = self.checker.check(files, changes, known, removed, touched)
        known = {key_of(p) for p in self.baseline if p.severity == "error"}
        added = [p for p in checked.errors if key_of(p) not in known]
        if judge and added:
            self.checker.restore(before_files)
            raise Refused(f"not saved: the change would make the package invalid ({len(added)} error(s))", added)
        self._keep(action, files, before_files, rel)
        write_files(self.root, files)
        self.before_action[action] = [p for p in self.baseline if p.file != rel]
        self.baseline = checked.problems
        self.load()
        records = [row.id for row, *_ in entries]
        shown = [p for key in dict.fromkeys([*records, *([go] if go else [])]) for p in self.problems_of(key)]
        outcome = Outcome(action, kind, records, message, list(dict.fromkeys(shown)), checked.seconds, go)
        self.last = self.outcomes[action] = outcome
        return outcome

    def _keep(self, action: int, files: dict[str, bytes | None], before: dict[str, bytes | None],
              log_rel: str) -> None:
        path = self._state_file("undo", create=True)
        if path is None:
            raise Refused("claimpack cannot keep the files for undo: .claimpack is not a directory of the package")
        snapshots.keep(path, action, files, before, log_rel)

    def _snapshot(self, action: int) -> dict | None:
        return snapshots.snapshot(self._state_file("undo", create=False), action)

    # ---- batch rules -------------------------------------------------------------------------------
    def matching(self, rule: str, value: str) -> list[Row]:
        """The candidates a batch rule selects: every one of a section, or whose figure a pattern frames
        ("version N": N stands for the figure's number), or numbered list items, or version numbers."""
        found = []
        pattern = None
        if rule == "pattern":
            text = " ".join(value.split())
            if "N" not in text or len(text) > 200:
                raise Refused("write the pattern with N where the number stands, such as 'version N'", status=400)
            parts = [re.escape(part).replace(r"\ ", r"\s+") for part in text.split("N")]
            number = r"(?P<n>\d[\d.,]*|[^\W\d_]+(?:-[^\W\d_]+)?)"  # digits, or a number word
            pattern = re.compile(number.join(parts), re.I)
        for key in self.order:
            row = self.rows[key]
            if row.status != "candidate":
                continue
            place = self.locate(row)
            if rule == "section":
                if row.cells.get("section", "") == value:
                    found.append(row)
                continue
            if place is None:
                continue
            block, _, _, start, end = place
            if end <= start:
                continue
            if rule == "pattern" and pattern is not None:
                if any(m.start("n") <= start < m.end("n") for m in pattern.finditer(block.norm)):
                    found.append(row)
            elif rule in ("numbering", "version") and guess(self.proposer, block.norm, start, end) == rule:
                found.append(row)
        return found


def raw_offset(block: Block, offset: int) -> int:
    """The offset in a block's text (as printed) of an offset in its normalised text."""
    raw = block.text
    low, high = 0, len(raw)
    while low < high:
        middle = (low + high) // 2
        if len(normalize(raw[:middle] + "\x00")) - 1 < offset:
            low = middle + 1
        else:
            high = middle
    return low


def unique_context(package: Package, block: Block, start: int, end: int) -> str:
    """Words around a number of a block, as few as make them stand once in the paper (an exclusion's context)."""
    norm = block.norm
    paper = package.paper
    for width in (12, 20, 32, 48, 80, 140, len(norm)):
        left = norm.rfind(" ", 0, max(0, start - width))
        right = norm.find(" ", min(len(norm), end + width))
        context = norm[left + 1 if left >= 0 else 0: right if right >= 0 else len(norm)].strip()
        if len(paper.search(normalize(context))) == 1:
            return context
    return norm


def suites():
    """The generator of the suites (claimpack.init.suites), which an added unit regenerates."""
    from ..init import suites as generator

    return generator


def declare_currency(change: Mutation, code: str) -> bool:
    """Add an ISO 4217 code to the package's currencies (the defaults kept: the descriptor's list replaces them)."""
    from ..model.vocabulary import CURRENCIES

    settings = change.descriptor.setdefault("claimpack", {})
    current = settings.get("currencies")
    currencies = dict(current) if isinstance(current, dict) else {k: dict(v) for k, v in CURRENCIES.items()}
    if code in currencies:
        return False
    currencies[code] = {"symbols": [code], "words": []}
    settings["currencies"] = currencies
    return True


def timed(function):
    """Run a function and return (its result, seconds)."""
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


__all__ = ["Checked", "Conflict", "Outcome", "Refused", "Row", "Workbench"]
