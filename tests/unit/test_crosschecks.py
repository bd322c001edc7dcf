"""Cross-checks (warnings): each kind is found, with its exact warning, on a small known-bad edit.

A fixture is tests/fixtures/crosscheck/<defect>/defect.json: edits to a copy of the real
package (the same edit language as tests/fixtures/bad) and the exact warning lines the edit adds
to those of the real package. The real package's own disagreements are listed here in full.
"""

from __future__ import annotations

import json

import pytest

from claimpack.model.package import Package
from claimpack.validation.layers.crosschecks import check, consistent, hosts, page_range, pages, printed_title
from claimpack.validation.validate import settled
from conftest import FIXTURES, ROOT, apply_defect, copy_package, invoke_claimpack, rehash_copy, run_claimpack

CASES = sorted((path.parent.name, json.loads(path.read_text(encoding="utf-8")))
               for path in (FIXTURES / "crosscheck").glob("*/defect.json"))
KINDS = {  # every kind of cross-check the issue names, and the fixture that proves it
    "author spelling": "author-misspelled",
    "title as printed": "title-capitalised-differently",
    "title missing": "title-different",
    "URL domain": "url-other-domain",
    "page outside range": "page-outside-article",
    "work missing from the bibliography": "work-missing-from-bibliography",
    "work never cited": "work-never-cited",
    "same quantity twice": "same-quantity-twice",
    "derived claim recomputed": "derived-claim-miscomputed",
}

# What this paper's footnotes and bibliography disagree on: each recorded in defects.csv (so reported as
# recorded, not as a warning) and in a note in sources.csv.
PAPER = [
    "data/citations.csv:7: cited_as: footnote 6 prints the title as 'US- Latin American Relations During the Cold "
    "War and Its Aftermath', the bibliography as 'US-Latin American Relations During the Cold War and Its "
    "Aftermath' (expected the same capitalisation and spacing) [recorded as defect dominguez-title-spacing]",
    "data/citations.csv:8: cited_as: footnotes 7, 24, 26, 29, 32 print the title as 'The Third Century: U.S.- "
    "Latin American Relations since 1889', the bibliography as 'The Third Century: U.S.-Latin American Relations "
    "since 1889' (expected the same capitalisation and spacing) [recorded as defect gilderhus-title-spacing]",
    "data/citations.csv:19: locator: footnote 17 cites page 136, but the bibliography gives calderon-1919 only "
    "page 133 (expected the article's page range in the bibliography, including page 136)"
    " [recorded as defect calderon-page-outside-range]",
    "data/citations.csv:49: cited_as: footnote 47 spells 'Kinoshian' where the bibliography has 'Kinosian' "
    "(expected Kinosian as in the bibliography entry) [recorded as defect isacson-kinosian-spelling]",
    "data/citations.csv:57: cited_as: footnote 55 links to dscamilitary.com where the bibliography links to "
    "dsca.mil (expected the same web address in both) [recorded as defect dsca-mission-url-domain]",
    "data/citations.csv:60: cited_as: footnote 58 prints the title as 'DOD Directive 5132.03: DOD Policy and "
    "Responsibilities Relating to Security Cooperation', the bibliography as 'DoD Directive 5132.03: DoD Policy "
    "and Responsibilities Relating to Security Cooperation' (expected the same capitalisation and spacing) "
    "[recorded as defect dod-directive-capitalisation]",
    "data/citations.csv:62: cited_as: footnote 60 prints the title as 'DOD Directive 5132.03', the bibliography as "
    "'DoD Directive 5132.03' (expected the same capitalisation and spacing)"
    " [recorded as defect dod-directive-capitalisation]",
    "data/citations.csv:67: cited_as: footnote 65 prints the title as \"S. Res. 368: Supporting Efforts by the "
    "Government of Colombia to Pursue Peace and the End of the Country's Enduring Internal Armed Conflict and "
    "Recognizing United States Support for Colombia at the 15th Anniversary of Plan Colombia\", the bibliography "
    "as 'S. Res. 368: Supporting efforts by the Government of Colombia to pursue peace and the end of the "
    "country’s enduring internal armed conflict and recognizing United States support for Colombia at the 15th "
    "anniversary of Plan Colombia' (expected the same capitalisation and spacing)"
    " [recorded as defect s-res-368-title-capitalisation]",
    "data/sources.csv:24: bibliography_entry: the bibliography prints the first author of tarver-slape-2016 as "
    "'Ph.D, H. Micheal Tarver' where footnote 11 has 'H. Micheal Tarver Ph.D' (expected the entry to begin with "
    "the family name 'Tarver') [recorded as defect tarver-author-order]",
]


def warnings(root) -> list[str]:
    """The cross-checks' findings as validation reports them: settled against defects.csv."""
    package = Package.load(root)
    problems, info = settled(package, *check(package))
    assert all(p.severity in ("warning", "recorded") and p.layer == "crosscheck" for p in problems)
    assert info["errors"] == 0 and info["warnings"] + info["recorded"] == len(problems)
    return [p.line() for p in problems]


def test_the_papers_own_disagreements_are_found_exactly():
    assert warnings(ROOT) == PAPER


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_each_known_bad_edit_adds_exactly_its_warnings(tmp_path, name, case):
    assert case["defect"] == name and case["description"]
    root = copy_package(tmp_path / "package")
    apply_defect(root, case)
    found = warnings(root)
    assert [line for line in found if line not in PAPER] == case["warnings"]
    assert set(PAPER) <= set(found), "an edit elsewhere must not hide the paper's own findings"


def test_every_kind_of_cross_check_has_a_fixture_that_finds_it():
    by_name = dict(CASES)
    for kind, name in KINDS.items():
        assert by_name[name]["warnings"], f"{kind}: {name} finds nothing"


def test_a_derived_claim_within_its_printed_precision_is_not_flagged():
    """statcheck's rule: 56.45% printed as 56% is right; 65% is not."""
    by_name = dict(CASES)
    assert by_name["derived-claim-rounded"]["warnings"] == []
    assert "56.45" in by_name["derived-claim-miscomputed"]["warnings"][0]


def test_validate_prints_the_cross_checks_as_warnings_that_do_not_fail(tmp_path):
    root = copy_package(tmp_path / "package")
    apply_defect(root, dict(CASES)["page-outside-article"])
    result = invoke_claimpack("validate", "--skip", "expectations", cwd=root)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert dict(CASES)["page-outside-article"]["warnings"][0] in result.stdout.splitlines()


# ---- the helpers, on the forms this paper prints ------------------------------------------------
@pytest.mark.parametrize(("printed", "expected"), [
    ("635–76", (635, 676)), ("99–123", (99, 123)), ("133", (133, 133)), ("1198-201", (1198, 1201)),
    ("xii", None), ("", None)])
def test_page_ranges_as_bibliographies_print_them(printed, expected):
    assert page_range(printed) == expected


def test_locators_name_every_page():
    assert pages("636, 643, 648, 649") == [636, 643, 648, 649]
    assert pages("29-30") == [29, 30]


def test_printed_title_takes_the_outer_italics_or_quotes():
    entry = "Ruys, Tom. *“Armed Attack” and Article 51 of the UN Charter*. Cambridge: CUP, 2010."
    assert printed_title(entry) == '"Armed Attack" and Article 51 of the UN Charter'
    assert printed_title('Miller, Lynn H. "The Idea and the Reality." *Global Governance* 5') == (
        "The Idea and the Reality")


def test_hosts_read_protocol_relative_and_www_addresses():
    assert hosts("[//www.unodc.org/x](http://www.unodc.org/x)") == {"unodc.org"}
    assert hosts("//2009-2017.state.gov/p/wha") == {"2009-2017.state.gov"}


@pytest.mark.parametrize(("value", "recomputed", "figure", "qualifier", "ok"), [
    (56, 56.45, "56%", "exact", True),
    (56.5, 56.45, "56.5%", "exact", True),
    (57, 56.45, "57%", "exact", False),
    (2.3e9, 2.26e9, "$2.3 billion", "exact", True),
    (2.3e9, 2.2e9, "$2.3 billion", "exact", False),
    (58, 56.45, "58%", "approximately", True),
    (60, 56.45, "60%", "approximately", False),
    (3000, 3200, "3,000", "more-than", True),
    (3000, 2800, "3,000", "more-than", False),
])
def test_consistent_allows_rounding_and_the_qualifier(value, recomputed, figure, qualifier, ok):
    assert consistent(value, recomputed, figure, qualifier) is ok


# ---- findings the defects table records --------------------------------------------------------
def test_without_its_defect_a_recorded_finding_is_a_warning_again(tmp_path):
    root = copy_package(tmp_path / "package")
    defects = root / "data" / "defects.csv"
    lines = defects.read_text(encoding="utf-8").splitlines(keepends=True)
    defects.write_text("".join(line for line in lines if not line.startswith("isacson-kinosian-spelling,")),
                       encoding="utf-8")
    rehash_copy(root)
    found = warnings(root)
    assert ("data/citations.csv:49: cited_as: footnote 47 spells 'Kinoshian' where the bibliography has 'Kinosian' "
            "(expected Kinosian as in the bibliography entry) [warning]") in found
    assert sum(line.endswith("[warning]") for line in found) == 1


def test_a_defect_whose_finding_is_no_longer_made_is_stale(tmp_path):
    root = copy_package(tmp_path / "package")
    apply_defect(root, {"edits": [
        {"file": name, "find": "Adam Isacson and Sarah Kinoshian", "replace": "Adam Isacson and Sarah Kinosian"}
        for name in ("data/citations.csv", "data/footnotes.csv")]})
    found = warnings(root)
    assert not any("Kinoshian" in line for line in found)
    assert [line for line in found if line.endswith("[warning]")] == [
        "data/defects.csv:5: crosscheck: defect isacson-kinosian-spelling records the cross-check finding "
        "'author-spelling', which the cross-checks no longer make (expected a finding still made; otherwise correct "
        "the row, or give it origin review) [warning]"]


def test_quiet_validate_leaves_recorded_findings_out(tmp_path):
    loud = run_claimpack("validate", "--skip", "expectations", "--skip", "frictionless", cwd=ROOT)
    quiet = run_claimpack("validate", "-q", "--skip", "expectations", "--skip", "frictionless", cwd=ROOT)
    assert loud.returncode == quiet.returncode == 0
    assert sum("[recorded as defect " in line for line in loud.stdout.splitlines()) == len(PAPER)
    assert quiet.stdout == ""
    assert f"0 warning(s), {len(PAPER)} recorded as defects" in quiet.stderr
