"""Grooming seen as a conversation, over the real protocols (issue: adults posing as teens).

A self-declared 15-year-old writes the issue's ten lines to a 14-year-old who accepted him:
the riskiest are held, the conversation reaches the moderators with its context as it crosses
the line, the minor sees a safety notice naming him, and his new conversations with minors
pause until a moderator decides. The same over IRC and in a teen room.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from causerie.core.rooms import DEFAULT_ROOMS, Audience
from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import Client, RunningServer, start_server, stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server
from tests.unit.safety.grooming.test_scoring import TEN_LINES

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery staple"
TEEN_ROOM = next(r.id for r in DEFAULT_ROOMS if r.audience is Audience.TEEN)
HELD = {0, 1, 2, 4, 5, 6}  # the riskiest lines: pictures, secrecy, gifts, app, deletion


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    running, uvicorn_server, task = await start_server(tmp_path)
    clients: list[Client] = []

    async def connect(device: str | None = None) -> Client:
        headers = {"Cookie": f"causerie_device={device}"} if device else None
        client = Client(await websockets.connect(running.ws_url, additional_headers=headers))
        clients.append(client)
        return client

    running.connect = connect  # type: ignore[attr-defined]
    yield running
    for client in clients:
        await client.close()
    await stop_server(uvicorn_server, task)


async def _person(server: Any, nick: str, age: int, device: str | None = None) -> Client:
    client: Client = await server.connect(device)
    welcome = await client.hello(nick, age=age, gender="man" if age == 15 else "woman")
    assert welcome["type"] == "welcome", welcome
    return client


async def _moderator(server: Any) -> Client:
    store = server.node.store
    await store.add_staff(
        StaffAccount("Modo_Lina", StaffRole.MODERATOR, hash_password(PASSWORD)), 0
    )
    staff: Client = await server.connect()
    assert (await staff.request("login", name="Modo_Lina", password=PASSWORD))["type"] == "staff"
    await staff.expect_type("queue")
    return staff


async def _send(client: Client, frame: dict[str, Any]) -> dict[str, Any]:
    """The answer to a message: its ack or its error; sent again after a flood limit's wait
    (a new identity may send only a few messages at once)."""
    while True:
        request_id = f"g-{time.monotonic_ns()}"
        await client.send({**frame, "id": request_id})
        answer = await client.expect(
            lambda f, re=request_id: f.get("re") == re and f["type"] in ("ack", "error")
        )
        if answer.get("code") != "rate_limited":
            return answer
        await asyncio.sleep(float(answer.get("retry_after", 1)))


async def test_ten_lines_riskiest_held_moderators_alerted_minor_noticed_contacts_paused(
    server: Any,
) -> None:
    moderator = await _moderator(server)
    groomer = await _person(server, "Pretend15", 15, device="device-groomer-000001")
    nina = await _person(server, "Nina", 14)
    await _person(server, "Zoe", 13)
    assert (await nina.request("accept", nick="Pretend15"))["type"] == "accepted"
    held: list[int] = []
    for index, line in enumerate(TEN_LINES):
        answer = await _send(groomer, {"type": "dm", "to": "Nina", "text": line})
        if answer["type"] == "error":
            assert answer["code"] == "held_for_review", answer
            held.append(index)
    assert HELD <= set(held) and len(held) < len(TEN_LINES)
    notice = await nina.expect(lambda f: f.get("key") == "grooming_notice", type_="notice")
    assert notice["kind"] == "safety" and notice["about"] == "Pretend15"
    assert "3018" in notice["text"] and "secret" in notice["text"]
    alert = await moderator.expect(
        lambda f: f["item"].get("rule") == "grooming_conversation", type_="alert"
    )
    item = alert["item"]
    assert (item["category"], item["severity"]) == ("child_safety", 5)
    assert item["target"]["nick"] == "Pretend15"
    grooming = item["grooming"]
    assert grooming["minor"] == "Nina" and grooming["score"] >= 8 and grooming["stages"]
    risky = {line["text"] for line in grooming["risky_lines"]}
    assert risky & {TEN_LINES[i] for i in HELD}  # held lines, which Nina never saw, as context
    assert any(line["text"] in TEN_LINES for line in item["context"])  # the conversation
    # His new conversations with minors pause; the one already open goes on.
    paused = await _send(groomer, {"type": "dm", "to": "Zoe", "text": "salut ça va ?"})
    assert (paused["type"], paused.get("code")) == ("error", "forbidden")
    # A moderator decides: the pause ends.
    dismissed = await moderator.request(
        "mod", action="dismiss", report_id=item["id"], reason="vérifié : deux ados"
    )
    assert dismissed["type"] == "mod_done", dismissed
    for _ in range(50):
        answer = await _send(groomer, {"type": "dm", "to": "Zoe", "text": "salut ça va ?"})
        if answer["type"] == "ack":
            break
        await asyncio.sleep(0.05)
    assert answer["type"] == "ack", answer


async def test_pause_outlives_a_reconnection_from_the_same_device(server: Any) -> None:
    await _moderator(server)
    groomer = await _person(server, "Pretend15", 15, device="device-groomer-000002")
    nina = await _person(server, "Nina", 14)
    await _person(server, "Zoe", 13)
    await nina.request("accept", nick="Pretend15")
    for line in TEN_LINES:
        await _send(groomer, {"type": "dm", "to": "Nina", "text": line})
    await nina.expect(lambda f: f.get("key") == "grooming_notice", type_="notice")
    await asyncio.sleep(0.3)  # the pause is recorded in the store
    await groomer.close()
    again = await _person(server, "Lucas15", 15, device="device-groomer-000002")
    answer = await _send(again, {"type": "dm", "to": "Zoe", "text": "coucou"})
    assert (answer["type"], answer.get("code")) == ("error", "forbidden")


async def test_teen_room_line_naming_a_member_is_watched_and_held(server: Any) -> None:
    groomer = await _person(server, "Pretend15", 15)
    lea = await _person(server, "Lea", 14)
    for client in (groomer, lea):
        assert (await client.request("join", room=TEEN_ROOM))["type"] == "joined"
    answer = await _send(
        groomer,
        {
            "type": "say",
            "room": TEEN_ROOM,
            "text": "Lea on parle sur une autre appli plus tranquille ?",
        },
    )
    assert (answer["type"], answer.get("code")) == ("error", "held_for_review")
    ordinary = await _send(
        groomer, {"type": "say", "room": TEEN_ROOM, "text": "Lea t'as vu le match ?"}
    )
    assert ordinary["type"] == "ack"


async def test_irc_teen_writing_the_ten_lines_is_held_and_alerts(tmp_path: Path) -> None:
    running, uvicorn_server, task = await start_irc_server(tmp_path)
    nina = await Client.connect(running)
    groomer: IrcClient | None = None
    try:
        assert (await nina.hello("Nina", age=14))["type"] == "welcome"
        assert (await nina.request("accept", nick="Pretend15"))["type"] == "accepted"
        groomer = await IrcClient.connect(irc_port(uvicorn_server), "Pretend15", "15 h 75011")
        for line in TEN_LINES:
            groomer.send(f"PRIVMSG Nina :{line}")
            await asyncio.sleep(2.1)  # within a new identity's flood limit
        notice = await nina.expect(lambda f: f.get("key") == "grooming_notice", type_="notice")
        assert notice["about"] == "Pretend15"
        delivered = [f for f in nina.inbox if f["type"] in ("dm", "dm_request")]
        held = [await groomer.expect_text("privnotice", "Nina:") for _ in range(len(HELD))]
        assert len(held) == len(HELD)
        assert len(delivered) <= len(TEN_LINES) - len(HELD)
    finally:
        if groomer is not None:
            groomer.close()
        await nina.close()
        await stop_server(uvicorn_server, task)
