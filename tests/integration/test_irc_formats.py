"""Replies in the shape IRC clients parse (RFC 2812, Modern IRC, IRCv3), over TCP with the `irc`
library from PyPI: LUSERS with its counts, an empty USER refused, `userhost-in-names`, a
stranger's first private message as a plain PRIVMSG (the service's NOTICE after it), and
RPL_AWAY to the sender of a private message."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.irc import Doors, serve_doors

pytestmark = pytest.mark.integration


World = Doors


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with serve_doors(tmp_path) as doors:
        yield doors


async def test_lusers_counts_people_on_both_doors_and_connections_registering(
    world: World,
) -> None:
    alice = await world.irc_client("Alice")
    await world.irc_client("Bruno", realname="31 h 44000")
    await world.web("Chloe")
    registering = await asyncio.open_connection("127.0.0.1", world.port)
    registering[1].write(b"NICK Dana\r\n")
    await registering[1].drain()
    await asyncio.sleep(0.2)  # the listener has read Dana's NICK

    alice.send("LUSERS")
    client = await alice.expect("luserclient")
    unknown = await alice.expect("luserunknown")
    me = await alice.expect("luserme")

    assert re.fullmatch(r"There are 3 users and 0 services on 1 servers", client.arguments[0]), (
        client.arguments
    )
    assert unknown.arguments[0] == "1"
    assert me.arguments[0] == "I have 3 clients and 0 servers"
    assert (await alice.expect("n_local")).arguments[0] == "Current local users: 3"
    assert (await alice.expect("n_global")).arguments[0] == "Current global users: 3"
    registering[1].close()


async def test_user_with_an_empty_realname_is_461_and_registration_waits(world: World) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", world.port)
    writer.write(b"NICK Alice\r\nUSER alice * * :\r\n")
    first = await asyncio.wait_for(reader.readline(), 5)
    assert first.decode().split(" ")[1:4] == ["461", "Alice", "USER"]

    writer.write(b"USER alice * * :25 f 75011\r\n")
    welcome = await asyncio.wait_for(reader.readline(), 5)
    assert welcome.decode().split(" ")[1] == "001"
    writer.close()


async def test_userhost_in_names_gives_hostmasks_in_names(world: World) -> None:
    alice = await world.irc_client("Alice", caps=("userhost-in-names",))
    bob = await world.web("Bob")
    await bob.join("general")

    alice.send("JOIN #general")
    names = await alice.expect("namreply")

    assert set(names.arguments[2].split()) == {"Alice!u@75.causerie", "Bob!u@75.causerie"}
    assert "75011" not in names.arguments[2]


async def test_a_strangers_first_message_arrives_unchanged_then_the_service_says_how_to_answer(
    world: World,
) -> None:
    alice = await world.irc_client("Alice")
    bob = await world.web("Bob")

    ack = await bob.request_outcome("dm", to="Alice", text="salut, tu viens souvent ici ?")
    assert ack["type"] == "ack", ack

    message = await alice.expect("privmsg")
    assert (message.source.nick, message.arguments) == (
        "Bob",
        ["salut, tu viens souvent ici ?"],
    )
    for _language in ("fr", "en"):
        notice = await alice.expect_text("privnotice", "ACCEPT Bob")
        assert notice.source.nick == "Causerie" and "DECLINE Bob" in notice.arguments[0]

    # Consent first still: once Alice accepts, Bob's messages come with no NOTICE.
    alice.connection.privmsg("Causerie", "ACCEPT Bob")
    await alice.expect_text("privnotice", "accept")
    ack = await bob.request_outcome("dm", to="Alice", text="cool")
    assert ack["type"] == "ack"
    assert (await alice.expect("privmsg")).arguments == ["cool"]
    await asyncio.sleep(0.1)
    assert not [e for e in alice.events if e.type == "privnotice" and "ACCEPT" in str(e)]


async def test_a_strangers_message_is_masked_where_the_safety_rules_mask_it(world: World) -> None:
    alice = await world.irc_client("Alice")
    bob = await world.web("Bob")

    ack = await bob.request_outcome("dm", to="Alice", text="appelle-moi au 06 12 34 56 78")
    assert ack["type"] == "ack", ack

    message = await alice.expect("privmsg")
    assert "06 12 34 56 78" not in message.arguments[0]
    assert message.arguments[0].startswith("appelle-moi au ")


async def test_private_message_to_someone_away_gets_301_then_none_once_back(
    world: World,
) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno", realname="31 h 44000")

    bruno.send("AWAY :parti manger")
    await bruno.expect("nowaway")
    alice.connection.privmsg("Bruno", "tu es là ?")
    away = await alice.expect("away")
    assert away.arguments == ["Bruno", "parti manger"]
    await bruno.expect("privmsg")

    bruno.send("AWAY")
    await bruno.expect("unaway")
    alice.connection.privmsg("Bruno", "et maintenant ?")
    await bruno.expect("privmsg")
    assert not [e for e in alice.events if e.type == "away"]


async def test_client_tag_data_over_4094_bytes_is_417_and_nothing_is_relayed(
    world: World,
) -> None:
    alice = await world.irc_client("Alice", caps=("message-tags",))
    bruno = await world.irc_client("Bruno", realname="31 h 44000")
    for client in (alice, bruno):
        client.send("JOIN #general")
        await client.expect("endofnames")

    # The library keeps to 512 bytes a line: the long lines go to its socket as they are.
    alice.connection.transport.write(b"@+example=" + b"a" * 4096 + b" PRIVMSG #general :hi!\r\n")
    refused = await alice.expect("417")
    assert "too long" in refused.arguments[-1]

    alice.connection.transport.write(
        b"@+example=" + b"a" * 4000 + b" PRIVMSG #general :within the limit\r\n"
    )
    heard = await bruno.expect("pubmsg")
    assert heard.arguments == ["within the limit"]  # the first one never came
