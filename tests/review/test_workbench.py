"""`claimpack review`: the workbench's actions, their files, their undo, and its server's guard.

Every action runs for real on a package `claimpack init` made from one of the tests' papers:
staged, validated warm (frictionless in its child, Great Expectations, claimpack's layers),
written at once, logged in data/reviews.csv. The server is the real uvicorn on 127.0.0.1,
asked over real HTTP. The browser drives it in tests/test_review_browser.py.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import json
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, invoke_claimpack

PAPERS = ROOT / "tests" / "papers"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A package init made from the water paper, once per module (copied for each test)."""
    from claimpack.init.writer import init

    target = tmp_path_factory.mktemp("made") / "water"
    init(PAPERS / "water.md", target)
    return target


@pytest.fixture(scope="module")
def worker():
    from claimpack.validation.warm import FrictionlessWorker

    shared = FrictionlessWorker()
    yield shared
    shared.stop()


@pytest.fixture
def bench(made, worker, tmp_path):
    from claimpack.review.workbench import Workbench
    from claimpack.validation.warm import Checker

    root = tmp_path / "water"
    shutil.copytree(made, root)
    workbench = Workbench(root, "A. Reviewer", checker=Checker(root, frictionless=worker))
    workbench.start()
    yield workbench
    workbench.checker.close()


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".claimpack" not in p.parts}


def claims(root: Path) -> dict[str, dict]:
    import csv

    with (root / "data" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def log_rows(root: Path) -> list[dict]:
    import csv

    path = root / "data" / "reviews.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def recorded_hashes_hold(root: Path) -> bool:
    from claimpack.model.integrity import sha256

    for resource in descriptor(root)["resources"]:
        path = root / resource["path"]
        if resource.get("hash") != f"sha256:{sha256(path)}" or resource.get("bytes") != path.stat().st_size:
            return False
    return True


def first_claim(bench, unit: str | None = None) -> str:
    """The first candidate claim in reading order (of a unit)."""
    return next(key for key in bench.order if bench.rows[key].table == "claims" and bench.rows[key].status ==
                "candidate" and unit in (None, bench.rows[key].cells["unit"]))


# ---- actions -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_accept_makes_the_record_reviewed_with_its_hash_and_a_log_row(bench):
    key = first_claim(bench)
    before = claims(bench.root)[key]
    outcome = bench.accept(key, bench.rows[key].version)
    after = claims(bench.root)[key]
    assert after["status"] == "reviewed" and after["note"] == ""  # init's note checked
    assert after["measure"] == before["measure"].removesuffix(" (to review)") or after["measure"] == before["measure"]
    assert {k: v for k, v in after.items() if k not in ("status", "note", "measure")} == \
        {k: v for k, v in before.items() if k not in ("status", "note", "measure")}
    assert recorded_hashes_hold(bench.root)
    rows = log_rows(bench.root)
    assert [(r["number"], r["action"], r["kind"], r["record_id"], r["by"]) for r in rows] == \
        [("1", "1", "accept", key, "A. Reviewer")]
    assert json.loads(rows[0]["before"])["status"] == "candidate"
    assert json.loads(rows[0]["after"])["status"] == "reviewed"
    assert "reviews" in {r["name"] for r in descriptor(bench.root)["resources"]}
    assert outcome.seconds["total"] > 0 and outcome.go != key


@pytest.mark.slow
def test_reject_writes_an_exclusion_with_the_reason_and_undo_restores_every_byte(bench):
    key = first_claim(bench)
    figure = bench.rows[key].cells["figure"]
    first = files_of(bench.root)
    bench.reject(key, bench.rows[key].version, "not-a-figure")
    assert key not in claims(bench.root)
    exclusions = (bench.root / "validation" / "coverage-exclusions.csv").read_text(encoding="utf-8")
    assert exclusions.startswith(first["validation/coverage-exclusions.csv"].decode("utf-8"))
    assert "not a figure" in exclusions.splitlines()[-1]
    assert any(part in exclusions.splitlines()[-1] for part in figure.split())
    assert recorded_hashes_hold(bench.root)

    bench.undo(None)
    now = files_of(bench.root)
    changed = sorted(name for name in now.keys() | first.keys() if now.get(name) != first.get(name))
    assert changed == ["data/reviews.csv", "datapackage.json"]
    restored = descriptor(bench.root)
    restored["resources"] = [r for r in restored["resources"] if r["name"] != "reviews"]
    assert json.dumps(restored, indent=2, ensure_ascii=False) + "\n" == first["datapackage.json"].decode("utf-8")
    assert [(r["action"], r["kind"], r["undoes"]) for r in log_rows(bench.root)] == [("1", "reject", ""),
                                                                                     ("2", "undo", "1")]
    assert recorded_hashes_hold(bench.root)


@pytest.mark.slow
def test_undo_goes_back_action_by_action_and_then_there_is_nothing(bench):
    from claimpack.review.workbench import Refused

    first = files_of(bench.root)
    a, b = first_claim(bench), None
    bench.accept(a, bench.rows[a].version)
    b = first_claim(bench)
    bench.edit(b, bench.rows[b].version, {"measure": "cubic metres of water a day"})
    bench.undo(None)
    bench.undo(None)
    with pytest.raises(Refused, match="nothing to undo"):
        bench.undo(None)
    now = files_of(bench.root)
    assert {k for k in now if now[k] != first.get(k)} == {"data/reviews.csv", "datapackage.json"}
    assert [r["kind"] for r in log_rows(bench.root)] == ["accept", "edit", "undo", "undo"]


@pytest.mark.slow
def test_an_edit_to_an_unknown_unit_declares_it_in_the_vocabulary_schema_and_suites(bench):
    key = first_claim(bench, "count")
    suite = (bench.root / "validation" / "gx" / "expectations" / "claims.json").read_bytes()
    bench.edit(key, bench.rows[key].version, {"unit": "hectolitres", "measure": "water pumped"})
    assert claims(bench.root)[key]["unit"] == "hectolitres"
    assert claims(bench.root)[key]["status"] == "reviewed"
    found = descriptor(bench.root)
    assert "hectolitres" in found["claimpack"]["units"]
    claims_schema = next(r for r in found["resources"] if r["name"] == "claims")["schema"]
    assert "hectolitres" in next(f for f in claims_schema["fields"] if f["name"] == "unit")["constraints"]["enum"]
    regenerated = (bench.root / "validation" / "gx" / "expectations" / "claims.json").read_bytes()
    assert regenerated != suite and b"hectolitres" in regenerated
    assert recorded_hashes_hold(bench.root)
    bench.undo(None)
    assert (bench.root / "validation" / "gx" / "expectations" / "claims.json").read_bytes() == suite
    assert "hectolitres" not in descriptor(bench.root)["claimpack"]["units"]


@pytest.mark.slow
def test_a_change_that_adds_an_error_is_refused_and_writes_nothing(bench):
    from claimpack.review.workbench import Refused

    key = first_claim(bench)
    first = files_of(bench.root)
    with pytest.raises(Refused) as refused:
        bench.edit(key, bench.rows[key].version, {"value": "123456789"})
    assert refused.value.status == 422
    assert any(p.field == "value" and p.layer == "provenance" for p in refused.value.problems)
    assert files_of(bench.root) == first


@pytest.mark.slow
def test_a_stale_version_is_refused_as_a_conflict(bench):
    from claimpack.review.workbench import Conflict

    key = first_claim(bench)
    stale = bench.rows[key].version
    bench.edit(key, stale, {"measure": "households connected", "status": "candidate"})
    first = files_of(bench.root)
    with pytest.raises(Conflict, match="changed since this page showed it") as conflict:
        bench.accept(key, stale)
    assert conflict.value.status == 409
    assert files_of(bench.root) == first


@pytest.mark.slow
def test_a_package_changed_on_disk_is_read_again_and_the_action_refused(bench):
    from claimpack.review.workbench import Conflict

    key = first_claim(bench)
    path = bench.root / "data" / "claims.csv"
    path.write_bytes(path.read_bytes().replace(b"(to review)", b"(to review) ", 1))
    with pytest.raises(Conflict, match="changed on disk"):
        bench.accept(key, bench.rows[key].version)
    assert claims(bench.root)[key]["status"] == "candidate"


@pytest.mark.slow
def test_a_verdict_is_appended_to_the_verifications_log_and_never_undone(bench):
    from claimpack.model.verifications.log import LOG
    from claimpack.review.workbench import Refused

    key = first_claim(bench)
    bench.accept(key, bench.rows[key].version)
    bench.verdict(key, bench.rows[key].version, "confirmed", "The utility's report says so, p. 4",
                  "https://example.org/report.pdf", "")
    log = LOG.entries(bench.package)
    assert [(e["record_id"], e["verdict"], e["by"]) for e in log] == [(key, "confirmed", "A. Reviewer")]
    assert list(LOG.broken_links(log)) == []
    with pytest.raises(Refused, match="verdicts are never removed"):
        bench.undo(None)
    with pytest.raises(Refused, match="http or https"):
        bench.verdict(key, bench.rows[key].version, "disputed", "no", "javascript:alert(1)", "")


@pytest.mark.slow
def test_batch_rule_rejects_a_sections_candidates_in_one_action(bench):
    section = bench.rows[first_claim(bench)].cells["section"]
    rows = bench.matching("section", section)
    assert rows and all(r.cells["section"] == section and r.status == "candidate" for r in rows)
    outcome = bench.reject_many([(r.id, r.version) for r in rows], "not-a-figure")
    left = claims(bench.root)
    assert not any(r.id in left for r in rows)
    assert {r["action"] for r in log_rows(bench.root)} == {str(outcome.action)}
    assert len(log_rows(bench.root)) == len(rows)
    bench.undo(None)
    assert all(r.id in claims(bench.root) for r in rows)


@pytest.mark.slow
def test_pattern_rule_frames_the_figure(bench):
    from claimpack.review.workbench import Refused

    with pytest.raises(Refused, match="with N where the number stands"):
        bench.matching("pattern", "version")
    key = first_claim(bench)
    place = bench.locate(bench.rows[key])
    block, _, _, start, _ = place
    before = block.norm[max(0, block.norm.rfind(" ", 0, start - 1) + 1):start]
    found = bench.matching("pattern", f"{before}N")
    assert key in [r.id for r in found]


@pytest.mark.slow
def test_a_missed_figure_is_added_from_the_paper_and_its_exclusion_removed(bench):
    key = first_claim(bench)
    row = bench.rows[key]
    block, _, _, start, end = bench.locate(row)
    index = bench.package.paper.blocks.index(block)
    bench.reject(key, row.version, "not-a-figure")
    outcome = bench.add(index, start, end)
    added = claims(bench.root)[outcome.go]
    assert added["figure"] == row.cells["figure"] and added["status"] == "reviewed"
    assert added["value"] == row.cells["value"]
    with (bench.root / "validation" / "coverage-exclusions.csv").open(encoding="utf-8", newline="") as handle:
        rejected = [r for r in csv.DictReader(handle) if r["reason"] == "not a figure"]
    assert not rejected  # the reject's exclusion is gone (init's own reasons are more specific)
    assert recorded_hashes_hold(bench.root)


RANKS = """---
title: "Aid After the War: Donors and Their Ranks"
author:
  - Ana Ruiz
date: 2021-03-04
---

# Introduction

After World War II the region received $4.5 million in aid from 1950 to 1960.[^1] The foremost
donor was the United States, and exports tripled over the decade. Title IV of the act set aside
12 percent of the budget for schools.

# Findings

Spending doubled to $9 million by 1970, the top donor gave 40% of it, and the runner-up gave 25%.[^2]
The second-largest programme reached 3,000 households.

[^1]: Smith, *Aid in the Andes* (Lima: Press, 2001), 12.
[^2]: Smith, *Aid in the Andes*, 44.
"""


@pytest.mark.slow
def test_the_workbench_counts_what_coverage_counts_words_ranks_and_numerals_too(tmp_path, worker):
    """Rank words, multiplicative words and Roman numerals are numbers (claimpack.text.counting): the paper view
    colours each, adding one as a claim removes its exclusion, and rejecting it writes the exclusion back."""
    from claimpack.init.writer import init
    from claimpack.review.views import paper_view
    from claimpack.review.workbench import Workbench
    from claimpack.validation.layers.coverage import Tally, read_exclusions, unrecorded
    from claimpack.validation.warm import Checker

    (tmp_path / "ranks.md").write_text(RANKS, encoding="utf-8")
    root = tmp_path / "ranks"
    init(tmp_path / "ranks.md", root)
    bench = Workbench(root, "A. Reviewer", checker=Checker(root, frictionless=worker))
    bench.start()
    try:
        view = paper_view(bench, lambda *parts: "/" + "/".join(parts))
        shown = {p["text"]: p["state"] for b in view["blocks"] for p in b["pieces"] if p.get("state")}
        tally = Tally()
        exclusions, _ = read_exclusions(bench.package)
        assert not list(unrecorded(bench.package, bench.package.paper, exclusions, tally))
        assert sum(view["counts"].values()) == tally.numbers and view["counts"]["unrecorded"] == 0
        for word in ("II", "IV", "foremost", "top", "runner-up"):
            assert shown[word] == "excluded", word
        for word in ("tripled", "doubled"):  # a multiple in words is a figure init proposes (unit times)
            assert shown[word] == "candidate", word
        block = next(b for b in bench.package.paper.blocks if " the top donor" in b.norm)
        start = block.norm.index(" top ") + 1
        added = bench.add(bench.package.paper.blocks.index(block), start, start + 3)
        assert "exclusions of top removed" in added.message
        exclusions_file = root / "validation" / "coverage-exclusions.csv"
        assert not any(line.startswith("top,") for line in exclusions_file.read_text(encoding="utf-8").splitlines())
        shown = {p["text"]: p for b in paper_view(bench, lambda *parts: "/" + "/".join(parts))["blocks"]
                 for p in b["pieces"] if p.get("state")}
        assert shown["top"]["state"] == "reviewed" and shown["top"]["record"] == added.go
        row = bench.rows[added.go]
        rejected = bench.reject(added.go, row.version, "not-a-figure")
        assert "top (not a figure)" in rejected.message
        assert any(line.startswith("top,") and line.endswith(",not a figure")
                   for line in exclusions_file.read_text(encoding="utf-8").splitlines())
        ran = invoke_claimpack("validate", str(root), "--skip", "expectations", cwd=root)
        assert ran.returncode == 0, ran.stdout + ran.stderr
    finally:
        bench.checker.close()


@pytest.mark.slow
def test_the_packages_title_licence_and_authors_are_one_logged_action_undone_exactly(bench):
    """What `build --release` asks beyond the records: a licence and named authors, set through the same
    mutation and validation as every action, with the CITATION.cff and README init wrote."""
    from claimpack.model.package import Package
    from claimpack.model.placeholders import release_blockers
    from claimpack.review.workbench import Conflict, Refused

    root = bench.root
    before = files_of(root)
    for licence, authors, message in [
            ("", [("Ana Ruiz", "")], "not saved: no licence is chosen (expected a licence for the records"),
            ("CC-BY-4", [("Ana Ruiz", "")], "not saved: licence 'CC-BY-4' is not on the SPDX list"),
            ("CC-BY-4.0", [("", "")], "not saved: no author is named (expected each author of the records by name)"),
            ("CC-BY-4.0", [("The paper's author (to fill in)", "")], "author 1 is still claimpack init's placeholder")]:
        with pytest.raises(Refused, match=re.escape(message)):
            bench.about(None, "Water figures", licence, authors)
    assert files_of(root) == before
    stale = "0" * 20
    with pytest.raises(Conflict, match="changed since this page showed them"):
        bench.about(stale, "Water figures", "CC-BY-4.0", [("Ana Ruiz", "")])

    outcome = bench.about(None, "  Water figures,  checked ", "cc-by-4.0",
                          [("Ben Okafor", "Universidad de Lima"), ("", ""), ("Ana Ruiz", "")])
    assert outcome.message == "saved the package's title, licence, authors"
    written = descriptor(root)
    assert written["title"] == "Water figures, checked"
    assert written["licenses"][0]["name"] == "CC-BY-4.0"
    assert [(c["title"], c.get("organization")) for c in written["contributors"]] == [
        ("Ben Okafor", "Universidad de Lima"), ("Ana Ruiz", None)]
    citation = (root / "CITATION.cff").read_text(encoding="utf-8")
    assert 'title: "Water figures, checked"\nversion: 0.1.0\nlicense: CC-BY-4.0\nauthors:\n  - name: "Ben Okafor"\n' \
           '    affiliation: "Universidad de Lima"\n  - name: "Ana Ruiz"\nreferences:' in citation
    assert "The records are licensed under CC-BY-4.0;" in (root / "README.md").read_text(encoding="utf-8")
    assert {b.field for b in release_blockers(Package.load(root))} == {"measure", "note"}  # the records' own
    entry = log_rows(root)[-1]
    assert (entry["kind"], entry["record_id"], entry["record_type"]) == ("edit", "package", "package")
    assert json.loads(entry["after"])["authors"] == "Ben Okafor (Universidad de Lima); Ana Ruiz"
    assert recorded_hashes_hold(root)
    ran = invoke_claimpack("validate", str(root), cwd=root)
    assert ran.returncode == 0, ran.stdout + ran.stderr

    assert json.loads(entry["after"])["date"] == json.loads(entry["before"])["date"] == "2021-03-04"

    with pytest.raises(Refused, match="nothing changed"):
        bench.about(None, "Water figures, checked", "CC-BY-4.0", [("Ben Okafor", "Universidad de Lima"),
                                                                   ("Ana Ruiz", "")])
    bench.undo(outcome.action)
    after = files_of(root)
    assert {rel: data for rel, data in after.items() if rel not in ("datapackage.json", "data/reviews.csv")} == \
           {rel: data for rel, data in before.items() if rel not in ("datapackage.json", "data/reviews.csv")}
    restored = descriptor(root)
    assert (restored["title"], restored.get("licenses"), restored["contributors"]) == (
        json.loads(before["datapackage.json"])["title"], None, json.loads(before["datapackage.json"])["contributors"])
    assert log_rows(root)[-1]["kind"] == "undo" and log_rows(root)[-1]["record_type"] == "package"


@pytest.mark.slow
def test_the_package_stays_valid_by_a_full_validate(bench):
    """The warm checks are a subset: the full `claimpack validate`, every layer, agrees."""
    a = first_claim(bench)
    bench.accept(a, bench.rows[a].version)
    b = first_claim(bench)
    bench.reject(b, bench.rows[b].version, "name")
    c = first_claim(bench, "count")
    bench.edit(c, bench.rows[c].version, {"unit": "furlongs", "measure": "pipes laid"})
    ran = invoke_claimpack("validate", str(bench.root), cwd=bench.root)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "valid: 0 error(s)" in ran.stderr


@pytest.mark.slow
def test_a_tampered_reviews_log_is_reported_by_validate(bench):
    key = first_claim(bench)
    bench.accept(key, bench.rows[key].version)
    path = bench.root / "data" / "reviews.csv"
    path.write_bytes(path.read_bytes().replace(b"A. Reviewer", b"Someone Else"))
    ran = invoke_claimpack("rehash", str(bench.root), cwd=bench.root)
    assert ran.returncode == 1
    ran = invoke_claimpack("validate", str(bench.root), "--skip", "expectations", cwd=bench.root)
    assert ran.returncode == 1
    assert "data/reviews.csv:2: chain_hash: row 1 does not follow the hash chain: it, or the row before it, was " \
           "changed, removed or moved after it was written (expected an append-only log: the sha256 of the " \
           "previous chain_hash and this row's fields)" in ran.stdout


@pytest.mark.slow
def test_reasons_are_guessed_by_the_classes_init_excludes_numbers_by(bench):
    """The menu's guess is init's own classification of the number where it stands (claimpack.init.names)."""
    from claimpack.init.names import REASONS as INIT_REASONS
    from claimpack.review.reasons import REASONS, guess

    def at(text: str, token: str) -> str:
        start = text.index(token)
        return guess(bench.proposer, text, start, start + len(token))

    assert at("We used Python 3.11 for the runs.", "3.11") == "version"
    assert at("Built on version 4 of the model.", "4") == "version"
    assert at("- 1. Measure the baseline first.", "1") == "numbering"
    assert at("As Article 51 of the Charter says.", "51") == "law"
    assert at("Gangs such as MS-13 grew.", "13") == "name"
    assert at("The programs expanded (Smith 2019, 44).", "44") == "citation"
    assert at("The programs expanded (Smith 2019, 44).", "2019") == "citation-year"
    assert at("See https://example.org/report/2024/7 for more.", "7") == "address"
    assert at('meant "arresting offenders."2 The year', "2") == "note-marker"
    assert at("In 1989 the first court opened.", "1989") == "date"
    assert at("On 12 May 2015 the rule was adopted.", "12") == "date"
    assert at("The sample held 12 cities.", "12") == "not-a-figure"
    assert set(INIT_REASONS) <= set(REASONS)  # every class init excludes by is on the menu, with init's words
    assert all(REASONS[key] == INIT_REASONS[key] for key in INIT_REASONS)


def test_a_record_row_keeps_every_other_byte_of_its_file():
    from claimpack.model.mutation import CsvText

    text = 'id,quote,status\r\na,"one, ""two""\r\nthree",candidate\r\nb,plain,candidate\r\n'
    table = CsvText(text, "x.csv")
    assert table.terminator == "\r\n"
    record = table.find("id", "b")
    assert table.replaced(record, {**record.cells, "status": "reviewed"}) == text.replace(
        "b,plain,candidate", "b,plain,reviewed")
    first = table.find("id", "a")
    assert first.cells["quote"] == 'one, "two"\r\nthree'
    assert table.replaced(first, None) == 'id,quote,status\r\nb,plain,candidate\r\n'


# ---- the server ----------------------------------------------------------------------------------
@contextlib.contextmanager
def serving(workbench):
    """The real app on uvicorn, on a socket bound to 127.0.0.1: (port, token)."""
    import uvicorn

    from claimpack.review.server import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    token = "t0ken-for-tests-" + "x" * 16
    app = create_app(workbench, token, port, full_check=False)
    uv = uvicorn.Server(uvicorn.Config(app, log_level="error", access_log=False, lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if uv.started:
            break
        time.sleep(0.05)
    try:
        yield port, token
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def server(bench):
    with serving(bench) as (port, token):
        yield port, token, bench


def ask(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    for name, value in sent.items():
        if value is not None:
            connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


@pytest.mark.slow
def test_the_page_needs_the_token_and_the_right_host(server):
    port, token, _ = server
    status, headers, _ = ask(port, "GET", f"/{token}/")
    assert status == 303 and headers["location"].startswith(f"/{token}/record/")
    for path in ("/", "/favicon.ico", f"/{token[:-1]}/", f"/x{token}/", f"/{token}x/record/a"):
        assert ask(port, "GET", path)[0] == 403, path
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", f"127.0.0.1.evil.example:{port}"):
        assert ask(port, "GET", f"/{token}/", {"Host": host})[0] == 403, host
    assert ask(port, "GET", f"/{token}/", {"Host": None})[0] == 400  # HTTP/1.1 without a Host: uvicorn refuses
    assert ask(port, "GET", f"/{token}/", {"Host": f"localhost:{port}"})[0] == 303


@pytest.mark.slow
def test_every_response_forbids_outside_loads(server):
    port, token, _ = server
    status, headers, body = ask(port, "GET", f"/{token}/paper")
    assert status == 200
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
    assert b"<script>" not in body and b" on" not in body.replace(b" only", b"").split(b"<body", 1)[1][:0]
    assert ask(port, "GET", "/")[1]["content-security-policy"] == headers["content-security-policy"]


@pytest.mark.slow
def test_a_change_needs_the_token_header_the_same_origin_and_json(server):
    port, token, bench = server
    key = first_claim(bench)
    body = json.dumps({"id": key, "version": bench.rows[key].version}).encode()
    good = {"Origin": f"http://127.0.0.1:{port}", "X-Claimpack-Token": token, "Content-Type": "application/json",
            "Sec-Fetch-Site": "same-origin"}
    refused = [
        {**good, "X-Claimpack-Token": None},
        {**good, "X-Claimpack-Token": "wrong"},
        {**good, "Origin": None},
        {**good, "Origin": "http://evil.example"},
        {**good, "Origin": f"http://localhost:{port}"},  # another origin than the Host's
        {**good, "Origin": "null"},
        {**good, "Sec-Fetch-Site": "cross-site"},
        {**good, "Content-Type": "text/plain"},
        {**good, "Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
    ]
    first = files_of(bench.root)
    for headers in refused:
        assert ask(port, "POST", f"/{token}/api/accept", headers, body)[0] == 403, headers
    assert ask(port, "GET", f"/{token}/api/accept")[0] in (404, 405)
    assert files_of(bench.root) == first
    status, _, answer = ask(port, "POST", f"/{token}/api/accept", good, body)
    assert status == 200 and json.loads(answer)["ok"] is True
    assert claims(bench.root)[key]["status"] == "reviewed"
    status, _, answer = ask(port, "POST", f"/{token}/api/accept", good, body)  # the same, now stale
    assert status == 409 and "changed since" in json.loads(answer)["message"]


@pytest.fixture
def hostile(tmp_path, worker):
    """A package from an HTML paper whose text holds markup, as text."""
    from claimpack.init.writer import init
    from claimpack.review.workbench import Workbench
    from claimpack.validation.warm import Checker

    paper = tmp_path / "hostile.html"
    paper.write_text("<html><head><title>Markup &lt;b&gt;as text</title></head><body><h1>Results</h1>"
                     "<p>The fund &lt;script&gt;alert(1)&lt;/script&gt; grew by 12% in 2019, "
                     "&lt;img src=x onerror=alert(2)&gt; to $4 million.</p></body></html>", encoding="utf-8")
    root = tmp_path / "hostile"
    init(paper, root)
    workbench = Workbench(root, "<b>Reviewer</b>", checker=Checker(root, frictionless=worker))
    workbench.start()
    yield workbench
    workbench.checker.close()


@pytest.mark.slow
def test_the_papers_markup_is_shown_as_text_on_every_page(hostile):
    with serving(hostile) as (port, token):
        pages = [f"/{token}/record/{key}" for key in hostile.order] + [f"/{token}/paper",
                                                                       f"/{token}/batch?rule=section&value=Results"]
        for path in pages:
            status, _, body = ask(port, "GET", path)
            assert status == 200, path
            text = body.decode("utf-8")
            assert "<script>alert" not in text and "<img src=x" not in text and "<b>" not in text, path
            assert "&lt;script&gt;alert(" in text and "&lt;img src=x onerror=alert(" in text, path
            assert "&lt;b&gt;Reviewer&lt;/b&gt;" in text, path


@pytest.mark.slow
def test_a_pdf_papers_card_shows_its_page_with_the_figure_boxed(tmp_path, worker):
    """pdfplumber finds the figure's words on the page whose words match the quote; pypdfium2 renders the page
    and the box is drawn around those words."""
    import io

    import typst
    from PIL import Image

    from claimpack.init.writer import init
    from claimpack.review.pdfpage import SCALE, locate, page_png, page_words
    from claimpack.review.workbench import Workbench
    from claimpack.validation.warm import Checker

    source = tmp_path / "grid.typ"
    source.write_text("#set page(width: 16cm, height: 28cm)\n= Storage on island grids\n\nThe island served 2 "
                      "towns.\n\n#pagebreak()\n= Results\n\nThe island's battery stored 42 megawatt-hours in 2021, "
                      "and its diesel plant burned 3,100 tonnes of fuel for 2 towns.\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "grid.pdf"))
    root = tmp_path / "grid"
    init(tmp_path / "grid.pdf", root)
    workbench = Workbench(root, "A. Reviewer", checker=Checker(root, frictionless=worker))
    try:
        key = next(k for k, row in workbench.rows.items() if row.cells.get("figure", "").startswith("3,100"))
        row = workbench.rows[key]
        path = root / workbench.package.rel("paper-original")
        info = path.stat()
        pages = page_words(str(path), (info.st_mtime_ns, info.st_size))
        number, (x0, top, x1, _bottom) = locate(pages, row.cells["figure"], row.cells["quote"])
        assert number == 1  # the second page, where the quote stands
        whole = Image.open(io.BytesIO(page_png(workbench, key, whole=True))).convert("RGB")
        assert whole.width == round(16 / 2.54 * 72 * SCALE)
        red = [whole.getpixel((int((x0 + x1) / 2 * SCALE), int(top * SCALE) - 4 - d)) for d in range(0, 3)]
        assert any(r > 150 and g < 60 and b < 80 for r, g, b in red), red
        band = Image.open(io.BytesIO(page_png(workbench, key)))
        assert band.width == whole.width and band.height < whole.height
        first = next(r for r in workbench.rows.values() if r.cells.get("figure", "").startswith("2") and
                     "served" in r.cells.get("quote", ""))
        assert locate(pages, first.cells["figure"], first.cells["quote"])[0] == 0  # the "2" of the page quoted
    finally:
        workbench.checker.close()


@pytest.mark.slow
def test_a_rewritten_row_runs_only_the_expectations_its_condition_falls_under_and_agrees_with_a_full_run(
        made, worker, tmp_path):
    """A suite holds an expectation per unit (`value` between bounds where `unit == 'percent'`): a row
    rewritten from one unit to another runs those of its two units only, the others' problems stand, and
    what the warm run finds is what a full run on the same files finds."""
    import csv
    import io

    from claimpack.validation.warm import Checker

    root = tmp_path / "water"
    shutil.copytree(made, root)
    text = (root / "data" / "claims.csv").read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    header = list(table[0])

    def written(rows: list[dict]) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")

    def expectations(problems) -> set:
        return {(p.row, p.code, p.field, p.message) for p in problems if p.layer == "expectations"}

    percent = next(i for i, row in enumerate(table) if row["unit"] == "percent")
    count = next(i for i, row in enumerate(table) if row["unit"] == "count")
    table[percent]["value"] = "138"  # over a percent's 100: a problem of the expectation for percent
    bad = {"data/claims.csv": written(table)}
    checker = Checker(root, frictionless=worker)
    try:
        baseline = checker.check(bad).problems
        assert any(p.row == percent + 2 and p.field == "value" for p in baseline if p.layer == "expectations")
        before = dict(table[count])
        table[count].update(unit="persons", value="-5")  # a count becomes persons, and below a person's 0
        files = {"data/claims.csv": written(table)}
        warm = checker.check(files, {"claims": {"unit", "value"}}, baseline,
                             touched={"claims": [(count + 2, before, dict(table[count]))]}).problems
    finally:
        checker.close()
    fresh = Checker(root, frictionless=worker)
    try:
        full = fresh.check(files).problems
    finally:
        fresh.close()
    assert any(p.row == count + 2 and p.field == "value" for p in full if p.layer == "expectations")
    assert any(p.row == percent + 2 and p.field == "value" for p in full if p.layer == "expectations")
    assert expectations(warm) == expectations(full)


@pytest.mark.slow
def test_the_papers_date_is_its_own_sources_row_and_its_year_bounds_every_period(bench):
    """The paper's date (init read it or guessed it) is edited in the package view: its own row of sources,
    the descriptor's sources entry, the CITATION.cff's year, and, for a new year, the latest year a claim's
    period may name (schema and suite regenerated), all one action; a date the periods contradict is refused
    by the validation, with nothing written."""
    from claimpack.review.workbench import Refused

    root = bench.root
    authors = [("Ana Ruiz", "")]
    before = files_of(root)
    assert bench.about_now().date == "2021-03-04"
    for date, message in [("2021-13", "not saved: the date '2021-13' is not a day of the calendar"),
                          ("May 2021", "not saved: the date 'May 2021' is not an ISO 8601 date"),
                          ("", "not saved: the paper's date is empty")]:
        with pytest.raises(Refused, match=re.escape(message)):
            bench.about(None, "Water figures", "CC-BY-4.0", authors, date)
    with pytest.raises(Refused) as refused:  # a claim's period names 2019
        bench.about(None, "Water figures", "CC-BY-4.0", authors, "2015")
    assert any(p.field in ("period_start", "period_end") for p in refused.value.problems), refused.value.problems
    assert files_of(root) == before

    outcome = bench.about(None, "Water figures", "CC-BY-4.0", authors, "2024-03")
    assert "date" in outcome.message
    own = next(line for line in (root / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()
               if line.startswith("ruiz-2021,"))
    assert ",2024-03," in own
    written = descriptor(root)
    assert written["sources"][0]["version"] == "2024"
    claims_schema = next(r for r in written["resources"] if r["name"] == "claims")["schema"]
    assert {f["constraints"]["maximum"] for f in claims_schema["fields"] if f["name"].startswith("period")} == {2024}
    assert "    year: 2024" in (root / "CITATION.cff").read_text(encoding="utf-8")
    assert recorded_hashes_hold(root)
    ran = invoke_claimpack("validate", str(root), cwd=root)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    bench.undo(outcome.action)
    after = files_of(root)
    assert {rel: data for rel, data in after.items() if rel not in ("datapackage.json", "data/reviews.csv")} == \
           {rel: data for rel, data in before.items() if rel not in ("datapackage.json", "data/reviews.csv")}
    assert bench.about_now().date == "2021-03-04"


@pytest.mark.slow
def test_the_last_candidate_decided_leads_to_none_not_back_to_itself(bench):
    """Accepting or editing the last candidate leaves nothing to show next: the page goes to what a
    release still needs, not back to the record just decided (which a second `a` would log again)."""
    keys = [key for key in bench.order if bench.rows[key].status == "candidate"]
    for key in keys[:-2]:
        bench.accept(key, bench.rows[key].version)
    last, before = keys[-1], keys[-2]
    assert bench.accept(before, bench.rows[before].version).go == last
    outcome = bench.edit(last, bench.rows[last].version, {"measure": "what the last one counts"})
    assert outcome.go is None and bench.next_candidate() is None


@pytest.mark.slow
def test_the_package_view_offers_the_papers_date_where_the_package_keeps_it_and_says_why_not_otherwise(server):
    """A package init made keeps the paper's date in its own row of sources: the form has the field. A
    package that names no such row (claimpack.own_source) gets a sentence saying where the date would
    live, not a silently missing field; its own row with an empty date still gets the field, empty."""
    port, token, bench = server
    status, _, page = ask(port, "GET", f"/{token}/package")
    assert status == 200 and b'id="p-date"' in page and b'value="2021-03-04"' in page and b"p-date-none" not in page

    data = descriptor(bench.root)
    del data["claimpack"]["own_source"]
    (bench.root / "datapackage.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    status, _, page = ask(port, "GET", f"/{token}/package")
    assert status == 200 and b'id="p-date"' not in page
    assert b'id="p-date-none"' in page and b"names no row of <code>sources</code> for the paper itself" in page
