"""Read a born-digital PDF into the `blocks` text of `claimpack.text.paper`, through pdfplumber.

A page is read line by line with each character's size, font and position:
- running heads and page numbers (the same line at the top or foot of most pages, or a number
  alone there) are left out;
- the footnotes are the small-print block at the foot of a page, each starting with its number
  (a note continued from the page before joins it);
- a footnote marker in the text is the next footnote's number (of a footnote the pages print) set
  smaller, raised or in the font's narrower superscript digits, or glued to the end of a word or
  punctuation ("household.2", never the decimals of "2.3");
- headings are lines in a larger or bold type; the title (the largest type of the first page)
  and what stands before the first heading are the front matter;
- paragraphs are split at a wider gap between lines, a first-line indent, a list bullet, or
  an indented block (a block quote); a paragraph cut by a page break continues after it;
- a word hyphenated at the end of a line is joined when the next line goes on in lower case;
- a page in two columns is read column by column (after any full-width head, such as the title);
- digits a narrow space groups ("187 412") keep a narrow no-break space, one number;
- a ligature the PDF maps to one character ("ﬁ") is written as its letters ("fi").
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..system.problems import ClaimpackError
from .derivation import Derivation, Reading, single_spaced
from .paper import ends_sentence

_BULLET = re.compile(r"^(?:[•▪◦‣∙·●○■□–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_GLYPH_BULLET = re.compile(r"^[•▪◦‣∙·●○■□–—-]\s+")  # a bold line after one is a list item; "1. Data" is a heading
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
# Digits glued to a word or a mark ("household.2"), not the decimals of a number ("2.3", "2.1 Data")
_GLUED = re.compile(r"(?<=[A-Za-zÀ-ÿ.,;:)\]\"”’'])(?<!\d[.,])(\d{1,3})(?=\s|$|[A-Z\"“(])")
# Ligatures a PDF may map to one character ("ﬁve", "ﬁfty"): their letters, so number words read as words
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})
# A space between two digits narrower than this share of the type size groups them ("187 412"):
# a word space is about a quarter or a third of an em, a narrow no-break space about an eighth.
_GROUP_GAP = 0.18
_NOTE_MARK = re.compile(r"\[\^\d+\]")
_NOTE_START = re.compile(r"^(\d{1,4})(?:[.)]\s*|\s+|(?=[A-Z\"“(*]))")


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float  # the line's usual character size
    bold: bool
    markers: list[tuple[int, str]] = field(default_factory=list)  # small or raised digit runs: (offset, digits)


def read_pdf(path: Path) -> Reading:
    """Read a PDF paper; one clear ClaimpackError for a PDF that cannot be read."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - a dependency of claimpack
        raise ClaimpackError("pdfplumber is not installed", expected="claimpack installed with its dependencies") \
            from None
    label = str(path)
    try:
        head = path.read_bytes()[:1024]
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=label, expected="a readable PDF") from None
    if b"%PDF-" not in head:
        raise ClaimpackError("not a PDF (no %PDF- header)", file=label, expected="a PDF file")
    try:
        with pdfplumber.open(path) as pdf:
            if pdf.doc.encryption is not None:
                raise ClaimpackError("the PDF is encrypted", file=label, expected="a PDF without encryption")
            metadata = {k: _text(v) for k, v in (pdf.metadata or {}).items()}
            widths = _digit_widths(pdf.pages)
            pages = [_page_lines(region, widths) for page in pdf.pages for region in _columns(page)]
            height = float(pdf.pages[0].height) if pdf.pages else 0.0
    except ClaimpackError:
        raise
    except PDFPasswordIncorrect:
        raise ClaimpackError("the PDF is encrypted (it needs a password)", file=label,
                             expected="a PDF without encryption") from None
    except Exception as exc:  # pdfminer raises many kinds for a damaged file (pdfplumber wraps them)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(inner, PDFPasswordIncorrect) or b"/Encrypt" in _head_and_tail(path):
            raise ClaimpackError("the PDF is encrypted (it needs a password)", file=label,
                                 expected="a PDF without encryption") from None
        detail = f"{type(inner).__name__}: {inner}".rstrip(": ")
        raise ClaimpackError(f"cannot read the PDF ({detail})", file=label, expected="a well-formed PDF") from None
    text, title = _blocks(pages, height, metadata.get("Title", ""))
    if not text.strip():
        raise ClaimpackError("the PDF has no text (a scan needs OCR first)", file=label,
                             expected="a born-digital PDF with a text layer")
    authors = [a.strip() for a in re.split(r"\s*(?:&|;|,| and )\s*", metadata.get("Author", "")) if a.strip()]
    front = text.split("\n# ", 1)[0]
    found = re.search(r"\b(\d{4}-\d{2}-\d{2}|(?:January|February|March|April|May|June|July|August|September|"
                      r"October|November|December) (?:\d{1,2}, )?\d{4}|\d{4})\b", front.split("\n\n", 1)[-1])
    date = found.group(1) if found else ""
    return Reading(text, Derivation("pdfplumber", pdfplumber.__version__, "pdf", "blocks"),
                   title=title or metadata.get("Title", ""), authors=authors, date=date)


def _head_and_tail(path: Path) -> bytes:
    """The first and last 64 KB of a file: where a PDF's trailer names its encryption."""
    with path.open("rb") as handle:
        head = handle.read(65536)
        handle.seek(max(0, path.stat().st_size - 65536))
        return head + handle.read()


def _text(value) -> str:
    if isinstance(value, bytes):
        for encoding in ("utf-8", "utf-16", "latin-1"):
            try:
                return value.decode(encoding)
            except UnicodeDecodeError:
                continue
    return str(value) if value is not None else ""


def _columns(page) -> list:
    """A page as the regions read in order: a two-column page is its full-width head, then each column.

    The gutter is the vertical line near the middle that no character crosses below the head.
    """
    chars = [c for c in page.chars if c["text"].strip()]
    width, height = float(page.width), float(page.height)
    if len(chars) < 300:
        return [page]
    best, fewest = None, len(chars)
    for x in range(int(width * 0.38), int(width * 0.62) + 1, 2):
        crossing = [c for c in chars if c["x0"] < x < c["x1"]]
        if len(crossing) < fewest:
            best, fewest = x, len(crossing)
            if not crossing:
                break
    crossing = [c for c in chars if c["x0"] < best < c["x1"]] if best else chars
    head = max((c["bottom"] for c in crossing), default=0.0)
    if best is None or head > height * 0.5:
        return [page]
    left = sum(1 for c in chars if c["x1"] <= best and c["top"] >= head)
    right = sum(1 for c in chars if c["x0"] >= best and c["top"] >= head)
    if min(left, right) < len(chars) * 0.2:
        return [page]
    regions = [page.within_bbox((0, 0, width, head + 0.5))] if head else []
    below = head + 0.5
    return [*regions, page.within_bbox((0, below, best, height)), page.within_bbox((best, below, width, height))]


def _digit_widths(pages) -> dict[tuple, float]:
    """The usual width of each digit in each font and size."""
    widths: dict[tuple, list[float]] = {}
    for page in pages:
        for char in page.chars:
            if char["text"].isdigit() and len(char["text"]) == 1:
                key = (char["fontname"], round(char["size"], 1), char["text"])
                widths.setdefault(key, []).append(char["x1"] - char["x0"])
    return {key: statistics.median(found) for key, found in widths.items()}


def _superscript_glyph(char: dict, widths: dict[tuple, float]) -> bool:
    """A digit drawn narrower than that digit usually is in its font and size: a superscript glyph
    (Typst and OpenType fonts set a marker with the font's own superscripts, at the body's size)."""
    usual = widths.get((char["fontname"], round(char["size"], 1), char["text"]))
    return usual is not None and char["x1"] - char["x0"] < usual * 0.8


def _raised_markers_joined(found: list[dict]) -> list[dict]:
    """pdfplumber's lines with a line of raised digits alone (a marker set high, as a browser prints <sup>)
    put back into the line below it that it overlaps, where it stands."""
    joined: list[dict] = []
    for index, line in enumerate(found):
        below = found[index + 1] if index + 1 < len(found) else None
        chars = [c for c in line["chars"] if c["text"].strip()]
        body = [c["size"] for c in below["chars"] if c["text"].strip()] if below else []
        if not (below and chars and body and all(c["text"].isdigit() for c in chars)
                and line["bottom"] > below["top"] and max(c["size"] for c in chars) < statistics.median(body) * 0.9):
            joined.append(line)
            continue
        x = chars[0]["x0"]
        offsets, position = [], 0
        for char in below["chars"]:
            at = below["text"].find(char["text"], position)
            offsets.append(at if at >= 0 else position)
            position = max(position, at + len(char["text"])) if at >= 0 else position
        cut = next((i for i, char in enumerate(below["chars"]) if char["x0"] >= x), len(below["chars"]))
        at = offsets[cut - 1] + len(below["chars"][cut - 1]["text"]) if cut else 0  # right after the word before
        digits = "".join(c["text"] for c in chars)
        found[index + 1] = {**below, "text": below["text"][:at] + digits + below["text"][at:],
                            "chars": below["chars"][:cut] + chars + below["chars"][cut:]}
    return joined


def _page_lines(page, widths: dict[tuple, float]) -> list[_Line]:
    lines = []
    for found in _raised_markers_joined(page.extract_text_lines(return_chars=True, strip=True)):
        chars = [c for c in found["chars"] if c["text"].strip()]
        if not chars:
            continue
        size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
        bold = sum("bold" in c["fontname"].lower() for c in chars) > len(chars) * 0.8
        baseline = statistics.median(c["bottom"] for c in chars)
        markers, text, run, run_at = [], found["text"], "", -1
        # digits set smaller, or raised above the line: footnote markers (their offsets in the line's text)
        position, last, grouping = 0, None, []
        for char in found["chars"]:
            at = text.find(char["text"], position)
            if at < 0:
                continue
            position = at + len(char["text"])
            if (last is not None and char["text"].isdigit() and last[0]["text"].isdigit()
                    and text[last[1] + 1:at] == " " and char["x0"] - last[0]["x1"] < size * _GROUP_GAP):
                grouping.append(at - 1)  # a narrow space between digit groups: "187 412"
            last = (char, at)
            small = char["size"] < size * 0.85 or char["bottom"] < baseline - size * 0.25
            if char["text"].isdigit() and (small or _superscript_glyph(char, widths)):
                if not run:
                    run_at = at
                run += char["text"]
            elif run:
                markers.append((run_at, run))
                run = ""
        if run:
            markers.append((run_at, run))
        for at in grouping:
            text = text[:at] + "\u202f" + text[at + 1:]
        usual = [c for c in chars if round(c["size"], 1) == size]  # a raised marker does not move the line
        lines.append(_Line(text, float(min(c["top"] for c in usual)), float(max(c["bottom"] for c in usual)),
                           float(found["x0"]), float(found["x1"]), size, bold, markers))
    return lines


def _blocks(pages: list[list[_Line]], height: float, title_hint: str) -> tuple[str, str]:
    """The blocks text of the pages, and the title read from the first page."""
    sizes = Counter()
    for lines in pages:
        for line in lines:
            sizes[line.size] += len(line.text)
    if not sizes:
        return "", ""
    body = sizes.most_common(1)[0][0]
    pages = _without_furniture(pages, height)
    body_lines = [line for lines in pages for line in lines if abs(line.size - body) < 0.5]
    left = min((line.x0 for line in body_lines), default=0.0)
    right = max((line.x1 for line in body_lines), default=0.0)
    spacing = _spacing(pages, body)
    heading_sizes = sorted({line.size for lines in pages for line in lines if line.size >= body * 1.12}, reverse=True)
    first_page = pages[0] if pages else []
    largest = heading_sizes[0] if heading_sizes else None
    # the title: the largest type, on the first page, in no more than three lines
    title_size = largest if largest is not None and first_page and max(x.size for x in first_page) == largest \
        and sum(x.size == largest for page in pages for x in page) <= 3 else None
    levels = [s for s in heading_sizes if s != title_size]

    out: list[str] = []
    notes: list[str] = []
    paragraph: list[str] = []
    kind = ""
    previous: _Line | None = None
    next_note = 1
    title = ""

    def flush() -> None:
        nonlocal paragraph, kind
        if paragraph:
            text = _join(paragraph)
            mark = {"quote": "> ", "item": "- "}.get(kind, "")
            if not mark and re.match(r"(#{1,6}|>|-|\||\[\^\d+\]:|\\)( |$)", text):
                text = "\\" + text
            out.append(mark + text)
        paragraph, kind = [], ""

    last_note = _last_note(pages, body)
    for lines in pages:
        notes_from = _footnote_start(lines, body)
        margins = [line for line in lines if abs(line.size - body) < 0.5]
        if margins:  # each column of a two-column page has its own margins
            left, right = min(line.x0 for line in margins), max(line.x1 for line in margins)
        continued = bool(paragraph)  # a paragraph left open at the foot of the last page
        for index, line in enumerate(lines):
            if index >= notes_from:
                started = _NOTE_START.match(line.text)
                if started and int(started.group(1)) == len(notes) + 1:
                    notes.append(line.text[started.end():].strip())
                elif notes:
                    notes[-1] = _join([notes[-1], line.text])
                continue
            text, next_note = _mark_notes(line, next_note, last_note)
            if title_size is not None and line.size == title_size and not out:
                if kind != "title":
                    flush()
                    kind = "title"
                paragraph.append(text)
                title = _join(paragraph)
                previous = line
                continue
            is_heading = (line.size >= body * 1.12 and line.size in levels) or (
                line.bold and abs(line.size - body) < 0.5 and len(text) < 100 and not ends_sentence(text)
                and not _GLYPH_BULLET.match(text))
            if is_heading:
                flush()
                level = (levels.index(line.size) + 1) if line.size in levels else len(levels) + 1
                if previous is not None and out and out[-1].startswith("#") and previous.size == line.size \
                        and line.top - previous.bottom < spacing:
                    out[-1] += " " + text  # a heading on two lines
                else:
                    out.append("#" * min(level, 6) + " " + text)
                previous = line
                continue
            indented = line.x0 > left + 8
            gap = previous is not None and previous in lines and line.top - previous.top > spacing * 1.3
            bullet = bool(_BULLET.match(text))
            starts = (not paragraph or gap or bullet or kind == "title"
                      or (previous is not None and previous in lines and indented
                          and not (kind == "quote" and not gap) and previous.x1 < right - 20)
                      or (kind == "quote" and not indented)
                      or (kind == "item" and not indented))  # a list item's own lines hang past its bullet
            if continued and index == 0 and paragraph and not bullet and not (
                    ends_sentence(_NOTE_MARK.sub("", paragraph[-1])) or (kind == "item" and not indented)):
                starts = False  # a paragraph cut by the page break goes on
            elif continued and index == 0:
                starts = True
            if starts:
                flush()
                quoted = left + 8 < line.x0 < left + (right - left) * 0.15 and line.x1 < right - 8 and levels_seen(out)
                kind = "item" if bullet else ("quote" if quoted else "")
                if bullet:
                    text = _BULLET.sub("", text, count=1)
            elif kind == "quote" and not indented:
                kind = ""
            paragraph.append(text)
            previous = line
        previous = None
    flush()
    if kind == "title":
        flush()
    out += [f"[^{number}]: {text or '(empty)'}" for number, text in enumerate(notes, start=1)]
    if not title and title_hint:
        title = title_hint
    return ("\n\n".join(out).translate(_LIGATURES) + "\n") if out else "", title.translate(_LIGATURES)


def levels_seen(out: list[str]) -> bool:
    return any(line.startswith("#") for line in out)


def _join(pieces: list[str]) -> str:
    text = ""
    for piece in pieces:
        piece = piece.strip()
        if not text:
            text = piece
        elif re.search(r"[A-Za-zÀ-ÿ]-\Z", text) and piece[:1].islower():
            text = text[:-1] + piece  # a word hyphenated at the end of the line
        elif re.search(r"://\S*[./_-]\Z", text):
            text += piece  # an address broken at the end of the line
        else:
            text += " " + piece
    return single_spaced(text)


def _last_note(pages: list[list[_Line]], body: float) -> int:
    """The number of the last footnote printed at the foot of a page (0 if none)."""
    expected = 1
    for lines in pages:
        for line in lines[_footnote_start(lines, body):]:
            started = _NOTE_START.match(line.text)
            if started and int(started.group(1)) == expected:
                expected += 1
    return expected - 1


def _mark_notes(line: _Line, expected: int, last: int) -> tuple[str, int]:
    """The line's text with footnote markers written [^N]; the next footnote number expected.

    A marker is the next footnote's number, and only of a footnote the pages print (up to `last`).
    """
    text = line.text
    found: list[tuple[int, int, int]] = []  # (start, end, number)
    for at, digits in line.markers:
        if int(digits) == expected + len(found) <= last:
            found.append((at, at + len(digits), int(digits)))
    if not found:
        for match in _GLUED.finditer(text):
            if int(match.group(1)) == expected + len(found) <= last:
                found.append((match.start(1), match.end(1), int(match.group(1))))
    for start, end, number in reversed(found):
        text = text[:start] + f"[^{number}]" + text[end:]
    return text, expected + len(found)


def _footnote_start(lines: list[_Line], body: float) -> int:
    """Index of the first line of the footnote block at the foot of the page (len(lines) if none)."""
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].size < body * 0.95:
            start = index
        else:
            break
    return start


def _without_furniture(pages: list[list[_Line]], height: float) -> list[list[_Line]]:
    """Pages without running heads, running feet and page numbers."""
    edge = height * 0.09 if height else 60.0
    repeated = Counter()
    for lines in pages:
        seen = {re.sub(r"\d+", "#", line.text) for line in lines if line.top < edge or line.bottom > height - edge}
        repeated.update(seen)
    common = {text for text, count in repeated.items() if len(pages) >= 3 and count >= len(pages) * 0.6}
    kept = []
    for lines in pages:
        def furniture(line: _Line) -> bool:
            at_edge = line.top < edge or line.bottom > height - edge
            return at_edge and (bool(_PAGE_NUMBER.match(line.text.strip()))
                                or re.sub(r"\d+", "#", line.text) in common)
        kept.append([line for line in lines if not furniture(line)])
    return kept


def _spacing(pages: list[list[_Line]], body: float) -> float:
    """The usual distance from one body line to the next."""
    gaps = Counter()
    for lines in pages:
        for a, b in itertools.pairwise(lines):
            if abs(a.size - body) < 0.5 and abs(b.size - body) < 0.5 and b.top > a.top:
                gaps[round(b.top - a.top)] += 1
    return float(gaps.most_common(1)[0][0]) if gaps else body * 1.3
