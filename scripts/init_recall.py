"""How many of a paper's figures, notes and cited works `claimpack init` finds on its own.

Two modes.

This package (the default): runs `init` on the package's paper (data/source/paper.md) into a
temporary directory and matches each reviewed claim to one candidate, one to one:
- on figure (as printed) and value: the recall of figures;
- also on section, paragraph and footnote: the recall of places.
Precision is the share of candidates that match a reviewed claim on figure and value.

    .venv/bin/python scripts/init_recall.py                       # this package
    .venv/bin/python scripts/init_recall.py PACKAGE_DIR --show    # and list what was missed

The corpus (`--corpus`): runs `claimpack init` (as a user does, in a subprocess) on each real paper
of tests/corpus/ and compares what it proposes with the paper's answer key (NAME.key.yaml and
NAME.figures.csv, written by a human reader; tests/corpus/README.md gives their format):

    .venv/bin/python scripts/init_recall.py --corpus              # Markdown table, one row a paper
    .venv/bin/python scripts/init_recall.py --corpus --json       # everything, for machines
    .venv/bin/python scripts/init_recall.py --corpus --paper cv-energy-blog --show   # what was missed

How the corpus is scored (the rules are here and in tests/corpus/README.md, nowhere else):
- A key figure and a candidate match when their numbers as printed agree (the first number in the
  figure, thousands separators and spaces dropped, or its first number word: "5.55 Watts" matches
  "5.55", "30-second" matches "30") and their values agree (relative 1e-6; for a range, its bounds
  or its lower bound). A doubtful key figure matches on the number alone. Each candidate matches
  at most one key figure: first those whose quote contains the key's quote (compared on letters
  and digits only, so line breaks, hyphenation and glued words do not matter), then any.
- firm: the share of firm key figures matched (all; and prose only, without table cells and
  display equations).
- precision: matched firm / (candidates - candidates matched to doubtful figures).
- notes: key notes matched one to one with init's footnotes whose text contains the key's first
  words (or its URL), compared on letters and digits only.
- carry: firm key figures with a note whose candidate's footnote is that note (a missed figure
  carries nothing).
- works: the key's cited works that some source row of init (not the paper itself) names, by
  DOI, by URL (scheme, "www." and a trailing slash ignored) or by title (one contains the other,
  letters and digits only, 12 or more of them; a law, whose citation is its title, by a title
  equal on letters and digits, or one holding the other's whole citation: "47 U.S.C. §606",
  "P.L. 117-103" in "Consolidated Appropriations Act, 2022 (P.L. 117-103)").
- linked: firm key figures with a work whose candidate's source is that work.
- title / authors / date: title equal on letters and digits, case ignored; every author a
  contributor of their own, in order; the date of the paper's own source equal to the key's at
  the key's precision ("year" when only the year agrees; "-" when the paper prints none).
- glued: runs of letters in the derived text that run words together ("Inrecentyears"), by
  wordninja's English word list (126,000 words ranked by frequency, from Wikipedia; on PyPI): a
  run of 10 or more letters (split at lower-to-upper case changes; URLs and domains left out; not
  all capitals) that is neither a listed word nor written so in the original (its words as
  pdfium, the DOCX XML or the source text give them), and that splits into three or more of the
  30,000 commonest words, or into two of the 10,000 commonest of five letters or more. A lower
  bound: "executiontime" is not counted.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
FORMATS = {".md": "Markdown", ".docx": "Word", ".html": "HTML", ".pdf": "PDF", ".odt": "ODT", ".tex": "LaTeX"}
NOT_PROSE = {"table", "equation"}

NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
    "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million",
    "millions", "billion", "billions", "dozen", "dozens", "twice", "double", "triple", "half", "third", "quarter",
    "first", "second", "decade", "couple", "tens", "single", "year",
}
_NUMBER = re.compile(r"[-−+]?\d+(?:[,\u00a0\u202f\u2009 ]\d{3})*(?:\.\d+)?(?:[eE][-−+]?\d+)?")


# --- normalising ---------------------------------------------------------------------------------

def letters(text: str) -> str:
    """Letters and digits only, case folded: what survives line breaks, hyphenation and glued words."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if ch.isalnum())


def figure_core(figure: str) -> str:
    """The number as printed in a figure: its first number (separators dropped) or number word."""
    text = unicodedata.normalize("NFKC", figure or "")
    found = _NUMBER.search(text)
    if found:
        return re.sub(r"[,\u00a0\u202f\u2009 ]", "", found.group()).replace("−", "-").lstrip("+")
    words = re.findall(r"[^\W\d_]+", text.casefold())
    for word in words:
        if word in NUMBER_WORDS:
            return word
    return " ".join(words)


def _number(text: str | None) -> float | None:
    try:
        value = float(str(text).replace("−", "-"))
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def same_value(key: dict, candidate: dict) -> bool:
    """The candidate's value is the key's (a range: the same bounds, or the value its lower bound)."""
    if _close(_number(key.get("value")), _number(candidate.get("value"))):
        return True
    low, high = _number(key.get("value_min")), _number(key.get("value_max"))
    if low is not None and high is not None:
        return _close(low, _number(candidate.get("value_min"))) and _close(high, _number(candidate.get("value_max")))
    return False


def url_key(url: str) -> str:
    url = (url or "").strip().rstrip(".,;)").casefold()
    url = re.sub(r"^https?://", "", url)
    url = re.sub(r"^www\.", "", url)
    return url.rstrip("/")


def doi_key(doi: str) -> str:
    doi = (doi or "").strip().casefold()
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi).rstrip(".")


# --- the key -------------------------------------------------------------------------------------

@dataclass
class Key:
    name: str
    paper: Path
    title: str
    authors: list[str]
    date: str
    notes: list[dict]
    works: list[dict]
    figures: list[dict]

    @property
    def works_by_id(self) -> dict[str, dict]:
        return {work["id"]: work for work in self.works}


def load_key(paper: Path) -> Key:
    import yaml

    stem = paper.with_suffix("")
    data = yaml.safe_load((stem.parent / f"{stem.name}.key.yaml").read_text(encoding="utf-8"))
    with (stem.parent / f"{stem.name}.figures.csv").open(encoding="utf-8", newline="") as handle:
        figures = list(csv.DictReader(handle))
    return Key(stem.name, paper, str(data.get("title") or ""), [str(a) for a in data.get("authors") or []],
               "" if data.get("date") is None else str(data["date"]), list(data.get("notes") or []),
               list(data.get("works") or []), figures)


def corpus_papers(directory: Path = CORPUS) -> list[Path]:
    return sorted(p for p in directory.iterdir()
                  if p.suffix in FORMATS and (directory / f"{p.stem}.key.yaml").is_file())


def note_works(note: dict) -> list[str]:
    return [note["work"]] if note.get("work") else list(note.get("works") or [])


# --- matching ------------------------------------------------------------------------------------

def match_figures(figures: list[dict], candidates: list[dict]) -> tuple[dict[int, dict], set[int]]:
    """Pair key figures with candidates, one to one: {key index: candidate}, and the doubtful pairs."""
    free = list(range(len(candidates)))
    cores = [figure_core(c.get("figure", "")) for c in candidates]
    quotes = [letters(c.get("quote", "")) for c in candidates]
    pairs: dict[int, dict] = {}
    doubtful: set[int] = set()
    order = [i for i, f in enumerate(figures) if f.get("firm") == "yes"] + \
            [i for i, f in enumerate(figures) if f.get("firm") != "yes"]
    for use_context in (True, False):
        for i in order:
            if i in pairs:
                continue
            key = figures[i]
            firm = key.get("firm") == "yes"
            context = letters(key.get("quote", "")) if key.get("where") not in NOT_PROSE else ""
            if use_context and not context:
                continue
            core = figure_core(key.get("figure", ""))
            for j in free:
                if cores[j] != core or (firm and not same_value(key, candidates[j])):
                    continue
                if use_context and context not in quotes[j]:
                    continue
                pairs[i] = candidates[j]
                if not firm:
                    doubtful.add(i)
                free.remove(j)
                break
    return pairs, doubtful


def match_notes(key_notes: list[dict], footnotes: list[dict]) -> dict[int, str]:
    """Pair key notes with init's footnotes, one to one, by text: {key index: footnote number}."""
    texts = {row["number"]: letters(row.get("text", "")) for row in footnotes}
    used: set[str] = set()
    pairs: dict[int, str] = {}
    for i, note in enumerate(key_notes):
        wanted = letters(note.get("text", ""))
        for number, text in texts.items():
            if number not in used and wanted and wanted in text:
                pairs[i] = number
                used.add(number)
                break
    return pairs


def footnote_notes(key_notes: list[dict], footnotes: list[dict]) -> dict[str, set[str]]:
    """For each init footnote, the key notes (numbers) whose text it carries."""
    out: dict[str, set[str]] = {}
    for row in footnotes:
        text = letters(row.get("text", ""))
        out[row["number"]] = {str(n["number"]) for n in key_notes if letters(n.get("text", "")) and
                              letters(n.get("text", "")) in text}
    return out


def source_names_work(source: dict, work: dict) -> bool:
    """Whether a source row of init names this cited work (by DOI, URL or title)."""
    if work.get("doi") and doi_key(work["doi"]) in {doi_key(source.get("doi", "")), doi_key(source.get("url", ""))}:
        return True
    if work.get("url") and url_key(work["url"]) and url_key(work["url"]) == url_key(source.get("url", "")):
        return True
    title, theirs = letters(work.get("title", "")), letters(source.get("title", ""))
    shorter = min(len(title), len(theirs))
    if work.get("type") in LAWS and shorter >= 4:  # "S. 315", "47 U.S.C. §606": the citation is the title
        return title == theirs or _cites_law(work.get("title", ""), source.get("title", "")) or \
            _cites_law(source.get("title", ""), work.get("title", ""))
    return shorter >= 12 and (title in theirs or theirs in title)


LAWS = {"legislation", "bill", "legal_case"}


def _cites_law(longer: str, citation: str) -> bool:
    """Whether a title holds a law's whole citation (its words and numbers, not a longer number)."""
    words = re.findall(r"[A-Za-z]+|\d+", citation)
    pattern = r"\W*".join(re.escape(word) for word in words)
    return bool(words) and re.search(rf"(?<![A-Za-z0-9]){pattern}(?!\.?[0-9])", longer, re.I) is not None


# --- glued words ---------------------------------------------------------------------------------

_RANKS: dict[str, int] | None = None
_URLS = re.compile(r"\S*(?:://|www\.|@)\S*|\S+\.(?:com|org|net|io|gov|edu|ai|co|dev)\b\S*", re.IGNORECASE)
COMMON = 30_000  # a part of a glued run is one of the 30,000 most frequent words
VERY_COMMON = 10_000  # both parts of a two-word run are among the 10,000 most frequent


def word_ranks() -> dict[str, int]:
    """wordninja's English word list (by frequency): word -> rank."""
    global _RANKS
    if _RANKS is None:
        import gzip

        import wordninja

        folder = Path(wordninja.__file__).parent
        path = next(p for p in (folder / "wordninja" / "wordninja_words.txt.gz", folder / "wordninja_words.txt.gz")
                    if p.is_file())
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            words = [line.strip() for line in handle if line.strip()]
        _RANKS = {word: rank for rank, word in reversed(list(enumerate(words)))}
    return _RANKS


def glued_words(text: str, written: set[str] | frozenset[str] = frozenset(), minimum: int = 10) -> list[str]:
    """Runs of letters that are words run together.

    A run (split at lower-to-upper case changes; URLs, e-mail addresses and domains left out) of
    `minimum` letters or more, not all capitals, that is neither in the word list nor written so in
    the original (`written`: its words, lower case), and that splits into three or more common words,
    or into two very common words of five letters or more.
    """
    import wordninja

    ranks = word_ranks()
    found = []
    for run in re.findall(r"[^\W\d_]+", _URLS.sub(" ", text)):
        for piece in re.split(r"(?<=[a-z])(?=[A-Z])", run):
            low = piece.casefold()
            if len(low) < minimum or piece.isupper() or not low.isascii() or low in ranks or low in written:
                continue
            parts = wordninja.split(low)
            if "".join(parts) != low or not all(ranks.get(p, COMMON) < COMMON for p in parts):
                continue
            if len(parts) >= 3 or (len(parts) == 2 and min(map(len, parts)) >= 5 and
                                   max(ranks[p] for p in parts) < VERY_COMMON):
                found.append(piece)
    return found


def written_words(paper: Path) -> set[str]:
    """The words of the original as written (lower case): a run the author wrote is not glued."""
    if paper.suffix == ".pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(str(paper))
        try:
            text = "\n".join(page.get_textpage().get_text_range() for page in document)
        finally:
            document.close()
    elif paper.suffix in (".docx", ".odt"):
        import zipfile

        with zipfile.ZipFile(paper) as archive:
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", archive.read(name).decode("utf-8", "replace")))
                            for name in archive.namelist() if name.endswith(".xml"))
    else:
        text = html.unescape(re.sub(r"<[^>]+>", " ", paper.read_text(encoding="utf-8", errors="replace")))
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


# --- one paper -----------------------------------------------------------------------------------

def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Result:
    name: str
    format: str
    seconds: float
    firm: tuple[int, int]
    prose: tuple[int, int]
    precision: tuple[int, int]
    notes: tuple[int, int]
    carry: tuple[int, int]
    works: tuple[int, int]
    sources: int
    linked: tuple[int, int]
    title: bool
    authors: bool
    date: str
    glued: list[str]
    found_title: str = ""
    found_authors: list[str] = field(default_factory=list)
    found_date: str = ""
    missed: list[dict] = field(default_factory=list)
    false: list[dict] = field(default_factory=list)
    notes_missed: list[str] = field(default_factory=list)
    works_missed: list[str] = field(default_factory=list)


def score(key: Key, package: Path, seconds: float = 0.0) -> Result:
    """Compare an init package with the paper's answer key."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    candidates = _rows(package / "data" / "claims.csv")
    footnotes = _rows(package / "data" / "footnotes.csv")
    sources = _rows(package / "data" / "sources.csv")
    own_id = (descriptor.get("claimpack") or {}).get("own_source", "")
    own = next((s for s in sources if s.get("id") == own_id), {})
    cited = [s for s in sources if s.get("id") != own_id]
    by_id = {s.get("id"): s for s in sources}

    figures = key.figures
    pairs, doubtful = match_figures(figures, candidates)
    firm = [i for i, f in enumerate(figures) if f.get("firm") == "yes"]
    prose = [i for i in firm if figures[i].get("where") not in NOT_PROSE]
    found = [i for i in firm if i in pairs]
    matched_firm = len(found)
    neutral = len(doubtful)

    notes_pairs = match_notes(key.notes, footnotes)
    carriers = footnote_notes(key.notes, footnotes)
    noted = [i for i in firm if figures[i].get("note") and not figures[i].get("where", "").startswith("note")]
    carried = sum(1 for i in noted if i in pairs and
                  set(figures[i]["note"].split("|")) & carriers.get(pairs[i].get("footnote", ""), set()))

    works = key.works
    works_found = [w for w in works if any(source_names_work(s, w) for s in cited)]
    with_work = [i for i in firm if figures[i].get("work")]
    linked = 0
    for i in with_work:
        if i not in pairs:
            continue
        source = by_id.get(pairs[i].get("source_id"))
        wanted = [key.works_by_id[w] for w in figures[i]["work"].split("|") if w in key.works_by_id]
        if source is not None and source.get("id") != own_id and any(source_names_work(source, w) for w in wanted):
            linked += 1

    found_title = own.get("title") or next((s.get("title", "") for s in descriptor.get("sources", [])), "")
    people = [c.get("title", "") for c in descriptor.get("contributors", []) if "author" in (c.get("roles") or [])]
    title_right = letters(found_title) == letters(key.title) and bool(key.title)
    authors_right = [unicodedata.normalize("NFC", " ".join(p.split())).casefold() for p in people] == \
                    [unicodedata.normalize("NFC", " ".join(a.split())).casefold() for a in key.authors]
    found_date = str(own.get("issued") or "")
    if not key.date:
        date = "-"
    elif found_date == key.date:
        date = "yes"
    elif found_date[:4] == key.date[:4]:
        date = "year"
    else:
        date = "no"

    derived = ""
    resource = next((r for r in descriptor.get("resources", []) if r.get("name") == "paper"), None)
    if resource and (package / resource["path"]).is_file():
        derived = (package / resource["path"]).read_text(encoding="utf-8", errors="replace")

    matched_ids = {id(c) for c in pairs.values()}
    false = [c for c in candidates if id(c) not in matched_ids]
    return Result(
        name=key.name, format=FORMATS.get(key.paper.suffix, key.paper.suffix), seconds=seconds,
        firm=(matched_firm, len(firm)), prose=(sum(1 for i in prose if i in pairs), len(prose)),
        precision=(matched_firm, len(candidates) - neutral), notes=(len(notes_pairs), len(key.notes)),
        carry=(carried, len(noted)), works=(len(works_found), len(works)), sources=len(cited),
        linked=(linked, len(with_work)), title=title_right, authors=authors_right, date=date,
        glued=glued_words(derived, written_words(key.paper)), found_title=found_title, found_authors=people,
        found_date=found_date,
        missed=[figures[i] for i in firm if i not in pairs],
        false=[{k: c.get(k, "") for k in ("figure", "value", "section", "quote")} for c in false],
        notes_missed=[str(n.get("number")) for i, n in enumerate(key.notes) if i not in notes_pairs],
        works_missed=[w["id"] for w in works if w not in works_found],
    )


def run_init(paper: Path, target: Path) -> float:
    """Run `claimpack init` as a user does; return the seconds it took."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "claimpack", "init", str(paper), str(target)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{paper.name}: claimpack init failed ({done.returncode}): "
                           f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}")
    return seconds


def measure(paper: Path) -> Result:
    key = load_key(paper)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "package"
        seconds = run_init(paper, target)
        return score(key, target, seconds)


# --- reporting -----------------------------------------------------------------------------------

def _share(pair: tuple[int, int]) -> str:
    got, of = pair
    return "—" if not of else f"{got}/{of} ({100 * got / of:.0f}%)"


def _plain(pair: tuple[int, int]) -> str:
    return "—" if not pair[1] else f"{pair[0]}/{pair[1]}"


def table(results: list[Result]) -> str:
    head = ("| paper | format | firm figures found | in prose | precision | notes | noted figures carrying it "
            "| cited works as sources (init rows) | figures linked to their work | title | authors | date "
            "| glued words | init s |")
    lines = [head, "|:--|:--|" + "--:|" * 12]
    for r in results:
        lines.append(
            f"| {r.name} | {r.format} | {_share(r.firm)} | {_share(r.prose)} | {_share(r.precision)} | "
            f"{_plain(r.notes)} | {_plain(r.carry)} | {_plain(r.works)} ({r.sources}) | {_plain(r.linked)} | "
            f"{'yes' if r.title else 'no'} | {'yes' if r.authors else 'no'} | {r.date} | {len(r.glued)} | "
            f"{r.seconds:.1f} |")
    return "\n".join(lines)


def as_json(results: list[Result]) -> str:
    def one(r: Result) -> dict:
        data = {k: v for k, v in r.__dict__.items()}
        for k in ("firm", "prose", "precision", "notes", "carry", "works", "linked"):
            data[k] = {"found": r.__dict__[k][0], "of": r.__dict__[k][1]}
        return data
    return json.dumps([one(r) for r in results], ensure_ascii=False, indent=1)


def show(result: Result) -> str:
    lines = [f"{result.name}: title {result.found_title!r}, authors {result.found_authors}, date {result.found_date!r}"]
    lines += [f"  missed: {f['figure']!r} = {f['value']} ({f['where']}): {f['quote']}" for f in result.missed]
    lines += [f"  not a key figure: {c['figure']!r} = {c['value']} [{c['section'][:30]}]: {c['quote'][:80]}"
              for c in result.false]
    lines += [f"  note not found: {n}" for n in result.notes_missed]
    lines += [f"  work not a source: {w}" for w in result.works_missed]
    lines += [f"  glued: {', '.join(result.glued[:40])}"] if result.glued else []
    return "\n".join(lines)


def corpus_main(args: argparse.Namespace) -> int:
    directory = Path(args.corpus).resolve()
    papers = [p for p in corpus_papers(directory) if not args.paper or p.stem in args.paper or p.name in args.paper]
    if not papers:
        print(f"init_recall: no paper with an answer key in {directory}", file=sys.stderr)
        return 2
    results = [measure(paper) for paper in papers]
    if args.json:
        print(as_json(results))
    else:
        print(table(results))
    if args.show:
        for result in results:
            print(show(result), file=sys.stderr if args.json else sys.stdout)
    return 0


# --- this package (the first mode) ---------------------------------------------------------------

def _same_value(a: str, b: str) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    except ValueError:
        return False


def match(reviewed: list[dict], candidates: list[dict]) -> tuple[list[tuple[dict, dict, bool]], list[dict]]:
    """Pair reviewed claims with candidates (figure and value), the same place first; and the unmatched."""
    free = list(candidates)
    pairs, missed = [], []
    for claim in reviewed:
        fits = [c for c in free if c["figure"] == claim["figure"] and _same_value(c["value"], claim["value"])]
        placed = [c for c in fits if (c["section"], c["paragraph"], c["footnote"]) ==
                  (claim["section"], claim["paragraph"], claim["footnote"])]
        chosen = (placed or fits or [None])[0]
        if chosen is None:
            missed.append(claim)
            continue
        free.remove(chosen)
        pairs.append((claim, chosen, bool(placed)))
    return pairs, missed


def package_main(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from claimpack.init.writer import init
    from claimpack.model.package import Package

    package = Package.load(Path(args.package).resolve())
    paper = package.path_of(package.config.get("original") or package.config["paper"])
    reviewed = [row for row in _rows(package.path_of("claims")) if row.get("status", "reviewed") == "reviewed"]
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        result = init(paper, Path(scratch) / "package")
        seconds = time.perf_counter() - started
        candidates = _rows(result.root / "data" / "claims.csv")
    pairs, missed = match(reviewed, candidates)
    placed = sum(1 for _, _, same in pairs if same)
    total = len(reviewed) or 1
    print(f"paper: {paper.relative_to(package.root)} ({len(reviewed)} reviewed claims, {len(candidates)} candidates, "
          f"init in {seconds:.1f} s)")
    print(f"recall, figure and value:                          {len(pairs)}/{len(reviewed)} = "
          f"{100 * len(pairs) / total:.1f}%")
    print(f"recall, figure, value, section, paragraph, footnote: {placed}/{len(reviewed)} = "
          f"{100 * placed / total:.1f}%")
    print(f"precision (candidates that are reviewed claims):   {len(pairs)}/{len(candidates)} = "
          f"{100 * len(pairs) / (len(candidates) or 1):.1f}%")
    if args.show:
        for claim in missed:
            print(f"missed: {claim['id']}: {claim['figure']!r} = {claim['value']}")
        for claim, candidate, same in pairs:
            if not same:
                print(f"elsewhere: {claim['id']}: reviewed {claim['section']!r} {claim['paragraph']} "
                      f"fn {claim['footnote']!r}; candidate {candidate['section']!r} {candidate['paragraph']} "
                      f"fn {candidate['footnote']!r}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("package", nargs="?", default=str(ROOT), help="a package with reviewed claims")
    parser.add_argument("--corpus", nargs="?", const=str(CORPUS), default=None,
                        help="measure init on the papers with answer keys in this folder (default tests/corpus)")
    parser.add_argument("--paper", action="append", help="with --corpus: only this paper (repeatable)")
    parser.add_argument("--json", action="store_true", help="with --corpus: print JSON instead of a Markdown table")
    parser.add_argument("--show", action="store_true", help="list what init missed (and, with --corpus, proposed)")
    args = parser.parse_args(argv)
    return corpus_main(args) if args.corpus else package_main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
