"""Flood buckets that outlive a session, in memory and in Redis: the same arithmetic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from causerie.core.policy.ratelimits import RateLimit
from causerie.node.floodgate import MemoryFloodGate, RedisFloodGate
from tests.support.databases import drop_redis_prefix, require_redis, unique_prefix

pytestmark = pytest.mark.integration
LIMIT = RateLimit(capacity=3, refill_per_s=0.5)


@pytest.fixture(params=["memory", "redis"])
async def gate(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    if request.param == "memory":
        made: Any = MemoryFloodGate()
        yield made
        await made.close()
        return
    prefix = unique_prefix()
    made = RedisFloodGate(await require_redis(), prefix)
    yield made
    await made.close()
    await drop_redis_prefix(prefix)


async def test_burst_then_wait_then_refill(gate: Any) -> None:
    waits = [await gate.take("device:d1", LIMIT, 100.0) for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(2.0)  # one token at 0.5 per second
    assert await gate.take("device:d1", LIMIT, 101.0) > 0
    assert await gate.take("device:d1", LIMIT, 102.5) == 0.0


async def test_keys_are_independent(gate: Any) -> None:
    for _ in range(3):
        await gate.take("device:a", LIMIT, 10.0)
    assert await gate.take("device:a", LIMIT, 10.0) > 0
    assert await gate.take("device:b", LIMIT, 10.0) == 0.0


async def test_clock_stepping_back_gives_no_extra_tokens(gate: Any) -> None:
    for _ in range(3):
        await gate.take("device:c", LIMIT, 50.0)
    assert await gate.take("device:c", LIMIT, 40.0) > 0
    assert await gate.take("device:c", LIMIT, 50.5) > 0


async def test_give_back_returns_one_token_never_above_the_capacity(gate: Any) -> None:
    charges = [("stafflogin:address:a", LIMIT), ("stafflogin:name:n", LIMIT)]
    for _ in range(3):
        assert await gate.take_all(charges, 20.0) == 0.0
    assert await gate.take_all(charges, 20.0) > 0

    await gate.give_back(charges, 20.0)

    assert await gate.take_all(charges, 20.0) == 0.0
    assert await gate.take_all(charges, 20.0) > 0
    for _ in range(5):  # a full bucket stays full
        await gate.give_back([("stafflogin:address:full", LIMIT)], 20.0)
    waits = [await gate.take("stafflogin:address:full", LIMIT, 20.0) for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0] and waits[3] > 0
