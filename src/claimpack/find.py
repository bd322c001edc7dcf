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

from .figures import FigureError, parse_figure
from .package import Package
from .paper import normalize

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


def _number_score(term: Term, row: dict) -> tuple[float, str]:
    """How well a number term matches a claim's value; a unit the query names weighs in."""
    values = [row.get(k) for k in ("value", "value_min", "value_max")]
    low, high = row.get("value_min"), row.get("value_max")
    if any(_same(v, term.value) for v in values):
        points, reason = EXACT, f"value {term.text}"
    elif row.get("qualifier") == "between" and low is not None and high is not None and low <= term.value <= high:
        points, reason = RANGE, f"{term.text} within {low:g}..{high:g}"
    elif any(_same(v, term.value, NEAR_TOLERANCE) for v in values):
        points, reason = NEAR, f"value near {term.text}"
    else:
        return 0.0, ""
    if term.unit:
        unit = str(row.get("unit") or "")
        points *= 1.2 if unit.startswith(term.unit) else 0.5
    return points, reason


def _year_score(term: Term, kind: str, row: dict) -> tuple[float, str]:
    if kind == "claim":
        start, end = row.get("period_start"), row.get("period_end")
        start, end = start or end, end or start
        if start is not None and start <= term.year <= end:
            return YEAR, f"period {start}–{end}" if start != end else f"period {start}"
        return 0.0, ""
    date = str(row.get("date") or "")
    end_date = str(row.get("end_date") or date)
    if date[:4].isdigit() and int(date[:4]) <= term.year <= int((end_date or date)[:4]):
        return YEAR + 3.0, f"date {row.get('date')}"
    return 0.0, ""


class Index:
    """Claims and events with their searchable words, built once per package."""

    def __init__(self, package: Package):
        self.package = package
        sources = package.table("sources").by("id") if package.has("sources") else {}
        self.records: list[tuple[str, dict, dict[str, set[str]], int]] = []
        for kind, name, fields in (("claim", "claims", CLAIM_FIELDS), ("event", "events", EVENT_FIELDS)):
            if not package.has(name):
                continue
            for order, row in enumerate(package.rows(name)):
                if not row.get("id"):
                    continue
                texts = {}
                for field_name, _ in fields:
                    if field_name == "source":
                        source = sources.get(row.get("source_id")) or {}
                        text = " ".join(str(source.get(k) or "") for k in ("id", "author", "title"))
                    elif field_name == "id":
                        text = row["id"].replace("-", " ")
                    else:
                        text = str(row.get(field_name) or "")
                    texts[field_name] = {stem(w) for w in words(text)} | set(words(text))
                self.records.append((kind, row, texts, order))

    def search(self, query: str, limit: int | None = 10) -> list[Hit]:
        terms = parse_query(query)
        if not terms:
            return []
        hits = []
        for kind, row, texts, order in self.records:
            hit = self._score(kind, row, texts, terms)
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

    def _score(self, kind: str, row: dict, texts: dict[str, set[str]], terms: list[Term]) -> Hit:
        weights = dict(CLAIM_FIELDS if kind == "claim" else EVENT_FIELDS)
        score, matched, why = 0.0, 0, []
        for term in terms:
            best, reason = 0.0, ""
            if term.kind in ("number", "year") and kind == "claim":
                best, reason = _number_score(term, row)
            if term.kind == "year":
                points, because = _year_score(term, kind, row)
                if points > best:
                    best, reason = points, because
            if term.kind in ("number", "year") and not best:
                printed = term.text.replace(",", "")
                quote = normalize(row.get("quote") or "").replace(",", "")
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
        if kind == "claim":
            period = "–".join(dict.fromkeys(str(row[k]) for k in ("period_start", "period_end") if row.get(k)))
            return Hit("claim", row["id"], round(score, 3), matched, len(terms), why,
                       (row.get("figure") or "").replace("\\", ""), row.get("value"), row.get("unit"),
                       row.get("measure") or "", period)
        when = str(row.get("date") or "") + (f" to {row['end_date']}" if row.get("end_date") else "")
        return Hit("event", row["id"], round(score, 3), matched, len(terms), why, what=row.get("event") or "",
                   when=when)


def search(package: Package, query: str, limit: int | None = 10) -> list[Hit]:
    return Index(package).search(query, limit)


def render(hits: list[Hit], query: str) -> str:
    if not hits:
        return f"nothing matches {query!r}\n"
    lines = []
    for rank, hit in enumerate(hits, start=1):
        head = f"{rank:>2}. {hit.type:<5} {hit.id}"
        if hit.type == "claim":
            detail = f"{hit.figure}: {hit.what}" + (f" ({hit.when})" if hit.when else "")
        else:
            detail = f"{hit.when}: {hit.what}"
        partial = "" if hit.matched == hit.terms else f"; {hit.matched} of {hit.terms} terms"
        lines.append(f"{head}\n      {detail}\n      matched {', '.join(hit.why)}{partial}")
    return "\n".join(lines) + "\n"
