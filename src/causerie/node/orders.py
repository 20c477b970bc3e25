"""`Orders`: what the node hosting a session does when another part, on any node, decides
about that person (publisher.py's control orders on the session's channel):

- `mute` (a room or everywhere, until a time), `kick` (out of a room, or off the site),
  `unpause_minors` (a grooming alert was decided, node/grooming.py);
- `TAKEN_OVER`: the same person resumed on another connection, so this one closes (4002).

`remove_from_room` is also how a room ban takes someone out of a room (node/bans.py): the room
sees them leave, the shared presence forgets them there, and they are told `parted`.
"""

from __future__ import annotations

import json
from contextlib import suppress
from typing import Any

from causerie.broker.base import BrokerUnavailable
from causerie.core.events import Outcome
from causerie.core.hub import Hub
from causerie.core.policy.nicknames import nick_key
from causerie.node.cluster import Cluster
from causerie.node.connections import CLOSE_KICKED, CLOSE_TAKEN_OVER, Connection
from causerie.node.grooming import UNPAUSE_ORDER
from causerie.node.ports import Spawn
from causerie.node.publisher import CONTROL_PREFIX, TAKEN_OVER, Publisher
from causerie.node.replies import Replies
from causerie.node.session_table import SessionTable


class Orders:
    def __init__(
        self,
        hub: Hub,
        table: SessionTable,
        publisher: Publisher,
        replies: Replies,
        spawn: Spawn,
        cluster: Cluster | None,
    ) -> None:
        self._hub = hub
        self._table = table
        self._publisher = publisher
        self._replies = replies
        self._spawn = spawn
        self._cluster = cluster

    def obey(self, session: str, payload: str) -> None:
        """A control payload that came on `session`'s channel (`CONTROL_PREFIX` + JSON, or
        `TAKEN_OVER`); nothing happens when the session is not here."""
        connection = self._table.get(session)
        if connection is None:
            if payload == TAKEN_OVER and session in self._table.away:
                # Away here, resumed on another node: it goes on there, silently here.
                self._table.away.discard(session)
                self._hub.leave(session)
            return
        if payload == TAKEN_OVER:
            connection.close(CLOSE_TAKEN_OVER, "resumed elsewhere")
            return
        order: dict[str, Any] = json.loads(payload[len(CONTROL_PREFIX) :])
        op = order.get("op")
        if op == UNPAUSE_ORDER:  # a grooming alert was decided (node/grooming.py)
            self._hub.pause_with_minors(session, False)
            self._hub.watch.release(nick_key(self._hub.profile_of(session).nick))
        elif op == "mute":
            self._hub.mute(session, order.get("room"), order.get("until"))
        elif op == "kick":
            room = order.get("room")
            if room:  # out of the room now; the room and the person are told next
                by, reason = str(order.get("by", "")), str(order.get("reason", ""))
                outcome = self._hub.remove_from_room(session, room, by, reason)
                self._spawn(self._announce(connection, room, outcome))
            else:
                connection.close(CLOSE_KICKED, "kicked")

    async def remove_from_room(self, connection: Connection, room: str) -> None:
        """Take a connected person out of a room (a kick, a room ban): the room is told, then
        they are (`parted`). Nothing for someone not in it."""
        session = connection.session
        if session is not None:
            await self._announce(connection, room, self._hub.remove_from_room(session, room))

    async def _announce(self, connection: Connection, room: str, outcome: Outcome) -> None:
        session = connection.session
        if session is None or not outcome.replies:
            return
        with suppress(BrokerUnavailable):  # the presence's heartbeat puts it right later
            if self._cluster is not None:
                await self._cluster.presence.leave(room, session)
            await self._publisher.deliver(outcome)
        self._replies.send(connection, None, outcome.replies)
