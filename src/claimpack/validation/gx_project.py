"""The Great Expectations project as claimpack writes it: ids, the datasources and the config it runs with.

`claimpack.init.suites` writes a package's project (build_suites.py, init) with these; the expectations
layer runs the package's suites in a project whose great_expectations.yml is `run_config`, never the
package's own (which could name classes to import, a plugins folder or stores on the network).
"""

from __future__ import annotations

import json
import re
import uuid
from importlib import resources

DATASOURCE = "claimpack"
BATCH_DEFINITION = "whole-table"
GENERATED = "# ---- below: written by build_suites.py ----\n"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/claimpack/gx")


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
