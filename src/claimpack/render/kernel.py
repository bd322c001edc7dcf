"""A minimal Python kernel: runs a document's cells in one namespace, in a child process.

Run as `python -m claimpack.render.kernel`. Requests and replies are JSON lines on the
process's original stdin and stdout; user code sees a closed stdin, and its prints (even from C
extensions or subprocesses, which write to file descriptor 1) never reach the protocol channel.

Each reply turns Python values into document outputs the way Jupyter would display them:
Altair charts as Vega-Lite specs, pandas DataFrames as Markdown tables, objects with
`_repr_markdown_` as Markdown, anything else as its repr.
"""

from __future__ import annotations

import ast
import io
import json
import linecache
import os
import sys
import traceback
import warnings
from typing import Any

from claimpack.system.escape import markdown


class _Stream(io.TextIOBase):
    def __init__(self, name: str, sink: list[dict[str, Any]]):
        self.name = name
        self._sink = sink

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            last = self._sink[-1] if self._sink else None
            if last and last["type"] == "stream" and last["name"] == self.name:
                last["text"] += text
            else:
                self._sink.append({"type": "stream", "name": self.name, "text": text})
        return len(text)


def _is_from(obj: Any, package: str) -> bool:
    return any(cls.__module__.split(".")[0] == package for cls in type(obj).__mro__)


def dataframe_markdown(frame: Any) -> str:
    """Render a pandas DataFrame as a pipe table whose cell text is escaped Markdown."""
    import pandas as pd

    show_index = not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None
    headers = ([markdown(frame.index.name or "")] if show_index else []) + [
        markdown(str(c)) for c in frame.columns]
    numeric = ([pd.api.types.is_numeric_dtype(frame.index.dtype)] if show_index else []) + [
        pd.api.types.is_numeric_dtype(frame[c].dtype) for c in frame.columns]

    def cell(value: Any) -> str:
        return "" if value is None or (isinstance(value, float) and value != value) else markdown(str(value))

    rows = []
    for index, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        rows.append(([cell(index)] if show_index else []) + [cell(v) for v in row])
    if not headers:
        return ""
    lines = ["| " + " | ".join(h or " " for h in headers) + " |",
             "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def display_data(value: Any) -> dict[str, Any]:
    """Turn a displayed value into a JSON-able output."""
    if _is_from(value, "altair") and hasattr(value, "to_dict"):
        return {"type": "vegalite", "spec": value.to_dict()}
    if _is_from(value, "pandas") and type(value).__name__ == "DataFrame":
        return {"type": "table", "markdown": dataframe_markdown(value)}
    repr_markdown = getattr(value, "_repr_markdown_", None)
    if callable(repr_markdown):
        markdown = repr_markdown()
        if isinstance(markdown, tuple):
            markdown = markdown[0]
        if markdown is not None:
            return {"type": "markdown", "text": str(markdown)}
    return {"type": "text", "text": repr(value)}


def _error(exc: BaseException, filename: str) -> dict[str, Any]:
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    return {"ename": type(exc).__name__, "evalue": message, "line": line, "text": text}


class Kernel:
    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
        self.outputs: list[dict[str, Any]] = []
        self.namespace["display"] = self._display

    def _display(self, *objects: Any) -> None:
        for obj in objects:
            self.outputs.append(display_data(obj))

    def _register_source(self, filename: str, source: str) -> None:
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)

    def run_cell(self, code: str, first_line: int, filename: str, show_warnings: bool) -> dict[str, Any]:
        self.outputs = []
        source = "\n" * (first_line - 1) + code + "\n"
        self._register_source(filename, source)
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = _Stream("stdout", self.outputs)
        sys.stderr = _Stream("stderr", self.outputs)
        error = None
        try:
            with warnings.catch_warnings():
                if not show_warnings:
                    warnings.simplefilter("ignore")
                tree = ast.parse(source, filename)
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, filename, "exec"), self.namespace)  # noqa: S102 - running the document is the job
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), filename, "eval"), self.namespace)  # noqa: S307
                    if value is not None:
                        self.outputs.append(display_data(value))
        except BaseException as exc:  # a cell's SystemExit or KeyboardInterrupt is its error too
            error = _error(exc, filename)
        finally:
            sys.stdout, sys.stderr = stdout, stderr
        return {"outputs": self.outputs, "error": error}

    def evaluate(self, expr: str, line: int, filename: str) -> dict[str, Any]:
        source = "\n" * (line - 1) + "(" + expr + "\n)"
        self._register_source(filename, source)
        stdout = sys.stdout
        sys.stdout = _Stream("stdout", [])
        try:
            value = eval(compile(source, filename, "eval"), self.namespace)  # noqa: S307
            repr_markdown = getattr(value, "_repr_markdown_", None)
            if callable(repr_markdown):
                markdown = repr_markdown()
                if isinstance(markdown, tuple):
                    markdown = markdown[0]
                if markdown is not None:
                    return {"kind": "markdown", "value": str(markdown)}
            return {"kind": "text", "value": str(value)}
        except BaseException as exc:
            return {"error": _error(exc, filename)}
        finally:
            sys.stdout = stdout


def main() -> None:
    protocol_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # stray writes to fd 1 go to the kernel's log, not the protocol
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the kernel
    sys.stdout = sys.stderr
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    kernel = Kernel()
    for raw in protocol_in:
        request = json.loads(raw)
        op = request["op"]
        if op == "shutdown":
            break
        if op == "exec":
            reply = kernel.run_cell(request["code"], request["first_line"], request["filename"],
                                    request["warning"])
        elif op == "eval":
            reply = kernel.evaluate(request["expr"], request["line"], request["filename"])
        else:
            reply = {"error": {"ename": "ProtocolError", "evalue": f"unknown op {op!r}", "line": None, "text": ""}}
        try:
            payload = json.dumps(reply, allow_nan=False)
        except (TypeError, ValueError) as exc:
            payload = json.dumps({"outputs": [], "error": {
                "ename": type(exc).__name__, "evalue": f"output cannot be serialised: {exc}",
                "line": None, "text": ""}})
        protocol_out.write(payload + "\n")
        protocol_out.flush()


if __name__ == "__main__":
    main()
