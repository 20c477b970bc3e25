"""The `Store` port the node writes through, and the records it keeps besides messages.

Implementations: `SqlStore` (SQLAlchemy, SQLite or PostgreSQL). Every method may raise
`StoreUnavailable` when the database cannot be reached; callers refuse new messages then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from causerie.core.events import Record
from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.adult_signals import Sighting
from causerie.core.policy.bans import Ban, BanScope
from causerie.core.rooms import Room
from causerie.media.records import MediaRecord, MediaState
from causerie.safety.audit import AuditEntry
from causerie.safety.reports import Report
from causerie.safety.staff import StaffAccount

if TYPE_CHECKING:
    from causerie.retention.policy import Hold, Kind, MediaFiles, Protected
    from causerie.store.archive import Scope


def token_digest(token: str) -> str:
    """What the store keeps of a bearer token: enough to check one, useless if leaked."""
    return hashlib.sha256(token.encode()).hexdigest()


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
    token_sha256: str | None = None  # the session's HTTP bearer, hashed
    person: str | None = None  # the first session of its chain of resumes (itself if none)
    resume_sha256: str | None = None  # its single-use resume secret, hashed
    resume_until_ms: int | None = None  # until when that secret may be used


@dataclass(frozen=True, slots=True)
class StoredRoom:
    """A room as stored: its settings, its moderators' restrictions, whether it is archived."""

    room: Room
    slow_mode_s: float
    locked: bool
    archived_at_ms: int | None
    updated_at_ms: int
    created_at_ms: int = 0
    empty_since_ms: int | None = None  # a member room nobody is in, since then


class ModerationStore(Protocol):
    """Staff, the audit log, reports and statements (implemented by store/moderation.py)."""

    async def add_staff(self, account: StaffAccount, now_ms: int) -> None: ...

    async def staff_account(self, name: str) -> StaffAccount | None: ...

    async def use_totp_step(self, name: str, step: int) -> bool:
        """Record the TOTP step a login used unless it (or a later one) was used already."""

    async def staff_names(self) -> list[str]: ...

    async def add_trusted_flagger(
        self, key: str, nick: str, added_by: str, now_ms: int
    ) -> None: ...

    async def remove_trusted_flagger(self, key: str) -> bool: ...

    async def trusted_flaggers(self) -> dict[str, str]: ...

    async def append_audit(self, **fields: Any) -> AuditEntry: ...

    async def audit_rows(self) -> list[dict[str, Any]]: ...

    async def add_report(self, report: Report) -> Report: ...

    async def report(self, report_id: int) -> Report | None: ...

    async def update_report(self, report_id: int, **fields: Any) -> Report | None: ...

    async def open_reports(self, limit: int = 500) -> list[Report]: ...

    async def reports_about(self, session: str, since_ms: int) -> list[Report]: ...

    async def preserved_message_ids(self) -> set[int]: ...

    async def add_statement(self, **values: Any) -> None: ...

    async def statement(self, statement_id: str) -> dict[str, Any] | None: ...

    async def update_statement(self, statement_id: str, **values: Any) -> None: ...

    async def statements_about(self, session: str) -> list[dict[str, Any]]: ...

    async def statements_about_nick(self, nick: str, since_ms: int) -> list[dict[str, Any]]: ...

    async def dismissed_reports_by(self, nick: str, since_ms: int) -> int: ...

    async def find_message(self, message_id: int) -> Message | DirectMessage | None: ...

    async def context_of(
        self, message: Message | DirectMessage, around: int = 10
    ) -> list[Message | DirectMessage]: ...

    async def recent_of(self, session: str, limit: int = 20) -> list[Message]: ...


class PictureStore(Protocol):
    """Picture uploads and who may see them (implemented by store/media.py)."""

    async def add_media(self, record: MediaRecord) -> None: ...

    async def media(self, media_id: str) -> MediaRecord | None: ...

    async def mark_media_posted(
        self, media_id: str, message_id: int, room_id: str | None, recipient_session: str | None
    ) -> None: ...

    async def set_media_state(self, media_id: str, state: MediaState) -> None: ...

    async def media_rooms(self, media_id: str) -> set[str]: ...

    async def media_conversations(self, media_id: str) -> set[str]: ...

    async def media_of_message(self, message_id: int) -> str | None: ...

    async def is_media_blocklisted(self, sha256s: Iterable[str]) -> bool: ...

    async def blocklist_media(
        self, sha256s: Iterable[str], media_id: str | None, reason: str, actor: str, now_ms: int
    ) -> None: ...

    async def set_room_pictures(self, room: str, pictures: bool) -> bool: ...


class SignalStore(Protocol):
    """What the signals that a "teen" may be an adult read (implemented by store/signals.py)."""

    async def profiles_from_address(
        self, address: str, since_ms: int, limit: int = 500
    ) -> list[Sighting]: ...

    async def child_safety_about(
        self, session: str | None, nick: str, since_ms: int, limit: int = 50
    ) -> list[Report]: ...

    async def band_decisions_ms(self, device: str) -> list[int]: ...


class Store(ModerationStore, PictureStore, SignalStore, Protocol):
    async def set_room_games(self, room_id: str, games: Iterable[str]) -> None:
        """The games a room allows (store/games.py)."""
        ...

    async def room_games(self, room_id: str) -> tuple[str, ...]: ...

    async def purge_scores(self, before_ms: int) -> int:
        """Game points awarded before this instant (store/games.py)."""
        ...

    async def migrate(self) -> None:
        """Bring the schema to the latest version."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise `StoreUnavailable` unless the database answers."""

    # -- rooms (store/rooms.py) ---------------------------------------------------------------

    async def seed_rooms(self, rooms: Sequence[Room], now_ms: int) -> int:
        """Store `rooms` if the table is empty (a new installation); returns how many."""

    async def load_rooms(self) -> list[Room]:
        """The rooms not archived, in their listed order."""

    async def stored_rooms(self) -> list[StoredRoom]: ...

    async def stored_room(self, room_id: str) -> StoredRoom | None: ...

    async def rooms_fingerprint(self) -> tuple[int, int]:
        """Changes whenever any room does (a node then reads the rooms again)."""

    async def add_room(self, room: Room, slow_mode_s: float, now_ms: int) -> bool:
        """False when the id is taken (archived rooms included)."""

    async def update_room(self, room: Room, slow_mode_s: float, now_ms: int) -> bool:
        """False for no such room or an archived one."""

    async def archive_room(self, room_id: str, now_ms: int) -> bool:
        """False for no such room or one archived already."""

    async def set_room_restrictions(self, room: str, locked: bool, slow_mode_s: float) -> None: ...

    async def set_room_empty_since(self, room_id: str, since_ms: int | None) -> None:
        """Since when a member room has had nobody in it (None: someone is in it again);
        nodes do not read the rooms again for it."""

    async def room_restrictions(self) -> dict[str, tuple[bool, float]]: ...

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

    async def mark_deleted(self, message_id: int, at_ms: int) -> None: ...

    async def visible_message(self, message_id: int) -> Message | DirectMessage | None:
        """A room or private message nobody deleted; None otherwise."""
        ...

    async def max_message_id(self) -> int: ...

    async def open_connection(self, record: ConnectionRecord) -> None: ...

    async def open_connections(self, records: Sequence[ConnectionRecord]) -> None:
        """Several connection records in one transaction (the node's group commit)."""
        ...

    async def connection(self, session: str) -> ConnectionRecord | None: ...

    async def connection_by_token(self, token_sha256: str) -> ConnectionRecord | None:
        """The open connection whose HTTP bearer hashes to `token_sha256`."""

    async def last_connection_of(self, nick: str) -> ConnectionRecord | None: ...

    async def declared_ages(self, device: str, since_ms: int) -> list[int]: ...

    async def add_ban(self, ban: Ban) -> Ban:
        """Store a ban; returns it with its id."""

    async def lift_bans(
        self, nick: str, now_ms: int, scope: BanScope | None = None
    ) -> list[Ban]: ...

    async def bans_after(self, after_id: int, now_ms: int) -> list[Ban]:
        """Bans with an id above `after_id` that are in force now, oldest first."""

    async def close_connection(self, session: str, at_ms: int) -> None: ...

    async def close_connections(self, departures: Sequence[tuple[str, int]]) -> None:
        """Several `(session, at_ms)` ends of connection in one transaction."""
        ...

    # -- retention, lawful requests, transparency (store/retention.py, store/archive.py) ------

    async def add_hold(self, hold: Hold) -> bool: ...

    async def release_hold(self, reference: str, by: str, now_ms: int) -> Hold | None: ...

    async def holds(self, *, active_only: bool = True) -> list[Hold]: ...

    async def protected(self) -> Protected: ...

    async def count_due(
        self, kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected
    ) -> int: ...

    async def purge_batch(
        self, kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected, limit: int
    ) -> tuple[int, MediaFiles]: ...

    async def export_rows(self, scope: Scope) -> dict[str, list[dict[str, Any]]]: ...

    async def session_rows(self, session: str) -> dict[str, Any]: ...

    async def transparency_rows(
        self, from_ms: int, to_ms: int
    ) -> dict[str, list[dict[str, Any]]]: ...
