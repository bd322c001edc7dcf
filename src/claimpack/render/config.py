"""Read `_quarto.yml` and document front matter, merge them as Quarto does, and check every option.

Only a documented subset of Quarto's options is honoured; any other option is refused with
`UnsupportedFeature` naming the option, the file and the line, so that a project never renders
differently under the built-in engine without saying so.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RenderError, UnsupportedFeature

KeyPath = tuple[Any, ...]

# Options read by the engine, by where they may appear. Values are checked in `check_*` below.
DOCUMENT_KEYS = {
    "title", "subtitle", "author", "date", "abstract", "lang",
    "bibliography", "csl", "nocite", "format", "execute", "jupyter", "editor",
}
PROJECT_KEYS = {"type", "render", "pre-render", "output-dir"}
EXECUTE_KEYS = {"echo", "eval", "warning", "error", "include", "output"}
HTML_KEYS = {
    "toc", "toc-depth", "toc-title", "embed-resources", "number-sections", "link-citations",
    "css", "output-file", "format-links",
}
TYPST_KEYS = {
    "toc", "toc-depth", "toc-title", "output-file", "papersize", "margin", "fontsize", "section-numbering",
    "number-sections", "citeproc", "link-citations", "include-in-header",
}
FORMAT_KEYS = {"html": HTML_KEYS, "typst": TYPST_KEYS}
DISPLAY_NAMES = {"typst": "Typst"}  # how Quarto names a format in an HTML page's other formats
# Format options may also be given at the top level, where they apply to every format.
TOP_LEVEL_FORMAT_KEYS = (HTML_KEYS | TYPST_KEYS) - {"output-file", "include-in-header"}
LENGTH = re.compile(r"^\d+(\.\d+)?(pt|mm|cm|in|em|%)$")
MARGIN_KEYS = {"x", "y", "top", "bottom", "left", "right"}
KNOWN_QUARTO_FORMATS = {
    "pdf", "docx", "odt", "epub", "revealjs", "pptx", "beamer", "gfm", "commonmark", "markdown",
    "ipynb", "latex", "context", "rtf", "dashboard", "email", "confluence-html", "docusaurus-md",
    "hugo-md", "jats", "asciidoc", "org", "rst", "man", "mediawiki", "html4", "html5",
}


@dataclass
class Located:
    """Parsed YAML plus the file and line where each key path was written."""

    data: dict
    lines: dict[KeyPath, tuple[str, int]] = field(default_factory=dict)

    def where(self, *path: Any) -> str:
        """Return `file:line` for the deepest recorded prefix of `path`."""
        for end in range(len(path), -1, -1):
            hit = self.lines.get(tuple(path[:end]))
            if hit:
                return f"{hit[0]}:{hit[1]}"
        return ""


def load_yaml(text: str, display: str, first_line: int = 1) -> Located:
    """Parse YAML text, recording the line of every key; `first_line` is the file line of line 1."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        raise RenderError(f"{display}:{line}", f"invalid YAML: {problem}", "valid YAML") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RenderError(f"{display}:{first_line}", "YAML must be a mapping of options",
                          "key: value lines")
    located = Located(data)

    def walk(n: Any, path: KeyPath) -> None:
        located.lines[path] = (display, first_line + n.start_mark.line)
        if isinstance(n, yaml.MappingNode):
            for key_node, value_node in n.value:
                key_path = (*path, key_node.value)
                walk(value_node, key_path)
                located.lines[key_path] = (display, first_line + key_node.start_mark.line)
        elif isinstance(n, yaml.SequenceNode):
            for index, item in enumerate(n.value):
                walk(item, (*path, index))

    if node is not None:
        walk(node, ())
    return located


def normalize_formats(meta: Located) -> None:
    """Turn `format: html` and `format: {html: default}` into `format: {html: {}}` in place."""
    value = meta.data.get("format")
    if value is None:
        return
    if isinstance(value, str):
        meta.data["format"] = {value: {}}
        meta.lines[("format", value)] = meta.lines.get(("format",), ("", 0))
        return
    if not isinstance(value, dict):
        raise RenderError(meta.where("format"), "format must be a format name or a mapping of formats",
                          "format: html, or format: {html: {...}, typst: {...}}")
    for name, options in list(value.items()):
        if options in (None, "default"):
            value[name] = {}
        elif not isinstance(options, dict):
            raise RenderError(meta.where("format", name), f"options of format '{name}' must be a mapping",
                              "default or key: value options")


def merge(base: Located, over: Located) -> Located:
    """Merge `over` onto `base` as Quarto's mergeConfigs does: mappings deeply, lists concatenated."""

    def merge_values(a: Any, b: Any) -> Any:
        if isinstance(a, list) or isinstance(b, list):
            if a is None:
                return copy.deepcopy(b)
            if b is None:
                return copy.deepcopy(a)
            combined = (a if isinstance(a, list) else [a]) + (b if isinstance(b, list) else [b])
            unique: list = []
            for item in combined:
                if item not in unique:
                    unique.append(copy.deepcopy(item))
            return unique
        if isinstance(a, dict) and isinstance(b, dict):
            out = {k: copy.deepcopy(v) for k, v in a.items()}
            for key, value in b.items():
                out[key] = merge_values(out.get(key), value) if key in out else copy.deepcopy(value)
            return out
        return copy.deepcopy(b) if b is not None else copy.deepcopy(a)

    data = merge_values(base.data, over.data)
    lines = dict(base.lines)
    lines.update(over.lines)
    return Located(data, lines)


def _check_bool(meta: Located, path: KeyPath, value: Any) -> None:
    if not isinstance(value, bool):
        raise RenderError(meta.where(*path), f"option '{path[-1]}' must be true or false (got {value!r})",
                          "true or false")


def _check_str(meta: Located, path: KeyPath, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise RenderError(meta.where(*path), f"option '{path[-1]}' must be a text value (got {value!r})",
                          "a non-empty string")


def _check_str_or_list(meta: Located, path: KeyPath, value: Any) -> None:
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise RenderError(meta.where(*path), f"option '{path[-1]}' must be a path or a list of paths",
                              "a file name")


def _check_length(meta: Located, path: KeyPath, value: Any) -> None:
    if not isinstance(value, str) or not LENGTH.match(value.strip()):
        raise RenderError(meta.where(*path), f"'{value}' is not a Typst length", "a length such as 2cm, 1in or 11pt")


def _check_depth(meta: Located, path: KeyPath, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 6:
        raise RenderError(meta.where(*path), f"option '{path[-1]}' must be a number from 1 to 6 "
                          f"(got {value!r})", "1 to 6")


def check_format_option(meta: Located, fmt: str, path: KeyPath, value: Any) -> None:
    """Check one format option's value (the key is already known to be supported)."""
    key = path[-1]
    if key in {"toc", "number-sections", "link-citations"}:
        _check_bool(meta, path, value)
    elif key == "toc-depth":
        _check_depth(meta, path, value)
    elif key in {"toc-title", "output-file", "papersize", "section-numbering"}:
        _check_str(meta, path, value)
    elif key == "fontsize":
        _check_length(meta, path, value)
    elif key in {"css", "include-in-header"}:
        _check_str_or_list(meta, path, value)
    elif key == "embed-resources":
        _check_bool(meta, path, value)
        if value is False:
            raise UnsupportedFeature(meta.where(*path), "embed-resources: false",
                                     "embed-resources: true; the built-in engine always writes one "
                                     "self-contained HTML file")
    elif key == "citeproc":
        _check_bool(meta, path, value)
        if value is False:
            raise UnsupportedFeature(meta.where(*path), "citeproc: false (Typst's own citation processing)",
                                     "citeproc: true; the built-in engine formats citations with pandoc "
                                     "citeproc and the CSL style")
    elif key == "format-links":
        _check_format_links(meta, path, value)
    elif key == "margin":
        if not isinstance(value, dict):
            raise RenderError(meta.where(*path), "option 'margin' must be a mapping of margins",
                              "x, y, top, bottom, left or right with a Typst length such as 2cm")
        for side, length in value.items():
            if side not in MARGIN_KEYS:
                raise UnsupportedFeature(meta.where(*path, side), f"margin option '{side}'",
                                         "x, y, top, bottom, left or right")
            _check_length(meta, (*path, side), length)


def _check_format_links(meta: Located, path: KeyPath, value: Any) -> None:
    """format-links: true, false, or a list of formats, each a name or {format, text}."""
    if isinstance(value, bool):
        return
    links = value if isinstance(value, list) else None
    for link in links or [None]:
        name = link if isinstance(link, str) else link.get("format") if isinstance(link, dict) else None
        text = link.get("text", "") if isinstance(link, dict) else ""
        if name not in FORMAT_KEYS or not isinstance(text, str) or (
                isinstance(link, dict) and not set(link) <= {"format", "text"}):
            raise UnsupportedFeature(meta.where(*path), f"format-links {link if links else value!r}",
                                     "true, false, or a list of formats: typst, or {format: typst, text: PDF}")


def format_links(options: dict[str, Any], rendered: dict[str, str]) -> list[tuple[str, str]]:
    """The other formats an HTML page links to, as (text, file), of those rendered, as Quarto does:
    every one, or none for false; a list names them, a {format, text} entry with its own text, and a
    list without any plain format name is followed by every format rendered (Quarto's rule)."""
    chosen = options.get("format-links", True)
    if chosen is False:
        return []
    if chosen is True:
        chosen = []
    if not any(isinstance(link, str) for link in chosen):
        chosen = [*chosen, *rendered]
    links = []
    for link in chosen:
        name, text = (link, None) if isinstance(link, str) else (link["format"], link.get("text"))
        if name in rendered and name != "html":
            links.append((text or DISPLAY_NAMES.get(name, name), rendered[name]))
    return links


def check_document_options(meta: Located, *, is_project: bool) -> None:
    """Refuse any option outside the supported subset, naming the file and line."""
    display = "_quarto.yml" if is_project else "front matter"
    for key, value in meta.data.items():
        path = (key,)
        if key == "project":
            if not is_project:
                raise UnsupportedFeature(meta.where(key), "option 'project' in document front matter",
                                         "project options in _quarto.yml")
            check_project_options(meta, value)
        elif key == "execute":
            if not isinstance(value, dict):
                raise RenderError(meta.where(key), "option 'execute' must be a mapping",
                                  "execute: {echo: false, ...}")
            for option, option_value in value.items():
                if option not in EXECUTE_KEYS:
                    raise UnsupportedFeature(meta.where(key, option), f"execute option '{option}'",
                                             "one of " + ", ".join(sorted(EXECUTE_KEYS)))
                check_cell_option(meta.where(key, option), option, option_value)
        elif key == "format":
            for fmt, options in value.items():
                if fmt not in FORMAT_KEYS:
                    detail = " (Quarto's pdf format needs LaTeX)" if fmt == "pdf" else ""
                    kind = "format" if fmt in KNOWN_QUARTO_FORMATS else "unknown format"
                    raise UnsupportedFeature(meta.where("format", fmt), f"{kind} '{fmt}'{detail}",
                                             "html or typst")
                for option, option_value in options.items():
                    if option not in FORMAT_KEYS[fmt]:
                        raise UnsupportedFeature(meta.where("format", fmt, option),
                                                 f"{fmt} option '{option}'",
                                                 "one of " + ", ".join(sorted(FORMAT_KEYS[fmt])))
                    check_format_option(meta, fmt, ("format", fmt, option), option_value)
        elif key in TOP_LEVEL_FORMAT_KEYS:
            fmt = "html" if key in HTML_KEYS else "typst"
            check_format_option(meta, fmt, path, value)
        elif key in DOCUMENT_KEYS:
            check_metadata_value(meta, key, value)
        else:
            raise UnsupportedFeature(meta.where(key), f"option '{key}'",
                                     f"one of the options documented for the built-in engine in {display}")


def check_project_options(meta: Located, value: Any) -> None:
    if not isinstance(value, dict):
        raise RenderError(meta.where("project"), "option 'project' must be a mapping", "project: {type: default}")
    for key, option in value.items():
        where = meta.where("project", key)
        if key not in PROJECT_KEYS:
            raise UnsupportedFeature(where, f"project option '{key}'", "one of " + ", ".join(sorted(PROJECT_KEYS)))
        if key == "type" and option != "default":
            raise UnsupportedFeature(where, f"project type '{option}'", "type: default")
        if key == "render" and not (isinstance(option, list) and all(isinstance(i, str) for i in option)):
            raise RenderError(where, "project option 'render' must be a list of files", "- index.qmd")
        if key == "pre-render":
            _check_str_or_list(meta, ("project", key), option)
        if key == "output-dir":
            _check_str(meta, ("project", key), option)


def check_metadata_value(meta: Located, key: str, value: Any) -> None:
    if key in {"title", "subtitle", "abstract", "lang", "csl", "nocite"}:
        _check_str(meta, (key,), value)
    elif key == "date":
        if not isinstance(value, str):
            value = str(value)  # YAML reads 2024-05-01 as a date; Quarto prints it as written
            meta.data[key] = value
        if value in {"today", "now", "last-modified"}:
            raise UnsupportedFeature(meta.where(key), f"date keyword '{value}'",
                                     "a literal date such as 2024-05-01, so the report is reproducible")
    elif key == "bibliography":
        _check_str_or_list(meta, (key,), value)
    elif key == "jupyter":
        if value not in ("python3", "python"):
            raise UnsupportedFeature(meta.where(key), f"jupyter kernel {value!r}", "jupyter: python3")
    elif key == "author":
        authors = value if isinstance(value, list) else [value]
        for index, author in enumerate(authors):
            path = (key, index) if isinstance(value, list) else (key,)
            if isinstance(author, dict):
                for field_name, field_value in author.items():
                    if field_name != "name":
                        raise UnsupportedFeature(meta.where(*path, field_name), f"author field '{field_name}'",
                                                 "author names only (author: [{name: ...}] or a list of names)")
                    if not isinstance(field_value, str):
                        raise RenderError(meta.where(*path, field_name), "author name must be text",
                                          "name: Full Name")
            elif not isinstance(author, str):
                raise RenderError(meta.where(*path), "author must be a name or a list of names",
                                  "author: Full Name")


def check_cell_option(where: str, key: str, value: Any) -> None:
    """Check the value of an execution option (cell option or `execute:` key)."""
    if key in {"echo", "eval", "warning", "error", "include"}:
        if key == "echo" and value == "fenced":
            raise UnsupportedFeature(where, "echo: fenced", "echo: true or echo: false")
        if not isinstance(value, bool):
            raise RenderError(where, f"option '{key}' must be true or false (got {value!r})", "true or false")
    elif key == "output" and value is not True and value is not False and value != "asis":
        raise RenderError(where, f"option 'output' must be true, false or asis (got {value!r})",
                          "true, false or asis")


def author_names(value: Any) -> list[str]:
    authors = value if isinstance(value, list) else [value]
    return [a["name"] if isinstance(a, dict) else a for a in authors if a]


@dataclass
class FormatOptions:
    """The resolved options of one output format for one document."""

    name: str
    options: dict[str, Any]
    where: dict[str, str]

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


def resolve_format(meta: Located, fmt: str) -> FormatOptions:
    """Options for `fmt`: top-level format options overridden by `format: fmt:` ones."""
    allowed = FORMAT_KEYS[fmt]
    options: dict[str, Any] = {}
    where: dict[str, str] = {}
    for key in allowed:
        if key in meta.data:
            options[key] = meta.data[key]
            where[key] = meta.where(key)
    for key, value in (meta.data.get("format") or {}).get(fmt, {}).items():
        options[key] = value
        where[key] = meta.where("format", fmt, key)
    return FormatOptions(fmt, options, where)


def read_project(project_dir: Path) -> Located:
    """Read and check `_quarto.yml` (an empty configuration when the file is missing)."""
    path = project_dir / "_quarto.yml"
    if not path.exists():
        alt = project_dir / "_quarto.yaml"
        path = alt if alt.exists() else path
    if not path.exists():
        return Located({})
    meta = load_yaml(path.read_text(encoding="utf-8"), path.name)
    normalize_formats(meta)
    check_document_options(meta, is_project=True)
    return meta
