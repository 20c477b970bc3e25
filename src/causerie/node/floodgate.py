"""Flood limits that survive a reconnection: token buckets keyed by device and by address.

The hub limits each session; a flooder who reconnects gets a new session, so the node also
charges the device cookie and the address, in memory on one node or in Redis when several nodes
share the load (a client may reconnect to any of them). An address is shared by everyone behind
one router (a family, a school), so its bucket is `ADDRESS_FACTOR` times larger.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import redis.asyncio as aioredis

from causerie.broker.base import BrokerUnavailable
from causerie.broker.redis import client_for
from causerie.core.policy.ratelimits import RateLimit, TokenBucket

ADDRESS_FACTOR = 10
MAX_TRACKED_KEYS = 100_000


def scaled(limit: RateLimit, factor: float) -> RateLimit:
    return RateLimit(limit.capacity * factor, limit.refill_per_s * factor)


def person_charges(
    kind: str, device: str, address: str, limit: RateLimit
) -> list[tuple[str, RateLimit]]:
    """The buckets one action of a person is charged to: their device's, and their address's
    (shared, so larger)."""
    return [
        (f"{kind}device:{device}", limit),
        (f"{kind}address:{address}", scaled(limit, ADDRESS_FACTOR)),
    ]


class FloodGate(Protocol):
    async def take(self, key: str, limit: RateLimit, now_s: float) -> float:
        """Charge one message to `key`: 0 when allowed, else the seconds to wait."""

    async def take_all(self, charges: Sequence[tuple[str, RateLimit]], now_s: float) -> float:
        """Charge every bucket (in one round trip where it matters); the longest wait."""

    async def give_back(self, charges: Sequence[tuple[str, RateLimit]], now_s: float) -> None:
        """Return one token to each bucket (an attempt that did not count after all)."""

    async def close(self) -> None: ...


class MemoryFloodGate:
    """Buckets of one node, the least recently used forgotten past `MAX_TRACKED_KEYS`."""

    def __init__(self) -> None:
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    async def take(self, key: str, limit: RateLimit, now_s: float) -> float:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(limit, now_s)
            if len(self._buckets) > MAX_TRACKED_KEYS:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        return bucket.take(now_s)

    async def take_all(self, charges: Sequence[tuple[str, RateLimit]], now_s: float) -> float:
        return max([await self.take(key, limit, now_s) for key, limit in charges], default=0.0)

    async def give_back(self, charges: Sequence[tuple[str, RateLimit]], now_s: float) -> None:
        for key, _limit in charges:
            bucket = self._buckets.get(key)
            if bucket is not None:
                bucket.give_back(now_s)

    async def close(self) -> None:
        self._buckets.clear()


# The same arithmetic as TokenBucket, atomically in Redis: KEYS[1] the bucket (a hash of tokens
# and time), ARGV capacity, refill per second, now (s), expiry (ms). Returns the wait, as text.
_TAKE = """
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
if now > at then tokens = math.min(capacity, tokens + (now - at) * refill) else now = at end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / refill end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return tostring(wait)
"""
# One token back, at most up to the capacity; a bucket already gone (expired) stays full.
_GIVE_BACK = """
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
if tokens then
  redis.call('HSET', KEYS[1], 'tokens', math.min(tonumber(ARGV[1]), tokens + 1))
end
return 0
"""


class RedisFloodGate:
    def __init__(self, redis: aioredis.Redis | str, prefix: str = "causerie:") -> None:
        self._client, self._owns_client = client_for(redis)
        self._prefix = prefix
        self._script = self._client.register_script(_TAKE)
        self._give_back = self._client.register_script(_GIVE_BACK)

    async def take(self, key: str, limit: RateLimit, now_s: float) -> float:
        return await self.take_all([(key, limit)], now_s)

    async def take_all(self, charges: Sequence[tuple[str, RateLimit]], now_s: float) -> float:
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key, limit in charges:
                    expiry_ms = int(limit.capacity / limit.refill_per_s * 1000) + 1000
                    await self._script(
                        keys=[f"{self._prefix}flood:{key}"],
                        args=[limit.capacity, limit.refill_per_s, now_s, expiry_ms],
                        client=pipe,
                    )
                waits = await pipe.execute()
        except (aioredis.RedisError, OSError) as exc:
            raise BrokerUnavailable(str(exc)) from exc
        return max((float(wait) for wait in waits), default=0.0)

    async def give_back(self, charges: Sequence[tuple[str, RateLimit]], now_s: float) -> None:
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key, limit in charges:
                    await self._give_back(
                        keys=[f"{self._prefix}flood:{key}"], args=[limit.capacity], client=pipe
                    )
                await pipe.execute()
        except (aioredis.RedisError, OSError) as exc:
            raise BrokerUnavailable(str(exc)) from exc

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()
