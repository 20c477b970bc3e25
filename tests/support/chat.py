"""A real Causerie server on 127.0.0.1, port 0, with SQLite in a temporary directory, and a
WebSocket client that speaks the protocol of docs/protocol.md.

The server runs in the test's own event loop (uvicorn on a socket bound here), so a test can
look at the node's state while talking to it over a real socket.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from causerie.assembly.process import Process
from causerie.config import Settings, load_settings
from causerie.games.interface import GameSpec
from causerie.http.server import bind, local_url
from causerie.node.runtime import Node

# One factor stretches every wait on a slow machine: CAUSERIE_TEST_TIMEOUT_FACTOR=3.
TIMEOUT_S = 5.0 * float(os.environ.get("CAUSERIE_TEST_TIMEOUT_FACTOR", "1"))


@dataclass
class RunningServer:
    url: str
    node: Node
    settings: Settings

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"


async def start_server(
    data_dir: Path, *, games: Sequence[GameSpec] | None = None, **overrides: Any
) -> tuple[RunningServer, Process, asyncio.Task[None]]:
    """The whole process as `causerie serve` runs it (causerie/assembly/), serving on a
    socket bound here; returns it with the task serving it (for `stop_server`)."""
    # New sessions may open private conversations at once here; the wait has its own tests.
    settings = load_settings({}, {"data_dir": data_dir, "port": 0, "dm_wait_s": 0, **overrides})
    sock = bind("127.0.0.1", 0)
    process = Process(settings, handle_signals=False, games=games)
    task = asyncio.get_running_loop().create_task(process.serve([sock]))
    async with asyncio.timeout(TIMEOUT_S * 4):
        while not process.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
    return RunningServer(local_url(sock), process.node, settings), process, task


async def stop_server(server: Process, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    await asyncio.wait_for(task, TIMEOUT_S * 4)


class Client:
    """A protocol client: `request` sends a frame with an id and returns the reply carrying it;
    pushed frames (message, presence, dm…) wait in `inbox` for `expect`."""

    _ids = itertools.count(1)

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.inbox: list[dict[str, Any]] = []

    @classmethod
    async def connect(
        cls, running: RunningServer, *, device: str | None = None, **kwargs: Any
    ) -> Client:
        """`device`: the browser's device cookie (a session is resumable only with one)."""
        if device is not None:
            kwargs["additional_headers"] = {"Cookie": f"causerie_device={device}"}
        return cls(await websockets.connect(running.ws_url, **kwargs))

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.ws.send(frame if isinstance(frame, str) else json.dumps(frame))

    async def receive(self) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT_S)
        frame: dict[str, Any] = json.loads(raw)
        return frame

    async def request(self, type_: str, **fields: Any) -> dict[str, Any]:
        """Send a request and return the direct reply (or error) to it."""
        request_id = str(next(self._ids))
        await self.send({"type": type_, "id": request_id, **fields})
        return await self.expect(lambda f: f.get("re") == request_id and f["type"] != "ack")

    async def request_outcome(self, type_: str, **fields: Any) -> dict[str, Any]:
        """Send a request and return whatever answers it first: its ack or its error."""
        request_id = str(next(self._ids))
        await self.send({"type": type_, "id": request_id, **fields})
        return await self.expect(lambda f: f.get("re") == request_id)

    async def expect(self, match: Any, *, type_: str | None = None) -> dict[str, Any]:
        """The first frame (already received or arriving) that matches."""

        def ok(frame: dict[str, Any]) -> bool:
            return (type_ is None or frame["type"] == type_) and bool(match(frame))

        for index, frame in enumerate(self.inbox):
            if ok(frame):
                return self.inbox.pop(index)
        while True:
            frame = await self.receive()
            if ok(frame):
                return frame
            self.inbox.append(frame)

    async def expect_type(self, type_: str, **fields: Any) -> dict[str, Any]:
        return await self.expect(
            lambda f: all(f.get(k) == v for k, v in fields.items()), type_=type_
        )

    async def hello(
        self, nick: str, age: int = 25, gender: str = "woman", postcode: str = "75011", **extra: Any
    ) -> dict[str, Any]:
        return await self.request(
            "hello", nick=nick, age=age, gender=gender, postcode=postcode, **extra
        )

    async def join(self, room: str) -> dict[str, Any]:
        return await self.request("join", room=room)

    async def say(self, room: str, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Post a message; returns (the message as broadcast, the ack)."""
        request_id = str(next(self._ids))
        await self.send({"type": "say", "id": request_id, "room": room, "text": text})
        ack = await self.expect(lambda f: f.get("re") == request_id)
        assert ack["type"] == "ack", ack
        message = await self.expect_type("message", id=ack["message_id"])
        return message, ack

    async def close(self) -> None:
        await self.ws.close()


def pending_timers() -> int:
    """Timers scheduled on the loop and not cancelled (asyncio's and uvloop's handles)."""
    gc.collect()
    return sum(
        1
        for handle in gc.get_objects()
        if type(handle).__name__ == "TimerHandle" and not handle.cancelled()
    )


async def until_timers(at_least: int) -> None:
    """Wait until the server side has scheduled that many timers (its accepts run apart)."""
    async with asyncio.timeout(TIMEOUT_S):
        while pending_timers() < at_least:  # noqa: ASYNC110 (the loop's own state)
            await asyncio.sleep(0.01)
