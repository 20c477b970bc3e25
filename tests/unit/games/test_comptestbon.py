from collections import Counter

from causerie.games.comptestbon import (
    EXACT_POINTS,
    GAME,
    HIGHEST_TARGET,
    LOWEST_TARGET,
    PLAQUES,
    ROUND_MS,
    closest_points,
)
from causerie.games.interface import (
    Award,
    Began,
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
from causerie.games.numbers_solver import solve
from tests.unit.games.replay import Table, seat, texts


def _start(seed: int = 1) -> tuple[Table, list[int], int]:
    table = seat(GAME, seed=seed)
    actions = table.send(Began(1_000))
    first = actions[0]
    assert isinstance(first, Say) and first.view is not None
    plaques, target = first.view["plaques"], first.view["target"]
    assert isinstance(plaques, list) and isinstance(target, int)
    return table, [int(str(p)) for p in plaques], target


def _exact_seed() -> tuple[Table, list[int], int, str]:
    """A game whose target the plaques reach, and the solver's calculation typed in ASCII."""
    for seed in range(1, 50):
        table, plaques, target = _start(seed)
        solution = solve(plaques, target)
        if solution.is_exact:
            return table, plaques, target, solution.text.replace("×", "*").replace("÷", "/")
    raise AssertionError("no reachable target in 50 seeds")


def _ends(actions: list[GameAction]) -> list[End]:
    return [a for a in actions if isinstance(a, End)]


def test_comptestbon_began_draws_six_classic_plaques_a_target_and_a_timer() -> None:
    table = seat(GAME, seed=3)
    actions = table.send(Began(1_000))

    say = actions[0]
    assert isinstance(say, Say) and say.view is not None
    plaques = say.view["plaques"]
    assert isinstance(plaques, list) and len(plaques) == 6
    assert not Counter(plaques) - Counter(PLAQUES)
    target = say.view["target"]
    assert isinstance(target, int) and LOWEST_TARGET <= target <= HIGHEST_TARGET
    assert say.view["kind"] == "numbers" and say.view["deadline_ms"] == 1_000 + ROUND_MS
    assert actions[1] == SetTimer("end", ROUND_MS)


def test_comptestbon_same_seed_draws_same_round() -> None:
    assert _start(5)[1:] == _start(5)[1:]
    assert len({tuple(_start(seed)[1]) for seed in range(6)}) > 1


def test_comptestbon_exact_calculation_wins_at_once() -> None:
    table, _, target, calculation = _exact_seed()

    actions = table.send(Said("bob", calculation, 2_000))

    assert actions[0] == Award("bob", EXACT_POINTS)
    (end,) = _ends(actions)
    assert "Le compte est bon" in end.text and str(target) in end.text


def test_comptestbon_flood_of_exact_answers_first_received_wins_alone() -> None:
    table, _, _, calculation = _exact_seed()

    actions = table.send(*(Said(nick, calculation, 2_000) for nick in ("dan", "eve", "fay")))

    assert [a for a in actions if isinstance(a, Award)] == [Award("dan", EXACT_POINTS)]
    assert table.send(Said("eve", calculation, 2_001)) == []


def test_comptestbon_wrong_calculations_are_whispered_to_their_player() -> None:
    table, plaques, _ = _start(2)
    absent = next(n for n in (11, 12, 13, 99) if n not in plaques)

    actions = table.send(
        Said("bob", f"{plaques[0]}+{absent}", 2_000),
        Said("bob", f"{plaques[0]}+{plaques[0]}+{plaques[0]}", 2_001),
        Said("bob", "((1+2", 2_002),
    )

    assert all(isinstance(a, Whisper) and a.nick == "bob" for a in actions)
    assert len(actions) == 3 and f"{absent} n'est pas une des plaques" in actions[0].text


def test_comptestbon_chat_lines_are_ignored() -> None:
    table, _, _ = _start()

    assert table.send(Said("bob", "salut", 2_000), Said("bob", "j'ai 3 chats", 2_001)) == []


def test_comptestbon_value_is_said_and_closest_wins_at_the_end() -> None:
    table, plaques, target = _start(4)
    far, nearer = plaques[0], plaques[0] + plaques[1]

    actions = table.send(
        Said("bob", str(far), 2_000), Said("carla", f"{plaques[0]} + {plaques[1]}", 2_001)
    )
    assert texts(actions) == [
        f"bob : {far} (à {abs(target - far)} du compte).",
        f"carla : {nearer} (à {abs(target - nearer)} du compte).",
    ]

    actions = table.send(TimerFired("end", 1_000 + ROUND_MS))

    assert actions[0] == Award("carla", closest_points(abs(target - nearer)))
    (end,) = _ends(actions)
    assert end.text.startswith("Temps écoulé ! Le plus proche : carla")
    assert end.view is not None and end.view["best_nick"] == "carla"
    assert end.view["best"] == nearer and end.view["best_text"] == f"{plaques[0]} + {plaques[1]}"
    solution = solve(plaques, target)
    assert f"{solution.text} = {solution.value}" in end.text


def test_comptestbon_tie_goes_to_the_first_to_reach_the_distance() -> None:
    table, plaques, _ = _start(6)

    table.send(Said("bob", str(plaques[0]), 2_000), Said("carla", str(plaques[0]), 2_001))
    actions = table.send(TimerFired("end", 1_000 + ROUND_MS))

    assert isinstance(actions[0], Award) and actions[0].nick == "bob"


def test_comptestbon_timeout_without_proposals_ends_with_the_solution() -> None:
    table, plaques, target = _start(7)
    solution = solve(plaques, target)

    actions = table.send(TimerFired("end", 1_000 + ROUND_MS))

    (end,) = actions
    assert isinstance(end, End) and "Personne n'a proposé" in end.text
    assert solution.text in end.text


def test_comptestbon_player_leaving_takes_their_proposals() -> None:
    table, plaques, _ = _start(8)
    table.send(Said("bob", str(plaques[0]), 2_000), Said("carla", str(plaques[1]), 2_001))

    table.send(Joined("dan", 2_002), Left("bob", 2_003))
    actions = table.send(TimerFired("end", 1_000 + ROUND_MS))

    assert isinstance(actions[0], Award) and actions[0].nick == "carla"


def test_comptestbon_last_player_leaving_leaves_nobody_to_award() -> None:
    table, plaques, _ = _start(8)
    table.send(Said("bob", str(plaques[0]), 2_000), Left("bob", 2_001))

    actions = table.send(TimerFired("end", 1_000 + ROUND_MS))

    assert not [a for a in actions if isinstance(a, Award)]


def test_comptestbon_stopped_ends_with_the_solution_and_nothing_after() -> None:
    table, plaques, target = _start(9)

    (end,) = table.send(Stopped("alice", 5_000))

    assert isinstance(end, End) and "arrêtée" in end.text
    assert solve(plaques, target).text in end.text
    assert table.send(Said("bob", str(plaques[0]), 6_000), TimerFired("end", 9)) == []


def test_closest_points_shrink_with_distance() -> None:
    assert closest_points(1) > closest_points(8) > closest_points(50) > 0
