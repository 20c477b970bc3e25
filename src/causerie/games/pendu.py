"""Le pendu (hangman): find the drawn word letter by letter before the drawing is complete.

Players type one letter ("e") or the whole word ("maison"). A letter in the word shows
everywhere it stands; a letter not in it is a miss and adds to the drawing; a whole word that is
wrong (a word of the list, of the word's length) is a miss too. Whoever completes the word
(by its last letter or by typing it) scores; the game ends when the word is found, when the
drawing is complete, or when nobody has played for `IDLE_MS`.

Difficulty (`!pendu facile|moyen|difficile`, moyen by default) picks the word by its length and
the rarity of its letters, and sets how many misses hang the player: a long word of common
letters is easy (many letters to hit), a short word of rare letters (K, W, X, Y, Z…) is hard.

How this works: one state (the word, the letters proposed, the misses); `Began` draws the word
from `library.drawable_words()` (words fit for any room, the teen space too) with the injected
`rng`; every `Said` that reads as a letter or as a word of the right length is a move, anything
else is chat and ignored. Events come in the order the room acknowledged them, so in a flood of
answers the first right one ends the game and the others find it over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from random import Random

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

IDLE_MS = 90_000

# How often a letter appears in French text, coarsely: 0 common, 1 less so, 2 rare.
_RARITY = {letter: 0 for letter in "EASINTRULODCPM"}
_RARITY.update({letter: 1 for letter in "VGFBHQ"})
_RARITY.update({letter: 2 for letter in "XJYZKW"})


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    lengths: range
    max_rarity: int
    """The most the word's letters' rarities may add up to."""
    min_rarity: int
    max_misses: int
    points: int
    """What the finder scores, plus one per letter still hidden when they find it."""


LEVELS = {
    "facile": Level("facile", range(8, 13), 0, 0, 10, 5),
    "moyen": Level("moyen", range(6, 10), 2, 0, 8, 8),
    "difficile": Level("difficile", range(4, 8), 99, 2, 6, 12),
}
DEFAULT_LEVEL = "moyen"


def rarity(word: str) -> int:
    """The sum of the rarities of the word's distinct letters."""
    return sum(_RARITY.get(letter, 2) for letter in set(word))


def draw_word(words: frozenset[str], level: Level, rng: Random) -> str:
    """A word of the level's lengths and rarity, drawn with `rng`; any word when none fits,
    "" when there is none at all. Sorted first, so that a seed always draws the same word."""
    fitting = sorted(
        word
        for word in words
        if len(word) in level.lengths and level.min_rarity <= rarity(word) <= level.max_rarity
    )
    pool = fitting or sorted(words)
    return rng.choice(pool) if pool else ""


class Pendu:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._library = setup.library
        self._level = LEVELS.get(setup.options.strip().lower(), LEVELS[DEFAULT_LEVEL])
        self._word = ""
        self._proposed: set[str] = set()
        self._wrong: list[str] = []
        self._misses = 0

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                return self._begin()
            case Said(nick=nick, text=text):
                return self._move(nick, proposed_word(text))
            case TimerFired(key="idle"):
                return [End(f"Plus personne ne joue : le mot était {self._word}.", self._view())]
            case Stopped():
                return [End(f"Partie arrêtée. Le mot était {self._word}.", self._view())]
        return []  # Joined/Left: whoever is in the room plays; nobody holds a turn

    def _begin(self) -> Sequence[GameAction]:
        self._word = draw_word(self._library.drawable_words(), self._level, self._rng)
        if not self._word:
            return [End("Pas de mot à faire deviner : la liste de mots est vide.")]
        return [
            Say(
                f"Le pendu ({self._level.name}) : un mot de {len(self._word)} lettres, "
                f"{self._level.max_misses} erreurs permises. Proposez une lettre ou le mot ! "
                f"{self._mask()}",
                self._view(),
            ),
            SetTimer("idle", IDLE_MS),
        ]

    def _move(self, nick: str, word: str) -> Sequence[GameAction]:
        if len(word) == 1:
            return self._letter(nick, word)
        if len(word) == len(self._word):
            return self._whole_word(nick, word)
        return []  # chat

    def _letter(self, nick: str, letter: str) -> Sequence[GameAction]:
        if letter in self._proposed:
            return [Say(f"{letter} a déjà été proposée. {self._mask()}", self._view())]
        self._proposed.add(letter)
        if letter not in self._word:
            self._wrong.append(letter)
            return self._miss(f"Pas de {letter}.")
        if all(ch in self._proposed for ch in self._word):
            return self._found(nick, hidden=0)
        count = self._word.count(letter)
        return [
            Say(f"{count} {letter} ! {self._mask()}", self._view()),
            SetTimer("idle", IDLE_MS),
        ]

    def _whole_word(self, nick: str, word: str) -> Sequence[GameAction]:
        if word == self._word:
            hidden = sum(1 for ch in self._word if ch not in self._proposed)
            return self._found(nick, hidden)
        if word not in self._library.words():
            return []  # chat of the right length, not a proposal
        return self._miss(f"{word}, ce n'est pas le mot.")

    def _miss(self, said: str) -> Sequence[GameAction]:
        self._misses += 1
        if self._misses >= self._level.max_misses:
            return [End(f"{said} Pendu ! Le mot était {self._word}.", self._view(reveal=True))]
        left = self._level.max_misses - self._misses
        return [
            Say(f"{said} {self._mask()} ({left} erreurs restantes)", self._view()),
            SetTimer("idle", IDLE_MS),
        ]

    def _found(self, nick: str, hidden: int) -> Sequence[GameAction]:
        points = self._level.points + hidden
        return [
            Award(nick, points),
            End(f"Bravo {nick} : c'était {self._word} ! +{points} points.", self._view(True)),
        ]

    def _mask(self, reveal: bool = False) -> str:
        return " ".join(ch if reveal or ch in self._proposed else "_" for ch in self._word)

    def _view(self, reveal: bool = False) -> dict[str, JsonValue]:
        return {
            "kind": "hangman",
            "mask": self._mask(reveal),
            "misses": self._misses,
            "max_misses": self._level.max_misses,
            "wrong": list(self._wrong),
            "level": self._level.name,
        }


GAME = GameSpec(
    name="pendu",
    title="Le pendu",
    summary="Trouvez le mot lettre par lettre avant d'être pendu (facile, moyen, difficile).",
    kind=GameKind.ROOM,
    create=silent_after_end(Pendu),
    aliases=("hangman",),
)
