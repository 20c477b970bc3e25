"""Nickname rules (DESIGN.md rule 1): 2-20 characters, letters (accents too), digits and
`_-.`, starting with a letter or digit; staff words refused; compared without case or accents."""

from __future__ import annotations

import unicodedata
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.policy.nicknames import (
    is_reserved,
    nick_key,
    normalize_nick,
    skeleton,
    staff_skeletons,
    validate_nick,
)
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
    assert nick_key(variant) == nick_key("Élodie") == nick_key("elodie")


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


# -- look-alikes of staff words (issue 3) ----------------------------------------------------


@pytest.mark.parametrize(
    ("nick", "word"),
    [
        ("Modérateur", "moderateur"),
        ("Moderateur", "moderateur"),
        ("M0dérateur", "moderateur"),
        ("m0d3rat3ur", "moderateur"),
        ("Мoderateur", "moderateur"),  # Cyrillic capital Em
        ("МОDЕRАТЕUR", "moderateur"),  # Cyrillic М, О, Е, А, Т, Е
        ("Μοderateur", "moderateur"),  # Greek Μ, ο
        ("Admin", "admin"),
        ("@dmin", "admin"),
        ("4dmin", "admin"),
        ("A_d_m_i_n", "admin"),
        ("A-d.m_i-n", "admin"),
        ("Aaadmin", "admin"),
        ("Addmiiin", "admin"),
        ("Adm1n", "admin"),
        ("Adm!n", "admin"),
        ("Adm|n", "admin"),
        ("Аdmіn", "admin"),  # Cyrillic а and і
        ("ΑDΜΙΝ", "admin"),  # Greek capitals
        ("Ａｄｍｉｎ", "admin"),  # full-width
        ("ᴀᴅᴍɪɴ", "admin"),  # small capitals
        ("Adrnin", "admin"),  # rn reads m
        ("$y$op", "sysop"),
        ("5y5op", "sysop"),
        ("ѕуѕор", "sysop"),  # all Cyrillic
        ("St4ff", "staff"),
        ("C@user1e", "causerie"),
        ("Cau5€rie", "causerie"),
        ("M0D0", "modo"),
        ("Mοdο", "modo"),  # Greek omicrons
        ("R00t", "root"),
        ("8ot", "bot"),
        ("7eam", "team"),
        ("Serv1ce", "service"),
        ("ԁ9", "dg"),  # Cyrillic komi de, digit 9
    ],
)
def test_skeleton_look_alike_equals_word_skeleton(nick: str, word: str) -> None:
    assert skeleton(nick) == skeleton(word)


@pytest.mark.parametrize(
    "nick",
    [
        "Moderateur",
        "M0dérateur",
        "m0d3rat3ur",
        "Мoderateur",
        "Admin",
        "@dmin",
        "A_d_m_i_n",
        "Aaadmin",
        "Adm1n",
        "Adm!n",
        "Adm|n",
        "4dmin",
        "Аdmіn",
        "ΑDΜΙΝ",
        "Ａｄｍｉｎ",
        "ᴀᴅᴍɪɴ",
        "Adrnin",
        "$y$op",
        "ѕуѕор",
        "Sttaff",
        "St4ff",
        "C@user1e",
        "Cau5€rie",
        "M0D0",
        "Mοdο",
        "R00t",
        "8ot",
        "7eam",
        "Serv1ce",
        "Supp0rt",
        "P0l1ce",
        "Équ1pe",
        "Le_M0d3rateur",
        "xX_adm1n_Xx",
    ],
)
def test_validate_nick_staff_look_alike_refused(nick: str) -> None:
    assert is_reserved(nick)

    error = _refusal(nick)

    assert error.field == "nick"
    # Symbols such as @ $ | ! € are not nickname characters at all: refused before the check.
    if all(ch.isalnum() or ch in "_-." for ch in nick):
        assert (error.code, error.key) == (ErrorCode.NICK_TAKEN, "nick_reserved")
    else:
        assert (error.code, error.key) == (ErrorCode.INVALID, "nick_chars")


@pytest.mark.parametrize("nick", ["Moderateur", "M0dérateur"])
def test_validate_nick_issue_examples_refused_nick_reserved(nick: str) -> None:
    error = _refusal(nick)

    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_reserved", "nick")


ORDINARY_NICKS = [
    "Simon",
    "Noémie",
    "Modeste",
    "Mustafa",
    "Moustapha",
    "Gustaf",
    "Aminata",
    "Amina",
    "Adama",
    "Adam",
    "Modibo",
    "Maud",
    "Dominique",
    "Rodolphe",
    "Théo",
    "Léa",
    "Chloé",
    "Inès",
    "Jérôme",
    "Bernard",
    "Arnaud",
    "Ornella",
    "Sébastien",
    "Émilie",
    "Camille",
    "Lilou",
    "Bilal",
    "Ilyès",
    "Kader",
    "Yasmine",
    "Salomé",
    "Raphaël",
    "Gaëtan",
    "Timothée",
    "Edmond",
    "Hadrien",
    "Armand",
    "Stéphane",
    "Mohamed",
    "Sophia",
    "Loulou75",
    "Titi_du_93",
    "Léo2009",
    "Marie-Claire",
    "jean.pierre",
    "Robot_Mignon",
    "Polo",
]


@pytest.mark.parametrize("nick", ORDINARY_NICKS)
def test_validate_nick_ordinary_french_nicks_accepted(nick: str) -> None:
    assert not is_reserved(nick)
    assert validate_nick(nick) == nick


@pytest.mark.parametrize("nick", ["Adminata", "Madmin", "Moderato", "Staffan"])
def test_validate_nick_reserved_part_inside_longer_nick_still_refused(nick: str) -> None:
    error = _refusal(nick)

    assert (error.code, error.key) == (ErrorCode.NICK_TAKEN, "nick_reserved")


def test_is_reserved_doubled_letter_of_reserved_word_must_stay_doubled() -> None:
    # "staff" and "Mustafa" share the skeleton "staf"; only the doubled f imitates staff.
    assert skeleton("Mustafa").find(skeleton("staff")) >= 0
    assert not is_reserved("Mustafa")
    assert is_reserved("Sttaaff")


STAFF = staff_skeletons(["Sophie_Modo", "Karim"])


@pytest.mark.parametrize(
    "nick", ["Sophie_Modo", "S0phie-Modo", "sophie.modo", "SOPHIE_MODO", "Soph1eModo", "Kar1m"]
)
def test_validate_nick_staff_name_look_alike_refused(nick: str) -> None:
    with pytest.raises(CauserieError) as caught:
        validate_nick(nick, STAFF)

    error = caught.value
    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_reserved", "nick")
    assert is_reserved(nick, STAFF)


@pytest.mark.parametrize("nick", ["Sophia", "Sophie", "Sophie_Mod", "Karima", "Sophie_Modo2"])
def test_validate_nick_near_staff_name_but_different_accepted(nick: str) -> None:
    assert validate_nick(nick, STAFF) == nick


def test_validate_nick_staff_name_free_without_staff_set() -> None:
    assert validate_nick("Sophie_Modo") == "Sophie_Modo"


def test_staff_skeletons_are_skeletons_of_names() -> None:
    assert staff_skeletons(["Sophie_Modo", "SOPHIE.MODO"]) == frozenset({skeleton("sophiemodo")})


@pytest.mark.parametrize(("a", "b"), [("Aaron", "Aron"), ("Lea", "L3a"), ("Emma", "Ema")])
def test_nick_key_staff_only_look_alikes_stay_distinct_for_ordinary_uniqueness(
    a: str, b: str
) -> None:
    # Leetspeak beyond UTS #39 (3 for e) and doubled letters only guard the staff's names.
    assert skeleton(a) == skeleton(b)
    assert nick_key(a) != nick_key(b)


@pytest.mark.parametrize(("a", "b"), [("Sophie", "S0phie"), ("Lila", "Iila"), ("Lea1", "Leal")])
def test_nick_key_uts39_look_alikes_collide_for_ordinary_uniqueness(a: str, b: str) -> None:
    # UTS #39 reads 0 as O and I, 1 as l: one of the two may be connected at a time.
    assert skeleton(a) == skeleton(b)
    assert nick_key(a) == nick_key(b)


@pytest.mark.parametrize("nick", ["Admin", "Modérateur", "Équipe", "Bot"])
def test_normalize_nick_allows_reserved_words(nick: str) -> None:
    assert normalize_nick(nick) == nick


def test_normalize_nick_reports_given_field() -> None:
    with pytest.raises(CauserieError) as caught:
        normalize_nick("a", field="name")

    assert (caught.value.code, caught.value.key, caught.value.field) == (
        ErrorCode.INVALID,
        "nick_length",
        "name",
    )


@settings(max_examples=500, database=None, deadline=None)
@given(st.text(max_size=40))
def test_skeleton_any_text_idempotent_without_separators_or_runs(raw: str) -> None:
    folded = skeleton(raw)

    assert skeleton(folded) == folded
    assert all(ch.isalnum() for ch in folded)
    assert all(a != b for a, b in pairwise(folded))
    assert "rn" not in folded
    assert isinstance(is_reserved(raw, frozenset({folded})), bool)


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), st.sampled_from("_-."))
def test_skeleton_separators_ignored(raw: str, separator: str) -> None:
    assert skeleton(separator.join(raw)) == skeleton(raw)
