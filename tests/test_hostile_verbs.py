"""Hostile arguments and packages against every verb, where a known-bad fixture cannot say it.

Each case is one a hostile reviewer tried: what a command prints can never drive a terminal, an
argument is bounded, and a refusal is one line with exit 2 (or 1 for invalid data), never an
internal error, never a changed file.
"""

from __future__ import annotations

import pytest

from conftest import copy_package, invoke_claimpack, snapshot

ESCAPE = "\x1b[2J"


@pytest.fixture
def package(tmp_path):
    return copy_package(tmp_path / "package")


# ---- what reaches a terminal ----------------------------------------------------------------------
def test_a_path_argument_is_echoed_with_its_escapes_shown(package, tmp_path):
    out = tmp_path / f"claims{ESCAPE}.csv"
    result = invoke_claimpack("export", "csv", "-o", str(out), cwd=package)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "claims\\x1b[2J.csv" in result.stderr
    assert out.is_file()


def test_an_unknown_id_is_one_short_line_however_long_the_argument(package):
    before = snapshot(package)
    result = invoke_claimpack("show", "x" * 100_000, cwd=package)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < 2_000
    assert snapshot(package) == before


def test_a_query_is_bounded(package):
    result = invoke_claimpack("find", "1 " * 5_000, cwd=package)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["claimpack: the query is 10,000 characters long (expected at most 1,000)"]
