"""Duels in a private conversation (docs/games.md): `!morpion` invites the other, `!oui`
starts it, moves are the players' messages, the board reaches both as notices; an adult can
never invite a minor (the invitation is a private message they may not send)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from causerie.core.policy.nicknames import nick_key
from causerie.node.games.duels import duel_place
from tests.support.chat import Client, RunningServer, start_server, stop_server


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[RunningServer]:
    server, process, task = await start_server(tmp_path, trust_messages=0, trust_span_s=0)
    yield server
    await stop_server(process, task)


async def _person(running: RunningServer, nick: str, age: int = 30) -> Client:
    client = await Client.connect(running)
    assert (await client.hello(nick, age=age))["type"] == "welcome"
    return client


async def _dm(client: Client, to: str, text: str) -> dict[str, Any]:
    return await client.request_outcome("dm", to=to, text=text)


def _notice(text: str) -> Any:
    return lambda f: f.get("kind") == "info" and text in f.get("text", "")


async def test_duel_invited_accepted_and_played_in_a_private_conversation(
    running: RunningServer,
) -> None:
    alice, bruno = await _person(running, "Alice"), await _person(running, "Bruno")
    assert (await _dm(alice, "Bruno", "salut, un morpion ?"))["type"] == "ack"
    assert (await bruno.request("accept", nick="Alice"))["type"] == "accepted"
    assert (await _dm(alice, "Bruno", "!morpion"))["type"] == "ack"
    await alice.expect(_notice("Bruno répond !oui ou !non"), type_="notice")
    assert (await _dm(bruno, "Alice", "!oui"))["type"] == "ack"
    opening = await alice.expect(_notice("(X) contre"), type_="notice")
    assert (await bruno.expect(_notice("(X) contre"), type_="notice"))["text"] == opening["text"]
    first = opening["text"].split(" : ", 1)[1].split(" (X)")[0]  # who plays first, drawn
    # The web draws the board from `game` and shows it in the conversation with `about`.
    assert (opening["key"], opening["about"], opening["game"]["name"]) == (
        "game",
        "Bruno",
        "morpion",
    )
    assert opening["game"]["view"]["players"] == [first, "Bruno" if first == "Alice" else "Alice"]
    people = {"Alice": (alice, "Bruno"), "Bruno": (bruno, "Alice")}
    x, o = people[first], people["Bruno" if first == "Alice" else "Alice"]
    # X: 5, 3, 7 (a diagonal); O: 1, 2.
    for (mover, other), cell in [(x, "5"), (o, "1"), (x, "3"), (o, "2")]:
        assert (await _dm(mover, other, cell))["type"] == "ack"
        await mover.expect(_notice("À toi"), type_="notice")
    assert (await _dm(x[0], x[1], "7"))["type"] == "ack"
    for player in (alice, bruno):
        await player.expect(_notice(f"{first} gagne !"), type_="notice")
    scores = running.node.store
    place = duel_place("Alice", "Bruno")
    points = await scores.score_of(place, nick_key(first), 0)  # type: ignore[attr-defined]
    assert points > 0


async def test_duel_adult_cannot_invite_a_minor(running: RunningServer) -> None:
    adult, minor = await _person(running, "Adulte", 35), await _person(running, "Ado", 15)
    refused = await _dm(adult, "Ado", "!morpion")
    assert (refused["type"], refused["code"]) == ("error", "not_found")
    await minor.send({"type": "ping", "id": "p"})
    assert (await minor.expect(lambda f: f.get("re") == "p"))["type"] == "pong"
    await adult.send({"type": "ping", "id": "p"})
    assert (await adult.expect(lambda f: f.get("re") == "p"))["type"] == "pong"
    assert not [f for f in minor.inbox if f["type"] in ("notice", "dm", "dm_request")]
    assert not [f for f in adult.inbox if f["type"] == "notice"]
