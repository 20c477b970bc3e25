"""The `Store` port the node writes through, and the records it keeps besides messages.

Implementations: `SqlStore` (SQLAlchemy, SQLite or PostgreSQL). Every method may raise
`StoreUnavailable` when the database cannot be reached; callers refuse new messages then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from causerie.core.events import Record
from causerie.core.messages import Message
from causerie.core.policy.bans import Ban
from causerie.core.rooms import Room


class StoreUnavailable(Exception):
    """The database did not answer; nothing was written."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a message came from: kept for the legal retention period, never shown."""

    address: str
    port: int


@dataclass(frozen=True, slots=True)
class ConnectionRecord:
    """One connection, as French law asks hosts to keep it (LCEN art. 6)."""

    session: str
    nick: str
    gender: str
    age: int
    postcode: str
    dept: str
    address: str
    port: int
    device: str
    user_agent: str
    protocol: str
    connected_at_ms: int


class Store(Protocol):
    async def migrate(self) -> None:
        """Bring the schema to the latest version."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise `StoreUnavailable` unless the database answers."""

    async def seed_rooms(self, rooms: Sequence[Room], now_ms: int) -> int:
        """Insert the rooms that do not exist yet; returns how many were added."""

    async def load_rooms(self) -> list[Room]: ...

    async def save(self, items: Sequence[tuple[Record, Origin]]) -> None:
        """Store messages in one transaction: all or none."""

    async def recent_messages(self, room: str, limit: int) -> list[Message]:
        """The newest `limit` messages of a room, oldest first."""

    async def history(
        self, room: str, before: int | None, limit: int
    ) -> tuple[list[Message], bool]:
        """Messages older than `before` (newest when None), oldest first, and whether more
        remain."""

    async def since(self, room: str, after: int, limit: int) -> tuple[list[Message], bool]:
        """Messages newer than `after`, oldest first, at most `limit`, and whether more remain
        (what a reconnecting client missed)."""

    async def max_message_id(self) -> int: ...

    async def open_connection(self, record: ConnectionRecord) -> None: ...

    async def connection(self, session: str) -> ConnectionRecord | None: ...

    async def last_connection_of(self, nick: str) -> ConnectionRecord | None: ...

    async def add_ban(self, ban: Ban) -> Ban:
        """Store a ban; returns it with its id."""

    async def bans_after(self, after_id: int, now_ms: int) -> list[Ban]:
        """Bans with an id above `after_id` that are in force now, oldest first."""

    async def close_connection(self, session: str, at_ms: int) -> None: ...
