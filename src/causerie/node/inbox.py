"""What one client sent, handled in order, for transports written as asyncio protocols.

A protocol's `data_received` cannot await; the commands it reads must still run one after the
other through the node (which awaits). `Inbox.put` queues an item and, if nothing is running,
starts one task that handles items until none is left and then ends: an idle connection holds
neither a task nor a queue. While the queue is long, reading from the socket pauses (the client
is told to wait by TCP, and a flood cannot grow memory); it resumes when half is done.

`Keepalive` is one timer per listener that sweeps its connections: a peer silent for a whole
interval is pinged, and one that left the ping unanswered until the next sweep is let go. Ten
thousand idle connections cost one timer, not ten thousand.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

Item = TypeVar("Item")
MAX_QUEUED = 64


class Readable(Protocol):
    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...

    def is_closing(self) -> bool: ...


class Inbox(Generic[Item]):
    __slots__ = ("_handle", "_is_paused", "_items", "_on_failure", "_runner", "_transport")

    def __init__(
        self,
        handle: Callable[[Item], Awaitable[None]],
        on_failure: Callable[[], None],
        transport: Readable,
    ) -> None:
        self._handle = handle
        self._on_failure = on_failure  # an exception while handling: a bug, logged there
        self._transport = transport
        self._items: deque[Item] | None = None
        self._runner: asyncio.Task[None] | None = None
        self._is_paused = False

    @property
    def is_idle(self) -> bool:
        return self._runner is None

    def put(self, item: Item) -> None:
        if self._items is None:
            self._items = deque()
        self._items.append(item)
        if self._runner is None:
            self._runner = asyncio.get_running_loop().create_task(self._run(self._items))
        if len(self._items) >= MAX_QUEUED and not self._is_paused:
            self._is_paused = True
            self._transport.pause_reading()

    def clear(self) -> None:
        """Drop what is queued (the connection is closing); the item running finishes."""
        if self._items is not None:
            self._items.clear()

    async def drained(self) -> None:
        """Return once nothing is running (its errors went to `on_failure`)."""
        runner = self._runner
        if runner is not None:
            await asyncio.wait({runner})

    async def _run(self, items: deque[Item]) -> None:
        try:
            while items:
                await self._handle(items.popleft())
                if self._is_paused and len(items) < MAX_QUEUED // 2:
                    self._resume()
        except Exception:
            items.clear()
            self._on_failure()
        finally:
            self._runner = None
            self._items = None
            self._resume()

    def _resume(self) -> None:
        if self._is_paused:
            self._is_paused = False
            if not self._transport.is_closing():
                self._transport.resume_reading()


class KeptAlive(Protocol):
    def keep_alive(self, now: float, interval_s: float) -> None:
        """Called once per sweep: ping when silent, let go when the last ping went unanswered."""


class Keepalive:
    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._members: set[KeptAlive] = set()
        self._timer: asyncio.TimerHandle | None = None

    def add(self, member: KeptAlive) -> None:
        self._members.add(member)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.interval_s, self._sweep)

    def discard(self, member: KeptAlive) -> None:
        self._members.discard(member)

    def _sweep(self) -> None:
        self._timer = None
        now = time.monotonic()
        for member in list(self._members):
            member.keep_alive(now, self.interval_s)
        if self._members:
            self._timer = asyncio.get_running_loop().call_later(self.interval_s, self._sweep)
