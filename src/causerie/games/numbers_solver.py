"""Le compte est bon's exact solver: the closest any calculation over the plaques can get.

How this works: for every subset of the plaques (a bit mask over their positions), the set of
values its plaques can make, each with one calculation that makes it. A subset of one plaque
makes that plaque; a larger subset makes whatever combines a value of one part with a value of
the other part of any split in two, by +, ×, − (the larger less the smaller, when they differ)
and ÷ (exact only). Every subset is a candidate, since a player need not use every plaque; the
answer is the value nearest the target (the smaller on a tie) and its calculation. Subsets are
visited by size, so each part is complete before it is combined; an exact value stops early.

The whole set's values are never needed as a table, only the one nearest the target, and they
are most of the work: for them each value of one part is paired only with the values of the
other part that could land near the target (found by bisection: near target − a for a sum,
a ± target for a difference, target ÷ a for a product; for a division, walked outward from
a ÷ target or a × target while the quotient could still come closer than the best so far).

The rules are those of `calculation.py`: each plaque once, every intermediate result a positive
whole number. The rendering uses as few parentheses as reading left to right allows, so
`parse_calculation` reads it back to the same value (a property test holds this).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

_SUM, _PRODUCT, _ATOM = 1, 2, 3
"""How tightly an expression binds: what decides the parentheses when it becomes an operand."""

_Recipe = tuple[str, int, int, int, int] | None
"""How a subset made a value: (operator, left value, left subset, right value, right subset),
or None for a plaque itself. Texts are written only for the answer, from these."""


@dataclass(frozen=True, slots=True)
class _Made:
    text: str
    binding: int


@dataclass(frozen=True, slots=True)
class Solution:
    value: int
    text: str
    """One calculation reaching `value`, written as a player would type it (`(75+25)×3-7`)."""
    is_exact: bool


def _wrap(made: _Made, needs: bool) -> str:
    return f"({made.text})" if needs else made.text


def _results(a: int, b: int) -> list[tuple[int, str, int, int]]:
    """Every value `a` and `b` make together: (value, operator, left, right), the larger first
    for − and ÷, neither operand 1 for × and ÷ (they would change nothing)."""
    big, small = (a, b) if a >= b else (b, a)
    out = [(a + b, "+", big, small)]
    if small > 1:
        out.append((a * b, "×", big, small))
        if big % small == 0:
            out.append((big // small, "÷", big, small))
    if big > small:
        out.append((big - small, "-", big, small))
    return out


def _render(made: dict[int, dict[int, _Recipe]], mask: int, value: int) -> _Made:
    recipe = made[mask][value]
    if recipe is None:
        return _Made(str(value), _ATOM)
    op, a, part_a, b, part_b = recipe
    ma, mb = _render(made, part_a, a), _render(made, part_b, b)
    if op == "+":
        return _Made(f"{ma.text}+{mb.text}", _SUM)
    if op == "-":
        return _Made(f"{ma.text}-{_wrap(mb, mb.binding == _SUM)}", _SUM)
    left = _wrap(ma, ma.binding == _SUM)
    if op == "×":
        return _Made(f"{left}×{_wrap(mb, mb.binding == _SUM)}", _PRODUCT)
    return _Made(f"{left}÷{_wrap(mb, mb.binding != _ATOM)}", _PRODUCT)


def solve(plaques: Sequence[int], target: int) -> Solution:
    """The value nearest `target` that the plaques can make (exact if any), and how."""
    count = len(plaques)
    full = (1 << count) - 1
    made: dict[int, dict[int, _Recipe]] = {full: {}}
    best_value, best_mask = 0, 0

    def consider(mask: int, values: dict[int, _Recipe]) -> bool:
        nonlocal best_value, best_mask
        for value in values:
            distance, best_distance = abs(value - target), abs(best_value - target)
            if distance < best_distance or (distance == best_distance and value < best_value):
                best_value, best_mask = value, mask
        return best_value == target

    def answer() -> Solution:
        text = _render(made, best_mask, best_value).text if best_mask else ""
        return Solution(best_value, text, best_value == target)

    for mask in sorted(range(1, full), key=lambda mask: mask.bit_count()):
        values: dict[int, _Recipe] = {}
        if mask.bit_count() == 1:
            values[plaques[mask.bit_length() - 1]] = None
        else:
            for part, other in _splits(mask):
                for a in made[part]:
                    for b in made[other]:
                        for value, op, left, right in _results(a, b):
                            if value not in values:
                                sides = (part, other) if left == a else (other, part)
                                values[value] = (op, left, sides[0], right, sides[1])
        made[mask] = values
        if consider(mask, values):
            return answer()
    if count == 1:
        made[full] = {plaques[0]: None}
        consider(full, made[full])
    for part, other in _splits(full):
        others = sorted(made[other])
        for a in made[part]:
            for b in _partners(a, others, target, abs(best_value - target)):
                for value, op, left, right in _results(a, b):
                    if value in made[full]:
                        continue
                    sides = (part, other) if left == a else (other, part)
                    made[full][value] = (op, left, sides[0], right, sides[1])
                    if consider(full, {value: None}):
                        return answer()
    return answer()


def _splits(mask: int) -> list[tuple[int, int]]:
    """Each way to cut `mask` in two non-empty parts, once: the part with its lowest bit first."""
    lowest = mask & -mask
    out = []
    part = (mask - 1) & mask
    while part:
        if part & lowest:
            out.append((part, mask ^ part))
        part = (part - 1) & mask
    return out


def _around(others: list[int], point: float) -> list[int]:
    """The values of sorted `others` just below and just above `point` (three at most)."""
    at = bisect_left(others, point)
    return others[max(0, at - 1) : at + 2]


def _partners(a: int, others: list[int], target: int, distance: int) -> set[int]:
    """The values `b` of `others` with which `a` may make something within `distance` of the
    target (or as near: a tie may still be the smaller value)."""
    out: set[int] = set()
    for point in (target - a, a - target, target + a, target / a):
        out.update(_around(others, point))
    # a ÷ b falls as b grows; b ÷ a grows with b. Walk each way from where the quotient is the
    # target, and stop at the first exact division or once the quotient is too far.
    start = bisect_left(others, a / target)
    for indexes in (range(start, len(others)), range(start - 1, -1, -1)):
        for k in indexes:
            b = others[k]
            if b < 2 or abs(a / b - target) > distance:
                break
            if a % b == 0:
                out.add(b)
                break
    if a > 1:
        start = bisect_left(others, a * target)
        for indexes in (range(start, len(others)), range(start - 1, -1, -1)):
            for k in indexes:
                b = others[k]
                if abs(b / a - target) > distance:
                    break
                if b % a == 0:
                    out.add(b)
                    break
    return out
