"""A node whose PostgreSQL or Redis goes away says so on /healthz, refuses new messages with
`unavailable` instead of losing them, and recovers by itself when the service returns.

The outage is made by a TCP proxy between the node and the shared service, cut and restored.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server
from tests.support.databases import (
    POSTGRES_URL,
    drop_redis_prefix,
    postgres_schema,
    require_redis,
    unique_prefix,
)
from tests.support.proxy import TcpProxy

pytestmark = pytest.mark.integration


@pytest.fixture
async def proxied(tmp_path: Path) -> AsyncIterator[tuple[RunningServer, TcpProxy, TcpProxy]]:
    await require_redis()
    database = await TcpProxy("127.0.0.1", 5432).start()
    redis = await TcpProxy("127.0.0.1", 6379).start()
    prefix = unique_prefix()
    async with postgres_schema() as schema:
        url = POSTGRES_URL.replace("127.0.0.1:5432", f"127.0.0.1:{database.port}")
        running, server, task = await start_server(
            tmp_path,
            database_url=url,
            database_schema=schema,
            redis_url=f"redis://127.0.0.1:{redis.port}/0",
            redis_prefix=prefix,
            node_ttl_s=2.0,
        )
        try:
            yield running, database, redis
        finally:
            for proxy in (database, redis):
                if not proxy.is_open:
                    await proxy.restore()  # let the node stop cleanly
            await stop_server(server, task)
            await database.cut()
            await redis.cut()
            await drop_redis_prefix(prefix)


async def _health(server: RunningServer) -> int:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return (await http.get("/healthz")).status_code


async def _until_health(server: RunningServer, status: int) -> None:
    async with asyncio.timeout(TIMEOUT_S * 3):
        while await _health(server) != status:  # noqa: ASYNC110 - polling an HTTP endpoint
            await asyncio.sleep(0.1)


async def _say_outcome(client: Client, text: str) -> dict[str, Any]:
    request_id = f"say-{text}"
    await client.send({"type": "say", "id": request_id, "room": "general", "text": text})
    return await client.expect(lambda f: f.get("re") == request_id)


@pytest.mark.parametrize("service", ["postgres", "redis"])
async def test_outage_refuses_then_recovers(
    proxied: tuple[RunningServer, TcpProxy, TcpProxy], service: str
) -> None:
    server, database, redis = proxied
    proxy = database if service == "postgres" else redis
    client = Client(await websockets.connect(server.ws_url))
    await client.hello("Patient")
    await client.join("general")
    assert (await _say_outcome(client, "avant"))["type"] == "ack"

    await proxy.cut()
    outcome = await _say_outcome(client, "pendant")
    assert (outcome["type"], outcome.get("code")) == ("error", "unavailable")
    await _until_health(server, 503)
    refused = await _say_outcome(client, "toujours")
    assert refused.get("code") == "unavailable"

    await proxy.restore()
    await _until_health(server, 200)
    after = await _say_outcome(client, "après")
    assert after["type"] == "ack", after
    await client.close()
