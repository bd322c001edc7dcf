"""The built-in render engine: renders a Quarto project with pandoc and Typst when `quarto` is absent.

Supported (real Quarto syntax, same meaning):

- `_quarto.yml`: `project: type: default`, `render:` (.qmd files or globs), `pre-render:` (a command or
  a list; .py/.R/.lua scripts or a plain command, run in the project directory with
  QUARTO_PROJECT_RENDER_ALL, QUARTO_PROJECT_OUTPUT_DIR and QUARTO_PROJECT_INPUT_FILES), `output-dir`
  (ignored: the caller chooses out_dir); title, subtitle, author (names), date (literal), abstract,
  lang, bibliography, csl, `execute:` (echo, eval, warning, error, include, output), `jupyter: python3`.
  Front matter merges over `_quarto.yml` as Quarto's mergeConfigs does (lists concatenated).
- `format: html:` toc, toc-depth, toc-title, embed-resources (true), number-sections, link-citations,
  css, output-file, format-links (the other formats rendered, linked as Quarto links them);
  `format: typst:` toc, toc-depth, toc-title, output-file, papersize, margin, fontsize,
  section-numbering, number-sections, citeproc (true), link-citations, include-in-header (Typst files,
  placed after the template's own rules). The API's "pdf" is `typst`.
- ```{python} cells with `#|` options label, fig-cap, fig-alt, echo, eval, include, output
  (true/false/asis), warning, error; run in order in one kernel process per document.
  Displayed values: Altair charts (figures), pandas DataFrames (pipe tables), `_repr_markdown_`
  (raw Markdown), anything else (its repr). `display()` works as in Jupyter.
- Inline `{python} expr`: `_repr_markdown_` values raw, anything else escaped literal text.
- `fig-` figures numbered "Figure N", `@fig-x`, `[@fig-x]` and `[-@fig-x]`; citations with
  pandoc citeproc and the CSL style (note styles become footnotes); callouts note, tip, warning,
  important and caution with `title=` or a leading heading, and `collapse="true"` or `"false"` (in HTML a
  <details> disclosure, closed or open; printed open, as Quarto prints it); `{{< pagebreak >}}` and escaped
  `{{{< ... >}}}` shortcodes; images with `fig-alt`.

Refused with `UnsupportedFeature` (file:line named): other cell languages and options, other
shortcodes, other cross-reference kinds (@sec-, @tbl-, @eq-, ...), tabsets, layout and column
classes or attributes, other formats (pdf via LaTeX, docx, revealjs, ...) and options, project
types other than default, `date: today`, author fields other than name.

Heavy libraries (pandas, altair, vl-convert, typst, pypandoc, PyYAML) are imported only when a
render runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RenderError, UnsupportedFeature

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["RenderError", "UnsupportedFeature", "render_project"]


def render_project(project_dir: Path, out_dir: Path, *, formats: tuple[str, ...] | list[str] = ("html", "pdf"),
                   progress: Callable[[str], None] | None = None, run_pre_render: bool = True,
                   env: dict[str, str] | None = None, keep_intermediates: Path | None = None) -> dict[str, Path]:
    """Render a Quarto project with the built-in engine into out_dir; return {"html": path, "pdf": path}."""
    from .engine import render_project as render

    return render(project_dir, out_dir, formats=formats, progress=progress, run_pre_render=run_pre_render, env=env,
                  keep_intermediates=keep_intermediates)
