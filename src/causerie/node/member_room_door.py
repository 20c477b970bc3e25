"""`MemberRoomDoor`: the pipeline's check of a member room's door (ban, invitation, key)
before its member limit, with the stored rooms read again before any refusal.

Why read them again: an owner's change reaches the other nodes through the control channel
(node/room_sync.py) a moment after it is stored, while the invitation itself goes straight to
the invitee's session. Someone invited on one node who joins at once on another could find
that node not knowing the invitation yet; so a join the door would refuse first makes this
node follow the store, and only then refuses. It costs a store read only for a refusal.
Checked here, ahead of `RoomLimitAcrossNodes`, a full room refuses in IRC's order: a ban
(474), no invitation (473) and a wrong key (475) before the limit (471).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol

from causerie.core.commands import Join
from causerie.core.hub import Session
from causerie.core.policy.agebands import can_see_room
from causerie.core.policy.member_rooms import refuse_unless_may_enter
from causerie.core.rooms import Room
from causerie.errors import CauserieError
from causerie.node.requests import Request


class Doors(Protocol):
    def room(self, room_id: str) -> Room | None: ...

    def session(self, session_id: str) -> Session | None: ...


class Following(Protocol):
    async def follow(self, *, force: bool = False) -> int: ...


class MemberRoomDoor:
    kinds = (Join,)

    def __init__(self, hub: Doors, room_sync: Following) -> None:
        self._hub = hub
        self._room_sync = room_sync

    def run(self, request: Request) -> Awaitable[None] | None:
        command = request.command
        assert isinstance(command, Join)
        hub = self._hub
        room = hub.room(command.room)
        session = hub.session(request.session)
        if room is None or not room.is_member_room or session is None:
            return None
        if room.id in session.rooms or not can_see_room(session.profile, room):
            return None  # in it already; or not_found, the hub's to say
        try:
            refuse_unless_may_enter(room, session.profile.nick, command.key)
        except CauserieError:
            return self._again(command, session)
        return None

    async def _again(self, command: Join, session: Session) -> None:
        await self._room_sync.follow(force=True)
        room = self._hub.room(command.room)
        if room is not None and can_see_room(session.profile, room):
            refuse_unless_may_enter(room, session.profile.nick, command.key)
