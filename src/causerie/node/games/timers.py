"""`GameTimers`: the timers the games run on this node asked for, on the event loop. A timer
is keyed by (run, key): a game asking again for the same key moves it; a run forgotten (ended,
or taken over by another node) loses all of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class GameTimers:
    """Args:
    fire: called with (run id, key) when a timer is due, on the loop (it must not block).
    """

    def __init__(self, fire: Callable[[str, str], None]) -> None:
        self._fire = fire
        self._handles: dict[tuple[str, str], asyncio.TimerHandle] = {}

    def arm(self, run_id: str, key: str, delay_ms: int) -> None:
        self.disarm(run_id, key)
        loop = asyncio.get_running_loop()
        self._handles[(run_id, key)] = loop.call_later(
            max(0, delay_ms) / 1000, self._due, run_id, key
        )

    def disarm(self, run_id: str, key: str) -> None:
        handle = self._handles.pop((run_id, key), None)
        if handle is not None:
            handle.cancel()

    def forget(self, run_id: str) -> None:
        for key in [k for k in self._handles if k[0] == run_id]:
            self._handles.pop(key).cancel()

    def close(self) -> None:
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()

    def _due(self, run_id: str, key: str) -> None:
        self._handles.pop((run_id, key), None)
        self._fire(run_id, key)
