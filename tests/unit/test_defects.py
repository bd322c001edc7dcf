"""The paper's defects as data: read into the model, joined to the records and footnotes they concern."""

from __future__ import annotations

import csv

from claimpack.model.defects import BASES, KINDS, kind_label
from claimpack.model.domain import Model
from conftest import ROOT, copy_package, rehash_copy


def test_every_defect_is_read_with_its_records_footnotes_and_cited_work():
    model = Model.load(ROOT)
    by_id = {defect.id: defect for defect in model.defects}
    with (ROOT / "data" / "defects.csv").open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    assert len(by_id) == len(model.defects) == rows >= 32
    treaties = by_id["free-trade-treaties-are-partner-countries"]
    assert treaties.records == ("free-trade-treaties-latam-2018", "free-trade-treaties-us-2018")
    assert treaties.footnotes == (35,) and treaties.source is model.sources["tillerson-2018"]
    assert treaties.kind in KINDS and treaties.evidence_basis in BASES
    assert kind_label(treaties.kind) == "Misreported figure or fact"
    assert by_id["gilderhus-title-spacing"].footnotes == (7, 24, 26, 29, 32)
    assert {d.origin for d in model.defects} == {"cross-check", "review"}


def test_a_record_has_the_defects_naming_it_or_its_footnote():
    model = Model.load(ROOT)
    assert [d.id for d in model.defects_of(model.claim("free-trade-treaties-us-2018"))] == [
        "free-trade-treaties-are-partner-countries"]
    # footnote 65 backs the kidnappings: its two citation defects concern the claim without naming it
    assert [d.id for d in model.defects_of(model.claim("colombia-kidnappings-1999"))] == [
        "s-res-368-title-capitalisation", "s-res-368-cited-as-public-law"]
    assert "order-of-events" in {d.kind for d in model.defects_of(model.event("chapultepec-conference-1945"))}
    assert model.defects_of(model.claim("imet-training-funding-latam-2000-2017")) == []


def test_evidence_outside_the_paper_names_its_source():
    for defect in Model.load(ROOT).defects:
        if defect.evidence_basis in ("cited-work", "outside"):
            assert defect.evidence_source, defect.id
        assert defect.says and defect.correction and defect.evidence, defect.id


def test_a_package_without_a_defects_resource_has_none(tmp_path):
    import json

    root = copy_package(tmp_path / "package")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "defects"]
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    rehash_copy(root)
    model = Model.load(root)
    assert model.defects == [] and model.defects_of(model.claim("free-trade-treaties-us-2018")) == []
