"""Replaying a game in a unit test: a small library, a seeded setup, events in, actions out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from random import Random

from causerie.games.interface import (
    Band,
    Game,
    GameAction,
    GameEvent,
    GameSpec,
    Question,
    Riddle,
    Say,
    Setup,
)


@dataclass(frozen=True)
class SmallLibrary:
    word_list: frozenset[str] = frozenset()
    bank: tuple[Question, ...] = ()
    riddle_bank: tuple[Riddle, ...] = ()
    drawn: frozenset[str] | None = None
    """The words a game may draw; None draws from `word_list`."""

    def words(self) -> frozenset[str]:
        return self.word_list

    def drawable_words(self) -> frozenset[str]:
        return self.word_list if self.drawn is None else self.drawn

    def questions(self) -> Sequence[Question]:
        return self.bank

    def riddles(self) -> Sequence[Riddle]:
        return self.riddle_bank


@dataclass
class Table:
    """One game being replayed; `log` keeps every action in order."""

    game: Game
    log: list[GameAction] = field(default_factory=list)

    def send(self, *events: GameEvent) -> list[GameAction]:
        out: list[GameAction] = []
        for event in events:
            out.extend(self.game.handle(event))
        self.log.extend(out)
        return out


def seat(
    spec: GameSpec,
    *,
    library: SmallLibrary | None = None,
    seed: int = 1,
    band: Band = Band.ADULT,
    options: str = "",
    started_by: str = "alice",
    players: tuple[str, ...] = (),
    place: str = "jeux",
) -> Table:
    setup = Setup(
        place=place,
        band=band,
        rng=Random(seed),
        library=library or SmallLibrary(),
        started_by=started_by,
        options=options,
        players=players,
    )
    return Table(spec.create(setup))


def texts(actions: Iterable[GameAction]) -> list[str]:
    return [action.text for action in actions if isinstance(action, Say)]
