"""A number raised after a number is its exponent (10<sup>6</sup> is 10^6 = 1,000,000, never 106), in HTML
and in Word alike; a raised note marker stays a marker, an ordinal's letters stay its letters."""

from __future__ import annotations

import csv
import subprocess

import pytest

from claimpack.init.writer import init
from claimpack.text.reading import pandoc_path, read

HTML = ('<html><head><title>Powers</title></head><body><h1>Powers</h1><h2>Results</h2>'
        '<p>The model ran 10<sup>6</sup> steps and 2.5 × 10<sup>−3</sup> of them failed.'
        '<sup><a href="#fn1" name="ifn1">1</a></sup> It was the 21<sup>st</sup> run of 2026.</p>'
        '<div><h2>Footnotes</h2><table><tr><td><a href="#ifn1" name="fn1">1</a>.</td><td><p> Lab log, 2026.</p>'
        '</td></tr></table></div></body></html>')
# pandoc's Markdown writes a superscript ^6^; its Word writer sets it raised (w:vertAlign superscript)
MARKDOWN = ("---\ntitle: Powers\n---\n\n# Results\n\nThe model ran 10^6^ steps and 2.5 × 10^−3^ of them failed.[^1] "
            "It was the 21^st^ run of 2026.\n\n[^1]: Lab log, 2026.\n")
LINE = "The model ran 10^6 steps and 2.5 × 10^-3 of them failed.[^1] It was the 21st run of 2026."


@pytest.fixture(params=["html", "docx"])
def paper(request, tmp_path):
    if request.param == "html":
        path = tmp_path / "paper.html"
        path.write_text(HTML, encoding="utf-8")
        return path
    source = tmp_path / "paper.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    path = tmp_path / "paper.docx"
    subprocess.run([pandoc_path(), str(source), "-o", str(path)], check=True)
    return path


@pytest.mark.slow
def test_an_exponent_is_written_as_a_power_and_read_as_its_value(paper, tmp_path):
    assert LINE in read(paper).text.split("\n")
    root = init(paper, tmp_path / "package").root
    with (root / "data" / "claims.csv").open(encoding="utf-8") as handle:
        claims = {row["figure"]: row["value"] for row in csv.DictReader(handle)}
    assert claims == {"10^6": "1000000", "2.5 × 10^-3": "0.0025"}
    with (root / "data" / "footnotes.csv").open(encoding="utf-8") as handle:
        assert [row["text"] for row in csv.DictReader(handle)] == ["Lab log, 2026."]
