from causerie.games.blind import CLUE_MS, DEFAULT_COUNT, GAME, IDLE_ITEMS, PAUSE_MS, points_on
from causerie.games.catalog import find_game
from causerie.games.interface import (
    Award,
    Band,
    Began,
    CancelTimer,
    End,
    GameAction,
    Left,
    Riddle,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
)
from tests.unit.games.replay import SmallLibrary, Table, seat, texts

ITEMS = (
    *tuple(
        Riddle("Films", (f"Film {n}", f"F{n}"), (f"dur {n}", f"moyen {n}", f"facile {n}"))
        for n in range(6)
    ),
    Riddle("Pays", ("Japon",), ("Yen.", "Asie.", "Tokyo."), True),
    Riddle("Films", ("Le Parrain",), ("1972.", "Mafia.", "Corleone."), False),
)
LIBRARY = SmallLibrary(riddle_bank=ITEMS)
BY_CLUE = {item.clues[0]: item for item in ITEMS}


def _start(options: str = "", band: Band = Band.ADULT, seed: int = 1) -> Table:
    table = seat(GAME, library=LIBRARY, options=options, band=band, seed=seed)
    table.send(Began(0))
    return table


def _asked(actions: list[GameAction]) -> list[Riddle]:
    views = [a.view for a in actions if isinstance(a, Say) and a.view and "Énigme" in a.text]
    return [BY_CLUE[str(view["clues"][0])] for view in views]  # type: ignore[index]


def _current(table: Table) -> Riddle:
    return _asked(table.log)[-1]


def _ended(actions: list[GameAction]) -> End:
    ends = [action for action in actions if isinstance(action, End)]
    assert len(ends) == 1
    return ends[0]


def test_blind_is_in_the_catalog_with_alias() -> None:
    assert find_game("blind") is GAME
    assert find_game("blindtest") is GAME


def test_blind_began_shows_first_clue_only_and_arms_clue_timer() -> None:
    table = seat(GAME, library=LIBRARY, options="3")

    actions = table.send(Began(0))

    item = _asked(actions)[0]
    say = [a for a in actions if isinstance(a, Say)][1]
    assert say.text.endswith(f"Indice 1/3 : {item.clues[0]}")
    assert say.view is not None and say.view["clues"] == [item.clues[0]]
    assert say.view["points"] == 6 and say.view["answer"] is None
    assert say.view["deadline_ms"] == CLUE_MS
    assert actions[-1] == SetTimer("clue", CLUE_MS)


def test_blind_win_on_first_clue_scores_most() -> None:
    table = _start("3")
    item = _current(table)

    actions = table.send(Said("bob", item.answers[-1].lower(), 1_000))

    assert actions[0] == Award("bob", 6)
    assert "Bravo bob" in texts(actions)[0] and "indice 1" in texts(actions)[0]
    assert actions[2:] == [CancelTimer("clue"), CancelTimer("answer"), SetTimer("next", PAUSE_MS)]


def test_blind_clues_come_one_by_one_and_points_fall() -> None:
    table = _start("3")
    item = _current(table)

    second = table.send(TimerFired("clue", CLUE_MS))
    third = table.send(TimerFired("clue", 2 * CLUE_MS))
    actions = table.send(Said("carla", item.answers[0], 2 * CLUE_MS + 1))

    assert texts(second) == [f"Indice 2/3 : {item.clues[1]}"]
    assert isinstance(second[0], Say) and second[0].view
    assert second[0].view["deadline_ms"] == 2 * CLUE_MS and second[0].view["points"] == 4
    assert second[-1] == SetTimer("clue", CLUE_MS)
    assert texts(third) == [f"Indice 3/3 : {item.clues[2]}"]
    assert third[-1] == SetTimer("answer", CLUE_MS)
    assert actions[0] == Award("carla", 2)
    assert [points_on(n) for n in (1, 2, 3, 4, 9)] == [6, 4, 2, 1, 1]


def test_blind_wrong_answers_score_nothing() -> None:
    table = _start("3")

    assert table.send(Said("bob", "Titanic", 1_000), Said("eve", "aucune idée", 2_000)) == []


def test_blind_flood_of_right_answers_only_first_scores() -> None:
    table = _start("3")
    answer = _current(table).answers[0]

    actions = table.send(*(Said(nick, answer, 1_000) for nick in ("dan", "eve", "fay")))

    assert [a for a in actions if isinstance(a, Award)] == [Award("dan", 6)]


def test_blind_timeout_tells_answer_then_next_item() -> None:
    table = _start("3")
    item = _current(table)
    table.send(Said("bob", "euh", 1), TimerFired("clue", CLUE_MS), TimerFired("clue", 2 * CLUE_MS))

    timed_out = table.send(TimerFired("answer", 3 * CLUE_MS))
    following = table.send(TimerFired("next", 3 * CLUE_MS + PAUSE_MS))

    assert texts(timed_out)[0] == f"Personne n'a trouvé : c'était « {item.answers[0]} »."
    view = next(a for a in timed_out if isinstance(a, Say)).view
    assert view is not None and view["answer"] == item.answers[0]
    assert _asked(following)[0] != item


def _play_all(table: Table, winner: str, count: int) -> list[GameAction]:
    out: list[GameAction] = []
    for number in range(count):
        out += table.send(Said(winner, _current(table).answers[0], number * 10_000 + 1))
        if number < count - 1:
            out += table.send(TimerFired("next", (number + 1) * 10_000))
    return out


def test_blind_game_draws_without_repetition_and_ends_with_ranking() -> None:
    table = _start("4")

    end = _ended(_play_all(table, "bob", 4))

    assert len(set(_asked(table.log))) == 4
    assert "Fin du blind test ! Classement : 1. bob (24)." == end.text
    assert end.view == {"kind": "blind", "total": 4, "ranking": [{"nick": "bob", "points": 24}]}


def test_blind_default_count_and_whole_bank_when_smaller() -> None:
    assert f"{DEFAULT_COUNT} énigmes" in texts(_start().log)[0]
    assert "8 énigmes" in texts(_start("30").log)[0]


def test_blind_items_nobody_tried_end_the_game() -> None:
    table = _start("6")
    actions: list[GameAction] = []
    for number in range(IDLE_ITEMS):
        actions = table.send(TimerFired("answer", number * 60_000))
        if number < IDLE_ITEMS - 1:
            table.send(TimerFired("next", number * 60_000 + PAUSE_MS))

    assert "Plus personne ne joue" in _ended(actions).text


def test_blind_player_leaving_keeps_score() -> None:
    table = _start("1")
    table.send(Said("dan", _current(table).answers[0], 1))

    assert table.send(Left("dan", 2)) == []
    assert _ended(table.log).text.endswith("1. dan (6).")


def test_blind_teen_band_draws_only_teen_items() -> None:
    for seed in range(10):
        table = _start("7", band=Band.TEEN, seed=seed)
        _play_all(table, "zoe", 7)

        assert Riddle("Films", ("Le Parrain",), ("1972.", "Mafia.", "Corleone."), False) not in (
            _asked(table.log)
        )
        assert len(_asked(table.log)) == 7


def test_blind_category_option_draws_only_that_category() -> None:
    table = _start("pays")

    assert [item.answers[0] for item in _asked(table.log)] == ["Japon"]


def test_blind_unknown_category_and_empty_bank_end() -> None:
    table = seat(GAME, library=LIBRARY, options="opéra")

    assert _ended(table.send(Began(0))).text.startswith("Pas de catégorie « opéra »")
    assert seat(GAME).send(Began(0)) == [End("Rien à deviner pour ce blind test.")]


def test_blind_stop_says_ranking_and_nothing_after() -> None:
    table = _start("3")

    actions = table.send(Stopped("op", 5))

    assert _ended(actions).text == "Blind test arrêté. Personne n'a marqué de points."
    assert table.send(TimerFired("clue", CLUE_MS)) == []
