"""`RoomEditor`: the operator's room commands — list, add, edit, archive, the games a room
allows — shared by the CLI (`causerie rooms …`) and the `/admin` page.

Each change is checked (core/policy/room_rules.py), stored, written to the audit log with what
changed, and announced on the control channel (`"rooms"`) so that every node applies it at
once (node/room_sync.py); nodes that share no broker with the announcer find it in the store
within seconds. It needs no running node: the store, the text reviewer and a way to announce.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from typing import Any

from causerie.core.policy.nicknames import staff_skeletons
from causerie.core.policy.review import TextReviewer
from causerie.core.policy.room_rules import RoomSpec, checked_room
from causerie.core.rooms import Room
from causerie.errors import CauserieError, ErrorCode
from causerie.safety.audit import ActorKind, AuditAction
from causerie.store.base import Store, StoredRoom

# What an edit may change; the id never changes (it is the IRC channel and the messages' key).
EDITABLE = (
    "name",
    "topic",
    "kind",
    "audience",
    "pictures",
    "slow_mode_s",
    "member_limit",
    "position",
)


def _no_room() -> CauserieError:
    return CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="id")


def settings_of(stored: StoredRoom) -> dict[str, Any]:
    """A stored room as the admin API and the CLI show it."""
    room = stored.room
    return {
        "id": room.id,
        "name": room.name,
        "topic": room.topic,
        "kind": room.kind.value,
        "audience": room.audience.value,
        "pictures": room.pictures,
        "slow_mode_s": stored.slow_mode_s,
        "member_limit": room.member_limit,
        "position": room.position,
        "official": room.is_official,
        "locked": stored.locked,
        "archived_at_ms": stored.archived_at_ms,
        "games": list(room.games),
    } | (_member_settings(room) if room.is_member_room else {})


def _member_settings(room: Room) -> dict[str, Any]:
    """A member room's owner, modes and roles, as staff see them (docs/moderation.md)."""
    modes, access = room.modes, room.access
    return {
        "owner": room.owner,
        "modes": {
            "moderated": modes.moderated,
            "invite_only": modes.invite_only,
            "keyed": bool(modes.key),
            "unlisted": modes.unlisted,
            "topic_locked": modes.topic_locked,
        },
        "operators": sorted(access.operators),
        "voiced": sorted(access.voiced),
        "banned": sorted(access.banned),
    }


def _spec(room: Room, slow_mode_s: float, changes: Mapping[str, Any]) -> RoomSpec:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise CauserieError(ErrorCode.INVALID, "invalid", field=sorted(unknown)[0])
    base = RoomSpec(
        room.id,
        room.name,
        room.kind.value,
        room.audience.value,
        room.topic,
        room.pictures,
        slow_mode_s,
        room.member_limit,
        room.position,
    )
    return dataclasses.replace(base, **changes)


class RoomEditor:
    """Args:
    store: where rooms are kept.
    reviewer: the automatic moderation's word lists (names and topics pass them).
    announce: tells every node that rooms changed (`Publisher.rooms_changed`).
    now_ms: the clock.
    """

    def __init__(
        self,
        store: Store,
        reviewer: TextReviewer,
        announce: Callable[[], Awaitable[None]],
        now_ms: Callable[[], int],
    ) -> None:
        self._store = store
        self._reviewer = reviewer
        self._announce = announce
        self._now_ms = now_ms

    async def rooms(self, *, archived: bool = False) -> list[StoredRoom]:
        """The rooms in their listed order; archived ones too when asked."""
        rows = await self._store.stored_rooms()
        return [row for row in rows if archived or row.archived_at_ms is None]

    async def add(self, spec: RoomSpec, actor: str, reason: str = "") -> StoredRoom:
        """Make an official room.

        Raises:
            CauserieError: `invalid` with the key and field at fault (`room_exists` for an id
                ever used).
        """
        rows = await self._store.stored_rooms()
        room = await self._checked(spec, rows, previous=None)
        slow_mode_s = float(spec.slow_mode_s)
        if not await self._store.add_room(room, slow_mode_s, self._now_ms()):
            raise CauserieError(ErrorCode.INVALID, "room_exists", field="id")
        stored = StoredRoom(room, slow_mode_s, False, None, self._now_ms())
        await self._audit(AuditAction.ROOM_ADDED, actor, room.id, reason, settings_of(stored))
        await self._announce()
        return stored

    async def edit(
        self, room_id: str, changes: Mapping[str, Any], actor: str, reason: str = ""
    ) -> StoredRoom:
        """Change a room's settings (`EDITABLE`; the rest stays as it is).

        Raises:
            CauserieError: `not_found` for no such room (or an archived one), `invalid` as
                `add`, and `room_audience_change` for an audience the room may not take.
        """
        rows = await self._store.stored_rooms()
        current = next((r for r in rows if r.room.id == room_id.strip().lower()), None)
        if current is None or current.archived_at_ms is not None:
            raise _no_room()
        spec = _spec(current.room, current.slow_mode_s, changes)
        room = await self._checked(spec, rows, previous=current.room)
        slow_mode_s = float(spec.slow_mode_s)
        if not await self._store.update_room(room, slow_mode_s, self._now_ms()):
            raise _no_room()
        stored = dataclasses.replace(current, room=room, slow_mode_s=slow_mode_s)
        before, after = settings_of(current), settings_of(stored)
        changed = {key: [before[key], after[key]] for key in EDITABLE if before[key] != after[key]}
        await self._audit(AuditAction.ROOM_EDITED, actor, room.id, reason, changed)
        await self._announce()
        return stored

    async def archive(self, room_id: str, actor: str, reason: str = "") -> None:
        """Close a room: its members are taken out, joins answer `not_found`, its messages stay
        under the retention and evidence rules.

        Raises:
            CauserieError: `not_found` for no such room, or one archived already.
        """
        key = room_id.strip().lower()
        stored = await self._store.stored_room(key)
        if stored is None or not await self._store.archive_room(key, self._now_ms()):
            raise _no_room()
        await self._audit(AuditAction.ROOM_ARCHIVED, actor, key, reason, {"name": stored.room.name})
        await self._announce()

    async def set_games(
        self,
        room_id: str,
        names: Sequence[str],
        fit: Collection[str],
        actor: str,
        reason: str = "",
    ) -> tuple[str, ...]:
        """Set the games a room allows (docs/games.md, "Which games run where"); returns them
        as stored. `fit`: the room games this room may allow (node/games/offer.py
        `fit_games`). A change is audited (`room_games`, before and after) and announced: the
        people who may see the room get it with its new `games` (`room_updated`).

        Raises:
            CauserieError: `not_found` for no such room (or an archived one); `invalid`
                (`room_games_unfit`, field `games`) naming what is not a room game fit here.
        """
        key = room_id.strip().lower()
        stored = await self._store.stored_room(key)
        if stored is None or stored.archived_at_ms is not None:
            raise _no_room()
        wanted = list(dict.fromkeys(name.strip().lower() for name in names))
        unfit = [name for name in wanted if name not in fit]
        if unfit:
            raise CauserieError(
                ErrorCode.INVALID,
                "room_games_unfit",
                field="games",
                names=", ".join(unfit),
                choices=", ".join(sorted(fit)) or "-",
            )
        before = stored.room.games
        await self._store.set_room_games(key, wanted)
        after = await self._store.room_games(key)
        if after != before:
            details = {"games": [list(before), list(after)]}
            await self._audit(AuditAction.ROOM_GAMES, actor, key, reason, details)
            await self._announce()
        return after

    async def _checked(self, spec: RoomSpec, rows: list[StoredRoom], previous: Room | None) -> Room:
        return checked_room(
            spec,
            existing=[r.room for r in rows if r.archived_at_ms is None],
            taken_ids=[r.room.id for r in rows],
            reviewer=self._reviewer,
            reserved_skeletons=staff_skeletons(await self._store.staff_names()),
            previous=previous,
        )

    async def _audit(
        self, action: AuditAction, actor: str, room_id: str, reason: str, details: Any
    ) -> None:
        await self._store.append_audit(
            at_ms=self._now_ms(),
            actor=actor,
            actor_kind=ActorKind.HUMAN,
            action=action,
            target=f"room:{room_id}",
            reason=reason,
            details=details,
        )
