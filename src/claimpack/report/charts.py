"""Altair charts built from claims and events: generic builders a report composes.

A bound is drawn as a bound: a lower bound ("more than 3,000") ends in an upward arrow, an
upper bound ("less than 300") in a downward one, a range as a whisker; approximate values are
labelled with their qualifier. Every chart carries a title, a description (its accessible
name) and a source line naming the cited works.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from . import Figures, chart_data

PALETTE = ["#1b5e8a", "#c0504d", "#4f7d39", "#7a5195", "#b36b00", "#3f6e6e"]
INK = "#1f2933"
MUTED = "#52606d"
WIDTH = 560


def _alt():
    import altair as alt

    return alt


def _title(alt, text: str, source: str):
    return alt.TitleParams(text=text, subtitle=textwrap.wrap(source, 80), anchor="start", color=INK,
                           subtitleColor=MUTED, fontSize=15, subtitleFontSize=11)


def _configure(chart, description: str):
    return (chart.properties(description=description)
            .configure_view(stroke=None)
            .configure_axis(labelColor=INK, titleColor=INK, gridColor="#e4e7eb", labelFontSize=11)
            .configure_legend(labelColor=INK, titleColor=INK))


# Axis labels for counts: "0", "500", "2.5k", "1M" (never "0k")
COUNT_LABELS = "datum.value === 0 ? '0' : format(datum.value, '~s')"


def money_labels(unit: str) -> str:
    """Axis labels for sums of money in unit ("USD" prints as US$): 0, 500 m, 1.5 bn."""
    prefix = {"USD": "US$"}.get(unit, f"{unit} ")
    return (f"datum.value === 0 ? '0' : datum.value >= 1e9 ? '{prefix}' + format(datum.value / 1e9, '~g') + ' bn'"
            f" : datum.value >= 1e6 ? '{prefix}' + format(datum.value / 1e6, '~g') + ' m'"
            f" : '{prefix}' + format(datum.value, ',')")


def compare(figures: Figures, ids: Sequence[str], labels: Sequence[str], *, title: str, axis: str,
            description: str, color: str = PALETTE[0], height: int = 220, standalone: bool = True):
    """Bars for a few claims on one scale, bounds drawn as arrows, ranges as whiskers."""
    alt = _alt()
    rows = chart_data.claim_rows(figures.model, ids, labels)
    data = alt.Data(values=rows)
    order = list(labels)
    tooltip = [alt.Tooltip("printed:N", title="As printed"), alt.Tooltip("period:N", title="Period"),
               alt.Tooltip("source:N", title="Cited work"), alt.Tooltip("quote:N", title="Quote"),
               alt.Tooltip("id:N", title="Claim")]
    x = alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=180))
    base = alt.Chart(data).encode(x=x)
    bars = base.mark_bar(color=color, opacity=0.85, width={"band": 0.55}).encode(
        y=alt.Y("value:Q", title=axis, scale=alt.Scale(zero=True), axis=alt.Axis(labelExpr=COUNT_LABELS)),
        tooltip=tooltip)
    # the bound and label layers repeat what the bars say, so assistive technology skips them; a layer
    # is drawn only for the shapes present (an empty layer leaves Vega an infinite extent)
    shapes = {row["shape"] for row in rows}
    layers = [bars]
    if "range" in shapes:
        layers.append(base.transform_filter("datum.shape === 'range'").mark_rule(
            color=INK, strokeWidth=2, aria=False).encode(y="low:Q", y2="high:Q"))
    for shape, marker in (("lower", "triangle-up"), ("upper", "triangle-down")):
        if shape in shapes:
            layers.append(base.transform_filter(f"datum.shape === '{shape}'").mark_point(
                shape=marker, size=180, filled=True, color=INK, yOffset=-8, aria=False).encode(
                y="value:Q", tooltip=tooltip))
    layers.append(base.mark_text(dy=-22, color=INK, fontSize=12, aria=False).encode(y="value:Q", text="printed:N"))
    chart = alt.layer(*layers).properties(
        width=max(160, 150 * len(ids)), height=height,
        title=_title(alt, title, chart_data.source_line(figures.model, ids)))
    return _configure(chart, description) if standalone else chart


def side_by_side(charts: list, description: str):
    """Place compare charts next to each other, each on its own scale."""
    alt = _alt()
    return _configure(alt.hconcat(*charts, spacing=40), description)


def _parts(rows: list[dict]) -> None:
    """Name each part with its figure for the legend (no value hides in a sliver too thin to label),
    and place its label at the middle of its stretch of the stacked bar."""
    done = 0.0
    for row in rows:
        row["legend"] = f"{row['label']}: {row['printed']}"
        row["middle"] = done + row["value"] / 2
        done += row["value"]


def split(figures: Figures, part_ids: Sequence[str], labels: Sequence[str], total_id: str, *, title: str,
          description: str):
    """A total split into its parts, one stacked bar; the legend gives every part's figure."""
    alt = _alt()
    rows = chart_data.claim_rows(figures.model, part_ids, labels, group=figures.text(total_id))
    _parts(rows)
    data = alt.Data(values=rows)
    tooltip = [alt.Tooltip("label:N", title="Part"), alt.Tooltip("printed:N", title="As printed"),
               alt.Tooltip("source:N", title="Cited work"), alt.Tooltip("quote:N", title="Quote")]
    total = figures.value(total_id)
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=1).encode(
        x=alt.X("sum(value):Q", title=f"of {figures.text(total_id)}", stack="zero",
                scale=alt.Scale(domain=[0, max(total, sum(row["value"] for row in rows))], nice=False),
                axis=alt.Axis(labelExpr=COUNT_LABELS)),
        y=alt.Y("group:N", title=None, axis=None),
        color=alt.Color("legend:N", sort=[row["legend"] for row in rows], scale=alt.Scale(range=PALETTE),
                        title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=0)),
        order=alt.Order("order:Q"), tooltip=tooltip)
    text = alt.Chart(data).transform_filter(f"datum.value >= {0.06 * total}").mark_text(
        color="white", fontWeight="bold", fontSize=12, aria=False).encode(
        x="middle:Q", y=alt.Y("group:N"), text="printed:N")
    source = chart_data.source_line(figures.model, [*part_ids, total_id])
    return alt.layer(bars, text).properties(width=WIDTH - 120, height=70, title=_title(alt, title, source))


def periods(figures: Figures, ids: Sequence[str], labels: Sequence[str], *, title: str, description: str):
    """Money as length, one row per claim: the totals as printed, the average a year (derived), and
    the years each total covers on a time axis below them."""
    alt = _alt()
    rows = chart_data.period_rows(figures.model, ids, labels)
    data = alt.Data(values=rows)
    tooltip = [alt.Tooltip("label:N", title="Programme"), alt.Tooltip("printed:N", title="As printed"),
               alt.Tooltip("period:N", title="Period"), alt.Tooltip("years:Q", title="Years"),
               alt.Tooltip("per_year:N", title="Average (derived)"), alt.Tooltip("source:N", title="Cited work")]
    order = list(labels)
    colour = alt.Color("label:N", sort=order, scale=alt.Scale(range=PALETTE), legend=None)
    y = alt.Y("label:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=150, labelPadding=6, ticks=False, domain=False))
    unit = figures.claim(ids[0]).unit or ""
    width, height = WIDTH - 160, 26 * len(ids)

    def heading(text: str):
        return alt.TitleParams(text, anchor="start", fontSize=12, color=INK, offset=4)

    def money(field: str, text: str, title: str):
        top = max(row[field] for row in rows) * 2.1  # room for the figure printed after the longest bar
        bars = alt.Chart(data).mark_bar(height=16, cornerRadius=2).encode(
            x=alt.X(f"{field}:Q", title=None, scale=alt.Scale(domain=[0, top], nice=False),
                    axis=alt.Axis(labelExpr=money_labels(unit), tickCount=4)),
            y=y, color=colour, tooltip=tooltip)
        label = alt.Chart(data).mark_text(align="left", dx=4, color=INK, fontSize=11, aria=False).encode(
            x=f"{field}:Q", y=alt.Y("label:N", sort=order), text=f"{text}:N")
        return alt.layer(bars, label).properties(width=width, height=height, title=heading(title))

    first, last = min(row["start"] for row in rows), max(row["end"] for row in rows)
    spans = alt.Chart(data).mark_bar(height=16, cornerRadius=2, opacity=0.6).encode(
        x=alt.X("start:Q", title=None, scale=alt.Scale(domain=[first, last + (last - first) * 0.6], nice=False),
                axis=alt.Axis(format="d", values=_year_ticks(first, last))),
        x2="end:Q", y=y, color=colour, tooltip=tooltip)
    span_text = alt.Chart(data).mark_text(align="left", dx=4, color=INK, fontSize=11, aria=False).encode(
        x="end:Q", y=alt.Y("label:N", sort=order), text="span:N")
    years = alt.layer(spans, span_text).properties(width=width, height=height, title=heading("Years covered"))
    chart = alt.vconcat(money("value", "printed", "Total, as printed"),
                        money("per_year_value", "per_year", "Average a year, computed from the total and its years"),
                        years, spacing=16)
    chart = chart.properties(title=_title(alt, title, chart_data.source_line(figures.model, ids)))
    return _configure(chart, description)


def _year_ticks(first: int, last: int, count: int = 5) -> list[int]:
    """Round years from first to last (the end of the last year left unlabelled)."""
    step = next(step for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if (last - first) / step <= count)
    return [year for year in range(first - first % step, last, step) if year >= first]


def timeline(figures: Figures, *, title: str, description: str):
    """Every dated event on one time axis, a row for each section of the paper that states it.

    Events too close to share a line are moved to the next line of their row; colour says how
    precisely the paper dates each event, with its legend.
    """
    alt = _alt()
    rows = chart_data.event_rows(figures.model)
    sections = _timeline_lines(rows, min_gap=max(1, (max(r["year"] for r in rows) - min(r["year"] for r in rows))
                                                 // 40) if rows else 1)
    tooltip = [alt.Tooltip("date:N", title="Date"), alt.Tooltip("event:N", title="Event"),
               alt.Tooltip("section:N", title="In the paper"), alt.Tooltip("quote:N", title="Quote"),
               alt.Tooltip("source:N", title="Cited work")]
    # every precision the events have, in the order of the schema's, so no event is left uncoloured
    known = ["to the day", "to the month", "to the year", "to the decade", "to the century"]
    precisions = [p for p in [*known, *sorted({r["precision"] for r in rows} - set(known))]
                  if any(r["precision"] == p for r in rows)]
    colour = alt.Color("precision:N", sort=precisions, scale=alt.Scale(domain=precisions, range=PALETTE),
                       title="Dated by the paper", legend=alt.Legend(orient="bottom", direction="horizontal"))
    first, last = (min(r["year"] for r in rows), max(r["end"] for r in rows)) if rows else (0, 1)
    rows_by_section = []
    for index, name in enumerate(sections):
        # one chart per section, each with its own rows: a faceted layer would make Vega union the
        # lines of two data sources, and warn
        axis = alt.Axis(format="d", tickCount=10, labels=index == len(sections) - 1,
                        ticks=index == len(sections) - 1, domain=index == len(sections) - 1)
        x = alt.X("year:Q", title=None, scale=alt.Scale(domain=[first, last], nice=False, padding=10), axis=axis)
        y = alt.Y("line:O", axis=None, title=None)
        data = alt.Data(values=[row for row in rows if row["section"] == name])
        points = alt.Chart().mark_circle(size=90, opacity=0.9, stroke="white", strokeWidth=1).encode(
            x=x, y=y, color=colour, tooltip=tooltip)
        spans = alt.Chart().mark_rule(strokeWidth=3, aria=False).encode(x=x, x2="end:Q", y=y, color=colour)
        rows_by_section.append(alt.layer(spans, points, data=data).properties(
            width=WIDTH - 20, height=alt.Step(13), title=alt.TitleParams(
                name, anchor="start", frame="group", fontSize=11, fontWeight="bold", color=INK, offset=2)))
    chart = alt.vconcat(*rows_by_section, spacing=8).resolve_scale(x="shared", color="shared").properties(
        title=_title(alt, title, "Source: the paper's dated events and their footnotes"))
    return _configure(chart, description)


def _timeline_lines(rows: list[dict], min_gap: int) -> list[str]:
    """Give each event a line in its section's row, the first line where it keeps min_gap years
    from its neighbours; return the sections in the order of their first event."""
    ends: dict[str, list[int]] = {}
    for row in sorted(rows, key=lambda r: (r["year"], r["id"])):
        lines = ends.setdefault(row["section"], [])
        free = next((i for i, end in enumerate(lines) if row["year"] - end >= min_gap), None)
        if free is None:
            lines.append(row["end"])
            free = len(lines) - 1
        lines[free] = max(row["end"], row["year"])
        row["line"] = free
    return list(ends)


def claims_per_source(figures: Figures, *, title: str, description: str, top: int | None = None):
    """How many claims and events each cited work underpins."""
    alt = _alt()
    rows, order = chart_data.records_per_source(figures.model, top)
    data = alt.Data(values=rows)
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("sum(n):Q", title="Records it underpins", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("source:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("kind:N", scale=alt.Scale(domain=["claims", "events"], range=PALETTE[:2]), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("source:N", title="Cited work"), alt.Tooltip("kind:N", title="Records"),
                 alt.Tooltip("n:Q", title="Count"), alt.Tooltip("id:N", title="Citation key")])
    return _configure(chart.properties(width=WIDTH - 260, height=16 * len(order) + 10,
                                       title=_title(alt, title, "Source: claims.csv and events.csv, by source_id")),
                      description)


def records_by(figures: Figures, field: str, *, title: str, description: str, axis: str):
    """How many claims share each value of one field (their section, unit, topic), candidates apart."""
    alt = _alt()
    values, order = chart_data.claims_by_field(figures.model, field)
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("sum(n):Q", title="Claims", axis=alt.Axis(tickMinStep=1, format="d")),
        # the chart's title names the axis ("Claims by section"): an axis title would only crowd long labels
        y=alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("status:N", scale=alt.Scale(domain=["reviewed", "candidate"], range=PALETTE[:2]), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("group:N", title=axis), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("n:Q", title="Claims")])
    return _configure(chart.properties(width=WIDTH - 260, height=18 * len(order) + 10,
                                       title=_title(alt, title, f"Source: claims.csv, by {field}")), description)


def stacked(charts: list, description: str):
    """Place charts one above the other."""
    alt = _alt()
    return _configure(alt.vconcat(*charts, spacing=30), description)


def use_interactive_and_static() -> None:
    """Under real Quarto, show each chart as raw HTML (interactive, offline) and raw Typst (static SVG).

    The built-in engine handles charts itself and does not need this.
    """
    from ..render.quarto_output import QuartoCharts

    alt = _alt()
    shown = QuartoCharts()
    alt.renderers.register("claimpack", lambda spec, **metadata: shown.bundle(spec))
    alt.renderers.enable("claimpack")


def share(figures: Figures, total_id: str, share_id: str, *, part: str, rest: str, title: str, description: str):
    """A total split by a percent claim: the named share and the remainder (both derived counts)."""
    alt = _alt()
    total = figures.value(total_id)
    rows = chart_data.share_rows(figures.model, total_id, share_id, part, rest)
    _parts(rows)
    data = alt.Data(values=rows)
    tooltip = [alt.Tooltip("label:N", title="Group"), alt.Tooltip("printed:N", title="Share")]
    bars = alt.Chart(data).mark_bar(stroke="white").encode(
        x=alt.X("sum(value):Q", stack="zero", title=f"{figures.text(total_id)} apprehended",
                scale=alt.Scale(domain=[0, total], nice=False), axis=alt.Axis(labelExpr=COUNT_LABELS, tickCount=5)),
        color=alt.Color("legend:N", sort=[row["legend"] for row in rows], scale=alt.Scale(range=PALETTE),
                        title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
        order=alt.Order("order:Q"), tooltip=tooltip)
    # a label only inside a part wide enough to hold it; the legend names every part with its figure
    text = alt.Chart(data).transform_filter(f"datum.value >= {0.3 * total}").mark_text(
        color="white", fontWeight="bold", aria=False).encode(x="middle:Q", text="printed:N")
    source = chart_data.source_line(figures.model, [total_id, share_id])
    chart = alt.layer(bars, text).properties(width=WIDTH - 60, height=60, title=_title(alt, title, source))
    return _configure(chart, description)
