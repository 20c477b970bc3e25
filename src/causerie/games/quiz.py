"""Le quiz: questions from the bank, a hint after 15 s, the answer after 30 s, points for speed.

How this works: the quiz is a game of rounds (`games/rounds.py`: the questions drawn once,
balanced across categories; the first right answer wins; the ranking at the end), told by its
`QuizRules`. Each question runs through three timers: `hint` (15 s: the question's hint, or the
answer's first letters), `answer` (30 s: nobody found, the answer is told) and then `next` (a
short pause before the following question). Points fall with time, and more are given before
the hint than after. The game ends after its last question, after `IDLE_QUESTIONS` questions in
a row that nobody even tried, or on `!stop`; its last word is the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

from causerie.games.ending import silent_after_end
from causerie.games.interface import (
    GameKind,
    GameSpec,
    JsonValue,
    Library,
    Question,
    SetTimer,
    Setup,
)
from causerie.games.rounds import DEFAULT_COUNT, Round, Rounds

HINT_MS = 15_000
ANSWER_MS = 30_000
PAUSE_MS = 5_000
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


class QuizRules:
    """The quiz's part of `Rounds`: a question, a hint at `HINT_MS`, the answer at `ANSWER_MS`,
    points for speed."""

    title = "quiz"
    kind = "quiz"
    step_key = "hint"
    default_count = DEFAULT_COUNT
    idle_rounds = IDLE_QUESTIONS
    pause_ms = PAUSE_MS
    nothing_to_ask = "Pas de questions pour ce quiz."

    def bank(self, library: Library) -> Sequence[Question]:
        return library.questions()

    def opening(self, count: int, category: str) -> str:
        about = f" de {category}" if category else ""
        return f"Quiz{about} : {count} questions. Le premier qui trouve marque !"

    def ask(self, current: Round[Question], total: int) -> str:
        question = current.item
        return f"Question {current.number}/{total} ({question.category}) : {question.text}"

    def reveal(self, current: Round[Question]) -> str:
        return f"Indice : {_hint(current)}"

    def timers(self, current: Round[Question]) -> Sequence[SetTimer]:
        if current.shown > 1:
            return []  # the hint is the only clue; `answer` was armed with the question
        return [SetTimer("hint", HINT_MS), SetTimer("answer", ANSWER_MS)]

    def points(self, current: Round[Question], now_ms: int) -> int:
        return points_for(now_ms - current.asked_ms)

    def found(self, current: Round[Question], nick: str, points: int, total_points: int) -> str:
        return (
            f"Bravo {nick} : c'était « {current.answer} » ! +{points} points "
            f"({total_points} au total)."
        )

    def view(self, current: Round[Question], total: int) -> dict[str, JsonValue]:
        return {
            "kind": "quiz",
            "question": current.item.text,
            "category": current.item.category,
            "number": current.number,
            "total": total,
            "deadline_ms": current.asked_ms + ANSWER_MS,
            "hint": _hint(current) if current.shown > 1 else "",
            "is_open": current.is_open,
        }


def _hint(current: Round[Question]) -> str:
    """The question's own hint, or the answer's first letters when it has none."""
    return current.item.hint or letters_hint(current.answer)


def start(setup: Setup) -> Rounds[Question]:
    return Rounds(setup, QuizRules())


GAME = GameSpec(
    name="quiz",
    title="Le quiz",
    summary="Culture générale : le premier qui trouve marque, et plus vite = plus de points.",
    kind=GameKind.ROOM,
    create=silent_after_end(start),
)
