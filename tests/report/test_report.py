"""The report: rebuilt from the package alone, every figure from the data, refusing invalid data."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT, apply_defect, copy_package, run_claimpack, snapshot

QMD = ROOT / "report" / "index.qmd"
PARTS = ("datapackage.json", "data", "validation", "report")
NUMBER_WORDS = r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|" \
               r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|half|twice|double|" \
               r"tenfold|dozen)\b"


def prose(text: str) -> str:
    """The .qmd without its front matter, code cells and inline code: what a reader reads as typed."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"```\{?python.*?```", "", text, flags=re.S)
    return re.sub(r"`[^`]*`", "", text)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    text = text.replace("\u00ad\n", "").replace("\u00ad ", "").replace("\u00ad", "-")  # hyphenation, SVG hyphens
    return re.sub(r"\s+", " ", text)


def test_prose_has_no_typed_figure():
    """Every number of the report comes from the package: no digit is typed in prose."""
    text = prose(QMD.read_text(encoding="utf-8"))
    digits = [line for line in text.splitlines() if re.search(r"\d", line)]
    assert digits == []
    words = sorted({m.group(0).lower() for m in re.finditer(NUMBER_WORDS, text, re.I)})
    assert words == []


def test_typed_figure_check_catches_a_typed_figure():
    text = QMD.read_text(encoding="utf-8") + "\nIMET spent $236 million on training.\n"
    assert re.search(r"\d", prose(text))


def test_every_chart_has_label_caption_and_alt_text():
    text = QMD.read_text(encoding="utf-8")
    cells = re.findall(r"```\{python\}\n(.*?)```", text, flags=re.S)
    charts = [cell for cell in cells if "charts." in cell and "#| label: fig-" in cell]
    assert len(charts) >= 6
    for cell in charts:
        assert "#| fig-cap:" in cell and "#| fig-alt:" in cell, cell[:80]


def test_the_timeline_colours_every_event_and_spans_its_decades_and_centuries():
    """An event of a precision the colour scale left out was drawn without colour: invisible."""
    from claimpack.report import Figures, charts
    from claimpack.report.chart_data import event_rows

    figures = Figures.load(ROOT)
    spec = charts.timeline(figures, title="Events", description="Events").to_dict()

    def domains(node):
        if isinstance(node, dict):
            colour = node.get("encoding", {}).get("color", {})
            if "scale" in colour:
                yield colour["scale"]["domain"]
            for value in node.values():
                yield from domains(value)
        elif isinstance(node, list):
            for value in node:
                yield from domains(value)

    rows = event_rows(figures.model)
    found = list(domains(spec))
    assert found and all({row["precision"] for row in rows} <= set(domain) for domain in found)
    spans = {row["id"]: (row["year"], row["end"]) for row in rows}
    assert spans["narco-terrorism-1980s"] == (1980, 1989)
    assert spans["league-of-nations-collective-security-20th-century"] == (1901, 2000)
    assert spans["plan-colombia-21st-century"] == (2001, 2020)  # never past the year the paper was written


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real package built once for this module (built-in engine, HTML and PDF)."""
    out = tmp_path_factory.mktemp("build") / "_site"
    result = run_claimpack("build", ".", "--out", str(out), "--engine", "builtin", "--force", timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.mark.slow  # builds the whole report
def test_build_produces_the_site(site):
    for name in ("index.html", "report.pdf", "build.json", "validation/index.html"):
        assert (site / name).is_file(), name
    assert list(site.glob("*.zip")), "the data package zip"


# How the report prints a claim, written out here rather than taken from claimpack.model.numbers.describe:
# the paper's qualifier in words, then the figure as the paper printed it, dollars as "US$" and a
# unit the prose names after the figure ("nautical miles") left to the prose.
QUALIFIERS = {"exact": "", "approximately": "approximately ", "some": "some ", "about": "about ",
              "almost": "almost ", "more-than": "more than ", "over": "over ", "at-least": "at least ",
              "less-than": "less than ", "up-to": "up to ", "between": ""}


def printed_as(row: dict) -> str:
    figure = row["figure"].replace("\\$", "US$").removesuffix(" nautical miles")
    assert figure and re.search(r"\d|[a-z]", figure), row["id"]
    return QUALIFIERS[row["qualifier"]] + figure


def test_printed_as_spells_out_the_papers_forms():
    assert printed_as({"id": "a", "figure": "\\$236 million", "qualifier": "approximately"}) == \
        "approximately US$236 million"
    assert printed_as({"id": "b", "figure": "43,000", "qualifier": "more-than"}) == "more than 43,000"
    assert printed_as({"id": "c", "figure": "100 nautical miles", "qualifier": "up-to"}) == "up to 100"


@pytest.mark.slow  # builds the whole report
def test_pdf_holds_charts_references_and_every_figure(site):
    from pypdf import PdfReader

    reader = PdfReader(site / "report.pdf")
    text = pdf_text(site / "report.pdf")
    assert len(reader.pages) > 5
    for caption in range(1, 7):
        assert f"Figure {caption}" in text
    for title in ("Dated events in the paper", "Security programmes", "Kidnappings a year",
                  "Security-assistance money and its periods", "Records per cited work"):
        assert title in text, title
    assert "References" in text and "Isacson, Adam" in text
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as handle:
        claims = list(csv.DictReader(handle))
    missing = []
    for row in claims:
        printed = printed_as(row)
        if printed.casefold() not in text.casefold():
            missing.append((row["id"], printed))
    assert missing == []


@pytest.mark.slow  # builds the whole report
def test_html_holds_every_claim_anchor_and_no_unresolved_citation(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert [i for i in ids if f'id="claim-{i}"' not in page] == []
    visible = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "???" not in visible and "[@" not in visible


@pytest.mark.slow  # builds the whole report
def test_every_figure_in_the_prose_links_to_its_claim_and_carries_its_citation(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    start, end = page.index('id="summary"'), page.index('id="consistency-checks"')
    body = re.sub(r"<figure.*?</figure>|<table.*?</table>|<script.*?</script>", "", page[start:end], flags=re.S)
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as handle:
        cited = {row["id"]: row["source_id"] for row in csv.DictReader(handle)}
    links = list(re.finditer(r'<a href="#claim-([^"]+)">.*?</a>', body, flags=re.S))
    assert len(links) >= 40
    uncited = [m.group(1) for m in links
               if not re.match(rf'<span class="citation" data-cites="{re.escape(cited[m.group(1)])}"',
                               body[m.end():])]
    assert uncited == []


@pytest.mark.slow
def test_the_appendix_reads_as_a_reader_expects_in_the_html_and_the_pdf(site):
    """Each topic once (in the appendix and the PDF's contents), dates written out, no escapes or 2e+12."""
    from pypdf import PdfReader

    page = re.sub(r"<script.*?</script>", "", (site / "index.html").read_text(encoding="utf-8"), flags=re.S)
    appendix = page[page.index('id="claims-appendix"'):page.index('id="how-to-cite-this-dataset"')]
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as handle:
        topics = list(dict.fromkeys(row["topic"].capitalize() for row in csv.DictReader(handle)))
    assert re.findall(r"<h3[^>]*>(.*?)</h3>", appendix) == topics
    visible = unescape(re.sub(r"<[^>]+>", " ", page))
    assert "speech to Congress of 2 December 1823" in " ".join(visible.split())
    assert not re.search(r"\\\$|\d[eE][+-]\d|[?!]\s*\.(?!\.)", visible)
    first = " ".join(page.extract_text() or "" for page in PdfReader(site / "report.pdf").pages[:2])
    contents = first[first.index("Claims appendix"):first.index("How to cite this dataset")]
    assert [topic for topic in topics if len(re.findall(rf"\b{topic} \.", contents)) != 1] == []


def _edit_claim(root: Path, claim_id: str, old: str, new: str) -> None:
    """Change a figure consistently: in the paper, the claim's figure, quote and value."""
    paper = root / "data" / "source" / "paper.md"
    text = paper.read_text(encoding="utf-8")
    assert text.count(old) == 1
    paper.write_text(text.replace(old, new), encoding="utf-8")
    claims = root / "data" / "claims.csv"
    rows = list(csv.DictReader(io.StringIO(claims.read_text(encoding="utf-8"))))
    for row in rows:
        if row["id"] == claim_id:
            row["figure"] = row["figure"].replace("236", "237")
            row["quote"] = row["quote"].replace("236", "237")
            row["value"] = "237000000"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    claims.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.slow
def test_a_changed_value_shows_up_in_the_html_and_the_pdf(tmp_path):
    root = copy_package(tmp_path / "package", PARTS)
    _edit_claim(root, "imet-training-funding-latam-2000-2017", "Approximately \\$236 million",
                "Approximately \\$237 million")
    apply_defect(root, {"edits": []})  # records the new hashes, as a deliberate `claimpack rehash` would
    result = run_claimpack("build", "--engine", "builtin", cwd=root, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    page = (root / "_site" / "index.html").read_text(encoding="utf-8")
    text = pdf_text(root / "_site" / "report.pdf")
    assert "approximately US$237 million" in page and "approximately US$236 million" not in page
    assert "approximately US$237 million" in text and "approximately US$236 million" not in text
    # the derived per-year average follows the value too: 237 million over 18 years
    assert "approximately US$13.2 million" in text


@pytest.mark.slow
def test_an_invalid_package_refuses_to_build_and_keeps_the_last_site(tmp_path):
    root = copy_package(tmp_path / "package", PARTS)
    first = run_claimpack("build", "--engine", "builtin", "--html-only", cwd=root, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    before = snapshot(root / "_site")
    apply_defect(root, {"edits": [{"file": "data/claims.csv", "find": "\\$236 million,236000000,",
                                   "replace": "\\$236 million,237000000,"}]})
    second = run_claimpack("build", "--engine", "builtin", "--html-only", cwd=root, timeout=600)
    assert second.returncode == 1
    assert "refusing to build" in second.stderr and "Traceback" not in second.stderr
    assert "data/claims.csv:36: value: value 237000000 disagrees with figure '\\$236 million' (expected 236000000)" \
        in second.stdout
    assert snapshot(root / "_site") == before
    assert not list(root.glob("_site.staging-*"))


def test_charts_reach_quarto_as_raw_html_and_raw_typst():
    """Under real Quarto a chart is Markdown: raw HTML (live, offline, named by its alt text) and raw
    Typst (the static SVG); the first carries the Vega bundle, hidden from Quarto's table parser."""
    from claimpack.render.html_writer import vega_bundle
    from claimpack.render.quarto_output import NO_TABLE_PROCESSING, QuartoCharts
    from claimpack.report import Figures, charts

    spec = charts.claims_per_source(Figures.load(ROOT), title="t", description="a <chart>").to_dict()
    shown = QuartoCharts()
    first, second = shown.markdown(spec, "Alt text with `backticks` & <tags>"), shown.markdown(spec)
    assert re.match(r"^(`{3,})\{=html\}\n" + re.escape(NO_TABLE_PROCESSING), first)
    assert first.count(vega_bundle()) == 1 and vega_bundle() not in second and NO_TABLE_PROCESSING not in second
    fence = re.match(r"^(`+)", first).group(1)
    assert "`" * len(fence) not in vega_bundle()  # no run of backticks in the bundle can close the block
    assert 'role="img" aria-label="Alt text with `backticks` &amp; &lt;tags&gt;"' in first
    assert 'aria-label="a &lt;chart&gt;"' in second  # without fig-alt, the chart's own description
    assert "{=typst}\n#image(bytes(" in first and 'format: "svg", alt: "Alt text with' in first
    assert 'data-spec="cp-spec-1"' in first and 'data-spec="cp-spec-2"' in second
    assert "text/html" not in shown.bundle(spec)  # never a widget output: Quarto would load require.js


def test_quarto_cell_options_are_read_from_the_document(tmp_path, monkeypatch):
    from claimpack.render import quarto_output

    doc = tmp_path / "doc.qmd"
    doc.write_text("# Title\n\n```{python}\n#| label: fig-a\n#| fig-alt: \"The alt: with a colon\"\n"
                   "chart_a()\n```\n\n````{python}\n#| label: fig-b\n#| fig-alt: >-\n#|   Folded\n#|   alt\n"
                   "chart_b()\n````\n", encoding="utf-8")
    assert [options for options, _ in quarto_output.document_cells(doc, doc.stat().st_mtime)] == [
        {"label": "fig-a", "fig-alt": "The alt: with a colon"}, {"label": "fig-b", "fig-alt": "Folded alt"}]

    shell = type("Shell", (), {})()
    shell.user_ns = {"_ih": ["", "chart_b()\n"]}
    monkeypatch.setenv("QUARTO_DOCUMENT_PATH", str(tmp_path))
    monkeypatch.setenv("QUARTO_DOCUMENT_FILE", doc.name)
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    assert quarto_output.running_cell_options()["fig-alt"] == "Folded alt"
    shell.user_ns["_ih"][-1] = "something_else()"
    assert quarto_output.running_cell_options() == {}


def test_the_build_says_why_it_chose_its_engine(monkeypatch):
    from claimpack.publish import build
    from claimpack.system.problems import ClaimpackError

    monkeypatch.setattr(build, "quarto_available", lambda: None)
    assert build.choose_engine("auto", {}) == (None, "quarto is not on PATH")
    assert build.choose_engine("builtin", {}) == (None, "--engine builtin was asked for")
    with pytest.raises(ClaimpackError, match="quarto is not on PATH"):
        build.choose_engine("quarto", {})
    monkeypatch.setattr(build, "quarto_available", lambda: "/opt/quarto/bin/quarto")
    monkeypatch.setattr(build, "missing_jupyter", lambda python: [])
    assert build.choose_engine("auto", {}) == ("/opt/quarto/bin/quarto", "quarto is on PATH")
    assert build.choose_engine("quarto", {}) == ("/opt/quarto/bin/quarto", "--engine quarto was asked for")
    monkeypatch.setattr(build, "missing_jupyter", lambda python: ["nbclient"])
    quarto, why = build.choose_engine("auto", {})
    assert quarto is None and why == ("quarto is on PATH, but Quarto's Python lacks nbclient: "
                                      "pip install 'claimpack[quarto]'")
    with pytest.raises(ClaimpackError, match="cannot run the report's Python cells"):
        build.choose_engine("quarto", {})


def test_missing_jupyter_names_what_a_python_lacks():
    import sys

    from claimpack.publish.build import JUPYTER_MODULES, missing_jupyter

    found = missing_jupyter(sys.executable)
    assert set(found) <= set(JUPYTER_MODULES)
    assert missing_jupyter("/nonexistent/python") == list(JUPYTER_MODULES)
