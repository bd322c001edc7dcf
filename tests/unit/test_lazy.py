"""Heavy dependencies load only when their step runs: the CLI, a no-op build and reading the package
never import Great Expectations, frictionless, pandas, Altair, vl-convert, Typst or pandoc."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, copy_package

HEAVY = ["great_expectations", "frictionless", "pandas", "altair", "vl_convert", "typst", "pypandoc", "numpy",
         "pyarrow", "openpyxl", "rdflib", "pyld"]


def imported_after(code: str, cwd=ROOT) -> list[str]:
    """Run code in a fresh interpreter and list the heavy modules it imported."""
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["claimpack", "claimpack.cli", "claimpack.model.package", "claimpack.text.paper",
                                    "claimpack.model.numbers", "claimpack.model.expressions", "claimpack.report",
                                    "claimpack.report.charts", "claimpack.model.domain", "claimpack.publish.build",
                                    "claimpack.validation.validate", "claimpack.render",
                                    "claimpack.model.bibliography", "claimpack.validation.layers.expectations",
                                    "claimpack.validation.layers.frictionless_layer", "claimpack.validation.results",
                                    "claimpack.model.intake", "claimpack.system.fault_points",
                                    "claimpack.system.deferred"])
def test_importing_a_module_imports_nothing_heavy(module):
    assert imported_after(f"import {module}") == []


def test_the_cli_help_imports_nothing_heavy():
    code = ("from click.testing import CliRunner\nfrom claimpack.cli import main\n"
            "assert CliRunner().invoke(main, ['--help']).exit_code == 0")
    assert imported_after(code) == []


def test_reading_the_package_and_the_paper_imports_nothing_heavy():
    code = ("from claimpack.report import Figures\nF = Figures.load('.')\n"
            "F.text('imet-training-funding-latam-2000-2017'); F.model.package.paper.blocks; F.model.checks")
    assert imported_after(code) == []


@pytest.mark.slow
def test_a_no_op_build_imports_nothing_heavy(tmp_path):
    root = copy_package(tmp_path / "package", ("datapackage.json", "data", "validation", "report"))
    first = subprocess.run([sys.executable, "-m", "claimpack", "build", "--engine", "builtin", "--html-only"],
                           cwd=root, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    code = ("from claimpack.publish.build import build\n"
            "result = build('.', engine='builtin', formats=('html',))\nassert not result.rebuilt")
    assert imported_after(code, cwd=root) == []
