"""The small ports a node's parts are given in their constructors, instead of the whole node.

- `Clock`: the time, read through one object so that a test can hand every part the same
  fake one (`now_s`, `now_ms`).
- `Tasks`: background work a part starts and the node waits for at stop (`spawn`); a part
  that only starts tasks receives `Tasks.spawn`, typed `Spawn`.
- `Health`: whether the node accepts messages (the lifecycle's `is_ready`).
- `Subscriptions`: the channels this node listens to (the broker's subscribe half); what goes
  out is the `Publisher`'s (node/publisher.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from contextlib import suppress
from typing import Any, Protocol

Spawn = Callable[[Coroutine[Any, Any, None]], None]
STOP_WAIT_S = 5.0  # each background task gets this long to end at stop


class Clock:
    """Wall-clock time for a node (`clock` returns seconds since the epoch)."""

    __slots__ = ("now_s",)

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.now_s = clock

    def now_ms(self) -> int:
        return int(self.now_s() * 1000)


class Tasks:
    """Background tasks (a flag for the moderators, a picture's record, a ban's removal from
    a room): started now, awaited at stop so that nothing is lost mid-way."""

    __slots__ = ("_tasks",)

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout_s: float = STOP_WAIT_S) -> None:
        """Wait for every task still running (each at most `timeout_s`); errors are theirs."""
        for task in list(self._tasks):
            with suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=timeout_s)


class Health(Protocol):
    """Whether the node accepts messages now (node/lifecycle.py `Lifecycle`)."""

    @property
    def is_ready(self) -> bool: ...


class Subscriptions(Protocol):
    async def subscribe(self, channel: str) -> None: ...

    async def unsubscribe(self, channel: str) -> None: ...
