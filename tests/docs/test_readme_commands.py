"""The README documents every command, and its generated parts are current."""

from __future__ import annotations

import subprocess
import sys

import pytest

from claimpack.cli import main
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name):
    command = main.commands[name]
    assert command.help and "Example:" in command.help, f"claimpack {name} --help needs an example"
    assert f"claimpack {name}" in README


def test_readme_generated_blocks_are_current():
    result = subprocess.run([sys.executable, "scripts/update_readme.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
