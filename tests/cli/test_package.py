"""The package as published: valid for the official frictionless CLI and for claimpack, and described fully."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from claimpack.model.integrity import sha256
from claimpack.model.package import Package
from claimpack.text.paper import Paper
from conftest import ROOT, run_claimpack

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def test_official_frictionless_cli_validates_the_package():
    frictionless = shutil.which("frictionless", path=str(ROOT / ".venv" / "bin")) or shutil.which("frictionless")
    command = [frictionless] if frictionless else [sys.executable, "-m", "frictionless"]
    result = subprocess.run([*command, "validate", "datapackage.json"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "INVALID" not in result.stdout


@pytest.mark.slow
def test_claimpack_validates_the_package_with_every_layer():
    result = run_claimpack("validate", "--json", cwd=ROOT)
    report = json.loads(result.stdout)
    assert result.returncode == 0, [p for p in report["problems"] if p["severity"] == "error"]
    assert report["valid"] and report["errors"] == 0
    assert set(report["layers"]) == {"frictionless", "expectations", "provenance", "consistency", "coverage",
                                     "crosscheck"}
    assert report["layers"]["coverage"]["numbers"] > 90
    assert report["layers"]["provenance"]["claims"] >= 45 and report["layers"]["provenance"]["events"] >= 30


def test_descriptor_is_data_package_v2_with_everything_a_publisher_needs():
    assert DESCRIPTOR["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert re.fullmatch(r"\d+\.\d+\.\d+", DESCRIPTOR["version"])
    assert DESCRIPTOR["licenses"][0]["name"] == "CC-BY-4.0"
    assert DESCRIPTOR["contributors"] and DESCRIPTOR["sources"][0]["path"] == "data/source/paper.md"
    names = {r["name"] for r in DESCRIPTOR["resources"]}
    assert {"claims", "events", "sources", "footnotes", "citations", "checks", "paper"} <= names
    for resource in DESCRIPTOR["resources"]:
        path = ROOT / resource["path"]
        assert resource["hash"] == f"sha256:{sha256(path)}", resource["name"]
        assert resource["bytes"] == path.stat().st_size, resource["name"]
        for field in resource.get("schema", {}).get("fields", []):
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"
    paper = next(r for r in DESCRIPTOR["resources"] if r["name"] == "paper")
    assert "Crown" in paper["licenses"][0]["title"]


def test_csv_files_are_utf8_without_bom_with_lf_line_endings():
    for resource in DESCRIPTOR["resources"]:
        if resource.get("type") == "table":
            raw = (ROOT / resource["path"]).read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf"), resource["path"]
            assert b"\r\n" not in raw, resource["path"]
            raw.decode("utf-8")


def test_every_footnote_and_bibliography_entry_of_the_paper_is_recorded():
    package = Package.load(ROOT)
    paper = Paper.parse(package.paper_text, body_start="INTRODUCTION")
    assert sorted(row["number"] for row in package.rows("footnotes")) == sorted(paper.footnotes) == list(range(1, 74))
    entries = [b for b in paper.blocks if b.kind == "bibliography-entry"]
    listed = [row for row in package.rows("sources") if row.get("in_bibliography")]
    assert len(listed) == len(entries) == 37
    cited = {row["footnote"] for row in package.rows("citations")}
    assert cited == set(range(1, 74))


def test_the_ids_named_in_the_design_exist():
    package = Package.load(ROOT)
    claims = package.table("claims").by("id")
    assert claims["imet-training-funding-latam-2000-2017"]["value"] == 236_000_000
    assert claims["imet-training-funding-latam-2000-2017"]["figure"] == "\\$236 million"
    assert claims["imet-trainees-latam-2000-2017"]["qualifier"] == "more-than"
    dates = sorted(row["date"] for row in package.rows("events"))
    assert dates[0] == "1823-12-02" and dates[-1].startswith("2018")


def test_cells_may_hold_carriage_returns_and_unicode_line_separators(tmp_path):
    """Records end only at \\n, \\r or \\r\\n outside quotes, as the csv module expects; never inside a cell."""
    from claimpack.model.tables import read_table

    (tmp_path / "t.csv").write_bytes('id,note\na,"one\rtwo"\nb,x\u2028y\nc,page\x0cbreak\nd,next\x85line\n'
                                     .encode("utf-8"))
    fields = [{"name": "id", "type": "string"}, {"name": "note", "type": "string"}]
    table = read_table(tmp_path, {"name": "t", "path": "t.csv", "schema": {"fields": fields}})
    assert [(row["id"], row["note"]) for row in table.rows] == [
        ("a", "one\rtwo"), ("b", "x\u2028y"), ("c", "page\x0cbreak"), ("d", "next\x85line")]
    assert table.row_numbers == [2, 3, 4, 5]
    # a form feed (C0) and a next-line control (C1) stay in their cell, and are refused there
    assert [(p.row, p.field, p.code) for p in table.problems] == [(4, "note", "control-character"),
                                                                  (5, "note", "control-character")]
