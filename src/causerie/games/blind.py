"""Le blind test sans musique: name the film, book, character or country from clues revealed
one by one, fewer points with each clue.

How this works: like the quiz (`games/quiz.py`), the game draws its items once at `Began`
without repetition (teen rooms only `for_teens` ones; `!blind 5`, `!blind films`), and the
first right answer in the order received wins. Each item opens with its first clue, the
hardest; the `clue` timer reveals the next one every `CLUE_MS`, and once every clue has been
shown for `CLUE_MS` the `answer` timer tells the answer. A right answer on clue k (1-based)
scores `POINTS_BY_CLUE[k-1]`. The game ends after its last item, after `IDLE_ITEMS` items in a
row that nobody even tried, or on `!stop`, with the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from causerie.games.answers import fold
from causerie.games.interface import (
    Award,
    Band,
    Began,
    CancelTimer,
    End,
    GameAction,
    GameEvent,
    GameKind,
    GameSpec,
    JsonValue,
    Riddle,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
)
from causerie.games.quiz import draw_balanced, ranking_text, ranking_view, read_options

CLUE_MS = 12_000
PAUSE_MS = 5_000
DEFAULT_COUNT = 8
IDLE_ITEMS = 3
POINTS_BY_CLUE = (6, 4, 2, 1)
"""Points for finding on the first, second, third clue; later clues score the last value."""


def points_on(clue_number: int) -> int:
    return POINTS_BY_CLUE[min(clue_number, len(POINTS_BY_CLUE)) - 1]


@dataclass
class Item:
    riddle: Riddle
    number: int
    accepted: frozenset[str]
    shown: int = 1
    """How many clues the room has seen."""
    shown_ms: int = 0
    """When the last clue was shown: the next clue, or the answer, comes `CLUE_MS` later."""
    is_open: bool = True
    is_tried: bool = False


@dataclass
class Blind:
    setup: Setup
    riddles: list[Riddle] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    current: Item | None = None
    idle_items: int = 0
    is_over: bool = False

    def handle(self, event: GameEvent) -> Sequence[GameAction]:
        if self.is_over:
            return []
        actions = self._answer(event)
        self.is_over = any(isinstance(action, End) for action in actions)
        return actions

    def _answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began(now_ms=now):
                return self._begin(now)
            case Said(nick=nick, text=text):
                return self._said(nick, text)
            case TimerFired(key="clue", now_ms=now):
                return self._clue(now)
            case TimerFired(key="answer"):
                return self._timed_out()
            case TimerFired(key="next", now_ms=now):
                return self._ask(now)
            case Stopped():
                return [End(f"Blind test arrêté. {ranking_text(self.scores)}", self._final_view())]
        return []

    def _begin(self, now_ms: int) -> Sequence[GameAction]:
        bank = [
            r for r in self.setup.library.riddles() if r.for_teens or self.setup.band is Band.ADULT
        ]
        categories = sorted({r.category for r in bank})
        options = read_options(self.setup.options, categories, DEFAULT_COUNT)
        if options.unknown:
            listed = ", ".join(categories)
            return [End(f"Pas de catégorie « {options.unknown} ». Catégories : {listed}.")]
        pool = [r for r in bank if not options.category or r.category == options.category]
        if not pool:
            return [End("Rien à deviner pour ce blind test.")]
        self.riddles = draw_balanced(self.setup.rng, pool, options.count)
        opening = Say(
            f"Blind test sans musique : {len(self.riddles)} énigmes, des indices de plus en plus "
            f"faciles. Trouvez vite : {'/'.join(map(str, POINTS_BY_CLUE[:3]))} points !"
        )
        return [opening, *self._ask(now_ms)]

    def _ask(self, now_ms: int) -> Sequence[GameAction]:
        number = self.current.number + 1 if self.current else 1
        riddle = self.riddles[number - 1]
        accepted = frozenset(fold(answer) for answer in riddle.answers)
        self.current = Item(riddle, number, accepted, shown_ms=now_ms)
        text = (
            f"Énigme {number}/{len(self.riddles)} ({riddle.category}). "
            f"Indice 1/{len(riddle.clues)} : {riddle.clues[0]}"
        )
        return [Say(text, self._view()), SetTimer("clue", CLUE_MS)]

    def _said(self, nick: str, text: str) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.is_tried = True
        if fold(text) not in current.accepted:
            return []
        current.is_open = False
        self.idle_items = 0
        points = points_on(current.shown)
        self.scores[nick] = self.scores.get(nick, 0) + points
        said = Say(
            f"Bravo {nick} : c'était « {current.riddle.answers[0]} », trouvé à l'indice "
            f"{current.shown} ! +{points} points ({self.scores[nick]} au total).",
            self._view(),
        )
        return [
            Award(nick, points),
            said,
            CancelTimer("clue"),
            CancelTimer("answer"),
            *self._then(),
        ]

    def _clue(self, now_ms: int) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        clues = current.riddle.clues
        current.shown += 1
        current.shown_ms = now_ms
        text = f"Indice {current.shown}/{len(clues)} : {clues[current.shown - 1]}"
        timer = SetTimer("clue", CLUE_MS) if current.shown < len(clues) else None
        return [Say(text, self._view()), timer or SetTimer("answer", CLUE_MS)]

    def _timed_out(self) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.is_open = False
        self.idle_items = 0 if current.is_tried else self.idle_items + 1
        said = Say(f"Personne n'a trouvé : c'était « {current.riddle.answers[0]} ».", self._view())
        if self.idle_items >= IDLE_ITEMS:
            return [said, End(f"Plus personne ne joue : fin du blind test. {self._ranking()}")]
        return [said, *self._then()]

    def _then(self) -> Sequence[GameAction]:
        assert self.current is not None
        if self.current.number < len(self.riddles):
            return [SetTimer("next", PAUSE_MS)]
        return [End(f"Fin du blind test ! {self._ranking()}", self._final_view())]

    def _ranking(self) -> str:
        return ranking_text(self.scores)

    def _view(self) -> dict[str, JsonValue]:
        current = self.current
        assert current is not None
        shown = list(current.riddle.clues[: current.shown])
        return {
            "kind": "blind",
            "category": current.riddle.category,
            "number": current.number,
            "total": len(self.riddles),
            "clues": shown,
            "clue_count": len(current.riddle.clues),
            "clue_ms": CLUE_MS,
            "deadline_ms": current.shown_ms + CLUE_MS,
            "points": points_on(current.shown),
            "is_open": current.is_open,
            "answer": None if current.is_open else current.riddle.answers[0],
        }

    def _final_view(self) -> dict[str, JsonValue]:
        return {"kind": "blind", "total": len(self.riddles), "ranking": ranking_view(self.scores)}


GAME = GameSpec(
    name="blind",
    title="Le blind test sans musique",
    summary="Devinez film, livre, personnage ou pays : un indice de plus toutes les 12 s.",
    kind=GameKind.ROOM,
    create=Blind,
    aliases=("blindtest",),
)
