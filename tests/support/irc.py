"""A real IRC client (the `irc` library from PyPI) talking to a test server's IRC listener.

`start_irc_server` is `chat.start_server` with the listener on (port 0: any free port); the
client collects every event the library parses, and `expect` waits for the first that matches.
Capabilities are requested before NICK/USER, as real clients do (CAP LS 302 ... CAP END).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from irc.client import Event
from irc.client_aio import AioConnection, AioReactor

from causerie.assembly.process import Process
from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server


async def start_irc_server(
    data_dir: Path, **overrides: Any
) -> tuple[RunningServer, Process, asyncio.Task[None]]:
    return await start_server(data_dir, irc_port=0, **overrides)


def irc_port(process: Process) -> int:
    """The port the listener took."""
    assert process.irc is not None, "the IRC listener is off"
    return process.irc.port


class _CapConnection(AioConnection):  # type: ignore[misc]
    caps: tuple[str, ...] = ()

    def nick(self, newnick: str) -> None:
        if self.caps and not getattr(self, "_asked", False):
            self._asked = True
            self.send_raw("CAP LS 302")
            self.send_raw("CAP REQ :" + " ".join(self.caps))
            self.send_raw("CAP END")
        super().nick(newnick)


class IrcClient:
    def __init__(self, connection: _CapConnection) -> None:
        self.connection = connection
        self.events: list[Event] = []
        self._arrived = asyncio.Event()

    @classmethod
    async def connect(
        cls,
        port: int,
        nick: str,
        realname: str = "25 f 75011",
        caps: tuple[str, ...] = (),
        wait_welcome: bool = True,
        password: str | None = None,
    ) -> IrcClient:
        reactor = AioReactor(loop=asyncio.get_running_loop())
        connection = _CapConnection(reactor)
        connection.caps = caps
        client = cls(connection)
        reactor.add_global_handler("all_events", client._on_event)
        await connection.connect("127.0.0.1", port, nick, password=password, ircname=realname)
        if wait_welcome:
            await client.expect("welcome")
        return client

    def _on_event(self, _connection: Any, event: Event) -> None:
        self.events.append(event)
        self._arrived.set()

    def send(self, line: str) -> None:
        self.connection.send_raw(line)

    async def expect(self, kind: str, match: Callable[[Event], bool] = lambda _e: True) -> Event:
        """The first event of this type (already here or arriving) that matches; removed."""
        async with asyncio.timeout(TIMEOUT_S):
            while True:
                for index, event in enumerate(self.events):
                    if event.type == kind and match(event):
                        return self.events.pop(index)
                self._arrived.clear()
                await self._arrived.wait()

    async def expect_text(self, kind: str, text: str) -> Event:
        return await self.expect(kind, lambda e: any(text in str(a) for a in e.arguments))

    def close(self) -> None:
        if self.connection.connected:
            self.connection.disconnect("bye")


class _SaslFirst(AioConnection):  # type: ignore[misc]
    """Asks for SASL and sends PLAIN credentials before NICK/USER, as clients do (the library
    has no SASL of its own); registration then waits for the test's CAP END."""

    payload = ""

    def nick(self, newnick: str) -> None:
        for line in ("CAP LS 302", "CAP REQ :sasl", "AUTHENTICATE PLAIN"):
            self.send_raw(line)
        self.send_raw(f"AUTHENTICATE {self.payload}")
        super().nick(newnick)


async def sasl_client(port: int, nick: str, account: str, password: str) -> IrcClient:
    """A client that signs in with SASL PLAIN as `account`; send `CAP END` to register."""
    reactor = AioReactor(loop=asyncio.get_running_loop())
    connection = _SaslFirst(reactor)
    connection.payload = base64.b64encode(f"\0{account}\0{password}".encode()).decode()
    client = IrcClient(connection)
    reactor.add_global_handler("all_events", client._on_event)
    await connection.connect("127.0.0.1", port, nick, ircname=nick)
    return client


class Doors:
    """One running server with its IRC listener, and the web and IRC clients a test opened
    on it (closed by `serve_doors`). `realname`: the IRC clients' profile unless one is given."""

    def __init__(self, running: RunningServer, port: int, realname: str = "25 f 75011") -> None:
        self.running, self.port = running, port
        self.realname = realname
        self.irc: list[IrcClient] = []
        self.ws: list[Client] = []

    async def irc_client(self, nick: str, realname: str | None = None, **kw: Any) -> IrcClient:
        client = await IrcClient.connect(self.port, nick, realname or self.realname, **kw)
        self.irc.append(client)
        return client

    async def web(self, nick: str, age: int = 30) -> Client:
        client = await Client.connect(self.running)
        self.ws.append(client)
        assert (await client.hello(nick, age=age, gender="man"))["type"] == "welcome"
        return client


@asynccontextmanager
async def serve_doors(
    data_dir: Path, realname: str = "25 f 75011", **overrides: Any
) -> AsyncIterator[Doors]:
    """A server with the IRC listener on (`start_irc_server`), stopped with its clients."""
    running, server, task = await start_irc_server(data_dir, **overrides)
    doors = Doors(running, irc_port(server), realname)
    try:
        yield doors
    finally:
        for irc in doors.irc:
            irc.close()
        for ws in doors.ws:
            await ws.close()
        await stop_server(server, task)
