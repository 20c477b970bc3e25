"""The archive half of `SqlStore`: what a lawful request exports, what the transparency report
counts, and what a person may download about their own session. A mixin: it uses the store's
engine. Read-only.

A scope is a nickname, an address or a room over a period. A nickname or an address reaches the
sessions recorded under it; a room reaches the sessions that posted there in the period. Rows
are returned as plain dicts of JSON values, per kind, oldest first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from causerie.store import schema


class ScopeKind(StrEnum):
    USER = "user"
    ADDRESS = "address"
    ROOM = "room"


@dataclass(frozen=True, slots=True)
class Scope:
    kind: ScopeKind
    value: str
    from_ms: int
    to_ms: int


#: The kinds of an export bundle, in the order they are written.
EXPORT_KINDS = (
    "connections",
    "messages",
    "private_messages",
    "media",
    "message_origins",
    "reports",
    "moderation_actions",
)


def _plain(row: Any) -> dict[str, Any]:
    values = dict(row)
    for name in ("evidence", "body", "details"):
        if isinstance(values.get(name), str):
            try:
                values[name] = json.loads(values[name])
            except ValueError:
                pass
    return {k: (bool(v) if isinstance(v, bool) else v) for k, v in values.items()}


def _during(column: Any, scope: Scope) -> ColumnElement[bool]:
    return and_(column >= scope.from_ms, column <= scope.to_ms)


async def _rows(connection: AsyncConnection, query: Select[Any]) -> list[dict[str, Any]]:
    return [_plain(row) for row in (await connection.execute(query)).mappings()]


class ArchiveQueries:
    engine: AsyncEngine

    async def _sessions(self, connection: AsyncConnection, scope: Scope) -> list[str]:
        c, m = schema.connections, schema.messages
        ended = c.c.disconnected_at_ms
        overlaps = and_(
            c.c.connected_at_ms <= scope.to_ms, or_(ended.is_(None), ended >= scope.from_ms)
        )
        if scope.kind is ScopeKind.USER:
            query: Select[Any] = select(c.c.session).where(c.c.nick == scope.value, overlaps)
        elif scope.kind is ScopeKind.ADDRESS:
            query = select(c.c.session).where(c.c.address == scope.value, overlaps)
        else:
            query = (
                select(m.c.sender_session)
                .where(m.c.room_id == scope.value, _during(m.c.created_at_ms, scope))
                .distinct()
            )
        return sorted({row[0] for row in (await connection.execute(query)).all()})

    async def export_rows(self, scope: Scope) -> dict[str, list[dict[str, Any]]]:
        """Everything in `scope`, per kind of `EXPORT_KINDS`."""
        c, m, d = schema.connections, schema.messages, schema.direct_messages
        media, o, r = schema.media, schema.message_origins, schema.reports
        s, a = schema.statements, schema.audit_log
        value = scope.value
        async with self.engine.connect() as connection:
            sessions = await self._sessions(connection, scope)
            by_session = c.c.session.in_(sessions) if sessions else false()
            out: dict[str, list[dict[str, Any]]] = {}
            out["connections"] = await _rows(
                connection, select(c).where(by_session).order_by(c.c.connected_at_ms)
            )
            if scope.kind is ScopeKind.USER:
                said: ColumnElement[bool] = m.c.sender_nick == value
                dms: ColumnElement[bool] = or_(
                    d.c.sender_nick == value, d.c.recipient_nick == value
                )
                pictures: ColumnElement[bool] = media.c.uploader_nick == value
                origins: ColumnElement[bool] = o.c.nick == value
                reports: ColumnElement[bool] = or_(
                    r.c.target_nick == value, r.c.reporter_nick == value
                )
                decided: ColumnElement[bool] = s.c.nick == value
                audited: ColumnElement[bool] = a.c.target == f"user:{value}"
            elif scope.kind is ScopeKind.ADDRESS:
                said = m.c.source_address == value
                dms = d.c.source_address == value
                pictures = media.c.source_address == value
                origins = o.c.address == value
                in_sessions = sessions or [""]
                reports = or_(
                    r.c.target_session.in_(in_sessions), r.c.reporter_session.in_(in_sessions)
                )
                decided = s.c.session.in_(in_sessions)
                audited = false()
            else:
                said = m.c.room_id == value
                dms = false()
                pictures = media.c.room_id == value
                origins = o.c.room_id == value
                reports = r.c.room_id == value
                decided = s.c.report_id.in_(select(r.c.id).where(r.c.room_id == value))
                audited = a.c.target == f"room:{value}"
            out["messages"] = await _rows(
                connection,
                select(m).where(said, _during(m.c.created_at_ms, scope)).order_by(m.c.id),
            )
            out["private_messages"] = await _rows(
                connection, select(d).where(dms, _during(d.c.created_at_ms, scope)).order_by(d.c.id)
            )
            out["media"] = await _rows(
                connection,
                select(media)
                .where(pictures, _during(media.c.created_at_ms, scope))
                .order_by(media.c.created_at_ms, media.c.id),
            )
            out["message_origins"] = await _rows(
                connection,
                select(o)
                .where(origins, _during(o.c.created_at_ms, scope))
                .order_by(o.c.created_at_ms, o.c.kind, o.c.ref),
            )
            out["reports"] = await _rows(
                connection,
                select(r).where(reports, _during(r.c.created_at_ms, scope)).order_by(r.c.id),
            )
            statements = await _rows(
                connection,
                select(s)
                .where(decided, _during(s.c.decided_at_ms, scope))
                .order_by(s.c.decided_at_ms, s.c.id),
            )
            entries = await _rows(
                connection,
                select(a).where(audited, _during(a.c.at_ms, scope)).order_by(a.c.seq),
            )
        out["moderation_actions"] = [{"source": "statement", **row} for row in statements] + [
            {"source": "audit", **row} for row in entries
        ]
        return out

    async def session_rows(self, session: str) -> dict[str, Any]:
        """What the service holds about one session, for its owner to download."""
        c, m, d = schema.connections, schema.messages, schema.direct_messages
        media, r, s = schema.media, schema.reports, schema.statements
        dm_columns = [
            d.c.id,
            d.c.sender_nick,
            d.c.recipient_nick,
            d.c.text,
            d.c.created_at_ms,
            d.c.media_id,
            d.c.sender_session,
        ]
        async with self.engine.connect() as connection:
            record = await _rows(connection, select(c).where(c.c.session == session))
            said = await _rows(
                connection,
                select(
                    m.c.id,
                    m.c.room_id,
                    m.c.text,
                    m.c.created_at_ms,
                    m.c.media_id,
                    m.c.source_address,
                    m.c.source_port,
                    m.c.deleted_at_ms,
                )
                .where(m.c.sender_session == session)
                .order_by(m.c.id),
            )
            private = await _rows(
                connection,
                select(*dm_columns, d.c.source_address, d.c.source_port)
                .where(d.c.sender_session == session)
                .order_by(d.c.id),
            )
            received = await _rows(
                connection,
                select(*dm_columns).where(d.c.recipient_session == session).order_by(d.c.id),
            )
            pictures = await _rows(
                connection,
                select(
                    media.c.id,
                    media.c.state,
                    media.c.mime,
                    media.c.width,
                    media.c.height,
                    media.c.bytes,
                    media.c.created_at_ms,
                    media.c.room_id,
                    media.c.message_id,
                    media.c.source_address,
                    media.c.source_port,
                )
                .where(media.c.uploader_session == session)
                .order_by(media.c.created_at_ms),
            )
            reports = await _rows(
                connection,
                select(
                    r.c.id,
                    r.c.kind,
                    r.c.state,
                    r.c.category,
                    r.c.comment,
                    r.c.target_nick,
                    r.c.message_id,
                    r.c.room_id,
                    r.c.created_at_ms,
                    r.c.updated_at_ms,
                )
                .where(r.c.reporter_session == session)
                .order_by(r.c.id),
            )
            statements = await _rows(
                connection, select(s).where(s.c.session == session).order_by(s.c.decided_at_ms)
            )
        for row in received:
            row.pop("sender_session", None)  # someone else's session id
        for row in private:
            row.pop("sender_session", None)
        return {
            "connection": record[0] if record else None,
            "messages": said,
            "private_messages_sent": private,
            "private_messages_received": received,
            "media": pictures,
            "reports_made": reports,
            "statements_received": statements,
        }

    async def transparency_rows(self, from_ms: int, to_ms: int) -> dict[str, list[dict[str, Any]]]:
        """The raw material of the transparency report for [from_ms, to_ms]."""
        r, s, a = schema.reports, schema.statements, schema.audit_log
        async with self.engine.connect() as connection:
            reports = await _rows(
                connection,
                select(
                    r.c.id,
                    r.c.kind,
                    r.c.state,
                    r.c.category,
                    r.c.lane,
                    r.c.created_at_ms,
                    r.c.updated_at_ms,
                    r.c.decided_by,
                ).where(r.c.created_at_ms >= from_ms, r.c.created_at_ms <= to_ms),
            )
            statements = await _rows(
                connection,
                select(
                    s.c.id,
                    s.c.decision,
                    s.c.is_automatic,
                    s.c.decided_at_ms,
                    s.c.appealed_at_ms,
                    s.c.appeal_outcome,
                    s.c.report_id,
                ).where(
                    or_(
                        and_(s.c.decided_at_ms >= from_ms, s.c.decided_at_ms <= to_ms),
                        and_(s.c.appealed_at_ms >= from_ms, s.c.appealed_at_ms <= to_ms),
                    )
                ),
            )
            legal = await _rows(
                connection,
                select(a.c.action, a.c.at_ms, a.c.details, a.c.target).where(
                    a.c.action.in_(["legal_export", "legal_hold", "archive_search"]),
                    a.c.at_ms >= from_ms,
                    a.c.at_ms <= to_ms,
                ),
            )
        return {"reports": reports, "statements": statements, "legal": legal}
