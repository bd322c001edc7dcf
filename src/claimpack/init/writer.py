"""`claimpack init PAPER [DIR]`: a complete package of candidate records for any paper.

The package is written into a temporary sibling of DIR and renamed into place only when whole,
so a failure leaves nothing behind. It holds the original paper byte for byte (and the text
derived from it), every table the paper gives rows for, candidate claims and events for every
number, coverage exclusions with their reasons, the Great Expectations suites generated from
the schemas, a Quarto report, a README and a CITATION.cff; it validates as written.
"""

from __future__ import annotations

import copy
import csv
import datetime
import errno
import hashlib
import io
import json
import os
import re
import shutil
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .. import __version__
from ..model.about import licence_entry, licence_id
from ..model.intake import hidden_in_text
from ..model.package import Package
from ..model.paths import DESCRIPTOR
from ..model.placeholders import UNKNOWN_AUTHOR
from ..model.units import generate, unit_description
from ..model.vocabulary import UNITS, Vocabulary
from ..system.bounded import Budget, run_bounded
from ..system.escape import markdown
from ..system.problems import ClaimpackError
from ..text import csl
from ..text.cites import Citations
from ..text.derivation import Reading, block_count
from ..text.metadata import day_first, header_date, is_organisation, iso_date
from ..text.notes import kebab, read_notes
from ..text.paper import FRONT_MATTER, Paper, is_heading
from ..text.reading import FORMATS, read
from .candidates import propose, slug
from .claiming import Claim
from .conform import clean_metadata, conform
from .suites import outputs as suite_files

MEDIA_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".txt": "text/plain", ".pdf": "application/pdf",
               ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".odt": "application/vnd.oasis.opendocument.text", ".html": "text/html", ".htm": "text/html",
               ".tex": "application/x-tex", ".latex": "application/x-tex", ".rst": "text/x-rst",
               ".epub": "application/epub+zip", ".org": "text/org"}
BIBLIOGRAPHY_HEADINGS = ("bibliography", "references", "works cited", "sources", "literature cited", "reference list")
COLUMNS = {
    "claims": ("id", "topic", "measure", "figure", "value", "value_min", "value_max", "qualifier", "unit", "place",
               "period_start", "period_end", "quote", "language", "section", "paragraph", "footnote", "source_id",
               "locator", "kind", "derived_from", "note", "status"),
    "events": ("id", "date", "end_date", "date_precision", "event", "place", "quote", "section", "paragraph",
               "footnote", "source_id", "locator", "note", "status"),
    "sources": ("id", "type", "author", "editor", "title", "container_title", "collection_title", "publisher",
                "publisher_place", "issued", "edition", "volume", "number_of_volumes", "issue", "page", "number", "url",
                "doi", "accessed", "in_bibliography", "bibliography_entry", "note"),
    "footnotes": ("number", "text", "section", "note"),
    "citations": ("footnote", "position", "source_id", "locator", "cited_as", "ibid", "ibid_of"),
    "checks": ("id", "relation", "expression", "tolerance", "description"),
    "verifications": ("number", "record_id", "record_type", "verdict", "by", "note", "evidence", "value", "timestamp",
                      "chain_hash"),
}
EXCLUSIONS = "validation/coverage-exclusions.csv"
UNRECORDED_REASON = "a number claimpack init could not place as a figure or a date (review it)"


@dataclass
class InitResult:
    root: Path
    claims: int
    events: int
    exclusions: int
    footnotes: int
    sources: int
    warnings: list[str] = field(default_factory=list)


def _asset(*parts: str) -> bytes:
    return resources.files("claimpack").joinpath("assets", "package", *parts).read_bytes()


def _csv(columns: tuple[str, ...], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in columns])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- reading the paper ----------------------------------------------------------------------
def model(reading: Reading) -> tuple[Paper, dict]:
    """The paper model of a reading, and the claimpack settings that make validate read it the same way."""
    text = reading.text
    if reading.derivation.style == "pages":
        body_start = _body_start(text)
        bibliography = _page_bibliography(text)
        paper = Paper.parse(text, body_start=body_start, bibliography=bibliography, note_blocks=True)
        return paper, {"paper_style": "pages", "body_start": body_start, "bibliography": bibliography,
                       "notes": "counted"}
    headings = [line.lstrip("#").strip() for line in text.split("\n") if re.match(r"#{1,6} ", line)]
    bibliography = next((h for h in reversed(headings) if h.lower().strip(" :") in BIBLIOGRAPHY_HEADINGS), None)
    return Paper.parse_blocks(text, bibliography=bibliography, note_blocks=True), \
        {"paper_style": "blocks", "bibliography": bibliography, "notes": "counted"}


def _body_start(text: str) -> str | None:
    """Where the body of a page-converted paper begins: the heading before its first footnote marker."""
    probe = Paper.parse(text, body_start=None, bibliography=None)
    last = None
    for block in probe.blocks:
        if block.kind == "heading":
            last = block.text
        elif block.markers and last:
            return last
    intro = next((b.text for b in probe.blocks if b.kind == "heading" and b.text.lower() == "introduction"), None)
    return intro or next((b.text for b in probe.blocks if b.kind == "heading"), None)


def _page_bibliography(text: str) -> str | None:
    found = None
    for chunk in re.split(r"\n\s*\n", text):
        line = chunk.strip().strip("*").strip()
        if is_heading(line) and line.lower() in BIBLIOGRAPHY_HEADINGS:
            found = line
    return found


def _title(reading: Reading, paper: Paper) -> str:
    if reading.title:
        return " ".join(reading.title.split())
    for block in paper.blocks:
        if block.section == FRONT_MATTER and len(block.text.split()) >= 4 and not block.text.rstrip().endswith(
                (".", ",")):
            return " ".join(block.text.replace("*", "").split())
    return "Untitled paper"


def paper_date(reading: Reading) -> str:
    """The paper's date as ISO 8601 (as precise as it is certain): from its metadata, else from a header
    line near its top ("Updated September 23, 2026"); "" when it states none."""
    found = iso_date(reading.date, day_first(reading.text))
    if found:
        return found
    top = [line.lstrip("#").strip() for line in reading.text.split("\n")[:40] if line.strip()][:12]
    return header_date(top)


def _year(reading: Reading, paper: Paper) -> str:
    found = re.match(r"\d{4}", paper_date(reading))
    if found:
        return found.group()
    dated = [block for block in paper.text_blocks()[:12]  # a line that is only a date, near the top
             if re.fullmatch(r"[\w ,.-]{0,20}\b(?:19|20)\d\d(?:-\d\d-\d\d)?", block.text.strip())]
    years = [int(y) for block in paper.blocks if block.section == FRONT_MATTER or block in dated
             for y in re.findall(r"\b(?:19|20)\d\d\b", block.text)]
    if not years:
        years = [int(y) for block in paper.text_blocks() for y in re.findall(r"\b(?:19|20)\d\d\b", block.text)]
    return str(max(years)) if years else str(datetime.date.today().year)


def _people(authors: list[str]) -> str:
    found = []
    for author in authors:
        words = author.split()
        found.append(f"{words[-1]}, {' '.join(words[:-1])}" if len(words) >= 2 and "," not in author and
                     not is_organisation(author) else author)
    return "; ".join(found)


# ---- the package ------------------------------------------------------------------------------
class Writer:
    """Build every file of the package in memory, then write them into a directory."""

    def __init__(self, paper_path: Path, reading: Reading, paper: Paper, settings: dict,
                 license_name: str | None = None):
        self.path = paper_path
        self.license = license_name
        self.reading = reading
        self.paper = paper
        self.settings = settings
        self.words = Vocabulary()
        self.files: dict[str, bytes] = {}
        self.warnings: list[str] = []
        self._original: bytes | None = None
        self.seen: tuple[int, int, int] | None = None  # the paper's inode, size and mtime before it was read
        self.title = _title(reading, paper)
        self.year = _year(reading, paper)
        authors = reading.authors
        # the own source's id: the first author's family name, or a body's initials ("crs" for the Congressional
        # Research Service), else the title's first words
        family = (kebab("".join(w[0] for w in authors[0].split() if w[:1].isupper()) or authors[0])
                  if is_organisation(authors[0]) else kebab(authors[0].split()[-1])) if authors else \
            kebab(" ".join(self.title.split()[:2]))
        family = family[:40].rstrip("-")  # a 100 KB name is no id (ids stay short words)
        self.own_id = f"{family or 'paper'}-{self.year}"
        self.name = slug(self.title, 60) or "paper"

    def build(self) -> None:
        own = {"id": self.own_id, "type": "report", "author": _people(self.reading.authors), "title": self.title,
               "issued": paper_date(self.reading) or self.year, "in_bibliography": False, "bibliography_entry": "",
               "note": "The paper itself: the source of its author's own figures."}
        keyed = {number: list(keys) for number, keys in self.reading.citations.items()}
        self.sources, self.citations = read_notes(self.paper, own, self.reading.references, keyed,
                                                  self.reading.links)
        # each value a sources field refuses (a javascript: address) is left out, with a warning
        schema = json.loads(_asset("resources.json"))["sources"]["schema"]["fields"]
        self.warnings += conform(self.sources, schema, "data/sources.csv")
        self._date_after_cited_works()
        cited: dict[int, list[tuple[str, str]]] = {}
        printed: dict[int, list[str]] = {}
        for row in self.citations:
            cited.setdefault(row["footnote"], []).append((row["source_id"], row["locator"]))
            printed.setdefault(row["footnote"], []).append(row.get("cited_as") or "")
        words = self.words.pattern(self.words.cardinal_words)
        in_text = Citations(self.sources)  # [3], (Smith 2020) and [@key] in the text, read against the sources
        proposal = propose(self.paper, self.words, cited, self.own_id, words, int(self.year), in_text, printed,
                           paper_date(self.reading))
        if not proposal.claims:
            raise ClaimpackError("the paper states no figure (no number in its text is a quantity)",
                                 file=str(self.path), expected="a paper with numbers to record")
        self.claims, self.events, self.exclusions = proposal.claims, proposal.events, proposal.exclusions
        self.footnotes = [{"number": number, "text": note.text, "section": note.section or FRONT_MATTER}
                          for number, note in sorted(self.paper.footnotes.items())]

    def _date_after_cited_works(self) -> None:
        """A paper is no older than the works it cites: take the latest cited year when its own date is earlier
        (a draft's date, a preprint revised later), and say so."""
        years = [int(found.group()) for row in self.sources if row["id"] != self.own_id
                 for found in [re.match(r"\d{4}", str(row.get("issued") or ""))] if found]
        latest = max(years, default=0)
        if latest <= int(self.year):
            return
        self.warnings.append(f"the paper is dated {self.year} but cites a work of {latest}: {latest} is taken as "
                             "its year (review issued in data/sources.csv)")
        self.year = str(latest)
        for row in self.sources:
            if row["id"] == self.own_id:
                row["issued"] = self.year

    # ---- files
    def original(self) -> bytes:
        """The paper's bytes, as they were when it was read: refused if it became a link or changed since."""
        if self._original is None:
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError as exc:
                raise ClaimpackError(f"cannot read: {exc.strerror}", file=str(self.path),
                                     expected="the paper file itself, not a link to one") from None
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if self.seen is not None and (info.st_ino, info.st_size, info.st_mtime_ns) != self.seen:
                    raise ClaimpackError("the paper changed while init read it", file=str(self.path),
                                         expected="a paper no other program is writing")
                self._original = handle.read()
        return self._original

    def render(self) -> None:
        """Every file of the package but the descriptor's hashes, which `finish` adds."""
        suffix = self.path.suffix.lower()
        original = f"data/source/paper{suffix}"
        self.files[original] = self.original()
        if self.reading.derivation.style == "blocks":
            self.files["data/source/paper.txt"] = self.reading.text.encode("utf-8")
        tables = {"claims": self.claims, "events": self.events, "sources": self.sources, "footnotes": self.footnotes,
                  "citations": self.citations, "checks": [], "verifications": []}
        for name, rows in tables.items():
            self.files[f"data/{name}.csv"] = _csv(COLUMNS[name], rows).encode("utf-8")
        self.files[EXCLUSIONS] = _csv(("number", "context", "reason"), self.exclusions).encode("utf-8")
        self.descriptor = self._descriptor(original)
        required = tuple(name for name in ("claims", "sources", "footnotes", "citations", "events")
                         if tables[name])
        head = _asset("great_expectations.yml").decode("utf-8").replace(
            "{data_context_id}", str(uuid.uuid5(uuid.NAMESPACE_URL, f"claimpack:{self.name}")))
        for path, text in suite_files(Path("validation/gx"), self.descriptor, required, head).items():
            self.files[str(path)] = text.encode("utf-8")
        self.files["validation/gx/plugins/claimpack_expectations.py"] = _asset("claimpack_expectations.py")
        self.files["report/_quarto.yml"] = self._quarto().encode("utf-8")
        self.files["report/index.qmd"] = _asset("report", "index.qmd")
        self.files["report/chicago-note-bibliography.csl"] = _asset("report", "chicago-note-bibliography.csl")
        self.files["report/claimpack.css"] = _asset("report", "claimpack.css")
        self.files["report/tables.typ"] = _asset("report", "tables.typ")
        self.files["README.md"] = self._readme().encode("utf-8")
        self.files["CITATION.cff"] = self._citation().encode("utf-8")
        self.files[".gitignore"] = b"_site/\n_site.*/\n.claimpack/\nreport/references.bib\nreport/.quarto/\n" \
                                   b"validation/gx/uncommitted/\n"

    def _descriptor(self, original: str) -> dict:
        template = json.loads(_asset("resources.json"))
        units = dict(UNITS)
        for row in self.claims:
            units.setdefault(row["unit"], unit_description(row["unit"]))
        resources_ = []
        for name in ("claims", "events", "sources", "footnotes", "citations", "checks", "verifications"):
            resource = copy.deepcopy(template[name])
            if name == "claims":
                for item in resource["schema"]["fields"]:
                    if item["name"] == "unit":
                        item["constraints"]["enum"] = list(units)
                    if item["name"] in ("period_start", "period_end"):  # nothing the paper reports is later
                        item["constraints"]["maximum"] = int(self.year)
            if name == "sources":  # the kinds of work CSL knows, from their one list
                for item in resource["schema"]["fields"]:
                    if item["name"] == "type":
                        item["constraints"]["enum"] = list(csl.TYPES)
            resources_.append(resource)
        suffix = self.path.suffix.lower()
        derived = self.reading.derivation.style == "blocks"
        paper = {"name": "paper", "path": "data/source/paper.txt" if derived else original, "type": "file",
                 "scheme": "file", "format": "txt" if derived else suffix.lstrip("."),
                 "mediatype": "text/plain" if derived else MEDIA_TYPES.get(suffix, "application/octet-stream"),
                 "encoding": "utf-8", "title": "The paper's text",
                 "description": ("The text quotes are matched against, derived from the original paper by "
                                 f"{self.reading.derivation.describe()} and claimpack (claimpack.derivation); "
                                 "claimpack validate derives it again and refuses a difference.") if derived else
                 "The paper as supplied, byte for byte; quotes are matched against it."}
        resources_.append(paper)
        if derived:
            resources_.append({"name": "paper-original", "path": original, "type": "file", "scheme": "file",
                               "format": suffix.lstrip("."), "mediatype": MEDIA_TYPES.get(suffix,
                                                                                          "application/octet-stream"),
                               "title": "The paper as supplied",
                               "description": "The original file of the paper, byte for byte."})
        settings = {"paper": "paper", **{k: v for k, v in self.settings.items() if v is not None},
                    "own_source": self.own_id, "exclusions": EXCLUSIONS, "expectations": "validation/gx",
                    "report": "report/index.qmd", "units": units}
        if self.settings.get("bibliography") is None:
            settings["bibliography"] = None
        if derived:
            settings["original"] = "paper-original"
            settings["derivation"] = {**self.reading.derivation.to_dict(), "blocks": block_count(self.reading.text)}
        return generate({  # the unit enum from claimpack.units, as `claimpack vocabulary sync` writes it
            "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
            "name": self.name,
            "title": f"Figures of '{self.title}'",
            "description": f"Every quantitative claim, dated event, footnote and cited work of '{self.title}', "
                           "each with its verbatim quote and its place in the paper. Proposed by claimpack init: "
                           "every record is a candidate until a person reviews it.",
            "version": "0.1.0",
            "created": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            **({"licenses": [licence_entry(self.license)]} if self.license else {}),
            "contributors": [{"title": author, "roles": ["author"]} for author in self.reading.authors] or
                            [{"title": UNKNOWN_AUTHOR, "roles": ["author"]}],
            "sources": [{"title": self.title, "path": original, "version": self.year}],
            "resources": resources_,
            "claimpack": settings,
        })

    def _quarto(self) -> str:
        # Quarto and pandoc read a metadata string as Markdown: the paper's title is text, escaped as such
        title = json.dumps(f"What the figures say: {markdown(self.title)}", ensure_ascii=False)
        return f"""project:
  type: default
  render:
    - index.qmd
  # validate the package and write references.bib from data/sources.csv before every render
  pre-render: claimpack prerender ..

title: {title}
subtitle: "Every figure of the paper, traced to its place and source"
lang: en
bibliography: references.bib
csl: chicago-note-bibliography.csl
link-citations: true

execute:
  echo: false
  warning: false

format:
  html:
    toc: true
    toc-depth: 2
    embed-resources: true
    css: claimpack.css
    output-file: index.html
    # the PDF is linked from the page as "PDF" (Quarto would say "Typst", the tool that sets it)
    format-links:
      - html
      - format: typst
        text: PDF
  typst:
    toc: true
    toc-depth: 2
    citeproc: true
    papersize: a4
    # long tables break across pages, cells set ragged-right: report/tables.typ
    include-in-header: tables.typ
    output-file: report.pdf
"""

    def _readme(self) -> str:
        title = markdown(self.title)
        return f"""# {title}, figure by figure

This folder holds the figures of "{title}" as a Frictionless data package, proposed by
`claimpack init` {__version__} and checked by `claimpack validate`.

Every claim and event starts as a **candidate**: review each one in `data/claims.csv` and
`data/events.csv` (its measure, unit, place and period), set `status` to `reviewed`, run
`claimpack validate`, and publish with `claimpack build --release`.

## Data

- `data/claims.csv`: one row per figure of the paper, with its quote, place and footnote;
- `data/events.csv`: one row per dated event;
- `data/sources.csv`, `data/footnotes.csv`, `data/citations.csv`: the cited works, the footnotes
  as printed and what each cites (Ibid. resolved);
- `data/source/`: the paper as supplied{" and the text derived from it" if "data/source/paper.txt" in self.files
                                         else ""};
- `validation/`: the Great Expectations suites and the coverage exclusions (numbers that are not
  figures, each with its reason).

## License

{f"The records are licensed under {self.license}; say under what terms the paper's own text is kept."
 if self.license else "No licence is chosen yet: choose one for the records (for example CC-BY-4.0) and say under "
 "what terms the paper's own text is kept, in `datapackage.json` and here, before publishing."}
"""

    def _citation(self) -> str:
        authors = self.reading.authors or [UNKNOWN_AUTHOR]
        lines = ["cff-version: 1.2.0", 'message: "If you use this dataset, please cite it as below, and cite the '
                 'paper it describes."', "type: dataset", f"title: {json.dumps('Figures of ' + self.title)}",
                 "version: 0.1.0", "authors:"]
        lines += [f"  - name: {json.dumps(author)}" for author in authors]
        lines += ["references:", "  - type: article", f"    title: {json.dumps(self.title)}", "    authors:"]
        lines += [f"      - name: {json.dumps(author)}" for author in authors]
        lines += [f"    year: {self.year}"]
        return "\n".join(lines) + "\n"

    # ---- writing
    def write(self, directory: Path) -> None:
        for rel, data in self.files.items():
            target = directory / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for resource in self.descriptor["resources"]:
            data = self.files[resource["path"]]
            resource["hash"], resource["bytes"] = f"sha256:{_sha256(data)}", len(data)
        text = json.dumps(self.descriptor, indent=2, ensure_ascii=False) + "\n"
        (directory / DESCRIPTOR).write_text(text, encoding="utf-8")


def _settle(writer: Writer, directory: Path, rounds: int = 4) -> bool:
    """Drop what provenance cannot anchor and exclude what coverage finds unrecorded, until both are clean:
    True when they are (as written), False when the rounds ran out first."""
    from ..validation.validate import coverage_gaps, provenance_findings

    for _ in range(rounds):
        writer.write(directory)
        package = Package.load(directory)
        problems = provenance_findings(package)
        bad = {(p.file, p.row) for p in problems if p.row is not None and p.file in ("data/claims.csv",
                                                                                      "data/events.csv")}
        if bad:
            writer.claims = [row for index, row in enumerate(writer.claims, start=2)
                             if ("data/claims.csv", index) not in bad]
            writer.events = [row for index, row in enumerate(writer.events, start=2)
                             if ("data/events.csv", index) not in bad]
        # unused: an exclusion no number needs, or one coverage cannot use as written ("one" in "the one and
        # only", which coverage reads as one number-like phrase): dropped, and what it stood for excluded again
        missing, unused = coverage_gaps(package)
        if not bad and not missing and not unused:
            return True
        kept = [row for index, row in enumerate(writer.exclusions, start=2) if index not in unused]
        seen = {(row["number"], row["context"]) for row in kept}
        for block, number in missing:
            norm, start, end = block.norm, number.start, number.end
            left = norm.rfind(" ", 0, max(0, start - 18))
            right = norm.find(" ", min(len(norm), end + 18))
            context = norm[left + 1 if left >= 0 else 0: right if right >= 0 else len(norm)]
            key = (norm[start:end], context)
            if key not in seen:
                seen.add(key)
                kept.append({"number": norm[start:end], "context": context, "reason": UNRECORDED_REASON})
        writer.exclusions = kept
        writer.render()
    writer.write(directory)
    return False


def check_paper(path: Path) -> tuple[int, int, int]:
    """Refuse a paper that is missing, a symbolic link (init would copy what it points at, a private key
    or /etc/passwd, into a package to publish) or not a file, in one line."""
    formats = "a paper: " + ", ".join(sorted({s.lstrip('.') for s in FORMATS}))
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise ClaimpackError("no such file" if exc.errno == errno.ENOENT else f"cannot read: {exc.strerror}",
                             file=str(path), expected=formats) from None
    if stat.S_ISLNK(info.st_mode):
        raise ClaimpackError("the paper is a symbolic link", file=str(path),
                             expected="the paper file itself, not a link to one (copy the file)")
    if not stat.S_ISREG(info.st_mode):
        raise ClaimpackError("not a file" if stat.S_ISDIR(info.st_mode) else "not a regular file", file=str(path),
                             expected=formats)
    return info.st_ino, info.st_size, info.st_mtime_ns


def init(paper_path: str | Path, target: str | Path | None = None,
         progress: Callable[[str], None] | None = None, license_name: str | None = None) -> InitResult:
    """Write a package of candidate records for the paper at paper_path into target (a new directory).

    `license_name`: the SPDX identifier of the records' licence (CC-BY-4.0); without one the
    package names none, and `build --release` refuses it until one is chosen.
    """
    say = progress or (lambda message: None)
    if license_name is not None:
        license_name = licence_id(license_name, "--license")
    paper_path = Path(paper_path)
    before = check_paper(paper_path)
    shown = Path(target) if target is not None else Path(slug(paper_path.stem, 40))
    target = Path(os.path.abspath(shown))  # "." is the directory it names, a link stays a link
    if target == Path(os.path.abspath(paper_path)):
        raise ClaimpackError("the target is the paper itself", file=str(shown),
                             expected="a new or empty directory for the package")
    claim = Claim(target, shown)
    failed = True
    try:
        staging = claim.take()
        made = run_bounded(_make, paper_path, staging, before, say, license_name, label=str(paper_path),
                           what="making the package", budget=init_budget(),
                           expected="a paper claimpack init can read within its budget (CLAIMPACK_INIT_BUDGET)")
        claim.publish(staging)
        failed = False
    finally:
        claim.release(failed)
    return InitResult(shown, *made)


def init_budget() -> Budget:
    """What one init may spend, beyond what claimpack holds when it starts: 4 GiB of memory, 600 s of CPU,
    900 s in all. CLAIMPACK_INIT_BUDGET="MEMORY_MB,CPU_SECONDS,WALL_SECONDS" sets another (a CI runner)."""
    setting = os.environ.get("CLAIMPACK_INIT_BUDGET", "")
    try:
        memory, cpu, wall = (float(part) for part in setting.split(","))
        return Budget(int(memory) << 20, max(1, int(cpu)), wall)
    except ValueError:
        return Budget(4 << 30, 600, 900.0)


def _make(paper_path: Path, staging: Path, before: tuple[int, int, int], say: Callable[[str], None],
          license_name: str | None = None) -> tuple:
    """Read the paper and write its whole package into staging, validated (in init's bounded child):
    (claims, events, exclusions, footnotes, sources, warnings)."""
    say(f"reading {paper_path}")
    reading = read(paper_path)
    if not reading.text.strip():
        raise ClaimpackError("the paper is empty (no text)", file=str(paper_path), expected="a paper with text")
    hidden = next((p for p in hidden_in_text(reading.text, "") if p.severity == "error"), None)
    if hidden is not None:  # its quotes would carry it, and the package could not validate as written
        where = hidden.message.removeprefix("text holds ")
        raise ClaimpackError(f"the paper's text holds {where} of line {hidden.row}", file=str(paper_path),
                             expected=hidden.expected)
    cleaned = clean_metadata(reading)  # metadata is no part of the text: it is made printable and short
    paper, settings = model(reading)
    if not any(block.text.strip() for block in paper.text_blocks()):
        raise ClaimpackError("the paper is empty (no text)", file=str(paper_path), expected="a paper with text")
    say(f"proposing records for {len(paper.text_blocks())} blocks and {len(paper.footnotes)} footnotes")
    writer = Writer(paper_path, reading, paper, settings, license_name)
    writer.seen = before
    writer.warnings += cleaned + reading.warnings
    writer.build()
    writer.render()
    say("checking every record against the paper")
    settled = _settle(writer, staging)
    say("validating the package as written")
    _validated(staging, paper_path, settled, writer)
    warnings = ([] if license_name else ["no licence is set: choose one in datapackage.json (licenses) before "
                                         "publishing"]) + writer.warnings
    if not reading.authors:
        warnings.append("the paper's metadata names no author: fill in contributors in datapackage.json")
    return (len(writer.claims), len(writer.events), len(writer.exclusions), len(writer.footnotes),
            len(writer.sources), warnings)


def _validated(staging: Path, paper_path: Path, settled: bool, writer: Writer | None = None) -> None:
    """Validate the package as written, before it is moved into place: init never writes a package that
    fails its own validation. The reader, frictionless and consistency run; provenance (the text derived
    again too) and coverage when settling did not end with them clean. Everything, Great Expectations
    included, when CLAIMPACK_INIT_CHECK=all (the test suite sets it: every package any test makes is
    validated whole).

    A candidate claim or event that fails any check of any layer (a value its schema refuses, say) is
    repaired as settling repairs what provenance cannot anchor: it is left out, its numbers become
    coverage exclusions for review, and the package is validated again. Anything else refuses, in one
    line, with nothing written."""
    from ..validation.validate import validate

    every = os.environ.get("CLAIMPACK_INIT_CHECK") == "all"
    # settled: provenance and coverage found the files as written clean a moment ago (the text was derived
    # from this very original); the cross-checks only warn
    skip = () if every else ("expectations", "crosscheck", *(("provenance", "coverage") if settled else ()))
    report = validate(staging, skip=skip)
    shutil.rmtree(staging / ".claimpack", ignore_errors=True)  # the saved result: no file of the package
    records = {(p.file, p.row) for p in report.errors if p.file in _RECORDS and p.row is not None}
    if not report.valid and writer is not None and records and \
            all((p.file, p.row) in records for p in report.errors):
        writer.claims = [row for index, row in enumerate(writer.claims, start=2)
                         if ("data/claims.csv", index) not in records]
        writer.events = [row for index, row in enumerate(writer.events, start=2)
                         if ("data/events.csv", index) not in records]
        writer.warnings.append(f"{len(records)} candidate record(s) failed validation as proposed and were left "
                               "out: their numbers are coverage exclusions to review")
        writer.render()
        _validated(staging, paper_path, _settle(writer, staging))
        return
    if not report.valid:
        first = report.errors[0]
        raise InitInvalid(f"claimpack init made a package that fails its own validation, and wrote nothing: "
                          f"{first.line()}", file=str(paper_path),
                          expected="a package that validates as written (please report this paper)")


_RECORDS = ("data/claims.csv", "data/events.csv")


class InitInvalid(ClaimpackError):
    """init made a package its own validation refuses: claimpack's defect, not the user's (exit 3)."""

    exit_code = 3
