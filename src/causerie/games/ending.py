"""Nothing after `End`: the one place that keeps a game silent once it is over.

A game module writes its `Play`: the answer to each event, `End` included, and nothing about
what comes after. `SilentAfterEnd` is the `Game` the node runs around it: it hands each event on
until the play answered `End`, then answers every later event with nothing. The node stops
feeding a game that ended; a game that kept answering after its End would still be a bug a
replay (or a takeover replaying a log) should never show, so the rule lives here, once, rather
than in every game.

A spec says `create=silent_after_end(MyGame)`; `MyGame` alone is not a `Game` (it has no
`handle`), so a spec that forgets the wrapper does not type-check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from causerie.games.interface import End, Game, GameAction, GameEvent, Setup


class Play(Protocol):
    """A game's own logic: called once per event, in order, until it answers `End`."""

    def answer(self, event: GameEvent) -> Sequence[GameAction]: ...


class SilentAfterEnd:
    """The `Game` around a `Play`: its actions until the first `End`, then none."""

    def __init__(self, play: Play) -> None:
        self._play = play
        self._is_over = False

    @property
    def is_over(self) -> bool:
        return self._is_over

    def handle(self, event: GameEvent) -> Sequence[GameAction]:
        if self._is_over:
            return []
        actions = self._play.answer(event)
        self._is_over = any(isinstance(action, End) for action in actions)
        return actions


def silent_after_end(make: Callable[[Setup], Play]) -> Callable[[Setup], Game]:
    """A `GameSpec.create` from a play's constructor: the game it makes says nothing after its
    `End`."""

    def create(setup: Setup) -> Game:
        return SilentAfterEnd(make(setup))

    return create
