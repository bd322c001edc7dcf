"""An HTML paper's notes, in the dialects publishers and content systems write, read as notes.

Each paper here is made in the test, one per dialect, and read through pandoc for real: the text
claimpack derives must hold each marker as [^n] (numbered as printed, never glued to the number
before it) and each note once, at the end, and nothing of the notes section in the body.
"""

from __future__ import annotations

import csv

import pytest

from claimpack.text.reading import read


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))

BODY = ("The economy will grow 1.2% in 2026.{m18} Prices rose in the 21<sup>st</sup> century and the "
        "119<sup>t</sup><sup>h</sup> Congress acted.{m19}")

DIALECTS = {
    # Congressional Research Service: the notes in a two-column table under "Footnotes", linked both ways
    "crs-table": (
        '<div><h1>Growth</h1><p>{body}</p><p>Again.{m18b}</p>'
        '<div><h2>Footnotes</h2><table><tbody>'
        '<tr><td><a href="#ifn18" name="fn18">18</a>.</td><td><p> The White House, <em>Strategy</em>, 2026, '
        '<a href="https://x.gov/a.pdf"><span>https://x.gov/</span><span>a.pdf</span></a>.</p></td></tr>'
        '<tr><td><a href="#ifn19" name="fn19">19</a>.</td><td><p> Ibid., p. 4.</p><p>A second paragraph.</p></td></tr>'
        '</tbody></table></div></div>',
        {"m18": '<sup><a href="#fn18" name="ifn18">18</a></sup>',
         "m19": '<sup><a href="#fn19" name="ifn19">19</a></sup>',
         "m18b": '<sup><a href="#fn18">18</a></sup>'}),
    # pandoc's own HTML: a.footnote-ref, a doc-endnotes section with back-links
    "pandoc": (
        '<h1>Growth</h1><p>{body}</p><p>Again.{m18b}</p>'
        '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes"><hr /><ol start="18">'
        '<li id="fn18"><p>The White House, <em>Strategy</em>, 2026, <a href="https://x.gov/a.pdf">https://x.gov/a.pdf</a>.'
        '<a href="#fnref18" class="footnote-back" role="doc-backlink">↩︎</a></p></li>'
        '<li id="fn19"><p>Ibid., p. 4.</p><p>A second paragraph.<a href="#fnref19" class="footnote-back" '
        'role="doc-backlink">↩︎</a></p></li></ol></section>',
        {"m18": '<a href="#fn18" class="footnote-ref" id="fnref18" role="doc-noteref"><sup>18</sup></a>',
         "m19": '<a href="#fn19" class="footnote-ref" id="fnref19" role="doc-noteref"><sup>19</sup></a>',
         "m18b": '<a href="#fn18" class="footnote-ref" role="doc-noteref"><sup>18</sup></a>'}),
    # Jekyll's kramdown: sup[role=doc-noteref] > a.footnote, div.footnotes > ol > li[role=doc-endnote]
    "kramdown": (
        '<h1>Growth</h1><p>{body}</p><p>Again.{m18b}</p>'
        '<div class="footnotes" role="doc-endnotes"><ol start="18">'
        '<li id="fn:18" role="doc-endnote"><p>The White House, <em>Strategy</em>, 2026, '
        '<a href="https://x.gov/a.pdf">https://x.gov/a.pdf</a>.&nbsp;<a href="#fnref:18" class="reversefootnote" '
        'role="doc-backlink">&#8617;</a></p></li>'
        '<li id="fn:19" role="doc-endnote"><p>Ibid., p. 4.</p><p>A second paragraph.&nbsp;<a href="#fnref:19" '
        'class="reversefootnote" role="doc-backlink">&#8617;</a></p></li></ol></div>',
        {"m18": '<sup id="fnref:18" role="doc-noteref"><a href="#fn:18" class="footnote" rel="footnote">18</a></sup>',
         "m19": '<sup id="fnref:19" role="doc-noteref"><a href="#fn:19" class="footnote" rel="footnote">19</a></sup>',
         "m18b": '<sup role="doc-noteref"><a href="#fn:18" class="footnote" rel="footnote">18</a></sup>'}),
    # Word's "save as web page": [n] links to _ftnN, each note a div under a rule
    "word": (
        '<h1>Growth</h1><p class=MsoNormal>{body}</p><p>Again.{m18b}</p>'
        '<div style="mso-element:footnote-list"><br clear=all><hr align=left size=1 width="33%">'
        '<div style="mso-element:footnote" id=ftn18><p class=MsoFootnoteText><a href="#_ftnref18" name="_ftn18" '
        'title=""><span class=MsoFootnoteReference>[18]</span></a> The White House, <i>Strategy</i>, 2026, '
        '<a href="https://x.gov/a.pdf">https://x.gov/a.pdf</a>.</p></div>'
        '<div style="mso-element:footnote" id=ftn19><p class=MsoFootnoteText><a href="#_ftnref19" name="_ftn19" '
        'title=""><span class=MsoFootnoteReference>[19]</span></a> Ibid., p. 4.</p>'
        '<p class=MsoFootnoteText>A second paragraph.</p></div></div>',
        {"m18": '<a href="#_ftn18" name="_ftnref18" title=""><span class=MsoFootnoteReference>[18]</span></a>',
         "m19": '<a href="#_ftn19" name="_ftnref19" title=""><span class=MsoFootnoteReference>[19]</span></a>',
         "m18b": '<a href="#_ftn18" title=""><span class=MsoFootnoteReference>[18]</span></a>'}),
    # DPUB-ARIA asides: each note an <aside role="doc-footnote"> after its paragraph
    "aside": (
        '<h1>Growth</h1><p>{body}</p>'
        '<aside id="note18" role="doc-footnote"><p>18. The White House, <em>Strategy</em>, 2026, '
        '<a href="https://x.gov/a.pdf">https://x.gov/a.pdf</a>.</p></aside>'
        '<aside id="note19" role="doc-footnote"><p>19. Ibid., p. 4.</p><p>A second paragraph.</p></aside>'
        '<p>Again.{m18b}</p>',
        {"m18": '<a href="#note18" role="doc-noteref">18</a>', "m19": '<a href="#note19" role="doc-noteref">19</a>',
         "m18b": '<a href="#note18" role="doc-noteref">18</a>'}),
    # a content system's notes list under "Notes", each item holding a named anchor
    "notes-list": (
        '<h1>Growth</h1><p>{body}</p><p>Again.{m18b}</p><h2>Notes</h2><ol start="18">'
        '<li><a name="n18"></a>The White House, <em>Strategy</em>, 2026, <a href="https://x.gov/a.pdf">'
        'https://x.gov/a.pdf</a>.</li><li><a name="n19"></a><p>Ibid., p. 4.</p><p>A second paragraph.</p></li></ol>',
        {"m18": '<sup><a href="#n18">18</a></sup>', "m19": '<sup><a href="#n19">19</a></sup>',
         "m18b": '<sup><a href="#n18">18</a></sup>'}),
    # LibreOffice's HTML export: sdfootnoteNanc / sdfootnoteNsym
    "libreoffice": (
        '<h1>Growth</h1><p>{body}</p><p>Again.{m18b}</p>'
        '<div id="sdfootnote18"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote18sym" '
        'href="#sdfootnote18anc">18</a>The White House, <i>Strategy</i>, 2026, <a href="https://x.gov/a.pdf">'
        'https://x.gov/a.pdf</a>.</p></div>'
        '<div id="sdfootnote19"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote19sym" '
        'href="#sdfootnote19anc">19</a>Ibid., p. 4.</p><p class="sdfootnote">A second paragraph.</p></div>',
        {"m18": '<a class="sdfootnoteanc" name="sdfootnote18anc" href="#sdfootnote18sym"><sup>18</sup></a>',
         "m19": '<a class="sdfootnoteanc" name="sdfootnote19anc" href="#sdfootnote19sym"><sup>19</sup></a>',
         "m18b": '<a class="sdfootnoteanc" href="#sdfootnote18sym"><sup>18</sup></a>'}),
}

EXPECTED = """# Growth

The economy will grow 1.2% in 2026.[^18] Prices rose in the 21st century and the 119th Congress acted.[^19]

Again.[^18]

[^18]: The White House, *Strategy*, 2026, https://x.gov/a.pdf.

[^19]: Ibid., p. 4. A second paragraph.
"""


def _paper(tmp_path, dialect: str):
    template, marks = DIALECTS[dialect]
    body = BODY.format(**marks)
    path = tmp_path / f"{dialect}.html"
    path.write_text(template.format(body=body, **marks), encoding="utf-8")
    return path


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_html_notes_are_notes_numbered_as_printed(tmp_path, dialect):
    reading = read(_paper(tmp_path, dialect))
    assert reading.text == EXPECTED
    assert reading.links[18] == [("https://x.gov/a.pdf", "https://x.gov/a.pdf")]


def test_a_superscript_that_links_nowhere_is_no_note(tmp_path):
    path = tmp_path / "ordinals.html"
    path.write_text("<p>In the 21<sup>st</sup> century; see <sup><a href='#nowhere'>3</a></sup> and "
                    "<a href='#top' id='top'>1</a>.</p>", encoding="utf-8")
    assert read(path).text == "In the 21st century; see 3 and 1.\n"


def test_the_notes_of_an_html_paper_are_read_again_the_same_way(tmp_path):
    from claimpack.text.reading import rederive

    path = _paper(tmp_path, "crs-table")
    reading = read(path)
    text, derivation = rederive(path, reading.derivation.to_dict())
    assert text == reading.text and derivation == reading.derivation


@pytest.mark.slow
def test_init_of_an_html_report_records_its_notes_not_the_number_glued_before_them(tmp_path):
    from claimpack.init.writer import init

    result = init(_paper(tmp_path, "crs-table"), tmp_path / "package")
    claims = rows(result.root / "data" / "claims.csv")
    assert [(c["figure"], c["footnote"]) for c in claims if c["figure"].startswith(("1.2", "2026"))] == [("1.2%", "18")]
    notes = rows(result.root / "data" / "footnotes.csv")
    assert [(n["number"], n["text"]) for n in notes] == [
        ("18", "The White House, *Strategy*, 2026, https://x.gov/a.pdf."), ("19", "Ibid., p. 4. A second paragraph.")]


def test_a_note_that_starts_with_a_number_keeps_it(tmp_path):
    """Only the note's own number is its label: note 3 of a notes table reads "47 U.S.C. §606.", not "U.S.C."."""
    path = tmp_path / "law.html"
    path.write_text('<h1>Alerts</h1><p>The President may act.<sup><a href="#fn3" name="ifn3">3</a></sup> '
                    'Again.<sup><a href="#fn4" name="ifn4">4</a></sup></p><div><h2>Footnotes</h2><table><tbody>'
                    '<tr><td><a href="#ifn3" name="fn3">3</a>.</td><td><p> 47 U.S.C. §606.</p></td></tr>'
                    '<tr><td><a href="#ifn4" name="fn4">4</a>.</td><td><p> 4 Ibid.</p></td></tr>'
                    '</tbody></table></div>', encoding="utf-8")
    notes = [line for line in read(path).text.splitlines() if line.startswith("[^")]
    assert notes == ["[^3]: 47 U.S.C. §606.", "[^4]: Ibid."]
