from hypothesis import given
from hypothesis import strategies as st

from causerie.games.duel import TURN_MS
from causerie.games.interface import (
    Award,
    Began,
    End,
    GameAction,
    Left,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
    Whisper,
)
from causerie.games.puissance4 import COLS, GAME, ROWS, Puissance4Rules
from tests.unit.games.replay import Table, seat

PLAYERS = ("alice", "bruno")


def _start(seed: int = 1) -> tuple[Table, str, str]:
    table = seat(GAME, seed=seed, players=PLAYERS)
    say = table.send(Began(0))[0]
    assert isinstance(say, Say) and say.view is not None
    first = str(say.view["turn"])
    return table, first, next(p for p in PLAYERS if p != first)


def _play(table: Table, first: str, second: str, *columns: int) -> list[GameAction]:
    out: list[GameAction] = []
    for turn, column in enumerate(columns):
        out = table.send(Said(first if turn % 2 == 0 else second, str(column), turn + 1))
    return out


def _end(actions: list[GameAction]) -> End:
    (end,) = [a for a in actions if isinstance(a, End)]
    return end


def _cells(actions: list[GameAction]) -> list[str]:
    for action in actions:
        if isinstance(action, Say | End) and action.view is not None:
            return [str(cell) for cell in action.view["cells"]]
    raise AssertionError("no view")


def _four_anywhere(cells: list[str]) -> bool:
    """Brute force: every line of four cells on the board."""
    for row in range(ROWS):
        for col in range(COLS):
            for drow, dcol in ((0, 1), (1, 0), (1, 1), (1, -1)):
                line = [(row + k * drow, col + k * dcol) for k in range(4)]
                if all(0 <= r < ROWS and 0 <= c < COLS for r, c in line):
                    marks = {cells[r * COLS + c] for r, c in line}
                    if len(marks) == 1 and "" not in marks:
                        return True
    return False


def test_puissance4_column_numbers_are_the_only_moves() -> None:
    rules = Puissance4Rules()

    assert [rules.read_move(str(n)) for n in range(1, 8)] == list(range(7))
    assert [rules.read_move(t) for t in ("0", "8", "12", "a", "4 !", "")] == [None] * 6
    assert rules.read_move(" 4 ") == 3


def test_puissance4_began_draws_an_empty_board_of_seven_by_six() -> None:
    table = seat(GAME, seed=2, players=PLAYERS)
    say, timer = table.send(Began(0))

    assert isinstance(say, Say) and say.view is not None
    assert say.view["rows"] == 6 and say.view["cols"] == 7 and say.view["game"] == "puissance4"
    assert say.text.endswith(". . . . . . .\n1 2 3 4 5 6 7")
    assert timer == SetTimer("turn", TURN_MS)


def test_puissance4_mark_falls_to_the_bottom() -> None:
    table, first, second = _start()

    actions = _play(table, first, second, 4, 4)

    cells = _cells(actions)
    assert cells[5 * COLS + 3] == "X" and cells[4 * COLS + 3] == "O"
    assert cells.count("") == ROWS * COLS - 2


def test_puissance4_four_across_wins() -> None:
    table, first, second = _start()

    actions = _play(table, first, second, 1, 1, 2, 2, 3, 3, 4)

    assert Award(first, 5) in actions
    end = _end(actions)
    assert end.text.endswith("O O O . . . .\nX X X X . . .\n1 2 3 4 5 6 7")
    assert end.view is not None and end.view["winner"] == first
    assert end.view["line"] == [[5, 0], [5, 1], [5, 2], [5, 3]]


def test_puissance4_four_down_and_on_both_diagonals_win() -> None:
    for moves, winner_plays_first in (
        ((1, 2, 1, 2, 1, 2, 1), True),
        ((1, 2, 2, 3, 4, 3, 3, 4, 4, 7, 4), True),  # rising diagonal 1-2-3-4
        ((7, 6, 6, 5, 4, 5, 5, 4, 4, 1, 4), True),  # falling diagonal 7-6-5-4
    ):
        table, first, second = _start()
        actions = _play(table, first, second, *moves)
        assert Award(first if winner_plays_first else second, 5) in actions, moves


def test_puissance4_full_column_is_refused_and_the_turn_stays() -> None:
    table, first, second = _start()
    _play(table, first, second, 3, 3, 3, 3, 3, 3)

    refused = table.send(Said(first, "3", 7))

    assert refused == [Whisper(first, "La colonne 3 est pleine.")]
    assert isinstance(table.send(Said(first, "4", 8))[0], Say)


def test_puissance4_full_board_is_a_draw() -> None:
    table, first, second = _start()
    # Columns filled in pairs 1-2, 3-4, 5-6 and 7 with a shift so no four align.
    order = [1, 2] * 3 + [2, 1] * 3 + [3, 4] * 3 + [4, 3] * 3 + [5, 6] * 3 + [6, 5] * 3 + [7] * 6

    actions = _play(table, first, second, *order)

    assert not _four_anywhere(_cells(actions))
    assert [a for a in actions if isinstance(a, Award)] == [Award(first, 1), Award(second, 1)]
    assert _end(actions).text.startswith("Match nul")


def test_puissance4_out_of_turn_chat_and_flood() -> None:
    table, first, second = _start()

    actions = table.send(
        Said(second, "4", 1), Said(first, "on joue ?", 2), Said(first, "4", 3), Said(first, "5", 3)
    )

    assert isinstance(actions[0], Whisper) and actions[0].nick == second
    assert isinstance(actions[1], Say) and isinstance(actions[3], Whisper)
    assert len(actions) == 4


def test_puissance4_turn_timeout_and_leaving_end_the_game() -> None:
    table, first, second = _start()
    _play(table, first, second, 4, 4)
    actions = table.send(TimerFired("turn", TURN_MS + 3))
    assert Award(second, 5) in actions and "n'a pas joué à temps" in _end(actions).text

    table, first, second = _start()
    _play(table, first, second, 4)
    actions = table.send(Left(first, 2))
    assert not [a for a in actions if isinstance(a, Award)]  # bruno never played: no points
    assert _end(actions).text.startswith(f"{first} est parti. Partie terminée.")


def test_puissance4_stopped_ends_and_nothing_after() -> None:
    table, first, second = _start()
    _play(table, first, second, 4)

    (end,) = table.send(Stopped("staff", 2))

    assert isinstance(end, End) and end.text.startswith("Partie arrêtée.")
    assert table.send(Said(second, "4", 3), TimerFired("turn", 9)) == []


@given(st.lists(st.integers(1, COLS), max_size=60), st.integers(0, 20))
def test_puissance4_any_moves_keep_gravity_and_win_exactly_when_four_align(
    columns: list[int], seed: int
) -> None:
    table, first, second = _start(seed)
    heights = [0] * COLS
    turn = 0
    for column in columns:
        nick = (first, second)[turn]
        actions = table.send(Said(nick, str(column), 1))
        if heights[column - 1] == ROWS:
            assert actions == [Whisper(nick, f"La colonne {column} est pleine.")]
            continue
        heights[column - 1] += 1
        turn = 1 - turn
        cells = _cells(actions)
        for col in range(COLS):  # gravity: each column is its height of marks from the bottom
            stack = [cells[row * COLS + col] for row in range(ROWS)]
            free = ROWS - heights[col]
            assert stack[:free] == [""] * free and "" not in stack[free:]
        ended = [a for a in actions if isinstance(a, End)]
        assert bool(ended) == (_four_anywhere(cells) or all(h == ROWS for h in heights))
        assert (Award(nick, 5) in actions) == _four_anywhere(cells)
        if ended:
            break
