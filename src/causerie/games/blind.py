"""Le blind test sans musique: name the film, book, character or country from clues revealed
one by one, fewer points with each clue.

How this works: the blind test is a game of rounds like the quiz (`games/rounds.py`: the items
drawn once at `Began`, balanced across categories, teen rooms only `for_teens` ones, `!blind 5`,
`!blind films`; the first right answer in the order received wins), told by its `BlindRules`.
Each item opens with its first clue, the hardest; the `clue` timer reveals the next one every
`CLUE_MS`, and once every clue has been shown for `CLUE_MS` the `answer` timer tells the answer.
A right answer on clue k (1-based) scores `POINTS_BY_CLUE[k-1]`. The game ends after its last
item, after `IDLE_ITEMS` items in a row that nobody even tried, or on `!stop`, with the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

from causerie.games.ending import silent_after_end
from causerie.games.interface import (
    GameKind,
    GameSpec,
    JsonValue,
    Library,
    Riddle,
    SetTimer,
    Setup,
)
from causerie.games.rounds import Round, Rounds

CLUE_MS = 12_000
PAUSE_MS = 5_000
DEFAULT_COUNT = 8
IDLE_ITEMS = 3
POINTS_BY_CLUE = (6, 4, 2, 1)
"""Points for finding on the first, second, third clue; later clues score the last value."""


def points_on(clue_number: int) -> int:
    return POINTS_BY_CLUE[min(clue_number, len(POINTS_BY_CLUE)) - 1]


class BlindRules:
    """The blind test's part of `Rounds`: clues one by one, points by the clue found on."""

    title = "blind test"
    kind = "blind"
    step_key = "clue"
    default_count = DEFAULT_COUNT
    idle_rounds = IDLE_ITEMS
    pause_ms = PAUSE_MS
    nothing_to_ask = "Rien à deviner pour ce blind test."

    def bank(self, library: Library) -> Sequence[Riddle]:
        return library.riddles()

    def opening(self, count: int, category: str) -> str:
        return (
            f"Blind test sans musique : {count} énigmes, des indices de plus en plus "
            f"faciles. Trouvez vite : {'/'.join(map(str, POINTS_BY_CLUE[:3]))} points !"
        )

    def ask(self, current: Round[Riddle], total: int) -> str:
        riddle = current.item
        return (
            f"Énigme {current.number}/{total} ({riddle.category}). "
            f"Indice 1/{len(riddle.clues)} : {riddle.clues[0]}"
        )

    def reveal(self, current: Round[Riddle]) -> str:
        clues = current.item.clues
        return f"Indice {current.shown}/{len(clues)} : {clues[current.shown - 1]}"

    def timers(self, current: Round[Riddle]) -> Sequence[SetTimer]:
        if current.shown < len(current.item.clues):
            return [SetTimer("clue", CLUE_MS)]
        return [SetTimer("answer", CLUE_MS)]  # the last clue stays up as long as the others

    def points(self, current: Round[Riddle], now_ms: int) -> int:
        return points_on(current.shown)

    def found(self, current: Round[Riddle], nick: str, points: int, total_points: int) -> str:
        return (
            f"Bravo {nick} : c'était « {current.answer} », trouvé à l'indice "
            f"{current.shown} ! +{points} points ({total_points} au total)."
        )

    def view(self, current: Round[Riddle], total: int) -> dict[str, JsonValue]:
        riddle = current.item
        return {
            "kind": "blind",
            "category": riddle.category,
            "number": current.number,
            "total": total,
            "clues": list(riddle.clues[: current.shown]),
            "clue_count": len(riddle.clues),
            "clue_ms": CLUE_MS,
            "deadline_ms": current.shown_ms + CLUE_MS,
            "points": points_on(current.shown),
            "is_open": current.is_open,
            "answer": None if current.is_open else current.answer,
        }


def start(setup: Setup) -> Rounds[Riddle]:
    return Rounds(setup, BlindRules())


GAME = GameSpec(
    name="blind",
    title="Le blind test sans musique",
    summary="Devinez film, livre, personnage ou pays : un indice de plus toutes les 12 s.",
    kind=GameKind.ROOM,
    create=silent_after_end(start),
    aliases=("blindtest",),
)
