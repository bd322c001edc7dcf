"""The built report in a real headless Chromium, with the network blocked.

It must load with no console error and no request leaving the machine, draw every chart, hold
an anchor for every claim, resolve every citation, and pass axe-core with no serious or critical
violation. A screenshot is kept in artifacts/ (CI uploads it).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import AXE, CHROMIUM, CHROMIUM_FLAGS, ROOT, require_browser, run_claimpack

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "artifacts"
FLAGS = [*CHROMIUM_FLAGS, "--disable-component-update", "--disable-sync", "--no-first-run"]

require_browser(axe=True, module=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "_site"
    result = run_claimpack("build", ".", "--out", str(out), "--engine", "builtin", "--html-only", "--force",
                           timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def page(site):
    """The report loaded offline; every request that is not the file itself is blocked and recorded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        page = context.new_page()
        page.console_errors, page.outside = [], []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))

        def guard(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                page.outside.append(url)
                route.abort()

        page.route("**/*", guard)
        page.goto((site / "index.html").as_uri())
        page.wait_for_function("document.querySelectorAll('.cp-vega-live svg').length >= 6", timeout=30000)
        yield page
        browser.close()


def test_loads_with_no_console_error_and_no_request_leaving(page):
    assert page.console_errors == []
    assert page.outside == []


def test_every_chart_draws(page):
    figures = page.locator("figure:has(.cp-vega)")
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


def test_keeps_a_screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report.png"
    page.locator("#fig-colombia").scroll_into_view_if_needed()
    page.screenshot(path=str(target), full_page=False)
    page.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)
    assert target.stat().st_size > 10_000


def test_local_links_reach_published_files(page, site):
    """The report links to the data zip and the Data Docs it is published with; every such link resolves."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    local = sorted({h for h in hrefs if not h.startswith(("#", "http://", "https://", "mailto:"))})
    assert any(h.endswith(".zip") for h in local) and "validation/index.html" in local
    assert [h for h in local if not (site / h).is_file()] == []
    callout = page.locator(".callout-note")
    assert callout.count() == 1 and "How to read the figures" in callout.inner_text()
