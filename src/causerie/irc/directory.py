"""What the IRC listener keeps for all its clients, none of it a copy of the node's: the room
lists its sessions share, and AWAY, which is IRC's own.

Who is where is the node's to say: lookups (WHOIS, WHO, ISON, USERHOST, NAMES, MODE) are asked
of it (`LookUp`, `ListMembers`, answered by `node/lookups.py` under the web's visibility rule),
and a channel's members come with its `Joined` event. Nothing here is learnt from the events
the listener renders.

AWAY is set by this listener's clients and told to its `away-notify` clients who share a
channel with the person (a channel both are in: the setter's and the listener's own channels,
so no roster is needed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from causerie.core.events import RoomView
from causerie.core.rooms import Room

MAX_ROOM_LISTS = 4096
# A listener's client told of an AWAY change: (nick, hostmask, text or None, the setter's
# channels).
AwayListener = Callable[[str, str, str | None, frozenset[str]], None]


@dataclass(frozen=True, slots=True)
class Census:
    """What LUSERS tells: counts only, never who."""

    people: int = 0  # people connected to this node, on the web and on IRC
    unregistered: int = 0  # IRC connections of this listener still registering


def _nobody() -> Census:
    return Census()


def fold(nick: str) -> str:
    """The key two nicknames compare by (the server compares without case)."""
    return nick.casefold()


class Directory:
    def __init__(self, census: Callable[[], Census] = _nobody) -> None:
        self.census = census  # asked by LUSERS: the listener counts its node and its clients
        self.away: dict[str, str] = {}  # nickname key -> away text, of this listener's clients
        # Whole lists, keyed by their rooms' identities (the hub's rooms, alive while the list
        # is kept): sessions that see the same rooms share one.
        self._room_lists: dict[tuple[int, ...], Mapping[str, Room]] = {}
        self._listeners: dict[object, AwayListener] = {}

    def shared_rooms(self, views: Iterable[RoomView]) -> Mapping[str, Room]:
        """The rooms a session sees, by id, the list one copy for every session that sees the
        same rooms (read-only: a session that learns of a change makes a list of its own,
        `with_room`). The member count is left out (it changes; LIST reads its own reply)."""
        rooms = {view.room.id: view.room for view in views}
        key = tuple(map(id, rooms.values()))
        if len(self._room_lists) >= MAX_ROOM_LISTS and key not in self._room_lists:
            self._room_lists.clear()
        return self._room_lists.setdefault(key, rooms)

    @staticmethod
    def with_room(rooms: Mapping[str, Room], room: Room) -> Mapping[str, Room]:
        """`rooms` with one room as `room` tells it (the same list when that changes nothing)."""
        if rooms.get(room.id) is room:
            return rooms
        return {**rooms, room.id: room}

    def listen(self, who: object, on_away: AwayListener) -> None:
        """`on_away(nick, mask, text_or_None, channels)` for every AWAY change here."""
        self._listeners[who] = on_away

    def forget(self, who: object) -> None:
        self._listeners.pop(who, None)

    def set_away(self, nick: str, mask: str, text: str | None, channels: frozenset[str]) -> None:
        if text:
            self.away[fold(nick)] = text
        else:
            self.away.pop(fold(nick), None)
        for on_away in list(self._listeners.values()):
            on_away(nick, mask, text, channels)
