"""How long `claimpack init` and then `claimpack build` take on a new ten-page paper.

The paper is made here: the sections of the tests' own papers, renamed and renumbered, until
the text fills about ten pages (5,000 words), written as DOCX and as PDF (pandoc, Typst). Each
run times `claimpack init PAPER DIR` and `claimpack build DIR` (built-in engine, HTML and PDF)
as separate processes, as a user runs them. The target: init plus build under a minute.

    .venv/bin/python benchmarks/init_speed.py [--runs 3] [--html-only]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimpack.text.reading import pandoc_path  # noqa: E402

WORDS = 4000  # about ten pages of prose, with its tables and notes


def ten_page_paper() -> str:
    """A Markdown paper of about ten pages: the test papers' sections, each made new by its number."""
    sources = [(ROOT / "tests" / "papers" / name).read_text(encoding="utf-8") for name in ("water.md", "rail.md")]
    front = sources[1].split("---", 2)[1]  # the second paper's: it holds the references both cite
    bodies = []
    for source in sources:
        body = source.split("---", 2)[2]
        body = re.split(r"\n\[\^1\]:", body)[0]  # the text without its footnotes
        body = re.sub(r"\n#+ (References|Bibliography)\n.*", "\n", body, flags=re.S)
        bodies.append(body)
    parts, notes, words, copy = [], [], 0, 0
    while words < WORDS:
        copy += 1
        for index, body in enumerate(bodies):
            label = f"c{copy}p{index}n"
            text = re.sub(r"\[\^(\d+)\]", lambda m, label=label: f"[^{label}{m.group(1)}]", body)
            text = re.sub(r"^(#+|=+)\s*(.+)$", lambda m, c=copy: f"{m.group(1)} {m.group(2)} ({c})"
                          if m.group(1).startswith("#") else m.group(0), text, flags=re.M)
            parts.append(text)
            notes += [f"[^{label}{n}]: Okonjo, *Sleeper Services in Europe* (2021), {10 * copy + n}."
                      for n in range(1, 7)]
            words += len(text.split())
    return f"---{front}---\n\n" + "\n".join(parts) + "\n\n" + "\n".join(notes) + "\n"


def run(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "claimpack", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"claimpack {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--html-only", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        markdown = scratch / "paper.md"
        markdown.write_text(ten_page_paper(), encoding="utf-8")
        docx = scratch / "paper.docx"
        subprocess.run([pandoc_path(), str(markdown), "-s", "--citeproc", "-o", str(docx)], check=True)
        typ = scratch / "paper.typ"
        subprocess.run([pandoc_path(), str(markdown), "-s", "--citeproc", "-t", "typst", "-o", str(typ)], check=True)
        import typst

        pdf = scratch / "paper.pdf"
        typst.compile(str(typ), output=str(pdf))
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
        words = len(markdown.read_text(encoding="utf-8").split())
        print(f"paper: {words:,} words, {pages} pages as PDF; build: built-in engine, "
              f"{'HTML' if args.html_only else 'HTML and PDF'}; {args.runs} run(s), median (min-max)")
        print("| paper | init | build | init + build | under a minute |")
        print("|:--|--:|--:|--:|:--|")
        for paper in (docx, pdf):
            inits, builds = [], []
            for number in range(args.runs):
                target = scratch / f"{paper.suffix[1:]}-{number}"
                inits.append(run(["init", str(paper), str(target)], scratch))
                build = ["build", str(target), "--engine", "builtin"] + (["--html-only"] if args.html_only else [])
                builds.append(run(build, scratch))
            totals = [a + b for a, b in zip(inits, builds)]

            def show(values: list[float]) -> str:
                return f"{statistics.median(values):.1f} s ({min(values):.1f}-{max(values):.1f})"

            print(f"| {paper.suffix[1:].upper()} | {show(inits)} | {show(builds)} | {show(totals)} | "
                  f"{'yes' if statistics.median(totals) < 60 else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
