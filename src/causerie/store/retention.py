"""The retention half of `SqlStore`: legal holds and the purge's batched deletes. A mixin: it
uses the store's engine.

How a purge batch works: select up to `limit` keys of one kind that are older than the cutoff,
not under an active hold and not protected by an open report; in one transaction, copy the
address and port each message or picture came from into `message_origins` (kept for the
connection-record period) and delete the rows. Each batch is a short transaction, so the chat's
own writes wait at most one batch. Dry runs count the same rows and delete nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    cast,
    delete,
    false,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from causerie.retention.policy import Hold, HoldScope, Kind, MediaFiles, Protected
from causerie.safety.reports import OPEN_STATES, ReportState
from causerie.store import schema


def _hold(row: Any) -> Hold:
    return Hold(
        row["reference"],
        HoldScope(row["scope"]),
        row["nick"],
        row["room_id"],
        row["from_ms"],
        row["to_ms"],
        row["operator"],
        row["created_at_ms"],
        row["released_at_ms"],
        row["released_by"],
    )


def _between(column: Any, hold: Hold) -> ColumnElement[bool]:
    return and_(column >= hold.from_ms, column <= hold.to_ms)


def _held(kind: Kind, holds: Sequence[Hold]) -> ColumnElement[bool]:
    """The rows of `kind` that some active hold covers."""
    clauses: list[ColumnElement[bool]] = []
    for hold in holds:
        clause = _held_by(kind, hold)
        if clause is not None:
            clauses.append(clause)
    return or_(false(), *clauses)


def _held_by(kind: Kind, hold: Hold) -> ColumnElement[bool] | None:
    nick, room = hold.nick, hold.room
    if kind is Kind.MESSAGES:
        t = schema.messages
        who = t.c.sender_nick == nick if hold.scope is HoldScope.USER else t.c.room_id == room
        return and_(who, _between(t.c.created_at_ms, hold))
    if kind is Kind.DIRECT_MESSAGES:
        d = schema.direct_messages
        if hold.scope is HoldScope.ROOM:
            return None
        return and_(
            or_(d.c.sender_nick == nick, d.c.recipient_nick == nick),
            _between(d.c.created_at_ms, hold),
        )
    if kind is Kind.MEDIA:
        m = schema.media
        who = m.c.uploader_nick == nick if hold.scope is HoldScope.USER else m.c.room_id == room
        return and_(who, _between(m.c.created_at_ms, hold))
    if kind is Kind.CONNECTIONS:
        c = schema.connections
        ended = func.coalesce(c.c.disconnected_at_ms, c.c.connected_at_ms)
        during = and_(c.c.connected_at_ms <= hold.to_ms, ended >= hold.from_ms)
        if hold.scope is HoldScope.USER:
            return and_(c.c.nick == nick, during)
        m = schema.messages
        posters = select(m.c.sender_session).where(
            m.c.room_id == room, _between(m.c.created_at_ms, hold)
        )
        return c.c.session.in_(posters)
    if kind is Kind.ORIGINS:
        o = schema.message_origins
        who = o.c.nick == nick if hold.scope is HoldScope.USER else o.c.room_id == room
        return and_(who, _between(o.c.created_at_ms, hold))
    return None  # decisions and the audit log are not frozen by holds: they outlive them


def _protected(kind: Kind, kept: Protected) -> ColumnElement[bool]:
    ids, sessions = sorted(kept.message_ids), sorted(kept.sessions)
    if kind is Kind.MESSAGES:
        return schema.messages.c.id.in_(ids) if ids else false()
    if kind is Kind.DIRECT_MESSAGES:
        return schema.direct_messages.c.id.in_(ids) if ids else false()
    if kind is Kind.MEDIA:
        m = schema.media
        clauses: list[ColumnElement[bool]] = []
        if ids:
            clauses.append(m.c.message_id.in_(ids))
        if sessions:
            clauses.append(m.c.uploader_session.in_(sessions))
        return or_(false(), *clauses)
    if kind is Kind.CONNECTIONS:
        return schema.connections.c.session.in_(sessions) if sessions else false()
    if kind is Kind.ORIGINS:
        o = schema.message_origins
        refs = [str(i) for i in ids]
        return and_(o.c.kind.in_(["room", "dm"]), o.c.ref.in_(refs)) if refs else false()
    if kind is Kind.DECISIONS:
        s = schema.statements
        return s.c.session.in_(sessions) if sessions else false()
    return false()


def _table_and_key(kind: Kind) -> tuple[Table, Any, Any]:
    """The table, its key column and its time column."""
    match kind:
        case Kind.MESSAGES:
            t = schema.messages
            return t, t.c.id, t.c.created_at_ms
        case Kind.DIRECT_MESSAGES:
            t = schema.direct_messages
            return t, t.c.id, t.c.created_at_ms
        case Kind.MEDIA:
            t = schema.media
            return t, t.c.id, t.c.created_at_ms
        case Kind.CONNECTIONS:
            t = schema.connections
            return t, t.c.session, func.coalesce(t.c.disconnected_at_ms, t.c.connected_at_ms)
        case Kind.ORIGINS:
            t = schema.message_origins
            return t, t.c.ref, t.c.created_at_ms
        case Kind.DECISIONS:
            t = schema.statements
            return t, t.c.id, t.c.decided_at_ms
        case Kind.REPORTS:
            t = schema.reports
            return t, t.c.id, t.c.updated_at_ms
        case Kind.AUDIT:
            t = schema.audit_log
            return t, t.c.seq, t.c.at_ms
    raise AssertionError(kind)


def _due(kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected) -> Any:
    table, _key, time_column = _table_and_key(kind)
    where = and_(time_column < cutoff_ms, not_(_held(kind, holds)), not_(_protected(kind, kept)))
    if kind is Kind.CONNECTIONS:
        # A connection still open is never purged, however long it has lasted.
        where = and_(where, table.c.disconnected_at_ms.is_not(None))
    if kind is Kind.REPORTS:
        closed = [ReportState.ACTIONED.value, ReportState.DISMISSED.value]
        where = and_(where, table.c.state.in_(closed))
    return where


def _origins_from(kind: Kind, keys: Sequence[Any]) -> Any:
    """INSERT … SELECT of where the rows came from, for messages, private messages, pictures."""
    o = schema.message_origins
    columns = ["kind", "ref", "room_id", "session", "nick", "address", "port", "created_at_ms"]
    if kind is Kind.MEDIA:
        m = schema.media
        source = select(
            literal("media", String),
            m.c.id,
            m.c.room_id,
            m.c.uploader_session,
            m.c.uploader_nick,
            m.c.source_address,
            m.c.source_port,
            m.c.created_at_ms,
        ).where(m.c.id.in_(keys))
    else:
        t = schema.messages if kind is Kind.MESSAGES else schema.direct_messages
        room = t.c.room_id if kind is Kind.MESSAGES else literal(None, String)
        source = select(
            literal("room" if kind is Kind.MESSAGES else "dm", String),
            cast(t.c.id, String),
            room,
            t.c.sender_session,
            t.c.sender_nick,
            t.c.source_address,
            t.c.source_port,
            t.c.created_at_ms,
        ).where(t.c.id.in_(keys))
    return insert(o).from_select(columns, source)


class RetentionQueries:
    engine: AsyncEngine
    preserved_message_ids: Callable[[], Awaitable[set[int]]]  # from ModerationQueries

    # -- legal holds -------------------------------------------------------------------------

    async def add_hold(self, hold: Hold) -> bool:
        """Store a hold; False when its reference is taken already."""
        table = schema.legal_holds
        async with self.engine.begin() as connection:
            taken = await connection.execute(
                select(table.c.reference).where(table.c.reference == hold.reference)
            )
            if taken.first() is not None:
                return False
            await connection.execute(
                insert(table).values(
                    reference=hold.reference,
                    scope=hold.scope.value,
                    nick=hold.nick,
                    room_id=hold.room,
                    from_ms=hold.from_ms,
                    to_ms=hold.to_ms,
                    operator=hold.operator,
                    created_at_ms=hold.created_at_ms,
                )
            )
        return True

    async def release_hold(self, reference: str, by: str, now_ms: int) -> Hold | None:
        """Release an active hold; None when there is no active hold with that reference."""
        table = schema.legal_holds
        where = and_(table.c.reference == reference, table.c.released_at_ms.is_(None))
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(table).where(where).values(released_at_ms=now_ms, released_by=by)
            )
            if not result.rowcount:
                return None
            row = (
                (await connection.execute(select(table).where(table.c.reference == reference)))
                .mappings()
                .one()
            )
        return _hold(row)

    async def holds(self, *, active_only: bool = True) -> list[Hold]:
        table = schema.legal_holds
        query = select(table).order_by(table.c.created_at_ms, table.c.reference)
        if active_only:
            query = query.where(table.c.released_at_ms.is_(None))
        async with self.engine.connect() as connection:
            return [_hold(row) for row in (await connection.execute(query)).mappings()]

    # -- what open reports keep --------------------------------------------------------------

    async def protected(self) -> Protected:
        """Messages and sessions that open reports keep from the purge."""
        table = schema.reports
        query = select(table.c.message_id, table.c.reporter_session, table.c.target_session).where(
            table.c.state.in_([s.value for s in OPEN_STATES])
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        sessions = {s for row in rows for s in (row[1], row[2]) if s}
        ids = await self.preserved_message_ids()
        return Protected(frozenset(ids), frozenset(sessions))

    # -- the purge ---------------------------------------------------------------------------

    async def count_due(
        self, kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected
    ) -> int:
        """How many rows of `kind` a purge would delete now (for dry runs)."""
        table, _key, _time = _table_and_key(kind)
        where = _due(kind, cutoff_ms, holds, kept)
        if kind is Kind.DECISIONS:
            where = and_(where, self._decision_closed())
        async with self.engine.connect() as connection:
            count = await connection.execute(select(func.count()).select_from(table).where(where))
            return int(count.scalar() or 0)

    @staticmethod
    def _decision_closed() -> ColumnElement[bool]:
        # A statement whose appeal is pending stays, as does the report behind it.
        s = schema.statements
        return or_(s.c.appealed_at_ms.is_(None), s.c.appeal_outcome.is_not(None))

    async def purge_batch(
        self,
        kind: Kind,
        cutoff_ms: int,
        holds: Sequence[Hold],
        kept: Protected,
        limit: int,
    ) -> tuple[int, MediaFiles]:
        """Delete up to `limit` due rows of `kind` in one transaction; returns how many went
        and, for pictures, the files nothing references any more (the caller deletes them
        once the transaction has committed)."""
        if kind is Kind.AUDIT:
            return await self._purge_audit(cutoff_ms, limit), MediaFiles()
        table, key, time_column = _table_and_key(kind)
        where = _due(kind, cutoff_ms, holds, kept)
        if kind is Kind.DECISIONS:
            where = and_(where, self._decision_closed())
        if kind is Kind.ORIGINS:
            return await self._purge_origins(where, limit), MediaFiles()
        async with self.engine.begin() as connection:
            await self._quiet_commit(connection)
            rows = (
                await connection.execute(
                    select(key).where(where).order_by(time_column, key).limit(limit)
                )
            ).all()
            keys = [row[0] for row in rows]
            if not keys:
                return 0, MediaFiles()
            files: list[str] = []
            if kind in (Kind.MESSAGES, Kind.DIRECT_MESSAGES, Kind.MEDIA):
                await connection.execute(_origins_from(kind, keys))
            if kind is Kind.MEDIA:
                m = schema.media
                # The upload as received is a file too (kept as evidence after a hash match).
                names = (
                    await connection.execute(
                        select(m.c.sha256, m.c.thumb_sha256, m.c.original_sha256).where(
                            m.c.id.in_(keys)
                        )
                    )
                ).all()
                files = sorted({name for pair in names for name in pair if name})
            await connection.execute(delete(table).where(key.in_(keys)))
            if files:
                m = schema.media
                used = (
                    await connection.execute(
                        select(m.c.sha256, m.c.thumb_sha256, m.c.original_sha256).where(
                            or_(
                                m.c.sha256.in_(files),
                                m.c.thumb_sha256.in_(files),
                                m.c.original_sha256.in_(files),
                            )
                        )
                    )
                ).all()
                still = {name for pair in used for name in pair}
                files = [name for name in files if name not in still]
        await self._checkpoint()
        return len(keys), MediaFiles(tuple(files))

    async def _purge_origins(self, where: Any, limit: int) -> int:
        o = schema.message_origins
        async with self.engine.begin() as connection:
            await self._quiet_commit(connection)
            rows = (
                await connection.execute(
                    select(o.c.kind, o.c.ref).where(where).order_by(o.c.created_at_ms).limit(limit)
                )
            ).all()
            by_kind: dict[str, list[str]] = {}
            for origin_kind, ref in rows:
                by_kind.setdefault(origin_kind, []).append(ref)
            for origin_kind, refs in by_kind.items():
                await connection.execute(
                    delete(o).where(o.c.kind == origin_kind, o.c.ref.in_(refs))
                )
        await self._checkpoint()
        return len(rows)

    async def _quiet_commit(self, connection: AsyncConnection) -> None:
        """On PostgreSQL, a purge batch does not wait for its WAL flush: if the server crashed
        just after, the batch would be undone whole and purged again at the next run. The
        chat's own commits then do not queue behind the purge's on the disk."""
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SET LOCAL synchronous_commit = off"))

    async def _checkpoint(self) -> None:
        """On SQLite, fold the WAL back into the database after each batch, on the purge's own
        connection: otherwise the WAL grows past the auto-checkpoint size and whichever commit
        comes next pays for the checkpoint's fsync, usually one of the chat's."""
        if self.engine.dialect.name == "sqlite":
            async with self.engine.connect() as connection:
                await connection.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))

    async def _purge_audit(self, cutoff_ms: int, limit: int) -> int:
        """Remove the oldest audit entries, keeping the last removed one as the checkpoint the
        rest of the chain verifies from (`audit.verify_rows(rows, after=…)`)."""
        a, c = schema.audit_log, schema.audit_checkpoints
        async with self.engine.begin() as connection:
            oldest = (
                await connection.execute(
                    select(a.c.seq, a.c.hash, a.c.at_ms).order_by(a.c.seq).limit(limit)
                )
            ).all()
            # Only a prefix of the chain may go: stop at the first entry that is not due.
            rows = []
            for row in oldest:
                if row[2] >= cutoff_ms:
                    break
                rows.append(row)
            if not rows:
                return 0
            last_seq, last_hash, last_at = rows[-1]
            await connection.execute(delete(a).where(a.c.seq <= last_seq))
            await connection.execute(delete(c).where(true()))
            await connection.execute(
                insert(c).values(seq=last_seq, hash=last_hash, purged_at_ms=last_at)
            )
        return len(rows)

    async def audit_head(self) -> tuple[int, str] | None:
        """The (seq, hash) of the newest audit entry, or None when the log is empty."""
        a = schema.audit_log
        async with self.engine.connect() as connection:
            query = select(a.c.seq, a.c.hash).order_by(a.c.seq.desc()).limit(1)
            row = (await connection.execute(query)).first()
        return None if row is None else (int(row[0]), str(row[1]))

    async def audit_checkpoint(self) -> tuple[int, str] | None:
        """The (seq, hash) of the last audit entry purged, or None when none was."""
        c = schema.audit_checkpoints
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(c.c.seq, c.c.hash))).first()
        return None if row is None else (int(row[0]), str(row[1]))
