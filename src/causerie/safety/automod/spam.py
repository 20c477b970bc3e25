"""Shouting and repetition: all-caps runs, one character or one word over and over.

These look at the original text (case matters for shouting). Flood across messages and
repeated messages are the rate limiter's business, not this module's: it sees one message.
"""

from __future__ import annotations

import re

from causerie.safety.automod.folding import TextView
from causerie.safety.automod.spans import Span, SpanKind

_UPPER = "A-ZÀ-ÖØ-ÞŒŸ"
# A run of capitals, possibly across spaces, digits and punctuation, starting and ending on a
# capital. Possessive quantifiers: a long run of spaces is read once, never backtracked.
_CAPS_RUN = re.compile(rf"[{_UPPER}](?:[{_UPPER}]|[\s\d!?.,;:'’\"()*/&+-]++(?=[{_UPPER}]))*+")
_CAPITAL = re.compile(rf"[{_UPPER}]")


_ASCII_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))


def _count_capitals(text: str) -> int:
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw) - len(raw.translate(None, _ASCII_CAPITALS))
    return len(_CAPITAL.findall(text))


class CapsDetector:
    """Runs of at least `min_letters` capital letters with no small letter in between."""

    def __init__(self, min_letters: int = 12) -> None:
        self._min_letters = min_letters

    def __call__(self, view: TextView) -> tuple[Span, ...]:
        text = view.text
        if text.islower() or _count_capitals(text) < self._min_letters:
            return ()
        return tuple(
            Span(m.start(), m.end(), SpanKind.CAPS)
            for m in _CAPS_RUN.finditer(text)
            if len(_CAPITAL.findall(m.group())) >= self._min_letters
        )


class RepetitionDetector:
    """A character repeated `min_char_repeats` times in a row (`!!!!!!!!!!`, `loooooooool`),
    or a word `min_word_repeats` times in a row (`spam spam spam spam spam`)."""

    def __init__(self, min_char_repeats: int = 10, min_word_repeats: int = 5) -> None:
        # `(\S)\1\1…\1+` is spelled out: the regex engine runs it about twice as fast as `\1{9,}`.
        self._chars = re.compile(r"(\S)" + r"\1" * (min_char_repeats - 2) + r"\1+")
        self._words = re.compile(rf"(?<!\w)(\w++)(?:\W++\1(?!\w)){{{min_word_repeats - 1},}}")

    def __call__(self, view: TextView) -> tuple[Span, ...]:
        folded = view.folded
        found = [view.span(*m.span(), SpanKind.REPEAT) for m in self._chars.finditer(folded)]
        if _may_repeat_words(folded):
            found += [view.span(*m.span(), SpanKind.REPEAT) for m in self._words.finditer(folded)]
        return tuple(sorted(found))


_NON_WORD = bytes(b for b in range(128) if not (chr(b).isalnum() or chr(b) == "_"))
_TO_SPACES = bytes.maketrans(_NON_WORD, b" " * len(_NON_WORD))


def _may_repeat_words(folded: str) -> bool:
    """False only when no word follows itself: a cheap test before the word regex."""
    if not folded.isascii():
        return True
    words = folded.encode("ascii").translate(_TO_SPACES).split()
    return any(map(bytes.__eq__, words, words[1:]))
