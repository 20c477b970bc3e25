"""Nothing after End: `games/ending.py` alone keeps the rule, and every game of the catalogue is
built with it."""

from collections.abc import Sequence

import pytest

from causerie.games.catalog import GAMES
from causerie.games.ending import SilentAfterEnd
from causerie.games.interface import (
    Began,
    CancelTimer,
    End,
    GameAction,
    GameEvent,
    GameKind,
    GameSpec,
    Joined,
    Left,
    Question,
    Riddle,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
)
from tests.unit.games.replay import SmallLibrary, Table, seat

LIBRARY = SmallLibrary(
    word_list=frozenset({"MAISON", "NUAGE", "ESCARGOT", "ORANGE", "TABLEAU", "ELEPHANT"}),
    bank=(
        Question("Géographie", "Capitale de la France ?", ("Paris",), "Ville lumière"),
        Question("Sciences", "Symbole de l'or ?", ("Au",)),
    ),
    riddle_bank=(Riddle("Films", ("Titanic",), ("Un naufrage", "1997", "DiCaprio")),),
)
MOST_STEPS = 2_000


class Talkative:
    """A play that ends, then goes on answering, as a buggy game would."""

    def __init__(self) -> None:
        self.calls = 0

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        self.calls += 1
        if isinstance(event, Stopped):
            return [Say("Au revoir."), End("Fini.")]
        return [Say("Encore moi !")]


def test_silent_after_end_passes_actions_until_the_first_end_then_none() -> None:
    play = Talkative()
    game = SilentAfterEnd(play)

    assert game.handle(Began(0)) == [Say("Encore moi !")]
    assert game.handle(Stopped("op", 1)) == [Say("Au revoir."), End("Fini.")]
    assert game.is_over
    assert game.handle(Said("bob", "salut", 2)) == []
    assert game.handle(Stopped("op", 3)) == []
    assert play.calls == 2  # the play is not even asked once over


def _seat(spec: GameSpec) -> Table:
    players = ("alice", "bruno") if spec.kind is GameKind.DUEL else ()
    return seat(spec, library=LIBRARY, seed=5, players=players)


def _play_out(table: Table) -> set[str]:
    """Begins the game and fires its timers, earliest first, as the node would with nobody
    playing, until it ends. Returns every timer key it asked for."""
    pending: dict[str, int] = {}
    keys: set[str] = set()
    now, actions = 0, table.send(Began(0))
    for _ in range(MOST_STEPS):
        for action in actions:
            match action:
                case SetTimer(key=key, delay_ms=delay_ms):
                    pending[key] = now + delay_ms
                    keys.add(key)
                case CancelTimer(key=key):
                    pending.pop(key, None)
        if any(isinstance(action, End) for action in actions):
            return keys
        assert pending, "the game neither ended nor asked for a timer"
        key = min(pending, key=lambda k: pending[k])
        now = pending.pop(key)
        actions = table.send(TimerFired(key, now))
    raise AssertionError(f"no End after {MOST_STEPS} timers")


def _after_end(keys: set[str], now: int) -> list[GameEvent]:
    """Every kind of event a game could be handed after its End, by a buggy node or a replay."""
    lines = ["1", "e", "maison", "Paris", "Titanic", "!lance", "!moi", "abandon", "(75+25)*3"]
    events: list[GameEvent] = [
        Said(nick, line, now) for nick in ("alice", "bruno") for line in lines
    ]
    events += [TimerFired(key, now + 1) for key in sorted(keys)]
    events += [Joined("carla", now + 2), Left("alice", now + 3), Began(now + 4)]
    return [*events, Stopped("op", now + 5)]


@pytest.mark.parametrize("spec", GAMES, ids=[spec.name for spec in GAMES])
def test_every_game_ends_on_its_own_timers_then_says_nothing(spec: GameSpec) -> None:
    table = _seat(spec)

    keys = _play_out(table)
    ended_at = len(table.log)

    assert [a for a in table.log if isinstance(a, End)] != []
    assert table.send(*_after_end(keys, 10_000_000)) == []
    assert len(table.log) == ended_at


@pytest.mark.parametrize("spec", GAMES, ids=[spec.name for spec in GAMES])
def test_every_game_stopped_ends_then_says_nothing(spec: GameSpec) -> None:
    table = _seat(spec)
    table.send(Began(0), Said("alice", "bonjour", 1))

    last_word = table.send(Stopped("op", 2))

    assert any(isinstance(action, End) for action in last_word)
    assert table.send(*_after_end({"idle", "turn", "answer", "next"}, 3)) == []
