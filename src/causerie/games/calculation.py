"""Le compte est bon's calculations: a player's line read as one expression over the plaques.

Players type `(75+25)*3-7`, `(75 + 25) x 3 - 7`, `100 ÷ 4 : 5`… This reads such a line by hand
(never `eval`) and keeps the rules of the game: each plaque is used at most as often as it was
drawn, and every intermediate result is a positive whole number (a subtraction must leave more
than zero, a division must be exact). `parse_calculation` has one failure mode, whatever the
text: `CalculationError`, whose message is safe to show the player.

How this works: a tokenizer turns the text into numbers, operators and parentheses, then a
recursive-descent parser reads the usual grammar (operators of the same level left to right):

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := NUMBER | "(" expr ")"

and computes as it reads, so the first broken rule is the one reported. A trailing `= 293` (the
result a player believes they reached) is allowed and ignored: the game says the real value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MAX_CHARS = 200
"""Longer lines are not calculations (six plaques fit in far fewer); it also bounds recursion."""

_OPERATORS = {
    "+": "+",
    "-": "-",
    "−": "-",
    "*": "*",
    "x": "*",
    "X": "*",
    "×": "*",
    "·": "*",
    "/": "/",
    ":": "/",
    "÷": "/",
}
_LOOKS_LIKE = re.compile(r"^[\d\s()+\-−*xX×·/:÷=]*\d[\d\s()+\-−*xX×·/:÷=]*$")


class CalculationError(ValueError):
    """A line that is not a valid calculation; the message says why, in French."""


@dataclass(frozen=True, slots=True)
class Calculation:
    value: int
    plaques: tuple[int, ...]
    """The plaques it used, in the order they appear."""


def looks_like_calculation(text: str) -> bool:
    """Whether a chat line is meant as a calculation: digits, operators, parentheses, spaces
    and `=` only. Other lines are chat, and the game lets them pass without a word."""
    stripped = text.strip()
    return 0 < len(stripped) <= MAX_CHARS and bool(_LOOKS_LIKE.match(stripped))


def _tokenize(text: str) -> list[str | int]:
    tokens: list[str | int] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif "0" <= char <= "9":
            end = index
            while end < len(text) and "0" <= text[end] <= "9":
                end += 1
            digits = text[index:end]
            if len(digits) > 4:
                raise CalculationError(f"{digits[:6]}… n'est pas une plaque.")
            tokens.append(int(digits))
            index = end
        elif char in _OPERATORS:
            tokens.append(_OPERATORS[char])
            index += 1
        elif char in "()":
            tokens.append(char)
            index += 1
        else:
            raise CalculationError(f"Je ne comprends pas « {char} » dans ce calcul.")
    return tokens


class _Parser:
    def __init__(self, tokens: Sequence[str | int], plaques: Sequence[int]) -> None:
        self._tokens = tokens
        self._at = 0
        self._left = Counter(plaques)
        self.used: list[int] = []

    def _peek(self) -> str | int | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def parse(self) -> int:
        if not self._tokens:
            raise CalculationError("Ce calcul est vide.")
        value = self._expr(0)
        if self._peek() is not None:
            raise CalculationError(f"Je ne comprends pas « {self._peek()} » à cet endroit.")
        return value

    def _expr(self, depth: int) -> int:
        value = self._term(depth)
        while (op := self._peek()) in ("+", "-"):
            self._at += 1
            right = self._term(depth)
            if op == "+":
                value += right
            elif value - right <= 0:
                raise CalculationError(
                    f"{value} - {right} ne donne pas un nombre positif : c'est interdit."
                )
            else:
                value -= right
        return value

    def _term(self, depth: int) -> int:
        value = self._factor(depth)
        while (op := self._peek()) in ("*", "/"):
            self._at += 1
            right = self._factor(depth)
            if op == "*":
                value *= right
            elif value % right != 0:
                raise CalculationError(f"{value} ÷ {right} ne tombe pas juste : c'est interdit.")
            else:
                value //= right
        return value

    def _factor(self, depth: int) -> int:
        token = self._peek()
        if token == "(":
            if depth > MAX_CHARS // 2:
                raise CalculationError("Trop de parenthèses.")
            self._at += 1
            value = self._expr(depth + 1)
            if self._peek() != ")":
                raise CalculationError("Il manque une parenthèse fermante.")
            self._at += 1
            return value
        if isinstance(token, int):
            self._at += 1
            return self._plaque(token)
        if token is None:
            raise CalculationError("Ce calcul s'arrête trop tôt.")
        raise CalculationError(f"Je ne comprends pas « {token} » à cet endroit.")

    def _plaque(self, number: int) -> int:
        if self._left[number] <= 0:
            if number in self.used:
                raise CalculationError(f"La plaque {number} est déjà utilisée.")
            raise CalculationError(f"{number} n'est pas une des plaques.")
        self._left[number] -= 1
        self.used.append(number)
        return number


def parse_calculation(text: str, plaques: Sequence[int]) -> Calculation:
    """Reads `text` as one calculation over `plaques`.

    Returns the value and the plaques used. Raises `CalculationError` (and nothing else) when
    the text is not a calculation, uses a plaque it may not, or breaks a rule of the game.
    """
    if len(text) > MAX_CHARS:
        raise CalculationError("Ce calcul est trop long.")
    body, equals, claimed = text.partition("=")
    if equals and (not claimed.strip().isdigit() or "=" in claimed):
        raise CalculationError("Après « = », seulement le résultat.")
    parser = _Parser(_tokenize(body), plaques)
    value = parser.parse()
    return Calculation(value, tuple(parser.used))
