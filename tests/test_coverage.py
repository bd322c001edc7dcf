"""Coverage: every number of the body, in digits or in words, is recorded or excluded with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimpack.layers import coverage
from claimpack.package import Package
from conftest import ROOT, copy_package, rehash_copy

INSERT_BEFORE = "Humankind has led a historical evolution"


def add_sentence(root: Path, sentence: str, config: dict | None = None) -> Package:
    paper = root / "data" / "source" / "paper.md"
    text = paper.read_text(encoding="utf-8")
    assert text.count(INSERT_BEFORE) == 1
    paper.write_text(text.replace(INSERT_BEFORE, f"{sentence} {INSERT_BEFORE}"), encoding="utf-8")
    if config is not None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["claimpack"].update(config)
        (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    rehash_copy(root)
    return Package.load(root)


def unrecorded(package: Package) -> list[str]:
    problems, _ = coverage.check(package)
    return [p.message.split(" in ", 1)[0] for p in problems if p.code == "number-unrecorded"]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "package")


def test_the_real_package_accounts_for_every_number_and_number_word():
    problems, info = coverage.check(Package.load(ROOT))
    assert problems == []
    assert info["numbers"] > 100


def test_number_words_are_found_whole_in_any_case(package):
    found = unrecorded(add_sentence(package, "Twenty-one ministers, a dozen envoys and nine others met; "
                                             "someone noted nothing, a phone rang and tension grew."))
    assert found == ["number word 'Twenty'", "number word 'dozen'", "number word 'nine'"]


def test_a_number_word_is_excluded_as_the_word_itself(package):
    with (package / "validation" / "coverage-exclusions.csv").open("a", encoding="utf-8") as handle:
        handle.write('nine,Nine others met,"a made-up sentence for this test"\n')
    assert unrecorded(add_sentence(package, "Nine others met.")) == []


def test_a_package_names_its_own_number_words(package):
    sentence = "Trois pays et deux ministres."
    assert unrecorded(add_sentence(package, sentence, {"number_words": "deux trois"})) == [
        "number word 'Trois'", "number word 'deux'"]


def test_number_words_can_be_turned_off(package):
    assert unrecorded(add_sentence(package, "Seven new programs.", {"number_words": ""})) == []


def test_a_scale_word_after_digits_is_part_of_that_number(package):
    found = unrecorded(add_sentence(package, "It cost 415 million dollars, and a million more."))
    assert found == ["number '415'", "number word 'million'"]  # the second million stands alone
