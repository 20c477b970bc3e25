"""Look-alike nicknames over the real protocols (issue 17, finding 9): with `Ninateen` online,
`Nіnateen` (Cyrillic і) and other UTS #39 look-alikes are taken, over the WebSocket (`hello`)
and over IRC (`NICK`), and both doors go through the same check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.chat import Client, RunningServer, stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server

pytestmark = pytest.mark.integration


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[RunningServer, int, list[object]]]:
    running, server, task = await start_irc_server(tmp_path)
    opened: list[object] = []
    yield running, irc_port(server), opened
    for client in opened:
        if isinstance(client, IrcClient):
            client.close()
        elif isinstance(client, Client):
            await client.close()
    await stop_server(server, task)


async def _web(running: RunningServer, opened: list[object]) -> Client:
    client = await Client.connect(running)
    opened.append(client)
    return client


@pytest.mark.parametrize(
    "look_alike", ["Nіnateen", "ΝΙΝΑΤΕΕΝ", "Ｎｉｎａｔｅｅｎ", "Nlnateen", "Nínatéén"]
)
async def test_ws_hello_look_alike_of_online_nick_gets_nick_taken(
    world: tuple[RunningServer, int, list[object]], look_alike: str
) -> None:
    running, _port, opened = world
    ninateen = await _web(running, opened)
    assert (await ninateen.hello("Ninateen", age=14, postcode="63000"))["type"] == "welcome"

    imitator = await _web(running, opened)
    error = await imitator.hello(look_alike, age=15, postcode="69001")

    assert (error["type"], error["code"], error["field"]) == ("error", "nick_taken", "nick")
    assert error["message"]
    # The same connection may choose another nickname; the original is untouched.
    assert (await imitator.hello("Lea2010", age=15, postcode="69001"))["type"] == "welcome"
    assert (await ninateen.request("ping"))["type"] == "pong"


async def test_ws_hello_invisible_character_refused_invalid(
    world: tuple[RunningServer, int, list[object]],
) -> None:
    running, _port, opened = world
    await (await _web(running, opened)).hello("Ninateen", age=14, postcode="63000")

    error = await (await _web(running, opened)).hello("Nina\u200bteen", age=15)

    assert (error["code"], error["field"]) == ("invalid", "nick")


async def test_irc_nick_look_alike_of_web_nick_gets_433_then_may_pick_another(
    world: tuple[RunningServer, int, list[object]],
) -> None:
    running, port, opened = world
    ninateen = await _web(running, opened)
    assert (await ninateen.hello("Ninateen", age=14, postcode="63000"))["type"] == "welcome"

    imitator = await IrcClient.connect(port, "Nіnateen", "14 f 63000", wait_welcome=False)
    opened.append(imitator)
    taken = await imitator.expect("nicknameinuse")
    assert "Nіnateen" in taken.arguments

    imitator.send("NICK Lea2010")
    await imitator.expect("welcome")


async def test_ws_hello_look_alike_of_irc_nick_gets_nick_taken(
    world: tuple[RunningServer, int, list[object]],
) -> None:
    running, port, opened = world
    opened.append(await IrcClient.connect(port, "Sophie", "30 f 75011"))

    error = await (await _web(running, opened)).hello("S0PHIE", age=30)

    assert (error["code"], error["field"]) == ("nick_taken", "nick")
