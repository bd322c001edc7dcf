"""PDF papers in the layouts other authors send, made here with Typst (tests/papers/pdf/*.typ) and read with
exact expectations: two columns with notes at each column's foot and a running head, a cover page then a
one-column abstract over two columns, endnotes under a Notes heading; and pdfLaTeX's own PDFs
(tests/papers/pdf/*.tex, kept with the PDF pdfLaTeX made of each: LaTeX is not installed here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAPERS = Path(__file__).resolve().parents[1] / "papers" / "pdf"


def _read(name: str, tmp_path: Path):
    from claimpack.text.reading import read

    source = PAPERS / name
    if source.suffix == ".typ":
        import typst

        typst.compile(str(source), output=str(tmp_path / "paper.pdf"))
        return read(tmp_path / "paper.pdf")
    return read(source)


def _notes(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("[^")]


def test_two_columns_with_notes_at_each_columns_foot_and_a_running_head(tmp_path):
    reading = _read("two-columns-notes.typ", tmp_path)
    text = reading.text
    assert reading.title == "Heat Pumps in Cold Towns" and reading.authors == ["Ana Ruiz", "Ben Okafor"]
    # the running head and the page numbers are gone; the headings are the paper's
    assert "Project 2" not in text and "March 2024" not in text
    assert not any(re.fullmatch(r"\d+", line) for line in text.splitlines())
    assert [line for line in text.splitlines() if line.startswith("#")] == ["# Introduction", "# Costs", "# Results"]
    # a subscript stays in its word, markers after a figure, a quote, a hyphenated word, a word, a currency
    assert "emits as much CO2 as a single passenger car did in 2019.[^1] Lorem" in text
    assert "the grid “full for a decade.”[^2] Lorem" in text
    assert "Each town ran one subprocess[^3] of its own, and 4,120 households[^4] joined." in text
    assert "The scheme cost €728[^5] per home." in text and "Emissions fell by 38%.[^6] Lorem" in text
    assert _notes(text) == ["[^1]: Agency, Heat Review (Oslo: Agency, 2019), 14.",
                            "[^2]: Council minutes, 12 May 2021.",
                            "[^3]: https://example.org/towns/process-guide",
                            "[^4]: Ibid., 22.",
                            "[^5]: Treasury, Accounts 2022, table 3.",
                            "[^6]: Agency, Heat Review, 40."]
    # the left column is read before the right one: its last words come before the Costs heading
    assert text.index("subprocess[^3]") < text.index("# Costs") < text.index("€728")


def test_a_cover_page_then_a_one_column_abstract_over_two_columns(tmp_path):
    reading = _read("cover-abstract-columns.typ", tmp_path)
    text = reading.text
    assert reading.title == "Grid Storage on Small Islands"
    assert reading.authors == ["Kenji Tanaka", "María José Ferrández", "Olu Adeyemi"]
    blocks = text.split("\n\n")
    assert blocks[:3] == ["Grid Storage on Small Islands", "Kenji Tanaka, María José Ferrández, Olu Adeyemi",
                          "Institute of Island Energy"]
    assert blocks[3].startswith("Abstract. We model storage for 740 islands that burn diesel.")
    assert blocks[3].endswith("Storage cut fuel use by 31% on the median island.")
    assert blocks[4] == "# Introduction"
    assert "Some 740 islands still run on diesel, at a cost of $0.35 per kWh." in text
    assert "We simulated 3 designs over 20 years." in text and "saved 1.2 million litres a year." in text
    assert not any(re.fullmatch(r"\d+", block) for block in blocks) and "[^" not in text


def test_endnotes_under_a_notes_heading_are_the_papers_notes(tmp_path):
    reading = _read("endnotes.typ", tmp_path)
    text = reading.text
    assert reading.title == "Tariffs That Last" and reading.authors == ["Ben Okafor"]
    assert "Operating costs fell from 14 to 9 cents per cubic metre.[^1] The regional" in text
    assert "by 2018 twelve provinces had followed it.[^2]" in text
    assert "the first 20% of connections,[^3] a share" in text
    notes = _notes(text)
    assert notes[:2] == ["[^1]: Ferro, Pipes and Politics, 88–90.",
                         "[^2]: World Bank, Rural Water Supply Review 2019, 22."]
    assert notes[2].startswith("[^3]: Ibid., 23. Lorem ipsum") and len(notes) == 3
    # the numbered References stay a bibliography, one entry a paragraph
    assert "\n\n# References\n\nFerro, Lucia. Pipes and Politics: Water in the Andes. Lima: Editorial Sur, 2017.\n\n" \
           "World Bank. Rural Water Supply Review 2019. Washington, DC: World Bank, 2019.\n\n" in text


def test_pdflatex_one_column_with_accents_drawn_apart_notes_a_running_head_and_an_exponent(tmp_path):
    reading = _read("latex-one-column.pdf", tmp_path)
    text = reading.text
    assert reading.title == "Water for Ten Towns: Rural Supply in the Andes"
    assert reading.authors == ["Ana Ruíz", "Monica Păun", "Ben Okafor"] and reading.date == "March 4, 2021"
    assert "Working Paper 7" not in text and not any(re.fullmatch(r"\d+", b) for b in text.split("\n\n"))
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# 1 Introduction", "# 2 The towns", "# 3 Costs", "# References"]
    assert "about 38% of rural schools had no tap.[^1] This paper" in text
    assert "in the characteristically underfunded highland provinces." in text  # hyphenated across lines, joined
    assert "The programme studied here spent $18.5 million between 2004 and 2016." in text
    assert "about 2.1 tonnes of CO2 a year, and the whole programme some 6.3 × 10^3 tonnes.[^3] The officials’" in text
    assert "“affordable tariff” was a figure of speech.[^4]" in text and "Cañaveral, lies at 3,400 metres" in text
    assert "\n\n# References\n\nFerro, Lucia. Pipes and Politics: Water in the Andes. Lima: Editorial Sur, 2017." \
           "\n\nWorld Bank. Rural Water Supply Review 2019. Washington, DC: World Bank, 2019.\n\n" in text
    assert _notes(text) == ["[^1]: World Bank, Rural Water Supply Review 2019 (Washington, DC: World Bank, 2019), 14.",
                            "[^2]: Ferro, Pipes and Politics, 88–90.", "[^3]: Ibid., 91.", "[^4]: Ibid.",
                            "[^5]: Ben Okafor, “Tariffs That Last,” Journal of Water Policy 12, no. 3 (2018): 205."]


def test_pdflatex_two_columns_under_a_one_column_head_with_notes_in_the_column(tmp_path):
    reading = _read("latex-two-columns.pdf", tmp_path)
    text = reading.text
    assert reading.title == "Measuring the Energy of Docker Images for ML Workloads"
    assert reading.authors == ["Ana Ţerna", "Lucian Toşa", "Monica Păun"]
    blocks = text.split("\n\n")
    assert blocks[3] == ("Abstract. Five Docker setups were measured while a ResNet-50 model classified 400 images; "
                         "the PyTorch image used 37,348 J, the least of the five, and the NVIDIA image 2.69% more.")
    assert blocks[4] == "# 1 Introduction" and blocks[5].startswith("Training deep-learning models can produce")
    assert "Docker containers[^1] package a model" in text and "from DockerHub[^2], and" in text
    assert "in an isolated subprocess[^3] and measured it with EnergiBridge[^4] on an Intel Core i5-6500" in text
    assert "with a Cliff’s delta of −0.94.[^5] The idle baseline" in text
    assert "\n\n# References\n\n[1] Emma Strubell, Ananya Ganesh, and Andrew McCallum. Energy and policy " in text
    assert "\n\n[2] Radosvet Desislavov, Fernando Martínez-Plumed, and José Hernández-Orallo. Trends in AI " \
           "inference energy consumption. Sustainable Computing, 38:100857, 2023.\n\n" in text
    assert _notes(text) == ["[^1]: http://docker.com/", "[^2]: https://hub.docker.com/",
                            "[^3]: https://docs.python.org/3/library/subprocess.html",
                            "[^4]: https://github.com/tdurieux/EnergiBridge",
                            "[^5]: Computed with the Dunn test and a Bonferroni correction over the ten pairs of "
                            "images."]


@pytest.mark.parametrize("name", ["latex-one-column.pdf", "latex-two-columns.pdf"])
def test_the_text_is_derived_again_the_same(name, tmp_path):
    """validate re-reads the PDF with the recorded tool: the same text, character for character."""
    from claimpack.text.reading import rederive

    reading = _read(name, tmp_path)
    again, derivation = rederive(PAPERS / name, reading.derivation.to_dict())
    assert again == reading.text and derivation.tool == "pypdfium2" and "PDFium" in derivation.version


def test_ieee_headings_in_capitals_at_the_bodys_size_are_headings():
    """IEEE sets "II. RELATED WORK" in small capitals and "A. Data Sources" in italics, at the body's size."""
    from claimpack.text.pdf import _blocks
    from claimpack.text.pdf_glyphs import Line, Page

    def line(text, top, italic=False, size=10.0):
        return Line(text, top, top + size, 72, 300 if len(text) > 40 else 72 + 5 * len(text), size, False,
                    italic=italic)

    lines = [line("Island Grids", 60, size=20.0), line("I. INTRODUCTION", 100),
             line("Some 740 islands run on diesel, at a cost that the", 116),
             line("operators bear alone.", 128), line("A. Data Sources", 146, italic=True),
             line("We counted 3 designs.", 162), line("A. Smith wrote it.", 176)]
    text, _ = _blocks([Page(1, 612, 792, [lines], [])])
    assert text.split("\n\n") == ["Island Grids", "# I. INTRODUCTION",
                                  "Some 740 islands run on diesel, at a cost that the operators bear alone.",
                                  "# A. Data Sources", "We counted 3 designs. A. Smith wrote it.\n"]


def _two_font_pdf(path: Path, stream: bytes, encoding: bytes = b"") -> None:
    """A one-page PDF with Helvetica as /F1 and, as /F2, a Type 3 font whose glyphs map to no character."""
    glyph = b"0 0 0 0 10 10 d1 0 0 10 10 re f"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica" + encoding + b" >>",
               b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 10 10] /FontMatrix [0.1 0 0 0.1 0 0] "
               b"/CharProcs << /g1 7 0 R >> /Encoding << /Type /Encoding /Differences [65 /g1] >> "
               b"/FirstChar 65 /LastChar 65 /Widths [6] >>",
               b"<< /Length %d >>\nstream\n" % len(glyph) + glyph + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_an_unknown_symbol_alone_is_shown_and_one_beside_a_figure_stops_the_reading(tmp_path):
    """A glyph mapped to no character between words hides no figure: it is read as □. One beside a digit may be
    a figure's part (a digit, a currency, a minus of a font without a map): the page is named and nothing read."""
    from claimpack.system.problems import ClaimpackError
    from claimpack.text.pdf import read_pdf

    paper = tmp_path / "paper.pdf"
    _two_font_pdf(paper, b"BT /F1 11 Tf 72 720 Td (In 2019 the towns ) Tj /F2 11 Tf (A) Tj /F1 11 Tf "
                         b"( spent 5 dollars on water.) Tj ET")
    assert read_pdf(paper).text == "In 2019 the towns \u25a1 spent 5 dollars on water.\n"
    _two_font_pdf(paper, b"BT /F1 11 Tf 72 720 Td (In 2019 the towns spent ) Tj /F2 11 Tf (A) Tj /F1 11 Tf "
                         b"(5 dollars on water.) Tj ET")
    with pytest.raises(ClaimpackError, match=r"page 1 of the PDF does not read as text: glyphs the PDF maps to no "
                                             r"character \('019 the towns spent \ufffd5 dollars on water.'\)"):
        read_pdf(paper)


@pytest.mark.parametrize(("text", "why"), [
    ("Inrecentyearsclimatechangehascapturedattentionworldwide, and 42 towns", "words run together"),
    ("Withincreasinginterestinsoftwaresecurity moreautomatedtoolsforvulnerabilitydetection are used", "words run"),
    ("the macro \\cleardoubleevenpageusingstyle clears to an even page, as the manual says at length here", None),
    ("FractionDenominatorDisplayStyleShiftDown is a parameter of the math font", None),
    ("INTERNATIONALBUSINESSMACHINESCORPORATION", None),
    ("the (cid:88) glyph", "glyphs the PDF maps to no character"),
    ("an ordinary sentence with 12 words and no trouble at all in it", None)])
def test_doubtful_text(text, why):
    from claimpack.text.derivation import doubtful

    found = doubtful(text)
    assert (found is None) if why is None else found.startswith(why), found


def test_a_fonts_own_superscript_characters_are_raised_digits(tmp_path):
    """A PDF that maps a note's marker to "¹" itself (Helvetica's onesuperior): a raised 1, the note's marker."""
    from claimpack.text.pdf import read_pdf

    paper = tmp_path / "paper.pdf"
    _two_font_pdf(paper, b"BT /F1 11 Tf 72 720 Td (The pilot paid 4,120 households.\271 It cost more.) Tj ET "
                         b"BT /F1 8 Tf 72 90 Td (\271Council, Report, 37.) Tj ET 72 100 m 150 100 l S",
                  encoding=b" /Encoding /WinAnsiEncoding")
    text = read_pdf(paper).text
    assert text == "The pilot paid 4,120 households.[^1] It cost more.\n\n[^1]: Council, Report, 37.\n"


def test_a_line_stretched_past_its_word_gaps_is_prose_and_a_run_of_cut_lines_a_table():
    from claimpack.text.pdf import _blocks
    from claimpack.text.pdf_glyphs import Line, Page

    def line(text, top, cuts=()):
        return Line(text, top, top + 10, 72, 400, 10.0, False, cuts=[text.index(c) - 1 for c in cuts])

    lines = [Line("Ten Towns", 30, 50, 72, 200, 20.0, True), Line("2 Results", 60, 72, 72, 140, 14.0, True),
             line("The towns spent more than they", 80),
             line("said at https://example.org/a very long address", 92, cuts=("at", "https", "very")),
             line("and the audit found 12 errors.", 104),
             line("Town Households Connected", 130, cuts=("Households", "Connected")),
             line("Cañaveral 410 395", 142, cuts=("410", "395")),
             line("Santa Rosa 2,150 1,980", 154, cuts=("2,150", "1,980"))]
    text, _ = _blocks([Page(1, 612, 792, [lines], [])])
    assert text.split("\n\n") == [
        "Ten Towns", "# 2 Results",
        "The towns spent more than they said at https://example.org/a very long address and the audit found 12 errors.",
        "| Town | Households | Connected |", "| Cañaveral | 410 | 395 |",
        "| Santa Rosa | 2,150 | 1,980 |\n"]


def test_a_note_continued_on_the_next_page_is_one_note_and_its_paragraph_goes_on():
    """The page-foot note 1 runs over to the foot of page 2, below its rule; the paragraph cut by the page break
    goes on after it; a page's small type with no number (a permission notice) is a paragraph of its own."""
    from claimpack.text.pdf import _blocks
    from claimpack.text.pdf_glyphs import Line, Page, Rule

    def body(text, top, markers=()):
        return Line(text, top, top + 10, 72, 540, 10.0, False, markers=list(markers))

    def small(text, top, lead=""):
        return Line(text, top, top + 7, 72, 400, 7.0, False, markers=[(0, lead)] if lead else [], lead=lead)

    first = [Line("Ten Towns", 40, 60, 72, 300, 20.0, True), Line("1 Costs", 80, 92, 72, 140, 14.0, True),
             body("Rural water supply in the Andes has improved, but unevenly, over the twenty years studied", 100),
             body("here, in ten towns of the highland provinces and of the coast.", 112),
             body("The programme spent $18.5 million.1 Its operators said the cost of each", 124, [(34, "1")]),
             small("1Ministry of Water, Annual Report 2016 (Lima, 2017), table 4, which gives the", 700, "1")]
    second = [body("connection fell by half between 2004 and 2016.", 60),
              small("spending by town and by year.", 700),
              small("Permission to copy is granted.", 720)]
    pages = [Page(1, 612, 792, [first], [Rule(72, 150, 695)]), Page(2, 612, 792, [second], [Rule(72, 150, 695)])]
    text, _ = _blocks(pages)
    assert text.split("\n\n") == [
        "Ten Towns", "# 1 Costs",
        "Rural water supply in the Andes has improved, but unevenly, over the twenty years studied here, in ten "
        "towns of the highland provinces and of the coast. The programme spent $18.5 million.[^1] Its operators said "
        "the cost of each connection fell by half between "
        "2004 and 2016.", "Permission to copy is granted.",
        "[^1]: Ministry of Water, Annual Report 2016 (Lima, 2017), table 4, which gives the spending by town and by "
        "year.\n"]


def test_text_set_at_an_angle_is_named_by_its_page_never_lost_silently(tmp_path):
    import typst

    from claimpack.text.reading import read

    source = tmp_path / "rotated.typ"
    source.write_text('#set page(width: 12cm, height: 16cm)\n= Results\n\nThe pump drew 42 W over 3 hours.\n\n'
                      '#place(left + horizon, dx: -1cm)[#rotate(-90deg, reflow: true)[Turned: 17 units in 2024]]\n',
                      encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "rotated.pdf"))
    reading = read(tmp_path / "rotated.pdf")
    assert "42 W" in reading.text and "17 units" not in reading.text
    assert len(reading.warnings) == 1
    assert reading.warnings[0].startswith("page 1 of the PDF has text set at an angle that is not read")
    assert "17 units in 2024" in reading.warnings[0]


@pytest.mark.parametrize(("stamp", "warned"), [
    ("arXiv:2401.01234v2  [cs.SE]  3 Jan 2024", False),  # a preprint's margin stamp: no figure of the paper
    ("arXiv:hep-th/9901001v1 [hep-th] 12 Jan 1999", False),  # the old form of its identifier
    ("arXiv:2401.01234v2 [cs.SE] 3 Jan 2024 Turned: 17 units", True),  # and a figure beside it
])
def test_arxivs_margin_stamp_is_no_reason_to_warn(tmp_path, stamp, warned):
    import typst

    from claimpack.text.reading import read

    source = tmp_path / "stamped.typ"
    source.write_text('#set page(width: 12cm, height: 16cm)\n= Results\n\nThe pump drew 42 W over 3 hours.\n\n'
                      f'#place(left + horizon, dx: -1cm)[#rotate(-90deg, reflow: true)[{stamp}]]\n',
                      encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "stamped.pdf"))
    reading = read(tmp_path / "stamped.pdf")
    assert "42 W" in reading.text
    assert bool(reading.warnings) is warned, reading.warnings
