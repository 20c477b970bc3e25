"""Phone numbers, written with digits or spelled out in words (French and English).

How this works:

1. `phonenumbers`' matcher finds numbers written with digits in the usual formats: French
   numbers by default (region FR: `06 12 34 56 78`, `06.12.34.56.78`, `+33 6…`, `0033 6…`) and
   international numbers with their prefix.
2. Spelled and scrambled numbers go through a digit stream. The number-like tokens of the
   folded text are collected: digit groups, number words, `+`/`plus`, and `l`/`i` glued to
   digits (`O6 l2`). Number words become digits (`douze` -> 12, `soixante-dix-huit` -> 78,
   `zero`/`o`/`oh` -> 0, `double six` -> 66). Consecutive tokens form a run when only
   separators (`-`, `.`, spaces, a few characters) or at most two filler letters or words
   (`0a6b1…`, `tiret`) stand between them; anything else ends the run. Each digit remembers
   its token. A window of a run that `phonenumbers` accepts (0 and nine digits in France, 00
   or 33 or `+` then an international number) becomes a span from its first token to its last.
3. Cheap counts skip both steps when the text cannot hold a phone number's worth of digits,
   which is almost every chat message.
4. On a normalised view (`normalising`), number words that were glued together
   (`sixdouzetrentequatre`) and spell five digits or more are a phone number's piece too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumberMatcher

from causerie.safety.automod.folding import TextView
from causerie.safety.automod.spans import Span, SpanKind, merge_ranges

REGION = "FR"
_MIN_RUN_DIGITS = 8
_MIN_MATCHER_DIGITS = 6
_MIN_GLUED_DIGITS = 5  # a piece of a phone number, spelled in glued words (`_glued_fragments`)
# Bounds on the work one message may cost, so that a flood of digits stays cheap: candidates
# the matcher may reject, and numbers the digit stream may ask `phonenumbers` to check. Past
# the second bound a candidate is judged by its shape alone (0 and nine digits, or a country
# code and 8-15 digits), so junk numbers placed first cannot hide a real one behind them.
_MAX_MATCHER_TRIES = 64
_MAX_STREAM_CHECKS = 128
_COUNTRY_CODES = frozenset(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)

_UNITS = {
    "zero": 0, "o": 0, "oh": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_FRENCH_TEENS = {
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
}  # fmt: skip
_TEENS = {
    **_FRENCH_TEENS,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_REPEATS = {"double": 2, "triple": 3}
_PLUS = frozenset({"+", "plus"})
_ONE_LOOKALIKES = frozenset({"l", "i"})
_STREAM_WORDS = frozenset({*_UNITS, *_TEENS, *_TENS, *_REPEATS, "plus"})
# The words the digit stream reads (French and English number words, `double`, `plus`).
SPELLED_NUMBER_WORDS = _STREAM_WORDS

_DIGIT_GROUP = re.compile(r"[0-9]+")
_ANY_DIGIT = re.compile(r"\d")
# Between two pieces of one number: separators only, or up to two filler letters or words.
_GAP = re.compile(
    r"[^a-z0-9]{0,5}"
    r"|[^a-z0-9]{0,3}(?:(?:[a-z]|tiret|point|puis|dash|dot|then)[^a-z0-9]{0,3}){1,2}"
)
_JOINED = re.compile(r"[^a-z0-9]{0,3}")  # inside one compound: `trente-quatre`
_AND = re.compile(r"[^a-z0-9]{1,3}et[^a-z0-9]{1,3}")  # `vingt et un`


class PhoneLeniency(StrEnum):
    """How sure `phonenumbers` must be: a valid number, or merely a possible one."""

    VALID = "valid"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def is_digits(self) -> bool:
        return self.text[0].isdigit()


@dataclass(slots=True)
class _Budget:
    checks_left: int = _MAX_STREAM_CHECKS


@dataclass(slots=True)
class _Run:
    """Digits read so far, each with the folded range of the token it came from."""

    plus_start: int | None = None  # folded position of a leading `+` or "plus"
    digits: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add(self, digits: str, start: int, end: int, *, per_char: bool = False) -> None:
        for offset in range(len(digits)):
            self.starts.append(start + offset if per_char else start)
            self.ends.append(start + offset + 1 if per_char else end)
        self.digits += digits


class PhoneDetector:
    """Finds phone numbers; built once per rule, called once per message."""

    def __init__(self, leniency: PhoneLeniency = PhoneLeniency.VALID) -> None:
        self._leniency = leniency

    def __call__(self, view: TextView) -> tuple[Span, ...]:
        ranges: list[tuple[int, int]] = []
        # A normalised view has the same original text: its digits were matched already.
        if not view.is_normalised and len(_ANY_DIGIT.findall(view.text)) >= _MIN_MATCHER_DIGITS:
            ranges.extend(self._matched(view.text))
        tokens = _tokens(view)
        weight = sum(len(t.text) if t.is_digits else 2 for t in tokens if t.text not in _PLUS)
        if weight >= _MIN_RUN_DIGITS + 1:
            for start, end in self._streamed(view.folded, tokens):
                span = view.span(start, end, SpanKind.PHONE)
                ranges.append((span.start, span.end))
        for start, end in _glued_fragments(view, tokens):
            span = view.span(start, end, SpanKind.PHONE)
            ranges.append((span.start, span.end))
        spans = (Span(start, end, SpanKind.PHONE) for start, end in ranges)
        return tuple(Span(s, e, SpanKind.PHONE) for s, e in merge_ranges(spans))

    def _matched(self, text: str) -> list[tuple[int, int]]:
        leniency = Leniency.VALID if self._leniency is PhoneLeniency.VALID else Leniency.POSSIBLE
        matcher = PhoneNumberMatcher(text, REGION, leniency=leniency, max_tries=_MAX_MATCHER_TRIES)
        return [(m.start, m.end) for m in matcher]

    def _accepts(self, number: str, budget: _Budget) -> bool:
        if budget.checks_left <= 0:
            return _has_phone_shape(number)
        budget.checks_left -= 1
        try:
            parsed = phonenumbers.parse(number, REGION)
        except NumberParseException:
            return False
        if self._leniency is PhoneLeniency.VALID:
            return phonenumbers.is_valid_number(parsed)
        return phonenumbers.is_possible_number(parsed)

    def _streamed(self, folded: str, tokens: list[_Token]) -> list[tuple[int, int]]:
        """Folded ranges of the numbers found in the digit stream."""
        found: list[tuple[int, int]] = []
        budget = _Budget()
        for run in _runs(folded, tokens):
            for first, last in self._numbers_in(run, budget):
                start = run.starts[first]
                if first == 0 and run.plus_start is not None:
                    start = run.plus_start
                found.append((start, run.ends[last - 1]))
        return found

    def _numbers_in(self, run: _Run, budget: _Budget) -> list[tuple[int, int]]:
        """Digit-index ranges `[first, last)` of the numbers in one run."""
        digits, i = run.digits, 0
        found: list[tuple[int, int]] = []
        if run.plus_start is not None:
            end = self._international(digits, 0, budget)
            if end:
                found.append((0, end))
                i = end
        while i <= len(digits) - _MIN_RUN_DIGITS:
            end = 0
            if digits.startswith("00", i):
                end = self._international(digits, i + 2, budget)
            elif (
                digits[i] == "0"
                and digits[i + 1] != "0"
                and len(digits) >= i + 10
                and self._accepts(digits[i : i + 10], budget)
            ):
                end = i + 10
            elif (
                digits.startswith("33", i)
                and len(digits) >= i + 11
                and self._accepts("+" + digits[i : i + 11], budget)
            ):
                end = i + 11
            if end:
                found.append((i, end))
                i = end
            else:
                i += 1
        return found

    def _international(self, digits: str, start: int, budget: _Budget) -> int:
        """End of the longest international number starting at `start` (after + or 00), or 0."""
        if not any(digits[start : start + size] in _COUNTRY_CODES for size in (1, 2, 3)):
            return 0
        for end in range(min(len(digits), start + 15), start + 7, -1):
            if self._accepts("+" + digits[start:end], budget):
                return end
        return 0


def _glued_fragments(view: TextView, tokens: list[_Token]) -> list[tuple[int, int]]:
    """Folded ranges of number words that were glued together (`sixdouzetrentequatre`, known
    to a normalised view only) and spell five digits or more: nobody glues number words but
    to hide a phone number, or a piece of one sent in several messages."""
    found: list[tuple[int, int]] = []
    for start, end in view.glued_numbers:
        inside = [t for t in tokens if start <= t.start and t.end <= end and not t.is_digits]
        digits, i = 0, 0
        while i < len(inside):
            parsed = _number_at(view.folded, inside, i)
            if parsed is None:
                i += 1
                continue
            digits += len(parsed[0])
            i = parsed[1]
        if digits >= _MIN_GLUED_DIGITS:
            found.append((inside[0].start, inside[-1].end))
    return found


def _has_phone_shape(number: str) -> bool:
    if number.startswith("+"):
        return 8 <= len(number) - 1 <= 15 and number[1] != "0"
    return len(number) == 10 and number[0] == "0" and number[1] != "0"


def _tokens(view: TextView) -> list[_Token]:
    """The number-like tokens of the folded text, in order."""
    folded = view.folded
    tokens = [_Token(m.group(), m.start(), m.end()) for m in _DIGIT_GROUP.finditer(folded)]
    words = view.words & _STREAM_WORDS
    if not tokens and len(words) < 2:
        return []  # a spelled number needs at least two different words: `zero six six…`
    for word in words:
        tokens.extend(_Token(word, start, start + len(word)) for start in view.find_word(word))
    for digits in tokens[: len(tokens)]:
        # `O6 l2 34…`: an l or i glued to a digit group on one side only reads as 1 (glued on
        # both sides, as in `0a6b1c…`, it is a separator).
        for position in (digits.start - 1, digits.end):
            if 0 <= position < len(folded) and folded[position] in _ONE_LOOKALIKES:
                outer = position - 1 if position < digits.start else position + 1
                if not (0 <= outer < len(folded) and folded[outer].isalnum()):
                    tokens.append(_Token(folded[position], position, position + 1))
    start = folded.find("+")
    while start >= 0:
        tokens.append(_Token("+", start, start + 1))
        start = folded.find("+", start + 1)
    tokens.sort(key=lambda token: token.start)
    return tokens


def _number_at(folded: str, tokens: list[_Token], i: int) -> tuple[str, int] | None:
    """The digits spelled by the words starting at token `i`, and the index after them."""

    def word(k: int, *, after_and: bool = False) -> str:
        if k >= len(tokens) or tokens[k].is_digits:
            return ""
        gap = _AND if after_and else _JOINED
        return tokens[k].text if gap.fullmatch(folded, tokens[k - 1].end, tokens[k].start) else ""

    first = tokens[i].text
    if first == "quatre" and word(i + 1) in ("vingt", "vingts"):
        base, k = 80, i + 2
    elif first in _TENS:
        base, k = _TENS[first], i + 1
    elif first == "dix" and word(i + 1) in ("sept", "huit", "neuf"):
        return str(10 + _UNITS[word(i + 1)]), i + 2
    elif first in _TEENS:
        return str(_TEENS[first]), i + 1
    elif first in _REPEATS and word(i + 1) in _UNITS:
        return str(_UNITS[word(i + 1)]) * _REPEATS[first], i + 2
    elif first in _UNITS:
        return str(_UNITS[first]), i + 1
    else:
        return None
    if word(k, after_and=True) in ("un", "onze"):
        return str(base + (1 if word(k, after_and=True) == "un" else 11)), k + 1
    following = word(k)
    if base in (60, 80) and following == "dix" and word(k + 1) in ("sept", "huit", "neuf"):
        return str(base + 10 + _UNITS[word(k + 1)]), k + 2
    if base in (60, 80) and following in _FRENCH_TEENS:
        return str(base + _FRENCH_TEENS[following]), k + 1
    if _UNITS.get(following, 0) > 0:
        return str(base + _UNITS[following]), k + 1
    return str(base), k


def _runs(folded: str, tokens: list[_Token]) -> list[_Run]:
    """Group the tokens into runs of digits (see the module docstring)."""
    runs: list[_Run] = []
    run = _Run()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if i and not _GAP.fullmatch(folded, tokens[i - 1].end, token.start):
            if len(run.digits) >= _MIN_RUN_DIGITS:
                runs.append(run)
            run = _Run()
        if token.text in _PLUS:
            if len(run.digits) >= _MIN_RUN_DIGITS:
                runs.append(run)
            run = _Run(plus_start=token.start)
            i += 1
        elif token.is_digits:
            run.add(token.text, token.start, token.end, per_char=True)
            i += 1
        elif token.text in _ONE_LOOKALIKES:
            run.add("1", token.start, token.end)
            i += 1
        else:
            parsed = _number_at(folded, tokens, i)
            if parsed is None:  # a word that reads as no number on its own (`vingts`)
                i += 1
                continue
            digits, after = parsed
            run.add(digits, token.start, tokens[after - 1].end)
            i = after
    if len(run.digits) >= _MIN_RUN_DIGITS:
        runs.append(run)
    return runs
