"""`claimpack show` and `claimpack find`, run for real on the real package."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from claimpack.text.paper import normalize
from conftest import ROOT, copy_package, run_claimpack

IMET = "imet-training-funding-latam-2000-2017"
WIDE = {"COLUMNS": "100"}  # the text wraps to the terminal's width
HEAVY = ("frictionless", "great_expectations", "pandas", "altair", "vl_convert", "typst", "pypandoc")


def show_json(*args: str, cwd=ROOT) -> dict:
    result = run_claimpack("show", *args, "--json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def find_json(query: str, *args: str) -> list[dict]:
    result = run_claimpack("find", query, "--json", *args)
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == query
    return data["hits"]


# ---- show -------------------------------------------------------------------------------------
def test_show_puts_everything_about_a_claim_on_one_screen():
    result = run_claimpack("show", IMET, env=WIDE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out, "no ANSI codes when stdout is not a terminal"
    assert "$236 million  =  236,000,000 USD (approximately; reported)" in out
    assert "US funding for IMET training of Latin American military personnel" in out
    assert "“US Collective Security Programs in Latin America”, paragraph 7" in out
    flat = " ".join(out.split())
    assert ("«Approximately $236 million US dollars were assigned for the preparation of Latin American military "
            "personnel in the period of 2000-2017»") in flat
    assert "Footnote 53  *Ibid.*, 104." in out
    assert "Cites isacson-kinosian-2017 at 104 (Ibid. of footnote 52)" in flat
    assert "Isacson, Adam; Kinosian, Sarah." in flat and "page 104" in flat
    assert "https://www.wola.org/analysis/publication-putting-pieces-together-global-guide-u-s-security-aid-programs/" \
        in flat
    assert "Verified     not yet" in out


def test_show_json_locates_the_quote_in_its_paragraph():
    data = show_json(IMET)
    assert data["type"] == "claim" and data["id"] == IMET and data["row"] == 36
    assert data["fields"]["value"] == 236000000 and data["as_printed"] == "approximately US$236 million"
    place = data["paragraph"]
    start, end = place["quote_span"]
    assert normalize(place["text"][start:end]) == normalize(data["fields"]["quote"])
    low, high = place["figure_span"]
    assert place["text"][low:high] == "$236 million"
    assert (place["section"], place["paragraph"], place["line"]) == (
        "US Collective Security Programs in Latin America", 7, 264)
    assert place["footnote_after_quote"] == 53 and "⁵³" in place["text"]
    assert data["footnote"]["number"] == 53 and data["footnote"]["text"] == "*Ibid.*, 104."
    work = data["cited_work"]
    assert (work["id"], work["page"]) == ("isacson-kinosian-2017", "104")
    assert work["url"].startswith("https://www.wola.org/")
    assert data["checks"] == [] and data["verifications"] == [] and data["latest_verdict"] is None
    # the cited work's own disagreement (footnote 47 spells Kinoshian) is in the bibliography note, not this footnote
    assert data["warnings"] == [] and data["defects"] == []


def test_show_lists_the_checks_a_claim_takes_part_in_with_their_results():
    data = show_json("colombia-kidnappings-1999")
    assert [(c["id"], c["kind"], c["holds"], c["detail"]) for c in data["checks"]] == [
        ("colombia-kidnappings-decline-tenfold-1999-2014", "relation", True, "3,000 <= 3,000")]
    assert data["footnote"]["number"] == 65
    # footnote 65's disagreements are defects of the paper (defects.csv), shown as such and not as warnings
    assert [d["id"] for d in data["defects"]] == ["s-res-368-title-capitalisation", "s-res-368-cited-as-public-law"]
    assert data["warnings"] == []
    text = run_claimpack("show", "colombia-kidnappings-1999", "--color", "never", env=WIDE).stdout
    assert "Defects      Citation (s-res-368-title-capitalisation): Footnote 65 prints" in text


def test_show_works_for_events():
    data = show_json("monroe-doctrine-speech-1823")
    assert data["type"] == "event" and data["fields"]["date"] == "1823-12-02"
    assert data["footnote"]["number"] == 7 and data["cited_work"]["id"] == "gilderhus-2017"
    assert data["cited_work"]["page"] == "9"
    assert [d["id"] for d in data["defects"]] == ["gilderhus-title-spacing"] and data["warnings"] == []
    text = run_claimpack("show", "monroe-doctrine-speech-1823", env=WIDE).stdout
    assert "«On December 2, 1823, US President James Monroe gave a speech to Congress»" in text


def test_show_colours_the_quote_only_when_asked_or_on_a_terminal():
    out = run_claimpack("show", IMET, "--color", "always", env=WIDE).stdout
    assert "\x1b[1;33mApproximately " in out and "«" not in out
    assert "\x1b[" not in run_claimpack("show", IMET, "--color", "never").stdout


def test_show_on_a_terminal_uses_ansi_unless_no_color():
    import os
    import pty

    def on_a_terminal(env: dict) -> str:
        leader, follower = pty.openpty()
        child = subprocess.Popen([sys.executable, "-m", "claimpack", "show", IMET], cwd=ROOT, stdout=follower,
                                 stderr=subprocess.PIPE, env={**os.environ, "TERM": "xterm", **WIDE, **env})
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        child.wait(timeout=60)
        os.close(leader)
        return b"".join(chunks).decode("utf-8")

    coloured = on_a_terminal({})
    assert "\x1b[1;33mApproximately " in coloured and "«" not in coloured
    plain = on_a_terminal({"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "«Approximately" in plain


def test_show_an_unknown_id_names_the_closest_and_exits_2():
    result = run_claimpack("show", "colombia-kidnapings-1999")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "claimpack: no claim or event 'colombia-kidnapings-1999'; did you mean colombia-kidnappings-1999, "
        "colombia-kidnappings-2014, colombia-homicide-rate-1999?"]


def test_show_includes_the_verification_history(tmp_path):
    root = copy_package(tmp_path / "package")
    for verdict, note in (("disputed", "page 81 gives a lower figure"), ("confirmed", "page 81 checked again")):
        done = run_claimpack("verify", IMET, "--verdict", verdict, "--by", "R. Checker", "--note", note, cwd=root)
        assert done.returncode == 0, done.stderr
    data = show_json(IMET, cwd=root)
    assert [(v["number"], v["verdict"], v["note"]) for v in data["verifications"]] == [
        (1, "disputed", "page 81 gives a lower figure"), (2, "confirmed", "page 81 checked again")]
    assert data["latest_verdict"] == "confirmed"
    shown = " ".join(run_claimpack("show", IMET, cwd=root).stdout.split())
    assert "confirmed by R. Checker: page 81 checked again" in shown


# ---- find -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "first"), [
    ("236 million", [IMET]),
    ("236m", [IMET]),
    ("$236,000,000", [IMET]),
    ("US$236 million", [IMET]),
    ("43000", ["imet-trainees-latam-2000-2017"]),
    ("43,000", ["imet-trainees-latam-2000-2017"]),
    ("2.3 billion", ["fms-sales-latam-2010-2015"]),
    ("$2.3bn", ["fms-sales-latam-2010-2015"]),
    ("88%", ["migrant-apprehensions-mexican-share-2008"]),
    ("two dollars", ["latam-poverty-line-usd-per-day"]),
    ("75,000", ["ms13-m18-members-2008"]),
    ("kidnappings", ["colombia-kidnappings-1999", "colombia-kidnappings-2014"]),
    ("IMET 2017", ["imet-top-beneficiary-colombia-2000-2017", IMET, "imet-trainees-latam-2000-2017"]),
    ("homicide rate 2014", ["colombia-homicide-rate-2014"]),
    ("Monroe 1823", ["monroe-doctrine-speech-1823"]),
])
def test_find_ranks_the_right_rows_first(query, first):
    hits = find_json(query)
    assert sorted(hit["id"] for hit in hits[:len(first)]) == sorted(first), [h["id"] for h in hits]


def test_find_by_year_keeps_only_rows_that_match_every_term():
    hits = find_json("IMET 2017")
    assert len(hits) == 3 and all(hit["matched"] == hit["terms"] == 2 for hit in hits)
    assert all("period 2000–2017" in hit["why"] for hit in hits)


def test_find_a_word_in_events_too():
    ids = [hit["id"] for hit in find_json("kidnappings")]
    assert "colombia-security-results-2016" in ids[2:], "the event ranks after the two claims"
    assert {hit["type"] for hit in find_json("blockade")} == {"event"}


def test_find_text_output_limit_and_no_match():
    result = run_claimpack("find", "236", "million")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == f" 1. claim {IMET}"
    assert len(find_json("Colombia", "--limit", "2")) == 2
    nothing = run_claimpack("find", "zebra crossing")
    assert nothing.returncode == 1 and nothing.stdout == "nothing matches 'zebra crossing'\n"


# ---- fast, and light ------------------------------------------------------------------------------
PROBE = """
import json, sys
from claimpack.cli import main
try:
    code = main(sys.argv[1:], standalone_mode=False)
except SystemExit as exit:
    code = exit.code
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print(json.dumps({{"heavy": heavy, "code": code or 0}}), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["show", IMET], ["show", IMET, "--json"], ["find", "IMET 2017"],
                                  ["find", "$236,000,000", "--json"], ["show", "monroe-doctrine-speech-1823"]])
def test_show_and_find_import_nothing_heavy(args):
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=set(HEAVY)), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == {"heavy": [], "code": 0}, done.stderr
    assert IMET in done.stdout or "monroe-doctrine-speech-1823" in done.stdout


def test_show_marks_a_candidate_not_yet_reviewed(tmp_path):
    package = copy_package(tmp_path / "package")
    claims = package / "data" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].startswith("word-count-en,") and lines[1].rstrip("\n").endswith(",reviewed")
    lines[1] = lines[1].rstrip("\n").removesuffix(",reviewed") + ",candidate\n"
    claims.write_text("".join(lines), encoding="utf-8")
    candidate = run_claimpack("show", "word-count-en", cwd=package).stdout
    reviewed = run_claimpack("show", "word-count-fr", cwd=package).stdout
    assert "Status CANDIDATE: proposed by `claimpack init`, not yet reviewed by a person" in " ".join(candidate.split())
    assert "Status       reviewed" in reviewed and "CANDIDATE" not in reviewed
