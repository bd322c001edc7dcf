"""The tree shows the architecture: a few subpackages at the top of src/claimpack, no module too long
to read (issue 20's limits; the layering itself is import-linter's contract in pyproject.toml)."""

from __future__ import annotations

from conftest import ROOT

SOURCE = ROOT / "src" / "claimpack"
TOP_ENTRIES = 14
MODULE_LINES = 800


def test_at_most_fourteen_entries_at_the_top():
    entries = sorted(path.name for path in SOURCE.iterdir() if path.name != "__pycache__")
    assert len(entries) <= TOP_ENTRIES, entries


def test_no_module_is_over_800_lines():
    long = {str(path.relative_to(SOURCE)): count for path in SOURCE.rglob("*.py")
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES}
    assert long == {}


def test_every_subpackage_says_what_it_holds():
    for path in SOURCE.glob("*/__init__.py"):
        text = path.read_text(encoding="utf-8").lstrip()
        assert text.startswith('"""'), f"{path.parent.name}/__init__.py has no docstring"
