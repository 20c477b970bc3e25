"""`RoomEnds`: member rooms end a while after their last member left, and roles lapse when
the person holding them is gone for good.

How this works: every node sweeps the stored member rooms now and then (`sweep`, called by
the node's store watch every couple of seconds, doing its work every `interval_s`). For each
open member room it counts the members on every node (the shared presence; this node's hub
alone without one) and keeps the store's `empty_since_ms`: set when the room is first seen
empty, cleared when someone is in it again. A room empty for `idle_end_s` is archived (its
messages stay under the retention and evidence rules), audited as `room_ended` by the system,
and every node is told. Two nodes sweeping at once do no harm: the store archives a room
once (`archive_room` answers False to the second) and only the node that archived it audits.

A role (ownership, operator, invitation) belongs to a nickname while someone holds it: on
every node, and through the resume grace. One that nobody holds any more is dropped
(`member_rooms.without_person`), so that a newcomer who takes the nickname of an owner gone
for good inherits nothing. Bans stay: they are about the nickname.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from causerie.broker.base import BrokerUnavailable
from causerie.core.hub import Hub
from causerie.core.policy.member_rooms import without_person
from causerie.core.policy.nicknames import nick_key
from causerie.core.rooms import Room
from causerie.node.cluster import Cluster
from causerie.node.directory import Directory
from causerie.node.ports import Clock
from causerie.safety.audit import ActorKind, AuditAction
from causerie.store.base import Store, StoredRoom

log = logging.getLogger(__name__)
MAX_INTERVAL_S = 30.0


class RoomEnds:
    """Args:
    hub: this node's rooms and members.
    store: the rooms as stored.
    directory: who holds a nickname, on any node.
    cluster: the shared presence (None for a single node).
    announce: tells every node that rooms changed, and applies it here.
    idle_end_s: how long a member room outlives its last member.
    clock: the time.
    """

    def __init__(
        self,
        *,
        hub: Hub,
        store: Store,
        directory: Directory,
        cluster: Cluster | None,
        announce: Callable[[], Awaitable[None]],
        idle_end_s: float,
        clock: Clock,
    ) -> None:
        self._hub = hub
        self._store = store
        self._directory = directory
        self._cluster = cluster
        self._announce = announce
        self._idle_ms = int(idle_end_s * 1000)
        self.interval_s = max(0.5, min(MAX_INTERVAL_S, idle_end_s / 4))
        self._clock = clock
        self._last_ms: int | None = None

    async def sweep(self, *, force: bool = False) -> int:
        """End the rooms empty long enough and drop lapsed roles, if `interval_s` passed
        since the last sweep (or `force`); returns how many rooms changed."""
        now_ms = self._clock.now_ms()
        if not force and self._last_ms is not None:
            if now_ms - self._last_ms < self.interval_s * 1000:
                return 0
        self._last_ms = now_ms
        rows = [
            row
            for row in await self._store.stored_rooms()
            if row.archived_at_ms is None and row.room.is_member_room
        ]
        if not rows:
            return 0
        try:
            counts = await self._counts([row.room.id for row in rows])
        except BrokerUnavailable:  # not knowing who is in them, end none of them
            return 0
        changed = 0
        for row in rows:
            if await self._end_if_idle(row, counts.get(row.room.id, 0), now_ms):
                changed += 1
            elif await self._drop_lapsed(row, now_ms):
                changed += 1
        if changed:
            await self._announce()
        return changed

    async def _end_if_idle(self, row: StoredRoom, members: int, now_ms: int) -> bool:
        room_id = row.room.id
        if members > 0:
            if row.empty_since_ms is not None:
                await self._store.set_room_empty_since(room_id, None)
            return False
        if row.empty_since_ms is None:
            await self._store.set_room_empty_since(room_id, now_ms)
            return False
        if now_ms - row.empty_since_ms < self._idle_ms:
            return False
        if not await self._store.archive_room(room_id, now_ms):
            return False  # another node ended it first
        await self._audit(AuditAction.ROOM_ENDED, room_id, {"name": row.room.name}, now_ms)
        log.info("member room %s ended: nobody in it since %d", room_id, row.empty_since_ms)
        return True

    async def _drop_lapsed(self, row: StoredRoom, now_ms: int) -> bool:
        room = row.room
        holders = {*room.access.operators, *room.access.invited, *room.access.voiced}
        if room.owner:
            holders.add(room.owner)
        lapsed = [nick for nick in sorted(holders) if not await self._is_held(nick)]
        if not lapsed:
            return False
        updated: Room = room
        for nick in lapsed:
            updated = without_person(updated, nick_key(nick))
        if not await self._store.update_room(updated, row.slow_mode_s, now_ms):
            return False
        await self._audit(AuditAction.ROOM_ROLES_LAPSED, room.id, {"nicks": lapsed}, now_ms)
        return True

    async def _is_held(self, nick: str) -> bool:
        return await self._directory.find_person(nick) is not None

    async def _counts(self, room_ids: list[str]) -> dict[str, int]:
        if self._cluster is not None:
            return await self._cluster.presence.counts(room_ids, self._clock.now_ms())
        return {room_id: sum(1 for _ in self._hub.members_of(room_id)) for room_id in room_ids}

    async def _audit(self, action: AuditAction, room_id: str, details: object, now_ms: int) -> None:
        await self._store.append_audit(
            at_ms=now_ms,
            actor="system",
            actor_kind=ActorKind.SYSTEM,
            action=action,
            target=f"room:{room_id}",
            reason="",
            details=details,
        )
