"""One running game as the node holds it: the game, the events handed to it, its timers.
Pure: no I/O, the time comes with each event.

How this works: the node appends each event to the run's stored log *before* handing it here
(`hand`), so the log is always at least as long as what the game has seen. A node taking a game
over makes the same game from the run's spec and seed and `replay`s the log: the game goes
through the same states, its actions are dropped (nothing is said twice) except what the node
must keep — the timers still pending (re-armed for what is left of them), whether it ended, and
its awards, which the store keys by (run, event sequence, index) so storing them again changes
nothing. Nothing said is said again: an event the dead node appended but had no time to act on
loses its words (a rarer harm than a question asked twice), never its points.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from causerie.games.interface import (
    Award,
    Began,
    CancelTimer,
    End,
    Game,
    GameAction,
    GameEvent,
    GameSpec,
    Joined,
    Left,
    Said,
    SetTimer,
    Stopped,
    TimerFired,
)


@dataclass(frozen=True, slots=True)
class Handed:
    """An event's actions, with the sequence number the log stored the event at."""

    seq: int
    actions: Sequence[GameAction]


@dataclass
class Table:
    """A game and what the node keeps of it. `seq` is the number of events handed so far (the
    next event's sequence); `timers` the due time of each pending timer, by key."""

    run_id: str
    place: str
    spec: GameSpec
    game: Game
    seq: int = 0
    timers: dict[str, int] = field(default_factory=dict)
    is_over: bool = False
    players: tuple[str, ...] = ()  # a duel's two players (its words go to them privately)
    started_by: str = ""  # who typed `!<game>` (they may `!stop` it)

    def other(self, nick: str) -> str | None:
        """A duel's other player (None in a room game)."""
        others = [p for p in self.players if p != nick]
        return others[0] if len(self.players) == 2 and others else None

    def hand(self, event: GameEvent) -> Handed:
        """The game's actions for the next event (already appended to the log at `seq`)."""
        seq = self.seq
        self.seq += 1
        if isinstance(event, TimerFired):
            self.timers.pop(event.key, None)
        actions = list(self.game.handle(event)) if not self.is_over else []
        if isinstance(event, Stopped) and not any(isinstance(a, End) for a in actions):
            actions.append(End())  # a stop always ends, whatever the game answered
        now_ms = event.now_ms
        for action in actions:
            if isinstance(action, SetTimer):
                self.timers[action.key] = now_ms + max(0, action.delay_ms)
            elif isinstance(action, CancelTimer):
                self.timers.pop(action.key, None)
            elif isinstance(action, End):
                self.is_over = True
                self.timers.clear()
        return Handed(seq, actions)

    def replay(self, events: Sequence[GameEvent]) -> list[Handed]:
        """The log handed again, actions suppressed: the events whose actions award points
        (to store again, idempotently); timers and the end are kept by `hand`."""
        awarding: list[Handed] = []
        for event in events:
            handed = self.hand(event)
            if any(isinstance(a, Award) for a in handed.actions):
                awarding.append(handed)
        return awarding

    def due(self, now_ms: int) -> list[tuple[str, int]]:
        """Pending timers and the milliseconds left for each (0 when overdue)."""
        return [(key, max(0, at - now_ms)) for key, at in sorted(self.timers.items())]


def event_text(event: GameEvent) -> str:
    """An event as the log stores it (JSON)."""
    match event:
        case Began(now_ms=now_ms):
            body: dict[str, object] = {"e": "began", "t": now_ms}
        case Said(nick=nick, text=text, now_ms=now_ms):
            body = {"e": "said", "nick": nick, "text": text, "t": now_ms}
        case TimerFired(key=key, now_ms=now_ms):
            body = {"e": "timer", "key": key, "t": now_ms}
        case Joined(nick=nick, now_ms=now_ms):
            body = {"e": "joined", "nick": nick, "t": now_ms}
        case Left(nick=nick, now_ms=now_ms):
            body = {"e": "left", "nick": nick, "t": now_ms}
        case Stopped(by=by, now_ms=now_ms):
            body = {"e": "stopped", "by": by, "t": now_ms}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def event_of(text: str) -> GameEvent:
    """An event back from the log.

    Raises:
        ValueError: not an event this node wrote.
    """
    body = json.loads(text)
    if not isinstance(body, dict):
        raise ValueError("not an event")
    now_ms = int(body["t"])
    match body.get("e"):
        case "began":
            return Began(now_ms)
        case "said":
            return Said(str(body["nick"]), str(body["text"]), now_ms)
        case "timer":
            return TimerFired(str(body["key"]), now_ms)
        case "joined":
            return Joined(str(body["nick"]), now_ms)
        case "left":
            return Left(str(body["nick"]), now_ms)
        case "stopped":
            return Stopped(str(body["by"]), now_ms)
    raise ValueError(f"unknown event {body.get('e')!r}")
