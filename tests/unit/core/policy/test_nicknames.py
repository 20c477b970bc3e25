"""Nickname rules (DESIGN.md rule 1): 2-20 characters, letters (accents too), digits and
`_-.`, starting with a letter or digit; staff words refused; compared without case or accents."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.policy.nicknames import is_reserved, nick_key, validate_nick
from causerie.errors import CauserieError, ErrorCode


def _refusal(nick: str) -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        validate_nick(nick)
    return caught.value


@pytest.mark.parametrize(
    "nick",
    [
        "Élodie",
        "François",
        "Zoé_75",
        "jean-luc.m",
        "Anaïs",
        "Gaëlle",
        "Noël",
        "Œdipe",
        "Ça_va",
        "ab",
        "x" * 20,
        "007",
        "Modou",
        "modo75",
        "bot_du_quiz",
    ],
)
def test_validate_nick_french_names_accepted_unchanged(nick: str) -> None:
    assert validate_nick(nick) == nick


def test_validate_nick_surrounding_spaces_trimmed() -> None:
    assert validate_nick("  Chloé ") == "Chloé"


def test_validate_nick_decomposed_accents_returned_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Élodie")

    assert validate_nick(decomposed) == "Élodie"


@pytest.mark.parametrize("nick", ["", "a", " a ", "é", "x" * 21, "Élodie-Marie-Françoise"])
def test_validate_nick_length_out_of_bounds_refused_invalid(nick: str) -> None:
    error = _refusal(nick)

    assert (error.code, error.key, error.field) == (ErrorCode.INVALID, "nick_length", "nick")
    assert error.params == {"min": 2, "max": 20}


@pytest.mark.parametrize(
    "nick",
    [
        "bob smith",
        "bob!",
        "a@b",
        "bob/x",
        "l'ami",
        "a\tb",
        "smile😀",
        "bob٣",  # not an ASCII digit
        "x\u200by",  # zero-width space
        "e\u0301\u0301x",  # a mark that cannot compose
        "<script>",
    ],
)
def test_validate_nick_forbidden_characters_refused_invalid(nick: str) -> None:
    error = _refusal(nick)

    assert (error.code, error.key, error.field) == (ErrorCode.INVALID, "nick_chars", "nick")


@pytest.mark.parametrize("nick", ["_bob", "-bob", ".bob", "__", "..xy"])
def test_validate_nick_leading_punctuation_refused_invalid(nick: str) -> None:
    error = _refusal(nick)

    assert (error.code, error.field) == (ErrorCode.INVALID, "nick")


@pytest.mark.parametrize("nick", ["bob_", "bob-", "bob.", "b.o.b"])
def test_validate_nick_inner_or_trailing_punctuation_accepted(nick: str) -> None:
    assert validate_nick(nick) == nick


@pytest.mark.parametrize(
    "nick",
    [
        "Admin",
        "admin",
        "ADMIN",
        "SuperAdmin",
        "Àdmin",
        "Modérateur",
        "moderatrice",
        "MODO",
        "m.o.d.o",
        "Mod",
        "causerie_officiel",
        "Causerie",
        "staff-42",
        "sysop",
        "Root",
        "Équipe",
        "Support",
        "Bot",
    ],
)
def test_validate_nick_reserved_word_refused_nick_taken(nick: str) -> None:
    error = _refusal(nick)

    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_reserved", "nick")
    assert is_reserved(nick)


@pytest.mark.parametrize("nick", ["Modeste", "Rootard", "Supporter", "Botanique", "Alice"])
def test_is_reserved_whole_words_inside_longer_nicks_allowed(nick: str) -> None:
    assert not is_reserved(nick)


@pytest.mark.parametrize(
    "variant", ["Élodie", "elodie", "ELODIE", "ÉLODIE", "élodie", "E\u0301lodie", "Ｅｌｏｄｉｅ"]
)
def test_nick_key_case_and_accent_variants_equal(variant: str) -> None:
    assert nick_key(variant) == nick_key("Élodie") == "elodie"


@pytest.mark.parametrize(("a", "b"), [("elodie", "elodie2"), ("Léa", "Lia"), ("zoe", "zoe.")])
def test_nick_key_different_nicks_differ(a: str, b: str) -> None:
    assert nick_key(a) != nick_key(b)


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(max_size=30))
def test_validate_nick_any_text_valid_nick_or_nick_error(raw: str) -> None:
    try:
        nick = validate_nick(raw)
    except CauserieError as error:
        assert error.field == "nick"
        assert error.code in (ErrorCode.INVALID, ErrorCode.NICK_TAKEN)
        return
    assert 2 <= len(nick) <= 20
    assert nick == nick.strip()
    assert nick[0] not in "_-."
    assert validate_nick(nick) == nick
