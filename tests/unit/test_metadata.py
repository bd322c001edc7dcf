"""Title, each author as a person in order, and the date, from wherever a paper states them."""

from __future__ import annotations

import json
import zipfile

import pytest

from claimpack.text.metadata import day_first, header_date, iso_date, persons, split_people
from claimpack.text.reading import read


@pytest.mark.parametrize(("text", "people"), [
    ("Aron Hoogeveen, Delano Flipse, Rodin Haker", ["Aron Hoogeveen", "Delano Flipse", "Rodin Haker"]),
    ("Ada Lovelace, Charles Babbage and Mary Somerville", ["Ada Lovelace", "Charles Babbage", "Mary Somerville"]),
    ("Ada Lovelace & Charles Babbage", ["Ada Lovelace", "Charles Babbage"]),
    ("Lovelace, Ada", ["Lovelace, Ada"]),
    ("Lovelace, Ada; Babbage, Charles", ["Lovelace, Ada", "Babbage, Charles"]),
    ("Lovelace, A., Babbage, C.", ["Lovelace, A.", "Babbage, C."]),
    ("Martin Luther King, Jr.", ["Martin Luther King, Jr."]),
    ("Congressional Research Service", ["Congressional Research Service"]),
])
def test_one_string_naming_people_is_each_person(text, people):
    assert split_people(text) == people


def test_joss_style_authors_are_people_in_order_and_affiliations_are_not():
    authors = [{"name": "Adrian M. Price-Whelan", "orcid": "0000-0003-0872-7098", "affiliation": "1, 2"},
               {"given-names": "Ludwig", "dropping-particle": "van", "surname": "Beethoven", "affiliation": "3"},
               {"name": {"given": "Ada", "family": "Lovelace"}}, "Charles Babbage"]
    assert persons(authors) == ["Adrian M. Price-Whelan", "Ludwig van Beethoven", "Ada Lovelace", "Charles Babbage"]


@pytest.mark.parametrize(("printed", "iso"), [
    ("Updated September 23, 2026", "2026-09-23"), ("23 Sept. 2026", "2026-09-23"), ("27/02/2026", "2026-02-27"),
    ("02/27/2026", "2026-02-27"), ("01/03/2024", "2024"), ("2026-09-23T10:00:00Z", "2026-09-23"),
    ("March 2024", "2024-03"), ("13 August 2017", "2017-08-13"), ("2019", "2019"), ("no date", ""),
])
def test_a_date_as_printed_is_iso_as_precise_as_it_is_certain(printed, iso):
    assert iso_date(printed) == iso


def test_a_report_header_date_is_the_papers_date_and_a_sentence_with_a_date_is_not():
    assert header_date(["Federal Support for Drug Courts", "Updated September 11, 2026 (R44467) Jump to Main Text of "
                        "Report"]) == "2026-09-11"
    assert header_date(["August 15, 2025"]) == "2025-08-15"
    assert header_date(["On September 11, 2026 the court ruled that the grants stand."]) == ""


JOSS = """---
title: 'Gala: A Python package for galactic dynamics'
authors:
  - name: Adrian M. Price-Whelan
    orcid: 0000-0003-0872-7098
    affiliation: "1, 2"
  - given-names: Ludwig
    dropping-particle: van
    surname: Beethoven
    affiliation: 3
affiliations:
 - name: Lyman Spitzer, Jr. Fellow, Princeton University, USA
   index: 1
 - name: Institution Name, Country
   index: 2
date: 13 August 2017
---

# Summary

The package integrates 1,200 orbits a second.
"""


@pytest.mark.slow
def test_a_joss_paper_names_each_author_and_its_date(tmp_path):
    from claimpack.init.writer import init

    paper = tmp_path / "paper.md"
    paper.write_text(JOSS, encoding="utf-8")
    result = init(paper, tmp_path / "package")
    descriptor = json.loads((result.root / "datapackage.json").read_text(encoding="utf-8"))
    assert [c["title"] for c in descriptor["contributors"]] == ["Adrian M. Price-Whelan", "Ludwig van Beethoven"]
    own = (result.root / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()[1]
    assert own.startswith('price-whelan-2017,report,"Price-Whelan, Adrian M.; Beethoven, Ludwig van",,Gala: A Python')
    assert ",2017-08-13," in own


def test_a_word_file_without_title_lines_is_named_by_its_core_properties(tmp_path):
    import subprocess

    from claimpack.text.reading import pandoc_path

    source = tmp_path / "body.md"
    source.write_text("# Results\n\nThe grid lost 4.5% of its load.\n", encoding="utf-8")
    made = tmp_path / "made.docx"
    subprocess.run([pandoc_path(), str(source), "-o", str(made)], check=True)
    paper = tmp_path / "paper.docx"
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms='
            '"http://purl.org/dc/terms/"><dc:title>Grid losses in 2025</dc:title><dc:creator>Ada Lovelace; Charles '
            'Babbage</dc:creator><dcterms:created>2026-01-05T09:00:00Z</dcterms:created></cp:coreProperties>')
    with zipfile.ZipFile(made) as old, zipfile.ZipFile(paper, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != "docProps/core.xml":
                new.writestr(item, old.read(item))
        new.writestr("docProps/core.xml", core)
    reading = read(paper)
    assert (reading.title, reading.authors, iso_date(reading.date)) == (
        "Grid losses in 2025", ["Ada Lovelace", "Charles Babbage"], "2026-01-05")


@pytest.mark.slow
def test_an_html_report_takes_its_title_from_h1_and_its_date_from_its_header(tmp_path):
    from claimpack.init.writer import init

    paper = tmp_path / "report.html"
    paper.write_text('<div class="ReportHeader"><h1>National Alerts: A Primer</h1><div>Updated September 23, 2026 '
                     '(R48632)</div></div><h2>Summary</h2><p>In 2036 some 45% of phones will get alerts.</p>',
                     encoding="utf-8")
    result = init(paper, tmp_path / "package")
    descriptor = json.loads((result.root / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["title"] == "Figures of 'National Alerts: A Primer'"
    assert descriptor["sources"][0]["version"] == "2026"
    own = (result.root / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()[1]
    assert ",2026-09-23," in own


def test_citation_meta_tags_name_the_title_and_each_author(tmp_path):
    paper = tmp_path / "article.html"
    paper.write_text('<html><head><title>Site | Article</title><meta name="citation_title" content="Heat and health">'
                     '<meta name="citation_author" content="Lovelace, Ada"><meta name="citation_author" '
                     'content="Babbage, Charles"><meta name="citation_publication_date" content="2024/05/02">'
                     '</head><body><h1>Heat</h1><p>Deaths rose 12%.</p></body></html>', encoding="utf-8")
    reading = read(paper)
    assert (reading.title, reading.authors, iso_date(reading.date)) == (
        "Heat and health", ["Ada Lovelace", "Charles Babbage"], "2024-05-02")  # each as a byline prints it


@pytest.mark.parametrize(("text", "expected"), [
    ("We ran it in a data centre; its behaviour was stable.", True),  # British spelling: day first
    ("We ran it in a data center; its behavior was stable.", False),  # American spelling: month first
    ("The log of 13/02/2026 shows it.", True), ("The log of 02/13/2026 shows it.", False),  # one order
    ("We optimized the code.", None),  # "-ize" is Oxford spelling too: no sign
])
def test_the_order_of_day_and_month_is_the_documents_own(text, expected):
    assert day_first(text) is expected
    iso = {True: "2024-03-01", False: "2024-01-03", None: "2024"}[expected]
    assert iso_date("01/03/2024", day_first(text)) == iso


@pytest.mark.slow
def test_a_blog_post_in_british_spelling_is_dated_day_first_and_its_summary_is_its_abstract(tmp_path):
    from claimpack.init.writer import init

    paper = tmp_path / "post.md"
    paper.write_text("---\ntitle: Profiles and Power\nauthor: Ann Example, Bo Sample\ndate: 01/03/2024\n"
                     "summary: A profile with 71 extensions drew over 200% more power.\n---\n\n# Method\n\n"
                     "The server sat in a data centre and its behaviour was measured 30 times.\n", encoding="utf-8")
    result = init(paper, tmp_path / "package")
    own = (result.root / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()[1]
    assert ",2024-03-01," in own
    claims = (result.root / "data" / "claims.csv").read_text(encoding="utf-8")
    assert "A profile with 71 extensions drew over 200% more power." in claims  # the summary's figures are claims


def _pdf(first_page: list[str], info: str) -> bytes:
    """A one-page PDF printing `first_page`, its Info dictionary `info` (xref offsets counted)."""
    lines = " ".join(f"0 -20 Td ({text}) Tj" for text in first_page)
    stream = f"BT /F1 11 Tf 72 740 Td {lines} ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", info]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


@pytest.mark.parametrize(("printed", "expected"), [
    ([], "2025"),  # only the file's creation day: its year, not a day the paper never prints
    (["Delft, 3 March 2025"], "2025-03-03"),  # the first page's date wins over the file's
])
def test_a_pdfs_creation_day_is_no_date_the_paper_states(tmp_path, printed, expected):
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(_pdf(["Energy of Static Analysis", "Ann Smith", *printed, "Results",
                            "In 2024 the tools used 18.5 kWh on 3 projects."],
                           "<< /Title (Energy of Static Analysis) /CreationDate (D:20250402101500Z) >>"))
    assert iso_date(read(paper).date) == expected
