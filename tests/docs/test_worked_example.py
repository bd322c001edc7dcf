"""The README's worked example ("Your own paper") runs as written, command by command."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


def example_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example:start -->\n```sh\n(.*?)```\n<!-- example:end -->", readme, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.slow
def test_the_worked_example_runs(tmp_path):
    """In an empty directory, as after `pip install`: the paper comes from claimpack itself."""
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}",
               PYTHONWARNINGS="ignore")
    env.pop("CLAIMPACK_PACKAGE", None)
    commands = example_commands()
    assert commands[0] == "claimpack example water.md" and commands[1].startswith("claimpack init water.md")
    assert any("--release" in c for c in commands) and "tests/" not in " ".join(commands)
    for command in commands:
        result = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        if command.startswith("claimpack validate"):
            assert "to review: " in result.stderr and "candidate claims" in result.stderr
    html = (tmp_path / "water" / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Claims appendix" in html and "(candidate)" not in html


def test_the_shipped_example_is_the_tests_paper_and_ships_in_the_wheel_list():
    """The paper `claimpack example` writes is tests/papers/water.md byte for byte (its answer key is the
    tests'), and setuptools' package data names its folder."""
    from claimpack.init.examples import EXAMPLES, example_text

    assert example_text("water.md") == (ROOT / "tests" / "papers" / "water.md").read_bytes()
    assert set(EXAMPLES) == {path.name for path in (ROOT / "src" / "claimpack" / "assets" / "examples").iterdir()}
    assert '"assets/examples/*"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
