"""Who wrote a paper and when, from wherever the document states it.

- `persons`: each author a person, in order, from what metadata holds: a list, a JOSS-style list
  of maps (`name:`, `given-names`/`surname`, `given`/`family`, `literal`), or one string naming
  several people ("Ada Lovelace, Charles Babbage and Mary Somerville"; a single "Lovelace, Ada"
  stays one person).
- `iso_date`: a date as printed ("Updated September 23, 2026", "23 Sept. 2026", "27/02/2026",
  "2026-09-23T10:00") as ISO 8601, as precise as it is certain ("01/03/2024" could be January or
  March: "2024").
- `header_date`: the date a report's header prints near its top ("Updated September 23, 2026").
- `docx_core`: a Word file's core properties (title, creator, created), read within a bound.
"""

from __future__ import annotations

import re
from typing import Any

MONTHS = {name: number for number, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")), start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>1[5-9]\d\d|2[01]\d\d)"
_DATES = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I),  # September 23, 2026
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 23 September 2026
    re.compile(rf"\b{_YEAR}([-/.])(?P<mm>\d{{1,2}})\2(?P<day>\d{{1,2}})(?!\d)"),  # 2026-09-23, 2026/09/23T10:00
    re.compile(rf"\b(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.]{_YEAR}\b"),  # 23/09/2026, 09/23/2026
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I),  # September 2026
    re.compile(rf"\b{_YEAR}-(?P<mm>\d{{1,2}})\b(?!-)"),  # 2026-09
    re.compile(rf"^\s*{_YEAR}\s*$"),  # 2026
)
_DATE_WORDS = re.compile(r"^\s*(?:(?:last\s+)?updated|published|posted|revised|released|issued|dated?|"
                         r"version of|as of)?\s*(?:on\s*)?:?\s*", re.I)
_REPORT_ID = re.compile(r"\s*(?:\([^)]{1,40}\)|[-–—|·]\s*\S.{0,60})?\s*(?:jump to .*)?$", re.I)


# Spellings that tell British (and Commonwealth) English from American: a document in British spelling writes
# its dates day first ("01/03/2024" is 1 March), one in American spelling month first. "-ize" is no sign
# (Oxford spelling uses it too).
_BRITISH = re.compile(r"\b(?:centres?|colours?|behaviours?|favour(?:s|ite)?|labour|neighbours?|analys(?:e|ed|ing)|"
                      r"organis(?:e|ed|ation|ations)|optimis(?:e|ed|ation)|utilis(?:e|ed|ation)|realis(?:e|ed)|"
                      r"modelling|travelled|programmes?)\b", re.I)
_AMERICAN = re.compile(r"\b(?:centers?|colors?|behaviors?|favor(?:s|ite)?|labor|neighbors?|analyz(?:e|ed|ing)|"
                       r"modeling|traveled)\b", re.I)
_SLASHED = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](?:1[5-9]|2[01])\d\d\b")


def day_first(text: str, language: str = "en") -> bool | None:
    """Whether the document writes dates day first: from a date in it that only one order reads (13/02/2026),
    else from its spelling (British "centre", "behaviour": day first; American "center", "behavior": month
    first); a language other than English writes them day first. None when nothing tells."""
    for match in _SLASHED.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    if language.split("-")[0].lower() not in ("en", ""):
        return True
    british, american = len(_BRITISH.findall(text)), len(_AMERICAN.findall(text))
    return True if british > american else False if american > british else None


def iso_date(text: str, day_first: bool | None = None) -> str:
    """A date as printed, as ISO 8601 at the precision it is certain of; "" if it holds none. A date whose
    day and month could swap ("01/03/2024") is read in the order `day_first` gives, else as its year."""
    text = " ".join(str(text or "").split())
    for pattern in _DATES:
        found = pattern.search(text)
        if not found:
            continue
        parts = found.groupdict()
        year = int(parts["year"])
        if parts.get("a"):
            first, second = int(parts["a"]), int(parts["b"])
            if first > 12 >= second:
                return f"{year:04d}-{second:02d}-{first:02d}"
            if second > 12 >= first:
                return f"{year:04d}-{first:02d}-{second:02d}"
            if first == second or day_first is None:
                return f"{year:04d}" if first != second else f"{year:04d}-{first:02d}-{first:02d}"
            day, month = (first, second) if day_first else (second, first)
            return f"{year:04d}-{month:02d}-{day:02d}"
        month = MONTHS.get((parts.get("month") or "").lower().rstrip(".")) or int(parts.get("mm") or 0)
        if not 1 <= month <= 12:
            return f"{year:04d}"
        day = int(parts.get("day") or 0)
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else f"{year:04d}-{month:02d}"
    return ""


def header_date(lines: list[str]) -> str:
    """The date a header line near the top prints: a line that is a date, perhaps after "Updated"."""
    for line in lines:
        line = line.strip().strip("*_").strip()
        if not line or len(line) > 90:
            continue
        rest = _DATE_WORDS.sub("", line, count=1)
        date = iso_date(rest)
        if not date or len(date) < 7:
            continue
        # the line is the date (and perhaps a report number after it), not a sentence that holds one
        for pattern in _DATES[:2] + _DATES[2:4] + _DATES[4:5]:
            found = pattern.match(rest)
            if found and _REPORT_ID.fullmatch(rest[found.end():]):
                return date
    return ""


# ---- people ----------------------------------------------------------------------------------
_JOINERS = re.compile(r"\s*;\s*|\s*,?\s+(?:and|&|und|et|y)\s+|\s*,\s*", re.I)
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d."}


_BODIES = re.compile(r"\b(?:Service|Office|Agency|Institute|Institution|Commission|Bureau|Department|Ministry|Council|"
                     r"Organi[sz]ation|Association|Foundation|University|Universit[éà]|Center|Centre|Committee|Board|"
                     r"Administration|Authority|Bank|Fund|Corporation|Company|Inc\.?|Ltd\.?|LLC|GmbH|Society|Academy|"
                     r"Laboratory|Library|Group|Team|Project|Consortium|Network|Coalition|Alliance|Secretariat|"
                     r"Parliament|Congress|Senate|Government|Court|Police|Union|Programme|Program)\b")


def is_organisation(name: str) -> bool:
    """An author that is a body, not a person ("Congressional Research Service", "World Bank"): written as
    printed, never turned into family and given names."""
    return bool(_BODIES.search(name)) and "," not in name


def split_people(text: str) -> list[str]:
    """One string naming one or more people -> each person, in order.

    "A B, C D and E F" is three people; "Lovelace, Ada" (family name, comma, given names) is one;
    "Lovelace, Ada; Babbage, Charles" is two.
    """
    text = " ".join(text.split()).strip(" ,;")
    if not text:
        return []
    if ";" in text:
        return [person for part in text.split(";") for person in split_people(part)]
    parts = [part for part in _JOINERS.split(text) if part]
    if "," in text and len(parts) == 2 and " " not in parts[0].strip() and not re.search(r"\s(?:and|&)\s", text):
        return [text]  # "Lovelace, Ada"
    people: list[str] = []
    for part in parts:
        if part.lower().rstrip(".") in _SUFFIXES and people:
            people[-1] += ", " + part
        elif people and " " not in part and " " not in people[-1] and "," not in people[-1]:
            people[-1] += ", " + part  # "Lovelace, A., Babbage, C.": pairs of family and initials
        else:
            people.append(part)
    return [person for person in people if person]


def _person_of_map(value: dict) -> str:
    name = value.get("name")
    if isinstance(name, dict):
        return _person_of_map(name)
    if name:
        return str(name)
    if value.get("literal"):
        return str(value["literal"])
    given = value.get("given-names") or value.get("given") or value.get("first") or value.get("firstname") or ""
    family = value.get("surname") or value.get("family") or value.get("last") or value.get("lastname") or ""
    particle = value.get("non-dropping-particle") or value.get("name-particle") or value.get("dropping-particle") or ""
    return " ".join(str(part) for part in (given, particle, family) if part)


def persons(value: Any) -> list[str]:
    """Authors from metadata (plain JSON: a string, a list, maps) -> each a person, in order."""
    if value is None or value is False:
        return []
    if isinstance(value, str):
        return split_people(value)
    if isinstance(value, dict):
        person = _person_of_map(value)
        return [" ".join(person.split())] if person.strip() else []
    if isinstance(value, list):
        found: list[str] = []
        for item in value:
            found += persons(item) if not isinstance(item, str) else [" ".join(item.split())] if item.strip() else []
        return found
    return []


def docx_core(path) -> dict[str, str]:
    """A DOCX's core properties: title, creator, created (an empty dict when it has none)."""
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 1 << 20:
                return {}
            data = archive.read(info)
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return {}
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return {}  # no entity of any kind is expanded
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return {}
    found = {}
    for element in root:
        name = str(element.tag).rsplit("}", 1)[-1]
        if name in ("title", "creator", "created") and element.text and element.text.strip():
            found[name] = " ".join(element.text.split())
    return found
