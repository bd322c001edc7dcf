"""What backs a candidate's figure: the note of its sentence, and the work and page that note (or the sentence's
own in-text citation) names.

A figure carries the marker of its own sentence: the first after the figure, else the last before it
("p/bandit[^9] policy with 90 rules"). A sentence without a marker has no note (the next sentence's note
backs the next sentence), unless it quotes: a quotation, a block quote or a sentence that leads into a
quoted passage is cited by the next note of its paragraph (one note after a run of quoted sentences, as
Chicago authors write). The source is the work that note cites, else the work the sentence cites in the
text ([3], (Smith 2020), [@key]: the citation after the figure, else the one before it;
claimpack.text.cites), else the paper itself.

A figure written in a note (a block of kind "note") is backed by that note itself, and its source is the
work the note cites next after the figure (a note reporting two tests, each followed by its report, backs
each figure with its own report), else the last it cites before it, else the paper itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..text.cites import Citations
from ..text.paper import Block

_QUOTATION = re.compile(r"[“\"][^”\"]{3,}[”\"]|(?<!\w)‘[^’]{3,}’(?!\w)")
_PASSAGE = 400  # how far after a sentence a quoted passage and its note may end for the note to cover it too
# the markers right after a sentence's full stop are its own ("had no tap.[^1] This paper")
# a sentence's last characters when it ends, and where a sentence that a quote window cut short ends
_ENDED = re.compile(r"[.!?…][\"'”’)\]]*\s*\Z")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=(?:\[\^\d{1,5}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*(?:\s+[\"'“‘(\[]?[A-Z0-9]|\s*\Z))")
_TRAILING_MARKERS = re.compile(r"(?:[\"'”’)\]]*\s*(?:\[\^\d{1,5}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+))+")


class Backing:
    """The note, source and page of each figure of a paper.

    `notes`: footnote -> [(source id, locator)] as citations.csv resolves them; `in_text`: the
    works the text cites; `own`: the paper's own source id.
    """

    def __init__(self, notes: Mapping[int, list[tuple[str, str]]], in_text: Citations | None, own: str,
                 printed: Mapping[int, list[str]] | None = None):
        self.notes = notes
        self.in_text = in_text
        self.own = own
        self.printed = printed or {}  # footnote -> each citation as printed in it (citations.csv's cited_as)

    def in_note(self, block: Block, start: int, end: int) -> dict:
        """The footnote, source and page of a figure at [start, end) of a note's own text."""
        works = list(self.notes.get(block.note) or [])
        printed = list(self.printed.get(block.note) or [])
        placed = []
        for index, (source, locator) in enumerate(works):
            if source == self.own:
                continue
            cited_as = printed[index] if index < len(printed) else ""
            at = block.text.find(cited_as) if cited_as else -1
            placed.append((at, source, locator))
        after = [item for item in placed if item[0] >= end]
        before = [item for item in placed if 0 <= item[0] < start]
        chosen = min(after) if after else max(before) if before else placed[0] if placed else None
        if chosen is None and self.in_text is not None:
            found = self.in_text.nearest(block.text, 0, len(block.text), start, end)
            if found and found.works:
                chosen = (0, *found.works[0])
        source, locator = (chosen[1], chosen[2]) if chosen else (self.own, "")
        return {"footnote": block.note, "source_id": source, "locator": locator}

    def notes_of(self, block: Block, sentence_start: int, sentence_end: int, start: int, end: int) -> list[int]:
        """The notes that may back the figure at [start, end) of the sentence [sentence_start, sentence_end)
        (raw offsets), nearest first: the sentence's markers after the figure, then those before it."""
        text = block.text
        if not _ENDED.search(text, max(0, sentence_end - 4), sentence_end):  # a piece of a longer sentence
            rest = _SENTENCE_END.search(text, sentence_end)
            sentence_end = rest.end() if rest else len(text)
        trailing = _TRAILING_MARKERS.match(text, sentence_end)
        markers = block.markers_in(sentence_start, trailing.end() if trailing else sentence_end)
        after = [number for number, at, _ in markers if at >= end]
        before = [number for number, _, stop in markers if stop <= start]
        if after or before:
            return after + before[::-1]
        later = block.markers_in(sentence_end)
        if later and (block.kind == "blockquote" or _QUOTATION.search(block.text, sentence_start, sentence_end) or
                      (later[0][1] - sentence_end <= _PASSAGE and
                       _QUOTATION.search(block.text, sentence_end, later[0][1]))):
            return [later[0][0]]
        return []

    def __call__(self, block: Block, sentence_start: int, sentence_end: int, start: int, end: int) -> dict:
        """The footnote, source_id and locator of a figure's record: the nearest note of its sentence that
        cites a work ("7.9% (107,400)[^24] of ...[^25]": note 24 comments, note 25 cites), else the nearest.
        A figure of a note's own text: `in_note`."""
        if block.kind == "note" and block.note is not None:
            return self.in_note(block, start, end)
        candidates = self.notes_of(block, sentence_start, sentence_end, start, end)
        citing = [(n, [c for c in self.notes.get(n) or [] if c[0] != self.own]) for n in candidates]
        note, cited = next(((n, works) for n, works in citing if works), (candidates[0] if candidates else None, []))
        if not cited and self.in_text is not None:
            found = self.in_text.nearest(block.text, sentence_start, sentence_end, start, end)
            cited = list(found.works[:1]) if found else []
        source, locator = cited[0] if cited else (self.own, "")
        return {"footnote": note if note is not None else "", "source_id": source, "locator": locator}
