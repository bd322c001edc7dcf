"""Charts as real Quarto shows them: one Markdown output per chart, with a raw HTML and a raw Typst block.

Quarto treats a `text/html` output as a Jupyter widget and loads require.js and jQuery from a CDN
for it, so the page no longer works offline. A `text/markdown` output is plain Markdown to
Quarto: its ```{=html} block reaches the HTML page as it is and its ```{=typst} block the PDF,
each format keeping its own. The HTML block is the same markup the built-in engine writes (the
static SVG named by the cell's `fig-alt`, the spec for vega-embed) and the first chart of a page
carries the Vega bundle and the drawing script, marked so that Quarto does not try to read the
`<table>` inside the bundle as a table.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from . import html_writer, typst_writer

# Quarto's documented marker for raw HTML that holds no table for it to parse
NO_TABLE_PROCESSING = "<!--| quarto-html-table-processing: none -->"
_PYTHON_CELL = re.compile(r"^(?P<fence>`{3,})\{python[^}]*\}[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


def split_options(cell: str) -> tuple[dict[str, Any], str]:
    """A cell's `#|` options, read as Quarto reads them (YAML), and the code after them."""
    import yaml

    lines = cell.splitlines()
    count = next((index for index, line in enumerate(lines) if not line.startswith("#|")), len(lines))
    option_text = "\n".join(line[3:] if line.startswith("#| ") else line[2:] for line in lines[:count])
    try:
        options = yaml.safe_load(option_text) if count else {}
    except yaml.YAMLError:
        options = {}
    return options if isinstance(options, dict) else {}, "\n".join(lines[count:])


def _normalised(code: str) -> str:
    return "\n".join(line.rstrip() for line in code.strip().splitlines())


@functools.lru_cache(maxsize=4)
def document_cells(path: Path, mtime: float) -> list[tuple[dict[str, Any], str]]:
    """Every Python cell of a .qmd file: its options and its code (normalised)."""
    cells = []
    for match in _PYTHON_CELL.finditer(path.read_text(encoding="utf-8")):
        options, code = split_options(match.group("body"))
        cells.append((options, _normalised(code)))
    return cells


def running_cell_options() -> dict[str, Any]:
    """The options of the cell the kernel is running.

    Quarto sends the kernel a cell's code without its `#|` lines, so they are read from the
    document Quarto names in the kernel's environment, finding the cell by its code (which
    IPython keeps in `_ih`).
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return {}
    shell = get_ipython()
    history = shell.user_ns.get("_ih") if shell is not None else None
    folder, name = os.environ.get("QUARTO_DOCUMENT_PATH"), os.environ.get("QUARTO_DOCUMENT_FILE")
    if not history or not folder or not name:
        return {}
    path = Path(folder) / name
    try:
        cells = document_cells(path, path.stat().st_mtime)
    except (OSError, UnicodeDecodeError):
        return {}
    running = _normalised(history[-1])
    return next((options for options, code in cells if code == running), {})


def raw_block(fmt: str, text: str) -> str:
    """A fenced raw block whose fence no run of backticks in the text can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{={fmt}}}\n{text}\n{fence}\n"


class QuartoCharts:
    """Turns the charts a document displays into Markdown outputs, numbering them in order."""

    def __init__(self) -> None:
        self.shown = 0

    def markdown(self, spec: dict[str, Any], alt: str | None = None) -> str:
        """One chart as Markdown: raw HTML (interactive, offline) and raw Typst (the static SVG)."""
        from .converter import svg as vegalite_to_svg

        self.shown += 1
        alt = alt or str(spec.get("description") or "Chart")
        markup = html_writer.chart_markup(self.shown, spec, alt)
        if self.shown == 1:
            markup = f"{NO_TABLE_PROCESSING}\n{html_writer.chart_scripts()}\n{markup}"
        svg = vegalite_to_svg(spec)
        return raw_block("html", markup) + "\n" + raw_block("typst", typst_writer.chart_image(svg, alt))

    def bundle(self, spec: dict[str, Any]) -> dict[str, str]:
        """A display bundle for Altair's renderer API, the alt text taken from the cell's `fig-alt`."""
        alt = running_cell_options().get("fig-alt")
        return {"text/markdown": self.markdown(spec, str(alt) if alt else None)}
