"""The page of a PDF paper where a record's figure stands, rendered with the figure boxed.

pdfplumber gives every word of every page with its box; the figure's words are found on the page
whose words around them best match the record's quote (a figure such as "2" stands on every page).
pypdfium2 renders the page (PDFium, the PDF engine of Chromium) and Pillow draws the box.
Both libraries are local: nothing is fetched, and the page is served by the workbench itself.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from pathlib import Path

from ..system.problems import ClaimpackError
from ..text.paper import normalize

SCALE = 1.6  # pixels per PDF point: a Letter page is 979 px wide
_lock = threading.Lock()
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=4)
def page_words(path: str, stamp: tuple) -> list[list[dict]]:
    """Every word of every page (text, x0, top, x1, bottom in PDF points from the page's top left)."""
    import pdfplumber

    with _lock, pdfplumber.open(path) as pdf:
        return [[{"text": w["text"], "x0": w["x0"], "top": w["top"], "x1": w["x1"], "bottom": w["bottom"]}
                 for w in page.extract_words(keep_blank_chars=False, use_text_flow=True)] for page in pdf.pages]


def locate(pages: list[list[dict]], figure: str, quote: str) -> tuple[int, tuple[float, float, float, float]] | None:
    """(page index, box) of the figure's words, on the page where the words around them match the quote best."""
    target = [t for t in normalize(figure).split() if t]
    if not target:
        return None
    around = {w.lower() for w in _WORD.findall(normalize(quote))}
    best = None
    for number, words in enumerate(pages):
        texts = [normalize(w["text"]) for w in words]
        for index in range(len(words)):
            if target[0] not in texts[index]:
                continue
            if not all(index + k < len(texts) and target[k] in texts[index + k] for k in range(1, len(target))):
                continue
            window = texts[max(0, index - 20): index + len(target) + 20]
            score = sum(w.lower() in around for text in window for w in _WORD.findall(text))
            if best is None or score > best[0]:
                best = (score, number, index)
    if best is None:
        return None
    _, number, index = best
    chosen = pages[number][index: index + len(target)]
    box = (min(w["x0"] for w in chosen), min(w["top"] for w in chosen), max(w["x1"] for w in chosen),
           max(w["bottom"] for w in chosen))
    return number, box


BAND = 200  # pixels kept above and below the box in the card's view of the page


@functools.lru_cache(maxsize=64)
def render(path: str, stamp: tuple, number: int, box: tuple[float, float, float, float], whole: bool = True) -> bytes:
    """The page as PNG with a box around `box`: the whole page, or the band of it around the box."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    with _lock:
        document = pdfium.PdfDocument(path)
        try:
            page = document[number]
            image = page.render(scale=SCALE).to_pil().convert("RGB")
            page.close()
        finally:
            document.close()
    x0, top, x1, bottom = (value * SCALE for value in box)
    pad = 4
    draw = ImageDraw.Draw(image)
    for width, colour in ((7, (255, 255, 255)), (4, (200, 0, 20))):
        draw.rectangle((x0 - pad, top - pad, x1 + pad, bottom + pad), outline=colour, width=width)
    if not whole:
        image = image.crop((0, max(0, int(top) - BAND), image.width, min(image.height, int(bottom) + BAND)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def warm(workbench) -> None:
    """Read the words of a PDF paper's pages ahead of the first card that shows one (seconds, once)."""
    original = workbench.package.config.get("original")
    try:
        path = workbench.package.path_of(original) if original else None
    except ClaimpackError:
        return
    if path is not None and path.suffix.lower() == ".pdf" and path.is_file():
        info = path.stat()
        page_words(str(path), (info.st_mtime_ns, info.st_size))


def page_png(workbench, record_id: str, whole: bool = False) -> bytes | None:
    """The boxed page (the band around the figure, or the whole page) of a record of a PDF paper, or None (not a
    PDF, or the figure found on no page)."""
    row = workbench.rows.get(record_id)
    original = workbench.package.config.get("original")
    if row is None or not original:
        return None
    try:
        path = workbench.package.path_of(original)
    except ClaimpackError:
        return None
    if path.suffix.lower() != ".pdf" or not path.is_file():
        return None
    info = Path(path).stat()
    stamp = (info.st_mtime_ns, info.st_size)
    figure = row.cells.get("figure") or row.cells.get("date", "")[:4]
    found = locate(page_words(str(path), stamp), figure, row.cells.get("quote", ""))
    if found is None:
        return None
    number, box = found
    return render(str(path), stamp, number, box, whole)
