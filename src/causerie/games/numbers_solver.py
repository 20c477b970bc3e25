"""Le compte est bon's exact solver: the closest any calculation over the plaques can get.

How this works: for every subset of the plaques (a bit mask over their positions), the set of
values its plaques can make, each with one calculation that makes it. A subset of one plaque
makes that plaque; a larger subset makes whatever combines a value of one part with a value of
the other part of any split in two, by +, ×, − (the larger less the smaller, when they differ)
and ÷ (exact only). Every subset is a candidate, since a player need not use every plaque; the
answer is the value nearest the target (the smaller on a tie) and its calculation. Subsets are
visited by size, so each part is complete before it is combined; an exact value stops early.

The rules are those of `calculation.py`: each plaque once, every intermediate result a positive
whole number. The rendering uses as few parentheses as reading left to right allows, so
`parse_calculation` reads it back to the same value (a property test holds this).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_SUM, _PRODUCT, _ATOM = 1, 2, 3
"""How tightly an expression binds: what decides the parentheses when it becomes an operand."""


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


def _combine(a: int, ma: _Made, b: int, mb: _Made) -> list[tuple[int, _Made]]:
    """Every value `a` and `b` make together, with its rendering."""
    out = [(a + b, _Made(f"{ma.text}+{mb.text}", _SUM))]
    if a > 1 and b > 1:
        left = _wrap(ma, ma.binding == _SUM)
        right = _wrap(mb, mb.binding == _SUM)
        out.append((a * b, _Made(f"{left}×{right}", _PRODUCT)))
    for big, mbig, small, msmall in ((a, ma, b, mb), (b, mb, a, ma)):
        if big > small:
            right = _wrap(msmall, msmall.binding == _SUM)
            out.append((big - small, _Made(f"{mbig.text}-{right}", _SUM)))
        if small > 1 and big % small == 0:
            left = _wrap(mbig, mbig.binding == _SUM)
            right = _wrap(msmall, msmall.binding != _ATOM)
            out.append((big // small, _Made(f"{left}÷{right}", _PRODUCT)))
    return out


def solve(plaques: Sequence[int], target: int) -> Solution:
    """The value nearest `target` that the plaques can make (exact if any), and how."""
    count = len(plaques)
    made: dict[int, dict[int, _Made]] = {}
    best_value, best = 0, _Made("", _ATOM)

    def consider(values: dict[int, _Made]) -> bool:
        nonlocal best_value, best
        for value, how in values.items():
            distance, best_distance = abs(value - target), abs(best_value - target)
            if distance < best_distance or (distance == best_distance and value < best_value):
                best_value, best = value, how
        return best_value == target

    masks = sorted(range(1, 1 << count), key=lambda mask: mask.bit_count())
    for mask in masks:
        values: dict[int, _Made] = {}
        if mask.bit_count() == 1:
            plaque = plaques[mask.bit_length() - 1]
            values[plaque] = _Made(str(plaque), _ATOM)
        else:
            lowest = mask & -mask
            # Each split once: the part holding the lowest bit on the left.
            part = (mask - 1) & mask
            while part:
                if part & lowest:
                    other = mask ^ part
                    for a, ma in made[part].items():
                        for b, mb in made[other].items():
                            for value, how in _combine(a, ma, b, mb):
                                values.setdefault(value, how)
                part = (part - 1) & mask
        made[mask] = values
        if consider(values):
            break
    return Solution(best_value, best.text, best_value == target)
