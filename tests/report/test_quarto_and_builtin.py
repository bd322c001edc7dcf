"""Real Quarto and the built-in engine render the same report: text, figures, notes, references,
anchors and charts alike, each page whole offline, each PDF without overprinted words.

The sites are built once per run (conftest.built_site) and shared with the browser tests.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, built_site, raw_markup, require_quarto

pytestmark = pytest.mark.slow

ENGINES = ("builtin", "quarto")
HIDDEN_CLASSES = {"screen-reader-only", "visually-hidden", "sr-only", "skip-link"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "div", "blockquote", "dt", "dd",
          "section", "figure", "tr"}


@pytest.fixture(scope="module")
def sites(sites_base) -> dict[str, Path]:
    require_quarto()
    return {engine: built_site(engine, sites_base) for engine in ENGINES}


class Page(HTMLParser):
    """What a reader of the page sees, and what the page would load."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the reader's view)
        self.lines: list[str] = [""]
        self.main = False
        self.loads: list[str] = []
        self.charts: list[str] = []
        self.specs: dict[str, str] = {}
        self.anchors: set[str] = set()
        self._spec: str | None = None
        self.feed(text)
        self.text = [re.sub(r"\s+", " ", line).strip() for line in self.lines]
        self.text = [line for line in self.text if line]

    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        for name in ("src", "href", "data", "poster"):
            url = attrs.get(name)
            if url and tag not in ("a",) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.loads.append(url)
        if attrs.get("id", "").startswith("claim-"):
            self.anchors.add(attrs["id"][len("claim-"):])
        if "cp-vega" in classes:
            self.charts.append(attrs.get("aria-label") or "")
        if tag == "script" and (attrs.get("id") or "").startswith("cp-spec-"):
            self._spec = attrs["id"]
        if tag in VOID:
            return
        hidden = (self.hidden() or tag in ("script", "style", "svg", "nav", "head", "button", "template")
                  or bool(classes & HIDDEN_CLASSES) or attrs.get("id") == "title-block-header"
                  or attrs.get("aria-hidden") == "true")
        self.stack.append((tag, hidden))
        if tag in BLOCKS:
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if tag in BLOCKS:
            self.lines.append("")
        self._spec = None

    def handle_data(self, data):
        if self._spec:
            self.specs[self._spec] = self.specs.get(self._spec, "") + data
        if not self.hidden():
            self.lines[-1] += data


def page(site: Path) -> Page:
    return Page((site / "index.html").read_text(encoding="utf-8"))


def body_text(parsed: Page) -> list[str]:
    """The report's text from its first section on: the title block is each engine's own."""
    start = next(i for i, line in enumerate(parsed.text) if line == "Summary")
    return parsed.text[start:]


def section(parsed: Page, heading: str, until: str | None = None) -> list[str]:
    text = parsed.text
    start = text.index(heading)
    end = text.index(until, start) if until else len(text)
    return text[start:end]


def test_both_engines_show_the_same_text(sites):
    builtin, quarto = page(sites["builtin"]), page(sites["quarto"])
    import difflib

    diff = [line for line in difflib.unified_diff(body_text(builtin), body_text(quarto), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == []


def test_both_engines_show_the_same_figures_notes_references_and_anchors(sites):
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as handle:
        ids = {row["id"] for row in csv.DictReader(handle)}
    builtin, quarto = page(sites["builtin"]), page(sites["quarto"])
    assert builtin.anchors == quarto.anchors == ids
    for parsed in (builtin, quarto):
        captions = [line for line in parsed.text if re.match(r"Figure\s\d+:", line)]
        assert [c.split(":")[0].replace("\u00a0", " ") for c in captions] == [f"Figure {n}" for n in range(1, 7)]
    assert section(builtin, "Footnotes") == section(quarto, "Footnotes")
    assert len([line for line in section(quarto, "Footnotes") if line]) > 70
    assert section(builtin, "References", "Footnotes") == section(quarto, "References", "Footnotes")


def test_both_engines_draw_the_same_six_charts_named_by_their_alt_text(sites):
    qmd = (ROOT / "report" / "index.qmd").read_text(encoding="utf-8")
    alts = [json.loads(alt) if alt.startswith('"') else alt for alt in re.findall(r"^#\| fig-alt: (.*)$", qmd, re.M)]
    builtin, quarto = page(sites["builtin"]), page(sites["quarto"])
    assert len(alts) == 6
    assert builtin.charts == quarto.charts == alts
    assert builtin.specs == quarto.specs and len(builtin.specs) == 6


@pytest.mark.parametrize("engine", ENGINES)
def test_the_page_loads_nothing_from_outside_and_the_vega_bundle_once(sites, engine):
    parsed = page(sites[engine])
    text = (sites[engine] / "index.html").read_text(encoding="utf-8")
    remote = [url for url in parsed.loads if re.match(r"^(https?:)?//", url)]
    assert remote == []
    from claimpack.render.html_writer import vega_bundle

    assert text.count(vega_bundle()[-2000:]) == 1
    assert text.count('class="cp-vega"') == 6


def test_the_build_says_why_it_chose_its_engine(sites, sites_base):
    for engine in ENGINES:
        log = (sites_base / f"site-{engine}.log").read_text(encoding="utf-8")
        assert f"(--engine {engine} was asked for)" in log


def test_quarto_renders_without_table_or_resource_warnings(sites):
    """The Vega bundle's <table> stays out of Quarto's table parser, and nothing is fetched."""
    log = (sites["quarto"].parent / "site-quarto.log").read_text(encoding="utf-8")
    assert "Unable to parse table" not in log and "Could not fetch resource" not in log


# ---- the PDF -----------------------------------------------------------------------------------
def overprinted_words(pdf: Path) -> list[tuple[int, str, str]]:
    """Pairs of upright words whose boxes overlap on a page: text printed over text."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as document:
        for number, sheet in enumerate(document.pages, start=1):
            words = [w for w in sheet.extract_words() if w.get("upright", True)]
            for a, b in itertools.combinations(words, 2):
                width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if width > 1 and height > 1:
                    found.append((number, a["text"], b["text"]))
    return found


@pytest.mark.parametrize("engine", ENGINES)
def test_no_word_of_the_pdf_prints_over_another(sites, engine):
    assert overprinted_words(sites[engine] / "report.pdf") == []


def test_the_overprint_check_catches_overprinted_words(tmp_path):
    import typst

    source = tmp_path / "overprint.typ"
    source.write_text('#set page(width: 10cm, height: 5cm)\nFirst words here\n#place(top + left, dy: 0pt)[Second '
                      "words here]\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "overprint.pdf"))
    assert overprinted_words(tmp_path / "overprint.pdf")


@pytest.mark.parametrize("engine", ENGINES)
def test_the_pdf_table_breaks_across_pages_and_ids_are_not_hyphenated(sites, engine):
    from pypdf import PdfReader

    pages = [sheet.extract_text() or "" for sheet in PdfReader(sites[engine] / "report.pdf").pages]
    holding = [i for i, text in enumerate(pages) if "What it proves" in text]
    assert len(holding) >= 2 and holding == list(range(holding[0], holding[-1] + 1))  # its header on every page
    table = " ".join(pages[i] for i in holding)
    with (ROOT / "data" / "checks.csv").open(encoding="utf-8") as handle:
        words = {word for row in csv.DictReader(handle) for word in row["id"].split("-") if len(word) > 3}
    # a hyphen the typesetter added inside a word of an id ("pro-grams"); its own hyphens may end a line
    added = [f"{word[:k]}-{word[k:]}" for word in sorted(words) for k in range(2, len(word) - 1)
             if re.search(rf"\b{word[:k]}[-\u00ad]\s+{word[k:]}\b", table)]
    assert added == []
    assert all(re.search(r"\s*".join(map(re.escape, word)), table) for word in words)


# ---- the bibliography --------------------------------------------------------------------------
def reference_titles(html_text: str) -> dict[str, list[str]]:
    """Each bibliography entry's titles: what it prints in italics or in quotation marks."""
    import html as html_lib

    entries = {}
    for match in re.finditer(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>', html_text, re.S):
        body = match.group(2)
        italic = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<em>(.*?)</em>", body, re.S)]
        plain = html_lib.unescape(re.sub(r"<[^>]+>", "", body))
        quoted = re.findall(r"“(.*?)”", plain, re.S)
        entries[match.group(1)] = [re.sub(r"\s+", " ", html_lib.unescape(t)).strip().rstrip(".,") for t in
                                   italic + quoted]
    return entries


@pytest.mark.parametrize("engine", ENGINES)
def test_every_reference_prints_its_own_title(sites, engine):
    titles = reference_titles((sites[engine] / "index.html").read_text(encoding="utf-8"))
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8") as handle:
        sources = list(csv.DictReader(handle))
    assert set(titles) == {row["id"] for row in sources}
    # Chicago capitalises titles headline-style, so the words compare without their case
    wrong = [(row["id"], row["title"], titles[row["id"]]) for row in sources
             if row["title"].rstrip(".,").casefold() not in [t.casefold() for t in titles[row["id"]]]]
    assert wrong == []


# ---- the PDF as a reader sees it ----------------------------------------------------------------
SCREEN_WORDS = re.compile(r"\b(hover|tooltip|point at a mark|click)\b", re.I)


def pdf_pages(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [sheet.extract_text() or "" for sheet in document.pages]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_pdf_shows_no_raw_markup_and_no_words_meant_for_a_screen(sites, engine):
    text = "\n".join(pdf_pages(sites[engine] / "report.pdf"))
    assert raw_markup(text) == []
    assert SCREEN_WORDS.findall(text) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_the_pdf_title_is_set_whole(sites, engine):
    """No word of the title is hyphenated at a line's end ('pro- grams')."""
    title = re.search(r'^title: "(.*)"$', (ROOT / "report" / "_quarto.yml").read_text(encoding="utf-8"), re.M)
    first = " ".join(pdf_pages(sites[engine] / "report.pdf")[0].split())
    assert title and title.group(1) in first


def rows_split_across_pages(pdf: Path) -> list[int]:
    """Pages where the checks table goes on with a row begun on the page before: the first line
    under its header leaves the first column ('Check') empty."""
    import pdfplumber

    split = []
    with pdfplumber.open(pdf) as document:
        for number, sheet in enumerate(document.pages, start=1):
            words = sheet.extract_words()
            head = next((w for w in words if w["text"] == "Check" and any(
                other["text"] == "What" and abs(other["top"] - w["top"]) < 2 for other in words)), None)
            below = [w for w in words if head and w["top"] > head["bottom"] + 1]
            if not below:
                continue
            first_line = [w for w in below if w["top"] - min(b["top"] for b in below) < 2]
            if min(w["x0"] for w in first_line) > head["x0"] + 2:
                split.append(number)
    return split


@pytest.mark.parametrize("engine", ENGINES)
def test_no_table_row_is_split_across_pages(sites, engine):
    assert rows_split_across_pages(sites[engine] / "report.pdf") == []


def test_the_split_row_check_catches_a_split_row(tmp_path):
    import typst

    source = tmp_path / "split.typ"
    rows = ", ".join(f'[id-{n}], [{" ".join(["words"] * 40)}]' for n in range(4))
    source.write_text(f"#set page(width: 12cm, height: 9cm)\n#table(columns: (3cm, 1fr), table.header([Check], "
                      f"[What it proves]), {rows})\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "split.pdf"))
    assert rows_split_across_pages(tmp_path / "split.pdf")
