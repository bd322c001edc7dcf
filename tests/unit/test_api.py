"""The Python API: `claimpack.load` gives the package model, `claimpack.validate` a report whose
problems each say their code, message, file, row, field and subject."""

from __future__ import annotations

import csv

import pytest

import claimpack
from claimpack.model.domain import Model
from claimpack.system.codes import known
from claimpack.system.problems import ClaimpackError, Problem, Subject
from conftest import ROOT


def test_load_gives_the_package_model():
    model = claimpack.load(ROOT)
    assert isinstance(model, Model)
    claim = model.claim("imet-training-funding-latam-2000-2017")
    assert claim.figure == "\\$236 million"
    assert claim.value == 236_000_000


def test_load_refuses_a_directory_without_a_package(tmp_path):
    with pytest.raises(ClaimpackError, match=r"datapackage\.json"):
        claimpack.load(tmp_path)


def test_validate_the_package_is_valid(package):
    report = claimpack.validate(package)
    assert report.valid
    assert not report.errors
    assert set(report.layers) == {"frictionless", "expectations", "provenance", "consistency", "coverage",
                                  "crosscheck"}
    assert report.recorded  # the findings defects.csv records are in the report, as recorded


def test_validate_a_loaded_model_or_package(package):
    model = claimpack.load(package)
    assert claimpack.validate(model, skip=["expectations"]).valid
    assert claimpack.validate(model.package, skip=["expectations"]).valid


def test_validate_a_broken_copy_names_the_problem(package):
    path = package / "data" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    row = next(index for index, cells in enumerate(rows) if cells[0] == "imet-training-funding-latam-2000-2017")
    rows[row][header.index("figure")] = "\\$237 million"  # not what the quote prints
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    report = claimpack.validate(package, skip=["expectations"])
    assert not report.valid
    problems = [p for p in report.errors if p.field == "figure" and p.layer == "provenance"]
    assert problems, [p.line() for p in report.errors]
    problem = problems[0]
    assert isinstance(problem, Problem)
    assert problem.file == "data/claims.csv" and problem.row == row + 1
    assert problem.code and problem.message
    assert isinstance(problem.subject, Subject)
    assert problem.subject.records == ("imet-training-funding-latam-2000-2017",)
    assert problem.subject.source and problem.subject.footnotes
    assert {"code", "message", "file", "row", "field", "subject"} <= set(problem.to_dict())
    assert all(known(p.layer, p.code) for p in report.problems), [(p.layer, p.code) for p in report.problems]


def test_validate_refuses_an_unknown_layer(package):
    with pytest.raises(ClaimpackError, match="unknown layer"):
        claimpack.validate(package, skip=["spelling"])


def test_a_problem_and_its_subject_survive_a_round_trip_through_json():
    problem = Problem("data/claims.csv", 4, "footnote", "cites the wrong work", "the work footnote 7 cites",
                      layer="crosscheck", code="footnote-source", severity="warning",
                      subject=Subject(records=("a-claim",), footnotes=(7,), source="smith-2001"))
    assert Problem.from_dict(problem.to_dict()) == problem


def test_reports_made_before_the_charts_moved_still_import_them():
    from claimpack import charts
    from claimpack.report import charts as moved

    assert charts is moved
