"""The operator's rooms on a running node: a room made, changed and archived reaches the people
connected at once, over WebSocket and IRC; the CLI beside a single node (no shared broker) is
followed within seconds; a member limit and a slow mode hold."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from causerie.assembly.backends import build_store
from causerie.config import load_settings
from causerie.core.policy.room_rules import RoomSpec
from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import TIMEOUT_S, Client, RunningServer, stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server
from tests.support.process import REPO_ROOT

pytestmark = pytest.mark.integration


@dataclass
class World:
    running: RunningServer
    port: int
    data_dir: Path
    ws: list[Client] = field(default_factory=list)
    irc: list[IrcClient] = field(default_factory=list)

    async def web(self, nick: str, age: int = 30) -> Client:
        client = await Client.connect(self.running)
        self.ws.append(client)
        assert (await client.hello(nick, age=age))["type"] == "welcome"
        return client

    async def irc_client(self, nick: str) -> IrcClient:
        client = await IrcClient.connect(self.port, nick, realname="30 f 75011")
        self.irc.append(client)
        return client


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    running, server, task = await start_irc_server(tmp_path)
    here = World(running, irc_port(server), tmp_path)
    yield here
    for irc in here.irc:
        irc.close()
    for ws in here.ws:
        await ws.close()
    await stop_server(server, task)


def causerie(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "causerie", "--data-dir", str(data_dir), "rooms", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=TIMEOUT_S * 6,
        check=False,
    )


async def test_a_new_room_reaches_adults_at_once_and_never_teens(world: World) -> None:
    alice, nina = await world.web("Alice"), await world.web("Nina", age=15)
    spec = RoomSpec("jardinage", "Jardinage", "thematic", "adult", "Potagers", member_limit=1)
    await world.running.node.rooms.add(spec, "admin")

    updated = await alice.expect_type("room_updated")
    assert updated["room"]["id"] == "jardinage" and updated["room"]["member_limit"] == 1
    assert (await alice.join("jardinage"))["type"] == "joined"
    refused = await nina.join("jardinage")
    assert (refused["type"], refused["code"]) == ("error", "not_found")
    assert not [f for f in nina.inbox if f["type"] == "room_updated"]

    bob = await world.web("Bob")
    full = await bob.join("jardinage")
    assert (full["type"], full["code"], full["field"]) == ("error", "room_full", "room")
    assert "complet" in full["message"]


async def test_a_topic_change_reaches_web_and_irc_members(world: World) -> None:
    bob = await world.web("Bob")
    await bob.join("general")
    alice = await world.irc_client("Alice")
    alice.send("JOIN #general")
    await alice.expect("join")

    await world.running.node.rooms.edit("general", {"topic": "Ce soir : cinéma"}, "admin")

    updated = await bob.expect_type("room_updated")
    assert updated["room"]["topic"] == "Ce soir : cinéma" and updated["room"]["name"] == "Général"
    topic = await alice.expect("topic")
    assert topic.target == "#general" and topic.arguments == ["Général — Ce soir : cinéma"]
    alice.send("LIST #general")
    listed = await alice.expect("list")
    assert "Ce soir : cinéma" in listed.arguments[-1]


async def test_archiving_takes_members_out_and_joins_find_no_room(world: World) -> None:
    bob, carol = await world.web("Bob"), await world.web("Carole")
    await bob.join("musique")
    alice = await world.irc_client("Alice")
    alice.send("JOIN #musique")
    await alice.expect("join")
    await bob.say("musique", "un dernier morceau")

    await world.running.node.rooms.archive("musique", "admin", "peu fréquenté")

    archived = await bob.expect_type("room_archived", room="musique")
    assert archived["name"] == "Musique"
    await carol.expect_type("room_archived", room="musique")  # gone from her list too
    notice = await alice.expect("pubnotice")
    assert notice.target == "#musique" and "Musique" in notice.arguments[0]
    part = await alice.expect("part")
    assert part.target == "#musique" and part.source.nick == "Alice"

    again = await bob.join("musique")
    assert (again["type"], again["code"]) == ("error", "not_found")
    alice.send("JOIN #musique")
    assert (await alice.expect("nosuchchannel")).arguments[0] == "#musique"
    rooms = await carol.request("rooms")
    assert "musique" not in {room["id"] for room in rooms["rooms"]}
    # Its messages stay under the retention and evidence rules.
    kept, _more = await world.running.node.store.history("musique", None, 10)
    assert [m.text for m in kept] == ["un dernier morceau"]
    actions = [row["action"] for row in await world.running.node.store.audit_rows()]
    assert "room_archived" in actions


async def test_a_slow_mode_set_by_the_operator_holds_and_is_told(world: World) -> None:
    bob = await world.web("Bob")
    await bob.join("sport")
    await world.running.node.rooms.edit("sport", {"slow_mode_s": 60}, "admin")
    state = await bob.expect_type("room_state", room="sport")
    assert state["slow_mode_s"] == 60
    await bob.say("sport", "premier")
    refused = await bob.request_outcome("say", room="sport", text="second")
    assert (refused["type"], refused["code"]) == ("error", "rate_limited")


async def test_the_cli_beside_a_single_node_is_followed_within_seconds(world: World) -> None:
    bob = await world.web("Bob")
    await bob.join("cuisine")
    added = await asyncio.to_thread(
        causerie,
        world.data_dir,
        "add",
        "patisserie",
        "--name",
        "Pâtisserie",
        "--kind",
        "thematic",
        "--audience",
        "adult",
    )
    assert added.returncode == 0, added.stderr
    archived = await asyncio.to_thread(
        causerie, world.data_dir, "archive", "cuisine", "--reason", "fusion"
    )
    assert archived.returncode == 0, archived.stderr
    async with asyncio.timeout(TIMEOUT_S * 3):  # the node watches the store every 2 s
        new = await bob.expect_type("room_updated")
        gone = await bob.expect_type("room_archived")
    assert (new["room"]["id"], gone["room"]) == ("patisserie", "cuisine")
    assert (await bob.join("patisserie"))["type"] == "joined"


async def test_games_set_by_the_cli_beside_a_node_reach_its_room_objects(world: World) -> None:
    bob = await world.web("Bob")
    chosen = await asyncio.to_thread(
        causerie, world.data_dir, "games", "cuisine", "devine", "--actor", "margaux"
    )
    assert chosen.returncode == 0, chosen.stderr
    async with asyncio.timeout(TIMEOUT_S * 3):  # the node watches the store every 2 s
        updated = await bob.expect_type("room_updated")
    assert (updated["room"]["id"], updated["room"]["games"]) == ("cuisine", ["devine"])
    shown = await asyncio.to_thread(causerie, world.data_dir, "games", "cuisine")
    assert shown.stdout.strip() == "games in cuisine: devine"
    [entry] = [
        r for r in await world.running.node.store.audit_rows() if r["action"] == "room_games"
    ]
    assert (entry["actor"], entry["target"]) == ("margaux", "room:cuisine")


async def test_the_cli_refuses_bad_rooms_readably_and_audits_changes(tmp_path: Path) -> None:
    bad = causerie(
        tmp_path, "add", "Bad Id", "--name", "X", "--kind", "thematic", "--audience", "adult"
    )
    teen = causerie(
        tmp_path, "add", "ados-x", "--name", "Ados X", "--kind", "teen", "--audience", "adult"
    )
    staff = causerie(
        tmp_path,
        "add",
        "modos",
        "--name",
        "Modération",
        "--kind",
        "thematic",
        "--audience",
        "adult",
    )
    edited = causerie(tmp_path, "edit", "general", "--member-limit", "50", "--reason", "trop")
    crossing = causerie(tmp_path, "edit", "general", "--audience", "teen", "--kind", "teen")
    games = causerie(tmp_path, "games", "general", "quiz", "pendu", "--reason", "soirée jeux")
    unknown_game = causerie(tmp_path, "games", "general", "quiz", "belote")
    listed = causerie(tmp_path, "list")
    for refused, words in (
        (bad, "(id)"),
        (teen, "(audience)"),
        (staff, "(name)"),
        (crossing, "(audience)"),
        (unknown_game, "belote. Possible games: "),
    ):
        assert refused.returncode == 2 and words in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
    assert edited.returncode == 0, edited.stderr
    assert games.returncode == 0 and "games in general: pendu, quiz" in games.stdout, games.stderr
    general = next(line for line in listed.stdout.splitlines() if line.startswith("general "))
    assert "limit=50" in general
    store = build_store(load_settings({}, {"data_dir": tmp_path}))
    try:
        [entry] = [row for row in await store.audit_rows() if row["action"] == "room_edited"]
        [games_entry] = [r for r in await store.audit_rows() if r["action"] == "room_games"]
        assert await store.room_games("general") == ("pendu", "quiz")  # not the refused set
    finally:
        await store.close()
    assert (games_entry["actor"], games_entry["actor_kind"], games_entry["reason"]) == (
        "operator",
        "human",
        "soirée jeux",
    )
    assert json.loads(games_entry["details"]) == {"games": [[], ["pendu", "quiz"]]}
    assert (entry["actor"], entry["target"], entry["reason"]) == (
        "operator",
        "room:general",
        "trop",
    )
    assert '"member_limit":[0,50]' in entry["details"]


async def _admin_token(http: httpx.AsyncClient, running: RunningServer) -> dict[str, str]:
    store = running.node.store
    for name, role in (("admin1", StaffRole.ADMIN), ("modo1", StaffRole.MODERATOR)):
        await store.add_staff(StaffAccount(name, role, hash_password("Mot-de-passe-42")), 0)
    login = await http.post(
        "/api/admin/login", json={"name": "admin1", "password": "Mot-de-passe-42"}
    )
    assert login.status_code == 200
    return {"authorization": f"Bearer {login.json()['token']}"}


async def test_the_admin_api_adds_edits_and_archives_rooms_for_admins_only(world: World) -> None:
    running = world.running
    bob = await world.web("Bob")
    async with httpx.AsyncClient(base_url=running.url) as http:
        assert (await http.get("/api/admin/rooms")).status_code == 403
        bearer = await _admin_token(http, running)
        moderator = await http.post(
            "/api/admin/login", json={"name": "modo1", "password": "Mot-de-passe-42"}
        )
        assert moderator.status_code == 403  # the page is for admins, never a moderator

        listed = await http.get("/api/admin/rooms", headers=bearer)
        assert "general" in {room["id"] for room in listed.json()["rooms"]}

        body = {
            "id": "jeux-de-societe",
            "name": "Jeux de société",
            "kind": "thematic",
            "audience": "adult",
            "topic": "Échecs, tarot, belote",
            "member_limit": 30,
        }
        added = await http.post("/api/admin/rooms", json=body, headers=bearer)
        assert added.status_code == 201, added.text
        assert added.json()["room"]["member_limit"] == 30
        assert (await bob.expect_type("room_updated"))["room"]["id"] == "jeux-de-societe"

        again = await http.post("/api/admin/rooms", json=body, headers=bearer)
        assert again.status_code == 400
        assert (again.json()["error"], again.json()["field"]) == ("invalid", "id")
        impostor = await http.post(
            "/api/admin/rooms?lang=en",
            json={**body, "id": "equipe", "name": "L'équipe de modération"},
            headers=bearer,
        )
        assert impostor.status_code == 400 and impostor.json()["field"] == "name"
        assert "imitates" in impostor.json()["message"]
        wrong_type = await http.post(
            "/api/admin/rooms", json={**body, "member_limit": "30"}, headers=bearer
        )
        assert wrong_type.status_code == 400 and wrong_type.json()["field"] == "member_limit"

        edited = await http.patch(
            "/api/admin/rooms/jeux-de-societe",
            json={"topic": "Échecs et tarot", "pictures": False, "reason": "demande"},
            headers=bearer,
        )
        assert edited.status_code == 200 and edited.json()["room"]["pictures"] is False
        changed = await bob.expect_type("room_updated")
        assert changed["room"]["topic"] == "Échecs et tarot"
        renamed_id = await http.patch(
            "/api/admin/rooms/jeux-de-societe", json={"id": "autre"}, headers=bearer
        )
        assert renamed_id.status_code == 400 and renamed_id.json()["field"] == "id"
        missing = await http.patch("/api/admin/rooms/nulle-part", json={}, headers=bearer)
        assert missing.status_code == 404 and missing.json()["error"] == "not_found"

        no_reason = await http.post(
            "/api/admin/rooms/jeux-de-societe/archive", json={}, headers=bearer
        )
        assert no_reason.status_code == 400
        archived = await http.post(
            "/api/admin/rooms/jeux-de-societe/archive", json={"reason": "doublon"}, headers=bearer
        )
        assert archived.status_code == 200
        assert (await bob.expect_type("room_archived"))["room"] == "jeux-de-societe"
        listed = await http.get("/api/admin/rooms?archived=1", headers=bearer)
        [room] = [r for r in listed.json()["rooms"] if r["id"] == "jeux-de-societe"]
        assert room["archived_at_ms"] is not None
    entries = [
        r for r in await running.node.store.audit_rows() if r["target"] == "room:jeux-de-societe"
    ]
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("room_added", "admin1"),
        ("room_edited", "admin1"),
        ("room_archived", "admin1"),
    ]
    assert entries[2]["reason"] == "doublon"
