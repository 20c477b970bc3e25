"""The `Broker` contract on the in-process broker and on Redis, and Redis presence."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from causerie.broker.base import Broker
from causerie.broker.memory import MemoryBroker
from causerie.broker.presence import RedisPresence
from causerie.broker.redis import RedisBroker
from tests.support.chat import TIMEOUT_S
from tests.support.databases import drop_redis_prefix, require_redis, unique_prefix
from tests.support.proxy import TcpProxy

pytestmark = pytest.mark.integration


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    name = unique_prefix()
    yield name
    await drop_redis_prefix(name)


@pytest.fixture(params=["memory", "redis"])
async def broker(request: pytest.FixtureRequest, prefix: str) -> AsyncIterator[Any]:
    if request.param == "memory":
        made: Broker = MemoryBroker()
    else:
        made = RedisBroker(await require_redis(), prefix)
    yield made
    await made.close()


class Inbox:
    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.changed = asyncio.Event()

    def __call__(self, channel: str, payload: str) -> None:
        self.items.append((channel, payload))
        self.changed.set()

    async def wait_for(self, count: int) -> list[tuple[str, str]]:
        async with asyncio.timeout(TIMEOUT_S):
            while len(self.items) < count:
                self.changed.clear()
                await self.changed.wait()
        return self.items


async def test_published_frames_arrive_once_in_order(broker: Any) -> None:
    inbox = Inbox()
    await broker.start(inbox)
    await broker.subscribe("room:general")
    await broker.subscribe("room:sport")
    for index in range(500):
        await broker.publish("room:general", f"m{index}")
    await broker.publish("room:sport", "autre")
    received = await inbox.wait_for(501)
    assert [p for c, p in received if c == "room:general"] == [f"m{i}" for i in range(500)]
    assert ("room:sport", "autre") in received
    assert broker.is_healthy


async def test_unsubscribed_channels_are_not_delivered(broker: Any) -> None:
    inbox = Inbox()
    await broker.start(inbox)
    await broker.subscribe("room:a")
    await broker.subscribe("room:b")
    await broker.unsubscribe("room:a")
    await broker.publish("room:a", "perdu")
    await broker.publish("room:b", "reçu")
    assert await inbox.wait_for(1) == [("room:b", "reçu")]


async def test_redis_brokers_on_two_nodes_share_a_channel(prefix: str) -> None:
    url = await require_redis()
    first, second = RedisBroker(url, prefix), RedisBroker(url, prefix)
    inbox_a, inbox_b = Inbox(), Inbox()
    try:
        await first.start(inbox_a)
        await second.start(inbox_b)
        await first.subscribe("room:general")
        await second.subscribe("room:general")
        await asyncio.sleep(0.05)
        await first.publish("room:general", "de A")
        await second.publish("room:general", "de B")
        seen_a = [p for _c, p in await inbox_a.wait_for(2)]
        seen_b = [p for _c, p in await inbox_b.wait_for(2)]
        assert seen_a == seen_b, "every node sees one room in the same order"
        assert sorted(seen_a) == ["de A", "de B"]
    finally:
        await first.close()
        await second.close()


async def test_presence_two_nodes_share_members_nicks_and_counts(prefix: str) -> None:
    url = await require_redis()
    node_a, node_b = RedisPresence(url, prefix, 2.0), RedisPresence(url, prefix, 2.0)
    now = 1_000_000
    try:
        assert await node_a.claim_node_id(now) != await node_b.claim_node_id(now)
        alice = {"nick": "Alice", "gender": "woman", "age": 25, "dept": "75", "region": "x"}
        assert await node_a.claim_nick("alice", "s-a", alice)
        assert not await node_b.claim_nick("alice", "s-b", alice)
        await node_a.enter("general", "s-a", alice)
        await node_b.enter("general", "s-b", {**alice, "nick": "Bruno"})
        members = await node_b.members("general", now)
        assert sorted(m["nick"] for m in members) == ["Alice", "Bruno"]
        assert await node_a.counts(["general", "sport"], now) == {"general": 2, "sport": 0}
        await node_b.block("s-b", "alice")
        assert await node_a.is_blocked_by("s-b", "alice")
        await node_a.release_nick("alice", "s-a")
        assert await node_b.claim_nick("alice", "s-b", alice)
    finally:
        await node_a.close()
        await node_b.close()


async def test_presence_dead_node_is_reaped_once(prefix: str) -> None:
    url = await require_redis()
    dead, survivor, late = (RedisPresence(url, prefix, 2.0) for _ in range(3))
    start = 1_000_000
    try:
        await dead.claim_node_id(start)
        await survivor.claim_node_id(start)
        await late.claim_node_id(start)
        await dead.enter("general", "s-dead", {"nick": "Fantome"})
        later = start + 2_500  # past the 2 s TTL without a heartbeat from `dead`
        assert await survivor.heartbeat(later, {}, {"general": {}})
        assert await late.heartbeat(later, {}, {"general": {}})
        assert [m["nick"] for m in await survivor.members("general", later)] == []
        gone = await survivor.reap(later, ["general"])
        assert [(g.room, g.user["nick"]) for g in gone] == [("general", "Fantome")]
        assert await late.reap(later, ["general"]) == [], "only one node announces it"
    finally:
        for presence in (dead, survivor, late):
            await presence.close()


async def test_presence_heartbeat_restores_claims_after_a_redis_flush(prefix: str) -> None:
    url = await require_redis()
    node, intruder = RedisPresence(url, prefix, 2.0), RedisPresence(url, prefix, 2.0)
    now = 5_000_000
    alice = {"nick": "Alice", "gender": "woman", "age": 25, "dept": "75", "region": "x"}
    try:
        number = await node.claim_node_id(now)
        await node.claim_nick("alice", "s-a", alice)
        await node.enter("general", "s-a", alice)
        await drop_redis_prefix(prefix)  # Redis restarted empty
        assert await node.heartbeat(
            now + 500, {"alice": ("s-a", alice)}, {"general": {"s-a": alice}}
        )
        assert not await intruder.claim_nick("alice", "s-x", alice)
        assert [m["nick"] for m in await intruder.members("general", now + 600)] == ["Alice"]
        assert await intruder.claim_node_id(now + 600) != number
        await drop_redis_prefix(prefix)
        await intruder.claim_node_id(now + 700)  # takes the first free number: ours
        assert not await node.heartbeat(now + 800, {}, {}), "the number is no longer ours"
    finally:
        await node.close()
        await intruder.close()


async def test_redis_reader_recovers_after_failing_to_resubscribe_during_outage(
    prefix: str,
) -> None:
    url = await require_redis()
    proxy = await TcpProxy("127.0.0.1", 6379).start()
    behind = RedisBroker(f"redis://127.0.0.1:{proxy.port}/0", prefix)
    direct = RedisBroker(url, prefix)
    inbox = Inbox()
    try:
        await behind.start(inbox)
        await direct.start(Inbox())
        await behind.subscribe("room:general")
        await asyncio.sleep(0.05)
        await proxy.cut()
        async with asyncio.timeout(TIMEOUT_S):
            while behind.is_healthy:  # noqa: ASYNC110 - polling the reader's view
                await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # long enough for a resubscribe to fail while cut
        await proxy.restore()
        async with asyncio.timeout(TIMEOUT_S * 3):
            while not behind.is_healthy:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        await direct.publish("room:general", "de retour")
        assert [p for _c, p in await inbox.wait_for(1)] == ["de retour"]
    finally:
        if not proxy.is_open:
            await proxy.restore()
        await behind.close()
        await direct.close()
        await proxy.cut()
