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
them (`generate`), and `drift` says when a descriptor's enum was edited apart from its
`claimpack.units`. `declare` adds a unit (and the words that print it) to a descriptor: the one
implementation behind `claimpack vocabulary add-unit` (claimpack.init.vocabulary) and the review
workbench's edit, both through `claimpack.model.mutation.Mutation.declare_unit`, which writes the
descriptor and the regenerated suites at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..system.problems import ClaimpackError, Problem
from .vocabulary import UNIT_CODE, UNITS, Vocabulary

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


def unit_description(code: str) -> str:
    """How the vocabulary describes a unit code: a signed change, a rate, a price in an ISO 4217
    currency, else pint's name or the code in words ("USD-per-day": "USD (ISO 4217) per day")."""
    if code.endswith("-change"):
        base = code[:-len("-change")]
        return f"a signed change in {UNITS.get(base) or unit_description(base)}"
    rate = re.fullmatch(r"per-(\d+)(k|m)?", code)
    if rate:
        scale = {"k": " thousand", "m": " million"}.get(rate.group(2) or "", "")
        return f"a rate per {rate.group(1)}{scale}"
    price = re.fullmatch(r"([A-Z]{3})(?:-per-(.+))?", code)
    if price:
        return f"{price.group(1)} (ISO 4217)" + (f" per {price.group(2).replace('-', ' ')}" if price.group(2) else "")
    return describe(code)


def declare(descriptor: dict, vocabulary: Vocabulary, code: str, description: str = "",
            words: Iterable[str] = ()) -> bool:
    """Declare a unit in `descriptor` (changed in place): `claimpack.units` with its description, its
    words in `claimpack.unit_words`, and the claims schema's enum generated from them.

    `vocabulary`: the package's as it stands (a word another unit has is refused). A package that
    declared no units had its schema's enum for a list: those units are declared first. Returns
    False when the package already declares the unit as asked (nothing changes). Raises
    ClaimpackError, changing nothing, for a code that is not a unit code or a word another unit has.
    """
    if not isinstance(code, str) or not UNIT_CODE.fullmatch(code):
        raise ClaimpackError(f"unit code {code!r} is not a unit code", field="code",
                             expected="letters and digits joined by single hyphens (GiB, kWh, elo-points)")
    words = tuple(dict.fromkeys(" ".join(word.split()) for word in words if word.strip()))
    settings = descriptor.get("claimpack", {})
    if not isinstance(settings, dict):
        raise ClaimpackError("the claimpack section is not an object", file="datapackage.json", field="claimpack",
                             expected="an object")
    for word in words:
        other = vocabulary.unit_word(word)
        if other is not None and other != code:
            raise ClaimpackError(f"the word {word!r} already names unit {other}", field="word",
                                 expected="a word no other unit of claimpack.unit_words has")
    units = declared(descriptor)
    if units is None:  # a package that declared none: its schema's enum was its list, described by the defaults
        item = _unit_field(descriptor)
        enum = (item or {}).get("constraints", {}).get("enum") or list(vocabulary.units)
        units = {unit: vocabulary.units.get(unit, unit_description(unit)) for unit in enum}
    wanted = description or units.get(code) or unit_description(code)
    new_words = [word for word in words if vocabulary.unit_word(word) != code]
    item = _unit_field(descriptor)
    enum = (item or {}).get("constraints", {}).get("enum") if item else None
    if declared(descriptor) is not None and units.get(code) == wanted and not new_words and \
            (not isinstance(enum, list) or code in enum):
        return False
    units[code] = wanted
    descriptor["claimpack"] = settings
    settings["units"] = units
    if new_words:
        unit_words = dict(settings.get("unit_words") or vocabulary.unit_words)
        unit_words.update({word: code for word in new_words})
        settings["unit_words"] = unit_words
    generate(descriptor)
    return True
