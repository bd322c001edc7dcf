"""`claimpack export`, every format, run for real on the real package and checked by the tools that read it."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import warnings
from pathlib import Path

import pytest

from claimpack.model.integrity import sha256
from claimpack.model.package import Package
from claimpack.publish.linked_data import document_loader
from conftest import ROOT, copy_package, run_claimpack, snapshot

SCHEMA = "http://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
CLAIM, EVENT = "fms-sales-latam-2010-2015", "monroe-doctrine-speech-1823"
PACKAGE = Package.load(ROOT)
CLAIM_IDS = [row["id"] for row in PACKAGE.rows("claims")]
TABLES = [r["name"] for r in PACKAGE.descriptor["resources"] if r.get("type") == "table"]


def export(fmt: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    result = run_claimpack("export", fmt, *args, cwd=cwd)
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def verified(tmp_path) -> Path:
    """A copy of the package with verdicts on one claim (twice) and one event."""
    root = copy_package(tmp_path / "package")
    for record, verdict, note, extra in (
            (CLAIM, "disputed", "Page 81 gives a different total", ()),
            (CLAIM, "corrected", "Page 81 gives $2.2 billion", ("--value", "2200000000", "--evidence",
                                                                 "https://www.wola.org/analysis/")),
            (EVENT, "confirmed", "Gilderhus, page 9", ())):
        done = run_claimpack("verify", record, "--verdict", verdict, "--by", "R. Checker", "--note", note, *extra,
                             cwd=root)
        assert done.returncode == 0, done.stderr
    return root


# ---- csv and json -----------------------------------------------------------------------------
def test_csv_flattens_every_claim_with_its_provenance(verified):
    result = export("csv", cwd=verified)
    assert result.returncode == 0, result.stderr
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in records] == CLAIM_IDS
    imet = next(r for r in records if r["id"] == "imet-training-funding-latam-2000-2017")
    assert imet["value"] == "236000000" and imet["footnote"] == "53"
    assert imet["footnote_text"] == "*Ibid.*, 104." and imet["cited_as"] == "*Ibid.*, 104"
    assert imet["cited_ibid_of"] == "52" and imet["locator"] == "104"
    assert imet["source_title"].startswith("Putting the Pieces Together")
    assert imet["source_url"].startswith("https://www.wola.org/")
    assert imet["verdict"] == "" and imet["verifications"] == "0"
    fms = next(r for r in records if r["id"] == CLAIM)
    assert (fms["verdict"], fms["verdict_value"], fms["verifications"]) == ("corrected", "2200000000", "2")
    assert fms["verdict_evidence"] == "https://www.wola.org/analysis/"


@pytest.mark.slow
def test_json_has_the_same_records_as_csv(verified):
    records = json.loads(export("json", cwd=verified).stdout)
    flat = list(csv.DictReader(io.StringIO(export("csv", cwd=verified).stdout)))
    assert [r["id"] for r in records] == CLAIM_IDS and list(records[0]) == list(flat[0])

    def as_csv(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    differing = [(record["id"], key, value, row[key]) for record, row in zip(records, flat, strict=True)
                 for key, value in record.items() if as_csv(value) != row[key]]
    assert differing == []
    fms = next(r for r in records if r["id"] == CLAIM)
    assert fms["value"] == 2300000000 and fms["verdict"] == "corrected" and fms["verdict_value"] == 2200000000
    assert fms["source_in_bibliography"] is True


DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
             "\tleading tab", " =1+1 after a space", "\n@SUM(1) after a line break",
             "\u00a0-1+1 after a no-break space"]


def test_every_formula_start_is_neutralised_and_nothing_else():
    from claimpack.publish.export import neutralise

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("236 million") == "236 million" and neutralise(-2.5) == -2.5 and neutralise(None) is None


@pytest.mark.slow
def test_spreadsheets_neutralise_formula_injection(tmp_path):
    root = copy_package(tmp_path / "package")
    path = root / "data" / "claims.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = list(rows[0])
    for row, text in zip(rows, DANGEROUS):
        row["note"] = text
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")

    assert export("csv", "-o", str(tmp_path / "out.csv"), cwd=root).returncode == 0
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:  # keep the carriage return
        exported = list(csv.DictReader(handle))
    assert [r["note"] for r in exported[:len(DANGEROUS)]] == ["'" + text for text in DANGEROUS]
    assert exported[0]["value"] == "5154", "numbers stay numbers"

    from openpyxl import load_workbook

    assert export("xlsx", "-o", str(tmp_path / "out.xlsx"), cwd=root).returncode == 0
    sheet = load_workbook(tmp_path / "out.xlsx")["claims"]
    column = [c.value for c in sheet[1]].index("note") + 1
    assert [sheet.cell(row=n + 2, column=column).value for n in range(len(DANGEROUS))] == [
        "'" + text for text in DANGEROUS]
    workbook = load_workbook(tmp_path / "out.xlsx")
    assert not [c.coordinate for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]


# ---- sqlite -----------------------------------------------------------------------------------
def _as_sql(value):
    return int(value) if isinstance(value, bool) else value


def test_sqlite_loads_back_to_the_same_rows_with_keys_and_types(verified, tmp_path):
    database = tmp_path / "claims.db"
    result = export("sqlite", "-o", str(database), cwd=verified)
    assert result.returncode == 0, result.stderr
    package = Package.load(verified)
    connection = sqlite3.connect(database)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {*TABLES, "paper"}
        for name in TABLES:
            table = package.table(name)
            columns = [f["name"] for f in table.fields]
            quoted = ", ".join(f'"{c}"' for c in columns)
            loaded = connection.execute(f'SELECT {quoted} FROM "{name}" ORDER BY rowid').fetchall()
            assert loaded == [tuple(_as_sql(row.get(c)) for c in columns) for row in table.rows], name
        assert len(connection.execute('SELECT * FROM "verifications"').fetchall()) == 3
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        info = {row[1]: (row[2], row[5]) for row in connection.execute('PRAGMA table_info("claims")')}
        assert info["id"] == ("TEXT", 1) and info["value"] == ("REAL", 0) and info["paragraph"] == ("INTEGER", 0)
        keys = {row[1]: row[5] for row in connection.execute('PRAGMA table_info("citations")') if row[5]}
        assert keys == {"footnote": 1, "position": 2}
        foreign = sorted((row[2], row[3], row[4]) for row in connection.execute('PRAGMA foreign_key_list("claims")'))
        assert foreign == [("footnotes", "footnote", "number"), ("sources", "source_id", "id")]
        lines = [text for (text,) in connection.execute('SELECT "text" FROM "paper" ORDER BY "line"')]
        assert "\n".join(lines) == package.paper_text
    finally:
        connection.close()


@pytest.mark.slow
def test_binary_formats_need_a_file_and_writes_are_atomic(tmp_path):
    for fmt in ("sqlite", "xlsx"):
        result = export(fmt)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.splitlines() == [
            f"claimpack: {fmt} is a binary format: give a file with -o (claimpack export {fmt} -o FILE)"]
    target = tmp_path / "out" / "claims.db"
    target.parent.mkdir()
    target.write_bytes(b"a file claimpack did not write")
    assert export("sqlite", "-o", str(target)).returncode == 2, "an unmarked file is not replaced"
    assert target.read_bytes() == b"a file claimpack did not write"
    assert export("sqlite", "-o", str(target), "--force").returncode == 0
    assert target.read_bytes().startswith(b"SQLite format 3")
    assert [p.name for p in target.parent.iterdir()] == ["claims.db"], "no temporary file is left behind"
    before = snapshot(tmp_path)
    refused = export("csv", "-o", str(tmp_path / "out"))
    assert refused.returncode == 2 and snapshot(tmp_path) == before


def test_an_export_never_overwrites_the_package(tmp_path):
    root = copy_package(tmp_path / "package")
    before = snapshot(root)
    for fmt, target in (("csv", "data/claims.csv"), ("json", "datapackage.json"), ("sqlite", "data/checks.csv")):
        result = export(fmt, "-o", target, cwd=root)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [
            f"claimpack: refusing to write -o {target}: it is a file of the package "
            "(expected a new path outside the package's files)"]
    assert snapshot(root) == before


def test_xlsx_has_one_sheet_per_resource(tmp_path):
    from openpyxl import load_workbook

    assert export("xlsx", "-o", str(tmp_path / "package.xlsx")).returncode == 0
    workbook = load_workbook(tmp_path / "package.xlsx")
    assert workbook.sheetnames == TABLES
    for name in TABLES:
        sheet = workbook[name]
        table = PACKAGE.table(name)
        assert [c.value for c in sheet[1]] == [f["name"] for f in table.fields]
        assert sheet.max_row == len(table.rows) + 1
    assert workbook["claims"].cell(row=2, column=5).value == 5154


# ---- the bibliography through pandoc's citeproc -------------------------------------------------
@pytest.mark.parametrize(("fmt", "suffix"), [("csl-json", "json"), ("bibtex", "bib")])
def test_pandoc_citeproc_accepts_the_bibliography(tmp_path, fmt, suffix):
    import pypandoc

    bibliography = tmp_path / f"references.{suffix}"
    assert export(fmt, "-o", str(bibliography)).returncode == 0
    keys = [row["id"] for row in PACKAGE.rows("sources")]
    text = "\n\n".join(f"Claim [@{key}]." for key in keys) + "\n"
    done = subprocess.run([pypandoc.get_pandoc_path(), "--citeproc", "--bibliography", str(bibliography),
                           "--csl", str(ROOT / "report" / "chicago-note-bibliography.csl"), "-f", "markdown",
                           "-t", "plain"], input=text, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "not found" not in done.stderr and "WARNING" not in done.stderr, done.stderr
    out = " ".join(done.stdout.split())
    assert "Putting the Pieces Together" in out and "The Killing Zone" in out
    assert "Isacson" in out and "Kinosian" in out


# ---- JSON-LD ----------------------------------------------------------------------------------
def graph(document: dict):
    """Expand with the bundled contexts only (no network) and load the triples into rdflib."""
    import rdflib
    from pyld import jsonld

    options = {"documentLoader": document_loader, "format": "application/n-quads",
               "base": "https://example.org/package/"}
    with warnings.catch_warnings():  # pyld on RO-Crate's "@label" term; rdflib's own deprecations
        warnings.simplefilter("ignore")
        quads = jsonld.to_rdf(document, options)
        loaded = rdflib.Graph()
        loaded.parse(data=quads, format="nquads")
    return loaded


def one(g, subject, predicate):
    import rdflib

    values = list(g.objects(subject, rdflib.URIRef(predicate)))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_claimreview_for_each_verified_claim(verified):
    import rdflib

    result = export("claimreview", cwd=verified)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["@context"] == "https://schema.org"
    g = graph(document)
    reviews = [r for r in g.subjects(rdflib.RDF.type, rdflib.URIRef(SCHEMA + "ClaimReview"))
               if "/verification/" in str(one(g, r, SCHEMA + "identifier"))]
    assert len(reviews) == 1, "one review per claim with a verdict; the event is not a claim"
    review = reviews[0]
    assert str(one(g, review, SCHEMA + "url")) == f"https://github.com/claimpack/samanez-2020#claim-{CLAIM}"
    assert str(one(g, review, SCHEMA + "claimReviewed")).startswith("sales were accounted for almost $2.3 billion")
    assert str(one(g, review, SCHEMA + "datePublished"))[:2] == "20"
    author = one(g, review, SCHEMA + "author")
    assert str(one(g, author, SCHEMA + "name")) == "R. Checker"
    rating = one(g, review, SCHEMA + "reviewRating")
    assert str(one(g, rating, SCHEMA + "alternateName")) == "Corrected", "the latest verdict"
    assert int(one(g, rating, SCHEMA + "ratingValue")) == 3
    assert (int(one(g, rating, SCHEMA + "bestRating")), int(one(g, rating, SCHEMA + "worstRating"))) == (5, 1)
    claim = one(g, review, SCHEMA + "itemReviewed")
    assert (claim, rdflib.RDF.type, rdflib.URIRef(SCHEMA + "Claim")) in g
    appearance = one(g, claim, SCHEMA + "firstAppearance")
    assert str(one(g, appearance, SCHEMA + "name")).startswith("U.S. Collective Security Programs")
    assert str(one(g, one(g, claim, SCHEMA + "author"), SCHEMA + "name")) == "Sandro Samanez"
    assert str(one(g, claim, SCHEMA + "datePublished")) == "2020"
    assert str(one(g, one(g, review, SCHEMA + "isBasedOn"), SCHEMA + "url")) == "https://www.wola.org/analysis/"


def test_claimreview_without_verdicts_reviews_the_claims_the_papers_defects_concern():
    import rdflib

    document = json.loads(export("claimreview").stdout)
    assert document["@context"] == "https://schema.org"
    assert sorted(review["identifier"] for review in document["@graph"]) == [
        "blaine-conference-objectives-1889/defect/blaine-called-under-secretary",
        "free-trade-treaties-latam-2018/defect/free-trade-treaties-are-partner-countries",
        "free-trade-treaties-us-2018/defect/free-trade-treaties-are-partner-countries",
        "us-spanish-speaking-population-rank/defect/spanish-speaking-omitted",
    ], "defects of substance only (not a citation's form or a misprint), and claims only (not events)"
    g = graph(document)
    review = next(r for r in g.subjects(rdflib.RDF.type, rdflib.URIRef(SCHEMA + "ClaimReview"))
                  if str(one(g, r, SCHEMA + "identifier")).startswith("free-trade-treaties-us-2018/"))
    assert str(one(g, review, SCHEMA + "url")).endswith("#claim-free-trade-treaties-us-2018")
    assert str(one(g, one(g, review, SCHEMA + "author"), SCHEMA + "name")) == "claimpack developers"
    rating = one(g, review, SCHEMA + "reviewRating")
    assert str(one(g, rating, SCHEMA + "alternateName")) == "Misreported figure or fact"
    assert "partner countries, not treaties" in str(one(g, rating, SCHEMA + "ratingExplanation"))
    assert "12 of those countries are in the Western Hemisphere" in str(one(g, review, SCHEMA + "reviewBody"))
    assert str(one(g, one(g, review, SCHEMA + "isBasedOn"), SCHEMA + "url")) == \
        "https://tnsr.org/2018/02/u-s-engagement-western-hemisphere/"
    claim = one(g, review, SCHEMA + "itemReviewed")
    assert str(one(g, claim, SCHEMA + "text")).startswith("holding 12 of the 20 free trade treaties")


def test_ro_crate_wraps_the_package_with_prov_for_every_claim(tmp_path):
    import rdflib

    result = export("ro-crate")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["@context"][0] == "https://w3id.org/ro/crate/1.1/context"
    base = "https://example.org/package/"
    g = graph(document)
    metadata, root = rdflib.URIRef(base + "ro-crate-metadata.json"), rdflib.URIRef(base)
    assert (metadata, rdflib.RDF.type, rdflib.URIRef(SCHEMA + "CreativeWork")) in g
    assert str(one(g, metadata, "http://purl.org/dc/terms/conformsTo")) == "https://w3id.org/ro/crate/1.1"
    assert one(g, metadata, SCHEMA + "about") == root
    assert (root, rdflib.RDF.type, rdflib.URIRef(SCHEMA + "Dataset")) in g
    for required in ("name", "description", "datePublished", "license"):
        one(g, root, SCHEMA + required)
    parts = {str(p).removeprefix(base) for p in g.objects(root, rdflib.URIRef(SCHEMA + "hasPart"))}
    assert parts == {"datapackage.json", *(r["path"] for r in PACKAGE.descriptor["resources"])}
    for resource in PACKAGE.descriptor["resources"]:
        node = rdflib.URIRef(base + resource["path"])
        assert (node, rdflib.RDF.type, rdflib.URIRef(SCHEMA + "MediaObject")) in g  # RO-Crate's File
        assert str(one(g, node, SCHEMA + "sha256")) == sha256(ROOT / resource["path"])
        assert int(one(g, node, SCHEMA + "contentSize")) == (ROOT / resource["path"]).stat().st_size
    paper = rdflib.URIRef(base + "data/source/paper.md")
    claims = list(g.subjects(rdflib.RDF.type, rdflib.URIRef(SCHEMA + "Claim")))
    assert len(claims) == len(CLAIM_IDS)
    for row in PACKAGE.rows("claims"):
        node = rdflib.URIRef(base + "#claim-" + row["id"])
        assert one(g, node, PROV + "wasQuotedFrom") == paper
        primary = one(g, node, PROV + "hadPrimarySource")
        if row["source_id"] == "samanez-2020":
            assert primary == paper, "the author's own figures come from the paper itself"
        else:
            assert primary == rdflib.URIRef(base + "#source-" + row["source_id"])
            assert str(one(g, primary, SCHEMA + "identifier")) == row["source_id"]
    imet = rdflib.URIRef(base + "#claim-imet-training-funding-latam-2000-2017")
    work = one(g, imet, PROV + "hadPrimarySource")
    assert str(one(g, work, SCHEMA + "name")).startswith("Putting the Pieces Together")
    assert str(one(g, imet, SCHEMA + "pagination")) == "104"
    # written to the package root it is the package's RO-Crate metadata file
    target = tmp_path / "ro-crate-metadata.json"
    assert export("ro-crate", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8")) == document


def test_the_loader_serves_only_bundled_contexts():
    from claimpack.system.problems import ClaimpackError

    assert "@context" in document_loader("https://schema.org")["document"]
    assert document_loader("https://w3id.org/ro/crate/1.1/context")["document"]["version"] == "1.1.3"
    with pytest.raises(ClaimpackError):
        document_loader("https://example.org/context.jsonld")


# ---- spreadsheet safety: values, header cells and sheet names --------------------------------
def test_header_cells_and_sheet_names_cannot_run_or_break(tmp_path):
    import json as json_module

    from openpyxl import load_workbook

    from claimpack.publish.export import sheet_title

    root = copy_package(tmp_path / "package")
    descriptor = json_module.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    checks = next(r for r in descriptor["resources"] if r["name"] == "checks")
    checks["name"] = "=HYPERLINK(\"http://x\")"
    field = checks["schema"]["fields"][-1]
    header_before = field["name"]
    field["name"] = "@SUM(A1)"
    descriptor["title"] = "Title with \x1b[2J a control"
    text = (root / "data" / "checks.csv").read_text(encoding="utf-8")
    (root / "data" / "checks.csv").write_text(text.replace(header_before, "@SUM(A1)", 1), encoding="utf-8")
    (root / "datapackage.json").write_text(json_module.dumps(descriptor), encoding="utf-8")
    target = tmp_path / "out.xlsx"
    result = export("xlsx", "-o", str(target), cwd=root)
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(target)
    sheet = workbook[sheet_title(checks["name"], set())]
    header = [cell.value for cell in sheet[1]]
    assert "'@SUM(A1)" in header and "@SUM(A1)" not in header
    assert all(not str(name).startswith(("=", "+", "-", "@")) for name in workbook.sheetnames)
    assert all(cell.data_type == "s" for cell in sheet[1])
    assert workbook.properties.title.startswith("Title with \\x1b[2J")


@pytest.mark.parametrize(("name", "used", "expected"), [
    ("claims", set(), "claims"),
    ("a/b:c*d?e[f]g\\h", set(), "a-b-c-d-e-f-g-h"),
    ("'quoted'", set(), "quoted"),
    ("History", set(), "history-"),
    ("x" * 40, set(), "x" * 31),
    ("Claims", {"claims"}, "Claims-2"),
    ("\x00\x1b", set(), "sheet"),
])
def test_sheet_titles_excel_accepts(name, used, expected):
    from claimpack.publish.export import sheet_title

    assert sheet_title(name, used) == expected
