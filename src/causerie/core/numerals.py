"""Numbers typed by people: ASCII digits only. Pure.

`str.isdigit()` is true of '²', '٣', '७' and hundreds of other characters, and `int()` and
`float()` read Arabic-Indic digits, underscores, signs, surrounding spaces, `nan` and `inf`. A
parser that checks with one and converts with the other either raises on input it let through
(`int('²')`) or reads a number nobody meant. Every parser of text from a client or an operator
asks here instead, and answers anything else with its own documented refusal.
"""

from __future__ import annotations

import re

_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


def is_ascii_digits(text: str) -> bool:
    """Whether `text` is one or more of the characters 0–9 and nothing else."""
    return text.isascii() and text.isdigit()


def ascii_int(text: str, *, max_digits: int = 18) -> int | None:
    """The whole number `text` spells in ASCII digits, or None.

    None for an empty text, any other character (sign, space, underscore, '²', '٣'…) and
    more than `max_digits` digits (so a hostile number never costs a long conversion).
    """
    if len(text) > max_digits or not is_ascii_digits(text):
        return None
    return int(text)


def ascii_decimal(text: str, *, max_digits: int = 18) -> float | None:
    """`12` or `1.5` in ASCII digits (at most `max_digits` in all), or None: no sign, no
    exponent, no `nan`/`inf`, no spaces, no underscores."""
    if len(text) > max_digits + 1 or not text.isascii():
        return None
    if _DECIMAL.fullmatch(text) is None:
        return None
    return float(text)
