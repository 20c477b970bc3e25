"""Connections open at once per key (an address, a device), counted on one node.

Both listeners use it at the door, before a connection costs anything: the IRC listener per
address (open at once and new ones per minute), the WebSocket endpoint per address and per
device cookie (open at once). A connection admitted is released exactly once, when it is gone.

Counts are kept in this process: with several nodes behind a load balancer, each node counts
its own connections (docs/operations.md says so). Logins per minute, which must hold across
nodes, are token buckets in the flood gate instead (`node.admission`).
"""

from __future__ import annotations

import ipaddress
import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0
SWEEP_EVERY = 1024  # admissions between two sweeps of keys nobody uses any more


def address_key(address: str) -> str:
    """What an address's limits are counted under: an IPv4 address as it is; an IPv6 address
    by its /64, the network one subscriber gets (a host there takes any address it likes, so
    counting single IPv6 addresses would count nothing)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return address


class Throttle:
    """At most `max_open` connections open at once per key and, when `per_minute` is set, at
    most that many new ones in any 60 s. Keys without an open connection and without a recent
    one are forgotten, so memory follows the keys in use, not every key ever seen."""

    __slots__ = ("_admitted", "_clock", "_max_open", "_open", "_per_minute", "_recent")

    def __init__(
        self,
        max_open: int,
        per_minute: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_open, self._per_minute, self._clock = max_open, per_minute, clock
        self._open: dict[str, int] = {}
        self._recent: dict[str, deque[float]] = {}
        self._admitted = 0

    def admit(self, key: str) -> bool:
        """Count one more connection for `key`, or refuse it (nothing counted)."""
        if self._open.get(key, 0) >= self._max_open:
            return False
        if self._per_minute is not None:
            now = self._clock()
            recent = self._recent.get(key)
            if recent is None:
                recent = self._recent[key] = deque()
            while recent and recent[0] <= now - WINDOW_S:
                recent.popleft()
            if len(recent) >= self._per_minute:
                return False
            recent.append(now)
        self._open[key] = self._open.get(key, 0) + 1
        self._admitted += 1
        if self._admitted % SWEEP_EVERY == 0:
            self._sweep()
        return True

    def release(self, key: str) -> None:
        """One connection of `key` is gone."""
        left = self._open.get(key, 0) - 1
        if left > 0:
            self._open[key] = left
        else:
            self._open.pop(key, None)

    def open_count(self, key: str) -> int:
        return self._open.get(key, 0)

    def tracked_keys(self) -> int:
        """Keys held in memory (for tests of the sweep)."""
        return len(self._open.keys() | self._recent.keys())

    def _sweep(self) -> None:
        horizon = self._clock() - WINDOW_S
        stale = [
            key
            for key, recent in self._recent.items()
            if key not in self._open and (not recent or recent[-1] <= horizon)
        ]
        for key in stale:
            del self._recent[key]


class ConnectionLimits:
    """The WebSocket door: connections open at once per client address and per device cookie.
    `admit` says which limit refused (`"address"` or `"device"`), or None when counted."""

    __slots__ = ("_by_address", "_by_device")

    def __init__(self, per_address: int, per_device: int) -> None:
        self._by_address = Throttle(per_address)
        self._by_device = Throttle(per_device)

    def admit(self, address: str, device: str | None) -> str | None:
        """Count a connection from `address` with `device` (None: no device cookie)."""
        if not self._by_address.admit(address):
            return "address"
        if device is not None and not self._by_device.admit(device):
            self._by_address.release(address)
            return "device"
        return None

    def release(self, address: str, device: str | None) -> None:
        self._by_address.release(address)
        if device is not None:
            self._by_device.release(device)

    def open_from(self, address: str) -> int:
        return self._by_address.open_count(address)
