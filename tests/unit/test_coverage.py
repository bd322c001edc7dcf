"""Coverage: every number of the body, in digits or in words, is recorded or excluded with a reason."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimpack.model.package import Package
from claimpack.validation.layers import coverage
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
    assert info["digits"] + info["words"] + info["numerals"] == info["numbers"]
    assert info["numerals"] >= 2  # "World War II", "Resolution XV"


def test_number_words_are_found_whole_in_any_case(package):
    found = unrecorded(add_sentence(package, "Twenty-one ministers, a dozen envoys and nine others met; "
                                             "someone noted nothing, a phone rang and tension grew."))
    assert found == ["number word 'Twenty-one'", "number word 'dozen'", "number word 'nine'"]


def test_a_number_word_is_excluded_as_the_word_itself(package):
    with (package / "validation" / "coverage-exclusions.csv").open("a", encoding="utf-8") as handle:
        handle.write('nine,Nine others met,"a made-up sentence for this test"\n')
    assert unrecorded(add_sentence(package, "Nine others met.")) == []


def test_a_package_names_its_own_number_words(package):
    sentence = "Trois pays et deux ministres."
    # without English number words, the paper's "three decades" is no number, so "decades" stands alone
    assert unrecorded(add_sentence(package, sentence, {"number_words": "deux trois"})) == [
        "number word 'Trois'", "number word 'deux'", "number-like word 'decades'"]


def test_number_words_can_be_turned_off(package):
    found = unrecorded(add_sentence(package, "Seven new programs.", {"number_words": ""}))
    assert found == ["number-like word 'decades'"]  # "three decades" without "three": the span stands alone


def test_a_scale_word_after_digits_is_part_of_that_number(package):
    found = unrecorded(add_sentence(package, "It cost 415 million dollars, and a million more."))
    assert found == ["number '415'", "number word 'million'"]  # the second million stands alone


def test_a_number_with_letters_glued_on_is_a_number(package):
    """A scale or unit glued to the digits ("£120m", "10km") or a name's ("4G") is a number to account for."""
    found = unrecorded(add_sentence(package, "A fund of £120m built 10km of road and a 4G mast."))
    assert found == ["number '120m'", "number '10km'", "number '4G'"]


def test_only_a_scale_or_span_word_joins_the_number_before_it(package):
    found = unrecorded(add_sentence(package, "In 2018 twelve countries, by 1990 both, 3 decades later."))
    assert found == ["number '2018'", "number word 'twelve'", "number '1990'", "number-like word 'both'",
                     "number '3'"]


def test_ordinals_and_number_like_words_are_named_with_their_kind(package):
    found = unrecorded(add_sentence(package, "The fourth conference met a decade later; both delegations and the "
                                             "only member came twice, a majority of them."))
    assert found == ["ordinal 'fourth'", "number-like word 'decade'", "number-like word 'both'",
                     "number-like word 'only'", "number-like word 'twice'", "number-like word 'majority'"]


def test_a_message_says_where_the_word_stands(package):
    problems, _ = coverage.check(add_sentence(package, "Both delegations left early."))
    assert [p.line() for p in problems] == [
        "data/source/paper.md:67: number-like word 'Both' in section 'INTRODUCTION', paragraph 1 has no record: "
        "\"…d economic goals is security. Both delegations left early. Human…\" (expected a claim or event that "
        "records it, or a row in validation/coverage-exclusions.csv with a reason)"]


def test_a_letter_an_editor_bracketed_does_not_hide_the_word(package):
    assert unrecorded(add_sentence(package, "He wrote that \"[o]nly three came.\"")) == [
        "number-like word '[o]nly'", "number word 'three'"]


def test_a_span_of_years_after_a_number_is_part_of_it(package):
    found = unrecorded(add_sentence(package, "It took three decades and 2 centuries, since the 18th century; "
                                             "a decade passed."))
    assert found == ["number word 'three'", "number '2'", "number '18th'", "number-like word 'decade'"]


def test_a_package_names_its_own_number_like_words(package):
    sentence = "Les deux pays, both of them, une décennie plus tard."
    config = {"number_like_words": {"les deux": 2, "décennie": 10}, "period_words": {"décennie": 10}}
    assert unrecorded(add_sentence(package, sentence, config)) == [
        "number-like word 'Les deux'", "number-like word 'décennie'"]


def test_an_event_covers_the_words_of_its_century_and_its_offset():
    words = Package.load(ROOT).vocabulary
    century = coverage.event_numbers(words, {"date": "1901", "date_precision": "century"})
    # a number in words is allowed by its value: "=20" for "twentieth" (and "twenty-first" for "=21")
    assert {"1901", "20", "=20", "century", "centuries"} <= century and "decade" not in century
    relative = coverage.event_numbers(words, {"date": "2010", "date_precision": "decade", "offset": "P10Y"})
    assert {"2010", "10", "=10", "decade", "decades"} <= relative
    assert coverage.event_numbers(words, {"date": "1826-06-22", "end_date": "1826-07-15",
                                          "date_precision": "day"}) == {"1826", "6", "7", "22", "15"}


def test_an_exclusion_of_a_bracketed_word_names_the_word(package):
    with (package / "validation" / "coverage-exclusions.csv").open("a", encoding="utf-8") as handle:
        handle.write('only,"[o]nly the envoy",a made-up sentence for this test\n')
    assert unrecorded(add_sentence(package, "\"[o]nly the envoy\" came.")) == []


def test_an_exclusion_names_a_number_by_its_digits(package):
    """An exclusion of 2019 covers the year of "(Smith 2019b)", where the text's number is 2019b."""
    with (package / "validation" / "coverage-exclusions.csv").open("a", encoding="utf-8") as handle:
        handle.write('2019,"rents (Smith 2019b) and",a year in a citation\n')
    found = add_sentence(package, "It raised rents (Smith 2019b) and wages.")
    problems, _ = coverage.check(found)
    assert [p.line() for p in problems] == []


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20), st.sets(st.sampled_from("123"), max_size=2)),
                max_size=12),
       st.lists(st.tuples(st.integers(0, 60), st.integers(1, 4), st.sampled_from("123")), max_size=12))
def test_the_covering_span_is_the_first_added_one_a_scan_would_find(spans, numbers):
    """coverage._Cover answers in a look-up what a scan of every allowed span answered (issue 22: a block
    of twenty thousand numbers scanned its spans once per number): by its key, or by its value in words
    from a span no exclusion made."""
    made = [coverage.Exclusion("1", "x", "y", 2) if order % 3 == 0 else f"span {order}" for order in range(len(spans))]
    allowed = [(a, a + width, frozenset(values), made[order]) for order, (a, width, values) in enumerate(spans)]
    cover = coverage._Cover(allowed)
    for _pass in range(2):  # a second pass starts again from the left
        at = 0
        for gap, width, value in numbers:
            start, end = at + gap, at + gap + width
            at = end
            worded = str(4 - int(value))
            scanned = next((source for a, b, values, source in allowed if a <= start and end <= b and (
                value in values or (worded in values and not isinstance(source, coverage.Exclusion)))),
                coverage._NONE)
            assert cover.source(start, end, value, worded) is scanned


# Every class of number, as claimpack.text.counting defines it, fails coverage by name until it is recorded
# or excluded. The words are drawn from generated spellings (tests/test_counting.py), not a fixed list.
def _classes() -> list[tuple[str, str, str]]:
    from test_counting import ordinal, roman, spell

    rng = random.Random(2020)
    cases = [("rank word", word, f"Chile was the {word} donor") for word in
             ("foremost", "top", "leading", "runner-up", "penultimate", "topmost")]
    for n in rng.sample(range(2, 1000), 4):
        cases.append(("ordinal", ordinal(n), f"It was the {ordinal(n)} accord"))
        cases.append(("number word", spell(n), f"They sent {spell(n)} envoys"))
    cases += [("ordinal", "thirteenth", "Peru is the thirteenth-largest donor"),
              ("number", "17th", "Peru ranked 17th of them"), ("ordinal", "seventeenth", "the seventeenth session")]
    for n in rng.sample(range(2, 100), 3):
        cases.append(("multiplicative word", spell(n) + "fold", f"a {spell(n)}fold rise"))
    cases += [("multiplicative word", word, f"Exports {word} in a year") for word in
              ("double", "tripled", "quadrupled", "halved", "trebling")]
    cases += [("fraction", "two-thirds", "about two-thirds of the budget"), ("fraction", "quarter", "a quarter of it")]
    for n in (*rng.sample(range(2, 40), 2), *rng.sample(range(40, 4000), 2)):
        numeral = roman(n)
        cases.append(("Roman numeral", numeral, f"Under Title {numeral} of the act"))
    cases += [("Roman numeral", "I", "after World War I ended"), ("Roman numeral", "XV", "the Havana Resolution XV")]
    cases += [("number-like word", word, f"then {word} of delegates came") for word in
              ("dozens", "thousands", "hundreds")]
    cases += [("number-like word", "pair", "a pair of envoys"), ("number-like word", "trio", "the trio of envoys")]
    return cases


CLASSES = _classes()


@pytest.mark.parametrize(("kind", "word", "sentence"), CLASSES, ids=[f"{k}:{w}" for k, w, _ in CLASSES])
def test_every_class_of_number_is_unrecorded_until_excluded(tmp_path, kind, word, sentence):
    root = copy_package(tmp_path / "package")
    sentence = f"{sentence} (a sentence the maintainers added)."
    assert unrecorded(add_sentence(root, sentence)) == [f"{kind} '{word}'"]
    with (root / "validation" / "coverage-exclusions.csv").open("a", encoding="utf-8") as handle:
        handle.write(f'{word},"{sentence}",a sentence added for this test\n')
    assert unrecorded(Package.load(root)) == []


def test_init_counts_what_coverage_counts():
    """init settles its proposal with coverage's own count (claimpack.text.counting), so the two never differ."""
    import inspect

    from claimpack.init import writer
    from claimpack.validation import validate

    assert "coverage_gaps(" in inspect.getsource(writer._settle)
    gaps = inspect.getsource(validate.coverage_gaps)
    assert "coverage.unrecorded(" in gaps and "coverage.read_exclusions(" in gaps
    package = Package.load(ROOT)
    assert coverage.counter(package) is package.vocabulary.counter


def test_repeated_words_are_searched_once_per_distinct_exclusion(package):
    """Text repeated a thousand times ("§1 §1 §1 ...") with as many identical exclusion rows: each distinct
    exclusion is searched once and allows the number at each place its words occur (not rows × places, which
    was quadratic: 2 GB of spans at 2,000), and the copies, which the first row always answers for, are unused."""
    times = 1000
    with (package / "validation" / "coverage-exclusions.csv").open("a", encoding="utf-8") as handle:
        handle.write('1,§1 §1 §1,a section sign repeated for this test\n' * 3)
    found = add_sentence(package, "§1 " * times)
    exclusions, problems = coverage.read_exclusions(found)
    assert problems == []
    spans = coverage.spans(found, found.paper, exclusions)
    repeated = [s for s in spans.values() if any(isinstance(by, coverage.Exclusion) and by.context == "§1 §1 §1"
                                                 for by in s.allowed_by)]
    assert len(repeated) == 1 and len(repeated[0].allowed_values) < 2 * times  # one span a place, not 3 a place
    problems, _ = coverage.check(found)
    copies = sorted(e.row for e in exclusions if e.context == "§1 §1 §1")[1:]
    assert sorted((p.code, p.row) for p in problems) == [("exclusion-unused", row) for row in copies]
