"""The Great Expectations project as claimpack writes and runs it: ids, the datasources, the config
it runs with, claimpack's custom expectations, and GX imported quietly.

`claimpack.init.suites` writes a package's project (build_suites.py, init) with these; the expectations
layer runs the package's suites in a project whose great_expectations.yml is `run_config`, never the
package's own (which could name classes to import, a plugins folder or stores on the network).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import uuid
import warnings
from importlib import resources

DATASOURCE = "claimpack"
BATCH_DEFINITION = "whole-table"
GENERATED = "# ---- below: written by build_suites.py ----\n"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/claimpack/gx")
# The suites' $PARAMETER value sets: the (table, column) each lists, and the columns that refer to it
REFERENCES = {
    "source_ids": (("sources", "id"), (("claims", "source_id"), ("events", "source_id"),
                                       ("citations", "source_id"), ("defects", "source_id"))),
    "footnote_numbers": (("footnotes", "number"), (("claims", "footnote"), ("events", "footnote"),
                                                   ("citations", "footnote"), ("citations", "ibid_of"))),
}


def content_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, json.dumps(parts, sort_keys=True, default=str)))


def datasources_yaml(names: list[str] | tuple[str, ...]) -> str:
    lines = ["fluent_datasources:", f"  {DATASOURCE}:", "    type: pandas",
             f"    id: {content_id('datasource', DATASOURCE)}", "    assets:"]
    for name in names:
        lines += [f"      {name}:", "        type: dataframe", f"        id: {content_id('asset', name)}",
                  "        batch_metadata: {}", "        batch_definitions:",
                  f"          {BATCH_DEFINITION}:", f"            id: {content_id('batch-definition', name)}",
                  "            partitioner:"]
    return "\n".join(lines) + "\n"


def run_config(names: list[str]) -> str:
    """claimpack's own great_expectations.yml for running suites: no plugins, local stores, its datasources."""
    head = resources.files("claimpack").joinpath("assets", "package", "great_expectations.yml").read_text(
        encoding="utf-8").split(GENERATED)[0]
    head = head.replace("{data_context_id}", content_id("data-context", "run"))
    head = re.sub(r"(?m)^plugins_directory:.*$", "plugins_directory: null", head)
    return head + GENERATED + datasources_yaml(names)


_custom_expectations_registered = False


# ---- custom expectations ---------------------------------------------------------------------
def register_custom_expectations() -> None:
    """Define claimpack's two custom expectations; GX registers them by their snake_case names.

    The committed suites use them, so this must run before a suite is loaded. They are defined
    here rather than imported from the package's plugins directory: validating a package must
    not execute code that came with it.
    """
    global _custom_expectations_registered
    if _custom_expectations_registered:
        return
    import pandas as pd
    from great_expectations.compatibility import pydantic
    from great_expectations.core.suite_parameters import SuiteParameterDict
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        _style_row_condition,
        render_suite_parameter_string,
    )
    from great_expectations.expectations.metrics.map_metric_provider import (
        ColumnMapMetricProvider,
        column_condition_partial,
    )
    from great_expectations.render import LegacyRendererType, RenderedStringTemplateContent
    from great_expectations.render.renderer.renderer import renderer
    from great_expectations.render.util import parse_row_condition_string, substitute_none_for_missing

    def prescriptive(template: str, keys: tuple[str, ...]):
        """A Data Docs sentence for a custom expectation, with its row condition, as GX's own."""

        @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
        @render_suite_parameter_string
        def _prescriptive_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
            runtime_configuration = runtime_configuration or {}
            styling = runtime_configuration.get("styling")
            params = substitute_none_for_missing(configuration.kwargs if configuration else {},
                                                 ["column", "row_condition", *keys])
            text = template
            if runtime_configuration.get("include_column_name") is not False:
                text = f"$column {text}"
            if params["row_condition"] is not None:
                text, styling = _style_row_condition(parse_row_condition_string(params["row_condition"]),
                                                     text, params, styling)
            return [RenderedStringTemplateContent(content_block_type="string_template", string_template={
                "template": text, "params": params, "styling": styling})]

        return classmethod(_prescriptive_renderer)

    class ColumnValuesIntegerValued(ColumnMapMetricProvider):
        condition_metric_name = "column_values.claimpack_integer_valued"

        @column_condition_partial(engine=PandasExecutionEngine)
        def _pandas(cls, column, **kwargs):
            return pd.to_numeric(column, errors="coerce") % 1 == 0

    class ExpectColumnValuesToBeIntegerValued(ColumnMapExpectation):
        """Expect every value to be a whole number (3 or 3.0, not 3.5), whatever its dtype."""

        map_metric = "column_values.claimpack_integer_valued"
        success_keys = ("mostly",)
        _prescriptive_renderer = prescriptive("values must be whole numbers.", ())

    class ColumnValuesIsoDateYearNotAfter(ColumnMapMetricProvider):
        condition_metric_name = "column_values.claimpack_iso_date_year_not_after"
        condition_value_keys = ("year",)

        @column_condition_partial(engine=PandasExecutionEngine)
        def _pandas(cls, column, year, **kwargs):
            years = pd.to_numeric(column.astype(str).str.slice(0, 4), errors="coerce")
            return years <= int(year)

    class ExpectColumnValuesToBeIsoDatesNotAfterYear(ColumnMapExpectation):
        """Expect ISO 8601 dates of any precision (YYYY, YYYY-MM, YYYY-MM-DD) in or before a year.

        Built-in between-expectations cannot compare such strings: they coerce the bound to a
        date and refuse a string column.
        """

        year: int | SuiteParameterDict = pydantic.Field(description="The last year allowed.")
        map_metric = "column_values.claimpack_iso_date_year_not_after"
        success_keys = ("year", "mostly")
        args_keys = ("column", "year")
        _prescriptive_renderer = prescriptive("values must be ISO 8601 dates in or before $year.", ("year",))

    # This module's annotations are strings; resolve the names that are local to this function.
    for expectation in (ExpectColumnValuesToBeIntegerValued, ExpectColumnValuesToBeIsoDatesNotAfterYear):
        expectation.update_forward_refs(SuiteParameterDict=SuiteParameterDict)

    _custom_expectations_registered = True


# ---- loading ---------------------------------------------------------------------------------
def _gx_environment() -> None:
    """Keep GX quiet and offline: no analytics, no progress bars, no log noise."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    # GX logs, then skips, an expectation it cannot load; claimpack reports that as a problem.
    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)


# Imported by GX when it is imported, used only by expectations no claimpack suite has (a KL
# divergence, a Kolmogorov-Smirnov test) and by its charts: a second of its import time.
DEFERRED = ("scipy.stats", "altair")


def import_gx():
    """Import Great Expectations (slow: about two seconds) with analytics off."""
    from ..system.deferred import defer

    _gx_environment()
    defer(*DEFERRED)
    # Importing makes a few hundred thousand objects that live as long as the process and hold
    # few cycles: collecting while they are made walks them again and again for nothing, and
    # afterwards they are left out of every collection (frozen).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
        register_custom_expectations()
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return gx
