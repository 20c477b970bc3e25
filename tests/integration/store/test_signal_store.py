"""What the signals that a "teen" may be an adult read from the store, on SQLite and PostgreSQL
alike: profiles by address and time, a person's child-safety tickets by session or nickname,
and the moments moderators decided a device's band."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.core.policy.adult_signals import Sighting
from causerie.core.policy.bans import Ban, BanScope
from causerie.safety.reports import Category, Lane, Report, ReportKind, ReportState
from causerie.store.base import ConnectionRecord
from causerie.store.sql import SqlStore
from tests.support.databases import open_store

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


def _record(session: str, age: int, address: str, device: str, at_ms: int) -> ConnectionRecord:
    return ConnectionRecord(
        session, session.upper(), "woman", age, "75011", "75", address, 4000, device,
        "Firefox", "ws", at_ms,
    )  # fmt: skip


def _report(
    nick: str,
    session: str | None,
    at_ms: int,
    *,
    category: Category = Category.CHILD_SAFETY,
    kind: ReportKind = ReportKind.FLAG,
) -> Report:
    return Report(
        0, kind, ReportState.RECEIVED, category, 4, Lane.AUTOMATIC, nick, session, at_ms, at_ms,
        rule="adult_address", evidence={"details": {"weight": 4}},
    )  # fmt: skip


async def test_profiles_from_address_newest_first_within_the_window(store: SqlStore) -> None:
    await store.open_connections(
        [
            _record("s1", 40, "203.0.113.7", "pc-1", 1_000),
            _record("s2", 15, "203.0.113.7", "tel-2", 5_000),
            _record("s3", 33, "203.0.113.7", "pc-3", 9_000),
            _record("s4", 50, "198.51.100.1", "pc-4", 9_500),
        ]
    )
    seen = await store.profiles_from_address("203.0.113.7", 2_000)
    assert seen == [Sighting("pc-3", 33, "Firefox", 9_000), Sighting("tel-2", 15, "Firefox", 5_000)]
    assert len(await store.profiles_from_address("203.0.113.7", 0, limit=1)) == 1
    assert await store.profiles_from_address("192.0.2.1", 0) == []


async def test_child_safety_about_by_session_or_nickname(store: SqlStore) -> None:
    await store.add_report(_report("Faux15", "s-old", 1_000))  # an earlier visit, same nick
    await store.add_report(_report("Autre", "s-now", 2_000))  # this session, another nick
    await store.add_report(_report("Faux15", "s-x", 3_000, category=Category.SPAM))
    await store.add_report(_report("Faux15", "s-y", 500))  # too old
    await store.add_report(_report("Personne", "s-z", 4_000))
    found = await store.child_safety_about("s-now", "Faux15", 800)
    assert [(r.target_nick, r.created_at_ms) for r in found] == [
        ("Faux15", 1_000),
        ("Autre", 2_000),
    ]
    assert found[0].evidence["details"] == {"weight": 4}
    assert [r.target_nick for r in await store.child_safety_about(None, "Faux15", 0)] == [
        "Faux15",
        "Faux15",
    ]


async def test_band_decisions_of_a_device(store: SqlStore) -> None:
    assert await store.band_decisions_ms("tel-1") == []
    ban = Ban(
        0, BanScope.TEEN_SPACE, None, "Faux15", "s1", "tel-1", "203.0.113.7", "r", "m", 7_000, None
    )
    await store.add_ban(ban)
    await store.add_ban(
        Ban(0, BanScope.SITE, None, "Faux15", "s1", "tel-1", None, "r", "m", 8_000, None)
    )
    assert await store.band_decisions_ms("tel-1") == [7_000]
    await store.lift_bans("Faux15", 9_000)
    assert sorted(await store.band_decisions_ms("tel-1")) == [7_000, 9_000]
    assert await store.band_decisions_ms("tel-2") == []


@pytest.mark.parametrize("scope", list(BanScope))
async def test_every_ban_scope_is_stored_and_read_back(store: SqlStore, scope: BanScope) -> None:
    """Each scope fits its column (PostgreSQL refuses what is too long, SQLite does not)."""
    room = "general" if scope is BanScope.ROOM else None
    await store.add_ban(Ban(0, scope, room, "Quelqu1", "s9", "tel-9", None, "r", "m", 1_000, None))
    [stored] = await store.bans_after(0, 2_000)
    assert stored.scope is scope


async def test_lifting_one_scope_leaves_the_others(store: SqlStore) -> None:
    for scope in (BanScope.MINOR_CONTACTS, BanScope.REPORTS):
        await store.add_ban(Ban(0, scope, None, "Pause15", "s8", "tel-8", None, "r", "m", 1, None))
    lifted = await store.lift_bans("Pause15", 5, BanScope.MINOR_CONTACTS)
    assert [ban.scope for ban in lifted] == [BanScope.MINOR_CONTACTS]
    active = [ban for ban in await store.bans_after(0, 10) if ban.lifted_at_ms is None]
    assert [ban.scope for ban in active] == [BanScope.REPORTS]
