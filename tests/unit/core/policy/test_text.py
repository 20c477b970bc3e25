"""Message text: trimmed, control characters but newline and tab removed, 1..max characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.policy.text import DROPPED, MAX_TEXT_CHARS, clean_text
from causerie.errors import CauserieError, ErrorCode


def _refusal(raw: str, max_chars: int = MAX_TEXT_CHARS) -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        clean_text(raw, max_chars)
    return caught.value


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Bonjour à tous 👋", "Bonjour à tous 👋"),
        ("  salut  ", "salut"),
        ("a\nb\tc", "a\nb\tc"),
        ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
        ("ligne\r\nsuivante", "ligne\nsuivante"),
        ("privé\ue000", "privé"),
        ("moitié\ud800", "moitié"),
        ("\x00  texte \x01", "texte"),
    ],
)
def test_clean_text_controls_removed_and_trimmed(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_dropped_characters_are_exactly_controls_surrogates_private_use() -> None:
    every = "".join(map(chr, range(0x110000)))
    expected = {
        ch for ch in every if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs", "Co")
    }

    assert set(DROPPED.findall(every)) == expected


@pytest.mark.parametrize("raw", ["", " ", "\n\t ", "\x00\x01", "\ue000"])
def test_clean_text_nothing_left_refused_invalid(raw: str) -> None:
    error = _refusal(raw)

    assert (error.code, error.key, error.field) == (ErrorCode.INVALID, "text_empty", "text")


def test_clean_text_over_max_refused_too_large() -> None:
    error = _refusal("é" * (MAX_TEXT_CHARS + 1))

    assert (error.code, error.key, error.field) == (ErrorCode.TOO_LARGE, "text_too_long", "text")
    assert error.params == {"max": MAX_TEXT_CHARS}


def test_clean_text_exactly_max_accepted_counted_after_cleaning() -> None:
    raw = "  " + "a" * MAX_TEXT_CHARS + "\x00" * 50 + "  "

    assert clean_text(raw) == "a" * MAX_TEXT_CHARS
    assert MAX_TEXT_CHARS == 2000


def test_clean_text_custom_max_applies() -> None:
    assert clean_text("12345", 5) == "12345"
    assert _refusal("123456", 5).code is ErrorCode.TOO_LARGE


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(max_size=60))
def test_clean_text_any_input_clean_or_refused(raw: str) -> None:
    try:
        text = clean_text(raw, 40)
    except CauserieError as error:
        assert error.field == "text"
        assert error.code in (ErrorCode.INVALID, ErrorCode.TOO_LARGE)
        return
    assert 1 <= len(text) <= 40
    assert text == text.strip()
    assert all(ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co") for ch in text)
    assert clean_text(text, 40) == text
