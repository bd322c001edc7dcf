"""The built-in render engine: renders a Quarto project with pandoc and Typst when `quarto` is absent.

It supports a documented subset of Quarto (see docs in `engine.py` and the README's "Rendering
without Quarto" section) and refuses everything else with `UnsupportedFeature`. Heavy libraries
(pandas, altair, vl-convert, typst, pypandoc, PyYAML) are imported only when a render runs.
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
