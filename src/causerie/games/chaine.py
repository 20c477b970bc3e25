"""La chaîne de mots: each word begins with the last letter of the one before.

The game gives a first word; players type words beginning with its last letter ("maisoN" ->
"nuage" -> "escargot"…). A word counts if it is in the word list, has at least
`MIN_LETTERS` letters and was not said before in this game; it scores its finder a point (two
for a long word) and becomes the one to follow. The chain ends when nobody finds a word for a
turn (`!chaine 20` sets the turn in seconds, 30 by default), or after `GAME_MS` in all, with
the tally.

How this works: one state (the last word, the words used, each player's count); a valid word
re-arms the `turn` timer, `TimerFired("turn")` or `TimerFired("game")` ends. A line that is one
word starting with the wanted letter is a proposal and is answered (counted, unknown, already
said); anything else is chat. Events come in the order the room acknowledged them: in a flood,
the first valid word takes the turn, and the next ones must follow *it*.
"""

from __future__ import annotations

from collections.abc import Sequence

from causerie.games.ending import silent_after_end
from causerie.games.interface import (
    Award,
    Began,
    CancelTimer,
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

MIN_LETTERS = 3
LONG_WORD = 8
"""A word this long or longer scores two points."""
TURN_MS = 30_000
TURN_RANGE_S = range(10, 121)
GAME_MS = 300_000
RECENT = 5
FIRST_LENGTHS = range(5, 9)


class Chaine:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._library = setup.library
        option = setup.options.strip()
        seconds = int(option) if option.isdigit() else 0
        self._turn_ms = seconds * 1000 if seconds in TURN_RANGE_S else TURN_MS
        self._chain: list[str] = []
        self._used: set[str] = set()
        self._counts: dict[str, int] = {}

    @property
    def _letter(self) -> str:
        return self._chain[-1][-1]

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                return self._begin()
            case Said(nick=nick, text=text):
                return self._propose(nick, proposed_word(text))
            case TimerFired(key="turn"):
                return [self._end(f"Personne n'a trouvé de mot en {self._letter} à temps.")]
            case TimerFired(key="game"):
                return [CancelTimer("turn"), self._end("Temps écoulé !")]
            case Stopped():
                return [self._end("Partie arrêtée.")]
        return []  # Joined/Left: nobody holds a turn; a player's words stay in the chain

    def _begin(self) -> Sequence[GameAction]:
        pool = sorted(w for w in self._library.drawable_words() if len(w) in FIRST_LENGTHS)
        if not pool:
            return [End("Pas de mot pour commencer : la liste de mots est vide.")]
        first = self._rng.choice(pool)
        self._chain.append(first)
        self._used.add(first)
        return [
            Say(
                f"La chaîne de mots : chaque mot commence par la dernière lettre du précédent "
                f"({self._turn_ms // 1000} s par mot). Premier mot : {first}. "
                f"À vous, en {self._letter} !",
                self._view(),
            ),
            SetTimer("turn", self._turn_ms),
            SetTimer("game", GAME_MS),
        ]

    def _propose(self, nick: str, word: str) -> Sequence[GameAction]:
        if len(word) < MIN_LETTERS or word[0] != self._letter:
            return []  # chat
        if word in self._used:
            return [Say(f"{word} a déjà été dit. Toujours en {self._letter} !")]
        if word not in self._library.words():
            return [Say(f"{word} n'est pas dans le dictionnaire. Toujours en {self._letter} !")]
        points = 2 if len(word) >= LONG_WORD else 1
        self._chain.append(word)
        self._used.add(word)
        self._counts[nick] = self._counts.get(nick, 0) + 1
        return [
            Award(nick, points),
            Say(f"{nick} : {word} (+{points}). Au suivant, en {self._letter} !", self._view()),
            SetTimer("turn", self._turn_ms),
        ]

    def _end(self, why: str) -> End:
        words = len(self._chain) - 1
        ranking = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        tally = ", ".join(f"{nick} {count}" for nick, count in ranking)
        said = f"{why} Fin de la chaîne : {words} mot{'s' if words > 1 else ''}"
        return End(f"{said} ({tally})." if tally else f"{said}.", self._view())

    def _view(self) -> dict[str, JsonValue]:
        return {
            "kind": "chain",
            "last": self._chain[-1],
            "letter": self._letter,
            "count": len(self._chain) - 1,
            "recent": list(self._chain[-RECENT:]),
            "turn_ms": self._turn_ms,
        }


GAME = GameSpec(
    name="chaine",
    title="La chaîne de mots",
    summary="Chaque mot commence par la dernière lettre du précédent. Un point par mot.",
    kind=GameKind.ROOM,
    create=silent_after_end(Chaine),
)
