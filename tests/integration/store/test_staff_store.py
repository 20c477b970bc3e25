"""Staff accounts in the store, on SQLite and PostgreSQL alike: the last TOTP step a login used
is recorded with a compare-and-set, so a code is accepted once, even by two nodes at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.safety.staff import StaffAccount, StaffRole
from causerie.store.sql import SqlStore
from tests.support.databases import open_store

pytestmark = pytest.mark.integration
STEP = 58_333_333


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        await opened.add_staff(StaffAccount("Gaspard", StaffRole.ADMIN, "h", "SECRET"), 0)
        yield opened


async def _last_step(store: SqlStore) -> int | None:
    account = await store.staff_account("Gaspard")
    assert account is not None
    return account.totp_last_step


async def test_new_account_has_no_totp_step(store: SqlStore) -> None:
    assert await _last_step(store) is None


async def test_use_totp_step_records_once_and_refuses_that_step_again(store: SqlStore) -> None:
    assert await store.use_totp_step("Gaspard", STEP)
    assert not await store.use_totp_step("Gaspard", STEP)
    assert await _last_step(store) == STEP


async def test_use_totp_step_refuses_an_earlier_step_and_takes_a_later_one(
    store: SqlStore,
) -> None:
    assert await store.use_totp_step("Gaspard", STEP + 1)
    assert not await store.use_totp_step("Gaspard", STEP)
    assert await store.use_totp_step("Gaspard", STEP + 2)
    assert await _last_step(store) == STEP + 2


async def test_use_totp_step_unknown_account_false(store: SqlStore) -> None:
    assert not await store.use_totp_step("Personne", STEP)


async def test_use_totp_step_concurrent_uses_of_one_code_exactly_one_wins(
    store: SqlStore,
) -> None:
    results = await asyncio.gather(*(store.use_totp_step("Gaspard", STEP) for _ in range(8)))

    assert results.count(True) == 1
