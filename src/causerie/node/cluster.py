"""`Cluster`: what a node does differently when several nodes share Redis.

Member lists and counts come from every node's presence; nicknames are claimed across nodes (a
resuming person takes theirs back at once); a private message may go to someone on another node;
a heartbeat keeps this node's claims alive and announces the people of nodes that died.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from contextlib import suppress
from typing import Any

from causerie.broker.base import BrokerUnavailable
from causerie.broker.presence import RedisPresence
from causerie.core.commands import Block, Command, Join, Part, SendDm, Unblock
from causerie.core.events import (
    Event,
    Joined,
    PresenceChanged,
    PresenceState,
    RoomsListed,
    RoomView,
    Welcomed,
)
from causerie.core.hub import Hub, Peer
from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.visibility import listed_in, nobody, refuse_unless_addressable
from causerie.core.users import Gender, PublicUser
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.node.session_table import SessionTable
from causerie.wire.views import user_view

log = logging.getLogger(__name__)


def public_user(view: dict[str, Any]) -> PublicUser:
    return PublicUser(
        view["nick"], Gender(view["gender"]), view["age"], view["dept"], view["region"]
    )


class Cluster:
    """Args:
    presence: the shared presence in Redis (nicknames, room members, node numbers).
    hub: this node's state, which the other nodes' complements.
    publisher: to close a resumed session elsewhere and announce people of dead nodes.
    table: the sessions connected here (their claims are renewed by the heartbeat).
    clock: the time.
    """

    def __init__(
        self,
        presence: RedisPresence,
        hub: Hub,
        publisher: Publisher,
        table: SessionTable,
        clock: Clock,
    ) -> None:
        self.presence = presence
        self._hub = hub
        self._publisher = publisher
        self._table = table
        self._clock = clock
        self.is_reachable = True

    async def claim_node_id(self) -> int:
        """A node number (0-63) no live node holds; message ids carry it."""
        return await self.presence.claim_node_id(self._clock.now_ms())

    async def withdraw_node(self) -> None:
        """At stop: this node's members leave every room, its claims go."""
        with suppress(BrokerUnavailable):
            await self.presence.withdraw(room.id for room in self._hub.rooms())
        await self.presence.close()

    async def claim(self, user: PublicUser, session: str, previous: str | None) -> bool:
        """Claim a nickname on every node; a resuming person (`previous` session) takes it
        back from their old session, which lives elsewhere or on a node that died."""
        key = nick_key(user.nick)
        if await self.presence.claim_nick(key, session, user_view(user)):
            return True
        if previous is None:
            return False
        record = await self.presence.find_nick(key)
        if record is None or record["session"] != previous:
            return False
        await self.presence.take_over_nick(key, session, user_view(user))
        await self._publisher.taken_over(previous)
        return True

    async def holder_of(self, nick: str) -> str | None:
        """The session holding a nickname on any node (None when nobody, or unreachable)."""
        with suppress(BrokerUnavailable):
            record = await self.presence.find_nick(nick_key(nick))
            return None if record is None else str(record["session"])
        return None

    async def hand_over(
        self, previous: str, session: str, rooms: list[str], blocked: list[str]
    ) -> None:
        """A person resumed here as `session`: their rooms and blocks, shared with the other
        nodes, move from `previous` (on whichever node it was)."""
        user = user_view(self._hub.profile_of(session).public())
        try:
            for room in rooms:
                await self.presence.leave(room, previous)
                await self.presence.enter(room, session, user)
            await self.presence.forget_blocks(previous)
            for key in blocked:
                await self.presence.block(session, key)
        except BrokerUnavailable as exc:  # the heartbeat writes the rooms again
            log.warning("presence of %s not handed over: %s", session, exc)

    async def release(self, nick: str, session: str) -> None:
        with suppress(BrokerUnavailable):
            await self.presence.release_nick(nick_key(nick), session)

    async def withdraw(self, session: str, nick: str, rooms: list[str]) -> None:
        """A session ended: leave its rooms, free its nickname and block list."""
        try:
            for room in rooms:
                await self.presence.leave(room, session)
            await self.presence.release_nick(nick_key(nick), session)
            await self.presence.forget_blocks(session)
        except BrokerUnavailable as exc:  # the claims expire by themselves
            log.warning("presence of %s not withdrawn: %s", session, exc)

    async def share(self, session: str, command: Command) -> None:
        """Tell the other nodes what a command changed that they must know."""
        hub = self._hub
        if isinstance(command, Join):
            user = user_view(hub.profile_of(session).public())
            await self.presence.enter(command.room, session, user)
        elif isinstance(command, Part):
            await self.presence.leave(command.room, session)
        elif isinstance(command, Block):
            await self.presence.block(session, nick_key(command.nick.strip()))
        elif isinstance(command, Unblock):
            await self.presence.unblock(session, nick_key(command.nick.strip()))

    async def peer_elsewhere(self, session: str, command: SendDm) -> Peer | None:
        """The recipient of a private message when they are on another node; None when they
        are here. Raises `not_found` when they are nowhere."""
        hub = self._hub
        if hub.is_connected_here(command.to):
            return None
        record = await self.presence.find_nick(nick_key(command.to.strip()))
        if record is None:
            raise nobody("to")
        sender = hub.profile_of(session)
        user = public_user(record["user"])
        if record["session"] != session:
            # Before any further round trip: someone of the other band answers as nobody does.
            refuse_unless_addressable(sender.age, user.age, target=user.nick)
        blocked = await self.presence.is_blocked_by(record["session"], nick_key(sender.nick))
        return Peer(record["session"], user, blocked)

    async def room_views(self, views: tuple[RoomView, ...]) -> tuple[RoomView, ...]:
        with suppress(BrokerUnavailable):
            counts = await self.presence.counts([v.room.id for v in views], self._clock.now_ms())
            return tuple(RoomView(v.room, counts.get(v.room.id, 0)) for v in views)
        return views

    async def view(self, event: Event) -> Event:
        """Replace this node's view of members and counts with every node's."""
        now_ms = self._clock.now_ms()
        if isinstance(event, Joined):
            members = await self.presence.members(event.room.room.id, now_ms)
            listed = (
                user for user in map(public_user, members) if listed_in(event.room.room, user.age)
            )
            users = tuple(sorted(listed, key=lambda u: nick_key(u.nick)))
            return dataclasses.replace(
                event, members=users, room=RoomView(event.room.room, len(users))
            )
        if isinstance(event, Welcomed | RoomsListed):
            return dataclasses.replace(event, rooms=await self.room_views(event.rooms))
        return event

    async def beat_forever(self) -> None:
        """Keep this node's claims alive; announce who left with nodes that died."""
        interval_s = self.presence.node_ttl_s / 3
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self._beat()
                if not self.is_reachable:
                    log.info("presence reachable again")
                self.is_reachable = True
            except BrokerUnavailable as exc:
                if self.is_reachable:
                    log.warning("presence unreachable: %s", exc)
                self.is_reachable = False

    async def _beat(self) -> None:
        hub = self._hub
        claims = {}
        for session in self._table.people():
            public = hub.profile_of(session).public()
            claims[nick_key(public.nick)] = (session, user_view(public))
        rooms = [room.id for room in hub.rooms()]
        members = {
            room: {s: user_view(hub.profile_of(s).public()) for s in hub.members_of(room)}
            for room in rooms
        }
        now_ms = self._clock.now_ms()
        if not await self.presence.heartbeat(now_ms, claims, members):
            node_id = await self.presence.claim_node_id(now_ms)
            hub.renumber(node_id)
            log.error("node number taken by another node (Redis flushed?); now node %d", node_id)
        for gone in await self.presence.reap(now_ms, rooms):
            event = PresenceChanged(gone.room, public_user(gone.user), PresenceState.LEFT)
            await self._publisher.to_room(gone.room, event)
