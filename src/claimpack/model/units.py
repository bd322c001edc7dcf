"""Units read from the text, and declared once: in the descriptor's `claimpack.units`.

Reading. After a number, a unit is what the package's vocabulary names (`unit_words`: "MW",
"nautical miles", "seconds"), else a symbol pint's unit registry knows ("GHz", "GiB", "mAh",
"µs", "MB/s", "gCO2eq/kWh" as grams of CO2eq per kilowatt-hour), glued to the digits ("1.80GHz",
"16GB") or after one space ("7.6 GiB"). pint is asked only about a token that looks like a
symbol, and never about a word the vocabulary says is not a unit (`not_units`: "in", "at",
"fps", ...), so "in 2019" is never 2019 inches. The unit code is pint's symbol made
kebab-safe ("°C" -> "degC", "MB/s" -> "MB-per-s").

Declaring. The units a package's claims may use are the keys of `claimpack.units` in
datapackage.json, each with its description; the claims schema's `unit` enum is generated from
them (`generate`; claimpack.init.vocabulary writes it and the Great Expectations suites, for
`claimpack vocabulary add-unit` and the review workbench), and `drift` says when a descriptor's
enum was edited apart from its `claimpack.units`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..system.problems import Problem
from .vocabulary import Vocabulary

# a token after a number that may be a unit symbol: letters (with µ, Ω, °), one "/" or "·" at most
_SYMBOL = re.compile(r"[°℃℉µμΩ]?[A-Za-zµμΩ°][A-Za-z0-9µμΩ°₂²³]{0,9}(?:[/·][A-Za-zµμΩ°][A-Za-z0-9µμΩ°₂²³]{0,9})?")
_SUBSTANCE = re.compile(r"(?i)(CO[2₂](?:-?eq?|e)?)\Z")  # "gCO2eq", "kgCO2e", "tCO₂": a mass of a substance
_SPECIAL = {"℃": "degC", "℉": "degF", "°C": "degC", "°F": "degF", "°": "deg", "µ": "u", "μ": "u", "Ω": "ohm",
            "²": "2", "³": "3", "₂": "2", "·": "-", "/": "-per-"}


@lru_cache(maxsize=1)
def registry():
    """pint's default unit registry, built once per process (importing pint takes seconds: only on demand)."""
    import pint

    return pint.UnitRegistry(cache_folder=None)


def code_of(symbol: str) -> str:
    """A unit symbol as a unit code: 'GHz', 'degC' (°C), 'MB-per-s' (MB/s), 'us' (µs)."""
    text = symbol
    for old, new in sorted(_SPECIAL.items(), key=lambda item: -len(item[0])):
        text = text.replace(old, new)
    text = re.sub(r"[^A-Za-z0-9-]+", "", text).strip("-")
    return re.sub(r"-{2,}", "-", text)


@lru_cache(maxsize=4096)
def _pint_unit(token: str) -> tuple[str, str] | None:
    """(code, description) of a symbol pint knows, or None."""
    registry_ = registry()
    parts = re.split(r"[/·]", token)
    symbols, names = [], []
    for part in parts:
        substance = _SUBSTANCE.search(part)
        core = part[:substance.start()] if substance and substance.start() else part
        try:
            unit = registry_.parse_units(core.replace("μ", "µ"))
        except Exception:  # pint raises several kinds for text that is not a unit
            return None
        if len(unit._units) != 1:  # a single unit on each side of the "/" ("kWh", not "m*s")
            return None
        name = next(iter(unit._units))
        symbol = registry_.get_symbol(name)
        if symbol != core and core not in (name, name + "s") and core.lower() not in (name, name + "s"):
            return None  # pint matched another spelling ("Mbps" as megabaud): not what the paper wrote
        symbols.append(core + (substance.group(1) if substance and substance.start() else ""))
        names.append(name.replace("_", " ") + (f"s of {substance.group(1)}" if substance and substance.start()
                                               else ""))
    return code_of("/".join(symbols)), " per ".join(names)


def read_unit(token: str, words: Vocabulary, glued: bool = False) -> tuple[str, str] | None:
    """The unit a token printed after a number names, as (code, description), or None.

    `glued`: the token is glued to the digits ("16GB"); a single letter is then read only when the
    vocabulary names it (so "4K", "5G", "3D" stay names).
    """
    token = token.strip()
    if not token or (glued and token in ("s",)):  # "1990s", "the 10s": a decade or a plural, not seconds
        return None
    known = words.unit_word(token)
    if known is not None:
        return known, words.units.get(known, "")
    if token in words.not_units or token.lower() in words.not_units or len(token) < 2:
        return None
    if not _SYMBOL.fullmatch(token):
        return None
    if not glued and token.isalpha() and token.islower() and len(token) > 3:
        return None  # a lower-case word after a number ("people", "extensions"): the vocabulary's to name
    return _pint_unit(token)


# ---- declaring units -------------------------------------------------------------------------------
def declared(descriptor: dict) -> dict[str, str] | None:
    """The package's units (claimpack.units), or None when it declares none (the schema's enum rules)."""
    settings = descriptor.get("claimpack")
    units = settings.get("units") if isinstance(settings, dict) else None
    return dict(units) if isinstance(units, dict) else None


def _unit_field(descriptor: dict) -> dict | None:
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict) and resource.get("name") == "claims":
            for item in (resource.get("schema") or {}).get("fields") or []:
                if isinstance(item, dict) and item.get("name") == "unit":
                    return item
    return None


def drift(descriptor: dict) -> list[Problem]:
    """The claims schema's unit enum and claimpack.units must list the same codes."""
    units, item = declared(descriptor), _unit_field(descriptor)
    if units is None or item is None:
        return []
    enum = (item.get("constraints") or {}).get("enum")
    if isinstance(enum, list) and set(enum) == set(units):
        return []
    missing = sorted(set(units) - set(enum or []))
    extra = sorted(set(enum or []) - set(units))
    said = "; ".join(part for part in (f"the enum lacks {', '.join(missing)}" if missing else "",
                                        f"claimpack.units lacks {', '.join(extra)}" if extra else "") if part)
    return [Problem("datapackage.json", None, "resources[claims].schema.fields[unit].constraints.enum",
                    f"the unit enum is not the one claimpack.units declares ({said})",
                    "the enum generated from claimpack.units: declare a unit there, then run "
                    "`claimpack vocabulary sync`, or add it with `claimpack vocabulary add-unit`",
                    code="unit-enum-drift")]


def generate(descriptor: dict) -> dict:
    """The descriptor with its claims unit enum (and the field's description) made from claimpack.units."""
    units, item = declared(descriptor), _unit_field(descriptor)
    if units is None or item is None:
        return descriptor
    item.setdefault("constraints", {})["enum"] = list(units)
    listed = ", ".join(f"{code} ({text})" if text else code for code, text in units.items())
    item["description"] = f"Unit of value, one of claimpack.units: {listed}."
    return descriptor


def describe(code: str) -> str:
    """A description for a unit code: pint's name for a symbol ('GiB': 'gibibyte'), else the code in words."""
    if re.fullmatch(r"[A-Za-z]{1,6}(?:-per-[A-Za-z]{1,6})?", code):
        found = _pint_unit(code.replace("-per-", "/")) if not code.islower() or len(code) <= 3 else None
        if found:
            return found[1]
    return code.replace("-", " ")
