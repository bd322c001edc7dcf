"""Altair charts built from claims and events: generic builders a report composes.

A bound is drawn as a bound: a lower bound ("more than 3,000") ends in an upward arrow, an
upper bound ("less than 300") in a downward one, a range as a whisker; approximate values are
labelled with their qualifier. Every chart carries a title, a description (its accessible
name) and a source line naming the cited works.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from .report import Figures
from .report.chart_data import claim_rows, event_rows, period_rows, records_per_source, share_rows, source_line

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


def compare(figures: Figures, ids: Sequence[str], labels: Sequence[str], *, title: str, axis: str,
            description: str, color: str = PALETTE[0], height: int = 220, standalone: bool = True):
    """Bars for a few claims on one scale, bounds drawn as arrows, ranges as whiskers."""
    alt = _alt()
    data = alt.Data(values=claim_rows(figures.model, ids, labels))
    order = list(labels)
    tooltip = [alt.Tooltip("printed:N", title="As printed"), alt.Tooltip("period:N", title="Period"),
               alt.Tooltip("source:N", title="Cited work"), alt.Tooltip("quote:N", title="Quote"),
               alt.Tooltip("id:N", title="Claim")]
    x = alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=180))
    base = alt.Chart(data).encode(x=x)
    bars = base.mark_bar(color=color, opacity=0.85, width={"band": 0.55}).encode(
        y=alt.Y("value:Q", title=axis, scale=alt.Scale(zero=True), axis=alt.Axis(format="~s")), tooltip=tooltip)
    # the bound and label layers repeat what the bars say, so assistive technology skips them
    lower = base.transform_filter("datum.shape === 'lower'").mark_point(
        shape="triangle-up", size=180, filled=True, color=INK, yOffset=-8, aria=False).encode(
        y="value:Q", tooltip=tooltip)
    upper = base.transform_filter("datum.shape === 'upper'").mark_point(
        shape="triangle-down", size=180, filled=True, color=INK, yOffset=-8, aria=False).encode(
        y="value:Q", tooltip=tooltip)
    ranges = base.transform_filter("datum.shape === 'range'").mark_rule(color=INK, strokeWidth=2, aria=False).encode(
        y="low:Q", y2="high:Q")
    labels_layer = base.mark_text(dy=-22, color=INK, fontSize=12, aria=False).encode(y="value:Q", text="printed:N")
    chart = alt.layer(bars, ranges, lower, upper, labels_layer).properties(
        width=max(160, 150 * len(ids)), height=height,
        title=_title(alt, title, source_line(figures.model, ids)))
    return _configure(chart, description) if standalone else chart


def side_by_side(charts: list, description: str):
    """Place compare charts next to each other, each on its own scale."""
    alt = _alt()
    return _configure(alt.hconcat(*charts, spacing=40), description)


def split(figures: Figures, part_ids: Sequence[str], labels: Sequence[str], total_id: str, *, title: str,
          description: str):
    """A total split into its parts, one stacked bar, with the parts' values labelled."""
    alt = _alt()
    rows = claim_rows(figures.model, part_ids, labels, group=figures.text(total_id))
    data = alt.Data(values=rows)
    tooltip = [alt.Tooltip("label:N", title="Part"), alt.Tooltip("printed:N", title="As printed"),
               alt.Tooltip("source:N", title="Cited work"), alt.Tooltip("quote:N", title="Quote")]
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=1).encode(
        x=alt.X("sum(value):Q", title=f"of {figures.text(total_id)}", stack="zero"),
        y=alt.Y("group:N", title=None, axis=None),
        color=alt.Color("label:N", sort=list(labels), scale=alt.Scale(range=PALETTE), title=None,
                        legend=alt.Legend(orient="bottom", columns=2)),
        order=alt.Order("order:Q"), tooltip=tooltip)
    text = alt.Chart(data).mark_text(color="white", fontWeight="bold", fontSize=12, aria=False).encode(
        x=alt.X("sum(value):Q", stack="zero", bandPosition=0.5), y=alt.Y("group:N"), detail="label:N",
        order=alt.Order("order:Q"), text="printed:N")
    text = text.transform_filter(f"datum.value >= {0.06 * figures.value(total_id)}")
    source = source_line(figures.model, [*part_ids, total_id])
    return alt.layer(bars, text).properties(width=WIDTH - 120, height=70, title=_title(alt, title, source))


def periods(figures: Figures, ids: Sequence[str], labels: Sequence[str], *, title: str, description: str):
    """Money over the years it covers: one bar per claim from period_start to period_end."""
    alt = _alt()
    data = alt.Data(values=period_rows(figures.model, ids, labels))
    tooltip = [alt.Tooltip("label:N", title="Programme"), alt.Tooltip("printed:N", title="As printed"),
               alt.Tooltip("period:N", title="Period"), alt.Tooltip("years:Q", title="Years"),
               alt.Tooltip("per_year:N", title="Per year (derived)"), alt.Tooltip("source:N", title="Cited work")]
    y = alt.Y("label:N", sort=list(labels), title=None, axis=alt.Axis(labelLimit=220))
    bars = alt.Chart(data).mark_bar(height=22, cornerRadius=2).encode(
        x=alt.X("start:Q", title="Year", scale=alt.Scale(zero=False), axis=alt.Axis(format="d", tickMinStep=1)),
        x2="end:Q", y=y, color=alt.Color("label:N", scale=alt.Scale(range=PALETTE), legend=None),
        tooltip=tooltip)
    text = alt.Chart(data).mark_text(align="left", dx=6, color=INK, fontSize=12, aria=False).encode(
        x="end:Q", y=y, text="printed:N")
    return _configure(alt.layer(bars, text).properties(
        width=WIDTH - 140, height=40 * len(ids) + 20, title=_title(alt, title, source_line(figures.model, ids))),
        description)


def timeline(figures: Figures, *, title: str, description: str):
    """Every dated event on one axis, with its quote and cited work in the tooltip."""
    alt = _alt()
    rows = event_rows(figures.model)
    data = alt.Data(values=rows)
    tooltip = [alt.Tooltip("date:N", title="Date"), alt.Tooltip("event:N", title="Event"),
               alt.Tooltip("quote:N", title="Quote"), alt.Tooltip("source:N", title="Cited work")]
    x = alt.X("year:Q", title=None, scale=alt.Scale(zero=False, nice=False, padding=12),
              axis=alt.Axis(format="d", tickCount=10))
    y = alt.Y("lane:O", axis=None, title=None)
    points = alt.Chart(data).mark_circle(size=110, opacity=0.9, stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        color=alt.Color("era:N", scale=alt.Scale(range=PALETTE), title="Period",
                        sort=["19th century", "1900–1949", "1950–1999", "2000 on"],
                        legend=alt.Legend(orient="bottom")),
        tooltip=tooltip)
    spans = alt.Chart(data).transform_filter("datum.end > datum.year").mark_rule(strokeWidth=3, aria=False).encode(
        x=x, x2="end:Q", y=y, color=alt.Color("era:N", legend=None))
    chart = alt.layer(spans, points).properties(
        width=WIDTH, height=150, title=_title(alt, title, "Source: the paper's dated events and their footnotes"))
    return _configure(chart, description)


def claims_per_source(figures: Figures, *, title: str, description: str, top: int | None = None):
    """How many claims and events each cited work underpins."""
    alt = _alt()
    rows, order = records_per_source(figures.model, top)
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


def stacked(charts: list, description: str):
    """Place charts one above the other."""
    alt = _alt()
    return _configure(alt.vconcat(*charts, spacing=30), description)


def quarto_bundle(spec: dict, _sent: list = []) -> dict[str, str]:  # noqa: B006 - the page's state
    """One chart as a Jupyter display bundle: offline interactive HTML and a static SVG.

    The HTML inlines the Vega bundle with the first chart of a document (no CDN, so the page works
    offline), shows the static SVG until vega-embed has drawn the live chart, and names the
    chart for assistive technology with its description.
    """
    from .escape import html
    from .render.html_writer import json_for_script, static_svg, vega_bundle

    number = len(_sent) + 1
    bundle = "" if _sent else f"<script>{vega_bundle()}</script>\n"
    _sent.append(number)
    element = f"cp-quarto-chart-{number}"
    label = html(spec.get("description") or "chart")
    svg = static_svg(spec)
    draw = (f'(function(){{var el=document.getElementById("{element}");'
            'if(!el||typeof vegaEmbed!=="function"){return;}'
            'var live=document.createElement("div");'
            f'vegaEmbed(live,{json_for_script(spec)},{{actions:false,renderer:"svg"}})'
            '.then(function(){el.replaceChildren(live);}).catch(function(e){console.error(e);});})();')
    markup = (f'{bundle}<div class="cp-vega" id="{element}" role="img" aria-label="{label}">{svg}</div>\n'
              f"<script>{draw}</script>")
    return {"text/html": markup, "image/svg+xml": svg}


def use_interactive_and_static() -> None:
    """Make Altair display charts as offline interactive HTML *and* a static SVG, for real Quarto.

    Quarto picks the richest output a format can show: the HTML page takes the interactive
    chart, the Typst PDF the SVG (drawn offline by vl-convert). The built-in engine handles
    charts itself and does not need this.
    """
    alt = _alt()
    alt.renderers.register("claimpack", lambda spec, **metadata: quarto_bundle(spec))
    alt.renderers.enable("claimpack")


def share(figures: Figures, total_id: str, share_id: str, *, part: str, rest: str, title: str, description: str):
    """A total split by a percent claim: the named share and the remainder (both derived counts)."""
    alt = _alt()
    rows = share_rows(figures.model, total_id, share_id, part, rest)
    data = alt.Data(values=rows)
    tooltip = [alt.Tooltip("label:N", title="Group"), alt.Tooltip("printed:N", title="Share")]
    bars = alt.Chart(data).mark_bar(stroke="white").encode(
        x=alt.X("sum(value):Q", stack="zero", title=f"{figures.text(total_id)} apprehended",
                axis=alt.Axis(format="~s")),
        color=alt.Color("label:N", sort=[part, rest], scale=alt.Scale(range=PALETTE), title=None,
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"), tooltip=tooltip)
    text = alt.Chart(data).mark_text(color="white", fontWeight="bold", aria=False).encode(
        x=alt.X("sum(value):Q", stack="zero", bandPosition=0.5), detail="label:N", order=alt.Order("order:Q"),
        text="printed:N")
    chart = alt.layer(bars, text).properties(width=WIDTH - 60, height=60,
                                             title=_title(alt, title, source_line(figures.model, [total_id, share_id])))
    return _configure(chart, description)
