"""Every problem code claimpack reports: the layer that owns it, what it means, and the shape of its message.

A `Problem`'s `code` is one of these (`known(layer, code)` says so; the known-bad corpus holds
every problem to it). A template shows a message's shape: `{name}` stands for what varies. Two
families are not listed one by one: frictionless's own error types (FRICTIONLESS_CODES, reported
under its names) and Great Expectations' expectation types (`expect_...`, the expectation that
failed). docs/problems.qmd is generated from this registry.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One problem code: its layer, a title, and its message's shape."""

    code: str
    layer: str
    title: str
    template: str


_CODES = (
    # ---- input: claimpack's reader, before any layer ------------------------------------------
    Code("error", "input", "Bad input or usage that stops a command", "{what is wrong}"),
    Code("unreadable", "input", "A file the reader cannot read at all", "{why the file cannot be read}"),
    Code("bom", "input", "A file starts with a byte-order mark", "file starts with a byte-order mark"),
    Code("cell-too-long", "input", "A cell longer than any claim can use", "cell is {length} characters long"),
    Code("not-finite", "input", "A number cell holds NaN or infinity", "{value} is not a finite number"),
    Code("type", "input", "A cell that does not cast to its field's type", "{value} is not a {type}"),
    Code("label", "input", "A header label that is not the schema's field name",
         "header says {label} where the schema names the field {name}"),
    Code("missing-cell", "input", "A row shorter than the header", "row is short: {n} cell(s) missing ({names})"),
    Code("extra-cell", "input", "A row longer than the header", "row has {n} cells where the header has {m}"),
    Code("control-character", "input", "A control character or bidirectional override in text",
         "text holds {character} at character {position}"),
    Code("invisible-character", "input", "An invisible character in text (a warning)",
         "text holds the invisible {character} at character {position}"),
    Code("package-name", "input", "A package name that is not plain", "name {name} is not a plain package name"),
    Code("unit-enum-drift", "input", "A unit enum edited apart from claimpack.units",
         "the unit enum is not the one claimpack.units declares ({what differs})"),
    Code("package-version", "input", "A version that is not a version number",
         "version {version} is not a version number"),
    # ---- frictionless --------------------------------------------------------------------------
    Code("frictionless-failed", "frictionless", "Frictionless could not run",
         "frictionless could not validate the package: {why}"),
    Code("frictionless-budget", "frictionless", "Frictionless went over its budget", "frictionless was stopped: {why}"),
    Code("error-limit", "frictionless", "Frictionless stopped at its error limit",
         "frictionless stopped after {limit} errors; fix these and validate again to see the rest"),
    # ---- Great Expectations -------------------------------------------------------------------
    Code("gx-project", "expectations", "The Great Expectations project cannot be used",
         "cannot load the Great Expectations project: {why}"),
    Code("suite-missing", "expectations", "A resource without an expectation suite",
         "no expectation suite for resource {name}"),
    Code("suite-unreadable", "expectations", "A suite that cannot be read", "cannot read the suite: {why}"),
    Code("suite-invalid", "expectations", "A suite or expectation GX cannot load",
         "expectation {number} ({kind}) is skipped: {reason}"),
    Code("suite-error", "expectations", "A suite that fails to run", "the suite could not run: {why}"),
    Code("table-unreadable", "expectations", "A table GX was not given", "table not validated: {why}"),
    Code("data-docs", "expectations", "Data Docs that could not be built", "Data Docs could not be built: {why}"),
    # ---- provenance ----------------------------------------------------------------------------
    Code("quote-blank", "provenance", "A blank quote", "quote {quote} is blank"),
    Code("quote-not-found", "provenance", "A quote that is not in the paper", "quote is not in the paper"),
    Code("quote-misplaced", "provenance", "A quote found elsewhere than its section and paragraph",
         "quote stands in section {section}, paragraph {paragraph}"),
    Code("figure-not-in-quote", "provenance", "A figure that is not inside its quote",
         "figure {figure} is not in its quote"),
    Code("figure-unreadable", "provenance", "A figure no parser reads", "cannot read the figure: {why}"),
    Code("value-mismatch", "provenance", "A value that disagrees with its figure",
         "value {value} disagrees with figure {figure}"),
    Code("bound-mismatch", "provenance", "A bound that does not fit the qualifier",
         "{bound} {value} does not fit qualifier {qualifier}"),
    Code("qualifier-mismatch", "provenance", "A qualifier the text does not print",
         "qualifier {recorded} disagrees with the text, which reads {qualifier}"),
    Code("unit-mismatch", "provenance", "A unit the figure's words disagree with",
         "unit {unit} disagrees with figure {figure}"),
    Code("date-not-in-quote", "provenance", "An event's date its quote does not state",
         "year {year} is not in the quote"),
    Code("date-precision-mismatch", "provenance", "A date that is not the first year of its decade or century",
         "{date} is not the first year of a {precision}"),
    Code("date-offset-mismatch", "provenance", "A relative date that is not its anchor plus its offset",
         "{date} is not {what} {base} {sign} {years} years at precision {precision}"),
    Code("offset-invalid", "provenance", "An offset that is not a duration in years, or an anchor without one",
         "offset {offset} is not a duration in years"),
    Code("offset-not-in-quote", "provenance", "An offset the quote does not state",
         "the quote does not state an offset of {years} years ({offset})"),
    Code("anchor-missing", "provenance", "A relative date with nothing to count from",
         "no anchor, and the paper itself has no year"),
    Code("footnote-missing", "provenance", "A footnote the paper does not have", "the paper has no footnote {number}"),
    Code("footnote-mismatch", "provenance", "A record whose footnote is not the one its quote carries",
         "{what the paper's marker says}"),
    Code("footnote-section", "provenance", "A section that is not where the footnote's marker stands",
         "section {section} is not where footnote {number}'s marker stands"),
    Code("footnote-text", "provenance", "A footnote's text that differs from the paper's",
         "text differs from footnote {number} as printed from character {position}: {text}"),
    Code("footnote-unrecorded", "provenance", "A footnote of the paper without a row",
         "footnote {number} of the paper has no row"),
    Code("citation-unrecorded", "provenance", "A footnote without a citation row",
         "footnote {number} has no citation row"),
    Code("cited-as-not-in-footnote", "provenance", "Citing words that are not in the footnote",
         "not in the text of footnote {number}"),
    Code("source-not-cited", "provenance", "A record's source its footnote does not cite",
         "footnote {number} cites {cited}, not {source}"),
    Code("source-without-footnote", "provenance", "A cited source with no footnote or in-text citation to back it",
         "no footnote or citation in its sentence backs this record, so it cannot cite {source}"),
    Code("locator-mismatch", "provenance", "A page its footnote does not give",
         "footnote {number} cites {source} at {locators}, not {locator}"),
    Code("own-source", "provenance", "An own figure whose source is not the paper",
         "source_id {source} is not the paper itself for kind own"),
    Code("reported-source", "provenance", "A reported figure whose source is the paper itself",
         "source_id {source} is the paper itself for kind reported"),
    Code("ibid-flag", "provenance", "An ibid flag the citation's words contradict",
         "ibid is {flag} but the citation {says or does not say} Ibid."),
    Code("ibid-unresolved", "provenance", "An Ibid. that names no footnote",
         "an Ibid. must name the footnote it repeats"),
    Code("ibid-forward", "provenance", "An Ibid. that repeats a later footnote",
         "Ibid. in footnote {number} cannot repeat footnote {target}"),
    Code("ibid-wrong-source", "provenance", "An Ibid. whose footnote cites another work",
         "footnote {target} (repeated by this Ibid.) does not cite {source}"),
    Code("ibid-of-without-ibid", "provenance", "An ibid_of on a citation that is not an Ibid.",
         "ibid_of is {target} but the citation is not an Ibid."),
    Code("bibliography-entry", "provenance", "An entry that is not in the paper's bibliography",
         "not an entry of the paper's bibliography as printed"),
    Code("bibliography-unrecorded", "provenance", "A bibliography entry without a row",
         "bibliography entry at line {line} has no row: {text}"),
    Code("in-bibliography", "provenance", "An in_bibliography flag that contradicts bibliography_entry",
         "in_bibliography is {flag} but bibliography_entry is {set or empty}"),
    Code("defect-record", "provenance", "A defect naming a record that does not exist",
         "{record} is neither a claim nor an event"),
    Code("defect-footnote", "provenance", "A defect naming a footnote the paper does not have",
         "the paper has no footnote {number}"),
    Code("derivation", "provenance", "A paper's text that its original no longer gives",
         "the text differs from what {tool} derives from {original}: {difference}"),
    # ---- the verifications log (checked with provenance) --------------------------------------
    Code("verifications-missing", "provenance", "A verifications log the descriptor names but that is absent",
         "file is missing"),
    Code("verifications-header", "provenance", "A verifications log with another header", "header is {header}"),
    Code("verification-number", "provenance", "A row number that breaks the count", "number {number} breaks the count"),
    Code("verification-chain", "provenance", "A row that breaks the hash chain",
         "row {number} does not follow the hash chain: it, or the row before it, was changed, removed or moved "
         "after it was recorded"),
    Code("verification-timestamp", "provenance", "A timestamp that is not UTC", "{stamp} is not a UTC timestamp"),
    Code("verification-timestamp-order", "provenance", "A timestamp earlier than the row before",
         "{stamp} is earlier than the row before ({previous})"),
    Code("verification-future", "provenance", "A timestamp in the future",
         "{stamp} is in the future (the clock reads {now})"),
    Code("verification-unknown-record", "provenance", "A verdict on a record that does not exist",
         "{record} is neither a claim nor an event"),
    Code("verification-record-type", "provenance", "A verdict that names the wrong kind of record",
         "{record} is a {kind}, not a {recorded kind}"),
    # ---- the reviews log, written by claimpack review (checked with provenance) ------------------
    Code("reviews-missing", "provenance", "A reviews log the descriptor names but that is absent", "file is missing"),
    Code("reviews-header", "provenance", "A reviews log with another header", "header is {header}"),
    Code("review-chain", "provenance", "A row of the reviews log that breaks the hash chain",
         "row {number} does not follow the hash chain: it, or the row before it, was changed, removed or moved "
         "after it was written"),
    Code("review-number", "provenance", "A row number of the reviews log that breaks the count",
         "number {number} breaks the count"),
    Code("review-action-order", "provenance", "An action of the reviews log numbered before the one above it",
         "action {action} comes after action {previous}"),
    Code("review-undo", "provenance", "An undo that names no earlier action", "an undo of {action}"),
    # ---- consistency ---------------------------------------------------------------------------
    Code("check-invalid", "consistency", "A check that cannot be evaluated", "cannot evaluate: {why}"),
    Code("check-kind", "consistency", "A check whose kind its expression contradicts",
         "check {id} is recorded as a {kind}, but its expression is {what}"),
    Code("check-failed", "consistency", "A check that does not hold", "check {id} fails: {detail}"),
    # ---- coverage ------------------------------------------------------------------------------
    Code("number-unrecorded", "coverage", "A number of the paper with no record and no exclusion",
         "{kind} {number} in {where}, paragraph {paragraph} has no record: \"…{context}…\""),
    Code("text-doubtful", "coverage", "A paragraph whose text cannot be trusted to count its numbers",
         "the text of {where}, paragraph {paragraph} is doubtful: {why}"),
    Code("exclusion-unused", "coverage", "An exclusion that matches no uncovered number",
         "exclusion of {number} in {context} matches no uncovered number of the paper"),
    Code("exclusions-context", "coverage", "An exclusion whose context lacks its number",
         "context {context} does not contain {number}"),
    Code("exclusions-empty", "coverage", "An empty exclusions file", "{file} is empty"),
    Code("exclusions-header", "coverage", "An exclusions file with another header", "header is {header}"),
    Code("exclusions-row", "coverage", "An exclusion row of the wrong length", "row has {n} cells"),
    Code("exclusions-unreadable", "coverage", "An exclusions file that cannot be read", "malformed CSV: {why}"),
    # ---- cross-checks (warnings) ---------------------------------------------------------------
    Code("author-spelling", "crosscheck", "A footnote spells an author otherwise than the bibliography",
         "footnote {number} spells {printed} where the bibliography has {family}"),
    Code("author-order", "crosscheck", "A bibliography entry that does not begin with the family name",
         "the bibliography prints the first author of {source} as {lead} where footnote {number} has {printed}"),
    Code("title-form", "crosscheck", "A footnote prints a title otherwise than the bibliography",
         "footnote {number} prints the title as {printed}, the bibliography as {title}"),
    Code("title-differs", "crosscheck", "A footnote gives another title",
         "footnote {number} does not give the title {title}"),
    Code("url-domain", "crosscheck", "A footnote links to another site than the bibliography",
         "footnote {number} links to {hosts} where the bibliography links to {hosts}"),
    Code("page-outside-range", "crosscheck", "A page outside the article's pages",
         "footnote {number} cites page {page}, outside the pages {pages} the bibliography gives for {source}"),
    Code("missing-from-bibliography", "crosscheck", "A cited work missing from the bibliography",
         "{source} is cited in footnote {numbers} but missing from the bibliography"),
    Code("never-cited", "crosscheck", "A bibliography entry nothing cites",
         "{source} is in the bibliography but neither a footnote nor the text cites it"),
    Code("repeated-figure", "crosscheck", "The same quantity stated twice with different values",
         "{id} states {figure} for the same quantity that {other} states as {other figure}"),
    Code("derived-invalid", "crosscheck", "A derived claim that cannot be recomputed", "cannot recompute: {why}"),
    Code("derived-mismatch", "crosscheck", "A derived claim that does not match its recomputation",
         "{figure} does not match its recomputation {value} from {formula}"),
    Code("defect-stale", "crosscheck", "A recorded defect whose finding is no longer made",
         "defect {id} records the cross-check finding {code}, which the cross-checks no longer make"),
    # ---- any layer -----------------------------------------------------------------------------
    Code("internal-error", "any", "A bug in claimpack (never the data's fault)",
         "internal error in the {layer} layer: {exception}"),
)
CODES: dict[str, Code] = {code.code: code for code in _CODES}

# frictionless v5's error types, reported under frictionless's own names
FRICTIONLESS_CODES = frozenset((
    "ascii-value", "blank-header", "blank-label", "blank-row", "byte-count", "cell-error", "constraint-error",
    "deviated-cell", "deviated-value", "duplicate-label", "duplicate-row", "encoding-error", "error", "extra-cell",
    "extra-label", "field-count", "file-error", "forbidden-value", "foreign-key", "format-error", "hash-count",
    "header-error", "incorrect-label", "label-error", "missing-cell", "missing-label", "package-error",
    "primary-key", "required-value", "resource-error", "row-constraint", "row-count", "row-error", "schema-error",
    "scheme-error", "sequential-value", "source-error", "table-dimensions", "truncated-value", "type-error",
    "unique-error",
))
# what a layer also reports when it stops on bad input (a ClaimpackError raised inside it)
_ANY_LAYER = frozenset(("error", "internal-error"))


def known(layer: str, code: str) -> bool:
    """Is this a code the layer reports? (its own codes, the input's, and a family's members)"""
    if code in _ANY_LAYER:
        return True
    if layer == "frictionless" and code in FRICTIONLESS_CODES:
        return True
    if layer == "expectations" and code.startswith("expect_"):
        return True
    entry = CODES.get(code)
    return entry is not None and entry.layer in (layer, "input", "any")
