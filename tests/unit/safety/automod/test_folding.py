"""Folded views: case, accents and fancy characters removed, positions mapped back."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.safety.automod.folding import TextView, fold, leet
from causerie.safety.automod.spans import Span, SpanKind


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Bonjour", "bonjour"),
        ("RENDEZ-VOUS à l’école", "rendez-vous a l'ecole"),
        ("𝐫𝐝𝐯 ＡＢＣ ①②", "rdv abc 12"),
        ("𝟎𝟔 𝟏𝟐", "06 12"),
        ("a\u202fb\u00a0c", "a b c"),
        ("I–II—III", "i-ii-iii"),
        ("Ελληνικά", "ελληνικά"),
        ("😀 ok", "😀 ok"),
    ],
)
def test_fold_one_to_one_characters_folded_with_identity_map(raw: str, folded: str) -> None:
    assert fold(raw) == (folded, None)


def test_fold_ligature_expands_and_maps_back_to_its_character() -> None:
    folded, index = fold("Sœur é")
    assert folded == "soeur e"
    assert index == [0, 1, 1, 2, 3, 4, 5]


def test_fold_combining_accent_dropped_and_mapped() -> None:
    folded, index = fold("cafe\u0301 ok")
    assert folded == "cafe ok"
    assert index == [0, 1, 2, 3, 5, 6, 7]


def test_leet_digits_and_symbols_letters() -> None:
    assert leet("c0nn4rd 5@l3 $1") == "connard sale si"
    assert leet("c0nn4rd é") == "connard é"


def test_view_span_after_expansion_covers_original_characters() -> None:
    view = TextView("œil 06")
    start = view.folded.index("06")
    assert view.span(start, start + 2, SpanKind.PHONE) == Span(4, 6, SpanKind.PHONE)


def test_view_words_runs_of_letters_only() -> None:
    assert TextView("T'as 2 Snaps, ok?").words == frozenset({"t", "as", "snaps", "ok"})


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_view_words_are_the_letter_runs_whatever_the_text(text: str) -> None:
    """ASCII text takes a shortcut (bytes translated, then split): the same words."""
    view = TextView(text)
    assert view.words == frozenset(re.findall(r"[a-z]+", view.folded))


def test_view_find_word_standalone_only() -> None:
    view = TextView("un chacun, un2 aucun un")
    assert view.find_word("un") == [0, 11, 21]


def test_fold_invisible_characters_dropped_and_mapped() -> None:
    folded, index = fold("sn\u200bap\u00ad!")
    assert folded == "snap!"
    assert index == [0, 1, 3, 4, 6]
