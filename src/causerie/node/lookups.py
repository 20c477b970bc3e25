"""`Lookups`: who someone is and who is in a room, as the asker may see them (`LookUp`,
`ListMembers`), on this node and on every other.

The IRC listener asks here for WHOIS, WHO, ISON, USERHOST, NAMES and MODE; it keeps no roster
of its own. Every answer follows `core/policy/visibility.py`, the rule the web's member lists
and conversations follow: a person is shown to someone of the same age band who shares a room
with them or a private conversation. Anyone else is left out of `PeopleFound` exactly as a
nickname nobody uses, so the asker cannot tell the two apart. A room is answered only to
whoever may see it (`not_found` otherwise, as for no room), and its members only to its members.

People on other nodes come from the cluster's presence (their nickname claims and the room
member hashes); when it does not answer, this node's own people still are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import ListMembers, LookUp
from causerie.core.events import Members, PeopleFound
from causerie.core.hub.sessions import Session
from causerie.core.policy.agebands import can_see_room
from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.visibility import listed_in, may_see
from causerie.core.restrictions import Restrictions
from causerie.core.rooms import Room
from causerie.core.users import PublicUser
from causerie.errors import CauserieError, ErrorCode
from causerie.node.cluster import public_user

MAX_NICKS = 256  # per question: more than one IRC line (512 bytes) can name


class PeopleQueries(Protocol):
    """What lookups read of the hub."""

    def session(self, session_id: str) -> Session | None: ...

    def session_of_nick(self, nick: str) -> str | None: ...

    def rooms_of(self, session_id: str) -> set[str]: ...

    def members_of(self, room_id: str) -> Iterator[str]: ...

    def room(self, room_id: str) -> Room | None: ...

    @property
    def restrictions(self) -> Restrictions: ...


class ClusterPresence(Protocol):
    """What lookups read of the cluster's presence (`broker/presence.py`)."""

    async def find_nick(self, key: str) -> dict[str, Any] | None: ...

    async def members(self, room: str, now_ms: int) -> list[dict[str, Any]]: ...


def _nobody_room() -> CauserieError:
    return CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")


class Lookups:
    """Args:
    hub: who is where, and the restrictions (the node's hub).
    presence: the cluster's presence, None on a node alone.
    now_ms: the clock (presence counts only the nodes alive now).
    """

    def __init__(
        self,
        hub: PeopleQueries,
        presence: ClusterPresence | None,
        now_ms: Callable[[], int],
    ) -> None:
        self._hub = hub
        self._presence = presence
        self._now_ms = now_ms

    async def look_up(self, session_id: str | None, command: LookUp) -> PeopleFound:
        """The people `command.nicks` name (compared without case, look-alikes apart) whom
        the asker may see, each once, with the rooms they share with the asker."""
        hub = self._hub
        asker = hub.session(session_id) if session_id is not None else None
        if asker is None:  # no profile (a staff-only connection): sees nobody
            return PeopleFound(())
        my_rooms = hub.rooms_of(asker.id)
        members: dict[str, set[str]] = {}  # the asker's rooms' members elsewhere, by key
        found: list[tuple[PublicUser, tuple[str, ...]]] = []
        seen: set[str] = set()
        for nick in command.nicks[:MAX_NICKS]:
            wanted = nick.strip().casefold()
            if not wanted or wanted in seen:
                continue
            seen.add(wanted)
            person = await self._person(hub, asker, my_rooms, wanted, members)
            if person is not None:
                found.append(person)
        return PeopleFound(tuple(found))

    async def _person(
        self,
        hub: PeopleQueries,
        asker: Session,
        my_rooms: set[str],
        wanted: str,
        members: dict[str, set[str]],
    ) -> tuple[PublicUser, tuple[str, ...]] | None:
        if wanted == asker.user.nick.casefold():
            return asker.user, tuple(sorted(my_rooms))
        key = nick_key(wanted)
        user: PublicUser | None = None
        shared: set[str] = set()
        session_id = hub.session_of_nick(wanted)
        session = hub.session(session_id) if session_id is not None else None
        if session is not None:
            user, shared = session.user, my_rooms & hub.rooms_of(session.id)
        elif self._presence is not None:
            user, shared = await self._elsewhere(key, my_rooms, members)
        # A look-alike answers for nobody: IRC names people exactly, but for case.
        if user is None or user.nick.casefold() != wanted:
            return None
        if not may_see(
            asker.profile.age,
            user.age,
            shares_room=bool(shared),
            in_conversation=asker.contacts.has_talked_with(key),
        ):
            return None
        return user, tuple(sorted(shared))

    async def _elsewhere(
        self, key: str, my_rooms: set[str], members: dict[str, set[str]]
    ) -> tuple[PublicUser | None, set[str]]:
        """Someone connected to another node, and which of `my_rooms` they are in there."""
        assert self._presence is not None
        try:
            claim = await self._presence.find_nick(key)
            if claim is None:
                return None, set()
            for room in sorted(my_rooms - members.keys()):
                listed = await self._presence.members(room, self._now_ms())
                members[room] = {nick_key(str(view["nick"])) for view in listed}
        except BrokerUnavailable:  # this node's people are still answered
            return None, set()
        return public_user(claim["user"]), {room for room in my_rooms if key in members[room]}

    async def list_members(
        self, session_id: str | None, is_staff: bool, command: ListMembers
    ) -> Members:
        """A room's members as the asker's member list shows them (none unless the asker is in
        it) and whether it is locked.

        Raises:
            CauserieError: `not_found` for a room the asker may not see, as for no room.
        """
        hub = self._hub
        room = hub.room(command.room)
        asker = hub.session(session_id) if session_id is not None else None
        if room is None or (asker is None and not is_staff):
            raise _nobody_room()
        if asker is not None and not can_see_room(asker.profile, room):
            raise _nobody_room()
        locked = hub.restrictions.room(room.id).locked
        if asker is None or room.id not in hub.rooms_of(asker.id):
            return Members(room.id, (), locked)
        users = await self._members(hub, room)
        age = asker.profile.age
        shown = (u for u in users if may_see(age, u.age, shares_room=True, in_conversation=False))
        return Members(room.id, tuple(sorted(shown, key=lambda u: nick_key(u.nick))), locked)

    async def _members(self, hub: PeopleQueries, room: Room) -> list[PublicUser]:
        here: list[PublicUser] = []
        for member_id in hub.members_of(room.id):
            member = hub.session(member_id)
            if member is not None:
                here.append(member.user)
        if self._presence is None:
            return here
        try:
            everywhere = await self._presence.members(room.id, self._now_ms())
        except BrokerUnavailable:  # this node's members are still listed
            return here
        users = {nick_key(u.nick): u for u in here}
        for view in everywhere:
            user = public_user(view)
            if listed_in(room, user.age):
                users.setdefault(nick_key(user.nick), user)
        return list(users.values())
