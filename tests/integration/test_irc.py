"""IRC clients (the `irc` library from PyPI, over TCP) in the same rooms as WebSocket clients,
under the same rules: talk both ways, private messages, age bands, moderation, history."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import Client, pending_timers, stop_server, until_timers
from tests.support.irc import Doors, IrcClient, irc_port, serve_doors, start_irc_server

pytestmark = pytest.mark.integration
PASSWORD = "un-mot-de-passe-long"


Both = Doors


async def log_in_moderator(both: Both, name: str = "Sophie_Modo") -> Client:
    store = both.running.node.store
    await store.add_staff(StaffAccount(name, StaffRole.MODERATOR, hash_password(PASSWORD)), 0)
    staff = await Client.connect(both.running)
    both.ws.append(staff)
    assert (await staff.request("login", name=name, password=PASSWORD))["type"] == "staff"
    return staff


@pytest.fixture
async def both(tmp_path: Path) -> AsyncIterator[Both]:
    async with serve_doors(tmp_path) as doors:
        yield doors


async def test_irc_and_web_users_talk_in_a_room_both_ways(both: Both) -> None:
    alice = await both.irc_client("Alice")
    bob = await both.web("Bob")
    await bob.join("general")

    alice.send("JOIN #general")
    join = await alice.expect("join")
    assert join.target == "#general" and join.source.nick == "Alice"
    names = await alice.expect("namreply")
    assert {"Alice", "Bob"} <= set(names.arguments[2].split())
    await bob.expect_type("presence", state="joined")

    await bob.say("general", "salut Alice")
    heard = await alice.expect("pubmsg")
    assert (heard.source.nick, heard.target, heard.arguments) == (
        "Bob",
        "#general",
        ["salut Alice"],
    )
    assert heard.source.host == "75.causerie"  # the département, never the postcode

    alice.connection.privmsg("#general", "salut Bob, depuis irssi")
    message = await bob.expect_type("message")
    assert message["from"]["nick"] == "Alice" and message["text"] == "salut Bob, depuis irssi"
    assert message["from"]["dept"] == "75" and "75011" not in str(message)


async def test_irc_private_messages_both_ways(both: Both) -> None:
    alice = await both.irc_client("Alice")
    bob = await both.web("Bob")

    alice.connection.privmsg("Bob", "coucou en privé")
    received = await bob.expect(lambda f: f["type"] in ("dm", "dm_request"))
    assert received["from"]["nick"] == "Alice" and "coucou" in received["text"]

    reply = await bob.request_outcome("dm", to="Alice", text="bien reçu")
    assert reply["type"] == "ack", reply
    answer = await alice.expect("privmsg")
    assert answer.source.nick == "Bob" and "bien reçu" in answer.arguments[0]

    alice.connection.privmsg("Nobody", "hello?")
    assert (await alice.expect("nosuchnick")).arguments[0] == "Nobody"


async def test_irc_age_bands_hide_rooms_and_refuse_private_messages(both: Both) -> None:
    teen = await both.irc_client("Lea", realname="15 f 75011")
    adult = await both.irc_client("Marc", realname="40 m 69001")

    teen.send("LIST")
    await teen.expect("listend")
    teen_rooms = {e.arguments[0] for e in teen.events if e.type == "list"}
    adult.send("LIST")
    await adult.expect("listend")
    adult_rooms = {e.arguments[0] for e in adult.events if e.type == "list"}
    assert teen_rooms and adult_rooms and not teen_rooms & adult_rooms

    teen.send("JOIN #general")
    refused = await teen.expect("nosuchchannel")
    assert refused.arguments[0] == "#general"
    teen_room = sorted(teen_rooms)[0]
    adult.send(f"JOIN {teen_room}")
    assert (await adult.expect("nosuchchannel")).arguments[0] == teen_room

    adult.connection.privmsg("Lea", "salut")
    refused = await adult.expect("nosuchnick")  # as for a nickname nobody uses
    adult.connection.privmsg("Personne", "salut")
    nobody = await adult.expect("nosuchnick")
    assert (refused.arguments[0], refused.arguments[1:]) == ("Lea", nobody.arguments[1:])
    await asyncio.sleep(0.2)
    assert not [e for e in teen.events if e.type == "privmsg"]


async def test_irc_user_kicked_then_banned_by_a_moderator(both: Both) -> None:
    alice = await both.irc_client("Alice")
    moderator = await log_in_moderator(both)
    alice.send("JOIN #general")
    await alice.expect("join")

    done = await moderator.request(
        "mod", action="kick", nick="Alice", room="general", reason="hors sujet"
    )
    assert done["type"] == "mod_done", done
    kick = await alice.expect("kick")
    assert kick.target == "#general" and kick.arguments[0] == "Alice"
    await alice.expect("privnotice", lambda e: e.source.nick == "Causerie")

    done = await moderator.request("mod", action="ban", nick="Alice", reason="insultes")
    assert done["type"] == "mod_done", done
    assert (await alice.expect("yourebannedcreep")).type == "yourebannedcreep"
    error = await alice.expect("error")
    assert "Banned" in error.target
    await alice.expect("disconnect")

    again = await IrcClient.connect(both.port, "Alice2", wait_welcome=False)
    both.irc.append(again)
    await again.expect("yourebannedcreep")


async def test_irc_chathistory_returns_the_scrollback_in_a_batch(both: Both) -> None:
    bob = await both.web("Bob")
    await bob.join("general")
    ids = [(await bob.say("general", f"message {i}"))[1]["message_id"] for i in range(3)]
    alice = await both.irc_client(
        "Alice", caps=("batch", "draft/chathistory", "server-time", "message-tags")
    )
    alice.send("JOIN #general")
    await alice.expect("endofnames")
    assert not [e for e in alice.events if e.type == "pubmsg"]  # no replay: it asks itself

    alice.send("CHATHISTORY LATEST #general * 10")
    opened = await alice.expect("batch", lambda e: e.target.startswith("+"))
    await alice.expect("batch", lambda e: e.target.startswith("-"))
    replayed = [e for e in alice.events if e.type == "pubmsg"]
    assert [e.arguments[0] for e in replayed] == ["message 0", "message 1", "message 2"]
    tags = {t["key"]: t["value"] for t in replayed[0].tags}
    assert tags["batch"] == opened.target[1:] and tags["msgid"] == str(ids[0]) and "time" in tags

    alice.send(f"CHATHISTORY BEFORE #general msgid={ids[2]} 1")
    await alice.expect("batch", lambda e: e.target.startswith("-"))
    assert [e.arguments[0] for e in alice.events if e.type == "pubmsg"][-1] == "message 1"


async def test_irc_without_profile_registers_then_profile_lets_it_join(both: Both) -> None:
    zoe = await both.irc_client("Zoe", realname="Zoé")
    await zoe.expect("privnotice", lambda e: "PROFILE" in e.arguments[0])

    zoe.send("JOIN #general")
    await zoe.expect("nochanmodes")  # 477, named after RFC 1459
    zoe.send("PROFILE 22 f 33000")
    await zoe.expect_text("privnotice", "Profile accepted")
    zoe.send("JOIN #general")
    assert (await zoe.expect("join")).source.host == "33.causerie"


async def test_irc_staff_sign_in_with_sasl_plain_and_kick(both: Both) -> None:
    await log_in_moderator(both, "Marie_Modo")
    bob = await both.web("Bob")
    await bob.join("general")
    # The library has no SASL of its own: the exchange is written as a client sends it.
    reader, writer = await asyncio.open_connection("127.0.0.1", both.port)
    payload = base64.b64encode(f"\0Marie_Modo\0{PASSWORD}".encode()).decode()
    writer.write(b"CAP LS 302\r\nCAP REQ :sasl\r\nNICK Marie\r\nUSER m 0 * :Marie\r\n")
    writer.write(f"AUTHENTICATE PLAIN\r\nAUTHENTICATE {payload}\r\n".encode())
    text = await _read_until(reader, b" 903 ")
    assert b" 900 " in text
    writer.write(b"CAP END\r\nKICK #general Bob :spam\r\n")
    await _read_until(reader, b"Fait / done")
    assert (await bob.expect_type("parted"))["room"] == "general"
    writer.close()


async def _read_until(reader: asyncio.StreamReader, marker: bytes) -> bytes:
    data = b""
    async with asyncio.timeout(5):
        while marker not in data:
            chunk = await reader.read(4096)
            assert chunk, data
            data += chunk
    return data


async def _read_all(reader: asyncio.StreamReader, wait_s: float = 0.5) -> bytes:
    data = b""
    try:
        async with asyncio.timeout(wait_s):
            while chunk := await reader.read(4096):
                data += chunk
    except TimeoutError:
        pass
    return data


async def test_irc_bad_lines_get_their_numerics_and_the_connection_stays(both: Both) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", both.port)
    writer.write(b"NICK Alice\r\nUSER a 0 * :25 f 75011\r\n")
    await _read_until(reader, b" 422 ")
    writer.write(b"PRIVMSG #general :" + b"x" * 600 + b"\r\n")
    writer.write(b"PRIVMSG #general :\xff\xfe\r\nFROB\r\nJOIN\r\nPING :still-here\r\n")

    data = await _read_until(reader, b"still-here")

    for marker in (b" 417 Alice ", b"FAIL PRIVMSG INVALID_UTF8", b" 421 Alice FROB ", b" 461 "):
        assert marker in data
    writer.close()


async def test_irc_registration_timeout_and_throttle_end_with_error(tmp_path: Path) -> None:
    _running, server, task = await start_irc_server(
        tmp_path, hello_timeout_s=0.3, irc_connections_per_address=1
    )
    try:
        port = irc_port(server)
        first_reader, first = await asyncio.open_connection("127.0.0.1", port)
        second_reader, second = await asyncio.open_connection("127.0.0.1", port)
        assert b"ERROR :Too many connections" in await _read_all(second_reader)
        assert b"ERROR :Closing Link: 127.0.0.1 (Registration timeout)" in await _read_all(
            first_reader, 2
        )
        first.close()
        second.close()
    finally:
        await stop_server(server, task)


async def test_irc_away_is_told_to_away_notify_clients_sharing_a_room(both: Both) -> None:
    alice = await both.irc_client("Alice", caps=("away-notify",))
    marc = await both.irc_client("Marc", realname="40 m 69001")
    for client in (alice, marc):
        client.send("JOIN #general")
        await client.expect("endofnames")

    marc.send("AWAY :parti manger")
    await marc.expect("nowaway")
    away = await alice.expect("away")
    assert away.source.nick == "Marc" and "parti manger" in [away.target, *away.arguments]
    alice.send("WHOIS Marc")
    assert (await alice.expect("away")).arguments[-1] == "parti manger"  # 301 RPL_AWAY


async def test_irc_idle_client_is_pinged_then_closed(tmp_path: Path) -> None:
    _running, server, task = await start_irc_server(tmp_path, irc_ping_interval_s=1)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", irc_port(server))
        writer.write(b"NICK Alice\r\nUSER a 0 * :25 f 75011\r\n")
        data = await _read_until(reader, b"PING ")
        data += await _read_all(reader, 3)
        assert b"ERROR :Closing Link: 127.0.0.1 (Ping timeout)" in data
        writer.close()
    finally:
        await stop_server(server, task)


async def test_irc_pipelined_lines_are_answered_in_the_order_sent(both: Both) -> None:
    """Lines needing the node (JOIN, PRIVMSG) and lines answered at once (PING) in one write:
    every answer comes back in the order of the lines."""
    reader, writer = await asyncio.open_connection("127.0.0.1", both.port)
    writer.write(
        b"NICK Alice\r\nUSER a 0 * :25 f 75011\r\nPING :tok-1\r\nJOIN #general\r\n"
        b"PRIVMSG #general :bonjour\r\nPING :tok-2\r\nJOIN #sport\r\nPING :tok-3\r\n"
    )

    data = await _read_until(reader, b"tok-3")

    markers = [b" 001 Alice ", b"tok-1", b"JOIN #general", b"tok-2", b"JOIN #sport", b"tok-3"]
    positions = [data.find(marker) for marker in markers]
    assert -1 not in positions and positions == sorted(positions), data
    writer.close()


async def test_irc_flood_of_lines_is_answered_in_full_without_losing_any(both: Both) -> None:
    """More lines than the inbox holds before reading pauses: none is dropped."""
    reader, writer = await asyncio.open_connection("127.0.0.1", both.port)
    writer.write(b"NICK Alice\r\nUSER a 0 * :25 f 75011\r\nJOIN #general\r\n")
    lines = b"".join(b"PRIVMSG #general :m%d\r\nPING :p%d\r\n" % (i, i) for i in range(300))
    writer.write(lines + b"PING :done\r\n")

    data = await _read_until(reader, b" done\r\n")

    assert all(b" p%d\r\n" % i in data for i in range(300))
    writer.close()


async def test_irc_a_closed_connection_frees_its_slot_for_the_address(tmp_path: Path) -> None:
    _running, server, task = await start_irc_server(tmp_path, irc_connections_per_address=1)
    try:
        port = irc_port(server)
        first_reader, first = await asyncio.open_connection("127.0.0.1", port)
        _refused_reader, refused = await asyncio.open_connection("127.0.0.1", port)
        assert b"Too many connections" in await _read_all(_refused_reader)
        first.write(b"QUIT :bye\r\n")
        assert b"ERROR" in await _read_all(first_reader, 2)
        await asyncio.sleep(0.2)

        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"NICK Alice\r\nUSER a 0 * :25 f 75011\r\n")
        assert b" 001 Alice " in await _read_until(reader, b" 001 ")
        for socket in (first, refused, writer):
            socket.close()
    finally:
        await stop_server(server, task)


async def test_irc_clients_are_told_when_the_server_restarts(tmp_path: Path) -> None:
    _running, server, task = await start_irc_server(tmp_path)
    listener = server.irc
    assert listener is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", irc_port(server))
    writer.write(b"NICK Alice\r\nUSER a 0 * :25 f 75011\r\nJOIN #general\r\n")
    await _read_until(reader, b"JOIN #general")
    assert len(listener.clients) == 1

    await stop_server(server, task)

    assert b"ERROR :Closing Link: 127.0.0.1 (Server restarting)" in await _read_all(reader, 2)
    assert not listener.clients and not listener.finishing  # each left the node
    writer.close()


async def test_a_registered_irc_client_keeps_no_timer_of_its_own(both: Both) -> None:
    """The registration timeout goes once registered, not `hello_timeout_s` later (eight
    clients: the listener lets ten connect from one address)."""
    before = pending_timers()
    streams = [await asyncio.open_connection("127.0.0.1", both.port) for _ in range(8)]
    try:
        await until_timers(before + 8)  # each waits with a timer of its own

        for index, (reader, writer) in enumerate(streams):
            writer.write(f"NICK Minuteur{index}\r\nUSER m 0 * :25 f 75011\r\n".encode())
            await _read_until(reader, b" 422 ")

        assert pending_timers() - before < 8
    finally:
        for _reader, writer in streams:
            writer.close()


async def test_irc_notice_to_a_room_reaches_irc_as_a_notice_and_the_web_as_a_message(
    both: Both,
) -> None:
    """A NOTICE to a channel (what bots announce with) is a room message like any: stored,
    shown on the web (marked `notice`), told to IRC members as a NOTICE, to its sender too
    with echo-message; no error ever answers a NOTICE."""
    alice = await both.irc_client("Alice", caps=("echo-message",))
    bruno = await both.irc_client("Bruno")
    chloe = await both.web("Chloe")
    await chloe.join("general")
    for client in (alice, bruno):
        client.send("JOIN #general")
        await client.expect("endofnames")
    alice.connection.notice("#general", "Annonce : le quiz commence à 21 h")
    heard = await bruno.expect("pubnotice")
    assert (heard.source.nick, heard.target, heard.arguments) == (
        "Alice",
        "#general",
        ["Annonce : le quiz commence à 21 h"],
    )
    echoed = await alice.expect("pubnotice")
    assert echoed.arguments == heard.arguments
    message = await chloe.expect_type("message")
    assert message["text"] == "Annonce : le quiz commence à 21 h" and message["notice"] is True
    alice.connection.privmsg("#general", "et ceci est un message")
    plain = await chloe.expect_type("message", text="et ceci est un message")
    assert "notice" not in plain
    assert (await bruno.expect("pubmsg")).arguments == ["et ceci est un message"]
