"""Trusted flaggers in the store, on SQLite and PostgreSQL alike: keyed by `nick_key`, and rows
written under the older key (before UTS #39 look-alikes) still count and can be removed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.core.policy.nicknames import nick_key
from causerie.store.sql import SqlStore
from tests.support.databases import open_store

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


async def test_trusted_flaggers_keyed_by_nick_key(store: SqlStore) -> None:
    await store.add_trusted_flagger(nick_key("Élodie"), "Élodie", "sophie", 0)

    assert await store.trusted_flaggers() == {nick_key("elodie"): "Élodie"}


async def test_row_with_an_older_key_is_keyed_again_and_removable(store: SqlStore) -> None:
    await store.add_trusted_flagger("elodie", "Élodie", "sophie", 0)  # the key before UTS #39

    assert await store.trusted_flaggers() == {nick_key("Élodie"): "Élodie"}
    assert await store.remove_trusted_flagger(nick_key("ÉLODIE"))
    assert await store.trusted_flaggers() == {}
    assert not await store.remove_trusted_flagger(nick_key("Élodie"))


async def test_adding_again_replaces_the_row_under_an_older_key(store: SqlStore) -> None:
    await store.add_trusted_flagger("elodie", "Élodie", "sophie", 0)

    await store.add_trusted_flagger(nick_key("elodie"), "elodie", "karim", 1)

    assert await store.trusted_flaggers() == {nick_key("elodie"): "elodie"}
