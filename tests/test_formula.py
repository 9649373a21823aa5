"""The formula grammar of derived indicators: parsed, never evaluated as code."""

from __future__ import annotations

import pytest

from generator.records import formula


def test_products_and_quotients_read_left_to_right() -> None:
    tree = formula.parse("open-opportunities * win-rate * deal-size / sales-cycle")
    assert formula.names(tree) == ["open-opportunities", "win-rate", "deal-size", "sales-cycle"]
    values = {"open-opportunities": 600, "win-rate": 0.3, "deal-size": 15000, "sales-cycle": 60}
    assert formula.evaluate(tree, values) == pytest.approx(600 * 0.3 * 15000 / 60)  # 45,000
    assert formula.show(tree) == "open-opportunities × win-rate × deal-size ÷ sales-cycle"


def test_parentheses_numbers_and_the_signs_people_type() -> None:
    tree = formula.parse("a ÷ (b × 2)")
    assert formula.evaluate(tree, {"a": 12, "b": 3}) == 2
    assert formula.show(tree) == "a ÷ (b × 2)"
    assert formula.quotient_of_names(formula.parse("sqls / mqls")) == ("sqls", "mqls")
    assert formula.quotient_of_names(tree) is None


def test_missing_inputs_and_zero_divisors_give_no_value() -> None:
    tree = formula.parse("sqls / mqls")
    assert formula.evaluate(tree, {"sqls": 3}) is None
    assert formula.evaluate(tree, {"sqls": 3, "mqls": 0}) is None


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("sqls /", "ends too early"),
    ("(sqls / mqls", "a parenthesis is not closed"),
    ("sqls + mqls", "unexpected '+' at character 6"),
    ("__import__('os')", "unexpected '_' at character 1"),
    ("sqls mqls", "unexpected 'mqls' after a complete formula"),
    ("* sqls", "expected an indicator id or a number, got '*'"),
])
def test_anything_else_is_refused_with_where_and_what(text: str, message: str) -> None:
    with pytest.raises(formula.FormulaError, match=message.replace("(", r"\(").replace("+", r"\+")):
        formula.parse(text)
