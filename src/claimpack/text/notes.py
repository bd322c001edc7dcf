"""A paper's cited works and its footnotes' citations, read from what the paper has.

Sources come from its bibliography (each entry as printed, read in the Chicago manner: authors,
title in italics or quotes, container, place and publisher, year, volume and issue, pages,
address), from the references in its metadata (CSL items, a .bib file), and from footnotes
that cite a work the bibliography lacks. Each footnote is split into its citations (at
semicolons); each is resolved to a work: by citation key ([@key]), as Ibid. of the footnote
before it (with that note's page when it gives none), or by the family name (and year or title)
of a known work. A footnote that cites nothing is recorded as citing the paper itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .paper import Paper, normalize

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)[a-z]?\b")  # 2019, and 2019a of an author-date list
_URL = re.compile(r"(https?://[^\s<>]+?)[.,;)]*(?=\s|$)")
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+?)[.,;)]*(?=\s|$)")
_ITALIC = re.compile(r"\*([^*]+)\*")
_QUOTED = re.compile(r"[“\"]([^”\"]+?)[,.]?[”\"]")
_LOCATOR = re.compile(r"(?:,|:)[”\"’']?\s*(?:pp?\.\s*)?(\d+(?:\s*[-–]\s*\d+)?(?:,\s*\d+(?:\s*[-–]\s*\d+)?)*)\.?\s*\Z")
_IBID = re.compile(r"^\s*\*?ibid\.?\*?", re.I)
CSL_TYPES = ("book", "chapter", "article-journal", "article-magazine", "report", "webpage", "legislation", "speech",
             "hearing", "entry-encyclopedia", "thesis")


@dataclass
class Works:
    """The sources table being built, and how to find a work again."""

    rows: list[dict] = field(default_factory=list)
    by_id: dict[str, dict] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # a citation key as written -> sources.id

    def add(self, row: dict) -> str:
        base = row["id"] or "work"
        found, suffix = base, ord("b")
        while found in self.by_id:
            found, suffix = f"{base}{chr(suffix)}" if base[-1].isdigit() else f"{base}-{chr(suffix)}", suffix + 1
        row["id"] = found
        self.rows.append(row)
        self.by_id[found] = row
        return found


def kebab(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", normalize(text).lower()))


def family_names(authors: str) -> list[str]:
    """Family names from 'Family, Given; Family2, Given2' or an organisation."""
    names = []
    for person in authors.split(";"):
        person = person.strip()
        if person:
            names.append(person.split(",")[0].strip() if "," in person else person)
    return names


def _authors(text: str, inverted: bool = True) -> str:
    """'Pick, Otto, and Julian Critchley' -> 'Pick, Otto; Critchley, Julian'; an organisation as is.

    `inverted`: the first name is written family name first, as a bibliography does (so a first
    name without a comma is an organisation).
    """
    text = text.strip().rstrip(".").strip()
    if inverted and "," not in text.split(" and ")[0]:
        return text
    parts = [p.strip() for p in re.split(r",?\s+and\s+|;\s*|,\s+&\s+|\s+&\s+", text) if p.strip()]
    if not parts:
        return ""
    found = []
    first = parts[0]
    if first.count(",") >= 1:
        family, given = first.split(",", 1)
        found.append(f"{family.strip()}, {given.strip().rstrip(',')}")
        rest = parts[1:]
    else:
        rest = parts
    for person in rest:
        words = person.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words):
            found.append(f"{words[-1]}, {' '.join(words[:-1])}")
        else:
            found.append(person)
    return "; ".join(found)


def read_entry(text: str, inverted: bool = True) -> dict:
    """One bibliography entry (or, not `inverted`, a footnote's citation) as printed -> CSL-style fields."""
    plain = text.replace("*", "")
    row: dict = {"type": "book"}
    quoted = _QUOTED.search(text)
    italic = _ITALIC.search(text)
    head = text[: min(m.start() for m in (quoted, italic) if m)] if (quoted or italic) else text.split(". ")[0]
    author = re.sub(r"[.,]?\s*\(?(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.?|forthcoming|in press)\)?\.?\s*\Z", "",
                    head.strip(), flags=re.I).rstrip(".").strip()
    if quoted:
        row["title"] = quoted.group(1).strip()
        if italic and italic.start() > quoted.start():
            row["container_title"] = italic.group(1).strip().rstrip(".")
            row["type"] = "article-journal" if re.search(r"\d+,\s*no\.|\(\d{4}\):|\d+\s*\(\d", plain) else "chapter" \
                if re.search(r"\bIn\b", text[quoted.end():italic.start()]) else "article-magazine"
        elif _URL.search(text):
            row["type"] = "webpage"
    elif italic:
        row["title"] = italic.group(1).strip().rstrip(".")
    else:
        pieces = [p.strip() for p in plain.split(". ") if p.strip()]
        row["title"] = pieces[1] if len(pieces) > 1 else plain.strip()
        author = pieces[0] if len(pieces) > 1 else ""
    row["author"] = _authors(author, inverted) if author and author != row.get("title") else ""
    years = _YEAR.findall(plain)
    if years:
        row["issued"] = years[-1] if not quoted else years[0]
    url = _URL.search(plain)
    if url:
        row["url"] = url.group(1).rstrip(".")
        if row["type"] == "book" and not re.search(r":\s*[A-Z][^,]+,\s*\d{4}", plain):
            row["type"] = "webpage"
    doi = _DOI.search(plain)
    if doi:
        row["doi"] = doi.group(1)
    volume = re.search(r"\b(\d+),\s*no\.\s*(\d+)", plain)
    if volume:
        row["volume"], row["issue"] = volume.group(1), volume.group(2)
    pages = re.search(r"\):\s*(\d+\s*[-–]\s*\d+)", plain)
    if pages:
        row["page"] = pages.group(1)
    after_title = plain[plain.find(row["title"]) + len(row["title"]):] if row.get("title") in plain else plain
    publisher = re.search(r"(?:^|[.(]\s*)([A-Z][\w .,'-]+?):\s*([^,.:()]+?),\s*(?:\w+\s+)?\d{4}", after_title)
    if publisher and row["type"] in ("book", "report", "chapter"):
        row["publisher_place"], row["publisher"] = publisher.group(1).strip(), publisher.group(2).strip()
    return row


def _source_row(fields: dict, entry: str = "") -> dict:
    families = family_names(fields.get("author", ""))
    who = families[0] if families else (fields.get("title") or "work").split(":")[0]
    who = " ".join(kebab(who).split("-")[:3]) if families else " ".join(kebab(who).split("-")[:2])
    year = (fields.get("issued") or "nd")[:4]
    return {"id": f"{kebab(who)}-{year}", **fields, "in_bibliography": bool(entry), "bibliography_entry": entry}


def from_csl(item: dict) -> dict:
    """A CSL item (from metadata or a .bib file) -> a sources row."""
    def people(key: str) -> str:
        names = []
        for person in item.get(key) or []:
            if isinstance(person, dict):
                if person.get("family"):
                    names.append(f"{person['family']}, {person.get('given', '')}".rstrip(", "))
                elif person.get("literal"):
                    names.append(str(person["literal"]))
        return "; ".join(names)

    issued = item.get("issued") or {}
    parts = issued.get("date-parts", [[]])[0] if isinstance(issued, dict) else []
    date = "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts) if str(p).isdigit()) \
        if parts else str(issued.get("literal", "")) if isinstance(issued, dict) else ""
    kind = item.get("type") if item.get("type") in CSL_TYPES else ("article-journal" if item.get("container-title")
                                                                   else "book")
    return {"type": kind, "author": people("author"), "editor": people("editor"),
            "title": str(item.get("title") or item.get("id") or ""),
            "container_title": str(item.get("container-title") or ""), "publisher": str(item.get("publisher") or ""),
            "publisher_place": str(item.get("publisher-place") or ""), "issued": date,
            "volume": str(item.get("volume") or ""), "issue": str(item.get("issue") or ""),
            "page": str(item.get("page") or ""), "url": str(item.get("URL") or ""), "doi": str(item.get("DOI") or "")}


def _matches(part: str, row: dict) -> int:
    """How well a citation in a footnote matches a known work (0: not at all)."""
    plain = normalize(part).lower()
    families = [f.lower() for f in family_names(row.get("author") or "")]
    title_words = {w for w in re.findall(r"[a-z]{4,}", normalize(row.get("title") or "").lower())}
    words = set(re.findall(r"[a-z]{4,}", plain))
    score = 0
    if families and re.search(rf"\b{re.escape(families[0])}\b", plain[:120]):
        score += 2
    if title_words and len(title_words & words) >= min(2, len(title_words)):
        score += 2
    if row.get("issued") and row["issued"][:4] in plain:
        score += 1
    return score if score >= 2 else 0


def _parts(text: str) -> list[str]:
    """A footnote's citations: its text split at semicolons outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "(["
        depth -= char in ")]"
        if char == ";" and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _locator(part: str) -> str:
    found = _LOCATOR.search(part.replace("*", "").rstrip())
    return found.group(1).replace(" ", "") if found else ""


def _looks_cited(part: str) -> bool:
    return bool(_YEAR.search(part) and (_ITALIC.search(part) or _QUOTED.search(part) or _URL.search(part)))


def read_notes(paper: Paper, own: dict, references: list[dict], keyed: dict[int, list[tuple[str, str]]]
               ) -> tuple[list[dict], list[dict]]:
    """(sources rows, citations rows) for the paper; `own` is the paper's own sources row."""
    works = Works()
    own_id = works.add(own)
    for item in references:
        key = str(item.get("id") or "")
        row = {"id": kebab(key) or "work", **from_csl(item), "in_bibliography": False, "bibliography_entry": ""}
        works.keys[key] = works.add(row)
    for block in paper.blocks:
        if block.kind == "bibliography-entry":
            fields = read_entry(block.text)
            known = next((r for r in works.rows[1:] if not r["bibliography_entry"] and _matches(block.text, r) >= 4),
                         None)
            if known is not None:
                known.update({"in_bibliography": True, "bibliography_entry": block.text})
            else:
                works.add(_source_row(fields, block.text))
    citations: list[dict] = []
    previous: list[dict] = []
    previous_note = None
    for number in sorted(paper.footnotes):
        text = paper.footnotes[number].text
        rows: list[dict] = []
        keys = list(keyed.get(number, []))
        for part in _parts(text):
            locator = _locator(part)
            if _IBID.match(part) and previous:
                target = previous[-1]
                rows.append({"source_id": target["source_id"], "locator": locator or target["locator"],
                             "cited_as": part, "ibid": True, "ibid_of": previous_note})
                continue
            key = next((k for k, _ in keys if f"@{k}" in part), None)
            if key is not None and key in works.keys:
                rows.append({"source_id": works.keys[key], "locator": dict(keys).get(key) or locator,
                             "cited_as": part, "ibid": False, "ibid_of": ""})
                continue
            scored = sorted(((_matches(part, row), index) for index, row in enumerate(works.rows) if index),
                            reverse=True)
            if scored and scored[0][0]:
                rows.append({"source_id": works.rows[scored[0][1]]["id"], "locator": locator, "cited_as": part,
                             "ibid": False, "ibid_of": ""})
            elif _looks_cited(part):
                fields = read_entry(re.sub(r",\s*(?:pp?\.\s*)?\d+(?:\s*[-–]\s*\d+)?\.?\s*\Z", ".", part),
                                    inverted=False)
                source = works.add(_source_row(fields))
                rows.append({"source_id": source, "locator": locator, "cited_as": part, "ibid": False, "ibid_of": ""})
        if not rows:
            cited_as = " ".join(text.split()[:8]) or text
            rows.append({"source_id": own_id, "locator": "", "cited_as": cited_as, "ibid": False, "ibid_of": ""})
        for position, row in enumerate(rows, start=1):
            citations.append({"footnote": number, "position": position, **row})
        previous, previous_note = rows, number
    return works.rows, citations
