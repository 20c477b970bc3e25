"""A live client connection, whatever its protocol, with a bounded outgoing buffer.

Frames are queued without awaiting, so fan-out to a room never waits on one slow reader; a
writer task drains the queue. When a client stops reading and its pending bytes pass the bound,
it is closed with 4001 ("too slow") instead of growing memory or delaying the room.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from causerie.store.base import Origin

log = logging.getLogger(__name__)

CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_INTERNAL = 1011
CLOSE_RESTART = 1012
CLOSE_TOO_SLOW = 4001
CLOSE_TAKEN_OVER = 4002
CLOSE_BANNED = 4003
CLOSE_KICKED = 4004


def frame_size(frame: str) -> int:
    """Bytes a frame takes on the wire; fan-out computes it once for all recipients."""
    return len(frame) if frame.isascii() else len(frame.encode())


@dataclass(frozen=True, slots=True)
class Peer:
    """Who is at the other end, for the connection record."""

    origin: Origin
    device: str
    user_agent: str
    protocol: str


class Connection:
    def __init__(
        self,
        connection_id: str,
        peer: Peer,
        send_text: Callable[[str], Awaitable[None]],
        close: Callable[[int, str], Awaitable[None]],
        max_pending_bytes: int,
    ) -> None:
        self.id = connection_id
        self.peer = peer
        self.session: str | None = None
        self.lang = "fr"
        self._send_text = send_text
        self._close = close
        self._max_pending = max_pending_bytes
        self._queue: deque[tuple[str, int]] = deque()
        self._pending = 0
        self._wakeup = asyncio.Event()
        self._close_request: tuple[int, str] | None = None
        self._writer: asyncio.Task[None] | None = None
        self.on_too_slow: Callable[[], None] = lambda: None

    @property
    def is_closing(self) -> bool:
        return self._close_request is not None

    @property
    def pending_bytes(self) -> int:
        return self._pending

    def send(self, frame: str, size: int | None = None) -> None:
        """Queue a frame (`size` from `frame_size`, when the caller has it); never blocks. A
        reader too far behind is closed, not waited for."""
        if self._close_request is not None:
            return
        if size is None:
            size = frame_size(frame)
        if self._pending + size > self._max_pending:
            log.info(
                "connection %s too slow (%d bytes pending), closing",
                self.id,
                self._pending,
                extra={"connection": self.id, "session": self.session},
            )
            self.on_too_slow()
            self._queue.clear()
            self._pending = 0
            self.close(CLOSE_TOO_SLOW, "too slow")
            if self._writer is not None:
                self._writer.cancel()  # it may be stuck writing to a reader that stopped
            return
        self._queue.append((frame, size))
        self._pending += size
        self._wakeup.set()

    def close(self, code: int, reason: str) -> None:
        """Ask the writer to send what is queued (unless too slow), then close."""
        if self._close_request is None:
            self._close_request = (code, reason)
            self._wakeup.set()

    async def run_writer(self) -> None:
        """Drain the queue until a close is asked; then close the transport."""
        self._writer = asyncio.current_task()
        try:
            while True:
                await self._wakeup.wait()
                self._wakeup.clear()
                while self._queue:
                    frame, size = self._queue.popleft()
                    self._pending -= size
                    await self._send_text(frame)
                if self._close_request is not None:
                    break
        except asyncio.CancelledError:
            if self._close_request != (CLOSE_TOO_SLOW, "too slow"):
                raise
        code, reason = self._close_request
        await self._close(code, reason)
