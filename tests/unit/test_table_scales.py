"""A table that states its scale once ("(dollars in millions)", "($ thousands)", "(%)") gives its cells that
scale and unit: "$88.0" is 88,000,000 USD, in init's proposal and in validate's reading alike."""

from __future__ import annotations

import csv
import subprocess

import pytest

from claimpack.init.writer import init
from claimpack.text.reading import pandoc_path
from claimpack.text.tables import NONE, Scale, stated
from claimpack.validation.validate import validate


@pytest.mark.parametrize(("text", "scale"), [
    ("(dollars in millions)", Scale(1e6, "USD")),
    ("($ millions)", Scale(1e6, "USD")),
    ("(in billions of dollars)", Scale(1e9, "USD")),
    ("(Amounts in thousands)", Scale(1e3, None)),
    ("Dollars in thousands", Scale(1e3, "USD")),
    ("Table 4. Spending, millions of euros", Scale(1e6, "EUR")),
    ("Cost (£m)", Scale(1e6, "GBP")),
    ("Share (%)", Scale(1.0, "percent")),
    ("Table 3. The Two Million Homes Program", NONE),
    ("FY2022", NONE),
    ("Program", NONE),
])
def test_a_statement_of_scale_is_read_from_a_caption_or_a_column_head(text, scale):
    assert stated(text) == scale


PAPER = """---
title: Funding by the Table
author:
  - Ann Example
date: 2026-12-01
---

# Funding

Spending grew.

Table 1. Enacted funding, FY2024-FY2025

(dollars in millions)

| Program | FY2024 | FY2025 |
|---|---|---|
| Courts | $88.0 | $95.5 |

Table 2. Shares and costs

| Program | Share (%) | Cost ($ thousands) |
|---|---|---|
| Courts | 45 | 1,200 |

Table 3. The Two Million Homes Program

| Program | Towns |
|---|---|
| Homes | 5 |
"""


@pytest.fixture(scope="module", params=["md", "html"])
def package(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"scales-{request.param}")
    paper = directory / "paper.md"
    paper.write_text(PAPER, encoding="utf-8")
    if request.param == "html":  # the same tables as a web page writes them
        made = directory / "paper.html"
        subprocess.run([pandoc_path(), str(paper), "-s", "-o", str(made)], check=True)
        paper = made
    return init(paper, directory / "package").root


@pytest.mark.slow
def test_cells_take_their_tables_scale_and_unit_and_validate(package):
    with (package / "data" / "claims.csv").open(encoding="utf-8") as handle:
        cells = {row["figure"]: (row["value"], row["unit"]) for row in csv.DictReader(handle)
                 if "|" in row["quote"]}
    assert cells == {"$88.0": ("88000000", "USD"), "$95.5": ("95500000", "USD"), "45": ("45", "percent"),
                     "1,200": ("1200000", "USD"), "5": ("5", "count")}
    assert [p.line() for p in validate(package).errors] == []


@pytest.mark.slow
def test_validate_refuses_a_cell_value_read_without_its_scale_or_with_another(package):
    path = package / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",$88.0,88000000,", ",$88.0,88000,"), encoding="utf-8")
    try:
        found = [p for p in validate(package).errors if p.code == "value-mismatch"]
        assert len(found) == 1 and "value 88000 disagrees with figure '$88.0'" in found[0].message
    finally:
        path.write_text(text, encoding="utf-8")
