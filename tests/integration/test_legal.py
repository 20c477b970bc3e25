"""Lawful requests end to end: a user's bundle holds exactly their data in the period and
nothing of anyone else; `verify` passes, and fails naming the file when any byte changes;
exports, holds, releases and searches are audited with the reference and the operator."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.core.messages import DirectMessage, Message
from causerie.core.users import Gender, PublicUser
from causerie.legal import bundle, keys
from causerie.legal.export import export, place_hold, release_hold, search
from causerie.media.records import MediaRecord, MediaState
from causerie.media.store import LocalMediaStore
from causerie.retention.policy import make_hold, parse_day
from causerie.safety import audit
from causerie.store.archive import Scope, ScopeKind
from causerie.store.base import ConnectionRecord, Origin
from causerie.store.sql import SqlStore
from tests.support.chat import TIMEOUT_S
from tests.support.databases import open_store
from tests.support.process import REPO_ROOT

pytestmark = pytest.mark.integration

ALICE = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
BRUNO = PublicUser("Bruno", Gender.MAN, 31, "69", "Auvergne-Rhône-Alpes")
CARLA = PublicUser("Carla", Gender.WOMAN, 40, "13", "Provence-Alpes-Côte d'Azur")
JAN = parse_day("2026-01-10")
MAR = parse_day("2026-03-10")
PERIOD = (parse_day("2026-01-01"), parse_day("2026-01-31", end=True))


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


async def _seed(store: SqlStore, media: LocalMediaStore) -> str:
    """Alice, Bruno and Carla in January and March; returns Alice's picture's file name."""
    for session, nick, address, at in (
        ("s-alice", "Alice", "10.0.0.1", JAN),
        ("s-alice2", "Alice", "10.0.0.1", MAR),
        ("s-bruno", "Bruno", "10.0.0.2", JAN),
        ("s-carla", "Carla", "10.0.0.3", JAN),
    ):
        await store.open_connection(
            ConnectionRecord(
                session, nick, "woman", 30, "75011", "75", address, 5000, "d", "ua", "ws", at
            )
        )
    here = {"s-alice": "10.0.0.1", "s-bruno": "10.0.0.2", "s-carla": "10.0.0.3"}
    said = [
        Message(1, "general", ALICE, "salut", JAN + 1000, "s-alice"),
        Message(2, "general", BRUNO, "bonjour", JAN + 2000, "s-bruno"),
        Message(3, "sport", CARLA, "but !", JAN + 3000, "s-carla"),
        Message(4, "general", ALICE, "en mars", MAR + 1000, "s-alice2"),
        DirectMessage(5, BRUNO, ALICE, "coucou Alice", JAN + 4000, "s-bruno", "s-alice"),
        DirectMessage(6, BRUNO, CARLA, "coucou Carla", JAN + 5000, "s-bruno", "s-carla"),
    ]
    await store.save([(m, Origin(here[m.sender_session[:7]], 6000)) for m in said])
    alice_file = await media.put(b"alice's picture")
    carla_file = await media.put(b"carla's picture")
    for media_id, session, nick, name in (
        ("m-alice", "s-alice", "Alice", alice_file),
        ("m-carla", "s-carla", "Carla", carla_file),
    ):
        await store.add_media(
            MediaRecord(
                media_id,
                MediaState.POSTED,
                name,
                name,
                name,
                "0" * 64,
                100,
                "image/jpeg",
                1,
                1,
                15,
                session,
                nick,
                "10.0.0.9",
                7000,
                JAN + 6000,
            )
        )
    return alice_file


async def test_export_user_bundle_holds_exactly_their_data_and_verifies(
    store: SqlStore, tmp_path: Path
) -> None:
    media = LocalMediaStore(tmp_path / "media")
    alice_file = await _seed(store, media)
    key = keys.load_or_create(tmp_path / "key.pem")
    out = tmp_path / "alice.zip"
    summary = await export(
        store,
        media,
        scope=Scope(ScopeKind.USER, "Alice", *PERIOD),
        reference="PV-42",
        operator="juge-martin",
        out=out,
        key=key,
        now_ms=MAR + 10_000,
    )
    data = out.read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    rows = {
        name[:-6]: [json.loads(line) for line in archive.read(name).splitlines()]
        for name in archive.namelist()
        if name.endswith(".jsonl")
    }
    assert [c["session"] for c in rows["connections"]] == ["s-alice"]
    assert [m["id"] for m in rows["messages"]] == [1]
    assert [m["id"] for m in rows["private_messages"]] == [5]
    assert [m["id"] for m in rows["media"]] == ["m-alice"]
    assert archive.namelist().count(f"media/{alice_file}") == 1
    assert archive.read(f"media/{alice_file}") == b"alice's picture"
    text = data.decode("latin-1")
    assert "Carla" not in json.dumps(rows) and "coucou Carla" not in json.dumps(rows)
    assert "en mars" not in json.dumps(rows) and "carla's picture" not in text
    assert summary.counts["messages"] == 1 and summary.files == 1
    found = bundle.verify(data, keys.public_from_text(keys.public_text(key)))
    assert found.ok, found.problems
    entries = await store.audit_rows()
    assert entries[-1]["action"] == "legal_export" and entries[-1]["actor"] == "juge-martin"
    assert json.loads(entries[-1]["details"])["reference"] == "PV-42"


async def test_export_by_address_and_room(store: SqlStore, tmp_path: Path) -> None:
    media = LocalMediaStore(tmp_path / "media")
    await _seed(store, media)
    by_address = await store.export_rows(Scope(ScopeKind.ADDRESS, "10.0.0.2", *PERIOD))
    assert [m["id"] for m in by_address["messages"]] == [2]
    assert [m["id"] for m in by_address["private_messages"]] == [5, 6]
    by_room = await store.export_rows(Scope(ScopeKind.ROOM, "sport", *PERIOD))
    assert [m["id"] for m in by_room["messages"]] == [3]
    assert [c["session"] for c in by_room["connections"]] == ["s-carla"]
    assert by_room["private_messages"] == []


async def test_holds_releases_and_searches_are_audited(store: SqlStore) -> None:
    hold = make_hold(
        reference="PV-7",
        nick="Bruno",
        room=None,
        from_ms=PERIOD[0],
        to_ms=PERIOD[1],
        operator="op-anne",
        now_ms=JAN,
    )
    assert await place_hold(store, hold)
    assert not await place_hold(store, hold)
    assert await release_hold(store, "PV-7", "op-paul", JAN + 1) is not None
    await search(
        store,
        scope=Scope(ScopeKind.USER, "Bruno", *PERIOD),
        reference="PV-8",
        operator="op-anne",
        now_ms=JAN + 2,
    )
    entries = await store.audit_rows()
    assert [(e["action"], e["actor"], e["reason"]) for e in entries] == [
        ("legal_hold", "op-anne", "PV-7"),
        ("legal_hold_released", "op-paul", "PV-7"),
        ("archive_search", "op-anne", "PV-8"),
    ]
    assert audit.verify_rows(entries).ok


def _bundle(tmp_path: Path) -> tuple[bytes, keys.Ed25519PrivateKey]:
    key = keys.load_or_create(tmp_path / "k.pem")
    data, _manifest = bundle.build(
        header={"reference": "R"},
        kinds={"connections": [{"nick": "A"}], "messages": [{"id": 1, "text": "salut"}]},
        media={"ab" * 32: b"\x89PNG fake picture"},
        key=key,
    )
    return data, key


def _rewrite(data: bytes, name: str, change: object) -> bytes:
    """The archive with one member's bytes changed (a consistent ZIP: only hashes tell)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                content = change(content)  # type: ignore[operator]
            if content is not None:
                target.writestr(info, content)
    return out.getvalue()


def _flip(content: bytes) -> bytes:
    return bytes([content[0] ^ 1]) + content[1:]


@pytest.mark.parametrize(
    "name", ["connections.jsonl", "messages.jsonl", f"media/{'ab' * 32}", "manifest.json"]
)
def test_verify_one_flipped_byte_names_the_file(tmp_path: Path, name: str) -> None:
    data, _key = _bundle(tmp_path)
    assert bundle.verify(data).ok
    found = bundle.verify(_rewrite(data, name, _flip))
    assert not found.ok
    assert any(p.startswith(name) for p in found.problems), found.problems


def test_verify_raw_byte_flip_inside_the_archive_names_the_member(tmp_path: Path) -> None:
    data, _key = _bundle(tmp_path)
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("messages.jsonl")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged = bytearray(data)
    damaged[start + 2] ^= 0xFF
    found = bundle.verify(bytes(damaged))
    assert any("messages.jsonl" in p for p in found.problems), found.problems


def test_verify_tampered_signature_removed_and_added_files(tmp_path: Path) -> None:
    data, _key = _bundle(tmp_path)
    signature = bundle.verify(_rewrite(data, "manifest.sig", lambda s: b"A" * 10 + s[10:]))
    assert any("manifest.sig" in p for p in signature.problems)
    removed = bundle.verify(_rewrite(data, "connections.jsonl", lambda _s: None))
    assert "connections.jsonl is missing from the bundle" in removed.problems
    other = keys.load_or_create(tmp_path / "other.pem")
    foreign = bundle.verify(data, keys.public_from_text(keys.public_text(other)))
    assert any("other than the trusted one" in p for p in foreign.problems)


def test_cli_export_then_verify_then_tamper(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    base = [sys.executable, "-m", "causerie", "--data-dir", str(tmp_path / "data"), "legal"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT_S * 6,
            check=False,
        )

    out = tmp_path / "b.zip"
    period = ["--from", "2026-01-01", "--to", "2026-01-31", "--reference", "PV-1"]
    exported = run("export", "--user", "Alice", *period, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    verified = run("verify", str(out))
    assert verified.returncode == 0 and "OK" in verified.stdout
    out.write_bytes(_rewrite(out.read_bytes(), "messages.jsonl", lambda s: s + b"{}\n"))
    failed = run("verify", str(out))
    assert failed.returncode != 0 and "messages.jsonl was altered" in failed.stderr
    assert "Traceback" not in failed.stderr
    again = run("export", "--user", "Alice", *period, "--out", str(out))
    assert again.returncode != 0 and "exists already" in again.stderr
    bad = run(
        "hold", "--user", "A", "--from", "2026-02-01", "--to", "2026-01-01", "--reference", "X"
    )
    assert bad.returncode != 0 and "before" in bad.stderr and "Traceback" not in bad.stderr
