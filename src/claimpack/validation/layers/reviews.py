"""Part of layer 3 (provenance): the reviewers' log, data/reviews.csv, is intact.

- the hash chain holds: a row changed, removed or moved after it was written is an error naming
  the first row that no longer follows the chain;
- numbers count up from 1, actions never go back, and an undo names an earlier action.

Types, enumerations and patterns are frictionless's to report (layer 1).
"""

from __future__ import annotations

import time

from ...model.package import Package
from ...model.reviews import FIELDS, LOG, RESOURCE
from ...system.problems import ClaimpackError, Problem

LAYER = "provenance"


def _problem(rel: str, row: int | None, field: str | None, message: str, expected: str, code: str) -> Problem:
    return Problem(rel, row, field, message, expected, layer=LAYER, code=code)


def check(package: Package) -> tuple[list[Problem], dict]:
    started = time.perf_counter()
    if not package.has(RESOURCE):
        return [], {"reviews": 0}
    try:
        rel = package.rel(RESOURCE)
        if not package.path_of(RESOURCE).is_file():
            return [_problem(rel, None, None, "file is missing", "the reviews log (header only when empty)",
                             "reviews-missing")], {"errors": 1}
        log = LOG.entries(package)
        header = package.table(RESOURCE).header
    except ClaimpackError as exc:
        return [exc.problem], {"errors": 1}
    if tuple(header) != FIELDS:
        return [_problem(rel, 1, None, f"header is {','.join(header)}", ",".join(FIELDS), "reviews-header")], \
            {"errors": 1}
    problems: list[Problem] = []
    for entry, _expected in LOG.broken_links(log):
        which = f"row {entry['number']}" if entry["number"] else "a row with no number"
        problems.append(_problem(rel, entry.row, "chain_hash",
                                 f"{which} does not follow the hash chain: it, or the row "
                                 "before it, was changed, removed or moved after it was written",
                                 "an append-only log: the sha256 of the previous chain_hash and this row's fields",
                                 "review-chain"))
        break  # every later row follows from the broken one: one problem says it
    expected, last_action = 1, 0
    for entry in log:
        if entry["number"] != str(expected):
            problems.append(_problem(rel, entry.row, "number", f"number {entry['number'] or 'empty'} breaks the count",
                                     str(expected), "review-number"))
        expected = int(entry["number"]) + 1 if entry["number"].isdigit() else expected + 1
        action = entry.action
        if action is not None:
            if action < last_action:
                problems.append(_problem(rel, entry.row, "action", f"action {action} comes after action {last_action}",
                                         "actions that never go back", "review-action-order"))
            last_action = max(last_action, action)
        if entry["kind"] == "undo" and (entry.undoes is None or action is None or entry.undoes >= action):
            problems.append(_problem(rel, entry.row, "undoes", f"an undo of {entry['undoes'] or 'nothing'}",
                                     "the number of an earlier action", "review-undo"))
    return problems, {"reviews": len(log), "errors": len(problems), "seconds": round(time.perf_counter() - started, 3)}
