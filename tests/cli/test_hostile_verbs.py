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
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < 4_100
    assert snapshot(package) == before


def test_a_query_is_bounded(package):
    result = invoke_claimpack("find", "1 " * 5_000, cwd=package)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["claimpack: the query is 10,000 characters long (expected at most 1,000)"]


# ---- a record's id is data, never markup ---------------------------------------------------------
HOSTILE_IDS = ["x onclick=alert(document.domain) data-x=y", 'x" onmouseover="alert(1)', "x}<script>alert(1)</script>",
               "x](javascript:alert(1))", "x .cls #other", "w<img src=x onerror=alert(1)>", "ok-id"]


@pytest.mark.parametrize("record_id", HOSTILE_IDS)
def test_an_id_becomes_one_inert_anchor_and_one_citation_key(record_id):
    """A package may drop its id patterns (the descriptor is its own): the report's anchors and
    citation keys are made safe whatever the id holds."""
    import re

    import pypandoc

    from claimpack.model.bibliography import KEY, bibtex_key
    from claimpack.report.citations import anchor, cite

    markdown = (f"::: {{#{anchor(record_id)} .claim}}\nthe claim\n:::\n\n"
                f"[see it](#{anchor(record_id)}){cite(record_id, '4')}\n")
    html = pypandoc.convert_text(markdown, "html", format="markdown", extra_args=["--wrap=none"])
    assert re.findall(r"<div ([^>]*)>", html) == [f'id="{anchor(record_id)}" class="claim"']
    assert re.findall(r'href="([^"]*)"', html) == [f"#{anchor(record_id)}"]
    assert re.findall(r'data-cites="([^"]*)"', html) == [bibtex_key(record_id)] and KEY.fullmatch(bibtex_key(record_id))
    assert "<script" not in html and "<img" not in html and " on" not in html.replace(" onerror-", "")
    assert anchor("imet-training-2017") == "claim-imet-training-2017" and bibtex_key("weeks-2008") == "weeks-2008"
