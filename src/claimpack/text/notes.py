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

from . import csl
from .paper import Paper, normalize
from .references import (
    URL,
    legal_citations,
    looks_cited,
    normal_url,
    parse_reference,
    reference_shaped,
    split_citations,
    strip_signal,
    unmarked_citation,
)

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)[a-z]?\b")  # 2019, and 2019a of an author-date list
_URL = re.compile(r"(https?://[^\s<>]+?)[.,;)]*(?=\s|$)")
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+?)[.,;)]*(?=\s|$)")
_ITALIC = re.compile(r"\*([^*]+)\*")
_QUOTED = re.compile(r"[“\"]([^”\"]+?)[,.]?[”\"]")
_LOCATOR = re.compile(r"(?:,|:)[”\"’']?\s*(?:pp?\.\s*)?(\d+(?:\s*[-–]\s*\d+)?(?:,\s*\d+(?:\s*[-–]\s*\d+)?)*)\.?\s*\Z")
_IBID = re.compile(r"^\s*\*?ibid\.?\*?", re.I)


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
    """Lower-case ASCII words joined by hyphens ("Schönefeld" -> "schonefeld")."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", normalize(text)).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"(?<=\w)'(?=\w)", "", plain)  # "operator's" is one word
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower()))


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
    title = fields.get("title") or "work"
    if re.match(r"https?://", title):  # a page known by its address: named by its site
        title = re.sub(r"^https?://(?:www\.)?", "", title).split("/")[0].replace(".", " ")
    who = families[0] if families else title.split(":")[0]
    who = " ".join(kebab(who).split("-")[:3]) if families else " ".join(kebab(who).split("-")[:2])
    year = (fields.get("issued") or "nd")[:4]
    kind = fields.get("type") or "book"
    fields = {**fields, "type": kind if kind in csl.TYPES else "document"}
    if not fields.get("title"):  # an entry the parser could not read keeps its words as its title, for review
        fields["title"] = " ".join(re.sub(r"^\s*(?:\[\d{1,4}\]|\d{1,4}\.)\s*", "", entry).split())[:120] or \
            "(untitled)"
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
    kind = item.get("type") if item.get("type") in csl.TYPES else ("article-journal" if item.get("container-title")
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


_IBID_ANY = re.compile(r"^\s*\*?(?:ibid|id)\.?\*?(?=[\s,.;]|$)", re.I)
_SUPRA = re.compile(r"\bsupra\s+(?:note|n\.)\s*(\d{1,4})", re.I)
_OP_CIT = re.compile(r"^\s*(?P<who>[^,]{2,80}?),?\s+\*?(?:op\.?\s*cit|loc\.?\s*cit)\.?\*?", re.I)
_HEREINAFTER = re.compile(r"hereinafter(?:\s+(?:cited\s+as|referred\s+to\s+as))?[,:]?\s+[“\"*]*([^”\"*)\]]{2,80}?)"
                          r"[”\"*]*\s*[)\]]", re.I)


class _Resolver:
    """Each citation of each note resolved to one work, a work added once however often it is cited."""

    def __init__(self, works: Works, keys: dict[str, str]):
        self.works = works
        self.by_url: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_legal: dict[str, str] = {}
        self.by_title: dict[tuple[str, str], str] = {}
        self.short: dict[str, str] = {}  # a "hereinafter" short form -> sources.id
        self.by_note: dict[int, list[dict]] = {}
        self.keys = keys

    def remember(self, source_id: str, row: dict) -> None:
        if row.get("url"):
            self.by_url.setdefault(normal_url(row["url"]), source_id)
        if row.get("doi"):
            self.by_doi.setdefault(row["doi"].lower(), source_id)
        if row.get("title"):
            families = family_names(row.get("author") or "")
            self.by_title.setdefault((families[0].lower() if families else "", _title_key(row["title"])), source_id)
            self.by_title.setdefault(("*", _title_key(row["title"])), source_id)

    def known(self, fields: dict) -> str | None:
        if fields.get("doi") and fields["doi"].lower() in self.by_doi:
            return self.by_doi[fields["doi"].lower()]
        if fields.get("url") and normal_url(fields["url"]) in self.by_url:
            return self.by_url[normal_url(fields["url"])]
        if fields.get("title"):
            families = family_names(fields.get("author") or "")
            key = _title_key(fields["title"])
            found = self.by_title.get((families[0].lower() if families else "", key))
            if found is None and len(key.split()) >= 5:  # a long title is the work, whoever the note names first
                found = self.by_title.get(("*", key))
            return found
        return None

    def work(self, fields: dict, entry: str = "") -> str:
        """The id of the work these fields name: one already known, or a new one."""
        found = self.known(fields)
        if found is not None:
            row = self.works.by_id[found]
            for key, value in fields.items():  # a fuller citation of the same work fills what was missing
                if key in SOURCE_FIELDS and value and not row.get(key):
                    row[key] = value
            return found
        row = _source_row({k: v for k, v in fields.items() if k in SOURCE_FIELDS}, entry)
        source_id = self.works.add(row)
        self.remember(source_id, row)
        return source_id

    def listed(self, part: str) -> str | None:
        """The bibliography's (or metadata's) work a citation names by family name and title words, if any."""
        scored = sorted(((_matches(part, row), index) for index, row in enumerate(self.works.rows)
                         if index and (row.get("in_bibliography") or row["id"] in self.keys.values())), reverse=True)
        return self.works.rows[scored[0][1]]["id"] if scored and scored[0][0] >= 4 else None

    def legal(self, cite: dict) -> str:
        if cite["key"] in self.by_legal:
            return self.by_legal[cite["key"]]
        row = {"id": kebab(cite["title"].replace(".", "").replace("§", " ")) or "law", "type": cite["type"],
               "author": "", "title": cite["title"], "issued": cite.get("issued", ""), "in_bibliography": False,
               "bibliography_entry": ""}
        source_id = self.works.add(row)
        self.by_legal[cite["key"]] = source_id
        return source_id

    def resolve(self, number: int, part: str, previous: list[dict], previous_note, keyed: list) -> list[dict]:
        """The citations one piece of a note makes (none for the author's own comment)."""
        locator = _part_locator(part)

        def cited(source_id: str, where: str = "", ibid: bool = False, of="") -> dict:
            return {"source_id": source_id, "locator": where, "cited_as": part, "ibid": ibid, "ibid_of": of}

        if _IBID_ANY.match(part) and previous:
            target = previous[-1]
            return [cited(target["source_id"], locator or target["locator"], True, previous_note)]
        supra = _SUPRA.search(part)
        if supra and self.by_note.get(int(supra.group(1))):
            return [cited(self.by_note[int(supra.group(1))][0]["source_id"], locator)]
        key = next((k for k, _ in keyed if f"@{k}" in part), None)
        if key is not None and key in self.keys:
            return [cited(self.keys[key], dict(keyed).get(key) or locator)]
        plain = normalize(part).lower()
        short = next((source for form, source in self.short.items() if plain.startswith(form) or
                      re.match(r"^[^,]{0,80},\s*" + re.escape(form), plain)), None)
        if short is not None and "hereinafter" not in plain:
            return [cited(short, locator)]
        op_cit = _OP_CIT.match(normalize(part))
        if op_cit:
            who = op_cit.group("who").split()[-1].lower()
            for rows in reversed(list(self.by_note.values())):
                for row in reversed(rows):
                    families = [f.lower() for f in family_names(self.works.by_id[row["source_id"]].get("author", ""))]
                    if who in families:
                        return [cited(row["source_id"], locator)]
        found: list[dict] = []
        stripped = strip_signal(part)
        addresses = URL.findall(part.replace("*", ""))
        unmarked = unmarked_citation(part)  # "DOJ, NIJ, Do Drug Courts Work? ..., https://...": no italics, no quotes
        if unmarked is not None:
            listed = self.listed(part) if self.known(unmarked) is None else None
            found.append(cited(listed or self.work(unmarked), locator))
        elif addresses and (len(addresses) > 1 or _is_comment(stripped, part)) and \
                not _ITALIC_OR_QUOTED.search(part) and not reference_shaped(part):
            for address in addresses:  # "For more on the program, see https://a and https://b": each page a work
                url = address if address.startswith("http") else "https://" + address
                found.append(cited(self.work({"type": "webpage", "title": url, "url": url}), locator))
        elif looks_cited(part):
            fields = parse_reference(part)
            if fields.get("legal_key"):
                legal = legal_citations(strip_signal(part))
                if legal:
                    found.append(cited(self.legal(legal[0]), locator))
            elif fields.get("title") or fields.get("url"):
                if locator and (fields.get("page") or "").replace(" ", "") == locator and \
                        not re.search(r"[-–]", locator):
                    fields.pop("page")  # "p. 344" of a note is the page it cites, not the work's extent
                listed = self.listed(part) if self.known(fields) is None else None
                source_id = listed or self.work(fields)  # a short form of a listed work is that work
                article_pages = fields.get("volume") and locator == (fields.get("page") or "").replace(" ", "")
                found.append(cited(source_id, "" if article_pages else locator))  # an article's pages: no pin
                shorter = _HEREINAFTER.search(part)
                if shorter:
                    self.short[normalize(shorter.group(1)).lower().strip(" ,.")] = source_id
        if not found and len(part.split()) <= 20:  # a short form of a work the bibliography lists: "Eurostat 2023, 12"
            scored = sorted(((_matches(part, row) + (2 if row.get("in_bibliography") else 0), index)
                             for index, row in enumerate(self.works.rows) if index and _matches(part, row)),
                            reverse=True)
            if scored and scored[0][0] >= 4:
                found.append(cited(self.works.rows[scored[0][1]]["id"], locator))
        for legal in legal_citations(part):  # 47 U.S.C. §606(c), P.L. 119-21: works of their own
            source_id = self.legal(legal)
            if all(row["source_id"] != source_id for row in found):
                found.append({**cited(source_id, ""), "cited_as": legal["printed"]})
        if not found:  # a site a note names by its domain ("searching ... on CrimeSolutions.gov")
            for domain in _DOMAIN.findall(URL.sub(" ", part.replace("*", ""))):
                url = "https://" + domain.lower()
                found.append({**cited(self.work({"type": "webpage", "title": domain, "url": url}), ""),
                              "cited_as": domain})
        return found


# a domain named in prose, not inside an address or an e-mail: "CrimeSolutions.gov", "data.europa.eu"
_DOMAIN = re.compile(r"(?<![\w@/.-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                     r"(?:gov|org|com|edu|net|int|mil|io|ai|eu|uk|ca|de|fr|info))(?![\w-]|\.\w)")


_ITALIC_OR_QUOTED = re.compile(r"\*[^*\s][^*]*\*|[“\"][^”\"]{3,}[”\"]")


def _is_comment(stripped: str, part: str) -> bool:
    """A sentence of the author's own before an address ("For more on the program, see the description at ...")."""
    before = URL.split(stripped.replace("*", ""))[0]
    return len(before.split()) > 8 or (stripped == part and len(before.split()) > 3 and before.strip()[:1].islower())


SOURCE_FIELDS = ("type", "author", "editor", "title", "container_title", "collection_title", "publisher",
                 "publisher_place", "issued", "edition", "volume", "number_of_volumes", "issue", "page", "number",
                 "url", "doi", "accessed")


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", normalize(title).lower()))[:80]


def _part_locator(part: str) -> str:
    plain = URL.sub(" ", part.replace("*", ""))
    found = re.search(r"\b(?:pp?\.|at)\s*(\d+(?:\s*[-–]\s*\d+)?(?:,\s*\d+(?:\s*[-–]\s*\d+)?)*)", plain)
    if found:
        return found.group(1).replace(" ", "")
    return _locator(plain)


def read_notes(paper: Paper, own: dict, references: list[dict], keyed: dict[int, list[tuple[str, str]]],
               links: dict[int, list[tuple[str, str]]] | None = None) -> tuple[list[dict], list[dict]]:
    """(sources rows, citations rows) for the paper; `own` is the paper's own sources row.

    `links`: the addresses each note links to (text, address), where its printed text may not show them.
    """
    works = Works()
    own_id = works.add(own)
    resolver = _Resolver(works, works.keys)
    for item in references:
        key = str(item.get("id") or "")
        row = {"id": kebab(key) or "work", **from_csl(item), "in_bibliography": False, "bibliography_entry": ""}
        works.keys[key] = works.add(row)
        resolver.remember(works.keys[key], row)
    for block in paper.blocks:
        if block.kind == "bibliography-entry":
            known = next((r for r in works.rows[1:] if not r["bibliography_entry"] and _matches(block.text, r) >= 4),
                         None)
            if known is not None:
                known.update({"in_bibliography": True, "bibliography_entry": block.text})
                continue
            fields = _entry_fields(block.text)
            listed = resolver.known(fields)
            if listed is not None and works.by_id[listed].get("in_bibliography"):
                # the bibliography lists the work again: a row of its own (one row per entry as printed), which
                # says so; notes and citations name the first
                first = works.by_id[listed]
                row = _source_row({k: v for k, v in fields.items() if k in SOURCE_FIELDS}, block.text)
                row["note"] = f"The bibliography lists this work again: the same work as {listed}" + (
                    f" ({_printed_label(first)})." if _printed_label(first) else ".")
                source_id = works.add(row)
            else:
                source_id = resolver.work(fields, block.text)
                works.by_id[source_id].update({"in_bibliography": True, "bibliography_entry": block.text})
            if fields.get("label"):
                works.keys.setdefault(fields["label"], source_id)
    citations: list[dict] = []
    previous: list[dict] = []
    previous_note = None
    for number in sorted(paper.footnotes):
        text = paper.footnotes[number].text
        keys = list(keyed.get(number, []))
        rows: list[dict] = []
        for part in split_citations(text):
            rows += resolver.resolve(number, part, previous, previous_note, keys)
        shown = normalize(text)
        for link_text, address in (links or {}).get(number, []):
            if not address.startswith(("http://", "https://")) or normal_url(address) in shown:
                continue  # printed in the note: read with it
            source_id = resolver.work({"type": "webpage", "title": link_text if link_text != address else address,
                                       "url": address})
            if all(row["source_id"] != source_id for row in rows):
                rows.append({"source_id": source_id, "locator": "", "cited_as": link_text, "ibid": False,
                             "ibid_of": ""})
        if not rows:
            cited_as = " ".join(text.split()[:8]) or text
            rows.append({"source_id": own_id, "locator": "", "cited_as": cited_as, "ibid": False, "ibid_of": ""})
        else:
            resolver.by_note[number] = rows
        for position, row in enumerate(rows, start=1):
            citations.append({"footnote": number, "position": position, **row})
        previous, previous_note = rows, number
    return works.rows, citations


def _printed_label(row: dict) -> str:
    """The label a numbered bibliography prints before a work's entry ("[7]"), or ""."""
    found = re.match(r"\s*(\[\d{1,4}\]|\d{1,4}\.(?=\s))", row.get("bibliography_entry") or "")
    return found.group(1) if found else ""


def _entry_fields(entry: str) -> dict:
    """A bibliography entry's fields: the reference parser's, with the Chicago reader's publisher where it has one."""
    fields = parse_reference(entry)
    chicago = read_entry(entry)
    for key in ("publisher", "publisher_place"):
        if chicago.get(key) and not fields.get(key):
            fields[key] = chicago[key]
    return fields
