"""The detectors a rule can name, and how a rule's `params` configure them.

A detector is a callable taking a `TextView` and returning the spans it found (empty: nothing
found). It is built once when the rules are loaded and holds its compiled patterns; calling it
has no side effect, so one result can serve every rule that names the same detector.

The contact detectors (`phone`, `email`, `handle`, `link`) read the message twice: as folded,
and through its normalised view (`normalising.py`: spaced-out letters joined, disguised dots
and glued spelled numbers undone), so a disguise can only add findings (`ThroughDisguises`).

- `phone`: phone numbers, in digits or in words, French and international.
  Params: `leniency` = `valid` (default) or `possible`; `form` (below).
- `email`: e-mail addresses, also written `jean at gmail dot com`. Params: `form`.
- `handle`: handles on other apps, and invitations to move there (`off_platform`).
  Params: `form`.
- `link`: links with or without a scheme, also `site point com`. Params: `form`.
- the four above take `form` = `any` (default) or `disguised`: only what was written to dodge
  the filter (seen through the normalised view alone: `evil[.]example`, `e v i l . c o m`).
- `link_spam`: every link of a message holding more than `max_links` (default 3).
- `meeting`: meet-up phrases, a time and a place proposed.
- `address`: street addresses.
- `caps`: runs of capitals (shouting). Params: `min_letters` (default 12).
- `repetition`: a character or a word repeated in a row. Params: `min_char_repeats`
  (default 10), `min_word_repeats` (default 5).
- `pattern`: the rule's own regex (field `pattern`), on the folded text; field `kind` names
  the spans (`pattern` by default; `link`, `phone`… to have them masked).
- `words`: the entries of the word list named by the rule's field `list`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from enum import StrEnum

from causerie.safety.automod.contacts import (
    count_links,
    detect_emails,
    detect_handles,
    detect_links,
)
from causerie.safety.automod.folding import TextView
from causerie.safety.automod.meetings import detect_addresses, detect_meetings
from causerie.safety.automod.normalising import normalised_view
from causerie.safety.automod.phones import PhoneDetector, PhoneLeniency
from causerie.safety.automod.spam import CapsDetector, RepetitionDetector
from causerie.safety.automod.spans import Span, SpanKind, merge_ranges

Detector = Callable[[TextView], tuple[Span, ...]]


class DetectorName(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    LINK = "link"
    LINK_SPAM = "link_spam"
    MEETING = "meeting"
    ADDRESS = "address"
    CAPS = "caps"
    REPETITION = "repetition"
    PATTERN = "pattern"
    WORDS = "words"


# Integer params: name -> (default, smallest allowed).
_INT_PARAMS: Mapping[DetectorName, Mapping[str, tuple[int, int]]] = {
    DetectorName.LINK_SPAM: {"max_links": (3, 0)},
    DetectorName.CAPS: {"min_letters": (12, 2)},
    DetectorName.REPETITION: {"min_char_repeats": (10, 2), "min_word_repeats": (5, 2)},
}
_FORM = {"form": ("any", frozenset({"any", "disguised"}))}
_CHOICE_PARAMS: Mapping[DetectorName, Mapping[str, tuple[str, frozenset[str]]]] = {
    DetectorName.PHONE: {
        "leniency": ("valid", frozenset(member.value for member in PhoneLeniency)),
        **_FORM,
    },
    DetectorName.EMAIL: _FORM,
    DetectorName.HANDLE: _FORM,
    DetectorName.LINK: _FORM,
}


class ParamError(ValueError):
    """A bad detector parameter; `name` is the parameter at fault."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


class LinkSpamDetector:
    """All the links of a message that holds more than `max_links` of them."""

    def __init__(self, max_links: int = 3) -> None:
        self._max_links = max_links

    def __call__(self, view: TextView) -> tuple[Span, ...]:
        if count_links(view) <= self._max_links:
            return ()
        return detect_links(view)


class ThroughDisguises:
    """A detector run on the message and, when it differs, on its normalised view too.

    The spans found through the view are spans of the original text (the view keeps an index
    map), merged with the others kind by kind. With `disguised_only`, only the spans that read
    otherwise than they were typed (`_is_disguised`): the contact details written to dodge the
    filter, which a rule may treat more strictly (`form = "disguised"`).
    """

    def __init__(self, detect: Detector, *, disguised_only: bool = False) -> None:
        self._detect = detect
        self._disguised_only = disguised_only

    def __call__(self, view: TextView) -> tuple[Span, ...]:
        spans = self._detect(view)
        plain = normalised_view(view)
        more = self._detect(plain) if plain is not None else ()
        if self._disguised_only:
            spans = tuple(span for span in spans if _is_disguised(view, span))
            more = tuple(span for span in more if plain is not None and _is_disguised(plain, span))
        if not more:
            return spans
        if not spans:
            return more
        kinds = dict.fromkeys(span.kind for span in (*spans, *more))
        return tuple(
            Span(start, end, kind)
            for kind in kinds
            for start, end in merge_ranges(s for s in (*spans, *more) if s.kind is kind)
        )


def _is_disguised(view: TextView, span: Span) -> bool:
    """Whether what `view` reads at `span` differs from what was typed there, case and accents
    aside: `evil[.]example`, `e v i l . c o m`, `𝐞𝐯𝐢𝐥.𝐜𝐨𝐦` are; `Evil.com`, `wikipédia.org`
    are not."""
    typed = unicodedata.normalize("NFD", view.text[span.start : span.end].lower())
    return _reads(view, span) != "".join(ch for ch in typed if not unicodedata.combining(ch))


def _reads(view: TextView, span: Span) -> str:
    """What `view` reads where the original text's `span` stands."""
    index = view.index
    if index is None:
        return view.folded[span.start : span.end]
    return "".join(
        ch for ch, at in zip(view.folded, index, strict=True) if span.start <= at < span.end
    )


class PatternDetector:
    """An operator's regex, matched case-insensitively on the folded text."""

    def __init__(self, pattern: re.Pattern[str], kind: SpanKind = SpanKind.PATTERN) -> None:
        self.pattern = pattern
        self._kind = kind

    def __call__(self, view: TextView) -> tuple[Span, ...]:
        return tuple(
            view.span(*m.span(), self._kind)
            for m in self.pattern.finditer(view.folded)
            if m.end() > m.start()
        )


def resolve_params(name: DetectorName, params: Mapping[str, object]) -> dict[str, int | str]:
    """The detector's full parameters: `params` checked, defaults filled in.

    Raises:
        ParamError: an unknown parameter, or a value of the wrong type or range.
    """
    ints = _INT_PARAMS.get(name, {})
    choices = _CHOICE_PARAMS.get(name, {})
    for key in params:
        if key not in ints and key not in choices:
            known = ", ".join(sorted([*ints, *choices])) or "none"
            raise ParamError(key, f"unknown parameter for detector {name.value!r} (known: {known})")
    resolved: dict[str, int | str] = {}
    for key, (default, low) in ints.items():
        value = params.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ParamError(key, f"expected an integer of at least {low}, got {value!r}")
        resolved[key] = value
    for key, (default_choice, allowed) in choices.items():
        choice = params.get(key, default_choice)
        if choice not in allowed:
            raise ParamError(key, f"expected one of {', '.join(sorted(allowed))}, got {choice!r}")
        resolved[key] = str(choice)
    return resolved


def build_detector(name: DetectorName, params: Mapping[str, int | str]) -> Detector:
    """A built-in detector (not `pattern` or `words`) from resolved params."""

    def int_param(key: str) -> int:
        value = params[key]
        assert isinstance(value, int)
        return value

    match name:
        case DetectorName.PHONE:
            phones = PhoneDetector(PhoneLeniency(str(params["leniency"])))
            return ThroughDisguises(phones, disguised_only=params["form"] == "disguised")
        case DetectorName.EMAIL:
            return ThroughDisguises(detect_emails, disguised_only=params["form"] == "disguised")
        case DetectorName.HANDLE:
            return ThroughDisguises(detect_handles, disguised_only=params["form"] == "disguised")
        case DetectorName.LINK:
            return ThroughDisguises(detect_links, disguised_only=params["form"] == "disguised")
        case DetectorName.LINK_SPAM:
            return LinkSpamDetector(int_param("max_links"))
        case DetectorName.MEETING:
            return detect_meetings
        case DetectorName.ADDRESS:
            return detect_addresses
        case DetectorName.CAPS:
            return CapsDetector(int_param("min_letters"))
        case DetectorName.REPETITION:
            return RepetitionDetector(int_param("min_char_repeats"), int_param("min_word_repeats"))
        case _:
            raise ValueError(f"{name.value} is configured by the rule, not by params")


def detector_key(name: DetectorName, params: Mapping[str, int | str]) -> str:
    """A key equal for two rules whose detectors find the same spans (results are shared)."""
    return name.value + "".join(f";{key}={params[key]}" for key in sorted(params))
