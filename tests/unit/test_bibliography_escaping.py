"""The .bib is written field by field: no text in sources.csv can close a field, add a field or an entry.

Every generated bibliography is read back by three independent readers that disagree about
escapes: pybtex (classic BibTeX, which counts braces even after a backslash), bibtexparser and
pandoc (what renders the report). Each must see exactly one entry per source, exactly the fields
claimpack wrote, and the text that was in the cell.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimpack.model.bibliography import biblatex_entries, csl_item, safe_url

HOSTILE = [
    "Evil } , author = {x}} @misc{inj, title={pwn}",
    "}, year = 1999, note = {",
    "\\}\\{ \\\\ \\textbf{bold} \\input{/etc/passwd}",
    '" # @comment{ % $x$ & _ ~ ^',
    "}\n@misc{injected,\n  title = {owned}\n}\n@book{x,",
    "Plain title with ’typographic’ quotes, é and 中文",
    "{{{{{{{{",
    "}}}}}}}}",
]


def row(**fields) -> dict:
    base = {"id": "src-1", "type": "book", "title": "A title", "author": "Doe, Jane", "issued": "2001"}
    base.update(fields)
    return base


def read_pybtex(text: str) -> dict:
    from pybtex.database import parse_string

    data = parse_string(text, "bibtex")
    return {key: {name.lower(): str(value) for name, value in entry.fields.items()}
            | {"author": " and ".join(str(p) for p in entry.persons.get("author", []))}
            for key, entry in data.entries.items()}


def read_bibtexparser(text: str) -> dict:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {entry.key: {f.key: f.value for f in entry.fields} for entry in library.entries}


def read_pandoc(text: str, tmp_path) -> list[dict]:
    import pypandoc

    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([pypandoc.get_pandoc_path(), "-f", "biblatex", "-t", "csljson", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("field", ["title", "author", "container_title", "publisher", "volume", "page", "edition",
                                   "url", "doi", "issued", "id"])
def test_no_field_text_escapes_its_field(tmp_path, payload, field):
    rows = [row(**{field: payload}), row(id="src-2", title="The second work")]
    text = biblatex_entries(rows)
    for entries in (read_pybtex(text), read_bibtexparser(text)):
        assert len(entries) == 2, text
        assert "injected" not in entries and "inj" not in entries
        for fields in entries.values():
            assert set(fields) <= {"title", "author", "journaltitle", "publisher", "volume", "pages", "edition",
                                   "url", "doi", "date", "library"}, (fields, text)
            assert "owned" not in fields.get("title", "") or field == "title"
    items = read_pandoc(text, tmp_path)
    assert [item["id"] for item in items][1:] == ["src-2"] and len(items) == 2
    assert items[1]["title"] == "The second work"


def test_each_work_carries_its_place_in_sources_csv_as_its_call_number(tmp_path):
    """The paper's order of its works reaches pandoc (as CSL's call-number), for the report to list them in it."""
    rows = [row(id=f"src-{n}", title=f"Work {n}") for n in (1, 2, 10, 11)]
    items = read_pandoc(biblatex_entries(rows), tmp_path)
    assert [(item["id"], item["call-number"]) for item in items] == [
        ("src-1", "00001"), ("src-2", "00002"), ("src-10", "00003"), ("src-11", "00004")]


@pytest.mark.parametrize("payload", HOSTILE)
def test_pandoc_reads_back_the_text_that_was_in_the_cell(tmp_path, payload):
    """Every character survives except the braces, which no BibTeX reader can be trusted with."""
    items = read_pandoc(biblatex_entries([row(title=payload)]), tmp_path)
    expected = " ".join(payload.replace("{", "").replace("}", "").split())
    assert " ".join(items[0]["title"].replace("{", "").replace("}", "").split()).lower() == expected.lower()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
@pytest.mark.slow
def test_any_text_stays_inside_its_field(payload):
    text = biblatex_entries([row(title=payload, publisher=payload, author=payload), row(id="second")])
    for entries in (read_pybtex(text), read_bibtexparser(text)):
        assert list(entries) == ["src-1", "second"]
        assert set(entries["src-1"]) <= {"title", "author", "publisher", "date", "library"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>", "https://x/},note={pwn",
                                 'https://x/"onmouseover="alert(1)', "https://x/ y", "ftp://x/", "//x/",
                                 "https://x/\\u0000", "vbscript:x"])
def test_only_http_addresses_become_links(url):
    assert safe_url(url) is None
    assert "URL" not in csl_item(row(url=url))
    assert "url" not in biblatex_entries([row(url=url)])


def test_doi_addresses_and_dois():
    assert safe_url("doi:10.1000/xyz-123") == "https://doi.org/10.1000/xyz-123"
    assert csl_item(row(doi="10.1000/xyz"))["DOI"] == "10.1000/xyz"
    assert "DOI" not in csl_item(row(doi="10.1000/x} evil"))
