"""Yams' score sheet: the thirteen categories and what five dice are worth in each.

The usual rules (those of Yahtzee, with the French names):

| category | scores |
| --- | --- |
| as, deux, trois, quatre, cinq, six | the sum of the dice showing that face |
| brelan (three of a kind) | the sum of all five dice, if three show the same face |
| carré (four of a kind) | the sum of all five dice, if four show the same face |
| full (three and two) | 25 |
| petite suite (four in a row) | 30 |
| grande suite (five in a row) | 40 |
| yams (five of a kind) | 50 |
| chance | the sum of all five dice |

A sheet whose six upper categories total 63 or more earns a bonus of 35. A category a roll does
not fit may still be chosen, for 0 (a player must write somewhere each turn). Pure functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from enum import StrEnum

from causerie.games.answers import fold


class Category(StrEnum):
    AS = "as"
    DEUX = "deux"
    TROIS = "trois"
    QUATRE = "quatre"
    CINQ = "cinq"
    SIX = "six"
    BRELAN = "brelan"
    CARRE = "carre"
    FULL = "full"
    PETITE = "petite"
    GRANDE = "grande"
    YAMS = "yams"
    CHANCE = "chance"


UPPER = (Category.AS, Category.DEUX, Category.TROIS, Category.QUATRE, Category.CINQ, Category.SIX)
BONUS_THRESHOLD, BONUS = 63, 35
FULL_POINTS, SMALL_STRAIGHT_POINTS, LARGE_STRAIGHT_POINTS, YAMS_POINTS = 25, 30, 40, 50

LABELS = {
    Category.AS: "as",
    Category.DEUX: "deux",
    Category.TROIS: "trois",
    Category.QUATRE: "quatre",
    Category.CINQ: "cinq",
    Category.SIX: "six",
    Category.BRELAN: "brelan",
    Category.CARRE: "carré",
    Category.FULL: "full",
    Category.PETITE: "petite suite",
    Category.GRANDE: "grande suite",
    Category.YAMS: "yams",
    Category.CHANCE: "chance",
}
_SMALL_STRAIGHTS = ({1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 5, 6})
_ALIASES = {"1": Category.AS, "2": Category.DEUX, "3": Category.TROIS, "4": Category.QUATRE}
_ALIASES |= {"5": Category.CINQ, "6": Category.SIX, "carre": Category.CARRE}
_ALIASES |= {"petite suite": Category.PETITE, "grande suite": Category.GRANDE}
_ALIASES |= {"suite": Category.PETITE, "ps": Category.PETITE, "gs": Category.GRANDE}


def read_category(text: str) -> Category | None:
    """The category a player names: `brelan`, `Carré`, `petite suite`, `6` for six…"""
    word = fold(text)
    if word in _ALIASES:
        return _ALIASES[word]
    try:
        return Category(word)
    except ValueError:
        return None


def score(category: Category, dice: Sequence[int]) -> int:
    """What `dice` (five faces 1-6) are worth written in `category`."""
    counts = Counter(dice)
    most = max(counts.values())
    faces = set(dice)
    if category in UPPER:
        face = UPPER.index(category) + 1
        return face * counts[face]
    if category is Category.BRELAN:
        return sum(dice) if most >= 3 else 0
    if category is Category.CARRE:
        return sum(dice) if most >= 4 else 0
    if category is Category.FULL:
        return FULL_POINTS if sorted(counts.values()) == [2, 3] else 0
    if category is Category.PETITE:
        return SMALL_STRAIGHT_POINTS if any(s <= faces for s in _SMALL_STRAIGHTS) else 0
    if category is Category.GRANDE:
        return LARGE_STRAIGHT_POINTS if faces in ({1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}) else 0
    if category is Category.YAMS:
        return YAMS_POINTS if most == 5 else 0
    return sum(dice)


def upper_bonus(sheet: Mapping[Category, int]) -> int:
    return BONUS if sum(sheet.get(c, 0) for c in UPPER) >= BONUS_THRESHOLD else 0


def total(sheet: Mapping[Category, int]) -> int:
    """A sheet's total: every category written, and the upper bonus if earned."""
    return sum(sheet.values()) + upper_bonus(sheet)


def best_open(sheet: Mapping[Category, int], dice: Sequence[int]) -> Category:
    """The open category worth most for `dice` (the first in sheet order on a tie): where a
    player who let their time run out has their roll written."""
    open_ones = [c for c in Category if c not in sheet]
    return max(open_ones, key=lambda c: (score(c, dice), -open_ones.index(c)))
