"""Publish Great Expectations' Data Docs as a site that works offline, styled as GX draws it.

GX's pages load Bootstrap, bootstrap-table, jQuery and Popper from CDNs, Font Awesome for a
handful of icons, and Vega for its graphs, and its static/ folder ships 3.4 MB of promotional
images no page shows; its pages fetch its logo with a tracking query and end in a newsletter
footer. Published with the report, the pages get claimpack's copies of those libraries
(assets/datadocs, from npm), the few icons drawn by a small stylesheet, the Vega bundle only
where a page draws a graph, and neither the remote logo, the footer nor an image nothing shows.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from ..system.escape import html

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "datadocs"
VENDOR = "static/vendor"

# A remote asset GX's pages name -> claimpack's local copy (None: dropped, nothing needs it offline)
LOCAL_COPIES: list[tuple[re.Pattern, str | None]] = [
    (re.compile(r"jquery-3\.\d+\.\d+(?:\.min)?\.js$"), "jquery.min.js"),
    (re.compile(r"popper\.js/1\.[\d.]+/umd/popper(?:\.min)?\.js$"), "popper.min.js"),
    (re.compile(r"bootstrap/4\.[\d.]+/css/bootstrap(?:\.min)?\.css$"), "bootstrap.min.css"),
    (re.compile(r"bootstrap/4\.[\d.]+/js/bootstrap(?:\.min)?\.js$"), "bootstrap.min.js"),
    (re.compile(r"bootstrap-table@1\.[\d.]+/dist/bootstrap-table(?:\.min)?\.css$"), "bootstrap-table.min.css"),
    (re.compile(r"bootstrap-table@1\.[\d.]+/dist/bootstrap-table(?:\.min)?\.js$"), "bootstrap-table.min.js"),
    (re.compile(r"filter-control/bootstrap-table-filter-control(?:\.min)?\.css$"),
     "bootstrap-table-filter-control.min.css"),
    (re.compile(r"filter-control/bootstrap-table-filter-control(?:\.min)?\.js$"),
     "bootstrap-table-filter-control.min.js"),
    (re.compile(r"bootstrap-datepicker/1\.[\d.]+/css/bootstrap-datepicker(?:\.min)?\.css$"),
     "bootstrap-datepicker.min.css"),
    (re.compile(r"bootstrap-datepicker/1\.[\d.]+/js/bootstrap-datepicker(?:\.min)?\.js$"),
     "bootstrap-datepicker.min.js"),
    (re.compile(r"/npm/vega(?:-lite|-embed)?@\d+$"), "vega.js"),
]
REMOTE_TAG = re.compile(
    r"<script\b[^>]*\bsrc=[\"']((?:https?:)?//[^\"']+)[\"'][^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref=[\"']((?:https?:)?//[^\"']+)[\"'][^>]*>"
    r"|<img\b[^>]*\bsrc=[\"']((?:https?:)?//[^\"']+)[\"'][^>]*>",  # GX's logo, fetched with a tracking query
    re.IGNORECASE,
)
# GX's footers that advertise its newsletter and cloud service (their links carry utm_ tracking)
PROMOTION = re.compile(r"<footer\b[^>]*>(?:(?!</footer>).)*?utm_source=(?:(?!</footer>).)*</footer>",
                       re.IGNORECASE | re.DOTALL)
# a local copy is checked by nobody's CDN hash and served from file:, where crossorigin fails
CDN_ATTRIBUTES = re.compile(r"\s(?:integrity|crossorigin)=[\"'][^\"']*[\"']", re.IGNORECASE)
STATIC = re.compile(r"""((?:src|href)=["'])(?:\.\./)*static/""")
ASSET_REFERENCE = re.compile(r"static/images/([\w.-]+)")

# Font Awesome draws five icons in GX's pages; these characters draw them without its 1 MB of fonts.
ICONS_STYLE = """
.fas, .far { font-style: normal; font-weight: bold; }
.fa-check-circle::before { content: "\\2714"; }
.fa-times::before { content: "\\2716"; }
.fa-question-circle::before { content: "?"; }
.fa-exclamation-triangle::before { content: "\\26A0"; }
.fa-comment::before { content: "\\1F5E8"; }
.claimpack-report-link { display: block; padding: .5rem 1rem; background: #f5f6f8; border-bottom: 1px solid #d0d7de; }
#claimpack-index { margin: 1rem 0 2rem; }
#claimpack-index .failed { color: #b00020; font-weight: bold; }
#claimpack-index .passed { color: #1b5e20; }
"""


def local_copy(url: str) -> str | None:
    """claimpack's copy of a remote asset GX names, or None when the page does without it."""
    for pattern, name in LOCAL_COPIES:
        if pattern.search(url):
            return name
    return None


def make_offline(site: Path, outcomes: list[tuple[str, bool, str]]) -> None:
    """Point every page of a Data Docs site at local copies of its assets and drop what none shows."""
    vendor = site / VENDOR
    vendor.mkdir(parents=True, exist_ok=True)
    (vendor / "claimpack-datadocs.css").write_text(ICONS_STYLE.lstrip(), encoding="utf-8")
    used: set[str] = set()
    for page in site.rglob("*.html"):
        prefix = Path(os.path.relpath(site / "static", page.parent)).as_posix() + "/"

        text = page.read_text(encoding="utf-8")
        draws = "vegaEmbed(" in text

        def localise(match: re.Match, prefix: str = prefix, draws: bool = draws) -> str:
            url = match.group(1) or match.group(2)
            name = local_copy(url) if url else None
            if name is None or (name == "vega.js" and not draws):
                return ""
            used.add(name)
            return CDN_ATTRIBUTES.sub("", match.group(0).replace(url, f"{prefix}vendor/{name}"))

        text = PROMOTION.sub("", REMOTE_TAG.sub(localise, text))
        # the three Vega scripts become one bundle: keep its first tag only
        vega = f'<script src="{prefix}vendor/vega.js"></script>'
        first = text.find(vega)
        if first != -1:
            text = text[:first + len(vega)] + text[first + len(vega):].replace(vega, "")
        # GX links a validation page's static files one directory short (../../../static on a page
        # four levels deep); point every page at the real static/ directory
        text = STATIC.sub(lambda match, prefix=prefix: match.group(1) + prefix, text)
        text = text.replace("</head>", f'<link rel="stylesheet" href="{prefix}vendor/claimpack-datadocs.css">'
                                       "</head>", 1)
        page.write_text(text, encoding="utf-8")
    for name in used:
        if name == "vega.js":
            from ..render.html_writer import vega_bundle

            (vendor / name).write_text(vega_bundle(), encoding="utf-8")
        else:
            shutil.copyfile(ASSETS / name, vendor / name)
    _drop_unshown_images(site)
    _index_summary(site, outcomes)


def _drop_unshown_images(site: Path) -> None:
    """Remove the images in static/images that no page or stylesheet names (GX's promotional GIFs)."""
    images = site / "static" / "images"
    if not images.is_dir():
        return
    named: set[str] = set()
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js") and path.is_file():
            named.update(ASSET_REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace")))
    for image in images.iterdir():
        if image.is_file() and image.name not in named:
            image.unlink()


def _index_summary(site: Path, outcomes: list[tuple[str, bool, str]]) -> None:
    """Open the index with every suite's result and links to its suite and latest validation page."""
    index = site / "index.html"
    if not index.is_file():
        return
    rows = []
    for name, success, suite_rel in outcomes:
        suite_page = site / "expectations" / f"{name}.html"
        run_dir = site / "validations" / name
        runs = sorted(run_dir.rglob("*.html")) if run_dir.is_dir() else []
        links = []
        if suite_page.is_file():
            links.append(f'<a href="expectations/{html(name)}.html">suite</a>')
        if runs:
            target = html(runs[-1].relative_to(site).as_posix())
            links.append(f'<a href="{target}">validation result</a>')
        status = "passed" if success else "failed"
        rows.append(f"<tr><td>{html(name)}</td><td class=\"{status}\">{status}</td>"
                    f"<td>{html(suite_rel)}</td><td>{' · '.join(links)}</td></tr>")
    section = ('<section id="claimpack-index" class="container"><h1>Great Expectations validation</h1>'
               '<table class="table table-sm"><thead><tr><th>Resource</th><th>Result</th><th>Suite</th>'
               f"<th>Pages</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")
    text = index.read_text(encoding="utf-8")
    text = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + section, text, count=1)
    index.write_text(text, encoding="utf-8")


def link_report(site: Path, report: Path) -> None:
    """Open every page of the Data Docs with a link back to the report they are published with."""
    for page in site.rglob("*.html"):
        href = html(Path(os.path.relpath(report, page.parent)).as_posix())
        link = f'<a class="claimpack-report-link" href="{href}">← Back to the report</a>'
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"(<body\b[^>]*>)", lambda m, link=link: m.group(1) + link, text, count=1),
                        encoding="utf-8")
