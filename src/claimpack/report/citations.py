"""How the report cites: a figure's note ([@key, page]), a work's short form, and the dataset itself."""

from __future__ import annotations

import re

from ..model.bibliography import bibtex_key
from ..model.domain import Source
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
    """How to cite the package, from its descriptor."""
    def text(value: object) -> str:  # descriptor fields are untrusted: whatever their JSON type, text
        return value if isinstance(value, str) else ""

    contributors = descriptor.get("contributors")
    people = [text(c.get("title")) for c in (contributors if isinstance(contributors, list) else [])
              if isinstance(c, dict) and isinstance(c.get("roles"), list) and "creator" in c["roles"]]
    people = [person for person in people if person]
    homepage = text(descriptor.get("homepage"))
    homepage = homepage if re.fullmatch(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", homepage) else ""
    return markdown(f"{', '.join(people) or 'The authors'}. {text(descriptor.get('title'))}. "
                    f"Version {text(descriptor.get('version'))}. Data package. {homepage}".strip())
