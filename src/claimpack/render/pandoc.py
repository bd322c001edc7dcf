"""Run the pandoc binary shipped in the pypandoc-binary wheel."""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from .errors import RenderError
from .qmd import Document

READER = "markdown"


@functools.cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], stdin: str, doc: Document, cwd: Path) -> str:
    """Run pandoc on stdin; turn its failures and citeproc warnings into located RenderErrors.

    `args` are claimpack's, each --option=value with any path absolute; `--RTS` ends the Haskell
    runtime's options, so no value of a report's can become an option of pandoc or of its runtime.
    """
    result = subprocess.run([pandoc_path(), "--RTS", *args], input=stdin, capture_output=True, text=True,
                            encoding="utf-8", cwd=cwd, check=False)
    stderr = result.stderr
    missing = re.findall(r"Citeproc: citation (\S+) not found", stderr)
    if missing:
        key = missing[0]
        raise RenderError(f"{doc.display}:{doc.find_line('@' + key)}", f"citation @{key} is not in the bibliography",
                          "a key of the bibliography file")
    if result.returncode != 0:
        from ..text.reading import pandoc_message

        message = pandoc_message(stderr) or f"exit code {result.returncode}"
        raise RenderError(doc.display, f"pandoc failed: {message}", "a document pandoc can convert")
    return result.stdout


def markdown_to_ast(markdown: str, metadata_file: Path, doc: Document, cwd: Path) -> dict[str, Any]:
    out = run_pandoc([f"--from={READER}", "--to=json", f"--metadata-file={metadata_file.absolute()}"], markdown, doc,
                     cwd)
    return json.loads(out)
