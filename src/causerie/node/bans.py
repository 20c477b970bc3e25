"""`BanKeeper`: the bans a node enforces — loaded from the store, refreshed every few seconds
and at once when another node signals a new one, checked at admission and room entry, and
applied to the people connected here (DESIGN.md rule 6: by session, device and address).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import Part
from causerie.core.policy.bans import Ban, BanList, BanScope, expiry_ms
from causerie.errors import CauserieError, ErrorCode
from causerie.node.connections import CLOSE_BANNED, Connection
from causerie.node.teen_space import closed_error

if TYPE_CHECKING:
    from causerie.node.runtime import Node

CONTROL_CHANNEL = "control"  # tells every node to look for new bans in the store


class BanKeeper:
    def __init__(self, node: Node) -> None:
        self._node = node
        self.known = BanList()
        self._last_id = 0

    def refuse_if_banned(
        self, connection: Connection, room: str | None, session: str | None
    ) -> None:
        peer, now_ms = connection.peer, self._node.now_ms()
        ban = self.known.find(
            session=session,
            device=peer.device,
            address=peer.origin.address,
            room=room,
            now_ms=now_ms,
        )
        if ban is not None:
            raise CauserieError(
                ErrorCode.BANNED,
                "banned",
                field="room" if room else None,
                retry_after_s=ban.retry_after_s(now_ms),
            )

    def refuse_if_muted(self, connection: Connection, room: str | None) -> None:
        peer, now_ms = connection.peer, self._node.now_ms()
        mute = self.known.find_mute(
            session=connection.session,
            device=peer.device,
            address=peer.origin.address,
            room=room,
            now_ms=now_ms,
        )
        if mute is not None:
            raise CauserieError(ErrorCode.MUTED, "muted", retry_after_s=mute.retry_after_s(now_ms))

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
        record = await self._node.find_connection(nick)
        if record is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        now_ms = self._node.now_ms()
        ban = await self._node.store.add_ban(
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
        with suppress(BrokerUnavailable):  # the others also poll the store every few seconds
            await self._node.broker.publish(CONTROL_CHANNEL, "ban")
        return ban

    async def refresh(self) -> None:
        now_ms = self._node.now_ms()
        self.known.forget_expired(now_ms)
        fresh = await self._node.store.bans_after(self._last_id, now_ms)
        if fresh:
            self._last_id = max(self._last_id, *(ban.id for ban in fresh))
            self._enforce(fresh)

    def _enforce(self, bans: Sequence[Ban]) -> None:
        """Remember bans and apply them to the people connected here."""
        self.known.update(bans)
        now_ms = self._node.now_ms()
        for connection in list(self._node.connections()):
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
                    self._node.send_error(
                        connection,
                        CauserieError(
                            ErrorCode.BANNED, "banned", retry_after_s=ban.retry_after_s(now_ms)
                        ),
                    )
                    connection.close(CLOSE_BANNED, "banned")
                elif ban.scope is BanScope.TEEN_SPACE and self._is_minor(connection):
                    # Moved out of the teen space (node/teen_space.py): its teen session ends.
                    self._node.send_error(connection, closed_error())
                    connection.close(CLOSE_BANNED, "moved out of the teen space")
                elif (
                    ban.scope is BanScope.ROOM
                    and ban.room is not None
                    and connection.session is not None
                ):
                    self._node.spawn(self._remove_from_room(connection, ban))

    def _is_minor(self, connection: Connection) -> bool:
        known = self._node.hub.session(connection.session) if connection.session else None
        return known is not None and known.profile.is_minor

    async def _remove_from_room(self, connection: Connection, ban: Ban) -> None:
        assert connection.session is not None and ban.room is not None
        if ban.room not in self._node.hub.rooms_of(connection.session):
            return
        await self._node.dispatch(connection, None, Part(ban.room))
        self._node.send_error(
            connection,
            CauserieError(
                ErrorCode.BANNED,
                "banned",
                field="room",
                retry_after_s=ban.retry_after_s(self._node.now_ms()),
            ),
        )

    async def lift(self, nick: str, scope: BanScope | None = None) -> None:
        """Lift every ban in force against a nickname (an appeal reversed the decision), or
        those of one scope."""
        lifted = await self._node.store.lift_bans(nick, self._node.now_ms(), scope)
        self.known.update(lifted)
        with suppress(BrokerUnavailable):
            await self._node.broker.publish(CONTROL_CHANNEL, "ban")
