"""Cross-checks a fact-checker would otherwise run by hand. They are warnings: they never fail validation.

- A footnote and the bibliography disagree: an author's name spelled differently, a title printed
  differently, a URL on another domain, a page outside the article's page range, a cited work
  missing from the bibliography (or listed but never cited).
- The paper states the same quantity twice with different values.
- A derived claim (kind `derived`, with `derived_from`) does not match its recomputation, in the
  manner of statcheck: rounding to the printed precision and the qualifier are allowed for.

Validation settles the findings against the defects the package records (defects.csv): a finding
recorded as a defect of the paper is reported as recorded, not as a warning
(claimpack.validation.validate.settled).
"""

from __future__ import annotations

import difflib
import functools
import re
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace

from ...model.expressions import ExpressionError, evaluate, parse
from ...model.numbers import FigureError, parse_figure, style_of
from ...model.package import Package
from ...model.placeholders import compared
from ...system.problems import NOTHING, ClaimpackError, Problem, Subject
from ...text import csl
from ...text.cites import Citations
from ...text.paper import normalize

APPROXIMATE = {"approximately", "some", "about", "almost"}
APPROXIMATE_TOLERANCE = 0.05  # "approximately 56%" may be 5% off
CITATION_FIELDS = ("footnote", "position", "source_id", "locator", "cited_as", "ibid", "ibid_of")


def _plain(text: str) -> str:
    return normalize(text).replace('"', "")


_NON_WORD = re.compile(r"[\W_]+")


_WORD = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    if text.isascii() and "\\" not in text:
        # what follows for plain ASCII: emphasis and quote marks removed, runs of anything but
        # letters and digits made one space, the ends trimmed
        return " ".join(_WORD.findall(text.replace("*", "").replace('"', ""))).casefold()
    text = _plain(text)
    if not text.isascii():  # ASCII is already NFKD, without combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).casefold().strip()


def printed_title(entry: str) -> str | None:
    """The title of a bibliography entry or citation as printed: its first quoted or italic part."""
    text = normalize(entry.replace("*", "\x01"))
    match = re.search(r"\"(.+?)\"|\x01([^\x01]+)\x01", text)
    if not match:
        return None
    title = (match.group(1) or match.group(2)).replace("\x01", "")
    return title.strip().rstrip(".,;:") or None


def hosts(text: str) -> set[str]:
    found = set()
    for match in re.finditer(r"(?:https?:)?//([A-Za-z0-9.-]+\.[A-Za-z]{2,})", text or ""):
        host = match.group(1).lower()
        found.add(host[4:] if host.startswith("www.") else host)
    return found


def page_range(page: str | None) -> tuple[int, int] | None:
    """'635–76' -> (635, 676); '133' -> (133, 133)."""
    if not page:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*(?:[-–—]\s*(\d+))?\s*", page)
    if not match:
        return None
    start = int(match.group(1))
    if not match.group(2):
        return start, start
    end_text = match.group(2)
    end = int(match.group(1)[: len(match.group(1)) - len(end_text)] + end_text) if len(end_text) < len(
        match.group(1)) else int(end_text)
    return start, end


def pages(locator: str | None) -> list[int]:
    """Every page a locator names ('29-30' -> [29, 30]; '636, 643' -> [636, 643])."""
    found = []
    for part in re.split(r",\s*", locator or ""):
        bounds = page_range(part)
        if bounds:
            found.extend(sorted(set(bounds)))
    return found


def _names_word(name: str, text: str) -> bool:
    """Does text name `name` as whole words (case and accents folded)? 'Kinosiann' does not name 'Kinosian'."""
    folded = _fold(name)
    return bool(folded) and _whole_words(folded).search(_fold(text)) is not None


@functools.lru_cache(maxsize=4096)
def _whole_words(folded: str) -> re.Pattern:
    return re.compile(rf"(?<![^\W_]){re.escape(folded)}(?![^\W_])")


def family_names(author: str | None) -> list[str]:
    names = []
    for person in (author or "").split(";"):
        if "," in person:
            names.append(person.split(",")[0].strip())
    return [name for name in names if name]


def check(package: Package) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    problems: list[Problem] = []
    try:
        problems += footnotes_against_bibliography(package)
        problems += repeated_figures(package)
        problems += derived_claims(package)
    except ClaimpackError as exc:
        problems.append(exc.problem)
    return problems, {"errors": 0, "warnings": sum(p.severity == "warning" for p in problems),
                      "seconds": round(time.perf_counter() - started, 3)}


def _warning(file: str, row: int | None, field: str | None, message: str, expected: str | None,
             code: str, subject: Subject = NOTHING) -> Problem:
    return Problem(file, row, field, message, expected, layer="crosscheck", code=code, severity="warning",
                   subject=subject)


def footnotes_against_bibliography(package: Package) -> list[Problem]:
    if not (package.has("citations") and package.has("sources") and package.has("footnotes")):
        return []
    sources = package.table("sources").by("id")
    notes = package.table("footnotes")
    footnotes = {key: text or "" for key, text in zip(notes.column("number"), notes.column("text"))}
    table = package.table("citations")
    per_footnote = Counter(table.column("footnote"))
    problems, cited_in = [], defaultdict(list)
    own = package.config.get("own_source")
    for row, number in table.select(*CITATION_FIELDS):
        source = sources.get(row.get("source_id"))
        footnote = row.get("footnote")
        cited_in[row.get("source_id")].append(footnote)
        # the footnote against the bibliography: a work the bibliography lists (a note of comment cites the
        # paper itself; a work only the notes cite has no bibliography to disagree with)
        if source is None or row.get("ibid") or row.get("source_id") == own or not source.get("bibliography_entry"):
            continue
        about = Subject(footnotes=(footnote,) if footnote is not None else (), source=row.get("source_id"))
        cited = row.get("cited_as") or ""
        # a footnote that cites one work: the whole note (with its URL) speaks for it
        context = footnotes.get(footnote, cited) if per_footnote[footnote] == 1 else cited
        words = re.findall(r"[^\W\d_][\w'’-]*", _plain(context))
        families = family_names(source.get("author"))
        if re.search(r"\bet al\b", context):
            families = families[:1]  # "Sullivan et al." names the first author only
        for family in families:
            if _names_word(family, context):
                continue
            close = difflib.get_close_matches(family, words, n=1, cutoff=0.75)
            spelled = f"spells {close[0]!r}" if close else "does not name"
            problems.append(_warning(table.rel, number, "cited_as",
                                     f"footnote {footnote} {spelled} where the bibliography has {family!r}",
                                     f"{family} as in the bibliography entry", "author-spelling", about))
        entry = source.get("bibliography_entry") or ""
        title = printed_title(entry) if entry else None
        title = title or source.get("title")
        if title:
            problems += _title(table.rel, number, footnote, title, context, about)
        if entry and hosts(context) and hosts(entry) and not hosts(context) & hosts(entry):
            problems.append(_warning(table.rel, number, "cited_as",
                                     f"footnote {footnote} links to {', '.join(sorted(hosts(context)))} "
                                     f"where the bibliography links to {', '.join(sorted(hosts(entry)))}",
                                     "the same web address in both", "url-domain", about))
        bounds = page_range(source.get("page"))
        if bounds and source.get("type") in csl.PARTS:
            outside = [page for page in pages(row.get("locator")) if not bounds[0] <= page <= bounds[1]]
            if outside and bounds[0] == bounds[1]:
                problems.append(_warning(table.rel, number, "locator",
                                         f"footnote {footnote} cites page {outside[0]}, but the bibliography gives "
                                         f"{row.get('source_id')} only page {bounds[0]}",
                                         f"the article's page range in the bibliography, including page {outside[0]}",
                                         "page-outside-range", about))
            elif outside:
                problems.append(_warning(table.rel, number, "locator",
                                         f"footnote {footnote} cites page {outside[0]}, outside the pages "
                                         f"{source.get('page')} the bibliography gives for {row.get('source_id')}",
                                         f"a page within {bounds[0]}–{bounds[1]}", "page-outside-range", about))
    listing = any(row.get("in_bibliography") for row in package.table("sources").rows)
    in_text = _cited_in_text(package)
    sources_table = package.table("sources")
    first_citation = {}
    for row, _ in table.select(*CITATION_FIELDS):
        if not row.get("ibid"):
            first_citation.setdefault(row.get("source_id"), row)
    for row, number in zip(sources_table.rows, sources_table.row_numbers):
        if row.get("id") == own:
            continue
        problem = _entry_author(sources_table.rel, number, row, first_citation.get(row.get("id")))
        if problem:
            problems.append(problem)
        notes = sorted(n for n in cited_in.get(row.get("id"), []) if n is not None)
        # missing from the bibliography: where the paper has one, and for a work a bibliography would list (not a
        # page its note gives by its address alone, not a law cited by its citation)
        listable = listing and row.get("type") not in _LAWS and row.get("title") != row.get("url")
        if row.get("in_bibliography") is False and notes and listable:
            problems.append(_warning(sources_table.rel, number, "in_bibliography",
                                     f"{row['id']} is cited in footnote{'s' if len(notes) > 1 else ''} "
                                     f"{', '.join(map(str, notes))} but missing from the bibliography",
                                     "every cited work in the bibliography", "missing-from-bibliography",
                                     Subject(footnotes=tuple(notes), source=row.get("id"))))
        if row.get("in_bibliography") and not notes and row.get("id") not in in_text:
            problems.append(_warning(sources_table.rel, number, "id",
                                     f"{row.get('id')} is in the bibliography but neither a footnote nor the text "
                                     "cites it", "a footnote or an in-text citation ([3], (Smith 2020)) citing it",
                                     "never-cited", Subject(source=row.get("id"))))
    return _grouped(problems)


_LAWS = {"legislation", "bill", "regulation", "legal_case", "treaty", "hearing"}


def _cited_in_text(package: Package) -> set[str]:
    """The works the paper's text cites in its own way ([3], (Smith 2020), [@key]; claimpack.text.cites)."""
    try:
        paper = package.paper
    except ClaimpackError:
        return set()
    cites = Citations(row for row, _ in package.table("sources").select("id", "author", "issued",
                                                                        "bibliography_entry"))
    return {work for block in paper.blocks if block.kind != "bibliography-entry"
            for cite in cites.find(block.norm) for work, _ in cite.works}


def _entry_author(rel: str, number: int, source: dict, citation: dict | None) -> Problem | None:
    """The bibliography entry must start with the first author's family name ('Ph.D, H. Micheal Tarver' does not)."""
    families = family_names(source.get("author"))
    entry = _plain(source.get("bibliography_entry") or "")
    if not families or not entry or citation is None:
        return None
    parts = entry.split(",", 2)
    if _fold(parts[0]) == _fold(families[0]):
        return None
    # 'Family, Given' as printed: the first part, and the given names up to the next comma or title
    lead = parts[0].strip() + (", " + re.split(r"\.\s+[\"*“]", parts[1])[0].strip() if len(parts) > 1 else "")
    cited = _plain(citation.get("cited_as") or "")
    printed = next((part.strip() for part in re.split(r",\s+(?:and\s+)?|\s+and\s+", cited)
                    if _names_word(families[0], part)), families[0])
    return _warning(rel, number, "bibliography_entry",
                    f"the bibliography prints the first author of {source.get('id')} as {lead!r} where footnote "
                    f"{citation.get('footnote')} has {printed!r}",
                    f"the entry to begin with the family name {families[0]!r}", "author-order",
                    Subject(footnotes=(citation["footnote"],) if citation.get("footnote") is not None else (),
                            source=source.get("id")))


def _grouped(problems: list[Problem]) -> list[Problem]:
    """One warning per disagreement: the same finding in several footnotes is listed once."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        key = (problem.file if problem.field == "cited_as" else id(problem), problem.code,
               re.sub(r"footnote \d+", "footnote N", problem.message), problem.expected)
        groups.setdefault(key, []).append(problem)
    merged = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            notes = [note for p in group for note in p.subject.footnotes]
            message = re.sub(r"footnote \d+", f"footnotes {', '.join(map(str, notes))}", first.message, count=1)
            message = message.replace(" prints ", " print ").replace(" spells ", " spell ").replace(
                " links ", " link ").replace(" cites ", " cite ")
            first = Problem(first.file, first.row, first.field, message, first.expected, first.layer, first.code,
                            first.severity, subject=replace(first.subject, footnotes=tuple(notes)))
        merged.append(first)
    return merged


def _title(rel: str, number: int, footnote: int, title: str, context: str, about: Subject) -> list[Problem]:
    if _plain(title) in _plain(context):
        return []
    short = re.split(r"[:?]", title)[0]
    if _fold(title) in _fold(context):
        printed = _printed_form(title, context)
        return [_warning(rel, number, "cited_as",
                         f"footnote {footnote} prints the title as {printed!r}, the bibliography as {title!r}",
                         "the same capitalisation and spacing", "title-form", about)]
    if short and _plain(short) in _plain(context):
        return []  # Chicago's short title
    if short and _fold(short) in _fold(context):
        printed = _printed_form(short, context)
        return [_warning(rel, number, "cited_as",
                         f"footnote {footnote} prints the title as {printed!r}, the bibliography as {short!r}",
                         "the same capitalisation and spacing", "title-form", about)]
    return [_warning(rel, number, "cited_as", f"footnote {footnote} does not give the title {title!r}",
                     "the bibliography's title or its short form", "title-differs", about)]


def _printed_form(title: str, context: str) -> str:
    """The stretch of the footnote that matches a title under case and spacing folding."""
    words = _fold(title).split()
    pattern = r"[\W_]*".join(re.escape(w) for w in words)
    plain = _plain(context)
    match = re.search(pattern, unicodedata.normalize("NFKD", plain), re.I)
    return match.group(0) if match else title


def repeated_figures(package: Package) -> list[Problem]:
    """The same quantity (measure, unit, place, period) stated with different values.

    Only claims a person reviewed and measured are compared: init's candidates carry a
    placeholder measure, and two guesses that agree say nothing about the paper.
    """
    if not package.has("claims"):
        return []
    table = package.table("claims")
    measures, values, units, places, starts, ends = (table.column(name) for name in (
        "measure", "value", "unit", "place", "period_start", "period_end"))
    statuses = table.column("status")
    def quantity(index: int) -> tuple:
        return _fold(measures[index]), units[index], places[index], starts[index], ends[index]

    # Rows are first grouped by the hash of their quantity, keeping no key (a million claims
    # would keep a million folded measures), then the few rows that share a hash are grouped
    # exactly.
    first_of: dict[int, int] = {}  # hash of a quantity -> the first row with it (index)
    sharing: dict[int, list[int]] = {}  # that first row -> the later rows with the same hash
    for index, (measure, value) in enumerate(zip(measures, values)):
        if measure and value is not None and compared(statuses[index], measure):
            first = first_of.setdefault(hash(quantity(index)), index)
            if first != index:
                sharing.setdefault(first, []).append(index)
    del first_of
    repeats: dict[int, list[int]] = {}  # first row of a quantity -> its later rows
    for first, later in sharing.items():
        groups: dict[tuple, list[int]] = {}
        for index in (first, *later):
            groups.setdefault(quantity(index), []).append(index)
        for rows in groups.values():
            if len(rows) > 1:
                repeats[rows[0]] = rows[1:]
    ids, figures, numbers = table.column("id"), table.column("figure"), table.row_numbers
    problems = []
    for first in sorted(repeats):  # quantities in the order they first appear
        later = repeats[first]
        if len({values[first], *(values[index] for index in later)}) > 1:
            for index in later:
                if values[index] != values[first]:
                    problems.append(_warning(table.rel, numbers[index], "value",
                                             f"{ids[index]} states {figures[index]!r} for the same quantity "
                                             f"that {ids[first]} states as {figures[first]!r}",
                                             "one value for one quantity", "repeated-figure",
                                             Subject(records=(ids[index], ids[first]))))
    return problems


def derived_claims(package: Package) -> list[Problem]:
    """Recompute derived claims from `derived_from`, allowing for rounding and the qualifier."""
    if not package.has("claims"):
        return []
    table = package.table("claims")
    values = {key: value for key, value in zip(table.column("id"), table.column("value")) if key}
    problems = []
    for row, number in table.select("id", "derived_from", "value", "figure", "qualifier", "language"):
        formula = row.get("derived_from")
        if not formula or row.get("value") is None:
            continue
        try:
            node = parse(formula)
            recomputed = _arithmetic(node, values)
        except ExpressionError as exc:
            problems.append(_warning(table.rel, number, "derived_from", f"cannot recompute: {exc}",
                                     "arithmetic over claim ids", "derived-invalid", Subject(records=(row.get("id"),))))
            continue
        if not consistent(row["value"], recomputed, row.get("figure") or "", row.get("qualifier") or "exact",
                          row.get("language") or "en"):
            problems.append(_warning(table.rel, number, "value",
                                     f"{row.get('figure')!r} does not match its recomputation "
                                     f"{recomputed:,.4g} from {formula}",
                                     f"{recomputed:,.4g} to the printed precision", "derived-mismatch",
                                     Subject(records=(row.get("id"),))))
    return problems


def _arithmetic(node, values) -> float:
    # compare with a dummy so the evaluator returns the left-hand side as a comparison detail
    from ...model.expressions import Node

    outcome = evaluate(Node("compare", children=(node, Node("number", 0.0)), operators=("!=",)), values)
    return outcome.comparisons[0][0]


def consistent(value: float, recomputed: float, figure: str, qualifier: str, language: str = "en") -> bool:
    """Is a printed figure consistent with an exact recomputation (statcheck's rule)?"""
    try:
        style = style_of(figure, language)
        parse_figure(figure, language)
    except (FigureError, ValueError):
        return abs(value - recomputed) <= 1e-9 * max(1.0, abs(value))
    from ...model.numbers import SCALES

    step = 10 ** (SCALES.get(style.scale, 0) - style.decimals)
    slack = step / 2
    if qualifier in APPROXIMATE:
        slack = max(slack, abs(value) * APPROXIMATE_TOLERANCE)
    if qualifier in ("more-than", "over", "at-least"):
        return recomputed >= value - slack
    if qualifier in ("less-than", "up-to"):
        return recomputed <= value + slack
    return abs(value - recomputed) <= slack + 1e-9
