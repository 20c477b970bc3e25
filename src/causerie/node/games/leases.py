"""Who runs a room's game: a lease, held by one node and renewed while it lives.

How this works: the lease of a place is a key with an owner and an expiry. `acquire` takes it
when nobody holds it or its expiry passed (Redis: `SET key owner NX PX ttl`); the holder
`renew`s it well before it expires (only if it still holds it: a Lua compare-and-set in Redis);
a node that stops renewing (killed) loses it after `ttl_ms`, and another node's `acquire`
succeeds. `once` answers one question once across nodes (a command every node sees in the
room's broker channel is answered by the first that claims it). `MemoryLeases` is the single
node's, with the clock injected; `RedisLeases` the cluster's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Leases(Protocol):
    async def acquire(self, key: str, owner: str, ttl_ms: int) -> bool: ...

    async def renew(self, key: str, owner: str, ttl_ms: int) -> bool: ...

    async def release(self, key: str, owner: str) -> None: ...

    async def once(self, key: str, ttl_ms: int) -> bool: ...


class MemoryLeases:
    """Leases of one process. Pure but for the clock it is given (milliseconds)."""

    def __init__(self, now_ms: Callable[[], int]) -> None:
        self._now_ms = now_ms
        self._held: dict[str, tuple[str, int]] = {}  # key -> (owner, expires at)

    def _holder(self, key: str) -> str | None:
        held = self._held.get(key)
        if held is None or held[1] <= self._now_ms():
            return None
        return held[0]

    async def acquire(self, key: str, owner: str, ttl_ms: int) -> bool:
        if self._holder(key) is not None:
            return False
        self._held[key] = (owner, self._now_ms() + ttl_ms)
        return True

    async def renew(self, key: str, owner: str, ttl_ms: int) -> bool:
        if self._holder(key) != owner:
            return False
        self._held[key] = (owner, self._now_ms() + ttl_ms)
        return True

    async def release(self, key: str, owner: str) -> None:
        if self._holder(key) == owner:
            del self._held[key]

    async def once(self, key: str, ttl_ms: int) -> bool:
        return await self.acquire("once:" + key, "", ttl_ms)


_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class RedisLeases:
    """Leases every node shares, in Redis (keys `<prefix>lease:<key>`)."""

    def __init__(self, client: Any, prefix: str) -> None:
        self._client = client
        self._prefix = prefix + "lease:"

    async def acquire(self, key: str, owner: str, ttl_ms: int) -> bool:
        return bool(await self._client.set(self._prefix + key, owner, nx=True, px=ttl_ms))

    async def renew(self, key: str, owner: str, ttl_ms: int) -> bool:
        done = await self._client.eval(_RENEW, 1, self._prefix + key, owner, ttl_ms)
        return bool(done)

    async def release(self, key: str, owner: str) -> None:
        await self._client.eval(_RELEASE, 1, self._prefix + key, owner)

    async def once(self, key: str, ttl_ms: int) -> bool:
        return await self.acquire("once:" + key, "1", ttl_ms)
