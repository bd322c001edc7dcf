"""How the report cites: a figure's note ([@key, page]), a work's short form, and the dataset itself."""

from __future__ import annotations

import re

from ..model.bibliography import bibtex_key
from ..model.domain import Source
from ..model.placeholders import is_placeholder_author
from ..system.escape import Markdown, element_id, markdown


def anchor(claim_id: str) -> str:
    """The id of a claim's block in the claims appendix."""
    return element_id("claim-", claim_id)


def event_anchor(event_id: str) -> str:
    """The id of an event's item in the list of dated events."""
    return f"event-{event_id}"


def defect_anchor(defect_id: str) -> str:
    """The id of a defect's entry in the notes for fact-checkers."""
    return f"defect-{defect_id}"


def candidate_mark(record) -> Markdown:
    """A visible mark after a figure or record no person has reviewed yet (status candidate)."""
    return Markdown(" [(candidate)]{.candidate}" if record.status == "candidate" else "")


def cite(source_id: str | None, locator: str | None) -> Markdown:
    """A citation pandoc turns into a note in the paper's style: [@isacson-kinosian-2017, 104]."""
    if not source_id:
        return Markdown("")
    page = f", {markdown(locator)}" if locator else ""
    return Markdown(f"[@{bibtex_key(source_id)}{page}]")  # the key references.bib gives the work


def short_citation(source: Source | None, source_id: str = "") -> str:
    """A short citation: 'Isacson and Kinosian 2017', 'S. Res. 368 2016', 'UNODC 2010'."""
    author = (source.author if source else None) or ""
    people = [part.split(",")[0].strip() for part in author.split(";") if "," in part]
    if people:
        who = people[0] if len(people) == 1 else (
            f"{people[0]} and {people[1]}" if len(people) == 2 else f"{people[0]} et al.")
    else:
        title = (source.title if source else None) or (source.id if source else source_id)
        who = author.strip() or title.split(":")[0]
    if len(who) > 48:
        who = who[:45].rsplit(" ", 1)[0] + "…"
    year = ((source.issued if source else None) or "")[:4]
    return f"{who} {year}".strip()


def dataset_citation(descriptor: dict) -> Markdown:
    """How to cite the package, from its descriptor: its creators by name, else its authors (the
    paper's, as `claimpack init` records them), and plainly no name where none is known yet."""
    def text(value: object) -> str:  # descriptor fields are untrusted: whatever their JSON type, text
        return " ".join(value.split()) if isinstance(value, str) else ""

    contributors = descriptor.get("contributors")
    named = [c for c in (contributors if isinstance(contributors, list) else [])
             if isinstance(c, dict) and not is_placeholder_author(text(c.get("title")))]

    def with_role(role: str) -> list[str]:
        return [text(c["title"]) for c in named if isinstance(c.get("roles"), list) and role in c["roles"]]

    people = with_role("creator") or with_role("author") or [text(c["title"]) for c in named]
    homepage = text(descriptor.get("homepage"))
    homepage = homepage if re.fullmatch(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", homepage) else ""
    title = text(descriptor.get("title")).rstrip(".")
    version = text(descriptor.get("version"))
    cited = (f"{series(people)}. " if people else "") + f"{title}." + (f" Version {version}." if version else "") \
        + " Data package." + (f" {homepage}" if homepage else "")
    if not people:
        cited += " No author is named yet: the package's contributors (datapackage.json) list none."
    return markdown(cited)


def series(items: list[str]) -> str:
    """Names joined as a list is written: 'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
