"""A number a careful reader would not call a figure is never a candidate: it is an exclusion with the
reason of its class. Ranks, multiples, glued units and qualifiers are read as the paper prints them.

One paper, a section per class (the sentences are other authors' kinds of writing, not their words);
init runs once, and the package must validate in every layer.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from claimpack.init.writer import init
from claimpack.text.paper import normalize
from claimpack.validation.validate import validate

LAW = "a legal or bill identifier"
PART = "the number of a section, table, figure"
VERSION = "a version or model number"
PAGE = "a page, volume, issue or note number"
DATE = "a date or a time of day"
ADDRESS = "part of a web address"
CODE = "a number in code or program output"
WORD = "used as a word here"

# section: (text, the claims (figure, value, unit, qualifier) it must hold exactly, {number: reason})
CASES = {
    "versions": ("The engine was Stockfish 14.1 under Python 3.11 on Windows 10 Pro version 10.0.19045, with "
                 "CUDA 12.6; each game took 16 seconds.",
                 {("16 seconds", "16", "s", "exact")},
                 {"14.1": VERSION, "3.11": VERSION, "10": VERSION, "10.0.19045": VERSION, "12.6": VERSION}),
    "numbering": ("Requirement 1.1 and Table 2 list the settings (see Figure 4, Eq. 3 and Sections 4 and 5); the "
                  "report explains (1) the model and (2) the cost of 45 clinics.",
                  {("45", "45", "count", "exact")},
                  {"1.1": PART, "2": PART, "4": PART, "3": PART, "5": PART, "1": PART}),
    "law": ("H.R. 8800 and P.L. 119-21 amend 50 U.S.C. §1701 under Section 232, as H.Rept. 119-698 and E.O. "
            "10312 explain; 16 Federal Register 12452 added 3 rules.",
            {("3", "3", "count", "exact")},
            {"8800": LAW, "119": LAW, "21": LAW, "50": LAW, "1701": LAW, "232": PART, "698": LAW, "10312": LAW,
             "16": LAW}),
    "pages": ("The review (vol. 117, no. 3, pp. 1711-1744, note 12) counted 88 cities.",
              {("88", "88", "count", "exact")},
              {"117": PAGE, "1711": PAGE, "1744": PAGE, "12": PAGE}),
    "dates": ("The test ran on 03/03/2022 at 14:30 and again on 6 feb 2026, 11:45 CET, with 14 phones.",
              {("14", "14", "count", "exact")}, {"03": DATE, "14": DATE, "30": DATE, "11": DATE, "45": DATE}),
    "addresses": ("See https://example.org/data/2023/report-12.pdf, doi:10.1145/3661167.3661262, ISBN "
                  "978-0-19-953556-9 or call 202-707-5700 for the 7 tables.",
                  {("7", "7", "count", "exact")},
                  {"12": ADDRESS, "10.1145": ADDRESS, "978": ADDRESS, "202": ADDRESS}),
    "code": ('Stats for 30 samples: { "time": { "mean": 154.8, "median": 154.7, "std": 0.14 }, "energy": '
             '{ "mean": 859.3 } }', set(), {"30": CODE, "154.8": CODE, "859.3": CODE}),
    "words": ("It ran once, on a single machine, one image at a time, and both the old and the new code were "
              "tested; both models agreed and Both of the reviewers signed.",
              {("Both", "2", "count", "exact")}, {"once": WORD, "single": WORD, "both": WORD}),
    "ranks": ("VS Code is the fourth most popular editor, ranked 17th out of 30 tools, and Ireland the "
              "13th-largest economy; we used the first 173 lines of the file.",
              {("fourth", "4", "rank", "exact"), ("17th", "17", "rank", "exact"), ("30", "30", "count", "exact"),
               ("13th-largest", "13", "rank", "exact"), ("173", "173", "count", "exact")}, {}),
    "multiples": ("The new model consumes twice as much energy, eight times its average, with a 2-fold gain and "
                  "a 60-second delay; the loop cycled 290 times a year on 12x 4.7GHz cores.",
                  {("twice", "2", "times", "exact"), ("eight", "8", "times", "exact"), ("2-fold", "2", "times",
                                                                                         "exact"),
                   ("60-second", "60", "s", "exact"), ("290", "290", "count", "exact"),
                   ("12x", "12", "times", "exact"), ("4.7GHz", "4.7", "GHz", "exact")}, {}),
    "scientific": ("The p-value was 1.24×10−5 and one kWh is 3.6×106 J.",
                   {("1.24×10−5", "1.24e-05", "count", "exact"), ("one kWh", "1", "kWh", "exact"),
                    ("3.6×106 J", "3600000", "J", "exact")}, {}),
    "glued": ("The laptop (TDP 35W) finished in 1s, 13s vs. 15s and approximately 0.60s for the rest; the 14B "
              "model and the 7M model ran in the 1990s style of the 80s.",
              {("35W", "35", "W", "exact"), ("1s", "1", "s", "exact"), ("13s", "13", "s", "exact"),
               ("15s", "15", "s", "exact"), ("0.60s", "0.6", "s", "approximately"),
               ("14B", "14000000000", "count", "exact"), ("7M", "7000000", "count", "exact")},
              {"80s": "a decade"}),
    "powers": ("A p-value of 1.065e-84 and 3.2E5 draws.",
               {("1.065e-84", "1.065e-84", "count", "exact"), ("3.2E5", "320000", "count", "exact")}, {}),
    "folds": ("Energy rose twofold, tripled in a year, and was more than double the cost; the double energy use "
              "of the model shows it. We double-check double quotes.",
              {("twofold", "2", "times", "exact"), ("tripled", "3", "times", "exact"),
               ("double", "2", "times", "more-than"), ("double", "2", "times", "exact")},
              {"double": "used as a word here"}),
    "counts": ("We kept 500 images for warm-up and 1500 for the measurements, the same 1500 images each run; "
               "in 1999 prices fell.",
               {("500", "500", "count", "exact"), ("1500", "1500", "count", "exact")}, {}),
    "articles": ("One recent study used one package and the small one, for one minute; only one of them "
                 "failed, one in five runs.",
                 {("one minute", "1", "min", "exact"), ("one", "1", "count", "exact"), ("five", "5", "count", "exact")},
                 {"one": "as an article"}),
    "equations": ("Energy per token = 0.3 × 3600 ≈ 2.16 J (4) for a one-time cost; grams (1 metric ton = 10^6 g) "
                  "over 10^4 runs and an AMD Ryzen 9 7900X.",
                  {("0.3", "0.3", "count", "exact"), ("3600", "3600", "count", "exact"),
                   ("2.16 J", "2.16", "J", "approximately"), ("10^4", "10000", "count", "over")},
                  {"4": PART, "10": "a unit's definition", "6": "a unit's definition", "9": VERSION,
                   "one": "as a pronoun or article"}),
    "tables": ("| Library | Energy (J) | Time [s] | Share (%) | Runs |\n|---|---|---|---|---|\n"
               "| vLLM | 4.63 | 12.5 | 40 | 30 |",
               {("4.63", "4.63", "J", "exact"), ("12.5", "12.5", "s", "exact"), ("40", "40", "percent", "exact"),
                ("30", "30", "count", "exact")}, {}),
    "vague": ("Millions of users, dozens of towns and tens of thousands of jobs were affected, and it scales to "
              "thousands or millions of predictions; cost is no longer the only parameter.",
              {("Millions", "1000000", "count", "more-than"), ("dozens", "12", "count", "more-than"),
               ("tens of thousands", "10000", "count", "more-than"), ("thousands", "1000", "count", "more-than"),
               ("millions", "1000000", "count", "more-than")}, {"only": WORD}),
    "qualifiers": ("The p-value was lower than 0.05; each batch held <200 images, within a 20% margin, over ~40 ms "
                   "and upwards of 300 runs.",
                   {("0.05", "0.05", "count", "less-than"), ("200", "200", "count", "less-than"),
                    ("20%", "20", "percent", "up-to"), ("40 ms", "40", "ms", "approximately"),
                    ("300", "300", "count", "more-than")}, {}),
}


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> tuple[Path, dict[str, set], dict[str, dict[str, str]]]:
    directory = tmp_path_factory.mktemp("precision")
    paper = directory / "paper.md"
    paper.write_text("---\ntitle: Precision by Class\nauthor:\n  - Ann Example\ndate: 2026-12-01\n---\n\n" +
                     "".join(f"# {name}\n\n{text}\n\n" for name, (text, _, _) in CASES.items()), encoding="utf-8")
    root = init(paper, directory / "package").root
    claims: dict[str, set] = {}
    with (root / "data" / "claims.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            claims.setdefault(row["section"], set()).add((row["figure"], row["value"], row["unit"], row["qualifier"]))
    reasons: dict[str, dict[str, str]] = {}
    with (root / "validation" / "coverage-exclusions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name, (text, _, _) in CASES.items():
                if normalize(row["context"]) in normalize(text):
                    reasons.setdefault(name, {}).setdefault(row["number"], row["reason"])
    return root, claims, reasons


@pytest.mark.parametrize("case", list(CASES))
def test_each_class_is_read_as_a_careful_reader_reads_it(package, case):
    _, claims, reasons = package
    _, expected_claims, expected_reasons = CASES[case]
    assert claims.get(case, set()) == expected_claims
    found = reasons.get(case, {})
    assert {number: reason for number, reason in expected_reasons.items() if reason not in found.get(number, "")} \
        == {}, found


@pytest.mark.slow
def test_the_package_validates_in_every_layer(package):
    root, _, _ = package
    assert [p.line() for p in validate(root).errors] == []
