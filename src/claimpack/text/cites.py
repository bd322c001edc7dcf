"""In-text citations: where a sentence cites a work, and which row of the sources table that work is.

A figure's source is the work its note cites, else the work its sentence cites in the text (else the
paper itself). Papers cite in the text in three ways, each read here against the sources table alone
(so `init` and `validate` read a citation the same way):

- numbered: ``[3]``, ``[2, 3]``, ``[4–6]``, ``[5]–[7]``, ``[1; 4]``: a label of the numbered
  bibliography (the "[3]" or "3." its entry is printed with, in `bibliography_entry`); a number no
  entry carries is no citation;
- author-year: ``(Smith et al. 2020, p. 4)``, ``(see Lee and Chen 2019; World Bank 2021)``,
  ``Smith (2020)``, ``Smith et al. (2020, 12)``: the first author's family name (or an
  organisation's name) and the year of a row, a letter after the year (2019a, 2019b) the row's
  place among that author's works of the year, in the order the bibliography lists them;
- pandoc's keys: ``[@smith2020, p. 4]``, ``[see @a; @b]``, ``@smith2020 says``: the key of a
  reference in the paper's metadata (init's map of keys), else a row whose id is the key written
  in kebab case.

Each citation names its works in the order printed, each with the page it gives (its locator).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_LABEL = re.compile(r"\s*(?:\[(\d{1,4})\]|(\d{1,4})\.(?=\s))")
_NUMBERED = re.compile(r"\[(\d{1,4}(?:\s*[,;–—-]\s*\d{1,4})*)\](?:\s*[–—-]\s*\[(\d{1,4})\])?")
_OVERHANG = 200  # how far past a sentence's end a citation that starts in it may run
_RANGE_LIMIT = 100  # [1–300] is no citation of 300 works
_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?|n\.\s?d\."
_NAME = r"(?:(?:van|von|de|der|den|del|della|da|di|du|le|la|ul|bin|dos|das|ten|ter)\s+)*[A-Z][\w'’-]+"
# at most six names before the last (a longer list is "et al."): unbounded, a run of "Aa, Aa, Aa, ..." was
# tried to its end from every name in it (quadratic in the paragraph)
_WHO = (rf"{_NAME}(?:\s+{_NAME}){{0,3}}(?:\s+et\s+al\.?|(?:,\s+{_NAME}(?:\s+{_NAME})?){{0,6}},?\s+(?:and|&)\s+"
        rf"{_NAME}(?:\s+{_NAME})?)?")
_LOCATOR = re.compile(r"^,?\s*(?:at\s+|pp?\.\s*|page\s+|pages\s+)?(\d+(?:\s*[-–]\s*\d+)?)", re.I)
_SIGNAL = re.compile(r"^\s*(?:see also|see|e\.g\.,?|i\.e\.,?|cf\.|for example,?|as in|after|quoted in|cited in)\s+",
                     re.I)
_PARENTHESIS = re.compile(r"\(([^()]{4,400})\)")
_AUTHOR_YEAR = re.compile(rf"^(?P<who>{_WHO}),?\s+(?P<years>(?:{_YEAR})(?:\s*,\s*(?:{_YEAR}))*)(?P<rest>.*)$", re.S)
_NARRATIVE = re.compile(rf"(?<![\w'’-])(?P<who>{_WHO})(?:['’]s)?\s+\((?P<years>(?:{_YEAR})(?:\s*,\s*(?:{_YEAR}))*)"
                        r"(?P<rest>(?:,[^()]{0,40})?)\)")
_KEYED = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
_KEY = re.compile(r"(?<![\w@.])-?@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*?)(?=[.,;:!?]?(?:[\s\]]|$))")


@dataclass(frozen=True)
class InText:
    """One citation as printed in the text: its span, and the works it names as (source id, locator)."""

    start: int
    end: int
    works: tuple[tuple[str, str], ...]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def _kebab(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", _plain(text)))


def _families(author: str) -> list[str]:
    """Family names from 'Family, Given; Family2, Given2' (an organisation as a whole)."""
    return [p.split(",")[0].strip() if "," in p else p.strip() for p in (author or "").split(";") if p.strip()]


class Citations:
    """How a paper's in-text citations name the rows of its sources table.

    `sources`: the table's rows (id, author, issued, bibliography_entry); `keys`: citation keys of
    the paper's metadata -> sources.id.
    """

    def __init__(self, sources: Iterable[Mapping], keys: Mapping[str, str] | None = None):
        self.labels: dict[str, str] = {}
        self.keys: dict[str, str] = dict(keys or {})
        self.ids: set[str] = set()
        self.by_year: dict[str, list[tuple[list[str], str, str]]] = {}  # year -> [(families, entry, id)]
        for row in sources:
            source_id = str(row.get("id") or "")
            if not source_id:
                continue
            self.ids.add(source_id)
            entry = str(row.get("bibliography_entry") or "")
            label = _LABEL.match(entry)
            if label:
                self.labels.setdefault(label.group(1) or label.group(2), source_id)
            year = str(row.get("issued") or "")[:4]
            families = [_plain(f) for f in _families(str(row.get("author") or ""))]
            if families and (year.isdigit() or not year):
                self.by_year.setdefault(year or "n.d.", []).append((families, _plain(entry), source_id))

    # ---- finding ----------------------------------------------------------------------------
    def find(self, text: str, start: int = 0, end: int | None = None) -> list[InText]:
        """The citations in text[start:end] that name a known work, in order."""
        end = len(text) if end is None else end
        found: list[InText] = []
        taken: list[tuple[int, int]] = []

        def add(a: int, b: int, works: list[tuple[str, str]]) -> None:
            if works and not any(x < b and a < y for x, y in taken):
                taken.append((a, b))
                found.append(InText(a, b, tuple(works)))

        if self.keys or self.ids:
            for match in _KEYED.finditer(text, start, end):
                add(match.start(), match.end(), self._keyed(match.group(1)))
            for match in _KEY.finditer(text, start, end):
                add(match.start(), match.end(), self._keyed(match.group()))
        if self.labels:
            for match in _NUMBERED.finditer(text, start, end):
                if text[match.start() + 1:match.start() + 2] != "^":
                    add(match.start(), match.end(), self._numbered(match))
        if self.by_year:
            for match in _PARENTHESIS.finditer(text, start, end):
                add(match.start(), match.end(), self._parenthetical(match.group(1)))
            for match in _NARRATIVE.finditer(text, start, end):
                add(match.start(), match.end(), self._author_year(match.group("who"), match.group("years"),
                                                                  match.group("rest")))
        return sorted(found, key=lambda cite: cite.start)

    def nearest(self, text: str, start: int, end: int, figure_start: int, figure_end: int) -> InText | None:
        """The citation of a sentence (text[start:end]) that backs the figure at [figure_start, figure_end):
        the first after the figure, else the last before it. A citation that starts in the sentence is its
        own wherever it ends (a splitter that cut "(Smith et al. 2020)" after "al." loses nothing)."""
        cites = [cite for cite in self.find(text, start, min(len(text), end + _OVERHANG)) if cite.start < end]
        after = [cite for cite in cites if cite.start >= figure_end]
        before = [cite for cite in cites if cite.end <= figure_start]
        return after[0] if after else before[-1] if before else None

    # ---- reading one citation --------------------------------------------------------------------
    def _numbered(self, match: re.Match) -> list[tuple[str, str]]:
        numbers: list[int] = []
        for piece in re.split(r"\s*[,;]\s*", match.group(1)):
            bounds = [int(n) for n in re.split(r"\s*[–—-]\s*", piece) if n]
            if len(bounds) == 2 and 0 < bounds[1] - bounds[0] <= _RANGE_LIMIT:
                numbers += range(bounds[0], bounds[1] + 1)
            else:
                numbers += bounds[:1]
        if match.group(2):  # [5]–[7]
            last = int(match.group(2))
            if numbers and 0 < last - numbers[-1] <= _RANGE_LIMIT:
                numbers += range(numbers[-1] + 1, last + 1)
        works = [(self.labels[str(n)], "") for n in numbers if str(n) in self.labels]
        return works if len(works) == len(numbers) else []  # a number no entry carries: no citation

    def _keyed(self, inside: str) -> list[tuple[str, str]]:
        works = []
        for piece in inside.split(";"):
            key = _KEY.search(piece)
            if key is None:
                continue
            name = key.group(1)
            source = self.keys.get(name) or (_kebab(name) if _kebab(name) in self.ids else None)
            if source is not None:
                locator = _LOCATOR.match(piece[key.end():].strip())
                works.append((source, locator.group(1).replace(" ", "") if locator else ""))
        return works

    def _parenthetical(self, inside: str) -> list[tuple[str, str]]:
        works = []
        for piece in inside.split(";"):
            piece = _SIGNAL.sub("", piece.strip())
            match = _AUTHOR_YEAR.match(piece)
            if match:
                works += self._author_year(match.group("who"), match.group("years"), match.group("rest"))
        return works

    def _author_year(self, who: str, years: str, rest: str) -> list[tuple[str, str]]:
        locator = _LOCATOR.match(rest.strip())
        where = locator.group(1).replace(" ", "") if locator else ""
        works = []
        for year in re.split(r"\s*,\s*", years):
            source = self._by_name(who, year.strip())
            if source is not None:
                works.append((source, where))
        return works

    def _by_name(self, who: str, year: str) -> str | None:
        """The row a name and year cite: the row whose first family name stands in `who` (the most of its
        names, then the earliest), a letter after the year its place among that author's works."""
        plain_who = _plain(who)
        base = "n.d." if year.startswith("n") else year[:4]
        letter = year[4:5] if year[:4].isdigit() else ""
        scored = []
        for position, (families, entry, source_id) in enumerate(self.by_year.get(base, [])):
            first = re.search(rf"\b{re.escape(families[0])}\b", plain_who)
            if first is None:
                continue
            names = sum(1 for family in families if re.search(rf"\b{re.escape(family)}\b", plain_who))
            scored.append((-names, first.start(), position, entry, source_id))
        if not scored:
            return None
        scored.sort()
        best = [row for row in scored if row[:2] == scored[0][:2]]
        if letter:
            printed = [row for row in best if re.search(rf"\b{base}{letter}\b", row[3])]
            if printed:
                return printed[0][4]
            index = ord(letter) - ord("a")
            ordered = sorted(best, key=lambda row: row[2])
            return ordered[index][4] if 0 <= index < len(ordered) else None
        return best[0][4]
