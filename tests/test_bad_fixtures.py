"""Known-bad packages: each fixture holds one defect and the exact errors `claimpack` must report for it.

A fixture is tests/fixtures/bad/<defect>/defect.json: edits to a copy of the real package, the
command to run, its exit code and the exact error lines. Every fixture also proves that the
command printed no traceback and changed no file.
"""

from __future__ import annotations

import json

import pytest

from conftest import apply_defect, copy_package, load_defects, run_claimpack, snapshot

DEFECTS = load_defects()


@pytest.mark.parametrize(("name", "defect"), DEFECTS, ids=[name for name, _ in DEFECTS])
def test_known_bad_input(tmp_path, name, defect):
    root = copy_package(tmp_path / "package", defect.get("parts", ("datapackage.json", "data", "validation")))
    apply_defect(root, defect)
    before = snapshot(root)
    command = defect.get("command", ["validate"])
    result = run_claimpack(*command, *defect.get("args", []), cwd=root)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == defect["exit"], result.stdout + result.stderr
    if command[0] == "validate":
        lines = [line for line in result.stdout.splitlines() if not line.endswith("[warning]")]
        assert lines == defect["errors"]
    else:
        assert result.stderr.strip().splitlines()[-len(defect["errors"]):] == defect["errors"]
    assert snapshot(root) == before, "a failed command changed files"


def test_every_defect_is_named_after_itself():
    for name, defect in DEFECTS:
        assert defect["defect"] == name
        assert defect["description"] and defect["errors"], name


def test_json_report_says_the_same_as_the_lines(tmp_path):
    """--json carries exactly the problems the text output prints."""
    from claimpack.problems import Problem

    _name, defect = next((n, d) for n, d in DEFECTS if n == "percent-188")
    root = copy_package(tmp_path / "package")
    apply_defect(root, defect)
    text = run_claimpack("validate", cwd=root)
    machine = run_claimpack("validate", "--json", cwd=root)
    report = json.loads(machine.stdout)
    assert machine.returncode == text.returncode == 1
    assert report["valid"] is False and report["errors"] == len(defect["errors"])
    assert [Problem(**p).line() for p in report["problems"]] == text.stdout.splitlines()
    assert set(report["layers"]) == {"frictionless", "expectations", "provenance", "consistency", "coverage",
                                     "crosscheck"}
