from random import Random

from causerie.games.interface import (
    Award,
    Began,
    End,
    Left,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
)
from causerie.games.pendu import GAME, IDLE_MS, LEVELS, draw_word, rarity
from tests.unit.games.replay import SmallLibrary, Table, seat, texts

WORDS = frozenset({"MAISON", "JARDIN", "POISSON", "KAYAK", "ELEPHANTEAU", "RAISON"})


def _table(word: str = "MAISON", options: str = "") -> Table:
    library = SmallLibrary(word_list=WORDS, drawn=frozenset({word}))
    table = seat(GAME, library=library, options=options)
    table.send(Began(0))
    return table


def test_pendu_began_shows_mask_and_arms_idle_timer() -> None:
    table = seat(GAME, library=SmallLibrary(WORDS, drawn=frozenset({"MAISON"})))

    actions = table.send(Began(0))

    assert isinstance(actions[0], Say) and "6 lettres" in actions[0].text
    assert actions[0].view == {
        "kind": "hangman",
        "mask": "_ _ _ _ _ _",
        "misses": 0,
        "max_misses": 8,
        "wrong": [],
        "level": "moyen",
    }
    assert actions[1] == SetTimer("idle", IDLE_MS)


def test_pendu_letters_then_last_letter_awards_finder_and_ends() -> None:
    table = _table()

    shown = table.send(Said("bob", "a", 1), Said("eve", "S", 2), Said("bob", "é", 3))

    said = [action for action in shown if isinstance(action, Say)]
    assert said[0].text.endswith("_ A _ _ _ _")
    assert said[2].view is not None
    assert said[2].view["wrong"] == ["E"] and said[2].view["misses"] == 1
    table.send(Said("bob", "M", 4), Said("eve", "I", 5), Said("eve", "O", 6))
    last = table.send(Said("bob", "n", 7))
    assert last[0] == Award("bob", LEVELS["moyen"].points)
    assert isinstance(last[1], End) and "MAISON" in last[1].text
    assert last[1].view is not None and last[1].view["mask"] == "M A I S O N"


def test_pendu_whole_word_scores_one_more_point_per_hidden_letter() -> None:
    table = _table()
    table.send(Said("bob", "a", 1))

    actions = table.send(Said("carol", "Maison !", 2))

    assert actions[0] == Award("carol", LEVELS["moyen"].points + 5)
    assert isinstance(actions[1], End)


def test_pendu_wrong_dictionary_word_is_a_miss_other_chat_is_ignored() -> None:
    table = _table()

    assert table.send(Said("bob", "bonjour tout le monde", 1)) == []
    assert table.send(Said("bob", "zzzzzz", 2)) == []  # not a word: chat
    miss = table.send(Said("bob", "raison", 3))

    assert isinstance(miss[0], Say) and "RAISON, ce n'est pas le mot" in miss[0].text
    assert miss[0].view is not None and miss[0].view["misses"] == 1


def test_pendu_repeated_letter_costs_nothing() -> None:
    table = _table()
    table.send(Said("bob", "z", 1))

    again = table.send(Said("eve", "z", 2))

    assert "déjà été proposée" in texts(again)[0]
    assert isinstance(again[0], Say) and again[0].view is not None
    assert again[0].view["misses"] == 1


def test_pendu_too_many_misses_hang_and_reveal() -> None:
    table = _table(options="difficile")
    max_misses = LEVELS["difficile"].max_misses

    for n, letter in enumerate("ZYXWVUTRQP"[:max_misses]):
        actions = table.send(Said("bob", letter, n))

    assert isinstance(actions[-1], End) and "Pendu !" in actions[-1].text
    assert "MAISON" in actions[-1].text
    assert not any(isinstance(action, Award) for action in table.log)


def test_pendu_idle_timer_ends_with_the_word() -> None:
    table = _table()

    actions = table.send(TimerFired("idle", IDLE_MS))

    assert isinstance(actions[0], End) and "MAISON" in actions[0].text
    assert table.send(Said("bob", "maison", IDLE_MS + 1)) == []


def test_pendu_every_move_rearms_the_idle_timer() -> None:
    table = _table()

    assert SetTimer("idle", IDLE_MS) in table.send(Said("bob", "a", 1))
    assert SetTimer("idle", IDLE_MS) in table.send(Said("bob", "z", 2))


def test_pendu_flood_of_right_words_first_one_wins_alone() -> None:
    table = _table()

    actions = table.send(*(Said(nick, "maison", 5) for nick in ("dan", "eve", "fay")))

    assert [a for a in actions if isinstance(a, Award)] == [Award("dan", 14)]
    assert sum(isinstance(a, End) for a in actions) == 1


def test_pendu_player_leaving_does_not_stop_the_others() -> None:
    table = _table()
    table.send(Said("bob", "a", 1))

    assert table.send(Left("bob", 2)) == []
    actions = table.send(Said("eve", "maison", 3))
    assert actions[0] == Award("eve", 13)


def test_pendu_stopped_says_the_word() -> None:
    actions = _table().send(Stopped("op", 5))

    assert isinstance(actions[0], End) and "MAISON" in actions[0].text


def test_pendu_empty_word_list_ends_at_once() -> None:
    actions = seat(GAME).send(Began(0))

    assert len(actions) == 1 and isinstance(actions[0], End)


def test_pendu_levels_draw_by_length_and_rarity() -> None:
    words = frozenset({"KAYAK", "MAISON", "ELEPHANTEAU", "TARTINES", "ZYTHUM"})

    assert draw_word(words, LEVELS["facile"], Random(1)) == "TARTINES"
    assert draw_word(words, LEVELS["moyen"], Random(1)) == "MAISON"
    assert draw_word(words, LEVELS["difficile"], Random(1)) in {"KAYAK", "ZYTHUM"}
    assert rarity("KAYAK") == 4


def test_pendu_level_comes_from_options_and_same_seed_same_word() -> None:
    library = SmallLibrary(WORDS)
    first = seat(GAME, library=library, options="difficile", seed=9).send(Began(0))
    second = seat(GAME, library=library, options="difficile", seed=9).send(Began(0))

    assert first == second
    assert isinstance(first[0], Say) and first[0].view is not None
    assert first[0].view["level"] == "difficile" and first[0].view["max_misses"] == 6
    assert "5 lettres" in first[0].text  # KAYAK, the only short word of rare letters


def test_pendu_drawn_from_the_shipped_list_at_every_level() -> None:
    from causerie.games.library import PackagedLibrary

    drawn = PackagedLibrary().drawable_words()
    for level in LEVELS.values():
        word = draw_word(drawn, level, Random(3))
        assert len(word) in level.lengths
        assert level.min_rarity <= rarity(word) <= level.max_rarity
