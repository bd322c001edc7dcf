"""The validation pipeline: each check has one owner, so no finding needs settling afterwards.

The suites say only what the Table Schema cannot: claimpack.init.suites writes no expectation
that restates the schema (frictionless's) or a check provenance or consistency make in full.
The reader owns unreadable files and cells frictionless accepts, and no later layer judges them.
"""

from __future__ import annotations

import json

import pytest

from claimpack.init.suites import owner, restates_schema
from claimpack.model.intake import Intake
from claimpack.model.package import Package
from claimpack.validation.layers import LAYERS, NAMES
from claimpack.validation.validate import validate
from conftest import ROOT, apply_defect, copy_package, load_defects

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
CLAIMS = RESOURCES["claims"]
PARAMETERS = {"paper_year": 2020}
BY_UNIT = {"type": "comparison", "column": {"name": "unit"}, "operator": "==", "parameter": "percent"}


@pytest.mark.parametrize(("kind", "kwargs"), [
    ("expect_column_values_to_not_be_null", {"column": "measure"}),
    ("expect_column_values_to_be_unique", {"column": "id"}),
    ("expect_column_values_to_match_regex", {"column": "place", "regex": "^([A-Z]{2}|[0-9]{3})$"}),
    ("expect_column_values_to_be_in_set", {"column": "unit", "value_set": [
        "USD", "USD-per-day", "persons", "jobs", "count", "percent", "per-100k", "nautical-miles", "words", "rank",
        "decades", "EUR"]}),
    ("expect_column_values_to_be_in_set", {"column": "source_id", "value_set": {"$PARAMETER": "source_ids"}}),
    ("expect_column_values_to_be_between", {"column": "paragraph", "min_value": 1}),
    ("expect_column_values_to_be_between", {"column": "period_start", "min_value": 1800,
                                            "max_value": {"$PARAMETER": "paper_year"}}),
    ("expect_table_columns_to_match_set", {"column_set": [f["name"] for f in CLAIMS["schema"]["fields"]]}),
])
def test_an_expectation_that_restates_the_schema_is_frictionless(kind, kwargs):
    assert restates_schema(CLAIMS, kind, kwargs, PARAMETERS)
    assert owner("claims", CLAIMS, kind, kwargs, PARAMETERS) == "frictionless"


@pytest.mark.parametrize(("kind", "kwargs"), [
    ("expect_column_values_to_be_between", {"column": "value", "min_value": 0, "max_value": 100,
                                            "row_condition": BY_UNIT}),
    ("expect_column_values_to_be_between", {"column": "paragraph", "min_value": 2}),  # narrower than the schema
    ("expect_column_values_to_be_in_set", {"column": "unit", "value_set": ["USD", "percent"]}),  # narrower
    ("expect_column_values_to_match_regex", {"column": "measure", "regex": r"\S"}),
    ("expect_column_values_to_not_be_null", {"column": "locator"}),  # not required by the schema
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "period_end", "column_B": "period_start"}),
])
def test_an_expectation_the_schema_does_not_say_is_gxs(kind, kwargs):
    assert owner("claims", CLAIMS, kind, kwargs, PARAMETERS) is None


@pytest.mark.parametrize(("table", "kwargs", "layer"), [
    ("claims", {"column": "figure", "regex": "[0-9]"}, "provenance"),
    ("claims", {"column_A": "value", "column_B": "value_min"}, "provenance"),
    ("citations", {"column": "ibid_of", "row_condition": {"type": "comparison", "column": {"name": "ibid"},
                                                          "operator": "==", "parameter": True}}, "provenance"),
    ("checks", {"column": "expression", "regex": "=="}, "consistency"),
])
def test_an_expectation_about_a_column_another_layer_checks_in_full_is_that_layers(table, kwargs, layer):
    assert owner(table, RESOURCES[table], "expect_column_values_to_match_regex", kwargs, PARAMETERS) == layer


def test_a_suite_names_the_owner_of_a_check_another_layer_makes_with_more_to_say():
    """The generator's own expectation for a century's first year names provenance, which checks it in full."""
    century = {"type": "expect_column_values_to_match_regex",
               "kwargs": {"column": "date", "regex": "^[0-9]{2}01$",
                          "row_condition": {"type": "comparison", "column": {"name": "date_precision"},
                                            "operator": "==", "parameter": "century"}},
               "meta": {"expected": "the century's first year, YY01 (1901 for the twentieth)", "owner": "provenance"}}
    assert owner("events", RESOURCES["events"], century["type"], century["kwargs"], PARAMETERS,
                 century["meta"]) == "provenance"
    assert owner("events", RESOURCES["events"], century["type"], century["kwargs"], PARAMETERS) is None


def test_every_layer_says_what_it_owns():
    assert NAMES == ("frictionless", "expectations", "provenance", "consistency", "coverage", "crosscheck")
    assert all(layer.owns for layer in LAYERS)


def _defect(name: str) -> dict:
    return next(defect for found, defect in load_defects() if found == name)


def test_the_committed_suites_restate_no_other_layers_check():
    """What GX runs is only what frictionless, provenance and consistency cannot say (as the generator
    judges it: before any parameter, such as the paper's year, is known)."""
    for path in sorted((ROOT / "validation/gx/expectations").glob("*.json")):
        table = path.stem
        for item in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            assert owner(table, RESOURCES[table], item["type"], item["kwargs"], {}, item["meta"]) is None, \
                (table, item["type"], item["kwargs"])


@pytest.mark.slow
def test_a_duplicate_id_is_frictionless_alone_and_gx_adds_nothing(tmp_path):
    root = copy_package(tmp_path / "package")
    apply_defect(root, _defect("duplicate-id"))
    every = validate(root, skip=["provenance", "consistency", "coverage", "crosscheck"])
    assert [(p.layer, p.row, p.field) for p in every.errors] == [("frictionless", 35, "id")]
    alone = validate(root, skip=["frictionless", "provenance", "consistency", "coverage", "crosscheck"])
    assert alone.errors == [] and alone.layers["expectations"]["expectations"] > 0


def test_the_reader_reports_what_frictionless_accepts_and_leaves_types_to_it(tmp_path):
    root = copy_package(tmp_path / "package")
    apply_defect(root, _defect("nan-value"))  # frictionless reads NaN as a number
    apply_defect(root, _defect("footnote-not-an-integer"))  # frictionless says '53a' is not an integer
    intake = Intake.read(Package.load(root))
    assert [(p.row, p.field, p.code) for p in intake.problems] == [(36, "value", "not-finite")]
    assert intake.cells == {("data/claims.csv", 36, "value"), ("data/claims.csv", 36, "footnote")}


def test_no_later_layer_judges_a_cell_the_reader_could_not_read(tmp_path):
    root = copy_package(tmp_path / "package")
    apply_defect(root, _defect("footnote-not-an-integer"))
    report = validate(root, skip=["expectations"])
    assert [(p.layer, p.field) for p in report.errors] == [("frictionless", "footnote")]


def test_with_frictionless_skipped_the_reader_reports_the_types_it_could_not_read(tmp_path):
    root = copy_package(tmp_path / "package")
    apply_defect(root, _defect("footnote-not-an-integer"))
    report = validate(root, skip=["frictionless", "expectations"])
    assert [(p.layer, p.row, p.field, p.message) for p in report.errors] == [
        ("input", 36, "footnote", "'53a' is not an integer")]


def test_frictionless_in_this_process_says_what_its_child_says(tmp_path):
    """The known-bad corpus runs frictionless in-process: it must be the same verdict as the child's."""
    import time

    from claimpack.validation.layers import frictionless_layer

    root = copy_package(tmp_path / "package")
    apply_defect(root, _defect("broken-foreign-key"))
    apply_defect(root, _defect("csv-extra-cells"))
    started = time.perf_counter()
    child, _ = frictionless_layer.finish(frictionless_layer.start(root), started)
    here, _ = frictionless_layer.finish(frictionless_layer.InProcess(root), started)
    assert here == child and {p.code for p in child} == {"foreign-key", "extra-cell"}


@pytest.mark.slow
def test_the_benchmarks_synthetic_package_is_valid(tmp_path):
    """The benchmark times a package every layer passes: a generator behind the schema would time errors."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    synthetic.generate(500, tmp_path / "synthetic")
    report = validate(tmp_path / "synthetic")
    assert report.valid and not report.warnings, [p.line() for p in report.problems[:5]]
