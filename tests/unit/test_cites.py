"""In-text citations ([3], (Smith 2020), [@key]) read against the sources table: which work a sentence cites."""

from __future__ import annotations

import pytest

from claimpack.text.cites import Citations

SOURCES = [
    {"id": "buyya-2023", "author": "Buyya, Rajkumar", "issued": "2023", "bibliography_entry": "[1] Rajkumar Buyya."},
    {"id": "kwon-2023", "author": "Kwon, Woosuk", "issued": "2023", "bibliography_entry": "[2] Woosuk Kwon et al."},
    {"id": "vllm-team-2023", "author": "vLLM Team", "issued": "2023", "bibliography_entry": "[3] vLLM Team."},
    {"id": "smith-2020", "author": "Smith, John; Jones, Ann", "issued": "2020",
     "bibliography_entry": "Smith, J., and A. Jones. 2020a. Rivers."},
    {"id": "smith-2020b", "author": "Smith, John", "issued": "2020", "bibliography_entry": "Smith, J. 2020b. Lakes."},
    {"id": "world-bank-2019", "author": "World Bank", "issued": "2019-05", "bibliography_entry": "World Bank. 2019."},
    {"id": "van-dijl-2018", "author": "van Dijl, Danielle", "issued": "2018", "bibliography_entry": ""},
    {"id": "lee-2021", "author": "Lee, Ann", "issued": "2021", "bibliography_entry": ""},
]


@pytest.mark.parametrize(("text", "expected"), [
    # numbered: a list, a range inside the brackets, a range of brackets; a number no entry carries is none
    ("cut to under 4% [2, 3].", [("[2, 3]", ["kwon-2023", "vllm-team-2023"])]),
    ("drew 20% [1–3] and [1]–[3].", [("[1–3]", ["buyya-2023", "kwon-2023", "vllm-team-2023"]),
                                     ("[1]–[3]", ["buyya-2023", "kwon-2023", "vllm-team-2023"])]),
    ("a figure [4] and a note [^2] and a year [2019]", []),
    # author-year, in parentheses, several works, signals and pages; the letter after a year picks the work
    ("as (Smith et al. 2020b, p. 4) found", [("(Smith et al. 2020b, p. 4)", ["smith-2020b@4"])]),
    ("(see Smith and Jones 2020a; World Bank 2019, 12)",
     [("(see Smith and Jones 2020a; World Bank 2019, 12)", ["smith-2020", "world-bank-2019@12"])]),
    ("(van Dijl 2018)", [("(van Dijl 2018)", ["van-dijl-2018"])]),
    # narrative: the name, then the year in parentheses
    ("Smith (2020b) says", [("Smith (2020b)", ["smith-2020b"])]),
    ("World Bank (2019, p. 7) counts", [("World Bank (2019, p. 7)", ["world-bank-2019@7"])]),
    # an unknown name or year names nothing
    ("(Brown 2020) and Smith (1999)", []),
    # pandoc's keys, with a page; a key of no work is left out; a bare key in the text
    ("rates [@lee-2021, p. 7; @nope]", [("[@lee-2021, p. 7; @nope]", ["lee-2021@7"])]),
    ("@lee-2021 says 5, not a@lee-2021.org", [("@lee-2021", ["lee-2021"])]),
])
def test_a_citation_names_the_works_of_the_sources_table(text, expected):
    found = Citations(SOURCES).find(text)
    assert [(text[c.start:c.end], [w + (f"@{p}" if p else "") for w, p in c.works]) for c in found] == expected


def test_a_figure_is_backed_by_the_citation_after_it_else_the_one_before():
    cites = Citations(SOURCES)
    text = "A [1] rose 5% and B fell 3% [2], while C held at 7%."
    near = [cites.nearest(text, 0, len(text), text.index(f), text.index(f) + len(f)) for f in ("5%", "3%", "7%")]
    assert [c.works[0][0] for c in near] == ["kwon-2023", "kwon-2023", "kwon-2023"]
    assert cites.nearest("Nothing cited: 7%.", 0, 18, 15, 17) is None


def test_keys_of_the_papers_metadata_name_their_rows():
    cites = Citations(SOURCES, keys={"Lee:2021": "lee-2021"})
    assert [c.works for c in cites.find("in [@Lee:2021]")] == [(("lee-2021", ""),)]
