"""The stores under test: SQLite in a temporary directory, and PostgreSQL on 127.0.0.1:5432
(database `test`, trust auth) in a schema of its own that is dropped afterwards.

Without a reachable PostgreSQL the PostgreSQL cases skip with the reason, except under
`CI=true`, where the service must be there and a missing one fails the test.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from causerie.store.sql import SqlStore

POSTGRES_URL = os.environ.get(
    "CAUSERIE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
IS_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(service: str, reason: str) -> None:
    message = f"{service} unavailable: {reason}"
    if IS_CI:
        pytest.fail(f"{message} (CI=true requires it)")
    pytest.skip(message)


async def _postgres_admin() -> SqlStore:
    store = SqlStore(POSTGRES_URL)
    try:
        await store.ping()
    except Exception as exc:
        await store.close()
        unavailable("PostgreSQL", f"{POSTGRES_URL}: {exc}")
    return store


@asynccontextmanager
async def postgres_schema() -> AsyncIterator[str]:
    """A fresh schema, dropped with everything in it at the end."""
    from sqlalchemy import text

    admin = await _postgres_admin()
    schema = "t_" + secrets.token_hex(6)
    try:
        async with admin.engine.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield schema
    finally:
        async with admin.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.close()


@asynccontextmanager
async def open_store(kind: str, tmp_path: Path) -> AsyncIterator[SqlStore]:
    """A migrated, empty store of the given kind (`sqlite` or `postgres`)."""
    if kind == "sqlite":
        store = SqlStore(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
        try:
            await store.migrate()
            yield store
        finally:
            await store.close()
        return
    async with postgres_schema() as schema:
        store = SqlStore(POSTGRES_URL, schema=schema)
        try:
            await store.migrate()
            yield store
        finally:
            await store.close()


REDIS_URL = os.environ.get("CAUSERIE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def require_redis() -> str:
    """The Redis URL, after checking it answers (skip, or fail under CI, when it does not)."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await client.ping()
    except Exception as exc:
        unavailable("Redis", f"{REDIS_URL}: {exc}")
    finally:
        await client.aclose()
    return REDIS_URL


async def drop_redis_prefix(prefix: str) -> None:
    """Delete every key a test made under its own prefix."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def unique_prefix() -> str:
    return f"causerie-test:{secrets.token_hex(4)}:"
