"""Games asked in rounds, the quiz and the blind test: the bookkeeping they share.

Both draw their items once, at `Began`, without repetition and with every category as likely as
another (a teen room draws only `for_teens` items; `!quiz géographie` only that category, `!quiz
20` twenty of them), then ask them one at a time. While an item is open, the first message whose
folded text is one of its accepted answers wins it: events arrive in the order the room
acknowledged them, so in a flood of right answers the first alone scores. The game ends after its
last item, after `idle_rounds` items in a row that nobody even tried (no message at all while they
were open), or on `!stop`; its last word is the ranking.

How this works: `Rounds` is the game's `Play` (games/ending.py) and keeps the rounds: the items
drawn, the round open now, the scores, the items nobody tried. What makes it the quiz or the blind
test is its `RoundRules`: where the items come from, what the game says and shows, and its clocks.
A round runs on three timers: the rules' `step_key` timer shows the item's next clue (the quiz's
one hint, the blind test's clues one by one), `answer` closes it unfound and tells the answer, and
`next`, `pause_ms` after a round closed, asks the following item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Generic, Protocol, TypeVar

from causerie.games.answers import fold
from causerie.games.interface import (
    Award,
    Band,
    Began,
    CancelTimer,
    End,
    GameAction,
    GameEvent,
    JsonValue,
    Library,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
)

DEFAULT_COUNT, MOST_COUNT = 10, 50
"""How many items a game asks when its options name no number, and the most they may."""


@dataclass(frozen=True, slots=True)
class RoundOptions:
    count: int
    category: str = ""
    """A category of the bank as written there; empty for all of them."""
    unknown: str = ""
    """A word of the options naming no category (the game says so and ends)."""


def read_options(
    options: str, categories: Sequence[str], default_count: int = DEFAULT_COUNT
) -> RoundOptions:
    """`!quiz 10 géographie` (any order, any case, accents optional, a category's start is
    enough: `!quiz geo`) gives ten questions of Géographie; a number is kept within 1 to
    `MOST_COUNT`."""
    count, category, unknown = default_count, "", ""
    words = []
    for word in options.split():
        if word.isdigit():
            count = max(1, min(MOST_COUNT, int(word)))
        else:
            words.append(word)
    if words:
        wanted = fold(" ".join(words))
        by_fold = {fold(name): name for name in categories}
        matches = [name for key, name in by_fold.items() if key.startswith(wanted)]
        if wanted in by_fold:
            category = by_fold[wanted]
        elif len(matches) == 1:
            category = matches[0]
        else:
            unknown = " ".join(words)
    return RoundOptions(count, category, unknown)


class Categorised(Protocol):
    @property
    def category(self) -> str: ...


class Askable(Categorised, Protocol):
    """An item a game of rounds asks: a quiz `Question`, a blind test `Riddle`."""

    @property
    def answers(self) -> tuple[str, ...]: ...

    @property
    def for_teens(self) -> bool: ...


CategorisedT = TypeVar("CategorisedT", bound=Categorised)
ItemT = TypeVar("ItemT", bound=Askable)


def draw_balanced(rng: Random, pool: Sequence[CategorisedT], count: int) -> list[CategorisedT]:
    """`count` items of `pool` without repetition, each draw picking a category first (all
    alike), then an item in it: a bank with 500 questions on départements and 30 on music still
    asks music as often as départements."""
    by_category: dict[str, list[CategorisedT]] = {}
    for item in pool:
        by_category.setdefault(item.category, []).append(item)
    drawn: list[CategorisedT] = []
    while len(drawn) < count and by_category:
        category = rng.choice(sorted(by_category))
        items = by_category[category]
        drawn.append(items.pop(rng.randrange(len(items))))
        if not items:
            del by_category[category]
    return drawn


def ranking_text(scores: dict[str, int]) -> str:
    """ "Classement : 1. bob (18), 2. carla (9)." Ties keep the order in which players first
    scored (a dict keeps insertion order and the sort is stable)."""
    if not scores:
        return "Personne n'a marqué de points."
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    places = ", ".join(f"{i}. {nick} ({points})" for i, (nick, points) in enumerate(ranked, 1))
    return f"Classement : {places}."


def ranking_view(scores: dict[str, int]) -> list[JsonValue]:
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return [{"nick": nick, "points": points} for nick, points in ranked]


@dataclass
class Round(Generic[ItemT]):
    """The item being asked: when, how much of it the room has seen, whether someone tried or
    found it."""

    item: ItemT
    number: int
    """Its place in the game, from 1."""
    asked_ms: int
    accepted: frozenset[str]
    """Its answers, folded."""
    shown: int = 1
    """How many of its clues the room has seen: the quiz's question (1) then its hint (2), the
    blind test's clues."""
    shown_ms: int = 0
    """When the last clue was shown."""
    is_open: bool = True
    is_tried: bool = False

    @property
    def answer(self) -> str:
        """The answer the game tells: the first accepted, as written."""
        return self.item.answers[0]


class RoundRules(Protocol[ItemT]):
    """What makes a game of rounds the quiz or the blind test. Its methods only read the round
    and return what to say; `Rounds` changes the state."""

    title: str
    """The game's name in its lines: "quiz" says "Fin du quiz !" and "Quiz arrêté."."""
    kind: str
    """The `kind` of its views."""
    step_key: str
    """The timer that shows the next clue."""
    default_count: int
    idle_rounds: int
    pause_ms: int
    nothing_to_ask: str
    """Its last word when no item fits the room and the options."""

    def bank(self, library: Library) -> Sequence[ItemT]:
        """Every item it may ask, for teens or not."""
        ...

    def opening(self, count: int, category: str) -> str:
        """Its first line, before the first item (`category` empty when all are drawn)."""
        ...

    def ask(self, current: Round[ItemT], total: int) -> str:
        """The line asking the item, its first clue shown."""
        ...

    def reveal(self, current: Round[ItemT]) -> str:
        """The line showing clue `current.shown` (2 or more)."""
        ...

    def timers(self, current: Round[ItemT]) -> Sequence[SetTimer]:
        """The timers to arm once the room has seen `current.shown` clues: `step_key` for the
        next clue, `answer` to close the round."""
        ...

    def points(self, current: Round[ItemT], now_ms: int) -> int:
        """What a right answer at `now_ms` scores."""
        ...

    def found(self, current: Round[ItemT], nick: str, points: int, total_points: int) -> str:
        """The line congratulating `nick`, who has `total_points` with this round's."""
        ...

    def view(self, current: Round[ItemT], total: int) -> dict[str, JsonValue]:
        """What the web client draws for the round."""
        ...


@dataclass
class Rounds(Generic[ItemT]):
    setup: Setup
    rules: RoundRules[ItemT]
    items: list[ItemT] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    current: Round[ItemT] | None = None
    idle_rounds: int = 0

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began(now_ms=now):
                return self._begin(now)
            case Said(nick=nick, text=text, now_ms=now):
                return self._said(nick, text, now)
            case TimerFired(key="answer"):
                return self._timed_out()
            case TimerFired(key="next", now_ms=now):
                return self._ask(now)
            case TimerFired(key=key, now_ms=now) if key == self.rules.step_key:
                return self._reveal(now)
            case Stopped():
                stopped = f"{self.rules.title.capitalize()} arrêté. {self._ranking()}"
                return [End(stopped, self._final_view())]
        return []

    def _begin(self, now_ms: int) -> Sequence[GameAction]:
        band = self.setup.band
        bank = [i for i in self.rules.bank(self.setup.library) if i.for_teens or band is Band.ADULT]
        categories = sorted({i.category for i in bank})
        options = read_options(self.setup.options, categories, self.rules.default_count)
        if options.unknown:
            listed = ", ".join(categories)
            return [End(f"Pas de catégorie « {options.unknown} ». Catégories : {listed}.")]
        pool = [i for i in bank if not options.category or i.category == options.category]
        if not pool:
            return [End(self.rules.nothing_to_ask)]
        self.items = draw_balanced(self.setup.rng, pool, options.count)
        opening = Say(self.rules.opening(len(self.items), options.category))
        return [opening, *self._ask(now_ms)]

    def _ask(self, now_ms: int) -> Sequence[GameAction]:
        number = self.current.number + 1 if self.current else 1
        item = self.items[number - 1]
        accepted = frozenset(fold(answer) for answer in item.answers)
        current = self.current = Round(item, number, now_ms, accepted, shown_ms=now_ms)
        asked = Say(self.rules.ask(current, len(self.items)), self._view())
        return [asked, *self.rules.timers(current)]

    def _reveal(self, now_ms: int) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.shown += 1
        current.shown_ms = now_ms
        return [Say(self.rules.reveal(current), self._view()), *self.rules.timers(current)]

    def _said(self, nick: str, text: str, now_ms: int) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.is_tried = True
        if fold(text) not in current.accepted:
            return []
        current.is_open = False
        self.idle_rounds = 0
        points = self.rules.points(current, now_ms)
        self.scores[nick] = self.scores.get(nick, 0) + points
        said = Say(self.rules.found(current, nick, points, self.scores[nick]), self._view())
        return [
            Award(nick, points),
            said,
            CancelTimer(self.rules.step_key),
            CancelTimer("answer"),
            *self._then(),
        ]

    def _timed_out(self) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.is_open = False
        self.idle_rounds = 0 if current.is_tried else self.idle_rounds + 1
        said = Say(f"Personne n'a trouvé : c'était « {current.answer} ».", self._view())
        if self.idle_rounds >= self.rules.idle_rounds:
            idle = f"Plus personne ne joue : fin du {self.rules.title}. {self._ranking()}"
            return [said, End(idle)]
        return [said, *self._then()]

    def _then(self) -> Sequence[GameAction]:
        """After a round: the next one after a pause, or the end and the ranking."""
        assert self.current is not None
        if self.current.number < len(self.items):
            return [SetTimer("next", self.rules.pause_ms)]
        return [End(f"Fin du {self.rules.title} ! {self._ranking()}", self._final_view())]

    def _ranking(self) -> str:
        return ranking_text(self.scores)

    def _view(self) -> dict[str, JsonValue]:
        assert self.current is not None
        return self.rules.view(self.current, len(self.items))

    def _final_view(self) -> dict[str, JsonValue]:
        ranking = ranking_view(self.scores)
        return {"kind": self.rules.kind, "total": len(self.items), "ranking": ranking}
