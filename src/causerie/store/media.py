"""The pictures half of `SqlStore`: upload rows, who may see a picture, and the exact hashes
moderators removed. A mixin: it uses the store's engine.

Whether someone may see a picture is read from the messages that carry it: a room message in a
room of their audience, or a private message they sent or received. So one rule serves history,
reconnection and every node.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from causerie.media.records import MediaRecord, MediaState
from causerie.store import schema


def _media(row: Any) -> MediaRecord:
    fields = {f.name: row[f.name] for f in dataclasses.fields(MediaRecord)}
    return MediaRecord(**{**fields, "state": MediaState(row["state"])})


class MediaQueries:
    engine: AsyncEngine
    is_sqlite: bool

    async def add_media(self, record: MediaRecord) -> None:
        values = dataclasses.asdict(record)
        values["state"] = record.state.value
        async with self.engine.begin() as connection:
            await connection.execute(insert(schema.media).values(**values))

    async def media(self, media_id: str) -> MediaRecord | None:
        table = schema.media
        async with self.engine.connect() as connection:
            row = (
                (await connection.execute(select(table).where(table.c.id == media_id)))
                .mappings()
                .first()
            )
        return None if row is None else _media(row)

    async def mark_media_posted(
        self,
        media_id: str,
        message_id: int,
        room_id: str | None,
        recipient_session: str | None,
    ) -> None:
        """Remember the first message that carried the picture (later ones are found through
        their own media id)."""
        table = schema.media
        async with self.engine.begin() as connection:
            await connection.execute(
                update(table)
                .where(table.c.id == media_id, table.c.state == MediaState.UPLOADED.value)
                .values(
                    state=MediaState.POSTED.value,
                    message_id=message_id,
                    room_id=room_id,
                    recipient_session=recipient_session,
                )
            )

    async def set_media_state(self, media_id: str, state: MediaState) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                update(schema.media).where(schema.media.c.id == media_id).values(state=state.value)
            )

    async def media_rooms(self, media_id: str) -> set[str]:
        """The rooms where a message still shown carries this picture."""
        table = schema.messages
        query = select(table.c.room_id).where(
            table.c.media_id == media_id, table.c.deleted_at_ms.is_(None)
        )
        async with self.engine.connect() as connection:
            return set((await connection.execute(query)).scalars())

    async def media_conversations(self, media_id: str) -> set[str]:
        """The sessions that sent or received a private message carrying this picture."""
        table = schema.direct_messages
        query = select(table.c.sender_session, table.c.recipient_session).where(
            table.c.media_id == media_id
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return {session for row in rows for session in row}

    async def media_of_message(self, message_id: int) -> str | None:
        for table in (schema.messages, schema.direct_messages):
            query = select(table.c.media_id).where(table.c.id == message_id)
            async with self.engine.connect() as connection:
                found = (await connection.execute(query)).scalar()
            if found:
                return str(found)
        return None

    async def is_media_blocklisted(self, sha256s: Iterable[str]) -> bool:
        table = schema.media_blocklist
        names = list(sha256s)
        async with self.engine.connect() as connection:
            found = (
                await connection.execute(select(table.c.sha256).where(table.c.sha256.in_(names)))
            ).first()
        return found is not None

    async def blocklist_media(
        self, sha256s: Iterable[str], media_id: str | None, reason: str, actor: str, now_ms: int
    ) -> None:
        """Refuse these exact bytes from now on (idempotent)."""
        rows = [
            {
                "sha256": name,
                "media_id": media_id,
                "reason": reason,
                "actor": actor,
                "created_at_ms": now_ms,
            }
            for name in dict.fromkeys(sha256s)
        ]
        dialect_insert = sqlite_insert if self.is_sqlite else pg_insert
        statement = dialect_insert(schema.media_blocklist).on_conflict_do_nothing()
        async with self.engine.begin() as connection:
            await connection.execute(statement, rows)
