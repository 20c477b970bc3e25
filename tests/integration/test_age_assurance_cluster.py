"""Age assurance across two nodes sharing PostgreSQL and Redis: a teen assured on one node
resumes on the other still assured (the same identity), and a minor's proof used on one node is
refused as replayed on the other."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from causerie.safety.ageverify import TestAgeProvider
from tests.support.chat import Client, RunningServer, start_server, stop_server
from tests.support.databases import (
    POSTGRES_URL,
    drop_redis_prefix,
    postgres_schema,
    require_redis,
    unique_prefix,
)

pytestmark = pytest.mark.integration
PROVIDER = TestAgeProvider.generate(kid="teen-check")


@pytest.fixture
async def nodes(tmp_path: Path) -> AsyncIterator[list[RunningServer]]:
    redis_url = await require_redis()
    prefix = unique_prefix()
    key = base64.urlsafe_b64encode(PROVIDER.public_key_bytes()).decode().rstrip("=")
    async with postgres_schema() as schema:
        shared: dict[str, Any] = {
            "database_url": POSTGRES_URL,
            "database_schema": schema,
            "redis_url": redis_url,
            "redis_prefix": prefix,
            "teen_assurance": "dm",
            "age_verifier_keys": f"{PROVIDER.kid}:{key}",
            "age_provider_url": "https://age.example/estimate",
        }
        started = []
        try:
            for index in range(2):
                data_dir = tmp_path / f"node{index}"
                data_dir.mkdir()
                started.append(await start_server(data_dir, **shared))
            yield [running for running, _server, _task in started]
        finally:
            for _running, server, task in started:
                await stop_server(server, task)
            await drop_redis_prefix(prefix)


async def _teen(
    running: RunningServer, nick: str, device: str | None = None, **hello: Any
) -> tuple[Client, dict[str, Any]]:
    client = await Client.connect(running, device=device)
    welcome = await client.hello(nick, age=15, gender="man", **hello)
    assert welcome["type"] == "welcome", welcome
    return client, welcome


async def test_assured_teen_resumes_on_the_other_node_still_assured(
    nodes: list[RunningServer],
) -> None:
    first, welcome = await _teen(nodes[0], "Tom", device="tom-phone-0001")
    friend, _ = await _teen(nodes[1], "Lea")
    token = PROVIDER.issue(nodes[0].node.now_ms(), age_range=(13, 16))
    assert (await first.request("assure_age", token=token))["type"] == "age_assured"

    resume = {"session": welcome["session"], "resume_token": welcome["resume_token"]}
    again, resumed = await _teen(nodes[1], "Tom", device="tom-phone-0001", resume=resume)
    sent = await again.request_outcome("dm", to="Lea", text="re")

    assert resumed["assurance"]["assured"] is True
    assert sent["type"] == "ack", sent
    for client in (first, friend, again):
        await client.close()


async def test_minor_proof_used_on_one_node_refused_on_the_other(
    nodes: list[RunningServer],
) -> None:
    tom, _ = await _teen(nodes[0], "Tom")
    copier, _ = await _teen(nodes[1], "Copieur")
    token = PROVIDER.issue(nodes[0].node.now_ms(), over18=False)

    assert (await tom.request("assure_age", token=token))["type"] == "age_assured"
    replayed = await copier.request("assure_age", token=token)

    assert (replayed["code"], replayed["reason"]) == ("age_restricted", "age_assurance_replayed")
    for client in (tom, copier):
        await client.close()
