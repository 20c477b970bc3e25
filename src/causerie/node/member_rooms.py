"""`MemberRooms`: the commands of rooms people make — create, topic, modes, operators,
invitations, kicks, bans, settings — from any door (the WebSocket today, IRC next).

How this works: the pure rules decide (core/policy/member_rooms.py); this service reads the
room as stored (the truth every node shares, so a change made on another node a moment ago
is the one changed), stores the result, writes the audit log (actor kind `person`: an owner is
not staff, and staff read what owners did), announces `"rooms"` on the control channel so
that every node applies it (node/room_sync.py) and applies it here before answering. The
store's key decides a race: two nodes making one name at once get one room, and the second
maker `room_name_taken`.

A person is found by nickname on any node (`Directory`); someone the requester may not
address (another age band) is absent exactly as a nickname nobody uses (`user_not_found`),
and a member room outside the requester's audience is `room_not_found` like a room never
made. A kick and a ban's removal go to the node hosting the person (a `kick` order).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from causerie.core import commands as cmd
from causerie.core.events import (
    Event,
    RoomCreated,
    RoomInvited,
    RoomSettingsShown,
    RoomUpdated,
    RoomView,
)
from causerie.core.hub import Hub
from causerie.core.policy import member_rooms as rules
from causerie.core.policy.agebands import can_see_room
from causerie.core.policy.member_rooms import MemberRoomLimits, ModeChange, RoomRole
from causerie.core.policy.nicknames import nick_key, staff_skeletons
from causerie.core.policy.review import TextReviewer
from causerie.core.policy.visibility import may_address, nobody
from causerie.core.rooms import Audience, Room
from causerie.core.users import Profile
from causerie.errors import CauserieError, ErrorCode
from causerie.node.cluster import Cluster
from causerie.node.connections import Connection
from causerie.node.directory import Directory
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.safety.audit import ActorKind, AuditAction
from causerie.store.base import Store, StoredRoom
from causerie.wire.commands import RequestId

DAY_MS = 24 * 3600 * 1000
MAX_REASON_CHARS = 300


class Following(Protocol):
    async def follow(self, *, force: bool = False) -> int: ...


class Answering(Protocol):
    def send(self, connection: Connection, request_id: RequestId, events: list[Event]) -> None: ...


def _no_room() -> CauserieError:
    return CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")


def settings_shown(room: Room, role: RoomRole, members: int) -> RoomSettingsShown:
    access = room.access
    return RoomSettingsShown(
        RoomView(room, members),
        role.value,
        room.modes.key,
        tuple(sorted(access.operators, key=str.casefold)),
        tuple(sorted(access.banned, key=str.casefold)),
        tuple(sorted(access.invited, key=str.casefold)),
        tuple(sorted(access.voiced, key=str.casefold)),
    )


class MemberRooms:
    """Args:
    hub: this node's rooms and people.
    store: the rooms as stored, the audit log.
    directory: people by nickname on every node.
    cluster: the shared presence (None for a single node).
    publisher: orders and notices for people on any node; `rooms_changed`.
    room_sync: applies the stored rooms to this node's hub.
    replies: answers to the requester.
    reviewer: the word lists names and topics pass.
    limits: how many rooms people make.
    clock: the time.
    """

    def __init__(
        self,
        *,
        hub: Hub,
        store: Store,
        directory: Directory,
        cluster: Cluster | None,
        publisher: Publisher,
        room_sync: Following,
        replies: Answering,
        reviewer: TextReviewer,
        limits: MemberRoomLimits,
        clock: Clock,
    ) -> None:
        self._hub = hub
        self._store = store
        self._directory = directory
        self._cluster = cluster
        self._publisher = publisher
        self._room_sync = room_sync
        self._replies = replies
        self._reviewer = reviewer
        self.limits = limits
        self._clock = clock
        handlers: dict[type, Callable[[Profile, str, Any], Awaitable[list[Event]]]] = {
            cmd.CreateRoom: self._create,
            cmd.SetTopic: self._topic,
            cmd.SetRoomModes: self._modes,
            cmd.SetRoomOperator: self._operator,
            cmd.SetRoomVoice: self._voice,
            cmd.InviteToRoom: self._invite,
            cmd.KickFromRoom: self._kick,
            cmd.BanFromRoom: self._ban,
            cmd.ShowRoomSettings: self._settings,
        }
        self._handlers = handlers

    async def handle(self, connection: Connection, request_id: RequestId, command: Any) -> None:
        """Answer one member-room command of a connection that said hello.

        Raises:
            CauserieError: the refusal (the router makes it the error frame).
        """
        session = connection.session
        if session is None:
            raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
        profile = self._hub.profile_of(session)
        events = await self._handlers[type(command)](profile, session, command)
        self._replies.send(connection, request_id, events)

    # -- making one ------------------------------------------------------------------------

    async def _create(self, profile: Profile, session: str, command: cmd.CreateRoom) -> list[Event]:
        now_ms = self._clock.now_ms()
        rows = await self._store.stored_rooms()
        live = [r for r in rows if r.archived_at_ms is None]
        key = nick_key(profile.nick)
        mine = [r for r in rows if r.room.owner and nick_key(r.room.owner) == key]
        hub_session = self._hub.session(session)
        trust = self._hub.config.trust
        is_trusted = (
            trust is None or hub_session is None or hub_session.trust.is_trusted(trust, now_ms)
        )
        rules.refuse_unless_may_create(
            profile,
            is_trusted=is_trusted,
            owned=sum(1 for r in mine if r.archived_at_ms is None),
            created_today=sum(1 for r in mine if r.created_at_ms >= now_ms - DAY_MS),
            in_cluster=sum(1 for r in live if r.room.is_member_room),
            limits=self.limits,
        )
        try:
            room = rules.new_member_room(
                command.name,
                command.topic,
                profile,
                audience=command.audience,
                existing=[r.room for r in live],
                taken_ids={r.room.id for r in rows},
                reviewer=self._reviewer,
                reserved_skeletons=staff_skeletons(await self._store.staff_names()),
            )
            if not await self._store.add_room(room, 0.0, now_ms):  # another was first
                raise CauserieError(ErrorCode.INVALID, "room_name_taken", field="name")
        except CauserieError as error:
            if error.key == "room_name_taken":
                # Made a moment ago (two `JOIN #new` at once, from here or another node):
                # this node reads it now, so that the join which follows the refusal finds it.
                await self._room_sync.follow(force=True)
            raise
        await self._audit(AuditAction.ROOM_CREATED, profile, room.id, "", _public(room))
        await self._announce()
        return [RoomCreated(RoomView(dataclasses.replace(room, created_ms=now_ms), 0))]

    # -- running one -----------------------------------------------------------------------

    async def _stored(self, profile: Profile, room_id: str) -> StoredRoom:
        """The room as stored, if this person may see it (`room_not_found` otherwise)."""
        stored = await self._store.stored_room(room_id.strip().lower())
        if (
            stored is None
            or stored.archived_at_ms is not None
            or not can_see_room(profile, stored.room)
        ):
            raise _no_room()
        return stored

    async def _change(
        self,
        profile: Profile,
        stored: StoredRoom,
        room: Room,
        action: AuditAction,
        details: dict[str, Any],
        reason: str = "",
    ) -> None:
        if room == stored.room:
            return
        if not await self._store.update_room(room, stored.slow_mode_s, self._clock.now_ms()):
            raise _no_room()
        await self._audit(action, profile, room.id, reason, details)
        await self._announce()

    def _answer(self, profile: Profile, room: Room) -> list[Event]:
        members = sum(1 for _ in self._hub.members_of(room.id))
        role = rules.role_of(room, profile.nick)
        if room.is_member_room and role is not RoomRole.MEMBER:
            return [settings_shown(room, role, members)]
        return [RoomUpdated(RoomView(room, members))]

    async def _topic(self, profile: Profile, _session: str, command: cmd.SetTopic) -> list[Event]:
        stored = await self._stored(profile, command.room)
        room = rules.changed_topic(stored.room, profile.nick, command.topic, self._reviewer)
        await self._change(profile, stored, room, AuditAction.ROOM_TOPIC, {"topic": room.topic})
        return self._answer(profile, room)

    async def _modes(
        self, profile: Profile, _session: str, command: cmd.SetRoomModes
    ) -> list[Event]:
        stored = await self._stored(profile, command.room)
        change = ModeChange(
            command.moderated,
            command.invite_only,
            command.key,
            command.unlisted,
            command.topic_locked,
            command.member_limit,
        )
        room = rules.changed_modes(stored.room, profile.nick, change)
        before, after = _modes_of(stored.room), _modes_of(room)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        await self._change(profile, stored, room, AuditAction.ROOM_MODES, changed)
        return self._answer(profile, room)

    async def _operator(
        self, profile: Profile, _session: str, command: cmd.SetRoomOperator
    ) -> list[Event]:
        role = (rules.changed_operator, AuditAction.ROOM_OPERATOR, "operator")
        return await self._role(profile, command.room, command.nick, command.is_operator, role)

    async def _voice(
        self, profile: Profile, _session: str, command: cmd.SetRoomVoice
    ) -> list[Event]:
        role = (rules.changed_voice, AuditAction.ROOM_VOICE, "voiced")
        return await self._role(profile, command.room, command.nick, command.is_voiced, role)

    async def _role(
        self,
        profile: Profile,
        room_id: str,
        target: str,
        is_given: bool,
        role: tuple[Callable[[Room, str, str, bool], Room], AuditAction, str],
    ) -> list[Event]:
        """An operator's (+o) or a voice (+v) given or taken: the rule (`role`: the change,
        its audit action, its key in the details) checked before anyone is looked up, then
        on the nickname as written."""
        change, action, key = role
        stored = await self._stored(profile, room_id)
        change(stored.room, profile.nick, target, is_given)
        if is_given and not await self._is_in_room(stored.room.id, target):
            # Someone the requester may not address (another band) is nobody, as for INVITE.
            found = await self._directory.find_person(target)
            if found is None or not may_address(profile.age, found[1].age):
                raise nobody("nick")
            raise CauserieError(ErrorCode.NOT_FOUND, "room_target_absent", field="nick")
        nick = await self._written_nick(target)
        room = change(stored.room, profile.nick, nick, is_given)
        details = {"nick": nick, key: is_given}
        await self._change(profile, stored, room, action, details)
        return self._answer(profile, room)

    async def _invite(
        self, profile: Profile, session: str, command: cmd.InviteToRoom
    ) -> list[Event]:
        stored = await self._stored(profile, command.room)
        rules.changed_invitation(stored.room, profile.nick, command.nick)  # refused early
        found = await self._directory.find_person(command.nick)
        if found is None or found[0] == session or not may_address(profile.age, found[1].age):
            raise nobody("nick")
        target_session, target = found
        if await self._is_in_room(stored.room.id, target.nick):
            raise CauserieError(ErrorCode.INVALID, "room_target_in_room", field="nick")
        room = rules.changed_invitation(stored.room, profile.nick, target.nick)
        await self._change(profile, stored, room, AuditAction.ROOM_INVITE, {"nick": target.nick})
        members = sum(1 for _ in self._hub.members_of(room.id))
        await self._publisher.to_session(
            target_session, RoomInvited(RoomView(room, members), profile.nick)
        )
        return self._answer(profile, room)

    async def _kick(
        self, profile: Profile, _session: str, command: cmd.KickFromRoom
    ) -> list[Event]:
        stored = await self._stored(profile, command.room)
        room = stored.room
        rules.refuse_unless_may_act_on(room, profile.nick, command.nick)
        reason = _reason(command.reason)
        found = await self._directory.find_person(command.nick)
        if found is None or not await self._is_in_room(room.id, command.nick):
            raise CauserieError(ErrorCode.NOT_FOUND, "room_target_absent", field="nick")
        target_session, target = found
        details = {"nick": target.nick}
        await self._audit(AuditAction.ROOM_KICK, profile, room.id, reason, details)
        # The room reads the reason only when it passes its word lists, as a topic must.
        shown = rules.room_reason(reason, self._reviewer, room.audience is Audience.TEEN)
        await self._take_out(target_session, room, profile.nick, reason, "room_kicked", shown)
        return self._answer(profile, room)

    async def _ban(self, profile: Profile, _session: str, command: cmd.BanFromRoom) -> list[Event]:
        stored = await self._stored(profile, command.room)
        reason = _reason(command.reason)
        # A ban names a nickname, present or not (IRC's +b): nothing is looked up before it
        # is decided, so a ban tells nothing of who is connected.
        rules.changed_ban(stored.room, profile.nick, command.nick, command.is_banned)
        nick = await self._written_nick(command.nick) if command.is_banned else command.nick
        room = rules.changed_ban(stored.room, profile.nick, nick, command.is_banned)
        action = AuditAction.ROOM_BAN if command.is_banned else AuditAction.ROOM_UNBAN
        await self._change(profile, stored, room, action, {"nick": nick}, reason)
        if command.is_banned and await self._is_in_room(room.id, nick):
            found = await self._directory.find_person(nick)
            if found is not None:
                await self._take_out(found[0], room, profile.nick, reason, "room_banned_by")
        return self._answer(profile, room)

    async def _settings(
        self, profile: Profile, _session: str, command: cmd.ShowRoomSettings
    ) -> list[Event]:
        stored = await self._stored(profile, command.room)
        role = rules.refuse_unless_operator(stored.room, profile.nick)
        members = sum(1 for _ in self._hub.members_of(stored.room.id))
        return [settings_shown(stored.room, role, members)]

    # -- helpers ---------------------------------------------------------------------------

    async def _take_out(
        self, session: str, room: Room, by: str, reason: str, key: str, shown: str | None = None
    ) -> None:
        """Tell the person why, then take them out of the room on the node hosting them; with
        `shown` (a kick), the room sees them taken out by `by` for that reason."""
        suffix = f" : {reason}" if reason else ""
        await self._publisher.inform(session, key, name=room.name, by=by, reason=suffix)
        order: dict[str, str] = {"op": "kick", "room": room.id}
        if shown is not None:
            order |= {"by": by, "reason": shown}
        await self._publisher.control(session, order)

    async def _written_nick(self, nick: str) -> str:
        """The nickname as its connected holder writes it; as given when nobody holds it."""
        found = await self._directory.find_person(nick)
        return found[1].nick if found is not None else nick.strip()

    async def _is_in_room(self, room_id: str, nick: str) -> bool:
        key = nick_key(nick)
        hub = self._hub
        for member in hub.members_of(room_id):
            if nick_key(hub.profile_of(member).nick) == key:
                return True
        if self._cluster is None:
            return False
        members = await self._cluster.presence.members(room_id, self._clock.now_ms())
        return any(nick_key(str(m.get("nick", ""))) == key for m in members)

    async def _announce(self) -> None:
        await self._publisher.rooms_changed()
        await self._room_sync.follow(force=True)

    async def _audit(
        self, action: AuditAction, profile: Profile, room_id: str, reason: str, details: Any
    ) -> None:
        await self._store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=profile.nick,
            actor_kind=ActorKind.PERSON,
            action=action,
            target=f"room:{room_id}",
            reason=reason,
            details=details,
        )


def _reason(raw: str) -> str:
    return " ".join(raw.split())[:MAX_REASON_CHARS]


def _modes_of(room: Room) -> dict[str, Any]:
    modes = dataclasses.asdict(room.modes)
    modes["key"] = bool(modes["key"])  # the audit says a key was set, never which
    modes["member_limit"] = room.member_limit
    return modes


def _public(room: Room) -> dict[str, Any]:
    return {"name": room.name, "topic": room.topic, "audience": room.audience.value}
