"""The vocabulary a package counts with: English defaults, replaced key by key from the descriptor."""

from __future__ import annotations

import pytest

from claimpack.model.vocabulary import Vocabulary
from claimpack.system.problems import ClaimpackError


def test_english_defaults():
    words = Vocabulary()
    assert words.language == "en" and not words.comma_decimal
    assert words.number_words["thirty"] == 30 and words.ordinal_words["twentieth"] == 20
    assert {"USD", "EUR", "GBP", "CAD"} <= {c.code for c in words.currencies}
    assert "$" in words.currency_of("USD").symbols and "euros" in words.currency_of("EUR").words
    assert {"decade", "both", "only", "twice", "half"} <= set(words.number_like_words)
    assert words.number_like_words["both"] == 2 and words.number_like_words["half"] == 0.5
    assert words.period_words["decade"] == 10 and words.period_words["century"] == 100
    assert words.ordinal_of(20) == "twentieth" and words.ordinal_of(1234) is None
    assert words.qualifiers["more than"] == "more-than"


def test_a_key_given_replaces_its_default_whole():
    words = Vocabulary.from_settings({"language": "fr", "number_words": {"Un": 1, "deux": 2},
                                      "number_like_words": ["les deux", "décennie"],
                                      "qualifiers": {"plus de": "more-than"},
                                      "currencies": {"EUR": {"symbols": ["€"], "words": ["euros"]}}})
    assert words.comma_decimal
    assert dict(words.number_words) == {"un": 1, "deux": 2}
    assert dict(words.qualifiers) == {"plus de": "more-than"}
    assert [c.code for c in words.currencies] == ["EUR"]
    assert words.ordinal_words["first"] == 1, "a key left out keeps its default"
    pattern = words.pattern()
    found = [m.group() for m in pattern.finditer("Deux décennies? Non: une décennie, les  deux pays, deuxième.")]
    assert found == ["Deux", "décennie", "les  deux"]


def test_number_like_words_as_a_list_have_no_value():
    words = Vocabulary.from_settings({"number_like_words": ["Les deux", "seul"]})
    assert dict(words.number_like_words) == {"les deux": None, "seul": None}


def test_an_editors_bracketed_letter_is_matched_on_request():
    words = Vocabulary()
    text = "\"[o]nly Mexico\" and the [f]irst"
    assert [m.group() for m in words.pattern(editorial=True).finditer(text)] == ["[o]nly", "[f]irst"]
    assert [m.group() for m in words.pattern().finditer(text)] == []


def test_number_words_as_a_string_are_words_without_values():
    words = Vocabulary.from_settings({"number_words": "eins zwei drei"})
    assert dict(words.number_words) == {"eins": None, "zwei": None, "drei": None}
    assert Vocabulary.from_settings({"number_words": ""}).number_words == {}


@pytest.mark.parametrize(("settings", "field"), [
    ({"language": "English"}, "claimpack.language"),
    ({"number_words": {"one": "1"}}, "claimpack.number_words"),
    ({"number_words": {"one": -1}}, "claimpack.number_words"),
    ({"ordinal_words": ["first"]}, "claimpack.ordinal_words"),
    ({"number_like_words": [""]}, "claimpack.number_like_words"),
    ({"number_like_words": {"both": "two"}}, "claimpack.number_like_words"),
    ({"number_like_words": {"both": -2}}, "claimpack.number_like_words"),
    ({"period_words": ["decade"]}, "claimpack.period_words"),
    ({"period_words": {"decade": 1.5}}, "claimpack.period_words"),
    ({"qualifiers": {"about": "roughly"}}, "claimpack.qualifiers"),
    ({"currencies": {"dollar": {"symbols": ["$"]}}}, "claimpack.currencies"),
    ({"currencies": {"USD": {"symbols": "$"}}}, "claimpack.currencies"),
    ({"units": {"US dollars": "spaces are not allowed"}}, "claimpack.units"),
    ({"identifier_words": {"Bill": "a bill"}}, "claimpack.identifier_words"),
    ({"identifier_words_after": ["U.S.C."]}, "claimpack.identifier_words_after"),
    ({"abbreviations": [""]}, "claimpack.abbreviations"),
    ({"vague_counts": {"millions": "many"}}, "claimpack.vague_counts"),
    ({"not_units": {"in": True}}, "claimpack.not_units"),
])
def test_a_malformed_key_is_one_clear_error(settings, field):
    with pytest.raises(ClaimpackError) as caught:
        Vocabulary.from_settings(settings)
    assert caught.value.problem.field == field and caught.value.problem.file == "datapackage.json"
    assert caught.value.problem.expected


def test_the_words_of_precision_are_data_a_package_may_replace():
    """What makes a number a name, an abbreviation, a unit or a vague count is the vocabulary's, not code's."""
    words = Vocabulary()
    assert words.identifier_words["H.R."] == "law" and words.identifier_words["Table"] == "numbering"
    assert words.identifier_words["version"] == "version" and words.identifier_words_after["U.S.C."] == "law"
    assert {"U.S.", "H.R.", "e.g.", "et al.", "Fig.", "No.", "i.e.", "Dr.", "Jan."} <= set(words.abbreviations)
    assert words.unit_word("Watts") == "W" and words.unit_word("mW") == "mW" and words.unit_word("MW") == "MW"
    assert words.vague_counts["millions"] == 1_000_000 and "in" in words.not_units
    assert {"lower than", "<", "≥", "upwards of", "within a"} <= set(words.qualifiers)
    french = Vocabulary.from_settings({"identifier_words": {"Tableau": "numbering"}, "abbreviations": "M. Mme",
                                       "units_after": ["ans"]})
    assert dict(french.identifier_words) == {"Tableau": "numbering"} and french.abbreviations == ("M.", "Mme")
    assert french.units_after == ("ans",) and french.vague_counts == words.vague_counts
