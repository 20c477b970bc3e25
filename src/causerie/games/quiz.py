"""Le quiz: questions from the bank, a hint after 15 s, the answer after 30 s, points for speed.

How this works: the game draws its questions once, at `Began`, without repetition and with
every category as likely as another (a teen room draws only `for_teens` questions; `!quiz
géographie` only that category; `!quiz 20` twenty of them).
Each question runs through three timers: `hint` (15 s: the question's hint, or the
answer's first letters), `answer` (30 s: nobody found, the answer is told) and then `next`
(a short pause before the following question). While a question is open, the first message
whose folded text is one of the accepted answers wins it: events arrive in the order the room
acknowledged them, so in a flood of right answers the first alone scores. Points fall with
time, and more are given before the hint than after. The game ends after its last question,
after `IDLE_QUESTIONS` questions in a row that nobody even tried (no message at all while they
were open), or on `!stop`; its last word is the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Protocol, TypeVar

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
    Question,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
)

HINT_MS = 15_000
ANSWER_MS = 30_000
PAUSE_MS = 5_000
DEFAULT_COUNT, MOST_COUNT = 10, 50
IDLE_QUESTIONS = 3
POINTS_BEFORE_HINT = 10
POINTS_AFTER_HINT = 5
POINTS_STEP_MS = 5_000
"""One point less for every 5 s taken, within each half of the question."""


def points_for(elapsed_ms: int) -> int:
    """Points for a right answer `elapsed_ms` after the question: 10, 9, 8 before the hint,
    5, 4, 3 after it."""
    if elapsed_ms < HINT_MS:
        return POINTS_BEFORE_HINT - elapsed_ms // POINTS_STEP_MS
    return POINTS_AFTER_HINT - min(2, (elapsed_ms - HINT_MS) // POINTS_STEP_MS)


def letters_hint(answer: str) -> str:
    """The answer with only each word's first letter shown: "Pays-Bas" gives "P _ _ _ - B _ _",
    "Le Mans" gives "L _  M _ _ _" (two spaces between words)."""

    def mask(word: str) -> str:
        shown, is_start = [], True
        for char in word:
            shown.append(char if is_start or not char.isalnum() else "_")
            is_start = not char.isalnum()
        return " ".join(shown)

    return "  ".join(mask(word) for word in answer.split())


@dataclass(frozen=True, slots=True)
class QuizOptions:
    count: int = DEFAULT_COUNT
    category: str = ""
    """A category of the bank as written there; empty for all of them."""
    unknown: str = ""
    """A word of the options naming no category (the game says so and ends)."""


def read_options(
    options: str, categories: Sequence[str], default_count: int = DEFAULT_COUNT
) -> QuizOptions:
    """`!quiz 10 géographie` (any order, any case, accents optional, a category's start is
    enough: `!quiz geo`) gives ten questions of Géographie."""
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
    return QuizOptions(count, category, unknown)


class Categorised(Protocol):
    @property
    def category(self) -> str: ...


Item = TypeVar("Item", bound=Categorised)


def draw_balanced(rng: Random, pool: Sequence[Item], count: int) -> list[Item]:
    """`count` items of `pool` without repetition, each draw picking a category first (all
    alike), then an item in it: a bank with 500 questions on départements and 30 on music still
    asks music as often as départements."""
    by_category: dict[str, list[Item]] = {}
    for item in pool:
        by_category.setdefault(item.category, []).append(item)
    drawn: list[Item] = []
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
class Round:
    """The question being asked: when it was asked, whether someone tried or found it."""

    question: Question
    number: int
    asked_ms: int
    accepted: frozenset[str]
    is_open: bool = True
    is_tried: bool = False
    hint: str = ""


@dataclass
class Quiz:
    setup: Setup
    questions: list[Question] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    current: Round | None = None
    idle_rounds: int = 0
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
            case Said(nick=nick, text=text, now_ms=now):
                return self._said(nick, text, now)
            case TimerFired(key="hint"):
                return self._hint()
            case TimerFired(key="answer"):
                return self._timed_out()
            case TimerFired(key="next", now_ms=now):
                return self._ask(now)
            case Stopped():
                return [End(f"Quiz arrêté. {self._ranking()}", self._final_view())]
        return []

    def _begin(self, now_ms: int) -> Sequence[GameAction]:
        bank = [
            q
            for q in self.setup.library.questions()
            if q.for_teens or self.setup.band is Band.ADULT
        ]
        categories = sorted({q.category for q in bank})
        options = read_options(self.setup.options, categories)
        if options.unknown:
            return [
                End(
                    f"Pas de catégorie « {options.unknown} ». Catégories : {', '.join(categories)}."
                )
            ]
        pool = [q for q in bank if not options.category or q.category == options.category]
        if not pool:
            return [End("Pas de questions pour ce quiz.")]
        self.questions = draw_balanced(self.setup.rng, pool, options.count)
        about = f" de {options.category}" if options.category else ""
        opening = Say(
            f"Quiz{about} : {len(self.questions)} questions. Le premier qui trouve marque !"
        )
        return [opening, *self._ask(now_ms)]

    def _ask(self, now_ms: int) -> Sequence[GameAction]:
        number = self.current.number + 1 if self.current else 1
        question = self.questions[number - 1]
        accepted = frozenset(fold(answer) for answer in question.answers)
        self.current = Round(question, number, now_ms, accepted)
        text = f"Question {number}/{len(self.questions)} ({question.category}) : {question.text}"
        return [
            Say(text, self._view()),
            SetTimer("hint", HINT_MS),
            SetTimer("answer", ANSWER_MS),
        ]

    def _said(self, nick: str, text: str, now_ms: int) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.is_tried = True
        if fold(text) not in current.accepted:
            return []
        current.is_open = False
        self.idle_rounds = 0
        points = points_for(now_ms - current.asked_ms)
        self.scores[nick] = self.scores.get(nick, 0) + points
        said = Say(
            f"Bravo {nick} : c'était « {current.question.answers[0]} » ! +{points} points "
            f"({self.scores[nick]} au total).",
            self._view(),
        )
        return [
            Award(nick, points),
            said,
            CancelTimer("hint"),
            CancelTimer("answer"),
            *self._then(),
        ]

    def _hint(self) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.hint = current.question.hint or letters_hint(current.question.answers[0])
        return [Say(f"Indice : {current.hint}", self._view())]

    def _timed_out(self) -> Sequence[GameAction]:
        current = self.current
        if current is None or not current.is_open:
            return []
        current.is_open = False
        self.idle_rounds = 0 if current.is_tried else self.idle_rounds + 1
        said = Say(
            f"Personne n'a trouvé : c'était « {current.question.answers[0]} ».", self._view()
        )
        if self.idle_rounds >= IDLE_QUESTIONS:
            return [said, End(f"Plus personne ne joue : fin du quiz. {self._ranking()}")]
        return [said, *self._then()]

    def _then(self) -> Sequence[GameAction]:
        """After a question: the next one after a pause, or the end and the ranking."""
        assert self.current is not None
        if self.current.number < len(self.questions):
            return [SetTimer("next", PAUSE_MS)]
        return [End(f"Fin du quiz ! {self._ranking()}", self._final_view())]

    def _ranking(self) -> str:
        return ranking_text(self.scores)

    def _view(self) -> dict[str, JsonValue]:
        current = self.current
        assert current is not None
        return {
            "kind": "quiz",
            "question": current.question.text,
            "category": current.question.category,
            "number": current.number,
            "total": len(self.questions),
            "deadline_ms": current.asked_ms + ANSWER_MS,
            "hint": current.hint,
            "is_open": current.is_open,
        }

    def _final_view(self) -> dict[str, JsonValue]:
        return {"kind": "quiz", "total": len(self.questions), "ranking": ranking_view(self.scores)}


GAME = GameSpec(
    name="quiz",
    title="Le quiz",
    summary="Culture générale : le premier qui trouve marque, et plus vite = plus de points.",
    kind=GameKind.ROOM,
    create=Quiz,
)
