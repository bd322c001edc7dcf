"""Read a born-digital PDF into the `blocks` text of `claimpack.text.paper`.

`claimpack.text.pdf_glyphs` gives each page's lines in reading order (PDFium's glyphs; word gaps,
accents, sub- and superscripts, columns, running heads and feet). This module makes the text:

- notes: the smaller type at the foot of a column, below a short rule or a gap, each starting
  with its number (raised or not); a note continued from the column or page before joins it;
  endnotes are the numbered lines under a "Notes" (or "Endnotes") heading. Both become the
  package's footnotes, `[^n]: ...`; a block of small type at a column's foot that starts with no
  number (a copyright or permission notice) is a paragraph of its own, after the paragraph it cut;
- a footnote marker in the text is a raised number (smaller, or the font's superscript digits)
  that names a printed note: after a word ("website1"), a figure, a quote, a hyphenated word
  ("subpro-cess8"), or alone at the start of a line; a raised number after a figure that names
  no note is an exponent ("10^9"), one after a letter a superscript ("m²");
- headings are lines in a larger or bold type; the title (the largest type of the first page)
  and what stands before the first heading are the front matter;
- paragraphs are split at a wider gap between lines, a first-line indent, a list bullet, a
  numbered reference ("[12] ..."), or an indented block (a block quote); a paragraph cut by a
  column or page break continues after it;
- a word hyphenated at the end of a line is joined when the next line goes on in lower case,
  unless the paper prints the same compound with its hyphen elsewhere ("open-source");
- digits a narrow space groups ("187 412") keep a narrow no-break space, one number;
- a ligature the PDF maps to one character ("ﬁ") is written as its letters ("fi");
- the title, the authors (each a person, in order) and the date come from the PDF's info
  dictionary when it names them and the first page prints them, else from the first page: its
  largest type, the names between the title and the abstract or first heading, a printed date
  (else the date the PDF was made).

A page whose text is doubtful (glyphs the PDF maps to no character, or letters run together for
want of word gaps) stops the reading with one line naming the page: no figure is lost silently.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..system.problems import ClaimpackError
from .derivation import Derivation, Reading, doubtful, single_spaced
from .paper import ends_sentence
from .pdf_glyphs import Line, Page, engine_version, read_pages

ENGINE = "pypdfium2"
_BULLET = re.compile(r"^(?:[•▪◦‣∙·●○■□–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_GLYPH_BULLET = re.compile(r"^[•▪◦‣∙·●○■□–—-]\s+")  # a bold line after one is a list item; "1. Data" is a heading
_REFERENCE_ENTRY = re.compile(r"^\[\d{1,4}\]\s")  # a numbered bibliography entry starts a paragraph
# Ligatures a PDF may map to one character ("ﬁve", "ﬁfty"): their letters, so number words read as words
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})
# A space between two digits narrower than this share of the type size groups them ("187 412"):
# a word space is about a quarter or a third of an em, a narrow no-break space about an eighth.
_GROUP_GAP = 0.18
_NOTE_MARK = re.compile(r"\[\^\d+\]")
_NOTE_START = re.compile(r"^(\d{1,4})(?:[.)]\s*|\s+|(?=[A-Za-z\"“(*]))")
_NOTES_HEADING = re.compile(r"^(?:\d+\.?\s+)?(?:end\s*notes|notes|footnotes)$", re.I)
_SYMBOLS = "*†‡§¶"
_CAPS_HEADING = re.compile(r"^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*)\.?\s+[A-Z][A-Z0-9 ,:;&()/'’-]{2,}\Z")
_LETTER_HEADING = re.compile(r"^[A-Z]\.\s+[A-Z]\S*(?:\s+\S+){0,10}\Z")
_POWER_OF_TEN = re.compile(r"\d\s*[×x·⋅]\s*10\Z")
_BIBLIOGRAPHY = re.compile(r"^(?:\d+\.?\s+)?(?:references|bibliography|works cited|literature cited|literature|sources|"
                           r"reference list|cited works)\b", re.I)
_CELL = "\x1f"  # where a line's wide gap stands, until it is known whether the line is a table's row
_ABSTRACT = re.compile(r"#+ (?:abstract|summary|executive summary)\.?\Z", re.I)
_OPEN_END = re.compile(r"\b(?:and|or|of|for|the|a|an|in|on|to|with|by|from|at|as|via|vs\.?|between|&|[:,–—-])\Z", re.I)
_CAPTION = re.compile(r"^(?:fig(?:ure)?\.?|table|tab\.|chart|plate|listing|algorithm|exhibit)\s*[\dIVX]+[.:]?(?:\s|$)",
                      re.I)
# What a first page's first heading says (before it, larger or bold lines are the front matter: names, places)
_FIRST_HEADING = re.compile(r"^(?:(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+\S|(?:abstract|summary|executive summary|"
                            r"introduction|background|overview|keywords|index terms|contents|preface|foreword)\b)",
                            re.I)
_SUPERSCRIPT = str.maketrans("0123456789+-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?")
_DATE = re.compile(rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTHS}) \d{{1,2}}, \d{{4}}|\d{{1,2}} (?:{_MONTHS}) \d{{4}}|"
                   rf"(?:{_MONTHS}) \d{{4}})\b")
# Words of an affiliation or an address, never of a person's name
_AFFILIATION = re.compile(
    r"\b(?:univ\w*|institut\w*|college|school|department|dept|faculty|laborator\w*|lab|labs|centre|center|"
    r"research|technolog\w*|sciences?|engineering|inc|ltd|gmbh|corp\w*|company|group|academy|hospital|"
    r"foundation|ministry|agency|council|street|road|avenue|netherlands|germany|france|usa|china|india|"
    r"italy|spain|japan|canada|kingdom|states|delft|abstract|keywords?|email|e-mail|correspond\w*|"
    r"project|report|paper|thesis|course|version|draft|preprint|submitted|accepted)\b", re.I)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſȘȚ][\w'’-]*\.?|[A-Z]\.(?:-?[A-Z]\.)*|(?:van|von|der|den|de|da|di|du|"
                        r"del|della|dos|le|la|bin|ibn|al|el|ter|ten|zu|y)\b)$")


@dataclass
class _Note:
    label: str  # as printed: "3", "*"
    text: str
    page: int


def read_pdf(path: Path) -> Reading:
    """Read a PDF paper; one clear ClaimpackError for a PDF that cannot be read."""
    try:
        import pypdfium2
    except ImportError:  # pragma: no cover - a dependency of claimpack
        raise ClaimpackError("pypdfium2 is not installed", expected="claimpack installed with its dependencies") \
            from None
    label = str(path)
    try:
        head = path.read_bytes()[:1024]
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=label, expected="a readable PDF") from None
    if b"%PDF-" not in head:
        raise ClaimpackError("not a PDF (no %PDF- header)", file=label, expected="a PDF file")
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower() or b"/Encrypt" in _head_and_tail(path):
            raise ClaimpackError("the PDF is encrypted (it needs a password)", file=label,
                                 expected="a PDF without encryption") from None
        raise ClaimpackError(f"cannot read the PDF ({exc})", file=label, expected="a well-formed PDF") from None
    try:
        if _encrypted(document):
            raise ClaimpackError("the PDF is encrypted", file=label, expected="a PDF without encryption")
        metadata = {key: str(value or "") for key, value in document.get_metadata_dict().items()}
        pages = read_pages(document)
    finally:
        document.close()
    if not any(line.text.strip() for page in pages for region in page.regions for line in region):
        raise ClaimpackError("the PDF has no text (a scan needs OCR first)", file=label,
                             expected="a born-digital PDF with a text layer")
    _check_text(pages, label)
    text, found = _blocks(pages)
    title = _meaningful_title(metadata.get("Title", ""), found.get("first_page", "")) or found.get("title", "")
    authors = _meaningful_authors(metadata.get("Author", ""), found.get("first_page", "")) or found.get("authors", [])
    # a date the first page prints; else the year the PDF was made: its day is when the file was written, not a
    # date the paper states (an ACM paper prints "2025" and was exported on some day of it)
    made = _pdf_date(metadata.get("CreationDate", "")) or _pdf_date(metadata.get("ModDate", ""))
    date = found.get("date") or made[:4]
    return Reading(text, Derivation(ENGINE, engine_version(), "pdf", "blocks"), title=title, authors=authors,
                   date=date, warnings=rotated_text(pages))


# arXiv's margin stamp ("arXiv:2401.01234v2  [cs.SE]  3 Jan 2024"): an identifier and the day it was posted,
# printed up the left margin of a preprint's first page; no figure of the paper
_ARXIV_STAMP = re.compile(r"arXiv:\s*(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\s*"
                          r"(?:\[[\w.\- ]+\]\s*)?(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})?")


def rotated_text(pages: list[Page]) -> list[str]:
    """A warning for each page whose text set at an angle holds a number (a margin stamp, a turned table or
    label): its lines are not read, and init says so rather than lose a figure silently. arXiv's stamp is
    known for what it is, and is no reason to warn."""
    found = []
    for page in pages:
        if re.search(r"\d", _ARXIV_STAMP.sub("", page.rotated)):
            shown = page.rotated if len(page.rotated) <= 80 else page.rotated[:77] + "..."
            found.append(f"page {page.number} of the PDF has text set at an angle that is not read "
                         f"({len(page.rotated)} characters: {shown!r}): check it for figures and add them by hand")
    return found


def _encrypted(document) -> bool:
    """A PDF with a security handler (even one that opens without a password, as an owner-locked PDF does)."""
    import pypdfium2.raw as raw

    return raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1


def _head_and_tail(path: Path) -> bytes:
    """The first and last 64 KB of a file: where a PDF's trailer names its encryption."""
    with path.open("rb") as handle:
        head = handle.read(65536)
        handle.seek(max(0, path.stat().st_size - 65536))
        return head + handle.read()


# ---- doubtful text ----------------------------------------------------------------------------------
def _check_text(pages: list[Page], label: str) -> None:
    for page in pages:
        text = "\n".join(line.text for region in page.regions for line in region)
        why = doubtful(text)
        if why is None and page.unmapped >= max(3, 0.02 * page.glyphs):  # a font without a map, not one symbol
            why = f"{page.unmapped} of its {page.glyphs} glyphs map to no character"
        if why is not None:
            raise ClaimpackError(f"page {page.number} of the PDF does not read as text: {why}", file=label,
                                 expected="a PDF whose text layer maps every glyph to a character and spaces its "
                                          "words: export it again from its source, or OCR it")


# ---- metadata -------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W_]+", text)]


def _meaningful_title(title: str, first_page: str) -> str:
    """The info dictionary's title, if the first page prints it (not a file name or a placeholder)."""
    title = " ".join(title.split())
    words = _words(title)
    if len(words) < 2 or re.search(r"\.(?:tex|docx?|pdf|dvi|indd|odt|rtf)\b|^microsoft |^untitled", title, re.I):
        return ""
    page = set(_words(first_page))
    return title if sum(w in page for w in words) >= 0.8 * len(words) else ""


def _meaningful_authors(author: str, first_page: str) -> list[str]:
    people = [a.strip() for a in re.split(r"\s*(?:;|,|&|\band\b)\s*", author) if a.strip()]
    page = set(_words(first_page))
    if not people or not all(_person(p) and all(w in page for w in _words(p)) for p in people):
        return []
    return people


def _person(text: str) -> bool:
    words = text.split()
    return (2 <= len(words) <= 5 and len(text) <= 60 and not re.search(r"\d|@|[()\[\]:]", text)
            and not _AFFILIATION.search(text) and all(_NAME_WORD.match(w) for w in words)
            and sum(w[:1].isupper() for w in words) >= 2 and not all(w.isupper() and len(w) > 2 for w in words)
            and not any(w.isupper() and len(w.rstrip(".")) > 1 and "." not in w for w in words))


def _front_people(lines: list[Line]) -> list[str]:
    """The persons named in front-matter lines, in order: row by row, left to right (an author grid), each line
    cut where a wide gap stands (names side by side), markers, symbols and e-mail addresses left out."""
    pieces: list[tuple[float, float, float, str]] = []  # (top, x0, size, text)
    for line in lines:
        text = line.text
        for at, digits in sorted(line.markers, reverse=True):
            text = text[:at] + " " * len(digits) + text[at + len(digits):]
        cuts = [0]
        for a, b, at in zip(line.glyphs, line.glyphs[1:], line.offsets[1:]):
            if b.x0 - a.x1 > line.size * 1.5:
                cuts.append(at)
        cuts.append(len(text))
        for start, end in itertools.pairwise(cuts):
            glyph = next((g for g, at in zip(line.glyphs, line.offsets) if at >= start), None)
            pieces.append((line.top, glyph.x0 if glyph else line.x0, line.size, text[start:end]))
    rows: list[list[tuple[float, float, float, str]]] = []
    for piece in sorted(pieces, key=lambda p: p[0]):
        if rows and piece[0] - rows[-1][0][0] < piece[2] * 0.5:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    people: list[str] = []
    for row in rows:
        for _top, _x, _size, text in sorted(row, key=lambda p: p[1]):
            text = re.sub(r"[*†‡§¶]+|\S+@\S+", " ", text)
            for part in re.split(r"\s*(?:,|;|&|\band\b)\s*", text):
                part = " ".join(part.split()).strip(" .")
                if _person(part) and part not in people:
                    people.append(part)
    return people


def _pdf_date(value: str) -> str:
    found = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not found or not 1900 < int(found.group(1)) < 2200:
        return ""
    parts = [found.group(1)] + [p for p in found.groups()[1:] if p]
    return "-".join(parts)


# ---- the text ----------------------------------------------------------------------------------------
def _body_size(pages: list[Page]) -> float:
    sizes: Counter = Counter()
    for page in pages:
        for region in page.regions:
            for line in region:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _note_area(region: list[Line], page: Page, body: float) -> int:
    """Index of the first line of the small-type block at the foot of a region (len(region) if none):
    below a short rule drawn across the region's left part, or after a gap, in smaller type than the body."""
    if not region:
        return 0
    left, right = min(line.x0 for line in region), max(line.x1 for line in region)
    start = len(region)
    for index in range(len(region) - 1, -1, -1):
        if region[index].size < body * 0.95:
            start = index
        else:
            break
    if start == len(region):
        return start
    # a short rule (a footnote rule) anywhere above the small type's last line; a rule across the column only
    # right above its first line (a permission or affiliation block)
    rules = [rule for rule in page.rules if left - 6 <= rule.x0 <= left + 6 and rule.x1 <= right + 6 and (
        (rule.x1 - rule.x0 < (right - left) * 0.7 and region[start].top - 30 <= rule.y <= region[-1].top)
        or (region[start].top - 30 <= rule.y <= region[start].top + 1 and len(region) - start <= 14))]
    if rules:
        cut = max(rule.y for rule in rules)
        return next((i for i, line in enumerate(region) if line.top >= cut), len(region))
    above = region[start - 1] if start else None
    gap = region[start].top - above.bottom if above is not None else 0.0
    first = region[start]
    numbered = bool(first.lead) or bool(_NOTE_START.match(first.text))
    return start if numbered and (above is None or gap > body * 0.4) else len(region)


def _split_notes(pages: list[Page], body: float) -> tuple[list[tuple[Page, list[Line]]], list[tuple[Page, list[Line]]]]:
    """The regions without their page-foot blocks, and those blocks (in reading order)."""
    bodies, feet = [], []
    for page in pages:
        for region in page.regions:
            cut = _note_area(region, page, body)
            bodies.append((page, region[:cut]))
            if region[cut:]:
                feet.append((page, region[cut:]))
    return bodies, feet


def _note_label(line: Line, expected: int) -> tuple[str, str] | None:
    """(label, the note's text) when a line starts a note: its raised number or symbol, or the number expected."""
    if line.lead and (line.lead in _SYMBOLS or line.lead.isdecimal()):
        return line.lead, line.text[len(line.lead):].strip()
    found = _NOTE_START.match(line.text)
    if found and int(found.group(1)) == expected:
        return found.group(1), line.text[found.end():].strip()
    symbol = re.match(rf"^([{re.escape(_SYMBOLS)}])\s*", line.text)
    if symbol:
        return symbol.group(1), line.text[symbol.end():].strip()
    return None


def _is_heading_line(line: Line, body: float, levels: list[float]) -> bool:
    text = line.text.strip()
    if _CAPTION.match(text):
        return False
    if len(text) < 80 and (_CAPS_HEADING.match(text) or (line.italic and _LETTER_HEADING.match(text)
                                                          and not ends_sentence(text))):
        return True  # IEEE's "II. RELATED WORK" in small capitals at the body's size, "A. Italic Subsection"
    return (line.size >= body * 1.12 and line.size in levels) or (
        line.bold and body - 0.5 < line.size < body * 1.12 and len(text) < 100 and not ends_sentence(text)
        and not _GLYPH_BULLET.match(text) and len(line.cuts) < 2)


def _blocks(pages: list[Page]) -> tuple[str, dict]:
    """The blocks text of the pages, and what the first page says (title, authors, date, its words)."""
    body = _body_size(pages)
    all_lines = [line for page in pages for region in page.regions for line in region]
    for page in pages:
        for region in page.regions:
            for line in region:
                line.page = page.number
    sizes = Counter(line.size for line in all_lines)
    heading_sizes = sorted({s for s in sizes if s >= body * 1.12}, reverse=True)
    first_page = [line for region in pages[0].regions for line in region] if pages else []
    largest = max((line.size for line in first_page), default=None)
    title_lines = []  # the first lines in the largest type, one after the other (a name below a gap is no title)
    for line in sorted((x for x in first_page if x.size == largest and x.top < pages[0].height * 0.6),
                       key=lambda x: x.top):
        if title_lines and line.top - title_lines[-1].bottom > line.size * 1.2:
            break
        title_lines.append(line)
    title_ids = {id(line) for line in title_lines}
    title_size = largest if largest is not None and largest >= body * 1.12 and 0 < len(title_lines) <= 4 and \
        sum(line.size == largest for line in all_lines) <= 6 else None
    levels = [s for s in heading_sizes if s != title_size]
    hyphenated = ({w.lower() for line in all_lines for w in re.findall(r"[^\W\d_]+-[^\W\d_]+", line.text)},
                  {w.lower() for line in all_lines for w in re.findall(r"[^\W\d_]+", line.text)[1:-1]})
    # (a line's first and last words left out: they may be halves of a word hyphenated across lines)

    # notes: page-foot blocks, then endnotes under a Notes heading
    bodies, feet = _split_notes(pages, body)
    notes: list[_Note] = []
    aside: dict[int, list[str]] = {}  # small type at a column's foot that is no note: by page, as paragraphs
    for page, area in feet:
        current = False  # the lines go on with a note of this area
        for position, line in enumerate(area):
            expected = sum(1 for n in notes if n.label.isdecimal()) + 1
            started = _note_label(line, expected)
            if position and line.top - area[position - 1].bottom > line.size:
                current = False  # a gap: what follows is no part of the note above (a permission notice)
            if started and (not started[0].isdecimal() or int(started[0]) == expected or line.lead == started[0]):
                notes.append(_Note(started[0], started[1], page.number))
                current = True
            elif current or (position == 0 and notes and notes[-1].page < page.number):
                notes[-1].text = _join([notes[-1].text, line.text], hyphenated)  # continued from the page before
                current = True
            else:
                aside.setdefault(page.number, []).append(line.text)
    endnote_lines = _endnote_lines(bodies, body, levels)
    for line in endnote_lines:
        expected = sum(1 for n in notes if n.label.isdecimal()) + 1
        started = _note_label(line, expected)
        if started and started[0].isdecimal() and int(started[0]) == expected:
            notes.append(_Note(started[0], started[1], line.page))
        elif notes:
            notes[-1].text = _join([notes[-1].text, line.text], hyphenated)
    labels = [note.label for note in notes]
    endnote_ids = {id(line) for line in endnote_lines}

    out: list[str] = []
    paragraph: list[str] = []
    kind = ""
    previous: Line | None = None
    title_parts: list[str] = []
    front: list[Line] = []
    pending: list[str] = []  # paragraphs set aside until the open one ends
    seen_heading = False
    used: list[int] = []  # the notes each marker names, in order (indices into notes)
    spacing = _spacing(pages, body)
    state = {"next": 0}
    section, para_x0 = "", 0.0

    def flush() -> None:
        nonlocal paragraph, kind
        if paragraph:
            text = _join(paragraph, hyphenated)
            # a block quote is two lines or more indented on both sides (one such line is a short paragraph)
            mark = {"quote": "> ", "item": "- "}.get(kind, "") if kind != "quote" or len(paragraph) > 1 else ""
            if not mark and re.match(r"(#{1,6}|>|-|\||\[\^\d+\]:|\\)( |$)", text):
                text = "\\" + text
            out.append(mark + text)
        paragraph, kind = [], ""
        for text in pending:
            out.append(("\\" + text) if re.match(r"(#{1,6}|>|-|\||\[\^\d+\]:|\\)( |$)", text) else text)
        pending.clear()

    region_index = -1
    last_page = 0
    for page, region in bodies:
        region_index += 1
        if page.number != last_page:
            if last_page in aside:
                pending.extend(_join([t], hyphenated) for t in _paragraphs_of(aside.pop(last_page)))
            last_page = page.number
        margins = [line for line in region if abs(line.size - body) < 0.5] or region
        left = min((line.x0 for line in margins), default=0.0)
        right = max((line.x1 for line in margins), default=0.0)
        continued = bool(paragraph)
        for index, line in enumerate(region):
            if id(line) in endnote_ids:
                continue
            text = _marked(line, labels, used, state)
            cells = text.count(_CELL) + 1
            # a table's row: three cells or more, with a line above or below cut into cells too (one line of prose
            # stretched by TeX past its word gaps is no table); two cells go on a table already begun
            beside = [region[i] for i in (index - 1, index + 1) if 0 <= i < len(region)]
            if seen_heading and ((cells >= 3 and any(other.cuts for other in beside))
                                 or (cells >= 2 and out and out[-1].startswith("| ") and not paragraph)):
                flush()
                out.append("| " + " | ".join(cell.strip() or "-" for cell in text.split(_CELL)) + " |")  # a table's row
                previous = line
                continue
            text = text.replace(_CELL, " ")
            if title_size is not None and id(line) in title_ids and not out and not seen_heading:
                if kind != "title":
                    flush()
                    kind = "title"
                paragraph.append(text)
                title_parts.append(line.text)
                previous = line
                continue
            caption = bool(paragraph) and bool(_CAPTION.match(paragraph[0])) and previous is not None and \
                previous in region and line.top - previous.bottom < spacing * 0.8
            if _is_heading_line(line, body, levels) and not caption and not (
                    kind == "item" and line.bold and previous is not None and line.x0 > left + 8) and (
                    seen_heading or line.page > 1 or _FIRST_HEADING.match(text.strip())):
                flush()
                level = (levels.index(line.size) + 1) if line.size in levels else len(levels) + 1
                if previous is not None and out and out[-1].startswith("#") and previous.size == line.size \
                        and previous in region and 0 <= line.top - previous.bottom < spacing and \
                        (previous.x1 - previous.x0 > (right - left) * 0.6 or _OPEN_END.search(out[-1])) and \
                        not re.match(r"^\d+(?:\.\d+)*\.?\s", text):
                    out[-1] += " " + text  # a heading on two lines
                else:
                    out.append("#" * min(level, 6) + " " + text)
                section = out[-1].lstrip("#").strip()
                seen_heading = True
                previous = line
                continue
            if not seen_heading and line.page == 1:
                front.append(line)
            indented = line.x0 > left + 8
            gap = previous is not None and previous in region and line.top - previous.top > spacing * 1.3
            bullet = bool(_BULLET.match(text))
            entry = bool(_REFERENCE_ENTRY.match(text))
            caption = bool(_CAPTION.match(text))
            starts = (not paragraph or gap or bullet or entry or caption or kind == "title"
                      or (previous is not None and previous in region and indented and line.x0 > previous.x0 + 2
                          and not (kind == "quote" and not gap) and previous.x1 < right - 20)
                      or (previous is not None and previous in region and indented and kind not in ("quote", "item")
                          and line.x0 > previous.x0 + 4 and line.x0 < left + 30
                          and ends_sentence(_NOTE_MARK.sub("", paragraph[-1])))
                      or (kind == "quote" and not indented)
                      or (kind == "item" and not indented))  # a list item's own lines hang past its bullet
            if out and _BIBLIOGRAPHY.match(section) and paragraph and previous is not None and previous in region:
                # a bibliography: an entry's own lines hang indented under its first; the next starts at its margin
                numbered = bool(_REFERENCE_ENTRY.match(paragraph[0]) or _BULLET.match(paragraph[0]))
                starts = bool(gap or entry or bullet or (not numbered and line.x0 <= para_x0 + 2 and (
                    previous.x0 > para_x0 + 4 or paragraph[-1].rstrip().endswith("."))) or (
                    not numbered and line.x0 > para_x0 + 4 and previous.x1 < right - 20
                    and paragraph[-1].rstrip().endswith(".")))  # a first-line indent after an entry's last line
            if continued and index == 0 and paragraph and not bullet and not entry and seen_heading and \
                    kind != "title" and not (
                    ends_sentence(_NOTE_MARK.sub("", paragraph[-1])) or (kind == "item" and not indented)):
                starts = False  # a paragraph cut by the column or page break goes on
            elif continued and index == 0:
                starts = True
            if starts:
                flush()
                para_x0 = line.x0
                quoted = left + 8 < line.x0 < left + (right - left) * 0.15 and line.x1 < right - 8 and seen_heading \
                    and not entry and not caption and not (out and _ABSTRACT.match(out[-1]))
                kind = "item" if bullet else ("quote" if quoted else "")
                if bullet:
                    text = _BULLET.sub("", text, count=1)
            elif kind == "quote" and not indented:
                kind = ""
            paragraph.append(text)
            previous = line
        previous = None
        continued = bool(paragraph)
    if kind == "title":
        flush()
    flush()
    for rest in aside.values():
        out.extend(_paragraphs_of(rest))
    # notes in the order their markers name them first; a note no marker names keeps its place after them
    order = list(dict.fromkeys([*used, *range(len(notes))]))
    number_of = {index: position + 1 for position, index in enumerate(order)}
    text = "\n\n".join(out)
    text = re.sub(r"\[\^#(\d+)\]", lambda m: f"[^{number_of[int(m.group(1))]}]", text)
    definitions = [f"[^{number_of[index]}]: {_join([notes[index].text], hyphenated) or '(empty)'}" for index in order]
    text = "\n\n".join(part for part in (text, "\n\n".join(definitions)) if part)
    title = _join(title_parts, hyphenated).translate(_LIGATURES) if title_parts else ""
    front_text = "\n".join(line.text for line in front)
    date = _DATE.search(front_text)
    people = _front_people([line for line in front if id(line) not in title_ids])
    first_words = " ".join(line.text for line in first_page)
    return (text.translate(_LIGATURES) + "\n") if text else "", {
        "title": title, "authors": people, "date": date.group(1) if date else "", "first_page": first_words}


def _paragraphs_of(texts: list[str]) -> list[str]:
    return [single_spaced(" ".join(texts))] if texts else []


def _endnote_lines(bodies: list[tuple[Page, list[Line]]], body: float, levels: list[float]) -> list[Line]:
    """The lines under a Notes (Endnotes, Footnotes) heading, up to the next heading."""
    found: list[Line] = []
    inside = False
    for _page, region in bodies:
        for line in region:
            if _is_heading_line(line, body, levels) or (line.bold and len(line.text) < 40):
                inside = bool(_NOTES_HEADING.match(line.text.strip().rstrip(":")))
                continue
            if inside:
                found.append(line)
    return found if any(line.lead or _NOTE_START.match(line.text) for line in found) else []


def _marked(line: Line, labels: list[str], used: list[int], state: dict) -> str:
    """The line's text with its note markers written [^#index] (renumbered once every note is known), its
    exponents written ^n and its other raised digits as superscripts."""
    text = line.text
    changes: list[tuple[int, int, str]] = []
    for at, run in line.markers:
        if run[:1] in "−-+":  # a signed exponent: never a marker
            if run[1:].isdecimal():
                before = text[:at].rstrip()
                exponent = bool(before) and before[-1].isdecimal() and at == len(before)
                changes.append((at, at + len(run), "^" + run if exponent else run.translate(_SUPERSCRIPT)))
            continue
        before = text[:at].rstrip()
        after_digit = bool(before) and before[-1].isdecimal() and at == len(before)
        power = bool(_POWER_OF_TEN.search(before))  # "6.3 × 10³": an exponent, whatever note comes next
        index = None if power else _note_for(run, labels, used, state, after_digit)
        if index is not None:
            used.append(index)
            changes.append((at, at + len(run), f"[^#{index}]"))
        elif run.isdecimal() and after_digit:
            changes.append((at, at + len(run), "^" + run))
        elif run.isdecimal():
            changes.append((at, at + len(run), run.translate(_SUPERSCRIPT)))
    text = _grouped(text, line)
    changes += [(at, at + 1, _CELL) for at in line.cuts if text[at:at + 1] == " "]
    for start, end, replacement in sorted(changes, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _note_for(run: str, labels: list[str], used: list[int], state: dict, after_digit: bool) -> int | None:
    """The note a raised run names: the next printed note with that label; after a figure, only the next note."""
    start = state["next"]
    for index in range(start, len(labels)):
        if labels[index] == run:
            if after_digit and index != start:
                return None
            state["next"] = index + 1
            return index
        if labels[index].isdecimal() and run.isdecimal() and int(labels[index]) > int(run):
            break
    if not after_digit:  # a note named again ("see note 3"): the same label printed earlier
        for index in range(min(start, len(labels)) - 1, -1, -1):
            if labels[index] == run and run.isdecimal() and index in used:
                return index
    return None


def _grouped(text: str, line: Line) -> str:
    """Digits a narrow space groups ("187 412") joined by a narrow no-break space."""
    if " " not in text or not any(c.isdecimal() for c in text):
        return text
    glyphs, offsets = line.glyphs, line.offsets
    if not glyphs or len(offsets) != len(glyphs) or line.text != text:
        return text
    chars = list(text)
    for a, b, at_a, at_b in zip(glyphs, glyphs[1:], offsets, offsets[1:]):
        if a.text.isdecimal() and b.text.isdecimal() and at_b - at_a == 2 and chars[at_a + 1] == " " and \
                b.x0 - a.x1 < line.size * _GROUP_GAP and not a.script and not b.script:
            chars[at_a + 1] = "\u202f"
    return "".join(chars)


def _join(pieces: list[str], words: tuple[set[str], set[str]] | None = None) -> str:
    """Lines joined into one text; `words`: (the compounds the paper prints with a hyphen, its words)."""
    text = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if not text:
            text = piece
            continue
        broken = re.search(r"([^\W\d_]+)-\Z", text)
        head = re.match(r"[^\W\d_]+", piece)
        if re.search(r"://\S*[./_-]\Z", text) or (re.search(r"://\S*\Z", text) and re.match(r"[\w/#?=&.-]+\Z", piece)
                                                  and not piece[:1].isupper()):
            text += piece  # an address broken at the end of the line (its hyphen is its own)
        elif broken and head and (piece[:1].islower() or (
                words is not None and (broken.group(1) + head.group()).lower() in words[1])):
            compound = f"{broken.group(1)}-{head.group()}".lower()
            joined = (broken.group(1) + head.group()).lower()
            if words is not None and joined not in words[1] and (compound in words[0] or (
                    len(broken.group(1)) > 2 and len(head.group()) > 2 and broken.group(1).lower() in words[1]
                    and head.group().lower() in words[1])):
                text += piece  # a compound: the paper prints it with its hyphen, or both its words alone
            else:
                text = text[:-1] + piece  # a word hyphenated at the end of the line ("Py-Torch" where "PyTorch" is)
        elif piece.startswith("[^#") or (piece.startswith("[^") and piece[2:3].isdecimal()):
            text += piece  # a marker that went to the next line
        else:
            text += " " + piece
    return single_spaced(text)


def _spacing(pages: list[Page], body: float) -> float:
    """The usual distance from one body line to the next."""
    gaps: Counter = Counter()
    for page in pages:
        for region in page.regions:
            for a, b in itertools.pairwise(region):
                if abs(a.size - body) < 0.5 and abs(b.size - body) < 0.5 and b.top > a.top:
                    gaps[round(b.top - a.top)] += 1
    return float(gaps.most_common(1)[0][0]) if gaps else body * 1.3
