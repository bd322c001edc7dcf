"""Execute a parsed .qmd's cells and inline expressions, and write the resulting Markdown.

The Markdown keeps the author's prose as written; code cells become their echoed code and
outputs, inline expressions their (escaped) values, and charts become placeholders that the AST
pass in `transform.py` turns into figures for each output format.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..system.escape import markdown
from .errors import RenderError, UnsupportedFeature
from .qmd import Cell, Document, TextChunk

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_INLINE_EXPR = re.compile(r"^\{(?P<lang>[^}\s]+)\}\s+(?P<expr>.+)$", re.S)
_ESCAPED_SHORTCODE = re.compile(r"\{\{\{<(.*?)>\}\}\}")
_SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[^\s>]*)(?P<args>.*?)>\}\}")
PAGEBREAK = "\n```{=html}\n<div class=\"page-break\"></div>\n```\n\n```{=typst}\n#pagebreak()\n```\n"

Progress = Callable[[str], None]


@dataclass
class Chart:
    """A Vega-Lite chart displayed by a cell, waiting to become a figure."""

    number: int
    spec: dict[str, Any]
    label: str | None
    caption: str | None
    alt: str | None
    where: str


@dataclass
class Executed:
    """The executed document: Markdown for pandoc, plus the charts its placeholders point at."""

    markdown: str
    charts: dict[int, Chart] = field(default_factory=dict)
    chart_class: str = ""


class KernelClient:
    """A `claimpack.render.kernel` child process running one document's code.

    A kernel of claimpack's own (JSON lines over a pipe) rather than ipykernel driven by nbclient,
    measured by benchmarks/kernels.py on the report's setup cell and 100 inline expressions: 2.4 s
    here against 5.0 s with nbclient and ipykernel (their start and a message round trip each over
    ZeroMQ), which are also only the optional `quarto` extra: the built-in engine exists for
    machines without Quarto and its Jupyter.
    """

    def __init__(self, cwd: Path, env: dict[str, str], display: str):
        self.display = display
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
        package_root = str(Path(__file__).resolve().parents[2])
        child_env = dict(env)
        child_env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        child_env["PYTHONUNBUFFERED"] = "1"
        child_env.setdefault("MPLBACKEND", "Agg")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "claimpack.render.kernel"], cwd=cwd, env=child_env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True, encoding="utf-8")

    def request(self, payload: dict[str, Any], where: str) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        try:
            self.process.stdin.write(json.dumps(payload) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            self.process.wait()
            self.log.seek(0)
            tail = " ".join(self.log.read().strip().splitlines()[-3:])
            raise RenderError(where, f"the Python kernel exited (code {self.process.returncode}) while "
                              f"running this code{': ' + tail if tail else ''}", "code that returns normally")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin
                self.process.stdin.write(json.dumps({"op": "shutdown"}) + "\n")
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> KernelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fence(content: str, classes: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks} {{{classes}}}\n{content.rstrip(chr(10))}\n{ticks}"


def _cell_name(cell: Cell) -> str:
    return f"cell '{cell.label}'" if cell.label else f"cell {cell.index}"


def _failure(ename: str, evalue: str) -> str:
    return f"{ename}: {evalue}" if evalue else ename


def _find_data_url(spec: Any) -> str | None:
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            return data["url"]
        for value in spec.values():
            found = _find_data_url(value)
            if found:
                return found
    elif isinstance(spec, list):
        for value in spec:
            found = _find_data_url(value)
            if found:
                return found
    return None


class DocumentRunner:
    """Run one document top to bottom, producing its intermediate Markdown."""

    def __init__(self, doc: Document, path: Path, execute_defaults: dict[str, Any], env: dict[str, str],
                 progress: Progress):
        self.doc = doc
        self.path = path
        self.defaults = {"echo": True, "eval": True, "warning": True, "error": False, "include": True,
                         "output": True, **execute_defaults}
        self.env = env
        self.progress = progress
        self.filename = doc.display  # what tracebacks and warnings in the report show
        self.charts: dict[int, Chart] = {}
        self.chart_class = "cp-chart-" + secrets.token_hex(4)
        self._kernel: KernelClient | None = None

    def kernel(self) -> KernelClient:
        if self._kernel is None:
            self._kernel = KernelClient(self.path.parent, self.env, self.doc.display)
        return self._kernel

    def run(self) -> Executed:
        parts: list[str] = []
        try:
            for chunk in self.doc.chunks:
                if isinstance(chunk, TextChunk):
                    parts.append(self.render_text(chunk))
                else:
                    parts.append(self.run_cell(chunk))
        finally:
            if self._kernel is not None:
                self._kernel.close()
        return Executed("\n\n".join(p for p in parts if p) + "\n", self.charts, self.chart_class)

    # -- prose -------------------------------------------------------------------------------

    def render_text(self, chunk: TextChunk) -> str:
        out = []
        for offset, (line, fenced) in enumerate(zip(chunk.lines, chunk.fenced, strict=True)):
            out.append(line if fenced else self.render_line(line, chunk.first_line + offset))
        return "\n".join(out)

    def render_line(self, line: str, number: int) -> str:
        where = f"{self.doc.display}:{number}"
        pieces: list[str] = []
        position = 0
        for match in _CODE_SPAN.finditer(line):
            pieces.append(self.render_shortcodes(line[position:match.start()], line, where))
            position = match.end()
            inline = _INLINE_EXPR.match(match.group(2).strip())
            if not inline:
                pieces.append(match.group(0))
                continue
            lang, expr = inline["lang"], inline["expr"].strip()
            if lang != "python":
                raise UnsupportedFeature(where, f"inline expression in language '{lang}'",
                                         "`{python} expression`")
            pieces.append(self.evaluate(expr, number, where))
        pieces.append(self.render_shortcodes(line[position:], line, where))
        return "".join(pieces)

    def evaluate(self, expr: str, number: int, where: str) -> str:
        reply = self.kernel().request({"op": "eval", "expr": expr, "line": number, "filename": self.filename},
                                      where)
        if "error" in reply:
            error = reply["error"]
            raise RenderError(where, f"inline expression `{expr}` raised {_failure(error['ename'], error['evalue'])}")
        if reply["kind"] == "markdown":
            return reply["value"]
        return markdown(reply["value"])

    def render_shortcodes(self, text: str, line: str, where: str) -> str:
        escaped: list[str] = []

        def keep_escaped(match: re.Match[str]) -> str:
            escaped.append(markdown("{{<" + match.group(1) + ">}}"))
            return f"\x00{len(escaped) - 1}\x00"

        text = _ESCAPED_SHORTCODE.sub(keep_escaped, text)
        for match in _SHORTCODE.finditer(text):
            name = match["name"]
            if name == "pagebreak" and not match["args"].strip():
                if line.strip() != match.group(0).strip():
                    raise UnsupportedFeature(where, "a pagebreak shortcode inside a paragraph",
                                             "{{< pagebreak >}} alone on its line")
                continue
            raise UnsupportedFeature(where, f"shortcode '{{{{< {name} >}}}}'",
                                     "no shortcodes other than {{< pagebreak >}}")
        text = _SHORTCODE.sub(lambda m: PAGEBREAK, text)
        return re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m.group(1))], text)

    # -- cells -------------------------------------------------------------------------------

    def option(self, cell: Cell, key: str) -> Any:
        return cell.options.get(key, self.defaults[key])

    def run_cell(self, cell: Cell) -> str:
        total = len(self.doc.cells)
        self.progress(f"executing {self.doc.display} (cell {cell.index}/{total}"
                      f"{': ' + cell.label if cell.label else ''})")
        where = f"{self.doc.display}:{cell.fence_line}"
        outputs: list[dict[str, Any]] = []
        error = None
        if self.option(cell, "eval") and cell.code.strip():
            reply = self.kernel().request({
                "op": "exec", "code": cell.code, "first_line": cell.code_first_line,
                "filename": self.filename, "warning": bool(self.option(cell, "warning"))}, where)
            outputs, error = reply["outputs"], reply["error"]
            if error and not self.option(cell, "error"):
                line = error["line"] or cell.code_first_line
                raise RenderError(f"{self.doc.display}:{line}",
                                  f"{_cell_name(cell)} raised {_failure(error['ename'], error['evalue'])}")
        if not self.option(cell, "include"):
            return ""
        parts: list[str] = []
        if self.option(cell, "echo"):
            parts.append(_fence(cell.code, ".python .cell-code"))
        output_mode = self.option(cell, "output")
        if output_mode is False:
            return "\n\n".join(parts)
        if not self.option(cell, "warning"):
            outputs = [o for o in outputs if not (o["type"] == "stream" and o["name"] == "stderr")]
        charts = [o for o in outputs if o["type"] == "vegalite"]
        label = cell.label or ""
        if label.startswith("fig-") and len(charts) != 1:
            found = f"{len(charts)} charts" if charts else "no chart"
            raise (UnsupportedFeature if charts else RenderError)(
                f"{self.doc.display}:{cell.option_lines.get('label', cell.fence_line)}",
                f"{_cell_name(cell)} is a figure but displayed {found}" if not charts
                else f"a figure cell displaying {found} (subfigures)", "exactly one chart in a fig- cell")
        for output in outputs:
            parts.append(self.render_output(cell, output, output_mode == "asis"))
        if error:
            parts.append(_fence(error["text"], ".cell-output .cell-output-error"))
        return "\n\n".join(p for p in parts if p)

    def render_output(self, cell: Cell, output: dict[str, Any], asis: bool) -> str:
        kind = output["type"]
        if kind == "stream":
            if asis and output["name"] == "stdout":
                return output["text"]
            return _fence(output["text"], f".cell-output .cell-output-{output['name']}")
        if kind == "markdown":
            return output["text"]
        if kind == "table":
            return output["markdown"]
        if kind == "text":
            return output["text"] if asis else _fence(output["text"], ".cell-output .cell-output-display")
        if kind == "vegalite":
            return self.chart_placeholder(cell, output["spec"])
        raise AssertionError(kind)

    def chart_placeholder(self, cell: Cell, spec: dict[str, Any]) -> str:
        where = f"{self.doc.display}:{cell.fence_line}"
        url = _find_data_url(spec)
        if url:
            raise RenderError(where, f"the chart of {_cell_name(cell)} loads its data from a URL ({url}); "
                              "the report must work offline", "inline data, e.g. a DataFrame")
        number = len(self.charts) + 1
        label = cell.label if cell.label and cell.label.startswith("fig-") else None
        caption = cell.options.get("fig-cap")
        self.charts[number] = Chart(number, spec, label, caption, cell.options.get("fig-alt"), where)
        ident = f"#{label} " if label else ""
        return f"::: {{{ident}.{self.chart_class} chart=\"{number}\"}}\n{caption or ''}\n:::"
