"""Every note and bibliography entry parsed into works: one source row per distinct work, short forms resolved."""

from __future__ import annotations

import csv

import pytest

from claimpack.text.references import legal_citations, parse_reference, people, split_citations


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("printed", "expected"), [
    # APA (a blog's notes)
    ("Sohan, M., Sai Ram, T., Rami Reddy, C.V. (2024). A Review on YOLOv8 and Its Advancements. In: Jacob, I.J. "
     "(eds) Data Intelligence and Cognitive Informatics. Springer, Singapore. https://doi.org/10.1007/978-981-99-7962-2_39",
     {"author": "Sohan, M.; Sai Ram, T.; Rami Reddy, C.V.", "title": "A Review on YOLOv8 and Its Advancements",
      "issued": "2024", "doi": "10.1007/978-981-99-7962-2_39"}),
    ("Ultralytics. (n.d.). YOLOv8 models documentation. Retrieved February 22, 2026, from "
     "https://docs.ultralytics.com/models/yolov8/",
     {"author": "Ultralytics", "title": "YOLOv8 models documentation", "accessed": "2026-02-22",
      "url": "https://docs.ultralytics.com/models/yolov8/", "type": "webpage"}),
    # a Congressional Research Service note: body, italic title, date, page, address
    ("The White House, *National Drug Control Strategy*, September 5, 1989, p. 7, "
     "https://www.ojp.gov/pdffiles1/ondcp/119466.pdf.",
     {"author": "The White House", "title": "National Drug Control Strategy", "issued": "1989-09-05", "page": "7",
      "url": "https://www.ojp.gov/pdffiles1/ondcp/119466.pdf"}),
    ("Margaret E. Noonan and Christopher J. Mumola, *Veterans in State and Federal Prison, 2004*, BJS, NCJ 217199, "
     "May 2007, pp. 5-6, https://bjs.ojp.gov/document/vsfp04.pdf.",
     {"author": "Noonan, Margaret E.; Mumola, Christopher J.", "title": "Veterans in State and Federal Prison, 2004",
      "issued": "2007-05", "type": "report"}),
    # Chicago: an article in a journal
    ('Steven E. Vance, "Federal Reentry Court Programs: A Summary of Recent Evaluations," *Federal Probation*, '
     "vol. 75, no. 2 (September 2011)",
     {"author": "Vance, Steven E.", "title": "Federal Reentry Court Programs: A Summary of Recent Evaluations",
      "container_title": "Federal Probation", "volume": "75", "issue": "2", "issued": "2011-09",
      "type": "article-journal"}),
    # IEEE, numbered
    ('[3] J. Smith and A. Jones, "Energy of containers," in Proc. ICSE, 2020, pp. 1-10. doi:10.1145/3661167.3661262',
     {"label": "3", "author": "Smith, J.; Jones, A.", "title": "Energy of containers", "container_title": "Proc. ICSE",
      "issued": "2020", "page": "1-10", "doi": "10.1145/3661167.3661262", "type": "paper-conference"}),
    # ACM author-year
    ("Mamdouh Alenezi and Mohammad Zarour. 2020. On the relationship between software complexity and security. "
     "In International Journal of Software Engineering & Applications. doi:10.5121/ijsea.2020.11105",
     {"author": "Alenezi, Mamdouh; Zarour, Mohammad", "issued": "2020",
      "title": "On the relationship between software complexity and security",
      "container_title": "International Journal of Software Engineering & Applications"}),
])
def test_a_reference_as_printed_becomes_its_fields(printed, expected):
    found = parse_reference(printed)
    assert {key: found.get(key) for key in expected} == expected


def test_legal_citations_are_works_named_by_their_citation():
    cites = legal_citations("See 47 U.S.C. §606(c), 47 C.F.R. §10.41, P.L. 119-21, 139 Stat. 72, H.R. 8800 and "
                            "Executive Order 14028.")
    assert [(c["title"], c["type"]) for c in cites] == [
        ("47 U.S.C. §606", "legislation"), ("47 C.F.R. §10.41", "legislation"), ("P.L. 119-21", "legislation"),
        ("139 Stat. 72", "legislation"), ("H.R. 8800", "legislation"), ("Executive Order 14028", "legislation")]


@pytest.mark.parametrize(("printed", "expected"), [
    ("DOJ, Office of Justice Programs (OJP)", "DOJ, Office of Justice Programs (OJP)"),
    ("Laura M. Maruschak et al.", "Maruschak, Laura M."),
    ("Isaac Robinson, P. Robicheaux, & N. Peri", "Robinson, Isaac; Robicheaux, P.; Peri, N."),
    ("Danielle E. M. van Dijl", "van Dijl, Danielle E. M."),
])
def test_authors_are_people_inverted_and_bodies_as_printed(printed, expected):
    assert people(printed) == expected


def test_a_note_is_cut_into_its_citations_not_at_abbreviations():
    note = ("DOJ, OJP states there were 3,881 drug courts in the U.S. as of May 2025. See DOJ, OJP, *Drug Treatment "
            "Courts*, May 2025, https://www.ojp.gov/a.pdf; and P.L. 119-21.")
    assert split_citations(note) == [
        "DOJ, OJP states there were 3,881 drug courts in the U.S. as of May 2025.",
        "See DOJ, OJP, *Drug Treatment Courts*, May 2025, https://www.ojp.gov/a.pdf", "P.L. 119-21."]


PAPER = """---
title: Notes of every kind
author: Ada Lovelace
date: 2026-03-01
---

# Findings

Grid losses reached 4.5% of output.[^1] Prices rose 12% that winter.[^2] Alerts reached 93% of phones.[^3] The
law set up a fund of $5 million.[^4] Losses then fell 2% a year.[^5] Trust stood at 61% of those asked.[^6] Use
grew 30% among the young.[^7] The program served 1,200 people.[^8] Half of them, 600 people, were over 60.

[^1]: Sohan, M., & Reddy, C. V. (2024). A review of grid losses. *Energy Policy*, 12(3), 45–67.
    https://doi.org/10.1016/j.enpol.2024.01.001
[^2]: Ibid., p. 50.
[^3]: Federal Communications Commission (FCC), *Report: October 4, 2023 Nationwide Test*, April 2024, p. 7,
    https://docs.fcc.gov/public/attachments/DOC-403500A1.pdf (hereinafter *FCC Test Report*).
[^4]: See 47 U.S.C. §606(c) and P.L. 119-21.
[^5]: *FCC Test Report*, p. 9.
[^6]: Hamilton Bean and Nels Grevstad, "Wireless Emergency Alerts: Public Understanding," *Journal of
    Contingencies*, vol. 31, no. 2 (June 2023).
[^7]: Bean and Grevstad, supra note 6, p. 4.
[^8]: Staff counted them by hand in March 2026; see https://docs.fcc.gov/public/attachments/DOC-403500A1.pdf.
"""


def test_init_makes_one_source_per_work_and_resolves_every_short_form(tmp_path):
    from claimpack.init.writer import init

    paper = tmp_path / "paper.md"
    paper.write_text(PAPER, encoding="utf-8")
    result = init(paper, tmp_path / "package")
    sources = rows(result.root / "data" / "sources.csv")
    assert [(s["id"], s["type"], s["author"], s["title"], s["issued"]) for s in sources] == [
        ("lovelace-2026", "report", "Lovelace, Ada", "Notes of every kind", "2026-03-01"),
        ("sohan-2024", "article-journal", "Sohan, M.; Reddy, C. V.", "A review of grid losses", "2024"),
        ("federal-communications-commission-2024", "report", "Federal Communications Commission (FCC)",
         "Report: October 4, 2023 Nationwide Test", "2024-04"),
        ("47-usc-606", "legislation", "", "47 U.S.C. §606", ""),
        ("pl-119-21", "legislation", "", "P.L. 119-21", ""),
        ("bean-2023", "article-journal", "Bean, Hamilton; Grevstad, Nels",
         "Wireless Emergency Alerts: Public Understanding", "2023-06"),
    ]
    citations = rows(result.root / "data" / "citations.csv")
    assert [(c["footnote"], c["source_id"], c["locator"], c["ibid"]) for c in citations] == [
        ("1", "sohan-2024", "", "false"), ("2", "sohan-2024", "50", "true"),
        ("3", "federal-communications-commission-2024", "7", "false"), ("4", "47-usc-606", "", "false"),
        ("4", "pl-119-21", "", "false"), ("5", "federal-communications-commission-2024", "9", "false"),
        ("6", "bean-2023", "", "false"), ("7", "bean-2023", "4", "false"),
        ("8", "federal-communications-commission-2024", "", "false")]
    claims = {c["figure"]: (c["footnote"], c["source_id"], c["locator"]) for c in rows(result.root / "data" /
                                                                                           "claims.csv")}
    assert claims["4.5%"] == ("1", "sohan-2024", "")
    assert claims["12%"] == ("2", "sohan-2024", "50")
    assert claims["$5 million"] == ("4", "47-usc-606", "")
    assert claims["1,200"] == ("8", "federal-communications-commission-2024", "")
    assert claims["600"] == ("", "lovelace-2026", "")  # after the last note: the paper's own figure


def test_a_conference_paper_and_a_case_are_sources_of_a_type_the_schema_lists(tmp_path):
    from claimpack.init.writer import init
    from claimpack.validation.validate import validate

    paper = tmp_path / "paper.md"
    paper.write_text("# Findings\n\nLosses reached 4.5% of output.[^1] The court allowed 12 claims.[^2]\n\n"
                     '[^1]: J. Smith, "Energy of containers," in Proc. ICSE, 2020, pp. 1-10.\n\n'
                     "[^2]: Brown v. Board of Education, 347 U.S. 483 (1954).\n", encoding="utf-8")
    result = init(paper, tmp_path / "package")
    assert [(s["id"], s["type"]) for s in rows(result.root / "data" / "sources.csv")][1:] == [
        ("smith-2020", "chapter"), ("brown-v-board-of-education-347-us-483", "legislation")]
    report = validate(result.root)
    assert report.valid, [p.message for p in report.problems]
