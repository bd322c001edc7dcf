"""Which PDF library reads a born-digital paper best: the measurement behind claimpack.text.pdf's choice.

PDFs of three kinds, one- and two-column:
- made here from the test papers (tests/papers/*.md) with pandoc and Typst, and with pandoc and
  pdfLaTeX (one column, and `twocolumn`) when pdflatex is installed: their text is known (pandoc's
  plain text of the same paper);
- the real papers in ../shared/corpus (pdfTeX: acmart, two columns, Palatino A4, a cover page):
  their reference is poppler's pdftotext, when it is installed (it keeps word gaps well, and is
  GPL, so it is a yardstick here and never a dependency).

For each library and PDF it prints: the share of the reference's words and numbers found in the
text; words glued together (a token of the text that is two of the reference's words, as
"Inrecentyears" is) and words split apart (two tokens of the text that make one of the
reference's); and the time per page. "claimpack" is claimpack.text.pdf's whole reading (PDFium's
glyphs and claimpack's own gaps, columns, notes), the others each library's plain text.

    .venv/bin/python benchmarks/pdf_libraries.py            # every PDF
    .venv/bin/python benchmarks/pdf_libraries.py --corpus   # the real papers only
"""

from __future__ import annotations

import argparse
import itertools
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimpack.text.reading import pandoc_path  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
WORD = re.compile(r"[^\W\d_]+", re.U)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def pdfplumber_text(path: Path) -> tuple[str, int]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages), len(pdf.pages)


def pdfplumber_ratio_text(path: Path) -> tuple[str, int]:
    """pdfplumber with its word-gap tolerance as a share of the type size (0.15 em) instead of 3 pt."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text(x_tolerance_ratio=0.15) or "" for page in pdf.pages]
        return "\n".join(pages), len(pages)


def pypdfium2_text(path: Path) -> tuple[str, int]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    pages = [page.get_textpage().get_text_range() for page in document]
    return "\n".join(pages).replace("\ufffe", "-").replace("\x02", "-"), len(pages)


def pypdf_text(path: Path) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = [page.extract_text() or "" for page in reader.pages]
    return "\n".join(pages), len(pages)


def claimpack_text(path: Path) -> tuple[str, int]:
    import pypdfium2

    from claimpack.text.pdf import read_pdf

    pages = len(pypdfium2.PdfDocument(str(path)))
    return read_pdf(path).text, pages


LIBRARIES = {"pdfplumber 0.11 (MIT), x_tolerance 3 pt (claimpack before)": pdfplumber_text,
             "pdfplumber, x_tolerance_ratio 0.15": pdfplumber_ratio_text,
             "pypdfium2 (Apache-2.0/BSD-3), get_text_range": pypdfium2_text,
             "pypdf (BSD-3)": pypdf_text,
             "claimpack (PDFium glyphs, claimpack's gaps, columns, notes)": claimpack_text}


def recall(reference: str, found: str, pattern: re.Pattern) -> float:
    wanted = Counter(w.lower() for w in pattern.findall(reference))
    got = Counter(w.lower() for w in pattern.findall(found))
    total = sum(wanted.values())
    return 100 * sum(min(n, got[w]) for w, n in wanted.items()) / total if total else 100.0


def glued_and_split(reference: str, found: str) -> tuple[int, int]:
    """Tokens of `found` that are two words of the reference run together; pairs that are one word cut apart."""
    known = Counter(w.lower() for w in WORD.findall(reference))
    tokens = [w.lower() for w in WORD.findall(found)]
    glued = sum(1 for w in tokens if w not in known and len(w) > 3
                and any(w[:i] in known and w[i:] in known for i in range(2, len(w) - 1)))
    split = sum(1 for a, b in itertools.pairwise(tokens) if a + b in known and a not in known and b not in known)
    return glued, split


def _plain(source: Path) -> str:
    return subprocess.run([pandoc_path(), str(source), "--citeproc", "-t", "plain", "--wrap=none"],
                          capture_output=True, text=True, check=True).stdout


def made_pdfs(directory: Path) -> list[tuple[str, Path, str]]:
    """(label, PDF, its known text) for each test paper, through Typst, and through pdfLaTeX if installed."""
    import typst

    made = []
    latex = shutil.which("pdflatex")
    for source in sorted((ROOT / "tests" / "papers").glob("*.md")):
        if source.name == "README.md":
            continue
        plain = _plain(source)
        typ = directory / f"{source.stem}.typ"
        subprocess.run([pandoc_path(), str(source), "-s", "--citeproc", "-t", "typst", "-o", str(typ)], check=True)
        typst.compile(str(typ), output=str(directory / f"{source.stem}-typst.pdf"))
        made.append((f"{source.stem} (Typst)", directory / f"{source.stem}-typst.pdf", plain))
        if latex:
            for columns in ("onecolumn", "twocolumn"):
                tex = directory / f"{source.stem}-{columns}.tex"
                subprocess.run([pandoc_path(), str(source), "-s", "--citeproc", "-t", "latex", "-V",
                                f"classoption={columns}", "-o", str(tex)], check=True)
                done = subprocess.run([latex, "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=directory,
                                      capture_output=True, check=False)
                if done.returncode == 0:
                    made.append((f"{source.stem} (pdfLaTeX, {columns})", tex.with_suffix(".pdf"), plain))
    return made


def corpus_pdfs() -> list[tuple[str, Path, str]]:
    tool = shutil.which("pdftotext")
    if not tool or not CORPUS.is_dir():
        return []
    return [(f"{pdf.stem} (corpus)", pdf, subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                                          text=True, check=True).stdout)
            for pdf in sorted(CORPUS.glob("*.pdf"))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="store_true", help="the real papers only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        pdfs = ([] if args.corpus else made_pdfs(Path(scratch))) + corpus_pdfs()
        totals: dict[str, list[float]] = {}
        print("| library | PDF | words found | numbers found | glued | split | ms per page |")
        print("|:--|:--|--:|--:|--:|--:|--:|")
        for name, extract in LIBRARIES.items():
            for label, pdf, reference in pdfs:
                started = time.perf_counter()
                try:
                    text, pages = extract(pdf)
                except Exception as exc:  # a library that fails on a PDF is a result too
                    print(f"| {name} | {label} | failed: {type(exc).__name__} | | | | |")
                    continue
                elapsed = (time.perf_counter() - started) * 1000 / max(pages, 1)
                glued, split = glued_and_split(reference, text)
                words, numbers = recall(reference, text, WORD), recall(reference, text, NUMBER)
                total = totals.setdefault(name, [0, 0, 0, 0, 0, 0])
                for i, value in enumerate((words, numbers, glued, split, elapsed, 1)):
                    total[i] += value
                print(f"| {name} | {label} | {words:.1f}% | {numbers:.1f}% | {glued} | {split} | {elapsed:.0f} |")
        print("\n| library | PDFs | words found (mean) | numbers found (mean) | glued (all) | split (all) "
              "| ms per page |")
        print("|:--|--:|--:|--:|--:|--:|--:|")
        for name, (words, numbers, glued, split, elapsed, count) in totals.items():
            print(f"| {name} | {count} | {words / count:.1f}% | {numbers / count:.1f}% | {glued} | {split} | "
                  f"{elapsed / count:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
