"""Devine le nombre: the game docs/games.md walks through, line by line.

The game draws a number from 1 to 100; players type numbers, the game says "plus grand" or
"plus petit"; the first to type the number wins points, fewer the more guesses it took the
room. Nobody typing a number for two minutes ends it.

How this works: one state (the number, the guesses so far, whether it is over); every event
returns the actions it causes. `Began` draws the number with the injected `rng` and arms the
idle timer; `Said` reads a number or ignores the line (chat goes on during a game); a right
guess awards and ends; `TimerFired("idle")` ends with the answer; `Stopped` says the answer.
What comes after `End` is not the game's business: its spec wraps it in `silent_after_end`
(`games/ending.py`), which answers nothing once it ended.
"""

from __future__ import annotations

from collections.abc import Sequence

from causerie.games.ending import silent_after_end
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
)

LOWEST, HIGHEST = 1, 100
IDLE_MS = 120_000
MOST_POINTS, LEAST_POINTS = 10, 1


class Devine:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._number = 0
        self._guesses = 0

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                self._number = self._rng.randint(LOWEST, HIGHEST)
                return [
                    Say(
                        f"J'ai choisi un nombre entre {LOWEST} et {HIGHEST}. À vous !", self._view()
                    ),
                    SetTimer("idle", IDLE_MS),
                ]
            case Said(nick=nick, text=text):
                return self._guess(nick, text)
            case TimerFired(key="idle"):
                return [End(f"Personne n'a trouvé : c'était {self._number}.")]
            case Stopped():
                return [End(f"Partie arrêtée. C'était {self._number}.")]
        return []

    def _guess(self, nick: str, text: str) -> Sequence[GameAction]:
        word = text.strip()
        if not word.isdigit() or not LOWEST <= int(word) <= HIGHEST:
            return []
        self._guesses += 1
        guess = int(word)
        if guess == self._number:
            points = max(LEAST_POINTS, MOST_POINTS - self._guesses // 3)
            return [
                Award(nick, points),
                End(f"Bravo {nick} : c'était {guess} ! +{points} points.", self._view()),
            ]
        hint = "plus grand" if guess < self._number else "plus petit"
        return [Say(f"{guess} ? C'est {hint}.", self._view()), SetTimer("idle", IDLE_MS)]

    def _view(self) -> dict[str, int | str]:
        return {"kind": "guess", "low": LOWEST, "high": HIGHEST, "guesses": self._guesses}


GAME = GameSpec(
    name="devine",
    title="Devine le nombre",
    summary="Trouvez le nombre entre 1 et 100 : plus grand, plus petit…",
    kind=GameKind.ROOM,
    create=silent_after_end(Devine),
)
