"""A game for the node's tests: "calcul", three sums in a row. The first to type a sum's
result gets a point and a whisper, then the next sum comes; a sum nobody answers in time is
given away. Deterministic from its seed, as every game is."""

from __future__ import annotations

from collections.abc import Sequence

from causerie.games.interface import (
    Award,
    Began,
    End,
    GameAction,
    GameEvent,
    GameKind,
    GameSpec,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
    Whisper,
)

ROUNDS = 3


class Calcul:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._round = 0
        self._answer = 0
        self._timeout_ms = 60_000 if setup.options != "vite" else 1_500

    def handle(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                return self._next()
            case Said(nick=nick, text=text) if text.strip() == str(self._answer):
                return [Award(nick, 1), Whisper(nick, "Bien vu !"), *self._next()]
            case TimerFired(key="tour"):
                return [Say(f"Trop tard : c'était {self._answer}."), *self._next()]
            case Stopped():
                return [End("Calcul arrêté.")]
        return []

    def _next(self) -> list[GameAction]:
        if self._round == ROUNDS:
            return [End("Fin du calcul.")]
        self._round += 1
        a, b = self._rng.randint(1, 50), self._rng.randint(1, 50)
        while a + b == self._answer:  # a late answer to the last one must not win this one
            a, b = self._rng.randint(1, 50), self._rng.randint(1, 50)
        self._answer = a + b
        view = {"round": self._round, "of": ROUNDS}
        return [
            Say(f"Calcul {self._round} : {a} + {b} ?", view),
            SetTimer("tour", self._timeout_ms),
        ]


CALCUL = GameSpec(
    name="calcul",
    title="Calcul",
    summary="Trois additions, le plus rapide gagne.",
    kind=GameKind.ROOM,
    create=Calcul,
)
TEST_GAMES = (CALCUL,)


def sum_of(text: str) -> str:
    """The answer to a "Calcul n : a + b ?" line."""
    sums = text.split(":", 1)[1].strip(" ?").split("+")
    return str(sum(int(part) for part in sums))
