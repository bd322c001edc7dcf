"""Write the PDF output: pandoc's Typst writer, then the Typst compiler with its bundled fonts."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..system.escape import typst_string
from .config import FormatOptions
from .errors import RenderError
from .execute import Chart
from .transform import Element

ASSETS = Path(__file__).resolve().parent.parent / "assets"
_LENGTH = re.compile(r"^\d+(\.\d+)?(pt|mm|cm|in|em|%)$")
_PAPER = re.compile(r"^[a-z0-9-]+$")
_NUMBERING = re.compile(r"^[-1aAiI.)(\s:]+$")
MARGIN_ORDER = ("x", "y", "top", "bottom", "left", "right")


def chart_image(svg: str | None, alt: str, file: str | None = None) -> str:
    """The Typst call that places a chart: from a file beside the source, or from the SVG text itself."""
    source = typst_string(file) if file else f"bytes({typst_string(svg or '')})"
    return f"#image({source}, format: \"svg\", alt: {typst_string(alt)})"


def chart_body(chart: Chart, alt: str, workdir: Path) -> list[Element]:
    from .converter import svg

    name = f"chart-{chart.number}.svg"
    (workdir / name).write_text(svg(chart.spec), encoding="utf-8")
    return [{"t": "RawBlock", "c": ["typst", chart_image(None, alt, file=name)]}]


def _length(options: FormatOptions, key: str, value: object) -> str:
    text = str(value).strip()
    if not _LENGTH.match(text):
        raise RenderError(options.where.get(key, ""), f"'{text}' is not a Typst length",
                          "a length such as 2cm, 1in or 11pt")
    return text


def pandoc_args(options: FormatOptions) -> list[str]:
    # every value joined to its option (--option=value): no value can be read as another option
    args = ["--to=typst", "--standalone", f"--template={ASSETS / 'report-template.typ'}", "--wrap=none"]
    papersize = str(options.get("papersize", "us-letter"))
    if not _PAPER.match(papersize):
        raise RenderError(options.where.get("papersize", ""), f"'{papersize}' is not a Typst paper size",
                          "a paper name such as a4 or us-letter")
    args.append(f"--variable=papersize={papersize}")
    margin = options.get("margin") or {}
    sides = {side: _length(options, "margin", margin[side]) for side in MARGIN_ORDER if side in margin}
    if sides:
        defaults = {"x": "1.25in", "y": "1.25in"}
        if not ({"left", "right"} <= sides.keys() or "x" in sides):
            sides = {"x": defaults["x"], **sides}
        if not ({"top", "bottom"} <= sides.keys() or "y" in sides):
            sides = {"y": defaults["y"], **sides}
        args.append("--variable=margin-spec=(" + ", ".join(f"{k}: {v}" for k, v in sides.items()) + ")")
    if "fontsize" in options.options:
        args.append(f"--variable=fontsize={_length(options, 'fontsize', options.get('fontsize'))}")
    numbering = options.get("section-numbering")
    if numbering is None and options.get("number-sections"):
        numbering = "1.1.a"
    if numbering:
        if not _NUMBERING.match(numbering):
            raise RenderError(options.where.get("section-numbering", ""),
                              f"'{numbering}' is not a Typst numbering pattern", "a pattern such as 1.1.a")
        args.append(f"--variable=section-numbering={numbering}")
    if options.get("toc"):
        args += ["--variable=toc=true", f"--variable=toc-depth={options.get('toc-depth', 3)}",
                 f"--variable=toc-title={options.get('toc-title', 'Table of contents')}"]
    includes = options.get("include-in-header") or []
    for path in includes if isinstance(includes, list) else [includes]:
        args.append(f"--include-in-header={os.path.abspath(path)}")
    return args


def compile_pdf(typ: Path, pdf: Path) -> None:
    """Compile with the fonts embedded in the typst package only, so no system font is needed."""
    import typst

    try:
        typst.compile(str(typ), output=str(pdf), root=str(typ.parent), font_paths=[], ignore_system_fonts=True)
    except Exception as exc:  # typst raises its own TypstError with the diagnostics
        message = " ".join(str(exc).split())[:500]
        raise RenderError(typ.name, f"Typst could not compile the document: {message}",
                          "Typst source pandoc can produce from the document") from None
