import pytest

from causerie.games.proposals import proposed_word


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Maison !", "MAISON"),
        ("  la maison ", "MAISON"),
        ("l'Éléphant?", "ELEPHANT"),
        ("e", "E"),
        ("É", "E"),
        ("a", "A"),
        ("cœur", "COEUR"),
    ],
)
def test_proposed_word_folds_one_word(text: str, word: str) -> None:
    assert proposed_word(text) == word


@pytest.mark.parametrize("text", ["bonjour tout le monde", "42", "!!!", "", "abc1"])
def test_proposed_word_chat_proposes_nothing(text: str) -> None:
    assert proposed_word(text) == ""
