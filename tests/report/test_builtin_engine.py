"""The built-in render engine, run for real: pandoc, Typst and a Python kernel, no mocks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimpack.render import RenderError, UnsupportedFeature, render_project
from claimpack.render.config import format_links
from claimpack.system.escape import markdown
from conftest import AXE, CHROMIUM, CHROMIUM_FLAGS, require_browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENGINE = FIXTURES / "engine"
BAD = FIXTURES / "bad"
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> *bold* [x](javascript:alert(3)) @smith2020 $5"


def pdf_text(pdf: Path) -> str:
    """The text of the PDF itself (pypdf is a test dependency), never of its Typst source."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    """Render the basic fixture once, from a copy (its pre-render writes into the project)."""
    root = tmp_path_factory.mktemp("basic")
    project = root / "project"
    shutil.copytree(ENGINE / "basic", project)
    messages: list[str] = []
    started = time.perf_counter()
    outputs = render_project(project, root / "site", progress=messages.append, keep_intermediates=root / "keep")
    return {"outputs": outputs, "messages": messages, "root": root, "project": project,
            "seconds": time.perf_counter() - started}


@pytest.fixture(scope="module")
def page(basic) -> str:
    return basic["outputs"]["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf(basic) -> str:
    return pdf_text(basic["outputs"]["pdf"])


def visible_html(page: str) -> str:
    """The page without its <script> elements (the Vega bundle and the chart specs)."""
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S)


# -- outputs -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_outputs_are_named_by_output_file_and_nothing_else_is_written(basic):
    site = basic["root"] / "site"
    assert basic["outputs"] == {"html": site / "index.html", "pdf": site / "report.pdf"}
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "report.pdf"]
    source_files = sorted(p.name for p in basic["project"].iterdir())
    assert source_files == sorted([*(p.name for p in (ENGINE / "basic").iterdir()), "generated.txt"])


@pytest.mark.slow
def test_the_page_links_the_other_formats_rendered(basic, page, tmp_path):
    """As Quarto's pages do: every other format rendered, named as Quarto names it, unless format-links
    says which and with what text, or false."""
    assert '<ul><li><a href="report.pdf">Typst</a></li></ul>' in page
    rendered = {"html": "index.html", "typst": "paper.pdf"}
    assert format_links({"format-links": ["html", {"format": "typst", "text": "PDF"}]}, rendered) == [
        ("PDF", "paper.pdf")]
    # without a plain format name in the list, Quarto adds every format rendered after it
    assert format_links({"format-links": [{"format": "typst", "text": "PDF"}]}, rendered) == [
        ("PDF", "paper.pdf"), ("Typst", "paper.pdf")]
    assert format_links({"format-links": ["typst"]}, {"html": "index.html"}) == []  # the PDF was not rendered
    assert format_links({"format-links": False}, rendered) == []
    assert format_links({}, rendered) == [("Typst", "paper.pdf")]
    alone = render_project(basic["project"], tmp_path / "site", formats=("html",))
    assert 'id="other-formats"' not in alone["html"].read_text(encoding="utf-8")


def test_progress_names_each_cell_and_output(basic):
    assert basic["messages"] == [
        "running pre-render: python make_data.py",
        "executing index.qmd (cell 1/3: setup)",
        "executing index.qmd (cell 2/3: fig-funding)",
        "executing index.qmd (cell 3/3)",
        "rendering index.qmd -> index.html",
        "rendering index.qmd -> report.pdf",
    ]


def test_pre_render_ran_in_the_project_with_quarto_variables(page):
    assert "Pre-render ran: 1." in page


# -- HTML --------------------------------------------------------------------------------------

def test_html_figure_has_number_caption_alt_text_and_spec(page):
    figure = re.search(r'<figure id="fig-funding".*?</figure>', page, re.S).group(0)
    assert "<figcaption>Figure\u00a01: Funding by year, in millions of dollars</figcaption>" in figure
    assert 'role="img" aria-label="Bar chart of funding rising from 1.5 million in 2000 to 3 million in 2001."' \
        in figure
    assert '"$schema":"https://vega.github.io/schema/vega-lite/' in figure
    assert '"millions":2.25' in figure
    assert "<svg " in figure  # static fallback until vega-embed draws the interactive chart


def test_html_cross_reference_links_to_the_figure(page):
    assert '<a href="#fig-funding" class="quarto-xref">Figure\u00a01</a> shows' in page
    assert '<a href="#fig-funding" class="quarto-xref">1</a>' in page  # [-@fig-funding]


def test_html_inline_values_are_escaped_text(page):
    visible = visible_html(page)
    assert "Funding rose to 3.0 million dollars" in visible
    assert "reported as <strong>three</strong>" in visible  # _repr_markdown_ is trusted Markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in visible
    assert "*bold* [x](javascript:alert(3)) @smith2020 $5" in visible
    assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript' not in page


def test_html_citation_is_a_resolved_footnote(page):
    visible = visible_html(page)
    assert "???" not in visible and "[@" not in visible
    assert 'role="doc-noteref"' in visible
    assert "Jane Smith, <em>Counting the soldiers</em>, 104</a>" in visible
    assert "Smith, Jane. <em>Counting the soldiers</em>. Chicago: Example Press. 2020." in visible


def test_html_callouts_are_labelled_notes(page):
    assert re.search(r'<div class="callout callout-note" role="note" aria-labelledby="callout-1-title">\s*'
                     r'<div id="callout-1-title" class="callout-title">\s*<strong>About the data</strong>', page)
    assert re.search(r'class="callout callout-warning" role="note" aria-labelledby="callout-2-title">\s*'
                     r'<div id="callout-2-title" class="callout-title">\s*<strong>Careful</strong>', page)


def test_html_page_is_offline_accessible_and_bundles_vega_once(page):
    assert page.count("vega-embed") >= 1
    assert page.count("<script nonce=") == 2  # the bundle, then the code that draws the charts
    assert len(re.findall(r"function vegaEmbed|vegaEmbed=", page)) <= 2
    assert '<html lang="en"' in page and "<title>Engine fixture</title>" in page
    assert '<main id="content">' in page and '<nav id="TOC" aria-labelledby="toc-title">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", visible_html(page) + "".join(
        re.findall(r"<script\b[^>]*>", page)))
    assert not [t for t in tags if re.search(r"(src|href)=\"(https?:)?//", t)]
    assert "mathjax" not in page.lower() and "fonts.googleapis" not in page


# -- PDF ---------------------------------------------------------------------------------------

def test_pdf_has_caption_footnote_and_bibliography(basic, pdf):
    assert basic["outputs"]["pdf"].read_bytes().startswith(b"%PDF")
    text = " ".join(pdf.split())
    assert "Figure 1: Funding by year, in millions of dollars" in text
    assert "Smith, Jane. Counting the soldiers. Chicago: Example Press. 2020." in text
    assert "Jane Smith, Counting the soldiers, 104." in text
    assert "<script>alert(1)</script><imgsrc=xonerror=alert(2)>" in "".join(text.split())
    assert "About the data" in text and "Careful" in text


def test_typst_source_keeps_alt_text_and_escapes_hostile_text(basic):
    source = (basic["root"] / "keep" / "index.typ").read_text(encoding="utf-8")
    assert 'alt: "Bar chart of funding rising from 1.5 million in 2000 to 3 million in 2001."' in source
    assert "\\@smith2020" in source and "\\$5" in source
    assert "#pagebreak()" in source


# -- cell options ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def options_page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("options")
    outputs = render_project(ENGINE / "options", out, formats=("html",))
    assert outputs == {"html": out / "options.html"}
    return visible_html(outputs["html"].read_text(encoding="utf-8"))


@pytest.mark.slow
def test_execute_echo_false_is_the_default_and_cells_can_override_it(options_page):
    assert "import warnings" not in options_page
    assert "echo-true-code" in options_page and "stdout-from-shown" in options_page


def test_include_eval_and_output_options(options_page):
    assert "included-false-output" not in options_page
    assert "never runs" in options_page  # echoed, not executed
    assert "output-false-text" not in options_page
    assert "<strong>asis-bold</strong>" in options_page


def test_warning_and_error_options(options_page):
    assert "index.qmd:43: UserWarning: warning-is-shown" in options_page
    assert "warning-is-hidden" not in options_page
    assert "KeyError: &#39;error-is-shown&#39;" in options_page


def test_displayed_values_like_jupyter(options_page):
    assert "{&#39;answer&#39;: 42}" in options_page
    assert "&lt;b&gt;x&lt;/b&gt;" in options_page and ">a|b</td>" in options_page
    assert options_page.index("first display") < options_page.index("last value")
    assert '<figure class="cp-figure cp-chart">' in options_page  # unnumbered: no fig- label
    assert "Figure\u00a01" not in options_page


# -- refusals and errors -----------------------------------------------------------------------

BAD_CASES = {
    "qmd-unsupported-r-cell": (UnsupportedFeature, "index.qmd:7: code cell in language 'r' is not supported by "
                               "the built-in engine (expected ```{python} cells)"),
    "qmd-unsupported-cell-option": (UnsupportedFeature, "index.qmd:7: cell option 'code-fold' is not supported by "
                                    "the built-in engine (expected one of echo, error, eval, fig-alt, fig-cap, "
                                    "include, label, output, warning)"),
    "qmd-unsupported-shortcode": (UnsupportedFeature, "index.qmd:7: shortcode '{{< include >}}' is not supported "
                                  "by the built-in engine (expected no shortcodes other than {{< pagebreak >}})"),
    "qmd-unsupported-panel-tabset": (UnsupportedFeature, "index.qmd:5: Quarto div class '.panel-tabset' is not "
                                     "supported by the built-in engine (expected plain Markdown, callouts and "
                                     "figures)"),
    "qmd-unsupported-sec-crossref": (UnsupportedFeature, "index.qmd:7: cross-reference @sec-intro (@sec- "
                                     "references) is not supported by the built-in engine (expected @fig- "
                                     "references to figures)"),
    "qmd-unsupported-format": (UnsupportedFeature, "_quarto.yml:5: format 'docx' is not supported by the "
                               "built-in engine (expected html or typst)"),
    "qmd-unsupported-option": (UnsupportedFeature, "_quarto.yml:6: html option 'theme' is not supported by the "
                               "built-in engine (expected one of css, embed-resources, format-links, "
                               "link-citations, number-sections, output-file, toc, toc-depth, toc-title)"),
    "qmd-unknown-crossref": (RenderError, "index.qmd:13: cross-reference @fig-missing points at no figure "
                             "(expected a figure label: @fig-real)"),
    "qmd-unknown-citation": (RenderError, "index.qmd:6: citation @nobody2020 is not in the bibliography "
                             "(expected a key of the bibliography file)"),
    "qmd-cell-raises": (RenderError, "index.qmd:8: cell 'boom' raised ValueError: the figure is negative"),
    "qmd-inline-raises": (RenderError, "index.qmd:9: inline expression `missing_name` raised NameError: name "
                          "'missing_name' is not defined"),
    "qmd-pre-render-fails": (RenderError, "_quarto.yml:4: pre-render command 'python prepare.py' failed with "
                             "exit code 3: references.bib: source row 7 has no title (expected a pre-render "
                             "command that exits with status 0)"),
}


@pytest.mark.parametrize("defect", sorted(BAD_CASES))
def test_bad_project_fails_with_exact_message(defect, tmp_path):
    kind, message = BAD_CASES[defect]
    with pytest.raises(kind) as caught:
        render_project(BAD / defect, tmp_path / "site", formats=("html",))
    assert str(caught.value) == message
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())


def test_every_bad_qmd_fixture_has_a_case():
    assert sorted(p.name for p in BAD.glob("qmd-*")) == sorted(BAD_CASES)


def test_pre_render_is_skipped_when_asked(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ENGINE / "basic", project)
    with pytest.raises(RenderError) as caught:
        render_project(project, tmp_path / "site", formats=("html",), run_pre_render=False)
    assert str(caught.value) == ("index.qmd:22: cell 'setup' raised FileNotFoundError: [Errno 2] No such file or "
                                 "directory: 'generated.txt'")
    assert not (project / "generated.txt").exists()


@pytest.mark.parametrize(("text", "message"), [
    ("format:\n  revealjs: default\n", "_quarto.yml:2: format 'revealjs' is not supported by the built-in engine "
     "(expected html or typst)"),
    ("format:\n  pdf: default\n", "_quarto.yml:2: format 'pdf' (Quarto's pdf format needs LaTeX) is not supported "
     "by the built-in engine (expected html or typst)"),
    ("format:\n  typst:\n    columns: 2\n", "_quarto.yml:3: typst option 'columns' is not supported by the "
     "built-in engine (expected one of citeproc, fontsize, include-in-header, link-citations, margin, "
     "number-sections, output-file, papersize, section-numbering, toc, toc-depth, toc-title)"),
    ("project:\n  type: website\n", "_quarto.yml:2: project type 'website' is not supported by the built-in "
     "engine (expected type: default)"),
    ("execute:\n  freeze: auto\n", "_quarto.yml:2: execute option 'freeze' is not supported by the built-in "
     "engine (expected one of echo, error, eval, include, output, warning)"),
    ("crossref:\n  fig-prefix: Fig.\n", "_quarto.yml:1: option 'crossref' is not supported by the built-in "
     "engine (expected one of the options documented for the built-in engine in _quarto.yml)"),
    ("toc: maybe\n", "_quarto.yml:1: option 'toc' must be true or false (got 'maybe') (expected true or false)"),
    ("format-links: [docx]\n", "_quarto.yml:1: format-links 'docx' is not supported by the built-in engine "
     "(expected true, false, or a list of formats: typst, or {format: typst, text: PDF})"),
    ("format:\n  typst:\n    margin:\n      x: wide\n", "_quarto.yml:4: 'wide' is not a Typst length (expected a "
     "length such as 2cm, 1in or 11pt)"),
])
def test_project_options_are_checked(tmp_path, text, message):
    (tmp_path / "_quarto.yml").write_text(text)
    (tmp_path / "index.qmd").write_text("---\ntitle: T\n---\n\nText.\n")
    with pytest.raises(RenderError) as caught:
        render_project(tmp_path, tmp_path / "_site", formats=("pdf",))
    assert str(caught.value) == message


@pytest.mark.parametrize(("body", "message"), [
    ("```{python}\n#| label: fig-empty\nx = 1\n```\n", "index.qmd:6: cell 'fig-empty' is a figure but displayed "
     "no chart (expected exactly one chart in a fig- cell)"),
    ("```{python}\ndef f():\n    return 1 / 0\n\nf()\n```\n", "index.qmd:7: cell 1 raised ZeroDivisionError: "
     "division by zero"),
    ("```{python}\nx = (\n```\n", "index.qmd:6: cell 1 raised SyntaxError: '(' was never closed"),
    ("Text `{r} 1 + 1`.\n", "index.qmd:5: inline expression in language 'r' is not supported by the built-in "
     "engine (expected `{python} expression`)"),
    ("```{ojs}\n1\n```\n", "index.qmd:5: code cell in language 'ojs' is not supported by the built-in engine "
     "(expected ```{python} cells)"),
    ("::: {.callout-tip collapse=\"yes\"}\nHidden.\n:::\n", "index.qmd:5: callout attribute 'collapse' is not "
     "supported by the built-in engine (expected title=\"...\" and collapse=\"true\" or \"false\" only)"),
    ("::: {.callout-tip appearance=\"simple\"}\nPlain.\n:::\n", "index.qmd:5: callout attribute 'appearance' is "
     "not supported by the built-in engine (expected title=\"...\" and collapse=\"true\" or \"false\" only)"),
    ("::: {layout-ncol=2}\nA\n\nB\n:::\n", "index.qmd:5: Quarto div attribute 'layout-ncol' is not supported by "
     "the built-in engine (expected plain Markdown, callouts and figures)"),
    ("See @tbl-a.\n", "index.qmd:5: cross-reference @tbl-a (@tbl- references) is not supported by the built-in "
     "engine (expected @fig- references to figures)"),
    ("![A photo](https://example.org/x.png)\n", "index.qmd:5: image 'https://example.org/x.png' is on the "
     "network; the report must work offline (expected a local image file)"),
    ("Text {{< pagebreak >}} more.\n", "index.qmd:5: a pagebreak shortcode inside a paragraph is not supported "
     "by the built-in engine (expected {{< pagebreak >}} alone on its line)"),
])
def test_document_constructs_are_checked(tmp_path, body, message):
    (tmp_path / "index.qmd").write_text("---\ntitle: T\n---\n\n" + body)
    with pytest.raises(RenderError) as caught:
        render_project(tmp_path, tmp_path / "_site", formats=("html",))
    assert str(caught.value) == message


def test_a_collapsed_callout_is_a_closed_disclosure_in_html_and_open_in_print(tmp_path):
    """Quarto's `collapse="true"`: the page shows the title and opens the body on demand (a <details>, which
    a keyboard reaches and a link or a search inside opens); the PDF prints the body, as Quarto's does."""
    (tmp_path / "index.qmd").write_text(
        "---\ntitle: T\n---\n\n::: {.callout-note collapse=\"true\"}\n## Twelve *figures* & more\n\nThe body [x](#t).\n"
        ":::\n\n::: {.callout-tip collapse=\"false\" title=\"Open\"}\nShown.\n:::\n\n[Target]{#t}\n")
    outputs = render_project(tmp_path, tmp_path / "_site")
    page = outputs["html"].read_text(encoding="utf-8")
    assert re.search(r'<details class="callout callout-note callout-collapsible">\s*<summary class="callout-title">'
                     r'\s*<strong>Twelve <em>figures</em> &amp; more</strong>\s*</summary>\s*<div class="callout-body">'
                     r'\s*<p>The body <a href="#t">x</a>.</p>\s*</div>\s*</details>', page)
    assert re.search(r'<details class="callout callout-tip callout-collapsible" open>\s*<summary class="callout-title">'
                     r'\s*<strong>Open</strong>', page)
    printed = pdf_text(outputs["pdf"])
    assert "Twelve figures & more" in printed and "The body x." in printed and "Shown." in printed


def test_escaped_shortcode_and_code_are_literal(tmp_path):
    (tmp_path / "index.qmd").write_text(
        "---\ntitle: T\n---\n\nWrite `{{< var x >}}` or {{{< var x >}}}.\n\n```\n{{< include y >}}\n```\n")
    page = render_project(tmp_path, tmp_path / "_site", formats=("html",))["html"].read_text()
    assert "<code>{{&lt; var x &gt;}}</code> or {{&lt; var x &gt;}}." in page
    assert "{{&lt; include y &gt;}}" in page


# -- escaping ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [HOSTILE, "a\n\n# heading\n    code", "^[note] \\ `tick` <!-- c --> ~~s~~ 1. x",
                                  "{{< pagebreak >}} :::: {.x}", "&lt; &amp; \u00a0nbsp"])
def test_escaped_markdown_reads_back_as_the_same_text(text):
    from claimpack.render.pandoc import pandoc_path

    plain = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "plain", "--wrap=none"],
                           input=markdown(text), capture_output=True, text=True, check=True).stdout
    assert plain.strip() == re.sub(r"[ \t\r\n]+", " ", text).strip()


def test_import_is_light():
    code = ("import sys, claimpack.render; heavy = {'pandas', 'altair', 'vl_convert', 'typst', 'pypandoc', 'yaml'};"
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_official_chicago_note_style_gives_footnotes_in_html_and_pdf(tmp_path):
    csl = Path(__file__).resolve().parents[2] / "report" / "chicago-note-bibliography.csl"
    project = tmp_path / "project"
    shutil.copytree(ENGINE / "basic", project)
    shutil.copy(csl, project / "chicago-note-bibliography.csl")  # a report embeds only its package's files
    config = project / "_quarto.yml"
    config.write_text(config.read_text().replace("csl: note-style.csl", "csl: chicago-note-bibliography.csl"))
    outputs = render_project(project, tmp_path / "site", keep_intermediates=tmp_path / "keep")
    page = outputs["html"].read_text(encoding="utf-8")
    assert 'role="doc-noteref"' in page
    assert 'role="doc-biblioref">Smith, <em>Counting the Soldiers</em>, 104</a>.' in page
    assert "Smith, Jane. <em>Counting the Soldiers</em>. Example Press, 2020." in page
    text = " ".join(pdf_text(outputs["pdf"]).split())
    assert "Smith, Counting the Soldiers, 104." in text
    assert "Smith, Jane. Counting the Soldiers. Example Press, 2020." in text


def test_project_renders_every_qmd_not_starting_with_underscore(tmp_path):
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHome.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.qmd").write_text("---\ntitle: Page\n---\n\nPage.\n")
    (tmp_path / "_draft.qmd").write_text("{{< include never.qmd >}}\n")
    site = tmp_path / "_site"
    outputs = render_project(tmp_path, site, formats=("html",))
    assert outputs == {"html": site / "index.html", "index.qmd:html": site / "index.html",
                       "sub/page.qmd:html": site / "sub" / "page.html"}
    assert "<title>Page</title>" in (site / "sub" / "page.html").read_text()


@pytest.mark.browser
def test_page_passes_axe_and_makes_no_network_request(basic):
    require_browser(axe=True)
    from playwright.sync_api import sync_playwright

    url = basic["outputs"]["html"].as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.wait_for_selector(".cp-vega-live svg", timeout=10_000)  # vega-embed drew the chart
        assert [r for r in requests if r != url] == []
        assert errors == []
        audit = browser.new_page(bypass_csp=True)  # the page's CSP would block the injected axe script
        audit.goto(url)
        audit.add_script_tag(path=str(AXE))
        result = audit.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        browser.close()
    serious = [(v["id"], v["impact"]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\x10\x20\x30" * 2 + b"\x00" + b"\x40\x50\x60" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_image_figure_is_numbered_with_its_alt_text_in_both_formats(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dot.png").write_bytes(_tiny_png())
    (tmp_path / "index.qmd").write_text("---\ntitle: Images\n---\n\n"
                                        "![A dot, enlarged](img/dot.png){#fig-dot fig-alt=\"Two grey pixels\"}\n\n"
                                        "See @fig-dot.\n")
    outputs = render_project(tmp_path, tmp_path / "_site", keep_intermediates=tmp_path / "_keep")
    page = outputs["html"].read_text()
    assert '<figure id="fig-dot">' in page and 'alt="Two grey pixels"' in page
    assert 'src="data:image/png;base64,' in page
    assert "<figcaption>Figure\u00a01: A dot, enlarged</figcaption>" in page
    assert '<a href="#fig-dot" class="quarto-xref">Figure\u00a01</a>' in page
    assert outputs["pdf"].read_bytes().startswith(b"%PDF")
    assert 'image("image-1.png")' in (tmp_path / "_keep" / "index.typ").read_text()


def test_typst_include_in_header_follows_the_template_rules(tmp_path):
    """A project's Typst rules (here: tables that break across pages) come after the template's own."""
    (tmp_path / "_quarto.yml").write_text("format:\n  typst:\n    include-in-header: rules.typ\n")
    (tmp_path / "rules.typ").write_text("#show figure.where(kind: table): set block(breakable: true) // rules\n")
    rows = "\n".join(f"| row {n} | {'text ' * 30} |" for n in range(60))
    (tmp_path / "index.qmd").write_text(f"---\ntitle: Tables\n---\n\n| a | b |\n|:--|:--|\n{rows}\n")
    outputs = render_project(tmp_path, tmp_path / "_site", formats=("pdf",), keep_intermediates=tmp_path / "_keep")
    source = (tmp_path / "_keep" / "index.typ").read_text()
    assert source.index("// rules") > source.index("#show figure.where(kind: image): set block(breakable: false)")
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(outputs["pdf"]).pages]
    assert len(pages) > 1 and "row 59" in pages[-1]


@pytest.mark.parametrize("option", ["css: {outside}", "format:\n  html:\n    css: ../{name}",
                                    "format:\n  typst:\n    include-in-header: {outside}", "bibliography: {outside}",
                                    "image"])
def test_a_file_from_outside_the_package_is_never_embedded(tmp_path, option):
    """The site is published: a file option or image that leads out of the package (the report
    project's parent folder) is refused, however it is named (a CSL style, which only shapes the
    page, may come from anywhere)."""
    secret = tmp_path / "secret.css"
    secret.write_text(".leak{content:'SECRET'}\n", encoding="utf-8")
    project = tmp_path / "package" / "report"
    project.mkdir(parents=True)
    body = "Text.\n"
    if option == "image":
        body = f"![A leak]({secret})\n"
        option = ""
    (project / "_quarto.yml").write_text(option.format(outside=secret, name="../secret.css") + "\n",
                                         encoding="utf-8")
    (project / "index.qmd").write_text("---\ntitle: T\n---\n\n" + body, encoding="utf-8")
    with pytest.raises(RenderError, match="lies outside the package"):
        render_project(project, tmp_path / "site", formats=("html",))
    assert not (tmp_path / "site").exists() or "SECRET" not in "".join(
        p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*") if p.is_file())
