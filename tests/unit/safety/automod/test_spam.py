"""Shouting and repetition."""

from __future__ import annotations

import pytest

from causerie.safety.automod.folding import TextView
from causerie.safety.automod.spam import CapsDetector, RepetitionDetector


def _caps(text: str, min_letters: int = 12) -> list[str]:
    return [text[s.start : s.end] for s in CapsDetector(min_letters)(TextView(text))]


def _repeats(text: str) -> list[str]:
    return [text[s.start : s.end] for s in RepetitionDetector()(TextView(text))]


def test_caps_long_run_found() -> None:
    assert _caps("non mais JE SUIS TRÈS ÉNERVÉ !!! vraiment") == ["JE SUIS TRÈS ÉNERVÉ"]


@pytest.mark.parametrize("text", ["Bonjour Paris", "la SNCF et la RATP", "OK", "salut"])
def test_caps_short_or_normal_text_not_found(text: str) -> None:
    assert _caps(text) == []


def test_caps_threshold_configurable() -> None:
    assert _caps("la SNCF et la RATP", min_letters=4) == ["SNCF", "RATP"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("!!!!!!!!!!", "!!!!!!!!!!"),
        ("l" + "o" * 12 + "l", "o" * 12),
        ("spam spam spam spam spam", "spam spam spam spam spam"),
        ("achète, achète, achète, achète, achète", "achète, achète, achète, achète, achète"),
    ],
)
def test_repetition_found(text: str, found: str) -> None:
    assert _repeats(text) == [found]


@pytest.mark.parametrize(
    "text", ["hahaha", "non non non", "!!!", "très très bien", "mmmmh", "1000000 €"]
)
def test_repetition_ordinary_text_not_found(text: str) -> None:
    assert _repeats(text) == []
