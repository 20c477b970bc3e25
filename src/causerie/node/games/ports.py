"""What the games' runner is given (runner.py): small protocols a unit test fakes in a few
lines."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Protocol

from causerie.core.events import Event
from causerie.core.messages import GameLine, Message
from causerie.core.rooms import Room
from causerie.core.users import PublicUser
from causerie.node.connections import Connection
from causerie.safety.audit import AuditEntry
from causerie.store.base import Origin
from causerie.store.games import StoredAward, StoredRun
from causerie.wire.commands import RequestId


class GameHub(Protocol):
    def room(self, room_id: str) -> Room | None: ...

    def rooms_of(self, session_id: str) -> set[str]: ...

    def post_as(
        self, room_id: str, sender: PublicUser, text: str, now_ms: int, game: GameLine
    ) -> Message: ...


class RoomPublisher(Protocol):
    async def to_room(self, room: str, event: Event) -> None: ...

    async def to_session(self, session: str, event: Event) -> None: ...


class GameStore(Protocol):
    async def room_games(self, room_id: str) -> tuple[str, ...]: ...

    async def set_room_games(self, room_id: str, games: Iterable[str]) -> None: ...

    async def append_audit(self, **fields: Any) -> AuditEntry:
        """A member room's owner choosing its games is audited (offer.py)."""

    async def start_run(self, run: StoredRun) -> None: ...

    async def end_run(self, run_id: str, now_ms: int) -> None: ...

    async def open_runs(self) -> list[StoredRun]: ...

    async def run_events(self, run_id: str) -> list[str]: ...

    async def append_events(self, run_id: str, seq: int, events: Sequence[str]) -> None: ...

    async def award(self, awards: Sequence[StoredAward]) -> None: ...

    async def top_scores(self, place: str, since_ms: int, limit: int) -> list[tuple[str, int]]: ...

    async def score_of(self, place: str, nick_key: str, since_ms: int) -> int: ...


class ClusterOrders(Protocol):
    """What the runner tells every node (node/publisher.py)."""

    async def stop_game(self, room: str, nick: str) -> None:
        """Stop the game of `room` if you run it (`nick` may stop it)."""

    async def rooms_changed(self) -> None:
        """Read the rooms again (a room's games changed)."""


class Replying(Protocol):
    def send(self, connection: Connection, request_id: RequestId, events: Sequence[Event]) -> None:
        """The events to the requester."""


FindPerson = Callable[[str], Awaitable[tuple[str, PublicUser] | None]]
Submit = Callable[[list[tuple[Message, Origin]]], object]
