"""Reading a paper into its text: a born-digital PDF (claimpack.text.pdf: footnote markers, decimals, grouped digits,
ligatures, on PDFs Typst makes) and what pandoc reads (claimpack.reading)."""

from __future__ import annotations

from pathlib import Path

import pytest


def _pdf(directory: Path, body: str) -> Path:
    import typst

    source = directory / "paper.typ"
    source.write_text(body, encoding="utf-8")
    typst.compile(str(source), output=str(directory / "paper.pdf"))
    return directory / "paper.pdf"


def _text(path: Path) -> str:
    from claimpack.text.reading import read

    return read(path).text


def test_a_marker_set_in_the_fonts_own_superscript_after_a_number_is_a_marker(tmp_path):
    """Typst sets a footnote number as a superscript glyph at the body's size: "€728." and its marker 2 are not
    the decimal 728.2."""
    text = _text(_pdf(tmp_path, "= Costs\nThe pilot paid 4,120 households.#footnote[Council, _Report_, 37.] "
                                "It cost an average of €728.#footnote[Ibid., 38.] Fares rose 2.5 per cent.\n"))
    assert "4,120 households.[^1]" in text and "€728.[^2]" in text and "2.5 per cent" in text
    assert "[^2]: Ibid., 38." in text


def test_decimals_and_section_numbers_are_never_markers(tmp_path):
    """A paper without footnotes: "2.1 Data" and a table's "2.3" keep their digits."""
    text = _text(_pdf(tmp_path, "= 2. Methods\n== 2.1 Data\nWe counted deaths.\n"
                                "#table(columns: 3, [Athens], [4,310], [2.3], [Naples], [1,711], [1.9])\n"))
    assert "[^" not in text
    assert "# 2.1 Data" in text and "2.3" in text and "1.9" in text


def test_digits_grouped_by_a_narrow_space_stay_one_number(tmp_path):
    """SI style "187 412" (a narrow no-break space) is one number; a word space between numbers is not."""
    text = _text(_pdf(tmp_path, "= Results\nAthens counted 187\u202f412 deaths in 2019 and 4\u202f310 of them "
                                "were due to heat; in 2019 412 people were treated.\n"))
    assert "187\u202f412 deaths" in text and "4\u202f310 of them" in text
    assert "in 2019 412 people" in text


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009"])
def test_pandoc_keeps_a_space_that_groups_digits(tmp_path, space):
    paper = tmp_path / "paper.md"
    paper.write_text(f"# Results\n\nAthens counted 187{space}412 deaths, at 12.4{space}per 100,000.\n",
                     encoding="utf-8")
    text = _text(paper)
    assert "187\u202f412 deaths" in text and "12.4 per 100,000" in text



def test_a_ligature_mapped_to_one_character_reads_as_its_letters():
    """A PDF that maps the fi ligature to U+FB01 (as many TeX PDFs do) still says "five" and "fifty"."""
    from claimpack.text.pdf import _blocks
    from claimpack.text.pdf_glyphs import Line, Page

    lines = [Line("O\uFB03ces", 50, 66, 72, 140, 16.0, True),
             Line("The \uFB01ve o\uFB03ces \uFB01led \uFB01fty \uFB02ights.", 80, 91, 72, 400, 11.0, False)]
    text, found = _blocks([Page(1, 595, 842, [lines], [])])
    assert found["title"] == "Offices" and "The five offices filed fifty flights." in text


def test_bold_paragraphs_are_the_headings_of_a_paper_without_any(tmp_path):
    """A paper set by hand in bold ("**1. Background**"): the first is its title, the others its headings; in a
    paper with headings, a bold paragraph stays a paragraph."""
    from claimpack.text.reading import read

    paper = tmp_path / "paper.md"
    paper.write_text("**Island Grids: A Note**\n\n*K. Tanaka*\n\n**1. Background**\n\nSome 740 islands.\n\n"
                     "**Bold, but a sentence.**\n\n**References**\n\n[1] IRENA, 2022.\n", encoding="utf-8")
    reading = read(paper)
    assert reading.title == "Island Grids: A Note"
    assert reading.text.split("\n\n")[:4] == ["Island Grids: A Note", "*K. Tanaka*", "# 1. Background",
                                              "Some 740 islands."]
    assert "\n\n**Bold, but a sentence.**\n\n# References\n\n" in reading.text
    paper.write_text("# Results\n\n**Key findings**\n\nSome 740 islands.\n", encoding="utf-8")
    assert "\n\n**Key findings**\n\n" in read(paper).text


def test_a_paragraph_after_a_list_at_a_page_break_is_a_paragraph_of_its_own(tmp_path):
    """The list ends a page with a footnote marker after its full stop; the next page goes on with a paragraph."""
    text = _text(_pdf(tmp_path, "= Trade\nRecognition came in stages:\n- Colombia, in June 1822;\n"
                                "- Brazil, on 26 May 1824.#footnote[Perkins, op. cit., 77.]\n#pagebreak()\n"
                                "British exports to Latin America rose from £2.3 million in 1814.\n"))
    assert "\n\n- Brazil, on 26 May 1824.[^1]\n\nBritish exports to Latin America rose" in text


def test_a_bold_numbered_line_is_a_heading_not_a_list_item(tmp_path):
    text = _text(_pdf(tmp_path, "= A Note\n*1. Background*\n\nSome 740 islands run on diesel.\n\n"
                                "*2. Method*\n\nWe simulated three designs.\n"))
    assert "# 1. Background\n\nSome 740 islands" in text and "# 2. Method\n\nWe simulated" in text


def test_a_marker_set_smaller_and_raised_joins_its_word(tmp_path):
    """A marker set as smaller type on a raised baseline (as LaTeX and a browser print it), after a figure and
    after a word, is the note's marker in its place; a raised number after a figure that names no note is an
    exponent."""
    text = _text(_pdf(tmp_path, "#set footnote(numbering: n => super(typographic: false, str(n)))\n"
                                "= Costs\nThe fund was worth \\$8.7 million in 1825.#footnote[Ibid., 38.] "
                                "Between the wars the debt reached 3 × 10#super(typographic: false)[9] pesos, "
                                "the website#footnote[www.example.org] says.\n"))
    assert "million in 1825.[^1] Between" in text and "3 × 10^9 pesos" in text and "the website[^2] says" in text
