"""Units: read from the text (the vocabulary, else pint's registry), declared once in the descriptor.

A reviewer who finds a unit the package lacks adds it with one command; the schema enum and the
Great Expectations suites follow, and validate (frictionless and GX, for real) accepts the claim.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from claimpack.init.vocabulary import add_unit, sync
from claimpack.init.writer import init
from claimpack.model.numbers import parse_figure
from claimpack.model.units import code_of, read_unit
from claimpack.model.vocabulary import Vocabulary
from claimpack.system.problems import ClaimpackError
from claimpack.validation.validate import validate
from conftest import run_claimpack, snapshot

PAPER = """---
title: "Units in a Test Paper of Ours"
author:
  - Ann Example
date: 2024-05-01
---

# Results

Each game took 16 seconds and the whole run 10 minutes. The laptop had an Intel i7-8565U at 1.80GHz
with 16GB of memory, of which 7.6 GiB were free. The server drew 5.55 Watts on average. The grid
emitted 350 gCO2eq/kWh at 22 °C, and a battery held 3000 mAh. The engine was rated 2850 Elo.
"""


@pytest.mark.parametrize(("figure", "unit"), [
    ("1.80GHz", "GHz"), ("16GB", "GB"), ("7.6 GiB", "GiB"), ("5.55 Watts", "W"), ("3000 mAh", "mAh"),
    ("350 gCO2eq/kWh", "gCO2eq-per-kWh"), ("22 °C", "degC"), ("23.5℃", "degC"), ("400 MB/s", "MB-per-s"),
    ("30 seconds", "s"), ("4 MW", "MW"), ("4 mW", "mW")])
def test_a_unit_is_read_as_printed(figure, unit):
    assert parse_figure(figure).unit == unit


@pytest.mark.parametrize("token", ["in", "at", "fps", "K", "G", "D", "st", "th", "people", "extensions"])
def test_words_that_pint_would_misread_are_not_units(token):
    assert read_unit(token, Vocabulary()) is None
    assert read_unit(token, Vocabulary(), glued=True) is None or token in ("people", "extensions")


def test_codes_are_kebab_safe():
    assert [code_of(s) for s in ("°C", "MB/s", "µs", "gCO₂eq/kWh", "Ω")] == ["degC", "MB-per-s", "us",
                                                                            "gCO2eq-per-kWh", "ohm"]


def rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    source = tmp_path_factory.mktemp("paper") / "units.md"
    source.write_text(PAPER, encoding="utf-8")
    return init(source, tmp_path_factory.mktemp("packages") / "units").root


@pytest.mark.slow
def test_init_reads_units_and_declares_them_once(package):
    claims = {row["figure"]: row["unit"] for row in rows(package / "data" / "claims.csv")}
    assert claims == {"16 seconds": "s", "10 minutes": "min", "1.80GHz": "GHz", "16GB": "GB", "7.6 GiB": "GiB",
                      "5.55 Watts": "W", "350 gCO2eq/kWh": "gCO2eq-per-kWh", "22 °C": "degC", "3000 mAh": "mAh",
                      "2850": "count"}
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    units = descriptor["claimpack"]["units"]
    enum = next(f for r in descriptor["resources"] if r["name"] == "claims" for f in r["schema"]["fields"]
                if f["name"] == "unit")["constraints"]["enum"]
    assert set(enum) == set(units) and {"GHz", "GiB", "mAh", "gCO2eq-per-kWh", "degC"} <= set(units)
    assert units["GiB"] == "gibibyte" and units["mAh"] == "milliampere hour"
    assert sync(package) == ()  # what init writes is what the descriptor generates


@pytest.mark.slow
def test_a_unit_added_by_one_command_is_accepted_by_every_layer(package, tmp_path):
    root = tmp_path / "units"
    shutil.copytree(package, root)
    claims = root / "data" / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.split(",")[3] == "2850")
    claims.write_text(text.replace(line, line.replace(",count,", ",elo-points,")), encoding="utf-8")
    before = [p.line() for p in validate(root, skip=("crosscheck",)).errors]
    assert any("elo-points" in line and "data/claims.csv:" in line for line in before), before
    assert run_claimpack("rehash", str(root)).returncode != 0  # an unknown unit is not accepted by accident

    result = run_claimpack("vocabulary", "add-unit", "elo-points", "-p", str(root), "--description",
                           "Elo rating points", "--word", "Elo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("unit elo-points (Elo rating points) declared; wrote datapackage.json, "
                                    "validation/gx/expectations/claims.json")
    assert run_claimpack("rehash", str(root)).returncode == 0
    assert [p.line() for p in validate(root).errors] == []
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["claimpack"]["unit_words"]["Elo"] == "elo-points"
    assert Vocabulary.from_settings(descriptor["claimpack"]).unit_word("Elo") == "elo-points"


def test_an_enum_edited_apart_from_claimpack_units_is_one_line(package, tmp_path):
    root = tmp_path / "units"
    shutil.copytree(package, root)
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    field = next(f for r in descriptor["resources"] if r["name"] == "claims" for f in r["schema"]["fields"]
                 if f["name"] == "unit")
    field["constraints"]["enum"].append("furlongs")
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    lines = [p.line() for p in validate(root, skip=("expectations", "frictionless")).errors]
    assert lines == ["datapackage.json: resources[claims].schema.fields[unit].constraints.enum: the unit enum is "
                     "not the one claimpack.units declares (claimpack.units lacks furlongs) (expected the enum "
                     "generated from claimpack.units: declare a unit there, then run `claimpack vocabulary sync`, "
                     "or add it with `claimpack vocabulary add-unit`)"]


@pytest.mark.parametrize(("code", "words", "message"), [
    ("Elo points", (), "is not a unit code"), ("elo", ("GiB",), "already names unit GiB")])
def test_a_bad_unit_is_refused_and_nothing_is_written(package, tmp_path, code, words, message):
    root = tmp_path / "units"
    shutil.copytree(package, root)
    before = snapshot(root)
    with pytest.raises(ClaimpackError, match=message):
        add_unit(root, code, "", words)
    assert snapshot(root) == before


def test_a_unit_is_declared_whole_or_not_at_all(package, tmp_path, monkeypatch):
    """The descriptor and the regenerated suite are one write: when the second file cannot be prepared (a full
    disk), the first is not left changed either."""
    from claimpack.model import integrity

    root = tmp_path / "units"
    shutil.copytree(package, root)
    before = snapshot(root)
    prepared = []
    real = integrity._prepare

    def failing(path, data):
        prepared.append(path.name)
        if len(prepared) == 2:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(integrity, "_prepare", failing)
    with pytest.raises(OSError):
        add_unit(root, "furlongs", "", ("furlongs",))
    assert prepared == ["claims.json", "datapackage.json"]
    assert snapshot(root) == before


@pytest.mark.slow
def test_a_package_that_declared_no_units_keeps_its_enum_when_one_is_added(package, tmp_path):
    """Its schema's enum was its list of units: they are declared, with the new one, and nothing drifts."""
    from claimpack.init import suites
    from claimpack.model.mutation import Mutation

    root = tmp_path / "units"
    shutil.copytree(package, root)
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    enum = next(f for r in descriptor["resources"] if r["name"] == "claims" for f in r["schema"]["fields"]
                if f["name"] == "unit")["constraints"]["enum"]
    del descriptor["claimpack"]["units"]
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    change = Mutation(root)
    assert change.declare_unit("furlongs", suites=suites)
    change.commit()
    after = json.loads(path.read_text(encoding="utf-8"))
    assert list(after["claimpack"]["units"]) == [*enum, "furlongs"]
    assert after["claimpack"]["units"]["GiB"] == "gibibyte"
    assert not Mutation(root).declare_unit("furlongs", suites=suites)  # declared already: nothing to change
    assert [p.line() for p in validate(root, skip=("crosscheck",)).errors] == []


def test_the_command_says_so_when_the_unit_is_declared_already(package, tmp_path):
    root = tmp_path / "units"
    shutil.copytree(package, root)
    before = snapshot(root)
    result = run_claimpack("vocabulary", "add-unit", "GiB", "-p", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "unit GiB (gibibyte) was declared already: nothing written\n"
    assert snapshot(root) == before
