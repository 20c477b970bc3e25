from hypothesis import given
from hypothesis import strategies as st

from causerie.games.answers import fold, fold_word


def test_fold_answer_with_accents_case_and_punctuation_matches_plain() -> None:
    assert fold("  L'Éléphant !") == fold("elephant") == "elephant"


def test_fold_keeps_digits_and_inner_spaces() -> None:
    assert fold("Le 14   juillet 1789") == "14 juillet 1789"


def test_fold_ligatures_spelled_out() -> None:
    assert fold("Cœur") == "coeur"


def test_fold_word_is_board_letters() -> None:
    assert fold_word("Éléphant") == "ELEPHANT"
    assert fold_word("porte-clé") == "PORTECLE"


def test_fold_word_refuses_non_letters() -> None:
    assert fold_word("abc1") == ""
    assert fold_word("deux mots") == ""


def test_fold_drops_every_leading_article() -> None:
    assert fold("A:A:0") == fold(fold("A:A:0")) == "0"
    assert fold("de la crème") == "creme"


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_word_gives_ascii_capitals_or_nothing(text: str) -> None:
    word = fold_word(text)
    assert word == "" or (word.isascii() and word.isalpha() and word.isupper())
