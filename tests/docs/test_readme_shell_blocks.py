"""The shell examples of the README and docs/, run as written against a copy of the package (as
sqlite-utils runs its docs).

Every ```sh block of the README and of the docs pages runs by bash, its commands in order, and so
does the example of every command in docs/commands.md (generated from each command's help, which
test_readme_commands keeps current; `claimpack review`, which serves until stopped, runs until it
prints its address), each in a fresh copy of the repository's package and test
papers, with this checkout's claimpack first on PATH; a file an example names and the repository
lacks (`paper.docx`) is made from a test paper. Setup lines (make, making or activating a venv,
pip, npm) are left out: `make test` runs them on a clean clone. The worked example of `init`
(between the README's example markers) is test_worked_example's, which also checks what it builds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claimpack.cli import main
from conftest import ROOT, copy_package

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md")))
COMMANDS = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
PARTS = ("datapackage.json", "data", "validation", "report")
SETUP = re.compile(r"^(make\b|python3? -m venv\b|\. \S*activate\b|source \S*activate\b|pip3? install\b|npm\b)")
COMMENT = re.compile(r"\s+#\s.*$")
WORKED_EXAMPLE = re.compile(r"<!-- example:start -->.*?<!-- example:end -->", re.DOTALL)


def fenced_scripts(text: str) -> list[str]:
    """Each ```sh (or bash, shell, console) block as a script: its commands in order, comments and setup left out."""
    found = []
    for block in re.findall(r"^```(?:sh|bash|shell|console)\n(.*?)^```", WORKED_EXAMPLE.sub("", text),
                            re.MULTILINE | re.DOTALL):
        commands = [COMMENT.sub("", line.removeprefix("$ ")).strip() for line in block.splitlines()]
        commands = [c for c in commands if c and not c.startswith("#") and not SETUP.match(c)]
        if commands:
            found.append(" &&\n".join(commands))
    return found


def help_examples() -> list[str]:
    """The `Example:` of every command's help, as docs/commands.md prints it."""
    found = []
    for name in sorted(main.commands):
        paragraphs = re.split(r"\n\s*\n", main.commands[name].help or "")
        example = next(p for p in paragraphs if p.strip().startswith("Example:"))
        found.append(" ".join(example.split()).removeprefix("Example: "))
    return found


EXAMPLES = fenced_scripts(README) + fenced_scripts(DOCS) + help_examples()


def test_the_readme_has_examples_and_each_command_is_documented_by_one():
    documented = {verb for example in help_examples() for verb in re.findall(r"\bclaimpack (\w+)", example)}
    assert documented == set(main.commands)
    assert all(f"Example: {example}" in " ".join(COMMANDS.split()) for example in help_examples())


def workspace(root: Path) -> Path:
    """A copy of the repository's package and test papers, and the files examples name that it lacks."""
    import pypandoc

    copy_package(root, PARTS)
    shutil.copytree(ROOT / "tests" / "papers", root / "tests" / "papers")
    pypandoc.convert_file(str(ROOT / "tests" / "papers" / "water.md"), "docx", outputfile=str(root / "paper.docx"))
    return root


SERVES = re.compile(r"^claimpack review\b")  # serves until stopped: run until it prints its address


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_example_runs(tmp_path, example):
    root = workspace(tmp_path / "package")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    if SERVES.match(example):
        served = subprocess.Popen(["bash", "-c", f"exec {example}"], cwd=root, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  env=dict(os.environ, PATH=path, PYTHONWARNINGS="ignore"))
        try:
            line = served.stdout.readline()
            assert re.search(r"http://127\.0\.0\.1:\d+/\S+/", line), f"{example}\n{line}\n{served.stderr.read()}"
        finally:
            served.terminate()
            served.wait(timeout=60)
        return
    done = subprocess.run(["bash", "-c", example], cwd=root, capture_output=True, text=True, timeout=900,
                          env=dict(os.environ, PATH=path, PYTHONWARNINGS="ignore"))
    assert done.returncode == 0, f"{example}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
    for target in re.findall(r"(?:-o|--out|>)\s+(\S+)", example):
        made = root / target
        assert made.exists() and (made.is_dir() or made.stat().st_size > 0), f"{example} made no {target}"
    shutil.rmtree(root)
