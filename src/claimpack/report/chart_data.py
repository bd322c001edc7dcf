"""The rows claimpack.report.charts draws, read from the domain model: values, bounds, the figure as
printed, and the provenance its tooltips show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from ..model.dates import PRECISION_YEARS, paper_year
from ..model.domain import Claim, Model
from . import prose
from .citations import short_citation


def _cited(record) -> str:
    """The cited work and page, short: 'Isacson and Kinosian 2017, p. 104'."""
    page = f", p. {record.locator}" if record.locator else ""
    return short_citation(record.source, record.source_id or "") + page


def bound_shape(claim: Claim) -> str:
    """How a chart draws the claim's value: a point, a lower or upper bound, or a range."""
    if claim.qualifier == "between":
        return "range"
    if claim.value_min is not None and claim.value_max is None:
        return "lower"
    if claim.value_max is not None and claim.value_min is None:
        return "upper"
    return "point"


def claim_rows(model: Model, ids: Sequence[str], labels: Sequence[str] | None = None,
               group: str | None = None) -> list[dict]:
    """Chart rows for claims: value, bounds, the printed figure and provenance for tooltips."""
    rows = []
    for index, claim_id in enumerate(ids):
        claim = model.claim(claim_id)
        rows.append({
            "id": claim_id, "label": labels[index] if labels else claim.measure, "group": group or "",
            "value": claim.value,
            "low": claim.value_min if claim.value_min is not None else claim.value,
            "high": claim.value_max if claim.value_max is not None else claim.value,
            "shape": bound_shape(claim), "printed": prose.headline(claim), "qualifier": claim.qualifier,
            "period": prose.period(claim.period_start, claim.period_end), "measure": claim.measure,
            "quote": prose.text(claim.quote), "source": _cited(claim), "footnote": claim.footnote_number,
            "order": index,
        })
    return rows


def period_rows(model: Model, ids: Sequence[str], labels: Sequence[str]) -> list[dict]:
    """Claim rows with the years each covers and the average a year (derived, printed as the figure is)."""
    rows = claim_rows(model, ids, labels)
    for row in rows:
        claim = model.claim(row["id"])
        row["start"], row["end"] = claim.period_start, claim.period_end + 1
        row["per_year_value"] = claim.per_year
        row["per_year"] = prose.derived(claim.per_year, claim) + " a year"
        row["years"] = claim.years
        row["span"] = f"{row['period']}, {claim.years} years"
    return rows


def share_rows(model: Model, total_id: str, share_id: str, part: str, rest: str) -> list[dict]:
    """A total split by a percent claim: the named share and the remainder (both derived counts)."""
    total, percent = model.claim(total_id).value, model.claim(share_id).value
    part_value = total * percent / 100
    return [{"label": part, "value": part_value,
             "printed": f"{prose.headline(model.claim(share_id))} (≈{prose.number(round(part_value))})", "order": 0},
            {"label": rest, "value": total - part_value, "printed": f"≈{prose.number(round(total - part_value))}",
             "order": 1}]


def event_rows(model: Model) -> list[dict]:
    """Every dated event, oldest first: its years, its date written out, the section of the paper
    that states it, how precisely the paper dates it, its quote and cited work."""
    events = sorted((event for event in model.events if event.id), key=lambda e: (e.date or "", e.id))
    written = paper_year(model.package)
    return [{"year": int(event.date[:4]), "end": _last_year(event, written),
             "date": prose.date_span(event.date, event.end_date, event.date_precision),
             "event": event.event, "quote": prose.text(event.quote), "id": event.id, "section": event.section or "",
             "precision": f"to the {event.date_precision or 'year'}", "source": _cited(event)}
            for event in events]


def _last_year(event, written: int | None) -> int:
    """The last year an event may fall in: its end date's, or the last of its decade or century
    that is not after the year the paper was written."""
    year = int((event.end_date or event.date)[:4])
    last = year + PRECISION_YEARS.get(event.date_precision or "", 1) - 1
    return max(year, min(last, written)) if written and event.date_precision in PRECISION_YEARS else last


def records_per_source(model: Model, top: int | None = None) -> tuple[list[dict], list[str]]:
    """How many claims and events each cited work underpins, most first: rows, and the works in order."""
    counts: Counter = Counter()
    kinds: Counter = Counter()
    for records, kind in ((model.claims, "claims"), (model.events, "events")):
        for record in records:
            if record.id:
                counts[record.source_id] += 1
                kinds[(record.source_id, kind)] += 1
    ranked = [source for source, _ in counts.most_common(top)]
    short = {source: short_citation(model.sources.get(source), source or "") for source in ranked}
    rows = [{"source": short[source], "id": source, "kind": kind, "n": kinds[(source, kind)]}
            for source in ranked for kind in ("claims", "events") if kinds[(source, kind)]]
    return rows, [short[source] for source in ranked]


def claims_by_field(model: Model, field: str) -> tuple[list[dict], list[str]]:
    """How many claims share each value of one field (section, unit, topic), by status: rows, and
    the values in the order the claims first give them."""
    counts: Counter = Counter()
    for claim in model.claims:
        if claim.id:
            counts[(str(claim.fields.get(field) or "(none)"), claim.status or "reviewed")] += 1
    order = list(dict.fromkeys(key for key, _ in counts))
    return [{"group": key, "status": status, "n": n} for (key, status), n in counts.items()], order


def source_line(model: Model, ids: Iterable[str]) -> str:
    """A chart's source line: 'Source: the paper, citing Isacson and Kinosian 2017, pp. 81, 104'."""
    pages: dict[str, list[str]] = {}
    for claim_id in ids:
        claim = model.claim(claim_id)
        cited = pages.setdefault(short_citation(claim.source, claim.source_id or ""), [])
        if claim.locator and claim.locator not in cited:
            cited.append(claim.locator)
    parts = []
    for source, cited in pages.items():
        label = "pp." if len(cited) > 1 or "-" in cited[0] else "p." if cited else ""
        parts.append(f"{source}, {label} {', '.join(cited)}" if cited else source)
    return "Source: the paper, citing " + "; ".join(parts) if parts else "Source: the paper"
