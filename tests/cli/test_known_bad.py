"""Known-bad packages: each fixture holds one defect and the exact errors `claimpack` must report for it.

A fixture is tests/fixtures/bad/<defect>/defect.json: edits to a copy of the real package (and
of report/ when "parts" lists it), the command to run, its exit code and the exact error lines
(the problems on stdout, warnings left out, then stderr from its first `claimpack:` line). Every
fixture also proves that the command printed no traceback and changed no file: not the data,
not the descriptor, not a previous _site ("site": true puts one there first).

Commands run in this process (conftest.invoke_claimpack). The fast tier (`make check`) runs
Great Expectations only for the fixtures whose errors include its findings ("expectations":
true) and for commands other than validate; every other fixture is validated with
`--skip expectations`, which proves the other layers' lines. The full tier (`make test`) runs
every fixture with every layer, which proves that Great Expectations adds nothing else.

A fixture whose command makes a whole package or a report ("full": true: an init that validates all
it writes, a build that renders) takes seconds, and its command is the same in both tiers: it runs
only in the full tier's run of every fixture.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import apply_defect, copy_package, invoke_claimpack, load_defects, run_defect

DEFECTS = load_defects()
IDS = [name for name, _ in DEFECTS]
FAST_DEFECTS = [(name, defect) for name, defect in DEFECTS if not defect.get("full")]


def fast(defect: dict) -> dict:
    """The fixture as the fast tier runs it: without Great Expectations unless its errors need it."""
    if defect.get("expectations") or defect.get("command", ["validate"]) != ["validate"]:
        return defect
    return {**defect, "args": [*defect.get("args", []), "--skip", "expectations"]}


def assert_caught(outcome, defect: dict) -> None:
    assert not outcome.traceback, outcome.output
    assert outcome.exit == defect["exit"], outcome.output
    assert outcome.lines == defect["errors"]
    assert outcome.changed == [], "a failed command changed files"


@pytest.mark.parametrize(("name", "defect"), FAST_DEFECTS, ids=[name for name, _ in FAST_DEFECTS])
def test_known_bad_input(tmp_path, name, defect):
    assert_caught(run_defect(tmp_path / "package", fast(defect)), defect)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "defect"), DEFECTS, ids=IDS)
def test_known_bad_input_with_every_layer(tmp_path, name, defect):
    assert_caught(run_defect(tmp_path / "package", defect), defect)


def test_every_defect_is_named_after_itself():
    assert len(DEFECTS) >= 40
    for name, defect in DEFECTS:
        assert defect["defect"] == name
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name
        assert defect["description"] and defect["errors"], name
        assert defect["exit"] in (1, 2, 3) or (defect["exit"] == 0 and defect.get("writes")), name
        assert defect.get("expectations", False) in (True, False), name
        assert defect.get("full", False) in (True, False), name
        # only a command that makes a whole package or renders a report is left to the full tier
        assert not defect.get("full") or defect.get("command", ["validate"])[0] in ("init", "build", "prerender"), name


@pytest.mark.slow
def test_json_report_says_the_same_as_the_lines(tmp_path):
    """--json carries exactly the problems the text output prints."""
    from claimpack.system.problems import Problem

    _name, defect = next((n, d) for n, d in DEFECTS if n == "percent-188")
    root = copy_package(tmp_path / "package")
    apply_defect(root, defect)
    text = invoke_claimpack("validate", cwd=root)
    machine = invoke_claimpack("validate", "--json", cwd=root)
    report = json.loads(machine.stdout)
    assert machine.returncode == text.returncode == 1
    assert report["valid"] is False and report["errors"] == len(defect["errors"])
    assert [Problem(**p).line() for p in report["problems"]] == text.stdout.splitlines()
    assert set(report["layers"]) == {"frictionless", "expectations", "provenance", "consistency", "coverage",
                                     "crosscheck"}


# ---- the corpus on a package that is not Samanez ------------------------------------------------
# A defect whose edits do not name the Samanez data (no find and replace of its text) is a defect
# of any package: it runs again on the second package (conftest.second_package, made by `claimpack
# init` from one of the tests' own papers), and must be caught there too. Where the lines name
# what differs between the packages (a row, the paper's file), the fixture gives them as
# "second_errors". An init fixture reads a paper, not a package: it runs once, above.
SAMANEZ_EDITS = {"find"}
SAMANEZ_ONLY = {  # package-free edits that still need something only Samanez has
    "descriptor-licence-path-is-a-list": "edits the licences, which a package init writes leaves to its author",
}
PACKAGE_FREE = [(name, defect) for name, defect in DEFECTS
                if defect.get("package") != "water" and defect.get("command", ["validate"])[0] != "init"
                and "report" not in defect.get("parts", ())
                and name not in SAMANEZ_ONLY
                and defect.get("command", ["validate"])[0] not in ("verify", "show")  # they name a Samanez claim
                and not any(SAMANEZ_EDITS & set(edit) for edit in defect.get("edits", []))]


@pytest.mark.parametrize(("name", "defect"), PACKAGE_FREE, ids=[name for name, _ in PACKAGE_FREE])
def test_known_bad_input_on_a_package_that_is_not_samanez(tmp_path, name, defect):
    second = {**defect, "package": "water"}
    if "second_errors" in defect:
        second["errors"] = defect["second_errors"]
    second["exit"] = defect.get("second_exit", defect["exit"])
    assert_caught(run_defect(tmp_path / "package", fast(second)), second)


def test_most_of_the_corpus_is_not_tied_to_samanez():
    assert len(PACKAGE_FREE) >= 60
