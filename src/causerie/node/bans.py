"""`BanKeeper`: the bans a node enforces — loaded from the store, refreshed every few seconds
and at once when another node signals a new one, checked at admission and room entry, and
applied to the people connected here (DESIGN.md rule 6: by session, device and address).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from causerie.core.hub import Hub
from causerie.core.policy.bans import Ban, BanList, BanScope, expiry_ms
from causerie.errors import CauserieError, ErrorCode
from causerie.node.connections import CLOSE_BANNED, Connection
from causerie.node.directory import Directory
from causerie.node.orders import Orders
from causerie.node.ports import Clock, Spawn
from causerie.node.publisher import Publisher
from causerie.node.replies import Replies
from causerie.node.session_table import SessionTable

MOVED_OUT_ACTION = "move_out_of_teen_space"
TEEN_SPACE_CLOSED_KEY = "teen_space_closed"


def closed_error() -> CauserieError:
    """The refusal a device moved out of the teen space gets when it declares a minor's age
    (node/teen_space.py)."""
    return CauserieError(
        ErrorCode.AGE_RESTRICTED, TEEN_SPACE_CLOSED_KEY, field="age", reason=MOVED_OUT_ACTION
    )


def banned_error(ban: Ban, room: str | None, now_ms: int) -> CauserieError:
    """`banned` (from a room when `room` is given), with when it ends."""
    return CauserieError(
        ErrorCode.BANNED,
        "banned",
        field="room" if room else None,
        retry_after_s=ban.retry_after_s(now_ms),
    )


def muted_error(mute: Ban, now_ms: int) -> CauserieError:
    return CauserieError(ErrorCode.MUTED, "muted", retry_after_s=mute.retry_after_s(now_ms))


class BanStore(Protocol):
    async def add_ban(self, ban: Ban) -> Ban: ...

    async def lift_bans(
        self, nick: str, now_ms: int, scope: BanScope | None = None
    ) -> list[Ban]: ...

    async def bans_after(self, after_id: int, now_ms: int) -> list[Ban]: ...


class BanKeeper:
    """Args:
    known: the bans in force, which the command pipeline checks too.
    store: where bans are kept (every node reads them).
    directory: who is behind a nickname.
    table, replies, orders: the people connected here, how to tell them, how to take them
        out of a room.
    publisher: to tell every node at once.
    """

    def __init__(
        self,
        known: BanList,
        store: BanStore,
        directory: Directory,
        hub: Hub,
        table: SessionTable,
        replies: Replies,
        orders: Orders,
        publisher: Publisher,
        spawn: Spawn,
        clock: Clock,
    ) -> None:
        self.known = known
        self._store = store
        self._directory = directory
        self._hub = hub
        self._table = table
        self._replies = replies
        self._orders = orders
        self._publisher = publisher
        self._spawn = spawn
        self._clock = clock
        self._last_id = 0

    def refuse_if_banned(
        self, connection: Connection, room: str | None, session: str | None
    ) -> None:
        """Raises `banned` when a ban in force matches the connection (at `hello`, `session`
        is the one resumed)."""
        peer, now_ms = connection.peer, self._clock.now_ms()
        ban = self.known.find(
            session=session,
            device=peer.device,
            address=peer.origin.address,
            room=room,
            now_ms=now_ms,
        )
        if ban is not None:
            raise banned_error(ban, room, now_ms)

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
        """Ban a person by nickname: their session, device and address, on every node.

        Raises:
            CauserieError: `not_found` when nobody ever connected under that nickname.
        """
        record = await self._directory.find_connection(nick)
        if record is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        now_ms = self._clock.now_ms()
        ban = await self._store.add_ban(
            Ban(
                0,
                scope,
                room,
                record.nick,
                record.session,
                record.device,
                record.address,
                reason,
                actor,
                now_ms,
                expiry_ms(now_ms, duration_s),
            )
        )
        self._enforce([ban])
        await self._publisher.bans_changed()
        return ban

    def refresh_soon(self) -> None:
        """Another node stored a ban: read it now rather than at the next poll."""
        self._spawn(self.refresh())

    async def refresh(self) -> None:
        now_ms = self._clock.now_ms()
        self.known.forget_expired(now_ms)
        fresh = await self._store.bans_after(self._last_id, now_ms)
        if fresh:
            self._last_id = max(self._last_id, *(ban.id for ban in fresh))
            self._enforce(fresh)

    def _enforce(self, bans: Sequence[Ban]) -> None:
        """Remember bans and apply them to the people connected here."""
        self.known.update(bans)
        now_ms = self._clock.now_ms()
        for connection in self._table.connections():
            peer = connection.peer
            for ban in bans:
                if not (
                    ban.is_active(now_ms)
                    and ban.matches(
                        connection.session, peer.device, peer.origin.address, is_admission=False
                    )
                ):
                    continue
                if ban.scope is BanScope.SITE:
                    self._replies.refuse(
                        connection,
                        CauserieError(
                            ErrorCode.BANNED, "banned", retry_after_s=ban.retry_after_s(now_ms)
                        ),
                    )
                    connection.close(CLOSE_BANNED, "banned")
                elif ban.scope is BanScope.TEEN_SPACE and self._is_minor(connection):
                    # Moved out of the teen space (node/teen_space.py): its teen session ends.
                    self._replies.refuse(connection, closed_error())
                    connection.close(CLOSE_BANNED, "moved out of the teen space")
                elif (
                    ban.scope is BanScope.ROOM
                    and ban.room is not None
                    and connection.session is not None
                ):
                    self._spawn(self._remove_from_room(connection, ban))

    def _is_minor(self, connection: Connection) -> bool:
        known = self._hub.session(connection.session) if connection.session else None
        return known is not None and known.profile.is_minor

    async def _remove_from_room(self, connection: Connection, ban: Ban) -> None:
        assert connection.session is not None and ban.room is not None
        if ban.room not in self._hub.rooms_of(connection.session):
            return
        await self._orders.remove_from_room(connection, ban.room)
        self._replies.refuse(connection, banned_error(ban, ban.room, self._clock.now_ms()))

    async def lift(self, nick: str, scope: BanScope | None = None) -> None:
        """Lift every ban in force against a nickname (an appeal reversed the decision), or
        those of one scope."""
        lifted = await self._store.lift_bans(nick, self._clock.now_ms(), scope)
        self.known.update(lifted)
        await self._publisher.bans_changed()
