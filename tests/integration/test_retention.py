"""The purge against SQLite and PostgreSQL: old rows go, young ones stay, held and reported ones
stay, picture files leave the disk, where each message came from outlives its text, a dry run
deletes nothing; and the command prints what it removed per kind."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.core.messages import DirectMessage, Message
from causerie.core.users import Gender, PublicUser
from causerie.media.records import MediaRecord, MediaState
from causerie.media.store import Area, LocalMediaStore
from causerie.retention.policy import DAY_MS, Kind, RetentionPolicy, make_hold
from causerie.retention.purge import Purger
from causerie.safety import audit
from causerie.safety.reports import Category, Lane, Report, ReportKind, ReportState
from causerie.store.base import ConnectionRecord, Origin
from causerie.store.sql import SqlStore
from tests.support.chat import TIMEOUT_S
from tests.support.databases import open_store
from tests.support.process import REPO_ROOT

pytestmark = pytest.mark.integration

NOW = 1_800_000_000_000
ALICE = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
BRUNO = PublicUser("Bruno", Gender.MAN, 31, "69", "Auvergne-Rhône-Alpes")
CARLA = PublicUser("Carla", Gender.WOMAN, 40, "13", "Provence-Alpes-Côte d'Azur")
SENDERS = {"s-alice": ALICE, "s-bruno": BRUNO, "s-carla": CARLA}


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


def _days_ago(days: float) -> int:
    return NOW - int(days * DAY_MS)


def _say(message_id: int, session: str, days: float, room: str = "general") -> Message:
    return Message(message_id, room, SENDERS[session], f"m{message_id}", _days_ago(days), session)


def _origin(message_id: int) -> Origin:
    return Origin(f"10.0.0.{message_id % 250}", 40000 + message_id)


def _purger(store: SqlStore, media: LocalMediaStore | None = None, batch: int = 3) -> Purger:
    return Purger(store, RetentionPolicy(), media, batch=batch, clock_ms=lambda: NOW)


async def _ids(store: SqlStore, table: str) -> set[int]:
    from sqlalchemy import select

    from causerie.store import schema

    target = schema.metadata.tables[table]
    async with store.engine.connect() as connection:
        return set((await connection.execute(select(target.c.id))).scalars())


async def test_purge_old_messages_go_young_stay_with_origins_kept(store: SqlStore) -> None:
    old = [_say(i, "s-alice", 91 + i) for i in range(1, 8)]
    young = [_say(i, "s-alice", 89) for i in range(20, 23)]
    await store.save([(m, _origin(m.id)) for m in old + young])
    dm = DirectMessage(50, ALICE, BRUNO, "coucou", _days_ago(120), "s-alice", "s-bruno")
    await store.save([(dm, Origin("10.9.9.9", 5555))])

    result = await _purger(store).run()

    assert await _ids(store, "messages") == {20, 21, 22}
    assert await _ids(store, "direct_messages") == set()
    assert result.removed[Kind.MESSAGES] == 7 and result.removed[Kind.DIRECT_MESSAGES] == 1
    found = await store.export_rows(_scope_user("Alice"))
    origins = {(o["kind"], o["ref"]): (o["address"], o["port"]) for o in found["message_origins"]}
    assert origins[("room", "3")] == ("10.0.0.3", 40003)
    assert origins[("dm", "50")] == ("10.9.9.9", 5555)
    assert len(origins) == 8


def _scope_user(nick: str) -> object:
    from causerie.store.archive import Scope, ScopeKind

    return Scope(ScopeKind.USER, nick, 0, NOW)


async def test_purge_held_and_reported_messages_stay(store: SqlStore) -> None:
    await store.save(
        [(_say(i, "s-alice", 200), _origin(i)) for i in (1, 2)]
        + [(_say(i, "s-bruno", 200), _origin(i)) for i in (3, 4)]
        + [(_say(i, "s-carla", 200, room="sport"), _origin(i)) for i in (5, 6)]
    )
    hold = make_hold(
        reference="PV-2026-001",
        nick="Alice",
        room=None,
        from_ms=_days_ago(365),
        to_ms=_days_ago(100),
        operator="op",
        now_ms=NOW,
    )
    assert await store.add_hold(hold)
    room_hold = make_hold(
        reference="PV-2026-002",
        nick=None,
        room="sport",
        from_ms=_days_ago(201),
        to_ms=_days_ago(199),
        operator="op",
        now_ms=NOW,
    )
    assert await store.add_hold(room_hold)
    await store.add_report(_open_report(message_id=3))

    await _purger(store).run()
    assert await _ids(store, "messages") == {1, 2, 3, 5, 6}

    assert await store.release_hold("PV-2026-001", "op", NOW) is not None
    assert await store.release_hold("PV-2026-001", "op", NOW) is None
    await _purger(store).run()
    assert await _ids(store, "messages") == {3, 5, 6}


def _open_report(*, message_id: int | None = None, target: str = "s-bruno") -> Report:
    return Report(
        id=0,
        kind=ReportKind.REPORT,
        state=ReportState.RECEIVED,
        category=Category.HARASSMENT,
        severity=3,
        lane=Lane.USER,
        target_nick="Bruno",
        target_session=target,
        created_at_ms=_days_ago(200),
        updated_at_ms=_days_ago(200),
        reporter_session="s-carla",
        reporter_nick="Carla",
        message_id=message_id,
        room_id="general",
    )


async def test_purge_closed_reports_after_five_years_open_ones_stay(store: SqlStore) -> None:
    old = _days_ago(2000)
    closed = dataclasses.replace(
        _open_report(), state=ReportState.DISMISSED, created_at_ms=old, updated_at_ms=old
    )
    still_open = dataclasses.replace(_open_report(), created_at_ms=old, updated_at_ms=old)
    young = dataclasses.replace(closed, created_at_ms=_days_ago(10), updated_at_ms=_days_ago(10))
    ids = [(await store.add_report(r)).id for r in (closed, still_open, young)]
    result = await _purger(store).run()
    assert result.removed[Kind.REPORTS] == 1
    assert await store.report(ids[0]) is None
    assert await store.report(ids[1]) is not None and await store.report(ids[2]) is not None


async def test_purge_dry_run_counts_and_deletes_nothing(store: SqlStore) -> None:
    await store.save([(_say(i, "s-alice", 100), _origin(i)) for i in range(1, 6)])
    result = await _purger(store).run(dry_run=True)
    assert result.removed[Kind.MESSAGES] == 5 and result.dry_run
    assert len(await _ids(store, "messages")) == 5
    assert "messages           would remove 5" in result.lines()


async def test_purge_connections_after_a_year_only_closed_and_unheld(store: SqlStore) -> None:
    for session, nick, days in (("c1", "Alice", 400), ("c2", "Bruno", 400), ("c3", "Alice", 300)):
        await store.open_connection(_record(session, nick, _days_ago(days)))
        await store.close_connection(session, _days_ago(days) + 1000)
    await store.open_connection(_record("c4", "Carla", _days_ago(500)))  # still connected
    assert await store.add_hold(
        make_hold(
            reference="R",
            nick="Bruno",
            room=None,
            from_ms=_days_ago(401),
            to_ms=_days_ago(399),
            operator="op",
            now_ms=NOW,
        )
    )
    result = await _purger(store).run()
    assert result.removed[Kind.CONNECTIONS] == 1
    assert await store.connection("c1") is None
    assert all([await store.connection(s) for s in ("c2", "c3", "c4")])


def _record(session: str, nick: str, at_ms: int) -> ConnectionRecord:
    return ConnectionRecord(
        session, nick, "woman", 30, "75011", "75", "10.1.1.1", 50000, "dev", "ua", "ws", at_ms
    )


async def test_purge_media_rows_and_files_leave_unless_still_used(
    store: SqlStore, tmp_path: Path
) -> None:
    media = LocalMediaStore(tmp_path / "media")
    shared = await media.put(b"shared picture bytes")
    old_only = await media.put(b"old picture bytes")
    thumb = await media.put(b"thumbnail bytes")
    await store.add_media(_media("old1", old_only, thumb, _days_ago(120)))
    await store.add_media(_media("old2", shared, thumb, _days_ago(120)))
    await store.add_media(_media("young", shared, thumb, _days_ago(10)))

    result = await _purger(store, media).run()

    assert result.removed[Kind.MEDIA] == 2
    assert await store.media("old1") is None and await store.media("young") is not None
    assert not await media.exists(old_only)
    assert await media.exists(shared) and await media.exists(thumb)
    assert result.files == 1
    # The last row using the shared files goes too: so do the files.
    later = Purger(store, RetentionPolicy(media_days=1), media, clock_ms=lambda: NOW)
    await later.run()
    assert not await media.exists(shared) and not await media.exists(thumb)
    assert not await media.exists(shared, Area.EVIDENCE)


def _media(media_id: str, sha: str, thumb: str, at_ms: int) -> MediaRecord:
    return MediaRecord(
        id=media_id,
        state=MediaState.POSTED,
        sha256=sha,
        thumb_sha256=thumb,
        original_sha256=sha,
        pdq="0" * 64,
        pdq_quality=100,
        mime="image/jpeg",
        width=10,
        height=10,
        bytes=20,
        uploader_session="s-alice",
        uploader_nick="Alice",
        source_address="10.2.2.2",
        source_port=4242,
        created_at_ms=at_ms,
    )


async def test_purge_audit_keeps_a_checkpoint_the_chain_verifies_from(store: SqlStore) -> None:
    for days in (2000, 1900, 10):
        await store.append_audit(
            at_ms=_days_ago(days),
            actor="modo",
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.WARN,
            target="user:Bruno",
            reason="test",
        )
    result = await _purger(store).run()
    assert result.removed[Kind.AUDIT] == 2
    rows = await store.audit_rows()
    checkpoint = await store.audit_checkpoint()
    assert [r["seq"] for r in rows] == [3] and checkpoint is not None
    seq, digest = checkpoint
    after = audit.AuditEntry(seq, 0, "x", audit.ActorKind.SYSTEM, "", "", "", {}, "", digest)
    assert audit.verify_rows(rows, after=after).ok


def test_cli_purge_prints_counts_per_kind(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    command = [sys.executable, "-m", "causerie", "--data-dir", str(tmp_path), "retention", "purge"]
    for extra in (["--dry-run"], []):
        result = subprocess.run(
            command + extra,
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT_S * 6,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        for kind in Kind:
            assert kind.value in result.stdout
        assert ("would remove" in result.stdout) == bool(extra)


async def test_purge_hash_match_evidence_kept_while_its_flag_is_open_then_deleted(
    store: SqlStore, tmp_path: Path
) -> None:
    media = LocalMediaStore(tmp_path / "media")
    original = await media.put(b"the upload exactly as sent", Area.EVIDENCE)
    blocked = dataclasses.replace(
        _media("matched", "a" * 64, "b" * 64, _days_ago(120)),
        state=MediaState.BLOCKED,
        original_sha256=original,
        uploader_session="s-bruno",
    )
    await store.add_media(blocked)
    flag = await store.add_report(_open_report(target="s-bruno"))

    await _purger(store, media).run()
    kept = await media.exists(original, Area.EVIDENCE)
    await store.update_report(flag.id, state=ReportState.ACTIONED.value)
    await _purger(store, media).run()

    assert kept
    assert await store.media("matched") is None
    assert not await media.exists(original, Area.EVIDENCE)
