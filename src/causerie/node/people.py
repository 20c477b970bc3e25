"""`People`: what a node does about a person wherever they are connected — find them, tell
them something, give their node an order (mute, kick), ban them, hide a message, restrict a
room. A part of `Node` (node/runtime.py): the moderation service acts through it.
"""

from __future__ import annotations

import json
from collections.abc import Coroutine
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from causerie.broker.base import Broker, BrokerUnavailable, room_channel, session_channel
from causerie.core.events import (
    MessageDeleted,
    Noticed,
    NoticeKind,
    Outcome,
    Parted,
    RoomStateChanged,
)
from causerie.core.hub import Hub
from causerie.core.messages import Message
from causerie.core.policy.bans import Ban, BanScope
from causerie.core.policy.nicknames import nick_key
from causerie.core.restrictions import clamped_slow_mode_s
from causerie.core.users import PublicUser
from causerie.errors import CauserieError, ErrorCode
from causerie.node.cluster import Cluster, public_user
from causerie.node.connections import CLOSE_KICKED, Connection
from causerie.node.envelope import Envelope
from causerie.node.grooming import UNPAUSE_ORDER
from causerie.store.base import ConnectionRecord, Store
from causerie.wire.events import encode_event

if TYPE_CHECKING:
    from causerie.node.bans import BanKeeper
    from causerie.node.pictures import Pictures

CONTROL_PREFIX = "\x00"  # on a session's channel: an order for the node hosting it, not a frame


class People:
    hub: Hub
    store: Store
    broker: Broker
    cluster: Cluster | None
    bans: BanKeeper
    pictures: Pictures
    _connections: dict[str, Connection]

    def now_ms(self) -> int:
        raise NotImplementedError  # Node's

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        raise NotImplementedError  # Node's

    async def _deliver(self, outcome: Outcome) -> None:
        raise NotImplementedError  # Node's

    async def ban(
        self,
        *,
        nick: str,
        scope: BanScope,
        room: str | None,
        duration_s: float | None,
        reason: str,
        actor: str,
    ) -> Ban:
        """Ban a person by nickname on every node (see `BanKeeper.ban`)."""
        return await self.bans.ban(
            nick=nick, scope=scope, room=room, duration_s=duration_s, reason=reason, actor=actor
        )

    async def find_connection(self, nick: str) -> ConnectionRecord | None:
        """The connection record of whoever uses (or last used) a nickname."""
        found = await self.find_person(nick)
        if found is not None:
            return await self.store.connection(found[0])
        return await self.store.last_connection_of(nick.strip())

    async def find_person(self, nick: str) -> tuple[str, PublicUser] | None:
        """(session, public profile) of someone connected under `nick`, on any node."""
        session = self.hub.session_of_nick(nick)
        if session is not None:
            return session, self.hub.profile_of(session).public()
        if self.cluster is not None:
            claim = await self.cluster.presence.find_nick(nick_key(nick.strip()))
            if claim is not None:
                return claim["session"], public_user(claim["user"])
        return None

    def lang_of(self, session: str) -> str:
        connection = self._connections.get(session)
        return connection.lang if connection else "fr"

    async def send_to_session(self, session: str, frame: str) -> None:
        with suppress(BrokerUnavailable):
            await self.broker.publish(session_channel(session), frame)

    async def inform(self, session: str, key: str, **params: object) -> None:
        event = Noticed(NoticeKind.INFO, key, tuple(params.items()))
        await self.send_to_session(session, encode_event(event, lang=self.lang_of(session)))

    async def control(self, session: str, order: dict[str, Any]) -> None:
        """An order about a session, carried out by the node that hosts it."""
        await self.broker.publish(session_channel(session), CONTROL_PREFIX + json.dumps(order))

    def _obey(self, session: str, order: dict[str, Any]) -> None:
        connection = self._connections.get(session)
        if connection is None:
            return
        if order.get("op") == UNPAUSE_ORDER:  # a grooming alert was decided (node/grooming.py)
            self.hub.pause_with_minors(session, False)
            self.hub.watch.release(nick_key(self.hub.profile_of(session).nick))
        elif order.get("op") == "mute":
            self.hub.mute(session, order.get("room"), order.get("until"))
        elif order.get("op") == "kick":
            room = order.get("room")
            if room:
                self._spawn(self._deliver(self.hub.remove_from_room(session, room)))
                self._spawn(self._announce_part(connection, room))
            else:
                connection.close(CLOSE_KICKED, "kicked")

    async def _announce_part(self, connection: Connection, room: str) -> None:
        connection.send(Envelope.reply(Parted(room), lang=connection.lang))

    async def delete_message(
        self, message_id: int, actor: str = "moderator", reason: str = ""
    ) -> None:
        """Gone for users on every node (the store keeps it for its report); a picture it
        carries is no longer served and its exact bytes are refused from then on."""
        message = self.hub.find_recent(message_id)
        room = message.room if message else None
        if room is None:
            stored = await self.store.find_message(message_id)
            room = stored.room if isinstance(stored, Message) else None
        await self.store.mark_deleted(message_id, self.now_ms())
        media_id = await self.store.media_of_message(message_id)
        if media_id is not None:
            await self.pictures.remove(media_id, actor, reason)
        if room is not None:
            await self.broker.publish(
                room_channel(room), encode_event(MessageDeleted(room, message_id))
            )

    async def restrict_room(
        self, room: str, *, locked: bool | None = None, slow_mode_s: float | None = None
    ) -> None:
        if self.hub.room(room) is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        current = self.hub.restrictions.room(room)
        event = RoomStateChanged(
            room,
            current.locked if locked is None else locked,
            current.slow_mode_s if slow_mode_s is None else clamped_slow_mode_s(slow_mode_s),
        )
        await self.store.set_room_restrictions(room, event.locked, event.slow_mode_s)
        await self.broker.publish(room_channel(room), encode_event(event))

    async def lift_bans(self, nick: str) -> None:
        await self.bans.lift(nick)
