"""What the IRC listener remembers of people and rooms, for NAMES, WHO, WHOIS and AWAY.

The wire protocol tells a member who is in a room (`joined.members`) and who comes and goes
(`presence`); IRC clients ask for it again at any time. One `Directory` per listener keeps it,
fed by the frames its connections receive: updates are idempotent (a frame rendered for two
kinds of connection updates it twice, to the same result), so it is correct for every room that
has at least one IRC member, which is the only case where anyone asks. AWAY is IRC's own: it is
kept here and told to this listener's `away-notify` clients.

The directory is shared by every client of the listener, so it holds people some of them may
not see (a teen room that a teen IRC client joined, while an adult asks). It answers a lookup
only within the asker's own channels (`among`); whether the asker may see the person at all is
`core/policy/visibility.py`'s to say (irc/commands.py asks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

User = dict[str, Any]  # the wire user object: nick, gender, age, dept, region
Room = dict[str, Any]  # the wire room object, without its live member count
MAX_ROOM_DESCRIPTIONS = 4096


def fold(nick: str) -> str:
    """The key two nicknames compare by (the server compares without case)."""
    return nick.casefold()


class Directory:
    def __init__(self) -> None:
        self.rosters: dict[str, dict[str, User]] = {}
        self.people: dict[str, User] = {}
        self.away: dict[str, str] = {}
        self.locked: dict[str, bool] = {}
        self._rooms: dict[tuple[tuple[str, Any], ...], Room] = {}
        # Whole lists, keyed by their descriptions' identities (alive while the list is kept,
        # so no other object has one of those ids): sessions of one age band share one.
        self._room_lists: dict[tuple[int, ...], Mapping[str, Room]] = {}
        self._listeners: dict[object, Callable[[str, str, str | None], None]] = {}

    def shared_rooms(self, views: list[Room]) -> Mapping[str, Room]:
        """The rooms a session sees, by id, each description one copy for every session, and
        the list itself one copy for every session that sees the same rooms (read-only: a
        session that learns of a change makes a list of its own, `with_room`).

        A welcome lists every room; decoded again for each IRC client, those lists were most
        of an idle client's memory. The member count is left out (it changes; LIST reads it
        from its own reply)."""
        rooms = {str(room["id"]): room for room in map(self.shared_room, views)}
        key = tuple(map(id, rooms.values()))
        if len(self._room_lists) >= MAX_ROOM_DESCRIPTIONS and key not in self._room_lists:
            self._room_lists.clear()
        return self._room_lists.setdefault(key, rooms)

    def with_room(self, rooms: Mapping[str, Room], view: Room) -> Mapping[str, Room]:
        """`rooms` with one room's description as `view` tells it (the same list when that
        changes nothing)."""
        room = self.shared_room(view)
        room_id = str(view["id"])
        if rooms.get(room_id) is room:
            return rooms
        return {**rooms, room_id: room}

    def shared_room(self, view: Room) -> Room:
        described = {key: value for key, value in view.items() if key != "members"}
        try:
            key = tuple(described.items())
            if len(self._rooms) >= MAX_ROOM_DESCRIPTIONS and key not in self._rooms:
                self._rooms.clear()  # topics edited thousands of times: start again
            return self._rooms.setdefault(key, described)
        except TypeError:  # a value that is not hashable: keep this one to itself
            return described

    def seat(self, room: str, members: list[User]) -> None:
        """A fresh member list (from `joined`)."""
        roster = self.rosters[room] = {}
        for user in members:
            roster[fold(user["nick"])] = user
            self.people[fold(user["nick"])] = user

    def arrive(self, room: str, user: User) -> None:
        roster = self.rosters.get(room)
        if roster is not None:
            roster[fold(user["nick"])] = user
        self.people[fold(user["nick"])] = user

    def leave(self, room: str, nick: str) -> None:
        roster = self.rosters.get(room)
        if roster is not None:
            roster.pop(fold(nick), None)

    def members(self, room: str) -> list[User]:
        return list(self.rosters.get(room, {}).values())

    def rooms_of(self, nick: str, among: Iterable[str]) -> list[str]:
        """The rooms of `among` (the asker's channels) that `nick` is in."""
        key = fold(nick)
        rosters = self.rosters
        return sorted(room for room in among if key in rosters.get(room, ()))

    def find(self, nick: str, among: Iterable[str]) -> tuple[User, list[str]] | None:
        """Someone in one of the rooms `among` (the asker's channels), with those rooms."""
        rooms = self.rooms_of(nick, among)
        person = self.people.get(fold(nick)) if rooms else None
        return None if person is None else (person, rooms)

    def listen(self, who: object, on_away: Callable[[str, str, str | None], None]) -> None:
        """`on_away(nick, mask_host, text_or_None)` for every AWAY change here."""
        self._listeners[who] = on_away

    def forget(self, who: object) -> None:
        self._listeners.pop(who, None)

    def set_away(self, nick: str, host: str, text: str | None) -> None:
        if text:
            self.away[fold(nick)] = text
        else:
            self.away.pop(fold(nick), None)
        for on_away in list(self._listeners.values()):
            on_away(nick, host, text)
