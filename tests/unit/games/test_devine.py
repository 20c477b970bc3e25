from causerie.games.devine import GAME, HIGHEST, IDLE_MS, LOWEST
from causerie.games.interface import Award, Began, End, Said, Say, SetTimer, Stopped, TimerFired
from tests.unit.games.replay import seat, texts


def _number(seed: int) -> int:
    """The number a game seeded so draws, found by bisection as a player would."""
    table = seat(GAME, seed=seed)
    table.send(Began(0))
    low, high = LOWEST, HIGHEST
    while True:
        guess = (low + high) // 2
        actions = table.send(Said("bob", str(guess), 1))
        if any(isinstance(action, End) for action in actions):
            return guess
        if "plus grand" in texts(actions)[0]:
            low = guess + 1
        else:
            high = guess - 1


def test_devine_began_announces_range_and_arms_idle_timer() -> None:
    actions = seat(GAME).send(Began(0))

    assert isinstance(actions[0], Say) and "entre 1 et 100" in actions[0].text
    assert actions[1] == SetTimer("idle", IDLE_MS)


def test_devine_same_seed_draws_same_number() -> None:
    assert _number(7) == _number(7)
    assert len({_number(seed) for seed in range(8)}) > 1


def test_devine_right_guess_awards_and_ends() -> None:
    number = _number(3)
    table = seat(GAME, seed=3)
    table.send(Began(0))

    actions = table.send(Said("carla", str(number), 5))

    assert actions[0] == Award("carla", 10)
    assert isinstance(actions[1], End) and "Bravo carla" in actions[1].text


def test_devine_first_right_answer_of_a_flood_wins_alone() -> None:
    number = _number(4)
    table = seat(GAME, seed=4)
    table.send(Began(0))

    actions = table.send(*(Said(nick, str(number), 5) for nick in ("dan", "eve", "fay")))

    assert [a for a in actions if isinstance(a, Award)] == [Award("dan", 10)]


def test_devine_wrong_guess_says_direction_and_rearms_timer() -> None:
    number = _number(5)
    table = seat(GAME, seed=5)
    table.send(Began(0))
    wrong = 1 if number != 1 else 2

    actions = table.send(Said("bob", str(wrong), 5))

    assert "plus grand" in texts(actions)[0] or "plus petit" in texts(actions)[0]
    assert actions[-1] == SetTimer("idle", IDLE_MS)


def test_devine_chat_and_out_of_range_numbers_are_ignored() -> None:
    table = seat(GAME)
    table.send(Began(0))

    assert table.send(Said("bob", "salut tout le monde", 1), Said("bob", "1000", 2)) == []


def test_devine_idle_timer_ends_with_the_answer() -> None:
    number = _number(6)
    table = seat(GAME, seed=6)
    table.send(Began(0))

    assert table.send(TimerFired("idle", IDLE_MS)) == [
        End(f"Personne n'a trouvé : c'était {number}.")
    ]


def test_devine_stopped_ends_with_the_answer() -> None:
    table = seat(GAME)
    table.send(Began(0))

    (end,) = table.send(Stopped("alice", 9))

    assert isinstance(end, End) and "arrêtée" in end.text
