"""An HTML paper's notes as a reader sees them, and what its head says about it.

Publishers and content systems write a note as a link from a marker to an anchor, in many
dialects: `<sup><a href="#fn18">18</a></sup>` with the notes in a table under "Footnotes"
(Congressional Research Service reports), `a.footnote-ref`/`role="doc-noteref"` with a
`doc-endnotes` list (pandoc, Jekyll/kramdown, Hugo), `<aside role="doc-footnote">`, Word's
`_ftn1`/`_edn1` anchors and LibreOffice's `sdfootnote1`. pandoc's HTML reader knows only its own
dialect, and drops what pairs the others (the `id` of a list item or an `<aside>`), so the note
numbers were glued to the figures before them ("in 2026.18") and the notes read as body text.

`prepare` reads the HTML with lxml (libxml2's HTML parser: no network, no entities of a DTD),
pairs every marker with its note, and hands pandoc the same document with each marker written
`<span class="claimpack-note" data-note="18"></span>` and each note moved, whole, into a
`<div class="claimpack-note-body" data-note="18">` at the end; `claimpack.reading` turns those
into pandoc notes numbered as printed (`notes_in_ast`). pandoc still reads every word of the
paper, notes included, so the note text is what the same reader makes of it. Nothing of the paper
runs as code: no Lua filter, no script.

A superscript that is not a link to a note (21<sup>st</sup>, 119<sup>t</sup><sup>h</sup>, an
exponent) is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARK_CLASS = "claimpack-note"
BODY_CLASS = "claimpack-note-body"
# what a note marker's link text may be: 18, [18], (18), iv, a, *, †
_LABEL = re.compile(r"[\[(]?\s*(\d{1,4}|[ivxlc]{1,6}|[a-z]|[*†‡§¶#]{1,3})\s*[\])]?\.?", re.I)
_NOTE_WORDS = re.compile(r"foot-?note|end-?note|fnref|noteref|note-?ref|sdfootnote|sdendnote|_ftn|_edn|"
                         r"\bfn\d|\bfn[-:_]|\bnote[-:_]?\d|\bcite[-_]note|\bref[-_]", re.I)
_NOTE_ROLES = ("doc-noteref", "noteref")
_BODY_ROLES = ("doc-endnote", "doc-footnote", "footnote", "endnote", "rearnote")
_NOTES_HEADINGS = re.compile(r"(foot|end|end |)notes?|notes and references|references and notes", re.I)
_BLOCKS = {"p", "div", "li", "tr", "td", "th", "aside", "section", "article", "footer", "dd", "dt", "blockquote",
           "table", "tbody", "ol", "ul", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "body", "html"}
_CONTAINERS = {"li", "tr", "aside", "dd", "div", "section", "footer", "article", "p"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Prepared:
    """An HTML paper made ready for pandoc, and what its head and header say."""

    html: bytes | None  # None: nothing to change, pandoc reads the file as it is
    notes: int = 0
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _is_note_link(link, targets: dict) -> bool:
    href = (link.get("href") or "").strip()
    if not href.startswith("#") or len(href) < 2 or href[1:] not in targets:
        return False
    role = (link.get("role") or "") + " " + (link.get("epub:type") or link.get("{http://www.idpf.org/2007/ops}type")
                                             or "")
    if any(word in role for word in _NOTE_ROLES):
        return True
    label = _text(link)
    if not _LABEL.fullmatch(label):
        return False
    hints = " ".join(filter(None, (link.get("class"), link.get("id"), link.get("name"), href,
                                   *(a.get("class") or "" for a in link.iterancestors("sup", "span")))))
    superscript = (link.getparent() is not None and link.getparent().tag == "sup") or \
        next(link.iter("sup"), None) is not None or "vertical-align:super" in (link.get("style") or "").replace(" ", "")
    return superscript or bool(_NOTE_WORDS.search(hints)) or label.startswith("[")


def _is_backlink(link) -> bool:
    return "backlink" in (link.get("role") or "") or bool(
        re.search(r"footnote-back|reversefootnote|fn-?back|backref", link.get("class") or ""))


def _points_back(link, targets: dict, order: dict) -> bool:
    """A link to an earlier marker (or to an anchor around one): a note's way back to the text."""
    target = targets[link.get("href")[1:]]
    for node in (target, *target.iterancestors("sup", "span")):
        if id(node) in order and order[id(node)] < order[id(link)]:
            return True
    return any(id(node) in order and order[id(node)] < order[id(link)] for node in target.iter("a"))


def _block_of(element):
    """The element itself if it is a block, else its nearest block ancestor."""
    while element is not None and element.tag not in _BLOCKS:
        element = element.getparent()
    return element


def _note_container(anchor, stops: set):
    """The element that holds one note: the anchor's block, widened while it holds no other note or marker."""
    element = _block_of(anchor)
    if element is None:
        return None
    while element.tag in ("td", "th"):
        element = element.getparent()
    while True:
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "html", "ol", "ul", "dl", "table", "tbody", "thead"):
            break
        if element.tag in ("li", "tr", "aside", "dd") or parent.tag not in _CONTAINERS:
            break
        if any(child.tag in _HEADINGS for child in parent):
            break
        if any(node is not anchor and id(node) in stops for node in parent.iter()):
            break
        element = parent
    return element


def _label_number(label: str) -> int | None:
    found = re.search(r"\d{1,4}", label)
    return int(found.group()) if found else None


def prepare(data: bytes) -> Prepared:
    """The HTML with its notes paired (see the module docstring), and its title, authors and date."""
    import lxml.html
    from lxml import etree

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Prepared(None)  # pandoc reads the file as it is, and says what is wrong with it
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                                  default_doctype=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return Prepared(None)
    found = Prepared(None)
    _metadata(root, found)
    targets: dict[str, object] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("id", "name"):
            value = element.get(attribute)
            if value and value not in targets:
                targets[value] = element
    links = [link for link in root.iter("a") if _is_note_link(link, targets) and not _is_backlink(link)]
    # a marker and its note's link back point at each other: the first in reading order is the marker
    order = {id(link): index for index, link in enumerate(links)}
    links = [link for link in links if not _points_back(link, targets, order)]
    if not links:
        return found
    marks = {id(link) for link in links}
    back = {id(targets[link.get("id") or link.get("name")]) for link in links
            if (link.get("id") or link.get("name")) in targets}
    anchors = {link.get("href")[1:]: targets[link.get("href")[1:]] for link in links}
    stops = marks | {id(anchor) for anchor in anchors.values()} | back
    numbers: dict[str, int] = {}
    used: set[int] = set()
    for link in links:  # numbered as printed; a label that is no number takes the next free number
        key = link.get("href")[1:]
        if key in numbers:
            continue
        number = _label_number(_text(link))
        if number is None or number in used:
            number = max(used, default=0) + 1
        numbers[key] = number
        used.add(number)
    bodies = []
    taken: set[int] = set()
    for key, anchor in anchors.items():
        container = _note_container(anchor, stops)
        if container is None or id(container) in taken or any(id(node) in marks for node in container.iter()):
            numbers.pop(key, None)  # a "note" that holds a marker is the body of the text: leave it
            continue
        taken.add(id(container))
        body = etree.Element("div", {"class": BODY_CLASS, "data-note": str(numbers[key])})
        pieces = [cell for cell in container if cell.tag in ("td", "th")] if container.tag == "tr" else [container]
        for piece in pieces:
            copy = _without_backlinks(piece, anchors[key], stops, targets)
            if copy is None:
                continue
            if copy.tag in ("td", "th", "li", "tr", "aside", "dd"):
                copy.tag = "div"
            body.append(copy)
        _strip_label(body, numbers[key])
        bodies.append((container, body))
    if not bodies:
        return found
    for container, _ in bodies:
        _remove(container)
    for link in links:
        key = link.get("href")[1:]
        if key not in numbers:
            continue
        mark = etree.Element("span", {"class": MARK_CLASS, "data-note": str(numbers[key])})
        target = link
        parent = link.getparent()
        if parent is not None and parent.tag == "sup" and not _text_outside(parent, link):
            target = parent
        _replace(target, mark)
    _drop_empty_notes_sections(root)
    body_element = root.find("body")
    if body_element is None:
        body_element = root
    for _, body in bodies:
        body_element.append(body)
    found.notes = len(bodies)
    found.html = ("<!DOCTYPE html>\n" + lxml.html.tostring(root, encoding="unicode", method="html")).encode("utf-8")
    return found


def _text_outside(parent, child) -> bool:
    """Whether parent holds any text but child's."""
    if (parent.text or "").strip():
        return True
    for node in parent:
        if node is child:
            if (node.tail or "").strip():
                return True
            continue
        if _text(node) or (node.tail or "").strip():
            return True
    return False


def _replace(old, new) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


def _remove(element) -> None:
    """Take an element out of the tree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _without_backlinks(piece, anchor, stops: set, targets: dict):
    """A copy of a note's piece without its links back to the text (a cell holding only those is dropped)."""
    import copy as copying

    duplicate = copying.deepcopy(piece)
    originals = list(piece.iter())
    for original, node in zip(originals, list(duplicate.iter())):
        if node.tag != "a" or node.getparent() is None:
            continue
        href = (node.get("href") or "")[1:]
        is_back = (original is anchor and _LABEL.fullmatch(_text(node) or "x")) or \
            (href and href in targets and id(targets[href]) in stops) or \
            "backlink" in (node.get("role") or "") or re.search(r"footnote-back|reversefootnote|fn-?back",
                                                                 node.get("class") or "")
        if is_back:
            _remove(node)
        elif original is anchor:  # the anchor holds the note's text: keep its words, drop the anchor
            node.attrib.pop("name", None)
            node.attrib.pop("id", None)
    if duplicate.tag in ("td", "th") and not re.sub(r"[\s.,:;)\]]+", "", _text(duplicate)) and \
            next(duplicate.iter("img"), None) is None:
        return None
    return duplicate


def _strip_label(body, number: int) -> None:
    """Drop a printed label left at the note's start ("18." once its link is gone, "[1]"): the note's own
    number, not the first number of its text ("47 U.S.C. §606" of note 3 keeps its 47)."""
    for node in body.iter():
        if not node.text or not node.text.strip():
            continue
        label = re.match(r"\s*[\[(]?(\d{1,4})[\])]?[.)]?(?=\s|\Z)\s*", node.text)
        if label and int(label.group(1)) == number:
            node.text = node.text[label.end():]
        return


def _drop_empty_notes_sections(root) -> None:
    """Remove what held the notes once they are gone: empty tables, lists and divs, their heading, a rule."""
    changed = True
    while changed:
        changed = False
        for element in list(root.iter("table", "tbody", "ol", "ul", "dl", "div", "section", "aside", "footer")):
            if element.get("class") == BODY_CLASS or element.getparent() is None:
                continue
            if not _text(element) and next(element.iter("img"), None) is None:
                _remove(element)
                changed = True
    for heading in list(root.iter(*_HEADINGS)):
        if not _NOTES_HEADINGS.fullmatch(_text(heading).strip(" :")):
            continue
        following = heading.getnext()
        while (following is not None and following.tag in ("hr", "br")) or (
                following is not None and following.tag == "a" and not _text(following)):
            following = following.getnext()
        if following is None or following.tag in _HEADINGS:
            rest = heading.getparent()
            _remove(heading)
            if rest is not None and rest.getparent() is not None and not _text(rest) and rest.tag != "body":
                _remove(rest)


# ---- what the head and the header say ---------------------------------------------------------
_AUTHOR_META = ("citation_author", "dc.creator", "dcterms.creator", "author", "article:author", "parsely-author",
                "sailthru.author")
_TITLE_META = ("citation_title", "dc.title", "dcterms.title", "og:title", "twitter:title")
_DATE_META = ("citation_publication_date", "citation_date", "citation_online_date", "dc.date", "dcterms.issued",
              "dcterms.date", "article:published_time", "date", "pubdate", "publication_date")


def _metadata(root, found: Prepared) -> None:
    metas: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if name and content:
            metas.setdefault(name, []).append(content)
    found.title = next((metas[name][0] for name in _TITLE_META if name in metas), "")
    if not found.title:
        h1 = next(root.iter("h1"), None)
        title = next(root.iter("title"), None)
        found.title = _text(h1) if h1 is not None and _text(h1) else _text(title) if title is not None else ""
    for name in _AUTHOR_META:
        if name in metas:
            found.authors = [person for content in metas[name] for person in _people_of(content)]
            break
    found.authors = found.authors or _bylines(root) or _signatures(root) or _organisation(root)
    found.date = next((metas[name][0] for name in _DATE_META if name in metas), "")


def _people_of(text: str) -> list[str]:
    """Each person one author string names, as printed: "Sacco, Lisa N." is "Lisa N. Sacco"."""
    from .metadata import split_people

    people = []
    for person in split_people(re.sub(r"^\s*by\s+", "", text, flags=re.I)):
        family, comma, given = person.partition(", ")
        if comma and given and " " not in family.strip() and not re.fullmatch(r"(?:jr|sr|ii|iii|iv|phd|md)\.?",
                                                                              given.strip(), re.I):
            person = f"{given.strip()} {family.strip()}"
        people.append(" ".join(person.split()))
    return [person for person in people if person]


# A byline: an element a content system marks as its author's (class "author"/"byline", itemprop or rel author)
_BYLINE = re.compile(r"(?:^|[\s_-])(?:author|authors|byline|by-line|article-author|post-author|entry-author)"
                     r"(?:$|[\s_-])", re.I)
_NOT_NAME = re.compile(r"\d|@|https?:|\b(?:updated|published|posted|min read|share|follow|about)\b", re.I)


def _bylines(root) -> list[str]:
    found: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("meta", "link", "script", "style", "body", "html"):
            continue
        marks = " ".join(filter(None, (element.get("class"), element.get("itemprop"), element.get("rel"),
                                       element.get("id"))))
        if not _BYLINE.search(marks):
            continue
        if any(_BYLINE.search(" ".join(filter(None, (a.get("class"), a.get("itemprop"), a.get("rel")))))
               for a in element.iterancestors()):
            continue  # the names inside a byline already read
        names = [_text(child) for child in element.iter("a", "span") if child.get("itemprop") == "name"] or \
            [_text(element)]
        for name in names:
            name = re.sub(r"^\s*(?:by|written by|authors?:?)\s+", "", name, flags=re.I).strip(" ,;|·")
            if name and len(name) <= 120 and not _NOT_NAME.search(name):
                found += [person for person in _people_of(name) if person not in found]
    return found


# "Lisa N. Sacco, Analyst in Illicit Drugs and Crime Policy": a report's signature, on its cover or under
# "Author Contact Information"
_SIGNATURE = re.compile(
    r"^\s*((?:[A-Z][\w'’.-]*\.?\s+){1,3}[A-Z][\w'’-]+(?:,?\s+(?:Jr|Sr|II|III|IV)\.?)?),\s+(?:Senior\s+|Acting\s+|"
    r"Principal\s+|Assistant\s+|Deputy\s+)?(?:(?:Information\s+)?Research\s+)?(?:Specialist|Analyst|Legislative\s+"
    r"Attorney|Section\s+Research\s+Manager|Research\s+Manager|Coordinator|Research\s+Assistant|Economist|"
    r"Attorney|Fellow|Librarian|Director|Professor|Researcher)\b")


def _signatures(root) -> list[str]:
    found: list[str] = []
    for element in root.iter("p", "div", "li", "td", "span", "h3", "h4", "h5", "h6"):
        if any(child.tag in ("p", "div", "li", "td", "table") for child in element):
            continue
        match = _SIGNATURE.match(_text(element))
        if match and match.group(1) not in found:
            found.append(" ".join(match.group(1).split()))
    return found


# The publishers that sign their reports as an organisation and name themselves in them by acronym
# ("this CRS report", "CRS analysis of 2016 BJS data", "CRS Report R48363"): a report none of whose
# pages names a person is by the publisher that it says it is.
ORGANISATIONS = {"CRS": "Congressional Research Service", "GAO": "U.S. Government Accountability Office",
                 "CBO": "Congressional Budget Office", "JCT": "Joint Committee on Taxation",
                 "OTA": "Office of Technology Assessment"}
_SELF = re.compile(r"\b(?:this|the present|the current)\s+([A-Z]{2,5})\s+(?:report|analysis|product|memorandum|"
                   r"insight|study)\b|\b([A-Z]{2,5})\s+(?:analysis|calculations?|estimates?|graphics)\s+(?:of|by|from|"
                   r"based|specialist)\b|\b([A-Z]{2,5})\s+(?:Report|In\s+Focus|Insight)\s+(?:R|RL|RS|IF|IN)\d{4,5}\b",
                   re.I)


def _organisation(root) -> list[str]:
    text = _text(root)
    counts: dict[str, int] = {}
    for match in _SELF.finditer(text):
        acronym = next(group for group in match.groups() if group)
        if acronym.isupper():
            counts[acronym] = counts.get(acronym, 0) + 1
    for acronym, _ in sorted(counts.items(), key=lambda item: -item[1]):
        spelled = re.search(rf"((?:[A-Z][\w.'’-]*\s+(?:(?:of|for|and|on|the)\s+)*){{1,6}})\(\s*{acronym}\s*\)", text)
        if acronym in ORGANISATIONS:
            return [ORGANISATIONS[acronym]]
        if spelled:
            return [re.sub(r"^(?:The|A|An)\s+", "", " ".join(spelled.group(1).split()))]
    return []
