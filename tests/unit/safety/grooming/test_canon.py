"""The canonical spelling the grooming detector reads: variants of a text read as the text."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.safety.grooming.canon import canonical, words_of


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("T'ES SEULE ?", "t'es seule"),
        ("tes seule", "tu es seule"),
        ("t es seule", "t'es seule"),
        ("c notre secret", "c'est notre secret"),
        ("C'EST NOTRE SEEECRET", "c'est notre secret"),
        ("s3cr3t", "secret"),
        ("s e c r e t", "secret"),
        ("s.e.c.r.e.t", "secret"),
        ("s-e-c-r-e-t", "secret"),
        ("ṡecret", "secret"),
        ("ｓｅｃｒｅｔ", "secret"),
        ("sec\u200bret", "secret"),
        ("efface nos msg", "efface nos messages"),
        ("pk tu dis ça", "pourquoi tu dis ça"),
        ("koi", "quoi"),
        ("ke toi", "que toi"),
        ("envoie une pic", "envoie une photo"),
        ("trop bel", "trop belle"),
        ("ta daronne", "ta mère"),
        ("u r so mature", "you are so mature"),
        ("ur age", "your age"),
        ("don't tell", "dont tell"),
        ("i'm older", "i am older"),
    ],
)
def test_canonical_variant_reads_as_plain(variant: str, plain: str) -> None:
    assert canonical(variant) == canonical(plain)


def test_canonical_keeps_numbers_apart_from_words() -> None:
    assert words_of("j'ai 15ans") == words_of("j'ai 15 ans")
    assert "15" in words_of("j'ai 15ans")


def test_canonical_short_words_are_not_joined() -> None:
    # Three single letters in a row are ordinary French ("il y a"); only four or more join.
    assert canonical("il y a t il") == "il y a tes il"
    assert canonical("a b c d") == "abcd"


def test_canonical_is_words_separated_by_single_spaces() -> None:
    text = canonical("  Salut !!   ça va ??? 😀  ")
    assert text == " ".join(text.split())
    assert "  " not in text


# Four letters at least: a short SMS word and its stretched twin can be two SMS words (`c` is
# c'est, `cc` coucou), so stretching is only neutral from there.
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=10)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=8).map(" ".join)


@given(st.text(max_size=60))
def test_canonical_is_plain_words_without_doubled_letters(text: str) -> None:
    words = canonical(text).split(" ")
    for word in filter(None, words):
        assert word.isalnum() and word == word.lower()
        assert not any(a == b and a.isalpha() for a, b in itertools.pairwise(word)), word


@given(_SENTENCE, st.data())
def test_canonical_ignores_case_accents_and_stretching(text: str, data: st.DataObject) -> None:
    accents = {"a": "à", "e": "é", "i": "î", "o": "ô", "u": "ù", "c": "ç"}
    upper = data.draw(st.booleans())
    variant = "".join(
        (accents.get(ch, ch) if data.draw(st.booleans()) else ch) * data.draw(st.integers(1, 3))
        for ch in text
    )
    assert canonical(variant.upper() if upper else variant) == canonical(text)


@pytest.mark.parametrize(
    ("stretched", "plain"),
    [
        ("WÀNNNNNÀÀÀ", "want to"),
        ("wana", "want to"),
        ("gimmmeee", "give me"),
        ("lemmmmme", "let me"),
    ],
)
def test_sms_words_with_doubled_letters_survive_stretching(stretched: str, plain: str) -> None:
    # Found by the property above: `wannaa` collapsed to `wana`, a word no table knew.
    assert canonical(stretched) == plain
