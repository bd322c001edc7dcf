"""How records read for a person, in the report's claims appendix and in `show` and `find`: values
grouped in full, quotes without Markdown escapes, the qualifier with every figure, dates written
out, each topic once, no doubled punctuation. On small synthetic records and on the real data."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from claimpack.factcheck.find import render as render_hits
from claimpack.factcheck.find import search
from claimpack.factcheck.show import record, render
from claimpack.model.domain import Model
from claimpack.report import Figures, Sections, prose
from conftest import ROOT, run_claimpack

DOUBLED = re.compile(r"[?!:;,]\*?\.|(?<!\.)\.\*?\.(?!\.)")  # "Hegemony?.", "Hegemony?*.", "paragraph 7.." (not "...")
SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")  # 2e+12, 2.36e+08


# ---- the formatter, on its own ------------------------------------------------------------------
@pytest.mark.parametrize(("value", "text"), [
    (236000000.0, "236,000,000"), (2e12, "2,000,000,000,000"), (2.36e8, "236,000,000"), (62.5, "62.5"),
    (1e21, "1,000,000,000,000,000,000,000"), (1.5e-06, "0.0000015"), (0, "0"), (-3000, "-3,000"), (None, ""),
])
def test_numbers_are_grouped_in_full(value, text):
    assert prose.number(value) == text


@pytest.mark.parametrize(("iso", "precision", "text"), [
    ("1823-12-02", "day", "2 December 1823"), ("1823-12-02", None, "2 December 1823"),
    ("1823-12", "month", "December 1823"), ("1823-12", None, "December 1823"), ("1823", "year", "1823"),
    ("1820", "decade", "the 1820s"), ("2024-02-30", None, "2024-02-30"), ("not a date", None, "not a date"),
])
def test_dates_are_written_out_at_their_precision(iso, precision, text):
    assert prose.written_date(iso, precision) == text


def test_spans_and_timestamps_are_written_out():
    assert prose.date_span("1826-06-22", "1826-07-15", "day") == "22 June to 15 July 1826"
    assert prose.date_span("1826-06", "1827-01", "month") == "June 1826 to January 1827"
    assert prose.date_span("1823-12-02", None, "day") == "2 December 1823"
    assert prose.timestamp("2024-05-01T12:00:00.000000Z") == "1 May 2024, 12:00 UTC"


@pytest.mark.parametrize(("words", "sentence"), [
    ("Regional Hegemony?", "Regional Hegemony?"), ("A paper", "A paper."), ("Done.", "Done."),
    ('He said "yes."', 'He said "yes."'), ("*An Italic Title!*", "*An Italic Title!*"), ("", ""),
])
def test_a_sentence_ends_with_one_stop(words, sentence):
    assert prose.sentence(words) == sentence


def test_centuries_and_relative_dates_are_written_out():
    assert prose.written_date("1901", "century") == "the twentieth century"
    assert prose.written_date("2001", "century") == "the twenty-first century"  # never "the 21st century"
    assert prose.written_date("9801", "century") == "the ninety-ninth century"
    assert prose.relative_date("P10Y", "plan-colombia") == "ten years after plan-colombia"
    assert prose.relative_date("-P1Y", None) == "one year before the paper"
    assert prose.relative_date(None, None) == prose.relative_date("P10D", None) == ""


def test_a_footnotes_links_stay_links_and_nothing_else_is_live():
    from claimpack.system.escape import markdown_with_links

    shown = markdown_with_links("UNODC, *Crime*, 81, [//www.unodc.org/t.html](http://www.unodc.org/t.html); "
                                "<https://doi.org/10.2307/1>; [x](ftp://a.org/y); <b>bold</b>", emphasis=True)
    assert reader_text(shown).strip() == ("UNODC, Crime, 81, //www.unodc.org/t.html; https://doi.org/10.2307/1; x; "
                                          "<b>bold</b>")
    import pypandoc

    page = pypandoc.convert_text(shown, "html", format="markdown")
    assert re.findall(r'href="([^"]+)"', page) == ["http://www.unodc.org/t.html", "https://doi.org/10.2307/1"]
    assert "<b>" not in page and "<em>Crime</em>" in page


def test_text_from_the_data_loses_its_markdown_escapes():
    assert prose.text("Approximately \\$236 million  US dollars\n") == "Approximately $236 million US dollars"


# ---- a small synthetic package --------------------------------------------------------------------
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
CLAIMS = [
    # id, topic, figure, value, value_min, value_max, qualifier, unit, quote, footnote, source_id, locator
    ("kidnappings-2014", "outcomes", "300", 300, None, 300, "less-than", "count",
     "kidnappings decreasing to less than 300 in 2014", 1, "open-question", ""),
    ("imet-funding", "assistance", "\\$236 million", 236e6, None, None, "approximately", "USD",
     "Approximately \\$236 million US dollars were assigned", 2, "guide", "104"),
    ("trade-value", "outcomes", "\\$2 trillion", 2e12, None, None, "approximately", "USD",
     "the trade of approximately \\$2 trillion worth of goods", 2, "guide", "81"),
    ("gang-members", "assistance", "between 50,000 and 100,000", 50000, 50000, 100000, "between", "persons",
     "had between 50,000 and 100,000 members", "", "open-question", ""),
]
SOURCES = [("open-question", "report", "Security Programs: Cooperation or Regional Hegemony?", ""),
           ("guide", "report", "Putting the Pieces Together", "https://example.org/guide")]
EVENTS = [("speech", "1823-12-02", "", "day", "A speech to Congress"),
          ("congress", "1826-06-22", "1826-07-15", "day", "A congress in Panama"),
          ("founding", "1948-04", "", "month", "A founding"), ("treaty", "1947", "", "year", "A treaty")]


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Model:
    """Four claims in two topics that interleave, two sources, four events at three precisions."""
    root = tmp_path_factory.mktemp("synthetic")
    (root / "data").mkdir()
    resources = [r for r in DESCRIPTOR["resources"] if r["name"] in ("claims", "events", "sources", "footnotes",
                                                                      "citations")]
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in resources}
    keys = ("id", "topic", "figure", "value", "value_min", "value_max", "qualifier", "unit", "quote", "footnote",
            "source_id", "locator")
    _write(root / "data" / "claims.csv", fields["claims"],
           [{**dict(zip(keys, row)), "measure": f"What {row[0]} counts", "kind": "reported",
             "section": "A Section?", "paragraph": 2} for row in CLAIMS])
    _write(root / "data" / "sources.csv", fields["sources"],
           [{"id": i, "type": kind, "title": title, "url": url, "in_bibliography": "true"}
            for i, kind, title, url in SOURCES])
    _write(root / "data" / "footnotes.csv", fields["footnotes"],
           [{"number": 1, "text": "Cited in *Security Programs*, which costs \\$5.", "section": "A"},
            {"number": 2, "text": "*Putting the Pieces Together*, 104.", "section": "A"}])
    _write(root / "data" / "citations.csv", fields["citations"],
           [{"footnote": 1, "position": 1, "source_id": "open-question", "cited_as": "x", "ibid": "false"},
            {"footnote": 2, "position": 1, "source_id": "guide", "cited_as": "y", "ibid": "false"}])
    _write(root / "data" / "events.csv", fields["events"],
           [{"id": i, "date": d, "end_date": e, "date_precision": p, "event": what, "place": "US",
             "quote": what, "section": "A", "paragraph": 1, "source_id": "guide"} for i, d, e, p, what in EVENTS])
    descriptor = {key: DESCRIPTOR[key] for key in ("name", "title", "version")}
    descriptor["resources"] = resources
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return Model.load(root)


def reader_text(markdown: str) -> str:
    """What a reader sees of some Markdown: pandoc's plain text of it."""
    import pypandoc

    return pypandoc.convert_text(markdown, "plain", format="markdown", extra_args=["--wrap=none"])


def test_synthetic_appendix_reads_as_a_reader_expects(synthetic):
    appendix = Sections(Figures(synthetic)).appendix()
    assert re.findall(r"^### (.*)$", appendix, re.M) == ["Outcomes", "Assistance"]  # each topic once
    seen = reader_text(appendix)
    assert "less than 300: What kidnappings-2014 counts (kidnappings-2014; value less than 300 count" in seen
    assert "approximately US$236 million" in seen and "value 236,000,000 USD" in seen
    assert "approximately US$2 trillion" in seen and "value 2,000,000,000,000 USD" in seen
    assert "value 50,000 to 100,000 persons" in seen and "at most" not in seen
    assert "Approximately $236 million US dollars were assigned" in seen and "\\$" not in seen
    assert "which costs $5." in seen
    assert "Cited work: Security Programs: Cooperation or Regional Hegemony?\n" in seen
    assert "Cited work: Putting the Pieces Together, page 104, https://example.org/guide." in seen
    assert "In the paper: “A Section?”, paragraph 2." in seen
    assert not SCIENTIFIC.search(seen) and not DOUBLED.search(seen), DOUBLED.search(seen)


def test_synthetic_events_are_dated_in_words(synthetic):
    seen = reader_text(Sections(Figures(synthetic)).events())
    assert [line.split(":")[0].lstrip("- ") for line in seen.splitlines() if line.strip()] == [
        "2 December 1823", "22 June to 15 July 1826", "1947", "April 1948"]
    assert Figures(synthetic).date("speech") == "2 December 1823"


def test_synthetic_show_and_find_print_the_qualifier_with_the_figure(synthetic):
    shown = render(record(synthetic, "kidnappings-2014"), width=100)
    assert "Figure       less than 300  =  less than 300 count (less-than; reported)" in shown
    assert "at most" not in shown
    assert "approximately US$2 trillion  =  2,000,000,000,000 USD" in render(record(synthetic, "trade-value"))
    assert "between 50,000 and 100,000  =  50,000 to 100,000 persons" in render(record(synthetic, "gang-members"))
    assert "Date         22 June to 15 July 1826\n" in render(record(synthetic, "congress"))
    hits = render_hits(search(synthetic, "kidnappings"), "kidnappings")
    assert "less than 300: What kidnappings-2014 counts" in hits
    assert "1948-04" not in render_hits(search(synthetic, "founding"), "founding")
    assert "April 1948: A founding" in render_hits(search(synthetic, "founding"), "founding")
    for text in (shown, hits):
        assert not SCIENTIFIC.search(text) and "\\$" not in text


# ---- the real package -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real() -> Model:
    return Model.load(ROOT)


def test_real_appendix_has_each_topic_once_in_the_order_the_paper_raises_them(real):
    appendix = Sections(Figures(real)).appendix()
    headings = re.findall(r"^### (.*)$", appendix, re.M)
    topics = list(dict.fromkeys(claim.topic.capitalize() for claim in real.claims))
    assert headings == topics and len(headings) == len(set(headings))
    assert headings.count("Migration") == headings.count("Capacity") == 1


def test_real_appendix_reads_as_a_reader_expects(real):
    seen = reader_text(Sections(Figures(real)).appendix())
    assert not SCIENTIFIC.search(seen) and "\\$" not in seen and not DOUBLED.search(seen), DOUBLED.search(seen)
    assert "value 2,000,000,000,000 USD" in seen and "value 236,000,000 USD" in seen
    assert "Hegemony?." not in seen
    assert "Cited work: none; the figure is the paper’s own.\n" in seen  # never the paper as its own cited work
    assert "Approximately $236 million US dollars were assigned" in seen
    for claim in real.claims:  # every headline carries the qualifier the paper used
        headline = prose.headline(claim)
        words = {"exact": "", "more-than": "more than", "at-least": "at least", "less-than": "less than",
                 "up-to": "up to"}.get(claim.qualifier, claim.qualifier)
        assert headline.startswith(words), (claim.id, headline)
        assert f"{headline}: {claim.measure}" in seen.replace("\n", " ") or \
            f"{headline[:1].upper()}{headline[1:]}" in seen, claim.id


def test_real_events_and_the_prose_write_dates_out(real):
    seen = reader_text(Sections(Figures(real)).events())
    assert not re.search(r"\d{4}-\d{2}", seen)
    assert "2 December 1823" in seen and "22 June to 15 July 1826" in seen
    qmd = (ROOT / "report" / "index.qmd").read_text(encoding="utf-8")
    assert '["date"]' not in qmd and 'F.date("monroe-doctrine-speech-1823")' in qmd


def test_real_show_says_less_than_and_writes_dates_out():
    out = run_claimpack("show", "colombia-kidnappings-2014", env={"COLUMNS": "100"}).stdout
    assert "Figure       less than 300  =  less than 300 count (less-than; reported)" in out
    assert "at most" not in out
    out = run_claimpack("show", "monroe-doctrine-speech-1823", env={"COLUMNS": "100"}).stdout
    assert "Date         2 December 1823\n" in out
    out = run_claimpack("show", "us-latam-trade-value", env={"COLUMNS": "100"}).stdout
    assert "approximately US$2 trillion  =  2,000,000,000,000 USD (approximately; reported)" in out


def test_real_find_prints_the_qualifier_with_the_figure():
    out = run_claimpack("find", "kidnappings").stdout
    assert "      more than 3,000: Annual number of kidnappings in Colombia (1999)" in out
    assert "      less than 300: Annual number of kidnappings in Colombia (2014)" in out
    out = run_claimpack("find", "Monroe", "1823").stdout
    assert "      2 December 1823: President James Monroe's speech" in out


def test_real_events_have_anchors_and_say_what_a_relative_date_counts_from(real):
    events = Sections(Figures(real)).events()
    assert [e.id for e in real.events if f"{{#event-{e.id}}}" not in events] == []
    seen = reader_text(events)
    assert "the twenty-first century: Plan Colombia" in seen and "21st century:" not in seen
    assert "(dated relatively: ten years after plan-colombia-21st-century)" in seen
    assert "(dated relatively: ten years before the paper)" in seen
    assert "(#event-plan-colombia-21st-century)" in events


def test_real_defects_and_the_records_they_concern_link_to_each_other(real):
    sections = Sections(Figures(real))
    defects = sections.defects()
    for defect in real.defects:
        assert f"{{#defect-{defect.id} .cp-defect}}" in defects
        assert all(f"(#claim-{r})" in defects or f"(#event-{r})" in defects for r in defect.records), defect.id
    kinds = re.findall(r"^#### (.*) \((\d+)\) \{#defects-[a-z-]+\}$", defects, re.M)
    assert sum(int(n) for _, n in kinds) == len(real.defects) and len(kinds) == len(set(kinds))
    seen = reader_text(defects)
    for label in ("The paper says:", "What is right:", "Evidence, from the paper itself:", "Evidence, not verified:"):
        assert label in seen, label
    assert not DOUBLED.search(seen) and '" Right' not in seen
    # named by the defect: "in this record"; met only through a shared footnote: said so, not blamed
    named = sections.claim("free-trade-treaties-latam-2018")
    assert "Defects of the paper in this record: misreported figure" in reader_text(named)
    assert "(#defect-free-trade-treaties-are-partner-countries)" in named
    shared = reader_text(sections.claim("us-latam-trade-value"))
    assert "in this record" not in shared and "Defects at its footnote 35 that are not about this figure" in shared


def test_real_checks_table_is_one_block_a_phone_can_restyle(real):
    checks = Sections(Figures(real)).checks()
    assert checks.startswith("::: {.cp-checks}\n") and checks.rstrip().endswith(":::")
    assert checks.count("\n| ") == len(real.checks) + 1
