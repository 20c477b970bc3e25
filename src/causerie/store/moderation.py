"""The moderation half of `SqlStore`: staff accounts, the audit log, reports and statements of
reasons, and the message look-ups a report needs. A mixin: it uses the store's engine.

The audit log is appended under a transaction that reads the last entry and inserts the next
with `seq + 1`; two nodes appending at once collide on the primary key and the loser retries,
so the chain never forks.
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.nicknames import nick_key
from causerie.safety import audit
from causerie.safety.reports import Category, Lane, Report, ReportKind, ReportState
from causerie.safety.staff import StaffAccount, StaffRole
from causerie.store import schema
from causerie.store.rows import direct_message, room_message

AUDIT_APPEND_ATTEMPTS = 12
# Appends of one process take turns (the chain is one line); between nodes, the loser of a race
# for the next sequence number waits a random moment, longer each time, and reads again.
AUDIT_RETRY_BASE_S = 0.005


def _report(row: Any) -> Report:
    return Report(
        id=row["id"],
        kind=ReportKind(row["kind"]),
        state=ReportState(row["state"]),
        category=Category(row["category"]),
        severity=row["severity"],
        lane=Lane(row["lane"]),
        target_nick=row["target_nick"],
        target_session=row["target_session"],
        created_at_ms=row["created_at_ms"],
        updated_at_ms=row["updated_at_ms"],
        reporter_session=row["reporter_session"],
        reporter_nick=row["reporter_nick"],
        reporter_contact=row["reporter_contact"],
        good_faith=bool(row["good_faith"]),
        comment=row["comment"],
        rule=row["rule"],
        message_id=row["message_id"],
        room_id=row["room_id"],
        evidence=json.loads(row["evidence"]),
        statement_id=row["statement_id"],
        assigned_to=row["assigned_to"],
        decided_by=row["decided_by"],
        decision=row["decision"],
    )


class ModerationQueries:
    engine: AsyncEngine
    audit_turn: asyncio.Lock  # appends of this process take turns (SqlStore makes it)

    # -- staff -------------------------------------------------------------------------------

    async def add_staff(self, account: StaffAccount, now_ms: int) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(schema.staff).values(
                    name=account.name,
                    role=account.role.value,
                    password_hash=account.password_hash,
                    totp_secret=account.totp_secret,
                    rooms=",".join(account.rooms),
                    disabled=account.disabled,
                    created_at_ms=now_ms,
                )
            )

    async def staff_account(self, name: str) -> StaffAccount | None:
        table = schema.staff
        async with self.engine.connect() as connection:
            row = (
                (await connection.execute(select(table).where(table.c.name == name)))
                .mappings()
                .first()
            )
        if row is None:
            return None
        rooms = tuple(r for r in row["rooms"].split(",") if r)
        return StaffAccount(
            row["name"],
            StaffRole(row["role"]),
            row["password_hash"],
            row["totp_secret"],
            rooms,
            bool(row["disabled"]),
            row["totp_last_step"],
        )

    async def use_totp_step(self, name: str, step: int) -> bool:
        """Record that `name` logged in with the TOTP code of time step `step`, unless a code of
        that step or a later one was recorded first (an atomic compare-and-set, so two nodes
        given the same code at once accept it once). Returns whether it was recorded."""
        table = schema.staff
        last = table.c.totp_last_step
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(table)
                .where(table.c.name == name, or_(last.is_(None), last < step))
                .values(totp_last_step=step)
            )
        return bool(result.rowcount == 1)

    async def staff_names(self) -> list[str]:
        async with self.engine.connect() as connection:
            return list((await connection.execute(select(schema.staff.c.name))).scalars())

    # -- trusted flaggers --------------------------------------------------------------------

    async def add_trusted_flagger(self, key: str, nick: str, added_by: str, now_ms: int) -> None:
        async with self.engine.begin() as connection:
            await self._delete_trusted_flagger(connection, key)
            await connection.execute(
                insert(schema.trusted_flaggers).values(
                    nick_key=key, nick=nick, added_by=added_by, added_at_ms=now_ms
                )
            )

    async def remove_trusted_flagger(self, key: str) -> bool:
        async with self.engine.begin() as connection:
            return await self._delete_trusted_flagger(connection, key)

    @staticmethod
    async def _delete_trusted_flagger(connection: AsyncConnection, key: str) -> bool:
        """Delete the rows of the nickname keyed `key`; rows added before nicknames were keyed
        with UTS #39 look-alikes hold an older key, so each row's nickname is keyed again."""
        table = schema.trusted_flaggers
        rows = (await connection.execute(select(table.c.nick_key, table.c.nick))).all()
        stored = [row_key for row_key, nick in rows if key in (row_key, nick_key(nick))]
        if stored:
            await connection.execute(delete(table).where(table.c.nick_key.in_(stored)))
        return bool(stored)

    async def trusted_flaggers(self) -> dict[str, str]:
        """Nickname key -> nickname as added (the key made again from the nickname, so rows
        stored under an older way of keying nicknames still match)."""
        table = schema.trusted_flaggers
        async with self.engine.connect() as connection:
            rows = (await connection.execute(select(table.c.nick_key, table.c.nick))).all()
        return {nick_key(nick): nick for _key, nick in rows}

    # -- audit log ---------------------------------------------------------------------------

    async def append_audit(self, **fields: Any) -> audit.AuditEntry:
        """Append one entry after the last one (see `audit.append` for the fields)."""
        async with self.audit_turn:
            return await self._append_audit(fields)

    async def _append_audit(self, fields: dict[str, Any]) -> audit.AuditEntry:
        table = schema.audit_log
        for attempt in range(AUDIT_APPEND_ATTEMPTS):
            if attempt:
                await asyncio.sleep(random.uniform(0, AUDIT_RETRY_BASE_S * 2**attempt))
            try:
                async with self.engine.begin() as connection:
                    row = (
                        (
                            await connection.execute(
                                select(table).order_by(table.c.seq.desc()).limit(1)
                            )
                        )
                        .mappings()
                        .first()
                    )
                    last = audit.from_row(dict(row)) if row is not None else None
                    entry = audit.append(last, **fields)
                    await connection.execute(insert(table).values(**_audit_values(entry)))
                return entry
            except IntegrityError:
                if attempt == AUDIT_APPEND_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def audit_rows(self) -> list[dict[str, Any]]:
        table = schema.audit_log
        async with self.engine.connect() as connection:
            rows = (await connection.execute(select(table).order_by(table.c.seq))).mappings()
            return [dict(row) for row in rows]

    # -- reports -----------------------------------------------------------------------------

    async def add_report(self, report: Report) -> Report:
        values = _report_values(report)
        values.pop("id")
        async with self.engine.begin() as connection:
            result = await connection.execute(
                insert(schema.reports).values(**values).returning(schema.reports.c.id)
            )
            report_id = int(result.scalar_one())
        return await self.report(report_id)  # type: ignore[return-value]

    async def report(self, report_id: int) -> Report | None:
        table = schema.reports
        async with self.engine.connect() as connection:
            row = (
                (await connection.execute(select(table).where(table.c.id == report_id)))
                .mappings()
                .first()
            )
        return None if row is None else _report(row)

    async def update_report(self, report_id: int, **fields: Any) -> Report | None:
        values = {k: (v.value if hasattr(v, "value") else v) for k, v in fields.items()}
        async with self.engine.begin() as connection:
            await connection.execute(
                update(schema.reports).where(schema.reports.c.id == report_id).values(**values)
            )
        return await self.report(report_id)

    async def open_reports(self, limit: int = 500) -> list[Report]:
        table = schema.reports
        open_states = [
            s.value for s in (ReportState.RECEIVED, ReportState.IN_REVIEW, ReportState.APPEALED)
        ]
        query = (
            select(table)
            .where(table.c.state.in_(open_states))
            .order_by(table.c.severity.desc(), table.c.created_at_ms)
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            return [_report(row) for row in (await connection.execute(query)).mappings()]

    async def reports_about(self, session: str, since_ms: int) -> list[Report]:
        table = schema.reports
        query = select(table).where(
            table.c.target_session == session, table.c.created_at_ms >= since_ms
        )
        async with self.engine.connect() as connection:
            return [_report(row) for row in (await connection.execute(query)).mappings()]

    async def preserved_message_ids(self) -> set[int]:
        """Messages an open report keeps from deletion and retention."""
        reports = await self.open_reports(limit=100_000)
        kept: set[int] = set()
        for report in reports:
            kept.update(m["id"] for m in report.evidence.get("context", []))
            if report.message_id is not None:
                kept.add(report.message_id)
        return kept

    # -- statements of reasons ---------------------------------------------------------------

    async def add_statement(self, **values: Any) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(insert(schema.statements).values(**values))

    async def statement(self, statement_id: str) -> dict[str, Any] | None:
        table = schema.statements
        async with self.engine.connect() as connection:
            row = (
                (await connection.execute(select(table).where(table.c.id == statement_id)))
                .mappings()
                .first()
            )
        return None if row is None else dict(row)

    async def update_statement(self, statement_id: str, **values: Any) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                update(schema.statements)
                .where(schema.statements.c.id == statement_id)
                .values(**values)
            )

    async def statements_about_nick(self, nick: str, since_ms: int) -> list[dict[str, Any]]:
        table = schema.statements
        query = select(table).where(table.c.nick == nick, table.c.decided_at_ms >= since_ms)
        async with self.engine.connect() as connection:
            return [dict(row) for row in (await connection.execute(query)).mappings()]

    async def dismissed_reports_by(self, nick: str, since_ms: int) -> int:
        table = schema.reports
        query = select(table.c.id).where(
            table.c.reporter_nick == nick,
            table.c.state == ReportState.DISMISSED.value,
            table.c.kind == ReportKind.REPORT.value,
            table.c.updated_at_ms >= since_ms,
        )
        async with self.engine.connect() as connection:
            return len((await connection.execute(query)).all())

    async def statements_about(self, session: str) -> list[dict[str, Any]]:
        table = schema.statements
        query = select(table).where(table.c.session == session).order_by(table.c.decided_at_ms)
        async with self.engine.connect() as connection:
            return [dict(row) for row in (await connection.execute(query)).mappings()]

    # -- messages a report points at ---------------------------------------------------------

    async def find_message(self, message_id: int) -> Message | DirectMessage | None:
        async with self.engine.connect() as connection:
            row = (
                (
                    await connection.execute(
                        select(schema.messages).where(schema.messages.c.id == message_id)
                    )
                )
                .mappings()
                .first()
            )
            if row is not None:
                return room_message(row)
            row = (
                (
                    await connection.execute(
                        select(schema.direct_messages).where(
                            schema.direct_messages.c.id == message_id
                        )
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else direct_message(row)

    async def context_of(
        self, message: Message | DirectMessage, around: int = 10
    ) -> list[Message | DirectMessage]:
        """The conversation around a message: `around` before and after, in order."""
        if isinstance(message, Message):
            table = schema.messages
            where: Any = table.c.room_id == message.room
            build: Any = room_message
        else:
            table = schema.direct_messages
            pair = (message.sender_session, message.recipient_session)
            where = or_(
                and_(table.c.sender_session == pair[0], table.c.recipient_session == pair[1]),
                and_(table.c.sender_session == pair[1], table.c.recipient_session == pair[0]),
            )
            build = direct_message
        async with self.engine.connect() as connection:
            before = (
                (
                    await connection.execute(
                        select(table)
                        .where(where, table.c.id <= message.id)
                        .order_by(table.c.id.desc())
                        .limit(around + 1)
                    )
                )
                .mappings()
                .all()
            )
            after = (
                (
                    await connection.execute(
                        select(table)
                        .where(where, table.c.id > message.id)
                        .order_by(table.c.id)
                        .limit(around)
                    )
                )
                .mappings()
                .all()
            )
        return [build(row) for row in [*reversed(before), *after]]

    async def recent_of(self, session: str, limit: int = 20) -> list[Message]:
        table = schema.messages
        query = (
            select(table)
            .where(table.c.sender_session == session)
            .order_by(table.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [room_message(row) for row in reversed(rows)]


def _audit_values(entry: audit.AuditEntry) -> dict[str, Any]:
    row = audit.to_row(entry)
    details = row["details"]
    row["details"] = (
        details
        if isinstance(details, str)
        else json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    )
    return row


def _report_values(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "kind": report.kind.value,
        "state": report.state.value,
        "category": report.category.value,
        "severity": report.severity,
        "lane": report.lane.value,
        "reporter_session": report.reporter_session,
        "reporter_nick": report.reporter_nick,
        "reporter_contact": report.reporter_contact,
        "good_faith": report.good_faith,
        "comment": report.comment,
        "rule": report.rule,
        "target_nick": report.target_nick,
        "target_session": report.target_session,
        "message_id": report.message_id,
        "room_id": report.room_id,
        "evidence": json.dumps(report.evidence, ensure_ascii=False),
        "statement_id": report.statement_id,
        "assigned_to": report.assigned_to,
        "decided_by": report.decided_by,
        "decision": report.decision,
        "created_at_ms": report.created_at_ms,
        "updated_at_ms": report.updated_at_ms,
    }
