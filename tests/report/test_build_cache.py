"""The build cache is keyed on content: any changed input rebuilds, nothing changed rebuilds nothing.

Quarto's freeze would keep a stale report when only data/ changes; here the sha256 of every
input (data files, the paper, the report sources and CSL style, the validation suites and
exclusions, claimpack itself) decides.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimpack.model.package import Package
from claimpack.publish import build as build_module
from claimpack.validation import results
from claimpack.validation.results import tool_digest
from conftest import apply_defect, copy_package, run_claimpack

PARTS = ("datapackage.json", "data", "validation", "report")


def digest(root: Path) -> str:
    package = Package.load(root)
    value, _ = build_module.input_digest(package, root / "report", {"engine": "builtin", "formats": ["html"]})
    return value


@pytest.fixture
def package(tmp_path) -> Path:
    return copy_package(tmp_path / "package", PARTS)


# ---- the digest: every input counts, nothing else does ------------------------------------------
def test_digest_is_stable(package):
    assert digest(package) == digest(package)


@pytest.mark.parametrize(("file", "find", "replace"), [
    ("data/claims.csv", "sales were accounted for almost", "sales were accounted  for almost"),  # one character
    ("data/source/paper.md", "Humankind has led", "Humankind had led"),
    ("data/sources.csv", "Alvarez", "Alvares"),
    ("report/index.qmd", "## Summary", "## Summary of the figures"),
    ("report/_quarto.yml", "toc-depth: 2", "toc-depth: 3"),
    ("report/chicago-note-bibliography.csl", "<title>", "<title> "),
    ("validation/coverage-exclusions.csv", "ordinal century", "an ordinal century"),
    ("datapackage.json", "\"version\": \"", "\"version\": \"0."),
])
def test_any_changed_input_changes_the_digest(package, file, find, replace):
    before = digest(package)
    path = package / file
    text = path.read_text(encoding="utf-8")
    assert find in text, (file, find)
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    assert digest(package) != before


def test_a_new_report_file_changes_the_digest(package):
    before = digest(package)
    (package / "report" / "extra.css").write_text("p { color: black; }\n", encoding="utf-8")
    assert digest(package) != before


def test_claimpack_itself_is_an_input(package, monkeypatch):
    before = digest(package)
    monkeypatch.setattr(results, "__version__", "999.0.0")
    assert digest(package) != before


@pytest.mark.parametrize("shipped", ["publish/build.py", "assets/highlight-accessible.theme",
                                     "assets/report-template.typ", "assets/ro-crate-1.1-context.jsonld"])
def test_every_file_claimpack_ships_is_an_input(tmp_path, shipped):
    code = tmp_path / "claimpack"
    shutil.copytree(Path(build_module.__file__).parents[1], code, ignore=shutil.ignore_patterns("__pycache__"))
    before = tool_digest(code)
    assert tool_digest(code) == before
    (code / "__pycache__").mkdir(exist_ok=True)
    (code / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"compiled")
    assert tool_digest(code) == before  # bytecode follows the code; it is not an input
    with (code / shipped).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert tool_digest(code) != before


def test_settings_are_inputs(package):
    root = Package.load(package)
    html = build_module.input_digest(root, package / "report", {"engine": "builtin", "formats": ["html"]})[0]
    both = build_module.input_digest(root, package / "report", {"engine": "builtin", "formats": ["html", "pdf"]})[0]
    assert html != both


def test_files_that_are_not_inputs_do_not_change_it(package):
    before = digest(package)
    (package / "NOTES.txt").write_text("a note beside the package\n", encoding="utf-8")
    (package / "report" / "references.bib").write_text("% generated\n", encoding="utf-8")
    (package / "report" / ".quarto").mkdir(exist_ok=True)  # a direct Quarto render of the source leaves one
    (package / "report" / ".quarto" / "cache").write_text("x", encoding="utf-8")
    assert digest(package) == before


def relocate_checks(root: Path) -> Path:
    """Move the suites and the exclusions out of validation/, and say where in the descriptor."""
    checks = root / "checks"
    checks.mkdir()
    (root / "validation" / "gx").rename(checks / "gx")
    (root / "validation" / "coverage-exclusions.csv").rename(checks / "exclusions.csv")
    shutil.rmtree(root / "validation")
    descriptor_path = root / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["claimpack"].update(expectations="checks/gx", exclusions="checks/exclusions.csv")
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return checks


@pytest.mark.parametrize("file", ["gx/expectations/claims.json", "gx/great_expectations.yml", "exclusions.csv"])
def test_suites_and_exclusions_configured_elsewhere_are_inputs(package, file):
    checks = relocate_checks(package)
    before = digest(package)
    with (checks / file).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert digest(package) != before


def test_a_folder_named_validation_is_not_an_input_unless_configured(package):
    relocate_checks(package)
    before = digest(package)
    (package / "validation").mkdir()
    (package / "validation" / "notes.txt").write_text("not the suites of this package\n", encoding="utf-8")
    assert digest(package) == before


# ---- end to end: the real build command ----------------------------------------------------------
def _build(root: Path) -> tuple[int, str]:
    result = run_claimpack("build", "--engine", "builtin", "--html-only", cwd=root, timeout=600)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


@pytest.mark.slow
def test_nothing_changed_rebuilds_nothing_and_a_one_character_edit_rebuilds(package):
    code, output = _build(package)
    assert code == 0 and "built " in output, output[-2000:]
    site = package / "_site"
    manifest = json.loads((site / "build.json").read_text(encoding="utf-8"))
    page = (site / "index.html").stat()

    code, output = _build(package)
    assert code == 0 and "up to date" in output
    assert (site / "index.html").stat().st_mtime_ns == page.st_mtime_ns
    assert json.loads((site / "build.json").read_text(encoding="utf-8")) == manifest

    # one character in a quote: still valid (white space is normalised), so it rebuilds
    apply_defect(package, {"edits": [{"file": "data/claims.csv", "find": "sales were accounted for almost",
                                      "replace": "sales were accounted  for almost"}]})
    code, output = _build(package)
    assert code == 0 and "built " in output and "up to date" not in output
    rebuilt = json.loads((site / "build.json").read_text(encoding="utf-8"))
    assert rebuilt["digest"] != manifest["digest"]
    assert rebuilt["inputs"]["data/claims.csv"] != manifest["inputs"]["data/claims.csv"]


@pytest.mark.slow
def test_a_damaged_output_is_rebuilt_not_served(package):
    code, output = _build(package)
    assert code == 0
    (package / "_site" / "index.html").write_text("truncated", encoding="utf-8")
    code, output = _build(package)
    assert code == 0 and "up to date" not in output
    assert (package / "_site" / "index.html").stat().st_size > 100_000


@pytest.mark.slow
def test_a_package_configured_elsewhere_rebuilds_after_its_suite_changes(package):
    checks = relocate_checks(package)
    code, output = _build(package)
    assert code == 0 and "built " in output, output[-2000:]
    code, output = _build(package)
    assert code == 0 and "up to date" in output
    suite = checks / "gx" / "expectations" / "claims.json"
    suite.write_text(suite.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # still the same suite to GX
    code, output = _build(package)
    assert code == 0 and "built " in output and "up to date" not in output, output[-2000:]
    manifest = json.loads((package / "_site" / "build.json").read_text(encoding="utf-8"))
    assert "checks/gx/expectations/claims.json" in manifest["inputs"]


@pytest.mark.slow
def test_a_build_never_writes_into_the_report_sources(package):
    """The bibliography and the engine's state go to a copy of report/; the package is only read."""
    from conftest import snapshot

    (package / "report" / "references.bib").unlink(missing_ok=True)
    before = snapshot(package / "report")
    code, output = _build(package)
    assert code == 0, output[-2000:]
    assert snapshot(package / "report") == before


@pytest.mark.slow
def test_a_link_among_the_report_sources_is_refused(package, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not the package's\n", encoding="utf-8")
    (package / "report" / "notes.txt").symlink_to(outside)
    code, output = _build(package)
    assert code == 2, output[-2000:]
    assert output.splitlines()[-1] == ("claimpack: report/notes.txt: the report's sources hold a link, which claimpack "
                                       "never follows (expected a regular file)")
    assert not (package / "_site").exists()
