"""`claimpack init` on hostile papers and targets: a paper is input claimpack did not write.

A LaTeX paper that \\input's another file, metadata that names a bibliography elsewhere, a paper
of gigabytes, a DOCX zip bomb, a PDF whose stream inflates past the reader's budget, a FIFO or a
device, a target that is a link: each is one line, exit 2, nothing written and nothing read
beyond the paper. An empty target directory, the current one included, is filled in place.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from claimpack.system.bounded import Budget, run_bounded
from claimpack.system.problems import ClaimpackError
from claimpack.text.reading import pandoc_path
from conftest import ROOT, run_claimpack, snapshot

WATER = ROOT / "tests" / "papers" / "water.md"
SECRET = "secret-line has 77 apples"


def refused(paper: Path, tmp_path: Path, message: str, target: str = "out") -> None:
    before = snapshot(tmp_path)
    result = run_claimpack("init", str(paper), str(tmp_path / target), timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("·")]
    assert len(lines) == 1 and lines[0].startswith("claimpack: ") and message in lines[0], lines
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before
    assert not any(".claimpack-init-" in p.name for p in tmp_path.rglob("*"))


@pytest.mark.slow
def test_latex_input_and_include_read_no_other_file(tmp_path):
    (tmp_path / "private").mkdir()
    secret = tmp_path / "private" / "secret.tex"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    paper = tmp_path / "paper.tex"
    paper.write_text("\\documentclass{article}\n\\begin{document}\n\\section{Water}\n"
                     "In 2019 the town spent \\$18.5 million on 3 bridges.\n"
                     f"\\input{{{secret}}}\n\\include{{{secret.with_suffix('')}}}\n"
                     "\\immediate\\write18{touch pwned}\n\\end{document}\n", encoding="utf-8")
    result = run_claimpack("init", str(paper), str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert b"18.5 million" in written and b"secret-line" not in written and b"77 apples" not in written
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("name", ["/etc/hostname.bib", "../elsewhere.bib", "link/refs.bib"])
def test_a_bibliography_outside_the_papers_folder_is_refused(tmp_path, name):
    (tmp_path / "elsewhere.bib").write_text("@book{k, title={Not the paper's}, year={2001}}\n", encoding="utf-8")
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)
    paper = folder / "paper.md"
    paper.write_text(f"---\ntitle: Water\nbibliography: {name}\n---\n\nIn 2019 the town spent $18.5 million.\n",
                     encoding="utf-8")
    expected = "is reached through a symbolic link" if name.startswith("link/") else "outside the paper's folder"
    refused(paper, tmp_path, expected)


@pytest.mark.slow
def test_a_bibliography_beside_the_paper_is_read(tmp_path):
    (tmp_path / "refs.bib").write_text("@book{weeks2008, author={Weeks, Gregory}, title={Relations}, "
                                       "year={2008}}\n", encoding="utf-8")
    paper = tmp_path / "paper.md"
    paper.write_text("---\ntitle: Water\nbibliography: refs.bib\n---\n\nIn 2019 the town spent $18.5 million "
                     "[@weeks2008].\n", encoding="utf-8")
    result = run_claimpack("init", str(paper), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Relations" in (tmp_path / "out" / "data" / "sources.csv").read_text(encoding="utf-8")


def test_a_paper_of_gigabytes_is_refused_before_it_is_read(tmp_path):
    paper = tmp_path / "huge.md"
    with paper.open("wb") as handle:
        handle.truncate(3 << 30)  # sparse: no disk used
    refused(paper, tmp_path, "the paper is 3,221,225,472 bytes (expected a paper of at most 104,857,600 bytes)")


@pytest.mark.slow
def test_a_docx_zip_bomb_is_refused_unzipped(tmp_path):
    source = tmp_path / "s.md"
    source.write_text("In 2019 the town spent $18.5 million.\n", encoding="utf-8")
    plain = tmp_path / "s.docx"
    subprocess.run([pandoc_path(), str(source), "-o", str(plain)], check=True)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(plain) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * (300 << 20))
            out.writestr(item, data)
    source.unlink()
    plain.unlink()
    refused(bomb, tmp_path, "the docx unzips to")


def _inflating_pdf(path: Path, megabytes: int) -> None:
    """A one-page PDF whose content stream inflates to `megabytes` of white space."""
    packer = zlib.compressobj(9)
    stream = packer.compress(b"BT /F1 12 Tf 72 720 Td (In 2019 the town spent 5 dollars.) Tj ET\n")
    stream += b"".join(packer.compress(b" " * (1 << 20)) for _ in range(megabytes)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


@pytest.mark.slow
def test_a_pdf_that_inflates_past_the_budget_is_refused(tmp_path):
    """Refused in one line, and quietly: the reader's child that PDFium aborts prints no "Fatal Python error"
    and stack (faulthandler, which pytest enables, once did, into the test output)."""
    from claimpack.text.pdf import read_pdf

    paper = tmp_path / "bomb.pdf"
    _inflating_pdf(paper, 300)
    with pytest.raises(ClaimpackError, match=r"bomb\.pdf: ") as caught:
        run_bounded(read_pdf, paper, label=str(paper), what="reading the PDF",
                    budget=Budget(memory_bytes=200 << 20, cpu_seconds=60, wall_seconds=90))
    assert "MemoryError" in str(caught.value) or "200 MB of memory" in str(caught.value)
    # as a user with faulthandler on (python -X faulthandler, pytest) runs it: nothing but the refusal
    probe = ("import sys\nfrom pathlib import Path\nfrom claimpack.system.bounded import Budget, run_bounded\n"
             "from claimpack.system.problems import ClaimpackError\nfrom claimpack.text.pdf import read_pdf\n"
             "try:\n    run_bounded(read_pdf, Path(sys.argv[1]), label='bomb.pdf', what='reading the PDF', "
             "budget=Budget(memory_bytes=200 << 20, cpu_seconds=60, wall_seconds=90))\n"
             "except ClaimpackError as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-X", "faulthandler", "-c", probe, str(paper)], capture_output=True,
                            text=True, timeout=300)
    assert result.stdout.startswith("bomb.pdf: ") and result.stderr == "", result.stderr[-2000:]


@pytest.mark.slow
def test_a_reader_that_runs_too_long_is_stopped():
    import time

    with pytest.raises(ClaimpackError, match="took longer than 1 s"):
        run_bounded(time.sleep, 30, label="paper.pdf", what="reading the PDF",
                    budget=Budget(wall_seconds=1))


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_a_paper_that_is_not_a_regular_file_is_refused_unread(tmp_path, kind):
    paper = tmp_path / "paper.md"
    if kind == "fifo":
        os.mkfifo(paper)
    elif kind == "device":
        paper.symlink_to("/dev/zero")
    else:
        paper.mkdir()
    result = run_claimpack("init", str(paper), str(tmp_path / "out"), timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


# ---- targets --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_current_empty_directory_is_filled_in_place(tmp_path):
    here = tmp_path / "mine"
    here.mkdir()
    result = run_claimpack("init", str(WATER), ".", cwd=here)
    assert result.returncode == 0, result.stderr
    assert (here / "datapackage.json").is_file() and not list(here.glob(".claimpack-init-*"))
    assert run_claimpack("validate", "--skip", "expectations", cwd=here).returncode == 0


@pytest.mark.parametrize("link", ["to-empty", "dangling"])
def test_a_target_that_is_a_link_is_refused(tmp_path, link):
    (tmp_path / "empty").mkdir()
    (tmp_path / "to-empty").symlink_to(tmp_path / "empty")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    refused(WATER, tmp_path, "the target is a symbolic link", target=link)
    assert list((tmp_path / "empty").iterdir()) == []


@pytest.mark.parametrize("character", ["\u202e", "\x1b[2J", "\x07"])
def test_a_paper_whose_text_hides_a_control_character_is_refused(tmp_path, character):
    """Its quotes would carry the character: the package could not validate as written."""
    paper = tmp_path / "paper.md"
    paper.write_text(f"# Water\n\nIn 2019 the town spent $18.5 million on 3 bridges {character} and more.\n",
                     encoding="utf-8")
    refused(paper, tmp_path, "the paper's text holds U+")


@pytest.mark.slow
def test_a_paper_nested_thousands_deep_is_refused(tmp_path):
    paper = tmp_path / "paper.md"
    paper.write_text("# Water\n\nIn 2019 the town spent $18.5 million.\n\n" + "> " * 3000 + "deep 5 things\n",
                     encoding="utf-8")
    refused(paper, tmp_path, "the paper nests its blocks too deeply to read")


@pytest.mark.slow
def test_a_title_with_markup_reaches_the_report_as_text(tmp_path):
    """The paper's metadata is untrusted: Quarto and pandoc read _quarto.yml's title as Markdown, so
    init writes it escaped, and the report's title shows the markup as the text it is."""
    import pypandoc
    import yaml

    title = "Water <img src=x onerror=alert(document.domain)> [a](javascript:alert(1)) {{< pagebreak >}}"
    paper = tmp_path / "paper.html"
    escaped = title.replace("<", "&lt;").replace(">", "&gt;")
    paper.write_text(f"<html><head><title>{escaped}</title></head><body><h1>{escaped}</h1>"
                     "<p>In 2019 the town spent $18.5 million on bridges.</p></body></html>", encoding="utf-8")
    result = run_claimpack("init", str(paper), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((tmp_path / "out" / "report" / "_quarto.yml").read_text(encoding="utf-8"))
    html = pypandoc.convert_text(config["title"], "html", format="markdown", extra_args=["--wrap=none"])
    assert "<img" not in html and "href=" not in html
    assert f"What the figures say: {title}" in html.replace("&lt;", "<").replace("&gt;", ">")
