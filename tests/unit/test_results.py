"""The validation result is saved once per content hash, read back only while every input is unchanged,
and never trusted when it was tampered with, cut short, planted or saved under another key."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claimpack.model.domain import Model
from claimpack.model.package import Package
from claimpack.validation import results
from claimpack.validation.validate import validate
from conftest import apply_defect, copy_package, invoke_claimpack

FAST = ("frictionless", "expectations")  # the saved result works the same for any set of layers


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # this test's own signing secret
    return copy_package(tmp_path / "package")


def saved_files(root: Path) -> list[Path]:
    return sorted((root / results.RESULTS).glob("*.json"))


def test_a_repeat_validate_answers_from_the_saved_result(package):
    first = validate(package, skip=FAST)
    assert first.saved is None and len(saved_files(package)) == 1
    again = validate(package, skip=FAST)
    assert again.saved is not None
    assert again.problems == first.problems and again.layers == first.layers
    assert again.candidates == first.candidates and set(first.candidates) == {"claims", "events"}


def test_the_cli_says_it_answered_from_the_saved_result(package):
    first = invoke_claimpack("validate", "--skip", "frictionless", "--skip", "expectations", cwd=package)
    again = invoke_claimpack("validate", "--skip", "frictionless", "--skip", "expectations", cwd=package)
    assert first.returncode == again.returncode == 0
    assert first.stdout == again.stdout
    assert "no input has changed" in again.stderr and "no input has changed" not in first.stderr


def test_an_invalid_package_is_saved_and_read_back_as_invalid(package):
    apply_defect(package, {"edits": [{"file": "data/claims.csv", "find": "\\$236 million,236000000,",
                                      "replace": "\\$236 million,237000000,"}]})
    first = validate(package, skip=FAST)
    again = validate(package, skip=FAST)
    assert not first.valid and again.saved and again.problems == first.problems


@pytest.mark.parametrize(("file", "find", "replace"), [
    ("datapackage.json", '"version": "', '"version": "0.'),
    ("data/claims.csv", "sales were accounted for almost", "sales were accounted  for almost"),
    ("data/source/paper.md", "Humankind has led", "Humankind had led"),
    ("validation/coverage-exclusions.csv", "ordinal century", "an ordinal century"),
    ("validation/gx/expectations/claims.json", '"expected"', '"expected" '),
])
def test_any_changed_input_changes_the_key(package, file, find, replace):
    before = results.key_of(results.inputs(Package.load(package)))
    path = package / file
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    assert results.key_of(results.inputs(Package.load(package))) != before


def test_the_key_names_the_skipped_layers_claimpack_and_its_validators(package, monkeypatch):
    loaded = Package.load(package)
    found = results.inputs(loaded)
    assert results.key_of(results.inputs(loaded, ("expectations",))) != results.key_of(found)
    assert found["(dependencies)"].startswith("frictionless 5.") and "great_expectations 1." in found["(dependencies)"]
    monkeypatch.setattr(results, "__version__", "999.0.0")
    assert results.inputs(loaded)["(claimpack)"] != found["(claimpack)"]


def test_a_file_outside_the_declared_inputs_does_not_change_the_key(package):
    before = results.key_of(results.inputs(Package.load(package)))
    (package / "NOTES.txt").write_text("a note beside the package\n", encoding="utf-8")
    (package / "validation" / "gx" / "uncommitted").mkdir()
    (package / "validation" / "gx" / "uncommitted" / "run.json").write_text("{}", encoding="utf-8")
    assert results.key_of(results.inputs(Package.load(package))) == before


def _tamper(path: Path, change) -> None:
    saved = json.loads(path.read_text(encoding="utf-8"))
    change(saved)
    path.write_text(json.dumps(saved), encoding="utf-8")


@pytest.mark.parametrize("tampering", ["problems removed", "layers edited", "signature recomputed without the secret",
                                       "cut short", "empty", "not JSON", "another key"])
def test_a_tampered_or_partial_result_is_never_trusted(package, tampering):
    apply_defect(package, {"edits": [{"file": "data/claims.csv", "find": "\\$236 million,236000000,",
                                      "replace": "\\$236 million,237000000,"}]})
    first = validate(package, skip=FAST)
    [path] = saved_files(package)
    if tampering == "problems removed":
        _tamper(path, lambda saved: saved["report"].update(problems=[]))
    elif tampering == "layers edited":
        _tamper(path, lambda saved: saved["report"]["layers"]["provenance"].update(errors=0))
    elif tampering == "signature recomputed without the secret":
        def forge(saved):
            saved["report"]["problems"] = []
            saved["hmac"] = results._signature(b"\0" * 32, saved["key"], saved["report"])
        _tamper(path, forge)
    elif tampering == "cut short":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif tampering == "empty":
        path.write_bytes(b"")
    elif tampering == "not JSON":
        path.write_bytes(b"\xff\xfe not json")
    elif tampering == "another key":  # a genuine result of other inputs (other layers), renamed to this key
        validate(package, skip=(*FAST, "coverage"))
        os.replace(next(p for p in saved_files(package) if p != path), path)
        assert json.loads(path.read_text(encoding="utf-8"))["key"] != path.stem
    again = validate(package, skip=FAST)
    assert again.saved is None, "a result that was tampered with was believed"
    assert again.problems == first.problems and not again.valid


def test_a_result_signed_by_another_users_secret_is_not_trusted(package, monkeypatch, tmp_path):
    validate(package, skip=FAST)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    assert validate(package, skip=FAST).saved is None


def test_results_are_never_written_through_a_link_out_of_the_package(package, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (package / ".claimpack").mkdir()
    (package / ".claimpack" / "results").symlink_to(outside)
    validate(package, skip=FAST)
    assert list(outside.iterdir()) == []
    assert validate(package, skip=FAST).saved is None


def test_an_input_changed_while_validating_is_not_saved(package, monkeypatch):
    from claimpack.validation.layers import consistency

    check = consistency.check

    def edit_meanwhile(loaded):
        with (package / "data" / "checks.csv").open("a", encoding="utf-8") as handle:
            handle.write("")
        os.utime(package / "data" / "checks.csv", ns=(1, 1))
        return check(loaded)

    monkeypatch.setattr(consistency, "check", edit_meanwhile)
    validate(package, skip=FAST)
    assert saved_files(package) == []


def test_the_report_and_show_read_coverage_and_cross_checks_from_the_saved_result(package, monkeypatch):
    from claimpack.factcheck.show import record
    from claimpack.report import Figures, Sections
    from claimpack.validation.layers import coverage, crosschecks

    validate(package, skip=FAST)

    def recomputed(_package):
        raise AssertionError("recomputed although a saved result is current")

    monkeypatch.setattr(coverage, "check", recomputed)
    monkeypatch.setattr(crosschecks, "check", recomputed)
    figures = Figures.load(package)
    assert figures.coverage()["unrecorded"] == 0 and figures.coverage()["digits"] > 50
    # every finding of this package is recorded as a defect of the paper: none is left to warn of
    assert "do not record" in str(Sections(figures).warnings())
    assert "warnings" in record(Model(Package.load(package)), "imet-training-funding-latam-2000-2017")


def test_without_a_saved_result_the_report_computes_coverage_itself(package):
    from claimpack.report import Figures

    assert Figures.load(package).coverage()["unrecorded"] == 0
    assert saved_files(package) == []  # only a whole validation is saved
