from causerie.games.chaine import GAME, GAME_MS, TURN_MS
from causerie.games.interface import (
    Award,
    Began,
    CancelTimer,
    End,
    Left,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
)
from tests.unit.games.replay import SmallLibrary, Table, seat, texts

WORDS = frozenset(
    {"MAISON", "NUAGE", "NAVIRE", "ESCARGOT", "EPI", "TABLE", "ELEPHANTEAU", "OS", "NEZ"}
)


def _table(options: str = "") -> Table:
    table = seat(GAME, library=SmallLibrary(WORDS, drawn=frozenset({"MAISON"})), options=options)
    table.send(Began(0))
    return table


def test_chaine_began_gives_first_word_and_arms_turn_and_game_timers() -> None:
    table = seat(GAME, library=SmallLibrary(WORDS, drawn=frozenset({"MAISON"})))

    actions = table.send(Began(0))

    assert isinstance(actions[0], Say) and "Premier mot : MAISON" in actions[0].text
    assert "en N" in actions[0].text
    assert actions[1:] == [SetTimer("turn", TURN_MS), SetTimer("game", GAME_MS)]
    assert actions[0].view == {
        "kind": "chain",
        "last": "MAISON",
        "letter": "N",
        "count": 0,
        "recent": ["MAISON"],
        "turn_ms": TURN_MS,
    }


def test_chaine_valid_words_score_and_pass_the_letter_on() -> None:
    table = _table()

    first = table.send(Said("bob", "nuage", 1))
    second = table.send(Said("eve", "Escargot !", 2))

    assert first[0] == Award("bob", 1) and first[2] == SetTimer("turn", TURN_MS)
    assert "en E" in texts(first)[0]
    assert second[0] == Award("eve", 2)  # eight letters: two points
    assert isinstance(second[1], Say) and second[1].view is not None
    assert second[1].view["recent"] == ["MAISON", "NUAGE", "ESCARGOT"]
    assert second[1].view["letter"] == "T"


def test_chaine_unknown_used_and_off_letter_words_do_not_count() -> None:
    table = _table()

    assert "pas dans le dictionnaire" in texts(table.send(Said("bob", "nxyz", 1)))[0]
    assert table.send(Said("bob", "table", 2)) == []  # not in N: chat
    assert table.send(Said("bob", "ne", 3)) == []  # too short
    assert table.send(Said("bob", "nez alors", 4)) == []
    table.send(Said("bob", "nez", 5))
    table.send(Said("eve", "zzz", 6))
    assert not any(isinstance(a, Award) and a.nick == "eve" for a in table.log)


def test_chaine_a_word_already_said_is_refused() -> None:
    library = SmallLibrary(WORDS | {"NATION", "NAVIRE"}, drawn=frozenset({"NATION"}))
    table = seat(GAME, library=library)
    table.send(Began(0))

    first = table.send(Said("bob", "nation", 1))  # the game's own first word counts as said
    table.send(Said("bob", "navire", 2), Said("eve", "escargot", 3), Said("eve", "table", 4))
    again = table.send(Said("bob", "escargot", 5))

    assert "NATION a déjà été dit" in texts(first)[0]
    assert "ESCARGOT a déjà été dit. Toujours en E" in texts(again)[0]
    assert not any(isinstance(a, Award) for a in first + again)


def test_chaine_turn_timer_ends_with_the_tally() -> None:
    table = _table()
    table.send(Said("bob", "nuage", 1), Said("eve", "epi", 2), Said("eve", "Index", 3))

    actions = table.send(TimerFired("turn", 40_000))

    assert isinstance(actions[0], End)
    assert "Personne n'a trouvé de mot en I" in actions[0].text
    assert "Fin de la chaîne : 2 mots (bob 1, eve 1)." in actions[0].text  # ties by name


def test_chaine_game_timer_ends_after_its_time() -> None:
    table = _table()
    table.send(Said("bob", "nuage", 1))

    actions = table.send(TimerFired("game", GAME_MS))

    assert actions[0] == CancelTimer("turn")
    assert isinstance(actions[1], End) and "1 mot (bob 1)" in actions[1].text
    assert table.send(Said("eve", "escargot", GAME_MS + 1)) == []


def test_chaine_nobody_playing_ends_at_the_first_turn() -> None:
    actions = _table().send(TimerFired("turn", TURN_MS))

    assert isinstance(actions[0], End) and actions[0].text.endswith("0 mot.")


def test_chaine_flood_first_valid_word_takes_the_turn() -> None:
    table = _table()

    actions = table.send(Said("dan", "nuage", 5), Said("eve", "navire", 5), Said("fay", "nez", 5))

    assert [a for a in actions if isinstance(a, Award)] == [Award("dan", 1)]
    assert table.send(Said("eve", "epi", 6))[0] == Award("eve", 1)


def test_chaine_player_leaving_keeps_their_words_and_the_chain_goes_on() -> None:
    table = _table()
    table.send(Said("bob", "nuage", 1))

    assert table.send(Left("bob", 2)) == []
    assert table.send(Said("eve", "epi", 3))[0] == Award("eve", 1)
    ended = table.send(Stopped("op", 4))
    assert isinstance(ended[0], End) and "Partie arrêtée" in ended[0].text
    assert "bob 1" in ended[0].text


def test_chaine_turn_seconds_from_options() -> None:
    table = seat(GAME, library=SmallLibrary(WORDS, drawn=frozenset({"MAISON"})), options="20")

    assert SetTimer("turn", 20_000) in table.send(Began(0))
    assert SetTimer("turn", 20_000) in table.send(Said("bob", "nuage", 1))


def test_chaine_empty_list_ends_at_once() -> None:
    actions = seat(GAME).send(Began(0))

    assert len(actions) == 1 and isinstance(actions[0], End)
