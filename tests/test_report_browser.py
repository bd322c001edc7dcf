"""The built report in a real headless Chromium, with the network blocked, from both engines.

It must load with no console error or warning and no request leaving the machine, draw every
chart, hold an anchor for every claim, resolve every citation, fit a phone's width, and pass
axe-core with no serious or critical violation. Its Data Docs must work offline too, linked both
ways with the report. A screenshot is kept in artifacts/ (CI uploads it).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import AXE, CHROMIUM, CHROMIUM_FLAGS, ROOT, built_site, require_browser, require_quarto

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "artifacts"
FLAGS = [*CHROMIUM_FLAGS, "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = 390

require_browser(axe=True, module=True)


@pytest.fixture(scope="module", params=["builtin", "quarto"])
def site(request, sites_base) -> Path:
    if request.param == "quarto":
        require_quarto()
    return built_site(request.param, sites_base)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_offline(browser, path: Path, width: int = 1280):
    """A page loaded offline; every request that is not a local file is blocked and recorded, and
    every console error or warning is kept."""
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    page = context.new_page()
    page.console_problems, page.outside = [], []
    page.on("console", lambda m: m.type in ("error", "warning") and page.console_problems.append(
        f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.console_problems.append(str(e)))

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            page.outside.append(url)
            route.abort()

    page.route("**/*", guard)
    page.goto(path.as_uri())
    return page


@pytest.fixture(scope="module")
def page(browser, site):
    page = open_offline(browser, site / "index.html")
    page.wait_for_function("document.querySelectorAll('.cp-vega-live svg').length >= 6", timeout=30000)
    yield page
    page.context.close()


def test_loads_with_no_console_error_or_warning_and_no_request_leaving(page):
    assert page.console_problems == []
    assert page.outside == []


def test_fits_a_phone_without_scrolling_sideways(browser, site):
    phone = open_offline(browser, site / "index.html", width=PHONE)
    phone.wait_for_function("document.querySelectorAll('.cp-vega-live svg').length >= 6", timeout=30000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert phone.console_problems == [] and phone.outside == []
    phone.context.close()


def test_every_chart_draws(page):
    figures = page.locator("figure:has(.cp-vega-live)")
    assert figures.count() >= 6
    for index in range(figures.count()):
        figure = figures.nth(index)
        assert figure.locator(".cp-vega-live svg").count() == 1, f"chart {index + 1} did not draw"
        caption = figure.locator("figcaption").inner_text().replace("\u00a0", " ")
        assert caption.startswith(f"Figure {index + 1}")
        assert figure.locator("[role=img]").get_attribute("aria-label")
        box = figure.locator(".cp-vega-live svg").bounding_box()
        assert box and box["width"] > 150 and box["height"] > 60


def test_every_claim_has_its_anchor_and_links_reach_it(page):
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    missing = [i for i in ids if page.locator(f"[id='claim-{i}']").count() != 1]
    assert missing == []
    targets = page.eval_on_selector_all("a[href^='#claim-']", "els => els.map(e => e.getAttribute('href'))")
    assert targets and all(page.locator(f"[id='{t[1:]}']").count() == 1 for t in set(targets))


def test_no_citation_is_left_unresolved(page):
    text = page.inner_text("body")
    assert "???" not in text and "[@" not in text
    assert page.locator("#refs .csl-entry").count() >= 30


def test_axe_reports_no_serious_or_critical_violation(page):
    # evaluated through DevTools: the page's Content-Security-Policy stays in force for its own scripts
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_keeps_a_screenshot(page, site):
    ARTIFACTS.mkdir(exist_ok=True)
    engine = site.name.removeprefix("site-")
    target = ARTIFACTS / f"report-{engine}.png"
    page.locator("#fig-colombia").scroll_into_view_if_needed()
    page.screenshot(path=str(target), full_page=False)
    page.screenshot(path=str(ARTIFACTS / f"report-{engine}-full.png"), full_page=True)
    assert target.stat().st_size > 10_000


def test_local_links_reach_published_files(page, site):
    """The report links to the data zip and the Data Docs it is published with; every such link resolves."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    local = sorted({h for h in hrefs if not h.startswith(("#", "http://", "https://", "mailto:"))})
    assert any(h.endswith(".zip") for h in local) and "validation/index.html" in local
    assert [h for h in local if not (site / h).is_file()] == []
    callout = page.locator(".callout-note")
    assert callout.count() == 1 and "How to read the figures" in callout.inner_text()


def test_data_docs_work_offline_and_link_back_to_the_report(browser, site):
    docs = site / "validation"
    pages = [docs / "index.html", next(docs.glob("validations/claims/*/*/*.html")), docs / "expectations/claims.html"]
    for path in pages:
        docs_page = open_offline(browser, path)
        docs_page.wait_for_load_state("load")
        assert docs_page.console_problems == [] and docs_page.outside == [], path
        back = docs_page.locator("a.claimpack-report-link")
        assert back.count() == 1
        assert (path.parent / back.get_attribute("href")).resolve() == (site / "index.html").resolve()
        if path.name == "index.html":  # bootstrap-table drew GX's tables, with working filters
            rows = docs_page.locator("#section-1-content-block-2-body tbody tr, .bootstrap-table tbody tr")
            assert rows.count() >= 7
            assert docs_page.locator("button:has-text('Clear Filters')").first.is_visible()
        docs_page.context.close()
