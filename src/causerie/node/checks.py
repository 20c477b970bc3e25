"""The checks a command passes before the hub sees it (node/pipeline.py puts them in order).

Each is one object with one method, `run(request)`, that refuses by raising `CauserieError`
(or lets the request through, changed at most in its `command` or `opens_conversation`), and
names in `kinds` the commands it looks at; `run` returns what to await when the check needs
I/O (the shared flood gate, the store), None when it decided at once (requests.py `Step`).
They hold what outlives a session or spans nodes — bans, flood limits per device and address,
new conversations per hour, a picture's owner — while the hub keeps the rules of one session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol

from causerie.core.commands import Command, DeleteMessage, Join, Part, Say, SendDm
from causerie.core.hub import Session
from causerie.core.messages import MediaRef
from causerie.core.policy.agebands import can_see_room
from causerie.core.policy.bans import Ban
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.rooms import Room
from causerie.errors import CauserieError, ErrorCode
from causerie.node.bans import banned_error, muted_error
from causerie.node.connections import Peer
from causerie.node.floodgate import person_charges
from causerie.node.ports import Clock, Health, Spawn
from causerie.node.requests import Request

MESSAGES = (Say, SendDm)
NEW_CONVERSATION_SEVERITY = 4


class Bans(Protocol):
    """The bans in force (core/policy/bans.py `BanList`, kept by node/bans.py)."""

    def find(
        self,
        *,
        session: str | None,
        device: str,
        address: str,
        room: str | None,
        now_ms: int,
    ) -> Ban | None: ...

    def find_mute(
        self,
        *,
        session: str | None,
        device: str,
        address: str,
        room: str | None,
        now_ms: int,
    ) -> Ban | None: ...


class Buckets(Protocol):
    """The flood gate's buckets (node/floodgate.py), shared by nodes with Redis."""

    async def take_all(self, charges: list[tuple[str, RateLimit]], now_s: float) -> float: ...


class WriteGate(Protocol):
    def refuse_unless_may_write(self, session: str) -> None: ...


class JoinPartCharge(Protocol):
    async def charge_join_part(self, peer: Peer) -> None: ...


class Conversations(Protocol):
    def is_new_conversation(self, session_id: str, nick: str) -> bool: ...


class PersonFlagger(Protocol):
    async def flag_person(
        self,
        session: str | None,
        nick: str,
        rule: str,
        category: str,
        severity: int,
        details: dict[str, Any],
    ) -> None: ...


class PictureOwners(Protocol):
    async def resolve(self, session: str, media: MediaRef) -> MediaRef: ...


class AssuranceCheck:
    """A minor not assured may not write privately (core/policy/assurance.py): refused before
    any limit is charged for the message."""

    kinds = (SendDm,)

    def __init__(self, gate: WriteGate) -> None:
        self._gate = gate

    def run(self, request: Request) -> None:
        self._gate.refuse_unless_may_write(request.session)


class ReadyCheck:
    """No message is accepted while the store or the broker is down (`unavailable`)."""

    kinds = MESSAGES

    def __init__(self, health: Health) -> None:
        self._health = health

    def run(self, request: Request) -> None:
        if not self._health.is_ready:
            raise CauserieError(ErrorCode.UNAVAILABLE)


class BanCheck:
    """A ban from the room one joins (`banned`); a mute on what one writes (`muted`)."""

    kinds = (Join, Say, SendDm)

    def __init__(self, bans: Bans, clock: Clock) -> None:
        self._bans = bans
        self._now_s = clock.now_s

    def run(self, request: Request) -> None:
        command, peer = request.command, request.connection.peer
        now_ms = int(self._now_s() * 1000)  # `Clock.now_ms`, one call fewer per message
        if isinstance(command, Join):
            ban = self._bans.find(
                session=request.session,
                device=peer.device,
                address=peer.origin.address,
                room=command.room,
                now_ms=now_ms,
            )
            if ban is not None:
                raise banned_error(ban, command.room, now_ms)
            return
        mute = self._bans.find_mute(
            session=request.session,
            device=peer.device,
            address=peer.origin.address,
            room=command.room if isinstance(command, Say) else None,
            now_ms=now_ms,
        )
        if mute is not None:
            raise muted_error(mute, now_ms)


class JoinPartLimit:
    """Joins and parts per device and address (node/admission.py); a room a `resume` rejoins
    is not charged (the `hello` was)."""

    kinds = (Join, Part)

    def __init__(self, admission: JoinPartCharge) -> None:
        self._admission = admission

    def run(self, request: Request) -> Awaitable[None] | None:
        if request.is_rejoin:
            return None
        return self._admission.charge_join_part(request.connection.peer)


class FloodLimit:
    """The device's and the address's message buckets, which outlive a reconnection; taking
    back a message costs a token too (each one is a store write and an audit entry)."""

    kinds = (*MESSAGES, DeleteMessage)

    def __init__(self, buckets: Buckets, limit: RateLimit, clock: Clock) -> None:
        self._buckets = buckets
        self._limit = limit
        self._clock = clock

    async def run(self, request: Request) -> None:
        peer = request.connection.peer
        charges = person_charges("", peer.device, peer.origin.address, self._limit)
        wait_s = await self._buckets.take_all(charges, self._clock.now_s())
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=wait_s)


class NewConversationLimit:
    """At most N new conversations an hour per device and address, across reconnections; the
    first refusal also flags the account (mass-messaging strangers is the predator's pattern).
    Notes on the request whether the message opens a conversation (node/signals.py)."""

    kinds = (SendDm,)

    def __init__(
        self,
        conversations: Conversations,
        buckets: Buckets,
        limit: RateLimit | None,
        flagger: PersonFlagger,
        nick_of: Callable[[str], str],
        spawn: Spawn,
        clock: Clock,
        per_hour: int,
    ) -> None:
        self._conversations = conversations
        self._buckets = buckets
        self._limit = limit
        self._flagger = flagger
        self._nick_of = nick_of
        self._spawn = spawn
        self._clock = clock
        self._per_hour = per_hour
        self._flagged: set[str] = set()  # sessions flagged once already

    async def run(self, request: Request) -> None:
        command = request.command
        assert isinstance(command, SendDm)
        session = request.session
        opens = self._conversations.is_new_conversation(session, command.to)
        if opens and self._limit is not None:
            peer = request.connection.peer
            charges = person_charges("newconv:", peer.device, peer.origin.address, self._limit)
            wait_s = await self._buckets.take_all(charges, self._clock.now_s())
            if wait_s > 0:
                self._flag_once(session)
                raise CauserieError(
                    ErrorCode.RATE_LIMITED, "new_conversations", retry_after_s=wait_s
                )
        request.opens_conversation = opens

    def _flag_once(self, session: str) -> None:
        if session in self._flagged:
            return
        self._flagged.add(session)
        details = {"limit_per_hour": self._per_hour}
        self._spawn(
            self._flagger.flag_person(
                session,
                self._nick_of(session),
                "mass_messaging",
                "other",
                NEW_CONVERSATION_SEVERITY,
                details,
            )
        )


class PictureCheck:
    """The picture a message names must be its sender's and still shown (`not_found`)."""

    kinds = MESSAGES

    def __init__(self, pictures: PictureOwners) -> None:
        self._pictures = pictures

    def run(self, request: Request) -> Awaitable[None] | None:
        command: Command = request.command
        assert isinstance(command, MESSAGES)
        return None if command.media is None else self._resolve(request, command)

    async def _resolve(self, request: Request, command: Say | SendDm) -> None:
        assert command.media is not None
        media = await self._pictures.resolve(request.session, command.media)
        request.command = dataclasses.replace(command, media=media)


class RoomsHere(Protocol):
    """The hub's rooms and who may see them (core/hub)."""

    def room(self, room_id: str) -> Room | None: ...

    def session(self, session_id: str) -> Session | None: ...


class MemberCounts(Protocol):
    """Members of each room on every node (broker/presence.py)."""

    async def counts(self, rooms: Iterable[str], now_ms: int) -> dict[str, int]: ...


class RoomLimitAcrossNodes:
    """A room's member limit counts its members on every node (the shared presence); the hub
    counts this node's alone. Asked only of a room the person may see and is not in, so a
    room outside one's band is still `not_found`, never `room_full`. Two joins at the same
    instant on two nodes may pass the limit by one."""

    kinds = (Join,)

    def __init__(self, rooms: RoomsHere, counts: MemberCounts, clock: Clock) -> None:
        self._rooms = rooms
        self._counts = counts
        self._clock = clock

    def run(self, request: Request) -> Awaitable[None] | None:
        command = request.command
        assert isinstance(command, Join)
        room = self._rooms.room(command.room)
        session = self._rooms.session(request.session)
        if room is None or not room.member_limit or session is None:
            return None
        if room.id in session.rooms or not can_see_room(session.profile, room):
            return None
        return self._check(room.id, room.member_limit)

    async def _check(self, room_id: str, limit: int) -> None:
        counts = await self._counts.counts([room_id], self._clock.now_ms())
        if counts.get(room_id, 0) >= limit:
            raise CauserieError(ErrorCode.ROOM_FULL, "room_full", field="room", max=limit)
