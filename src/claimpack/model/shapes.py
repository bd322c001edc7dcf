"""The shape of a descriptor: the JSON type of every property claimpack reads, checked when it is loaded.

Every verb reads the descriptor (validate, build, show, find, export, verify), and none should
meet a list where the Data Package and Table Schema specifications put a string. So the
properties claimpack uses are checked once, when the package is loaded, before any of them is:
a wrong type, a schema whose fields are not uniquely named, a key naming a field or a resource
that does not exist, a dialect delimiter that is not one plain character or a pattern that is not
a regular expression is one line naming the property (exit 2), never an internal error in a
later step. Properties claimpack does not read are left to frictionless.

Hand-written rather than a JSON Schema checked by jsonschema, measured: importing jsonschema
costs 0.16 s on a quiet machine (a second under load), which every verb would pay, where these
checks take under 2 ms on this package; and half of what is checked here (field names unique, a
key naming a field or resource that exists, a pattern that compiles, a delimiter of one plain
character) is not a JSON type that JSON Schema can state. frictionless, which runs jsonschema on
the whole descriptor, still does in its layer.
"""

from __future__ import annotations

import re
from typing import Any

from ..system.problems import ClaimpackError

DESCRIPTOR = "datapackage.json"
TEXT = (str,)
# properties of the package, a resource and a licence, contributor or source, and the types they may have
PACKAGE_TEXT = ("name", "id", "title", "description", "version", "created", "homepage", "image")
RESOURCE_TEXT = ("title", "description", "mediatype", "format", "encoding", "type", "scheme", "hash")
PARTY_TEXT = ("name", "path", "title", "email", "organization", "role", "version", "givenName", "familyName")
FIELD_TEXT = ("name", "type", "format", "title", "description")


def _refuse(at: str, what: str, expected: str) -> ClaimpackError:
    return ClaimpackError(what, file=DESCRIPTOR, field=at, expected=expected)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true or false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _text(node: dict, keys: tuple[str, ...], at: str) -> None:
    for key in keys:
        if key in node and not isinstance(node[key], str):
            raise _refuse(f"{at}{key}", f"is {_type_name(node[key])}", "a string")


def _objects(node: dict, key: str, at: str) -> list[dict]:
    """node[key] as a list of objects ([] when absent)."""
    value = node.get(key)
    if value is None and key not in node:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _refuse(f"{at}{key}", f"is {_type_name(value)}" if not isinstance(value, list) else
                      "holds something other than objects", "a list of objects")
    return value


def _names(value: Any, at: str) -> list[str]:
    """A key's field names: one string or a list of strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return value
    raise _refuse(at, f"is {_type_name(value)}", "a field name or a list of field names")


def _parties(node: dict, key: str, at: str) -> None:
    for index, party in enumerate(_objects(node, key, at)):
        _text(party, PARTY_TEXT, f"{at}{key}[{index}].")
        roles = party.get("roles")
        if "roles" in party and not (isinstance(roles, list) and all(isinstance(r, str) for r in roles)):
            raise _refuse(f"{at}{key}[{index}].roles", f"is {_type_name(roles)}", "a list of strings")


def check_shapes(descriptor: dict) -> None:
    """Refuse a descriptor whose properties claimpack reads do not have the types the specifications give."""
    _text(descriptor, PACKAGE_TEXT, "")
    keywords = descriptor.get("keywords")
    if "keywords" in descriptor and not (isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)):
        raise _refuse("keywords", f"is {_type_name(keywords)}", "a list of strings")
    for key in ("licenses", "contributors", "sources"):
        _parties(descriptor, key, "")
    if "claimpack" in descriptor and not isinstance(descriptor["claimpack"], dict):
        raise _refuse("claimpack", f"is {_type_name(descriptor['claimpack'])}", "an object of claimpack's settings")
    resources = descriptor["resources"]
    schemas = {}
    seen: set[str] = set()
    for resource in resources:
        name = resource["name"]
        at = f"resources[{name}]."
        if name in seen:
            raise _refuse(f"{at}name", f"the resource name {name!r} is used twice", "a name for one resource only")
        seen.add(name)
        _text(resource, RESOURCE_TEXT, at)
        for key in ("licenses", "sources"):
            _parties(resource, key, at)
        if isinstance(resource.get("schema"), dict):
            schemas[name] = _schema(resource["schema"], f"{at}schema.")
        if isinstance(resource.get("dialect"), dict):
            _dialect(resource["dialect"], f"{at}dialect.")
    for resource in resources:
        if isinstance(resource.get("schema"), dict):
            _foreign_keys(resource, schemas, f"resources[{resource['name']}].schema.")


def _schema(schema: dict, at: str) -> list[str]:
    """Check a Table Schema's fields, primary key, missing values and constraints; return its field names."""
    fields = _objects(schema, "fields", at)
    names: list[str] = []
    for index, field in enumerate(fields):
        name = field.get("name")
        if not isinstance(name, str) or not name:
            raise _refuse(f"{at}fields[{index}].name", "is missing or not a string", "a field name")
        if name in names:
            raise _refuse(f"{at}fields[{name}]", f"the field name {name!r} is used twice", "unique field names")
        names.append(name)
        _text(field, FIELD_TEXT, f"{at}fields[{name}].")
        _constraints(field, f"{at}fields[{name}].")
    if "primaryKey" in schema:
        for key in _names(schema["primaryKey"], f"{at}primaryKey"):
            if key not in names:
                raise _refuse(f"{at}primaryKey", f"names the field {key!r}, which the schema does not have",
                              "fields of the schema")
    missing = schema.get("missingValues")
    if "missingValues" in schema and not (isinstance(missing, list) and all(isinstance(m, str) for m in missing)):
        raise _refuse(f"{at}missingValues", f"is {_type_name(missing)}", "a list of strings")
    return names


def _constraints(field: dict, at: str) -> None:
    constraints = field.get("constraints")
    if "constraints" not in field:
        return
    if not isinstance(constraints, dict):
        raise _refuse(f"{at}constraints", f"is {_type_name(constraints)}", "an object")
    pattern = constraints.get("pattern")
    if "pattern" in constraints:
        if not isinstance(pattern, str):
            raise _refuse(f"{at}constraints.pattern", f"is {_type_name(pattern)}", "a regular expression")
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            raise _refuse(f"{at}constraints.pattern", f"{pattern[:80]!r} is not a regular expression ({exc})",
                          "a regular expression") from None
    if "enum" in constraints and not isinstance(constraints["enum"], list):
        raise _refuse(f"{at}constraints.enum", f"is {_type_name(constraints['enum'])}", "a list of values")


def _dialect(dialect: dict, at: str) -> None:
    for key in ("delimiter", "quoteChar"):
        value = dialect.get(key)
        if key in dialect and not (isinstance(value, str) and len(value) == 1 and value not in "\r\n"):
            raise _refuse(f"{at}{key}", f"{value!r} is not one character" if isinstance(value, str)
                          else f"is {_type_name(value)}", "one character, not a line break")
    if dialect.get("delimiter") is not None and dialect.get("delimiter") == dialect.get("quoteChar", '"'):
        raise _refuse(f"{at}delimiter", "is the quote character", "a delimiter other than the quote character")


def _foreign_keys(resource: dict, schemas: dict[str, list[str]], at: str) -> None:
    for index, key in enumerate(_objects(resource["schema"], "foreignKeys", at)):
        here = f"{at}foreignKeys[{index}]"
        own = _names(key.get("fields"), f"{here}.fields")
        for name in own:
            if name not in schemas[resource["name"]]:
                raise _refuse(f"{here}.fields", f"names the field {name!r}, which the schema does not have",
                              "fields of the schema")
        reference = key.get("reference")
        if not isinstance(reference, dict):
            raise _refuse(f"{here}.reference", f"is {_type_name(reference)}", "an object with resource and fields")
        target = reference.get("resource") or resource["name"]
        if not isinstance(target, str) or target not in schemas:
            raise _refuse(f"{here}.reference.resource", f"names {target!r}, which is not a table of the package",
                          "the name of a resource with a schema")
        theirs = _names(reference.get("fields"), f"{here}.reference.fields")
        if len(theirs) != len(own) or any(name not in schemas[target] for name in theirs):
            raise _refuse(f"{here}.reference.fields", f"{theirs} do not match {own} in {target!r}",
                          f"as many fields of {target!r} as the key has")
