"""Nickname keys (issue 17, finding 9): UTS #39 confusables, case and accents fold away, so
look-alikes of a connected person's nickname are taken; invisible characters make no new one.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.policy import confusables
from causerie.core.policy.confusables import PROTOTYPES
from causerie.core.policy.lookalikes import (
    INVISIBLE_LETTERS,
    ascii_lookalike,
    is_default_ignorable,
    lookalike_char,
    lookalike_key,
)
from causerie.core.policy.nicknames import nick_key, validate_nick
from causerie.errors import CauserieError, ErrorCode

# -- the table --------------------------------------------------------------------------------


def test_table_is_unicode_uts39_data_with_its_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", confusables.UNICODE_VERSION)
    assert int(confusables.UNICODE_VERSION.split(".")[0]) >= 15
    assert re.fullmatch(r"[0-9a-f]{64}", confusables.SOURCE_SHA256)
    assert len(PROTOTYPES) > 6000
    # The example and the rows the standard is known for.
    assert PROTOTYPES[ord("і")] == "i"  # Cyrillic i
    assert (PROTOTYPES[ord("0")], PROTOTYPES[ord("1")], PROTOTYPES[ord("I")]) == ("O", "l", "l")
    assert PROTOTYPES[ord("m")] == "rn"


def test_table_prototypes_are_never_sources_again() -> None:
    assert not [s for s, p in PROTOTYPES.items() if any(ord(ch) in PROTOTYPES for ch in p)]


def test_every_confusable_pair_of_the_table_gets_one_key() -> None:
    split = {chr(s): p for s, p in PROTOTYPES.items() if lookalike_key(chr(s)) != lookalike_key(p)}

    assert split == {}


def test_every_key_character_is_its_own_key() -> None:
    # Every character a key holds, for the whole Basic Multilingual Plane and the table.
    codes = {*range(0x10000), *PROTOTYPES}
    not_fixed = {
        chr(code): lookalike_char(chr(code))
        for code in codes
        if not 0xD800 <= code < 0xE000
        and any(lookalike_char(ch) != ch for ch in lookalike_char(chr(code)))
    }

    assert not_fixed == {}


# -- examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "look_alike",
    [
        "Nіnateen",  # the example: Cyrillic і
        "Νinateen",  # Greek capital Nu
        "Ninаteen",  # Cyrillic а
        "Ninatееn",  # Cyrillic е
        "NINATEEN",
        "ninateen",
        "NInateen",  # capital I for i
        "Nlnateen",  # small l for i
        "N1nateen",  # digit one (UTS #39: 1 -> l)
        "Ｎｉｎａｔｅｅｎ",  # full-width
        "𝐍𝐢𝐧𝐚𝐭𝐞𝐞𝐧",  # mathematical bold
        "Nínatéén",  # accents
        "N\u0131nateen",  # dotless i
        "Ninat\u0435\u0435n",
    ],
)
def test_nick_key_look_alike_of_ninateen_equal(look_alike: str) -> None:
    assert nick_key(look_alike) == nick_key("Ninateen")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Élodie", "elodie"),
        ("Sophie", "S0phie"),  # UTS #39: 0 -> O
        ("Emma", "Ernma"),  # UTS #39: m -> rn
        ("Chloé", "Ϲhloe"),  # Greek capital lunate sigma
        ("Hugo", "Ηugo"),  # Greek capital Eta
        ("Paul", "Рaul"),  # Cyrillic capital Er
        ("Yanis", "Υanis"),  # Greek capital Upsilon
        ("Søren", "Soren"),
        ("Straße", "strasse"),
        ("Ilona", "llona"),
        ("coco", "сосо"),  # all Cyrillic
    ],
)
def test_nick_key_confusable_pairs_equal(a: str, b: str) -> None:
    assert nick_key(a) == nick_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lea", "L3a"),  # UTS #39 reads only 0 and 1 as letters
        ("Lea2010", "Lea2011"),
        ("Ninateen", "Nina_teen"),  # a separator shows
        ("Aaron", "Aron"),
        ("Hina", "nina"),
        ("Théo", "Théa"),
        ("Léa", "Lia"),
    ],
)
def test_nick_key_different_looking_nicks_differ(a: str, b: str) -> None:
    assert nick_key(a) != nick_key(b)


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",  # zero width space
        "\u200d",  # zero width joiner
        "\u2060",  # word joiner
        "\u202e",  # right-to-left override
        "\u200e",  # left-to-right mark
        "\u2066",  # left-to-right isolate
        "\ufeff",  # byte order mark
        "\ufe0f",  # variation selector
        "\u3164",  # Hangul filler (a letter)
        "\u115f",
        "\u0338",  # combining long solidus overlay
        "\u20d2",  # combining long vertical line overlay
        "\u0301",  # combining acute accent
        "\U000e0041",  # tag letter A
    ],
)
def test_nick_key_invisible_or_combining_character_dropped(invisible: str) -> None:
    assert nick_key("Nina" + invisible + "teen") == nick_key("Ninateen")


@pytest.mark.parametrize(
    "invisible",
    [
        *("\u200b", "\u200d", "\u202e", "\u200e", "\u2066", "\ufeff", "\ufe0f", "\u0338"),
        *sorted(INVISIBLE_LETTERS),
    ],
)
def test_validate_nick_invisible_characters_refused(invisible: str) -> None:
    with pytest.raises(CauserieError) as caught:
        validate_nick("Nina" + invisible + "teen")

    assert (caught.value.code, caught.value.key, caught.value.field) == (
        ErrorCode.INVALID,
        "nick_chars",
        "nick",
    )


def test_validate_nick_mixed_script_look_alike_accepted_but_keyed_like_the_original() -> None:
    # Mixed scripts are not refused (a name may mix them), they fold: the key decides.
    assert validate_nick("Nіnateen") == "Nіnateen"
    assert nick_key(validate_nick("Nіnateen")) == nick_key("Ninateen")


def test_invisible_letters_are_the_default_ignorable_letters() -> None:
    letters = {
        chr(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code))[0] == "L" and is_default_ignorable(chr(code))
    }

    assert letters == INVISIBLE_LETTERS


@pytest.mark.parametrize(
    ("ch", "ascii"),
    [("а", "a"), ("ѕ", "s"), ("р", "p"), ("ο", "o"), ("ｓ", "s"), ("𝟔", "6"), ("²", "2")],
)
def test_ascii_lookalike_reads_one_ascii_letter_or_digit(ch: str, ascii: str) -> None:
    assert ascii_lookalike(ch) == ascii


@pytest.mark.parametrize("ch", ["a", "€", "中", "\u200b", "œ", "ж"])
def test_ascii_lookalike_none_for_ascii_and_what_reads_as_no_single_letter(ch: str) -> None:
    assert ascii_lookalike(ch) is None


# -- properties ---------------------------------------------------------------------------


@settings(max_examples=500, database=None, deadline=None)
@given(st.text(max_size=30))
def test_nick_key_idempotent(text: str) -> None:
    key = nick_key(text)

    assert nick_key(key) == key


# Sources the table reads as one ASCII letter or digit, by that character (case kept).
_SOURCES: dict[str, list[str]] = defaultdict(list)
for _source, _prototype in PROTOTYPES.items():
    if len(_prototype) == 1 and _prototype.isascii() and _prototype.isalnum():
        _SOURCES[_prototype].append(chr(_source))
_SUBSTITUTABLE = "".join(sorted(_SOURCES))


@settings(max_examples=500, database=None, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + "_-.", max_size=20), st.data())
def test_nick_key_confusable_substitution_same_key(nick: str, data: st.DataObject) -> None:
    substituted = "".join(
        data.draw(st.sampled_from(_SOURCES[ch]))
        if ch in _SOURCES and data.draw(st.booleans())
        else ch
        for ch in nick
    )

    assert nick_key(substituted) == nick_key(nick)


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(alphabet=_SUBSTITUTABLE, min_size=1, max_size=20), st.data())
def test_nick_key_any_table_source_for_a_letter_same_key(nick: str, data: st.DataObject) -> None:
    substituted = "".join(data.draw(st.sampled_from(_SOURCES[ch])) for ch in nick)

    assert nick_key(substituted) == nick_key(nick)


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzàâäéèêëîïôöùûüçœæ_-.", max_size=20))
def test_nick_key_french_letters_case_and_accents_ignored(nick: str) -> None:
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", nick) if not unicodedata.combining(ch)
    )

    assert nick_key(nick.upper()) == nick_key(nick) == nick_key(plain)
    assert nick_key(unicodedata.normalize("NFD", nick)) == nick_key(nick)


@settings(max_examples=300, database=None, deadline=None)
@given(
    st.text(alphabet=string.ascii_letters, min_size=2, max_size=12),
    st.lists(st.sampled_from(["\u200b", "\u200d", "\u202e", "\u3164", "\ufe0f", "\u0338"])),
    st.data(),
)
def test_nick_key_invisible_characters_anywhere_ignored(
    nick: str, invisibles: list[str], data: st.DataObject
) -> None:
    text = nick
    for invisible in invisibles:
        position = data.draw(st.integers(0, len(text)))
        text = text[:position] + invisible + text[position:]

    assert nick_key(text) == nick_key(nick)
