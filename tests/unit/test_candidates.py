"""What `claimpack init` proposes for the figures other authors print: signs, fractions, glued scales and
units, digit groups, ranges, statistics, shares, and the numbers that are not figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from claimpack.init.writer import init
from claimpack.validation.validate import validate


def _propose(tmp_path: Path, body: str) -> tuple[Path, set[tuple[str, str, str]], set[str]]:
    paper = tmp_path / "paper.md"
    paper.write_text(f"# A Paper\n\n## Results\n\n{body}\n", encoding="utf-8")
    root = init(paper, tmp_path / "package").root
    with (root / "data" / "claims.csv").open(encoding="utf-8") as handle:
        claims = {(row["figure"], row["value"], row["unit"]) for row in csv.DictReader(handle)}
    with (root / "validation" / "coverage-exclusions.csv").open(encoding="utf-8") as handle:
        excluded = {row["number"] for row in csv.DictReader(handle)}
    return root, claims, excluded


CASES = {
    "signs": ("The share rose by +3.9 in the poorest fifth, changed by −0.4 in the richest, and real wages by -1.8 "
              "per cent; the cohort of 60 -75 year-olds grew.",
              {("+3.9", "3.9", "count-change"), ("−0.4", "-0.4", "count-change"),
               ("-1.8 per cent", "-1.8", "percent-change")}),
    "past-a-hundred-percent": ("Prices rose by 150% in 2021 and by 12% in 2022.",
                               {("150%", "150", "percent-change"), ("12%", "12", "percent")}),
    "fractions": ("Of the £120m fund, one-third went to towns, two thirds of the rest to farms and a quarter of it "
                  "to roads. A third country joined.",
                  {("£120m", "120000000", "GBP"), ("one-third", "0.3333333333333333", "fraction"),
                   ("two thirds", "0.6666666666666666", "fraction"), ("a quarter", "0.25", "fraction")}),
    "half": ("About half of the deaths, and half the money, fell in the second half of 2019.",
             {("half", "0.5", "fraction")}),
    "glued": ("The line is 10km long, the plant makes 60MW and the budget is €4.5bn.",
              {("10km", "10", "km"), ("60MW", "60", "MW"), ("€4.5bn", "4500000000", "EUR")}),
    "statistics": ("Deaths rose by 3.4% (95% CI 2.8–4.1), with a risk ratio of 1.12 (OR 1.12).",
                   {("3.4%", "3.4", "percent"), ("2.8–4.1", "2.8", "count"), ("1.12", "1.12", "count")}),
    "ranges": ("Earlier studies found rates of 15 to 20 per 100,000, and the rate fell from 14 to 9.",
               {("15 to 20 per 100,000", "15", "per-100k"), ("14", "14", "count"), ("9", "9", "count")}),
    "points": ("The share rose by 3.9 percentage points.", {("3.9 percentage points", "3.9", "percentage-points")}),
    # a period before 1800 is within the schema's years: the Great Expectations suite reads them from it
    "early-years": ("In 1650 the city had 20,000 inhabitants, and by 1700 some 35,000.",
                    {("20,000", "20000", "count"), ("35,000", "35000", "count")}),
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> tuple[Path, dict[str, set[tuple[str, str, str]]]]:
    """init once on a paper with a section per case: its root and each section's claims."""
    directory = tmp_path_factory.mktemp("cases")
    paper = directory / "paper.md"
    paper.write_text("# Cases\n\n" + "".join(f"## {name}\n\n{body}\n\n" for name, (body, _) in CASES.items()),
                     encoding="utf-8")
    root = init(paper, directory / "package").root
    found: dict[str, set[tuple[str, str, str]]] = {}
    with (root / "data" / "claims.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["section"], set()).add((row["figure"], row["value"], row["unit"]))
    return root, found


@pytest.mark.parametrize("case", sorted(CASES))
def test_init_proposes_the_figure_as_printed(case, cases):
    _, found = cases
    assert CASES[case][1] <= found.get(case, set()), found.get(case)


@pytest.mark.slow
def test_the_cases_package_validates_in_every_layer(cases):
    """The Great Expectations suite bounds a percent to 0..100 and a period to the schema's years: a change
    ("150%", "−1.8 per cent") has a unit without that bound, and a period in 1650 is within them."""
    root, _ = cases
    assert [p.line() for p in validate(root).errors] == []


@pytest.mark.slow
def test_digit_groups_of_a_narrow_space_are_one_figure(tmp_path):
    _, claims, _ = _propose(tmp_path, "Athens counted 187\u202f412 deaths and 4\u00a0310 of them were due to heat.")
    assert {("187 412", "187412", "count"), ("4 310", "4310", "count")} <= claims


@pytest.mark.slow
def test_numbered_citations_are_excluded_not_claimed(tmp_path):
    """IEEE and Vancouver styles cite by number: [1], [2, 3], [4–6], [5]–[7] hold no figure."""
    _, claims, excluded = _propose(tmp_path, "Diesel costs US$0.40 per kWh [1]. A battery cut fuel use by 23% "
                                             "[2, 3] and emissions by 9% [4–6], [5]–[7].")
    assert {figure for figure, _, _ in claims} == {"US$0.40", "23%", "9%"}
    assert {"1", "2", "3", "4", "5", "6", "7"} <= excluded


@pytest.mark.slow
def test_a_name_with_a_number_is_excluded_not_claimed(tmp_path):
    _, claims, excluded = _propose(tmp_path, "The 4G network reached 120 towns by 9am.")
    assert {"4G", "9am"} <= excluded and {figure for figure, _, _ in claims} == {"120"}


@pytest.mark.slow
def test_a_paper_dated_before_a_work_it_cites_takes_that_works_year(tmp_path):
    paper = tmp_path / "paper.md"
    paper.write_text("---\ntitle: A Draft Paper\ndate: 2021-05-01\nreferences:\n  - id: later2023\n    type: book\n"
                     "    title: A Later Book\n    issued:\n      date-parts: [[2023]]\n---\n\n# Results\n\n"
                     "Some 40 towns took part [@later2023].\n", encoding="utf-8")
    result = init(paper, tmp_path / "package")
    assert any("dated 2021 but cites a work of 2023" in warning for warning in result.warnings)
    assert [p.line() for p in validate(result.root).errors] == []


@pytest.mark.slow
def test_an_author_date_paper_with_a_lettered_year_validates(tmp_path):
    """'(Smith 2019a, 4)' and 'Smith, B. 2019b.' are a year in a citation and a work of 2019; 'n.d.' and
    'Forthcoming' are no part of an author's name."""
    root, claims, excluded = _propose(tmp_path, "Wages rose by 12% (Smith 2019a, 4) and rents by 30% (Smith 2019b; "
                                                "Jones n.d.), and 45 towns shrank (Lee, forthcoming).\n\n"
                                                "## References\n\nJones, A. n.d. *Undated Notes*. Manuscript.\n\n"
                                                "Lee, K. Forthcoming. \"Firms.\" *Journal of Places*.\n\n"
                                                "Smith, B. 2019a. *Wages*. London: Press.\n\n"
                                                "Smith, B. 2019b. *Rents*. London: Press.\n")
    assert {figure for figure, _, _ in claims} == {"12%", "30%", "45"} and {"2019a", "2019b"} <= excluded
    with (root / "data" / "sources.csv").open(encoding="utf-8") as handle:
        sources = {row["id"]: (row["author"], row["issued"]) for row in csv.DictReader(handle)}
    assert sources["smith-2019"] == ("Smith, B.", "2019") and sources["smith-2019b"] == ("Smith, B.", "2019")
    assert sources["jones-nd"] == ("Jones, A.", "") and sources["lee-nd"] == ("Lee, K.", "")
    assert [p.line() for p in validate(root).errors] == []


@pytest.mark.slow
def test_a_span_that_is_no_figure_is_excluded_number_by_number(tmp_path):
    """A page range read as a backward range ("369–75") is two numbers to coverage: each is excluded."""
    root, claims, excluded = _propose(tmp_path, "The review (The Lancet 386: 369–75) counted 12 cities.")
    figures = {figure for figure, _, _ in claims}
    assert {"369", "75"} <= excluded and "12" in figures and not any("369" in figure for figure in figures)
    assert validate(root, skip=("expectations", "frictionless")).valid


@pytest.mark.slow
def test_a_run_of_thousands_of_number_words_is_read_without_recursing_through_it(tmp_path):
    """A figure in words goes on word by word ("one hundred twenty"): a paragraph of 3,000 number words once
    recursed once per word and failed with RecursionError; and a 100,000-letter word is no e-mail address."""
    from claimpack.init.names import _ADDRESS

    _root, claims, _excluded = _propose(tmp_path, "In 2019 the town spent $18.5 million. " + "one " * 3000)
    assert ("$18.5 million", "18500000", "USD") in claims
    assert _ADDRESS.search("A" * 100_000 + " no address") is None
    assert _ADDRESS.search("write to ann.smith+x@example.org today").group() == "ann.smith+x@example.org"


def test_the_papers_own_date_on_a_line_of_its_own_is_excluded_not_an_event():
    """A report's page header ("August 15, 2025 (R48632) Jump to Main Text of Report") gives the paper's own
    date: no event. A sentence on that day, a line with another date, or a paper whose day init does not know,
    still propose theirs."""
    from claimpack.init.candidates import propose
    from claimpack.init.events import OWN_DATE
    from claimpack.model.vocabulary import Vocabulary
    from claimpack.text.paper import Paper

    words = Vocabulary()
    paper = Paper.parse_blocks("# National Alerts\n\nAugust 15, 2025 (R48632) Jump to Main Text of Report\n\n"
                               "## History\n\nOn August 15, 2025 the agency held a test.\n\nUpdated March 3, 2024\n",
                               note_blocks=True)
    header, sentence, other = ("August 15, 2025 (R48632) Jump to Main Text of Report",
                               "On August 15, 2025 the agency held a test.", "Updated March 3, 2024")

    def proposed(paper_date: str):
        return propose(paper, words, {}, "crs-2025", words.pattern(words.cardinal_words), 2025, paper_date=paper_date)

    dated = proposed("2025-08-15")
    assert [event["event"] for event in dated.events] == [sentence, other]
    assert [(row["number"], row["reason"]) for row in dated.exclusions] == [("15", OWN_DATE), ("2025", OWN_DATE)]
    for unsure in ("", "2025"):  # the day unknown: the header stays an event for the reviewer to reject
        assert [event["event"] for event in proposed(unsure).events] == [header, sentence, other]


def test_the_same_number_in_the_same_words_is_excluded_once():
    """Repeated text ("§1 §1 §1 ...") proposes one exclusion for the run's middle, which coverage finds at every
    place its words occur, not one row a repetition (init wrote as many rows as numbers, then searched each:
    quadratic)."""
    from claimpack.init.candidates import propose
    from claimpack.model.vocabulary import Vocabulary
    from claimpack.text.paper import Paper

    words = Vocabulary()
    paper = Paper.parse_blocks("# A Paper\n\n## Law\n\n" + "§1 " * 500 + "\n\nIn 2019 the town spent $18.5 million.\n",
                               note_blocks=True)
    proposal = propose(paper, words, {}, "paper-2020", words.pattern(words.cardinal_words), 2020)
    assert [row["figure"] for row in proposal.claims] == ["$18.5 million"]
    rows = [(row["number"], row["context"]) for row in proposal.exclusions]
    # the words around a number differ only near the run's two ends (fewer words on one side)
    assert len(rows) == len(set(rows)) and len(rows) <= 16, rows


def test_a_cited_works_year_a_copyright_year_and_the_papers_year_alone_are_no_events():
    """A year that names a cited work ("Hassan et al. (2024)" of the sources, or any "(2015) [9]" a numbered
    citation follows), a copyright year ("© 2025") and the paper's year alone ("2025.", the end of a
    reference format's block) are excluded with their reasons; an event in the same paper is still proposed."""
    from claimpack.init.candidates import propose
    from claimpack.init.events import COPYRIGHT, OWN_DATE
    from claimpack.model.vocabulary import Vocabulary
    from claimpack.text.cites import Citations
    from claimpack.text.paper import Paper

    words = Vocabulary()
    paper = Paper.parse_blocks(
        "# Energy of Tools\n\n## Background\n\nHassan et al. (2024) emphasize security in every phase.\n\n"
        "One approach was Hindle's Green Mining (2015) [9], which related revisions to power.\n\n"
        "Ann Smith and Bo Li. 2025.\n\nTU Delft © 2025 Copyright held by the owner/author(s).\n\n"
        "In 2019 the Green Software Foundation was founded.\n", note_blocks=True)
    sources = [{"id": "hassan-2024", "author": "Hassan, Ali", "issued": "2024",
                "bibliography_entry": "Hassan, Ali, et al. 2024. Secure by design."}]
    proposal = propose(paper, words, {}, "smith-2025", words.pattern(words.cardinal_words), 2025,
                       in_text=Citations(sources), paper_date="2025")
    assert [event["event"] for event in proposal.events] == ["In 2019 the Green Software Foundation was founded."]
    reasons = [(row["number"], row["reason"]) for row in proposal.exclusions if len(row["number"]) == 4]
    assert reasons == [("2024", "a year in a citation, not a figure"), ("2015", "a year in a citation, not a figure"),
                       ("2025", OWN_DATE), ("2025", COPYRIGHT)]
