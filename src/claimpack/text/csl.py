"""The kinds of cited work: CSL 1.0.2's item types, the one list everything else comes from.

A source's `type` is one of these (the sources schema's enum is generated from `TYPES` when
`claimpack init` writes a package), and each type says how the rest of claimpack treats it: the
BibLaTeX entry type of report/references.bib (pandoc reads it back as the same CSL type), the
schema.org type of the linked data, whether its title is printed in quotes (a part of something
larger: an article, a chapter, a page) and whether its pages are its extent within a container.

https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """How claimpack treats one CSL type."""

    biblatex: str
    schema_org: str
    quoted: bool = False  # its title is printed in quotes (a part of a larger work)
    part: bool = False  # its pages are its place in a container (an article's 45-67), not a pin cite


TYPES: dict[str, Kind] = {
    "article": Kind("online", "ScholarlyArticle", quoted=True),  # a preprint, a working paper
    "article-journal": Kind("article", "ScholarlyArticle", quoted=True, part=True),
    "article-magazine": Kind("article", "Article", quoted=True, part=True),
    "article-newspaper": Kind("article", "NewsArticle", quoted=True, part=True),
    "bill": Kind("legislation", "Legislation"),
    "book": Kind("book", "Book"),
    "broadcast": Kind("misc", "CreativeWork", quoted=True),
    "chapter": Kind("incollection", "Chapter", quoted=True, part=True),
    "classic": Kind("book", "Book"),
    "collection": Kind("collection", "Collection"),
    "dataset": Kind("dataset", "Dataset"),
    "document": Kind("misc", "CreativeWork"),
    "entry": Kind("inreference", "CreativeWork", quoted=True, part=True),
    "entry-dictionary": Kind("inreference", "CreativeWork", quoted=True, part=True),
    "entry-encyclopedia": Kind("inreference", "CreativeWork", quoted=True, part=True),
    "event": Kind("misc", "Event"),
    "figure": Kind("misc", "ImageObject"),
    "graphic": Kind("artwork", "VisualArtwork"),
    "hearing": Kind("misc", "CreativeWork"),
    "interview": Kind("misc", "CreativeWork", quoted=True),
    "legal_case": Kind("jurisdiction", "CreativeWork"),
    "legislation": Kind("legislation", "Legislation"),
    "manuscript": Kind("unpublished", "Manuscript"),
    "map": Kind("misc", "Map"),
    "motion_picture": Kind("movie", "Movie"),
    "musical_score": Kind("music", "MusicComposition"),
    "pamphlet": Kind("booklet", "CreativeWork"),
    "paper-conference": Kind("inproceedings", "ScholarlyArticle", quoted=True, part=True),
    "patent": Kind("patent", "CreativeWork"),
    "performance": Kind("performance", "CreativeWork"),
    "periodical": Kind("periodical", "Periodical"),
    "personal_communication": Kind("letter", "Message"),
    "post": Kind("online", "SocialMediaPosting", quoted=True),
    "post-weblog": Kind("online", "BlogPosting", quoted=True),
    "regulation": Kind("legislation", "Legislation"),
    "report": Kind("report", "Report"),
    "review": Kind("review", "Review", quoted=True, part=True),
    "review-book": Kind("review", "Review", quoted=True, part=True),
    "software": Kind("software", "SoftwareSourceCode"),
    "song": Kind("audio", "MusicRecording", quoted=True),
    "speech": Kind("misc", "CreativeWork", quoted=True),
    "standard": Kind("standard", "CreativeWork"),
    "thesis": Kind("thesis", "Thesis"),
    "treaty": Kind("legislation", "Legislation"),
    "webpage": Kind("online", "WebPage", quoted=True),
}
QUOTED = frozenset(name for name, kind in TYPES.items() if kind.quoted)
PARTS = frozenset(name for name, kind in TYPES.items() if kind.part)


def kind(name: str | None) -> Kind:
    """How claimpack treats a type (an unknown one as a document)."""
    return TYPES.get(name or "", TYPES["document"])
