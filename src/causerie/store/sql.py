"""`SqlStore`: the `Store` port on SQLAlchemy's async engine, for SQLite and PostgreSQL.

SQLite runs in WAL mode with `synchronous=NORMAL`: a committed transaction survives a crash of
the process (kill -9), which is what an acknowledgement promises; a power cut may lose the last
few, which the docs say. Writes come in batches from the group-commit writer, one transaction
per batch.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Select,
    Table,
    bindparam,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from causerie.core.events import Record
from causerie.core.messages import DirectMessage, Message, Quote
from causerie.core.policy.bans import Ban, BanScope
from causerie.core.users import PublicUser
from causerie.store import schema
from causerie.store.archive import ArchiveQueries
from causerie.store.base import ConnectionRecord, Origin, StoreUnavailable
from causerie.store.continuity import ContinuityQueries
from causerie.store.games import GameQueries
from causerie.store.media import MediaQueries
from causerie.store.moderation import ModerationQueries
from causerie.store.retention import RetentionQueries
from causerie.store.rooms import RoomQueries
from causerie.store.rows import direct_message, quotes_of, room_message
from causerie.store.signals import SignalQueries

# sqlite3's own errors come from the statements `_insert_many` gives the driver directly.
# Bound parameters one SQLite statement may hold (its default since 3.32; 999 before).
SQLITE_MAX_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
_UNREACHABLE = (OperationalError, DBAPIError, sqlite3.Error, OSError, ConnectionError)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=5000",
        "foreign_keys=ON",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _run_migrations(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(files("causerie.store") / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _profile_values(user: PublicUser, session: str, prefix: str) -> dict[str, Any]:
    return {
        f"{prefix}_session": session,
        f"{prefix}_nick": user.nick,
        f"{prefix}_gender": user.gender.value,
        f"{prefix}_age": user.age,
        f"{prefix}_dept": user.dept,
        f"{prefix}_region": user.region,
    }


def _async_url(url: str) -> str:
    """Accept the plain URLs operators write and pick the async driver."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def _connection_record(row: Any) -> ConnectionRecord:
    return ConnectionRecord(
        row["session"],
        row["nick"],
        row["gender"],
        row["age"],
        row["postcode"],
        row["dept"],
        row["address"],
        row["port"],
        row["device"],
        row["user_agent"],
        row["protocol"],
        row["connected_at_ms"],
        row["token_sha256"],
        row["person"],
        row["resume_sha256"],
    )


def _with_media(table: Table) -> Select[Any]:
    """Messages with the size of the picture each carries (for the client's layout)."""
    media = schema.media
    return select(
        table, media.c.width.label("media_width"), media.c.height.label("media_height")
    ).select_from(table.outerjoin(media, media.c.id == table.c.media_id))


async def _quotes(connection: AsyncConnection, rows: list[Any]) -> dict[int, Quote]:
    """What the replies among `rows` show of the room messages they answer (one query, none
    when no row is a reply)."""
    ids = {row["reply_to"] for row in rows if row["reply_to"] is not None}
    if not ids:
        return {}
    table = schema.messages
    found = await connection.execute(select(table).where(table.c.id.in_(ids)))
    return quotes_of(found.mappings())


def _ban(row: Any) -> Ban:
    return Ban(
        row["id"],
        BanScope(row["scope"]),
        row["room_id"],
        row["nick"],
        row["session"],
        row["device"],
        row["address"],
        row["reason"],
        row["actor"],
        row["created_at_ms"],
        row["expires_at_ms"],
        row["lifted_at_ms"],
    )


class SqlStore(
    RoomQueries,
    MediaQueries,
    ModerationQueries,
    RetentionQueries,
    ArchiveQueries,
    SignalQueries,
    ContinuityQueries,
    GameQueries,
):
    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False) -> None:
        """Args:
        url: SQLAlchemy async URL (`sqlite+aiosqlite:///…`, `postgresql+asyncpg://…`).
        schema: PostgreSQL schema to work in (its `search_path`); tests use one each.
        """
        self.url = _async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self.audit_turn = asyncio.Lock()
        connect_args: dict[str, Any] = {}
        if self.is_sqlite:
            database = self.url.split("///", 1)[-1]
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        elif schema:
            connect_args["server_settings"] = {"search_path": schema}
        self.schema = schema
        # Through aiosqlite each call is a round trip to its thread that waits for a turn of
        # the busy event loop; a transaction took nine. A SQLite file cannot drop its
        # connection, so no ping before use; and every use ends its transaction (`begin`
        # commits, `connect` rolls back on close), so no second rollback on return. Four now,
        # and two for the batched inserts of group commit (`_insert_many`).
        # A PostgreSQL connection can drop: pinged as before.
        sqlite_pool: dict[str, Any] = {"pool_reset_on_return": None} if self.is_sqlite else {}
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            echo=echo,
            pool_pre_ping=not self.is_sqlite,
            connect_args=connect_args,
            **sqlite_pool,
        )
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._inserts: dict[tuple[str, tuple[str, ...]], tuple[str, str, list[str]]] = {}

    async def migrate(self) -> None:
        try:
            async with self.engine.begin() as connection:
                if self.schema and not self.is_sqlite:
                    quoted = self.schema.replace('"', '""')
                    await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{quoted}"'))
                await connection.run_sync(_run_migrations)
        except _UNREACHABLE as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(select(1))
        except _UNREACHABLE as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def save(self, items: Sequence[tuple[Record, Origin]]) -> None:
        room_rows: list[dict[str, Any]] = []
        dm_rows: list[dict[str, Any]] = []
        for record, origin in items:
            common = {
                "id": record.id,
                "reply_to": record.reply_to.id if record.reply_to is not None else None,
                "text": record.text,
                "created_at_ms": record.ts_ms,
                "source_address": origin.address,
                "source_port": origin.port,
                "media_id": record.media.id if record.media is not None else None,
                **_profile_values(record.sender, record.sender_session, "sender"),
            }
            if isinstance(record, DirectMessage):
                dm_rows.append(
                    {
                        **common,
                        **_profile_values(record.recipient, record.recipient_session, "recipient"),
                    }
                )
            else:
                room_rows.append({**common, "room_id": record.room})
        try:
            await self._insert_many((schema.messages, room_rows), (schema.direct_messages, dm_rows))
        except _UNREACHABLE as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def _insert_many(self, *batches: tuple[Table, list[dict[str, Any]]]) -> None:
        """Rows into their tables, in one transaction.

        On SQLite the statements go straight to aiosqlite: each call is a round trip to its
        thread that waits for a turn of the event loop, and SQLAlchemy's adapter makes four
        for one insert (cursor, executemany, close, commit) where the driver needs two. Every
        group commit (messages, connection records) waits on this.

        The rows go in as one multi-row INSERT, not `executemany`: sqlite3 lets go of the GIL
        for each statement it steps, and while the event loop is busy every step then waits
        up to a switch interval (5 ms) to get it back. A thousand rows took 150–470 ms that
        way beside a busy loop, and 18–38 ms as one statement (`bench/convoy.py`).
        """
        batches = tuple((table, rows) for table, rows in batches if rows)
        if not self.is_sqlite:
            async with self.engine.begin() as connection:
                for table, rows in batches:
                    await connection.execute(insert(table), rows)
            return
        async with self.engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            try:
                for table, rows in batches:
                    head, group, order = self._insert_sql(table, tuple(rows[0]))
                    per_statement = max(1, SQLITE_MAX_VARIABLES // len(order))
                    for first in range(0, len(rows), per_statement):
                        chunk = rows[first : first + per_statement]
                        await driver.execute(
                            head + ", ".join([group] * len(chunk)),
                            [row[column] for row in chunk for column in order],
                        )
                await driver.commit()
            except BaseException:
                await driver.rollback()  # the pool does not roll back on return (see __init__)
                raise

    def _insert_sql(self, table: Table, columns: tuple[str, ...]) -> tuple[str, str, list[str]]:
        """The INSERT for these columns in the driver's own terms, compiled once: the part up
        to `VALUES `, one row's `(?, …)`, and the order of the columns in it."""
        key = (table.name, columns)
        known = self._inserts.get(key)
        if known is None:
            compiled = insert(table).compile(dialect=self.engine.dialect, column_keys=columns)
            head, group = str(compiled).rsplit(" VALUES ", 1)
            order = list(compiled.positiontup or columns)
            known = self._inserts[key] = (head + " VALUES ", group, order)
        return known

    async def recent_messages(self, room: str, limit: int) -> list[Message]:
        messages, _more = await self.history(room, None, limit)
        return messages

    async def history(
        self, room: str, before: int | None, limit: int
    ) -> tuple[list[Message], bool]:
        table = schema.messages
        query = _with_media(table).where(table.c.room_id == room, table.c.deleted_at_ms.is_(None))
        if before is not None:
            query = query.where(table.c.id < before)
        query = query.order_by(table.c.id.desc()).limit(limit + 1)
        async with self.engine.connect() as connection:
            rows = list((await connection.execute(query)).mappings())
            quotes = await _quotes(connection, rows)
        more = len(rows) > limit
        return [room_message(row, quotes) for row in reversed(rows[:limit])], more

    async def since(self, room: str, after: int, limit: int) -> tuple[list[Message], bool]:
        table = schema.messages
        query = (
            _with_media(table)
            .where(table.c.room_id == room, table.c.id > after, table.c.deleted_at_ms.is_(None))
            .order_by(table.c.id)
            .limit(limit + 1)
        )
        async with self.engine.connect() as connection:
            rows = list((await connection.execute(query)).mappings())
            quotes = await _quotes(connection, rows)
        return [room_message(row, quotes) for row in rows[:limit]], len(rows) > limit

    async def mark_deleted(self, message_id: int, at_ms: int) -> None:
        """Hide a room or private message for good; reports still read it (`find_message`)."""
        async with self.engine.begin() as connection:
            for table in (schema.messages, schema.direct_messages):
                done = await connection.execute(
                    update(table).where(table.c.id == message_id).values(deleted_at_ms=at_ms)
                )
                if done.rowcount:
                    return

    async def visible_message(self, message_id: int) -> Message | DirectMessage | None:
        """A room or private message nobody deleted (what a reply may quote, or its author
        delete), None otherwise."""
        async with self.engine.connect() as connection:
            for table, build in (
                (schema.messages, room_message),
                (schema.direct_messages, direct_message),
            ):
                query = select(table).where(
                    table.c.id == message_id, table.c.deleted_at_ms.is_(None)
                )
                row = (await connection.execute(query)).mappings().first()
                if row is not None:
                    found: Message | DirectMessage = build(row)
                    return found
        return None

    async def max_message_id(self) -> int:
        async with self.engine.connect() as connection:
            room_max = (await connection.execute(select(func.max(schema.messages.c.id)))).scalar()
            dm_max = (
                await connection.execute(select(func.max(schema.direct_messages.c.id)))
            ).scalar()
        return max(room_max or 0, dm_max or 0)

    async def open_connection(self, record: ConnectionRecord) -> None:
        await self.open_connections([record])

    async def open_connections(self, records: Sequence[ConnectionRecord]) -> None:
        if not records:
            return
        rows = [
            {
                "session": record.session,
                "nick": record.nick,
                "gender": record.gender,
                "age": record.age,
                "postcode": record.postcode,
                "dept": record.dept,
                "address": record.address,
                "port": record.port,
                "device": record.device,
                "user_agent": record.user_agent[:256],
                "protocol": record.protocol,
                "connected_at_ms": record.connected_at_ms,
                "token_sha256": record.token_sha256,
                "person": record.person or record.session,
                "resume_sha256": record.resume_sha256,
                "resume_until_ms": record.resume_until_ms,
            }
            for record in records
        ]
        try:
            await self._insert_many((schema.connections, rows))
        except _UNREACHABLE as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def close_connection(self, session: str, at_ms: int) -> None:
        await self.close_connections([(session, at_ms)])

    async def close_connections(self, departures: Sequence[tuple[str, int]]) -> None:
        if not departures:
            return
        table = schema.connections
        statement = (
            update(table)
            .where(table.c.session == bindparam("gone_session"))
            .values(disconnected_at_ms=bindparam("gone_at_ms"))
        )
        rows = [{"gone_session": session, "gone_at_ms": at_ms} for session, at_ms in departures]
        async with self.engine.begin() as connection:
            await connection.execute(statement, rows)

    async def connection(self, session: str) -> ConnectionRecord | None:
        """The record of a session (its device and address, to ban them)."""
        table = schema.connections
        async with self.engine.connect() as connection:
            row = (
                (await connection.execute(select(table).where(table.c.session == session)))
                .mappings()
                .first()
            )
        return None if row is None else _connection_record(row)

    async def connection_by_token(self, token_sha256: str) -> ConnectionRecord | None:
        table = schema.connections
        query = select(table).where(
            table.c.token_sha256 == token_sha256, table.c.disconnected_at_ms.is_(None)
        )
        async with self.engine.connect() as connection:
            row = (await connection.execute(query)).mappings().first()
        return None if row is None else _connection_record(row)

    async def last_connection_of(self, nick: str) -> ConnectionRecord | None:
        """The newest connection under a nickname (exact, as recorded)."""
        table = schema.connections
        async with self.engine.connect() as connection:
            row = (
                (
                    await connection.execute(
                        select(table)
                        .where(table.c.nick == nick)
                        .order_by(table.c.connected_at_ms.desc())
                        .limit(1)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _connection_record(row)

    async def declared_ages(self, device: str, since_ms: int) -> list[int]:
        """The ages declared from one device since `since_ms` (to catch a change of band)."""
        table = schema.connections
        query = (
            select(table.c.age)
            .where(table.c.device == device, table.c.connected_at_ms >= since_ms)
            .distinct()
        )
        async with self.engine.connect() as connection:
            return list((await connection.execute(query)).scalars())

    async def add_ban(self, ban: Ban) -> Ban:
        """Store a ban; returns it with its id."""
        values = {
            "scope": ban.scope.value,
            "room_id": ban.room,
            "nick": ban.nick,
            "session": ban.session,
            "device": ban.device,
            "address": ban.address,
            "reason": ban.reason,
            "actor": ban.actor,
            "created_at_ms": ban.created_at_ms,
            "expires_at_ms": ban.expires_at_ms,
            "lifted_at_ms": ban.lifted_at_ms,
        }
        async with self.engine.begin() as connection:
            result = await connection.execute(
                insert(schema.bans).values(**values).returning(schema.bans.c.id)
            )
            ban_id = int(result.scalar_one())
        return dataclasses.replace(ban, id=ban_id)

    async def bans_after(self, after_id: int, now_ms: int) -> list[Ban]:
        """Bans with an id above `after_id` that are in force now, oldest first."""
        table = schema.bans
        query = select(table).where(table.c.id > after_id).order_by(table.c.id)
        try:
            async with self.engine.connect() as connection:
                rows = (await connection.execute(query)).mappings().all()
        except _UNREACHABLE as exc:
            raise StoreUnavailable(str(exc)) from exc
        return [ban for ban in (_ban(row) for row in rows) if ban.is_active(now_ms)]

    async def lift_bans(self, nick: str, now_ms: int, scope: BanScope | None = None) -> list[Ban]:
        """Lift the bans in force against a nickname (of one scope, if given); returns them as
        lifted."""
        table = schema.bans
        where = [table.c.nick == nick, table.c.lifted_at_ms.is_(None)]
        if scope is not None:
            where.append(table.c.scope == scope.value)
        async with self.engine.begin() as connection:
            rows = (await connection.execute(select(table).where(*where))).mappings().all()
            await connection.execute(update(table).where(*where).values(lifted_at_ms=now_ms))
        return [dataclasses.replace(_ban(row), lifted_at_ms=now_ms) for row in rows]

    async def count_rows(self, table: str) -> int:
        """For tests and the operator CLI."""
        async with self.engine.connect() as connection:
            target = schema.metadata.tables[table]
            return int(
                (await connection.execute(select(func.count()).select_from(target))).scalar() or 0
            )
