"""The bibliography, generated from sources.csv and never edited by hand: CSL-JSON and BibLaTeX."""

from __future__ import annotations

import json
import re

import bibtexparser
from bibtexparser import model

from ..system.escape import bibtex
from ..text import csl
from .package import Package

# http(s) addresses of URL characters only: no space, quote, brace, backslash or angle bracket
SAFE_URL = re.compile(r"^https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def names(text: str | None) -> list[dict]:
    """'Family, Given; Organisation' -> CSL name objects."""
    found = []
    for person in (text or "").split(";"):
        person = person.strip()
        if not person:
            continue
        if "," in person:
            family, given = (part.strip() for part in person.split(",", 1))
            found.append({"family": family, "given": given})
        else:
            found.append({"literal": person})
    return found


def csl_date(value: str | None) -> dict | None:
    if not value:
        return None
    parts = [int(part) for part in value.split("-") if part.isdigit()]
    return {"date-parts": [parts]} if parts else None


def safe_url(url: str | None) -> str | None:
    """Only http and https addresses of URL characters ever reach a page or a .bib; a doi: address
    becomes its https://doi.org/ form."""
    if not url:
        return None
    url = str(url).strip()
    if url.startswith("doi:") and DOI.fullmatch(url[4:]):
        url = "https://doi.org/" + url[4:]
    return url if SAFE_URL.match(url) else None


def csl_item(row: dict) -> dict:
    """One sources.csv row as a CSL-JSON item."""
    item: dict = {"id": row["id"], "type": row.get("type") or "document", "title": row.get("title") or ""}
    for field, key in (("author", "author"), ("editor", "editor")):
        if names(row.get(field)):
            item[key] = names(row.get(field))
    for field, key in (("container_title", "container-title"), ("collection_title", "collection-title"),
                       ("publisher", "publisher"), ("publisher_place", "publisher-place"),
                       ("edition", "edition"), ("volume", "volume"), ("number_of_volumes", "number-of-volumes"),
                       ("issue", "issue"), ("page", "page"), ("number", "number")):
        if row.get(field):
            item[key] = str(row[field])
    if _checked(row.get("doi"), DOI):
        item["DOI"] = _checked(row.get("doi"), DOI)
    if safe_url(row.get("url")):
        item["URL"] = safe_url(row.get("url"))
    for field, key in (("issued", "issued"), ("accessed", "accessed")):
        if csl_date(row.get(field)):
            item[key] = csl_date(row.get(field))
    return item


def csl_json(package: Package) -> str:
    """Every source as CSL-JSON (the format citeproc reads natively)."""
    items = [csl_item(row) for row in package.rows("sources") if row.get("id")]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*(?:[:.+-][A-Za-z0-9_]+)*")  # read whole as a pandoc citation key
DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?")
DOI = re.compile(r"10\.[0-9]{4,9}/[-._;()/:A-Za-z0-9<>]+")


def plain(text: object) -> str:
    """One line of text: control and invisible characters dropped, white space made single spaces."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def bibtex_escape(text: str) -> str:
    """Text as a BibTeX field value: one line, every special character encoded, braces balanced."""
    return bibtex(plain(text))


def _needs_case_protection(word: str) -> bool:
    """Words whose capitals must survive a style's case conversion (U.S., DoD, 5105.38-M, S.)."""
    ordinary = re.fullmatch(r"(?:[A-Z]?[a-z\u00df-\u00ff'’-]+|[A-Z])[,:;?!)]*\.?", word) and not re.fullmatch(
        r"[A-Z]\.", word)
    return not ordinary and bool(re.search(r"[A-Z]", word))


def title_value(text: str) -> str:
    """A title field: encoded word by word, the words whose capitals matter in braces.

    A lowercase word after an abbreviation ("U.S. and") is braced too: citeproc would take the
    abbreviation's full stop for the end of a sentence and capitalise the word.
    """
    words = [w for w in plain(text).split(" ") if w]
    return " ".join("{" + bibtex_escape(w) + "}"
                    if _needs_case_protection(w) or (i and words[i - 1].endswith(".") and w[:1].islower())
                    else bibtex_escape(w) for i, w in enumerate(words))


def _literal(text: str | None) -> str | None:
    """A list field (publisher, location) whose ' and ' is part of one name, not a separator."""
    return "{" + bibtex_escape(text) + "}" if text and plain(text) else None


def _bib_names(text: str | None) -> str | None:
    parts = []
    for name in names(plain(text or "")):
        if "literal" in name:
            parts.append("{" + bibtex_escape(name["literal"]) + "}")
        else:
            parts.append(f"{bibtex_escape(name['family'])}, {bibtex_escape(name['given'])}")
    return " and ".join(parts) or None


def _checked(value: object, pattern: re.Pattern) -> str | None:
    text = plain(value) if value is not None else ""
    return text if text and pattern.fullmatch(text) else None


def _short(value: object) -> str | None:
    """A short field (volume, edition, pages): encoded like any text."""
    text = plain(value) if value is not None else ""
    return bibtex_escape(text) if text else None


def bibtex_key(source_id: str) -> str:
    """The entry key, which the report cites too: the source id when it is a safe key (sources.csv's ids
    are kebab-case), otherwise the id with every run of other characters made one hyphen."""
    text = plain(source_id)
    return text if KEY.fullmatch(text) else re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "source"


def biblatex_fields(row: dict) -> tuple[str, str, list[tuple[str, str]]]:
    """(entry type, key, [(field, encoded value)]) for one sources.csv row."""
    kind = csl.kind(row.get("type")).biblatex  # pandoc reads it back as the same CSL type
    # pandoc reads journaltitle and booktitle as the CSL container-title; maintitle would be read as
    # the title of a multi-volume work and take the place of the work's own title
    container = {"incollection": "booktitle", "inreference": "booktitle", "online": "organization"}.get(
        kind, "journaltitle")
    fields = [
        ("author", _bib_names(row.get("author"))),
        ("editor", _bib_names(row.get("editor"))),
        ("title", title_value(row.get("title") or "")),
        (container, title_value(row["container_title"]) if row.get("container_title") else None),
        ("series", title_value(row["collection_title"]) if row.get("collection_title") else None),
        ("publisher", _literal(row.get("publisher"))),
        ("location", _literal(row.get("publisher_place"))),
        ("date", _checked(row.get("issued"), DATE)),
        ("edition", _short(row.get("edition"))),
        ("volume", _short(row.get("volume"))),
        ("volumes", _short(row.get("number_of_volumes"))),
        ("number", _short(row.get("issue") or row.get("number"))),
        ("pages", _short((plain(row.get("page") or "")).replace("–", "--"))),
        ("doi", _checked(row.get("doi"), DOI)),
        ("url", safe_url(row.get("url"))),
        ("urldate", _checked(row.get("accessed"), DATE)),
    ]
    if row.get("type") == "speech":
        fields.append(("howpublished", "Speech"))
    return kind, bibtex_key(str(row["id"])), [(name, value) for name, value in fields if value]


def biblatex_entries(rows: list[dict]) -> str:
    """sources.csv rows as BibLaTeX entries, written by bibtexparser (values already encoded)."""
    library = bibtexparser.Library()
    seen: set[str] = set()
    for place, row in enumerate(rows, 1):
        kind, key, fields = biblatex_fields(row)
        if key in seen:  # an invalid package may repeat an id; the .bib still holds each key once
            continue
        seen.add(key)
        # the work's place in sources.csv, which holds the works in the paper's own order (its numbered
        # list, or its first note citing each): pandoc reads `library` as CSL's call-number, the key the
        # report's style of claimpack init sorts its references by, so [2] comes before [10]
        fields.append(("library", f"{place:05d}"))
        library.add(model.Entry(kind, key, [model.Field(name, value) for name, value in fields]))
    style = bibtexparser.BibtexFormat()
    style.indent = "  "
    style.block_separator = "\n"
    return bibtexparser.write_string(library, bibtex_format=style)


def biblatex(package: Package) -> str:
    """Every source as BibLaTeX, for Quarto's `bibliography:`.

    Written here (bibtexparser, field by field) rather than by pandoc's `csljson -> biblatex`
    writer, measured on this package: pandoc takes about 0.5 s a build against about 0.1 s here,
    and it rewrites every title into title case ("Close } a Field, ... /Etc/Passwd") and straight
    apostrophes into curly ones, so the report would no longer print titles as sources.csv
    records them. pandoc still reads what this writes (tests/unit/test_bibliography_escaping.py).
    """
    header = ("% Generated by `claimpack` from data/sources.csv. Do not edit: edit sources.csv and rebuild.\n\n")
    return header + biblatex_entries([row for row in package.rows("sources") if row.get("id")])
