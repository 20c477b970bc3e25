"""The rooms half of `SqlStore`: the rooms people see, the operator's changes, and what a
node reads to follow them. A mixin: it uses the store's engine.

An archived room keeps its row (`archived_at_ms` set): its messages keep their room id under
the retention and evidence rules, and its id is never given to another room. Every change sets
`updated_at_ms` to a later value than before, so `rooms_fingerprint` (how many rows, the sum
of those times) changes with every change, whichever process made it: a node that sees it
change reads the rooms again (node/rooms.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from causerie.core.rooms import NO_ACCESS, Audience, Room, RoomAccess, RoomKind, RoomModes
from causerie.store import schema
from causerie.store.base import StoredRoom


def _access(text: str | None) -> RoomAccess:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return NO_ACCESS
    if not isinstance(data, dict):
        return NO_ACCESS

    def keys(name: str) -> frozenset[str]:
        value = data.get(name)
        return frozenset(str(k) for k in value) if isinstance(value, list) else frozenset()

    return RoomAccess(keys("operators"), keys("banned"), keys("invited"), keys("voiced"))


def _access_text(access: RoomAccess) -> str:
    return json.dumps(
        {
            "operators": sorted(access.operators),
            "banned": sorted(access.banned),
            "invited": sorted(access.invited),
            "voiced": sorted(access.voiced),
        },
        ensure_ascii=False,
    )


def _room(row: Any, games: tuple[str, ...]) -> Room:
    return Room(
        row["id"],
        row["name"],
        RoomKind(row["kind"]),
        Audience(row["audience"]),
        row["position"],
        row["topic"],
        bool(row["pictures"]),
        int(row["member_limit"]),
        row["owner"],
        RoomModes(
            bool(row["moderated"]),
            bool(row["invite_only"]),
            row["room_key"] or "",
            bool(row["unlisted"]),
            bool(row["topic_locked"]),
        ),
        _access(row["access"]),
        games,
        int(row["created_at_ms"]),
        int(row["topic_set_at_ms"] or 0),
    )


def _stored(row: Any, games: tuple[str, ...]) -> StoredRoom:
    return StoredRoom(
        _room(row, games),
        float(row["slow_mode_s"]),
        bool(row["locked"]),
        row["archived_at_ms"],
        int(row["updated_at_ms"]),
        int(row["created_at_ms"]),
        row["empty_since_ms"],
    )


def _values(room: Room) -> dict[str, Any]:
    return {
        "name": room.name,
        "kind": room.kind.value,
        "audience": room.audience.value,
        "position": room.position,
        "topic": room.topic,
        "pictures": room.pictures,
        "member_limit": room.member_limit,
        "owner": room.owner,
        "moderated": room.modes.moderated,
        "invite_only": room.modes.invite_only,
        "room_key": room.modes.key,
        "unlisted": room.modes.unlisted,
        "topic_locked": room.modes.topic_locked,
        "access": _access_text(room.access),
    }


async def _next_stamp(connection: AsyncConnection, room_id: str, now_ms: int) -> int | None:
    """A change time later than the room's last one (None: no such room, or archived)."""
    table = schema.rooms
    row = (
        await connection.execute(
            select(table.c.updated_at_ms).where(
                table.c.id == room_id, table.c.archived_at_ms.is_(None)
            )
        )
    ).first()
    return None if row is None else max(now_ms, int(row[0]) + 1)


async def _games_of(connection: AsyncConnection, room_id: str | None) -> dict[str, tuple[str, ...]]:
    """The games each room allows (`room_id`'s only, when given), names sorted."""
    table = schema.room_games
    query = select(table.c.room_id, table.c.game).order_by(table.c.room_id, table.c.game)
    if room_id is not None:
        query = query.where(table.c.room_id == room_id)
    games: dict[str, list[str]] = {}
    for room, game in (await connection.execute(query)).all():
        games.setdefault(room, []).append(game)
    return {room: tuple(names) for room, names in games.items()}


class RoomQueries:
    engine: AsyncEngine

    async def seed_rooms(self, rooms: Sequence[Room], now_ms: int) -> int:
        """Store the default rooms on a new installation (an empty table); returns how many.
        Once stored they are the operator's: an edited or archived one is never re-seeded."""
        async with self.engine.begin() as connection:
            count = (
                await connection.execute(select(func.count()).select_from(schema.rooms))
            ).scalar()
            if count or not rooms:
                return 0
            await connection.execute(
                insert(schema.rooms),
                [
                    {
                        "id": r.id,
                        **_values(r),
                        "created_at_ms": now_ms,
                        "updated_at_ms": now_ms,
                        "topic_set_at_ms": now_ms if r.topic else 0,
                    }
                    for r in rooms
                ],
            )
        return len(rooms)

    async def load_rooms(self) -> list[Room]:
        """The rooms people may see (not archived), in their listed order."""
        return [
            stored.room for stored in await self.stored_rooms() if stored.archived_at_ms is None
        ]

    async def stored_rooms(self) -> list[StoredRoom]:
        """Every room, archived ones included, in their listed order, each with its games."""
        table = schema.rooms
        async with self.engine.connect() as connection:
            rows = (
                await connection.execute(select(table).order_by(table.c.position, table.c.id))
            ).mappings()
            games = await _games_of(connection, None)
            return [_stored(row, games.get(row["id"], ())) for row in rows]

    async def stored_room(self, room_id: str) -> StoredRoom | None:
        table = schema.rooms
        async with self.engine.connect() as connection:
            row = (
                (await connection.execute(select(table).where(table.c.id == room_id)))
                .mappings()
                .first()
            )
            games = await _games_of(connection, room_id)
        return None if row is None else _stored(row, games.get(room_id, ()))

    async def rooms_fingerprint(self) -> tuple[int, int]:
        """(rows, sum of change times): differs after any change of any room."""
        table = schema.rooms
        query = select(func.count(), func.coalesce(func.sum(table.c.updated_at_ms), 0))
        async with self.engine.connect() as connection:
            count, total = (await connection.execute(query)).one()
        return int(count), int(total)

    async def add_room(self, room: Room, slow_mode_s: float, now_ms: int) -> bool:
        """Store a new room; False when its id is taken (archived rooms included)."""
        try:
            async with self.engine.begin() as connection:
                await connection.execute(
                    insert(schema.rooms).values(
                        id=room.id,
                        **_values(room),
                        slow_mode_s=slow_mode_s,
                        created_at_ms=now_ms,
                        updated_at_ms=now_ms,
                        topic_set_at_ms=now_ms if room.topic else 0,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def update_room(self, room: Room, slow_mode_s: float, now_ms: int) -> bool:
        """Change a room's settings; False for no such room, or an archived one."""
        table = schema.rooms
        async with self.engine.begin() as connection:
            stamp = await _next_stamp(connection, room.id, now_ms)
            if stamp is None:
                return False
            # The topic's time changes with its text only (IRC's 333 RPL_TOPICWHOTIME).
            values = _values(room) | {"slow_mode_s": slow_mode_s, "updated_at_ms": stamp}
            topic_changed = table.c.topic != room.topic
            values["topic_set_at_ms"] = case(
                (topic_changed, stamp if room.topic else 0), else_=table.c.topic_set_at_ms
            )
            await connection.execute(update(table).where(table.c.id == room.id).values(values))
        return True

    async def archive_room(self, room_id: str, now_ms: int) -> bool:
        """Archive a room (its row and messages stay); False for no such room or archived."""
        table = schema.rooms
        async with self.engine.begin() as connection:
            stamp = await _next_stamp(connection, room_id, now_ms)
            if stamp is None:
                return False
            await connection.execute(
                update(table)
                .where(table.c.id == room_id)
                .values(archived_at_ms=now_ms, updated_at_ms=stamp)
            )
        return True

    async def set_room_pictures(self, room: str, pictures: bool) -> bool:
        """Whether members may post pictures in `room`; False when there is no such room.
        Running nodes follow it within a few seconds (`rooms_fingerprint`)."""
        async with self.engine.begin() as connection:
            stamp = await _next_stamp(connection, room, 0)
            if stamp is None:
                return False
            await connection.execute(
                update(schema.rooms)
                .where(schema.rooms.c.id == room)
                .values(pictures=pictures, updated_at_ms=stamp)
            )
        return True

    async def set_room_restrictions(self, room: str, locked: bool, slow_mode_s: float) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                update(schema.rooms)
                .where(schema.rooms.c.id == room)
                .values(locked=locked, slow_mode_s=slow_mode_s)
            )

    async def set_room_empty_since(self, room_id: str, since_ms: int | None) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                update(schema.rooms)
                .where(schema.rooms.c.id == room_id)
                .values(empty_since_ms=since_ms)
            )

    async def room_restrictions(self) -> dict[str, tuple[bool, float]]:
        """Rooms locked or in slow mode: room -> (locked, slow mode seconds)."""
        table = schema.rooms
        query = select(table.c.id, table.c.locked, table.c.slow_mode_s).where(
            or_(table.c.locked.is_(True), table.c.slow_mode_s > 0),
            table.c.archived_at_ms.is_(None),
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return {room: (bool(locked), float(slow)) for room, locked, slow in rows}
