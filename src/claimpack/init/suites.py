"""Great Expectations suites generated from a package's schemas: one suite per resource.

The suites are committed JSON (validation/gx/expectations/<resource>.json), written from the
descriptor, so they never drift from it: enumerations (units, qualifiers, topics, ...) are
read from the schemas, value ranges from each unit's kind, and the figure pattern from the
package's vocabulary. Ids are derived from content, so writing again without changes gives
identical files. `claimpack init` writes them for a new package; validation/gx/build_suites.py
rewrites a package's suites after its schemas change.

Runtime parameters ({"$PARAMETER": name}), supplied by claimpack at validation time:
    source_ids        every sources.id           (foreign keys to sources)
    footnote_numbers  every footnotes.number     (foreign keys to footnotes)
    paper_year        the year the paper appeared (nothing it reports can be later)
    own_source        [the paper's own source id] (claimpack.own_source in datapackage.json)
    record_ids        every claims.id and events.id (what a verdict may be about)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..model.vocabulary import Vocabulary, unit_range
from ..system.problems import ClaimpackError
from ..validation import LAYER_NAMES
from ..validation.gx_project import BATCH_DEFINITION, DATASOURCE, GENERATED, REFERENCES, content_id, datasources_yaml

RESOURCES = ("claims", "events", "sources", "footnotes", "citations", "checks", "verifications", "defects")

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TEXT = r"\S"
PLACE = r"^([A-Z]{2}|[0-9]{3})$"
ISO_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
EXPRESSION_CHARACTERS = r"^[a-z0-9.\s+*/()<>=!-]+$"
COMPARISON = r"==|!=|<=|>=|<|>"
ARITHMETIC = r"^[a-z0-9.\s+*/()-]+$"

BLANK = {"problem": "{column} {value} is blank{condition}", "expected": "text, not only white space"}
KEBAB_CASE = {"expected": "kebab-case: lowercase letters and digits joined by single hyphens"}
SOURCE_FK = {"problem": "{column} {value} is not a source in sources.csv",
             "expected": "an id of sources.csv"}
FOOTNOTE_FK = {"problem": "{column} {value} is not a footnote in footnotes.csv",
               "expected": "a number of footnotes.csv"}


def gx_modules():
    from ..validation.gx_project import import_gx

    gx = import_gx()
    import great_expectations.expectations as gxe
    from great_expectations.expectations.registry import get_expectation_impl
    from great_expectations.expectations.row_conditions import Column

    return gx, gxe, get_expectation_impl, Column


def schema_fields(descriptor: dict, resource: str) -> list[dict]:
    for item in descriptor["resources"]:
        if item.get("name") == resource:
            return item["schema"]["fields"]
    raise ClaimpackError(f"no resource {resource}", file="datapackage.json", field="resources",
                         expected=f"a resource {resource}")


def figure_pattern(words: Vocabulary) -> str:
    """A figure holds a digit or a word that counts (the package's vocabulary; plurals and "-fold" words too).

    "[o]nly Mexico and Brazil": a quotation's first letter may be an editor's, in brackets.
    """
    number_words = "|".join(f"(?:{re.escape(word[0])}|\\[{re.escape(word[0])}\\]){re.escape(word[1:])}"
                            for word in sorted({word for word in words.counting_words if " " not in word}))
    suffixes = "".join(f"|{re.escape(suffix)}" for suffix in words.multiplicative_suffixes)  # "twofold"
    return rf"(?i)[0-9]|(?<![^\W\d_])({number_words})(?:s{suffixes})?\b" if number_words else "[0-9]"


def schema_pattern(fields: list[dict], name: str) -> str:
    for item in fields:
        if item["name"] == name:
            return item["constraints"]["pattern"]
    raise ClaimpackError(f"field {name} has no pattern", file="datapackage.json", field=name,
                         expected="constraints.pattern")


def enum(fields: list[dict], name: str) -> list[str]:
    for item in fields:
        if item["name"] == name:
            return list(item["constraints"]["enum"])
    raise ClaimpackError(f"field {name} has no enum", file="datapackage.json", field=name,
                         expected="constraints.enum listing its values")


def minimum(fields: list[dict], name: str, default: float) -> float:
    """A field's declared minimum (its schema's constraints), else `default`."""
    for item in fields:
        if item["name"] == name and isinstance(item.get("constraints", {}).get("minimum"), int | float):
            return item["constraints"]["minimum"]
    return default


def has_enum(fields: list[dict], name: str) -> bool:
    return any(item["name"] == name and "enum" in item.get("constraints", {}) for item in fields)


def build(descriptor: dict, required_rows: tuple[str, ...] = RESOURCES) -> dict[str, list]:
    """Every suite as a list of Expectation objects (GX validates their arguments).

    `required_rows`: the resources that must hold at least one row (a paper without footnotes
    has an empty footnotes table).
    """
    words = Vocabulary.from_settings(descriptor.get("claimpack"))
    _, gxe, get_expectation_impl, Column = gx_modules()
    integer_valued = get_expectation_impl("expect_column_values_to_be_integer_valued")
    dates_not_after = get_expectation_impl("expect_column_values_to_be_iso_dates_not_after_year")
    year = {"$PARAMETER": "paper_year"}
    source_ids = {"$PARAMETER": "source_ids"}
    footnote_numbers = {"$PARAMETER": "footnote_numbers"}
    own_source = {"$PARAMETER": "own_source"}

    def expect(cls, meta: dict | None = None, **kwargs):
        return cls(meta=dict(meta or {}), catch_exceptions=True, **kwargs)

    def required(column):
        return expect(gxe.ExpectColumnValuesToNotBeNull, column=column)

    def text(column, needed=True):
        found = [expect(gxe.ExpectColumnValuesToMatchRegex, BLANK, column=column, regex=TEXT)]
        return ([required(column)] if needed else []) + found

    def kebab_id(column="id"):
        return [required(column), expect(gxe.ExpectColumnValuesToBeUnique, column=column),
                expect(gxe.ExpectColumnValuesToMatchRegex, KEBAB_CASE, column=column, regex=KEBAB)]

    def one_of(fields, column, needed=True):
        if not has_enum(fields, column):  # a free kebab-case word (a new package's topics)
            found = [expect(gxe.ExpectColumnValuesToMatchRegex, KEBAB_CASE, column=column, regex=KEBAB)]
        else:
            found = [expect(gxe.ExpectColumnValuesToBeInSet, column=column, value_set=enum(fields, column))]
        return ([required(column)] if needed else []) + found

    def table(fields, what, resource):
        columns = expect(gxe.ExpectTableColumnsToMatchSet, {"expected": "the columns of the schema"},
                         column_set=[f["name"] for f in fields], exact_match=True)
        if resource not in required_rows:
            return [columns]
        return [expect(gxe.ExpectTableRowCountToBeBetween, {"expected": f"at least one {what}"}, min_value=1),
                columns]

    def at_least(column, minimum, **kwargs):
        return expect(gxe.ExpectColumnValuesToBeBetween, column=column, min_value=minimum, **kwargs)

    def source_fk(column="source_id"):
        return [required(column),
                expect(gxe.ExpectColumnValuesToMatchRegex, KEBAB_CASE, column=column, regex=KEBAB),
                expect(gxe.ExpectColumnValuesToBeInSet, SOURCE_FK, column=column, value_set=source_ids)]

    def footnote_fk(column="footnote", needed=False):
        found = [at_least(column, 1), expect(gxe.ExpectColumnValuesToBeInSet, FOOTNOTE_FK, column=column,
                                              value_set=footnote_numbers)]
        return ([required(column)] if needed else []) + found

    def when(condition, cls, meta=None, **kwargs):
        return expect(cls, meta, row_condition=condition, **kwargs)

    def not_before(column_a, column_b, strict=False):
        return expect(gxe.ExpectColumnPairValuesAToBeGreaterThanB, column_A=column_a, column_B=column_b,
                      or_equal=not strict, ignore_row_if="either_value_is_missing")

    def relative_dates(fields):
        """An event dated from another ("a decade later"): an offset in years, from an anchor event."""
        if not any(f["name"] == "offset" for f in fields):
            return []
        return [
            expect(gxe.ExpectColumnValuesToMatchRegex,
                   {"expected": "an ISO 8601 duration in years, such as P10Y or -P10Y"},
                   column="offset", regex=schema_pattern(fields, "offset")),
            expect(gxe.ExpectColumnValuesToMatchRegex, KEBAB_CASE, column="anchor", regex=KEBAB),
            when(Column("anchor").is_not_null(), gxe.ExpectColumnValuesToNotBeNull,
                 {"expected": "the offset from the anchor event ('a decade later': P10Y)"}, column="offset"),
            when(Column("offset").is_not_null(), gxe.ExpectColumnValuesToBeInSet,
                 {"expected": "a date as precise as a year, decade or century: an offset counts in years"},
                 column="date_precision", value_set=["year", "decade", "century"]),
        ]

    def status(fields):
        """candidate (proposed by claimpack init) or reviewed (a person checked it)."""
        return one_of(fields, "status") if any(f["name"] == "status" for f in fields) else []

    suites: dict[str, list] = {}

    # ---- claims
    fields = schema_fields(descriptor, "claims")
    units = enum(fields, "unit")
    qualifier = Column("qualifier")
    value_ranges = []
    for unit in units:
        low, high = unit_range(unit, words)
        if low is None and high is None:
            continue
        value_ranges.append(when(Column("unit") == unit, gxe.ExpectColumnValuesToBeBetween, column="value",
                                 min_value=low, max_value=high))
        if unit == "rank":
            value_ranges.append(when(Column("unit") == unit, integer_valued, column="value"))
    suites["claims"] = [
        *table(fields, "claim", "claims"),
        *kebab_id(),
        *one_of(fields, "topic"),
        *text("measure"),
        *text("figure"),
        expect(gxe.ExpectColumnValuesToMatchRegex,
               {"problem": "{column} {value} has no digit and no number word",
                "expected": "a figure with a digit or a number word (two, million, half, ...)"},
               column="figure", regex=figure_pattern(words)),
        required("value"),
        *value_ranges,
        at_least("value_min", 0),
        at_least("value_max", 0),
        when(Column("unit") == "percent", gxe.ExpectColumnValuesToBeBetween, column="value_max",
             max_value=100),
        not_before("value", "value_min"),
        not_before("value_max", "value"),
        *one_of(fields, "qualifier"),
        when(qualifier == "between", gxe.ExpectColumnValuesToNotBeNull, column="value_min"),
        when(qualifier == "between", gxe.ExpectColumnValuesToNotBeNull, column="value_max"),
        when(qualifier.is_in(["more-than", "over", "at-least"]), gxe.ExpectColumnValuesToNotBeNull,
             column="value_min"),
        when(qualifier.is_in(["less-than", "up-to"]), gxe.ExpectColumnValuesToNotBeNull, column="value_max"),
        when(qualifier.is_in(["exact", "approximately", "some", "about", "almost"]),
             gxe.ExpectColumnValuesToBeNull, column="value_min"),
        when(qualifier.is_in(["exact", "approximately", "some", "about", "almost"]),
             gxe.ExpectColumnValuesToBeNull, column="value_max"),
        *one_of(fields, "unit"),
        required("place"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "an ISO 3166-1 alpha-2 or UN M49 code"},
               column="place", regex=PLACE),
        # from the schema's first year (1800 for a paper on the last two centuries) to the paper's own
        *(expect(gxe.ExpectColumnValuesToBeBetween, column=column, min_value=minimum(fields, column, 1800),
                 max_value=year) for column in ("period_start", "period_end")),
        # Either end of a period may be open ("by 2008" has no start), so neither requires the other.
        not_before("period_end", "period_start"),
        *text("quote"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "a BCP 47 language tag (fr, es, pt-BR)"},
               column="language", regex=LANGUAGE),
        *text("section"),
        required("paragraph"),
        at_least("paragraph", 1),
        *footnote_fk(),
        *source_fk(),
        when(Column("kind") == "own", gxe.ExpectColumnValuesToBeInSet,
             {"problem": "{column} {value} is not the paper itself{condition}",
              "expected": "the paper's own source id, {value_set_items}"},
             column="source_id", value_set=own_source),
        when(Column("kind") == "reported", gxe.ExpectColumnValuesToNotBeInSet,
             {"problem": "{column} {value} is the paper itself{condition}",
              "expected": "the cited work the figure is taken from"},
             column="source_id", value_set=own_source),
        *text("locator", needed=False),
        *one_of(fields, "kind"),
        when(Column("kind") == "derived", gxe.ExpectColumnValuesToNotBeNull,
             {"expected": "the arithmetic over claim ids that recomputes a derived claim"},
             column="derived_from"),
        when(Column("kind").is_in(["reported", "own"]), gxe.ExpectColumnValuesToBeNull,
             {"expected": "empty: only a derived claim is recomputed"}, column="derived_from"),
        expect(gxe.ExpectColumnValuesToMatchRegex,
               {"expected": "claim ids, numbers and + - * / ( ) only"},
               column="derived_from", regex=ARITHMETIC),
        *status(fields),
    ]

    # ---- events
    fields = schema_fields(descriptor, "events")
    precision = Column("date_precision")
    suites["events"] = [
        *table(fields, "event", "events"),
        *kebab_id(),
        required("date"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "YYYY, YYYY-MM or YYYY-MM-DD"},
               column="date", regex=ISO_DATE),
        expect(dates_not_after, column="date", year=year),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "YYYY, YYYY-MM or YYYY-MM-DD"},
               column="end_date", regex=ISO_DATE),
        expect(dates_not_after, column="end_date", year=year),
        not_before("end_date", "date"),
        *one_of(fields, "date_precision"),
        when(precision == "day", gxe.ExpectColumnValuesToMatchRegex, {"expected": "YYYY-MM-DD"},
             column="date", regex=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        when(precision == "month", gxe.ExpectColumnValuesToMatchRegex, {"expected": "YYYY-MM"},
             column="date", regex=r"^[0-9]{4}-[0-9]{2}$"),
        when(precision == "year", gxe.ExpectColumnValuesToMatchRegex, {"expected": "YYYY"},
             column="date", regex=r"^[0-9]{4}$"),
        # provenance owns these (it names the right first year, and reads the century in the quote)
        when(precision == "decade", gxe.ExpectColumnValuesToMatchRegex,
             {"expected": "the decade's first year, YYY0", "owner": "provenance"}, column="date",
             regex=r"^[0-9]{3}0$"),
        when(precision == "century", gxe.ExpectColumnValuesToMatchRegex,
             {"expected": "the century's first year, YY01 (1901 for the twentieth)", "owner": "provenance"},
             column="date", regex=r"^[0-9]{2}01$"),
        *relative_dates(fields),
        *text("event"),
        required("place"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "an ISO 3166-1 alpha-2 or UN M49 code"},
               column="place", regex=PLACE),
        *text("quote"),
        *text("section"),
        required("paragraph"),
        at_least("paragraph", 1),
        *footnote_fk(),
        *source_fk(),
        *text("locator", needed=False),
        *status(fields),
    ]

    # ---- sources
    fields = schema_fields(descriptor, "sources")
    listed = Column("in_bibliography")
    suites["sources"] = [
        *table(fields, "source", "sources"),
        *kebab_id(),
        expect(gxe.ExpectColumnDistinctValuesToContainSet,
               {"problem": "no source is the paper itself ({column} {value_set})",
                "expected": "a row for the paper itself (claimpack.own_source)"},
               column="id", value_set=own_source),
        *one_of(fields, "type"),
        *text("title"),
        *text("author", needed=False),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "YYYY, YYYY-MM or YYYY-MM-DD"},
               column="issued", regex=ISO_DATE),
        expect(dates_not_after, column="issued", year=year),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "an http://, https:// or doi: address"},
               column="url", regex=r"^(https?://|doi:)\S+$"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "a DOI such as 10.1000/xyz"},
               column="doi", regex=r"^10\.[0-9]{4,9}/\S+$"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "YYYY-MM-DD"},
               column="accessed", regex=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        expect(dates_not_after, column="accessed", year=year),
        required("in_bibliography"),
        when(listed == True, gxe.ExpectColumnValuesToNotBeNull,  # noqa: E712 (a GX condition)
             {"expected": "the entry as the bibliography prints it"}, column="bibliography_entry"),
        when(listed == False, gxe.ExpectColumnValuesToBeNull, column="bibliography_entry"),  # noqa: E712
    ]

    # ---- footnotes
    fields = schema_fields(descriptor, "footnotes")
    suites["footnotes"] = [
        *table(fields, "footnote", "footnotes"),
        required("number"),
        expect(gxe.ExpectColumnValuesToBeUnique, column="number"),
        at_least("number", 1),
        # in order, each number at least the one before; frictionless owns the key, so a repeated
        # number is one problem (the duplicate key), not two
        expect(gxe.ExpectColumnValuesToBeIncreasing, {"expected": "footnotes in the order of their numbers"},
               column="number", strictly=False),
        *text("text"),
        *text("section"),
    ]

    # ---- citations
    fields = schema_fields(descriptor, "citations")
    ibid = Column("ibid")
    suites["citations"] = [
        *table(fields, "citation", "citations"),
        *footnote_fk(needed=True),
        required("position"),
        at_least("position", 1),
        expect(gxe.ExpectCompoundColumnsToBeUnique, {"expected": "one row per footnote and position"},
               column_list=["footnote", "position"]),
        *source_fk(),
        *text("locator", needed=False),
        *text("cited_as"),
        required("ibid"),
        when(ibid == True, gxe.ExpectColumnValuesToNotBeNull,  # noqa: E712 (a GX condition)
             {"expected": "the number of the footnote the Ibid. repeats"}, column="ibid_of"),
        when(ibid == False, gxe.ExpectColumnValuesToBeNull, column="ibid_of"),  # noqa: E712
        *footnote_fk("ibid_of"),
        expect(gxe.ExpectColumnPairValuesAToBeGreaterThanB,
               {"problem": "footnote {value_A} is an Ibid. of footnote {value_B}, which is not earlier",
                "expected": "an Ibid. repeating an earlier footnote"},
               column_A="footnote", column_B="ibid_of", or_equal=False,
               ignore_row_if="either_value_is_missing"),
    ]

    # ---- checks
    fields = schema_fields(descriptor, "checks")
    suites["checks"] = [
        *table(fields, "check", "checks"),
        *kebab_id(),
        *(one_of(fields, "kind") if any(f["name"] == "kind" for f in fields) else []),
        *one_of(fields, "relation"),
        *text("expression"),
        expect(gxe.ExpectColumnValuesToMatchRegex,
               {"expected": "claim ids, numbers, + - * / ( ) and comparisons only"},
               column="expression", regex=EXPRESSION_CHARACTERS),
        expect(gxe.ExpectColumnValuesToMatchRegex,
               {"problem": "{column} {value} compares nothing", "expected": "a comparison (== != < <= > >=)"},
               column="expression", regex=COMPARISON),
        required("tolerance"),
        at_least("tolerance", 0),
        *text("description"),
    ]
    # ---- verifications: an append-only log, empty until a fact-checker records a verdict
    fields = schema_fields(descriptor, "verifications")
    suites["verifications"] = [
        expect(gxe.ExpectTableColumnsToMatchOrderedList, {"expected": "the columns of the schema, in order"},
               column_list=[f["name"] for f in fields]),
        required("number"),
        expect(gxe.ExpectColumnValuesToBeUnique, column="number"),
        at_least("number", 1),
        expect(gxe.ExpectColumnValuesToBeIncreasing, {"expected": "rows in the order they were appended"},
               column="number", strictly=True),
        required("record_id"),
        expect(gxe.ExpectColumnValuesToMatchRegex, KEBAB_CASE, column="record_id", regex=KEBAB),
        expect(gxe.ExpectColumnValuesToBeInSet,
               {"problem": "{column} {value} is neither a claim nor an event",
                "expected": "an id of claims.csv or events.csv"},
               column="record_id", value_set={"$PARAMETER": "record_ids"}),
        *one_of(fields, "record_type"),
        *one_of(fields, "verdict"),
        *text("by"),
        *text("note"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "an http:// or https:// address"},
               column="evidence", regex=schema_pattern(fields, "evidence")),
        required("timestamp"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "UTC ISO 8601 with Z (2024-05-01T12:00:00.000000Z)"},
               column="timestamp", regex=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"),
        required("chain_hash"),
        expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "a sha256 in lowercase hex"},
               column="chain_hash", regex=r"^[0-9a-f]{64}$"),
        expect(gxe.ExpectColumnValuesToBeUnique, column="chain_hash"),
    ]
    # ---- defects: the paper's own, which may be none
    if any(item.get("name") == "defects" for item in descriptor["resources"]):
        fields = schema_fields(descriptor, "defects")
        origin, basis = Column("origin"), Column("evidence_basis")
        suites["defects"] = [
            expect(gxe.ExpectTableColumnsToMatchSet, {"expected": "the columns of the schema"},
                   column_set=[f["name"] for f in fields], exact_match=True),
            *kebab_id(),
            *one_of(fields, "kind"),
            *one_of(fields, "origin"),
            when(origin == "cross-check", gxe.ExpectColumnValuesToNotBeNull,
                 {"expected": "the code of the cross-check finding the defect records"}, column="crosscheck"),
            when(origin == "review", gxe.ExpectColumnValuesToBeNull,
                 {"expected": "empty: a defect found by review records no cross-check finding"},
                 column="crosscheck"),
            expect(gxe.ExpectColumnValuesToMatchRegex, KEBAB_CASE, column="crosscheck", regex=KEBAB),
            expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "claim and event ids separated by '; '"},
                   column="records", regex=schema_pattern(fields, "records")),
            expect(gxe.ExpectColumnValuesToMatchRegex, {"expected": "footnote numbers separated by '; '"},
                   column="footnotes", regex=schema_pattern(fields, "footnotes")),
            expect(gxe.ExpectColumnValuesToMatchRegex, KEBAB_CASE, column="source_id", regex=KEBAB),
            expect(gxe.ExpectColumnValuesToBeInSet, SOURCE_FK, column="source_id", value_set=source_ids),
            *text("says"),
            *text("correction"),
            *text("evidence"),
            *one_of(fields, "evidence_basis"),
            when(basis.is_in(["cited-work", "outside"]), gxe.ExpectColumnValuesToNotBeNull,
                 {"expected": "the work that holds the evidence, named in full"}, column="evidence_source"),
            *text("evidence_source", needed=False),
        ]
    resources = {item.get("name"): item for item in descriptor["resources"] if isinstance(item, dict)}
    return {name: [item for item in found
                   if owner(name, resources.get(name, {}), item.expectation_type, item.configuration.kwargs, {},
                            item.meta) is None]
            for name, found in suites.items()}


# ---- what the suites leave to other layers ------------------------------------------------------
# A suite says only what the Table Schema cannot: an expectation that restates the schema
# (frictionless checks it) or a check another layer makes in full is never written.
# Columns another layer checks in full beyond their schema: provenance reads every quote against
# the paper, parses every figure and derives the bounds from it, resolves every Ibid., matches
# every bibliography entry and source against the footnotes, and checks the
# verifications log's numbers, records, timestamps and hash chain; consistency parses every
# expression. An expectation about such a column (either column of a pair) restates that check.
CHECKED_ELSEWHERE = {
    **{(table, column): "provenance" for table in ("claims", "events")
       for column in ("quote", "section", "source_id")},
    **{("claims", column): "provenance" for column in ("figure", "value_min", "value_max")},
    ("footnotes", "text"): "provenance",
    ("footnotes", "section"): "provenance",
    ("citations", "ibid_of"): "provenance",
    ("sources", "bibliography_entry"): "provenance",
    **{("verifications", column): "provenance" for column in ("number", "record_id", "timestamp", "chain_hash")},
    ("checks", "expression"): "consistency",
}


def owner(table: str, resource: dict, kind: str, kwargs: dict, parameters: dict[str, Any],
          meta: dict | None = None) -> str | None:
    """The layer other than GX that owns this expectation's check, or None when GX owns it.

    An expectation may name its owner in its meta (`"owner": "provenance"`: a suite restating a check
    that layer makes with more to say). Otherwise frictionless owns one that only restates the
    resource's schema (`restates_schema`); provenance or consistency one about a column they check
    in full (`CHECKED_ELSEWHERE`).
    """
    if isinstance(meta, dict) and meta.get("owner") in LAYER_NAMES and meta["owner"] != "expectations":
        return meta["owner"]
    if restates_schema(resource, kind, kwargs, parameters):
        return "frictionless"
    for column in (kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")):
        if isinstance(column, str) and (table, column) in CHECKED_ELSEWHERE:
            return CHECKED_ELSEWHERE[(table, column)]
    return None


def restates_schema(resource: dict, kind: str, kwargs: dict, parameters: dict[str, Any]) -> bool:
    """Whether every row this expectation fails also breaks the resource's schema in frictionless.

    Only an expectation without a row condition can: a required field, a unique or primary-key
    column, the primary key's columns, a pattern, an enumeration the set allows, a foreign key (the
    set is a parameter listing the referenced column), bounds the schema's as wide or wider, or
    the header's columns.
    """
    if kwargs.get("row_condition"):
        return False
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    fields = {f.get("name"): f for f in schema.get("fields", []) if isinstance(f, dict)}
    key = schema.get("primaryKey")
    key = [key] if isinstance(key, str) else list(key or [])
    column = kwargs.get("column")
    constraints = (fields.get(column) or {}).get("constraints") or {}
    if not isinstance(constraints, dict):
        return False
    if kind == "expect_column_values_to_not_be_null":
        return constraints.get("required") is True
    if kind == "expect_column_values_to_be_unique":
        return constraints.get("unique") is True or key == [column]
    if kind == "expect_compound_columns_to_be_unique":
        return bool(key) and sorted(kwargs.get("column_list") or []) == sorted(key)
    if kind == "expect_column_values_to_match_regex":
        return "pattern" in constraints and kwargs.get("regex") == constraints["pattern"]
    if kind == "expect_column_values_to_be_in_set":
        value_set = kwargs.get("value_set")
        if isinstance(value_set, dict):
            return _is_foreign_key(schema, column, value_set.get("$PARAMETER"))
        try:
            return isinstance(constraints.get("enum"), list) and set(constraints["enum"]) <= set(value_set or ())
        except TypeError:
            return False
    if kind == "expect_column_values_to_be_between":
        return _within_schema(constraints, kwargs, parameters)
    if kind in ("expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list"):
        listed = kwargs.get("column_set") or kwargs.get("column_list") or []
        return sorted(listed) == sorted(name for name in fields if isinstance(name, str))
    return False


def _is_foreign_key(schema: dict, column: Any, parameter: Any) -> bool:
    if parameter not in REFERENCES:
        return False
    (table, target), _ = REFERENCES[parameter]
    for key in schema.get("foreignKeys") or []:
        if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
            continue
        fields, reference = key.get("fields"), key["reference"]
        targets = reference.get("fields")
        if ([fields] if isinstance(fields, str) else fields) == [column] and reference.get("resource") == table \
                and ([targets] if isinstance(targets, str) else targets) == [target]:
            return True
    return False


def _within_schema(constraints: dict, kwargs: dict, parameters: dict[str, Any]) -> bool:
    """A between-expectation rejects only what the schema's minimum and maximum reject."""

    def resolved(value: Any) -> Any:
        return parameters.get(value["$PARAMETER"]) if isinstance(value, dict) else value

    low, high = resolved(kwargs.get("min_value")), resolved(kwargs.get("max_value"))
    if (low is None and kwargs.get("min_value") is not None) or (high is None and kwargs.get("max_value") is not None):
        return False  # a bound known only when the suite runs (the paper's year): the schema cannot say it
    minimum, maximum = constraints.get("minimum"), constraints.get("maximum")
    try:
        low_ok = low is None or (minimum is not None and (low < minimum or (low == minimum
                                                                            and not kwargs.get("strict_min"))))
        high_ok = high is None or (maximum is not None and (high > maximum or (high == maximum
                                                                               and not kwargs.get("strict_max"))))
    except TypeError:  # a bound the schema cannot compare (a date string)
        return False
    return low_ok and high_ok


def suite_json(gx, name: str, expectations: list) -> str:
    suite = gx.ExpectationSuite(name=name, id=content_id("suite", name),
                                meta={"great_expectations_version": "1.24.1",
                                      "claimpack": "generated by claimpack.suites"},
                                expectations=expectations)
    data = suite.to_json_dict()
    seen: set[str] = set()
    for item in data["expectations"]:
        item["id"] = content_id(name, item["type"], item["kwargs"])
        if item["id"] in seen:
            raise ClaimpackError(f"suite {name} has the same expectation twice: {item['type']} {item['kwargs']}")
        seen.add(item["id"])
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def validation_definition_json(name: str) -> str:
    data = {
        "data": {
            "asset": {"id": content_id("asset", name), "name": name},
            "batch_definition": {"id": content_id("batch-definition", name), "name": BATCH_DEFINITION},
            "datasource": {"id": content_id("datasource", DATASOURCE), "name": DATASOURCE},
        },
        "id": content_id("validation-definition", name),
        "name": name,
        "suite": {"id": content_id("suite", name), "name": name},
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def outputs(gx_dir: Path, descriptor: dict, required_rows: tuple[str, ...] = RESOURCES,
            config_head: str | None = None) -> dict[Path, str]:
    """Every file of the GX project the suites make: suites, validation definitions, the datasources."""
    gx = gx_modules()[0]
    files = {}
    present = {item.get("name") for item in descriptor["resources"]}
    suites = build(descriptor, required_rows)
    for name, expectations in suites.items():
        if name not in present:
            continue
        files[gx_dir / "expectations" / f"{name}.json"] = suite_json(gx, name, expectations)
        files[gx_dir / "validation_definitions" / f"{name}.json"] = validation_definition_json(name)
    if config_head is None:
        config_head = (gx_dir / "great_expectations.yml").read_text(encoding="utf-8").split(GENERATED)[0]
    files[gx_dir / "great_expectations.yml"] = config_head + GENERATED + datasources_yaml(
        [name for name in RESOURCES if name in present])
    return files
