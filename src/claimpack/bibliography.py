"""The bibliography, generated from sources.csv and never edited by hand: CSL-JSON and BibLaTeX."""

from __future__ import annotations

import json
import re

from .escape import bibtex
from .package import Package

# CSL type -> BibLaTeX entry type (pandoc reads .bib files as BibLaTeX)
BIBLATEX_TYPES = {
    "book": "book", "chapter": "incollection", "article-journal": "article", "article-magazine": "article",
    "report": "report", "webpage": "online", "legislation": "legislation", "speech": "misc",
    "hearing": "misc", "entry-encyclopedia": "inreference", "thesis": "thesis",
}
SAFE_URL = re.compile(r"^(https?://|doi:)\S+$")


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
    """Only http, https and doi addresses ever reach a page."""
    return url if url and SAFE_URL.match(url) else None


def csl_item(row: dict) -> dict:
    """One sources.csv row as a CSL-JSON item."""
    item: dict = {"id": row["id"], "type": row.get("type") or "document", "title": row.get("title") or ""}
    for field, key in (("author", "author"), ("editor", "editor")):
        if names(row.get(field)):
            item[key] = names(row.get(field))
    for field, key in (("container_title", "container-title"), ("collection_title", "collection-title"),
                       ("publisher", "publisher"), ("publisher_place", "publisher-place"),
                       ("edition", "edition"), ("volume", "volume"), ("number_of_volumes", "number-of-volumes"),
                       ("issue", "issue"), ("page", "page"), ("number", "number"), ("doi", "DOI")):
        if row.get(field):
            item[key] = str(row[field])
    if safe_url(row.get("url")):
        item["URL"] = row["url"]
    for field, key in (("issued", "issued"), ("accessed", "accessed")):
        if csl_date(row.get(field)):
            item[key] = csl_date(row.get(field))
    return item


def csl_json(package: Package) -> str:
    """Every source as CSL-JSON (the format citeproc reads natively)."""
    items = [csl_item(row) for row in package.rows("sources") if row.get("id")]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def protect_case(text: str) -> str:
    """Brace the words whose capitals must survive case conversion (U.S., DoD, 5105.38-M, S.)."""
    def protect(match: re.Match) -> str:
        word = match.group(0)
        ordinary = re.fullmatch(r"(?:[A-Z]?[a-z\u00df-\u00ff'’-]+|[A-Z])[,:;?!)]*\.?", word) and not re.fullmatch(
            r"[A-Z]\.", word)
        return word if ordinary or not re.search(r"[A-Z]", word) else "{" + word + "}"

    return re.sub(r"[^\s{}]+", protect, text)


def _literal(text: str | None) -> str | None:
    """A list field (publisher, location) whose ' and ' is part of one name, not a separator."""
    return "{" + bibtex(text) + "}" if text else None


def _bib_names(text: str | None) -> str | None:
    parts = []
    for name in names(text):
        if "literal" in name:
            parts.append("{" + bibtex(name["literal"]) + "}")
        else:
            parts.append(f"{bibtex(name['family'])}, {bibtex(name['given'])}")
    return " and ".join(parts) or None


def biblatex_entry(row: dict) -> str:
    """One sources.csv row as a BibLaTeX entry."""
    kind = BIBLATEX_TYPES.get(row.get("type") or "", "misc")
    container = {"article": "journaltitle", "incollection": "booktitle", "inreference": "booktitle"}.get(
        kind, "maintitle" if kind != "online" else "organization")
    fields = [
        ("author", _bib_names(row.get("author"))),
        ("editor", _bib_names(row.get("editor"))),
        ("title", protect_case(bibtex(row.get("title") or ""))),
        (container, protect_case(bibtex(row["container_title"])) if row.get("container_title") else None),
        ("series", protect_case(bibtex(row["collection_title"])) if row.get("collection_title") else None),
        ("publisher", _literal(row.get("publisher"))),
        ("location", _literal(row.get("publisher_place"))),
        ("date", row.get("issued")),
        ("edition", row.get("edition")),
        ("volume", row.get("volume")),
        ("volumes", row.get("number_of_volumes")),
        ("number", row.get("issue") or row.get("number")),
        ("pages", (row.get("page") or "").replace("–", "--") or None),
        ("doi", row.get("doi")),
        ("url", safe_url(row.get("url"))),
        ("urldate", row.get("accessed")),
    ]
    if row.get("type") == "speech":
        fields.append(("howpublished", "Speech"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{row['id']},\n{body}\n}}\n"


def biblatex(package: Package) -> str:
    """Every source as BibLaTeX, for Quarto's `bibliography:`."""
    header = ("% Generated by `claimpack` from data/sources.csv. Do not edit: edit sources.csv and rebuild.\n\n")
    return header + "\n".join(biblatex_entry(row) for row in package.rows("sources") if row.get("id"))
