"""Write the HTML output: one self-contained, offline, accessible page with interactive charts."""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..system.escape import html
from .config import FormatOptions
from .execute import Chart
from .transform import Element

ASSETS = Path(__file__).resolve().parent.parent / "assets"

# Once the page has loaded, draws every chart with vega-embed, and says under it that its marks have
# details; the static SVG stays if drawing fails.
CHART_SCRIPT = """
(function () {
  function draw() {
    var charts = document.querySelectorAll(".cp-vega[data-spec]");
    Array.prototype.forEach.call(charts, function (el) {
      var source = document.getElementById(el.getAttribute("data-spec"));
      if (!source || typeof vegaEmbed !== "function") { return; }
      var spec = JSON.parse(source.textContent);
      var target = document.createElement("div");
      target.className = "cp-vega-live";
      vegaEmbed(target, spec, {actions: false, renderer: "svg"}).then(function () {
        el.replaceChildren(target);
        var hint = document.createElement("p");
        hint.className = "cp-vega-hint";
        hint.textContent = "Point at a mark for its details and the work the paper cites for it.";
        el.parentNode.insertBefore(hint, el.nextSibling);
      }).catch(function (err) { console.error(err); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
"""


@functools.cache
def vega_bundle() -> str:
    """The vega + vega-lite + vega-embed bundle from vl-convert, safe to place in a <script>."""
    from .converter import javascript_bundle

    bundle = javascript_bundle()
    return bundle.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def json_for_script(data: Any) -> str:
    """JSON that cannot close or comment out the <script> element that holds it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def static_svg(spec: dict[str, Any]) -> str:
    from .converter import svg as vegalite_to_svg

    svg = vegalite_to_svg(spec)
    # The figure's role="img" element names the chart; the drawing itself is presentation.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def chart_markup(number: int, spec: dict[str, Any], alt: str) -> str:
    """One chart: its static SVG named by the alt text, and its spec for vega-embed to draw live."""
    spec_id = f"cp-spec-{number}"
    return (f'<div class="cp-vega" role="img" aria-label="{html(alt)}" data-spec="{spec_id}">'
            f"{static_svg(spec)}</div>\n"
            f'<script type="application/json" id="{spec_id}">{json_for_script(spec)}</script>')


def chart_scripts(nonce: str | None = None) -> str:
    """The Vega bundle and the script that draws the charts, once per page."""
    attribute = f' nonce="{nonce}"' if nonce else ""
    return f"<script{attribute}>{vega_bundle()}</script>\n<script{attribute}>{CHART_SCRIPT}</script>"


def chart_body(chart: Chart, alt: str) -> list[Element]:
    return [{"t": "RawBlock", "c": ["html", chart_markup(chart.number, chart.spec, alt)]}]


def other_formats(links: list[tuple[str, str]]) -> str:
    """The items of the page's list of other formats, as Quarto's pages have it: text and file."""
    return "".join(f'<li><a href="{html(quote(name))}">{html(text)}</a></li>' for text, name in links)


def pandoc_args(options: FormatOptions, css: list[Path], links: list[tuple[str, str]] = ()) -> list[str]:
    # every value joined to its option (--option=value): no value can be read as another option
    args = ["--to=html5", "--standalone", "--embed-resources", "--mathml", "--wrap=none",
            f"--template={ASSETS / 'report-template.html'}",
            f"--syntax-highlighting={ASSETS / 'highlight-accessible.theme'}",
            f"--css={ASSETS / 'claimpack-report.css'}"]
    for path in css:
        args.append(f"--css={os.path.abspath(path)}")
    if options.get("toc"):
        args += ["--toc", f"--toc-depth={options.get('toc-depth', 3)}"]
        args.append(f"--variable=toc-title={options.get('toc-title', 'Table of contents')}")
    if options.get("number-sections"):
        args.append("--number-sections")
    if links:
        args.append(f"--variable=other-formats={other_formats(links)}")
    return args


def finish_page(page: str, has_charts: bool) -> str:
    """Add the Content-Security-Policy and, when there are charts, the one Vega bundle."""
    nonce = secrets.token_urlsafe(16)
    policy = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
              f"script-src 'nonce-{nonce}' 'unsafe-eval'; base-uri 'none'; form-action 'none'")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    page = page.replace("<!--claimpack:csp-->", meta, 1)
    # the notes under a heading, as Quarto's pages have them
    page = re.sub(r'(<section id="footnotes"[^>]*>)', r'\1<h2 class="footnotes-heading">Footnotes</h2>', page, count=1)
    scripts = chart_scripts(nonce) if has_charts else ""
    head, marker, tail = page.rpartition("<!--claimpack:scripts-->")
    return head + scripts + tail if marker else page
