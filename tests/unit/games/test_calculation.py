import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.games.calculation import (
    Calculation,
    CalculationError,
    looks_like_calculation,
    parse_calculation,
)
from causerie.games.comptestbon import PLAQUES

SIX = [100, 75, 7, 3, 3, 25]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("(75+25)*3-7", 293),
        ("(75 + 25) x 3 - 7", 293),
        ("(75+25)×3−7", 293),
        ("75 ÷ 25 : 3 * 7", 7),
        ("100/25*3", 12),
        ("75 - 7 - 3", 65),
        ("(75+25)*3-7 = 293", 293),
        ("(75+25)*3-7 = 1", 293),
        ("7", 7),
    ],
)
def test_parse_calculation_accepted_forms_give_their_value(text: str, value: int) -> None:
    assert parse_calculation(text, SIX).value == value


def test_parse_calculation_lists_plaques_in_order() -> None:
    assert parse_calculation("3*(100-3)", SIX) == Calculation(291, (3, 100, 3))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("7*7", "déjà utilisée"),
        ("3*3*3", "déjà utilisée"),
        ("8+3", "n'est pas une des plaques"),
        ("3-3", "positif"),
        ("3-7+100", "positif"),
        ("100/3", "ne tombe pas juste"),
        ("(75+25", "parenthèse"),
        ("75+", "trop tôt"),
        ("75 25", "à cet endroit"),
        ("-3+7", "à cet endroit"),
        ("", "vide"),
        ("75 = 3 = 4", "Après"),
        ("123456", "n'est pas une plaque"),
    ],
)
def test_parse_calculation_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(CalculationError, match=reason):
        parse_calculation(text, SIX)


def test_looks_like_calculation_tells_chat_from_calculations() -> None:
    assert looks_like_calculation(" (75+25)x3 ")
    assert looks_like_calculation("12")
    assert not looks_like_calculation("salut 3 fois")
    assert not looks_like_calculation("x")
    assert not looks_like_calculation("")


plaque_sets = st.lists(st.sampled_from(PLAQUES), min_size=6, max_size=6)
calc_alphabet = st.sampled_from([*"0123456789 ()+-−*xX×/:÷=·", "75", "100", "25"])


@given(st.text(max_size=300), plaque_sets)
def test_parse_calculation_any_text_only_raises_its_own_error(text: str, six: list[int]) -> None:
    try:
        parse_calculation(text, six)
    except CalculationError:
        pass


@settings(max_examples=300)
@given(st.lists(calc_alphabet, max_size=40).map("".join), plaque_sets)
def test_parse_calculation_accepted_uses_each_plaque_once_and_says_its_value(
    text: str, six: list[int]
) -> None:
    try:
        calculation = parse_calculation(text, six)
    except CalculationError:
        return
    for plaque in set(calculation.plaques):
        assert calculation.plaques.count(plaque) <= six.count(plaque)
    assert calculation.value > 0
    # Independent check: Python's own arithmetic on the same text, exact rationals.
    body = text.partition("=")[0]
    for symbol, ascii_op in (("−", "-"), ("×", "*"), ("x", "*"), ("X", "*"), ("·", "*")):
        body = body.replace(symbol, ascii_op)
    for symbol in ("÷", ":"):
        body = body.replace(symbol, "/")
    # The parser reads "01" as the plaque 1; Python refuses leading zeros in a literal.
    body = re.sub(r"\b0+(?=\d)", "", body)
    assert _exact(body) == calculation.value


def _exact(body: str) -> object:
    """Evaluates an arithmetic text already checked by the parser, in Fractions."""
    import ast
    from fractions import Fraction

    def walk(node: ast.expr) -> Fraction:
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return Fraction(node.value)
        assert isinstance(node, ast.BinOp)
        left, right = walk(node.left), walk(node.right)
        match node.op:
            case ast.Add():
                return left + right
            case ast.Sub():
                return left - right
            case ast.Mult():
                return left * right
            case ast.Div():
                return left / right
        raise AssertionError(node.op)

    tree = ast.parse(body.strip(), mode="eval")
    return walk(tree.body)
