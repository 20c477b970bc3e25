"""Le mot le plus long (Des chiffres et des lettres' letters round).

The game draws ten letters; for `ROUND_MS` players type the longest word they can make with
them, each letter used at most as many times as it was drawn. Each proposal is checked against
the draw and the word list and the player is told privately whether it counts (the room only
learns its length, so nobody copies it). At the end the longest word wins (in a tie, the one
proposed first), and the game shows the longest words the draw allowed.

`!motlepluslong 4` draws 4 vowels and 6 consonants (2 to 8 vowels); otherwise the number of
vowels is drawn too, 3 to 5 as most rounds on television have.

How this works: the letters come from two bags, vowels and consonants, holding each letter as
often as French uses it (the French Scrabble distribution); a draw takes letters out of them
without putting them back, with the injected `rng`. `fits(word, letters)` is the multiset check.
`longest_words(letters, words)` is the solver, run once a round: a regex over the
whole list (joined once per process) keeps the words made only of drawn letters, then a count
check keeps those that use no letter more often than drawn; the longest of those win (a few
hundredths of a second for the shipped list); a teen room is shown a solution from the words
fit for any room (`drawable_words`) only. A player who leaves is out of the running;
the round's timer is also the timeout when nobody plays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from random import Random

from causerie.games.ending import silent_after_end
from causerie.games.interface import (
    Award,
    Band,
    Began,
    End,
    GameAction,
    GameEvent,
    GameKind,
    GameSpec,
    JsonValue,
    Left,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
    Whisper,
)
from causerie.games.proposals import proposed_word

DRAW_SIZE = 10
ROUND_MS = 60_000
VOWEL_RANGE = range(2, 9)
AUTO_VOWELS = (3, 4, 4, 5)
MIN_LETTERS = 2
SHOWN_LONGEST = 3

VOWEL_BAG = "A" * 9 + "E" * 15 + "I" * 8 + "O" * 6 + "U" * 6 + "Y"
CONSONANT_BAG = (
    "BB" + "CC" + "DDD" + "FF" + "GG" + "HH" + "J" + "K" + "LLLLL" + "MMM" + "NNNNNN" + "PP"
    "Q" + "RRRRRR" + "SSSSSS" + "TTTTTT" + "VV" + "W" + "X" + "Z"
)


def draw_letters(rng: Random, vowels: int) -> tuple[str, ...]:
    """`DRAW_SIZE` letters, `vowels` of them from the vowel bag, shuffled."""
    letters = rng.sample(VOWEL_BAG, vowels) + rng.sample(CONSONANT_BAG, DRAW_SIZE - vowels)
    rng.shuffle(letters)
    return tuple(letters)


def fits(word: str, letters: Iterable[str]) -> bool:
    """Whether `word` can be made from `letters`, each used at most as often as it is there."""
    return Counter(word) <= Counter(letters)


@lru_cache(maxsize=2)
def _listing(words: frozenset[str]) -> str:
    """The word list as one text, a word a line, so a regex scans it at C speed. Made once per
    list (a frozenset's hash is cached, so finding it again costs nothing)."""
    return "\n".join(words)


def longest_words(letters: Sequence[str], words: frozenset[str]) -> tuple[str, ...]:
    """Every word of `words` of the greatest length that `letters` make, sorted; () if none."""
    if not letters:
        return ()
    drawn = Counter(letters)
    only_drawn = re.compile(f"^[{''.join(sorted(drawn))}]{{1,{len(letters)}}}$", re.MULTILINE)
    made = [
        word
        for word in only_drawn.findall(_listing(words))
        if all(word.count(letter) <= count for letter, count in drawn.items())
    ]
    best = max(map(len, made), default=0)
    return tuple(sorted(word for word in made if len(word) == best))


@dataclass(frozen=True, slots=True)
class Proposal:
    nick: str
    word: str
    order: int
    """The how-many-th accepted proposal it was: the earlier wins a tie."""


class MotLePlusLong:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._words = setup.library.words()
        self._headwords = setup.library.drawable_words()
        # The solution is the game's own word, shown in the room: a teen room is shown only
        # words fit for any room (a player's own word went through the room's checks).
        self._solvable = self._headwords if setup.band is Band.TEEN else self._words
        option = setup.options.strip()
        chosen = int(option) if option.isdigit() else 0
        self._vowels = chosen if chosen in VOWEL_RANGE else 0
        self._letters: tuple[str, ...] = ()
        self._best: dict[str, Proposal] = {}
        self._accepted = 0
        self._longest: tuple[str, ...] | None = None

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                return self._begin()
            case Said(nick=nick, text=text):
                return self._propose(nick, proposed_word(text))
            case TimerFired(key="round"):
                return self._result()
            case Left(nick=nick) if nick in self._best:
                del self._best[nick]
                return [Say(f"{nick} est parti : sa proposition ne compte plus.")]
            case Stopped():
                return [End(f"Partie arrêtée. {self._longest_text()}", self._view(True))]
        return []

    def _begin(self) -> Sequence[GameAction]:
        if not self._words:
            return [End("Pas de partie : la liste de mots est vide.")]
        vowels = self._vowels or self._rng.choice(AUTO_VOWELS)
        self._letters = draw_letters(self._rng, vowels)
        return [
            Say(
                f"Le mot le plus long : {' '.join(self._letters)} — "
                f"{ROUND_MS // 1000} secondes pour trouver le mot le plus long !",
                self._view(),
            ),
            SetTimer("round", ROUND_MS),
        ]

    def _propose(self, nick: str, word: str) -> Sequence[GameAction]:
        if len(word) < MIN_LETTERS:
            return []  # chat
        if not fits(word, self._letters):
            return [Whisper(nick, f"{word} : ces lettres ne sont pas toutes dans le tirage.")]
        if word not in self._words:
            return [Whisper(nick, f"{word} n'est pas dans le dictionnaire.")]
        previous = self._best.get(nick)
        if previous is not None and len(previous.word) >= len(word):
            return [Whisper(nick, f"{word} accepté, mais {previous.word} est plus long.")]
        self._accepted += 1
        self._best[nick] = Proposal(nick, word, self._accepted)
        return [
            Whisper(nick, f"{word} accepté ({len(word)} lettres)."),
            Say(f"{nick} propose un mot de {len(word)} lettres.", self._view()),
        ]

    def _ranking(self) -> list[Proposal]:
        return sorted(self._best.values(), key=lambda p: (-len(p.word), p.order))

    def _result(self) -> Sequence[GameAction]:
        ranking = self._ranking()
        if not ranking:
            text = f"Temps écoulé, personne n'a proposé de mot. {self._longest_text()}"
            return [End(text, self._view(True))]
        winner = ranking[0]
        points = len(winner.word) * (2 if len(winner.word) == DRAW_SIZE else 1)
        others = ", ".join(f"{p.nick} {p.word} ({len(p.word)})" for p in ranking[1:])
        text = f"{winner.nick} gagne avec {winner.word} ({len(winner.word)} lettres), +{points}."
        if others:
            text += f" Ensuite : {others}."
        return [Award(winner.nick, points), End(f"{text} {self._longest_text()}", self._view(True))]

    def _solution(self) -> tuple[str, ...]:
        if self._longest is None:  # solved once, when the round ends
            longest = longest_words(self._letters, self._solvable)
            # Shown first: headwords ("deraté") before inflected forms ("déféras").
            self._longest = tuple(sorted(longest, key=lambda w: (w not in self._headwords, w)))
        return self._longest

    def _longest_text(self) -> str:
        longest = self._solution()
        if not longest:
            return "Aucun mot n'était possible avec ce tirage."
        shown = ", ".join(longest[:SHOWN_LONGEST])
        return f"Le plus long possible : {shown} ({len(longest[0])} lettres)."

    def _view(self, is_over: bool = False) -> dict[str, JsonValue]:
        view: dict[str, JsonValue] = {
            "kind": "letters",
            "letters": list(self._letters),
            "round_ms": ROUND_MS,
            "proposals": [{"nick": p.nick, "length": len(p.word)} for p in self._ranking()],
        }
        if is_over:
            view["proposals"] = [
                {"nick": p.nick, "length": len(p.word), "word": p.word} for p in self._ranking()
            ]
            view["longest"] = list(self._solution()[:SHOWN_LONGEST])
        return view


GAME = GameSpec(
    name="motlepluslong",
    title="Le mot le plus long",
    summary="Dix lettres tirées : trouvez le mot le plus long avant la fin du temps.",
    kind=GameKind.ROOM,
    create=silent_after_end(MotLePlusLong),
    aliases=("lettres",),
)
