"""Candidate events: dates written with a month ("December 2, 1823", "June 22 to July 15, 1826", "May 2015")
and years, in a sentence that states no figure; in a note, a date is its cited work's (or law's), excluded.

`Events` is part of claimpack.init.candidates' Proposer, which gives it its vocabulary (`words`, `dates`),
`backing`, `proposal`, `paper_year`, `paper_date`, `exclude` and `_new_id`. Excluded, not proposed: the
paper's own date on a line of its own (a page header, "2025." of a reference format's block) and a copyright
year ("© 2025"); a cited work's year is a citation's (claimpack.init.candidates reads the citations).
"""

from __future__ import annotations

import re

from ..model.placeholders import proposed_note
from ..text.paper import Block
from .quoting import clean_quote, slug

NOTE_DATE = "a date in a note (a cited work's, a law's or an order's), not a figure or an event"
OWN_DATE = "the paper's own date on a line of its own (a date line or page header), not an event"
COPYRIGHT = "a copyright year, not an event"
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:(?:1[5-9]|20)\d\d\s*[-–]\s*)?\Z", re.I)
# a sentence ends in a stop, perhaps inside quotes or brackets; a date line or page header does not
_SENTENCE_END = re.compile(r"[.!?;:][\"'\u201d\u2019)\]]*\s*\Z")


class Events:
    """Dates and events of one paper (a part of claimpack.init.candidates.Proposer)."""

    def _exclude_dates(self, block: Block, raw: str, dates: list[tuple[dict, dict[int, int]]],
                       reason: str = NOTE_DATE) -> None:
        for start, end in sorted((s, e) for _, spans in dates for s, e in spans.items()):
            self.exclude(block, raw, start, end, reason)

    def _date_line(self, text: str, dates: list[tuple[dict, dict[int, int]]]) -> bool:
        """Is this the paper's own date on a line that says nothing else? A report's page header ("August 15,
        2025 (R48632) Jump to Main Text of Report"): its date is the paper's, to the day, and it is no sentence
        (short, and without a stop at its end). Or the paper's year alone ("2025.", the end of a reference
        format's block)."""
        if not self.paper_date:
            return False
        alone = re.fullmatch(r"[\W_]*((?:1[5-9]|20)\d\d)[\W_]*", text)
        if alone:
            return alone.group(1) == self.paper_date[:4]
        return len(self.paper_date) == 10 and any(info["date"] == self.paper_date for info, _ in dates) \
            and len(text.split()) <= 16 and not _SENTENCE_END.search(text)

    def _dates(self, text: str, start: int, end: int) -> list[tuple[dict, dict[int, int]]]:
        """Dates written with a month: ({date, end_date, precision}, {token start: token end})."""
        found, taken = [], []
        for pattern_index, pattern in enumerate(self.dates):
            for match in pattern.finditer(text, start, end):
                if any(a < match.end() and match.start() < b for a, b in taken):
                    continue
                groups = match.groups()
                month = lambda name: self.words.month_words.get(name.lower(), 0)  # noqa: E731
                if pattern_index == 0:
                    info = {"date": match.group(), "date_precision": "day"}
                    spans = {match.start(i): match.end(i) for i in (1, 2, 3)}
                elif pattern_index == 1:
                    m1, d1, m2, d2, year = groups
                    date = f"{year}-{month(m1):02d}-{int(d1):02d}"
                    end_date = f"{year}-{month(m2 or m1):02d}-{int(d2):02d}"
                    spans = {match.start(2): match.end(2), match.start(4): match.end(4), match.start(5): match.end(5)}
                    info = {"date": date, "end_date": end_date, "date_precision": "day"}
                elif pattern_index == 2:
                    m1, d1, year = groups
                    info = {"date": f"{year}-{month(m1):02d}-{int(d1):02d}", "date_precision": "day"}
                    spans = {match.start(2): match.end(2), match.start(3): match.end(3)}
                elif pattern_index == 3:
                    d1, m1, d2, m2, year = groups
                    info = {"date": f"{year}-{month(m1 or m2):02d}-{int(d1):02d}",
                            "end_date": f"{year}-{month(m2):02d}-{int(d2):02d}", "date_precision": "day"}
                    spans = {match.start(1): match.end(1), match.start(3): match.end(3), match.start(5): match.end(5)}
                elif pattern_index == 4:
                    d1, m1, year = groups
                    info = {"date": f"{year}-{month(m1):02d}-{int(d1):02d}", "date_precision": "day"}
                    spans = {match.start(1): match.end(1), match.start(3): match.end(3)}
                else:
                    m1, year = groups
                    info = {"date": f"{year}-{month(m1):02d}", "date_precision": "month"}
                    spans = {match.start(2): match.end(2)}
                if not 1 <= int(info["date"][5:7]) <= 12 or ("-" in info["date"][8:] and
                                                             not 1 <= int(info["date"][8:]) <= 31):
                    continue
                if int(info["date"][:4]) > self.paper_year:
                    continue  # a date after the paper's own: its year is excluded as a projection
                taken.append(match.span())
                found.append((info, spans))
        return found

    def _events(self, block: Block, raw: str, text: str, start: int, end: int, years: list[tuple[int, int]],
                dates: list[tuple[dict, dict[int, int]]]) -> None:
        marked = [(a, b) for a, b in years if _COPYRIGHT.search(text, max(0, a - 24), a)]
        for a, b in marked:  # "© 2025 Copyright held by the owner/author(s)"
            self.exclude(block, raw, a, b, COPYRIGHT)
        years = [span for span in years if span not in marked]
        if not years and not dates:
            return
        quote = clean_quote(raw[start:end])
        event_text = re.sub(r"^[-•>|\s]+", "", quote)
        backing = self.backing(block, start, end, start, start)
        for info, _ in dates:
            self._event(block, quote, event_text, info, backing)
        seen = {info["date"][:4] for info, _ in dates}
        values = [(s, e, text[s:e]) for s, e in years]
        plain = [(s, e, token) for s, e, token in values if token.rstrip("s") not in seen]
        index = 0
        while index < len(plain):
            _, e, token = plain[index]
            decade = token.endswith("s")
            info = {"date": token.rstrip("s"), "date_precision": "decade" if decade and token[3] == "0" else "year"}
            following = plain[index + 1] if index + 1 < len(plain) else None
            if following and not decade and re.fullmatch(r"\s*(?:-|–|to|and|through|until)\s*",
                                                          text[e:following[0]]) \
                    and following[2].rstrip("s") > token:
                info["end_date"] = following[2].rstrip("s")
                index += 1
            index += 1
            self._event(block, quote, event_text, info, backing)

    def _event(self, block: Block, quote: str, event_text: str, info: dict, backing: dict) -> None:
        year = info["date"][:4]
        row = {"id": self._new_id(f"{slug(event_text, 32)}-{year}"), "date": info["date"],
               "end_date": info.get("end_date", ""), "date_precision": info["date_precision"],
               "event": event_text[:300], "place": "ZZ", "quote": quote, "section": block.section,
               "paragraph": block.paragraph, "status": "candidate"}
        row.update(backing)
        row["note"] = proposed_note("check the date, the event's words and its place.")
        self.proposal.events.append(row)
