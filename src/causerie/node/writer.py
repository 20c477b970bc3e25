"""Group commit: messages are stored in batches, and each sender's acknowledgement waits for
the commit of the batch that holds its message.

How this works: `submit` appends items and returns a future; one task takes everything pending
(up to `max_batch`), writes it in one transaction, then resolves the futures with success or
with the store's error. While a batch is being written the next one accumulates, so under load
batches grow and commits per message fall; at rest a message is written alone, at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
Item = TypeVar("Item")


class BatchWriter(Generic[Item]):
    def __init__(
        self, save: Callable[[Sequence[Item]], Awaitable[None]], max_batch: int = 1000
    ) -> None:
        self._save = save
        self._max_batch = max_batch
        self._pending: deque[tuple[Sequence[Item], asyncio.Future[None]]] = deque()
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Kept from `start`: every message submits, and asking asyncio for the running loop
        # costs a getpid() system call each time.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._newest: asyncio.Future[None] | None = None  # the last group submitted
        self.is_healthy = True
        self.batches = 0

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = self._loop.create_task(self._run(), name="batch-writer")

    async def settled(self) -> None:
        """Wait until everything submitted so far is committed or failed (whichever way it
        went): batches go in order, so the newest group submitted settles last."""
        newest = self._newest
        if newest is not None and not newest.done():
            await asyncio.wait([newest])

    def submit(self, items: Sequence[Item]) -> asyncio.Future[None]:
        """Queue items; the future resolves once all of them are committed (or fails)."""
        loop = self._loop or asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        if self._stopping:
            done.set_exception(RuntimeError("writer stopped"))
            return done
        if not items:
            done.set_result(None)
            return done
        self._pending.append((items, done))
        self._newest = done
        self._wakeup.set()
        return done

    async def stop(self) -> None:
        """Write what is pending, then stop."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while True:
            if not self._pending:
                if self._stopping:
                    return
                await self._wakeup.wait()
                self._wakeup.clear()
                continue
            batch: list[tuple[Sequence[Item], asyncio.Future[None]]] = []
            size = 0
            while self._pending and (
                not batch or size + len(self._pending[0][0]) <= self._max_batch
            ):
                group = self._pending.popleft()
                batch.append(group)
                size += len(group[0])
            try:
                await self._save([item for items, _ in batch for item in items])
            except Exception as exc:  # the store's failure is each sender's refusal
                self.is_healthy = False
                log.warning("batch of %d not stored: %s", size, exc)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                self.is_healthy = True
                self.batches += 1
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
