"""The game interface: what a game is told and what it may answer (DESIGN.md, rule 9).

A game is a pure state machine. The node hands it typed events (it began, a player wrote a
message in its room, a timer it asked for fired, someone came or went, staff stopped it) and
carries out the typed actions it returns (say something in the room, say something to one
player, ask for a timer, award points, end). A game never does I/O and never reads the clock
or a global random generator: the time comes in every event (`now_ms`), randomness and data
come in its `Setup`. So the same setup and the same events always give the same actions, which
is what lets a unit test replay a whole game, and lets another node rebuild a running game
from its seed and the events it was given after the node running it died.

Where a game sits (DESIGN.md, rule 9; docs/games.md): the node runs it as a participant of its
room. What players type reaches it after the room's pipeline (age bands, automatic moderation,
flood limits) in the order the messages were acknowledged; what it says goes out through the
same pipeline as a person's message, to the web and to IRC alike. `!jeux`, `!stop`, `!score` and
`!top` are the node's, not a game's.

Adding a game is one module under `causerie/games/` that defines a `GameSpec` and is listed in
`causerie/games/catalog.py`; docs/games.md walks through an annotated example.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from random import Random
from typing import Protocol

JsonValue = str | int | float | bool | None | Sequence["JsonValue"] | Mapping[str, "JsonValue"]
"""What a game's structured view may hold: it is sent as JSON to the web client."""


class GameKind(StrEnum):
    ROOM = "room"
    """Played in a room by whoever writes there (quiz, pendu…)."""
    DUEL = "duel"
    """Played by two people in their private conversation, by invitation (morpion…)."""


class Band(StrEnum):
    """Who the game is played by: a teen room's game picks teen-appropriate content."""

    TEEN = "teen"
    ADULT = "adult"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the quiz bank. `answers` are the accepted answers as written (the game
    compares them folded: case, accents and punctuation aside); the first is the one shown."""

    category: str
    text: str
    answers: tuple[str, ...]
    hint: str = ""
    for_teens: bool = True


@dataclass(frozen=True, slots=True)
class Riddle:
    """One item of the blind test without music: something to name (a film, a book, a
    character, a country…) from `clues` given one by one, the hardest first. `answers` as in
    `Question`."""

    category: str
    answers: tuple[str, ...]
    clues: tuple[str, ...]
    for_teens: bool = True


class Library(Protocol):
    """The data games read, loaded once by the node (tests pass small ones)."""

    def words(self) -> frozenset[str]:
        """Every accepted French word, folded to upper case A-Z (no accents, no hyphens)."""
        ...

    def drawable_words(self) -> frozenset[str]:
        """The words a game may draw to be guessed and show in any room, the teen space too
        (4 to 12 letters, headwords rather than inflected forms, nothing crude); a subset of
        `words()`."""
        ...

    def questions(self) -> Sequence[Question]:
        """The quiz bank."""
        ...

    def riddles(self) -> Sequence[Riddle]:
        """The blind test's items (clues revealed one by one)."""
        ...


@dataclass(frozen=True, slots=True)
class Setup:
    """What a game starts from. Everything a game may vary on is here or in its events."""

    place: str
    """The room id (room games) or conversation id (duels) it plays in."""
    band: Band
    rng: Random
    """Seeded by the node and stored with the game, so a replay draws the same."""
    library: Library
    started_by: str
    """The nickname who typed `!name`."""
    options: str = ""
    """What followed `!name` (`!pendu difficile` gives "difficile"); the game reads it."""
    players: tuple[str, ...] = ()
    """A duel's two players, the one who invited first; empty for room games."""


# Events: what the node tells a game. Each carries the time it happened.


@dataclass(frozen=True, slots=True)
class Began:
    """The game was started: its first event, once."""

    now_ms: int


@dataclass(frozen=True, slots=True)
class Said:
    """A player wrote in the game's room (or duel conversation), after the room's checks."""

    nick: str
    text: str
    now_ms: int


@dataclass(frozen=True, slots=True)
class TimerFired:
    """A timer the game asked for with `SetTimer` came due (and was not replaced/cancelled)."""

    key: str
    now_ms: int


@dataclass(frozen=True, slots=True)
class Joined:
    nick: str
    now_ms: int


@dataclass(frozen=True, slots=True)
class Left:
    """A player left the room (or a duel's conversation ended on their side)."""

    nick: str
    now_ms: int


@dataclass(frozen=True, slots=True)
class Stopped:
    """A room operator or staff typed `!stop`: the game's last event. It may say a last word;
    the node ends it whatever it answers."""

    by: str
    now_ms: int


GameEvent = Began | Said | TimerFired | Joined | Left | Stopped


# Actions: what a game asks the node to do, in order.


@dataclass(frozen=True, slots=True)
class Say:
    """A message in the room, from the game. `text` is all an IRC client sees; `view` is the
    structured state the web client draws (a board, a countdown, the hangman), or None."""

    text: str
    view: Mapping[str, JsonValue] | None = None


@dataclass(frozen=True, slots=True)
class Whisper:
    """A message to one player only (a private hint, a duel's own notice)."""

    nick: str
    text: str
    view: Mapping[str, JsonValue] | None = None


@dataclass(frozen=True, slots=True)
class SetTimer:
    """Ask for `TimerFired(key)` in `delay_ms`. A timer of the same key is replaced."""

    key: str
    delay_ms: int


@dataclass(frozen=True, slots=True)
class CancelTimer:
    key: str


@dataclass(frozen=True, slots=True)
class Award:
    """Points to a player, stored in the room's scores (today, week, all time)."""

    nick: str
    points: int


@dataclass(frozen=True, slots=True)
class End:
    """The game is over; `text` is its last word, said in the room (may be empty)."""

    text: str = ""
    view: Mapping[str, JsonValue] | None = None


GameAction = Say | Whisper | SetTimer | CancelTimer | Award | End


class Game(Protocol):
    """A running game. `handle` is called once per event, in order, never concurrently. A game
    module writes a `Play` and gets its `Game` from `ending.silent_after_end`, which keeps it
    silent after its `End`."""

    def handle(self, event: GameEvent) -> Sequence[GameAction]: ...


@dataclass(frozen=True, slots=True)
class GameSpec:
    """A game as the catalogue lists it."""

    name: str
    """The word that starts it: `!quiz`. Lower case ASCII, unique."""
    title: str
    """Its name for people: "Le pendu"."""
    summary: str
    """One line for `!jeux`, in French."""
    kind: GameKind
    create: Callable[[Setup], Game]
    for_teens: bool = True
    """Whether it may run in the teen space (every game here may; a future one might not)."""
    aliases: tuple[str, ...] = field(default=())
