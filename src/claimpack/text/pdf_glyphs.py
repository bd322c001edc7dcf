"""A born-digital PDF's pages as lines of text in reading order, from each glyph PDFium places.

`claimpack.text.pdf` makes the paper's text from these lines; this module only says what is printed
where. The engine is PDFium (through pypdfium2): it was chosen by measuring (see
benchmarks/pdf_libraries.py and docs/pdf.md). For each glyph it gives the character, its box
(the font's, and the ink's), its origin on the baseline, its font and size, and whether the PDF
maps it to a character at all. The rest is claimpack's, so that it is the same for every PDF:

- word gaps: a space is a gap wider than WORD_GAP of the type size (or a space the PDF draws);
  kerning stays inside the word, however the PDF is set (TeX draws no space at all);
- accents drawn as separate glyphs (a breve, a circumflex, a comma below a T or an s) are put
  on the letter they stand over or under ("Pa˘un" is "Păun", "T," is "Ț");
- sub- and superscripts join the line and the word they stand beside (CO₂'s 2 stays in "CO2");
  each glyph says whether it is raised or lowered, for `claimpack.text.pdf` to tell a footnote marker
  from an exponent;
- the page's columns: a vertical white strip near the middle that no line crosses makes a
  two-column stretch of the page, read left column then right; a line that crosses it (a title,
  a one-column abstract, a full-width figure) is read in its place between such stretches; a
  grid of centred blocks above the columns (authors) is read block by block, row by row;
- running heads and feet (the same words at the top or foot of most pages, digits aside, on odd
  and even pages apart) and page numbers (a number alone at the top or foot, rising page by
  page) are left out;
- the short rules the pages draw (above page-foot notes) are given with the lines.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .derivation import UNMAPPED

CELL_GAP = 1.0  # a gap wider than this many ems inside a column's line stands between a table's cells
WORD_GAP = 0.12  # a gap between glyphs wider than this share of the type size is a word space (or one
# over 0.03 where PDFium, from the font's own space width, reads one: a line squeezed tight; or after an
# italic letter whose box overhangs the next, "of four")
_ITALIC = re.compile(r"ital|oblique|-it\b|-i$|cmti|cmsl|cmmi", re.I)
# Kerning and tracking stay well below it: measured gaps inside words lie within ±0.08 em, and word
# spaces from 0.17 em up, on TeX, acmart, Palatino and Typst papers (benchmarks/pdf_libraries.py).
# Separate accent glyphs and the combining mark each stands for
_ACCENTS = {"\u02d8": "\u0306", "\u02c6": "\u0302", "^": "\u0302", "\u00a8": "\u0308", "\u00b4": "\u0301",
            "`": "\u0300", "\u02dc": "\u0303", "~": "\u0303", "\u00b8": "\u0327", "\u02db": "\u0328",
            "\u02c7": "\u030c", "\u02d9": "\u0307", "\u02da": "\u030a", "\u00af": "\u0304", "\u02dd": "\u030b"}
_COMMA_BELOW = "SsTtKkLlNnGgRr"
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
UNKNOWN_SYMBOL = "\u25a1"  # □: a glyph the PDF maps to no character, standing alone (no digit beside it)
_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"  # letters a comma is drawn under (Romanian ș ț, Latvian ķ ļ ņ ģ ŗ)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|medi(?:um)?\b|-medi|cmbx|cmb\d|\bbx|-b$|\.b$", re.I)


@dataclass(eq=False)  # a glyph is itself: two drawn alike at one place are still two
class Glyph:
    text: str
    x0: float
    x1: float
    top: float  # the font's box, from the top of the page
    bottom: float
    base: float  # the baseline
    ink_top: float
    ink_bottom: float
    size: float
    font: str
    bold: bool
    unmapped: bool = False
    space_before: bool = False  # the PDF draws a space right before this glyph
    guessed_space: bool = False  # PDFium reads a word gap before it (from the font's own space width)
    script: str = ""  # "raised" or "lowered", set when the glyph joins a line in a larger type


@dataclass(eq=False)
class Line:
    """One printed line of one column: its text, where it stands, its usual type, its raised digits."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float  # the line's usual character size
    bold: bool
    markers: list[tuple[int, str]] = field(default_factory=list)  # raised or small digit runs: (offset, text)
    page: int = 0
    glyphs: list[Glyph] = field(default_factory=list, repr=False)
    offsets: list[int] = field(default_factory=list, repr=False)  # each glyph's offset in text
    lead: str = ""  # raised characters the line starts with (a note's number)
    italic: bool = False
    cuts: list[int] = field(default_factory=list)  # offsets of the spaces that stand for a gap over CELL_GAP em

    def pieces(self) -> list[str]:
        """The line's text cut at its wide gaps (a table's cells)."""
        bounds = [-1, *self.cuts, len(self.text)]
        return [self.text[a + 1:b] for a, b in itertools.pairwise(bounds)]


@dataclass
class Rule:
    x0: float
    x1: float
    y: float


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    regions: list[list[Line]]  # in reading order: full-width stretches and columns
    rules: list[Rule]
    unmapped: int = 0
    glyphs: int = 0
    columns: bool = False
    rotated: str = ""  # text set at an angle (a margin stamp, a turned table), not among the page's lines


def engine_version() -> str:
    import pypdfium2

    return f"{pypdfium2.version.PYPDFIUM_INFO} (PDFium {pypdfium2.version.PDFIUM_INFO.build})"


def read_pages(document) -> list[Page]:
    """Every page of an open pypdfium2 document as lines in reading order, without running heads and feet."""
    raw_pages = []
    for index in range(len(document)):
        page = document[index]
        try:
            raw_pages.append(_page_glyphs(page, index + 1))
        finally:
            page.close()
    rows = [_rows(glyphs) for glyphs, *_ in raw_pages]
    _drop_furniture(rows, [height for _, _, height, *_ in raw_pages])
    pages = []
    gutter = None
    for (glyphs, width, height, rules, unmapped, rotated), page_rows in zip(raw_pages, rows):
        regions, gutter = _regions(page_rows, width, len(pages) == 0, gutter)
        pages.append(Page(len(pages) + 1, width, height, regions, rules, unmapped, len(glyphs), gutter is not None,
                          " ".join(rotated.split())))
    return pages


# ---- glyphs ---------------------------------------------------------------------------------------
def _page_glyphs(page, number: int) -> tuple[list[Glyph], float, float, list[Rule], int, str]:
    import pypdfium2.raw as raw

    left, bottom_edge, right, top_edge = page.get_bbox()
    width, height = right - left, top_edge - bottom_edge
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        loose, ox, oy = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        il, ir, ib, it = (ctypes.c_double() for _ in range(4))
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        fonts: dict[bytes, tuple[str, bool]] = {}
        glyphs: list[Glyph] = []
        unmapped = 0
        pending_space = guessed = False
        rotated: list[str] = []  # in the order the PDF draws it, a space where it puts one
        for index in range(count):
            code = raw.FPDFText_GetUnicode(handle, index)
            if raw.FPDFText_IsGenerated(handle, index):
                guessed = guessed or code == 0x20
                continue
            character = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if raw.FPDFText_IsHyphen(handle, index) == 1:  # PDFium's mark for a hyphen that ends a line
                character = "-"
            if character in "\r\n":
                continue
            if character.isspace() or character == "\u00a0":
                pending_space = True
                if rotated and rotated[-1] != " ":
                    rotated.append(" ")
                continue
            angle = raw.FPDFText_GetCharAngle(handle, index)
            if angle > 0.05 and abs(angle - 6.2832) > 0.05:  # rotated text (a margin stamp): not the page's lines,
                rotated.append(character)  # but kept to say what was not read
                continue
            bad = bool(raw.FPDFText_HasUnicodeMapError(handle, index)) or character == "\ufffd" or (
                unicodedata.category(character) in ("Cc", "Co", "Cn"))
            if bad:
                unmapped += 1
                character = UNMAPPED
            elif character == "\u00ad":
                character = "-"
            script = ""
            if character in _SUPERSCRIPT_DIGITS:  # a font's own superscript or subscript digit, mapped as such
                character, script = str(_SUPERSCRIPT_DIGITS.index(character)), "raised"
            elif character in _SUBSCRIPT_DIGITS:
                character, script = str(_SUBSCRIPT_DIGITS.index(character)), "lowered"
            raw.FPDFText_GetLooseCharBox(handle, index, loose)
            raw.FPDFText_GetCharBox(handle, index, il, ir, ib, it)
            raw.FPDFText_GetCharOrigin(handle, index, ox, oy)
            size = raw.FPDFText_GetFontSize(handle, index)
            length = raw.FPDFText_GetFontInfo(handle, index, name, len(name), flags)
            key = name.raw[:max(0, length - 1)]
            if key not in fonts:
                font = key.decode("latin-1").split("+", 1)[-1]
                weight = raw.FPDFText_GetFontWeight(handle, index)
                fonts[key] = (font, bool(_BOLD_FONT.search(font)) or weight >= 600 or bool(flags.value & (1 << 18)))
            font, bold = fonts[key]
            if size <= 0:
                size = max(loose.top - loose.bottom, 1.0)
            glyphs.append(Glyph(unicodedata.normalize("NFC", character) if len(character) > 1 else character,
                                loose.left - left, loose.right - left, top_edge - loose.top, top_edge - loose.bottom,
                                top_edge - oy.value, top_edge - it.value, top_edge - ib.value, size, font, bold,
                                bad, pending_space, guessed, script))
            pending_space = guessed = False
    finally:
        textpage.close()
    rules = []
    try:
        import pypdfium2.raw as raw

        for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
            x0, y0, x1, y1 = item.get_bounds()
            if y1 - y0 < 1.6 and x1 - x0 > 18:
                rules.append(Rule(x0 - left, x1 - left, top_edge - (y0 + y1) / 2))
    except Exception:  # noqa: S110 - a path PDFium cannot bound is not a rule
        pass
    return _accents_composed(glyphs), width, height, rules, unmapped, "".join(rotated)


def _accents_composed(glyphs: list[Glyph]) -> list[Glyph]:
    """Glyphs with each separate accent (or comma below) put on the letter it stands over or under."""
    marks = [i for i, g in enumerate(glyphs) if g.text in _ACCENTS or g.text == ","]
    if not marks or len(marks) > 5000:
        return glyphs
    letters = sorted((g.x0, j) for j, g in enumerate(glyphs)
                     if g.text.isalpha() and len(g.text) == 1 and g.text not in _ACCENTS)
    starts = [x for x, _ in letters]
    gone: set[int] = set()
    for i in marks:
        mark = glyphs[i]
        centre = (mark.x0 + mark.x1) / 2
        best, distance = None, None
        # the letter under (or over) the mark, wherever the PDF draws it in its stream
        for position in range(max(0, bisect.bisect_left(starts, centre - mark.size * 2)), len(letters)):
            x, j = letters[position]
            if x > centre + 1:
                break
            letter = glyphs[j]
            if j in gone or not (abs(letter.base - mark.base) <= letter.size * 0.35 or (
                    -letter.size * 0.1 <= letter.ink_top - mark.ink_bottom <= letter.size * 0.5)):
                continue  # on the letter's line, or just above its ink
            width = letter.x1 - letter.x0
            if mark.text == ",":  # under the letter, on its own line: below its baseline, inside its width
                if letter.text not in _COMMA_BELOW or not (letter.x0 + width * 0.2 < centre < letter.x1 - width * 0.2) \
                        or abs(letter.base - mark.base) > letter.size * 0.35 \
                        or mark.ink_top < letter.base - letter.size * 0.2:
                    continue
            elif not (letter.x0 - width * 0.1 < centre < letter.x1 + width * 0.1):
                continue
            gap = abs(centre - (letter.x0 + letter.x1) / 2) + abs(letter.base - mark.base)
            if distance is None or gap < distance:
                best, distance = j, gap
        if best is None:
            continue
        letter = glyphs[best]
        combining = "\u0326" if mark.text == "," else _ACCENTS[mark.text]
        base = {"ı": "i", "ȷ": "j"}.get(letter.text, letter.text) if mark.text != "," and (
            mark.ink_bottom <= letter.ink_top + letter.size * 0.3) else letter.text
        if mark.text == ",":
            base = letter.text
        letter.text = unicodedata.normalize("NFC", base + combining)
        gone.add(i)
        if mark.space_before and best == i + 1:
            letter.space_before = True
        after = glyphs[i + 1] if i + 1 < len(glyphs) else None
        if after is not None and after.guessed_space and after.x0 - letter.x1 < letter.size * WORD_GAP:
            after.guessed_space = False  # PDFium read a gap after the mark, not after the letter
    return [g for i, g in enumerate(glyphs) if i not in gone]


# ---- rows: glyphs that share a baseline ---------------------------------------------------------
@dataclass(eq=False)
class _Row:
    glyphs: list[Glyph]
    base: float
    size: float
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    def settle(self) -> None:
        self.glyphs.sort(key=lambda g: g.x0)
        usual = [g for g in self.glyphs if not g.script]
        sizes = Counter(round(g.size, 1) for g in usual or self.glyphs)
        self.size = sizes.most_common(1)[0][0]
        self.x0 = min(g.x0 for g in self.glyphs)
        self.x1 = max(g.x1 for g in self.glyphs)
        self.top = min(g.top for g in usual or self.glyphs)
        self.bottom = max(g.bottom for g in usual or self.glyphs)
        self.base = statistics.median(g.base for g in usual or self.glyphs)

    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


def _rows(glyphs: list[Glyph]) -> list[_Row]:
    """Glyphs grouped by baseline into rows (a row may hold both columns), sub- and superscripts joined."""
    rows: list[_Row] = []
    for glyph in sorted(glyphs, key=lambda g: (round(g.base, 1), g.x0)):
        row = rows[-1] if rows else None
        if row is not None and abs(glyph.base - row.base) <= 0.2 * max(glyph.size, row.size) and (
                0.7 < glyph.size / row.size < 1.4):
            row.glyphs.append(glyph)
        else:
            rows.append(_Row([glyph], glyph.base, glyph.size))
    for row in rows:
        row.settle()
    return _scripts_joined(_apart(rows))


def _apart(rows: list[_Row]) -> list[_Row]:
    """Rows whose far-apart pieces stand on baselines a little apart (two columns whose lines do not align) as
    a row for each baseline: a line's own glyphs (a bracket, a figure) may sit a fraction of a point off."""
    out: list[_Row] = []
    for row in rows:
        pieces = _pieces(row, 1.5)
        bases = [statistics.median(g.base for g in piece) for piece in pieces]
        if len(pieces) < 2 or max(bases) - min(bases) <= row.size * 0.08:
            out.append(row)
            continue
        groups: list[tuple[float, list[Glyph]]] = []
        for base, piece in sorted(zip(bases, pieces), key=lambda item: item[0]):
            if groups and base - groups[-1][0] <= row.size * 0.08:
                groups[-1][1].extend(piece)
            else:
                groups.append((base, list(piece)))
        for base, glyphs in groups:
            part = _Row(glyphs, base, row.size)
            part.settle()
            out.append(part)
    return out


def _pieces(row: _Row, gap: float) -> list[list[Glyph]]:
    """A row's glyphs cut where a gap wider than `gap` em stands between them."""
    pieces: list[list[Glyph]] = []
    for glyph in row.glyphs:
        if pieces and glyph.x0 - pieces[-1][-1].x1 <= gap * max(glyph.size, pieces[-1][-1].size):
            pieces[-1].append(glyph)
        else:
            pieces.append([glyph])
    return pieces


def _scripts_joined(rows: list[_Row]) -> list[_Row]:
    """Rows of smaller type that stand raised or lowered right beside a row of larger type join it."""
    by_base = sorted(rows, key=lambda r: r.base)
    bases = [r.base for r in by_base]
    largest = max((r.size for r in by_base), default=0.0)
    kept: list[_Row] = []
    for row in by_base:
        moved: list[list[Glyph]] = []
        for piece in _pieces(row, 0.6):
            size = max(g.size for g in piece)
            if size >= largest * 0.88:
                continue  # no row's type is larger than this piece's
            host = None
            base = max(g.base for g in piece)
            low = bisect.bisect_left(bases, base - largest * 0.45)
            high = bisect.bisect_right(bases, base + largest * 0.65)
            for other in by_base[low:high]:
                if other is row or other.size * 0.88 < size:
                    continue
                # a superscript's baseline stands up to 0.6 em above the other's, a subscript's up to 0.4 below
                if not (other.base - other.size * 0.65 <= max(g.base for g in piece) <= other.base + other.size * 0.45):
                    continue
                if any(-0.3 * other.size <= piece[0].x0 - g.x1 <= 0.6 * other.size
                       or -0.3 * other.size <= g.x0 - piece[-1].x1 <= 0.3 * other.size for g in other.glyphs):
                    host = other
                    break
            if host is not None:
                for glyph in piece:
                    glyph.script = "raised" if glyph.base < host.base - host.size * 0.1 else (
                        "lowered" if glyph.base > host.base + host.size * 0.05 else "")
                host.glyphs.extend(piece)
                moved.append(piece)
        if moved:
            gone = {id(g) for piece in moved for g in piece}
            row.glyphs = [g for g in row.glyphs if id(g) not in gone]
        if row.glyphs:
            kept.append(row)
    for row in kept:
        row.settle()
        for glyph in row.glyphs:  # a marker set in the font's own superscript digits, at the body's size
            if not glyph.script and glyph.size >= row.size * 0.88 and (glyph.text.isdecimal() or glyph.text in "*†‡§¶"):
                raised = row.base - glyph.ink_bottom
                if raised > row.size * 0.22 and glyph.ink_top < row.base - row.size * 0.5:
                    glyph.script = "raised"
                elif glyph.ink_bottom > row.base + row.size * 0.06 and row.base - glyph.ink_top < row.size * 0.5:
                    glyph.script = "lowered"
    return sorted(kept, key=lambda r: (r.base, r.x0))


# ---- running heads and feet ---------------------------------------------------------------------
def _drop_furniture(pages: list[list[_Row]], heights: list[float]) -> None:
    """Take out the rows (or row pieces) at the top and foot of pages that repeat, and page numbers."""
    if not pages:
        return

    def edge_pieces(rows: list[_Row], height: float):
        if not rows:
            return []
        # the first and last few rows, in the page's top and bottom quarters: where heads, feet and numbers stand
        ordered = sorted(rows, key=lambda r: r.base)
        edge = [r for r in ordered[:3] if r.base < height * 0.25]
        edge += [r for r in ordered[-3:] if r.base > height * 0.75 and all(r is not e for e in edge)]
        found = []
        for row in edge:
            side = "top" if row.base < height / 2 else "foot"
            for piece in _pieces(row, 1.5):
                text = "".join(g.text for g in piece) if not any(g.space_before for g in piece) else _spaced(piece)
                found.append((row, piece, f"{side} {round(max(g.size for g in piece))} {text}"))
        return found

    edges = [edge_pieces(rows, height) for rows, height in zip(pages, heights)]
    shapes: list[Counter] = [Counter(), Counter()]  # odd and even pages
    for index, found in enumerate(edges):
        shapes[index % 2].update({_shape(text) for _, _, text in found})
    every = Counter()
    for found in edges:
        every.update({_shape(text) for _, _, text in found})
    numbers = []
    for index, found in enumerate(edges):
        for _, _, text in found:
            match = _PAGE_NUMBER.match(text.split(" ", 2)[2].strip())
            if match and match.group(1).isdecimal():
                numbers.append(int(match.group(1)) - index)
    offset = Counter(numbers).most_common(1)[0] if numbers else None
    count = len(pages)
    for index, found in enumerate(edges):
        same_side = (count + (1 - index % 2)) // 2
        for row, piece, text in found:
            shape = _shape(text)
            repeated = count >= 2 and (every[shape] >= max(2, 0.5 * count)
                                       or (same_side >= 2 and shapes[index % 2][shape] >= max(2, 0.6 * same_side)))
            match = _PAGE_NUMBER.match(text.split(" ", 2)[2].strip())
            numbered = bool(match) and (not match.group(1).isdecimal() or (
                offset is not None and int(match.group(1)) - index == offset[0] and (offset[1] >= 2 or count == 1)))
            if repeated or numbered:
                for glyph in piece:
                    row.glyphs.remove(glyph)
        pages[index][:] = [row for row in pages[index] if row.glyphs]
        for row in pages[index]:
            row.settle()


def _shape(text: str) -> str:
    """An edge piece's words with its digits as # ("top 7 CS4575: ..., page 3"); its edge and size kept whole."""
    side, size, words = text.split(" ", 2)
    return f"{side} {size} " + re.sub(r"\d+", "#", " ".join(words.split())).lower()


def _spaced(glyphs: list[Glyph]) -> str:
    return "".join((" " if g.space_before and i else "") + g.text for i, g in enumerate(glyphs))


# ---- regions: full-width stretches and columns ------------------------------------------------------
def _gutter(rows: list[_Row], width: float) -> float | None:
    """The x of the white strip between two columns, if the page has one."""
    glyphs = [g for row in rows for g in row.glyphs]
    if len(glyphs) < 200:
        return None
    # for each x of the middle, the rows with a glyph within 3 pt of it (a strip 6 pt wide crosses no word space)
    low, high = int(width * 0.3), int(width * 0.7)
    crossing = [0] * (high - low + 1)
    for row in rows:
        covered = bytearray(high - low + 1)
        for g in row.glyphs:
            a, b = max(low, math.floor(g.x0 - 3) + 1), min(high, math.ceil(g.x1 + 3) - 1)
            if a <= b:
                covered[a - low:b - low + 1] = b"\x01" * (b - a + 1)
        for index in (i for i, hit in enumerate(covered) if hit):
            crossing[index] += 1
    best, fewest = None, None
    for step in range(low, high + 1):
        count = crossing[step - low]
        if fewest is None or count < fewest or (count == fewest and abs(step - width / 2) < abs(best - width / 2)):
            best, fewest = step, count
    if best is None:
        return None
    left = sum(1 for g in glyphs if g.x1 <= best)
    right = sum(1 for g in glyphs if g.x0 >= best)
    # lines on either side of the strip, side by side down the page (each column keeps its own baselines)
    # each line that does not cross the strip, cut at it: the left column's and the right column's lines (in a
    # one-column page, lines that start after the strip are few and short)
    lefts, rights = [], []
    for row in rows:
        if _crosses(row, best):
            continue
        side = [g for g in row.glyphs if g.x1 <= best + 1.5]
        if side:
            lefts.append((min(g.x0 for g in side), max(g.x1 for g in side), row.base))
        side = [g for g in row.glyphs if g.x0 >= best - 1.5]
        if side:
            rights.append((min(g.x0 for g in side), max(g.x1 for g in side), row.base))
    if min(left, right) < len(glyphs) * 0.1 or min(len(lefts), len(rights)) < 3:
        return None
    for side in (lefts, rights):  # a column's lines start at its margin, and most run across it
        starts = Counter(round(x0 / 3) for x0, _, _ in side)
        if sum(n for _, n in starts.most_common(2)) < len(side) * 0.5 or \
                statistics.median(x1 - x0 for x0, x1, _ in side) < width * 0.2:
            return None
    lefts.sort(key=lambda part: part[2])
    rights.sort(key=lambda part: part[2])
    # side by side down the page, or both starting at the same height (a last page's short right column)
    overlap = min(lefts[-1][2], rights[-1][2]) - max(lefts[0][2], rights[0][2])
    if overlap < (max(lefts[-1][2], rights[-1][2]) - min(lefts[0][2], rights[0][2])) * 0.3 and \
            abs(lefts[0][2] - rights[0][2]) > 40:
        return None
    return float(best)


def _crosses(row: _Row, x: float) -> bool:
    return any(g.x0 < x + 1.5 and g.x1 > x - 1.5 for g in row.glyphs)


def _regions(rows: list[_Row], width: float, first: bool,
             before: float | None) -> tuple[list[list[Line]], float | None]:
    """The page's lines in reading order, as regions: full-width stretches and each column of a two-column one;
    and the page's gutter. `before`: the gutter of the page before (a last page whose right column holds only
    a few lines keeps it, if hardly a line crosses it)."""
    gutter = _gutter(rows, width)
    if gutter is None and before is not None and any(g.x0 >= before for row in rows for g in row.glyphs) and \
            sum(_crosses(row, before) for row in rows) <= max(2, len(rows) * 0.1):
        gutter = before
    if gutter is None:
        return [_lines(rows)] if rows else [], None
    stretches: list[tuple[bool, list[_Row]]] = []  # (two columns?, rows)
    for row in rows:
        split = not _crosses(row, gutter)
        if stretches and stretches[-1][0] == split:
            stretches[-1][1].append(row)
        else:
            stretches.append((split, [row]))
    regions: list[list[Line]] = []
    for index, (split, part) in enumerate(stretches):
        if not split:
            regions.append(_lines(part))
            continue
        left = [_Row([g for g in r.glyphs if g.x1 <= gutter], r.base, r.size) for r in part]
        right = [_Row([g for g in r.glyphs if g.x0 >= gutter], r.base, r.size) for r in part]
        left, right = [r for r in left if r.glyphs], [r for r in right if r.glyphs]
        for row in (*left, *right):
            row.settle()
        if first and index <= 2 and left and right:
            head, left, right = _grid_head(left, right, gutter, width)
            regions.extend(head)
        if not right or not left:
            regions.append(_lines(left or right))
            continue
        regions.append(_lines(left))
        regions.append(_lines(right))
    return [region for region in regions if region], gutter


def _grid_head(left: list[_Row], right: list[_Row], gutter: float, width: float):
    """Above the columns on a first page, rows centred in their half (an author grid): read block by block,
    row by row. Returns (regions of the head, the left column's rows, the right column's rows)."""
    def margin(rows: list[_Row]) -> float:
        return Counter(round(r.x0) for r in rows).most_common(1)[0][0]

    def centred(row: _Row, lo: float, hi: float) -> bool:
        return row.x0 > lo + row.size * 1.5 and abs((row.x0 + row.x1) / 2 - (lo + hi) / 2) < (hi - lo) * 0.08

    lo_l, hi_l = margin(left), max(r.x1 for r in left)
    lo_r, hi_r = margin(right), max(r.x1 for r in right)
    boundary = None
    for row in sorted([*left, *right], key=lambda r: r.base):
        is_left = row in left
        lo, hi = (lo_l, hi_l) if is_left else (lo_r, hi_r)
        if not centred(row, lo, hi):
            boundary = row.top
            break
    if boundary is None:
        return [], left, right
    head = [r for r in (*left, *right) if r.bottom <= boundary]
    if not head:
        return [], left, right
    blocks: list[list[_Row]] = []
    for row in sorted(head, key=lambda r: r.base):
        for block in blocks:
            last = block[-1]
            if abs((last.x0 + last.x1) / 2 - (row.x0 + row.x1) / 2) < (hi_l - lo_l) * 0.25 and \
                    row.top - last.bottom < row.size * 1.2:
                block.append(row)
                break
        else:
            blocks.append([row])
    blocks.sort(key=lambda b: (round(b[0].top / (b[0].size * 2)), b[0].x0))
    rest_left = [r for r in left if r.bottom > boundary]
    rest_right = [r for r in right if r.bottom > boundary]
    return [_lines(block) for block in blocks], rest_left, rest_right


def _lines(rows: list[_Row]) -> list[Line]:
    """Rows (of one region) as lines, each cut apart where a wide gap stands (cells of a table stay one line)."""
    lines = []
    for row in sorted(rows, key=lambda r: (r.base, r.x0)):
        if not row.glyphs:
            continue
        lines.append(_line(row))
    return lines


def _line(row: _Row) -> Line:
    size = row.size
    text, offsets, markers, lead, cuts = [], [], [], "", []
    position = 0
    run, run_at = "", -1
    previous = None
    for glyph in row.glyphs:
        if previous is not None:
            gap = glyph.x0 - previous.x1
            reference = max(min(glyph.size, previous.size), size * 0.6)
            if glyph.space_before or gap > WORD_GAP * reference or (glyph.guessed_space and (
                    gap > 0.03 * reference or (gap > -0.3 * reference and _ITALIC.search(previous.font)))):
                if gap > CELL_GAP * size:
                    cuts.append(position)
                text.append(" ")
                position += 1
        offsets.append(position)
        text.append(glyph.text)
        small = glyph.size < size * 0.85 and glyph.script != "lowered"
        marker_like = glyph.script == "raised" or (small and glyph.base < row.base - size * 0.15)
        sign = glyph.text in "−-+" and not run  # a raised sign before an exponent's digits ("10⁻⁵")
        if marker_like and (glyph.text.isdecimal() or glyph.text in "*†‡§¶" or sign):
            if not run or position != run_at + len(run):
                if run:
                    markers.append((run_at, run))
                run, run_at = "", position
            run += glyph.text
        elif run:
            markers.append((run_at, run))
            run = ""
        position += len(glyph.text)
        previous = glyph
    if run:
        markers.append((run_at, run))
    joined = "".join(text)
    if UNMAPPED in joined:  # an unknown symbol alone, away from any digit, hides no figure: shown as one
        chars = list(joined)
        for index, glyph in enumerate(row.glyphs):
            near = row.glyphs[max(0, index - 1):index] + row.glyphs[index + 1:index + 2]
            if glyph.unmapped and not any(g.unmapped or g.text.isdecimal() for g in near):
                chars[offsets[index]] = UNKNOWN_SYMBOL
        joined = "".join(chars)
    if markers and markers[0][0] == 0:
        lead = markers[0][1]
    usual = [g for g in row.glyphs if not g.script]
    bold = sum(g.bold for g in usual) > len(usual) * 0.8 if usual else False
    italic = sum(bool(_ITALIC.search(g.font)) for g in usual) > len(usual) * 0.8 if usual else False
    return Line(joined, row.top, row.bottom, row.x0, row.x1, size, bold, markers, 0, row.glyphs, offsets, lead,
                italic, cuts)
