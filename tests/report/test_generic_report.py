"""The report `claimpack init` writes, as its reader meets it.

A paper of many figures reads as its list of sections, each opened on demand; the page fits a
phone; fractions and ranks print as the paper printed them; the works are listed in the paper's
own order ([2] before [10]); the dataset is cited by its authors, or says plainly that none is
named; init's placeholders never reach a row. Quarto and the built-in engine show the same text.
The paper is made here, by an author whose works sort the other way round alphabetically.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from claimpack.init.writer import init
from claimpack.report import Figures, Sections
from claimpack.report.citations import dataset_citation
from conftest import AXE, CHROMIUM, CHROMIUM_FLAGS, ROOT, raw_markup, require_browser, require_quarto, run_claimpack

# twelve works, numbered as the paper lists them; their authors run from Y to N
FAMILIES = ["Young", "Xu", "Walker", "Vance", "Ulrich", "Turner", "Stone", "Reyes", "Quinn", "Patel", "Owens", "Nash"]
SECTIONS = 12


def paper() -> str:
    parts = []
    for n in range(1, SECTIONS + 1):
        parts.append(f"## Basin part {n}\n\nThe basin lost {n * 7}% of its wetlands between 1990 and 2010 [{n}]. "
                     f"Roughly two-thirds of the wells were dry,[^{n}] and the district has the 13th-largest "
                     f"reservoir of the region [{13 - n}].\n")
    notes = "\n".join(f"[^{n}]: {family}, *Study number {n} of water*, {n * 3}."
                      for n, family in enumerate(FAMILIES, 1))
    works = "\n\n".join(f"[{n}] {family}, A. ({2000 + n}). *Study number {n} of water*. Journal of Tests, {n}(1), 1-10."
                        for n, family in enumerate(FAMILIES, 1))
    return ("---\ntitle: \"Water in the Basin\"\nauthor:\n  - Ana Țerna\n  - Lucian Toșa\ndate: 2024-05-01\n---\n\n"
            + "\n".join(parts) + "\n## References\n\n" + works + "\n\n" + notes + "\n")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("generic")
    source = directory / "water.md"
    source.write_text(paper(), encoding="utf-8")
    return init(source, directory / "package").root


@pytest.fixture(scope="module")
def sections(package) -> Sections:
    return Sections(Figures.load(package))


# ---- the blocks, read from the package --------------------------------------------------------
@pytest.mark.slow
def test_each_section_is_a_part_the_reader_opens_titled_with_its_count(sections):
    blocks = sections.by_section(collapsed=True)
    titles = re.findall(r'<details class="cp-part"><summary>(.*?)</summary>', blocks)
    assert titles == [f"Basin part {n} (3 figures)" for n in range(1, SECTIONS + 1)]
    assert blocks.count("```{=typst}") == SECTIONS  # the PDF prints each part open, under its title
    assert blocks.count('role="region"') == SECTIONS and 'aria-label="Claims in Basin part 1"' in blocks


def test_no_row_carries_a_placeholder_and_the_report_says_once_what_is_left(sections, package):
    claims = (package / "data" / "claims.csv").read_text(encoding="utf-8")
    assert "(to review)" in claims and "Proposed by claimpack init" in claims  # what init wrote is there
    shown = sections.by_section(collapsed=True) + sections.appendix(by="section")
    for placeholder in ("(to review)", "what is counted", "Proposed by claimpack init"):
        assert placeholder not in shown
    # while no measure is written, the table gives the paper's words around each figure
    assert "| Figure, and where it stands | In the paper |" in shown
    assert "| Roughly two\\-thirds of the wells were dry" in shown
    assert "No claim has a measure yet" in sections.measures_to_review()


def test_fractions_and_ranks_read_as_the_paper_printed_them(sections):
    appendix = sections.appendix(by="section")
    assert "**approximately two\\-thirds**" in appendix and "**13th\\-largest**" in appendix
    assert "0.6666666666666666" not in appendix and "value 0\\.6667 fraction" in appendix
    assert re.findall(r"^### (.*)$", appendix, re.M) == [f"Basin part {n}" for n in range(1, SECTIONS + 1)]


def test_the_dataset_is_cited_by_its_authors_or_says_none_is_named(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert dataset_citation(descriptor).startswith("Ana Țerna and Lucian Toșa\\. Figures of")
    descriptor["contributors"] = [{"title": "The paper's author (to fill in)", "roles": ["author"]}]
    cited = dataset_citation(descriptor)
    assert "The authors" not in cited and "to fill in" not in cited
    assert cited.endswith("No author is named yet\\: the package\\'s contributors \\(datapackage\\.json\\) "
                          "list none\\.")
    descriptor["contributors"] = [{"title": "Team", "roles": ["creator"]}, {"title": "Ana Țerna", "roles": ["author"]}]
    assert dataset_citation(descriptor).startswith("Team\\. Figures of")  # the dataset's makers, where named


def test_the_template_types_no_figure():
    """init's index.qmd, like the project's: every number comes from the package, none is typed in prose."""
    from test_report import NUMBER_WORDS, prose

    template = ROOT / "src" / "claimpack" / "assets" / "package" / "report" / "index.qmd"
    text = prose(template.read_text(encoding="utf-8"))
    assert [line for line in text.splitlines() if re.search(r"\d", line)] == []
    assert re.findall(NUMBER_WORDS, text, re.I) == []


# ---- the built report -------------------------------------------------------------------------
def visible(page: str) -> str:
    """The page's text as a reader sees it, scripts, styles and drawings left out."""
    import html

    text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


def built(package: Path, engine: str, *extra: str) -> Path:
    out = package.parent / f"site-{engine}{''.join(extra)}"
    if not (out / "index.html").is_file():
        done = run_claimpack("build", str(package), "--out", str(out), "--engine", engine, *extra, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    return out


def references(text: str) -> list[str]:
    return re.findall(r"Study Number (\d+) of Water\.” Journal", text[text.rindex("References"):])


@pytest.mark.slow
def test_the_page_and_the_pdf_list_the_works_in_the_papers_order(package):
    site = built(package, "builtin")
    page = visible((site / "index.html").read_text(encoding="utf-8"))
    assert references(page) == [str(n) for n in range(1, 13)]  # the style alone would begin with Nash, [12]
    pdf = subprocess.run(["pdftotext", "-layout", str(site / "report.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert references(" ".join(pdf.split())) == [str(n) for n in range(1, 13)]
    for text in (page, " ".join(pdf.split())):
        assert "approximately two-thirds" in text and "13th-largest" in text and "0.666666" not in text
        assert "(to review)" not in text and "The authors." not in text
        assert "Ana Țerna and Lucian Toșa. Figures of" in text
    assert "Basin part 12 (3 figures)" in pdf  # each part printed open under its title
    assert raw_markup(page) == []


@pytest.mark.slow
def test_quarto_and_the_built_in_engine_show_the_same_text(package):
    require_quarto()
    from test_quarto_and_builtin import Page, body_text

    builtin, quarto = (Page((built(package, engine) / "index.html").read_text(encoding="utf-8"))
                       for engine in ("builtin", "quarto"))
    assert body_text(builtin) == body_text(quarto)
    assert builtin.anchors == quarto.anchors and len(builtin.anchors) == 3 * SECTIONS


@pytest.mark.slow
def test_an_html_only_build_with_quarto_renders_no_pdf(package):
    require_quarto()
    site = built(package, "quarto", "--html-only")
    assert (site / "index.html").is_file() and not (site / "report.pdf").exists()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("engine", ["builtin", "quarto"])
def test_on_a_phone_every_part_opens_fits_and_passes_axe(package, engine):
    """At 390 px, with every part open: nothing wider than the screen and no word of a cell broken over two
    lines; a part opens from the keyboard, a figure's link lands on its record, and axe-core finds no
    serious or critical violation."""
    require_browser(axe=True)
    if engine == "quarto":
        require_quarto()
    from playwright.sync_api import sync_playwright
    from test_report_browser import WIDER_THAN_THE_VIEWPORT, WORDS_BROKEN_IN_CELLS

    site = built(package, engine)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        problems = []
        page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
        page.goto((site / "index.html").as_uri())
        parts = page.locator("details.cp-part")
        assert parts.count() == SECTIONS and page.locator("details.cp-part[open]").count() == 0
        parts.first.locator("summary").focus()
        page.keyboard.press("Enter")  # a part opens from the keyboard
        assert parts.first.evaluate("d => d.open")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(WIDER_THAN_THE_VIEWPORT) == [] and page.evaluate(WORDS_BROKEN_IN_CELLS) == []
        link = parts.nth(4).locator("a[href^='#claim-']").first
        target = link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == target
        assert page.locator(target).evaluate("el => { const b = el.getBoundingClientRect(); "
                                             "return b.top > -2 && b.top < innerHeight; }")
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the page's CSP stays in force
        found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                              ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")
        assert found == [] and problems == []
        browser.close()
