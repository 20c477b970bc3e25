"""Rooms and who is in them: the rooms one may see, joins and parts, member lists.

`Membership` holds every room of the node (in their listed order; the operator adds, changes
and archives rooms through `put` and `archive`) and its members in order of arrival, and
answers the member lists the fan-out reads. The rules it keeps (DESIGN.md rule 2): a room
outside one's audience does not exist for them (the same `room_not_found`, word for word, as a
room nobody made); a room's member list shows only the members its audience lists; a session
is in at most `max_rooms_per_session` rooms and a room holds at most its `member_limit` people
(`room_full`); an archived room is gone like a room that never existed (`room_not_found`), its
members taken out; and every join or part request costs a token of the session's join/part
bucket before anything is looked up, so a flood gets `rate_limited` whether the room exists or
not. Each join or part is told to the room's members as a presence change. Pure: callers pass
`now_ms`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from causerie.core.commands import Join, ListRooms, Part
from causerie.core.events import (
    Event,
    Joined,
    Outcome,
    Parted,
    PresenceChanged,
    PresenceState,
    RoomArchived,
    RoomsListed,
    RoomUpdated,
    RoomView,
    Target,
    ToRoom,
    ToSession,
)
from causerie.core.hub.config import HubConfig
from causerie.core.hub.farewells import Farewells
from causerie.core.hub.history import RecentHistory
from causerie.core.hub.sessions import Session
from causerie.core.policy import assurance
from causerie.core.policy.agebands import can_see_room
from causerie.core.policy.member_rooms import is_listed_for, refuse_unless_may_enter
from causerie.core.policy.ratelimits import TokenBucket
from causerie.core.policy.visibility import listed_in
from causerie.core.rooms import Room
from causerie.core.users import AgeBand, Profile
from causerie.errors import CauserieError, ErrorCode


@dataclass(slots=True)
class RoomState:
    room: Room
    members: dict[str, None] = field(default_factory=dict)  # session ids, in order of arrival
    version: int = 0  # changes of `members`: fan-out may reuse what it knew of the same list

    def add(self, session_id: str) -> None:
        self.members[session_id] = None
        self.version += 1

    def remove(self, session_id: str) -> None:
        if session_id in self.members:
            del self.members[session_id]
            self.version += 1


class Membership:
    """The rooms of one node and their members.

    Args:
        rooms: the node's rooms, in the order lists show them.
        sessions: the connected sessions (read: a member's public view, `Session.rooms`).
        history: the rooms' recent messages, which a join returns.
        config: `max_rooms_per_session`, `join_part_limit`, `teen_assurance`.
    """

    def __init__(
        self,
        rooms: Iterable[Room],
        sessions: Mapping[str, Session],
        history: RecentHistory,
        config: HubConfig,
        farewells: Farewells | None = None,
    ) -> None:
        self._farewells = farewells  # None: leaving words are never shown
        self._rooms: dict[str, RoomState] = {room.id: RoomState(room) for room in rooms}
        self._sessions = sessions
        self._history = history
        self._config = config
        self._visible: dict[tuple[AgeBand, bool], tuple[RoomState, ...]] = {}

    # -- queries -----------------------------------------------------------------------------

    def room(self, room_id: str) -> Room | None:
        state = self._rooms.get(room_id)
        return state.room if state else None

    def rooms(self) -> list[Room]:
        return [state.room for state in self._rooms.values()]

    def rooms_of(self, session_id: str) -> set[str]:
        return set(self._sessions[session_id].rooms)

    def members_of(self, room_id: str) -> Iterator[str]:
        state = self._rooms.get(room_id)
        return iter(state.members) if state else iter(())

    def members_version(self, room_id: str) -> int:
        """Changes whenever the room's members do (-1 for no such room)."""
        state = self._rooms.get(room_id)
        return state.version if state else -1

    def views(
        self, profile: Profile | None = None, session_id: str | None = None
    ) -> tuple[RoomView, ...]:
        """Every room with its member count, or the rooms `profile` may see (and, an
        unlisted member room, only when listed for it: its members, roles and invitations)."""
        states = self._rooms.values() if profile is None else self._visible_to(profile)
        if profile is not None:
            states = tuple(
                state
                for state in states
                if not state.room.modes.unlisted
                or is_listed_for(
                    state.room,
                    profile.nick,
                    is_member=session_id is not None and session_id in state.members,
                )
            )
        return tuple(RoomView(state.room, len(state.members)) for state in states)

    def may_list(self, session: Session, room: Room) -> bool:
        """Whether `session` sees `room` in its lists (its audience, and not unlisted for it)."""
        if not can_see_room(session.profile, room):
            return False
        if not room.modes.unlisted:
            return True
        state = self._rooms.get(room.id)
        is_member = state is not None and session.id in state.members
        return is_listed_for(room, session.profile.nick, is_member=is_member)

    def visible(self, session: Session, room_id: str) -> RoomState:
        """The room, if `session` may see it.

        Raises:
            CauserieError: `not_found` (`room_not_found`), the same for a room outside one's
                audience as for no room at all.
        """
        state = self._rooms.get(room_id)
        if state is None or not can_see_room(session.profile, state.room):
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        return state

    def joined(self, session: Session, room_id: str) -> RoomState:
        """The room, if `session` is in it.

        Raises:
            CauserieError: `not_found` as `visible`, `forbidden` (`not_in_room`).
        """
        state = self.visible(session, room_id)
        if session.id not in state.members:
            raise CauserieError(ErrorCode.FORBIDDEN, "not_in_room", field="room")
        return state

    def _visible_to(self, profile: Profile) -> tuple[RoomState, ...]:
        """The rooms `profile` may see. What one may see depends on the band and the age
        check only: decided once for each (until the rooms change), not for every room of
        every welcome."""
        key = (profile.band, profile.is_age_verified)
        states = self._visible.get(key)
        if states is None:
            states = self._visible[key] = tuple(
                state for state in self._rooms.values() if can_see_room(profile, state.room)
            )
        return states

    # -- commands ----------------------------------------------------------------------------

    def list_rooms(self, session: Session, _command: ListRooms, _now_ms: int) -> Outcome:
        return Outcome(replies=[RoomsListed(self.views(session.profile, session.id))])

    def join(self, session: Session, command: Join, now_ms: int) -> Outcome:
        self._take_join_part(session, now_ms)
        state = self.visible(session, command.room)
        assurance.refuse_unless_may_join(self._config.teen_assurance, session.profile, state.room)
        outcome = Outcome()
        if session.id not in state.members:
            room = state.room
            if room.is_member_room:
                refuse_unless_may_enter(room, session.profile.nick, command.key)
                self._take_member_join(session, now_ms)
            if len(session.rooms) >= self._config.max_rooms_per_session:
                raise CauserieError(
                    ErrorCode.INVALID,
                    "too_many_rooms",
                    field="room",
                    max=self._config.max_rooms_per_session,
                )
            limit = state.room.member_limit
            if limit and len(state.members) >= limit:
                raise CauserieError(ErrorCode.ROOM_FULL, "room_full", field="room", max=limit)
            state.add(session.id)
            session.rooms |= {state.room.id}
            outcome.deliveries.append(
                (
                    ToRoom(state.room.id),
                    PresenceChanged(state.room.id, session.user, PresenceState.JOINED),
                )
            )
        members = tuple(
            member
            for member in (self._sessions[sid].user for sid in state.members)
            if listed_in(state.room, member.age)
        )
        view = RoomView(state.room, len(state.members))
        history = self._history.since(state.room.id, command.since)
        outcome.replies.append(Joined(view, members, history))
        return outcome

    def part(self, session: Session, command: Part, now_ms: int) -> Outcome:
        self._take_join_part(session, now_ms)
        state = self.joined(session, command.room)
        words = self._farewell(session, state.room, command.reason, now_ms)
        return self._leave_room(session, state, reason=words)

    def _farewell(self, session: Session, room: Room, text: str, now_ms: int) -> str:
        if not text or self._farewells is None:
            return ""
        return self._farewells.shown(session, room, text, now_ms)

    def _leave_room(
        self, session: Session, state: RoomState, by: str = "", reason: str = ""
    ) -> Outcome:
        state.remove(session.id)
        session.rooms -= {state.room.id}
        left = PresenceChanged(state.room.id, session.user, PresenceState.LEFT, by, reason)
        parted = Parted(state.room.id, by, reason)
        return Outcome(replies=[parted], deliveries=[(ToRoom(state.room.id), left)])

    def remove_from_room(
        self, session_id: str, room_id: str, by: str = "", reason: str = ""
    ) -> Outcome:
        """Take someone out of a room (kick or room ban); their rooms see them leave, or, with
        `by`, see them taken out by that person (a member room's kick)."""
        session = self._sessions.get(session_id)
        state = self._rooms.get(room_id)
        if session is None or state is None or session_id not in state.members:
            return Outcome()
        # Not the person's own part: it spends none of their join/part tokens, so a kick
        # always takes them out, however many they just spent.
        return self._leave_room(session, state, by, reason)

    # -- the operator's changes ---------------------------------------------------------------

    def put(self, room: Room) -> Outcome:
        """Add a room or change one: everyone here who may see it is told (`RoomUpdated`).

        A change of audience that shuts people out (`adult` -> `adult_verified`) takes its
        members who may no longer see it out of it, and the room is gone for everyone who
        could see it and no longer can (`RoomArchived`, as for an archived room).
        """
        state = self._rooms.get(room.id)
        outcome = Outcome()
        if state is None:
            state = RoomState(room)
            self._rooms[room.id] = state
            ordered = sorted(self._rooms.values(), key=lambda s: (s.room.position, s.room.id))
            self._rooms = {s.room.id: s for s in ordered}
            self._history.open(room.id)
        else:
            previous, state.room = state.room, room
            gone = RoomArchived(room.id, room.name)
            for session in self._sessions.values():
                profile = session.profile
                if can_see_room(profile, previous) and not can_see_room(profile, room):
                    if session.id in state.members:
                        outcome.deliveries.extend(self._take_out(session, state))
                    outcome.deliveries.append((ToSession(session.id), gone))
        self._visible.clear()
        updated = RoomUpdated(RoomView(room, len(state.members)))
        outcome.deliveries.extend(
            (ToSession(session.id), updated)
            for session in self._sessions.values()
            if self.may_list(session, room)
        )
        return outcome

    def archive(self, room_id: str) -> Outcome:
        """Close a room: its members are taken out, and it is gone for everyone who could see
        it (`RoomArchived`); joining it is then `room_not_found`. Nothing for no such room."""
        state = self._rooms.pop(room_id, None)
        if state is None:
            return Outcome()
        self._visible.clear()
        self._history.close(room_id)
        gone = RoomArchived(room_id, state.room.name)
        outcome = Outcome()
        for session in self._sessions.values():
            if session.id in state.members:
                session.rooms -= {room_id}
                outcome.deliveries.append((ToSession(session.id), gone))
            elif can_see_room(session.profile, state.room) and (
                not state.room.modes.unlisted
                or is_listed_for(state.room, session.profile.nick, is_member=False)
            ):
                outcome.deliveries.append((ToSession(session.id), gone))
        return outcome

    def _take_out(self, session: Session, state: RoomState) -> list[tuple[Target, Event]]:
        state.remove(session.id)
        session.rooms -= {state.room.id}
        left = PresenceChanged(state.room.id, session.user, PresenceState.LEFT)
        return [(ToRoom(state.room.id), left)]

    def rekey(self, session: Session, old_id: str) -> None:
        """A session now known by a new id (a resume) keeps its place in its rooms, silently:
        for the other members it never left."""
        for room_id in session.rooms:
            state = self._rooms[room_id]
            state.remove(old_id)
            state.add(session.id)

    def place(self, session: Session, room_ids: Iterable[str]) -> None:
        """Put a session back in rooms it was in before its node restarted, silently (it is
        away until it resumes); rooms it may no longer see, or past the limit, are skipped."""
        for room_id in room_ids:
            state = self._rooms.get(room_id)
            if state is None or not can_see_room(session.profile, state.room):
                continue
            if len(session.rooms) >= self._config.max_rooms_per_session:
                break
            state.add(session.id)
            session.rooms |= {room_id}

    def leave_all(
        self, session: Session, *, is_quit: bool = False, farewell: str = "", now_ms: int = 0
    ) -> list[tuple[Target, Event]]:
        """Take a session that left out of every room: what each room is told (`is_quit`: the
        person quit, with `farewell` as their leaving words, shown where they pass)."""
        deliveries: list[tuple[Target, Event]] = []
        for room_id in sorted(session.rooms):
            state = self._rooms[room_id]
            words = self._farewell(session, state.room, farewell, now_ms)
            state.remove(session.id)
            left = PresenceChanged(
                room_id, session.user, PresenceState.LEFT, reason=words, is_quit=is_quit
            )
            deliveries.append((ToRoom(room_id), left))
        return deliveries

    def _take_member_join(self, session: Session, now_ms: int) -> None:
        """Joining a member room costs a token of its own bucket (Settings
        `member_room_joins_per_minute`): going from one member room to the next is a scan."""
        limit = self._config.member_join_limit
        if limit is None:
            return
        if session.member_join_bucket is None:
            session.member_join_bucket = TokenBucket(limit, now_ms / 1000)
        wait_s = session.member_join_bucket.take(now_ms / 1000)
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "join_rate_limited", retry_after_s=wait_s)

    def _take_join_part(self, session: Session, now_ms: int) -> None:
        """Every join or part request costs a token, whatever its answer, before anything is
        looked up: a flood gets `rate_limited`, the same for a room that exists or not."""
        limit = self._config.join_part_limit
        if limit is None:
            return
        if session.join_part_bucket is None:
            session.join_part_bucket = TokenBucket(limit, now_ms / 1000)
        wait_s = session.join_part_bucket.take(now_ms / 1000)
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "join_rate_limited", retry_after_s=wait_s)
