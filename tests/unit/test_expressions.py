"""checks.csv expressions: arithmetic over claim ids, parsed, never eval'd."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimpack.model.expressions import ExpressionError, evaluate, identifiers, parse

VALUES = {"programs-defense": 87, "programs-state": 14, "programs-joint": 2, "programs-other": 4,
          "programs-2017": 107, "rate-1999": 62, "rate-2014": 27, "zero": 0}


def holds(expression: str, tolerance: float = 0) -> bool:
    return evaluate(parse(expression), VALUES, tolerance).holds


def test_sums_shares_and_changes():
    assert holds("programs-defense + programs-state + programs-joint + programs-other == programs-2017")
    assert holds("rate-2014 < rate-1999")
    assert holds("(rate-1999 - rate-2014) / rate-1999 * 100 == 56.45", tolerance=0.01)
    assert not holds("(rate-1999 - rate-2014) / rate-1999 * 100 == 56", tolerance=0.01)
    assert holds("1 < 2 <= 2 and not 3 < 2 or zero == 1")


def test_kebab_ids_and_minus():
    assert identifiers(parse("rate-1999 - rate-2014 > 0")) == ["rate-1999", "rate-2014"]
    with pytest.raises(ExpressionError, match=r"unknown claim id 'rate-1999-rate-2014'.*spaces around a minus"):
        holds("rate-1999-rate-2014 > 0")


@pytest.mark.parametrize(("expression", "message"), [
    ("__import__('os').system('id') == 0", r"function calls are not allowed \(__import__\(...\)\) at character 1"),
    ("open(1) == 1", r"function calls are not allowed \(open\(...\)\) at character 5"),
    ("rate-1999.real == 62", r"attribute access \('.'\) is not allowed at character 10"),
    ("rate-1999[0] == 6", "indexing is not allowed at character 10"),
    ("'a' == 'a'", "strings are not allowed at character 1"),
    ("rate-1999 +", "expression ends too early at character 12"),
    ("(rate-1999 == 62", "missing '\\)' at character 17"),
    ("rate-1999 + 1", "expression is not a comparison"),
    ("rate-1999 / zero == 1", "division by zero"),
    ("lambda: 1", "unexpected character ':' at character 7"),
    ("", "expression is empty"),
    ("(" * 200 + "1" + ")" * 200 + " == 1", "nests deeper than 60 levels"),
])
def test_refuses_everything_but_arithmetic(expression, message):
    with pytest.raises(ExpressionError, match=message):
        evaluate(parse(expression), VALUES)


@given(st.text(max_size=80))
@pytest.mark.slow
def test_random_text_gives_a_result_or_expression_error(text):
    with contextlib.suppress(ExpressionError):
        evaluate(parse(text), VALUES)


@given(st.recursive(st.integers(0, 1000).map(str) | st.sampled_from(sorted(VALUES)),
                    lambda inner: st.tuples(inner, st.sampled_from([" + ", " - ", " * ", " / "]), inner).map(
                        lambda t: f"({t[0]}{t[1]}{t[2]})"), max_leaves=12))
def test_arithmetic_agrees_with_python(expression):
    python = expression
    for name in sorted(VALUES, key=len, reverse=True):
        python = python.replace(name, f"({VALUES[name]})")
    try:
        expected = eval(python)
    except ZeroDivisionError:
        with pytest.raises(ExpressionError, match="division by zero"):
            evaluate(parse(f"{expression} == 0"), VALUES)
        return
    outcome = evaluate(parse(f"{expression} == 0"), VALUES)
    assert outcome.comparisons[0][0] == pytest.approx(expected)


def test_details_never_print_scientific_notation():
    outcome = evaluate(parse("tiny < huge and huge == huge"), {"tiny": 0.0000125, "huge": 2e12})
    assert outcome.detail() == "0.0000125 < 2,000,000,000,000; 2,000,000,000,000 == 2,000,000,000,000"
