"""The paper model: front matter, sections, paragraphs, block quotes, list items, table rows and footnotes.

A paper's text comes in one of two styles (the descriptor's `claimpack.paper_style`):

- `pages` (the default): Markdown converted page by page from a printed paper (`Paper.parse`);
- `blocks`: the text claimpack derives from any other paper (Markdown, DOCX, ODT, HTML, LaTeX,
  PDF; see `claimpack.text.reading`), one block per line (`Paper.parse_blocks`):

      # Heading                   (## for a subheading, and so on)
      A paragraph, its footnote markers written [^1].
      > a block quote
      - a list item
      | a table row | cell by cell |
      [^1]: the footnote's text

  A block whose own text starts with one of those marks has it escaped with a backslash.

In the `pages` style two things need undoing:
- footnotes sit between paragraphs at the old page breaks, as paragraphs that start with
  superscript numbers (sometimes after a stray page number: "33. ⁴¹Independent ...");
- a paragraph (or a footnote) cut by a page break continues after the footnote block.

Quotes are matched under `normalize`, which is documented in the README:
Unicode NFC; footnote markers (superscript digits, [^1]) removed; Markdown escapes (\\$) and
emphasis (*) removed; typographic quotes made straight; runs of white space made one space.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from ..system.escape import unescape_markdown

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_MARKERS = re.compile(f"[{SUPERSCRIPTS}]+")
NOTE_REF = re.compile(r"\[\^(\d{1,5})\]")  # a footnote marker of the `blocks` style
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'"})
# A footnote paragraph: superscript number first, perhaps after a stray page number ("33. ").
_FOOTNOTE = re.compile(
    rf"^(?:(?P<prefix>[0-9ivxlcdm]{{1,6}}[.,]?)[ \t]+)?(?P<number>[{SUPERSCRIPTS}]+)\s*(?P<text>.*)\Z", re.S)
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])[ \t]+")
_TERMINAL = re.compile(r"[.!?:;…][\"'”’)\]*]*\Z")
# A number written in digits: 43,000  2.5  1980s  21st  100,000  5.154, and with letters glued on:
# a scale or a unit (£120m, 4.5bn, 10km) or a name's (4G)
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:[^\W\d_]{1,3})?(?![\w])")

FRONT_MATTER = "front matter"
# Where a figure written in a note stands: section NOTES, paragraph the note's number (Paper(note_blocks=True))
NOTES = "notes"
# The `blocks` style: what a line starts with says what block it is.
_BLOCK_MARK = re.compile(r"(#{1,6}|>|-|\||\[\^(\d{1,5})\]:)(?: |\Z)")
_BLOCK_KINDS = {"#": "heading", ">": "blockquote", "-": "list-item", "|": "table-row", "[": "footnote"}
_SCANNED_SEARCHES = 8  # searches made block by block before the joined text is built


def normalize(text: str) -> str:
    """Normalise text for quote matching (see the module docstring)."""
    if not text.isascii():  # ASCII text is NFC and has no footnote markers or typographic quotes
        text = unicodedata.normalize("NFC", text)
        text = _MARKERS.sub("", text)
    if "[^" in text:
        text = NOTE_REF.sub("", text)
    text = unescape_markdown(text)
    if "*" in text:
        text = text.replace("*", "")  # emphasis
    if not text.isascii():
        text = text.translate(_QUOTES)
    # str.split() splits on exactly the characters \s matches, and drops them at both ends
    return " ".join(text.split())


def _plain_end(text: str) -> str:
    return _MARKERS.sub("", text).rstrip()


def ends_sentence(text: str) -> bool:
    """True when a block's text ends a sentence (so no page break cuts it)."""
    # Only the end matters: read the last characters, unless all they hold is closing marks
    # (which may follow a full stop further back).
    tail = text[-_TAIL:]
    plain = _plain_end(tail)
    if len(tail) < len(text) and _CLOSERS.fullmatch(plain):
        plain = _plain_end(text)
    return bool(_TERMINAL.search(plain))


_TAIL = 64
_CLOSERS = re.compile(r"[\"'”’)\]*]*")  # what _TERMINAL allows after the sentence's last mark


def is_heading(chunk: str) -> bool:
    """A short one-line paragraph without closing punctuation, starting with a capital."""
    text = chunk.strip().strip("*").strip()
    if "\n" in text or not text or len(text) > 100 or len(text.split()) > 12:
        return False
    if _LIST_ITEM.match(text) or _FOOTNOTE.match(text) or text.startswith((">", ". . .", "…")):
        return False
    if re.search(r"[.,;:!?\"“”’)…]\Z", text):
        return False
    return text[0].isupper()


# a backslash before a marker: once the marker is gone it may escape what follows (a NUL would stand between)
_ESCAPED_MARKER = re.compile(rf"\\(?:\[\^\d|[{SUPERSCRIPTS}])")


def _sentinel_offsets(marked: str) -> list[int]:
    """Where each NUL of a normalised text stands in the same text without them: as
    len(normalize(prefix + NUL)) - 1 gives it for the text before each (a space before a NUL counts)."""
    places, length, space = [], 0, False
    for char in marked:
        if char == "\x00":
            places.append(length + (1 if space and length else 0))
        elif char == " ":
            space = True
        else:
            length += 1 + (1 if space and length else 0)
            space = False
    return places


INDEXED_CHARS = 1 << 15  # a text this long is searched through its word starts (WordIndex)


class WordIndex:
    """Where a phrase stands in a long normalised text, found from the words it holds, not by reading
    the text: each word start (a character after a space) is listed under the SPAN characters that
    follow it. Every occurrence of a phrase holds each of the phrase's own word starts, so one
    look-up (the rarest of its words) gives every place it can stand, each checked in full. A phrase
    with no whole SPAN characters after a space in it (a word or two) is searched for as before."""

    SPAN = 24
    RARE = 4  # a look-up this short is good enough: stop looking at further words
    TRIES = 16  # word starts looked up at most, spread over the phrase

    def __init__(self, text: str):
        self.text = text
        self.starts: dict[str, list[int]] = {}
        at = text.find(" ")
        while at >= 0:
            self.starts.setdefault(text[at + 1:at + 1 + self.SPAN], []).append(at + 1)
            at = text.find(" ", at + 1)

    def positions(self, needle: str, first: bool = False) -> list[int] | None:
        """Every position where needle stands, in order (the first only, with first), or None when it holds
        no word start to look up."""
        best: tuple[int, list[int]] | None = None
        last = len(needle) - self.SPAN - 1  # the last space a whole key can follow
        if last < 0:
            return None
        tried = set()
        for step in range(self.TRIES):  # word starts spread over the phrase: its figure is rare, its frame not
            at = needle.find(" ", last * step // (self.TRIES - 1) if step else 0, max(0, last) + 1)
            if at < 0 or at in tried:
                continue
            tried.add(at)
            listed = self.starts.get(needle[at + 1:at + 1 + self.SPAN])
            if listed is None:
                return []  # a word start of the phrase stands nowhere in the text
            if best is None or len(listed) < len(best[1]):
                best = (at + 1, listed)
                if len(listed) <= self.RARE:
                    break
        if best is None:
            return None
        shift, listed = best
        found = []
        for start in listed:
            if start >= shift and self.text.startswith(needle, start - shift):
                found.append(start - shift)
                if first:
                    break
        return found

    def find(self, needle: str) -> int:
        """Where needle first stands, or -1 (str.find's answer)."""
        found = self.positions(needle, first=True)
        if found is None:
            return self.text.find(needle)
        return found[0] if found else -1


# Where a sentence of a normalised text ends (Block.sentence_around): its closing marks, before white space and a
# capital, a digit or an opening mark
_SENTENCE_BOUNDARY = re.compile(r"[.!?…]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9À-Ý])")
SENTENCE_ABBREVIATIONS = frozenset({
    "u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "prof", "no", "nos", "vol", "vols", "p", "pp", "e.g", "i.e",
    "al", "et", "etc", "vs", "v", "cf", "fig", "figs", "st", "jr", "sr", "inc", "ltd", "co", "corp", "art", "sec",
    "secs", "ch", "ed", "eds", "op", "cit", "ibid", "id", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "approx", "est", "ca", "c", "h.r", "s", "res", "p.l", "u.s.c", "c.f.r", "stat",
    "reg", "fed", "cong", "sess", "rept", "doc", "dept", "univ", "gov", "govt", "para", "paras", "eq", "eqs",
    "ref", "refs", "min", "max", "avg", "resp", "viz", "dist", "jud", "proc", "conf", "j", "rev"})


@dataclass(slots=True)
class Block:
    """A paragraph-level unit of the paper's text."""

    kind: str  # heading | paragraph | blockquote | list-item | table-row | bibliography-entry | note
    text: str  # Markdown as printed; pieces cut by a page break joined with one space
    section: str  # the nearest heading above it (FRONT_MATTER before the body)
    part: str  # the nearest top-level (all-capitals) heading above it
    paragraph: int  # position within its section, from 1 (0 for headings)
    line: int  # line of the paper where it starts, from 1
    lines: list[int] = field(default_factory=list)  # first line of each joined piece
    notes: re.Pattern = field(default=_MARKERS, repr=False)  # how its footnote markers are written
    note: int | None = None  # a note's text (kind "note"): its number
    _norm: str | None = field(default=None, repr=False)
    _markers: list[tuple[int, int]] | None = field(default=None, repr=False)
    _index: WordIndex | None = field(default=None, repr=False)
    _ends: tuple[str, list[int]] | None = field(default=None, repr=False)

    @property
    def norm(self) -> str:
        if self._norm is None:
            self._norm = normalize(self.text)
        return self._norm

    @property
    def markers(self) -> list[tuple[int, int]]:
        """Footnote markers as (footnote number, offset in `norm` where the marker stood)."""
        if self._markers is None:
            self._markers = []
            found = list(self.notes.finditer(self.text))
            if found and "\x00" not in self.text and not _ESCAPED_MARKER.search(self.text):
                # one pass: a NUL before each marker survives normalisation and marks where it stood
                # (a paragraph of ten thousand notes is read once, not once per note)
                pieces, done = [], 0
                for match in found:
                    pieces += [self.text[done:match.start()], "\x00"]
                    done = match.start()
                places = _sentinel_offsets(normalize("".join(pieces) + self.text[done:]))
            else:
                places = [len(normalize(self.text[: match.start()] + "\x00")) - 1 for match in found]
            for match, at in zip(found, places):
                digits = match.group(1) if match.re is NOTE_REF else match.group().translate(_SUPER_TO_DIGIT)
                self._markers.append((int(digits), at))
        return self._markers

    def markers_in(self, start: int = 0, end: int | None = None) -> list[tuple[int, int, int]]:
        """Footnote markers within text[start:end] (the raw text) as (number, start, end), in order."""
        found = []
        for match in self.notes.finditer(self.text, start, len(self.text) if end is None else end):
            digits = match.group(1) if match.re is NOTE_REF else match.group().translate(_SUPER_TO_DIGIT)
            found.append((int(digits), match.start(), match.end()))
        return found

    def sentence_around(self, start: int, end: int) -> tuple[int, int]:
        """The span of `norm` of the sentence(s) holding [start, end): from the end of the sentence before
        to the end of the last one, its closing marks and the note markers after them included.

        Sentences end conservatively (a full stop, question or exclamation mark before a capital or a
        digit, not after an abbreviation or an initial): a reader of a record's place may count two
        sentences as one, never one as two."""
        norm = self.norm
        if self._ends is None or self._ends[0] is not norm:
            ends = []
            for match in _SENTENCE_BOUNDARY.finditer(norm):
                word = re.search(r"([\w.]+)$", norm[:match.start()][-40:])
                token = (word.group(1) if word else "").lower().strip(".")
                if token in SENTENCE_ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or \
                        re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
                    continue
                ends.append(match.end())
            self._ends = (norm, ends)
        ends = self._ends[1]
        before = bisect.bisect_right(ends, start) - 1
        after = bisect.bisect_left(ends, max(end, start + 1))
        return (ends[before] if before >= 0 else 0), (ends[after] if after < len(ends) else len(norm))

    def marker_after(self, offset: int) -> int | None:
        """The first footnote marker at or after an offset of `norm` (the note backing a quote)."""
        markers = self.markers
        index = bisect.bisect_left(markers, offset, key=lambda marker: marker[1])
        return markers[index][0] if index < len(markers) else None

    def find(self, needle: str) -> int:
        """Where needle (normalised) first stands in `norm`, or -1; a long paragraph is read through its
        index of word starts (`WordIndex`), so a thousand quotes of it cost a thousand look-ups, not
        a thousand readings."""
        norm = self.norm
        if len(norm) < INDEXED_CHARS:
            return norm.find(needle)
        if self._index is None or self._index.text is not norm:
            self._index = WordIndex(norm)
        return self._index.find(needle)

    @property
    def is_body(self) -> bool:
        return self.section != FRONT_MATTER and self.kind != "bibliography-entry"


@dataclass
class Footnote:
    number: int
    text: str  # as printed, without the marker; continued notes joined with one space
    line: int
    prefix: str = ""  # anything printed before the marker (a stray page number)
    continued: bool = False  # part of the text came after a page break
    section: str = ""  # where the marker stands in the text (filled in after parsing)


@dataclass(slots=True)
class Location:
    block: Block
    start: int  # offset of the quote in block.norm
    end: int


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split on blank lines: (first line number, chunk text)."""
    chunks, current, start = [], [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            chunks.append((start, "\n".join(current)))
            current = []
    if current:
        chunks.append((start, "\n".join(current)))
    return chunks


class Paper:
    """The parsed paper."""

    def __init__(self, text: str, blocks: list[Block], footnotes: dict[int, Footnote], note_blocks: bool = False):
        self.text = text
        self.footnotes = footnotes
        if note_blocks:  # each note's text a block of its own: its figures are the paper's, its numbers counted
            blocks = blocks + [Block("note", note.text, NOTES, NOTES, number, note.line, [note.line], _MARKERS,
                                     number) for number, note in sorted(footnotes.items())]
        self.blocks = blocks
        self._by_place = {(b.section, b.paragraph): b for b in blocks if b.kind != "heading"}
        self._joined: tuple[str, list[int]] | None = None
        self._joined_index: WordIndex | None = None
        self._searches = 0
        self._line_ends: dict[int, tuple[list[int], list[int]]] = {}  # a block's lines and where each ends

    # ---- parsing ------------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str, body_start: str | None = None, bibliography: str | None = "BIBLIOGRAPHY",
              note_blocks: bool = False) -> Paper:
        """Split the text into blocks and footnotes.

        `body_start` is the heading where the body begins (everything before it is front
        matter); without it the body starts at the top. `bibliography` is the heading after
        which every paragraph or list item is a bibliography entry. `note_blocks`: each note's
        text is a block too (kind "note", section NOTES, paragraph its number).
        """
        chunks = _chunks(text.replace("\r\n", "\n"))
        blocks: list[Block] = []
        footnotes: dict[int, Footnote] = {}
        section = part = FRONT_MATTER if body_start else ""
        in_bibliography = False
        counts: dict[str, int] = {}
        open_block: Block | None = None  # a body block cut by a page break
        after_footnotes = False
        last_footnote: Footnote | None = None

        def add(kind: str, chunk: str, line: int) -> Block:
            counts[section] = counts.get(section, 0) + (0 if kind == "heading" else 1)
            block = Block(kind, chunk, section, part, 0 if kind == "heading" else counts[section], line, [line])
            blocks.append(block)
            return block

        for index, (line, chunk) in enumerate(chunks):
            footnote = _FOOTNOTE.match(chunk)
            if footnote and section != FRONT_MATTER and not in_bibliography:
                number = int(footnote.group("number").translate(_SUPER_TO_DIGIT))
                note = Footnote(number, _SPACE.sub(" ", footnote.group("text")).strip(), line,
                                prefix=footnote.group("prefix") or "")
                footnotes.setdefault(number, note)
                last_footnote = note
                after_footnotes = True
                continue
            stripped = chunk.strip()
            heading = stripped.strip("*").strip()
            if body_start and section == FRONT_MATTER and heading == body_start:
                section = part = body_start
                add("heading", heading, line)
                open_block, after_footnotes = None, False
                continue
            # a footnote continued after a page break: lower-case text right before the next notes
            next_is_footnote = index + 1 < len(chunks) and _FOOTNOTE.match(chunks[index + 1][1])
            if (section != FRONT_MATTER and not in_bibliography and next_is_footnote and last_footnote
                    and stripped[:1].islower() and not ends_sentence(last_footnote.text)):
                last_footnote.text += " " + _SPACE.sub(" ", stripped)
                last_footnote.continued = True
                continue
            if section != FRONT_MATTER and is_heading(stripped) and not in_bibliography:
                section = heading
                if heading.upper() == heading:
                    part = heading
                in_bibliography = bool(bibliography) and heading == bibliography
                add("heading", heading, line)
                open_block, after_footnotes = None, False
                continue
            if in_bibliography:
                for entry_line, entry in _bibliography_entries(chunk, line):
                    add("bibliography-entry", entry, entry_line)
                continue
            if after_footnotes and open_block is not None and not _LIST_ITEM.match(stripped):
                open_block.text += " " + stripped
                open_block.lines.append(line)
                open_block._norm = open_block._markers = None
                after_footnotes = False
                if ends_sentence(open_block.text):
                    open_block = None
                continue
            if _LIST_ITEM.match(stripped):
                for item_line, item in _items(stripped, line):
                    block = add("list-item", item, item_line)
            else:
                kind = "blockquote" if stripped.startswith((">", ". . .", "…")) else "paragraph"
                block = add(kind, stripped, line)
            after_footnotes = False
            open_block = None if (section == FRONT_MATTER or ends_sentence(stripped)) else block
        paper = cls(text, blocks, footnotes, note_blocks)
        for block in blocks:
            if block.is_body and block.kind != "heading":
                for number, _ in block.markers:
                    if number in footnotes and not footnotes[number].section:
                        footnotes[number].section = block.section
        return paper

    @classmethod
    def parse_blocks(cls, text: str, bibliography: str | None = None, note_blocks: bool = False) -> Paper:
        """Read the `blocks` style (see the module docstring): one block per line.

        Blocks before the first heading are the front matter; after the heading named
        `bibliography`, paragraphs and list items are bibliography entries. `note_blocks`: as `parse`.
        """
        blocks: list[Block] = []
        footnotes: dict[int, Footnote] = {}
        section = part = FRONT_MATTER
        in_bibliography = False
        counts: dict[str, int] = {}
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            if not line.strip():
                continue
            mark = _BLOCK_MARK.match(line)
            kind = _BLOCK_KINDS.get(mark.group(1)[:1] if mark else "", "paragraph")
            body = line[mark.end():] if mark else line
            if kind == "footnote":
                note = int(mark.group(2))
                footnotes.setdefault(note, Footnote(note, body.strip(), number))
                continue
            if kind == "heading":
                section = body.strip()
                if len(mark.group(1)) == 1:
                    part = section
                in_bibliography = bool(bibliography) and section == bibliography
                blocks.append(Block("heading", section, section, part, 0, number, [number], NOTE_REF))
                continue
            if in_bibliography and kind in ("paragraph", "list-item"):
                kind, line = "bibliography-entry", body
            counts[section] = counts.get(section, 0) + 1
            blocks.append(Block(kind, line, section, part, counts[section], number, [number], NOTE_REF))
        for block in blocks:
            if block.kind not in ("heading", "bibliography-entry"):
                for note, _ in block.markers:
                    if note in footnotes and not footnotes[note].section:
                        footnotes[note].section = block.section
        return cls(text, blocks, footnotes, note_blocks)

    # ---- queries ------------------------------------------------------------------------------
    @property
    def sections(self) -> list[str]:
        return [b.section for b in self.blocks if b.kind == "heading"]

    def block_at(self, section: str, paragraph: int) -> Block | None:
        return self._by_place.get((section, paragraph))

    def text_blocks(self) -> list[Block]:
        """Blocks whose numbers must be accounted for: front matter and body, not the bibliography."""
        return [b for b in self.blocks if b.kind != "bibliography-entry"]

    def locate(self, quote: str, section: str | None = None, paragraph: int | None = None, *,
               normalized: bool = False) -> list[Location]:
        """Where a quote stands. With a claimed place, look there first (the fast path).

        `normalized`: the quote is already normalised (as `normalize` gives it).
        """
        needle = quote if normalized else normalize(quote)
        if not needle:
            return []
        if section is not None and paragraph is not None:
            block = self.block_at(section, paragraph)
            if block is not None:
                start = block.find(needle)
                if start >= 0:
                    return [Location(block, start, start + len(needle))]
        return self.search(needle)

    def search(self, needle: str) -> list[Location]:
        """Every block whose normalised text contains `needle` (already normalised)."""
        if self._joined is None and self._searches < _SCANNED_SEARCHES:
            # The first few searches read the blocks one by one: a copy of the whole text, joined
            # for fast searching, pays only when there are many searches.
            self._searches += 1
            found = []
            for block in self.blocks:
                norm = block.norm
                position = norm.find(needle)
                while position >= 0:
                    found.append(Location(block, position, position + len(needle)))
                    position = norm.find(needle, position + 1)
            return found
        joined, starts = self._joined_text()
        indexed = self._joined_index.positions(needle) if self._joined_index is not None else None
        found, positions = [], iter(indexed) if indexed is not None else None
        position = next(positions, -1) if positions is not None else joined.find(needle)
        while position >= 0:
            index = bisect.bisect_right(starts, position) - 1
            block = self.blocks[index]
            offset = position - starts[index]
            if offset + len(needle) <= len(block.norm):
                found.append(Location(block, offset, offset + len(needle)))
            position = next(positions, -1) if positions is not None else joined.find(needle, position + 1)
        return found

    def _joined_text(self) -> tuple[str, list[int]]:
        if self._joined is None:
            starts, parts, offset = [], [], 0
            for block in self.blocks:
                starts.append(offset)
                parts.append(block.norm)
                offset += len(block.norm) + 1
            self._joined = ("\x00".join(parts), starts)
            if len(self._joined[0]) >= INDEXED_CHARS:
                self._joined_index = WordIndex(self._joined[0])
        return self._joined

    def line_of(self, block: Block, offset: int) -> int:
        """The paper line of an offset in a block's normalised text (for error messages)."""
        if len(block.lines) == 1 or offset <= 0:
            return block.lines[0] if offset <= 0 else self._line_within(block, offset)
        return self._line_within(block, offset)

    def _line_within(self, block: Block, offset: int) -> int:
        """The line holding an offset, from each line's end in the block's normalised text (worked out
        once per block: a paper with a hundred thousand unrecorded numbers costs one pass, not one each)."""
        found = self._line_ends.get(id(block))
        if found is None:
            numbers, ends, consumed = [], [], 0
            lines = self.text.split("\n")
            for first in block.lines:
                number = first
                while number <= len(lines) and lines[number - 1].strip():
                    consumed += len(normalize(lines[number - 1])) + 1
                    numbers.append(number)
                    ends.append(consumed)
                    number += 1
            found = self._line_ends[id(block)] = (numbers, ends)
        numbers, ends = found
        at = bisect.bisect_right(ends, offset)
        return numbers[at] if at < len(numbers) else block.lines[-1]


def _items(chunk: str, line: int, strip_marker: bool = False) -> list[tuple[int, str]]:
    """List items of a chunk, one per marker, continuation lines joined with one space."""
    entries: list[list] = []
    for offset, raw in enumerate(chunk.split("\n")):
        text = raw.strip()
        item = _LIST_ITEM.match(text)
        if item or not entries:
            entries.append([line + offset, text[item.end():] if item and strip_marker else text])
        else:
            entries[-1][1] += " " + text
    return [(number, text) for number, text in entries]


def _bibliography_entries(chunk: str, line: int) -> list[tuple[int, str]]:
    """Bibliography entries of a chunk, without their list markers."""
    return _items(chunk, line, strip_marker=True)
