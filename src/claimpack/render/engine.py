"""Render a Quarto project with pandoc and Typst when Quarto itself is not installed."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..system import fault_points
from . import html_writer, typst_writer
from .config import (
    Located,
    author_names,
    check_document_options,
    format_links,
    merge,
    normalize_formats,
    read_project,
    resolve_format,
)
from .errors import RenderError, UnsupportedFeature
from .execute import DocumentRunner, Executed
from .pandoc import markdown_to_ast, pandoc_path, run_pandoc
from .qmd import Document, parse_qmd
from .transform import Renderers, apply_quarto

Progress = Callable[[str], None]
FORMATS = {"html": "html", "pdf": "typst"}
EXTENSIONS = {"html": ".html", "typst": ".pdf"}
IGNORED_DIRS = {"node_modules", "renv", "packrat"}


def _quiet(_: str) -> None:
    return None


def parse_shell_run_command(command: str) -> list[str]:
    """Split a pre-render command as Quarto does: on spaces, keeping "double-quoted" runs together."""
    args: list[str] = []
    current = ""
    quoted = False
    for ch in command:
        if ch == '"':
            quoted = not quoted
        elif ch == " " and not quoted:
            if current:
                args.append(current)
            current = ""
        else:
            current += ch
    if current:
        args.append(current)
    return args


def render_list(project: Located, project_dir: Path, out_dir: Path) -> list[Path]:
    """The documents to render: `project: render:`, else every .qmd not starting with _ or ."""
    listed = (project.data.get("project") or {}).get("render")
    if listed:
        files: list[Path] = []
        for index, entry in enumerate(listed):
            where = project.where("project", "render", index)
            if entry.startswith("!"):
                raise UnsupportedFeature(where, f"render exclusion '{entry}'", "a list of .qmd files")
            matches = sorted(project_dir.glob(entry)) if any(c in entry for c in "*?[") else [project_dir / entry]
            for path in matches:
                if path.suffix != ".qmd":
                    raise UnsupportedFeature(where, f"rendering '{entry}' (only .qmd files are rendered)",
                                             "a .qmd file")
                if not path.is_file():
                    raise RenderError(where, f"file '{entry}' listed in project: render: does not exist",
                                      "a .qmd file in the project")
                if path not in files:
                    files.append(path)
        return files
    found = []
    for path in sorted(project_dir.rglob("*.qmd")):
        parts = path.relative_to(project_dir).parts
        if any(p.startswith(("_", ".")) or p in IGNORED_DIRS for p in parts):
            continue
        if out_dir in path.parents:
            continue
        found.append(path)
    if not found:
        raise RenderError(str(project_dir), "the project has no document to render", "an index.qmd file")
    return found


def run_pre_render_commands(project: Located, project_dir: Path, out_dir: Path, inputs: list[Path], env: dict[str, str],
                   progress: Progress) -> None:
    """Run `project: pre-render:` commands like Quarto: in the project directory, stopping at a failure."""
    value = (project.data.get("project") or {}).get("pre-render")
    if not value:
        return
    commands = value if isinstance(value, list) else [value]
    run_env = dict(env)
    run_env["QUARTO_PROJECT_RENDER_ALL"] = "1"
    run_env["QUARTO_PROJECT_OUTPUT_DIR"] = os.path.relpath(out_dir, project_dir)
    run_env["QUARTO_PROJECT_INPUT_FILES"] = "\n".join(str(p.relative_to(project_dir)) for p in inputs)
    for index, command in enumerate(commands):
        where = project.where("project", "pre-render", index) if isinstance(value, list) \
            else project.where("project", "pre-render")
        args = parse_shell_run_command(command)
        if not args:
            raise RenderError(where, "empty pre-render command", "a command or a script")
        script, suffix = args[0], Path(args[0]).suffix.lower()
        if suffix == ".py":
            cmd = [env.get("QUARTO_PYTHON") or sys.executable, *args]
        elif suffix == ".r":
            cmd = [env.get("QUARTO_R", "Rscript"), *args]
        elif suffix == ".lua":
            cmd = [pandoc_path(), "lua", *args]
        elif suffix == ".ts":
            raise UnsupportedFeature(where, f"TypeScript pre-render script '{script}' (needs Quarto's Deno)",
                                     "a Python, R or Lua script, or a shell command")
        else:
            cmd = args
        progress(f"running pre-render: {command}")
        try:
            result = subprocess.run(cmd, cwd=project_dir, env=run_env, capture_output=True, text=True,
                                    encoding="utf-8", errors="replace", check=False)
        except OSError as exc:
            raise RenderError(where, f"pre-render command '{command}' could not start: {exc.strerror}",
                              "a command found on PATH or a script in the project") from None
        if result.returncode != 0:
            tail = " | ".join(line.strip() for line in result.stderr.strip().splitlines()[-5:] if line.strip())
            raise RenderError(where, f"pre-render command '{command}' failed with exit code {result.returncode}"
                              + (f": {tail}" if tail else ""), "a pre-render command that exits with status 0")


def inside(full: Path, package: Path, where: str, what: str) -> None:
    """Refuse a file the report would embed from outside its package (a link or a path out of it):
    the site is published, and must carry the package's files only."""
    if package not in full.parents:
        raise RenderError(where, f"{what} lies outside the package (through a link or a path out of it)",
                          "a file of the package")


def _absolute_paths(meta: Located, base: Path, package: Path) -> None:
    """Resolve file options against the directory of the file that declared them, as Quarto does."""

    def resolve(container: dict, key: str, path: tuple) -> None:
        if key not in container:
            return
        value = container[key]
        items = value if isinstance(value, list) else [value]
        resolved = []
        for index, item in enumerate(items):
            where = meta.where(*path, index) if isinstance(value, list) else meta.where(*path)
            full = (base / str(item)).resolve()
            if not full.is_file():
                raise RenderError(where, f"{key} file '{item}' not found", f"a file relative to {base.name or base}")
            if key != "csl":  # a style only shapes the page; the others put their content into it
                inside(full, package, where, f"{key} file '{item}'")
            resolved.append(str(full))
        container[key] = resolved if isinstance(value, list) else resolved[0]

    for key in ("bibliography", "csl", "css"):
        resolve(meta.data, key, (key,))
    formats = meta.data.get("format") or {}
    if isinstance(formats.get("html"), dict):
        resolve(formats["html"], "css", ("format", "html", "css"))
    if isinstance(formats.get("typst"), dict):
        resolve(formats["typst"], "include-in-header", ("format", "typst", "include-in-header"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _output_name(doc_path: Path, fmt: str, options: dict[str, Any]) -> str:
    name = options.get("output-file") or doc_path.stem
    if Path(name).name != name:
        raise RenderError("", f"output-file '{name}' must be a file name", "a name such as report.pdf")
    if not Path(name).suffix:
        name += EXTENSIONS[fmt]
    return name


def _has_level_one_heading(node: Any) -> bool:
    if isinstance(node, list):
        return any(_has_level_one_heading(item) for item in node)
    if isinstance(node, dict):
        if node.get("t") == "Header":
            return node["c"][0] == 1
        return _has_level_one_heading(node.get("c"))
    return False


class DocumentRender:
    """Everything needed to render one .qmd into each requested format."""

    def __init__(self, project_dir: Path, project: Located, doc_path: Path, out_dir: Path, env: dict[str, str],
                 progress: Progress, keep: Path | None = None):
        self.keep = keep
        self.project_dir = project_dir
        self.doc_path = doc_path
        self.out_dir = out_dir
        self.env = env
        self.progress = progress
        self.display = str(doc_path.relative_to(project_dir))
        self.doc: Document = parse_qmd(doc_path.read_text(encoding="utf-8"), self.display)
        front = self.doc.front_matter
        normalize_formats(front)
        check_document_options(front, is_project=False)
        project_meta = Located({k: v for k, v in copy.deepcopy(project.data).items() if k != "project"},
                               dict(project.lines))
        package = project_dir.resolve().parent  # the report project's package: what the site may embed
        _absolute_paths(project_meta, project_dir, package)
        _absolute_paths(front, doc_path.parent, package)
        self.meta = merge(project_meta, front)

    def execute(self) -> Executed:
        defaults = dict(self.meta.data.get("execute") or {})
        return DocumentRunner(self.doc, self.doc_path, defaults, self.env, self.progress).run()

    def metadata(self) -> dict[str, Any]:
        data = self.meta.data
        out: dict[str, Any] = {}
        for key in ("title", "subtitle", "date", "abstract", "lang", "nocite"):
            if data.get(key):
                out[key] = str(data[key])  # a metadata file's strings are Markdown: nocite's @* is a citation
        if data.get("author"):
            out["author"] = author_names(data["author"])
        if "title" not in out:
            out["pagetitle"] = self.doc_path.stem
        return out

    def citation_args(self, options: dict[str, Any]) -> list[str]:
        args = ["--citeproc"]
        for bib in _as_list(self.meta.data.get("bibliography")):
            args.append(f"--bibliography={os.path.abspath(bib)}")  # resolved by _absolute_paths, and said so
        if self.meta.data.get("csl"):
            args.append(f"--csl={os.path.abspath(self.meta.data['csl'])}")
        if options.get("link-citations"):
            args.append("--metadata=link-citations=true")
        return args

    def render(self, formats: list[str]) -> dict[str, Path]:
        with tempfile.TemporaryDirectory(prefix="claimpack-render-") as tmp:
            workdir = Path(tmp)
            executed = self.execute()
            meta_file = workdir / "metadata.json"
            meta_file.write_text(json.dumps(self.metadata()), encoding="utf-8")
            self.keep_file("md", executed.markdown)
            ast = markdown_to_ast(executed.markdown, meta_file, self.doc, workdir)
            outputs: dict[str, Path] = {}
            names = {fmt: _output_name(self.doc_path, fmt, resolve_format(self.meta, fmt).options) for fmt in formats}
            for fmt in formats:
                options = resolve_format(self.meta, fmt)
                name = names[fmt]
                target_dir = self.out_dir / self.doc_path.parent.relative_to(self.project_dir)
                target = target_dir / name
                self.progress(f"rendering {self.display} -> {target.relative_to(self.out_dir)}")
                fmt_dir = workdir / fmt
                fmt_dir.mkdir()
                if fmt == "html":
                    links = format_links(options.options, names)
                    produced = self.render_html(copy.deepcopy(ast), executed, options, fmt_dir, links)
                else:
                    produced = self.render_typst(copy.deepcopy(ast), executed, options, fmt_dir)
                target_dir.mkdir(parents=True, exist_ok=True)
                staging = target_dir / f".{name}.partial"
                shutil.copyfile(produced, staging)
                os.replace(staging, target)
                outputs[fmt] = target
                fault_points.point("render:written")
            return outputs

    def keep_file(self, suffix: str, text: str) -> None:
        """Copy an intermediate file (executed Markdown, Typst source) where the caller asked."""
        if self.keep is not None:
            target = self.keep / self.doc_path.relative_to(self.project_dir).with_suffix("." + suffix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def image_source(self, fmt: str, workdir: Path) -> Callable[[str, str], str]:
        copies: dict[str, str] = {}

        def resolve(src: str, where: str) -> str:
            if src.startswith(("http://", "https://", "//")):
                raise RenderError(where, f"image '{src}' is on the network; the report must work offline",
                                  "a local image file")
            if src.startswith("data:"):
                if fmt == "typst":
                    raise UnsupportedFeature(where, "data: URI images in PDF output", "a local image file")
                return src
            path = (self.doc_path.parent / src).resolve()
            if not path.is_file():
                raise RenderError(where, f"image file '{src}' not found", "a path relative to the document")
            inside(path, self.project_dir.resolve().parent, where, f"image file '{src}'")
            if fmt == "html":
                return str(path)
            if src not in copies:
                copies[src] = f"image-{len(copies) + 1}{path.suffix}"
                shutil.copyfile(path, workdir / copies[src])
            return copies[src]

        return resolve

    def render_html(self, ast: dict[str, Any], executed: Executed, options: Any, workdir: Path,
                    links: list[tuple[str, str]] = ()) -> Path:
        renderers = Renderers("html", html_writer.chart_body, self.image_source("html", workdir))
        ast = apply_quarto(ast, self.doc, executed.charts, executed.chart_class, renderers)
        css = [Path(p) for p in _as_list(options.get("css"))]
        args = ["--from=json", *html_writer.pandoc_args(options, css, links), *self.citation_args(options.options)]
        page = run_pandoc(args, json.dumps(ast), self.doc, workdir)
        path = workdir / "page.html"
        path.write_text(html_writer.finish_page(page, bool(executed.charts)), encoding="utf-8")
        return path

    def render_typst(self, ast: dict[str, Any], executed: Executed, options: Any, workdir: Path) -> Path:
        def chart_body(chart: Any, alt: str) -> list[Any]:
            return typst_writer.chart_body(chart, alt, workdir)

        renderers = Renderers("typst", chart_body, self.image_source("typst", workdir))
        ast = apply_quarto(ast, self.doc, executed.charts, executed.chart_class, renderers)
        args = ["--from=json", *typst_writer.pandoc_args(options), *self.citation_args(options.options)]
        if not _has_level_one_heading(ast["blocks"]):
            args.append("--shift-heading-level-by=-1")  # as Quarto does for Typst
        source = run_pandoc(args, json.dumps(ast), self.doc, workdir)
        typ = workdir / "document.typ"
        typ.write_text(source, encoding="utf-8")
        self.keep_file("typ", source)
        pdf = workdir / "document.pdf"
        typst_writer.compile_pdf(typ, pdf)
        return pdf


def render_project(project_dir: Path, out_dir: Path, *, formats: tuple[str, ...] | list[str] = ("html", "pdf"),
                   progress: Progress | None = None, run_pre_render: bool = True,
                   env: dict[str, str] | None = None, keep_intermediates: Path | None = None) -> dict[str, Path]:
    """Render a Quarto project with the built-in engine into out_dir; return {"html": path, "pdf": path}.

    `keep_intermediates`, when given, is a directory (never out_dir) that receives each document's
    executed Markdown (.md) and Typst source (.typ), for debugging. For a project with several
    documents the keys "html" and "pdf" name the outputs of index.qmd (or the first document), and
    "<document>:<format>" keys name every document's outputs.
    """
    project_dir = Path(project_dir).resolve()
    out_dir = Path(out_dir).resolve()
    progress = progress or _quiet
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderError("", f"unknown output format '{unknown[0]}'", "html or pdf")
    run_env = {**os.environ, **(env or {})}
    project = read_project(project_dir)
    documents = render_list(project, project_dir, out_dir)
    if run_pre_render:
        run_pre_render_commands(project, project_dir, out_dir, documents, run_env, progress)
        project = read_project(project_dir)  # pre-render may write files the configuration names
        documents = render_list(project, project_dir, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Path] = {}
    primary = next((d for d in documents if d == project_dir / "index.qmd"), documents[0])
    for doc_path in documents:
        keep = Path(keep_intermediates).resolve() if keep_intermediates is not None else None
        render = DocumentRender(project_dir, project, doc_path, out_dir, run_env, progress, keep)
        produced = render.render([FORMATS[f] for f in formats])
        for fmt_name, internal in FORMATS.items():
            if internal in produced:
                if doc_path == primary:
                    results[fmt_name] = produced[internal]
                if len(documents) > 1:
                    results[f"{render.display}:{fmt_name}"] = produced[internal]
    return results

