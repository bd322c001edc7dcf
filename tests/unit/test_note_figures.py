"""A figure written in a note is a figure of the paper: proposed in its note, backed by it, sourced to the
work the note cites next after it; a note that only cites (pages, dates, a register's volume and page) gives
exclusions with their reasons, never candidates; coverage counts the notes' numbers as it counts the body's.

The same paper is made in the test as Markdown, as Word (pandoc writes the footnotes) and as HTML with
its notes in a table under "Footnotes" (the Congressional Research Service's layout), and read for real.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from claimpack.init.writer import init
from claimpack.text.paper import NOTES, Paper
from claimpack.text.reading import pandoc_path
from claimpack.validation.validate import validate

BODY = ("Drug courts spread quickly.{m1} Many were reviewed.{m2} National tests were held twice.{m3} "
        "The agency was abolished in 1979.{m4} Vision models were compared.{m5}")
NOTES_TEXT = {
    1: "In 2016, there were 3,881 drug courts operating in the United States. DOJ, *Drug Courts Today*, "
       "May 2025, https://doj.example.gov/drug-courts.",
    2: "Ibid., p. 24.",
    3: "In the 2021 test, 89.3% of participants received the message. FCC, *Report on the 2021 National Test*, "
       "December 2021, p. 3, https://fcc.example.gov/test-2021.pdf. In the 2023 test, the retransmission rate was "
       "93.6%. FCC, *Report on the 2023 National Test*, June 2024, p. 4, https://fcc.example.gov/test-2023.pdf.",
    4: "E.O. 12148 of July 20, 1979, 44 *Federal Register* 43239, July 24, 1979.",
    5: "Lin, T. (2014). Microsoft COCO: Common objects in context. CoRR, abs/1405.0312. Moutik, O. (2023). "
       "Who will win the race? Sensors, 23(2), 734.",
}
HEAD = "---\ntitle: Courts and Alerts\nauthor:\n  - Ann Example\ndate: 2026-12-01\n---\n\n"


def _markdown() -> str:
    body = BODY.format(**{f"m{n}": f"[^{n}]" for n in NOTES_TEXT})
    notes = "\n\n".join(f"[^{n}]: {text}" for n, text in NOTES_TEXT.items())
    return f"{HEAD}# Findings\n\n{body}\n\n{notes}\n"


def _html() -> str:
    def italic(text: str) -> str:
        parts = text.split("*")
        return "".join(f"<em>{p}</em>" if i % 2 else p for i, p in enumerate(parts))

    body = BODY.format(**{f"m{n}": f'<sup><a href="#fn{n}" name="ifn{n}">{n}</a></sup>' for n in NOTES_TEXT})
    rows = "".join(f'<tr><td><a href="#ifn{n}" name="fn{n}">{n}</a>.</td><td><p> {italic(text)}</p></td></tr>'
                   for n, text in NOTES_TEXT.items())
    return (f"<html><head><title>Courts and Alerts</title></head><body><h1>Courts and Alerts</h1>"
            f"<h2>Findings</h2><p>{body}</p><div><h2>Footnotes</h2><table><tbody>{rows}</tbody></table></div>"
            "</body></html>")


def _paper(directory: Path, fmt: str) -> Path:
    if fmt == "html":
        path = directory / "paper.html"
        path.write_text(_html(), encoding="utf-8")
        return path
    source = directory / "paper.md"
    source.write_text(_markdown(), encoding="utf-8")
    if fmt == "md":
        return source
    made = directory / "paper.docx"
    subprocess.run([pandoc_path(), str(source), "-o", str(made)], check=True)
    return made


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module", params=["md", "docx", "html"])
def package(request, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp(f"notes-{request.param}")
    return init(_paper(directory, request.param), directory / "package").root


@pytest.mark.slow
def test_a_figure_in_a_note_is_proposed_in_its_note_with_the_work_it_cites(package):
    sources = {row["id"]: row for row in _rows(package / "data" / "sources.csv")}
    claims = {row["figure"]: row for row in _rows(package / "data" / "claims.csv") if row["section"] == NOTES}
    assert set(claims) == {"3,881", "89.3%", "93.6%"}
    assert {figure: (row["paragraph"], row["footnote"], row["period_start"]) for figure, row in claims.items()} == {
        "3,881": ("1", "1", "2016"), "89.3%": ("3", "3", "2021"), "93.6%": ("3", "3", "2023")}
    # each figure's source is the work its note cites next after it, with that citation's page
    assert sources[claims["3,881"]["source_id"]]["url"] == "https://doj.example.gov/drug-courts"
    assert (sources[claims["89.3%"]["source_id"]]["url"], claims["89.3%"]["locator"]) == \
        ("https://fcc.example.gov/test-2021.pdf", "3")
    assert (sources[claims["93.6%"]["source_id"]]["url"], claims["93.6%"]["locator"]) == \
        ("https://fcc.example.gov/test-2023.pdf", "4")
    assert all(row["kind"] == "reported" and row["status"] == "candidate" for row in claims.values())


def test_a_note_that_only_cites_gives_exclusions_with_reasons_never_candidates(package):
    events = _rows(package / "data" / "events.csv")
    assert [row["quote"] for row in events if row["section"] == NOTES] == []
    reasons = {(row["number"], row["context"].split()[0]): row["reason"]
               for row in _rows(package / "validation" / "coverage-exclusions.csv")}
    by_number: dict[str, list[str]] = {}
    for (number, _), reason in reasons.items():
        by_number.setdefault(number, []).append(reason)
    assert any("page" in reason for reason in by_number["24"])  # Ibid., p. 24.
    assert any("legal" in reason for reason in by_number["43239"])  # 44 Federal Register 43239
    assert any("legal" in reason for reason in by_number["44"])
    assert any("legal" in reason for reason in by_number["12148"])  # E.O. 12148
    assert any("note" in reason for reason in by_number["1979"])  # a date in a note
    assert any("address" in reason for reason in by_number["1405.0312"])  # an arXiv identifier
    assert all(any("volume" in reason for reason in by_number[n]) for n in ("23", "2", "734"))  # 23(2), 734


@pytest.mark.slow
def test_coverage_counts_the_notes_and_the_package_validates(package):
    assert [p.line() for p in validate(package).errors] == []
    exclusions = package / "validation" / "coverage-exclusions.csv"
    kept = exclusions.read_text(encoding="utf-8").splitlines()
    exclusions.write_text("\n".join(line for line in kept if not line.startswith("43239,")) + "\n",
                          encoding="utf-8")
    found = [p for p in validate(package).errors if p.code == "number-unrecorded"]
    assert len(found) == 1 and "'43239' in section 'notes', paragraph 4" in found[0].message


def test_a_package_made_before_keeps_its_notes_apart():
    text = "# A\n\nFigures grew.[^1]\n\n[^1]: There were 3,881 courts.\n"
    assert [b.kind for b in Paper.parse_blocks(text).text_blocks()] == ["heading", "paragraph"]
    counted = Paper.parse_blocks(text, note_blocks=True)
    note = counted.text_blocks()[-1]
    assert (note.kind, note.section, note.paragraph, note.note, note.text) == \
        ("note", NOTES, 1, 1, "There were 3,881 courts.")
    assert counted.block_at(NOTES, 1) is note


TYPST = """#set page(width: 16cm, height: 22cm, margin: 2cm)
#set document(title: "Courts and Alerts", author: "Ann Example")
#align(center, text(size: 18pt)[Courts and Alerts])
#align(center)[Ann Example]
= Findings
#lorem(80) Drug courts spread quickly across the country in the decade.#footnote[In 2016, there were 3,881 \
drug courts. Agency, Courts, p. 14, https://agency.example.gov/courts.] #lorem(60) Many of them were reviewed later by \
the agency.#footnote[Ibid., 24.] Spending on them rose by 12% in 2025. #lorem(40)
"""


@pytest.mark.slow
def test_a_figure_in_a_pdf_page_foot_note_is_the_papers(tmp_path):
    import typst

    paper = tmp_path / "paper.pdf"
    typst.compile(TYPST.encode("utf-8"), output=str(paper))
    root = init(paper, tmp_path / "package").root
    rows = _rows(root / "data" / "claims.csv")
    assert {(row["figure"], row["section"] == NOTES, row["footnote"], row["period_start"]) for row in rows} == {
        ("3,881", True, "1", "2016"), ("12%", False, "", "2025")}
    sources = {row["id"]: row for row in _rows(root / "data" / "sources.csv")}
    noted = next(row for row in rows if row["section"] == NOTES)
    assert sources[noted["source_id"]]["url"] == "https://agency.example.gov/courts"
    reasons = {row["number"]: row["reason"] for row in _rows(root / "validation" / "coverage-exclusions.csv")}
    assert "page" in reasons["24"] and "page" in reasons["14"]  # the pages the notes cite
    assert [p.line() for p in validate(root).errors] == []
