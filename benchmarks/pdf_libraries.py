"""Which PDF library reads a born-digital paper best: the measurement behind claimpack.text.pdf's choice.

Makes PDFs of the test papers (pandoc to Typst to PDF) and of a paper with page-foot footnotes in
two columns of text (the first package's report, if _site/report.pdf exists), then extracts the
text with each candidate library and prints, per library and PDF: the share of the source's words
and of its numbers found in the text (in order of the page), whether each character's size and
position are given (what finding footnotes and markers needs), and the time per page.

    .venv/bin/python benchmarks/pdf_libraries.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimpack.text.reading import pandoc_path  # noqa: E402

WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.U)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def pdfplumber_text(path: Path) -> tuple[str, bool, int]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        sizes = bool(pdf.pages and pdf.pages[0].chars and "size" in pdf.pages[0].chars[0])
        return "\n".join(pages), sizes, len(pages)


def pypdfium2_text(path: Path) -> tuple[str, bool, int]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    pages = []
    for page in document:
        pages.append(page.get_textpage().get_text_range())
    return "\n".join(pages), True, len(pages)  # FPDFText_GetFontSize and char boxes give size and position


def pypdf_text(path: Path) -> tuple[str, bool, int]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = [page.extract_text() or "" for page in reader.pages]
    return "\n".join(pages), False, len(pages)  # sizes only through a visitor, per text run, not per character


LIBRARIES = {"pdfplumber (MIT)": pdfplumber_text, "pypdfium2 (Apache-2.0/BSD-3)": pypdfium2_text,
             "pypdf (BSD-3)": pypdf_text}


def recall(source: str, found: str, pattern: re.Pattern) -> float:
    wanted = Counter(pattern.findall(source))
    got = Counter(pattern.findall(found))
    total = sum(wanted.values())
    return 100 * sum(min(n, got[w]) for w, n in wanted.items()) / total if total else 100.0


def make_pdfs(directory: Path) -> list[tuple[Path, str]]:
    import typst

    made = []
    papers = ROOT / "tests" / "papers"
    for source in sorted(papers / key.name.replace(".figures.csv", ".md") for key in papers.glob("*.figures.csv")):
        typ = directory / f"{source.stem}.typ"
        subprocess.run([pandoc_path(), str(source), "-s", "--citeproc", "-t", "typst", "-o", str(typ)], check=True)
        pdf = directory / f"{source.stem}.pdf"
        typst.compile(str(typ), output=str(pdf))
        plain = subprocess.run([pandoc_path(), str(source), "--citeproc", "-t", "plain", "--wrap=none"],
                               capture_output=True, text=True, check=True).stdout
        made.append((pdf, plain))
    report = ROOT / "_site" / "report.pdf"
    if report.is_file():
        made.append((report, ""))
    return made


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        pdfs = make_pdfs(Path(scratch))
        print("| library | PDF | pages | words found | numbers found | char size and position | ms per page |")
        print("|:--|:--|--:|--:|--:|:--|--:|")
        for name, extract in LIBRARIES.items():
            for pdf, plain in pdfs:
                started = time.perf_counter()
                text, sizes, pages = extract(pdf)
                elapsed = (time.perf_counter() - started) * 1000 / max(pages, 1)
                reference = plain or pdfplumber_text(pdf)[0]
                words = f"{recall(reference, text, WORD):.1f}%" if plain else "(reference)"
                numbers = f"{recall(reference, text, NUMBER):.1f}%" if plain else "-"
                print(f"| {name} | {pdf.name} | {pages} | {words} | {numbers} | {'yes' if sizes else 'no'} | "
                      f"{elapsed:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
