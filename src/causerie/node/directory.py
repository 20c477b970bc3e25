"""`Directory`: who is where, on every node — a person found by nickname (here, or in the shared
presence when nodes share Redis), the connection record behind a nickname, and the rooms with
their member counts. Moderation, bans and the public room list ask it; it changes nothing.
"""

from __future__ import annotations

from typing import Protocol

from causerie.core.events import RoomView
from causerie.core.hub import Hub
from causerie.core.policy.nicknames import nick_key
from causerie.core.rooms import Audience, Room
from causerie.core.users import PublicUser
from causerie.node.cluster import Cluster, public_user
from causerie.store.base import ConnectionRecord


class ConnectionRecords(Protocol):
    async def connection(self, session: str) -> ConnectionRecord | None: ...

    async def last_connection_of(self, nick: str) -> ConnectionRecord | None: ...


class Directory:
    def __init__(self, hub: Hub, records: ConnectionRecords, cluster: Cluster | None) -> None:
        self._hub = hub
        self._records = records
        self._cluster = cluster

    async def find_person(self, nick: str) -> tuple[str, PublicUser] | None:
        """(session, public profile) of someone connected under `nick`, on any node."""
        session = self._hub.session_of_nick(nick)
        if session is not None:
            return session, self._hub.profile_of(session).public()
        if self._cluster is not None:
            claim = await self._cluster.presence.find_nick(nick_key(nick.strip()))
            if claim is not None:
                return claim["session"], public_user(claim["user"])
        return None

    async def find_connection(self, nick: str) -> ConnectionRecord | None:
        """The connection record of whoever uses (or last used) a nickname."""
        found = await self.find_person(nick)
        if found is not None:
            return await self._records.connection(found[0])
        return await self._records.last_connection_of(nick.strip())

    async def room_views(self) -> tuple[RoomView, ...]:
        """The rooms with their member counts on every node, for the public directory, which
        anyone reads without a session: never a member room of the teen space (an adult never
        sees one, by any lookup) nor an unlisted one."""
        views = tuple(view for view in self._hub.room_views() if _is_public(view.room))
        return views if self._cluster is None else await self._cluster.room_views(views)


def _is_public(room: Room) -> bool:
    if not room.is_member_room:
        return True
    return room.audience is not Audience.TEEN and not room.modes.unlisted
