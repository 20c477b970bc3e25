"""Staff logins over the real protocols (issue 17, findings 3 and 8): every door — the
WebSocket's `login`, IRC's OPER and SASL PLAIN, `POST /api/admin/login` — goes through one
limiter per address and per name (reserved before the check, so concurrent attempts cannot
race it) and one bounded pool of password checks; a failed login counts as a bad frame; a TOTP
code logs in once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
import websockets
from argon2 import PasswordHasher

from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import Client, RunningServer, start_server, stop_server
from tests.support.irc import IrcClient, irc_port, sasl_client, start_irc_server

pytestmark = pytest.mark.integration
PASSWORD = "un-mot-de-passe-long"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Verification reads the cost from the hash: cheap accounts keep the tests fast. The pool test
# uses a real one.
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


class World:
    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.clients: list[Client] = []

    async def account(
        self, name: str, role: StaffRole = StaffRole.MODERATOR, **fields: Any
    ) -> None:
        fields.setdefault("password_hash", CHEAP_HASH)
        await self.running.node.store.add_staff(StaffAccount(name, role, **fields), 0)

    async def connect(self, address: str | None = None) -> Client:
        """A WebSocket client; `address` is what the (trusted, loopback) proxy says it is."""
        headers = {"X-Forwarded-For": address} if address else None
        client = Client(await websockets.connect(self.running.ws_url, additional_headers=headers))
        self.clients.append(client)
        return client

    async def login(self, name: str, password: str, address: str | None = None, **kw: Any) -> Any:
        client = await self.connect(address)
        return await client.request("login", name=name, password=password, **kw)


async def _world(tmp_path: Path, **settings: Any) -> AsyncIterator[World]:
    running, server, task = await start_server(tmp_path, **settings)
    world = World(running)
    yield world
    for client in world.clients:
        await client.close()
    await stop_server(server, task)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async for made in _world(tmp_path, staff_logins_per_address=3, staff_logins_per_name=5):
        yield made


# -- finding 3: the limiter, on the WebSocket ------------------------------------------------


async def test_ws_login_failures_from_one_address_then_rate_limited_even_right_password(
    world: World,
) -> None:
    await world.account("Gaspard")
    client = await world.connect()
    for _ in range(3):
        refused = await client.request("login", name="Gaspard", password="faux")
        assert refused["code"] == "forbidden"

    limited = await client.request("login", name="Gaspard", password=PASSWORD)

    assert limited["code"] == "rate_limited"
    assert 0 < limited["retry_after"] <= 200
    assert "réessayez dans" in limited["message"]
    assert (await world.login("Gaspard", PASSWORD, "10.0.0.2"))["type"] == "staff"


async def test_ws_login_failures_for_one_name_limited_across_addresses(world: World) -> None:
    await world.account("Gaspard")
    for index in range(5):
        answer = await world.login("gaspard", "faux", f"10.0.1.{index}")
        assert answer["code"] == "forbidden"

    limited = await world.login("Gaspard", PASSWORD, "10.0.2.1")
    other = await world.login("Quelquun", "faux", "10.0.2.1")

    assert limited["code"] == "rate_limited"
    assert other["code"] == "forbidden"  # another name from that address is still checked


async def test_ws_login_unknown_name_answers_like_a_wrong_password(world: World) -> None:
    await world.account("Gaspard")

    wrong = await world.login("Gaspard", "faux", "10.0.3.1")
    unknown = await world.login("Personne", "faux", "10.0.3.2")

    assert {k: v for k, v in wrong.items() if k != "re"} == {
        k: v for k, v in unknown.items() if k != "re"
    }


async def test_ws_failed_logins_count_as_bad_frames_and_close_with_1008(tmp_path: Path) -> None:
    async for world in _world(tmp_path, invalid_frames_before_close=3):
        client = await world.connect()
        for _ in range(2):
            assert (await client.request("login", name="X_x", password="faux"))["code"]
        await client.send({"type": "login", "id": "last", "name": "X_x", "password": "faux"})

        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await client.receive()

        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_ws_logins_beyond_the_pool_refused_at_once_with_rate_limited(
    tmp_path: Path,
) -> None:
    """One thread, nothing waiting: logins arriving while a real argon2 check runs are refused
    at once (`rate_limited`, retry after), not queued; none of them is lost as a failure."""
    async for world in _world(
        tmp_path, staff_login_workers=1, staff_login_queue=0, staff_logins_per_address=100
    ):
        await world.account("Gaspard", password_hash=hash_password(PASSWORD))
        clients = [await world.connect() for _ in range(10)]
        for index, client in enumerate(clients):
            await client.send(
                {"type": "login", "id": f"l{index}", "name": "Gaspard", "password": "faux"}
            )
        answers = [
            await client.expect(lambda f, i=index: f.get("re") == f"l{i}")
            for index, client in enumerate(clients)
        ]

        codes = [answer["code"] for answer in answers]
        assert "forbidden" in codes and "rate_limited" in codes
        assert set(codes) == {"forbidden", "rate_limited"}
        busy = next(a for a in answers if a["code"] == "rate_limited")
        assert busy["retry_after"] >= 1


# -- finding 3: the admin API ------------------------------------------------------------------


async def test_admin_login_40_concurrent_wrong_passwords_only_the_allowance_checked(
    tmp_path: Path,
) -> None:
    async for world in _world(tmp_path, staff_logins_per_address=10, staff_login_queue=64):
        await world.account("admin1", StaffRole.ADMIN)
        async with httpx.AsyncClient(base_url=world.running.url, timeout=30) as http:
            answers = await asyncio.gather(
                *(
                    http.post("/api/admin/login", json={"name": "admin1", "password": "faux"})
                    for _ in range(40)
                )
            )
            statuses = sorted(a.status_code for a in answers)
            assert statuses == [403] * 10 + [429] * 30
            limited = next(a for a in answers if a.status_code == 429)
            assert int(limited.headers["retry-after"]) >= 1
            assert limited.json()["error"] == "rate_limited"
            right = await http.post(
                "/api/admin/login", json={"name": "admin1", "password": PASSWORD}
            )
            assert right.status_code == 429  # the address is spent, right password or not


async def test_admin_login_shares_the_limit_with_the_websocket(world: World) -> None:
    await world.account("admin1", StaffRole.ADMIN)
    for _ in range(3):
        assert (await world.login("admin1", "faux"))["code"] == "forbidden"

    async with httpx.AsyncClient(base_url=world.running.url) as http:
        answer = await http.post("/api/admin/login", json={"name": "admin1", "password": PASSWORD})

    assert answer.status_code == 429


# -- finding 3: IRC OPER and SASL PLAIN --------------------------------------------------------


async def test_irc_oper_and_sasl_failures_share_the_limit(tmp_path: Path) -> None:
    running, server, task = await start_irc_server(tmp_path, staff_logins_per_address=2)
    clients: list[IrcClient] = []
    try:
        await running.node.store.add_staff(
            StaffAccount("Gaspard", StaffRole.MODERATOR, CHEAP_HASH), 0
        )
        port = irc_port(server)
        oper = await IrcClient.connect(port, "Marie", realname="Marie")
        clients.append(oper)
        for _ in range(2):
            oper.send("OPER Gaspard faux")
            await oper.expect("passwdmismatch")

        oper.send(f"OPER Gaspard {PASSWORD}")  # right, but the address is spent
        await oper.expect("passwdmismatch")
        notice = await oper.expect("privnotice", lambda e: "retry in" in " ".join(e.arguments))
        assert "réessayez" in notice.arguments[0]

        sasl = await sasl_client(port, "Lea", "Gaspard", PASSWORD)
        clients.append(sasl)
        await sasl.expect("saslfail")
        await sasl.expect("privnotice", lambda e: "retry in" in " ".join(e.arguments))
        assert not [e for e in sasl.events if e.type in ("saslsuccess", "loggedin")]
    finally:
        for client in clients:
            client.close()
        await stop_server(server, task)


# -- finding 8: a TOTP code logs in once --------------------------------------------------------


async def test_ws_totp_code_replayed_is_refused(world: World) -> None:
    await world.account("Gaspard", totp_secret=SECRET)
    code = pyotp.TOTP(SECRET).now()

    first = await world.login("Gaspard", PASSWORD, totp=code)
    again = await world.login("Gaspard", PASSWORD, totp=code)

    assert first["type"] == "staff"
    assert again["code"] == "forbidden"
    stored = await world.running.node.store.staff_account("Gaspard")
    assert stored is not None and stored.totp_last_step is not None


async def test_admin_login_totp_code_replayed_is_refused(world: World) -> None:
    await world.account("admin1", StaffRole.ADMIN, totp_secret=SECRET)
    code = pyotp.TOTP(SECRET).now()
    form = {"name": "admin1", "password": PASSWORD, "totp": code}

    async with httpx.AsyncClient(base_url=world.running.url) as http:
        first = await http.post("/api/admin/login", json=form)
        again = await http.post("/api/admin/login", json=form)

    assert first.status_code == 200 and "token" in first.json()
    assert again.status_code == 403


async def test_totp_code_used_on_the_websocket_is_refused_on_the_admin_api(world: World) -> None:
    await world.account("admin1", StaffRole.ADMIN, totp_secret=SECRET)
    code = pyotp.TOTP(SECRET).now()

    assert (await world.login("admin1", PASSWORD, totp=code))["type"] == "staff"
    async with httpx.AsyncClient(base_url=world.running.url) as http:
        form = {"name": "admin1", "password": PASSWORD, "totp": code}
        assert (await http.post("/api/admin/login", json=form)).status_code == 403
