from causerie.games.catalog import GAMES, find_game


def test_catalog_names_are_unique_lowercase_words() -> None:
    words = [spec.name for spec in GAMES] + [alias for spec in GAMES for alias in spec.aliases]

    assert len(words) == len(set(words))
    assert all(word.isascii() and word.isalnum() and word == word.lower() for word in words)


def test_find_game_by_name_any_case_or_alias() -> None:
    for spec in GAMES:
        assert find_game(spec.name.upper()) is spec
        assert all(find_game(alias) is spec for alias in spec.aliases)


def test_find_game_unknown_word_is_none() -> None:
    assert find_game("nosuchgame") is None
