"""An `IrcSession` driven in memory: lines in, actions out, core events rendered as the node
would send them (in an `Envelope`, the reply's request id in `re`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from causerie.core import events as ev
from causerie.core.commands import Command
from causerie.core.messages import DirectMessage, Message
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.core.users import AgeBand, Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from causerie.irc.directory import Directory
from causerie.irc.parser import LineReader
from causerie.irc.session import IrcSession, SessionConfig
from causerie.node.envelope import Envelope

ALICE = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
BOB = PublicUser("Bob", Gender.MAN, 30, "69", "Auvergne-Rhône-Alpes")
GENERAL = Room("general", "Général", RoomKind.THEMATIC, Audience.ADULT, topic="On parle de tout")


def refusal(code: str, key: str | None = None, **fields: Any) -> ev.Refused:
    """The node's refusal with this wire code (its message is the key's text, in French)."""
    return ev.Refused(CauserieError(ErrorCode(code), key, **fields))


def posted(sender: PublicUser, text: str, id: int = 1, room: str = "general", ts: int = 0) -> Any:
    return ev.MessagePosted(Message(id, room, sender, text, ts))


def dm_sent(sender: PublicUser, recipient: PublicUser, text: str, id: int = 5) -> ev.DmSent:
    return ev.DmSent(DirectMessage(id, sender, recipient, text, 0))


def room_view(room: Room = GENERAL, members: int = 1) -> ev.RoomView:
    return ev.RoomView(room, members)


class Driver:
    def __init__(self, session: IrcSession | None = None, **config: Any) -> None:
        self.session = session or IrcSession(SessionConfig(**config), Directory())
        self.requests: list[tuple[str, Command]] = []
        self.closed: str | None = None
        self.farewell: str | None = None  # the words of a QUIT, as handed to the node

    def feed(self, *lines: str) -> list[str]:
        """Lines from the client; returns the IRC lines sent back (requests are kept)."""
        out: list[str] = []
        reader = LineReader()
        for line in lines:
            for item in reader.feed((line + "\r\n").encode()):
                self.session.receive(item)
            out += self._take()
        return out

    def _take(self) -> list[str]:
        out: list[str] = []
        for kind, value in self.session.take():
            if kind == "send":
                out += value.splitlines()
            elif kind == "request":
                self.requests.append(value)
            elif kind == "quit":
                self.farewell = value
            else:
                self.closed = value
        return out

    def last_request(self) -> Command:
        return self.requests[-1][1]

    def event(self, event: ev.Event, re: str | None = None, lang: str = "fr") -> list[str]:
        """An event from the node to this connection, as IRC lines."""
        envelope = Envelope(event, re=re, lang=lang)
        session = self.session
        # As the connection does: asks what is left out only while the session watches.
        left_out = session.watching and session.leaves_out(envelope)
        rendered = [] if left_out else session.render(envelope).decode().splitlines()
        session.settle()  # as the sink does when it writes
        return rendered + self._take()

    def reply(self, event: ev.Event, lang: str = "fr") -> list[str]:
        """The node's answer to the last request."""
        return self.event(event, re=self.requests[-1][0], lang=lang)

    def register(self, realname: str = "25 f 75011", nick: str = "Alice") -> list[str]:
        self.feed(f"NICK {nick}", f"USER a 0 * :{realname}")
        user = dataclasses.replace(ALICE, nick=nick)
        return self.reply(ev.Welcomed("s", user, AgeBand.ADULT, (room_view(),), "t"))

    def join(self, room: str = "general", members: Sequence[PublicUser] | None = None) -> list[str]:
        self.feed(f"JOIN #{room}")
        members = tuple(members or [ALICE])
        me = next(m for m in members if m.nick == self.session.nick)
        arrival = ev.PresenceChanged(room, me, ev.PresenceState.JOINED)
        assert self.event(arrival) == []
        view = room_view(dataclasses.replace(GENERAL, id=room), len(members))
        return self.reply(ev.Joined(view, members, ()))


def codes(lines: list[str]) -> list[str]:
    return [line.split(" ")[1] for line in lines if line.startswith(":")]
