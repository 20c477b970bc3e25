"""Disguised contact details between minors over the real protocols (issue 17, finding 12): the
issue's examples are held in a teen room and in a private message between minors, over the
WebSocket and over IRC, and never reach the other teen; ordinary lines from the false-positive
corpus go through."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.chat import Client, RunningServer, stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server

pytestmark = pytest.mark.integration
ROOM = "ados-general"
ISSUE_EXAMPLES = [
    "evil[.]example",
    "e v i l . c o m",
    "s n a p : l e a 2 0 1 0",
    "sixdouzetrentequatre",
]
ORDINARY = [
    "t r o p  b i e n",
    "c'est un point de vue",
    "on a gagné 3-2",
    "le film commence à 18h30",
    "j'ai 14 ans et toi ?",
    "a b c",
    "mdrrr xD",
]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[RunningServer, int, list[Any]]]:
    running, server, task = await start_irc_server(tmp_path, rate_limits=False)
    opened: list[Any] = []
    yield running, irc_port(server), opened
    for client in opened:
        if isinstance(client, IrcClient):
            client.close()
        else:
            await client.close()
    await stop_server(server, task)


async def _teen(running: RunningServer, opened: list[Any], nick: str, age: int) -> Client:
    client = await Client.connect(running)
    opened.append(client)
    assert (await client.hello(nick, age=age, postcode="63000"))["type"] == "welcome"
    await client.join(ROOM)
    return client


async def _request(client: Client, frame: dict[str, Any]) -> dict[str, Any]:
    request_id = f"r-{time.monotonic_ns()}"
    await client.send({**frame, "id": request_id})
    return await client.expect(lambda f: f.get("re") == request_id and f["type"] != "dm")


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
async def test_ws_issue_example_held_in_a_teen_room_and_between_minors(
    world: tuple[RunningServer, int, list[Any]], text: str
) -> None:
    running, _port, opened = world
    lea = await _teen(running, opened, "Lea", 14)
    zoe = await _teen(running, opened, "Zoe", 15)

    in_room = await _request(lea, {"type": "say", "room": ROOM, "text": text})
    in_dm = await _request(lea, {"type": "dm", "to": "Zoe", "text": text})

    assert (in_room["type"], in_room["code"]) == ("error", "held_for_review")
    assert (in_dm["type"], in_dm["code"]) == ("error", "held_for_review")
    await asyncio.sleep(0.2)
    await _request(zoe, {"type": "ping"})
    assert not [f for f in zoe.inbox if f.get("text") == text]


async def test_ws_ordinary_lines_delivered_between_minors(
    world: tuple[RunningServer, int, list[Any]],
) -> None:
    running, _port, opened = world
    lea = await _teen(running, opened, "Lea", 14)
    zoe = await _teen(running, opened, "Zoe", 15)

    for text in ORDINARY:
        message, ack = await lea.say(ROOM, text)
        assert ack["type"] == "ack" and message["text"] == text
        assert (await zoe.expect_type("message", id=ack["message_id"]))["text"] == text


async def test_irc_disguised_handle_held_in_a_teen_channel(
    world: tuple[RunningServer, int, list[Any]],
) -> None:
    running, port, opened = world
    zoe = await _teen(running, opened, "Zoe", 15)
    lea = await IrcClient.connect(port, "Lea", "14 f 63000")
    opened.append(lea)
    lea.send(f"JOIN #{ROOM}")
    await lea.expect("endofnames")

    lea.send(f"PRIVMSG #{ROOM} :s n a p : l e a 2 0 1 0")
    lea.send(f"PRIVMSG #{ROOM} :t r o p  b i e n")

    notice = await lea.expect("privnotice")
    assert notice.arguments and notice.arguments[0]
    delivered = await zoe.expect_type("message")
    assert delivered["text"] == "t r o p  b i e n"
    assert not [f for f in zoe.inbox if "l e a" in f.get("text", "")]
