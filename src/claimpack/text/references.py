"""One reference as printed (a bibliography entry or one citation of a note) -> CSL-style fields.

The field's best extractors (GROBID, CERMINE, AnyStyle) label a reference's tokens with a
sequence model trained on thousands of marked-up references; none of them is a Python library
(GROBID and CERMINE are Java services, AnyStyle a Ruby gem), and what PyPI offers was measured
and does not fit: refextract (INSPIRE) is built for high-energy-physics references and gave no
title for an unquoted one, three of five authors for an APA list and four seconds to load;
refparse reads Web of Science and Scopus exports only. So this parser follows what those tools
learn, by rule, for the styles papers by other people use:

- the style is recognised first: APA ("Family, A. (2024). Title. Container."), ACM and
  author-year ("Family. 2024. Title. In Venue."), Chicago and Bluebook-like notes ("Author,
  *Title*, Publisher, Month D, YYYY, p. 7, URL"), IEEE and numbered lists ("[3] A. Family,
  "Title," in Venue, 2020, pp. 1-10");
- the title is what the style marks (italics, quotes, the sentence after an APA year), the
  container what follows it, the authors what precedes it (people inverted "Family, Given";
  organisations and their sub-units kept as printed);
- addresses (URL, DOI, "Retrieved ... from", "Accessed"), years and full dates, volume, issue and
  pages are read wherever they stand;
- legal citations (47 U.S.C. §606(c), 47 C.F.R. §10.41, P.L. 119-21, 139 Stat. 72, 90 Fed. Reg.
  1234, H.R. 8800, Executive Order 14028, Brown v. Board, 347 U.S. 483 (1954)) are works of type
  `legislation` (or `legal_case`) named by their citation. eyecite and citeurl were measured for
  these: neither reads the Congressional Research Service's "P.L. 119-21" or a bill number.
"""

from __future__ import annotations

import re

from .metadata import iso_date, split_people

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"\[\]]+[^\s<>\"\[\].,;:)]")
DOI = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;:)\]])", re.I)
YEAR = re.compile(r"(?<![\d./-])(1[5-9]\d\d|20\d\d)[a-z]?(?![\d/-]|\.\d)")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)([^*]+?)(?<!\s)\*(?![*\w])")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,}?)[,.]?[”\"]")
_PAGES = re.compile(r"\b(?:pp?\.|pages?|at)\s*(\d+(?:\s*[-–]\s*\d+)?(?:,\s*\d+(?:\s*[-–]\s*\d+)?)*)", re.I)
_VOLUME = re.compile(r"\b(?:vol\.|volume)\s*(\d+)(?:,?\s*(?:no\.|issue|iss\.)\s*(\d+))?|\b(\d+),\s*no\.\s*(\d+)|"
                     r"\b(\d+)\s*\((\d+)\)(?=[,:.]\s)", re.I)
_ACCESSED = re.compile(r"(?:\bRetrieved\s+(?:on\s+)?(?P<r>[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4}|[^,]*?\d{4}),?\s*"
                       r"from\s*|\b(?:Accessed|Last accessed|"
                       r"Viewed)(?: on)?:?\s*(?P<a>[A-Z]?[\w ,./-]*?\d{4}(?:-\d\d-\d\d)?)\b\.?)", re.I)
_APA = re.compile(r"^(?P<authors>.+?)[.,]?\s*\((?P<year>(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.?)(?:,\s*[^)]{1,30})?\)\.?\s*"
                  r"(?P<rest>.*)$", re.S)
_AUTHOR_YEAR = re.compile(r"^(?P<authors>[^.]+(?:\.\s?[A-Z]\.)*[^.]*?)\.\s+(?P<year>(?:1[5-9]|20)\d\d[a-z]?)\.\s+"
                          r"(?P<rest>.*)$", re.S)
_LABEL = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})\.(?=\s))\s*")
_SIGNAL = re.compile(r"^(?:.{0,160}?[,.;:]\s+)?(?:see|see also|see, e\.g\.,|see, for example,|cf\.|compare|"
                     r"for (?:more|further) (?:information|detail|details|discussion)[^,]{0,80},?\s+see|"
                     r"quoted in|cited in|as cited in|e\.g\.,|available at:?)\s+", re.I)
_SENTENCE_CANDIDATE = re.compile(r"(?<=[\w)”\"’'])\.[”\"’']?\s+(?=[A-Z“\"(\[])")
_ABBREVIATIONS = {"no", "nos", "vol", "pp", "p", "ed", "eds", "ch", "sec", "al", "et", "inc", "ltd", "co", "jr", "sr",
                  "dr", "mr", "ms", "mrs", "st", "dept", "univ", "ibid", "cf", "vs", "v", "fig", "rev", "edn", "trans",
                  "corp", "op", "cit", "supp", "app", "stat", "reg", "fed", "cong", "sess", "rept", "doc", "u.s",
                  "c.f.r", "u.s.c", "h.r", "p.l", "s", "res", "e.g", "i.e", "n.d", "pub", "l", "ph.d", "approx", "est",
                  "e.o", "h", "j", "con", "gov", "org", "com", "govt", "assn", "natl", "intl", "comm", "admin",
                  "proc", "conf", "symp", "int", "ann", "acad", "sci", "eng", "technol", "soc", "am", "mgmt",
                  "econ", "stud", "q", "bull", "lett", "phys", "chem", "med", "comput", "inf", "syst"}


class _Sentences:
    """Where sentences end: a full stop before a capital, not after an abbreviation or an initial."""

    def split(self, text: str) -> list[str]:
        pieces, start = [], 0
        for match in self.finditer(text):
            pieces.append(text[start:match.start() + 1])
            start = match.end()
        pieces.append(text[start:])
        return pieces

    def finditer(self, text: str):
        for match in _SENTENCE_CANDIDATE.finditer(text):
            word = re.search(r"([\w.]+)$", text[:match.start()])
            token = (word.group(1) if word else "").lower().strip(".")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]",
                                                                                                  token):
                continue
            yield match

    def search(self, text: str):
        return next(self.finditer(text), None)


_SENTENCE_END = _Sentences()
ORGANISATION_WORDS = re.compile(
    r"\b(?:Department|Dept|Office|Service|Services|Institute|Institutes|Association|Council|House|Commission|Agency|"
    r"Courts?|University|Bureau|Center|Centre|Committee|Inc|Ltd|LLC|Corporation|Company|Foundation|Alliance|"
    r"Research|Congress|Government|Ministry|Administration|Library|Organization|Organisation|Society|Board|"
    r"Authority|Program|Programme|Project|Group|Network|Fund|Bank|Union|Parliament|Senate|Census|Statistics|"
    r"Nations|Forum|Team|Initiative|Laboratory|Lab|Agencies|Reserve|Federal|National|International|Policy|"
    r"Justice|Maps|Community|Partnership|Coalition|Collaboration|Consortium|Editors|Staff|Press|Times|News|Post|"
    r"Journal|Magazine|Review|Foundation|Trust|Museum|Archive|Archives|Secretariat|Commissioner|Court|White|"
    r"Ultralytics|Roboflow|GitHub|Microsoft|Google|Amazon|Meta|OpenAI)\b")

# ---- legal citations ----------------------------------------------------------------------------
LEGAL = re.compile(
    r"(?P<usc>\b\d{1,2}\s+U\.\s?S\.\s?C\.(?:\s*A\.)?\s*(?:§§?|[Ss]ec(?:tions?|s?\.)|Subtitle)\s*[\w.-]+(?:\([\w]+\))*"
    r"(?:\s*[-–]\s*[\w.]+)?)"
    r"|(?P<cfr>\b\d{1,2}\s+C\.\s?F\.\s?R\.\s*(?:§§?|[Pp]arts?|[Ss]ec(?:tions?|s?\.))?\s*[\d.]+(?:\([\w]+\))*)"
    r"|(?P<pl>\b(?:P\.\s?L\.|Pub\.\s?L\.(?:\s*No\.)?|Public\s+Law)\s*(?:No\.\s*)?\d{2,3}[-–]\d{1,4})"
    r"|(?P<stat>\b\d{1,3}\s+Stat\.\s+\d{1,5})"
    r"|(?P<fr>\b\d{1,3}\s+Fed\.\s?Reg\.\s+\d{1,6}|\b\d{1,3}\s+FR\s+\d{1,6})"
    r"|(?P<bill>\b(?:H\.\s?R\.|S\.|H\.\s?Res\.|S\.\s?Res\.|H\.\s?J\.\s?Res\.|S\.\s?J\.\s?Res\.|H\.\s?Con\.\s?Res\.|"
    r"S\.\s?Con\.\s?Res\.)\s+\d{1,5}\b)"
    r"|(?P<eo>\b(?:Executive\s+Order|E\.\s?O\.)\s*(?:\(E\.\s?O\.\)\s*)?(?:No\.\s*)?\d{4,5}\b)"
    r"|(?P<rept>\b[HS]\.\s?Rept\.\s?(?:No\.\s*)?\d{2,3}[-–]\d{1,4})"
    r"|(?P<act>\b(?:[A-Z][\w.'&-]*\s+){1,8}Act(?:\s+of\s+\d{4})?,?\s*§§?\s*\d+[\w.-]*)"
    r"|(?P<case>\b[A-Z][\w.'&-]*(?:\s+[A-Z][\w.'&-]*){0,5}\s+v\.\s+[A-Z][\w.'&-]*(?:\s+[\w.'&-]+){0,6},\s+"
    r"\d{1,4}\s+[A-Z][\w. ]{0,15}?\s+\d{1,5}(?:\s*\([^)]{0,40}\d{4}\))?)")


# each kind of legal citation's CSL type (the rest are legislation: statutes, public laws, orders, acts)
_LEGAL_TYPES = {"case": "legal_case", "bill": "bill", "cfr": "regulation", "fr": "regulation", "rept": "report"}
_PARALLEL = re.compile(r",?\s*\d{1,3}\s+Stat\.\s+\d{1,5}")


def legal_citations(text: str) -> list[dict]:
    """The legal citations a text holds, each as a work: (type, title as printed, a stable key).

    Executive orders are named "Executive Order N" however printed (E.O. N, Executive Order (E.O.) N);
    a public law and the Statutes at Large page printed with it ("P.L. 119-74, 140 Stat. 33") are one
    work; a named act's section ("WARN Act §602(b)(E)") is the act's section."""
    found = []
    matches = list(LEGAL.finditer(text))
    skip = set()
    for index, match in enumerate(matches):
        if index in skip:
            continue
        kind = match.lastgroup
        printed = " ".join(match.group().split())
        if kind == "pl" and index + 1 < len(matches) and matches[index + 1].lastgroup == "stat" and \
                _PARALLEL.fullmatch(text[match.end():matches[index + 1].end()]):
            skip.add(index + 1)  # its parallel citation
            printed = " ".join(text[match.start():matches[index + 1].end()].split())
        printed = printed.rstrip(".") if kind in ("usc", "cfr", "act") else printed
        core = re.sub(r"\([\w]+\)$", "", printed)  # 47 U.S.C. §606(c) is the work 47 U.S.C. §606
        if kind in ("usc", "cfr", "act"):
            core = re.sub(r"\([^)]*\)", "", printed)
        if kind == "eo":
            core = "Executive Order " + re.search(r"\d{4,5}", printed).group()
        year = YEAR.search(printed) if kind == "case" else None
        end = matches[index + 1].end() if index + 1 in skip else match.end()
        found.append({"type": _LEGAL_TYPES.get(kind, "legislation"), "title": core,
                      "printed": printed, "start": match.start(), "end": end,
                      "issued": year.group(1) if year else "", "key": legal_key(core)})
    return found


def legal_key(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower().replace("§", " sec ")))


# ---- people -----------------------------------------------------------------------------------
_INITIALS = re.compile(r"^(?:[A-Z]\.?(?:\s?-?[A-Z]\.?)*|[A-Z][a-z]?\.)$")


def _is_organisation(name: str) -> bool:
    words = name.split()
    return bool(ORGANISATION_WORDS.search(name)) or (len(words) == 1 and (name.isupper() or len(name) > 1)) or \
        (name.isupper() and len(name) > 3) or "(" in name


_UNDATED = re.compile(r"(?:(?<!\b[A-Z])[.,])?\s*\(?(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.?|forthcoming|in press)\)?"
                      r"\.?\s*\Z", re.I)


def people(text: str) -> str:
    """Authors as printed -> 'Family, Given; Family2, Given2' (an organisation, with its sub-units, as printed).

    A year, "n.d." or "Forthcoming" after the names (an author-date list's) is no part of them."""
    text = _UNDATED.sub("", text.strip()) or text
    text = " ".join(text.replace("*", "").split()).strip(" ,;:")
    if text.endswith(".") and not re.search(r"(?:\b[A-Z]|\bJr|\bSr|\bInc|\bLtd|\bCo)\.$", text):
        text = text[:-1]
    text = re.sub(r",?\s+et\s+al\.?$", "", text)
    text = re.sub(r"\s*\((?:eds?|ed\.|eds\.|editors?)\)\.?$", "", text, flags=re.I)
    if not text:
        return ""
    parts = [p.strip() for p in re.split(r"\s*,\s*(?:&\s*|and\s+)?|\s+(?:&|and)\s+|\s*;\s*", text) if p.strip()]
    # "Family, A., Family2, B. C." (APA): a family name, then its initials
    if len(parts) >= 2 and len(parts) % 2 == 0 and all(_INITIALS.match(p) for p in parts[1::2]) and \
            not any(_INITIALS.match(p) for p in parts[0::2]):
        return "; ".join(f"{family}, {given}" for family, given in zip(parts[0::2], parts[1::2]))
    # "Smith, J., A. Jones, and B. Cole" (Chicago): the first name inverted, the others in reading order
    if len(parts) >= 3 and len(parts[0].split()) == 1 and not ORGANISATION_WORDS.search(text) and \
            (_INITIALS.match(parts[1]) or re.fullmatch(r"[A-Z][\w'’-]+(?:\s+[A-Z]\.?)*", parts[1])) and \
            all(len(p.split()) >= 2 and p[:1].isupper() for p in parts[2:]):
        rest = [f"{p.split()[-1]}, {' '.join(p.split()[:-1])}" for p in parts[2:]]
        return "; ".join([f"{parts[0]}, {parts[1]}", *rest])
    if any(_is_organisation(p) for p in parts) and not all(len(p.split()) >= 2 and not _is_organisation(p)
                                                           for p in parts):
        return text  # "DOJ, OJP, Bureau of Justice Assistance (BJA)": one body and its sub-units
    if len(parts) == 2 and len(parts[0].split()) == 1 and not _INITIALS.match(parts[0]):
        return f"{parts[0]}, {parts[1]}"  # "Lovelace, Ada"
    found = []
    for person in split_people(text) if ";" not in text else text.split(";"):
        person = person.strip()
        words = person.split()
        if "," in person or len(words) < 2:
            found.append(person)
        else:
            particle = [w for w in words[1:-1] if w.islower()]
            given = [w for w in words[:-1] if w not in particle]
            found.append(f"{' '.join([*particle, words[-1]])}, {' '.join(given)}")
    return "; ".join(found)


# ---- one reference ------------------------------------------------------------------------------
def split_citations(note: str) -> list[str]:
    """A note's citations: its text cut at semicolons outside brackets and at sentence ends."""
    parts, depth, current = [], 0, ""
    for char in note:
        depth += char in "(["
        depth -= char in ")]"
        if char == ";" and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    found = []
    for part in parts:
        plain = part.replace("*", "").strip()
        if (_APA.match(plain) and _names_only(_APA.match(plain).group("authors"))) or \
                (_AUTHOR_YEAR.match(plain) and _names_only(_AUTHOR_YEAR.match(plain).group("authors"))):
            found.append(part.strip())  # one APA or author-year reference: its full stops are not sentence ends
            continue
        protected = URL.sub(lambda m: m.group().replace(". ", "\x00"), part)
        pieces = _SENTENCE_END.split(protected)
        for piece in (piece.replace("\x00", ". ").strip() for piece in pieces):
            found += _after_address(piece)
    return [p for p in (re.sub(r"^\s*and\s+", "", p) for p in found) if p.strip(" .")]


def _after_address(piece: str) -> list[str]:
    """A citation that ends with its address and goes on with "and" and another title is two citations
    ("..., https://www.ojp.gov/a.pdf and *Frequently Asked Questions*, March 2023, https://...")."""
    for match in re.finditer(r"\s+and\s+(?=\*[^*\s][^*]*\*|[“\"][^”\"]{3,}[”\"])", piece):
        if URL.search(piece[:match.start()].rstrip(" ,")[-300:]) and \
                re.search(r"\S+$", piece[:match.start()]).group().startswith(("http", "www.")):
            return [piece[:match.start()].strip(), *_after_address(piece[match.end():].strip())]
    return [piece]


_MONTH = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?", re.I)


def _names_only(authors: str) -> bool:
    """Whether what stands before an APA year can be a list of authors (no title, no sentence, no month)."""
    return len(authors) < 400 and not _MONTH.fullmatch(authors.strip()) and \
        not re.search(r"[\"“”*:?!]|\b(?:the|of|is|are|was|were|in|on)\b", authors) and \
        len(authors.split()) <= 60


def strip_signal(part: str) -> str:
    """A citation without the words that introduce it ("See", "For more information, see", "Cf.")."""
    match = _SIGNAL.match(part)
    if match and (URL.search(part[match.end():]) or _ITALIC.search(part[match.end():]) or
                  _QUOTED.search(part[match.end():]) or YEAR.search(part[match.end():])):
        return part[match.end():]
    return part


def looks_cited(part: str) -> bool:
    """Whether a piece of a note names a work (and is not the author's own comment)."""
    part = joined_italics(strip_signal(part))
    plain = part.replace("*", "")
    if URL.search(plain) or DOI.search(plain):
        return True
    apa = _APA.match(plain) or _AUTHOR_YEAR.match(plain)
    if apa and _names_only(apa.group("authors")):
        return True
    quoted = _QUOTED.search(part)
    if quoted and YEAR.search(plain) and _names_head(part[:quoted.start()]):
        return True
    italic = _ITALIC.search(part)
    if italic:
        head = part[:italic.start()].strip()
        after = part[italic.end():].lstrip()
        if head == "":
            return bool(re.match(r"[,.(:]|$", after))
        return _names_head(head)
    return False


def reference_shaped(part: str) -> bool:
    """Whether a piece of a note is laid out as an APA or author-year reference ("Family, A. (2024). Title.")."""
    plain = joined_italics(strip_signal(part)).replace("*", "")
    found = _APA.match(plain) or _AUTHOR_YEAR.match(plain)
    return bool(found and _names_only(found.group("authors")))


def _names_head(head: str) -> bool:
    """What may stand before a title: nothing, or a few words (authors, a body) ending with a comma or colon."""
    head = head.strip()
    return head == "" or (len(head.split()) <= 14 and head.endswith((",", ":", ".")))


def joined_italics(text: str) -> str:
    """Italics a converter cut in pieces made one ("*Overview of* *Drug Courts*" -> "*Overview of Drug Courts*")."""
    return re.sub(r"(?<=\w)\*(\s*)\*(?=\w)", r"\1", text) if "*" in text else text


def _first_sentence(text: str) -> tuple[str, str]:
    """Text cut after its first sentence: (sentence, rest)."""
    cut = _SENTENCE_END.search(text)
    if not cut:
        return text.strip().rstrip("."), ""
    return text[:cut.start()].strip(), text[cut.end():].strip()


# ---- addresses a PDF's reader spaced out ----------------------------------------------------------
# TeX's \url stretches the gaps between an address's characters, and a PDF's text then reads
# "https : / / arxiv . org/abs/2303.10572" or "doi: 10 . 18653 / v1 / P19 - 1355".
_ARXIV = re.compile(r"\barXiv:\s?(\d{4})\s?\.\s?(\d{4,5})(?:v\d+)?(?:\s*\[[\w.-]+\])?", re.I)
_SPACED_START = re.compile(r"\b(?:https?\s?:\s?/\s?/|www\s?\.)|\bdoi:\s*(?=10\s?\.)", re.I)
_URL_GLUE = "/.-_@:?=&#~%+"


def rejoin_addresses(text: str) -> str:
    """Addresses and DOIs whose characters a PDF reader set apart, made whole again.

    Only an address that shows the spacing (a scheme written "https : / /" or "https: //", two lone
    "/", "." or "-" between its pieces, a DOI after "doi:") is rejoined: a space is part of it when the piece before
    it ends with, or the piece after it starts with, one of an address's joining characters
    (/ . - _ @ : ? = & # ~ % +) or either is one of them alone; a word, a parenthesis or the
    full stop that ends the entry ends it."""
    if not _SPACED_START.search(text):
        return text
    out, done = [], 0
    for start in _SPACED_START.finditer(text):
        if start.start() < done:
            continue
        doi = start.group().lower().startswith("doi")
        begin = start.end() if doi else start.start()
        tokens = list(re.finditer(r"\S+", text[begin:]))
        pieces: list[re.Match] = []
        for index, token in enumerate(tokens):
            word = token.group()
            if pieces:
                before = pieces[-1].group()
                joined = (before[-1] in _URL_GLUE and not before.endswith((".", ","))) or \
                    word[0] in _URL_GLUE.replace("@", "") or (len(before) == 1 and before in _URL_GLUE)
                if not joined or word[0] in "([<\"“":
                    break
            pieces.append(token)
            if doi and index == 0 and not re.match(r"10(?:\.|$)", word):
                break
        shown = " ".join(piece.group() for piece in pieces[:4])
        spaced = len(pieces) > 1 and ((re.match(r"https?\s?:\s?/\s?/", shown) and " " in shown[:10]) or doi or
                                      sum(piece.group() in tuple(_URL_GLUE) for piece in pieces) >= 2)
        if not spaced:  # a whole address, then a word: "https://example.org/ and more" stays as printed
            continue
        end = begin + pieces[-1].end()
        out.append(text[done:begin] + "".join(piece.group() for piece in pieces))
        done = end
    out.append(text[done:])
    return "".join(out)


# ---- a reference no marks set apart: "Names. Title. Venue. Year." -----------------------------------
_NAME_WORD = r"(?:[A-Z][\w'’\-]*\.?|(?:van|von|de|der|den|del|della|da|di|du|le|la|ul|bin|ibn|dos|das|ten|ter|y))"
_PERSON = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
_PERSON_LIST = re.compile(rf"{_PERSON}(?:,\s+{_PERSON})*(?:,?\s+(?:and|&)\s+{_PERSON}|,?\s+et\s+al\.?)\Z")
_BODY_SUFFIX = re.compile(r"\b(?:Team|Developers|Contributors|Authors|Community|Corporation|Corp\.?|Inc\.?|Ltd\.?|"
                          r"LLC|Foundation|Project|Organi[sz]ation|Group|Consortium|Institute|Association)\Z", re.I)
_DATE_PIECE = re.compile(r"(?:(?:[A-Z][a-z]{2,8}\.?\s+)?(?:\d{1,2},?\s+)?(?:1[5-9]|20)\d\d(?:\s?[-–]\s?\d{2,4})?[a-z]?"
                         r"|(?:1[5-9]|20)\d\d-\d\d(?:-\d\d)?)\.?\Z")
_PIECE_END = re.compile(r"([.?!])[”\"’']?\s+(?=\S)")


def _pieces(text: str) -> list[str]:
    """A reference cut where its parts end: a full stop (not of an abbreviation or an initial; "et al."
    does end the authors), or a question or exclamation mark before a year or a lower-case word (a
    subtitle after "?" goes on)."""
    pieces, start = [], 0
    for match in _PIECE_END.finditer(text):
        after = text[match.end():match.end() + 1]
        if match.group(1) in "?!":
            if after.isupper():
                continue
        else:
            word = re.search(r"([\w.]+)$", text[start:match.start()])
            before = (word.group(1) if word else "").lower().strip(".")
            if before != "al" and (before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()) or
                                   re.fullmatch(r"(?:[a-z]\.)+[a-z]", before)):
                continue
        pieces.append(text[start:match.start() + 1].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece.strip(" .")]


def _unmarked(body: str, row: dict) -> None:
    """Authors, title and container of a reference whose title no quotes or italics mark: biblatex's and
    ACM's numbered styles with names in reading order ("Ann Lee, Bo Chen, and Cy Dahl. Title. 2023.
    url: ..."), an organisation as author ("NVIDIA Corporation. Title."), or no author ("Title.
    Publisher. 2024.")."""
    pieces = _pieces(body)
    if len(pieces) < 2:
        parts = [p.strip() for p in re.split(r",\s+", body) if p.strip(" .")]
        words = [p for p in parts if not YEAR.search(p) and not _PAGES.match(p)]
        if len(words) >= 2:
            row["author"], row["title"] = people(words[0]), words[1].rstrip(".")
        elif words:
            row["title"] = words[0].rstrip(".")
        return
    first, second = pieces[0].rstrip("."), pieces[1]
    rest = pieces[2:]
    if _DATE_PIECE.match(pieces[0]) or (re.fullmatch(r"[A-Z][a-z]{2,8}\.?", first) and _DATE_PIECE.match(second)):
        return  # "Oct. 2023.": a date, no names and no title
    listed = _PERSON_LIST.match(first) or re.search(r"\bet\s+al\.?\Z", first)
    # "Benchmarking LLM Inference Backends. BentoML. 2023.": a title, then who publishes it (a short name
    # with a capital, no digits, no colon), then the date; one word first is a name ("NVIDIA. TensorRT-LLM.")
    untitled = not listed and not _BODY_SUFFIX.search(first) and len(first.split()) > 1 and rest and \
        _DATE_PIECE.match(rest[0]) and len(second.split()) <= 3 and second[:1].isupper() and \
        not re.search(r"[:\d]", second)
    if untitled:
        row["title"], row["publisher"] = first, second.rstrip(".")
        return
    if _DATE_PIECE.match(second) or URL.match(second):
        row["title"] = first
        return
    row["author"] = _natural_people(first) if listed else first if _BODY_SUFFIX.search(first) else people(first)
    row["title"] = second.rstrip(".") if second.endswith(".") else second
    venue = next((piece for piece in rest if re.match(r"In:?\s", piece)), None)
    if venue:
        row["container_title"] = re.sub(r"^In:?\s+", "", venue).split(" (")[0].strip(" .,")
        row["type"] = "paper-conference" if re.search(r"\b(?:Proc\.|Proceedings|Conference|Symposium|Workshop)\b",
                                                      venue) else "chapter"
    elif row.get("arxiv"):
        row["type"] = "article"


def _natural_people(text: str) -> str:
    """'Ann Lee, Bo Chen, and Slaren et al.' -> 'Lee, Ann; Chen, Bo; Slaren' (a one-word name as printed)."""
    text = re.sub(r",?\s+et\s+al\.?\Z", "", text.strip())
    found = []
    for person in re.split(r",\s+(?:and\s+|&\s+)?|\s+(?:and|&)\s+", text):
        words = person.split()
        if len(words) < 2:
            found.append(person)
            continue
        particle = [w for w in words[1:-1] if w.islower()]
        given = [w for w in words[:-1] if w not in particle]
        found.append(f"{' '.join([*particle, words[-1]])}, {' '.join(given)}")
    return "; ".join(person for person in found if person)


# ---- a note's citation no marks set apart: "DOJ, NIJ, Title of the Page, May 2025, https://..." -----------
_ACRONYM = re.compile(r"[A-Z][A-Z&.]{1,9}")
_PERSONS = re.compile(r"(?:[A-Z][\w'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’-]+|[A-Z]\.|van|von|de|del|la|le)){1,3}"
                      r"(?:\s+(?:and|&)\s+(?:[A-Z][\w'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’-]+|[A-Z]\.)){1,3})*"
                      r"(?:,?\s+et\s+al\.)?")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
                "under", "with", "vs", "via", "over", "after", "before", "about"}
_DATED = re.compile(r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?)?"
                    r"(?:1[5-9]|20)\d\d\.?")


def _who(piece: str) -> bool:
    """Whether a piece of a note names who wrote a work: an acronym (DOJ), a body (Office of Justice
    Programs (OJP)), or people (Douglas B. Marlowe; Ann Lee and Bo Chen; Lee et al.)."""
    if _ACRONYM.fullmatch(piece) or _PERSONS.fullmatch(piece):
        return True
    words = re.sub(r"\([^)]*\)", "", piece).split()
    return bool(ORGANISATION_WORDS.search(piece)) and 0 < len(words) <= 8 and \
        all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _title_like(piece: str) -> bool:
    """Whether a piece of a note reads as a title in title case ("Do Drug Courts Work? Findings from ...")."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", piece)]
    if len(words) < 2 or not piece[:1].isupper() or _DATED.fullmatch(piece.strip()) or URL.search(piece):
        return False
    capitals = sum(1 for w in words if w[:1].isupper())
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return capitals >= 0.75 * len(content)


def unmarked_citation(part: str) -> dict | None:
    """A note's citation written without italics or quotes, Chicago's order kept: who (bodies, people),
    the title in title case, then dates, pages and an address ("DOJ, NIJ, Do Drug Courts Work? Findings
    from Drug Court Research, https://nij.ojp.gov/..."; "Douglas B. Marlowe, Painting the Current Picture:
    A National Report ..., June 2011"). None when the piece is the author's own sentence."""
    text = re.sub(r"^(?:and|&)\s+", "", " ".join(strip_signal(part).replace("*", "").split())).rstrip(" .;")
    if _ITALIC.search(part) or _QUOTED.search(part):
        return None
    pieces, depth, current = [], 0, ""
    for char in text:  # commas outside parentheses
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth <= 0:
            pieces.append(current.strip())
            current = ""
        else:
            current += char
    pieces.append(current.strip())
    who = 0
    while who < len(pieces) - 1 and _who(pieces[who]):
        who += 1
    if who == 0 or who >= len(pieces) or not _title_like(pieces[who]):
        return None
    after = pieces[who + 1:]
    if not any(_DATED.search(p) or URL.search(p) or _PAGES.match(p) for p in after):
        return None  # no date, page or address after the title: a sentence, not a citation
    fields = parse_reference(", ".join(after)) if after else {}
    row = {"type": "webpage" if fields.get("url") else "report" if any(_ACRONYM.fullmatch(p) for p in pieces[:who])
           else "book", "author": people(", ".join(pieces[:who])) if not _PERSONS.fullmatch(pieces[0]) else
           people(" and ".join(pieces[:who])), "title": pieces[who].strip()}
    for key in ("issued", "url", "doi", "page", "accessed"):
        if fields.get(key):
            row[key] = fields[key]
    if not row.get("issued") or row["issued"].startswith("http"):
        dated = next((iso_date(p) for p in after if _DATED.search(p)), "")
        row["issued"] = dated
    return {key: value for key, value in row.items() if value}


def parse_reference(text: str) -> dict:
    """A reference as printed -> CSL-style fields (type, author, title, container_title, publisher,
    issued, volume, issue, page, url, doi, accessed) and `label` ([3] of a numbered list)."""
    row: dict = {"type": "book"}
    label = _LABEL.match(text)
    if label:
        row["label"] = label.group(1) or label.group(2)
        text = text[label.end():]
    text = joined_italics(strip_signal(rejoin_addresses(" ".join(text.split()))))
    arxiv = _ARXIV.search(text)
    if arxiv:
        row["arxiv"] = f"{arxiv.group(1)}.{arxiv.group(2)}"
        text = text[:arxiv.start()] + f"arXiv:{row['arxiv']}" + text[arxiv.end():]
    plain = text.replace("*", "")
    url = URL.search(plain)
    doi = DOI.search(plain)
    if doi:
        row["doi"] = doi.group(1)
    if url and not (doi and "doi.org" in url.group()):
        row["url"] = url.group() if url.group().startswith("http") else "https://" + url.group()
    elif url:
        row["url"] = url.group()
    accessed = _ACCESSED.search(plain)
    if accessed:  # a day, or nothing: the schema's `accessed` is a full date ("Accessed: 2024-03-" is cut short)
        day = iso_date(accessed.group("r") or accessed.group("a") or "")
        row["accessed"] = day if re.fullmatch(r"\d{4}-\d\d-\d\d", day) else ""
    # work on the text without addresses and access notes, so their digits are not years or pages
    body = URL.sub(" ", DOI.sub(" ", _ACCESSED.sub(" ", text)))
    body = _ARXIV.sub(" ", body)  # its digits are no year
    body = re.sub(r"\b(?:doi|url|available at|arxiv|isbn)\s*:?\s*(?=[\s.,]|$)", " ", body, flags=re.I)
    body = " ".join(body.split()).strip(" ,;")
    legal = legal_citations(body)
    if legal and legal[0]["start"] < 3:
        first = legal[0]
        return {**row, "type": first["type"], "title": first["title"], "issued": first["issued"],
                "legal_key": first["key"]}
    apa = _APA.match(body.replace("*", ""))
    apa = apa if apa and _names_only(apa.group("authors")) else None
    author_year = _AUTHOR_YEAR.match(body.replace("*", "")) if not apa else None
    author_year = author_year if author_year and _names_only(author_year.group("authors")) else None
    quoted, italic = _QUOTED.search(body), _ITALIC.search(body)
    if apa or author_year:
        found = apa or author_year
        authors = found.group("authors")
        if re.search(r"\b[A-Z]$", authors) and found.string[found.end("authors"):].startswith("."):
            authors += "."  # the full stop of a last initial ("Reddy, C. V. (2024)")
        row["author"] = people(authors)
        year = found.group("year")
        row["issued"] = year[:4] if year[:1].isdigit() else ""
        rest = body[body.replace("*", "").find(found.group("rest")):] if found.group("rest") else ""
        rest_italic = _ITALIC.match(rest.strip())
        if rest_italic:  # APA: a book's title is in italics
            row["title"], after = rest_italic.group(1).strip().rstrip("."), rest.strip()[rest_italic.end():]
        else:
            row["title"], after = _first_sentence(rest.replace("*", "") if not _ITALIC.search(rest) else
                                                  rest[:_ITALIC.search(rest).start()] or rest.replace("*", ""))
            after = rest[len(row["title"]):] if rest.replace("*", "").startswith(row["title"]) else \
                rest[rest.find(".") + 1:] if "." in rest else ""
        container = _ITALIC.search(after)
        in_ = re.match(r"\s*[.,]?\s*In:?\s+", after)
        if container:
            row["container_title"] = container.group(1).strip().rstrip(".,")
        elif in_ or after.strip():
            piece, _ = _first_sentence(after[in_.end():] if in_ else after.strip(" ."))
            piece = re.sub(r"\s*\(eds?\.?\)", "", piece)
            if piece and not YEAR.fullmatch(piece) and len(piece) < 200:
                row["container_title"] = piece.strip(" ,.").split(", vol")[0]
        row["title"] = row["title"].strip(" .,").strip("“”\"")
        row["type"] = "article-journal" if row.get("container_title") and (_VOLUME.search(after) or row.get("doi")) \
            else "webpage" if row.get("url") and not row.get("container_title") else \
            "chapter" if in_ else "book"
    elif quoted and (not italic or quoted.start() < italic.start()) and _names_head(body[:quoted.start()]):
        head = body[:quoted.start()]
        row["author"] = people(head) if head.strip(" ,.") else ""
        row["title"] = quoted.group(1).strip().rstrip(",.")
        after = body[quoted.end():]
        container = _ITALIC.search(after)
        if container:
            row["container_title"] = container.group(1).strip().rstrip(".,")
        else:
            venue = re.match(r"\s*[,.]?\s*(?:in\s+)?([^,()]{3,120}?)(?:,|\s*\(|$)", after, flags=re.I)
            if venue and not YEAR.fullmatch(venue.group(1).strip()) and not re.match(r"\s*(?:vol|no|pp?)\b",
                                                                                      venue.group(1)):
                row["container_title"] = venue.group(1).strip()
        row["type"] = "article" if re.search(r"\b(?:arXiv|preprint|e-prints)\b", after) else \
            "paper-conference" if re.match(r"\s*[,.]?\s*in\b", after, flags=re.I) else \
            "article-journal" if (_VOLUME.search(after) or row.get("doi")) else \
            "webpage" if row.get("url") and not row.get("container_title") else "article-magazine"
    elif italic:
        head = body[:italic.start()].strip()
        if len(head.split()) > 10:  # "... research cited by the National Institute of Justice (NIJ), *Title*"
            cut = re.search(r".*\b(?:by|from|see|in)\s+(?:the\s+)?", head, flags=re.I)
            head = head[cut.end():] if cut else ""
        row["title"] = italic.group(1).strip().rstrip(".,")
        row["author"] = people(head) if head.strip(" ,.") else ""
        after = body[italic.end():]
        publisher = re.search(r"\(\s*(?:([^:()]{2,60}):\s*)?([^,()]{2,80}),\s*(?:\w+\.?\s+)?(\d{4})\)", after)
        if publisher:
            row["publisher_place"] = (publisher.group(1) or "").strip()
            row["publisher"] = publisher.group(2).strip()
        row["type"] = "report" if re.search(r"\b(?:report|brief|paper|fact sheet|series|NCJ|R\d{5})\b", after,
                                            flags=re.I) or re.search(r"\b[A-Z]{2,}\b", head) else \
            "webpage" if row.get("url") else "book"
    else:
        _unmarked(body, row)
        if row["type"] == "book" and row.get("url") and not row.get("container_title"):
            row["type"] = "webpage"
    if row.get("title"):  # a date in the title ("Report: October 4, 2023 Test") is not the work's date
        body = body.replace("*", "").replace(row["title"], " ")
    if "issued" not in row or not row.get("issued"):
        dated = iso_date(body)
        if dated:
            row["issued"] = dated
        else:
            years = YEAR.findall(body.replace("*", ""))
            row["issued"] = years[-1] if years else ""
    elif len(row["issued"]) == 4:
        dated = iso_date(body)
        if dated.startswith(row["issued"]):
            row["issued"] = dated
    volume = _VOLUME.search(body)
    if volume:
        groups = volume.groups()
        row["volume"] = groups[0] or groups[2] or groups[4] or ""
        row["issue"] = groups[1] or groups[3] or groups[5] or ""
    pages = _PAGES.search(body) or re.search(r"\):\s*(\d+\s*[-–]\s*\d+)|,\s*(\d+\s*[-–]\s*\d+)\.?\s*$", body)
    if pages:
        row["page"] = (next(group for group in pages.groups() if group)).replace(" ", "")
    if row.get("arxiv") and not row.get("url") and not row.get("doi"):
        row["url"] = f"https://arxiv.org/abs/{row['arxiv']}"
    row.pop("arxiv", None)
    if not row.get("title") and row.get("url"):
        row["title"] = row["url"]
        row["type"] = "webpage"
    elif not row.get("title") and row.get("doi"):
        row["title"] = f"https://doi.org/{row['doi']}"
    if row.get("url") and row["type"] == "book" and not row.get("publisher"):
        row["type"] = "webpage"
    return {key: value for key, value in row.items() if value not in (None, "")}


def normal_url(url: str) -> str:
    """An address as a key: no scheme, no www., no trailing slash, lower-case host."""
    url = re.sub(r"^https?://", "", url.strip().rstrip("/.,;")).replace("&amp;", "&")
    host, _, path = url.partition("/")
    return host.lower().removeprefix("www.") + ("/" + path if path else "")
