"""Joins, parts and logins over IRC are limited like over the WebSocket (the same buckets):
a refused JOIN answers 437 ERR_UNAVAILRESOURCE for its channel, a refused PART 263
RPL_TRYAGAIN, each saying when to try again; the connection stays. A login past the address's
limit (shared with the web) is told why, then closed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.chat import Client, RunningServer, stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server

pytestmark = pytest.mark.integration


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[RunningServer, int]]:
    # Nothing refills during the test: what is let through is the burst, exactly.
    running, server, task = await start_irc_server(tmp_path, join_part_per_s=0.001)
    yield running, irc_port(server)
    await stop_server(server, task)


async def _alive(client: IrcClient) -> None:
    client.send("PING :encore")
    await client.expect("pong")


async def test_irc_join_flood_gets_437_then_part_gets_263(world: tuple[RunningServer, int]) -> None:
    running, port = world
    observer = await Client.connect(running)
    await observer.hello("Temoin")
    await observer.join("general")
    client = await IrcClient.connect(port, "Yoyo")
    client.send("JOIN #general")
    await client.expect("join")

    # 40 more joins in one line: 29 tokens are left of the burst of 30.
    client.send("JOIN " + ",".join(f"#x{index}" for index in range(40)))
    refused = [await client.expect("unavailresource") for _ in range(11)]
    missing = [await client.expect("nosuchchannel") for _ in range(29)]

    assert {event.arguments[0] for event in refused} <= {f"#x{i}" for i in range(40)}
    assert all("réessaie dans" in event.arguments[1] for event in refused)
    assert len({event.arguments[0] for event in missing}) == 29
    client.send("PART #general :au revoir")
    tried = await client.expect("tryagain")
    assert tried.arguments[0] == "PART" and "trop vite" in tried.arguments[1]
    await _alive(client)
    assert not [e for e in client.events if e.type in ("part", "unavailresource", "nosuchchannel")]

    await observer.send({"type": "ping", "id": "last"})
    await observer.expect(lambda f: f.get("re") == "last")
    presence: list[dict[str, Any]] = [
        f for f in observer.inbox if f["type"] == "presence" and f["user"]["nick"] == "Yoyo"
    ]
    assert [f["state"] for f in presence] == ["joined"]  # still there: the PART was refused
    client.close()
    await observer.close()


async def test_irc_join_part_yoyo_bounded_and_connection_kept(
    world: tuple[RunningServer, int],
) -> None:
    running, port = world
    observer = await Client.connect(running)
    await observer.hello("Temoin")
    await observer.join("general")
    client = await IrcClient.connect(port, "Yoyo")

    for _ in range(50):
        client.send("JOIN #general")
        client.send("PART #general")
    await _alive(client)  # answered after every line before it

    await observer.send({"type": "ping", "id": "last"})
    await observer.expect(lambda f: f.get("re") == "last")
    presence = [
        f for f in observer.inbox if f["type"] == "presence" and f["user"]["nick"] == "Yoyo"
    ]
    assert len(presence) == 30  # the burst, then nothing (no refill in this test)
    assert [e.type for e in client.events].count("unavailresource") >= 1
    client.close()
    await observer.close()


async def test_irc_logins_share_the_addresss_hello_limit_with_the_web(tmp_path: Path) -> None:
    running, server, task = await start_irc_server(tmp_path, hellos_per_minute_per_address=2)
    try:
        web = await Client.connect(running)
        assert (await web.hello("Navigatrice"))["type"] == "welcome"
        first = await IrcClient.connect(irc_port(server), "Premier")  # the address's second

        late = await IrcClient.connect(irc_port(server), "Retard", wait_welcome=False)
        notice = await late.expect_text("privnotice", "réessaie dans")
        closing = await late.expect("error")

        assert "Trop de connexions" in notice.arguments[0]
        assert "Too many logins from your address" in closing.target
        assert not [e for e in late.events if e.type == "welcome"]
        first.close()
        await web.close()
    finally:
        await stop_server(server, task)
