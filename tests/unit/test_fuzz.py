"""Fuzzing: random input to every parser gives a result or a clean error, never another exception.

- the figure parser (and the printing styles read from figures): a Figure or FigureError;
- the checks.csv expression evaluator: an Outcome or ExpressionError;
- the CSV loader on random bytes and on CSV-shaped text: a Table or ClaimpackError;
- the descriptor reader on random JSON: a Package or ClaimpackError;
- the paper splitter on random Markdown: a Paper whose queries all answer;
- the provenance, consistency, coverage and cross-check layers on random cell values (of the
  types the loader hands them): problems, never an exception.

Each strategy mixes random text with text built from the pieces real input is made of, so that
the fuzzing reaches past the first character check.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import json
import math
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimpack.model.expressions import ExpressionError, evaluate, identifiers, parse
from claimpack.model.numbers import QUALIFIER_PHRASES, SCALES, FigureError, describe, parse_figure, style_of
from claimpack.model.package import Package, check_descriptor
from claimpack.model.paths import read_json
from claimpack.model.tables import Table, read_table
from claimpack.system.problems import ClaimpackError
from claimpack.text.paper import Paper, normalize
from conftest import ROOT

# Examples per test, as multiples of the active profile's (100 by default; `make check` runs the
# "fast" profile of conftest.py, a fifth of that; `make test` the default).
SCALE = settings().max_examples / 100
MANY = settings(max_examples=int(3000 * SCALE), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])  # pure parsers
FUZZ = settings(max_examples=int(1000 * SCALE), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])  # a file each
FEW = settings(max_examples=int(200 * SCALE), deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
SCRATCH = Path(tempfile.mkdtemp(prefix="claimpack-fuzz-"))  # one directory, rewritten by every example
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}


def pieces(*parts: str) -> st.SearchStrategy[str]:
    """Text joined from real pieces and random characters."""
    return st.lists(st.sampled_from(parts) | st.text(max_size=3), max_size=12).map("".join)


# ---- the figure parser -------------------------------------------------------------------------
FIGURE_PIECES = pieces("0", "1", "5", "43", "2.3", "5.154", "1,000", "100,000", ",", ".", " ", "\\$", "$", "US$",
                       "%", " percent", " per ", "100,000", *SCALES, " and ", " to ", "from ", "-", "–",
                       *QUALIFIER_PHRASES, "two", "thirty", "hundred", "first", "second-largest", "dollars",
                       " nautical miles", "*", "\u00a0", "e", "E5", "½", "٣", "1e999", "0" * 40)


@MANY
@given(st.one_of(st.text(max_size=80), FIGURE_PIECES), st.sampled_from(["en", "fr", "de", "pt-BR", "xx", ""]))
@example("9" * 400 + " trillion", "en")
@example("between 100 and 50", "en")
@example("1" + ",000" * 60, "fr")
def test_figure_parser(text, language):
    try:
        figure = parse_figure(text, language)
    except FigureError:
        return
    assert math.isfinite(figure.value)
    if figure.low is not None and figure.high is not None:
        assert figure.low <= figure.high
    try:
        style = style_of(text, language)
    except FigureError:
        return
    assert isinstance(style.format(figure.value), str)
    describe(figure.value, text, figure.qualifier, language=language or "en", value_max=figure.high)


# ---- the expression evaluator ------------------------------------------------------------------
VALUES = {"a": 1.0, "b-c": 2.5, "zero": 0.0, "big": 1e308, "none": None}
EXPRESSION_PIECES = pieces(" ", "a", "b-c", "zero", "big", "none", "unknown-id", "1", "0", "1e308", "2.5", "+", "-",
                           "*", "/", "(", ")", "==", "!=", "<", "<=", ">", ">=", " and ", " or ", " not ", ".",
                           "[", "]", "'", '"', "_", "__import__", "lambda", "x(", ":", "**", "%", "//", "\n")


@MANY
@given(st.one_of(st.text(max_size=120), EXPRESSION_PIECES), st.floats(min_value=0, allow_nan=False))
@example("(" * 5000 + "1" + ")" * 5000 + " == 1", 0.0)
@example("-" * 5000 + "1 == 1", 0.0)
@example("not " * 5000 + "1 == 1", 0.0)
@example("big * big * big == big - big", 0.0)
@example("a " + "== a " * 2000, 0.0)
def test_expression_evaluator(text, tolerance):
    try:
        node = parse(text)
        assert all(name in text for name in identifiers(node))
        outcome = evaluate(node, VALUES, tolerance)
    except ExpressionError:
        return
    assert isinstance(outcome.holds, bool)
    assert isinstance(outcome.detail(), str)


# ---- the CSV loader ------------------------------------------------------------------------------
CSV_PIECES = pieces(",", '"', '""', "\n", "\r\n", "\r", "\ufeff", "\x00", ";", "\t", "id", "value", "NaN", "inf",
                    "-1e400", "1e400", "1_000", " 12 ", "true", "yes", "2017", "abc", "é", "\u2028", "\\",
                    ",".join(f["name"] for f in RESOURCES["claims"]["schema"]["fields"]) + "\n")


def load(raw: bytes, resource: str) -> Table | None:
    (SCRATCH / "data").mkdir(exist_ok=True)
    (SCRATCH / RESOURCES[resource]["path"]).write_bytes(raw)
    try:
        return read_table(SCRATCH, RESOURCES[resource])
    except ClaimpackError as error:
        assert error.problem.file == RESOURCES[resource]["path"]
        return None


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["claims", "citations", "sources"]))
def test_csv_loader_on_random_bytes(raw, resource):
    load(raw, resource)


@FUZZ
@given(CSV_PIECES, st.sampled_from(["claims", "citations", "checks"]))
def test_csv_loader_on_csv_shaped_text(text, resource):
    table = load(text.encode("utf-8", "surrogatepass"), resource)
    if table is None:
        return
    types = {f["name"]: f["type"] for f in table.fields}
    for row in table.rows:
        for name, value in row.items():
            if value is None or types.get(name) in (None, "string"):
                continue
            kind = {"number": float, "integer": int, "year": int, "boolean": bool}[types[name]]
            assert isinstance(value, kind), (name, value)
            if kind is float:
                assert math.isfinite(value)
    assert len(table.rows) == len(table.row_numbers)


# ---- the descriptor ------------------------------------------------------------------------------
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10)
                    | st.sampled_from(["../../etc/passwd", "/etc/passwd", "https://example.com/x.csv", "data",
                                       "data/claims.csv", "string", "money", ".."]),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from(["name", "path", "schema", "dialect", "fields", "type", "claimpack",
                                         "report", "exclusions", "expectations", "resources", "x"]), inner,
                        max_size=5), max_leaves=20)


@FUZZ
@given(JSON)
def test_descriptor_check_on_random_json(value):
    descriptor = {"resources": [value] if not isinstance(value, list) else value, "claimpack": value}
    (SCRATCH / "data").mkdir(exist_ok=True)
    (SCRATCH / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with contextlib.suppress(ClaimpackError):
        Package.load(SCRATCH)
    descriptor["resources"] = [r for r in descriptor["resources"] if isinstance(r, dict)
                               and isinstance(r.get("name"), str)]
    with contextlib.suppress(ClaimpackError):
        check_descriptor(SCRATCH, descriptor)


@FUZZ
@given(st.binary(max_size=300))
def test_descriptor_reader_on_random_bytes(raw):
    path = SCRATCH / "datapackage.json"
    path.write_bytes(raw)
    with contextlib.suppress(ClaimpackError):
        read_json(path, "datapackage.json")


# ---- the paper splitter --------------------------------------------------------------------------
PAPER_PIECES = pieces("\n", "\n\n", "\r\n", " ", "INTRODUCTION", "BIBLIOGRAPHY", "CONCLUSION", "Heading", "text",
                      "lower case", ". ", "¹", "²³", "⁴⁵⁶", "33. ", "- ", "* ", "1. ", "> ", ". . .", "…", "\\$",
                      "*", "**", "“", "”", "’", "43,000", "2.3", "1980s", "21st", "\u00a0", "\t", "#", "é",
                      "e\u0301")


@MANY
@given(st.one_of(st.text(max_size=400), PAPER_PIECES), st.sampled_from([None, "INTRODUCTION", "Heading"]),
       st.sampled_from(["BIBLIOGRAPHY", None]), st.text(max_size=20))
@pytest.mark.slow
def test_paper_splitter(text, body_start, bibliography, quote):
    paper = Paper.parse(text, body_start=body_start, bibliography=bibliography)
    assert isinstance(paper.sections, list)
    for block in paper.blocks:
        assert isinstance(block.norm, str) and block.line >= 1
        for offset in (0, len(block.norm) // 2, len(block.norm)):
            assert 1 <= paper.line_of(block, offset) <= max(1, text.count("\n") + 1)
            block.marker_after(offset)
        assert paper.block_at(block.section, block.paragraph) is not None or block.kind == "heading"
    for location in paper.locate(quote) + paper.locate(quote, "INTRODUCTION", 1):
        assert location.block.norm[location.start:location.end] == normalize(quote)
    for footnote in paper.footnotes.values():
        assert isinstance(footnote.text, str)
    assert isinstance(paper.text_blocks(), list)


# ---- the layers on random cells ------------------------------------------------------------------
@pytest.fixture(scope="module")
def real() -> Package:
    package = Package.load(ROOT)
    for name in ("claims", "events", "sources", "footnotes", "citations", "checks"):
        package.table(name)
    package.paper  # noqa: B018 - parsed once for every example
    return package


def cell_value(kind: str) -> st.SearchStrategy:
    if kind == "number":
        return st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, -1.0, 1e15])
    if kind in ("integer", "year"):
        return st.none() | st.integers(min_value=-10**12, max_value=10**12) | st.sampled_from([0, 1, 53, 74, 2020])
    if kind == "boolean":
        return st.none() | st.booleans()
    return st.none() | st.text(max_size=30) | st.sampled_from(
        ["", "samanez-2020", "rabe-2012", "isacson-kinosian-2017", "between", "more-than", "USD", "percent",
         "rank", "per-100k", "INTRODUCTION", "front matter", "*Ibid.*", "Ibid.", "two dollars", "88%",
         "between 50,000 and 100,000", "\\$236 million", "a + b == c", "1 / 0 == 1"])


EDITS = st.lists(st.sampled_from([(r, f["name"], f["type"]) for r in ("claims", "events", "sources", "footnotes",
                                                                        "citations", "checks")
                                  for f in RESOURCES[r]["schema"]["fields"]]).flatmap(
    lambda cell: st.tuples(st.just(cell), st.integers(min_value=0, max_value=80), cell_value(cell[2]))),
    min_size=1, max_size=6)


def edited_copy(table: Table) -> Table:
    """A copy of a table whose cells can be changed without touching the original."""
    copied = copy.copy(table)
    copied.columns = {name: list(values) for name, values in table.columns.items()}
    copied.__dict__.pop("rows", None)  # built again from the columns on first use
    return copied


@FEW
@given(EDITS)
@pytest.mark.slow
def test_layers_on_random_cells(real, edits):
    from claimpack.validation.layers import consistency, coverage, crosschecks, provenance

    package = Package(real.root, real.descriptor)
    package.__dict__["paper"] = real.paper
    package._tables = {name: edited_copy(table) for name, table in real._tables.items()}
    for (resource, field, _kind), index, value in edits:
        table = package._tables[resource]
        table.columns[field][index % len(table.row_numbers)] = value
    for layer in (provenance, consistency, coverage, crosschecks):
        problems, info = layer.check(package)
        assert all(p.row is None or isinstance(p.row, int) for p in problems)
        assert isinstance(info, dict)


@FEW
@given(st.one_of(st.text(max_size=400), PAPER_PIECES))
def test_layers_on_a_random_paper(real, text):
    """The real tables against a paper that is not theirs: every record is a problem, not a crash."""
    from claimpack.validation.layers import coverage, crosschecks, provenance

    package = Package(real.root, real.descriptor)
    package.__dict__["paper"] = Paper.parse(text, body_start="INTRODUCTION", bibliography="BIBLIOGRAPHY")
    package._tables = dict(real._tables)
    for layer in (provenance, coverage, crosschecks):
        problems, _ = layer.check(package)
        assert all(isinstance(p.message, str) for p in problems)
        if layer is provenance:  # 400 characters cannot hold every quote of the package
            assert {p.file for p in problems if p.field == "quote"} >= {"data/claims.csv", "data/events.csv"}
