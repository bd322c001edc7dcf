"""Layer 2: the committed Great Expectations suites, run for real on copies of the package.

Each defect test copies the real package into tmp_path, edits one cell and asserts the exact
problems GX reports. The rows edited are chosen from the real data by what they are (a percent
claim with no bounds, ...), so the tests follow the data as it grows.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimpack.model.package import Package
from claimpack.system.problems import Problem
from claimpack.validation.layers import expectations as layer

REPO = Path(__file__).resolve().parents[2]
GX = REPO / "validation" / "gx"
RESOURCES = ("claims", "events", "sources", "footnotes", "citations", "checks", "verifications", "defects")
CLAIMS = "data/claims.csv"
BETWEEN = "expect_column_values_to_be_between"


def committed_expectation_count() -> int:
    return sum(len(json.loads((GX / "expectations" / f"{name}.json").read_text())["expectations"])
               for name in RESOURCES)


def make_package(root: Path) -> Path:
    """Copy what layer 2 reads of the real package: the descriptor, the data and the GX project."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "datapackage.json", root / "datapackage.json")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(GX, root / "validation" / "gx",
                    ignore=shutil.ignore_patterns("uncommitted", "__pycache__"))
    return root


def read_rows(root: Path, rel: str) -> tuple[list[str], list[dict]]:
    with (root / rel).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(root: Path, rel: str, header: list[str], rows: list[dict]) -> None:
    with (root / rel).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def pick(rows: list[dict], test) -> tuple[int, dict]:
    """The first row meeting `test`, with its frictionless row number (header is row 1)."""
    for index, row in enumerate(rows):
        if test(row):
            return index + 2, row
    raise AssertionError("the package has no row of the kind this test edits; pick another")


def edit(root: Path, rel: str, test, **cells) -> tuple[int, dict]:
    """Set cells of the first row meeting `test`; return its row number and original values."""
    header, rows = read_rows(root, rel)
    number, row = pick(rows, test)
    original = dict(row)
    row.update(cells)
    write_rows(root, rel, header, rows)
    return number, original


def run(root: Path, docs: Path | None = None) -> tuple[list[Problem], dict]:
    return layer.check(Package.load(root), docs)


def expected(row, field, message, expected_text, code):
    return Problem(CLAIMS, row, field, message, expected_text, layer="expectations", code=code)


def plain(row: dict, *empty: str) -> bool:
    return all(not row[name] for name in empty)


def left_to(package: Path, layer_name: str, rel: str, row: int, field: str) -> None:
    """The suites say nothing of a check another layer owns: GX reports nothing, that layer reports it."""
    from claimpack.validation import LAYER_NAMES
    from claimpack.validation.validate import validate

    problems, _ = run(package)
    assert problems == []
    report = validate(package, skip=[name for name in LAYER_NAMES if name != layer_name])  # that layer alone
    found = {(p.layer, p.file, p.row, p.field) for p in report.errors}
    assert (layer_name, rel, row, field) in found, sorted(found)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return make_package(tmp_path / "package")


# ---- the real package -------------------------------------------------------------------------
def test_the_real_package_meets_every_expectation():
    problems, summary = layer.check(Package.load(REPO))
    assert problems == []
    assert summary["suites"] == 8
    assert summary["expectations"] == committed_expectation_count()
    assert summary["failed"] == 0
    assert summary["docs"] is None


@pytest.mark.slow
def test_the_committed_suites_match_the_descriptor():
    done = subprocess.run([sys.executable, str(GX / "build_suites.py"), "--check"],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


# ---- one defect each: the exact problems ------------------------------------------------------
@pytest.mark.slow
def test_a_percent_above_100(package):
    row, _ = edit(package, CLAIMS, lambda r: r["unit"] == "percent" and plain(r, "value_min", "value_max"),
                  value="188")
    problems, summary = run(package)
    assert problems == [expected(row, "value", "value 188 is outside 0..100 for unit percent",
                                 "0 <= value <= 100", BETWEEN)]
    assert summary["failed"] == 1


def test_a_negative_usd_value(package):
    row, _ = edit(package, CLAIMS, lambda r: r["unit"] == "USD" and plain(r, "value_min", "value_max"),
                  value="-5")
    problems, _ = run(package)
    assert problems == [expected(row, "value", "value -5 is outside 0..1e14 for unit USD",
                                 "0 <= value <= 1e14", BETWEEN)]


def test_a_period_start_after_its_end(package):
    row, original = edit(package, CLAIMS, lambda r: r["period_start"] and r["period_end"] < "2020",
                         period_start="2020")
    problems, _ = run(package)
    assert problems == [expected(row, "period_end", f"period_end {original['period_end']} is less than "
                                 "period_start 2020", "period_end >= period_start",
                                 "expect_column_pair_values_a_to_be_greater_than_b")]


@pytest.mark.slow
def test_a_duplicate_id(package):
    header, rows = read_rows(package, CLAIMS)
    rows[1]["id"] = rows[0]["id"]
    write_rows(package, CLAIMS, header, rows)
    left_to(package, "frictionless", CLAIMS, 3, "id")


def test_a_quote_of_white_space(package):
    row, _ = edit(package, CLAIMS, lambda r: True, quote="   ")
    left_to(package, "provenance", CLAIMS, row, "quote")


@pytest.mark.slow
def test_an_empty_quote(package):
    row, _ = edit(package, CLAIMS, lambda r: True, quote="")
    left_to(package, "frictionless", CLAIMS, row, "quote")


@pytest.mark.slow
def test_an_unknown_source_id(package):
    row, _ = edit(package, CLAIMS, lambda r: r["kind"] == "reported", source_id="nobody-1999")
    left_to(package, "frictionless", CLAIMS, row, "source_id")


@pytest.mark.slow
def test_an_unknown_footnote(package):
    row, _ = edit(package, CLAIMS, lambda r: r["footnote"], footnote="999")
    left_to(package, "frictionless", CLAIMS, row, "footnote")


@pytest.mark.slow
def test_a_fractional_rank(package):
    row, _ = edit(package, CLAIMS, lambda r: r["unit"] == "rank" and plain(r, "value_min", "value_max"),
                  value="1.5")
    problems, _ = run(package)
    assert problems == [expected(row, "value", "value 1.5 is not a whole number for unit rank",
                                 "a whole number", "expect_column_values_to_be_integer_valued")]


def test_a_range_without_its_upper_bound(package):
    row, _ = edit(package, CLAIMS, lambda r: r["qualifier"] == "exact" and plain(r, "value_min", "value_max"),
                  qualifier="between", value_min="1")
    header, rows = read_rows(package, CLAIMS)
    value = rows[row - 2]["value"]
    rows[row - 2]["value_min"] = value
    write_rows(package, CLAIMS, header, rows)
    left_to(package, "provenance", CLAIMS, row, "qualifier")


@pytest.mark.slow
def test_a_figure_without_a_number(package):
    row, _ = edit(package, CLAIMS, lambda r: True, figure="many")
    left_to(package, "provenance", CLAIMS, row, "figure")


@pytest.mark.slow
def test_an_event_after_the_papers_year(package):
    row, _ = edit(package, "data/events.csv", lambda r: r["date_precision"] == "year" and not r["end_date"],
                  date="2021")
    problems, _ = run(package)
    assert problems == [Problem("data/events.csv", row, "date", "date '2021' is after 2020",
                                "an ISO 8601 date in or before 2020", layer="expectations",
                                code="expect_column_values_to_be_iso_dates_not_after_year")]


def test_a_date_at_the_wrong_precision(package):
    row, original = edit(package, "data/events.csv", lambda r: r["date_precision"] == "year",
                         date_precision="day")
    problems, _ = run(package)
    assert problems == [Problem("data/events.csv", row, "date",
                                f"date '{original['date']}' does not match ^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$ "
                                "for date_precision day", "YYYY-MM-DD", layer="expectations",
                                code="expect_column_values_to_match_regex")]


@pytest.mark.slow
def test_a_source_url_that_is_not_a_web_address(package):
    row, _ = edit(package, "data/sources.csv", lambda r: r["url"].startswith("http"),
                         url="www.example.org/report")
    left_to(package, "frictionless", "data/sources.csv", row, "url")


@pytest.mark.slow
def test_an_ibid_without_the_footnote_it_repeats(package):
    row, _ = edit(package, "data/citations.csv", lambda r: r["ibid"] == "true", ibid_of="")
    left_to(package, "provenance", "data/citations.csv", row, "ibid_of")


@pytest.mark.slow
def test_a_cell_the_loader_could_not_cast_is_left_to_frictionless(package):
    """GX sees an empty stand-in for a cell of the wrong type; the pipeline leaves the cell to frictionless."""
    from claimpack.validation.validate import validate

    row, _ = edit(package, CLAIMS, lambda r: True, paragraph="second")
    problems, _ = run(package)
    assert problems == []  # the suites leave a required paragraph to the schema
    report = validate(package, skip=["provenance"])
    found = [(p.layer, p.file, p.row, p.field) for p in report.problems if p.field == "paragraph"]
    assert found == [("frictionless", CLAIMS, row, "paragraph")]


# ---- the GX project itself --------------------------------------------------------------------
def test_a_missing_suite_is_a_problem_and_the_others_still_run(package):
    (package / "validation/gx/expectations/events.json").unlink()
    problems, summary = run(package)
    assert problems == [Problem("validation/gx/expectations/events.json", None, None,
                                "no expectation suite for resource events", "a committed suite events.json",
                                layer="expectations", code="suite-missing")]
    assert summary["suites"] == 7


def test_a_suite_that_is_not_json(package):
    (package / "validation/gx/expectations/checks.json").write_text('{"expectations": [\n', encoding="utf-8")
    problems, summary = run(package)
    assert [(p.file, p.row, p.code) for p in problems] == [
        ("validation/gx/expectations/checks.json", 2, "suite-unreadable")]
    assert problems[0].message.startswith("the suite is not valid JSON")
    assert summary["suites"] == 7


def test_a_suite_with_an_unknown_expectation(package):
    path = package / "validation/gx/expectations/footnotes.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["type"] = "expect_the_unexpected"
    path.write_text(json.dumps(suite), encoding="utf-8")
    problems, summary = run(package)
    assert problems == [Problem("validation/gx/expectations/footnotes.json", None, None,
                                "expectation 1 (expect_the_unexpected) is skipped: "
                                "expect_the_unexpected not found", "a known expectation with valid arguments",
                                layer="expectations", code="suite-invalid")]
    assert summary["suites"] == 8  # the suite's other expectations still run
    assert summary["expectations"] == committed_expectation_count() - 1


def test_a_missing_project_is_one_problem(package):
    shutil.rmtree(package / "validation" / "gx")
    problems, summary = run(package)
    assert problems == [Problem("validation/gx/great_expectations.yml", None, None,
                                "the Great Expectations project is missing",
                                "a GX project with one suite per resource", layer="expectations",
                                code="gx-project")]
    assert summary["suites"] == 0


def test_an_unreadable_table_is_one_problem_not_a_broken_reference_per_row(package):
    (package / "data/sources.csv").unlink()
    problems, summary = run(package)
    assert problems == [Problem("data/sources.csv", None, None, "table not validated: file is missing",
                                "the resource's CSV file", layer="expectations", code="table-unreadable")]
    assert summary["suites"] == 7


def test_a_table_whose_header_misses_a_column_is_one_problem(package):
    """The loader cannot line the rows up with the schema, so no suite runs on them: one problem."""
    header, rows = read_rows(package, "data/checks.csv")
    header.remove("tolerance")
    for row in rows:
        del row["tolerance"]
    write_rows(package, "data/checks.csv", header, rows)
    problems, _ = run(package)
    assert problems == [Problem("data/checks.csv", 1, None, "table not validated: header has 5 column(s) where "
                                "the schema has 6 (missing tolerance)",
                                "the schema's columns: id, kind, relation, expression, tolerance, description",
                                layer="expectations", code="table-unreadable")]


# ---- side effects -----------------------------------------------------------------------------
def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_validating_writes_nothing_into_the_package(package, tmp_path):
    before = tree_digest(package)
    run(package, tmp_path / "docs")
    assert tree_digest(package) == before


def test_validating_the_repository_leaves_its_gx_project_untouched():
    before = tree_digest(GX)
    layer.check(Package.load(REPO))
    assert tree_digest(GX) == before


@pytest.mark.slow
def test_no_network_request(package, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network request: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    problems, summary = run(package, package.parent / "docs")
    assert problems == []
    assert summary["docs"]


# ---- Data Docs --------------------------------------------------------------------------------
class Resources(HTMLParser):
    """Collect what a browser would load (scripts, stylesheets, images) and the links."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("script", "img") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


@pytest.mark.slow
def test_data_docs_are_a_static_site_that_works_offline(package, tmp_path):
    edit(package, CLAIMS, lambda r: r["unit"] == "percent" and plain(r, "value_min", "value_max"), value="188")
    docs = tmp_path / "docs"
    started = time.perf_counter()
    _, summary = run(package, docs)
    assert summary["docs"] == str(docs)
    assert (docs / "index.html").is_file()
    pages = sorted(docs.rglob("*.html"))
    assert {p.relative_to(docs).as_posix() for p in pages} >= {f"expectations/{n}.html" for n in RESOURCES}
    assert len([p for p in pages if p.relative_to(docs).parts[0] == "validations"]) == 8
    for page in pages:
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [url for url in parser.loads if re.match(r"^(https?:)?//", url)]
        assert remote == [], f"{page} loads {remote}"
        for url in parser.loads:
            assert (page.parent / url.split("#")[0]).resolve().is_file(), f"{page}: {url} is missing"
        text = page.read_text(encoding="utf-8")
        assert "utm_source" not in text and "integrity=" not in text, page
    # styled by GX's own Bootstrap and bootstrap-table, served from the site; GX's promotional images gone
    vendor = {p.name for p in (docs / "static" / "vendor").iterdir()}
    assert {"bootstrap.min.css", "bootstrap-table.min.js", "jquery.min.js"} <= vendor
    assert sorted(p.name for p in (docs / "static" / "images").iterdir()) == ["favicon.ico"]
    assert sum(p.stat().st_size for p in docs.rglob("*") if p.is_file()) < 3_000_000
    index = Resources()
    index.feed((docs / "index.html").read_text(encoding="utf-8"))
    local = [url for url in index.links if not re.match(r"^(https?:|#)", url)]
    assert local and all((docs / url).is_file() for url in local)
    text = (docs / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<td>claims</td><td class=\"failed\">failed</td>", text)
    assert re.search(r"<td>events</td><td class=\"passed\">passed</td>", text)
    print(f"Data Docs built in {time.perf_counter() - started:.2f}s (with the validation)")


# ---- scale ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_hundred_thousand_claims_find_the_one_bad_row():
    import pandas as pd

    package = Package.load(REPO)
    frames = {name: layer.frame_from_table(package.table(name)) for name in RESOURCES}
    claims = frames["claims"].data
    size = 100_000
    big = pd.concat([claims] * (size // len(claims) + 1), ignore_index=True).iloc[:size]
    big = big.assign(id=pd.Categorical([f"claim-{i}" for i in range(size)]))
    big = big.reset_index(drop=True)
    last = big.index[big["value_min"].isna() & big["value_max"].isna() & (big["unit"] == "percent")][-1]
    big.loc[last, "value"] = -1.0
    frame = layer.Frame("claims", CLAIMS, big)
    parameters = layer.expectation_parameters(package, frames)
    started = time.perf_counter()
    problems, summary = layer.validate_frames(GX, {"claims": frame}, parameters)
    seconds = time.perf_counter() - started
    unit = big.loc[last, "unit"]
    assert [(p.row, p.field, p.code) for p in problems] == [(last + 2, "value", BETWEEN)]
    assert problems[0].message.startswith("value -1 is outside 0..")
    assert problems[0].message.endswith(f"for unit {unit}")
    assert summary["suites"] == 1
    print(f"100,000 claims validated in {seconds:.2f}s (speed is measured by benchmarks/run.py, not here)")


# ---- wording ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("condition", "words"), [
    ({"type": "comparison", "column": {"name": "unit"}, "operator": "==", "parameter": "percent"},
     " for unit percent"),
    ({"type": "comparison", "column": {"name": "ibid"}, "operator": "==", "parameter": True},
     " where ibid is true"),
    ({"type": "comparison", "column": {"name": "qualifier"}, "operator": "IN",
      "parameter": ["more-than", "over", "at-least"]}, " for qualifier more-than, over or at-least"),
    ({"type": "nullity", "column": {"name": "period_start"}, "is_null": False},
     " where period_start is given"),
    (None, ""),
])
def test_row_conditions_in_words(condition, words):
    assert layer.describe_condition(condition) == words


@pytest.mark.parametrize(("value", "shown"), [
    (188.0, "188"), (-5.0, "-5"), (1.5, "1.5"), (float("nan"), "empty"), (None, "empty"),
    ("   ", "'   '"), (True, "true"), ("x" * 80, "'" + "x" * 59 + "…'"),
])
def test_values_in_messages(value, shown):
    assert layer.fmt(value) == shown


# ---- the verifications log --------------------------------------------------------------------
@pytest.mark.slow
def test_a_verifications_log_with_bad_rows(package):
    """The log's suite (empty in the real package) reports each bad row of a hand-written log."""
    from claimpack.model.verifications.schema import EVIDENCE, FIELDS

    good = "b" * 64
    rows = [
        {"number": "1", "record_id": "fms-sales-latam-2010-2015", "record_type": "claim", "verdict": "confirmed",
         "by": "R. Checker", "note": "page 81", "evidence": "https://www.wola.org/", "value": "",
         "timestamp": "2024-05-01T12:00:00.000000Z", "chain_hash": "a" * 64},
        {"number": "2", "record_id": "no-such-claim", "record_type": "claim", "verdict": "confirmed",
         "by": "R. Checker", "note": "page 81", "evidence": "javascript:alert(1)", "value": "",
         "timestamp": "2024-05-01 12:00", "chain_hash": good},
    ]
    write_rows(package, "data/verifications.csv", list(FIELDS), rows)
    problems, summary = run(package)
    log = "data/verifications.csv"
    assert summary["suites"] == 8
    assert problems == []  # the schema (the evidence's pattern) and provenance (ids, timestamps) own these
    from claimpack.validation.validate import validate

    report = validate(package, skip=["expectations"])
    found = {(p.file, p.row, p.field) for p in report.errors}
    assert {(log, 3, "record_id"), (log, 3, "evidence"), (log, 3, "timestamp")} <= found, sorted(found)
    assert EVIDENCE


def test_a_project_without_a_suite_for_the_optional_log_still_validates(package):
    """A package whose GX project predates the verifications log: its other suites run, no problem."""
    (package / "validation/gx/expectations/verifications.json").unlink()
    problems, summary = run(package)
    assert problems == [] and summary["suites"] == 7


# ---- the project is data, never code ---------------------------------------------------------------
@pytest.mark.slow
def test_the_packages_gx_config_and_plugins_are_never_loaded(package, tmp_path):
    """A package's great_expectations.yml can name classes to import, a plugins folder for sys.path and
    stores on the network: claimpack runs the suites in a project of its own making instead."""
    marker = tmp_path / "plugin-ran"
    gx = package / "validation" / "gx"
    (gx / "plugins" / "evil_store.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n"
                                                  "from great_expectations.data_context.store import "
                                                  "ExpectationsStore as EvilStore\n", encoding="utf-8")
    config = (gx / "great_expectations.yml").read_text(encoding="utf-8")
    for store in ("ExpectationsStore", "ValidationResultsStore", "CheckpointStore"):
        config = config.replace(f"class_name: {store}\n", "class_name: EvilStore\n    module_name: evil_store\n")
    config = config.replace("class_name: TupleFilesystemStoreBackend",
                            "class_name: TupleS3StoreBackend\n      bucket: claimpack-exfiltration")
    (gx / "great_expectations.yml").write_text(config, encoding="utf-8")
    before = list(sys.path)
    problems, summary = run(package)
    assert problems == [] and summary["suites"] == 8
    assert not marker.exists()
    assert not [entry for entry in sys.path if entry not in before]


def test_a_link_to_the_root_inside_the_project_is_never_followed(package):
    (package / "validation" / "gx" / "everything").symlink_to("/")
    (package / "validation" / "gx" / "expectations" / "everything").symlink_to("/")
    problems, summary = run(package)  # a walk of / would not return, nor find only the suites
    assert problems == [] and summary["suites"] == 8


@pytest.mark.slow
def test_a_suite_that_backtracks_without_end_is_stopped_by_its_budget(package, monkeypatch):
    """The suites are the package's own: "^(a+)+$" on a cell of 40 a's and a ! would run for hours.
    GX runs in a child within a CPU budget (a minute and more per MB; a few seconds here)."""
    from claimpack.system.bounded import Budget
    from conftest import invoke_claimpack, rehash_copy

    # The CPU budget, not the wall clock, must stop it: a machine under load gives the child less
    # than a core, so the wall-clock allowance is far beyond what 3 s of CPU can take there.
    monkeypatch.setattr(layer, "budget", lambda data_bytes: Budget(cpu_seconds=3, wall_seconds=900))
    others = [option for layer_ in ("frictionless", "provenance", "consistency", "coverage", "crosscheck")
              for option in ("--skip", layer_)]
    # what the budget measures is the suite's backtracking: the same suites without it run within 3 s of CPU
    control = invoke_claimpack("validate", *others, cwd=package)
    assert control.returncode == 0 and "expectations ok" in control.stderr, control.stdout + control.stderr
    path = package / "validation/gx/expectations/claims.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"].append({"type": "expect_column_values_to_match_regex", "id": "0" * 8 + "-0000-0000-0000-"
                                  + "0" * 12, "kwargs": {"column": "note", "regex": "^(a+)+$"}, "meta": {}})
    path.write_text(json.dumps(suite), encoding="utf-8")
    edit(package, CLAIMS, lambda row: row["id"] == "word-count-en", note="a" * 40 + "!")
    rehash_copy(package)
    result = invoke_claimpack("validate", *others, cwd=package)
    assert result.returncode == 1, result.stdout + result.stderr
    assert [line for line in result.stdout.splitlines() if "[recorded" not in line] == [
        "validation/gx/expectations: running the Great Expectations suites used more than its 3 s of CPU time "
        "(expected suites that run within their budget (a regular expression that backtracks without end never does))"]
