"""Coming back after a loss, over a real socket (docs/protocol.md, "Coming back"): the resume
secret (rotated, single use, bound to the device cookie, expiring), a session that waits for
its person through the grace (nickname, rooms, conversations), private messages missed while
away delivered on resume, and a newcomer under a former nickname inheriting nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration
Start = Callable[..., Awaitable[RunningServer]]


@pytest.fixture
async def start(tmp_path: Path) -> AsyncIterator[Start]:
    stops: list[tuple[Any, Any]] = []

    async def run(**overrides: Any) -> RunningServer:
        running, uv, task = await start_server(tmp_path / str(len(stops)), **overrides)
        stops.append((uv, task))
        return running

    yield run
    for uv, task in stops:
        await stop_server(uv, task)


class Person:
    """One browser: a device cookie, and what its last `welcome` gave."""

    def __init__(self, server: RunningServer, nick: str, device: str) -> None:
        self.server = server
        self.nick = nick
        self.device = device
        self.client: Client | None = None
        self.welcome: dict[str, Any] = {}

    @property
    def live(self) -> Client:
        assert self.client is not None
        return self.client

    async def join(self) -> dict[str, Any]:
        self.client = await Client.connect(self.server, device=self.device)
        self.welcome = await self.client.hello(self.nick)
        assert self.welcome["type"] == "welcome", self.welcome
        return self.welcome

    def resume_fields(self, **extra: Any) -> dict[str, Any]:
        return {
            "session": self.welcome["session"],
            "resume_token": self.welcome["resume_token"],
            **extra,
        }

    async def come_back(self, **extra: Any) -> dict[str, Any]:
        """A new connection from the same device, resuming with the secret it holds."""
        self.client = await Client.connect(self.server, device=self.device)
        reply = await self.client.hello(self.nick, resume=self.resume_fields(**extra))
        if reply["type"] == "welcome":
            self.welcome = reply
        return reply

    def drop(self) -> None:
        """The network goes: no close frame."""
        self.live.ws.transport.abort()


async def _talking(server: RunningServer) -> tuple[Person, Person]:
    """Alice and Bruno in `general`, each having written to the other (both accepted)."""
    alice = Person(server, "Alice", "alice-device-0001")
    bruno = Person(server, "Bruno", "bruno-device-0001")
    await alice.join()
    await bruno.join()
    for person in (alice, bruno):
        assert (await person.live.join("general"))["type"] == "joined"
    first = await alice.live.request_outcome("dm", to="Bruno", text="salut")
    assert first["type"] == "ack", first
    await bruno.live.expect_type("dm_request", id=first["message_id"])
    reply = await bruno.live.request_outcome("dm", to="Alice", text="salut toi")
    assert reply["type"] == "ack", reply
    await alice.live.expect_type("dm", id=reply["message_id"])
    return alice, bruno


async def _eventually_free(server: RunningServer, nick: str) -> dict[str, Any]:
    async with asyncio.timeout(TIMEOUT_S * 2):
        while True:
            other = await Client.connect(server, device="someone-else-01")
            reply = await other.hello(nick)
            if reply["type"] == "welcome":
                return reply
            assert reply["code"] == "nick_taken", reply
            await other.close()
            await asyncio.sleep(0.1)


# -- the secret --------------------------------------------------------------------------------


async def test_welcome_gives_a_new_secret_each_time(start: Start) -> None:
    server = await start()
    alice = Person(server, "Alice", "alice-device-0001")
    first = await alice.join()
    alice.drop()
    second = await alice.come_back()

    assert second["type"] == "welcome", second
    assert first["resume_token"] and second["resume_token"]
    assert first["resume_token"] != second["resume_token"]
    assert first["resume_token"] not in (first["session"], first["token"])


async def test_secret_from_another_device_is_refused_and_the_live_session_stays(
    start: Start,
) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    thief = await Client.connect(server, device="thief-device-001")

    refused = await thief.hello("Alice", resume=alice.resume_fields(rooms=["general"]))
    message, _ack = await bruno.live.say("general", "toujours là ?")

    assert (refused["type"], refused["code"], refused["field"]) == (
        "error",
        "resume_refused",
        "resume",
    )
    assert (await alice.live.expect_type("message", id=message["id"]))["text"] == "toujours là ?"
    assert (await alice.live.request("rooms"))["type"] == "rooms", "still connected"


async def test_spent_secret_is_refused_even_from_the_same_device(start: Start) -> None:
    server = await start()
    alice = Person(server, "Alice", "alice-device-0001")
    await alice.join()
    old = alice.resume_fields()
    alice.drop()
    assert (await alice.come_back())["type"] == "welcome"

    again = await Client.connect(server, device=alice.device)
    reused = await again.hello("Alice", resume=old)

    assert reused["code"] == "resume_refused"
    assert (await alice.live.request("rooms"))["type"] == "rooms", "the live session stays"


async def test_wrong_secret_is_refused(start: Start) -> None:
    server = await start()
    alice = Person(server, "Alice", "alice-device-0001")
    await alice.join()
    alice.drop()

    client = await Client.connect(server, device=alice.device)
    forged = {"session": alice.welcome["session"], "resume_token": "x" * 32}
    refused = await client.hello("Alice", resume=forged)

    assert refused["code"] == "resume_refused"
    assert (await alice.come_back())["type"] == "welcome", "the right secret still works"


async def test_session_alone_does_not_take_over_a_live_session(start: Start) -> None:
    server = await start()
    alice = Person(server, "Alice", "alice-device-0001")
    await alice.join()
    stranger = await Client.connect(server, device="thief-device-001")

    reply = await stranger.hello("Alice", resume={"session": alice.welcome["session"]})

    assert reply["code"] == "nick_taken"
    assert (await alice.live.request("rooms"))["type"] == "rooms"


async def test_session_alone_resumes_a_session_away_from_the_same_device(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    alice.drop()
    await _until_away(server, alice.welcome["session"])

    old_client = await Client.connect(server, device=alice.device)
    legacy = {"session": alice.welcome["session"], "rooms": ["general"]}
    welcome = await old_client.hello("Alice", resume=legacy)
    sent = await bruno.live.request_outcome("dm", to="Alice", text="re")

    assert welcome["type"] == "welcome", welcome
    assert (await old_client.expect_type("dm", id=sent["message_id"]))["text"] == "re"


# -- the grace -------------------------------------------------------------------------------


async def _until_away(server: RunningServer, session: str) -> None:
    async with asyncio.timeout(TIMEOUT_S):
        while session not in server.node.table.away:  # noqa: ASYNC110 (the node's own state)
            await asyncio.sleep(0.01)


async def test_nickname_is_kept_through_the_grace_and_free_after(start: Start) -> None:
    server = await start(resume_grace_s=1.5)
    alice, bruno = await _talking(server)
    alice.drop()
    await _until_away(server, alice.welcome["session"])

    taker = await Client.connect(server, device="someone-else-01")
    during = await taker.hello("Alice")
    members = (await bruno.live.join("general"))["members"]
    left = await bruno.live.expect(
        lambda f: f["user"]["nick"] == "Alice" and f["state"] == "left", type_="presence"
    )
    after = await _eventually_free(server, "Alice")

    assert during["code"] == "nick_taken", "reserved for its person during the grace"
    assert "Alice" in [m["nick"] for m in members], "still shown present during the grace"
    assert left["room"] == "general"
    assert after["type"] == "welcome"


async def test_expired_secret_is_refused(start: Start) -> None:
    server = await start(resume_grace_s=0.5)
    alice = Person(server, "Alice", "alice-device-0001")
    await alice.join()
    alice.drop()
    await _until_away(server, alice.welcome["session"])
    async with asyncio.timeout(TIMEOUT_S):
        while alice.welcome["session"] in server.node.table.away:  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    assert (await alice.come_back())["code"] == "resume_refused"


async def test_quit_ends_the_session_at_once(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    await alice.live.close()  # "Quitter": a close frame 1000

    left = await bruno.live.expect(
        lambda f: f["user"]["nick"] == "Alice" and f["state"] == "left", type_="presence"
    )
    again = await alice.come_back()

    assert left["room"] == "general"
    assert again["code"] == "resume_refused"


async def test_resume_within_the_grace_keeps_rooms_and_shows_no_departure(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    last_id = (await bruno.live.say("general", "avant"))[0]["id"]
    alice.drop()
    await _until_away(server, alice.welcome["session"])
    missed, _ack = await bruno.live.say("general", "pendant")

    welcome = await alice.come_back(last_id=last_id)
    rejoined = await alice.live.expect_type("joined")
    after, _ack = await bruno.live.say("general", "après")

    assert welcome["type"] == "welcome"
    assert [m["id"] for m in rejoined["history"]] == [missed["id"]]
    assert (await alice.live.expect_type("message", id=after["id"]))["text"] == "après"
    presences = [f for f in bruno.live.inbox if f["type"] == "presence"]
    assert not [p for p in presences if p["user"]["nick"] == "Alice"], presences


# -- private messages ------------------------------------------------------------------------


async def test_private_message_sent_while_away_arrives_on_resume_once(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    last_dm = (await alice.live.request_outcome("dm", to="Bruno", text="je file"))["message_id"]
    alice.drop()
    await _until_away(server, alice.welcome["session"])
    away = [
        await bruno.live.request_outcome("dm", to="Alice", text=f"tu es là ? {i}") for i in (1, 2)
    ]

    welcome = await alice.come_back(last_dm_id=last_dm)
    replayed = [await alice.live.expect_type("dm") for _ in away]
    later = await bruno.live.request_outcome("dm", to="Alice", text="te revoilà")
    live = await alice.live.expect_type("dm", id=later["message_id"])

    assert welcome["type"] == "welcome"
    assert all(sent["type"] == "ack" for sent in away), away
    assert [m["id"] for m in replayed] == [sent["message_id"] for sent in away]
    assert [m["text"] for m in replayed] == ["tu es là ? 1", "tu es là ? 2"]
    assert live["text"] == "te revoilà"
    assert not [f for f in alice.live.inbox if f["type"] in ("dm", "dm_request")], "no duplicate"


async def test_acceptance_survives_both_sides_reconnecting(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    alice.drop()
    bruno.drop()
    await _until_away(server, alice.welcome["session"])
    await _until_away(server, bruno.welcome["session"])

    assert (await alice.come_back())["type"] == "welcome"
    assert (await bruno.come_back())["type"] == "welcome"
    sent = await bruno.live.request_outcome("dm", to="Alice", text="toujours amis")
    received = await alice.live.expect(lambda f: f.get("id") == sent["message_id"])

    assert received["type"] == "dm", "accepted: not a request again"
    assert received["text"] == "toujours amis"


async def test_replay_leaves_out_people_one_blocks(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    carla = Person(server, "Carla", "carla-device-0001")
    await carla.join()
    assert (await alice.live.request("block", nick="Carla"))["type"] == "blocks"
    last_dm = (await alice.live.request_outcome("dm", to="Bruno", text="je file"))["message_id"]
    alice.drop()
    await _until_away(server, alice.welcome["session"])
    from_bruno = await bruno.live.request_outcome("dm", to="Alice", text="de Bruno")
    from_carla = await carla.live.request_outcome("dm", to="Alice", text="de Carla")

    await alice.come_back(last_dm_id=last_dm)
    replayed = await alice.live.expect_type("dm")
    await alice.live.request("rooms")  # everything the resume sent came before this answer

    assert from_carla["code"] == "dm_blocked"
    assert replayed["id"] == from_bruno["message_id"]
    assert not [f for f in alice.live.inbox if f.get("text") == "de Carla"]


# -- a newcomer under a former nickname -------------------------------------------------------


async def test_newcomer_with_a_former_nickname_inherits_no_conversation(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    await alice.live.close()  # Alice quits: she is gone for good
    await bruno.live.expect(
        lambda f: f["user"]["nick"] == "Alice" and f["state"] == "left", type_="presence"
    )
    newcomer = Person(server, "Alice", "another-device-01")
    newcomer.client = await Client.connect(server, device=newcomer.device)
    newcomer.welcome = await newcomer.client.hello("Alice")
    assert newcomer.welcome["type"] == "welcome", newcomer.welcome

    to_bruno = await newcomer.live.request_outcome("dm", to="Bruno", text="bonjour")
    at_bruno = await bruno.live.expect(lambda f: f.get("id") == to_bruno["message_id"])

    assert at_bruno["type"] == "dm_request", "a stranger again, not the Alice Bruno accepted"
    assert at_bruno["text"] == "bonjour"


async def test_newcomer_gets_none_of_the_former_owner_private_messages(start: Start) -> None:
    server = await start()
    alice, _bruno = await _talking(server)
    await alice.live.close()  # Alice quits
    newcomer = Person(server, "Alice", "another-device-01")
    async with asyncio.timeout(TIMEOUT_S):
        while True:
            client = await Client.connect(server, device=newcomer.device)
            reply = await client.hello("Alice")
            if reply["type"] == "welcome":
                break
            await asyncio.sleep(0.1)
    newcomer.client, newcomer.welcome = client, reply
    newcomer.drop()
    await _until_away(server, newcomer.welcome["session"])

    back = await newcomer.come_back(last_dm_id=0)
    await newcomer.live.request("rooms")

    assert back["type"] == "welcome"
    assert not [f for f in newcomer.live.inbox if f["type"] in ("dm", "dm_request")]


# -- a restart -------------------------------------------------------------------------------


async def test_restart_keeps_people_their_nickname_rooms_and_conversations(
    tmp_path: Path,
) -> None:
    server, uv, task = await start_server(tmp_path)
    try:
        alice, bruno = await _talking(server)
        last_dm = (await alice.live.request_outcome("dm", to="Bruno", text="à tout"))["message_id"]
        await bruno.live.expect_type("dm", id=last_dm)
    finally:
        await stop_server(uv, task)
    again, uv, task = await start_server(tmp_path)
    try:
        for person in (alice, bruno):
            person.server = again
        taker = await Client.connect(again, device="someone-else-01")
        taken = await taker.hello("Alice")
        back = await bruno.come_back(rooms=["general"])
        await bruno.live.expect_type("joined")
        sent = await bruno.live.request_outcome("dm", to="Alice", text="pendant ton absence")
        welcome = await alice.come_back(rooms=["general"], last_dm_id=last_dm)
        replayed = await alice.live.expect_type("dm")
        rejoined = await alice.live.expect_type("joined")

        assert taken["code"] == "nick_taken", "kept for Alice across the restart"
        assert back["type"] == "welcome" and welcome["type"] == "welcome", (back, welcome)
        assert sent["type"] == "ack", sent
        assert (replayed["id"], replayed["text"]) == (sent["message_id"], "pendant ton absence")
        assert rejoined["room"]["id"] == "general"
        assert "Bruno" in [m["nick"] for m in rejoined["members"]]
    finally:
        await stop_server(uv, task)


async def test_private_message_taken_back_while_away_is_not_replayed(start: Start) -> None:
    server = await start()
    alice, bruno = await _talking(server)
    last_dm = (await alice.live.request_outcome("dm", to="Bruno", text="je file"))["message_id"]
    alice.drop()
    await _until_away(server, alice.welcome["session"])
    oops = await bruno.live.request_outcome("dm", to="Alice", text="oups")
    kept = await bruno.live.request_outcome("dm", to="Alice", text="rien")
    await bruno.live.send({"type": "delete", "id": "del", "message_id": oops["message_id"]})
    deleted = await bruno.live.expect_type("deleted", message_id=oops["message_id"])

    await alice.come_back(last_dm_id=last_dm)
    replayed = await alice.live.expect_type("dm")
    await alice.live.request("rooms")

    assert deleted["type"] == "deleted", deleted
    assert replayed["id"] == kept["message_id"]
    assert not [f for f in alice.live.inbox if f.get("text") == "oups"]
