"""Leaving words over real IRC (the `irc` library from PyPI, over TCP): `PART #room :text` and
`QUIT :text` reach the room when automatic moderation lets a message of the same text through,
and the leaving alone when it does not; a web member reads the same (core/hub/farewells.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.irc import Doors, IrcClient, serve_doors

pytestmark = pytest.mark.integration


World = Doors


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with serve_doors(tmp_path, "30 h 69001", trust_messages=0, trust_span_s=0) as doors:
        yield doors


async def _join(client: IrcClient, channel: str) -> None:
    client.send(f"JOIN {channel}")
    await client.expect("endofnames", lambda e: e.arguments[0] == channel)


async def test_part_words_reach_the_room_when_they_pass_and_not_when_they_would_be_flagged(
    world: World,
) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    web = await world.web("Chloe")
    await _join(alice, "#general")
    await _join(bruno, "#general")
    await web.request("join", room="general")

    alice.send("PART #general :bye everyone")
    own = await alice.expect("part")
    seen = await bruno.expect("part", lambda e: e.source.nick == "Alice")
    presence = await web.expect(
        lambda f: f["user"]["nick"] == "Alice" and f["state"] == "left", type_="presence"
    )
    assert own.arguments == seen.arguments == ["bye everyone"]
    assert (presence["state"], presence["reason"]) == ("left", "bye everyone")

    await _join(alice, "#general")
    alice.send("PART #general :salut connard")
    own = await alice.expect("part")
    seen = await bruno.expect("part", lambda e: e.source.nick == "Alice")
    assert own.arguments == seen.arguments == []  # the part, without the words
    presence = await web.expect(
        lambda f: f["user"]["nick"] == "Alice" and f["state"] == "left", type_="presence"
    )
    assert "reason" not in presence


async def test_quit_is_told_as_a_quit_with_the_words_that_pass(world: World) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    chloe = await world.irc_client("Chloe")
    for client in (alice, bruno, chloe):
        await _join(client, "#general")

    alice.send("QUIT :qux out")
    quit_ = await bruno.expect("quit", lambda e: e.source.nick == "Alice")
    assert quit_.arguments == ["Quit: qux out"]

    chloe.send("QUIT :connard")
    quit_ = await bruno.expect("quit", lambda e: e.source.nick == "Chloe")
    assert quit_.arguments == ["Quit"]
