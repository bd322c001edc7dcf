"""What a package says about itself: its title, the licence of its records, its authors and the paper's date.

These are the descriptor's `title`, first entry of `licenses` and `contributors` with the role
`author` (Data Package v2), as `claimpack init` writes them and a person finishes them: init
cannot know the licence, and names the authors only when the paper's metadata does
(claimpack.model.placeholders; `build --release` refuses either left open). The paper's date is
the `issued` of its own row in sources (claimpack.own_source), which init reads from the paper's
metadata or guesses from its text: its year is also the descriptor's `sources[0].version`, the
latest year a claim's period may name, and the CITATION.cff's reference year. `About.of` reads
them, `About.applied` writes the descriptor's part after checking each (`paper_date` checks a
date), and `citation_with` and `readme_with` carry them into the CITATION.cff and README.md init
wrote beside the descriptor.

A licence is an SPDX identifier (its case made canonical from the SPDX list that `packaging`
ships) or a `LicenseRef-` of one's own.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field

from ..system.problems import ClaimpackError
from .placeholders import is_placeholder_author

SPDX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]{0,63}")
# The licences offered first, for data: Creative Commons and Open Data Commons
COMMON_LICENCES = {
    "CC-BY-4.0": "Creative Commons Attribution 4.0",
    "CC0-1.0": "Creative Commons Zero 1.0 (public domain dedication)",
    "CC-BY-SA-4.0": "Creative Commons Attribution-ShareAlike 4.0",
    "ODC-By-1.0": "Open Data Commons Attribution 1.0",
    "ODbL-1.0": "Open Data Commons Open Database License 1.0",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication and License 1.0",
}
RECORDS = "the records: claims, events, sources, footnotes, citations"
TITLE_CHARS = 300
NAME_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def licence_id(text: str, field_name: str = "licence") -> str:
    """The SPDX identifier `text` names, in its canonical case ("cc-by-4.0": "CC-BY-4.0"); a
    `LicenseRef-...` as it is. Raises ClaimpackError naming `field_name` for anything else."""
    expected = "an SPDX licence identifier such as CC-BY-4.0, CC0-1.0 or ODbL-1.0 (or LicenseRef-your-own)"
    text = str(text or "").strip()
    if not SPDX_ID.fullmatch(text):
        raise ClaimpackError(f"licence {text!r} is not an SPDX identifier", field=field_name, expected=expected)
    if text.startswith("LicenseRef-"):
        return text
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        found = canonicalize_license_expression(text)
    except InvalidLicenseExpression:
        raise ClaimpackError(f"licence {text!r} is not on the SPDX list", field=field_name,
                             expected=expected) from None
    return found


def licence_entry(spdx: str) -> dict:
    """A `licenses` entry for the records under an SPDX licence (as init writes it)."""
    entry = {"name": spdx}
    if not spdx.startswith("LicenseRef-"):
        entry["path"] = f"https://spdx.org/licenses/{spdx}.html"
    entry["title"] = f"{spdx} ({RECORDS})"
    return entry


@dataclass(frozen=True)
class Author:
    name: str
    organization: str = ""


@dataclass(frozen=True)
class About:
    """A package's title, its records' licence (None: none chosen) and its authors in order."""

    title: str
    licence: str | None
    authors: tuple[Author, ...] = field(default_factory=tuple)
    date: str = ""  # the paper's date, ISO 8601 (2025, 2025-08 or 2025-08-15); "" when the package gives none

    @classmethod
    def of(cls, descriptor: dict, date: str = "") -> About:
        """What `descriptor` says, with the paper's date as its own row in sources gives it."""
        licenses = descriptor.get("licenses")
        first = licenses[0] if isinstance(licenses, list) and licenses and isinstance(licenses[0], dict) else {}
        name = first.get("name")
        contributors = descriptor.get("contributors")
        people = [c for c in contributors if isinstance(c, dict) and _is_author(c)] \
            if isinstance(contributors, list) else []
        return cls(str(descriptor.get("title") or ""), name if isinstance(name, str) and name else None,
                   tuple(Author(str(c.get("title") or ""), str(c.get("organization") or "")) for c in people),
                   str(date or ""))

    def to_dict(self) -> dict:
        return {"title": self.title, "licence": self.licence or "", "date": self.date,
                "authors": [{"name": a.name, "organization": a.organization} for a in self.authors]}

    def checked(self) -> About:
        """The same, every value checked (one ClaimpackError naming the field) and made canonical."""
        title = " ".join(self.title.split())
        if not title:
            raise ClaimpackError("the title is empty", field="title", expected="the package's title")
        if len(title) > TITLE_CHARS or _CONTROL.search(title):
            raise ClaimpackError(f"the title has {len(title)} characters" if len(title) > TITLE_CHARS else
                                 "the title holds a control character", field="title",
                                 expected=f"one line of at most {TITLE_CHARS} characters")
        licence = licence_id(self.licence) if self.licence and self.licence.strip() else None
        if licence is None:
            raise ClaimpackError("no licence is chosen", field="licence",
                                 expected="a licence for the records, such as CC-BY-4.0")
        authors = []
        for number, author in enumerate(self.authors, start=1):
            name, organization = " ".join(author.name.split()), " ".join(author.organization.split())
            where = f"authors[{number}]"
            if not name and not organization:
                continue  # an empty row of the form
            if not name:
                raise ClaimpackError(f"author {number} has no name", field=f"{where}.name",
                                     expected="the author's name")
            if is_placeholder_author(name):
                raise ClaimpackError(f"author {number} is still claimpack init's placeholder ({name!r})",
                                     field=f"{where}.name", expected="the author's name")
            for label, value in (("name", name), ("organization", organization)):
                if len(value) > NAME_CHARS or _CONTROL.search(value):
                    raise ClaimpackError(f"author {number}'s {label} is not one line of at most {NAME_CHARS} "
                                         "characters", field=f"{where}.{label}", expected=f"a {label} in one line")
            authors.append(Author(name, organization))
        if not authors:
            raise ClaimpackError("no author is named", field="authors", expected="each author of the records by name")
        return About(title, licence, tuple(authors), paper_date(self.date) if self.date.strip() else "")

    def applied(self, descriptor: dict) -> dict:
        """A copy of `descriptor` saying this (checked first): the title; the records' licence as its first
        `licenses` entry (the others kept); the authors, in order, before the other contributors (an author
        already there keeps the properties the form does not show: e-mail, path, given and family names)."""
        about = self.checked()
        result = copy.deepcopy(descriptor)
        result["title"] = about.title
        licenses = result.get("licenses") if isinstance(result.get("licenses"), list) else []
        current = licenses[0] if licenses and isinstance(licenses[0], dict) else None
        if current is None or current.get("name") != about.licence:
            result["licenses"] = [licence_entry(about.licence), *licenses[1 if current is not None else 0:]]
        contributors = result.get("contributors") if isinstance(result.get("contributors"), list) else []
        known = {c.get("title"): c for c in contributors if isinstance(c, dict) and _is_author(c)}
        others = [c for c in contributors if not (isinstance(c, dict) and _is_author(c))]
        people = []
        for author in about.authors:
            entry = dict(known.get(author.name) or {"title": author.name, "roles": ["author"]})
            entry["title"] = author.name
            if author.organization:
                entry["organization"] = author.organization
            else:
                entry.pop("organization", None)
            people.append(entry)
        result["contributors"] = [*people, *others]
        sources = result.get("sources")
        if about.date and isinstance(sources, list) and sources and isinstance(sources[0], dict) and \
                SPDX_YEAR.fullmatch(str(sources[0].get("version", ""))):
            sources[0]["version"] = about.date[:4]  # the paper's year, as init writes it
        return result


SPDX_YEAR = re.compile(r"\d{4}")


def paper_date(text: str) -> str:
    """A paper's date as ISO 8601 (a year, a month or a day, a real one: 2025, 2025-08, 2025-08-15).
    Raises ClaimpackError naming the field `date` for anything else."""
    import datetime

    text = str(text or "").strip()
    expected = "the paper's date as YYYY, YYYY-MM or YYYY-MM-DD, such as 2025-08-15"
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not found:
        raise ClaimpackError(f"the date {text!r} is not an ISO 8601 date" if text else "the paper's date is empty",
                             field="date", expected=expected)
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ClaimpackError(f"the date {text!r} is not a day of the calendar", field="date",
                             expected=expected) from None
    if not 1000 <= year <= datetime.date.today().year + 1:
        raise ClaimpackError(f"the year {year} is not a paper's", field="date", expected=expected)
    return text


def _is_author(contributor: dict) -> bool:
    roles = contributor.get("roles")
    return not isinstance(roles, list) or not roles or "author" in roles


def citation_with(text: str, about: About) -> str | None:
    """The CITATION.cff init wrote, with this title, licence and authors (its references kept); None when the
    text is not laid out as init writes it (then it is left alone)."""
    lines = text.splitlines()
    keys = {line.split(":", 1)[0]: index for index, line in enumerate(lines) if re.match(r"[a-z-]+:", line)}
    if "title" not in keys or "authors" not in keys or "cff-version" not in keys:
        return None
    start = keys["authors"] + 1
    end = start
    while end < len(lines) and lines[end].startswith((" ", "-")):
        end += 1
    people = []
    for author in about.authors:
        people.append(f"  - name: {json.dumps(author.name, ensure_ascii=False)}")
        if author.organization:
            people.append(f"    affiliation: {json.dumps(author.organization, ensure_ascii=False)}")
    lines[start:end] = people
    # the paper's own entry under references: its authors where init could not name them, and its year
    from .placeholders import UNKNOWN_AUTHOR

    placeholder = f"      - name: {json.dumps(UNKNOWN_AUTHOR, ensure_ascii=False)}"
    at = next((index for index, line in enumerate(lines) if line == placeholder), None)
    if at is not None:
        lines[at:at + 1] = [f"      - name: {json.dumps(a.name, ensure_ascii=False)}" for a in about.authors]
    if about.date:
        lines = [f"    year: {about.date[:4]}" if re.fullmatch(r"    year: \d{4}", line) else line for line in lines]
    lines[keys["title"]] = f"title: {json.dumps(about.title, ensure_ascii=False)}"
    licence = [f"license: {about.licence}"] if about.licence and not about.licence.startswith("LicenseRef-") else []
    found = [index for index, line in enumerate(lines) if line.startswith("license:")]
    if found:
        lines[found[0]:found[0] + 1] = licence
    else:
        at = next((index + 1 for index, line in enumerate(lines) if line.startswith("version:")), start - 1)
        lines[at:at] = licence
    return "\n".join(lines) + "\n"


_README_LICENCE = re.compile(r"(## License\n\n)(No licence is chosen yet: [^\n]*|The records are licensed under "
                             r"[^\n;]*; say under what terms the paper's own text is kept\.)")


def readme_with(text: str, about: About) -> str:
    """The README init wrote, its licence paragraph saying this licence (any other text left as it is)."""
    if not about.licence:
        return text
    return _README_LICENCE.sub(lambda m: m.group(1) + f"The records are licensed under {about.licence}; say "
                               "under what terms the paper's own text is kept.", text, count=1)
