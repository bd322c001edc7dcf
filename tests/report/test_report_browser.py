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

from conftest import AXE, CHROMIUM, CHROMIUM_FLAGS, ROOT, built_site, raw_markup, require_browser, require_quarto

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


# ---- what a reader sees, at a desk and on a phone ------------------------------------------------
# Elements that reach past the viewport's right edge (a visually hidden one, clipped, is not seen).
WIDER_THAN_THE_VIEWPORT = """() => [...document.querySelectorAll('body *')].filter(el => {
  const box = el.getBoundingClientRect();
  if (!box.width || !box.height || box.right <= innerWidth + 1) return false;
  for (let up = el; up; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (style.position === 'absolute' && (style.clip !== 'auto' || box.right < 0)) return false;
  }
  return true;
}).map(el => `${el.tagName.toLowerCase()}.${el.className} reaches ${Math.round(el.getBoundingClientRect().right)}px`)"""
# Words of table cells set on more than one line ('relatio' / 'n'); a hyphen or a slash may end a line.
WORDS_BROKEN_IN_CELLS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      for (const word of node.data.matchAll(/[^\\s\\-\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (new Set([...range.getClientRects()].map(box => Math.round(box.top))).size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""
@pytest.mark.parametrize("width", [1280, PHONE])
def test_no_element_is_wider_than_the_screen_and_no_table_cell_breaks_a_word(browser, site, width):
    page = open_offline(browser, site / "index.html", width=width)
    page.wait_for_function("document.querySelectorAll('.cp-vega-live svg').length >= 6", timeout=30000)
    assert page.evaluate(WIDER_THAN_THE_VIEWPORT) == []
    assert page.evaluate(WORDS_BROKEN_IN_CELLS) == []
    page.context.close()


def test_the_layout_checks_catch_a_wide_element_and_a_broken_word(browser):
    page = browser.new_page(viewport={"width": PHONE, "height": 600})
    page.set_content("<body style='margin: 0'><table style='width: 100%'><tr>"
                     "<td style='overflow-wrap: anywhere'>relation</td>"
                     + "<td>" + "a very long column of words " * 8 + "</td></tr></table>"
                     "<div style='width: 600px'>wide</div>")
    assert page.evaluate(WIDER_THAN_THE_VIEWPORT) == ["div. reaches 600px"]
    assert page.evaluate(WORDS_BROKEN_IN_CELLS) == ["relation"]
    page.close()


def test_the_visible_text_shows_no_raw_markup_and_no_iso_date(page):
    text = page.inner_text("body")
    assert raw_markup(text) == []
    for shown in ("a \\$5 fee", "**bold**", "{#claim-x}", "{.unlisted}", "[x](https://a.org/2020-01-30)",
                  "<https://a.org>", ":::", "on 2020-01-30"):
        assert raw_markup(shown), shown
    assert raw_markup("at https://a.org/?ver=2020-01-30 (a work of 2020–2021)") == []


def test_every_link_within_the_page_reaches_one_target(page):
    """From a figure to its claim, a claim to its defects, a defect to its claims and events, and back."""
    targets = page.eval_on_selector_all("a[href^='#']", "els => [...new Set(els.map(e => e.getAttribute('href')))]")
    counts = page.evaluate("hrefs => hrefs.map(h => document.querySelectorAll('#' + CSS.escape(decodeURIComponent("
                           "h.slice(1)))).length)", targets)
    assert [href for href, count in zip(targets, counts, strict=True) if count != 1 and href != "#"] == []
    for prefix in ("#claim-", "#defect-", "#event-"):
        assert any(href.startswith(prefix) for href in targets), prefix


def test_the_page_links_its_pdf_once_and_calls_it_pdf(page):
    """Both engines list the report's other format the same way: 'PDF', not the tool's name 'Typst'."""
    links = page.eval_on_selector_all("a[href]", "els => els.filter(e => !e.getAttribute('href').includes('://')"
                                      " && e.getAttribute('href').endsWith('.pdf')).map(e => [e.getAttribute('href'),"
                                      " e.textContent.trim()])")
    assert links == [["report.pdf", "PDF"]]
