"""Fixtures: a running server per test and connected protocol clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.chat import Client, RunningServer, start_server, stop_server


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    running, uv, task = await start_server(tmp_path)
    yield running
    await stop_server(uv, task)


@pytest.fixture
async def connect(server: RunningServer) -> AsyncIterator[Any]:
    clients: list[Client] = []

    async def make(**kwargs: Any) -> Client:
        client = await Client.connect(server, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
