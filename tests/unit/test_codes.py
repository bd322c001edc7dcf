"""Every problem code claimpack reports is in the registry (claimpack.system.codes), under the layer
that reports it, and every code in the registry is reported somewhere: no loose string literals."""

from __future__ import annotations

import ast

from claimpack.system.codes import CODES, FRICTIONLESS_CODES, known
from conftest import ROOT

SOURCE = ROOT / "src" / "claimpack"
# helpers that take the code as their last positional argument
HELPERS = {"_warning", "_problem"}


def literal_codes() -> dict[str, set[str]]:
    """Every code written as a literal where a Problem is made, with the files it is written in."""
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            code = keywords.get("code")
            name = ast.unparse(node.func)
            if code is None and name in HELPERS and len(node.args) >= 6:
                code = node.args[5]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.setdefault(code.value, set()).add(path.name)
    return found


def test_every_literal_code_is_registered():
    unknown = {code: files for code, files in literal_codes().items()
               if code not in CODES and code not in FRICTIONLESS_CODES}
    assert unknown == {}


def test_every_registered_code_is_reported_somewhere():
    used = set(literal_codes())
    text = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py")
                     if path.name != "codes.py")
    unused = [code for code in CODES if code not in used and f'"{code}"' not in text]
    assert unused == []


def test_a_code_belongs_to_its_layer():
    assert known("provenance", "quote-not-found")
    assert not known("coverage", "quote-not-found")
    assert known("frictionless", "type-error") and not known("provenance", "type-error")
    assert known("expectations", "expect_column_values_to_be_between")
    assert known("crosscheck", "internal-error") and known("coverage", "error")
    assert not known("provenance", "no-such-code")


def test_every_code_has_a_title_and_a_template():
    for code in CODES.values():
        assert code.title and code.template and code.layer, code
        assert code.title[0].isupper(), code
