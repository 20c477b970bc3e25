"""The continuity half of `SqlStore`: what a `resume` reads and spends (node/continuity.py).
A mixin: it uses the store's engine.

- a connection record's resume secret is spent by one conditional UPDATE (the digest must
  still be the one stored), so two nodes given the same secret cannot both take it;
- what a session carried when its connection was lost (`carried`, JSON written by the node)
  and until when it may be resumed (`resume_until_ms`);
- a person's private messages after an id: every record of the same `person` (the first
  session of its chain of resumes) as sender or recipient, oldest first, none its sender
  took back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from causerie.core.messages import DirectMessage
from causerie.store import schema
from causerie.store.rows import direct_message


@dataclass(frozen=True, slots=True)
class ResumeRecord:
    """What the store knows of a session someone asks to resume."""

    session: str
    person: str
    nick: str
    gender: str
    age: int
    postcode: str
    device: str
    protocol: str
    resume_sha256: str | None
    resume_until_ms: int | None
    disconnected_at_ms: int | None
    carried: str | None


class ContinuityQueries:
    engine: AsyncEngine

    async def resume_record(self, session: str) -> ResumeRecord | None:
        t = schema.connections
        query = select(t).where(t.c.session == session)
        async with self.engine.connect() as connection:
            row = (await connection.execute(query)).mappings().first()
        return None if row is None else _resume_record(row)

    async def spend_resume(self, session: str, resume_sha256: str) -> bool:
        """Spend a resume secret: true once for the stored digest, then never again."""
        t = schema.connections
        statement = (
            update(t)
            .where(t.c.session == session, t.c.resume_sha256 == resume_sha256)
            .values(resume_sha256=None)
        )
        async with self.engine.begin() as connection:
            result = await connection.execute(statement)
        return bool(result.rowcount == 1)

    async def forget_resume(self, session: str) -> None:
        """The session ended for good (a quit, the end of its grace): its secret goes."""
        t = schema.connections
        async with self.engine.begin() as connection:
            await connection.execute(
                update(t)
                .where(t.c.session == session)
                .values(resume_sha256=None, resume_until_ms=None, carried=None)
            )

    async def keep_for_resume(self, kept: Sequence[tuple[str, int, str]]) -> None:
        """`(session, until_ms, carried)`: these sessions may be resumed until `until_ms`."""
        if not kept:
            return
        t = schema.connections
        async with self.engine.begin() as connection:
            for session, until_ms, carried in kept:
                await connection.execute(
                    update(t)
                    .where(t.c.session == session)
                    .values(resume_until_ms=until_ms, carried=carried)
                )

    async def extend_resume(self, sessions: Sequence[str], until_ms: int) -> None:
        """Live sessions may be resumed until `until_ms` (a node's periodic word that they
        live: if it dies, their secrets expire a grace after it stopped saying so)."""
        t = schema.connections
        async with self.engine.begin() as connection:
            for start in range(0, len(sessions), 1000):
                chunk = list(sessions[start : start + 1000])
                await connection.execute(
                    update(t).where(t.c.session.in_(chunk)).values(resume_until_ms=until_ms)
                )

    async def resumable(self, now_ms: int, limit: int = 100_000) -> list[ResumeRecord]:
        """Sessions whose connection ended and whose secret may still be used (a node that
        starts again keeps their places)."""
        t = schema.connections
        query = (
            select(t)
            .where(
                t.c.resume_until_ms > now_ms,
                t.c.resume_sha256.is_not(None),
                t.c.disconnected_at_ms.is_not(None),
            )
            .order_by(t.c.connected_at_ms)
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [_resume_record(row) for row in rows]

    async def private_messages_of(
        self, person: str, after_id: int, limit: int
    ) -> list[DirectMessage]:
        """The private messages a person sent or received after `after_id`, oldest first."""
        c, d, media = schema.connections, schema.direct_messages, schema.media
        sessions = select(c.c.session).where(c.c.person == person).scalar_subquery()
        query = (
            select(d, media.c.width.label("media_width"), media.c.height.label("media_height"))
            .select_from(d.outerjoin(media, media.c.id == d.c.media_id))
            .where(
                d.c.id > after_id,
                d.c.deleted_at_ms.is_(None),  # taken back by its sender: gone for both
                or_(d.c.sender_session.in_(sessions), d.c.recipient_session.in_(sessions)),
            )
            .order_by(d.c.id)
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [direct_message(row) for row in rows]


def _resume_record(r: Any) -> ResumeRecord:
    return ResumeRecord(
        r["session"],
        r["person"] or r["session"],
        r["nick"],
        r["gender"],
        r["age"],
        r["postcode"],
        r["device"],
        r["protocol"],
        r["resume_sha256"],
        r["resume_until_ms"],
        r["disconnected_at_ms"],
        r["carried"],
    )
