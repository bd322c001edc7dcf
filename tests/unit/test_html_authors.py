"""An HTML report's authors, each a person in order, from where publishers put them: meta tags, bylines,
a report's signatures ("Name, Specialist in ..."); else the body that signs it ("this CRS report")."""

from __future__ import annotations

import csv
import json

import pytest

from claimpack.init.writer import init
from claimpack.text.html_notes import prepare

BODY = "<h1>Alerts and Courts</h1><p>Spending rose 12% in 2025.</p>"


@pytest.mark.parametrize(("page", "authors"), [
    # Google Scholar's tags, one per author, family name first
    (f'<html><head><meta name="citation_author" content="Sacco, Lisa N."><meta name="citation_author" '
     f'content="James, Nathan"></head><body>{BODY}</body></html>', ["Lisa N. Sacco", "Nathan James"]),
    # one tag naming several
    (f'<html><head><meta name="author" content="Ann Lee and Bo Chen"></head><body>{BODY}</body></html>',
     ["Ann Lee", "Bo Chen"]),
    # a content system's byline, its names marked up one by one
    (f'<html><body><div class="post-byline">By <span itemprop="author"><span itemprop="name">Ann Lee</span>'
     f'</span> and <span itemprop="author"><span itemprop="name">Bo Chen</span></span></div>{BODY}</body></html>',
     ["Ann Lee", "Bo Chen"]),
    (f'<html><body><p class="author">By Maria de la Cruz</p>{BODY}</body></html>', ["Maria de la Cruz"]),
    # a CRS report's cover and its "Author Contact Information"
    (f'<html><body>{BODY}<h2>Author Contact Information</h2><p>Lisa N. Sacco, Analyst in Illicit Drugs and Crime '
     f'Policy</p><p>Nathan James, Specialist in Crime Policy</p><p>Jane Roe, Legislative Attorney</p></body></html>',
     ["Lisa N. Sacco", "Nathan James", "Jane Roe"]),
    # no person anywhere: the body the report says it is by
    (f'<html><body>{BODY}<p>See discussion later in this CRS report.</p><p>CRS analysis of 2016 data.</p>'
     f'</body></html>', ["Congressional Research Service"]),
    (f'<html><body>{BODY}<p>The Agency for Climate Data (ACD) wrote this ACD report.</p></body></html>',
     ["Agency for Climate Data"]),
    # a byline that is a date, and a body cited but not signing, are no authors
    (f'<html><body><div class="byline">Updated 12 May 2025</div>{BODY}<p>GAO, Report GAO-24-1.</p></body></html>',
     []),
])
def test_each_author_is_read_as_a_person_in_order(page, authors):
    assert prepare(page.encode("utf-8")).authors == authors


@pytest.mark.slow
def test_a_body_that_signs_a_report_is_its_author_as_printed(tmp_path):
    paper = tmp_path / "report.html"
    paper.write_text("<html><body><div class=\"ReportHeader\"><h1>Alerts and Courts</h1><div>Updated September 11, "
                     "2026 (R44467)</div></div><h2>Introduction</h2><p>Spending rose 12% in 2025, as this CRS report "
                     "shows.</p></body></html>", encoding="utf-8")
    root = init(paper, tmp_path / "package").root
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    assert [c["title"] for c in descriptor["contributors"]] == ["Congressional Research Service"]
    with (root / "data" / "sources.csv").open(encoding="utf-8") as handle:
        own = next(row for row in csv.DictReader(handle) if row["id"] == descriptor["claimpack"]["own_source"])
    assert (own["id"], own["author"], own["title"], own["issued"]) == \
        ("crs-2026", "Congressional Research Service", "Alerts and Courts", "2026-09-11")
