"""The WebSocket's door over a real socket: which pages may open it (Origin), how many
connections and logins one address or device may have, and joins and parts limited like
messages. Addresses behind a trusted proxy (127.0.0.1 by default) come from X-Forwarded-For.
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from websockets.datastructures import HeadersLike
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server
from tests.support.databases import drop_redis_prefix, require_redis, unique_prefix

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


async def _open(
    server: RunningServer, origin: str | None = None, headers: HeadersLike | None = None
) -> Client:
    return await Client.connect(
        server,
        origin=Origin(origin) if origin is not None else None,
        additional_headers=headers,
        max_queue=None,  # presence frames left unread must not hold up the closing handshake
    )


async def _refused_status(server: RunningServer, origin: str, **headers: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        await _open(server, origin, headers or None)
    return refused.value.response.status_code


async def _closed_with(client: Client) -> tuple[int, str]:
    """The close code and reason the server sent (after any frames before it)."""
    try:
        async with asyncio.timeout(TIMEOUT_S):
            while True:
                await client.ws.recv()
    except ConnectionClosed as closed:
        assert closed.rcvd is not None
        return closed.rcvd.code, closed.rcvd.reason
    raise AssertionError("not closed")


# -- Origin ------------------------------------------------------------------------------------


async def test_foreign_origin_refused_with_403_before_the_upgrade(start: Start) -> None:
    server = await start()
    for origin in ("https://evil.example", "null", "http://127.0.0.1:1"):
        assert await _refused_status(server, origin) == 403, origin
    assert server.node.metrics.sessions._value.get() == 0
    assert server.node.metrics.errors.labels("forbidden")._value.get() == 3  # for operators


async def test_same_origin_and_no_origin_accepted(start: Start) -> None:
    server = await start()
    same = await _open(server, server.url)  # what a browser on the site sends
    program = await _open(server)  # a bot, a bridge: no Origin at all
    assert (await same.hello("Navigatrice"))["type"] == "welcome"
    assert (await program.hello("Robot"))["type"] == "welcome"
    await same.close()
    await program.close()


async def test_configured_origin_accepted_others_still_refused(start: Start) -> None:
    server = await start(allowed_origins="https://chat.example.org")
    listed = await _open(server, "https://chat.example.org")
    assert (await listed.hello("Listee"))["type"] == "welcome"
    assert await _refused_status(server, "https://other.example.org") == 403
    assert await _refused_status(server, "http://chat.example.org") == 403  # scheme differs
    await listed.close()


async def test_origin_scheme_behind_a_tls_proxy_comes_from_x_forwarded_proto(
    start: Start,
) -> None:
    server = await start()
    secure = server.url.replace("http://", "https://")
    behind_tls = await _open(server, secure, {"X-Forwarded-Proto": "https"})
    assert (await behind_tls.hello("Chiffree"))["type"] == "welcome"
    assert await _refused_status(server, server.url, **{"X-Forwarded-Proto": "https"}) == 403
    await behind_tls.close()


async def test_upgrade_later_on_a_kept_alive_http_connection_checks_origin(
    start: Start,
) -> None:
    server = await start()
    host, port = server.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(f"GET /healthz HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT_S)
        assert head.startswith(b"HTTP/1.1 200")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET /ws HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n"
            ).encode()
        )
        refusal = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT_S)
        assert refusal.startswith(b"HTTP/1.1 403")
    finally:
        writer.close()


# -- connections and logins per address and device ---------------------------------------------


async def _open_when_counted_out(server: RunningServer) -> Client:
    """A connection, once the server has counted a closed one out (it does so after the
    session has left, a moment after the close)."""
    async with asyncio.timeout(TIMEOUT_S):
        while True:
            client = await _open(server)
            try:
                await client.request("ping")
            except ConnectionClosed:
                await asyncio.sleep(0.05)
                continue
            return client


async def test_connections_per_address_past_the_limit_closed_with_4005(start: Start) -> None:
    server = await start(ws_connections_per_address=5)
    clients = [await _open(server) for _ in range(5)]
    for index, client in enumerate(clients):
        assert (await client.hello(f"Eleve{index}"))["type"] == "welcome"

    sixth = await _open(server)
    assert await _closed_with(sixth) == (4005, "too many connections from your address")
    assert server.node.metrics.errors.labels("rate_limited")._value.get() == 1

    await clients[0].close()  # a slot frees once that connection is gone
    again = await _open_when_counted_out(server)
    assert (await again.hello("Eleve5"))["type"] == "welcome"
    for client in [*clients[1:], again]:
        await client.close()


async def test_connections_counted_by_the_real_address_behind_a_trusted_proxy(
    start: Start,
) -> None:
    server = await start(ws_connections_per_address=2)
    school = {"X-Forwarded-For": "203.0.113.7"}
    first, second = await _open(server, headers=school), await _open(server, headers=school)
    third = await _open(server, headers=school)
    assert (await _closed_with(third))[0] == 4005
    elsewhere = await _open(server, headers={"X-Forwarded-For": "203.0.113.8"})
    assert (await elsewhere.hello("Ailleurs"))["type"] == "welcome"
    for client in (first, second, elsewhere):
        await client.close()


async def test_connections_from_ipv6_counted_by_their_64(start: Start) -> None:
    server = await start(ws_connections_per_address=2)
    first = await _open(server, headers={"X-Forwarded-For": "2001:db8:1:2::1"})
    second = await _open(server, headers={"X-Forwarded-For": "2001:db8:1:2::2"})
    third = await _open(server, headers={"X-Forwarded-For": "2001:db8:1:2:abcd::3"})
    assert (await _closed_with(third))[0] == 4005  # same /64: one subscriber
    neighbour = await _open(server, headers={"X-Forwarded-For": "2001:db8:1:3::1"})
    assert (await neighbour.hello("Voisine"))["type"] == "welcome"
    for client in (first, second, neighbour):
        await client.close()


async def test_connections_per_device_cookie_past_the_limit_closed_with_4005(
    start: Start,
) -> None:
    server = await start(ws_connections_per_device=2)
    device = {"Cookie": "causerie_device=abcdefghijklmnop"}
    tabs = [await _open(server, headers=device) for _ in range(2)]
    third = await _open(server, headers=device)
    assert await _closed_with(third) == (4005, "too many connections from this device")
    other = await _open(server, headers={"Cookie": "causerie_device=qrstuvwxyz012345"})
    assert (await other.hello("AutrePoste"))["type"] == "welcome"
    for client in [*tabs, other]:
        await client.close()


async def test_hellos_per_minute_per_address_refused_with_retry_after_then_closed(
    start: Start,
) -> None:
    server = await start(hellos_per_minute_per_address=3)
    for index in range(3):
        client = await _open(server)
        assert (await client.hello(f"Passant{index}"))["type"] == "welcome"
        await client.close()

    late = await _open(server)
    refused = await late.hello("Passant3")
    assert refused["type"] == "error" and refused["code"] == "rate_limited"
    assert refused["retry_after"] > 0
    assert "réessaie dans" in refused["message"]
    assert (await _closed_with(late))[0] == 4005


async def test_hellos_per_minute_per_device_cookie(start: Start) -> None:
    server = await start(hellos_per_minute_per_device=2)
    device = {"Cookie": "causerie_device=abcdefghijklmnop"}
    for index in range(2):
        client = await _open(server, headers=device)
        assert (await client.hello(f"Onglet{index}"))["type"] == "welcome"
        await client.close()
    late = await _open(server, headers=device)
    assert (await late.hello("Onglet2", lang="en"))["code"] == "rate_limited"
    fresh = await _open(server, headers={"Cookie": "causerie_device=qrstuvwxyz012345"})
    assert (await fresh.hello("Onglet3"))["type"] == "welcome"
    await fresh.close()


async def test_a_burst_of_logins_from_one_address_stops_at_the_default_limit(
    start: Start,
) -> None:
    """The finding: 1,500 sessions from one address welcomed in 0.2 s. With the defaults, a
    burst gets the address's 120 logins (plus what refills meanwhile), then rate_limited."""
    server = await start()
    attempts = 150

    async def login(index: int) -> str:
        client = await _open(server)
        try:
            reply = await client.hello(f"Squat{index}")
            return str(reply.get("code", reply["type"]))
        finally:
            await client.close()

    outcomes = await asyncio.gather(*(login(index) for index in range(attempts)))
    welcomed = outcomes.count("welcome")
    assert set(outcomes) == {"welcome", "rate_limited"}
    assert 120 <= welcomed < attempts


# -- joins and parts --------------------------------------------------------------------------


async def test_join_part_flood_refused_with_rate_limited_and_presence_bounded(
    start: Start,
) -> None:
    server = await start()
    observer, flooder = await _open(server), await _open(server)
    await observer.hello("Temoin")
    await observer.join("general")
    await flooder.hello("Yoyo")

    requests = 200
    for index in range(requests):  # pipelined, as fast as the socket takes them
        kind = "join" if index % 2 == 0 else "part"
        await flooder.send({"type": kind, "id": f"f{index}", "room": "general"})
    replies = [
        await flooder.expect(lambda f, i=index: f.get("re") == f"f{i}") for index in range(requests)
    ]

    refused = [r for r in replies if r["type"] == "error"]
    done = [r for r in replies if r["type"] in ("joined", "parted")]
    assert {r["code"] for r in refused} <= {"rate_limited", "forbidden"}
    limited = [r for r in refused if r["code"] == "rate_limited"]
    assert len(limited) >= requests - 40 and all(r["retry_after"] > 0 for r in limited)
    assert len(done) <= 40  # a burst of 30, then one every 2 s
    assert (await flooder.request("ping"))["type"] == "pong"  # the connection stays

    await observer.send({"type": "ping", "id": "last"})  # after every presence sent to it
    await observer.expect(lambda f: f.get("re") == "last")
    presences = [
        f for f in observer.inbox if f["type"] == "presence" and f["user"]["nick"] == "Yoyo"
    ]
    assert len(presences) == len(done)  # one for each join or part let through, no more
    await observer.close()
    await flooder.close()


async def test_join_part_limit_per_address_holds_across_sessions(start: Start) -> None:
    # Each session may join 2 rooms at once; the address, ten times that.
    server = await start(max_rooms_per_session=2, join_part_burst=2, join_part_per_s=0.01)
    clients = [await _open(server) for _ in range(15)]
    outcomes = []
    for index, client in enumerate(clients):
        await client.hello(f"Classe{index}")
        for room in ("general", "musique"):
            reply = await client.join(room)
            outcomes.append(reply.get("code", reply["type"]))
    assert outcomes.count("joined") == 20
    assert outcomes.count("rate_limited") == 10
    for client in clients:
        await client.close()


async def test_hellos_per_address_hold_across_nodes_sharing_redis(start: Start) -> None:
    redis_url = await require_redis()
    prefix = unique_prefix()
    shared = {"redis_url": redis_url, "redis_prefix": prefix, "hellos_per_minute_per_address": 3}
    try:
        first, second = await start(**shared), await start(**shared)
        for index, node in enumerate((first, first, second)):
            client = await _open(node)
            assert (await client.hello(f"Voyageur{index}"))["type"] == "welcome"
            await client.close()
        for node in (first, second):  # the address's three are spent on every node
            late = await _open(node)
            assert (await late.hello("Voyageur9"))["code"] == "rate_limited"
            assert (await _closed_with(late))[0] == 4005
    finally:
        await drop_redis_prefix(prefix)


async def test_resume_rejoins_every_room_even_when_the_device_spent_its_joins(
    start: Start,
) -> None:
    # A burst of 3 joins and parts, nothing refilled: the device has none left after the first
    # session; its resume still gets all its rooms back (charged to the new session only).
    server = await start(max_rooms_per_session=3, join_part_burst=3, join_part_per_s=0.001)
    device = {"Cookie": "causerie_device=abcdefghijklmnop"}
    first = await _open(server, headers=device)
    welcome = await first.hello("Revenante")
    session, secret = welcome["session"], welcome["resume_token"]
    rooms = ["general", "musique", "sport"]
    for room in rooms:
        assert (await first.join(room))["type"] == "joined", room
    assert (await first.request("part", room="general"))["code"] == "rate_limited"
    first.ws.transport.abort()  # the network drops

    again = await _open(server, headers=device)
    resume = {"session": session, "resume_token": secret, "rooms": rooms}
    welcome = await again.hello("Revenante", resume=resume)
    assert welcome["type"] == "welcome", welcome
    rejoined = [await again.expect_type("joined") for _ in rooms]
    assert sorted(frame["room"]["id"] for frame in rejoined) == sorted(rooms)
    assert (await again.request("part", room="general"))["code"] == "rate_limited"
    await again.close()
