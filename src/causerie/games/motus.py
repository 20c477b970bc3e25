"""Motus (Lingo): find a word of 6 to 8 letters from its first letter, in a few tries.

The game draws a word and gives its first letter and length (`M _ _ _ _ _`). Players type
words of that length beginning with that letter; each one that is in the word list takes a
try and comes back coloured, letter by letter: well placed, misplaced (in the word elsewhere),
or absent. Whoever finds the word scores, more with tries to spare; when the tries run out, or
nobody has proposed for `IDLE_MS`, the word is shown.

`!motus 7` asks for a word of 7 letters; otherwise the length is drawn.

How this works: `colour(target, guess)` is the marking, in two passes so that repeated letters
count right: first the well-placed letters, then, left to right, a letter is misplaced only
while the target still has an unmatched one of it ("ALLEES" against "SALLES"). A proposal of
another length, or not starting with the given letter, is chat; one of the right shape that is
not in the list is refused without taking a try. Events come in the order the room
acknowledged them: in a flood, the first right word wins and the rest find the game over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from enum import StrEnum

from causerie.games.ending import silent_after_end
from causerie.games.interface import (
    Award,
    Began,
    End,
    GameAction,
    GameEvent,
    GameKind,
    GameSpec,
    JsonValue,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
)
from causerie.games.proposals import proposed_word

LENGTHS = range(6, 9)
MAX_TRIES = 6
IDLE_MS = 120_000
POINTS_PER_TRY_LEFT = 2
LEAST_POINTS = 2


class Mark(StrEnum):
    WELL = "well"
    MISPLACED = "misplaced"
    ABSENT = "absent"


def colour(target: str, guess: str) -> tuple[Mark, ...]:
    """Each letter of `guess` (as long as `target`) marked against `target`.

    A letter is well placed where it matches; misplaced when the target holds it elsewhere,
    not already matched by a well-placed letter nor by an earlier misplaced one; otherwise
    absent. So a letter is never marked more times than the target holds it.
    """
    marks = [Mark.ABSENT] * len(guess)
    unmatched: Counter[str] = Counter()
    for index, (want, got) in enumerate(zip(target, guess, strict=True)):
        if want == got:
            marks[index] = Mark.WELL
        else:
            unmatched[want] += 1
    for index, got in enumerate(guess):
        if marks[index] is not Mark.WELL and unmatched[got] > 0:
            marks[index] = Mark.MISPLACED
            unmatched[got] -= 1
    return tuple(marks)


def render(guess: str, marks: Sequence[Mark]) -> str:
    """The coloured line as IRC shows it: `[A]` well placed, `(A)` misplaced, `a` absent."""
    shown = {
        Mark.WELL: "[{}]",
        Mark.MISPLACED: "({})",
        Mark.ABSENT: " {} ",
    }
    return "".join(
        shown[mark].format(ch if mark is not Mark.ABSENT else ch.lower())
        for ch, mark in zip(guess, marks, strict=True)
    )


class Motus:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._library = setup.library
        option = setup.options.strip()
        self._length = int(option) if option.isdigit() and int(option) in LENGTHS else 0
        self._word = ""
        self._known: list[str] = []
        self._rows: list[tuple[str, str, tuple[Mark, ...]]] = []

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                return self._begin()
            case Said(nick=nick, text=text):
                return self._propose(nick, proposed_word(text))
            case TimerFired(key="idle"):
                return [
                    End(f"Plus personne ne joue : le mot était {self._word}.", self._view(True))
                ]
            case Stopped():
                return [End(f"Partie arrêtée. Le mot était {self._word}.", self._view(True))]
        return []  # Joined/Left: whoever is in the room plays; nobody holds a turn

    def _begin(self) -> Sequence[GameAction]:
        lengths = [self._length] if self._length else list(LENGTHS)
        pool = sorted(
            word
            for word in self._library.drawable_words()
            if len(word) in lengths and word in self._library.words()
        )
        if not pool:
            return [End("Pas de mot à faire deviner : la liste de mots est vide.")]
        self._word = self._rng.choice(pool)
        self._known = [self._word[0]] + ["_"] * (len(self._word) - 1)
        return [
            Say(
                f"Motus : un mot de {len(self._word)} lettres commençant par {self._word[0]}, "
                f"{MAX_TRIES} essais. {' '.join(self._known)}",
                self._view(),
            ),
            SetTimer("idle", IDLE_MS),
        ]

    def _propose(self, nick: str, guess: str) -> Sequence[GameAction]:
        if len(guess) != len(self._word) or guess[0] != self._word[0]:
            return []  # chat
        if guess not in self._library.words():
            return [Say(f"{guess} n'est pas dans le dictionnaire : essai non compté.")]
        marks = colour(self._word, guess)
        self._rows.append((nick, guess, marks))
        for index, mark in enumerate(marks):
            if mark is Mark.WELL:
                self._known[index] = guess[index]
        line = f"{nick} : {render(guess, marks)}"
        if guess == self._word:
            points = max(LEAST_POINTS, POINTS_PER_TRY_LEFT * (MAX_TRIES - len(self._rows) + 1))
            return [
                Award(nick, points),
                End(
                    f"{line} Bravo {nick}, c'était {self._word} ! +{points} points.",
                    self._view(True),
                ),
            ]
        if len(self._rows) >= MAX_TRIES:
            return [End(f"{line} Plus d'essais : le mot était {self._word}.", self._view(True))]
        left = MAX_TRIES - len(self._rows)
        return [
            Say(f"{line}  {' '.join(self._known)} ({left} essais restants)", self._view()),
            SetTimer("idle", IDLE_MS),
        ]

    def _view(self, reveal: bool = False) -> dict[str, JsonValue]:
        rows: list[JsonValue] = [
            {"nick": nick, "word": guess, "marks": [str(mark) for mark in marks]}
            for nick, guess, marks in self._rows
        ]
        view: dict[str, JsonValue] = {
            "kind": "motus",
            "length": len(self._word),
            "first": self._word[:1],
            "known": "".join(self._known),
            "rows": rows,
            "max_tries": MAX_TRIES,
        }
        if reveal:
            view["word"] = self._word
        return view


GAME = GameSpec(
    name="motus",
    title="Motus",
    summary="Un mot de 6 à 8 lettres, la première donnée : bien placé, mal placé, absent.",
    kind=GameKind.ROOM,
    create=silent_after_end(Motus),
    aliases=("lingo",),
)
