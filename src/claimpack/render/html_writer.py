"""Write the HTML output: one self-contained, offline, accessible page with interactive charts."""

from __future__ import annotations

import functools
import json
import secrets
from pathlib import Path
from typing import Any

from ..escape import html
from .config import FormatOptions
from .execute import Chart
from .transform import Element

ASSETS = Path(__file__).resolve().parent.parent / "assets"

# Draws every chart with vega-embed once the page has loaded; the static SVG stays if it fails.
CHART_SCRIPT = """
(function () {
  var charts = document.querySelectorAll(".cp-vega[data-spec]");
  Array.prototype.forEach.call(charts, function (el) {
    var source = document.getElementById(el.getAttribute("data-spec"));
    if (!source || typeof vegaEmbed !== "function") { return; }
    var spec = JSON.parse(source.textContent);
    var target = document.createElement("div");
    target.className = "cp-vega-live";
    vegaEmbed(target, spec, {actions: false, renderer: "svg"}).then(function () {
      el.replaceChildren(target);
    }).catch(function (err) { console.error(err); });
  });
})();
"""


@functools.cache
def vega_bundle() -> str:
    """The vega + vega-lite + vega-embed bundle from vl-convert, safe to place in a <script>."""
    import vl_convert

    bundle = vl_convert.javascript_bundle()
    return bundle.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def json_for_script(data: Any) -> str:
    """JSON that cannot close or comment out the <script> element that holds it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def static_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    # The figure's role="img" element names the chart; the drawing itself is presentation.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def chart_body(chart: Chart, alt: str) -> list[Element]:
    spec_id = f"cp-spec-{chart.number}"
    markup = (
        f'<div class="cp-vega" role="img" aria-label="{html(alt)}" data-spec="{spec_id}">'
        f"{static_svg(chart.spec)}</div>\n"
        f'<script type="application/json" id="{spec_id}">{json_for_script(chart.spec)}</script>'
    )
    return [{"t": "RawBlock", "c": ["html", markup]}]


def pandoc_args(options: FormatOptions, css: list[Path]) -> list[str]:
    args = ["--to", "html5", "--standalone", "--embed-resources", "--mathml", "--wrap", "none",
            "--template", str(ASSETS / "report-template.html"),
            "--syntax-highlighting", str(ASSETS / "highlight-accessible.theme"),
            "--css", str(ASSETS / "claimpack-report.css")]
    for path in css:
        args += ["--css", str(path)]
    if options.get("toc"):
        args += ["--toc", "--toc-depth", str(options.get("toc-depth", 3))]
        args += ["--variable", f"toc-title={options.get('toc-title', 'Table of contents')}"]
    if options.get("number-sections"):
        args.append("--number-sections")
    return args


def finish_page(page: str, has_charts: bool) -> str:
    """Add the Content-Security-Policy and, when there are charts, the one Vega bundle."""
    nonce = secrets.token_urlsafe(16)
    policy = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
              f"script-src 'nonce-{nonce}' 'unsafe-eval'; base-uri 'none'; form-action 'none'")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    page = page.replace("<!--claimpack:csp-->", meta, 1)
    scripts = ""
    if has_charts:
        scripts = (f'<script nonce="{nonce}">{vega_bundle()}</script>\n'
                   f'<script nonce="{nonce}">{CHART_SCRIPT}</script>')
    head, marker, tail = page.rpartition("<!--claimpack:scripts-->")
    return head + scripts + tail if marker else page
