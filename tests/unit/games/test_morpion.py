import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.games.duel import TURN_MS
from causerie.games.interface import (
    Award,
    Began,
    CancelTimer,
    End,
    GameAction,
    Joined,
    Left,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
    Whisper,
)
from causerie.games.morpion import GAME, MorpionRules
from tests.unit.games.replay import Table, seat

PLAYERS = ("alice", "bruno")


def _start(seed: int = 1) -> tuple[Table, str, str]:
    """A game begun; returns who plays X (first) and O."""
    table = seat(GAME, seed=seed, players=PLAYERS, started_by="alice")
    actions = table.send(Began(0))
    say = actions[0]
    assert isinstance(say, Say) and say.view is not None
    first = str(say.view["turn"])
    second = next(p for p in PLAYERS if p != first)
    return table, first, second


def _play(table: Table, first: str, second: str, *moves: str) -> list[GameAction]:
    out: list[GameAction] = []
    for turn, move in enumerate(moves):
        out = table.send(Said(first if turn % 2 == 0 else second, move, turn + 1))
    return out


def _end(actions: list[GameAction]) -> End:
    (end,) = [a for a in actions if isinstance(a, End)]
    return end


@pytest.mark.parametrize(
    ("text", "cell"),
    [("5", 4), ("b2", 4), ("2b", 4), (" B2 ", 4), ("a1", 0), ("1", 0), ("c3", 8), ("3a", 6)],
)
def test_morpion_move_forms_name_the_same_cells(text: str, cell: int) -> None:
    assert MorpionRules().read_move(text) == cell


@pytest.mark.parametrize("text", ["0", "10", "d1", "b4", "b2 !", "salut", "", "55"])
def test_morpion_other_lines_are_not_moves(text: str) -> None:
    assert MorpionRules().read_move(text) is None


def test_morpion_began_names_players_and_draws_the_board() -> None:
    table = seat(GAME, seed=1, players=PLAYERS)
    say, timer = table.send(Began(0))

    assert isinstance(say, Say) and say.view is not None
    assert say.text.endswith("1 2 3\n4 5 6\n7 8 9")
    assert say.view == {
        "kind": "board",
        "game": "morpion",
        "rows": 3,
        "cols": 3,
        "cells": [""] * 9,
        "turn": say.view["turn"],
        "winner": None,
        "players": say.view["players"],
        "marks": ["X", "O"],
        "line": [],
    }
    assert say.view["turn"] in PLAYERS and sorted(say.view["players"]) == list(PLAYERS)
    assert timer == SetTimer("turn", TURN_MS)


def test_morpion_first_player_is_drawn_by_the_seed() -> None:
    assert {_start(seed)[1] for seed in range(10)} == set(PLAYERS)


def test_morpion_three_in_a_row_wins() -> None:
    table, first, second = _start()

    actions = _play(table, first, second, "a1", "a2", "b1", "b2", "c1")

    assert actions[:2] == [CancelTimer("turn"), Award(first, 3)]
    end = _end(actions)
    assert end.text == f"{first} gagne ! +3 points.\nX X X\nO O 6\n7 8 9"
    assert end.view is not None and end.view["winner"] == first and end.view["turn"] is None
    assert end.view["line"] == [[0, 0], [0, 1], [0, 2]]


def test_morpion_diagonal_win_for_the_second_player() -> None:
    table, first, second = _start()

    actions = _play(table, first, second, "2", "1", "3", "5", "4", "9")

    assert Award(second, 3) in actions
    assert _end(actions).view["cells"] == ["O", "X", "X", "X", "O", "", "", "", "O"]


def test_morpion_full_board_without_line_is_a_draw() -> None:
    table, first, second = _start()

    actions = _play(table, first, second, "1", "2", "3", "5", "4", "6", "8", "7", "9")

    assert [a for a in actions if isinstance(a, Award)] == [Award(first, 1), Award(second, 1)]
    assert _end(actions).text.startswith("Match nul")


def test_morpion_move_shows_the_board_and_passes_the_turn() -> None:
    table, first, second = _start()

    actions = table.send(Said(first, "5", 1))

    say = actions[0]
    assert isinstance(say, Say) and say.text == f"À toi, {second} (O).\n1 2 3\n4 X 6\n7 8 9"
    assert say.view is not None and say.view["turn"] == second
    assert actions[1] == SetTimer("turn", TURN_MS)


def test_morpion_occupied_cell_and_out_of_turn_are_refused_privately() -> None:
    table, first, second = _start()
    table.send(Said(first, "5", 1))

    out_of_turn = table.send(Said(first, "1", 2))
    occupied = table.send(Said(second, "b2", 3))

    assert out_of_turn == [Whisper(first, f"Ce n'est pas ton tour : on attend {second}.")]
    assert occupied == [Whisper(second, "La case 5 est déjà prise.")]
    assert isinstance(table.send(Said(second, "1", 4))[0], Say)


def test_morpion_chat_and_spectators_are_ignored() -> None:
    table, first, _ = _start()

    assert table.send(Said(first, "bien joué", 1), Said("carla", "5", 2), Joined("carla", 3)) == []


def test_morpion_flood_of_moves_only_the_first_counts() -> None:
    table, first, _ = _start()

    actions = table.send(Said(first, "5", 1), Said(first, "1", 1), Said(first, "9", 1))

    assert isinstance(actions[0], Say)
    assert all(isinstance(a, Whisper) for a in actions[2:]) and len(actions) == 4


def test_morpion_turn_timeout_loses_after_both_played() -> None:
    table, first, second = _start()
    _play(table, first, second, "5", "1")

    actions = table.send(TimerFired("turn", TURN_MS + 2))

    assert Award(second, 3) in actions
    assert _end(actions).text.startswith(f"{first} n'a pas joué à temps. {second} gagne")


def test_morpion_timeout_before_anyone_played_ends_without_points() -> None:
    table, first, _ = _start()

    actions = table.send(TimerFired("turn", TURN_MS))

    assert not [a for a in actions if isinstance(a, Award)]
    assert _end(actions).text.startswith(f"{first} n'a pas joué à temps. Partie terminée.")


def test_morpion_player_leaving_ends_and_the_other_wins() -> None:
    table, first, second = _start()
    _play(table, first, second, "5", "1", "9")

    actions = table.send(Left(first, 4))

    assert Award(second, 3) in actions
    assert _end(actions).text.startswith(f"{first} est parti.")
    assert table.send(Said(second, "2", 5)) == []


def test_morpion_abandon_concedes() -> None:
    table, first, second = _start()
    _play(table, first, second, "5", "1")

    actions = table.send(Said(second, "abandon", 3))

    assert Award(first, 3) in actions and _end(actions).text.startswith(f"{second} abandonne.")


def test_morpion_stopped_ends_with_the_board() -> None:
    table, first, _ = _start()
    table.send(Said(first, "5", 1))

    (end,) = table.send(Stopped("staff", 2))

    assert isinstance(end, End) and end.text == "Partie arrêtée.\n1 2 3\n4 X 6\n7 8 9"


_DUEL_EVENTS = st.one_of(
    st.builds(
        lambda nick, text: Said(nick, text, 1),
        st.sampled_from([*PLAYERS, "carla"]),
        st.sampled_from(["1", "5", "9", "b2", "2b", "c1", "a3", "abandon", "10", "salut"]),
    ),
    st.just(TimerFired("turn", 2)),
    st.builds(lambda nick: Left(nick, 3), st.sampled_from([*PLAYERS, "carla"])),
    st.just(Joined("carla", 4)),
)


@given(st.lists(_DUEL_EVENTS, max_size=40), st.integers(0, 9))
def test_morpion_any_events_keep_the_board_legal_and_end_once(
    events: list[Said | TimerFired | Left | Joined], seed: int
) -> None:
    table, _, _ = _start(seed)
    ended = False
    for event in events:
        actions = table.send(event)
        if ended:
            assert actions == []
            continue
        for action in actions:
            view = action.view if isinstance(action, Say | End) else None
            if view is not None:
                cells = view["cells"]
                assert isinstance(cells, list)
                x, o = cells.count("X"), cells.count("O")
                assert x - o in (0, 1)  # X plays first, turns alternate
                assert view["turn"] is None or view["turn"] in PLAYERS
        awards = [a for a in actions if isinstance(a, Award)]
        assert all(a.nick in PLAYERS for a in awards)
        ended = any(isinstance(action, End) for action in actions)
