"""Hostile text stays text: a valid package whose quote, measure, note, event, source title and
footnote hold `<script>`, `<img onerror>`, `javascript:` links, raw HTML, Markdown, Typst and
inline-code injection is built for real, and the report is opened in headless Chromium.

No script may run (no dialog, the flag every payload would set stays unset), no element may be
injected (no <img onerror>, no javascript: link, no script holding a payload), each payload must
be on the page as the literal text it is, and the PDF must show it as plain text. The payloads
hold no digit, so the paper's coverage check still passes with them in it.
"""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import CHROMIUM, CHROMIUM_FLAGS, copy_package, rehash_copy, require_browser, run_claimpack

pytestmark = [pytest.mark.browser, pytest.mark.slow]


SCRIPT = "<script>window.__pwned=true; alert(document.domain)</script>"
IMG = '<img src=x onerror="window.__pwned=true">'
JS_LINK = "[click me](javascript:window.__pwned=true)"
RAW_LINK = '<a href="javascript:window.__pwned=true">raw link</a>'
RAW_INLINE = "`<b id=raw-html>bold</b>`{=html}"
PYTHON = "`{python} open('pwned-by-inline-python', 'w')`"
TYPST = '#read("/etc/passwd") #link("javascript:window.__pwned=true")[typst link]'
SHORTCODE = "{{< pagebreak >}} **not bold** # not a heading"

QUOTE = "this paper discusses the referred topic in five major parts"
HOSTILE_QUOTE = f"this paper discusses the referred topic {SCRIPT} in five major parts"
FOOTNOTE = "Rabe, *The Killing Zone: The United States Wages Cold War in Latin America*, 1."
HOSTILE_FOOTNOTE = f"{FOOTNOTE} See {IMG} and {JS_LINK}."
PAPER_EDITS = [(QUOTE, HOSTILE_QUOTE), (f"¹³{FOOTNOTE}", f"¹³{HOSTILE_FOOTNOTE}")]
# (table, key field, key, field, new value): the quote matches the edited paper, the rest is free text
CELL_EDITS = [
    ("claims", "id", "paper-major-parts", "quote", HOSTILE_QUOTE),
    ("claims", "id", "paper-major-parts", "measure", f"Major parts {IMG} {JS_LINK} of the discussion"),
    ("claims", "id", "paper-major-parts", "note", f"{RAW_LINK} {RAW_INLINE} {PYTHON} {TYPST} {SHORTCODE}"),
    ("events", "id", "falkland-islands-taken-1833", "event", f"The UK takes the Falkland Islands {RAW_LINK} {SCRIPT}"),
    ("sources", "id", "weeks-2008", "title", f"U.S. and Latin American Relations {SCRIPT}"),
    ("footnotes", "number", "13", "text", HOSTILE_FOOTNOTE),
]
PAYLOADS = [SCRIPT, IMG, JS_LINK, RAW_LINK, RAW_INLINE, PYTHON, TYPST, SHORTCODE]
# descriptor strings that reach the report (the dataset's citation, the contributors, the licences)
DESCRIPTOR_EDITS = {
    "title": f"Figures of a paper {SCRIPT} {JS_LINK}",
    "description": f"{RAW_LINK} {TYPST}",
    "contributors/0/title": f"A. Author {IMG}",
    "licenses/0/title": f"{RAW_INLINE} {SHORTCODE}",
}


def _set(document: dict, pointer: str, value: str) -> None:
    *parents, last = pointer.split("/")
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value


def edit_cells(root: Path, table: str, key_field: str, key: str, field: str, value: str) -> None:
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    matches = [row for row in rows if row[key_field] == key]
    assert len(matches) == 1, (table, key)
    matches[0][field] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A valid copy of the package holding every payload, built with the built-in engine."""
    root = copy_package(tmp_path_factory.mktemp("hostile") / "package",
                        ("datapackage.json", "data", "validation", "report"))
    paper = root / "data" / "source" / "paper.md"
    text = paper.read_text(encoding="utf-8")
    for old, new in PAPER_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    paper.write_text(text, encoding="utf-8")
    for edit in CELL_EDITS:
        edit_cells(root, *edit)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for key, value in DESCRIPTOR_EDITS.items():
        _set(descriptor, key, value)
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    rehash_copy(root)
    result = run_claimpack("build", str(root), "--engine", "builtin", "--force", timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def test_the_hostile_package_builds_and_no_payload_ran(hostile):
    """The build validated the package (it refuses an invalid one); no inline Python ran."""
    assert (hostile / "_site" / "index.html").is_file()
    assert not list(hostile.rglob("pwned-by-inline-python"))
    assert not list(Path.cwd().glob("pwned-by-inline-python"))


@pytest.fixture(scope="module")
def page(hostile):
    from playwright.sync_api import sync_playwright

    require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(offline=True)
        page = context.new_page()
        page.dialogs = []

        def dialog(d):
            page.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto((hostile / "_site" / "index.html").as_uri())
        page.wait_for_load_state("load")
        # let the charts render (their tooltips and labels carry the quotes and events) and any timer fire
        page.wait_for_timeout(1500)
        for chart in range(page.locator("figure:has(.cp-vega)").count()):
            page.locator("figure:has(.cp-vega)").nth(chart).hover()
        yield page
        browser.close()


def test_no_script_runs(page):
    assert page.dialogs == []
    assert page.evaluate("window.__pwned") is None


def test_no_element_is_injected(page):
    injected = page.evaluate("""() => ({
        onerror: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(
            a => a.name.startsWith('on'))).map(e => e.outerHTML.slice(0, 120)),
        javascript: [...document.querySelectorAll('[href],[src],[action],[formaction],[xlink\\\\:href]')]
            .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')
            .filter(v => /^\\s*javascript:/i.test(v)),
        images: document.querySelectorAll('img[src="x"]').length,
        raw: document.querySelectorAll('#raw-html').length,
        scripts: [...document.scripts].filter(s => s.type !== 'application/json')
            .filter(s => s.textContent.includes('__pwned')).length,
        data: [...document.querySelectorAll('script[type="application/json"]')].map(s => {
            try { JSON.parse(s.textContent); return 'json'; } catch (e) { return 'broken'; } }),
    })""")
    data = injected.pop("data")
    assert injected == {"onerror": [], "javascript": [], "images": 0, "raw": 0, "scripts": 0}
    # the chart specs carry the quotes and events as data, and stay whole JSON
    assert data and set(data) == {"json"}


def test_every_payload_is_shown_as_the_text_it_is(page):
    text = re.sub(r"\s+", " ", page.evaluate("document.body.innerText"))
    for payload in PAYLOADS:
        assert payload in text, payload
    assert "root:x:" not in text


def pdf_text(site: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(site / "report.pdf").pages)


def test_the_pdf_shows_every_payload_as_plain_text(hostile):
    text = re.sub(r"\s+", "", pdf_text(hostile / "_site"))
    for payload in PAYLOADS:
        assert re.sub(r"\s+", "", payload) in text, payload
    assert "root:x:" not in text


# ---- links: only http, https and doi addresses become links ------------------------------------
LINKS = [
    ("https://www.wola.org/analysis/", "https://www.wola.org/analysis/"),
    ("http://www.dtic.mil/whs/directives/corres/pdf/510565p.pdf",
     "http://www.dtic.mil/whs/directives/corres/pdf/510565p.pdf"),
    ("doi:10.2307/29738341", "https://doi.org/10.2307/29738341"),
    ("javascript:alert(document.domain)", None),
    ("JavaScript:alert(document.domain)", None),
    (" javascript:alert(document.domain)", None),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", None),
    ("vbscript:msgbox", None),
    ("//evil.example/x", None),
    ("file:///etc/passwd", None),
    ("https://ok.example/a> <img src=x onerror=alert(document.domain)>", None),
    # still one https link (its brackets percent-encoded), not a second javascript: one
    ("https://ok.example/a)[pwned](javascript:alert(document.domain)",
     "https://ok.example/a)[pwned](javascript:alert(document.domain)"),
    ("doi:x><script>alert(document.domain)</script>", None),
]


@pytest.mark.parametrize(("url", "href"), LINKS, ids=[url[:40] for url, _ in LINKS])
def test_markdown_link_links_only_to_http_https_or_doi(url, href):
    """Rendered by pandoc, as the report is: one link to the address, or none and the text as is."""
    import pypandoc

    from claimpack.system.escape import markdown_link

    html = pypandoc.convert_text(f"See {markdown_link(url)}.", "html", format="markdown")
    hrefs = [unquote(unescape(h)) for h in re.findall(r'href="([^"]*)"', html)]
    assert hrefs == ([href] if href else [])
    assert "<img" not in html and "<script" not in html
    if href is None:  # the address is printed as the text it is
        text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))
        assert url.strip() in text


def test_the_descriptor_allows_only_http_https_or_doi_source_urls():
    import json

    from conftest import ROOT

    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    sources = next(r for r in descriptor["resources"] if r["name"] == "sources")
    pattern = next(f for f in sources["schema"]["fields"] if f["name"] == "url")["constraints"]["pattern"]
    for url, _ in LINKS:
        if re.fullmatch(pattern, url):
            assert url.startswith(("http://", "https://", "doi:")), url
    for url in ("javascript:alert(document.domain)", "JavaScript:alert(document.domain)", "data:text/html,x",
                "vbscript:msgbox", "//evil.example/x", "file:///etc/passwd", " https://ok.example/"):
        assert not re.fullmatch(pattern, url), url
