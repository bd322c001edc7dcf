"""Read a paper in any common format into the text claimpack matches quotes against.

Markdown, DOCX, ODT, HTML, LaTeX (and the other formats pandoc reads) go through pandoc's
document AST; PDF goes through `claimpack.text.pdf`. Either way the result is the `blocks` style of
`claimpack.text.paper` (one block per line, footnote markers written [^1], footnotes at the end), and
a `Derivation` that says how it was made, so that `claimpack validate` can make it again from
the original file and refuse a text that no longer matches.

A Markdown paper in the page-by-page style of a converted printed paper (footnotes as paragraphs
that start with superscript numbers) is kept as it is: its text is the original (`pages` style).
"""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import stat
import subprocess
from pathlib import Path
from typing import Any

from ..system.problems import ClaimpackError
from .derivation import Derivation, Reading, single_spaced
from .html_notes import BODY_CLASS, MARK_CLASS
from .metadata import docx_core, persons

FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".docx": "docx", ".odt": "odt",
           ".html": "html", ".htm": "html", ".tex": "latex", ".latex": "latex", ".rst": "rst", ".epub": "epub",
           ".org": "org", ".pdf": "pdf"}
READERS = frozenset(FORMATS.values())  # the only readers a derivation record may name
STYLES = ("blocks", "pages")
PANDOC_TIMEOUT = 120
PAPER_BYTES = 100 << 20  # a paper file, images included; a ten-page paper is well under 1 MB
UNPACKED_BYTES = 256 << 20  # what a DOCX, ODT or EPUB may hold once unzipped (a zip bomb holds gigabytes)
PANDOC_HEAP_MB = 1024  # pandoc's heap (+RTS -M): a document it cannot read within it is refused
CONTAINERS = ("docx", "odt", "epub")
_BLOCK_START = re.compile(r"(#{1,6}|>|-|\||\[\^\d{1,5}\]:|\\)(?: |\Z)")
_SUPERSCRIPT_NOTE = re.compile(r"^(?:[0-9ivxlcdm]{1,6}[.,]?[ \t]+)?[⁰¹²³⁴⁵⁶⁷⁸⁹]+\S", re.M)


def format_of(path: Path) -> str:
    """The reader for a file, by its extension."""
    reader = FORMATS.get(path.suffix.lower())
    if reader is None:
        raise ClaimpackError(f"unknown paper format {path.suffix or '(no extension)'!r}", file=str(path),
                             expected="a paper in " + ", ".join(sorted(set(FORMATS))))
    return reader


def is_page_style(text: str) -> bool:
    """A Markdown paper converted page by page: footnotes are paragraphs starting with superscripts."""
    return "[^" not in text and len(_SUPERSCRIPT_NOTE.findall(text)) >= 1


def read(path: Path, reader: str | None = None, style: str | None = None, *, references: bool = True) -> Reading:
    """Read a paper file into its derived text (or keep a page-style Markdown text as it is).

    The paper is untrusted input: it must be a regular file within PAPER_BYTES; pandoc reads it
    sandboxed (no other file, no network: a LaTeX \\input{/etc/passwd} stays unread) within its
    heap, after the unzipped size of a DOCX, ODT or EPUB is checked; a PDF is read in a child
    process within a memory and time budget. `references`: read the bibliography file its metadata
    names (beside the paper only).
    """
    reader = reader or format_of(path)
    check_paper_file(path)
    if reader == "pdf":
        from ..system.bounded import run_bounded
        from .pdf import read_pdf

        return run_bounded(read_pdf, path, label=str(path), what="reading the PDF")
    if reader in CONTAINERS:
        check_container(path, reader)
    if reader == "markdown":
        raw = _read_bytes(path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ClaimpackError(f"not UTF-8 (byte {exc.start})", file=str(path), expected="UTF-8 text") from None
        if style == "pages" or (style is None and is_page_style(text)):
            return Reading(text, Derivation("", "", "markdown", "pages"))
    prepared = None
    if reader == "html":
        from .html_notes import prepare

        prepared = prepare(_read_bytes(path))
    try:
        ast = pandoc_ast(path, reader, prepared.html if prepared is not None else None)
        reading = from_ast(ast, Derivation("pandoc", pandoc_version(), reader, "blocks"), path if references else None)
        if prepared is not None:  # what the HTML's head and header say, where pandoc's metadata is silent
            reading.title = prepared.title or reading.title  # citation_title, <h1>, then <title> (a site's name)
            reading.authors = reading.authors or persons(prepared.authors)
            reading.date = reading.date or prepared.date
        if reader == "docx" and not (reading.title and reading.authors and reading.date):
            core = docx_core(path)  # the core properties, where the document's own Title/Author lines are silent
            reading.title = reading.title or core.get("title", "")
            reading.authors = reading.authors or persons(core.get("creator", ""))
            reading.date = reading.date or core.get("created", "")
        return reading
    except RecursionError:  # a block quote in a block quote, three thousand deep
        raise ClaimpackError("the paper nests its blocks too deeply to read", file=str(path),
                             expected="a paper of at most a few hundred nested blocks") from None


def check_paper_file(path: Path) -> None:
    """Refuse, before reading it, a paper that is a symbolic link, not a regular file, or larger than
    PAPER_BYTES."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=str(path), expected="a readable paper") from None
    if stat.S_ISLNK(info.st_mode):
        raise ClaimpackError("the paper is a symbolic link", file=str(path),
                             expected="the paper file itself, not a link to one (copy the file)")
    if not stat.S_ISREG(info.st_mode):
        raise ClaimpackError("not a regular file", file=str(path), expected="a paper file")
    if info.st_size > PAPER_BYTES:
        raise ClaimpackError(f"the paper is {info.st_size:,} bytes", file=str(path),
                             expected=f"a paper of at most {PAPER_BYTES:,} bytes")


def check_container(path: Path, reader: str) -> None:
    """Refuse a DOCX, ODT or EPUB whose files unzip to more than UNPACKED_BYTES (a zip bomb), unread."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # pandoc says what is wrong with it
    if unpacked > UNPACKED_BYTES:
        raise ClaimpackError(f"the {reader} unzips to {unpacked:,} bytes", file=str(path),
                             expected=f"a document of at most {UNPACKED_BYTES:,} bytes unzipped")


def run_pandoc(arguments: list[str], path: Path, what: str, source: bytes | None = None) -> subprocess.CompletedProcess:
    """pandoc on an untrusted file: sandboxed (it reads no file but this one and fetches nothing),
    within its heap and PANDOC_TIMEOUT. `source`: the file's text as claimpack prepared it, read
    from standard input instead of the file.

    No name can become an option: `arguments` are claimpack's own, each written --option=value;
    the file comes after `--` (the end of pandoc's options) and `--RTS` (the end of the Haskell
    runtime's), by its absolute path. A paper named `-Levil.md`, or whose metadata names the
    bibliography `-Levil.bib` or `-o/etc/x`, is a file name and nothing else.
    """
    command = [pandoc_path(), "+RTS", f"-M{PANDOC_HEAP_MB}m", "-RTS", "--RTS", "--sandbox", *arguments]
    feed = {"input": source} if source is not None else {"stdin": subprocess.DEVNULL}
    if source is None:
        command += ["--", os.path.abspath(path)]
    try:
        result = subprocess.run(command, capture_output=True, timeout=PANDOC_TIMEOUT, check=False, **feed)
    except subprocess.TimeoutExpired:
        raise ClaimpackError(f"pandoc took longer than {PANDOC_TIMEOUT} s to read {what}", file=str(path),
                             expected=f"{what} pandoc can read") from None
    if (result.returncode != 0 and b"out of memory" in result.stderr[:4000]) or result.returncode in (
            -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):  # what a memory limit does to a Haskell runtime
        raise ClaimpackError(f"pandoc ran out of memory reading {what} (a memory limit, ulimit -v or claimpack's "
                             "budget, lower than it needs)", file=str(path),
                             expected=f"{what} pandoc can read within the memory it is given") from None
    if b"Heap exhausted" in result.stderr or b"heap overflow" in result.stderr:
        raise ClaimpackError(f"pandoc needed more than {PANDOC_HEAP_MB:,} MB of memory to read {what}", file=str(path),
                             expected=f"{what} pandoc can read within its memory") from None
    return result


_BACKTRACE = re.compile(r"^(?:HasCallStack backtrace:|CallStack \(from HasCallStack\):)")
_FRAME = re.compile(r"^\s+\S.*, called at |^\s*\^\s*$")


def pandoc_message(stderr: str, limit: int = 300) -> str:
    """pandoc's error, as one line: its first meaningful line (and the line after an "Error at ...:"), without
    its warnings, the Haskell backtrace that follows or the "pandoc: " before it."""
    lines = []
    for line in stderr.splitlines():
        if _BACKTRACE.match(line):
            break
        if not line.strip() or line.startswith(("[WARNING]", "[INFO]")) or _FRAME.match(line):
            continue
        lines.append(line.strip().removeprefix("pandoc: "))
    message = lines[0] if lines else ""
    if message.endswith(":") and len(lines) > 1:  # Error at "paper.tex" (line 2, column 2): / unexpected end
        message += " " + lines[1]
    return message if len(message) <= limit else message[:limit - 1] + "…"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=str(path), expected="a readable paper") from None


@functools.cache
def pandoc_path() -> str:
    """The pandoc of the pypandoc-binary wheel, found without running it (pypandoc runs `pandoc --version`
    to find it, and logs a traceback when that fails, as under a memory limit); else pypandoc's."""
    import pypandoc

    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    if bundled.is_file() and os.access(bundled, os.X_OK):
        return str(bundled)
    return pypandoc.get_pandoc_path()


@functools.cache
def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=False).stdout
    return out.split("\n", 1)[0].split()[-1] if out else "unknown"


_TABLE_BEGIN = re.compile(r"\\begin\{(?:tabular\*?|tabularx|tabulary|longtable|array)\}(?:\[[^\]]*\])?")


def _braced(text: str, at: int) -> int:
    """The end of the brace group that opens at text[at] ("{"), or -1."""
    depth = 0
    for index in range(at, len(text)):
        if text[index] == "{" and text[index - 1:index] != "\\":
            depth += 1
        elif text[index] == "}" and text[index - 1:index] != "\\":
            depth -= 1
            if depth == 0:
                return index + 1
    return -1


def plain_column_specs(latex: str) -> str:
    """LaTeX with the `>{...}` and `<{...}` decorations taken out of its tables' column specs.

    pandoc's LaTeX reader drops the digits a cell starts with in a decorated column
    (`>{\\raggedleft\\arraybackslash}p{3cm}` reads "10.8" as "" and "1,240" as ",240"); the
    decorations only align the cells, so the text is the same without them.
    """
    out, position = [], 0
    for match in _TABLE_BEGIN.finditer(latex):
        at = match.end()
        if latex.startswith("{", at) and ("tabularx" in match.group() or "tabular*" in match.group()):
            at = max(at, _braced(latex, at))  # the table's width comes first
        if not latex.startswith("{", at) or at < position:
            continue
        end = _braced(latex, at)
        if end < 0:
            continue
        spec, index, kept = latex[at:end], 0, []
        while index < len(spec):
            if spec[index] in "<>" and spec.startswith("{", index + 1):
                close = _braced(spec, index + 1)
                if close > 0:
                    index = close
                    continue
            kept.append(spec[index])
            index += 1
        out.append(latex[position:at] + "".join(kept))
        position = end
    return "".join(out) + latex[position:]


def pandoc_ast(path: Path, reader: str, source: bytes | None = None) -> dict:
    """pandoc's JSON AST of a file (or of `source`, the file as claimpack prepared it)."""
    if reader == "latex":
        latex = _read_bytes(path).decode("utf-8", "surrogateescape")
        plain = plain_column_specs(latex)
        source = plain.encode("utf-8", "surrogateescape") if plain != latex else None
    result = run_pandoc([f"--from={reader}", "--to=json"], path, "the paper", source)
    if result.returncode != 0:
        message = pandoc_message(result.stderr.decode("utf-8", "replace"))
        raise ClaimpackError(f"pandoc cannot read it as {reader}: {message or 'exit ' + str(result.returncode)}",
                             file=str(path), expected=f"a readable {reader} paper")
    return json.loads(result.stdout)


def bibliography_file(paper: Path, name: str) -> Path | None:
    """The bibliography file a paper's metadata names, if it is a regular file in the paper's folder or below.

    A name that leaves the folder (an absolute path, `..`) or passes through a symbolic link is
    refused: the metadata is part of the paper, and a paper must not make init read the reader's
    other files into a package.
    """
    if not name or os.path.isabs(name) or ".." in Path(name).parts or "\x00" in name:
        raise ClaimpackError(f"the paper's metadata names the bibliography {name!r} outside the paper's folder",
                             file=str(paper), expected="a bibliography file beside the paper (refs.bib)")
    current = paper.parent
    for part in Path(name).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return None  # not there: the paper is read without it
        if stat.S_ISLNK(mode):
            raise ClaimpackError(f"the bibliography {name!r} is reached through a symbolic link", file=str(paper),
                                 expected="a bibliography file beside the paper, not a link")
    return current if stat.S_ISREG(mode) and os.stat(current).st_size <= PAPER_BYTES else None


def bibliography_items(path: Path) -> list[dict]:
    """CSL items of a bibliography file (.bib, .json, .yaml) through pandoc."""
    reader = {".bib": "biblatex", ".bibtex": "bibtex", ".json": "csljson", ".yaml": "markdown"}.get(path.suffix.lower())
    if reader is None or not path.is_file():
        return []
    result = run_pandoc([f"--from={reader}", "--to=csljson"], path, "the bibliography")
    if result.returncode != 0:
        return []
    try:
        items = json.loads(result.stdout)
    except ValueError:
        return []
    return [item for item in items if isinstance(item, dict)]


# ---- pandoc AST -> blocks text -------------------------------------------------------------------
_EXPONENT = re.compile(r"[-\u2212]?\d{1,2}")
_BASE = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d+)?\Z")  # a base of three digits or fewer (a year takes no power)


class _Writer:
    """Walk pandoc's AST and write one line per block."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.notes: dict[int, str] = {}  # number as printed (or in order) -> text
        self.bodies: dict[int, list] = {}  # an HTML paper's notes, paired by text.html_notes
        self.links: dict[int, list[tuple[str, str]]] = {}  # a note's links: (text, address)
        self.citations: dict[int, list[tuple[str, str]]] = {}
        self.keys: list[tuple[int, str, str]] = []
        self._note: int | None = None  # the footnote being written, if any
        # A paper without headings that sets its titles as bold paragraphs ("**2. Methods**"): those are its
        # headings, and the first, before any other text, is its title when the metadata names none
        self.bold_headings = False
        self.bold_title = ""

    # inlines
    def inlines(self, items: list) -> str:
        pieces: list[str] = []
        for item in items:
            if item.get("t") == "Superscript" and pieces:
                raised = self.inlines(item.get("c") or [])
                # an exponent raised after a number ("10<sup>6</sup>", "2<sup>-3</sup>"): a power, 10^6, never
                # 106; a note's marker is a link to its note (claimpack.text.html_notes), not this
                if _EXPONENT.fullmatch(raised) and _BASE.search("".join(pieces[-3:])):
                    pieces.append("^" + raised.replace("\u2212", "-"))
                    continue
                pieces.append(raised)
                continue
            pieces.append(self.inline(item))
        return "".join(pieces)

    def inline(self, item: dict) -> str:
        kind, content = item.get("t"), item.get("c")
        if kind == "Str":
            return content
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if kind in ("Emph", "Underline", "SmallCaps", "Strikeout", "Superscript", "Subscript"):
            inner = self.inlines(content)
            return f"*{inner}*" if kind == "Emph" and inner.strip() else inner
        if kind == "Strong":
            inner = self.inlines(content)
            return f"**{inner}**" if inner.strip() else inner
        if kind == "Quoted":
            inner = self.inlines(content[1])
            return f"“{inner}”" if content[0].get("t") == "DoubleQuote" else f"‘{inner}’"
        if kind == "Cite":
            for citation in content[0]:
                locator = _plain(self.inlines(citation.get("citationSuffix") or [])).strip(" ,")
                self._cite(citation.get("citationId", ""), locator)
            return self.inlines(content[1])
        if kind in ("Code", "Math"):
            return content[1]
        if kind == "Span" and MARK_CLASS in content[0][1]:
            number = int(dict(content[0][2]).get("note", "0") or 0)
            if number in self.notes:  # a note cited again
                return f"[^{number}]"
            return self.note(self.bodies.get(number, []), number) if number else ""
        if kind == "Link":
            text = self.inlines(content[1])
            if self._note is not None and content[2][0] and not content[2][0].startswith("#"):
                self.links.setdefault(self._note, []).append((_space(text), content[2][0]))
            return text
        if kind == "Span":
            return self.inlines(content[1])
        if kind == "Image":
            return self.inlines(content[1])
        if kind == "Note":
            return self.note(content)
        return ""  # RawInline and anything unknown print nothing

    def _cite(self, key: str, locator: str) -> None:
        if self._note is not None:
            self.citations.setdefault(self._note, []).append((key, locator))
        else:
            self.keys.append((len(self.lines), key, locator))

    def note(self, blocks: list, number: int | None = None) -> str:
        if self._note is not None:  # a note inside a note: its text joins the outer one
            return " " + " ".join(self.flat(blocks))
        if number is None:
            number = max(self.notes, default=0) + 1
        self.notes[number] = ""
        self._note = number
        self.notes[number] = " ".join(self.flat(blocks))
        self._note = None
        return f"[^{number}]"

    def flat(self, blocks: list) -> list[str]:
        """The text of blocks as paragraphs, for a footnote or a table cell."""
        found = []
        for block in blocks:
            kind, content = block.get("t"), block.get("c")
            if kind in ("Para", "Plain", "Header"):
                found.append(self.inlines(content if kind != "Header" else content[2]))
            elif kind == "LineBlock":
                found.append(" ".join(self.inlines(line) for line in content))
            elif kind in ("BlockQuote", "Div"):
                found.extend(self.flat(content if kind == "BlockQuote" else content[1]))
            elif kind in ("BulletList", "OrderedList"):
                for item in (content if kind == "BulletList" else content[1]):
                    found.extend(self.flat(item))
            elif kind == "CodeBlock":
                found.append(content[1])
        return [_space(text) for text in found if text.strip()]

    # blocks
    def emit(self, mark: str, text: str) -> None:
        text = _space(text)
        if not text:
            return
        if not mark and _BLOCK_START.match(text):
            text = "\\" + text  # a paragraph that would read as another kind of block
        self.lines.append(f"{mark} {text}" if mark else text)

    def blocks(self, items: list, quote: bool = False) -> None:
        for block in items:
            self.block(block, quote)

    def block(self, block: dict, quote: bool = False) -> None:
        kind, content = block.get("t"), block.get("c")
        if kind in ("Para", "Plain"):
            heading = self.bold_headings and not quote and _bold_heading(content)
            if heading and not self.lines and not self.bold_title:
                self.bold_title = _plain(self.inlines(content))
                self.emit("", self.bold_title)
            elif heading:
                self.emit("#", _plain(self.inlines(content)))
            else:
                self.emit(">" if quote else "", self.inlines(content))
        elif kind == "LineBlock":
            self.emit(">" if quote else "", " ".join(self.inlines(line) for line in content))
        elif kind == "Header":
            self.emit("#" * max(1, min(6, content[0])), _plain(self.inlines(content[2])))
        elif kind == "BlockQuote":
            self.blocks(content, quote=True)
        elif kind in ("BulletList", "OrderedList"):
            for item in (content if kind == "BulletList" else content[1]):
                self.emit(">" if quote else "-", " ".join(self.flat(item)))
        elif kind == "DefinitionList":
            for term, definitions in content:
                text = self.inlines(term) + ": " + " ".join(" ".join(self.flat(d)) for d in definitions)
                self.emit("-", text)
        elif kind == "Div":
            if BODY_CLASS not in content[0][1]:  # an HTML note is written where its marker stands
                self.blocks(content[1], quote)
        elif kind == "Figure":
            caption = content[1][1] if len(content) > 1 else []
            self.emit("", " ".join(self.flat(caption)))
        elif kind == "Table":
            self.table(content)
        elif kind == "CodeBlock":
            self.emit(">" if quote else "", content[1])
        # HorizontalRule, RawBlock and anything unknown print nothing

    def table(self, content: list) -> None:
        caption = content[1][1] if len(content) > 1 and content[1] else []
        if caption:
            self.emit("", " ".join(self.flat(caption)))
        head, bodies, foot = content[3], content[4], content[5]
        rows = list(head[1])
        for body in bodies:
            rows += list(body[2]) + list(body[3])
        rows += list(foot[1])
        for row in rows:
            cells = [" ".join(self.flat(cell[4])) or " " for cell in row[1]]
            self.emit("|", " | ".join(_space(c) or "-" for c in cells) + " |")


def _bold_heading(inlines: list) -> bool:
    """A paragraph that is one short bold phrase, not a sentence: a heading set by hand."""
    kinds = [item.get("t") for item in inlines if item.get("t") not in ("Space", "SoftBreak")]
    if kinds != ["Strong"]:
        return False
    text = _plain(_Writer().inlines(inlines)).strip()
    return 0 < len(text) <= 120 and not re.search(r"[.!?;,]\Z", text)


def _space(text: str) -> str:
    return single_spaced(text)


def _plain(text: str) -> str:
    return text.replace("*", "")


def _meta_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    kind, content = value.get("t"), value.get("c")
    if kind == "MetaString":
        return str(content)
    if kind == "MetaInlines":
        return _plain(_Writer().inlines(content))
    if kind == "MetaBlocks":
        return " ".join(_Writer().flat(content))
    if kind == "MetaBool":
        return ""
    if kind == "MetaMap":
        return _meta_text(content.get("name") or content.get("literal") or {})
    if kind == "MetaList":
        return "; ".join(filter(None, (_meta_text(v) for v in content)))
    return ""


def _meta_list(value: Any) -> list[str]:
    if isinstance(value, dict) and value.get("t") == "MetaList":
        return [text for text in (_meta_text(v) for v in value["c"]) if text]
    text = _meta_text(value)
    return [text] if text else []


def _meta_plain(value: Any) -> Any:
    """A metadata value as plain JSON (for CSL `references`)."""
    if not isinstance(value, dict):
        return value
    kind, content = value.get("t"), value.get("c")
    if kind == "MetaMap":
        return {key: _meta_plain(item) for key, item in content.items()}
    if kind == "MetaList":
        return [_meta_plain(item) for item in content]
    if kind == "MetaBool":
        return bool(content)
    return _meta_text(value)


ABSTRACT_KEYS = ("abstract", "summary", "description", "excerpt")


def from_ast(ast: dict, derivation: Derivation, path: Path | None = None) -> Reading:
    """The blocks text of a pandoc AST, and its metadata (title, authors, date, references)."""
    meta = ast.get("meta") or {}
    writer = _Writer()
    writer.bold_headings = not any(block.get("t") == "Header" for block in ast.get("blocks") or [])
    title = _meta_text(meta.get("title"))
    authors = persons(_meta_plain(meta.get("author") or meta.get("authors")))  # JOSS writes `authors:`
    date = _meta_text(meta.get("date"))
    if title:
        writer.emit("", title)
    for author in authors:
        writer.emit("", author)
    if date:
        writer.emit("", date)
    # the abstract, under the name a site generator gives it (Jekyll's and Hugo's `summary`, `description`)
    abstract = next((meta[key] for key in ABSTRACT_KEYS if isinstance(meta.get(key), dict)), None)
    if abstract:
        for paragraph in writer.flat(abstract.get("c") or []) if abstract.get("t") == "MetaBlocks" \
                else [_meta_text(abstract)]:
            writer.emit("", paragraph)
    for block in ast.get("blocks") or []:
        if block.get("t") == "Div" and BODY_CLASS in block["c"][0][1]:
            number = int(dict(block["c"][0][2]).get("note", "0") or 0)
            writer.bodies.setdefault(number, block["c"][1])
    writer.blocks(ast.get("blocks") or [])
    for number, text in sorted(writer.notes.items()):
        writer.lines.append(f"[^{number}]: {text or '(empty)'}")
    references = [r for r in (_meta_plain(meta.get("references")) or []) if isinstance(r, dict)]
    if path is not None:
        for name in _meta_list(meta.get("bibliography")):
            found = bibliography_file(path, name)
            references += bibliography_items(found) if found else []
    text = "\n\n".join(writer.lines) + "\n" if writer.lines else ""
    return Reading(text, derivation, title=title or writer.bold_title,
                   authors=authors, date=date, references=references, citations=writer.citations,
                   keys=writer.keys, links=writer.links)


def rederive(original: Path, recorded: dict) -> tuple[str, Derivation]:
    """Derive the text again as the descriptor says it was derived: (text, how it was derived now).

    Only a reader and style of claimpack's own are taken from the record (a package is input too: a
    reader named after a Lua file would make pandoc run it)."""
    reader, style = recorded.get("from") or None, recorded.get("style") or None
    if reader is not None and reader not in READERS:
        raise ClaimpackError(f"{reader!r} is not a reader claimpack derives a text with", file="datapackage.json",
                             field="claimpack.derivation.from", expected="one of " + ", ".join(sorted(READERS)))
    if style is not None and style not in STYLES:
        raise ClaimpackError(f"{style!r} is not a style claimpack derives a text in", file="datapackage.json",
                             field="claimpack.derivation.style", expected=" or ".join(STYLES))
    reading = read(original, reader=reader, style=style, references=False)
    return reading.text, reading.derivation
