"""`claimpack review` in a real headless Chromium, driven by the keyboard, as the maintainers' check drives it.

The workbench is the real command (`claimpack review PKG --no-browser --port 0`) on a package
`claimpack init` made; every request that does not go to the workbench is blocked and recorded,
every console error kept. A review done entirely with the keys takes the package from init to
`claimpack build --release`. axe-core finds no violation on any page, and every page fits a
390 px phone. Screenshots are kept in artifacts/.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import AXE, CHROMIUM, CHROMIUM_FLAGS, ROOT, require_browser, run_claimpack

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_browser(axe=True, module=True)

ARTIFACTS = ROOT / "artifacts"
PAPERS = ROOT / "tests" / "papers"
ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/\S+/")


class Review:
    """The real `claimpack review` in a child process, and the address it printed."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "claimpack", "review", str(root), "--no-browser",
                                         "--port", "0", "--by", "Keyboard Reviewer"], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, cwd=root)
        line = self.process.stdout.readline()
        found = ADDRESS.search(line)
        assert found, f"no address in {line!r}: {self.process.stderr.read() if self.process.poll() else ''}"
        self.address, self.port = found.group(), int(found.group(1))
        self.origin = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def package(tmp_path) -> Path:
    """What init makes of a paper whose metadata names no author, without --license: a release needs both."""
    paper = tmp_path / "water.md"
    text = (PAPERS / "water.md").read_text(encoding="utf-8")
    paper.write_text(re.sub(r"author:\n(?:  - .*\n)+", "", text), encoding="utf-8")
    root = tmp_path / "water"
    ran = run_claimpack("init", str(paper), str(root))
    assert ran.returncode == 0, ran.stderr
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    assert "licenses" not in descriptor and "(to fill in)" in descriptor["contributors"][0]["title"]
    return root


@pytest.fixture
def review(package):
    running = Review(package)
    yield running
    running.stop()


def open_page(browser, review: Review, path: str = "", width: int = 1280):
    """A page of the workbench; any request elsewhere is blocked and recorded, console errors kept."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.outside, page.problems = [], []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(str(e)))

    def guard(route):
        if route.request.url.startswith(review.origin + "/"):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(review.address + path)
    return page


def ready(page) -> None:
    """Wait until the workbench has warmed its validation (the first action would wait for it anyway)."""
    deadline = time.time() + 180
    while time.time() < deadline:
        state = page.evaluate("async (url) => (await (await fetch(url)).json())",
                              page.url.split("/record/")[0].rstrip("/") + "/api/status")
        if state["ready"]:
            return
        time.sleep(0.5)
    raise AssertionError("the workbench never warmed")


def press(page, key: str) -> None:
    """Press a key that acts, and wait for the page it leads to (or for the refusal it shows)."""
    from playwright.sync_api import Error

    before = page.url
    page.keyboard.press(key)
    deadline = time.time() + 90
    while time.time() < deadline:
        if page.url != before:
            page.wait_for_load_state("load")
            return
        try:
            if page.locator("#status .error").count():
                return
        except Error:  # the page is navigating
            pass
        time.sleep(0.05)
    raise AssertionError(f"{key}: no new page and no refusal")


def rows(root: Path, name: str) -> dict[str, dict]:
    with (root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def log(root: Path) -> list[dict]:
    with (root / "data" / "reviews.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches a CSS selector."""
    for _ in range(60):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def card_id(page) -> str:
    return page.locator("[data-record-id]").get_attribute("data-record-id")


def axe(page) -> list:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_a_keyboard_only_review_takes_a_package_from_init_to_a_release(package, review, browser):
    refused = run_claimpack("build", str(package), "--html-only", "--release", timeout=900)
    assert refused.returncode == 1 and "candidate" in refused.stderr
    page = open_page(browser, review)
    ready(page)
    actions = 0

    # the card: one element with data-record-id, its figure in a <mark>
    key = card_id(page)
    record = {**rows(package, "claims"), **rows(package, "events")}[key]
    assert page.locator("[data-record-id] mark").inner_text() == (record.get("figure") or
                                                                 page.locator("mark").inner_text())
    # x, then Enter: rejected with the reason preselected
    claims_before = (package / "data" / "claims.csv").read_bytes()
    exclusions_before = (package / "validation" / "coverage-exclusions.csv").read_bytes()
    page.keyboard.press("x")
    preselected = page.evaluate("document.activeElement.value")
    label = page.evaluate("document.activeElement.closest('label').querySelector('.hint').textContent")
    press(page, "Enter")
    actions += 1
    assert key not in rows(package, "claims") and key not in rows(package, "events")
    excluded = (package / "validation" / "coverage-exclusions.csv").read_text(encoding="utf-8")
    assert label.strip("()") in excluded.splitlines()[-1]
    assert log(package)[-1]["kind"] == "reject" and log(package)[-1]["reason"] == label.strip("()")
    assert preselected
    # u: undone exactly
    press(page, "u")
    actions += 1
    assert (package / "data" / "claims.csv").read_bytes() == claims_before
    assert (package / "validation" / "coverage-exclusions.csv").read_bytes() == exclusions_before
    assert card_id(page) == key
    # e: a unit the package does not know, on a count, typed with the keyboard
    while page.locator("[data-record-id]").get_attribute("data-type") != "claim" or \
            page.input_value("[name=unit]") != "count":
        press(page, "j")
    edited = card_id(page)
    page.keyboard.press("e")
    for _ in range(40):
        if page.evaluate("document.activeElement.name") == "unit":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("water-points")
    press(page, "Enter")
    actions += 1
    assert rows(package, "claims")[edited]["unit"] == "water-points"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert "water-points" in descriptor["claimpack"]["units"]
    assert b"water-points" in (package / "validation" / "gx" / "expectations" / "claims.json").read_bytes()
    # a on every candidate left, until none is
    page.goto(review.address)
    for _ in range(200):
        if "/record/" not in page.url:
            break
        assert page.locator("[data-record-id]").get_attribute("data-record-id")
        if page.locator("[name=measure]").count() and page.input_value("[name=measure]").startswith("(what is"):
            page.keyboard.press("e")  # init read no measure: say what it counts, as a release needs
            for _ in range(40):
                if page.evaluate("document.activeElement.name") == "measure":
                    break
                page.keyboard.press("Tab")
            page.keyboard.press("Control+a")
            page.keyboard.type("households served")
            press(page, "Enter")
        else:
            press(page, "a")
        actions += 1
        assert not page.locator("#status .error").count(), page.locator("#status").inner_text()
    statuses = [row["status"] for name in ("claims", "events") for row in rows(package, name).values()]
    assert statuses and set(statuses) == {"reviewed"}
    # nothing left to review: the page says what a release still needs, and takes it with the keyboard
    assert page.url.split("?")[0].endswith("/package")
    needs = page.locator(".checklist").inner_text()
    assert "Licence" in needs and "Authors" in needs and not re.search(r"\b(candidate|claims?|events?)\b", needs)
    tab_to(page, "input[name=date]")  # init guessed the paper's date: the reviewer says it to the month
    page.keyboard.press("Control+a")
    page.keyboard.type("2021-03")
    tab_to(page, "input[name=licence][value='CC-BY-4.0']")
    page.keyboard.press("Space")
    tab_to(page, "input[name=author-name]")
    page.keyboard.type("Ana Ruiz")
    tab_to(page, "#add-author")
    page.keyboard.press("Enter")
    page.keyboard.type("Ben Okafor")
    tab_to(page, "li.author:nth-child(2) [data-move='-1']")
    page.keyboard.press("Enter")  # Ben first
    assert page.evaluate("document.activeElement.name") == "author-name"
    press(page, "Enter")
    actions += 1
    assert not page.locator("#status .error").count(), page.locator("#status").inner_text()
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert [c["title"] for c in descriptor["contributors"]] == ["Ben Okafor", "Ana Ruiz"]
    own = descriptor["claimpack"]["own_source"]
    assert rows(package, "sources")[own]["issued"] == "2021-03"
    assert "Nothing is left for a person" in page.locator(".release").inner_text()
    assert log(package)[-1]["record_type"] == "package"
    assert len({row["action"] for row in log(package)}) == actions == len(log(package))
    assert page.outside == [] and page.problems == []
    assert axe(page) == []

    review.stop()
    valid = run_claimpack("validate", str(package), timeout=900)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    released = run_claimpack("build", str(package), "--html-only", "--release", timeout=900)
    assert released.returncode == 0, released.stdout + released.stderr


def test_a_stale_second_tab_cannot_overwrite(package, review, browser):
    first = open_page(browser, review)
    ready(first)
    key = card_id(first)
    second = open_page(browser, review, f"record/{key}")
    assert card_id(second) == key
    press(first, "a")
    assert rows(package, "claims").get(key, rows(package, "events").get(key))["status"] == "reviewed"
    before = (package / "data" / "claims.csv").read_bytes()
    second.keyboard.press("e")
    second.keyboard.type("overwritten")
    press(second, "Enter")
    assert "changed since this page showed it" in second.locator("#status").inner_text()
    assert (package / "data" / "claims.csv").read_bytes() == before
    second.keyboard.press("Escape")
    press(second, "u")  # the second tab has not seen the accept: its undo is stale too
    assert "reload" in second.locator("#status").inner_text()
    assert (package / "data" / "claims.csv").read_bytes() == before


def test_axe_finds_no_violation_on_any_page_and_every_page_fits_a_phone(package, review, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, review)
    ready(page)
    assert axe(page) == []
    page.keyboard.press("x")
    assert axe(page) == []
    page.keyboard.press("Escape")
    page.keyboard.press("e")
    assert axe(page) == []
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    assert page.evaluate("document.getElementById('help').open")
    assert axe(page) == []
    page.keyboard.press("Escape")
    page.screenshot(path=str(ARTIFACTS / "review-card-1280.png"))
    section = page.locator("[data-record-id]").get_attribute("data-record-id")
    for path in ("paper", f"batch?rule=pattern&value={'N'}%25&reason=not-a-figure", "batch", "package"):
        other = open_page(browser, review, path)
        assert axe(other) == [], path
        assert other.outside == [] and other.problems == [], path
    for path in ("", "paper", "batch?rule=section&value=Introduction", "package"):
        phone = open_page(browser, review, path, width=390)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert phone.outside == [] and phone.problems == [], path
        if path == "":
            phone.screenshot(path=str(ARTIFACTS / "review-card-390.png"))
    assert section


def test_the_paper_view_adds_a_missed_figure_from_a_number_with_the_keyboard(package, review, browser):
    page = open_page(browser, review)
    ready(page)
    key = card_id(page)
    figure = page.locator("[data-record-id] mark").inner_text()
    page.keyboard.press("x")
    press(page, "Enter")
    assert key not in rows(package, "claims")
    paper = open_page(browser, review, "paper")
    excluded = paper.locator("button.num.excluded", has_text=figure.split()[0].lstrip("$€£"))
    assert excluded.count() >= 1
    excluded.first.focus()
    press(paper, "Enter")
    added = [row for row in rows(package, "claims").values() if row["status"] == "reviewed"]
    assert len(added) == 1 and figure.split()[0].lstrip("$€£") in added[0]["figure"]
    assert log(package)[-1]["kind"] == "add"
