"""Word and OpenDocument papers: footnotes AND endnotes are notes, and a note's hidden link is a source."""

from __future__ import annotations

import csv
import re
import subprocess
import zipfile

import pytest

from claimpack.text.reading import pandoc_path, read

MARKDOWN = """# Results

Grid losses reached 4.5% in 2024.[^1] Prices rose 12% that winter.[^2] Use grew 30% among the young.[^3]

[^1]: Sohan, M. (2024). *A review of grid losses*. Elsevier.

[^2]: See the [operator's statement](https://grid.example.org/statement-2024).

[^3]: Our own survey.
"""

EXPECTED = """# Results

Grid losses reached 4.5% in 2024.[^1] Prices rose 12% that winter.[^2] Use grew 30% among the young.[^3]

[^1]: Sohan, M. (2024). *A review of grid losses*. Elsevier.

[^2]: See the operator’s statement.

[^3]: Our own survey.
"""


def _made(tmp_path, fmt: str):
    source = tmp_path / "paper.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    made = tmp_path / f"made.{fmt}"
    subprocess.run([pandoc_path(), str(source), "-o", str(made)], check=True)
    return made


def _rewrite(made, target, change) -> None:
    with zipfile.ZipFile(made) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        names = [item.filename for item in old.infolist()]
        extra = change(names, {name: old.read(name) for name in names})
        for item in old.infolist():
            new.writestr(item, extra.pop(item.filename, old.read(item)))
        for name, data in extra.items():
            new.writestr(name, data)


def _docx_with_an_endnote(tmp_path):
    """A DOCX whose second note is a Word endnote (word/endnotes.xml), the others footnotes."""
    def change(names, files):
        document = files["word/document.xml"].decode("utf-8")
        refs = re.findall(r'<w:footnoteReference w:id="(\d+)"\s*/>', document)
        second = refs[1]
        document = document.replace(f'<w:footnoteReference w:id="{second}" />',
                                    f'<w:endnoteReference w:id="{second}" />').replace(
            f'<w:footnoteReference w:id="{second}"/>', f'<w:endnoteReference w:id="{second}"/>')
        footnotes = files["word/footnotes.xml"].decode("utf-8")
        note = re.search(rf'<w:footnote w:id="{second}">.*?</w:footnote>', footnotes, re.S).group()
        endnote = note.replace("<w:footnote ", "<w:endnote ").replace("</w:footnote>", "</w:endnote>")
        namespaces = re.search(r"<w:footnotes([^>]*)>", footnotes).group(1)
        endnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:endnotes{namespaces}>{endnote}'
                    "</w:endnotes>")
        rels = files["word/_rels/document.xml.rels"].decode("utf-8")
        footnote_rel = re.search(r'<Relationship [^>]*footnotes\.xml"\s*/>', rels).group()
        target_rel = re.search(r'Id="([^"]+)"', footnote_rel).group(1)
        endnote_rel = footnote_rel.replace("footnotes.xml", "endnotes.xml").replace("/footnotes\"", "/endnotes\"") \
            .replace(f'Id="{target_rel}"', 'Id="rIdClaimpackEndnotes"')
        rels = rels.replace("</Relationships>", endnote_rel + "</Relationships>")
        types = files["[Content_Types].xml"].decode("utf-8").replace(
            "</Types>", '<Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-'
                        'officedocument.wordprocessingml.endnotes+xml"/></Types>')
        return {"word/document.xml": document.encode(), "word/endnotes.xml": endnotes.encode(),
                "word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml": types.encode(),
                # the endnote's hyperlink keeps its relationship
                "word/_rels/endnotes.xml.rels": files["word/_rels/footnotes.xml.rels"]}

    target = tmp_path / "paper.docx"
    _rewrite(_made(tmp_path, "docx"), target, change)
    with zipfile.ZipFile(target) as archive:
        assert "w:endnoteReference" in archive.read("word/document.xml").decode()
    return target


def _odt_with_an_endnote(tmp_path):
    def change(names, files):
        content = files["content.xml"].decode("utf-8")
        notes = [m.start() for m in re.finditer(r'text:note-class="footnote"', content)]
        at = notes[1]
        content = content[:at] + 'text:note-class="endnote"' + content[at + len('text:note-class="footnote"'):]
        return {"content.xml": content.encode()}

    target = tmp_path / "paper.odt"
    _rewrite(_made(tmp_path, "odt"), target, change)
    return target


def test_a_word_endnote_is_a_note_beside_its_footnotes(tmp_path):
    assert read(_docx_with_an_endnote(tmp_path)).text == EXPECTED


def test_an_opendocument_endnote_is_a_note_beside_its_footnotes(tmp_path):
    assert read(_odt_with_an_endnote(tmp_path)).text == EXPECTED


@pytest.mark.slow
def test_a_word_notes_hidden_link_is_its_source_and_a_note_of_comment_cites_the_paper(tmp_path):
    from claimpack.init.writer import init

    result = init(_docx_with_an_endnote(tmp_path), tmp_path / "package")
    with (result.root / "data" / "citations.csv").open(encoding="utf-8", newline="") as handle:
        citations = [(row["footnote"], row["source_id"]) for row in csv.DictReader(handle)]
    with (result.root / "data" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = {row["id"]: (row["type"], row["title"], row["url"]) for row in csv.DictReader(handle)}
    own = next(iter(sources))
    assert citations == [("1", "sohan-2024"), ("2", "operators-statement-nd"), ("3", own)]
    assert sources["operators-statement-nd"] == (
        "webpage", "operator’s statement", "https://grid.example.org/statement-2024")
    assert sources["sohan-2024"][:2] == ("book", "A review of grid losses")
