"""The built-in engine's kernel against nbclient and ipykernel: the time to run a report's cells.

    python benchmarks/kernels.py [--runs N] [--expressions N]

Both run, in a fresh kernel process, the same work a report asks of its kernel: one cell that
imports what the report's cells import (claimpack.report, which loads the package) and N inline
expressions (default 100, about the repository's report), each a round trip. Printed: the median
wall time of each, kernel start included. A benchmark, never a test: nothing asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # its report/ is where the cells run, as in a build
SETUP = "from claimpack.report import Figures, Sections\nF = Figures.load()\nS = Sections(F)"
EXPRESSION = 'F.fig("imet-training-funding-latam-2000-2017")'


def with_claimpack(expressions: int) -> float:
    from claimpack.render.execute import KernelClient

    started = time.perf_counter()
    with KernelClient(REPO / "report", dict(os.environ), "html") as kernel:
        reply = kernel.request({"op": "exec", "code": SETUP, "first_line": 1, "filename": "index.qmd",
                                "warning": False}, "setup")
        assert reply["error"] is None, reply
        for line in range(expressions):
            reply = kernel.request({"op": "eval", "expr": EXPRESSION, "line": line + 1, "filename": "index.qmd"},
                                   "inline")
            assert "error" not in reply, reply
    return time.perf_counter() - started


def with_nbclient(expressions: int) -> float:
    import nbformat
    from nbclient import NotebookClient

    cells = [nbformat.v4.new_code_cell(SETUP)]
    cells += [nbformat.v4.new_code_cell(f"from IPython.display import Markdown\nMarkdown({EXPRESSION})")
              for _ in range(expressions)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    started = time.perf_counter()
    NotebookClient(notebook, kernel_name="python3", resources={"metadata": {"path": str(REPO / "report")}}).execute()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--expressions", type=int, default=100)
    args = parser.parse_args(argv)
    print(f"one setup cell and {args.expressions} inline expressions; median of {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.1f})")
    for name, function in (("claimpack.render.kernel", with_claimpack), ("nbclient + ipykernel", with_nbclient)):
        times = [function(args.expressions) for _ in range(args.runs)]
        print(f"{name:24} {statistics.median(times):6.2f} s  ({min(times):.2f}-{max(times):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
