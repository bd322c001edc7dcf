"""Hidden characters: refused in data, warned about when invisible, never sent to a terminal."""

from __future__ import annotations

import json

import pytest

from claimpack.model.package import Package
from claimpack.system.controls import forbidden_in, invisible_in, json_safe, only_invisible, terminal_safe
from conftest import rehash_copy, run_claimpack

HOSTILE = ["\x00", "\x07", "\x08", "\x1b[2J", "\x1b]8;;https://x\x07", "\x7f", "\x85", "\x9b31m", "\x9d0;t\x9c",
           "\u202e", "\u202a", "\u2066", "\u2069"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f"]


@pytest.mark.parametrize("payload", HOSTILE)
def test_forbidden_characters_are_found_and_never_reach_a_terminal(payload):
    text = f"before {payload} after"
    assert forbidden_in(text)[0] == 8
    safe = terminal_safe(text)
    assert forbidden_in(safe) is None and safe.startswith("before \\")
    assert json.loads(json_safe(json.dumps({"k": text}, ensure_ascii=False))) == {"k": text}
    assert forbidden_in(json_safe(json.dumps({"k": text}, ensure_ascii=False))) is None


@pytest.mark.parametrize("payload", INVISIBLE)
def test_invisible_characters_are_a_warning_not_an_error(payload):
    text = f"a{payload}b"
    assert forbidden_in(text) is None and invisible_in(text) == (2, payload)
    assert only_invisible(f" {payload}{payload} ") and not only_invisible(text)
    assert invisible_in(terminal_safe(text)) is None


def test_ordinary_text_passes_untouched():
    text = "Tab\there, line\nfeed, «quotes», é, 中文, $236 million"
    assert forbidden_in(text) is None and invisible_in(text) is None
    assert terminal_safe(text, lines=True) == text


@pytest.mark.parametrize("separator", ["\n", "\r", "\u2028", "\u2029", "\x85"])
def test_a_line_stays_one_line_whatever_a_name_holds(separator):
    """A file or directory name holding a line break cannot forge a line of claimpack's output (issue 22)."""
    name = f"paper{separator}claimpack: valid.md"
    assert "\n" not in terminal_safe(f"claimpack: {name}: not a file") and separator not in terminal_safe(name)
    assert terminal_safe("Tab\there, «quotes», é, 中文") == "Tab\there, «quotes», é, 中文"


def test_the_loader_names_each_cell(package):
    path = package / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("The paper's own word count;", "The paper's own\u200b word count;", 1),
                    encoding="utf-8")
    rehash_copy(package)
    problems = Package.load(package).table("claims").problems
    assert [(p.row, p.field, p.severity, p.code) for p in problems] == [(2, "note", "warning", "invisible-character")]


@pytest.mark.slow
def test_show_and_find_print_no_escape_sequence(package):
    path = package / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("The paper's own word count;", "The paper's own \x1b[2J\x9b31m word count;", 1),
                    encoding="utf-8")
    rehash_copy(package)
    for args in (["show", "word-count-en", "--color", "never"], ["show", "word-count-en", "--json"],
                 ["find", "5154"], ["find", "5154", "--json"], ["validate", "."]):
        result = run_claimpack(*args, "-p", ".", cwd=package) if args[0] != "validate" else \
            run_claimpack(*args, cwd=package)
        assert "\x1b[2J" not in result.stdout + result.stderr and "\x9b" not in result.stdout + result.stderr, args
    shown = run_claimpack("show", "word-count-en", "--color", "always", "-p", ".", cwd=package).stdout
    assert "\x1b[1m" in shown, "claimpack's own colours still work"
    assert "\x1b[2J" not in shown and "\\x1b[2J" in shown
