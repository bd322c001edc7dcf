"""Search claims and events: `claimpack find QUERY`, ranked, and number-aware.

A query is split into number terms, year terms and words:
- a number in any printed form ("236 million", "236m", "$236,000,000", "43000", "2.3 billion",
  "88%") is read by `figures.parse_figure` and matches a claim whose value, value_min or
  value_max is that number (exactly, or within a percent for a weaker match);
- a bare four-digit year (1800-2100) also matches a claim whose period_start..period_end holds
  it, or an event whose date (to its end_date) falls in it;
- a word matches, with a weight per field, ids, measures, figures, events, topics, quotes,
  sections, notes and the cited work; plurals match singulars ("kidnappings", "kidnapping").

Rows that match every term come first, by score; when no row matches every term, rows that
match some are listed, most terms first. Standard library only: it answers fast.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

from ..model.domain import Claim, Event, Model
from ..model.numbers import FigureError, parse_figure
from ..report import prose
from ..system.problems import ClaimpackError
from ..text.paper import normalize

NUMBER = re.compile(
    r"(?<![\w.])(?:US\s?\$|\$|USD\s?)?\d[\d,]*(?:\.\d+)?"
    r"(?:\s*(?:thousand|million|billion|trillion|k|mn|m|bn|b|tn)\b)?(?:\s*(?:%|percent\b))?",
    re.I)
STOPWORDS = {"a", "an", "and", "the", "of", "in", "on", "for", "to", "by", "at", "from", "with", "per", "us",
             "is", "was", "were", "or", "as", "its", "their", "than", "that", "this", "which", "what", "how"}
# (field, weight) searched for words; ids and what is measured weigh most.
CLAIM_FIELDS = (("id", 3.0), ("measure", 3.0), ("figure", 2.5), ("topic", 2.0), ("quote", 1.5),
                ("section", 1.0), ("note", 0.75), ("place", 1.0), ("source", 1.0))
EVENT_FIELDS = (("id", 3.0), ("event", 3.0), ("quote", 1.5), ("section", 1.0), ("note", 0.75), ("place", 1.0),
                ("source", 1.0))
EXACT, NEAR, RANGE, YEAR = 10.0, 4.0, 6.0, 5.0
NEAR_TOLERANCE = 0.01
MAX_QUERY = 1000  # characters: a figure, a few words and a year need a few dozen


@dataclass
class Term:
    text: str
    kind: str  # number | year | word
    value: float | None = None
    year: int | None = None
    stem: str = ""
    unit: str | None = None  # USD or percent when the query says so ("$2.3 billion", "88%")


@dataclass
class Hit:
    type: str  # claim | event
    id: str
    score: float
    matched: int
    terms: int
    why: list[str] = field(default_factory=list)
    figure: str | None = None
    value: float | None = None
    unit: str | None = None
    what: str = ""
    when: str = ""
    headline: str = ""  # how the hit reads: the figure with its qualifier, or the date written out

    def to_dict(self) -> dict:
        return asdict(self)


def stem(word: str) -> str:
    """A crude English stem, enough for plurals: countries -> country, kidnappings -> kidnapping."""
    word = word.casefold()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", normalize(text or "").casefold())]


def parse_query(query: str) -> list[Term]:
    """Split a query into number, year and word terms."""
    query = (query or "").strip()
    if not query:
        return []
    terms: list[Term] = []
    try:  # the whole query may be one figure: "two dollars", "more than 43,000", "$2.3 billion"
        figure = parse_figure(query)
        if re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion)"
                     r"\b", query, re.I):
            return [_number_term(query, figure)]
    except (FigureError, ValueError, ArithmeticError):
        pass
    rest = query
    for match in NUMBER.finditer(query):
        text = match.group().strip()
        try:
            figure = parse_figure(text.rstrip(","))
        except (FigureError, ValueError, ArithmeticError):
            continue
        terms.append(_number_term(text, figure))
        rest = rest.replace(match.group(), " ", 1)
    for word in words(rest):
        if word not in STOPWORDS:
            terms.append(Term(word, "word", stem=stem(word)))
    return terms


def _number_term(text: str, figure) -> Term:
    unit = figure.currency or ("percent" if figure.percent else None)
    if re.fullmatch(r"\d{4}", text) and 1800 <= int(text) <= 2100:
        return Term(text, "year", value=figure.value, year=int(text))
    return Term(text, "number", value=figure.value, unit=unit)


def _same(a: float | None, b: float | None, tolerance: float = 1e-9) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return False
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-12)


def _number_score(term: Term, claim: Claim) -> tuple[float, str]:
    """How well a number term matches a claim's value; a unit the query names weighs in."""
    values = [claim.value, claim.value_min, claim.value_max]
    low, high = claim.value_min, claim.value_max
    if any(_same(v, term.value) for v in values):
        points, reason = EXACT, f"value {term.text}"
    elif claim.qualifier == "between" and low is not None and high is not None and low <= term.value <= high:
        points, reason = RANGE, f"{term.text} within {prose.number(low)}..{prose.number(high)}"
    elif any(_same(v, term.value, NEAR_TOLERANCE) for v in values):
        points, reason = NEAR, f"value near {term.text}"
    else:
        return 0.0, ""
    if term.unit:
        unit = str(claim.unit or "")
        points *= 1.2 if unit.startswith(term.unit) else 0.5
    return points, reason


def _year_score(term: Term, record: Claim | Event) -> tuple[float, str]:
    if isinstance(record, Claim):
        start, end = record.period_start, record.period_end
        start, end = start or end, end or start
        if start is not None and start <= term.year <= end:
            return YEAR, f"period {start}–{end}" if start != end else f"period {start}"
        return 0.0, ""
    date = str(record.date or "")
    end_date = str(record.end_date or date)
    if date[:4].isdigit() and int(date[:4]) <= term.year <= int((end_date or date)[:4]):
        return YEAR + 3.0, f"date {record.date}"
    return 0.0, ""


class Index:
    """Claims and events with their searchable words, built once per package."""

    def __init__(self, model: Model):
        self.model = model
        self.records: list[tuple[Claim | Event, dict[str, set[str]], int]] = []
        for records, fields in ((model.claims, CLAIM_FIELDS), (model.events, EVENT_FIELDS)):
            for order, record in enumerate(records):
                if not record.id:
                    continue
                texts = {}
                for field_name, _ in fields:
                    if field_name == "source":
                        source = record.source
                        text = " ".join(str(x or "") for x in (source.id, source.author, source.title)) if source \
                            else ""
                    elif field_name == "id":
                        text = record.id.replace("-", " ")
                    else:
                        text = str(record.fields.get(field_name) or "")
                    texts[field_name] = {stem(w) for w in words(text)} | set(words(text))
                self.records.append((record, texts, order))

    def search(self, query: str, limit: int | None = 10) -> list[Hit]:
        if len(query) > MAX_QUERY:  # each term is scored against every record: bound the work a query asks
            raise ClaimpackError(f"the query is {len(query):,} characters long", expected=f"at most {MAX_QUERY:,}")
        terms = parse_query(query)
        if not terms:
            return []
        hits = []
        for record, texts, order in self.records:
            hit = self._score(record, texts, terms)
            if hit.matched:
                hits.append((hit, order))
        if not hits:
            return []
        best = max(hit.matched for hit, _ in hits)
        if best == len(terms):
            hits = [(hit, order) for hit, order in hits if hit.matched == best]
        hits.sort(key=lambda pair: (-pair[0].matched, -pair[0].score, pair[0].type != "claim", pair[1]))
        ranked = [hit for hit, _ in hits]
        return ranked[:limit] if limit else ranked

    def _score(self, record: Claim | Event, texts: dict[str, set[str]], terms: list[Term]) -> Hit:
        claim = isinstance(record, Claim)
        weights = dict(CLAIM_FIELDS if claim else EVENT_FIELDS)
        score, matched, why = 0.0, 0, []
        for term in terms:
            best, reason = 0.0, ""
            if term.kind in ("number", "year") and claim:
                best, reason = _number_score(term, record)
            if term.kind == "year":
                points, because = _year_score(term, record)
                if points > best:
                    best, reason = points, because
            if term.kind in ("number", "year") and not best:
                printed = term.text.replace(",", "")
                quote = normalize(record.quote or "").replace(",", "")
                if re.search(rf"(?<![\d.]){re.escape(printed)}(?![\d])", quote):
                    best, reason = 1.5, f"{term.text} in the quote"
            if term.kind == "word":
                found = []
                for field_name, weight in weights.items():
                    bag = texts.get(field_name, set())
                    if term.text in bag or term.stem in bag:
                        found.append((weight, field_name))
                    elif len(term.stem) >= 3 and any(w.startswith(term.stem) for w in bag):
                        found.append((weight * 0.6, field_name))
                if found:
                    found.sort(reverse=True)
                    # the best field counts in full, every other field a little: id and measure beat quote alone
                    best = found[0][0] + 0.25 * sum(points for points, _ in found[1:])
                    reason = f"{term.text!r} in {', '.join(name for _, name in found)}"
            if best:
                matched += 1
                score += best
                why.append(reason)
        if claim:
            return Hit("claim", record.id, round(score, 3), matched, len(terms), why, prose.text(record.figure),
                       record.value, record.unit, record.measure or "",
                       prose.period(record.period_start, record.period_end), prose.headline(record))
        when = str(record.date or "") + (f" to {record.end_date}" if record.end_date else "")
        return Hit("event", record.id, round(score, 3), matched, len(terms), why, what=record.event or "",
                   when=when, headline=prose.date_span(record.date, record.end_date, record.date_precision))


def search(model: Model, query: str, limit: int | None = 10) -> list[Hit]:
    return Index(model).search(query, limit)


def render(hits: list[Hit], query: str) -> str:
    if not hits:
        from ..system.controls import terminal_safe

        return terminal_safe(f"nothing matches {query!r}") + "\n"
    from ..system.controls import terminal_safe  # each value one line: a line feed in the data forges no line

    lines = []
    for rank, hit in enumerate(hits, start=1):
        head = terminal_safe(f"{rank:>2}. {hit.type:<5} {hit.id}")
        detail = f"{hit.headline}: {hit.what}"
        if hit.type == "claim" and hit.when:
            detail += f" ({hit.when})"
        partial = "" if hit.matched == hit.terms else f"; {hit.matched} of {hit.terms} terms"
        why = terminal_safe(", ".join(hit.why))
        lines.append(f"{head}\n      {terminal_safe(detail)}\n      matched {why}{partial}")
    return "\n".join(lines) + "\n"
