"""Split a .qmd file into front matter, Markdown text and executable code cells, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .config import Located, check_cell_option, load_yaml
from .errors import RenderError, UnsupportedFeature

CELL_OPTIONS = {"label", "fig-cap", "fig-alt", "echo", "eval", "include", "output", "warning", "error"}

_FENCE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_EXEC_INFO = re.compile(r"^\s*\{(?P<inner>[^}]*)\}\s*$")
_LANG = re.compile(r"^[A-Za-z][\w+-]*$")


@dataclass
class TextChunk:
    """Markdown lines outside code cells; `fenced[i]` is true for lines inside a plain code block."""

    lines: list[str]
    first_line: int
    fenced: list[bool]


@dataclass
class Cell:
    """One ```{python} cell: its options, code, and where they are in the .qmd."""

    index: int
    fence_line: int
    options: dict[str, Any]
    option_lines: dict[str, int]
    code: str
    code_first_line: int

    @property
    def label(self) -> str | None:
        return self.options.get("label")


@dataclass
class Document:
    display: str
    front_matter: Located
    chunks: list[TextChunk | Cell] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        return [c for c in self.chunks if isinstance(c, Cell)]

    def find_line(self, needle: str, default: int = 1) -> int:
        """Line number of the first line containing `needle` (for errors found after parsing)."""
        for number, line in enumerate(self.source_lines, start=1):
            if needle in line:
                return number
        return default


def parse_qmd(text: str, display: str) -> Document:
    """Parse a .qmd file's text; `display` is the path used in error messages."""
    lines = text.splitlines()
    body_start = 0
    front = Located({})
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                front = load_yaml("\n".join(lines[1:end]), display, first_line=2)
                body_start = end + 1
                break
        else:
            raise RenderError(f"{display}:1", "front matter is not closed", "a closing --- line")
    doc = Document(display, front, source_lines=lines)

    text_lines: list[str] = []
    fenced: list[bool] = []
    text_start = body_start + 1
    open_fence: tuple[str, int] | None = None
    i = body_start
    while i < len(lines):
        line = lines[i]
        number = i + 1
        match = _FENCE.match(line)
        if open_fence is not None:
            text_lines.append(line)
            fenced.append(True)
            if match and match["fence"][0] == open_fence[0] and len(match["fence"]) >= open_fence[1] \
                    and not match["info"].strip():
                open_fence = None
                fenced[-1] = True
            i += 1
            continue
        if match:
            info = _EXEC_INFO.match(match["info"])
            inner = info["inner"].strip() if info else ""
            executable = bool(info) and bool(inner) and inner[0] not in ".=#"
            if executable:
                lang, _, rest = inner.partition(" ")
                if match["indent"]:
                    raise UnsupportedFeature(f"{display}:{number}", "an indented or quoted code cell",
                                             "code cells starting at the beginning of a line")
                if not _LANG.match(lang) or lang != "python":
                    raise UnsupportedFeature(f"{display}:{number}", f"code cell in language '{lang}'",
                                             "```{python} cells")
                if rest.strip():
                    raise UnsupportedFeature(f"{display}:{number}",
                                             f"cell options in the fence line ('{rest.strip()}')",
                                             "options as '#| key: value' lines at the top of the cell")
                if match["fence"][0] != "`":
                    raise UnsupportedFeature(f"{display}:{number}", "a ~~~ fenced code cell", "```{python}")
                if text_lines:
                    doc.chunks.append(TextChunk(text_lines, text_start, fenced))
                end = _find_cell_end(lines, i, len(match["fence"]), display)
                doc.chunks.append(_make_cell(lines[i + 1:end], number, len(doc.cells) + 1, display))
                i = end + 1
                text_lines, fenced, text_start = [], [], i + 1
                continue
            open_fence = (match["fence"][0], len(match["fence"]))
            text_lines.append(line)
            fenced.append(True)
            i += 1
            continue
        text_lines.append(line)
        fenced.append(False)
        i += 1
    if text_lines:
        doc.chunks.append(TextChunk(text_lines, text_start, fenced))
    return doc


def _find_cell_end(lines: list[str], start: int, fence_len: int, display: str) -> int:
    closing = re.compile(rf"^`{{{fence_len},}}\s*$")
    for j in range(start + 1, len(lines)):
        if closing.match(lines[j]):
            return j
    raise RenderError(f"{display}:{start + 1}", "code cell is not closed", "a closing ``` line")


def _make_cell(body: list[str], fence_line: int, index: int, display: str) -> Cell:
    option_source: list[str] = []
    for line in body:
        if line.startswith("#|"):
            option_source.append(line[2:].removeprefix(" "))
        else:
            break
    options: dict[str, Any] = {}
    option_lines: dict[str, int] = {}
    if option_source:
        located = load_yaml("\n".join(option_source), display, first_line=fence_line + 1)
        options = located.data
        for key in options:
            line = located.lines.get((key,), (display, fence_line + 1))[1]
            option_lines[key] = line
            where = f"{display}:{line}"
            if key not in CELL_OPTIONS:
                raise UnsupportedFeature(where, f"cell option '{key}'", "one of " + ", ".join(sorted(CELL_OPTIONS)))
            check_cell_option(where, key, options[key])
            if key in {"label", "fig-cap", "fig-alt"} and not isinstance(options[key], str):
                raise RenderError(where, f"cell option '{key}' must be text (got {options[key]!r})", "a string")
        label = options.get("label")
        if label is not None and not re.match(r"^[A-Za-z][\w:.-]*$", label):
            raise RenderError(f"{display}:{option_lines['label']}", f"cell label {label!r} is not a valid identifier",
                              "letters, digits, '-', '_', ':' or '.' starting with a letter")
    code_first_line = fence_line + 1 + len(option_source)
    code = "\n".join(body[len(option_source):])
    return Cell(index, fence_line, options, option_lines, code, code_first_line)
