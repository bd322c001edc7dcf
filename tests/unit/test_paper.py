"""The paper model splits the source the way a reader sees it."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimpack.text.paper import NUMBER, Paper, normalize
from conftest import ROOT

SOURCE = (ROOT / "data" / "source" / "paper.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paper() -> Paper:
    return Paper.parse(SOURCE, body_start="INTRODUCTION", bibliography="BIBLIOGRAPHY")


# sha256 of the copy of the paper our user supplied (../shared/source/paper.md), for clones without it
USERS_PAPER_SHA256 = "3ce8f2f90cce356e375bd80fb0068250e7dad668cd198f265cd532daa0e52f47"


def test_the_package_paper_is_the_users_paper_byte_for_byte():
    ours = (ROOT / "data" / "source" / "paper.md").read_bytes()
    assert hashlib.sha256(ours).hexdigest() == USERS_PAPER_SHA256
    shared = ROOT.parent / "shared" / "source" / "paper.md"
    if shared.exists():  # beside this checkout, as on the maintainers' machines
        assert ours == shared.read_bytes()


def test_sections_are_the_papers_headings(paper):
    assert paper.sections == [
        "INTRODUCTION", "DISCUSSION", "The Origins of Collective Security in America",
        "U.S. Foreign Policy towards Latin America", "Threats to Latin American Security",
        "US Collective Security Programs in Latin America", "Latin American Armed Forces and Collective Security",
        "CONCLUSION", "BIBLIOGRAPHY"]


def test_every_footnote_is_found_once(paper):
    assert sorted(paper.footnotes) == list(range(1, 74))
    markers = sorted(n for b in paper.blocks if b.is_body for n, _ in b.markers)
    assert markers == list(range(1, 74))


def test_a_page_number_printed_before_a_marker_is_kept_apart(paper):
    note = paper.footnotes[41]
    assert note.prefix == "33."
    assert note.text.startswith("Independent Task Force")


def test_a_footnote_continued_after_a_page_break_is_joined(paper):
    note = paper.footnotes[71]
    assert note.continued
    assert note.text.endswith("security threats and issues).”")
    assert "international system defined in security terms" in note.text


def test_paragraphs_cut_by_page_breaks_are_joined(paper):
    block = paper.block_at("The Origins of Collective Security in America", 3)
    assert "held in Panama from June 22 to July 15, 1826" in block.norm
    assert block.lines == [107, 121]


def test_block_quotes_and_list_items(paper):
    quote = paper.block_at("Threats to Latin American Security", 5)
    assert quote.kind == "blockquote" and "792,000 migrants" in quote.text
    items = [b for b in paper.blocks if b.kind == "list-item" and b.section.startswith("US Collective")]
    assert [b.text[:4] for b in items] == ["- a)", "- b)", "- c)", "- d)", "- e)", "- f)"]


def test_front_matter_and_bibliography(paper):
    front = [b for b in paper.blocks if b.section == "front matter"]
    assert any(b.text == "Word Count: 5,154" for b in front)
    entries = [b for b in paper.blocks if b.kind == "bibliography-entry"]
    assert len(entries) == 37
    assert [e.text.split(",")[0] for e in entries[-2:]] == ["Weeks", "Wiarda"]


def test_every_number_in_digits_is_found(paper):
    tokens = [m.group() for b in paper.text_blocks() for m in NUMBER.finditer(b.norm)]
    assert {"5,154", "5.154", "43,000", "2.3", "100,000", "1980s", "21st", "792,000"} <= set(tokens)
    assert not any(re.fullmatch(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", t) for t in tokens)


def test_normalize_documented_rules():
    assert normalize("“\\$236 million”  US\n dollars³⁵") == '"$236 million" US dollars'
    assert normalize("*Ibid.*, 45") == "Ibid., 45"
    assert normalize("Bolívar’s") == normalize("Bolívar's")


def test_locate_prefers_the_recorded_place(paper):
    found = paper.locate("Article 51", "CONCLUSION", 1)
    assert found[0].block.section == "CONCLUSION"
    assert len(paper.locate("Article 51")) >= 3


@given(st.text(alphabet=st.sampled_from(list("ab1²³\n \\*#-.“”")), max_size=300))
def test_splitter_accepts_any_text(text):
    parsed = Paper.parse(text, body_start="INTRODUCTION")
    for block in parsed.blocks:
        assert isinstance(block.norm, str)


# ---- long paragraphs are read in linear time (issue 22) ---------------------------------------------
_PIECES = ["a", "b", " ", "  ", "\n", "[^1]", "[^23]", "¹", "²³", "\\", "\\$", "$", "*", "“", "e\u0301", "\u0301",
           "1,000", "x", "[", "]", "’", "\u00a0"]


@given(st.lists(st.sampled_from(_PIECES), max_size=24), st.booleans())
def test_markers_found_in_one_pass_stand_where_each_prefix_puts_them(pieces, superscripts):
    from claimpack.text.paper import _MARKERS, NOTE_REF, Block

    notes = _MARKERS if superscripts else NOTE_REF
    block = Block("paragraph", "".join(pieces), "s", "p", 1, 1, [1], notes)
    each = [len(normalize(block.text[:m.start()] + "\x00")) - 1 for m in notes.finditer(block.text)]
    assert [at for _, at in block.markers] == each


_WORDS = ["the", "count", "was", "1,234", "people.", "In", "district", "A", "x" * 30, "ab"]


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=300), st.data())
def test_the_word_index_finds_what_str_find_finds(words, data):
    from claimpack.text.paper import WordIndex

    text = " ".join(words)
    index = WordIndex(text)
    start = data.draw(st.integers(0, len(text)))
    needle = text[start:start + data.draw(st.integers(1, 200))] if data.draw(st.booleans()) else \
        " ".join(data.draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12)))
    assert index.find(needle) == text.find(needle)
    every = index.positions(needle)
    assert every is None or every == [at for at in range(len(text)) if text.startswith(needle, at)]


def test_a_paragraph_of_twenty_thousand_quotes_is_searched_through_its_index():
    body = " ".join(f"In district {chr(65 + i % 26)} the count was {1000 + i:,} people.[^1]" for i in range(20_000))
    paper = Paper.parse_blocks(f"# Results\n{body}\n[^1]: A note.\n")
    quote = "In district E the count was 20,998 people."
    found = paper.locate(quote, "Results", 1)
    block = found[0].block
    assert block._index is not None and len(block.norm) > 500_000  # read through the index, not find
    assert found[0].start == block.norm.find(normalize(quote))
    assert block.marker_after(found[0].start) == 1 and len(block.markers) == 20_000
