"""Every note and bibliography entry parsed into works: one source row per distinct work, short forms resolved."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from claimpack.text import csl
from claimpack.text.references import (
    legal_citations,
    parse_reference,
    people,
    rejoin_addresses,
    split_citations,
    unmarked_citation,
)


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


@pytest.mark.parametrize(("printed", "expected"), [
    # biblatex's numeric style: names in reading order, an unmarked title, the year, an arXiv identifier and an
    # address TeX stretched between its characters
    ("[1] Rajkumar Buyya, Shashikant Ilager, and Patricia Arroba. Energy-Efficiency and Sustainability in New "
     "Generation Cloud Computing. 2023. arXiv: 2303 . 10572 [cs.DC]. url: https : / / arxiv . org/abs/2303.10572.",
     {"label": "1", "author": "Buyya, Rajkumar; Ilager, Shashikant; Arroba, Patricia",
      "title": "Energy-Efficiency and Sustainability in New Generation Cloud Computing", "issued": "2023",
      "url": "https://arxiv.org/abs/2303.10572", "type": "article"}),
    # et al. ends the names; a title's question mark before the year ends it; the identifier's digits are no year
    ("[53] Reem Aleithan et al. SWE-Bench+: Enhanced Coding Benchmark for LLMs? 2024. arXiv: 2410. 06992 [cs.SE].",
     {"author": "Aleithan, Reem", "title": "SWE-Bench+: Enhanced Coding Benchmark for LLMs?", "issued": "2024",
      "url": "https://arxiv.org/abs/2410.06992"}),
    # a subtitle after a question mark goes on; quotes inside the title are no title of their own
    ('You Wang, Michael Pradel, and Zhongxin Liu. Are "Solved Issues" in SWE-bench Really Solved Correctly? An '
     "Empirical Study. 2025.",
     {"author": "Wang, You; Pradel, Michael; Liu, Zhongxin",
      "title": 'Are "Solved Issues" in SWE-bench Really Solved Correctly? An Empirical Study', "issued": "2025"}),
    # an organisation as author; an access date cut short is none
    ("[37] NVIDIA. TensorRT-LLM. Accessed: 2024-03-29. 2024. url: https : / / github . com / NVIDIA / TensorRT-LLM.",
     {"author": "NVIDIA", "title": "TensorRT-LLM", "accessed": "2024-03-29", "issued": "2024",
      "url": "https://github.com/NVIDIA/TensorRT-LLM", "type": "webpage"}),
    ("[9] MLC team. MLC-LLM. 2023-2025. url: https: //github.com/mlc-ai/mlc-llm.",
     {"author": "MLC team", "title": "MLC-LLM", "url": "https://github.com/mlc-ai/mlc-llm"}),
    ("[33] NVIDIA. FasterTransformer. Accessed: 2024-03-", {"author": "NVIDIA", "title": "FasterTransformer",
                                                           "accessed": None}),
    # no author: the title, then who publishes it, then the date
    ("[43] Benchmarking LLM Inference Backends. BentoML. 2023. url: https://www.bentoml.com/blog/benchmarking "
     "(visited on 07/18/2024).",
     {"author": None, "title": "Benchmarking LLM Inference Backends", "publisher": "BentoML",
      "url": "https://www.bentoml.com/blog/benchmarking"}),
    ("[47] Oct. 2023. url: https : / / github . com / huggingface/text-generation-inference.",
     {"author": None, "title": "https://github.com/huggingface/text-generation-inference"}),
    # a quoted title, then the venue after "In:"; a DOI set apart
    ("[17] Emma Strubell, Ananya Ganesh, and Andrew McCallum. \u201cEnergy and Policy Considerations for Deep "
     "Learning in NLP\u201d. In: Proceedings of the 57th Annual Meeting of the ACL. Florence, Italy, July 2019, "
     "pp. 3645\u20133650. doi: 10 . 18653 / v1 / P19 - 1355.",
     {"author": "Strubell, Emma; Ganesh, Ananya; McCallum, Andrew",
      "title": "Energy and Policy Considerations for Deep Learning in NLP", "doi": "10.18653/v1/P19-1355",
      "page": "3645\u20133650", "type": "paper-conference"}),
])
def test_a_numbered_reference_in_reading_order_becomes_its_fields(printed, expected):
    found = parse_reference(printed)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(("printed", "expected"), [
    ("url: https : / / arxiv . org/abs/2303.10572. Next", "url: https://arxiv.org/abs/2303.10572. Next"),
    ("https://www.docker.com/blog/docker-and-hugging - face - partner - to - ai/.",
     "https://www.docker.com/blog/docker-and-hugging-face-partner-to-ai/."),
    ("https: //github.com/mlc- ai/mlc- llm (visited on 07/18/2024)",
     "https://github.com/mlc-ai/mlc-llm (visited on 07/18/2024)"),
    ("doi: 10 . 18653 / v1 / P19 - 1355. url: x", "doi: 10.18653/v1/P19-1355. url: x"),
    # no sign of spacing: as printed
    ("see https://example.org/ and more", "see https://example.org/ and more"),
    ("https://example.org/a - a page", "https://example.org/a - a page"),
])
def test_an_address_a_pdf_spaced_out_is_whole_again_and_no_other(printed, expected):
    assert rejoin_addresses(printed) == expected


def test_legal_citations_are_works_named_by_their_citation():
    cites = legal_citations("See 47 U.S.C. §606(c), 47 C.F.R. §10.41, P.L. 119-21, 139 Stat. 72, H.R. 8800 and "
                            "Executive Order 14028.")
    # a public law and its page of the Statutes at Large are one work; an executive order is named in full
    assert [(c["title"], c["type"]) for c in cites] == [
        ("47 U.S.C. §606", "legislation"), ("47 C.F.R. §10.41", "regulation"),
        ("P.L. 119-21, 139 Stat. 72", "legislation"), ("H.R. 8800", "bill"),
        ("Executive Order 14028", "legislation")]
    assert [c["title"] for c in legal_citations("E.O. 11092 of 1963; Executive Order (E.O.) 10312; WARN Act "
                                                "§602(b)(E); H.Rept. 118-740; P.L. 119-21 and 139 Stat. 9")] == [
        "Executive Order 11092", "Executive Order 10312", "WARN Act §602", "H.Rept. 118-740", "P.L. 119-21",
        "139 Stat. 9"]


@pytest.mark.parametrize(("printed", "expected"), [
    ("DOJ, Office of Justice Programs (OJP)", "DOJ, Office of Justice Programs (OJP)"),
    ("Laura M. Maruschak et al.", "Maruschak, Laura M."),
    ("Isaac Robinson, P. Robicheaux, & N. Peri", "Robinson, Isaac; Robicheaux, P.; Peri, N."),
    ("Danielle E. M. van Dijl", "van Dijl, Danielle E. M."),
])
def test_authors_are_people_inverted_and_bodies_as_printed(printed, expected):
    assert people(printed) == expected


def test_a_citation_that_ends_with_its_address_and_goes_on_with_and_a_title_is_two():
    assert split_citations("See DOJ, OJP, *BJA FY25 Program*, https://www.ojp.gov/a.pdf and *Frequently Asked "
                           "Questions*, March 2023, https://www.ojp.gov/faq.") == [
        "See DOJ, OJP, *BJA FY25 Program*, https://www.ojp.gov/a.pdf",
        "*Frequently Asked Questions*, March 2023, https://www.ojp.gov/faq."]
    assert split_citations("Smith, *Rivers and Lakes*, 2020.") == ["Smith, *Rivers and Lakes*, 2020."]


@pytest.mark.parametrize("comment", [
    "CRS identified these evaluations by searching for drug courts on September 8, 2026.",
    "These include costs associated with arrest, booking, court, jail, and probation.",
    "Excluding military-operated facilities.", "Staff counted them by hand in March 2026.",
])
def test_the_authors_own_sentence_is_no_unmarked_citation(comment):
    assert unmarked_citation(comment) is None


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


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_conference_paper_and_a_case_are_sources_of_their_own_csl_type(tmp_path):
    from claimpack.init.writer import init
    from claimpack.validation.validate import validate

    paper = tmp_path / "paper.md"
    paper.write_text("# Findings\n\nLosses reached 4.5% of output.[^1] The court allowed 12 claims.[^2]\n\n"
                     '[^1]: J. Smith, "Energy of containers," in Proc. ICSE, 2020, pp. 1-10.\n\n'
                     "[^2]: Brown v. Board of Education, 347 U.S. 483 (1954).\n", encoding="utf-8")
    result = init(paper, tmp_path / "package")
    assert [(s["id"], s["type"]) for s in rows(result.root / "data" / "sources.csv")][1:] == [
        ("smith-2020", "paper-conference"), ("brown-v-board-of-education-347-us-483", "legal_case")]
    report = validate(result.root)
    assert report.valid, [p.message for p in report.problems]
    descriptor = json.loads((result.root / "datapackage.json").read_text(encoding="utf-8"))
    sources = next(r for r in descriptor["resources"] if r["name"] == "sources")
    enum = next(f for f in sources["schema"]["fields"] if f["name"] == "type")["constraints"]["enum"]
    assert enum == list(csl.TYPES) and len(enum) == 45  # every type of CSL 1.0.2, from its one list


def test_every_csl_type_has_its_biblatex_and_schema_org_types():
    from claimpack.model.bibliography import biblatex_fields

    assert {"dataset", "software", "report", "legal_case", "bill", "post-weblog", "standard"} <= set(csl.TYPES)
    for name in csl.TYPES:
        assert csl.kind(name).biblatex and csl.kind(name).schema_org
        assert biblatex_fields({"id": "w", "type": name, "title": "T"})[0] == csl.kind(name).biblatex
    assert csl.kind("no-such-type") == csl.kind("document")


NUMBERED = Path(__file__).resolve().parents[1] / "papers" / "pdf" / "latex-numbered-references.pdf"


@pytest.mark.slow
def test_a_pdfs_numbered_bibliography_becomes_one_source_per_entry_and_validates(tmp_path):
    """pdfLaTeX's PDF of a biblatex-style numbered list (tests/papers/pdf/latex-numbered-references.tex): names in
    reading order, unmarked titles, stretched addresses, a work listed twice (a row of its own that says so)."""
    from claimpack.init.writer import init
    from claimpack.validation.validate import validate

    result = init(NUMBERED, tmp_path / "package")
    sources = rows(result.root / "data" / "sources.csv")
    assert [(s["id"], s["type"], s["author"], s["title"], s["url"]) for s in sources][1:] == [
        ("buyya-2023", "article", "Buyya, Rajkumar; Ilager, Shashikant; Arroba, Patricia",
         "Energy-Efficiency and Sustainability in New Generation Cloud Computing: A Vision and Directions for "
         "Integrated Management of Data Centre Resources and Workloads", "https://arxiv.org/abs/2303.10572"),
        ("kwon-2023", "paper-conference", "Kwon, Woosuk",
         "Efficient Memory Management for Large Language Model Serving with PagedAttention", ""),
        ("vllm-team-2023", "webpage", "vLLM Team", "vLLM Documentation", "https://docs.vllm.ai/en/latest/"),
        ("holistic-ai-team-2024", "webpage", "Holistic AI Team",
         "AI and ESG: Understanding the Environmental Impact of AI and LLMs",
         "https://www.holisticai.com/blog/environmental-impact-ai-llms"),
        ("benchmarking-llm-2023", "webpage", "", "Benchmarking LLM Inference Backends",
         "https://www.bentoml.com/blog/benchmarking-llm-inference-backends"),
        ("ul-abideen-2024", "webpage", "ul Abideen, Zain",
         "Best LLM Inference Engine? TensorRT vs vLLM vs LMDeploy vs MLC-LLM",
         "https://medium.com/@zaiinn440/best-llm-inference-engine-e8ff033d7615"),
        ("yu-2022", "paper-conference", "Yu, Gyeong-In",
         "Orca: A Distributed Serving System for Transformer-Based Generative Models", ""),
        ("kwon-2023b", "article", "Kwon, Woosuk",
         "Efficient Memory Management for Large Language Model Serving with PagedAttention",
         "https://arxiv.org/abs/2309.06180"),
    ]
    assert sources[-1]["note"] == "The bibliography lists this work again: the same work as kwon-2023 ([2])."
    assert [s["bibliography_entry"][:4] for s in sources[1:]] == [f"[{n}] " for n in range(1, 9)]
    # each figure's source is the work its sentence cites: the citation after it, else the one before it; a
    # sentence that cites nothing is the paper's own
    claims = [(c["figure"], c["footnote"], c["source_id"], c["kind"]) for c in rows(result.root / "data" /
                                                                                    "claims.csv")]
    assert claims == [
        ("4%", "", "kwon-2023", "reported"),  # [2, 3]: the first work it names
        ("20%", "", "holistic-ai-team-2024", "reported"),
        ("36", "", "yu-2022", "reported"),  # [4]–[6] stands before it, [7] after it: [7]
        ("12", "", "duarte-2025", "own"), ("9", "", "duarte-2025", "own"),
        ("3.54 J", "", "duarte-2025", "own"), ("42%", "", "duarte-2025", "own"),
        ("4", "", "kwon-2023b", "reported"), ("27%", "", "kwon-2023b", "reported")]  # [8], listed twice
    report = validate(result.root)
    assert report.valid, [p.message for p in report.problems if p.severity == "error"]


AUTHOR_YEAR = """---
title: Heat and Health in Towns
author: Ana Ruiz
date: 2024-05-01
---

# Findings

Heat deaths rose 12% in a decade (Smith et al. 2020, p. 44). Smith and Jones (2019) counted 1,200 deaths in
the city. Hospital visits grew 8% (see World Bank 2021; Lee 2018a). A later study put the rise at 9% (Lee
2018b). We surveyed 40 towns.

# References

Lee, A. 2018a. *Heat in Towns*. London: Press.

Lee, A. 2018b. *Heat Again*. London: Press.

Smith, J., A. Jones, and B. Cole. 2020. "Deaths in Heat." *The Lancet* 12 (3): 40–50.

Smith, J., and A. Jones. 2019. *Counting the Dead*. Oxford: Oxford University Press.

World Bank. 2021. *Climate and Health Review*. Washington, DC: World Bank.
"""


@pytest.mark.slow
def test_author_year_citations_name_their_works_and_pages(tmp_path):
    from claimpack.init.writer import init
    from claimpack.validation.validate import validate

    paper = tmp_path / "paper.md"
    paper.write_text(AUTHOR_YEAR, encoding="utf-8")
    result = init(paper, tmp_path / "package")
    sources = rows(result.root / "data" / "sources.csv")
    assert [(s["id"], s["author"]) for s in sources][1:] == [
        ("lee-2018", "Lee, A."), ("lee-2018b", "Lee, A."), ("smith-2020", "Smith, J.; Jones, A.; Cole, B."),
        ("smith-2019", "Smith, J.; Jones, A."), ("world-bank-2021", "World Bank")]
    claims = [(c["figure"], c["footnote"], c["source_id"], c["locator"], c["kind"])
              for c in rows(result.root / "data" / "claims.csv")]
    assert claims == [
        ("12%", "", "smith-2020", "44", "reported"),  # the citation after the figure, its page the locator
        ("1,200", "", "smith-2019", "", "reported"),  # Smith and Jones (2019): the work of both names
        ("8%", "", "world-bank-2021", "", "reported"),  # (see World Bank 2021; Lee 2018a): the first named
        ("9%", "", "lee-2018b", "", "reported"),  # 2018b: Lee's second work of 2018
        ("40", "", "ruiz-2024", "", "own")]  # a sentence that cites nothing: the paper's own
    assert validate(result.root).valid


KEYS = """---
title: Heat and Health in Towns
author: Ana Ruiz
date: 2024-05-01
references:
- id: smith2020
  type: article-journal
  author: [{family: Smith, given: John}]
  title: Deaths in heat
  container-title: The Lancet
  issued: {date-parts: [[2020]]}
- id: who:2021
  type: report
  author: [{literal: World Health Organization}]
  title: Heat and health
  issued: {date-parts: [[2021]]}
---

# Findings

Heat deaths rose 12% in a decade [@smith2020, p. 44]. As @who:2021 counts, 1,200 died in the city. We
surveyed 40 towns, as others did [see @smith2020; @who:2021]. Nobody counted the 7 wells.
"""


@pytest.mark.slow
def test_pandoc_keys_name_their_works_and_pages(tmp_path):
    from claimpack.init.writer import init
    from claimpack.validation.validate import validate

    paper = tmp_path / "paper.md"
    paper.write_text(KEYS, encoding="utf-8")
    result = init(paper, tmp_path / "package")
    claims = [(c["figure"], c["source_id"], c["locator"], c["kind"]) for c in rows(result.root / "data" /
                                                                                    "claims.csv")]
    assert claims == [("12%", "smith2020", "44", "reported"), ("1,200", "who-2021", "", "reported"),
                      ("40", "smith2020", "", "reported"), ("7", "ruiz-2024", "", "own")]
    assert validate(result.root).valid


NOTES = """---
title: Alerts and Notes
author: Ada Lovelace
date: 2026-03-01
---

# Findings

Grid losses reached 4.5% of output.[^1] The p/bandit[^2] policy with 90 rules was kept. Alerts reached 93%
of phones. Trust stood at 61% of those asked,[^3] and 12% refused. The council "found 300 wells dry," it
said. We counted 8 taps.[^4]

> Some 70 towns had no water at all, and 5 had no road.[^5]

About 7.9% (107,400)[^6] of inmates were veterans.[^7] Of the programs, 13 were rated.[^8]

[^1]: Sohan, M., & Reddy, C. V. (2024). A review of grid losses. *Energy Policy*, 12(3), 45–67.
[^2]: Federal Communications Commission (FCC), *Report: October 4, 2023 Nationwide Test*, April 2024, p. 7
    (hereinafter *FCC Test Report*).
[^3]: *FCC Test Report*, p. 9.
[^4]: Ibid., p. 12.
[^5]: Hamilton Bean, "Wireless Emergency Alerts," *Journal of Contingencies*, vol. 31, no. 2 (June 2023).
[^6]: Excluding military-operated facilities.
[^7]: DOJ, BJS, Veterans in Prison, March 2021, https://bjs.ojp.gov/vpspi16st.pdf; and Douglas B. Marlowe,
    Painting the Current Picture: A National Report on Drug Courts, June 2011.
[^8]: CRS searched for "drug court" on CrimeSolutions.gov on September 8, 2026.
"""


@pytest.mark.slow
def test_a_figure_carries_the_note_of_its_own_sentence(tmp_path):
    """The marker after the figure in its sentence, else the one before it; a sentence without a marker has no
    note (not the next sentence's), unless it quotes: a quotation is cited by the next note of its paragraph.
    Short forms (hereinafter, Ibid.) carry through to the figure's source."""
    from claimpack.init.writer import init
    from claimpack.validation.validate import validate

    paper = tmp_path / "paper.md"
    paper.write_text(NOTES, encoding="utf-8")
    result = init(paper, tmp_path / "package")
    claims = {c["figure"]: (c["footnote"], c["source_id"], c["locator"]) for c in rows(result.root / "data" /
                                                                                         "claims.csv")}
    fcc = "federal-communications-commission-2024"
    assert claims["4.5%"] == ("1", "sohan-2024", "")
    assert claims["90"] == ("2", fcc, "7")  # the marker before the figure, in its sentence
    assert claims["93%"] == ("", "lovelace-2026", "")  # no marker in its sentence: not note 3
    assert claims["61%"] == ("3", fcc, "9") and claims["12%"] == ("3", fcc, "9")  # hereinafter's short form
    assert claims["300"] == ("4", fcc, "12")  # a quotation: the next note; Ibid. of note 3
    assert claims["8"] == ("4", fcc, "12")
    assert claims["70"] == ("5", "bean-2023", "") and claims["5"] == ("5", "bean-2023", "")
    # note 6 comments, note 7 of the same sentence cites: the figure is the cited work's
    assert claims["7.9%"] == ("7", "doj-2021", "") and claims["107,400"] == ("7", "doj-2021", "")
    assert claims["13"] == ("8", "crimesolutions-gov-nd", "")  # a site named by its domain
    sources = {s["id"]: (s["type"], s["author"], s["title"], s["url"]) for s in rows(result.root / "data" /
                                                                                      "sources.csv")}
    # citations without italics or quotes: who, title, date, address
    assert sources["doj-2021"] == ("webpage", "DOJ, BJS", "Veterans in Prison", "https://bjs.ojp.gov/vpspi16st.pdf")
    assert sources["marlowe-2011"] == ("book", "Marlowe, Douglas B.",
                                       "Painting the Current Picture: A National Report on Drug Courts", "")
    assert sources["crimesolutions-gov-nd"] == ("webpage", "", "CrimeSolutions.gov", "https://crimesolutions.gov")
    assert validate(result.root).valid
