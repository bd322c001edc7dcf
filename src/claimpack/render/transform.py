"""Quarto semantics applied to pandoc's JSON AST: figures, cross-references, callouts, refusals.

This is the built-in engine's counterpart of Quarto's Lua filters, for the supported subset:
numbered `fig-` figures and `@fig-` references, the five callout types (collapsible or not), and `fig-alt` on images.
Every other Quarto-only construct that pandoc would silently pass through (tabsets, layout
attributes, `@sec-` references, ...) is refused here, naming the .qmd line where it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..system.escape import html
from .errors import RenderError, UnsupportedFeature
from .execute import Chart
from .qmd import Document

Element = dict[str, Any]
NBSP = "\u00a0"

CALLOUT_TITLES = {"note": "Note", "tip": "Tip", "warning": "Warning", "important": "Important",
                  "caution": "Caution"}
CROSSREF = re.compile(r"^(fig|tbl|lst|tip|nte|wrn|imp|cau|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg|eq|sec)-",
                      re.I)
QUARTO_CLASSES = re.compile(
    r"^(panel-.*|column-.*|page-columns|page-full|callout|callout-.*|content-visible|content-hidden|hidden|"
    r"cell|cell-.*|aside|lightbox|incremental|nonincremental|fragment|notes|columns|column|r-.*|smaller|"
    r"scrollable|absolute|block|landscape|quarto-.*|theorem|lemma|corollary|proposition|conjecture|"
    r"definition|example|exercise|solution|remark|proof|algorithm|tabset|margin-.*|code-annotation.*)$")
QUARTO_ATTRIBUTES = re.compile(
    r"^(layout.*|fig-.*|tbl-.*|lst-.*|when-.*|unless-.*|code-.*|filename|lightbox|group|collapse|appearance|"
    r"icon|echo|eval|output|include|crossref|cap-location|reference-location|citation-location)$")


def _str_inlines(text: str) -> list[Element]:
    out: list[Element] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def stringify(node: Any) -> str:
    """Plain text of an AST fragment."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if isinstance(node, dict):
        t = node.get("t")
        if t == "Str":
            return node["c"]
        if t in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if t in ("Code", "Math", "RawInline"):
            return node["c"][1] if t != "RawInline" else ""
        if t == "Note":
            return ""
        return stringify(node.get("c"))
    return ""


@dataclass
class Renderers:
    """Per-format hooks: how a chart becomes figure content, and where a local image is found."""

    fmt: str
    chart_body: Callable[[Chart, str], list[Element]]
    image_source: Callable[[str, str], str]


class Transformer:
    def __init__(self, doc: Document, charts: dict[int, Chart], chart_class: str, renderers: Renderers):
        self.doc = doc
        self.charts = charts
        self.chart_class = chart_class
        self.r = renderers
        self.figures: dict[str, int] = {}
        self.callouts = 0

    def where(self, needle: str) -> str:
        return f"{self.doc.display}:{self.doc.find_line(needle)}"

    # -- pass 1: number the figures in document order ------------------------------------------

    def number_figures(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self.number_figures(item)
            return
        if not isinstance(node, dict) or "t" not in node:
            return
        ident = None
        if node["t"] == "Figure" or (node["t"] == "Div" and self.chart_class in node["c"][0][1]):
            ident = node["c"][0][0]
        if ident and ident.startswith("fig-"):
            if ident in self.figures:
                raise RenderError(self.where(ident), f"figure label '{ident}' is used twice", "unique labels")
            self.figures[ident] = len(self.figures) + 1
        self.number_figures(node.get("c"))

    # -- pass 2: rewrite ---------------------------------------------------------------------

    def run(self, ast: dict[str, Any]) -> dict[str, Any]:
        self.number_figures(ast["blocks"])
        ast["blocks"] = self.walk(ast["blocks"])
        return ast

    def walk(self, node: Any) -> Any:
        if isinstance(node, list):
            out: list[Any] = []
            for item in node:
                if isinstance(item, dict) and "t" in item:
                    item = {"t": item["t"], **({"c": self.walk(item["c"])} if "c" in item else {})}
                    replaced = self.visit(item)
                    if replaced is None:
                        out.append(item)
                    else:
                        out.extend(replaced)
                else:
                    out.append(self.walk(item))
            return out
        if isinstance(node, dict):
            return {k: self.walk(v) for k, v in node.items()}
        return node

    def visit(self, el: Element) -> list[Element] | None:
        t = el["t"]
        if t == "Cite":
            return self.cite(el)
        if t == "Div":
            return self.div(el)
        if t == "Span":
            self.check_attr(el["c"][0], "span")
        elif t == "Figure":
            return self.figure(el)
        elif t == "Image":
            return self.image(el)
        elif t in ("CodeBlock", "Code", "Header"):
            attr = el["c"][1] if t == "Header" else el["c"][0]
            self.check_attr(attr, "heading" if t == "Header" else "code")
        elif t == "Table":
            ident = el["c"][0][0]
            if CROSSREF.match(ident):
                raise UnsupportedFeature(self.where(ident), f"table cross-reference label '#{ident}'",
                                         "tables without tbl- labels")
        elif t == "Str" and el["c"].startswith("{#eq-"):
            raise UnsupportedFeature(self.where(el["c"]), "numbered equations ({#eq-...})",
                                     "unlabelled display math")
        return None

    def check_attr(self, attr: list[Any], kind: str) -> None:
        ident, classes, attributes = attr
        for cls in classes if kind != "code" else []:  # code classes name languages
            if QUARTO_CLASSES.match(cls):
                raise UnsupportedFeature(self.where(cls), f"Quarto {kind} class '.{cls}'",
                                         "plain Markdown, callouts and figures")
        for key, _ in attributes:
            if QUARTO_ATTRIBUTES.match(key):
                raise UnsupportedFeature(self.where(key), f"Quarto {kind} attribute '{key}'",
                                         "plain Markdown, callouts and figures")
        if kind != "heading" and ident and CROSSREF.match(ident) and not ident.startswith("sec-"):
            raise UnsupportedFeature(self.where("#" + ident), f"cross-reference label '#{ident}' on a {kind}",
                                     "fig- labels on chart cells or images")

    # -- cross-references --------------------------------------------------------------------

    def cite(self, el: Element) -> list[Element] | None:
        citations = el["c"][0]
        refs = [c for c in citations if CROSSREF.match(c["citationId"])]
        if not refs:
            return None
        first = refs[0]["citationId"]
        where = self.where("@" + first)
        if len(citations) > 1:
            raise UnsupportedFeature(where, "several references in one citation group with a cross-reference",
                                     "one cross-reference per [@fig-...]")
        citation = refs[0]
        ident = citation["citationId"]
        if not ident.lower().startswith("fig-"):
            prefix = ident.split("-")[0]
            raise UnsupportedFeature(where, f"cross-reference @{ident} (@{prefix}- references)",
                                     "@fig- references to figures")
        key = "fig-" + ident[4:]
        if key not in self.figures:
            known = ", ".join("@" + k for k in self.figures) or "none in this document"
            raise RenderError(where, f"cross-reference @{ident} points at no figure",
                              f"a figure label: {known}")
        number = str(self.figures[key])
        suppress = citation["citationMode"]["t"] == "SuppressAuthor"
        text = number if suppress else f"Figure{NBSP}{number}"
        link = {"t": "Link", "c": [["", ["quarto-xref"], []], [{"t": "Str", "c": text}], ["#" + key, ""]]}
        out: list[Element] = []
        if citation["citationPrefix"]:
            out += [*citation["citationPrefix"], {"t": "Space"}]
        out.append(link)
        out += citation["citationSuffix"]
        return out

    # -- figures -----------------------------------------------------------------------------

    def caption_inlines(self, ident: str, inlines: list[Element]) -> list[Element]:
        if ident in self.figures:
            label = [{"t": "Str", "c": f"Figure{NBSP}{self.figures[ident]}" + (":" if inlines else "")}]
            return label + ([{"t": "Space"}, *inlines] if inlines else [])
        return inlines

    def figure(self, el: Element) -> list[Element] | None:
        attr, (short, blocks), body = el["c"]
        self.check_attr(["", attr[1], attr[2]], "figure")
        inlines = []
        for block in blocks:
            if block["t"] in ("Plain", "Para"):
                inlines += block["c"]
        caption = self.caption_inlines(attr[0], inlines)
        return [{"t": "Figure", "c": [attr, [short, [{"t": "Plain", "c": caption}] if caption else []], body]}]

    def image(self, el: Element) -> list[Element]:
        (ident, classes, attributes), alt, (src, title) = el["c"]
        kept = []
        for key, value in attributes:
            if key == "fig-alt":
                alt = _str_inlines(value)
            elif QUARTO_ATTRIBUTES.match(key):
                raise UnsupportedFeature(self.where(key), f"Quarto image attribute '{key}'",
                                         "width, height and fig-alt")
            else:
                kept.append([key, value])
        for cls in classes:
            if QUARTO_CLASSES.match(cls):
                raise UnsupportedFeature(self.where(cls), f"Quarto image class '.{cls}'", "plain images")
        src = self.r.image_source(src, self.where(src))
        return [{"t": "Image", "c": [[ident, classes, kept], alt, [src, title]]}]

    def chart(self, el: Element) -> list[Element]:
        (ident, _classes, attributes), blocks = el["c"]
        number = int(dict(attributes)["chart"])
        chart = self.charts[number]
        inlines: list[Element] = []
        for block in blocks:
            if block["t"] in ("Plain", "Para"):
                inlines += ([{"t": "Space"}] if inlines else []) + block["c"]
            else:
                raise RenderError(chart.where, "fig-cap must be a single paragraph of text", "one line of Markdown")
        alt = chart.alt or stringify(inlines) or "Chart"
        caption = self.caption_inlines(ident, inlines)
        body = self.r.chart_body(chart, alt)
        attr = [ident or "", ["cp-figure", "cp-chart"], []]
        return [{"t": "Figure", "c": [attr, [None, [{"t": "Plain", "c": caption}] if caption else []], body]}]

    # -- callouts ----------------------------------------------------------------------------

    def div(self, el: Element) -> list[Element] | None:
        attr, blocks = el["c"]
        ident, classes, attributes = attr
        if self.chart_class in classes:
            return self.chart(el)
        kinds = [c[len("callout-"):] for c in classes if c.startswith("callout-") and c[8:] in CALLOUT_TITLES]
        if not kinds:
            if ident.startswith("fig-"):
                raise UnsupportedFeature(self.where("#" + ident), f"figure div '#{ident}'",
                                         "a fig- label on a chart cell or an image: ![caption](file){#fig-...}")
            self.check_attr(attr, "div")
            return None
        kind = kinds[0]
        title: list[Element] | None = None
        collapse: str | None = None
        for key, value in attributes:
            if key == "title":
                title = _str_inlines(value)
            elif key == "collapse" and value in ("true", "false"):
                collapse = value
            else:
                raise UnsupportedFeature(self.where(key), f"callout attribute '{key}'",
                                         "title=\"...\" and collapse=\"true\" or \"false\" only")
        if [c for c in classes if c != f"callout-{kind}"]:
            other = next(c for c in classes if c != f"callout-{kind}")
            raise UnsupportedFeature(self.where(other), f"class '.{other}' on a callout", "one callout class")
        if ident and CROSSREF.match(ident):
            raise UnsupportedFeature(self.where("#" + ident), f"cross-reference label '#{ident}' on a callout",
                                     "callouts without a cross-reference label")
        if title is None and blocks and blocks[0]["t"] == "Header":
            title = blocks[0]["c"][2]
            blocks = blocks[1:]
        if title is None:
            title = [{"t": "Str", "c": CALLOUT_TITLES[kind]}]
        self.callouts += 1
        if self.r.fmt == "html" and collapse:
            # a collapsible callout is a disclosure: <details>, whose <summary> is its title (a browser
            # opens it when a link or a search of the page reaches inside); Typst prints it open
            ident_attribute = f' id="{html(ident)}"' if ident else ""
            opened = "" if collapse == "true" else " open"
            opening = f'<details{ident_attribute} class="callout callout-{kind} callout-collapsible"{opened}>'
            return [{"t": "RawBlock", "c": ["html", opening]},
                    {"t": "RawBlock", "c": ["html", '<summary class="callout-title">']},
                    {"t": "Plain", "c": [{"t": "Strong", "c": title}]},
                    {"t": "RawBlock", "c": ["html", "</summary>"]},
                    {"t": "Div", "c": [["", ["callout-body"], []], blocks]},
                    {"t": "RawBlock", "c": ["html", "</details>"]}]
        if self.r.fmt == "html":
            title_id = f"callout-{self.callouts}-title"
            return [{"t": "Div", "c": [
                [ident, ["callout", f"callout-{kind}"], [["role", "note"], ["aria-labelledby", title_id]]],
                [{"t": "Div", "c": [[title_id, ["callout-title"], []], [{"t": "Plain", "c": [
                    {"t": "Strong", "c": title}]}]]},
                 {"t": "Div", "c": [["", ["callout-body"], []], blocks]}]]}]
        return [
            {"t": "RawBlock", "c": ["typst", f'#cp-callout(kind: "{kind}", title: [']},
            {"t": "Plain", "c": title},
            {"t": "RawBlock", "c": ["typst", "])["]},
            *blocks,
            {"t": "RawBlock", "c": ["typst", "]"]},
        ]


def apply_quarto(ast: dict[str, Any], doc: Document, charts: dict[int, Chart], chart_class: str,
                 renderers: Renderers) -> dict[str, Any]:
    """Rewrite pandoc's AST of an executed document for one output format."""
    return Transformer(doc, charts, chart_class, renderers).run(ast)
