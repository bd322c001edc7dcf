"""Write a synthetic HTML report of any size in the layout of a government report (as the CRS
reports in ../shared/corpus are laid out), for `claimpack init` to read.

    python benchmarks/report_paper.py OUT.html [--figures 350] [--notes 130]

The page is an HTML fragment, as the archive's reports are: a header with the title and the date
it was updated, a linked table of contents, a Summary, sections and subsections (`h2`, `h3`),
paragraphs whose sentences state figures the way reports print them (dollars in millions and
billions, percentages, counts, bounds such as "more than 3,000", ranges, fractions such as
"two-thirds", ranks such as "13th-largest", fiscal years), two tables of dollars by fiscal year,
note markers written `<sup><a href="#fnN" name="ifnN">N</a></sup>` after a clause, and the notes
at the end in a two-column table under "Footnotes": reports, articles with their authors, laws,
"Ibid." with a page, and URLs. The output is deterministic for given sizes; the counts it wrote
(figures stated, notes, words) go to stderr as JSON. Never commit the output.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import Random, word  # noqa: E402

AGENCIES = ["Department of Justice", "Department of Health and Human Services", "Department of Labor",
            "Department of Veterans Affairs", "Department of Homeland Security", "Department of Education",
            "Federal Communications Commission", "Government Accountability Office"]
SHORT = {"Department of Justice": "DOJ", "Department of Health and Human Services": "HHS",
         "Department of Labor": "DOL", "Department of Veterans Affairs": "VA",
         "Department of Homeland Security": "DHS", "Department of Education": "ED",
         "Federal Communications Commission": "FCC", "Government Accountability Office": "GAO"}
THINGS = ["grants", "participants", "courts", "alerts", "programs", "sites", "counties", "households",
          "inspections", "applications", "treatment slots", "training sessions"]
FRACTIONS = ["two-thirds", "one-third", "one-quarter", "three-quarters", "one-half", "one-fifth"]
FRACTION_VALUES = {"two-thirds": 2 / 3, "one-third": 1 / 3, "one-quarter": 0.25, "three-quarters": 0.75,
                   "one-half": 0.5, "one-fifth": 0.2}
ORDINAL_WORDS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
FAMILIES = ["Rempel", "Okafor", "Lindqvist", "Marsh", "Tanaka", "Brennan", "Castillo", "Haddad", "Novak",
            "Osei", "Fischer", "Moreau", "Sato", "Iverson", "Kowalski", "Nakamura", "Delgado", "Whitfield"]
GIVEN = ["Ana", "Marcus", "Priya", "Jonas", "Leah", "Tomás", "Grace", "Idris", "Mei", "Robert"]
JOURNALS = ["Journal of Policy Analysis", "Criminal Justice Review", "Health Affairs", "Public Administration Review",
            "Journal of Experimental Criminology", "Evaluation Review"]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Writer:
    """The report's parts, with a running count of the figures its sentences state."""

    def __init__(self, figures: int, notes: int):
        self.rng = Random(figures * 131 + notes)
        self.target, self.notes_target = figures, notes
        self.figures = 0
        self.notes: list[str] = []
        self.sources: list[str] = []  # the notes that are a full citation, for Ibid. and short forms

    def pick(self, items: list):
        return items[self.rng.below(len(items))]

    def program(self) -> str:
        kind = self.pick(["Initiative", "Program", "Grant", "Partnership"])
        return f"{word(self.rng.below(4000), 2).capitalize()} {kind}"

    def figure_sentence(self) -> str:
        """One sentence stating one figure (a few state two), in one of the ways reports print them."""
        agency = self.pick(AGENCIES)
        thing = self.pick(THINGS)
        year = 2014 + self.rng.below(12)
        kind = self.rng.below(16)
        self.figures += 1
        if kind == 0:
            amount = f"{1 + self.rng.below(90)}.{self.rng.below(10)}"
            return f"In FY{year}, {SHORT[agency]} awarded ${amount} million through the {self.program()}."
        if kind == 1:
            amount = f"{1 + self.rng.below(9)}.{self.rng.below(10)}"
            return f"Congress appropriated ${amount} billion for the {self.program()} in FY{year}."
        if kind == 2:
            return f"About {10 + self.rng.below(80)}% of {thing} reported at least one change during the year."
        if kind == 3:
            return f"The {self.program()} supported {1000 + self.rng.below(90000):,} {thing} in {year}."
        if kind == 4:
            return f"More than {self.rng.below(90) + 10},000 {thing} were counted nationwide."
        if kind == 5:
            return f"Roughly {self.pick(FRACTIONS)} of the {thing} surveyed were in rural areas."
        if kind == 6:
            return f"The state ranked {ordinal(2 + self.rng.below(40))} out of 50 in the number of {thing}."
        if kind == 7:
            where = self.pick(["district", "state", "region"])
            return f"It has the {ordinal(2 + self.rng.below(20))}-largest caseload of any {where}."
        if kind == 8:
            low = 5 + self.rng.below(30)
            return f"Estimates range from {low}% to {low + 5 + self.rng.below(30)}% depending on the method."
        if kind == 9:
            return f"Nearly {100 + self.rng.below(900)} {thing} had closed by the end of {year}."
        if kind == 10:
            return f"The {self.pick(ORDINAL_WORDS)} most common reason given was cost."
        if kind == 11:
            self.figures += 1
            a = 10 + self.rng.below(60)
            return f"The share rose from {a}% in {year} to {a + 1 + self.rng.below(20)}% in {year + 2}."
        if kind == 12:
            return f"Fewer than {1 + self.rng.below(9)},{self.rng.below(10)}00 {thing} received follow-up services."
        if kind == 13:
            return f"Participants stayed an average of {2 + self.rng.below(20)} months in the program."
        if kind == 14:
            return f"Funding fell by {2 + self.rng.below(30)}% between FY{year} and FY{year + 1}."
        return f"At least {20 + self.rng.below(400)} {thing} applied in the first round."

    def note(self) -> str:
        """A marker for a new note, with the note's text: a report, an article, a law, Ibid. or a short form."""
        number = len(self.notes) + 1
        kind = self.rng.below(10)
        page = 1 + self.rng.below(300)
        if self.sources and kind < 2:
            text = f"Ibid., p. {page}."
        elif self.sources and kind < 3:
            text = f"{self.pick(self.sources).split(',')[0]}, p. {page}."
        elif kind < 5:
            agency = self.pick(AGENCIES)
            slug = word(self.rng.below(90000), 3)
            kind = self.pick(["Program", "Grants", "Outcomes"])
            title = f"{word(self.rng.below(500), 2).capitalize()} {kind}: Report to Congress"
            url = f"https://www.example.gov/{SHORT[agency].lower()}/{slug}.pdf"
            text = (f"U.S. {agency}, <em>{title}</em>, {2015 + self.rng.below(11)}, p. {page}, "
                    f'<a href="{url}"><span>{url}</span></a>.')
            self.sources.append(f"U.S. {agency}, <em>{title}</em>")
        elif kind < 8:
            first = f"{self.pick(GIVEN)} {self.pick(FAMILIES)}"
            second = f"{self.pick(GIVEN)} {self.pick(FAMILIES)}"
            sites = self.rng.below(40) + 2
            title = f"{word(self.rng.below(800), 3).capitalize()} and Recidivism: Evidence from {sites} Sites"
            text = (f"{first} and {second}, \"{title},\" <em>{self.pick(JOURNALS)}</em>, vol. "
                    f"{1 + self.rng.below(60)}, no. {1 + self.rng.below(4)} ({2000 + self.rng.below(25)}), "
                    f"pp. {page}-{page + 20}.")
            self.sources.append(f"{first} and {second}")
        else:
            text = (f"P.L. {110 + self.rng.below(10)}-{1 + self.rng.below(300)}, §{1000 + self.rng.below(9000)}; "
                    f"see also {self.rng.below(40) + 1} U.S.C. §{100 + self.rng.below(900)}.")
        self.notes.append(text)
        return f'<sup><a href="#fn{number}" name="ifn{number}">{number}</a></sup>'

    def paragraph(self, figures: int, notes: int) -> str:
        sentences = [self.figure_sentence() for _ in range(figures)]
        sentences.insert(self.rng.below(len(sentences) + 1), "Observers noted that practice varied across the states.")
        marked = sorted({self.rng.below(len(sentences)) for _ in range(notes)})
        while len(marked) < min(notes, len(sentences)):  # notes on distinct sentences
            marked = sorted({*marked, self.rng.below(len(sentences))})
        for at in marked:  # a note marker after a sentence's last word, numbered in reading order
            sentences[at] = sentences[at][:-1] + self.note() + sentences[at][-1]
        return "<p>" + " ".join(sentences) + "</p>"

    def table(self, number: int) -> str:
        years = [2022 + k for k in range(5)]
        rows = []
        for _ in range(4):
            cells = "".join(f"<td><p>{10 + self.rng.below(400)}.{self.rng.below(10)}</p></td>" for _ in years)
            rows.append(f"<tr><td><p>{html.escape(self.program())}</p></td>{cells}</tr>")
        head = "".join(f"<th><p>FY{year}</p></th>" for year in years)
        caption = f"Table {number}. Enacted Funding for Selected Programs, FY2022-FY2026"
        return (f"<table><caption>{caption}</caption><thead><tr><th><p>Program</p></th>{head}</tr></thead>"
                         f"<tbody>{''.join(rows)}</tbody></table><p>(dollars in millions)</p>"
                         "<p>Source: agency budget justifications.</p>")


def report(figures: int = 350, notes: int = 130) -> tuple[str, dict]:
    """The HTML fragment of a report stating about `figures` figures, with `notes` notes."""
    out = Writer(figures, notes)
    sections = max(4, figures // 30)
    per_section = max(1, figures - 12) // sections  # the Summary states about a dozen
    notes_per_section = notes // sections
    body, toc = [], []
    out_of_notes = notes - notes_per_section * sections
    for index in range(sections):
        kind = out.pick(["Programs", "Courts", "Funding", "Outcomes", "Oversight"])
        title = f"{word(5000 + index, 2).capitalize()} {kind}"
        anchor = f"_Toc{240016400 + index}"
        toc.append(f'<li><a href="#{anchor}"><span>{title}</span></a></li>')
        level = "h3" if index % 3 == 2 else "h2"
        body.append(f'<{level}><a name="{anchor}"></a>{title}</{level}>')
        left = per_section
        section_notes = notes_per_section + (1 if index < out_of_notes else 0)
        while left > 0:
            take = min(left, 3 + out.rng.below(4))
            these = min(section_notes, 1 + out.rng.below(3)) if left - take > 0 else section_notes
            body.append(out.paragraph(take, these))
            section_notes -= these
            left -= take
        if index in (1, sections // 2):
            table = out.table(1 if index == 1 else 2)
            body.append(table)
    summary = out.paragraph(6, 0) + out.paragraph(6, 0)
    rows = "".join(f'<tr>\n<td><a href="#ifn{n}" name="fn{n}">{n}</a>.\n            </td>\n'
                   f"<td>\n<p> {text}</p>\n</td>\n</tr>\n" for n, text in enumerate(out.notes, 1))
    page = (
        "<div><div class=\"ReportHeader\">\n<h1>Federal Support for Synthetic Programs: Issues for Congress</h1>\n"
        "<div>Updated March 3, 2026\n            (R99999)\n"
        "          <br><a href=\"#Content\">Jump to Main Text of Report</a></div>\n"
        f"</div>\n<hr>\n<div>\n<h2>Contents</h2>\n<ul>\n{''.join(toc)}\n</ul>\n</div>\n"
        f"<a name=\"Summary\"></a><div>\n<h2>Summary</h2>\n{summary}\n</div>\n"
        f"<a name=\"Content\"></a><div>\n{chr(10).join(body)}\n</div>\n"
        "<div>\n<a name=\"contactauthors\"></a>\n<p>Jordan Ellery, Analyst in Social Policy</p>\n</div>\n"
        f"<div>\n<h2>Footnotes</h2>\n<table>\n<tbody>{rows}</tbody>\n</table>\n</div>\n</div>\n")
    counts = {"figures": out.figures, "notes": len(out.notes), "sections": sections,
              "words": len(html.unescape(page).split()), "bytes": len(page.encode("utf-8"))}
    return page, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the HTML file to write")
    parser.add_argument("--figures", type=int, default=350)
    parser.add_argument("--notes", type=int, default=130)
    args = parser.parse_args(argv)
    page, counts = report(args.figures, args.notes)
    args.out.write_text(page, encoding="utf-8")
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
