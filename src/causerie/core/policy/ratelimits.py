"""Token buckets for flood limits. Pure: the caller passes `now_s`.

A bucket holds up to `capacity` tokens and regains `refill_per_s` each second; an action takes
one token or is refused with the time until one is back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimit:
    capacity: float
    refill_per_s: float


class TokenBucket:
    __slots__ = ("_limit", "_tokens", "_updated_s")

    def __init__(self, limit: RateLimit, now_s: float) -> None:
        self._limit = limit
        self._tokens = limit.capacity
        self._updated_s = now_s

    def take(self, now_s: float) -> float:
        """Take a token. Returns 0 when allowed, else the seconds to wait before retrying."""
        self._refill(now_s)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self._limit.refill_per_s

    def give_back(self, now_s: float) -> None:
        """Return a token taken for an attempt that turned out not to count (never above the
        capacity)."""
        self._refill(now_s)
        self._tokens = min(self._limit.capacity, self._tokens + 1.0)

    def _refill(self, now_s: float) -> None:
        elapsed = max(0.0, now_s - self._updated_s)
        self._tokens = min(self._limit.capacity, self._tokens + elapsed * self._limit.refill_per_s)
        self._updated_s = max(self._updated_s, now_s)
