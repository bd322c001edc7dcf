"""The report shows each claim's latest verdict and a summary by verdict, from the verifications log."""

from __future__ import annotations

import csv
import re

import pytest

from claimpack.report import Figures, Sections
from conftest import ROOT, copy_package, run_claimpack

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CLAIM, EVENT = "fms-sales-latam-2010-2015", "monroe-doctrine-speech-1823"


def rows(name: str) -> int:
    """How many records the real package holds (the data grows; the sentences must follow it)."""
    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


CLAIMS, EVENTS = rows("claims"), rows("events")


def test_without_verdicts_every_claim_says_so():
    sections = Sections(Figures.load(ROOT))
    assert sections.verdict_summary() == (
        f"No fact\\-checker has recorded a verdict yet on any of the {CLAIMS} claims or the {EVENTS} events\\.")
    assert "Fact-check: not yet verified." in sections.claim(CLAIM)
    assert sections.verdict_counts() == {"confirmed": 0, "disputed": 0, "corrected": 0, "unverifiable": 0,
                                        "not yet verified": CLAIMS}


@pytest.mark.slow
def test_the_latest_verdict_and_the_summary(tmp_path):
    root = copy_package(tmp_path / "package")
    for record, verdict, note, extra in (
            (CLAIM, "disputed", "first look", ()),
            (CLAIM, "corrected", "Page 81 gives <b>2.2</b> [x](javascript:alert(1))",
             ("--value", "2.2e9", "--evidence", "https://www.wola.org/analysis/")),
            ("imet-trainees-latam-2000-2017", "confirmed", "page 104", ()),
            (EVENT, "unverifiable", "no copy at hand", ())):
        done = run_claimpack("verify", record, "--verdict", verdict, "--by", "R. Checker", "--note", note, *extra,
                             cwd=root)
        assert done.returncode == 0, done.stderr
    sections = Sections(Figures.load(root))
    assert sections.verdict_summary() == (
        f"By their latest verdict\\: of the {CLAIMS} claims\\, 1 confirmed\\, 1 corrected and {CLAIMS - 2} not yet "
        f"verified\\; of the {EVENTS} events\\, 1 unverifiable and {EVENTS - 1} not yet verified\\.")
    block = sections.claim(CLAIM)
    line = next(line for line in block.splitlines() if line.startswith("Fact-check:"))
    stamp = sections.model.latest[CLAIM].timestamp
    date = f"{int(stamp[8:10])} {MONTHS[int(stamp[5:7]) - 1]} {stamp[:4]}"  # written out, as prose is
    note = r"Page 81 gives \<b\>2\.2\<\/b\> \[x\]\(javascript\:alert\(1\)\)"  # every markup character escaped
    assert line == (f"Fact-check: **corrected** by R\\. Checker on {date}: {note} "
                    "(value found: US\\$2\\.2 billion). "
                    "Evidence: [https\\:\\/\\/www\\.wola\\.org\\/analysis\\/](<https://www.wola.org/analysis/>).")
    assert "<b>" not in line and "](javascript" not in line
    assert "Fact-check: **confirmed**" in sections.claim("imet-trainees-latam-2000-2017")


def test_the_fact_checkers_notes_carry_the_summary_without_a_typed_figure():
    text = (ROOT / "report" / "index.qmd").read_text(encoding="utf-8")
    notes = text.split("## Notes for fact-checkers", 1)[1].split("\n## ", 1)[0]
    paragraph = notes[notes.index("### Verification"):].split("\n\n", 2)[1]
    assert "`{python} S.verdict_summary()`" in paragraph
    assert not re.search(r"\d", re.sub(r"`\{python\}[^`]*`", "", paragraph))
