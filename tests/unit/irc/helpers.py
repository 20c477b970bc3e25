"""An `IrcSession` driven in memory: lines in, actions out, frames rendered as the node would
send them."""

from __future__ import annotations

import json
from typing import Any

from causerie.irc.directory import Directory
from causerie.irc.parser import LineReader
from causerie.irc.session import IrcSession, SessionConfig

ALICE = {"nick": "Alice", "gender": "woman", "age": 25, "dept": "75", "region": "Île-de-France"}
BOB = {"nick": "Bob", "gender": "man", "age": 30, "dept": "69", "region": "Auvergne-Rhône-Alpes"}
GENERAL = {
    "id": "general",
    "name": "Général",
    "kind": "thematic",
    "audience": "adult",
    "topic": "On parle de tout",
    "pictures": True,
    "members": 1,
}


class Driver:
    def __init__(self, session: IrcSession | None = None, **config: Any) -> None:
        self.session = session or IrcSession(SessionConfig(**config), Directory())
        self.requests: list[dict[str, Any]] = []
        self.closed: str | None = None

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
            else:
                self.closed = value
        return out

    def last_request(self) -> dict[str, Any]:
        return self.requests[-1]

    def frame(self, **frame: Any) -> list[str]:
        """A frame from the node to this connection, as IRC lines."""
        text = json.dumps(frame)
        session = self.session
        # As the connection does: asks what is left out only while the session watches.
        left_out = session.watching and session.leaves_out(text)
        rendered = [] if left_out else session.render(text).decode().splitlines()
        session.settle()  # as the sink does when it writes
        return rendered + self._take()

    def reply(self, **frame: Any) -> list[str]:
        """The node's reply to the last request."""
        return self.frame(re=self.last_request()["id"], **frame)

    def register(self, realname: str = "25 f 75011", nick: str = "Alice") -> list[str]:
        self.feed(f"NICK {nick}", f"USER a 0 * :{realname}")
        user = {**ALICE, "nick": nick}
        return self.reply(
            type="welcome",
            session="s",
            token="t",
            protocol=1,
            user={**user, "band": "adult"},
            rooms=[GENERAL],
        )

    def join(self, room: str = "general", members: list[dict[str, Any]] | None = None) -> list[str]:
        self.feed(f"JOIN #{room}")
        me = next(m for m in members or [ALICE] if m["nick"] == self.session.nick)
        assert self.frame(type="presence", room=room, user=me, state="joined") == []
        view = {**GENERAL, "id": room}
        return self.reply(type="joined", room=view, members=members or [ALICE], history=[])


def codes(lines: list[str]) -> list[str]:
    return [line.split(" ")[1] for line in lines if line.startswith(":")]
